/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The AArch64 CPU: models (max, cortex-a57, cortex-a72: the same features,
 * different MIDR), architectural reset at EL1h with the MMU off, PSTATE and
 * stack pointer banking, exception entry and return, interrupts at block
 * boundaries, the translator hooks, and the CPUs of the virt board (one
 * vCPU thread each; secondaries stay off until PSCI CPU_ON; IRQ/FIQ from
 * the GIC, timer PPIs to it) with the monitor's `info registers`.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hw/arm/virt.h"
#include "hw/core/machine.h"
#include "hw/intc/arm_gic.h"
#include "monitor/monitor.h"
#include "system/cpus.h"
#include "system/main-loop.h"
#include "target/arm/internals.h"
#include "target/arm/pmu.h"
#include "target/arm/translate.h"
#include "util/error.h"
#include "util/log.h"

/* ---- models ---- */

/*
 * What Tern implements, and nothing more: EL0/EL1 AArch64 only, FP and
 * Advanced SIMD, CRC32, LSE atomics, FlagM/FlagM2, LRCPC2, DC CVAP; the
 * stage-1 MMU with 4K/16K/64K granules, 48-bit VAs and PAs, 16-bit ASIDs
 * (max adds PAN and UAO). The
 * translator checks these fields, so an unadvertised feature is UNDEFINED.
 */
#define ARM_ID_COMMON                                                     \
    .revidr = 0,                                                          \
    .id_aa64dfr0 = 0x0000000010305406ull, /* debug v8, 6 breakpoints,   \
                                              4 watchpoints, 2 context, \
                                              PMUv3p1 */                  \
    .id_aa64mmfr0 = 0x0000000000100025ull, /* 48-bit PA, 16-bit ASID,    \
                                              4K, 16K and 64K granules */ \
    .ctr = 0x8444c004ull,                                                 \
    .dczid = 4,                           /* DC ZVA: 64-byte blocks */   \
    .clidr = 0x0a200023ull

/* EL0, EL1: AArch64 only; FP and AdvSIMD without half precision. */
#define ARM_PFR0_BASE   0x0000000000000011ull
/* FlagM2, LSE atomics, CRC32 */
#define ARM_ISAR0_BASE  ((2ull << 52) | (2ull << 20) | (1ull << 16))
/* LRCPC2, DPB */
#define ARM_ISAR1_BASE  ((2ull << 20) | 1ull)

static const ARMCPUModel arm_model_max = {
    .name = "max",
    .desc = "all features Tern implements",
    .id = {
        .midr = 0x000f0510ull,
        ARM_ID_COMMON,
        /* FP and AdvSIMD with half precision (FP16) */
        .id_aa64pfr0 = ARM_PFR0_BASE | (1ull << 16) | (1ull << 20),
        /* AES+PMULL, SHA1, SHA2+SHA512, RDM, SHA3, SM3, SM4, DotProd, FHM */
        .id_aa64isar0 = ARM_ISAR0_BASE | 0x0001111110002120ull,
        /* JSCVT, FCMA, FRINTTS, BF16, I8MM */
        .id_aa64isar1 = ARM_ISAR1_BASE | 0x0010100100011000ull,
        .id_aa64mmfr1 = 1ull << 20,     /* PAN */
        .id_aa64mmfr2 = 1ull << 4,      /* UAO */
    },
};

/* The Cortex-A57/A72 crypto set: AES+PMULL, SHA1, SHA256. */
#define ARM_ISAR0_V8_CRYPTO 0x0000000000001120ull

static const ARMCPUModel arm_model_a57 = {
    .name = "cortex-a57",
    .desc = "ARM Cortex-A57 (identification only)",
    .id = {
        .midr = 0x411fd070ull,
        ARM_ID_COMMON,
        .id_aa64pfr0 = ARM_PFR0_BASE,
        .id_aa64isar0 = ARM_ISAR0_BASE | ARM_ISAR0_V8_CRYPTO,
        .id_aa64isar1 = ARM_ISAR1_BASE,
    },
};

static const ARMCPUModel arm_model_a72 = {
    .name = "cortex-a72",
    .desc = "ARM Cortex-A72 (identification only)",
    .id = {
        .midr = 0x410fd083ull,
        ARM_ID_COMMON,
        .id_aa64pfr0 = ARM_PFR0_BASE,
        .id_aa64isar0 = ARM_ISAR0_BASE | ARM_ISAR0_V8_CRYPTO,
        .id_aa64isar1 = ARM_ISAR1_BASE,
    },
};

