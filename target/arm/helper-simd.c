/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Advanced SIMD helpers: the element operations of SIMD_OPS written once
 * against raw element bits, and the loops that apply them in each shape
 * (element-wise, pairwise, across lanes, long, narrowing). Operands are
 * copied out of env->vregs before anything is written, so Rd may alias Rn
 * or Rm. Integer arithmetic that can exceed 64 bits (saturation, rounding
 * shifts, doubling multiplies) is done in 128 bits, which makes the Arm
 * pseudocode's unbounded integers exact. The crypto instructions are in
 * helper-crypto.c.inc, included at the end.
 */
#include <glib.h>
#include <string.h>

#include "target/arm/cpu.h"
#include "target/arm/helper-fp.h"
#include "target/arm/helper-simd.h"
#include "target/arm/fpu/fp-host.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

typedef __int128 i128;
typedef unsigned __int128 u128;

typedef struct SimdCtx {
    ARMFPStatus fp;
    int esz;            /* the element size the operation works at */
    int imm;            /* descriptor immediate: fraction bits, REV size */
    bool qc;            /* saturation happened */
} SimdCtx;

static inline uint64_t esz_mask(int esz)
{
    return esz == 3 ? ~0ull : (1ull << (8 << esz)) - 1;
}

static inline int64_t sext(uint64_t v, int esz)
{
    int sh = 64 - (8 << esz);

    return (int64_t)(v << sh) >> sh;
}

static inline uint64_t vget(const uint64_t *v, int i, int esz)
{
    const uint8_t *p = (const uint8_t *)v + (i << esz);
    uint16_t h;
    uint32_t w;
    uint64_t d;

    switch (esz) {
    case 0:
        return *p;
    case 1:
        memcpy(&h, p, 2);
        return h;
    case 2:
        memcpy(&w, p, 4);
        return w;
    default:
        memcpy(&d, p, 8);
        return d;
    }
}

static inline void vset(uint64_t *v, int i, int esz, uint64_t x)
{
    memcpy((uint8_t *)v + (i << esz), &x, 1u << esz);
}

static void ctx_init(SimdCtx *c, CPUARMState *env, int esz, int imm)
{
    c->fp.fpcr = env->fpcr;
    /* a set IXC lets the library use the host FPU (fpu/fp-host.h) */
    c->fp.flags = env->fpsr & ARMFP_FPSR_IXC;
    c->esz = esz;
    c->imm = imm;
    c->qc = false;
}

static void ctx_finish(SimdCtx *c, CPUARMState *env)
{
    env->fpsr |= c->fp.flags | (c->qc ? ARMFP_FPSR_QC : 0);
}

static uint64_t sat_s(SimdCtx *c, i128 v, int esz)
{
    int bits = 8 << esz;
    i128 max = ((i128)1 << (bits - 1)) - 1;
    i128 min = -max - 1;

    if (v > max) {
        c->qc = true;
        v = max;
    } else if (v < min) {
        c->qc = true;
        v = min;
    }
    return (uint64_t)v & esz_mask(esz);
}

static uint64_t sat_u(SimdCtx *c, i128 v, int esz)
{
    i128 max = ((i128)1 << (8 << esz)) - 1;

    if (v > max) {
        c->qc = true;
        v = max;
    } else if (v < 0) {
        c->qc = true;
        v = 0;
    }
    return (uint64_t)v & esz_mask(esz);
}

/*
 * a * 2^sh on unbounded integers, rounding to nearest (ties up) when
 * round is set and sh < 0. Counts beyond the element width saturate to
 * values that give the architectural answer after truncation/saturation.
 */
static i128 shift_val(i128 a, int sh, bool round)
{
    if (sh >= 0) {
        if (sh > 64) {
            sh = 64;
        }
        if (sh == 64 && a != 0) {
            /* any non-zero input overflows every element size */
            return a < 0 ? -((i128)1 << 120) : ((i128)1 << 120);
        }
        return (i128)((u128)a << sh);
    }
    sh = -sh;
    if (sh > 65) {
        sh = 65;
    }
    if (round) {
        a += (i128)1 << (sh - 1);
    }
    return a >> sh;
}

static uint64_t all_ones_if(bool cond, int esz)
{
    return cond ? esz_mask(esz) : 0;
}

static uint64_t clmul(uint64_t a, uint64_t b, int bits)
{
    uint64_t r = 0;

    for (int i = 0; i < bits; i++) {
        if ((b >> i) & 1) {
            r ^= a << i;
        }
    }
    return r;
}

static int count_leading_zeros(uint64_t v, int bits)
{
    int n = 0;

    for (int i = bits - 1; i >= 0 && !((v >> i) & 1); i--) {
        n++;
    }
    return n;
}

static uint64_t fp_sign(int esz)
{
    return 1ull << ((8 << esz) - 1);
}

static uint64_t fp_to_int(SimdCtx *c, uint64_t a, ARMFPRounding rm, bool uns)
{
    return arm_fp_to_fixed(&c->fp, c->esz, a, c->imm, uns, 8 << c->esz, rm);
}

