/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A64 loads and stores: every immediate and register addressing mode of
 * single and pair transfers (general-purpose and SIMD&FP registers),
 * literals, load-acquire/store-release, the exclusive monitor and the LSE
 * atomics. Plain accesses go through the inline TLB fast path; the
 * store-exclusive, CAS and the atomic operations are helpers working on the
 * host page with host atomics, so they are correct across vCPU threads.
 */
#include "target/arm/translate-a64-base.h"

static MemOp ldst_memop(int sz, bool sign)
{
    return (MemOp)(sz | (sign ? MO_SIGN : 0) | MO_LE);
}

/* Address of an immediate-offset access: base + imm unless post-indexed. */
static IRv64 gen_addr_imm(DisasContext *s, int rn, int64_t imm, bool post)
{
    IRv64 addr = a64_tmp(s);

    ir_gen_addi_i64(s->ir, addr, a64_x_sp(s, rn), post ? 0 : imm);
    return addr;
}

static void gen_writeback(DisasContext *s, int rn, IRv64 addr, int64_t imm, bool post)
{
    IRv64 nb = a64_tmp(s);

    ir_gen_addi_i64(s->ir, nb, addr, post ? imm : 0);
    a64_set_x_sp(s, rn, nb);
}

/* ---- general-purpose register transfers ---- */

static void gen_load_gpr(DisasContext *s, int rt, IRv64 addr, int sz, bool sign, bool to32,
                         int mmu_idx)
{
    IRv64 v = a64_tmp(s);

    ir_gen_qemu_ld_i64(s->ir, v, addr, mmu_idx, ldst_memop(sz, sign));
    if (to32) {
        a64_set_w(s, rt, v);
    } else {
        a64_set_x(s, rt, v);
    }
}

static void gen_store_gpr(DisasContext *s, int rt, IRv64 addr, int sz, int mmu_idx)
{
    ir_gen_qemu_st_i64(s->ir, a64_x(s, rt), addr, mmu_idx, ldst_memop(sz, false));
}

static int ldst_mmu_idx(DisasContext *s, bool unpriv)
{
    /* LDTR/STTR at EL1 act as EL0 unless PSTATE.UAO (then as EL1, PAN applying). */
    return unpriv && s->el == 1 && !(s->tb->flags & ARM_HF_UAO) ? ARM_MMU_IDX_EL0 : s->mmu_idx;
}

static bool do_ldst_i(DisasContext *s, arg_ldst *a, bool is_load)
{
    int mmu_idx = ldst_mmu_idx(s, a->unpriv);
    IRv64 addr = gen_addr_imm(s, a->rn, a->imm, a->post);

    if (is_load) {
        gen_load_gpr(s, a->rt, addr, a->sz, a->sign, a->to32, mmu_idx);
    } else {
        gen_store_gpr(s, a->rt, addr, a->sz, mmu_idx);
    }
    if (a->wback) {
        gen_writeback(s, a->rn, addr, a->imm, a->post);
    }
    return true;
}

TRANS(STR_i)
{
    return do_ldst_i(s, a, false);
}

TRANS(LDR_i)
{
    return do_ldst_i(s, a, true);
}

TRANS(LDRS_i)
{
    return do_ldst_i(s, a, true);
}

TRANS(PRFM_i)
{
    return true;
}

/* Register offset: extend(Rm, opt) << (s ? sz : 0). */
static IRv64 gen_addr_reg(DisasContext *s, int rn, int rm, int opt, int shift)
{
    IRContext *ir = s->ir;
    IRv64 off = a64_tmp(s), addr = a64_tmp(s), m = a64_x(s, rm);

    switch (opt) {
    case 2:     /* UXTW */
        ir_gen_ext32u_i64(ir, off, m);
        break;
    case 6:     /* SXTW */
        ir_gen_ext32s_i64(ir, off, m);
        break;
    default:    /* LSL (UXTX), SXTX */
        ir_gen_mov_i64(ir, off, m);
        break;
    }
    if (shift) {
        ir_gen_shli_i64(ir, off, off, shift);
    }
    ir_gen_add_i64(ir, addr, a64_x_sp(s, rn), off);
    return addr;
}

