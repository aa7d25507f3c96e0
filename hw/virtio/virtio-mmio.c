/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The virtio-mmio transport, device "virtio-mmio" (register map in
 * include/hw/virtio/virtio-mmio.h). Version 1 (legacy) places each queue
 * by page frame number with GuestPageSize and QueueAlign, and exposes only
 * the low 32 feature bits; version 2 takes three 64-bit ring addresses and
 * QueueReady, and requires the driver to accept VIRTIO_F_VERSION_1.
 * Modern queue settings are staged here and applied when QueueReady is
 * written, so a driver may write them in any order.
 */
#include <string.h>

#include "hw/virtio/virtio-mmio.h"
#include "hw/virtio/virtio.h"
#include "system/memory.h"
#include "util/error.h"
#include "util/log.h"

typedef struct VirtIOMMIOQueue {
    uint32_t num;
    uint32_t desc[2], avail[2], used[2];
    uint32_t align;             /* legacy QueueAlign */
} VirtIOMMIOQueue;

typedef struct VirtIOMMIOProxy {
    DeviceState parent;
    MemoryRegion mmio;
    IrqLine *irq;
    VirtioBus bus;
    VirtIODevice *vdev;         /* plugged device, or NULL */
    bool force_legacy;          /* property */
    bool legacy;                /* fixed at realize */
    uint32_t host_features_sel;
    uint32_t guest_features_sel;
    uint32_t guest_features[2];
    uint32_t guest_page_shift;
    uint32_t queue_sel;
    VirtIOMMIOQueue vqs[VIRTIO_QUEUE_MAX];
} VirtIOMMIOProxy;

static void virtio_mmio_update_irq(VirtIOMMIOProxy *s)
{
    irq_set(s->irq, s->vdev && s->vdev->isr);
}

static void virtio_mmio_soft_reset(VirtIOMMIOProxy *s)
{
    s->host_features_sel = 0;
    s->guest_features_sel = 0;
    s->guest_features[0] = s->guest_features[1] = 0;
    s->queue_sel = 0;
    for (unsigned i = 0; i < VIRTIO_QUEUE_MAX; i++) {
        memset(&s->vqs[i], 0, sizeof(s->vqs[i]));
        s->vqs[i].align = VIRTIO_LEGACY_VRING_ALIGN;
    }
}

static VirtQueue *virtio_mmio_cur_queue(VirtIOMMIOProxy *s)
{
    return virtio_get_queue(s->vdev, s->queue_sel);
}

static uint64_t virtio_mmio_read(void *opaque, uint64_t addr, unsigned size)
{
    VirtIOMMIOProxy *s = opaque;
    VirtIODevice *vdev = s->vdev;
    VirtQueue *vq;

    if (addr >= VIRTIO_MMIO_CONFIG) {
        return vdev ? virtio_config_read(vdev, addr - VIRTIO_MMIO_CONFIG, size) : 0;
    }
    if (size != 4 || (addr & 3)) {
        log_guest_error("virtio-mmio: %u-byte read at 0x%03" G_GINT64_MODIFIER "x\n", size,
                        addr);
        return 0;
    }
    switch (addr) {
    case VIRTIO_MMIO_MAGIC_VALUE:
        return VIRTIO_MMIO_MAGIC;
    case VIRTIO_MMIO_VERSION:
        return s->legacy ? 1 : 2;
    case VIRTIO_MMIO_VENDOR_ID:
        return VIRTIO_MMIO_VENDOR;
    default:
        break;
    }
    if (!vdev) {
        /* Device ID 0 tells the driver the slot is empty. */
        return 0;
    }
    switch (addr) {
    case VIRTIO_MMIO_DEVICE_ID:
        return vdev->device_id;
    case VIRTIO_MMIO_DEVICE_FEATURES:
        if (s->legacy) {
            return s->host_features_sel ? 0 : (uint32_t)vdev->host_features;
        }
        return s->host_features_sel > 1 ? 0
               : (uint32_t)(vdev->host_features >> (32 * s->host_features_sel));
    case VIRTIO_MMIO_QUEUE_NUM_MAX:
        vq = virtio_mmio_cur_queue(s);
        return vq ? vq->num_max : 0;
    case VIRTIO_MMIO_QUEUE_PFN:
        if (!s->legacy) {
            break;
        }
        vq = virtio_mmio_cur_queue(s);
        return vq ? vq->legacy_pfn : 0;
    case VIRTIO_MMIO_QUEUE_READY:
        if (s->legacy) {
            break;
        }
        vq = virtio_mmio_cur_queue(s);
        return vq && vq->ready;
    case VIRTIO_MMIO_INTERRUPT_STATUS:
        return vdev->isr;
    case VIRTIO_MMIO_STATUS:
        return vdev->status;
    case VIRTIO_MMIO_CONFIG_GENERATION:
        return vdev->generation;
    case VIRTIO_MMIO_SHM_LEN_LOW:
    case VIRTIO_MMIO_SHM_LEN_HIGH:
    case VIRTIO_MMIO_SHM_BASE_LOW:
    case VIRTIO_MMIO_SHM_BASE_HIGH:
        /* No shared memory regions: every length reads as -1. */
        return s->legacy ? 0 : UINT32_MAX;
    default:
        break;
    }
    log_guest_error("virtio-mmio: read of %s offset 0x%03" G_GINT64_MODIFIER "x\n",
                    s->legacy ? "legacy" : "modern", addr);
    return 0;
}

