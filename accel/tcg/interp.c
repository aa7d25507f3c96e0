/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The IR interpreter: executes a block op by op on a CPU-state buffer. It is
 * the executable definition of the IR's semantics and the reference the
 * backend is tested against; it is not meant to be fast. ir_eval_pure is
 * also the optimizer's constant folder, so folding and execution agree.
 */
#include "accel/tcg/tcg.h"

#include <stdatomic.h>
#include <string.h>

static uint64_t mask_of(unsigned len)
{
    return len >= 64 ? ~0ull : (1ull << len) - 1;
}

static uint64_t sext(uint64_t v, unsigned bits)
{
    return bits >= 64 ? v : (uint64_t)((int64_t)(v << (64 - bits)) >> (64 - bits));
}

static uint64_t rotl(uint64_t v, unsigned n, unsigned width)
{
    n &= width - 1;
    v &= mask_of(width);
    if (n == 0) {
        return v;
    }
    return ((v << n) | (v >> (width - n))) & mask_of(width);
}

bool ir_eval_pure(IROpcode opc, uint64_t *out, const uint64_t *in,
                  const IRArg *cargs)
{
    const IROpDef *def = &ir_op_defs[opc];
    bool is64 = def->flags & IR_OPF_I64;
    unsigned w = is64 ? 64 : 32;
    uint64_t a = in[0], b = def->nb_iargs > 1 ? in[1] : 0;
    uint64_t r = 0;

    if (!(def->flags & IR_OPF_PURE)) {
        return false;
    }
    switch (opc) {
    case IR_OP_mov_i32: case IR_OP_mov_i64:
        r = a;
        break;
    case IR_OP_setcond_i32: case IR_OP_setcond_i64:
        r = ir_cond_eval((IRCond)cargs[0], a, b, is64);
        break;
    case IR_OP_movcond_i32: case IR_OP_movcond_i64:
        r = ir_cond_eval((IRCond)cargs[0], a, b, is64) ? in[2] : in[3];
        break;
    case IR_OP_add_i32: case IR_OP_add_i64:
        r = a + b;
        break;
    case IR_OP_sub_i32: case IR_OP_sub_i64:
        r = a - b;
        break;
    case IR_OP_mul_i32: case IR_OP_mul_i64:
        r = a * b;
        break;
    case IR_OP_neg_i32: case IR_OP_neg_i64:
        r = -a;
        break;
    case IR_OP_and_i32: case IR_OP_and_i64:
        r = a & b;
        break;
    case IR_OP_or_i32: case IR_OP_or_i64:
        r = a | b;
        break;
    case IR_OP_xor_i32: case IR_OP_xor_i64:
        r = a ^ b;
        break;
    case IR_OP_not_i32: case IR_OP_not_i64:
        r = ~a;
        break;
    case IR_OP_andc_i32: case IR_OP_andc_i64:
        r = a & ~b;
        break;
    case IR_OP_orc_i32: case IR_OP_orc_i64:
        r = a | ~b;
        break;
    case IR_OP_shl_i32: case IR_OP_shl_i64:
        r = a << (b & (w - 1));
        break;
    case IR_OP_shr_i32: case IR_OP_shr_i64:
        r = (a & mask_of(w)) >> (b & (w - 1));
        break;
    case IR_OP_sar_i32: case IR_OP_sar_i64:
        r = (uint64_t)((int64_t)sext(a, w) >> (b & (w - 1)));
        break;
    case IR_OP_rotl_i32: case IR_OP_rotl_i64:
        r = rotl(a, b, w);
        break;
    case IR_OP_rotr_i32: case IR_OP_rotr_i64:
        r = rotl(a, w - (b & (w - 1)), w);
        break;
    /*
     * Division by zero and INT_MIN / -1 are undefined in the IR; give them
     * a harmless value here so folding never traps.
     */
    case IR_OP_div_i32: case IR_OP_div_i64: {
        int64_t sa = sext(a, w), sb = sext(b, w);
        r = sb == 0 ? 0 : sb == -1 ? -(uint64_t)sa : (uint64_t)(sa / sb);
        break;
    }
    case IR_OP_rem_i32: case IR_OP_rem_i64: {
        int64_t sa = sext(a, w), sb = sext(b, w);
        r = (sb == 0 || sb == -1) ? 0 : (uint64_t)(sa % sb);
        break;
    }
    case IR_OP_divu_i32: case IR_OP_divu_i64:
        r = b == 0 ? 0 : a / b;
        break;
    case IR_OP_remu_i32: case IR_OP_remu_i64:
        r = b == 0 ? 0 : a % b;
        break;
    case IR_OP_mulu2_i32:
        r = a * b;
        out[0] = (uint32_t)r;
        out[1] = (uint32_t)(r >> 32);
        return true;
    case IR_OP_muls2_i32:
        r = (uint64_t)((int64_t)(int32_t)a * (int64_t)(int32_t)b);
        out[0] = (uint32_t)r;
        out[1] = (uint32_t)(r >> 32);
        return true;
    case IR_OP_mulu2_i64: {
        unsigned __int128 p = (unsigned __int128)a * b;
        out[0] = (uint64_t)p;
        out[1] = (uint64_t)(p >> 64);
        return true;
    }
    case IR_OP_muls2_i64: {
        __int128 p = (__int128)(int64_t)a * (int64_t)b;
        out[0] = (uint64_t)p;
        out[1] = (uint64_t)((unsigned __int128)p >> 64);
        return true;
    }
    case IR_OP_add2_i32: case IR_OP_sub2_i32: {
        uint64_t x = a | (b << 32), y = in[2] | (in[3] << 32);
        r = opc == IR_OP_add2_i32 ? x + y : x - y;
        out[0] = (uint32_t)r;
        out[1] = (uint32_t)(r >> 32);
        return true;
    }
    case IR_OP_add2_i64: {
        uint64_t lo = a + in[2];
        out[0] = lo;
        out[1] = b + in[3] + (lo < a);
        return true;
    }
    case IR_OP_sub2_i64: {
        out[0] = a - in[2];
        out[1] = b - in[3] - (a < in[2]);
        return true;
    }
    case IR_OP_extract_i32: case IR_OP_extract_i64:
        r = (a >> cargs[0]) & mask_of(cargs[1]);
        break;
    case IR_OP_sextract_i32: case IR_OP_sextract_i64:
        r = sext((a >> cargs[0]) & mask_of(cargs[1]), cargs[1]);
        break;
    case IR_OP_deposit_i32: case IR_OP_deposit_i64: {
        uint64_t m = mask_of(cargs[1]) << cargs[0];
        r = (a & ~m) | ((b << cargs[0]) & m);
        break;
    }
    case IR_OP_ext8s_i32: case IR_OP_ext8s_i64:
        r = sext(a & 0xff, 8);
        break;
    case IR_OP_ext8u_i32: case IR_OP_ext8u_i64:
        r = a & 0xff;
        break;
    case IR_OP_ext16s_i32: case IR_OP_ext16s_i64:
        r = sext(a & 0xffff, 16);
        break;
    case IR_OP_ext16u_i32: case IR_OP_ext16u_i64:
        r = a & 0xffff;
        break;
    case IR_OP_ext32s_i64: case IR_OP_exts_i32_i64:
        r = sext(a & 0xffffffffu, 32);
        break;
    case IR_OP_ext32u_i64: case IR_OP_extu_i32_i64: case IR_OP_extrl_i64_i32:
        r = (uint32_t)a;
        break;
    case IR_OP_extrh_i64_i32:
        r = a >> 32;
        break;
    case IR_OP_bswap16_i32: case IR_OP_bswap16_i64:
        r = __builtin_bswap16((uint16_t)a);
        break;
    case IR_OP_bswap32_i32: case IR_OP_bswap32_i64:
        r = __builtin_bswap32((uint32_t)a);
        break;
    case IR_OP_bswap64_i64:
        r = __builtin_bswap64(a);
        break;
    case IR_OP_clz_i32:
        r = (uint32_t)a ? (uint64_t)__builtin_clz((uint32_t)a) : b;
        break;
    case IR_OP_clz_i64:
        r = a ? (uint64_t)__builtin_clzll(a) : b;
        break;
    case IR_OP_ctz_i32:
        r = (uint32_t)a ? (uint64_t)__builtin_ctz((uint32_t)a) : b;
        break;
    case IR_OP_ctz_i64:
        r = a ? (uint64_t)__builtin_ctzll(a) : b;
        break;
    case IR_OP_ctpop_i32: case IR_OP_ctpop_i64:
        r = __builtin_popcountll(a & mask_of(w));
        break;
    default:
        g_assert_not_reached();
    }
    out[0] = is64 ? r : (uint32_t)r;
    return true;
}

