/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The block layer's public face: a BlockBackend is an open disk image (raw
 * or qcow2) that devices read and write asynchronously. Requests run on a
 * small worker-thread pool so neither vCPU threads nor the main loop wait
 * for the disk; completion callbacks run in the main thread, from the GLib
 * default main context, with the BQL held. The synchronous helpers are for
 * tools and tests and may be called from any thread.
 */
#ifndef BLOCK_BLOCK_H
#define BLOCK_BLOCK_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

typedef struct BlockBackend BlockBackend;

/* ret is 0 or -errno. */
typedef void BlockCompletionFunc(void *opaque, int ret);

/* blk_open() flags. */
enum {
    BLK_READONLY      = 1 << 0,  /* writes, discards and zeroing fail with -EACCES */
    BLK_SNAPSHOT      = 1 << 1,  /* writes go to a temporary qcow2 overlay */
    BLK_NOCACHE       = 1 << 2,  /* O_DIRECT: bypass the host page cache */
    BLK_WRITETHROUGH  = 1 << 3,  /* every write is followed by a flush */
    BLK_NO_FLUSH      = 1 << 4,  /* flush is a no-op (cache=unsafe) */
    BLK_DISCARD_UNMAP = 1 << 5,  /* pass discards down (discard=unmap) */
};
#define BLK_CACHE_MASK (BLK_NOCACHE | BLK_WRITETHROUGH | BLK_NO_FLUSH)

/* blk_aio_write_zeroes() flags. */
enum {
    BLK_ZERO_MAY_UNMAP = 1 << 0, /* zeroed range may be deallocated */
};

/*
 * QEMU cache modes: writeback (default), none, writethrough, directsync,
 * unsafe. Replaces the cache bits of *flags.
 */
bool blk_parse_cache_mode(const char *mode, int *flags, GError **errp);
const char *blk_cache_mode_name(int flags);

/*
 * Open filename as format "raw" or "qcow2", or probe the format when
 * format is NULL. Errors read "Could not open 'FILE': REASON".
 */
BlockBackend *blk_open(const char *filename, const char *format, int flags,
                       GError **errp);
/* Waits for requests in flight (running their callbacks), flushes, closes. */
void blk_close(BlockBackend *blk);

/* Guest-visible size in bytes, or -errno. */
int64_t blk_getlength(BlockBackend *blk);
const char *blk_filename(BlockBackend *blk);
const char *blk_format_name(BlockBackend *blk);
int blk_flags(BlockBackend *blk);
bool blk_is_read_only(BlockBackend *blk);

/*
 * Asynchronous requests. The iovec array is copied, the buffers it points
 * to must stay valid until cb runs. Requests outside the device fail with
 * -EIO; writes to a read-only backend with -EACCES. cb always runs later,
 * never inside the call.
 */
void blk_aio_preadv(BlockBackend *blk, uint64_t offset, const struct iovec *iov,
                    int iovcnt, BlockCompletionFunc *cb, void *opaque);
void blk_aio_pwritev(BlockBackend *blk, uint64_t offset, const struct iovec *iov,
                     int iovcnt, BlockCompletionFunc *cb, void *opaque);
void blk_aio_flush(BlockBackend *blk, BlockCompletionFunc *cb, void *opaque);
/* A no-op success unless the backend was opened with BLK_DISCARD_UNMAP. */
void blk_aio_discard(BlockBackend *blk, uint64_t offset, uint64_t bytes,
                     BlockCompletionFunc *cb, void *opaque);
void blk_aio_write_zeroes(BlockBackend *blk, uint64_t offset, uint64_t bytes,
                          int flags, BlockCompletionFunc *cb, void *opaque);

/* Requests submitted and not yet completed (callback not yet run). */
unsigned blk_in_flight(BlockBackend *blk);
/*
 * Run completions in the calling thread until no request of blk is in
 * flight. The caller must be the thread that may run callbacks (the main
 * thread, or any thread holding the BQL).
 */
void blk_drain(BlockBackend *blk);

/*
 * Synchronous helpers: the request runs in the calling thread, which
 * blocks; 0 or -errno. Safe from any thread, including the main loop.
 */
int blk_pread(BlockBackend *blk, uint64_t offset, void *buf, size_t bytes);
int blk_pwrite(BlockBackend *blk, uint64_t offset, const void *buf, size_t bytes);
int blk_flush(BlockBackend *blk);
int blk_discard(BlockBackend *blk, uint64_t offset, uint64_t bytes);
int blk_write_zeroes(BlockBackend *blk, uint64_t offset, uint64_t bytes, int flags);

/*
 * Create a qcow2 v3 image (64 KiB clusters, 16-bit refcounts). A size of
 * 0 with a backing file takes the backing file's size. backing is stored
 * as given; a relative name is resolved against the image's directory.
 */
bool qcow2_create(const char *path, uint64_t size, const char *backing,
                  GError **errp);

typedef struct {
    uint64_t size;
    const char *backing;        /* NULL: none */
    const char *backing_fmt;    /* NULL: probe the backing file when opening */
    int cluster_bits;           /* 0: 16; 9..21 */
    int refcount_order;         /* -1: 4; 0..6 */
    int version;                /* 0: 3; 2 or 3 */
} Qcow2CreateOptions;

bool qcow2_create_opts(const char *path, const Qcow2CreateOptions *opts,
                       GError **errp);

#endif
