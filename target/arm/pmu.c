/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The PMUv3 (PMUv3p1 register set) of the AArch64 CPU: PMCR_EL0, the
 * enable/interrupt/overflow set-clear pairs, PMSELR/PMXEV*, six 32-bit event
 * counters and the 64-bit cycle counter, with the overflow interrupt on the
 * CPU's PMU PPI. Time-based events count guest time (TERN_CLOCK_VIRTUAL) at
 * 1 GHz: counters hold their value as of the last "sync" and fold in the
 * elapsed nanoseconds whenever they are read or reconfigured, and a host
 * timer fires at the earliest predicted overflow. Everything that touches
 * the state runs under the BQL (the timer callback already holds it).
 * docs/arm.md ("Performance Monitors") lists the events and the limits.
 */
#include <inttypes.h>
#include <string.h>

#include "hw/core/irq.h"
#include "system/main-loop.h"
#include "system/timer.h"
#include "target/arm/helper.h"
#include "target/arm/pmu.h"
#include "util/log.h"

#define PMU_NUM_COUNTERS 6
#define PMU_CYCLE_BIT    31                 /* PMCNTEN/PMINTEN/PMOVS bit of PMCCNTR */
#define PMU_CNT_MASK     (((1u << PMU_NUM_COUNTERS) - 1) | (1u << PMU_CYCLE_BIT))

#define PMCR_E    (1u << 0)
#define PMCR_P    (1u << 1)
#define PMCR_C    (1u << 2)
#define PMCR_D    (1u << 3)
#define PMCR_X    (1u << 4)
#define PMCR_DP   (1u << 5)
#define PMCR_LC   (1u << 6)
#define PMCR_WMASK (PMCR_E | PMCR_D | PMCR_X | PMCR_DP | PMCR_LC)
#define PMCR_N_SHIFT      11
#define PMCR_IDCODE_SHIFT 16
#define PMCR_IMP_SHIFT    24

/* PMEVTYPER/PMCCFILTR: without EL2 and EL3, NSK/NSU/NSH/M are RES0. */
#define EVTYPER_P      (1u << 31)
#define EVTYPER_U      (1u << 30)
#define EVTYPER_EVENT  0xffffu
#define EVTYPER_WMASK  (EVTYPER_P | EVTYPER_U | EVTYPER_EVENT)
#define CCFILTR_WMASK  (EVTYPER_P | EVTYPER_U)

#define USERENR_EN (1u << 0)
#define USERENR_SW (1u << 1)
#define USERENR_CR (1u << 2)
#define USERENR_ER (1u << 3)
#define USERENR_MASK 0xfu

/* Common events this PMU counts (PMCEID0_EL0 bit n = event n). */
#define EV_SW_INCR     0x00
#define EV_INST_RETIRED 0x08
#define EV_CPU_CYCLES  0x11
#define EV_BUS_CYCLES  0x1d
#define PMCEID0_VALUE  ((1ull << EV_SW_INCR) | (1ull << EV_INST_RETIRED) | \
                        (1ull << EV_CPU_CYCLES) | (1ull << EV_BUS_CYCLES))

/*
 * A timer predicted for a counter that the EL filter stops in the current
 * EL would keep firing without progress; such counters are looked at again
 * at most this often, so their overflow may be seen up to 1 ms late.
 */
#define PMU_FILTERED_POLL_NS NS_PER_MS

/* How an EL0 access is allowed through PMUSERENR_EL0 (EL1 always may). */
typedef enum {
    PMU_EL0_NONE,       /* EL1 only (the SR_EL0_* bits already keep EL0 out) */
    PMU_EL0_EN,
    PMU_EL0_SWINC,      /* EN or SW */
    PMU_EL0_SELR,       /* EN or ER */
    PMU_EL0_CCNT,       /* read: EN or CR; write: EN */
    PMU_EL0_EVCNT,      /* read: EN or ER; write: EN */
    PMU_EL0_ALWAYS,     /* PMUSERENR_EL0 itself (read) */
} PMUEl0Rule;

