/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qcow2 (versions 2 and 3) images: header parsing and checks at open,
 * guest reads and writes, zeroing and discard, the metadata caches, the
 * dirty bit, image creation, and the order in which metadata reaches the
 * disk. That order is what keeps an image consistent across a crash:
 *
 *   1. guest data goes to newly allocated clusters first;
 *   2. refcount blocks (then the refcount table, then the header if the
 *      table moved) are written and the file flushed;
 *   3. only then are dirty L2 tables written, and the file flushed;
 *   4. then the L1 table; a final flush;
 *   5. only now are clusters whose references were dropped freed.
 *
 * A crash between any two steps leaves clusters counted but unused
 * (leaks), never a reference to an uncounted cluster.
 */
#include "block/qcow2.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

static uint32_t be32_at(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = v >> 24;
    p[1] = v >> 16;
    p[2] = v >> 8;
    p[3] = v;
}

/* ---- metadata caches ---- */

void qcow2_cache_init(Qcow2Cache *c, int n, size_t cluster_size, bool is_l2)
{
    c->entries = g_new0(Qcow2CacheEntry, n);
    c->n = n;
    c->is_l2 = is_l2;
    for (int i = 0; i < n; i++) {
        c->entries[i].data = blk_alloc_aligned(cluster_size);
    }
}

void qcow2_cache_destroy(Qcow2Cache *c)
{
    for (int i = 0; i < c->n; i++) {
        blk_free_aligned(c->entries[i].data);
    }
    g_free(c->entries);
    c->entries = NULL;
    c->n = 0;
}

static int qcow2_cache_write_entry(Qcow2State *s, Qcow2Cache *c, Qcow2CacheEntry *e,
                                   bool deps_done)
{
    int ret;

    if (c->is_l2 && !deps_done) {
        ret = qcow2_refcount_writeback(s);
        if (ret == 0 && s->l2_deps_pending) {
            ret = qcow2_sync(s);
        }
        if (ret < 0) {
            return ret;
        }
    }
    ret = bdrv_pwrite(s->file, e->offset, e->data, s->cluster_size);
    s->need_sync = true;
    if (!c->is_l2) {
        s->l2_deps_pending = true;
    }
    if (ret == 0) {
        e->dirty = false;
    }
    return ret;
}

static Qcow2CacheEntry *qcow2_cache_find(Qcow2Cache *c, uint64_t offset)
{
    for (int i = 0; i < c->n; i++) {
        if (c->entries[i].offset == offset) {
            return &c->entries[i];
        }
    }
    return NULL;
}

static int qcow2_cache_victim(Qcow2State *s, Qcow2Cache *c, Qcow2CacheEntry **out)
{
    Qcow2CacheEntry *v = NULL;

    for (int i = 0; i < c->n; i++) {
        Qcow2CacheEntry *e = &c->entries[i];

        if (!e->offset) {
            v = e;
            break;
        }
        if (!v || e->lru < v->lru) {
            v = e;
        }
    }
    if (v->offset && v->dirty) {
        int ret = qcow2_cache_write_entry(s, c, v, false);

        if (ret < 0) {
            return ret;
        }
    }
    v->offset = 0;
    *out = v;
    return 0;
}

int qcow2_cache_get(Qcow2State *s, Qcow2Cache *c, uint64_t offset, uint8_t **table)
{
    Qcow2CacheEntry *e = qcow2_cache_find(c, offset);
    int ret;

    if (!e) {
        ret = qcow2_cache_victim(s, c, &e);
        if (ret < 0) {
            return ret;
        }
        ret = bdrv_pread(s->file, offset, e->data, s->cluster_size);
        if (ret < 0) {
            return ret;
        }
        e->offset = offset;
        e->dirty = false;
    }
    e->lru = ++c->lru_clock;
    *table = e->data;
    return 0;
}

int qcow2_cache_get_empty(Qcow2State *s, Qcow2Cache *c, uint64_t offset, uint8_t **table)
{
    Qcow2CacheEntry *e = qcow2_cache_find(c, offset);
    int ret;

    if (!e) {
        ret = qcow2_cache_victim(s, c, &e);
        if (ret < 0) {
            return ret;
        }
        e->offset = offset;
    }
    memset(e->data, 0, s->cluster_size);
    e->dirty = true;
    e->lru = ++c->lru_clock;
    *table = e->data;
    return 0;
}

void qcow2_cache_mark_dirty(Qcow2Cache *c, const uint8_t *table)
{
    for (int i = 0; i < c->n; i++) {
        if (c->entries[i].data == table) {
            c->entries[i].dirty = true;
            return;
        }
    }
    g_assert_not_reached();
}

bool qcow2_cache_has_dirty(Qcow2Cache *c)
{
    for (int i = 0; i < c->n; i++) {
        if (c->entries[i].offset && c->entries[i].dirty) {
            return true;
        }
    }
    return false;
}

int qcow2_cache_writeback(Qcow2State *s, Qcow2Cache *c)
{
    bool deps_done = false;

    for (int i = 0; i < c->n; i++) {
        Qcow2CacheEntry *e = &c->entries[i];
        int ret;

        if (!e->offset || !e->dirty) {
            continue;
        }
        ret = qcow2_cache_write_entry(s, c, e, deps_done);
        if (ret < 0) {
            return ret;
        }
        deps_done = true;
    }
    return 0;
}

