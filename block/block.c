/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * BlockBackend: the async request API devices use, on top of driver nodes.
 * Each request is checked (bounds, read-only) when submitted, then runs as
 * one synchronous driver call on a pool worker; its callback runs in the
 * main thread. Drivers are thread-safe, so the synchronous helpers simply
 * run the same driver call in the caller's thread.
 */
#include "block/block-int.h"
#include "block/aio-pool.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct BlockBackend {
    BlockDriverState *bs;
    char *filename;
    int flags;
    AioPool *pool;
    unsigned in_flight;         /* atomic */
};

/* ---- scatter/gather helpers ---- */

void blkiov_init(BlkIov *q, struct iovec *iov, int niov)
{
    q->iov = iov;
    q->niov = niov;
    q->size = 0;
    for (int i = 0; i < niov; i++) {
        q->size += iov[i].iov_len;
    }
}

void blkiov_init_buf(BlkIov *q, struct iovec *storage, void *buf, size_t len)
{
    storage->iov_base = buf;
    storage->iov_len = len;
    q->iov = storage;
    q->niov = 1;
    q->size = len;
}

void blkiov_slice(BlkIov *dst, struct iovec *storage, const BlkIov *src,
                  size_t off, size_t len)
{
    int n = 0;

    g_assert(off + len <= src->size);
    dst->iov = storage;
    dst->size = len;
    for (int i = 0; i < src->niov && len; i++) {
        size_t l = src->iov[i].iov_len;

        if (off >= l) {
            off -= l;
            continue;
        }
        storage[n].iov_base = (uint8_t *)src->iov[i].iov_base + off;
        storage[n].iov_len = MIN(l - off, len);
        len -= storage[n].iov_len;
        off = 0;
        n++;
    }
    dst->niov = n;
}

/* Walk [off, off + len) of q calling fn on each contiguous piece. */
static size_t blkiov_walk(const BlkIov *q, size_t off, size_t len,
                          void (*fn)(void *piece, size_t n, size_t done, void *arg),
                          void *arg)
{
    size_t done = 0;

    for (int i = 0; i < q->niov && done < len; i++) {
        size_t l = q->iov[i].iov_len;
        size_t n;

        if (off >= l) {
            off -= l;
            continue;
        }
        n = MIN(l - off, len - done);
        fn((uint8_t *)q->iov[i].iov_base + off, n, done, arg);
        done += n;
        off = 0;
    }
    return done;
}

static void walk_to_buf(void *piece, size_t n, size_t done, void *arg)
{
    memcpy((uint8_t *)arg + done, piece, n);
}

static void walk_from_buf(void *piece, size_t n, size_t done, void *arg)
{
    memcpy(piece, (const uint8_t *)arg + done, n);
}

static void walk_memset(void *piece, size_t n, size_t done, void *arg)
{
    memset(piece, *(int *)arg, n);
}

size_t blkiov_to_buf(const BlkIov *q, size_t off, void *buf, size_t len)
{
    return blkiov_walk(q, off, len, walk_to_buf, buf);
}

size_t blkiov_from_buf(const BlkIov *q, size_t off, const void *buf, size_t len)
{
    return blkiov_walk(q, off, len, walk_from_buf, (void *)buf);
}

void blkiov_memset(const BlkIov *q, size_t off, int c, size_t len)
{
    blkiov_walk(q, off, len, walk_memset, &c);
}

bool blkiov_is_aligned(const BlkIov *q, size_t align)
{
    for (int i = 0; i < q->niov; i++) {
        if (((uintptr_t)q->iov[i].iov_base | q->iov[i].iov_len) & (align - 1)) {
            return false;
        }
    }
    return true;
}

void *blk_alloc_aligned(size_t size)
{
    void *p = NULL;

    if (posix_memalign(&p, 4096, MAX(size, 1)) != 0) {
        g_error("block: out of memory allocating %zu bytes", size);
    }
    return p;
}

void blk_free_aligned(void *p)
{
    free(p);
}

/* ---- driver nodes ---- */

static const BlockDriver *const block_drivers[] = { &bdrv_raw, &bdrv_qcow2 };

