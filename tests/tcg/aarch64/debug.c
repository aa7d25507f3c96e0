/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Self-hosted debug at EL1, as an in-guest debugger uses it: a hardware
 * breakpoint (DBGBVR0/DBGBCR0) stops before the instruction with EC 0x31,
 * a watchpoint (DBGWVR0/DBGWCR0) stops a store to a variable with EC 0x35
 * and FAR in the watched doubleword, and software step (MDSCR_EL1.SS with
 * SPSR.SS = 1 on return) stops after each instruction with EC 0x33. The
 * same program runs under QEMU as the reference.
 */
#include "runtime.h"

volatile uint64_t seen_esr, seen_elr, seen_far, seen_count;
volatile uint64_t steps_left;
volatile uint64_t watched[4] __attribute__((aligned(64)));

__asm__(
    "    .pushsection .text.testvec, \"ax\"\n"
    "    .balign 0x800\n"
    "dbg_vectors:\n"
    "    .rept 16\n"
    "    .balign 0x80\n"
    "    b dbg_handler\n"
    "    .endr\n"
    "dbg_handler:\n"
    "    stp x0, x1, [sp, #-32]!\n"
    "    stp x2, x3, [sp, #16]\n"
    "    mrs x0, esr_el1\n"
    "    mrs x1, elr_el1\n"
    "    mrs x3, far_el1\n"
    "    adrp x2, seen_esr\n"
    "    str x0, [x2, :lo12:seen_esr]\n"
    "    adrp x2, seen_elr\n"
    "    str x1, [x2, :lo12:seen_elr]\n"
    "    adrp x2, seen_far\n"
    "    str x3, [x2, :lo12:seen_far]\n"
    "    adrp x2, seen_count\n"
    "    ldr x3, [x2, :lo12:seen_count]\n"
    "    add x3, x3, #1\n"
    "    str x3, [x2, :lo12:seen_count]\n"
    "    lsr x0, x0, #26\n"
    "    cmp x0, #0x31\n"           /* breakpoint: disarm it, rerun the insn */
    "    b.ne 1f\n"
    "    msr dbgbcr0_el1, xzr\n"
    "    b 9f\n"
    "1:  cmp x0, #0x35\n"           /* watchpoint: disarm it, rerun the access */
    "    b.ne 2f\n"
    "    msr dbgwcr0_el1, xzr\n"
    "    b 9f\n"
    "2:  cmp x0, #0x33\n"           /* software step: keep stepping while steps_left */
    "    b.ne 8f\n"
    "    adrp x2, steps_left\n"
    "    ldr x3, [x2, :lo12:steps_left]\n"
    "    cbz x3, 3f\n"
    "    sub x3, x3, #1\n"
    "    str x3, [x2, :lo12:steps_left]\n"
    "    mrs x0, spsr_el1\n"
    "    orr x0, x0, #(1 << 21)\n"
    "    msr spsr_el1, x0\n"
    "    b 9f\n"
    "3:  mrs x0, mdscr_el1\n"
    "    bic x0, x0, #1\n"
    "    msr mdscr_el1, x0\n"
    "    b 9f\n"
    "8:  add x1, x1, #4\n"          /* anything else: skip it */
    "    msr elr_el1, x1\n"
    "9:  isb\n"
    "    ldp x2, x3, [sp, #16]\n"
    "    ldp x0, x1, [sp], #32\n"
    "    eret\n"
    /* Three adds to break on and to step through; returns x0 + 3. */
    "    .global dbg_target\n"
    "dbg_target:\n"
    "    add x0, x0, #1\n"
    "dbg_target_2:\n"
    "    add x0, x0, #1\n"
    "    add x0, x0, #1\n"
    "    ret\n"
    /* step_call(x0, fn): eret into fn at EL1h with SPSR.SS = 1, D clear. */
    "    .global step_call\n"
    "step_call:\n"
    "    msr elr_el1, x1\n"
    "    mov x2, #0x1c5\n"          /* EL1h, A, I, F masked; D clear */
    "    orr x2, x2, #(1 << 21)\n"  /* SS */
    "    msr spsr_el1, x2\n"
    "    eret\n"
    "    .popsection\n");

