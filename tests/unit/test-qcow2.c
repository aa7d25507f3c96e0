/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qcow2 driver tests: random I/O against an in-memory mirror (several
 * cluster sizes, refcount widths and v2), concurrent async writes sharing
 * clusters, zero clusters and discard (checked down to the L2 entries),
 * backing files and copy-on-write, the dirty bit and refcount repair,
 * compressed clusters and the deflate decoder, and corrupted images that
 * must be refused or fail with -EIO, never crash.
 */
#include "block/block.h"
#include "block/qcow2.h"
#include "system/main-loop.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Raw deflate streams made once with zlib from 64 lines of
 * "line N: the quick brown fox jumps over the lazy dog\n": the whole text
 * with dynamic Huffman codes, its first 300 bytes with fixed codes.
 */
static const uint8_t deflate_dynamic[] = {
    0x9d, 0xd6, 0xc7, 0x11, 0xc2, 0x40, 0x0c, 0x40, 0xd1, 0x3b, 0x55, 0xa8, 0x04, 0x94, 0x96, 0xd0,
    0x0d, 0xc1, 0x80, 0xc1, 0x78, 0x49, 0x26, 0x55, 0xcf, 0x40, 0x07, 0xfc, 0xb3, 0xe6, 0x9f, 0xf4,
    0x66, 0x57, 0x5d, 0xdb, 0x37, 0x32, 0x9e, 0xcb, 0x6d, 0xd7, 0xc8, 0x79, 0x68, 0x57, 0x07, 0x59,
    0x5e, 0xea, 0xa3, 0x97, 0x4d, 0x7d, 0xca, 0x7e, 0x38, 0x9e, 0xae, 0x52, 0xef, 0xcd, 0xe5, 0x37,
    0xee, 0x16, 0xef, 0x97, 0xac, 0xeb, 0x76, 0xd4, 0x7d, 0x1b, 0x05, 0x8d, 0x81, 0xc6, 0x41, 0x13,
    0xa0, 0x49, 0xd0, 0x14, 0xd0, 0x4c, 0x40, 0x33, 0x05, 0xcd, 0x8c, 0xec, 0x14, 0x41, 0x20, 0x12,
    0x94, 0x50, 0x50, 0x62, 0x41, 0x09, 0x06, 0x25, 0x1a, 0x94, 0x70, 0x50, 0xe2, 0x41, 0x09, 0x08,
    0x25, 0x22, 0x8c, 0x88, 0x30, 0xf4, 0x36, 0x10, 0x11, 0x46, 0x44, 0x18, 0x11, 0x61, 0x44, 0x84,
    0x11, 0x11, 0x46, 0x44, 0x18, 0x11, 0x61, 0x44, 0x84, 0x13, 0x11, 0x4e, 0x44, 0x38, 0xfa, 0x2e,
    0x88, 0x08, 0x27, 0x22, 0x9c, 0x88, 0x70, 0x22, 0xc2, 0x89, 0x08, 0x27, 0x22, 0x9c, 0x88, 0x08,
    0x22, 0x22, 0x88, 0x88, 0x20, 0x22, 0x02, 0x5d, 0x10, 0x44, 0x44, 0x10, 0x11, 0x41, 0x44, 0x04,
    0x11, 0x11, 0x44, 0x44, 0x10, 0x11, 0x49, 0x44, 0x24, 0x11, 0x91, 0x44, 0x44, 0x12, 0x11, 0x89,
    0x8e, 0x4a, 0x22, 0x22, 0x89, 0x88, 0x24, 0x22, 0x92, 0x88, 0x48, 0x22, 0xa2, 0x10, 0x11, 0x85,
    0x88, 0x28, 0x44, 0x44, 0xf9, 0x53, 0xc4, 0x07,
};
static const uint8_t deflate_fixed[] = {
    0xcb, 0xc9, 0xcc, 0x4b, 0x55, 0x30, 0xb0, 0x52, 0x28, 0xc9, 0x48, 0x55, 0x28, 0x2c, 0xcd, 0x4c,
    0xce, 0x56, 0x48, 0x2a, 0xca, 0x2f, 0xcf, 0x53, 0x48, 0xcb, 0xaf, 0x50, 0xc8, 0x2a, 0xcd, 0x2d,
    0x28, 0x56, 0xc8, 0x2f, 0x4b, 0x2d, 0x02, 0x4b, 0xe7, 0x24, 0x56, 0x55, 0x2a, 0xa4, 0xe4, 0xa7,
    0x73, 0xe5, 0x80, 0xf4, 0x18, 0x92, 0xa1, 0xc7, 0x88, 0x0c, 0x3d, 0xc6, 0x64, 0xe8, 0x31, 0x21,
    0x43, 0x8f, 0x29, 0x61, 0x3d, 0x00,
};

