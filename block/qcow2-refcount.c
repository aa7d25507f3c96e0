/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qcow2 refcounts and cluster allocation. Clusters are only ever appended
 * at the end of the file, so a cluster freed while an old L2 entry on disk
 * may still point at it is never handed out again; frees are additionally
 * deferred until the L2 change that dropped the reference is on disk.
 * Together with writing refcounts before the L2 entries that need them,
 * a crash can leave leaked clusters but never a reference to a cluster
 * whose refcount is zero.
 */
#include "block/qcow2.h"
#include "util/error.h"

#include <errno.h>

uint64_t qcow2_rb_get(int order, const uint8_t *block, uint64_t idx)
{
    switch (order) {
    case 0:
    case 1:
    case 2: {
        int bits = 1 << order;
        int per_byte = 8 / bits;
        int shift = (idx % per_byte) * bits;

        return (block[idx / per_byte] >> shift) & ((1u << bits) - 1);
    }
    case 3:
        return block[idx];
    case 4:
        return ((uint64_t)block[idx * 2] << 8) | block[idx * 2 + 1];
    case 5:
        return ((uint64_t)block[idx * 4] << 24) | ((uint64_t)block[idx * 4 + 1] << 16) |
               ((uint64_t)block[idx * 4 + 2] << 8) | block[idx * 4 + 3];
    default:
        return qcow2_be64(block + idx * 8);
    }
}

void qcow2_rb_set(int order, uint8_t *block, uint64_t idx, uint64_t value)
{
    switch (order) {
    case 0:
    case 1:
    case 2: {
        int bits = 1 << order;
        int per_byte = 8 / bits;
        int shift = (idx % per_byte) * bits;
        uint8_t mask = ((1u << bits) - 1) << shift;

        block[idx / per_byte] = (block[idx / per_byte] & ~mask) | ((value << shift) & mask);
        break;
    }
    case 3:
        block[idx] = value;
        break;
    case 4:
        block[idx * 2] = value >> 8;
        block[idx * 2 + 1] = value;
        break;
    case 5:
        for (int i = 0; i < 4; i++) {
            block[idx * 4 + i] = value >> (24 - 8 * i);
        }
        break;
    default:
        qcow2_put_be64(block + idx * 8, value);
        break;
    }
}

int qcow2_refcount_load(Qcow2State *s, GError **errp)
{
    size_t len = (size_t)s->rt_clusters << s->cluster_bits;
    uint8_t *buf = g_malloc(len);
    int ret = bdrv_pread(s->file, s->rt_offset, buf, len);

    if (ret < 0) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_IO,
                    "Could not open '%s': reading the refcount table: %s",
                    s->filename, g_strerror(-ret));
        g_free(buf);
        return ret;
    }
    s->rt_size = len / 8;
    s->rt = g_new(uint64_t, s->rt_size);
    for (uint64_t i = 0; i < s->rt_size; i++) {
        uint64_t e = qcow2_be64(buf + i * 8);
        uint64_t off = e & REFT_OFFSET_MASK;

        if (off && (qcow2_offset_into_cluster(s, off) || off + s->cluster_size > s->frontier ||
                    off < s->cluster_size)) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                        "Could not open '%s': refcount block %" G_GUINT64_FORMAT
                        " at offset %#" G_GINT64_MODIFIER "x is invalid or past the end of the file",
                        s->filename, i, off);
            g_free(buf);
            return -EINVAL;
        }
        s->rt[i] = off;
    }
    g_free(buf);
    return 0;
}

static int qcow2_refcount_block(Qcow2State *s, uint64_t rt_idx, uint8_t **block)
{
    uint64_t off = s->rt[rt_idx];

    if (off + s->cluster_size > s->frontier) {
        return qcow2_signal_corruption(s, "refcount block at %#" G_GINT64_MODIFIER
                                       "x is past the end of the file", off);
    }
    return qcow2_cache_get(s, &s->rb_cache, off, block);
}

int qcow2_get_refcount(Qcow2State *s, uint64_t cluster_index, uint64_t *refcount)
{
    uint64_t rt_idx = cluster_index >> s->rb_bits;
    uint8_t *block;
    int ret;

    *refcount = 0;
    if (rt_idx >= s->rt_size || !s->rt[rt_idx]) {
        return 0;
    }
    ret = qcow2_refcount_block(s, rt_idx, &block);
    if (ret < 0) {
        return ret;
    }
    *refcount = qcow2_rb_get(s->refcount_order, block,
                             cluster_index & ((1ull << s->rb_bits) - 1));
    return 0;
}

