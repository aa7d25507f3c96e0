/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A64 integer data processing: PC-relative addresses, add/subtract and
 * logical operations with immediates, shifted and extended registers,
 * move-wide, bitfield moves, extract, shifts by register, bit and byte
 * reversal, leading bits, conditional compare and select, multiply(-add),
 * division and CRC32. 32-bit forms compute in 64 bits and write the
 * zero-extended low word; only where the upper half of an operand matters
 * (right shifts, rotates, compares, division) is it extended first.
 */
#include "target/arm/translate-a64-base.h"

/* Write a result to Rd, 31 being SP (ADD/SUB immediate, logical immediate). */
static void set_x_sp_sf(DisasContext *s, int rd, IRv64 v, int sf)
{
    if (sf) {
        a64_set_x_sp(s, rd, v);
    } else {
        ir_gen_ext32u_i64(s->ir, s->cpu_X[rd], v);
    }
}

/* ---- PC-relative ---- */

TRANS(ADR)
{
    a64_set_x(s, a->rd, a64_const(s, s->pc_curr + a->imm));
    return true;
}

TRANS(ADRP)
{
    a64_set_x(s, a->rd, a64_const(s, (s->pc_curr & ~0xfffull) + (uint64_t)a->imm));
    return true;
}

/* ---- add/subtract immediate ---- */

static bool do_addsub_i(DisasContext *s, arg_addsub_i *a, bool sub, bool setflags)
{
    IRv64 d = a64_tmp(s);
    IRv64 n = a64_x_sp(s, a->rn);
    IRv64 imm = a64_const(s, (uint64_t)a->imm << (12 * a->sh));

    if (setflags) {
        if (sub) {
            a64_gen_sub_flags(s, d, n, imm, a->sf);
        } else {
            a64_gen_add_flags(s, d, n, imm, a->sf);
        }
        a64_set_x_sf(s, a->rd, d, a->sf);
    } else {
        if (sub) {
            ir_gen_sub_i64(s->ir, d, n, imm);
        } else {
            ir_gen_add_i64(s->ir, d, n, imm);
        }
        set_x_sp_sf(s, a->rd, d, a->sf);
    }
    return true;
}

TRANS(ADD_i)
{
    return do_addsub_i(s, a, false, false);
}

TRANS(ADDS_i)
{
    return do_addsub_i(s, a, false, true);
}

TRANS(SUB_i)
{
    return do_addsub_i(s, a, true, false);
}

TRANS(SUBS_i)
{
    return do_addsub_i(s, a, true, true);
}

/* ---- logical immediate ---- */

typedef enum { LOGIC_AND, LOGIC_ORR, LOGIC_EOR, LOGIC_BIC, LOGIC_ORN, LOGIC_EON } LogicOp;

static void gen_logic(DisasContext *s, LogicOp op, IRv64 d, IRv64 n, IRv64 m)
{
    IRContext *ir = s->ir;

    switch (op) {
    case LOGIC_AND:
        ir_gen_and_i64(ir, d, n, m);
        break;
    case LOGIC_ORR:
        ir_gen_or_i64(ir, d, n, m);
        break;
    case LOGIC_EOR:
        ir_gen_xor_i64(ir, d, n, m);
        break;
    case LOGIC_BIC:
        ir_gen_andc_i64(ir, d, n, m);
        break;
    case LOGIC_ORN:
        ir_gen_orc_i64(ir, d, n, m);
        break;
    case LOGIC_EON: {
        IRv64 t = a64_tmp(s);
        ir_gen_not_i64(ir, t, m);
        ir_gen_xor_i64(ir, d, n, t);
        break;
    }
    }
}

static bool do_logic_i(DisasContext *s, arg_logic_i *a, LogicOp op, bool setflags)
{
    IRv64 d = a64_tmp(s);

    if (a->imm == 0) {
        return false;   /* reserved bitmask encoding */
    }
    gen_logic(s, op, d, a64_x(s, a->rn), a64_const(s, a->imm));
    if (setflags) {
        a64_gen_logic_flags(s, d, a->sf);
        a64_set_x_sf(s, a->rd, d, a->sf);
    } else {
        set_x_sp_sf(s, a->rd, d, a->sf);
    }
    return true;
}

TRANS(AND_i)
{
    return do_logic_i(s, a, LOGIC_AND, false);
}

