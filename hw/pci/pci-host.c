/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What every PCI host bridge shares: decoding a (bus, devfn, register)
 * config access onto the right function, the PCI memory space container
 * and the windows that show it in system memory, the tear-down of all
 * that, and the registration of the PCI device classes.
 */
#include <string.h>

#include "hw/pci/pci_host.h"
#include "util/error.h"
#include "util/log.h"

extern const DeviceClass pci_host_cf8_class;
extern const PCIDeviceClass pci_host_cf8_fn_class;
extern const DeviceClass pci_host_ecam_class;
extern const PCIDeviceClass pci_host_ecam_fn_class;
extern const PCIDeviceClass pci_testdev_class;

PCIHostState *pci_host_from_bus(PCIBus *bus)
{
    return (PCIHostState *)bus->qbus->parent;
}

static PCIDevice *host_find(PCIBus *bus, uint8_t bus_num, uint8_t devfn)
{
    if (bus_num != bus->bus_num) {
        return NULL;
    }
    /* Functions other than 0 exist for software only behind function 0. */
    if (PCI_FUNC(devfn) && !bus->devices[PCI_DEVFN(PCI_SLOT(devfn), 0)]) {
        return NULL;
    }
    return bus->devices[devfn];
}

uint32_t pci_host_config_read(PCIBus *bus, uint8_t bus_num, uint8_t devfn,
                              uint32_t reg, unsigned len)
{
    PCIDevice *dev = host_find(bus, bus_num, devfn);

    if (!dev) {
        return len >= 4 ? UINT32_MAX : (1u << (8 * len)) - 1;
    }
    return pci_config_read(dev, reg, len);
}

void pci_host_config_write(PCIBus *bus, uint8_t bus_num, uint8_t devfn,
                           uint32_t reg, uint32_t val, unsigned len)
{
    PCIDevice *dev = host_find(bus, bus_num, devfn);

    if (dev) {
        pci_config_write(dev, reg, val, len);
    }
}

/* ---- shared plumbing for the host classes --------------------------- */

void pci_host_add_window(PCIHostState *h, const char *name,
                         MemoryRegion *space, uint64_t offset, uint64_t size,
                         uint64_t cpu_addr, int priority)
{
    MemoryRegion *w;

    g_assert(h->nwindows < PCI_HOST_MAX_WINDOWS);
    w = &h->windows[h->nwindows++];
    memory_region_init_alias(w, name, space, offset, size);
    memory_region_add_subregion_overlap(h->system_mem, cpu_addr, w, priority);
}

void pci_host_add_conf(PCIHostState *h, MemoryRegion *container, uint64_t addr,
                       const MemoryRegionOps *ops, const char *name,
                       uint64_t size)
{
    MemoryRegion *mr;

    g_assert(h->nconf < 2);
    mr = &h->conf_regions[h->nconf];
    h->conf_container[h->nconf++] = container;
    memory_region_init_io(mr, ops, h, name, size);
    memory_region_add_subregion(container, addr, mr);
}

/* Undo the host's mappings; the bus and its devices are gone already. */
static void pci_host_unmap(PCIHostState *h)
{
    memory_region_transaction_begin();
    for (int i = 0; i < h->nwindows; i++) {
        memory_region_del_subregion(h->system_mem, &h->windows[i]);
    }
    for (int i = 0; i < h->nconf; i++) {
        memory_region_del_subregion(h->conf_container[i], &h->conf_regions[i]);
    }
    memory_region_transaction_commit();
    for (int i = 0; i < h->nwindows; i++) {
        memory_region_destroy(&h->windows[i]);
    }
    for (int i = 0; i < h->nconf; i++) {
        memory_region_destroy(&h->conf_regions[i]);
    }
    h->nwindows = h->nconf = 0;
}

static void pci_host_unrealize(DeviceState *d)
{
    pci_host_unmap((PCIHostState *)d);
}

static void pci_host_instance_finalize(DeviceState *d)
{
    PCIHostState *h = (PCIHostState *)d;

    /* Realize failures leave mappings behind for us to drop. */
    pci_host_unmap(h);
    if (h->mem_space.kind != MR_KIND_NONE) {
        memory_region_destroy(&h->mem_space);
    }
    if (h->io_space.kind != MR_KIND_NONE) {
        memory_region_destroy(&h->io_space);
    }
    pci_bus_release(h->bus);
    g_free(h->cfg);
}

const DeviceClass pci_host_bridge_class = {
    .name = "pci-host-bridge",
    .desc = "PCI host bridge",
    .instance_size = sizeof(PCIHostState),
    .category = DEVICE_CATEGORY_BRIDGE,
    .unrealize = pci_host_unrealize,
    .instance_finalize = pci_host_instance_finalize,
};

void hw_pci_register_devices(void)
{
    /* Idempotent, and again usable after device_class_registry_clear. */
    if (device_class_find(TYPE_PCI_HOST_CF8) == &pci_host_cf8_class) {
        return;
    }
    device_class_register(&pci_host_cf8_class);
    device_class_register(&pci_host_cf8_fn_class.parent);
    device_class_register(&pci_host_ecam_class);
    device_class_register(&pci_host_ecam_fn_class.parent);
    device_class_register(&pci_testdev_class.parent);
}