const ARMCPUModel *const arm_cpu_models[] = {
    &arm_model_a57, &arm_model_a72, &arm_model_max, NULL,
};

const ARMCPUModel *arm_cpu_model_find(const char *name)
{
    for (int i = 0; arm_cpu_models[i]; i++) {
        if (!strcmp(arm_cpu_models[i]->name, name)) {
            return arm_cpu_models[i];
        }
    }
    return NULL;
}

/* ---- PSTATE ---- */

uint32_t arm_get_nzcv(const CPUARMState *env)
{
    return ((env->NF >> 63) << 31) | ((env->ZF == 0) << 30) | ((env->CF & 1) << 29) |
           ((env->VF >> 63) << 28);
}

void arm_set_nzcv(CPUARMState *env, uint32_t nzcv)
{
    env->NF = (nzcv & PSTATE_N) ? ~0ull : 0;
    env->ZF = (nzcv & PSTATE_Z) ? 0 : 1;
    env->CF = (nzcv >> 29) & 1;
    env->VF = (nzcv & PSTATE_V) ? ~0ull : 0;
}

uint32_t arm_pstate_read(const CPUARMState *env)
{
    return env->pstate | arm_get_nzcv(env);
}

void arm_rebuild_hflags(CPUARMState *env)
{
    unsigned el = arm_current_el(env);
    unsigned fpen = (env->sys.cpacr_el1 >> CPACR_FPEN_SHIFT) & 3;
    bool fp = el == 0 ? fpen == 3 : (fpen & 1) != 0;
    uint32_t hf = el;

    if (fp) {
        hf |= ARM_HF_FPEN;
    }
    if (el && !(env->pstate & PSTATE_SP)) {
        hf |= ARM_HF_SP0;
    }
    if (el && (env->pstate & PSTATE_PAN)) {
        hf |= ARM_HF_PAN;
    }
    if (el && (env->pstate & PSTATE_UAO)) {
        hf |= ARM_HF_UAO;
    }
    if (env->sys.sctlr_el1 & SCTLR_M) {
        hf |= ARM_HF_MMU;
    }
    env->hflags = hf | arm_debug_hflags(env);
}

/* Which banked SP a PSTATE selects: SP_EL0, or SP_EL1 at EL1 with SPSel. */
static int sp_index(uint32_t pstate)
{
    unsigned el = (pstate & PSTATE_EL_MASK) >> PSTATE_EL_SHIFT;

    return el && (pstate & PSTATE_SP) ? 1 : 0;
}

void arm_switch_sp(CPUARMState *env, uint32_t old_pstate, uint32_t new_pstate)
{
    int from = sp_index(old_pstate), to = sp_index(new_pstate);

    if (from != to) {
        env->sp_el[from] = env->xregs[31];
        env->xregs[31] = env->sp_el[to];
    }
}

void arm_pstate_write(CPUARMState *env, uint32_t spsr)
{
    uint32_t keep = PSTATE_M_MASK | PSTATE_DAIF | PSTATE_SS | PSTATE_IL | PSTATE_PAN |
                    PSTATE_UAO;
    uint32_t np = spsr & keep & ~0x10u;

    arm_switch_sp(env, env->pstate, np);
    env->pstate = np;
    arm_set_nzcv(env, spsr);
    arm_rebuild_hflags(env);
}

/* ---- exceptions ---- */

static const char *const excp_names[] = { "sync", "irq", "fiq", "serror" };