typedef enum {
    PMU_PMCR, PMU_CNTENSET, PMU_CNTENCLR, PMU_OVSCLR, PMU_SWINC, PMU_SELR,
    PMU_CEID0, PMU_CEID1, PMU_CCNTR, PMU_XEVTYPER, PMU_XEVCNTR, PMU_USERENR,
    PMU_INTENSET, PMU_INTENCLR, PMU_OVSSET, PMU_CCFILTR,
    PMU_EVCNTR,         /* + n in the key's low bits */
    PMU_EVTYPER,
} PMUReg;

typedef struct PMURegInfo {
    uint32_t key;
    const char *name;
    uint8_t access;
    uint8_t reg;        /* PMUReg */
    uint8_t el0;        /* PMUEl0Rule */
} PMURegInfo;

#define EL0_RW (SR_EL0_R | SR_EL0_W)

static const PMURegInfo pmu_regs[] = {
    { ARM_SYSREG(3, 3, 9, 12, 0), "PMCR_EL0", SR_RW | EL0_RW, PMU_PMCR, PMU_EL0_EN },
    { ARM_SYSREG(3, 3, 9, 12, 1), "PMCNTENSET_EL0", SR_RW | EL0_RW, PMU_CNTENSET, PMU_EL0_EN },
    { ARM_SYSREG(3, 3, 9, 12, 2), "PMCNTENCLR_EL0", SR_RW | EL0_RW, PMU_CNTENCLR, PMU_EL0_EN },
    { ARM_SYSREG(3, 3, 9, 12, 3), "PMOVSCLR_EL0", SR_RW | EL0_RW, PMU_OVSCLR, PMU_EL0_EN },
    { ARM_SYSREG(3, 3, 9, 12, 4), "PMSWINC_EL0", SR_W | SR_EL0_W, PMU_SWINC, PMU_EL0_SWINC },
    { ARM_SYSREG(3, 3, 9, 12, 5), "PMSELR_EL0", SR_RW | EL0_RW, PMU_SELR, PMU_EL0_SELR },
    { ARM_SYSREG(3, 3, 9, 12, 6), "PMCEID0_EL0", SR_R | SR_EL0_R, PMU_CEID0, PMU_EL0_EN },
    { ARM_SYSREG(3, 3, 9, 12, 7), "PMCEID1_EL0", SR_R | SR_EL0_R, PMU_CEID1, PMU_EL0_EN },
    { ARM_SYSREG(3, 3, 9, 13, 0), "PMCCNTR_EL0", SR_RW | EL0_RW, PMU_CCNTR, PMU_EL0_CCNT },
    { ARM_SYSREG(3, 3, 9, 13, 1), "PMXEVTYPER_EL0", SR_RW | EL0_RW, PMU_XEVTYPER, PMU_EL0_EN },
    { ARM_SYSREG(3, 3, 9, 13, 2), "PMXEVCNTR_EL0", SR_RW | EL0_RW, PMU_XEVCNTR, PMU_EL0_EVCNT },
    { ARM_SYSREG(3, 3, 9, 14, 0), "PMUSERENR_EL0", SR_RW | SR_EL0_R, PMU_USERENR,
      PMU_EL0_ALWAYS },
    { ARM_SYSREG(3, 0, 9, 14, 1), "PMINTENSET_EL1", SR_RW, PMU_INTENSET, PMU_EL0_NONE },
    { ARM_SYSREG(3, 0, 9, 14, 2), "PMINTENCLR_EL1", SR_RW, PMU_INTENCLR, PMU_EL0_NONE },
    { ARM_SYSREG(3, 3, 9, 14, 3), "PMOVSSET_EL0", SR_RW | EL0_RW, PMU_OVSSET, PMU_EL0_EN },
    { ARM_SYSREG(3, 3, 14, 15, 7), "PMCCFILTR_EL0", SR_RW | EL0_RW, PMU_CCFILTR, PMU_EL0_EN },
};

