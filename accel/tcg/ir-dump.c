/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Human-readable IR listings for "-d op" / "-d op_opt" and for test failure
 * reports. One op per line: name, outputs, inputs, then decoded constants;
 * liveness annotations are appended when the liveness pass has run.
 */
#include "accel/tcg/ir.h"

#include <inttypes.h>

void ir_temp_name(const IRContext *ctx, uint32_t idx, char *buf, size_t len)
{
    const IRTemp *t;

    if (idx >= ctx->nb_temps) {
        g_snprintf(buf, len, "<bad %u>", idx);
        return;
    }
    t = &ctx->temps[idx];
    switch (t->kind) {
    case IR_TEMP_GLOBAL:
    case IR_TEMP_FIXED:
        g_snprintf(buf, len, "%s", t->name ? t->name : "global");
        break;
    case IR_TEMP_CONST:
        g_snprintf(buf, len, "$0x%" PRIx64, t->val);
        break;
    case IR_TEMP_LOCAL:
        g_snprintf(buf, len, "loc%u", idx - ctx->nb_globals);
        break;
    default:
        g_snprintf(buf, len, "tmp%u", idx - ctx->nb_globals);
        break;
    }
}

static void dump_memop(GString *s, IRMemOpIdx oi)
{
    MemOp mop = ir_memop_idx_memop(oi);
    static const char *const sizes[] = { "b", "w", "l", "q" };

    g_string_append_printf(s, "%s%s%s", (mop & MO_SIGN) ? "s" : "u",
                           sizes[mop & MO_SIZE], (mop & MO_BSWAP) ? "_be" : "");
    if (memop_alignment_bits(mop)) {
        g_string_append_printf(s, "+al%u", 1u << memop_alignment_bits(mop));
    }
    g_string_append_printf(s, ",mmu%u", ir_memop_idx_mmu(oi));
}

static void dump_op(const IRContext *ctx, const IROp *op, GString *s)
{
    const IROpDef *def = ir_op_def(op);
    unsigned nb_o = op->nb_oargs, nb_i = op->nb_iargs;
    unsigned nb_c = def->nb_cargs;
    char name[64];
    bool first = true;

    if (op->opc == IR_OP_insn_start) {
        g_string_append_printf(s, " ---- %016" PRIx64 "\n", op->args[0]);
        return;
    }
    if (op->opc == IR_OP_set_label) {
        g_string_append_printf(s, "$L%u:\n", ir_arg_label(op->args[0])->id);
        return;
    }
    if (op->opc == IR_OP_call) {
        const IRHelperInfo *info = (const IRHelperInfo *)(uintptr_t)op->args[nb_o + nb_i];
        g_string_append_printf(s, " call %s,$0x%x", info->name, info->flags);
        first = false;
        nb_c = 0;
    } else {
        g_string_append_printf(s, " %s ", def->name);
    }
    for (unsigned i = 0; i < nb_o + nb_i; i++) {
        ir_temp_name(ctx, (uint32_t)op->args[i], name, sizeof(name));
        g_string_append_printf(s, "%s%s", first ? "" : ",", name);
        first = false;
    }
    for (unsigned i = 0; i < nb_c; i++) {
        IRArg a = op->args[nb_o + nb_i + i];
        g_string_append(s, first ? "" : ",");
        first = false;
        if ((def->flags & IR_OPF_HAS_LABEL) && i == nb_c - 1) {
            g_string_append_printf(s, "$L%u", ir_arg_label(a)->id);
        } else if ((op->opc == IR_OP_setcond_i32 || op->opc == IR_OP_setcond_i64 ||
                    op->opc == IR_OP_movcond_i32 || op->opc == IR_OP_movcond_i64 ||
                    op->opc == IR_OP_brcond_i32 || op->opc == IR_OP_brcond_i64) &&
                   i == 0) {
            g_string_append(s, ir_cond_name((IRCond)a));
        } else if (def->flags & IR_OPF_GUEST_MEM) {
            dump_memop(s, (IRMemOpIdx)a);
        } else {
            g_string_append_printf(s, "$0x%" PRIx64, a);
        }
    }
    if (op->life) {
        g_string_append(s, "  ");
        for (unsigned i = 0; i < 16; i++) {
            if (op->life & IR_SYNC_ARG(i)) {
                g_string_append_printf(s, " sync:%u", i);
            }
        }
        for (unsigned i = 0; i < 16; i++) {
            if (op->life & IR_DEAD_ARG(i)) {
                g_string_append_printf(s, " dead:%u", i);
            }
        }
    }
    g_string_append_c(s, '\n');
}

char *ir_dump_to_string(const IRContext *ctx)
{
    GString *s = g_string_new(NULL);

    for (uint32_t i = 0; i < ctx->nb_ops; i++) {
        if (ctx->ops[i].opc != IR_OP_nop) {
            dump_op(ctx, &ctx->ops[i], s);
        }
    }
    return g_string_free(s, FALSE);
}

void ir_dump(const IRContext *ctx, FILE *f)
{
    char *s = ir_dump_to_string(ctx);
    fputs(s, f);
    g_free(s);
}
