/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-net (virtio spec, "Network Device"): a receive queue (0) and a
 * transmit queue (1), no control queue. The NIC is a NetClientState paired
 * with the netdev backend. Mergeable receive buffers are offered; checksum
 * and segmentation offloads only when the backend passes virtio-net
 * headers (tap with vnet_hdr), since otherwise nobody would complete a
 * partial checksum. Device "virtio-net-device" plugs into a virtio-mmio
 * bus, "virtio-net-pci" is the PCI function. Properties: netdev, mac
 * (default QEMU's 52:54:00:12:34:56 + n), queue-size.
 */
#ifndef HW_VIRTIO_VIRTIO_NET_H
#define HW_VIRTIO_VIRTIO_NET_H

#include "hw/virtio/virtio.h"
#include "net/net.h"

#define TYPE_VIRTIO_NET_DEVICE "virtio-net-device"
#define TYPE_VIRTIO_NET_PCI "virtio-net-pci"

/* Feature bits. */
#define VIRTIO_NET_F_CSUM           0
#define VIRTIO_NET_F_GUEST_CSUM     1
#define VIRTIO_NET_F_MAC            5
#define VIRTIO_NET_F_GUEST_TSO4     7
#define VIRTIO_NET_F_GUEST_TSO6     8
#define VIRTIO_NET_F_GUEST_ECN      9
#define VIRTIO_NET_F_HOST_TSO4      11
#define VIRTIO_NET_F_HOST_TSO6      12
#define VIRTIO_NET_F_HOST_ECN       13
#define VIRTIO_NET_F_MRG_RXBUF      15
#define VIRTIO_NET_F_STATUS         16

#define VIRTIO_NET_S_LINK_UP        1

/* Configuration space: mac[6], le16 status, le16 max_virtqueue_pairs. */
enum {
    VIRTIO_NET_CFG_MAC = 0,
    VIRTIO_NET_CFG_STATUS = 6,
    VIRTIO_NET_CFG_MAX_VQ_PAIRS = 8,
    VIRTIO_NET_CFG_SIZE = 10,
};

/* The per-frame header: 10 bytes, 12 with num_buffers (modern or mergeable). */
#define VIRTIO_NET_HDR_LEN          10
#define VIRTIO_NET_HDR_MRG_LEN      12
#define VIRTIO_NET_HDR_NUM_BUFFERS  10

#define VIRTIO_NET_RX_QUEUE 0
#define VIRTIO_NET_TX_QUEUE 1

typedef struct VirtIONet {
    VirtIODevice parent;
    /* properties */
    NetClientState *peer;       /* netdev */
    MacAddr mac;
    uint16_t queue_size;
    /* state */
    NetClientState *nic;
    VirtQueue *rx_vq, *tx_vq;
    bool mergeable;
    unsigned guest_hdr_len;
    unsigned host_hdr_len;      /* header bytes the backend sends and expects */
    bool has_vnet_hdr;
    VirtQueueElement tx_elem;   /* waiting for the backend (async send) */
    bool tx_waiting;
    guint tx_bh;                /* idle source continuing a long tx burst */
} VirtIONet;

extern const VirtIODeviceClass virtio_net_device_class;

#endif