static bool do_ldst_r(DisasContext *s, arg_ldst_r *a, bool is_load)
{
    IRv64 addr = gen_addr_reg(s, a->rn, a->rm, a->opt, a->s ? a->sz : 0);

    if (is_load) {
        gen_load_gpr(s, a->rt, addr, a->sz, a->sign, a->to32, s->mmu_idx);
    } else {
        gen_store_gpr(s, a->rt, addr, a->sz, s->mmu_idx);
    }
    return true;
}

TRANS(STR_r)
{
    return do_ldst_r(s, a, false);
}

TRANS(LDR_r)
{
    return do_ldst_r(s, a, true);
}

TRANS(LDRS_r)
{
    return do_ldst_r(s, a, true);
}

TRANS(PRFM_r)
{
    return true;
}

TRANS(LDR_lit)
{
    gen_load_gpr(s, a->rt, a64_const(s, s->pc_curr + a->imm), a->sz, a->sign, false,
                 s->mmu_idx);
    return true;
}

TRANS(LDRSW_lit)
{
    gen_load_gpr(s, a->rt, a64_const(s, s->pc_curr + a->imm), a->sz, true, false,
                 s->mmu_idx);
    return true;
}

TRANS(PRFM_lit)
{
    return true;
}

/* ---- SIMD&FP register transfers ---- */

static void gen_load_vreg(DisasContext *s, int rt, IRv64 addr, int sz)
{
    IRContext *ir = s->ir;
    IRv64 lo = a64_tmp(s);

    if (sz == 4) {
        IRv64 a8 = a64_tmp(s), hi = a64_tmp(s);
        ir_gen_qemu_ld_i64(ir, lo, addr, s->mmu_idx, MO_UQ | MO_LE);
        ir_gen_addi_i64(ir, a8, addr, 8);
        ir_gen_qemu_ld_i64(ir, hi, a8, s->mmu_idx, MO_UQ | MO_LE);
        a64_write_vreg_i64(s, rt, 0, lo);
        a64_write_vreg_i64(s, rt, 1, hi);
    } else {
        ir_gen_qemu_ld_i64(ir, lo, addr, s->mmu_idx, ldst_memop(sz, false));
        a64_write_vreg_i64(s, rt, 0, lo);
        a64_clear_vreg_high(s, rt, 8);
    }
}

static void gen_store_vreg(DisasContext *s, int rt, IRv64 addr, int sz)
{
    IRContext *ir = s->ir;
    IRv64 lo = a64_tmp(s);

    a64_read_vreg_i64(s, lo, rt, 0);
    if (sz == 4) {
        IRv64 a8 = a64_tmp(s), hi = a64_tmp(s);
        ir_gen_qemu_st_i64(ir, lo, addr, s->mmu_idx, MO_UQ | MO_LE);
        ir_gen_addi_i64(ir, a8, addr, 8);
        a64_read_vreg_i64(s, hi, rt, 1);
        ir_gen_qemu_st_i64(ir, hi, a8, s->mmu_idx, MO_UQ | MO_LE);
    } else {
        ir_gen_qemu_st_i64(ir, lo, addr, s->mmu_idx, ldst_memop(sz, false));
    }
}

static bool do_ldst_v_i(DisasContext *s, arg_ldst *a, bool is_load)
{
    IRv64 addr;

    if (!a64_fp_access_check(s)) {
        return true;
    }
    addr = gen_addr_imm(s, a->rn, a->imm, a->post);
    if (is_load) {
        gen_load_vreg(s, a->rt, addr, a->sz);
    } else {
        gen_store_vreg(s, a->rt, addr, a->sz);
    }
    if (a->wback) {
        gen_writeback(s, a->rn, addr, a->imm, a->post);
    }
    return true;
}

TRANS(STR_v_i)
{
    return do_ldst_v_i(s, a, false);
}

TRANS(LDR_v_i)
{
    return do_ldst_v_i(s, a, true);
}

