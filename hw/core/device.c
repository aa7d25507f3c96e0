/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Device classes and instances: the class registry, the instance lifecycle
 * (new, properties, realize, reset, unrealize, free), -global defaults,
 * device ids, -device creation, and the sysbus-style resources (MMIO and
 * I/O regions, IRQ and GPIO lines) that boards wire up after realize.
 */
#include <string.h>

#include "hw/core/device.h"
#include "util/error.h"
#include "util/keyval.h"

#include "system/memory.h"

/* Registries of classes are process-wide by design. */
static GHashTable *device_classes;      /* name -> DeviceClass */
static GHashTable *device_aliases;      /* alias -> DeviceClass */
static GHashTable *device_ids;          /* id -> realized DeviceState */

typedef struct DeviceGlobal {
    char *driver;
    char *prop;
    char *value;
} DeviceGlobal;

static GPtrArray *device_globals;       /* DeviceGlobal *, in -global order */

static void device_gpio_list_free(gpointer data);

/* ---- Class registry ------------------------------------------------ */

void device_class_register(const DeviceClass *dc)
{
    g_assert(dc && dc->name);
    if (!device_classes) {
        device_classes = g_hash_table_new(g_str_hash, g_str_equal);
        device_aliases = g_hash_table_new(g_str_hash, g_str_equal);
    }
    g_assert(!device_class_find(dc->name));
    g_assert(dc->instance_size >= sizeof(DeviceState));
    g_assert(!dc->parent || dc->instance_size >= dc->parent->instance_size);
    g_hash_table_insert(device_classes, (gpointer)dc->name, (gpointer)dc);
    if (dc->alias) {
        g_assert(!device_class_find(dc->alias));
        g_hash_table_insert(device_aliases, (gpointer)dc->alias, (gpointer)dc);
    }
}

const DeviceClass *device_class_find(const char *name)
{
    const DeviceClass *dc;

    if (!device_classes || !name) {
        return NULL;
    }
    dc = g_hash_table_lookup(device_classes, name);
    return dc ? dc : g_hash_table_lookup(device_aliases, name);
}

static gint device_class_cmp(gconstpointer a, gconstpointer b)
{
    const DeviceClass *da = *(const DeviceClass *const *)a;
    const DeviceClass *db = *(const DeviceClass *const *)b;

    return strcmp(da->name, db->name);
}

void device_class_foreach(void (*fn)(const DeviceClass *dc, void *opaque),
                          void *opaque)
{
    g_autoptr(GPtrArray) list = g_ptr_array_new();
    GHashTableIter it;
    gpointer value;

    if (!device_classes) {
        return;
    }
    g_hash_table_iter_init(&it, device_classes);
    while (g_hash_table_iter_next(&it, NULL, &value)) {
        g_ptr_array_add(list, value);
    }
    g_ptr_array_sort(list, device_class_cmp);
    for (guint i = 0; i < list->len; i++) {
        fn(list->pdata[i], opaque);
    }
}

void device_class_registry_clear(void)
{
    g_clear_pointer(&device_classes, g_hash_table_destroy);
    g_clear_pointer(&device_aliases, g_hash_table_destroy);
}

bool device_class_is_a(const DeviceClass *dc, const char *name)
{
    for (; dc; dc = dc->parent) {
        if (!strcmp(dc->name, name) || (dc->alias && !strcmp(dc->alias, name))) {
            return true;
        }
    }
    return false;
}

const char *device_class_bus_type(const DeviceClass *dc)
{
    for (; dc; dc = dc->parent) {
        if (dc->bus_type) {
            return dc->bus_type;
        }
    }
    return BUS_TYPE_SYSTEM;
}

const Property *device_class_find_prop(const DeviceClass *dc, const char *name)
{
    for (; dc; dc = dc->parent) {
        for (const Property *p = dc->props; p && p->name; p++) {
            if (!strcmp(p->name, name)) {
                return p;
            }
        }
    }
    return NULL;
}

