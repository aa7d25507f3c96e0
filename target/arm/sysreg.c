/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The AArch64 system registers Tern implements for bare-metal EL1 code,
 * one table row each: encoding, name, how MRS/MSR reach it (a field of
 * CPUARMState, a constant from the CPU model, PSTATE pieces, or a helper),
 * and who may access it. With a GICv3, its CPU interface registers
 * (ICC_*_EL1) are found through the GIC's own decoder. Anything else is
 * UNDEFINED, except the ID register space, which reads as zero where
 * nothing is allocated.
 */
#include <stddef.h>

#include "hw/intc/arm_gic.h"
#include "target/arm/helper.h"
#include "target/arm/internals.h"
#include "target/arm/pmu.h"

#define FIELD(f) offsetof(CPUARMState, sys.f)
#define SR(op0, op1, crn, crm, op2) ARM_SYSREG(op0, op1, crn, crm, op2)

static const ARMSysReg sysregs[] = {
    /* PSTATE and special-purpose */
    { SR(3, 3, 4, 2, 0), "NZCV", SR_NZCV, SR_RW | SR_EL0_R | SR_EL0_W, 0, 0 },
    { SR(3, 3, 4, 2, 1), "DAIF", SR_DAIF, SR_RW | SR_END_TB, 0, 0 },
    { SR(3, 0, 4, 2, 2), "CurrentEL", SR_CURRENTEL, SR_R, 0, 0 },
    { SR(3, 0, 4, 2, 0), "SPSel", SR_SPSEL, SR_RW | SR_END_TB, 0, 0 },
    { SR(3, 0, 4, 2, 3), "PAN", SR_HELPER, SR_RW | SR_END_TB, 0, 0 },
    { SR(3, 0, 4, 2, 4), "UAO", SR_HELPER, SR_RW | SR_END_TB, 0, 0 },
    { SR(3, 3, 4, 4, 0), "FPCR", SR_FPCR, SR_RW | SR_EL0_R | SR_EL0_W | SR_END_TB,
      offsetof(CPUARMState, fpcr), 0 },
    { SR(3, 3, 4, 4, 1), "FPSR", SR_FPSR, SR_RW | SR_EL0_R | SR_EL0_W,
      offsetof(CPUARMState, fpsr), 0 },
    { SR(3, 0, 4, 1, 0), "SP_EL0", SR_SP_EL0, SR_RW, 0, 0 },
    { SR(3, 0, 4, 0, 0), "SPSR_EL1", SR_FIELD, SR_RW, FIELD(spsr_el1), 0 },
    { SR(3, 0, 4, 0, 1), "ELR_EL1", SR_FIELD, SR_RW, FIELD(elr_el1), 0 },
    /* exceptions and control */
    { SR(3, 0, 1, 0, 0), "SCTLR_EL1", SR_HELPER, SR_RW | SR_END_TB, FIELD(sctlr_el1), 0 },
    { SR(3, 0, 1, 0, 1), "ACTLR_EL1", SR_FIELD, SR_RW, FIELD(actlr_el1), 0 },
    { SR(3, 0, 1, 0, 2), "CPACR_EL1", SR_HELPER, SR_RW | SR_END_TB, FIELD(cpacr_el1), 0 },
    { SR(3, 0, 5, 1, 0), "AFSR0_EL1", SR_FIELD, SR_RW, FIELD(afsr0_el1), 0 },
    { SR(3, 0, 5, 1, 1), "AFSR1_EL1", SR_FIELD, SR_RW, FIELD(afsr1_el1), 0 },
    { SR(3, 0, 5, 2, 0), "ESR_EL1", SR_FIELD, SR_RW, FIELD(esr_el1), 0 },
    { SR(3, 0, 6, 0, 0), "FAR_EL1", SR_FIELD, SR_RW, FIELD(far_el1), 0 },
    { SR(3, 0, 7, 4, 0), "PAR_EL1", SR_FIELD, SR_RW, FIELD(par_el1), 0 },
    { SR(3, 0, 12, 0, 0), "VBAR_EL1", SR_FIELD, SR_RW, FIELD(vbar_el1), 0 },
    { SR(3, 0, 12, 1, 0), "ISR_EL1", SR_HELPER, SR_R, 0, 0 },
    { SR(3, 0, 12, 1, 1), "DISR_EL1", SR_FIELD, SR_RW, FIELD(disr_el1), 0 },
    /* memory system: table bases and TCR flush the TLB when they change (mmu.c) */
    { SR(3, 0, 2, 0, 0), "TTBR0_EL1", SR_HELPER, SR_RW | SR_END_TB, FIELD(ttbr0_el1), 0 },
    { SR(3, 0, 2, 0, 1), "TTBR1_EL1", SR_HELPER, SR_RW | SR_END_TB, FIELD(ttbr1_el1), 0 },
    { SR(3, 0, 2, 0, 2), "TCR_EL1", SR_HELPER, SR_RW | SR_END_TB, FIELD(tcr_el1), 0 },
    { SR(3, 0, 10, 2, 0), "MAIR_EL1", SR_FIELD, SR_RW, FIELD(mair_el1), 0 },
    { SR(3, 0, 10, 3, 0), "AMAIR_EL1", SR_FIELD, SR_RW, FIELD(amair_el1), 0 },
    { SR(3, 0, 13, 0, 1), "CONTEXTIDR_EL1", SR_FIELD, SR_RW, FIELD(contextidr_el1), 0 },
    /* thread pointers */
    { SR(3, 0, 13, 0, 4), "TPIDR_EL1", SR_FIELD, SR_RW, FIELD(tpidr_el1), 0 },
    { SR(3, 3, 13, 0, 2), "TPIDR_EL0", SR_FIELD, SR_RW | SR_EL0_R | SR_EL0_W,
      FIELD(tpidr_el0), 0 },
    { SR(3, 3, 13, 0, 3), "TPIDRRO_EL0", SR_FIELD, SR_RW | SR_EL0_R, FIELD(tpidrro_el0), 0 },
    /* caches */
    { SR(3, 2, 0, 0, 0), "CSSELR_EL1", SR_FIELD, SR_RW, FIELD(csselr_el1), 0 },
    { SR(3, 1, 0, 0, 0), "CCSIDR_EL1", SR_HELPER, SR_R, 0, 0 },
    { SR(3, 1, 0, 0, 7), "AIDR_EL1", SR_CONST, SR_R, 0, 0 },
    /* generic timer (gtimer.c): a timer write may change its interrupt line */
    { SR(3, 3, 14, 0, 0), "CNTFRQ_EL0", SR_CONST, SR_R | SR_EL0_R, 0, ARM_CNTFRQ },
    { SR(3, 3, 14, 0, 1), "CNTPCT_EL0", SR_HELPER, SR_R | SR_EL0_R, 0, 0 },
    { SR(3, 3, 14, 0, 2), "CNTVCT_EL0", SR_HELPER, SR_R | SR_EL0_R, 0, 0 },
    { SR(3, 0, 14, 1, 0), "CNTKCTL_EL1", SR_FIELD, SR_RW, FIELD(cntkctl_el1), 0 },
    { SR(3, 3, 14, 2, 0), "CNTP_TVAL_EL0", SR_HELPER, SR_RW | SR_EL0_R | SR_EL0_W, 0, 0 },
    { SR(3, 3, 14, 2, 1), "CNTP_CTL_EL0", SR_HELPER, SR_RW | SR_EL0_R | SR_EL0_W, 0, 0 },
    { SR(3, 3, 14, 2, 2), "CNTP_CVAL_EL0", SR_HELPER, SR_RW | SR_EL0_R | SR_EL0_W, 0, 0 },
    { SR(3, 3, 14, 3, 0), "CNTV_TVAL_EL0", SR_HELPER, SR_RW | SR_EL0_R | SR_EL0_W, 0, 0 },
    { SR(3, 3, 14, 3, 1), "CNTV_CTL_EL0", SR_HELPER, SR_RW | SR_EL0_R | SR_EL0_W, 0, 0 },
    { SR(3, 3, 14, 3, 2), "CNTV_CVAL_EL0", SR_HELPER, SR_RW | SR_EL0_R | SR_EL0_W, 0, 0 },
    /* debug: only what bare-metal start-up code touches */
    { SR(2, 0, 0, 2, 2), "MDSCR_EL1", SR_HELPER, SR_RW | SR_END_TB, FIELD(mdscr_el1), 0 },
    { SR(2, 0, 0, 2, 0), "MDCCINT_EL1", SR_FIELD, SR_RW, FIELD(mdccint_el1), 0 },
    { SR(2, 0, 1, 0, 4), "OSLAR_EL1", SR_HELPER, SR_W | SR_END_TB, 0, 0 },
    { SR(2, 0, 1, 1, 4), "OSLSR_EL1", SR_FIELD, SR_R, FIELD(oslsr_el1), 0 },
    { SR(2, 0, 1, 3, 4), "OSDLR_EL1", SR_FIELD, SR_RW, FIELD(osdlr_el1), 0 },
    { SR(2, 0, 1, 0, 0), "MDRAR_EL1", SR_CONST, SR_R, 0, 0 },
    { SR(2, 0, 0, 0, 2), "OSDTRRX_EL1", SR_FIELD, SR_RW, FIELD(osdtrrx_el1), 0 },
    { SR(2, 0, 0, 3, 2), "OSDTRTX_EL1", SR_FIELD, SR_RW, FIELD(osdtrtx_el1), 0 },
    { SR(2, 0, 0, 6, 2), "OSECCR_EL1", SR_FIELD, SR_RW, FIELD(oseccr_el1), 0 },
    { SR(2, 0, 1, 4, 4), "DBGPRCR_EL1", SR_CONST, SR_RW, 0, 0 },
    { SR(2, 0, 7, 8, 6), "DBGCLAIMSET_EL1", SR_HELPER, SR_RW, 0, 0 },
    { SR(2, 0, 7, 9, 6), "DBGCLAIMCLR_EL1", SR_HELPER, SR_RW, 0, 0 },
    { SR(2, 0, 7, 14, 6), "DBGAUTHSTATUS_EL1", SR_CONST, SR_R, 0, 0xaa },
    { SR(2, 3, 0, 1, 0), "MDCCSR_EL0", SR_CONST, SR_R | SR_EL0_R, 0, 0 },
    { SR(2, 3, 0, 4, 0), "DBGDTR_EL0", SR_CONST, SR_RW | SR_EL0_R | SR_EL0_W, 0, 0 },
};

