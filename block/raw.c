/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Raw images: regular files and block devices, read and written as they
 * are. This driver is also the protocol layer qcow2 sits on. With
 * cache=none (O_DIRECT) requests whose offset, length or buffers are not
 * aligned go through an aligned bounce buffer; a partial block at either
 * end of a write is read first, under a lock so two such writes to one
 * block cannot lose each other's bytes.
 */
#include "block/block-int.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#define RAW_DIRECT_ALIGN 4096

typedef struct {
    int fd;
    bool is_blkdev;
    bool direct;
    bool no_flush;
    size_t align;
    GMutex rmw_lock;
} RawState;

static int raw_probe(const uint8_t *buf, size_t len)
{
    return 1;   /* anything can be raw; any real format outbids this */
}

static bool raw_open(BlockDriverState *bs, const char *filename, int flags,
                     const BdrvOpenOptions *opts, GError **errp)
{
    RawState *s = g_new0(RawState, 1);
    int oflags = O_CLOEXEC | ((flags & BLK_READONLY) ? O_RDONLY : O_RDWR);
    struct stat st;

    if (flags & BLK_NOCACHE) {
        oflags |= O_DIRECT;
    }
    s->fd = open(filename, oflags);
    if (s->fd < 0) {
        int err = errno;

        if (err == EINVAL && (flags & BLK_NOCACHE)) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_UNSUPPORTED,
                        "Could not open '%s': the file system does not support O_DIRECT (cache=none)",
                        filename);
        } else {
            g_set_error(errp, TERN_ERROR,
                        err == ENOENT ? TERN_ERROR_NOT_FOUND : TERN_ERROR_IO,
                        "Could not open '%s': %s", filename, g_strerror(err));
        }
        g_free(s);
        return false;
    }
    if (fstat(s->fd, &st) < 0 || !(S_ISREG(st.st_mode) || S_ISBLK(st.st_mode))) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "Could not open '%s': not a regular file or block device", filename);
        close(s->fd);
        g_free(s);
        return false;
    }
    s->is_blkdev = S_ISBLK(st.st_mode);
    s->direct = flags & BLK_NOCACHE;
    s->no_flush = flags & BLK_NO_FLUSH;
    s->align = 1;
    if (s->direct) {
        int ssz = 0;

        s->align = RAW_DIRECT_ALIGN;
        if (s->is_blkdev && ioctl(s->fd, BLKSSZGET, &ssz) == 0 && ssz > 0) {
            s->align = MAX((size_t)ssz, 512);
        }
    }
    g_mutex_init(&s->rmw_lock);
    bs->opaque = s;
    return true;
}

static void raw_close(BlockDriverState *bs)
{
    RawState *s = bs->opaque;

    close(s->fd);
    g_mutex_clear(&s->rmw_lock);
    g_free(s);
}

static int64_t raw_getlength(BlockDriverState *bs)
{
    RawState *s = bs->opaque;
    struct stat st;

    if (s->is_blkdev) {
        uint64_t size;

        if (ioctl(s->fd, BLKGETSIZE64, &size) < 0) {
            return -errno;
        }
        return size;
    }
    if (fstat(s->fd, &st) < 0) {
        return -errno;
    }
    return st.st_size;
}

/*
 * Full transfer with short reads/writes resumed; reading past the end of
 * the file yields zeros, as a sparse hole would.
 */
static int raw_rw(int fd, bool write, uint64_t offset, const BlkIov *q)
{
    struct iovec stack_iov[16];
    struct iovec *iov = q->niov <= 16 ? stack_iov : g_new(struct iovec, q->niov);
    size_t done = 0;
    int ret = 0;
    BlkIov cur;

    while (done < q->size) {
        ssize_t n;

        blkiov_slice(&cur, iov, q, done, q->size - done);
        if (write) {
            n = pwritev(fd, cur.iov, MIN(cur.niov, IOV_MAX), offset + done);
        } else {
            n = preadv(fd, cur.iov, MIN(cur.niov, IOV_MAX), offset + done);
        }
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            ret = -errno;
            break;
        }
        if (n == 0) {
            if (write) {
                ret = -EIO;
            } else {
                blkiov_memset(q, done, 0, q->size - done);
            }
            break;
        }
        done += n;
    }
    if (iov != stack_iov) {
        g_free(iov);
    }
    return ret;
}

static int raw_rw_buf(int fd, bool write, uint64_t offset, void *buf, size_t len)
{
    struct iovec iov;
    BlkIov q;

    blkiov_init_buf(&q, &iov, buf, len);
    return raw_rw(fd, write, offset, &q);
}

static bool raw_needs_bounce(RawState *s, uint64_t offset, const BlkIov *q)
{
    return s->direct && (((offset | q->size) & (s->align - 1)) ||
                         !blkiov_is_aligned(q, s->align));
}

