/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Accelerator-neutral vCPU threads. Each vCPU has its own thread running
 * "execute guest code, then handle stop requests, queued work and halts"
 * around the accelerator's vcpu_exec hook. Stop, halt and work handshakes
 * are made under the BQL, and every wait releases it, so a vCPU blocked on
 * the BQL for a device access can always finish and reach its stop point.
 *
 * The BQL rule for accelerators: with runs_without_bql (KVM, the JIT),
 * vcpu_exec is entered without the BQL and must take it (bql_lock) around
 * every access to device or machine state, and release it before
 * re-entering guest code. Without runs_without_bql, vcpu_exec runs with the
 * BQL held and must return after a bounded slice of work; the loop lets
 * waiting threads in between slices. In both cases vcpu_exec returns
 * promptly once exit_request is set or vcpu_kick was called.
 */
#ifndef SYSTEM_CPUS_H
#define SYSTEM_CPUS_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct CPUState CPUState;
typedef struct CpuWorkItem CpuWorkItem;

/* Return codes of AccelOps.vcpu_exec. */
typedef enum {
    CPU_EXIT_INTERRUPTED, /* kicked, or ran its slice: just loop */
    CPU_EXIT_HALTED,      /* guest waits for an interrupt (WFI, HLT) */
    CPU_EXIT_DEBUG,       /* breakpoint/single-step: VM enters "debug" */
    CPU_EXIT_ERROR,       /* accelerator failure: VM enters "internal-error" */
} CpuExitCode;

/* Interrupt lines in interrupt_request; the arch defines more from bit 8. */
enum {
    CPU_INTERRUPT_HARD  = 1u << 0,
    CPU_INTERRUPT_FIQ   = 1u << 1,
    CPU_INTERRUPT_NMI   = 1u << 2,
    CPU_INTERRUPT_INIT  = 1u << 3,
    CPU_INTERRUPT_SIPI  = 1u << 4,
    CPU_INTERRUPT_RESET = 1u << 5,
    CPU_INTERRUPT_EXITTB = 1u << 6,
};

typedef struct AccelOps {
    const char *name;
    /* In the vCPU thread, BQL held, before the loop starts. Optional. */
    bool (*vcpu_init)(CPUState *cpu, GError **errp);
    /* Run guest code until it must stop; returns a CpuExitCode. */
    int (*vcpu_exec)(CPUState *cpu);
    /* Make vcpu_exec return soon; any thread. exit_request is already set. */
    void (*vcpu_kick)(CPUState *cpu);
    /* In the vCPU thread, BQL held, after the loop ends. Optional. */
    void (*vcpu_destroy)(CPUState *cpu);
    /*
     * Whether a halted vCPU should wake (BQL held). Optional; the default
     * is "any interrupt_request bit set".
     */
    bool (*vcpu_has_work)(CPUState *cpu);
    bool runs_without_bql;
} AccelOps;

struct CPUState {
    int index;
    GThread *thread;
    GCond halt_cond;        /* signalled to wake the thread (BQL) */
    bool created;           /* thread is in its loop (BQL) */
    bool stop;              /* asked to stop (BQL) */
    bool stopped;           /* stopped outside guest code (BQL) */
    bool halted;            /* waiting for an interrupt (BQL) */
    int exit_request;       /* atomic: vcpu_exec must return */
    uint32_t interrupt_request; /* atomic: pending CPU_INTERRUPT_* bits */
    const AccelOps *ops;
    void *accel_state;
    void *arch_state;
    /* private */
    bool unplug;            /* thread must exit (BQL) */
    GQueue work;            /* of CpuWorkItem (BQL) */
    GError *init_error;
};

/*
 * Create a vCPU and start its thread. The vCPU stays stopped until
 * resume_all_vcpus() (vm_start). Returns NULL if vcpu_init failed (its
 * thread is joined). BQL held.
 */
CPUState *cpu_create(int index, const AccelOps *ops, void *arch_state, GError **errp);
void cpu_foreach(void (*fn)(CPUState *cpu, void *opaque), void *opaque);
CPUState *cpu_by_index(int index);
int cpu_count(void);
/* The vCPU whose thread is calling, or NULL. */
CPUState *cpu_current(void);
bool cpu_is_self(CPUState *cpu);

/*
 * Stop every vCPU outside guest code and wait for it. BQL held; the BQL is
 * released while waiting. From a vCPU thread the caller counts as stopped.
 */
void pause_all_vcpus(void);
void resume_all_vcpus(void);
/* Let one stopped vCPU run (hot-plugged into a running VM). BQL held. */
void cpu_resume(CPUState *cpu);
bool all_vcpus_paused(void);
/* Ask the calling vCPU to stop at its next exit (vm_stop from a vCPU). */
void cpu_stop_current(void);

/* Make vcpu_exec return soon (any thread). */
void cpu_kick(CPUState *cpu);
/* Raise interrupt lines: sets bits, wakes a halted vCPU, kicks. Any thread. */
void cpu_interrupt(CPUState *cpu, uint32_t mask);
void cpu_reset_interrupt(CPUState *cpu, uint32_t mask);
/* Mark the calling vCPU halted (same as returning CPU_EXIT_HALTED). */
void cpu_halt(CPUState *cpu);
/* Whether a halted vCPU would wake now. BQL held. */
bool cpu_has_work(CPUState *cpu);

/*
 * Run fn(cpu, data) in the vCPU's thread with the BQL held; the caller
 * waits (releasing the BQL if it holds it). Runs even while the vCPU is
 * stopped or halted. From the vCPU's own thread fn runs directly. Do not
 * call from one vCPU thread on another vCPU (use async_run_on_cpu).
 */
void run_on_cpu(CPUState *cpu, void (*fn)(CPUState *cpu, void *data), void *data);
/* Queue fn without waiting; any thread. */
void async_run_on_cpu(CPUState *cpu, void (*fn)(CPUState *cpu, void *data), void *data);

/* The vCPU that last returned CPU_EXIT_DEBUG (for the gdb stub), or NULL. */
CPUState *cpu_debug_stop_cpu(void);

/* Stop and join every vCPU thread, then free them. BQL held or not. */
void cpus_destroy_all(void);

#endif
