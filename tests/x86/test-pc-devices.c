/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Device tests of the pc's ISA devices without KVM, through the system
 * I/O space with captured IRQ lines: mc146818rtc, i8042, acpi-pm,
 * port92, pc-reset-control, isa-debugcon and pc-testdev. Resets and
 * power-off show up as run-state requests, processed by the test.
 */
#include <string.h>
#include <time.h>

#include "chardev/char.h"
#include "hw/acpi/acpi.h"
#include "hw/acpi/pm.h"
#include "hw/i386/isa.h"
#include "hw/i386/pc.h"
#include "hw/input/i8042.h"
#include "hw/rtc/mc146818rtc.h"
#include "system/main-loop.h"
#include "system/memory.h"
#include "system/runstate.h"
#include "system/timer.h"
#include "util/error.h"

static IrqLine *lines[ISA_BRIDGE_NUM_LINES];
static int level[ISA_BRIDGE_NUM_LINES];
static int edges[ISA_BRIDGE_NUM_LINES];
static unsigned resets;
static GString *captured;

static void irq_handler(void *opaque, int n, int l)
{
    edges[n] += l && !level[n];
    level[n] = l;
}

static void count_reset(void *opaque)
{
    resets++;
}

static uint64_t in(uint16_t port, unsigned size)
{
    uint64_t v = 0;

    address_space_read_val(address_space_io(), port, &v, size);
    return v;
}

static void out(uint16_t port, uint64_t v, unsigned size)
{
    address_space_write_val(address_space_io(), port, v, size);
}

static DeviceState *make(const char *type, DeviceState **bridge)
{
    g_autoptr(GError) err = NULL;
    DeviceState *dev;

    memset(level, 0, sizeof(level));
    memset(edges, 0, sizeof(edges));
    *bridge = isa_bridge_create(lines, ISA_BRIDGE_NUM_LINES, &err);
    g_assert_no_error(err);
    dev = device_new(type, &err);
    g_assert_no_error(err);
    g_assert_true(device_realize(dev, isa_bridge_bus(*bridge), &err));
    g_assert_no_error(err);
    device_reset(dev);
    return dev;
}

/* Reset requests are processed as the main loop would. */
static unsigned take_resets(void)
{
    unsigned before = resets;

    g_assert_false(runstate_process_requests());
    return resets - before;
}

static uint8_t cmos(uint8_t idx)
{
    out(0x70, idx, 1);
    return (uint8_t)in(0x71, 1);
}

static void cmos_set(uint8_t idx, uint8_t v)
{
    out(0x70, idx, 1);
    out(0x71, v, 1);
}

static unsigned bcd(uint8_t v)
{
    return (v >> 4) * 10 + (v & 0xf);
}

