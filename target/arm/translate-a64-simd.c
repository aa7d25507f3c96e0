/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A64 Advanced SIMD: every trans function of a64-advsimd.decode. The
 * frequent integer operations (logic, add/sub, moves, DUP/INS/UMOV, EXT,
 * immediates, SHL/USHR) are generated inline on the two 64-bit halves of
 * the registers; the rest is one call to a helper of helper-simd.c that
 * works on env->vregs, described by a constant descriptor (simd_desc).
 * The remaining groups are in translate-a64-simd-misc.c.inc and the
 * structure loads and stores in translate-a64-simd-ldst.c.inc, included at
 * the end so that they see the static trans declarations of the generated
 * decoder.
 *
 * Reserved size/Q combinations are rejected before any IR is emitted
 * (return false: UNDEFINED); every instruction then passes the FP access
 * check, and 64-bit vector results clear the upper half of Rd.
 */
#include "target/arm/helper-fp.h"
#include "target/arm/helper-simd.h"
#include "target/arm/fpu/fp-host.h"
#include "target/arm/translate.h"

static int a64_advsimd_plus1(DisasContext *s, int x)
{
    return x + 1;
}

static int a64_advsimd_plus2(DisasContext *s, int x)
{
    return x + 2;
}

#include "target/arm/a64-advsimd.c.inc"

bool a64_decode_advsimd(DisasContext *s, uint32_t insn)
{
    return decode_a64_advsimd(s, insn);
}

/* ---- features (ID registers of the model) ---- */

static unsigned id_field(uint64_t reg, int shift)
{
    return (reg >> shift) & 0xf;
}

/* ID_AA64PFR0_EL1.AdvSIMD == 1: half precision arithmetic */
static bool have_fp16(DisasContext *s)
{
    return id_field(s->env->id.id_aa64pfr0, 20) == 1;
}

/* ID_AA64ISAR0_EL1: AES 7:4 (2: with PMULL), SHA1 11:8, SHA2 15:12,
 * RDM 31:28, DP 47:44 */
static bool have_aes(DisasContext *s)
{
    return id_field(s->env->id.id_aa64isar0, 4) >= 1;
}

static bool have_pmull(DisasContext *s)
{
    return id_field(s->env->id.id_aa64isar0, 4) >= 2;
}

static bool have_sha1(DisasContext *s)
{
    return id_field(s->env->id.id_aa64isar0, 8) >= 1;
}

static bool have_sha256(DisasContext *s)
{
    return id_field(s->env->id.id_aa64isar0, 12) >= 1;
}

static bool have_rdm(DisasContext *s)
{
    return id_field(s->env->id.id_aa64isar0, 28) >= 1;
}

static bool have_dotprod(DisasContext *s)
{
    return id_field(s->env->id.id_aa64isar0, 44) >= 1;
}

/* ID_AA64ISAR0_EL1: SHA2 2 (SHA512) 15:12, SHA3 35:32, SM3 39:36, SM4 43:40,
 * FHM 51:48; ID_AA64ISAR1_EL1: FCMA 19:16, FRINTTS 35:32, BF16 47:44,
 * I8MM 55:52 */
static bool have_sha512(DisasContext *s)
{
    return id_field(s->env->id.id_aa64isar0, 12) >= 2;
}

static bool have_sha3(DisasContext *s)
{
    return id_field(s->env->id.id_aa64isar0, 32) >= 1;
}

static bool have_sm3(DisasContext *s)
{
    return id_field(s->env->id.id_aa64isar0, 36) >= 1;
}

static bool have_sm4(DisasContext *s)
{
    return id_field(s->env->id.id_aa64isar0, 40) >= 1;
}

static bool have_fhm(DisasContext *s)
{
    return id_field(s->env->id.id_aa64isar0, 48) >= 1;
}

static bool have_fcma(DisasContext *s)
{
    return id_field(s->env->id.id_aa64isar1, 16) >= 1;
}

static bool have_frintts(DisasContext *s)
{
    return id_field(s->env->id.id_aa64isar1, 32) >= 1;
}

static bool have_bf16(DisasContext *s)
{
    return id_field(s->env->id.id_aa64isar1, 44) >= 1;
}

static bool have_i8mm(DisasContext *s)
{
    return id_field(s->env->id.id_aa64isar1, 52) >= 1;
}

/* ---- size checks ---- */

enum {
    SZ_B = 1, SZ_H = 2, SZ_S = 4, SZ_D = 8,
    SZ_BHS = 7, SZ_HS = 6, SZ_BHSD = 15,
};

/* Vector forms: an allowed size, and 64-bit elements only in 128 bits. */
static bool vsize_ok(int q, int esz, unsigned sizes)
{
    return ((sizes >> esz) & 1) && (q || esz != 3);
}

static bool ssize_ok(int esz, unsigned sizes)
{
    return (sizes >> esz) & 1;
}

/* FP element sizes: half needs FP16, double vectors need 128 bits. */
static bool fsize_ok(DisasContext *s, int q, int esz, bool scalar)
{
    if (esz == 1) {
        return have_fp16(s);
    }
    return esz == 2 || (esz == 3 && (q || scalar));
}

/* ---- register access ---- */

static IRContext *ir(DisasContext *s)
{
    return s->ir;
}

static IRv64 ld_half(DisasContext *s, int reg, int half)
{
    IRv64 t = a64_tmp(s);

    a64_read_vreg_i64(s, t, reg, half);
    return t;
}

static void st_half(DisasContext *s, int reg, int half, IRv64 v)
{
    a64_write_vreg_i64(s, reg, half, v);
}

/* Load element idx of V[reg], zero- or sign-extended to 64 bits. */
static IRv64 ld_elt(DisasContext *s, int reg, int idx, int esz, bool sign)
{
    static const IROpcode ops[2][4] = {
        { IR_OP_ld8u_i64, IR_OP_ld16u_i64, IR_OP_ld32u_i64, IR_OP_ld_i64 },
        { IR_OP_ld8s_i64, IR_OP_ld16s_i64, IR_OP_ld32s_i64, IR_OP_ld_i64 },
    };
    IRv64 t = a64_tmp(s);

    ir_emit3(ir(s), ops[sign][esz], t.idx, ir(s)->env.idx,
             (IRArg)a64_vreg_elt_ofs(reg, idx, esz));
    return t;
}