/* One element: a from Rn, b the second operand, d the old destination. */
static uint64_t simd_op(SimdCtx *c, int op, uint64_t a, uint64_t b, uint64_t d)
{
    int esz = c->esz;
    int bits = 8 << esz;
    uint64_t mask = esz_mask(esz);
    int64_t sa = sext(a, esz), sb = sext(b, esz), sd = sext(d, esz);
    int sh = (int8_t)b;
    ARMFPStatus *st = &c->fp;
    ARMFPRounding fpcr_rm = arm_fp_rmode(st);
    int half = bits / 2;

    switch ((SimdOp)op) {
    case SIMD_OP_SHADD:
        return (uint64_t)(((i128)sa + sb) >> 1);
    case SIMD_OP_UHADD:
        return (uint64_t)(((i128)a + b) >> 1);
    case SIMD_OP_SRHADD:
        return (uint64_t)(((i128)sa + sb + 1) >> 1);
    case SIMD_OP_URHADD:
        return (uint64_t)(((i128)a + b + 1) >> 1);
    case SIMD_OP_SHSUB:
        return (uint64_t)(((i128)sa - sb) >> 1);
    case SIMD_OP_UHSUB:
        return (uint64_t)(((i128)a - b) >> 1);
    case SIMD_OP_SQADD:
        return sat_s(c, (i128)sa + sb, esz);
    case SIMD_OP_UQADD:
        return sat_u(c, (i128)a + b, esz);
    case SIMD_OP_SQSUB:
        return sat_s(c, (i128)sa - sb, esz);
    case SIMD_OP_UQSUB:
        return sat_u(c, (i128)a - b, esz);
    case SIMD_OP_SUQADD:
        return sat_s(c, (i128)sd + a, esz);
    case SIMD_OP_USQADD:
        return sat_u(c, (i128)d + sa, esz);
    case SIMD_OP_CMGT:
        return all_ones_if(sa > sb, esz);
    case SIMD_OP_CMHI:
        return all_ones_if(a > b, esz);
    case SIMD_OP_CMGE:
        return all_ones_if(sa >= sb, esz);
    case SIMD_OP_CMHS:
        return all_ones_if(a >= b, esz);
    case SIMD_OP_CMEQ:
        return all_ones_if(a == b, esz);
    case SIMD_OP_CMTST:
        return all_ones_if((a & b) != 0, esz);
    case SIMD_OP_CMLE:
        return all_ones_if(sa <= sb, esz);
    case SIMD_OP_CMLT:
        return all_ones_if(sa < sb, esz);
    case SIMD_OP_SSHL:
        return (uint64_t)shift_val(sa, sh, false);
    case SIMD_OP_USHL:
        return (uint64_t)shift_val(a, sh, false);
    case SIMD_OP_SRSHL:
        return (uint64_t)shift_val(sa, sh, true);
    case SIMD_OP_URSHL:
        return (uint64_t)shift_val(a, sh, true);
    case SIMD_OP_SQSHL:
        return sat_s(c, shift_val(sa, sh, false), esz);
    case SIMD_OP_UQSHL:
        return sat_u(c, shift_val(a, sh, false), esz);
    case SIMD_OP_SQRSHL:
        return sat_s(c, shift_val(sa, sh, true), esz);
    case SIMD_OP_UQRSHL:
        return sat_u(c, shift_val(a, sh, true), esz);
    case SIMD_OP_SQSHLU:
        return sat_u(c, shift_val(sa, sh, false), esz);
    case SIMD_OP_SSRA:
        return d + (uint64_t)shift_val(sa, sh, false);
    case SIMD_OP_USRA:
        return d + (uint64_t)shift_val(a, sh, false);
    case SIMD_OP_SRSRA:
        return d + (uint64_t)shift_val(sa, sh, true);
    case SIMD_OP_URSRA:
        return d + (uint64_t)shift_val(a, sh, true);
    case SIMD_OP_SRI: {
        /* b is -n, n in 1..bits: keep the top n bits of d */
        int n = -sh;
        uint64_t m = n >= bits ? 0 : mask >> n;
        return (d & ~m) | ((n >= bits ? 0 : a >> n) & m);
    }
    case SIMD_OP_SLI: {
        uint64_t m = (mask << sh) & mask;
        return (d & ~m) | ((a << sh) & m);
    }
    case SIMD_OP_SMAX:
        return sa > sb ? a : b;
    case SIMD_OP_UMAX:
        return a > b ? a : b;
    case SIMD_OP_SMIN:
        return sa < sb ? a : b;
    case SIMD_OP_UMIN:
        return a < b ? a : b;
    case SIMD_OP_SABD:
        return sa > sb ? (uint64_t)sa - (uint64_t)sb : (uint64_t)sb - (uint64_t)sa;
    case SIMD_OP_UABD:
        return a > b ? a - b : b - a;
    case SIMD_OP_SABA:
        return d + (sa > sb ? (uint64_t)sa - (uint64_t)sb : (uint64_t)sb - (uint64_t)sa);
    case SIMD_OP_UABA:
        return d + (a > b ? a - b : b - a);
    case SIMD_OP_ADD:
        return a + b;
    case SIMD_OP_SUB:
        return a - b;
    case SIMD_OP_MLA:
        return d + a * b;
    case SIMD_OP_MLS:
        return d - a * b;
    case SIMD_OP_MUL:
        return a * b;
    case SIMD_OP_PMUL:
        return clmul(a, b, 8);
    case SIMD_OP_SQDMULH:
        return sat_s(c, ((i128)2 * sa * sb) >> bits, esz);
    case SIMD_OP_SQRDMULH:
        return sat_s(c, ((i128)2 * sa * sb + ((i128)1 << (bits - 1))) >> bits,
                     esz);
    case SIMD_OP_SQRDMLAH:
        return sat_s(c, (((i128)sd << bits) + (i128)2 * sa * sb +
                         ((i128)1 << (bits - 1))) >> bits, esz);
    case SIMD_OP_SQRDMLSH:
        return sat_s(c, (((i128)sd << bits) - (i128)2 * sa * sb +
                         ((i128)1 << (bits - 1))) >> bits, esz);
    case SIMD_OP_ABS:
        return sa < 0 ? -(uint64_t)sa : a;
    case SIMD_OP_NEG:
        return -a;
    case SIMD_OP_SQABS:
        return sat_s(c, sa < 0 ? -(i128)sa : sa, esz);
    case SIMD_OP_SQNEG:
        return sat_s(c, -(i128)sa, esz);
    case SIMD_OP_CLS:
        return count_leading_zeros(sa < 0 ? ~a & mask : a, bits) - 1;
    case SIMD_OP_CLZ:
        return count_leading_zeros(a, bits);
    case SIMD_OP_CNT:
        return __builtin_popcountll(a);
    case SIMD_OP_RBIT: {
        uint64_t r = 0;
        for (int i = 0; i < bits; i++) {
            r |= ((a >> i) & 1) << (bits - 1 - i);
        }
        return r;
    }
    case SIMD_OP_REV: {
        /* reverse the (1 << imm)-byte units inside the element */
        int u = 8 << c->imm, n = bits / u;
        uint64_t r = 0, um = esz_mask(c->imm);
        for (int i = 0; i < n; i++) {
            r |= ((a >> (i * u)) & um) << ((n - 1 - i) * u);
        }
        return r;
    }
    case SIMD_OP_URECPE:
        return arm_fp_urecpe((uint32_t)a);
    case SIMD_OP_URSQRTE:
        return arm_fp_ursqrte((uint32_t)a);

    /* long: esz is the wide size, a and b already extended */
    case SIMD_OP_SQDMULL:
        return sat_s(c, (i128)2 * sa * sb, esz);
    case SIMD_OP_SQDMLAL:
        return sat_s(c, (i128)sd + sext(sat_s(c, (i128)2 * sa * sb, esz), esz),
                     esz);
    case SIMD_OP_SQDMLSL:
        return sat_s(c, (i128)sd - sext(sat_s(c, (i128)2 * sa * sb, esz), esz),
                     esz);
    case SIMD_OP_PMULL:
        return clmul(a, b, half);
    case SIMD_OP_FCVTL:
        return arm_fp_convert(st, esz, esz - 1, a);

    /* narrowing: esz is the wide size, the result is half as wide */
    case SIMD_OP_ADDHN:
        return (uint64_t)(((u128)a + b) >> half);
    case SIMD_OP_RADDHN:
        return (uint64_t)(((u128)a + b + ((u128)1 << (half - 1))) >> half);
    case SIMD_OP_SUBHN:
        return (a - b) >> half;
    case SIMD_OP_RSUBHN:
        return (uint64_t)(((u128)(a - b) + ((u128)1 << (half - 1))) >> half);
    case SIMD_OP_XTN:
        return a;
    case SIMD_OP_SQXTN:
        return sat_s(c, sa, esz - 1);
    case SIMD_OP_UQXTN:
        return sat_u(c, a, esz - 1);
    case SIMD_OP_SQXTUN:
        return sat_u(c, sa, esz - 1);
    case SIMD_OP_SHRN:
        return (uint64_t)shift_val(a, -(int)b, false);
    case SIMD_OP_RSHRN:
        return (uint64_t)shift_val(a, -(int)b, true);
    case SIMD_OP_SQSHRN:
        return sat_s(c, shift_val(sa, -(int)b, false), esz - 1);
    case SIMD_OP_SQRSHRN:
        return sat_s(c, shift_val(sa, -(int)b, true), esz - 1);
    case SIMD_OP_UQSHRN:
        return sat_u(c, shift_val(a, -(int)b, false), esz - 1);
    case SIMD_OP_UQRSHRN:
        return sat_u(c, shift_val(a, -(int)b, true), esz - 1);
    case SIMD_OP_SQSHRUN:
        return sat_u(c, shift_val(sa, -(int)b, false), esz - 1);
    case SIMD_OP_SQRSHRUN:
        return sat_u(c, shift_val(sa, -(int)b, true), esz - 1);
    case SIMD_OP_FCVTN:
        return arm_fp_convert(st, esz - 1, esz, a);
    case SIMD_OP_FCVTXN:
        return arm_fp_convert_rmode(st, esz - 1, esz, a, ARMFP_RO);

    /* floating point */
    case SIMD_OP_FADD:
        return arm_fp_add(st, esz, a, b);
    case SIMD_OP_FSUB:
        return arm_fp_sub(st, esz, a, b);
    case SIMD_OP_FMUL:
        return arm_fp_mul(st, esz, a, b);
    case SIMD_OP_FDIV:
        return arm_fp_div(st, esz, a, b);
    case SIMD_OP_FMAX:
        return arm_fp_max(st, esz, a, b);
    case SIMD_OP_FMIN:
        return arm_fp_min(st, esz, a, b);
    case SIMD_OP_FMAXNM:
        return arm_fp_maxnum(st, esz, a, b);
    case SIMD_OP_FMINNM:
        return arm_fp_minnum(st, esz, a, b);
    case SIMD_OP_FMULX:
        return arm_fp_mulx(st, esz, a, b);
    case SIMD_OP_FABD:
        return arm_fp_abd(st, esz, a, b);
    case SIMD_OP_FMLA:
        return arm_fp_muladd(st, esz, d, a, b);
    case SIMD_OP_FMLS:
        return arm_fp_muladd(st, esz, d, a ^ fp_sign(esz), b);
    case SIMD_OP_FRECPS:
        return arm_fp_recps(st, esz, a, b);
    case SIMD_OP_FRSQRTS:
        return arm_fp_rsqrts(st, esz, a, b);
    case SIMD_OP_FCMEQ:
        return all_ones_if(arm_fp_compare_eq(st, esz, a, b), esz);
    case SIMD_OP_FCMGE:
        return all_ones_if(arm_fp_compare_ge(st, esz, a, b), esz);
    case SIMD_OP_FCMGT:
        return all_ones_if(arm_fp_compare_gt(st, esz, a, b), esz);
    case SIMD_OP_FCMLE:
        return all_ones_if(arm_fp_compare_ge(st, esz, b, a), esz);
    case SIMD_OP_FCMLT:
        return all_ones_if(arm_fp_compare_gt(st, esz, b, a), esz);
    case SIMD_OP_FACGE:
        return all_ones_if(arm_fp_compare_ge(st, esz, a & ~fp_sign(esz),
                                             b & ~fp_sign(esz)), esz);
    case SIMD_OP_FACGT:
        return all_ones_if(arm_fp_compare_gt(st, esz, a & ~fp_sign(esz),
                                             b & ~fp_sign(esz)), esz);
    case SIMD_OP_FABS:
        return a & ~fp_sign(esz);
    case SIMD_OP_FNEG:
        return a ^ fp_sign(esz);
    case SIMD_OP_FSQRT:
        return arm_fp_sqrt(st, esz, a);
    case SIMD_OP_FRINTN:
        return arm_fp_round_int(st, esz, a, ARMFP_RN, false);
    case SIMD_OP_FRINTP:
        return arm_fp_round_int(st, esz, a, ARMFP_RP, false);
    case SIMD_OP_FRINTM:
        return arm_fp_round_int(st, esz, a, ARMFP_RM, false);
    case SIMD_OP_FRINTZ:
        return arm_fp_round_int(st, esz, a, ARMFP_RZ, false);
    case SIMD_OP_FRINTA:
        return arm_fp_round_int(st, esz, a, ARMFP_RA, false);
    case SIMD_OP_FRINTX:
        return arm_fp_round_int(st, esz, a, fpcr_rm, true);
    case SIMD_OP_FRINTI:
        return arm_fp_round_int(st, esz, a, fpcr_rm, false);
    case SIMD_OP_FCVTNS:
        return fp_to_int(c, a, ARMFP_RN, false);
    case SIMD_OP_FCVTPS:
        return fp_to_int(c, a, ARMFP_RP, false);
    case SIMD_OP_FCVTMS:
        return fp_to_int(c, a, ARMFP_RM, false);
    case SIMD_OP_FCVTZS:
        return fp_to_int(c, a, ARMFP_RZ, false);
    case SIMD_OP_FCVTAS:
        return fp_to_int(c, a, ARMFP_RA, false);
    case SIMD_OP_FCVTNU:
        return fp_to_int(c, a, ARMFP_RN, true);
    case SIMD_OP_FCVTPU:
        return fp_to_int(c, a, ARMFP_RP, true);
    case SIMD_OP_FCVTMU:
        return fp_to_int(c, a, ARMFP_RM, true);
    case SIMD_OP_FCVTZU:
        return fp_to_int(c, a, ARMFP_RZ, true);
    case SIMD_OP_FCVTAU:
        return fp_to_int(c, a, ARMFP_RA, true);
    case SIMD_OP_SCVTF:
        return arm_fp_from_fixed(st, esz, a, c->imm, false, bits, fpcr_rm);
    case SIMD_OP_UCVTF:
        return arm_fp_from_fixed(st, esz, a, c->imm, true, bits, fpcr_rm);
    case SIMD_OP_FRECPE:
        return arm_fp_recpe(st, esz, a);
    case SIMD_OP_FRSQRTE:
        return arm_fp_rsqrte(st, esz, a);
    case SIMD_OP_FRECPX:
        return arm_fp_recpx(st, esz, a);
    case SIMD_OP_FRINT32Z:
        return arm_fp_round_int_n(st, esz, a, ARMFP_RZ, 32);
    case SIMD_OP_FRINT32X:
        return arm_fp_round_int_n(st, esz, a, fpcr_rm, 32);
    case SIMD_OP_FRINT64Z:
        return arm_fp_round_int_n(st, esz, a, ARMFP_RZ, 64);
    case SIMD_OP_FRINT64X:
        return arm_fp_round_int_n(st, esz, a, fpcr_rm, 64);
    case SIMD_OP_BFCVTN:
        return arm_fp_to_bf16(st, (uint32_t)a);
    case SIMD_OP_COUNT:
        break;
    }
    g_assert_not_reached();
}

