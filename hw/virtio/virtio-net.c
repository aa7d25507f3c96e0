/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-net. Receive: the backend hands a frame to the NIC client; it
 * goes into as many receive chains as it needs (mergeable buffers) behind
 * a virtio-net header, or, when the guest has posted too little, the NIC
 * answers 0 so the net layer queues it until the guest adds buffers (its
 * kick flushes the queue). Transmit: each chain is header + frame; the
 * header is dropped for backends without virtio-net headers and passed on
 * for those with them. A backend that cannot take a frame holds it (async
 * send) and transmission pauses until it reports completion. A tx burst
 * stops after one queue's worth and continues from an idle callback, so a
 * guest keeping the ring full cannot hold the BQL forever.
 */
#include <string.h>

#include "hw/virtio/virtio-net.h"
#include "util/error.h"
#include "util/log.h"

#define VIRTIO_NET_OFFLOAD_FEATURES                                             \
    (VIRTIO_BIT(VIRTIO_NET_F_CSUM) | VIRTIO_BIT(VIRTIO_NET_F_GUEST_CSUM) |      \
     VIRTIO_BIT(VIRTIO_NET_F_GUEST_TSO4) | VIRTIO_BIT(VIRTIO_NET_F_GUEST_TSO6) | \
     VIRTIO_BIT(VIRTIO_NET_F_GUEST_ECN) | VIRTIO_BIT(VIRTIO_NET_F_HOST_TSO4) |   \
     VIRTIO_BIT(VIRTIO_NET_F_HOST_TSO6) | VIRTIO_BIT(VIRTIO_NET_F_HOST_ECN))

static VirtIONet *nic_to_net(NetClientState *nc)
{
    return nc->opaque;
}

/* ---- receive ---- */

static bool virtio_net_can_receive(NetClientState *nc)
{
    VirtIONet *s = nic_to_net(nc);

    return (s->parent.status & VIRTIO_CONFIG_S_DRIVER_OK) && virtio_queue_ready(s->rx_vq);
}

static ssize_t virtio_net_receive(NetClientState *nc, const uint8_t *buf, size_t size)
{
    VirtIONet *s = nic_to_net(nc);
    VirtIODevice *vdev = &s->parent;
    uint8_t hdr[VIRTIO_NET_HDR_MRG_LEN] = { 0 };
    const uint8_t *frame = buf + s->host_hdr_len;
    size_t flen, done = 0;
    VirtQueueElement *elems;
    uint32_t *lens;
    unsigned n = 0;
    bool fits;

    if (!virtio_net_can_receive(nc)) {
        return 0;
    }
    if (size < s->host_hdr_len) {
        return size;
    }
    flen = size - s->host_hdr_len;
    if (!virtqueue_avail_bytes(s->rx_vq, s->mergeable ? s->guest_hdr_len + flen : 1)) {
        /* Not now: the net layer keeps the frame until our flush. */
        return vdev->broken ? (ssize_t)size : 0;
    }
    memcpy(hdr, buf, MIN(s->host_hdr_len, VIRTIO_NET_HDR_LEN));

    elems = g_new0(VirtQueueElement, s->rx_vq->num);
    lens = g_new0(uint32_t, s->rx_vq->num);
    do {
        VirtQueueElement *e = &elems[n];
        size_t pos = 0, put;

        if (virtqueue_pop(s->rx_vq, e) <= 0) {
            break;
        }
        n++;
        if (n == 1) {
            if (e->in_len < s->guest_hdr_len) {
                virtio_error(vdev, "receive buffer of %zu bytes cannot hold the header",
                             e->in_len);
                break;
            }
            virtio_iov_from_buf(e->in_sg, e->in_num, 0, hdr, s->guest_hdr_len);
            pos = s->guest_hdr_len;
        }
        put = virtio_iov_from_buf(e->in_sg, e->in_num, pos, frame + done, flen - done);
        done += put;
        lens[n - 1] = pos + put;
    } while (s->mergeable && done < flen && n < s->rx_vq->num);

    fits = n && done == flen && !vdev->broken;
    if (!fits && !vdev->broken) {
        log_guest_error("%s: dropped a %zu-byte frame that did not fit the receive buffers\n",
                        vdev->name, flen);
    }
    if (fits && s->mergeable) {
        uint16_t nb = GUINT16_TO_LE(n);

        virtio_iov_from_buf(elems[0].in_sg, elems[0].in_num, VIRTIO_NET_HDR_NUM_BUFFERS, &nb, 2);
    }
    for (unsigned i = 0; i < n; i++) {
        virtqueue_push(s->rx_vq, &elems[i], fits ? lens[i] : 0);
    }
    if (n) {
        virtqueue_notify(s->rx_vq);
    }
    g_free(elems);
    g_free(lens);
    return size;
}

static void virtio_net_handle_rx(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIONet *s = (VirtIONet *)vdev;

    /* New buffers: deliver what the backend had to hold back. */
    net_queue_flush(s->nic);
}

/* ---- transmit ---- */

static void virtio_net_flush_tx(VirtIONet *s);

