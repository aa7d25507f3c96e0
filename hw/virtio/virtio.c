/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The virtio core: the abstract "virtio-device" class and its virtio-bus,
 * device status and feature negotiation, the configuration space, queue
 * set-up on behalf of transports, device reset and virtio_error(). The
 * rings themselves live in virtqueue.c.
 */
#include <errno.h>
#include <string.h>

#include "hw/virtio/virtio.h"
#include "hw/virtio/virtio-serial.h"
#include "hw/virtio/virtio-mmio.h"
#include "hw/virtio/virtio-pci.h"
#include "hw/virtio/virtio-rng.h"
#include "hw/virtio/virtio-blk.h"
#include "hw/virtio/virtio-net.h"
#include "system/memory.h"
#include "util/error.h"
#include "util/log.h"

/* Offered by the core to every device; transports may hide some. */
#define VIRTIO_CORE_FEATURES                                            \
    (VIRTIO_BIT(VIRTIO_F_VERSION_1) | VIRTIO_BIT(VIRTIO_F_RING_INDIRECT_DESC) | \
     VIRTIO_BIT(VIRTIO_F_RING_EVENT_IDX) | VIRTIO_BIT(VIRTIO_F_NOTIFY_ON_EMPTY) | \
     VIRTIO_BIT(VIRTIO_F_ANY_LAYOUT))

/* ---- errors ---- */

void virtio_error(VirtIODevice *vdev, const char *fmt, ...)
{
    va_list ap;

    if (vdev->broken) {
        return;
    }
    vdev->broken = true;
    if (log_enabled(LOG_GUEST_ERROR)) {
        g_autofree char *msg = NULL;

        va_start(ap, fmt);
        msg = g_strdup_vprintf(fmt, ap);
        va_end(ap);
        log_printf("%s: %s; device needs a reset\n", vdev->name, msg);
    }
    vdev->status |= VIRTIO_CONFIG_S_DEVICE_NEEDS_RESET;
    if (virtio_has_feature(vdev, VIRTIO_F_VERSION_1)) {
        virtio_notify_config(vdev);
    }
}

/* ---- set-up ---- */

static void virtio_queue_reset(VirtQueue *vq)
{
    vq->num = vq->num_max;
    vq->ready = false;
    vq->desc = vq->avail = vq->used = 0;
    vq->last_avail_idx = 0;
    vq->used_idx = 0;
    vq->signalled_used = 0;
    vq->signalled_used_valid = false;
    vq->notification = true;
    vq->inuse = 0;
    vq->vector = VIRTIO_NO_VECTOR;
    vq->legacy_pfn = 0;
}

void virtio_init(VirtIODevice *vdev, const VirtIODeviceClass *vc)
{
    vdev->vc = vc;
    if (!vdev->name) {
        vdev->name = vc->parent.name;
    }
    vdev->device_id = vc->device_id;
    vdev->config_len = vc->config_size;
    vdev->config = g_malloc0(MAX(vc->config_size, 1));
    vdev->vq = g_new0(VirtQueue, VIRTIO_QUEUE_MAX);
    for (unsigned i = 0; i < VIRTIO_QUEUE_MAX; i++) {
        vdev->vq[i].vdev = vdev;
        vdev->vq[i].index = i;
        vdev->vq[i].vector = VIRTIO_NO_VECTOR;
    }
    vdev->num_queues = 0;
    vdev->config_vector = VIRTIO_NO_VECTOR;
    vdev->dma_as = address_space_memory();
    vdev->status = 0;
    vdev->isr = 0;
    vdev->broken = false;
}

void virtio_cleanup(VirtIODevice *vdev)
{
    g_clear_pointer(&vdev->config, g_free);
    g_clear_pointer(&vdev->vq, g_free);
    vdev->num_queues = 0;
    vdev->transport = NULL;
    vdev->transport_opaque = NULL;
}

VirtQueue *virtio_add_queue(VirtIODevice *vdev, unsigned size, VirtIOHandleOutput handler)
{
    VirtQueue *vq;

    g_assert(vdev->num_queues < VIRTIO_QUEUE_MAX);
    g_assert(size && size <= VIRTQUEUE_MAX_SIZE && !(size & (size - 1)));
    vq = &vdev->vq[vdev->num_queues++];
    vq->num_max = size;
    vq->handle_output = handler;
    virtio_queue_reset(vq);
    return vq;
}

