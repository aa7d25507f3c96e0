/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The built-in `info` sub-commands that only need the core layers: version,
 * run state, name, chardevs, device tree, memory tree and command history.
 * Machine- and accelerator-specific ones (registers, pci, jit) are added by
 * their owners with hmp_register_info().
 */
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "hw/core/device.h"
#include "monitor/monitor.h"
#include "system/cpus.h"
#include "system/memory.h"
#include "system/runstate.h"

static void hmp_info_version(Monitor *mon, const char *args)
{
    monitor_printf(mon, "%s\n", TERN_VERSION);
}

static void hmp_info_status(Monitor *mon, const char *args)
{
    RunState st = runstate_get();

    if (runstate_is_running()) {
        monitor_printf(mon, "VM status: running\n");
    } else if (st == RUN_STATE_PAUSED) {
        monitor_printf(mon, "VM status: paused\n");
    } else {
        monitor_printf(mon, "VM status: paused (%s)\n", runstate_name(st));
    }
}

static void hmp_info_name(Monitor *mon, const char *args)
{
    const char *name = hmp_get_vm_name();

    if (name) {
        monitor_printf(mon, "%s\n", name);
    }
}

static void info_chardev_one(Chardev *chr, const char *label,
                             const char *filename, void *opaque)
{
    monitor_printf(opaque, "%s: filename=%s\n", label,
                   filename ? filename : "");
}

static void hmp_info_chardev(Monitor *mon, const char *args)
{
    chardev_foreach(info_chardev_one, mon);
}

static void hmp_info_qtree(Monitor *mon, const char *args)
{
    g_autoptr(GString) out = g_string_new(NULL);

    qtree_print(out);
    monitor_puts(mon, out->str);
}

static void hmp_info_mtree(Monitor *mon, const char *args)
{
    g_autoptr(GString) out = g_string_new(NULL);
    g_auto(GStrv) argv = g_strsplit_set(args, " \t", -1);
    bool flat = false;
    char **a;

    for (a = argv; *a; a++) {
        if (!**a) {
            continue;
        }
        if (strcmp(*a, "-f") == 0) {
            flat = true;
        } else {
            monitor_printf(mon, "info mtree: unknown option '%s' (only -f)\n", *a);
            return;
        }
    }
    if (flat) {
        address_space_print_flat(out, address_space_memory());
        g_string_append_c(out, '\n');
        address_space_print_flat(out, address_space_io());
    } else {
        g_string_append(out, "address-space: memory\n");
        memory_region_print_tree(out, get_system_memory());
        g_string_append(out, "\naddress-space: I/O\n");
        memory_region_print_tree(out, get_system_io());
    }
    monitor_puts(mon, out->str);
}

static void cpu_tid_fn(CPUState *cpu, void *data)
{
    *(long *)data = (long)syscall(SYS_gettid);
}

static void collect_cpu(CPUState *cpu, void *opaque)
{
    g_ptr_array_add(opaque, cpu);
}

/* "* CPU #0: thread_id=N" as in QEMU; '*' marks this monitor's CPU. */
static void hmp_info_cpus(Monitor *mon, const char *args)
{
    g_autoptr(GPtrArray) cpus = g_ptr_array_new();
    int cur = monitor_get_cpu_index(mon);

    /* Collected first: run_on_cpu drops the BQL while it waits. */
    cpu_foreach(collect_cpu, cpus);
    if (cpus->len == 0) {
        monitor_printf(mon, "no CPUs\n");
        return;
    }
    for (guint i = 0; i < cpus->len; i++) {
        CPUState *cpu = g_ptr_array_index(cpus, i);
        long tid = (long)getpid();

        if (cpu->thread && cpu->created) {
            run_on_cpu(cpu, cpu_tid_fn, &tid);
        }
        monitor_printf(mon, "%c CPU #%d: thread_id=%ld%s\n",
                       cpu->index == cur ? '*' : ' ', cpu->index, tid,
                       cpu->halted ? " (halted)" : "");
    }
}

static void hmp_info_history(Monitor *mon, const char *args)
{
    guint i, n = monitor_history_len(mon);

    for (i = 0; i < n; i++) {
        monitor_printf(mon, "%u: '%s'\n", i, monitor_history_get(mon, i));
    }
}

void hmp_info_register_builtins(void)
{
    hmp_register_info("version", "", "show the version of Tern",
                      hmp_info_version);
    hmp_register_info("status", "", "show the current VM status (running|paused)",
                      hmp_info_status);
    hmp_register_info("name", "", "show the current VM name", hmp_info_name);
    hmp_register_info("chardev", "", "show the character devices",
                      hmp_info_chardev);
    hmp_register_info("qtree", "", "show device tree", hmp_info_qtree);
    hmp_register_info("mtree", "[-f]",
                      "show memory tree (-f: dump flat view for address spaces)",
                      hmp_info_mtree);
    hmp_register_info("history", "", "show the command line history",
                      hmp_info_history);
    hmp_register_info("cpus", "", "show infos for each CPU", hmp_info_cpus);
}
