/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PCI devices and buses. A PCIDevice embeds DeviceState first and owns a
 * configuration space (256 bytes, or 4 KiB for PCI Express) with a write
 * mask and a write-1-to-clear mask per byte, so guest writes reach only the
 * bits the device declared writable. BARs are MemoryRegions that the core
 * maps into the bus's memory or I/O space whenever the guest programs them
 * and enables decoding in COMMAND. A PCIBus (a BusState of type "PCI") holds
 * 32 slots x 8 functions, assigns devfns (the addr= property, QEMU syntax),
 * routes INTx pins to the host bridge's IrqLines through a map_irq callback
 * with per-line assertion counts, and delivers MSI writes either into the
 * bus-master address space or through a fast-path hook (KVM, a GIC frame).
 *
 * Writing a PCI device: declare
 *
 *   static const PCIDeviceClass foo_class = {
 *       .parent = { .name = "foo", .parent = &pci_device_class,
 *                   .instance_size = sizeof(FooState), .props = ...,
 *                   .user_creatable = true, .category = ... },
 *       .vendor_id = ..., .device_id = ..., .class_id = ...,
 *       .realize = foo_realize, .reset = foo_reset, .exit = foo_exit,
 *   };
 *
 * and register &foo_class.parent. Set only the PCIDeviceClass callbacks: the
 * DeviceClass realize/reset/unrealize of pci_device_class run the PCI core
 * and then call these (the nearest class in the chain that sets one). Ids
 * left 0 are inherited the same way. realize registers BARs, capabilities,
 * MSI/MSI-X and the interrupt pin. On unplug the core first unmaps and
 * forgets the BARs, MSI and MSI-X and drops INTx, then calls exit, which
 * frees what realize built (it may destroy the BAR regions). When the
 * device's realize fails the core does the same tear-down but no exit.
 *
 * Threading: everything here runs under the device model's lock, like the
 * MMIO callbacks that reach it.
 */
#ifndef HW_PCI_PCI_H
#define HW_PCI_PCI_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "hw/core/device.h"
#include "hw/pci/pci_regs.h"
#include "system/memory.h"

#define BUS_TYPE_PCI        "PCI"
#define TYPE_PCI_DEVICE     "pci-device"

#define PCI_SLOT_MAX        32
#define PCI_FUNC_MAX        8
#define PCI_DEVFN_MAX       256
#define PCI_DEVFN(slot, fn) ((((slot) & 0x1f) << 3) | ((fn) & 0x07))
#define PCI_SLOT(devfn)     (((devfn) >> 3) & 0x1f)
#define PCI_FUNC(devfn)     ((devfn) & 0x07)

#define PCI_NUM_BARS        6
#define PCI_ROM_SLOT        6       /* pci_register_bar(dev, PCI_ROM_SLOT...) */
#define PCI_NUM_REGIONS     7
#define PCI_BAR_UNMAPPED    UINT64_MAX

/* pci_register_bar type flags: the low bits of the BAR register. */
#define PCI_BAR_IO          PCI_BASE_ADDRESS_SPACE_IO
#define PCI_BAR_MEM32       PCI_BASE_ADDRESS_MEM_TYPE_32
#define PCI_BAR_MEM64       PCI_BASE_ADDRESS_MEM_TYPE_64
#define PCI_BAR_PREFETCH    PCI_BASE_ADDRESS_MEM_PREFETCH

/* INTx pins as stored in PCI_INTERRUPT_PIN. */
enum { PCI_PIN_NONE = 0, PCI_PIN_INTA, PCI_PIN_INTB, PCI_PIN_INTC, PCI_PIN_INTD };

typedef struct PCIBus PCIBus;
typedef struct PCIDevice PCIDevice;

typedef struct PCIBar {
    MemoryRegion *mr;           /* NULL: BAR not implemented */
    uint64_t size;              /* power of two, >= 16 (mem) / 4 (io) */
    uint8_t type;               /* PCI_BAR_* flags */
    uint64_t addr;              /* where it is mapped, or PCI_BAR_UNMAPPED */
} PCIBar;

