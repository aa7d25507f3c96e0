/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The "pc" machine (x86-64 under KVM) and the registration of the x86
 * boards and ISA devices.
 */
#ifndef HW_I386_PC_H
#define HW_I386_PC_H

#include "hw/core/device.h"
#include "hw/core/machine.h"
#include "hw/i386/multiboot.h"
#include "system/memory.h"
#include "target/i386/cpu.h"

#define PC_BELOW_4G_MAX   (3ull << 30)  /* RAM below the PCI hole */
#define PC_ABOVE_4G_BASE  (1ull << 32)
#define PC_NUM_GSIS       24            /* IOAPIC inputs */

typedef struct PCMachineState {
    MachineState parent;
    uint64_t below_4g, above_4g;
    MemoryRegion ram_below_4g, ram_above_4g;  /* aliases of ms->ram */
    bool ram_mapped;
    IrqLine **gsi;
    DeviceState *isa_bridge;
    X86CPU *cpus;
    unsigned nr_cpus;
    MultibootImage boot;
} PCMachineState;

extern const MachineClass pc_machine_class;
extern const DeviceClass isa_debug_exit_class;

/* machine_class_register for "pc". */
void hw_i386_register_machines(void);
/* device_class_register for isabus-bridge, isa-serial, isa-debug-exit. */
void hw_i386_register_devices(void);

#endif
