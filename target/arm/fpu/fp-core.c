/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * AArch64 floating point, the core: unpacking with input flushing, the one
 * rounding routine every result goes through (FPRound: tininess detected
 * before rounding, flush-to-zero of outputs, overflow by rounding mode),
 * NaN propagation, and the arithmetic operations. Exact intermediate
 * results are computed in 128-bit integers, so each operation rounds once
 * and the FPSR flags are those of the Arm ARM pseudocode.
 */
#include "fp-internal.h"
#include "fp-host.h"

#if defined(__x86_64__) || defined(__SSE2__)
#include <emmintrin.h>
#endif

const FPFormat fp_formats[4] = {
    [FP_BF16] = { 16, 8, 7, 127 },
    [ARMFP_H] = { 16, 5, 10, 15 },
    [ARMFP_S] = { 32, 8, 23, 127 },
    [ARMFP_D] = { 64, 11, 52, 1023 },
};

uint64_t arm_fp_default_nan(int esz)
{
    const FPFormat *f = &fp_formats[esz];

    return fp_inf(esz, false) | (1ull << (f->fbits - 1));
}

bool arm_fp_is_nan(int esz, uint64_t a)
{
    uint64_t mag = a & (fp_mask(esz) >> 1);

    return mag > fp_inf(esz, false);
}

uint64_t arm_fp_expand_imm(int esz, uint8_t imm8)
{
    const FPFormat *f = &fp_formats[esz];
    uint64_t sign = (imm8 >> 7) & 1;
    uint64_t b6 = (imm8 >> 6) & 1;
    uint64_t exp = ((b6 ^ 1) << (f->ebits - 1))
                 | ((b6 ? (1ull << (f->ebits - 3)) - 1 : 0) << 2)
                 | ((imm8 >> 4) & 3);
    uint64_t frac = (uint64_t)(imm8 & 15) << (f->fbits - 4);

    return (sign << (f->bits - 1)) | (exp << f->fbits) | frac;
}

FPUnpacked fp_unpack_ex(ARMFPStatus *st, int esz, uint64_t v, int opts)
{
    const FPFormat *f = &fp_formats[esz];
    uint64_t emax = (1ull << f->ebits) - 1;
    uint64_t e = (v >> f->fbits) & emax;
    uint64_t frac = v & ((1ull << f->fbits) - 1);
    FPUnpacked u = { .sign = (v >> (f->bits - 1)) & 1 };

    if (e == 0) {
        if (frac == 0) {
            u.cls = FPC_ZERO;
        } else if (!(opts & FP_UNPACK_NOFZ) && fp_fz(st, esz)) {
            u.cls = FPC_ZERO;
            /* FPUnpack: FZ16 flushes half precision without IDC */
            if (esz != ARMFP_H) {
                fp_raise(st, ARMFP_FPSR_IDC);
            }
        } else {
            int s = fp_clz64(frac);

            u.cls = FPC_NORMAL;
            u.sig = frac << s;
            u.exp = 1 - f->bias - f->fbits + 63 - s;
        }
    } else if (e == emax && !((opts & FP_UNPACK_AHP) && esz == ARMFP_H)) {
        if (frac == 0) {
            u.cls = FPC_INF;
        } else {
            u.cls = (frac >> (f->fbits - 1)) & 1 ? FPC_QNAN : FPC_SNAN;
        }
    } else {
        u.cls = FPC_NORMAL;
        u.sig = (frac | (1ull << f->fbits)) << (63 - f->fbits);
        u.exp = (int32_t)e - f->bias;
    }
    return u;
}

