/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Arm GICv3 (IHI 0069), device "arm-gicv3": the distributor (GICD, 64 KiB)
 * for SPIs, one redistributor per CPU (GICR: an RD_base and an SGI_base
 * frame of 64 KiB each) for SGIs and PPIs, and the CPU interface, which the
 * CPU reaches through the ICC_* system registers (gicv3_cpuif_read/write).
 *
 * Model choices, those of QEMU's virt without secure=on and of GIC-500:
 *  - one security state: GICD_CTLR.DS reads 1, Group 0 signals FIQ and
 *    Group 1 signals IRQ; IGRPMODR and NSACR are RAZ/WI;
 *  - affinity routing always on (GICD_CTLR.ARE is RAO/WI), so the legacy
 *    GICD_ITARGETSR/SGIR registers are RAZ/WI; no 1-of-N routing
 *    (GICD_TYPER.No1N, IROUTER.IRM is RAZ/WI);
 *  - 5 priority bits (ICC_CTLR_EL1.PRIbits = 4), so only ICC_AP{0,1}R0 hold
 *    state, one bit per group-priority level;
 *  - no LPIs, no ITS, no message-based SPIs.
 *
 * The pending state of a level-sensitive interrupt is its input level OR a
 * latch set by ISPENDR (cleared by ICPENDR and by acknowledging); for an
 * edge-triggered one only the latch, set by a rising edge. After every
 * change the highest-priority pending interrupt of each CPU is recomputed
 * and the CPU's IRQ/FIQ outputs follow it.
 */
#include <inttypes.h>
#include <string.h>

#include "gic-word.h"
#include "hw/intc/arm_gic.h"
#include "system/memory.h"
#include "util/error.h"
#include "util/log.h"

#define GICV3_DEFAULT_IRQS  288
#define GICV3_MAX_CPUS      512

/* Distributor registers. */
enum {
    GICD_CTLR = 0x0000,
    GICD_TYPER = 0x0004,
    GICD_IIDR = 0x0008,
    GICD_TYPER2 = 0x000c,
    GICD_STATUSR = 0x0010,
    GICD_IGROUPR = 0x0080,
    GICD_ISENABLER = 0x0100,
    GICD_ICENABLER = 0x0180,
    GICD_ISPENDR = 0x0200,
    GICD_ICPENDR = 0x0280,
    GICD_ISACTIVER = 0x0300,
    GICD_ICACTIVER = 0x0380,
    GICD_IPRIORITYR = 0x0400,
    GICD_ITARGETSR = 0x0800,
    GICD_ICFGR = 0x0c00,
    GICD_IGRPMODR = 0x0d00,
    GICD_NSACR = 0x0e00,
    GICD_SGIR = 0x0f00,
    GICD_CPENDSGIR = 0x0f10,
    GICD_SPENDSGIR = 0x0f20,
    GICD_IROUTER = 0x6000,
    GICD_IDREGS = 0xffd0,
};

/* Redistributor, RD_base frame. */
enum {
    GICR_CTLR = 0x0000,
    GICR_IIDR = 0x0004,
    GICR_TYPER = 0x0008,
    GICR_STATUSR = 0x0010,
    GICR_WAKER = 0x0014,
    GICR_PROPBASER = 0x0070,
    GICR_PENDBASER = 0x0078,
    GICR_IDREGS = 0xffd0,
};

/* Redistributor, SGI_base frame (offsets within the frame). */
enum {
    GICR_IGROUPR0 = 0x0080,
    GICR_ISENABLER0 = 0x0100,
    GICR_ICENABLER0 = 0x0180,
    GICR_ISPENDR0 = 0x0200,
    GICR_ICPENDR0 = 0x0280,
    GICR_ISACTIVER0 = 0x0300,
    GICR_ICACTIVER0 = 0x0380,
    GICR_IPRIORITYR = 0x0400,
    GICR_ICFGR0 = 0x0c00,
    GICR_ICFGR1 = 0x0c04,
    GICR_IGRPMODR0 = 0x0d00,
    GICR_NSACR = 0x0e00,
};

#define GICD_CTLR_EN_GRP0   (1u << 0)
#define GICD_CTLR_EN_GRP1   (1u << 1)
#define GICD_CTLR_ARE       (1u << 4)
#define GICD_CTLR_DS        (1u << 6)

#define GICR_WAKER_PSLEEP   (1u << 1)
#define GICR_WAKER_CASLEEP  (1u << 2)

#define ICC_CTLR_CBPR       (1u << 0)
#define ICC_CTLR_EOIMODE    (1u << 1)
#define ICC_CTLR_PMHE       (1u << 6)
#define ICC_CTLR_PRIBITS    (4u << 8)   /* 5 bits of priority */
#define ICC_CTLR_A3V        (1u << 15)

#define GIC_MIN_BPR0        2           /* 7 - (PRIbits + 1) */
#define GIC_IIDR            0x0000043bu /* implementer Arm */

#define IROUTER_AFF_MASK    0xff00ffffffull

/* ID registers from PIDR4 at 0xffd0 to CIDR3 at 0xfffc; [4] is PIDR0. */
static const uint8_t gicd_ids[12] = {
    0x44, 0x00, 0x00, 0x00, 0x92, 0xb4, 0x3b, 0x00, 0x0d, 0xf0, 0x05, 0xb1
};
static const uint8_t gicr_ids[12] = {
    0x44, 0x00, 0x00, 0x00, 0x93, 0xb4, 0x3b, 0x00, 0x0d, 0xf0, 0x05, 0xb1
};

