/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Interrupts end to end (run with -M virt,gic-version=3): the virtual
 * timer (CNTV) raises PPI 27 on the GICv3, the CPU interface (ICC_* system
 * registers) signals IRQ, the CPU wakes from WFI and takes the exception
 * to VBAR_EL1 + 0x280, acknowledges through ICC_IAR1_EL1 and completes
 * through ICC_EOIR1_EL1. Also the counter's frequency and monotonicity,
 * TVAL counting down, ISTATUS, and ISR_EL1.
 */
#include "runtime.h"

#define GICD 0x08000000ul
#define GICR 0x080a0000ul           /* CPU 0: RD_base, SGI_base at +64K */
#define PPI_VTIMER 27

static inline void w32(uint64_t addr, uint32_t v)
{
    *(volatile uint32_t *)addr = v;
}

static inline uint32_t r32(uint64_t addr)
{
    return *(volatile uint32_t *)addr;
}

uint64_t irq_count, irq_intid, irq_isr;

__asm__(
    "    .pushsection .text.timervec, \"ax\"\n"
    "    .balign 0x800\n"
    "timer_vectors:\n"
    "    .rept 16\n"
    "    .balign 0x80\n"
    "    b timer_irq\n"
    "    .endr\n"
    "timer_irq:\n"
    "    stp x0, x1, [sp, #-16]!\n"
    "    mrs x0, isr_el1\n"
    "    adrp x1, irq_isr\n"
    "    str x0, [x1, :lo12:irq_isr]\n"
    "    mrs x0, s3_0_c12_c12_0\n"      /* ICC_IAR1_EL1 */
    "    adrp x1, irq_intid\n"
    "    str x0, [x1, :lo12:irq_intid]\n"
    "    mov x1, #2\n"                  /* CNTV_CTL: IMASK, stays enabled */
    "    orr x1, x1, #1\n"
    "    msr cntv_ctl_el0, x1\n"
    "    msr s3_0_c12_c12_1, x0\n"      /* ICC_EOIR1_EL1 */
    "    adrp x1, irq_count\n"
    "    ldr x0, [x1, :lo12:irq_count]\n"
    "    add x0, x0, #1\n"
    "    str x0, [x1, :lo12:irq_count]\n"
    "    ldp x0, x1, [sp], #16\n"
    "    eret\n"
    "    .popsection\n");

extern char timer_vectors[];

static uint64_t counter(void)
{
    uint64_t v;
    __asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v));
    return v;
}

int main(void)
{
    uint64_t freq, t0, t1, ctl, old_vbar, pfr0, tval;

    puts("# generic timer and GICv3 interrupts");
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
    tap_ok(freq >= 1000000, "CNTFRQ_EL0 = %lu Hz", freq);
    t0 = counter();
    for (volatile int i = 0; i < 10000; i++) {
    }
    t1 = counter();
    tap_ok(t1 > t0, "CNTVCT_EL0 counts up");
    __asm__ volatile("mrs %0, id_aa64pfr0_el1" : "=r"(pfr0));
    tap_eq((pfr0 >> 24) & 0xf, 1, "ID_AA64PFR0_EL1.GIC: system register interface");

    /* TVAL counts down; ISTATUS once the compare value is reached. */
    __asm__ volatile("msr cntv_tval_el0, %0\n\tmsr cntv_ctl_el0, %1\n\tisb"
                     : : "r"(0x7ffffffful), "r"(3ul));
    __asm__ volatile("isb\n\tmrs %0, cntv_tval_el0" : "=r"(tval));
    /* A generous window: a loaded host may deschedule us between the two. */
    tap_ok(tval <= 0x7fffffff && tval > 0x7fffffff - 30 * freq, "CNTV_TVAL_EL0 counts down");
    __asm__ volatile("msr cntv_cval_el0, %0\n\tisb" : : "r"(0ul));
    __asm__ volatile("mrs %0, cntv_ctl_el0" : "=r"(ctl));
    tap_eq(ctl, 7, "CNTV_CTL_EL0: ISTATUS when CVAL has passed");
    __asm__ volatile("msr cntv_ctl_el0, xzr\n\tisb");

    /* GICv3: affinity routing, group 1, PPI 27 enabled in CPU 0's redistributor. */
    w32(GICD + 0x0, 0x10);                          /* GICD_CTLR.ARE */
    w32(GICD + 0x0, 0x12);                          /* + EnableGrp1 */
    w32(GICR + 0x14, r32(GICR + 0x14) & ~2u);       /* GICR_WAKER.ProcessorSleep */
    for (int i = 0; i < 1000000 && (r32(GICR + 0x14) & 4); i++) {
    }
    tap_eq(r32(GICR + 0x14) & 4, 0, "GICR_WAKER: redistributor awake");
    w32(GICR + 0x10000 + 0x80, 1u << PPI_VTIMER);   /* GICR_IGROUPR0 */
    *(volatile uint8_t *)(GICR + 0x10000 + 0x400 + PPI_VTIMER) = 0x80;
    w32(GICR + 0x10000 + 0x100, 1u << PPI_VTIMER);  /* GICR_ISENABLER0 */
    __asm__ volatile("msr s3_0_c12_c12_5, %0\n\tisb" : : "r"(7ul));    /* ICC_SRE_EL1 */
    __asm__ volatile("msr s3_0_c4_c6_0, %0" : : "r"(0xfful));         /* ICC_PMR_EL1 */
    __asm__ volatile("msr s3_0_c12_c12_7, %0\n\tisb" : : "r"(1ul));   /* ICC_IGRPEN1_EL1 */

    __asm__ volatile("mrs %0, vbar_el1" : "=r"(old_vbar));
    __asm__ volatile("msr vbar_el1, %0\n\tisb" : : "r"(timer_vectors) : "memory");

    /*
     * One interrupt ~1 ms from now; wait for it in WFI with IRQs unmasked.
     * t0 is read first, so a delay before the TVAL write only lengthens t1 - t0.
     */
    t0 = counter();
    __asm__ volatile("msr cntv_tval_el0, %0\n\tmsr cntv_ctl_el0, %1\n\tisb"
                     : : "r"(freq / 1000), "r"(1ul));
    __asm__ volatile("msr daifclr, #2" : : : "memory");
    for (int spins = 0; spins < 1000000 && !irq_count; spins++) {
        __asm__ volatile("wfi" : : : "memory");
    }
    __asm__ volatile("msr daifset, #2" : : : "memory");
    t1 = counter();
    tap_eq(irq_count, 1, "timer interrupt taken once");
    tap_eq(irq_intid & 0xffffff, PPI_VTIMER, "ICC_IAR1_EL1 gives the timer's PPI");
    tap_ok(irq_isr & 0x80, "ISR_EL1.I was set in the handler");
    tap_ok(t1 - t0 >= freq / 1000, "not before its time (%lu ticks)", t1 - t0);
    __asm__ volatile("mrs %0, cntv_ctl_el0" : "=r"(ctl));
    tap_eq(ctl, 7, "CNTV_CTL_EL0 after: enabled, masked, ISTATUS");
    __asm__ volatile("mrs %0, isr_el1" : "=r"(t0));
    tap_eq(t0 & 0x80, 0, "ISR_EL1.I clear once masked");

    __asm__ volatile("msr cntv_ctl_el0, xzr\n\tmsr vbar_el1, %0\n\tisb" : : "r"(old_vbar));
    return tap_done();
}
