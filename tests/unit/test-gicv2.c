/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * GICv2 tests: a 2-CPU GIC with the GICv2m frame at the virt board's
 * addresses, everything driven through MMIO; the test's CPU resolver picks
 * which CPU's banked registers an access reaches. Covers identification,
 * SPI delivery through ITARGETSR, GICC acknowledge/EOI with priorities,
 * SGIs with their source CPU, FIQEn, EOImode + GICC_DIR, MSIs through
 * MSI_SETSPI_NS, and guest mistakes.
 */
#include <string.h>

#include "hw/core/device.h"
#include "hw/intc/arm_gic.h"
#include "system/memory.h"
#include "util/error.h"

#define GICD 0x08000000ull
#define GICC 0x08010000ull
#define V2M  0x08020000ull

typedef struct Fixture {
    GICv2State *gic;
    DeviceState *dev;
    int cur;
    IrqLine *irq[2], *fiq[2];
    int irq_level[2], fiq_level[2];
} Fixture;

static void irq_handler(void *opaque, int n, int level)
{
    ((Fixture *)opaque)->irq_level[n] = level;
}

static void fiq_handler(void *opaque, int n, int level)
{
    ((Fixture *)opaque)->fiq_level[n] = level;
}

static int resolver(void *opaque)
{
    return ((Fixture *)opaque)->cur;
}

static uint32_t rd(uint64_t addr)
{
    uint64_t v = 0;

    g_assert_cmpuint(address_space_read_val(address_space_memory(), addr, &v, 4), ==,
                     MEMTX_OK);
    return v;
}

static void wr(uint64_t addr, uint32_t v)
{
    g_assert_cmpuint(address_space_write_val(address_space_memory(), addr, v, 4), ==,
                     MEMTX_OK);
}

static void wrb(uint64_t addr, uint8_t v)
{
    g_assert_cmpuint(address_space_write_val(address_space_memory(), addr, v, 1), ==,
                     MEMTX_OK);
}

static void setup(Fixture *f, gconstpointer data)
{
    GICv2Config cfg = {
        .num_cpu = 2, .dist_base = GICD, .cpu_base = GICC,
        .v2m_base = V2M, .v2m_spi_base = 80, .v2m_spi_count = 64,
    };
    GError *err = NULL;

    memset(f, 0, sizeof(*f));
    f->gic = gicv2_create(&cfg, &err);
    g_assert_no_error(err);
    f->dev = gicv2_device(f->gic);
    gicv2_set_cpu_resolver(f->gic, resolver, f);
    for (int i = 0; i < 2; i++) {
        f->irq[i] = irq_new(irq_handler, f, i);
        f->fiq[i] = irq_new(fiq_handler, f, i);
        arm_gic_connect_cpu(f->dev, i, f->irq[i], f->fiq[i]);
    }
}

static void teardown(Fixture *f, gconstpointer data)
{
    device_tree_destroy();
    for (int i = 0; i < 2; i++) {
        irq_free(f->irq[i]);
        irq_free(f->fiq[i]);
    }
}

/* Both CPU interfaces on, everything unmasked, distributor on. */
static void enable_all(Fixture *f)
{
    wr(GICD + 0x000, 1);
    for (f->cur = 1; f->cur >= 0; f->cur--) {
        wr(GICC + 0x000, 1);
        wr(GICC + 0x004, 0xff);
    }
    f->cur = 0;
}

static void test_ids(Fixture *f, gconstpointer data)
{
    g_assert_cmphex(rd(GICD + 0x004), ==, (288 / 32 - 1) | (1 << 5));
    g_assert_cmphex(rd(GICD + 0xfe8) & 0xf0, ==, 0x20);   /* ArchRev 2 */
    g_assert_cmphex(rd(GICC + 0x0fc) >> 16 & 0xf, ==, 2);
    g_assert_cmphex(rd(V2M + GICV2M_MSI_TYPER), ==, 80u << 16 | 64);
    /* ITARGETSR of private interrupts name the reader. */
    f->cur = 1;
    g_assert_cmphex(rd(GICD + 0x800), ==, 0x02020202);
    f->cur = 0;
    g_assert_cmphex(rd(GICD + 0x81c), ==, 0x01010101);
    /* SGIs are always enabled. */
    g_assert_cmphex(rd(GICD + 0x100), ==, 0xffff);
    wr(GICD + 0x180, 0xffffffff);
    g_assert_cmphex(rd(GICD + 0x100), ==, 0xffff);
}

