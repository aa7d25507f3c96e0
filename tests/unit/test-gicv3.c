/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * GICv3 tests: a 4-CPU GIC mapped where the virt board puts it, the
 * distributor and redistributors driven through the memory API and the CPU
 * interface through gicv3_cpuif_read/write, with each CPU's IRQ and FIQ
 * outputs recorded. Covers identification, GICR_WAKER, SPI routing, level
 * and edge triggers, priority masking and preemption, EOImode, SGIs, PPIs,
 * Group 0 as FIQ, reset, and guest mistakes.
 */
#include <string.h>

#include "hw/core/device.h"
#include "hw/intc/arm_gic.h"
#include "system/memory.h"
#include "util/error.h"

#define DIST    0x08000000ull
#define REDIST  0x080a0000ull
#define NCPU    4
#define SGI_BASE(cpu) (REDIST + (cpu) * 0x20000ull + 0x10000)
#define RD_BASE(cpu)  (REDIST + (cpu) * 0x20000ull)

typedef struct Fixture {
    GICv3State *gic;
    DeviceState *dev;
    IrqLine *irq[NCPU], *fiq[NCPU];
    int irq_level[NCPU], fiq_level[NCPU];
} Fixture;

static void irq_handler(void *opaque, int n, int level)
{
    ((Fixture *)opaque)->irq_level[n] = level;
}

static void fiq_handler(void *opaque, int n, int level)
{
    ((Fixture *)opaque)->fiq_level[n] = level;
}

static uint64_t rd(uint64_t addr, unsigned size)
{
    uint64_t v = 0;

    g_assert_cmpuint(address_space_read_val(address_space_memory(), addr, &v, size), ==,
                     MEMTX_OK);
    return v;
}

static void wr(uint64_t addr, uint64_t v, unsigned size)
{
    g_assert_cmpuint(address_space_write_val(address_space_memory(), addr, v, size), ==,
                     MEMTX_OK);
}

static uint32_t rd32(uint64_t addr)
{
    return rd(addr, 4);
}

static void wr32(uint64_t addr, uint32_t v)
{
    wr(addr, v, 4);
}

static void setup(Fixture *f, gconstpointer data)
{
    GICv3Config cfg = {
        .num_cpu = NCPU,
        .dist_base = DIST,
        .redist_base = { REDIST },
        .redist_count = { NCPU },
    };
    GError *err = NULL;

    memset(f, 0, sizeof(*f));
    f->gic = gicv3_create(&cfg, &err);
    g_assert_no_error(err);
    f->dev = gicv3_device(f->gic);
    for (int i = 0; i < NCPU; i++) {
        f->irq[i] = irq_new(irq_handler, f, i);
        f->fiq[i] = irq_new(fiq_handler, f, i);
        arm_gic_connect_cpu(f->dev, i, f->irq[i], f->fiq[i]);
    }
}

static void teardown(Fixture *f, gconstpointer data)
{
    device_tree_destroy();
    for (int i = 0; i < NCPU; i++) {
        irq_free(f->irq[i]);
        irq_free(f->fiq[i]);
    }
}

/* Group 1 SPI intid at priority prio routed to cpu, enabled; CPU ready. */
static void setup_spi(Fixture *f, int intid, uint8_t prio, int cpu)
{
    wr32(DIST + 0x0000, 0x12);                          /* ARE | EnableGrp1 */
    wr32(DIST + 0x0080 + intid / 32 * 4,
         rd32(DIST + 0x0080 + intid / 32 * 4) | 1u << (intid % 32));
    wr(DIST + 0x0400 + intid, prio, 1);
    wr(DIST + 0x6000 + intid * 8, cpu, 8);
    wr32(DIST + 0x0100 + intid / 32 * 4, 1u << (intid % 32));
    gicv3_cpuif_write(f->gic, cpu, ICC_PMR_EL1, 0xf0);
    gicv3_cpuif_write(f->gic, cpu, ICC_IGRPEN1_EL1, 1);
}

