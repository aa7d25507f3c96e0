/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * query-pci: every bus under the main system bus with its functions, in
 * QEMU's PciInfo shape (ids, class, IRQ pin, BARs), read from config space
 * and the BAR table through the PCI layer's public API. Linked into the
 * binary only, so the PCI library does not depend on the monitor.
 */
#include "monitor/qmp.h"

#include "hw/pci/pci.h"

typedef struct PciQmpWalk {
    JsonArray *buses;
    PCIBus *cur;
    JsonArray *cur_devices;
} PciQmpWalk;

static JsonArray *pci_qmp_regions(PCIDevice *dev)
{
    JsonArray *regions = json_array_new();

    for (int n = 0; n < PCI_NUM_REGIONS; n++) {
        PCIBar *bar = &dev->bars[n];
        JsonObject *r;

        if (!bar->mr) {
            continue;
        }
        r = json_object_new();
        json_object_set_int_member(r, "bar", n);
        if (bar->type & PCI_BAR_IO) {
            json_object_set_string_member(r, "type", "io");
        } else {
            json_object_set_string_member(r, "type", "memory");
            json_object_set_boolean_member(r, "prefetch", (bar->type & PCI_BAR_PREFETCH) != 0);
            json_object_set_boolean_member(r, "mem_type_64", (bar->type & PCI_BAR_MEM64) != 0);
        }
        /* Unmapped BARs read as all ones, like QEMU's -1. */
        json_object_set_int_member(r, "address", (gint64)bar->addr);
        json_object_set_int_member(r, "size", (gint64)bar->size);
        json_array_add_object_element(regions, r);
    }
    return regions;
}

static void pci_qmp_add_device(PCIBus *bus, PCIDevice *dev, void *opaque)
{
    PciQmpWalk *w = opaque;
    const uint8_t *c = dev->config;
    uint16_t class_id = pci_get_word(c + PCI_CLASS_DEVICE);
    const char *desc = pci_class_description(class_id);
    JsonObject *o = json_object_new();
    JsonObject *cls = json_object_new();
    JsonObject *id = json_object_new();

    if (bus != w->cur) {
        JsonObject *b = json_object_new();

        w->cur = bus;
        w->cur_devices = json_array_new();
        json_object_set_int_member(b, "bus", bus->bus_num);
        json_object_set_array_member(b, "devices", w->cur_devices);
        json_array_add_object_element(w->buses, b);
    }
    json_object_set_int_member(o, "bus", bus->bus_num);
    json_object_set_int_member(o, "slot", PCI_SLOT(dev->devfn));
    json_object_set_int_member(o, "function", PCI_FUNC(dev->devfn));
    if (desc) {
        json_object_set_string_member(cls, "desc", desc);
    }
    json_object_set_int_member(cls, "class", class_id);
    json_object_set_object_member(o, "class_info", cls);
    json_object_set_int_member(id, "device", pci_get_word(c + PCI_DEVICE_ID));
    json_object_set_int_member(id, "vendor", pci_get_word(c + PCI_VENDOR_ID));
    json_object_set_int_member(id, "subsystem", pci_get_word(c + PCI_SUBSYSTEM_ID));
    json_object_set_int_member(id, "subsystem-vendor",
                               pci_get_word(c + PCI_SUBSYSTEM_VENDOR_ID));
    json_object_set_object_member(o, "id", id);
    if (c[PCI_INTERRUPT_PIN]) {
        json_object_set_int_member(o, "irq", c[PCI_INTERRUPT_LINE]);
    }
    json_object_set_int_member(o, "irq_pin", c[PCI_INTERRUPT_PIN]);
    json_object_set_string_member(o, "qdev_id", dev->parent.id ? dev->parent.id : "");
    json_object_set_array_member(o, "regions", pci_qmp_regions(dev));
    json_array_add_object_element(w->cur_devices, o);
}

static bool qmp_query_pci(JsonObject *args, JsonNode **ret, GError **errp)
{
    PciQmpWalk w = { .buses = json_array_new() };

    pci_foreach_device(pci_qmp_add_device, &w);
    *ret = json_node_new(JSON_NODE_ARRAY);
    json_node_take_array(*ret, w.buses);
    return true;
}

void pci_qmp_register(void)
{
    qmp_register_command("query-pci", qmp_query_pci, NULL);
}
