/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Split virtqueues (virtio spec, "Split Virtqueues"): popping descriptor
 * chains from the available ring into host iovecs, returning them through
 * the used ring, and deciding when the guest wants an interrupt. Every
 * value read from guest memory is copied before it is checked, so a guest
 * rewriting its rings concurrently can at worst get its own device marked
 * broken. Buffers in RAM are mapped zero-copy; buffers in ROM (device
 * writes) or MMIO are bounced, bounded by VIRTQUEUE_MAX_BOUNCE per element.
 */
#include <errno.h>
#include <stdatomic.h>
#include <string.h>

#include "hw/virtio/virtio.h"
#include "system/memory.h"
#include "util/log.h"

struct VirtQueueBounce {
    uint64_t addr;
    void *buf;
    size_t len;
    size_t in_offset;           /* device-writable: byte offset in in_sg */
    bool in;
};

typedef struct VRingDesc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
} VRingDesc;

/* Indirect tables may not exceed the largest queue the spec allows. */
#define VRING_INDIRECT_MAX 32768

/* avail: flags, idx, ring[num], used_event */
#define AVAIL_IDX_OFF 2
#define AVAIL_RING_OFF(i) (4 + 2 * (uint64_t)(i))
/* used: flags, idx, ring[num] of { id, len }, avail_event */
#define USED_IDX_OFF 2
#define USED_RING_OFF(i) (4 + 8 * (uint64_t)(i))

/* ---- ring memory ---- */

/*
 * Host pointer to len bytes of guest RAM at addr, or NULL when they are not
 * all in one writable (or readable) RAM region. Rings must be RAM: pointing
 * them at MMIO would let the guest make the device program itself.
 */
static void *vring_map(VirtQueue *vq, uint64_t addr, uint64_t len, bool write)
{
    uint64_t xlat, plen;
    MemoryRegion *mr;

    if (addr + len < addr) {
        return NULL;
    }
    mr = address_space_translate(vq->vdev->dma_as, addr, &xlat, &plen, write);
    if (!mr || !memory_region_is_ram(mr) || plen < len ||
        (write && memory_region_is_rom(mr))) {
        return NULL;
    }
    return (uint8_t *)memory_region_get_ram_ptr(mr) + xlat;
}

static bool vring_load16(VirtQueue *vq, uint64_t addr, uint16_t *val)
{
    uint16_t *p = vring_map(vq, addr, 2, false);

    if (!p) {
        virtio_error(vq->vdev, "ring of queue %u at 0x%" G_GINT64_MODIFIER "x is not in RAM",
                     vq->index, addr);
        return false;
    }
    *val = GUINT16_FROM_LE(__atomic_load_n(p, __ATOMIC_RELAXED));
    return true;
}

static bool vring_store16(VirtQueue *vq, uint64_t addr, uint16_t val)
{
    uint16_t *p = vring_map(vq, addr, 2, true);

    if (!p) {
        virtio_error(vq->vdev, "ring of queue %u at 0x%" G_GINT64_MODIFIER "x is not in RAM",
                     vq->index, addr);
        return false;
    }
    __atomic_store_n(p, GUINT16_TO_LE(val), __ATOMIC_RELAXED);
    return true;
}

static bool vring_avail_idx(VirtQueue *vq, uint16_t *idx)
{
    return vring_load16(vq, vq->avail + AVAIL_IDX_OFF, idx);
}

static bool vring_read_desc(VirtQueue *vq, uint64_t table, unsigned i, VRingDesc *d)
{
    const uint8_t *p = vring_map(vq, table + (uint64_t)i * VRING_DESC_SIZE, VRING_DESC_SIZE,
                                 false);
    uint8_t raw[VRING_DESC_SIZE];

    if (!p) {
        virtio_error(vq->vdev, "descriptor table of queue %u at 0x%" G_GINT64_MODIFIER
                     "x is not in RAM", vq->index, table);
        return false;
    }
    /* One snapshot: the guest may be rewriting the entry meanwhile. */
    memcpy(raw, p, sizeof(raw));
    memcpy(&d->addr, raw, 8);
    memcpy(&d->len, raw + 8, 4);
    memcpy(&d->flags, raw + 12, 2);
    memcpy(&d->next, raw + 14, 2);
    d->addr = GUINT64_FROM_LE(d->addr);
    d->len = GUINT32_FROM_LE(d->len);
    d->flags = GUINT16_FROM_LE(d->flags);
    d->next = GUINT16_FROM_LE(d->next);
    return true;
}

