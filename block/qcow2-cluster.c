/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qcow2 guest-to-host mapping: the two-level L1/L2 lookup, validation of
 * every pointer read from disk (a bad one marks the image corrupt and
 * fails the request instead of touching the wrong place), and updates of
 * single L2 entries. The L1 table lives in memory and reaches the disk
 * only at flush, after the L2 tables it points to.
 */
#include "block/qcow2.h"

#include <errno.h>

Qcow2ClusterType qcow2_cluster_type(Qcow2State *s, uint64_t l2e)
{
    if (l2e & QCOW_OFLAG_COMPRESSED) {
        return QCOW2_CLUSTER_COMPRESSED;
    }
    if ((l2e & QCOW_OFLAG_ZERO) && s->version >= 3) {
        return (l2e & L2E_OFFSET_MASK) ? QCOW2_CLUSTER_ZERO_ALLOC : QCOW2_CLUSTER_ZERO_PLAIN;
    }
    return (l2e & L2E_OFFSET_MASK) ? QCOW2_CLUSTER_NORMAL : QCOW2_CLUSTER_UNALLOCATED;
}

void qcow2_compressed_extent(Qcow2State *s, uint64_t l2e, uint64_t *offset,
                             uint64_t *bytes)
{
    int x = 62 - (s->cluster_bits - 8);
    uint64_t off = l2e & ((1ull << x) - 1);
    uint64_t sectors = ((l2e >> x) & ((1ull << (62 - x)) - 1)) + 1;

    *offset = off;
    *bytes = sectors * 512 - (off & 511);
}

static int qcow2_l2_table_offset(Qcow2State *s, uint64_t l1_idx, uint64_t *l2_off)
{
    uint64_t off;

    if (l1_idx >= s->l1_size) {
        return qcow2_signal_corruption(s, "guest offset beyond the L1 table");
    }
    off = s->l1[l1_idx] & L1E_OFFSET_MASK;
    *l2_off = off;
    if (!off) {
        return 0;
    }
    if (qcow2_offset_into_cluster(s, off)) {
        return qcow2_signal_corruption(s, "L2 table offset %#" G_GINT64_MODIFIER
                                       "x is not cluster aligned", off);
    }
    if (off + s->cluster_size > s->frontier) {
        return qcow2_signal_corruption(s, "L2 table at %#" G_GINT64_MODIFIER
                                       "x is past the end of the file", off);
    }
    if (off < s->cluster_size ||
        (off + s->cluster_size > s->l1_offset && off < s->l1_offset + (uint64_t)s->l1_size * 8) ||
        (off + s->cluster_size > s->rt_offset &&
         off < s->rt_offset + ((uint64_t)s->rt_clusters << s->cluster_bits))) {
        return qcow2_signal_corruption(s, "L2 table at %#" G_GINT64_MODIFIER
                                       "x overlaps other metadata", off);
    }
    return 0;
}

static int qcow2_check_entry(Qcow2State *s, uint64_t l2e)
{
    uint64_t off, bytes;

    switch (qcow2_cluster_type(s, l2e)) {
    case QCOW2_CLUSTER_NORMAL:
    case QCOW2_CLUSTER_ZERO_ALLOC:
        off = l2e & L2E_OFFSET_MASK;
        if (qcow2_offset_into_cluster(s, off)) {
            return qcow2_signal_corruption(s, "data cluster offset %#" G_GINT64_MODIFIER
                                           "x is not cluster aligned", off);
        }
        if (off + s->cluster_size > s->frontier) {
            return qcow2_signal_corruption(s, "data cluster at %#" G_GINT64_MODIFIER
                                           "x is past the end of the file", off);
        }
        if (off < s->cluster_size) {
            return qcow2_signal_corruption(s, "data cluster at %#" G_GINT64_MODIFIER
                                           "x overlaps the header", off);
        }
        return 0;
    case QCOW2_CLUSTER_COMPRESSED:
        qcow2_compressed_extent(s, l2e, &off, &bytes);
        if (off >= s->frontier || off < s->cluster_size) {
            return qcow2_signal_corruption(s, "compressed cluster at %#" G_GINT64_MODIFIER
                                           "x is outside the file", off);
        }
        return 0;
    default:
        return 0;
    }
}

int qcow2_get_mapping(Qcow2State *s, uint64_t guest_offset, uint64_t max_bytes,
                      uint64_t *l2e_out, uint64_t *bytes)
{
    uint64_t l2_entries = 1ull << s->l2_bits;
    uint64_t cluster = guest_offset >> s->cluster_bits;
    uint64_t l1_idx = cluster >> s->l2_bits;
    uint64_t l2_idx = cluster & (l2_entries - 1);
    uint64_t in_off = qcow2_offset_into_cluster(s, guest_offset);
    uint64_t avail = ((l2_entries - l2_idx) << s->cluster_bits) - in_off;
    uint64_t l2_off, l2e, n;
    Qcow2ClusterType type;
    uint8_t *table;
    int ret;

    max_bytes = MIN(max_bytes, avail);
    ret = qcow2_l2_table_offset(s, l1_idx, &l2_off);
    if (ret < 0) {
        return ret;
    }
    if (!l2_off) {
        *l2e_out = 0;
        *bytes = max_bytes;
        return 0;
    }
    ret = qcow2_cache_get(s, &s->l2_cache, l2_off, &table);
    if (ret < 0) {
        return ret;
    }
    l2e = qcow2_be64(table + l2_idx * 8);
    ret = qcow2_check_entry(s, l2e);
    if (ret < 0) {
        return ret;
    }
    type = qcow2_cluster_type(s, l2e);
    n = s->cluster_size - in_off;
    if (type != QCOW2_CLUSTER_COMPRESSED) {
        for (uint64_t i = l2_idx + 1; i < l2_entries && n < max_bytes; i++) {
            uint64_t e = qcow2_be64(table + i * 8);

            if (qcow2_cluster_type(s, e) != type ||
                (e & QCOW_OFLAG_COPIED) != (l2e & QCOW_OFLAG_COPIED)) {
                break;
            }
            if (type == QCOW2_CLUSTER_NORMAL &&
                (e & L2E_OFFSET_MASK) != (l2e & L2E_OFFSET_MASK) + ((i - l2_idx) << s->cluster_bits)) {
                break;
            }
            if (qcow2_check_entry(s, e) < 0) {
                break;  /* reported when the request reaches it */
            }
            n += s->cluster_size;
        }
    }
    *l2e_out = l2e;
    *bytes = MIN(n, max_bytes);
    return 0;
}

