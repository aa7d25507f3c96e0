/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Differential testing of the translator engine: seeded random IR programs
 * (random ops over globals, block-local and normal temps and constants,
 * forward branches, guest memory through the TLB, helper calls, host loads
 * and stores) run from random initial states through the interpreter and
 * the x86-64 backend, with and without host extensions, with and without
 * the optimizer, and the interpreter again on the optimized IR. Any
 * difference prints the program seed and the IR before and after
 * optimization. TERN_TCG_SEED and TERN_TCG_PROGRAMS override the defaults.
 */
#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accel/tcg/helpers.h"
#include "accel/tcg/tcg.h"

#define PAGE_BITS 12
#define PAGE_SIZE (1u << PAGE_BITS)
#define GUEST_BASE 0x80000000ull
#define GUEST_PAGES 4
#define GUEST_SIZE (GUEST_PAGES * PAGE_SIZE)
#define TLB_ENTRIES 16

typedef struct TestCPU {
    uint64_t x[8];
    uint32_t w[4];
    uint64_t host[4];
    uint64_t misses;
    uint8_t *guest;
    CPUTLB tlb;
} TestCPU;

#define CPU_CMP_SIZE offsetof(TestCPU, guest)

/* ---- helpers the programs call ---- */

IR_DEF_HELPER_3(rnd_mix, IR_CALL_NO_RWG_SE, i64, i64, i64, i32)
IR_DEF_HELPER_1(rnd_rw, 0, i64, env)
IR_DEF_HELPER_1(rnd_ro, IR_CALL_NO_WRITE_GLOBALS, i32, env)

uint64_t helper_rnd_mix(uint64_t a, uint64_t b, uint32_t c)
{
    return (a * 3) ^ (b + c);
}

uint64_t helper_rnd_rw(void *env)
{
    TestCPU *cpu = env;
    cpu->x[1] += cpu->x[0];
    cpu->w[3] ^= (uint32_t)cpu->x[5];
    return cpu->x[2] ^ cpu->x[3];
}

uint32_t helper_rnd_ro(void *env)
{
    TestCPU *cpu = env;
    return (uint32_t)(cpu->x[0] + cpu->w[0] * 7 + cpu->x[7]);
}

/* ---- guest memory slow paths ---- */

static uint64_t mem_read(const uint8_t *p, unsigned size, MemOp mop)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++) {
        v |= (uint64_t)p[i] << (8 * i);
    }
    return memop_load_value(v, mop);
}

static uint64_t rnd_load_slow(void *env, uint64_t addr, MemOp mop,
                              unsigned mmu_idx, uintptr_t ra)
{
    TestCPU *cpu = env;
    unsigned size = memop_size(mop);

    cpu->misses++;
    g_assert(addr >= GUEST_BASE && addr + size <= GUEST_BASE + GUEST_SIZE);
    return mem_read(cpu->guest + (addr - GUEST_BASE), size, mop);
}

static void rnd_store_slow(void *env, uint64_t addr, uint64_t val, MemOp mop,
                           unsigned mmu_idx, uintptr_t ra)
{
    TestCPU *cpu = env;
    unsigned size = memop_size(mop);

    cpu->misses++;
    g_assert(addr >= GUEST_BASE && addr + size <= GUEST_BASE + GUEST_SIZE);
    val = memop_store_value(val, mop);
    for (unsigned i = 0; i < size; i++) {
        cpu->guest[addr - GUEST_BASE + i] = (uint8_t)(val >> (8 * i));
    }
}

static const TCGTlbHooks rnd_hooks = { rnd_load_slow, rnd_store_slow };

/* ---- generator ---- */

typedef struct Gen {
    uint64_t rng;
    IRContext *ctx;
    IRv64 x[8];
    IRv32 w[4];
    uint32_t loc64[2], loc32;
    uint32_t norm64[6], norm32[4];
    uint32_t defined;            /* normal temps with a value since the last label */
    IRLabel *pending[6];
    unsigned nb_pending;
    bool used_goto_tb;
} Gen;

static uint64_t rnd(Gen *g)
{
    /* xorshift64*: deterministic everywhere, no library dependence */
    g->rng ^= g->rng >> 12;
    g->rng ^= g->rng << 25;
    g->rng ^= g->rng >> 27;
    return g->rng * 0x2545f4914f6cdd1dull;
}

