/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-blk tests over a modern virtio-mmio transport on a raw temporary
 * image. Requests are built by the test driver in guest RAM and completed
 * by the block layer's worker threads; the test runs the GLib main context
 * in a bounded loop until the used ring moves. Results are checked through
 * the block API. Covers read, write, flush, GET_ID, discard, write-zeroes,
 * split headers, the configuration space, IOERR/UNSUPP cases, read-only
 * drives, malformed requests and a reset with requests in flight.
 */
#include <string.h>
#include <unistd.h>

#include "block/block.h"
#include "hw/core/device.h"
#include "hw/virtio/virtio-blk.h"
#include "hw/virtio/virtio-mmio.h"
#include "hw/virtio/virtio.h"
#include "system/memory.h"
#include "util/error.h"
#include "util/log.h"
#include "virtio-test-driver.h"

#define BASE     0x0a000000ull
#define RAM_BASE 0x40000000ull
#define RAM_SIZE (4u << 20)
#define RING     (RAM_BASE + 0x4000)
#define HDR      (RAM_BASE + 0x10000)
#define STATUS   (RAM_BASE + 0x10100)
#define DATA     (RAM_BASE + 0x20000)
#define QSIZE    16
#define DISK     (1u << 20)

typedef struct Fixture {
    MemoryRegion ram;
    char *path;
    BlockBackend *blk;
    DeviceState *proxy, *dev;
    IrqLine *irq;
    int level;
    TestVring r;
} Fixture;

typedef struct FixtureOpts {
    bool readonly;
    const char *serial;
} FixtureOpts;

static AddressSpace *as(void)
{
    return address_space_memory();
}

static uint32_t rd(uint64_t off)
{
    return tv_mmio_rd(BASE, off);
}

static void wr(uint64_t off, uint32_t v)
{
    tv_mmio_wr(BASE, off, v);
}

static void driver_init(Fixture *f)
{
    tv_mmio_negotiate(BASE, 0);
    tv_mmio_setup_queue(BASE, 0, &f->r, RING, QSIZE);
    tv_mmio_driver_ok(BASE);
}

static void fixture_setup(Fixture *f, gconstpointer data)
{
    const FixtureOpts *o = data;
    GError *err = NULL;
    int fd;

    memset(f, 0, sizeof(*f));
    hw_virtio_register_devices();
    log_set_mask(0);
    tv_ram_add(&f->ram, RAM_BASE, RAM_SIZE);

    fd = g_file_open_tmp("test-virtio-blk-XXXXXX.img", &f->path, &err);
    g_assert_no_error(err);
    g_assert_cmpint(ftruncate(fd, DISK), ==, 0);
    close(fd);
    f->blk = blk_open(f->path, "raw", o && o->readonly ? BLK_READONLY : 0, &err);
    g_assert_no_error(err);

    f->irq = irq_new(tv_level_handler, &f->level, 0);
    f->proxy = tv_mmio_create(BASE, f->irq);

    f->dev = device_new(TYPE_VIRTIO_BLK_DEVICE, &err);
    g_assert_no_error(err);
    g_assert_true(device_set_prop_backend(f->dev, "drive", f->blk, "hd0", &err));
    g_assert_true(device_set_prop_uint(f->dev, "queue-size", QSIZE, &err));
    if (o && o->serial) {
        g_assert_true(device_set_prop_str(f->dev, "serial", o->serial, &err));
    }
    g_assert_true(device_realize(f->dev, virtio_mmio_get_bus(f->proxy), &err));
    g_assert_no_error(err);
    device_reset(f->proxy);
    g_assert_cmpuint(rd(VIRTIO_MMIO_DEVICE_ID), ==, VIRTIO_ID_BLOCK);
    driver_init(f);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    device_tree_destroy();
    blk_close(f->blk);
    unlink(f->path);
    g_free(f->path);
    irq_free(f->irq);
    tv_ram_del(&f->ram);
}

