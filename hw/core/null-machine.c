/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The "none" machine: no CPUs and no devices, RAM at address 0 only when a
 * size was given. Useful for probing the command line, the monitor and the
 * device model without a real board, on every target.
 */
#include "hw/core/machine.h"
#include "system/memory.h"
#include "util/error.h"

static bool null_machine_init(MachineState *ms, GError **errp)
{
    /* Nothing here could run a guest image: refuse rather than ignore it. */
    if (ms->kernel_filename || ms->initrd_filename || ms->dtb || ms->firmware) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "machine 'none' has no CPU to run -kernel, -initrd, -dtb or -bios");
        return false;
    }
    if (!ms->ram_size) {
        return true;
    }
    return machine_map_ram(ms, get_system_memory(), 0, errp);
}

static const MachineClass null_machine_class = {
    .name = "none",
    .desc = "empty machine",
    .targets = TARGET_ALL,
    .default_ram_size = 0,
    .min_cpus = 1,
    .max_cpus = 1,
    .instance_size = sizeof(MachineState),
    .init = null_machine_init,
};

void hw_register_core_machines(void)
{
    if (!machine_class_find(null_machine_class.name)) {
        machine_class_register(&null_machine_class);
    }
}
