/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The AArch64 CPU as Tern emulates it: the architectural state translated
 * code works on (CPUARMState), the PSTATE/ESR/SCTLR/CPACR encodings, the
 * exception entry and return, and the few services the rest of Tern uses
 * (models for -cpu, reset from the boot info, PSCI, semihosting, register
 * dumps). EL0 and EL1 in AArch64 state only, with the stage-1 MMU
 * (mmu.c), PAN/UAO, the PMU (pmu.c) and self-hosted debug (debug.c).
 * docs/arm-translate.md describes how translated code uses this state.
 */
#ifndef TARGET_ARM_CPU_H
#define TARGET_ARM_CPU_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "accel/tcg/cpu-exec.h"

typedef struct CPUState CPUState;
typedef struct MachineState MachineState;

/* ---- PSTATE, in SPSR layout ---- */
#define PSTATE_SP        (1u << 0)       /* SPSel: SP_ELx (1) or SP_EL0 (0) */
#define PSTATE_EL_SHIFT  2
#define PSTATE_EL_MASK   (3u << PSTATE_EL_SHIFT)
#define PSTATE_M_MASK    0x1fu           /* M[4:0]: EL and SPSel, nRW = 0 */
#define PSTATE_F         (1u << 6)
#define PSTATE_I         (1u << 7)
#define PSTATE_A         (1u << 8)
#define PSTATE_D         (1u << 9)
#define PSTATE_DAIF      (0xfu << 6)
#define PSTATE_IL        (1u << 20)
#define PSTATE_PAN       (1u << 22)
#define PSTATE_UAO       (1u << 23)
#define PSTATE_SS        (1u << 21)
#define PSTATE_V         (1u << 28)
#define PSTATE_C         (1u << 29)
#define PSTATE_Z         (1u << 30)
#define PSTATE_N         (1u << 31)
#define PSTATE_NZCV      (0xfu << 28)

/* ---- exception syndromes (ESR_ELx) ---- */
#define ARM_EC_SHIFT            26
#define ARM_IL                  (1u << 25)
enum {
    ARM_EC_UNCATEGORIZED = 0x00,
    ARM_EC_WFX = 0x01,
    ARM_EC_FP_ACCESS = 0x07,
    ARM_EC_ILLEGAL_STATE = 0x0e,
    ARM_EC_SVC64 = 0x15,
    ARM_EC_HVC64 = 0x16,
    ARM_EC_SMC64 = 0x17,
    ARM_EC_SYSREG = 0x18,
    ARM_EC_INSN_ABORT_LOWER = 0x20,
    ARM_EC_INSN_ABORT = 0x21,
    ARM_EC_PC_ALIGN = 0x22,
    ARM_EC_DATA_ABORT_LOWER = 0x24,
    ARM_EC_DATA_ABORT = 0x25,
    ARM_EC_SP_ALIGN = 0x26,
    ARM_EC_FP_EXC64 = 0x2c,
    ARM_EC_BREAKPOINT_LOWER = 0x30,
    ARM_EC_BREAKPOINT = 0x31,
    ARM_EC_SOFTSTEP_LOWER = 0x32,
    ARM_EC_SOFTSTEP = 0x33,
    ARM_EC_WATCHPOINT_LOWER = 0x34,
    ARM_EC_WATCHPOINT = 0x35,
    ARM_EC_BRK64 = 0x3c,
};

/* Fault status codes (DFSC/IFSC). */
enum {
    ARM_FSC_ALIGN = 0x21,
    ARM_FSC_SYNC_EXTERNAL = 0x10,
    ARM_FSC_ADDR_SIZE_L0 = 0x00,
    ARM_FSC_TRANSLATION_L0 = 0x04,      /* + level */
    ARM_FSC_ACCESS_FLAG_L0 = 0x08,
    ARM_FSC_PERMISSION_L0 = 0x0c,
    ARM_FSC_SYNC_EXTERNAL_WALK_L0 = 0x14,
};

