/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internals shared by the files of the AArch64 floating-point library:
 * the format table, the unpacked representation (a sign, an exponent and a
 * 64-bit significand with its leading one at bit 63) and the rounding and
 * NaN steps of the Arm ARM pseudocode that every operation ends with.
 */
#ifndef TARGET_ARM_FPU_FP_INTERNAL_H
#define TARGET_ARM_FPU_FP_INTERNAL_H

/* the library needs none of the IR helper declarations */
#ifndef ARMFP_LIB_ONLY
#define ARMFP_LIB_ONLY
#endif
#include "../helper-fp.h"

/* bfloat16 uses slot 0 of the format table (never a public esz) */
#define FP_BF16 0

typedef struct FPFormat {
    int bits;               /* 16, 32, 64 */
    int ebits;              /* exponent field width */
    int fbits;              /* fraction field width */
    int bias;
} FPFormat;

extern const FPFormat fp_formats[4];

typedef enum FPClass {
    FPC_ZERO,
    FPC_NORMAL,             /* normal or denormal, normalised */
    FPC_INF,
    FPC_QNAN,
    FPC_SNAN,
} FPClass;

/* value = (-1)^sign * sig * 2^(exp - 63) */
typedef struct FPUnpacked {
    FPClass cls;
    bool sign;
    int32_t exp;
    uint64_t sig;
} FPUnpacked;

typedef unsigned __int128 u128;

static inline bool fp_is_nan_cls(FPClass c)
{
    return c == FPC_QNAN || c == FPC_SNAN;
}

static inline uint64_t fp_sign_bit(int esz)
{
    return 1ull << (fp_formats[esz].bits - 1);
}

static inline uint64_t fp_mask(int esz)
{
    int bits = fp_formats[esz].bits;

    return bits == 64 ? ~0ull : (1ull << bits) - 1;
}

static inline uint64_t fp_zero(int esz, bool sign)
{
    return sign ? fp_sign_bit(esz) : 0;
}

static inline uint64_t fp_inf(int esz, bool sign)
{
    const FPFormat *f = &fp_formats[esz];
    uint64_t v = ((1ull << f->ebits) - 1) << f->fbits;

    return v | (sign ? fp_sign_bit(esz) : 0);
}

static inline uint64_t fp_max_normal(int esz, bool sign)
{
    const FPFormat *f = &fp_formats[esz];
    uint64_t v = (((1ull << f->ebits) - 2) << f->fbits) | ((1ull << f->fbits) - 1);

    return v | (sign ? fp_sign_bit(esz) : 0);
}

/* Does FPCR flush denormals of this format (FZ, or FZ16 for half)? */
static inline bool fp_fz(const ARMFPStatus *st, int esz)
{
    return esz == ARMFP_H ? (st->fpcr & ARMFP_FPCR_FZ16) != 0
                          : (st->fpcr & ARMFP_FPCR_FZ) != 0;
}

/* Unpack options */
#define FP_UNPACK_NOFZ  1       /* ignore FZ/FZ16 (FPUnpackCV for half) */
#define FP_UNPACK_AHP   2       /* half precision in the alternative format */

FPUnpacked fp_unpack_ex(ARMFPStatus *st, int esz, uint64_t v, int opts);

static inline FPUnpacked fp_unpack(ARMFPStatus *st, int esz, uint64_t v)
{
    return fp_unpack_ex(st, esz, v, 0);
}

/* Round options */
#define FP_ROUND_NOFZ   1       /* never flush the result (FPRoundCV for half) */
#define FP_ROUND_AHP    2       /* alternative half precision result */

/*
 * FPRound of a nonzero finite value sig * 2^(exp - 63); sig has its leading
 * one at bit 63 and any further nonzero bits OR-ed into bit 0.
 */
uint64_t fp_round_pack_ex(ARMFPStatus *st, int esz, bool sign, int32_t exp,
                          uint64_t sig, ARMFPRounding rmode, int opts);

static inline uint64_t fp_round_pack(ARMFPStatus *st, int esz, bool sign,
                                     int32_t exp, uint64_t sig)
{
    return fp_round_pack_ex(st, esz, sign, exp, sig, arm_fp_rmode(st), 0);
}

/* Normalise a 128-bit magnitude (nonzero) to 64 bits with sticky; *exp
 * receives the exponent of its leading one relative to bit 0. */
uint64_t fp_norm128(u128 x, int32_t *lead);

/* FPProcessNaN / FPProcessNaNs / FPProcessNaNs3 on raw values */
uint64_t fp_process_nan(ARMFPStatus *st, int esz, FPClass cls, uint64_t v);
bool fp_process_nans(ARMFPStatus *st, int esz, const FPUnpacked *a, uint64_t av,
                     const FPUnpacked *b, uint64_t bv, uint64_t *res);

static inline void fp_raise(ARMFPStatus *st, uint32_t flags)
{
    st->flags |= flags;
}

static inline int fp_clz64(uint64_t x)
{
    return __builtin_clzll(x);
}

/* Shift right by n (any n >= 0) keeping a sticky bit in bit 0 */
static inline uint64_t fp_shr_jam64(uint64_t x, int n)
{
    if (n == 0) {
        return x;
    }
    if (n >= 64) {
        return x != 0;
    }
    return (x >> n) | ((x << (64 - n)) != 0);
}

static inline u128 fp_shr_jam128(u128 x, int n)
{
    if (n == 0) {
        return x;
    }
    if (n >= 128) {
        return x != 0;
    }
    return (x >> n) | ((x << (128 - n)) != 0);
}

#endif