/* Run completions until the used ring has an entry (bounded: ~5 s). */
static bool wait_used(Fixture *f, uint32_t *id, uint32_t *len)
{
    for (int i = 0; i < 5000; i++) {
        if (tvring_get_used(&f->r, id, len)) {
            return true;
        }
        if (!g_main_context_iteration(NULL, FALSE)) {
            g_usleep(1000);
        }
    }
    return false;
}

static void publish_header(uint32_t type, uint64_t sector)
{
    tv_w32(as(), HDR, type);
    tv_w32(as(), HDR + 4, 0);
    tv_w64(as(), HDR + 8, sector);
    tv_w16(as(), STATUS, 0xff);
}

/*
 * One request: header, then data_len bytes at DATA (device-readable for
 * writes, device-writable otherwise), then the status byte. Returns the
 * status; *used_len gets the used length.
 */
static uint8_t blk_request(Fixture *f, uint32_t type, uint64_t sector, uint32_t data_len,
                           bool data_out, uint32_t *used_len)
{
    TestBuf bufs[3];
    unsigned n = 0, head;
    uint32_t id, len;

    publish_header(type, sector);
    bufs[n++] = (TestBuf){ HDR, 16, false };
    if (data_len) {
        bufs[n++] = (TestBuf){ DATA, data_len, !data_out };
    }
    bufs[n++] = (TestBuf){ STATUS, 1, true };
    head = tvring_add_chain(&f->r, bufs, n);
    tvring_publish(&f->r, head);
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
    g_assert_true(wait_used(f, &id, &len));
    g_assert_cmpuint(id, ==, head);
    g_assert_cmpint(f->level, ==, 1);
    wr(VIRTIO_MMIO_INTERRUPT_ACK, rd(VIRTIO_MMIO_INTERRUPT_STATUS));
    if (used_len) {
        *used_len = len;
    }
    return tv_r(as(), STATUS, 1);
}

static void test_config(Fixture *f, gconstpointer data)
{
    uint64_t cap = rd(VIRTIO_MMIO_CONFIG) | (uint64_t)rd(VIRTIO_MMIO_CONFIG + 4) << 32;
    VirtIODevice *vdev = (VirtIODevice *)f->dev;

    g_assert_cmpuint(cap, ==, DISK / 512);
    g_assert_cmpuint(rd(VIRTIO_MMIO_CONFIG + VIRTIO_BLK_CFG_SEG_MAX), ==, QSIZE - 2);
    g_assert_cmpuint(rd(VIRTIO_MMIO_CONFIG + VIRTIO_BLK_CFG_BLK_SIZE), ==, 512);
    g_assert_cmpuint(rd(VIRTIO_MMIO_CONFIG + VIRTIO_BLK_CFG_MAX_DISCARD_SEG), ==, 1);
    g_assert_true(virtio_has_feature(vdev, VIRTIO_BLK_F_FLUSH));
    g_assert_true(virtio_has_feature(vdev, VIRTIO_BLK_F_DISCARD));
    g_assert_true(virtio_has_feature(vdev, VIRTIO_BLK_F_WRITE_ZEROES));
    g_assert_false(virtio_has_feature(vdev, VIRTIO_BLK_F_RO));
    /* A read past the config space is logged and reads 0. */
    g_assert_cmpuint(rd(VIRTIO_MMIO_CONFIG + 0x80), ==, 0);
}