void arm_take_exception(CPUARMState *env, int kind, uint32_t syndrome, uint64_t far)
{
    uint32_t old = env->pstate;
    /* PSTATE.SS is cleared: stepping is off in the handler (D is set). */
    uint32_t np = (1u << PSTATE_EL_SHIFT) | PSTATE_SP | PSTATE_DAIF | (old & PSTATE_PAN);
    uint64_t offset = arm_current_el(env) == 1 ? ((old & PSTATE_SP) ? 0x200 : 0) : 0x400;

    if (kind == ARM_EXCP_SYNC) {
        unsigned ec = syndrome >> ARM_EC_SHIFT;

        env->sys.esr_el1 = syndrome;
        if (ec == ARM_EC_DATA_ABORT || ec == ARM_EC_DATA_ABORT_LOWER ||
            ec == ARM_EC_INSN_ABORT || ec == ARM_EC_INSN_ABORT_LOWER ||
            ec == ARM_EC_PC_ALIGN || ec == ARM_EC_WATCHPOINT || ec == ARM_EC_WATCHPOINT_LOWER) {
            env->sys.far_el1 = far;
        }
    }
    log_mask(LOG_INT, "arm: cpu %d: %s exception, ESR 0x%08x, ELR 0x%016" PRIx64
             ", from EL%u to EL1\n", env->cpu_index, excp_names[kind & 3],
             kind == ARM_EXCP_SYNC ? syndrome : 0, env->pc, arm_current_el(env));
    /* SCTLR_EL1.SPAN = 0: entering EL1 sets PAN (where PAN is implemented). */
    if (!(env->sys.sctlr_el1 & SCTLR_SPAN) && (env->id.id_aa64mmfr1 & (0xfull << 20))) {
        np |= PSTATE_PAN;
    }
    env->sys.spsr_el1 = arm_pstate_read(env);
    if (env->ss_step_insn) {
        /*
         * The stepped instruction did not complete (an abort, say): return
         * to it still active-not-pending. SVC/HVC/SMC did complete.
         */
        unsigned ec = syndrome >> ARM_EC_SHIFT;
        if (kind == ARM_EXCP_SYNC && ec != ARM_EC_SVC64 && ec != ARM_EC_HVC64 &&
            ec != ARM_EC_SMC64) {
            env->sys.spsr_el1 |= PSTATE_SS;
        }
        env->ss_step_insn = false;
    }
    env->sys.elr_el1 = env->pc;
    arm_switch_sp(env, old, np);
    env->pstate = np;
    arm_pmu_el_change(env, (old & PSTATE_EL_MASK) >> PSTATE_EL_SHIFT);
    env->pc = (env->sys.vbar_el1 & ~0x7ffull) + offset + (uint64_t)kind * 0x80;
    env->exclusive_addr = ~0ull;
    arm_rebuild_hflags(env);
}

void arm_raise_exception(CPUARMState *env, uint32_t syndrome, uint64_t far, uintptr_t retaddr)
{
    TCGCPU *cpu = &env->tcg;

    tcg_cpu_restore_state(cpu, retaddr);
    arm_take_exception(env, ARM_EXCP_SYNC, syndrome, far);
    tcg_cpu_loop_exit(cpu);
}

void arm_raise_data_abort(CPUARMState *env, uint64_t addr, bool is_write, uint32_t fsc,
                          uintptr_t retaddr)
{
    tcg_cpu_restore_state(&env->tcg, retaddr);
    arm_take_exception(env, ARM_EXCP_SYNC,
                       syn_data_abort(arm_current_el(env) != 0, is_write, fsc), addr);
    tcg_cpu_loop_exit(&env->tcg);
}

/* ---- reset ---- */

void arm_cpu_reset(CPUARMState *env, uint64_t entry, uint64_t x0)
{
    memset(env->xregs, 0, sizeof(env->xregs));
    memset(env->vregs, 0, sizeof(env->vregs));
    memset(&env->sys, 0, sizeof(env->sys));
    memset(env->sp_el, 0, sizeof(env->sp_el));
    env->pc = entry;
    env->xregs[0] = x0;
    /* EL1h with every interrupt masked, as QEMU starts a -kernel at EL1. */
    env->pstate = (1u << PSTATE_EL_SHIFT) | PSTATE_SP | PSTATE_DAIF;
    arm_set_nzcv(env, 0);
    env->fpcr = env->fpsr = 0;
    env->exclusive_addr = ~0ull;
    env->sys.sctlr_el1 = SCTLR_EL1_RESET;
    env->sys.oslsr_el1 = 0xa;   /* OS lock implemented, locked */
    env->id = env->model->id;
    if (env->gicv3) {
        env->id.id_aa64pfr0 |= 1ull << 24;  /* GIC: system register interface */
    }
    if (env->pmu) {
        arm_pmu_reset(env);
    }
    arm_rebuild_hflags(env);
    if (env->tcg.ops) {
        arm_tlb_flush_local(env);
    }
    log_mask(LOG_RESET, "arm: cpu %d reset, PC 0x%016" PRIx64 "\n", env->cpu_index, entry);
}