/* Root class first, so that children override parents. */
static GPtrArray *device_class_chain(const DeviceClass *dc)
{
    GPtrArray *chain = g_ptr_array_new();

    for (; dc; dc = dc->parent) {
        g_ptr_array_insert(chain, 0, (gpointer)dc);
    }
    return chain;
}

#define DEVICE_CLASS_CALLBACK(dc, cb)                 \
    ({                                                \
        const DeviceClass *c_ = (dc);                 \
        while (c_ && !c_->cb) {                       \
            c_ = c_->parent;                          \
        }                                             \
        c_ ? c_->cb : NULL;                           \
    })

/* ---- Globals ------------------------------------------------------- */

static void device_global_free(gpointer data)
{
    DeviceGlobal *g = data;

    g_free(g->driver);
    g_free(g->prop);
    g_free(g->value);
    g_free(g);
}

bool device_global_add(const char *driver, const char *prop, const char *value,
                       GError **errp)
{
    const DeviceClass *dc = device_class_find(driver);
    DeviceGlobal *g;

    if (!*driver || !*prop) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "-global %s.%s=%s: expected driver.property=value", driver,
                    prop, value);
        return false;
    }
    if (dc && !device_class_find_prop(dc, prop)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_NOT_FOUND,
                    "-global %s.%s=%s: property '%s' not found", driver, prop,
                    value, prop);
        return false;
    }
    if (!device_globals) {
        device_globals = g_ptr_array_new_with_free_func(device_global_free);
    }
    g = g_new0(DeviceGlobal, 1);
    g->driver = g_strdup(driver);
    g->prop = g_strdup(prop);
    g->value = g_strdup(value);
    g_ptr_array_add(device_globals, g);
    return true;
}

bool device_global_parse(const char *optarg, GError **errp)
{
    const char *eq = strchr(optarg, '=');
    const char *dot;

    if (eq) {
        /* Long form: driver=D,property=P,value=V. */
        g_autofree char *key = g_strndup(optarg, eq - optarg);
        if (!strcmp(key, "driver")) {
            g_autoptr(KeyvalList) kv = keyval_parse(optarg, NULL, errp);
            const char *d, *p, *v;

            if (!kv) {
                g_prefix_error(errp, "-global %s: ", optarg);
                return false;
            }
            d = keyval_get(kv, "driver");
            p = keyval_get(kv, "property");
            v = keyval_get(kv, "value");
            if (!d || !p || !v) {
                g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                            "-global %s: expected driver=D,property=P,value=V",
                            optarg);
                return false;
            }
            if (!keyval_check_unused(kv, "-global", errp)) {
                return false;
            }
            return device_global_add(d, p, v, errp);
        }
    }
    dot = strchr(optarg, '.');
    if (!eq || !dot || dot > eq) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "-global %s: expected driver.property=value", optarg);
        return false;
    }
    {
        g_autofree char *driver = g_strndup(optarg, dot - optarg);
        g_autofree char *prop = g_strndup(dot + 1, eq - dot - 1);
        return device_global_add(driver, prop, eq + 1, errp);
    }
}

bool device_globals_check_used(GError **errp)
{
    for (guint i = 0; device_globals && i < device_globals->len; i++) {
        DeviceGlobal *g = device_globals->pdata[i];
        const DeviceClass *dc = device_class_find(g->driver);

        if (!dc) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_NOT_FOUND,
                        "-global %s.%s=%s: device '%s' not found", g->driver,
                        g->prop, g->value, g->driver);
            return false;
        }
        if (!device_class_find_prop(dc, g->prop)) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_NOT_FOUND,
                        "-global %s.%s=%s: property '%s' not found", g->driver,
                        g->prop, g->value, g->prop);
            return false;
        }
    }
    return true;
}

void device_globals_clear(void)
{
    g_clear_pointer(&device_globals, g_ptr_array_unref);
}