TRANS(ORR_i)
{
    return do_logic_i(s, a, LOGIC_ORR, false);
}

TRANS(EOR_i)
{
    return do_logic_i(s, a, LOGIC_EOR, false);
}

TRANS(ANDS_i)
{
    return do_logic_i(s, a, LOGIC_AND, true);
}

/* ---- move wide ---- */

TRANS(MOVZ)
{
    a64_set_x_sf(s, a->rd, a64_const(s, (uint64_t)a->imm << a->pos), a->sf);
    return true;
}

TRANS(MOVN)
{
    a64_set_x_sf(s, a->rd, a64_const(s, ~((uint64_t)a->imm << a->pos)), a->sf);
    return true;
}

TRANS(MOVK)
{
    IRv64 d = a64_tmp(s);

    ir_gen_deposit_i64(s->ir, d, a64_x(s, a->rd), a64_const(s, a->imm), a->pos, 16);
    a64_set_x_sf(s, a->rd, d, a->sf);
    return true;
}

/* ---- bitfield ---- */

TRANS(SBFM)
{
    IRContext *ir = s->ir;
    unsigned width = a->sf ? 64 : 32;
    IRv64 d = a64_tmp(s), n = a64_x(s, a->rn);

    if (a->imms >= a->immr) {
        ir_gen_sextract_i64(ir, d, n, a->immr, a->imms - a->immr + 1);
    } else {
        ir_gen_sextract_i64(ir, d, n, 0, a->imms + 1);
        ir_gen_shli_i64(ir, d, d, width - a->immr);
    }
    a64_set_x_sf(s, a->rd, d, a->sf);
    return true;
}

TRANS(UBFM)
{
    IRContext *ir = s->ir;
    unsigned width = a->sf ? 64 : 32;
    IRv64 d = a64_tmp(s), n = a64_x(s, a->rn);

    if (a->imms >= a->immr) {
        ir_gen_extract_i64(ir, d, n, a->immr, a->imms - a->immr + 1);
    } else {
        ir_gen_extract_i64(ir, d, n, 0, a->imms + 1);
        ir_gen_shli_i64(ir, d, d, width - a->immr);
    }
    a64_set_x_sf(s, a->rd, d, a->sf);
    return true;
}

TRANS(BFM)
{
    IRContext *ir = s->ir;
    unsigned width = a->sf ? 64 : 32;
    IRv64 d = a64_tmp(s), n = a64_x(s, a->rn), dst = a64_x(s, a->rd);

    if (a->imms >= a->immr) {
        unsigned len = a->imms - a->immr + 1;
        IRv64 t = a64_tmp(s);
        ir_gen_extract_i64(ir, t, n, a->immr, len);
        ir_gen_deposit_i64(ir, d, dst, t, 0, len);
    } else {
        ir_gen_deposit_i64(ir, d, dst, n, width - a->immr, a->imms + 1);
    }
    a64_set_x_sf(s, a->rd, d, a->sf);
    return true;
}

TRANS(EXTR)
{
    IRContext *ir = s->ir;
    IRv64 d = a64_tmp(s), n = a64_x(s, a->rn), m = a64_x(s, a->rm);

    if (a->sf) {
        if (a->imms == 0) {
            ir_gen_mov_i64(ir, d, m);
        } else if (a->rn == a->rm) {
            ir_gen_rotr_i64(ir, d, m, a64_const(s, a->imms));
        } else {
            IRv64 t = a64_tmp(s);
            ir_gen_shri_i64(ir, d, m, a->imms);
            ir_gen_shli_i64(ir, t, n, 64 - a->imms);
            ir_gen_or_i64(ir, d, d, t);
        }
    } else {
        IRv64 t = a64_tmp(s);
        ir_gen_ext32u_i64(ir, t, m);
        ir_gen_deposit_i64(ir, d, t, n, 32, 32);
        ir_gen_shri_i64(ir, d, d, a->imms);
    }
    a64_set_x_sf(s, a->rd, d, a->sf);
    return true;
}

/* ---- data processing, 2 sources ---- */