static void virtio_net_tx_done(NetClientState *nc, ssize_t ret)
{
    VirtIONet *s = nic_to_net(nc);

    if (!s->tx_waiting) {
        return;
    }
    s->tx_waiting = false;
    virtqueue_push(s->tx_vq, &s->tx_elem, 0);
    virtqueue_notify(s->tx_vq);
    virtio_net_flush_tx(s);
}

static gboolean virtio_net_tx_bh(gpointer opaque)
{
    VirtIONet *s = opaque;

    s->tx_bh = 0;
    virtio_net_flush_tx(s);
    return G_SOURCE_REMOVE;
}

/* Send one chain; false if the backend holds it (tx pauses). */
static bool virtio_net_send(VirtIONet *s, VirtQueueElement *e)
{
    struct iovec *frame, *iov;
    unsigned cnt;
    uint8_t hdr[VIRTIO_NET_HDR_MRG_LEN] = { 0 };
    ssize_t ret;

    cnt = virtio_iov_slice(e->out_sg, e->out_num, s->guest_hdr_len,
                           e->out_len - s->guest_hdr_len, &frame);
    iov = g_new(struct iovec, cnt + 1);
    if (s->host_hdr_len) {
        /* The backend parses the header: hand over a private copy. */
        virtio_iov_to_buf(e->out_sg, e->out_num, 0, hdr, MIN(s->guest_hdr_len, sizeof(hdr)));
        iov[0].iov_base = hdr;
        iov[0].iov_len = s->host_hdr_len;
        memcpy(iov + 1, frame, cnt * sizeof(*iov));
        ret = net_send_iov_async(s->nic, iov, cnt + 1, virtio_net_tx_done);
    } else {
        ret = net_send_iov_async(s->nic, frame, cnt, virtio_net_tx_done);
    }
    g_free(frame);
    g_free(iov);
    return ret != 0;
}

static void virtio_net_flush_tx(VirtIONet *s)
{
    VirtIODevice *vdev = &s->parent;
    unsigned budget = s->tx_vq->num;
    bool pushed = false;

    while (!s->tx_waiting && budget) {
        VirtQueueElement *e = &s->tx_elem;

        if (virtqueue_pop(s->tx_vq, e) <= 0) {
            break;
        }
        budget--;
        if (e->out_len < s->guest_hdr_len || e->in_num) {
            virtio_error(vdev, "transmit chain without header or with writable buffers");
            virtqueue_element_release(e);
            break;
        }
        s->tx_waiting = true;
        if (!virtio_net_send(s, e)) {
            /* virtio_net_tx_done returns it later. */
            break;
        }
        s->tx_waiting = false;
        virtqueue_push(s->tx_vq, e, 0);
        pushed = true;
    }
    if (pushed) {
        virtqueue_notify(s->tx_vq);
    }
    if (!budget && !s->tx_bh && !virtio_queue_empty(s->tx_vq)) {
        s->tx_bh = g_idle_add(virtio_net_tx_bh, s);
    }
}

static void virtio_net_handle_tx(VirtIODevice *vdev, VirtQueue *vq)
{
    virtio_net_flush_tx((VirtIONet *)vdev);
}

/* ---- link ---- */

static void virtio_net_link_changed(NetClientState *nc)
{
    virtio_notify_config(&nic_to_net(nc)->parent);
}

static const NetClientInfo virtio_net_info = {
    .type = NET_CLIENT_DRIVER_NIC,
    .receive = virtio_net_receive,
    .can_receive = virtio_net_can_receive,
    .link_status_changed = virtio_net_link_changed,
};

/* ---- device ---- */

static uint64_t virtio_net_get_features(VirtIODevice *vdev, uint64_t features)
{
    VirtIONet *s = (VirtIONet *)vdev;

    features |= VIRTIO_BIT(VIRTIO_NET_F_MAC) | VIRTIO_BIT(VIRTIO_NET_F_STATUS) |
                VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF);
    if (s->has_vnet_hdr) {
        features |= VIRTIO_NET_OFFLOAD_FEATURES;
    }
    return features;
}

static void virtio_net_set_features(VirtIODevice *vdev, uint64_t features)
{
    VirtIONet *s = (VirtIONet *)vdev;

    s->mergeable = features & VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF);
    s->guest_hdr_len = (s->mergeable || (features & VIRTIO_BIT(VIRTIO_F_VERSION_1)))
                       ? VIRTIO_NET_HDR_MRG_LEN : VIRTIO_NET_HDR_LEN;
    if (s->has_vnet_hdr) {
        NetOffloads off = {
            .csum = features & VIRTIO_BIT(VIRTIO_NET_F_GUEST_CSUM),
            .tso4 = features & VIRTIO_BIT(VIRTIO_NET_F_GUEST_TSO4),
            .tso6 = features & VIRTIO_BIT(VIRTIO_NET_F_GUEST_TSO6),
            .ecn = features & VIRTIO_BIT(VIRTIO_NET_F_GUEST_ECN),
        };

        net_peer_using_vnet_hdr(s->nic, true);
        /* A backend stuck at 10 bytes gets the header without num_buffers. */
        s->host_hdr_len = net_peer_set_vnet_hdr_len(s->nic, s->guest_hdr_len)
                          ? s->guest_hdr_len : VIRTIO_NET_HDR_LEN;
        net_peer_set_offload(s->nic, &off);
    }
}