static bool device_apply_globals(DeviceState *dev, const DeviceClass *dc,
                                 GError **errp)
{
    for (guint i = 0; device_globals && i < device_globals->len; i++) {
        DeviceGlobal *g = device_globals->pdata[i];
        const Property *p;
        GError *err = NULL;

        if (strcmp(g->driver, dc->name) &&
            (!dc->alias || strcmp(g->driver, dc->alias))) {
            continue;
        }
        p = device_class_find_prop(dev->klass, g->prop);
        if (!p) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_NOT_FOUND,
                        "-global %s.%s=%s: property '%s' not found", g->driver,
                        g->prop, g->value, g->prop);
            return false;
        }
        if (!prop_parse(dev, p, g->value, dev->prop_ids, &err)) {
            g_set_error(errp, TERN_ERROR, err->code, "-global %s.%s=%s: %s",
                        g->driver, g->prop, g->value, err->message);
            g_error_free(err);
            return false;
        }
    }
    return true;
}

/* ---- Instances ----------------------------------------------------- */

DeviceState *device_new(const char *name, GError **errp)
{
    const DeviceClass *dc = device_class_find(name);
    g_autoptr(GPtrArray) chain = NULL;
    DeviceState *dev;

    if (!dc) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_NOT_FOUND,
                    "device '%s' not found", name);
        return NULL;
    }
    dev = g_malloc0(dc->instance_size);
    dev->klass = dc;
    dev->child_buses = g_ptr_array_new();
    dev->prop_ids = prop_ids_new();
    dev->mmio = g_array_new(FALSE, TRUE, sizeof(DeviceRegion));
    dev->pio = g_array_new(FALSE, TRUE, sizeof(DeviceRegion));
    dev->irq_slots = g_ptr_array_new();
    dev->gpios = g_ptr_array_new_with_free_func(device_gpio_list_free);

    chain = device_class_chain(dc);
    for (guint i = 0; i < chain->len; i++) {
        const DeviceClass *c = chain->pdata[i];
        for (const Property *p = c->props; p && p->name; p++) {
            prop_set_default(dev, p);
        }
    }
    for (guint i = 0; i < chain->len; i++) {
        const DeviceClass *c = chain->pdata[i];
        if (c->instance_init) {
            c->instance_init(dev);
        }
    }
    for (guint i = 0; i < chain->len; i++) {
        if (!device_apply_globals(dev, chain->pdata[i], errp)) {
            device_free(dev);
            return NULL;
        }
    }
    return dev;
}

const char *device_type_name(const DeviceState *dev)
{
    return dev->klass->name;
}

bool device_is_a(const DeviceState *dev, const char *name)
{
    return device_class_is_a(dev->klass, name);
}

static bool device_id_valid(const char *id)
{
    if (!g_ascii_isalpha(*id)) {
        return false;
    }
    for (const char *s = id; *s; s++) {
        if (!g_ascii_isalnum(*s) && !strchr("-._", *s)) {
            return false;
        }
    }
    return true;
}

static bool device_id_taken(const DeviceState *dev, const char *id)
{
    DeviceState *other = device_ids ? g_hash_table_lookup(device_ids, id) : NULL;

    return other && other != dev;
}

/* Unprefixed messages; public entry points add what the caller expects. */
static bool device_set_id_internal(DeviceState *dev, const char *id,
                                   GError **errp)
{
    if (dev->realized) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "id cannot be changed after realize");
        return false;
    }
    if (!device_id_valid(id)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "invalid id '%s' (must start with a letter and use "
                    "letters, digits, '-', '.', '_')", id);
        return false;
    }
    if (device_id_taken(dev, id)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "duplicate id '%s'", id);
        return false;
    }
    g_free(dev->id);
    dev->id = g_strdup(id);
    return true;
}