static void st_elt(DisasContext *s, int reg, int idx, int esz, IRv64 v)
{
    static const IROpcode ops[4] = {
        IR_OP_st8_i64, IR_OP_st16_i64, IR_OP_st32_i64, IR_OP_st_i64,
    };

    ir_emit3(ir(s), ops[esz], v.idx, ir(s)->env.idx,
             (IRArg)a64_vreg_elt_ofs(reg, idx, esz));
}

/* Finish a vector result written half by half: 64-bit forms clear 127:64. */
static void clear_high_if(DisasContext *s, int reg, int q)
{
    if (!q) {
        a64_clear_vreg_high(s, reg, 8);
    }
}

/* The element of size esz replicated over 64 bits (v zero-extended). */
static IRv64 dup_const_mul(DisasContext *s, IRv64 v, int esz)
{
    static const uint64_t rep[3] = {
        0x0101010101010101ull, 0x0001000100010001ull, 0x0000000100000001ull,
    };
    IRv64 t;

    if (esz == 3) {
        return v;
    }
    t = a64_tmp(s);
    ir_gen_mul_i64(ir(s), t, v, a64_const(s, rep[esz]));
    return t;
}

static uint64_t dup_imm(uint64_t v, int esz)
{
    for (int w = 8 << esz; w < 64; w *= 2) {
        v |= v << w;
    }
    return v;
}

/* Write the same 64-bit value to both halves (q) or the low one. */
static void st_dup(DisasContext *s, int reg, int q, IRv64 v)
{
    st_half(s, reg, 0, v);
    if (q) {
        st_half(s, reg, 1, v);
    } else {
        a64_clear_vreg_high(s, reg, 8);
    }
}

/* ---- helper calls ---- */

typedef void GenSimdFn(IRContext *, IRv64, IRv32, IRv32);

static bool gen_simd(DisasContext *s, GenSimdFn *fn, uint32_t desc, int op)
{
    if (a64_fp_access_check(s)) {
        fn(ir(s), ir(s)->env, ir_const_i32(ir(s), desc),
           ir_const_i32(ir(s), op));
    }
    return true;
}

/* Rd[i] = op(Rn[i], b, Rd[i]) */
static bool do_ew(DisasContext *s, int q, int esz, int rd, int rn, int rm,
                  int scalar, int bsrc, int imm, int op)
{
    GenSimdFn *fn = gen_helper_simd_elementwise;

    /* single and double arithmetic: the helpers with a host-FPU fast path */
    if (esz >= ARMFP_S) {
        switch (op) {
        case SIMD_OP_FADD:
        case SIMD_OP_FSUB:
        case SIMD_OP_FMUL:
        case SIMD_OP_FDIV:
            fn = gen_helper_simd_fp_arith;
            break;
        case SIMD_OP_FMLA:
        case SIMD_OP_FMLS:
            if (fp_host_has_fma()) {
                fn = gen_helper_simd_fp_fma;
            }
            break;
        default:
            break;
        }
    }
    return gen_simd(s, fn, simd_desc(rd, rn, rm, esz, q, scalar, bsrc, imm), op);
}

static bool do_long(DisasContext *s, int q, int esz, int rd, int rn, int rm,
                    int scalar, int bsrc, int imm, int op, uint32_t flags)
{
    return gen_simd(s, gen_helper_simd_long,
                    simd_desc(rd, rn, rm, esz, q, scalar, bsrc, imm) | flags,
                    op);
}

static bool do_narrow(DisasContext *s, int q, int esz, int rd, int rn, int rm,
                      int scalar, int bsrc, int imm, int op)
{
    return gen_simd(s, gen_helper_simd_narrow,
                    simd_desc(rd, rn, rm, esz, q, scalar, bsrc, imm), op);
}

static bool do_pairwise(DisasContext *s, int q, int esz, int rd, int rn,
                        int rm, int scalar, int op)
{
    return gen_simd(s, gen_helper_simd_pairwise,
                    simd_desc(rd, rn, rm, esz, q, scalar, 0, 0), op);
}

/* ==== Crypto ==== */

/* imm: Ra (four-register forms), the XAR rotation or the SM3TT index */
static bool do_crypto_imm(DisasContext *s, bool feature, int rd, int rn,
                          int rm, int imm, int op)
{
    if (!feature) {
        return false;
    }
    return gen_simd(s, gen_helper_simd_crypto,
                    simd_desc(rd, rn, rm, 0, 1, 0, 0, imm), op);
}

static bool do_crypto(DisasContext *s, bool feature, int rd, int rn, int rm,
                      int op)
{
    return do_crypto_imm(s, feature, rd, rn, rm, 0, op);
}

