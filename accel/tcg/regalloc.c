/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The register allocator and code generation driver: one forward pass over
 * the block after liveness. Every temp is either dead, in a host register,
 * in memory (globals at env + offset, other temps in a frame slot) or a
 * known constant. Inputs are brought into registers that satisfy the op's
 * constraints (or passed as immediates), dead inputs free their registers,
 * outputs get registers and are stored at once when liveness asks for it.
 * Guest globals thus stay cached in host registers inside a block and are
 * written back only where the guest state must be in memory. When no
 * register is free, a clean value is evicted before a dirty one.
 */
#include "accel/tcg/backend.h"

#include <errno.h>
#include <string.h>

#define REG_NONE UINT32_MAX
#define INSN_MARGIN 1024   /* more than any single op emits */

static IRTemp *temp_of(TCGCodeGen *s, IRArg a)
{
    return &s->ctx->temps[a];
}

static uint32_t temp_idx(TCGCodeGen *s, IRTemp *ts)
{
    return (uint32_t)(ts - s->ctx->temps);
}

static void temp_alloc_slot(TCGCodeGen *s, IRTemp *ts)
{
    if (s->nb_free_slots) {
        ts->mem_offset = s->free_slots[--s->nb_free_slots];
    } else if (s->frame_next + 8 <= tcg_target_frame_spill_end) {
        ts->mem_offset = s->frame_next;
        s->frame_next += 8;
    } else {
        /* Keep emitting into a harmless slot; the block is rejected. */
        s->err = -E2BIG;
        ts->mem_offset = tcg_target_frame_spill_start;
    }
    ts->mem_allocated = true;
}

static int temp_base(const IRTemp *ts)
{
    return ts->kind == IR_TEMP_GLOBAL ? tcg_target_reg_env : tcg_target_reg_sp;
}

/* Make the memory copy of ts up to date; its location does not change. */
static void temp_sync(TCGCodeGen *s, IRTemp *ts)
{
    if (ts->kind == IR_TEMP_CONST || ts->kind == IR_TEMP_FIXED || ts->mem_coherent) {
        return;
    }
    if (ts->val_type != IR_VAL_REG && ts->val_type != IR_VAL_CONST) {
        return;
    }
    if (!ts->mem_allocated) {
        temp_alloc_slot(s, ts);
    }
    if (ts->val_type == IR_VAL_REG) {
        tcg_out_st(s, (IRType)ts->type, ts->reg, temp_base(ts), ts->mem_offset);
    } else if (!tcg_out_sti(s, (IRType)ts->type, ts->cval, temp_base(ts),
                            ts->mem_offset)) {
        /* The scratch register is never allocated, so it is free here. */
        tcg_out_movi(s, (IRType)ts->type, tcg_target_reg_tmp, ts->cval);
        tcg_out_st(s, (IRType)ts->type, tcg_target_reg_tmp, temp_base(ts),
                   ts->mem_offset);
    }
    ts->mem_coherent = true;
}

/*
 * Release ts's register. dead: its value is no longer needed at all;
 * otherwise it must already be in memory (synced by the caller).
 */
static void temp_release(TCGCodeGen *s, IRTemp *ts, bool dead)
{
    if (ts->kind == IR_TEMP_FIXED) {
        return;
    }
    if (ts->val_type == IR_VAL_REG) {
        s->reg_to_temp[ts->reg] = REG_NONE;
        ts->reg = -1;
    }
    switch (ts->kind) {
    case IR_TEMP_CONST:
        ts->val_type = IR_VAL_CONST;
        ts->cval = ts->val;
        break;
    case IR_TEMP_GLOBAL:
    case IR_TEMP_LOCAL:
        /* Liveness guarantees memory holds whatever is still needed. */
        ts->val_type = ts->mem_allocated ? IR_VAL_MEM : IR_VAL_DEAD;
        if (ts->val_type == IR_VAL_MEM && !dead) {
            g_assert(ts->mem_coherent);
        }
        ts->mem_coherent = true;
        break;
    default:
        if (dead) {
            ts->val_type = IR_VAL_DEAD;
            if (ts->mem_allocated) {
                s->free_slots[s->nb_free_slots++] = ts->mem_offset;
                ts->mem_allocated = false;
            }
        } else {
            g_assert(ts->mem_coherent);
            ts->val_type = IR_VAL_MEM;
        }
        break;
    }
}

static void temp_dead(TCGCodeGen *s, IRTemp *ts)
{
    temp_release(s, ts, true);
}