static const BlockDriver *bdrv_find_format(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(block_drivers); i++) {
        if (!strcmp(block_drivers[i]->format_name, name)) {
            return block_drivers[i];
        }
    }
    return NULL;
}

const char *bdrv_probe_format(const uint8_t *buf, size_t len)
{
    const BlockDriver *best = &bdrv_raw;
    int best_score = 0;

    for (size_t i = 0; i < G_N_ELEMENTS(block_drivers); i++) {
        const BlockDriver *d = block_drivers[i];
        int score = d->probe ? d->probe(buf, len) : 0;

        if (score > best_score) {
            best = d;
            best_score = score;
        }
    }
    return best->format_name;
}

BlockDriverState *bdrv_open(const char *filename, const char *format, int flags,
                            const BdrvOpenOptions *opts, GError **errp)
{
    BdrvOpenOptions no_opts = { 0 };
    const BlockDriver *drv;
    BlockDriverState *bs;

    if (!opts) {
        opts = &no_opts;
    }
    if (!format) {
        uint8_t buf[512];
        ssize_t n;
        int fd = open(filename, O_RDONLY | O_CLOEXEC);

        if (fd < 0) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_NOT_FOUND,
                        "Could not open '%s': %s", filename, g_strerror(errno));
            return NULL;
        }
        do {
            n = pread(fd, buf, sizeof(buf), 0);
        } while (n < 0 && errno == EINTR);
        close(fd);
        if (n < 0) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_IO,
                        "Could not open '%s': %s", filename, g_strerror(errno));
            return NULL;
        }
        format = bdrv_probe_format(buf, n);
    }
    drv = bdrv_find_format(format);
    if (!drv) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "Could not open '%s': unknown format '%s'", filename, format);
        return NULL;
    }
    bs = g_new0(BlockDriverState, 1);
    bs->drv = drv;
    bs->filename = g_strdup(filename);
    bs->flags = flags;
    if (!drv->open(bs, filename, flags, opts, errp)) {
        g_free(bs->filename);
        g_free(bs);
        return NULL;
    }
    return bs;
}

void bdrv_close(BlockDriverState *bs)
{
    if (!bs) {
        return;
    }
    bs->drv->close(bs);
    g_free(bs->filename);
    g_free(bs);
}

int64_t bdrv_getlength(BlockDriverState *bs)
{
    return bs->drv->getlength(bs);
}

int bdrv_preadv(BlockDriverState *bs, uint64_t offset, const BlkIov *q)
{
    return bs->drv->preadv(bs, offset, q);
}

int bdrv_pwritev(BlockDriverState *bs, uint64_t offset, const BlkIov *q)
{
    return bs->drv->pwritev(bs, offset, q);
}

int bdrv_pread(BlockDriverState *bs, uint64_t offset, void *buf, size_t len)
{
    struct iovec iov;
    BlkIov q;

    blkiov_init_buf(&q, &iov, buf, len);
    return bdrv_preadv(bs, offset, &q);
}

int bdrv_pwrite(BlockDriverState *bs, uint64_t offset, const void *buf, size_t len)
{
    struct iovec iov;
    BlkIov q;

    blkiov_init_buf(&q, &iov, (void *)buf, len);
    return bdrv_pwritev(bs, offset, &q);
}

int bdrv_flush(BlockDriverState *bs)
{
    return bs->drv->flush ? bs->drv->flush(bs) : 0;
}

int bdrv_discard(BlockDriverState *bs, uint64_t offset, uint64_t bytes)
{
    return bs->drv->discard ? bs->drv->discard(bs, offset, bytes) : 0;
}

int bdrv_write_zeroes(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                      int flags)
{
    return bs->drv->write_zeroes(bs, offset, bytes, flags);
}

/* ---- cache modes ---- */

static const struct {
    const char *name;
    int flags;
} cache_modes[] = {
    { "writeback", 0 },
    { "none", BLK_NOCACHE },
    { "writethrough", BLK_WRITETHROUGH },
    { "directsync", BLK_NOCACHE | BLK_WRITETHROUGH },
    { "unsafe", BLK_NO_FLUSH },
};

