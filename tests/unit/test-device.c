/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Device model tests: typed properties (defaults, parsing, printing,
 * errors), -global, ids, realize/unrealize, buses, reset order, IRQ lines,
 * backend and link properties, and the help/qtree printers. The classes
 * below exist only for these tests.
 */
#include <string.h>

#include "hw/core/device.h"
#include "system/memory.h"
#include "util/error.h"
#include "util/keyval.h"

static GString *reset_log;

/* ---- Test classes -------------------------------------------------- */

typedef struct TestBase {
    DeviceState parent;
    bool enabled;
    uint32_t base_val;
    int resets;
} TestBase;

typedef struct TestDev {
    TestBase parent;
    uint8_t u8;
    uint16_t u16;
    uint32_t baud;
    uint64_t u64;
    int32_t i32;
    int64_t i64;
    uint64_t size;
    char *name;
    int mode;
    MacAddr mac;
    void *chr;
    void *drive;
    void *netdev;
    TestBase *peer;
    MemoryRegion mmio;
    IrqLine *irq;
    IrqLine *out[2];
    int inits;
} TestDev;

typedef struct TestBridge {
    DeviceState parent;
    BusState *bus;
} TestBridge;

static const char *const mode_names[] = { "off", "on", "auto", NULL };

static void log_reset(DeviceState *dev)
{
    g_string_append_printf(reset_log, "%s;", dev->id ? dev->id : "?");
}

static void test_base_reset(DeviceState *dev)
{
    ((TestBase *)dev)->resets++;
    log_reset(dev);
}

static const Property test_base_props[] = {
    PROP_BOOL("enabled", TestBase, enabled, true, "Whether it works"),
    PROP_UINT32("base-val", TestBase, base_val, 7),
    PROP_END
};

static const DeviceClass test_base_class = {
    .name = "test-base",
    .desc = "base class",
    .instance_size = sizeof(TestBase),
    .props = test_base_props,
    .category = DEVICE_CATEGORY_MISC,
    .reset = test_base_reset,
};

static const Property test_dev_props[] = {
    PROP_UINT8("u8", TestDev, u8, 8),
    PROP_UINT16("u16", TestDev, u16, 16),
    PROP_UINT32("baudrate", TestDev, baud, 115200, "Baud rate"),
    PROP_UINT64("u64", TestDev, u64, 64),
    PROP_INT32("i32", TestDev, i32, -5),
    PROP_INT64("i64", TestDev, i64, -64),
    PROP_SIZE("size", TestDev, size, 4096),
    PROP_STRING("name", TestDev, name, "hello"),
    PROP_ENUM("mode", TestDev, mode, 1, mode_names, "Mode"),
    PROP_MACADDR("mac", TestDev, mac),
    PROP_CHARDEV("chardev", TestDev, chr, "ID of a chardev to use as a backend"),
    PROP_DRIVE("drive", TestDev, drive),
    PROP_NETDEV("netdev", TestDev, netdev),
    PROP_LINK("peer", TestDev, peer, "test-base"),
    PROP_END
};

static uint64_t test_dev_read(void *opaque, uint64_t addr, unsigned size)
{
    return 0;
}

static const MemoryRegionOps test_dev_ops = {
    .read = test_dev_read,
};

static void test_dev_init(DeviceState *dev)
{
    TestDev *s = (TestDev *)dev;

    /* Runs after the parent's defaults: proves props are set before. */
    g_assert_cmpuint(s->baud, ==, 115200);
    s->inits++;
    memory_region_init_io(&s->mmio, &test_dev_ops, s, "test-dev", 0x1000);
    device_init_mmio(dev, &s->mmio);
    device_init_irq(dev, &s->irq);
    device_init_gpio_out(dev, s->out, 2);
}

static bool test_dev_realize(DeviceState *dev, GError **errp)
{
    TestDev *s = (TestDev *)dev;

    if (!s->baud) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "baudrate must not be zero");
        return false;
    }
    return true;
}

static void test_dev_finalize(DeviceState *dev)
{
    memory_region_destroy(&((TestDev *)dev)->mmio);
}

static const DeviceClass test_dev_class = {
    .name = "test-dev",
    .alias = "tdev",
    .desc = "test device",
    .parent = &test_base_class,
    .instance_size = sizeof(TestDev),
    .props = test_dev_props,
    .category = DEVICE_CATEGORY_MISC,
    .user_creatable = true,
    .instance_init = test_dev_init,
    .realize = test_dev_realize,
    .instance_finalize = test_dev_finalize,
};

static void test_bridge_init(DeviceState *dev)
{
    ((TestBridge *)dev)->bus = bus_new("TestBus", NULL, dev);
}

static const DeviceClass test_bridge_class = {
    .name = "test-bridge",
    .desc = "test bridge",
    .instance_size = sizeof(TestBridge),
    .category = DEVICE_CATEGORY_BRIDGE,
    .user_creatable = true,
    .instance_init = test_bridge_init,
    .reset = log_reset,
};

