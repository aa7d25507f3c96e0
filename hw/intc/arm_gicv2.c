/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Arm GICv2 (IHI 0048B), device "arm-gic": the distributor (GICD, 4 KiB)
 * and the memory-mapped CPU interface (GICC, 8 KiB, GICC_DIR at 0x1000),
 * with the GICv2m MSI frame (QEMU's virt with gic-version=2) as an optional
 * third region: a write of an INTID to MSI_SETSPI_NS makes that SPI pending,
 * which is how PCI MSIs reach the CPU.
 *
 * Model choices, those of a GIC-400 without the Security Extensions, as
 * QEMU's virt builds it: interrupt groups exist (GICC_CTLR.FIQEn selects
 * FIQ for Group 0, AckCtl lets GICC_IAR acknowledge Group 1 too), 5 bits of
 * priority, SGIs always enabled and edge-triggered, SGI pending state kept
 * per source CPU (GICC_IAR reports the source in bits 12:10).
 *
 * The banked registers (all of GICC, word 0 of the GICD arrays, ITARGETSR
 * 0-31, the SGI pending registers) belong to the accessing CPU, which the
 * MMIO callbacks learn from cpu_current() (or a test's resolver).
 */
#include <inttypes.h>
#include <string.h>

#include "gic-word.h"
#include "hw/intc/arm_gic.h"
#include "system/cpus.h"
#include "system/memory.h"
#include "util/error.h"
#include "util/log.h"

#define GICV2_DEFAULT_IRQS  288

enum {
    GICD_CTLR = 0x000,
    GICD_TYPER = 0x004,
    GICD_IIDR = 0x008,
    GICD_IGROUPR = 0x080,
    GICD_ISENABLER = 0x100,
    GICD_ICENABLER = 0x180,
    GICD_ISPENDR = 0x200,
    GICD_ICPENDR = 0x280,
    GICD_ISACTIVER = 0x300,
    GICD_ICACTIVER = 0x380,
    GICD_IPRIORITYR = 0x400,
    GICD_ITARGETSR = 0x800,
    GICD_ICFGR = 0xc00,
    GICD_SGIR = 0xf00,
    GICD_CPENDSGIR = 0xf10,
    GICD_SPENDSGIR = 0xf20,
    GICD_IDREGS = 0xfd0,
};

enum {
    GICC_CTLR = 0x000,
    GICC_PMR = 0x004,
    GICC_BPR = 0x008,
    GICC_IAR = 0x00c,
    GICC_EOIR = 0x010,
    GICC_RPR = 0x014,
    GICC_HPPIR = 0x018,
    GICC_ABPR = 0x01c,
    GICC_AIAR = 0x020,
    GICC_AEOIR = 0x024,
    GICC_AHPPIR = 0x028,
    GICC_APR0 = 0x0d0,
    GICC_NSAPR0 = 0x0e0,
    GICC_IIDR = 0x0fc,
    GICC_DIR = 0x1000,
};

#define GICC_CTLR_EN_GRP0   (1u << 0)
#define GICC_CTLR_EN_GRP1   (1u << 1)
#define GICC_CTLR_ACKCTL    (1u << 2)
#define GICC_CTLR_FIQEN     (1u << 3)
#define GICC_CTLR_CBPR      (1u << 4)
#define GICC_CTLR_EOIMODE   (1u << 9)
#define GICC_CTLR_MASK      (GICC_CTLR_EN_GRP0 | GICC_CTLR_EN_GRP1 | GICC_CTLR_ACKCTL | \
                             GICC_CTLR_FIQEN | GICC_CTLR_CBPR | GICC_CTLR_EOIMODE)

#define GIC_MIN_BPR         2
#define GIC_SPURIOUS_GRP1   1022

/* PIDR4..PIDR7, PIDR0..PIDR3, CIDR0..CIDR3 of a GIC-400 distributor. */
static const uint8_t gicd_ids[12] = {
    0x04, 0x00, 0x00, 0x00, 0x90, 0xb4, 0x2b, 0x00, 0x0d, 0xf0, 0x05, 0xb1
};