static void test_write_read(Fixture *f, gconstpointer data)
{
    uint8_t pattern[1024], back[1024];
    uint32_t len;

    for (unsigned i = 0; i < sizeof(pattern); i++) {
        pattern[i] = i * 7 + 3;
    }
    address_space_write(as(), DATA, pattern, sizeof(pattern));
    g_assert_cmpuint(blk_request(f, VIRTIO_BLK_T_OUT, 10, 1024, true, &len), ==,
                     VIRTIO_BLK_S_OK);
    g_assert_cmpuint(len, ==, 1);
    g_assert_cmpint(blk_pread(f->blk, 10 * 512, back, sizeof(back)), ==, 0);
    g_assert_cmpmem(back, sizeof(back), pattern, sizeof(pattern));

    /* Read what the host wrote. */
    memset(back, 0x5c, sizeof(back));
    g_assert_cmpint(blk_pwrite(f->blk, 100 * 512, back, 512), ==, 0);
    tv_fill(as(), DATA, 0, 1024);
    g_assert_cmpuint(blk_request(f, VIRTIO_BLK_T_IN, 99, 1024, false, &len), ==,
                     VIRTIO_BLK_S_OK);
    g_assert_cmpuint(len, ==, 1025);
    g_assert_cmphex(tv_r(as(), DATA + 511, 1), ==, 0);
    g_assert_cmphex(tv_r(as(), DATA + 512, 1), ==, 0x5c);
    g_assert_cmphex(tv_r(as(), DATA + 1023, 1), ==, 0x5c);

    /* The last sector is fine, one more is not. */
    g_assert_cmpuint(blk_request(f, VIRTIO_BLK_T_IN, DISK / 512 - 1, 512, false, NULL), ==,
                     VIRTIO_BLK_S_OK);
    g_assert_cmpuint(blk_request(f, VIRTIO_BLK_T_IN, DISK / 512, 512, false, NULL), ==,
                     VIRTIO_BLK_S_IOERR);
    g_assert_cmpuint(blk_request(f, VIRTIO_BLK_T_OUT, DISK / 512 - 1, 1024, true, NULL), ==,
                     VIRTIO_BLK_S_IOERR);
    g_assert_cmpuint(blk_request(f, VIRTIO_BLK_T_IN, UINT64_MAX / 2, 512, false, NULL), ==,
                     VIRTIO_BLK_S_IOERR);
    /* Not a whole number of sectors. */
    g_assert_cmpuint(blk_request(f, VIRTIO_BLK_T_IN, 0, 100, false, NULL), ==,
                     VIRTIO_BLK_S_IOERR);
    g_assert_false(((VirtIODevice *)f->dev)->broken);
}

/* ANY_LAYOUT: header and data cut anywhere, through an indirect table. */
static void test_split_layout(Fixture *f, gconstpointer data)
{
    TestBuf bufs[] = {
        { HDR, 5, false }, { HDR + 5, 11, false },
        { DATA, 300, false }, { DATA + 300, 212, false },
        { STATUS, 1, true },
    };
    uint8_t back[512];
    uint32_t id, len;

    tv_fill(as(), DATA, 0x42, 512);
    publish_header(VIRTIO_BLK_T_OUT, 3);
    tvring_publish(&f->r, tvring_add_indirect(&f->r, RAM_BASE + 0x30000, bufs, 5));
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
    g_assert_true(wait_used(f, &id, &len));
    g_assert_cmpuint(tv_r(as(), STATUS, 1), ==, VIRTIO_BLK_S_OK);
    g_assert_cmpint(blk_pread(f->blk, 3 * 512, back, 512), ==, 0);
    for (unsigned i = 0; i < 512; i++) {
        g_assert_cmphex(back[i], ==, 0x42);
    }
}

static void test_flush_getid(Fixture *f, gconstpointer data)
{
    const FixtureOpts *o = data;
    char id[21] = { 0 };
    uint32_t len;

    g_assert_cmpuint(blk_request(f, VIRTIO_BLK_T_FLUSH, 0, 0, false, &len), ==,
                     VIRTIO_BLK_S_OK);
    g_assert_cmpuint(len, ==, 1);
    tv_fill(as(), DATA, 0xee, 20);
    g_assert_cmpuint(blk_request(f, VIRTIO_BLK_T_GET_ID, 0, 20, false, &len), ==,
                     VIRTIO_BLK_S_OK);
    g_assert_cmpuint(len, ==, 21);
    address_space_read(as(), DATA, id, 20);
    /* 20 bytes at most, NUL-padded when shorter. */
    if (strlen(o->serial) >= 20) {
        g_assert_cmpmem(id, 20, o->serial, 20);
    } else {
        g_assert_cmpstr(id, ==, o->serial);
    }
    g_assert_cmpuint(blk_request(f, 0x77, 0, 0, false, NULL), ==, VIRTIO_BLK_S_UNSUPP);
}

