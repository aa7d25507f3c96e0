/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Run-time helpers of the A64 base instructions: exception entry and
 * return, HVC (PSCI), WFI, PSTATE writes, the system registers with side
 * effects or computed values (generic timer, GICv3 CPU interface), and
 * CRC32. PSCI follows the 1.0 interface
 * QEMU's virt board offers over HVC: version, features, CPU_ON/OFF,
 * AFFINITY_INFO, SYSTEM_OFF and SYSTEM_RESET.
 */
#include <inttypes.h>
#include <sched.h>
#include <time.h>

#include "hw/intc/arm_gic.h"
#include "system/cpus.h"
#include "system/main-loop.h"
#include "system/runstate.h"
#include "target/arm/helper.h"
#include "target/arm/internals.h"
#include "target/arm/pmu.h"
#include "util/log.h"

void helper_exception(void *opaque, uint64_t syndrome, uint64_t far)
{
    arm_take_exception(opaque, ARM_EXCP_SYNC, (uint32_t)syndrome, far);
}

/* The block at env->pc could not be fetched: say why (translation, permission, bus). */
void helper_insn_abort(void *opaque)
{
    CPUARMState *env = opaque;
    unsigned el = arm_current_el(env);
    ARMTranslation t;
    uint32_t fsc = ARM_FSC_SYNC_EXTERNAL;

    if (!arm_mmu_translate(env, env->pc, MMU_INST_FETCH, el, &t)) {
        fsc = t.fsc;
    } else {
        log_guest_error("arm: instruction fetch from non-RAM address 0x%016" PRIx64 "\n",
                        env->pc);
    }
    arm_take_exception(env, ARM_EXCP_SYNC, syn_insn_abort(el != 0, fsc), env->pc);
}

void helper_eret(void *opaque)
{
    CPUARMState *env = opaque;
    uint32_t spsr = (uint32_t)env->sys.spsr_el1;
    unsigned target_el = (spsr & PSTATE_EL_MASK) >> PSTATE_EL_SHIFT;

    env->exclusive_addr = ~0ull;
    if ((spsr & 0x10) || target_el > 1 || (target_el == 0 && (spsr & PSTATE_SP))) {
        /* Illegal return: stay at this EL with PSTATE.IL set. */
        log_guest_error("arm: illegal exception return, SPSR 0x%08x\n", spsr);
        env->pstate |= PSTATE_IL;
        env->pc = env->sys.elr_el1;
        return;
    }
    unsigned old_el = arm_current_el(env);
    arm_pstate_write(env, spsr);
    arm_pmu_el_change(env, old_el);
    env->pc = env->sys.elr_el1;
    log_mask(LOG_INT, "arm: cpu %d: exception return to EL%u, PC 0x%016" PRIx64 "\n",
             env->cpu_index, target_el, env->pc);
}

void helper_wfi(void *opaque)
{
    CPUARMState *env = opaque;
    uint32_t req = g_atomic_int_get(&env->cs->interrupt_request);

    /* Without an interrupt controller nothing could wake us: just return. */
    if (env->wfi_sleeps && !(req & (CPU_INTERRUPT_HARD | CPU_INTERRUPT_FIQ))) {
        env->in_wfi = true;
        tcg_cpu_request_exit(&env->tcg, CPU_EXIT_HALTED);
    }
}

/*
 * WFE may complete at once (the architecture allows spurious wake-ups); a
 * guest spinning on it waits for another vCPU, so let that one run.
 */
void helper_wfe(void *opaque)
{
    (void)opaque;
    sched_yield();
}

void helper_msr_daif(void *opaque, uint64_t val)
{
    CPUARMState *env = opaque;

    env->pstate = (env->pstate & ~PSTATE_DAIF) | ((uint32_t)val & PSTATE_DAIF);
    if (env->sys.mdscr_el1 & ((1ull << 13) | 1)) {
        arm_rebuild_hflags(env);    /* PSTATE.D gates debug exceptions at EL1 */
    }
}

/* A software-stepped instruction starts: it completes active-pending. */
void helper_ss_start(void *opaque)
{
    CPUARMState *env = opaque;

    env->pstate &= ~PSTATE_SS;
    env->ss_step_insn = true;
    arm_rebuild_hflags(env);
}

/*
 * Debug register writes: breakpoints are compiled into blocks and
 * watchpoints into the TLB, so what they change is dropped.
 */