void qcow2_cache_discard(Qcow2Cache *c, uint64_t offset)
{
    Qcow2CacheEntry *e = qcow2_cache_find(c, offset);

    if (e) {
        e->offset = 0;
        e->dirty = false;
    }
}

/* ---- helpers ---- */

int qcow2_sync(Qcow2State *s)
{
    int ret;

    if (!s->need_sync) {
        return 0;
    }
    ret = bdrv_flush(s->file);
    if (ret == 0) {
        s->need_sync = false;
        s->l2_deps_pending = false;
    }
    return ret;
}

static int qcow2_write_header_u64(Qcow2State *s, uint64_t offset, uint64_t v)
{
    uint8_t buf[8];
    int ret;

    qcow2_put_be64(buf, v);
    ret = bdrv_pwrite(s->file, offset, buf, 8);
    s->need_sync = true;
    return ret;
}

int qcow2_signal_corruption(Qcow2State *s, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    if (s->corrupt) {
        return -EIO;
    }
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    s->corrupt = true;
    fprintf(stderr, "tern: qcow2 image '%s' is corrupt: %s%s\n", s->filename, msg,
            s->read_only ? "" : "; further writes are refused");
    if (!s->read_only && s->version >= 3) {
        s->incompat |= QCOW2_INCOMPAT_CORRUPT;
        if (qcow2_write_header_u64(s, QCOW2_HDR_INCOMPAT, s->incompat) == 0) {
            bdrv_flush(s->file);
        }
    }
    return -EIO;
}

/* Set the dirty bit on disk before the first change to the image. */
static int qcow2_mark_dirty(Qcow2State *s)
{
    int ret;

    if (s->dirty_set || s->version < 3) {
        return 0;
    }
    s->incompat |= QCOW2_INCOMPAT_DIRTY;
    ret = qcow2_write_header_u64(s, QCOW2_HDR_INCOMPAT, s->incompat);
    if (ret == 0) {
        ret = qcow2_sync(s);
    }
    if (ret == 0) {
        s->dirty_set = true;
    }
    return ret;
}

static int qcow2_probe(const uint8_t *buf, size_t len)
{
    return len >= 4 && be32_at(buf) == QCOW2_MAGIC ? 100 : 0;
}

/* ---- open / close ---- */

#define OPEN_FAIL(code, ...)                                                  \
    do {                                                                      \
        g_autofree char *m_ = g_strdup_printf(__VA_ARGS__);                   \
        g_set_error(errp, TERN_ERROR, (code), "Could not open '%s': %s",      \
                    filename, m_);                                            \
        goto fail;                                                            \
    } while (0)

static bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return a < b + blen && b < a + alen;
}

static void qcow2_free_state(Qcow2State *s)
{
    if (s->l2_cache.entries) {
        qcow2_cache_destroy(&s->l2_cache);
    }
    if (s->rb_cache.entries) {
        qcow2_cache_destroy(&s->rb_cache);
    }
    bdrv_close(s->backing);
    bdrv_close(s->file);
    if (s->pending_frees) {
        g_array_free(s->pending_frees, TRUE);
    }
    blk_free_aligned(s->zcache);
    g_free(s->l1);
    g_free(s->rt);
    g_free(s->backing_name);
    g_free(s->backing_fmt);
    g_free(s->filename);
    g_mutex_clear(&s->lock);
    g_free(s);
}

static bool qcow2_parse_extensions(Qcow2State *s, const char *filename,
                                   const uint8_t *hdr, size_t len, GError **errp)
{
    size_t off = s->version >= 3 ? s->header_length : QCOW2_V2_HEADER_LEN;

    while (off + 8 <= len) {
        uint32_t type = be32_at(hdr + off);
        uint32_t elen = be32_at(hdr + off + 4);

        if (type == QCOW2_EXT_END) {
            return true;
        }
        if (elen > len - off - 8) {
            OPEN_FAIL(TERN_ERROR_INVALID, "header extension %#x overflows the header cluster",
                      type);
        }
        switch (type) {
        case QCOW2_EXT_BACKING_FMT:
            g_free(s->backing_fmt);
            s->backing_fmt = g_strndup((const char *)hdr + off + 8, elen);
            break;
        case QCOW2_EXT_DATA_FILE:
            OPEN_FAIL(TERN_ERROR_UNSUPPORTED, "external data files are not supported");
        case QCOW2_EXT_CRYPTO:
            OPEN_FAIL(TERN_ERROR_UNSUPPORTED, "encrypted images are not supported");
        default:
            break;      /* feature names, bitmaps...: not needed */
        }
        off += 8 + ((elen + 7) & ~7u);
    }
    return true;
fail:
    return false;
}