typedef struct GICv2CPU {
    GicWord priv;
    uint8_t prio[GIC_INTERNAL];
    uint8_t sgi_source[GIC_NR_SGIS];    /* pending SGIs by source CPU mask */
    uint32_t ctlr, pmr, bpr, abpr;
    uint32_t apr[2];
    int hppi, hppi_prio, hppi_group;
    int irq_level, fiq_level;
} GICv2CPU;

struct GICv2State {
    ArmGicCommon c;
    GICv2Config cfg;
    MemoryRegion dist_mr, cpu_mr, v2m_mr;
    uint32_t ctlr;
    GicWord *spi;               /* [num_irq / 32]; word 0 unused */
    uint8_t *prio;              /* [num_irq] */
    uint8_t *targets;           /* [num_irq]: CPU mask of SPIs */
    GICv2CPU cpu[GICV2_MAX_CPUS];
    int (*resolver)(void *opaque);
    void *resolver_opaque;
};

static int gicv2_current_cpu(GICv2State *s)
{
    int cpu;

    if (s->resolver) {
        cpu = s->resolver(s->resolver_opaque);
    } else {
        CPUState *cs = cpu_current();

        cpu = cs ? cs->index : 0;
    }
    return cpu >= 0 && cpu < (int)s->c.num_cpu ? cpu : 0;
}

void gicv2_set_cpu_resolver(GICv2State *s, int (*fn)(void *opaque), void *opaque)
{
    s->resolver = fn;
    s->resolver_opaque = opaque;
}

static inline uint32_t word_pending(const GicWord *w)
{
    return w->pending | (w->level & ~w->edge);
}

static uint32_t word_candidates(const GICv2State *s, const GicWord *w)
{
    uint32_t grp = ((s->ctlr & 2) ? w->group : 0) | ((s->ctlr & 1) ? ~w->group : 0);

    return word_pending(w) & w->enabled & ~w->active & grp;
}

static uint32_t gicc_gprio_mask(const GICv2CPU *cs, int group)
{
    int bpr = (group == 0 || (cs->ctlr & GICC_CTLR_CBPR)) ? cs->bpr : cs->abpr - 1;

    return (0xffu << (bpr + 1)) & 0xff;
}

static int gicc_running_prio(const GICv2CPU *cs)
{
    uint32_t ap = cs->apr[0] | cs->apr[1];

    return ap ? (__builtin_ctz(ap) << 3) : 0xff;
}

static void gicv2_update_cpu(GICv2State *s, int c)
{
    GICv2CPU *cs = &s->cpu[c];
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
            if ((s->targets[irq] & (1u << c)) && s->prio[irq] < best_prio) {
                best = irq;
                best_prio = s->prio[irq];
                best_group = (s->spi[w].group >> (irq & 31)) & 1;
            }
        }
    }
    cs->hppi = best;
    cs->hppi_prio = best_prio;
    cs->hppi_group = best_group;
    if (best != GIC_SPURIOUS && (cs->ctlr & (best_group ? GICC_CTLR_EN_GRP1 : GICC_CTLR_EN_GRP0)) &&
        best_prio < (int)cs->pmr &&
        (int)(best_prio & gicc_gprio_mask(cs, best_group)) < gicc_running_prio(cs)) {
        if (best_group == 0 && (cs->ctlr & GICC_CTLR_FIQEN)) {
            fiq_level = 1;
        } else {
            irq_level = 1;
        }
    }
    if (irq_level != cs->irq_level) {
        cs->irq_level = irq_level;
        irq_set(s->c.irq_out[c], irq_level);
    }
    if (fiq_level != cs->fiq_level) {
        cs->fiq_level = fiq_level;
        irq_set(s->c.fiq_out[c], fiq_level);
    }
}

static void gicv2_update(GICv2State *s)
{
    for (uint32_t c = 0; c < s->c.num_cpu; c++) {
        gicv2_update_cpu(s, c);
    }
}

static GicWord *gicv2_word(GICv2State *s, int c, int irq)
{
    return irq < GIC_INTERNAL ? &s->cpu[c].priv : &s->spi[irq / 32];
}

static void gicv2_sgi_set_pending(GICv2State *s, int target, int sgi, int src)
{
    s->cpu[target].sgi_source[sgi] |= 1u << src;
    s->cpu[target].priv.pending |= 1u << sgi;
}