static const DeviceClass test_leaf_class = {
    .name = "test-leaf",
    .instance_size = sizeof(DeviceState),
    .bus_type = "TestBus",
    .user_creatable = true,
    .reset = log_reset,
};

/* ---- Helpers ------------------------------------------------------- */

static void assert_one_line(const GError *err)
{
    g_assert_nonnull(err);
    g_assert_null(strchr(err->message, '\n'));
}

static void assert_error(GError **err, const char *expect)
{
    assert_one_line(*err);
    if (!strstr((*err)->message, expect)) {
        g_error("error '%s' does not contain '%s'", (*err)->message, expect);
    }
    g_clear_error(err);
}

static DeviceState *create(const char *opts, GError **errp)
{
    g_autoptr(KeyvalList) kv = keyval_parse(opts, "driver", errp);

    return kv ? device_create_from_keyval(kv, errp) : NULL;
}

static DeviceState *create_ok(const char *opts)
{
    GError *err = NULL;
    DeviceState *dev = create(opts, &err);

    g_assert_no_error(err);
    g_assert_nonnull(dev);
    return dev;
}

static void create_fail(const char *opts, const char *expect)
{
    GError *err = NULL;

    g_assert_null(create(opts, &err));
    assert_error(&err, expect);
}

static void assert_prop(DeviceState *dev, const char *name, const char *expect)
{
    g_autofree char *v = device_get_prop(dev, name);

    g_assert_cmpstr(v, ==, expect);
}

static void test_teardown(void)
{
    device_tree_destroy();
    device_globals_clear();
    g_string_truncate(reset_log, 0);
}

/* ---- Tests --------------------------------------------------------- */

static void test_defaults(void)
{
    g_autoptr(GError) err = NULL;
    DeviceState *dev = device_new("test-dev", &err);
    TestDev *s = (TestDev *)dev;

    g_assert_no_error(err);
    g_assert_true(s->parent.enabled);
    g_assert_cmpuint(s->parent.base_val, ==, 7);
    g_assert_cmpuint(s->u8, ==, 8);
    g_assert_cmpuint(s->u16, ==, 16);
    g_assert_cmpuint(s->baud, ==, 115200);
    g_assert_cmpint(s->i32, ==, -5);
    g_assert_cmpint(s->i64, ==, -64);
    g_assert_cmpuint(s->size, ==, 4096);
    g_assert_cmpstr(s->name, ==, "hello");
    g_assert_cmpint(s->mode, ==, 1);
    g_assert_cmpint(s->inits, ==, 1);
    g_assert_null(s->chr);

    assert_prop(dev, "enabled", "true");
    assert_prop(dev, "base-val", "7");
    assert_prop(dev, "u64", "64");
    assert_prop(dev, "i32", "-5");
    assert_prop(dev, "size", "4096");
    assert_prop(dev, "name", "hello");
    assert_prop(dev, "mode", "on");
    assert_prop(dev, "mac", "00:00:00:00:00:00");
    assert_prop(dev, "chardev", "");
    assert_prop(dev, "peer", "");
    g_assert_null(device_get_prop(dev, "nope"));
    g_assert_cmpstr(device_type_name(dev), ==, "test-dev");
    g_assert_true(device_is_a(dev, "test-base"));
    g_assert_false(device_is_a(dev, "test-bridge"));

    /* The alias finds the class too. */
    g_assert_true(device_class_find("tdev") == &test_dev_class);
    g_assert_cmpstr(device_class_bus_type(&test_dev_class), ==, "System");
    g_assert_cmpstr(device_class_bus_type(&test_leaf_class), ==, "TestBus");
    device_free(dev);
}

static void test_set_good(void)
{
    static const struct {
        const char *prop, *value, *printed;
    } cases[] = {
        { "enabled", "off", "false" },   { "enabled", "yes", "true" },
        { "u8", "255", "255" },          { "u8", "0x7f", "127" },
        { "u16", "65535", "65535" },     { "baudrate", "0x10", "16" },
        { "baudrate", "4294967295", "4294967295" },
        { "u64", "18446744073709551615", "18446744073709551615" },
        { "i32", "-2147483648", "-2147483648" },
        { "i32", "2147483647", "2147483647" },
        { "i32", "-0x10", "-16" },
        { "i64", "-9223372036854775808", "-9223372036854775808" },
        { "size", "64K", "65536" },      { "size", "2M", "2097152" },
        { "size", "1G", "1073741824" },  { "name", "a,b c", "a,b c" },
        { "name", "", "" },              { "mode", "auto", "auto" },
        { "mode", "off", "off" },
        { "mac", "52:54:00:12:34:56", "52:54:00:12:34:56" },
        { "mac", "AA-BB-CC-DD-EE-FF", "aa:bb:cc:dd:ee:ff" },
        { "base-val", "99", "99" },
    };
    GError *err = NULL;
    DeviceState *dev = device_new("test-dev", &err);
    TestDev *s = (TestDev *)dev;

    for (unsigned i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_assert_true(device_set_prop(dev, cases[i].prop, cases[i].value,
                                      &err));
        g_assert_no_error(err);
        assert_prop(dev, cases[i].prop, cases[i].printed);
    }
    g_assert_cmpuint(s->size, ==, 1u << 30);
    g_assert_cmpint(s->mode, ==, 0);
    g_assert_cmpuint(s->mac.a[0], ==, 0xaa);
    g_assert_cmpuint(s->parent.base_val, ==, 99);
    device_free(dev);
}

