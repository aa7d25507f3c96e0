/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qcow2 interoperability with QEMU's tools: images Tern writes must pass
 * "qemu-img check" and compare equal to a raw image given the same writes;
 * images qemu-img and qemu-io write (zero clusters, v2, small clusters,
 * 1-bit refcounts, backing files, compressed clusters) must read back
 * correctly and stay valid after Tern writes to them; and an image whose
 * writer is killed at random points must check clean apart from leaks and
 * keep everything flushed before the kill. Each case is skipped when
 * qemu-img is not installed.
 */
#include "block/block.h"
#include "block/qcow2.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MB (1024 * 1024)
#define CS 65536

static char *qemu_img;
static char *qemu_io;
static char *tmpdir;

static bool need_tools(void)
{
    if (!qemu_img || !qemu_io) {
        g_test_skip("qemu-img/qemu-io not found (install qemu-utils)");
        return false;
    }
    return true;
}

static char *tpath(const char *name)
{
    return g_build_filename(tmpdir, name, NULL);
}

/* Run a shell-quoted command line; returns the exit status, logs output. */
static int run(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
static int run(const char *fmt, ...)
{
    g_autofree char *cmd = NULL;
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_auto(GStrv) argv = NULL;
    GError *error = NULL;
    int status;
    va_list ap;

    va_start(ap, fmt);
    cmd = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_assert_true(g_shell_parse_argv(cmd, NULL, &argv, &error));
    g_assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                               &status, &error));
    g_assert_no_error(error);
    g_assert_true(WIFEXITED(status));
    if (WEXITSTATUS(status)) {
        g_test_message("'%s' exited %d:\n%s%s", cmd, WEXITSTATUS(status), out, err);
    }
    return WEXITSTATUS(status);
}

static BlockBackend *open_ok(const char *path, const char *fmt, int flags)
{
    GError *err = NULL;
    BlockBackend *blk = blk_open(path, fmt, flags, &err);

    g_assert_no_error(err);
    g_assert_nonnull(blk);
    return blk;
}

static void verify(BlockBackend *blk, const uint8_t *expect, uint64_t size)
{
    g_autofree uint8_t *buf = g_malloc(size);

    g_assert_cmpint(blk_getlength(blk), ==, size);
    g_assert_cmpint(blk_pread(blk, 0, buf, size), ==, 0);
    for (uint64_t i = 0; i < size; i++) {
        if (buf[i] != expect[i]) {
            g_error("offset %" G_GUINT64_FORMAT ": read %#x, expected %#x", i, buf[i], expect[i]);
        }
    }
}

static void save_raw(const char *path, const uint8_t *data, uint64_t size)
{
    g_assert_true(g_file_set_contents(path, (const char *)data, size, NULL));
}

/* Random writes, zeroing and cluster-aligned discards, mirrored in memory. */
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
                buf[i] = seed + i * 13 + (i >> 10);
            }
            g_assert_cmpint(blk_pwrite(blk, off, buf, len), ==, 0);
            memcpy(mirror + off, buf, len);
        } else if (op < 9) {
            g_assert_cmpint(blk_write_zeroes(blk, off, len, op == 8 ? BLK_ZERO_MAY_UNMAP : 0),
                            ==, 0);
            memset(mirror + off, 0, len);
        } else {
            off &= ~(cs - 1);
            len = MIN((len + cs - 1) & ~(cs - 1), size - off);
            g_assert_cmpint(blk_discard(blk, off, len), ==, 0);
            memset(mirror + off, 0, len);
        }
        if (k % 40 == 39) {
            g_assert_cmpint(blk_flush(blk), ==, 0);
        }
    }
}

/* Check, then compare with the raw mirror. */
static void check_and_compare(const char *img, const uint8_t *mirror, uint64_t size)
{
    g_autofree char *raw = tpath("mirror.raw");

    g_assert_cmpint(run("%s check -f qcow2 '%s'", qemu_img, img), ==, 0);
    save_raw(raw, mirror, size);
    g_assert_cmpint(run("%s compare -f qcow2 -F raw '%s' '%s'", qemu_img, img, raw), ==, 0);
    unlink(raw);
}

typedef struct {
    int cluster_bits;
    int order;
    int version;
    uint64_t size;
} Variant;

static const Variant variants[] = {
    { 16, 4, 3, 16 * MB },
    { 9, 6, 3, 4 * MB },        /* the refcount table has to grow */
    { 12, 0, 3, 4 * MB },
    { 10, 5, 3, 4 * MB },
    { 16, 4, 2, 8 * MB },
};