static unsigned rndn(Gen *g, unsigned n)
{
    return (unsigned)(rnd(g) % n);
}

static uint64_t rnd_val(Gen *g)
{
    static const uint64_t edge[] = {
        0, 1, 2, 31, 32, 63, 64, 0xff, 0xffff, 0x7fffffff, 0x80000000ull,
        0xffffffffull, 0x7fffffffffffffffull, 0x8000000000000000ull, ~0ull,
    };
    switch (rndn(g, 6)) {
    case 0: return rndn(g, 17);
    case 1: return edge[rndn(g, G_N_ELEMENTS(edge))];
    case 2: return rnd(g);
    case 3: return -(uint64_t)rndn(g, 17);
    case 4: return 1ull << rndn(g, 64);
    default: return (uint32_t)rnd(g);
    }
}

static uint32_t pick_in(Gen *g, IRType type)
{
    unsigned r = rndn(g, 10);
    bool is64 = type == IR_TYPE_I64;

    if (r < 2) {
        return ir_const_new(g->ctx, type, rnd_val(g));
    }
    if (r < 5) {
        return is64 ? g->x[rndn(g, 8)].idx : g->w[rndn(g, 4)].idx;
    }
    if (r < 7) {
        return is64 ? g->loc64[rndn(g, 2)] : g->loc32;
    }
    unsigned n = is64 ? 6 : 4, base = is64 ? 0 : 8, start = rndn(g, n);
    for (unsigned i = 0; i < n; i++) {
        unsigned k = (start + i) % n;
        if (g->defined & (1u << (base + k))) {
            return is64 ? g->norm64[k] : g->norm32[k];
        }
    }
    return is64 ? g->x[rndn(g, 8)].idx : g->w[rndn(g, 4)].idx;
}

static uint32_t pick_out(Gen *g, IRType type)
{
    unsigned r = rndn(g, 10);
    bool is64 = type == IR_TYPE_I64;

    if (r < 4) {
        return is64 ? g->x[rndn(g, 8)].idx : g->w[rndn(g, 4)].idx;
    }
    if (r < 6) {
        return is64 ? g->loc64[rndn(g, 2)] : g->loc32;
    }
    unsigned k = rndn(g, is64 ? 6 : 4);
    g->defined |= 1u << ((is64 ? 0 : 8) + k);
    return is64 ? g->norm64[k] : g->norm32[k];
}

static IRLabel *pick_label(Gen *g)
{
    if (g->nb_pending && (g->nb_pending == G_N_ELEMENTS(g->pending) || rndn(g, 2))) {
        return g->pending[rndn(g, g->nb_pending)];
    }
    IRLabel *l = ir_label_new(g->ctx);
    g->pending[g->nb_pending++] = l;
    return l;
}

static void place_label(Gen *g, unsigned k)
{
    ir_gen_set_label(g->ctx, g->pending[k]);
    g->pending[k] = g->pending[--g->nb_pending];
    g->defined = 0;
}

static const IROpcode binops[] = {
    IR_OP_add_i32, IR_OP_sub_i32, IR_OP_mul_i32, IR_OP_and_i32, IR_OP_or_i32,
    IR_OP_xor_i32, IR_OP_andc_i32, IR_OP_orc_i32, IR_OP_shl_i32, IR_OP_shr_i32,
    IR_OP_sar_i32, IR_OP_rotl_i32, IR_OP_rotr_i32, IR_OP_clz_i32, IR_OP_ctz_i32,
    IR_OP_add_i64, IR_OP_sub_i64, IR_OP_mul_i64, IR_OP_and_i64, IR_OP_or_i64,
    IR_OP_xor_i64, IR_OP_andc_i64, IR_OP_orc_i64, IR_OP_shl_i64, IR_OP_shr_i64,
    IR_OP_sar_i64, IR_OP_rotl_i64, IR_OP_rotr_i64, IR_OP_clz_i64, IR_OP_ctz_i64,
};