static bool qcow2_parse_header(Qcow2State *s, const char *filename, const uint8_t *hdr,
                               size_t hlen, uint64_t flen, GError **errp)
{
    uint64_t l1_needed, crypt;

    s->version = be32_at(hdr + 4);
    s->backing_name_offset = qcow2_be64(hdr + 8);
    s->backing_name_size = be32_at(hdr + 16);
    s->cluster_bits = be32_at(hdr + 20);
    s->size = qcow2_be64(hdr + 24);
    crypt = be32_at(hdr + 32);
    s->l1_size = be32_at(hdr + 36);
    s->l1_offset = qcow2_be64(hdr + 40);
    s->rt_offset = qcow2_be64(hdr + 48);
    s->rt_clusters = be32_at(hdr + 56);
    s->nb_snapshots = be32_at(hdr + 60);

    if (s->version != 2 && s->version != 3) {
        OPEN_FAIL(TERN_ERROR_UNSUPPORTED, "unsupported qcow2 version %d", s->version);
    }
    if (s->cluster_bits < QCOW2_MIN_CLUSTER_BITS || s->cluster_bits > QCOW2_MAX_CLUSTER_BITS) {
        OPEN_FAIL(TERN_ERROR_INVALID, "invalid cluster size (cluster_bits %d)", s->cluster_bits);
    }
    s->cluster_size = 1ull << s->cluster_bits;
    s->l2_bits = s->cluster_bits - 3;
    if (s->version == 2) {
        s->header_length = QCOW2_V2_HEADER_LEN;
        s->refcount_order = 4;
    } else {
        if (hlen < QCOW2_V3_HEADER_LEN) {
            OPEN_FAIL(TERN_ERROR_INVALID, "file too short for a qcow2 v3 header");
        }
        s->incompat = qcow2_be64(hdr + 72);
        s->compat = qcow2_be64(hdr + 80);
        s->autoclear = qcow2_be64(hdr + 88);
        s->refcount_order = be32_at(hdr + 96);
        s->header_length = be32_at(hdr + 100);
        if (s->header_length < QCOW2_V3_HEADER_LEN || (s->header_length & 7) ||
            s->header_length > s->cluster_size) {
            OPEN_FAIL(TERN_ERROR_INVALID, "invalid header length %u", s->header_length);
        }
        if (s->incompat & ~0x1full) {
            OPEN_FAIL(TERN_ERROR_UNSUPPORTED, "unsupported qcow2 incompatible feature bits %#"
                      G_GINT64_MODIFIER "x", (uint64_t)(s->incompat & ~0x1full));
        }
        if (s->incompat & QCOW2_INCOMPAT_DATA_FILE) {
            OPEN_FAIL(TERN_ERROR_UNSUPPORTED, "external data files are not supported");
        }
        if (s->incompat & QCOW2_INCOMPAT_EXTL2) {
            OPEN_FAIL(TERN_ERROR_UNSUPPORTED, "extended L2 entries are not supported");
        }
        if (s->header_length > 104 && hdr[104] != 0) {
            OPEN_FAIL(TERN_ERROR_UNSUPPORTED, "compression type %u is not supported (only zlib)",
                      hdr[104]);
        }
        if ((s->incompat & QCOW2_INCOMPAT_CORRUPT) && !s->read_only) {
            OPEN_FAIL(TERN_ERROR_INVALID, "image is marked corrupt; repair it with "
                      "'qemu-img check -r all' or open it read-only");
        }
    }
    if (s->refcount_order > 6) {
        OPEN_FAIL(TERN_ERROR_INVALID, "invalid refcount order %d", s->refcount_order);
    }
    if (crypt) {
        OPEN_FAIL(TERN_ERROR_UNSUPPORTED, "encrypted images are not supported");
    }
    if (s->size > (1ull << 61)) {
        OPEN_FAIL(TERN_ERROR_INVALID, "image size %" G_GUINT64_FORMAT " is too large", s->size);
    }
    l1_needed = (s->size + (1ull << (s->cluster_bits + s->l2_bits)) - 1) >>
                (s->cluster_bits + s->l2_bits);
    if (s->l1_size < l1_needed) {
        OPEN_FAIL(TERN_ERROR_INVALID, "L1 table is too small for the image size");
    }
    if (s->l1_size > (32u << 20) / 8) {
        OPEN_FAIL(TERN_ERROR_INVALID, "L1 table is too large");
    }
    if (s->l1_size) {
        if (qcow2_offset_into_cluster(s, s->l1_offset)) {
            OPEN_FAIL(TERN_ERROR_INVALID, "L1 table offset is not cluster aligned");
        }
        if (s->l1_offset < s->cluster_size) {
            OPEN_FAIL(TERN_ERROR_INVALID, "L1 table overlaps the image header");
        }
        if (s->l1_offset + (uint64_t)s->l1_size * 8 > flen) {
            OPEN_FAIL(TERN_ERROR_INVALID, "L1 table is past the end of the file");
        }
    }
    if (qcow2_offset_into_cluster(s, s->rt_offset) || s->rt_clusters == 0) {
        OPEN_FAIL(TERN_ERROR_INVALID, "invalid refcount table");
    }
    if (s->rt_offset < s->cluster_size) {
        OPEN_FAIL(TERN_ERROR_INVALID, "refcount table overlaps the image header");
    }
    if (s->rt_clusters > ((8u << 20) >> s->cluster_bits) && s->rt_clusters > 1) {
        OPEN_FAIL(TERN_ERROR_INVALID, "refcount table is too large");
    }
    if (s->rt_offset + ((uint64_t)s->rt_clusters << s->cluster_bits) > flen) {
        OPEN_FAIL(TERN_ERROR_INVALID, "refcount table is past the end of the file");
    }
    if (s->l1_size && ranges_overlap(s->l1_offset, (uint64_t)s->l1_size * 8, s->rt_offset,
                                     (uint64_t)s->rt_clusters << s->cluster_bits)) {
        OPEN_FAIL(TERN_ERROR_INVALID, "refcount table overlaps the L1 table");
    }
    if (s->backing_name_offset) {
        if (s->backing_name_size > 1023 ||
            s->backing_name_offset + s->backing_name_size > MIN(hlen, s->cluster_size)) {
            OPEN_FAIL(TERN_ERROR_INVALID, "invalid backing file name");
        }
        s->backing_name = g_strndup((const char *)hdr + s->backing_name_offset,
                                    s->backing_name_size);
    } else {
        s->backing_name_size = 0;
    }
    if (s->nb_snapshots && !s->read_only) {
        OPEN_FAIL(TERN_ERROR_UNSUPPORTED, "images with internal snapshots can only be opened read-only");
    }
    s->rb_bits = s->cluster_bits + 3 - s->refcount_order;
    s->refcount_max = s->refcount_order == 6 ? UINT64_MAX : (1ull << (1 << s->refcount_order)) - 1;
    return qcow2_parse_extensions(s, filename, hdr, MIN(hlen, s->cluster_size), errp);
fail:
    return false;
}

