/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The A64 translator loop and what the instruction-class files share:
 * fetch each 32-bit word from the block's page, try the base decoder, the
 * scalar FP decoder and the Advanced SIMD decoder in turn (UNDEFINED when
 * none claims it), and end the block the way the last instruction asked.
 * Every block starts by checking the vCPU's exit flag so that a kick stops
 * even a chained loop.
 *
 * Flags are kept as four 64-bit globals (NF: bit 63 is N; ZF: zero iff Z;
 * CF: 0/1; VF: bit 63 is V) so that a flag-setting instruction costs one
 * op per flag and a condition is a single comparison.
 */
#include "target/arm/bitmask.h"
#include <string.h>

#include "target/arm/helper.h"
#include "target/arm/internals.h"
#include "target/arm/translate.h"

/* The decoder calls trans_NAME; the class files define a64_trans_NAME. */
#include "target/arm/a64.c.inc"

#define A64_TRAMPOLINE(NAME)                                              \
    bool a64_trans_##NAME(DisasContext *s, arg_##NAME *a);                \
    static bool trans_##NAME(DisasContext *s, arg_##NAME *a)              \
    {                                                                     \
        return a64_trans_##NAME(s, a);                                    \
    }
DECODE_A64_TRANS_LIST(A64_TRAMPOLINE)

/* The IR globals: created once for the process's one IR context. */
static struct {
    IRv64 x[32];
    IRv64 pc, nf, zf, cf, vf;
} a64_globals;

void a64_init_globals(IRContext *ctx)
{
    static const char *const names[32] = {
        "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10",
        "x11", "x12", "x13", "x14", "x15", "x16", "x17", "x18", "x19", "x20",
        "x21", "x22", "x23", "x24", "x25", "x26", "x27", "x28", "x29", "lr", "sp",
    };

    for (int i = 0; i < 32; i++) {
        a64_globals.x[i] = ir_global_i64(ctx, offsetof(CPUARMState, xregs[i]), names[i]);
    }
    a64_globals.pc = ir_global_i64(ctx, offsetof(CPUARMState, pc), "pc");
    a64_globals.nf = ir_global_i64(ctx, offsetof(CPUARMState, NF), "NF");
    a64_globals.zf = ir_global_i64(ctx, offsetof(CPUARMState, ZF), "ZF");
    a64_globals.cf = ir_global_i64(ctx, offsetof(CPUARMState, CF), "CF");
    a64_globals.vf = ir_global_i64(ctx, offsetof(CPUARMState, VF), "VF");
}

uint64_t a64_bitmask_imm(DisasContext *s, int x)
{
    return arm_decode_bitmask(x);
}

/* ---- flags ---- */

void a64_gen_logic_flags(DisasContext *s, IRv64 result, int sf)
{
    IRContext *ir = s->ir;

    if (sf) {
        ir_gen_mov_i64(ir, s->cpu_NF, result);
        ir_gen_mov_i64(ir, s->cpu_ZF, result);
    } else {
        ir_gen_ext32s_i64(ir, s->cpu_NF, result);
        ir_gen_ext32u_i64(ir, s->cpu_ZF, result);
    }
    ir_gen_movi_i64(ir, s->cpu_CF, 0);
    ir_gen_movi_i64(ir, s->cpu_VF, 0);
}

/*
 * 32-bit forms compute on zero-extended operands in 64 bits: bit 32 of the
 * sum is the carry, and the low word is the result.
 */
static void gen_add_flags32(DisasContext *s, IRv64 d, IRv64 a, IRv64 b, IRv64 cin)
{
    IRContext *ir = s->ir;
    IRv64 a32 = a64_tmp(s), b32 = a64_tmp(s), sum = a64_tmp(s), t = a64_tmp(s);

    ir_gen_ext32u_i64(ir, a32, a);
    ir_gen_ext32u_i64(ir, b32, b);
    ir_gen_add_i64(ir, sum, a32, b32);
    if (cin.idx != IR_TEMP_NONE) {
        ir_gen_add_i64(ir, sum, sum, cin);
    }
    ir_gen_shri_i64(ir, s->cpu_CF, sum, 32);
    /* V: operands of equal sign, result of the other sign (bit 31). */
    ir_gen_xor_i64(ir, t, a32, b32);
    ir_gen_xor_i64(ir, s->cpu_VF, sum, a32);
    ir_gen_andc_i64(ir, s->cpu_VF, s->cpu_VF, t);
    ir_gen_ext32s_i64(ir, s->cpu_VF, s->cpu_VF);
    ir_gen_ext32s_i64(ir, s->cpu_NF, sum);
    ir_gen_ext32u_i64(ir, s->cpu_ZF, sum);
    ir_gen_mov_i64(ir, d, s->cpu_ZF);
}

