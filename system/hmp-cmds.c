/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * HMP commands over the block, network and PCI layers: `info block`,
 * `info network`, `info usernet`, `info pci`, `set_link`. They live here because the
 * monitor library must not depend on every backend.
 */
#include "system/hmp-cmds.h"

#include "block/drive.h"
#include "hw/pci/pci.h"
#include "monitor/monitor.h"
#include "net/net.h"
#include "net/slirp.h"

static void print_drive(const DriveInfo *d, void *opaque)
{
    g_autofree char *text = drive_describe(d);

    monitor_printf(opaque, "%s\n", text);
}

static void hmp_info_block(Monitor *mon, const char *args)
{
    drive_foreach(print_drive, mon);
}

static void hmp_info_network(Monitor *mon, const char *args)
{
    g_autoptr(GString) out = g_string_new(NULL);

    net_print_info(out);
    monitor_puts(mon, out->str);
}

static void hmp_info_usernet(Monitor *mon, const char *args)
{
    g_autoptr(GString) out = g_string_new(NULL);

    net_slirp_print_usernet(out);
    monitor_puts(mon, out->str);
}

static void hmp_info_pci(Monitor *mon, const char *args)
{
    g_autoptr(GString) out = g_string_new(NULL);

    pci_print_info(out);
    monitor_puts(mon, out->str);
}

static void hmp_set_link(Monitor *mon, const char *args)
{
    g_auto(GStrv) words = g_strsplit_set(args ? args : "", " \t", -1);
    g_autoptr(GError) err = NULL;
    const char *name = NULL, *state = NULL;
    bool up;

    for (char **w = words; *w; w++) {
        if (!**w) {
            continue;
        }
        if (!name) {
            name = *w;
        } else if (!state) {
            state = *w;
        }
    }
    if (!name || !state || (!g_str_equal(state, "on") && !g_str_equal(state, "off"))) {
        monitor_printf(mon, "usage: set_link NAME on|off\n");
        return;
    }
    up = g_str_equal(state, "on");
    if (!net_set_link(name, up, &err)) {
        monitor_printf(mon, "%s\n", err->message);
    }
}

void hmp_cmds_register(void)
{
    hmp_register_info("block", "", "show the block devices", hmp_info_block);
    hmp_register_info("network", "", "show the network state", hmp_info_network);
    hmp_register_info("pci", "", "show PCI info", hmp_info_pci);
    hmp_register_info("usernet", "", "show user network stack connection states",
                      hmp_info_usernet);
    hmp_register_command("set_link", "name on|off", "change the link status of a network adapter",
                         hmp_set_link);
}