/* One bitmap word of state: 32 interrupts. */
typedef struct GICv3CPU {
    GICv3State *gic;
    int index;
    uint64_t affinity;          /* Aff3 << 32 | Aff2 << 16 | Aff1 << 8 | Aff0 */
    bool last;                  /* last frame of its region: GICR_TYPER.Last */
    /* redistributor: SGIs and PPIs */
    GicWord priv;
    uint8_t prio[GIC_INTERNAL];
    uint32_t waker;
    /* CPU interface */
    uint32_t pmr, ctlr;
    uint32_t bpr[2], igrpen[2], apr[2];
    /* highest-priority pending interrupt, recomputed by gicv3_update */
    int hppi;                   /* GIC_SPURIOUS: none */
    int hppi_prio, hppi_group;
    int irq_level, fiq_level;
} GICv3CPU;

typedef struct GICv3Region {
    GICv3State *gic;
    MemoryRegion mr;
    uint32_t first, count;      /* CPUs of this region */
} GICv3Region;

struct GICv3State {
    ArmGicCommon c;
    GICv3Config cfg;            /* a copy; cpu_affinity not kept */
    MemoryRegion dist_mr;
    GICv3Region redist[GICV3_MAX_REDIST_REGIONS];
    int nredist;
    uint32_t ctlr;              /* GICD_CTLR enable bits */
    GicWord *spi;               /* [num_irq / 32]; word 0 unused */
    uint8_t *prio;              /* [num_irq] */
    uint64_t *irouter;          /* [num_irq] */
    int *target;                /* [num_irq]: CPU from IROUTER, -1 none */
    GICv3CPU *cpu;              /* [num_cpu] */
};

static inline uint32_t word_pending(const GicWord *w)
{
    return w->pending | (w->level & ~w->edge);
}

/* Bits of w whose group the distributor forwards. */
static inline uint32_t word_group_enabled(const GICv3State *s, const GicWord *w)
{
    return ((s->ctlr & GICD_CTLR_EN_GRP1) ? w->group : 0) |
           ((s->ctlr & GICD_CTLR_EN_GRP0) ? ~w->group : 0);
}

static inline uint32_t word_candidates(const GICv3State *s, const GicWord *w)
{
    return word_pending(w) & w->enabled & ~w->active & word_group_enabled(s, w);
}

/* ---- CPU interface logic ---- */

/* Mask selecting the group priority of a group's interrupts (BPR). */
static uint32_t icc_gprio_mask(const GICv3CPU *cs, int group)
{
    int bpr;

    if (group == 0 || (cs->ctlr & ICC_CTLR_CBPR)) {
        bpr = cs->bpr[0];
    } else {
        bpr = cs->bpr[1] - 1;
    }
    return (0xffu << (bpr + 1)) & 0xff;
}

/* The running priority: the highest active group priority, or 0xff. */
static int icc_running_prio(const GICv3CPU *cs)
{
    uint32_t ap = cs->apr[0] | cs->apr[1];

    return ap ? (__builtin_ctz(ap) << 3) : 0xff;
}

static void gicv3_update_cpu(GICv3State *s, GICv3CPU *cs)
{
    int best = GIC_SPURIOUS, best_prio = 0x100, best_group = 0;
    uint32_t bits = word_candidates(s, &cs->priv);
    int irq_level = 0, fiq_level = 0;

    while (bits) {
        int i = __builtin_ctz(bits);

        bits &= bits - 1;
        if (cs->prio[i] < best_prio) {
            best = i;
            best_prio = cs->prio[i];
            best_group = (cs->priv.group >> i) & 1;
        }
    }
    for (uint32_t w = 1; w < s->c.num_irq / 32; w++) {
        bits = word_candidates(s, &s->spi[w]);
        while (bits) {
            int irq = w * 32 + __builtin_ctz(bits);

            bits &= bits - 1;
            if (s->target[irq] == cs->index && s->prio[irq] < best_prio) {
                best = irq;
                best_prio = s->prio[irq];
                best_group = (s->spi[w].group >> (irq & 31)) & 1;
            }
        }
    }
    cs->hppi = best;
    cs->hppi_prio = best_prio;
    cs->hppi_group = best_group;

    if (best != GIC_SPURIOUS && cs->igrpen[best_group] && best_prio < (int)cs->pmr &&
        (int)(best_prio & icc_gprio_mask(cs, best_group)) < icc_running_prio(cs)) {
        if (best_group) {
            irq_level = 1;
        } else {
            fiq_level = 1;
        }
    }
    if (irq_level != cs->irq_level) {
        cs->irq_level = irq_level;
        irq_set(s->c.irq_out[cs->index], irq_level);
    }
    if (fiq_level != cs->fiq_level) {
        cs->fiq_level = fiq_level;
        irq_set(s->c.fiq_out[cs->index], fiq_level);
    }
}

static void gicv3_update(GICv3State *s)
{
    for (uint32_t i = 0; i < s->c.num_cpu; i++) {
        gicv3_update_cpu(s, &s->cpu[i]);
    }
}

/* Word and bit of intid as seen by cpu (private interrupts are banked). */
static GicWord *gicv3_word(GICv3State *s, GICv3CPU *cs, int intid)
{
    return intid < GIC_INTERNAL ? &cs->priv : &s->spi[intid / 32];
}

static uint64_t icc_acknowledge(GICv3State *s, GICv3CPU *cs, int group)
{
    int irq = cs->hppi, prio = cs->hppi_prio;
    GicWord *w;

    if (irq == GIC_SPURIOUS || cs->hppi_group != group || !cs->igrpen[group] ||
        prio >= (int)cs->pmr ||
        (int)(prio & icc_gprio_mask(cs, group)) >= icc_running_prio(cs)) {
        return GIC_SPURIOUS;
    }
    w = gicv3_word(s, cs, irq);
    w->active |= 1u << (irq & 31);
    w->pending &= ~(1u << (irq & 31));
    cs->apr[group] |= 1u << ((prio & icc_gprio_mask(cs, group)) >> 3);
    if (log_enabled(LOG_INT)) {
        log_printf("gicv3: cpu %d acknowledges INTID %d (group %d, priority 0x%02x)\n",
                   cs->index, irq, group, prio);
    }
    gicv3_update(s);
    return irq;
}