static void virtio_mmio_queue_ready(VirtIOMMIOProxy *s, uint32_t value)
{
    VirtIODevice *vdev = s->vdev;
    VirtIOMMIOQueue *q;

    if (s->queue_sel >= vdev->num_queues) {
        log_guest_error("virtio-mmio: QueueReady for missing queue %u\n", s->queue_sel);
        return;
    }
    q = &s->vqs[s->queue_sel];
    if (value & 1) {
        if (q->num) {
            virtio_queue_set_num(vdev, s->queue_sel, q->num);
        }
        virtio_queue_set_rings(vdev, s->queue_sel,
                               ((uint64_t)q->desc[1] << 32) | q->desc[0],
                               ((uint64_t)q->avail[1] << 32) | q->avail[0],
                               ((uint64_t)q->used[1] << 32) | q->used[0]);
        virtio_queue_set_ready(vdev, s->queue_sel, true);
    } else {
        virtio_queue_set_ready(vdev, s->queue_sel, false);
    }
}

static void virtio_mmio_write_status(VirtIOMMIOProxy *s, uint32_t value)
{
    VirtIODevice *vdev = s->vdev;

    if (!s->legacy && (value & VIRTIO_CONFIG_S_FEATURES_OK) &&
        !(vdev->status & VIRTIO_CONFIG_S_FEATURES_OK)) {
        virtio_set_features(vdev, ((uint64_t)s->guest_features[1] << 32) | s->guest_features[0]);
    }
    virtio_set_status(vdev, value & 0xff);
    if (!vdev->status) {
        virtio_mmio_soft_reset(s);
    }
    virtio_mmio_update_irq(s);
}