/*
 * A bigger table at the end of the file. The header keeps pointing at the
 * old table until the new one and its blocks are on disk (see
 * qcow2_refcount_writeback); the old table is freed after that.
 */
static int qcow2_grow_refcount_table(Qcow2State *s, uint64_t need_idx)
{
    uint64_t per_cluster = s->cluster_size / 8;
    uint64_t entries = MAX(need_idx + 2, s->rt_size * 2);
    uint64_t clusters = (entries + per_cluster - 1) / per_cluster;
    uint64_t old_offset = s->rt_offset;
    uint64_t old_clusters = s->rt_clusters;
    uint64_t off;

    if (clusters > (8u << 20) >> s->cluster_bits && clusters > 1) {
        return -EFBIG;
    }
    entries = clusters * per_cluster;
    off = s->frontier;
    s->frontier += clusters << s->cluster_bits;
    s->rt = g_renew(uint64_t, s->rt, entries);
    memset(s->rt + s->rt_size, 0, (entries - s->rt_size) * 8);
    s->rt_size = entries;
    s->rt_offset = off;
    s->rt_clusters = clusters;
    s->rt_dirty = true;
    s->rt_moved = true;
    for (uint64_t i = 0; i < clusters; i++) {
        int ret = qcow2_update_refcount(s, (off >> s->cluster_bits) + i, 1);

        if (ret < 0) {
            return ret;
        }
    }
    qcow2_free_deferred(s, old_offset, old_clusters << s->cluster_bits);
    return 0;
}

int qcow2_update_refcount(Qcow2State *s, uint64_t cluster_index, int64_t delta)
{
    uint64_t rt_idx = cluster_index >> s->rb_bits;
    uint64_t idx = cluster_index & ((1ull << s->rb_bits) - 1);
    uint8_t *block;
    uint64_t v;
    int ret;

    if (rt_idx >= s->rt_size) {
        if (delta < 0) {
            return qcow2_signal_corruption(s, "freeing cluster %#" G_GINT64_MODIFIER
                                           "x beyond the refcount table",
                                           cluster_index << s->cluster_bits);
        }
        ret = qcow2_grow_refcount_table(s, rt_idx);
        if (ret < 0) {
            return ret;
        }
    }
    if (!s->rt[rt_idx]) {
        uint64_t b = s->frontier;

        if (delta < 0) {
            return qcow2_signal_corruption(s, "freeing cluster %#" G_GINT64_MODIFIER
                                           "x whose refcount is already zero",
                                           cluster_index << s->cluster_bits);
        }
        s->frontier += s->cluster_size;
        ret = qcow2_cache_get_empty(s, &s->rb_cache, b, &block);
        if (ret < 0) {
            return ret;
        }
        s->rt[rt_idx] = b;
        s->rt_dirty = true;
        /* The block counts itself, often inside itself. */
        ret = qcow2_update_refcount(s, b >> s->cluster_bits, 1);
        if (ret < 0) {
            return ret;
        }
    }
    ret = qcow2_refcount_block(s, rt_idx, &block);
    if (ret < 0) {
        return ret;
    }
    v = qcow2_rb_get(s->refcount_order, block, idx);
    if (delta < 0 && v < (uint64_t)-delta) {
        return qcow2_signal_corruption(s, "freeing cluster %#" G_GINT64_MODIFIER
                                       "x whose refcount is already zero",
                                       cluster_index << s->cluster_bits);
    }
    if (delta > 0 && v + delta > s->refcount_max) {
        return -ERANGE;
    }
    qcow2_rb_set(s->refcount_order, block, idx, v + delta);
    qcow2_cache_mark_dirty(&s->rb_cache, block);
    return 0;
}

int64_t qcow2_alloc_clusters(Qcow2State *s, uint64_t n)
{
    uint64_t off = s->frontier;

    if (off + (n << s->cluster_bits) > L2E_OFFSET_MASK) {
        return -EFBIG;
    }
    s->frontier += n << s->cluster_bits;
    for (uint64_t i = 0; i < n; i++) {
        int ret = qcow2_update_refcount(s, (off >> s->cluster_bits) + i, 1);

        if (ret < 0) {
            return ret;     /* whatever was counted is leaked, not lost */
        }
    }
    return off;
}

void qcow2_free_deferred(Qcow2State *s, uint64_t offset, uint64_t bytes)
{
    Qcow2Extent e = { offset, bytes };

    if (bytes) {
        g_array_append_val(s->pending_frees, e);
    }
}

