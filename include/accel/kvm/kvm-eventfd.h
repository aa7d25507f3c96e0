/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * KVM's eventfd fast paths for device models: KVM_IOEVENTFD turns guest
 * writes to an MMIO address into an eventfd signal handled by the main
 * loop, without a vCPU exit to userspace; KVM_IRQFD turns an eventfd
 * signal into an interrupt on a GSI, here one routed to an MSI message
 * (KVM_SET_GSI_ROUTING). Installed as the virtio transports'
 * VirtioEventfdOps (hw/virtio/virtio-eventfd.h) when the VM is created and
 * the kernel has KVM_CAP_IOEVENTFD (irqfd also needs KVM_CAP_IRQ_ROUTING,
 * KVM_CAP_IRQFD and the arch's fixed routes).
 */
#ifndef ACCEL_KVM_KVM_EVENTFD_H
#define ACCEL_KVM_KVM_EVENTFD_H

#include <stdbool.h>
#include <stdint.h>

typedef struct KvmState KvmState;
struct kvm_irq_routing_entry;

/*
 * Writes to guest-physical addr (memory space) signal fd (assign) or no
 * longer do. len 0 matches writes of any width (KVM_CAP_IOEVENTFD_ANY_LENGTH);
 * otherwise 1, 2, 4 or 8. 0 or -errno (-ENOENT deassigning an unknown one).
 */
int kvm_set_ioeventfd_mmio(KvmState *s, uint64_t addr, unsigned len, int fd, bool assign);

/*
 * KVM_SET_GSI_ROUTING replaces the whole table, so every update repeats
 * the arch's fixed routes (the irqchip pins). The arch records them here
 * when it sets them up, before kvm_eventfd_init(); without them irqfd stays
 * off. MSI routes take the GSIs above the highest fixed one.
 */
void kvm_irq_routing_set_base(KvmState *s, const struct kvm_irq_routing_entry *e, unsigned n);
/* A new MSI route: its GSI, or -errno (-ENOSPC: no GSI left). */
int kvm_irq_routing_add_msi(KvmState *s, uint64_t addr, uint32_t data);
/* 0 or -errno; the route keeps its old message on failure. */
int kvm_irq_routing_update_msi(KvmState *s, int gsi, uint64_t addr, uint32_t data);
void kvm_irq_routing_release(KvmState *s, int gsi);
/* Signalling fd raises gsi (assign) or no longer does. 0 or -errno. */
int kvm_set_irqfd(KvmState *s, int fd, int gsi, bool assign);
/* Whether the irqfd calls above can work (called by kvm_eventfd_init). */
bool kvm_irqfd_init(KvmState *s);
void kvm_irqfd_cleanup(void);

/* After the VM exists: install the ops if the kernel can; returns whether it did. */
bool kvm_eventfd_init(KvmState *s);
/* Before the VM goes away (devices have stopped using the ops). */
void kvm_eventfd_cleanup(void);

#endif
