/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Self-modifying code: instructions written to RAM, made visible with the
 * architectural sequence (DC CVAU, DSB, IC IVAU, DSB, ISB), executed,
 * rewritten and executed again. An emulator that caches translations must
 * notice every rewrite: of a function called through a register, of the
 * target of a direct branch between two generated functions (a chained
 * jump), and of code on the same page as code that keeps running.
 */
#include "runtime.h"

#define MOVZ_W0(imm) (0x52800000u | ((uint32_t)(imm) << 5))
#define RET 0xd65f03c0u
#define B(from, to) (0x14000000u | ((uint32_t)((to) - (from)) & 0x3ffffff))

static uint32_t code[2048] __attribute__((aligned(4096)));

typedef uint64_t (*fn_t)(void);

static void sync_code(void *start, size_t len)
{
    for (uintptr_t p = (uintptr_t)start & ~63ul; p < (uintptr_t)start + len; p += 64) {
        __asm__ volatile("dc cvau, %0" : : "r"(p) : "memory");
    }
    __asm__ volatile("dsb ish" : : : "memory");
    for (uintptr_t p = (uintptr_t)start & ~63ul; p < (uintptr_t)start + len; p += 64) {
        __asm__ volatile("ic ivau, %0" : : "r"(p) : "memory");
    }
    __asm__ volatile("dsb ish\n\tisb" : : : "memory");
}

static uint64_t call(uint32_t *entry)
{
    return ((fn_t)(uintptr_t)entry)();
}

int main(void)
{
    unsigned bad = 0;

    puts("# self-modifying code");

    code[0] = MOVZ_W0(1);
    code[1] = RET;
    sync_code(code, 8);
    tap_eq(call(code), 1, "generated function runs");

    code[0] = MOVZ_W0(2);
    sync_code(code, 4);
    tap_eq(call(code), 2, "rewritten function runs the new code");

    for (unsigned i = 0; i < 200; i++) {
        code[0] = MOVZ_W0(i);
        sync_code(code, 4);
        bad += call(code) != i;
    }
    tap_eq(bad, 0, "200 rewrites of the same function");

    /* A calls B by a direct branch: rewriting B must undo a chained jump. */
    uint32_t *a = &code[16], *b = &code[1024];
    a[0] = B(0, (b - a));
    b[0] = MOVZ_W0(10);
    b[1] = RET;
    sync_code(a, 4);
    sync_code(b, 8);
    bad = 0;
    for (unsigned i = 0; i < 50; i++) {
        bad += call(a) != 10;
    }
    tap_eq(bad, 0, "branch into a second generated function, repeatedly");
    b[0] = MOVZ_W0(11);
    sync_code(b, 4);
    tap_eq(call(a), 11, "rewritten branch target runs the new code");

    /* Rewrite the branch itself to go elsewhere. */
    code[32] = MOVZ_W0(12);
    code[33] = RET;
    a[0] = B(0, (&code[32] - a));
    sync_code(code, sizeof(uint32_t) * 64);
    tap_eq(call(a), 12, "rewritten branch goes to its new target");

    /* Code and data on one page: stores next to running code. */
    code[64] = MOVZ_W0(20);
    code[65] = RET;
    sync_code(&code[64], 8);
    bad = 0;
    for (unsigned i = 0; i < 100; i++) {
        code[100] = i;              /* data write to the code page */
        bad += call(&code[64]) != 20;
    }
    tap_eq(bad, 0, "data stores to a code page keep the code");
    tap_eq(code[100], 99, "and the data is stored");

    return tap_done();
}