static const char *const evcntr_names[PMU_NUM_COUNTERS] = {
    "PMEVCNTR0_EL0", "PMEVCNTR1_EL0", "PMEVCNTR2_EL0",
    "PMEVCNTR3_EL0", "PMEVCNTR4_EL0", "PMEVCNTR5_EL0",
};
static const char *const evtyper_names[PMU_NUM_COUNTERS] = {
    "PMEVTYPER0_EL0", "PMEVTYPER1_EL0", "PMEVTYPER2_EL0",
    "PMEVTYPER3_EL0", "PMEVTYPER4_EL0", "PMEVTYPER5_EL0",
};

struct ARMPMUState {
    IrqLine *irq;
    Timer *timer;
    bool level;

    uint32_t pmcr;              /* the PMCR_WMASK bits */
    uint32_t cnten, inten, ovs; /* bit n: event counter n, bit 31: PMCCNTR */
    uint32_t selr, userenr;
    uint32_t ccfiltr;
    uint32_t evtyper[PMU_NUM_COUNTERS];
    uint32_t evcnt[PMU_NUM_COUNTERS];
    uint64_t ccnt;
    uint64_t cc_frac;           /* nanoseconds towards the next tick with PMCR.D */
    int64_t sync_ns;            /* counter values are as of this virtual time */
};

/* ---- the register table ---- */

/* Decode key into a PMUReg and, for PMEV*, the counter number. */
static const PMURegInfo *pmu_decode(uint32_t key, PMURegInfo *scratch, unsigned *n)
{
    unsigned crn = (key >> 7) & 15, crm = (key >> 3) & 15, op1 = (key >> 11) & 7;

    for (size_t i = 0; i < G_N_ELEMENTS(pmu_regs); i++) {
        if (pmu_regs[i].key == key) {
            *n = 0;
            return &pmu_regs[i];
        }
    }
    /* PMEVCNTRn_EL0: 3,3,14,0b10:n[4:3],n[2:0]; PMEVTYPERn_EL0: 0b11:n[4:3]. */
    if ((key >> 14) == 3 && op1 == 3 && crn == 14 && crm >= 8) {
        unsigned idx = ((crm & 3) << 3) | (key & 7);
        bool typer = crm >= 12;

        if (idx >= PMU_NUM_COUNTERS) {
            return NULL;
        }
        *n = idx;
        *scratch = (PMURegInfo) {
            .key = key,
            .name = typer ? evtyper_names[idx] : evcntr_names[idx],
            .access = SR_RW | EL0_RW,
            .reg = typer ? PMU_EVTYPER : PMU_EVCNTR,
            .el0 = typer ? PMU_EL0_EN : PMU_EL0_EVCNT,
        };
        return scratch;
    }
    return NULL;
}

bool arm_pmu_sysreg_lookup(uint32_t key, ARMSysReg *out)
{
    PMURegInfo scratch;
    unsigned n;
    const PMURegInfo *ri = pmu_decode(key, &scratch, &n);

    if (!ri) {
        return false;
    }
    *out = (ARMSysReg) {
        .key = key, .name = ri->name, .kind = SR_HELPER, .access = ri->access,
    };
    return true;
}

/* ---- counting ---- */

static bool pmu_filter_counts(uint32_t filter, unsigned el)
{
    return !(filter & (el == 0 ? EVTYPER_U : EVTYPER_P));
}

/* Events whose count is derived from the clock (1 per nanosecond). */
static bool pmu_event_clocked(uint32_t evtyper)
{
    switch (evtyper & EVTYPER_EVENT) {
    case EV_CPU_CYCLES:
    case EV_INST_RETIRED:
    case EV_BUS_CYCLES:
        return true;
    default:
        return false;
    }
}

static bool pmu_counter_enabled(const ARMPMUState *s, unsigned bit)
{
    return (s->pmcr & PMCR_E) && (s->cnten & (1u << bit));
}

