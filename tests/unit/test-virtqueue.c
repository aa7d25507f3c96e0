/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Virtqueue tests: a test device with one queue, bound to a private
 * address space (1 MiB of RAM at 0, a small MMIO window for bounce
 * buffers, the rest unassigned), driven by the test driver in
 * virtio-test-driver.h. Covers direct, indirect and mixed chains, bounce
 * buffers, the used ring (including index wrap), interrupt suppression by
 * NO_INTERRUPT and by event index, avail_event, unpop, and hostile chains
 * that must mark the device broken without hurting the host.
 */
#include <string.h>
#include <unistd.h>

#include "hw/virtio/virtio.h"
#include "system/memory.h"
#include "util/log.h"
#include "virtio-test-driver.h"

#define RAM_SIZE    (1u << 20)
#define MMIO_BASE   0x200000ull
#define MMIO_SIZE   0x1000
#define RING        0x1000ull
#define DATA        0x10000ull
#define TABLE       0x8000ull
#define QSIZE       16

typedef struct Fixture {
    AddressSpace as;
    MemoryRegion root, ram, mmio;
    uint8_t mmio_mem[MMIO_SIZE];
    VirtIODevice *vdev;
    VirtQueue *vq;
    TestVring r;
    unsigned notifies;
    uint16_t last_vector;
    unsigned kicks;
    char *log_path;
} Fixture;

static uint64_t mmio_read(void *opaque, uint64_t addr, unsigned size)
{
    Fixture *f = opaque;
    uint64_t v = 0;

    memcpy(&v, f->mmio_mem + addr, size);
    return v;
}

static void mmio_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    Fixture *f = opaque;

    memcpy(f->mmio_mem + addr, &val, size);
}

static const MemoryRegionOps mmio_ops = {
    .read = mmio_read,
    .write = mmio_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 8 },
};

static void test_notify(void *opaque, uint16_t vector)
{
    Fixture *f = opaque;

    f->notifies++;
    f->last_vector = vector;
}

static const VirtioTransportOps test_transport = {
    .notify = test_notify,
};

static Fixture *current;

static void test_handle(VirtIODevice *vdev, VirtQueue *vq)
{
    current->kicks++;
}

static bool test_dev_realize(VirtIODevice *vdev, GError **errp)
{
    virtio_add_queue(vdev, QSIZE, test_handle);
    return true;
}

static const VirtIODeviceClass test_dev_class = {
    .parent = {
        .name = "virtio-test-device",
        .parent = &virtio_device_class,
        .instance_size = sizeof(VirtIODevice),
    },
    .device_id = 0x3f,
    .realize = test_dev_realize,
};