/*
 * DBGBVR<n>, DBGBCR<n>, DBGWVR<n>, DBGWCR<n> (op0 2, CRn 0, CRm n, op2 4..7)
 * for the breakpoints and watchpoints ID_AA64DFR0 advertises.
 */
static bool debug_bank(const CPUARMState *env, uint32_t key, ARMSysReg *out)
{
    unsigned n = (key >> 3) & 15, op2 = key & 7;
    unsigned brps = ((env->id.id_aa64dfr0 >> 12) & 15) + 1;
    unsigned wrps = ((env->id.id_aa64dfr0 >> 20) & 15) + 1;
    static const char *const names[] = { "DBGBVR_EL1", "DBGBCR_EL1", "DBGWVR_EL1",
                                         "DBGWCR_EL1" };

    if ((key & ~(uint32_t)((15 << 3) | 7)) != SR(2, 0, 0, 0, 0) || op2 < 4) {
        return false;
    }
    if (n >= (op2 < 6 ? brps : wrps)) {
        return false;
    }
    *out = (ARMSysReg) {
        .key = key, .name = names[op2 - 4], .kind = SR_HELPER, .access = SR_RW | SR_END_TB,
        .offset = op2 == 4 ? FIELD(dbgbvr[n]) : op2 == 5 ? FIELD(dbgbcr[n]) :
                  op2 == 6 ? FIELD(dbgwvr[n]) : FIELD(dbgwcr[n]),
    };
    return true;
}

