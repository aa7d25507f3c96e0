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
#define VIRT_FLASH_SECTOR_SIZE   (256 * 1024)   /* the bank's erase block (two x16 chips) */
#define VIRT_FLASH_WIDTH         4
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

/* -machine gic-version= values, in the order of the property's names. */
typedef enum VirtGicVersion {
    VIRT_GIC_VERSION_2,
    VIRT_GIC_VERSION_3,
    VIRT_GIC_VERSION_HOST,      /* taken as 3 */
    VIRT_GIC_VERSION_MAX,       /* taken as 3 */
} VirtGicVersion;

#define VIRT_GICV2M_SPIS        64
#define VIRT_GICV3_LOW_REDIST_CPUS (0xf60000 / 0x20000)    /* 123 */

typedef struct PCIBus PCIBus;
typedef struct FwCfgState FwCfgState;

typedef struct VirtMachineState {
    MachineState parent;
    DeviceState *uart0;         /* NULL until built; owned by the system bus */
    ArmBootInfo boot;
    /* -machine options */
    int gic_version;            /* VirtGicVersion */
    bool highmem, secure, virtualization;
    char *dumpdtb;
    /* built by virt_board_build; the devices belong to the system bus */
    DeviceState *gic;           /* TYPE_ARM_GICV3 or TYPE_ARM_GICV2 (hw/intc/arm_gic.h) */
    DeviceState *rtc, *gpio;
    DeviceState *flash[2];      /* cfi.pflash01: firmware, variables */
    bool firmware_boot;         /* -bios or pflash0 without -kernel: start at 0 */
    ArmBootInfo cpu_boot;       /* boot as the CPUs see it (a view of boot, not owned) */
    DeviceState *virtio_mmio[VIRT_MMIO_TRANSPORTS];
    FwCfgState *fw_cfg;
    PCIBus *pci_bus;
    GBytes *fdt;                /* the DTB the guest gets (generated or -dtb, patched) */
    GPtrArray *cpu_lines;       /* IrqLine * made by virt_wire_cpu */
} VirtMachineState;

/*
 * virt-platform.c: the devices besides RAM, UART and CPUs, the -machine
 * options, and the guest's DTB. virt_platform_build creates the GIC first;
 * virt_spi(vms, n) is then the GIC input of SPI n (NULL without a GIC).
 * virt_platform_load_dtb runs after the images are loaded: it generates
 * the tree (or patches -dtb's /chosen) and places it (boot.dtb_addr).
 * virt_platform_dumpdtb writes it for dumpdtb= and asks main to exit 0.
 */
extern const Property virt_machine_props[];
bool virt_platform_build(VirtMachineState *vms, GError **errp);
bool virt_platform_load_dtb(VirtMachineState *vms, GError **errp);
bool virt_platform_dumpdtb(VirtMachineState *vms, GError **errp);
void virt_platform_finalize(VirtMachineState *vms);
void virt_platform_register_devices(void);
IrqLine *virt_spi(VirtMachineState *vms, int n);
/*
 * For the CPU provider, once per CPU after cpu_create: the GIC's IRQ/FIQ
 * outputs of CPU index drive cs's CPU_INTERRUPT_HARD / CPU_INTERRUPT_FIQ
 * (cpu_interrupt / cpu_reset_interrupt). The rest of the CPU side (timer
 * PPIs, ICC_* registers) is in hw/intc/arm_gic.h and docs/arm.md.
 */
typedef struct CPUState CPUState;
void virt_wire_cpu(VirtMachineState *vms, int index, CPUState *cs);

/* 2 or 3: the GIC the board builds. */
int virt_gic_revision(const VirtMachineState *vms);
/* MPIDR affinity fields of CPU n: Aff0 = n % 16, Aff1 = n / 16, as QEMU's virt. */
uint64_t virt_cpu_mp_affinity(int n);

extern const MachineClass virt_machine_class;

/*
 * Everything of the board except the CPUs: RAM at VIRT_RAM_BASE, the PL011
 * at VIRT_UART0 on chardev "serial0" (unconnected when there is none), and
 * the -kernel/-initrd/-dtb images loaded into RAM with the boot info filled.
 * The machine's init calls this and then creates the CPUs through the
 * provider; unit tests call it directly. On failure the caller frees the machine
 * and the device tree.
 */
bool virt_board_build(MachineState *ms, GError **errp);

/*
 * Who makes the CPUs: the accelerator that can run AArch64 code installs a
 * provider (the translator does when -accel tcg initializes). Without one,
 * the machine's init stops after building the board with "the AArch64 CPU
 * is not supported yet". create_cpus makes ms->smp.cpus CPUs of
 * ms->cpu_type; reset_cpus puts them back to the boot state (CPU 0 at
 * boot->entry with X0 = boot->dtb_addr, the others powered off).
 */
typedef struct VirtCpuProvider {
    bool (*create_cpus)(MachineState *ms, const ArmBootInfo *boot, GError **errp);
    void (*reset_cpus)(MachineState *ms, const ArmBootInfo *boot);
} VirtCpuProvider;

void virt_set_cpu_provider(const VirtCpuProvider *p);

/* Where the images went and how the boot CPU must start. */
const ArmBootInfo *virt_boot_info(MachineState *ms);

/* Register the virt machine / the devices AArch64 boards use; idempotent. */
void hw_arm_register_machines(void);
void hw_arm_register_devices(void);

#endif
