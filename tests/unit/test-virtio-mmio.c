/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-mmio tests with virtio-rng behind the transport: a virtio-mmio
 * proxy mapped in system memory with RAM next to it, driven through its
 * registers exactly as Linux's virtio_mmio driver does for version 1
 * (legacy: GuestPageSize, QueuePFN) and version 2 (modern: 64-bit ring
 * addresses, QueueReady, VERSION_1 required). Covers identification,
 * feature negotiation, queue set-up, notify, the used ring receiving random
 * bytes, interrupt status and acknowledge, reset, an empty slot, bad
 * accesses and bus plugging rules.
 */
#include <string.h>
#include <unistd.h>

#include "hw/core/device.h"
#include "hw/virtio/virtio-mmio.h"
#include "hw/virtio/virtio-rng.h"
#include "hw/virtio/virtio.h"
#include "system/memory.h"
#include "util/error.h"
#include "util/log.h"
#include "virtio-test-driver.h"

#define BASE     0x0a000000ull
#define RAM_BASE 0x40000000ull
#define RAM_SIZE (1u << 20)
#define RING     (RAM_BASE + 0x4000)
#define DATA     (RAM_BASE + 0x10000)

typedef struct Fixture {
    MemoryRegion ram;
    DeviceState *proxy;
    DeviceState *rng;
    IrqLine *irq, *irq2;
    int level;
    TestVring r;
} Fixture;