static void dwz_segment(uint64_t sector, uint32_t n, uint32_t flags)
{
    tv_w64(as(), DATA, sector);
    tv_w32(as(), DATA + 8, n);
    tv_w32(as(), DATA + 12, flags);
}

static void test_discard_zeroes(Fixture *f, gconstpointer data)
{
    uint8_t buf[2048];

    memset(buf, 0x99, sizeof(buf));
    g_assert_cmpint(blk_pwrite(f->blk, 8 * 512, buf, sizeof(buf)), ==, 0);

    dwz_segment(8, 4, 0);
    g_assert_cmpuint(blk_request(f, VIRTIO_BLK_T_DISCARD, 0, 16, true, NULL), ==,
                     VIRTIO_BLK_S_OK);
    dwz_segment(9, 2, VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP);
    g_assert_cmpuint(blk_request(f, VIRTIO_BLK_T_WRITE_ZEROES, 0, 16, true, NULL), ==,
                     VIRTIO_BLK_S_OK);
    g_assert_cmpint(blk_pread(f->blk, 8 * 512, buf, sizeof(buf)), ==, 0);
    /* Discard without unmap=on is a no-op; the zeroed range reads 0. */
    g_assert_cmphex(buf[0], ==, 0x99);
    g_assert_cmphex(buf[511], ==, 0x99);
    for (unsigned i = 512; i < 1536; i++) {
        g_assert_cmphex(buf[i], ==, 0);
    }
    g_assert_cmphex(buf[1536], ==, 0x99);

    /* Unmap on a discard, unknown flags, out of range, two segments. */
    dwz_segment(8, 1, VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP);
    g_assert_cmpuint(blk_request(f, VIRTIO_BLK_T_DISCARD, 0, 16, true, NULL), ==,
                     VIRTIO_BLK_S_UNSUPP);
    dwz_segment(8, 1, 4);
    g_assert_cmpuint(blk_request(f, VIRTIO_BLK_T_WRITE_ZEROES, 0, 16, true, NULL), ==,
                     VIRTIO_BLK_S_UNSUPP);
    dwz_segment(DISK / 512 - 1, 2, 0);
    g_assert_cmpuint(blk_request(f, VIRTIO_BLK_T_WRITE_ZEROES, 0, 16, true, NULL), ==,
                     VIRTIO_BLK_S_IOERR);
    dwz_segment(0, 1, 0);
    g_assert_cmpuint(blk_request(f, VIRTIO_BLK_T_DISCARD, 0, 32, true, NULL), ==,
                     VIRTIO_BLK_S_UNSUPP);
    g_assert_cmpuint(blk_request(f, VIRTIO_BLK_T_DISCARD, 0, 10, true, NULL), ==,
                     VIRTIO_BLK_S_IOERR);
}

static void test_readonly(Fixture *f, gconstpointer data)
{
    uint8_t buf[512];

    g_assert_true(virtio_has_feature((VirtIODevice *)f->dev, VIRTIO_BLK_F_RO));
    tv_fill(as(), DATA, 0x11, 512);
    g_assert_cmpuint(blk_request(f, VIRTIO_BLK_T_OUT, 0, 512, true, NULL), ==,
                     VIRTIO_BLK_S_IOERR);
    dwz_segment(0, 1, 0);
    g_assert_cmpuint(blk_request(f, VIRTIO_BLK_T_WRITE_ZEROES, 0, 16, true, NULL), ==,
                     VIRTIO_BLK_S_IOERR);
    g_assert_cmpuint(blk_request(f, VIRTIO_BLK_T_IN, 0, 512, false, NULL), ==,
                     VIRTIO_BLK_S_OK);
    g_assert_cmpint(blk_pread(f->blk, 0, buf, 512), ==, 0);
    g_assert_cmphex(buf[0], ==, 0);
}