static bool do_ldst_v_r(DisasContext *s, arg_ldst_r *a, bool is_load)
{
    IRv64 addr;

    if (!a64_fp_access_check(s)) {
        return true;
    }
    addr = gen_addr_reg(s, a->rn, a->rm, a->opt, a->s ? a->sz : 0);
    if (is_load) {
        gen_load_vreg(s, a->rt, addr, a->sz);
    } else {
        gen_store_vreg(s, a->rt, addr, a->sz);
    }
    return true;
}

TRANS(STR_v_r)
{
    return do_ldst_v_r(s, a, false);
}

TRANS(LDR_v_r)
{
    return do_ldst_v_r(s, a, true);
}

TRANS(LDR_v_lit)
{
    if (!a64_fp_access_check(s)) {
        return true;
    }
    gen_load_vreg(s, a->rt, a64_const(s, s->pc_curr + a->imm), a->sz);
    return true;
}

/* ---- pairs ---- */

static bool do_ldstpair(DisasContext *s, arg_ldstpair *a, bool is_load, bool sign)
{
    IRContext *ir = s->ir;
    IRv64 addr = gen_addr_imm(s, a->rn, a->imm, a->post);
    IRv64 addr2 = a64_tmp(s);
    MemOp mop = ldst_memop(a->sz, sign);

    ir_gen_addi_i64(ir, addr2, addr, 1 << a->sz);
    if (is_load) {
        IRv64 v1 = a64_tmp(s), v2 = a64_tmp(s);
        /* Both loads before any register write: Rt or Rt2 may be the base. */
        ir_gen_qemu_ld_i64(ir, v1, addr, s->mmu_idx, mop);
        ir_gen_qemu_ld_i64(ir, v2, addr2, s->mmu_idx, mop);
        a64_set_x(s, a->rt, v1);
        a64_set_x(s, a->rt2, v2);
    } else {
        ir_gen_qemu_st_i64(ir, a64_x(s, a->rt), addr, s->mmu_idx, mop);
        ir_gen_qemu_st_i64(ir, a64_x(s, a->rt2), addr2, s->mmu_idx, mop);
    }
    if (a->wback) {
        gen_writeback(s, a->rn, addr, a->imm, a->post);
    }
    return true;
}

TRANS(STP)
{
    return do_ldstpair(s, a, false, false);
}

TRANS(LDP)
{
    return do_ldstpair(s, a, true, false);
}

TRANS(LDPSW)
{
    return do_ldstpair(s, a, true, true);
}

TRANS(STNP)
{
    return do_ldstpair(s, a, false, false);
}

TRANS(LDNP)
{
    return do_ldstpair(s, a, true, false);
}

static bool do_ldstpair_v(DisasContext *s, arg_ldstpair *a, bool is_load)
{
    IRv64 addr, addr2;

    if (!a64_fp_access_check(s)) {
        return true;
    }
    addr = gen_addr_imm(s, a->rn, a->imm, a->post);
    addr2 = a64_tmp(s);
    ir_gen_addi_i64(s->ir, addr2, addr, 1 << a->sz);
    if (is_load) {
        gen_load_vreg(s, a->rt, addr, a->sz);
        gen_load_vreg(s, a->rt2, addr2, a->sz);
    } else {
        gen_store_vreg(s, a->rt, addr, a->sz);
        gen_store_vreg(s, a->rt2, addr2, a->sz);
    }
    if (a->wback) {
        gen_writeback(s, a->rn, addr, a->imm, a->post);
    }
    return true;
}

TRANS(STP_v)
{
    return do_ldstpair_v(s, a, false);
}

TRANS(LDP_v)
{
    return do_ldstpair_v(s, a, true);
}

TRANS(STNP_v)
{
    return do_ldstpair_v(s, a, false);
}

TRANS(LDNP_v)
{
    return do_ldstpair_v(s, a, true);
}

/* ---- ordered ---- */

static void gen_acquire(DisasContext *s)
{
    ir_gen_mb(s->ir, IR_MB_LD_LD | IR_MB_LD_ST);
}

static void gen_release(DisasContext *s)
{
    ir_gen_mb(s->ir, IR_MB_ALL);
}

static bool do_load_acquire(DisasContext *s, arg_ldstord *a)
{
    IRv64 addr = a64_tmp(s);

    ir_gen_mov_i64(s->ir, addr, a64_x_sp(s, a->rn));
    gen_load_gpr(s, a->rt, addr, a->sz, false, false, s->mmu_idx);
    gen_acquire(s);
    return true;
}