/* Add inc to event counter i, latching an overflow past 2^32. */
static void pmu_evcnt_add(ARMPMUState *s, unsigned i, uint64_t inc)
{
    if (inc >= (1ull << 32) - s->evcnt[i]) {
        s->ovs |= 1u << i;
    }
    s->evcnt[i] = (uint32_t)(s->evcnt[i] + inc);
}

static void pmu_ccnt_add(ARMPMUState *s, uint64_t inc)
{
    uint64_t old = s->ccnt;
    bool ovf;

    if (s->pmcr & PMCR_LC) {
        ovf = inc > UINT64_MAX - old;
    } else {
        ovf = (old & 0xffffffffull) + inc >= (1ull << 32);
    }
    s->ccnt = old + inc;
    if (ovf) {
        s->ovs |= 1u << PMU_CYCLE_BIT;
    }
}

/*
 * Fold the time since the last sync into the counters, as if all of it had
 * been spent at exception level el.
 */
static void pmu_sync_at(ARMPMUState *s, unsigned el)
{
    int64_t now = clock_get_ns(TERN_CLOCK_VIRTUAL);
    uint64_t d = now > s->sync_ns ? (uint64_t)(now - s->sync_ns) : 0;

    s->sync_ns = now;
    if (!d || !(s->pmcr & PMCR_E)) {
        return;
    }
    if (pmu_counter_enabled(s, PMU_CYCLE_BIT) && pmu_filter_counts(s->ccfiltr, el)) {
        if (s->pmcr & PMCR_D) {
            uint64_t total = s->cc_frac + d;
            s->cc_frac = total % 64;
            pmu_ccnt_add(s, total / 64);
        } else {
            pmu_ccnt_add(s, d);
        }
    }
    for (unsigned i = 0; i < PMU_NUM_COUNTERS; i++) {
        if (pmu_counter_enabled(s, i) && pmu_event_clocked(s->evtyper[i]) &&
            pmu_filter_counts(s->evtyper[i], el)) {
            pmu_evcnt_add(s, i, d);
        }
    }
}

static void pmu_sync(CPUARMState *env)
{
    pmu_sync_at(env->pmu, arm_current_el(env));
}

/* Nanoseconds until a counter with filter, remaining ns to overflow, needs a look. */
static uint64_t pmu_deadline_for(uint32_t filter, unsigned el, uint64_t remaining)
{
    if (!pmu_filter_counts(filter, el) && remaining < PMU_FILTERED_POLL_NS) {
        return PMU_FILTERED_POLL_NS;
    }
    return remaining;
}

/* Drive the PPI from the overflow state and re-arm the overflow timer. */
static void pmu_update(CPUARMState *env)
{
    ARMPMUState *s = env->pmu;
    unsigned el = arm_current_el(env);
    bool level = (s->pmcr & PMCR_E) && (s->ovs & s->inten & PMU_CNT_MASK);
    uint64_t next = UINT64_MAX;

    if (level != s->level) {
        s->level = level;
        irq_set(s->irq, level);
    }
    if (!s->timer) {
        return;
    }
    if (pmu_counter_enabled(s, PMU_CYCLE_BIT) &&
        (pmu_filter_counts(s->ccfiltr, 0) || pmu_filter_counts(s->ccfiltr, 1))) {
        uint64_t ticks, ns;
        if (s->pmcr & PMCR_LC) {
            ticks = s->ccnt ? -s->ccnt : UINT64_MAX;
        } else {
            ticks = (1ull << 32) - (s->ccnt & 0xffffffffull);
        }
        if (s->pmcr & PMCR_D) {
            ns = ticks > (UINT64_MAX >> 6) ? UINT64_MAX : ticks * 64 - s->cc_frac;
        } else {
            ns = ticks;
        }
        next = MIN(next, pmu_deadline_for(s->ccfiltr, el, ns));
    }
    for (unsigned i = 0; i < PMU_NUM_COUNTERS; i++) {
        uint32_t t = s->evtyper[i];
        if (pmu_counter_enabled(s, i) && pmu_event_clocked(t) &&
            (pmu_filter_counts(t, 0) || pmu_filter_counts(t, 1))) {
            next = MIN(next, pmu_deadline_for(t, el, (1ull << 32) - s->evcnt[i]));
        }
    }
    if (next < (uint64_t)(INT64_MAX - s->sync_ns)) {
        timer_mod_ns(s->timer, s->sync_ns + (int64_t)next);
    } else {
        timer_del(s->timer);
    }
}