int qcow2_apply_pending_frees(Qcow2State *s)
{
    int ret = 0;

    for (guint i = 0; i < s->pending_frees->len; i++) {
        Qcow2Extent *e = &g_array_index(s->pending_frees, Qcow2Extent, i);
        uint64_t first = e->offset >> s->cluster_bits;
        uint64_t last = (e->offset + e->bytes - 1) >> s->cluster_bits;

        for (uint64_t c = first; c <= last; c++) {
            uint64_t rc;
            int r = qcow2_update_refcount(s, c, -1);

            if (r == 0) {
                r = qcow2_get_refcount(s, c, &rc);
            }
            if (r < 0) {
                ret = r;
                continue;
            }
            if (rc == 0) {
                /* Never reallocated (append-only), so the space can go. */
                bdrv_discard(s->file, c << s->cluster_bits, s->cluster_size);
            }
        }
    }
    g_array_set_size(s->pending_frees, 0);
    return ret;
}

static int qcow2_write_refcount_table(Qcow2State *s)
{
    size_t len = (size_t)s->rt_clusters << s->cluster_bits;
    uint8_t *buf = blk_alloc_aligned(len);
    int ret;

    memset(buf, 0, len);
    for (uint64_t i = 0; i < s->rt_size; i++) {
        qcow2_put_be64(buf + i * 8, s->rt[i]);
    }
    ret = bdrv_pwrite(s->file, s->rt_offset, buf, len);
    s->need_sync = true;
    blk_free_aligned(buf);
    return ret;
}

int qcow2_refcount_writeback(Qcow2State *s)
{
    int ret;

    if (!qcow2_cache_has_dirty(&s->rb_cache) && !s->rt_dirty && !s->rt_moved) {
        return 0;
    }
    ret = qcow2_cache_writeback(s, &s->rb_cache);
    if (ret == 0 && s->rt_dirty) {
        /* Blocks before the table entries that point at them. */
        ret = qcow2_sync(s);
        if (ret == 0) {
            ret = qcow2_write_refcount_table(s);
        }
        if (ret == 0) {
            s->rt_dirty = false;
        }
    }
    if (ret == 0 && s->rt_moved) {
        uint8_t hdr[12];

        ret = qcow2_sync(s);
        qcow2_put_be64(hdr, s->rt_offset);
        hdr[8] = s->rt_clusters >> 24;
        hdr[9] = s->rt_clusters >> 16;
        hdr[10] = s->rt_clusters >> 8;
        hdr[11] = s->rt_clusters;
        if (ret == 0) {
            ret = bdrv_pwrite(s->file, QCOW2_HDR_RT_OFFSET, hdr, sizeof(hdr));
            s->need_sync = true;
        }
        if (ret == 0) {
            s->rt_moved = false;
        }
    }
    if (ret == 0) {
        s->l2_deps_pending = true;
        ret = qcow2_sync(s);
    }
    return ret;
}

bool qcow2_is_metadata(Qcow2State *s, uint64_t host_offset)
{
    uint64_t c = host_offset & ~(s->cluster_size - 1);

    if (c < s->cluster_size) {
        return true;
    }
    if (s->backing_name_size && c <= s->backing_name_offset + s->backing_name_size - 1 &&
        c + s->cluster_size > s->backing_name_offset) {
        return true;
    }
    if (s->l1_size && c + s->cluster_size > s->l1_offset &&
        c < s->l1_offset + (uint64_t)s->l1_size * 8) {
        return true;
    }
    if (c + s->cluster_size > s->rt_offset &&
        c < s->rt_offset + ((uint64_t)s->rt_clusters << s->cluster_bits)) {
        return true;
    }
    for (uint32_t i = 0; i < s->l1_size; i++) {
        if ((s->l1[i] & L1E_OFFSET_MASK) == c) {
            return true;
        }
    }
    for (uint64_t i = 0; i < s->rt_size; i++) {
        if (s->rt[i] == c) {
            return true;
        }
    }
    return false;
}

/* ---- repair ---- */

#define REF_NORMAL_SEEN 0x80000000u

typedef struct {
    Qcow2State *s;
    uint32_t *counts;
    uint64_t nb;
    char *error;
} RebuildCtx;

static void rebuild_count(uint64_t offset, uint64_t bytes, bool compressed, void *arg)
{
    RebuildCtx *r = arg;
    Qcow2State *s = r->s;
    uint64_t first = offset >> s->cluster_bits;
    uint64_t last = (offset + bytes - 1) >> s->cluster_bits;

    if (r->error || !bytes) {
        return;
    }
    for (uint64_t c = first; c <= last; c++) {
        if (c >= r->nb) {
            if (compressed && c > first) {
                break;  /* compressed data may end in a sector past EOF */
            }
            r->error = g_strdup_printf("cluster %#" G_GINT64_MODIFIER
                                       "x is referenced but past the end of the file",
                                       c << s->cluster_bits);
            return;
        }
        if (!compressed) {
            if (r->counts[c]) {
                r->error = g_strdup_printf("cluster %#" G_GINT64_MODIFIER
                                           "x is referenced more than once",
                                           c << s->cluster_bits);
                return;
            }
            r->counts[c] = REF_NORMAL_SEEN | 1;
        } else {
            if (r->counts[c] & REF_NORMAL_SEEN) {
                r->error = g_strdup_printf("cluster %#" G_GINT64_MODIFIER
                                           "x is referenced more than once",
                                           c << s->cluster_bits);
                return;
            }
            r->counts[c]++;
        }
    }
}