static void test_ids(Fixture *f, gconstpointer data)
{
    uint64_t typer;

    g_assert_cmphex(rd32(DIST + 0x0004) & 0x1f, ==, 288 / 32 - 1);   /* ITLinesNumber */
    g_assert_cmphex(rd32(DIST + 0x0004) & (1u << 25), !=, 0);        /* No1N */
    g_assert_cmphex(rd32(DIST + 0x0000), ==, 0x50);                  /* ARE | DS */
    g_assert_cmphex(rd32(DIST + 0xffe8) & 0xf0, ==, 0x30);           /* ArchRev 3 */
    g_assert_cmphex(rd32(DIST + 0xfff0), ==, 0x0d);
    for (int i = 0; i < NCPU; i++) {
        g_assert_cmphex(rd32(RD_BASE(i) + 0xffe8) & 0xf0, ==, 0x30);
        typer = rd(RD_BASE(i) + 0x0008, 8);
        g_assert_cmphex(typer >> 32, ==, (uint64_t)i);               /* Aff0 = i */
        g_assert_cmphex((typer >> 8) & 0xffff, ==, (uint64_t)i);     /* Processor_Number */
        g_assert_cmphex((typer >> 4) & 1, ==, i == NCPU - 1);        /* Last */
        g_assert_cmphex(rd32(RD_BASE(i) + 0x000c), ==, (uint32_t)(typer >> 32));
    }
    g_assert_cmphex(gicv3_cpuif_read(f->gic, 0, ICC_SRE_EL1), ==, 7);
    g_assert_cmphex((gicv3_cpuif_read(f->gic, 0, ICC_CTLR_EL1) >> 8) & 7, ==, 4);
}

static void test_waker(Fixture *f, gconstpointer data)
{
    g_assert_cmphex(rd32(RD_BASE(1) + 0x0014), ==, 0x6);  /* ProcessorSleep, ChildrenAsleep */
    wr32(RD_BASE(1) + 0x0014, 0);
    g_assert_cmphex(rd32(RD_BASE(1) + 0x0014), ==, 0);
    g_assert_cmphex(rd32(RD_BASE(0) + 0x0014), ==, 0x6);  /* per CPU */
    wr32(RD_BASE(1) + 0x0014, 2);
    g_assert_cmphex(rd32(RD_BASE(1) + 0x0014), ==, 0x6);
}

static void test_spi_level(Fixture *f, gconstpointer data)
{
    IrqLine *line = arm_gic_spi(f->dev, 5);        /* INTID 37 */

    setup_spi(f, 37, 0x80, 1);
    g_assert_cmphex(rd(DIST + 0x6000 + 37 * 8, 8), ==, 1);
    g_assert_cmpint(f->irq_level[1], ==, 0);
    irq_raise(line);
    g_assert_cmpint(f->irq_level[1], ==, 1);
    g_assert_cmpint(f->irq_level[0], ==, 0);
    g_assert_cmpint(f->fiq_level[1], ==, 0);
    g_assert_cmphex(rd32(DIST + 0x0204) & (1u << 5), !=, 0);          /* ISPENDR1 */
    g_assert_cmpuint(gicv3_cpuif_read(f->gic, 1, ICC_HPPIR1_EL1), ==, 37);
    g_assert_cmpuint(gicv3_cpuif_read(f->gic, 1, ICC_HPPIR0_EL1), ==, 1023);
    g_assert_cmpuint(gicv3_cpuif_read(f->gic, 0, ICC_IAR1_EL1), ==, 1023);  /* not cpu 0's */
    g_assert_cmpuint(gicv3_cpuif_read(f->gic, 1, ICC_IAR0_EL1), ==, 1023);  /* wrong group */
    g_assert_cmpuint(gicv3_cpuif_read(f->gic, 1, ICC_IAR1_EL1), ==, 37);
    g_assert_cmpint(f->irq_level[1], ==, 0);                           /* active now */
    g_assert_cmphex(rd32(DIST + 0x0304) & (1u << 5), !=, 0);          /* ISACTIVER1 */
    g_assert_cmphex(gicv3_cpuif_read(f->gic, 1, ICC_RPR_EL1), ==, 0x80);
    g_assert_cmphex(gicv3_cpuif_read(f->gic, 1, ICC_AP1R0_EL1), ==, 1u << (0x80 >> 3));
    /* Still asserted: pending again once deactivated. */
    gicv3_cpuif_write(f->gic, 1, ICC_EOIR1_EL1, 37);
    g_assert_cmphex(gicv3_cpuif_read(f->gic, 1, ICC_RPR_EL1), ==, 0xff);
    g_assert_cmpint(f->irq_level[1], ==, 1);
    irq_lower(line);
    g_assert_cmpint(f->irq_level[1], ==, 0);
    g_assert_cmpuint(gicv3_cpuif_read(f->gic, 1, ICC_IAR1_EL1), ==, 1023);

    /* Rerouting to CPU 2 through a 32-bit access to IROUTER. */
    wr32(DIST + 0x6000 + 37 * 8, 2);
    irq_raise(line);
    g_assert_cmpint(f->irq_level[1], ==, 0);
    g_assert_cmpint(f->irq_level[2], ==, 0);           /* CPU 2 has not enabled Group 1 */
    gicv3_cpuif_write(f->gic, 2, ICC_PMR_EL1, 0xff);
    gicv3_cpuif_write(f->gic, 2, ICC_IGRPEN1_EL1, 1);
    g_assert_cmpint(f->irq_level[2], ==, 1);
    /* Disabling at the distributor stops forwarding; ICENABLER clears. */
    wr32(DIST + 0x0000, 0);
    g_assert_cmpint(f->irq_level[2], ==, 0);
    wr32(DIST + 0x0000, 0x2);
    g_assert_cmpint(f->irq_level[2], ==, 1);
    wr32(DIST + 0x0184, 1u << 5);
    g_assert_cmpint(f->irq_level[2], ==, 0);
    g_assert_cmphex(rd32(DIST + 0x0104) & (1u << 5), ==, 0);
    /* An IROUTER naming no CPU leaves the SPI with nobody. */
    wr32(DIST + 0x0104, 1u << 5);
    wr(DIST + 0x6000 + 37 * 8, 0x0100000000ull, 8);
    g_assert_cmpint(f->irq_level[2], ==, 0);
}