static bool qcow2_open_backing(Qcow2State *s, const char *filename, int flags,
                               int depth, GError **errp)
{
    BdrvOpenOptions bo = { .depth = depth + 1 };
    g_autofree char *path = NULL;
    GError *local = NULL;

    if (depth + 1 > BDRV_MAX_BACKING_DEPTH) {
        OPEN_FAIL(TERN_ERROR_INVALID, "backing chain is too deep (a loop?)");
    }
    if (g_path_is_absolute(s->backing_name)) {
        path = g_strdup(s->backing_name);
    } else {
        g_autofree char *dir = g_path_get_dirname(filename);

        path = g_build_filename(dir, s->backing_name, NULL);
    }
    s->backing = bdrv_open(path, s->backing_fmt,
                           BLK_READONLY | (flags & (BLK_NOCACHE | BLK_NO_FLUSH)), &bo, &local);
    if (!s->backing) {
        OPEN_FAIL(TERN_ERROR_NOT_FOUND, "backing file: %s", local->message);
    }
    return true;
fail:
    g_clear_error(&local);
    return false;
}

static bool qcow2_open(BlockDriverState *bs, const char *filename, int flags,
                       const BdrvOpenOptions *opts, GError **errp)
{
    Qcow2State *s = g_new0(Qcow2State, 1);
    uint8_t *hdr = NULL;
    size_t hlen;
    int64_t flen;
    int ret;

    g_mutex_init(&s->lock);
    s->filename = g_strdup(filename);
    s->read_only = flags & BLK_READONLY;
    s->backing = opts->backing;
    s->pending_frees = g_array_new(FALSE, FALSE, sizeof(Qcow2Extent));
    s->file = bdrv_open(filename, "raw", flags & (BLK_READONLY | BLK_NOCACHE | BLK_NO_FLUSH),
                        NULL, errp);
    if (!s->file) {
        goto fail;
    }
    flen = bdrv_getlength(s->file);
    if (flen < 0) {
        OPEN_FAIL(TERN_ERROR_IO, "%s", g_strerror((int)-flen));
    }
    if (flen < QCOW2_V2_HEADER_LEN) {
        OPEN_FAIL(TERN_ERROR_INVALID, "file is too short to be a qcow2 image");
    }
    hlen = MIN((uint64_t)flen, 1u << QCOW2_MAX_CLUSTER_BITS);
    hdr = g_malloc(hlen);
    ret = bdrv_pread(s->file, 0, hdr, hlen);
    if (ret < 0) {
        OPEN_FAIL(TERN_ERROR_IO, "%s", g_strerror(-ret));
    }
    if (be32_at(hdr) != QCOW2_MAGIC) {
        OPEN_FAIL(TERN_ERROR_INVALID, "not a qcow2 image (bad magic)");
    }
    if (!qcow2_parse_header(s, filename, hdr, hlen, flen, errp)) {
        goto fail;
    }
    s->frontier = qcow2_align_up(s, flen);

    s->l1 = g_new0(uint64_t, MAX(s->l1_size, 1));
    if (s->l1_size) {
        uint8_t *buf = g_malloc((size_t)s->l1_size * 8);

        ret = bdrv_pread(s->file, s->l1_offset, buf, (size_t)s->l1_size * 8);
        for (uint32_t i = 0; i < s->l1_size; i++) {
            s->l1[i] = qcow2_be64(buf + i * 8);
        }
        g_free(buf);
        if (ret < 0) {
            OPEN_FAIL(TERN_ERROR_IO, "reading the L1 table: %s", g_strerror(-ret));
        }
    }
    if (qcow2_refcount_load(s, errp) < 0) {
        goto fail;
    }
    qcow2_cache_init(&s->l2_cache, CLAMP((8u << 20) >> s->cluster_bits, 8, 128),
                     s->cluster_size, true);
    qcow2_cache_init(&s->rb_cache, CLAMP((1u << 20) >> s->cluster_bits, 4, 16),
                     s->cluster_size, false);
    s->zcache = blk_alloc_aligned(s->cluster_size);

    if (s->backing_name && !s->backing &&
        !qcow2_open_backing(s, filename, flags, opts->depth, errp)) {
        goto fail;
    }

    if (!s->read_only) {
        /*
         * A set dirty bit means the last writer did not close the image:
         * its refcounts may be off, so they are recounted before use.
         */
        if (s->incompat & QCOW2_INCOMPAT_DIRTY) {
            if (!qcow2_rebuild_refcounts(s, errp)) {
                goto fail;
            }
            s->incompat &= ~QCOW2_INCOMPAT_DIRTY;
            ret = qcow2_write_header_u64(s, QCOW2_HDR_INCOMPAT, s->incompat);
            if (ret == 0) {
                ret = qcow2_sync(s);
            }
            if (ret < 0) {
                OPEN_FAIL(TERN_ERROR_IO, "clearing the dirty bit: %s", g_strerror(-ret));
            }
        }
        /* Autoclear features we do not maintain become invalid once we write. */
        if (s->version >= 3 && s->autoclear) {
            s->autoclear = 0;
            ret = qcow2_write_header_u64(s, QCOW2_HDR_AUTOCLEAR, 0);
            if (ret == 0) {
                ret = qcow2_sync(s);
            }
            if (ret < 0) {
                OPEN_FAIL(TERN_ERROR_IO, "updating the header: %s", g_strerror(-ret));
            }
        }
    }
    g_free(hdr);
    bs->opaque = s;
    return true;
fail:
    g_free(hdr);
    qcow2_free_state(s);
    return false;
}