typedef struct PCIDeviceClass {
    DeviceClass parent;
    uint16_t vendor_id, device_id;
    uint16_t subsystem_vendor_id, subsystem_id; /* 0: 1af4:1100 like QEMU */
    uint16_t class_id;          /* base class << 8 | subclass */
    uint8_t prog_if, revision;
    bool is_express;            /* 4 KiB config space */
    bool (*realize)(PCIDevice *dev, GError **errp);
    /* After the core reset the header, BARs, INTx and MSI/MSI-X. */
    void (*reset)(PCIDevice *dev);
    void (*exit)(PCIDevice *dev);
    /*
     * Overrides of config accesses (addr + len never crosses the config
     * space end; len is 1, 2 or 4). A write override normally calls
     * pci_default_write_config and reacts afterwards.
     */
    uint32_t (*config_read)(PCIDevice *dev, uint32_t addr, unsigned len);
    void (*config_write)(PCIDevice *dev, uint32_t addr, uint32_t val,
                         unsigned len);
} PCIDeviceClass;

/* The abstract base; every PCI device class descends from it. */
extern const DeviceClass pci_device_class;

/* Fields are read-only outside hw/pci, except config through the helpers. */
struct PCIDevice {
    DeviceState parent;
    /* properties */
    char *addr_prop;            /* "addr": SLOT[.FN] in hex; set on plug */
    bool multifunction;         /* "multifunction" */
    /* configuration space */
    uint32_t config_size;
    uint8_t *config;
    uint8_t *wmask;             /* bits the guest may write */
    uint8_t *w1cmask;           /* bits a guest write of 1 clears */
    uint8_t *used;              /* bytes claimed by capabilities */
    /* placement */
    PCIBus *bus;                /* while plugged */
    int devfn;                  /* -1 until plugged */
    PCIBar bars[PCI_NUM_REGIONS];
    /* INTx as driven by the device, before COMMAND.INTX_DISABLE */
    int intx_level;
    bool intx_counted;          /* contributes to the bus line count */
    /* MSI (msi.c) */
    uint8_t msi_cap;            /* 0: none */
    /* MSI-X (msix.c) */
    uint8_t msix_cap;           /* 0: none */
    uint16_t msix_entries;
    uint8_t *msix_table;        /* msix_entries * 16 bytes, little-endian */
    uint8_t *msix_pba;
    MemoryRegion msix_table_mr, msix_pba_mr;
    MemoryRegion *msix_table_bar, *msix_pba_bar;
    MemoryRegion msix_exclusive_bar;
    bool msix_has_exclusive_bar;
    bool msix_was_masked;       /* function masked or disabled, last seen */
};

static inline PCIDevice *PCI_DEVICE(DeviceState *dev)
{
    return (PCIDevice *)dev;
}

/* The leaf class of a PCI device. */
const PCIDeviceClass *pci_device_get_class(const PCIDevice *dev);

/* ---- configuration space ------------------------------------------- */

/* Little-endian helpers on config / wmask / w1cmask arrays. */
static inline void pci_set_byte(uint8_t *p, uint8_t v) { p[0] = v; }
static inline uint8_t pci_get_byte(const uint8_t *p) { return p[0]; }
static inline void pci_set_word(uint8_t *p, uint16_t v)
{
    p[0] = v;
    p[1] = v >> 8;
}
static inline uint16_t pci_get_word(const uint8_t *p)
{
    return p[0] | (uint16_t)p[1] << 8;
}
static inline void pci_set_long(uint8_t *p, uint32_t v)
{
    pci_set_word(p, v);
    pci_set_word(p + 2, v >> 16);
}
static inline uint32_t pci_get_long(const uint8_t *p)
{
    return pci_get_word(p) | (uint32_t)pci_get_word(p + 2) << 16;
}
static inline void pci_set_quad(uint8_t *p, uint64_t v)
{
    pci_set_long(p, v);
    pci_set_long(p + 4, v >> 32);
}
static inline uint64_t pci_get_quad(const uint8_t *p)
{
    return pci_get_long(p) | (uint64_t)pci_get_long(p + 4) << 32;
}

/*
 * Guest-side accesses (host bridges call these): the class override if
 * any, else the defaults. Out-of-range or misaligned-crossing accesses
 * read all-ones and ignore writes.
 */
uint32_t pci_config_read(PCIDevice *dev, uint32_t addr, unsigned len);
void pci_config_write(PCIDevice *dev, uint32_t addr, uint32_t val,
                      unsigned len);