static void test_spi_edge(Fixture *f, gconstpointer data)
{
    IrqLine *line = arm_gic_spi(f->dev, 40);        /* INTID 72 */

    setup_spi(f, 72, 0x40, 0);
    wr32(DIST + 0x0c00 + 72 / 16 * 4, 2u << (2 * (72 % 16)));  /* edge */
    g_assert_cmphex(rd32(DIST + 0x0c00 + 72 / 16 * 4), ==, 2u << (2 * (72 % 16)));
    irq_pulse(line);
    g_assert_cmpint(f->irq_level[0], ==, 1);            /* latched */
    g_assert_cmpuint(gicv3_cpuif_read(f->gic, 0, ICC_IAR1_EL1), ==, 72);
    gicv3_cpuif_write(f->gic, 0, ICC_EOIR1_EL1, 72);
    g_assert_cmpint(f->irq_level[0], ==, 0);            /* consumed */
    /* Holding the line high is one edge, not a stream. */
    irq_raise(line);
    irq_raise(line);
    g_assert_cmpuint(gicv3_cpuif_read(f->gic, 0, ICC_IAR1_EL1), ==, 72);
    gicv3_cpuif_write(f->gic, 0, ICC_EOIR1_EL1, 72);
    g_assert_cmpint(f->irq_level[0], ==, 0);
    irq_lower(line);
    /* Software pending through ISPENDR, cleared through ICPENDR. */
    wr32(DIST + 0x0200 + 72 / 32 * 4, 1u << (72 % 32));
    g_assert_cmpint(f->irq_level[0], ==, 1);
    wr32(DIST + 0x0280 + 72 / 32 * 4, 1u << (72 % 32));
    g_assert_cmpint(f->irq_level[0], ==, 0);
}