static void test_tern_writes(gconstpointer data)
{
    const Variant *v = data;
    g_autofree char *img = tpath("tern.qcow2");
    g_autofree uint8_t *mirror = g_malloc0(v->size);
    Qcow2CreateOptions o = { .size = v->size, .cluster_bits = v->cluster_bits,
                             .refcount_order = v->order, .version = v->version };
    GRand *r = g_rand_new_with_seed(99 + v->cluster_bits);
    BlockBackend *blk;

    if (!need_tools()) {
        return;
    }
    g_assert_true(qcow2_create_opts(img, &o, NULL));
    g_assert_cmpint(run("%s check -f qcow2 '%s'", qemu_img, img), ==, 0);
    blk = open_ok(img, "qcow2", BLK_DISCARD_UNMAP);
    /* Half the disk in one go: with tiny clusters the refcount table must grow. */
    memset(mirror, 0x3c, v->size / 2);
    g_assert_cmpint(blk_pwrite(blk, 0, mirror, v->size / 2), ==, 0);
    random_io(blk, mirror, v->size, 1ull << v->cluster_bits, r, 250);
    blk_close(blk);
    check_and_compare(img, mirror, v->size);

    /* And again on top, after a reopen. */
    blk = open_ok(img, "qcow2", BLK_DISCARD_UNMAP);
    random_io(blk, mirror, v->size, 1ull << v->cluster_bits, r, 100);
    blk_close(blk);
    check_and_compare(img, mirror, v->size);
    g_rand_free(r);
    unlink(img);
}

static void test_tern_overlay(void)
{
    g_autofree char *base = tpath("base.raw");
    g_autofree char *img = tpath("overlay.qcow2");
    g_autofree char *raw = tpath("overlay-expect.raw");
    uint64_t size = 8 * MB;
    g_autofree uint8_t *mirror = g_malloc(size);
    GRand *r = g_rand_new_with_seed(7);
    BlockBackend *blk;

    if (!need_tools()) {
        return;
    }
    for (uint64_t i = 0; i < size; i++) {
        mirror[i] = i / 4096 + 1;
    }
    save_raw(base, mirror, size);
    g_assert_true(qcow2_create(img, 0, "base.raw", NULL));
    blk = open_ok(img, NULL, BLK_DISCARD_UNMAP);
    random_io(blk, mirror, size, CS, r, 150);
    blk_close(blk);
    g_assert_cmpint(run("%s check '%s'", qemu_img, img), ==, 0);
    save_raw(raw, mirror, size);
    g_assert_cmpint(run("%s compare -F raw '%s' '%s'", qemu_img, img, raw), ==, 0);
    g_rand_free(r);
    unlink(raw);
    unlink(img);
    unlink(base);
}

/* ---- images written by QEMU ---- */

static void test_qemu_writes(gconstpointer data)
{
    const char *create_opts = data;
    g_autofree char *img = tpath("qemu.qcow2");
    uint64_t size = 4 * MB;
    g_autofree uint8_t *expect = g_malloc0(size);
    GRand *r = g_rand_new_with_seed(5);
    BlockBackend *blk;

    if (!need_tools()) {
        return;
    }
    g_assert_cmpint(run("%s create -q -f qcow2 %s '%s' 4M", qemu_img, create_opts, img), ==, 0);
    g_assert_cmpint(run("%s -f qcow2 -c 'write -P 0xaa 0 128k' -c 'write -P 0x55 1M 192k' "
                        "-c 'write -z 1M 64k' -c 'write -z 2M 64k' "
                        "-c 'write -P 0x33 3146000 1000' '%s'", qemu_io, img), ==, 0);
    memset(expect, 0xaa, 128 * 1024);
    memset(expect + MB + 64 * 1024, 0x55, 128 * 1024);
    memset(expect + 3146000, 0x33, 1000);

    blk = open_ok(img, NULL, BLK_READONLY);
    verify(blk, expect, size);
    blk_close(blk);

    blk = open_ok(img, NULL, BLK_DISCARD_UNMAP);
    random_io(blk, expect, size, CS, r, 150);   /* discards aligned for every variant */
    blk_close(blk);
    check_and_compare(img, expect, size);
    g_rand_free(r);
    unlink(img);
}