static char *tmpdir;    /* per process: parallel runs do not collide */

static char *tmp_path(const char *name)
{
    return g_build_filename(tmpdir, name, NULL);
}

static BlockBackend *open_ok(const char *path, const char *fmt, int flags)
{
    GError *err = NULL;
    BlockBackend *blk = blk_open(path, fmt, flags, &err);

    g_assert_no_error(err);
    g_assert_nonnull(blk);
    return blk;
}

static void create_ok(const char *path, uint64_t size, int cluster_bits, int order,
                      int version)
{
    Qcow2CreateOptions o = { .size = size, .cluster_bits = cluster_bits,
                             .refcount_order = order, .version = version };
    GError *err = NULL;

    g_assert_true(qcow2_create_opts(path, &o, &err));
    g_assert_no_error(err);
}

static void expect_open_error(const char *path, int flags, const char *substr)
{
    GError *err = NULL;
    BlockBackend *blk = blk_open(path, "qcow2", flags, &err);

    g_assert_null(blk);
    g_assert_nonnull(err);
    if (!strstr(err->message, substr)) {
        g_error("error '%s' lacks '%s'", err->message, substr);
    }
    g_assert_nonnull(strstr(err->message, path));
    g_assert_null(strchr(err->message, '\n'));
    g_error_free(err);
}

static void verify_mirror(BlockBackend *blk, const uint8_t *mirror, uint64_t size)
{
    g_autofree uint8_t *buf = g_malloc(size);

    g_assert_cmpint(blk_pread(blk, 0, buf, size), ==, 0);
    for (uint64_t i = 0; i < size; i++) {
        if (buf[i] != mirror[i]) {
            g_error("offset %" G_GUINT64_FORMAT ": read %#x, expected %#x", i, buf[i], mirror[i]);
        }
    }
}

/* Writes, zeroing and cluster-aligned discards, mirrored in memory. */
static void random_io(BlockBackend *blk, uint8_t *mirror, uint64_t size, uint64_t cs,
                      GRand *r, int n)
{
    for (int k = 0; k < n; k++) {
        int op = g_rand_int_range(r, 0, 10);
        uint64_t off = g_rand_int_range(r, 0, size);
        uint64_t len = 1 + g_rand_int_range(r, 0, MIN(size - off, 3 * cs + 1000));

        if (op < 7) {
            g_autofree uint8_t *buf = g_malloc(len);
            uint8_t seed = g_rand_int(r);

            for (uint64_t i = 0; i < len; i++) {
                buf[i] = seed + i * 7 + (i >> 9);
            }
            g_assert_cmpint(blk_pwrite(blk, off, buf, len), ==, 0);
            memcpy(mirror + off, buf, len);
        } else if (op < 9) {
            int flags = op == 8 ? BLK_ZERO_MAY_UNMAP : 0;

            g_assert_cmpint(blk_write_zeroes(blk, off, len, flags), ==, 0);
            memset(mirror + off, 0, len);
        } else {
            off &= ~(cs - 1);
            len = MIN(((len + cs - 1) & ~(cs - 1)), size - off);
            g_assert_cmpint(blk_discard(blk, off, len), ==, 0);
            memset(mirror + off, 0, len);
        }
        if (k % 50 == 49) {
            g_assert_cmpint(blk_flush(blk), ==, 0);
        }
    }
}

typedef struct {
    int cluster_bits;
    int order;
    int version;
    uint64_t size;
    int flags;
} Variant;

static void test_random_rw(gconstpointer data)
{
    const Variant *v = data;
    g_autofree char *path = tmp_path("tern-test-qcow2-rand.qcow2");
    g_autofree uint8_t *mirror = g_malloc0(v->size);
    GRand *r = g_rand_new_with_seed(1234 + v->cluster_bits * 10 + v->order);
    BlockBackend *blk;

    create_ok(path, v->size, v->cluster_bits, v->order, v->version);
    blk = open_ok(path, NULL, BLK_DISCARD_UNMAP | v->flags);
    g_assert_cmpstr(blk_format_name(blk), ==, "qcow2");
    g_assert_cmpint(blk_getlength(blk), ==, v->size);
    random_io(blk, mirror, v->size, 1ull << v->cluster_bits, r, 300);
    verify_mirror(blk, mirror, v->size);
    blk_close(blk);

    blk = open_ok(path, "qcow2", BLK_DISCARD_UNMAP | v->flags);
    verify_mirror(blk, mirror, v->size);
    random_io(blk, mirror, v->size, 1ull << v->cluster_bits, r, 100);
    blk_close(blk);
    blk = open_ok(path, "qcow2", BLK_READONLY);
    verify_mirror(blk, mirror, v->size);
    blk_close(blk);
    g_rand_free(r);
    unlink(path);
}