static void test_set_bad(void)
{
    static const struct {
        const char *prop, *value, *expect;
    } cases[] = {
        { "enabled", "maybe", "property 'enabled': invalid bool value 'maybe'" },
        { "u8", "256", "property 'u8': value '256' out of range for uint8" },
        { "u16", "70000", "value '70000' out of range for uint16" },
        { "baudrate", "4294967296", "out of range for uint32" },
        { "baudrate", "abc", "property 'baudrate': invalid uint32 value 'abc'" },
        { "baudrate", "-1", "invalid uint32 value '-1'" },
        { "baudrate", "", "invalid uint32 value ''" },
        { "baudrate", "12 ", "invalid uint32 value '12 '" },
        { "u64", "18446744073709551616", "invalid uint64 value" },
        { "i32", "2147483648", "value '2147483648' out of range for int32" },
        { "i32", "-2147483649", "out of range for int32" },
        { "i64", "9223372036854775808", "invalid int64 value" },
        { "i64", "1x", "invalid int64 value '1x'" },
        { "size", "12Q", "invalid size value '12Q'" },
        { "mode", "sideways",
          "property 'mode': invalid value 'sideways' (expected off/on/auto)" },
        { "mac", "52:54:00:12:34", "invalid macaddr value '52:54:00:12:34'" },
        { "mac", "52:54:00:12:34:5g", "invalid macaddr value" },
        { "mac", "52:54:00:12:34:56:78", "invalid macaddr value" },
        { "nosuch", "1", "test-dev: property 'nosuch' not found" },
    };
    GError *err = NULL;
    DeviceState *dev = device_new("test-dev", &err);
    TestDev *s = (TestDev *)dev;

    for (unsigned i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_assert_false(device_set_prop(dev, cases[i].prop, cases[i].value,
                                       &err));
        g_assert_true(g_str_has_prefix(err->message, "test-dev: "));
        assert_error(&err, cases[i].expect);
    }
    /* Failed sets leave the old values. */
    g_assert_cmpuint(s->u8, ==, 8);
    g_assert_cmpuint(s->baud, ==, 115200);
    g_assert_cmpint(s->mode, ==, 1);
    device_free(dev);
}

static void test_typed_setters(void)
{
    static const uint8_t mac[6] = { 0x52, 0x54, 0, 1, 2, 3 };
    GError *err = NULL;
    DeviceState *dev = device_new("test-dev", &err);
    TestDev *s = (TestDev *)dev;

    g_assert_true(device_set_prop_uint(dev, "u16", 1234, &err));
    g_assert_true(device_set_prop_uint(dev, "size", 1u << 20, &err));
    g_assert_true(device_set_prop_int(dev, "i64", -7, &err));
    g_assert_true(device_set_prop_bool(dev, "enabled", false, &err));
    g_assert_true(device_set_prop_str(dev, "name", "x", &err));
    g_assert_true(device_set_prop_str(dev, "mode", "auto", &err));
    g_assert_true(device_set_prop_macaddr(dev, "mac", mac, &err));
    g_assert_no_error(err);
    g_assert_cmpuint(s->u16, ==, 1234);
    g_assert_cmpuint(s->size, ==, 1u << 20);
    g_assert_cmpint(s->i64, ==, -7);
    g_assert_false(s->parent.enabled);
    g_assert_cmpstr(s->name, ==, "x");
    g_assert_cmpint(s->mode, ==, 2);
    assert_prop(dev, "mac", "52:54:00:01:02:03");
    g_assert_true(device_set_prop_str(dev, "name", NULL, &err));
    g_assert_null(s->name);
    assert_prop(dev, "name", "");

    g_assert_false(device_set_prop_uint(dev, "u8", 300, &err));
    assert_error(&err, "test-dev: property 'u8': value '300' out of range");
    g_assert_false(device_set_prop_int(dev, "i32", INT64_MAX, &err));
    assert_error(&err, "out of range for int32");
    g_assert_false(device_set_prop_uint(dev, "name", 1, &err));
    assert_error(&err, "property 'name' is a str, not an unsigned integer");
    g_assert_false(device_set_prop_bool(dev, "nosuch", true, &err));
    assert_error(&err, "test-dev: property 'nosuch' not found");
    g_assert_false(device_set_prop_str(dev, "mode", "bad", &err));
    assert_error(&err, "invalid value 'bad'");
    device_free(dev);
}

