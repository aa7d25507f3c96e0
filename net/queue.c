/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Frame queue of one receiving client. Frames are copied flat on entry so
 * that senders may reuse their buffers at once; order is strictly FIFO:
 * while anything is queued, new frames go behind it even if the receiver
 * could take them, otherwise a flush would reorder the stream.
 */
#include "net/queue.h"

#include <string.h>

typedef struct NetFrame {
    NetClientState *sender;
    NetPacketSent *sent_cb;
    size_t size;
    uint8_t data[];
} NetFrame;

struct NetQueue {
    GQueue frames;
    guint maxlen;
    bool delivering;
    NetFrame *inflight;         /* popped by netq_flush, being delivered */
    bool inflight_dropped;      /* its sender went away meanwhile */
    NetQueueDeliverFunc *deliver;
    NetQueueCanReceiveFunc *can_receive;
    void *opaque;
};

NetQueue *netq_new(NetQueueDeliverFunc *deliver, NetQueueCanReceiveFunc *can_receive,
                   void *opaque)
{
    NetQueue *q = g_new0(NetQueue, 1);

    g_queue_init(&q->frames);
    q->maxlen = NETQ_DEFAULT_MAXLEN;
    q->deliver = deliver;
    q->can_receive = can_receive;
    q->opaque = opaque;
    return q;
}

void netq_free(NetQueue *q)
{
    if (!q) {
        return;
    }
    g_queue_clear_full(&q->frames, g_free);
    g_free(q);
}

void netq_set_maxlen(NetQueue *q, guint maxlen)
{
    q->maxlen = maxlen;
}

guint netq_length(NetQueue *q)
{
    return g_queue_get_length(&q->frames);
}

static size_t iov_total(const struct iovec *iov, int iovcnt)
{
    size_t n = 0;

    for (int i = 0; i < iovcnt; i++) {
        n += iov[i].iov_len;
    }
    return n;
}

/* Returns false when the frame was dropped because the queue is full. */
static bool netq_append(NetQueue *q, NetClientState *sender, const struct iovec *iov,
                        int iovcnt, NetPacketSent *sent_cb)
{
    size_t size = iov_total(iov, iovcnt);
    NetFrame *f;
    size_t off = 0;

    if (!sent_cb && g_queue_get_length(&q->frames) >= q->maxlen) {
        return false;
    }
    f = g_malloc(sizeof(*f) + size);
    f->sender = sender;
    f->sent_cb = sent_cb;
    f->size = size;
    for (int i = 0; i < iovcnt; i++) {
        memcpy(f->data + off, iov[i].iov_base, iov[i].iov_len);
        off += iov[i].iov_len;
    }
    g_queue_push_tail(&q->frames, f);
    return true;
}

static ssize_t netq_deliver(NetQueue *q, NetClientState *sender, const struct iovec *iov,
                            int iovcnt)
{
    ssize_t ret;

    q->delivering = true;
    ret = q->deliver(sender, iov, iovcnt, q->opaque);
    q->delivering = false;
    return ret;
}

ssize_t netq_send_iov(NetQueue *q, NetClientState *sender, const struct iovec *iov,
                      int iovcnt, NetPacketSent *sent_cb)
{
    ssize_t ret;

    if (q->delivering || !g_queue_is_empty(&q->frames) ||
        (q->can_receive && !q->can_receive(q->opaque))) {
        if (!netq_append(q, sender, iov, iovcnt, sent_cb)) {
            return iov_total(iov, iovcnt);
        }
        return 0;
    }
    ret = netq_deliver(q, sender, iov, iovcnt);
    if (ret == 0) {
        if (!netq_append(q, sender, iov, iovcnt, sent_cb)) {
            return iov_total(iov, iovcnt);
        }
        return 0;
    }
    /* The receiver may have queued frames to itself while we delivered. */
    netq_flush(q);
    return ret;
}

bool netq_flush(NetQueue *q)
{
    if (q->delivering) {
        return false;
    }
    while (!g_queue_is_empty(&q->frames)) {
        NetFrame *f;
        struct iovec iov;
        ssize_t ret;

        if (q->can_receive && !q->can_receive(q->opaque)) {
            return false;
        }
        /*
         * Off the list while in flight, so that frames the receiver sends
         * to itself queue behind the others; purges see it as q->inflight.
         */
        f = g_queue_pop_head(&q->frames);
        q->inflight = f;
        iov.iov_base = f->data;
        iov.iov_len = f->size;
        ret = netq_deliver(q, f->sender, &iov, 1);
        q->inflight = NULL;
        if (ret == 0 && !q->inflight_dropped) {
            g_queue_push_head(&q->frames, f);
            return false;
        }
        if (f->sent_cb && !q->inflight_dropped) {
            f->sent_cb(f->sender, ret);
        }
        q->inflight_dropped = false;
        g_free(f);
    }
    return true;
}

void netq_purge(NetQueue *q)
{
    NetFrame *f;

    while ((f = g_queue_pop_head(&q->frames))) {
        if (f->sent_cb) {
            f->sent_cb(f->sender, 0);
        }
        g_free(f);
    }
}

void netq_purge_sender(NetQueue *q, NetClientState *sender)
{
    GList *l = q->frames.head;

    while (l) {
        GList *next = l->next;
        NetFrame *f = l->data;

        if (f->sender == sender) {
            g_queue_delete_link(&q->frames, l);
            g_free(f);
        }
        l = next;
    }
    if (q->inflight && q->inflight->sender == sender) {
        q->inflight_dropped = true;
    }
}