/* Spill whatever lives in reg. */
static void reg_free(TCGCodeGen *s, int reg)
{
    uint32_t t = s->reg_to_temp[reg];
    if (t != REG_NONE) {
        IRTemp *ts = &s->ctx->temps[t];
        temp_sync(s, ts);
        temp_release(s, ts, false);
    }
}

/* Pick a register in required, not in avoid; evict if none is free. */
static int reg_alloc(TCGCodeGen *s, TCGRegSet required, TCGRegSet avoid)
{
    TCGRegSet set = required & ~avoid & ~s->reserved_regs;

    for (unsigned i = 0; i < tcg_target_nb_alloc_order; i++) {
        int r = tcg_target_reg_alloc_order[i];
        if ((set & (1u << r)) && s->reg_to_temp[r] == REG_NONE) {
            return r;
        }
    }
    for (int pass = 0; pass < 2; pass++) {
        for (unsigned i = 0; i < tcg_target_nb_alloc_order; i++) {
            int r = tcg_target_reg_alloc_order[i];
            if (!(set & (1u << r))) {
                continue;
            }
            if (s->reg_to_temp[r] == REG_NONE) {
                return r;
            }
            IRTemp *ts = &s->ctx->temps[s->reg_to_temp[r]];
            if (pass == 1 || ts->mem_coherent || ts->kind == IR_TEMP_CONST) {
                reg_free(s, r);
                return r;
            }
        }
    }
    g_assert_not_reached();
}

/* Put ts's value into reg without making reg its home. */
static void temp_copy_to(TCGCodeGen *s, IRTemp *ts, int reg)
{
    switch (ts->val_type) {
    case IR_VAL_REG:
        tcg_out_mov(s, (IRType)ts->type, reg, ts->reg);
        break;
    case IR_VAL_CONST:
        tcg_out_movi(s, (IRType)ts->type, reg, ts->cval);
        break;
    case IR_VAL_MEM:
        tcg_out_ld(s, (IRType)ts->type, reg, temp_base(ts), ts->mem_offset);
        break;
    default:
        /* Read of an undefined temp: a front-end bug; use 0 predictably. */
        tcg_out_movi(s, (IRType)ts->type, reg, 0);
        break;
    }
}

static void temp_assign(TCGCodeGen *s, IRTemp *ts, int reg)
{
    if (ts->val_type == IR_VAL_REG && ts->reg != reg) {
        s->reg_to_temp[ts->reg] = REG_NONE;
    }
    ts->val_type = IR_VAL_REG;
    ts->reg = reg;
    s->reg_to_temp[reg] = temp_idx(s, ts);
}

/* Give ts a home register within required. */
static void temp_load(TCGCodeGen *s, IRTemp *ts, TCGRegSet required, TCGRegSet avoid)
{
    /* env stays in its reserved register and is used from there. */
    if (ts->kind == IR_TEMP_FIXED ||
        (ts->val_type == IR_VAL_REG && (required & (1u << ts->reg)))) {
        return;
    }
    int reg = reg_alloc(s, required, avoid | (ts->val_type == IR_VAL_REG ?
                                              (1u << ts->reg) : 0));
    temp_copy_to(s, ts, reg);
    if (ts->val_type == IR_VAL_MEM) {
        ts->mem_coherent = true;
    } else if (ts->val_type == IR_VAL_DEAD) {
        ts->mem_coherent = false;
    }
    temp_assign(s, ts, reg);
}

static void sync_globals(TCGCodeGen *s, bool with_locals)
{
    for (uint32_t i = 0; i < s->ctx->nb_temps; i++) {
        IRTemp *ts = &s->ctx->temps[i];
        if (ts->kind == IR_TEMP_GLOBAL || (with_locals && ts->kind == IR_TEMP_LOCAL)) {
            temp_sync(s, ts);
        }
    }
}

static void save_globals(TCGCodeGen *s)
{
    for (uint32_t i = 0; i < s->ctx->nb_globals; i++) {
        IRTemp *ts = &s->ctx->temps[i];
        if (ts->kind == IR_TEMP_GLOBAL) {
            temp_sync(s, ts);
            temp_release(s, ts, false);
        }
    }
}

