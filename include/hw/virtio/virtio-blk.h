/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-blk (virtio spec, "Block Device"): one request queue served from
 * a BlockBackend with the block layer's asynchronous requests. Device
 * "virtio-blk-device" plugs into a virtio-mmio bus, "virtio-blk-pci" is
 * the PCI function. Properties: drive (required), serial (GET_ID, at most
 * 20 bytes are reported), queue-size.
 */
#ifndef HW_VIRTIO_VIRTIO_BLK_H
#define HW_VIRTIO_VIRTIO_BLK_H

#include "block/block.h"
#include "hw/virtio/virtio.h"

#define TYPE_VIRTIO_BLK_DEVICE "virtio-blk-device"
#define TYPE_VIRTIO_BLK_PCI "virtio-blk-pci"

/* Feature bits. */
#define VIRTIO_BLK_F_SIZE_MAX       1
#define VIRTIO_BLK_F_SEG_MAX        2
#define VIRTIO_BLK_F_GEOMETRY       4
#define VIRTIO_BLK_F_RO             5
#define VIRTIO_BLK_F_BLK_SIZE       6
#define VIRTIO_BLK_F_FLUSH          9
#define VIRTIO_BLK_F_TOPOLOGY       10
#define VIRTIO_BLK_F_CONFIG_WCE     11
#define VIRTIO_BLK_F_MQ             12
#define VIRTIO_BLK_F_DISCARD        13
#define VIRTIO_BLK_F_WRITE_ZEROES   14

/* Request types (the legacy BARRIER flag, bit 31, is ignored). */
#define VIRTIO_BLK_T_IN             0
#define VIRTIO_BLK_T_OUT            1
#define VIRTIO_BLK_T_FLUSH          4
#define VIRTIO_BLK_T_GET_ID         8
#define VIRTIO_BLK_T_DISCARD        11
#define VIRTIO_BLK_T_WRITE_ZEROES   13
#define VIRTIO_BLK_T_BARRIER        0x80000000u

/* Status byte, the last device-writable byte of a request. */
#define VIRTIO_BLK_S_OK             0
#define VIRTIO_BLK_S_IOERR          1
#define VIRTIO_BLK_S_UNSUPP         2

#define VIRTIO_BLK_ID_BYTES         20
#define VIRTIO_BLK_SECTOR_SIZE      512
#define VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP 1

/* Configuration space offsets (little-endian fields). */
enum {
    VIRTIO_BLK_CFG_CAPACITY         = 0,    /* le64, in 512-byte sectors */
    VIRTIO_BLK_CFG_SIZE_MAX         = 8,
    VIRTIO_BLK_CFG_SEG_MAX          = 12,
    VIRTIO_BLK_CFG_GEOMETRY         = 16,
    VIRTIO_BLK_CFG_BLK_SIZE         = 20,
    VIRTIO_BLK_CFG_PHYS_BLOCK_EXP   = 24,
    VIRTIO_BLK_CFG_ALIGNMENT_OFFSET = 25,
    VIRTIO_BLK_CFG_MIN_IO_SIZE      = 26,
    VIRTIO_BLK_CFG_OPT_IO_SIZE      = 28,
    VIRTIO_BLK_CFG_WRITEBACK        = 32,
    VIRTIO_BLK_CFG_NUM_QUEUES       = 34,
    VIRTIO_BLK_CFG_MAX_DISCARD_SECTORS = 36,
    VIRTIO_BLK_CFG_MAX_DISCARD_SEG  = 40,
    VIRTIO_BLK_CFG_DISCARD_ALIGN    = 44,
    VIRTIO_BLK_CFG_MAX_WZ_SECTORS   = 48,
    VIRTIO_BLK_CFG_MAX_WZ_SEG       = 52,
    VIRTIO_BLK_CFG_WZ_MAY_UNMAP     = 56,
    VIRTIO_BLK_CFG_SIZE             = 60,
};

/* Largest discard / write-zeroes request, in sectors (2 GiB). */
#define VIRTIO_BLK_MAX_DWZ_SECTORS  (1u << 22)

typedef struct VirtIOBlock {
    VirtIODevice parent;
    /* properties */
    BlockBackend *blk;
    char *serial;
    uint16_t queue_size;
    /* state */
    VirtQueue *vq;
} VirtIOBlock;

extern const VirtIODeviceClass virtio_blk_device_class;

#endif