static void test_qemu_backing(void)
{
    g_autofree char *base = tpath("qbase.raw");
    g_autofree char *img = tpath("qoverlay.qcow2");
    g_autofree char *raw = tpath("qexpect.raw");
    uint64_t size = 4 * MB;
    g_autofree uint8_t *expect = g_malloc(size);
    BlockBackend *blk;
    uint8_t buf[100];

    if (!need_tools()) {
        return;
    }
    for (uint64_t i = 0; i < size; i++) {
        expect[i] = (i / 512) * 3 + 1;
    }
    save_raw(base, expect, size);
    g_assert_cmpint(run("%s create -q -f qcow2 -b qbase.raw -F raw '%s'", qemu_img, img), ==, 0);
    g_assert_cmpint(run("%s -f qcow2 -c 'write -P 0x11 100000 5000' -c 'write -z 2M 64k' '%s'",
                        qemu_io, img), ==, 0);
    memset(expect + 100000, 0x11, 5000);
    memset(expect + 2 * MB, 0, 64 * 1024);

    blk = open_ok(img, NULL, 0);
    verify(blk, expect, size);
    memset(buf, 0x22, sizeof(buf));
    g_assert_cmpint(blk_pwrite(blk, 3 * MB + 7, buf, sizeof(buf)), ==, 0);  /* COW from base */
    memcpy(expect + 3 * MB + 7, buf, sizeof(buf));
    g_assert_cmpint(blk_pwrite(blk, 101000, buf, sizeof(buf)), ==, 0);     /* in place */
    memcpy(expect + 101000, buf, sizeof(buf));
    blk_close(blk);
    g_assert_cmpint(run("%s check '%s'", qemu_img, img), ==, 0);
    save_raw(raw, expect, size);
    g_assert_cmpint(run("%s compare -F raw '%s' '%s'", qemu_img, img, raw), ==, 0);
    unlink(raw);
    unlink(img);
    unlink(base);
}

static void test_qemu_compressed(void)
{
    g_autofree char *src = tpath("csrc.raw");
    g_autofree char *img = tpath("compressed.qcow2");
    uint64_t size = 4 * MB;
    g_autofree uint8_t *expect = g_malloc0(size);
    g_autofree char *map = NULL;
    GRand *r = g_rand_new_with_seed(11);
    BlockBackend *blk;
    uint64_t off = 0;

    if (!need_tools()) {
        return;
    }
    /* Text compresses; the random tail does not (qemu stores it plainly). */
    while (off < 3 * MB) {
        g_autofree char *line = g_strdup_printf("%08" G_GINT64_MODIFIER "x: all work and no play\n",
                                                off);
        size_t l = MIN(strlen(line), 3 * MB - off);

        memcpy(expect + off, line, l);
        off += l;
    }
    for (off = 3 * MB + MB / 2; off < size; off++) {
        expect[off] = g_rand_int(r);
    }
    save_raw(src, expect, size);
    g_assert_cmpint(run("%s convert -c -f raw -O qcow2 '%s' '%s'", qemu_img, src, img), ==, 0);

    blk = open_ok(img, NULL, BLK_READONLY);
    verify(blk, expect, size);
    blk_close(blk);

    /* Partial writes copy the rest out of compressed clusters. */
    blk = open_ok(img, NULL, BLK_DISCARD_UNMAP);
    random_io(blk, expect, size, CS, r, 60);
    blk_close(blk);
    check_and_compare(img, expect, size);
    g_rand_free(r);
    unlink(src);
    unlink(img);
}

/* ---- crash consistency ---- */

#define REGION 70000    /* crosses cluster boundaries, partial clusters at both ends */

static const Variant kill_variants[] = {
    { 16, 4, 3, 64 * MB },
    { 9, 6, 3, 8 * MB },
};

static uint8_t region_byte(int i)
{
    return i % 250 + 1;
}

/* Child: write region after region, acknowledging each after its flush. */
static int kill_writer(const char *path)
{
    GError *err = NULL;
    BlockBackend *blk = blk_open(path, "qcow2", 0, &err);
    g_autofree uint8_t *buf = g_malloc(REGION);

    if (!blk) {
        fprintf(stderr, "%s\n", err->message);
        return 1;
    }
    for (int i = 0; (uint64_t)(i + 1) * REGION <= (uint64_t)blk_getlength(blk); i++) {
        memset(buf, region_byte(i), REGION);
        if (blk_pwrite(blk, (uint64_t)i * REGION, buf, REGION) < 0 || blk_flush(blk) < 0) {
            return 1;
        }
        printf("%d\n", i);
        fflush(stdout);
    }
    pause();
    return 0;
}