/* ---- CPU interface ---- */

static uint32_t gicc_acknowledge(GICv2State *s, int c, bool alias)
{
    GICv2CPU *cs = &s->cpu[c];
    int irq = cs->hppi, prio = cs->hppi_prio, group = cs->hppi_group;
    uint32_t value = irq;
    GicWord *w;

    if (irq == GIC_SPURIOUS) {
        return GIC_SPURIOUS;
    }
    /* GICC_IAR takes Group 1 only with AckCtl; GICC_AIAR only takes Group 1. */
    if (alias ? group != 1 : (group == 1 && !(cs->ctlr & GICC_CTLR_ACKCTL))) {
        return alias ? GIC_SPURIOUS : GIC_SPURIOUS_GRP1;
    }
    if (!(cs->ctlr & (group ? GICC_CTLR_EN_GRP1 : GICC_CTLR_EN_GRP0)) ||
        prio >= (int)cs->pmr ||
        (int)(prio & gicc_gprio_mask(cs, group)) >= gicc_running_prio(cs)) {
        return GIC_SPURIOUS;
    }
    w = gicv2_word(s, c, irq);
    if (irq < GIC_NR_SGIS) {
        int src = __builtin_ctz(cs->sgi_source[irq]);

        cs->sgi_source[irq] &= ~(1u << src);
        if (!cs->sgi_source[irq]) {
            w->pending &= ~(1u << irq);
        }
        value |= src << 10;
    } else {
        w->pending &= ~(1u << (irq & 31));
    }
    w->active |= 1u << (irq & 31);
    cs->apr[group] |= 1u << ((prio & gicc_gprio_mask(cs, group)) >> 3);
    if (log_enabled(LOG_INT)) {
        log_printf("gicv2: cpu %d acknowledges INTID %d (group %d, priority 0x%02x)\n",
                   c, irq, group, prio);
    }
    gicv2_update(s);
    return value;
}

static void gicc_deactivate(GICv2State *s, int c, int irq)
{
    if (irq >= (int)s->c.num_irq) {
        log_guest_error("gicv2: cpu %d deactivates INTID %d beyond the %u implemented\n",
                        c, irq, s->c.num_irq);
        return;
    }
    gicv2_word(s, c, irq)->active &= ~(1u << (irq & 31));
}

static void gicc_eoi(GICv2State *s, int c, uint32_t value)
{
    GICv2CPU *cs = &s->cpu[c];
    int irq = value & 0x3ff;
    uint32_t ap = cs->apr[0] | cs->apr[1];

    if (irq >= GIC_MAX_IRQ) {
        return;
    }
    if (ap) {
        uint32_t low = ap & -ap;

        if (cs->apr[0] & low) {
            cs->apr[0] &= ~low;
        } else {
            cs->apr[1] &= ~low;
        }
    } else {
        log_guest_error("gicv2: cpu %d writes EOI for INTID %d with no active priority\n",
                        c, irq);
    }
    if (!(cs->ctlr & GICC_CTLR_EOIMODE)) {
        gicc_deactivate(s, c, irq);
    }
    gicv2_update(s);
}