/* ---- shapes ---- */

static void load_operands(CPUARMState *env, uint32_t desc, uint64_t *n,
                          uint64_t *m, uint64_t *d)
{
    memcpy(n, env->vregs[SIMD_RN(desc)], 16);
    memcpy(m, env->vregs[SIMD_RM(desc)], 16);
    memcpy(d, env->vregs[SIMD_RD(desc)], 16);
}

/* The second operand when it is the same for every element. */
static uint64_t fixed_b(uint32_t desc, const uint64_t *m, int esz)
{
    switch (SIMD_BSRC(desc)) {
    case SIMD_B_ELT:
        return vget(m, SIMD_IMM(desc), esz);
    case SIMD_B_IMM:
        return (uint64_t)(int64_t)SIMD_IMM(desc) & esz_mask(esz);
    default:
        return 0;
    }
}

static int elements(uint32_t desc, int esz)
{
    return SIMD_SCALAR(desc) ? 1 : (SIMD_Q(desc) ? 16 : 8) >> esz;
}

#if defined(__x86_64__)
/* Inlined only into callers compiled for FMA (helper_simd_fp_fma) */
static inline FP_HOST_FMA_ATTR __m128d simd_fma_pd(__m128d a, __m128d b, __m128d c)
{
    return _mm_fmadd_pd(a, b, c);
}

