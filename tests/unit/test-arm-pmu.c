/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The PMUv3 (target/arm/pmu.c) driven through its API on a bare CPU state:
 * reset values, the register table, enabling and the divider, SW_INCR,
 * counter writes, overflow through the timer into PMOVS and the PPI, and
 * EL0 access control by PMUSERENR_EL0. Time is the manual virtual clock,
 * so counts are exact; an UNDEFINED access lands in the stub below.
 */
#include <glib.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "hw/core/irq.h"
#include "system/main-loop.h"
#include "system/timer.h"
#include "target/arm/helper.h"
#include "target/arm/pmu.h"

#define PMCR        ARM_SYSREG(3, 3, 9, 12, 0)
#define PMCNTENSET  ARM_SYSREG(3, 3, 9, 12, 1)
#define PMCNTENCLR  ARM_SYSREG(3, 3, 9, 12, 2)
#define PMOVSCLR    ARM_SYSREG(3, 3, 9, 12, 3)
#define PMSWINC     ARM_SYSREG(3, 3, 9, 12, 4)
#define PMSELR      ARM_SYSREG(3, 3, 9, 12, 5)
#define PMCEID0     ARM_SYSREG(3, 3, 9, 12, 6)
#define PMCEID1     ARM_SYSREG(3, 3, 9, 12, 7)
#define PMCCNTR     ARM_SYSREG(3, 3, 9, 13, 0)
#define PMXEVTYPER  ARM_SYSREG(3, 3, 9, 13, 1)
#define PMXEVCNTR   ARM_SYSREG(3, 3, 9, 13, 2)
#define PMUSERENR   ARM_SYSREG(3, 3, 9, 14, 0)
#define PMINTENSET  ARM_SYSREG(3, 0, 9, 14, 1)
#define PMINTENCLR  ARM_SYSREG(3, 0, 9, 14, 2)
#define PMOVSSET    ARM_SYSREG(3, 3, 9, 14, 3)
#define PMCCFILTR   ARM_SYSREG(3, 3, 14, 15, 7)
#define PMEVCNTR(n) ARM_SYSREG(3, 3, 14, 8 | ((n) >> 3), (n) & 7)
#define PMEVTYPER(n) ARM_SYSREG(3, 3, 14, 12 | ((n) >> 3), (n) & 7)

#define E  1u
#define P  2u
#define C  4u
#define D  8u
#define LC 64u
#define CYC (1u << 31)

static CPUARMState *env;
static IrqLine *line;
static int irq_level;

/* The stub for pmu.c's UNDEFINED accesses: back to the probe that expected it. */
static jmp_buf undef_jmp;
static bool undef_armed;
static uint32_t undef_syndrome;

G_NORETURN void arm_raise_exception(CPUARMState *e, uint32_t syndrome, uint64_t far,
                                    uintptr_t retaddr)
{
    (void)e;
    (void)far;
    (void)retaddr;
    g_assert_true(undef_armed);
    undef_syndrome = syndrome;
    longjmp(undef_jmp, 1);
}

static void irq_handler(void *opaque, int n, int level)
{
    (void)opaque;
    (void)n;
    irq_level = level;
}

static uint64_t rd(uint32_t key)
{
    return arm_pmu_read(env, key, 0);
}

static void wr(uint32_t key, uint64_t val)
{
    arm_pmu_write(env, key, val, 0);
}

/* Does the access raise UNDEFINED? */
static bool traps(uint32_t key, bool is_read, uint64_t val)
{
    undef_armed = true;
    undef_syndrome = ~0u;
    if (setjmp(undef_jmp) != 0) {
        undef_armed = false;
        g_assert_cmphex(undef_syndrome, ==, syn_uncategorized());
        return true;
    }
    if (is_read) {
        (void)rd(key);
    } else {
        wr(key, val);
    }
    undef_armed = false;
    return false;
}

static void set_el(unsigned el)
{
    env->pstate = (env->pstate & ~PSTATE_EL_MASK) | (el << PSTATE_EL_SHIFT);
}