static void irq_handler(void *opaque, int n, int level)
{
    ((Fixture *)opaque)->level = level;
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

static void fixture_setup(Fixture *f, gconstpointer data)
{
    bool modern = data != NULL;
    GError *err = NULL;

    memset(f, 0, sizeof(*f));
    hw_virtio_register_devices();
    log_set_mask(0);
    g_assert_true(memory_region_init_ram(&f->ram, "test-ram", RAM_SIZE, &err));
    memory_region_add_subregion(get_system_memory(), RAM_BASE, &f->ram);
    if (modern) {
        /* The command line's way: -global virtio-mmio.force-legacy=false */
        g_assert_true(device_global_parse("virtio-mmio.force-legacy=false", &err));
        g_assert_no_error(err);
    }
    f->irq = irq_new(irq_handler, f, 0);
    f->proxy = virtio_mmio_create(BASE, f->irq, &err);
    g_assert_no_error(err);
    device_globals_clear();

    f->rng = device_new(TYPE_VIRTIO_RNG_DEVICE, &err);
    g_assert_no_error(err);
    /* No bus given: the first virtio bus is found like -device does. */
    g_assert_true(device_realize(f->rng, NULL, &err));
    g_assert_no_error(err);
    g_assert_true(f->rng->parent_bus == virtio_mmio_get_bus(f->proxy));
    g_assert_cmpstr(f->rng->parent_bus->name, ==, "virtio-mmio-bus.0");
    device_reset(f->proxy);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    device_tree_destroy();
    irq_free(f->irq);
    irq_free(f->irq2);
    memory_region_del_subregion(get_system_memory(), &f->ram);
    memory_region_destroy(&f->ram);
}

static void check_ident(unsigned version)
{
    g_assert_cmphex(rd(VIRTIO_MMIO_MAGIC_VALUE), ==, 0x74726976);
    g_assert_cmpuint(rd(VIRTIO_MMIO_VERSION), ==, version);
    g_assert_cmpuint(rd(VIRTIO_MMIO_DEVICE_ID), ==, VIRTIO_ID_RNG);
    g_assert_cmphex(rd(VIRTIO_MMIO_VENDOR_ID), ==, 0x554d4551);
}

static uint64_t read_features(void)
{
    wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
    uint64_t hi = rd(VIRTIO_MMIO_DEVICE_FEATURES);
    wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
    return (hi << 32) | rd(VIRTIO_MMIO_DEVICE_FEATURES);
}

/* Queue a 64-byte buffer, kick, and check random bytes came back. */
static void rng_round(Fixture *f, uint64_t buf)
{
    TestBuf b = { buf, 64, true };
    uint8_t got[64], zero[64] = { 0 };
    uint32_t id, len;
    unsigned head;

    tv_fill(address_space_memory(), buf, 0, 64);
    head = tvring_add_chain(&f->r, &b, 1);
    tvring_publish(&f->r, head);
    g_assert_cmpint(f->level, ==, 0);
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
    g_assert_true(tvring_get_used(&f->r, &id, &len));
    g_assert_cmpuint(id, ==, head);
    g_assert_cmpuint(len, ==, 64);
    address_space_read(address_space_memory(), buf, got, 64);
    g_assert_true(memcmp(got, zero, 64) != 0);
    g_assert_cmphex(rd(VIRTIO_MMIO_INTERRUPT_STATUS), ==, VIRTIO_ISR_QUEUE);
    g_assert_cmpint(f->level, ==, 1);
    wr(VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_ISR_QUEUE);
    g_assert_cmphex(rd(VIRTIO_MMIO_INTERRUPT_STATUS), ==, 0);
    g_assert_cmpint(f->level, ==, 0);
}

static void test_legacy(Fixture *f, gconstpointer data)
{
    uint64_t features;

    check_ident(1);
    wr(VIRTIO_MMIO_STATUS, 0);
    wr(VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE);
    wr(VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
    features = read_features();
    /* Legacy shows only the low word: no VERSION_1. */
    g_assert_cmphex(features >> 32, ==, 0);
    g_assert_true(features & VIRTIO_BIT(VIRTIO_F_RING_INDIRECT_DESC));
    g_assert_true(features & VIRTIO_BIT(VIRTIO_F_RING_EVENT_IDX));
    wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
    wr(VIRTIO_MMIO_DRIVER_FEATURES, VIRTIO_BIT(VIRTIO_F_RING_INDIRECT_DESC));
    wr(VIRTIO_MMIO_GUEST_PAGE_SIZE, 4096);

    wr(VIRTIO_MMIO_QUEUE_SEL, 1);
    g_assert_cmpuint(rd(VIRTIO_MMIO_QUEUE_NUM_MAX), ==, 0);   /* no queue 1 */
    wr(VIRTIO_MMIO_QUEUE_SEL, 0);
    g_assert_cmpuint(rd(VIRTIO_MMIO_QUEUE_PFN), ==, 0);
    g_assert_cmpuint(rd(VIRTIO_MMIO_QUEUE_NUM_MAX), ==, VIRTIO_RNG_QUEUE_SIZE);
    wr(VIRTIO_MMIO_QUEUE_NUM, VIRTIO_RNG_QUEUE_SIZE);
    wr(VIRTIO_MMIO_QUEUE_ALIGN, 4096);
    tvring_init_layout(&f->r, address_space_memory(), RING, VIRTIO_RNG_QUEUE_SIZE, 4096);
    wr(VIRTIO_MMIO_QUEUE_PFN, RING >> 12);
    g_assert_cmphex(rd(VIRTIO_MMIO_QUEUE_PFN), ==, RING >> 12);
    wr(VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
       VIRTIO_CONFIG_S_DRIVER_OK);
    g_assert_cmphex(rd(VIRTIO_MMIO_STATUS), ==, VIRTIO_CONFIG_S_ACKNOWLEDGE |
                    VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_DRIVER_OK);

    rng_round(f, DATA);
    rng_round(f, DATA + 0x100);

    /* Reset: status 0 forgets the queue and the features. */
    wr(VIRTIO_MMIO_STATUS, 0);
    g_assert_cmphex(rd(VIRTIO_MMIO_STATUS), ==, 0);
    g_assert_cmphex(rd(VIRTIO_MMIO_QUEUE_PFN), ==, 0);
    g_assert_cmphex(((VirtIODevice *)f->rng)->guest_features, ==, 0);
}

static void modern_queue_setup(Fixture *f)
{
    tvring_init(&f->r, address_space_memory(), RING, RING + 0x1000, RING + 0x2000,
                VIRTIO_RNG_QUEUE_SIZE);
    wr(VIRTIO_MMIO_QUEUE_SEL, 0);
    g_assert_cmpuint(rd(VIRTIO_MMIO_QUEUE_READY), ==, 0);
    g_assert_cmpuint(rd(VIRTIO_MMIO_QUEUE_NUM_MAX), ==, VIRTIO_RNG_QUEUE_SIZE);
    wr(VIRTIO_MMIO_QUEUE_NUM, VIRTIO_RNG_QUEUE_SIZE);
    wr(VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)f->r.desc);
    wr(VIRTIO_MMIO_QUEUE_DESC_HIGH, f->r.desc >> 32);
    wr(VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)f->r.avail);
    wr(VIRTIO_MMIO_QUEUE_DRIVER_HIGH, f->r.avail >> 32);
    wr(VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)f->r.used);
    wr(VIRTIO_MMIO_QUEUE_DEVICE_HIGH, f->r.used >> 32);
    wr(VIRTIO_MMIO_QUEUE_READY, 1);
    g_assert_cmpuint(rd(VIRTIO_MMIO_QUEUE_READY), ==, 1);
}