bool blk_parse_cache_mode(const char *mode, int *flags, GError **errp)
{
    for (size_t i = 0; i < G_N_ELEMENTS(cache_modes); i++) {
        if (!strcmp(mode, cache_modes[i].name)) {
            *flags = (*flags & ~BLK_CACHE_MASK) | cache_modes[i].flags;
            return true;
        }
    }
    g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                "invalid cache mode '%s' (writeback, none, writethrough, directsync, unsafe)",
                mode);
    return false;
}

const char *blk_cache_mode_name(int flags)
{
    for (size_t i = 0; i < G_N_ELEMENTS(cache_modes); i++) {
        if ((flags & BLK_CACHE_MASK) == cache_modes[i].flags) {
            return cache_modes[i].name;
        }
    }
    return "unknown";
}

/* ---- BlockBackend ---- */

/*
 * -snapshot: a fresh qcow2 overlay in the temp directory whose backing is
 * the (read-only) original. The overlay is unlinked as soon as it is open,
 * so it disappears with the process however that ends, and it is never
 * flushed: its contents die with it anyway.
 */
static BlockDriverState *blk_open_snapshot(const char *filename, const char *format,
                                           int flags, GError **errp)
{
    BlockDriverState *base, *overlay;
    Qcow2CreateOptions co = { .refcount_order = -1 };
    g_autofree char *tmpname = NULL;
    g_autofree char *abs = NULL;
    GError *local = NULL;
    int64_t len;
    int fd;

    base = bdrv_open(filename, format, (flags | BLK_READONLY) & ~BLK_SNAPSHOT,
                     NULL, errp);
    if (!base) {
        return NULL;
    }
    len = bdrv_getlength(base);
    fd = g_file_open_tmp("tern-snapshot-XXXXXX.qcow2", &tmpname, &local);
    if (fd < 0 || len < 0) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_IO,
                    "Could not create temporary overlay for '%s': %s", filename,
                    local ? local->message : g_strerror((int)-len));
        g_clear_error(&local);
        if (fd >= 0) {
            close(fd);
            unlink(tmpname);
        }
        bdrv_close(base);
        return NULL;
    }
    close(fd);
    abs = g_canonicalize_filename(filename, NULL);
    co.size = len;
    co.backing = abs;
    co.backing_fmt = base->drv->format_name;
    if (!qcow2_create_opts(tmpname, &co, errp)) {
        unlink(tmpname);
        bdrv_close(base);
        return NULL;
    }
    BdrvOpenOptions oo = { .backing = base };
    overlay = bdrv_open(tmpname, "qcow2",
                        (flags & ~(BLK_SNAPSHOT | BLK_READONLY)) | BLK_NO_FLUSH,
                        &oo, errp);
    unlink(tmpname);
    /* On failure the qcow2 driver has already closed the backing node. */
    return overlay;
}

BlockBackend *blk_open(const char *filename, const char *format, int flags,
                       GError **errp)
{
    BlockDriverState *bs;
    BlockBackend *blk;

    if (format && !bdrv_find_format(format)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "Could not open '%s': unknown format '%s'", filename, format);
        return NULL;
    }
    if (flags & BLK_SNAPSHOT) {
        bs = blk_open_snapshot(filename, format, flags, errp);
    } else {
        bs = bdrv_open(filename, format, flags, NULL, errp);
    }
    if (!bs) {
        return NULL;
    }
    blk = g_new0(BlockBackend, 1);
    blk->bs = bs;
    blk->filename = g_strdup(filename);
    blk->flags = flags;
    return blk;
}

void blk_close(BlockBackend *blk)
{
    if (!blk) {
        return;
    }
    blk_drain(blk);
    if (!(blk->flags & BLK_READONLY)) {
        bdrv_flush(blk->bs);
    }
    bdrv_close(blk->bs);
    g_free(blk->filename);
    g_free(blk);
}

int64_t blk_getlength(BlockBackend *blk)
{
    return bdrv_getlength(blk->bs);
}

const char *blk_filename(BlockBackend *blk)
{
    return blk->filename;
}