static void test_globals(void)
{
    GError *err = NULL;
    DeviceState *dev, *base;

    /* Parent-class globals apply first, then the class's own, in order. */
    g_assert_true(device_global_add("test-dev", "base-val", "12", &err));
    g_assert_true(device_global_add("test-base", "base-val", "11", &err));
    g_assert_true(device_global_parse("tdev.baudrate=9600", &err));
    g_assert_true(device_global_parse("driver=test-dev,property=u8,value=3",
                                      &err));
    g_assert_true(device_global_add("test-dev", "u8", "4", &err));
    g_assert_no_error(err);

    dev = device_new("test-dev", &err);
    g_assert_no_error(err);
    g_assert_cmpuint(((TestBase *)dev)->base_val, ==, 12);
    g_assert_cmpuint(((TestDev *)dev)->baud, ==, 9600);
    g_assert_cmpuint(((TestDev *)dev)->u8, ==, 4);
    device_free(dev);

    base = device_new("test-base", &err);
    g_assert_cmpuint(((TestBase *)base)->base_val, ==, 11);
    device_free(base);

    /* User properties win over globals. */
    dev = create_ok("test-dev,id=g1,baudrate=19200");
    g_assert_cmpuint(((TestDev *)dev)->baud, ==, 19200);
    g_assert_cmpuint(((TestBase *)dev)->base_val, ==, 12);
    g_assert_true(device_globals_check_used(&err));
    g_assert_no_error(err);

    /* Known class, unknown property: at once. */
    g_assert_false(device_global_add("test-dev", "nope", "1", &err));
    assert_error(&err, "-global test-dev.nope=1: property 'nope' not found");
    g_assert_false(device_global_parse("test-dev", &err));
    assert_error(&err, "-global test-dev: expected driver.property=value");
    g_assert_false(device_global_parse("driver=test-dev,value=1", &err));
    assert_error(&err, "expected driver=D,property=P,value=V");

    /* Unknown class: at the final check. */
    g_assert_true(device_global_add("nosuch", "x", "1", &err));
    g_assert_false(device_globals_check_used(&err));
    assert_error(&err, "-global nosuch.x=1: device 'nosuch' not found");
    device_globals_clear();

    /* A bad value fails creation, naming the global. */
    g_assert_true(device_global_add("test-dev", "u8", "999", &err));
    g_assert_null(device_new("test-dev", &err));
    assert_error(&err,
                 "-global test-dev.u8=999: property 'u8': value '999' out of "
                 "range for uint8");
    create_fail("test-dev", "-global test-dev.u8=999");
    test_teardown();
}

static void test_realize(void)
{
    GError *err = NULL;
    DeviceState *dev = device_new("test-dev", &err);
    BusState *sys = sysbus_get();

    g_assert_true(device_set_id(dev, "r1", &err));
    g_assert_true(device_realize(dev, NULL, &err));
    g_assert_no_error(err);
    g_assert_true(dev->realized);
    g_assert_true(dev->parent_bus == sys);
    g_assert_true(device_find_by_id("r1") == dev);
    g_assert_cmpuint(sys->children->len, ==, 1);

    g_assert_false(device_set_prop(dev, "u8", "1", &err));
    assert_error(&err, "test-dev: property 'u8' cannot be set after realize");
    g_assert_false(device_set_prop_uint(dev, "u8", 1, &err));
    assert_error(&err, "cannot be set after realize");
    g_assert_false(device_set_id(dev, "r2", &err));
    assert_error(&err, "test-dev: id cannot be changed after realize");
    g_assert_false(device_realize(dev, NULL, &err));
    assert_error(&err, "test-dev: device is already realized");

    device_unrealize(dev);
    g_assert_false(dev->realized);
    g_assert_null(device_find_by_id("r1"));
    g_assert_cmpuint(sys->children->len, ==, 0);
    /* Unrealized devices can be configured again. */
    g_assert_true(device_set_prop(dev, "u8", "1", &err));
    device_free(dev);
    test_teardown();
}

static void test_realize_failure(void)
{
    GError *err = NULL;
    DeviceState *dev = device_new("test-dev", &err);

    g_assert_true(device_set_id(dev, "bad", &err));
    g_assert_true(device_set_prop(dev, "baudrate", "0", &err));
    g_assert_false(device_realize(dev, NULL, &err));
    assert_error(&err, "test-dev: baudrate must not be zero");
    g_assert_false(dev->realized);
    g_assert_null(dev->parent_bus);
    g_assert_null(device_find_by_id("bad"));
    g_assert_cmpuint(sysbus_get()->children->len, ==, 0);
    /* The id stays free for a later device. */
    device_free(dev);

    create_fail("test-dev,id=bad,baudrate=0",
                "-device test-dev: baudrate must not be zero");
    g_assert_null(device_find_by_id("bad"));
    g_assert_cmpuint(sysbus_get()->children->len, ==, 0);
    create_ok("test-dev,id=bad");
    test_teardown();
}