static void pmu_timer_cb(void *opaque)
{
    CPUARMState *env = opaque;

    pmu_sync(env);
    pmu_update(env);
}

/* ---- life cycle ---- */

void arm_pmu_init(CPUARMState *env, IrqLine *irq)
{
    ARMPMUState *s = g_new0(ARMPMUState, 1);

    s->irq = irq;
    s->timer = timer_new_ns(TERN_CLOCK_VIRTUAL, pmu_timer_cb, env);
    env->pmu = s;
}

static bool pmu_lock(void)
{
    bool had_bql = bql_locked();

    if (!had_bql) {
        bql_lock();
    }
    return had_bql;
}

static void pmu_unlock(bool had_bql)
{
    if (!had_bql) {
        bql_unlock();
    }
}

void arm_pmu_reset(CPUARMState *env)
{
    ARMPMUState *s = env->pmu;
    bool had_bql;

    if (!s) {
        return;
    }
    had_bql = pmu_lock();
    s->pmcr = 0;
    s->cnten = s->inten = s->ovs = 0;
    s->selr = s->userenr = s->ccfiltr = 0;
    memset(s->evtyper, 0, sizeof(s->evtyper));
    memset(s->evcnt, 0, sizeof(s->evcnt));
    s->ccnt = s->cc_frac = 0;
    s->sync_ns = clock_get_ns(TERN_CLOCK_VIRTUAL);
    pmu_update(env);
    pmu_unlock(had_bql);
}

void arm_pmu_el_change(CPUARMState *env, unsigned old_el)
{
    ARMPMUState *s = env->pmu;
    bool el_sensitive;
    bool had_bql;

    if (!s || !(s->pmcr & PMCR_E) || old_el == arm_current_el(env)) {
        return;
    }
    /* Only counters filtering EL0 and EL1 differently care. */
    el_sensitive = (s->cnten & (1u << PMU_CYCLE_BIT)) &&
                   !(s->ccfiltr & EVTYPER_P) != !(s->ccfiltr & EVTYPER_U);
    for (unsigned i = 0; i < PMU_NUM_COUNTERS && !el_sensitive; i++) {
        el_sensitive = (s->cnten & (1u << i)) && pmu_event_clocked(s->evtyper[i]) &&
                       !(s->evtyper[i] & EVTYPER_P) != !(s->evtyper[i] & EVTYPER_U);
    }
    if (!el_sensitive) {
        return;
    }
    had_bql = pmu_lock();
    pmu_sync_at(s, old_el);
    pmu_update(env);
    pmu_unlock(had_bql);
}

/* ---- MRS/MSR ---- */

/* PMUSERENR_EL0 lets EL0 make this access; EL1 always may. */
static bool pmu_access_ok(CPUARMState *env, const PMURegInfo *ri, bool is_read)
{
    uint32_t u = env->pmu->userenr;

    if (arm_current_el(env) != 0) {
        return true;
    }
    switch (ri->el0) {
    case PMU_EL0_EN:
        return u & USERENR_EN;
    case PMU_EL0_SWINC:
        return u & (USERENR_EN | USERENR_SW);
    case PMU_EL0_SELR:
        return u & (USERENR_EN | USERENR_ER);
    case PMU_EL0_CCNT:
        return u & (is_read ? USERENR_EN | USERENR_CR : USERENR_EN);
    case PMU_EL0_EVCNT:
        return u & (is_read ? USERENR_EN | USERENR_ER : USERENR_EN);
    case PMU_EL0_ALWAYS:
        return is_read;
    default:
        return false;
    }
}

