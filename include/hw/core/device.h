/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The device model. A device class is a static const DeviceClass (callbacks
 * plus a property table) registered explicitly at start-up; an instance is a
 * struct embedding DeviceState first. Devices sit on buses, buses belong to
 * devices, and the tree hangs off the main system bus. Properties are typed
 * fields of the instance described by a table, settable from strings (for
 * -device / -global) or from code before realize. Backend properties
 * (chardev, drive, netdev) are resolved through lookup functions registered
 * by those subsystems so that this layer does not depend on them.
 *
 * Lifecycle: device_new -> set id / properties -> device_realize (attaches
 * to a bus, which then owns the device) -> device_reset (many times) ->
 * device_unrealize -> device_free. Everything runs under the device model's
 * lock (one thread at a time); nothing here is thread-safe by itself.
 */
#ifndef HW_CORE_DEVICE_H
#define HW_CORE_DEVICE_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hw/core/irq.h"

typedef struct DeviceState DeviceState;
typedef struct DeviceClass DeviceClass;
typedef struct BusState BusState;
typedef struct MemoryRegion MemoryRegion;
typedef struct KeyvalList KeyvalList;

/* ---- Properties ---------------------------------------------------- */

typedef enum PropertyType {
    PROP_TYPE_BOOL,
    PROP_TYPE_UINT8,
    PROP_TYPE_UINT16,
    PROP_TYPE_UINT32,
    PROP_TYPE_UINT64,
    PROP_TYPE_INT32,
    PROP_TYPE_INT64,
    PROP_TYPE_SIZE,     /* uint64_t, accepts K/M/G... suffixes */
    PROP_TYPE_STRING,   /* char *, owned by the instance */
    PROP_TYPE_ENUM,     /* int index into a NULL-terminated name table */
    PROP_TYPE_MACADDR,  /* MacAddr */
    PROP_TYPE_CHARDEV,  /* backend pointer slot, set by id */
    PROP_TYPE_DRIVE,
    PROP_TYPE_NETDEV,
    PROP_TYPE_LINK,     /* pointer to another realized device, set by id */
    PROP_TYPE__MAX
} PropertyType;

typedef struct MacAddr {
    uint8_t a[6];
} MacAddr;

typedef struct Property {
    const char *name;
    PropertyType type;
    size_t offset;
    const char *desc;               /* "" or NULL means none */
    bool has_default;
    union {
        uint64_t u;
        int64_t i;
    } defval;
    const char *def_str;            /* string default */
    const char *const *enum_names;  /* PROP_TYPE_ENUM */
    const char *link_class;         /* PROP_TYPE_LINK: required class */
} Property;

/*
 * Compile-time field checks: pointer subtraction between incompatible types
 * does not compile, and a negative array size catches size mismatches for
 * fields whose exact type this header cannot know (backend pointers, enums).
 */
#define PROP_CHECK_TYPE_(T, f, ctype) (0 * sizeof((ctype *)0 - &((T *)0)->f))
#define PROP_CHECK_SIZE_(T, f, sz) \
    (0 * sizeof(char[sizeof(((T *)0)->f) == (sz) ? 1 : -1]))
#define PROP_OFF_(T, f, ctype) (offsetof(T, f) + PROP_CHECK_TYPE_(T, f, ctype))
#define PROP_OFF_SZ_(T, f, sz) (offsetof(T, f) + PROP_CHECK_SIZE_(T, f, sz))

/* The trailing argument is an optional description (a string literal). */
#define PROP_NUM_(n, ty, T, f, ctype, def, ...)                          \
    { .name = (n), .type = (ty), .offset = PROP_OFF_(T, f, ctype),       \
      .has_default = true, .defval.u = (uint64_t)(def),                  \
      .desc = "" __VA_ARGS__ }
#define PROP_SNUM_(n, ty, T, f, ctype, def, ...)                         \
    { .name = (n), .type = (ty), .offset = PROP_OFF_(T, f, ctype),       \
      .has_default = true, .defval.i = (int64_t)(def),                   \
      .desc = "" __VA_ARGS__ }

#define PROP_BOOL(n, T, f, def, ...) \
    PROP_NUM_(n, PROP_TYPE_BOOL, T, f, bool, def, __VA_ARGS__)
