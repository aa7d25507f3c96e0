/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tern's entry point. main() turns the typed command line into a running
 * machine in a fixed order (see docs/architecture.md): listings and version,
 * logging and the main loop, chardevs and the QEMU default consoles, the
 * machine and its accelerator, user devices, monitors, reset, run. It is
 * the only place that exits: every set-up step returns a GError whose one
 * line is printed as "PROG: message" before exiting with status 1.
 */
#include "config-host.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "accel/accel.h"
#include "block/drive.h"
#include "chardev/char.h"
#include "gdbstub/gdbstub.h"
#include "hw/core/device.h"
#include "hw/core/machine.h"
#include "hw/pci/pci.h"
#include "monitor/monitor.h"
#include "monitor/qmp.h"
#include "net/net.h"
#include "system/builtins.h"
#include "system/config.h"
#include "system/cpus.h"
#include "system/main-loop.h"
#include "system/runstate.h"
#include "target/arm/cpu.h"
#include "util/error.h"
#include "util/log.h"

/* The target a binary name stands for; `tern` holds them all. */
static unsigned target_from_progname(const char *progname, TernTarget *default_target)
{
    if (g_str_has_suffix(progname, "-x86_64")) {
        *default_target = TARGET_X86_64;
        return TARGET_X86_64;
    }
    *default_target = TARGET_AARCH64;
    if (g_str_has_suffix(progname, "-aarch64")) {
        return TARGET_AARCH64;
    }
    return TARGET_AARCH64 | TARGET_X86_64;
}

/* Machines without a CPU model list accept no -cpu. */
static bool machine_has_cpu_type(const MachineClass *mc, const char *model)
{
    for (const char *const *t = mc->valid_cpu_types; t && *t; t++) {
        if (g_str_equal(*t, model)) {
            return true;
        }
    }
    return false;
}

typedef struct CpuHelp {
    unsigned targets;
    GPtrArray *names;
} CpuHelp;

static void collect_cpu_types(const MachineClass *mc, void *opaque)
{
    CpuHelp *h = opaque;

    if (!(mc->targets & h->targets)) {
        return;
    }
    for (const char *const *t = mc->valid_cpu_types; t && *t; t++) {
        if (!g_ptr_array_find_with_equal_func(h->names, *t, g_str_equal, NULL)) {
            g_ptr_array_add(h->names, (gpointer)*t);
        }
    }
}

static gint cmp_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void print_cpu_help(FILE *out, unsigned targets)
{
    CpuHelp h = { targets, g_ptr_array_new() };

    machine_class_foreach(collect_cpu_types, &h);
    g_ptr_array_sort(h.names, cmp_names);
    fprintf(out, "Available CPUs:\n");
    for (guint i = 0; i < h.names->len; i++) {
        fprintf(out, "  %s\n", (const char *)g_ptr_array_index(h.names, i));
    }
    g_ptr_array_free(h.names, TRUE);
}

/* Answer help requests; true if something was printed. */
static bool print_listings(const TernConfig *cfg, unsigned targets, TernTarget default_target,
                           GError **errp, bool *failed)
{
    const TernHelpRequests *h = &cfg->help;
    bool done = false;

    *failed = false;
    if (h->machine) {
        machine_print_help_list(stdout, targets, default_target);
        done = true;
    }
    if (h->machine_type) {
        const MachineClass *mc = machine_class_find(h->machine_type);
        if (!mc) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_NOT_FOUND,
                        "-machine %s: unsupported machine type (use -machine help to list)",
                        h->machine_type);
            *failed = true;
            return true;
        }
        machine_print_props(stdout, mc);
        done = true;
    }
    if (h->cpu) {
        print_cpu_help(stdout, targets);
        done = true;
    }
    if (h->accel) {
        accel_print_help(stdout, targets);
        done = true;
    }
    if (h->device) {
        if (h->device_name) {
            if (!device_print_props(stdout, h->device_name, errp)) {
                *failed = true;
                return true;
            }
        } else {
            device_print_help_list(stdout);
        }
        done = true;
    }
    if (h->log) {
        log_print_items(stdout);
        done = true;
    }
    if (h->chardev) {
        chardev_print_help(stdout);
        done = true;
    }
    if (h->netdev) {
        net_print_help(stdout);
        done = true;
    }
    if (h->display || h->vga || h->object) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_UNSUPPORTED, "%s help: not supported yet",
                    h->display ? "-display" : h->vga ? "-vga" : "-object");
        *failed = true;
        return true;
    }
    return done;
}

