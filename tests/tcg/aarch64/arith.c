/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Integer arithmetic and flags: ADDS/SUBS/ADCS/SBCS at the carry and
 * overflow edges (64- and 32-bit), shifted and extended operands, logical
 * flags, multiplies (low and high halves, widening, fused), divides
 * including division by zero (result 0) and INT_MIN / -1, and CLZ/CLS/
 * RBIT/REV*. Every instruction is written out in asm so the compiler
 * cannot fold the result.
 */
#include "runtime.h"

#define N 8u
#define Z 4u
#define C 2u
#define V 1u

static uint32_t nzcv_read(void)
{
    uint64_t f;

    __asm__ volatile("mrs %0, nzcv" : "=r"(f));
    return f >> 28;
}

/* Run "OP dst, a, b" with carry-in cin, return the result and NZCV. */
#define FLAG_OP(name, insn, reg)                                                   \
    static uint64_t name(uint64_t a, uint64_t b, int cin, uint32_t *flags)         \
    {                                                                              \
        uint64_t r, f;                                                             \
        __asm__ volatile("msr nzcv, %[c]\n\t" insn " %" reg "[r], %" reg "[a], %" reg "[b]\n\t" \
                         "mrs %[f], nzcv"                                          \
                         : [r] "=&r"(r), [f] "=r"(f)                               \
                         : [a] "r"(a), [b] "r"(b), [c] "r"((uint64_t)(cin ? C << 28 : 0)) \
                         : "cc");                                                  \
        *flags = f >> 28;                                                          \
        return r;                                                                  \
    }

FLAG_OP(adds64, "adds", "")
FLAG_OP(subs64, "subs", "")
FLAG_OP(adcs64, "adcs", "")
FLAG_OP(sbcs64, "sbcs", "")
FLAG_OP(adds32, "adds", "w")
FLAG_OP(subs32, "subs", "w")
FLAG_OP(adcs32, "adcs", "w")
FLAG_OP(sbcs32, "sbcs", "w")
FLAG_OP(ands64, "ands", "")
FLAG_OP(bics32, "bics", "w")

typedef uint64_t (*FlagFn)(uint64_t, uint64_t, int, uint32_t *);

static void check_flags(const char *name, FlagFn fn, uint64_t a, uint64_t b, int cin,
                        uint64_t want, uint32_t want_flags)
{
    uint32_t flags;
    uint64_t r = fn(a, b, cin, &flags);

    tap_ok(r == want && flags == want_flags,
           "%s 0x%lx, 0x%lx, C=%d = 0x%lx nzcv %x", name, a, b, cin, want, want_flags);
    if (r != want || flags != want_flags) {
        tap_diag("  got 0x%lx nzcv %x", r, flags);
    }
}