uint64_t fp_round_pack_ex(ARMFPStatus *st, int esz, bool sign, int32_t exp,
                          uint64_t sig, ARMFPRounding rmode, int opts)
{
    const FPFormat *f = &fp_formats[esz];
    bool ahp = (opts & FP_ROUND_AHP) && esz == ARMFP_H;
    int32_t emin = 1 - f->bias;
    int p = f->fbits + 1;
    int drop = 64 - p;
    bool tiny = exp < emin;
    uint64_t kept, round_bit, sticky, inc = 0;
    uint64_t signbit = sign ? fp_sign_bit(esz) : 0;

    if (tiny && !(opts & FP_ROUND_NOFZ) && fp_fz(st, esz)) {
        fp_raise(st, ARMFP_FPSR_UFC);
        return signbit;
    }
    if (tiny) {
        int64_t d = (int64_t)drop + (emin - exp);

        drop = d > 65 ? 65 : (int)d;
    }
    if (drop >= 65) {
        kept = 0;
        round_bit = 0;
        sticky = 1;
    } else if (drop == 64) {
        kept = 0;
        round_bit = sig >> 63;
        sticky = (sig << 1) != 0;
    } else {
        kept = sig >> drop;
        round_bit = (sig >> (drop - 1)) & 1;
        sticky = (sig & ((1ull << (drop - 1)) - 1)) != 0;
    }
    bool inexact = round_bit || sticky;

    switch (rmode) {
    case ARMFP_RN:
        inc = round_bit && (sticky || (kept & 1));
        break;
    case ARMFP_RA:
        inc = round_bit;
        break;
    case ARMFP_RP:
        inc = inexact && !sign;
        break;
    case ARMFP_RM:
        inc = inexact && sign;
        break;
    case ARMFP_RZ:
        break;
    case ARMFP_RO:
        kept |= inexact;
        break;
    }
    kept += inc;

    if (tiny) {
        /* a carry into bit fbits gives the smallest normal by itself */
        if (inexact) {
            fp_raise(st, ARMFP_FPSR_UFC | ARMFP_FPSR_IXC);
        }
        return signbit | kept;
    }
    if (kept >> p) {
        kept >>= 1;
        exp++;
    }
    int64_t biased = (int64_t)exp + f->bias;
    int64_t limit = (1ll << f->ebits) - (ahp ? 0 : 1);

    if (biased >= limit) {
        if (ahp) {
            fp_raise(st, ARMFP_FPSR_IOC);
            return signbit | (fp_mask(esz) >> 1);
        }
        bool to_inf = rmode == ARMFP_RN || rmode == ARMFP_RA ||
                      (rmode == ARMFP_RP && !sign) || (rmode == ARMFP_RM && sign);

        fp_raise(st, ARMFP_FPSR_OFC | ARMFP_FPSR_IXC);
        return to_inf ? fp_inf(esz, sign) : fp_max_normal(esz, sign);
    }
    if (inexact) {
        fp_raise(st, ARMFP_FPSR_IXC);
    }
    return signbit | ((uint64_t)biased << f->fbits) | (kept & ((1ull << f->fbits) - 1));
}

uint64_t fp_norm128(u128 x, int32_t *lead)
{
    uint64_t hi = (uint64_t)(x >> 64);
    int l = hi ? 127 - fp_clz64(hi) : 63 - fp_clz64((uint64_t)x);

    *lead = l;
    if (l >= 63) {
        u128 low = x & (((u128)1 << (l - 63)) - 1);

        return (uint64_t)(x >> (l - 63)) | (low != 0);
    }
    return (uint64_t)x << (63 - l);
}

uint64_t fp_process_nan(ARMFPStatus *st, int esz, FPClass cls, uint64_t v)
{
    if (cls == FPC_SNAN) {
        v |= 1ull << (fp_formats[esz].fbits - 1);
        fp_raise(st, ARMFP_FPSR_IOC);
    }
    if (st->fpcr & ARMFP_FPCR_DN) {
        return arm_fp_default_nan(esz);
    }
    return v & fp_mask(esz);
}

bool fp_process_nans(ARMFPStatus *st, int esz, const FPUnpacked *a, uint64_t av,
                     const FPUnpacked *b, uint64_t bv, uint64_t *res)
{
    if (a->cls == FPC_SNAN) {
        *res = fp_process_nan(st, esz, a->cls, av);
    } else if (b->cls == FPC_SNAN) {
        *res = fp_process_nan(st, esz, b->cls, bv);
    } else if (a->cls == FPC_QNAN) {
        *res = fp_process_nan(st, esz, a->cls, av);
    } else if (b->cls == FPC_QNAN) {
        *res = fp_process_nan(st, esz, b->cls, bv);
    } else {
        return false;
    }
    return true;
}