static void test_modern(Fixture *f, gconstpointer data)
{
    const uint8_t drv = VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER;
    uint64_t features;

    check_ident(2);
    wr(VIRTIO_MMIO_STATUS, 0);
    wr(VIRTIO_MMIO_STATUS, drv);
    features = read_features();
    g_assert_true(features & VIRTIO_BIT(VIRTIO_F_VERSION_1));
    g_assert_true(features & VIRTIO_BIT(VIRTIO_F_RING_EVENT_IDX));
    g_assert_cmpuint(rd(VIRTIO_MMIO_CONFIG_GENERATION), ==, 0);
    g_assert_cmphex(rd(VIRTIO_MMIO_SHM_LEN_LOW), ==, UINT32_MAX);

    /* Without VERSION_1 the device refuses FEATURES_OK. */
    wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
    wr(VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)features);
    wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
    wr(VIRTIO_MMIO_DRIVER_FEATURES, 0);
    wr(VIRTIO_MMIO_STATUS, drv | VIRTIO_CONFIG_S_FEATURES_OK);
    g_assert_cmphex(rd(VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_FEATURES_OK, ==, 0);

    /* Start over with VERSION_1 (and event index). */
    wr(VIRTIO_MMIO_STATUS, 0);
    wr(VIRTIO_MMIO_STATUS, drv);
    wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
    wr(VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)features);
    wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
    wr(VIRTIO_MMIO_DRIVER_FEATURES, features >> 32);
    wr(VIRTIO_MMIO_STATUS, drv | VIRTIO_CONFIG_S_FEATURES_OK);
    g_assert_cmphex(rd(VIRTIO_MMIO_STATUS), ==, drv | VIRTIO_CONFIG_S_FEATURES_OK);
    g_assert_true(virtio_has_feature((VirtIODevice *)f->rng, VIRTIO_F_VERSION_1));

    modern_queue_setup(f);
    wr(VIRTIO_MMIO_STATUS, drv | VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK);
    rng_round(f, DATA);
    g_assert_cmpuint(tvring_avail_event(&f->r), ==, 1);
    rng_round(f, DATA + 0x100);

    /* Legacy-only registers do nothing here. */
    g_assert_cmpuint(rd(VIRTIO_MMIO_QUEUE_PFN), ==, 0);

    wr(VIRTIO_MMIO_STATUS, 0);
    g_assert_cmphex(rd(VIRTIO_MMIO_STATUS), ==, 0);
    g_assert_cmpuint(rd(VIRTIO_MMIO_QUEUE_READY), ==, 0);
}