/* ---- concurrency ---- */

typedef struct {
    int pending;
    int errors;
} Waiter;

static void waiter_cb(void *opaque, int ret)
{
    Waiter *w = opaque;

    w->errors += ret < 0;
    w->pending--;
}

#define NCONC 96
#define CONC_LEN 5000

static void test_concurrent(void)
{
    g_autofree char *path = tmp_path("tern-test-qcow2-conc.qcow2");
    uint64_t size = NCONC * CONC_LEN + 4096;
    g_autofree uint8_t *mirror = g_malloc0(size);
    g_autofree uint8_t *rbuf = g_malloc0(size);
    struct iovec iov[NCONC];
    Waiter w = { .pending = NCONC };
    BlockBackend *blk;

    /* 4 KiB clusters: neighbouring requests share partially written clusters. */
    create_ok(path, size, 12, -1, 3);
    blk = open_ok(path, "qcow2", 0);
    for (int i = 0; i < NCONC; i++) {
        memset(mirror + i * CONC_LEN, i + 1, CONC_LEN);
    }
    for (int i = 0; i < NCONC; i++) {
        int j = (i * 37) % NCONC;   /* scrambled submission order */

        iov[j] = (struct iovec){ mirror + j * CONC_LEN, CONC_LEN };
        blk_aio_pwritev(blk, (uint64_t)j * CONC_LEN, &iov[j], 1, waiter_cb, &w);
    }
    while (w.pending) {
        main_loop_wait(false);
    }
    g_assert_cmpint(w.errors, ==, 0);
    w.pending = 1;
    iov[0] = (struct iovec){ rbuf, size };
    blk_aio_preadv(blk, 0, iov, 1, waiter_cb, &w);
    while (w.pending) {
        main_loop_wait(false);
    }
    g_assert_cmpint(w.errors, ==, 0);
    g_assert_cmpmem(rbuf, size, mirror, size);
    blk_close(blk);
    blk = open_ok(path, "qcow2", BLK_READONLY);
    verify_mirror(blk, mirror, size);
    blk_close(blk);
    unlink(path);
}

/* ---- raw access to image metadata ---- */

static uint64_t file_be64(const char *path, uint64_t off)
{
    int fd = open(path, O_RDONLY);
    uint8_t b[8];

    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(pread(fd, b, 8, off), ==, 8);
    close(fd);
    return qcow2_be64(b);
}

static void file_put_be64(const char *path, uint64_t off, uint64_t v)
{
    int fd = open(path, O_WRONLY);
    uint8_t b[8];

    g_assert_cmpint(fd, >=, 0);
    qcow2_put_be64(b, v);
    g_assert_cmpint(pwrite(fd, b, 8, off), ==, 8);
    close(fd);
}

static void file_put_be32(const char *path, uint64_t off, uint32_t v)
{
    int fd = open(path, O_WRONLY);
    uint8_t b[4] = { v >> 24, v >> 16, v >> 8, v };

    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(pwrite(fd, b, 4, off), ==, 4);
    close(fd);
}

/* Host offset of the L2 table of L1 index 0. */
static uint64_t l2_table_of(const char *path)
{
    uint64_t l1 = file_be64(path, 40);

    return file_be64(path, l1) & L1E_OFFSET_MASK;
}

static void assert_filled(BlockBackend *blk, uint64_t off, size_t len, int c)
{
    g_autofree uint8_t *buf = g_malloc(len);

    g_assert_cmpint(blk_pread(blk, off, buf, len), ==, 0);
    for (size_t i = 0; i < len; i++) {
        if (buf[i] != c) {
            g_error("byte %" G_GUINT64_FORMAT " is %#x, expected %#x", off + i, buf[i], c);
        }
    }
}

static void fill(BlockBackend *blk, uint64_t off, size_t len, int c)
{
    g_autofree uint8_t *buf = g_malloc(len);

    memset(buf, c, len);
    g_assert_cmpint(blk_pwrite(blk, off, buf, len), ==, 0);
}

#define CS 65536