/* ---- translator hooks ---- */

static void arm_get_tb_cpu_state(void *opaque, uint64_t *pc, uint32_t *flags)
{
    CPUARMState *env = opaque;

    *pc = env->pc;
    *flags = env->hflags;
}

static int arm_cpu_mmu_index(void *opaque, bool ifetch)
{
    CPUARMState *env = opaque;

    if (!ifetch && (env->hflags & ARM_HF_PAN)) {
        return ARM_MMU_IDX_EL1_PAN;
    }
    return arm_current_el(env);
}

static void arm_restore_pc(void *opaque, uint64_t pc)
{
    ((CPUARMState *)opaque)->pc = pc;
}

static bool arm_tlb_fill(TCGCPU *cpu, uint64_t vaddr, MMUAccessType access, int mmu_idx,
                         uint64_t *paddr, int *prot, uintptr_t retaddr)
{
    CPUARMState *env = arm_env_from_tcg(cpu);
    ARMTranslation t;

    if (arm_mmu_translate(env, vaddr, access, mmu_idx, &t)) {
        if (arm_wp_page_watched(env, vaddr, mmu_idx)) {
            if (access == MMU_INST_FETCH) {
                /* Cache it for fetching only: data accesses must come here. */
                t.prot &= ~(ARM_PROT_READ | ARM_PROT_WRITE);
            } else {
                /* Every data access to a watched page comes back to be checked. */
                if (retaddr) {
                    arm_wp_check(env, vaddr, access, mmu_idx, retaddr);
                }
                t.prot |= TCG_PROT_NOCACHE;
            }
        }
        if (t.page_bits > TCG_PAGE_BITS) {
            uint64_t mask = ~((1ull << t.page_bits) - 1);
            if (!env->large_page_any) {
                env->large_page_any = true;
                env->large_page_addr = vaddr & mask;
                env->large_page_mask = mask;
            } else {
                /* Widen the tracked region until it covers both (mask 0: all). */
                mask &= env->large_page_mask;
                while (mask && (env->large_page_addr & mask) != (vaddr & mask)) {
                    mask <<= 1;
                }
                env->large_page_mask = mask;
                env->large_page_addr &= mask;
            }
        }
        *paddr = t.pa;
        *prot = t.prot;
        return true;
    }
    if (!retaddr) {
        return false;
    }
    if (access == MMU_INST_FETCH) {
        arm_raise_exception(env, syn_insn_abort(arm_current_el(env) != 0, t.fsc), vaddr,
                            retaddr);
    }
    arm_raise_data_abort(env, vaddr, access == MMU_DATA_STORE, t.fsc, retaddr);
}

static void arm_transaction_failed(TCGCPU *cpu, uint64_t vaddr, MMUAccessType access,
                                   uintptr_t retaddr)
{
    log_guest_error("arm: bus error at 0x%016" PRIx64 "\n", vaddr);
    arm_raise_data_abort(arm_env_from_tcg(cpu), vaddr, access == MMU_DATA_STORE,
                         ARM_FSC_SYNC_EXTERNAL, retaddr);
}

static void arm_unaligned_access(TCGCPU *cpu, uint64_t vaddr, MMUAccessType access,
                                 uintptr_t retaddr)
{
    arm_raise_data_abort(arm_env_from_tcg(cpu), vaddr, access == MMU_DATA_STORE,
                         ARM_FSC_ALIGN, retaddr);
}

static bool arm_exec_interrupt(TCGCPU *cpu, uint32_t req)
{
    CPUARMState *env = arm_env_from_tcg(cpu);

    if ((req & CPU_INTERRUPT_FIQ) && !(env->pstate & PSTATE_F)) {
        arm_take_exception(env, ARM_EXCP_FIQ, 0, 0);
        return true;
    }
    if ((req & CPU_INTERRUPT_HARD) && !(env->pstate & PSTATE_I)) {
        arm_take_exception(env, ARM_EXCP_IRQ, 0, 0);
        return true;
    }
    return false;
}