static void test_keyval(void)
{
    DeviceState *dev;

    dev = create_ok("tdev,id=k1,u8=9,mode=off,bus=main-system-bus");
    g_assert_true(dev->klass == &test_dev_class);
    g_assert_cmpstr(dev->id, ==, "k1");
    g_assert_cmpuint(((TestDev *)dev)->u8, ==, 9);
    g_assert_true(device_find_by_id("k1") == dev);

    create_fail("test-dev,id=k2,foo=1",
                "-device test-dev: property 'foo' not found");
    create_fail("nosuchdev", "-device nosuchdev: device 'nosuchdev' not found");
    create_fail("test-base",
                "-device test-base: device 'test-base' cannot be created "
                "with -device");
    create_fail("test-dev,u8=256", "-device test-dev: property 'u8': value");
    create_fail("test-dev,bus=nosuch", "-device test-dev: bus 'nosuch' not found");
    create_fail("test-dev,id=k1", "-device test-dev: duplicate id 'k1'");
    create_fail("test-dev,id=1x", "-device test-dev: invalid id '1x'");
    create_fail("id=x", "-device: parameter 'driver' is missing");
    g_assert_null(device_find_by_id("k2"));
    g_assert_cmpuint(sysbus_get()->children->len, ==, 1);
    test_teardown();
}

static void test_duplicate_id(void)
{
    GError *err = NULL;
    DeviceState *a = device_new("test-dev", &err);
    DeviceState *b = device_new("test-dev", &err);

    g_assert_true(device_set_id(a, "same", &err));
    g_assert_true(device_set_id(b, "same", &err));
    g_assert_true(device_realize(a, NULL, &err));
    g_assert_false(device_realize(b, NULL, &err));
    assert_error(&err, "test-dev: duplicate id 'same'");
    g_assert_false(device_set_id(b, "same", &err));
    assert_error(&err, "duplicate id 'same'");
    g_assert_false(device_set_id(b, "a b", &err));
    assert_error(&err, "invalid id 'a b'");
    g_assert_true(device_find_by_id("same") == a);
    device_free(b);
    test_teardown();
}

static void test_buses(void)
{
    GError *err = NULL;
    DeviceState *br, *br2, *l1, *l2, *l3, *unreal;

    br = create_ok("test-bridge,id=br");
    g_assert_cmpuint(br->child_buses->len, ==, 1);
    g_assert_nonnull(bus_find("testbus.0"));
    g_assert_true(bus_find("testbus.0")->parent == br);
    g_assert_true(bus_find("main-system-bus") == sysbus_get());

    l1 = create_ok("test-leaf,id=l1,bus=testbus.0");
    l2 = create_ok("test-leaf,id=l2");          /* first TestBus found */
    g_assert_true(l1->parent_bus == l2->parent_bus);
    g_assert_cmpuint(bus_find("testbus.0")->children->len, ==, 2);

    create_fail("test-dev,bus=testbus.0",
                "-device test-dev: bus 'testbus.0' is a TestBus bus, the "
                "device needs a System bus");
    create_fail("test-leaf,bus=main-system-bus",
                "bus 'main-system-bus' is a System bus, the device needs a "
                "TestBus bus");

    /* A second bridge gets the next free bus name. */
    br2 = create_ok("test-bridge,id=br2");
    g_assert_cmpstr(((TestBridge *)br2)->bus->name, ==, "testbus.1");
    l3 = create_ok("test-leaf,id=l3,bus=testbus.1");

    /* Buses of an unrealized device are not visible to bus=. */
    unreal = device_new("test-bridge", &err);
    g_assert_cmpstr(((TestBridge *)unreal)->bus->name, ==, "testbus.2");
    g_assert_null(bus_find("testbus.2"));
    create_fail("test-leaf,bus=testbus.2", "bus 'testbus.2' not found");
    device_free(unreal);

    /* Freeing a bridge frees its subtree. */
    device_free(br2);
    g_assert_null(device_find_by_id("l3"));
    g_assert_null(bus_find("testbus.1"));
    (void)l3;

    /* Unrealize (without free) also releases the children. */
    device_unrealize(br);
    g_assert_null(device_find_by_id("l1"));
    g_assert_null(device_find_by_id("l2"));
    g_assert_null(bus_find("testbus.0"));
    g_assert_cmpuint(((TestBridge *)br)->bus->children->len, ==, 0);
    g_assert_true(device_realize(br, NULL, &err));
    g_assert_nonnull(bus_find("testbus.0"));
    (void)l1;
    (void)l2;

    /* No TestBus at all. */
    device_free(br);
    create_fail("test-leaf", "-device test-leaf: no free 'TestBus' bus found");
    test_teardown();
}