extern char dbg_vectors[], dbg_target[], dbg_target_2[];
uint64_t dbg_target_fn(uint64_t) __asm__("dbg_target");
uint64_t step_call(uint64_t x0, void *fn);

static void debug_on(void)
{
    /* OS lock off; MDE and KDE on; debug exceptions unmasked at EL1. */
    __asm__ volatile("msr oslar_el1, xzr\n isb");
    __asm__ volatile("msr mdscr_el1, %0\n isb" : : "r"((1ull << 15) | (1ull << 13)));
    __asm__ volatile("msr daifclr, #8\n isb");
}

int main(void)
{
    uint64_t dfr0;

    __asm__ volatile("mrs %0, id_aa64dfr0_el1" : "=r"(dfr0));
    __asm__ volatile("msr vbar_el1, %0\n isb" : : "r"(dbg_vectors));
    tap_ok(((dfr0 >> 12) & 15) >= 1, "at least two breakpoints advertised");
    debug_on();

    /* Breakpoint on the second add, EL1 only (PMC = 01), BAS = 1111. */
    seen_count = 0;
    __asm__ volatile("msr dbgbvr0_el1, %0" : : "r"(dbg_target_2));
    __asm__ volatile("msr dbgbcr0_el1, %0\n isb" : : "r"((0xfull << 5) | (1ull << 1) | 1));
    uint64_t r = dbg_target_fn(HIDE(10ull));
    tap_eq(r, 13, "breakpoint: the function still computes its result");
    tap_eq(seen_count, 1, "breakpoint: one exception");
    tap_eq(seen_esr >> 26, 0x31, "breakpoint: EC 0x31 (same EL)");
    tap_eq(seen_elr, (uint64_t)(uintptr_t)dbg_target_2, "breakpoint: ELR is the address");

    /* Watchpoint on watched[1], stores only (LSC = 10), EL1 (PAC = 01), 8 bytes. */
    seen_count = 0;
    __asm__ volatile("msr dbgwvr0_el1, %0" : : "r"(&watched[1]));
    __asm__ volatile("msr dbgwcr0_el1, %0\n isb" : : "r"((0xffull << 5) | (2ull << 3) |
                                                         (1ull << 1) | 1));
    watched[0] = 1;
    (void)watched[1];
    tap_eq(seen_count, 0, "watchpoint: a load and a neighbour store do not hit");
    watched[1] = 42;
    tap_eq(seen_count, 1, "watchpoint: the store hits");
    tap_eq(seen_esr >> 26, 0x35, "watchpoint: EC 0x35 (same EL)");
    tap_eq((seen_esr >> 6) & 1, 1, "watchpoint: WnR set");
    tap_eq(seen_far & ~7ull, (uint64_t)(uintptr_t)&watched[1], "watchpoint: FAR");
    tap_eq(watched[1], 42, "watchpoint: the store completes once disarmed");

    /* Software step through dbg_target: one step exception per instruction. */
    seen_count = 0;
    steps_left = 2;
    /* With D masked here, so that only the eret into dbg_target starts stepping. */
    __asm__ volatile("msr daifset, #8\n mrs x9, mdscr_el1\n orr x9, x9, #1\n"
                     " msr mdscr_el1, x9\n isb" ::: "x9");
    r = step_call(HIDE(20ull), dbg_target);
    tap_eq(r, 23, "step: the stepped function computes its result");
    tap_eq(seen_count, 3, "step: three step exceptions (steps_left 2, then stop)");
    tap_eq(seen_esr >> 26, 0x33, "step: EC 0x33 (same EL)");
    tap_eq(seen_elr, (uint64_t)(uintptr_t)dbg_target + 12, "step: ELR after three instructions");
    return tap_done();
}