static uint64_t gicc_read(void *opaque, uint64_t addr, unsigned size)
{
    GICv2State *s = opaque;
    int c = gicv2_current_cpu(s);
    GICv2CPU *cs = &s->cpu[c];

    if (size != 4 || (addr & 3)) {
        log_guest_error("gicv2: %u-byte read of GICC offset 0x%04" PRIx64 "\n", size, addr);
        return 0;
    }
    switch (addr) {
    case GICC_CTLR:
        return cs->ctlr;
    case GICC_PMR:
        return cs->pmr;
    case GICC_BPR:
        return cs->bpr;
    case GICC_ABPR:
        return (cs->ctlr & GICC_CTLR_CBPR) ? MIN(cs->bpr + 1, 7u) : cs->abpr;
    case GICC_IAR:
        return gicc_acknowledge(s, c, false);
    case GICC_AIAR:
        return gicc_acknowledge(s, c, true);
    case GICC_RPR:
        return gicc_running_prio(cs);
    case GICC_HPPIR:
    case GICC_AHPPIR: {
        bool want1 = addr == GICC_AHPPIR;
        uint32_t v = cs->hppi;

        if (cs->hppi == GIC_SPURIOUS) {
            return GIC_SPURIOUS;
        }
        if (want1 != (cs->hppi_group == 1)) {
            if (!want1 && (cs->ctlr & GICC_CTLR_ACKCTL)) {
                /* AckCtl: GICC_HPPIR reports Group 1 as well */
            } else {
                return want1 ? GIC_SPURIOUS : GIC_SPURIOUS_GRP1;
            }
        }
        if (v < GIC_NR_SGIS) {
            v |= __builtin_ctz(cs->sgi_source[v]) << 10;
        }
        return v;
    }
    case GICC_APR0:
        return cs->apr[0];
    case GICC_NSAPR0:
        return cs->apr[1];
    case GICC_IIDR:
        return 0x0202143b;      /* GIC-400, architecture version 2 */
    case GICC_EOIR:
    case GICC_AEOIR:
    case GICC_DIR:
        log_guest_error("gicv2: read of write-only GICC offset 0x%04" PRIx64 "\n", addr);
        return 0;
    }
    if ((addr > GICC_APR0 && addr < GICC_APR0 + 0x10) ||
        (addr > GICC_NSAPR0 && addr < GICC_NSAPR0 + 0x10)) {
        return 0;
    }
    log_guest_error("gicv2: read of unknown GICC offset 0x%04" PRIx64 "\n", addr);
    return 0;
}

static void gicc_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    GICv2State *s = opaque;
    int c = gicv2_current_cpu(s);
    GICv2CPU *cs = &s->cpu[c];

    if (size != 4 || (addr & 3)) {
        log_guest_error("gicv2: %u-byte write to GICC offset 0x%04" PRIx64 "\n", size, addr);
        return;
    }
    switch (addr) {
    case GICC_CTLR:
        cs->ctlr = val & GICC_CTLR_MASK;
        break;
    case GICC_PMR:
        cs->pmr = val & GIC_PRIO_MASK;
        break;
    case GICC_BPR:
        cs->bpr = MAX(val & 7, (uint64_t)GIC_MIN_BPR);
        break;
    case GICC_ABPR:
        if (!(cs->ctlr & GICC_CTLR_CBPR)) {
            cs->abpr = MAX(val & 7, (uint64_t)GIC_MIN_BPR + 1);
        }
        break;
    case GICC_EOIR:
    case GICC_AEOIR:
        gicc_eoi(s, c, val);
        return;
    case GICC_DIR:
        if ((val & 0x3ff) < GIC_MAX_IRQ) {
            gicc_deactivate(s, c, val & 0x3ff);
        }
        break;
    case GICC_APR0:
        cs->apr[0] = val;
        break;
    case GICC_NSAPR0:
        cs->apr[1] = val;
        break;
    default:
        if ((addr > GICC_APR0 && addr < GICC_APR0 + 0x10) ||
            (addr > GICC_NSAPR0 && addr < GICC_NSAPR0 + 0x10)) {
            return;
        }
        log_guest_error("gicv2: write of 0x%" PRIx64 " to read-only or unknown GICC offset "
                        "0x%04" PRIx64 "\n", val, addr);
        return;
    }
    gicv2_update(s);
}

static const MemoryRegionOps gicc_ops = {
    .read = gicc_read,
    .write = gicc_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
};

/* ---- distributor ---- */

static uint32_t gicd_bitreg_read(GicWord *w, uint32_t off)
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
    default:
        return w->active;
    }
}

static void gicd_bitreg_write(GICv2State *s, int c, GicWord *w, uint32_t off, uint32_t v,
                              bool banked)
{
    /* SGIs: always enabled; pending only through GICD_SGIR / SPENDSGIR. */
    uint32_t fixed = banked ? 0xffff : 0;

    switch (off & ~0x7fu) {
    case GICD_IGROUPR:
        w->group = v;
        break;
    case GICD_ISENABLER:
        w->enabled |= v;
        break;
    case GICD_ICENABLER:
        w->enabled &= ~(v & ~fixed);
        break;
    case GICD_ISPENDR:
        w->pending |= v & ~fixed;
        break;
    case GICD_ICPENDR:
        w->pending &= ~(v & ~fixed);
        break;
    case GICD_ISACTIVER:
        w->active |= v;
        break;
    case GICD_ICACTIVER:
        w->active &= ~v;
        break;
    }
}

