/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IR construction: the op table instance, temps, interned constants, labels
 * and the per-block arena. Arrays grow geometrically and are kept across
 * blocks, so a warmed-up context builds a block without calling malloc.
 */
#include "accel/tcg/ir.h"

#include <string.h>

const IROpDef ir_op_defs[IR_OP_COUNT] = {
#define DEF(n, o, i, c, f) [IR_OP_##n] = { #n, o, i, c, f },
#include "accel/tcg/ir-ops.h"
#undef DEF
};

/* ---- conditions ---- */

IRCond ir_cond_invert(IRCond c)
{
    static const uint8_t inv[IR_COND_COUNT] = {
        [IR_COND_NEVER] = IR_COND_ALWAYS, [IR_COND_ALWAYS] = IR_COND_NEVER,
        [IR_COND_EQ] = IR_COND_NE, [IR_COND_NE] = IR_COND_EQ,
        [IR_COND_LT] = IR_COND_GE, [IR_COND_GE] = IR_COND_LT,
        [IR_COND_LE] = IR_COND_GT, [IR_COND_GT] = IR_COND_LE,
        [IR_COND_LTU] = IR_COND_GEU, [IR_COND_GEU] = IR_COND_LTU,
        [IR_COND_LEU] = IR_COND_GTU, [IR_COND_GTU] = IR_COND_LEU,
        [IR_COND_TSTEQ] = IR_COND_TSTNE, [IR_COND_TSTNE] = IR_COND_TSTEQ,
    };
    return (IRCond)inv[c];
}

IRCond ir_cond_swap(IRCond c)
{
    switch (c) {
    case IR_COND_LT:  return IR_COND_GT;
    case IR_COND_GT:  return IR_COND_LT;
    case IR_COND_LE:  return IR_COND_GE;
    case IR_COND_GE:  return IR_COND_LE;
    case IR_COND_LTU: return IR_COND_GTU;
    case IR_COND_GTU: return IR_COND_LTU;
    case IR_COND_LEU: return IR_COND_GEU;
    case IR_COND_GEU: return IR_COND_LEU;
    default:          return c;
    }
}

bool ir_cond_eval(IRCond c, uint64_t a, uint64_t b, bool is64)
{
    int64_t sa, sb;

    if (!is64) {
        a = (uint32_t)a;
        b = (uint32_t)b;
        sa = (int32_t)a;
        sb = (int32_t)b;
    } else {
        sa = (int64_t)a;
        sb = (int64_t)b;
    }
    switch (c) {
    case IR_COND_NEVER:  return false;
    case IR_COND_ALWAYS: return true;
    case IR_COND_EQ:     return a == b;
    case IR_COND_NE:     return a != b;
    case IR_COND_LT:     return sa < sb;
    case IR_COND_GE:     return sa >= sb;
    case IR_COND_LE:     return sa <= sb;
    case IR_COND_GT:     return sa > sb;
    case IR_COND_LTU:    return a < b;
    case IR_COND_GEU:    return a >= b;
    case IR_COND_LEU:    return a <= b;
    case IR_COND_GTU:    return a > b;
    case IR_COND_TSTEQ:  return (a & b) == 0;
    case IR_COND_TSTNE:  return (a & b) != 0;
    default:
        g_assert_not_reached();
    }
}

const char *ir_cond_name(IRCond c)
{
    static const char *const names[IR_COND_COUNT] = {
        "never", "always", "eq", "ne", "lt", "ge", "le", "gt",
        "ltu", "geu", "leu", "gtu", "tsteq", "tstne",
    };
    return c < IR_COND_COUNT ? names[c] : "?";
}

/* ---- arena ---- */

struct IRArenaChunk {
    IRArenaChunk *next;
    size_t size;
    max_align_t data[];
};

#define IR_ARENA_CHUNK 32768

void *ir_arena_alloc(IRContext *ctx, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    for (;;) {
        IRArenaChunk *c = ctx->arena_cur;
        if (c && ctx->arena_used + size <= c->size) {
            void *p = (uint8_t *)c->data + ctx->arena_used;
            ctx->arena_used += size;
            return p;
        }
        if (c && c->next) {
            ctx->arena_cur = c->next;
            ctx->arena_used = 0;
            continue;
        }
        size_t csize = MAX(size, (size_t)IR_ARENA_CHUNK);
        IRArenaChunk *n = g_malloc(sizeof(*n) + csize);
        n->next = NULL;
        n->size = csize;
        if (c) {
            c->next = n;
        } else {
            ctx->arena_head = n;
        }
        ctx->arena_cur = n;
        ctx->arena_used = 0;
    }
}

/* ---- context ---- */

