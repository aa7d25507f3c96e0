/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The virtio 1.x core (OASIS "Virtual I/O Device (VIRTIO)" specification):
 * device status and feature negotiation, the device configuration space,
 * split virtqueues and guest notification. Device models (blk, net, rng...)
 * describe themselves with a VirtIODeviceClass; transports (virtio-mmio,
 * virtio-pci) translate guest register accesses into the virtio_* calls
 * below and deliver interrupts through a VirtioTransportOps.
 *
 * A virtio device exists in two shapes sharing one implementation:
 *  - "virtio-X-device": a device of its own on a "virtio-bus", the child
 *    bus of a virtio-mmio proxy (QEMU's model, `-device virtio-blk-device`);
 *  - "virtio-X-pci": a PCI function that embeds the VirtIODevice and binds
 *    it to itself; the embedded DeviceState header is then unused.
 *
 * Threading: everything here runs under the BQL. Guest kicks arrive as MMIO
 * writes (under the BQL on vCPU threads), block and net completions in the
 * main thread. Ring memory is shared with running vCPUs, so the ring code
 * orders its loads and stores with fences as the specification requires.
 *
 * Guest mistakes (bad descriptors, rings outside RAM...) never crash the
 * host: virtio_error() logs once, sets DEVICE_NEEDS_RESET and stops the
 * device until the driver resets it.
 */
#ifndef HW_VIRTIO_VIRTIO_H
#define HW_VIRTIO_VIRTIO_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "hw/core/device.h"

typedef struct AddressSpace AddressSpace;

#define TYPE_VIRTIO_DEVICE "virtio-device"
#define TYPE_VIRTIO_BUS "virtio-bus"

/* Device IDs (virtio spec, "Device Types"). */
enum {
    VIRTIO_ID_NET = 1,
    VIRTIO_ID_BLOCK = 2,
    VIRTIO_ID_CONSOLE = 3,
    VIRTIO_ID_RNG = 4,
};

/* Device status bits. */
#define VIRTIO_CONFIG_S_ACKNOWLEDGE         0x01
#define VIRTIO_CONFIG_S_DRIVER              0x02
#define VIRTIO_CONFIG_S_DRIVER_OK           0x04
#define VIRTIO_CONFIG_S_FEATURES_OK         0x08
#define VIRTIO_CONFIG_S_DEVICE_NEEDS_RESET  0x40
#define VIRTIO_CONFIG_S_FAILED              0x80

/* Device-independent feature bits (bit numbers). */
#define VIRTIO_F_NOTIFY_ON_EMPTY    24
#define VIRTIO_F_ANY_LAYOUT         27
#define VIRTIO_F_RING_INDIRECT_DESC 28
#define VIRTIO_F_RING_EVENT_IDX     29
#define VIRTIO_F_VERSION_1          32
#define VIRTIO_F_ACCESS_PLATFORM    33

#define VIRTIO_BIT(n) (1ull << (n))

/* ISR bits (virtio-mmio InterruptStatus, virtio-pci ISR). */
#define VIRTIO_ISR_QUEUE  0x1
#define VIRTIO_ISR_CONFIG 0x2

/* No MSI-X vector: the transport's single interrupt. */
#define VIRTIO_NO_VECTOR 0xffff

/* Split ring layout (little-endian in guest memory). */
#define VRING_DESC_F_NEXT       1
#define VRING_DESC_F_WRITE      2
#define VRING_DESC_F_INDIRECT   4
#define VRING_AVAIL_F_NO_INTERRUPT 1
#define VRING_USED_F_NO_NOTIFY  1
#define VRING_DESC_SIZE         16
#define VRING_USED_ELEM_SIZE    8
/* Legacy layout: the used ring starts on this boundary (virtio-pci). */
#define VIRTIO_LEGACY_VRING_ALIGN 4096

/* Largest queue a device may offer, and queues per device. */
#define VIRTQUEUE_MAX_SIZE 1024
#define VIRTIO_QUEUE_MAX 64
/* Host iovecs one element may map to (Linux's UIO_MAXIOV). */
#define VIRTQUEUE_MAX_SG 1024
/* Bytes one element may bounce (buffers outside RAM). */
#define VIRTQUEUE_MAX_BOUNCE (1u << 20)

typedef struct VirtIODevice VirtIODevice;
typedef struct VirtQueue VirtQueue;
typedef struct VirtQueueElement VirtQueueElement;
typedef struct VirtQueueBounce VirtQueueBounce;

typedef void (*VirtIOHandleOutput)(VirtIODevice *vdev, VirtQueue *vq);

/*
 * A device type. Embeds its DeviceClass (named "virtio-X-device", parent
 * &virtio_device_class) so that the same static object registers the bus
 * device and describes the device to virtio-pci proxies.
 */
typedef struct VirtIODeviceClass {
    DeviceClass parent;
    uint16_t device_id;
    /* Add queues with virtio_add_queue; virtio_init has already run. */
    bool (*realize)(VirtIODevice *vdev, GError **errp);
    void (*unrealize)(VirtIODevice *vdev);
    /* Bytes of configuration space (fixed for the device's life). */
    size_t config_size;
    /* Device feature bits added to the transport's ones (features). */
    uint64_t (*get_features)(VirtIODevice *vdev, uint64_t features);
    /* The driver's accepted features (legacy: on every write). */
    void (*set_features)(VirtIODevice *vdev, uint64_t features);
    /* After a status change (DRIVER_OK set or cleared...). */
    void (*set_status)(VirtIODevice *vdev, uint8_t status);
    /* Fill / consume vdev->config around guest accesses. */
    void (*get_config)(VirtIODevice *vdev, uint8_t *config);
    void (*set_config)(VirtIODevice *vdev, const uint8_t *config);
    /* Device reset: finish or drop in-flight work. Queues are reset after. */
    void (*reset)(VirtIODevice *vdev);
} VirtIODeviceClass;

/* Transport hooks. */
typedef struct VirtioTransportOps {
    /* Interrupt on vector (a queue's or the config vector); vdev->isr is already set. */
    void (*notify)(void *opaque, uint16_t vector);
    /*
     * KVM fast paths, not implemented by any transport yet: an eventfd
     * signalled by guest kicks of queue n (ioeventfd), and eventfds that
     * inject the interrupts (irqfd). NULL means unsupported.
     */
    int (*set_host_notifier)(void *opaque, unsigned n, bool assign);
    int (*set_guest_notifiers)(void *opaque, unsigned nvqs, bool assign);
} VirtioTransportOps;

/* Fields are private to hw/virtio; devices use the functions. */
struct VirtQueue {
    VirtIODevice *vdev;
    unsigned index;
    uint16_t num;               /* current size, 0 = queue does not exist */
    uint16_t num_max;
    bool ready;
    uint64_t desc, avail, used; /* guest-physical ring addresses */
    uint16_t last_avail_idx;    /* next avail entry to pop */
    uint16_t used_idx;          /* our copy of used->idx */
    uint16_t signalled_used;    /* used_idx at the last interrupt */
    bool signalled_used_valid;
    bool notification;          /* driver kicks wanted */
    unsigned inuse;             /* popped, not yet pushed */
    uint16_t vector;
    VirtIOHandleOutput handle_output;
    /* legacy layout inputs, kept for QueuePFN reads */
    uint64_t legacy_pfn;
};

/*
 * A buffer chain popped from the avail ring: out_sg is what the device
 * reads, in_sg what it writes. Caller-provided storage (often embedded in
 * a request struct); virtqueue_pop fills it, virtqueue_push or
 * virtqueue_element_release frees what it holds.
 */
struct VirtQueueElement {
    unsigned index;             /* head descriptor index */
    unsigned out_num, in_num;
    struct iovec *out_sg, *in_sg;
    size_t out_len, in_len;     /* byte totals */
    /* private */
    VirtQueueBounce *bounce;
    unsigned nbounce;
};

struct VirtIODevice {
    DeviceState parent;
    const VirtIODeviceClass *vc;
    const char *name;           /* for messages: the class name unless preset */
    uint16_t device_id;
    uint8_t status;
    uint8_t isr;
    uint64_t host_features;
    uint64_t guest_features;
    uint16_t config_vector;
    uint32_t generation;        /* bumped on each config change */
    size_t config_len;
    uint8_t *config;
    unsigned num_queues;
    VirtQueue *vq;              /* VIRTIO_QUEUE_MAX entries */
    AddressSpace *dma_as;
    const VirtioTransportOps *transport;
    void *transport_opaque;
    /* The transport refuses drivers without VIRTIO_F_VERSION_1. */
    bool modern_only;
    bool broken;
    bool realized;
    /* Bounce copies in progress: transports drop register writes meanwhile. */
    unsigned dma_depth;
};

/* The abstract parent of every virtio device class (not registered). */
extern const DeviceClass virtio_device_class;

/* ---- set-up (device realize) ---- */

/* Called by the core before vc->realize: id, config buffer, queues. */
void virtio_init(VirtIODevice *vdev, const VirtIODeviceClass *vc);
void virtio_cleanup(VirtIODevice *vdev);
/* A queue of at most size entries (a power of two <= VIRTQUEUE_MAX_SIZE). */
VirtQueue *virtio_add_queue(VirtIODevice *vdev, unsigned size, VirtIOHandleOutput handler);
VirtQueue *virtio_get_queue(VirtIODevice *vdev, unsigned n);
unsigned virtio_queue_index(const VirtQueue *vq);

/*
 * For proxies embedding a device (virtio-pci): run the device's realize
 * (virtio_init, vc->realize) and bind the transport. The DeviceState
 * header of vdev is not used.
 */
bool virtio_device_realize_embedded(VirtIODevice *vdev, const VirtIODeviceClass *vc,
                                    GError **errp);
void virtio_device_unrealize_embedded(VirtIODevice *vdev);

/* Transports: attach ops and the DMA address space (NULL: system memory). */
void virtio_bind_transport(VirtIODevice *vdev, const VirtioTransportOps *ops, void *opaque,
                           AddressSpace *dma_as);
/* KVM hook wrappers; -ENOSYS when the transport has none. */
int virtio_transport_set_host_notifier(VirtIODevice *vdev, unsigned n, bool assign);
int virtio_transport_set_guest_notifiers(VirtIODevice *vdev, bool assign);

/*
 * A "virtio-bus" owned by a proxy device (embedded in the proxy's state),
 * holding at most one virtio device. plugged runs after the device
 * realized (bind the transport there), unplugged after it left.
 */
typedef struct VirtioBusOps {
    void (*plugged)(void *opaque, VirtIODevice *vdev);
    void (*unplugged)(void *opaque, VirtIODevice *vdev);
} VirtioBusOps;

typedef struct VirtioBus {
    BusState *bus;
    const VirtioBusOps *ops;
    void *opaque;
} VirtioBus;

void virtio_bus_init(VirtioBus *vb, DeviceState *parent, const char *name,
                     const VirtioBusOps *ops, void *opaque);
void virtio_bus_destroy(VirtioBus *vb);
/* The device on the bus, or NULL. */
VirtIODevice *virtio_bus_get_device(VirtioBus *vb);

/* ---- status, features, configuration (transports) ---- */

bool virtio_has_feature(const VirtIODevice *vdev, unsigned bit);
bool virtio_host_has_feature(const VirtIODevice *vdev, unsigned bit);
/*
 * The driver's feature set: bits the device did not offer are dropped
 * (false is returned). Ignored once FEATURES_OK is set.
 */
bool virtio_set_features(VirtIODevice *vdev, uint64_t features);
/*
 * A driver status write. 0 resets the device; FEATURES_OK is refused
 * (left clear) when the negotiated set is unacceptable.
 */
void virtio_set_status(VirtIODevice *vdev, uint8_t status);
void virtio_reset(VirtIODevice *vdev);

/* Configuration space, little-endian values; out-of-range reads give 0. */
uint32_t virtio_config_read(VirtIODevice *vdev, uint32_t addr, unsigned size);
void virtio_config_write(VirtIODevice *vdev, uint32_t addr, uint32_t val, unsigned size);
/* The device changed its config: generation++, config interrupt. */
void virtio_notify_config(VirtIODevice *vdev);

/* Queue set-up by transports (queue n selected by the driver). */
void virtio_queue_set_num(VirtIODevice *vdev, unsigned n, unsigned num);
void virtio_queue_set_rings(VirtIODevice *vdev, unsigned n, uint64_t desc, uint64_t avail,
                            uint64_t used);
/* Legacy layout: desc at addr, avail after it, used at the next align boundary. */
void virtio_queue_set_legacy_addr(VirtIODevice *vdev, unsigned n, uint64_t addr,
                                  unsigned align);
void virtio_queue_set_ready(VirtIODevice *vdev, unsigned n, bool ready);
/* A guest kick of queue n. */
void virtio_queue_notify(VirtIODevice *vdev, unsigned n);

/* ---- virtqueues (devices) ---- */

bool virtio_queue_ready(const VirtQueue *vq);
/* No buffer waiting (also true for a queue that is not ready). */
bool virtio_queue_empty(VirtQueue *vq);
/*
 * The next chain: 1 with elem filled, 0 when the ring is empty, -EIO when
 * the chain was invalid (the device is now broken).
 */
int virtqueue_pop(VirtQueue *vq, VirtQueueElement *elem);
/* Give the chain back unconsumed (the next pop returns it again). */
void virtqueue_unpop(VirtQueue *vq, VirtQueueElement *elem);
/* Return the chain with len bytes written to in_sg; frees elem's contents. */
void virtqueue_push(VirtQueue *vq, VirtQueueElement *elem, uint32_t len);
/* Free elem's contents without returning it (device reset). */
void virtqueue_element_release(VirtQueueElement *elem);
/* Interrupt the guest for vq unless it suppressed that. */
void virtqueue_notify(VirtQueue *vq);
/* Ask the driver for kicks (true) or not (false: the device polls). */
void virtio_queue_set_notification(VirtQueue *vq, bool enable);
/* True when at least bytes of device-writable space wait (for rx). */
bool virtqueue_avail_bytes(VirtQueue *vq, size_t in_bytes);

/*
 * Mark the device broken: log the guest error once, set
 * DEVICE_NEEDS_RESET, stop processing until reset.
 */
void virtio_error(VirtIODevice *vdev, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* ---- iovec helpers ---- */

size_t virtio_iov_size(const struct iovec *iov, unsigned cnt);
size_t virtio_iov_to_buf(const struct iovec *iov, unsigned cnt, size_t offset, void *buf,
                         size_t bytes);
size_t virtio_iov_from_buf(const struct iovec *iov, unsigned cnt, size_t offset,
                           const void *buf, size_t bytes);
/*
 * The window [offset, offset + bytes) of iov as a new array in *out (free
 * with g_free); returns the number of entries.
 */
unsigned virtio_iov_slice(const struct iovec *iov, unsigned cnt, size_t offset, size_t bytes,
                          struct iovec **out);

/* Registers every virtio device class (idempotent); called from builtins. */
void hw_virtio_register_devices(void);

#endif
