/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PCI host bridges: the system-bus devices that own a root PCIBus, give the
 * CPU a way into configuration space, and decide where the bus's memory and
 * I/O spaces appear in the CPU's address map.
 *
 *  - "i440FX-pcihost" (pc): configuration mechanism #1 on ports 0xCF8
 *    (address: enable bit 31, bus 23:16, device 15:11, function 10:8,
 *    register 7:2) and 0xCFC-0xCFF (data, 1/2/4-byte accesses at the byte
 *    offset); I/O BARs live directly in the system I/O space; memory BARs
 *    in a PCI memory container shown in system memory through windows.
 *    Function 00.0 is "i440FX" (8086:1237, host bridge), as on QEMU's pc.
 *    The bus is "pci.0".
 *  - "gpex-pcihost" (virt): an ECAM region (bus << 20 | devfn << 12 | reg),
 *    32-bit and 64-bit MMIO windows identity-mapped from system memory, an
 *    I/O window (PCI port 0 at pio_base) and INTx swizzled as
 *    (pin + slot) % 4 onto four lines. Function 00.0 is "gpex-root"
 *    (1b36:0008). The bus is "pcie.0", as on QEMU's virt.
 *
 * Machines call the create functions below with a config struct; the host
 * is realized on the main system bus and freed with the device tree.
 */
#ifndef HW_PCI_PCI_HOST_H
#define HW_PCI_PCI_HOST_H

#include "hw/pci/pci.h"

#define TYPE_PCI_HOST_CF8       "i440FX-pcihost"
#define TYPE_PCI_HOST_CF8_FN    "i440FX"
#define TYPE_PCI_HOST_ECAM      "gpex-pcihost"
#define TYPE_PCI_HOST_ECAM_FN   "gpex-root"

#define PCI_HOST_MAX_WINDOWS    3

/* Called after the guest wrote config space of the host function 00.0. */
typedef void (*PCIHostConfigHook)(void *opaque, PCIDevice *host_fn,
                                  uint32_t addr, unsigned len);

typedef struct PCIHostState {
    DeviceState parent;
    PCIBus *bus;
    PCIDevice *host_fn;             /* 00.0 */
    MemoryRegion *system_mem;       /* where windows are mapped */
    MemoryRegion mem_space;         /* PCI memory space, 2^64 */
    MemoryRegion io_space;          /* PCI I/O space (ECAM hosts) */
    MemoryRegion windows[PCI_HOST_MAX_WINDOWS];
    int nwindows;
    MemoryRegion conf_regions[2];   /* cf8: index, data; ecam: region */
    int nconf;
    MemoryRegion *conf_container[2];
    uint32_t config_addr;           /* cf8: last value written at 0xCF8 */
    PCIHostConfigHook config_hook;
    void *config_hook_opaque;
    void *cfg;                      /* the create function's copy */
} PCIHostState;

/* The host bridge owning a root bus. */
PCIHostState *pci_host_from_bus(PCIBus *bus);

/*
 * Config access by bus number / devfn / register as a host bridge decodes
 * it. No such function (or a function != 0 without function 0): reads are
 * all-ones, writes vanish. reg + len beyond the function's config space
 * likewise.
 */
uint32_t pci_host_config_read(PCIBus *bus, uint8_t bus_num, uint8_t devfn,
                              uint32_t reg, unsigned len);
void pci_host_config_write(PCIBus *bus, uint8_t bus_num, uint8_t devfn,
                           uint32_t reg, uint32_t val, unsigned len);

/* ---- pc: configuration mechanism #1 --------------------------------- */

