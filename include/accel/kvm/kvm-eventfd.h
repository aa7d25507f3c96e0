/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * KVM's eventfd fast paths for device models: KVM_IOEVENTFD turns guest
 * writes to an MMIO address into an eventfd signal handled by the main
 * loop, without a vCPU exit to userspace. Installed as the virtio
 * transports' VirtioEventfdOps (hw/virtio/virtio-eventfd.h) when the VM is
 * created and the kernel has KVM_CAP_IOEVENTFD.
 */
#ifndef ACCEL_KVM_KVM_EVENTFD_H
#define ACCEL_KVM_KVM_EVENTFD_H

#include <stdbool.h>
#include <stdint.h>

typedef struct KvmState KvmState;

/*
 * Writes to guest-physical addr (memory space) signal fd (assign) or no
 * longer do. len 0 matches writes of any width (KVM_CAP_IOEVENTFD_ANY_LENGTH);
 * otherwise 1, 2, 4 or 8. 0 or -errno (-ENOENT deassigning an unknown one).
 */
int kvm_set_ioeventfd_mmio(KvmState *s, uint64_t addr, unsigned len, int fd, bool assign);

/* After the VM exists: install the ops if the kernel can; returns whether it did. */
bool kvm_eventfd_init(KvmState *s);
/* Before the VM goes away (devices have stopped using the ops). */
void kvm_eventfd_cleanup(void);

#endif