/* Control-flow merge point: everything that lives on is in memory. */
static void bb_end_free(TCGCodeGen *s)
{
    for (uint32_t i = 0; i < s->ctx->nb_temps; i++) {
        IRTemp *ts = &s->ctx->temps[i];
        switch (ts->kind) {
        case IR_TEMP_GLOBAL:
        case IR_TEMP_LOCAL:
            temp_sync(s, ts);
            temp_release(s, ts, false);
            break;
        case IR_TEMP_NORMAL:
        case IR_TEMP_CONST:
            temp_dead(s, ts);
            break;
        default:
            break;
        }
    }
}

/* After an exit: nothing flows on, so forget register contents unsaved. */
static void bb_reset(TCGCodeGen *s)
{
    for (uint32_t i = 0; i < s->ctx->nb_temps; i++) {
        IRTemp *ts = &s->ctx->temps[i];
        if (ts->kind == IR_TEMP_GLOBAL || ts->kind == IR_TEMP_LOCAL) {
            ts->mem_coherent = true;
        }
        temp_release(s, ts, true);
    }
}

static void temps_init(TCGCodeGen *s)
{
    for (uint32_t i = 0; i < TCG_NB_REGS; i++) {
        s->reg_to_temp[i] = REG_NONE;
    }
    for (uint32_t i = 0; i < s->ctx->nb_temps; i++) {
        IRTemp *ts = &s->ctx->temps[i];
        ts->reg = -1;
        ts->mem_coherent = true;
        switch (ts->kind) {
        case IR_TEMP_FIXED:
            ts->val_type = IR_VAL_REG;
            ts->reg = tcg_target_reg_env;
            break;
        case IR_TEMP_GLOBAL:
            ts->val_type = IR_VAL_MEM;
            ts->mem_allocated = true;
            break;
        case IR_TEMP_CONST:
            ts->val_type = IR_VAL_CONST;
            ts->cval = ts->val;
            break;
        default:
            ts->val_type = IR_VAL_DEAD;
            ts->mem_allocated = false;
            break;
        }
    }
}

static void after_outputs(TCGCodeGen *s, const IROp *op)
{
    for (unsigned k = 0; k < op->nb_oargs; k++) {
        IRTemp *ts = temp_of(s, op->args[k]);
        if (op->life & IR_SYNC_ARG(k)) {
            temp_sync(s, ts);
        }
        if (op->life & IR_DEAD_ARG(k)) {
            temp_dead(s, ts);
        }
    }
}

static void reg_alloc_mov(TCGCodeGen *s, const IROp *op)
{
    IRTemp *ots = temp_of(s, op->args[0]);
    IRTemp *ts = temp_of(s, op->args[1]);
    bool src_dead = op->life & IR_DEAD_ARG(1);
    TCGRegSet all = (TCGRegSet)~s->reserved_regs;

    if (ts == ots) {
        after_outputs(s, op);
        return;
    }
    if (ts->val_type == IR_VAL_CONST) {
        uint64_t v = ts->cval;
        if (src_dead) {
            temp_dead(s, ts);
        }
        if (ots->val_type == IR_VAL_REG) {
            s->reg_to_temp[ots->reg] = REG_NONE;
            ots->reg = -1;
        }
        ots->val_type = IR_VAL_CONST;
        ots->cval = ots->type == IR_TYPE_I32 ? (uint32_t)v : v;
        ots->mem_coherent = false;
        after_outputs(s, op);
        return;
    }
    temp_load(s, ts, all, s->reserved_regs);
    if ((op->life & IR_DEAD_ARG(0)) && (op->life & IR_SYNC_ARG(0))) {
        /* Only the memory copy matters: store straight from the source. */
        if (!ots->mem_allocated) {
            temp_alloc_slot(s, ots);
        }
        tcg_out_st(s, (IRType)ots->type, ts->reg, temp_base(ots), ots->mem_offset);
        if (ots->val_type == IR_VAL_REG) {
            s->reg_to_temp[ots->reg] = REG_NONE;
            ots->reg = -1;
        }
        ots->val_type = IR_VAL_MEM;
        ots->mem_coherent = true;
        if (src_dead) {
            temp_dead(s, ts);
        }
        return;
    }
    int reg;
    if (src_dead && ts->kind != IR_TEMP_FIXED) {
        reg = ts->reg;
        temp_dead(s, ts);
    } else {
        reg = reg_alloc(s, all, s->reserved_regs | (1u << ts->reg));
        tcg_out_mov(s, (IRType)ots->type, reg, ts->reg);
    }
    temp_assign(s, ots, reg);
    ots->mem_coherent = false;
    after_outputs(s, op);
}