static void icc_deactivate(GICv3State *s, GICv3CPU *cs, int irq)
{
    if (irq >= (int)s->c.num_irq) {
        log_guest_error("gicv3: cpu %d deactivates INTID %d beyond the %u implemented\n",
                        cs->index, irq, s->c.num_irq);
        return;
    }
    gicv3_word(s, cs, irq)->active &= ~(1u << (irq & 31));
}

static void icc_eoi(GICv3State *s, GICv3CPU *cs, int group, uint64_t value)
{
    int irq = value & 0xffffff;
    uint32_t ap = cs->apr[0] | cs->apr[1];

    if (irq >= GIC_MAX_IRQ) {
        return;     /* EOI of a special INTID is ignored */
    }
    if (!ap) {
        log_guest_error("gicv3: cpu %d writes EOI for INTID %d with no active priority\n",
                        cs->index, irq);
    } else {
        uint32_t low = ap & -ap;

        /* Priority drop: the highest active priority, whichever group holds it. */
        if (cs->apr[0] & low) {
            cs->apr[0] &= ~low;
        } else {
            cs->apr[1] &= ~low;
        }
    }
    if (!(cs->ctlr & ICC_CTLR_EOIMODE)) {
        icc_deactivate(s, cs, irq);
    }
    gicv3_update(s);
}

/* ICC_SGI0R/SGI1R: set SGI pending on every target whose SGI is in group. */
static void icc_generate_sgi(GICv3State *s, GICv3CPU *cs, uint64_t value, int group)
{
    int sgi = (value >> 24) & 0xf;
    bool irm = (value >> 40) & 1;
    uint64_t aff = ((value >> 48) & 0xff) << 32 | ((value >> 32) & 0xff) << 16 |
                   ((value >> 16) & 0xff) << 8;
    uint32_t rs = (value >> 44) & 0xf;
    uint32_t targets = value & 0xffff;

    for (uint32_t i = 0; i < s->c.num_cpu; i++) {
        GICv3CPU *t = &s->cpu[i];
        uint32_t aff0 = t->affinity & 0xff;

        if (irm) {
            if (t == cs) {
                continue;
            }
        } else if ((t->affinity & ~0xffull) != aff || aff0 / 16 != rs ||
                   !(targets & (1u << (aff0 % 16)))) {
            continue;
        }
        if ((int)((t->priv.group >> sgi) & 1) == group) {
            t->priv.pending |= 1u << sgi;
        }
    }
    gicv3_update(s);
}

/* ---- the CPU interface API ---- */

static const struct {
    uint8_t crn, crm, op2;
    const char *name;
    bool rd, wr;
} icc_regs[ICC__COUNT] = {
    [ICC_PMR_EL1]     = { 4, 6, 0, "ICC_PMR_EL1", true, true },
    [ICC_IAR0_EL1]    = { 12, 8, 0, "ICC_IAR0_EL1", true, false },
    [ICC_EOIR0_EL1]   = { 12, 8, 1, "ICC_EOIR0_EL1", false, true },
    [ICC_HPPIR0_EL1]  = { 12, 8, 2, "ICC_HPPIR0_EL1", true, false },
    [ICC_BPR0_EL1]    = { 12, 8, 3, "ICC_BPR0_EL1", true, true },
    [ICC_AP0R0_EL1]   = { 12, 8, 4, "ICC_AP0R0_EL1", true, true },
    [ICC_AP0R1_EL1]   = { 12, 8, 5, "ICC_AP0R1_EL1", true, true },
    [ICC_AP0R2_EL1]   = { 12, 8, 6, "ICC_AP0R2_EL1", true, true },
    [ICC_AP0R3_EL1]   = { 12, 8, 7, "ICC_AP0R3_EL1", true, true },
    [ICC_AP1R0_EL1]   = { 12, 9, 0, "ICC_AP1R0_EL1", true, true },
    [ICC_AP1R1_EL1]   = { 12, 9, 1, "ICC_AP1R1_EL1", true, true },
    [ICC_AP1R2_EL1]   = { 12, 9, 2, "ICC_AP1R2_EL1", true, true },
    [ICC_AP1R3_EL1]   = { 12, 9, 3, "ICC_AP1R3_EL1", true, true },
    [ICC_DIR_EL1]     = { 12, 11, 1, "ICC_DIR_EL1", false, true },
    [ICC_RPR_EL1]     = { 12, 11, 3, "ICC_RPR_EL1", true, false },
    [ICC_SGI1R_EL1]   = { 12, 11, 5, "ICC_SGI1R_EL1", false, true },
    [ICC_ASGI1R_EL1]  = { 12, 11, 6, "ICC_ASGI1R_EL1", false, true },
    [ICC_SGI0R_EL1]   = { 12, 11, 7, "ICC_SGI0R_EL1", false, true },
    [ICC_IAR1_EL1]    = { 12, 12, 0, "ICC_IAR1_EL1", true, false },
    [ICC_EOIR1_EL1]   = { 12, 12, 1, "ICC_EOIR1_EL1", false, true },
    [ICC_HPPIR1_EL1]  = { 12, 12, 2, "ICC_HPPIR1_EL1", true, false },
    [ICC_BPR1_EL1]    = { 12, 12, 3, "ICC_BPR1_EL1", true, true },
    [ICC_CTLR_EL1]    = { 12, 12, 4, "ICC_CTLR_EL1", true, true },
    [ICC_SRE_EL1]     = { 12, 12, 5, "ICC_SRE_EL1", true, true },
    [ICC_IGRPEN0_EL1] = { 12, 12, 6, "ICC_IGRPEN0_EL1", true, true },
    [ICC_IGRPEN1_EL1] = { 12, 12, 7, "ICC_IGRPEN1_EL1", true, true },
};