static inline FP_HOST_FMA_ATTR __m128 simd_fma_ps(__m128 a, __m128 b, __m128 c)
{
    return _mm_fmadd_ps(a, b, c);
}

/*
 * A vector register as two 8-byte loads: the generated code writes the
 * halves separately, and one 16-byte load of them would miss the store
 * forwarding of x86 and wait for both stores to reach the cache.
 */
static inline __m128d simd_load_2x64(const double *p)
{
    __m128d v = _mm_load_sd(p);

    /* opaque, so that the compiler cannot merge the two loads into one */
    __asm__("" : "+x"(v));
    return _mm_loadh_pd(v, p + 1);
}

/*
 * FADD, FSUB, FMUL, FDIV, FMLA and FMLS at single and double precision on
 * the host's vector unit (SSE2; FMA3 in simd_fp_fma) when fpu/fp-host.h
 * allows it for every lane: all lanes at once, their checks as lane masks
 * (the checks of fp-host.h written as ordered compares, which are false
 * for NaNs: inputs zero or normal, |x| in [MIN, MAX]; results above the
 * smallest normal and finite, or a zero that is exact), then one 16-byte
 * store of Rd. Unused lanes compute on zeros and are cleared. False
 * leaves Rd untouched for simd_elementwise, which then recomputes every
 * element in software with its flags.
 */
static inline __attribute__((always_inline)) bool
simd_fp_host_pd(CPUARMState *env, uint32_t desc, uint32_t op, bool fma)
{
    int bsrc = SIMD_BSRC(desc), n = elements(desc, ARMFP_D);
    const double *pn = (const double *)env->vregs[SIMD_RN(desc)];
    const double *pm = (const double *)env->vregs[SIMD_RM(desc)];
    double *pd = (double *)env->vregs[SIMD_RD(desc)];
    const __m128d sign = _mm_set1_pd(-0.0), zero = _mm_setzero_pd();
    const __m128d lo = _mm_set1_pd(0x1p-1022), hi = _mm_set1_pd(0x1.fffffffffffffp1023);
    __m128d a, b, c = zero, r, ok, zok;

    if (n == 2) {
        a = simd_load_2x64(pn);
        b = bsrc == SIMD_B_ELT ? _mm_set1_pd(pm[SIMD_IMM(desc)]) : simd_load_2x64(pm);
        if (fma) {
            c = simd_load_2x64(pd);
        }
    } else {
        a = _mm_load_sd(pn);
        b = _mm_load_sd(bsrc == SIMD_B_ELT ? &pm[SIMD_IMM(desc)] : pm);
        if (fma) {
            c = _mm_load_sd(pd);
        }
    }
#define SIMD_PD_IN(x) _mm_or_pd(_mm_and_pd(_mm_cmpge_pd(_mm_andnot_pd(sign, x), lo), \
                                           _mm_cmple_pd(_mm_andnot_pd(sign, x), hi)), \
                                _mm_cmpeq_pd(x, zero))
    ok = _mm_and_pd(SIMD_PD_IN(a), SIMD_PD_IN(b));
    if (fma) {
        ok = _mm_and_pd(ok, SIMD_PD_IN(c));
        if (op == SIMD_OP_FMLS) {
            a = _mm_xor_pd(a, sign);
        }
        r = simd_fma_pd(a, b, c);
        zok = _mm_or_pd(_mm_cmpeq_pd(a, zero), _mm_cmpeq_pd(b, zero));
    } else {
        switch (op) {
        case SIMD_OP_FADD:
            r = _mm_add_pd(a, b);
            zok = _mm_cmpeq_pd(zero, zero);
            break;
        case SIMD_OP_FSUB:
            r = _mm_sub_pd(a, b);
            zok = _mm_cmpeq_pd(zero, zero);
            break;
        case SIMD_OP_FMUL:
            r = _mm_mul_pd(a, b);
            zok = _mm_or_pd(_mm_cmpeq_pd(a, zero), _mm_cmpeq_pd(b, zero));
            break;
        default:
            r = _mm_div_pd(a, b);
            zok = _mm_cmpeq_pd(a, zero);
            break;
        }
    }
#undef SIMD_PD_IN
    ok = _mm_and_pd(ok, _mm_or_pd(_mm_and_pd(_mm_cmpgt_pd(_mm_andnot_pd(sign, r), lo),
                                             _mm_cmple_pd(_mm_andnot_pd(sign, r), hi)),
                                  _mm_and_pd(_mm_cmpeq_pd(r, zero), zok)));
    if ((_mm_movemask_pd(ok) | (n == 2 ? 0 : 2)) != 3) {
        return false;
    }
    if (n != 2) {
        r = _mm_move_sd(zero, r);
    }
    _mm_storeu_pd(pd, r);
    return true;
}