bool device_set_id(DeviceState *dev, const char *id, GError **errp)
{
    if (!device_set_id_internal(dev, id, errp)) {
        g_prefix_error(errp, "%s: ", device_type_name(dev));
        return false;
    }
    return true;
}

DeviceState *device_find_by_id(const char *id)
{
    return device_ids && id ? g_hash_table_lookup(device_ids, id) : NULL;
}

static const Property *device_writable_prop(DeviceState *dev, const char *name,
                                            GError **errp)
{
    const Property *p = device_class_find_prop(dev->klass, name);

    if (!p) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_NOT_FOUND,
                    "property '%s' not found", name);
        return NULL;
    }
    if (dev->realized) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "property '%s' cannot be set after realize", name);
        return NULL;
    }
    return p;
}

static bool device_set_prop_internal(DeviceState *dev, const char *name,
                                     const char *value, GError **errp)
{
    const Property *p = device_writable_prop(dev, name, errp);

    return p && prop_parse(dev, p, value, dev->prop_ids, errp);
}

static bool device_prefix_fail(DeviceState *dev, GError **errp)
{
    g_prefix_error(errp, "%s: ", device_type_name(dev));
    return false;
}

bool device_set_prop(DeviceState *dev, const char *name, const char *value,
                     GError **errp)
{
    if (!device_set_prop_internal(dev, name, value, errp)) {
        return device_prefix_fail(dev, errp);
    }
    return true;
}

char *device_get_prop(DeviceState *dev, const char *name)
{
    const Property *p = device_class_find_prop(dev->klass, name);

    return p ? prop_format(dev, p, dev->prop_ids) : NULL;
}

static const Property *device_typed_prop(DeviceState *dev, const char *name,
                                         const PropertyType *types, int ntypes,
                                         const char *what, GError **errp)
{
    const Property *p = device_writable_prop(dev, name, errp);

    if (!p) {
        device_prefix_fail(dev, errp);
        return NULL;
    }
    for (int i = 0; i < ntypes; i++) {
        if (p->type == types[i]) {
            return p;
        }
    }
    g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                "%s: property '%s' is a %s, not %s", device_type_name(dev),
                name, prop_type_name(p->type), what);
    return NULL;
}

bool device_set_prop_bool(DeviceState *dev, const char *name, bool value,
                          GError **errp)
{
    static const PropertyType t[] = { PROP_TYPE_BOOL };
    const Property *p = device_typed_prop(dev, name, t, 1, "a bool", errp);

    if (!p) {
        return false;
    }
    *(bool *)((char *)dev + p->offset) = value;
    return true;
}

bool device_set_prop_uint(DeviceState *dev, const char *name, uint64_t value,
                          GError **errp)
{
    static const PropertyType t[] = { PROP_TYPE_UINT8, PROP_TYPE_UINT16,
                                      PROP_TYPE_UINT32, PROP_TYPE_UINT64,
                                      PROP_TYPE_SIZE };
    const Property *p = device_typed_prop(dev, name, t, G_N_ELEMENTS(t),
                                          "an unsigned integer", errp);
    g_autofree char *s = g_strdup_printf("%" G_GUINT64_FORMAT, value);

    /* Going through the string form reuses the range checks. */
    return p && (prop_parse(dev, p, s, dev->prop_ids, errp) ||
                 device_prefix_fail(dev, errp));
}

bool device_set_prop_int(DeviceState *dev, const char *name, int64_t value,
                         GError **errp)
{
    static const PropertyType t[] = { PROP_TYPE_INT32, PROP_TYPE_INT64 };
    const Property *p = device_typed_prop(dev, name, t, G_N_ELEMENTS(t),
                                          "a signed integer", errp);
    g_autofree char *s = g_strdup_printf("%" G_GINT64_FORMAT, value);

    return p && (prop_parse(dev, p, s, dev->prop_ids, errp) ||
                 device_prefix_fail(dev, errp));
}

