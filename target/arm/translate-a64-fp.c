/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A64 scalar floating point: the trans functions of a64-simd.decode
 * (ARMv8.0 with the v8.2 half-precision forms, plus FRINT32/64 (v8.5),
 * BFCVT (v8.6) and FJCVTZS (v8.3) as QEMU's "max" has them). Moves,
 * absolute value, negation, selects and immediates are generated inline;
 * everything that rounds or raises FPSR flags is one call into
 * helper-fp.c, which runs the bit-exact arm_fp_* library.
 */
#include "target/arm/translate.h"
#include "target/arm/helper-fp.h"
#include "target/arm/fpu/fp-host.h"

#include "target/arm/a64-simd.c.inc"

/* The index's ftype: 0 single, 1 double, 3 half */
static int pt_esz(int pt)
{
    return pt == 0 ? ARMFP_S : pt == 1 ? ARMFP_D : ARMFP_H;
}

static uint64_t sign_bit(int esz)
{
    return 1ull << ((8 << esz) - 1);
}

static IRv32 c32(DisasContext *s, uint32_t v)
{
    return ir_const_i32(s->ir, v);
}

/* The low 1 << esz bytes of V[n], zero-extended */
static IRv64 fp_read(DisasContext *s, int n, int esz)
{
    IRv64 t = a64_tmp(s);

    ir_gen_ld_i64(s->ir, t, s->ir->env, a64_vreg_ofs(n));
    if (esz < 3) {
        ir_gen_extract_i64(s->ir, t, t, 0, 8u << esz);
    }
    return t;
}

static void fp_write(DisasContext *s, int n, IRv64 v, int esz)
{
    a64_write_vreg_scalar(s, n, v, esz);
}

/* ---- data processing, 2 sources ---- */

static bool do_fp2(DisasContext *s, arg_fp_rrr *a, int op)
{
    int esz = pt_esz(a->pt);
    IRv64 r;

    if (!a64_fp_access_check(s)) {
        return true;
    }
    r = a64_tmp(s);
    if (esz >= ARMFP_S && op <= ARMFP_OP_DIV) {
        /* the helpers with the host-FPU fast path */
        static void (*const gen[2][4])(IRContext *, IRv64, IRv64, IRv64, IRv64) = {
            { gen_helper_fp_add_s, gen_helper_fp_sub_s, gen_helper_fp_mul_s,
              gen_helper_fp_div_s },
            { gen_helper_fp_add_d, gen_helper_fp_sub_d, gen_helper_fp_mul_d,
              gen_helper_fp_div_d },
        };

        gen[esz - ARMFP_S][op](s->ir, r, s->ir->env, fp_read(s, a->rn, esz),
                               fp_read(s, a->rm, esz));
    } else {
        gen_helper_fp_2op(s->ir, r, s->ir->env, fp_read(s, a->rn, esz),
                          fp_read(s, a->rm, esz), c32(s, (uint32_t)op << 2 | esz));
    }
    fp_write(s, a->rd, r, esz);
    return true;
}

static bool trans_FMUL_s(DisasContext *s, arg_FMUL_s *a)
{
    return do_fp2(s, a, ARMFP_OP_MUL);
}

static bool trans_FDIV_s(DisasContext *s, arg_FDIV_s *a)
{
    return do_fp2(s, a, ARMFP_OP_DIV);
}

static bool trans_FADD_s(DisasContext *s, arg_FADD_s *a)
{
    return do_fp2(s, a, ARMFP_OP_ADD);
}

static bool trans_FSUB_s(DisasContext *s, arg_FSUB_s *a)
{
    return do_fp2(s, a, ARMFP_OP_SUB);
}

static bool trans_FMAX_s(DisasContext *s, arg_FMAX_s *a)
{
    return do_fp2(s, a, ARMFP_OP_MAX);
}

static bool trans_FMIN_s(DisasContext *s, arg_FMIN_s *a)
{
    return do_fp2(s, a, ARMFP_OP_MIN);
}

static bool trans_FMAXNM_s(DisasContext *s, arg_FMAXNM_s *a)
{
    return do_fp2(s, a, ARMFP_OP_MAXNM);
}

static bool trans_FMINNM_s(DisasContext *s, arg_FMINNM_s *a)
{
    return do_fp2(s, a, ARMFP_OP_MINNM);
}

static bool trans_FNMUL_s(DisasContext *s, arg_FNMUL_s *a)
{
    return do_fp2(s, a, ARMFP_OP_NMUL);
}

/* ---- data processing, 1 source ---- */

/* FMOV, FABS, FNEG: bit operations, no flags, NaNs untouched */
static bool do_fp_bits(DisasContext *s, arg_fp_rr *a, int kind)
{
    int esz = pt_esz(a->pt);
    IRv64 v, r;

    if (!a64_fp_access_check(s)) {
        return true;
    }
    v = fp_read(s, a->rn, esz);
    r = a64_tmp(s);
    if (kind == 0) {
        ir_gen_mov_i64(s->ir, r, v);
    } else if (kind == 1) {
        ir_gen_andi_i64(s->ir, r, v, ~sign_bit(esz));
    } else {
        ir_gen_xor_i64(s->ir, r, v, a64_const(s, sign_bit(esz)));
    }
    fp_write(s, a->rd, r, esz);
    return true;
}

static bool trans_FMOV_s(DisasContext *s, arg_FMOV_s *a)
{
    return do_fp_bits(s, a, 0);
}

static bool trans_FABS_s(DisasContext *s, arg_FABS_s *a)
{
    return do_fp_bits(s, a, 1);
}

static bool trans_FNEG_s(DisasContext *s, arg_FNEG_s *a)
{
    return do_fp_bits(s, a, 2);
}

static bool do_fp1(DisasContext *s, arg_fp_rr *a, uint32_t desc)
{
    int esz = pt_esz(a->pt);
    IRv64 r;

    if (!a64_fp_access_check(s)) {
        return true;
    }
    r = a64_tmp(s);
    gen_helper_fp_1op(s->ir, r, s->ir->env, fp_read(s, a->rn, esz), c32(s, desc | esz));
    fp_write(s, a->rd, r, esz);
    return true;
}

static bool trans_FSQRT_s(DisasContext *s, arg_FSQRT_s *a)
{
    return do_fp1(s, a, ARMFP_OP_SQRT << 2);
}

static bool do_frint(DisasContext *s, arg_fp_rr *a, int op, int rmode, bool exact)
{
    return do_fp1(s, a, (uint32_t)op << 2 | (uint32_t)rmode << 8 | (uint32_t)exact << 11);
}

static bool trans_FRINTN_s(DisasContext *s, arg_FRINTN_s *a)
{
    return do_frint(s, a, ARMFP_OP_RINT, ARMFP_RN, false);
}

static bool trans_FRINTP_s(DisasContext *s, arg_FRINTP_s *a)
{
    return do_frint(s, a, ARMFP_OP_RINT, ARMFP_RP, false);
}

static bool trans_FRINTM_s(DisasContext *s, arg_FRINTM_s *a)
{
    return do_frint(s, a, ARMFP_OP_RINT, ARMFP_RM, false);
}

static bool trans_FRINTZ_s(DisasContext *s, arg_FRINTZ_s *a)
{
    return do_frint(s, a, ARMFP_OP_RINT, ARMFP_RZ, false);
}

static bool trans_FRINTA_s(DisasContext *s, arg_FRINTA_s *a)
{
    return do_frint(s, a, ARMFP_OP_RINT, ARMFP_RA, false);
}

static bool trans_FRINTX_s(DisasContext *s, arg_FRINTX_s *a)
{
    return do_frint(s, a, ARMFP_OP_RINT, ARMFP_RMODE_FPCR, true);
}

static bool trans_FRINTI_s(DisasContext *s, arg_FRINTI_s *a)
{
    return do_frint(s, a, ARMFP_OP_RINT, ARMFP_RMODE_FPCR, false);
}

static bool trans_FRINT32Z_s(DisasContext *s, arg_FRINT32Z_s *a)
{
    return do_frint(s, a, ARMFP_OP_RINT32, ARMFP_RZ, true);
}

static bool trans_FRINT32X_s(DisasContext *s, arg_FRINT32X_s *a)
{
    return do_frint(s, a, ARMFP_OP_RINT32, ARMFP_RMODE_FPCR, true);
}

static bool trans_FRINT64Z_s(DisasContext *s, arg_FRINT64Z_s *a)
{
    return do_frint(s, a, ARMFP_OP_RINT64, ARMFP_RZ, true);
}

static bool trans_FRINT64X_s(DisasContext *s, arg_FRINT64X_s *a)
{
    return do_frint(s, a, ARMFP_OP_RINT64, ARMFP_RMODE_FPCR, true);
}

static bool do_fcvt(DisasContext *s, int rd, int rn, int from, int to)
{
    IRv64 r;

    if (!a64_fp_access_check(s)) {
        return true;
    }
    r = a64_tmp(s);
    gen_helper_fp_cvt(s->ir, r, s->ir->env, fp_read(s, rn, from),
                      c32(s, (uint32_t)from | (uint32_t)to << 2));
    fp_write(s, rd, r, to ? to : ARMFP_H);
    return true;
}

static bool trans_FCVT_s(DisasContext *s, arg_FCVT_s *a)
{
    if (a->opc == a->pt) {
        return false;
    }
    return do_fcvt(s, a->rd, a->rn, pt_esz(a->pt), pt_esz(a->opc));
}

static bool trans_BFCVT(DisasContext *s, arg_BFCVT *a)
{
    return do_fcvt(s, a->rd, a->rn, ARMFP_S, 0);
}

/* ---- compare, conditional compare, conditional select ---- */

static IRv64 gen_fcmp(DisasContext *s, int pt, int rn, int rm, bool z, bool e)
{
    int esz = pt_esz(pt);
    IRv64 r = a64_tmp(s);
    IRv64 b = z ? a64_const(s, 0) : fp_read(s, rm, esz);

    gen_helper_fp_cmp(s->ir, r, s->ir->env, fp_read(s, rn, esz),
                      b, c32(s, (uint32_t)esz | (uint32_t)e << 2));
    return r;
}

static bool trans_FCMP_s(DisasContext *s, arg_FCMP_s *a)
{
    if (!a64_fp_access_check(s)) {
        return true;
    }
    a64_set_nzcv(s, gen_fcmp(s, a->pt, a->rn, a->rm, a->z, a->e));
    return true;
}

static bool trans_FCCMP_s(DisasContext *s, arg_FCCMP_s *a)
{
    DisasCompare c;
    IRLabel *skip;
    IRv64 res;

    if (!a64_fp_access_check(s)) {
        return true;
    }
    /* the compare (and its FPSR flags) only happens when cond holds */
    res = ir_temp_local_i64(s->ir);
    skip = ir_label_new(s->ir);
    ir_gen_movi_i64(s->ir, res, (uint64_t)a->nzcv << 28);
    a64_test_cc(s, a->cond, &c);
    ir_gen_brcond_i64(s->ir, ir_cond_invert(c.cond), c.a, c.b, skip);
    ir_gen_mov_i64(s->ir, res, gen_fcmp(s, a->pt, a->rn, a->rm, false, a->e));
    ir_gen_set_label(s->ir, skip);
    a64_set_nzcv(s, res);
    return true;
}

static bool trans_FCSEL_s(DisasContext *s, arg_FCSEL_s *a)
{
    int esz = pt_esz(a->pt);
    DisasCompare c;
    IRv64 r;

    if (!a64_fp_access_check(s)) {
        return true;
    }
    r = a64_tmp(s);
    a64_test_cc(s, a->cond, &c);
    ir_gen_movcond_i64(s->ir, c.cond, r, c.a, c.b, fp_read(s, a->rn, esz),
                       fp_read(s, a->rm, esz));
    fp_write(s, a->rd, r, esz);
    return true;
}

/* ---- immediate ---- */

static bool trans_FMOV_i(DisasContext *s, arg_FMOV_i *a)
{
    int esz = pt_esz(a->pt);

    if (!a64_fp_access_check(s)) {
        return true;
    }
    fp_write(s, a->rd, a64_const(s, arm_fp_expand_imm(esz, (uint8_t)a->imm)), esz);
    return true;
}

/* ---- data processing, 3 sources ---- */

static bool do_fp3(DisasContext *s, arg_fp_rrrr *a, bool neg_product, bool neg_addend)
{
    int esz = pt_esz(a->pt);
    IRv64 n, c, r;

    if (!a64_fp_access_check(s)) {
        return true;
    }
    /* the pseudocode negates the operands, so NaN signs flip too */
    n = fp_read(s, a->rn, esz);
    c = fp_read(s, a->ra, esz);
    if (neg_product) {
        ir_gen_xor_i64(s->ir, n, n, a64_const(s, sign_bit(esz)));
    }
    if (neg_addend) {
        ir_gen_xor_i64(s->ir, c, c, a64_const(s, sign_bit(esz)));
    }
    r = a64_tmp(s);
    if (esz == ARMFP_D && fp_host_has_fma()) {
        gen_helper_fp_muladd_d_fma(s->ir, r, s->ir->env, c, n, fp_read(s, a->rm, esz));
    } else if (esz == ARMFP_S && fp_host_has_fma()) {
        gen_helper_fp_muladd_s_fma(s->ir, r, s->ir->env, c, n, fp_read(s, a->rm, esz));
    } else {
        gen_helper_fp_muladd(s->ir, r, s->ir->env, c, n, fp_read(s, a->rm, esz),
                             c32(s, esz));
    }
    fp_write(s, a->rd, r, esz);
    return true;
}

static bool trans_FMADD_s(DisasContext *s, arg_FMADD_s *a)
{
    return do_fp3(s, a, false, false);
}

static bool trans_FMSUB_s(DisasContext *s, arg_FMSUB_s *a)
{
    return do_fp3(s, a, true, false);
}

static bool trans_FNMADD_s(DisasContext *s, arg_FNMADD_s *a)
{
    return do_fp3(s, a, true, true);
}

static bool trans_FNMSUB_s(DisasContext *s, arg_FNMSUB_s *a)
{
    return do_fp3(s, a, false, true);
}

/* ---- conversions to and from integers and fixed point ---- */

static bool do_to_int(DisasContext *s, int sf, int pt, int rd, int rn, bool uns,
                      int rmode, int fbits)
{
    int esz = pt_esz(pt);
    IRv64 r;

    if (!a64_fp_access_check(s)) {
        return true;
    }
    r = a64_tmp(s);
    gen_helper_fp_to_fixed(s->ir, r, s->ir->env, fp_read(s, rn, esz),
                           c32(s, armfp_fix_desc(esz, uns, sf, rmode, fbits)));
    a64_set_x_sf(s, rd, r, sf);
    return true;
}

static bool do_from_int(DisasContext *s, int sf, int pt, int rd, int rn, bool uns, int fbits)
{
    int esz = pt_esz(pt);
    IRv64 r;

    if (!a64_fp_access_check(s)) {
        return true;
    }
    r = a64_tmp(s);
    gen_helper_fp_from_fixed(s->ir, r, s->ir->env, a64_x(s, rn),
                             c32(s, armfp_fix_desc(esz, uns, sf, ARMFP_RMODE_FPCR, fbits)));
    fp_write(s, rd, r, esz);
    return true;
}

static bool trans_FCVT_int(DisasContext *s, arg_FCVT_int *a)
{
    return do_to_int(s, a->sf, a->pt, a->rd, a->rn, a->u, a->rmode, 0);
}

static bool trans_FCVTZ_fix(DisasContext *s, arg_FCVTZ_fix *a)
{
    return do_to_int(s, a->sf, a->pt, a->rd, a->rn, a->u, ARMFP_RZ, 64 - a->scale);
}

static bool trans_CVTF_int(DisasContext *s, arg_CVTF_int *a)
{
    return do_from_int(s, a->sf, a->pt, a->rd, a->rn, a->u, 0);
}

static bool trans_CVTF_fix(DisasContext *s, arg_CVTF_fix *a)
{
    return do_from_int(s, a->sf, a->pt, a->rd, a->rn, a->u, 64 - a->scale);
}

static bool trans_FJCVTZS(DisasContext *s, arg_FJCVTZS *a)
{
    IRv64 r, z;

    if (!a64_fp_access_check(s)) {
        return true;
    }
    r = a64_tmp(s);
    z = a64_tmp(s);
    gen_helper_fp_jcvt(s->ir, r, s->ir->env, fp_read(s, a->rn, ARMFP_D));
    /* NZCV = 0Z00 */
    ir_gen_shri_i64(s->ir, z, r, 32);
    ir_gen_shli_i64(s->ir, z, z, 30);
    a64_set_w(s, a->rd, r);
    a64_set_nzcv(s, z);
    return true;
}

/* FMOV (general): W/X <-> H/S/D, and X <-> V.D[1] (part) */
static bool trans_FMOV_g(DisasContext *s, arg_FMOV_g *a)
{
    int esz = a->pt == 3 ? ARMFP_H : a->pt == 0 ? ARMFP_S : ARMFP_D;

    if (!a64_fp_access_check(s)) {
        return true;
    }
    if (a->tofp) {
        IRv64 v = a64_x(s, a->rn);

        if (a->part) {
            /* only the top half is written */
            a64_write_vreg_i64(s, a->rd, 1, v);
        } else {
            fp_write(s, a->rd, v, esz);
        }
    } else {
        IRv64 t;

        if (a->part) {
            t = a64_tmp(s);
            a64_read_vreg_i64(s, t, a->rn, 1);
        } else {
            t = fp_read(s, a->rn, esz);
        }
        a64_set_x_sf(s, a->rd, t, a->sf);
    }
    return true;
}

bool a64_decode_fp(DisasContext *s, uint32_t insn)
{
    return decode_a64_simd(s, insn);
}
