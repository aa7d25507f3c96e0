/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Block layer tests on raw images: async requests completing in the main
 * loop, many requests at once, discard and zeroing, read-only refusal,
 * cache modes (including O_DIRECT bounce buffers), -snapshot, bad files
 * and formats, and -drive option parsing.
 */
#include "block/block.h"
#include "block/drive.h"
#include "system/main-loop.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#define IMG_SIZE (1024 * 1024)

static GThread *main_thread;
static char *tmpdir;    /* per process: parallel runs do not collide */

typedef struct {
    int pending;
    int ret;
    int errors;
    bool wrong_context;
} Waiter;

static void waiter_cb(void *opaque, int ret)
{
    Waiter *w = opaque;

    if (g_thread_self() != main_thread || !bql_locked()) {
        w->wrong_context = true;
    }
    if (ret < 0) {
        w->errors++;
        w->ret = ret;
    }
    w->pending--;
}

static void waiter_wait(Waiter *w)
{
    while (w->pending > 0) {
        main_loop_wait(false);
    }
    g_assert_false(w->wrong_context);
}

static char *make_image(const char *name, size_t size, int fill)
{
    char *path = g_build_filename(tmpdir, name, NULL);
    g_autofree char *buf = g_malloc(size);
    GError *err = NULL;

    memset(buf, fill, size);
    g_assert_true(g_file_set_contents(path, buf, size, &err));
    return path;
}

static BlockBackend *open_ok(const char *path, const char *fmt, int flags)
{
    GError *err = NULL;
    BlockBackend *blk = blk_open(path, fmt, flags, &err);

    g_assert_no_error(err);
    g_assert_nonnull(blk);
    return blk;
}

