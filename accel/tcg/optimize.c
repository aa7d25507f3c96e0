/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The IR optimizer: one forward pass over the block doing constant folding
 * (through ir_eval_pure, the interpreter's own semantics), copy propagation,
 * algebraic identities and strength reduction, branch folding and removal
 * of unreachable code after unconditional exits. It only rewrites ops in
 * place (turning them into mov or nop), so it needs no allocation beyond
 * the constants it interns. Dead code left behind is removed by liveness.
 *
 * Knowledge per temp: a known constant value, and a ring of temps known to
 * hold the same value. Writing a temp takes it out of its ring; labels
 * forget everything; helpers that may write globals forget the globals.
 */
#include "accel/tcg/ir.h"

typedef struct Opt {
    IRContext *ctx;
    uint32_t nb_init;       /* temps whose optimizer fields are set up */
} Opt;

static IRTemp *T(Opt *o, uint32_t idx)
{
    return &o->ctx->temps[idx];
}

static void opt_init_temp(Opt *o, uint32_t i)
{
    IRTemp *ts = T(o, i);
    ts->opt_prev = ts->opt_next = i;
    ts->opt_is_const = ts->kind == IR_TEMP_CONST;
    ts->opt_val = ts->val;
}

/* Intern a constant; a new temp gets its own ring. */
static uint32_t opt_const_new(Opt *o, IRType type, uint64_t val)
{
    uint32_t idx = ir_const_new(o->ctx, type, val);
    while (o->nb_init < o->ctx->nb_temps) {
        opt_init_temp(o, o->nb_init++);
    }
    return idx;
}

static void opt_reset_temp(Opt *o, uint32_t t)
{
    IRTemp *ts = T(o, t);

    T(o, ts->opt_prev)->opt_next = ts->opt_next;
    T(o, ts->opt_next)->opt_prev = ts->opt_prev;
    ts->opt_prev = ts->opt_next = t;
    ts->opt_is_const = ts->kind == IR_TEMP_CONST;
    ts->opt_val = ts->val;
}

static void opt_init_all(Opt *o)
{
    for (uint32_t i = 0; i < o->ctx->nb_temps; i++) {
        opt_init_temp(o, i);
    }
    o->nb_init = o->ctx->nb_temps;
}

static void opt_reset_globals(Opt *o)
{
    for (uint32_t i = 0; i < o->ctx->nb_globals; i++) {
        if (T(o, i)->kind == IR_TEMP_GLOBAL) {
            opt_reset_temp(o, i);
        }
    }
}

static uint64_t type_mask(IRType type)
{
    return type == IR_TYPE_I32 ? 0xffffffffull : ~0ull;
}

/* The best temp holding the same value: a constant, else the longest-lived. */
static uint32_t opt_better(Opt *o, uint32_t t)
{
    IRTemp *ts = T(o, t);
    uint32_t best = t;

    if (ts->opt_is_const) {
        return ts->kind == IR_TEMP_CONST ? t
                                         : opt_const_new(o, (IRType)ts->type, ts->opt_val);
    }
    for (uint32_t i = ts->opt_next; i != t; i = T(o, i)->opt_next) {
        if (T(o, i)->kind > T(o, best)->kind) {
            best = i;
        }
    }
    return best;
}

static bool opt_const(Opt *o, uint32_t t, uint64_t *val)
{
    if (T(o, t)->opt_is_const) {
        *val = T(o, t)->opt_val;
        return true;
    }
    return false;
}

static bool opt_is_copy(Opt *o, uint32_t a, uint32_t b)
{
    if (a == b) {
        return true;
    }
    for (uint32_t i = T(o, a)->opt_next; i != a; i = T(o, i)->opt_next) {
        if (i == b) {
            return true;
        }
    }
    return false;
}

/* op becomes "mov out, src" and out joins src's ring. */
static void opt_to_mov(Opt *o, IROp *op, IRType type, uint32_t src)
{
    uint32_t out = (uint32_t)op->args[0];

    if (out == src) {
        op->opc = IR_OP_nop;
        op->nb_oargs = op->nb_iargs = 0;
        return;
    }
    op->opc = type == IR_TYPE_I64 ? IR_OP_mov_i64 : IR_OP_mov_i32;
    op->nb_oargs = 1;
    op->nb_iargs = 1;
    op->args[1] = src;
    opt_reset_temp(o, out);
    if (T(o, src)->opt_is_const) {
        T(o, out)->opt_is_const = true;
        T(o, out)->opt_val = T(o, src)->opt_val;
    }
    IRTemp *os = T(o, out), *ss = T(o, src);
    os->opt_next = ss->opt_next;
    os->opt_prev = src;
    T(o, ss->opt_next)->opt_prev = out;
    ss->opt_next = out;
}

static void opt_to_movi(Opt *o, IROp *op, IRType type, uint64_t val)
{
    opt_to_mov(o, op, type, opt_const_new(o, type, val & type_mask(type)));
}

static void opt_to_unop(Opt *o, IROp *op, IROpcode opc, uint32_t src)
{
    op->opc = opc;
    op->nb_oargs = 1;
    op->nb_iargs = 1;
    op->args[1] = src;
    opt_reset_temp(o, (uint32_t)op->args[0]);
}

static void opt_swap_args(IROp *op, unsigned i, unsigned j)
{
    IRArg tmp = op->args[i];
    op->args[i] = op->args[j];
    op->args[j] = tmp;
}

/*
 * Identities for two-input ops whose second input is the constant b, or
 * whose inputs are the same value. Returns true when op was rewritten.
 */
static bool opt_simplify(Opt *o, IROp *op, IRType type)
{
    uint32_t a = (uint32_t)op->args[1], bt = (uint32_t)op->args[2];
    uint64_t m = type_mask(type), b = 0, av = 0;
    bool bc = opt_const(o, bt, &b), ac = opt_const(o, a, &av);
    bool same = opt_is_copy(o, a, bt);
    bool is64 = type == IR_TYPE_I64;
    unsigned w = is64 ? 64 : 32;

    b &= m;
    switch (op->opc) {
    case IR_OP_add_i32: case IR_OP_add_i64:
    case IR_OP_or_i32: case IR_OP_or_i64:
    case IR_OP_xor_i32: case IR_OP_xor_i64:
        if (bc && b == 0) {
            opt_to_mov(o, op, type, a);
            return true;
        }
        if (op->opc == IR_OP_or_i32 || op->opc == IR_OP_or_i64) {
            if (bc && b == m) {
                opt_to_movi(o, op, type, m);
                return true;
            }
            if (same) {
                opt_to_mov(o, op, type, a);
                return true;
            }
        }
        if (op->opc == IR_OP_xor_i32 || op->opc == IR_OP_xor_i64) {
            if (same) {
                opt_to_movi(o, op, type, 0);
                return true;
            }
            if (bc && b == m) {
                opt_to_unop(o, op, is64 ? IR_OP_not_i64 : IR_OP_not_i32, a);
                return true;
            }
        }
        break;
    case IR_OP_sub_i32: case IR_OP_sub_i64:
        if (same) {
            opt_to_movi(o, op, type, 0);
            return true;
        }
        if (bc && b == 0) {
            opt_to_mov(o, op, type, a);
            return true;
        }
        if (ac && (av & m) == 0) {
            opt_to_unop(o, op, is64 ? IR_OP_neg_i64 : IR_OP_neg_i32, bt);
            return true;
        }
        break;
    case IR_OP_shl_i32: case IR_OP_shl_i64:
    case IR_OP_shr_i32: case IR_OP_shr_i64:
    case IR_OP_sar_i32: case IR_OP_sar_i64:
    case IR_OP_rotl_i32: case IR_OP_rotl_i64:
    case IR_OP_rotr_i32: case IR_OP_rotr_i64:
        if (bc && (b & (w - 1)) == 0) {
            opt_to_mov(o, op, type, a);
            return true;
        }
        if (ac && av == 0) {
            opt_to_movi(o, op, type, 0);
            return true;
        }
        break;
    case IR_OP_and_i32: case IR_OP_and_i64:
        if (same || (bc && b == m)) {
            opt_to_mov(o, op, type, a);
            return true;
        }
        if (bc && b == 0) {
            opt_to_movi(o, op, type, 0);
            return true;
        }
        /* Masks the backend does as zero-extending moves. */
        if (bc && b == 0xff) {
            opt_to_unop(o, op, is64 ? IR_OP_ext8u_i64 : IR_OP_ext8u_i32, a);
            return true;
        }
        if (bc && b == 0xffff) {
            opt_to_unop(o, op, is64 ? IR_OP_ext16u_i64 : IR_OP_ext16u_i32, a);
            return true;
        }
        if (bc && is64 && b == 0xffffffffull) {
            opt_to_unop(o, op, IR_OP_ext32u_i64, a);
            return true;
        }
        break;
    case IR_OP_andc_i32: case IR_OP_andc_i64:
        if (same || (bc && b == m)) {
            opt_to_movi(o, op, type, 0);
            return true;
        }
        if (bc && b == 0) {
            opt_to_mov(o, op, type, a);
            return true;
        }
        if (bc) {
            /* and with the inverted constant needs no register for ~b */
            op->opc = is64 ? IR_OP_and_i64 : IR_OP_and_i32;
            op->args[2] = opt_const_new(o, type, ~b & m);
            return opt_simplify(o, op, type);
        }
        break;
    case IR_OP_orc_i32: case IR_OP_orc_i64:
        if (same || (bc && b == 0)) {
            opt_to_movi(o, op, type, m);
            return true;
        }
        if (bc && b == m) {
            opt_to_mov(o, op, type, a);
            return true;
        }
        if (bc) {
            op->opc = is64 ? IR_OP_or_i64 : IR_OP_or_i32;
            op->args[2] = opt_const_new(o, type, ~b & m);
            return opt_simplify(o, op, type);
        }
        break;
    case IR_OP_mul_i32: case IR_OP_mul_i64:
        if (bc && b == 0) {
            opt_to_movi(o, op, type, 0);
            return true;
        }
        if (bc && b == 1) {
            opt_to_mov(o, op, type, a);
            return true;
        }
        if (bc && (b & (b - 1)) == 0) {
            op->opc = is64 ? IR_OP_shl_i64 : IR_OP_shl_i32;
            op->args[2] = opt_const_new(o, type, __builtin_ctzll(b));
            break;
        }
        break;
    default:
        break;
    }
    return false;
}

/* Result of cond(a, a), or -1 if it depends on the value. */
static int cond_same(IRCond c)
{
    switch (c) {
    case IR_COND_EQ: case IR_COND_GE: case IR_COND_LE:
    case IR_COND_GEU: case IR_COND_LEU: case IR_COND_ALWAYS:
        return 1;
    case IR_COND_NE: case IR_COND_LT: case IR_COND_GT:
    case IR_COND_LTU: case IR_COND_GTU: case IR_COND_NEVER:
        return 0;
    default:
        return -1;
    }
}

/* Fold cond(a, b) when known: 1/0, or -1. */
static int opt_fold_cond(Opt *o, IRCond c, uint32_t a, uint32_t b, bool is64)
{
    uint64_t av, bv;

    if (opt_const(o, a, &av) && opt_const(o, b, &bv)) {
        return ir_cond_eval(c, av, bv, is64);
    }
    if (opt_is_copy(o, a, b)) {
        return cond_same(c);
    }
    if (opt_const(o, b, &bv) && bv == 0) {
        if (c == IR_COND_LTU || c == IR_COND_TSTNE) {
            return 0;
        }
        if (c == IR_COND_GEU || c == IR_COND_TSTEQ) {
            return 1;
        }
    }
    return -1;
}

/* Put a constant first input second, swapping the condition if any. */
static void opt_canonicalize(Opt *o, IROp *op, unsigned i0, int cond_idx)
{
    uint64_t v;

    if (opt_const(o, (uint32_t)op->args[i0], &v) &&
        !opt_const(o, (uint32_t)op->args[i0 + 1], &v)) {
        opt_swap_args(op, i0, i0 + 1);
        if (cond_idx >= 0) {
            op->args[cond_idx] = ir_cond_swap((IRCond)op->args[cond_idx]);
        }
    }
}

static void opt_remove(IROp *op)
{
    if (ir_op_def(op)->flags & IR_OPF_HAS_LABEL && op->opc != IR_OP_set_label) {
        IRLabel *l = ir_arg_label(op->args[ir_op_nb_cargs(op) + op->nb_oargs +
                                          op->nb_iargs - 1]);
        l->refs--;
    }
    op->opc = IR_OP_nop;
    op->nb_oargs = op->nb_iargs = 0;
}

void tcg_optimize(IRContext *ctx)
{
    Opt o = { .ctx = ctx };
    bool unreachable = false;

    opt_init_all(&o);
    for (uint32_t i = 0; i < ctx->nb_ops; i++) {
        IROp *op = &ctx->ops[i];
        const IROpDef *def = ir_op_def(op);
        unsigned nb_o = op->nb_oargs, nb_i = op->nb_iargs;
        IRType type = (def->flags & IR_OPF_I64) ? IR_TYPE_I64 : IR_TYPE_I32;

        if (op->opc == IR_OP_nop) {
            continue;
        }
        if (op->opc == IR_OP_set_label) {
            IRLabel *l = ir_arg_label(op->args[0]);
            if (l->refs == 0) {
                /* Nobody branches here: the blocks merge. */
                op->opc = IR_OP_nop;
                continue;
            }
            unreachable = false;
            opt_init_all(&o);
            continue;
        }
        if (unreachable) {
            opt_remove(op);
            continue;
        }

        for (unsigned k = 0; k < nb_i; k++) {
            op->args[nb_o + k] = opt_better(&o, (uint32_t)op->args[nb_o + k]);
        }

        switch (op->opc) {
        case IR_OP_insn_start:
        case IR_OP_mb:
        case IR_OP_goto_tb:
            continue;
        case IR_OP_discard:
            opt_reset_temp(&o, (uint32_t)op->args[0]);
            continue;
        case IR_OP_br:
        case IR_OP_exit_tb:
        case IR_OP_goto_ptr:
            unreachable = true;
            continue;
        case IR_OP_call: {
            const IRHelperInfo *info =
                (const IRHelperInfo *)(uintptr_t)op->args[nb_o + nb_i];
            if (!(info->flags & IR_CALL_NO_WRITE_GLOBALS)) {
                opt_reset_globals(&o);
            }
            for (unsigned k = 0; k < nb_o; k++) {
                opt_reset_temp(&o, (uint32_t)op->args[k]);
            }
            continue;
        }
        case IR_OP_brcond_i32:
        case IR_OP_brcond_i64: {
            opt_canonicalize(&o, op, 0, 2);
            int r = opt_fold_cond(&o, (IRCond)op->args[2], (uint32_t)op->args[0],
                                  (uint32_t)op->args[1], op->opc == IR_OP_brcond_i64);
            if (r == 0) {
                opt_remove(op);
            } else if (r == 1) {
                op->opc = IR_OP_br;
                op->nb_oargs = op->nb_iargs = 0;
                op->args[0] = op->args[3];
                unreachable = true;
            }
            continue;
        }
        case IR_OP_mov_i32:
        case IR_OP_mov_i64:
            opt_to_mov(&o, op, type, (uint32_t)op->args[1]);
            continue;
        default:
            break;
        }

        if (!(def->flags & IR_OPF_PURE)) {
            for (unsigned k = 0; k < nb_o; k++) {
                opt_reset_temp(&o, (uint32_t)op->args[k]);
            }
            continue;
        }

        if (op->opc == IR_OP_setcond_i32 || op->opc == IR_OP_setcond_i64) {
            opt_canonicalize(&o, op, 1, 3);
            int r = opt_fold_cond(&o, (IRCond)op->args[3], (uint32_t)op->args[1],
                                  (uint32_t)op->args[2], type == IR_TYPE_I64);
            if (r >= 0) {
                opt_to_movi(&o, op, type, r);
                continue;
            }
        } else if (op->opc == IR_OP_movcond_i32 || op->opc == IR_OP_movcond_i64) {
            int r = opt_fold_cond(&o, (IRCond)op->args[5], (uint32_t)op->args[1],
                                  (uint32_t)op->args[2], type == IR_TYPE_I64);
            if (r >= 0 || opt_is_copy(&o, (uint32_t)op->args[3], (uint32_t)op->args[4])) {
                opt_to_mov(&o, op, type, (uint32_t)op->args[r == 0 ? 4 : 3]);
                continue;
            }
            opt_canonicalize(&o, op, 1, 5);
        } else if (def->flags & IR_OPF_COMMUTATIVE) {
            opt_canonicalize(&o, op, nb_o, -1);
        }

        /* Fold single-output ops whose inputs are all known. */
        bool all_const = nb_o == 1;
        uint64_t in[6], out[2];
        for (unsigned k = 0; k < nb_i && all_const; k++) {
            all_const = opt_const(&o, (uint32_t)op->args[nb_o + k], &in[k]);
        }
        if (all_const) {
            ir_eval_pure((IROpcode)op->opc, out, in, &op->args[nb_o + nb_i]);
            opt_to_movi(&o, op, type, out[0]);
            continue;
        }
        if (nb_o == 1 && nb_i == 2 && opt_simplify(&o, op, type)) {
            continue;
        }
        if ((op->opc == IR_OP_deposit_i32 || op->opc == IR_OP_deposit_i64) &&
            op->args[4] == (type == IR_TYPE_I64 ? 64u : 32u)) {
            opt_to_mov(&o, op, type, (uint32_t)op->args[2]);
            continue;
        }
        for (unsigned k = 0; k < nb_o; k++) {
            opt_reset_temp(&o, (uint32_t)op->args[k]);
        }
    }
}
