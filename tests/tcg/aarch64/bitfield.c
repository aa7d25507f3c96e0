/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Bitfield and shift instructions: UBFX/SBFX/BFI/BFXIL/UBFIZ/SBFIZ (all
 * aliases of UBFM/SBFM/BFM), EXTR and ROR, variable shifts whose amount is
 * taken modulo the register size, the sign/zero extensions, wide moves
 * (MOVZ/MOVK/MOVN) and logical immediates.
 */
#include "runtime.h"

static const uint64_t V = 0x0123456789abcdefull;
static const uint64_t W = 0xfedcba9876543210ull;

static void test_extract(void)
{
    uint64_t r;

    __asm__("ubfx %0, %1, #8, #12" : "=r"(r) : "r"(HIDE(V)));
    tap_eq(r, 0xbcd, "ubfx");
    __asm__("sbfx %0, %1, #28, #8" : "=r"(r) : "r"(HIDE(W)));
    tap_eq(r, 0xffffffffffffff87ull, "sbfx negative field");
    __asm__("sbfx %0, %1, #4, #8" : "=r"(r) : "r"(HIDE(W)));
    tap_eq(r, 0x21, "sbfx positive field");
    __asm__("ubfx %w0, %w1, #31, #1" : "=r"(r) : "r"(HIDE(0x80000000ul)));
    tap_eq(r, 1, "ubfx w top bit");
    __asm__("sbfx %w0, %w1, #0, #4" : "=r"(r) : "r"(HIDE(0xful)));
    tap_eq(r, 0xffffffff, "sbfx w zero-extends the 32-bit result");
}

static void test_insert(void)
{
    uint64_t r;

    r = HIDE(UINT64_MAX);
    __asm__("bfi %0, %1, #16, #8" : "+r"(r) : "r"(HIDE(0ul)));
    tap_eq(r, 0xffffffffff00ffffull, "bfi zeroes a byte");
    r = HIDE(0x1111111111111111ull);
    __asm__("bfi %0, %1, #40, #16" : "+r"(r) : "r"(HIDE(0xffffabcdul)));
    tap_eq(r, 0x11abcd1111111111ull, "bfi");
    r = HIDE(0xaaaaaaaaaaaaaaaaull);
    __asm__("bfxil %0, %1, #16, #8" : "+r"(r) : "r"(HIDE(V)));
    tap_eq(r, 0xaaaaaaaaaaaaaaabull, "bfxil");
    r = HIDE(0xffffffff00000000ull);
    __asm__("bfi %w0, %w1, #4, #4" : "+r"(r) : "r"(HIDE(0x5ul)));
    tap_eq(r, 0x50, "bfi w clears the upper half");
    __asm__("ubfiz %0, %1, #60, #4" : "=r"(r) : "r"(HIDE(0xfful)));
    tap_eq(r, 0xf000000000000000ull, "ubfiz");
    __asm__("ubfiz %0, %1, #8, #8" : "=r"(r) : "r"(HIDE(0x123ul)));
    tap_eq(r, 0x2300, "ubfiz small");
    __asm__("sbfiz %0, %1, #4, #8" : "=r"(r) : "r"(HIDE(0x80ul)));
    tap_eq(r, 0xfffffffffffff800ull, "sbfiz");
}

static void test_extr_ror(void)
{
    uint64_t r;

    __asm__("extr %0, %1, %2, #16" : "=r"(r) : "r"(HIDE(V)), "r"(HIDE(W)));
    tap_eq(r, 0xcdeffedcba987654ull, "extr");
    __asm__("extr %w0, %w1, %w2, #8" : "=r"(r) : "r"(HIDE(0x12345678ul)), "r"(HIDE(0x9abcdef0ul)));
    tap_eq(r, 0x789abcde, "extr w");
    __asm__("ror %0, %1, #4" : "=r"(r) : "r"(HIDE(V)));
    tap_eq(r, 0xf0123456789abcdeull, "ror immediate");
    __asm__("ror %0, %1, %2" : "=r"(r) : "r"(HIDE(V)), "r"(HIDE(68ul)));
    tap_eq(r, 0xf0123456789abcdeull, "ror register, amount mod 64");
    __asm__("ror %w0, %w1, %w2" : "=r"(r) : "r"(HIDE(0x12345678ul)), "r"(HIDE(36ul)));
    tap_eq(r, 0x81234567, "ror w register, amount mod 32");
}