static void debug_reg_write(CPUARMState *env, uint64_t *reg, uint64_t val, bool is_bp)
{
    if (*reg == val) {
        return;
    }
    *reg = val;
    arm_rebuild_hflags(env);
    if (is_bp) {
        tb_flush(&env->tcg);
    } else {
        arm_tlb_flush_local(env);
    }
}

void helper_msr_spsel(void *opaque, uint64_t val)
{
    CPUARMState *env = opaque;
    uint32_t np = (env->pstate & ~PSTATE_SP) | (val & 1 ? PSTATE_SP : 0);

    arm_switch_sp(env, env->pstate, np);
    env->pstate = np;
    arm_rebuild_hflags(env);
}

/* ---- PSCI ---- */

enum {
    PSCI_VERSION = 0x84000000,
    PSCI_CPU_SUSPEND = 0x84000001,
    PSCI_CPU_OFF = 0x84000002,
    PSCI_CPU_ON = 0x84000003,
    PSCI_AFFINITY_INFO = 0x84000004,
    PSCI_MIGRATE_INFO_TYPE = 0x84000006,
    PSCI_SYSTEM_OFF = 0x84000008,
    PSCI_SYSTEM_RESET = 0x84000009,
    PSCI_FEATURES = 0x8400000a,
    PSCI_64 = 0x40000000,
};

enum {
    PSCI_RET_SUCCESS = 0,
    PSCI_RET_NOT_SUPPORTED = -1,
    PSCI_RET_INVALID_PARAMS = -2,
    PSCI_RET_ALREADY_ON = -4,
    PSCI_RET_ON_PENDING = -5,
};

static CPUARMState *psci_find_cpu(uint64_t mpidr)
{
    for (int i = 0; i < cpu_count(); i++) {
        CPUARMState *env = cpu_by_index(i)->arch_state;
        if ((env->mpidr & 0xff00ffffffull) == (mpidr & 0xff00ffffffull)) {
            return env;
        }
    }
    return NULL;
}

typedef struct CpuOnRequest {
    uint64_t entry, context;
} CpuOnRequest;

static void cpu_on_work(CPUState *cs, void *data)
{
    CPUARMState *env = cs->arch_state;
    CpuOnRequest *req = data;

    arm_cpu_reset(env, req->entry, req->context);
    env->powered_off = false;
    env->in_wfi = false;
    __atomic_store_n(&env->on_pending, 0, __ATOMIC_SEQ_CST);
    env->tcg.exit_reason = 0;
    g_free(req);
}

static void psci_power_off_self(CPUARMState *env)
{
    env->powered_off = true;
    tcg_cpu_request_exit(&env->tcg, CPU_EXIT_HALTED);
}

static bool psci_supported(uint32_t fn)
{
    switch (fn & ~PSCI_64) {
    case PSCI_VERSION:
    case PSCI_CPU_SUSPEND:
    case PSCI_CPU_OFF:
    case PSCI_CPU_ON:
    case PSCI_AFFINITY_INFO:
    case PSCI_MIGRATE_INFO_TYPE:
    case PSCI_SYSTEM_OFF:
    case PSCI_SYSTEM_RESET:
    case PSCI_FEATURES:
        return true;
    default:
        return false;
    }
}