/* Four single-precision lanes; see simd_fp_host_pd */
static inline __attribute__((always_inline)) bool
simd_fp_host_ps(CPUARMState *env, uint32_t desc, uint32_t op, bool fma)
{
    int bsrc = SIMD_BSRC(desc), n = elements(desc, ARMFP_S);
    const float *pn = (const float *)env->vregs[SIMD_RN(desc)];
    const float *pm = (const float *)env->vregs[SIMD_RM(desc)];
    float *pd = (float *)env->vregs[SIMD_RD(desc)];
    const __m128 sign = _mm_set1_ps(-0.0f), zero = _mm_setzero_ps();
    const __m128 lo = _mm_set1_ps(0x1p-126f), hi = _mm_set1_ps(0x1.fffffep127f);
    __m128 a, b, c = zero, r, ok, zok, keep;

    switch (n) {
    case 4:
        a = _mm_castpd_ps(simd_load_2x64((const double *)pn));
        b = bsrc == SIMD_B_ELT ? _mm_set1_ps(pm[SIMD_IMM(desc)])
                               : _mm_castpd_ps(simd_load_2x64((const double *)pm));
        if (fma) {
            c = _mm_castpd_ps(simd_load_2x64((const double *)pd));
        }
        keep = _mm_cmpeq_ps(zero, zero);
        break;
    case 2:
        a = _mm_castpd_ps(_mm_load_sd((const double *)pn));
        b = bsrc == SIMD_B_ELT ? _mm_movelh_ps(_mm_set1_ps(pm[SIMD_IMM(desc)]), zero)
                               : _mm_castpd_ps(_mm_load_sd((const double *)pm));
        if (fma) {
            c = _mm_castpd_ps(_mm_load_sd((const double *)pd));
        }
        keep = _mm_castpd_ps(_mm_move_sd(_mm_setzero_pd(),
                                         _mm_castps_pd(_mm_cmpeq_ps(zero, zero))));
        break;
    default:
        a = _mm_load_ss(pn);
        b = _mm_load_ss(bsrc == SIMD_B_ELT ? &pm[SIMD_IMM(desc)] : pm);
        if (fma) {
            c = _mm_load_ss(pd);
        }
        keep = _mm_move_ss(zero, _mm_cmpeq_ps(zero, zero));
        break;
    }
#define SIMD_PS_IN(x) _mm_or_ps(_mm_and_ps(_mm_cmpge_ps(_mm_andnot_ps(sign, x), lo), \
                                           _mm_cmple_ps(_mm_andnot_ps(sign, x), hi)), \
                                _mm_cmpeq_ps(x, zero))
    ok = _mm_and_ps(SIMD_PS_IN(a), SIMD_PS_IN(b));
    if (fma) {
        ok = _mm_and_ps(ok, SIMD_PS_IN(c));
        if (op == SIMD_OP_FMLS) {
            a = _mm_xor_ps(a, sign);
        }
        r = simd_fma_ps(a, b, c);
        zok = _mm_or_ps(_mm_cmpeq_ps(a, zero), _mm_cmpeq_ps(b, zero));
    } else {
        switch (op) {
        case SIMD_OP_FADD:
            r = _mm_add_ps(a, b);
            zok = _mm_cmpeq_ps(zero, zero);
            break;
        case SIMD_OP_FSUB:
            r = _mm_sub_ps(a, b);
            zok = _mm_cmpeq_ps(zero, zero);
            break;
        case SIMD_OP_FMUL:
            r = _mm_mul_ps(a, b);
            zok = _mm_or_ps(_mm_cmpeq_ps(a, zero), _mm_cmpeq_ps(b, zero));
            break;
        default:
            r = _mm_div_ps(a, b);
            zok = _mm_cmpeq_ps(a, zero);
            break;
        }
    }
#undef SIMD_PS_IN
    ok = _mm_and_ps(ok, _mm_or_ps(_mm_and_ps(_mm_cmpgt_ps(_mm_andnot_ps(sign, r), lo),
                                             _mm_cmple_ps(_mm_andnot_ps(sign, r), hi)),
                                  _mm_and_ps(_mm_cmpeq_ps(r, zero), zok)));
    if ((_mm_movemask_ps(_mm_or_ps(ok, _mm_andnot_ps(keep, _mm_cmpeq_ps(zero, zero))))) != 15) {
        return false;
    }
    _mm_storeu_ps(pd, _mm_and_ps(r, keep));
    return true;
}

static inline __attribute__((always_inline)) bool
simd_fp_host_vec(CPUARMState *env, uint32_t desc, uint32_t op, bool fma)
{
    ARMFPStatus st = { .fpcr = env->fpcr, .flags = env->fpsr & ARMFP_FPSR_IXC };

    if (SIMD_BSRC(desc) > SIMD_B_ELT || !fp_host_allowed(&st)) {
        return false;
    }
    switch (SIMD_ESZ(desc)) {
    case ARMFP_D:
        return simd_fp_host_pd(env, desc, op, fma);
    case ARMFP_S:
        return simd_fp_host_ps(env, desc, op, fma);
    default:
        return false;
    }
}
#else
/* elsewhere the library's own per-element fast path does the work */
static inline bool simd_fp_host_vec(CPUARMState *env, uint32_t desc, uint32_t op, bool fma)
{
    (void)env;
    (void)desc;
    (void)op;
    (void)fma;
    return false;
}
#endif

void helper_simd_fp_arith(void *envp, uint32_t desc, uint32_t op)
{
    if (!simd_fp_host_vec(envp, desc, op, false)) {
        helper_simd_elementwise(envp, desc, op);
    }
}

/* Compiled for FMA: its only floating point is the fused multiply-add */
FP_HOST_FMA_ATTR void helper_simd_fp_fma(void *envp, uint32_t desc, uint32_t op)
{
    if (!simd_fp_host_vec(envp, desc, op, true)) {
        helper_simd_elementwise(envp, desc, op);
    }
}

void helper_simd_elementwise(void *envp, uint32_t desc, uint32_t op)
{
    CPUARMState *env = envp;
    int esz = SIMD_ESZ(desc), n = elements(desc, esz);
    uint64_t vn[2], vm[2], vd[2], r[2] = { 0, 0 };
    uint64_t mask = esz_mask(esz), b;
    SimdCtx c;

    load_operands(env, desc, vn, vm, vd);
    ctx_init(&c, env, esz, SIMD_IMM(desc));
    b = fixed_b(desc, vm, esz);
    for (int i = 0; i < n; i++) {
        if (SIMD_BSRC(desc) == SIMD_B_VEC) {
            b = vget(vm, i, esz);
        }
        vset(r, i, esz, simd_op(&c, op, vget(vn, i, esz), b,
                                vget(vd, i, esz)) & mask);
    }
    memcpy(env->vregs[SIMD_RD(desc)], r, 16);
    ctx_finish(&c, env);
}