/* A system reset (device_reset of the transport) resets the device too. */
static void test_system_reset(Fixture *f, gconstpointer data)
{
    wr(VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
    wr(VIRTIO_MMIO_GUEST_PAGE_SIZE, 4096);
    wr(VIRTIO_MMIO_QUEUE_NUM, VIRTIO_RNG_QUEUE_SIZE);
    tvring_init_layout(&f->r, address_space_memory(), RING, VIRTIO_RNG_QUEUE_SIZE, 4096);
    wr(VIRTIO_MMIO_QUEUE_PFN, RING >> 12);
    wr(VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
       VIRTIO_CONFIG_S_DRIVER_OK);
    rng_round(f, DATA);
    tvring_publish(&f->r, tvring_add_chain(&f->r, &(TestBuf){ DATA, 8, true }, 1));
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
    g_assert_cmpint(f->level, ==, 1);
    device_reset(f->proxy);
    g_assert_cmpint(f->level, ==, 0);
    g_assert_cmphex(rd(VIRTIO_MMIO_STATUS), ==, 0);
    g_assert_cmphex(rd(VIRTIO_MMIO_INTERRUPT_STATUS), ==, 0);
    g_assert_cmphex(rd(VIRTIO_MMIO_QUEUE_PFN), ==, 0);
}

static void test_bad_accesses(Fixture *f, gconstpointer data)
{
    uint64_t v = 0;

    /* Registers are 32-bit only: narrower accesses read 0 and are logged. */
    g_assert_cmpuint(address_space_read_val(address_space_memory(), BASE, &v, 1), ==,
                     MEMTX_OK);
    g_assert_cmpuint(v, ==, 0);
    g_assert_cmpuint(rd(0x0f0), ==, 0);           /* unknown register */
    wr(0x0f0, 1);
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, 7);              /* no such queue */
    wr(VIRTIO_MMIO_QUEUE_SEL, 1000);
    wr(VIRTIO_MMIO_QUEUE_NUM, 4);
    wr(VIRTIO_MMIO_QUEUE_PFN, 5);
    g_assert_cmpuint(rd(VIRTIO_MMIO_QUEUE_NUM_MAX), ==, 0);
    wr(VIRTIO_MMIO_QUEUE_SEL, 0);
    wr(VIRTIO_MMIO_QUEUE_NUM, 3);                 /* not a power of two */
    wr(VIRTIO_MMIO_QUEUE_NUM, 64);                /* above the maximum */
    g_assert_cmpuint(virtio_get_queue((VirtIODevice *)f->rng, 0)->num, ==,
                     VIRTIO_RNG_QUEUE_SIZE);
    /* virtio-rng has no config space. */
    g_assert_cmpuint(rd(VIRTIO_MMIO_CONFIG), ==, 0);
    wr(VIRTIO_MMIO_CONFIG, 0x1234);
    /* Kicking a queue whose rings point nowhere breaks only the device. */
    wr(VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
    wr(VIRTIO_MMIO_GUEST_PAGE_SIZE, 4096);
    wr(VIRTIO_MMIO_QUEUE_PFN, 0x7000000);         /* 0x7_0000_0000: unassigned */
    wr(VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
       VIRTIO_CONFIG_S_DRIVER_OK);
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
    g_assert_true(((VirtIODevice *)f->rng)->broken);
    g_assert_cmphex(rd(VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_DEVICE_NEEDS_RESET, ==,
                    VIRTIO_CONFIG_S_DEVICE_NEEDS_RESET);
    wr(VIRTIO_MMIO_STATUS, 0);
    g_assert_false(((VirtIODevice *)f->rng)->broken);
}

static void test_plugging(Fixture *f, gconstpointer data)
{
    GError *err = NULL;
    DeviceState *second, *empty;

    /* One device per transport. */
    second = device_new(TYPE_VIRTIO_RNG_DEVICE, &err);
    g_assert_false(device_realize(second, virtio_mmio_get_bus(f->proxy), &err));
    g_assert_error(err, TERN_ERROR, TERN_ERROR_INVALID);
    g_assert_nonnull(strstr(err->message, "already holds a device"));
    g_clear_error(&err);

    /* An empty slot reads device ID 0. */
    f->irq2 = irq_new(irq_handler, f, 1);
    empty = virtio_mmio_create(BASE + 0x200, f->irq2, &err);
    g_assert_no_error(err);
    g_assert_cmpstr(virtio_mmio_get_bus(empty)->name, ==, "virtio-mmio-bus.1");
    g_assert_cmpuint(rd(0x200 + VIRTIO_MMIO_MAGIC_VALUE), ==, VIRTIO_MMIO_MAGIC);
    g_assert_cmpuint(rd(0x200 + VIRTIO_MMIO_DEVICE_ID), ==, 0);
    wr(0x200 + VIRTIO_MMIO_STATUS, 1);

    /* The second device goes to the empty transport by bus name. */
    g_assert_true(device_realize(second, bus_find("virtio-mmio-bus.1"), &err));
    g_assert_no_error(err);
    g_assert_cmpuint(rd(0x200 + VIRTIO_MMIO_DEVICE_ID), ==, VIRTIO_ID_RNG);

    /* Unplugging empties the slot again. */
    device_unrealize(second);
    device_free(second);
    g_assert_cmpuint(rd(0x200 + VIRTIO_MMIO_DEVICE_ID), ==, 0);

    /* Without a bus, a device goes to the first transport with room. */
    second = device_new(TYPE_VIRTIO_RNG_DEVICE, &err);
    g_assert_no_error(err);
    g_assert_true(device_realize(second, NULL, &err));
    g_assert_no_error(err);
    g_assert_cmpstr(second->parent_bus->name, ==, "virtio-mmio-bus.1");
    device_unrealize(second);
    device_free(second);

    /* Only virtio devices plug into a virtio bus; props are checked. */
    g_assert_null(device_new("virtio-mmio-nonexistent", &err));
    g_clear_error(&err);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add("/virtio-mmio/legacy", Fixture, NULL, fixture_setup, test_legacy,
               fixture_teardown);
    g_test_add("/virtio-mmio/modern", Fixture, (void *)1, fixture_setup, test_modern,
               fixture_teardown);
    g_test_add("/virtio-mmio/system-reset", Fixture, NULL, fixture_setup, test_system_reset,
               fixture_teardown);
    g_test_add("/virtio-mmio/bad-accesses", Fixture, NULL, fixture_setup, test_bad_accesses,
               fixture_teardown);
    g_test_add("/virtio-mmio/plugging", Fixture, NULL, fixture_setup, test_plugging,
               fixture_teardown);
    return g_test_run();
}