static void gen_add_flags64(DisasContext *s, IRv64 d, IRv64 a, IRv64 b, IRv64 cin)
{
    IRContext *ir = s->ir;
    IRv64 zero = a64_const(s, 0), res = a64_tmp(s), cf = a64_tmp(s), t = a64_tmp(s);

    if (cin.idx != IR_TEMP_NONE) {
        IRv64 c2 = a64_tmp(s);
        ir_gen_add2_i64(ir, res, cf, a, zero, cin, zero);
        ir_gen_add2_i64(ir, res, c2, res, cf, b, zero);
        cf = c2;
    } else {
        ir_gen_add2_i64(ir, res, cf, a, zero, b, zero);
    }
    ir_gen_xor_i64(ir, t, a, b);
    ir_gen_xor_i64(ir, s->cpu_VF, res, a);
    ir_gen_andc_i64(ir, s->cpu_VF, s->cpu_VF, t);
    ir_gen_mov_i64(ir, s->cpu_CF, cf);
    ir_gen_mov_i64(ir, s->cpu_NF, res);
    ir_gen_mov_i64(ir, s->cpu_ZF, res);
    ir_gen_mov_i64(ir, d, res);
}

void a64_gen_add_flags(DisasContext *s, IRv64 d, IRv64 a, IRv64 b, int sf)
{
    IRv64 none = { IR_TEMP_NONE };

    if (sf) {
        gen_add_flags64(s, d, a, b, none);
    } else {
        gen_add_flags32(s, d, a, b, none);
    }
}

void a64_gen_adc_flags(DisasContext *s, IRv64 d, IRv64 a, IRv64 b, int sf)
{
    IRv64 cin = a64_tmp(s);

    /* CF is overwritten: take the incoming carry first. */
    ir_gen_mov_i64(s->ir, cin, s->cpu_CF);
    if (sf) {
        gen_add_flags64(s, d, a, b, cin);
    } else {
        gen_add_flags32(s, d, a, b, cin);
    }
}

void a64_gen_sub_flags(DisasContext *s, IRv64 d, IRv64 a, IRv64 b, int sf)
{
    IRContext *ir = s->ir;
    IRv64 res = a64_tmp(s), t = a64_tmp(s);

    if (sf) {
        ir_gen_sub_i64(ir, res, a, b);
        ir_gen_setcond_i64(ir, IR_COND_GEU, s->cpu_CF, a, b);
        ir_gen_xor_i64(ir, t, a, b);
        ir_gen_xor_i64(ir, s->cpu_VF, res, a);
        ir_gen_and_i64(ir, s->cpu_VF, s->cpu_VF, t);
        ir_gen_mov_i64(ir, s->cpu_NF, res);
        ir_gen_mov_i64(ir, s->cpu_ZF, res);
        ir_gen_mov_i64(ir, d, res);
    } else {
        IRv64 a32 = a64_tmp(s), b32 = a64_tmp(s);

        ir_gen_ext32u_i64(ir, a32, a);
        ir_gen_ext32u_i64(ir, b32, b);
        ir_gen_sub_i64(ir, res, a32, b32);
        ir_gen_setcond_i64(ir, IR_COND_GEU, s->cpu_CF, a32, b32);
        ir_gen_xor_i64(ir, t, a32, b32);
        ir_gen_xor_i64(ir, s->cpu_VF, res, a32);
        ir_gen_and_i64(ir, s->cpu_VF, s->cpu_VF, t);
        ir_gen_ext32s_i64(ir, s->cpu_VF, s->cpu_VF);
        ir_gen_ext32s_i64(ir, s->cpu_NF, res);
        ir_gen_ext32u_i64(ir, s->cpu_ZF, res);
        ir_gen_mov_i64(ir, d, s->cpu_ZF);
    }
}

void a64_gen_sbc_flags(DisasContext *s, IRv64 d, IRv64 a, IRv64 b, int sf)
{
    IRv64 nb = a64_tmp(s);

    /* a - b - !C == a + ~b + C */
    ir_gen_not_i64(s->ir, nb, b);
    a64_gen_adc_flags(s, d, a, nb, sf);
}