static bool do_store_release(DisasContext *s, arg_ldstord *a)
{
    gen_release(s);
    gen_store_gpr(s, a->rt, a64_x_sp(s, a->rn), a->sz, s->mmu_idx);
    return true;
}

TRANS(LDAR)
{
    return do_load_acquire(s, a);
}

TRANS(LDLAR)
{
    return do_load_acquire(s, a);
}

TRANS(LDAPR)
{
    return do_load_acquire(s, a);
}

TRANS(STLR)
{
    return do_store_release(s, a);
}

TRANS(STLLR)
{
    return do_store_release(s, a);
}

/* ---- exclusives ---- */

static void gen_set_monitor(DisasContext *s, IRv64 addr, IRv64 val, IRv64 high)
{
    IRContext *ir = s->ir;

    ir_gen_st_i64(ir, addr, ir->env, offsetof(CPUARMState, exclusive_addr));
    ir_gen_st_i64(ir, val, ir->env, offsetof(CPUARMState, exclusive_val));
    ir_gen_st_i64(ir, high, ir->env, offsetof(CPUARMState, exclusive_high));
}

TRANS(LDXR)
{
    IRContext *ir = s->ir;
    IRv64 addr = a64_tmp(s), v = a64_tmp(s);

    ir_gen_mov_i64(ir, addr, a64_x_sp(s, a->rn));
    ir_gen_qemu_ld_i64(ir, v, addr, s->mmu_idx, ldst_memop(a->sz, false) | MO_ALIGN);
    gen_set_monitor(s, addr, v, a64_const(s, 0));
    a64_set_x(s, a->rt, v);
    if (a->lasr) {
        gen_acquire(s);
    }
    return true;
}

TRANS(LDXP)
{
    IRContext *ir = s->ir;
    IRv64 addr = a64_tmp(s), lo = a64_tmp(s), hi = a64_tmp(s);

    ir_gen_mov_i64(ir, addr, a64_x_sp(s, a->rn));
    if (a->sz == 2) {
        /* Two words read as one aligned doubleword. */
        ir_gen_qemu_ld_i64(ir, lo, addr, s->mmu_idx, MO_UQ | MO_LE | MO_ALIGN);
        gen_set_monitor(s, addr, lo, a64_const(s, 0));
        ir_gen_shri_i64(ir, hi, lo, 32);
        a64_set_w(s, a->rt, lo);
        a64_set_x(s, a->rt2, hi);
    } else {
        IRv64 a8 = a64_tmp(s);
        ir_gen_qemu_ld_i64(ir, lo, addr, s->mmu_idx, MO_UQ | MO_LE | MO_ALIGN_16);
        ir_gen_addi_i64(ir, a8, addr, 8);
        ir_gen_qemu_ld_i64(ir, hi, a8, s->mmu_idx, MO_UQ | MO_LE);
        gen_set_monitor(s, addr, lo, hi);
        a64_set_x(s, a->rt, lo);
        a64_set_x(s, a->rt2, hi);
    }
    if (a->lasr) {
        gen_acquire(s);
    }
    return true;
}

static void gen_stxr(DisasContext *s, int rs, int rn, IRv64 lo, IRv64 hi, int sz, bool pair,
                     bool release)
{
    IRv64 status = a64_tmp(s), addr = a64_tmp(s);

    if (release) {
        gen_release(s);
    }
    ir_gen_mov_i64(s->ir, addr, a64_x_sp(s, rn));
    gen_helper_stxr(s->ir, status, s->ir->env, addr, lo, hi,
                    a64_const(s, ARM_MEMDESC(sz, pair, 0, s->mmu_idx)));
    a64_set_x(s, rs, status);
}

TRANS(STXR)
{
    gen_stxr(s, a->rs, a->rn, a64_x(s, a->rt), a64_const(s, 0), a->sz, false, a->lasr);
    return true;
}