bool gicv3_cpuif_reg_decode(int op0, int op1, int crn, int crm, int op2, GICv3CpuReg *reg)
{
    if (op0 != 3 || op1 != 0) {
        return false;
    }
    for (int i = 0; i < ICC__COUNT; i++) {
        if (icc_regs[i].crn == crn && icc_regs[i].crm == crm && icc_regs[i].op2 == op2) {
            *reg = i;
            return true;
        }
    }
    return false;
}

const char *gicv3_cpuif_reg_name(GICv3CpuReg reg)
{
    return reg < ICC__COUNT ? icc_regs[reg].name : "ICC_?";
}

bool gicv3_cpuif_reg_readable(GICv3CpuReg reg)
{
    return reg < ICC__COUNT && icc_regs[reg].rd;
}

bool gicv3_cpuif_reg_writable(GICv3CpuReg reg)
{
    return reg < ICC__COUNT && icc_regs[reg].wr;
}

static GICv3CPU *gicv3_cpu(GICv3State *s, int cpu)
{
    g_assert(cpu >= 0 && cpu < (int)s->c.num_cpu);
    return &s->cpu[cpu];
}

uint64_t gicv3_cpuif_read(GICv3State *s, int cpu, GICv3CpuReg reg)
{
    GICv3CPU *cs = gicv3_cpu(s, cpu);

    switch (reg) {
    case ICC_PMR_EL1:
        return cs->pmr;
    case ICC_IAR0_EL1:
        return icc_acknowledge(s, cs, 0);
    case ICC_IAR1_EL1:
        return icc_acknowledge(s, cs, 1);
    case ICC_HPPIR0_EL1:
        return cs->hppi != GIC_SPURIOUS && cs->hppi_group == 0 ? cs->hppi : GIC_SPURIOUS;
    case ICC_HPPIR1_EL1:
        return cs->hppi != GIC_SPURIOUS && cs->hppi_group == 1 ? cs->hppi : GIC_SPURIOUS;
    case ICC_BPR0_EL1:
        return cs->bpr[0];
    case ICC_BPR1_EL1:
        return (cs->ctlr & ICC_CTLR_CBPR) ? MIN(cs->bpr[0] + 1, 7) : cs->bpr[1];
    case ICC_AP0R0_EL1:
        return cs->apr[0];
    case ICC_AP1R0_EL1:
        return cs->apr[1];
    case ICC_AP0R1_EL1:
    case ICC_AP0R2_EL1:
    case ICC_AP0R3_EL1:
    case ICC_AP1R1_EL1:
    case ICC_AP1R2_EL1:
    case ICC_AP1R3_EL1:
        return 0;   /* only 32 group-priority levels: R0 holds them all */
    case ICC_RPR_EL1:
        return icc_running_prio(cs);
    case ICC_CTLR_EL1:
        return cs->ctlr | ICC_CTLR_PRIBITS | ICC_CTLR_A3V;
    case ICC_SRE_EL1:
        return 0x7;     /* SRE, DFB and DIB: the system-register interface only */
    case ICC_IGRPEN0_EL1:
        return cs->igrpen[0];
    case ICC_IGRPEN1_EL1:
        return cs->igrpen[1];
    case ICC_EOIR0_EL1:
    case ICC_EOIR1_EL1:
    case ICC_DIR_EL1:
    case ICC_SGI0R_EL1:
    case ICC_SGI1R_EL1:
    case ICC_ASGI1R_EL1:
    case ICC__COUNT:
        break;
    }
    log_guest_error("gicv3: cpu %d reads write-only %s\n", cpu, gicv3_cpuif_reg_name(reg));
    return 0;
}

void gicv3_cpuif_write(GICv3State *s, int cpu, GICv3CpuReg reg, uint64_t value)
{
    GICv3CPU *cs = gicv3_cpu(s, cpu);

    switch (reg) {
    case ICC_PMR_EL1:
        cs->pmr = value & GIC_PRIO_MASK;
        break;
    case ICC_EOIR0_EL1:
        icc_eoi(s, cs, 0, value);
        return;
    case ICC_EOIR1_EL1:
        icc_eoi(s, cs, 1, value);
        return;
    case ICC_DIR_EL1:
        if ((value & 0xffffff) < GIC_MAX_IRQ) {
            icc_deactivate(s, cs, value & 0xffffff);
        }
        break;
    case ICC_BPR0_EL1:
        cs->bpr[0] = MAX(value & 7, (uint64_t)GIC_MIN_BPR0);
        break;
    case ICC_BPR1_EL1:
        if (!(cs->ctlr & ICC_CTLR_CBPR)) {
            cs->bpr[1] = MAX(value & 7, (uint64_t)GIC_MIN_BPR0 + 1);
        }
        break;
    case ICC_AP0R0_EL1:
        cs->apr[0] = value;
        break;
    case ICC_AP1R0_EL1:
        cs->apr[1] = value;
        break;
    case ICC_AP0R1_EL1:
    case ICC_AP0R2_EL1:
    case ICC_AP0R3_EL1:
    case ICC_AP1R1_EL1:
    case ICC_AP1R2_EL1:
    case ICC_AP1R3_EL1:
        return;
    case ICC_SGI0R_EL1:
        icc_generate_sgi(s, cs, value, 0);
        return;
    case ICC_SGI1R_EL1:
        icc_generate_sgi(s, cs, value, 1);
        return;
    case ICC_ASGI1R_EL1:
        /* With one security state there is no "other" group to target. */
        log_mask(LOG_UNIMP, "gicv3: ICC_ASGI1R_EL1 is ignored (one security state)\n");
        return;
    case ICC_CTLR_EL1:
        cs->ctlr = value & (ICC_CTLR_CBPR | ICC_CTLR_EOIMODE | ICC_CTLR_PMHE);
        break;
    case ICC_SRE_EL1:
        return;     /* SRE is RAO/WI: there is no memory-mapped CPU interface */
    case ICC_IGRPEN0_EL1:
        cs->igrpen[0] = value & 1;
        break;
    case ICC_IGRPEN1_EL1:
        cs->igrpen[1] = value & 1;
        break;
    case ICC_IAR0_EL1:
    case ICC_IAR1_EL1:
    case ICC_HPPIR0_EL1:
    case ICC_HPPIR1_EL1:
    case ICC_RPR_EL1:
    case ICC__COUNT:
        log_guest_error("gicv3: cpu %d writes read-only %s\n", cpu,
                        gicv3_cpuif_reg_name(reg));
        return;
    }
    gicv3_update(s);
}