/* Rings must be naturally aligned (desc 16, avail 2, used 4) and present. */
static bool vring_check(VirtQueue *vq)
{
    if ((vq->desc & 15) || (vq->avail & 1) || (vq->used & 3)) {
        virtio_error(vq->vdev, "misaligned rings for queue %u", vq->index);
        return false;
    }
    return true;
}

/* ---- elements ---- */

typedef struct ElemBuilder {
    VirtQueueElement *elem;
    unsigned out_cap, in_cap, bounce_cap;
    size_t bounced;
} ElemBuilder;

void virtqueue_element_release(VirtQueueElement *elem)
{
    for (unsigned i = 0; i < elem->nbounce; i++) {
        g_free(elem->bounce[i].buf);
    }
    g_free(elem->bounce);
    g_free(elem->out_sg);
    g_free(elem->in_sg);
    memset(elem, 0, sizeof(*elem));
}

static bool elem_add_iov(VirtQueue *vq, ElemBuilder *b, bool in, void *base, size_t len)
{
    VirtQueueElement *e = b->elem;
    struct iovec **sg = in ? &e->in_sg : &e->out_sg;
    unsigned *num = in ? &e->in_num : &e->out_num;
    unsigned *cap = in ? &b->in_cap : &b->out_cap;

    if (e->in_num + e->out_num >= VIRTQUEUE_MAX_SG) {
        virtio_error(vq->vdev, "descriptor chain of queue %u needs more than %u segments",
                     vq->index, VIRTQUEUE_MAX_SG);
        return false;
    }
    if (*num == *cap) {
        *cap = *cap ? *cap * 2 : 4;
        *sg = g_renew(struct iovec, *sg, *cap);
    }
    (*sg)[*num].iov_base = base;
    (*sg)[*num].iov_len = len;
    (*num)++;
    return true;
}

static bool elem_add_bounce(VirtQueue *vq, ElemBuilder *b, bool in, uint64_t addr, size_t len)
{
    VirtIODevice *vdev = vq->vdev;
    VirtQueueElement *e = b->elem;
    VirtQueueBounce *bb;

    if (len > VIRTQUEUE_MAX_BOUNCE - b->bounced) {
        virtio_error(vdev, "queue %u: more than %u bytes of buffers outside RAM", vq->index,
                     VIRTQUEUE_MAX_BOUNCE);
        return false;
    }
    if (e->nbounce == b->bounce_cap) {
        b->bounce_cap = b->bounce_cap ? b->bounce_cap * 2 : 2;
        e->bounce = g_renew(VirtQueueBounce, e->bounce, b->bounce_cap);
    }
    bb = &e->bounce[e->nbounce++];
    bb->addr = addr;
    bb->len = len;
    bb->in = in;
    bb->in_offset = e->in_len;
    bb->buf = g_malloc0(len);
    b->bounced += len;
    if (!in) {
        /* A device read with side effects: keep our own registers out of it. */
        vdev->dma_depth++;
        address_space_read(vdev->dma_as, addr, bb->buf, len);
        vdev->dma_depth--;
    }
    return elem_add_iov(vq, b, in, bb->buf, len);
}

/* Map one descriptor's buffer, splitting it at region boundaries. */
static bool elem_map_buffer(VirtQueue *vq, ElemBuilder *b, const VRingDesc *d)
{
    VirtQueueElement *e = b->elem;
    bool in = d->flags & VRING_DESC_F_WRITE;
    uint64_t addr = d->addr;
    uint64_t len = d->len;

    while (len) {
        uint64_t xlat, plen, piece;
        MemoryRegion *mr = address_space_translate(vq->vdev->dma_as, addr, &xlat, &plen, in);

        if (!mr) {
            virtio_error(vq->vdev, "queue %u: buffer at 0x%" G_GINT64_MODIFIER
                         "x is outside guest memory", vq->index, addr);
            return false;
        }
        piece = MIN(len, plen);
        if (memory_region_is_ram(mr) && !(in && memory_region_is_rom(mr))) {
            if (!elem_add_iov(vq, b, in, (uint8_t *)memory_region_get_ram_ptr(mr) + xlat,
                              piece)) {
                return false;
            }
        } else if (!elem_add_bounce(vq, b, in, addr, piece)) {
            return false;
        }
        if (in) {
            e->in_len += piece;
        } else {
            e->out_len += piece;
        }
        addr += piece;
        len -= piece;
    }
    return true;
}

/*
 * Walk the chain starting at head. With elem, map its buffers; without,
 * only validate and add up the device-writable bytes into *in_bytes.
 */