static uint32_t gicd_read_byte(GICv2State *s, int c, uint32_t off)
{
    if (off >= GICD_IPRIORITYR && off < GICD_ITARGETSR) {
        uint32_t irq = off - GICD_IPRIORITYR;

        if (irq < GIC_INTERNAL) {
            return s->cpu[c].prio[irq];
        }
        return irq < s->c.num_irq ? s->prio[irq] : 0;
    }
    if (off >= GICD_ITARGETSR && off < GICD_ICFGR) {
        uint32_t irq = off - GICD_ITARGETSR;

        if (irq < GIC_INTERNAL) {
            return 1u << c;
        }
        return irq < s->c.num_irq ? s->targets[irq] : 0;
    }
    if (off >= GICD_CPENDSGIR && off < GICD_SPENDSGIR + 0x10) {
        return s->cpu[c].sgi_source[(off - GICD_CPENDSGIR) & 0xf];
    }
    return 0;
}

static uint32_t gicd_read32(GICv2State *s, int c, uint32_t off)
{
    uint32_t n = (off & 0x7f) / 4;

    switch (off) {
    case GICD_CTLR:
        return s->ctlr;
    case GICD_TYPER:
        return (s->c.num_irq / 32 - 1) | ((s->c.num_cpu - 1) << 5);
    case GICD_IIDR:
        return 0x0200043b;
    }
    if (off >= GICD_IGROUPR && off < GICD_IPRIORITYR) {
        if (n == 0) {
            return gicd_bitreg_read(&s->cpu[c].priv, off);
        }
        return n < s->c.num_irq / 32 ? gicd_bitreg_read(&s->spi[n], off) : 0;
    }
    if ((off >= GICD_IPRIORITYR && off < GICD_ICFGR) ||
        (off >= GICD_CPENDSGIR && off < GICD_SPENDSGIR + 0x10)) {
        uint32_t v = 0;

        for (int i = 0; i < 4; i++) {
            v |= gicd_read_byte(s, c, off + i) << (8 * i);
        }
        return v;
    }
    if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100) {
        n = (off - GICD_ICFGR) / 4;
        if (n < 2) {
            return gic_icfgr_read(&s->cpu[c].priv, n);
        }
        return n / 2 < s->c.num_irq / 32 ? gic_icfgr_read(&s->spi[n / 2], n & 1) : 0;
    }
    if (off >= GICD_IDREGS) {
        return gicd_ids[(off - GICD_IDREGS) / 4];
    }
    if (off == GICD_SGIR) {
        log_guest_error("gicv2: read of write-only GICD_SGIR\n");
        return 0;
    }
    log_guest_error("gicv2: read of unknown GICD offset 0x%03x\n", off);
    return 0;
}

static void gicd_write_byte(GICv2State *s, int c, uint32_t off, uint8_t v)
{
    if (off >= GICD_IPRIORITYR && off < GICD_ITARGETSR) {
        uint32_t irq = off - GICD_IPRIORITYR;

        if (irq < GIC_INTERNAL) {
            s->cpu[c].prio[irq] = v & GIC_PRIO_MASK;
        } else if (irq < s->c.num_irq) {
            s->prio[irq] = v & GIC_PRIO_MASK;
        }
    } else if (off >= GICD_ITARGETSR && off < GICD_ICFGR) {
        uint32_t irq = off - GICD_ITARGETSR;

        if (irq >= GIC_INTERNAL && irq < s->c.num_irq) {
            s->targets[irq] = v & ((1u << s->c.num_cpu) - 1);
        }
    } else if (off >= GICD_CPENDSGIR && off < GICD_SPENDSGIR + 0x10) {
        GICv2CPU *cs = &s->cpu[c];
        int sgi = (off - GICD_CPENDSGIR) & 0xf;

        v &= (1u << s->c.num_cpu) - 1;
        if (off >= GICD_SPENDSGIR) {
            cs->sgi_source[sgi] |= v;
        } else {
            cs->sgi_source[sgi] &= ~v;
        }
        cs->priv.pending = cs->sgi_source[sgi] ? cs->priv.pending | (1u << sgi)
                                               : cs->priv.pending & ~(1u << sgi);
    }
}