static void test_reset_order(void)
{
    g_autofree char *first = NULL;
    DeviceState *a;

    a = create_ok("test-dev,id=a");
    create_ok("test-bridge,id=br");
    create_ok("test-leaf,id=l1");
    create_ok("test-bridge,id=br2");
    create_ok("test-leaf,id=l2,bus=testbus.0");
    create_ok("test-leaf,id=l3,bus=testbus.1");
    create_ok("test-dev,id=b");

    bus_reset(sysbus_get());
    first = g_strdup(reset_log->str);
    g_assert_cmpstr(first, ==, "a;br;l1;l2;br2;l3;b;");
    for (int i = 0; i < 99; i++) {
        g_string_truncate(reset_log, 0);
        bus_reset(sysbus_get());
        g_assert_cmpstr(reset_log->str, ==, first);
    }
    g_assert_cmpint(((TestBase *)a)->resets, ==, 100);

    g_string_truncate(reset_log, 0);
    device_reset(device_find_by_id("br"));
    g_assert_cmpstr(reset_log->str, ==, "br;l1;l2;");
    test_teardown();
}

typedef struct IrqRecord {
    void *opaque;
    int n, level, calls;
} IrqRecord;

static IrqRecord irq_rec;

static void record_irq(void *opaque, int n, int level)
{
    irq_rec.opaque = opaque;
    irq_rec.n = n;
    irq_rec.level = level;
    irq_rec.calls++;
}

static void test_irq(void)
{
    GError *err = NULL;
    IrqLine **lines = irq_new_array(record_irq, &irq_rec, 3);
    IrqLine *split, *inv;
    DeviceState *dev, *sink;
    TestDev *s;

    memset(&irq_rec, 0, sizeof(irq_rec));
    irq_set(NULL, 1);
    irq_pulse(NULL);
    g_assert_cmpint(irq_rec.calls, ==, 0);

    irq_raise(lines[2]);
    g_assert_true(irq_rec.opaque == &irq_rec);
    g_assert_cmpint(irq_rec.n, ==, 2);
    g_assert_cmpint(irq_rec.level, ==, 1);
    irq_lower(lines[0]);
    g_assert_cmpint(irq_rec.n, ==, 0);
    g_assert_cmpint(irq_rec.level, ==, 0);
    irq_pulse(lines[1]);
    g_assert_cmpint(irq_rec.calls, ==, 4);
    g_assert_cmpint(irq_rec.level, ==, 0);

    split = irq_new_split(lines[1], NULL);
    irq_set(split, 5);
    g_assert_cmpint(irq_rec.n, ==, 1);
    g_assert_cmpint(irq_rec.level, ==, 5);
    inv = irq_new_inverter(lines[2]);
    irq_raise(inv);
    g_assert_cmpint(irq_rec.n, ==, 2);
    g_assert_cmpint(irq_rec.level, ==, 0);
    irq_free(split);
    irq_free(inv);

    /* Device inputs get the device as opaque; named sets number from 0. */
    sink = device_new("test-leaf", &err);
    device_init_gpio_in(sink, record_irq, 2);
    device_init_gpio_in_named(sink, record_irq, "extra", 1);
    device_init_gpio_in(sink, record_irq, 1);
    irq_raise(device_gpio_in(sink, 1));
    g_assert_true(irq_rec.opaque == sink);
    g_assert_cmpint(irq_rec.n, ==, 1);
    irq_raise(device_gpio_in(sink, 2));
    g_assert_cmpint(irq_rec.n, ==, 2);
    irq_set(device_gpio_in_named(sink, "extra", 0), 3);
    g_assert_cmpint(irq_rec.n, ==, 0);
    g_assert_cmpint(irq_rec.level, ==, 3);

    /* Outputs: unwired slots are NULL and driving them is harmless. */
    dev = device_new("test-dev", &err);
    s = (TestDev *)dev;
    irq_rec.calls = 0;
    irq_raise(s->irq);
    irq_raise(s->out[1]);
    g_assert_cmpint(irq_rec.calls, ==, 0);
    g_assert_cmpint(device_irq_count(dev), ==, 1);
    device_connect_irq(dev, 0, lines[0]);
    device_connect_gpio_out(dev, 1, device_gpio_in(sink, 0));
    irq_raise(s->irq);
    g_assert_true(irq_rec.opaque == &irq_rec);
    g_assert_cmpint(irq_rec.n, ==, 0);
    irq_set(s->out[1], 7);
    g_assert_true(irq_rec.opaque == sink);
    g_assert_cmpint(irq_rec.n, ==, 0);
    g_assert_cmpint(irq_rec.level, ==, 7);
    g_assert_null(s->out[0]);

    device_free(dev);
    device_free(sink);
    irq_free_array(lines, 3);
}

static int fake_chardev;
static int fake_drive;