/* ---- shared register helpers ---- */

typedef enum { BITREG_SET, BITREG_CLEAR } BitRegOp;

/* Read one of the set/clear bitmap register pairs of a word. */
static uint32_t bitreg_read(const GicWord *w, uint32_t off)
{
    switch (off & ~0x7fu) {
    case GICD_IGROUPR:
        return w->group;
    case GICD_ISENABLER:
    case GICD_ICENABLER:
        return w->enabled;
    case GICD_ISPENDR:
    case GICD_ICPENDR:
        return word_pending(w);
    case GICD_ISACTIVER:
    case GICD_ICACTIVER:
        return w->active;
    }
    return 0;
}

/* The GICD and SGI_base frame share offsets for these registers. */
static void bitreg_write(GicWord *w, uint32_t off, uint32_t v, uint32_t valid)
{
    v &= valid;
    switch (off & ~0x7fu) {
    case GICD_IGROUPR:
        w->group = (w->group & ~valid) | v;
        break;
    case GICD_ISENABLER:
        w->enabled |= v;
        break;
    case GICD_ICENABLER:
        w->enabled &= ~v;
        break;
    case GICD_ISPENDR:
        w->pending |= v;
        break;
    case GICD_ICPENDR:
        w->pending &= ~v;
        break;
    case GICD_ISACTIVER:
        w->active |= v;
        break;
    case GICD_ICACTIVER:
        w->active &= ~v;
        break;
    }
}

static uint32_t idreg_read(const uint8_t *ids, uint32_t off)
{
    return ids[(off - GICD_IDREGS) / 4];
}

static void gicv3_route_spi(GICv3State *s, int irq)
{
    /* IROUTER and MPIDR share the layout of the affinity fields. */
    uint64_t aff = s->irouter[irq] & IROUTER_AFF_MASK;

    s->target[irq] = -1;
    for (uint32_t i = 0; i < s->c.num_cpu; i++) {
        if (s->cpu[i].affinity == aff) {
            s->target[irq] = i;
            break;
        }
    }
}

/* ---- distributor ---- */

static uint32_t gicd_typer(const GICv3State *s)
{
    return (s->c.num_irq / 32 - 1) |           /* ITLinesNumber */
           (MIN(s->c.num_cpu - 1, 7u) << 5) |   /* CPUNumber */
           (9u << 19) |                         /* IDbits: 10-bit INTIDs */
           (1u << 24) |                         /* A3V */
           (1u << 25);                          /* No1N */
}

static uint32_t gicd_read32(GICv3State *s, uint32_t off)
{
    uint32_t n = (off & 0x7f) / 4;

    switch (off) {
    case GICD_CTLR:
        return s->ctlr | GICD_CTLR_ARE | GICD_CTLR_DS;
    case GICD_TYPER:
        return gicd_typer(s);
    case GICD_IIDR:
        return GIC_IIDR;
    case GICD_TYPER2:
    case GICD_STATUSR:
        return 0;
    }
    if (off >= GICD_IGROUPR && off < GICD_IPRIORITYR) {
        /* Word 0 (SGIs and PPIs) lives in the redistributors. */
        return n && n < s->c.num_irq / 32 ? bitreg_read(&s->spi[n], off) : 0;
    }
    if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100) {
        n = (off - GICD_ICFGR) / 4;
        return n >= 2 && n / 2 < s->c.num_irq / 32 ? gic_icfgr_read(&s->spi[n / 2], n & 1) : 0;
    }
    if (off >= GICD_IDREGS) {
        return idreg_read(gicd_ids, off);
    }
    /* ITARGETSR, IGRPMODR, NSACR, SGIR, C/SPENDSGIR: RAZ with ARE and DS. */
    if (!(off >= GICD_ITARGETSR && off < GICD_ICFGR) &&
        !(off >= GICD_IGRPMODR && off < GICD_SPENDSGIR + 0x10)) {
        log_guest_error("gicv3: read of unknown GICD offset 0x%04x\n", off);
    }
    return 0;
}

static void gicd_write32(GICv3State *s, uint32_t off, uint32_t v)
{
    uint32_t n = (off & 0x7f) / 4;

    if (off == GICD_CTLR) {
        s->ctlr = v & (GICD_CTLR_EN_GRP0 | GICD_CTLR_EN_GRP1);
    } else if (off >= GICD_IGROUPR && off < GICD_IPRIORITYR) {
        if (n && n < s->c.num_irq / 32) {
            bitreg_write(&s->spi[n], off, v, ~0u);
        }
    } else if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100) {
        n = (off - GICD_ICFGR) / 4;
        if (n >= 2 && n / 2 < s->c.num_irq / 32) {
            gic_icfgr_write(&s->spi[n / 2], n & 1, v);
        }
    } else if ((off >= GICD_ITARGETSR && off < GICD_ICFGR) ||
               (off >= GICD_IGRPMODR && off < GICD_SPENDSGIR + 0x10)) {
        /* WI with affinity routing and a single security state. */
    } else {
        log_guest_error("gicv3: write of 0x%x to %s GICD offset 0x%04x\n", v,
                        off >= GICD_IDREGS || (off > GICD_CTLR && off <= GICD_STATUSR) ?
                        "read-only" : "unknown", off);
        return;
    }
    gicv3_update(s);
}