TRANS(STXP)
{
    if (a->sz == 2) {
        IRv64 v = a64_tmp(s);
        ir_gen_deposit_i64(s->ir, v, a64_x(s, a->rt), a64_x(s, a->rt2), 32, 32);
        gen_stxr(s, a->rs, a->rn, v, a64_const(s, 0), 3, false, a->lasr);
    } else {
        gen_stxr(s, a->rs, a->rn, a64_x(s, a->rt), a64_x(s, a->rt2), 3, true, a->lasr);
    }
    return true;
}

/* ---- LSE ---- */

static bool do_atomic(DisasContext *s, arg_atomic *a, int op)
{
    IRv64 old = a64_tmp(s), addr = a64_tmp(s);

    ir_gen_mov_i64(s->ir, addr, a64_x_sp(s, a->rn));
    gen_helper_atomic(s->ir, old, s->ir->env, addr, a64_x(s, a->rs),
                      a64_const(s, ARM_MEMDESC(a->sz, 0, op, s->mmu_idx)));
    a64_set_x(s, a->rt, old);
    return true;
}

TRANS(LDADD)
{
    return do_atomic(s, a, ARM_ATOMIC_ADD);
}

TRANS(LDCLR)
{
    return do_atomic(s, a, ARM_ATOMIC_CLR);
}

TRANS(LDEOR)
{
    return do_atomic(s, a, ARM_ATOMIC_EOR);
}

TRANS(LDSET)
{
    return do_atomic(s, a, ARM_ATOMIC_SET);
}

TRANS(LDSMAX)
{
    return do_atomic(s, a, ARM_ATOMIC_SMAX);
}

TRANS(LDSMIN)
{
    return do_atomic(s, a, ARM_ATOMIC_SMIN);
}

TRANS(LDUMAX)
{
    return do_atomic(s, a, ARM_ATOMIC_UMAX);
}

TRANS(LDUMIN)
{
    return do_atomic(s, a, ARM_ATOMIC_UMIN);
}

TRANS(SWP)
{
    return do_atomic(s, a, ARM_ATOMIC_SWP);
}

TRANS(CAS)
{
    IRv64 old = a64_tmp(s), addr = a64_tmp(s);

    ir_gen_mov_i64(s->ir, addr, a64_x_sp(s, a->rn));
    gen_helper_cas(s->ir, old, s->ir->env, addr, a64_x(s, a->rs), a64_x(s, a->rt),
                   a64_const(s, ARM_MEMDESC(a->sz, 0, 0, s->mmu_idx)));
    a64_set_x(s, a->rs, old);
    return true;
}

TRANS(CASP)
{
    IRContext *ir = s->ir;
    IRv64 addr = a64_tmp(s), lo = a64_tmp(s), hi = a64_tmp(s);

    if ((a->rs & 1) || (a->rt & 1)) {
        return false;
    }
    ir_gen_mov_i64(ir, addr, a64_x_sp(s, a->rn));
    if (a->sz == 2) {
        /* A pair of words is one doubleword compare-and-swap. */
        IRv64 cmp = a64_tmp(s), val = a64_tmp(s), old = a64_tmp(s);
        ir_gen_deposit_i64(ir, cmp, a64_x(s, a->rs), a64_x(s, a->rs + 1), 32, 32);
        ir_gen_deposit_i64(ir, val, a64_x(s, a->rt), a64_x(s, a->rt + 1), 32, 32);
        gen_helper_cas(ir, old, ir->env, addr, cmp, val,
                       a64_const(s, ARM_MEMDESC(3, 0, 0, s->mmu_idx)));
        ir_gen_ext32u_i64(ir, lo, old);
        ir_gen_shri_i64(ir, hi, old, 32);
    } else {
        gen_helper_casp(ir, ir->env, addr, a64_x(s, a->rs), a64_x(s, a->rs + 1),
                        a64_x(s, a->rt), a64_x(s, a->rt + 1));
        ir_gen_ld_i64(ir, lo, ir->env, offsetof(CPUARMState, scratch[0]));
        ir_gen_ld_i64(ir, hi, ir->env, offsetof(CPUARMState, scratch[1]));
    }
    a64_set_x(s, a->rs, lo);
    a64_set_x(s, a->rs + 1, hi);
    return true;
}