/* No status byte: a driver bug that breaks the device, not the host. */
static void test_malformed(Fixture *f, gconstpointer data)
{
    TestBuf bufs[] = { { HDR, 16, false } };

    publish_header(VIRTIO_BLK_T_FLUSH, 0);
    tvring_publish(&f->r, tvring_add_chain(&f->r, bufs, 1));
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
    g_assert_true(((VirtIODevice *)f->dev)->broken);
    g_assert_cmphex(rd(VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_DEVICE_NEEDS_RESET, ==,
                    VIRTIO_CONFIG_S_DEVICE_NEEDS_RESET);
    /* The config change interrupt tells the driver. */
    g_assert_cmphex(rd(VIRTIO_MMIO_INTERRUPT_STATUS) & VIRTIO_ISR_CONFIG, ==,
                    VIRTIO_ISR_CONFIG);
    driver_init(f);
    g_assert_false(((VirtIODevice *)f->dev)->broken);
    g_assert_cmpuint(blk_request(f, VIRTIO_BLK_T_FLUSH, 0, 0, false, NULL), ==,
                     VIRTIO_BLK_S_OK);
}

/* Reset with requests in flight: they finish first, then the rings go. */
static void test_reset_in_flight(Fixture *f, gconstpointer data)
{
    TestBuf bufs[] = { { HDR, 16, false }, { DATA, 4096, true }, { STATUS, 1, true } };

    publish_header(VIRTIO_BLK_T_IN, 0);
    for (int i = 0; i < 4; i++) {
        tvring_publish(&f->r, tvring_add_chain(&f->r, bufs, 3));
    }
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
    wr(VIRTIO_MMIO_STATUS, 0);
    g_assert_cmpuint(blk_in_flight(f->blk), ==, 0);
    g_assert_cmphex(rd(VIRTIO_MMIO_STATUS), ==, 0);
    g_assert_cmpuint(rd(VIRTIO_MMIO_QUEUE_READY), ==, 0);
    driver_init(f);
    g_assert_cmpuint(blk_request(f, VIRTIO_BLK_T_FLUSH, 0, 0, false, NULL), ==,
                     VIRTIO_BLK_S_OK);
}

static void test_no_drive(void)
{
    GError *err = NULL;
    DeviceState *dev;

    hw_virtio_register_devices();
    dev = device_new(TYPE_VIRTIO_BLK_DEVICE, &err);
    g_assert_no_error(err);
    /* No virtio bus exists at all. */
    g_assert_false(device_realize(dev, NULL, &err));
    g_assert_error(err, TERN_ERROR, TERN_ERROR_NOT_FOUND);
    g_clear_error(&err);
    {
        int level = 0;
        IrqLine *irq = irq_new(tv_level_handler, &level, 0);
        DeviceState *proxy = virtio_mmio_create(BASE, irq, &err);

        g_assert_no_error(err);
        g_assert_false(device_realize(dev, virtio_mmio_get_bus(proxy), &err));
        g_assert_nonnull(strstr(err->message, "drive property not set"));
        g_clear_error(&err);
        device_free(dev);
        device_tree_destroy();
        irq_free(irq);
    }
}

static const FixtureOpts opts_serial = { .serial = "tern-disk-0001" };
static const FixtureOpts opts_long_serial = { .serial = "0123456789abcdefghijKLMN" };
static const FixtureOpts opts_ro = { .readonly = true };

#define ADD(name, opts, fn) \
    g_test_add(name, Fixture, opts, fixture_setup, fn, fixture_teardown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    ADD("/virtio-blk/config", NULL, test_config);
    ADD("/virtio-blk/write-read", NULL, test_write_read);
    ADD("/virtio-blk/split-layout", NULL, test_split_layout);
    ADD("/virtio-blk/flush-getid", &opts_serial, test_flush_getid);
    ADD("/virtio-blk/getid-long", &opts_long_serial, test_flush_getid);
    ADD("/virtio-blk/discard-zeroes", NULL, test_discard_zeroes);
    ADD("/virtio-blk/readonly", &opts_ro, test_readonly);
    ADD("/virtio-blk/malformed", NULL, test_malformed);
    ADD("/virtio-blk/reset-in-flight", NULL, test_reset_in_flight);
    g_test_add_func("/virtio-blk/no-drive", test_no_drive);
    return g_test_run();
}