static void reg_alloc_call(TCGCodeGen *s, const IROp *op)
{
    unsigned nb_o = op->nb_oargs, nb_i = op->nb_iargs;
    const IRHelperInfo *info = (const IRHelperInfo *)(uintptr_t)op->args[nb_o + nb_i];

    for (unsigned i = 0; i < nb_i; i++) {
        IRTemp *ts = temp_of(s, op->args[nb_o + i]);
        if (i < 6) {
            int reg = tcg_target_call_iarg_regs[i];
            if (!(ts->val_type == IR_VAL_REG && ts->reg == reg)) {
                reg_free(s, reg);
                temp_copy_to(s, ts, reg);
            }
            /* Keep later arguments from evicting this one. */
            s->reserved_regs |= 1u << reg;
        } else {
            int32_t ofs = tcg_target_frame_call_args + (i - 6) * 8;
            if (ts->val_type == IR_VAL_CONST &&
                tcg_out_sti(s, IR_TYPE_I64, ts->cval, tcg_target_reg_sp, ofs)) {
                continue;
            }
            temp_copy_to(s, ts, tcg_target_reg_tmp);
            tcg_out_st(s, IR_TYPE_I64, tcg_target_reg_tmp, tcg_target_reg_sp, ofs);
        }
    }
    for (unsigned i = 0; i < nb_i && i < 6; i++) {
        s->reserved_regs &= ~(1u << tcg_target_call_iarg_regs[i]);
    }
    for (unsigned i = 0; i < nb_i; i++) {
        if (op->life & IR_DEAD_ARG(nb_o + i)) {
            temp_dead(s, temp_of(s, op->args[nb_o + i]));
        }
    }
    for (int r = 0; r < TCG_NB_REGS; r++) {
        if (tcg_target_call_clobber & (1u << r)) {
            reg_free(s, r);
        }
    }
    if (!(info->flags & IR_CALL_NO_WRITE_GLOBALS)) {
        save_globals(s);
    } else if (!(info->flags & IR_CALL_NO_READ_GLOBALS)) {
        sync_globals(s, false);
    }
    tcg_out_call(s, info->func);
    if (nb_o) {
        IRTemp *ots = temp_of(s, op->args[0]);
        temp_assign(s, ots, tcg_target_call_oarg_reg);
        ots->mem_coherent = false;
    }
    after_outputs(s, op);
}