void helper_simd_pairwise(void *envp, uint32_t desc, uint32_t op)
{
    CPUARMState *env = envp;
    int esz = SIMD_ESZ(desc);
    uint64_t vn[2], vm[2], vd[2], r[2] = { 0, 0 }, x[4];
    uint64_t mask = esz_mask(esz);
    SimdCtx c;

    load_operands(env, desc, vn, vm, vd);
    ctx_init(&c, env, esz, 0);
    if (SIMD_SCALAR(desc)) {
        r[0] = simd_op(&c, op, vget(vn, 0, esz), vget(vn, 1, esz), 0) & mask;
    } else {
        int n = (SIMD_Q(desc) ? 16 : 8) >> esz;
        int bytes = n << esz;

        /* x = Rm:Rn, Rn's elements first */
        memcpy(x, vn, bytes);
        memcpy((uint8_t *)x + bytes, vm, bytes);
        for (int i = 0; i < n; i++) {
            vset(r, i, esz, simd_op(&c, op, vget(x, 2 * i, esz),
                                    vget(x, 2 * i + 1, esz), 0) & mask);
        }
    }
    memcpy(env->vregs[SIMD_RD(desc)], r, 16);
    ctx_finish(&c, env);
}

/* Reduce() of the pseudocode: halves combined recursively, low half first. */
static uint64_t reduce(SimdCtx *c, int op, const uint64_t *v, int first, int n)
{
    uint64_t lo, hi;

    if (n == 1) {
        return vget(v, first, c->esz);
    }
    lo = reduce(c, op, v, first, n / 2);
    hi = reduce(c, op, v, first + n / 2, n / 2);
    return simd_op(c, op, lo, hi, 0) & esz_mask(c->esz);
}

void helper_simd_reduce(void *envp, uint32_t desc, uint32_t op)
{
    CPUARMState *env = envp;
    int esz = SIMD_ESZ(desc);
    uint64_t vn[2], r[2] = { 0, 0 };
    SimdCtx c;

    memcpy(vn, env->vregs[SIMD_RN(desc)], 16);
    ctx_init(&c, env, esz, 0);
    r[0] = reduce(&c, op, vn, 0, (SIMD_Q(desc) ? 16 : 8) >> esz);
    memcpy(env->vregs[SIMD_RD(desc)], r, 16);
    ctx_finish(&c, env);
}

static uint64_t extend(uint32_t desc, uint64_t v, int esz)
{
    return SIMD_SIGNED(desc) ? (uint64_t)sext(v, esz) & esz_mask(esz + 1) : v;
}

void helper_simd_long(void *envp, uint32_t desc, uint32_t op)
{
    CPUARMState *env = envp;
    int esz = SIMD_ESZ(desc), wide = esz + 1;
    int n = SIMD_SCALAR(desc) ? 1 : 8 >> esz;
    int part = SIMD_Q(desc) ? n : 0;
    uint64_t vn[2], vm[2], vd[2], r[2] = { 0, 0 };
    uint64_t mask = esz_mask(wide), a, b;
    SimdCtx c;

    load_operands(env, desc, vn, vm, vd);
    ctx_init(&c, env, wide, 0);
    b = extend(desc, fixed_b(desc, vm, esz), esz);
    if (SIMD_BSRC(desc) == SIMD_B_IMM) {
        b = (uint64_t)(int64_t)SIMD_IMM(desc);
    }
    for (int i = 0; i < n; i++) {
        if (SIMD_NWIDE(desc)) {
            a = vget(vn, i, wide);
        } else {
            a = extend(desc, vget(vn, i + part, esz), esz);
        }
        if (SIMD_BSRC(desc) == SIMD_B_VEC) {
            b = extend(desc, vget(vm, i + part, esz), esz);
        }
        vset(r, i, wide, simd_op(&c, op, a, b, vget(vd, i, wide)) & mask);
    }
    memcpy(env->vregs[SIMD_RD(desc)], r, 16);
    ctx_finish(&c, env);
}

void helper_simd_narrow(void *envp, uint32_t desc, uint32_t op)
{
    CPUARMState *env = envp;
    int esz = SIMD_ESZ(desc), wide = esz + 1;
    int n = SIMD_SCALAR(desc) ? 1 : 8 >> esz;
    int part = SIMD_Q(desc) ? n : 0;
    uint64_t vn[2], vm[2], vd[2], r[2] = { 0, 0 };
    uint64_t mask = esz_mask(esz), b = 0;
    SimdCtx c;

    load_operands(env, desc, vn, vm, vd);
    ctx_init(&c, env, wide, 0);
    if (SIMD_BSRC(desc) == SIMD_B_IMM) {
        b = (uint64_t)(int64_t)SIMD_IMM(desc);
    }
    if (part) {
        r[0] = vd[0];
    }
    for (int i = 0; i < n; i++) {
        if (SIMD_BSRC(desc) == SIMD_B_VEC) {
            b = vget(vm, i, wide);
        }
        vset(r, i + part, esz,
             simd_op(&c, op, vget(vn, i, wide), b, 0) & mask);
    }
    memcpy(env->vregs[SIMD_RD(desc)], r, 16);
    ctx_finish(&c, env);
}

/*
 * op 0: xADDLP (pairs, widened), 1: xADALP (pairs, accumulated), 2:
 * xADDLV (all lanes into one wide scalar). Signedness from the descriptor.
 */
void helper_simd_addlp(void *envp, uint32_t desc, uint32_t op)
{
    CPUARMState *env = envp;
    int esz = SIMD_ESZ(desc), wide = esz + 1;
    int n = (SIMD_Q(desc) ? 16 : 8) >> esz;
    uint64_t vn[2], vd[2], r[2] = { 0, 0 };
    bool sgn = SIMD_SIGNED(desc);

    memcpy(vn, env->vregs[SIMD_RN(desc)], 16);
    memcpy(vd, env->vregs[SIMD_RD(desc)], 16);
    if (op == 2) {
        uint64_t sum = 0;
        for (int i = 0; i < n; i++) {
            uint64_t x = vget(vn, i, esz);
            sum += sgn ? (uint64_t)sext(x, esz) : x;
        }
        r[0] = sum & esz_mask(wide);
    } else {
        for (int i = 0; i < n / 2; i++) {
            uint64_t x = vget(vn, 2 * i, esz), y = vget(vn, 2 * i + 1, esz);
            uint64_t sum = sgn ? (uint64_t)(sext(x, esz) + sext(y, esz)) : x + y;
            if (op == 1) {
                sum += vget(vd, i, wide);
            }
            vset(r, i, wide, sum & esz_mask(wide));
        }
    }
    memcpy(env->vregs[SIMD_RD(desc)], r, 16);
}

