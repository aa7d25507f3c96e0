/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * KVM_IOEVENTFD for the virtio transports (interface in
 * include/accel/kvm/kvm-eventfd.h). Notify registers are written with
 * different widths by different drivers (Linux writes 16 bits to
 * virtio-pci, firmware may write 32), so registrations match any width
 * where the kernel allows it and two bytes otherwise, the width Linux uses.
 * The irqfd members come from kvm-irqfd.c when it can work.
 */
#include <errno.h>
#include <sys/ioctl.h>

#include "accel/kvm/kvm-eventfd.h"
#include "accel/kvm/kvm-int.h"
#include "hw/virtio/virtio-eventfd.h"
#include "util/log.h"

static bool kvm_ioeventfd_any_length;

int kvm_set_ioeventfd_mmio(KvmState *s, uint64_t addr, unsigned len, int fd, bool assign)
{
    struct kvm_ioeventfd e = {
        .addr = addr,
        .len = len,
        .fd = fd,
        .flags = assign ? 0 : KVM_IOEVENTFD_FLAG_DEASSIGN,
    };

    if (ioctl(s->vm_fd, KVM_IOEVENTFD, &e) < 0) {
        int err = errno;

        log_mask(LOG_KVM, "kvm: KVM_IOEVENTFD %s 0x%" G_GINT64_MODIFIER "x len %u: %s\n",
                 assign ? "assign" : "deassign", addr, len, g_strerror(err));
        return -err;
    }
    log_mask(LOG_KVM, "kvm: ioeventfd %s 0x%" G_GINT64_MODIFIER "x len %u fd %d\n",
             assign ? "on" : "off", addr, len, fd);
    return 0;
}

static int kvm_virtio_ioeventfd(void *opaque, uint64_t addr, int fd, bool assign)
{
    return kvm_set_ioeventfd_mmio(opaque, addr, kvm_ioeventfd_any_length ? 0 : 2, fd, assign);
}

static int kvm_virtio_msi_route_add(void *opaque, uint64_t addr, uint32_t data)
{
    return kvm_irq_routing_add_msi(opaque, addr, data);
}

static int kvm_virtio_msi_route_update(void *opaque, int gsi, uint64_t addr, uint32_t data)
{
    return kvm_irq_routing_update_msi(opaque, gsi, addr, data);
}

static void kvm_virtio_msi_route_release(void *opaque, int gsi)
{
    kvm_irq_routing_release(opaque, gsi);
}

static int kvm_virtio_irqfd(void *opaque, int fd, int gsi, bool assign)
{
    return kvm_set_irqfd(opaque, fd, gsi, assign);
}

static VirtioEventfdOps kvm_virtio_eventfd_ops = {
    .ioeventfd = kvm_virtio_ioeventfd,
};

bool kvm_eventfd_init(KvmState *s)
{
    if (ioctl(s->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_IOEVENTFD) <= 0) {
        return false;
    }
    kvm_ioeventfd_any_length =
        ioctl(s->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_IOEVENTFD_ANY_LENGTH) > 0;
    kvm_virtio_eventfd_ops.opaque = s;
    if (kvm_irqfd_init(s)) {
        kvm_virtio_eventfd_ops.msi_route_add = kvm_virtio_msi_route_add;
        kvm_virtio_eventfd_ops.msi_route_update = kvm_virtio_msi_route_update;
        kvm_virtio_eventfd_ops.msi_route_release = kvm_virtio_msi_route_release;
        kvm_virtio_eventfd_ops.irqfd = kvm_virtio_irqfd;
    } else {
        kvm_virtio_eventfd_ops.msi_route_add = NULL;
        kvm_virtio_eventfd_ops.msi_route_update = NULL;
        kvm_virtio_eventfd_ops.msi_route_release = NULL;
        kvm_virtio_eventfd_ops.irqfd = NULL;
    }
    virtio_eventfd_set_ops(&kvm_virtio_eventfd_ops);
    return true;
}

void kvm_eventfd_cleanup(void)
{
    if (virtio_eventfd_get_ops() == &kvm_virtio_eventfd_ops) {
        virtio_eventfd_set_ops(NULL);
    }
    kvm_irqfd_cleanup();
}