/* BQL held: a powered-off CPU sleeps; one in WFI wakes on an interrupt. */
static bool arm_has_work(TCGCPU *cpu)
{
    CPUARMState *env = arm_env_from_tcg(cpu);
    uint32_t req = g_atomic_int_get(&env->cs->interrupt_request);

    if (env->powered_off) {
        return false;
    }
    if (env->in_wfi && !(req & (CPU_INTERRUPT_HARD | CPU_INTERRUPT_FIQ))) {
        return false;
    }
    env->in_wfi = false;
    return true;
}

void arm_cpu_enable_wfi_sleep(CPUState *cs)
{
    ((CPUARMState *)cs->arch_state)->wfi_sleeps = true;
}

static void arm_dump_state_hook(TCGCPU *cpu, GString *out)
{
    arm_cpu_dump_state(arm_env_from_tcg(cpu), out);
}

const TCGTargetOps arm_tcg_ops = {
    .name = "aarch64",
    .disas_arch = DISAS_AARCH64,
    .tcg_offset = offsetof(CPUARMState, tcg),
    .pc_offset = offsetof(CPUARMState, pc),
    .flags_offset = offsetof(CPUARMState, hflags),
    .nb_mmu_modes = ARM_MMU_MODES,
    .init_globals = a64_init_globals,
    .get_tb_cpu_state = arm_get_tb_cpu_state,
    .translate = a64_translate_block,
    .cpu_mmu_index = arm_cpu_mmu_index,
    .restore_pc = arm_restore_pc,
    .tlb_fill = arm_tlb_fill,
    .transaction_failed = arm_transaction_failed,
    .unaligned_access = arm_unaligned_access,
    .exec_interrupt = arm_exec_interrupt,
    .has_work = arm_has_work,
    .dump_state = arm_dump_state_hook,
};

/* ---- registers for the monitor and -d cpu ---- */

void arm_cpu_dump_state(CPUARMState *env, GString *out)
{
    uint32_t ps = arm_pstate_read(env);
    unsigned el = arm_current_el(env);

    g_string_append_printf(out, "PC=%016" PRIx64 " ", env->pc);
    for (int i = 0; i < 31; i++) {
        g_string_append_printf(out, "X%02d=%016" PRIx64 "%s", i, env->xregs[i],
                               (i % 4 == 2) ? "\n" : " ");
    }
    g_string_append_printf(out, " SP=%016" PRIx64 "\n", env->xregs[31]);
    g_string_append_printf(out, "PSTATE=%08x %c%c%c%c EL%u%c     FPCR=%08x FPSR=%08x\n", ps,
                           ps & PSTATE_N ? 'N' : '-', ps & PSTATE_Z ? 'Z' : '-',
                           ps & PSTATE_C ? 'C' : '-', ps & PSTATE_V ? 'V' : '-', el,
                           el && (ps & PSTATE_SP) ? 'h' : 't', env->fpcr, env->fpsr);
}

typedef struct DumpRequest {
    GString *out;
} DumpRequest;

static void dump_on_cpu(CPUState *cs, void *data)
{
    DumpRequest *req = data;
    CPUARMState *env = cs->arch_state;

    if (cpu_count() > 1) {
        g_string_append_printf(req->out, "CPU#%d%s\n", env->cpu_index,
                               env->powered_off ? " (powered off)" : "");
    }
    arm_cpu_dump_state(env, req->out);
}

static void hmp_info_registers(Monitor *mon, const char *args)
{
    DumpRequest req = { g_string_new(NULL) };

    for (int i = 0; i < cpu_count(); i++) {
        run_on_cpu(cpu_by_index(i), dump_on_cpu, &req);
    }
    monitor_puts(mon, req.out->str);
    g_string_free(req.out, TRUE);
}

static bool arm_register_lookup(void *opaque, const char *name, uint64_t *value)
{
    CPUState *cs = cpu_by_index(hmp_current_cpu_index());
    CPUARMState *env;

    if (!cs) {
        cs = cpu_by_index(0);
    }
    env = cs ? cs->arch_state : NULL;
    char *end;

    if (!env) {
        return false;
    }
    if (!g_ascii_strcasecmp(name, "pc")) {
        *value = env->pc;
    } else if (!g_ascii_strcasecmp(name, "sp")) {
        *value = env->xregs[31];
    } else if (!g_ascii_strcasecmp(name, "lr")) {
        *value = env->xregs[30];
    } else if (!g_ascii_strcasecmp(name, "fp")) {
        *value = env->xregs[29];
    } else if (!g_ascii_strcasecmp(name, "pstate")) {
        *value = arm_pstate_read(env);
    } else if ((name[0] == 'x' || name[0] == 'X') && g_ascii_isdigit(name[1])) {
        unsigned long n = strtoul(name + 1, &end, 10);
        if (*end || n > 30) {
            return false;
        }
        *value = env->xregs[n];
    } else {
        return false;
    }
    return true;
}