VirtQueue *virtio_get_queue(VirtIODevice *vdev, unsigned n)
{
    return n < vdev->num_queues ? &vdev->vq[n] : NULL;
}

unsigned virtio_queue_index(const VirtQueue *vq)
{
    return vq->index;
}

static bool virtio_realize_common(VirtIODevice *vdev, const VirtIODeviceClass *vc,
                                  GError **errp)
{
    virtio_init(vdev, vc);
    if (vc->realize && !vc->realize(vdev, errp)) {
        virtio_cleanup(vdev);
        return false;
    }
    vdev->host_features = vc->get_features ? vc->get_features(vdev, VIRTIO_CORE_FEATURES)
                                           : VIRTIO_CORE_FEATURES;
    vdev->realized = true;
    return true;
}

static void virtio_unrealize_common(VirtIODevice *vdev)
{
    if (!vdev->realized) {
        return;
    }
    if (vdev->vc->unrealize) {
        vdev->vc->unrealize(vdev);
    }
    virtio_cleanup(vdev);
    vdev->realized = false;
}

bool virtio_device_realize_embedded(VirtIODevice *vdev, const VirtIODeviceClass *vc,
                                    GError **errp)
{
    return virtio_realize_common(vdev, vc, errp);
}

void virtio_device_unrealize_embedded(VirtIODevice *vdev)
{
    virtio_unrealize_common(vdev);
}

void virtio_bind_transport(VirtIODevice *vdev, const VirtioTransportOps *ops, void *opaque,
                           AddressSpace *dma_as)
{
    vdev->transport = ops;
    vdev->transport_opaque = opaque;
    vdev->dma_as = dma_as ? dma_as : address_space_memory();
}

int virtio_transport_set_host_notifier(VirtIODevice *vdev, unsigned n, bool assign)
{
    if (!vdev->transport || !vdev->transport->set_host_notifier) {
        return -ENOSYS;
    }
    return vdev->transport->set_host_notifier(vdev->transport_opaque, n, assign);
}

int virtio_transport_set_guest_notifiers(VirtIODevice *vdev, bool assign)
{
    if (!vdev->transport || !vdev->transport->set_guest_notifiers) {
        return -ENOSYS;
    }
    return vdev->transport->set_guest_notifiers(vdev->transport_opaque, vdev->num_queues,
                                                assign);
}

/* ---- the virtio-device class and its bus ---- */

static const VirtIODeviceClass *virtio_class_of(const DeviceClass *dc)
{
    for (; dc && dc->parent; dc = dc->parent) {
        if (dc->parent == &virtio_device_class) {
            return (const VirtIODeviceClass *)dc;
        }
    }
    return NULL;
}

static bool virtio_device_dc_realize(DeviceState *dev, GError **errp)
{
    VirtIODevice *vdev = (VirtIODevice *)dev;
    const VirtIODeviceClass *vc = virtio_class_of(dev->klass);
    VirtioBus *vb = dev->parent_bus ? dev->parent_bus->opaque : NULL;

    if (!vc) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "abstract virtio device");
        return false;
    }
    if (!virtio_realize_common(vdev, vc, errp)) {
        return false;
    }
    if (vb && vb->ops && vb->ops->plugged) {
        vb->ops->plugged(vb->opaque, vdev);
    }
    return true;
}

static void virtio_device_dc_unrealize(DeviceState *dev)
{
    virtio_unrealize_common((VirtIODevice *)dev);
}

static void virtio_device_dc_reset(DeviceState *dev)
{
    VirtIODevice *vdev = (VirtIODevice *)dev;

    if (vdev->realized) {
        virtio_reset(vdev);
    }
}

const DeviceClass virtio_device_class = {
    .name = TYPE_VIRTIO_DEVICE,
    .desc = "virtio device",
    .instance_size = sizeof(VirtIODevice),
    .bus_type = TYPE_VIRTIO_BUS,
    .user_creatable = false,
    .realize = virtio_device_dc_realize,
    .reset = virtio_device_dc_reset,
    .unrealize = virtio_device_dc_unrealize,
};

static bool virtio_bus_check_plug(BusState *bus, DeviceState *dev, GError **errp)
{
    if (!virtio_class_of(dev->klass)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "bus '%s' takes only virtio devices", bus->name);
        return false;
    }
    if (bus->children->len) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "bus '%s' already holds a device", bus->name);
        return false;
    }
    return true;
}

