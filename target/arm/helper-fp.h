/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * AArch64 floating point: a bit-exact software implementation of the Arm
 * ARM pseudocode (FPUnpack, FPRound, FPProcessNaNs, ...) for half, single
 * and double precision, and the IR helpers of the scalar FP instructions.
 * The arm_fp_* functions are pure: they take the FPCR in an ARMFPStatus and
 * accumulate the cumulative FPSR exception bits into it, so the scalar FP
 * helpers, the Advanced SIMD helpers and the unit tests share one library.
 * Values travel as raw bit patterns in uint64_t, the format given by esz
 * (ARMFP_H, ARMFP_S, ARMFP_D: log2 of the size in bytes). A caller that
 * puts IXC into ARMFPStatus.flags beforehand lets the common single and
 * double operations run on the host FPU when that gives the same bits and
 * flags (fpu/fp-host.h).
 */
#ifndef TARGET_ARM_HELPER_FP_H
#define TARGET_ARM_HELPER_FP_H

#include <stdbool.h>
#include <stdint.h>

/* FPCR control bits */
#define ARMFP_FPCR_AHP          (1u << 26)
#define ARMFP_FPCR_DN           (1u << 25)
#define ARMFP_FPCR_FZ           (1u << 24)
#define ARMFP_FPCR_RMODE_SHIFT  22
#define ARMFP_FPCR_RMODE_MASK   (3u << ARMFP_FPCR_RMODE_SHIFT)
#define ARMFP_FPCR_FZ16         (1u << 19)

/* FPSR cumulative bits */
#define ARMFP_FPSR_IOC          (1u << 0)
#define ARMFP_FPSR_DZC          (1u << 1)
#define ARMFP_FPSR_OFC          (1u << 2)
#define ARMFP_FPSR_UFC          (1u << 3)
#define ARMFP_FPSR_IXC          (1u << 4)
#define ARMFP_FPSR_IDC          (1u << 7)
#define ARMFP_FPSR_QC           (1u << 27)

/* Element sizes (log2 bytes) */
enum {
    ARMFP_H = 1,
    ARMFP_S = 2,
    ARMFP_D = 3,
};

/*
 * Rounding modes: the first four are FPCR.RMode's encoding, so
 * (fpcr >> 22) & 3 is a valid ARMFPRounding.
 */
typedef enum ARMFPRounding {
    ARMFP_RN = 0,           /* to nearest, ties to even */
    ARMFP_RP = 1,           /* toward +infinity */
    ARMFP_RM = 2,           /* toward -infinity */
    ARMFP_RZ = 3,           /* toward zero */
    ARMFP_RA = 4,           /* to nearest, ties away from zero */
    ARMFP_RO = 5,           /* to odd (FCVTXN) */
} ARMFPRounding;

typedef struct ARMFPStatus {
    uint32_t fpcr;          /* in: FPCR (RMode, FZ, FZ16, DN, AHP) */
    uint32_t flags;         /* out: FPSR cumulative bits raised, OR-ed in */
} ARMFPStatus;

static inline ARMFPRounding arm_fp_rmode(const ARMFPStatus *st)
{
    return (ARMFPRounding)((st->fpcr >> ARMFP_FPCR_RMODE_SHIFT) & 3);
}

/* Encodings */
uint64_t arm_fp_default_nan(int esz);
bool arm_fp_is_nan(int esz, uint64_t a);
uint64_t arm_fp_expand_imm(int esz, uint8_t imm8);     /* VFPExpandImm */

/* Arithmetic: FPAdd, FPSub, FPMul, FPDiv, FPMax/Min(Num), FPMulX, FABD */
uint64_t arm_fp_add(ARMFPStatus *st, int esz, uint64_t a, uint64_t b);
uint64_t arm_fp_sub(ARMFPStatus *st, int esz, uint64_t a, uint64_t b);
uint64_t arm_fp_mul(ARMFPStatus *st, int esz, uint64_t a, uint64_t b);
uint64_t arm_fp_div(ARMFPStatus *st, int esz, uint64_t a, uint64_t b);
uint64_t arm_fp_max(ARMFPStatus *st, int esz, uint64_t a, uint64_t b);
uint64_t arm_fp_min(ARMFPStatus *st, int esz, uint64_t a, uint64_t b);
uint64_t arm_fp_maxnum(ARMFPStatus *st, int esz, uint64_t a, uint64_t b);
uint64_t arm_fp_minnum(ARMFPStatus *st, int esz, uint64_t a, uint64_t b);
uint64_t arm_fp_mulx(ARMFPStatus *st, int esz, uint64_t a, uint64_t b);
uint64_t arm_fp_abd(ARMFPStatus *st, int esz, uint64_t a, uint64_t b);
/* FPMulAdd: addend + op1 * op2 with one rounding; NaN priority addend first */
uint64_t arm_fp_muladd(ARMFPStatus *st, int esz, uint64_t addend,
                       uint64_t op1, uint64_t op2);