static void test_rtc(void)
{
    DeviceState *bridge, *rtc = make(TYPE_MC146818_RTC, &bridge);
    time_t now = time(NULL);
    struct tm tm;
    unsigned sec, min;

    gmtime_r(&now, &tm);
    g_assert_cmphex(cmos(RTC_REG_D), ==, RTC_D_VRT);
    g_assert_cmphex(cmos(RTC_REG_B), ==, RTC_B_24H);
    g_assert_cmpuint(bcd(cmos(RTC_YEAR)) + 100 * bcd(cmos(RTC_CENTURY)), ==, tm.tm_year + 1900);
    g_assert_cmpuint(bcd(cmos(RTC_MONTH)), ==, tm.tm_mon + 1);
    min = bcd(cmos(RTC_MINUTES));
    sec = bcd(cmos(RTC_SECONDS));
    g_assert_cmpuint(min * 60 + sec, <=, 3600);
    g_assert_cmpuint(rtc_get_cmos(rtc, RTC_DAY_OF_MONTH), ==, cmos(RTC_DAY_OF_MONTH));

    /* Set 1999-12-31 23:59:58 (12-hour binary: 11 PM) with SET held. */
    cmos_set(RTC_REG_B, RTC_B_SET | RTC_B_DM_BINARY);
    cmos_set(RTC_SECONDS, 58);
    cmos_set(RTC_MINUTES, 59);
    cmos_set(RTC_HOURS, 0x80 | 11);
    cmos_set(RTC_DAY_OF_MONTH, 31);
    cmos_set(RTC_MONTH, 12);
    cmos_set(RTC_YEAR, 99);
    cmos_set(RTC_CENTURY, 19);
    g_assert_cmpuint(cmos(RTC_SECONDS), ==, 58);    /* frozen while SET */
    cmos_set(RTC_REG_B, RTC_B_DM_BINARY | RTC_B_24H);
    g_assert_cmpuint(cmos(RTC_HOURS) % 24, >=, 23 * (cmos(RTC_YEAR) == 99));
    g_assert_true(cmos(RTC_YEAR) == 99 || cmos(RTC_YEAR) == 0);
    cmos_set(RTC_REG_B, RTC_B_24H);                 /* back to BCD */
    g_assert_true(cmos(RTC_YEAR) == 0x99 || cmos(RTC_YEAR) == 0x00);

    /* Battery RAM and read-only registers. */
    rtc_set_cmos(rtc, 0x34, 0x5a);
    g_assert_cmphex(cmos(0x34), ==, 0x5a);
    cmos_set(0x40, 0x11);
    g_assert_cmphex(rtc_get_cmos(rtc, 0x40), ==, 0x11);
    cmos_set(RTC_REG_D, 0);
    g_assert_cmphex(cmos(RTC_REG_D), ==, RTC_D_VRT);
    g_assert_cmphex(in(0x70, 1), ==, 0xff);

    /* Periodic interrupt at 1024 Hz on virtual time. */
    clock_virtual_set_manual(true);
    clock_virtual_start();
    cmos(RTC_REG_C);
    cmos_set(RTC_REG_A, 0x26);
    cmos_set(RTC_REG_B, RTC_B_24H | RTC_B_PIE);
    g_assert_cmpint(level[8], ==, 0);
    clock_virtual_advance(NS_PER_SEC / 1024 + 1);
    g_assert_cmpint(level[8], ==, 1);
    g_assert_cmphex(cmos(RTC_REG_C), ==, RTC_C_IRQF | RTC_C_PF);
    g_assert_cmpint(level[8], ==, 0);
    clock_virtual_advance(10 * (NS_PER_SEC / 1024) + 10);
    g_assert_cmpint(edges[8], ==, 2);               /* one edge until C is read */
    cmos(RTC_REG_C);
    cmos_set(RTC_REG_B, RTC_B_24H);
    clock_virtual_advance(NS_PER_SEC);
    g_assert_cmpint(level[8], ==, 0);
    clock_virtual_stop();
    device_tree_destroy();
}

static uint8_t kbc_read(void)
{
    g_assert_cmphex(in(0x64, 1) & 1, ==, 1);
    return (uint8_t)in(0x60, 1);
}

static void test_i8042(void)
{
    DeviceState *bridge;

    make(TYPE_I8042, &bridge);
    g_assert_cmphex(in(0x64, 1), ==, 0x14);         /* SYS, unlocked, empty */
    out(0x64, 0xaa, 1);
    g_assert_cmphex(kbc_read(), ==, 0x55);
    g_assert_cmphex(in(0x64, 1) & 1, ==, 0);
    out(0x64, 0x20, 1);
    g_assert_cmphex(kbc_read(), ==, 0x65);
    g_assert_cmpint(level[1], ==, 0);
    /* Keyboard reset with the keyboard interrupt on: an IRQ 1 edge per byte. */
    edges[1] = 0;
    out(0x60, 0xff, 1);
    g_assert_cmpint(level[1], ==, 1);
    g_assert_cmphex(kbc_read(), ==, 0xfa);
    g_assert_cmphex(kbc_read(), ==, 0xaa);
    g_assert_cmpint(level[1], ==, 0);
    g_assert_cmpint(edges[1], ==, 2);
    out(0x60, 0xf2, 1);
    g_assert_cmphex(kbc_read(), ==, 0xfa);
    g_assert_cmphex(kbc_read(), ==, 0xab);
    g_assert_cmphex(kbc_read(), ==, 0x41);
    /* Aux loopback and the absent mouse. */
    out(0x64, 0x60, 1);
    out(0x60, 0x47, 1);                             /* both interrupts on, aux enabled */
    out(0x64, 0xd3, 1);
    out(0x60, 0x5a, 1);
    g_assert_cmphex(in(0x64, 1) & 0x21, ==, 0x21);
    g_assert_cmpint(level[12], ==, 1);
    g_assert_cmphex(kbc_read(), ==, 0x5a);
    out(0x64, 0xd4, 1);
    out(0x60, 0xff, 1);
    g_assert_cmphex(kbc_read(), ==, 0xfe);
    g_assert_cmphex(in(0x60, 1), ==, 0xfe);         /* empty: the last byte again */
    /* Reset: pulse 0xfe, output port bit 0 cleared; 0xff pulses nothing. */
    out(0x64, 0xff, 1);
    g_assert_cmpuint(take_resets(), ==, 0);
    out(0x64, 0xfe, 1);
    g_assert_cmpuint(take_resets(), ==, 1);
    out(0x64, 0xd1, 1);
    out(0x60, 0x02, 1);
    g_assert_cmpuint(take_resets(), ==, 1);
    device_tree_destroy();
}