const char *blk_format_name(BlockBackend *blk)
{
    return blk->bs->drv->format_name;
}

int blk_flags(BlockBackend *blk)
{
    return blk->flags;
}

bool blk_is_read_only(BlockBackend *blk)
{
    return blk->flags & BLK_READONLY;
}

unsigned blk_in_flight(BlockBackend *blk)
{
    return g_atomic_int_get(&blk->in_flight);
}

static int blk_check_request(BlockBackend *blk, uint64_t offset, uint64_t bytes,
                             bool write)
{
    int64_t len;

    if (write && (blk->flags & BLK_READONLY)) {
        return -EACCES;
    }
    len = blk_getlength(blk);
    if (len < 0) {
        return (int)len;
    }
    if (offset > (uint64_t)len || bytes > (uint64_t)len - offset) {
        return -EIO;
    }
    return 0;
}

static int blk_do_pwritev(BlockBackend *blk, uint64_t offset, const BlkIov *q)
{
    int ret = bdrv_pwritev(blk->bs, offset, q);

    if (ret == 0 && (blk->flags & BLK_WRITETHROUGH)) {
        ret = bdrv_flush(blk->bs);
    }
    return ret;
}

static int blk_do_discard(BlockBackend *blk, uint64_t offset, uint64_t bytes)
{
    if (!(blk->flags & BLK_DISCARD_UNMAP) || bytes == 0) {
        return 0;
    }
    return bdrv_discard(blk->bs, offset, bytes);
}

static int blk_do_write_zeroes(BlockBackend *blk, uint64_t offset, uint64_t bytes,
                               int flags)
{
    int ret;

    if (!(blk->flags & BLK_DISCARD_UNMAP)) {
        flags &= ~BLK_ZERO_MAY_UNMAP;
    }
    if (bytes == 0) {
        return 0;
    }
    ret = bdrv_write_zeroes(blk->bs, offset, bytes, flags);
    if (ret == 0 && (blk->flags & BLK_WRITETHROUGH)) {
        ret = bdrv_flush(blk->bs);
    }
    return ret;
}

/* ---- asynchronous requests ---- */

typedef enum {
    BLK_REQ_READ,
    BLK_REQ_WRITE,
    BLK_REQ_FLUSH,
    BLK_REQ_DISCARD,
    BLK_REQ_ZEROES,
    BLK_REQ_FAIL,       /* rejected at submission; completes with err */
} BlkReqType;

typedef struct {
    BlockBackend *blk;
    BlkReqType type;
    uint64_t offset;
    uint64_t bytes;
    int flags;
    int err;
    BlkIov q;
    BlockCompletionFunc *cb;
    void *opaque;
    struct iovec iov[];
} BlkRequest;

static int blk_req_run(void *opaque)
{
    BlkRequest *r = opaque;

    switch (r->type) {
    case BLK_REQ_READ:
        return bdrv_preadv(r->blk->bs, r->offset, &r->q);
    case BLK_REQ_WRITE:
        return blk_do_pwritev(r->blk, r->offset, &r->q);
    case BLK_REQ_FLUSH:
        return bdrv_flush(r->blk->bs);
    case BLK_REQ_DISCARD:
        return blk_do_discard(r->blk, r->offset, r->bytes);
    case BLK_REQ_ZEROES:
        return blk_do_write_zeroes(r->blk, r->offset, r->bytes, r->flags);
    case BLK_REQ_FAIL:
        return r->err;
    }
    g_assert_not_reached();
}

static void blk_req_done(void *opaque, int ret)
{
    BlkRequest *r = opaque;
    BlockBackend *blk = r->blk;

    r->cb(r->opaque, ret);
    g_atomic_int_dec_and_test(&blk->in_flight);
    g_free(r);
}

