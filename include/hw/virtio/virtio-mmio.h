/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The virtio-mmio transport (virtio spec, "Virtio Over MMIO"), with QEMU's
 * register layout and vendor ID so that drivers see what they see there.
 * A system-bus device "virtio-mmio": MMIO region 0 (0x200 bytes: registers
 * then the device configuration space at 0x100), IRQ 0 (level, high while
 * InterruptStatus is non-zero) and a child "virtio-bus" named
 * "virtio-mmio-bus.N" taking one virtio-X-device. Property force-legacy
 * (default true, as in QEMU) selects register version 1 (legacy, page
 * frame based queues); false gives version 2 (virtio 1.x only).
 */
#ifndef HW_VIRTIO_VIRTIO_MMIO_H
#define HW_VIRTIO_VIRTIO_MMIO_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "hw/core/device.h"

#define TYPE_VIRTIO_MMIO "virtio-mmio"
#define VIRTIO_MMIO_SIZE 0x200

#define VIRTIO_MMIO_MAGIC  0x74726976     /* "virt" */
#define VIRTIO_MMIO_VENDOR 0x554d4551     /* "QEMU" */

/* Register offsets (32-bit registers; config space from 0x100). */
enum {
    VIRTIO_MMIO_MAGIC_VALUE         = 0x000,
    VIRTIO_MMIO_VERSION             = 0x004,
    VIRTIO_MMIO_DEVICE_ID           = 0x008,
    VIRTIO_MMIO_VENDOR_ID           = 0x00c,
    VIRTIO_MMIO_DEVICE_FEATURES     = 0x010,
    VIRTIO_MMIO_DEVICE_FEATURES_SEL = 0x014,
    VIRTIO_MMIO_DRIVER_FEATURES     = 0x020,
    VIRTIO_MMIO_DRIVER_FEATURES_SEL = 0x024,
    VIRTIO_MMIO_GUEST_PAGE_SIZE     = 0x028,    /* legacy */
    VIRTIO_MMIO_QUEUE_SEL           = 0x030,
    VIRTIO_MMIO_QUEUE_NUM_MAX       = 0x034,
    VIRTIO_MMIO_QUEUE_NUM           = 0x038,
    VIRTIO_MMIO_QUEUE_ALIGN         = 0x03c,    /* legacy */
    VIRTIO_MMIO_QUEUE_PFN           = 0x040,    /* legacy */
    VIRTIO_MMIO_QUEUE_READY         = 0x044,
    VIRTIO_MMIO_QUEUE_NOTIFY        = 0x050,
    VIRTIO_MMIO_INTERRUPT_STATUS    = 0x060,
    VIRTIO_MMIO_INTERRUPT_ACK       = 0x064,
    VIRTIO_MMIO_STATUS              = 0x070,
    VIRTIO_MMIO_QUEUE_DESC_LOW      = 0x080,
    VIRTIO_MMIO_QUEUE_DESC_HIGH     = 0x084,
    VIRTIO_MMIO_QUEUE_DRIVER_LOW    = 0x090,
    VIRTIO_MMIO_QUEUE_DRIVER_HIGH   = 0x094,
    VIRTIO_MMIO_QUEUE_DEVICE_LOW    = 0x0a0,
    VIRTIO_MMIO_QUEUE_DEVICE_HIGH   = 0x0a4,
    VIRTIO_MMIO_SHM_SEL             = 0x0ac,
    VIRTIO_MMIO_SHM_LEN_LOW         = 0x0b0,
    VIRTIO_MMIO_SHM_LEN_HIGH        = 0x0b4,
    VIRTIO_MMIO_SHM_BASE_LOW        = 0x0b8,
    VIRTIO_MMIO_SHM_BASE_HIGH       = 0x0bc,
    VIRTIO_MMIO_CONFIG_GENERATION   = 0x0fc,
    VIRTIO_MMIO_CONFIG              = 0x100,
};

extern const DeviceClass virtio_mmio_class;

/*
 * Board helper: create, realize, wire irq and map at addr. A board adds
 * one per transport slot; -device virtio-X-device then plugs into a bus.
 */
DeviceState *virtio_mmio_create(uint64_t addr, IrqLine *irq, GError **errp);
/* The transport's virtio-bus (for device_realize). */
BusState *virtio_mmio_get_bus(DeviceState *dev);

#endif
