/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qcow2 driver internals shared by qcow2.c (header, requests, flush
 * ordering), qcow2-cluster.c (L1/L2 mapping) and qcow2-refcount.c
 * (refcounts, allocation, repair). All multi-byte on-disk fields are
 * big-endian; L1, the refcount table and cached tables stay in disk byte
 * order only inside cache buffers.
 *
 * Locking: one mutex per image guards every field below. Data I/O to
 * clusters that are already allocated runs without it; allocating writes
 * hold it until the new L2 entry is in place.
 */
#ifndef BLOCK_QCOW2_H
#define BLOCK_QCOW2_H

#include "block/block-int.h"
#include "util/inflate.h"

#include <string.h>

#define QCOW2_MAGIC                 0x514649fbu   /* "QFI\xfb" */
#define QCOW2_MIN_CLUSTER_BITS      9
#define QCOW2_MAX_CLUSTER_BITS      21
#define QCOW2_V2_HEADER_LEN         72
#define QCOW2_V3_HEADER_LEN         104

/* Header field offsets. */
#define QCOW2_HDR_BACKING_OFFSET    8
#define QCOW2_HDR_RT_OFFSET         48
#define QCOW2_HDR_INCOMPAT          72
#define QCOW2_HDR_AUTOCLEAR         88

#define QCOW2_INCOMPAT_DIRTY        (1ull << 0)
#define QCOW2_INCOMPAT_CORRUPT      (1ull << 1)
#define QCOW2_INCOMPAT_DATA_FILE    (1ull << 2)
#define QCOW2_INCOMPAT_COMPRESSION  (1ull << 3)
#define QCOW2_INCOMPAT_EXTL2        (1ull << 4)

#define QCOW2_EXT_END               0x00000000u
#define QCOW2_EXT_BACKING_FMT       0xe2792acau
#define QCOW2_EXT_FEATURE_TABLE     0x6803f857u
#define QCOW2_EXT_CRYPTO            0x0537be77u
#define QCOW2_EXT_DATA_FILE         0x44415441u

#define QCOW_OFLAG_COPIED           (1ull << 63)
#define QCOW_OFLAG_COMPRESSED       (1ull << 62)
#define QCOW_OFLAG_ZERO             (1ull << 0)
#define L1E_OFFSET_MASK             0x00fffffffffffe00ull
#define L2E_OFFSET_MASK             0x00fffffffffffe00ull
#define REFT_OFFSET_MASK            0xfffffffffffffe00ull

typedef enum {
    QCOW2_CLUSTER_UNALLOCATED,  /* reads from backing, or zeros */
    QCOW2_CLUSTER_ZERO_PLAIN,   /* reads as zeros, no host cluster */
    QCOW2_CLUSTER_ZERO_ALLOC,   /* reads as zeros, host cluster kept */
    QCOW2_CLUSTER_NORMAL,
    QCOW2_CLUSTER_COMPRESSED,
} Qcow2ClusterType;

typedef struct {
    uint64_t offset;            /* host offset of the table; 0: slot empty */
    uint8_t *data;              /* one cluster, disk byte order */
    uint64_t lru;
    bool dirty;
} Qcow2CacheEntry;

typedef struct {
    Qcow2CacheEntry *entries;
    int n;
    uint64_t lru_clock;
    bool is_l2;                 /* L2 writes depend on refcounts being on disk */
} Qcow2Cache;

typedef struct {
    uint64_t offset;            /* host byte offset */
    uint64_t bytes;
} Qcow2Extent;

typedef struct {
    BlockDriverState *file;
    BlockDriverState *backing;
    char *filename;
    GMutex lock;

    int version;
    int cluster_bits;
    uint64_t cluster_size;
    uint64_t size;              /* guest-visible */
    uint32_t header_length;
    uint64_t incompat;
    uint64_t compat;
    uint64_t autoclear;
    uint32_t nb_snapshots;
    char *backing_name;         /* as stored in the header */
    char *backing_fmt;
    uint64_t backing_name_offset;
    uint32_t backing_name_size;

    int l2_bits;                /* log2 of entries per L2 table */
    uint64_t l1_offset;
    uint32_t l1_size;
    uint64_t *l1;               /* host byte order */
    bool l1_dirty;

    int refcount_order;
    int rb_bits;                /* log2 of entries per refcount block */
    uint64_t refcount_max;
    uint64_t rt_offset;
    uint32_t rt_clusters;
    uint64_t rt_size;           /* entries */
    uint64_t *rt;               /* host byte order */
    bool rt_dirty;              /* table contents changed */
    bool rt_moved;              /* header must point at a new table */

    Qcow2Cache l2_cache;
    Qcow2Cache rb_cache;

    uint64_t frontier;          /* first never-allocated host offset */
    bool need_sync;             /* writes since the last file flush */
    bool l2_deps_pending;       /* new data or refcounts written, not flushed */
    GArray *pending_frees;      /* Qcow2Extent: freed once L2 is on disk */

    bool read_only;
    bool dirty_set;             /* dirty bit written to disk by us */
    bool corrupt;

    uint64_t zcache_entry;      /* L2 entry of the cluster in zcache, 0: none */
    uint8_t *zcache;            /* last decompressed cluster */
} Qcow2State;