/* op: the permute opcode: 1 UZP1, 2 TRN1, 3 ZIP1, 5 UZP2, 6 TRN2, 7 ZIP2 */
void helper_simd_permute(void *envp, uint32_t desc, uint32_t op)
{
    CPUARMState *env = envp;
    int esz = SIMD_ESZ(desc);
    int n = (SIMD_Q(desc) ? 16 : 8) >> esz;
    int part = op >> 2;
    uint64_t vn[2], vm[2], vd[2], r[2] = { 0, 0 }, x[4];
    int bytes = n << esz;

    load_operands(env, desc, vn, vm, vd);
    switch (op & 3) {
    case 1:     /* UZP: even (or odd) elements of Rm:Rn */
        memcpy(x, vn, bytes);
        memcpy((uint8_t *)x + bytes, vm, bytes);
        for (int i = 0; i < n; i++) {
            vset(r, i, esz, vget(x, 2 * i + part, esz));
        }
        break;
    case 2:     /* TRN */
        for (int i = 0; i < n / 2; i++) {
            vset(r, 2 * i, esz, vget(vn, 2 * i + part, esz));
            vset(r, 2 * i + 1, esz, vget(vm, 2 * i + part, esz));
        }
        break;
    case 3:     /* ZIP: interleave the low (or high) halves */
        for (int i = 0; i < n / 2; i++) {
            int k = i + part * n / 2;
            vset(r, 2 * i, esz, vget(vn, k, esz));
            vset(r, 2 * i + 1, esz, vget(vm, k, esz));
        }
        break;
    }
    memcpy(env->vregs[SIMD_RD(desc)], r, 16);
}

/* op: len (0-3: 1-4 table registers) | tbx << 2 */
void helper_simd_tbl(void *envp, uint32_t desc, uint32_t op)
{
    CPUARMState *env = envp;
    int nregs = (op & 3) + 1, bytes = SIMD_Q(desc) ? 16 : 8;
    uint8_t table[64], idx[16], r[16] = { 0 };

    for (int i = 0; i < nregs; i++) {
        memcpy(table + 16 * i, env->vregs[(SIMD_RN(desc) + i) % 32], 16);
    }
    memcpy(idx, env->vregs[SIMD_RM(desc)], 16);
    if (op & 4) {
        memcpy(r, env->vregs[SIMD_RD(desc)], bytes);
    }
    for (int i = 0; i < bytes; i++) {
        if (idx[i] < 16 * nregs) {
            r[i] = table[idx[i]];
        }
    }
    memcpy(env->vregs[SIMD_RD(desc)], r, 16);
}

/*
 * SDOT/UDOT/USDOT/SUDOT: each 32-bit lane adds four byte products; by
 * element (SIMD_B_ELT) Rm's bytes come from lane imm. SMMLA/UMMLA/USMMLA:
 * Rd (2x2 of 32 bits) += Rn (2x8 bytes) times Rm (2x8 bytes) transposed.
 */
void helper_simd_dot(void *envp, uint32_t desc, uint32_t op)
{
    CPUARMState *env = envp;
    int n = SIMD_Q(desc) ? 4 : 2;
    uint64_t vn[2], vm[2], vd[2], r[2] = { 0, 0 };

    load_operands(env, desc, vn, vm, vd);
    for (int i = 0; i < n; i++) {
        int rown = op & SIMD_DOT_MMLA ? i / 2 * 2 : i;
        int rowm = op & SIMD_DOT_MMLA ? i % 2 * 2 :
                   SIMD_BSRC(desc) == SIMD_B_ELT ? SIMD_IMM(desc) : i;
        int len = op & SIMD_DOT_MMLA ? 8 : 4;
        uint32_t sum = (uint32_t)vget(vd, i, 2);

        for (int k = 0; k < len; k++) {
            uint64_t x = vget(vn, 4 * rown + k, 0), y = vget(vm, 4 * rowm + k, 0);
            int64_t sx = op & SIMD_DOT_NSIGNED ? sext(x, 0) : (int64_t)x;
            int64_t sy = op & SIMD_DOT_MSIGNED ? sext(y, 0) : (int64_t)y;
            sum += (uint32_t)(sx * sy);
        }
        vset(r, i, 2, sum);
    }
    memcpy(env->vregs[SIMD_RD(desc)], r, 16);
}

/*
 * FCMLA: per complex pair (re, im) of Rd, add the products the rotation
 * selects: 0: n.re*m.re, n.re*m.im; 90: -n.im*m.im, n.im*m.re; 180 and
 * 270 the negations. FCADD adds Rm rotated by 90 or 270 degrees to Rn. By
 * element, Rm's pair is pair imm for every pair of Rd.
 */
void helper_simd_fcmla(void *envp, uint32_t desc, uint32_t op)
{
    CPUARMState *env = envp;
    int esz = SIMD_ESZ(desc), pairs = ((SIMD_Q(desc) ? 16 : 8) >> esz) / 2;
    uint64_t vn[2], vm[2], vd[2], r[2] = { 0, 0 };
    uint64_t sign = fp_sign(esz), mask = esz_mask(esz);
    bool by_elt = SIMD_BSRC(desc) == SIMD_B_ELT;
    int rot = op & 3;
    SimdCtx c;

    load_operands(env, desc, vn, vm, vd);
    ctx_init(&c, env, esz, 0);
    for (int e = 0; e < pairs; e++) {
        int pm = by_elt ? SIMD_IMM(desc) : e;
        uint64_t nre = vget(vn, 2 * e, esz), nim = vget(vn, 2 * e + 1, esz);
        uint64_t mre = vget(vm, 2 * pm, esz), mim = vget(vm, 2 * pm + 1, esz);
        uint64_t re, im;

        if (op & 4) {       /* FCADD */
            uint64_t e1 = rot ? mim : mim ^ sign, e3 = rot ? mre ^ sign : mre;
            re = arm_fp_add(&c.fp, esz, nre, e1);
            im = arm_fp_add(&c.fp, esz, nim, e3);
        } else {
            uint64_t dre = vget(vd, 2 * e, esz), dim = vget(vd, 2 * e + 1, esz);
            uint64_t e1, e2, e3, e4;
            switch (rot) {
            case 0:
                e1 = mre, e2 = nre, e3 = mim, e4 = nre;
                break;
            case 1:
                e1 = mim ^ sign, e2 = nim, e3 = mre, e4 = nim;
                break;
            case 2:
                e1 = mre ^ sign, e2 = nre, e3 = mim ^ sign, e4 = nre;
                break;
            default:
                e1 = mim, e2 = nim, e3 = mre ^ sign, e4 = nim;
                break;
            }
            re = arm_fp_muladd(&c.fp, esz, dre, e2, e1);
            im = arm_fp_muladd(&c.fp, esz, dim, e4, e3);
        }
        vset(r, 2 * e, esz, re & mask);
        vset(r, 2 * e + 1, esz, im & mask);
    }
    memcpy(env->vregs[SIMD_RD(desc)], r, 16);
    ctx_finish(&c, env);
}