static const IROpcode unops[] = {
    IR_OP_neg_i32, IR_OP_not_i32, IR_OP_ext8s_i32, IR_OP_ext8u_i32, IR_OP_ext16s_i32,
    IR_OP_ext16u_i32, IR_OP_bswap16_i32, IR_OP_bswap32_i32, IR_OP_ctpop_i32,
    IR_OP_mov_i32,
    IR_OP_neg_i64, IR_OP_not_i64, IR_OP_ext8s_i64, IR_OP_ext8u_i64, IR_OP_ext16s_i64,
    IR_OP_ext16u_i64, IR_OP_ext32s_i64, IR_OP_ext32u_i64, IR_OP_bswap16_i64,
    IR_OP_bswap32_i64, IR_OP_bswap64_i64, IR_OP_ctpop_i64, IR_OP_mov_i64,
};

static const IROpcode divops[] = {
    IR_OP_div_i32, IR_OP_divu_i32, IR_OP_rem_i32, IR_OP_remu_i32,
    IR_OP_div_i64, IR_OP_divu_i64, IR_OP_rem_i64, IR_OP_remu_i64,
};

static const IROpcode wideops[] = {
    IR_OP_mulu2_i32, IR_OP_muls2_i32, IR_OP_add2_i32, IR_OP_sub2_i32,
    IR_OP_mulu2_i64, IR_OP_muls2_i64, IR_OP_add2_i64, IR_OP_sub2_i64,
};

static IRType op_type(IROpcode opc)
{
    return (ir_op_defs[opc].flags & IR_OPF_I64) ? IR_TYPE_I64 : IR_TYPE_I32;
}

