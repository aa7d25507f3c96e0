/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The modern virtio-pci transport (layout in include/hw/virtio/virtio-pci.h)
 * and the virtio-X-pci functions built on it. Reads of the common
 * configuration come from a snapshot of the structure, so any access width
 * a driver picks reads consistently; writes must hit a field with its own
 * width (64-bit ring addresses as two 32-bit halves, or whole). Queue
 * settings are staged and applied when queue_enable is written.
 */
#include <errno.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <glib-unix.h>

#include "hw/pci/msix.h"
#include "hw/virtio/virtio-eventfd.h"
#include "hw/virtio/virtio-blk.h"
#include "hw/virtio/virtio-net.h"
#include "hw/virtio/virtio-pci.h"
#include "hw/virtio/virtio-rng.h"
#include "util/error.h"
#include "util/log.h"

static const char *const virtio_pci_onoffauto[] = { "auto", "on", "off", NULL };
enum { ONOFFAUTO_AUTO, ONOFFAUTO_ON, ONOFFAUTO_OFF };

static VirtIOPCIProxy *to_proxy(PCIDevice *dev)
{
    return (VirtIOPCIProxy *)dev;
}

static const VirtIOPCIClass *virtio_pci_class_of(const PCIDevice *dev)
{
    for (const DeviceClass *dc = dev->parent.klass; dc && dc->parent; dc = dc->parent) {
        if (dc->parent == &virtio_pci_class.parent) {
            return (const VirtIOPCIClass *)dc;
        }
    }
    return NULL;
}

/* ---- interrupts ---- */

static bool virtio_pci_irqfd_notify(VirtIOPCIProxy *p, uint16_t vector);

static void virtio_pci_notify(void *opaque, uint16_t vector)
{
    VirtIOPCIProxy *p = opaque;
    PCIDevice *dev = &p->parent;

    if (msix_enabled(dev)) {
        if (vector != VIRTIO_NO_VECTOR && vector < p->nvectors &&
            !virtio_pci_irqfd_notify(p, vector)) {
            msix_notify(dev, vector);
        }
        return;
    }
    pci_set_irq(dev, p->vdev->isr != 0);
}

/* ---- ioeventfd: queue notifications through the accelerator ---- */

static const VirtioEventfdOps *virtio_eventfd_ops;

void virtio_eventfd_set_ops(const VirtioEventfdOps *ops)
{
    virtio_eventfd_ops = ops;
}

const VirtioEventfdOps *virtio_eventfd_get_ops(void)
{
    return virtio_eventfd_ops;
}

typedef struct VirtIOPCIEventfds VirtIOPCIEventfds;

typedef struct VirtIOPCIHostNotifier {
    VirtIOPCIEventfds *e;
    unsigned n;
    int fd;                     /* -1: none */
    guint watch;
    uint64_t addr;              /* where it is registered, if assigned */
    bool assigned;
} VirtIOPCIHostNotifier;

/* An MSI-X vector signalled through an irqfd. */
typedef struct VirtIOPCIIrqfd {
    int fd;                     /* -1: none yet */
    int gsi;                    /* -1: no route yet */
    uint64_t addr;              /* the route's message */
    uint32_t data;
    bool assigned;              /* notifies write fd */
} VirtIOPCIIrqfd;

/*
 * Per-function state, kept beside the proxy so the proxy's layout (and its
 * header) stay as they are. Exists while the fast path is on.
 */
struct VirtIOPCIEventfds {
    MemoryListener listener;    /* first: the callbacks cast back from it */
    VirtIOPCIProxy *p;
    const VirtioEventfdOps *ops;
    uint64_t notify_base;       /* guest-physical, UINT64_MAX while unmapped */
    VirtIOPCIHostNotifier q[VIRTIO_QUEUE_MAX];
    VirtIOPCIIrqfd *v;          /* per MSI-X vector; NULL: no irqfd ops or no MSI-X */
    unsigned nv;
};

static GHashTable *virtio_pci_eventfds;    /* VirtIOPCIProxy * -> VirtIOPCIEventfds * */

static VirtIOPCIEventfds *virtio_pci_eventfds_of(VirtIOPCIProxy *p)
{
    return virtio_pci_eventfds ? g_hash_table_lookup(virtio_pci_eventfds, p) : NULL;
}

static void virtio_pci_notifier_unregister(VirtIOPCIEventfds *e, VirtIOPCIHostNotifier *h)
{
    if (h->assigned) {
        e->ops->ioeventfd(e->ops->opaque, h->addr, h->fd, false);
        h->assigned = false;
    }
}

/* Register queue h at the notify region's current address, if it is mapped. */
static void virtio_pci_notifier_register(VirtIOPCIEventfds *e, VirtIOPCIHostNotifier *h)
{
    int r;

    if (h->fd < 0 || h->assigned || e->notify_base == UINT64_MAX) {
        return;
    }
    h->addr = e->notify_base + (uint64_t)h->n * VIRTIO_PCI_NOTIFY_MULT;
    r = e->ops->ioeventfd(e->ops->opaque, h->addr, h->fd, true);
    if (r < 0) {
        /* The notify write still exits to virtio_pci_notify_write: slower, not wrong. */
        log_mask(LOG_UNIMP, "%s: ioeventfd for queue %u at 0x%" G_GINT64_MODIFIER "x: %s\n",
                 e->p->vdev->name, h->n, h->addr, g_strerror(-r));
        return;
    }
    h->assigned = true;
}

