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
#include "hw/i386/x86-boot.h"
#include "system/memory.h"
#include "target/i386/cpu.h"

#define PC_BELOW_4G_MAX   (3ull << 30)  /* RAM below the PCI hole (0xc0000000) */
#define PC_ABOVE_4G_BASE  (1ull << 32)
#define PC_MIN_RAM        (4ull << 20)
#define PC_NUM_GSIS       24            /* IOAPIC inputs */
#define PC_NUM_PIRQS      4             /* PCI INTx lines PIRQA..D */

/* Low memory and the BIOS area (there is no BIOS: Tern fills it). */
#define PC_LOW_RAM_END    0x9fc00       /* 639 KiB usable, then the EBDA */
#define PC_ACPI_ADDR      0xe0000       /* ACPI tables (E820_ACPI) */
#define PC_ACPI_SIZE      0x10000
#define PC_BIOS_ADDR      0xf0000       /* RSDP + FACS (reserved) */
#define PC_BIOS_SIZE      0x10000
#define PC_KVM_PRIV_ADDR  0xfeffc000ull /* KVM's identity map page and TSS */
#define PC_KVM_PRIV_SIZE  0x4000
#define PC_IOAPIC_ADDR    0xfec00000u
#define PC_LAPIC_ADDR     0xfee00000u
#define PC_RESET_CONTROL_PORT 0xcf9

typedef struct FwCfgState FwCfgState;
typedef struct PCIBus PCIBus;

typedef struct PCMachineState {
    MachineState parent;
    uint64_t below_4g, above_4g;
    MemoryRegion ram_below_4g, ram_above_4g;  /* aliases of ms->ram */
    bool ram_mapped;
    IrqLine **gsi;
    IrqLine **pirq;             /* PIRQA..D, OR-ed onto gsi_for_pci[10/11] */
    IrqLine **gsi_for_pci;
    uint8_t pirq_levels;
    PCIBus *pci_bus;            /* pci.0 of the i440FX host */
    DeviceState *isa_bridge;
    DeviceState *rtc;
    FwCfgState *fw_cfg;
    X86CPU *cpus;
    unsigned nr_cpus;
    GArray *e820;               /* E820Entry: the one memory map */
    GArray *blobs;              /* BootBlob: kernel, boot data, ACPI; replayed at reset */
    uint16_t serial_ports[4];
    uint8_t serial_irqs[4];
    unsigned nr_serials;
} PCMachineState;

extern const MachineClass pc_machine_class;
extern const DeviceClass isa_debug_exit_class;
extern const DeviceClass isa_debugcon_class;
extern const DeviceClass port92_class;
extern const DeviceClass reset_control_class;
extern const DeviceClass pc_testdev_class;

/* machine_class_register for "pc". */
void hw_i386_register_machines(void);
/* device_class_register for the ISA bridge and every pc/ISA device class. */
void hw_i386_register_devices(void);
/* ISA IRQ (IOAPIC input) of PIRQA..D; PCI INTx uses the PIIX rotation
 * (slot - 1 + pin) % 4 onto these. */
extern const uint8_t pc_pirq_gsi[PC_NUM_PIRQS];
/*
 * The i440FX host and bus pci.0 with PIRQs driving gsi[10] and gsi[11];
 * with kvm_msi, MSIs are injected with KVM_SIGNAL_MSI. pc_init calls it;
 * tests call it without KVM (the bus then writes MSIs to memory).
 */
bool pc_create_pci(PCMachineState *pcms, IrqLine **gsi, bool kvm_msi, GError **errp);
/* The e820 map of a pc with this RAM split (the caller frees it). */
GArray *pc_build_e820(uint64_t below_4g, uint64_t above_4g);

#endif