static bool unsupported(GError **errp, const char *what)
{
    g_set_error(errp, TERN_ERROR, TERN_ERROR_UNSUPPORTED, "%s: not supported yet", what);
    return false;
}

/*
 * Options the parser accepts but nothing carries out yet are refused here,
 * so a script never runs with a setting silently dropped.
 */
static bool check_unsupported(const TernConfig *cfg, GError **errp)
{
    if (cfg->objects->len) {
        return unsupported(errp, "-object");
    }
    /* Semihosting is a feature of the AArch64 CPU, which reads this switch. */
    arm_semihosting_enable(cfg->semihosting);
    if (cfg->boot) {
        return unsupported(errp, "-boot");
    }
    if (cfg->display) {
        const char *type = keyval_get(cfg->display, "type");
        if (!type || !g_str_equal(type, "none")) {
            g_autofree char *msg = g_strdup_printf("-display %s", type ? type : "");
            return unsupported(errp, msg);
        }
    }
    if (cfg->vga && !g_str_equal(cfg->vga, "none")) {
        g_autofree char *msg = g_strdup_printf("-vga %s", cfg->vga);
        return unsupported(errp, msg);
    }
    for (guint i = 0; i < cfg->mons->len; i++) {
        const char *mode = keyval_get(g_ptr_array_index(cfg->mons, i), "mode");
        if (mode && !g_str_equal(mode, "readline") && !g_str_equal(mode, "control")) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                        "-mon mode=%s: expected readline or control", mode);
            return false;
        }
    }
    return true;
}

static void mux_quit(void *opaque)
{
    request_shutdown(SHUTDOWN_CAUSE_HOST_UI);
}

static bool start_monitor(Chardev *chr, GError **errp)
{
    return monitor_new_hmp(chr, errp) != NULL;
}

/*
 * Monitors that share a mux with a serial port ("mon:stdio") are attached
 * after the board's UARTs, so the serial console has the initial focus.
 */
static GPtrArray *late_monitors;

static bool start_late_monitors(GError **errp)
{
    for (guint i = 0; late_monitors && i < late_monitors->len; i++) {
        if (!start_monitor(g_ptr_array_index(late_monitors, i), errp)) {
            return false;
        }
    }
    g_clear_pointer(&late_monitors, g_ptr_array_unref);
    return true;
}

static Chardev *new_legacy_chardev(const char *option, const char *spec, const char *id,
                                   GError **errp)
{
    Chardev *chr = chardev_new_legacy(spec, id, errp);

    if (!chr && errp && *errp) {
        g_prefix_error(errp, "%s %s: ", option, spec);
    }
    return chr;
}

/*
 * -chardev, then -serial and -monitor with QEMU's defaults: under
 * -nographic (or, until the SDL window exists, with no display option) the
 * serial port and the monitor share stdio through a mux.
 */