/* ---- the virt board's CPUs ---- */

static CPUARMState *arm_cpu_alloc(void)
{
    void *p = NULL;

    if (posix_memalign(&p, 64, sizeof(CPUARMState))) {
        g_error("arm: out of memory");
    }
    memset(p, 0, sizeof(CPUARMState));
    return p;
}

static void arm_cpu_reset_boot(CPUARMState *env, const ArmBootInfo *boot)
{
    arm_cpu_reset(env, boot->entry, boot->dtb_addr);
    arm_gt_reset(env);
    env->powered_off = env->cpu_index != 0;
    env->on_pending = 0;
    env->in_wfi = false;
    env->tcg.exit_reason = env->powered_off ? CPU_EXIT_HALTED : 0;
}

static bool arm_virt_create_cpus(MachineState *ms, const ArmBootInfo *boot, GError **errp)
{
    VirtMachineState *vms = (VirtMachineState *)ms;
    const char *type = ms->cpu_type ? ms->cpu_type : "max";
    const ARMCPUModel *model = arm_cpu_model_find(type);
    unsigned n = ms->smp.cpus ? ms->smp.cpus : 1;

    if (!model) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_NOT_FOUND,
                    "-cpu %s: unknown CPU model (use -cpu help to list)", type);
        return false;
    }
    if (!tcg_enabled()) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_UNSUPPORTED,
                    "-machine virt: the AArch64 CPU needs -accel tcg");
        return false;
    }
    for (unsigned i = 0; i < n; i++) {
        CPUARMState *env = arm_cpu_alloc();
        CPUState *cs;

        env->model = model;
        env->cpu_index = (int)i;
        /* Aff0 = index % 16, Aff1 = index / 16 (GICv3 clusters); bit 31 RES1. */
        env->mpidr = (1ull << 31) | virt_cpu_mp_affinity((int)i);
        if (vms->gic && device_is_a(vms->gic, TYPE_ARM_GICV3)) {
            env->gicv3 = gicv3_from_device(vms->gic);
        }
        arm_gt_init(env, vms->gic ? arm_gic_ppi(vms->gic, (int)i, ARM_GIC_PPI_PHYSTIMER) : NULL,
                     vms->gic ? arm_gic_ppi(vms->gic, (int)i, ARM_GIC_PPI_VIRTTIMER) : NULL);
        arm_pmu_init(env, vms->gic ? arm_gic_ppi(vms->gic, (int)i, ARM_GIC_PPI_PMU) : NULL);
        arm_cpu_reset_boot(env, boot);
        cs = cpu_create((int)i, tcg_accel_ops(), env, errp);
        if (!cs) {
            free(env);
            return false;
        }
        env->cs = cs;
        tcg_cpu_init(&env->tcg, cs, env);
        if (vms->gic) {
            virt_wire_cpu(vms, (int)i, cs);
            arm_cpu_enable_wfi_sleep(cs);
        }
    }
    hmp_register_info("registers", "", "show the cpu registers", hmp_info_registers);
    hmp_set_register_lookup(arm_register_lookup, NULL);
    hmp_set_disas_arch(DISAS_AARCH64);
    return true;
}

static void reset_on_cpu(CPUState *cs, void *data)
{
    arm_cpu_reset_boot(cs->arch_state, data);
}

static void arm_virt_reset_cpus(MachineState *ms, const ArmBootInfo *boot)
{
    /* The images were written again: forget code translated from the old bytes. */
    tb_flush(NULL);
    for (int i = 0; i < cpu_count(); i++) {
        run_on_cpu(cpu_by_index(i), reset_on_cpu, (void *)boot);
    }
}

static const VirtCpuProvider arm_virt_cpus = {
    .create_cpus = arm_virt_create_cpus,
    .reset_cpus = arm_virt_reset_cpus,
};

void arm_tcg_register(void)
{
    tcg_register_target(&arm_tcg_ops);
    virt_set_cpu_provider(&arm_virt_cpus);
}