static void test_zero_clusters(void)
{
    g_autofree char *path = tmp_path("tern-test-qcow2-zero.qcow2");
    BlockBackend *blk;
    uint64_t l2;

    g_assert_true(qcow2_create(path, 16 * CS, NULL, NULL));
    blk = open_ok(path, "qcow2", BLK_DISCARD_UNMAP);
    fill(blk, 0, 4 * CS, 0xee);
    g_assert_cmpint(blk_write_zeroes(blk, 0, CS, BLK_ZERO_MAY_UNMAP), ==, 0);
    g_assert_cmpint(blk_write_zeroes(blk, CS, CS, 0), ==, 0);
    g_assert_cmpint(blk_write_zeroes(blk, 2 * CS + 100, 1000, 0), ==, 0);
    g_assert_cmpint(blk_discard(blk, 3 * CS, CS), ==, 0);
    g_assert_cmpint(blk_write_zeroes(blk, 8 * CS, CS, 0), ==, 0);   /* unallocated */
    assert_filled(blk, 0, 2 * CS, 0);
    assert_filled(blk, 2 * CS, 100, 0xee);
    assert_filled(blk, 2 * CS + 100, 1000, 0);
    assert_filled(blk, 2 * CS + 1100, CS - 1100, 0xee);
    assert_filled(blk, 3 * CS, CS, 0);
    blk_close(blk);

    l2 = l2_table_of(path);
    g_assert_cmphex(file_be64(path, l2), ==, QCOW_OFLAG_ZERO);           /* zero, unmapped */
    g_assert_cmphex(file_be64(path, l2 + 8) & (QCOW_OFLAG_ZERO | QCOW_OFLAG_COPIED), ==,
                    QCOW_OFLAG_ZERO | QCOW_OFLAG_COPIED);                /* zero, kept */
    g_assert_cmphex(file_be64(path, l2 + 8) & L2E_OFFSET_MASK, !=, 0);
    g_assert_cmphex(file_be64(path, l2 + 16) & QCOW_OFLAG_ZERO, ==, 0);
    g_assert_cmphex(file_be64(path, l2 + 24), ==, 0);                    /* discarded */
    g_assert_cmphex(file_be64(path, l2 + 64), ==, 0);                    /* never written */

    blk = open_ok(path, "qcow2", 0);
    assert_filled(blk, 0, 2 * CS, 0);
    /* Writing into zero clusters allocates and keeps the rest zero. */
    fill(blk, CS + 10, 10, 0x12);
    fill(blk, 10, 10, 0x13);
    assert_filled(blk, CS, 10, 0);
    assert_filled(blk, CS + 10, 10, 0x12);
    assert_filled(blk, CS + 20, CS - 20, 0);
    assert_filled(blk, 10, 10, 0x13);
    assert_filled(blk, 20, CS - 20, 0);
    blk_close(blk);
    unlink(path);
}

static void test_backing(void)
{
    g_autofree char *base = tmp_path("tern-test-qcow2-base.raw");
    g_autofree char *mid = tmp_path("tern-test-qcow2-mid.qcow2");
    g_autofree char *top = tmp_path("tern-test-qcow2-top.qcow2");
    g_autofree uint8_t *data = g_malloc(32 * CS + 1000);
    BlockBackend *blk;
    GError *err = NULL;

    memset(data, 0x42, 32 * CS + 1000);
    g_assert_true(g_file_set_contents(base, (char *)data, 32 * CS + 1000, NULL));
    /* Relative names resolve against the overlay's directory; size from backing. */
    g_assert_true(qcow2_create(mid, 0, "tern-test-qcow2-base.raw", &err));
    g_assert_no_error(err);
    g_assert_true(qcow2_create(top, 0, mid, &err));
    g_assert_no_error(err);

    blk = open_ok(mid, NULL, BLK_DISCARD_UNMAP);
    g_assert_cmpint(blk_getlength(blk), ==, 32 * CS + 1000);
    assert_filled(blk, 0, 32 * CS + 1000, 0x42);
    fill(blk, 70000, 100, 0x01);                /* COW inside cluster 1 */
    g_assert_cmpint(blk_write_zeroes(blk, 2 * CS, CS, BLK_ZERO_MAY_UNMAP), ==, 0);
    g_assert_cmpint(blk_discard(blk, 3 * CS, CS), ==, 0);
    g_assert_cmpint(blk_discard(blk, 4 * CS + 512, 4096), ==, 0);   /* partial: a hint */
    fill(blk, 32 * CS + 500, 500, 0x05);        /* the short last cluster */
    blk_close(blk);

    blk = open_ok(top, NULL, 0);
    assert_filled(blk, 0, 70000, 0x42);
    assert_filled(blk, 70000, 100, 0x01);
    assert_filled(blk, 70100, 2 * CS - 70100, 0x42);
    assert_filled(blk, 2 * CS, 2 * CS, 0);      /* zero clusters hide the backing */
    assert_filled(blk, 4 * CS, 28 * CS + 500, 0x42);
    assert_filled(blk, 32 * CS + 500, 500, 0x05);
    fill(blk, 0, 10, 0x07);
    assert_filled(blk, 10, CS - 10, 0x42);
    blk_close(blk);

    blk = open_ok(mid, NULL, BLK_READONLY);
    assert_filled(blk, 0, 10, 0x42);            /* the top's write stayed in the top */
    blk_close(blk);
    blk = open_ok(base, "raw", BLK_READONLY);
    assert_filled(blk, 0, 32 * CS + 1000, 0x42);
    blk_close(blk);

    unlink(base);
    expect_open_error(mid, 0, "backing file: Could not open");
    /* A loop through the backing chain is cut off, not followed forever. */
    g_assert_true(qcow2_create(base, 4 * CS, NULL, NULL));
    g_assert_true(qcow2_create(mid, 0, "tern-test-qcow2-base.raw", NULL));
    unlink(base);
    g_assert_cmpint(symlink(mid, base), ==, 0);
    expect_open_error(mid, 0, "too deep");
    unlink(base);
    unlink(mid);
    unlink(top);
}