static void test_priority(Fixture *f, gconstpointer data)
{
    IrqLine *low = arm_gic_spi(f->dev, 1), *high = arm_gic_spi(f->dev, 2);
    IrqLine *lower = arm_gic_spi(f->dev, 3);

    setup_spi(f, 33, 0xa0, 0);
    setup_spi(f, 34, 0x40, 0);
    setup_spi(f, 35, 0xc0, 0);
    /* 5 priority bits: the low three read as zero. */
    wr(DIST + 0x0400 + 35, 0xc7, 1);
    g_assert_cmphex(rd(DIST + 0x0400 + 35, 1), ==, 0xc0);
    g_assert_cmphex(rd32(DIST + 0x0420) >> 8, ==, 0xc040a0);

    gicv3_cpuif_write(f->gic, 0, ICC_PMR_EL1, 0xa0);
    irq_raise(low);
    g_assert_cmpint(f->irq_level[0], ==, 0);            /* masked: not below PMR */
    g_assert_cmpuint(gicv3_cpuif_read(f->gic, 0, ICC_IAR1_EL1), ==, 1023);
    gicv3_cpuif_write(f->gic, 0, ICC_PMR_EL1, 0xa8);
    g_assert_cmphex(gicv3_cpuif_read(f->gic, 0, ICC_PMR_EL1), ==, 0xa8);
    g_assert_cmpint(f->irq_level[0], ==, 1);
    g_assert_cmpuint(gicv3_cpuif_read(f->gic, 0, ICC_IAR1_EL1), ==, 33);
    /* Running at 0xa0: a lower priority waits, a higher one preempts. */
    irq_raise(lower);
    gicv3_cpuif_write(f->gic, 0, ICC_PMR_EL1, 0xff);
    g_assert_cmpint(f->irq_level[0], ==, 0);
    irq_raise(high);
    g_assert_cmpint(f->irq_level[0], ==, 1);
    g_assert_cmpuint(gicv3_cpuif_read(f->gic, 0, ICC_HPPIR1_EL1), ==, 34);
    g_assert_cmpuint(gicv3_cpuif_read(f->gic, 0, ICC_IAR1_EL1), ==, 34);
    g_assert_cmphex(gicv3_cpuif_read(f->gic, 0, ICC_RPR_EL1), ==, 0x40);
    irq_lower(high);
    gicv3_cpuif_write(f->gic, 0, ICC_EOIR1_EL1, 34);
    g_assert_cmphex(gicv3_cpuif_read(f->gic, 0, ICC_RPR_EL1), ==, 0xa0);
    g_assert_cmpint(f->irq_level[0], ==, 0);            /* 0xc0 still waits */
    irq_lower(low);
    gicv3_cpuif_write(f->gic, 0, ICC_EOIR1_EL1, 33);
    g_assert_cmpint(f->irq_level[0], ==, 1);
    g_assert_cmpuint(gicv3_cpuif_read(f->gic, 0, ICC_IAR1_EL1), ==, 35);

    irq_lower(lower);
    gicv3_cpuif_write(f->gic, 0, ICC_EOIR1_EL1, 35);
    g_assert_cmphex(gicv3_cpuif_read(f->gic, 0, ICC_RPR_EL1), ==, 0xff);

    /* The binary point groups priorities: 0xc0 and 0x80 in one group cannot preempt. */
    gicv3_cpuif_write(f->gic, 0, ICC_BPR1_EL1, 0);
    g_assert_cmpuint(gicv3_cpuif_read(f->gic, 0, ICC_BPR1_EL1), ==, 3);   /* minimum */
    gicv3_cpuif_write(f->gic, 0, ICC_BPR1_EL1, 7);
    irq_raise(lower);
    g_assert_cmpuint(gicv3_cpuif_read(f->gic, 0, ICC_IAR1_EL1), ==, 35);
    g_assert_cmphex(gicv3_cpuif_read(f->gic, 0, ICC_RPR_EL1), ==, 0x80);
    wr(DIST + 0x0400 + 34, 0x80, 1);
    irq_raise(high);
    g_assert_cmpint(f->irq_level[0], ==, 0);
    wr(DIST + 0x0400 + 34, 0x78, 1);
    g_assert_cmpint(f->irq_level[0], ==, 1);
}

