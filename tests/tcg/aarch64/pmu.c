/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The PMUv3 from the guest (run with -M virt,gic-version=3): ID_AA64DFR0_EL1
 * advertises it, PMCR_EL0 describes it, the cycle counter counts only while
 * enabled, SW_INCR counts PMSWINC writes, PMCR.P and PMCR.C reset, PMSELR
 * selects for PMXEV*, EL0 access obeys PMUSERENR_EL0 (the trap's EC may be
 * 0x18 or 0: Tern reports UNDEFINED), and a cycle counter overflow raises
 * PPI 23 through the GICv3 and wakes the CPU from WFI.
 */
#include "runtime.h"

#define GICD 0x08000000ul
#define GICR 0x080a0000ul           /* CPU 0: RD_base, SGI_base at +64K */
#define PPI_PMU 23

#define PMCR_E  1ul
#define PMCR_P  2ul
#define PMCR_C  4ul
#define PMCR_LC 64ul
#define CYC     (1ul << 31)

#define MRS(reg) ({ uint64_t v_; __asm__ volatile("mrs %0, " #reg : "=r"(v_)); v_; })
#define MSR(reg, v) __asm__ volatile("msr " #reg ", %0\n\tisb" : : "r"((uint64_t)(v)) : "memory")

static inline void w32(uint64_t addr, uint32_t v)
{
    *(volatile uint32_t *)addr = v;
}

static inline uint32_t r32(uint64_t addr)
{
    return *(volatile uint32_t *)addr;
}

uint64_t irq_count, irq_intid, irq_ovs;
uint64_t el0_esr, el0_elr, el0_x0, el1_saved_sp;
uint64_t el0_stack[64] __attribute__((aligned(16)));

/*
 * Vectors: IRQ at the current EL goes to pmu_irq, a synchronous exception
 * from EL0 ends the EL0 excursion, anything else goes to the runtime's
 * reporting vectors.
 */
__asm__(
    "    .pushsection .text.pmuvec, \"ax\"\n"
    "    .balign 0x800\n"
    "pmu_vectors:\n"
    "    .irp idx, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15\n"
    "    .balign 0x80\n"
    "    .if \\idx == 5\n"
    "    b pmu_irq\n"
    "    .elseif \\idx == 8\n"
    "    b el0_return\n"
    "    .else\n"
    "    b vectors + \\idx * 0x80\n"
    "    .endif\n"
    "    .endr\n"
    "pmu_irq:\n"
    "    stp x0, x1, [sp, #-32]!\n"
    "    stp x2, x3, [sp, #16]\n"
    "    mrs x0, s3_0_c12_c12_0\n"      /* ICC_IAR1_EL1 */
    "    adrp x1, irq_intid\n"
    "    str x0, [x1, :lo12:irq_intid]\n"
    "    mrs x2, pmovsset_el0\n"
    "    adrp x1, irq_ovs\n"
    "    str x2, [x1, :lo12:irq_ovs]\n"
    "    msr pmovsclr_el0, x2\n"        /* drop the request before EOI */
    "    isb\n"
    "    msr s3_0_c12_c12_1, x0\n"      /* ICC_EOIR1_EL1 */
    "    adrp x1, irq_count\n"
    "    ldr x3, [x1, :lo12:irq_count]\n"
    "    add x3, x3, #1\n"
    "    str x3, [x1, :lo12:irq_count]\n"
    "    ldp x2, x3, [sp, #16]\n"
    "    ldp x0, x1, [sp], #32\n"
    "    eret\n"
    /* uint64_t run_el0(entry, stack_top): returns ESR of what ended it. */
    "    .global run_el0\n"
    "run_el0:\n"
    "    stp x29, x30, [sp, #-96]!\n"
    "    stp x19, x20, [sp, #16]\n"
    "    stp x21, x22, [sp, #32]\n"
    "    stp x23, x24, [sp, #48]\n"
    "    stp x25, x26, [sp, #64]\n"
    "    stp x27, x28, [sp, #80]\n"
    "    mov x2, sp\n"
    "    adrp x3, el1_saved_sp\n"
    "    str x2, [x3, :lo12:el1_saved_sp]\n"
    "    msr sp_el0, x1\n"
    "    msr elr_el1, x0\n"
    "    mov x2, #0x3c0\n"              /* EL0t, DAIF masked */
    "    msr spsr_el1, x2\n"
    "    isb\n"
    "    eret\n"
    "el0_return:\n"
    "    adrp x2, el0_x0\n"
    "    str x0, [x2, :lo12:el0_x0]\n"
    "    mrs x0, esr_el1\n"
    "    adrp x2, el0_esr\n"
    "    str x0, [x2, :lo12:el0_esr]\n"
    "    mrs x1, elr_el1\n"
    "    adrp x2, el0_elr\n"
    "    str x1, [x2, :lo12:el0_elr]\n"
    "    adrp x2, el1_saved_sp\n"
    "    ldr x2, [x2, :lo12:el1_saved_sp]\n"
    "    mov sp, x2\n"
    "    ldp x19, x20, [sp, #16]\n"
    "    ldp x21, x22, [sp, #32]\n"
    "    ldp x23, x24, [sp, #48]\n"
    "    ldp x25, x26, [sp, #64]\n"
    "    ldp x27, x28, [sp, #80]\n"
    "    ldp x29, x30, [sp], #96\n"
    "    ret\n"
    /* EL0 code: one access, then SVC back (if the access did not trap). */
    "    .global el0_read_pmccntr, el0_read_pmccntr_insn\n"
    "el0_read_pmccntr:\n"
    "el0_read_pmccntr_insn:\n"
    "    mrs x0, pmccntr_el0\n"
    "    svc #0\n"
    "    .global el0_read_pmuserenr\n"
    "el0_read_pmuserenr:\n"
    "    mrs x0, pmuserenr_el0\n"
    "    svc #0\n"
    "    .popsection\n");