static void gicd_sgir(GICv2State *s, int c, uint32_t v)
{
    int sgi = v & 0xf;
    uint32_t targets;

    switch ((v >> 24) & 3) {
    case 0:
        targets = (v >> 16) & 0xff;
        break;
    case 1:
        targets = ~(1u << c);
        break;
    case 2:
        targets = 1u << c;
        break;
    default:
        log_guest_error("gicv2: GICD_SGIR with reserved TargetListFilter 3\n");
        return;
    }
    targets &= (1u << s->c.num_cpu) - 1;
    for (uint32_t t = 0; t < s->c.num_cpu; t++) {
        if (targets & (1u << t)) {
            gicv2_sgi_set_pending(s, t, sgi, c);
        }
    }
}

static void gicd_write32(GICv2State *s, int c, uint32_t off, uint32_t v)
{
    uint32_t n = (off & 0x7f) / 4;

    if (off == GICD_CTLR) {
        s->ctlr = v & 3;
    } else if (off >= GICD_IGROUPR && off < GICD_IPRIORITYR) {
        if (n == 0) {
            gicd_bitreg_write(s, c, &s->cpu[c].priv, off, v, true);
        } else if (n < s->c.num_irq / 32) {
            gicd_bitreg_write(s, c, &s->spi[n], off, v, false);
        }
    } else if ((off >= GICD_IPRIORITYR && off < GICD_ICFGR) ||
               (off >= GICD_CPENDSGIR && off < GICD_SPENDSGIR + 0x10)) {
        for (int i = 0; i < 4; i++) {
            gicd_write_byte(s, c, off + i, v >> (8 * i));
        }
    } else if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100) {
        n = (off - GICD_ICFGR) / 4;
        if (n >= 1 && n / 2 < s->c.num_irq / 32) {
            gic_icfgr_write(n == 1 ? &s->cpu[c].priv : &s->spi[n / 2], n & 1, v);
        }
    } else if (off == GICD_SGIR) {
        gicd_sgir(s, c, v);
    } else {
        log_guest_error("gicv2: write of 0x%x to read-only or unknown GICD offset 0x%03x\n",
                        v, off);
        return;
    }
    gicv2_update(s);
}

static uint64_t gicd_read(void *opaque, uint64_t addr, unsigned size)
{
    GICv2State *s = opaque;
    int c = gicv2_current_cpu(s);
    uint32_t off = addr;

    /* Byte access is allowed to the byte-per-interrupt registers. */
    if ((off >= GICD_IPRIORITYR && off < GICD_ICFGR) ||
        (off >= GICD_CPENDSGIR && off < GICD_SPENDSGIR + 0x10)) {
        uint64_t v = 0;

        for (unsigned i = 0; i < size; i++) {
            v |= (uint64_t)gicd_read_byte(s, c, off + i) << (8 * i);
        }
        return v;
    }
    if (size != 4 || (off & 3)) {
        log_guest_error("gicv2: %u-byte read of GICD offset 0x%03x\n", size, off);
        return 0;
    }
    return gicd_read32(s, c, off);
}

static void gicd_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    GICv2State *s = opaque;
    int c = gicv2_current_cpu(s);
    uint32_t off = addr;

    if ((off >= GICD_IPRIORITYR && off < GICD_ICFGR) ||
        (off >= GICD_CPENDSGIR && off < GICD_SPENDSGIR + 0x10)) {
        for (unsigned i = 0; i < size; i++) {
            gicd_write_byte(s, c, off + i, val >> (8 * i));
        }
        gicv2_update(s);
        return;
    }
    if (size != 4 || (off & 3)) {
        log_guest_error("gicv2: %u-byte write to GICD offset 0x%03x\n", size, off);
        return;
    }
    gicd_write32(s, c, off, val);
}

static const MemoryRegionOps gicd_ops = {
    .read = gicd_read,
    .write = gicd_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
};

/* ---- GICv2m ---- */

