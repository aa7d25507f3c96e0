/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The "virt" AArch64 board: QEMU's generic virtual platform, with QEMU's
 * memory map and interrupt numbers so that guests, firmware and device
 * trees written for QEMU's virt run unchanged. The whole map is written down
 * here; virt.c instantiates only the parts Tern has models for (see
 * docs/arm.md).
 */
#ifndef HW_ARM_VIRT_H
#define HW_ARM_VIRT_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "hw/arm/boot.h"
#include "hw/core/machine.h"

typedef enum VirtMemMapIndex {
    VIRT_FLASH,             /* two 64 MiB banks: firmware, then variables */
    VIRT_CPUPERIPHS,
    VIRT_GIC_DIST,
    VIRT_GIC_CPU,
    VIRT_GIC_V2M,
    VIRT_GIC_HYP,
    VIRT_GIC_VCPU,
    VIRT_GIC_ITS,
    VIRT_GIC_REDIST,
    VIRT_UART0,
    VIRT_RTC,
    VIRT_FW_CFG,
    VIRT_GPIO,
    VIRT_UART1,
    VIRT_SMMU,
    VIRT_PCDIMM_ACPI,
    VIRT_ACPI_GED,
    VIRT_NVDIMM_ACPI,
    VIRT_PVTIME,
    VIRT_SECURE_GPIO,
    VIRT_MMIO,              /* virtio-mmio transports */
    VIRT_PLATFORM_BUS,
    VIRT_SECURE_MEM,
    VIRT_PCIE_MMIO,
    VIRT_PCIE_PIO,
    VIRT_PCIE_ECAM,
    VIRT_MEM,
    /* Above 4 GiB, at their places for RAM up to 255 GiB. */
    VIRT_HIGH_GIC_REDIST2,
    VIRT_HIGH_PCIE_ECAM,
    VIRT_HIGH_PCIE_MMIO,
    VIRT_MEMMAP_COUNT
} VirtMemMapIndex;

typedef struct VirtMemMapEntry {
    uint64_t base;
    uint64_t size;
    const char *name;
} VirtMemMapEntry;

extern const VirtMemMapEntry virt_memmap[VIRT_MEMMAP_COUNT];

#define VIRT_FLASH_BANK_SIZE     0x04000000ull
#define VIRT_MMIO_TRANSPORTS     32
#define VIRT_MMIO_TRANSPORT_SIZE 0x200
#define VIRT_RAM_BASE            0x40000000ull
#define VIRT_RAM_MAX             (255ull << 30)

/* GIC shared peripheral interrupt numbers (SPI n is GIC interrupt 32 + n). */
enum {
    VIRT_IRQ_UART0 = 1,
    VIRT_IRQ_RTC = 2,
    VIRT_IRQ_PCIE = 3,          /* 4 lines: INTA..INTD */
    VIRT_IRQ_GPIO = 7,
    VIRT_IRQ_UART1 = 8,
    VIRT_IRQ_ACPI_GED = 9,
    VIRT_IRQ_MMIO = 16,         /* one per virtio-mmio transport */
    VIRT_IRQ_GIC_V2M = 48,
    VIRT_IRQ_SMMU = 74,
    VIRT_IRQ_PLATFORM_BUS = 112,
};

typedef struct VirtMachineState {
    MachineState parent;
    DeviceState *uart0;         /* NULL until built; owned by the system bus */
    ArmBootInfo boot;
} VirtMachineState;

extern const MachineClass virt_machine_class;

/*
 * Everything of the board except the CPUs: RAM at VIRT_RAM_BASE, the PL011
 * at VIRT_UART0 on chardev "serial0" (unconnected when there is none), and
 * the -kernel/-initrd/-dtb images loaded into RAM with the boot info filled.
 * The machine's init calls this and then fails while there is no AArch64
 * CPU; unit tests call it directly. On failure the caller frees the machine
 * and the device tree.
 */
bool virt_board_build(MachineState *ms, GError **errp);

/* Where the images went and how the boot CPU must start. */
const ArmBootInfo *virt_boot_info(MachineState *ms);

/* Register the virt machine / the devices AArch64 boards use; idempotent. */
void hw_arm_register_machines(void);
void hw_arm_register_devices(void);

#endif