IRv64 a64_get_nzcv(DisasContext *s)
{
    IRContext *ir = s->ir;
    IRv64 r = a64_tmp(s), t = a64_tmp(s);

    /* N: bit 63 of NF -> 31 */
    ir_gen_shri_i64(ir, r, s->cpu_NF, 63);
    ir_gen_shli_i64(ir, r, r, 31);
    ir_gen_setcond_i64(ir, IR_COND_EQ, t, s->cpu_ZF, a64_const(s, 0));
    ir_gen_shli_i64(ir, t, t, 30);
    ir_gen_or_i64(ir, r, r, t);
    ir_gen_shli_i64(ir, t, s->cpu_CF, 29);
    ir_gen_or_i64(ir, r, r, t);
    ir_gen_shri_i64(ir, t, s->cpu_VF, 63);
    ir_gen_shli_i64(ir, t, t, 28);
    ir_gen_or_i64(ir, r, r, t);
    return r;
}

void a64_set_nzcv(DisasContext *s, IRv64 v)
{
    IRContext *ir = s->ir;
    IRv64 t = a64_tmp(s);

    ir_gen_shli_i64(ir, s->cpu_NF, v, 32);
    ir_gen_not_i64(ir, t, v);
    ir_gen_andi_i64(ir, s->cpu_ZF, t, PSTATE_Z);
    ir_gen_extract_i64(ir, s->cpu_CF, v, 29, 1);
    ir_gen_shli_i64(ir, s->cpu_VF, v, 35);
}

void a64_test_cc(DisasContext *s, int cond, DisasCompare *c)
{
    IRContext *ir = s->ir;
    IRv64 zero = a64_const(s, 0);
    IRv64 t;
    bool inv = cond & 1;

    c->b = zero;
    switch (cond >> 1) {
    case 0: /* EQ / NE */
        c->cond = IR_COND_EQ;
        c->a = s->cpu_ZF;
        break;
    case 1: /* CS / CC */
        c->cond = IR_COND_NE;
        c->a = s->cpu_CF;
        break;
    case 2: /* MI / PL */
        c->cond = IR_COND_LT;
        c->a = s->cpu_NF;
        break;
    case 3: /* VS / VC */
        c->cond = IR_COND_LT;
        c->a = s->cpu_VF;
        break;
    case 4: /* HI: C && !Z / LS */
        t = a64_tmp(s);
        ir_gen_neg_i64(ir, t, s->cpu_CF);
        ir_gen_and_i64(ir, t, t, s->cpu_ZF);
        c->cond = IR_COND_NE;
        c->a = t;
        break;
    case 5: /* GE: N == V / LT */
        t = a64_tmp(s);
        ir_gen_xor_i64(ir, t, s->cpu_NF, s->cpu_VF);
        c->cond = IR_COND_GE;
        c->a = t;
        break;
    case 6: /* GT: !Z && N == V / LE */
        t = a64_tmp(s);
        ir_gen_xor_i64(ir, t, s->cpu_NF, s->cpu_VF);
        ir_gen_sar_i64(ir, t, t, a64_const(s, 63));
        ir_gen_andc_i64(ir, t, s->cpu_ZF, t);
        c->cond = IR_COND_NE;
        c->a = t;
        break;
    default: /* AL, NV: always */
        c->cond = IR_COND_EQ;
        c->a = zero;
        return;
    }
    if (inv) {
        c->cond = ir_cond_invert(c->cond);
    }
}

void a64_gen_brcond_cc(DisasContext *s, int cond, IRLabel *label)
{
    DisasCompare c;

    a64_test_cc(s, cond, &c);
    if (cond >= 14) {
        ir_gen_br(s->ir, label);
    } else {
        ir_gen_brcond_i64(s->ir, c.cond, c.a, c.b, label);
    }
}

/* ---- block ends and exceptions ---- */

void a64_gen_goto_tb(DisasContext *s, int n, uint64_t dest)
{
    if ((s->tb->flags & ARM_HF_MMU) && ((dest ^ s->pc_first) & TCG_PAGE_MASK)) {
        /*
         * With the MMU on, a direct jump to another page would outlive a
         * change of that page's mapping: look the target up each time.
         */
        IRv64 ptr = a64_tmp(s);

        ir_gen_movi_i64(s->ir, s->cpu_pc, dest);
        gen_helper_lookup_tb_ptr(s->ir, ptr, s->ir->env);
        ir_gen_goto_ptr(s->ir, ptr);
        s->is_jmp = DISAS_NORETURN;
        return;
    }
    ir_gen_goto_tb(s->ir, n);
    ir_gen_movi_i64(s->ir, s->cpu_pc, dest);
    ir_gen_exit_tb(s->ir, (uintptr_t)s->tb | n);
    s->is_jmp = DISAS_NORETURN;
}