uint64_t arm_fp_sqrt(ARMFPStatus *st, int esz, uint64_t a);
/* FPRecipStepFused (2 - a*b) and FPRSqrtStepFused ((3 - a*b) / 2) */
uint64_t arm_fp_recps(ARMFPStatus *st, int esz, uint64_t a, uint64_t b);
uint64_t arm_fp_rsqrts(ARMFPStatus *st, int esz, uint64_t a, uint64_t b);
/* FPRecipEstimate, FPRSqrtEstimate, FPRecpX */
uint64_t arm_fp_recpe(ARMFPStatus *st, int esz, uint64_t a);
uint64_t arm_fp_rsqrte(ARMFPStatus *st, int esz, uint64_t a);
uint64_t arm_fp_recpx(ARMFPStatus *st, int esz, uint64_t a);
/* URECPE / URSQRTE on one 32-bit element */
uint32_t arm_fp_urecpe(uint32_t a);
uint32_t arm_fp_ursqrte(uint32_t a);

/* FPCompare: NZCV in bits 31:28; signal: FCMPE (quiet NaNs raise IOC too) */
uint32_t arm_fp_compare(ARMFPStatus *st, int esz, uint64_t a, uint64_t b,
                        bool signal);
/* FPCompareEQ/GE/GT for the SIMD compares: true/false */
bool arm_fp_compare_eq(ARMFPStatus *st, int esz, uint64_t a, uint64_t b);
bool arm_fp_compare_ge(ARMFPStatus *st, int esz, uint64_t a, uint64_t b);
bool arm_fp_compare_gt(ARMFPStatus *st, int esz, uint64_t a, uint64_t b);

/* FPRoundInt (FRINT*): exact raises IXC when the value changed (FRINTX) */
uint64_t arm_fp_round_int(ARMFPStatus *st, int esz, uint64_t a,
                          ARMFPRounding rmode, bool exact);
/* FPRoundIntN (FRINT32*, FRINT64*): intbits 32 or 64 */
uint64_t arm_fp_round_int_n(ARMFPStatus *st, int esz, uint64_t a,
                            ARMFPRounding rmode, int intbits);

/*
 * FPConvert between precisions, FPCR rounding; half precision honours
 * FPCR.AHP. arm_fp_convert_rmode takes the mode explicitly (ARMFP_RO for
 * FCVTXN).
 */
uint64_t arm_fp_convert(ARMFPStatus *st, int to_esz, int from_esz, uint64_t a);
uint64_t arm_fp_convert_rmode(ARMFPStatus *st, int to_esz, int from_esz,
                              uint64_t a, ARMFPRounding rmode);
/* BFCVT: single to bfloat16 */
uint32_t arm_fp_to_bf16(ARMFPStatus *st, uint32_t a);

/*
 * FPToFixed: a * 2^fbits to an intbits-wide (16, 32, 64) integer,
 * saturating, IOC on NaN and overflow; the result is zero-extended from
 * intbits. FixedToFP: the low intbits of v (signed unless is_unsigned)
 * divided by 2^fbits.
 */
uint64_t arm_fp_to_fixed(ARMFPStatus *st, int esz, uint64_t a, int fbits,
                         bool is_unsigned, int intbits, ARMFPRounding rmode);
uint64_t arm_fp_from_fixed(ARMFPStatus *st, int esz, uint64_t v, int fbits,
                           bool is_unsigned, int intbits, ARMFPRounding rmode);
/* FJCVTZS: the W result; *z is the Z flag (exact and in range) */
uint32_t arm_fp_jcvt(ARMFPStatus *st, uint64_t a, bool *z);

/*
 * The IR helpers of translate-a64-fp.c (helper-fp.c). Each reads FPCR
 * from env and ORs the exception flags into env->fpsr; none touches the
 * X/flag globals. Operation descriptors are small constants built by the
 * translator with the ARMFP_DESC_* packing below. Define ARMFP_LIB_ONLY
 * before including this header to get the library without the IR.
 */