static void test_dirty_bit(void)
{
    g_autofree char *path = tmp_path("tern-test-qcow2-dirty.qcow2");
    BlockBackend *blk;
    uint64_t l2;

    g_assert_true(qcow2_create(path, 64 * CS, NULL, NULL));
    blk = open_ok(path, "qcow2", 0);
    assert_filled(blk, 0, 4096, 0);
    g_assert_cmphex(file_be64(path, QCOW2_HDR_INCOMPAT), ==, 0);    /* reads keep it clean */
    fill(blk, 0, 3 * CS, 0x61);
    g_assert_cmphex(file_be64(path, QCOW2_HDR_INCOMPAT) & QCOW2_INCOMPAT_DIRTY, !=, 0);
    g_assert_cmpint(blk_flush(blk), ==, 0);
    g_assert_cmphex(file_be64(path, QCOW2_HDR_INCOMPAT) & QCOW2_INCOMPAT_DIRTY, !=, 0);
    blk_close(blk);
    g_assert_cmphex(file_be64(path, QCOW2_HDR_INCOMPAT), ==, 0);

    /* A dirty image with wrong refcounts: read-only opens as is, read-write repairs. */
    file_put_be64(path, QCOW2_HDR_INCOMPAT, QCOW2_INCOMPAT_DIRTY);
    file_put_be64(path, file_be64(path, 48), 0);    /* drop refcount block 0 */
    blk = open_ok(path, "qcow2", BLK_READONLY);
    assert_filled(blk, 0, 3 * CS, 0x61);
    blk_close(blk);
    blk = open_ok(path, "qcow2", 0);
    g_assert_cmphex(file_be64(path, QCOW2_HDR_INCOMPAT), ==, 0);
    assert_filled(blk, 0, 3 * CS, 0x61);
    fill(blk, 10 * CS, 2 * CS, 0x62);
    blk_close(blk);
    blk = open_ok(path, "qcow2", 0);
    assert_filled(blk, 0, 3 * CS, 0x61);
    assert_filled(blk, 10 * CS, 2 * CS, 0x62);
    blk_close(blk);

    /* Repair refuses an image where two entries share a data cluster. */
    l2 = l2_table_of(path);
    file_put_be64(path, l2 + 8 * 5, file_be64(path, l2));
    file_put_be64(path, QCOW2_HDR_INCOMPAT, QCOW2_INCOMPAT_DIRTY);
    expect_open_error(path, 0, "referenced more than once");
    unlink(path);
}

/* ---- compressed clusters ---- */

static void test_inflate(void)
{
    g_autoptr(GString) text = g_string_new("");
    uint8_t out[4096];
    uint8_t stored[5 + 10] = { 0x01, 10, 0, 0xf5, 0xff };

    for (int i = 0; i < 64; i++) {
        g_string_append_printf(text, "line %d: the quick brown fox jumps over the lazy dog\n", i);
    }
    g_assert_cmpuint(text->len, ==, 3382);
    g_assert_true(qcow2_inflate(deflate_dynamic, sizeof(deflate_dynamic), out, text->len));
    g_assert_cmpmem(out, text->len, text->str, text->len);
    /* Stopping when the output is full is success; running dry is not. */
    g_assert_true(qcow2_inflate(deflate_dynamic, sizeof(deflate_dynamic), out, 1000));
    g_assert_cmpmem(out, 1000, text->str, 1000);
    g_assert_false(qcow2_inflate(deflate_dynamic, sizeof(deflate_dynamic), out, 4096));
    g_assert_true(qcow2_inflate(deflate_fixed, sizeof(deflate_fixed), out, 300));
    g_assert_cmpmem(out, 300, text->str, 300);
    memcpy(stored + 5, "0123456789", 10);
    g_assert_true(qcow2_inflate(stored, sizeof(stored), out, 10));
    g_assert_cmpmem(out, 10, "0123456789", 10);
    stored[3] = 0;  /* NLEN no longer the complement of LEN */
    g_assert_false(qcow2_inflate(stored, sizeof(stored), out, 10));
    g_assert_false(qcow2_inflate(deflate_dynamic, 100, out, 3382));   /* truncated */
    for (int i = 0; i < 200; i++) {
        uint8_t junk[64];

        for (size_t j = 0; j < sizeof(junk); j++) {
            junk[j] = g_test_rand_int();
        }
        qcow2_inflate(junk, sizeof(junk), out, sizeof(out));    /* must not crash */
    }
}