/* ---- the interpreter proper ---- */

typedef struct Interp {
    const IRContext *ctx;
    uint8_t *env;
    uint64_t *vals;
} Interp;

static uint64_t interp_get(Interp *in, uint32_t idx)
{
    const IRTemp *t = &in->ctx->temps[idx];

    switch (t->kind) {
    case IR_TEMP_CONST:
        return t->val;
    case IR_TEMP_FIXED:
        return (uintptr_t)in->env;
    case IR_TEMP_GLOBAL:
        if (t->type == IR_TYPE_I32) {
            uint32_t v;
            memcpy(&v, in->env + t->mem_offset, 4);
            return v;
        } else {
            uint64_t v;
            memcpy(&v, in->env + t->mem_offset, 8);
            return v;
        }
    default:
        return in->vals[idx];
    }
}

static void interp_set(Interp *in, uint32_t idx, uint64_t v)
{
    const IRTemp *t = &in->ctx->temps[idx];

    if (t->type == IR_TYPE_I32) {
        v = (uint32_t)v;
    }
    switch (t->kind) {
    case IR_TEMP_GLOBAL:
        memcpy(in->env + t->mem_offset, &v, t->type == IR_TYPE_I32 ? 4 : 8);
        break;
    case IR_TEMP_NORMAL:
    case IR_TEMP_LOCAL:
        in->vals[idx] = v;
        break;
    default:
        g_assert_not_reached();
    }
}