static uint64_t gicd_read(void *opaque, uint64_t addr, unsigned size)
{
    GICv3State *s = opaque;
    uint32_t off = addr;

    if (off >= GICD_IPRIORITYR && off < GICD_ITARGETSR) {
        uint64_t v = 0;

        for (unsigned i = 0; i < size; i++) {
            uint32_t irq = off - GICD_IPRIORITYR + i;

            if (irq >= GIC_INTERNAL && irq < s->c.num_irq) {
                v |= (uint64_t)s->prio[irq] << (8 * i);
            }
        }
        return v;
    }
    if (off >= GICD_IROUTER + 8 * GIC_INTERNAL && off < GICD_IROUTER + 8 * GIC_MAX_IRQ) {
        uint32_t irq = (off - GICD_IROUTER) / 8;
        uint64_t v = irq < s->c.num_irq ? s->irouter[irq] : 0;

        v >>= 8 * (off & 7);
        return size == 8 ? v : v & ((1ull << (8 * size)) - 1);
    }
    if (size == 8) {
        return gicd_read32(s, off) | (uint64_t)gicd_read32(s, off + 4) << 32;
    }
    if (size != 4 || (off & 3)) {
        log_guest_error("gicv3: %u-byte read of GICD offset 0x%04x\n", size, off);
        return 0;
    }
    return gicd_read32(s, off);
}

static void gicd_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    GICv3State *s = opaque;
    uint32_t off = addr;

    if (off >= GICD_IPRIORITYR && off < GICD_ITARGETSR) {
        for (unsigned i = 0; i < size; i++) {
            uint32_t irq = off - GICD_IPRIORITYR + i;

            if (irq >= GIC_INTERNAL && irq < s->c.num_irq) {
                s->prio[irq] = (val >> (8 * i)) & GIC_PRIO_MASK;
            }
        }
        gicv3_update(s);
        return;
    }
    if (off >= GICD_IROUTER + 8 * GIC_INTERNAL && off < GICD_IROUTER + 8 * GIC_MAX_IRQ) {
        uint32_t irq = (off - GICD_IROUTER) / 8;
        unsigned shift = 8 * (off & 7);
        uint64_t mask = (size == 8 ? ~0ull : (1ull << (8 * size)) - 1) << shift;

        if (irq < s->c.num_irq) {
            s->irouter[irq] = ((s->irouter[irq] & ~mask) | ((val << shift) & mask)) &
                              IROUTER_AFF_MASK;
            gicv3_route_spi(s, irq);
            gicv3_update(s);
        }
        return;
    }
    if (size == 8) {
        gicd_write32(s, off, val);
        gicd_write32(s, off + 4, val >> 32);
        return;
    }
    if (size != 4 || (off & 3)) {
        log_guest_error("gicv3: %u-byte write to GICD offset 0x%04x\n", size, off);
        return;
    }
    gicd_write32(s, off, val);
}

static const MemoryRegionOps gicd_ops = {
    .read = gicd_read,
    .write = gicd_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 8 },
};

/* ---- redistributors ---- */

static uint64_t gicr_typer(const GICv3CPU *cs)
{
    uint64_t aff = cs->affinity;

    /* TYPER[63:32] is Aff3.Aff2.Aff1.Aff0. */
    aff = ((aff >> 32) & 0xff) << 24 | (aff & 0xffffff);
    return aff << 32 | (uint64_t)cs->index << 8 | (cs->last ? 1u << 4 : 0);
}

static uint32_t gicr_read32(GICv3State *s, GICv3CPU *cs, uint32_t off)
{
    if (off < 0x10000) {
        switch (off) {
        case GICR_CTLR:
        case GICR_STATUSR:
            return 0;
        case GICR_IIDR:
            return GIC_IIDR;
        case GICR_TYPER:
            return gicr_typer(cs);
        case GICR_TYPER + 4:
            return gicr_typer(cs) >> 32;
        case GICR_WAKER:
            return cs->waker | ((cs->waker & GICR_WAKER_PSLEEP) ? GICR_WAKER_CASLEEP : 0);
        case GICR_PROPBASER:
        case GICR_PROPBASER + 4:
        case GICR_PENDBASER:
        case GICR_PENDBASER + 4:
            return 0;   /* no LPIs */
        }
        if (off >= GICR_IDREGS) {
            return idreg_read(gicr_ids, off);
        }
    } else {
        off -= 0x10000;
        switch (off) {
        case GICR_IGROUPR0:
        case GICR_ISENABLER0:
        case GICR_ICENABLER0:
        case GICR_ISPENDR0:
        case GICR_ICPENDR0:
        case GICR_ISACTIVER0:
        case GICR_ICACTIVER0:
            return bitreg_read(&cs->priv, off);
        case GICR_ICFGR0:
            return gic_icfgr_read(&cs->priv, 0);
        case GICR_ICFGR1:
            return gic_icfgr_read(&cs->priv, 1);
        case GICR_IGRPMODR0:
        case GICR_NSACR:
            return 0;
        }
    }
    log_guest_error("gicv3: read of unknown GICR offset 0x%05x (cpu %d)\n", off, cs->index);
    return 0;
}

