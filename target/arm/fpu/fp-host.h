/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The host-FPU fast path of the AArch64 floating-point library: single and
 * double precision add, subtract, multiply, divide, square root and fused
 * multiply-add computed with the host's IEEE arithmetic (SSE2 scalar on
 * x86-64, FMA3 only when cpuid has it) whenever that is bit-exact with the
 * Arm pseudocode, flags included. It is, when:
 *  - FPCR rounds to nearest (FZ, DN and AHP then cannot matter, below);
 *  - FPSR.IXC is already among the flags (ARMFPStatus.flags, which the
 *    helpers seed with the guest's cumulative IXC), so whether this result
 *    is inexact changes nothing;
 *  - every input is a normal number or a zero (no NaN, infinity or
 *    denormal, where FZ/IDC and the NaN rules of Arm and x86 differ);
 *  - the result is finite and above the smallest normal in magnitude (no
 *    overflow, no tininess, so no UFC/OFC and nothing to flush), or a zero
 *    that is known exact.
 * Anything else returns false and the caller runs the software path, which
 * gives the same value whenever both apply. Each fast function is one host
 * operation, so no compiler contraction can fuse two roundings into one.
 */
#ifndef TARGET_ARM_FPU_FP_HOST_H
#define TARGET_ARM_FPU_FP_HOST_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#ifndef ARMFP_LIB_ONLY
#define ARMFP_LIB_ONLY
#endif
#include "../helper-fp.h"

#if defined(__x86_64__)
#include <emmintrin.h>
#endif

/* x87 arithmetic would round twice; only SSE2 and A64 hosts qualify */
#if defined(__SSE2_MATH__) || defined(__aarch64__)
#define ARMFP_HOST_FAST 1
#else
#define ARMFP_HOST_FAST 0
#endif

typedef enum FPHostOp {
    FP_HOST_ADD,
    FP_HOST_SUB,
    FP_HOST_MUL,
    FP_HOST_DIV,
} FPHostOp;

static inline bool fp_host_allowed(const ARMFPStatus *st)
{
    return ARMFP_HOST_FAST && (st->flags & ARMFP_FPSR_IXC) &&
           (st->fpcr & ARMFP_FPCR_RMODE_MASK) == 0;
}

/* Has the host a fused multiply-add instruction? */
static inline bool fp_host_has_fma(void)
{
#if defined(__x86_64__)
    return __builtin_cpu_supports("fma");
#elif defined(__aarch64__)
    return true;
#else
    return false;
#endif
}

static inline double fp_host_d(uint64_t v)
{
    double d;

    memcpy(&d, &v, sizeof(d));
    return d;
}

static inline uint64_t fp_host_bits_d(double d)
{
    uint64_t v;

    memcpy(&v, &d, sizeof(v));
    return v;
}

static inline float fp_host_s(uint64_t v)
{
    uint32_t w = (uint32_t)v;
    float f;

    memcpy(&f, &w, sizeof(f));
    return f;
}

static inline uint64_t fp_host_bits_s(float f)
{
    uint32_t w;

    memcpy(&w, &f, sizeof(w));
    return w;
}

/* A normal number or a zero */
static inline bool fp_host_in_d(uint64_t v)
{
    return ((v >> 52) & 0x7ff) - 1 < 0x7fe || (v << 1) == 0;
}

static inline bool fp_host_in_s(uint64_t v)
{
    uint32_t w = (uint32_t)v;

    return ((w >> 23) & 0xff) - 1 < 0xfe || (uint32_t)(w << 1) == 0;
}

/* Finite and strictly above the smallest normal: not tiny before rounding */
static inline bool fp_host_out_d(uint64_t r)
{
    return (r & ~(1ull << 63)) - 0x0010000000000001ull <
           0x7ff0000000000000ull - 0x0010000000000001ull;
}

static inline bool fp_host_out_s(uint64_t r)
{
    return ((uint32_t)r & 0x7fffffffu) - 0x00800001u < 0x7f800000u - 0x00800001u;
}

static inline bool fp_host_is_zero(int esz, uint64_t v)
{
    return esz == ARMFP_D ? (v << 1) == 0 : (uint32_t)(v << 1) == 0;
}

/*
 * A zero result is exact (and then signed as Arm signs it) for a sum of
 * normals or zeros, and for a product or quotient only when a zero came in;
 * otherwise it is an underflow and the software path must raise UFC.
 */
static inline bool fp_host_zero_ok(int esz, FPHostOp op, uint64_t a, uint64_t b)
{
    switch (op) {
    case FP_HOST_ADD:
    case FP_HOST_SUB:
        return true;
    case FP_HOST_MUL:
        return fp_host_is_zero(esz, a) || fp_host_is_zero(esz, b);
    default:
        return fp_host_is_zero(esz, a);
    }
}

static inline __attribute__((always_inline)) bool
fp_host_2op(int esz, FPHostOp op, uint64_t a, uint64_t b, uint64_t *res)
{
    uint64_t r;

    if (esz == ARMFP_D) {
        double x = fp_host_d(a), y = fp_host_d(b), z;

        if (!(fp_host_in_d(a) & fp_host_in_d(b))) {
            return false;
        }
        switch (op) {
        case FP_HOST_ADD:
            z = x + y;
            break;
        case FP_HOST_SUB:
            z = x - y;
            break;
        case FP_HOST_MUL:
            z = x * y;
            break;
        default:
            z = x / y;
            break;
        }
        r = fp_host_bits_d(z);
        if (fp_host_out_d(r)) {
            *res = r;
            return true;
        }
    } else if (esz == ARMFP_S) {
        float x = fp_host_s(a), y = fp_host_s(b), z;

        if (!(fp_host_in_s(a) & fp_host_in_s(b))) {
            return false;
        }
        switch (op) {
        case FP_HOST_ADD:
            z = x + y;
            break;
        case FP_HOST_SUB:
            z = x - y;
            break;
        case FP_HOST_MUL:
            z = x * y;
            break;
        default:
            z = x / y;
            break;
        }
        r = fp_host_bits_s(z);
        if (fp_host_out_s(r)) {
            *res = r;
            return true;
        }
    } else {
        return false;
    }
    if (fp_host_is_zero(esz, r) && fp_host_zero_ok(esz, op, a, b)) {
        *res = r;
        return true;
    }
    return false;
}

#if defined(__x86_64__)
#define FP_HOST_FMA_ATTR __attribute__((target("fma")))
#else
#define FP_HOST_FMA_ATTR
#endif

/* Never inlined into callers without FMA: call only if fp_host_has_fma() */
static inline FP_HOST_FMA_ATTR double fp_host_fma_d(double a, double b, double c)
{
    return __builtin_fma(a, b, c);
}

static inline FP_HOST_FMA_ATTR float fp_host_fma_s(float a, float b, float c)
{
    return __builtin_fmaf(a, b, c);
}

/*
 * c + a * b rounded once, on the host's FMA instruction: call only when
 * fp_host_has_fma(). A zero result is exact only when a or b is zero (then
 * it is c, or a signed zero IEEE and Arm agree on); a zero from a nonzero
 * product may be a cancellation below the denormals, so it goes to
 * software.
 */
static inline __attribute__((always_inline)) bool
fp_host_muladd_core(int esz, uint64_t c, uint64_t a, uint64_t b, uint64_t *res)
{
    uint64_t r;

    if (esz == ARMFP_D) {
        if (!(fp_host_in_d(a) & fp_host_in_d(b) & fp_host_in_d(c))) {
            return false;
        }
        r = fp_host_bits_d(fp_host_fma_d(fp_host_d(a), fp_host_d(b), fp_host_d(c)));
        if (fp_host_out_d(r)) {
            *res = r;
            return true;
        }
    } else if (esz == ARMFP_S) {
        if (!(fp_host_in_s(a) & fp_host_in_s(b) & fp_host_in_s(c))) {
            return false;
        }
        r = fp_host_bits_s(fp_host_fma_s(fp_host_s(a), fp_host_s(b), fp_host_s(c)));
        if (fp_host_out_s(r)) {
            *res = r;
            return true;
        }
    } else {
        return false;
    }
    if (fp_host_is_zero(esz, r) &&
        (fp_host_is_zero(esz, a) || fp_host_is_zero(esz, b))) {
        *res = r;
        return true;
    }
    return false;
}

static inline __attribute__((always_inline)) bool
fp_host_muladd(int esz, uint64_t c, uint64_t a, uint64_t b, uint64_t *res)
{
    return fp_host_has_fma() && fp_host_muladd_core(esz, c, a, b, res);
}

/* The square root of a normal is normal; of a zero, that zero */
static inline bool fp_host_sqrt(int esz, uint64_t a, uint64_t *res)
{
#if defined(__x86_64__)
    if (esz == ARMFP_D) {
        if (!fp_host_in_d(a) || (a >> 63 && (a << 1) != 0)) {
            return false;
        }
        __m128d d = _mm_set_sd(fp_host_d(a));

        *res = fp_host_bits_d(_mm_cvtsd_f64(_mm_sqrt_sd(d, d)));
        return true;
    }
    if (esz == ARMFP_S) {
        uint32_t w = (uint32_t)a;

        if (!fp_host_in_s(a) || (w >> 31 && (uint32_t)(w << 1) != 0)) {
            return false;
        }
        __m128 f = _mm_set_ss(fp_host_s(a));

        *res = fp_host_bits_s(_mm_cvtss_f32(_mm_sqrt_ss(f)));
        return true;
    }
#endif
    (void)esz;
    (void)a;
    (void)res;
    return false;
}

/* Neither a NaN nor a denormal: FCMP needs no FPCR, raises nothing */
static inline bool fp_host_ordinary_d(uint64_t v)
{
    uint64_t e = (v >> 52) & 0x7ff, frac = v & ((1ull << 52) - 1);

    return frac == 0 || (e != 0 && e != 0x7ff);
}

static inline bool fp_host_ordinary_s(uint64_t v)
{
    uint32_t e = ((uint32_t)v >> 23) & 0xff, frac = (uint32_t)v & ((1u << 23) - 1);

    return frac == 0 || (e != 0 && e != 0xff);
}

/*
 * FPCompare of two ordinary values (zeros, normals, infinities): the
 * host's ordering, +0 equal to -0, under any FPCR and without flags; NZCV
 * in bits 31:28.
 */
static inline bool fp_host_compare(int esz, uint64_t a, uint64_t b, uint32_t *nzcv)
{
    bool lt, eq;

    if (esz == ARMFP_D) {
        if (!fp_host_ordinary_d(a) || !fp_host_ordinary_d(b)) {
            return false;
        }
        lt = fp_host_d(a) < fp_host_d(b);
        eq = fp_host_d(a) == fp_host_d(b);
    } else if (esz == ARMFP_S) {
        if (!fp_host_ordinary_s(a) || !fp_host_ordinary_s(b)) {
            return false;
        }
        lt = fp_host_s(a) < fp_host_s(b);
        eq = fp_host_s(a) == fp_host_s(b);
    } else {
        return false;
    }
    *nzcv = (eq ? 0x6u : lt ? 0x8u : 0x2u) << 28;
    return true;
}

#endif