static bool fp_process_nans3(ARMFPStatus *st, int esz, const FPUnpacked *u[3],
                             const uint64_t v[3], uint64_t *res)
{
    for (int want = FPC_SNAN; want >= FPC_QNAN; want--) {
        for (int i = 0; i < 3; i++) {
            if (u[i]->cls == (FPClass)want) {
                *res = fp_process_nan(st, esz, u[i]->cls, v[i]);
                return true;
            }
        }
    }
    return false;
}

static uint64_t fp_invalid(ARMFPStatus *st, int esz)
{
    fp_raise(st, ARMFP_FPSR_IOC);
    return arm_fp_default_nan(esz);
}

/* An exact zero sum: its sign comes from the rounding mode */
static uint64_t fp_exact_zero(int esz, ARMFPRounding rmode)
{
    return fp_zero(esz, rmode == ARMFP_RM);
}

/*
 * Sum of two nonzero magnitudes A * 2^(ea - 125) and B * 2^(eb - 125),
 * each with its leading one at bit 125, rounded once after scaling by
 * 2^scale.
 */
static uint64_t fp_add128(ARMFPStatus *st, int esz, bool sa, int32_t ea, u128 a,
                          bool sb, int32_t eb, u128 b, int scale,
                          ARMFPRounding rmode)
{
    if (ea < eb || (ea == eb && a < b)) {
        bool ts = sa;
        int32_t te = ea;
        u128 t = a;

        sa = sb, ea = eb, a = b;
        sb = ts, eb = te, b = t;
    }
    int64_t d = (int64_t)ea - eb;

    b = fp_shr_jam128(b, d > 128 ? 128 : (int)d);
    u128 s = sa == sb ? a + b : a - b;

    if (s == 0) {
        return fp_exact_zero(esz, rmode);
    }
    int32_t lead;
    uint64_t sig = fp_norm128(s, &lead);

    return fp_round_pack_ex(st, esz, sa, ea - 125 + lead + scale, sig, rmode, 0);
}

static uint64_t fp_add_unpacked(ARMFPStatus *st, int esz, const FPUnpacked *a,
                                const FPUnpacked *b)
{
    ARMFPRounding rmode = arm_fp_rmode(st);

    if (a->cls == FPC_INF && b->cls == FPC_INF && a->sign != b->sign) {
        return fp_invalid(st, esz);
    }
    if (a->cls == FPC_INF || b->cls == FPC_INF) {
        return fp_inf(esz, a->cls == FPC_INF ? a->sign : b->sign);
    }
    if (a->cls == FPC_ZERO && b->cls == FPC_ZERO) {
        return a->sign == b->sign ? fp_zero(esz, a->sign) : fp_exact_zero(esz, rmode);
    }
    if (a->cls == FPC_ZERO) {
        return fp_round_pack(st, esz, b->sign, b->exp, b->sig);
    }
    if (b->cls == FPC_ZERO) {
        return fp_round_pack(st, esz, a->sign, a->exp, a->sig);
    }
    return fp_add128(st, esz, a->sign, a->exp, (u128)a->sig << 62,
                     b->sign, b->exp, (u128)b->sig << 62, 0, rmode);
}

uint64_t arm_fp_add(ARMFPStatus *st, int esz, uint64_t a, uint64_t b)
{
    FPUnpacked ua, ub;
    uint64_t r;

    if (fp_host_allowed(st) && fp_host_2op(esz, FP_HOST_ADD, a, b, &r)) {
        return r;
    }
    ua = fp_unpack(st, esz, a);
    ub = fp_unpack(st, esz, b);
    if (fp_process_nans(st, esz, &ua, a, &ub, b, &r)) {
        return r;
    }
    return fp_add_unpacked(st, esz, &ua, &ub);
}

uint64_t arm_fp_sub(ARMFPStatus *st, int esz, uint64_t a, uint64_t b)
{
    FPUnpacked ua, ub;
    uint64_t r;

    if (fp_host_allowed(st) && fp_host_2op(esz, FP_HOST_SUB, a, b, &r)) {
        return r;
    }
    ua = fp_unpack(st, esz, a);
    ub = fp_unpack(st, esz, b);
    if (fp_process_nans(st, esz, &ua, a, &ub, b, &r)) {
        return r;
    }
    ub.sign = !ub.sign;
    return fp_add_unpacked(st, esz, &ua, &ub);
}