static void test_acpi_pm(void)
{
    DeviceState *bridge;
    uint32_t t0, t1;

    make(TYPE_ACPI_PM, &bridge);
    clock_virtual_set_manual(true);
    clock_virtual_start();
    g_assert_cmphex(in(0x604, 2), ==, ACPI_PM1_CNT_SCI_EN);
    t0 = (uint32_t)in(0x608, 4);
    clock_virtual_advance(NS_PER_SEC);
    t1 = (uint32_t)in(0x608, 4);
    g_assert_cmpuint(t1 - t0, >=, ACPI_PM_TIMER_HZ - 1);
    g_assert_cmpuint(t1 - t0, <=, ACPI_PM_TIMER_HZ + 1);
    g_assert_cmpuint(acpi_pm_timer_ticks(2 * NS_PER_SEC), ==, 2 * ACPI_PM_TIMER_HZ);
    clock_virtual_stop();
    out(0x608, 0, 4);                                /* read-only: logged, ignored */

    /* Power button: status, enable, SCI level, write-1-to-clear. */
    request_powerdown();
    g_assert_false(runstate_process_requests());
    g_assert_cmphex(in(0x600, 2), ==, ACPI_PM1_STS_PWRBTN);
    g_assert_cmpint(level[9], ==, 0);
    out(0x602, ACPI_PM1_STS_PWRBTN, 2);
    g_assert_cmpint(level[9], ==, 1);
    out(0x601, ACPI_PM1_STS_PWRBTN >> 8, 1);
    g_assert_cmphex(in(0x600, 2), ==, 0);
    g_assert_cmpint(level[9], ==, 0);

    /* Sleep types other than \_S5's 0 are ignored. */
    out(0x604, (5 << 10) | ACPI_PM1_CNT_SLP_EN, 2);
    g_assert_false(shutdown_requested());
    g_assert_cmphex(in(0x604, 2), ==, (5 << 10) | ACPI_PM1_CNT_SCI_EN);
    out(0x605, ACPI_PM1_CNT_SLP_EN >> 8, 1);        /* SLP_TYP 0 + SLP_EN, high byte */
    g_assert_true(shutdown_requested());
    device_tree_destroy();
}

static void test_port92_rcr(void)
{
    DeviceState *bridge, *dev;
    g_autoptr(GError) err = NULL;

    make("port92", &bridge);
    g_assert_cmphex(in(0x92, 1), ==, 0x02);
    out(0x92, 0x00, 1);
    g_assert_cmphex(in(0x92, 1), ==, 0x00);
    g_assert_cmpuint(take_resets(), ==, 0);
    out(0x92, 0x03, 1);
    g_assert_cmpuint(take_resets(), ==, 1);

    dev = device_new("pc-reset-control", &err);
    g_assert_true(device_realize(dev, isa_bridge_bus(bridge), &err));
    out(0xcf9, 0x02, 1);
    g_assert_cmphex(in(0xcf9, 1), ==, 0x02);
    g_assert_cmpuint(take_resets(), ==, 0);
    out(0xcf9, 0x06, 1);
    g_assert_cmpuint(take_resets(), ==, 1);
    device_tree_destroy();
}