int qcow2_set_l2_entry(Qcow2State *s, uint64_t guest_offset, uint64_t l2e)
{
    uint64_t cluster = guest_offset >> s->cluster_bits;
    uint64_t l1_idx = cluster >> s->l2_bits;
    uint64_t l2_idx = cluster & ((1ull << s->l2_bits) - 1);
    uint64_t l2_off;
    uint8_t *table;
    int ret;

    ret = qcow2_l2_table_offset(s, l1_idx, &l2_off);
    if (ret < 0) {
        return ret;
    }
    if (!l2_off) {
        int64_t off = qcow2_alloc_clusters(s, 1);

        if (off < 0) {
            return (int)off;
        }
        ret = qcow2_cache_get_empty(s, &s->l2_cache, off, &table);
        if (ret < 0) {
            return ret;
        }
        s->l1[l1_idx] = off | QCOW_OFLAG_COPIED;
        s->l1_dirty = true;
    } else {
        ret = qcow2_cache_get(s, &s->l2_cache, l2_off, &table);
        if (ret < 0) {
            return ret;
        }
        if (!(s->l1[l1_idx] & QCOW_OFLAG_COPIED)) {
            /* No snapshots share it (those images are read-only here). */
            s->l1[l1_idx] |= QCOW_OFLAG_COPIED;
            s->l1_dirty = true;
        }
    }
    qcow2_put_be64(table + l2_idx * 8, l2e);
    qcow2_cache_mark_dirty(&s->l2_cache, table);
    return 0;
}

void qcow2_release_entry(Qcow2State *s, uint64_t l2e)
{
    uint64_t off, bytes;

    switch (qcow2_cluster_type(s, l2e)) {
    case QCOW2_CLUSTER_NORMAL:
    case QCOW2_CLUSTER_ZERO_ALLOC:
        qcow2_free_deferred(s, l2e & L2E_OFFSET_MASK, s->cluster_size);
        break;
    case QCOW2_CLUSTER_COMPRESSED:
        qcow2_compressed_extent(s, l2e, &off, &bytes);
        /* The last sectors may lie past the end of the file, uncounted. */
        bytes = MIN(bytes, s->frontier - off);
        qcow2_free_deferred(s, off, bytes);
        break;
    default:
        break;
    }
}

int qcow2_write_l1(Qcow2State *s)
{
    size_t len = (size_t)s->l1_size * 8;
    uint8_t *buf = blk_alloc_aligned(len);
    int ret;

    for (uint32_t i = 0; i < s->l1_size; i++) {
        qcow2_put_be64(buf + i * 8, s->l1[i]);
    }
    ret = bdrv_pwrite(s->file, s->l1_offset, buf, len);
    s->need_sync = true;
    blk_free_aligned(buf);
    if (ret == 0) {
        s->l1_dirty = false;
    }
    return ret;
}

int qcow2_walk_references(Qcow2State *s, void (*fn)(uint64_t offset, uint64_t bytes,
                                                     bool compressed, void *arg),
                          void *arg)
{
    uint64_t l2_entries = 1ull << s->l2_bits;

    for (uint32_t i = 0; i < s->l1_size; i++) {
        uint64_t l2_off;
        uint8_t *table;
        int ret = qcow2_l2_table_offset(s, i, &l2_off);

        if (ret < 0) {
            return ret;
        }
        if (!l2_off) {
            continue;
        }
        fn(l2_off, s->cluster_size, false, arg);
        ret = qcow2_cache_get(s, &s->l2_cache, l2_off, &table);
        if (ret < 0) {
            return ret;
        }
        for (uint64_t j = 0; j < l2_entries; j++) {
            uint64_t e = qcow2_be64(table + j * 8);
            uint64_t off, bytes;

            ret = qcow2_check_entry(s, e);
            if (ret < 0) {
                return ret;
            }
            switch (qcow2_cluster_type(s, e)) {
            case QCOW2_CLUSTER_NORMAL:
            case QCOW2_CLUSTER_ZERO_ALLOC:
                fn(e & L2E_OFFSET_MASK, s->cluster_size, false, arg);
                break;
            case QCOW2_CLUSTER_COMPRESSED:
                qcow2_compressed_extent(s, e, &off, &bytes);
                fn(off, bytes, true, arg);
                break;
            default:
                break;
            }
        }
    }
    return 0;
}
