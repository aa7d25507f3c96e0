/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The pc host bridge: configuration mechanism #1 through ports 0xCF8
 * (address) and 0xCFC-0xCFF (data), I/O BARs straight in the system I/O
 * space, memory BARs in a PCI memory container shown through windows, and
 * the i440FX function at 00.0 with QEMU's ids so guests recognise the
 * chipset. PAM and SMRAM registers are writable and reported to the machine
 * through the config hook; the host itself does not remap BIOS shadows.
 *
 * Ports 0xCF8-0xCFB decode by access size, as on a PIIX: a dword at 0xCF8
 * is the address latch, a byte at 0xCF9 is the reset control register
 * (RCR). The memory API decodes by address only, so the index region
 * claims all four ports above any other mapping and implements the RCR
 * itself; a separate device at 0xCF9 would split every dword write to the
 * latch and see its second byte as a reset request.
 */
#include <string.h>

#include "hw/pci/pci_host.h"
#include "system/runstate.h"
#include "util/error.h"
#include "util/log.h"

#define CF8_ENABLE          0x80000000u
#define I440FX_PAM          0x59    /* PAM0..PAM6: 0x59-0x5f */
#define I440FX_PAM_COUNT    7
#define I440FX_SMRAM        0x72
#define I440FX_SMRAM_RESET  0x02
#define RCR_OFFSET          1       /* 0xCF9 */
#define RCR_SYS_RST         0x02
#define RCR_RST_CPU         0x04
/* Above the 0xCF9 reset-control device, should a board map one too. */
#define CF8_INDEX_PRIORITY  2

typedef struct PCIHostCF8State {
    PCIHostState parent;
    uint8_t rcr;
} PCIHostCF8State;

/* ---- ports 0xCF8 / 0xCFC -------------------------------------------- */

static uint64_t all_ones(unsigned size)
{
    return size >= 8 ? UINT64_MAX : (1ull << (8 * size)) - 1;
}

/* A dword at 0xCF8 is the address latch; a byte at 0xCF9 the PIIX RCR. */
static uint64_t cf8_index_read(void *opaque, uint64_t addr, unsigned size)
{
    PCIHostState *h = opaque;

    if (addr == 0 && size == 4) {
        return h->config_addr;
    }
    if (addr == RCR_OFFSET && size == 1) {
        return ((PCIHostCF8State *)h)->rcr;
    }
    return all_ones(size);
}

static void cf8_index_write(void *opaque, uint64_t addr, uint64_t val,
                            unsigned size)
{
    PCIHostState *h = opaque;
    PCIHostCF8State *s = opaque;

    if (addr == 0 && size == 4) {
        h->config_addr = val;
    } else if (addr == RCR_OFFSET && size == 1) {
        /* SYS_RST only picks hard or soft reset; both are a system reset. */
        s->rcr = val & RCR_SYS_RST;
        if (val & RCR_RST_CPU) {
            request_reset(SHUTDOWN_CAUSE_GUEST_RESET);
        }
    }
}

static const MemoryRegionOps cf8_index_ops = {
    .read = cf8_index_read,
    .write = cf8_index_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
};

static bool cf8_decode(PCIHostState *h, uint64_t addr, uint8_t *bus_num,
                       uint8_t *devfn, uint32_t *reg)
{
    uint32_t ca = h->config_addr;

    if (!(ca & CF8_ENABLE)) {
        return false;
    }
    *bus_num = (ca >> 16) & 0xff;
    *devfn = (ca >> 8) & 0xff;
    *reg = (ca & 0xfc) + addr;
    return true;
}

static uint64_t cf8_data_read(void *opaque, uint64_t addr, unsigned size)
{
    PCIHostState *h = opaque;
    uint8_t bus_num, devfn;
    uint32_t reg;

    if (!cf8_decode(h, addr, &bus_num, &devfn, &reg)) {
        return all_ones(size);
    }
    return pci_host_config_read(h->bus, bus_num, devfn, reg, size);
}

static void cf8_data_write(void *opaque, uint64_t addr, uint64_t val,
                           unsigned size)
{
    PCIHostState *h = opaque;
    uint8_t bus_num, devfn;
    uint32_t reg;

    if (cf8_decode(h, addr, &bus_num, &devfn, &reg)) {
        pci_host_config_write(h->bus, bus_num, devfn, reg, val, size);
    }
}

static const MemoryRegionOps cf8_data_ops = {
    .read = cf8_data_read,
    .write = cf8_data_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4, .unaligned = true },
    .impl = { .min_access_size = 1, .max_access_size = 4, .unaligned = true },
};

/* ---- the host device ------------------------------------------------ */

/* PIIX routing: slot 1 pin A is PIRQA... each slot rotated by one. */
static int piix_map_irq(void *opaque, PCIDevice *dev, int pin)
{
    PCIBus *bus = opaque;
    int n = (int)PCI_SLOT(dev->devfn) - 1 + pin;

    return ((n % bus->nirq) + bus->nirq) % bus->nirq;
}