static int capture_write(Chardev *chr, const uint8_t *buf, int len)
{
    g_string_append_len(captured, (const char *)buf, len);
    return len;
}

static bool capture_open(Chardev *chr, KeyvalList *opts, GError **errp)
{
    return true;
}

static const ChardevClass capture_class = {
    .name = "test-capture",
    .instance_size = sizeof(Chardev),
    .flags = CHARDEV_CLASS_HIDDEN,
    .open = capture_open,
    .write = capture_write,
};

static void *lookup_chardev(const char *id, GError **errp)
{
    return chardev_find(id);
}

static void test_debugcon_testdev(void)
{
    g_autoptr(GError) err = NULL;
    DeviceState *bridge, *dev;
    Chardev *chr = chardev_new("dbg", "test-capture", NULL, &err);
    uint64_t v = 0;

    g_assert_no_error(err);
    make("pc-testdev", &bridge);
    dev = device_new("isa-debugcon", &err);
    g_assert_true(device_set_prop_backend(dev, "chardev", chr, "dbg", &err));
    g_assert_true(device_realize(dev, isa_bridge_bus(bridge), &err));
    g_assert_no_error(err);
    out(0xe9, 'h', 1);
    out(0xe9, 'i', 1);
    g_assert_cmpstr(captured->str, ==, "hi");
    g_assert_cmphex(in(0xe9, 1), ==, 0xe9);

    out(0xe0, 0x11223344, 4);
    out(0xe2, 0xaabb, 2);
    g_assert_cmphex(in(0xe0, 4), ==, 0xaabb3344);
    g_assert_cmphex(in(0xe3, 1), ==, 0xaa);
    out(0xe8, 0x5a, 1);
    g_assert_cmphex(in(0xe8, 1), ==, 0x5a);
    out(0x2000 + 5, 1, 1);
    g_assert_cmpint(level[5], ==, 1);
    out(0x2000 + 17, 7, 1);
    g_assert_cmpint(level[17], ==, 1);
    out(0x2000 + 5, 0, 1);
    g_assert_cmpint(level[5], ==, 0);
    address_space_write_val(address_space_memory(), 0xff000ff8, 0x0102030405060708ull, 8);
    address_space_read_val(address_space_memory(), 0xff000ffc, &v, 4);
    g_assert_cmphex(v, ==, 0x01020304);
    device_tree_destroy();
    chardev_delete_all();
}

int main(int argc, char **argv)
{
    g_autoptr(GError) err = NULL;

    g_test_init(&argc, &argv, NULL);
    g_assert_true(main_loop_init(&err));
    bql_lock();
    captured = g_string_new(NULL);
    chardev_register_class(&capture_class);
    device_prop_register_lookup(PROP_TYPE_CHARDEV, lookup_chardev);
    {
        /* Not hw_i386_register_devices(): that lives with the KVM board. */
        static const DeviceClass *const classes[] = {
            &isabus_bridge_class, &mc146818rtc_class, &i8042_class, &acpi_pm_class,
            &port92_class, &reset_control_class, &isa_debugcon_class, &pc_testdev_class,
        };

        for (size_t i = 0; i < G_N_ELEMENTS(classes); i++) {
            device_class_register(classes[i]);
        }
    }
    for (int i = 0; i < ISA_BRIDGE_NUM_LINES; i++) {
        lines[i] = irq_new(irq_handler, NULL, i);
    }
    system_reset_register(count_reset, NULL);
    g_test_add_func("/pc-devices/rtc", test_rtc);
    g_test_add_func("/pc-devices/i8042", test_i8042);
    g_test_add_func("/pc-devices/port92-rcr", test_port92_rcr);
    g_test_add_func("/pc-devices/debugcon-testdev", test_debugcon_testdev);
    /* Last: it leaves a shutdown request pending. */
    g_test_add_func("/pc-devices/acpi-pm", test_acpi_pm);
    return g_test_run();
}
