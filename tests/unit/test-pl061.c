/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PL061 GPIO tests: the device at the virt board's address, driven through
 * the memory API and its gpio lines: masked data accesses, outputs, level
 * and edge interrupts, and the power button, which a powerdown request
 * holds high for 100 ms of guest time.
 */
#include <string.h>

#include "hw/core/device.h"
#include "hw/gpio/pl061.h"
#include "system/main-loop.h"
#include "system/memory.h"
#include "system/runstate.h"
#include "system/timer.h"
#include "util/error.h"

#define BASE 0x09030000ull

static int irq_level, out_level[PL061_NUM_PINS];

static void irq_handler(void *opaque, int n, int l)
{
    irq_level = l;
}

static void out_handler(void *opaque, int n, int l)
{
    out_level[n] = l;
}

static uint32_t rd(uint64_t off)
{
    uint64_t v = 0;

    g_assert_cmpuint(address_space_read_val(address_space_memory(), BASE + off, &v, 4), ==,
                     MEMTX_OK);
    return v;
}

static void wr(uint64_t off, uint32_t v)
{
    g_assert_cmpuint(address_space_write_val(address_space_memory(), BASE + off, v, 4), ==,
                     MEMTX_OK);
}

static DeviceState *create(IrqLine *irq)
{
    GError *err = NULL;
    DeviceState *dev = pl061_create(BASE, irq, &err);

    g_assert_no_error(err);
    device_reset(dev);
    return dev;
}

static void test_data(void)
{
    IrqLine *outs[PL061_NUM_PINS];
    DeviceState *dev = create(NULL);

    for (int i = 0; i < PL061_NUM_PINS; i++) {
        outs[i] = irq_new(out_handler, NULL, i);
        device_connect_gpio_out(dev, i, outs[i]);
    }
    memset(out_level, 0, sizeof(out_level));
    g_assert_cmphex(rd(PL061_PERIPHID0), ==, 0x61);
    g_assert_cmphex(rd(PL061_PCELLID0), ==, 0x0d);
    /* Inputs read through the address mask. */
    irq_raise(device_gpio_in(dev, 1));
    irq_raise(device_gpio_in(dev, 6));
    g_assert_cmphex(rd(0x3fc), ==, 0x42);
    g_assert_cmphex(rd(0x3fc & (0x40 << 2)), ==, 0x40);
    g_assert_cmphex(rd(0x02 << 2), ==, 0x02);
    g_assert_cmphex(rd(0x01 << 2), ==, 0);
    /* Outputs: only direction-out bits under the mask change. */
    wr(PL061_DIR, 0x0f);
    g_assert_cmphex(rd(PL061_DIR), ==, 0x0f);
    wr(0x3fc, 0xff);
    g_assert_cmphex(rd(0x3fc), ==, 0x4f);       /* pin 1 is now an output */
    g_assert_cmpint(out_level[0], ==, 1);
    g_assert_cmpint(out_level[3], ==, 1);
    g_assert_cmpint(out_level[4], ==, 0);
    wr(0x04 << 2, 0);                           /* clear pin 2 only */
    g_assert_cmphex(rd(0x3fc), ==, 0x4b);
    g_assert_cmpint(out_level[2], ==, 0);
    g_assert_cmpint(out_level[1], ==, 1);
    device_tree_destroy();
    for (int i = 0; i < PL061_NUM_PINS; i++) {
        irq_free(outs[i]);
    }
}