static gboolean virtio_pci_notifier_fired(gint fd, GIOCondition cond, gpointer opaque)
{
    VirtIOPCIHostNotifier *h = opaque;
    uint64_t count;

    if (read(fd, &count, sizeof(count)) == sizeof(count)) {
        virtio_queue_notify(h->e->p->vdev, h->n);
    }
    return G_SOURCE_CONTINUE;
}

static int virtio_pci_set_host_notifier(void *opaque, unsigned n, bool assign)
{
    VirtIOPCIProxy *p = opaque;
    VirtIOPCIEventfds *e = virtio_pci_eventfds_of(p);
    VirtIOPCIHostNotifier *h;

    if (!e || n >= p->vdev->num_queues) {
        return -EINVAL;
    }
    h = &e->q[n];
    if (assign == (h->fd >= 0)) {
        return 0;
    }
    if (!assign) {
        uint64_t count;

        virtio_pci_notifier_unregister(e, h);
        g_source_remove(h->watch);
        /* A kick that landed after the last dispatch is not lost. */
        if (read(h->fd, &count, sizeof(count)) == sizeof(count)) {
            virtio_queue_notify(p->vdev, n);
        }
        close(h->fd);
        h->fd = -1;
        return 0;
    }
    h->fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (h->fd < 0) {
        return -errno;
    }
    h->watch = g_unix_fd_add(h->fd, G_IO_IN, virtio_pci_notifier_fired, h);
    virtio_pci_notifier_register(e, h);
    return 0;
}

static void virtio_pci_eventfd_region_add(MemoryListener *l, MemoryRegionSection *sec)
{
    VirtIOPCIEventfds *e = (VirtIOPCIEventfds *)l;

    if (sec->mr != &e->p->notify || sec->offset_within_region) {
        return;
    }
    e->notify_base = sec->offset_within_address_space;
    for (unsigned n = 0; n < e->p->vdev->num_queues; n++) {
        virtio_pci_notifier_register(e, &e->q[n]);
    }
}

static void virtio_pci_eventfd_region_del(MemoryListener *l, MemoryRegionSection *sec)
{
    VirtIOPCIEventfds *e = (VirtIOPCIEventfds *)l;

    if (sec->mr != &e->p->notify || sec->offset_within_region) {
        return;
    }
    for (unsigned n = 0; n < e->p->vdev->num_queues; n++) {
        virtio_pci_notifier_unregister(e, &e->q[n]);
    }
    e->notify_base = UINT64_MAX;
}

/* ---- irqfd: queue interrupts through the accelerator ---- */

static bool virtio_pci_vector_in_use(VirtIOPCIProxy *p, unsigned v)
{
    for (unsigned n = 0; n < p->vdev->num_queues; n++) {
        if (p->vdev->vq[n].vector == v) {
            return true;
        }
    }
    return false;
}

/*
 * Whether queue vector v may bypass msix_notify() now, and its message.
 * Masked vectors must latch their PBA bit and a function without bus
 * mastering must not signal at all, which only the slow path does.
 */
static bool virtio_pci_irqfd_wanted(VirtIOPCIProxy *p, unsigned v, uint64_t *addr,
                                    uint32_t *data)
{
    PCIDevice *dev = &p->parent;

    if (!msix_enabled(dev) || msix_is_masked(dev, v) ||
        !(pci_get_word(dev->config + PCI_COMMAND) & PCI_COMMAND_MASTER) ||
        !virtio_pci_vector_in_use(p, v)) {
        return false;
    }
    msix_get_message(dev, v, addr, data);
    /* An entry never written (all zero after reset) is no message to route. */
    return *addr != 0;
}

static void virtio_pci_irqfd_unbind(VirtIOPCIEventfds *e, VirtIOPCIIrqfd *i)
{
    if (i->assigned) {
        e->ops->irqfd(e->ops->opaque, i->fd, i->gsi, false);
        i->assigned = false;
    }
}

/* Bring vector v's route and irqfd in line with the MSI-X state. */
static void virtio_pci_irqfd_sync(VirtIOPCIEventfds *e, unsigned v)
{
    VirtIOPCIIrqfd *i = &e->v[v];
    const char *what = NULL;
    uint64_t addr;
    uint32_t data;
    int r = 0;

    if (!virtio_pci_irqfd_wanted(e->p, v, &addr, &data)) {
        virtio_pci_irqfd_unbind(e, i);
        return;
    }
    if (i->gsi < 0) {
        r = e->ops->msi_route_add(e->ops->opaque, addr, data);
        what = "route";
        if (r >= 0) {
            i->gsi = r;
        }
    } else if (i->addr != addr || i->data != data) {
        r = e->ops->msi_route_update(e->ops->opaque, i->gsi, addr, data);
        what = "route update";
        if (r < 0) {
            /* The irqfd would deliver the old message. */
            virtio_pci_irqfd_unbind(e, i);
        }
    }
    if (r >= 0) {
        i->addr = addr;
        i->data = data;
        if (i->fd < 0) {
            i->fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
            r = i->fd < 0 ? -errno : 0;
            what = "eventfd";
        }
    }
    if (r >= 0 && !i->assigned) {
        r = e->ops->irqfd(e->ops->opaque, i->fd, i->gsi, true);
        what = "irqfd";
        i->assigned = r >= 0;
    }
    if (r < 0) {
        /* msix_notify() still delivers: slower, not wrong. */
        log_mask(LOG_UNIMP, "%s: %s for MSI-X vector %u: %s\n", e->p->vdev->name, what, v,
                 g_strerror(-r));
    }
}