static bool setup_consoles(const TernConfig *cfg, GError **errp)
{
    bool graphic_off = cfg->nographic || !cfg->display;
    bool display_none = cfg->display != NULL;
    bool default_serial = !cfg->nodefaults && cfg->serials->len == 0;
    bool default_monitor = !cfg->nodefaults && cfg->monitors->len == 0 && cfg->mons->len == 0;
    g_autoptr(GPtrArray) serials = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) monitors = g_ptr_array_new_with_free_func(g_free);

    for (guint i = 0; i < cfg->chardevs->len; i++) {
        if (!chardev_new_from_keyval(g_ptr_array_index(cfg->chardevs, i), errp)) {
            return false;
        }
    }

    for (guint i = 0; i < cfg->serials->len; i++) {
        g_ptr_array_add(serials, g_strdup(g_ptr_array_index(cfg->serials, i)));
    }
    for (guint i = 0; i < cfg->monitors->len; i++) {
        g_ptr_array_add(monitors, g_strdup(g_ptr_array_index(cfg->monitors, i)));
    }
    if (graphic_off && !display_none) {
        if (default_serial && default_monitor) {
            g_ptr_array_add(serials, g_strdup("mon:stdio"));
        } else {
            if (default_serial) {
                g_ptr_array_add(serials, g_strdup("stdio"));
            }
            if (default_monitor) {
                g_ptr_array_add(monitors, g_strdup("stdio"));
            }
        }
        /* Ctrl-C belongs to the guest when its console is the terminal. */
        chardev_stdio_set_signal_default(false);
    }

    chardev_mux_set_quit_handler(mux_quit, NULL);
    for (guint i = 0; i < serials->len; i++) {
        g_autofree char *id = g_strdup_printf("serial%u", i);
        const char *spec = g_ptr_array_index(serials, i);
        Chardev *chr = new_legacy_chardev("-serial", spec, id, errp);

        if (!chr) {
            if (errp && *errp) {
                return false;
            }
            continue;   /* "none" */
        }
        if (chardev_wants_monitor(chr)) {
            if (!late_monitors) {
                late_monitors = g_ptr_array_new();
            }
            g_ptr_array_add(late_monitors, chr);
        }
    }
    for (guint i = 0; i < monitors->len; i++) {
        g_autofree char *id = g_strdup_printf("compat_monitor%u", i);
        Chardev *chr = new_legacy_chardev("-monitor", g_ptr_array_index(monitors, i), id, errp);

        if (!chr) {
            if (errp && *errp) {
                return false;
            }
            continue;
        }
        if (!start_monitor(chr, errp)) {
            return false;
        }
    }
    for (guint i = 0; i < cfg->qmps->len; i++) {
        const char *spec = g_ptr_array_index(cfg->qmps, i);
        if (!qmp_new_legacy(spec, NULL, false, errp) && errp && *errp) {
            g_prefix_error(errp, "-qmp %s: ", spec);
            return false;
        }
    }
    for (guint i = 0; i < cfg->mons->len; i++) {
        KeyvalList *mon = g_ptr_array_index(cfg->mons, i);
        const char *id = keyval_get(mon, "chardev");
        const char *mode = keyval_get(mon, "mode");
        Chardev *chr = id ? chardev_find(id) : NULL;
        bool pretty;

        if (!chr) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_NOT_FOUND, "-mon: chardev '%s' not found",
                        id ? id : "");
            return false;
        }
        if (!keyval_get_bool(mon, "pretty", false, &pretty, errp) ||
            !keyval_check_unused(mon, "-mon", errp)) {
            return false;
        }
        if (mode && g_str_equal(mode, "control")) {
            if (!qmp_new(chr, pretty, errp)) {
                return false;
            }
        } else if (!start_monitor(chr, errp)) {
            return false;
        }
    }
    return true;
}

/*
 * Disk and network backends come before the machine and -device, which
 * find them by id. Drives with if=virtio (the default) and -nic requests
 * get their devices once the board and the -device devices exist
 * (setup_board_nics_and_disks).
 */
/*
 * -drive if=pflash,unit=N (or index=N) is a drive named "pflashN" that the
 * board's flash bank N takes (virt: 0 firmware, 1 variables); the block
 * layer sees it as if=none.
 */
static bool map_pflash_drive(KeyvalList *kv, GError **errp)
{
    const char *file = keyval_get(kv, "file");
    const char *key = keyval_has(kv, "unit") ? "unit" : "index";
    g_autofree char *what = g_strdup_printf("-drive file=%s,if=pflash", file ? file : "");
    g_autofree char *id = NULL;
    GError *local = NULL;
    uint64_t unit;

    if (!keyval_get_uint(kv, key, 0, &unit, &local)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "%s: %s", what, local->message);
        g_error_free(local);
        return false;
    }
    if (unit > 1) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "%s: %s=%" G_GUINT64_FORMAT " is out of range (0 or 1)", what, key, unit);
        return false;
    }
    if (keyval_has(kv, "id")) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "%s: the drive is named pflash%" G_GUINT64_FORMAT ", id= is not supported",
                    what, unit);
        return false;
    }
    id = g_strdup_printf("pflash%" G_GUINT64_FORMAT, unit);
    keyval_remove(kv, "unit");
    keyval_remove(kv, "index");
    keyval_set(kv, "if", "none");
    keyval_set(kv, "id", id);
    return true;
}

static bool setup_backends(const TernConfig *cfg, GError **errp)
{
    for (guint i = 0; i < cfg->drives->len; i++) {
        g_autoptr(KeyvalList) kv = keyval_copy(g_ptr_array_index(cfg->drives, i));
        const char *iface = keyval_get(kv, "if");

        if (cfg->snapshot) {
            keyval_set(kv, "snapshot", "on");
        }
        if (iface && !strcmp(iface, "pflash") && !map_pflash_drive(kv, errp)) {
            return false;
        }
        if (!drive_new_from_keyval(kv, errp)) {
            return false;
        }
    }
    for (guint i = 0; i < cfg->netdevs->len; i++) {
        if (!netdev_new_from_keyval(g_ptr_array_index(cfg->netdevs, i), errp)) {
            return false;
        }
    }
    return true;
}

