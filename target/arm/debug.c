/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Self-hosted debug of the AArch64 CPU (Arm ARM D2, "AArch64 Self-hosted
 * Debug"), the part a debugger inside the guest (gdb under Linux ptrace)
 * relies on: hardware breakpoints (unlinked address match), watchpoints and
 * software step, all routed to EL1. How they reach translated code:
 *  - breakpoints are checked when a block is translated (ARM_HF_BKPT), so
 *    a change of DBGBVR/DBGBCR flushes the translated code;
 *  - watchpoints keep the watched pages out of the TLB, so every access to
 *    them comes through arm_tlb_fill and is checked here;
 *  - software step translates one instruction per block (ARM_HF_SS) and
 *    raises the step exception at the next block (ARM_HF_SS_PENDING).
 * Watchpoints match at doubleword granularity (BAS selects bytes within the
 * watched doubleword, but any access to that doubleword matches), which
 * the architecture's imprecision rules do not cover exactly; context-ID
 * and linked breakpoints are not implemented.
 */
#include <inttypes.h>

#include "target/arm/internals.h"
#include "util/log.h"

#define MDSCR_SS  (1ull << 0)
#define MDSCR_KDE (1ull << 13)
#define MDSCR_MDE (1ull << 15)
#define OSLSR_OSLK (1ull << 1)

/* Debug exceptions from this EL to EL1 (D2.10 with no EL2/EL3). */
static bool debug_enabled(const CPUARMState *env, unsigned el)
{
    if (env->sys.oslsr_el1 & OSLSR_OSLK) {
        return false;
    }
    if (el == 0) {
        return true;
    }
    return (env->sys.mdscr_el1 & MDSCR_KDE) && !(env->pstate & PSTATE_D);
}

/* PMC/PAC: bit 0 = EL1, bit 1 = EL0. */
static bool el_selected(uint64_t ctrl, unsigned el)
{
    unsigned pmc = (ctrl >> 1) & 3;
    return el == 0 ? (pmc & 2) != 0 : (pmc & 1) != 0;
}

static unsigned nr_brps(const CPUARMState *env)
{
    return ((env->id.id_aa64dfr0 >> 12) & 15) + 1;
}

static unsigned nr_wrps(const CPUARMState *env)
{
    return ((env->id.id_aa64dfr0 >> 20) & 15) + 1;
}

/* VA[48:2] of a DBGBVR/DBGWVR, sign-extended from bit 48. */
static uint64_t dbg_va(uint64_t v)
{
    return (uint64_t)((int64_t)(v << 15) >> 15) & ~3ull;
}

static bool wp_active(const CPUARMState *env, unsigned el)
{
    if (!(env->sys.mdscr_el1 & MDSCR_MDE) || !debug_enabled(env, el)) {
        return false;
    }
    for (unsigned i = 0; i < nr_wrps(env); i++) {
        if ((env->sys.dbgwcr[i] & 1) && el_selected(env->sys.dbgwcr[i], el)) {
            return true;
        }
    }
    return false;
}

uint32_t arm_debug_hflags(const CPUARMState *env)
{
    unsigned el = arm_current_el(env);
    uint32_t hf = 0;

    if (!debug_enabled(env, el)) {
        return 0;
    }
    if (env->sys.mdscr_el1 & MDSCR_SS) {
        hf |= (env->pstate & PSTATE_SS) ? ARM_HF_SS : ARM_HF_SS_PENDING;
    }
    if (env->sys.mdscr_el1 & MDSCR_MDE) {
        for (unsigned i = 0; i < nr_brps(env); i++) {
            uint64_t c = env->sys.dbgbcr[i];
            if ((c & 1) && ((c >> 20) & 15) == 0 && el_selected(c, el)) {
                hf |= ARM_HF_BKPT;
                break;
            }
        }
    }
    return hf;
}

bool arm_bp_match(const CPUARMState *env, uint64_t pc)
{
    unsigned el = arm_current_el(env);

    for (unsigned i = 0; i < nr_brps(env); i++) {
        uint64_t c = env->sys.dbgbcr[i];
        if ((c & 1) && ((c >> 20) & 15) == 0 && el_selected(c, el) &&
            dbg_va(env->sys.dbgbvr[i]) == (pc & ~3ull)) {
            return true;
        }
    }
    return false;
}

/* Byte mask of doubleword-aligned block `dw` a watchpoint covers. */
static bool wp_hits(const CPUARMState *env, unsigned i, uint64_t va)
{
    uint64_t c = env->sys.dbgwcr[i], base = dbg_va(env->sys.dbgwvr[i]);
    unsigned mask = (c >> 24) & 31;

    if (mask >= 3) {
        return (va >> mask) == (base >> mask);
    }
    /* BAS selects bytes of the doubleword (of the word when VA[2] is set). */
    return (va & ~7ull) == (base & ~7ull) && ((c >> 5) & 0xff) != 0;
}

bool arm_wp_page_watched(const CPUARMState *env, uint64_t va, int mmu_idx)
{
    unsigned el = mmu_idx == ARM_MMU_IDX_EL0 ? 0 : 1;

    if (!wp_active(env, el)) {
        return false;
    }
    for (unsigned i = 0; i < nr_wrps(env); i++) {
        uint64_t c = env->sys.dbgwcr[i], base = dbg_va(env->sys.dbgwvr[i]);
        unsigned mask = (c >> 24) & 31;
        uint64_t lo = mask >= 3 ? base & ~((1ull << mask) - 1) : base & ~7ull;
        uint64_t hi = mask >= 3 ? lo + (1ull << mask) - 1 : lo + 7;

        if ((c & 1) && el_selected(c, el) &&
            (va & TCG_PAGE_MASK) <= hi && lo <= (va | ~TCG_PAGE_MASK)) {
            return true;
        }
    }
    return false;
}

void arm_wp_check(CPUARMState *env, uint64_t va, MMUAccessType access, int mmu_idx,
                  uintptr_t ra)
{
    unsigned el = mmu_idx == ARM_MMU_IDX_EL0 ? 0 : 1;
    bool is_write = access == MMU_DATA_STORE;

    if (access == MMU_INST_FETCH || !wp_active(env, el)) {
        return;
    }
    for (unsigned i = 0; i < nr_wrps(env); i++) {
        uint64_t c = env->sys.dbgwcr[i];
        unsigned lsc = (c >> 3) & 3;

        if (!(c & 1) || !el_selected(c, el) || !(lsc & (is_write ? 2 : 1)) ||
            !wp_hits(env, i, va)) {
            continue;
        }
        log_mask(LOG_INT, "arm: cpu %d: watchpoint %u hit at 0x%016" PRIx64 "\n",
                 env->cpu_index, i, va);
        bool same = arm_current_el(env) != 0;
        arm_raise_exception(env, syn_make(same ? ARM_EC_WATCHPOINT : ARM_EC_WATCHPOINT_LOWER,
                                          (is_write ? 1u << 6 : 0) | 0x22),
                            va, ra);
    }
}