bool device_set_prop_str(DeviceState *dev, const char *name, const char *value,
                         GError **errp)
{
    static const PropertyType t[] = { PROP_TYPE_STRING, PROP_TYPE_ENUM };
    const Property *p = device_typed_prop(dev, name, t, G_N_ELEMENTS(t),
                                          "a string or enum", errp);

    if (!p) {
        return false;
    }
    if (!value) {
        if (p->type == PROP_TYPE_ENUM) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                        "%s: property '%s' needs a value",
                        device_type_name(dev), name);
            return false;
        }
        prop_release(dev, p);
        return true;
    }
    return prop_parse(dev, p, value, dev->prop_ids, errp) ||
           device_prefix_fail(dev, errp);
}

bool device_set_prop_macaddr(DeviceState *dev, const char *name,
                             const uint8_t mac[6], GError **errp)
{
    static const PropertyType t[] = { PROP_TYPE_MACADDR };
    const Property *p = device_typed_prop(dev, name, t, 1, "a macaddr", errp);

    if (!p) {
        return false;
    }
    memcpy((char *)dev + p->offset, mac, sizeof(MacAddr));
    return true;
}

bool device_set_prop_link(DeviceState *dev, const char *name,
                          DeviceState *target, GError **errp)
{
    static const PropertyType t[] = { PROP_TYPE_LINK };
    const Property *p = device_typed_prop(dev, name, t, 1, "a link", errp);

    if (!p) {
        return false;
    }
    if (target && p->link_class && !device_is_a(target, p->link_class)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "%s: property '%s': device is a %s, not a %s",
                    device_type_name(dev), name, device_type_name(target),
                    p->link_class);
        return false;
    }
    *(DeviceState **)((char *)dev + p->offset) = target;
    if (target && target->id) {
        g_hash_table_insert(dev->prop_ids, g_strdup(name),
                            g_strdup(target->id));
    } else {
        g_hash_table_remove(dev->prop_ids, name);
    }
    return true;
}

bool device_set_prop_backend(DeviceState *dev, const char *name, void *backend,
                             const char *id, GError **errp)
{
    static const PropertyType t[] = { PROP_TYPE_CHARDEV, PROP_TYPE_DRIVE,
                                      PROP_TYPE_NETDEV };
    const Property *p = device_typed_prop(dev, name, t, G_N_ELEMENTS(t),
                                          "a backend", errp);

    if (!p) {
        return false;
    }
    *(void **)((char *)dev + p->offset) = backend;
    if (backend && id) {
        g_hash_table_insert(dev->prop_ids, g_strdup(name), g_strdup(id));
    } else {
        g_hash_table_remove(dev->prop_ids, name);
    }
    return true;
}

/* ---- Realize / unrealize / free ------------------------------------ */

static bool device_realize_internal(DeviceState *dev, BusState *bus,
                                    GError **errp)
{
    const char *need = device_class_bus_type(dev->klass);
    bool (*realize)(DeviceState *, GError **) =
        DEVICE_CLASS_CALLBACK(dev->klass, realize);

    if (dev->realized) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "device is already realized");
        return false;
    }
    if (!bus) {
        bus = !strcmp(need, BUS_TYPE_SYSTEM) ? sysbus_get()
                                             : bus_find_free_by_type(need);
        if (!bus) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_NOT_FOUND,
                        "no free '%s' bus found", need);
            return false;
        }
    }
    if (strcmp(bus->type, need)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "bus '%s' is a %s bus, the device needs a %s bus",
                    bus->name, bus->type, need);
        return false;
    }
    if (dev->id && device_id_taken(dev, dev->id)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "duplicate id '%s'",
                    dev->id);
        return false;
    }
    /* realize may look at its bus (e.g. for its address). */
    dev->parent_bus = bus;
    if (bus->ops && bus->ops->check_plug &&
        !bus->ops->check_plug(bus, dev, errp)) {
        dev->parent_bus = NULL;
        return false;
    }
    if (realize && !realize(dev, errp)) {
        if (bus->ops && bus->ops->unplug) {
            bus->ops->unplug(bus, dev);
        }
        dev->parent_bus = NULL;
        return false;
    }
    if (dev->id) {
        if (!device_ids) {
            device_ids = g_hash_table_new(g_str_hash, g_str_equal);
        }
        g_hash_table_insert(device_ids, dev->id, dev);
    }
    bus_attach_child(bus, dev);
    dev->realized = true;
    return true;
}