static void virtio_pci_irqfd_sync_all(VirtIOPCIProxy *p)
{
    VirtIOPCIEventfds *e = virtio_pci_eventfds_of(p);

    for (unsigned v = 0; e && e->v && v < e->nv; v++) {
        virtio_pci_irqfd_sync(e, v);
    }
}

/* The guest rewrote (or masked, unmasked) a table entry. */
static void virtio_pci_msix_changed(PCIDevice *dev, unsigned vector, void *opaque)
{
    VirtIOPCIEventfds *e = virtio_pci_eventfds_of(opaque);

    if (e && e->v && vector < e->nv) {
        virtio_pci_irqfd_sync(e, vector);
    }
}

static bool virtio_pci_irqfd_notify(VirtIOPCIProxy *p, uint16_t vector)
{
    VirtIOPCIEventfds *e = virtio_pci_eventfds_of(p);
    uint64_t one = 1;

    if (!e || !e->v || vector >= e->nv || !e->v[vector].assigned) {
        return false;
    }
    return write(e->v[vector].fd, &one, sizeof(one)) == sizeof(one);
}

static void virtio_pci_irqfd_start(VirtIOPCIEventfds *e)
{
    const VirtioEventfdOps *ops = e->ops;
    PCIDevice *dev = &e->p->parent;

    if (!ops->irqfd || !ops->msi_route_add || !ops->msi_route_update ||
        !ops->msi_route_release || !msix_present(dev) || !msix_nr_vectors(dev)) {
        return;
    }
    e->nv = msix_nr_vectors(dev);
    e->v = g_new(VirtIOPCIIrqfd, e->nv);
    for (unsigned v = 0; v < e->nv; v++) {
        e->v[v] = (VirtIOPCIIrqfd){ .fd = -1, .gsi = -1 };
    }
    msix_set_vector_notifier(dev, virtio_pci_msix_changed, e->p);
    virtio_pci_irqfd_sync_all(e->p);
}

static void virtio_pci_irqfd_stop(VirtIOPCIEventfds *e)
{
    if (!e->v) {
        return;
    }
    msix_set_vector_notifier(&e->p->parent, NULL, NULL);
    for (unsigned v = 0; v < e->nv; v++) {
        VirtIOPCIIrqfd *i = &e->v[v];

        virtio_pci_irqfd_unbind(e, i);
        if (i->gsi >= 0) {
            e->ops->msi_route_release(e->ops->opaque, i->gsi);
        }
        if (i->fd >= 0) {
            close(i->fd);
        }
    }
    g_clear_pointer(&e->v, g_free);
    e->nv = 0;
}

/* DRIVER_OK: every enabled queue gets an eventfd. */
static void virtio_pci_ioeventfd_start(VirtIOPCIProxy *p)
{
    const VirtioEventfdOps *ops = virtio_eventfd_ops;
    VirtIOPCIEventfds *e;

    if (!ops || virtio_pci_eventfds_of(p)) {
        return;
    }
    e = g_new0(VirtIOPCIEventfds, 1);
    e->p = p;
    e->ops = ops;
    e->notify_base = UINT64_MAX;
    for (unsigned n = 0; n < VIRTIO_QUEUE_MAX; n++) {
        e->q[n] = (VirtIOPCIHostNotifier){ .e = e, .n = n, .fd = -1 };
    }
    if (!virtio_pci_eventfds) {
        virtio_pci_eventfds = g_hash_table_new(NULL, NULL);
    }
    g_hash_table_insert(virtio_pci_eventfds, p, e);
    for (unsigned n = 0; n < p->vdev->num_queues; n++) {
        if (virtio_queue_ready(&p->vdev->vq[n])) {
            virtio_pci_set_host_notifier(p, n, true);
        }
    }
    /* The replay finds where BAR 4 is; later moves arrive as del/add. */
    e->listener = (MemoryListener){
        .region_add = virtio_pci_eventfd_region_add,
        .region_del = virtio_pci_eventfd_region_del,
        .priority = 20,
    };
    memory_listener_register(&e->listener, address_space_memory());
    virtio_pci_irqfd_start(e);
}

static void virtio_pci_ioeventfd_stop(VirtIOPCIProxy *p)
{
    VirtIOPCIEventfds *e = virtio_pci_eventfds_of(p);

    if (!e) {
        return;
    }
    virtio_pci_irqfd_stop(e);
    memory_listener_unregister(&e->listener);
    for (unsigned n = 0; n < VIRTIO_QUEUE_MAX; n++) {
        if (e->q[n].fd >= 0) {
            virtio_pci_set_host_notifier(p, n, false);
        }
    }
    g_hash_table_remove(virtio_pci_eventfds, p);
    g_free(e);
}

static const VirtioTransportOps virtio_pci_transport = {
    .notify = virtio_pci_notify,
    .set_host_notifier = virtio_pci_set_host_notifier,
};

/* ---- common configuration ---- */

static void virtio_pci_soft_reset(VirtIOPCIProxy *p)
{
    p->dfselect = p->gfselect = 0;
    p->guest_features[0] = p->guest_features[1] = 0;
    p->queue_sel = 0;
    memset(p->vqs, 0, sizeof(p->vqs));
    for (unsigned i = 0; p->vdev && p->vdev->vq && i < p->vdev->num_queues; i++) {
        p->vqs[i].num = p->vdev->vq[i].num_max;
    }
}

static VirtQueue *virtio_pci_cur_queue(VirtIOPCIProxy *p)
{
    return virtio_get_queue(p->vdev, p->queue_sel);
}

