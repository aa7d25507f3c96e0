/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Later-extension instructions of a64-ext.decode: the FEAT_FlagM flag
 * manipulation RMIF and SETF8/16 (CFINV, and the FEAT_FlagM2 XAFLAG and
 * AXFLAG are MSR immediate encodings: a64_gen_flagm() serves
 * translate-a64-branch.c) and the FEAT_LRCPC2 unscaled load-acquire and
 * store-release (LDAPUR*, STLUR).
 */
#include "target/arm/translate.h"

#include "target/arm/a64-ext.c.inc"

static bool trans_RMIF(DisasContext *s, arg_RMIF *a)
{
    IRContext *ir = s->ir;
    IRv64 t = a64_tmp(s);

    ir_gen_rotr_i64(ir, t, a64_x(s, a->rn), a64_const(s, a->imm));
    if (a->mask & 8) {
        ir_gen_shli_i64(ir, s->cpu_NF, t, 60);          /* bit 3 -> N */
    }
    if (a->mask & 4) {
        ir_gen_andc_i64(ir, s->cpu_ZF, a64_const(s, 4), t);
    }
    if (a->mask & 2) {
        ir_gen_extract_i64(ir, s->cpu_CF, t, 1, 1);
    }
    if (a->mask & 1) {
        ir_gen_shli_i64(ir, s->cpu_VF, t, 63);
    }
    return true;
}

static bool trans_SETF(DisasContext *s, arg_SETF *a)
{
    IRContext *ir = s->ir;
    unsigned bits = a->sz ? 16 : 8;
    IRv64 x = a64_x(s, a->rn), t = a64_tmp(s);

    /* N = bit (bits-1), Z = low bits zero, V = bit bits ^ bit (bits-1); C kept. */
    ir_gen_shli_i64(ir, s->cpu_NF, x, 64 - bits);
    ir_gen_extract_i64(ir, s->cpu_ZF, x, 0, bits);
    ir_gen_shli_i64(ir, t, x, 1);
    ir_gen_xor_i64(ir, t, t, x);
    ir_gen_shli_i64(ir, s->cpu_VF, t, 63 - bits);
    return true;
}

bool a64_gen_flagm(DisasContext *s, int op2)
{
    IRContext *ir = s->ir;
    IRv64 z = a64_tmp(s), c = s->cpu_CF, t = a64_tmp(s), one = a64_const(s, 1);

    switch (op2) {
    case 0:     /* CFINV */
        ir_gen_xor_i64(ir, s->cpu_CF, s->cpu_CF, one);
        return true;
    case 1: {   /* XAFLAG */
        IRv64 nc = a64_tmp(s);
        ir_gen_setcond_i64(ir, IR_COND_EQ, z, s->cpu_ZF, a64_const(s, 0));
        ir_gen_xor_i64(ir, nc, c, one);
        ir_gen_or_i64(ir, t, c, z);                     /* N = !C && !Z */
        ir_gen_xor_i64(ir, t, t, one);
        ir_gen_neg_i64(ir, s->cpu_NF, t);
        ir_gen_and_i64(ir, t, nc, z);                   /* V = !C && Z */
        ir_gen_neg_i64(ir, s->cpu_VF, t);
        ir_gen_and_i64(ir, t, z, c);                    /* Z = Z && C */
        ir_gen_xor_i64(ir, s->cpu_ZF, t, one);
        ir_gen_or_i64(ir, s->cpu_CF, c, z);             /* C = C || Z */
        return true;
    }
    case 2: {   /* AXFLAG */
        IRv64 v = a64_tmp(s);
        ir_gen_shri_i64(ir, v, s->cpu_VF, 63);
        ir_gen_setcond_i64(ir, IR_COND_EQ, z, s->cpu_ZF, a64_const(s, 0));
        ir_gen_or_i64(ir, t, z, v);                     /* Z = Z || V */
        ir_gen_xor_i64(ir, s->cpu_ZF, t, one);
        ir_gen_andc_i64(ir, s->cpu_CF, c, v);           /* C = C && !V */
        ir_gen_movi_i64(ir, s->cpu_NF, 0);
        ir_gen_movi_i64(ir, s->cpu_VF, 0);
        return true;
    }
    default:
        return false;
    }
}

static bool trans_STLUR(DisasContext *s, arg_STLUR *a)
{
    IRv64 addr = a64_tmp(s);

    ir_gen_addi_i64(s->ir, addr, a64_x_sp(s, a->rn), a->imm);
    ir_gen_mb(s->ir, IR_MB_ALL);
    ir_gen_qemu_st_i64(s->ir, a64_x(s, a->rt), addr, s->mmu_idx, (MemOp)(a->sz | MO_LE));
    return true;
}

static bool trans_LDAPUR(DisasContext *s, arg_LDAPUR *a)
{
    IRv64 addr = a64_tmp(s), v = a64_tmp(s);

    ir_gen_addi_i64(s->ir, addr, a64_x_sp(s, a->rn), a->imm);
    ir_gen_qemu_ld_i64(s->ir, v, addr, s->mmu_idx,
                       (MemOp)(a->sz | MO_LE | (a->sign ? MO_SIGN : 0)));
    ir_gen_mb(s->ir, IR_MB_LD_LD | IR_MB_LD_ST);
    if (a->to32) {
        a64_set_w(s, a->rt, v);
    } else {
        a64_set_x(s, a->rt, v);
    }
    return true;
}

bool a64_decode_ext(DisasContext *s, uint32_t insn)
{
    return decode_a64_ext(s, insn);
}