static uint64_t host_load(const void *p, unsigned size)
{
    uint8_t b1;
    uint16_t b2;
    uint32_t b4;
    uint64_t b8;

    switch (size) {
    case 1: memcpy(&b1, p, 1); return b1;
    case 2: memcpy(&b2, p, 2); return b2;
    case 4: memcpy(&b4, p, 4); return b4;
    default: memcpy(&b8, p, 8); return b8;
    }
}

static void host_store(void *p, uint64_t v, unsigned size)
{
    uint8_t b1 = v;
    uint16_t b2 = v;
    uint32_t b4 = v;

    switch (size) {
    case 1: memcpy(p, &b1, 1); break;
    case 2: memcpy(p, &b2, 2); break;
    case 4: memcpy(p, &b4, 4); break;
    default: memcpy(p, &v, 8); break;
    }
}

static void interp_host_mem(Interp *in, const IROp *op)
{
    static const struct { uint8_t size; bool sign, store; } shape[IR_OP_COUNT] = {
        [IR_OP_ld8u_i32] = { 1, false, false }, [IR_OP_ld8s_i32] = { 1, true, false },
        [IR_OP_ld16u_i32] = { 2, false, false }, [IR_OP_ld16s_i32] = { 2, true, false },
        [IR_OP_ld_i32] = { 4, false, false },
        [IR_OP_st8_i32] = { 1, false, true }, [IR_OP_st16_i32] = { 2, false, true },
        [IR_OP_st_i32] = { 4, false, true },
        [IR_OP_ld8u_i64] = { 1, false, false }, [IR_OP_ld8s_i64] = { 1, true, false },
        [IR_OP_ld16u_i64] = { 2, false, false }, [IR_OP_ld16s_i64] = { 2, true, false },
        [IR_OP_ld32u_i64] = { 4, false, false }, [IR_OP_ld32s_i64] = { 4, true, false },
        [IR_OP_ld_i64] = { 8, false, false },
        [IR_OP_st8_i64] = { 1, false, true }, [IR_OP_st16_i64] = { 2, false, true },
        [IR_OP_st32_i64] = { 4, false, true }, [IR_OP_st_i64] = { 8, false, true },
    };
    unsigned size = shape[op->opc].size;

    g_assert(size);
    if (shape[op->opc].store) {
        uint8_t *p = (uint8_t *)(uintptr_t)interp_get(in, op->args[1]) + (intptr_t)op->args[2];
        host_store(p, interp_get(in, op->args[0]), size);
    } else {
        uint8_t *p = (uint8_t *)(uintptr_t)interp_get(in, op->args[1]) + (intptr_t)op->args[2];
        uint64_t v = host_load(p, size);
        if (shape[op->opc].sign) {
            v = sext(v, size * 8);
        }
        interp_set(in, op->args[0], v);
    }
}