static void virtio_pci_common_snapshot(VirtIOPCIProxy *p, uint8_t *c)
{
    VirtIODevice *vdev = p->vdev;
    VirtQueue *vq = virtio_pci_cur_queue(p);
    VirtIOPCIQueue *q = vq ? &p->vqs[p->queue_sel] : NULL;

    memset(c, 0, VIRTIO_PCI_COMMON_SIZE);
    pci_set_long(c + VIRTIO_PCI_COMMON_DFSELECT, p->dfselect);
    pci_set_long(c + VIRTIO_PCI_COMMON_DF, p->dfselect < 2 ?
                 (uint32_t)(vdev->host_features >> (32 * p->dfselect)) : 0);
    pci_set_long(c + VIRTIO_PCI_COMMON_GFSELECT, p->gfselect);
    pci_set_long(c + VIRTIO_PCI_COMMON_GF, p->gfselect < 2 ? p->guest_features[p->gfselect] : 0);
    pci_set_word(c + VIRTIO_PCI_COMMON_MSIX, vdev->config_vector);
    pci_set_word(c + VIRTIO_PCI_COMMON_NUMQ, vdev->num_queues);
    c[VIRTIO_PCI_COMMON_STATUS] = vdev->status;
    c[VIRTIO_PCI_COMMON_CFGGENERATION] = vdev->generation;
    pci_set_word(c + VIRTIO_PCI_COMMON_Q_SELECT, p->queue_sel);
    pci_set_word(c + VIRTIO_PCI_COMMON_Q_MSIX, vq ? vq->vector : VIRTIO_NO_VECTOR);
    if (!vq) {
        return;
    }
    pci_set_word(c + VIRTIO_PCI_COMMON_Q_SIZE, q->num);
    pci_set_word(c + VIRTIO_PCI_COMMON_Q_ENABLE, vq->ready);
    pci_set_word(c + VIRTIO_PCI_COMMON_Q_NOFF, p->queue_sel);
    pci_set_long(c + VIRTIO_PCI_COMMON_Q_DESCLO, q->desc[0]);
    pci_set_long(c + VIRTIO_PCI_COMMON_Q_DESCHI, q->desc[1]);
    pci_set_long(c + VIRTIO_PCI_COMMON_Q_AVAILLO, q->avail[0]);
    pci_set_long(c + VIRTIO_PCI_COMMON_Q_AVAILHI, q->avail[1]);
    pci_set_long(c + VIRTIO_PCI_COMMON_Q_USEDLO, q->used[0]);
    pci_set_long(c + VIRTIO_PCI_COMMON_Q_USEDHI, q->used[1]);
}

static uint64_t virtio_pci_common_read(void *opaque, uint64_t addr, unsigned size)
{
    VirtIOPCIProxy *p = opaque;
    uint8_t c[VIRTIO_PCI_COMMON_SIZE];
    uint64_t val = 0;

    if (addr >= VIRTIO_PCI_COMMON_SIZE || size > VIRTIO_PCI_COMMON_SIZE - addr) {
        return 0;
    }
    virtio_pci_common_snapshot(p, c);
    for (unsigned i = 0; i < size; i++) {
        val |= (uint64_t)c[addr + i] << (8 * i);
    }
    return val;
}

static uint16_t virtio_pci_check_vector(VirtIOPCIProxy *p, uint16_t vector)
{
    /* A vector the function cannot signal reads back as NO_VECTOR. */
    if (vector != VIRTIO_NO_VECTOR && (vector >= p->nvectors || !msix_present(&p->parent))) {
        return VIRTIO_NO_VECTOR;
    }
    return vector;
}

static void virtio_pci_queue_enable(VirtIOPCIProxy *p)
{
    VirtIOPCIQueue *q = &p->vqs[p->queue_sel];

    virtio_queue_set_num(p->vdev, p->queue_sel, q->num);
    virtio_queue_set_rings(p->vdev, p->queue_sel,
                           ((uint64_t)q->desc[1] << 32) | q->desc[0],
                           ((uint64_t)q->avail[1] << 32) | q->avail[0],
                           ((uint64_t)q->used[1] << 32) | q->used[0]);
    virtio_queue_set_ready(p->vdev, p->queue_sel, true);
    if (virtio_pci_eventfds_of(p)) {
        virtio_pci_set_host_notifier(p, p->queue_sel, true);
    }
}

static void virtio_pci_write_status(VirtIOPCIProxy *p, uint8_t val)
{
    VirtIODevice *vdev = p->vdev;

    if ((val & VIRTIO_CONFIG_S_FEATURES_OK) && !(vdev->status & VIRTIO_CONFIG_S_FEATURES_OK)) {
        virtio_set_features(vdev, ((uint64_t)p->guest_features[1] << 32) | p->guest_features[0]);
    }
    if (!(val & VIRTIO_CONFIG_S_DRIVER_OK)) {
        /* Before a reset, so kicks still pending reach the old rings. */
        virtio_pci_ioeventfd_stop(p);
    }
    virtio_set_status(vdev, val);
    if (vdev->status & VIRTIO_CONFIG_S_DRIVER_OK) {
        virtio_pci_ioeventfd_start(p);
    }
    if (!vdev->status) {
        virtio_pci_soft_reset(p);
        pci_irq_deassert(&p->parent);
    }
}

/* 32-bit half (or whole 64-bit) writes of a staged ring address. */
static bool virtio_pci_write_addr(uint32_t *field, uint64_t off, uint64_t val, unsigned size)
{
    if (size == 8 && !(off & 7)) {
        field[0] = val;
        field[1] = val >> 32;
        return true;
    }
    if (size == 4) {
        field[(off & 4) != 0] = val;
        return true;
    }
    return false;
}