/*
 * The devices -drive if=virtio and -nic model= may name. QEMU's "virtio-blk"
 * and "virtio-net" aliases resolve to the PCI functions on both x86 and Arm,
 * so a board's disk and NIC transport is PCI; virtio-net-device takes a
 * virtio-mmio slot on virt.
 */
#define BOARD_DISK_MODEL    "virtio-blk-pci"
#define BOARD_NIC_MODEL     "virtio-net-pci"
static const char *const nic_models[] = { "virtio-net-pci", "virtio-net-device", NULL };

static bool nic_model_known(const char *model)
{
    return g_strv_contains((const char *const *)nic_models, model);
}

/* -nic model=help lists the models, as QEMU does, and exits 0. */
static bool nic_model_help(const TernConfig *cfg)
{
    for (guint i = 0; i < cfg->nics->len; i++) {
        const char *model = keyval_get(g_ptr_array_index(cfg->nics, i), "model");

        if (model && (!strcmp(model, "help") || !strcmp(model, "?"))) {
            printf("Available NIC models:\n");
            for (int j = 0; nic_models[j]; j++) {
                printf("%s\n", nic_models[j]);
            }
            return true;
        }
    }
    return false;
}

static bool setup_nics(const TernConfig *cfg, GError **errp)
{
    for (guint i = 0; i < cfg->nics->len; i++) {
        const KeyvalList *kv = g_ptr_array_index(cfg->nics, i);
        const char *model = keyval_get(kv, "model");

        if (model && !nic_model_known(model)) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_NOT_FOUND,
                        "-nic %s: unsupported NIC model '%s' (use model=help to list)",
                        keyval_get(kv, "type") ? keyval_get(kv, "type") : "", model);
            return false;
        }
        if (!net_nic_new_from_keyval(kv, errp)) {
            return false;
        }
    }
    return true;
}

static void collect_virtio_drive(const DriveInfo *d, void *opaque)
{
    if (d->iface == DRIVE_IF_VIRTIO) {
        g_ptr_array_add(opaque, (gpointer)d);
    }
}

/* Create and plug driver with props (NULL-terminated name, value pairs). */
static bool create_board_device(const char *what, const char *driver, GError **errp, ...)
{
    const DeviceClass *dc = device_class_find(driver);
    g_autoptr(GError) err = NULL;
    DeviceState *dev;
    const char *name;
    va_list ap;

    if (!dc || !bus_find_free_by_type(device_class_bus_type(dc))) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_NOT_FOUND, "%s: no free bus for %s on this machine",
                    what, driver);
        return false;
    }
    dev = device_new(driver, &err);
    va_start(ap, errp);
    while (dev && (name = va_arg(ap, const char *))) {
        const char *value = va_arg(ap, const char *);

        if (value && !device_set_prop(dev, name, value, &err)) {
            break;
        }
    }
    va_end(ap);
    if (dev && !err && device_realize(dev, NULL, &err)) {
        return true;
    }
    if (dev) {
        device_free(dev);
    }
    g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "%s: %s", what, err->message);
    return false;
}

/*
 * After -device, as QEMU orders them: a virtio-blk for each if=virtio
 * drive, then one NIC per -nic (or the default network: user-mode
 * networking behind a virtio-net-pci when no -nic, -netdev or -nodefaults
 * was given and the board has a PCI bus).
 */
static bool setup_board_nics_and_disks(const TernConfig *cfg, GError **errp)
{
    g_autoptr(GPtrArray) drives = g_ptr_array_new();
    g_autoptr(GPtrArray) reqs = NULL;

    drive_foreach(collect_virtio_drive, drives);
    for (guint i = 0; i < drives->len; i++) {
        const DriveInfo *d = g_ptr_array_index(drives, i);
        g_autofree char *what = g_strdup_printf("-drive file=%s,if=virtio", d->file);

        if (!create_board_device(what, BOARD_DISK_MODEL, errp, "drive", d->id, NULL)) {
            return false;
        }
    }
    if (!cfg->nics->len && !cfg->netdevs->len && !cfg->nodefaults &&
        bus_find_free_by_type(BUS_TYPE_PCI) && !net_default_nic_request(NULL, errp)) {
        return false;
    }
    reqs = net_take_nic_requests();
    g_ptr_array_set_free_func(reqs, (GDestroyNotify)net_nic_request_free);
    for (guint i = 0; i < reqs->len; i++) {
        const NetNicRequest *req = g_ptr_array_index(reqs, i);
        const char *model = req->model ? req->model : BOARD_NIC_MODEL;
        g_autofree char *what = g_strdup_printf("-nic model=%s", model);
        char mac[18];

        if (req->has_mac) {
            net_format_macaddr(req->mac, mac);
        }
        if (!create_board_device(what, model, errp, "netdev", req->netdev_id,
                                 "mac", req->has_mac ? mac : NULL, NULL)) {
            return false;
        }
    }
    return true;
}