static void test_add_sub(void)
{
    const uint64_t max = UINT64_MAX, smax = INT64_MAX, smin = (uint64_t)INT64_MIN;

    check_flags("adds", adds64, 1, 1, 0, 2, 0);
    check_flags("adds", adds64, max, 1, 0, 0, Z | C);
    check_flags("adds", adds64, smax, 1, 0, smin, N | V);
    check_flags("adds", adds64, smin, smin, 0, 0, Z | C | V);
    check_flags("adds", adds64, max, max, 0, max - 1, N | C);
    check_flags("subs", subs64, 5, 3, 0, 2, C);
    check_flags("subs", subs64, 3, 5, 0, (uint64_t)-2, N);
    check_flags("subs", subs64, 5, 5, 0, 0, Z | C);
    check_flags("subs", subs64, smin, 1, 0, smax, C | V);
    check_flags("subs", subs64, 0, 1, 0, max, N);
    check_flags("subs", subs64, smax, max, 0, smin, N | V);
    check_flags("adcs", adcs64, 1, 1, 1, 3, 0);
    check_flags("adcs", adcs64, max, 0, 1, 0, Z | C);
    check_flags("adcs", adcs64, max, 0, 0, max, N);
    check_flags("adcs", adcs64, smax, 0, 1, smin, N | V);
    check_flags("adcs", adcs64, max, max, 1, max, N | C);
    check_flags("sbcs", sbcs64, 5, 3, 1, 2, C);
    check_flags("sbcs", sbcs64, 5, 3, 0, 1, C);
    check_flags("sbcs", sbcs64, 0, 0, 0, max, N);
    check_flags("sbcs", sbcs64, 0, 0, 1, 0, Z | C);
    check_flags("sbcs", sbcs64, smin, 0, 0, smax, C | V);

    check_flags("adds w", adds32, 0x7fffffff, 1, 0, 0x80000000, N | V);
    check_flags("adds w", adds32, 0xffffffff, 1, 0, 0, Z | C);
    check_flags("adds w (upper bits ignored)", adds32, 0x1234567800000001ull, 1, 0, 2, 0);
    check_flags("subs w", subs32, 0x80000000, 1, 0, 0x7fffffff, C | V);
    check_flags("subs w", subs32, 1, 2, 0, 0xffffffff, N);
    check_flags("adcs w", adcs32, 0xffffffff, 0, 1, 0, Z | C);
    check_flags("sbcs w", sbcs32, 0, 0, 0, 0xffffffff, N);
    check_flags("ands", ands64, 0xf0f0000000000000ull, 0x8000000000000001ull, 1,
                0x8000000000000000ull, N);
    check_flags("ands", ands64, 0xf0, 0x0f, 1, 0, Z);
    check_flags("bics w", bics32, 0xffffffff, 0x7fffffff, 0, 0x80000000, N);
}

static void test_operands(void)
{
    uint64_t r;

    __asm__("add %0, %1, %2, lsl #4" : "=r"(r) : "r"(HIDE(1ul)), "r"(HIDE(0x10ul)));
    tap_eq(r, 0x101, "add lsl #4");
    __asm__("sub %0, %1, %2, asr #63" : "=r"(r) : "r"(HIDE(10ul)), "r"(HIDE((uint64_t)INT64_MIN)));
    tap_eq(r, 11, "sub asr #63");
    __asm__("add %0, %1, %w2, sxtw" : "=r"(r) : "r"(HIDE(100ul)), "r"(HIDE(0xfffffffful)));
    tap_eq(r, 99, "add sxtw");
    __asm__("add %0, %1, %w2, uxtb #2" : "=r"(r) : "r"(HIDE(0ul)), "r"(HIDE(0x1ffful)));
    tap_eq(r, 0x3fc, "add uxtb #2");
    __asm__("sub %0, %1, %w2, sxth" : "=r"(r) : "r"(HIDE(0ul)), "r"(HIDE(0x8000ul)));
    tap_eq(r, 0x8000, "sub sxth");
    {
        uint64_t t;

        __asm__("mov %0, sp\n\tadd %1, sp, #0x10\n\tsub %0, %1, %0" : "=&r"(r), "=&r"(t));
        tap_eq(r, 0x10, "add with sp");
    }
    __asm__("neg %0, %1" : "=r"(r) : "r"(HIDE(5ul)));
    tap_eq(r, (uint64_t)-5, "neg");
    __asm__("orn %0, %1, %2" : "=r"(r) : "r"(HIDE(0ul)), "r"(HIDE(0xfful)));
    tap_eq(r, ~0xfful, "orn");
    __asm__("eon %0, %1, %2" : "=r"(r) : "r"(HIDE(0xf0ul)), "r"(HIDE(0xfful)));
    tap_eq(r, ~0x0ful, "eon");
    __asm__("eor %w0, %w1, %w2, ror #8" : "=r"(r) : "r"(HIDE(0ul)), "r"(HIDE(0x12345678ul)));
    tap_eq(r, 0x78123456, "eor ror #8 (w)");
}