/*
 * Used when an image is opened read-write with the dirty bit set: whoever
 * had it open last did not close it cleanly and its refcounts cannot be
 * trusted. Every reference is counted (which also proves no cluster is
 * used twice) and a new refcount table and blocks are written after the
 * last cluster; the header is switched over once they are on disk.
 */
bool qcow2_rebuild_refcounts(Qcow2State *s, GError **errp)
{
    RebuildCtx r = { .s = s };
    uint64_t rb_entries = 1ull << s->rb_bits;
    uint64_t k = 0, blocks = 0, tclusters = 0;
    uint8_t *buf = NULL;
    uint64_t *new_rt;
    int ret;

    if (s->nb_snapshots) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_UNSUPPORTED,
                    "Could not open '%s': cannot repair refcounts of an image with internal snapshots",
                    s->filename);
        return false;
    }
    r.nb = s->frontier >> s->cluster_bits;
    r.counts = g_new0(uint32_t, r.nb);
    rebuild_count(0, s->cluster_size, false, &r);
    if (s->backing_name_size && s->backing_name_offset >= s->cluster_size) {
        rebuild_count(s->backing_name_offset, s->backing_name_size, false, &r);
    }
    if (s->l1_size) {
        rebuild_count(s->l1_offset, (uint64_t)s->l1_size * 8, false, &r);
    }
    ret = qcow2_walk_references(s, rebuild_count, &r);
    if (ret < 0 || r.error) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "Could not open '%s': image is corrupt: %s", s->filename,
                    r.error ? r.error : g_strerror(-ret));
        g_free(r.error);
        g_free(r.counts);
        return false;
    }
    /* Blocks and table go after every existing cluster and count themselves. */
    for (;;) {
        blocks = (r.nb + k + rb_entries - 1) / rb_entries;
        tclusters = (blocks * 8 + s->cluster_size - 1) >> s->cluster_bits;
        if (blocks + tclusters <= k) {
            break;
        }
        k = blocks + tclusters;
    }
    r.counts = g_renew(uint32_t, r.counts, r.nb + k);
    for (uint64_t i = 0; i < k; i++) {
        r.counts[r.nb + i] = 1;
    }
    buf = blk_alloc_aligned(s->cluster_size);
    ret = 0;
    for (uint64_t b = 0; b < blocks && ret == 0; b++) {
        memset(buf, 0, s->cluster_size);
        for (uint64_t i = 0; i < rb_entries; i++) {
            uint64_t c = b * rb_entries + i;

            if (c < r.nb + k) {
                qcow2_rb_set(s->refcount_order, buf, i, r.counts[c] & ~REF_NORMAL_SEEN);
            }
        }
        ret = bdrv_pwrite(s->file, (r.nb + b) << s->cluster_bits, buf, s->cluster_size);
    }
    blk_free_aligned(buf);
    g_free(r.counts);

    new_rt = g_new0(uint64_t, (tclusters << s->cluster_bits) / 8);
    for (uint64_t b = 0; b < blocks; b++) {
        new_rt[b] = (r.nb + b) << s->cluster_bits;
    }
    g_free(s->rt);
    s->rt = new_rt;
    s->rt_size = (tclusters << s->cluster_bits) / 8;
    s->rt_offset = (r.nb + blocks) << s->cluster_bits;
    s->rt_clusters = tclusters;
    s->frontier = (r.nb + k) << s->cluster_bits;
    for (int i = 0; i < s->rb_cache.n; i++) {
        s->rb_cache.entries[i].offset = 0;
        s->rb_cache.entries[i].dirty = false;
    }
    g_array_set_size(s->pending_frees, 0);
    s->need_sync = true;
    s->rt_dirty = true;
    s->rt_moved = true;
    if (ret == 0) {
        ret = qcow2_refcount_writeback(s);
    }
    if (ret < 0) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_IO,
                    "Could not open '%s': writing repaired refcounts: %s",
                    s->filename, g_strerror(-ret));
        return false;
    }
    return true;
}