static void test_compressed_read(void)
{
    g_autofree char *path = tmp_path("tern-test-qcow2-comp.qcow2");
    g_autoptr(GString) text = g_string_new("");
    int cb = 11, x = 62 - (cb - 8);
    uint64_t l2, end, nsec;
    struct stat st;
    BlockBackend *blk;
    uint8_t buf[2048];
    int fd;

    for (int i = 0; i < 64; i++) {
        g_string_append_printf(text, "line %d: the quick brown fox jumps over the lazy dog\n", i);
    }
    create_ok(path, 64 * 2048, cb, -1, 3);
    blk = open_ok(path, "qcow2", 0);
    fill(blk, 0, 2048, 0x33);
    blk_close(blk);

    /* Append the deflate stream at an odd offset and point cluster 1 at it. */
    g_assert_cmpint(stat(path, &st), ==, 0);
    end = st.st_size + 100;
    fd = open(path, O_WRONLY);
    g_assert_cmpint(pwrite(fd, deflate_dynamic, sizeof(deflate_dynamic), end), ==,
                    sizeof(deflate_dynamic));
    g_assert_cmpint(pwrite(fd, "garbage!", 8, end + 1000), ==, 8);
    close(fd);
    nsec = ((end & 511) + sizeof(deflate_dynamic) + 511) / 512 - 1;
    l2 = l2_table_of(path);
    file_put_be64(path, l2 + 8, QCOW_OFLAG_COMPRESSED | (nsec << x) | end);
    file_put_be64(path, l2 + 16, QCOW_OFLAG_COMPRESSED | (0ull << x) | (end + 1000));

    blk = open_ok(path, "qcow2", BLK_READONLY);
    g_assert_cmpint(blk_pread(blk, 2048 + 100, buf, 1000), ==, 0);
    g_assert_cmpmem(buf, 1000, text->str + 100, 1000);
    g_assert_cmpint(blk_pread(blk, 2048, buf, 2048), ==, 0);
    g_assert_cmpmem(buf, 2048, text->str, 2048);
    assert_filled(blk, 0, 2048, 0x33);
    g_assert_cmpint(blk_pread(blk, 4096, buf, 10), ==, -EIO);
    blk_close(blk);
    unlink(path);
}

/* ---- corrupted images ---- */

static char *fresh_image(void)
{
    char *path = tmp_path("tern-test-qcow2-bad.qcow2");
    BlockBackend *blk;

    g_assert_true(qcow2_create(path, 32 * CS, NULL, NULL));
    blk = open_ok(path, "qcow2", 0);
    fill(blk, 0, 2 * CS, 0x71);
    blk_close(blk);
    return path;
}

