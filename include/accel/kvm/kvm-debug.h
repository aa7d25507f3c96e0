/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Guest debugging under KVM for the gdb stub: KVM_SET_GUEST_DEBUG
 * (single-step, software breakpoints, debug registers), the decoding of
 * debug exits, and synchronous vCPU ioctls for register access. vCPU
 * ioctls run in the vCPU's own thread through run_on_cpu.
 */
#ifndef ACCEL_KVM_KVM_DEBUG_H
#define ACCEL_KVM_KVM_DEBUG_H

#include <stdbool.h>
#include <stdint.h>

typedef struct CPUState CPUState;
typedef struct KvmVcpu KvmVcpu;

/*
 * KVM_GUESTDBG_* flags this KVM accepts (KVM_CAP_SET_GUEST_DEBUG2), or
 * just ENABLE|SINGLESTEP|USE_SW_BP|USE_HW_BP for an older one, 0 without
 * guest debugging or without a VM.
 */
uint32_t kvm_guest_debug_caps(void);

/*
 * KVM_SET_GUEST_DEBUG on cpu: flags are KVM_GUESTDBG_*; debugregs (DR0-3,
 * 6, 7 in slots 0-3 and 6-7) is used with KVM_GUESTDBG_USE_HW_BP and may
 * be NULL otherwise. Returns 0 or -errno. BQL held.
 */
int kvm_update_guest_debug(CPUState *cpu, uint32_t flags, const uint64_t *debugregs);

typedef struct KvmDebugExit {
    uint32_t exception;     /* 1 (#DB) or 3 (#BP) */
    uint64_t pc;            /* linear address of the instruction */
    uint64_t dr6, dr7;
} KvmDebugExit;

/*
 * The debug exit that stopped cpu last, if its latest exit was one. A
 * breakpoint instruction that KVM failed to emulate (the PVM backend
 * reports int3 as an emulation failure) is returned as exception 3.
 */
bool kvm_debug_last_exit(CPUState *cpu, KvmDebugExit *out);

/* ioctl on cpu's vCPU fd, in its thread; 0 or -errno. BQL held. */
int kvm_vcpu_ioctl_sync(CPUState *cpu, unsigned long request, void *arg);

/* ---- hooks for accel/kvm/kvm-vcpu.c (vCPU thread, no BQL) ---- */

/* KVM_EXIT_DEBUG: returns a CpuExitCode. */
int kvm_handle_debug_exit(KvmVcpu *v);
/*
 * KVM_EXIT_INTERNAL_ERROR that is really a software breakpoint hit: int3
 * as the failed instruction while KVM_GUESTDBG_USE_SW_BP is on.
 */
bool kvm_debug_is_breakpoint_failure(KvmVcpu *v);

#endif