static bool do_div(DisasContext *s, arg_rrr_sf *a, bool is_signed)
{
    IRContext *ir = s->ir;
    IRv64 n = a64_tmp(s), m = a64_tmp(s), d = a64_tmp(s), safe = a64_tmp(s);
    IRv64 zero = a64_const(s, 0), one = a64_const(s, 1);

    if (a->sf) {
        ir_gen_mov_i64(ir, n, a64_x(s, a->rn));
        ir_gen_mov_i64(ir, m, a64_x(s, a->rm));
    } else if (is_signed) {
        ir_gen_ext32s_i64(ir, n, a64_x(s, a->rn));
        ir_gen_ext32s_i64(ir, m, a64_x(s, a->rm));
    } else {
        ir_gen_ext32u_i64(ir, n, a64_x(s, a->rn));
        ir_gen_ext32u_i64(ir, m, a64_x(s, a->rm));
    }
    /* x / 0 = 0; INT_MIN / -1 = INT_MIN (the host would trap on both). */
    ir_gen_movcond_i64(ir, IR_COND_EQ, safe, m, zero, one, m);
    if (is_signed) {
        IRv64 neg = a64_tmp(s), minus1 = a64_const(s, ~0ull);
        ir_gen_movcond_i64(ir, IR_COND_EQ, safe, m, minus1, one, safe);
        ir_gen_div_i64(ir, d, n, safe);
        ir_gen_neg_i64(ir, neg, n);
        ir_gen_movcond_i64(ir, IR_COND_EQ, d, m, minus1, neg, d);
    } else {
        ir_gen_divu_i64(ir, d, n, safe);
    }
    ir_gen_movcond_i64(ir, IR_COND_EQ, d, m, zero, zero, d);
    a64_set_x_sf(s, a->rd, d, a->sf);
    return true;
}

TRANS(UDIV)
{
    return do_div(s, a, false);
}

TRANS(SDIV)
{
    return do_div(s, a, true);
}

typedef enum { SHIFT_LSL, SHIFT_LSR, SHIFT_ASR, SHIFT_ROR } ShiftType;

/* d = shift(n, amount) at the operand width; amount is a temp already < width. */
static void gen_shift(DisasContext *s, ShiftType type, IRv64 d, IRv64 n, IRv64 amount, int sf)
{
    IRContext *ir = s->ir;

    if (sf) {
        switch (type) {
        case SHIFT_LSL:
            ir_gen_shl_i64(ir, d, n, amount);
            break;
        case SHIFT_LSR:
            ir_gen_shr_i64(ir, d, n, amount);
            break;
        case SHIFT_ASR:
            ir_gen_sar_i64(ir, d, n, amount);
            break;
        case SHIFT_ROR:
            ir_gen_rotr_i64(ir, d, n, amount);
            break;
        }
        return;
    }
    IRv64 t = a64_tmp(s);
    switch (type) {
    case SHIFT_LSL:
        ir_gen_shl_i64(ir, d, n, amount);
        break;
    case SHIFT_LSR:
        ir_gen_ext32u_i64(ir, t, n);
        ir_gen_shr_i64(ir, d, t, amount);
        break;
    case SHIFT_ASR:
        ir_gen_ext32s_i64(ir, t, n);
        ir_gen_sar_i64(ir, d, t, amount);
        break;
    case SHIFT_ROR: {
        IRv32 n32 = ir_temp_i32(ir), a32 = ir_temp_i32(ir);
        ir_gen_extrl_i64_i32(ir, n32, n);
        ir_gen_extrl_i64_i32(ir, a32, amount);
        ir_gen_rotr_i32(ir, n32, n32, a32);
        ir_gen_extu_i32_i64(ir, d, n32);
        break;
    }
    }
}

static bool do_shiftv(DisasContext *s, arg_rrr_sf *a, ShiftType type)
{
    IRv64 amount = a64_tmp(s), d = a64_tmp(s);

    ir_gen_andi_i64(s->ir, amount, a64_x(s, a->rm), a->sf ? 63 : 31);
    gen_shift(s, type, d, a64_x(s, a->rn), amount, a->sf);
    a64_set_x_sf(s, a->rd, d, a->sf);
    return true;
}

TRANS(LSLV)
{
    return do_shiftv(s, a, SHIFT_LSL);
}

TRANS(LSRV)
{
    return do_shiftv(s, a, SHIFT_LSR);
}

TRANS(ASRV)
{
    return do_shiftv(s, a, SHIFT_ASR);
}

TRANS(RORV)
{
    return do_shiftv(s, a, SHIFT_ROR);
}