static void virtio_pci_common_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    VirtIOPCIProxy *p = opaque;
    VirtIODevice *vdev = p->vdev;
    VirtQueue *vq = virtio_pci_cur_queue(p);
    VirtIOPCIQueue *q = vq ? &p->vqs[p->queue_sel] : NULL;
    VirtIOPCIQueue scratch;     /* writes for a missing queue land here */
    bool ok = true;

    if (vdev->dma_depth) {
        log_guest_error("%s: register write from the device's own DMA ignored\n", vdev->name);
        return;
    }
    switch (addr) {
    case VIRTIO_PCI_COMMON_DFSELECT:
        ok = size == 4;
        p->dfselect = ok ? val : p->dfselect;
        break;
    case VIRTIO_PCI_COMMON_GFSELECT:
        ok = size == 4;
        p->gfselect = ok ? val : p->gfselect;
        break;
    case VIRTIO_PCI_COMMON_GF:
        ok = size == 4;
        if (ok && p->gfselect < 2) {
            p->guest_features[p->gfselect] = val;
        }
        break;
    case VIRTIO_PCI_COMMON_MSIX:
        ok = size == 2;
        if (ok) {
            vdev->config_vector = virtio_pci_check_vector(p, val);
        }
        break;
    case VIRTIO_PCI_COMMON_STATUS:
        ok = size == 1;
        if (ok) {
            virtio_pci_write_status(p, val);
        }
        break;
    case VIRTIO_PCI_COMMON_Q_SELECT:
        ok = size == 2;
        p->queue_sel = ok ? val : p->queue_sel;
        break;
    case VIRTIO_PCI_COMMON_Q_SIZE:
        ok = size == 2;
        if (ok && q) {
            q->num = val;
        }
        break;
    case VIRTIO_PCI_COMMON_Q_MSIX:
        ok = size == 2;
        if (ok && vq) {
            vq->vector = virtio_pci_check_vector(p, val);
            virtio_pci_irqfd_sync_all(p);
        }
        break;
    case VIRTIO_PCI_COMMON_Q_ENABLE:
        ok = size == 2;
        if (ok && q) {
            if (val == 1) {
                virtio_pci_queue_enable(p);
            } else {
                log_guest_error("%s: queue_enable written with %u\n", vdev->name,
                                (unsigned)val);
            }
        }
        break;
    case VIRTIO_PCI_COMMON_Q_DESCLO:
    case VIRTIO_PCI_COMMON_Q_DESCHI:
        ok = virtio_pci_write_addr(q ? q->desc : scratch.desc, addr, val, size);
        break;
    case VIRTIO_PCI_COMMON_Q_AVAILLO:
    case VIRTIO_PCI_COMMON_Q_AVAILHI:
        ok = virtio_pci_write_addr(q ? q->avail : scratch.avail, addr, val, size);
        break;
    case VIRTIO_PCI_COMMON_Q_USEDLO:
    case VIRTIO_PCI_COMMON_Q_USEDHI:
        ok = virtio_pci_write_addr(q ? q->used : scratch.used, addr, val, size);
        break;
    default:
        /* device_feature, num_queues, config_generation, queue_notify_off. */
        ok = false;
        break;
    }
    if (!ok) {
        log_guest_error("%s: %u-byte write of 0x%" G_GINT64_MODIFIER "x to common config "
                        "offset 0x%02" G_GINT64_MODIFIER "x\n", vdev->name, size, val, addr);
    }
    if (!q && (addr >= VIRTIO_PCI_COMMON_Q_SIZE)) {
        log_guest_error("%s: queue %u does not exist\n", vdev->name, p->queue_sel);
    }
}

static const MemoryRegionOps virtio_pci_common_ops = {
    .read = virtio_pci_common_read,
    .write = virtio_pci_common_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 8 },
    .impl = { .min_access_size = 1, .max_access_size = 8 },
};

/* ---- ISR, device configuration, notifications ---- */

static uint64_t virtio_pci_isr_read(void *opaque, uint64_t addr, unsigned size)
{
    VirtIOPCIProxy *p = opaque;
    uint8_t isr = p->vdev->isr;

    /* Reading acknowledges: the INTx line drops with it. */
    if (!addr) {
        p->vdev->isr = 0;
        pci_irq_deassert(&p->parent);
        return isr;
    }
    return 0;
}

static const MemoryRegionOps virtio_pci_isr_ops = {
    .read = virtio_pci_isr_read,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
};

static uint64_t virtio_pci_device_read(void *opaque, uint64_t addr, unsigned size)
{
    VirtIOPCIProxy *p = opaque;

    return virtio_config_read(p->vdev, addr, size);
}

static void virtio_pci_device_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    VirtIOPCIProxy *p = opaque;

    if (p->vdev->dma_depth) {
        return;
    }
    virtio_config_write(p->vdev, addr, val, size);
}

static const MemoryRegionOps virtio_pci_device_ops = {
    .read = virtio_pci_device_read,
    .write = virtio_pci_device_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
};

static void virtio_pci_notify_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    VirtIOPCIProxy *p = opaque;

    if (p->vdev->dma_depth) {
        log_guest_error("%s: kick from the device's own DMA ignored\n", p->vdev->name);
        return;
    }
    virtio_queue_notify(p->vdev, addr / VIRTIO_PCI_NOTIFY_MULT);
}

static const MemoryRegionOps virtio_pci_notify_ops = {
    .write = virtio_pci_notify_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
};

/* ---- PCI configuration space: capabilities and the PCI_CFG window ---- */