static void *fake_chardev_lookup(const char *id, GError **errp)
{
    if (!strcmp(id, "ser0")) {
        return &fake_chardev;
    }
    g_set_error(errp, TERN_ERROR, TERN_ERROR_NOT_FOUND,
                "chardev '%s' not found", id);
    return NULL;
}

static void *fake_drive_lookup(const char *id, GError **errp)
{
    /* No error set: the core supplies the message. */
    return !strcmp(id, "hd0") ? &fake_drive : NULL;
}

static void test_backend(void)
{
    GError *err = NULL;
    DeviceState *dev = device_new("test-dev", &err);
    TestDev *s = (TestDev *)dev;

    g_assert_false(device_set_prop(dev, "chardev", "ser0", &err));
    assert_error(&err, "test-dev: property 'chardev': chardev backends are "
                       "not supported yet");
    g_assert_false(device_set_prop(dev, "netdev", "n0", &err));
    assert_error(&err, "netdev backends are not supported yet");

    device_prop_register_lookup(PROP_TYPE_CHARDEV, fake_chardev_lookup);
    device_prop_register_lookup(PROP_TYPE_DRIVE, fake_drive_lookup);
    g_assert_true(device_set_prop(dev, "chardev", "ser0", &err));
    g_assert_no_error(err);
    g_assert_true(s->chr == &fake_chardev);
    assert_prop(dev, "chardev", "ser0");
    g_assert_false(device_set_prop(dev, "chardev", "nope", &err));
    assert_error(&err,
                 "test-dev: property 'chardev': chardev 'nope' not found");
    g_assert_true(s->chr == &fake_chardev);

    g_assert_true(device_set_prop(dev, "drive", "hd0", &err));
    g_assert_true(s->drive == &fake_drive);
    g_assert_false(device_set_prop(dev, "drive", "hd1", &err));
    assert_error(&err, "property 'drive': drive 'hd1' not found");

    /* An empty id disconnects. */
    g_assert_true(device_set_prop(dev, "chardev", "", &err));
    g_assert_null(s->chr);
    assert_prop(dev, "chardev", "");

    g_assert_true(device_set_prop_backend(dev, "chardev", &fake_chardev,
                                          "direct", &err));
    assert_prop(dev, "chardev", "direct");
    g_assert_false(device_set_prop_backend(dev, "u8", NULL, NULL, &err));
    assert_error(&err, "property 'u8' is a uint8, not a backend");

    device_prop_register_lookup(PROP_TYPE_CHARDEV, NULL);
    device_prop_register_lookup(PROP_TYPE_DRIVE, NULL);
    device_free(dev);
}

static void test_link(void)
{
    GError *err = NULL;
    DeviceState *tgt = device_new("test-base", &err);
    DeviceState *dev;

    device_set_id(tgt, "tgt", &err);
    g_assert_true(device_realize(tgt, NULL, &err));
    create_ok("test-bridge,id=brg");

    dev = create_ok("test-dev,id=src,peer=tgt");
    g_assert_true(((TestDev *)dev)->peer == (TestBase *)tgt);
    assert_prop(dev, "peer", "tgt");

    /* A test-dev is a test-base too. */
    create_ok("test-dev,id=src2,peer=src");
    create_fail("test-dev,peer=ghost",
                "-device test-dev: property 'peer': device 'ghost' not found");
    create_fail("test-dev,peer=brg",
                "property 'peer': device 'brg' is a test-bridge, not a "
                "test-base");

    dev = device_new("test-dev", &err);
    g_assert_true(device_set_prop_link(dev, "peer", tgt, &err));
    assert_prop(dev, "peer", "tgt");
    g_assert_false(device_set_prop_link(dev, "peer",
                                        device_find_by_id("brg"), &err));
    assert_error(&err, "device is a test-bridge, not a test-base");
    g_assert_true(device_set_prop_link(dev, "peer", NULL, &err));
    assert_prop(dev, "peer", "");
    device_free(dev);
    test_teardown();
}

static char *capture(void (*fn)(FILE *out, void *opaque), void *opaque)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    fn(f, opaque);
    fclose(f);
    return buf;
}

static void print_list(FILE *out, void *opaque)
{
    device_print_help_list(out);
}

static void print_props(FILE *out, void *opaque)
{
    GError *err = NULL;

    g_assert_true(device_print_props(out, opaque, &err));
}

