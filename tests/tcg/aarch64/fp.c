/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Floating-point basics, checked bit for bit against patterns computed on
 * the host with exact rational arithmetic: FADD/FSUB/FMUL/FDIV/FSQRT in
 * single and double precision, the fused FMADD (whose answer differs from
 * a separate multiply and add), conversions between precisions and to and
 * from integers (rounding toward zero, saturation, NaN to 0), rounding to
 * integral, FCMP flags including unordered, infinities, the default NaN,
 * subnormals, FPSR exception flags and one vector FADD. The only program
 * built without -mgeneral-regs-only; crt0 enabled FP access (CPACR_EL1).
 */
#include "runtime.h"

typedef union {
    double d;
    uint64_t u;
} D64;

typedef union {
    float f;
    uint32_t u;
} F32;

static double dbl(uint64_t bits)
{
    D64 v = { .u = HIDE(bits) };

    return v.d;
}

static float flt(uint32_t bits)
{
    F32 v = { .u = HIDE(bits) };

    return v.f;
}

static uint64_t bits_d(double d)
{
    D64 v = { .d = d };

    return v.u;
}

static uint32_t bits_f(float f)
{
    F32 v = { .f = f };

    return v.u;
}

#define ONE   0x3ff0000000000000ull
#define TWO   0x4000000000000000ull
#define THREE 0x4008000000000000ull
#define TENTH 0x3fb999999999999aull     /* 0.1 */
#define TEN   0x4024000000000000ull

#define OP2D(insn, a, b) ({ double r_; \
    __asm__ volatile(insn " %d0, %d1, %d2" : "=w"(r_) : "w"(a), "w"(b)); r_; })
#define OP2S(insn, a, b) ({ float r_; \
    __asm__ volatile(insn " %s0, %s1, %s2" : "=w"(r_) : "w"(a), "w"(b)); r_; })
#define OP1D(insn, a) ({ double r_; __asm__ volatile(insn " %d0, %d1" : "=w"(r_) : "w"(a)); r_; })
#define OP1S(insn, a) ({ float r_; __asm__ volatile(insn " %s0, %s1" : "=w"(r_) : "w"(a)); r_; })

static void test_arith(void)
{
    double r;
    float f;

    r = OP2D("fadd", dbl(0x3ff8000000000000ull), dbl(0x4002000000000000ull));
    tap_eq(bits_d(r), 0x400e000000000000ull, "fadd d 1.5 + 2.25");
    r = OP2D("fadd", dbl(TENTH), dbl(0x3fc999999999999aull));
    tap_eq(bits_d(r), 0x3fd3333333333334ull, "fadd d 0.1 + 0.2 rounds");
    r = OP2D("fsub", dbl(ONE), dbl(ONE));
    tap_eq(bits_d(r), 0, "fsub d x - x = +0");
    r = OP2D("fmul", dbl(0x3ff199999999999aull), dbl(THREE));
    tap_eq(bits_d(r), 0x400a666666666667ull, "fmul d 1.1 * 3");
    r = OP2D("fdiv", dbl(ONE), dbl(THREE));
    tap_eq(bits_d(r), 0x3fd5555555555555ull, "fdiv d 1 / 3");
    r = OP1D("fsqrt", dbl(TWO));
    tap_eq(bits_d(r), 0x3ff6a09e667f3bcdull, "fsqrt d 2");
    r = OP1D("fneg", dbl(ONE));
    tap_eq(bits_d(r), 0xbff0000000000000ull, "fneg d");
    r = OP1D("fabs", dbl(0xc00d99999999999aull));
    tap_eq(bits_d(r), 0x400d99999999999aull, "fabs d");

    f = OP2S("fadd", flt(0x3dcccccd), flt(0x3e4ccccd));
    tap_eq(bits_f(f), 0x3e99999a, "fadd s 0.1f + 0.2f");
    f = OP2S("fdiv", flt(0x3f800000), flt(0x40400000));
    tap_eq(bits_f(f), 0x3eaaaaab, "fdiv s 1 / 3");
    f = OP1S("fsqrt", flt(0x40000000));
    tap_eq(bits_f(f), 0x3fb504f3, "fsqrt s 2");
    f = OP2S("fmul", flt(0x40000000), flt(0xc0400000));
    tap_eq(bits_f(f), 0xc0c00000, "fmul s 2 * -3");
}

