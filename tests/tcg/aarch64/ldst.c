/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Loads and stores: every size with zero and sign extension, and every
 * addressing mode: scaled immediate, unscaled (LDUR/STUR), pre- and
 * post-index with write-back, register offset with LSL/UXTW/SXTW scaling,
 * PC-relative literals and ADR/ADRP, and the pair forms (LDP/STP/LDPSW/
 * LDNP/STNP) with their own index modes. All accesses are naturally
 * aligned: with the MMU off memory is Device memory.
 */
#include "runtime.h"

static uint64_t buf[8] __attribute__((aligned(64)));

static void fill(void)
{
    uint8_t *b = (uint8_t *)buf;

    for (int i = 0; i < (int)sizeof(buf); i++) {
        b[i] = 0x80 + i;        /* bytes 0x80..0xbf: all "negative" */
    }
}

static void test_load_sizes(void)
{
    uint64_t r;
    uint8_t *b = (uint8_t *)buf;

    fill();
    __asm__ volatile("ldrb %w0, [%1, #3]" : "=r"(r) : "r"(b));
    tap_eq(r, 0x83, "ldrb zero-extends");
    __asm__ volatile("ldrsb %0, [%1, #3]" : "=r"(r) : "r"(b));
    tap_eq(r, 0xffffffffffffff83ull, "ldrsb x sign-extends to 64");
    __asm__ volatile("ldrsb %w0, [%1, #3]" : "=r"(r) : "r"(b));
    tap_eq(r, 0xffffff83, "ldrsb w sign-extends to 32");
    __asm__ volatile("ldrh %w0, [%1, #6]" : "=r"(r) : "r"(b));
    tap_eq(r, 0x8786, "ldrh");
    __asm__ volatile("ldrsh %0, [%1, #6]" : "=r"(r) : "r"(b));
    tap_eq(r, 0xffffffffffff8786ull, "ldrsh x");
    __asm__ volatile("ldrsh %w0, [%1, #6]" : "=r"(r) : "r"(b));
    tap_eq(r, 0xffff8786, "ldrsh w");
    __asm__ volatile("ldr %w0, [%1, #12]" : "=r"(r) : "r"(b));
    tap_eq(r, 0x8f8e8d8c, "ldr w");
    __asm__ volatile("ldrsw %0, [%1, #12]" : "=r"(r) : "r"(b));
    tap_eq(r, 0xffffffff8f8e8d8cull, "ldrsw");
    __asm__ volatile("ldr %0, [%1, #16]" : "=r"(r) : "r"(b));
    tap_eq(r, 0x9796959493929190ull, "ldr x");
    __asm__ volatile("ldr %0, [%1, #32760]" : "=r"(r) : "r"((uintptr_t)b - 32760 + 8));
    tap_eq(r, 0x8f8e8d8c8b8a8988ull, "ldr x, largest scaled offset");
}

static void test_store_sizes(void)
{
    uint8_t *b = (uint8_t *)buf;

    fill();
    __asm__ volatile("strb %w0, [%1, #1]" : : "r"(0x1234ul), "r"(b) : "memory");
    tap_eq(buf[0], 0x8786858483823480ull, "strb stores one byte");
    __asm__ volatile("strh %w0, [%1, #2]" : : "r"(0xabcdef01ul), "r"(b) : "memory");
    tap_eq(buf[0], 0x87868584ef013480ull, "strh stores two bytes");
    __asm__ volatile("str %w0, [%1, #4]" : : "r"(0x1122334455667788ul), "r"(b) : "memory");
    tap_eq(buf[0], 0x55667788ef013480ull, "str w stores four bytes");
    __asm__ volatile("str %0, [%1, #8]" : : "r"(0x0102030405060708ul), "r"(b) : "memory");
    tap_eq(buf[1], 0x0102030405060708ull, "str x");
    tap_eq(buf[2], 0x9796959493929190ull, "str x leaves the neighbour alone");
    __asm__ volatile("str xzr, [%0, #16]" : : "r"(b) : "memory");
    tap_eq(buf[2], 0, "str xzr");
    __asm__ volatile("stur %0, [%1, #-8]" : : "r"(0xdeadbeefcafef00dul), "r"(b + 32) : "memory");
    tap_eq(buf[3], 0xdeadbeefcafef00dull, "stur negative offset");
}