/* Identification registers: constants of the CPU model. */
static bool id_value(const CPUARMState *env, uint32_t key, uint64_t *v, bool *el0)
{
    const ARMIDRegs *id = &env->id;

    *el0 = false;
    switch (key) {
    case SR(3, 0, 0, 0, 0): *v = id->midr; return true;
    case SR(3, 0, 0, 0, 5): *v = env->mpidr; return true;
    case SR(3, 0, 0, 0, 6): *v = id->revidr; return true;
    case SR(3, 0, 0, 4, 0): *v = id->id_aa64pfr0; return true;
    case SR(3, 0, 0, 4, 1): *v = id->id_aa64pfr1; return true;
    case SR(3, 0, 0, 4, 4): *v = id->id_aa64zfr0; return true;
    case SR(3, 0, 0, 5, 0): *v = id->id_aa64dfr0; return true;
    case SR(3, 0, 0, 5, 1): *v = id->id_aa64dfr1; return true;
    case SR(3, 0, 0, 5, 4): *v = id->id_aa64afr0; return true;
    case SR(3, 0, 0, 5, 5): *v = id->id_aa64afr1; return true;
    case SR(3, 0, 0, 6, 0): *v = id->id_aa64isar0; return true;
    case SR(3, 0, 0, 6, 1): *v = id->id_aa64isar1; return true;
    case SR(3, 0, 0, 6, 2): *v = id->id_aa64isar2; return true;
    case SR(3, 0, 0, 7, 0): *v = id->id_aa64mmfr0; return true;
    case SR(3, 0, 0, 7, 1): *v = id->id_aa64mmfr1; return true;
    case SR(3, 0, 0, 7, 2): *v = id->id_aa64mmfr2; return true;
    case SR(3, 1, 0, 0, 1): *v = id->clidr; return true;
    case SR(3, 3, 0, 0, 1): *v = id->ctr; *el0 = true; return true;
    case SR(3, 3, 0, 0, 7): *v = id->dczid; *el0 = true; return true;
    default:
        break;
    }
    /* The rest of op0=3 op1=0 CRn=0 CRm=1..7 (ID space) is RAZ. */
    if ((key >> 7) == (SR(3, 0, 0, 0, 0) >> 7) && ((key >> 3) & 15) >= 1) {
        *v = 0;
        return true;
    }
    return false;
}