void ir_ctx_init(IRContext *ctx)
{
    memset(ctx, 0, sizeof(*ctx));
    ctx->temps_cap = 256;
    ctx->temps = g_new0(IRTemp, ctx->temps_cap);
    ctx->ops_cap = 1024;
    ctx->ops = g_new(IROp, ctx->ops_cap);
    ctx->labels_cap = 32;
    ctx->labels = g_new(IRLabel *, ctx->labels_cap);
    ctx->const_cap = 256;
    ctx->const_slot = g_new0(uint32_t, ctx->const_cap);
    ctx->const_gen = g_new0(uint32_t, ctx->const_cap);
    ctx->const_generation = 1;

    uint32_t env = ir_temp_new(ctx, IR_TYPE_I64, IR_TEMP_FIXED);
    ctx->temps[env].name = "env";
    ctx->env.idx = env;
    ctx->nb_globals = ctx->nb_temps;
}

void ir_ctx_destroy(IRContext *ctx)
{
    IRArenaChunk *c = ctx->arena_head;
    while (c) {
        IRArenaChunk *n = c->next;
        g_free(c);
        c = n;
    }
    g_free(ctx->temps);
    g_free(ctx->ops);
    g_free(ctx->labels);
    g_free(ctx->const_slot);
    g_free(ctx->const_gen);
    memset(ctx, 0, sizeof(*ctx));
}

void ir_ctx_reset(IRContext *ctx)
{
    ctx->nb_temps = ctx->nb_globals;
    ctx->nb_ops = 0;
    ctx->nb_labels = 0;
    ctx->nb_insns = 0;
    ctx->const_count = 0;
    if (++ctx->const_generation == 0) {
        memset(ctx->const_gen, 0, ctx->const_cap * sizeof(uint32_t));
        ctx->const_generation = 1;
    }
    ctx->arena_cur = ctx->arena_head;
    ctx->arena_used = 0;
}

uint32_t ir_temp_new(IRContext *ctx, IRType type, IRTempKind kind)
{
    if (ctx->nb_temps == ctx->temps_cap) {
        ctx->temps_cap *= 2;
        ctx->temps = g_renew(IRTemp, ctx->temps, ctx->temps_cap);
    }
    uint32_t idx = ctx->nb_temps++;
    IRTemp *t = &ctx->temps[idx];
    memset(t, 0, sizeof(*t));
    t->type = type;
    t->kind = kind;
    t->reg = -1;
    return idx;
}

static uint32_t ir_global_new(IRContext *ctx, IRType type, intptr_t offset,
                              const char *name)
{
    /* Globals live below the per-block temps, so reset can drop the rest. */
    g_assert(ctx->nb_temps == ctx->nb_globals);
    g_assert(offset >= INT32_MIN && offset <= INT32_MAX);
    uint32_t idx = ir_temp_new(ctx, type, IR_TEMP_GLOBAL);
    ctx->temps[idx].mem_offset = (int32_t)offset;
    ctx->temps[idx].name = name;
    ctx->nb_globals = ctx->nb_temps;
    return idx;
}

IRv64 ir_global_i64(IRContext *ctx, intptr_t offset, const char *name)
{
    return (IRv64){ ir_global_new(ctx, IR_TYPE_I64, offset, name) };
}

IRv32 ir_global_i32(IRContext *ctx, intptr_t offset, const char *name)
{
    return (IRv32){ ir_global_new(ctx, IR_TYPE_I32, offset, name) };
}

IRv32 ir_temp_i32(IRContext *ctx)
{
    return (IRv32){ ir_temp_new(ctx, IR_TYPE_I32, IR_TEMP_NORMAL) };
}

IRv64 ir_temp_i64(IRContext *ctx)
{
    return (IRv64){ ir_temp_new(ctx, IR_TYPE_I64, IR_TEMP_NORMAL) };
}

IRv32 ir_temp_local_i32(IRContext *ctx)
{
    return (IRv32){ ir_temp_new(ctx, IR_TYPE_I32, IR_TEMP_LOCAL) };
}

IRv64 ir_temp_local_i64(IRContext *ctx)
{
    return (IRv64){ ir_temp_new(ctx, IR_TYPE_I64, IR_TEMP_LOCAL) };
}

static uint32_t const_hash(IRType type, uint64_t val)
{
    uint64_t h = (val ^ ((uint64_t)type << 61)) * 0x9e3779b97f4a7c15ull;
    return (uint32_t)(h >> 32);
}

static void const_table_grow(IRContext *ctx)
{
    uint32_t old_cap = ctx->const_cap;
    uint32_t *old_slot = ctx->const_slot, *old_gen = ctx->const_gen;
    uint32_t gen = ctx->const_generation;

    ctx->const_cap = old_cap * 2;
    ctx->const_slot = g_new0(uint32_t, ctx->const_cap);
    ctx->const_gen = g_new0(uint32_t, ctx->const_cap);
    for (uint32_t i = 0; i < old_cap; i++) {
        if (old_gen[i] != gen) {
            continue;
        }
        IRTemp *t = &ctx->temps[old_slot[i]];
        uint32_t mask = ctx->const_cap - 1;
        uint32_t h = const_hash(t->type, t->val) & mask;
        while (ctx->const_gen[h] == gen) {
            h = (h + 1) & mask;
        }
        ctx->const_slot[h] = old_slot[i];
        ctx->const_gen[h] = gen;
    }
    g_free(old_slot);
    g_free(old_gen);
}

