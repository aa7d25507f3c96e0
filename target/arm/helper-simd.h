/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers of the Advanced SIMD and crypto instructions
 * (translate-a64-simd.c). The common integer operations are generated
 * inline; everything else runs here, one call per instruction. A helper
 * gets env and a descriptor naming the registers and the shape (element
 * size, 64/128 bits, scalar, where the second operand comes from), plus an
 * operation number from SIMD_OPS, and works on env->vregs directly, so the
 * generated code is a single call with two constants. Helpers never touch
 * the X/flag globals (IR_CALL_NO_RWG); floating point goes through the
 * arm_fp_* library of helper-fp.h with FPCR/FPSR from env, and saturation
 * sets FPSR.QC.
 */
#ifndef TARGET_ARM_HELPER_SIMD_H
#define TARGET_ARM_HELPER_SIMD_H

#include "accel/tcg/helpers.h"

/*
 * The descriptor: bits 4:0 Rd, 9:5 Rn, 14:10 Rm, 16:15 esz (the operation's
 * element size; the narrow one for long and narrowing shapes), 17 q (128-bit
 * vector, or the upper-half "2" form of long/narrow shapes), 18 scalar (one
 * element, the rest of Rd zeroed), 20:19 where operand b comes from, 21 Rn
 * holds wide elements (SADDW...), 22 the narrow inputs of a long shape are
 * signed, 31:23 a signed immediate (shift amount, fraction bits, element
 * index).
 */
enum {
    SIMD_B_VEC = 0,         /* b = Vm[i] */
    SIMD_B_ELT = 1,         /* b = Vm[imm]: by element */
    SIMD_B_IMM = 2,         /* b = imm */
    SIMD_B_ZERO = 3,        /* b = 0 (compare with zero) */
};

static inline uint32_t simd_desc(int rd, int rn, int rm, int esz, int q,
                                 int scalar, int bsrc, int imm)
{
    return (uint32_t)rd | ((uint32_t)rn << 5) | ((uint32_t)rm << 10) |
           ((uint32_t)esz << 15) | ((uint32_t)q << 17) |
           ((uint32_t)scalar << 18) | ((uint32_t)bsrc << 19) |
           ((uint32_t)imm << 23);
}
#define SIMD_DESC_NWIDE (1u << 21)
#define SIMD_DESC_SIGNED (1u << 22)

#define SIMD_RD(d)      ((d) & 31)
#define SIMD_RN(d)      (((d) >> 5) & 31)
#define SIMD_RM(d)      (((d) >> 10) & 31)
#define SIMD_ESZ(d)     ((int)(((d) >> 15) & 3))
#define SIMD_Q(d)       ((int)(((d) >> 17) & 1))
#define SIMD_SCALAR(d)  ((int)(((d) >> 18) & 1))
#define SIMD_BSRC(d)    ((int)(((d) >> 19) & 3))
#define SIMD_NWIDE(d)   (((d) & SIMD_DESC_NWIDE) != 0)
#define SIMD_SIGNED(d)  (((d) & SIMD_DESC_SIGNED) != 0)
#define SIMD_IMM(d)     ((int32_t)(d) >> 23)

/*
 * Element operations: d' = op(a, b, d) at one element size, a from Rn, b
 * as the descriptor says, d the old destination element (accumulating
 * forms). Integer shifts take a signed count in b (negative: right), so the
 * immediate shifts reuse them. Names are the instructions' where they are
 * the same; FP operations work on half, single and double.
 */