static int kill_at(const char *img, int acks)
{
    g_autofree char *self = g_file_read_link("/proc/self/exe", NULL);
    char *argv[] = { self, (char *)"--kill-writer", (char *)img, NULL };
    GError *err = NULL;
    GPid pid;
    int out, status, last = -1;
    FILE *f;
    char line[64];

    g_assert_true(g_spawn_async_with_pipes(NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                                           NULL, &pid, NULL, &out, NULL, &err));
    g_assert_no_error(err);
    f = fdopen(out, "r");
    while (last + 1 < acks && fgets(line, sizeof(line), f)) {
        last = atoi(line);
    }
    kill(pid, SIGKILL);
    g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
    g_assert_true(WIFSIGNALED(status));
    fclose(f);
    g_spawn_close_pid(pid);
    return last;
}

static void test_kill(gconstpointer data)
{
    static const int points[] = { 1, 6, 23, 57 };
    const Variant *v = data;
    Qcow2CreateOptions o = { .size = v->size, .cluster_bits = v->cluster_bits,
                             .refcount_order = v->order, .version = v->version };
    g_autofree char *img = tpath("killed.qcow2");
    g_autofree uint8_t *buf = g_malloc(REGION);

    if (!need_tools()) {
        return;
    }
    for (size_t p = 0; p < G_N_ELEMENTS(points); p++) {
        BlockBackend *blk;
        int last, rc;

        g_assert_true(qcow2_create_opts(img, &o, NULL));
        last = kill_at(img, points[p]);
        g_assert_cmpint(last, ==, points[p] - 1);
        /* 0: clean, 3: leaked clusters only. Never 2 (corruption). */
        rc = run("%s check -f qcow2 '%s'", qemu_img, img);
        g_assert_true(rc == 0 || rc == 3);

        blk = open_ok(img, "qcow2", BLK_READONLY);
        for (int i = 0; i <= last; i++) {
            g_assert_cmpint(blk_pread(blk, (uint64_t)i * REGION, buf, REGION), ==, 0);
            for (int j = 0; j < REGION; j++) {
                if (buf[j] != region_byte(i)) {
                    g_error("kill after %d flushes: region %d byte %d is %#x", last + 1, i, j,
                            buf[j]);
                }
            }
        }
        blk_close(blk);

        /* Read-write open repairs the refcounts: no leaks left afterwards. */
        blk = open_ok(img, "qcow2", 0);
        blk_close(blk);
        g_assert_cmpint(run("%s check -f qcow2 '%s'", qemu_img, img), ==, 0);
        unlink(img);
    }
}

int main(int argc, char **argv)
{
    int ret;

    if (argc == 3 && !strcmp(argv[1], "--kill-writer")) {
        return kill_writer(argv[2]);
    }
    g_test_init(&argc, &argv, NULL);
    qemu_img = g_find_program_in_path("qemu-img");
    qemu_io = g_find_program_in_path("qemu-io");
    tmpdir = g_dir_make_tmp("tern-qcow2-interop-XXXXXX", NULL);
    g_assert_nonnull(tmpdir);

    for (size_t i = 0; i < G_N_ELEMENTS(variants); i++) {
        g_autofree char *name = g_strdup_printf("/qcow2-interop/tern-writes/c%d-r%d-v%d",
                                                variants[i].cluster_bits, variants[i].order,
                                                variants[i].version);

        g_test_add_data_func(name, &variants[i], test_tern_writes);
    }
    g_test_add_func("/qcow2-interop/tern-overlay", test_tern_overlay);
    g_test_add_data_func("/qcow2-interop/qemu-writes/default", "", test_qemu_writes);
    g_test_add_data_func("/qcow2-interop/qemu-writes/v2", "-o compat=0.10", test_qemu_writes);
    g_test_add_data_func("/qcow2-interop/qemu-writes/small",
                         "-o cluster_size=4096,refcount_bits=1", test_qemu_writes);
    g_test_add_data_func("/qcow2-interop/qemu-writes/lazy",
                         "-o lazy_refcounts=on,refcount_bits=64", test_qemu_writes);
    g_test_add_func("/qcow2-interop/qemu-backing", test_qemu_backing);
    g_test_add_func("/qcow2-interop/qemu-compressed", test_qemu_compressed);
    g_test_add_data_func("/qcow2-interop/kill/default", &kill_variants[0], test_kill);
    /* 512-byte clusters: refcount blocks and table grow while being killed. */
    g_test_add_data_func("/qcow2-interop/kill/tiny-clusters", &kill_variants[1], test_kill);
    ret = g_test_run();
    rmdir(tmpdir);
    return ret;
}
