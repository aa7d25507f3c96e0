/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The per-receiver frame queue behind net.c. It keeps frames in arrival
 * order, delivers them through a callback when the receiver can take them,
 * and protects against re-entrance: a frame sent to a queue that is in the
 * middle of delivering is appended instead of delivered recursively.
 */
#ifndef NET_QUEUE_H
#define NET_QUEUE_H

#include "net/net.h"

/* QEMU's bound for frames queued by senders without a completion callback. */
#define NETQ_DEFAULT_MAXLEN 10000

/* Hand one frame to the receiver; 0 means "not now", keep it queued. */
typedef ssize_t NetQueueDeliverFunc(NetClientState *sender, const struct iovec *iov,
                                    int iovcnt, void *opaque);
typedef bool NetQueueCanReceiveFunc(void *opaque);

NetQueue *netq_new(NetQueueDeliverFunc *deliver, NetQueueCanReceiveFunc *can_receive,
                   void *opaque);
/* Frees queued frames without calling their callbacks. */
void netq_free(NetQueue *q);
void netq_set_maxlen(NetQueue *q, guint maxlen);

/*
 * Deliver now if possible, else queue. Returns the receiver's result, or 0
 * when queued (sent_cb runs on delivery), or the length when dropped
 * because the queue is full and there is no callback.
 */
ssize_t netq_send_iov(NetQueue *q, NetClientState *sender, const struct iovec *iov,
                      int iovcnt, NetPacketSent *sent_cb);
/* Deliver queued frames until the receiver refuses one; true if now empty. */
bool netq_flush(NetQueue *q);
/* Drop every frame (callbacks get 0). */
void netq_purge(NetQueue *q);
/* Drop the frames from sender without calling callbacks (sender is going away). */
void netq_purge_sender(NetQueue *q, NetClientState *sender);
guint netq_length(NetQueue *q);

#endif