static void test_index_modes(void)
{
    uint64_t r, p;
    uint8_t *b = (uint8_t *)buf;

    fill();
    p = (uint64_t)b;
    __asm__ volatile("ldr %0, [%1, #8]!" : "=r"(r), "+r"(p));
    tap_eq(r, buf[1], "ldr pre-index loads from base+8");
    tap_eq(p, (uint64_t)b + 8, "ldr pre-index writes back");
    __asm__ volatile("ldr %0, [%1], #16" : "=r"(r), "+r"(p));
    tap_eq(r, buf[1], "ldr post-index loads from base");
    tap_eq(p, (uint64_t)b + 24, "ldr post-index writes back");
    __asm__ volatile("ldrb %w0, [%1, #-1]!" : "=r"(r), "+r"(p));
    tap_eq(r, 0x97, "ldrb pre-index negative");
    tap_eq(p, (uint64_t)b + 23, "ldrb pre-index negative writes back");
    __asm__ volatile("ldrb %w0, [%1], #-3" : "=r"(r), "+r"(p));
    tap_eq(r, 0x97, "ldrb post-index negative loads from base");
    tap_eq(p, (uint64_t)b + 20, "ldrb post-index negative writes back");
    __asm__ volatile("ldrsh %w0, [%1], #-4" : "=r"(r), "+r"(p));
    tap_eq(r, 0xffff9594, "ldrsh w post-index");
    tap_eq(p, (uint64_t)b + 16, "ldrsh post-index writes back");
    __asm__ volatile("str %w2, [%1, #-4]!" : "=r"(r), "+r"(p) : "r"(0x55aa55aaul) : "memory");
    tap_eq(p, (uint64_t)b + 12, "str w pre-index writes back");
    tap_eq(buf[1], 0x55aa55aa8b8a8988ull, "str w pre-index stored at the new base");
    __asm__ volatile("strh %w2, [%1], #2" : "=r"(r), "+r"(p) : "r"(0x7777ul) : "memory");
    tap_eq(p, (uint64_t)b + 14, "strh post-index writes back");
    tap_eq(buf[1], 0x55aa77778b8a8988ull, "strh post-index stored at the old base");
}

static void test_register_offset(void)
{
    uint64_t r;
    uint8_t *b = (uint8_t *)buf;

    fill();
    __asm__ volatile("ldr %0, [%1, %2, lsl #3]" : "=r"(r) : "r"(b), "r"(3ul));
    tap_eq(r, buf[3], "ldr [x, x, lsl #3]");
    __asm__ volatile("ldr %0, [%1, %2]" : "=r"(r) : "r"(b), "r"(24ul));
    tap_eq(r, buf[3], "ldr [x, x]");
    __asm__ volatile("ldr %w0, [%1, %w2, uxtw #2]" : "=r"(r) : "r"(b), "r"(0x100000003ul));
    tap_eq(r, 0x8f8e8d8c, "ldr w [x, w, uxtw #2] ignores upper bits");
    __asm__ volatile("ldrh %w0, [%1, %w2, sxtw #1]" : "=r"(r) : "r"(b + 16), "r"(0xfffffffful));
    tap_eq(r, 0x8f8e, "ldrh [x, w, sxtw #1] with -1");
    __asm__ volatile("ldrsb %0, [%1, %2, sxtx]" : "=r"(r) : "r"(b + 16), "r"((uint64_t)-16));
    tap_eq(r, 0xffffffffffffff80ull, "ldrsb [x, x, sxtx] negative");
    __asm__ volatile("str %0, [%1, %2, lsl #3]" : : "r"(0x4242ul), "r"(b), "r"(7ul) : "memory");
    tap_eq(buf[7], 0x4242, "str [x, x, lsl #3]");
}

static void test_literal_and_adr(void)
{
    uint64_t r, w, a, want;

    __asm__ volatile("ldr %0, 1f\n\t"
                     "ldrsw %1, 2f\n\t"
                     "b 3f\n\t"
                     ".balign 8\n"
                     "1: .quad 0x1122334455667788\n"
                     "2: .word 0x80000001\n"
                     "3:"
                     : "=r"(r), "=r"(w));
    tap_eq(r, 0x1122334455667788ull, "ldr literal");
    tap_eq(w, 0xffffffff80000001ull, "ldrsw literal");
    __asm__ volatile("adr %0, buf" : "=r"(a));
    tap_eq(a, (uint64_t)buf, "adr");
    __asm__ volatile("adrp %0, buf" : "=r"(a));
    tap_eq(a, (uint64_t)buf & ~0xfffull, "adrp");
    __asm__ volatile("adrp %0, buf\n\tadd %0, %0, :lo12:buf" : "=r"(a));
    tap_eq(a, (uint64_t)buf, "adrp + add :lo12:");
    __asm__ volatile("1: adr %0, 1b\n\tadr %1, .+8" : "=r"(a), "=r"(want));
    tap_eq(want - a, 12, "adr of a nearby label");
}

