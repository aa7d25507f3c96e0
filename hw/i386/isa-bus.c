/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ISA bus and the bridge device that owns it. ISA has no addressing to
 * negotiate, so the bus only carries the 16 interrupt lines; devices map
 * their own ports with device_init_pio/device_pio_map.
 */
#include <string.h>

#include "hw/i386/isa.h"
#include "util/error.h"

typedef struct IsaBridge {
    DeviceState parent;
    BusState *bus;
    IrqLine *irqs[ISA_BRIDGE_NUM_LINES];
} IsaBridge;

static bool isabus_bridge_realize(DeviceState *dev, GError **errp)
{
    IsaBridge *b = (IsaBridge *)dev;

    b->bus = bus_new(BUS_TYPE_ISA, NULL, dev);
    b->bus->opaque = b;
    return true;
}

const DeviceClass isabus_bridge_class = {
    .name = TYPE_ISABUS_BRIDGE,
    .desc = "ISA bus bridge",
    .instance_size = sizeof(IsaBridge),
    .category = DEVICE_CATEGORY_BRIDGE,
    .bus_type = BUS_TYPE_SYSTEM,
    .realize = isabus_bridge_realize,
};

DeviceState *isa_bridge_create(IrqLine *const *irqs, unsigned nirqs, GError **errp)
{
    DeviceState *dev = device_new(TYPE_ISABUS_BRIDGE, errp);
    IsaBridge *b = (IsaBridge *)dev;

    if (!dev) {
        return NULL;
    }
    if (!device_realize(dev, NULL, errp)) {
        device_free(dev);
        return NULL;
    }
    for (unsigned i = 0; i < ISA_BRIDGE_NUM_LINES; i++) {
        b->irqs[i] = irqs && i < nirqs ? irqs[i] : NULL;
    }
    return dev;
}

BusState *isa_bridge_bus(DeviceState *bridge)
{
    return ((IsaBridge *)bridge)->bus;
}

IrqLine *isa_get_irq(DeviceState *dev, unsigned n)
{
    BusState *bus = dev->parent_bus;
    IsaBridge *b;

    g_assert(bus && !strcmp(bus->type, BUS_TYPE_ISA));
    b = bus->opaque;
    return n < ISA_BRIDGE_NUM_LINES ? b->irqs[n] : NULL;
}

unsigned isa_count_siblings(DeviceState *dev, const char *name)
{
    BusState *bus = dev->parent_bus;
    unsigned n = 0;

    for (guint i = 0; bus && i < bus->children->len; i++) {
        DeviceState *d = bus->children->pdata[i];
        if (d != dev && device_is_a(d, name)) {
            n++;
        }
    }
    return n;
}