static bool virtio_pci_add_cap(VirtIOPCIProxy *p, uint8_t type, uint32_t offset,
                               uint32_t length, uint8_t size, uint8_t *pos, GError **errp)
{
    PCIDevice *dev = &p->parent;
    uint8_t at = pci_add_capability(dev, PCI_CAP_ID_VNDR, 0, size, errp);
    uint8_t *c;

    if (!at) {
        return false;
    }
    c = dev->config + at;
    c[VIRTIO_PCI_CAP_LEN] = size;
    c[VIRTIO_PCI_CAP_CFG_TYPE] = type;
    c[VIRTIO_PCI_CAP_BAR] = type == VIRTIO_PCI_CAP_PCI_CFG ? 0 : VIRTIO_PCI_MODERN_BAR;
    pci_set_long(c + VIRTIO_PCI_CAP_OFFSET, offset);
    pci_set_long(c + VIRTIO_PCI_CAP_LENGTH, length);
    if (type == VIRTIO_PCI_CAP_NOTIFY_CFG) {
        pci_set_long(c + VIRTIO_PCI_NOTIFY_CAP_MULT, VIRTIO_PCI_NOTIFY_MULT);
    }
    if (type == VIRTIO_PCI_CAP_PCI_CFG) {
        /* The driver picks bar, offset, length and moves data through the window. */
        dev->wmask[at + VIRTIO_PCI_CAP_BAR] = 0xff;
        memset(dev->wmask + at + VIRTIO_PCI_CAP_OFFSET, 0xff, 4);
        memset(dev->wmask + at + VIRTIO_PCI_CAP_LENGTH, 0xff, 4);
        memset(dev->wmask + at + VIRTIO_PCI_CFG_CAP_DATA, 0xff, 4);
    }
    if (pos) {
        *pos = at;
    }
    return true;
}

/* The BAR 4 access a PCI_CFG window names, if valid. */
static bool virtio_pci_cfg_window(VirtIOPCIProxy *p, uint32_t *off, unsigned *len)
{
    const uint8_t *c = p->parent.config + p->pci_cfg_cap;

    *off = pci_get_long(c + VIRTIO_PCI_CAP_OFFSET);
    *len = pci_get_long(c + VIRTIO_PCI_CAP_LENGTH);
    if (c[VIRTIO_PCI_CAP_BAR] != VIRTIO_PCI_MODERN_BAR ||
        (*len != 1 && *len != 2 && *len != 4) || (*off & (*len - 1)) ||
        *off >= VIRTIO_PCI_MODERN_BAR_SIZE) {
        log_guest_error("%s: bad PCI_CFG window (bar %u, offset 0x%x, length %u)\n",
                        p->vdev->name, c[VIRTIO_PCI_CAP_BAR], *off, *len);
        return false;
    }
    return true;
}

static bool virtio_pci_hits_window(VirtIOPCIProxy *p, uint32_t addr, unsigned len)
{
    uint32_t data = p->pci_cfg_cap + VIRTIO_PCI_CFG_CAP_DATA;

    return p->pci_cfg_cap && addr < data + 4 && data < addr + len;
}

static const MemoryRegionOps *const virtio_pci_bar_ops[] = {
    &virtio_pci_common_ops, &virtio_pci_isr_ops, &virtio_pci_device_ops, &virtio_pci_notify_ops,
};

static uint32_t virtio_pci_config_read(PCIDevice *dev, uint32_t addr, unsigned len)
{
    VirtIOPCIProxy *p = to_proxy(dev);
    uint32_t off;
    unsigned wlen;

    if (virtio_pci_hits_window(p, addr, len) && virtio_pci_cfg_window(p, &off, &wlen)) {
        const MemoryRegionOps *ops = virtio_pci_bar_ops[off / VIRTIO_PCI_REGION_SIZE];
        uint32_t val = ops->read ? ops->read(p, off % VIRTIO_PCI_REGION_SIZE, wlen) : 0;

        pci_set_long(dev->config + p->pci_cfg_cap + VIRTIO_PCI_CFG_CAP_DATA, val);
    }
    return pci_default_read_config(dev, addr, len);
}

static void virtio_pci_config_write(PCIDevice *dev, uint32_t addr, uint32_t val, unsigned len)
{
    VirtIOPCIProxy *p = to_proxy(dev);
    uint32_t off;
    unsigned wlen;

    pci_default_write_config(dev, addr, val, len);
    /* MSI-X enable, function mask or bus mastering may have changed. */
    virtio_pci_irqfd_sync_all(p);
    if (virtio_pci_hits_window(p, addr, len) && virtio_pci_cfg_window(p, &off, &wlen)) {
        const MemoryRegionOps *ops = virtio_pci_bar_ops[off / VIRTIO_PCI_REGION_SIZE];
        uint32_t data = pci_get_long(dev->config + p->pci_cfg_cap + VIRTIO_PCI_CFG_CAP_DATA);

        if (ops->write) {
            ops->write(p, off % VIRTIO_PCI_REGION_SIZE,
                       wlen == 4 ? data : data & ((1u << (8 * wlen)) - 1), wlen);
        }
    }
}

/* ---- the function ---- */

/*
 * Built once per instance and kept until finalize, since the core unmaps
 * the BAR only after exit or a failed realize.
 */