/* Called with the lock held. */
static int qcow2_flush_locked(Qcow2State *s)
{
    int ret;

    if (s->read_only) {
        return 0;
    }
    ret = qcow2_refcount_writeback(s);
    if (ret == 0) {
        ret = qcow2_cache_writeback(s, &s->l2_cache);
    }
    if (ret == 0 && s->l1_dirty) {
        ret = qcow2_sync(s);
        if (ret == 0) {
            ret = qcow2_write_l1(s);
        }
    }
    if (ret == 0) {
        /* Unconditional: in-place guest writes need it too. */
        ret = bdrv_flush(s->file);
        if (ret == 0) {
            s->need_sync = false;
            s->l2_deps_pending = false;
        }
    }
    if (ret == 0) {
        ret = qcow2_apply_pending_frees(s);
    }
    return ret;
}

static int qcow2_flush(BlockDriverState *bs)
{
    Qcow2State *s = bs->opaque;
    int ret;

    g_mutex_lock(&s->lock);
    ret = qcow2_flush_locked(s);
    g_mutex_unlock(&s->lock);
    return ret;
}

static void qcow2_close(BlockDriverState *bs)
{
    Qcow2State *s = bs->opaque;

    if (!s->read_only) {
        g_mutex_lock(&s->lock);
        /* The second round writes the refcounts the first one freed. */
        int ret = qcow2_flush_locked(s);

        if (ret == 0) {
            ret = qcow2_flush_locked(s);
        }
        if (ret == 0 && s->dirty_set && !s->corrupt) {
            s->incompat &= ~QCOW2_INCOMPAT_DIRTY;
            if (qcow2_write_header_u64(s, QCOW2_HDR_INCOMPAT, s->incompat) == 0) {
                bdrv_flush(s->file);
            }
        }
        g_mutex_unlock(&s->lock);
    }
    qcow2_free_state(s);
}

static int64_t qcow2_getlength(BlockDriverState *bs)
{
    Qcow2State *s = bs->opaque;

    return s->size;
}

static int64_t qcow2_allocated_size(BlockDriverState *bs)
{
    Qcow2State *s = bs->opaque;

    return s->file->drv->allocated_size(s->file);
}

/* ---- reading ---- */

/* Decompress the cluster of l2e into s->zcache. Lock held. */
static int qcow2_load_compressed(Qcow2State *s, uint64_t l2e)
{
    uint64_t off, bytes;
    uint8_t *buf;
    int ret;

    if (s->zcache_entry == l2e) {
        return 0;
    }
    qcow2_compressed_extent(s, l2e, &off, &bytes);
    buf = g_malloc(bytes);
    ret = bdrv_pread(s->file, off, buf, bytes);
    if (ret == 0 && !qcow2_inflate(buf, bytes, s->zcache, s->cluster_size)) {
        s->zcache_entry = 0;
        g_free(buf);
        return qcow2_signal_corruption(s, "compressed cluster at %#" G_GINT64_MODIFIER
                                       "x does not decompress", off);
    }
    g_free(buf);
    s->zcache_entry = ret == 0 ? l2e : 0;
    return ret;
}

static int qcow2_read_backing(Qcow2State *s, uint64_t guest_off, const BlkIov *q)
{
    int64_t blen;
    uint64_t n;

    if (!s->backing) {
        blkiov_memset(q, 0, 0, q->size);
        return 0;
    }
    blen = bdrv_getlength(s->backing);
    if (blen < 0) {
        return (int)blen;
    }
    n = guest_off >= (uint64_t)blen ? 0 : MIN(q->size, (uint64_t)blen - guest_off);
    if (n) {
        struct iovec *iov = g_new(struct iovec, q->niov);
        BlkIov part;
        int ret;

        blkiov_slice(&part, iov, q, 0, n);
        ret = bdrv_preadv(s->backing, guest_off, &part);
        g_free(iov);
        if (ret < 0) {
            return ret;
        }
    }
    blkiov_memset(q, n, 0, q->size - n);
    return 0;
}

