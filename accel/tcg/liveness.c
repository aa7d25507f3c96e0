/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Backward liveness over one block. Each temp carries two bits while walking
 * backwards: DEAD (no later op reads the value) and MEM (the value must be
 * in its memory slot at some later point before being overwritten: block
 * exits, labels, helpers that read globals, guest memory ops that may
 * fault). From them every op gets IR_DEAD_ARG bits (the register can be
 * freed after this op) and IR_SYNC_ARG bits (store the output right away).
 * Ops whose outputs are all unneeded and that have no side effects are
 * turned into nops: this is the dead code elimination.
 */
#include "accel/tcg/ir.h"

enum {
    TS_DEAD = 1,
    TS_MEM = 2,
};

/* State at a point where control may leave for a label or the block end. */
static void la_bb_end(IRContext *ctx, bool leaves_block)
{
    for (uint32_t i = 0; i < ctx->nb_temps; i++) {
        IRTemp *t = &ctx->temps[i];
        switch (t->kind) {
        case IR_TEMP_GLOBAL:
            t->state = TS_DEAD | TS_MEM;
            break;
        case IR_TEMP_LOCAL:
            t->state = leaves_block ? TS_DEAD : TS_DEAD | TS_MEM;
            break;
        default:
            t->state = TS_DEAD;
            break;
        }
    }
}

/* Conditional branch: merge fall-through liveness with the label's. */
static void la_cond_branch(IRContext *ctx)
{
    for (uint32_t i = 0; i < ctx->nb_temps; i++) {
        IRTemp *t = &ctx->temps[i];
        if (t->kind == IR_TEMP_GLOBAL || t->kind == IR_TEMP_LOCAL) {
            t->state |= TS_MEM;
        }
    }
}

static void la_globals(IRContext *ctx, uint8_t set, bool assign)
{
    for (uint32_t i = 0; i < ctx->nb_globals; i++) {
        IRTemp *t = &ctx->temps[i];
        if (t->kind == IR_TEMP_GLOBAL) {
            t->state = assign ? set : (t->state | set);
        }
    }
}

void tcg_liveness(IRContext *ctx)
{
    la_bb_end(ctx, true);

    for (int64_t i = (int64_t)ctx->nb_ops - 1; i >= 0; i--) {
        IROp *op = &ctx->ops[i];
        const IROpDef *def = ir_op_def(op);
        unsigned nb_o = op->nb_oargs, nb_i = op->nb_iargs;
        uint32_t flags = def->flags;
        uint32_t call_flags = 0;
        uint32_t life = 0;

        switch (op->opc) {
        case IR_OP_nop:
        case IR_OP_insn_start:
            continue;
        case IR_OP_discard:
            ctx->temps[op->args[0]].state = TS_DEAD;
            continue;
        case IR_OP_call:
            call_flags = ((const IRHelperInfo *)(uintptr_t)
                          op->args[nb_o + nb_i])->flags;
            break;
        default:
            break;
        }

        /* Remove ops whose results nobody needs. */
        bool removable = (flags & (IR_OPF_PURE | IR_OPF_LOAD)) ||
            (op->opc == IR_OP_call && (call_flags & IR_CALL_NO_SIDE_EFFECTS));
        if (removable) {
            bool needed = false;
            for (unsigned k = 0; k < nb_o; k++) {
                uint8_t st = ctx->temps[op->args[k]].state;
                if (!(st & TS_DEAD) || (st & TS_MEM)) {
                    needed = true;
                }
            }
            if (!needed) {
                op->opc = IR_OP_nop;
                op->nb_oargs = op->nb_iargs = 0;
                continue;
            }
        }

        for (unsigned k = 0; k < nb_o; k++) {
            IRTemp *t = &ctx->temps[op->args[k]];
            if (t->state & TS_DEAD) {
                life |= IR_DEAD_ARG(k);
            }
            if (t->state & TS_MEM) {
                life |= IR_SYNC_ARG(k);
            }
            t->state = TS_DEAD;
        }

        if (flags & IR_OPF_BB_END) {
            if (flags & IR_OPF_COND_BRANCH) {
                la_cond_branch(ctx);
            } else {
                la_bb_end(ctx, flags & IR_OPF_BB_EXIT);
            }
        } else if (op->opc == IR_OP_call) {
            if (!(call_flags & IR_CALL_NO_WRITE_GLOBALS)) {
                la_globals(ctx, TS_DEAD | TS_MEM, true);
            } else if (!(call_flags & IR_CALL_NO_READ_GLOBALS)) {
                la_globals(ctx, TS_MEM, false);
            }
        } else if (flags & (IR_OPF_GUEST_MEM | IR_OPF_BB_EXIT)) {
            /* May fault or leave: guest state must be in memory. */
            la_globals(ctx, TS_MEM, false);
        }

        for (unsigned k = 0; k < nb_i; k++) {
            IRTemp *t = &ctx->temps[op->args[nb_o + k]];
            if ((t->state & TS_DEAD) && t->kind != IR_TEMP_FIXED) {
                life |= IR_DEAD_ARG(nb_o + k);
            }
        }
        for (unsigned k = 0; k < nb_i; k++) {
            ctx->temps[op->args[nb_o + k]].state &= ~TS_DEAD;
        }
        op->life = life;
    }
}