static void virtio_pci_init_regions(VirtIOPCIProxy *p)
{
    memory_region_init(&p->modern_bar, "virtio-pci", VIRTIO_PCI_MODERN_BAR_SIZE);
    memory_region_init_io(&p->common, &virtio_pci_common_ops, p, "virtio-pci-common",
                          VIRTIO_PCI_REGION_SIZE);
    memory_region_init_io(&p->isr, &virtio_pci_isr_ops, p, "virtio-pci-isr",
                          VIRTIO_PCI_REGION_SIZE);
    memory_region_init_io(&p->device, &virtio_pci_device_ops, p, "virtio-pci-device",
                          VIRTIO_PCI_REGION_SIZE);
    memory_region_init_io(&p->notify, &virtio_pci_notify_ops, p, "virtio-pci-notify",
                          VIRTIO_PCI_REGION_SIZE);
    memory_region_add_subregion(&p->modern_bar, VIRTIO_PCI_COMMON_OFFSET, &p->common);
    memory_region_add_subregion(&p->modern_bar, VIRTIO_PCI_ISR_OFFSET, &p->isr);
    memory_region_add_subregion(&p->modern_bar, VIRTIO_PCI_DEVICE_OFFSET, &p->device);
    memory_region_add_subregion(&p->modern_bar, VIRTIO_PCI_NOTIFY_OFFSET, &p->notify);
    p->regions_ready = true;
}

static bool virtio_pci_realize(PCIDevice *dev, GError **errp)
{
    VirtIOPCIProxy *p = to_proxy(dev);
    const VirtIOPCIClass *vpc = virtio_pci_class_of(dev);
    VirtIODevice *vdev;

    if (!vpc) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "%s is an abstract class",
                    TYPE_VIRTIO_PCI);
        return false;
    }
    if (p->disable_modern || p->disable_legacy == ONOFFAUTO_OFF) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_UNSUPPORTED,
                    "legacy virtio-pci is not supported (modern only: disable-legacy=on, "
                    "disable-modern=off)");
        return false;
    }
    vdev = p->vdev = (VirtIODevice *)((uint8_t *)p + vpc->vdev_offset);
    /* Messages and the NIC model carry the function's name. */
    vdev->name = dev->parent.klass->name;
    if (!virtio_device_realize_embedded(vdev, vpc->vdev_class, errp)) {
        return false;
    }
    vdev->modern_only = true;
    virtio_bind_transport(vdev, &virtio_pci_transport, p, dev->bus ? dev->bus->dma_as : NULL);
    p->nvectors = p->vectors_prop == VIRTIO_PCI_VECTORS_AUTO ? vdev->num_queues + 1
                                                              : p->vectors_prop;

    if (!p->regions_ready) {
        virtio_pci_init_regions(p);
    }
    pci_register_bar(dev, VIRTIO_PCI_MODERN_BAR, PCI_BAR_MEM64 | PCI_BAR_PREFETCH,
                     &p->modern_bar);
    pci_set_interrupt_pin(dev, PCI_PIN_INTA);

    if (!virtio_pci_add_cap(p, VIRTIO_PCI_CAP_COMMON_CFG, VIRTIO_PCI_COMMON_OFFSET,
                            VIRTIO_PCI_REGION_SIZE, VIRTIO_PCI_CAP_SIZE, NULL, errp) ||
        !virtio_pci_add_cap(p, VIRTIO_PCI_CAP_ISR_CFG, VIRTIO_PCI_ISR_OFFSET,
                            VIRTIO_PCI_REGION_SIZE, VIRTIO_PCI_CAP_SIZE, NULL, errp) ||
        (vdev->config_len &&
         !virtio_pci_add_cap(p, VIRTIO_PCI_CAP_DEVICE_CFG, VIRTIO_PCI_DEVICE_OFFSET,
                             VIRTIO_PCI_REGION_SIZE, VIRTIO_PCI_CAP_SIZE, NULL, errp)) ||
        !virtio_pci_add_cap(p, VIRTIO_PCI_CAP_NOTIFY_CFG, VIRTIO_PCI_NOTIFY_OFFSET,
                            VIRTIO_PCI_REGION_SIZE, VIRTIO_PCI_CAP_EXT_SIZE, NULL, errp) ||
        !virtio_pci_add_cap(p, VIRTIO_PCI_CAP_PCI_CFG, 0, 0, VIRTIO_PCI_CAP_EXT_SIZE,
                            &p->pci_cfg_cap, errp)) {
        goto fail;
    }
    if (p->nvectors && !msix_init_exclusive_bar(dev, p->nvectors, VIRTIO_PCI_MSIX_BAR, errp)) {
        goto fail;
    }
    virtio_pci_soft_reset(p);
    return true;

fail:
    /* The core unregisters the BAR; the regions are ours. */
    virtio_device_unrealize_embedded(vdev);
    return false;
}

static void virtio_pci_finalize(DeviceState *d)
{
    VirtIOPCIProxy *p = (VirtIOPCIProxy *)d;

    if (!p->regions_ready) {
        return;
    }
    memory_region_del_subregion(&p->modern_bar, &p->common);
    memory_region_del_subregion(&p->modern_bar, &p->isr);
    memory_region_del_subregion(&p->modern_bar, &p->device);
    memory_region_del_subregion(&p->modern_bar, &p->notify);
    memory_region_destroy(&p->common);
    memory_region_destroy(&p->isr);
    memory_region_destroy(&p->device);
    memory_region_destroy(&p->notify);
    memory_region_destroy(&p->modern_bar);
}

static void virtio_pci_exit(PCIDevice *dev)
{
    VirtIOPCIProxy *p = to_proxy(dev);

    virtio_pci_ioeventfd_stop(p);
    /* INTx and MSI-X are gone: completions during the drain must not interrupt. */
    p->vdev->transport = NULL;
    virtio_device_unrealize_embedded(p->vdev);
}