#define PROP_UINT8(n, T, f, def, ...) \
    PROP_NUM_(n, PROP_TYPE_UINT8, T, f, uint8_t, def, __VA_ARGS__)
#define PROP_UINT16(n, T, f, def, ...) \
    PROP_NUM_(n, PROP_TYPE_UINT16, T, f, uint16_t, def, __VA_ARGS__)
#define PROP_UINT32(n, T, f, def, ...) \
    PROP_NUM_(n, PROP_TYPE_UINT32, T, f, uint32_t, def, __VA_ARGS__)
#define PROP_UINT64(n, T, f, def, ...) \
    PROP_NUM_(n, PROP_TYPE_UINT64, T, f, uint64_t, def, __VA_ARGS__)
#define PROP_SIZE(n, T, f, def, ...) \
    PROP_NUM_(n, PROP_TYPE_SIZE, T, f, uint64_t, def, __VA_ARGS__)
#define PROP_INT32(n, T, f, def, ...) \
    PROP_SNUM_(n, PROP_TYPE_INT32, T, f, int32_t, def, __VA_ARGS__)
#define PROP_INT64(n, T, f, def, ...) \
    PROP_SNUM_(n, PROP_TYPE_INT64, T, f, int64_t, def, __VA_ARGS__)
/* def may be NULL (unset). */
#define PROP_STRING(n, T, f, def, ...)                                   \
    { .name = (n), .type = PROP_TYPE_STRING,                             \
      .offset = PROP_OFF_(T, f, char *), .has_default = (def) != NULL,   \
      .def_str = (def), .desc = "" __VA_ARGS__ }
/* The field is an int (or an int-sized C enum) indexing names[]. */
#define PROP_ENUM(n, T, f, def, names, ...)                              \
    { .name = (n), .type = PROP_TYPE_ENUM,                               \
      .offset = PROP_OFF_SZ_(T, f, sizeof(int)), .has_default = true,    \
      .defval.i = (def), .enum_names = (names), .desc = "" __VA_ARGS__ }
/* All-zero until set: boards pick an address when it is unset. */
#define PROP_MACADDR(n, T, f, ...)                                       \
    { .name = (n), .type = PROP_TYPE_MACADDR,                            \
      .offset = PROP_OFF_(T, f, MacAddr), .desc = "" __VA_ARGS__ }
#define PROP_BACKEND_(n, ty, T, f, ...)                                  \
    { .name = (n), .type = (ty),                                         \
      .offset = PROP_OFF_SZ_(T, f, sizeof(void *)), .desc = "" __VA_ARGS__ }
#define PROP_CHARDEV(n, T, f, ...) \
    PROP_BACKEND_(n, PROP_TYPE_CHARDEV, T, f, __VA_ARGS__)
#define PROP_DRIVE(n, T, f, ...) \
    PROP_BACKEND_(n, PROP_TYPE_DRIVE, T, f, __VA_ARGS__)
#define PROP_NETDEV(n, T, f, ...) \
    PROP_BACKEND_(n, PROP_TYPE_NETDEV, T, f, __VA_ARGS__)
/* The field is a pointer to a device instance of class cls (or a child). */
#define PROP_LINK(n, T, f, cls, ...)                                     \
    { .name = (n), .type = PROP_TYPE_LINK,                               \
      .offset = PROP_OFF_SZ_(T, f, sizeof(void *)), .link_class = (cls), \
      .desc = "" __VA_ARGS__ }
#define PROP_END { .name = NULL }

/*
 * Resolve a backend id to the backend object, or set errp (one line, e.g.
 * "chardev 'foo' not found") and return NULL. Registered by the chardev,
 * block and net subsystems at start-up; t is CHARDEV, DRIVE or NETDEV.
 */
typedef void *(*DevicePropLookup)(const char *id, GError **errp);
void device_prop_register_lookup(PropertyType t, DevicePropLookup lookup);

/*
 * Property machinery shared by devices and machines. obj is the instance,
 * ids maps property name -> id string for backend and link properties (so
 * that printing shows the id the user gave). Errors read
 * "property 'NAME': ..." and callers prefix what the property belongs to.
 */