const ARMSysReg *arm_sysreg_find(const CPUARMState *env, uint32_t key, ARMSysReg *scratch)
{
    uint64_t v;
    bool el0;

    for (size_t i = 0; i < G_N_ELEMENTS(sysregs); i++) {
        if (sysregs[i].key == key) {
            return &sysregs[i];
        }
    }
    if (env->gicv3) {
        GICv3CpuReg reg;
        if (gicv3_cpuif_reg_decode(key >> 14, (key >> 11) & 7, (key >> 7) & 15,
                                   (key >> 3) & 15, key & 7, &reg)) {
            *scratch = (ARMSysReg) {
                .key = key, .name = gicv3_cpuif_reg_name(reg), .kind = SR_GICV3,
                .access = (gicv3_cpuif_reg_readable(reg) ? SR_R : 0) |
                          (gicv3_cpuif_reg_writable(reg) ? SR_W | SR_END_TB : 0),
                .value = reg,
            };
            return scratch;
        }
    }
    if (debug_bank(env, key, scratch)) {
        return scratch;
    }
    if (arm_pmu_sysreg_lookup(key, scratch)) {
        return scratch;
    }
    if (id_value(env, key, &v, &el0)) {
        *scratch = (ARMSysReg) {
            .key = key, .name = "ID", .kind = SR_CONST,
            .access = SR_R | (el0 ? SR_EL0_R : 0), .value = v,
        };
        return scratch;
    }
    return NULL;
}