#ifndef ARMFP_LIB_ONLY
#include "accel/tcg/helpers.h"

/* fp_2op operations (desc = op << 2 | esz) */
enum {
    ARMFP_OP_ADD, ARMFP_OP_SUB, ARMFP_OP_MUL, ARMFP_OP_DIV, ARMFP_OP_MAX,
    ARMFP_OP_MIN, ARMFP_OP_MAXNM, ARMFP_OP_MINNM, ARMFP_OP_NMUL,
};

/* fp_1op operations (desc = op << 2 | esz); FRINT* carry their rounding */
enum {
    ARMFP_OP_SQRT,
    ARMFP_OP_RINT,          /* + rmode << 8 | exact << 11 (rmode 7: FPCR) */
    ARMFP_OP_RINT32,        /* + rmode << 8 */
    ARMFP_OP_RINT64,
};

#define ARMFP_RMODE_FPCR 7

/*
 * fp_to_fixed / fp_from_fixed: esz 1:0, unsigned 2, 64-bit integer 3,
 * rmode 6:4 (7: FPCR), fbits 14:8
 */
static inline uint32_t armfp_fix_desc(int esz, bool uns, bool x, int rmode, int fbits)
{
    return (uint32_t)esz | (uns ? 4u : 0) | (x ? 8u : 0) | ((uint32_t)rmode << 4)
           | ((uint32_t)fbits << 8);
}

/* fp_2op: op << 2 | esz */
IR_DEF_HELPER_4(fp_2op, IR_CALL_NO_RWG, i64, env, i64, i64, i32)
/* fp_muladd(addend, op1, op2, esz): negations are applied by the caller */
IR_DEF_HELPER_5(fp_muladd, IR_CALL_NO_RWG, i64, env, i64, i64, i64, i32)
/* fp_1op: see ARMFP_OP_SQRT... */
IR_DEF_HELPER_3(fp_1op, IR_CALL_NO_RWG, i64, env, i64, i32)
/* fp_cmp: esz | signal << 2; returns NZCV in bits 31:28 */
IR_DEF_HELPER_4(fp_cmp, IR_CALL_NO_RWG, i64, env, i64, i64, i32)
/* fp_cvt: from_esz | to_esz << 2 (to 0: bfloat16) */
IR_DEF_HELPER_3(fp_cvt, IR_CALL_NO_RWG, i64, env, i64, i32)
IR_DEF_HELPER_3(fp_to_fixed, IR_CALL_NO_RWG, i64, env, i64, i32)
IR_DEF_HELPER_3(fp_from_fixed, IR_CALL_NO_RWG, i64, env, i64, i32)
/* fp_jcvt: the W result in bits 31:0, the Z flag in bit 32 */
IR_DEF_HELPER_2(fp_jcvt, IR_CALL_NO_RWG, i64, env, i64)

/*
 * Single and double FADD, FSUB, FMUL, FDIV and FMADD (addend, op1, op2):
 * the host-FPU fast path (fpu/fp-host.h) inline, else fp_2op / fp_muladd.
 * The fp_muladd_*_fma forms run the host's FMA instruction: generate them
 * only when fp_host_has_fma().
 */
IR_DEF_HELPER_3(fp_add_s, IR_CALL_NO_RWG, i64, env, i64, i64)
IR_DEF_HELPER_3(fp_sub_s, IR_CALL_NO_RWG, i64, env, i64, i64)
IR_DEF_HELPER_3(fp_mul_s, IR_CALL_NO_RWG, i64, env, i64, i64)
IR_DEF_HELPER_3(fp_div_s, IR_CALL_NO_RWG, i64, env, i64, i64)
IR_DEF_HELPER_3(fp_add_d, IR_CALL_NO_RWG, i64, env, i64, i64)
IR_DEF_HELPER_3(fp_sub_d, IR_CALL_NO_RWG, i64, env, i64, i64)
IR_DEF_HELPER_3(fp_mul_d, IR_CALL_NO_RWG, i64, env, i64, i64)
IR_DEF_HELPER_3(fp_div_d, IR_CALL_NO_RWG, i64, env, i64, i64)
IR_DEF_HELPER_4(fp_muladd_s_fma, IR_CALL_NO_RWG, i64, env, i64, i64, i64)
IR_DEF_HELPER_4(fp_muladd_d_fma, IR_CALL_NO_RWG, i64, env, i64, i64, i64)
#endif

#endif