/* Read q->size bytes of one mapping run (type of l2e) at guest_off. */
static int qcow2_read_run(Qcow2State *s, uint64_t guest_off, uint64_t l2e,
                          const BlkIov *q, bool locked)
{
    uint64_t in_off = qcow2_offset_into_cluster(s, guest_off);
    int ret = 0;

    switch (qcow2_cluster_type(s, l2e)) {
    case QCOW2_CLUSTER_UNALLOCATED:
        return qcow2_read_backing(s, guest_off, q);
    case QCOW2_CLUSTER_ZERO_PLAIN:
    case QCOW2_CLUSTER_ZERO_ALLOC:
        blkiov_memset(q, 0, 0, q->size);
        return 0;
    case QCOW2_CLUSTER_NORMAL:
        return bdrv_preadv(s->file, (l2e & L2E_OFFSET_MASK) + in_off, q);
    case QCOW2_CLUSTER_COMPRESSED:
        if (!locked) {
            g_mutex_lock(&s->lock);
        }
        ret = qcow2_load_compressed(s, l2e);
        if (ret == 0) {
            blkiov_from_buf(q, 0, s->zcache + in_off, q->size);
        }
        if (!locked) {
            g_mutex_unlock(&s->lock);
        }
        return ret;
    }
    g_assert_not_reached();
}

static int qcow2_preadv(BlockDriverState *bs, uint64_t offset, const BlkIov *q)
{
    Qcow2State *s = bs->opaque;
    struct iovec *iov = g_new(struct iovec, MAX(q->niov, 1));
    uint64_t done = 0;
    int ret = 0;

    while (done < q->size) {
        uint64_t l2e, n;
        BlkIov piece;

        g_mutex_lock(&s->lock);
        ret = qcow2_get_mapping(s, offset + done, q->size - done, &l2e, &n);
        g_mutex_unlock(&s->lock);
        if (ret < 0) {
            break;
        }
        blkiov_slice(&piece, iov, q, done, n);
        ret = qcow2_read_run(s, offset + done, l2e, &piece, false);
        if (ret < 0) {
            break;
        }
        done += n;
    }
    g_free(iov);
    return ret;
}

/* ---- writing ---- */

/*
 * Give one guest cluster a fresh host cluster holding the old contents
 * overlaid with q (at guest_off). Lock held throughout, so no one else
 * allocates the same guest cluster meanwhile.
 */
static int qcow2_write_alloc(Qcow2State *s, uint64_t guest_off, uint64_t old_l2e,
                             const BlkIov *q)
{
    uint64_t in_off = qcow2_offset_into_cluster(s, guest_off);
    uint64_t cluster_start = guest_off - in_off;
    int64_t host;
    int ret;

    host = qcow2_alloc_clusters(s, 1);
    if (host < 0) {
        return (int)host;
    }
    if (in_off == 0 && q->size == s->cluster_size) {
        ret = bdrv_pwritev(s->file, host, q);
    } else {
        uint8_t *buf = blk_alloc_aligned(s->cluster_size);
        struct iovec iov;
        BlkIov whole;

        blkiov_init_buf(&whole, &iov, buf, s->cluster_size);
        ret = qcow2_read_run(s, cluster_start, old_l2e, &whole, true);
        if (ret == 0) {
            blkiov_to_buf(q, 0, buf + in_off, q->size);
            ret = bdrv_pwrite(s->file, host, buf, s->cluster_size);
        }
        blk_free_aligned(buf);
    }
    s->need_sync = true;
    s->l2_deps_pending = true;
    if (ret < 0) {
        return ret;     /* the new cluster leaks; the old mapping stands */
    }
    ret = qcow2_set_l2_entry(s, cluster_start, host | QCOW_OFLAG_COPIED);
    if (ret < 0) {
        return ret;
    }
    qcow2_release_entry(s, old_l2e);
    return 0;
}

static int qcow2_do_pwritev(Qcow2State *s, uint64_t offset, const BlkIov *q)
{
    struct iovec *iov = g_new(struct iovec, MAX(q->niov, 1));
    uint64_t done = 0;
    int ret = 0;

    while (done < q->size) {
        uint64_t off = offset + done;
        uint64_t l2e, n;
        BlkIov piece;

        g_mutex_lock(&s->lock);
        ret = s->corrupt ? -EIO : qcow2_get_mapping(s, off, q->size - done, &l2e, &n);
        if (ret < 0) {
            g_mutex_unlock(&s->lock);
            break;
        }
        if (qcow2_cluster_type(s, l2e) == QCOW2_CLUSTER_NORMAL && (l2e & QCOW_OFLAG_COPIED)) {
            uint64_t host = (l2e & L2E_OFFSET_MASK) + qcow2_offset_into_cluster(s, off);

            /* A data pointer into metadata would let the guest rewrite it. */
            for (uint64_t c = host & ~(s->cluster_size - 1); c < host + n && ret == 0;
                 c += s->cluster_size) {
                if (qcow2_is_metadata(s, c)) {
                    ret = qcow2_signal_corruption(s, "data cluster at %#" G_GINT64_MODIFIER
                                                  "x overlaps metadata", c);
                }
            }
            g_mutex_unlock(&s->lock);
            if (ret == 0) {
                blkiov_slice(&piece, iov, q, done, n);
                ret = bdrv_pwritev(s->file, host, &piece);
            }
        } else {
            n = MIN(n, s->cluster_size - qcow2_offset_into_cluster(s, off));
            blkiov_slice(&piece, iov, q, done, n);
            ret = qcow2_write_alloc(s, off, l2e, &piece);
            g_mutex_unlock(&s->lock);
        }
        if (ret < 0) {
            break;
        }
        done += n;
    }
    g_free(iov);
    return ret;
}