static void test_corrupt_header(void)
{
    g_autofree char *path = NULL;
    int fd;

    path = fresh_image();
    file_put_be32(path, 0, 0x12345678);
    expect_open_error(path, 0, "bad magic");
    g_free(path);

    path = fresh_image();
    file_put_be32(path, 4, 4);
    expect_open_error(path, 0, "unsupported qcow2 version 4");
    g_free(path);

    path = fresh_image();
    file_put_be32(path, 20, 30);
    expect_open_error(path, BLK_READONLY, "invalid cluster size");
    g_free(path);

    path = fresh_image();
    file_put_be64(path, 40, 1ull << 40);
    expect_open_error(path, BLK_READONLY, "L1 table is past the end of the file");
    g_free(path);

    path = fresh_image();
    file_put_be64(path, 40, 0);
    expect_open_error(path, 0, "L1 table overlaps the image header");
    g_free(path);

    path = fresh_image();
    file_put_be64(path, 48, 1ull << 40);
    expect_open_error(path, 0, "refcount table is past the end of the file");
    g_free(path);

    path = fresh_image();
    file_put_be64(path, 48, file_be64(path, 40));
    expect_open_error(path, 0, "refcount table overlaps the L1 table");
    g_free(path);

    path = fresh_image();
    file_put_be64(path, file_be64(path, 48), 1ull << 40);
    expect_open_error(path, 0, "refcount block 0");
    g_free(path);

    path = fresh_image();
    file_put_be64(path, QCOW2_HDR_INCOMPAT, 1ull << 20);
    expect_open_error(path, 0, "unsupported qcow2 incompatible feature bits 0x100000");
    g_free(path);

    path = fresh_image();
    file_put_be32(path, 100, 100);
    expect_open_error(path, 0, "invalid header length");
    g_free(path);

    path = fresh_image();
    file_put_be32(path, 36, 0);     /* L1 too small for the disk size */
    expect_open_error(path, 0, "L1 table is too small");
    g_free(path);

    path = fresh_image();
    file_put_be32(path, 32, 1);
    expect_open_error(path, 0, "encrypted");
    g_free(path);

    path = fresh_image();
    fd = open(path, O_WRONLY);
    g_assert_cmpint(ftruncate(fd, 50), ==, 0);
    close(fd);
    expect_open_error(path, 0, "too short");
    g_free(path);

    path = fresh_image();
    fd = open(path, O_WRONLY);
    g_assert_cmpint(ftruncate(fd, 2 * CS), ==, 0);  /* header and refcount table only */
    close(fd);
    expect_open_error(path, 0, "past the end of the file");
    unlink(path);
}

static void test_corrupt_runtime(void)
{
    g_autofree char *path = fresh_image();
    uint8_t buf[512];
    BlockBackend *blk;
    uint64_t l2, l1;
    struct stat st;
    int fd;

    /* An L2 entry past the end of the file. */
    l2 = l2_table_of(path);
    file_put_be64(path, l2, QCOW_OFLAG_COPIED | (1ull << 40));
    blk = open_ok(path, "qcow2", 0);
    g_assert_cmpint(blk_pread(blk, 0, buf, sizeof(buf)), ==, -EIO);
    assert_filled(blk, CS, CS, 0x71);           /* other clusters still read */
    g_assert_cmpint(blk_pwrite(blk, CS, buf, sizeof(buf)), ==, -EIO);   /* writes refused */
    blk_close(blk);
    g_assert_cmphex(file_be64(path, QCOW2_HDR_INCOMPAT) & QCOW2_INCOMPAT_CORRUPT, !=, 0);
    expect_open_error(path, 0, "marked corrupt");
    blk = open_ok(path, "qcow2", BLK_READONLY);
    assert_filled(blk, CS, CS, 0x71);
    blk_close(blk);
    g_free(path);

    /* A data cluster that is the L2 table itself: reading is harmless, writing refused. */
    path = fresh_image();
    l2 = l2_table_of(path);
    file_put_be64(path, l2 + 8, QCOW_OFLAG_COPIED | l2);
    blk = open_ok(path, "qcow2", 0);
    g_assert_cmpint(blk_pread(blk, CS, buf, sizeof(buf)), ==, 0);
    g_assert_cmpint(blk_pwrite(blk, CS + 8, buf, 8), ==, -EIO);
    blk_close(blk);
    g_assert_cmphex(file_be64(path, l2 + 8), ==, QCOW_OFLAG_COPIED | l2);   /* untouched */
    g_free(path);

    /* An L1 entry pointing at the L1 table. */
    path = fresh_image();
    l1 = file_be64(path, 40);
    file_put_be64(path, l1, QCOW_OFLAG_COPIED | l1);
    blk = open_ok(path, "qcow2", 0);
    g_assert_cmpint(blk_pread(blk, 0, buf, sizeof(buf)), ==, -EIO);
    g_assert_cmpint(blk_pwrite(blk, 0, buf, sizeof(buf)), ==, -EIO);
    blk_close(blk);
    g_free(path);

    /* Unaligned data cluster. */
    path = fresh_image();
    l2 = l2_table_of(path);
    file_put_be64(path, l2, file_be64(path, l2) + 512);
    blk = open_ok(path, "qcow2", BLK_READONLY);
    g_assert_cmpint(blk_pread(blk, 0, buf, sizeof(buf)), ==, -EIO);
    blk_close(blk);
    g_free(path);

    /* Data cut off by truncation. */
    path = fresh_image();
    g_assert_cmpint(stat(path, &st), ==, 0);
    fd = open(path, O_WRONLY);
    g_assert_cmpint(ftruncate(fd, st.st_size - CS), ==, 0);
    close(fd);
    blk = open_ok(path, "qcow2", BLK_READONLY);
    g_assert_cmpint(blk_pread(blk, 0, buf, sizeof(buf)), ==, 0);
    g_assert_cmpint(blk_pread(blk, CS, buf, sizeof(buf)), ==, -EIO);
    blk_close(blk);
    unlink(path);
}