bool arm_psci_call(CPUARMState *env)
{
    uint32_t fn = (uint32_t)env->xregs[0];
    int64_t ret = PSCI_RET_NOT_SUPPORTED;

    /* Standard secure service calls (SMC32/SMC64 owner 4). */
    if ((fn & 0xbfffffe0u) != 0x84000000u) {
        return false;
    }
    switch (fn & ~PSCI_64) {
    case PSCI_VERSION:
        ret = 0x00010001;   /* 1.1, as QEMU reports */
        break;
    case PSCI_FEATURES:
        ret = psci_supported((uint32_t)env->xregs[1]) ? PSCI_RET_SUCCESS
                                                       : PSCI_RET_NOT_SUPPORTED;
        break;
    case PSCI_MIGRATE_INFO_TYPE:
        ret = 2;            /* no trusted OS */
        break;
    case PSCI_CPU_SUSPEND:
        ret = PSCI_RET_SUCCESS;
        break;
    case PSCI_CPU_ON: {
        CPUARMState *target = psci_find_cpu(env->xregs[1]);
        if (!target) {
            ret = PSCI_RET_INVALID_PARAMS;
        } else if (!target->powered_off) {
            ret = PSCI_RET_ALREADY_ON;
        } else if (__atomic_exchange_n(&target->on_pending, 1, __ATOMIC_SEQ_CST)) {
            ret = PSCI_RET_ON_PENDING;
        } else {
            CpuOnRequest *req = g_new(CpuOnRequest, 1);
            req->entry = env->xregs[2];
            req->context = env->xregs[3];
            async_run_on_cpu(target->cs, cpu_on_work, req);
            ret = PSCI_RET_SUCCESS;
        }
        break;
    }
    case PSCI_AFFINITY_INFO: {
        CPUARMState *target = psci_find_cpu(env->xregs[1]);
        ret = !target ? PSCI_RET_INVALID_PARAMS :
              __atomic_load_n(&target->on_pending, __ATOMIC_SEQ_CST) ? 2 :
              target->powered_off ? 1 : 0;
        break;
    }
    case PSCI_CPU_OFF:
        psci_power_off_self(env);
        ret = PSCI_RET_SUCCESS;
        break;
    case PSCI_SYSTEM_OFF:
        request_shutdown(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
        psci_power_off_self(env);
        ret = PSCI_RET_SUCCESS;
        break;
    case PSCI_SYSTEM_RESET:
        request_reset(SHUTDOWN_CAUSE_GUEST_RESET);
        psci_power_off_self(env);
        ret = PSCI_RET_SUCCESS;
        break;
    default:
        log_mask(LOG_UNIMP, "arm: PSCI function 0x%08x not supported\n", fn);
        break;
    }
    env->xregs[0] = (uint64_t)ret;
    return true;
}

void helper_hvc(void *opaque, uint64_t imm)
{
    CPUARMState *env = opaque;

    /* virt's PSCI conduit is HVC: every call is answered, as QEMU does. */
    if (!arm_psci_call(env)) {
        log_mask(LOG_UNIMP, "arm: HVC function 0x%08" PRIx64 " is not PSCI\n",
                 env->xregs[0]);
        env->xregs[0] = (uint64_t)(int64_t)PSCI_RET_NOT_SUPPORTED;
    }
}

/* ---- TLB maintenance ---- */

void arm_tlb_flush_local(CPUARMState *env)
{
    tcg_cpu_tlb_flush(&env->tcg);
    env->large_page_any = false;
}

/*
 * The softmmu TLB holds 4 KiB pieces: a VA flush drops one piece unless the
 * VA lies where blocks or larger granules were mapped since the last full
 * flush (tracked as one aligned region), which needs a full flush.
 */
static void tlb_flush_va(CPUARMState *env, uint64_t va)
{
    if (env->large_page_any && (va & env->large_page_mask) == env->large_page_addr) {
        arm_tlb_flush_local(env);
    } else {
        tcg_cpu_tlb_flush_page(&env->tcg, va);
    }
}

void arm_tlbi(CPUARMState *env, unsigned crm, unsigned op2, uint64_t xt)
{
    bool broadcast = crm == 3 && cpu_count() > 1;
    /* Xt[43:0] is VA[55:12]; the VA's top bits follow bit 55. */
    uint64_t va = (uint64_t)((int64_t)(xt << 20) >> 8);

    if (crm != 3 && crm != 7) {
        log_guest_error("arm: unsupported TLBI (CRm %u, op2 %u)\n", crm, op2);
        return;
    }
    if (broadcast) {
        /* Other vCPUs flush everything before their next block. */
        tcg_tlb_flush_all_cpus();
    }
    switch (op2) {
    case 1:     /* VAE1 */
    case 3:     /* VAAE1 */
    case 5:     /* VALE1 */
    case 7:     /* VAALE1 */
        tlb_flush_va(env, va);
        break;
    default:    /* VMALLE1, ASIDE1: everything (no ASID tags) */
        arm_tlb_flush_local(env);
        break;
    }
}

/* ---- system registers ---- */

uint64_t helper_sysreg_read(void *opaque, uint64_t key)
{
    CPUARMState *env = opaque;

    switch (key) {
    case ARM_SYSREG(3, 3, 14, 0, 1):    /* CNTPCT_EL0 */
    case ARM_SYSREG(3, 3, 14, 0, 2):    /* CNTVCT_EL0 */
        return arm_counter_now();
    case ARM_SYSREG(3, 3, 14, 2, 0):    /* CNTP_TVAL_EL0 */
    case ARM_SYSREG(3, 3, 14, 2, 1):    /* CNTP_CTL_EL0 */
    case ARM_SYSREG(3, 3, 14, 2, 2):    /* CNTP_CVAL_EL0 */
    case ARM_SYSREG(3, 3, 14, 3, 0):    /* CNTV_TVAL_EL0 */
    case ARM_SYSREG(3, 3, 14, 3, 1):    /* CNTV_CTL_EL0 */
    case ARM_SYSREG(3, 3, 14, 3, 2):    /* CNTV_CVAL_EL0 */
        return arm_gt_read(env, ((key >> 3) & 1) ? ARM_GT_VIRT : ARM_GT_PHYS,
                           (ARMGtReg)(key & 7));
    case ARM_SYSREG(3, 1, 0, 0, 0):     /* CCSIDR_EL1 */
        /* 64-byte lines; L1D 32 KiB 4-way, L1I 48 KiB 3-way, L2 1 MiB 16-way. */
        switch (env->sys.csselr_el1 & 0xf) {
        case 0:
            return 0x701fe00aull;
        case 1:
            return 0x201fe012ull;
        case 2:
            return 0x707fe07aull;
        default:
            return 0;
        }
    case ARM_SYSREG(2, 0, 7, 8, 6):     /* DBGCLAIMSET_EL1 */
    case ARM_SYSREG(2, 0, 7, 9, 6):     /* DBGCLAIMCLR_EL1 */
        return env->sys.dbgclaim;
    case ARM_SYSREG(3, 0, 4, 2, 3):     /* PAN */
        return env->pstate & PSTATE_PAN;
    case ARM_SYSREG(3, 0, 4, 2, 4):     /* UAO */
        return env->pstate & PSTATE_UAO;
    case ARM_SYSREG(3, 0, 12, 1, 0): {  /* ISR_EL1: pending IRQ (I) and FIQ (F) */
        uint32_t req = g_atomic_int_get(&env->cs->interrupt_request);
        return ((req & CPU_INTERRUPT_HARD) ? 0x80 : 0) | ((req & CPU_INTERRUPT_FIQ) ? 0x40 : 0);
    }
    default:
        if (arm_pmu_sysreg_lookup((uint32_t)key, &(ARMSysReg){ 0 })) {
            return arm_pmu_read(env, (uint32_t)key, GETPC());
        }
        log_mask(LOG_UNIMP, "arm: read of system register key 0x%" PRIx64 "\n", key);
        return 0;
    }
}

void helper_sysreg_write(void *opaque, uint64_t key, uint64_t val)
{
    CPUARMState *env = opaque;
    unsigned op1 = (key >> 11) & 7, crn = (key >> 7) & 15, crm = (key >> 3) & 15;

    switch (key) {
    case ARM_SYSREG(3, 0, 1, 0, 0):     /* SCTLR_EL1 */
        if ((val ^ env->sys.sctlr_el1) & (SCTLR_M | SCTLR_WXN)) {
            arm_tlb_flush_local(env);
        }
        env->sys.sctlr_el1 = val;
        arm_rebuild_hflags(env);
        return;
    case ARM_SYSREG(2, 0, 7, 8, 6):     /* DBGCLAIMSET_EL1 */
        env->sys.dbgclaim |= val & 0xff;
        return;
    case ARM_SYSREG(2, 0, 7, 9, 6):     /* DBGCLAIMCLR_EL1 */
        env->sys.dbgclaim &= ~val;
        return;
    case ARM_SYSREG(3, 0, 4, 2, 3):     /* PAN */
        env->pstate = (env->pstate & ~PSTATE_PAN) | (val & PSTATE_PAN);
        arm_rebuild_hflags(env);
        return;
    case ARM_SYSREG(3, 0, 4, 2, 4):     /* UAO */
        env->pstate = (env->pstate & ~PSTATE_UAO) | (val & PSTATE_UAO);
        arm_rebuild_hflags(env);
        return;
    case ARM_SYSREG(3, 0, 2, 0, 0):     /* TTBR0_EL1 */
    case ARM_SYSREG(3, 0, 2, 0, 1):     /* TTBR1_EL1 */
    case ARM_SYSREG(3, 0, 2, 0, 2): {   /* TCR_EL1 */
        /* The TLB is not ASID-tagged: a new table base or ASID starts afresh. */
        uint64_t *reg = key == ARM_SYSREG(3, 0, 2, 0, 0) ? &env->sys.ttbr0_el1 :
                        key == ARM_SYSREG(3, 0, 2, 0, 1) ? &env->sys.ttbr1_el1 :
                        &env->sys.tcr_el1;
        if (*reg != val) {
            *reg = val;
            arm_tlb_flush_local(env);
        }
        return;
    }
    case ARM_SYSREG(3, 0, 1, 0, 2):     /* CPACR_EL1 */
        env->sys.cpacr_el1 = val & (3ull << CPACR_FPEN_SHIFT);
        arm_rebuild_hflags(env);
        return;
    case ARM_SYSREG(3, 3, 14, 2, 0):    /* CNTP_TVAL_EL0 */
    case ARM_SYSREG(3, 3, 14, 2, 1):    /* CNTP_CTL_EL0 */
    case ARM_SYSREG(3, 3, 14, 2, 2):    /* CNTP_CVAL_EL0 */
    case ARM_SYSREG(3, 3, 14, 3, 0):    /* CNTV_TVAL_EL0 */
    case ARM_SYSREG(3, 3, 14, 3, 1):    /* CNTV_CTL_EL0 */
    case ARM_SYSREG(3, 3, 14, 3, 2):    /* CNTV_CVAL_EL0 */
        arm_gt_write(env, ((key >> 3) & 1) ? ARM_GT_VIRT : ARM_GT_PHYS,
                     (ARMGtReg)(key & 7), val);
        arm_check_self_interrupt(env);
        return;
    case ARM_SYSREG(2, 0, 1, 0, 4):     /* OSLAR_EL1 */
        env->sys.oslsr_el1 = (env->sys.oslsr_el1 & ~2ull) | ((val & 1) << 1);
        arm_rebuild_hflags(env);
        arm_tlb_flush_local(env);
        return;
    case ARM_SYSREG(2, 0, 0, 2, 2):     /* MDSCR_EL1 */
        if (env->sys.mdscr_el1 != val) {
            env->sys.mdscr_el1 = val;
            arm_rebuild_hflags(env);
            arm_tlb_flush_local(env);
        }
        return;
    default:
        break;
    }
    if (arm_pmu_sysreg_lookup((uint32_t)key, &(ARMSysReg){ 0 })) {
        arm_pmu_write(env, (uint32_t)key, val, GETPC());
        return;
    }
    if ((key >> 14) == 2 && op1 == 0 && crn == 0 && (key & 7) >= 4) {
        /* DBGBVR/DBGBCR/DBGWVR/DBGWCR<crm> (the table checked crm) */
        unsigned op2 = key & 7;
        uint64_t *bank = op2 == 4 ? env->sys.dbgbvr : op2 == 5 ? env->sys.dbgbcr :
                         op2 == 6 ? env->sys.dbgwvr : env->sys.dbgwcr;
        debug_reg_write(env, &bank[crm], val, op2 < 6);
        return;
    }
    if (crn == 7 && crm == 8 && op1 == 0) {
        /* AT S1E1R, S1E1W, S1E0R, S1E0W */
        unsigned op2 = key & 7;
        env->sys.par_el1 = arm_mmu_at(env, val, op2 & 1,
                                      op2 & 2 ? ARM_MMU_IDX_EL0 : ARM_MMU_IDX_EL1);
        return;
    }
    if (crn == 8 && op1 == 0) {
        arm_tlbi(env, crm, key & 7, val);
        return;
    }
    log_mask(LOG_UNIMP, "arm: write of system register key 0x%" PRIx64 "\n", key);
}

/* ---- GICv3 CPU interface ---- */

uint64_t helper_gicv3_read(void *opaque, uint64_t reg)
{
    CPUARMState *env = opaque;
    uint64_t v;

    bql_lock();
    v = gicv3_cpuif_read(env->gicv3, env->cpu_index, (GICv3CpuReg)reg);
    bql_unlock();
    arm_check_self_interrupt(env);
    return v;
}

void helper_gicv3_write(void *opaque, uint64_t reg, uint64_t val)
{
    CPUARMState *env = opaque;

    bql_lock();
    gicv3_cpuif_write(env->gicv3, env->cpu_index, (GICv3CpuReg)reg, val);
    bql_unlock();
    arm_check_self_interrupt(env);
}

/* ---- CRC32 ---- */

static uint32_t crc32_update(uint32_t crc, uint64_t val, unsigned bytes, uint32_t poly)
{
    for (unsigned i = 0; i < bytes; i++) {
        crc ^= (uint8_t)(val >> (8 * i));
        for (int b = 0; b < 8; b++) {
            crc = (crc >> 1) ^ (poly & -(crc & 1));
        }
    }
    return crc;
}

uint64_t helper_crc32(uint64_t acc, uint64_t val, uint64_t bytes)
{
    return crc32_update((uint32_t)acc, val, (unsigned)bytes, 0xedb88320u);
}

uint64_t helper_crc32c(uint64_t acc, uint64_t val, uint64_t bytes)
{
    return crc32_update((uint32_t)acc, val, (unsigned)bytes, 0x82f63b78u);
}