static void test_eoimode(Fixture *f, gconstpointer data)
{
    IrqLine *line = arm_gic_spi(f->dev, 10);        /* INTID 42 */

    setup_spi(f, 42, 0x60, 3);
    gicv3_cpuif_write(f->gic, 3, ICC_CTLR_EL1, 2);  /* EOImode */
    g_assert_cmphex(gicv3_cpuif_read(f->gic, 3, ICC_CTLR_EL1) & 3, ==, 2);
    irq_raise(line);
    g_assert_cmpuint(gicv3_cpuif_read(f->gic, 3, ICC_IAR1_EL1), ==, 42);
    gicv3_cpuif_write(f->gic, 3, ICC_EOIR1_EL1, 42);
    g_assert_cmphex(gicv3_cpuif_read(f->gic, 3, ICC_RPR_EL1), ==, 0xff);  /* dropped */
    g_assert_cmphex(rd32(DIST + 0x0304) & (1u << 10), !=, 0);             /* still active */
    g_assert_cmpint(f->irq_level[3], ==, 0);
    gicv3_cpuif_write(f->gic, 3, ICC_DIR_EL1, 42);
    g_assert_cmphex(rd32(DIST + 0x0304) & (1u << 10), ==, 0);
    g_assert_cmpint(f->irq_level[3], ==, 1);                              /* level high */
    /* ICACTIVER / ISACTIVER from software. */
    wr32(DIST + 0x0304, 1u << 10);
    g_assert_cmpint(f->irq_level[3], ==, 0);
    wr32(DIST + 0x0384, 1u << 10);
    g_assert_cmpint(f->irq_level[3], ==, 1);
}

static void test_sgi(Fixture *f, gconstpointer data)
{
    wr32(DIST, 0x12);
    for (int i = 0; i < NCPU; i++) {
        wr32(SGI_BASE(i) + 0x0080, 0xffffffff);      /* all private interrupts Group 1 */
        wr32(SGI_BASE(i) + 0x0100, 0xffff);          /* SGIs enabled */
        gicv3_cpuif_write(f->gic, i, ICC_PMR_EL1, 0xff);
        gicv3_cpuif_write(f->gic, i, ICC_IGRPEN1_EL1, 1);
    }
    g_assert_cmphex(rd32(SGI_BASE(0) + 0x0c00), ==, 0xaaaaaaaa);   /* SGIs are edge */
    /* SGI 3 to CPUs 2 and 3 (Aff1 0, target list bits 2 and 3). */
    gicv3_cpuif_write(f->gic, 0, ICC_SGI1R_EL1, 3ull << 24 | 0xc);
    g_assert_cmpint(f->irq_level[0], ==, 0);
    g_assert_cmpint(f->irq_level[1], ==, 0);
    g_assert_cmpint(f->irq_level[2], ==, 1);
    g_assert_cmpint(f->irq_level[3], ==, 1);
    g_assert_cmphex(rd32(SGI_BASE(2) + 0x0200), ==, 1u << 3);
    g_assert_cmpuint(gicv3_cpuif_read(f->gic, 2, ICC_IAR1_EL1), ==, 3);
    gicv3_cpuif_write(f->gic, 2, ICC_EOIR1_EL1, 3);
    g_assert_cmpint(f->irq_level[2], ==, 0);
    /* IRM: everyone but the sender. */
    gicv3_cpuif_write(f->gic, 1, ICC_SGI1R_EL1, 1ull << 40 | 7ull << 24);
    g_assert_cmpint(f->irq_level[0], ==, 1);
    g_assert_cmpint(f->irq_level[1], ==, 0);
    g_assert_cmpint(f->irq_level[2], ==, 1);
    g_assert_cmpuint(gicv3_cpuif_read(f->gic, 3, ICC_IAR1_EL1), ==, 3);   /* lower INTID */
    /* Another Aff1 matches nobody; SGI0R does not reach Group 1 SGIs. */
    wr32(SGI_BASE(1) + 0x0280, 0xffff);
    gicv3_cpuif_write(f->gic, 0, ICC_SGI1R_EL1, 1ull << 16 | 1ull << 24 | 0x2);
    gicv3_cpuif_write(f->gic, 0, ICC_SGI0R_EL1, 1ull << 24 | 0x2);
    g_assert_cmpint(f->irq_level[1], ==, 0);
    g_assert_cmphex(rd32(SGI_BASE(1) + 0x0200), ==, 0);
    /* The SGI config cannot be changed. */
    wr32(SGI_BASE(1) + 0x0c00, 0);
    g_assert_cmphex(rd32(SGI_BASE(1) + 0x0c00), ==, 0xaaaaaaaa);
}