/* Every test: a fresh CPU at EL1 with a reset PMU, manual time running. */
static void setup(void)
{
    void *p = NULL;

    clock_virtual_set_manual(true);
    clock_virtual_start();
    g_assert_cmpint(posix_memalign(&p, 64, sizeof(CPUARMState)), ==, 0);
    memset(p, 0, sizeof(CPUARMState));
    env = p;
    env->id.midr = 0x410fd083ull;   /* implementer 'A' */
    set_el(1);
    irq_level = 0;
    line = irq_new(irq_handler, NULL, 0);
    arm_pmu_init(env, line);
    arm_pmu_reset(env);
}

static void teardown(void)
{
    /* The PMU's timer belongs to this env: stop it before freeing. */
    wr(PMCR, 0);
    wr(PMCNTENCLR, ~0u);
    irq_free(line);
    free(env);
    env = NULL;
}

static void test_lookup(void)
{
    ARMSysReg r;

    g_assert_true(arm_pmu_sysreg_lookup(PMCR, &r));
    g_assert_cmpstr(r.name, ==, "PMCR_EL0");
    g_assert_cmpint(r.kind, ==, SR_HELPER);
    g_assert_cmpint(r.access & (SR_RW | SR_EL0_R | SR_EL0_W), ==, SR_RW | SR_EL0_R | SR_EL0_W);
    g_assert_true(arm_pmu_sysreg_lookup(PMEVTYPER(5), &r));
    g_assert_cmpstr(r.name, ==, "PMEVTYPER5_EL0");
    g_assert_true(arm_pmu_sysreg_lookup(PMEVCNTR(0), &r));
    g_assert_cmpstr(r.name, ==, "PMEVCNTR0_EL0");
    g_assert_false(arm_pmu_sysreg_lookup(PMEVCNTR(6), &r));      /* n >= N */
    g_assert_false(arm_pmu_sysreg_lookup(PMEVTYPER(30), &r));
    g_assert_false(arm_pmu_sysreg_lookup(PMEVCNTR(31), &r));
    g_assert_true(arm_pmu_sysreg_lookup(PMCCFILTR, &r));
    g_assert_cmpstr(r.name, ==, "PMCCFILTR_EL0");
    g_assert_false(arm_pmu_sysreg_lookup(ARM_SYSREG(3, 0, 1, 0, 0), &r));  /* SCTLR */
    /* Write-only, read-only, EL1-only. */
    g_assert_true(arm_pmu_sysreg_lookup(PMSWINC, &r));
    g_assert_cmpint(r.access & (SR_R | SR_EL0_R), ==, 0);
    g_assert_true(arm_pmu_sysreg_lookup(PMCEID0, &r));
    g_assert_cmpint(r.access & (SR_W | SR_EL0_W), ==, 0);
    g_assert_true(arm_pmu_sysreg_lookup(PMINTENSET, &r));
    g_assert_cmpint(r.access & (SR_EL0_R | SR_EL0_W), ==, 0);
    g_assert_true(arm_pmu_sysreg_lookup(PMUSERENR, &r));
    g_assert_cmpint(r.access & (SR_EL0_R | SR_EL0_W), ==, SR_EL0_R);
}

