/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Buses: typed, named attachment points owned by a device (or the root
 * main system bus). A bus owns the realized devices plugged into it, so
 * freeing a bus frees its subtree. Names are registered for bus= lookups.
 */
#include <string.h>

#include "hw/core/device.h"

static BusState *sysbus_root;
static GHashTable *bus_names;           /* name -> BusState */

static bool bus_name_taken(const char *name)
{
    return bus_names && g_hash_table_contains(bus_names, name);
}

BusState *bus_new(const char *type, const char *name, DeviceState *parent)
{
    BusState *bus = g_new0(BusState, 1);

    g_assert(type && *type);
    if (!bus_names) {
        bus_names = g_hash_table_new(g_str_hash, g_str_equal);
    }
    if (name) {
        g_assert(!bus_name_taken(name));
        bus->name = g_strdup(name);
    } else {
        g_autofree char *prefix = g_ascii_strdown(type, -1);
        for (unsigned n = 0; !bus->name; n++) {
            g_autofree char *cand = g_strdup_printf("%s.%u", prefix, n);
            if (!bus_name_taken(cand)) {
                bus->name = g_steal_pointer(&cand);
            }
        }
    }
    bus->type = g_strdup(type);
    bus->parent = parent;
    bus->children = g_ptr_array_new();
    g_hash_table_insert(bus_names, bus->name, bus);
    if (parent) {
        g_ptr_array_add(parent->child_buses, bus);
    }
    return bus;
}

void bus_set_ops(BusState *bus, const BusOps *ops, void *opaque)
{
    bus->ops = ops;
    bus->opaque = opaque;
}

void bus_free(BusState *bus)
{
    if (!bus) {
        return;
    }
    /* Last plugged first, mirroring creation order. */
    while (bus->children->len) {
        device_free(bus->children->pdata[bus->children->len - 1]);
    }
    if (bus->parent) {
        g_ptr_array_remove(bus->parent->child_buses, bus);
    }
    if (bus == sysbus_root) {
        sysbus_root = NULL;
    }
    g_hash_table_remove(bus_names, bus->name);
    if (!g_hash_table_size(bus_names)) {
        g_clear_pointer(&bus_names, g_hash_table_destroy);
    }
    g_ptr_array_free(bus->children, TRUE);
    g_free(bus->name);
    g_free(bus->type);
    g_free(bus);
}

BusState *sysbus_get(void)
{
    if (!sysbus_root) {
        sysbus_root = bus_new(BUS_TYPE_SYSTEM, "main-system-bus", NULL);
    }
    return sysbus_root;
}

static bool bus_visible(const BusState *bus)
{
    return !bus->parent || bus->parent->realized;
}

BusState *bus_find(const char *name)
{
    BusState *bus;

    sysbus_get();   /* the root always exists for lookups */
    bus = g_hash_table_lookup(bus_names, name);
    return bus && bus_visible(bus) ? bus : NULL;
}

/* Breadth-first from the main system bus: the first visible bus of type. */
static BusState *bus_search(const char *type, bool need_room)
{
    g_autoptr(GQueue) queue = g_queue_new();

    g_queue_push_tail(queue, sysbus_get());
    while (!g_queue_is_empty(queue)) {
        BusState *bus = g_queue_pop_head(queue);

        if (!strcmp(bus->type, type) &&
            !(need_room && bus->ops && bus->ops->is_full && bus->ops->is_full(bus))) {
            return bus;
        }
        for (guint i = 0; i < bus->children->len; i++) {
            DeviceState *dev = bus->children->pdata[i];
            for (guint j = 0; j < dev->child_buses->len; j++) {
                g_queue_push_tail(queue, dev->child_buses->pdata[j]);
            }
        }
    }
    return NULL;
}

BusState *bus_find_by_type(const char *type)
{
    return bus_search(type, false);
}

BusState *bus_find_free_by_type(const char *type)
{
    return bus_search(type, true);
}

void bus_reset(BusState *bus)
{
    for (guint i = 0; i < bus->children->len; i++) {
        device_reset(bus->children->pdata[i]);
    }
}

void device_tree_destroy(void)
{
    bus_free(sysbus_root);
}

void bus_attach_child(BusState *bus, DeviceState *dev)
{
    g_ptr_array_add(bus->children, dev);
}

void bus_detach_child(BusState *bus, DeviceState *dev)
{
    g_ptr_array_remove(bus->children, dev);
}