static void gen_one(Gen *g)
{
    IRContext *c = g->ctx;
    unsigned kind = rndn(g, 100);

    if (kind < 30) {
        IROpcode opc = binops[rndn(g, G_N_ELEMENTS(binops))];
        IRType ty = op_type(opc);
        uint32_t a = pick_in(g, ty), b = pick_in(g, ty);
        ir_emit3(c, opc, pick_out(g, ty), a, b);
    } else if (kind < 42) {
        IROpcode opc = unops[rndn(g, G_N_ELEMENTS(unops))];
        IRType ty = op_type(opc);
        uint32_t a = pick_in(g, ty);
        ir_emit2(c, opc, pick_out(g, ty), a);
    } else if (kind < 48) {
        bool is64 = rndn(g, 2);
        IRType ty = is64 ? IR_TYPE_I64 : IR_TYPE_I32;
        IRCond cond = IR_COND_EQ + rndn(g, IR_COND_COUNT - IR_COND_EQ);
        uint32_t a = pick_in(g, ty), b = pick_in(g, ty);
        if (rndn(g, 2)) {
            ir_emit4(c, is64 ? IR_OP_setcond_i64 : IR_OP_setcond_i32, pick_out(g, ty),
                     a, b, cond);
        } else {
            uint32_t v1 = pick_in(g, ty), v2 = pick_in(g, ty);
            ir_emit6(c, is64 ? IR_OP_movcond_i64 : IR_OP_movcond_i32, pick_out(g, ty),
                     a, b, v1, v2, cond);
        }
    } else if (kind < 54) {
        bool is64 = rndn(g, 2);
        IRType ty = is64 ? IR_TYPE_I64 : IR_TYPE_I32;
        unsigned w = is64 ? 64 : 32;
        unsigned ofs = rndn(g, w), len = 1 + rndn(g, w - ofs);
        uint32_t a = pick_in(g, ty);
        unsigned which = rndn(g, 3);
        if (which == 2) {
            uint32_t b = pick_in(g, ty);
            IRArg args[5] = { pick_out(g, ty), a, b, ofs, len };
            ir_emit(c, is64 ? IR_OP_deposit_i64 : IR_OP_deposit_i32, args);
        } else {
            IROpcode opc = which ? (is64 ? IR_OP_sextract_i64 : IR_OP_sextract_i32)
                                 : (is64 ? IR_OP_extract_i64 : IR_OP_extract_i32);
            ir_emit4(c, opc, pick_out(g, ty), a, ofs, len);
        }
    } else if (kind < 58) {
        /* Division with a divisor made odd and never -1, as front ends do. */
        IROpcode opc = divops[rndn(g, G_N_ELEMENTS(divops))];
        IRType ty = op_type(opc);
        bool is64 = ty == IR_TYPE_I64;
        uint32_t a = pick_in(g, ty), b = pick_in(g, ty);
        unsigned k = rndn(g, is64 ? 6 : 4);
        uint32_t d = is64 ? g->norm64[k] : g->norm32[k];
        g->defined |= 1u << ((is64 ? 0 : 8) + k);
        ir_emit3(c, is64 ? IR_OP_or_i64 : IR_OP_or_i32, d, b, ir_const_new(c, ty, 1));
        ir_emit6(c, is64 ? IR_OP_movcond_i64 : IR_OP_movcond_i32, d, d,
                 ir_const_new(c, ty, ~0ull), ir_const_new(c, ty, 3), d, IR_COND_EQ);
        if (a == d) {
            a = ir_const_new(c, ty, rnd_val(g));
        }
        ir_emit3(c, opc, pick_out(g, ty), a, d);
    } else if (kind < 62) {
        IROpcode opc = wideops[rndn(g, G_N_ELEMENTS(wideops))];
        IRType ty = op_type(opc);
        uint32_t in[4], o0, o1;
        for (int i = 0; i < 4; i++) {
            in[i] = pick_in(g, ty);
        }
        o0 = pick_out(g, ty);
        do {
            o1 = pick_out(g, ty);
        } while (o1 == o0);
        if (ir_op_defs[opc].nb_iargs == 2) {
            ir_emit4(c, opc, o0, o1, in[0], in[1]);
        } else {
            ir_emit6(c, opc, o0, o1, in[0], in[1], in[2], in[3]);
        }
    } else if (kind < 66) {
        static const IROpcode conv[] = {
            IR_OP_extu_i32_i64, IR_OP_exts_i32_i64, IR_OP_extrl_i64_i32,
            IR_OP_extrh_i64_i32,
        };
        IROpcode opc = conv[rndn(g, 4)];
        bool to64 = ir_op_defs[opc].flags & IR_OPF_I64;
        uint32_t a = pick_in(g, to64 ? IR_TYPE_I32 : IR_TYPE_I64);
        ir_emit2(c, opc, pick_out(g, to64 ? IR_TYPE_I64 : IR_TYPE_I32), a);
    } else if (kind < 76) {
        /* Guest memory: an address somewhere in (or just past) mapped pages. */
        static const MemOp sizes[] = { MO_UB, MO_SB, MO_UW, MO_SW, MO_UL, MO_SL, MO_UQ };
        MemOp mop = sizes[rndn(g, G_N_ELEMENTS(sizes))];
        unsigned k = rndn(g, 6);
        uint32_t addr = g->norm64[k];
        bool is64 = rndn(g, 2) || (mop & MO_SIZE) == MO_64;
        IRType ty = is64 ? IR_TYPE_I64 : IR_TYPE_I32;
        mop |= rndn(g, 2) ? MO_BE : MO_LE;
        if (rndn(g, 4) == 0) {
            mop |= MO_ALIGN;
        }
        ir_emit3(c, IR_OP_and_i64, addr, pick_in(g, IR_TYPE_I64),
                 ir_const_new(c, IR_TYPE_I64, GUEST_SIZE - 8 - 1));
        ir_emit3(c, IR_OP_add_i64, addr, addr, ir_const_new(c, IR_TYPE_I64, GUEST_BASE));
        g->defined |= 1u << k;
        IRMemOpIdx oi = ir_memop_idx(mop, rndn(g, 4) == 0);
        if (rndn(g, 2)) {
            uint32_t v = pick_in(g, ty);
            ir_emit3(c, is64 ? IR_OP_qemu_st_i64 : IR_OP_qemu_st_i32, v, addr, oi);
        } else {
            ir_emit3(c, is64 ? IR_OP_qemu_ld_i64 : IR_OP_qemu_ld_i32, pick_out(g, ty),
                     addr, oi);
        }
    } else if (kind < 80) {
        switch (rndn(g, 3)) {
        case 0: {
            IRv64 a = { pick_in(g, IR_TYPE_I64) }, b = { pick_in(g, IR_TYPE_I64) };
            IRv32 d = { pick_in(g, IR_TYPE_I32) };
            gen_helper_rnd_mix(c, (IRv64){ pick_out(g, IR_TYPE_I64) }, a, b, d);
            break;
        }
        case 1:
            gen_helper_rnd_rw(c, (IRv64){ pick_out(g, IR_TYPE_I64) }, c->env);
            break;
        default:
            gen_helper_rnd_ro(c, (IRv32){ pick_out(g, IR_TYPE_I32) }, c->env);
            break;
        }
    } else if (kind < 84) {
        static const IROpcode st[] = { IR_OP_st8_i64, IR_OP_st16_i64, IR_OP_st32_i64,
                                       IR_OP_st_i64 };
        static const IROpcode ld[] = { IR_OP_ld8s_i64, IR_OP_ld16u_i64, IR_OP_ld32s_i64,
                                       IR_OP_ld_i64, IR_OP_ld16s_i32 };
        intptr_t ofs = offsetof(TestCPU, host) + rndn(g, 3) * 8 + rndn(g, 2) * 2;
        if (rndn(g, 2)) {
            ir_emit3(c, st[rndn(g, 4)], pick_in(g, IR_TYPE_I64), c->env.idx, ofs);
        } else {
            IROpcode opc = ld[rndn(g, 5)];
            ir_emit3(c, opc, pick_out(g, op_type(opc)), c->env.idx, ofs);
        }
    } else if (kind < 91) {
        bool is64 = rndn(g, 2);
        IRType ty = is64 ? IR_TYPE_I64 : IR_TYPE_I32;
        IRCond cond = IR_COND_EQ + rndn(g, IR_COND_COUNT - IR_COND_EQ);
        uint32_t a = pick_in(g, ty), b = pick_in(g, ty);
        IRLabel *l = pick_label(g);
        ir_emit4(c, is64 ? IR_OP_brcond_i64 : IR_OP_brcond_i32, a, b, cond,
                 (IRArg)(uintptr_t)l);
    } else if (kind < 93) {
        ir_gen_br(c, pick_label(g));
    } else if (kind < 97) {
        if (g->nb_pending) {
            place_label(g, rndn(g, g->nb_pending));
        }
    } else if (kind < 99) {
        ir_gen_insn_start(c, rnd(g) & ~3ull);
    } else {
        unsigned k = rndn(g, 6);
        ir_gen_discard_i64(c, (IRv64){ g->norm64[k] });
        g->defined &= ~(1u << k);
    }
}