static void interp_guest_mem(Interp *in, const IROp *op, const TCGConfig *cfg)
{
    bool is_store = op->opc == IR_OP_qemu_st_i32 || op->opc == IR_OP_qemu_st_i64;
    IRMemOpIdx oi = (IRMemOpIdx)op->args[2];
    MemOp mop = ir_memop_idx_memop(oi);
    unsigned mmu_idx = ir_memop_idx_mmu(oi);
    unsigned size = memop_size(mop);
    uint64_t addr = interp_get(in, op->args[1]);
    CPUTLB *tlb = (CPUTLB *)(in->env + cfg->tlb_offset);
    void *host = tlb_lookup(tlb, addr, mop, mmu_idx, is_store, cfg->page_bits);

    if (is_store) {
        uint64_t v = interp_get(in, op->args[0]);
        if (!host) {
            cfg->tlb_hooks->store_slow(in->env, addr, v, mop, mmu_idx, 0);
            return;
        }
        host_store(host, memop_store_value(v, mop), size);
    } else {
        uint64_t v;
        if (!host) {
            v = cfg->tlb_hooks->load_slow(in->env, addr, mop, mmu_idx, 0);
        } else {
            v = memop_load_value(host_load(host, size), mop);
        }
        interp_set(in, op->args[0], v);
    }
}

typedef uint64_t (*InterpHelperFn)(uint64_t, uint64_t, uint64_t, uint64_t,
                                   uint64_t, uint64_t, uint64_t, uint64_t);

static void interp_call(Interp *in, const IROp *op)
{
    const IRHelperInfo *info =
        (const IRHelperInfo *)(uintptr_t)op->args[op->nb_oargs + op->nb_iargs];
    uint64_t a[IR_MAX_CALL_ARGS] = { 0 };

    for (unsigned i = 0; i < op->nb_iargs; i++) {
        a[i] = interp_get(in, op->args[op->nb_oargs + i]);
    }
    /*
     * Every helper argument and result is an integer register on the SysV
     * x86-64 ABI, so calling through an 8-argument type is safe there.
     */
    uint64_t r = ((InterpHelperFn)info->func)(a[0], a[1], a[2], a[3],
                                              a[4], a[5], a[6], a[7]);
    if (op->nb_oargs) {
        interp_set(in, op->args[0], r);
    }
}

uintptr_t tcg_interp(const IRContext *ctx, void *env, const TCGConfig *cfg,
                     uintptr_t *goto_ptr)
{
    Interp in = { .ctx = ctx, .env = env };
    uint32_t *label_pos = g_new0(uint32_t, ctx->nb_labels + 1);
    uintptr_t ret = 0;

    in.vals = g_new0(uint64_t, ctx->nb_temps);
    for (uint32_t i = 0; i < ctx->nb_ops; i++) {
        if (ctx->ops[i].opc == IR_OP_set_label) {
            label_pos[ir_arg_label(ctx->ops[i].args[0])->id] = i;
        }
    }

    for (uint32_t pc = 0; pc < ctx->nb_ops; pc++) {
        const IROp *op = &ctx->ops[pc];
        const IROpDef *def = ir_op_def(op);
        unsigned nb_o = op->nb_oargs, nb_i = op->nb_iargs;

        if (def->flags & IR_OPF_PURE) {
            uint64_t ins[6], outs[2];
            for (unsigned i = 0; i < nb_i; i++) {
                ins[i] = interp_get(&in, op->args[nb_o + i]);
            }
            ir_eval_pure((IROpcode)op->opc, outs, ins, &op->args[nb_o + nb_i]);
            for (unsigned i = 0; i < nb_o; i++) {
                interp_set(&in, op->args[i], outs[i]);
            }
            continue;
        }
        if (def->flags & IR_OPF_GUEST_MEM) {
            interp_guest_mem(&in, op, cfg);
            continue;
        }
        switch (op->opc) {
        case IR_OP_nop:
        case IR_OP_discard:
        case IR_OP_set_label:
        case IR_OP_insn_start:
        case IR_OP_goto_tb:
            break;
        case IR_OP_mb:
            atomic_thread_fence(memory_order_seq_cst);
            break;
        case IR_OP_br:
            pc = label_pos[ir_arg_label(op->args[0])->id];
            break;
        case IR_OP_brcond_i32:
        case IR_OP_brcond_i64:
            if (ir_cond_eval((IRCond)op->args[2], interp_get(&in, op->args[0]),
                             interp_get(&in, op->args[1]),
                             op->opc == IR_OP_brcond_i64)) {
                pc = label_pos[ir_arg_label(op->args[3])->id];
            }
            break;
        case IR_OP_call:
            interp_call(&in, op);
            break;
        case IR_OP_exit_tb:
            ret = (uintptr_t)op->args[0];
            goto out;
        case IR_OP_goto_ptr:
            if (goto_ptr) {
                *goto_ptr = (uintptr_t)interp_get(&in, op->args[0]);
            }
            ret = 0;
            goto out;
        default:
            interp_host_mem(&in, op);
            break;
        }
    }
out:
    g_free(in.vals);
    g_free(label_pos);
    return ret;
}