uint64_t arm_fp_abd(ARMFPStatus *st, int esz, uint64_t a, uint64_t b)
{
    return arm_fp_sub(st, esz, a, b) & ~fp_sign_bit(esz);
}

static uint64_t fp_mul_common(ARMFPStatus *st, int esz, uint64_t a, uint64_t b,
                              bool mulx)
{
    FPUnpacked ua = fp_unpack(st, esz, a), ub = fp_unpack(st, esz, b);
    bool sign = ua.sign ^ ub.sign;
    uint64_t r;

    if (fp_process_nans(st, esz, &ua, a, &ub, b, &r)) {
        return r;
    }
    if ((ua.cls == FPC_INF && ub.cls == FPC_ZERO) ||
        (ua.cls == FPC_ZERO && ub.cls == FPC_INF)) {
        if (mulx) {
            /* FPTwo(sign) */
            return fp_zero(esz, sign) | arm_fp_expand_imm(esz, 0x00);
        }
        return fp_invalid(st, esz);
    }
    if (ua.cls == FPC_INF || ub.cls == FPC_INF) {
        return fp_inf(esz, sign);
    }
    if (ua.cls == FPC_ZERO || ub.cls == FPC_ZERO) {
        return fp_zero(esz, sign);
    }
    int32_t lead;
    uint64_t sig = fp_norm128((u128)ua.sig * ub.sig, &lead);

    return fp_round_pack(st, esz, sign, ua.exp + ub.exp - 126 + lead, sig);
}

uint64_t arm_fp_mul(ARMFPStatus *st, int esz, uint64_t a, uint64_t b)
{
    uint64_t r;

    if (fp_host_allowed(st) && fp_host_2op(esz, FP_HOST_MUL, a, b, &r)) {
        return r;
    }
    return fp_mul_common(st, esz, a, b, false);
}

uint64_t arm_fp_mulx(ARMFPStatus *st, int esz, uint64_t a, uint64_t b)
{
    return fp_mul_common(st, esz, a, b, true);
}

uint64_t arm_fp_div(ARMFPStatus *st, int esz, uint64_t a, uint64_t b)
{
    FPUnpacked ua, ub;
    bool sign;
    uint64_t r;

    if (fp_host_allowed(st) && fp_host_2op(esz, FP_HOST_DIV, a, b, &r)) {
        return r;
    }
    ua = fp_unpack(st, esz, a);
    ub = fp_unpack(st, esz, b);
    sign = ua.sign ^ ub.sign;
    if (fp_process_nans(st, esz, &ua, a, &ub, b, &r)) {
        return r;
    }
    if ((ua.cls == FPC_INF && ub.cls == FPC_INF) ||
        (ua.cls == FPC_ZERO && ub.cls == FPC_ZERO)) {
        return fp_invalid(st, esz);
    }
    if (ua.cls == FPC_INF || ub.cls == FPC_ZERO) {
        if (ua.cls != FPC_INF) {
            fp_raise(st, ARMFP_FPSR_DZC);
        }
        return fp_inf(esz, sign);
    }
    if (ua.cls == FPC_ZERO || ub.cls == FPC_INF) {
        return fp_zero(esz, sign);
    }
    u128 n = (u128)ua.sig << 64;
    u128 q = n / ub.sig;
    bool rem = (n - q * ub.sig) != 0;
    int32_t lead;
    uint64_t sig = fp_norm128(q | rem, &lead);

    return fp_round_pack(st, esz, sign, ua.exp - ub.exp - 64 + lead, sig);
}