#define SIMD_OPS(X) \
    /* integer, same size */ \
    X(SHADD) X(UHADD) X(SRHADD) X(URHADD) X(SHSUB) X(UHSUB) \
    X(SQADD) X(UQADD) X(SQSUB) X(UQSUB) X(SUQADD) X(USQADD) \
    X(CMGT) X(CMHI) X(CMGE) X(CMHS) X(CMEQ) X(CMTST) X(CMLE) X(CMLT) \
    X(SSHL) X(USHL) X(SRSHL) X(URSHL) X(SQSHL) X(UQSHL) X(SQRSHL) \
    X(UQRSHL) X(SQSHLU) X(SSRA) X(USRA) X(SRSRA) X(URSRA) X(SRI) X(SLI) \
    X(SMAX) X(UMAX) X(SMIN) X(UMIN) X(SABD) X(UABD) X(SABA) X(UABA) \
    X(ADD) X(SUB) X(MLA) X(MLS) X(MUL) X(PMUL) \
    X(SQDMULH) X(SQRDMULH) X(SQRDMLAH) X(SQRDMLSH) \
    X(ABS) X(NEG) X(SQABS) X(SQNEG) X(CLS) X(CLZ) X(CNT) X(RBIT) \
    X(REV) X(URECPE) X(URSQRTE) \
    /* long: a and b are the extended narrow elements, result wide */ \
    X(SQDMULL) X(SQDMLAL) X(SQDMLSL) X(PMULL) \
    /* narrowing: a (and b) wide, result narrow */ \
    X(ADDHN) X(RADDHN) X(SUBHN) X(RSUBHN) X(XTN) X(SQXTN) X(UQXTN) \
    X(SQXTUN) X(SHRN) X(RSHRN) X(SQSHRN) X(SQRSHRN) X(UQSHRN) \
    X(UQRSHRN) X(SQSHRUN) X(SQRSHRUN) X(FCVTN) X(FCVTXN) X(FCVTL) \
    /* floating point */ \
    X(FADD) X(FSUB) X(FMUL) X(FDIV) X(FMAX) X(FMIN) X(FMAXNM) X(FMINNM) \
    X(FMULX) X(FABD) X(FMLA) X(FMLS) X(FRECPS) X(FRSQRTS) \
    X(FCMEQ) X(FCMGE) X(FCMGT) X(FACGE) X(FACGT) X(FCMLE) X(FCMLT) \
    X(FABS) X(FNEG) X(FSQRT) X(FRINTN) X(FRINTP) X(FRINTM) X(FRINTZ) \
    X(FRINTA) X(FRINTX) X(FRINTI) \
    X(FCVTNS) X(FCVTPS) X(FCVTMS) X(FCVTZS) X(FCVTAS) \
    X(FCVTNU) X(FCVTPU) X(FCVTMU) X(FCVTZU) X(FCVTAU) \
    X(SCVTF) X(UCVTF) X(FRECPE) X(FRSQRTE) X(FRECPX) \
    X(FRINT32Z) X(FRINT32X) X(FRINT64Z) X(FRINT64X) X(BFCVTN)

typedef enum SimdOp {
#define SIMD_OP_ENUM(name) SIMD_OP_##name,
    SIMD_OPS(SIMD_OP_ENUM)
#undef SIMD_OP_ENUM
    SIMD_OP_COUNT
} SimdOp;

/* Rd[i] = op(Rn[i], b, Rd[i]): same size in and out (incl. scalar forms) */
IR_DEF_HELPER_3(simd_elementwise, IR_CALL_NO_RWG, void, env, i32, i32)
/*
 * The same for FADD, FSUB, FMUL, FDIV (simd_fp_arith) and FMLA, FMLS
 * (simd_fp_fma, compiled for the host's FMA instruction: generate it only
 * when fp_host_has_fma()) at single and double precision: the host-FPU
 * fast path of fpu/fp-host.h, else simd_elementwise.
 */
IR_DEF_HELPER_3(simd_fp_arith, IR_CALL_NO_RWG, void, env, i32, i32)
IR_DEF_HELPER_3(simd_fp_fma, IR_CALL_NO_RWG, void, env, i32, i32)
/* Rd[i] = op(pair i of Rm:Rn); scalar: Rd = op(Rn[0], Rn[1]) */
IR_DEF_HELPER_3(simd_pairwise, IR_CALL_NO_RWG, void, env, i32, i32)
/* reduction across the lanes of Rn (ADDV, SMAXV, FMAXNMV...) */
IR_DEF_HELPER_3(simd_reduce, IR_CALL_NO_RWG, void, env, i32, i32)
/* long: Rd.wide[i] = op(ext(Rn[i + part]), ext(b), Rd.wide[i]) */
IR_DEF_HELPER_3(simd_long, IR_CALL_NO_RWG, void, env, i32, i32)
/* narrowing: Rd.narrow[i + part] = op(Rn.wide[i], b) */
IR_DEF_HELPER_3(simd_narrow, IR_CALL_NO_RWG, void, env, i32, i32)
/* SADDLP/UADDLP/SADALP/UADALP and SADDLV/UADDLV: op is SIMD_OP_ADD or SUB
 * for signed; the imm is 1 to accumulate */