bool device_realize(DeviceState *dev, BusState *bus, GError **errp)
{
    if (!device_realize_internal(dev, bus, errp)) {
        return device_prefix_fail(dev, errp);
    }
    return true;
}

static void device_unmap_all(DeviceState *dev)
{
    for (int i = 0; i < device_mmio_count(dev); i++) {
        device_mmio_unmap(dev, i);
    }
    for (int i = 0; i < device_pio_count(dev); i++) {
        device_pio_unmap(dev, i);
    }
}

static void device_free_children(DeviceState *dev)
{
    for (guint i = 0; i < dev->child_buses->len; i++) {
        BusState *bus = dev->child_buses->pdata[i];

        while (bus->children->len) {
            device_free(bus->children->pdata[bus->children->len - 1]);
        }
    }
}

void device_unrealize(DeviceState *dev)
{
    void (*unrealize)(DeviceState *) =
        DEVICE_CLASS_CALLBACK(dev->klass, unrealize);
    BusState *bus = dev->parent_bus;

    if (!dev->realized) {
        return;
    }
    device_free_children(dev);
    if (unrealize) {
        unrealize(dev);
    }
    device_unmap_all(dev);
    bus_detach_child(bus, dev);
    if (bus->ops && bus->ops->unplug) {
        bus->ops->unplug(bus, dev);
    }
    dev->parent_bus = NULL;
    if (dev->id && device_ids &&
        g_hash_table_lookup(device_ids, dev->id) == dev) {
        g_hash_table_remove(device_ids, dev->id);
    }
    dev->realized = false;
}

static void device_gpio_list_free(gpointer data)
{
    DeviceGpioList *gl = data;

    irq_free_array(gl->in, gl->num_in);
    g_free(gl->out);
    g_free(gl->name);
    g_free(gl);
}

void device_free(DeviceState *dev)
{
    g_autoptr(GPtrArray) chain = NULL;

    if (!dev) {
        return;
    }
    device_unrealize(dev);
    /* Unrealized devices may still own (empty or unrealized) buses. */
    while (dev->child_buses->len) {
        bus_free(dev->child_buses->pdata[dev->child_buses->len - 1]);
    }
    device_unmap_all(dev);
    chain = device_class_chain(dev->klass);
    for (guint i = chain->len; i-- > 0;) {
        const DeviceClass *c = chain->pdata[i];
        if (c->instance_finalize) {
            c->instance_finalize(dev);
        }
    }
    for (guint i = 0; i < chain->len; i++) {
        const DeviceClass *c = chain->pdata[i];
        for (const Property *p = c->props; p && p->name; p++) {
            prop_release(dev, p);
        }
    }
    g_ptr_array_free(dev->child_buses, TRUE);
    g_hash_table_destroy(dev->prop_ids);
    g_array_free(dev->mmio, TRUE);
    g_array_free(dev->pio, TRUE);
    g_ptr_array_free(dev->irq_slots, TRUE);
    g_ptr_array_free(dev->gpios, TRUE);
    g_free(dev->id);
    g_free(dev);
}

/* Replaces an error from a lower layer by "<prefix>: <message>". */
static void device_cli_error(GError **errp, const char *driver)
{
    g_prefix_error(errp, "-device %s: ", driver);
}