/* Driver side: negotiate features and set up queue 0 at RING. */
static void driver_start(Fixture *f, uint64_t features)
{
    virtio_set_status(f->vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
    g_assert_true(virtio_set_features(f->vdev, features));
    virtio_set_status(f->vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
                      VIRTIO_CONFIG_S_FEATURES_OK);
    g_assert_cmphex(f->vdev->status & VIRTIO_CONFIG_S_FEATURES_OK, ==,
                    VIRTIO_CONFIG_S_FEATURES_OK);
    tvring_init_layout(&f->r, &f->as, RING, QSIZE, 4);
    virtio_queue_set_num(f->vdev, 0, QSIZE);
    virtio_queue_set_rings(f->vdev, 0, f->r.desc, f->r.avail, f->r.used);
    virtio_queue_set_ready(f->vdev, 0, true);
    virtio_set_status(f->vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
                      VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK);
}

#define F_MODERN (VIRTIO_BIT(VIRTIO_F_VERSION_1) | VIRTIO_BIT(VIRTIO_F_RING_INDIRECT_DESC))
#define F_EVENT (F_MODERN | VIRTIO_BIT(VIRTIO_F_RING_EVENT_IDX))

static void fixture_setup(Fixture *f, gconstpointer data)
{
    GError *err = NULL;
    int fd;

    memset(f, 0, sizeof(*f));
    current = f;
    fd = g_file_open_tmp("test-virtqueue-log-XXXXXX", &f->log_path, &err);
    g_assert_no_error(err);
    close(fd);
    g_assert_true(log_set_file(f->log_path, NULL));
    log_set_mask(LOG_GUEST_ERROR);

    memory_region_init(&f->root, "vq-test-root", UINT64_MAX);
    g_assert_true(memory_region_init_ram(&f->ram, "vq-test-ram", RAM_SIZE, &err));
    g_assert_no_error(err);
    memory_region_add_subregion(&f->root, 0, &f->ram);
    memory_region_init_io(&f->mmio, &mmio_ops, f, "vq-test-mmio", MMIO_SIZE);
    memory_region_add_subregion(&f->root, MMIO_BASE, &f->mmio);
    address_space_init(&f->as, &f->root, "vq-test");

    f->vdev = g_new0(VirtIODevice, 1);
    g_assert_true(virtio_device_realize_embedded(f->vdev, &test_dev_class, &err));
    g_assert_no_error(err);
    virtio_bind_transport(f->vdev, &test_transport, f, &f->as);
    f->vq = virtio_get_queue(f->vdev, 0);
    g_assert_nonnull(f->vq);
    g_assert_true(virtio_host_has_feature(f->vdev, VIRTIO_F_VERSION_1));
    driver_start(f, data ? (uint64_t)(uintptr_t)data : F_MODERN);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    virtio_device_unrealize_embedded(f->vdev);
    g_free(f->vdev);
    address_space_destroy(&f->as);
    memory_region_del_subregion(&f->root, &f->mmio);
    memory_region_del_subregion(&f->root, &f->ram);
    memory_region_destroy(&f->mmio);
    memory_region_destroy(&f->ram);
    memory_region_destroy(&f->root);
    log_set_mask(0);
    log_set_file(NULL, NULL);
    unlink(f->log_path);
    g_free(f->log_path);
    current = NULL;
}

static char *take_log(Fixture *f)
{
    char *text = NULL;

    log_flush();
    g_assert_true(g_file_get_contents(f->log_path, &text, NULL, NULL));
    g_assert_true(log_set_file(f->log_path, NULL));
    return text;
}

static unsigned count_substr(const char *s, const char *needle)
{
    unsigned n = 0;

    for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle)) {
        n++;
    }
    return n;
}

/* ---- good chains ---- */

static void test_direct_chain(Fixture *f, gconstpointer data)
{
    TestBuf bufs[] = {
        { DATA, 16, false }, { DATA + 0x100, 5, false }, { DATA + 0x200, 64, true },
    };
    VirtQueueElement elem;
    uint8_t hdr[21];
    uint32_t id, len;
    unsigned head;

    tv_fill(&f->as, DATA, 0xaa, 16);
    tv_fill(&f->as, DATA + 0x100, 0xbb, 5);
    head = tvring_add_chain(&f->r, bufs, 3);
    g_assert_true(virtio_queue_empty(f->vq));
    g_assert_cmpint(virtqueue_pop(f->vq, &elem), ==, 0);
    tvring_publish(&f->r, head);
    g_assert_false(virtio_queue_empty(f->vq));

    g_assert_cmpint(virtqueue_pop(f->vq, &elem), ==, 1);
    g_assert_cmpuint(elem.index, ==, head);
    g_assert_cmpuint(elem.out_num, ==, 2);
    g_assert_cmpuint(elem.in_num, ==, 1);
    g_assert_cmpuint(elem.out_len, ==, 21);
    g_assert_cmpuint(elem.in_len, ==, 64);
    g_assert_cmpuint(virtio_iov_size(elem.out_sg, elem.out_num), ==, 21);
    g_assert_cmpuint(virtio_iov_to_buf(elem.out_sg, elem.out_num, 0, hdr, sizeof(hdr)), ==, 21);
    g_assert_cmphex(hdr[0], ==, 0xaa);
    g_assert_cmphex(hdr[15], ==, 0xaa);
    g_assert_cmphex(hdr[16], ==, 0xbb);
    g_assert_cmphex(hdr[20], ==, 0xbb);
    /* Zero-copy: the iovec points straight into guest RAM. */
    memset(elem.in_sg[0].iov_base, 0x5a, 10);
    g_assert_cmphex(tv_r(&f->as, DATA + 0x200, 1), ==, 0x5a);
    g_assert_true(virtio_queue_empty(f->vq));

    virtqueue_push(f->vq, &elem, 10);
    g_assert_null(elem.in_sg);
    g_assert_true(tvring_get_used(&f->r, &id, &len));
    g_assert_cmpuint(id, ==, head);
    g_assert_cmpuint(len, ==, 10);
    g_assert_false(tvring_get_used(&f->r, &id, &len));
    virtqueue_notify(f->vq);
    g_assert_cmpuint(f->notifies, ==, 1);
    g_assert_cmphex(f->vdev->isr & VIRTIO_ISR_QUEUE, ==, VIRTIO_ISR_QUEUE);
    g_assert_cmpuint(f->last_vector, ==, VIRTIO_NO_VECTOR);
    g_assert_false(f->vdev->broken);
}