/* floor(sqrt(x)) for x in [2^126, 2^128) */
static uint64_t fp_isqrt128(u128 x)
{
    uint64_t r;

#if defined(__SSE2__)
    __m128d d = _mm_set_sd((double)x);
    double e = _mm_cvtsd_f64(_mm_sqrt_sd(d, d));

    r = e >= 18446744073709551616.0 ? ~0ull : (uint64_t)e;
    /* one Newton step takes the 52-bit estimate to within one */
    u128 t = ((u128)r + x / r) >> 1;

    r = t >> 64 ? ~0ull : (uint64_t)t;
#else
    r = 0;
    for (int bit = 63; bit >= 0; bit--) {
        uint64_t c = r | (1ull << bit);

        if ((u128)c * c <= x) {
            r = c;
        }
    }
#endif
    while ((u128)r * r > x) {
        r--;
    }
    while (r != ~0ull && (u128)(r + 1) * (r + 1) <= x) {
        r++;
    }
    return r;
}

uint64_t arm_fp_sqrt(ARMFPStatus *st, int esz, uint64_t a)
{
    FPUnpacked ua;
    uint64_t r;

    if (fp_host_allowed(st) && fp_host_sqrt(esz, a, &r)) {
        return r;
    }
    ua = fp_unpack(st, esz, a);

    if (fp_is_nan_cls(ua.cls)) {
        return fp_process_nan(st, esz, ua.cls, a);
    }
    if (ua.cls == FPC_ZERO) {
        return fp_zero(esz, ua.sign);
    }
    if (ua.sign) {
        return fp_invalid(st, esz);
    }
    if (ua.cls == FPC_INF) {
        return fp_inf(esz, false);
    }
    /* value = sig * 2^e; scale sig by 2^k so that e - k is even */
    int32_t e = ua.exp - 63;
    int k = (e - 63) & 1 ? 64 : 63;
    u128 x = (u128)ua.sig << k;
    uint64_t root = fp_isqrt128(x);
    uint64_t sig = root | ((u128)root * root != x);

    return fp_round_pack(st, esz, false, (e - k) / 2 + 63, sig);
}

/*
 * addend + op1 * op2 for finite nonzero op1, op2 and a finite addend,
 * rounded once after scaling by 2^scale.
 */
static uint64_t fp_fused(ARMFPStatus *st, int esz, const FPUnpacked *c,
                         const FPUnpacked *a, const FPUnpacked *b, int scale,
                         ARMFPRounding rmode)
{
    bool sp = a->sign ^ b->sign;
    u128 p = (u128)a->sig * b->sig;
    int32_t ep;

    /* bring the product's leading one to bit 125 */
    if (p >> 127) {
        p = fp_shr_jam128(p, 2);
        ep = a->exp + b->exp + 1;
    } else {
        p = fp_shr_jam128(p, 1);
        ep = a->exp + b->exp;
    }
    if (c->cls == FPC_ZERO) {
        int32_t lead;
        uint64_t sig = fp_norm128(p, &lead);

        return fp_round_pack_ex(st, esz, sp, ep - 125 + lead + scale, sig, rmode, 0);
    }
    return fp_add128(st, esz, c->sign, c->exp, (u128)c->sig << 62, sp, ep, p,
                     scale, rmode);
}

uint64_t arm_fp_muladd(ARMFPStatus *st, int esz, uint64_t addend,
                       uint64_t op1, uint64_t op2)
{
    uint64_t r;

    if (fp_host_allowed(st) && fp_host_muladd(esz, addend, op1, op2, &r)) {
        return r;
    }

    FPUnpacked uc = fp_unpack(st, esz, addend);
    FPUnpacked ua = fp_unpack(st, esz, op1);
    FPUnpacked ub = fp_unpack(st, esz, op2);
    const FPUnpacked *u[3] = { &uc, &ua, &ub };
    const uint64_t v[3] = { addend, op1, op2 };
    ARMFPRounding rmode = arm_fp_rmode(st);
    bool inf_zero = (ua.cls == FPC_INF && ub.cls == FPC_ZERO) ||
                    (ua.cls == FPC_ZERO && ub.cls == FPC_INF);

    if (fp_process_nans3(st, esz, u, v, &r)) {
        if (uc.cls == FPC_QNAN && inf_zero) {
            return fp_invalid(st, esz);
        }
        return r;
    }
    bool sp = ua.sign ^ ub.sign;
    bool infp = ua.cls == FPC_INF || ub.cls == FPC_INF;
    bool zerop = ua.cls == FPC_ZERO || ub.cls == FPC_ZERO;

    if (inf_zero || (uc.cls == FPC_INF && infp && uc.sign != sp)) {
        return fp_invalid(st, esz);
    }
    if (uc.cls == FPC_INF) {
        return fp_inf(esz, uc.sign);
    }
    if (infp) {
        return fp_inf(esz, sp);
    }
    if (zerop) {
        if (uc.cls == FPC_ZERO) {
            return uc.sign == sp ? fp_zero(esz, sp) : fp_exact_zero(esz, rmode);
        }
        return fp_round_pack(st, esz, uc.sign, uc.exp, uc.sig);
    }
    return fp_fused(st, esz, &uc, &ua, &ub, 0, rmode);
}