IR_DEF_HELPER_3(simd_addlp, IR_CALL_NO_RWG, void, env, i32, i32)
/* ZIP/UZP/TRN (op 0-5: uzp1 trn1 zip1 uzp2 trn2 zip2), TBL/TBX, DOT */
IR_DEF_HELPER_3(simd_permute, IR_CALL_NO_RWG, void, env, i32, i32)
IR_DEF_HELPER_3(simd_tbl, IR_CALL_NO_RWG, void, env, i32, i32)
/* dot products and matrix multiply-accumulate (SIMD_DOT_*) */
IR_DEF_HELPER_3(simd_dot, IR_CALL_NO_RWG, void, env, i32, i32)
/* FCMLA (op: rot 0-3) and FCADD (op: 4 + rot, rot 0 is 90 degrees) */
IR_DEF_HELPER_3(simd_fcmla, IR_CALL_NO_RWG, void, env, i32, i32)
/* FMLAL/FMLSL: op bit 0 subtract, bit 1 the "2" (upper) form */
IR_DEF_HELPER_3(simd_fmlal, IR_CALL_NO_RWG, void, env, i32, i32)
/* BF16 BFDOT, BFMMLA, BFMLALB/T (SIMD_BF16_*; the half from q) */
IR_DEF_HELPER_3(simd_bf16, IR_CALL_NO_RWG, void, env, i32, i32)

enum {
    SIMD_DOT_NSIGNED = 1,   /* Rn bytes are signed */
    SIMD_DOT_MSIGNED = 2,   /* Rm bytes are signed */
    SIMD_DOT_MMLA = 4,      /* 2x8 by 8x2 matrix multiply-accumulate */
};

enum {
    SIMD_BF16_DOT, SIMD_BF16_MMLA, SIMD_BF16_MLAL,
};

/* crypto: op selects the instruction (SIMD_CRYPTO_*) */
IR_DEF_HELPER_3(simd_crypto, IR_CALL_NO_RWG, void, env, i32, i32)

enum {
    SIMD_CRYPTO_AESE, SIMD_CRYPTO_AESD, SIMD_CRYPTO_AESMC, SIMD_CRYPTO_AESIMC,
    SIMD_CRYPTO_SHA1C, SIMD_CRYPTO_SHA1P, SIMD_CRYPTO_SHA1M,
    SIMD_CRYPTO_SHA1SU0, SIMD_CRYPTO_SHA1SU1, SIMD_CRYPTO_SHA1H,
    SIMD_CRYPTO_SHA256H, SIMD_CRYPTO_SHA256H2, SIMD_CRYPTO_SHA256SU0,
    SIMD_CRYPTO_SHA256SU1, SIMD_CRYPTO_PMULL64,
    /* FEAT_SHA512, FEAT_SHA3: Ra or the XAR rotation in the immediate */
    SIMD_CRYPTO_SHA512H, SIMD_CRYPTO_SHA512H2, SIMD_CRYPTO_SHA512SU0,
    SIMD_CRYPTO_SHA512SU1, SIMD_CRYPTO_RAX1, SIMD_CRYPTO_EOR3,
    SIMD_CRYPTO_BCAX, SIMD_CRYPTO_XAR,
    /* FEAT_SM3, FEAT_SM4: the SM3TT word index in the immediate */
    SIMD_CRYPTO_SM3SS1, SIMD_CRYPTO_SM3TT1A, SIMD_CRYPTO_SM3TT1B,
    SIMD_CRYPTO_SM3TT2A, SIMD_CRYPTO_SM3TT2B, SIMD_CRYPTO_SM3PARTW1,
    SIMD_CRYPTO_SM3PARTW2, SIMD_CRYPTO_SM4E, SIMD_CRYPTO_SM4EKEY,
};

#endif