static void test_fused(void)
{
    double r, p;

    __asm__ volatile("fmadd %d0, %d1, %d2, %d3"
                     : "=w"(r) : "w"(dbl(TENTH)), "w"(dbl(TEN)), "w"(dbl(0xbff0000000000000ull)));
    tap_eq(bits_d(r), 0x3c90000000000000ull, "fmadd 0.1 * 10 - 1 is fused (2^-54)");
    p = OP2D("fmul", dbl(TENTH), dbl(TEN));
    r = OP2D("fsub", p, dbl(ONE));
    tap_eq(bits_d(r), 0, "fmul then fsub rounds twice (0)");
    __asm__ volatile("fmsub %d0, %d1, %d2, %d3"
                     : "=w"(r) : "w"(dbl(TWO)), "w"(dbl(THREE)), "w"(dbl(TEN)));
    tap_eq(bits_d(r), 0x4010000000000000ull, "fmsub 10 - 2 * 3");
    __asm__ volatile("fnmadd %d0, %d1, %d2, %d3"
                     : "=w"(r) : "w"(dbl(TWO)), "w"(dbl(THREE)), "w"(dbl(ONE)));
    tap_eq(bits_d(r), 0xc01c000000000000ull, "fnmadd -(2 * 3) - 1");
}

static void test_convert(void)
{
    uint64_t x;
    double r;
    float f;

    __asm__ volatile("fcvt %s0, %d1" : "=w"(f) : "w"(dbl(TENTH)));
    tap_eq(bits_f(f), 0x3dcccccd, "fcvt d -> s");
    __asm__ volatile("fcvt %d0, %s1" : "=w"(r) : "w"(flt(0x3dcccccd)));
    tap_eq(bits_d(r), 0x3fb99999a0000000ull, "fcvt s -> d");
    __asm__ volatile("fcvtzs %0, %d1" : "=r"(x) : "w"(dbl(0xc00d99999999999aull)));
    tap_eq(x, (uint64_t)-3, "fcvtzs -3.7 -> -3");
    __asm__ volatile("fcvtzs %0, %d1" : "=r"(x) : "w"(dbl(0x4415af1d78b58c40ull)));
    tap_eq(x, (uint64_t)INT64_MAX, "fcvtzs 1e20 saturates");
    __asm__ volatile("fcvtzu %0, %d1" : "=r"(x) : "w"(dbl(0xbff0000000000000ull)));
    tap_eq(x, 0, "fcvtzu -1 saturates to 0");
    __asm__ volatile("fcvtzs %w0, %d1" : "=r"(x) : "w"(dbl(0x7ff8000000000000ull)));
    tap_eq(x, 0, "fcvtzs NaN -> 0");
    __asm__ volatile("fcvtzs %w0, %d1" : "=r"(x) : "w"(dbl(0xc1e0000000200000ull)));
    tap_eq(x, 0x80000000, "fcvtzs w saturates negative");
    __asm__ volatile("fcvtas %0, %d1" : "=r"(x) : "w"(dbl(0x4004000000000000ull)));
    tap_eq(x, 3, "fcvtas 2.5 -> 3 (ties away)");
    __asm__ volatile("fcvtns %0, %d1" : "=r"(x) : "w"(dbl(0x4004000000000000ull)));
    tap_eq(x, 2, "fcvtns 2.5 -> 2 (ties even)");
    __asm__ volatile("scvtf %d0, %1" : "=w"(r) : "r"(HIDE((uint64_t)-5)));
    tap_eq(bits_d(r), 0xc014000000000000ull, "scvtf -5");
    __asm__ volatile("ucvtf %d0, %1" : "=w"(r) : "r"(HIDE(UINT64_MAX)));
    tap_eq(bits_d(r), 0x43f0000000000000ull, "ucvtf UINT64_MAX rounds to 2^64");
    __asm__ volatile("scvtf %s0, %w1" : "=w"(f) : "r"(HIDE(16777217ul)));
    tap_eq(bits_f(f), 0x4b800000, "scvtf w 2^24 + 1 rounds to even");
    __asm__ volatile("fmov %0, %d1" : "=r"(x) : "w"(dbl(ONE)));
    tap_eq(x, ONE, "fmov x <- d");
    __asm__ volatile("fmov %d0, #2.5" : "=w"(r));
    tap_eq(bits_d(r), 0x4004000000000000ull, "fmov d immediate");
}

