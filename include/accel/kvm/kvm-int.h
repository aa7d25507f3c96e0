/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * KVM internals shared by the generic part (accel/kvm) and the
 * architecture hooks (target/i386/kvm.c). Each architecture supplies the
 * same small set of kvm_arch_* functions.
 */
#ifndef ACCEL_KVM_KVM_INT_H
#define ACCEL_KVM_KVM_INT_H

#include <linux/kvm.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>

#include "accel/kvm/kvm.h"
#include "system/cpus.h"
#include "system/memory.h"

typedef struct KvmSlot {
    uint64_t gpa, size;
    void *host;
    uint32_t flags;
    bool used;
} KvmSlot;

typedef struct KvmCap {
    int cap;
    const char *name;
} KvmCap;

#define KVM_CAP_ENTRY(c) { KVM_CAP_##c, "KVM_CAP_" #c }

struct KvmState {
    int fd;                     /* /dev/kvm */
    int vm_fd;
    int run_size;               /* mmap size of struct kvm_run */
    int max_vcpus;
    bool readonly_mem;          /* KVM_MEM_READONLY slots */
    GArray *slots;              /* KvmSlot, index = slot number */
    unsigned max_slots;
    MemoryListener listener;
    bool slot_failed;           /* a slot update failed: the VM cannot run */
    void *arch;                 /* kvm_arch_* private state */
};

typedef struct KvmVcpu {
    KvmState *s;
    CPUState *cpu;
    int fd;
    struct kvm_run *run;
    pthread_t thread;
    int thread_ready;           /* atomic: thread is valid for kicks */
    void *arch;                 /* kvm_arch_* private state */
} KvmVcpu;

/* Capabilities the architecture cannot work without ({0} terminated). */
extern const KvmCap kvm_arch_required_caps[];

bool kvm_arch_init_vm(KvmState *s, MachineState *ms, GError **errp);
void kvm_arch_destroy_vm(KvmState *s);
/* vCPU id to pass to KVM_CREATE_VCPU (the APIC id on x86). */
unsigned long kvm_arch_vcpu_id(CPUState *cpu);
/* After KVM_CREATE_VCPU, in the vCPU thread: CPUID, initial registers. */
bool kvm_arch_vcpu_init(KvmVcpu *v, GError **errp);
void kvm_arch_vcpu_destroy(KvmVcpu *v);
void kvm_arch_vcpu_reset(KvmVcpu *v);
void kvm_arch_reset_vm(KvmState *s);
/* Registers and control state, for fatal exits. */
void kvm_arch_dump_state(KvmVcpu *v, FILE *out);

#ifndef container_of
#define container_of(ptr, type, member) \
    ((type *)((char *)(ptr) - offsetof(type, member)))
#endif

/* Signal that kicks a vCPU out of KVM_RUN. */
#define KVM_KICK_SIGNAL SIGUSR1

#endif
