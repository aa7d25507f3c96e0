/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -drive option parsing and the registry of open drives. Every option is
 * read through the KeyvalList so that anything left over is reported as
 * an unknown parameter; every error names the drive by its file.
 */
#include "block/drive.h"
#include "util/error.h"

#include <string.h>

/* The process's drives, like the chardev id registry. */
static GPtrArray *drives;

static DriveInfo *drive_lookup(const char *id)
{
    for (guint i = 0; drives && i < drives->len; i++) {
        DriveInfo *d = g_ptr_array_index(drives, i);

        if (!strcmp(d->id, id)) {
            return d;
        }
    }
    return NULL;
}

static bool drive_id_wellformed(const char *id)
{
    if (!g_ascii_isalpha(id[0])) {
        return false;
    }
    for (const char *p = id; *p; p++) {
        if (!g_ascii_isalnum(*p) && !strchr("-._", *p)) {
            return false;
        }
    }
    return true;
}

#define DRIVE_FAIL(...)                                                       \
    do {                                                                      \
        g_autofree char *m_ = g_strdup_printf(__VA_ARGS__);                   \
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "%s: %s", ctx, m_); \
        return false;                                                         \
    } while (0)

/* Re-raise a helper's error with the drive context in front. */
static bool drive_prefix_error(GError **errp, GError *local, const char *ctx)
{
    g_set_error(errp, TERN_ERROR, local->code, "%s: %s", ctx, local->message);
    g_error_free(local);
    return false;
}

bool drive_new_from_keyval(const KeyvalList *kv, GError **errp)
{
    const char *file = keyval_get(kv, "file");
    const char *format = keyval_get(kv, "format");
    const char *iface = keyval_get(kv, "if");
    const char *id = keyval_get(kv, "id");
    const char *cache = keyval_get(kv, "cache");
    const char *aio = keyval_get(kv, "aio");
    const char *discard = keyval_get(kv, "discard");
    const char *media = keyval_get(kv, "media");
    g_autofree char *ctx = file ? g_strdup_printf("-drive file=%s", file) : g_strdup("-drive");
    g_autofree char *gen_id = NULL;
    GError *local = NULL;
    bool readonly, snapshot;
    DriveInterface ifc = DRIVE_IF_VIRTIO;
    uint64_t index = 0;
    BlockBackend *blk;
    DriveInfo *d;
    int flags = 0;

    if (!keyval_get_bool(kv, "readonly", false, &readonly, &local) ||
        !keyval_get_bool(kv, "snapshot", false, &snapshot, &local) ||
        !keyval_get_uint(kv, "index", UINT64_MAX, &index, &local)) {
        return drive_prefix_error(errp, local, ctx);
    }
    if (!keyval_check_unused(kv, ctx, errp)) {
        return false;
    }
    if (!file || !*file) {
        DRIVE_FAIL("parameter 'file' is missing");
    }
    if (format && strcmp(format, "raw") && strcmp(format, "qcow2")) {
        DRIVE_FAIL("unknown format '%s' (raw, qcow2)", format);
    }
    if (iface && !strcmp(iface, "none")) {
        ifc = DRIVE_IF_NONE;
    } else if (iface && strcmp(iface, "virtio")) {
        DRIVE_FAIL("interface 'if=%s' is not supported (virtio, none)", iface);
    }
    if (media && strcmp(media, "disk")) {
        DRIVE_FAIL("media '%s' is not supported (disk)", media);
    }
    if (cache && !blk_parse_cache_mode(cache, &flags, &local)) {
        return drive_prefix_error(errp, local, ctx);
    }
    if (aio && strcmp(aio, "threads") && strcmp(aio, "io_uring")) {
        DRIVE_FAIL("invalid aio mode '%s' (threads, io_uring)", aio);
    }
    if (discard) {
        if (!strcmp(discard, "unmap") || !strcmp(discard, "on")) {
            flags |= BLK_DISCARD_UNMAP;
        } else if (strcmp(discard, "ignore") && strcmp(discard, "off")) {
            DRIVE_FAIL("invalid discard mode '%s' (ignore, unmap)", discard);
        }
    }
    if (readonly) {
        flags |= BLK_READONLY;
    }
    if (snapshot) {
        flags |= BLK_SNAPSHOT;
    }
    if (index == UINT64_MAX) {
        /* The next free unit of this interface. */
        index = 0;
        for (guint i = 0; drives && i < drives->len; i++) {
            DriveInfo *o = g_ptr_array_index(drives, i);

            if (o->iface == ifc && (uint64_t)o->index >= index) {
                index = o->index + 1;
            }
        }
    } else if (index > 1023) {
        DRIVE_FAIL("index %" G_GUINT64_FORMAT " is out of range", index);
    }
    if (!id) {
        gen_id = g_strdup_printf("%s%" G_GUINT64_FORMAT,
                                 ifc == DRIVE_IF_VIRTIO ? "virtio" : "none", index);
        id = gen_id;
    } else if (!drive_id_wellformed(id)) {
        DRIVE_FAIL("invalid id '%s' (letters, digits, '-', '.', '_', starting with a letter)",
                   id);
    }
    if (drive_lookup(id)) {
        DRIVE_FAIL("duplicate drive id '%s'", id);
    }
    blk = blk_open(file, format, flags, &local);
    if (!blk) {
        return drive_prefix_error(errp, local, ctx);
    }
    d = g_new0(DriveInfo, 1);
    d->id = g_strdup(id);
    d->file = g_strdup(file);
    d->iface = ifc;
    d->index = index;
    d->aio = g_strdup(aio ? aio : "threads");
    d->flags = flags;
    d->blk = blk;
    if (!drives) {
        drives = g_ptr_array_new();
    }
    g_ptr_array_add(drives, d);
    return true;
}

BlockBackend *drive_find(const char *id)
{
    DriveInfo *d = drive_lookup(id);

    return d ? d->blk : NULL;
}

const DriveInfo *drive_get(const char *id)
{
    return drive_lookup(id);
}

void *drive_prop_lookup(const char *id, GError **errp)
{
    BlockBackend *blk = drive_find(id);

    if (!blk) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_NOT_FOUND, "drive '%s' not found", id);
    }
    return blk;
}

void drive_foreach(void (*fn)(const DriveInfo *d, void *opaque), void *opaque)
{
    for (guint i = 0; drives && i < drives->len; i++) {
        fn(g_ptr_array_index(drives, i), opaque);
    }
}

char *drive_describe(const DriveInfo *d)
{
    return g_strdup_printf("%s: %s (%s)%s%s\n    Cache mode:       %s\n",
                           d->id, d->file, blk_format_name(d->blk),
                           (d->flags & BLK_READONLY) ? ", read-only" : "",
                           (d->flags & BLK_SNAPSHOT) ? ", snapshot" : "",
                           blk_cache_mode_name(d->flags));
}

void drive_close_all(void)
{
    for (guint i = 0; drives && i < drives->len; i++) {
        DriveInfo *d = g_ptr_array_index(drives, i);

        blk_close(d->blk);
        g_free(d->id);
        g_free(d->file);
        g_free(d->aio);
        g_free(d);
    }
    if (drives) {
        g_ptr_array_free(drives, TRUE);
        drives = NULL;
    }
}