static void test_indirect_chain(Fixture *f, gconstpointer data)
{
    TestBuf bufs[] = {
        { DATA, 8, false }, { DATA + 0x100, 8, false },
        { DATA + 0x200, 32, true }, { DATA + 0x300, 1, true },
    };
    TestBuf direct[] = { { DATA + 0x400, 4, true } };
    VirtQueueElement elem;
    uint32_t id, len;
    unsigned h1, h2;

    h1 = tvring_add_indirect(&f->r, TABLE, bufs, 4);
    h2 = tvring_add_chain(&f->r, direct, 1);
    tvring_publish(&f->r, h1);
    tvring_publish(&f->r, h2);

    g_assert_cmpint(virtqueue_pop(f->vq, &elem), ==, 1);
    g_assert_cmpuint(elem.index, ==, h1);
    g_assert_cmpuint(elem.out_num, ==, 2);
    g_assert_cmpuint(elem.in_num, ==, 2);
    g_assert_cmpuint(elem.in_len, ==, 33);
    g_assert_cmpuint(virtio_iov_from_buf(elem.in_sg, elem.in_num, 30, "xyz", 3), ==, 3);
    virtqueue_push(f->vq, &elem, 33);
    g_assert_cmphex(tv_r(&f->as, DATA + 0x200 + 30, 1), ==, 'x');
    g_assert_cmphex(tv_r(&f->as, DATA + 0x300, 1), ==, 'z');

    g_assert_cmpint(virtqueue_pop(f->vq, &elem), ==, 1);
    g_assert_cmpuint(elem.index, ==, h2);
    g_assert_cmpuint(elem.out_num, ==, 0);
    g_assert_cmpuint(elem.in_num, ==, 1);
    virtqueue_push(f->vq, &elem, 4);

    g_assert_true(tvring_get_used(&f->r, &id, &len));
    g_assert_cmpuint(id, ==, h1);
    g_assert_cmpuint(len, ==, 33);
    g_assert_true(tvring_get_used(&f->r, &id, &len));
    g_assert_cmpuint(id, ==, h2);
    g_assert_cmpuint(len, ==, 4);
}

/* Buffers in MMIO are bounced: read at pop, written back at push. */
static void test_bounce(Fixture *f, gconstpointer data)
{
    TestBuf bufs[] = { { MMIO_BASE, 8, false }, { MMIO_BASE + 0x100, 16, true } };
    VirtQueueElement elem;
    uint8_t got[8];

    memcpy(f->mmio_mem, "bouncing", 8);
    tvring_publish(&f->r, tvring_add_chain(&f->r, bufs, 2));
    g_assert_cmpint(virtqueue_pop(f->vq, &elem), ==, 1);
    g_assert_cmpuint(virtio_iov_to_buf(elem.out_sg, elem.out_num, 0, got, 8), ==, 8);
    g_assert_cmpmem(got, 8, "bouncing", 8);
    virtio_iov_from_buf(elem.in_sg, elem.in_num, 0, "0123456789abcdef", 16);
    g_assert_cmphex(f->mmio_mem[0x100], ==, 0);
    /* Only the bytes the device reports as written travel back. */
    virtqueue_push(f->vq, &elem, 4);
    g_assert_cmpmem(f->mmio_mem + 0x100, 5, "0123\0", 5);
    g_assert_false(f->vdev->broken);
}