/* Raw read of config bytes. */
uint32_t pci_default_read_config(PCIDevice *dev, uint32_t addr, unsigned len);
/*
 * Apply wmask / w1cmask, then react: BAR and COMMAND changes remap BARs,
 * INTX_DISABLE gates INTx, MSI and MSI-X control changes take effect.
 */
void pci_default_write_config(PCIDevice *dev, uint32_t addr, uint32_t val,
                              unsigned len);

/* 1..4 for INTA..INTD, 0 for none (the default). Call from realize. */
void pci_set_interrupt_pin(PCIDevice *dev, uint8_t pin);

/*
 * Link a capability of size bytes at offset (0: the first free
 * dword-aligned space at or above 0x40). Only id and next are written;
 * the caller fills the body and its wmask. Returns the offset, or 0 with
 * errp set ("PCI: capability 0x05 at 0x40 overlaps ..." style, one line).
 */
uint8_t pci_add_capability(PCIDevice *dev, uint8_t cap_id, uint8_t offset,
                           uint8_t size, GError **errp);
/* Unlink and release; the bytes read as zero again. */
void pci_del_capability(PCIDevice *dev, uint8_t cap_id, uint8_t size);
/* Offset of the first capability with cap_id, 0 if absent. */
uint8_t pci_find_capability(PCIDevice *dev, uint8_t cap_id);
/*
 * PCI Express extended capability (config space >= 0x100) of size bytes at
 * offset (0: next free after the last one). Returns offset or 0 + errp.
 */
uint16_t pcie_add_ext_capability(PCIDevice *dev, uint16_t cap_id,
                                 uint8_t version, uint16_t offset,
                                 uint16_t size, GError **errp);
uint16_t pcie_find_ext_capability(PCIDevice *dev, uint16_t cap_id);

/* ---- BARs ---------------------------------------------------------- */

/*
 * Declare BAR n (0..5, or PCI_ROM_SLOT for the expansion ROM) backed by mr
 * (whose size, rounded up to a power of two, is the BAR size). type is
 * PCI_BAR_IO or PCI_BAR_MEM32 / PCI_BAR_MEM64, optionally | PCI_BAR_PREFETCH;
 * a 64-bit BAR also occupies slot n + 1. Call from realize. mr stays the
 * device's; the core maps and unmaps it as the guest programs the BAR.
 */
void pci_register_bar(PCIDevice *dev, int n, uint8_t type, MemoryRegion *mr);
/* Unmap BAR n and forget it (the register reads 0 again). */
void pci_unregister_bar(PCIDevice *dev, int n);
/* Current address of BAR n, PCI_BAR_UNMAPPED when not decoded. */
uint64_t pci_bar_address(PCIDevice *dev, int n);
/* Re-evaluate every BAR against config space (after a raw config poke). */
void pci_update_mappings(PCIDevice *dev);

/* ---- INTx ---------------------------------------------------------- */

/* Drive the device's pin (level-triggered). Ignored without a pin. */
void pci_set_irq(PCIDevice *dev, int level);
static inline void pci_irq_assert(PCIDevice *dev)
{
    pci_set_irq(dev, 1);
}
static inline void pci_irq_deassert(PCIDevice *dev)
{
    pci_set_irq(dev, 0);
}
/* Pulse for devices with edge-like semantics. */
static inline void pci_irq_pulse(PCIDevice *dev)
{
    pci_set_irq(dev, 1);
    pci_set_irq(dev, 0);
}

/* ---- MSI delivery (shared by msi.c and msix.c) --------------------- */

/*
 * Send one MSI: through the bus's hook if one is installed, else as a
 * 4-byte little-endian write of data at addr in the bus-master address
 * space. Dropped (guest error) while COMMAND.MASTER is clear.
 */
void pci_msi_send(PCIDevice *dev, uint64_t addr, uint32_t data);
/* Bus << 8 | devfn, the requester id an ITS or IOMMU keys on. */
uint16_t pci_requester_id(PCIDevice *dev);

/* ---- Buses --------------------------------------------------------- */

/* (slot pin 0..3 = INTA..INTD) -> index of the host line. */
typedef int (*PCIMapIrqFn)(void *opaque, PCIDevice *dev, int pin);
/* Fast-path MSI delivery: addr/data as programmed by the guest. */
typedef void (*PCIMsiDeliverFn)(void *opaque, uint64_t addr, uint32_t data,
                                uint16_t requester_id);

