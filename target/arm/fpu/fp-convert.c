/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * AArch64 floating point, conversions and estimates: between precisions
 * (with the alternative half-precision format and round-to-odd), rounding
 * to integral values, to and from integers and fixed point with
 * saturation, FJCVTZS, BFCVT, and the reciprocal (square root) estimates
 * whose 8-bit tables come from the Arm ARM's RecipEstimate and
 * RecipSqrtEstimate procedures.
 */
#include "fp-internal.h"

/* Quieten a NaN and move its payload to another format (FPConvertNaN) */
static uint64_t fp_convert_nan(int to, int from, uint64_t a)
{
    const FPFormat *ft = &fp_formats[to], *ff = &fp_formats[from];
    uint64_t frac = (a & ((1ull << ff->fbits) - 1)) | (1ull << (ff->fbits - 1));
    bool sign = (a >> (ff->bits - 1)) & 1;

    if (ft->fbits >= ff->fbits) {
        frac <<= ft->fbits - ff->fbits;
    } else {
        frac >>= ff->fbits - ft->fbits;
    }
    return fp_inf(to, sign) | frac;
}

static uint64_t fp_convert_common(ARMFPStatus *st, int to, int from, uint64_t a,
                                  ARMFPRounding rmode, bool ahp_ok)
{
    bool ahp = ahp_ok && (st->fpcr & ARMFP_FPCR_AHP);
    int uopts = from == ARMFP_H ? FP_UNPACK_NOFZ | (ahp ? FP_UNPACK_AHP : 0) : 0;
    bool alt_hp = to == ARMFP_H && ahp;
    FPUnpacked u = fp_unpack_ex(st, from, a, uopts);

    switch (u.cls) {
    case FPC_QNAN:
    case FPC_SNAN:
        if (u.cls == FPC_SNAN || alt_hp) {
            fp_raise(st, ARMFP_FPSR_IOC);
        }
        if (alt_hp) {
            return fp_zero(to, u.sign);
        }
        if (st->fpcr & ARMFP_FPCR_DN) {
            return arm_fp_default_nan(to);
        }
        return fp_convert_nan(to, from, a);
    case FPC_INF:
        if (alt_hp) {
            fp_raise(st, ARMFP_FPSR_IOC);
            return fp_zero(to, u.sign) | 0x7fff;
        }
        return fp_inf(to, u.sign);
    case FPC_ZERO:
        return fp_zero(to, u.sign);
    default:
        return fp_round_pack_ex(st, to, u.sign, u.exp, u.sig, rmode,
                                (to == ARMFP_H ? FP_ROUND_NOFZ : 0) |
                                (alt_hp ? FP_ROUND_AHP : 0));
    }
}

uint64_t arm_fp_convert_rmode(ARMFPStatus *st, int to_esz, int from_esz,
                              uint64_t a, ARMFPRounding rmode)
{
    return fp_convert_common(st, to_esz, from_esz, a, rmode, true);
}

uint64_t arm_fp_convert(ARMFPStatus *st, int to_esz, int from_esz, uint64_t a)
{
    return fp_convert_common(st, to_esz, from_esz, a, arm_fp_rmode(st), true);
}

uint32_t arm_fp_to_bf16(ARMFPStatus *st, uint32_t a)
{
    return fp_convert_common(st, FP_BF16, ARMFP_S, a, arm_fp_rmode(st), false);
}

/*
 * Split |value| * 2^scale of a normal unpacked number into its integer part
 * (saturated to 2^64 - 1 with *big set when it does not fit) and the
 * fraction as a 64-bit binary fraction with sticky in bit 0.
 */
static uint64_t fp_split(const FPUnpacked *u, int scale, uint64_t *frac, bool *big)
{
    int64_t e = (int64_t)u->exp + scale;

    *big = false;
    if (e >= 64) {
        *frac = 0;
        *big = true;
        return ~0ull;
    }
    if (e >= 63) {
        *frac = 0;
        return u->sig;
    }
    if (e >= 0) {
        *frac = u->sig << (e + 1);
        return u->sig >> (63 - e);
    }
    *frac = fp_shr_jam64(u->sig, (int)(-e - 1 > 64 ? 64 : -e - 1));
    return 0;
}