static void gen_program(Gen *g, uint64_t seed)
{
    IRContext *c = g->ctx;
    unsigned n = 5 + (unsigned)(seed % 60);

    g->rng = seed * 0x9e3779b97f4a7c15ull + 1;
    g->defined = 0;
    g->nb_pending = 0;
    ir_ctx_reset(c);
    for (int i = 0; i < 2; i++) {
        g->loc64[i] = ir_temp_local_i64(c).idx;
        ir_gen_movi_i64(c, (IRv64){ g->loc64[i] }, rnd_val(g));
    }
    g->loc32 = ir_temp_local_i32(c).idx;
    ir_gen_movi_i32(c, (IRv32){ g->loc32 }, rnd_val(g));
    for (int i = 0; i < 6; i++) {
        g->norm64[i] = ir_temp_i64(c).idx;
    }
    for (int i = 0; i < 4; i++) {
        g->norm32[i] = ir_temp_i32(c).idx;
    }
    for (unsigned i = 0; i < n; i++) {
        gen_one(g);
    }
    while (g->nb_pending) {
        place_label(g, 0);
        if (rndn(g, 2)) {
            gen_one(g);
        }
    }
    /* Block-local temps must reach their final value somewhere visible. */
    ir_gen_add_i64(c, g->x[6], (IRv64){ g->loc64[0] }, (IRv64){ g->loc64[1] });
    ir_gen_extu_i32_i64(c, g->x[7], (IRv32){ g->loc32 });
    if (rndn(g, 3) == 0) {
        ir_gen_goto_tb(c, rndn(g, 2));
    }
    ir_gen_exit_tb(c, 1 + rndn(g, 1000));
}

/* ---- runner ---- */