static void virtio_mmio_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    VirtIOMMIOProxy *s = opaque;
    VirtIODevice *vdev = s->vdev;
    uint32_t value = val;
    VirtIOMMIOQueue *q = &s->vqs[s->queue_sel % VIRTIO_QUEUE_MAX];

    if (!vdev) {
        log_guest_error("virtio-mmio: write to 0x%03" G_GINT64_MODIFIER "x of an empty slot\n",
                        addr);
        return;
    }
    if (vdev->dma_depth) {
        log_guest_error("%s: register write from the device's own DMA ignored\n", vdev->name);
        return;
    }
    if (addr >= VIRTIO_MMIO_CONFIG) {
        virtio_config_write(vdev, addr - VIRTIO_MMIO_CONFIG, value, size);
        return;
    }
    if (size != 4 || (addr & 3)) {
        log_guest_error("virtio-mmio: %u-byte write at 0x%03" G_GINT64_MODIFIER "x\n", size,
                        addr);
        return;
    }
    switch (addr) {
    case VIRTIO_MMIO_DEVICE_FEATURES_SEL:
        s->host_features_sel = value;
        return;
    case VIRTIO_MMIO_DRIVER_FEATURES:
        if (s->legacy) {
            if (!s->guest_features_sel) {
                virtio_set_features(vdev, value);
            }
        } else if (s->guest_features_sel < 2) {
            s->guest_features[s->guest_features_sel] = value;
        }
        return;
    case VIRTIO_MMIO_DRIVER_FEATURES_SEL:
        s->guest_features_sel = value;
        return;
    case VIRTIO_MMIO_QUEUE_SEL:
        s->queue_sel = value;
        return;
    case VIRTIO_MMIO_QUEUE_NUM:
        if (s->legacy) {
            virtio_queue_set_num(vdev, s->queue_sel, value);
        } else if (s->queue_sel < VIRTIO_QUEUE_MAX) {
            q->num = value;
        }
        return;
    case VIRTIO_MMIO_QUEUE_NOTIFY:
        virtio_queue_notify(vdev, value & 0xffff);
        return;
    case VIRTIO_MMIO_INTERRUPT_ACK:
        vdev->isr &= ~value;
        virtio_mmio_update_irq(s);
        return;
    case VIRTIO_MMIO_STATUS:
        virtio_mmio_write_status(s, value);
        return;
    default:
        break;
    }
    if (s->legacy) {
        switch (addr) {
        case VIRTIO_MMIO_GUEST_PAGE_SIZE:
            s->guest_page_shift = value ? __builtin_ctz(value) : 0;
            return;
        case VIRTIO_MMIO_QUEUE_ALIGN:
            if (s->queue_sel < VIRTIO_QUEUE_MAX) {
                q->align = value;
            }
            return;
        case VIRTIO_MMIO_QUEUE_PFN: {
            VirtQueue *vq = virtio_mmio_cur_queue(s);

            virtio_queue_set_legacy_addr(vdev, s->queue_sel,
                                         (uint64_t)value << s->guest_page_shift, q->align);
            if (vq) {
                vq->legacy_pfn = vq->ready ? value : 0;
            }
            return;
        }
        default:
            break;
        }
    } else if (s->queue_sel < VIRTIO_QUEUE_MAX) {
        switch (addr) {
        case VIRTIO_MMIO_QUEUE_READY:
            virtio_mmio_queue_ready(s, value);
            return;
        case VIRTIO_MMIO_QUEUE_DESC_LOW:
        case VIRTIO_MMIO_QUEUE_DESC_HIGH:
            q->desc[addr == VIRTIO_MMIO_QUEUE_DESC_HIGH] = value;
            return;
        case VIRTIO_MMIO_QUEUE_DRIVER_LOW:
        case VIRTIO_MMIO_QUEUE_DRIVER_HIGH:
            q->avail[addr == VIRTIO_MMIO_QUEUE_DRIVER_HIGH] = value;
            return;
        case VIRTIO_MMIO_QUEUE_DEVICE_LOW:
        case VIRTIO_MMIO_QUEUE_DEVICE_HIGH:
            q->used[addr == VIRTIO_MMIO_QUEUE_DEVICE_HIGH] = value;
            return;
        case VIRTIO_MMIO_SHM_SEL:
            return;
        default:
            break;
        }
    }
    log_guest_error("virtio-mmio: write of 0x%x to %s offset 0x%03" G_GINT64_MODIFIER "x\n",
                    value, s->legacy ? "legacy" : "modern", addr);
}

static const MemoryRegionOps virtio_mmio_ops = {
    .read = virtio_mmio_read,
    .write = virtio_mmio_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
};

/* ---- transport and bus ---- */

static void virtio_mmio_notify(void *opaque, uint16_t vector)
{
    virtio_mmio_update_irq(opaque);
}

static const VirtioTransportOps virtio_mmio_transport = {
    .notify = virtio_mmio_notify,
};