/* The Newton-Raphson steps: (k + (-op1) * op2) / 2^halve, inf * 0 gives k / 2^halve */
static uint64_t fp_step_fused(ARMFPStatus *st, int esz, uint64_t op1, uint64_t op2,
                              uint64_t k, int halve, uint64_t special)
{
    op1 ^= fp_sign_bit(esz);

    FPUnpacked ua = fp_unpack(st, esz, op1), ub = fp_unpack(st, esz, op2);
    ARMFPRounding rmode = arm_fp_rmode(st);
    uint64_t r;

    if (fp_process_nans(st, esz, &ua, op1, &ub, op2, &r)) {
        return r;
    }
    if ((ua.cls == FPC_INF && ub.cls == FPC_ZERO) ||
        (ua.cls == FPC_ZERO && ub.cls == FPC_INF)) {
        return special;
    }
    if (ua.cls == FPC_INF || ub.cls == FPC_INF) {
        return fp_inf(esz, ua.sign ^ ub.sign);
    }
    FPUnpacked uk = fp_unpack_ex(st, esz, k, FP_UNPACK_NOFZ);

    if (ua.cls == FPC_ZERO || ub.cls == FPC_ZERO) {
        return fp_round_pack_ex(st, esz, false, uk.exp - halve, uk.sig, rmode, 0);
    }
    return fp_fused(st, esz, &uk, &ua, &ub, -halve, rmode);
}

uint64_t arm_fp_recps(ARMFPStatus *st, int esz, uint64_t a, uint64_t b)
{
    uint64_t two = arm_fp_expand_imm(esz, 0x00);        /* 2.0 */

    return fp_step_fused(st, esz, a, b, two, 0, two);
}

uint64_t arm_fp_rsqrts(ARMFPStatus *st, int esz, uint64_t a, uint64_t b)
{
    uint64_t three = arm_fp_expand_imm(esz, 0x08);      /* 3.0 */
    uint64_t one_half = arm_fp_expand_imm(esz, 0x78);   /* 1.5 */

    return fp_step_fused(st, esz, a, b, three, 1, one_half);
}

/* Order of two non-NaN unpacked values: -1, 0, 1 */
static int fp_cmp_unpacked(const FPUnpacked *a, const FPUnpacked *b)
{
    int ma, mb, r;

    if (a->cls == FPC_ZERO && b->cls == FPC_ZERO) {
        return 0;
    }
    if (a->sign != b->sign) {
        return a->sign ? -1 : 1;
    }
    ma = a->cls == FPC_ZERO ? 0 : a->cls == FPC_INF ? 2 : 1;
    mb = b->cls == FPC_ZERO ? 0 : b->cls == FPC_INF ? 2 : 1;
    if (ma != mb) {
        r = ma < mb ? -1 : 1;
    } else if (ma != 1 || (a->exp == b->exp && a->sig == b->sig)) {
        r = 0;
    } else if (a->exp != b->exp) {
        r = a->exp < b->exp ? -1 : 1;
    } else {
        r = a->sig < b->sig ? -1 : 1;
    }
    return a->sign ? -r : r;
}