const char *prop_type_name(PropertyType t);
void prop_set_default(void *obj, const Property *p);
bool prop_parse(void *obj, const Property *p, const char *value,
                GHashTable *ids, GError **errp);
char *prop_format(const void *obj, const Property *p, GHashTable *ids);
/* Frees what the property owns (string values). */
void prop_release(void *obj, const Property *p);
/* "  name=<type>            - desc (default: x)" */
void prop_print_help(FILE *out, const Property *p);
/* A GHashTable suitable as ids above. */
GHashTable *prop_ids_new(void);

/* ---- Classes ------------------------------------------------------- */

/* Help groups, printed in this order with uncategorized last. */
typedef enum DeviceCategory {
    DEVICE_CATEGORY_UNCATEGORIZED = 0,
    DEVICE_CATEGORY_BRIDGE,
    DEVICE_CATEGORY_USB,
    DEVICE_CATEGORY_STORAGE,
    DEVICE_CATEGORY_NETWORK,
    DEVICE_CATEGORY_INPUT,
    DEVICE_CATEGORY_DISPLAY,
    DEVICE_CATEGORY_SOUND,
    DEVICE_CATEGORY_MISC,
    DEVICE_CATEGORY_CPU,
    DEVICE_CATEGORY__MAX
} DeviceCategory;

#define BUS_TYPE_SYSTEM "System"

struct DeviceClass {
    const char *name, *alias, *desc;
    /* Single inheritance: parent's properties come first. */
    const struct DeviceClass *parent;
    size_t instance_size;
    const Property *props;          /* PROP_END terminated, may be NULL */
    DeviceCategory category;
    const char *bus_type;           /* NULL: inherited, else "System" */
    bool user_creatable;            /* may be used with -device */
    /*
     * instance_init runs root class first, instance_finalize leaf first.
     * The other callbacks, when NULL, are inherited from the nearest
     * ancestor that has one; a child calling its parent's explicitly
     * uses dc->parent->realize etc.
     */
    void (*instance_init)(DeviceState *dev);    /* before properties */
    /* Errors are prefixed with the device type by the caller. */
    bool (*realize)(DeviceState *dev, GError **errp);
    void (*reset)(DeviceState *dev);
    void (*unrealize)(DeviceState *dev);
    void (*instance_finalize)(DeviceState *dev);
};

/* Class names (and aliases) must be unique; violating that asserts. */
void device_class_register(const DeviceClass *dc);
/* By name, then by alias; NULL when unknown. */
const DeviceClass *device_class_find(const char *name);
/* Every registered class, sorted by name. */
void device_class_foreach(void (*fn)(const DeviceClass *dc, void *opaque),
                          void *opaque);
/* dc is name or descends from it. */
bool device_class_is_a(const DeviceClass *dc, const char *name);
/* The bus type a class plugs into ("System" when none in the chain). */
const char *device_class_bus_type(const DeviceClass *dc);
/* Searches the class then its ancestors. */
const Property *device_class_find_prop(const DeviceClass *dc, const char *name);
/* Forget every class (tests). */
void device_class_registry_clear(void);

/* ---- Instances ----------------------------------------------------- */

typedef struct DeviceGpioList {
    char *name;                 /* NULL: the unnamed set */
    IrqLine **in;               /* owned lines */
    int num_in;
    IrqLine ***out;             /* the device's output slots */
    int num_out;
} DeviceGpioList;

/* Fields are read-only outside hw/core. */
struct DeviceState {
    const DeviceClass *klass;
    char *id;                   /* NULL when anonymous */
    BusState *parent_bus;       /* set while realized */
    bool realized;
    GPtrArray *child_buses;     /* BusState *, owned */
    GHashTable *prop_ids;       /* backend/link property -> id string */
    GArray *mmio;               /* DeviceRegion */
    GArray *pio;                /* DeviceRegion */
    GPtrArray *irq_slots;       /* IrqLine **: sysbus-style outputs */
    GPtrArray *gpios;           /* DeviceGpioList * */
};

/*
 * Allocate a zeroed instance, set property defaults, run the instance_init
 * chain, then apply -global values (parents' first, then the class's own,
 * each in command-line order). Errors name the bad global.
 */