static void test_async_rw(void)
{
    g_autofree char *path = make_image("tern-test-block-rw.img", IMG_SIZE, 0);
    BlockBackend *blk = open_ok(path, "raw", 0);
    uint8_t a[1000], b[3096], ra[1000], rb[3096];
    struct iovec wiov[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
    struct iovec riov[2] = { { ra, sizeof(ra) }, { rb, sizeof(rb) } };
    Waiter w = { 0 };

    g_assert_cmpint(blk_getlength(blk), ==, IMG_SIZE);
    g_assert_cmpstr(blk_format_name(blk), ==, "raw");
    memset(a, 0x11, sizeof(a));
    memset(b, 0x22, sizeof(b));
    w.pending = 1;
    blk_aio_pwritev(blk, 4096, wiov, 2, waiter_cb, &w);
    /* Never completes inside the call. */
    g_assert_cmpint(w.pending, ==, 1);
    waiter_wait(&w);
    g_assert_cmpint(w.errors, ==, 0);

    w.pending = 2;
    blk_aio_preadv(blk, 4096, riov, 2, waiter_cb, &w);
    blk_aio_flush(blk, waiter_cb, &w);
    waiter_wait(&w);
    g_assert_cmpint(w.errors, ==, 0);
    g_assert_cmpmem(a, sizeof(a), ra, sizeof(ra));
    g_assert_cmpmem(b, sizeof(b), rb, sizeof(rb));
    g_assert_cmpuint(blk_in_flight(blk), ==, 0);

    /* Out of range: -EIO, still through the callback. */
    w.pending = 1;
    blk_aio_preadv(blk, IMG_SIZE - 10, riov, 1, waiter_cb, &w);
    waiter_wait(&w);
    g_assert_cmpint(w.ret, ==, -EIO);
    g_assert_cmpint(blk_pread(blk, IMG_SIZE + 1, ra, 0), ==, -EIO);
    blk_close(blk);
    unlink(path);
}

#define NREQ 256
#define REQ_SIZE 4096

static void test_many_requests(void)
{
    g_autofree char *path = make_image("tern-test-block-many.img", NREQ * REQ_SIZE, 0);
    BlockBackend *blk = open_ok(path, NULL, 0);
    uint8_t *wbuf = g_malloc(NREQ * REQ_SIZE);
    uint8_t *rbuf = g_malloc0(NREQ * REQ_SIZE);
    struct iovec iov;
    Waiter w = { .pending = NREQ };

    for (int i = 0; i < NREQ; i++) {
        memset(wbuf + i * REQ_SIZE, i + 1, REQ_SIZE);
        iov = (struct iovec){ wbuf + i * REQ_SIZE, REQ_SIZE };
        blk_aio_pwritev(blk, (uint64_t)i * REQ_SIZE, &iov, 1, waiter_cb, &w);
    }
    waiter_wait(&w);
    g_assert_cmpint(w.errors, ==, 0);
    w.pending = NREQ;
    /* Reverse order, and drained without the main loop this time. */
    for (int i = NREQ - 1; i >= 0; i--) {
        iov = (struct iovec){ rbuf + i * REQ_SIZE, REQ_SIZE };
        blk_aio_preadv(blk, (uint64_t)i * REQ_SIZE, &iov, 1, waiter_cb, &w);
    }
    bql_lock();
    blk_drain(blk);
    bql_unlock();
    g_assert_cmpint(w.pending, ==, 0);
    g_assert_cmpint(w.errors, ==, 0);
    g_assert_cmpmem(wbuf, NREQ * REQ_SIZE, rbuf, NREQ * REQ_SIZE);
    blk_close(blk);
    g_free(wbuf);
    g_free(rbuf);
    unlink(path);
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

static void test_discard_zeroes(void)
{
    g_autofree char *path = make_image("tern-test-block-discard.img", IMG_SIZE, 0x5a);
    BlockBackend *blk = open_ok(path, "raw", 0);
    Waiter w = { .pending = 2 };

    /* discard=ignore: a successful no-op. */
    blk_aio_discard(blk, 0, 65536, waiter_cb, &w);
    blk_aio_write_zeroes(blk, 65536, 8192, BLK_ZERO_MAY_UNMAP, waiter_cb, &w);
    waiter_wait(&w);
    g_assert_cmpint(w.errors, ==, 0);
    assert_filled(blk, 0, 65536, 0x5a);
    assert_filled(blk, 65536, 8192, 0);
    assert_filled(blk, 65536 + 8192, 4096, 0x5a);
    blk_close(blk);

    blk = open_ok(path, "raw", BLK_DISCARD_UNMAP);
    w.pending = 3;
    blk_aio_discard(blk, 0, 65536, waiter_cb, &w);
    blk_aio_write_zeroes(blk, 200000, 1000, BLK_ZERO_MAY_UNMAP, waiter_cb, &w);
    blk_aio_write_zeroes(blk, 300001, 70000, 0, waiter_cb, &w);
    waiter_wait(&w);
    g_assert_cmpint(w.errors, ==, 0);
    assert_filled(blk, 0, 65536, 0);    /* punched: ext4 reads zeros */
    assert_filled(blk, 65536 + 8192, 4096, 0x5a);
    assert_filled(blk, 200000, 1000, 0);
    assert_filled(blk, 199990, 10, 0x5a);
    assert_filled(blk, 201000, 10, 0x5a);
    assert_filled(blk, 300001, 70000, 0);
    assert_filled(blk, 370001, 100, 0x5a);
    g_assert_cmpint(blk_getlength(blk), ==, IMG_SIZE);
    blk_close(blk);
    unlink(path);
}

static void test_readonly(void)
{
    g_autofree char *path = make_image("tern-test-block-ro.img", IMG_SIZE, 0x33);
    BlockBackend *blk = open_ok(path, "raw", BLK_READONLY | BLK_DISCARD_UNMAP);
    uint8_t buf[512] = { 0 };
    struct iovec iov = { buf, sizeof(buf) };
    Waiter w = { .pending = 3 };

    g_assert_true(blk_is_read_only(blk));
    blk_aio_pwritev(blk, 0, &iov, 1, waiter_cb, &w);
    blk_aio_discard(blk, 0, 512, waiter_cb, &w);
    blk_aio_write_zeroes(blk, 0, 512, 0, waiter_cb, &w);
    waiter_wait(&w);
    g_assert_cmpint(w.errors, ==, 3);
    g_assert_cmpint(w.ret, ==, -EACCES);
    g_assert_cmpint(blk_pwrite(blk, 0, buf, sizeof(buf)), ==, -EACCES);
    assert_filled(blk, 0, 4096, 0x33);
    g_assert_cmpint(blk_flush(blk), ==, 0);
    blk_close(blk);
    unlink(path);
}

static void test_cache_modes(void)
{
    static const char *const modes[] = {
        "writeback", "none", "writethrough", "directsync", "unsafe"
    };
    g_autofree char *path = make_image("tern-test-block-cache.img", IMG_SIZE, 0);
    GError *err = NULL;
    int flags = 0;

    for (size_t i = 0; i < G_N_ELEMENTS(modes); i++) {
        uint8_t data[1000];
        BlockBackend *blk;
        Waiter w = { .pending = 2 };
        struct iovec iov = { data, sizeof(data) };

        g_assert_true(blk_parse_cache_mode(modes[i], &flags, &err));
        g_assert_cmpstr(blk_cache_mode_name(flags), ==, modes[i]);
        blk = open_ok(path, "raw", flags);
        memset(data, 0x40 + i, sizeof(data));
        /* Unaligned offset and length: O_DIRECT modes bounce and merge. */
        blk_aio_pwritev(blk, 4096 * i + 100, &iov, 1, waiter_cb, &w);
        blk_aio_flush(blk, waiter_cb, &w);
        waiter_wait(&w);
        g_assert_cmpint(w.errors, ==, 0);
        assert_filled(blk, 4096 * i + 100, sizeof(data), 0x40 + i);
        assert_filled(blk, 4096 * i, 100, 0);
        assert_filled(blk, 4096 * i + 1100, 4096 - 1100, 0);
        blk_close(blk);
    }
    g_assert_false(blk_parse_cache_mode("fast", &flags, &err));
    g_assert_error(err, TERN_ERROR, TERN_ERROR_INVALID);
    g_assert_nonnull(strstr(err->message, "'fast'"));
    g_clear_error(&err);
    unlink(path);
}

static void test_snapshot(void)
{
    g_autofree char *path = make_image("tern-test-block-snap.img", IMG_SIZE, 0x77);
    BlockBackend *blk = open_ok(path, "raw", BLK_SNAPSHOT);
    uint8_t buf[3000];

    g_assert_cmpint(blk_getlength(blk), ==, IMG_SIZE);
    memset(buf, 0x99, sizeof(buf));
    g_assert_cmpint(blk_pwrite(blk, 70000, buf, sizeof(buf)), ==, 0);
    g_assert_cmpint(blk_flush(blk), ==, 0);
    assert_filled(blk, 70000, sizeof(buf), 0x99);
    assert_filled(blk, 65536, 70000 - 65536, 0x77);
    assert_filled(blk, 73000, 65536, 0x77);
    blk_close(blk);

    blk = open_ok(path, "raw", BLK_READONLY);
    assert_filled(blk, 0, IMG_SIZE, 0x77);
    blk_close(blk);
    unlink(path);
}

static void expect_open_error(const char *path, const char *fmt, int flags,
                              const char *substr)
{
    GError *err = NULL;
    BlockBackend *blk = blk_open(path, fmt, flags, &err);

    g_assert_null(blk);
    g_assert_nonnull(err);
    if (!strstr(err->message, substr)) {
        g_error("error '%s' lacks '%s'", err->message, substr);
    }
    g_assert_null(strchr(err->message, '\n'));
    g_error_free(err);
}

static void test_bad_open(void)
{
    g_autofree char *path = make_image("tern-test-block-bad.img", 4096, 0);

    expect_open_error("/nonexistent/disk.img", "raw", 0,
                      "Could not open '/nonexistent/disk.img': No such file or directory");
    expect_open_error("/nonexistent/disk.img", NULL, 0,
                      "Could not open '/nonexistent/disk.img': No such file or directory");
    expect_open_error(path, "vmdk", 0, "unknown format 'vmdk'");
    expect_open_error(tmpdir, "raw", BLK_READONLY, "not a regular file");
    /* A raw file is not a qcow2 image. */
    expect_open_error(path, "qcow2", 0, "bad magic");
    unlink(path);
}

static gpointer sync_thread(gpointer opaque)
{
    BlockBackend *blk = opaque;
    uint8_t buf[4096];

    memset(buf, 0xab, sizeof(buf));
    if (blk_pwrite(blk, 8192, buf, sizeof(buf)) || blk_flush(blk)) {
        return GINT_TO_POINTER(1);
    }
    memset(buf, 0, sizeof(buf));
    if (blk_pread(blk, 8192, buf, sizeof(buf)) || buf[0] != 0xab || buf[4095] != 0xab) {
        return GINT_TO_POINTER(2);
    }
    return NULL;
}

static void test_sync_other_thread(void)
{
    g_autofree char *path = make_image("tern-test-block-thread.img", IMG_SIZE, 0);
    BlockBackend *blk = open_ok(path, "raw", 0);
    GThread *t = g_thread_new("sync", sync_thread, blk);

    g_assert_null(g_thread_join(t));
    assert_filled(blk, 8192, 4096, 0xab);
    blk_close(blk);
    unlink(path);
}

/* ---- -drive ---- */

static bool drive_str(const char *opts, GError **errp)
{
    g_autoptr(KeyvalList) kv = keyval_parse(opts, NULL, errp);

    return kv && drive_new_from_keyval(kv, errp);
}

static void expect_drive_error(const char *opts, const char *msg)
{
    GError *err = NULL;

    g_assert_false(drive_str(opts, &err));
    g_assert_nonnull(err);
    if (!strstr(err->message, msg)) {
        g_error("-drive %s: error '%s' lacks '%s'", opts, err->message, msg);
    }
    g_error_free(err);
}

static void collect_ids(const DriveInfo *d, void *opaque)
{
    g_string_append_printf(opaque, "%s,", d->id);
}

static void test_drive(void)
{
    g_autofree char *path = make_image("tern-test-block-drive.img", IMG_SIZE, 0);
    g_autofree char *opts = NULL;
    g_autoptr(GString) ids = g_string_new("");
    GError *err = NULL;
    const DriveInfo *d;
    g_autofree char *desc = NULL;

    opts = g_strdup_printf("file=%s,format=raw", path);
    g_assert_true(drive_str(opts, &err));
    g_assert_no_error(err);
    g_assert_true(drive_str(opts, &err));
    g_free(opts);
    opts = g_strdup_printf("file=%s,if=none,id=disk-1,cache=none,readonly=on,aio=io_uring,"
                           "discard=unmap,media=disk", path);
    g_assert_true(drive_str(opts, &err));
    g_assert_no_error(err);

    g_assert_nonnull(drive_find("virtio0"));
    g_assert_nonnull(drive_find("virtio1"));
    g_assert_nonnull(drive_prop_lookup("disk-1", &err));
    g_assert_no_error(err);
    d = drive_get("disk-1");
    g_assert_cmpint(d->iface, ==, DRIVE_IF_NONE);
    g_assert_true(d->flags & BLK_READONLY);
    g_assert_true(d->flags & BLK_NOCACHE);
    g_assert_true(d->flags & BLK_DISCARD_UNMAP);
    g_assert_true(blk_is_read_only(d->blk));
    desc = drive_describe(d);
    g_assert_nonnull(strstr(desc, "disk-1: "));
    g_assert_nonnull(strstr(desc, "(raw), read-only"));
    g_assert_nonnull(strstr(desc, "Cache mode:       none"));
    drive_foreach(collect_ids, ids);
    g_assert_cmpstr(ids->str, ==, "virtio0,virtio1,disk-1,");
    g_assert_null(drive_find("nope"));
    g_assert_null(drive_prop_lookup("nope", &err));
    g_assert_error(err, TERN_ERROR, TERN_ERROR_NOT_FOUND);
    g_assert_cmpstr(err->message, ==, "drive 'nope' not found");
    g_clear_error(&err);

    g_free(opts);
    opts = g_strdup_printf("file=%s,id=disk-1", path);
    expect_drive_error(opts, "duplicate drive id 'disk-1'");
    g_free(opts);
    opts = g_strdup_printf("file=%s,foo=bar", path);
    expect_drive_error(opts, "unknown parameter 'foo'");
    g_free(opts);
    opts = g_strdup_printf("file=%s,format=vmdk", path);
    expect_drive_error(opts, "unknown format 'vmdk'");
    g_free(opts);
    opts = g_strdup_printf("file=%s,if=ide", path);
    expect_drive_error(opts, "'if=ide' is not supported");
    g_free(opts);
    opts = g_strdup_printf("file=%s,cache=fast", path);
    expect_drive_error(opts, "invalid cache mode 'fast'");
    g_free(opts);
    opts = g_strdup_printf("file=%s,readonly=maybe", path);
    expect_drive_error(opts, "readonly");
    g_free(opts);
    opts = g_strdup_printf("file=%s,aio=native2", path);
    expect_drive_error(opts, "invalid aio mode");
    g_free(opts);
    opts = g_strdup_printf("file=%s,discard=sometimes", path);
    expect_drive_error(opts, "invalid discard mode");
    g_free(opts);
    opts = g_strdup_printf("file=%s,id=9bad", path);
    expect_drive_error(opts, "invalid id '9bad'");
    g_free(opts);
    opts = g_strdup_printf("file=%s,media=cdrom", path);
    expect_drive_error(opts, "media 'cdrom'");
    expect_drive_error("format=raw", "-drive: parameter 'file' is missing");
    expect_drive_error("file=/nonexistent/x.img",
                       "-drive file=/nonexistent/x.img: Could not open '/nonexistent/x.img': "
                       "No such file or directory");
    g_free(opts);
    opts = g_strdup_printf("file=%s,format=qcow2", path);
    expect_drive_error(opts, "bad magic");

    drive_close_all();
    g_assert_null(drive_find("virtio0"));
    unlink(path);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    main_thread = g_thread_self();
    tmpdir = g_dir_make_tmp("tern-test-block-XXXXXX", NULL);
    g_assert_nonnull(tmpdir);
    g_test_add_func("/block/raw/async-rw", test_async_rw);
    g_test_add_func("/block/raw/many-requests", test_many_requests);
    g_test_add_func("/block/raw/discard-zeroes", test_discard_zeroes);
    g_test_add_func("/block/raw/readonly", test_readonly);
    g_test_add_func("/block/raw/cache-modes", test_cache_modes);
    g_test_add_func("/block/raw/snapshot", test_snapshot);
    g_test_add_func("/block/raw/bad-open", test_bad_open);
    g_test_add_func("/block/raw/sync-other-thread", test_sync_other_thread);
    g_test_add_func("/block/drive", test_drive);
    ret = g_test_run();
    rmdir(tmpdir);
    return ret;
}