/* A buffer spanning RAM and MMIO becomes two segments. */
static void test_split_buffer(Fixture *f, gconstpointer data)
{
    MemoryRegion ram2;
    GError *err = NULL;
    TestBuf bufs[] = { { RAM_SIZE - 8, 16, false } };
    VirtQueueElement elem;

    g_assert_true(memory_region_init_ram(&ram2, "vq-test-ram2", 0x1000, &err));
    memory_region_add_subregion(&f->root, RAM_SIZE, &ram2);
    tvring_publish(&f->r, tvring_add_chain(&f->r, bufs, 1));
    g_assert_cmpint(virtqueue_pop(f->vq, &elem), ==, 1);
    g_assert_cmpuint(elem.out_num, ==, 2);
    g_assert_cmpuint(elem.out_sg[0].iov_len, ==, 8);
    g_assert_cmpuint(elem.out_sg[1].iov_len, ==, 8);
    virtqueue_push(f->vq, &elem, 0);
    memory_region_del_subregion(&f->root, &ram2);
    memory_region_destroy(&ram2);
}

/* 16-bit indices wrap: the ring keeps working past 65535. */
static void test_used_wrap(Fixture *f, gconstpointer data)
{
    TestBuf buf = { DATA, 4, true };
    VirtQueueElement elem;
    uint32_t id = 0, len = 0;

    for (unsigned i = 0; i < 65536 + 40; i++) {
        unsigned head = tvring_add_chain(&f->r, &buf, 1);

        tvring_publish(&f->r, head);
        g_assert_cmpint(virtqueue_pop(f->vq, &elem), ==, 1);
        g_assert_cmpuint(elem.index, ==, head);
        virtqueue_push(f->vq, &elem, i & 3);
        g_assert_true(tvring_get_used(&f->r, &id, &len));
        g_assert_cmpuint(id, ==, head);
        g_assert_cmpuint(len, ==, i & 3);
    }
    g_assert_cmpuint(tvring_used_idx(&f->r), ==, 40);
    g_assert_false(f->vdev->broken);
}

static void one_round(Fixture *f)
{
    TestBuf buf = { DATA, 4, true };
    VirtQueueElement elem;
    uint32_t id, len;

    tvring_publish(&f->r, tvring_add_chain(&f->r, &buf, 1));
    g_assert_cmpint(virtqueue_pop(f->vq, &elem), ==, 1);
    virtqueue_push(f->vq, &elem, 4);
    g_assert_true(tvring_get_used(&f->r, &id, &len));
    virtqueue_notify(f->vq);
}

static void test_no_interrupt(Fixture *f, gconstpointer data)
{
    one_round(f);
    g_assert_cmpuint(f->notifies, ==, 1);
    tvring_set_avail_flags(&f->r, VRING_AVAIL_F_NO_INTERRUPT);
    one_round(f);
    one_round(f);
    g_assert_cmpuint(f->notifies, ==, 1);
    tvring_set_avail_flags(&f->r, 0);
    one_round(f);
    g_assert_cmpuint(f->notifies, ==, 2);
}

static void test_event_idx(Fixture *f, gconstpointer data)
{
    /* The first interrupt always goes out. */
    one_round(f);
    g_assert_cmpuint(f->notifies, ==, 1);
    g_assert_cmpuint(tvring_avail_event(&f->r), ==, 1);
    /* NO_INTERRUPT is ignored with EVENT_IDX; used_event rules. */
    tvring_set_avail_flags(&f->r, VRING_AVAIL_F_NO_INTERRUPT);
    tvring_set_used_event(&f->r, 3);    /* interrupt when used idx passes 3 */
    one_round(f);                       /* used idx 2 */
    g_assert_cmpuint(f->notifies, ==, 1);
    one_round(f);                       /* used idx 3 */
    g_assert_cmpuint(f->notifies, ==, 1);
    one_round(f);                       /* used idx 4: crossed 3 */
    g_assert_cmpuint(f->notifies, ==, 2);
    one_round(f);                       /* 5: event stays behind */
    g_assert_cmpuint(f->notifies, ==, 2);
    g_assert_cmpuint(tvring_avail_event(&f->r), ==, 5);
    /* Pushing several before one notify: the event fell in the batch. */
    tvring_set_used_event(&f->r, 5);
    {
        TestBuf buf = { DATA, 4, true };
        VirtQueueElement e1, e2;
        uint32_t id, len;

        tvring_publish(&f->r, tvring_add_chain(&f->r, &buf, 1));
        tvring_publish(&f->r, tvring_add_chain(&f->r, &buf, 1));
        g_assert_cmpint(virtqueue_pop(f->vq, &e1), ==, 1);
        g_assert_cmpint(virtqueue_pop(f->vq, &e2), ==, 1);
        virtqueue_push(f->vq, &e1, 1);
        virtqueue_push(f->vq, &e2, 1);
        virtqueue_notify(f->vq);
        g_assert_cmpuint(f->notifies, ==, 3);
        g_assert_true(tvring_get_used(&f->r, &id, &len));
        g_assert_true(tvring_get_used(&f->r, &id, &len));
    }
}