static int qcow2_begin_write(Qcow2State *s)
{
    int ret;

    g_mutex_lock(&s->lock);
    ret = s->corrupt ? -EIO : qcow2_mark_dirty(s);
    g_mutex_unlock(&s->lock);
    return ret;
}

static int qcow2_pwritev(BlockDriverState *bs, uint64_t offset, const BlkIov *q)
{
    Qcow2State *s = bs->opaque;
    int ret = qcow2_begin_write(s);

    return ret ? ret : qcow2_do_pwritev(s, offset, q);
}

static int qcow2_write_explicit_zeroes(Qcow2State *s, uint64_t offset, uint64_t bytes)
{
    uint8_t *zero = g_malloc0(bytes);
    struct iovec iov;
    BlkIov q;
    int ret;

    blkiov_init_buf(&q, &iov, zero, bytes);
    ret = qcow2_do_pwritev(s, offset, &q);
    g_free(zero);
    return ret;
}

/*
 * Zeroing and discarding whole clusters only rewrite L2 entries. Partial
 * clusters are written with zeros, or left alone by discard (which is
 * only a hint).
 */
static int qcow2_zero_or_discard(Qcow2State *s, uint64_t offset, uint64_t bytes,
                                 bool discard, int flags)
{
    int ret = qcow2_begin_write(s);

    while (ret == 0 && bytes) {
        uint64_t in_off = qcow2_offset_into_cluster(s, offset);
        uint64_t n = MIN(bytes, s->cluster_size - in_off);
        /* The tail of the last cluster is past the disk's end: never seen. */
        bool whole = in_off == 0 && (n == s->cluster_size || offset + n == s->size);
        uint64_t l2e, len, new_l2e;
        Qcow2ClusterType type;
        bool keep = false;

        if (!whole) {
            if (!discard) {
                ret = qcow2_write_explicit_zeroes(s, offset, n);
            }
            offset += n;
            bytes -= n;
            continue;
        }
        g_mutex_lock(&s->lock);
        ret = s->corrupt ? -EIO : qcow2_get_mapping(s, offset, n, &l2e, &len);
        if (ret < 0) {
            g_mutex_unlock(&s->lock);
            break;
        }
        type = qcow2_cluster_type(s, l2e);
        if (discard) {
            new_l2e = (s->backing && s->version >= 3) ? QCOW_OFLAG_ZERO : 0;
            if (type == QCOW2_CLUSTER_UNALLOCATED && new_l2e == 0) {
                new_l2e = l2e;
            }
        } else if (s->version < 3) {
            if (type == QCOW2_CLUSTER_UNALLOCATED && !s->backing) {
                new_l2e = l2e;
            } else {
                g_mutex_unlock(&s->lock);
                ret = qcow2_write_explicit_zeroes(s, offset, n);
                offset += n;
                bytes -= n;
                continue;
            }
        } else if (type == QCOW2_CLUSTER_ZERO_PLAIN || type == QCOW2_CLUSTER_ZERO_ALLOC ||
                   (type == QCOW2_CLUSTER_UNALLOCATED && !s->backing)) {
            new_l2e = l2e;
        } else if (type == QCOW2_CLUSTER_NORMAL && (l2e & QCOW_OFLAG_COPIED) &&
                   !(flags & BLK_ZERO_MAY_UNMAP)) {
            new_l2e = l2e | QCOW_OFLAG_ZERO;
            keep = true;
        } else {
            new_l2e = QCOW_OFLAG_ZERO;
        }
        if (new_l2e != l2e) {
            ret = qcow2_set_l2_entry(s, offset, new_l2e);
            if (ret == 0 && !keep) {
                qcow2_release_entry(s, l2e);
            }
        }
        g_mutex_unlock(&s->lock);
        offset += n;
        bytes -= n;
    }
    return ret;
}

static int qcow2_discard(BlockDriverState *bs, uint64_t offset, uint64_t bytes)
{
    return qcow2_zero_or_discard(bs->opaque, offset, bytes, true, 0);
}

static int qcow2_write_zeroes(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                              int flags)
{
    return qcow2_zero_or_discard(bs->opaque, offset, bytes, false, flags);
}

/* ---- creation ---- */

bool qcow2_create(const char *path, uint64_t size, const char *backing, GError **errp)
{
    Qcow2CreateOptions o = { .size = size, .backing = backing, .refcount_order = -1 };

    return qcow2_create_opts(path, &o, errp);
}

#define CREATE_FAIL(...)                                                      \
    do {                                                                      \
        g_autofree char *m_ = g_strdup_printf(__VA_ARGS__);                   \
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,                     \
                    "Could not create '%s': %s", path, m_);                   \
        goto fail;                                                            \
    } while (0)