static void blk_submit(BlockBackend *blk, BlkReqType type, uint64_t offset,
                       uint64_t bytes, int flags, const struct iovec *iov,
                       int iovcnt, BlockCompletionFunc *cb, void *opaque)
{
    BlkRequest *r = g_malloc0(sizeof(*r) + sizeof(struct iovec) * MAX(iovcnt, 0));
    int err = 0;

    r->blk = blk;
    r->type = type;
    r->offset = offset;
    r->flags = flags;
    r->cb = cb;
    r->opaque = opaque;
    if (iovcnt > 0) {
        memcpy(r->iov, iov, sizeof(struct iovec) * iovcnt);
        blkiov_init(&r->q, r->iov, iovcnt);
        bytes = r->q.size;
    }
    r->bytes = bytes;
    switch (type) {
    case BLK_REQ_READ:
        err = blk_check_request(blk, offset, bytes, false);
        break;
    case BLK_REQ_WRITE:
    case BLK_REQ_DISCARD:
    case BLK_REQ_ZEROES:
        err = blk_check_request(blk, offset, bytes, true);
        break;
    default:
        break;
    }
    if (err) {
        r->type = BLK_REQ_FAIL;
        r->err = err;
    }
    if (!blk->pool) {
        blk->pool = aio_pool_get_default();
    }
    g_atomic_int_inc(&blk->in_flight);
    aio_pool_submit(blk->pool, blk_req_run, blk_req_done, r);
}

void blk_aio_preadv(BlockBackend *blk, uint64_t offset, const struct iovec *iov,
                    int iovcnt, BlockCompletionFunc *cb, void *opaque)
{
    blk_submit(blk, BLK_REQ_READ, offset, 0, 0, iov, iovcnt, cb, opaque);
}

void blk_aio_pwritev(BlockBackend *blk, uint64_t offset, const struct iovec *iov,
                     int iovcnt, BlockCompletionFunc *cb, void *opaque)
{
    blk_submit(blk, BLK_REQ_WRITE, offset, 0, 0, iov, iovcnt, cb, opaque);
}

void blk_aio_flush(BlockBackend *blk, BlockCompletionFunc *cb, void *opaque)
{
    blk_submit(blk, BLK_REQ_FLUSH, 0, 0, 0, NULL, 0, cb, opaque);
}

void blk_aio_discard(BlockBackend *blk, uint64_t offset, uint64_t bytes,
                     BlockCompletionFunc *cb, void *opaque)
{
    blk_submit(blk, BLK_REQ_DISCARD, offset, bytes, 0, NULL, 0, cb, opaque);
}

void blk_aio_write_zeroes(BlockBackend *blk, uint64_t offset, uint64_t bytes,
                          int flags, BlockCompletionFunc *cb, void *opaque)
{
    blk_submit(blk, BLK_REQ_ZEROES, offset, bytes, flags, NULL, 0, cb, opaque);
}

void blk_drain(BlockBackend *blk)
{
    while (blk_in_flight(blk) > 0) {
        aio_pool_run_completions(blk->pool, true);
    }
}

/* ---- synchronous helpers ---- */

int blk_pread(BlockBackend *blk, uint64_t offset, void *buf, size_t bytes)
{
    struct iovec iov;
    BlkIov q;
    int ret = blk_check_request(blk, offset, bytes, false);

    if (ret) {
        return ret;
    }
    blkiov_init_buf(&q, &iov, buf, bytes);
    return bdrv_preadv(blk->bs, offset, &q);
}

int blk_pwrite(BlockBackend *blk, uint64_t offset, const void *buf, size_t bytes)
{
    struct iovec iov;
    BlkIov q;
    int ret = blk_check_request(blk, offset, bytes, true);

    if (ret) {
        return ret;
    }
    blkiov_init_buf(&q, &iov, (void *)buf, bytes);
    return blk_do_pwritev(blk, offset, &q);
}

int blk_flush(BlockBackend *blk)
{
    return bdrv_flush(blk->bs);
}

int blk_discard(BlockBackend *blk, uint64_t offset, uint64_t bytes)
{
    int ret = blk_check_request(blk, offset, bytes, true);

    return ret ? ret : blk_do_discard(blk, offset, bytes);
}

int blk_write_zeroes(BlockBackend *blk, uint64_t offset, uint64_t bytes, int flags)
{
    int ret = blk_check_request(blk, offset, bytes, true);

    return ret ? ret : blk_do_write_zeroes(blk, offset, bytes, flags);
}