extern char pmu_vectors[], el0_read_pmccntr[], el0_read_pmccntr_insn[], el0_read_pmuserenr[];
uint64_t run_el0(void *entry, void *stack_top);

static void spin(int n)
{
    for (volatile int i = 0; i < n; i++) {
    }
}

static void gic_enable_ppi(unsigned ppi)
{
    w32(GICD + 0x0, 0x10);                          /* GICD_CTLR.ARE */
    w32(GICD + 0x0, 0x12);                          /* + EnableGrp1 */
    w32(GICR + 0x14, r32(GICR + 0x14) & ~2u);       /* GICR_WAKER.ProcessorSleep */
    for (int i = 0; i < 1000000 && (r32(GICR + 0x14) & 4); i++) {
    }
    w32(GICR + 0x10000 + 0x80, 1u << ppi);          /* GICR_IGROUPR0 */
    *(volatile uint8_t *)(GICR + 0x10000 + 0x400 + ppi) = 0x80;
    w32(GICR + 0x10000 + 0x100, 1u << ppi);         /* GICR_ISENABLER0 */
    __asm__ volatile("msr s3_0_c12_c12_5, %0\n\tisb" : : "r"(7ul));    /* ICC_SRE_EL1 */
    __asm__ volatile("msr s3_0_c4_c6_0, %0" : : "r"(0xfful));         /* ICC_PMR_EL1 */
    __asm__ volatile("msr s3_0_c12_c12_7, %0\n\tisb" : : "r"(1ul));   /* ICC_IGRPEN1_EL1 */
}

