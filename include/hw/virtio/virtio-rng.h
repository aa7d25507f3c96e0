/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-rng (virtio spec, "Entropy Device"): one request queue whose
 * device-writable buffers are filled from the host's getrandom(). Device
 * "virtio-rng-device" plugs into a virtio-mmio bus; "virtio-rng-pci" is
 * the PCI function.
 */
#ifndef HW_VIRTIO_VIRTIO_RNG_H
#define HW_VIRTIO_VIRTIO_RNG_H

#include "hw/virtio/virtio.h"

#define TYPE_VIRTIO_RNG_DEVICE "virtio-rng-device"
#define TYPE_VIRTIO_RNG_PCI "virtio-rng-pci"
#define VIRTIO_RNG_QUEUE_SIZE 8
/* Bytes handed out per buffer: bounds the work one huge buffer costs. */
#define VIRTIO_RNG_MAX_CHUNK 65536

typedef struct VirtIORNG {
    VirtIODevice parent;
    VirtQueue *vq;
} VirtIORNG;

extern const VirtIODeviceClass virtio_rng_device_class;

#endif