DeviceState *device_create_from_keyval(const KeyvalList *kv, GError **errp)
{
    const char *driver = keyval_get(kv, "driver");
    const char *id = keyval_get(kv, "id");
    const char *busname = keyval_get(kv, "bus");
    const DeviceClass *dc;
    BusState *bus = NULL;
    DeviceState *dev;

    if (!driver || !*driver) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "-device: parameter 'driver' is missing");
        return NULL;
    }
    dc = device_class_find(driver);
    if (!dc) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_NOT_FOUND,
                    "-device %s: device '%s' not found", driver, driver);
        return NULL;
    }
    if (!dc->user_creatable) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "-device %s: device '%s' cannot be created with -device",
                    driver, dc->name);
        return NULL;
    }
    if (busname) {
        bus = bus_find(busname);
        if (!bus) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_NOT_FOUND,
                        "-device %s: bus '%s' not found", driver, busname);
            return NULL;
        }
    }
    /* The class is known, so only a bad -global can fail here. */
    dev = device_new(dc->name, errp);
    if (!dev) {
        return NULL;
    }
    if (id && !device_set_id_internal(dev, id, errp)) {
        goto fail;
    }
    for (guint i = 0; i < keyval_count(kv); i++) {
        const char *key = keyval_key_at(kv, i);
        const char *value = keyval_value_at(kv, i);

        if (!strcmp(key, "driver") || !strcmp(key, "id") ||
            !strcmp(key, "bus")) {
            continue;
        }
        if (!device_set_prop_internal(dev, key, value, errp)) {
            goto fail;
        }
    }
    if (!device_realize_internal(dev, bus, errp)) {
        goto fail;
    }
    return dev;

fail:
    device_cli_error(errp, driver);
    device_free(dev);
    return NULL;
}

/* ---- Reset --------------------------------------------------------- */

void device_reset(DeviceState *dev)
{
    void (*reset)(DeviceState *) = DEVICE_CLASS_CALLBACK(dev->klass, reset);

    if (reset) {
        reset(dev);
    }
    for (guint i = 0; i < dev->child_buses->len; i++) {
        bus_reset(dev->child_buses->pdata[i]);
    }
}

/* ---- MMIO and I/O regions ------------------------------------------ */

static DeviceRegion *device_region(GArray *arr, int n)
{
    g_assert(n >= 0 && (guint)n < arr->len);
    return &g_array_index(arr, DeviceRegion, n);
}

static int device_region_add(GArray *arr, MemoryRegion *mr)
{
    DeviceRegion r = { .mr = mr, .addr = UINT64_MAX, .mapped = false };

    g_assert(mr);
    g_array_append_val(arr, r);
    return arr->len - 1;
}

static void device_region_map(DeviceRegion *r, MemoryRegion *space,
                              uint64_t addr)
{
    if (r->mapped) {
        memory_region_del_subregion(space, r->mr);
    }
    memory_region_add_subregion(space, addr, r->mr);
    r->addr = addr;
    r->mapped = true;
}

static void device_region_unmap(DeviceRegion *r, MemoryRegion *space)
{
    if (!r->mapped) {
        return;
    }
    memory_region_del_subregion(space, r->mr);
    r->addr = UINT64_MAX;
    r->mapped = false;
}

int device_init_mmio(DeviceState *dev, MemoryRegion *mr)
{
    return device_region_add(dev->mmio, mr);
}

void device_mmio_map(DeviceState *dev, int n, uint64_t addr)
{
    device_region_map(device_region(dev->mmio, n), get_system_memory(), addr);
}

void device_mmio_unmap(DeviceState *dev, int n)
{
    device_region_unmap(device_region(dev->mmio, n), get_system_memory());
}

int device_mmio_count(const DeviceState *dev)
{
    return dev->mmio->len;
}

MemoryRegion *device_mmio_region(const DeviceState *dev, int n)
{
    return device_region(dev->mmio, n)->mr;
}

uint64_t device_mmio_addr(const DeviceState *dev, int n)
{
    return device_region(dev->mmio, n)->addr;
}