typedef struct Runner {
    CodeBuf cb;
    TCGCodeGen *gen[2];
    TCGConfig cfg;
    IRContext ctx;
    Gen g;
    uint8_t *guest;
    uint8_t *guest_init;
    uint8_t *guest_ref;
    TLBEntry *tables[2];
    TestCPU init;
} Runner;

static void runner_init(Runner *r)
{
    GError *err = NULL;
    static const char *const xn[8] = { "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7" };
    static const char *const wn[4] = { "w0", "w1", "w2", "w3" };

    memset(r, 0, sizeof(*r));
    g_assert_true(codebuf_init(&r->cb, 8 << 20, &err));
    r->cfg.tlb_offset = offsetof(TestCPU, tlb);
    r->cfg.page_bits = PAGE_BITS;
    r->cfg.tlb_hooks = &rnd_hooks;
    r->gen[0] = tcg_codegen_new(&r->cb, &r->cfg, &err);
    g_assert_no_error(err);
    r->cfg.host_features_disable = ~0u;
    r->gen[1] = tcg_codegen_new(&r->cb, &r->cfg, &err);
    g_assert_no_error(err);
    r->cfg.host_features_disable = 0;

    ir_ctx_init(&r->ctx);
    r->g.ctx = &r->ctx;
    for (int i = 0; i < 8; i++) {
        r->g.x[i] = ir_global_i64(&r->ctx, offsetof(TestCPU, x[i]), xn[i]);
    }
    for (int i = 0; i < 4; i++) {
        r->g.w[i] = ir_global_i32(&r->ctx, offsetof(TestCPU, w[i]), wn[i]);
    }
    g_assert_cmpint(posix_memalign((void **)&r->guest, PAGE_SIZE, GUEST_SIZE), ==, 0);
    r->guest_init = g_malloc(GUEST_SIZE);
    r->guest_ref = g_malloc(GUEST_SIZE);
    for (int m = 0; m < 2; m++) {
        r->tables[m] = g_new(TLBEntry, TLB_ENTRIES);
        r->init.tlb.f[m].mask = (TLB_ENTRIES - 1) << TLB_ENTRY_BITS;
        r->init.tlb.f[m].table = r->tables[m];
        tlb_flush_mmu(&r->init.tlb, m);
    }
    /* mmu 0 maps the first three pages; mmu 1 only the second. */
    for (unsigned p = 0; p < GUEST_PAGES - 1; p++) {
        tlb_set_page(&r->init.tlb, 0, GUEST_BASE + p * PAGE_SIZE,
                     r->guest + p * PAGE_SIZE, true, true, PAGE_BITS);
    }
    tlb_set_page(&r->init.tlb, 1, GUEST_BASE + PAGE_SIZE, r->guest + PAGE_SIZE,
                 true, false, PAGE_BITS);
    r->init.guest = r->guest;
}

static void runner_destroy(Runner *r)
{
    tcg_codegen_free(r->gen[0]);
    tcg_codegen_free(r->gen[1]);
    codebuf_destroy(&r->cb);
    ir_ctx_destroy(&r->ctx);
    free(r->guest);
    g_free(r->guest_init);
    g_free(r->guest_ref);
    g_free(r->tables[0]);
    g_free(r->tables[1]);
}

static void random_state(Runner *r, uint64_t seed, TestCPU *cpu)
{
    Gen g = { .rng = seed ^ 0xdeadbeefcafef00dull };

    *cpu = r->init;
    for (int i = 0; i < 8; i++) {
        cpu->x[i] = rnd_val(&g);
    }
    for (int i = 0; i < 4; i++) {
        cpu->w[i] = (uint32_t)rnd_val(&g);
        cpu->host[i] = rnd(&g);
    }
    for (unsigned i = 0; i < GUEST_SIZE; i += 8) {
        uint64_t v = rnd(&g);
        memcpy(r->guest_init + i, &v, 8);
    }
}

static const void *compile(Runner *r, TCGCodeGen *gen)
{
    TCGBlockCode tb;
    int ret = tcg_gen_code(gen, &r->ctx, &tb);
    if (ret == -ENOSPC) {
        codebuf_flush(&r->cb);
        ret = tcg_gen_code(gen, &r->ctx, &tb);
    }
    g_assert_cmpint(ret, ==, 0);
    return tb.code;
}