static void test_spi(Fixture *f, gconstpointer data)
{
    IrqLine *line = arm_gic_spi(f->dev, 1);    /* INTID 33, the virt UART */

    enable_all(f);
    wrb(GICD + 0x400 + 33, 0xa0);
    wrb(GICD + 0x800 + 33, 0x2);              /* CPU 1 */
    wr(GICD + 0x104, 1u << 1);
    irq_raise(line);
    g_assert_cmpint(f->irq_level[1], ==, 1);
    g_assert_cmpint(f->irq_level[0], ==, 0);
    g_assert_cmpuint(rd(GICC + 0x00c), ==, 1023);   /* CPU 0 has nothing */
    f->cur = 1;
    g_assert_cmpuint(rd(GICC + 0x018), ==, 33);     /* HPPIR */
    g_assert_cmpuint(rd(GICC + 0x00c), ==, 33);     /* IAR */
    g_assert_cmpint(f->irq_level[1], ==, 0);
    g_assert_cmphex(rd(GICC + 0x014), ==, 0xa0);    /* RPR */
    irq_lower(line);
    wr(GICC + 0x010, 33);                           /* EOIR */
    g_assert_cmphex(rd(GICC + 0x014), ==, 0xff);
    g_assert_cmphex(rd(GICD + 0x304), ==, 0);
    /* PMR masks; both targets see it; the first to acknowledge wins. */
    wrb(GICD + 0x800 + 33, 0x3);
    wr(GICC + 0x004, 0xa0);
    irq_raise(line);
    g_assert_cmpint(f->irq_level[1], ==, 0);
    g_assert_cmpint(f->irq_level[0], ==, 1);
    f->cur = 0;
    g_assert_cmpuint(rd(GICC + 0x00c), ==, 33);
    f->cur = 1;
    wr(GICC + 0x004, 0xff);
    g_assert_cmpuint(rd(GICC + 0x00c), ==, 1023);   /* already active */
}

static void test_sgi(Fixture *f, gconstpointer data)
{
    enable_all(f);
    f->cur = 1;
    wr(GICD + 0xf00, 0x2u << 16 | 0u << 24 | 5);    /* SGI 5 to CPU 1 (itself) */
    wr(GICD + 0xf00, 1u << 24 | 5);                 /* ... to everyone else: CPU 0 */
    g_assert_cmpint(f->irq_level[0], ==, 1);
    g_assert_cmpint(f->irq_level[1], ==, 1);
    g_assert_cmphex(rd(GICD + 0xf24) >> 8 & 0xff, ==, 0x2);  /* SPENDSGIR: from CPU 1 */
    f->cur = 0;
    wr(GICD + 0xf00, 2u << 24 | 5);                 /* CPU 0 to itself too */
    g_assert_cmphex(rd(GICD + 0xf24) >> 8 & 0xff, ==, 0x3);
    g_assert_cmpuint(rd(GICC + 0x00c), ==, 5);      /* from CPU 0 first */
    wr(GICC + 0x010, 5);
    g_assert_cmpuint(rd(GICC + 0x00c), ==, 5 | 1 << 10);   /* then from CPU 1 */
    wr(GICC + 0x010, 5 | 1 << 10);
    g_assert_cmpint(f->irq_level[0], ==, 0);
    /* CPENDSGIR clears a source. */
    f->cur = 1;
    g_assert_cmphex(rd(GICD + 0x200), ==, 1u << 5);
    wrb(GICD + 0xf10 + 5, 0x2);
    g_assert_cmphex(rd(GICD + 0x200), ==, 0);
    g_assert_cmpint(f->irq_level[1], ==, 0);
}

static void test_fiq_and_eoimode(Fixture *f, gconstpointer data)
{
    IrqLine *ppi = arm_gic_ppi(f->dev, 0, ARM_GIC_PPI_PHYSTIMER);

    enable_all(f);
    wr(GICD + 0x100, 1u << 30);
    wr(GICC + 0x000, 1 | 1 << 3 | 1 << 9);          /* EnableGrp0, FIQEn, EOImode */
    irq_raise(ppi);
    g_assert_cmpint(f->fiq_level[0], ==, 1);
    g_assert_cmpint(f->irq_level[0], ==, 0);
    g_assert_cmpuint(rd(GICC + 0x00c), ==, 30);
    wr(GICC + 0x010, 30);                           /* priority drop only */
    g_assert_cmphex(rd(GICD + 0x300), ==, 1u << 30);
    g_assert_cmpint(f->fiq_level[0], ==, 0);
    wr(GICC + 0x1000, 30);                          /* GICC_DIR */
    g_assert_cmpint(f->fiq_level[0], ==, 1);        /* still high */
    irq_lower(ppi);
    g_assert_cmpint(f->fiq_level[0], ==, 0);
    /* Group 1 with AckCtl 0: GICC_IAR answers 1022, GICC_AIAR takes it. */
    wr(GICD + 0x000, 3);
    wr(GICD + 0x080, 1u << 30);
    wr(GICC + 0x000, 3);
    irq_raise(ppi);
    g_assert_cmpint(f->irq_level[0], ==, 1);
    g_assert_cmpuint(rd(GICC + 0x00c), ==, 1022);
    g_assert_cmpuint(rd(GICC + 0x028), ==, 30);     /* AHPPIR */
    g_assert_cmpuint(rd(GICC + 0x020), ==, 30);     /* AIAR */
    wr(GICC + 0x024, 30);
    wr(GICC + 0x000, 3 | 1 << 2);                   /* AckCtl */
    g_assert_cmpuint(rd(GICC + 0x00c), ==, 30);
}