uint32_t ir_const_new(IRContext *ctx, IRType type, uint64_t val)
{
    if (type == IR_TYPE_I32) {
        val = (uint32_t)val;
    }
    if (ctx->const_count * 2 >= ctx->const_cap) {
        const_table_grow(ctx);
    }
    uint32_t mask = ctx->const_cap - 1;
    uint32_t gen = ctx->const_generation;
    uint32_t h = const_hash(type, val) & mask;
    while (ctx->const_gen[h] == gen) {
        IRTemp *t = &ctx->temps[ctx->const_slot[h]];
        if (t->type == type && t->val == val) {
            return ctx->const_slot[h];
        }
        h = (h + 1) & mask;
    }
    uint32_t idx = ir_temp_new(ctx, type, IR_TEMP_CONST);
    ctx->temps[idx].val = val;
    ctx->const_slot[h] = idx;
    ctx->const_gen[h] = gen;
    ctx->const_count++;
    return idx;
}

IRv32 ir_const_i32(IRContext *ctx, uint32_t val)
{
    return (IRv32){ ir_const_new(ctx, IR_TYPE_I32, val) };
}

IRv64 ir_const_i64(IRContext *ctx, uint64_t val)
{
    return (IRv64){ ir_const_new(ctx, IR_TYPE_I64, val) };
}

IRLabel *ir_label_new(IRContext *ctx)
{
    IRLabel *l = ir_arena_alloc(ctx, sizeof(*l));
    memset(l, 0, sizeof(*l));
    l->id = ctx->nb_labels;
    if (ctx->nb_labels == ctx->labels_cap) {
        ctx->labels_cap *= 2;
        ctx->labels = g_renew(IRLabel *, ctx->labels, ctx->labels_cap);
    }
    ctx->labels[ctx->nb_labels++] = l;
    return l;
}

/* ---- ops ---- */

static IROp *ir_op_alloc(IRContext *ctx)
{
    if (ctx->nb_ops == ctx->ops_cap) {
        ctx->ops_cap *= 2;
        ctx->ops = g_renew(IROp, ctx->ops, ctx->ops_cap);
    }
    return &ctx->ops[ctx->nb_ops++];
}

IROp *ir_emit(IRContext *ctx, IROpcode opc, const IRArg *args)
{
    const IROpDef *def = &ir_op_defs[opc];
    unsigned n = def->nb_oargs + def->nb_iargs + def->nb_cargs;

    g_assert(opc != IR_OP_call);
    IROp *op = ir_op_alloc(ctx);
    op->opc = opc;
    op->nb_oargs = def->nb_oargs;
    op->nb_iargs = def->nb_iargs;
    op->life = 0;
    memcpy(op->args, args, n * sizeof(IRArg));
    if (def->flags & IR_OPF_HAS_LABEL) {
        IRLabel *l = ir_arg_label(args[n - 1]);
        if (opc != IR_OP_set_label) {
            l->refs++;
        }
    }
    return op;
}

IROp *ir_emit_call(IRContext *ctx, const IRHelperInfo *info, uint32_t ret,
                   const uint32_t *args)
{
    IROp *op = ir_op_alloc(ctx);
    unsigned n = 0;

    g_assert(info->nb_args <= IR_MAX_CALL_ARGS);
    g_assert((ret == IR_TEMP_NONE) == (info->ret_type == IR_HTYPE_VOID));
    op->opc = IR_OP_call;
    op->life = 0;
    op->nb_oargs = ret != IR_TEMP_NONE;
    op->nb_iargs = info->nb_args;
    if (ret != IR_TEMP_NONE) {
        op->args[n++] = ret;
    }
    for (unsigned i = 0; i < info->nb_args; i++) {
        op->args[n++] = args[i];
    }
    op->args[n] = (IRArg)(uintptr_t)info;
    return op;
}

void ir_gen_set_label(IRContext *c, IRLabel *l)
{
    ir_emit1(c, IR_OP_set_label, (IRArg)(uintptr_t)l);
}

void ir_gen_br(IRContext *c, IRLabel *l)
{
    ir_emit1(c, IR_OP_br, (IRArg)(uintptr_t)l);
}

void ir_gen_brcond_i32(IRContext *c, IRCond cond, IRv32 a, IRv32 b, IRLabel *l)
{
    if (cond == IR_COND_ALWAYS) {
        ir_gen_br(c, l);
    } else if (cond != IR_COND_NEVER) {
        ir_emit4(c, IR_OP_brcond_i32, a.idx, b.idx, cond, (IRArg)(uintptr_t)l);
    }
}

void ir_gen_brcond_i64(IRContext *c, IRCond cond, IRv64 a, IRv64 b, IRLabel *l)
{
    if (cond == IR_COND_ALWAYS) {
        ir_gen_br(c, l);
    } else if (cond != IR_COND_NEVER) {
        ir_emit4(c, IR_OP_brcond_i64, a.idx, b.idx, cond, (IRArg)(uintptr_t)l);
    }
}