TRANS(CRC32)
{
    IRv64 d = a64_tmp(s);
    IRv64 bytes = a64_const(s, 1u << a->sz);

    if (a->c) {
        gen_helper_crc32c(s->ir, d, a64_x(s, a->rn), a64_x(s, a->rm), bytes);
    } else {
        gen_helper_crc32(s->ir, d, a64_x(s, a->rn), a64_x(s, a->rm), bytes);
    }
    a64_set_w(s, a->rd, d);
    return true;
}

/* ---- data processing, 1 source ---- */

/* Swap adjacent groups of `bits` bits selected by mask. */
static void gen_swap_bits(DisasContext *s, IRv64 d, IRv64 x, uint64_t mask, unsigned bits)
{
    IRContext *ir = s->ir;
    IRv64 hi = a64_tmp(s), lo = a64_tmp(s);

    ir_gen_shri_i64(ir, hi, x, bits);
    ir_gen_andi_i64(ir, hi, hi, mask);
    ir_gen_andi_i64(ir, lo, x, mask);
    ir_gen_shli_i64(ir, lo, lo, bits);
    ir_gen_or_i64(ir, d, hi, lo);
}

TRANS(RBIT)
{
    IRv64 d = a64_tmp(s);

    ir_gen_bswap64_i64(s->ir, d, a64_x(s, a->rn));
    gen_swap_bits(s, d, d, 0x0f0f0f0f0f0f0f0full, 4);
    gen_swap_bits(s, d, d, 0x3333333333333333ull, 2);
    gen_swap_bits(s, d, d, 0x5555555555555555ull, 1);
    if (!a->sf) {
        ir_gen_shri_i64(s->ir, d, d, 32);
    }
    a64_set_x_sf(s, a->rd, d, a->sf);
    return true;
}

TRANS(REV16)
{
    IRv64 d = a64_tmp(s);

    gen_swap_bits(s, d, a64_x(s, a->rn), 0x00ff00ff00ff00ffull, 8);
    a64_set_x_sf(s, a->rd, d, a->sf);
    return true;
}

TRANS(REV32)
{
    IRv64 d = a64_tmp(s);

    ir_gen_bswap64_i64(s->ir, d, a64_x(s, a->rn));
    ir_gen_rotr_i64(s->ir, d, d, a64_const(s, 32));
    a64_set_x(s, a->rd, d);
    return true;
}

TRANS(REV)
{
    IRv64 d = a64_tmp(s);

    if (a->sf) {
        ir_gen_bswap64_i64(s->ir, d, a64_x(s, a->rn));
    } else {
        ir_gen_bswap32_i64(s->ir, d, a64_x(s, a->rn));
    }
    a64_set_x_sf(s, a->rd, d, a->sf);
    return true;
}

TRANS(CLZ)
{
    IRv64 d = a64_tmp(s);

    if (a->sf) {
        ir_gen_clz_i64(s->ir, d, a64_x(s, a->rn), a64_const(s, 64));
    } else {
        IRv32 t = ir_temp_i32(s->ir);
        ir_gen_extrl_i64_i32(s->ir, t, a64_x(s, a->rn));
        ir_gen_clz_i32(s->ir, t, t, ir_const_i32(s->ir, 32));
        ir_gen_extu_i32_i64(s->ir, d, t);
    }
    a64_set_x_sf(s, a->rd, d, a->sf);
    return true;
}

TRANS(CLS)
{
    IRContext *ir = s->ir;
    IRv64 x = a64_tmp(s), t = a64_tmp(s), d = a64_tmp(s);

    /* Leading sign bits: leading zeros of x ^ (x >> 1), minus one. */
    if (a->sf) {
        ir_gen_mov_i64(ir, x, a64_x(s, a->rn));
    } else {
        ir_gen_ext32s_i64(ir, x, a64_x(s, a->rn));
    }
    ir_gen_sar_i64(ir, t, x, a64_const(s, 1));
    ir_gen_xor_i64(ir, t, t, x);
    ir_gen_clz_i64(ir, d, t, a64_const(s, 64));
    ir_gen_addi_i64(ir, d, d, a->sf ? -1 : -33);
    a64_set_x_sf(s, a->rd, d, a->sf);
    return true;
}

/* ---- logical and add/subtract, shifted register ---- */