DeviceState *device_new(const char *name, GError **errp);
const char *device_type_name(const DeviceState *dev);
bool device_is_a(const DeviceState *dev, const char *name);

/* Ids start with a letter and use [A-Za-z0-9_.-]; must be unique. */
bool device_set_id(DeviceState *dev, const char *id, GError **errp);
DeviceState *device_find_by_id(const char *id);

/*
 * Set a property from its string form; only before realize. Errors read
 * "TYPE: property 'NAME': ..." with the bad value quoted.
 */
bool device_set_prop(DeviceState *dev, const char *name, const char *value,
                     GError **errp);
/* String form of a property (newly allocated), NULL if no such property. */
char *device_get_prop(DeviceState *dev, const char *name);

/* Typed setters for board code; range-checked, only before realize. */
bool device_set_prop_bool(DeviceState *dev, const char *name, bool value,
                          GError **errp);
/* Any unsigned integer or size property. */
bool device_set_prop_uint(DeviceState *dev, const char *name, uint64_t value,
                          GError **errp);
/* Any signed integer property. */
bool device_set_prop_int(DeviceState *dev, const char *name, int64_t value,
                         GError **errp);
/* A string property (NULL clears it), or an enum property by value name. */
bool device_set_prop_str(DeviceState *dev, const char *name, const char *value,
                         GError **errp);
bool device_set_prop_macaddr(DeviceState *dev, const char *name,
                             const uint8_t mac[6], GError **errp);
/* target must be of the property's link class; NULL clears. */
bool device_set_prop_link(DeviceState *dev, const char *name,
                          DeviceState *target, GError **errp);
/* Fill a chardev/drive/netdev slot directly; id is kept for printing. */
bool device_set_prop_backend(DeviceState *dev, const char *name, void *backend,
                             const char *id, GError **errp);

/*
 * Plug into bus (NULL: the first bus of the class's bus type, the main
 * system bus for System devices) and call realize. On success the bus owns
 * the device. On failure nothing stays attached and the caller still owns
 * (and frees) the device. Does not reset the device.
 */
bool device_realize(DeviceState *dev, BusState *bus, GError **errp);
/*
 * Unrealize and free every device on dev's child buses (last first), call
 * unrealize, unmap resources, detach from the parent bus. The caller owns
 * dev afterwards.
 */
void device_unrealize(DeviceState *dev);
/* Unrealizes first if needed, frees child buses, runs finalizers. */
void device_free(DeviceState *dev);

/*
 * -device driver,id=ID,bus=BUS,prop=value...: create, configure and
 * realize. Errors read "-device DRIVER: ...". "help" is the caller's job.
 */
DeviceState *device_create_from_keyval(const KeyvalList *kv, GError **errp);

/*
 * The device's reset, then every device on its child buses, in bus order
 * and insertion order (pre-order: a parent is reset before its children).
 */
void device_reset(DeviceState *dev);

/* ---- -global ------------------------------------------------------- */

/*
 * Record driver.prop=value for every later device_new of driver or its
 * children. A known driver with an unknown property fails at once; an
 * unknown driver is reported by device_globals_check_used.
 */
bool device_global_add(const char *driver, const char *prop, const char *value,
                       GError **errp);
/* "driver.prop=value" or "driver=D,property=P,value=V". */
bool device_global_parse(const char *optarg, GError **errp);
/* Fails naming the first global whose driver or property does not exist. */
bool device_globals_check_used(GError **errp);
void device_globals_clear(void);

/* ---- Buses --------------------------------------------------------- */

typedef struct BusOps {
    /* Before realize: validate or assign an address (e.g. a PCI slot). */
    bool (*check_plug)(BusState *bus, DeviceState *dev, GError **errp);
    /* After the device left the bus (unrealize or failed realize). */
    void (*unplug)(BusState *bus, DeviceState *dev);
    /* No room for another device: skipped when -device names no bus. */
    bool (*is_full)(BusState *bus);
    /* Extra qtree lines for a child, already indented by the caller. */
    void (*print_dev)(BusState *bus, DeviceState *dev, GString *out,
                      int indent);
} BusOps;