static void report(Runner *r, uint64_t seed, const char *what, const char *before,
                   const TestCPU *ref, const TestCPU *got)
{
    char *after = ir_dump_to_string(&r->ctx);

    g_printerr("MISMATCH: seed %" G_GUINT64_FORMAT " (%s)\n", seed, what);
    for (int i = 0; i < 8; i++) {
        g_printerr("  x%d ref %016" G_GINT64_MODIFIER "x got %016" G_GINT64_MODIFIER "x%s\n",
                   i, ref->x[i], got->x[i], ref->x[i] != got->x[i] ? "  <--" : "");
    }
    for (int i = 0; i < 4; i++) {
        g_printerr("  w%d ref %08x got %08x%s\n", i, ref->w[i], got->w[i],
                   ref->w[i] != got->w[i] ? "  <--" : "");
    }
    g_printerr("IR:\n%s\nIR after optimization/liveness:\n%s", before, after);
    g_free(after);
}

/* Returns false on a mismatch (already reported). */
static bool run_one(Runner *r, uint64_t seed)
{
    TestCPU init, ref, got;
    uintptr_t ret_ref, ret;
    char *before;
    bool ok = true;

    gen_program(&r->g, seed);
    random_state(r, seed, &init);
    before = ir_dump_to_string(&r->ctx);

    memcpy(r->guest, r->guest_init, GUEST_SIZE);
    ref = init;
    ret_ref = tcg_interp(&r->ctx, &ref, &r->cfg, NULL);
    memcpy(r->guest_ref, r->guest, GUEST_SIZE);

    /* 0, 1: backend with/without extensions; 2, 3: same after the
       optimizer; 4: interpreter on the optimized IR. */
    for (int pass = 0; pass < 5 && ok; pass++) {
        if (pass == 2) {
            tcg_optimize(&r->ctx);
        }
        memcpy(r->guest, r->guest_init, GUEST_SIZE);
        got = init;
        if (pass == 4) {
            ret = tcg_interp(&r->ctx, &got, &r->cfg, NULL);
        } else {
            ret = tcg_exec(r->gen[pass & 1], &got, compile(r, r->gen[pass & 1]));
        }
        if (ret != ret_ref || memcmp(&got, &ref, CPU_CMP_SIZE) != 0 ||
            memcmp(r->guest, r->guest_ref, GUEST_SIZE) != 0) {
            static const char *const names[] = {
                "backend", "backend without host extensions", "optimized backend",
                "optimized backend without host extensions", "optimized interpreter",
            };
            report(r, seed, names[pass], before, &ref, &got);
            ok = false;
        }
    }
    g_free(before);
    return ok;
}

static uint64_t env_u64(const char *name, uint64_t def)
{
    const char *s = g_getenv(name);
    return s ? g_ascii_strtoull(s, NULL, 0) : def;
}

static void test_random_programs(void)
{
    Runner *r = g_new(Runner, 1);
    uint64_t base = env_u64("TERN_TCG_SEED", 1);
    uint64_t count = env_u64("TERN_TCG_PROGRAMS", 3000);
    unsigned failures = 0;

    runner_init(r);
    for (uint64_t i = 0; i < count && failures < 3; i++) {
        if (!run_one(r, base + i)) {
            failures++;
        }
    }
    runner_destroy(r);
    g_free(r);
    g_assert_cmpuint(failures, ==, 0);
}

/* The generator itself must be deterministic for seeds to mean anything. */
static void test_generator_deterministic(void)
{
    Runner *r = g_new(Runner, 1);
    char *a, *b;

    runner_init(r);
    gen_program(&r->g, 42);
    a = ir_dump_to_string(&r->ctx);
    gen_program(&r->g, 43);
    gen_program(&r->g, 42);
    b = ir_dump_to_string(&r->ctx);
    g_assert_cmpstr(a, ==, b);
    g_free(a);
    g_free(b);
    runner_destroy(r);
    g_free(r);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/tcg/random/deterministic", test_generator_deterministic);
    g_test_add_func("/tcg/random/programs", test_random_programs);
    return g_test_run();
}
