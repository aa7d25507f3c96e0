/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Human-readable views of the device model in QEMU's shapes: the
 * `-device help` class list, `-device NAME,help` property list and the
 * `info qtree` dump of the live bus/device tree. Scripts and users compare
 * these with QEMU's output, so the layout follows it closely.
 */
#include <inttypes.h>
#include <string.h>

#include "hw/core/device.h"
#include "system/memory.h"
#include "util/error.h"

static const char *const category_titles[DEVICE_CATEGORY__MAX] = {
    [DEVICE_CATEGORY_BRIDGE] = "Controller/Bridge/Hub devices",
    [DEVICE_CATEGORY_USB] = "USB devices",
    [DEVICE_CATEGORY_STORAGE] = "Storage devices",
    [DEVICE_CATEGORY_NETWORK] = "Network devices",
    [DEVICE_CATEGORY_INPUT] = "Input devices",
    [DEVICE_CATEGORY_DISPLAY] = "Display devices",
    [DEVICE_CATEGORY_SOUND] = "Sound devices",
    [DEVICE_CATEGORY_MISC] = "Misc devices",
    [DEVICE_CATEGORY_CPU] = "CPU devices",
    [DEVICE_CATEGORY_UNCATEGORIZED] = "Uncategorized devices",
};

static void collect_class(const DeviceClass *dc, void *opaque)
{
    GPtrArray *groups = opaque;

    if (dc->user_creatable) {
        g_ptr_array_add(groups->pdata[dc->category], (gpointer)dc);
    }
}

void device_print_help_list(FILE *out)
{
    GPtrArray *groups = g_ptr_array_new_with_free_func(
        (GDestroyNotify)g_ptr_array_unref);
    bool first = true;

    for (int c = 0; c < DEVICE_CATEGORY__MAX; c++) {
        g_ptr_array_add(groups, g_ptr_array_new());
    }
    device_class_foreach(collect_class, groups);
    /* Uncategorized last, as QEMU does. */
    for (int i = 1; i <= DEVICE_CATEGORY__MAX; i++) {
        int c = i % DEVICE_CATEGORY__MAX;
        GPtrArray *list = groups->pdata[c];

        if (!list->len) {
            continue;
        }
        fprintf(out, "%s%s:\n", first ? "" : "\n", category_titles[c]);
        first = false;
        for (guint j = 0; j < list->len; j++) {
            const DeviceClass *dc = list->pdata[j];

            fprintf(out, "name \"%s\", bus %s", dc->name,
                    device_class_bus_type(dc));
            if (dc->alias) {
                fprintf(out, ", alias \"%s\"", dc->alias);
            }
            if (dc->desc) {
                fprintf(out, ", desc \"%s\"", dc->desc);
            }
            fputc('\n', out);
        }
    }
    g_ptr_array_unref(groups);
}

/* Calls fn for each effective property, parents' first, skipping overrides. */
static void class_props_foreach(const DeviceClass *dc,
                                void (*fn)(const Property *p, void *opaque),
                                void *opaque)
{
    g_autoptr(GPtrArray) chain = g_ptr_array_new();

    for (const DeviceClass *c = dc; c; c = c->parent) {
        g_ptr_array_insert(chain, 0, (gpointer)c);
    }
    for (guint i = 0; i < chain->len; i++) {
        const DeviceClass *c = chain->pdata[i];
        for (const Property *p = c->props; p && p->name; p++) {
            if (device_class_find_prop(dc, p->name) == p) {
                fn(p, opaque);
            }
        }
    }
}

static void print_prop_help(const Property *p, void *opaque)
{
    prop_print_help(opaque, p);
}

bool device_print_props(FILE *out, const char *name, GError **errp)
{
    const DeviceClass *dc = device_class_find(name);

    if (!dc) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_NOT_FOUND,
                    "device '%s' not found", name);
        return false;
    }
    fprintf(out, "%s options:\n", dc->name);
    class_props_foreach(dc, print_prop_help, out);
    return true;
}

typedef struct QtreeCtx {
    GString *out;
    DeviceState *dev;
    int indent;
} QtreeCtx;

static void qtree_prop(const Property *p, void *opaque)
{
    QtreeCtx *ctx = opaque;
    g_autofree char *value = device_get_prop(ctx->dev, p->name);
    bool quote = p->type >= PROP_TYPE_STRING;

    g_string_append_printf(ctx->out, "%*s%s = %s%s%s\n", ctx->indent, "",
                           p->name, quote ? "\"" : "", value,
                           quote ? "\"" : "");
}

static void qtree_bus(GString *out, BusState *bus, int indent);

static void qtree_dev(GString *out, BusState *bus, DeviceState *dev,
                      int indent)
{
    QtreeCtx ctx = { .out = out, .dev = dev, .indent = indent + 2 };

    g_string_append_printf(out, "%*sdev: %s, id \"%s\"\n", indent, "",
                           device_type_name(dev), dev->id ? dev->id : "");
    indent += 2;
    for (guint i = 0; i < dev->gpios->len; i++) {
        DeviceGpioList *gl = dev->gpios->pdata[i];
        if (gl->num_in) {
            g_string_append_printf(out, "%*sgpio-in \"%s\" %d\n", indent, "",
                                   gl->name ? gl->name : "", gl->num_in);
        }
        if (gl->num_out) {
            g_string_append_printf(out, "%*sgpio-out \"%s\" %d\n", indent, "",
                                   gl->name ? gl->name : "", gl->num_out);
        }
    }
    if (dev->irq_slots->len) {
        g_string_append_printf(out, "%*sgpio-out \"sysbus-irq\" %u\n", indent,
                               "", dev->irq_slots->len);
    }
    class_props_foreach(dev->klass, qtree_prop, &ctx);
    if (bus->ops && bus->ops->print_dev) {
        bus->ops->print_dev(bus, dev, out, indent);
    }
    for (int i = 0; i < device_mmio_count(dev); i++) {
        g_string_append_printf(
            out, "%*smmio %016" PRIx64 "/%016" PRIx64 "\n", indent, "",
            device_mmio_addr(dev, i),
            memory_region_size(device_mmio_region(dev, i)));
    }
    for (int i = 0; i < device_pio_count(dev); i++) {
        DeviceRegion *r = &g_array_index(dev->pio, DeviceRegion, i);
        g_string_append_printf(out, "%*sioports %04" PRIx64 "/%04" PRIx64 "\n",
                               indent, "", r->addr & 0xffff,
                               memory_region_size(r->mr));
    }
    for (guint i = 0; i < dev->child_buses->len; i++) {
        qtree_bus(out, dev->child_buses->pdata[i], indent);
    }
}

static void qtree_bus(GString *out, BusState *bus, int indent)
{
    g_string_append_printf(out, "%*sbus: %s\n", indent, "", bus->name);
    g_string_append_printf(out, "%*stype %s\n", indent + 2, "", bus->type);
    for (guint i = 0; i < bus->children->len; i++) {
        qtree_dev(out, bus, bus->children->pdata[i], indent + 2);
    }
}

void qtree_print(GString *out)
{
    qtree_bus(out, sysbus_get(), 0);
}