#define TRANS_CRYPTO2(NAME, FEAT, OP)                                       \
    static bool trans_##NAME(DisasContext *s, arg_rr *a)                    \
    {                                                                       \
        return do_crypto(s, FEAT(s), a->rd, a->rn, 0, SIMD_CRYPTO_##OP);    \
    }
#define TRANS_CRYPTO3(NAME, FEAT, OP)                                       \
    static bool trans_##NAME(DisasContext *s, arg_rrr *a)                   \
    {                                                                       \
        return do_crypto(s, FEAT(s), a->rd, a->rn, a->rm, SIMD_CRYPTO_##OP); \
    }

TRANS_CRYPTO2(AESE, have_aes, AESE)
TRANS_CRYPTO2(AESD, have_aes, AESD)
TRANS_CRYPTO2(AESMC, have_aes, AESMC)
TRANS_CRYPTO2(AESIMC, have_aes, AESIMC)
TRANS_CRYPTO3(SHA1C, have_sha1, SHA1C)
TRANS_CRYPTO3(SHA1P, have_sha1, SHA1P)
TRANS_CRYPTO3(SHA1M, have_sha1, SHA1M)
TRANS_CRYPTO3(SHA1SU0, have_sha1, SHA1SU0)
TRANS_CRYPTO2(SHA1H, have_sha1, SHA1H)
TRANS_CRYPTO2(SHA1SU1, have_sha1, SHA1SU1)
TRANS_CRYPTO3(SHA256H, have_sha256, SHA256H)
TRANS_CRYPTO3(SHA256H2, have_sha256, SHA256H2)
TRANS_CRYPTO3(SHA256SU1, have_sha256, SHA256SU1)
TRANS_CRYPTO2(SHA256SU0, have_sha256, SHA256SU0)
TRANS_CRYPTO3(SHA512H, have_sha512, SHA512H)
TRANS_CRYPTO3(SHA512H2, have_sha512, SHA512H2)
TRANS_CRYPTO3(SHA512SU1, have_sha512, SHA512SU1)
TRANS_CRYPTO2(SHA512SU0, have_sha512, SHA512SU0)
TRANS_CRYPTO3(RAX1, have_sha3, RAX1)
TRANS_CRYPTO3(SM3PARTW1, have_sm3, SM3PARTW1)
TRANS_CRYPTO3(SM3PARTW2, have_sm3, SM3PARTW2)
TRANS_CRYPTO3(SM4EKEY, have_sm4, SM4EKEY)
TRANS_CRYPTO2(SM4E, have_sm4, SM4E)

#define TRANS_CRYPTO4(NAME, FEAT, OP)                                       \
    static bool trans_##NAME(DisasContext *s, arg_rrrr *a)                  \
    {                                                                       \
        return do_crypto_imm(s, FEAT(s), a->rd, a->rn, a->rm, a->ra,        \
                             SIMD_CRYPTO_##OP);                             \
    }
#define TRANS_SM3TT(NAME)                                                   \
    static bool trans_##NAME(DisasContext *s, arg_sm3tt *a)                 \
    {                                                                       \
        return do_crypto_imm(s, have_sm3(s), a->rd, a->rn, a->rm, a->imm,   \
                             SIMD_CRYPTO_##NAME);                           \
    }

TRANS_CRYPTO4(EOR3, have_sha3, EOR3)
TRANS_CRYPTO4(BCAX, have_sha3, BCAX)
TRANS_CRYPTO4(SM3SS1, have_sm3, SM3SS1)
TRANS_SM3TT(SM3TT1A)
TRANS_SM3TT(SM3TT1B)
TRANS_SM3TT(SM3TT2A)
TRANS_SM3TT(SM3TT2B)

static bool trans_XAR(DisasContext *s, arg_xar *a)
{
    return do_crypto_imm(s, have_sha3(s), a->rd, a->rn, a->rm, a->imm,
                         SIMD_CRYPTO_XAR);
}

/* ==== Copy ==== */

/* imm5: the lowest set bit gives the size, the bits above it the index. */
static int copy_esz(int imm5)
{
    return imm5 & 0xf ? __builtin_ctz(imm5) : -1;
}

static bool trans_DUP_elt_v(DisasContext *s, arg_copy *a)
{
    int esz = copy_esz(a->imm5);

    if (esz < 0 || (esz == 3 && !a->q)) {
        return false;
    }
    if (a64_fp_access_check(s)) {
        IRv64 v = ld_elt(s, a->rn, a->imm5 >> (esz + 1), esz, false);
        st_dup(s, a->rd, a->q, dup_const_mul(s, v, esz));
    }
    return true;
}

static bool trans_DUP_elt_s(DisasContext *s, arg_copy *a)
{
    int esz = copy_esz(a->imm5);

    if (esz < 0) {
        return false;
    }
    if (a64_fp_access_check(s)) {
        IRv64 v = ld_elt(s, a->rn, a->imm5 >> (esz + 1), esz, false);
        a64_write_vreg_scalar(s, a->rd, v, esz);
    }
    return true;
}

static bool trans_DUP_gen(DisasContext *s, arg_copy *a)
{
    int esz = copy_esz(a->imm5);
    IRv64 v;

    if (esz < 0 || (esz == 3 && !a->q)) {
        return false;
    }
    if (a64_fp_access_check(s)) {
        v = a64_x(s, a->rn);
        if (esz < 3) {
            IRv64 t = a64_tmp(s);
            ir_gen_extract_i64(ir(s), t, v, 0, 8 << esz);
            v = t;
        }
        st_dup(s, a->rd, a->q, dup_const_mul(s, v, esz));
    }
    return true;
}

static bool trans_INS_gen(DisasContext *s, arg_copy *a)
{
    int esz = copy_esz(a->imm5);

    if (esz < 0) {
        return false;
    }
    if (a64_fp_access_check(s)) {
        st_elt(s, a->rd, a->imm5 >> (esz + 1), esz, a64_x(s, a->rn));
    }
    return true;
}

static bool trans_INS_elt(DisasContext *s, arg_copy *a)
{
    int esz = copy_esz(a->imm5);

    if (esz < 0) {
        return false;
    }
    if (a64_fp_access_check(s)) {
        IRv64 v = ld_elt(s, a->rn, a->imm4 >> esz, esz, false);
        st_elt(s, a->rd, a->imm5 >> (esz + 1), esz, v);
    }
    return true;
}

/* UMOV: W from B/H/S (Q=0) or X from D (Q=1); SMOV: W from B/H, X from B/H/S */
static bool do_mov_to_gen(DisasContext *s, arg_copy *a, bool sign)
{
    int esz = copy_esz(a->imm5);
    bool ok;

    if (esz < 0) {
        return false;
    }
    ok = sign ? (a->q ? esz <= 2 : esz <= 1) : (a->q ? esz == 3 : esz <= 2);
    if (!ok) {
        return false;
    }
    if (a64_fp_access_check(s)) {
        IRv64 v = ld_elt(s, a->rn, a->imm5 >> (esz + 1), esz, sign);
        a64_set_x_sf(s, a->rd, v, a->q);
    }
    return true;
}

static bool trans_SMOV(DisasContext *s, arg_copy *a)
{
    return do_mov_to_gen(s, a, true);
}

static bool trans_UMOV(DisasContext *s, arg_copy *a)
{
    return do_mov_to_gen(s, a, false);
}

/* ==== Table lookup, permute, extract ==== */

static bool trans_TBL(DisasContext *s, arg_tbl *a)
{
    return gen_simd(s, gen_helper_simd_tbl,
                    simd_desc(a->rd, a->rn, a->rm, 0, a->q, 0, 0, 0),
                    a->len | (a->tbx << 2));
}

static bool do_permute(DisasContext *s, arg_rrr_e *a, int op)
{
    if (a->esz == 3 && !a->q) {
        return false;
    }
    return gen_simd(s, gen_helper_simd_permute,
                    simd_desc(a->rd, a->rn, a->rm, a->esz, a->q, 0, 0, 0), op);
}

static bool trans_UZP1(DisasContext *s, arg_rrr_e *a) { return do_permute(s, a, 1); }
static bool trans_TRN1(DisasContext *s, arg_rrr_e *a) { return do_permute(s, a, 2); }
static bool trans_ZIP1(DisasContext *s, arg_rrr_e *a) { return do_permute(s, a, 3); }
static bool trans_UZP2(DisasContext *s, arg_rrr_e *a) { return do_permute(s, a, 5); }
static bool trans_TRN2(DisasContext *s, arg_rrr_e *a) { return do_permute(s, a, 6); }
static bool trans_ZIP2(DisasContext *s, arg_rrr_e *a) { return do_permute(s, a, 7); }

/* (hi:lo) >> sh for 0 < sh < 64 */
static IRv64 funnel(DisasContext *s, IRv64 lo, IRv64 hi, int sh)
{
    IRv64 t = a64_tmp(s), u = a64_tmp(s);

    ir_gen_shri_i64(ir(s), t, lo, sh);
    ir_gen_shli_i64(ir(s), u, hi, 64 - sh);
    ir_gen_or_i64(ir(s), t, t, u);
    return t;
}

static bool trans_EXT(DisasContext *s, arg_ext *a)
{
    IRv64 x[4], r[2];
    int nhalves = a->q ? 2 : 1;

    if (!a->q && a->imm >= 8) {
        return false;
    }
    if (!a64_fp_access_check(s)) {
        return true;
    }
    /* x = Vm:Vn as 64-bit pieces, the source of the extracted bytes */
    x[0] = ld_half(s, a->rn, 0);
    if (a->q) {
        x[1] = ld_half(s, a->rn, 1);
        x[2] = ld_half(s, a->rm, 0);
        x[3] = ld_half(s, a->rm, 1);
    } else {
        x[1] = ld_half(s, a->rm, 0);
    }
    for (int j = 0; j < nhalves; j++) {
        int k = a->imm / 8 + j, sh = (a->imm % 8) * 8;
        r[j] = sh ? funnel(s, x[k], x[k + 1], sh) : x[k];
    }
    for (int j = 0; j < nhalves; j++) {
        st_half(s, a->rd, j, r[j]);
    }
    clear_high_if(s, a->rd, a->q);
    return true;
}

/* ==== Inline integer operations on 64-bit halves ==== */

typedef enum {
    LOGIC_AND, LOGIC_BIC, LOGIC_ORR, LOGIC_ORN,
    LOGIC_EOR, LOGIC_BSL, LOGIC_BIT, LOGIC_BIF,
} LogicOp;

static bool do_logic(DisasContext *s, arg_rrr_e *a, LogicOp op)
{
    IRContext *c = ir(s);

    if (!a64_fp_access_check(s)) {
        return true;
    }
    for (int h = 0; h < (a->q ? 2 : 1); h++) {
        IRv64 n = ld_half(s, a->rn, h), m = ld_half(s, a->rm, h);
        IRv64 r = a64_tmp(s), t = a64_tmp(s), d;

        switch (op) {
        case LOGIC_AND:
            ir_gen_and_i64(c, r, n, m);
            break;
        case LOGIC_BIC:
            ir_gen_andc_i64(c, r, n, m);
            break;
        case LOGIC_ORR:
            ir_gen_or_i64(c, r, n, m);
            break;
        case LOGIC_ORN:
            ir_gen_orc_i64(c, r, n, m);
            break;
        case LOGIC_EOR:
            ir_gen_xor_i64(c, r, n, m);
            break;
        case LOGIC_BSL:     /* d ? n : m, bitwise */
            d = ld_half(s, a->rd, h);
            ir_gen_xor_i64(c, t, n, m);
            ir_gen_and_i64(c, t, t, d);
            ir_gen_xor_i64(c, r, m, t);
            break;
        case LOGIC_BIT:     /* insert n where m is set */
        case LOGIC_BIF:     /* insert n where m is clear */
            d = ld_half(s, a->rd, h);
            ir_gen_xor_i64(c, t, d, n);
            if (op == LOGIC_BIT) {
                ir_gen_and_i64(c, t, t, m);
            } else {
                ir_gen_andc_i64(c, t, t, m);
            }
            ir_gen_xor_i64(c, r, d, t);
            break;
        }
        st_half(s, a->rd, h, r);
    }
    clear_high_if(s, a->rd, a->q);
    return true;
}

static bool trans_AND_v(DisasContext *s, arg_rrr_e *a) { return do_logic(s, a, LOGIC_AND); }
static bool trans_BIC_v(DisasContext *s, arg_rrr_e *a) { return do_logic(s, a, LOGIC_BIC); }
static bool trans_ORR_v(DisasContext *s, arg_rrr_e *a) { return do_logic(s, a, LOGIC_ORR); }
static bool trans_ORN_v(DisasContext *s, arg_rrr_e *a) { return do_logic(s, a, LOGIC_ORN); }
static bool trans_EOR_v(DisasContext *s, arg_rrr_e *a) { return do_logic(s, a, LOGIC_EOR); }
static bool trans_BSL(DisasContext *s, arg_rrr_e *a) { return do_logic(s, a, LOGIC_BSL); }
static bool trans_BIT(DisasContext *s, arg_rrr_e *a) { return do_logic(s, a, LOGIC_BIT); }
static bool trans_BIF(DisasContext *s, arg_rrr_e *a) { return do_logic(s, a, LOGIC_BIF); }

/*
 * Lane-wise add/sub within 64 bits: the top bit of each lane is computed
 * separately so that carries never cross lanes.
 */
static IRv64 gen_addsub_lanes(DisasContext *s, IRv64 n, IRv64 m, int esz,
                              bool sub)
{
    IRContext *c = ir(s);
    IRv64 r = a64_tmp(s), t = a64_tmp(s), u = a64_tmp(s);
    IRv64 hb = a64_const(s, dup_imm(1ull << ((8 << esz) - 1), esz));

    if (esz == 3) {
        if (sub) {
            ir_gen_sub_i64(c, r, n, m);
        } else {
            ir_gen_add_i64(c, r, n, m);
        }
        return r;
    }
    if (sub) {
        /* ((n | H) - (m & ~H)) ^ ((n ^ ~m) & H) */
        ir_gen_or_i64(c, t, n, hb);
        ir_gen_andc_i64(c, u, m, hb);
        ir_gen_sub_i64(c, r, t, u);
        ir_gen_xor_i64(c, t, n, m);
        ir_gen_andc_i64(c, t, hb, t);
    } else {
        /* ((n & ~H) + (m & ~H)) ^ ((n ^ m) & H) */
        ir_gen_andc_i64(c, t, n, hb);
        ir_gen_andc_i64(c, u, m, hb);
        ir_gen_add_i64(c, r, t, u);
        ir_gen_xor_i64(c, t, n, m);
        ir_gen_and_i64(c, t, t, hb);
    }
    ir_gen_xor_i64(c, r, r, t);
    return r;
}

static bool do_addsub(DisasContext *s, arg_rrr_e *a, bool sub, bool scalar)
{
    int nh = a->q ? 2 : 1;
    IRv64 r[2];

    if (scalar ? a->esz != 3 : !vsize_ok(a->q, a->esz, SZ_BHSD)) {
        return false;
    }
    if (!a64_fp_access_check(s)) {
        return true;
    }
    for (int h = 0; h < nh; h++) {
        r[h] = gen_addsub_lanes(s, ld_half(s, a->rn, h), ld_half(s, a->rm, h),
                                a->esz, sub);
    }
    for (int h = 0; h < nh; h++) {
        st_half(s, a->rd, h, r[h]);
    }
    clear_high_if(s, a->rd, a->q);
    return true;
}

static bool trans_ADD_v(DisasContext *s, arg_rrr_e *a) { return do_addsub(s, a, false, false); }
static bool trans_SUB_v(DisasContext *s, arg_rrr_e *a) { return do_addsub(s, a, true, false); }
static bool trans_ADD_s(DisasContext *s, arg_rrr_e *a) { return do_addsub(s, a, false, true); }
static bool trans_SUB_s(DisasContext *s, arg_rrr_e *a) { return do_addsub(s, a, true, true); }

/* ==== Three same (helpers) ==== */

#define TRANS_3V(NAME, OP, SIZES)                                           \
    static bool trans_##NAME(DisasContext *s, arg_rrr_e *a)                 \
    {                                                                       \
        return vsize_ok(a->q, a->esz, SIZES) &&                             \
               do_ew(s, a->q, a->esz, a->rd, a->rn, a->rm, 0, SIMD_B_VEC,   \
                     0, SIMD_OP_##OP);                                      \
    }
#define TRANS_3S(NAME, OP, SIZES)                                           \
    static bool trans_##NAME(DisasContext *s, arg_rrr_e *a)                 \
    {                                                                       \
        return ssize_ok(a->esz, SIZES) &&                                   \
               do_ew(s, 0, a->esz, a->rd, a->rn, a->rm, 1, SIMD_B_VEC,      \
                     0, SIMD_OP_##OP);                                      \
    }
#define TRANS_3P(NAME, OP, SIZES)                                           \
    static bool trans_##NAME(DisasContext *s, arg_rrr_e *a)                 \
    {                                                                       \
        return vsize_ok(a->q, a->esz, SIZES) &&                             \
               do_pairwise(s, a->q, a->esz, a->rd, a->rn, a->rm, 0,         \
                           SIMD_OP_##OP);                                   \
    }
#define TRANS_3F(NAME, OP, SCALAR)                                          \
    static bool trans_##NAME(DisasContext *s, arg_rrr_e *a)                 \
    {                                                                       \
        return fsize_ok(s, a->q, a->esz, SCALAR) &&                         \
               do_ew(s, a->q, a->esz, a->rd, a->rn, a->rm, SCALAR,          \
                     SIMD_B_VEC, 0, SIMD_OP_##OP);                          \
    }
#define TRANS_3FP(NAME, OP)                                                 \
    static bool trans_##NAME(DisasContext *s, arg_rrr_e *a)                 \
    {                                                                       \
        return fsize_ok(s, a->q, a->esz, false) &&                          \
               do_pairwise(s, a->q, a->esz, a->rd, a->rn, a->rm, 0,         \
                           SIMD_OP_##OP);                                   \
    }

TRANS_3V(SHADD, SHADD, SZ_BHS)
TRANS_3V(UHADD, UHADD, SZ_BHS)
TRANS_3V(SRHADD, SRHADD, SZ_BHS)
TRANS_3V(URHADD, URHADD, SZ_BHS)
TRANS_3V(SHSUB, SHSUB, SZ_BHS)
TRANS_3V(UHSUB, UHSUB, SZ_BHS)
TRANS_3V(SQADD_v, SQADD, SZ_BHSD)
TRANS_3V(UQADD_v, UQADD, SZ_BHSD)
TRANS_3V(SQSUB_v, SQSUB, SZ_BHSD)
TRANS_3V(UQSUB_v, UQSUB, SZ_BHSD)
TRANS_3V(CMGT_v, CMGT, SZ_BHSD)
TRANS_3V(CMHI_v, CMHI, SZ_BHSD)
TRANS_3V(CMGE_v, CMGE, SZ_BHSD)
TRANS_3V(CMHS_v, CMHS, SZ_BHSD)
TRANS_3V(CMTST_v, CMTST, SZ_BHSD)
TRANS_3V(CMEQ_v, CMEQ, SZ_BHSD)
TRANS_3V(SSHL_v, SSHL, SZ_BHSD)
TRANS_3V(USHL_v, USHL, SZ_BHSD)
TRANS_3V(SQSHL_v, SQSHL, SZ_BHSD)
TRANS_3V(UQSHL_v, UQSHL, SZ_BHSD)
TRANS_3V(SRSHL_v, SRSHL, SZ_BHSD)
TRANS_3V(URSHL_v, URSHL, SZ_BHSD)
TRANS_3V(SQRSHL_v, SQRSHL, SZ_BHSD)
TRANS_3V(UQRSHL_v, UQRSHL, SZ_BHSD)
TRANS_3V(SMAX, SMAX, SZ_BHS)
TRANS_3V(UMAX, UMAX, SZ_BHS)
TRANS_3V(SMIN, SMIN, SZ_BHS)
TRANS_3V(UMIN, UMIN, SZ_BHS)
TRANS_3V(SABD, SABD, SZ_BHS)
TRANS_3V(UABD, UABD, SZ_BHS)
TRANS_3V(SABA, SABA, SZ_BHS)
TRANS_3V(UABA, UABA, SZ_BHS)
TRANS_3V(MLA, MLA, SZ_BHS)
TRANS_3V(MLS, MLS, SZ_BHS)
TRANS_3V(MUL, MUL, SZ_BHS)
TRANS_3V(PMUL, PMUL, SZ_B)
TRANS_3V(SQDMULH_v, SQDMULH, SZ_HS)
TRANS_3V(SQRDMULH_v, SQRDMULH, SZ_HS)
TRANS_3P(SMAXP, SMAX, SZ_BHS)
TRANS_3P(UMAXP, UMAX, SZ_BHS)
TRANS_3P(SMINP, SMIN, SZ_BHS)
TRANS_3P(UMINP, UMIN, SZ_BHS)
TRANS_3P(ADDP_v, ADD, SZ_BHSD)

TRANS_3S(SQADD_s, SQADD, SZ_BHSD)
TRANS_3S(UQADD_s, UQADD, SZ_BHSD)
TRANS_3S(SQSUB_s, SQSUB, SZ_BHSD)
TRANS_3S(UQSUB_s, UQSUB, SZ_BHSD)
TRANS_3S(CMGT_s, CMGT, SZ_D)
TRANS_3S(CMHI_s, CMHI, SZ_D)
TRANS_3S(CMGE_s, CMGE, SZ_D)
TRANS_3S(CMHS_s, CMHS, SZ_D)
TRANS_3S(CMTST_s, CMTST, SZ_D)
TRANS_3S(CMEQ_s, CMEQ, SZ_D)
TRANS_3S(SSHL_s, SSHL, SZ_D)
TRANS_3S(USHL_s, USHL, SZ_D)
TRANS_3S(SRSHL_s, SRSHL, SZ_D)
TRANS_3S(URSHL_s, URSHL, SZ_D)
TRANS_3S(SQSHL_s, SQSHL, SZ_BHSD)
TRANS_3S(UQSHL_s, UQSHL, SZ_BHSD)
TRANS_3S(SQRSHL_s, SQRSHL, SZ_BHSD)
TRANS_3S(UQRSHL_s, UQRSHL, SZ_BHSD)
TRANS_3S(SQDMULH_s, SQDMULH, SZ_HS)
TRANS_3S(SQRDMULH_s, SQRDMULH, SZ_HS)

TRANS_3F(FMAXNM_v, FMAXNM, false)
TRANS_3F(FMINNM_v, FMINNM, false)
TRANS_3F(FMLA_v, FMLA, false)
TRANS_3F(FMLS_v, FMLS, false)
TRANS_3F(FADD_v, FADD, false)
TRANS_3F(FSUB_v, FSUB, false)
TRANS_3F(FMULX_v, FMULX, false)
TRANS_3F(FMUL_v, FMUL, false)
TRANS_3F(FDIV_v, FDIV, false)
TRANS_3F(FMAX_v, FMAX, false)
TRANS_3F(FMIN_v, FMIN, false)
TRANS_3F(FABD_v, FABD, false)
TRANS_3F(FRECPS_v, FRECPS, false)
TRANS_3F(FRSQRTS_v, FRSQRTS, false)
TRANS_3F(FCMEQ_v, FCMEQ, false)
TRANS_3F(FCMGE_v, FCMGE, false)
TRANS_3F(FCMGT_v, FCMGT, false)
TRANS_3F(FACGE_v, FACGE, false)
TRANS_3F(FACGT_v, FACGT, false)
TRANS_3FP(FADDP_v, FADD)
TRANS_3FP(FMAXP_v, FMAX)
TRANS_3FP(FMINP_v, FMIN)
TRANS_3FP(FMAXNMP_v, FMAXNM)
TRANS_3FP(FMINNMP_v, FMINNM)

TRANS_3F(FMULX_s, FMULX, true)
TRANS_3F(FABD_s, FABD, true)
TRANS_3F(FRECPS_s, FRECPS, true)
TRANS_3F(FRSQRTS_s, FRSQRTS, true)
TRANS_3F(FCMEQ_s, FCMEQ, true)
TRANS_3F(FCMGE_s, FCMGE, true)
TRANS_3F(FCMGT_s, FCMGT, true)
TRANS_3F(FACGE_s, FACGE, true)
TRANS_3F(FACGT_s, FACGT, true)

/* ---- three-register extension: RDM and dot product ---- */

static bool trans_SQRDMLAH_v(DisasContext *s, arg_rrr_e *a)
{
    return have_rdm(s) && vsize_ok(a->q, a->esz, SZ_HS) &&
           do_ew(s, a->q, a->esz, a->rd, a->rn, a->rm, 0, SIMD_B_VEC, 0,
                 SIMD_OP_SQRDMLAH);
}

static bool trans_SQRDMLSH_v(DisasContext *s, arg_rrr_e *a)
{
    return have_rdm(s) && vsize_ok(a->q, a->esz, SZ_HS) &&
           do_ew(s, a->q, a->esz, a->rd, a->rn, a->rm, 0, SIMD_B_VEC, 0,
                 SIMD_OP_SQRDMLSH);
}

static bool trans_SQRDMLAH_s(DisasContext *s, arg_rrr_e *a)
{
    return have_rdm(s) && ssize_ok(a->esz, SZ_HS) &&
           do_ew(s, 0, a->esz, a->rd, a->rn, a->rm, 1, SIMD_B_VEC, 0,
                 SIMD_OP_SQRDMLAH);
}

static bool trans_SQRDMLSH_s(DisasContext *s, arg_rrr_e *a)
{
    return have_rdm(s) && ssize_ok(a->esz, SZ_HS) &&
           do_ew(s, 0, a->esz, a->rd, a->rn, a->rm, 1, SIMD_B_VEC, 0,
                 SIMD_OP_SQRDMLSH);
}

static bool do_dot(DisasContext *s, bool feature, int q, int rd, int rn,
                   int rm, int bsrc, int idx, int op)
{
    if (!feature) {
        return false;
    }
    return gen_simd(s, gen_helper_simd_dot,
                    simd_desc(rd, rn, rm, 2, q, 0, bsrc, idx), op);
}

#define DOT_SS (SIMD_DOT_NSIGNED | SIMD_DOT_MSIGNED)
#define TRANS_DOT_V(NAME, FEAT, OP)                                         \
    static bool trans_##NAME(DisasContext *s, arg_rrr_e *a)                 \
    {                                                                       \
        return do_dot(s, FEAT(s), a->q, a->rd, a->rn, a->rm, SIMD_B_VEC, 0, \
                      OP);                                                  \
    }
#define TRANS_DOT_X(NAME, FEAT, OP)                                         \
    static bool trans_##NAME(DisasContext *s, arg_rrx_e *a)                 \
    {                                                                       \
        return do_dot(s, FEAT(s), a->q, a->rd, a->rn, a->rm, SIMD_B_ELT,    \
                      a->idx, OP);                                          \
    }

TRANS_DOT_V(SDOT_v, have_dotprod, DOT_SS)
TRANS_DOT_V(UDOT_v, have_dotprod, 0)
TRANS_DOT_V(USDOT_v, have_i8mm, SIMD_DOT_MSIGNED)
TRANS_DOT_V(SMMLA, have_i8mm, DOT_SS | SIMD_DOT_MMLA)
TRANS_DOT_V(UMMLA, have_i8mm, SIMD_DOT_MMLA)
TRANS_DOT_V(USMMLA, have_i8mm, SIMD_DOT_MSIGNED | SIMD_DOT_MMLA)
TRANS_DOT_X(SDOT_x, have_dotprod, DOT_SS)
TRANS_DOT_X(UDOT_x, have_dotprod, 0)
TRANS_DOT_X(USDOT_x, have_i8mm, SIMD_DOT_MSIGNED)
TRANS_DOT_X(SUDOT_x, have_i8mm, SIMD_DOT_NSIGNED)

/* ---- FCMA, FHM and BF16 ---- */

static bool trans_FCMLA_v(DisasContext *s, arg_fcmla *a)
{
    return have_fcma(s) && fsize_ok(s, a->q, a->esz, false) &&
           gen_simd(s, gen_helper_simd_fcmla,
                    simd_desc(a->rd, a->rn, a->rm, a->esz, a->q, 0,
                              SIMD_B_VEC, 0), a->rot);
}

static bool trans_FCADD(DisasContext *s, arg_fcmla *a)
{
    return have_fcma(s) && fsize_ok(s, a->q, a->esz, false) &&
           gen_simd(s, gen_helper_simd_fcmla,
                    simd_desc(a->rd, a->rn, a->rm, a->esz, a->q, 0,
                              SIMD_B_VEC, 0), 4 | a->rot);
}

static bool trans_FCMLA_x(DisasContext *s, arg_fcmla *a)
{
    /* the pair index must exist in the 64-bit form; singles need 128 bits */
    if (!have_fcma(s) || !fsize_ok(s, a->q, a->esz, false) ||
        (a->esz == 2 && !a->q) || (a->esz == 1 && !a->q && a->idx >= 2)) {
        return false;
    }
    return gen_simd(s, gen_helper_simd_fcmla,
                    simd_desc(a->rd, a->rn, a->rm, a->esz, a->q, 0,
                              SIMD_B_ELT, a->idx), a->rot);
}

#define TRANS_FMLAL(NAME, OP, ARG, BSRC, IDX)                               \
    static bool trans_##NAME(DisasContext *s, ARG *a)                       \
    {                                                                       \
        return have_fhm(s) &&                                               \
               gen_simd(s, gen_helper_simd_fmlal,                           \
                        simd_desc(a->rd, a->rn, a->rm, 2, a->q, 0, BSRC,    \
                                  IDX), OP);                                \
    }

TRANS_FMLAL(FMLAL_v, 0, arg_rrr_e, SIMD_B_VEC, 0)
TRANS_FMLAL(FMLSL_v, 1, arg_rrr_e, SIMD_B_VEC, 0)
TRANS_FMLAL(FMLAL2_v, 2, arg_rrr_e, SIMD_B_VEC, 0)
TRANS_FMLAL(FMLSL2_v, 3, arg_rrr_e, SIMD_B_VEC, 0)
TRANS_FMLAL(FMLAL_x, 0, arg_rrx_e, SIMD_B_ELT, a->idx)
TRANS_FMLAL(FMLSL_x, 1, arg_rrx_e, SIMD_B_ELT, a->idx)
TRANS_FMLAL(FMLAL2_x, 2, arg_rrx_e, SIMD_B_ELT, a->idx)
TRANS_FMLAL(FMLSL2_x, 3, arg_rrx_e, SIMD_B_ELT, a->idx)

#define TRANS_BF16(NAME, OP, ARG, BSRC, IDX)                                \
    static bool trans_##NAME(DisasContext *s, ARG *a)                       \
    {                                                                       \
        return have_bf16(s) &&                                              \
               gen_simd(s, gen_helper_simd_bf16,                            \
                        simd_desc(a->rd, a->rn, a->rm, 1, a->q, 0, BSRC,    \
                                  IDX), SIMD_BF16_##OP);                    \
    }

TRANS_BF16(BFDOT_v, DOT, arg_rrr_e, SIMD_B_VEC, 0)
TRANS_BF16(BFMMLA, MMLA, arg_rrr_e, SIMD_B_VEC, 0)
TRANS_BF16(BFMLAL_v, MLAL, arg_rrr_e, SIMD_B_VEC, 0)
TRANS_BF16(BFDOT_x, DOT, arg_rrx_e, SIMD_B_ELT, a->idx)
TRANS_BF16(BFMLAL_x, MLAL, arg_rrx_e, SIMD_B_ELT, a->idx)

/* ==== Three different ==== */

#define SGN SIMD_DESC_SIGNED
#define TRANS_3L(NAME, OP, FLAGS, SIZES)                                    \
    static bool trans_##NAME(DisasContext *s, arg_rrr_e *a)                 \
    {                                                                       \
        return ssize_ok(a->esz, SIZES) &&                                   \
               do_long(s, a->q, a->esz, a->rd, a->rn, a->rm, 0, SIMD_B_VEC, \
                       0, SIMD_OP_##OP, FLAGS);                             \
    }
#define TRANS_3N(NAME, OP)                                                  \
    static bool trans_##NAME(DisasContext *s, arg_rrr_e *a)                 \
    {                                                                       \
        return ssize_ok(a->esz, SZ_BHS) &&                                  \
               do_narrow(s, a->q, a->esz, a->rd, a->rn, a->rm, 0,           \
                         SIMD_B_VEC, 0, SIMD_OP_##OP);                      \
    }

TRANS_3L(SADDL, ADD, SGN, SZ_BHS)
TRANS_3L(UADDL, ADD, 0, SZ_BHS)
TRANS_3L(SADDW, ADD, SGN | SIMD_DESC_NWIDE, SZ_BHS)
TRANS_3L(UADDW, ADD, SIMD_DESC_NWIDE, SZ_BHS)
TRANS_3L(SSUBL, SUB, SGN, SZ_BHS)
TRANS_3L(USUBL, SUB, 0, SZ_BHS)
TRANS_3L(SSUBW, SUB, SGN | SIMD_DESC_NWIDE, SZ_BHS)
TRANS_3L(USUBW, SUB, SIMD_DESC_NWIDE, SZ_BHS)
TRANS_3L(SABAL, SABA, SGN, SZ_BHS)
TRANS_3L(UABAL, UABA, 0, SZ_BHS)
TRANS_3L(SABDL, SABD, SGN, SZ_BHS)
TRANS_3L(UABDL, UABD, 0, SZ_BHS)
TRANS_3L(SMLAL_v, MLA, SGN, SZ_BHS)
TRANS_3L(UMLAL_v, MLA, 0, SZ_BHS)
TRANS_3L(SMLSL_v, MLS, SGN, SZ_BHS)
TRANS_3L(UMLSL_v, MLS, 0, SZ_BHS)
TRANS_3L(SMULL_v, MUL, SGN, SZ_BHS)
TRANS_3L(UMULL_v, MUL, 0, SZ_BHS)
TRANS_3L(SQDMLAL_v, SQDMLAL, SGN, SZ_HS)
TRANS_3L(SQDMLSL_v, SQDMLSL, SGN, SZ_HS)
TRANS_3L(SQDMULL_v, SQDMULL, SGN, SZ_HS)
TRANS_3N(ADDHN, ADDHN)
TRANS_3N(RADDHN, RADDHN)
TRANS_3N(SUBHN, SUBHN)
TRANS_3N(RSUBHN, RSUBHN)

static bool trans_PMULL(DisasContext *s, arg_rrr_e *a)
{
    if (a->esz == 3) {
        /* 64 x 64 -> 128 (crypto); the helper reads the part from q */
        return have_pmull(s) &&
               gen_simd(s, gen_helper_simd_crypto,
                        simd_desc(a->rd, a->rn, a->rm, 0, a->q, 0, 0, 0),
                        SIMD_CRYPTO_PMULL64);
    }
    return a->esz == 0 &&
           do_long(s, a->q, 0, a->rd, a->rn, a->rm, 0, SIMD_B_VEC, 0,
                   SIMD_OP_PMULL, 0);
}

static bool trans_SQDMLAL_s(DisasContext *s, arg_rrr_e *a)
{
    return ssize_ok(a->esz, SZ_HS) &&
           do_long(s, 0, a->esz, a->rd, a->rn, a->rm, 1, SIMD_B_VEC, 0,
                   SIMD_OP_SQDMLAL, SGN);
}

static bool trans_SQDMLSL_s(DisasContext *s, arg_rrr_e *a)
{
    return ssize_ok(a->esz, SZ_HS) &&
           do_long(s, 0, a->esz, a->rd, a->rn, a->rm, 1, SIMD_B_VEC, 0,
                   SIMD_OP_SQDMLSL, SGN);
}

static bool trans_SQDMULL_s(DisasContext *s, arg_rrr_e *a)
{
    return ssize_ok(a->esz, SZ_HS) &&
           do_long(s, 0, a->esz, a->rd, a->rn, a->rm, 1, SIMD_B_VEC, 0,
                   SIMD_OP_SQDMULL, SGN);
}

#include "translate-a64-simd-misc.c.inc"
#include "translate-a64-simd-ldst.c.inc"
