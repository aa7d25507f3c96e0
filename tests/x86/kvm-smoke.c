/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * KVM smoke test below the command line: builds the pc machine through the
 * board, device and accelerator APIs (no main.c), boots a Multiboot test
 * kernel with COM1 going to a file and isa-debug-exit at 0xf4, and checks
 * the console output and the exit status. Speaks TAP; skips without KVM.
 *
 * Usage: kvm-smoke KERNEL [APPEND [CPUS [STATUS [SERIAL]]]]
 * (SERIAL: a -serial spec for COM1 instead of the checked file, e.g. stdio)
 */
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accel/accel.h"
#include "accel/kvm/kvm.h"
#include "chardev/char.h"
#include "hw/core/device.h"
#include "hw/core/machine.h"
#include "hw/i386/pc.h"
#include "system/cpus.h"
#include "system/main-loop.h"
#include "system/runstate.h"
#include "util/error.h"
#include "util/keyval.h"
#include "util/log.h"

#define HELLO_STATUS ((0x2a << 1) | 1)

static void *lookup_chardev(const char *id, GError **errp)
{
    Chardev *chr = chardev_find(id);

    if (!chr) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_NOT_FOUND, "chardev '%s' not found", id);
    }
    return chr;
}

static void reset_devices(void *opaque)
{
    bus_reset(sysbus_get());
}

static bool run_vm(const char *kernel, const char *append, unsigned cpus,
                   const char *spec, int *status, GError **errp)
{
    g_autoptr(KeyvalList) dev = NULL;
    MachineState *ms;
    bool ok = false;

    /* TERN_LOG=kvm,... enables -d style logging for debugging. */
    if (g_getenv("TERN_LOG") && !log_set_items(g_getenv("TERN_LOG"), errp)) {
        return false;
    }
    if (!main_loop_init(errp)) {
        return false;
    }
    if (!bql_locked()) {
        bql_lock();
    }
    device_prop_register_lookup(PROP_TYPE_CHARDEV, lookup_chardev);
    hw_i386_register_devices();
    hw_i386_register_machines();
    kvm_accel_register();

    if (!chardev_new_legacy(spec, "serial0", errp)) {
        return false;
    }
    ms = machine_new(&pc_machine_class, errp);
    if (!ms) {
        return false;
    }
    ms->smp.cpus = cpus;
    ms->kernel_filename = g_strdup(kernel);
    ms->kernel_cmdline = g_strdup(append);
    if (!accel_setup(ms, NULL, NULL, "kvm", TARGET_X86_64, errp) ||
        !machine_run_init(ms, errp)) {
        goto out;
    }
    dev = keyval_parse("isa-debug-exit,iobase=0xf4,iosize=0x04", "driver", errp);
    if (!dev || !device_create_from_keyval(dev, errp)) {
        goto out;
    }
    system_reset_register(reset_devices, NULL);
    system_reset(SHUTDOWN_CAUSE_NONE);
    vm_start();
    *status = main_loop_run();
    ok = true;

out:
    cpus_destroy_all();
    device_tree_destroy();
    machine_free(ms);
    kvm_accel_destroy();
    chardev_delete_all();
    return ok;
}

int main(int argc, char **argv)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *out = NULL;
    g_autofree char *console = NULL;
    g_autofree char *spec = NULL;
    const char *append = argc > 2 ? argv[2] : "smoke=1";
    unsigned cpus = argc > 3 ? atoi(argv[3]) : 1;
    int want = argc > 4 ? atoi(argv[4]) : HELLO_STATUS;
    int status = -1;

    if (argc < 2) {
        fprintf(stderr, "usage: %s KERNEL [APPEND [CPUS [STATUS [SERIAL]]]]\n", argv[0]);
        return 2;
    }
    if (!kvm_available()) {
        printf("1..0 # SKIP no usable /dev/kvm\n");
        return 0;
    }
    if (argc > 5) {
        spec = g_strdup(argv[5]);
    } else {
        int fd = g_file_open_tmp("kvm-smoke-XXXXXX", &console, &err);

        if (fd < 0) {
            printf("Bail out! %s\n", err->message);
            return 1;
        }
        close(fd);
        spec = g_strdup_printf("file:%s", console);
    }
    printf("1..3\n");
    fflush(stdout);
    if (!run_vm(argv[1], append, cpus, spec, &status, &err)) {
        printf("not ok 1 - boot %s: %s\n", argv[1], err->message);
        printf("not ok 2 - console # SKIP no boot\nnot ok 3 - exit status # SKIP no boot\n");
        if (console) {
            g_unlink(console);
        }
        return 1;
    }
    printf("ok 1 - boot %s\n", argv[1]);
    if (console) {
        g_file_get_contents(console, &out, NULL, NULL);
        g_unlink(console);
        if (out && strstr(out, "Hello from Tern") && strstr(out, append)) {
            printf("ok 2 - greeting and command line on COM1\n");
        } else {
            printf("not ok 2 - greeting and command line on COM1\n");
        }
    } else {
        printf("ok 2 - console on %s # SKIP not checked\n", spec);
    }
    printf("%s 3 - exit status %d (want %d)\n", status == want ? "ok" : "not ok", status, want);
    if (out) {
        g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
        g_autofree char *indented = g_strjoinv("\n# ", lines);
        printf("# %s\n", indented);
    }
    return 0;
}
