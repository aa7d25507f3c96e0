/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-blk: each chain is a request (header, data, status byte) turned
 * into one asynchronous block-layer request; its completion callback, in
 * the main thread, writes the status byte and returns the chain. Offered
 * features are the set Linux's driver uses with QEMU: SEG_MAX, BLK_SIZE,
 * FLUSH, TOPOLOGY, DISCARD, WRITE_ZEROES, and RO for read-only drives.
 * Malformed requests (no header or no status byte) break the device;
 * requests a driver may legitimately get wrong (out of range, misaligned,
 * writes to a read-only drive) only fail with IOERR or UNSUPP.
 */
#include <errno.h>
#include <string.h>

#include "hw/virtio/virtio-blk.h"
#include "util/error.h"
#include "util/log.h"

typedef struct VirtIOBlockReq {
    VirtQueueElement elem;
    VirtIOBlock *s;
    VirtQueue *vq;
    struct iovec *iov;          /* the data part of elem */
    unsigned iovcnt;
    uint32_t in_written;        /* bytes reported in the used ring */
} VirtIOBlockReq;

typedef struct VirtIOBlkOutHdr {
    uint32_t type;
    uint32_t ioprio;
    uint64_t sector;
} VirtIOBlkOutHdr;

static uint64_t virtio_blk_sectors(VirtIOBlock *s)
{
    int64_t len = blk_getlength(s->blk);

    return len > 0 ? (uint64_t)len / VIRTIO_BLK_SECTOR_SIZE : 0;
}

static bool virtio_blk_range_ok(VirtIOBlock *s, uint64_t sector, uint64_t bytes)
{
    uint64_t total = virtio_blk_sectors(s);

    if (bytes % VIRTIO_BLK_SECTOR_SIZE) {
        return false;
    }
    return sector <= total && bytes / VIRTIO_BLK_SECTOR_SIZE <= total - sector;
}

static void virtio_blk_complete(VirtIOBlockReq *req, uint8_t status)
{
    VirtQueueElement *elem = &req->elem;

    virtio_iov_from_buf(elem->in_sg, elem->in_num, elem->in_len - 1, &status, 1);
    virtqueue_push(req->vq, elem, req->in_written + 1);
    virtqueue_notify(req->vq);
    g_free(req->iov);
    g_free(req);
}

static void virtio_blk_done(void *opaque, int ret)
{
    VirtIOBlockReq *req = opaque;

    if (ret < 0) {
        log_mask(LOG_GUEST_ERROR, "%s: request failed: %s\n", req->s->parent.name,
                 g_strerror(-ret));
        req->in_written = 0;
    }
    virtio_blk_complete(req, ret < 0 ? VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_OK);
}

/* One discard / write-zeroes segment (only one per request is offered). */
static void virtio_blk_handle_dwz(VirtIOBlockReq *req, bool zeroes)
{
    VirtIOBlock *s = req->s;
    VirtQueueElement *elem = &req->elem;
    uint8_t seg[16];
    uint64_t sector;
    uint32_t nsect, flags;
    size_t seglen = elem->out_len - sizeof(VirtIOBlkOutHdr);

    if (!virtio_has_feature(&s->parent, zeroes ? VIRTIO_BLK_F_WRITE_ZEROES
                                                : VIRTIO_BLK_F_DISCARD)) {
        virtio_blk_complete(req, VIRTIO_BLK_S_UNSUPP);
        return;
    }
    if (seglen != sizeof(seg)) {
        /* Zero or several segments: we advertised a maximum of one. */
        virtio_blk_complete(req, seglen && !(seglen % sizeof(seg)) ? VIRTIO_BLK_S_UNSUPP
                                                                   : VIRTIO_BLK_S_IOERR);
        return;
    }
    virtio_iov_to_buf(elem->out_sg, elem->out_num, sizeof(VirtIOBlkOutHdr), seg, sizeof(seg));
    memcpy(&sector, seg, 8);
    memcpy(&nsect, seg + 8, 4);
    memcpy(&flags, seg + 12, 4);
    sector = GUINT64_FROM_LE(sector);
    nsect = GUINT32_FROM_LE(nsect);
    flags = GUINT32_FROM_LE(flags);
    if ((flags & ~VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP) ||
        (!zeroes && (flags & VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP))) {
        virtio_blk_complete(req, VIRTIO_BLK_S_UNSUPP);
        return;
    }
    if (nsect > VIRTIO_BLK_MAX_DWZ_SECTORS ||
        !virtio_blk_range_ok(s, sector, (uint64_t)nsect * VIRTIO_BLK_SECTOR_SIZE) ||
        blk_is_read_only(s->blk)) {
        virtio_blk_complete(req, VIRTIO_BLK_S_IOERR);
        return;
    }
    if (zeroes) {
        blk_aio_write_zeroes(s->blk, sector * VIRTIO_BLK_SECTOR_SIZE,
                             (uint64_t)nsect * VIRTIO_BLK_SECTOR_SIZE,
                             (flags & VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP) ? BLK_ZERO_MAY_UNMAP : 0,
                             virtio_blk_done, req);
    } else {
        blk_aio_discard(s->blk, sector * VIRTIO_BLK_SECTOR_SIZE,
                        (uint64_t)nsect * VIRTIO_BLK_SECTOR_SIZE, virtio_blk_done, req);
    }
}