static bool vring_walk_chain(VirtQueue *vq, unsigned head, VirtQueueElement *elem,
                             uint64_t *in_bytes)
{
    VirtIODevice *vdev = vq->vdev;
    ElemBuilder b = { .elem = elem };
    uint64_t table = vq->desc;
    unsigned size = vq->num, count = 0, i = head;
    uint64_t out_total = 0, in_total = 0;
    bool seen_in = false;
    VRingDesc d;

    if (!vring_read_desc(vq, table, i, &d)) {
        return false;
    }
    if (d.flags & VRING_DESC_F_INDIRECT) {
        if (d.flags & VRING_DESC_F_NEXT) {
            virtio_error(vdev, "queue %u: indirect descriptor %u also has NEXT", vq->index, i);
            return false;
        }
        if (!d.len || d.len % VRING_DESC_SIZE || d.len / VRING_DESC_SIZE > VRING_INDIRECT_MAX) {
            virtio_error(vdev, "queue %u: bad indirect table length %u", vq->index, d.len);
            return false;
        }
        if (!vring_map(vq, d.addr, d.len, false)) {
            virtio_error(vdev, "queue %u: indirect table at 0x%" G_GINT64_MODIFIER
                         "x is not in RAM", vq->index, d.addr);
            return false;
        }
        table = d.addr;
        size = d.len / VRING_DESC_SIZE;
        i = 0;
        if (!vring_read_desc(vq, table, i, &d)) {
            return false;
        }
    }
    for (;;) {
        /* A chain visits each entry of its table at most once. */
        if (++count > size) {
            virtio_error(vdev, "queue %u: descriptor chain from %u loops or is too long",
                         vq->index, head);
            return false;
        }
        if (d.flags & VRING_DESC_F_INDIRECT) {
            virtio_error(vdev, "queue %u: indirect descriptor %u not at a chain's head",
                         vq->index, i);
            return false;
        }
        if (d.addr + d.len < d.addr) {
            virtio_error(vdev, "queue %u: descriptor %u wraps the address space", vq->index, i);
            return false;
        }
        if (d.flags & VRING_DESC_F_WRITE) {
            seen_in = true;
            in_total += d.len;
        } else {
            if (seen_in) {
                virtio_error(vdev, "queue %u: device-readable descriptor %u after a "
                             "writable one", vq->index, i);
                return false;
            }
            out_total += d.len;
        }
        if (in_total > UINT32_MAX || out_total > UINT32_MAX) {
            virtio_error(vdev, "queue %u: descriptor chain from %u exceeds 4 GiB", vq->index,
                         head);
            return false;
        }
        if (elem && d.len && !elem_map_buffer(vq, &b, &d)) {
            return false;
        }
        if (!(d.flags & VRING_DESC_F_NEXT)) {
            break;
        }
        i = d.next;
        if (i >= size) {
            virtio_error(vdev, "queue %u: next index %u out of range (%u)", vq->index, i, size);
            return false;
        }
        if (!vring_read_desc(vq, table, i, &d)) {
            return false;
        }
    }
    if (in_bytes) {
        *in_bytes = in_total;
    }
    return true;
}

/* ---- the available ring ---- */

bool virtio_queue_ready(const VirtQueue *vq)
{
    return vq && vq->ready && vq->num && !vq->vdev->broken;
}

/* Entries the driver made available that we have not popped, or -1. */
static int vring_pending(VirtQueue *vq)
{
    uint16_t idx, pending;

    if (!vring_avail_idx(vq, &idx)) {
        return -1;
    }
    pending = idx - vq->last_avail_idx;
    if (pending > vq->num) {
        virtio_error(vq->vdev, "queue %u: avail index moved by %u (queue size %u)", vq->index,
                     pending, vq->num);
        return -1;
    }
    /* Read the ring entries only after the index that covers them. */
    atomic_thread_fence(memory_order_acquire);
    return pending;
}

/* With EVENT_IDX, ask for a kick once the driver passes what we consumed. */
static void vring_set_avail_event(VirtQueue *vq, uint16_t val)
{
    if (vq->notification && virtio_has_feature(vq->vdev, VIRTIO_F_RING_EVENT_IDX)) {
        vring_store16(vq, vq->used + USED_RING_OFF(vq->num), val);
    }
}

bool virtio_queue_empty(VirtQueue *vq)
{
    int pending;

    if (!virtio_queue_ready(vq)) {
        return true;
    }
    pending = vring_pending(vq);
    return pending <= 0;
}

static bool vring_read_head(VirtQueue *vq, uint16_t idx, unsigned *head)
{
    uint16_t h;

    if (!vring_load16(vq, vq->avail + AVAIL_RING_OFF(idx % vq->num), &h)) {
        return false;
    }
    if (h >= vq->num) {
        virtio_error(vq->vdev, "queue %u: head index %u out of range (%u)", vq->index, h,
                     vq->num);
        return false;
    }
    *head = h;
    return true;
}