/*
 * Half to single without rounding, flags or AHP: FMLAL's operands are
 * widened exactly (NaNs keep their payload and signalling bit for the
 * fused multiply-add to see); FZ16 flushes denormal inputs.
 */
static uint32_t half_to_single_exact(uint32_t h, bool fz16)
{
    uint32_t sign = (h & 0x8000u) << 16, exp = (h >> 10) & 0x1f, frac = h & 0x3ff;

    if (exp == 0x1f) {
        return sign | 0x7f800000u | (frac << 13);
    }
    if (exp == 0) {
        if (frac == 0 || fz16) {
            return sign;
        }
        /* normalise the denormal */
        exp = 1;
        while (!(frac & 0x400)) {
            frac <<= 1;
            exp--;
        }
        frac &= 0x3ff;
    }
    return sign | ((exp + 127 - 15) << 23) | (frac << 13);
}

void helper_simd_fmlal(void *envp, uint32_t desc, uint32_t op)
{
    CPUARMState *env = envp;
    int n = SIMD_Q(desc) ? 4 : 2;
    int part = op & 2 ? n : 0;
    bool fz16 = (env->fpcr & ARMFP_FPCR_FZ16) != 0;
    uint64_t vn[2], vm[2], vd[2], r[2] = { 0, 0 };
    SimdCtx c;

    load_operands(env, desc, vn, vm, vd);
    ctx_init(&c, env, 2, 0);
    for (int i = 0; i < n; i++) {
        uint32_t a = (uint32_t)vget(vn, part + i, 1);
        uint32_t b = (uint32_t)(SIMD_BSRC(desc) == SIMD_B_ELT ?
                                vget(vm, SIMD_IMM(desc), 1) : vget(vm, part + i, 1));

        if (op & 1) {
            a ^= 0x8000;
        }
        vset(r, i, 2, arm_fp_muladd(&c.fp, 2, vget(vd, i, 2),
                                    half_to_single_exact(a, fz16),
                                    half_to_single_exact(b, fz16)));
    }
    memcpy(env->vregs[SIMD_RD(desc)], r, 16);
    ctx_finish(&c, env);
}

/*
 * BFloat16 products and sums as BFDOT/BFMMLA define them without FEAT_EBF16:
 * single precision, round to odd, denormals flushed, default NaN, no
 * exception flags. Round to odd is truncation with the lowest bit set
 * when the result was inexact; overflow gives infinity.
 */
static uint32_t bf_round_odd(ARMFPStatus *st, uint32_t r)
{
    bool finite = (r & 0x7f800000u) != 0x7f800000u;

    if (st->flags & ARMFP_FPSR_OFC) {
        /* overflow goes to infinity, as the reference's round to odd does */
        r = (r & 0x80000000u) | 0x7f800000u;
    } else if ((st->flags & ARMFP_FPSR_IXC) && finite && (r & 0x7f800000u)) {
        r |= 1;
    }
    st->flags = 0;
    return r;
}

static uint32_t bf_mul(uint32_t a, uint32_t b)
{
    ARMFPStatus st = { ARMFP_FPCR_FZ | ARMFP_FPCR_DN |
                       ((uint32_t)ARMFP_RZ << ARMFP_FPCR_RMODE_SHIFT), 0 };

    return bf_round_odd(&st, (uint32_t)arm_fp_mul(&st, 2, a, b));
}

static uint32_t bf_add(uint32_t a, uint32_t b)
{
    ARMFPStatus st = { ARMFP_FPCR_FZ | ARMFP_FPCR_DN |
                       ((uint32_t)ARMFP_RZ << ARMFP_FPCR_RMODE_SHIFT), 0 };

    return bf_round_odd(&st, (uint32_t)arm_fp_add(&st, 2, a, b));
}

/* BFDotAdd(): sum + (a0 * b0 + a1 * b1), operands as bf16 bit patterns */
static uint32_t bf_dot_add(uint32_t sum, uint32_t a0, uint32_t a1, uint32_t b0,
                           uint32_t b1)
{
    uint32_t p = bf_add(bf_mul(a0 << 16, b0 << 16), bf_mul(a1 << 16, b1 << 16));

    return bf_add(sum, p);
}

void helper_simd_bf16(void *envp, uint32_t desc, uint32_t op)
{
    CPUARMState *env = envp;
    bool by_elt = SIMD_BSRC(desc) == SIMD_B_ELT;
    uint64_t vn[2], vm[2], vd[2], r[2] = { 0, 0 };
    SimdCtx c;

    load_operands(env, desc, vn, vm, vd);
    ctx_init(&c, env, 2, 0);
    switch (op) {
    case SIMD_BF16_DOT:
        for (int i = 0; i < (SIMD_Q(desc) ? 4 : 2); i++) {
            int j = by_elt ? SIMD_IMM(desc) : i;
            vset(r, i, 2, bf_dot_add((uint32_t)vget(vd, i, 2),
                                     (uint32_t)vget(vn, 2 * i, 1),
                                     (uint32_t)vget(vn, 2 * i + 1, 1),
                                     (uint32_t)vget(vm, 2 * j, 1),
                                     (uint32_t)vget(vm, 2 * j + 1, 1)));
        }
        break;
    case SIMD_BF16_MMLA:
        for (int i = 0; i < 4; i++) {
            int rn = i / 2, rm = i % 2;
            uint32_t sum = (uint32_t)vget(vd, i, 2);
            for (int k = 0; k < 2; k++) {
                sum = bf_dot_add(sum, (uint32_t)vget(vn, 4 * rn + 2 * k, 1),
                                 (uint32_t)vget(vn, 4 * rn + 2 * k + 1, 1),
                                 (uint32_t)vget(vm, 4 * rm + 2 * k, 1),
                                 (uint32_t)vget(vm, 4 * rm + 2 * k + 1, 1));
            }
            vset(r, i, 2, sum);
        }
        break;
    default:    /* BFMLALB/T: IEEE fused multiply-add under FPCR */
        for (int i = 0; i < 4; i++) {
            int sel = SIMD_Q(desc);
            uint64_t a = vget(vn, 2 * i + sel, 1) << 16;
            uint64_t b = (by_elt ? vget(vm, SIMD_IMM(desc), 1)
                                 : vget(vm, 2 * i + sel, 1)) << 16;
            vset(r, i, 2, arm_fp_muladd(&c.fp, 2, vget(vd, i, 2), a, b));
        }
        break;
    }
    memcpy(env->vregs[SIMD_RD(desc)], r, 16);
    ctx_finish(&c, env);
}

#include "helper-crypto.c.inc"