/* Whether the magnitude rounds up, given RoundDown's fraction */
static bool fp_round_up(ARMFPRounding rmode, bool sign, uint64_t ip, uint64_t frac)
{
    const uint64_t half = 1ull << 63;

    switch (rmode) {
    case ARMFP_RN:
        return frac > half || (frac == half && (ip & 1));
    case ARMFP_RA:
        return frac >= half;
    case ARMFP_RP:
        return frac != 0 && !sign;
    case ARMFP_RM:
        return frac != 0 && sign;
    default:
        return false;
    }
}

/* An integral magnitude (nonzero) as a value of format esz; always exact */
static uint64_t fp_pack_integer(ARMFPStatus *st, int esz, bool sign, uint64_t mag)
{
    int s = fp_clz64(mag);

    return fp_round_pack_ex(st, esz, sign, 63 - s, mag << s, ARMFP_RZ, 0);
}

uint64_t arm_fp_round_int(ARMFPStatus *st, int esz, uint64_t a,
                          ARMFPRounding rmode, bool exact)
{
    FPUnpacked u = fp_unpack(st, esz, a);
    uint64_t ip, frac;
    bool big;

    switch (u.cls) {
    case FPC_QNAN:
    case FPC_SNAN:
        return fp_process_nan(st, esz, u.cls, a);
    case FPC_INF:
        return fp_inf(esz, u.sign);
    case FPC_ZERO:
        return fp_zero(esz, u.sign);
    default:
        break;
    }
    if (u.exp >= fp_formats[esz].fbits) {
        /* already integral */
        return fp_round_pack(st, esz, u.sign, u.exp, u.sig);
    }
    ip = fp_split(&u, 0, &frac, &big);
    ip += fp_round_up(rmode, u.sign, ip, frac);
    if (frac != 0 && exact) {
        fp_raise(st, ARMFP_FPSR_IXC);
    }
    if (ip == 0) {
        return fp_zero(esz, u.sign);
    }
    return fp_pack_integer(st, esz, u.sign, ip);
}

uint64_t arm_fp_round_int_n(ARMFPStatus *st, int esz, uint64_t a,
                            ARMFPRounding rmode, int intbits)
{
    FPUnpacked u = fp_unpack(st, esz, a);
    uint64_t limit = 1ull << (intbits - 1);
    uint64_t ip = 0, frac = 0;
    bool big = true;

    if (u.cls == FPC_ZERO) {
        return fp_zero(esz, u.sign);
    }
    if (u.cls == FPC_NORMAL) {
        ip = fp_split(&u, 0, &frac, &big);
        if (!big) {
            bool up = fp_round_up(rmode, u.sign, ip, frac);

            big = up && ip == ~0ull;
            ip += up;
        }
    }
    if (big || ip > limit || (ip == limit && !u.sign)) {
        /* NaN, infinity and out of range give the most negative integer */
        fp_raise(st, ARMFP_FPSR_IOC);
        return fp_pack_integer(st, esz, true, limit);
    }
    if (frac != 0) {
        fp_raise(st, ARMFP_FPSR_IXC);
    }
    if (ip == 0) {
        return fp_zero(esz, u.sign);
    }
    return fp_pack_integer(st, esz, u.sign, ip);
}

uint64_t arm_fp_to_fixed(ARMFPStatus *st, int esz, uint64_t a, int fbits,
                         bool is_unsigned, int intbits, ARMFPRounding rmode)
{
    FPUnpacked u = fp_unpack(st, esz, a);
    uint64_t mask = intbits == 64 ? ~0ull : (1ull << intbits) - 1;
    uint64_t max, min_mag, ip, frac;
    bool big, overflow;

    if (fp_is_nan_cls(u.cls)) {
        fp_raise(st, ARMFP_FPSR_IOC);
        return 0;
    }
    if (u.cls == FPC_ZERO) {
        return 0;
    }
    max = is_unsigned ? mask : mask >> 1;         /* largest positive */
    min_mag = is_unsigned ? 0 : (mask >> 1) + 1;  /* magnitude of the most negative */
    if (u.cls == FPC_INF) {
        ip = ~0ull;
        frac = 0;
        big = true;
    } else {
        ip = fp_split(&u, fbits, &frac, &big);
        if (!big && fp_round_up(rmode, u.sign, ip, frac)) {
            big = ip == ~0ull;
            ip++;
        }
    }
    overflow = big || (u.sign ? ip > min_mag : ip > max);
    if (overflow) {
        fp_raise(st, ARMFP_FPSR_IOC);
        return u.sign ? (is_unsigned ? 0 : (-min_mag) & mask) : max;
    }
    if (frac != 0) {
        fp_raise(st, ARMFP_FPSR_IXC);
    }
    return (u.sign ? -ip : ip) & mask;
}