static void gicr_write32(GICv3State *s, GICv3CPU *cs, uint32_t off, uint32_t v)
{
    if (off < 0x10000) {
        switch (off) {
        case GICR_CTLR:
            return;     /* EnableLPIs is RES0 without LPIs */
        case GICR_WAKER:
            cs->waker = v & GICR_WAKER_PSLEEP;
            return;
        case GICR_PROPBASER:
        case GICR_PROPBASER + 4:
        case GICR_PENDBASER:
        case GICR_PENDBASER + 4:
            return;
        }
    } else {
        uint32_t sgi_off = off - 0x10000;

        switch (sgi_off) {
        case GICR_IGROUPR0:
        case GICR_ISENABLER0:
        case GICR_ICENABLER0:
        case GICR_ISPENDR0:
        case GICR_ICPENDR0:
        case GICR_ISACTIVER0:
        case GICR_ICACTIVER0:
            bitreg_write(&cs->priv, sgi_off, v, ~0u);
            gicv3_update(s);
            return;
        case GICR_ICFGR0:
            return;     /* SGIs are always edge-triggered */
        case GICR_ICFGR1:
            gic_icfgr_write(&cs->priv, 1, v);
            gicv3_update(s);
            return;
        case GICR_IGRPMODR0:
        case GICR_NSACR:
            return;
        }
    }
    log_guest_error("gicv3: write of 0x%x to read-only or unknown GICR offset 0x%05x "
                    "(cpu %d)\n", v, off, cs->index);
}

static uint64_t gicr_read(void *opaque, uint64_t addr, unsigned size)
{
    GICv3Region *r = opaque;
    GICv3State *s = r->gic;
    GICv3CPU *cs = &s->cpu[r->first + addr / GICV3_REDIST_SIZE];
    uint32_t off = addr % GICV3_REDIST_SIZE;

    if (off >= 0x10000 + GICR_IPRIORITYR && off < 0x10000 + GICR_IPRIORITYR + GIC_INTERNAL) {
        uint32_t first = off - 0x10000 - GICR_IPRIORITYR;
        uint64_t v = 0;

        for (unsigned i = 0; i < size && first + i < GIC_INTERNAL; i++) {
            v |= (uint64_t)cs->prio[first + i] << (8 * i);
        }
        return v;
    }
    if (size == 8 && !(off & 7)) {
        return gicr_read32(s, cs, off) | (uint64_t)gicr_read32(s, cs, off + 4) << 32;
    }
    if (size != 4 || (off & 3)) {
        log_guest_error("gicv3: %u-byte read of GICR offset 0x%05x\n", size, off);
        return 0;
    }
    return gicr_read32(s, cs, off);
}

static void gicr_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    GICv3Region *r = opaque;
    GICv3State *s = r->gic;
    GICv3CPU *cs = &s->cpu[r->first + addr / GICV3_REDIST_SIZE];
    uint32_t off = addr % GICV3_REDIST_SIZE;

    if (off >= 0x10000 + GICR_IPRIORITYR && off < 0x10000 + GICR_IPRIORITYR + GIC_INTERNAL) {
        uint32_t first = off - 0x10000 - GICR_IPRIORITYR;

        for (unsigned i = 0; i < size && first + i < GIC_INTERNAL; i++) {
            cs->prio[first + i] = (val >> (8 * i)) & GIC_PRIO_MASK;
        }
        gicv3_update(s);
        return;
    }
    if (size == 8 && !(off & 7)) {
        gicr_write32(s, cs, off, val);
        gicr_write32(s, cs, off + 4, val >> 32);
        return;
    }
    if (size != 4 || (off & 3)) {
        log_guest_error("gicv3: %u-byte write to GICR offset 0x%05x\n", size, off);
        return;
    }
    gicr_write32(s, cs, off, val);
}

static const MemoryRegionOps gicr_ops = {
    .read = gicr_read,
    .write = gicr_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 8 },
};

/* ---- input lines ---- */

static void gicv3_set_irq(void *opaque, int n, int level)
{
    GICv3State *s = opaque;
    int nspi = s->c.num_irq - GIC_INTERNAL;
    GicWord *w;
    uint32_t bit;

    if (n < nspi) {
        w = &s->spi[(n + GIC_INTERNAL) / 32];
        bit = 1u << ((n + GIC_INTERNAL) & 31);
    } else {
        int k = n - nspi;

        w = &s->cpu[k / GIC_INTERNAL].priv;
        bit = 1u << (k % GIC_INTERNAL);
    }
    if (level && !(w->level & bit) && (w->edge & bit)) {
        w->pending |= bit;      /* rising edge latches */
    }
    w->level = level ? w->level | bit : w->level & ~bit;
    gicv3_update(s);
}

/* ---- device ---- */

static void gicv3_reset(DeviceState *dev)
{
    GICv3State *s = (GICv3State *)dev;

    s->ctlr = 0;
    for (uint32_t w = 0; w < s->c.num_irq / 32; w++) {
        uint32_t level = s->spi[w].level;

        memset(&s->spi[w], 0, sizeof(GicWord));
        s->spi[w].level = level;
    }
    memset(s->prio, 0, s->c.num_irq);
    for (uint32_t i = 0; i < s->c.num_irq; i++) {
        s->irouter[i] = 0;
        if (i >= GIC_INTERNAL) {
            gicv3_route_spi(s, i);
        }
    }
    for (uint32_t i = 0; i < s->c.num_cpu; i++) {
        GICv3CPU *cs = &s->cpu[i];
        uint32_t level = cs->priv.level;

        memset(&cs->priv, 0, sizeof(cs->priv));
        cs->priv.level = level;
        cs->priv.edge = 0xffff;             /* SGIs */
        memset(cs->prio, 0, sizeof(cs->prio));
        cs->waker = GICR_WAKER_PSLEEP;
        cs->pmr = 0;
        cs->ctlr = 0;
        cs->bpr[0] = GIC_MIN_BPR0;
        cs->bpr[1] = GIC_MIN_BPR0 + 1;
        cs->igrpen[0] = cs->igrpen[1] = 0;
        cs->apr[0] = cs->apr[1] = 0;
    }
    gicv3_update(s);
}