static void virtio_mmio_plugged(void *opaque, VirtIODevice *vdev)
{
    VirtIOMMIOProxy *s = opaque;

    s->vdev = vdev;
    vdev->modern_only = !s->legacy;
    virtio_bind_transport(vdev, &virtio_mmio_transport, s, NULL);
    virtio_mmio_soft_reset(s);
}

static void virtio_mmio_unplugged(void *opaque, VirtIODevice *vdev)
{
    VirtIOMMIOProxy *s = opaque;

    s->vdev = NULL;
    irq_lower(s->irq);
}

static const VirtioBusOps virtio_mmio_bus_ops = {
    .plugged = virtio_mmio_plugged,
    .unplugged = virtio_mmio_unplugged,
};

/* ---- device ---- */

static void virtio_mmio_instance_init(DeviceState *dev)
{
    VirtIOMMIOProxy *s = (VirtIOMMIOProxy *)dev;

    memory_region_init_io(&s->mmio, &virtio_mmio_ops, s, TYPE_VIRTIO_MMIO, VIRTIO_MMIO_SIZE);
    device_init_mmio(dev, &s->mmio);
    device_init_irq(dev, &s->irq);
    virtio_mmio_soft_reset(s);
}

static bool virtio_mmio_realize(DeviceState *dev, GError **errp)
{
    VirtIOMMIOProxy *s = (VirtIOMMIOProxy *)dev;
    g_autofree char *name = NULL;

    s->legacy = s->force_legacy;
    /* QEMU's bus names, for bus=virtio-mmio-bus.N. */
    for (unsigned n = 0; !name; n++) {
        g_autofree char *cand = g_strdup_printf("virtio-mmio-bus.%u", n);

        if (!bus_find(cand)) {
            name = g_steal_pointer(&cand);
        }
    }
    virtio_bus_init(&s->bus, dev, name, &virtio_mmio_bus_ops, s);
    return true;
}

static void virtio_mmio_unrealize(DeviceState *dev)
{
    VirtIOMMIOProxy *s = (VirtIOMMIOProxy *)dev;

    /* Children are gone already; names must stay findable only while realized. */
    virtio_bus_destroy(&s->bus);
    s->vdev = NULL;
}

static void virtio_mmio_reset(DeviceState *dev)
{
    VirtIOMMIOProxy *s = (VirtIOMMIOProxy *)dev;

    /* The plugged device is reset after us, as a child of our bus. */
    virtio_mmio_soft_reset(s);
    irq_lower(s->irq);
}

static void virtio_mmio_finalize(DeviceState *dev)
{
    memory_region_destroy(&((VirtIOMMIOProxy *)dev)->mmio);
}

static const Property virtio_mmio_props[] = {
    PROP_BOOL("force-legacy", VirtIOMMIOProxy, force_legacy, true,
              "register version 1 (legacy) instead of 2 (virtio 1.x)"),
    PROP_END
};

const DeviceClass virtio_mmio_class = {
    .name = TYPE_VIRTIO_MMIO,
    .desc = "virtio-mmio transport",
    .instance_size = sizeof(VirtIOMMIOProxy),
    .props = virtio_mmio_props,
    .category = DEVICE_CATEGORY_BRIDGE,
    .bus_type = BUS_TYPE_SYSTEM,
    .user_creatable = false,
    .instance_init = virtio_mmio_instance_init,
    .realize = virtio_mmio_realize,
    .reset = virtio_mmio_reset,
    .unrealize = virtio_mmio_unrealize,
    .instance_finalize = virtio_mmio_finalize,
};

DeviceState *virtio_mmio_create(uint64_t addr, IrqLine *irq, GError **errp)
{
    DeviceState *dev = device_new(TYPE_VIRTIO_MMIO, errp);

    if (!dev) {
        return NULL;
    }
    if (!device_realize(dev, NULL, errp)) {
        device_free(dev);
        return NULL;
    }
    device_connect_irq(dev, 0, irq);
    device_mmio_map(dev, 0, addr);
    return dev;
}

BusState *virtio_mmio_get_bus(DeviceState *dev)
{
    g_assert(device_is_a(dev, TYPE_VIRTIO_MMIO));
    return ((VirtIOMMIOProxy *)dev)->bus.bus;
}