static inline uint32_t syn_make(unsigned ec, uint32_t iss)
{
    return ((uint32_t)ec << ARM_EC_SHIFT) | ARM_IL | (iss & 0x1ffffff);
}
static inline uint32_t syn_uncategorized(void)
{
    return syn_make(ARM_EC_UNCATEGORIZED, 0);
}
static inline uint32_t syn_aa64_svc(uint32_t imm16)
{
    return syn_make(ARM_EC_SVC64, imm16 & 0xffff);
}
static inline uint32_t syn_aa64_hvc(uint32_t imm16)
{
    return syn_make(ARM_EC_HVC64, imm16 & 0xffff);
}
static inline uint32_t syn_aa64_smc(uint32_t imm16)
{
    return syn_make(ARM_EC_SMC64, imm16 & 0xffff);
}
static inline uint32_t syn_aa64_bkpt(uint32_t imm16)
{
    return syn_make(ARM_EC_BRK64, imm16 & 0xffff);
}
static inline uint32_t syn_fp_access_trap(void)
{
    /* CV = 1, COND = 0xe: the A64 encoding of "unconditional". */
    return syn_make(ARM_EC_FP_ACCESS, (1u << 24) | (0xeu << 20));
}
/* MSR/MRS/SYS trapped: op0, op1, CRn, CRm, op2, Rt, direction (1 = read). */
static inline uint32_t syn_sysreg_trap(int op0, int op1, int crn, int crm, int op2,
                                       int rt, bool is_read)
{
    return syn_make(ARM_EC_SYSREG, ((uint32_t)op0 << 20) | ((uint32_t)op2 << 17) |
                    ((uint32_t)op1 << 14) | ((uint32_t)crn << 10) | ((uint32_t)rt << 5) |
                    ((uint32_t)crm << 1) | (is_read ? 1 : 0));
}
static inline uint32_t syn_data_abort(bool same_el, bool is_write, uint32_t fsc)
{
    return syn_make(same_el ? ARM_EC_DATA_ABORT : ARM_EC_DATA_ABORT_LOWER,
                    (is_write ? 1u << 6 : 0) | (fsc & 0x3f));
}
static inline uint32_t syn_insn_abort(bool same_el, uint32_t fsc)
{
    return syn_make(same_el ? ARM_EC_INSN_ABORT : ARM_EC_INSN_ABORT_LOWER, fsc & 0x3f);
}

/* ---- system register bits ---- */
#define SCTLR_M          (1ull << 0)
#define SCTLR_A          (1ull << 1)
#define SCTLR_SA         (1ull << 3)
#define SCTLR_UMA        (1ull << 9)
#define SCTLR_WXN        (1ull << 19)
#define SCTLR_SPAN       (1ull << 23)
#define SCTLR_EL1_RESET  0x30d00800ull   /* RES1 bits, MMU and caches off */
#define CPACR_FPEN_SHIFT 20

/* Translation flags (TranslationBlock.flags, env->hflags). */
#define ARM_HF_EL_MASK   3u
#define ARM_HF_FPEN      (1u << 2)       /* FP/SIMD usable at this EL */
#define ARM_HF_SP0       (1u << 3)       /* PSTATE.SP == 0: SP is SP_EL0 */
#define ARM_HF_PAN       (1u << 4)       /* EL1 data accesses use ARM_MMU_IDX_EL1_PAN */
#define ARM_HF_UAO       (1u << 5)       /* LDTR/STTR at EL1 use the EL1 index */
#define ARM_HF_MMU       (1u << 6)       /* stage 1 on: no direct jumps across pages */
#define ARM_HF_SS        (1u << 7)       /* software step, active-not-pending: one insn */
#define ARM_HF_SS_PENDING (1u << 8)      /* software step, active-pending: step exception */
#define ARM_HF_BKPT      (1u << 9)       /* hardware breakpoints armed at this EL */

/*
 * MMU indexes: ordinary accesses use the current EL; EL1 data accesses
 * with PSTATE.PAN set use their own index, where EL0 pages are not
 * accessible. Instruction fetch at EL1 always uses ARM_MMU_IDX_EL1.
 */