void a64_gen_jump_reg(DisasContext *s, IRv64 dest)
{
    IRv64 ptr = a64_tmp(s);

    ir_gen_mov_i64(s->ir, s->cpu_pc, dest);
    gen_helper_lookup_tb_ptr(s->ir, ptr, s->ir->env);
    ir_gen_goto_ptr(s->ir, ptr);
    s->is_jmp = DISAS_NORETURN;
}

static void gen_exception_at(DisasContext *s, uint64_t ret_pc, uint32_t syndrome, uint64_t far)
{
    ir_gen_movi_i64(s->ir, s->cpu_pc, ret_pc);
    gen_helper_exception(s->ir, s->ir->env, ir_const_i64(s->ir, syndrome),
                         ir_const_i64(s->ir, far));
    ir_gen_exit_tb(s->ir, 0);
    s->is_jmp = DISAS_NORETURN;
}

void a64_gen_exception_insn(DisasContext *s, uint32_t syndrome)
{
    gen_exception_at(s, s->pc_curr, syndrome, 0);
}

void a64_gen_exception_next(DisasContext *s, uint32_t syndrome)
{
    gen_exception_at(s, s->pc_next, syndrome, 0);
}

void a64_gen_undef(DisasContext *s)
{
    a64_gen_exception_insn(s, syn_uncategorized());
}

bool a64_fp_access_check(DisasContext *s)
{
    if (s->fp_enabled) {
        s->fp_checked = true;
        return true;
    }
    a64_gen_exception_insn(s, syn_fp_access_trap());
    return false;
}

/* ---- SIMD&FP registers ---- */

void a64_read_vreg_i64(DisasContext *s, IRv64 t, int n, int elt)
{
    ir_gen_ld_i64(s->ir, t, s->ir->env, a64_vreg_elt_ofs(n, elt, 3));
}

void a64_write_vreg_i64(DisasContext *s, int n, int elt, IRv64 t)
{
    ir_gen_st_i64(s->ir, t, s->ir->env, a64_vreg_elt_ofs(n, elt, 3));
}

void a64_clear_vreg_high(DisasContext *s, int n, int from_byte)
{
    IRContext *ir = s->ir;
    IRv64 zero = a64_const(s, 0);

    g_assert(from_byte == 8 || from_byte == 16);
    if (from_byte == 8) {
        ir_gen_st_i64(ir, zero, ir->env, a64_vreg_elt_ofs(n, 1, 3));
    }
}

void a64_write_vreg_scalar(DisasContext *s, int n, IRv64 t, int esz)
{
    IRContext *ir = s->ir;
    IRv64 v = t;

    if (esz < 3) {
        v = a64_tmp(s);
        ir_gen_extract_i64(ir, v, t, 0, 8u << esz);
    }
    ir_gen_st_i64(ir, v, ir->env, a64_vreg_elt_ofs(n, 0, 3));
    a64_clear_vreg_high(s, n, 8);
}

/* ---- the loop ---- */

static uint32_t fetch_insn(const void *page, uint64_t pc)
{
    uint32_t insn;

    memcpy(&insn, (const uint8_t *)page + (pc & ~TCG_PAGE_MASK), 4);
    return insn;
}

static void translate_one(DisasContext *s, uint32_t insn)
{
    s->insn = insn;
    s->pc_next = s->pc_curr + 4;
    s->fp_checked = false;
    if (!decode_a64(s, insn) && !a64_decode_fp(s, insn) && !a64_decode_advsimd(s, insn) &&
        !a64_decode_ext(s, insn)) {
        a64_gen_undef(s);
    }
}