static void test_shifts(void)
{
    uint64_t r;

    __asm__("lsl %0, %1, %2" : "=r"(r) : "r"(HIDE(V)), "r"(HIDE(68ul)));
    tap_eq(r, 0x123456789abcdef0ull, "lsl register mod 64");
    __asm__("lsr %0, %1, %2" : "=r"(r) : "r"(HIDE(V)), "r"(HIDE(65ul)));
    tap_eq(r, 0x0091a2b3c4d5e6f7ull, "lsr register mod 64");
    __asm__("asr %0, %1, %2" : "=r"(r) : "r"(HIDE(0x8000000000000000ull)), "r"(HIDE(70ul)));
    tap_eq(r, 0xfe00000000000000ull, "asr register mod 64");
    __asm__("asr %w0, %w1, %w2" : "=r"(r) : "r"(HIDE(0x80000000ul)), "r"(HIDE(31ul)));
    tap_eq(r, 0xffffffff, "asr w by 31");
    __asm__("lsl %w0, %w1, %w2" : "=r"(r) : "r"(HIDE(1ul)), "r"(HIDE(32ul)));
    tap_eq(r, 1, "lsl w by 32 is by 0");
    __asm__("lsr %0, %1, #63" : "=r"(r) : "r"(HIDE(W)));
    tap_eq(r, 1, "lsr immediate 63");
    __asm__("asr %0, %1, #0" : "=r"(r) : "r"(HIDE(W)));
    tap_eq(r, W, "asr immediate 0");
}

static void test_extend(void)
{
    uint64_t r;

    __asm__("sxtb %0, %w1" : "=r"(r) : "r"(HIDE(0x1280ul)));
    tap_eq(r, 0xffffffffffffff80ull, "sxtb");
    __asm__("sxth %0, %w1" : "=r"(r) : "r"(HIDE(0x18000ul)));
    tap_eq(r, 0xffffffffffff8000ull, "sxth");
    __asm__("sxtw %0, %w1" : "=r"(r) : "r"(HIDE(0x180000000ul)));
    tap_eq(r, 0xffffffff80000000ull, "sxtw");
    __asm__("uxtb %w0, %w1" : "=r"(r) : "r"(HIDE(0x1fful)));
    tap_eq(r, 0xff, "uxtb");
    __asm__("uxth %w0, %w1" : "=r"(r) : "r"(HIDE(0x1fffful)));
    tap_eq(r, 0xffff, "uxth");
    __asm__("sxtb %w0, %w1" : "=r"(r) : "r"(HIDE(0x80ul)));
    tap_eq(r, 0xffffff80, "sxtb w");
    __asm__("mov %w0, %w1" : "=r"(r) : "r"(HIDE(UINT64_MAX)));
    tap_eq(r, 0xffffffff, "32-bit mov zero-extends");
}

static void test_moves(void)
{
    uint64_t r;

    __asm__("movz %0, #0xbeef, lsl #48" : "=r"(r));
    tap_eq(r, 0xbeef000000000000ull, "movz lsl #48");
    __asm__("movz %0, #0x1111\n\t"
            "movk %0, #0x2222, lsl #16\n\t"
            "movk %0, #0x3333, lsl #32\n\t"
            "movk %0, #0x4444, lsl #48" : "=r"(r));
    tap_eq(r, 0x4444333322221111ull, "movz + movk x3");
    __asm__("movn %0, #0x1234, lsl #16" : "=r"(r));
    tap_eq(r, 0xffffffffedcbffffull, "movn");
    __asm__("movn %w0, #0" : "=r"(r));
    tap_eq(r, 0xffffffff, "movn w");
    __asm__("and %0, %1, #0x00ff00ff00ff00ff" : "=r"(r) : "r"(HIDE(V)));
    tap_eq(r, 0x0023006700ab00efull, "and logical immediate");
    __asm__("orr %0, %1, #0xf00000000000000f" : "=r"(r) : "r"(HIDE(0ul)));
    tap_eq(r, 0xf00000000000000full, "orr wrapped-run immediate");
    __asm__("eor %w0, %w1, #0x55555555" : "=r"(r) : "r"(HIDE(0xfffffffffffffffful)));
    tap_eq(r, 0xaaaaaaaa, "eor w immediate");
    __asm__("tst %1, #0x8000000000000000\n\tcset %0, ne" : "=r"(r) : "r"(HIDE(W)) : "cc");
    tap_eq(r, 1, "tst immediate");
}

int main(void)
{
    tap_diag("bitfield operations, shifts, extensions, moves");
    test_extract();
    test_insert();
    test_extr_ror();
    test_shifts();
    test_extend();
    test_moves();
    return tap_done();
}