static void reg_alloc_op(TCGCodeGen *s, const IROp *op)
{
    const IROpDef *def = ir_op_def(op);
    const TCGOpConstraint *c = &s->constraints[op->opc];
    unsigned nb_o = def->nb_oargs, nb_i = def->nb_iargs, nb_c = def->nb_cargs;
    IRArg new_args[IR_MAX_ARGS];
    bool const_args[IR_MAX_ARGS] = { false };
    int scratch[2] = { -1, -1 };
    TCGRegSet i_alloc = 0, o_alloc = 0, dead_homes = 0;

    g_assert(c->valid);
    for (unsigned k = 0; k < nb_c; k++) {
        new_args[nb_o + nb_i + k] = op->args[nb_o + nb_i + k];
    }
    for (int r = 0; r < TCG_NB_REGS; r++) {
        if (c->clobber & (1u << r)) {
            reg_free(s, r);
        }
    }

    for (unsigned k = 0; k < nb_i; k++) {
        unsigned arg = nb_o + c->sort_index[k];
        const TCGArgConstraint *ct = &c->args[arg];
        IRTemp *ts = temp_of(s, op->args[arg]);
        bool dead = op->life & IR_DEAD_ARG(arg);
        int reg;

        if (ts->val_type == IR_VAL_CONST &&
            tcg_target_const_match(ts->cval, (IRType)ts->type, ct)) {
            const_args[arg] = true;
            new_args[arg] = ts->cval;
            continue;
        }
        if (ct->ialias) {
            if (dead && ts->val_type == IR_VAL_REG && ts->kind != IR_TEMP_FIXED &&
                (ct->regs & (1u << ts->reg)) && !(i_alloc & (1u << ts->reg))) {
                reg = ts->reg;
                dead_homes |= 1u << reg;
            } else {
                reg = reg_alloc(s, ct->regs, i_alloc | c->clobber |
                                (ts->val_type == IR_VAL_REG ? 1u << ts->reg : 0));
                temp_copy_to(s, ts, reg);
            }
        } else if ((ct->regs & (ct->regs - 1)) == 0) {
            reg = __builtin_ctz(ct->regs);
            if (!(ts->val_type == IR_VAL_REG && ts->reg == reg)) {
                reg_free(s, reg);
                temp_copy_to(s, ts, reg);
            } else if (dead) {
                dead_homes |= 1u << reg;
            }
        } else {
            temp_load(s, ts, ct->regs, i_alloc | c->clobber);
            reg = ts->reg;
            if (dead && ts->kind != IR_TEMP_FIXED) {
                dead_homes |= 1u << reg;
            }
        }
        new_args[arg] = reg;
        i_alloc |= 1u << reg;
    }

    for (unsigned k = 0; k < c->nb_scratch; k++) {
        scratch[k] = reg_alloc(s, (TCGRegSet)~c->clobber, i_alloc | c->clobber);
        i_alloc |= 1u << scratch[k];
    }

    for (unsigned k = 0; k < nb_i; k++) {
        if (op->life & IR_DEAD_ARG(nb_o + k)) {
            temp_dead(s, temp_of(s, op->args[nb_o + k]));
        }
    }

    if (def->flags & IR_OPF_COND_BRANCH) {
        sync_globals(s, true);
    } else if (def->flags & (IR_OPF_GUEST_MEM | IR_OPF_BB_EXIT)) {
        sync_globals(s, false);
    }

    for (unsigned k = 0; k < nb_o; k++) {
        const TCGArgConstraint *ct = &c->args[k];
        IRTemp *ts = temp_of(s, op->args[k]);
        int reg;

        if (ct->oalias) {
            reg = (int)new_args[nb_o + ct->alias_index];
            if (s->reg_to_temp[reg] != REG_NONE &&
                s->reg_to_temp[reg] != temp_idx(s, ts)) {
                reg_free(s, reg);
            }
        } else if ((ct->regs & (ct->regs - 1)) == 0) {
            reg = __builtin_ctz(ct->regs);
            if (s->reg_to_temp[reg] != REG_NONE &&
                s->reg_to_temp[reg] != temp_idx(s, ts)) {
                reg_free(s, reg);
            }
        } else {
            TCGRegSet avoid = o_alloc | (ct->newreg ? i_alloc : i_alloc & ~dead_homes);
            if (ts->val_type == IR_VAL_REG && (ct->regs & (1u << ts->reg)) &&
                !(avoid & (1u << ts->reg))) {
                /* Overwrite in place rather than evicting the old value. */
                reg = ts->reg;
            } else {
                reg = reg_alloc(s, ct->regs, avoid);
            }
        }
        o_alloc |= 1u << reg;
        temp_assign(s, ts, reg);
        ts->mem_coherent = false;
        new_args[k] = reg;
    }

    tcg_out_op(s, (IROpcode)op->opc, new_args, const_args, scratch);
    after_outputs(s, op);
}

static void record_insn(TCGCodeGen *s, uint64_t pc)
{
    if (s->nb_insns) {
        s->insn_end_off[s->nb_insns - 1] = tcg_current_offset(s);
    }
    if (s->nb_insns == s->insn_cap) {
        s->insn_cap = s->insn_cap ? s->insn_cap * 2 : 64;
        s->insn_end_off = g_renew(uint32_t, s->insn_end_off, s->insn_cap);
        s->insn_pc = g_renew(uint64_t, s->insn_pc, s->insn_cap);
    }
    s->insn_pc[s->nb_insns++] = pc;
}