static void test_reset(void)
{
    setup();
    g_assert_cmphex(rd(PMCR), ==, 0x41000000u | (6u << 11));
    g_assert_cmphex(rd(PMCNTENSET), ==, 0);
    g_assert_cmphex(rd(PMINTENSET), ==, 0);
    g_assert_cmphex(rd(PMOVSSET), ==, 0);
    g_assert_cmphex(rd(PMUSERENR), ==, 0);
    g_assert_cmphex(rd(PMSELR), ==, 0);
    g_assert_cmphex(rd(PMCCFILTR), ==, 0);
    /* SW_INCR, INST_RETIRED, CPU_CYCLES, BUS_CYCLES. */
    g_assert_cmphex(rd(PMCEID0), ==, (1u << 0) | (1u << 8) | (1u << 0x11) | (1u << 0x1d));
    g_assert_cmphex(rd(PMCEID1), ==, 0);
    clock_virtual_advance(5000);
    g_assert_cmphex(rd(PMCCNTR), ==, 0);            /* nothing counts while disabled */
    g_assert_cmpint(irq_level, ==, 0);

    /* Reset clears what the guest set. */
    wr(PMCR, E | LC);
    wr(PMCNTENSET, CYC | 1);
    wr(PMUSERENR, 0xf);
    wr(PMCCNTR, 1234);
    arm_pmu_reset(env);
    g_assert_cmphex(rd(PMCR) & 0x7f, ==, 0);
    g_assert_cmphex(rd(PMCNTENSET), ==, 0);
    g_assert_cmphex(rd(PMUSERENR), ==, 0);
    g_assert_cmphex(rd(PMCCNTR), ==, 0);
    teardown();
}

static void test_cycle_counter(void)
{
    setup();
    /* Writable bits only; P and C are actions that read as zero. */
    wr(PMCR, 0xffffffffu);
    g_assert_cmphex(rd(PMCR), ==, 0x41000000u | (6u << 11) | 0x79);
    wr(PMCR, 0);
    wr(PMCNTENSET, CYC);
    g_assert_cmphex(rd(PMCNTENSET), ==, CYC);
    g_assert_cmphex(rd(PMCNTENCLR), ==, CYC);
    clock_virtual_advance(300);
    g_assert_cmpuint(rd(PMCCNTR), ==, 0);           /* PMCR.E still clear */
    wr(PMCR, E | LC);
    clock_virtual_advance(1000);
    g_assert_cmpuint(rd(PMCCNTR), ==, 1000);        /* 1 GHz */
    wr(PMCNTENCLR, CYC);
    clock_virtual_advance(500);
    g_assert_cmpuint(rd(PMCCNTR), ==, 1000);
    wr(PMCNTENSET, CYC);
    wr(PMCR, LC);
    clock_virtual_advance(500);
    g_assert_cmpuint(rd(PMCCNTR), ==, 1000);

    /* PMCR.D: one tick every 64 cycles, remainders carried. */
    wr(PMCR, E | D | LC);
    clock_virtual_advance(6400);
    g_assert_cmpuint(rd(PMCCNTR), ==, 1100);
    clock_virtual_advance(40);
    g_assert_cmpuint(rd(PMCCNTR), ==, 1100);
    clock_virtual_advance(24);
    g_assert_cmpuint(rd(PMCCNTR), ==, 1101);

    /* A 64-bit write, then PMCR.C zeroes it. */
    wr(PMCR, LC);
    wr(PMCCNTR, 0x123456789abcull);
    g_assert_cmphex(rd(PMCCNTR), ==, 0x123456789abcull);
    wr(PMCR, C | LC);
    g_assert_cmphex(rd(PMCCNTR), ==, 0);

    /* PMCCFILTR.P: no counting at EL1. */
    wr(PMCCFILTR, 0xffffffffu);
    g_assert_cmphex(rd(PMCCFILTR), ==, 0xc0000000u);
    wr(PMCCFILTR, 1u << 31);
    wr(PMCR, E | LC);
    clock_virtual_advance(100);
    g_assert_cmpuint(rd(PMCCNTR), ==, 0);
    teardown();
}