static void test_help(void)
{
    g_autofree char *list = capture(print_list, NULL);
    g_autofree char *props = capture(print_props, "tdev");
    GError *err = NULL;

    g_assert_nonnull(strstr(list,
        "Controller/Bridge/Hub devices:\n"
        "name \"test-bridge\", bus System, desc \"test bridge\"\n"));
    g_assert_nonnull(strstr(list,
        "\nMisc devices:\n"
        "name \"test-dev\", bus System, alias \"tdev\", desc \"test device\"\n"));
    g_assert_nonnull(strstr(list,
        "\nUncategorized devices:\n"
        "name \"test-leaf\", bus TestBus\n"));
    g_assert_null(strstr(list, "test-base"));
    /* Bridges come first, uncategorized last. */
    g_assert_true(g_str_has_prefix(list, "Controller/Bridge/Hub devices:\n"));
    g_assert_true(g_str_has_suffix(list, "name \"test-leaf\", bus TestBus\n"));

    if (g_test_verbose()) { printf("%s%s", list, props); }
    g_assert_true(g_str_has_prefix(props, "test-dev options:\n"
                                          "  enabled=<bool>         - "
                                          "Whether it works (default: true)\n"
                                          "  base-val=<uint32>      - "
                                          "(default: 7)\n"));
    g_assert_nonnull(strstr(props, "  baudrate=<uint32>      - Baud rate "
                                   "(default: 115200)\n"));
    g_assert_nonnull(strstr(props, "  chardev=<str>          - ID of a "
                                   "chardev to use as a backend\n"));
    g_assert_nonnull(strstr(props, "  mode=<enum>            - Mode "
                                   "(off/on/auto) (default: on)\n"));
    g_assert_nonnull(strstr(props, "  i32=<int32>            - "
                                   "(default: -5)\n"));
    g_assert_nonnull(strstr(props, "  name=<str>             - "
                                   "(default: \"hello\")\n"));
    g_assert_nonnull(strstr(props, "  mac=<str>\n"));
    g_assert_nonnull(strstr(props, "  peer=<link<test-base>>\n"));

    g_assert_false(device_print_props(stdout, "nosuch", &err));
    assert_error(&err, "device 'nosuch' not found");
}

static void test_qtree(void)
{
    g_autoptr(GString) out = g_string_new(NULL);
    DeviceState *a;

    a = create_ok("test-dev,id=a,chardev=,name=x");
    device_mmio_map(a, 0, 0x9000000);
    g_assert_cmphex(device_mmio_addr(a, 0), ==, 0x9000000);
    create_ok("test-bridge,id=br");
    create_ok("test-leaf,id=l1");
    create_ok("test-leaf");

    qtree_print(out);
    g_assert_true(g_str_has_prefix(out->str,
        "bus: main-system-bus\n"
        "  type System\n"
        "  dev: test-dev, id \"a\"\n"
        "    gpio-out \"\" 2\n"
        "    gpio-out \"sysbus-irq\" 1\n"
        "    enabled = true\n"
        "    base-val = 7\n"
        "    u8 = 8\n"));
    g_assert_nonnull(strstr(out->str, "    name = \"x\"\n"
                                      "    mode = \"on\"\n"
                                      "    mac = \"00:00:00:00:00:00\"\n"
                                      "    chardev = \"\"\n"));
    g_assert_nonnull(strstr(out->str,
        "    mmio 0000000009000000/0000000000001000\n"
        "  dev: test-bridge, id \"br\"\n"
        "    bus: testbus.0\n"
        "      type TestBus\n"
        "      dev: test-leaf, id \"l1\"\n"
        "      dev: test-leaf, id \"\"\n"));

    /* Remapping moves the region; unrealize unmaps it. */
    device_mmio_map(a, 0, 0x1000);
    g_assert_cmphex(device_mmio_addr(a, 0), ==, 0x1000);
    g_assert_true(memory_region_is_mapped(device_mmio_region(a, 0)));
    device_unrealize(a);
    g_assert_false(memory_region_is_mapped(device_mmio_region(a, 0)));
    g_assert_cmphex(device_mmio_addr(a, 0), ==, UINT64_MAX);
    device_free(a);
    test_teardown();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    reset_log = g_string_new(NULL);
    device_class_register(&test_base_class);
    device_class_register(&test_dev_class);
    device_class_register(&test_bridge_class);
    device_class_register(&test_leaf_class);

    g_test_add_func("/device/defaults", test_defaults);
    g_test_add_func("/device/set-good", test_set_good);
    g_test_add_func("/device/set-bad", test_set_bad);
    g_test_add_func("/device/typed-setters", test_typed_setters);
    g_test_add_func("/device/globals", test_globals);
    g_test_add_func("/device/realize", test_realize);
    g_test_add_func("/device/realize-failure", test_realize_failure);
    g_test_add_func("/device/keyval", test_keyval);
    g_test_add_func("/device/duplicate-id", test_duplicate_id);
    g_test_add_func("/device/buses", test_buses);
    g_test_add_func("/device/reset-order", test_reset_order);
    g_test_add_func("/device/irq", test_irq);
    g_test_add_func("/device/backend", test_backend);
    g_test_add_func("/device/link", test_link);
    g_test_add_func("/device/help", test_help);
    g_test_add_func("/device/qtree", test_qtree);

    int ret = g_test_run();

    device_class_registry_clear();
    g_string_free(reset_log, TRUE);
    return ret;
}
