/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inside the block layer: format drivers and the scatter/gather helpers
 * they share. A driver's request functions are synchronous and
 * thread-safe: the async layer calls them from pool worker threads, the
 * synchronous helpers from the caller's thread. A format driver (qcow2)
 * sits on a protocol node (raw on a file) and may have a backing node.
 */
#ifndef BLOCK_BLOCK_INT_H
#define BLOCK_BLOCK_INT_H

#include "block/block.h"

#include <stddef.h>

/* A byte range of scattered memory; iov belongs to whoever set it up. */
typedef struct {
    struct iovec *iov;
    int niov;
    size_t size;
} BlkIov;

void blkiov_init(BlkIov *q, struct iovec *iov, int niov);
/* One-element vector over buf, using *storage for the iovec. */
void blkiov_init_buf(BlkIov *q, struct iovec *storage, void *buf, size_t len);
/*
 * Describe bytes [off, off + len) of src in dst, using the caller's array
 * (at least src->niov entries).
 */
void blkiov_slice(BlkIov *dst, struct iovec *storage, const BlkIov *src,
                  size_t off, size_t len);
size_t blkiov_to_buf(const BlkIov *q, size_t off, void *buf, size_t len);
size_t blkiov_from_buf(const BlkIov *q, size_t off, const void *buf, size_t len);
void blkiov_memset(const BlkIov *q, size_t off, int c, size_t len);
/* True if every base and length is a multiple of align. */
bool blkiov_is_aligned(const BlkIov *q, size_t align);

typedef struct BlockDriver BlockDriver;
typedef struct BlockDriverState BlockDriverState;

typedef struct {
    BlockDriverState *backing;  /* use this node as backing (takes ownership) */
    int depth;                  /* backing-chain depth, to stop loops */
} BdrvOpenOptions;

struct BlockDriverState {
    const BlockDriver *drv;
    void *opaque;               /* driver state */
    char *filename;
    int flags;                  /* BLK_* */
};

struct BlockDriver {
    const char *format_name;
    /* Score 0..100 for the first bytes of a file; NULL: never probed. */
    int (*probe)(const uint8_t *buf, size_t len);
    bool (*open)(BlockDriverState *bs, const char *filename, int flags,
                 const BdrvOpenOptions *opts, GError **errp);
    void (*close)(BlockDriverState *bs);
    int64_t (*getlength)(BlockDriverState *bs);
    int (*preadv)(BlockDriverState *bs, uint64_t offset, const BlkIov *q);
    int (*pwritev)(BlockDriverState *bs, uint64_t offset, const BlkIov *q);
    int (*flush)(BlockDriverState *bs);
    int (*discard)(BlockDriverState *bs, uint64_t offset, uint64_t bytes);
    int (*write_zeroes)(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                        int flags);
    /* Host bytes used by the image, -errno if unknown. */
    int64_t (*allocated_size)(BlockDriverState *bs);
};

extern const BlockDriver bdrv_raw;
extern const BlockDriver bdrv_qcow2;

#define BDRV_MAX_BACKING_DEPTH 16

/* Open a node; format NULL probes. */
BlockDriverState *bdrv_open(const char *filename, const char *format, int flags,
                            const BdrvOpenOptions *opts, GError **errp);
void bdrv_close(BlockDriverState *bs);
int64_t bdrv_getlength(BlockDriverState *bs);
int bdrv_preadv(BlockDriverState *bs, uint64_t offset, const BlkIov *q);
int bdrv_pwritev(BlockDriverState *bs, uint64_t offset, const BlkIov *q);
int bdrv_pread(BlockDriverState *bs, uint64_t offset, void *buf, size_t len);
int bdrv_pwrite(BlockDriverState *bs, uint64_t offset, const void *buf, size_t len);
int bdrv_flush(BlockDriverState *bs);
int bdrv_discard(BlockDriverState *bs, uint64_t offset, uint64_t bytes);
int bdrv_write_zeroes(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                      int flags);
/* Name of the format found in buf ("qcow2", else "raw"). */
const char *bdrv_probe_format(const uint8_t *buf, size_t len);

/* Memory aligned for O_DIRECT (4 KiB); free with qemu-style blk_free_aligned. */
void *blk_alloc_aligned(size_t size);
void blk_free_aligned(void *p);

#endif