static void virtio_bus_unplug(BusState *bus, DeviceState *dev)
{
    VirtioBus *vb = bus->opaque;

    if (vb->ops && vb->ops->unplugged) {
        vb->ops->unplugged(vb->opaque, (VirtIODevice *)dev);
    }
}

/* A virtio bus carries one device: the transport it belongs to serves it. */
static bool virtio_bus_is_full(BusState *bus)
{
    return bus->children->len > 0;
}

static const BusOps virtio_bus_ops = {
    .check_plug = virtio_bus_check_plug,
    .unplug = virtio_bus_unplug,
    .is_full = virtio_bus_is_full,
};

void virtio_bus_init(VirtioBus *vb, DeviceState *parent, const char *name,
                     const VirtioBusOps *ops, void *opaque)
{
    vb->bus = bus_new(TYPE_VIRTIO_BUS, name, parent);
    vb->ops = ops;
    vb->opaque = opaque;
    bus_set_ops(vb->bus, &virtio_bus_ops, vb);
}

void virtio_bus_destroy(VirtioBus *vb)
{
    g_clear_pointer(&vb->bus, bus_free);
}

VirtIODevice *virtio_bus_get_device(VirtioBus *vb)
{
    return vb->bus && vb->bus->children->len ? vb->bus->children->pdata[0] : NULL;
}

/* ---- status and features ---- */

bool virtio_has_feature(const VirtIODevice *vdev, unsigned bit)
{
    return vdev->guest_features & VIRTIO_BIT(bit);
}

bool virtio_host_has_feature(const VirtIODevice *vdev, unsigned bit)
{
    return vdev->host_features & VIRTIO_BIT(bit);
}

bool virtio_set_features(VirtIODevice *vdev, uint64_t features)
{
    uint64_t bad = features & ~vdev->host_features;

    if (vdev->status & VIRTIO_CONFIG_S_FEATURES_OK) {
        log_guest_error("%s: features written after FEATURES_OK\n", vdev->name);
        return false;
    }
    if (bad) {
        log_guest_error("%s: driver accepted features 0x%" G_GINT64_MODIFIER
                        "x that were not offered\n", vdev->name, bad);
    }
    vdev->guest_features = features & vdev->host_features;
    if (vdev->vc->set_features) {
        vdev->vc->set_features(vdev, vdev->guest_features);
    }
    return !bad;
}

static bool virtio_features_ok(VirtIODevice *vdev)
{
    if (vdev->modern_only && !virtio_has_feature(vdev, VIRTIO_F_VERSION_1)) {
        log_guest_error("%s: FEATURES_OK refused: the driver did not accept VERSION_1\n",
                        vdev->name);
        return false;
    }
    return true;
}

void virtio_set_status(VirtIODevice *vdev, uint8_t status)
{
    uint8_t old = vdev->status;

    if (!status) {
        virtio_reset(vdev);
        return;
    }
    status &= ~VIRTIO_CONFIG_S_DEVICE_NEEDS_RESET;
    if ((status & VIRTIO_CONFIG_S_FEATURES_OK) && !(old & VIRTIO_CONFIG_S_FEATURES_OK) &&
        !virtio_features_ok(vdev)) {
        status &= ~VIRTIO_CONFIG_S_FEATURES_OK;
    }
    if (vdev->broken) {
        status |= VIRTIO_CONFIG_S_DEVICE_NEEDS_RESET;
    }
    vdev->status = status;
    if (vdev->vc->set_status && old != status) {
        vdev->vc->set_status(vdev, status);
    }
}

void virtio_reset(VirtIODevice *vdev)
{
    if (vdev->vc && vdev->vc->reset) {
        vdev->vc->reset(vdev);
    }
    vdev->status = 0;
    vdev->isr = 0;
    vdev->guest_features = 0;
    vdev->broken = false;
    vdev->config_vector = VIRTIO_NO_VECTOR;
    for (unsigned i = 0; i < vdev->num_queues; i++) {
        virtio_queue_reset(&vdev->vq[i]);
    }
}

/* ---- configuration space ---- */

uint32_t virtio_config_read(VirtIODevice *vdev, uint32_t addr, unsigned size)
{
    uint32_t val = 0;

    if ((size != 1 && size != 2 && size != 4) || addr > vdev->config_len ||
        size > vdev->config_len - addr) {
        log_guest_error("%s: config read of %u bytes at 0x%x outside its %zu bytes\n",
                        vdev->name, size, addr, vdev->config_len);
        return 0;
    }
    if (vdev->vc->get_config) {
        vdev->vc->get_config(vdev, vdev->config);
    }
    memcpy(&val, vdev->config + addr, size);
    return GUINT32_FROM_LE(val);
}