static bool gicv3_realize(DeviceState *dev, GError **errp)
{
    GICv3State *s = (GICv3State *)dev;
    const GICv3Config *cfg = &s->cfg;
    uint32_t first = 0;

    s->c.revision = 3;
    s->c.num_cpu = cfg->num_cpu;
    s->c.num_irq = cfg->num_irq ? cfg->num_irq : GICV3_DEFAULT_IRQS;
    if (!s->c.num_cpu || s->c.num_cpu > GICV3_MAX_CPUS) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "num-cpu %u is out of range (1-%d)", s->c.num_cpu, GICV3_MAX_CPUS);
        return false;
    }
    if (s->c.num_irq < 64 || s->c.num_irq > GIC_MAX_IRQ + 4 || s->c.num_irq % 32) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "num-irq %u must be a multiple of 32 between 64 and 1024", s->c.num_irq);
        return false;
    }
    for (int i = 0; i < GICV3_MAX_REDIST_REGIONS; i++) {
        first += cfg->redist_count[i];
    }
    if (first != s->c.num_cpu) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "the redistributor regions hold %u CPUs, not %u", first, s->c.num_cpu);
        return false;
    }

    s->spi = g_new0(GicWord, s->c.num_irq / 32);
    s->prio = g_new0(uint8_t, s->c.num_irq);
    s->irouter = g_new0(uint64_t, s->c.num_irq);
    s->target = g_new0(int, s->c.num_irq);
    s->cpu = g_new0(GICv3CPU, s->c.num_cpu);
    s->c.irq_out = g_new0(IrqLine *, s->c.num_cpu);
    s->c.fiq_out = g_new0(IrqLine *, s->c.num_cpu);

    memory_region_init_io(&s->dist_mr, &gicd_ops, s, "gicv3_dist", GICV3_DIST_SIZE);
    device_init_mmio(dev, &s->dist_mr);
    first = 0;
    for (int i = 0; i < GICV3_MAX_REDIST_REGIONS; i++) {
        GICv3Region *r = &s->redist[i];

        if (!cfg->redist_count[i]) {
            continue;
        }
        r->gic = s;
        r->first = first;
        r->count = cfg->redist_count[i];
        memory_region_init_io(&r->mr, &gicr_ops, r, "gicv3_redist",
                              (uint64_t)r->count * GICV3_REDIST_SIZE);
        device_init_mmio(dev, &r->mr);
        first += r->count;
        s->cpu[first - 1].last = true;
        s->nredist++;
    }
    for (uint32_t i = 0; i < s->c.num_cpu; i++) {
        s->cpu[i].gic = s;
        s->cpu[i].index = i;
        s->cpu[i].hppi = GIC_SPURIOUS;
        s->cpu[i].affinity = ((i / 16) << 8) | (i % 16);
    }
    device_init_gpio_in(dev, gicv3_set_irq, s->c.num_irq - GIC_INTERNAL +
                        s->c.num_cpu * GIC_INTERNAL);
    device_init_gpio_out_named(dev, s->c.irq_out, "irq", s->c.num_cpu);
    device_init_gpio_out_named(dev, s->c.fiq_out, "fiq", s->c.num_cpu);
    gicv3_reset(dev);
    return true;
}

static void gicv3_finalize(DeviceState *dev)
{
    GICv3State *s = (GICv3State *)dev;

    if (s->dist_mr.kind != MR_KIND_NONE) {
        memory_region_destroy(&s->dist_mr);
    }
    for (int i = 0; i < GICV3_MAX_REDIST_REGIONS; i++) {
        if (s->redist[i].mr.kind != MR_KIND_NONE) {
            memory_region_destroy(&s->redist[i].mr);
        }
    }
    g_free(s->spi);
    g_free(s->prio);
    g_free(s->irouter);
    g_free(s->target);
    g_free(s->cpu);
    g_free(s->c.irq_out);
    g_free(s->c.fiq_out);
}

const DeviceClass arm_gicv3_class = {
    .name = TYPE_ARM_GICV3,
    .desc = "Arm GICv3 interrupt controller",
    .instance_size = sizeof(GICv3State),
    .category = DEVICE_CATEGORY_MISC,
    .bus_type = BUS_TYPE_SYSTEM,
    .user_creatable = false,
    .realize = gicv3_realize,
    .reset = gicv3_reset,
    .instance_finalize = gicv3_finalize,
};

GICv3State *gicv3_create(const GICv3Config *cfg, GError **errp)
{
    DeviceState *dev;
    GICv3State *s;
    int n = 1;

    arm_gic_register_devices();
    dev = device_new(TYPE_ARM_GICV3, errp);
    if (!dev) {
        return NULL;
    }
    s = (GICv3State *)dev;
    s->cfg = *cfg;
    s->cfg.cpu_affinity = NULL;
    if (!device_realize(dev, NULL, errp)) {
        device_free(dev);
        return NULL;
    }
    if (cfg->cpu_affinity) {
        for (uint32_t i = 0; i < s->c.num_cpu; i++) {
            s->cpu[i].affinity = cfg->cpu_affinity[i] & 0xff00ffffffull;
        }
        gicv3_reset(dev);
    }
    device_mmio_map(dev, 0, cfg->dist_base);
    for (int i = 0; i < GICV3_MAX_REDIST_REGIONS; i++) {
        if (cfg->redist_count[i]) {
            device_mmio_map(dev, n++, cfg->redist_base[i]);
        }
    }
    return s;
}

DeviceState *gicv3_device(GICv3State *s)
{
    return &s->c.parent;
}

GICv3State *gicv3_from_device(DeviceState *dev)
{
    g_assert(device_is_a(dev, TYPE_ARM_GICV3));
    return (GICv3State *)dev;
}
