/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -drive: turns "file=...,format=...,if=...,id=..." into an open
 * BlockBackend registered under an id, for devices to find by their
 * "drive" property and for "info block" to list.
 */
#ifndef BLOCK_DRIVE_H
#define BLOCK_DRIVE_H

#include "block/block.h"
#include "util/keyval.h"

#include <stdbool.h>

typedef enum {
    DRIVE_IF_VIRTIO,    /* the board creates a virtio-blk device for it */
    DRIVE_IF_NONE,      /* a -device names it with drive=ID */
} DriveInterface;

typedef struct DriveInfo {
    char *id;
    char *file;
    DriveInterface iface;
    int index;          /* unit among drives of the same interface */
    char *aio;          /* "threads" or "io_uring" (both run on the pool) */
    int flags;          /* BLK_* as opened */
    BlockBackend *blk;
} DriveInfo;

/*
 * Open and register a drive. Keys: file (required), format=raw|qcow2,
 * if=virtio|none, id, index, cache, readonly, snapshot, aio, discard,
 * media=disk. The default id is "virtio<N>" or "none<N>". Errors read
 * "-drive file=F: <reason>".
 */
bool drive_new_from_keyval(const KeyvalList *kv, GError **errp);

/* The backend of drive id, or NULL. */
BlockBackend *drive_find(const char *id);
const DriveInfo *drive_get(const char *id);
/* DevicePropLookup for PROP_TYPE_DRIVE: "drive 'ID' not found". */
void *drive_prop_lookup(const char *id, GError **errp);

/* Drives in creation order. */
void drive_foreach(void (*fn)(const DriveInfo *d, void *opaque), void *opaque);
/* "ID: FILE (FORMAT)[, read-only][, snapshot]\n    Cache mode: MODE\n" for info block. */
char *drive_describe(const DriveInfo *d);

/* Close every drive (drains and flushes), for exit and tests. */
void drive_close_all(void);

#endif