static void test_ppi_and_fiq(Fixture *f, gconstpointer data)
{
    IrqLine *vtimer = arm_gic_ppi(f->dev, 1, ARM_GIC_PPI_VIRTTIMER);

    wr32(DIST, 0x13);                               /* both groups */
    wr(SGI_BASE(1) + 0x0400 + 27, 0xa0, 1);
    g_assert_cmphex(rd32(SGI_BASE(1) + 0x0418) >> 24, ==, 0xa0);
    wr32(SGI_BASE(1) + 0x0100, 1u << 27);
    gicv3_cpuif_write(f->gic, 1, ICC_PMR_EL1, 0xff);
    gicv3_cpuif_write(f->gic, 1, ICC_IGRPEN0_EL1, 1);
    /* Group 0 (the reset group) signals FIQ. */
    irq_raise(vtimer);
    g_assert_cmpint(f->fiq_level[1], ==, 1);
    g_assert_cmpint(f->irq_level[1], ==, 0);
    g_assert_cmpint(f->fiq_level[0], ==, 0);
    g_assert_cmpuint(gicv3_cpuif_read(f->gic, 1, ICC_HPPIR0_EL1), ==, 27);
    g_assert_cmpuint(gicv3_cpuif_read(f->gic, 1, ICC_IAR1_EL1), ==, 1023);
    g_assert_cmpuint(gicv3_cpuif_read(f->gic, 1, ICC_IAR0_EL1), ==, 27);
    g_assert_cmpint(f->fiq_level[1], ==, 0);
    gicv3_cpuif_write(f->gic, 1, ICC_EOIR0_EL1, 27);
    g_assert_cmpint(f->fiq_level[1], ==, 1);
    /* Moved to Group 1 it becomes an IRQ. */
    wr32(SGI_BASE(1) + 0x0080, 1u << 27);
    g_assert_cmpint(f->fiq_level[1], ==, 0);
    g_assert_cmpint(f->irq_level[1], ==, 0);        /* Group 1 not enabled at the CPU */
    gicv3_cpuif_write(f->gic, 1, ICC_IGRPEN1_EL1, 1);
    g_assert_cmpint(f->irq_level[1], ==, 1);
    irq_lower(vtimer);
    g_assert_cmpint(f->irq_level[1], ==, 0);
    /* The same PPI of another CPU is a different interrupt. */
    irq_raise(arm_gic_ppi(f->dev, 0, ARM_GIC_PPI_VIRTTIMER));
    g_assert_cmpint(f->irq_level[1], ==, 0);
    g_assert_cmphex(rd32(SGI_BASE(0) + 0x0200), ==, 1u << 27);
}

static void test_reset(Fixture *f, gconstpointer data)
{
    IrqLine *line = arm_gic_spi(f->dev, 5);

    setup_spi(f, 37, 0x80, 1);
    irq_raise(line);
    g_assert_cmpuint(gicv3_cpuif_read(f->gic, 1, ICC_IAR1_EL1), ==, 37);
    wr32(RD_BASE(1) + 0x14, 0);
    device_reset(f->dev);
    g_assert_cmphex(rd32(DIST), ==, 0x50);
    g_assert_cmphex(rd32(DIST + 0x0104), ==, 0);
    g_assert_cmphex(rd32(DIST + 0x0304), ==, 0);
    g_assert_cmphex(rd32(RD_BASE(1) + 0x14), ==, 6);
    g_assert_cmphex(gicv3_cpuif_read(f->gic, 1, ICC_RPR_EL1), ==, 0xff);
    g_assert_cmphex(gicv3_cpuif_read(f->gic, 1, ICC_PMR_EL1), ==, 0);
    g_assert_cmpint(f->irq_level[1], ==, 0);
    /* The input is still high: pending by level as soon as enabled. */
    setup_spi(f, 37, 0x80, 1);
    g_assert_cmpint(f->irq_level[1], ==, 1);
}