int main(void)
{
    uint64_t dfr0, pmcr, n, c0, c1, ceid0, esr, old_vbar;

    puts("# PMUv3: counters, SW_INCR, resets, EL0 access, overflow interrupt");
    dfr0 = MRS(id_aa64dfr0_el1);
    tap_ok(((dfr0 >> 8) & 0xf) >= 1 && ((dfr0 >> 8) & 0xf) != 0xf,
           "ID_AA64DFR0_EL1.PMUVer = %lu: PMUv3", (dfr0 >> 8) & 0xf);
    pmcr = MRS(pmcr_el0);
    n = (pmcr >> 11) & 0x1f;
    tap_ok(n >= 2, "PMCR_EL0.N = %lu event counters", n);
    tap_eq(pmcr & PMCR_E, 0, "PMCR_EL0.E clear out of reset");
    ceid0 = MRS(pmceid0_el0);
    tap_ok((ceid0 & 1) && (ceid0 & (1ul << 0x11)),
           "PMCEID0_EL0 has SW_INCR and CPU_CYCLES (0x%lx)", ceid0);

    /* The cycle counter runs while PMCR.E and PMCNTENSET[31] are set. */
    MSR(pmccfiltr_el0, 0);
    MSR(pmcntenset_el0, CYC);
    MSR(pmcr_el0, PMCR_E | PMCR_C | PMCR_LC);
    c0 = MRS(pmccntr_el0);
    spin(10000);
    c1 = MRS(pmccntr_el0);
    tap_ok(c1 > c0, "PMCCNTR_EL0 counts up (%lu -> %lu)", c0, c1);
    MSR(pmcr_el0, PMCR_LC);
    c0 = MRS(pmccntr_el0);
    spin(10000);
    c1 = MRS(pmccntr_el0);
    tap_eq(c1, c0, "PMCCNTR_EL0 stands still with PMCR.E clear");
    MSR(pmccntr_el0, 0x123456789ul);
    tap_eq(MRS(pmccntr_el0), 0x123456789ul, "PMCCNTR_EL0 is a 64-bit counter");
    MSR(pmcr_el0, PMCR_C | PMCR_LC);
    tap_eq(MRS(pmccntr_el0), 0, "PMCR.C zeroes PMCCNTR_EL0");

    /* SW_INCR on counter 0, through PMEVTYPER0 and then through PMSELR/PMXEV*. */
    MSR(pmevtyper0_el0, 0x00);
    MSR(pmevcntr0_el0, 0);
    MSR(pmcntenset_el0, CYC | 1);
    MSR(pmcr_el0, PMCR_E | PMCR_LC);
    MSR(pmswinc_el0, 1);
    MSR(pmswinc_el0, 1);
    MSR(pmswinc_el0, 3);        /* counter 1 is disabled */
    tap_eq(MRS(pmevcntr0_el0), 3, "SW_INCR: three PMSWINC_EL0 writes");
    MSR(pmselr_el0, 0);
    tap_eq(MRS(pmxevcntr_el0), 3, "PMXEVCNTR_EL0 with PMSELR_EL0.SEL = 0");
    tap_eq(MRS(pmxevtyper_el0) & 0xffff, 0, "PMXEVTYPER_EL0 reads the event type");
    MSR(pmcntenclr_el0, 1);
    MSR(pmswinc_el0, 1);
    tap_eq(MRS(pmevcntr0_el0), 3, "no counting once PMCNTENCLR_EL0 disabled it");
    MSR(pmcntenset_el0, 1);
    spin(1000);
    MSR(pmcr_el0, PMCR_E | PMCR_P | PMCR_LC);
    tap_eq(MRS(pmevcntr0_el0), 0, "PMCR.P zeroes the event counters");
    tap_ok(MRS(pmccntr_el0) > 0, "PMCR.P leaves the cycle counter alone");
    MSR(pmevcntr0_el0, 0xfffffffful);
    MSR(pmswinc_el0, 1);
    tap_eq(MRS(pmovsset_el0) & 1, 1, "SW_INCR past 0xffffffff sets PMOVSSET_EL0[0]");
    /* PMUv3p5 counters (QEMU's max) are 64 bits wide even with PMCR.LP = 0. */
    tap_eq(MRS(pmevcntr0_el0) & 0xffffffffu, 0, "and bits [31:0] wrap to 0");
    MSR(pmovsclr_el0, 1);
    tap_eq(MRS(pmovsset_el0) & 1, 0, "PMOVSCLR_EL0 clears it");

    /* EL0: PMUSERENR_EL0 = 0 forbids the cycle counter, CR allows reading it. */
    __asm__ volatile("mrs %0, vbar_el1" : "=r"(old_vbar));
    MSR(vbar_el1, pmu_vectors);
    MSR(pmuserenr_el0, 0);
    esr = run_el0(el0_read_pmccntr, el0_stack + 64);
    tap_ok((esr >> 26) == 0x18 || (esr >> 26) == 0,
           "EL0 read of PMCCNTR_EL0 traps with PMUSERENR_EL0 = 0 (EC 0x%lx)", esr >> 26);
    tap_eq(el0_elr, (uint64_t)el0_read_pmccntr_insn, "ELR is the MRS");
    MSR(pmuserenr_el0, 4);
    esr = run_el0(el0_read_pmccntr, el0_stack + 64);
    tap_eq(esr >> 26, 0x15, "with PMUSERENR_EL0.CR the read completes (SVC back)");
    tap_ok(el0_x0 > 0, "EL0 saw the cycle counter (%lu)", el0_x0);
    esr = run_el0(el0_read_pmuserenr, el0_stack + 64);
    tap_eq(esr >> 26, 0x15, "EL0 may read PMUSERENR_EL0");
    tap_eq(el0_x0, 4, "and sees its value");
    MSR(pmuserenr_el0, 0);

    /* Overflow of the cycle counter at 2^32 (LC = 0) raises PPI 23. */
    gic_enable_ppi(PPI_PMU);
    MSR(pmcntenclr_el0, ~0ul);
    MSR(pmovsclr_el0, ~0ul);
    MSR(pmintenclr_el1, ~0ul);
    MSR(pmcr_el0, 0);
    MSR(pmccntr_el0, 0xfffffffful - 2000000);       /* ~2 ms at 1 GHz */
    MSR(pmintenset_el1, CYC);
    tap_eq(MRS(pmintenset_el1), CYC, "PMINTENSET_EL1 reads back");
    MSR(pmcntenset_el0, CYC);
    MSR(pmcr_el0, PMCR_E);
    __asm__ volatile("msr daifclr, #2" : : : "memory");
    for (int spins = 0; spins < 1000000 && !irq_count; spins++) {
        __asm__ volatile("wfi" : : : "memory");
    }
    __asm__ volatile("msr daifset, #2" : : : "memory");
    tap_eq(irq_count, 1, "overflow interrupt taken once");
    tap_eq(irq_intid & 0xffffff, PPI_PMU, "ICC_IAR1_EL1 gives the PMU's PPI");
    tap_eq(irq_ovs & CYC, CYC, "PMOVSSET_EL0[31] was set in the handler");
    c0 = MRS(pmccntr_el0);
    tap_ok(c0 >= 0x100000000ul, "PMCCNTR_EL0 went past 2^32 (0x%lx)", c0);
    tap_eq(MRS(pmovsset_el0), 0, "the handler cleared PMOVS");

    MSR(pmcr_el0, 0);
    MSR(pmcntenclr_el0, ~0ul);
    MSR(pmintenclr_el1, ~0ul);
    MSR(vbar_el1, old_vbar);
    return tap_done();
}