static void test_event_counters(void)
{
    setup();
    wr(PMEVTYPER(0), 0x11);                 /* CPU_CYCLES */
    wr(PMEVTYPER(1), 0x08);                 /* INST_RETIRED, approximated as cycles */
    wr(PMEVTYPER(2), 0x23);                 /* not implemented: never counts */
    wr(PMEVTYPER(3), 0xffffffffu);
    g_assert_cmphex(rd(PMEVTYPER(3)), ==, 0xc000ffffu);
    wr(PMEVCNTR(1), 50);
    wr(PMEVCNTR(5), 0x1ffffffffull);        /* 32-bit counters */
    g_assert_cmphex(rd(PMEVCNTR(5)), ==, 0xffffffffu);
    wr(PMCNTENSET, 0x7);
    wr(PMCR, E);
    clock_virtual_advance(700);
    g_assert_cmpuint(rd(PMEVCNTR(0)), ==, 700);
    g_assert_cmpuint(rd(PMEVCNTR(1)), ==, 750);
    g_assert_cmpuint(rd(PMEVCNTR(2)), ==, 0);

    /* PMSELR + PMXEV*, and SEL = 31 reaching PMCCFILTR. */
    wr(PMSELR, 1);
    g_assert_cmpuint(rd(PMSELR), ==, 1);
    g_assert_cmphex(rd(PMXEVTYPER), ==, 0x08);
    g_assert_cmpuint(rd(PMXEVCNTR), ==, 750);
    wr(PMXEVCNTR, 7);
    g_assert_cmpuint(rd(PMEVCNTR(1)), ==, 7);
    wr(PMXEVTYPER, 0x1d);
    g_assert_cmphex(rd(PMEVTYPER(1)), ==, 0x1d);
    wr(PMSELR, 31);
    wr(PMXEVTYPER, 1u << 30);
    g_assert_cmphex(rd(PMCCFILTR), ==, 1u << 30);
    g_assert_cmpuint(rd(PMXEVCNTR), ==, 0);
    wr(PMSELR, 9);                          /* no such counter: RAZ/WI */
    wr(PMXEVCNTR, 99);
    g_assert_cmpuint(rd(PMXEVCNTR), ==, 0);

    /* PMCR.P resets the event counters, not the cycle counter. */
    wr(PMCNTENSET, CYC);
    clock_virtual_advance(10);
    wr(PMCR, E | P);
    g_assert_cmpuint(rd(PMEVCNTR(0)), ==, 0);
    g_assert_cmpuint(rd(PMEVCNTR(5)), ==, 0);
    g_assert_cmpuint(rd(PMCCNTR), ==, 10);
    teardown();
}

static void test_sw_incr(void)
{
    setup();
    wr(PMEVTYPER(2), 0x00);
    wr(PMEVTYPER(3), 0x00 | (1u << 31));   /* P: not at EL1 */
    wr(PMEVTYPER(4), 0x11);                 /* not SW_INCR */
    wr(PMSWINC, 0x1c);
    g_assert_cmpuint(rd(PMEVCNTR(2)), ==, 0);   /* disabled */
    wr(PMCNTENSET, 0x1c);
    wr(PMCR, E);
    wr(PMSWINC, 0x1c);
    wr(PMSWINC, 0x04);
    g_assert_cmpuint(rd(PMEVCNTR(2)), ==, 2);
    g_assert_cmpuint(rd(PMEVCNTR(3)), ==, 0);
    g_assert_cmpuint(rd(PMEVCNTR(4)), ==, 0);   /* no time has passed */
    /* At EL0 (with PMUSERENR.SW) the P-filtered counter counts. */
    wr(PMUSERENR, 2);
    set_el(0);
    wr(PMSWINC, 0x0c);
    set_el(1);
    g_assert_cmpuint(rd(PMEVCNTR(2)), ==, 3);
    g_assert_cmpuint(rd(PMEVCNTR(3)), ==, 1);

    /* Overflow from SW_INCR. */
    wr(PMEVCNTR(2), 0xffffffffu);
    wr(PMINTENSET, 1u << 2);
    g_assert_cmpint(irq_level, ==, 0);
    wr(PMSWINC, 0x04);
    g_assert_cmpuint(rd(PMEVCNTR(2)), ==, 0);
    g_assert_cmphex(rd(PMOVSSET), ==, 1u << 2);
    g_assert_cmpint(irq_level, ==, 1);
    wr(PMOVSCLR, 1u << 2);
    g_assert_cmpint(irq_level, ==, 0);
    teardown();
}