void a64_translate_block(TCGCPU *cpu, IRContext *ctx, TranslationBlock *tb,
                         const void *code_page, int max_insns)
{
    DisasContext s = {
        .ir = ctx,
        .tb = tb,
        .env = arm_env_from_tcg(cpu),
        .pc_first = tb->pc,
        .pc_curr = tb->pc,
        .is_jmp = DISAS_NEXT,
        .el = tb->flags & ARM_HF_EL_MASK,
        .fp_enabled = (tb->flags & ARM_HF_FPEN) != 0,
    };
    IRv32 flag = ir_temp_i32(ctx);
    IRLabel *exit_label = ir_label_new(ctx);
    unsigned icount = 0;

    s.mmu_idx = (tb->flags & ARM_HF_PAN) ? ARM_MMU_IDX_EL1_PAN : s.el;
    memcpy(s.cpu_X, a64_globals.x, sizeof(s.cpu_X));
    s.cpu_pc = a64_globals.pc;
    s.cpu_NF = a64_globals.nf;
    s.cpu_ZF = a64_globals.zf;
    s.cpu_CF = a64_globals.cf;
    s.cpu_VF = a64_globals.vf;

    /* A kick (exit_flag) stops the vCPU before this block does anything. */
    ir_gen_ld_i32(ctx, flag, ctx->env, offsetof(CPUARMState, tcg.exit_flag));
    ir_gen_brcond_i32(ctx, IR_COND_NE, flag, ir_const_i32(ctx, 0), exit_label);

    if (tb->flags & ARM_HF_SS_PENDING) {
        /* The stepped instruction completed: the step exception comes first. */
        ir_gen_insn_start(ctx, tb->pc);
        gen_exception_at(&s, tb->pc,
                         syn_make(s.el ? ARM_EC_SOFTSTEP : ARM_EC_SOFTSTEP_LOWER,
                                  (1u << 24) | 0x22), 0);
        icount = 1;
        s.pc_next = tb->pc + 4;
    } else if (tb->pc & 3) {
        ir_gen_insn_start(ctx, tb->pc);
        gen_exception_at(&s, tb->pc, syn_make(ARM_EC_PC_ALIGN, 0), tb->pc);
        icount = 1;
        s.pc_next = tb->pc + 4;
    } else if (!code_page) {
        /* Nothing executable there: the helper finds which instruction abort. */
        ir_gen_insn_start(ctx, tb->pc);
        ir_gen_movi_i64(ctx, s.cpu_pc, tb->pc);
        gen_helper_insn_abort(ctx, ctx->env);
        ir_gen_exit_tb(ctx, 0);
        s.is_jmp = DISAS_NORETURN;
        icount = 1;
        s.pc_next = tb->pc + 4;
    } else {
        if (tb->flags & ARM_HF_SS) {
            max_insns = 1;
        }
        for (;;) {
            bool bp = (tb->flags & ARM_HF_BKPT) && arm_bp_match(s.env, s.pc_curr);
            if (bp && icount) {
                /* End the block here: the next one starts at the breakpoint. */
                s.pc_next = s.pc_curr;
                s.is_jmp = DISAS_TOO_MANY;
                break;
            }
            ir_gen_insn_start(ctx, s.pc_curr);
            if (bp) {
                gen_exception_at(&s, s.pc_curr,
                                 syn_make(s.el ? ARM_EC_BREAKPOINT : ARM_EC_BREAKPOINT_LOWER,
                                          0x22), 0);
                icount = 1;
                s.pc_next = s.pc_curr + 4;
                break;
            }
            if (tb->flags & ARM_HF_SS) {
                gen_helper_ss_start(ctx, ctx->env);
            }
            translate_one(&s, fetch_insn(code_page, s.pc_curr));
            icount++;
            if (s.is_jmp != DISAS_NEXT) {
                break;
            }
            s.pc_curr = s.pc_next;
            if (icount >= (unsigned)max_insns || !(s.pc_curr & ~TCG_PAGE_MASK)) {
                s.is_jmp = DISAS_TOO_MANY;
                break;
            }
        }
    }
    tb->size = (uint32_t)(s.pc_next - tb->pc);
    tb->icount = icount;

    switch (s.is_jmp) {
    case DISAS_NEXT:
    case DISAS_TOO_MANY:
        a64_gen_goto_tb(&s, 0, s.pc_next);
        break;
    case DISAS_UPDATE_EXIT:
        ir_gen_movi_i64(ctx, s.cpu_pc, s.pc_next);
        ir_gen_exit_tb(ctx, 0);
        break;
    case DISAS_JUMP: {
        IRv64 ptr = ir_temp_i64(ctx);
        gen_helper_lookup_tb_ptr(ctx, ptr, ctx->env);
        ir_gen_goto_ptr(ctx, ptr);
        break;
    }
    case DISAS_EXIT:
        ir_gen_exit_tb(ctx, 0);
        break;
    case DISAS_NORETURN:
        break;
    }

    ir_gen_set_label(ctx, exit_label);
    ir_gen_movi_i64(ctx, s.cpu_pc, tb->pc);
    ir_gen_exit_tb(ctx, 0);
}