static void virtio_net_set_status(VirtIODevice *vdev, uint8_t status)
{
    VirtIONet *s = (VirtIONet *)vdev;

    if (status & VIRTIO_CONFIG_S_DRIVER_OK) {
        net_queue_flush(s->nic);
    }
}

static void virtio_net_get_config(VirtIODevice *vdev, uint8_t *config)
{
    VirtIONet *s = (VirtIONet *)vdev;
    uint16_t status = GUINT16_TO_LE(s->nic->link_down ? 0 : VIRTIO_NET_S_LINK_UP);
    uint16_t pairs = GUINT16_TO_LE(1);

    memcpy(config + VIRTIO_NET_CFG_MAC, s->mac.a, 6);
    memcpy(config + VIRTIO_NET_CFG_STATUS, &status, 2);
    memcpy(config + VIRTIO_NET_CFG_MAX_VQ_PAIRS, &pairs, 2);
}

static void virtio_net_set_config(VirtIODevice *vdev, const uint8_t *config)
{
    VirtIONet *s = (VirtIONet *)vdev;

    /* Only legacy drivers may set the address through config space. */
    if (!virtio_has_feature(vdev, VIRTIO_F_VERSION_1)) {
        memcpy(s->mac.a, config + VIRTIO_NET_CFG_MAC, 6);
    }
}

static void virtio_net_reset(VirtIODevice *vdev)
{
    VirtIONet *s = (VirtIONet *)vdev;

    if (s->tx_waiting) {
        /* Forget the held frame first so its purge callback finds nothing. */
        s->tx_waiting = false;
        virtqueue_element_release(&s->tx_elem);
        if (s->nic->peer) {
            net_queue_purge(s->nic->peer);
        }
    }
    if (s->tx_bh) {
        g_source_remove(s->tx_bh);
        s->tx_bh = 0;
    }
    s->mergeable = false;
    s->guest_hdr_len = VIRTIO_NET_HDR_LEN;
}

static bool virtio_net_realize(VirtIODevice *vdev, GError **errp)
{
    VirtIONet *s = (VirtIONet *)vdev;
    static const uint8_t zero[6];
    unsigned qs = s->queue_size;

    if (qs < 4 || qs > VIRTQUEUE_MAX_SIZE || (qs & (qs - 1))) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "queue-size %u must be a power of two between 4 and %u", qs,
                    VIRTQUEUE_MAX_SIZE);
        return false;
    }
    if (s->peer && s->peer->peer) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "netdev '%s' is already in use",
                    s->peer->name);
        return false;
    }
    if (!memcmp(s->mac.a, zero, 6)) {
        net_macaddr_default(s->mac.a);
    }
    s->nic = net_client_new(&virtio_net_info, s->peer, vdev->name, NULL);
    s->nic->opaque = s;
    s->has_vnet_hdr = net_peer_has_vnet_hdr(s->nic);
    s->host_hdr_len = 0;
    s->guest_hdr_len = VIRTIO_NET_HDR_LEN;
    s->rx_vq = virtio_add_queue(vdev, qs, virtio_net_handle_rx);
    s->tx_vq = virtio_add_queue(vdev, qs, virtio_net_handle_tx);
    return true;
}

static void virtio_net_unrealize(VirtIODevice *vdev)
{
    VirtIONet *s = (VirtIONet *)vdev;

    virtio_net_reset(vdev);
    g_clear_pointer(&s->nic, net_client_free);
}

static const Property virtio_net_props[] = {
    PROP_NETDEV("netdev", VirtIONet, peer, "ID of the network backend (-netdev)"),
    PROP_MACADDR("mac", VirtIONet, mac, "MAC address (default 52:54:00:12:34:56 + n)"),
    PROP_UINT16("queue-size", VirtIONet, queue_size, 256, "receive and transmit queue size"),
    PROP_END
};

const VirtIODeviceClass virtio_net_device_class = {
    .parent = {
        .name = TYPE_VIRTIO_NET_DEVICE,
        .desc = "virtio network device",
        .parent = &virtio_device_class,
        .instance_size = sizeof(VirtIONet),
        .props = virtio_net_props,
        .category = DEVICE_CATEGORY_NETWORK,
        .user_creatable = true,
    },
    .device_id = VIRTIO_ID_NET,
    .config_size = VIRTIO_NET_CFG_SIZE,
    .realize = virtio_net_realize,
    .unrealize = virtio_net_unrealize,
    .get_features = virtio_net_get_features,
    .set_features = virtio_net_set_features,
    .set_status = virtio_net_set_status,
    .get_config = virtio_net_get_config,
    .set_config = virtio_net_set_config,
    .reset = virtio_net_reset,
};