static void reset_machine(void *opaque)
{
    machine_reset(opaque);
}

static MachineState *setup_machine(const TernConfig *cfg, unsigned targets,
                                   TernTarget default_target, GError **errp)
{
    const MachineClass *mc;
    MachineState *ms;

    if (cfg->machine_type) {
        mc = machine_class_find(cfg->machine_type);
        if (!mc || !(mc->targets & targets)) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_NOT_FOUND,
                        "-machine %s: unsupported machine type (use -machine help to list)",
                        cfg->machine_type);
            return NULL;
        }
    } else {
        mc = machine_class_default(default_target);
        if (!mc) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_NOT_FOUND,
                        "No machine specified, and there is no default (use -machine help to list)");
            return NULL;
        }
    }

    if (cfg->smp_set && (cfg->smp.cpus > mc->max_cpus || cfg->smp.maxcpus > mc->max_cpus)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "-smp %u: machine '%s' supports at most %u CPUs", cfg->smp.maxcpus,
                    mc->name, mc->max_cpus);
        return NULL;
    }
    if (cfg->cpu_model && !machine_has_cpu_type(mc, cfg->cpu_model)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_NOT_FOUND,
                    "-cpu %s: unknown CPU model (use -cpu help to list)", cfg->cpu_model);
        return NULL;
    }
    ms = machine_new(mc, errp);
    if (!ms) {
        return NULL;
    }
    if (cfg->cpu_model) {
        g_free(ms->cpu_type);
        ms->cpu_type = g_strdup(cfg->cpu_model);
    }
    if (cfg->machine && !machine_set_props_from_keyval(ms, cfg->machine, errp)) {
        goto fail;
    }
    ms->ram_size = cfg->ram_size_set && cfg->ram_size ? cfg->ram_size : mc->default_ram_size;
    if (cfg->smp_set) {
        ms->smp.cpus = cfg->smp.cpus;
        ms->smp.sockets = cfg->smp.sockets;
        ms->smp.cores = cfg->smp.cores;
        ms->smp.threads = cfg->smp.threads;
        ms->smp.maxcpus = cfg->smp.maxcpus;
    }
    /* The command-line options win over the machine's kernel=... properties. */
    if (cfg->kernel) {
        g_free(ms->kernel_filename);
        ms->kernel_filename = g_strdup(cfg->kernel);
    }
    if (cfg->initrd) {
        g_free(ms->initrd_filename);
        ms->initrd_filename = g_strdup(cfg->initrd);
    }
    if (cfg->append) {
        g_free(ms->kernel_cmdline);
        ms->kernel_cmdline = g_strdup(cfg->append);
    }
    if (cfg->dtb) {
        g_free(ms->dtb);
        ms->dtb = g_strdup(cfg->dtb);
    }
    if (cfg->bios) {
        g_free(ms->firmware);
        ms->firmware = g_strdup(cfg->bios);
    }

    if (!accel_setup(ms, cfg->accels, cfg->machine ? keyval_get(cfg->machine, "accel") : NULL,
                     mc->default_accel, mc->targets & targets, errp)) {
        goto fail;
    }
    if (!machine_run_init(ms, errp)) {
        goto fail;
    }
    return ms;

fail:
    machine_free(ms);
    return NULL;
}

static bool setup_devices(const TernConfig *cfg, GError **errp)
{
    for (guint i = 0; i < cfg->devices->len; i++) {
        DeviceState *dev = device_create_from_keyval(g_ptr_array_index(cfg->devices, i), errp);
        if (!dev) {
            return false;
        }
    }
    return device_globals_check_used(errp);
}

static bool setup_globals(const TernConfig *cfg, GError **errp)
{
    for (guint i = 0; i < cfg->globals->len; i++) {
        const TernGlobalProp *g = g_ptr_array_index(cfg->globals, i);
        if (!device_global_add(g->driver, g->property, g->value, errp)) {
            return false;
        }
    }
    return true;
}