static inline uint64_t qcow2_be64(const uint8_t *p)
{
    uint64_t v;

    memcpy(&v, p, 8);
    return GUINT64_FROM_BE(v);
}

static inline void qcow2_put_be64(uint8_t *p, uint64_t v)
{
    v = GUINT64_TO_BE(v);
    memcpy(p, &v, 8);
}

static inline uint64_t qcow2_offset_into_cluster(Qcow2State *s, uint64_t off)
{
    return off & (s->cluster_size - 1);
}

static inline uint64_t qcow2_align_up(Qcow2State *s, uint64_t off)
{
    return (off + s->cluster_size - 1) & ~(s->cluster_size - 1);
}

/* qcow2.c */
/*
 * Record run-time metadata corruption: the image is flagged corrupt on
 * disk (best effort), further writes fail, and callers return -EIO.
 */
int qcow2_signal_corruption(Qcow2State *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Flush the file if anything was written since the last flush. */
int qcow2_sync(Qcow2State *s);
void qcow2_cache_init(Qcow2Cache *c, int n, size_t cluster_size, bool is_l2);
void qcow2_cache_destroy(Qcow2Cache *c);
/* Load (or find) the table at offset; the pointer lives until the next get. */
int qcow2_cache_get(Qcow2State *s, Qcow2Cache *c, uint64_t offset, uint8_t **table);
/* A zero-filled, dirty table for a freshly allocated cluster. */
int qcow2_cache_get_empty(Qcow2State *s, Qcow2Cache *c, uint64_t offset, uint8_t **table);
void qcow2_cache_mark_dirty(Qcow2Cache *c, const uint8_t *table);
int qcow2_cache_writeback(Qcow2State *s, Qcow2Cache *c);
bool qcow2_cache_has_dirty(Qcow2Cache *c);
void qcow2_cache_discard(Qcow2Cache *c, uint64_t offset);
/* raw deflate (RFC 1951) into exactly out_len bytes; false on bad data */
static inline bool qcow2_inflate(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_len)
{
    return inflate_raw(in, in_len, out, out_len);
}

/* qcow2-refcount.c */
/* Entry idx of a refcount block with 2^order-bit entries. */
uint64_t qcow2_rb_get(int order, const uint8_t *block, uint64_t idx);
void qcow2_rb_set(int order, uint8_t *block, uint64_t idx, uint64_t value);
int qcow2_refcount_load(Qcow2State *s, GError **errp);
int qcow2_get_refcount(Qcow2State *s, uint64_t cluster_index, uint64_t *refcount);
int qcow2_update_refcount(Qcow2State *s, uint64_t cluster_index, int64_t delta);
/* n contiguous new clusters at the end of the file, refcount 1; offset or -errno */
int64_t qcow2_alloc_clusters(Qcow2State *s, uint64_t n);
/* Drop one reference to every cluster touched by [offset, offset + bytes) later. */
void qcow2_free_deferred(Qcow2State *s, uint64_t offset, uint64_t bytes);
/* Apply deferred frees; callers make sure the references are gone on disk. */
int qcow2_apply_pending_frees(Qcow2State *s);
/* Refcount blocks, then table, then header; ends with a file flush. */
int qcow2_refcount_writeback(Qcow2State *s);
/* Recount every reference and write a fresh refcount structure. */
bool qcow2_rebuild_refcounts(Qcow2State *s, GError **errp);
/* True if the host cluster holds metadata (header, L1, L2, refcounts). */
bool qcow2_is_metadata(Qcow2State *s, uint64_t host_offset);

/* qcow2-cluster.c */
Qcow2ClusterType qcow2_cluster_type(Qcow2State *s, uint64_t l2e);
/* Host extent of a compressed cluster's data. */
void qcow2_compressed_extent(Qcow2State *s, uint64_t l2e, uint64_t *offset,
                             uint64_t *bytes);
/*
 * The L2 entry for guest_offset (0 if its L2 table is absent) and how
 * many bytes from guest_offset, up to max_bytes, map the same way
 * (same type, host clusters contiguous for NORMAL). Validates entries.
 */
int qcow2_get_mapping(Qcow2State *s, uint64_t guest_offset, uint64_t max_bytes,
                      uint64_t *l2e, uint64_t *bytes);
/* Set the L2 entry of one guest cluster, allocating its L2 table if needed. */
int qcow2_set_l2_entry(Qcow2State *s, uint64_t guest_offset, uint64_t l2e);
/* Drop the reference held by an entry being replaced (deferred). */
void qcow2_release_entry(Qcow2State *s, uint64_t l2e);
/* Write the in-memory L1 table. */
int qcow2_write_l1(Qcow2State *s);
/* Call fn for every L2 table and data extent referenced from L1 (repair). */
int qcow2_walk_references(Qcow2State *s, void (*fn)(uint64_t offset, uint64_t bytes,
                                                     bool compressed, void *arg),
                          void *arg);

#endif