struct PCIBus {
    BusState *qbus;             /* type "PCI"; qbus->opaque is this */
    uint8_t bus_num;
    PCIDevice *devices[PCI_DEVFN_MAX];
    uint32_t slot_reserved_mask;    /* slots -device may not use */
    MemoryRegion *mem;          /* where memory BARs are mapped */
    MemoryRegion *io;           /* where I/O BARs are mapped */
    AddressSpace *dma_as;       /* bus-master space: MSI writes, DMA */
    PCIMapIrqFn map_irq;
    void *map_irq_opaque;
    IrqLine **irqs;             /* the host's lines, not owned */
    int nirq;
    int *irq_count;             /* assertions per line */
    uint8_t *intx_line;         /* PCI_INTERRUPT_LINE per host line */
    PCIMsiDeliverFn msi_fn;
    void *msi_opaque;
};

/*
 * A root bus owned by parent (the host bridge device), named name ("pci.0"),
 * mapping BARs into mem and io (containers the host bridge owns or system
 * I/O). Bus-master accesses go to address_space_memory() until changed.
 * Free with pci_bus_free after the owning device freed its child buses, or
 * before it is realized.
 */
PCIBus *pci_bus_new(DeviceState *parent, const char *name, MemoryRegion *mem,
                    MemoryRegion *io);
/* Frees devices still on the bus, the BusState and the PCIBus. */
void pci_bus_free(PCIBus *bus);
/* The PCIBus of a BusState of type "PCI", else NULL. */
PCIBus *pci_bus_from_qbus(BusState *qbus);
static inline PCIBus *pci_get_bus(const PCIDevice *dev)
{
    return dev->bus;
}
/* Wire INTx: map_irq(opaque, dev, pin) picks one of nirq lines. */
void pci_bus_set_irqs(PCIBus *bus, PCIMapIrqFn map_irq, void *opaque,
                      IrqLine **irqs, int nirq);
/*
 * What firmware would program into PCI_INTERRUPT_LINE for devices whose pin
 * maps to host line n (lines[n], n < nirq); applied at realize and reset.
 */
void pci_bus_set_intx_lines(PCIBus *bus, const uint8_t *lines, int n);
/* Install (or clear with NULL) the fast-path MSI delivery. */
void pci_set_msi_delivery(PCIBus *bus, PCIMsiDeliverFn fn, void *opaque);
void pci_bus_set_dma_as(PCIBus *bus, AddressSpace *as);
/* Total assertions currently counted on host line n (tests, debugging). */
int pci_bus_irq_count(PCIBus *bus, int n);
/* The function at devfn, NULL if none. */
PCIDevice *pci_bus_find_device(PCIBus *bus, int devfn);
/* (pin + slot) % 4: the standard swizzle, pin 0..3. */
int pci_swizzle_map_irq(void *opaque, PCIDevice *dev, int pin);

/*
 * Parse QEMU's addr= syntax: SLOT[.FN] in hex ("3", "0x3", "04.1"), slot
 * 0..31, function 0..7. Returns the devfn or -1 with errp set.
 */
int pci_parse_devfn(const char *str, GError **errp);

/*
 * Create and realize a PCI device of class name on bus at devfn (-1: first
 * free slot). Board helper; errors name the device.
 */
PCIDevice *pci_create_simple(PCIBus *bus, int devfn, const char *name,
                             GError **errp);

/* Internal to hw/pci: INTx accounting and the interrupt line hint. */
void pci_bus_change_irq_level(PCIBus *bus, PCIDevice *dev, int pin, int delta);
void pci_bus_apply_intx_line(PCIBus *bus, PCIDevice *dev);
/* Free the PCIBus struct after its BusState went with the owning device. */
void pci_bus_release(PCIBus *bus);

/* ---- Monitor ------------------------------------------------------- */

/* Every PCI device under the main system bus, bus by bus, devfn order. */
void pci_foreach_device(void (*fn)(PCIBus *bus, PCIDevice *dev, void *opaque),
                        void *opaque);
/* "Ethernet controller", or NULL for a class with no name. */
const char *pci_class_description(uint16_t class_id);
/* `info pci` in QEMU's layout. */
void pci_print_info(GString *out);

/* Register the PCI device classes (host bridges, pci-testdev); idempotent. */
void hw_pci_register_devices(void);

#endif