static void virtio_blk_handle_request(VirtIOBlockReq *req)
{
    VirtIOBlock *s = req->s;
    VirtQueueElement *elem = &req->elem;
    VirtIOBlkOutHdr hdr;
    uint64_t sector;
    size_t bytes;
    uint32_t type;

    if (elem->out_len < sizeof(hdr) || elem->in_len < 1) {
        virtio_error(&s->parent, "request without header or status byte");
        virtqueue_element_release(elem);
        g_free(req);
        return;
    }
    virtio_iov_to_buf(elem->out_sg, elem->out_num, 0, &hdr, sizeof(hdr));
    type = GUINT32_FROM_LE(hdr.type) & ~VIRTIO_BLK_T_BARRIER;
    sector = GUINT64_FROM_LE(hdr.sector);

    switch (type) {
    case VIRTIO_BLK_T_IN:
        bytes = elem->in_len - 1;
        if (!virtio_blk_range_ok(s, sector, bytes)) {
            virtio_blk_complete(req, VIRTIO_BLK_S_IOERR);
            return;
        }
        req->iovcnt = virtio_iov_slice(elem->in_sg, elem->in_num, 0, bytes, &req->iov);
        req->in_written = bytes;
        blk_aio_preadv(s->blk, sector * VIRTIO_BLK_SECTOR_SIZE, req->iov, req->iovcnt,
                       virtio_blk_done, req);
        return;
    case VIRTIO_BLK_T_OUT:
        bytes = elem->out_len - sizeof(hdr);
        if (!virtio_blk_range_ok(s, sector, bytes) || blk_is_read_only(s->blk)) {
            virtio_blk_complete(req, VIRTIO_BLK_S_IOERR);
            return;
        }
        req->iovcnt = virtio_iov_slice(elem->out_sg, elem->out_num, sizeof(hdr), bytes, &req->iov);
        blk_aio_pwritev(s->blk, sector * VIRTIO_BLK_SECTOR_SIZE, req->iov, req->iovcnt,
                        virtio_blk_done, req);
        return;
    case VIRTIO_BLK_T_FLUSH:
        blk_aio_flush(s->blk, virtio_blk_done, req);
        return;
    case VIRTIO_BLK_T_GET_ID: {
        char id[VIRTIO_BLK_ID_BYTES] = { 0 };

        if (s->serial) {
            memcpy(id, s->serial, MIN(strlen(s->serial), sizeof(id)));
        }
        req->in_written = MIN(sizeof(id), elem->in_len - 1);
        virtio_iov_from_buf(elem->in_sg, elem->in_num, 0, id, req->in_written);
        virtio_blk_complete(req, VIRTIO_BLK_S_OK);
        return;
    }
    case VIRTIO_BLK_T_DISCARD:
    case VIRTIO_BLK_T_WRITE_ZEROES:
        virtio_blk_handle_dwz(req, type == VIRTIO_BLK_T_WRITE_ZEROES);
        return;
    default:
        virtio_blk_complete(req, VIRTIO_BLK_S_UNSUPP);
        return;
    }
}

static void virtio_blk_handle_output(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOBlock *s = (VirtIOBlock *)vdev;

    for (;;) {
        VirtIOBlockReq *req = g_new0(VirtIOBlockReq, 1);

        if (virtqueue_pop(vq, &req->elem) <= 0) {
            g_free(req);
            return;
        }
        req->s = s;
        req->vq = vq;
        virtio_blk_handle_request(req);
    }
}

/* ---- device ---- */

static uint64_t virtio_blk_get_features(VirtIODevice *vdev, uint64_t features)
{
    VirtIOBlock *s = (VirtIOBlock *)vdev;

    features |= VIRTIO_BIT(VIRTIO_BLK_F_SEG_MAX) | VIRTIO_BIT(VIRTIO_BLK_F_BLK_SIZE) |
                VIRTIO_BIT(VIRTIO_BLK_F_FLUSH) | VIRTIO_BIT(VIRTIO_BLK_F_TOPOLOGY) |
                VIRTIO_BIT(VIRTIO_BLK_F_DISCARD) | VIRTIO_BIT(VIRTIO_BLK_F_WRITE_ZEROES);
    if (blk_is_read_only(s->blk)) {
        features |= VIRTIO_BIT(VIRTIO_BLK_F_RO);
    }
    return features;
}