/*
 * Find key's register and check the access; an access PMUSERENR_EL0 does
 * not allow (or any access without a PMU) is UNDEFINED. The trap would be
 * EC 0x18 on hardware, but the helper does not know Rt to build that ISS.
 */
static const PMURegInfo *pmu_check(CPUARMState *env, uint32_t key, bool is_read,
                                   PMURegInfo *scratch, unsigned *n, uintptr_t ra)
{
    const PMURegInfo *ri = pmu_decode(key, scratch, n);

    if (!ri || !env->pmu || !pmu_access_ok(env, ri, is_read)) {
        arm_raise_exception(env, syn_uncategorized(), 0, ra);
    }
    return ri;
}

/* The counter PMSELR_EL0.SEL names for PMXEV*: 0..N-1, 31 (cycle), or -1. */
static int pmu_selected(ARMPMUState *s)
{
    unsigned sel = s->selr & 31;

    if (sel < PMU_NUM_COUNTERS || sel == PMU_CYCLE_BIT) {
        return (int)sel;
    }
    return -1;
}

/* The bit mask behind a SET/CLR register pair: both views share one field. */
static uint32_t *pmu_set_clr_field(ARMPMUState *s, int reg)
{
    switch (reg) {
    case PMU_CNTENSET:
    case PMU_CNTENCLR:
        return &s->cnten;
    case PMU_INTENSET:
    case PMU_INTENCLR:
        return &s->inten;
    default:
        return &s->ovs;
    }
}

static uint64_t pmu_pmcr_value(CPUARMState *env)
{
    uint32_t imp = (uint32_t)(env->id.midr >> 24) & 0xff;

    return (uint64_t)env->pmu->pmcr | ((uint64_t)PMU_NUM_COUNTERS << PMCR_N_SHIFT) |
           ((uint64_t)imp << PMCR_IMP_SHIFT);
}

uint64_t arm_pmu_read(CPUARMState *env, uint32_t key, uintptr_t ra)
{
    PMURegInfo scratch;
    unsigned n;
    const PMURegInfo *ri = pmu_check(env, key, true, &scratch, &n, ra);
    ARMPMUState *s = env->pmu;
    uint64_t v = 0;
    bool had_bql = pmu_lock();
    int sel;

    pmu_sync(env);
    switch (ri->reg) {
    case PMU_PMCR:
        v = pmu_pmcr_value(env);
        break;
    case PMU_CNTENSET:
    case PMU_CNTENCLR:
    case PMU_INTENSET:
    case PMU_INTENCLR:
    case PMU_OVSSET:
    case PMU_OVSCLR:
        v = *pmu_set_clr_field(s, ri->reg);
        break;
    case PMU_SELR:
        v = s->selr;
        break;
    case PMU_CEID0:
        v = PMCEID0_VALUE;
        break;
    case PMU_CEID1:
        v = 0;
        break;
    case PMU_CCNTR:
        v = s->ccnt;
        break;
    case PMU_CCFILTR:
        v = s->ccfiltr;
        break;
    case PMU_USERENR:
        v = s->userenr;
        break;
    case PMU_EVCNTR:
        v = s->evcnt[n];
        break;
    case PMU_EVTYPER:
        v = s->evtyper[n];
        break;
    case PMU_XEVTYPER:
        sel = pmu_selected(s);
        v = sel == PMU_CYCLE_BIT ? s->ccfiltr : sel >= 0 ? s->evtyper[sel] : 0;
        break;
    case PMU_XEVCNTR:
        sel = pmu_selected(s);
        /* SEL = 31 and unimplemented counters: CONSTRAINED UNPREDICTABLE, RAZ. */
        v = sel >= 0 && sel != PMU_CYCLE_BIT ? s->evcnt[sel] : 0;
        break;
    default:
        break;
    }
    /* A read may be the first to notice an overflow the timer has not seen yet. */
    pmu_update(env);
    pmu_unlock(had_bql);
    arm_check_self_interrupt(env);
    return v;
}

