/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The generic ECAM host bridge of the virt machine (QEMU's "gpex"): config
 * space memory-mapped as bus << 20 | devfn << 12 | register, MMIO windows
 * where CPU and PCI addresses are equal, PCI I/O space shown as MMIO at
 * pio_base, and INTx swizzled over four lines. The machine builds its
 * device-tree node from pci_host_ecam_fdt_info.
 */
#include <string.h>

#include "hw/pci/pci_host.h"
#include "util/error.h"

#define ECAM_BUS_SHIFT  20
#define ECAM_BUS_SIZE   (1u << ECAM_BUS_SHIFT)

static uint64_t ecam_read(void *opaque, uint64_t addr, unsigned size)
{
    PCIHostState *h = opaque;

    return pci_host_config_read(h->bus, addr >> ECAM_BUS_SHIFT,
                                (addr >> 12) & 0xff, addr & 0xfff, size);
}

static void ecam_write(void *opaque, uint64_t addr, uint64_t val,
                       unsigned size)
{
    PCIHostState *h = opaque;

    pci_host_config_write(h->bus, addr >> ECAM_BUS_SHIFT, (addr >> 12) & 0xff,
                          addr & 0xfff, val, size);
}

static const MemoryRegionOps ecam_ops = {
    .read = ecam_read,
    .write = ecam_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
};

static bool ecam_realize(DeviceState *d, GError **errp)
{
    PCIHostState *h = (PCIHostState *)d;
    PCIHostECAMConfig *cfg = h->cfg;
    MemoryRegion *io = NULL;

    if (!cfg) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "create it with pci_host_ecam_create");
        return false;
    }
    if (cfg->ecam_size < ECAM_BUS_SIZE || cfg->ecam_size > 256ull * ECAM_BUS_SIZE ||
        (cfg->ecam_size % ECAM_BUS_SIZE)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "ECAM size 0x%" G_GINT64_MODIFIER "x is not 1 to 256 MiB "
                    "in whole MiB", cfg->ecam_size);
        return false;
    }
    if (cfg->pio_size > 0x10000 * 256ull) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "PCI I/O window of 0x%" G_GINT64_MODIFIER "x bytes is too "
                    "large", cfg->pio_size);
        return false;
    }
    h->system_mem = cfg->system_mem ? cfg->system_mem : get_system_memory();
    memory_region_init(&h->mem_space, "gpex-mmio-window", UINT64_MAX);
    if (cfg->pio_size) {
        memory_region_init(&h->io_space, "gpex-ioport-window", cfg->pio_size);
        io = &h->io_space;
    }
    memory_region_transaction_begin();
    pci_host_add_conf(h, h->system_mem, cfg->ecam_base, &ecam_ops, "pcie-ecam",
                      cfg->ecam_size);
    if (cfg->mmio32_size) {
        pci_host_add_window(h, "pcie-mmio", &h->mem_space, cfg->mmio32_base,
                            cfg->mmio32_size, cfg->mmio32_base, 0);
    }
    if (cfg->mmio64_size) {
        pci_host_add_window(h, "pcie-mmio-high", &h->mem_space,
                            cfg->mmio64_base, cfg->mmio64_size,
                            cfg->mmio64_base, 0);
    }
    if (io) {
        pci_host_add_window(h, "pcie-pio", io, 0, cfg->pio_size,
                            cfg->pio_base, 0);
    }
    memory_region_transaction_commit();

    h->bus = pci_bus_new(d, "pcie.0", &h->mem_space, io);
    pci_bus_set_irqs(h->bus, pci_swizzle_map_irq, NULL, cfg->irqs, 4);
    h->host_fn = pci_create_simple(h->bus, 0, TYPE_PCI_HOST_ECAM_FN, errp);
    return h->host_fn != NULL;
}

const DeviceClass pci_host_ecam_class = {
    .name = TYPE_PCI_HOST_ECAM,
    .desc = "Generic PCI Express host bridge (ECAM)",
    .parent = &pci_host_bridge_class,
    .instance_size = sizeof(PCIHostState),
    .category = DEVICE_CATEGORY_BRIDGE,
    .realize = ecam_realize,
};

PCIBus *pci_host_ecam_create(const PCIHostECAMConfig *cfg, GError **errp)
{
    DeviceState *d = device_new(TYPE_PCI_HOST_ECAM, errp);
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

void pci_host_ecam_fdt_info(PCIBus *bus, PCIHostECAMFdtInfo *info)
{
    PCIHostState *h = pci_host_from_bus(bus);
    const PCIHostECAMConfig *cfg = h->cfg;
    PCIHostFdtRange *r;

    memset(info, 0, sizeof(*info));
    info->ecam_base = cfg->ecam_base;
    info->ecam_size = cfg->ecam_size;
    info->bus_start = 0;
    info->bus_end = (cfg->ecam_size >> ECAM_BUS_SHIFT) - 1;
    if (cfg->pio_size) {
        r = &info->ranges[info->nranges++];
        *r = (PCIHostFdtRange){ PCI_FDT_SPACE_IO, 0, cfg->pio_base,
                                cfg->pio_size };
    }
    if (cfg->mmio32_size) {
        r = &info->ranges[info->nranges++];
        *r = (PCIHostFdtRange){ PCI_FDT_SPACE_MEM32, cfg->mmio32_base,
                                cfg->mmio32_base, cfg->mmio32_size };
    }
    if (cfg->mmio64_size) {
        r = &info->ranges[info->nranges++];
        *r = (PCIHostFdtRange){ PCI_FDT_SPACE_MEM64, cfg->mmio64_base,
                                cfg->mmio64_base, cfg->mmio64_size };
    }
    /* The swizzle repeats every four slots, so the mask keeps slot bits 0-1. */
    for (unsigned slot = 0; slot < 4; slot++) {
        for (unsigned pin = 0; pin < 4; pin++) {
            PCIHostFdtIrqMap *m = &info->irq_map[info->nirq_map++];
            m->child_hi = PCI_DEVFN(slot, 0) << 8;
            m->pin = pin + 1;
            m->line = (pin + slot) % 4;
        }
    }
    info->irq_map_mask[0] = PCI_DEVFN(3, 0) << 8;
    info->irq_map_mask[1] = 0;
    info->irq_map_mask[2] = 0;
    info->irq_map_mask[3] = 7;
}

/* ---- the host function at 00.0 -------------------------------------- */

const PCIDeviceClass pci_host_ecam_fn_class = {
    .parent = {
        .name = TYPE_PCI_HOST_ECAM_FN,
        .desc = "Generic PCIe host bridge function",
        .parent = &pci_device_class,
        .instance_size = sizeof(PCIDevice),
        .category = DEVICE_CATEGORY_BRIDGE,
    },
    .vendor_id = PCI_VENDOR_ID_REDHAT,
    .device_id = PCI_DEVICE_ID_REDHAT_PCIE_HOST,
    .class_id = PCI_CLASS_BRIDGE_HOST,
};
