/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Declarations shared inside target/arm: the system register table that
 * MRS/MSR translate from, and the TCG hooks of the AArch64 CPU.
 */
#ifndef TARGET_ARM_INTERNALS_H
#define TARGET_ARM_INTERNALS_H

#include <stddef.h>

#include "system/cpus.h"
#include "target/arm/cpu.h"

typedef enum ARMSysRegKind {
    SR_FIELD,       /* 64-bit field of CPUARMState at offset */
    SR_CONST,       /* read-only constant (value) */
    SR_HELPER,      /* sysreg_read / sysreg_write helpers */
    SR_NZCV,
    SR_DAIF,
    SR_CURRENTEL,
    SR_SPSEL,
    SR_FPCR,        /* 32-bit field at offset, FP access checked */
    SR_FPSR,
    SR_SP_EL0,
    SR_GICV3,       /* ICC_*: gicv3_cpuif_read/write, value = GICv3CpuReg */
} ARMSysRegKind;

enum {
    SR_R = 1,               /* MRS allowed */
    SR_W = 2,               /* MSR allowed */
    SR_RW = SR_R | SR_W,
    SR_EL0_R = 4,           /* MRS allowed at EL0 */
    SR_EL0_W = 8,           /* MSR allowed at EL0 */
    SR_END_TB = 16,         /* a write changes hflags or interrupt masking */
};

typedef struct ARMSysReg {
    uint32_t key;           /* ARM_SYSREG(op0, op1, crn, crm, op2) */
    const char *name;
    uint8_t kind;           /* ARMSysRegKind */
    uint8_t access;         /* SR_* */
    intptr_t offset;        /* SR_FIELD/FPCR/FPSR */
    uint64_t value;         /* SR_CONST */
} ARMSysReg;

/* The register for key, or NULL (UNDEFINED); ID space gaps read as zero. */
const ARMSysReg *arm_sysreg_find(const CPUARMState *env, uint32_t key, ARMSysReg *scratch);

/*
 * A device access from this vCPU may have raised an interrupt on this very
 * vCPU (cpu_interrupt then only sets exit_request): leave generated code
 * at the next block so the loop sees it.
 */
static inline void arm_check_self_interrupt(CPUARMState *env)
{
    if (env->cs && g_atomic_int_get(&env->cs->exit_request)) {
        tcg_cpu_kick(&env->tcg);
    }
}

/* Stage-1 translation (mmu.c). */
enum { ARM_PROT_READ = 1, ARM_PROT_WRITE = 2, ARM_PROT_EXEC = 4 };
typedef struct ARMTranslation {
    uint64_t pa;
    int prot;           /* ARM_PROT_*: what this mmu_idx may do on the page */
    uint32_t fsc;       /* on failure: the fault status code for ESR */
    int level;
    unsigned page_bits; /* size of the page or block that mapped it */
} ARMTranslation;
/* VA -> PA for access at mmu_idx; false with t->fsc set on a fault. */
bool arm_mmu_translate(CPUARMState *env, uint64_t va, MMUAccessType access, int mmu_idx,
                       ARMTranslation *t);
/* Self-hosted debug (debug.c). */
uint32_t arm_debug_hflags(const CPUARMState *env);
bool arm_bp_match(const CPUARMState *env, uint64_t pc);
bool arm_wp_page_watched(const CPUARMState *env, uint64_t va, int mmu_idx);
void arm_wp_check(CPUARMState *env, uint64_t va, MMUAccessType access, int mmu_idx,
                  uintptr_t ra);

/* TLB maintenance (helper.c): everything on this vCPU; one TLBI instruction. */
void arm_tlb_flush_local(CPUARMState *env);
void arm_tlbi(CPUARMState *env, unsigned crm, unsigned op2, uint64_t xt);
/* The PAR_EL1 value an AT instruction leaves. */
uint64_t arm_mmu_at(CPUARMState *env, uint64_t va, bool is_write, int mmu_idx);

/* The TCG target hooks (cpu.c). */
extern const TCGTargetOps arm_tcg_ops;

/* The generic timer (gtimer.c): 62.5 MHz like QEMU's virt. BQL for writes. */
#define ARM_CNTFRQ 62500000ull
/* Numbered as op2 of CNT{P,V}_{TVAL,CTL,CVAL}_EL0. */
typedef enum { ARM_GT_TVAL, ARM_GT_CTL, ARM_GT_CVAL } ARMGtReg;
uint64_t arm_counter_now(void);
void arm_gt_init(CPUARMState *env, IrqLine *phys_irq, IrqLine *virt_irq);
void arm_gt_reset(CPUARMState *env);
uint64_t arm_gt_read(CPUARMState *env, int which, ARMGtReg reg);
void arm_gt_write(CPUARMState *env, int which, ARMGtReg reg, uint64_t val);

#endif