static void test_pairs(void)
{
    uint64_t x, y, p;
    uint8_t *b = (uint8_t *)buf;

    fill();
    __asm__ volatile("ldp %0, %1, [%2, #16]" : "=r"(x), "=r"(y) : "r"(b));
    tap_ok(x == buf[2] && y == buf[3], "ldp x");
    __asm__ volatile("ldp %w0, %w1, [%2, #-8]" : "=r"(x), "=r"(y) : "r"(b + 16));
    tap_ok(x == 0x8b8a8988 && y == 0x8f8e8d8c, "ldp w negative offset");
    __asm__ volatile("ldpsw %0, %1, [%2]" : "=r"(x), "=r"(y) : "r"(b + 8));
    tap_ok(x == 0xffffffff8b8a8988ull && y == 0xffffffff8f8e8d8cull, "ldpsw");
    __asm__ volatile("stp %0, %1, [%2, #32]" : : "r"(1ul), "r"(2ul), "r"(b) : "memory");
    tap_ok(buf[4] == 1 && buf[5] == 2, "stp x");
    p = (uint64_t)b + 64;
    __asm__ volatile("stp %1, %2, [%0, #-16]!" : "+r"(p) : "r"(3ul), "r"(4ul) : "memory");
    tap_ok(buf[6] == 3 && buf[7] == 4 && p == (uint64_t)b + 48, "stp pre-index");
    __asm__ volatile("ldp %1, %2, [%0], #-48" : "+r"(p), "=r"(x), "=r"(y));
    tap_ok(x == 3 && y == 4 && p == (uint64_t)b, "ldp post-index");
    __asm__ volatile("stp %w1, %w2, [%0], #8" : "+r"(p) : "r"(0xaaaaul), "r"(0xbbbbul) : "memory");
    tap_ok(buf[0] == 0x0000bbbb0000aaaaull && p == (uint64_t)b + 8, "stp w post-index");
    __asm__ volatile("stnp %0, %1, [%2, #16]" : : "r"(5ul), "r"(6ul), "r"(b) : "memory");
    __asm__ volatile("ldnp %0, %1, [%2, #16]" : "=r"(x), "=r"(y) : "r"(b));
    tap_ok(x == 5 && y == 6, "stnp/ldnp");
    __asm__ volatile("stp xzr, xzr, [%0]" : : "r"(b + 32) : "memory");
    tap_ok(buf[4] == 0 && buf[5] == 0, "stp xzr, xzr");
}

static void test_stack(void)
{
    uint64_t sp0, sp1, x, y;

    __asm__ volatile("mov %0, sp\n\t"
                     "stp %4, %5, [sp, #-16]!\n\t"
                     "mov %1, sp\n\t"
                     "ldp %2, %3, [sp], #16"
                     : "=&r"(sp0), "=&r"(sp1), "=&r"(x), "=&r"(y)
                     : "r"(0x11ul), "r"(0x22ul)
                     : "memory");
    tap_ok(sp0 - sp1 == 16 && x == 0x11 && y == 0x22, "push/pop pair on sp");
}

/* A copy through C, with loads and stores of every width the compiler likes. */
struct mixed {
    uint8_t a;
    uint16_t b;
    uint32_t c;
    uint64_t d;
    int8_t e;
    int16_t f;
    int32_t g;
};

static void test_struct(void)
{
    static struct mixed src = { 0xa1, 0xb2b3, 0xc4c5c6c7, 0xd8d9dadbdcdddedfull, -2, -3, -4 };
    static struct mixed dst;
    volatile struct mixed *vs = &src;
    int64_t sum;

    dst = *(struct mixed *)vs;
    tap_ok(dst.a == 0xa1 && dst.b == 0xb2b3 && dst.c == 0xc4c5c6c7 &&
           dst.d == 0xd8d9dadbdcdddedfull && dst.e == -2 && dst.f == -3 && dst.g == -4,
           "struct copy");
    sum = (int64_t)vs->e + vs->f + vs->g;
    tap_eq((uint64_t)sum, (uint64_t)-9, "signed narrow loads in C");
}

int main(void)
{
    tap_diag("loads and stores");
    test_load_sizes();
    test_store_sizes();
    test_index_modes();
    test_register_offset();
    test_literal_and_adr();
    test_pairs();
    test_stack();
    test_struct();
    return tap_done();
}
