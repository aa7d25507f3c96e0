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
    void *opaque;
} VirtioEventfdOps;

/* Install (NULL: remove) the accelerator's ops. */
void virtio_eventfd_set_ops(const VirtioEventfdOps *ops);
const VirtioEventfdOps *virtio_eventfd_get_ops(void);

#endif