static void test_round(void)
{
    const double half = dbl(0x4004000000000000ull);   /* 2.5 */
    const double neg = dbl(0xbff8000000000000ull);    /* -1.5 */

    tap_eq(bits_d(OP1D("frintn", half)), 0x4000000000000000ull, "frintn 2.5 -> 2");
    tap_eq(bits_d(OP1D("frinta", half)), 0x4008000000000000ull, "frinta 2.5 -> 3");
    tap_eq(bits_d(OP1D("frintm", neg)), 0xc000000000000000ull, "frintm -1.5 -> -2");
    tap_eq(bits_d(OP1D("frintp", neg)), 0xbff0000000000000ull, "frintp -1.5 -> -1");
    tap_eq(bits_d(OP1D("frintz", neg)), 0xbff0000000000000ull, "frintz -1.5 -> -1");
}

static uint32_t fcmp_flags(double a, double b)
{
    uint64_t f;

    __asm__ volatile("fcmp %d1, %d2\n\tmrs %0, nzcv" : "=r"(f) : "w"(a), "w"(b) : "cc");
    return f >> 28;
}

static void test_compare(void)
{
    tap_eq(fcmp_flags(dbl(ONE), dbl(TWO)), 0x8, "fcmp less: N");
    tap_eq(fcmp_flags(dbl(TWO), dbl(TWO)), 0x6, "fcmp equal: ZC");
    tap_eq(fcmp_flags(dbl(THREE), dbl(TWO)), 0x2, "fcmp greater: C");
    tap_eq(fcmp_flags(dbl(0x7ff8000000000000ull), dbl(ONE)), 0x3, "fcmp unordered: CV");
    tap_eq(fcmp_flags(dbl(0x8000000000000000ull), dbl(0)), 0x6, "fcmp -0 == +0");
    tap_eq(bits_d(OP2D("fmax", dbl(ONE), dbl(0xbff0000000000000ull))), ONE, "fmax");
    tap_eq(bits_d(OP2D("fmin", dbl(0), dbl(0x8000000000000000ull))), 0x8000000000000000ull,
           "fmin(+0, -0) = -0");
}

static void test_special(void)
{
    uint64_t fpsr;

    __asm__ volatile("msr fpcr, xzr\n\tmsr fpsr, xzr");
    tap_eq(bits_d(OP2D("fdiv", dbl(ONE), dbl(0))), 0x7ff0000000000000ull, "1 / 0 = +inf");
    __asm__ volatile("mrs %0, fpsr" : "=r"(fpsr));
    tap_eq(fpsr & 0x1f, 0x2, "FPSR.DZC after 1 / 0");
    __asm__ volatile("msr fpsr, xzr");
    tap_eq(bits_d(OP2D("fdiv", dbl(0), dbl(0))), 0x7ff8000000000000ull, "0 / 0 = default NaN");
    __asm__ volatile("mrs %0, fpsr" : "=r"(fpsr));
    tap_eq(fpsr & 0x1f, 0x1, "FPSR.IOC after 0 / 0");
    __asm__ volatile("msr fpsr, xzr");
    OP2D("fdiv", dbl(ONE), dbl(THREE));
    __asm__ volatile("mrs %0, fpsr" : "=r"(fpsr));
    tap_eq(fpsr & 0x1f, 0x10, "FPSR.IXC after 1 / 3");
    tap_eq(bits_d(OP2D("fmul", dbl(0x7fefffffffffffffull), dbl(TWO))), 0x7ff0000000000000ull,
           "overflow to +inf");
    tap_eq(bits_d(OP2D("fdiv", dbl(0x0010000000000000ull), dbl(TWO))), 0x0008000000000000ull,
           "subnormal result kept (FPCR.FZ clear)");
    tap_eq(bits_d(OP2D("fadd", dbl(0x7ff4000000000001ull), dbl(ONE))), 0x7ffc000000000001ull,
           "signalling NaN operand is quietened");
}

static void test_vector(void)
{
    static const double a[2] __attribute__((aligned(16))) = { 1.5, -2.0 };
    static const double b[2] __attribute__((aligned(16))) = { 0.25, 8.0 };
    double out[2] __attribute__((aligned(16)));

    __asm__ volatile("ldr q0, [%1]\n\t"
                     "ldr q1, [%2]\n\t"
                     "fadd v2.2d, v0.2d, v1.2d\n\t"
                     "str q2, [%0]"
                     : : "r"(out), "r"(a), "r"(b) : "v0", "v1", "v2", "memory");
    tap_ok(bits_d(out[0]) == 0x3ffc000000000000ull && bits_d(out[1]) == 0x4018000000000000ull,
           "fadd v.2d");
}

int main(void)
{
    tap_diag("floating point basics");
    test_arith();
    test_fused();
    test_convert();
    test_round();
    test_compare();
    test_special();
    test_vector();
    return tap_done();
}