enum {
    ARM_MMU_IDX_EL0 = 0,
    ARM_MMU_IDX_EL1 = 1,
    ARM_MMU_IDX_EL1_PAN = 2,
    ARM_MMU_MODES = 3,
};

/* Exception kinds, vector offsets from VBAR. */
enum {
    ARM_EXCP_SYNC = 0,
    ARM_EXCP_IRQ = 1,
    ARM_EXCP_FIQ = 2,
    ARM_EXCP_SERROR = 3,
};

/* The model's fixed identification and feature registers. */
typedef struct ARMIDRegs {
    uint64_t midr, revidr;
    uint64_t id_aa64pfr0, id_aa64pfr1, id_aa64dfr0, id_aa64dfr1;
    uint64_t id_aa64isar0, id_aa64isar1, id_aa64isar2;
    uint64_t id_aa64mmfr0, id_aa64mmfr1, id_aa64mmfr2;
    uint64_t id_aa64zfr0, id_aa64afr0, id_aa64afr1;
    uint64_t ctr, dczid, clidr;
} ARMIDRegs;

typedef struct ARMCPUModel {
    const char *name;
    const char *desc;
    ARMIDRegs id;
} ARMCPUModel;

/* EL1 system registers that are plain storage (MRS/MSR inline). */
typedef struct ARMSysRegs {
    uint64_t elr_el1, spsr_el1, esr_el1, far_el1, vbar_el1;
    uint64_t sctlr_el1, actlr_el1, cpacr_el1;
    uint64_t tpidr_el0, tpidrro_el0, tpidr_el1;
    uint64_t ttbr0_el1, ttbr1_el1, tcr_el1, mair_el1, amair_el1;
    uint64_t contextidr_el1, par_el1, afsr0_el1, afsr1_el1;
    uint64_t cntkctl_el1, csselr_el1, mdscr_el1, oslsr_el1, osdlr_el1;
    uint64_t mdccint_el1, disr_el1;
    /* self-hosted debug: breakpoint and watchpoint value/control pairs */
    uint64_t dbgbvr[16], dbgbcr[16], dbgwvr[16], dbgwcr[16];
    uint64_t dbgclaim, osdtrrx_el1, osdtrtx_el1, oseccr_el1;
} ARMSysRegs;

/* One EL1 timer of the generic timer (gtimer.c). */
enum { ARM_GT_PHYS, ARM_GT_VIRT, ARM_GT_COUNT };
typedef struct IrqLine IrqLine;
typedef struct Timer Timer;
typedef struct ARMGenericTimer {
    uint32_t ctl;               /* ENABLE, IMASK (ISTATUS computed) */
    uint64_t cval;
    bool level;                 /* output to the GIC */
    IrqLine *irq;               /* the PPI, or NULL without a GIC */
    Timer *timer;
} ARMGenericTimer;

typedef struct GICv3State GICv3State;
typedef struct ARMPMUState ARMPMUState;