/* The second operand: Rm shifted by an immediate (imm < width). */
static IRv64 shifted_operand(DisasContext *s, int rm, int shift, int imm, int sf)
{
    IRv64 m = a64_x(s, rm);
    IRv64 t;

    if (imm == 0) {
        return m;
    }
    t = a64_tmp(s);
    gen_shift(s, (ShiftType)shift, t, m, a64_const(s, imm), sf);
    return t;
}

static bool do_logic_r(DisasContext *s, arg_shifted *a, LogicOp op, bool setflags)
{
    IRv64 d = a64_tmp(s);
    IRv64 m = shifted_operand(s, a->rm, a->shift, a->imm, a->sf);

    if (op == LOGIC_ORR && a->rn == 31 && !setflags) {
        a64_set_x_sf(s, a->rd, m, a->sf);   /* MOV Rd, Rm */
        return true;
    }
    gen_logic(s, op, d, a64_x(s, a->rn), m);
    if (setflags) {
        a64_gen_logic_flags(s, d, a->sf);
    }
    a64_set_x_sf(s, a->rd, d, a->sf);
    return true;
}

TRANS(AND_r)
{
    return do_logic_r(s, a, LOGIC_AND, false);
}

TRANS(BIC_r)
{
    return do_logic_r(s, a, LOGIC_BIC, false);
}

TRANS(ORR_r)
{
    return do_logic_r(s, a, LOGIC_ORR, false);
}

TRANS(ORN_r)
{
    return do_logic_r(s, a, LOGIC_ORN, false);
}

TRANS(EOR_r)
{
    return do_logic_r(s, a, LOGIC_EOR, false);
}

TRANS(EON_r)
{
    return do_logic_r(s, a, LOGIC_EON, false);
}

TRANS(ANDS_r)
{
    return do_logic_r(s, a, LOGIC_AND, true);
}

TRANS(BICS_r)
{
    return do_logic_r(s, a, LOGIC_BIC, true);
}

static void gen_addsub(DisasContext *s, IRv64 d, IRv64 n, IRv64 m, bool sub, bool setflags,
                       int sf)
{
    if (setflags) {
        if (sub) {
            a64_gen_sub_flags(s, d, n, m, sf);
        } else {
            a64_gen_add_flags(s, d, n, m, sf);
        }
    } else if (sub) {
        ir_gen_sub_i64(s->ir, d, n, m);
    } else {
        ir_gen_add_i64(s->ir, d, n, m);
    }
}

static bool do_addsub_r(DisasContext *s, arg_shifted *a, bool sub, bool setflags)
{
    IRv64 d = a64_tmp(s);
    IRv64 m = shifted_operand(s, a->rm, a->shift, a->imm, a->sf);

    gen_addsub(s, d, a64_x(s, a->rn), m, sub, setflags, a->sf);
    a64_set_x_sf(s, a->rd, d, a->sf);
    return true;
}

TRANS(ADD_r)
{
    return do_addsub_r(s, a, false, false);
}

TRANS(ADDS_r)
{
    return do_addsub_r(s, a, false, true);
}

TRANS(SUB_r)
{
    return do_addsub_r(s, a, true, false);
}

TRANS(SUBS_r)
{
    return do_addsub_r(s, a, true, true);
}

/* ---- add/subtract, extended register ---- */

/* Rm extended per option (UXTB..SXTX) and shifted left by 0-4. */
static IRv64 extended_operand(DisasContext *s, int rm, int opt, int shift)
{
    IRContext *ir = s->ir;
    IRv64 m = a64_x(s, rm), t = a64_tmp(s);

    switch (opt) {
    case 0:
        ir_gen_ext8u_i64(ir, t, m);
        break;
    case 1:
        ir_gen_ext16u_i64(ir, t, m);
        break;
    case 2:
        ir_gen_ext32u_i64(ir, t, m);
        break;
    case 4:
        ir_gen_ext8s_i64(ir, t, m);
        break;
    case 5:
        ir_gen_ext16s_i64(ir, t, m);
        break;
    case 6:
        ir_gen_ext32s_i64(ir, t, m);
        break;
    default:
        ir_gen_mov_i64(ir, t, m);
        break;
    }
    if (shift) {
        ir_gen_shli_i64(ir, t, t, shift);
    }
    return t;
}

