/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The KVM accelerator: one VM per process, backed by /dev/kvm. Init opens
 * the device, checks the API version and every capability it relies on,
 * creates the VM with its in-kernel interrupt controllers and mirrors the
 * RAM of address_space_memory() into KVM memory slots. vCPUs run through
 * the generic vCPU threads (kvm_accel_ops()); their exits come back to the
 * common memory and I/O dispatch.
 */
#ifndef ACCEL_KVM_KVM_H
#define ACCEL_KVM_KVM_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "hw/core/irq.h"

typedef struct KvmState KvmState;
typedef struct MachineState MachineState;
typedef struct AccelOps AccelOps;
typedef struct CPUState CPUState;

/* /dev/kvm can be opened and speaks API version 12. */
bool kvm_available(void);
/* Add the "kvm" accelerator to the registry (accel_class_register). */
void kvm_accel_register(void);
/*
 * Create the VM for ms (any of ms may be NULL in tests): capabilities, the
 * in-kernel irqchip and PIT, the memory listener. Errors name what is
 * missing, e.g. "kvm: missing capability KVM_CAP_IRQCHIP".
 */
bool kvm_accel_init(MachineState *ms, GError **errp);
/* Close the VM (vCPUs must be destroyed first); tests and teardown. */
void kvm_accel_destroy(void);
/* vCPU hooks to pass to cpu_create(); arch_state is the board's X86CPU. */
const AccelOps *kvm_accel_ops(void);

/* The VM once kvm_accel_init succeeded, else NULL. */
KvmState *kvm_state(void);
static inline bool kvm_enabled(void)
{
    return kvm_state() != NULL;
}

/* Set the level of an interrupt-controller input (GSI); -errno. */
int kvm_set_irq(KvmState *s, int gsi, int level);
/* count lines driving GSIs 0..count-1; free with irq_free_array. */
IrqLine **kvm_irq_lines_new(KvmState *s, int count);
/*
 * Inject one MSI (address/data as a PCI function wrote them) into the
 * in-kernel local APICs with KVM_SIGNAL_MSI; -errno (-ENOTTY without
 * KVM_CAP_SIGNAL_MSI).
 */
int kvm_signal_msi(KvmState *s, uint64_t addr, uint32_t data);

/*
 * System reset of the accelerator's own state: the in-kernel PIC, IOAPIC
 * and PIT go back to their power-on state. Main thread, vCPUs paused.
 */
void kvm_reset_vm(KvmState *s);
/* Put the vCPU back to its X86CPU entry state (runs in its thread). */
void kvm_cpu_reset(CPUState *cpu);

#endif