static void test_mul(void)
{
    uint64_t r;
    const uint64_t a = 0x0123456789abcdefull, b = 0xfedcba9876543210ull;

    __asm__("mul %0, %1, %2" : "=r"(r) : "r"(HIDE(a)), "r"(HIDE(b)));
    tap_eq(r, 0x2236d88fe5618cf0ull, "mul");
    __asm__("umulh %0, %1, %2" : "=r"(r) : "r"(HIDE(a)), "r"(HIDE(b)));
    tap_eq(r, 0x0121fa00ad77d742ull, "umulh");
    __asm__("umulh %0, %1, %1" : "=r"(r) : "r"(HIDE(UINT64_MAX)));
    tap_eq(r, 0xfffffffffffffffeull, "umulh max*max");
    __asm__("smulh %0, %1, %2" : "=r"(r) : "r"(HIDE(-a)), "r"(HIDE(0x7edcba9876543210ull)));
    tap_eq(r, 0xff6fa8b3175e0fb5ull, "smulh");
    __asm__("smulh %0, %1, %1" : "=r"(r) : "r"(HIDE(UINT64_MAX)));
    tap_eq(r, 0, "smulh -1*-1");
    __asm__("smulh %0, %1, %2" : "=r"(r) : "r"(HIDE((uint64_t)INT64_MIN)), "r"(HIDE(2ul)));
    tap_eq(r, UINT64_MAX, "smulh INT64_MIN*2");
    __asm__("madd %0, %1, %2, %3" : "=r"(r) : "r"(HIDE(7ul)), "r"(HIDE(6ul)), "r"(HIDE(100ul)));
    tap_eq(r, 142, "madd");
    __asm__("msub %0, %1, %2, %3" : "=r"(r) : "r"(HIDE(7ul)), "r"(HIDE(6ul)), "r"(HIDE(100ul)));
    tap_eq(r, 58, "msub");
    __asm__("smull %0, %w1, %w2" : "=r"(r) : "r"(HIDE(0xfffffffeul)), "r"(HIDE(3ul)));
    tap_eq(r, (uint64_t)-6, "smull");
    __asm__("umull %0, %w1, %w1" : "=r"(r) : "r"(HIDE(0xfffffffful)));
    tap_eq(r, 0xfffffffe00000001ull, "umull");
    __asm__("smaddl %0, %w1, %w2, %3" : "=r"(r)
            : "r"(HIDE(0x80000000ul)), "r"(HIDE(2ul)), "r"(HIDE(1ul)));
    tap_eq(r, 0xffffffff00000001ull, "smaddl");
    __asm__("mul %w0, %w1, %w2" : "=r"(r) : "r"(HIDE(0x10000ul)), "r"(HIDE(0x10001ul)));
    tap_eq(r, 0x10000, "mul w wraps");
}

static void test_div(void)
{
    uint64_t r;

    __asm__("udiv %0, %1, %2" : "=r"(r) : "r"(HIDE(100ul)), "r"(HIDE(7ul)));
    tap_eq(r, 14, "udiv");
    __asm__("sdiv %0, %1, %2" : "=r"(r) : "r"(HIDE((uint64_t)-100)), "r"(HIDE(7ul)));
    tap_eq(r, (uint64_t)-14, "sdiv rounds toward zero");
    __asm__("sdiv %0, %1, %2" : "=r"(r) : "r"(HIDE((uint64_t)-100)), "r"(HIDE((uint64_t)-7)));
    tap_eq(r, 14, "sdiv neg/neg");
    __asm__("udiv %0, %1, %2" : "=r"(r) : "r"(HIDE(UINT64_MAX)), "r"(HIDE(0ul)));
    tap_eq(r, 0, "udiv by zero is 0");
    __asm__("sdiv %0, %1, %2" : "=r"(r) : "r"(HIDE((uint64_t)-5)), "r"(HIDE(0ul)));
    tap_eq(r, 0, "sdiv by zero is 0");
    __asm__("sdiv %0, %1, %2" : "=r"(r)
            : "r"(HIDE((uint64_t)INT64_MIN)), "r"(HIDE((uint64_t)-1)));
    tap_eq(r, (uint64_t)INT64_MIN, "sdiv INT64_MIN / -1");
    __asm__("udiv %w0, %w1, %w2" : "=r"(r) : "r"(HIDE(0xfffffffful)), "r"(HIDE(0ul)));
    tap_eq(r, 0, "udiv w by zero");
    __asm__("sdiv %w0, %w1, %w2" : "=r"(r) : "r"(HIDE(0x80000000ul)), "r"(HIDE(0xfffffffful)));
    tap_eq(r, 0x80000000, "sdiv w INT32_MIN / -1 (zero-extended)");
    __asm__("udiv %w0, %w1, %w2" : "=r"(r) : "r"(HIDE(0x1fffffffful)), "r"(HIDE(2ul)));
    tap_eq(r, 0x7fffffff, "udiv w ignores upper bits");
}