int tcg_gen_code(TCGCodeGen *s, IRContext *ctx, TCGBlockCode *out)
{
    size_t avail;

    tcg_liveness(ctx);

    s->ctx = ctx;
    s->code_buf = codebuf_begin(s->cb, &avail);
    if (avail < 2 * INSN_MARGIN) {
        return -ENOSPC;
    }
    s->code_ptr = s->code_buf;
    s->code_end = s->code_buf + avail;
    s->code_limit = s->code_end - INSN_MARGIN;
    s->frame_next = tcg_target_frame_spill_start;
    s->nb_free_slots = 0;
    s->err = 0;
    s->ldst_head = NULL;
    s->nb_insns = 0;
    for (int i = 0; i < 2; i++) {
        s->jmp_insn_off[i] = s->jmp_reset_off[i] = UINT32_MAX;
    }
    for (uint32_t i = 0; i < ctx->nb_labels; i++) {
        ctx->labels[i]->has_value = false;
        ctx->labels[i]->relocs = NULL;
    }
    temps_init(s);

    bool reachable = true;
    for (uint32_t i = 0; i < ctx->nb_ops; i++) {
        const IROp *op = &ctx->ops[i];

        if (s->code_ptr > s->code_limit) {
            return -ENOSPC;
        }
        switch (op->opc) {
        case IR_OP_nop:
            break;
        case IR_OP_discard:
            temp_dead(s, temp_of(s, op->args[0]));
            break;
        case IR_OP_insn_start:
            record_insn(s, op->args[0]);
            break;
        case IR_OP_mov_i32:
        case IR_OP_mov_i64:
            reg_alloc_mov(s, op);
            break;
        case IR_OP_call:
            reg_alloc_call(s, op);
            break;
        case IR_OP_set_label:
            if (reachable) {
                bb_end_free(s);
            } else {
                bb_reset(s);
            }
            tcg_out_label(s, ir_arg_label(op->args[0]));
            reachable = true;
            break;
        case IR_OP_br:
            bb_end_free(s);
            tcg_out_br(s, ir_arg_label(op->args[0]));
            reachable = false;
            break;
        case IR_OP_exit_tb:
            sync_globals(s, false);
            tcg_out_exit_tb(s, (uintptr_t)op->args[0]);
            bb_reset(s);
            reachable = false;
            break;
        case IR_OP_goto_tb:
            g_assert(op->args[0] < 2);
            sync_globals(s, false);
            tcg_out_goto_tb(s, (unsigned)op->args[0]);
            break;
        default:
            reg_alloc_op(s, op);
            if (op->opc == IR_OP_goto_ptr) {
                bb_reset(s);
                reachable = false;
            }
            break;
        }
    }
    if (reachable) {
        /* Falling off the end of a block returns 0. */
        sync_globals(s, false);
        tcg_out_exit_tb(s, 0);
    }
    if (s->nb_insns) {
        s->insn_end_off[s->nb_insns - 1] = tcg_current_offset(s);
    }
    if (s->err) {
        return s->err;
    }
    s->code_limit = s->code_end - INSN_MARGIN / 4;
    if (!tcg_out_ldst_finalize(s) || s->code_ptr > s->code_limit) {
        return -ENOSPC;
    }
    for (uint32_t i = 0; i < ctx->nb_labels; i++) {
        /* A branch to a label that was never placed is a front-end bug. */
        g_assert(ctx->labels[i]->relocs == NULL || ctx->labels[i]->has_value);
    }

    size_t len = s->code_ptr - s->code_buf;
    out->code = codebuf_commit(s->cb, len);
    out->size = len;
    for (int i = 0; i < 2; i++) {
        out->jmp_insn_off[i] = s->jmp_insn_off[i];
        out->jmp_reset_off[i] = s->jmp_reset_off[i];
    }
    out->nb_insns = s->nb_insns;
    out->insn_end_off = s->insn_end_off;
    out->insn_pc = s->insn_pc;
    return 0;
}

int tcg_block_find_insn(const TCGBlockCode *b, uintptr_t host_pc)
{
    uintptr_t start = (uintptr_t)b->code;

    /* host_pc is a return address: the call itself ends there. */
    if (host_pc <= start || host_pc > start + b->size) {
        return -1;
    }
    uint32_t off = (uint32_t)(host_pc - 1 - start);
    for (uint32_t i = 0; i < b->nb_insns; i++) {
        if (off < b->insn_end_off[i]) {
            return (int)i;
        }
    }
    return -1;
}

TCGCodeGen *tcg_codegen_new(CodeBuf *cb, const TCGConfig *cfg, GError **errp)
{
    TCGCodeGen *s = g_new0(TCGCodeGen, 1);

    s->cb = cb;
    s->cfg = *cfg;
    if (s->cfg.page_bits == 0) {
        s->cfg.page_bits = 12;
    }
    s->free_slots = g_new(int32_t, (tcg_target_frame_spill_end -
                                    tcg_target_frame_spill_start) / 8 + 1);
    tcg_target_init(s);
    if (!tcg_target_gen_prologue(s, errp)) {
        tcg_codegen_free(s);
        return NULL;
    }
    return s;
}

void tcg_codegen_free(TCGCodeGen *s)
{
    if (s) {
        g_free(s->free_slots);
        g_free(s->insn_end_off);
        g_free(s->insn_pc);
        g_free(s);
    }
}

uint32_t tcg_codegen_host_features(const TCGCodeGen *s)
{
    return s->features;
}

TCGExecFn tcg_codegen_entry(const TCGCodeGen *s)
{
    return s->prologue;
}