uint64_t arm_fp_from_fixed(ARMFPStatus *st, int esz, uint64_t v, int fbits,
                           bool is_unsigned, int intbits, ARMFPRounding rmode)
{
    bool sign = false;
    uint64_t mag;
    int s;

    if (intbits < 64) {
        v &= (1ull << intbits) - 1;
        if (!is_unsigned && (v >> (intbits - 1))) {
            v |= ~0ull << intbits;
        }
    }
    if (!is_unsigned && (int64_t)v < 0) {
        sign = true;
        mag = -v;
    } else {
        mag = v;
    }
    if (mag == 0) {
        return 0;
    }
    s = fp_clz64(mag);
    return fp_round_pack_ex(st, esz, sign, 63 - s - fbits, mag << s, rmode, 0);
}

uint32_t arm_fp_jcvt(ARMFPStatus *st, uint64_t a, bool *z)
{
    FPUnpacked u = fp_unpack(st, ARMFP_D, a);
    uint64_t ip = 0, frac = 0, low;
    bool inexact = false, out_of_range = false;

    *z = true;
    switch (u.cls) {
    case FPC_QNAN:
    case FPC_SNAN:
    case FPC_INF:
        fp_raise(st, ARMFP_FPSR_IOC);
        *z = false;
        return 0;
    case FPC_ZERO:
        /* -0 is not exactly +0; a flushed +denormal is (as QEMU has it) */
        *z = !u.sign;
        return 0;
    default:
        break;
    }
    if (u.exp >= 63) {
        /* the low 32 bits of a huge integer; surely out of range */
        low = u.exp - 63 >= 64 ? 0 : u.sig << (u.exp - 63);
        out_of_range = true;
    } else {
        bool big;

        ip = fp_split(&u, 0, &frac, &big);
        low = ip;
        inexact = frac != 0;
        out_of_range = u.sign ? ip > (1ull << 31) : ip > (1ull << 31) - 1;
    }
    if (out_of_range) {
        fp_raise(st, ARMFP_FPSR_IOC);
        *z = false;
    } else if (inexact) {
        fp_raise(st, ARMFP_FPSR_IXC);
        *z = false;
    }
    return (uint32_t)(u.sign ? -low : low);
}

/* RecipEstimate: a in 256..511 (0.5 <= x < 1.0), result in 256..511 */
static uint32_t fp_recip_estimate(uint32_t a)
{
    uint32_t b;

    a = a * 2 + 1;
    b = (1u << 19) / a;
    return (b + 1) / 2;
}