static void test_v2m(Fixture *f, gconstpointer data)
{
    enable_all(f);
    wrb(GICD + 0x800 + 100, 1);
    wr(GICD + 0x100 + 100 / 32 * 4, 1u << (100 % 32));
    wr(GICD + 0xc00 + 100 / 16 * 4, 2u << (2 * (100 % 16)));
    wr(V2M + GICV2M_MSI_SETSPI_NS, 100);
    g_assert_cmpint(f->irq_level[0], ==, 1);
    g_assert_cmpuint(rd(GICC + 0x00c), ==, 100);
    wr(GICC + 0x010, 100);
    g_assert_cmpint(f->irq_level[0], ==, 0);
    /* Outside the frame's range: ignored. */
    wr(V2M + GICV2M_MSI_SETSPI_NS, 40);
    wr(V2M + GICV2M_MSI_SETSPI_NS, 144);
    g_assert_cmphex(rd(GICD + 0x204), ==, 0);
    g_assert_cmphex(rd(GICD + 0x200 + 144 / 32 * 4), ==, 0);
    wr(V2M + 0x100, 1);
    g_assert_cmphex(rd(V2M + 0x100), ==, 0);
}

static void test_guest_errors(Fixture *f, gconstpointer data)
{
    uint64_t v;

    address_space_write_val(address_space_memory(), GICD + 0x000, 1, 2);
    g_assert_cmphex(rd(GICD), ==, 0);
    address_space_read_val(address_space_memory(), GICC + 0x00c, &v, 2);
    g_assert_cmphex(v, ==, 0);
    wr(GICD + 0x004, 0);
    g_assert_cmphex(rd(GICD + 0x004) & 0x1f, ==, 8);
    wr(GICD + 0xf00, 3u << 24 | 1);                 /* reserved filter */
    g_assert_cmphex(rd(GICD + 0x200), ==, 0);
    g_assert_cmphex(rd(GICC + 0x010), ==, 0);       /* write-only */
    wr(GICC + 0x010, 1023);
    wr(GICC + 0x010, 40);                           /* nothing active */
    wr(GICC + 0x1000, 900);                         /* beyond num_irq */
    wr(GICC + 0x0d4, 5);                            /* APR1: RAZ/WI */
    g_assert_cmphex(rd(GICC + 0x0d4), ==, 0);
    wrb(GICD + 0x800 + 40, 0xff);                   /* only existing CPUs */
    g_assert_cmphex(rd(GICD + 0x828), ==, 0x3);
}

static void test_bad_config(void)
{
    GICv2Config cfg = { .num_cpu = 9, .dist_base = GICD, .cpu_base = GICC };
    GError *err = NULL;

    g_assert_null(gicv2_create(&cfg, &err));
    g_assert_cmpstr(err->message, ==, "arm-gic: num-cpu 9 is out of range (1-8)");
    g_clear_error(&err);
    cfg.num_cpu = 1;
    cfg.v2m_spi_base = 260;
    cfg.v2m_spi_count = 64;
    g_assert_null(gicv2_create(&cfg, &err));
    g_assert_cmpstr(err->message, ==,
                    "arm-gic: GICv2m SPIs 260-323 are outside the 288 interrupts");
    g_clear_error(&err);
    device_tree_destroy();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add("/gicv2/" path, Fixture, NULL, setup, fn, teardown)
    ADD("ids", test_ids);
    ADD("spi", test_spi);
    ADD("sgi", test_sgi);
    ADD("fiq-eoimode", test_fiq_and_eoimode);
    ADD("v2m", test_v2m);
    ADD("guest-errors", test_guest_errors);
    g_test_add_func("/gicv2/bad-config", test_bad_config);
    return g_test_run();
}