/* 512-byte clusters with 64-bit refcounts: one table cluster covers 2 MiB. */
static void test_refcount_table_growth(void)
{
    g_autofree char *path = tmp_path("tern-test-qcow2-grow.qcow2");
    uint64_t size = 6 << 20;
    BlockBackend *blk;

    create_ok(path, size, 9, 6, 3);
    g_assert_cmpuint(file_be64(path, 48), ==, 512);
    blk = open_ok(path, "qcow2", 0);
    fill(blk, 0, size, 0x5c);
    blk_close(blk);
    g_assert_cmpuint(file_be64(path, 48), >, 512);                  /* moved */
    g_assert_cmpuint(file_be64(path, 56) >> 32, >, 1);              /* and bigger */
    blk = open_ok(path, "qcow2", 0);
    assert_filled(blk, 0, size, 0x5c);
    fill(blk, 100, 1000, 0x5d);
    blk_close(blk);
    blk = open_ok(path, "qcow2", BLK_READONLY);
    assert_filled(blk, 100, 1000, 0x5d);
    assert_filled(blk, 1100, size - 1100, 0x5c);
    blk_close(blk);
    unlink(path);
}

static void test_create_errors(void)
{
    Qcow2CreateOptions o = { .size = CS, .cluster_bits = 8, .refcount_order = -1 };
    g_autofree char *path = tmp_path("tern-test-x.qcow2");
    GError *err = NULL;

    g_assert_false(qcow2_create_opts(path, &o, &err));
    g_assert_nonnull(strstr(err->message, "cluster size"));
    g_clear_error(&err);
    o.cluster_bits = 16;
    o.refcount_order = 7;
    g_assert_false(qcow2_create_opts(path, &o, &err));
    g_clear_error(&err);
    g_assert_false(qcow2_create("/nonexistent/dir/x.qcow2", CS, NULL, &err));
    g_assert_nonnull(strstr(err->message, "Could not create '/nonexistent/dir/x.qcow2'"));
    g_clear_error(&err);
    g_assert_false(qcow2_create(path, 0, "/nonexistent/base", &err));
    g_assert_nonnull(strstr(err->message, "backing file"));
    g_clear_error(&err);
}

static const Variant variants[] = {
    { 16, 4, 3, 8 << 20 },      /* the default */
    { 9, 6, 3, 4 << 20 },       /* tiny clusters, 64-bit refcounts: table grows */
    { 12, 0, 3, 4 << 20 },      /* 1-bit refcounts */
    { 13, 3, 3, 4 << 20 },
    { 16, 4, 2, 8 << 20 },      /* version 2: no zero clusters */
    { 16, 4, 3, 8 << 20, BLK_NOCACHE | BLK_WRITETHROUGH },  /* directsync */
    { 9, 4, 3, 2 << 20, BLK_NOCACHE },  /* sub-page clusters under O_DIRECT */
};

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    tmpdir = g_dir_make_tmp("tern-test-qcow2-XXXXXX", NULL);
    g_assert_nonnull(tmpdir);
    for (size_t i = 0; i < G_N_ELEMENTS(variants); i++) {
        g_autofree char *name = g_strdup_printf("/qcow2/random-rw/c%d-r%d-v%d%s",
                                                variants[i].cluster_bits, variants[i].order,
                                                variants[i].version,
                                                variants[i].flags ? "-direct" : "");

        g_test_add_data_func(name, &variants[i], test_random_rw);
    }
    g_test_add_func("/qcow2/concurrent", test_concurrent);
    g_test_add_func("/qcow2/zero-clusters", test_zero_clusters);
    g_test_add_func("/qcow2/backing", test_backing);
    g_test_add_func("/qcow2/dirty-bit", test_dirty_bit);
    g_test_add_func("/qcow2/inflate", test_inflate);
    g_test_add_func("/qcow2/compressed-read", test_compressed_read);
    g_test_add_func("/qcow2/corrupt-header", test_corrupt_header);
    g_test_add_func("/qcow2/corrupt-runtime", test_corrupt_runtime);
    g_test_add_func("/qcow2/refcount-table-growth", test_refcount_table_growth);
    g_test_add_func("/qcow2/create-errors", test_create_errors);
    ret = g_test_run();
    rmdir(tmpdir);
    return ret;
}