int device_init_pio(DeviceState *dev, MemoryRegion *mr)
{
    return device_region_add(dev->pio, mr);
}

void device_pio_map(DeviceState *dev, int n, uint64_t port)
{
    device_region_map(device_region(dev->pio, n), get_system_io(), port);
}

void device_pio_unmap(DeviceState *dev, int n)
{
    device_region_unmap(device_region(dev->pio, n), get_system_io());
}

int device_pio_count(const DeviceState *dev)
{
    return dev->pio->len;
}

uint64_t device_pio_addr(const DeviceState *dev, int n)
{
    return device_region(dev->pio, n)->addr;
}

/* ---- IRQ and GPIO lines -------------------------------------------- */

int device_init_irq(DeviceState *dev, IrqLine **slot)
{
    g_assert(slot);
    g_ptr_array_add(dev->irq_slots, slot);
    return dev->irq_slots->len - 1;
}

void device_connect_irq(DeviceState *dev, int n, IrqLine *line)
{
    g_assert(n >= 0 && (guint)n < dev->irq_slots->len);
    *(IrqLine **)dev->irq_slots->pdata[n] = line;
}

int device_irq_count(const DeviceState *dev)
{
    return dev->irq_slots->len;
}

static DeviceGpioList *device_gpio_list(DeviceState *dev, const char *name,
                                        bool create)
{
    DeviceGpioList *gl;

    for (guint i = 0; i < dev->gpios->len; i++) {
        gl = dev->gpios->pdata[i];
        if (g_strcmp0(gl->name, name) == 0) {
            return gl;
        }
    }
    if (!create) {
        return NULL;
    }
    gl = g_new0(DeviceGpioList, 1);
    gl->name = g_strdup(name);
    g_ptr_array_add(dev->gpios, gl);
    return gl;
}

void device_init_gpio_in_named(DeviceState *dev, IrqHandler handler,
                               const char *name, int count)
{
    DeviceGpioList *gl = device_gpio_list(dev, name, true);

    g_assert(count >= 0);
    gl->in = g_renew(IrqLine *, gl->in, gl->num_in + count);
    for (int i = 0; i < count; i++) {
        gl->in[gl->num_in + i] = irq_new(handler, dev, gl->num_in + i);
    }
    gl->num_in += count;
}

void device_init_gpio_in(DeviceState *dev, IrqHandler handler, int count)
{
    device_init_gpio_in_named(dev, handler, NULL, count);
}

IrqLine *device_gpio_in_named(DeviceState *dev, const char *name, int n)
{
    DeviceGpioList *gl = device_gpio_list(dev, name, false);

    g_assert(gl && n >= 0 && n < gl->num_in);
    return gl->in[n];
}

IrqLine *device_gpio_in(DeviceState *dev, int n)
{
    return device_gpio_in_named(dev, NULL, n);
}

void device_init_gpio_out_named(DeviceState *dev, IrqLine **slots,
                                const char *name, int count)
{
    DeviceGpioList *gl = device_gpio_list(dev, name, true);

    g_assert(count >= 0);
    gl->out = g_renew(IrqLine **, gl->out, gl->num_out + count);
    for (int i = 0; i < count; i++) {
        gl->out[gl->num_out + i] = &slots[i];
    }
    gl->num_out += count;
}

void device_init_gpio_out(DeviceState *dev, IrqLine **slots, int count)
{
    device_init_gpio_out_named(dev, slots, NULL, count);
}

void device_connect_gpio_out_named(DeviceState *dev, const char *name, int n,
                                   IrqLine *target)
{
    DeviceGpioList *gl = device_gpio_list(dev, name, false);

    g_assert(gl && n >= 0 && n < gl->num_out);
    *gl->out[n] = target;
}

void device_connect_gpio_out(DeviceState *dev, int n, IrqLine *target)
{
    device_connect_gpio_out_named(dev, NULL, n, target);
}