static uint64_t fp_minmax(ARMFPStatus *st, int esz, uint64_t a, uint64_t b,
                          bool is_max, bool num)
{
    FPUnpacked ua = fp_unpack(st, esz, a), ub = fp_unpack(st, esz, b);
    const FPUnpacked *pick;
    uint64_t r;

    if (num) {
        /* a single quiet NaN loses: it becomes the infinity that always does */
        uint64_t inf = fp_inf(esz, is_max);

        if (ua.cls == FPC_QNAN && ub.cls != FPC_QNAN) {
            a = inf;
            ua = fp_unpack(st, esz, a);
        } else if (ua.cls != FPC_QNAN && ub.cls == FPC_QNAN) {
            b = inf;
            ub = fp_unpack(st, esz, b);
        }
    }
    if (fp_process_nans(st, esz, &ua, a, &ub, b, &r)) {
        return r;
    }
    int c = fp_cmp_unpacked(&ua, &ub);

    pick = (is_max ? c > 0 : c < 0) ? &ua : &ub;
    if (pick->cls == FPC_INF) {
        return fp_inf(esz, pick->sign);
    }
    if (pick->cls == FPC_ZERO) {
        /* the most positive (max) or negative (min) sign of +0 and -0 */
        return fp_zero(esz, is_max ? (ua.sign && ub.sign) : (ua.sign || ub.sign));
    }
    return fp_round_pack(st, esz, pick->sign, pick->exp, pick->sig);
}

uint64_t arm_fp_max(ARMFPStatus *st, int esz, uint64_t a, uint64_t b)
{
    return fp_minmax(st, esz, a, b, true, false);
}

uint64_t arm_fp_min(ARMFPStatus *st, int esz, uint64_t a, uint64_t b)
{
    return fp_minmax(st, esz, a, b, false, false);
}

uint64_t arm_fp_maxnum(ARMFPStatus *st, int esz, uint64_t a, uint64_t b)
{
    return fp_minmax(st, esz, a, b, true, true);
}

uint64_t arm_fp_minnum(ARMFPStatus *st, int esz, uint64_t a, uint64_t b)
{
    return fp_minmax(st, esz, a, b, false, true);
}

uint32_t arm_fp_compare(ARMFPStatus *st, int esz, uint64_t a, uint64_t b,
                        bool signal)
{
    FPUnpacked ua = fp_unpack(st, esz, a), ub = fp_unpack(st, esz, b);

    if (fp_is_nan_cls(ua.cls) || fp_is_nan_cls(ub.cls)) {
        if (ua.cls == FPC_SNAN || ub.cls == FPC_SNAN || signal) {
            fp_raise(st, ARMFP_FPSR_IOC);
        }
        return 0x3u << 28;
    }
    int c = fp_cmp_unpacked(&ua, &ub);

    return (c == 0 ? 0x6u : c < 0 ? 0x8u : 0x2u) << 28;
}

bool arm_fp_compare_eq(ARMFPStatus *st, int esz, uint64_t a, uint64_t b)
{
    FPUnpacked ua = fp_unpack(st, esz, a), ub = fp_unpack(st, esz, b);

    if (fp_is_nan_cls(ua.cls) || fp_is_nan_cls(ub.cls)) {
        if (ua.cls == FPC_SNAN || ub.cls == FPC_SNAN) {
            fp_raise(st, ARMFP_FPSR_IOC);
        }
        return false;
    }
    return fp_cmp_unpacked(&ua, &ub) == 0;
}

static int fp_compare_signal(ARMFPStatus *st, int esz, uint64_t a, uint64_t b)
{
    FPUnpacked ua = fp_unpack(st, esz, a), ub = fp_unpack(st, esz, b);

    if (fp_is_nan_cls(ua.cls) || fp_is_nan_cls(ub.cls)) {
        fp_raise(st, ARMFP_FPSR_IOC);
        return 2;
    }
    return fp_cmp_unpacked(&ua, &ub);
}

bool arm_fp_compare_ge(ARMFPStatus *st, int esz, uint64_t a, uint64_t b)
{
    int c = fp_compare_signal(st, esz, a, b);

    return c == 0 || c == 1;
}

bool arm_fp_compare_gt(ARMFPStatus *st, int esz, uint64_t a, uint64_t b)
{
    return fp_compare_signal(st, esz, a, b) == 1;
}