static void test_set_notification(Fixture *f, gconstpointer data)
{
    virtio_queue_set_notification(f->vq, false);
    g_assert_cmphex(tvring_used_flags(&f->r), ==, VRING_USED_F_NO_NOTIFY);
    virtio_queue_set_notification(f->vq, true);
    g_assert_cmphex(tvring_used_flags(&f->r), ==, 0);
}

static void test_unpop_and_avail_bytes(Fixture *f, gconstpointer data)
{
    TestBuf a[] = { { DATA, 100, true } };
    TestBuf b[] = { { DATA + 0x100, 8, false }, { DATA + 0x200, 50, true } };
    VirtQueueElement elem;
    unsigned h1;

    g_assert_false(virtqueue_avail_bytes(f->vq, 1));
    h1 = tvring_add_chain(&f->r, a, 1);
    tvring_publish(&f->r, h1);
    tvring_publish(&f->r, tvring_add_chain(&f->r, b, 2));
    g_assert_true(virtqueue_avail_bytes(f->vq, 150));
    g_assert_false(virtqueue_avail_bytes(f->vq, 151));
    g_assert_cmpint(virtqueue_pop(f->vq, &elem), ==, 1);
    g_assert_cmpuint(elem.index, ==, h1);
    virtqueue_unpop(f->vq, &elem);
    g_assert_cmpint(virtqueue_pop(f->vq, &elem), ==, 1);
    g_assert_cmpuint(elem.index, ==, h1);
    g_assert_false(virtqueue_avail_bytes(f->vq, 51));
    virtqueue_push(f->vq, &elem, 0);
}

static void test_kick(Fixture *f, gconstpointer data)
{
    virtio_queue_notify(f->vdev, 0);
    g_assert_cmpuint(f->kicks, ==, 1);
    virtio_queue_notify(f->vdev, 5);    /* no such queue: logged, ignored */
    g_assert_cmpuint(f->kicks, ==, 1);
}

/* ---- hostile chains ---- */

static void expect_broken(Fixture *f, const char *what)
{
    VirtQueueElement elem;
    g_autofree char *log = NULL;

    g_assert_cmpint(virtqueue_pop(f->vq, &elem), ==, -EIO);
    g_assert_true(f->vdev->broken);
    g_assert_cmphex(f->vdev->status & VIRTIO_CONFIG_S_DEVICE_NEEDS_RESET, ==,
                    VIRTIO_CONFIG_S_DEVICE_NEEDS_RESET);
    /* The driver learns through a config interrupt (VERSION_1). */
    g_assert_cmphex(f->vdev->isr & VIRTIO_ISR_CONFIG, ==, VIRTIO_ISR_CONFIG);
    /* Still broken: nothing more is processed, nothing more is logged. */
    g_assert_cmpint(virtqueue_pop(f->vq, &elem), ==, -EIO);
    virtio_queue_notify(f->vdev, 0);
    g_assert_cmpuint(f->kicks, ==, 0);
    log = take_log(f);
    g_assert_cmpuint(count_substr(log, "needs a reset"), ==, 1);
    g_assert_nonnull(strstr(log, what));
    g_assert_cmpuint(tvring_used_idx(&f->r), ==, 0);

    /* A reset clears it and the queue works again. */
    virtio_reset(f->vdev);
    g_assert_false(f->vdev->broken);
    g_assert_cmphex(f->vdev->status, ==, 0);
    driver_start(f, F_MODERN);
    one_round(f);
    g_assert_false(f->vdev->broken);
}

static void test_bad_head(Fixture *f, gconstpointer data)
{
    tvring_publish(&f->r, QSIZE + 3);
    expect_broken(f, "head index");
}

static void test_bad_next(Fixture *f, gconstpointer data)
{
    tv_write_desc(&f->as, f->r.desc, 0, DATA, 4, VRING_DESC_F_NEXT, QSIZE);
    tvring_publish(&f->r, 0);
    expect_broken(f, "next index");
}