int virtqueue_pop(VirtQueue *vq, VirtQueueElement *elem)
{
    VirtIODevice *vdev = vq->vdev;
    unsigned head;
    int pending;

    memset(elem, 0, sizeof(*elem));
    if (vdev->broken) {
        return -EIO;
    }
    if (!vq->ready || !vq->num) {
        return 0;
    }
    if (!vring_check(vq)) {
        return -EIO;
    }
    pending = vring_pending(vq);
    if (pending < 0) {
        return -EIO;
    }
    if (!pending) {
        /*
         * Re-arm, then look again: a buffer published between our check
         * and the driver reading avail_event would otherwise go unkicked.
         */
        vring_set_avail_event(vq, vq->last_avail_idx);
        atomic_thread_fence(memory_order_seq_cst);
        pending = vring_pending(vq);
        if (pending <= 0) {
            return pending < 0 ? -EIO : 0;
        }
    }
    if (vq->inuse >= vq->num) {
        virtio_error(vdev, "queue %u: more buffers in use than the queue holds", vq->index);
        return -EIO;
    }
    if (!vring_read_head(vq, vq->last_avail_idx, &head)) {
        return -EIO;
    }
    if (!vring_walk_chain(vq, head, elem, NULL)) {
        virtqueue_element_release(elem);
        return -EIO;
    }
    elem->index = head;
    vq->last_avail_idx++;
    vq->inuse++;
    vring_set_avail_event(vq, vq->last_avail_idx);
    return 1;
}

void virtqueue_unpop(VirtQueue *vq, VirtQueueElement *elem)
{
    g_assert(vq->inuse > 0);
    vq->last_avail_idx--;
    vq->inuse--;
    virtqueue_element_release(elem);
}

bool virtqueue_avail_bytes(VirtQueue *vq, size_t in_bytes)
{
    uint64_t total = 0;
    int pending;

    if (!virtio_queue_ready(vq) || !vring_check(vq)) {
        return false;
    }
    pending = vring_pending(vq);
    for (int k = 0; k < pending && total < in_bytes; k++) {
        uint64_t bytes;
        unsigned head;

        if (!vring_read_head(vq, vq->last_avail_idx + k, &head) ||
            !vring_walk_chain(vq, head, NULL, &bytes)) {
            return false;
        }
        total += bytes;
    }
    return pending > 0 && total >= in_bytes;
}

/* ---- the used ring ---- */

static void elem_unbounce(VirtIODevice *vdev, VirtQueueElement *elem, uint32_t len)
{
    for (unsigned i = 0; i < elem->nbounce; i++) {
        VirtQueueBounce *bb = &elem->bounce[i];

        if (bb->in && bb->in_offset < len) {
            vdev->dma_depth++;
            address_space_write(vdev->dma_as, bb->addr, bb->buf, MIN(bb->len, len - bb->in_offset));
            vdev->dma_depth--;
        }
    }
}

void virtqueue_push(VirtQueue *vq, VirtQueueElement *elem, uint32_t len)
{
    VirtIODevice *vdev = vq->vdev;
    uint8_t *p;

    if (vdev->broken || !vq->ready || !vq->num || !vq->inuse) {
        virtqueue_element_release(elem);
        return;
    }
    len = MIN(len, elem->in_len);
    elem_unbounce(vdev, elem, len);
    p = vring_map(vq, vq->used + USED_RING_OFF(vq->used_idx % vq->num), VRING_USED_ELEM_SIZE,
                  true);
    if (!p) {
        virtio_error(vdev, "used ring of queue %u at 0x%" G_GINT64_MODIFIER "x is not in RAM",
                     vq->index, vq->used);
        virtqueue_element_release(elem);
        return;
    }
    {
        uint32_t id = GUINT32_TO_LE(elem->index), l = GUINT32_TO_LE(len);

        memcpy(p, &id, 4);
        memcpy(p + 4, &l, 4);
    }
    /* The entry must be visible before the index that publishes it. */
    atomic_thread_fence(memory_order_release);
    vq->used_idx++;
    vring_store16(vq, vq->used + USED_IDX_OFF, vq->used_idx);
    vq->inuse--;
    virtqueue_element_release(elem);
}

/* (new - event - 1) < (new - old), all modulo 2^16: event is in [old, new). */
static bool vring_need_event(uint16_t event, uint16_t new_idx, uint16_t old)
{
    return (uint16_t)(new_idx - event - 1) < (uint16_t)(new_idx - old);
}