typedef struct PCIHostCF8Config {
    MemoryRegion *system_mem;   /* NULL: get_system_memory() */
    MemoryRegion *system_io;    /* NULL: get_system_io(); ports + I/O BARs */
    /*
     * Windows of the PCI memory space shown in system memory at the same
     * addresses, below everything else (priority -1). Both sizes 0: the
     * whole PCI memory space is shown at priority -1, as QEMU's pc does,
     * so a BAR works wherever RAM and board devices leave a hole.
     */
    uint64_t mem32_base, mem32_size;
    uint64_t mem64_base, mem64_size;
    /* INTx: nirq lines (e.g. PIRQA..D), map_irq NULL = PIIX routing
     * (slot - 1 + pin) % nirq. */
    IrqLine **irqs;
    int nirq;
    PCIMapIrqFn map_irq;
    void *map_irq_opaque;
    /*
     * What firmware would write into PCI_INTERRUPT_LINE for host line n
     * (e.g. the ISA IRQ that PIRQn routes to); 0 leaves it 0. Reapplied on
     * reset, so kernels booted without a BIOS find their IRQ.
     */
    uint8_t intx_line[4];
    /* Writes to the i440FX function (PAM, SMRAM registers at 0x59-0x72
     * are writable for the machine to act on). */
    PCIHostConfigHook config_hook;
    void *config_hook_opaque;
} PCIHostCF8Config;

PCIBus *pci_host_cf8_create(const PCIHostCF8Config *cfg, GError **errp);

/* ---- virt: generic ECAM host ---------------------------------------- */

typedef struct PCIHostECAMConfig {
    MemoryRegion *system_mem;   /* NULL: get_system_memory() */
    uint64_t ecam_base, ecam_size;      /* 1 MiB per bus, 1..256 buses */
    uint64_t mmio32_base, mmio32_size;  /* CPU address == PCI address */
    uint64_t mmio64_base, mmio64_size;  /* 0 size: none */
    uint64_t pio_base, pio_size;        /* PCI port 0 at pio_base; 0: none */
    IrqLine *irqs[4];                   /* host lines after swizzling */
} PCIHostECAMConfig;

PCIBus *pci_host_ecam_create(const PCIHostECAMConfig *cfg, GError **errp);

/* Device-tree "ranges" space codes (phys.hi of a PCI address). */
#define PCI_FDT_SPACE_IO        0x01000000u
#define PCI_FDT_SPACE_MEM32     0x02000000u
#define PCI_FDT_SPACE_MEM64     0x03000000u

typedef struct PCIHostFdtRange {
    uint32_t space;             /* PCI_FDT_SPACE_* */
    uint64_t pci_addr, cpu_addr, size;
} PCIHostFdtRange;

typedef struct PCIHostFdtIrqMap {
    uint32_t child_hi;          /* devfn << 8: slot << 11 */
    uint32_t pin;               /* 1..4 */
    int line;                   /* index into the config's irqs[] */
} PCIHostFdtIrqMap;

/*
 * What a "pci-host-ecam-generic" node needs: reg = <ecam_base ecam_size>,
 * bus-range = <bus_start bus_end>, ranges, and interrupt-map entries for
 * slots 0..3 x pins INTA..INTD with interrupt-map-mask <0x1800 0 0 7>
 * (the swizzle repeats every 4 slots). The machine turns line into its
 * interrupt controller's specifier.
 */
typedef struct PCIHostECAMFdtInfo {
    uint64_t ecam_base, ecam_size;
    uint32_t bus_start, bus_end;
    PCIHostFdtRange ranges[3];
    int nranges;
    PCIHostFdtIrqMap irq_map[16];
    int nirq_map;
    uint32_t irq_map_mask[4];
} PCIHostECAMFdtInfo;

void pci_host_ecam_fdt_info(PCIBus *bus, PCIHostECAMFdtInfo *info);

/* ---- internal to hw/pci: shared host plumbing ----------------------- */

/* Abstract parent of the host classes: unmaps windows and config regions
 * on unrealize, frees the bus struct and spaces on finalize. */
extern const DeviceClass pci_host_bridge_class;
/* Show [offset, offset + size) of space at cpu_addr in h->system_mem. */
void pci_host_add_window(PCIHostState *h, const char *name,
                         MemoryRegion *space, uint64_t offset, uint64_t size,
                         uint64_t cpu_addr, int priority);
/* A config-access region (opaque h) mapped at addr in container. */
void pci_host_add_conf(PCIHostState *h, MemoryRegion *container, uint64_t addr,
                       const MemoryRegionOps *ops, const char *name,
                       uint64_t size);

#endif