void virtio_config_write(VirtIODevice *vdev, uint32_t addr, uint32_t val, unsigned size)
{
    uint32_t le = GUINT32_TO_LE(val);

    if ((size != 1 && size != 2 && size != 4) || addr > vdev->config_len ||
        size > vdev->config_len - addr) {
        log_guest_error("%s: config write of %u bytes at 0x%x outside its %zu bytes\n",
                        vdev->name, size, addr, vdev->config_len);
        return;
    }
    if (vdev->vc->get_config) {
        vdev->vc->get_config(vdev, vdev->config);
    }
    memcpy(vdev->config + addr, &le, size);
    if (vdev->vc->set_config) {
        vdev->vc->set_config(vdev, vdev->config);
    }
}

void virtio_notify_config(VirtIODevice *vdev)
{
    vdev->generation++;
    if (!(vdev->status & VIRTIO_CONFIG_S_DRIVER_OK)) {
        return;
    }
    vdev->isr |= VIRTIO_ISR_CONFIG;
    if (vdev->transport && vdev->transport->notify) {
        vdev->transport->notify(vdev->transport_opaque, vdev->config_vector);
    }
}

/* ---- queue set-up for transports ---- */

static VirtQueue *virtio_transport_queue(VirtIODevice *vdev, unsigned n)
{
    if (n >= vdev->num_queues) {
        log_guest_error("%s: queue %u does not exist\n", vdev->name, n);
        return NULL;
    }
    return &vdev->vq[n];
}

void virtio_queue_set_num(VirtIODevice *vdev, unsigned n, unsigned num)
{
    VirtQueue *vq = virtio_transport_queue(vdev, n);

    if (!vq) {
        return;
    }
    if (!num || num > vq->num_max || (num & (num - 1))) {
        log_guest_error("%s: queue %u size %u refused (max %u, a power of two)\n",
                        vdev->name, n, num, vq->num_max);
        return;
    }
    vq->num = num;
}

void virtio_queue_set_rings(VirtIODevice *vdev, unsigned n, uint64_t desc, uint64_t avail,
                            uint64_t used)
{
    VirtQueue *vq = virtio_transport_queue(vdev, n);

    if (vq) {
        vq->desc = desc;
        vq->avail = avail;
        vq->used = used;
    }
}

void virtio_queue_set_legacy_addr(VirtIODevice *vdev, unsigned n, uint64_t addr,
                                  unsigned align)
{
    VirtQueue *vq = virtio_transport_queue(vdev, n);
    uint64_t avail_end;

    if (!vq) {
        return;
    }
    if (!addr) {
        vq->ready = false;
        vq->desc = vq->avail = vq->used = 0;
        return;
    }
    if (!align || (align & (align - 1))) {
        log_guest_error("%s: queue %u alignment %u is not a power of two\n", vdev->name, n,
                        align);
        return;
    }
    vq->desc = addr;
    vq->avail = addr + (uint64_t)vq->num * VRING_DESC_SIZE;
    avail_end = vq->avail + 6 + 2 * (uint64_t)vq->num;
    vq->used = (avail_end + align - 1) & ~((uint64_t)align - 1);
    vq->ready = true;
}

void virtio_queue_set_ready(VirtIODevice *vdev, unsigned n, bool ready)
{
    VirtQueue *vq = virtio_transport_queue(vdev, n);

    if (vq) {
        vq->ready = ready;
    }
}

void virtio_queue_notify(VirtIODevice *vdev, unsigned n)
{
    VirtQueue *vq;

    if (n >= vdev->num_queues) {
        log_guest_error("%s: notify of queue %u that does not exist\n", vdev->name, n);
        return;
    }
    vq = &vdev->vq[n];
    if (vdev->broken || !vq->ready || !vq->num || !vq->handle_output) {
        return;
    }
    vq->handle_output(vdev, vq);
}

/* ---- registration ---- */

static void virtio_register(const DeviceClass *dc)
{
    if (!device_class_find(dc->name)) {
        device_class_register(dc);
    }
}

void hw_virtio_register_devices(void)
{
    virtio_register(&virtio_mmio_class);
    virtio_register(&virtio_rng_device_class.parent);
    virtio_register(&virtio_blk_device_class.parent);
    virtio_register(&virtio_net_device_class.parent);
    virtio_pci_register_devices();
    virtio_serial_register_devices();
}