static void test_loop(Fixture *f, gconstpointer data)
{
    tv_write_desc(&f->as, f->r.desc, 0, DATA, 4, VRING_DESC_F_NEXT, 1);
    tv_write_desc(&f->as, f->r.desc, 1, DATA, 4, VRING_DESC_F_NEXT, 2);
    tv_write_desc(&f->as, f->r.desc, 2, DATA, 4, VRING_DESC_F_NEXT, 0);
    tvring_publish(&f->r, 0);
    expect_broken(f, "loops");
}

static void test_indirect_outside_ram(Fixture *f, gconstpointer data)
{
    tv_write_desc(&f->as, f->r.desc, 0, 0x40000000, 64, VRING_DESC_F_INDIRECT, 0);
    tvring_publish(&f->r, 0);
    expect_broken(f, "indirect table");
}

static void test_indirect_bad_len(Fixture *f, gconstpointer data)
{
    tv_write_desc(&f->as, f->r.desc, 0, TABLE, 20, VRING_DESC_F_INDIRECT, 0);
    tvring_publish(&f->r, 0);
    expect_broken(f, "indirect table length");
}

static void test_indirect_loop(Fixture *f, gconstpointer data)
{
    tv_write_desc(&f->as, TABLE, 0, DATA, 4, VRING_DESC_F_NEXT, 1);
    tv_write_desc(&f->as, TABLE, 1, DATA, 4, VRING_DESC_F_NEXT, 2);
    tv_write_desc(&f->as, TABLE, 2, DATA, 4, VRING_DESC_F_NEXT, 1);
    tv_write_desc(&f->as, f->r.desc, 0, TABLE, 3 * 16, VRING_DESC_F_INDIRECT, 0);
    tvring_publish(&f->r, 0);
    expect_broken(f, "loops");
}

static void test_nested_indirect(Fixture *f, gconstpointer data)
{
    tv_write_desc(&f->as, TABLE, 0, TABLE + 0x100, 16, VRING_DESC_F_INDIRECT, 0);
    tv_write_desc(&f->as, f->r.desc, 0, TABLE, 16, VRING_DESC_F_INDIRECT, 0);
    tvring_publish(&f->r, 0);
    expect_broken(f, "indirect descriptor");
}

static void test_len_wrap(Fixture *f, gconstpointer data)
{
    tv_write_desc(&f->as, f->r.desc, 0, UINT64_MAX - 0xfff, 0x2000, 0, 0);
    tvring_publish(&f->r, 0);
    expect_broken(f, "wraps");
}

static void test_len_too_big(Fixture *f, gconstpointer data)
{
    tv_write_desc(&f->as, f->r.desc, 0, DATA, 0x80000000u,
                  VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 1);
    tv_write_desc(&f->as, f->r.desc, 1, DATA, 0x80000000u, VRING_DESC_F_WRITE, 0);
    tvring_publish(&f->r, 0);
    /* Found while sizing, before anything is mapped. */
    g_assert_false(virtqueue_avail_bytes(f->vq, 1));
    g_assert_true(f->vdev->broken);
    g_free(take_log(f));
    virtio_reset(f->vdev);
    driver_start(f, F_MODERN);
    tv_write_desc(&f->as, f->r.desc, 0, DATA, 0x80000000u, VRING_DESC_F_WRITE, 0);
    tvring_publish(&f->r, 0);
    expect_broken(f, "outside guest memory");
}

static void test_buffer_unassigned(Fixture *f, gconstpointer data)
{
    TestBuf buf = { 0x7000000000ull, 64, false };

    tvring_publish(&f->r, tvring_add_chain(&f->r, &buf, 1));
    expect_broken(f, "outside guest memory");
}

static void test_order(Fixture *f, gconstpointer data)
{
    TestBuf bufs[] = { { DATA, 4, true }, { DATA + 0x100, 4, false } };

    tvring_publish(&f->r, tvring_add_chain(&f->r, bufs, 2));
    expect_broken(f, "after a writable");
}

static void test_avail_jump(Fixture *f, gconstpointer data)
{
    tv_w16(&f->as, f->r.avail + 2, QSIZE + 1);
    expect_broken(f, "avail index moved");
}

static void test_ring_outside_ram(Fixture *f, gconstpointer data)
{
    virtio_queue_set_rings(f->vdev, 0, f->r.desc, MMIO_BASE, f->r.used);
    expect_broken(f, "not in RAM");
}