static void test_decode(void)
{
    GICv3CpuReg r;

    g_assert_true(gicv3_cpuif_reg_decode(3, 0, 4, 6, 0, &r));
    g_assert_cmpint(r, ==, ICC_PMR_EL1);
    g_assert_true(gicv3_cpuif_reg_decode(3, 0, 12, 12, 0, &r));
    g_assert_cmpint(r, ==, ICC_IAR1_EL1);
    g_assert_true(gicv3_cpuif_reg_decode(3, 0, 12, 11, 5, &r));
    g_assert_cmpint(r, ==, ICC_SGI1R_EL1);
    g_assert_true(gicv3_cpuif_reg_decode(3, 0, 12, 12, 7, &r));
    g_assert_cmpstr(gicv3_cpuif_reg_name(r), ==, "ICC_IGRPEN1_EL1");
    g_assert_true(gicv3_cpuif_reg_decode(3, 0, 12, 9, 0, &r));
    g_assert_cmpint(r, ==, ICC_AP1R0_EL1);
    g_assert_false(gicv3_cpuif_reg_decode(3, 0, 12, 0, 0, &r));   /* VBAR_EL1 */
    g_assert_false(gicv3_cpuif_reg_decode(3, 4, 12, 12, 5, &r));  /* ICC_SRE_EL2 */
    g_assert_false(gicv3_cpuif_reg_decode(2, 0, 12, 12, 0, &r));
    g_assert_true(gicv3_cpuif_reg_readable(ICC_IAR1_EL1));
    g_assert_false(gicv3_cpuif_reg_writable(ICC_IAR1_EL1));
    g_assert_false(gicv3_cpuif_reg_readable(ICC_EOIR1_EL1));
    g_assert_true(gicv3_cpuif_reg_writable(ICC_SGI1R_EL1));
    g_assert_false(gicv3_cpuif_reg_readable(ICC__COUNT));
}

static void test_guest_errors(Fixture *f, gconstpointer data)
{
    /* Wrong-size and reserved accesses are ignored, never fatal. */
    wr(DIST + 0x0000, 0x3, 2);
    g_assert_cmphex(rd32(DIST), ==, 0x50);
    g_assert_cmphex(rd(DIST + 0x0004, 2), ==, 0);
    wr32(DIST + 0x0004, 0);                                 /* TYPER is read-only */
    g_assert_cmphex(rd32(DIST + 0x0004) & 0x1f, ==, 8);
    wr32(DIST + 0x0100, 0xffffffff);                        /* word 0 lives in the GICR */
    g_assert_cmphex(rd32(DIST + 0x0100), ==, 0);
    wr32(DIST + 0x0100 + 4 * 20, 0xffffffff);               /* beyond ITLinesNumber */
    g_assert_cmphex(rd32(DIST + 0x0100 + 4 * 20), ==, 0);
    wr(DIST + 0x6000 + 1000 * 8, 1, 8);                     /* IROUTER past num_irq */
    g_assert_cmphex(rd(DIST + 0x6000 + 1000 * 8, 8), ==, 0);
    wr(DIST + 0x6000 + 40 * 8, 1ull << 31 | 0xff00000000ull, 8);  /* IRM is RAZ/WI */
    g_assert_cmphex(rd(DIST + 0x6000 + 40 * 8, 8), ==, 0xff00000000ull);
    g_assert_cmphex(rd32(DIST + 0x0800), ==, 0);            /* ITARGETSR RAZ */
    g_assert_cmphex(rd32(RD_BASE(0) + 0x0500), ==, 0);      /* unknown */
    g_assert_cmphex(gicv3_cpuif_read(f->gic, 0, ICC_EOIR1_EL1), ==, 0);
    gicv3_cpuif_write(f->gic, 0, ICC_IAR1_EL1, 5);
    gicv3_cpuif_write(f->gic, 0, ICC_EOIR1_EL1, 1023);      /* special INTIDs ignored */
    gicv3_cpuif_write(f->gic, 0, ICC_EOIR1_EL1, 40);        /* nothing active */
    gicv3_cpuif_write(f->gic, 0, ICC_DIR_EL1, 1000);        /* beyond num_irq */
    gicv3_cpuif_write(f->gic, 0, ICC_SRE_EL1, 0);
    g_assert_cmphex(gicv3_cpuif_read(f->gic, 0, ICC_SRE_EL1), ==, 7);
}

