/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The virtio-pci transport (virtio spec, "Virtio Over PCI Bus"), modern
 * only: vendor 0x1af4, device 0x1040 + virtio device ID, revision 1. There
 * is no legacy I/O BAR: disable-legacy may be auto or on, disable-modern
 * must stay off. Layout as QEMU's:
 *  - BAR 4, 64-bit prefetchable memory, 16 KiB: common configuration at
 *    0x0000, ISR at 0x1000, device configuration at 0x2000, notifications
 *    at 0x3000 (queue n at 0x3000 + 4 * n);
 *  - BAR 1: the MSI-X table and PBA, vectors = queues + 1 by default (the
 *    driver maps queues and config changes to vectors as it likes);
 *  - vendor capabilities COMMON, ISR, DEVICE (when the device has a config
 *    space), NOTIFY (multiplier 4) and PCI_CFG (BAR access through config
 *    space, as firmware uses for BARs above 4 GiB);
 *  - INTA with the ISR when MSI-X is off (read-to-clear).
 * A virtio-X-pci function embeds its VirtIODevice; the device properties
 * (drive, serial...) are the function's own.
 */
#ifndef HW_VIRTIO_VIRTIO_PCI_H
#define HW_VIRTIO_VIRTIO_PCI_H

#include "hw/pci/pci.h"
#include "hw/virtio/virtio.h"

#define TYPE_VIRTIO_PCI "virtio-pci"

#define VIRTIO_PCI_VENDOR_ID        0x1af4
#define VIRTIO_PCI_DEVICE_ID_MODERN 0x1040

/* Vendor capability cfg_type values. */
enum {
    VIRTIO_PCI_CAP_COMMON_CFG = 1,
    VIRTIO_PCI_CAP_NOTIFY_CFG = 2,
    VIRTIO_PCI_CAP_ISR_CFG = 3,
    VIRTIO_PCI_CAP_DEVICE_CFG = 4,
    VIRTIO_PCI_CAP_PCI_CFG = 5,
};

/* Vendor capability layout (offsets from the capability). */
enum {
    VIRTIO_PCI_CAP_LEN = 2,
    VIRTIO_PCI_CAP_CFG_TYPE = 3,
    VIRTIO_PCI_CAP_BAR = 4,
    VIRTIO_PCI_CAP_ID = 5,
    VIRTIO_PCI_CAP_OFFSET = 8,          /* le32 */
    VIRTIO_PCI_CAP_LENGTH = 12,         /* le32 */
    VIRTIO_PCI_NOTIFY_CAP_MULT = 16,    /* le32, notify cap only */
    VIRTIO_PCI_CFG_CAP_DATA = 16,       /* u8[4], pci_cfg cap only */
    VIRTIO_PCI_CAP_SIZE = 16,
    VIRTIO_PCI_CAP_EXT_SIZE = 20,
};

/* Common configuration structure. */
enum {
    VIRTIO_PCI_COMMON_DFSELECT = 0x00,
    VIRTIO_PCI_COMMON_DF = 0x04,
    VIRTIO_PCI_COMMON_GFSELECT = 0x08,
    VIRTIO_PCI_COMMON_GF = 0x0c,
    VIRTIO_PCI_COMMON_MSIX = 0x10,
    VIRTIO_PCI_COMMON_NUMQ = 0x12,
    VIRTIO_PCI_COMMON_STATUS = 0x14,
    VIRTIO_PCI_COMMON_CFGGENERATION = 0x15,
    VIRTIO_PCI_COMMON_Q_SELECT = 0x16,
    VIRTIO_PCI_COMMON_Q_SIZE = 0x18,
    VIRTIO_PCI_COMMON_Q_MSIX = 0x1a,
    VIRTIO_PCI_COMMON_Q_ENABLE = 0x1c,
    VIRTIO_PCI_COMMON_Q_NOFF = 0x1e,
    VIRTIO_PCI_COMMON_Q_DESCLO = 0x20,
    VIRTIO_PCI_COMMON_Q_DESCHI = 0x24,
    VIRTIO_PCI_COMMON_Q_AVAILLO = 0x28,
    VIRTIO_PCI_COMMON_Q_AVAILHI = 0x2c,
    VIRTIO_PCI_COMMON_Q_USEDLO = 0x30,
    VIRTIO_PCI_COMMON_Q_USEDHI = 0x34,
    VIRTIO_PCI_COMMON_SIZE = 0x38,
};

#define VIRTIO_PCI_MODERN_BAR       4
#define VIRTIO_PCI_MSIX_BAR         1
#define VIRTIO_PCI_COMMON_OFFSET    0x0000
#define VIRTIO_PCI_ISR_OFFSET       0x1000
#define VIRTIO_PCI_DEVICE_OFFSET    0x2000
#define VIRTIO_PCI_NOTIFY_OFFSET    0x3000
#define VIRTIO_PCI_REGION_SIZE      0x1000
#define VIRTIO_PCI_MODERN_BAR_SIZE  0x4000
#define VIRTIO_PCI_NOTIFY_MULT      4

/* vectors property: auto (queues + 1). 0 means no MSI-X. */
#define VIRTIO_PCI_VECTORS_AUTO     UINT32_MAX

typedef struct VirtIOPCIQueue {
    uint16_t num;
    uint32_t desc[2], avail[2], used[2];
} VirtIOPCIQueue;

typedef struct VirtIOPCIProxy {
    PCIDevice parent;
    /* properties */
    uint32_t vectors_prop;
    int disable_legacy;         /* auto, on, off */
    bool disable_modern;
    /* state */
    VirtIODevice *vdev;         /* embedded in the leaf instance */
    unsigned nvectors;
    MemoryRegion modern_bar;
    MemoryRegion common, isr, device, notify;
    bool regions_ready;
    uint8_t pci_cfg_cap;
    uint32_t dfselect, gfselect;
    uint32_t guest_features[2];
    uint16_t queue_sel;
    VirtIOPCIQueue vqs[VIRTIO_QUEUE_MAX];
} VirtIOPCIProxy;

/* A virtio-X-pci class: which device it embeds, and where. */
typedef struct VirtIOPCIClass {
    PCIDeviceClass parent;
    const VirtIODeviceClass *vdev_class;
    size_t vdev_offset;
} VirtIOPCIClass;

/* The abstract base (its DeviceClass is virtio_pci_class.parent). */
extern const PCIDeviceClass virtio_pci_class;

/* Registers virtio-rng-pci, virtio-blk-pci, virtio-net-pci. */
void virtio_pci_register_devices(void);

#endif