static bool do_addsub_x(DisasContext *s, arg_extended *a, bool sub, bool setflags)
{
    IRv64 d = a64_tmp(s);
    IRv64 m = extended_operand(s, a->rm, a->opt, a->imm);

    gen_addsub(s, d, a64_x_sp(s, a->rn), m, sub, setflags, a->sf);
    if (setflags) {
        a64_set_x_sf(s, a->rd, d, a->sf);
    } else {
        set_x_sp_sf(s, a->rd, d, a->sf);
    }
    return true;
}

TRANS(ADD_x)
{
    return do_addsub_x(s, a, false, false);
}

TRANS(ADDS_x)
{
    return do_addsub_x(s, a, false, true);
}

TRANS(SUB_x)
{
    return do_addsub_x(s, a, true, false);
}

TRANS(SUBS_x)
{
    return do_addsub_x(s, a, true, true);
}

/* ---- with carry ---- */

static bool do_adc(DisasContext *s, arg_rrr_sf *a, bool sub, bool setflags)
{
    IRContext *ir = s->ir;
    IRv64 d = a64_tmp(s), n = a64_x(s, a->rn), m = a64_x(s, a->rm);

    if (setflags) {
        if (sub) {
            a64_gen_sbc_flags(s, d, n, m, a->sf);
        } else {
            a64_gen_adc_flags(s, d, n, m, a->sf);
        }
    } else {
        IRv64 t = a64_tmp(s);
        if (sub) {
            ir_gen_not_i64(ir, t, m);
            ir_gen_add_i64(ir, d, n, t);
        } else {
            ir_gen_add_i64(ir, d, n, m);
        }
        ir_gen_add_i64(ir, d, d, s->cpu_CF);
    }
    a64_set_x_sf(s, a->rd, d, a->sf);
    return true;
}

TRANS(ADC)
{
    return do_adc(s, a, false, false);
}

TRANS(ADCS)
{
    return do_adc(s, a, false, true);
}

TRANS(SBC)
{
    return do_adc(s, a, true, false);
}

TRANS(SBCS)
{
    return do_adc(s, a, true, true);
}

/* ---- conditional compare ---- */

static void do_ccmp(DisasContext *s, int sf, int rn, IRv64 m, int cond, int nzcv, bool neg)
{
    IRContext *ir = s->ir;
    DisasCompare c;
    IRv64 pass = a64_tmp(s), d = a64_tmp(s), zero = a64_const(s, 0);

    if (cond >= 14) {
        if (neg) {
            a64_gen_add_flags(s, d, a64_x(s, rn), m, sf);
        } else {
            a64_gen_sub_flags(s, d, a64_x(s, rn), m, sf);
        }
        return;
    }
    /* Branch-free: compare, then put back the immediate flags if cond failed. */
    a64_test_cc(s, cond, &c);
    ir_gen_setcond_i64(ir, c.cond, pass, c.a, c.b);
    if (neg) {
        a64_gen_add_flags(s, d, a64_x(s, rn), m, sf);
    } else {
        a64_gen_sub_flags(s, d, a64_x(s, rn), m, sf);
    }
    ir_gen_movcond_i64(ir, IR_COND_NE, s->cpu_NF, pass, zero, s->cpu_NF,
                       a64_const(s, (nzcv & 8) ? ~0ull : 0));
    ir_gen_movcond_i64(ir, IR_COND_NE, s->cpu_ZF, pass, zero, s->cpu_ZF,
                       a64_const(s, (nzcv & 4) ? 0 : 1));
    ir_gen_movcond_i64(ir, IR_COND_NE, s->cpu_CF, pass, zero, s->cpu_CF,
                       a64_const(s, (nzcv >> 1) & 1));
    ir_gen_movcond_i64(ir, IR_COND_NE, s->cpu_VF, pass, zero, s->cpu_VF,
                       a64_const(s, (nzcv & 1) ? ~0ull : 0));
}

TRANS(CCMP_r)
{
    do_ccmp(s, a->sf, a->rn, a64_x(s, a->rm), a->cond, a->nzcv, false);
    return true;
}

TRANS(CCMN_r)
{
    do_ccmp(s, a->sf, a->rn, a64_x(s, a->rm), a->cond, a->nzcv, true);
    return true;
}

