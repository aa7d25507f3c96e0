/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PL031 RTC tests: the device at the virt board's address, driven through
 * the memory API. The counter follows the host's wall clock, the load
 * register shifts it, a match raises the level interrupt until cleared,
 * reset keeps the time, and guest mistakes are ignored.
 */
#include "hw/core/device.h"
#include "hw/rtc/pl031.h"
#include "system/memory.h"
#include "system/timer.h"
#include "util/error.h"

#define BASE 0x09010000ull

static int level;

static void irq_handler(void *opaque, int n, int l)
{
    level = l;
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
    DeviceState *dev = pl031_create(BASE, irq, &err);

    g_assert_no_error(err);
    return dev;
}

static void test_time(void)
{
    DeviceState *dev = create(NULL);
    int64_t host = clock_get_ns(TERN_CLOCK_HOST) / NS_PER_SEC;
    uint32_t dr = rd(PL031_DR);

    /* The host's time, give or take the second that may tick meanwhile. */
    g_assert_cmpint(dr, >=, (uint32_t)host);
    g_assert_cmpint(dr, <=, (uint32_t)host + 1);
    g_assert_cmphex(rd(PL031_CR), ==, 1);
    g_assert_cmphex(rd(PL031_PERIPHID0), ==, 0x31);
    g_assert_cmphex(rd(PL031_PCELLID0 + 12), ==, 0xb1);
    /* Loading sets the counter; the load value reads back. */
    wr(PL031_LR, 1000);
    g_assert_cmphex(rd(PL031_LR), ==, 1000);
    g_assert_cmpint(rd(PL031_DR), >=, 1000);
    g_assert_cmpint(rd(PL031_DR), <=, 1001);
    /* A system reset keeps the time. */
    device_reset(dev);
    g_assert_cmpint(rd(PL031_DR), <=, 1002);
    device_tree_destroy();
}

static void test_match(void)
{
    IrqLine *irq = irq_new(irq_handler, NULL, 0);
    DeviceState *dev = create(irq);
    uint32_t now;

    level = 0;
    wr(PL031_IMSC, 1);
    g_assert_cmphex(rd(PL031_IMSC), ==, 1);
    /* Matching now fires at once (retry if the second ticks over). */
    do {
        now = rd(PL031_DR);
        wr(PL031_MR, now);
    } while (!rd(PL031_RIS) && rd(PL031_DR) != now);
    g_assert_cmphex(rd(PL031_MR), ==, now);
    g_assert_cmphex(rd(PL031_RIS), ==, 1);
    g_assert_cmphex(rd(PL031_MIS), ==, 1);
    g_assert_cmpint(level, ==, 1);
    /* Level: stays until cleared. */
    wr(PL031_ICR, 1);
    g_assert_cmphex(rd(PL031_RIS), ==, 0);
    g_assert_cmpint(level, ==, 0);
    /* A match in the future arms a host-clock timer instead. */
    wr(PL031_MR, rd(PL031_DR) + 100);
    g_assert_cmphex(rd(PL031_RIS), ==, 0);
    g_assert_cmpint(timers_deadline_ns(), >, 0);
    /* Masked: raw status set, line low. */
    wr(PL031_IMSC, 0);
    wr(PL031_LR, 5000);
    wr(PL031_MR, rd(PL031_DR));
    g_assert_cmphex(rd(PL031_RIS), ==, 1);
    g_assert_cmphex(rd(PL031_MIS), ==, 0);
    g_assert_cmpint(level, ==, 0);
    device_reset(dev);
    g_assert_cmphex(rd(PL031_RIS), ==, 0);
    g_assert_cmphex(rd(PL031_MR), ==, 0);
    g_assert_cmpint(timers_deadline_ns(), ==, -1);
    device_tree_destroy();
    irq_free(irq);
}

static void test_guest_errors(void)
{
    uint64_t v = 0;

    create(NULL);
    wr(PL031_DR, 5);                    /* read-only: ignored */
    g_assert_cmpint(rd(PL031_DR), >, 5);
    g_assert_cmphex(rd(PL031_ICR), ==, 0);
    g_assert_cmphex(rd(0x100), ==, 0);
    wr(PL031_CR, 0);                    /* cannot stop it */
    g_assert_cmphex(rd(PL031_CR), ==, 1);
    /* Byte reads work, as on QEMU's PL031 (EDK2 reads the ID bytes so). */
    g_assert_cmpuint(address_space_read_val(address_space_memory(), BASE + PL031_PERIPHID0,
                                            &v, 1), ==, MEMTX_OK);
    g_assert_cmphex(v, ==, 0x31);
    device_tree_destroy();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/pl031/time", test_time);
    g_test_add_func("/pl031/match", test_match);
    g_test_add_func("/pl031/guest-errors", test_guest_errors);
    return g_test_run();
}