struct BusState {
    char *type;
    char *name;
    DeviceState *parent;        /* NULL for the main system bus */
    GPtrArray *children;        /* DeviceState *, realized, insertion order */
    const BusOps *ops;
    void *opaque;               /* for ops */
};

/*
 * A bus of type owned by parent (NULL only for root buses). name NULL picks
 * "<type in lower case>.<n>" with the first free n; an explicit name must be
 * unique.
 */
BusState *bus_new(const char *type, const char *name, DeviceState *parent);
void bus_set_ops(BusState *bus, const BusOps *ops, void *opaque);
/* Unrealizes and frees the children, detaches from the parent device. */
void bus_free(BusState *bus);
/* The main system bus, created on first use. */
BusState *sysbus_get(void);
/* By name; buses of unrealized devices are not visible. */
BusState *bus_find(const char *name);
/* First visible bus of type, breadth-first from the main system bus. */
BusState *bus_find_by_type(const char *type);
/* The same, skipping buses whose is_full hook says they have no room. */
BusState *bus_find_free_by_type(const char *type);
/* device_reset of every child in order. */
void bus_reset(BusState *bus);
/* Free the main system bus and every device in the tree (shutdown, tests). */
void device_tree_destroy(void);

/* Internal to hw/core: membership kept by device_realize/unrealize. */
void bus_attach_child(BusState *bus, DeviceState *dev);
void bus_detach_child(BusState *bus, DeviceState *dev);

/* ---- System-bus style resources ------------------------------------ */

typedef struct DeviceRegion {
    MemoryRegion *mr;
    uint64_t addr;
    bool mapped;
} DeviceRegion;

/* Register the device's n-th MMIO region (returns n); mr stays the device's. */
int device_init_mmio(DeviceState *dev, MemoryRegion *mr);
/* Map region n at addr in system memory (remapping if already mapped). */
void device_mmio_map(DeviceState *dev, int n, uint64_t addr);
void device_mmio_unmap(DeviceState *dev, int n);
int device_mmio_count(const DeviceState *dev);
MemoryRegion *device_mmio_region(const DeviceState *dev, int n);
/* UINT64_MAX when not mapped. */
uint64_t device_mmio_addr(const DeviceState *dev, int n);

/* The same for I/O ports, mapped in the system I/O space. */
int device_init_pio(DeviceState *dev, MemoryRegion *mr);
void device_pio_map(DeviceState *dev, int n, uint64_t port);
void device_pio_unmap(DeviceState *dev, int n);
int device_pio_count(const DeviceState *dev);
uint64_t device_pio_addr(const DeviceState *dev, int n);

/* ---- IRQ and GPIO lines -------------------------------------------- */

/* Sysbus-style output n (in init order) lives in *slot, NULL until wired. */
int device_init_irq(DeviceState *dev, IrqLine **slot);
void device_connect_irq(DeviceState *dev, int n, IrqLine *line);
int device_irq_count(const DeviceState *dev);

/*
 * Inputs: count lines whose handler gets (dev, n, level); calling again on
 * the same name appends lines numbered after the existing ones. name NULL
 * is the unnamed set. The device owns the lines.
 */
void device_init_gpio_in_named(DeviceState *dev, IrqHandler handler,
                               const char *name, int count);
void device_init_gpio_in(DeviceState *dev, IrqHandler handler, int count);
IrqLine *device_gpio_in_named(DeviceState *dev, const char *name, int n);
IrqLine *device_gpio_in(DeviceState *dev, int n);

/* Outputs: slots[0..count-1] are the device's fields, NULL until wired. */
void device_init_gpio_out_named(DeviceState *dev, IrqLine **slots,
                                const char *name, int count);
void device_init_gpio_out(DeviceState *dev, IrqLine **slots, int count);
void device_connect_gpio_out_named(DeviceState *dev, const char *name, int n,
                                   IrqLine *target);
void device_connect_gpio_out(DeviceState *dev, int n, IrqLine *target);

/* ---- Printing ------------------------------------------------------ */

/* -device help: user-creatable classes grouped by category. */
void device_print_help_list(FILE *out);
/* -device NAME,help: "NAME options:" then one line per property. */
bool device_print_props(FILE *out, const char *name, GError **errp);
/* info qtree. */
void qtree_print(GString *out);

#endif