static void test_overflow_irq(void)
{
    setup();
    wr(PMEVTYPER(0), 0x11);
    wr(PMEVCNTR(0), 0xffffff00u);
    wr(PMINTENSET, 1);
    g_assert_cmphex(rd(PMINTENSET), ==, 1);
    g_assert_cmphex(rd(PMINTENCLR), ==, 1);
    wr(PMCNTENSET, 1);
    wr(PMCR, E);
    clock_virtual_advance(0xff);
    g_assert_cmpint(irq_level, ==, 0);
    /* The timer, not a register read, notices the overflow. */
    clock_virtual_advance(1);
    g_assert_cmpint(irq_level, ==, 1);
    g_assert_cmphex(rd(PMOVSSET), ==, 1);
    g_assert_cmphex(rd(PMOVSCLR), ==, 1);
    g_assert_cmpuint(rd(PMEVCNTR(0)), ==, 0);
    /* PMCR.E gates the request; PMOVS stays. */
    wr(PMCR, 0);
    g_assert_cmpint(irq_level, ==, 0);
    wr(PMCR, E);
    g_assert_cmpint(irq_level, ==, 1);
    wr(PMINTENCLR, 1);
    g_assert_cmpint(irq_level, ==, 0);
    wr(PMINTENSET, 1);
    g_assert_cmpint(irq_level, ==, 1);
    wr(PMOVSCLR, 1);
    g_assert_cmpint(irq_level, ==, 0);
    g_assert_cmphex(rd(PMOVSSET), ==, 0);
    /* PMOVSSET raises it by hand. */
    wr(PMOVSSET, 1);
    g_assert_cmpint(irq_level, ==, 1);
    wr(PMOVSCLR, ~0u);
    g_assert_cmpint(irq_level, ==, 0);
    wr(PMCNTENCLR, 1);

    /* The cycle counter: LC = 0 overflows on bit 32, the counter goes on. */
    wr(PMCCNTR, 0xfffffff0u);
    wr(PMINTENSET, CYC);
    wr(PMCNTENSET, CYC);
    clock_virtual_advance(15);
    g_assert_cmpint(irq_level, ==, 0);
    clock_virtual_advance(1);
    g_assert_cmpint(irq_level, ==, 1);
    g_assert_cmphex(rd(PMOVSSET), ==, CYC);
    g_assert_cmphex(rd(PMCCNTR), ==, 0x100000000ull);
    wr(PMOVSCLR, CYC);
    /* LC = 1: only at 2^64. */
    wr(PMCR, E | LC);
    wr(PMCCNTR, 0xfffffff0u);
    clock_virtual_advance(100);
    g_assert_cmpint(irq_level, ==, 0);
    wr(PMCCNTR, UINT64_MAX - 9);
    clock_virtual_advance(10);
    g_assert_cmpint(irq_level, ==, 1);
    g_assert_cmphex(rd(PMCCNTR), ==, 0);
    wr(PMOVSCLR, CYC);
    /* With PMCR.D the overflow comes 64 times later. */
    wr(PMCR, E | D);
    wr(PMCCNTR, 0xfffffffeu);
    clock_virtual_advance(127);
    g_assert_cmpint(irq_level, ==, 0);
    clock_virtual_advance(1);
    g_assert_cmpint(irq_level, ==, 1);
    teardown();
}