static int raw_preadv(BlockDriverState *bs, uint64_t offset, const BlkIov *q)
{
    RawState *s = bs->opaque;
    uint64_t start, end;
    uint8_t *buf;
    int ret;

    if (!raw_needs_bounce(s, offset, q)) {
        return raw_rw(s->fd, false, offset, q);
    }
    start = offset & ~(uint64_t)(s->align - 1);
    end = (offset + q->size + s->align - 1) & ~(uint64_t)(s->align - 1);
    buf = blk_alloc_aligned(end - start);
    ret = raw_rw_buf(s->fd, false, start, buf, end - start);
    if (ret == 0) {
        blkiov_from_buf(q, 0, buf + (offset - start), q->size);
    }
    blk_free_aligned(buf);
    return ret;
}

static int raw_pwritev(BlockDriverState *bs, uint64_t offset, const BlkIov *q)
{
    RawState *s = bs->opaque;
    uint64_t start, end;
    bool rmw;
    uint8_t *buf;
    int ret = 0;

    if (!raw_needs_bounce(s, offset, q)) {
        return raw_rw(s->fd, true, offset, q);
    }
    start = offset & ~(uint64_t)(s->align - 1);
    end = (offset + q->size + s->align - 1) & ~(uint64_t)(s->align - 1);
    rmw = start != offset || end != offset + q->size;
    buf = blk_alloc_aligned(end - start);
    if (rmw) {
        g_mutex_lock(&s->rmw_lock);
        if (start != offset) {
            ret = raw_rw_buf(s->fd, false, start, buf, s->align);
        }
        if (ret == 0 && end != offset + q->size) {
            ret = raw_rw_buf(s->fd, false, end - s->align,
                             buf + (end - start - s->align), s->align);
        }
    }
    if (ret == 0) {
        blkiov_to_buf(q, 0, buf + (offset - start), q->size);
        ret = raw_rw_buf(s->fd, true, start, buf, end - start);
    }
    if (rmw) {
        g_mutex_unlock(&s->rmw_lock);
    }
    blk_free_aligned(buf);
    return ret;
}

static int raw_flush(BlockDriverState *bs)
{
    RawState *s = bs->opaque;

    if (s->no_flush) {
        return 0;
    }
    return fdatasync(s->fd) < 0 ? -errno : 0;
}

static int raw_discard(BlockDriverState *bs, uint64_t offset, uint64_t bytes)
{
    RawState *s = bs->opaque;
    int r;

    if (s->is_blkdev) {
        uint64_t range[2] = { offset, bytes };

        r = ioctl(s->fd, BLKDISCARD, range);
    } else {
        r = fallocate(s->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                      offset, bytes);
    }
    /* Discard is advisory: a host that cannot do it has done nothing wrong. */
    if (r < 0 && errno != EOPNOTSUPP && errno != ENOTTY && errno != EINVAL) {
        return -errno;
    }
    return 0;
}

static int raw_write_zeroes_slow(BlockDriverState *bs, uint64_t offset, uint64_t bytes)
{
    size_t chunk = MIN(bytes, 1024 * 1024);
    uint8_t *buf = blk_alloc_aligned(chunk);
    int ret = 0;

    memset(buf, 0, chunk);
    while (bytes && ret == 0) {
        size_t n = MIN(bytes, chunk);
        struct iovec iov;
        BlkIov q;

        blkiov_init_buf(&q, &iov, buf, n);
        ret = raw_pwritev(bs, offset, &q);
        offset += n;
        bytes -= n;
    }
    blk_free_aligned(buf);
    return ret;
}

static int raw_write_zeroes(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                            int flags)
{
    RawState *s = bs->opaque;
    int64_t len = raw_getlength(bs);

    if (s->is_blkdev) {
        uint64_t range[2] = { offset, bytes };

        if (ioctl(s->fd, BLKZEROOUT, range) == 0) {
            return 0;
        }
    } else {
        /* A hole reads as zeros, but only inside the file. */
        if ((flags & BLK_ZERO_MAY_UNMAP) && len >= 0 && offset + bytes <= (uint64_t)len &&
            fallocate(s->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                      offset, bytes) == 0) {
            return 0;
        }
        if (fallocate(s->fd, FALLOC_FL_ZERO_RANGE, offset, bytes) == 0) {
            return 0;
        }
    }
    return raw_write_zeroes_slow(bs, offset, bytes);
}

static int64_t raw_allocated_size(BlockDriverState *bs)
{
    RawState *s = bs->opaque;
    struct stat st;

    if (fstat(s->fd, &st) < 0) {
        return -errno;
    }
    return (int64_t)st.st_blocks * 512;
}

const BlockDriver bdrv_raw = {
    .format_name = "raw",
    .probe = raw_probe,
    .open = raw_open,
    .close = raw_close,
    .getlength = raw_getlength,
    .preadv = raw_preadv,
    .pwritev = raw_pwritev,
    .flush = raw_flush,
    .discard = raw_discard,
    .write_zeroes = raw_write_zeroes,
    .allocated_size = raw_allocated_size,
};