bool qcow2_create_opts(const char *path, const Qcow2CreateOptions *o, GError **errp)
{
    int cb = o->cluster_bits ? o->cluster_bits : 16;
    int order = o->refcount_order < 0 ? 4 : o->refcount_order;
    int version = o->version ? o->version : 3;
    uint64_t size = o->size;
    g_autofree char *backing_fmt = g_strdup(o->backing_fmt);
    uint64_t cs, l1_size, l1_clusters, total, hoff;
    uint8_t *img = NULL;
    size_t img_len;
    int fd = -1;

    if (cb < QCOW2_MIN_CLUSTER_BITS || cb > QCOW2_MAX_CLUSTER_BITS) {
        CREATE_FAIL("cluster size must be a power of two between 512 and 2M");
    }
    if (order < 0 || order > 6 || (version == 2 && order != 4)) {
        CREATE_FAIL("invalid refcount order %d", order);
    }
    if (version != 2 && version != 3) {
        CREATE_FAIL("unsupported qcow2 version %d", version);
    }
    if (o->backing && (!size || !backing_fmt)) {
        g_autofree char *dir = g_path_get_dirname(path);
        g_autofree char *bpath = g_path_is_absolute(o->backing)
                                 ? g_strdup(o->backing)
                                 : g_build_filename(dir, o->backing, NULL);
        GError *local = NULL;
        BlockDriverState *b = bdrv_open(bpath, backing_fmt, BLK_READONLY, NULL, &local);
        int64_t blen;

        if (!b) {
            g_autofree char *m = g_strdup(local->message);

            g_clear_error(&local);
            CREATE_FAIL("backing file: %s", m);
        }
        blen = bdrv_getlength(b);
        if (!backing_fmt) {
            backing_fmt = g_strdup(b->drv->format_name);
        }
        bdrv_close(b);
        if (!size) {
            size = blen < 0 ? 0 : blen;
        }
    }
    if (size > (1ull << 61)) {
        CREATE_FAIL("image size is too large");
    }
    cs = 1ull << cb;
    l1_size = (size + (1ull << (2 * cb - 3)) - 1) >> (2 * cb - 3);
    l1_clusters = MAX((l1_size * 8 + cs - 1) / cs, 1);
    total = 3 + l1_clusters;
    if (total > (cs * 8) >> order || l1_size > (32u << 20) / 8) {
        CREATE_FAIL("image is too large for the cluster size");
    }
    img_len = total * cs;
    img = g_malloc0(img_len);

    /* Cluster 0: header, extensions, backing file name. */
    put_be32(img, QCOW2_MAGIC);
    put_be32(img + 4, version);
    put_be32(img + 20, cb);
    qcow2_put_be64(img + 24, size);
    put_be32(img + 36, l1_size);
    qcow2_put_be64(img + 40, 3 * cs);
    qcow2_put_be64(img + 48, cs);
    put_be32(img + 56, 1);
    hoff = QCOW2_V2_HEADER_LEN;
    if (version == 3) {
        put_be32(img + 96, order);
        put_be32(img + 100, 112);   /* includes the compression type byte */
        hoff = 112;
    }
    if (o->backing && backing_fmt) {
        size_t l = strlen(backing_fmt);

        put_be32(img + hoff, QCOW2_EXT_BACKING_FMT);
        put_be32(img + hoff + 4, l);
        memcpy(img + hoff + 8, backing_fmt, l);
        hoff += 8 + ((l + 7) & ~7u);
    }
    hoff += 8;  /* end-of-extensions marker, all zero */
    if (o->backing) {
        size_t l = strlen(o->backing);

        if (l > 1023 || hoff + l > cs) {
            CREATE_FAIL("backing file name is too long");
        }
        memcpy(img + hoff, o->backing, l);
        qcow2_put_be64(img + 8, hoff);
        put_be32(img + 16, l);
    }
    /* Cluster 1: refcount table; cluster 2: its one block. */
    qcow2_put_be64(img + cs, 2 * cs);
    for (uint64_t i = 0; i < total; i++) {
        qcow2_rb_set(order, img + 2 * cs, i, 1);
    }

    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_IO, "Could not create '%s': %s", path,
                    g_strerror(errno));
        goto fail;
    }
    for (size_t done = 0; done < img_len;) {
        ssize_t n = pwrite(fd, img + done, img_len - done, done);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_IO, "Could not create '%s': %s", path,
                        g_strerror(n < 0 ? errno : EIO));
            goto fail;
        }
        done += n;
    }
    if (fdatasync(fd) < 0 || close(fd) < 0) {
        fd = -1;
        g_set_error(errp, TERN_ERROR, TERN_ERROR_IO, "Could not create '%s': %s", path,
                    g_strerror(errno));
        goto fail;
    }
    g_free(img);
    return true;
fail:
    if (fd >= 0) {
        close(fd);
    }
    g_free(img);
    return false;
}

const BlockDriver bdrv_qcow2 = {
    .format_name = "qcow2",
    .probe = qcow2_probe,
    .open = qcow2_open,
    .close = qcow2_close,
    .getlength = qcow2_getlength,
    .preadv = qcow2_preadv,
    .pwritev = qcow2_pwritev,
    .flush = qcow2_flush,
    .discard = qcow2_discard,
    .write_zeroes = qcow2_write_zeroes,
    .allocated_size = qcow2_allocated_size,
};