/* RecipSqrtEstimate: a in 128..511 (0.25 <= x < 1.0), result in 256..511 */
static uint32_t fp_rsqrt_estimate(uint32_t a)
{
    uint64_t lo = 512, hi = 1024;

    if (a < 256) {
        a = a * 2 + 1;
    } else {
        a = (a >> 1) << 1;
        a = (a + 1) * 2;
    }
    /* the pseudocode counts b up from 512 while a * (b + 1)^2 < 2^28 */
    while (lo < hi) {
        uint64_t mid = (lo + hi + 1) / 2;

        if ((uint64_t)a * mid * mid < (1ull << 28)) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    return (uint32_t)((lo + 1) / 2);
}

/* The fraction of a (denormals included) as a 52-bit field, and its
 * biased exponent */
static uint64_t fp_frac52(int esz, uint64_t a, int64_t *exp)
{
    const FPFormat *f = &fp_formats[esz];

    *exp = (a >> f->fbits) & ((1ull << f->ebits) - 1);
    return (a & ((1ull << f->fbits) - 1)) << (52 - f->fbits);
}

static uint64_t fp_pack_estimate(int esz, bool sign, int64_t rexp, uint64_t frac52)
{
    const FPFormat *f = &fp_formats[esz];

    return fp_zero(esz, sign) | ((uint64_t)rexp << f->fbits) | (frac52 >> (52 - f->fbits));
}

uint64_t arm_fp_recpe(ARMFPStatus *st, int esz, uint64_t a)
{
    const FPFormat *f = &fp_formats[esz];
    FPUnpacked u = fp_unpack(st, esz, a);
    int64_t exp, rexp;
    uint64_t frac;

    switch (u.cls) {
    case FPC_QNAN:
    case FPC_SNAN:
        return fp_process_nan(st, esz, u.cls, a);
    case FPC_INF:
        return fp_zero(esz, u.sign);
    case FPC_ZERO:
        fp_raise(st, ARMFP_FPSR_DZC);
        return fp_inf(esz, u.sign);
    default:
        break;
    }
    /* value < 2^-(bias+1) (-16, -128, -1024): the reciprocal overflows */
    if (u.exp < -(f->bias + 1)) {
        ARMFPRounding rmode = arm_fp_rmode(st);
        bool to_inf = rmode == ARMFP_RN || (rmode == ARMFP_RP && !u.sign) ||
                      (rmode == ARMFP_RM && u.sign);

        fp_raise(st, ARMFP_FPSR_OFC | ARMFP_FPSR_IXC);
        return to_inf ? fp_inf(esz, u.sign) : fp_max_normal(esz, u.sign);
    }
    /* value >= 2^(bias-1): the reciprocal is below the normal range */
    if (fp_fz(st, esz) && u.exp >= f->bias - 1) {
        fp_raise(st, ARMFP_FPSR_UFC);
        return fp_zero(esz, u.sign);
    }
    frac = fp_frac52(esz, a, &exp);
    if (exp == 0) {
        if (!((frac >> 51) & 1)) {
            exp = -1;
            frac = (frac << 2) & ((1ull << 52) - 1);
        } else {
            frac = (frac << 1) & ((1ull << 52) - 1);
        }
    }
    uint32_t est = fp_recip_estimate(256 | (uint32_t)(frac >> 44));

    rexp = 2 * f->bias - 1 - exp;
    frac = (uint64_t)(est & 0xff) << 44;
    if (rexp == 0) {
        frac = (1ull << 51) | (frac >> 1);
    } else if (rexp == -1) {
        frac = (1ull << 50) | (frac >> 2);
        rexp = 0;
    }
    return fp_pack_estimate(esz, u.sign, rexp, frac);
}

uint64_t arm_fp_rsqrte(ARMFPStatus *st, int esz, uint64_t a)
{
    const FPFormat *f = &fp_formats[esz];
    FPUnpacked u = fp_unpack(st, esz, a);
    int64_t exp, rexp;
    uint64_t frac;
    uint32_t scaled;

    switch (u.cls) {
    case FPC_QNAN:
    case FPC_SNAN:
        return fp_process_nan(st, esz, u.cls, a);
    case FPC_ZERO:
        fp_raise(st, ARMFP_FPSR_DZC);
        return fp_inf(esz, u.sign);
    default:
        break;
    }
    if (u.sign) {
        fp_raise(st, ARMFP_FPSR_IOC);
        return arm_fp_default_nan(esz);
    }
    if (u.cls == FPC_INF) {
        return fp_zero(esz, false);
    }
    frac = fp_frac52(esz, a, &exp);
    if (exp == 0) {
        while (!((frac >> 51) & 1)) {
            frac <<= 1;
            exp--;
        }
        frac = (frac << 1) & ((1ull << 52) - 1);
    }
    if (!(exp & 1)) {
        scaled = 256 | (uint32_t)(frac >> 44);
    } else {
        scaled = 128 | (uint32_t)(frac >> 45);
    }
    /* (3 * bias - 1 - exp) DIV 2, rounding toward -infinity */
    int64_t n = 3 * (int64_t)f->bias - 1 - exp;

    rexp = n >= 0 ? n / 2 : -((-n + 1) / 2);
    frac = (uint64_t)(fp_rsqrt_estimate(scaled) & 0xff) << 44;
    return fp_pack_estimate(esz, false, rexp, frac);
}

uint64_t arm_fp_recpx(ARMFPStatus *st, int esz, uint64_t a)
{
    const FPFormat *f = &fp_formats[esz];
    FPUnpacked u = fp_unpack(st, esz, a);
    uint64_t emax = (1ull << f->ebits) - 1;
    uint64_t exp = (a >> f->fbits) & emax;

    if (fp_is_nan_cls(u.cls)) {
        return fp_process_nan(st, esz, u.cls, a);
    }
    exp = exp == 0 ? emax - 1 : (~exp & emax);
    return fp_zero(esz, u.sign) | (exp << f->fbits);
}

uint32_t arm_fp_urecpe(uint32_t a)
{
    if (!(a >> 31)) {
        return ~0u;
    }
    return fp_recip_estimate((a >> 23) & 0x1ff) << 23;
}

uint32_t arm_fp_ursqrte(uint32_t a)
{
    if (!(a >> 30)) {
        return ~0u;
    }
    return fp_rsqrt_estimate((a >> 23) & 0x1ff) << 23;
}