static void test_el0_access(void)
{
    setup();
    set_el(0);
    /* PMUSERENR = 0: EL0 reads only PMUSERENR itself. */
    g_assert_false(traps(PMUSERENR, true, 0));
    g_assert_true(traps(PMCR, true, 0));
    g_assert_true(traps(PMCR, false, E));
    g_assert_true(traps(PMCCNTR, true, 0));
    g_assert_true(traps(PMSWINC, false, 1));
    g_assert_true(traps(PMEVCNTR(0), true, 0));
    g_assert_true(traps(PMSELR, false, 0));
    g_assert_true(traps(PMCNTENSET, false, 1));
    set_el(1);
    g_assert_false(traps(PMCR, true, 0));

    wr(PMUSERENR, 4);                       /* CR: read PMCCNTR */
    set_el(0);
    g_assert_false(traps(PMCCNTR, true, 0));
    g_assert_true(traps(PMCCNTR, false, 0));
    g_assert_true(traps(PMCR, true, 0));
    g_assert_cmphex(rd(PMUSERENR), ==, 4);
    set_el(1);

    wr(PMUSERENR, 2);                       /* SW: write PMSWINC */
    set_el(0);
    g_assert_false(traps(PMSWINC, false, 1));
    g_assert_true(traps(PMEVCNTR(0), true, 0));
    set_el(1);

    wr(PMUSERENR, 8);                       /* ER: read event counters, PMSELR */
    set_el(0);
    g_assert_false(traps(PMEVCNTR(3), true, 0));
    g_assert_false(traps(PMXEVCNTR, true, 0));
    g_assert_false(traps(PMSELR, false, 2));
    g_assert_false(traps(PMSELR, true, 0));
    g_assert_true(traps(PMEVCNTR(3), false, 0));
    g_assert_true(traps(PMXEVTYPER, true, 0));
    g_assert_true(traps(PMCCNTR, true, 0));
    set_el(1);

    wr(PMUSERENR, 1);                       /* EN: everything at EL0 */
    set_el(0);
    g_assert_false(traps(PMCR, false, E));
    g_assert_false(traps(PMCNTENSET, false, CYC));
    g_assert_false(traps(PMCCNTR, false, 5));
    g_assert_false(traps(PMEVTYPER(0), false, 0x11));
    g_assert_false(traps(PMEVCNTR(0), false, 0));
    g_assert_false(traps(PMCEID0, true, 0));
    g_assert_false(traps(PMOVSCLR, false, ~0u));
    g_assert_cmpuint(rd(PMCCNTR), ==, 5);
    set_el(1);
    teardown();
}

/* Counting filtered by EL, with the CPU reporting its EL changes. */
static void test_el_filter(void)
{
    setup();
    wr(PMCCFILTR, 1u << 30);                /* U: not at EL0 */
    wr(PMEVTYPER(0), 0x11 | (1u << 31));    /* P: not at EL1 */
    wr(PMCNTENSET, CYC | 1);
    wr(PMCR, E | LC);
    clock_virtual_advance(100);             /* EL1 */
    set_el(0);
    arm_pmu_el_change(env, 1);
    clock_virtual_advance(30);              /* EL0 */
    set_el(1);
    arm_pmu_el_change(env, 0);
    clock_virtual_advance(5);               /* EL1 */
    g_assert_cmpuint(rd(PMCCNTR), ==, 105);
    g_assert_cmpuint(rd(PMEVCNTR(0)), ==, 30);
    teardown();
}

static void test_no_pmu(void)
{
    void *p = NULL;
    CPUARMState *saved = env;

    g_assert_cmpint(posix_memalign(&p, 64, sizeof(CPUARMState)), ==, 0);
    memset(p, 0, sizeof(CPUARMState));
    env = p;
    set_el(1);
    g_assert_true(traps(PMCR, true, 0));
    g_assert_true(traps(PMCR, false, 0));
    arm_pmu_reset(env);                     /* harmless */
    free(env);
    env = saved;
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    /* Timer expiry and the PMU state want the BQL: hold it throughout. */
    bql_lock();
    g_test_add_func("/arm-pmu/lookup", test_lookup);
    g_test_add_func("/arm-pmu/reset", test_reset);
    g_test_add_func("/arm-pmu/cycle-counter", test_cycle_counter);
    g_test_add_func("/arm-pmu/event-counters", test_event_counters);
    g_test_add_func("/arm-pmu/sw-incr", test_sw_incr);
    g_test_add_func("/arm-pmu/overflow-irq", test_overflow_irq);
    g_test_add_func("/arm-pmu/el0-access", test_el0_access);
    g_test_add_func("/arm-pmu/el-filter", test_el_filter);
    g_test_add_func("/arm-pmu/no-pmu", test_no_pmu);
    return g_test_run();
}