TRANS(CCMP_i)
{
    do_ccmp(s, a->sf, a->rn, a64_const(s, a->imm), a->cond, a->nzcv, false);
    return true;
}

TRANS(CCMN_i)
{
    do_ccmp(s, a->sf, a->rn, a64_const(s, a->imm), a->cond, a->nzcv, true);
    return true;
}

/* ---- conditional select ---- */

typedef enum { CSEL_PLAIN, CSEL_INC, CSEL_INV, CSEL_NEG } CselOp;

static bool do_csel(DisasContext *s, arg_csel *a, CselOp op)
{
    IRContext *ir = s->ir;
    DisasCompare c;
    IRv64 d = a64_tmp(s), m = a64_x(s, a->rm), f = m;

    if (op != CSEL_PLAIN) {
        f = a64_tmp(s);
        switch (op) {
        case CSEL_INC:
            ir_gen_addi_i64(ir, f, m, 1);
            break;
        case CSEL_INV:
            ir_gen_not_i64(ir, f, m);
            break;
        default:
            ir_gen_neg_i64(ir, f, m);
            break;
        }
    }
    a64_test_cc(s, a->cond, &c);
    ir_gen_movcond_i64(ir, c.cond, d, c.a, c.b, a64_x(s, a->rn), f);
    a64_set_x_sf(s, a->rd, d, a->sf);
    return true;
}

TRANS(CSEL)
{
    return do_csel(s, a, CSEL_PLAIN);
}

TRANS(CSINC)
{
    return do_csel(s, a, CSEL_INC);
}

TRANS(CSINV)
{
    return do_csel(s, a, CSEL_INV);
}

TRANS(CSNEG)
{
    return do_csel(s, a, CSEL_NEG);
}

/* ---- multiply ---- */

static bool do_madd(DisasContext *s, arg_madd *a, bool sub)
{
    IRContext *ir = s->ir;
    IRv64 p = a64_tmp(s), d = a64_tmp(s);

    ir_gen_mul_i64(ir, p, a64_x(s, a->rn), a64_x(s, a->rm));
    if (sub) {
        ir_gen_sub_i64(ir, d, a64_x(s, a->ra), p);
    } else {
        ir_gen_add_i64(ir, d, a64_x(s, a->ra), p);
    }
    a64_set_x_sf(s, a->rd, d, a->sf);
    return true;
}

TRANS(MADD)
{
    return do_madd(s, a, false);
}

TRANS(MSUB)
{
    return do_madd(s, a, true);
}

static bool do_maddl(DisasContext *s, arg_madd *a, bool is_signed, bool sub)
{
    IRContext *ir = s->ir;
    IRv64 n = a64_tmp(s), m = a64_tmp(s), d = a64_tmp(s);

    if (is_signed) {
        ir_gen_ext32s_i64(ir, n, a64_x(s, a->rn));
        ir_gen_ext32s_i64(ir, m, a64_x(s, a->rm));
    } else {
        ir_gen_ext32u_i64(ir, n, a64_x(s, a->rn));
        ir_gen_ext32u_i64(ir, m, a64_x(s, a->rm));
    }
    ir_gen_mul_i64(ir, n, n, m);
    if (sub) {
        ir_gen_sub_i64(ir, d, a64_x(s, a->ra), n);
    } else {
        ir_gen_add_i64(ir, d, a64_x(s, a->ra), n);
    }
    a64_set_x(s, a->rd, d);
    return true;
}

TRANS(SMADDL)
{
    return do_maddl(s, a, true, false);
}

TRANS(SMSUBL)
{
    return do_maddl(s, a, true, true);
}

TRANS(UMADDL)
{
    return do_maddl(s, a, false, false);
}

TRANS(UMSUBL)
{
    return do_maddl(s, a, false, true);
}

TRANS(SMULH)
{
    IRv64 lo = a64_tmp(s), hi = a64_tmp(s);

    ir_gen_muls2_i64(s->ir, lo, hi, a64_x(s, a->rn), a64_x(s, a->rm));
    a64_set_x(s, a->rd, hi);
    return true;
}

TRANS(UMULH)
{
    IRv64 lo = a64_tmp(s), hi = a64_tmp(s);

    ir_gen_mulu2_i64(s->ir, lo, hi, a64_x(s, a->rn), a64_x(s, a->rm));
    a64_set_x(s, a->rd, hi);
    return true;
}