typedef struct CPUARMState {
    /* IR globals (see translate.h): keep them together and first. */
    uint64_t xregs[32];         /* X0..X30, [31] the current SP */
    uint64_t pc;
    uint64_t NF;                /* bit 63 is N */
    uint64_t ZF;                /* zero iff Z */
    uint64_t CF;                /* 0 or 1 */
    uint64_t VF;                /* bit 63 is V */

    uint32_t pstate;            /* PSTATE without NZCV: EL, SPSel, DAIF, SS, IL */
    uint32_t hflags;            /* ARM_HF_*: what translated code depends on */
    uint64_t sp_el[2];          /* banked SP_EL0 / SP_EL1 (the inactive one) */

    uint64_t vregs[32][2] __attribute__((aligned(16)));   /* V0..V31 */
    uint32_t fpcr, fpsr;
    uint64_t fp_scratch[8];     /* reserved for the FP/SIMD helpers */

    /* the exclusive monitor: address, value(s) seen by the load-exclusive */
    uint64_t exclusive_addr;
    uint64_t exclusive_val, exclusive_high;
    uint64_t scratch[2];        /* second results of helpers (CASP) */

    ARMSysRegs sys;
    ARMGenericTimer gt[ARM_GT_COUNT];
    GICv3State *gicv3;          /* ICC_* system registers go here, or NULL */
    ARMPMUState *pmu;           /* PMUv3 state (pmu.c), or NULL */
    /* Where blocks/large pages sit in the TLB: see arm_tlbi. */
    uint64_t large_page_addr, large_page_mask;
    bool large_page_any;
    bool ss_step_insn;          /* inside a software-stepped instruction */
    ARMIDRegs id;
    uint64_t mpidr;

    const ARMCPUModel *model;
    int cpu_index;
    bool powered_off;           /* PSCI CPU_OFF / SYSTEM_OFF, or a secondary */
    int on_pending;             /* atomic: a PSCI CPU_ON is queued */
    bool wfi_sleeps;            /* an interrupt controller can wake a WFI */
    bool in_wfi;                /* halted by WFI until an interrupt */
    CPUState *cs;

    TCGCPU tcg;
} CPUARMState;

/* Models accepted by -cpu, NULL-terminated in registration order. */
extern const ARMCPUModel *const arm_cpu_models[];
const ARMCPUModel *arm_cpu_model_find(const char *name);

/* Register the AArch64 front end with the translator and the virt board. */
void arm_tcg_register(void);

/* Architectural reset at EL1h, MMU off, then PC = entry, X0 = x0. */
void arm_cpu_reset(CPUARMState *env, uint64_t entry, uint64_t x0);

static inline unsigned arm_current_el(const CPUARMState *env)
{
    return (env->pstate & PSTATE_EL_MASK) >> PSTATE_EL_SHIFT;
}

uint32_t arm_get_nzcv(const CPUARMState *env);
void arm_set_nzcv(CPUARMState *env, uint32_t nzcv);
/* The whole PSTATE in SPSR layout, NZCV included. */
uint32_t arm_pstate_read(const CPUARMState *env);
/* Set PSTATE from an SPSR value (EL/SPSel switch the SP); rebuilds hflags. */
void arm_pstate_write(CPUARMState *env, uint32_t spsr);
void arm_rebuild_hflags(CPUARMState *env);
/* Swap xregs[31] with the banked SP selected by PSTATE (after a change). */
void arm_switch_sp(CPUARMState *env, uint32_t old_pstate, uint32_t new_pstate);

/*
 * Take an exception to EL1 now: ELR = preferred return address (the
 * current env->pc), SPSR, ESR = syndrome, FAR (aborts), PC = vector.
 */
void arm_take_exception(CPUARMState *env, int kind, uint32_t syndrome, uint64_t far);
/* From a helper: PC recovered from retaddr, exception taken, unwind. */
G_NORETURN void arm_raise_exception(CPUARMState *env, uint32_t syndrome, uint64_t far,
                                    uintptr_t retaddr);
G_NORETURN void arm_raise_data_abort(CPUARMState *env, uint64_t addr, bool is_write,
                                     uint32_t fsc, uintptr_t retaddr);

/* PSCI over HVC: handles x0 as a function id; false if not a PSCI call. */
bool arm_psci_call(CPUARMState *env);

/* Semihosting (-semihosting): HLT #0xF000 performs a call. */
void arm_semihosting_enable(bool on);
bool arm_semihosting_enabled(void);
void arm_semihosting_call(CPUARMState *env);

/*
 * An interrupt controller connected to this CPU (cs->arch_state is the
 * CPUARMState): from now on WFI halts the vCPU until cpu_interrupt() raises
 * CPU_INTERRUPT_HARD or _FIQ. Without one, WFI returns at once.
 */
void arm_cpu_enable_wfi_sleep(CPUState *cs);

/* `info registers` style dump. */
void arm_cpu_dump_state(CPUARMState *env, GString *out);

static inline CPUARMState *arm_env_from_tcg(TCGCPU *cpu)
{
    return (CPUARMState *)cpu->env;
}

#endif