static bool virtqueue_should_notify(VirtQueue *vq)
{
    VirtIODevice *vdev = vq->vdev;
    uint16_t old, event, flags;
    bool valid;

    /* Our used index store must be visible before we read the driver's wishes. */
    atomic_thread_fence(memory_order_seq_cst);
    if (virtio_has_feature(vdev, VIRTIO_F_NOTIFY_ON_EMPTY) && !vq->inuse &&
        virtio_queue_empty(vq)) {
        return true;
    }
    if (!virtio_has_feature(vdev, VIRTIO_F_RING_EVENT_IDX)) {
        if (!vring_load16(vq, vq->avail, &flags)) {
            return false;
        }
        return !(flags & VRING_AVAIL_F_NO_INTERRUPT);
    }
    valid = vq->signalled_used_valid;
    old = vq->signalled_used;
    vq->signalled_used_valid = true;
    vq->signalled_used = vq->used_idx;
    if (!vring_load16(vq, vq->avail + AVAIL_RING_OFF(vq->num), &event)) {
        return false;
    }
    return !valid || vring_need_event(event, vq->used_idx, old);
}

void virtqueue_notify(VirtQueue *vq)
{
    VirtIODevice *vdev = vq->vdev;

    if (vdev->broken || !vq->ready || !vq->num || !virtqueue_should_notify(vq)) {
        return;
    }
    vdev->isr |= VIRTIO_ISR_QUEUE;
    if (vdev->transport && vdev->transport->notify) {
        vdev->transport->notify(vdev->transport_opaque, vq->vector);
    }
}

void virtio_queue_set_notification(VirtQueue *vq, bool enable)
{
    uint16_t flags, idx;

    vq->notification = enable;
    if (!virtio_queue_ready(vq)) {
        return;
    }
    if (virtio_has_feature(vq->vdev, VIRTIO_F_RING_EVENT_IDX)) {
        if (enable && vring_avail_idx(vq, &idx)) {
            vring_set_avail_event(vq, idx);
        }
    } else if (vring_load16(vq, vq->used, &flags)) {
        flags = enable ? flags & ~VRING_USED_F_NO_NOTIFY : flags | VRING_USED_F_NO_NOTIFY;
        vring_store16(vq, vq->used, flags);
    }
    if (enable) {
        /* Publish before the caller re-checks the ring for work. */
        atomic_thread_fence(memory_order_seq_cst);
    }
}

/* ---- iovec helpers ---- */

size_t virtio_iov_size(const struct iovec *iov, unsigned cnt)
{
    size_t n = 0;

    for (unsigned i = 0; i < cnt; i++) {
        n += iov[i].iov_len;
    }
    return n;
}

size_t virtio_iov_to_buf(const struct iovec *iov, unsigned cnt, size_t offset, void *buf,
                         size_t bytes)
{
    size_t done = 0;

    for (unsigned i = 0; i < cnt && done < bytes; i++) {
        if (offset >= iov[i].iov_len) {
            offset -= iov[i].iov_len;
            continue;
        }
        size_t n = MIN(iov[i].iov_len - offset, bytes - done);
        memcpy((uint8_t *)buf + done, (uint8_t *)iov[i].iov_base + offset, n);
        done += n;
        offset = 0;
    }
    return done;
}

size_t virtio_iov_from_buf(const struct iovec *iov, unsigned cnt, size_t offset,
                           const void *buf, size_t bytes)
{
    size_t done = 0;

    for (unsigned i = 0; i < cnt && done < bytes; i++) {
        if (offset >= iov[i].iov_len) {
            offset -= iov[i].iov_len;
            continue;
        }
        size_t n = MIN(iov[i].iov_len - offset, bytes - done);
        memcpy((uint8_t *)iov[i].iov_base + offset, (const uint8_t *)buf + done, n);
        done += n;
        offset = 0;
    }
    return done;
}

unsigned virtio_iov_slice(const struct iovec *iov, unsigned cnt, size_t offset, size_t bytes,
                          struct iovec **out)
{
    struct iovec *res = g_new(struct iovec, cnt ? cnt : 1);
    unsigned n = 0;

    for (unsigned i = 0; i < cnt && bytes; i++) {
        if (offset >= iov[i].iov_len) {
            offset -= iov[i].iov_len;
            continue;
        }
        size_t len = MIN(iov[i].iov_len - offset, bytes);
        res[n].iov_base = (uint8_t *)iov[i].iov_base + offset;
        res[n].iov_len = len;
        n++;
        bytes -= len;
        offset = 0;
    }
    *out = res;
    return n;
}