static void test_bad_config(void)
{
    GICv3Config cfg = {
        .num_cpu = 2, .dist_base = DIST,
        .redist_base = { REDIST }, .redist_count = { 1 },
    };
    GError *err = NULL;

    g_assert_null(gicv3_create(&cfg, &err));
    g_assert_cmpstr(err->message, ==,
                    "arm-gicv3: the redistributor regions hold 1 CPUs, not 2");
    g_clear_error(&err);
    cfg.redist_count[0] = 2;
    cfg.num_irq = 100;
    g_assert_null(gicv3_create(&cfg, &err));
    g_assert_cmpstr(err->message, ==,
                    "arm-gicv3: num-irq 100 must be a multiple of 32 between 64 and 1024");
    g_clear_error(&err);
    cfg.num_irq = 0;
    cfg.num_cpu = 0;
    cfg.redist_count[0] = 0;
    g_assert_null(gicv3_create(&cfg, &err));
    g_assert_cmpstr(err->message, ==, "arm-gicv3: num-cpu 0 is out of range (1-512)");
    g_clear_error(&err);
    device_tree_destroy();
}

/* Two redistributor regions and MPIDR-style affinities (Aff1 = cluster). */
static void test_two_regions(void)
{
    const uint64_t aff[3] = { 0x000, 0x100, 0x0100000001ull };
    GICv3Config cfg = {
        .num_cpu = 3, .dist_base = DIST, .cpu_affinity = aff,
        .redist_base = { REDIST, 0x4000000000ull }, .redist_count = { 2, 1 },
    };
    GError *err = NULL;
    GICv3State *gic = gicv3_create(&cfg, &err);
    uint64_t typer;

    g_assert_no_error(err);
    g_assert_cmphex((rd(RD_BASE(0) + 8, 8) >> 4) & 1, ==, 0);
    typer = rd(RD_BASE(1) + 8, 8);
    g_assert_cmphex(typer >> 32, ==, 0x100);
    g_assert_cmphex((typer >> 4) & 1, ==, 1);                 /* last of region 0 */
    typer = rd(0x4000000000ull + 8, 8);
    g_assert_cmphex(typer >> 32, ==, 0x01000001);             /* Aff3 in bits 63:56 */
    g_assert_cmphex((typer >> 8) & 0xffff, ==, 2);
    /* An SGI to Aff3 1, Aff1 0, target 1 reaches CPU 2 only. */
    wr32(DIST, 0x12);
    wr32(0x4000000000ull + 0x10000 + 0x80, 0xffff);
    wr32(0x4000000000ull + 0x10000 + 0x100, 0xffff);
    gicv3_cpuif_write(gic, 0, ICC_SGI1R_EL1, 1ull << 48 | 5ull << 24 | 0x2);
    g_assert_cmphex(rd32(0x4000000000ull + 0x10000 + 0x200), ==, 1u << 5);
    g_assert_cmphex(rd32(SGI_BASE(1) + 0x200), ==, 0);
    /* IROUTER with Aff1 1 goes to CPU 1. */
    wr(DIST + 0x6000 + 50 * 8, 0x100, 8);
    wr(DIST + 0x0080 + 4, 1u << 18, 4);
    wr(DIST + 0x0100 + 4, 1u << 18, 4);
    gicv3_cpuif_write(gic, 1, ICC_PMR_EL1, 0xff);
    gicv3_cpuif_write(gic, 1, ICC_IGRPEN1_EL1, 1);
    irq_raise(arm_gic_spi(gicv3_device(gic), 18));
    g_assert_cmpuint(gicv3_cpuif_read(gic, 1, ICC_HPPIR1_EL1), ==, 50);
    g_assert_cmpuint(gicv3_cpuif_read(gic, 0, ICC_HPPIR1_EL1), ==, 1023);
    device_tree_destroy();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add("/gicv3/" path, Fixture, NULL, setup, fn, teardown)
    ADD("ids", test_ids);
    ADD("waker", test_waker);
    ADD("spi-level", test_spi_level);
    ADD("spi-edge", test_spi_edge);
    ADD("priority", test_priority);
    ADD("eoimode", test_eoimode);
    ADD("sgi", test_sgi);
    ADD("ppi-fiq", test_ppi_and_fiq);
    ADD("reset", test_reset);
    ADD("guest-errors", test_guest_errors);
    g_test_add_func("/gicv3/decode", test_decode);
    g_test_add_func("/gicv3/bad-config", test_bad_config);
    g_test_add_func("/gicv3/two-regions", test_two_regions);
    return g_test_run();
}