static void test_bits(void)
{
    uint64_t r;
    const uint64_t v = 0x0123456789abcdefull;

    __asm__("clz %0, %1" : "=r"(r) : "r"(HIDE(0ul)));
    tap_eq(r, 64, "clz 0");
    __asm__("clz %0, %1" : "=r"(r) : "r"(HIDE(1ul)));
    tap_eq(r, 63, "clz 1");
    __asm__("clz %0, %1" : "=r"(r) : "r"(HIDE((uint64_t)INT64_MIN)));
    tap_eq(r, 0, "clz msb");
    __asm__("clz %w0, %w1" : "=r"(r) : "r"(HIDE(0ul)));
    tap_eq(r, 32, "clz w 0");
    __asm__("clz %w0, %w1" : "=r"(r) : "r"(HIDE(0x00010000ul)));
    tap_eq(r, 15, "clz w");
    __asm__("cls %0, %1" : "=r"(r) : "r"(HIDE(0ul)));
    tap_eq(r, 63, "cls 0");
    __asm__("cls %0, %1" : "=r"(r) : "r"(HIDE(UINT64_MAX)));
    tap_eq(r, 63, "cls -1");
    __asm__("cls %0, %1" : "=r"(r) : "r"(HIDE(0xf0f0000000000000ull)));
    tap_eq(r, 3, "cls negative");
    __asm__("rbit %0, %1" : "=r"(r) : "r"(HIDE(1ul)));
    tap_eq(r, 0x8000000000000000ull, "rbit 1");
    __asm__("rbit %0, %1" : "=r"(r) : "r"(HIDE(v)));
    tap_eq(r, 0xf7b3d591e6a2c480ull, "rbit");
    __asm__("rbit %w0, %w1" : "=r"(r) : "r"(HIDE(0x12345678ul)));
    tap_eq(r, 0x1e6a2c48, "rbit w");
    __asm__("rev %0, %1" : "=r"(r) : "r"(HIDE(v)));
    tap_eq(r, 0xefcdab8967452301ull, "rev");
    __asm__("rev16 %0, %1" : "=r"(r) : "r"(HIDE(v)));
    tap_eq(r, 0x23016745ab89efcdull, "rev16");
    __asm__("rev32 %0, %1" : "=r"(r) : "r"(HIDE(v)));
    tap_eq(r, 0x67452301efcdab89ull, "rev32");
    __asm__("rev %w0, %w1" : "=r"(r) : "r"(HIDE(0xff12345678ul)));
    tap_eq(r, 0x78563412, "rev w");
}

int main(void)
{
    tap_diag("integer arithmetic and flags");
    test_add_sub();
    test_operands();
    test_mul();
    test_div();
    test_bits();
    tap_ok(nzcv_read() <= 0xf, "nzcv readable");
    return tap_done();
}