static void test_interrupts(void)
{
    IrqLine *irq = irq_new(irq_handler, NULL, 0);
    DeviceState *dev = create(irq);
    IrqLine *pin0 = device_gpio_in(dev, 0), *pin3 = device_gpio_in(dev, 3);

    irq_level = 0;
    /* Pin 3: rising edge. */
    wr(PL061_IEV, 0x08);
    wr(PL061_IE, 0x08);
    irq_raise(pin3);
    g_assert_cmphex(rd(PL061_RIS), ==, 0x08);
    g_assert_cmphex(rd(PL061_MIS), ==, 0x08);
    g_assert_cmpint(irq_level, ==, 1);
    irq_lower(pin3);
    g_assert_cmpint(irq_level, ==, 1);          /* latched */
    wr(PL061_IC, 0x08);
    g_assert_cmpint(irq_level, ==, 0);
    /* Both edges. */
    wr(PL061_IBE, 0x08);
    irq_raise(pin3);
    wr(PL061_IC, 0x08);
    irq_lower(pin3);
    g_assert_cmpint(irq_level, ==, 1);
    wr(PL061_IC, 0x08);
    /* Falling edge only. */
    wr(PL061_IBE, 0);
    wr(PL061_IEV, 0);
    irq_raise(pin3);
    g_assert_cmpint(irq_level, ==, 0);
    irq_lower(pin3);
    g_assert_cmpint(irq_level, ==, 1);
    wr(PL061_IC, 0xff);
    /* Pin 0: level-high, follows the pin, IC has no lasting effect. */
    wr(PL061_IS, 0x01);
    wr(PL061_IEV, 0x01);
    wr(PL061_IE, 0x01);
    g_assert_cmpint(irq_level, ==, 0);
    irq_raise(pin0);
    g_assert_cmpint(irq_level, ==, 1);
    wr(PL061_IC, 0x01);
    g_assert_cmpint(irq_level, ==, 1);
    irq_lower(pin0);
    g_assert_cmpint(irq_level, ==, 0);
    /* Level-low on an idle pin is active at once. */
    wr(PL061_IEV, 0);
    g_assert_cmpint(irq_level, ==, 1);
    device_reset(dev);
    g_assert_cmpint(irq_level, ==, 0);
    g_assert_cmphex(rd(PL061_IE), ==, 0);
    device_tree_destroy();
    irq_free(irq);
}

static void test_power_button(void)
{
    IrqLine *irq = irq_new(irq_handler, NULL, 0);
    DeviceState *dev = create(irq);

    clock_virtual_set_manual(true);
    clock_virtual_start();
    pl061_attach_power_button(dev, 3);
    /* Linux's gpio-keys: both edges on pin 3. */
    wr(PL061_IBE, 0x08);
    wr(PL061_IE, 0x08);
    irq_level = 0;
    bql_lock();
    request_powerdown();
    g_assert_false(runstate_process_requests());
    g_assert_cmphex(rd(0x3fc), ==, 0x08);       /* pressed */
    g_assert_cmpint(irq_level, ==, 1);
    wr(PL061_IC, 0x08);
    clock_virtual_advance(PL061_POWER_BUTTON_NS - 1);
    g_assert_cmphex(rd(0x3fc), ==, 0x08);       /* still held */
    clock_virtual_advance(1);
    g_assert_cmphex(rd(0x3fc), ==, 0);          /* released */
    g_assert_cmpint(irq_level, ==, 1);
    wr(PL061_IC, 0x08);
    device_tree_destroy();
    /* The hook outlives the device and does nothing then. */
    request_powerdown();
    g_assert_false(runstate_process_requests());
    bql_unlock();
    irq_free(irq);
}

static void test_guest_errors(void)
{
    create(NULL);
    wr(PL061_RIS, 0xff);
    g_assert_cmphex(rd(PL061_RIS), ==, 0);
    g_assert_cmphex(rd(PL061_IC), ==, 0);
    g_assert_cmphex(rd(0x800), ==, 0);
    wr(PL061_AFSEL, 0x3);
    g_assert_cmphex(rd(PL061_AFSEL), ==, 0x3);
    device_tree_destroy();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/pl061/data", test_data);
    g_test_add_func("/pl061/interrupts", test_interrupts);
    g_test_add_func("/pl061/power-button", test_power_button);
    g_test_add_func("/pl061/guest-errors", test_guest_errors);
    return g_test_run();
}