static uint64_t v2m_read(void *opaque, uint64_t addr, unsigned size)
{
    GICv2State *s = opaque;

    switch (addr) {
    case GICV2M_MSI_TYPER:
        return (s->cfg.v2m_spi_base << 16) | s->cfg.v2m_spi_count;
    case GICV2M_MSI_IIDR:
        return 0;
    }
    log_guest_error("gicv2m: read of unknown offset 0x%03" PRIx64 "\n", addr);
    return 0;
}

static void v2m_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    GICv2State *s = opaque;
    uint32_t irq = val & 0x3ff;

    if (addr != GICV2M_MSI_SETSPI_NS) {
        log_guest_error("gicv2m: write to unknown offset 0x%03" PRIx64 "\n", addr);
        return;
    }
    if (irq < s->cfg.v2m_spi_base || irq >= s->cfg.v2m_spi_base + s->cfg.v2m_spi_count) {
        log_guest_error("gicv2m: MSI for INTID %u outside the frame's SPIs %u-%u\n", irq,
                        s->cfg.v2m_spi_base, s->cfg.v2m_spi_base + s->cfg.v2m_spi_count - 1);
        return;
    }
    /* A message is an edge: latch pending whatever ICFGR says. */
    s->spi[irq / 32].pending |= 1u << (irq & 31);
    gicv2_update(s);
}

static const MemoryRegionOps v2m_ops = {
    .read = v2m_read,
    .write = v2m_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 2, .max_access_size = 4 },
    .impl = { .min_access_size = 4, .max_access_size = 4 },
};

/* ---- lines and device ---- */

static void gicv2_set_irq(void *opaque, int n, int level)
{
    GICv2State *s = opaque;
    int nspi = s->c.num_irq - GIC_INTERNAL;
    GicWord *w;
    uint32_t bit;

    if (n < nspi) {
        w = &s->spi[(n + GIC_INTERNAL) / 32];
        bit = 1u << ((n + GIC_INTERNAL) & 31);
    } else {
        int k = n - nspi;

        if (k % GIC_INTERNAL < GIC_NR_SGIS) {
            return;     /* SGIs have no input line */
        }
        w = &s->cpu[k / GIC_INTERNAL].priv;
        bit = 1u << (k % GIC_INTERNAL);
    }
    if (level && !(w->level & bit) && (w->edge & bit)) {
        w->pending |= bit;
    }
    w->level = level ? w->level | bit : w->level & ~bit;
    gicv2_update(s);
}

static void gicv2_reset(DeviceState *dev)
{
    GICv2State *s = (GICv2State *)dev;

    s->ctlr = 0;
    for (uint32_t w = 0; w < s->c.num_irq / 32; w++) {
        uint32_t level = s->spi[w].level;

        memset(&s->spi[w], 0, sizeof(GicWord));
        s->spi[w].level = level;
    }
    memset(s->prio, 0, s->c.num_irq);
    memset(s->targets, 0, s->c.num_irq);
    for (uint32_t c = 0; c < s->c.num_cpu; c++) {
        GICv2CPU *cs = &s->cpu[c];
        uint32_t level = cs->priv.level;

        memset(&cs->priv, 0, sizeof(cs->priv));
        cs->priv.level = level;
        cs->priv.enabled = 0xffff;
        cs->priv.edge = 0xffff;
        memset(cs->prio, 0, sizeof(cs->prio));
        memset(cs->sgi_source, 0, sizeof(cs->sgi_source));
        cs->ctlr = 0;
        cs->pmr = 0;
        cs->bpr = GIC_MIN_BPR;
        cs->abpr = GIC_MIN_BPR + 1;
        cs->apr[0] = cs->apr[1] = 0;
    }
    gicv2_update(s);
}