static void put_le16(uint8_t *p, uint16_t v)
{
    v = GUINT16_TO_LE(v);
    memcpy(p, &v, 2);
}

static void put_le32(uint8_t *p, uint32_t v)
{
    v = GUINT32_TO_LE(v);
    memcpy(p, &v, 4);
}

static void put_le64(uint8_t *p, uint64_t v)
{
    v = GUINT64_TO_LE(v);
    memcpy(p, &v, 8);
}

static void virtio_blk_get_config(VirtIODevice *vdev, uint8_t *config)
{
    VirtIOBlock *s = (VirtIOBlock *)vdev;

    memset(config, 0, VIRTIO_BLK_CFG_SIZE);
    put_le64(config + VIRTIO_BLK_CFG_CAPACITY, virtio_blk_sectors(s));
    put_le32(config + VIRTIO_BLK_CFG_SEG_MAX, s->queue_size - 2);
    put_le32(config + VIRTIO_BLK_CFG_BLK_SIZE, VIRTIO_BLK_SECTOR_SIZE);
    config[VIRTIO_BLK_CFG_WRITEBACK] = 1;
    put_le16(config + VIRTIO_BLK_CFG_NUM_QUEUES, 1);
    put_le32(config + VIRTIO_BLK_CFG_MAX_DISCARD_SECTORS, VIRTIO_BLK_MAX_DWZ_SECTORS);
    put_le32(config + VIRTIO_BLK_CFG_MAX_DISCARD_SEG, 1);
    put_le32(config + VIRTIO_BLK_CFG_DISCARD_ALIGN, 1);
    put_le32(config + VIRTIO_BLK_CFG_MAX_WZ_SECTORS, VIRTIO_BLK_MAX_DWZ_SECTORS);
    put_le32(config + VIRTIO_BLK_CFG_MAX_WZ_SEG, 1);
    config[VIRTIO_BLK_CFG_WZ_MAY_UNMAP] = 1;
}

static void virtio_blk_reset(VirtIODevice *vdev)
{
    VirtIOBlock *s = (VirtIOBlock *)vdev;

    /* In-flight requests complete into the old rings before they go. */
    if (s->blk) {
        blk_drain(s->blk);
    }
}

static bool virtio_blk_realize(VirtIODevice *vdev, GError **errp)
{
    VirtIOBlock *s = (VirtIOBlock *)vdev;
    unsigned qs = s->queue_size;

    if (!s->blk) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "drive property not set");
        return false;
    }
    if (qs < 4 || qs > VIRTQUEUE_MAX_SIZE || (qs & (qs - 1))) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "queue-size %u must be a power of two between 4 and %u", qs,
                    VIRTQUEUE_MAX_SIZE);
        return false;
    }
    if (s->serial && strlen(s->serial) > VIRTIO_BLK_ID_BYTES) {
        log_mask(LOG_UNIMP, "%s: serial '%s' is cut to %u bytes for the guest\n",
                 vdev->name, s->serial, VIRTIO_BLK_ID_BYTES);
    }
    s->vq = virtio_add_queue(vdev, qs, virtio_blk_handle_output);
    return true;
}

static void virtio_blk_unrealize(VirtIODevice *vdev)
{
    virtio_blk_reset(vdev);
}

static const Property virtio_blk_props[] = {
    PROP_DRIVE("drive", VirtIOBlock, blk, "ID of the drive (-drive/-blockdev) to expose"),
    PROP_STRING("serial", VirtIOBlock, serial, NULL, "disk serial number (GET_ID)"),
    PROP_UINT16("queue-size", VirtIOBlock, queue_size, 256, "request queue size"),
    PROP_END
};

const VirtIODeviceClass virtio_blk_device_class = {
    .parent = {
        .name = TYPE_VIRTIO_BLK_DEVICE,
        .desc = "virtio block device",
        .parent = &virtio_device_class,
        .instance_size = sizeof(VirtIOBlock),
        .props = virtio_blk_props,
        .category = DEVICE_CATEGORY_STORAGE,
        .user_creatable = true,
    },
    .device_id = VIRTIO_ID_BLOCK,
    .config_size = VIRTIO_BLK_CFG_SIZE,
    .realize = virtio_blk_realize,
    .unrealize = virtio_blk_unrealize,
    .get_features = virtio_blk_get_features,
    .get_config = virtio_blk_get_config,
    .reset = virtio_blk_reset,
};