/* PMSWINC_EL0: one SW_INCR event for each counter in mask counting it here. */
static void pmu_swinc(CPUARMState *env, uint32_t mask)
{
    ARMPMUState *s = env->pmu;
    unsigned el = arm_current_el(env);

    for (unsigned i = 0; i < PMU_NUM_COUNTERS; i++) {
        if ((mask & (1u << i)) && pmu_counter_enabled(s, i) &&
            (s->evtyper[i] & EVTYPER_EVENT) == EV_SW_INCR &&
            pmu_filter_counts(s->evtyper[i], el)) {
            pmu_evcnt_add(s, i, 1);
        }
    }
}

static void pmu_write_evtyper(ARMPMUState *s, unsigned i, uint64_t val)
{
    s->evtyper[i] = (uint32_t)val & EVTYPER_WMASK;
}

void arm_pmu_write(CPUARMState *env, uint32_t key, uint64_t val, uintptr_t ra)
{
    PMURegInfo scratch;
    unsigned n;
    const PMURegInfo *ri = pmu_check(env, key, false, &scratch, &n, ra);
    ARMPMUState *s = env->pmu;
    uint32_t mask = (uint32_t)val & PMU_CNT_MASK;
    bool had_bql = pmu_lock();
    int sel;

    /* Account the time so far under the old configuration. */
    pmu_sync(env);
    switch (ri->reg) {
    case PMU_PMCR:
        if (val & PMCR_C) {
            s->ccnt = 0;
            s->cc_frac = 0;
        }
        if (val & PMCR_P) {
            memset(s->evcnt, 0, sizeof(s->evcnt));
        }
        s->pmcr = (uint32_t)val & PMCR_WMASK;
        break;
    case PMU_CNTENSET:
    case PMU_INTENSET:
    case PMU_OVSSET:
        *pmu_set_clr_field(s, ri->reg) |= mask;
        break;
    case PMU_CNTENCLR:
    case PMU_INTENCLR:
    case PMU_OVSCLR:
        *pmu_set_clr_field(s, ri->reg) &= ~mask;
        break;
    case PMU_SWINC:
        pmu_swinc(env, mask);
        break;
    case PMU_SELR:
        s->selr = (uint32_t)val & 31;
        break;
    case PMU_CCNTR:
        s->ccnt = val;
        break;
    case PMU_CCFILTR:
        s->ccfiltr = (uint32_t)val & CCFILTR_WMASK;
        break;
    case PMU_USERENR:
        s->userenr = (uint32_t)val & USERENR_MASK;
        break;
    case PMU_EVCNTR:
        s->evcnt[n] = (uint32_t)val;
        break;
    case PMU_EVTYPER:
        pmu_write_evtyper(s, n, val);
        break;
    case PMU_XEVTYPER:
        sel = pmu_selected(s);
        if (sel == PMU_CYCLE_BIT) {
            s->ccfiltr = (uint32_t)val & CCFILTR_WMASK;
        } else if (sel >= 0) {
            pmu_write_evtyper(s, (unsigned)sel, val);
        } else {
            log_guest_error("arm: PMXEVTYPER_EL0 with PMSELR_EL0.SEL = %u (no such counter)\n",
                            s->selr);
        }
        break;
    case PMU_XEVCNTR:
        sel = pmu_selected(s);
        if (sel >= 0 && sel != PMU_CYCLE_BIT) {
            s->evcnt[sel] = (uint32_t)val;
        } else {
            log_guest_error("arm: PMXEVCNTR_EL0 with PMSELR_EL0.SEL = %u (no event counter)\n",
                            s->selr);
        }
        break;
    default:
        break;
    }
    pmu_update(env);
    pmu_unlock(had_bql);
    arm_check_self_interrupt(env);
}