static bool setup(const TernConfig *cfg, unsigned targets, TernTarget default_target,
                  MachineState **pms, GError **errp)
{
    if (!check_unsupported(cfg, errp)) {
        return false;
    }
    if (cfg->log_items && !log_set_items(cfg->log_items, errp)) {
        return false;
    }
    if (cfg->log_file && !log_set_file(cfg->log_file, errp)) {
        return false;
    }
    if (!main_loop_init(errp)) {
        return false;
    }
    /* The main thread owns the big lock except while it sleeps in poll. */
    bql_lock();
    main_loop_add_exit_notifier((void (*)(void *))chardev_stdio_restore, NULL);
    runstate_set_no_reboot(cfg->no_reboot);
    runstate_set_no_shutdown(cfg->no_shutdown);
    if (cfg->name) {
        qmp_set_vm_name(cfg->name);   /* HMP and QMP share the name */
    }
    if (!setup_globals(cfg, errp)) {
        return false;
    }
    /* Consoles first: boards look their UARTs' chardevs up by name. */
    if (!setup_consoles(cfg, errp)) {
        return false;
    }
    if (!setup_backends(cfg, errp) || !setup_nics(cfg, errp)) {
        return false;
    }
    *pms = setup_machine(cfg, targets, default_target, errp);
    if (!*pms) {
        return false;
    }
    qmp_set_machine(*pms, (*pms)->klass->targets & targets);
    if (!setup_devices(cfg, errp) || !setup_board_nics_and_disks(cfg, errp)) {
        return false;
    }
    if (!start_late_monitors(errp)) {
        return false;
    }
    /* The stub needs the vCPUs; with -S, gdb's continue starts the VM. */
    gdbserver_register_hmp();
    if (cfg->gdb && !gdbserver_start(cfg->gdb, errp)) {
        g_prefix_error(errp, "-gdb %s: ", cfg->gdb);
        return false;
    }
    system_reset_register(reset_machine, *pms);
    system_reset(SHUTDOWN_CAUSE_NONE);
    if (!cfg->start_stopped) {
        vm_start();
    }
    return true;
}

static void teardown(MachineState *ms)
{
    cpus_destroy_all();
    qmp_destroy_all();
    monitor_destroy_all();
    device_tree_destroy();
    if (ms) {
        machine_free(ms);
    }
    drive_close_all();
    net_cleanup();
    chardev_delete_all();
    main_loop_cleanup();
    log_flush();
    if (bql_locked()) {
        bql_unlock();
    }
}

/* A crash must not leave the user's terminal in raw mode. */
static void fatal_signal(int sig)
{
    chardev_stdio_restore();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_fatal_handlers(void)
{
    static const int sigs[] = { SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL, SIGQUIT };

    for (size_t i = 0; i < G_N_ELEMENTS(sigs); i++) {
        signal(sigs[i], fatal_signal);
    }
}

int main(int argc, char **argv)
{
    g_autofree char *progname = g_path_get_basename(argv[0]);
    g_autoptr(GError) err = NULL;
    TernTarget default_target;
    unsigned targets = target_from_progname(progname, &default_target);
    MachineState *ms = NULL;
    TernConfig cfg;
    bool failed;
    int status;

    g_set_prgname(progname);
    install_fatal_handlers();
    ternconfig_init(&cfg);
    if (!cmdline_parse(argc, argv, &cfg, &err)) {
        goto fail;
    }
    if (cfg.show_version) {
        cmdline_print_version(stdout);
        ternconfig_free(&cfg);
        return 0;
    }
    if (cfg.show_help) {
        cmdline_print_help(stdout, progname);
        ternconfig_free(&cfg);
        return 0;
    }

    builtins_register_all();
    if (print_listings(&cfg, targets, default_target, &err, &failed)) {
        if (failed) {
            goto fail;
        }
        ternconfig_free(&cfg);
        return 0;
    }
    if (nic_model_help(&cfg)) {
        ternconfig_free(&cfg);
        return 0;
    }

    if (!setup(&cfg, targets, default_target, &ms, &err)) {
        teardown(ms);
        goto fail;
    }
    status = main_loop_run();
    teardown(ms);
    ternconfig_free(&cfg);
    return status;

fail:
    chardev_stdio_restore();
    fprintf(stderr, "%s: %s\n", progname, err ? err->message : "unknown error");
    ternconfig_free(&cfg);
    return 1;
}