static bool cf8_realize(DeviceState *d, GError **errp)
{
    PCIHostState *h = (PCIHostState *)d;
    PCIHostCF8Config *cfg = h->cfg;
    MemoryRegion *io;
    bool any_line = false;

    if (!cfg) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "create it with pci_host_cf8_create");
        return false;
    }
    if (cfg->nirq < 0 || (cfg->nirq && !cfg->irqs)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "bad INTx line count %d", cfg->nirq);
        return false;
    }
    h->system_mem = cfg->system_mem ? cfg->system_mem : get_system_memory();
    io = cfg->system_io ? cfg->system_io : get_system_io();

    memory_region_init(&h->mem_space, "pci", UINT64_MAX);
    memory_region_transaction_begin();
    if (!cfg->mem32_size && !cfg->mem64_size) {
        pci_host_add_window(h, "pci-memory", &h->mem_space, 0, UINT64_MAX, 0,
                            -1);
    }
    if (cfg->mem32_size) {
        pci_host_add_window(h, "pci-hole", &h->mem_space, cfg->mem32_base,
                            cfg->mem32_size, cfg->mem32_base, -1);
    }
    if (cfg->mem64_size) {
        pci_host_add_window(h, "pci-hole64", &h->mem_space, cfg->mem64_base,
                            cfg->mem64_size, cfg->mem64_base, -1);
    }
    pci_host_add_conf(h, io, 0xcf8, &cf8_index_ops, "pci-conf-idx", 4);
    memory_region_del_subregion(io, &h->conf_regions[0]);
    memory_region_add_subregion_overlap(io, 0xcf8, &h->conf_regions[0],
                                        CF8_INDEX_PRIORITY);
    pci_host_add_conf(h, io, 0xcfc, &cf8_data_ops, "pci-conf-data", 4);
    memory_region_transaction_commit();

    h->bus = pci_bus_new(d, NULL, &h->mem_space, io);
    if (cfg->map_irq) {
        pci_bus_set_irqs(h->bus, cfg->map_irq, cfg->map_irq_opaque, cfg->irqs,
                         cfg->nirq);
    } else {
        pci_bus_set_irqs(h->bus, piix_map_irq, h->bus, cfg->irqs, cfg->nirq);
    }
    for (int i = 0; i < 4; i++) {
        any_line |= cfg->intx_line[i] != 0;
    }
    if (any_line && cfg->nirq) {
        pci_bus_set_intx_lines(h->bus, cfg->intx_line, MIN(cfg->nirq, 4));
    }
    h->config_hook = cfg->config_hook;
    h->config_hook_opaque = cfg->config_hook_opaque;
    h->host_fn = pci_create_simple(h->bus, 0, TYPE_PCI_HOST_CF8_FN, errp);
    return h->host_fn != NULL;
}

const DeviceClass pci_host_cf8_class = {
    .name = TYPE_PCI_HOST_CF8,
    .desc = "i440FX PCI host bridge (configuration mechanism #1)",
    .parent = &pci_host_bridge_class,
    .instance_size = sizeof(PCIHostCF8State),
    .category = DEVICE_CATEGORY_BRIDGE,
    .realize = cf8_realize,
};

PCIBus *pci_host_cf8_create(const PCIHostCF8Config *cfg, GError **errp)
{
    DeviceState *d = device_new(TYPE_PCI_HOST_CF8, errp);
    PCIHostState *h;

    if (!d) {
        return NULL;
    }
    h = (PCIHostState *)d;
    h->cfg = g_memdup2(cfg, sizeof(*cfg));
    if (!device_realize(d, sysbus_get(), errp)) {
        device_free(d);
        return NULL;
    }
    return h->bus;
}

/* ---- the i440FX function at 00.0 ------------------------------------ */

static void i440fx_init_regs(PCIDevice *dev)
{
    memset(dev->config + I440FX_PAM, 0, I440FX_PAM_COUNT);
    dev->config[I440FX_SMRAM] = I440FX_SMRAM_RESET;
}

static bool i440fx_realize(PCIDevice *dev, GError **errp)
{
    memset(dev->wmask + I440FX_PAM, 0xff, I440FX_PAM_COUNT);
    dev->wmask[I440FX_SMRAM] = 0xff;
    i440fx_init_regs(dev);
    return true;
}

static void i440fx_reset(PCIDevice *dev)
{
    i440fx_init_regs(dev);
}

static void i440fx_config_write(PCIDevice *dev, uint32_t addr, uint32_t val,
                                unsigned len)
{
    PCIHostState *h = pci_host_from_bus(dev->bus);

    pci_default_write_config(dev, addr, val, len);
    if (h->config_hook) {
        h->config_hook(h->config_hook_opaque, dev, addr, len);
    }
}

const PCIDeviceClass pci_host_cf8_fn_class = {
    .parent = {
        .name = TYPE_PCI_HOST_CF8_FN,
        .desc = "Intel 440FX host bridge function",
        .parent = &pci_device_class,
        .instance_size = sizeof(PCIDevice),
        .category = DEVICE_CATEGORY_BRIDGE,
    },
    .vendor_id = PCI_VENDOR_ID_INTEL,
    .device_id = PCI_DEVICE_ID_INTEL_82441,
    .revision = 0x02,
    .class_id = PCI_CLASS_BRIDGE_HOST,
    .realize = i440fx_realize,
    .reset = i440fx_reset,
    .config_write = i440fx_config_write,
};
