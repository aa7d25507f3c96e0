/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ioeventfd fast path for virtio transports. An accelerator that can
 * turn guest writes to an MMIO address into an eventfd signal without
 * leaving the guest (KVM_IOEVENTFD) installs these ops when its VM
 * exists; virtio-pci then registers each ready queue's notify address
 * once the driver sets DRIVER_OK, follows BAR moves through a memory
 * listener, and runs the queue handlers from the main loop when an
 * eventfd fires. Without ops (TCG, unit tests) or when a registration
 * fails, notify writes keep exiting to the device model as before.
 *
 * The irqfd ops are the reverse direction: an MSI route (a GSI whose
 * message is an MSI-X table entry) plus an eventfd bound to it, so that a
 * device signals an interrupt by writing the eventfd. virtio-pci binds one
 * per unmasked queue vector and falls back to msix_notify() for the rest;
 * accelerators that cannot leave the irqfd members NULL.
 *
 * The ops are installed and removed under the BQL, before devices use
 * them and after they stopped; they are called under the BQL too.
 */
#ifndef HW_VIRTIO_VIRTIO_EVENTFD_H
#define HW_VIRTIO_VIRTIO_EVENTFD_H

#include <stdbool.h>
#include <stdint.h>

typedef struct VirtioEventfdOps {
    /*
     * Writes of any width to guest-physical address addr (memory space)
     * signal fd instead of reaching the device (assign), or stop doing so
     * (!assign). 0 or -errno.
     */
    int (*ioeventfd)(void *opaque, uint64_t addr, int fd, bool assign);
    /*
     * An MSI route delivering (addr, data): returns its GSI or -errno.
     * Update changes the message of a route (irqfds bound to it follow);
     * release frees it, after its irqfds were removed. All or none.
     */
    int (*msi_route_add)(void *opaque, uint64_t addr, uint32_t data);
    int (*msi_route_update)(void *opaque, int gsi, uint64_t addr, uint32_t data);
    void (*msi_route_release)(void *opaque, int gsi);
    /* Signalling fd raises gsi (assign), or no longer does. 0 or -errno. */
    int (*irqfd)(void *opaque, int fd, int gsi, bool assign);
    void *opaque;
} VirtioEventfdOps;

/* Install (NULL: remove) the accelerator's ops. */
void virtio_eventfd_set_ops(const VirtioEventfdOps *ops);
const VirtioEventfdOps *virtio_eventfd_get_ops(void);

#endif