static void virtio_pci_reset(PCIDevice *dev)
{
    VirtIOPCIProxy *p = to_proxy(dev);

    virtio_pci_ioeventfd_stop(p);
    virtio_reset(p->vdev);
    virtio_pci_soft_reset(p);
}

static const Property virtio_pci_props[] = {
    PROP_UINT32("vectors", VirtIOPCIProxy, vectors_prop, VIRTIO_PCI_VECTORS_AUTO,
                "MSI-X vectors (default: queues + 1; 0: INTx only)"),
    PROP_ENUM("disable-legacy", VirtIOPCIProxy, disable_legacy, ONOFFAUTO_AUTO,
              virtio_pci_onoffauto, "no legacy interface (the only kind supported)"),
    PROP_BOOL("disable-modern", VirtIOPCIProxy, disable_modern, false,
              "no modern interface (not supported)"),
    PROP_END
};

const PCIDeviceClass virtio_pci_class = {
    .parent = {
        .name = TYPE_VIRTIO_PCI,
        .desc = "virtio PCI transport",
        .parent = &pci_device_class,
        .instance_size = sizeof(VirtIOPCIProxy),
        .props = virtio_pci_props,
        .instance_finalize = virtio_pci_finalize,
    },
    .vendor_id = VIRTIO_PCI_VENDOR_ID,
    .revision = 1,
    .realize = virtio_pci_realize,
    .reset = virtio_pci_reset,
    .exit = virtio_pci_exit,
    .config_read = virtio_pci_config_read,
    .config_write = virtio_pci_config_write,
};

/* ---- virtio-X-pci functions ---- */

typedef struct VirtIORNGPCI {
    VirtIOPCIProxy parent;
    VirtIORNG vdev;
} VirtIORNGPCI;

static const VirtIOPCIClass virtio_rng_pci_class = {
    .parent = {
        .parent = {
            .name = TYPE_VIRTIO_RNG_PCI,
            .desc = "virtio entropy source (PCI)",
            .parent = &virtio_pci_class.parent,
            .instance_size = sizeof(VirtIORNGPCI),
            .category = DEVICE_CATEGORY_MISC,
            .user_creatable = true,
        },
        .device_id = VIRTIO_PCI_DEVICE_ID_MODERN + VIRTIO_ID_RNG,
        .class_id = PCI_CLASS_OTHERS,
    },
    .vdev_class = &virtio_rng_device_class,
    .vdev_offset = offsetof(VirtIORNGPCI, vdev),
};

typedef struct VirtIOBlkPCI {
    VirtIOPCIProxy parent;
    VirtIOBlock vdev;
} VirtIOBlkPCI;

static const Property virtio_blk_pci_props[] = {
    PROP_DRIVE("drive", VirtIOBlkPCI, vdev.blk, "ID of the drive (-drive/-blockdev) to expose"),
    PROP_STRING("serial", VirtIOBlkPCI, vdev.serial, NULL, "disk serial number (GET_ID)"),
    PROP_UINT16("queue-size", VirtIOBlkPCI, vdev.queue_size, 256, "request queue size"),
    PROP_END
};

static const VirtIOPCIClass virtio_blk_pci_class = {
    .parent = {
        .parent = {
            .name = TYPE_VIRTIO_BLK_PCI,
            .desc = "virtio block device (PCI)",
            .parent = &virtio_pci_class.parent,
            .instance_size = sizeof(VirtIOBlkPCI),
            .props = virtio_blk_pci_props,
            .category = DEVICE_CATEGORY_STORAGE,
            .user_creatable = true,
        },
        .device_id = VIRTIO_PCI_DEVICE_ID_MODERN + VIRTIO_ID_BLOCK,
        .class_id = PCI_CLASS_STORAGE_SCSI,
    },
    .vdev_class = &virtio_blk_device_class,
    .vdev_offset = offsetof(VirtIOBlkPCI, vdev),
};

typedef struct VirtIONetPCI {
    VirtIOPCIProxy parent;
    VirtIONet vdev;
} VirtIONetPCI;

static const Property virtio_net_pci_props[] = {
    PROP_NETDEV("netdev", VirtIONetPCI, vdev.peer, "ID of the network backend (-netdev)"),
    PROP_MACADDR("mac", VirtIONetPCI, vdev.mac, "MAC address (default 52:54:00:12:34:56 + n)"),
    PROP_UINT16("queue-size", VirtIONetPCI, vdev.queue_size, 256,
                "receive and transmit queue size"),
    PROP_END
};

static const VirtIOPCIClass virtio_net_pci_class = {
    .parent = {
        .parent = {
            .name = TYPE_VIRTIO_NET_PCI,
            .desc = "virtio network device (PCI)",
            .parent = &virtio_pci_class.parent,
            .instance_size = sizeof(VirtIONetPCI),
            .props = virtio_net_pci_props,
            .category = DEVICE_CATEGORY_NETWORK,
            .user_creatable = true,
        },
        .device_id = VIRTIO_PCI_DEVICE_ID_MODERN + VIRTIO_ID_NET,
        .class_id = PCI_CLASS_NETWORK_ETHERNET,
    },
    .vdev_class = &virtio_net_device_class,
    .vdev_offset = offsetof(VirtIONetPCI, vdev),
};

static const VirtIOPCIClass *const virtio_pci_functions[] = {
    &virtio_rng_pci_class,
    &virtio_blk_pci_class,
    &virtio_net_pci_class,
};

void virtio_pci_register_devices(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(virtio_pci_functions); i++) {
        const DeviceClass *dc = &virtio_pci_functions[i]->parent.parent;

        if (!device_class_find(dc->name)) {
            device_class_register(dc);
        }
    }
}
