/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Synchronous exceptions the guest can provoke and recover from: UNDEFINED
 * encodings (EC 0, ELR at the instruction), SVC (EC 0x15, ELR after it),
 * BRK (EC 0x3c), SMC without EL3 (UNDEFINED on virt at EL1), HVC (the
 * PSCI conduit: unknown functions return NOT_SUPPORTED), an unknown system
 * register, the FP/SIMD access trap
 * (EC 0x07) and an alignment fault on a load-exclusive (EC 0x25, FAR set).
 * The test installs its own vector table, which records ESR/ELR/FAR and
 * returns past the faulting instruction.
 */
#include "runtime.h"

uint64_t seen_esr, seen_elr, seen_far, seen_count;

__asm__(
    "    .pushsection .text.testvec, \"ax\"\n"
    "    .balign 0x800\n"
    "test_vectors:\n"
    "    .rept 16\n"
    "    .balign 0x80\n"
    "    b test_handler\n"
    "    .endr\n"
    "test_handler:\n"
    "    stp x0, x1, [sp, #-32]!\n"
    "    stp x2, x3, [sp, #16]\n"
    "    mrs x0, esr_el1\n"
    "    mrs x1, elr_el1\n"
    "    adrp x2, seen_esr\n"
    "    str x0, [x2, :lo12:seen_esr]\n"
    "    adrp x2, seen_elr\n"
    "    str x1, [x2, :lo12:seen_elr]\n"
    "    mrs x3, far_el1\n"
    "    adrp x2, seen_far\n"
    "    str x3, [x2, :lo12:seen_far]\n"
    "    adrp x2, seen_count\n"
    "    ldr x3, [x2, :lo12:seen_count]\n"
    "    add x3, x3, #1\n"
    "    str x3, [x2, :lo12:seen_count]\n"
    "    lsr x0, x0, #26\n"
    "    cmp x0, #0x15\n"           /* SVC: ELR already points past it */
    "    b.eq 1f\n"
    "    add x1, x1, #4\n"
    "    msr elr_el1, x1\n"
    "1:  ldp x2, x3, [sp, #16]\n"
    "    ldp x0, x1, [sp], #32\n"
    "    eret\n"
    "    .popsection\n");

extern char test_vectors[];

/* Run insn (one instruction) and return its address. */
#define TRAP(insn)                                                        \
    ({                                                                    \
        uint64_t pc_;                                                     \
        __asm__ volatile("adr %0, 1f\n1: " insn                           \
                         : "=&r"(pc_) : : "x0", "memory");                \
        pc_;                                                              \
    })

static void reset_seen(void)
{
    seen_esr = seen_elr = seen_far = seen_count = 0;
}

static void check(uint64_t pc, unsigned ec, uint32_t iss, int64_t elr_delta, const char *what)
{
    tap_eq(seen_count, 1, "%s: one exception", what);
    tap_eq((seen_esr >> 26) & 0x3f, ec, "%s: EC", what);
    if (iss != UINT32_MAX) {
        tap_eq(seen_esr & 0x1ffffff, iss, "%s: ISS", what);
    }
    tap_eq(seen_elr, pc + elr_delta, "%s: ELR", what);
    reset_seen();
}

int main(void)
{
    uint64_t old_vbar, cpacr, pc, x0;
    static uint64_t aligned_word[2] __attribute__((aligned(16)));

    puts("# synchronous exceptions: UNDEFINED, SVC, BRK, HVC, SMC, traps, aborts");
    __asm__ volatile("mrs %0, vbar_el1" : "=r"(old_vbar));
    __asm__ volatile("msr vbar_el1, %0\n\tisb" : : "r"(test_vectors) : "memory");
    reset_seen();

    pc = TRAP(".inst 0x00000000");                     /* UDF #0 */
    check(pc, 0x00, 0, 0, "udf #0");
    pc = TRAP(".inst 0x02000000");                     /* unallocated group */
    check(pc, 0x00, 0, 0, "unallocated encoding");
    pc = TRAP("mrs x0, s3_0_c15_c15_7");
    check(pc, 0x00, 0, 0, "unknown system register");
    pc = TRAP("svc #0x42");
    check(pc, 0x15, 0x42, 4, "svc");
    pc = TRAP("brk #7");
    check(pc, 0x3c, 7, 0, "brk");
    pc = TRAP("smc #0");
    check(pc, 0x00, 0, 0, "smc without EL3");
    /* On virt, HVC at EL1 is the PSCI conduit: unknown functions fail. */
    __asm__ volatile("movz x0, #0x2345\n\thvc #0\n\tmov %0, x0"
                     : "=r"(x0) : : "x0", "x1", "x2", "x3", "memory");
    tap_eq(x0, (uint64_t)-1, "HVC with an unknown function: NOT_SUPPORTED");

    __asm__ volatile("movz x0, #0x8400, lsl #16\n\thvc #0\n\tmov %0, x0"
                     : "=r"(x0) : : "x0", "x1", "x2", "x3", "memory");
    tap_ok(x0 >= 0x10000 && x0 < 0x20000, "PSCI_VERSION over HVC (0x%lx)", x0);
    tap_eq(seen_count, 0, "PSCI call takes no exception");

    /* FP/SIMD trapped by CPACR_EL1.FPEN = 0. */
    __asm__ volatile("mrs %0, cpacr_el1" : "=r"(cpacr));
    __asm__ volatile("msr cpacr_el1, xzr\n\tisb" : : : "memory");
    pc = TRAP("ldr d0, [sp]");
    __asm__ volatile("msr cpacr_el1, %0\n\tisb" : : "r"(cpacr) : "memory");
    check(pc, 0x07, UINT32_MAX, 0, "FP access trap");

    /* A misaligned load-exclusive is an alignment fault. */
    pc = ({
        uint64_t pc_, v_;
        __asm__ volatile("adr %0, 1f\n1: ldxr %1, [%2]"
                         : "=&r"(pc_), "=&r"(v_) : "r"((char *)aligned_word + 4) : "memory");
        (void)v_;
        pc_;
    });
    tap_eq(seen_far, (uint64_t)(uintptr_t)((char *)aligned_word + 4), "alignment fault: FAR");
    tap_eq(seen_esr & 0x3f, 0x21, "alignment fault: DFSC");
    check(pc, 0x25, UINT32_MAX, 0, "alignment fault");

    __asm__ volatile("msr vbar_el1, %0\n\tisb" : : "r"(old_vbar) : "memory");
    return tap_done();
}