static bool gicv2_realize(DeviceState *dev, GError **errp)
{
    GICv2State *s = (GICv2State *)dev;
    const GICv2Config *cfg = &s->cfg;

    s->c.revision = 2;
    s->c.num_cpu = cfg->num_cpu;
    s->c.num_irq = cfg->num_irq ? cfg->num_irq : GICV2_DEFAULT_IRQS;
    if (!s->c.num_cpu || s->c.num_cpu > GICV2_MAX_CPUS) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "num-cpu %u is out of range (1-%d)", s->c.num_cpu, GICV2_MAX_CPUS);
        return false;
    }
    if (s->c.num_irq < 64 || s->c.num_irq > GIC_MAX_IRQ + 4 || s->c.num_irq % 32) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "num-irq %u must be a multiple of 32 between 64 and 1024", s->c.num_irq);
        return false;
    }
    if (cfg->v2m_spi_count &&
        (cfg->v2m_spi_base < GIC_INTERNAL ||
         cfg->v2m_spi_base + cfg->v2m_spi_count > s->c.num_irq)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "GICv2m SPIs %u-%u are outside the %u interrupts", cfg->v2m_spi_base,
                    cfg->v2m_spi_base + cfg->v2m_spi_count - 1, s->c.num_irq);
        return false;
    }
    s->spi = g_new0(GicWord, s->c.num_irq / 32);
    s->prio = g_new0(uint8_t, s->c.num_irq);
    s->targets = g_new0(uint8_t, s->c.num_irq);
    s->c.irq_out = g_new0(IrqLine *, s->c.num_cpu);
    s->c.fiq_out = g_new0(IrqLine *, s->c.num_cpu);
    for (uint32_t c = 0; c < s->c.num_cpu; c++) {
        s->cpu[c].hppi = GIC_SPURIOUS;
    }
    memory_region_init_io(&s->dist_mr, &gicd_ops, s, "gic_dist", GICV2_DIST_SIZE);
    device_init_mmio(dev, &s->dist_mr);
    memory_region_init_io(&s->cpu_mr, &gicc_ops, s, "gic_cpu", GICV2_CPU_SIZE);
    device_init_mmio(dev, &s->cpu_mr);
    if (cfg->v2m_spi_count) {
        memory_region_init_io(&s->v2m_mr, &v2m_ops, s, "gicv2m", GICV2M_SIZE);
        device_init_mmio(dev, &s->v2m_mr);
    }
    device_init_gpio_in(dev, gicv2_set_irq, s->c.num_irq - GIC_INTERNAL +
                        s->c.num_cpu * GIC_INTERNAL);
    device_init_gpio_out_named(dev, s->c.irq_out, "irq", s->c.num_cpu);
    device_init_gpio_out_named(dev, s->c.fiq_out, "fiq", s->c.num_cpu);
    gicv2_reset(dev);
    return true;
}

static void gicv2_finalize(DeviceState *dev)
{
    GICv2State *s = (GICv2State *)dev;

    if (s->dist_mr.kind != MR_KIND_NONE) {
        memory_region_destroy(&s->dist_mr);
        memory_region_destroy(&s->cpu_mr);
    }
    if (s->v2m_mr.kind != MR_KIND_NONE) {
        memory_region_destroy(&s->v2m_mr);
    }
    g_free(s->spi);
    g_free(s->prio);
    g_free(s->targets);
    g_free(s->c.irq_out);
    g_free(s->c.fiq_out);
}

const DeviceClass arm_gicv2_class = {
    .name = TYPE_ARM_GICV2,
    .desc = "Arm GICv2 interrupt controller (with GICv2m)",
    .instance_size = sizeof(GICv2State),
    .category = DEVICE_CATEGORY_MISC,
    .bus_type = BUS_TYPE_SYSTEM,
    .user_creatable = false,
    .realize = gicv2_realize,
    .reset = gicv2_reset,
    .instance_finalize = gicv2_finalize,
};

GICv2State *gicv2_create(const GICv2Config *cfg, GError **errp)
{
    DeviceState *dev;
    GICv2State *s;

    arm_gic_register_devices();
    dev = device_new(TYPE_ARM_GICV2, errp);
    if (!dev) {
        return NULL;
    }
    s = (GICv2State *)dev;
    s->cfg = *cfg;
    if (!device_realize(dev, NULL, errp)) {
        device_free(dev);
        return NULL;
    }
    device_mmio_map(dev, 0, cfg->dist_base);
    device_mmio_map(dev, 1, cfg->cpu_base);
    if (cfg->v2m_spi_count) {
        device_mmio_map(dev, 2, cfg->v2m_base);
    }
    return s;
}

DeviceState *gicv2_device(GICv2State *s)
{
    return &s->c.parent;
}