static void test_too_many_inuse(Fixture *f, gconstpointer data)
{
    TestBuf buf = { DATA, 4, true };
    VirtQueueElement elems[QSIZE];

    for (unsigned i = 0; i < QSIZE; i++) {
        tvring_publish(&f->r, tvring_add_chain(&f->r, &buf, 1));
        g_assert_cmpint(virtqueue_pop(f->vq, &elems[i]), ==, 1);
    }
    /* All descriptors are with the device, yet the driver offers more. */
    tvring_publish(&f->r, 0);
    for (unsigned i = 0; i < QSIZE; i++) {
        virtqueue_element_release(&elems[i]);
    }
    expect_broken(f, "in use");
}

static void test_modern_only(Fixture *f, gconstpointer data)
{
    virtio_reset(f->vdev);
    f->vdev->modern_only = true;
    virtio_set_status(f->vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
    g_assert_true(virtio_set_features(f->vdev, VIRTIO_BIT(VIRTIO_F_RING_INDIRECT_DESC)));
    virtio_set_status(f->vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
                      VIRTIO_CONFIG_S_FEATURES_OK);
    g_assert_cmphex(f->vdev->status & VIRTIO_CONFIG_S_FEATURES_OK, ==, 0);
    /* Unoffered bits are dropped. */
    g_assert_false(virtio_set_features(f->vdev, VIRTIO_BIT(VIRTIO_F_VERSION_1) | VIRTIO_BIT(50)));
    g_assert_cmphex(f->vdev->guest_features, ==, VIRTIO_BIT(VIRTIO_F_VERSION_1));
    virtio_set_status(f->vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
                      VIRTIO_CONFIG_S_FEATURES_OK);
    g_assert_cmphex(f->vdev->status & VIRTIO_CONFIG_S_FEATURES_OK, ==,
                    VIRTIO_CONFIG_S_FEATURES_OK);
    /* Frozen now. */
    g_assert_false(virtio_set_features(f->vdev, 0));
    g_assert_cmphex(f->vdev->guest_features, ==, VIRTIO_BIT(VIRTIO_F_VERSION_1));
}

#define ADD(name, fn) \
    g_test_add(name, Fixture, NULL, fixture_setup, fn, fixture_teardown)
#define ADD_F(name, fn, feat) \
    g_test_add(name, Fixture, (gconstpointer)(uintptr_t)(feat), fixture_setup, fn, \
               fixture_teardown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    ADD("/virtqueue/direct", test_direct_chain);
    ADD("/virtqueue/indirect", test_indirect_chain);
    ADD("/virtqueue/bounce", test_bounce);
    ADD("/virtqueue/split-buffer", test_split_buffer);
    ADD("/virtqueue/used-wrap", test_used_wrap);
    ADD("/virtqueue/no-interrupt", test_no_interrupt);
    ADD_F("/virtqueue/event-idx", test_event_idx, F_EVENT);
    ADD("/virtqueue/set-notification", test_set_notification);
    ADD("/virtqueue/unpop-avail-bytes", test_unpop_and_avail_bytes);
    ADD("/virtqueue/kick", test_kick);
    ADD("/virtqueue/modern-only", test_modern_only);
    ADD("/virtqueue/hostile/bad-head", test_bad_head);
    ADD("/virtqueue/hostile/bad-next", test_bad_next);
    ADD("/virtqueue/hostile/loop", test_loop);
    ADD("/virtqueue/hostile/indirect-outside-ram", test_indirect_outside_ram);
    ADD("/virtqueue/hostile/indirect-bad-len", test_indirect_bad_len);
    ADD("/virtqueue/hostile/indirect-loop", test_indirect_loop);
    ADD("/virtqueue/hostile/nested-indirect", test_nested_indirect);
    ADD("/virtqueue/hostile/len-wrap", test_len_wrap);
    ADD("/virtqueue/hostile/len-too-big", test_len_too_big);
    ADD("/virtqueue/hostile/buffer-unassigned", test_buffer_unassigned);
    ADD("/virtqueue/hostile/order", test_order);
    ADD("/virtqueue/hostile/avail-jump", test_avail_jump);
    ADD("/virtqueue/hostile/ring-outside-ram", test_ring_outside_ram);
    ADD("/virtqueue/hostile/too-many-inuse", test_too_many_inuse);
    return g_test_run();
}
