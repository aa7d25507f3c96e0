/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Translator engine tests: hand-written IR programs per op class run through
 * the interpreter and through the x86-64 backend (with all host extensions,
 * with none, and after the optimizer) from the same initial state; all runs
 * must agree with each other and with the expected values. Also covers
 * helper calls, the softmmu TLB fast and slow paths, block exits and
 * chaining, the code buffer (flush, W^X) and bad input.
 */
#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accel/tcg/helpers.h"
#include "accel/tcg/tcg.h"
#include "util/error.h"

#define PAGE_BITS 12
#define PAGE_SIZE (1u << PAGE_BITS)
#define GUEST_BASE 0x40000000ull
#define GUEST_PAGES 4
#define GUEST_SIZE (GUEST_PAGES * PAGE_SIZE)
#define TLB_ENTRIES 64

typedef struct TestCPU {
    uint64_t x[8];
    uint32_t w[4];
    uint64_t host[4];
    uint64_t misses;
    uint64_t helper_calls;
    uint8_t *guest;
    CPUTLB tlb;
} TestCPU;

/* Everything compared between runs sits before the guest pointer. */
#define CPU_CMP_SIZE offsetof(TestCPU, guest)

typedef struct TestEnv {
    CodeBuf cb;
    TCGCodeGen *gen;
    TCGCodeGen *gen_plain;
    IRContext ctx;
    IRv64 x[8];
    IRv32 w[4];
    TCGConfig cfg;
    uint8_t *guest;
    uint8_t *guest_save;
    TLBEntry *tables[2];
    TestCPU init;
} TestEnv;

/* ---- slow paths serving the flat test memory ---- */

static uint64_t mem_read(const uint8_t *p, unsigned size, MemOp mop)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++) {
        v |= (uint64_t)p[i] << (8 * i);
    }
    return memop_load_value(v, mop);
}

static uint64_t test_load_slow(void *env, uint64_t addr, MemOp mop,
                               unsigned mmu_idx, uintptr_t ra)
{
    TestCPU *cpu = env;
    unsigned size = memop_size(mop);

    cpu->misses++;
    g_assert(addr >= GUEST_BASE && addr + size <= GUEST_BASE + GUEST_SIZE);
    return mem_read(cpu->guest + (addr - GUEST_BASE), size, mop);
}

static void test_store_slow(void *env, uint64_t addr, uint64_t val, MemOp mop,
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

static const TCGTlbHooks test_hooks = {
    .load_slow = test_load_slow,
    .store_slow = test_store_slow,
};

/* ---- fixture ---- */

static TestEnv *env_new(void)
{
    TestEnv *t = g_new0(TestEnv, 1);
    GError *err = NULL;
    static const char *const xn[8] = { "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7" };
    static const char *const wn[4] = { "w0", "w1", "w2", "w3" };

    g_assert_true(codebuf_init(&t->cb, 4 << 20, &err));
    g_assert_no_error(err);
    t->cfg.tlb_offset = offsetof(TestCPU, tlb);
    t->cfg.page_bits = PAGE_BITS;
    t->cfg.tlb_hooks = &test_hooks;
    t->gen = tcg_codegen_new(&t->cb, &t->cfg, &err);
    g_assert_no_error(err);
    t->cfg.host_features_disable = ~0u;
    t->gen_plain = tcg_codegen_new(&t->cb, &t->cfg, &err);
    g_assert_no_error(err);
    t->cfg.host_features_disable = 0;
    g_assert_cmpuint(tcg_codegen_host_features(t->gen_plain), ==, 0);

    ir_ctx_init(&t->ctx);
    for (int i = 0; i < 8; i++) {
        t->x[i] = ir_global_i64(&t->ctx, offsetof(TestCPU, x[i]), xn[i]);
    }
    for (int i = 0; i < 4; i++) {
        t->w[i] = ir_global_i32(&t->ctx, offsetof(TestCPU, w[i]), wn[i]);
    }

    g_assert_cmpint(posix_memalign((void **)&t->guest, PAGE_SIZE, GUEST_SIZE), ==, 0);
    t->guest_save = g_malloc(GUEST_SIZE);
    for (unsigned i = 0; i < GUEST_SIZE; i++) {
        t->guest[i] = (uint8_t)(i * 7 + 3);
    }
    for (int m = 0; m < 2; m++) {
        t->tables[m] = g_new(TLBEntry, TLB_ENTRIES);
        t->init.tlb.f[m].mask = (TLB_ENTRIES - 1) << TLB_ENTRY_BITS;
        t->init.tlb.f[m].table = t->tables[m];
        tlb_flush_mmu(&t->init.tlb, m);
    }
    /* mmu 0: all pages but the last are mapped; mmu 1: nothing is. */
    for (unsigned p = 0; p < GUEST_PAGES - 1; p++) {
        tlb_set_page(&t->init.tlb, 0, GUEST_BASE + p * PAGE_SIZE,
                     t->guest + p * PAGE_SIZE, true, true, PAGE_BITS);
    }
    t->init.guest = t->guest;
    return t;
}

static void env_free(TestEnv *t)
{
    tcg_codegen_free(t->gen);
    tcg_codegen_free(t->gen_plain);
    codebuf_destroy(&t->cb);
    ir_ctx_destroy(&t->ctx);
    free(t->guest);
    g_free(t->guest_save);
    g_free(t->tables[0]);
    g_free(t->tables[1]);
    g_free(t);
}

static const void *compile(TestEnv *t, TCGCodeGen *gen, TCGBlockCode *tb)
{
    int ret = tcg_gen_code(gen, &t->ctx, tb);
    if (ret == -ENOSPC) {
        codebuf_flush(&t->cb);
        ret = tcg_gen_code(gen, &t->ctx, tb);
    }
    g_assert_cmpint(ret, ==, 0);
    return tb->code;
}

static void fail_dump(TestEnv *t, const char *what)
{
    char *d = ir_dump_to_string(&t->ctx);
    g_printerr("mismatch (%s) in block:\n%s", what, d);
    g_free(d);
    g_assert_not_reached();
}

/*
 * Run the current block from *cpu: interpreter, backend with and without
 * host extensions, optimizer + backend. All must agree; *cpu gets the
 * result and the exit value is returned.
 */
static uintptr_t run_all(TestEnv *t, TestCPU *cpu)
{
    TestCPU ref = *cpu, c;
    uint8_t *guest_ref = g_malloc(GUEST_SIZE);
    TCGBlockCode tb;
    uintptr_t ret_ref, r;
    TCGCodeGen *gens[3] = { t->gen, t->gen_plain, t->gen };

    memcpy(t->guest_save, t->guest, GUEST_SIZE);
    ret_ref = tcg_interp(&t->ctx, &ref, &t->cfg, NULL);
    memcpy(guest_ref, t->guest, GUEST_SIZE);

    for (int i = 0; i < 3; i++) {
        if (i == 2) {
            tcg_optimize(&t->ctx);
        }
        memcpy(t->guest, t->guest_save, GUEST_SIZE);
        c = *cpu;
        r = tcg_exec(gens[i], &c, compile(t, gens[i], &tb));
        if (r != ret_ref || memcmp(&c, &ref, CPU_CMP_SIZE) != 0 ||
            memcmp(t->guest, guest_ref, GUEST_SIZE) != 0) {
            for (int k = 0; k < 8; k++) {
                g_printerr("x%d interp %016" G_GINT64_MODIFIER "x jit %016"
                           G_GINT64_MODIFIER "x\n", k, ref.x[k], c.x[k]);
            }
            for (int k = 0; k < 4; k++) {
                g_printerr("w%d interp %08x jit %08x\n", k, ref.w[k], c.w[k]);
            }
            g_printerr("ret %zx/%zx misses %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT "\n",
                       (size_t)ret_ref, (size_t)r, ref.misses, c.misses);
            fail_dump(t, i == 0 ? "host extensions" : i == 1 ? "plain x86-64" : "optimized");
        }
    }
    *cpu = ref;
    g_free(guest_ref);
    return ret_ref;
}

static const uint64_t edge64[] = {
    0, 1, 2, 7, 31, 32, 33, 63, 64, 0xff, 0x8000, 0xffffffffull, 0x80000000ull,
    0x7fffffffffffffffull, 0x8000000000000000ull, 0xffffffffffffffffull,
    0x123456789abcdef0ull, 0xfedcba9876543210ull, 0xfffffffffffffffeull,
};

/* ---- arithmetic ---- */

static uint64_t eval2(IROpcode opc, uint64_t a, uint64_t b)
{
    uint64_t in[2] = { a, b }, out[2];
    g_assert_true(ir_eval_pure(opc, out, in, NULL));
    return out[0];
}

static void check_binop(TestEnv *t, IROpcode opc, uint64_t a, uint64_t b)
{
    bool is64 = ir_op_defs[opc].flags & IR_OPF_I64;
    TestCPU cpu = t->init;
    uint64_t expect, expect_aa;

    ir_ctx_reset(&t->ctx);
    if (is64) {
        ir_emit3(&t->ctx, opc, t->x[2].idx, t->x[0].idx, t->x[1].idx);
        ir_emit3(&t->ctx, opc, t->x[3].idx, t->x[0].idx, ir_const_i64(&t->ctx, b).idx);
        ir_emit3(&t->ctx, opc, t->x[4].idx, ir_const_i64(&t->ctx, a).idx, t->x[1].idx);
        ir_emit3(&t->ctx, opc, t->x[5].idx, t->x[0].idx, t->x[0].idx);
        cpu.x[0] = a;
        cpu.x[1] = b;
    } else {
        a = (uint32_t)a;
        b = (uint32_t)b;
        ir_emit3(&t->ctx, opc, t->w[2].idx, t->w[0].idx, t->w[1].idx);
        ir_emit3(&t->ctx, opc, t->w[3].idx, t->w[0].idx, ir_const_i32(&t->ctx, b).idx);
        /* Result into w0 as well: an input overwritten by the output. */
        ir_emit3(&t->ctx, opc, t->w[1].idx, ir_const_i32(&t->ctx, a).idx, t->w[1].idx);
        ir_emit3(&t->ctx, opc, t->w[0].idx, t->w[0].idx, t->w[0].idx);
        cpu.w[0] = a;
        cpu.w[1] = b;
    }
    run_all(t, &cpu);
    expect = eval2(opc, a, b);
    expect_aa = eval2(opc, a, a);
    if (is64) {
        g_assert_cmphex(cpu.x[2], ==, expect);
        g_assert_cmphex(cpu.x[3], ==, expect);
        g_assert_cmphex(cpu.x[4], ==, expect);
        g_assert_cmphex(cpu.x[5], ==, expect_aa);
    } else {
        g_assert_cmphex(cpu.w[2], ==, expect);
        g_assert_cmphex(cpu.w[3], ==, expect);
        g_assert_cmphex(cpu.w[1], ==, expect);
        g_assert_cmphex(cpu.w[0], ==, expect_aa);
    }
}

static void test_binops(void)
{
    static const IROpcode ops[] = {
        IR_OP_add_i64, IR_OP_sub_i64, IR_OP_mul_i64, IR_OP_and_i64, IR_OP_or_i64,
        IR_OP_xor_i64, IR_OP_andc_i64, IR_OP_orc_i64, IR_OP_shl_i64, IR_OP_shr_i64,
        IR_OP_sar_i64, IR_OP_rotl_i64, IR_OP_rotr_i64,
        IR_OP_add_i32, IR_OP_sub_i32, IR_OP_mul_i32, IR_OP_and_i32, IR_OP_or_i32,
        IR_OP_xor_i32, IR_OP_andc_i32, IR_OP_orc_i32, IR_OP_shl_i32, IR_OP_shr_i32,
        IR_OP_sar_i32, IR_OP_rotl_i32, IR_OP_rotr_i32,
    };
    TestEnv *t = env_new();

    for (unsigned o = 0; o < G_N_ELEMENTS(ops); o++) {
        for (unsigned i = 0; i < G_N_ELEMENTS(edge64); i++) {
            for (unsigned j = 0; j < G_N_ELEMENTS(edge64); j++) {
                check_binop(t, ops[o], edge64[i], edge64[j]);
            }
        }
    }
    /* Spot checks against hand-computed values. */
    g_assert_cmphex(eval2(IR_OP_shl_i64, 1, 63), ==, 0x8000000000000000ull);
    g_assert_cmphex(eval2(IR_OP_shl_i64, 1, 64), ==, 1);          /* count mod 64 */
    g_assert_cmphex(eval2(IR_OP_shl_i64, 5, 0), ==, 5);
    g_assert_cmphex(eval2(IR_OP_sar_i64, 0x8000000000000000ull, 63), ==, ~0ull);
    g_assert_cmphex(eval2(IR_OP_shr_i32, 0x80000000u, 31), ==, 1);
    g_assert_cmphex(eval2(IR_OP_sar_i32, 0x80000000u, 31), ==, 0xffffffffu);
    g_assert_cmphex(eval2(IR_OP_rotl_i64, 0x8000000000000001ull, 1), ==, 3);
    g_assert_cmphex(eval2(IR_OP_rotr_i32, 1, 1), ==, 0x80000000u);
    g_assert_cmphex(eval2(IR_OP_rotr_i64, 0x1234, 0), ==, 0x1234);
    g_assert_cmphex(eval2(IR_OP_andc_i64, 0xff, 0x0f), ==, 0xf0);
    g_assert_cmphex(eval2(IR_OP_orc_i32, 0, 0), ==, 0xffffffffu);
    g_assert_cmphex(eval2(IR_OP_mul_i32, 0x10000, 0x10000), ==, 0);
    check_binop(t, IR_OP_shl_i64, 1, 63);
    env_free(t);
}

static void check_unop(TestEnv *t, IROpcode opc, uint64_t a, uint64_t expect)
{
    const IROpDef *def = &ir_op_defs[opc];
    bool out64 = def->flags & IR_OPF_I64;
    bool in64 = out64 ? opc != IR_OP_extu_i32_i64 && opc != IR_OP_exts_i32_i64
                      : opc == IR_OP_extrl_i64_i32 || opc == IR_OP_extrh_i64_i32;
    TestCPU cpu = t->init;
    uint32_t in = in64 ? t->x[0].idx : t->w[0].idx;
    uint32_t out = out64 ? t->x[2].idx : t->w[2].idx;
    uint32_t out2 = out64 ? t->x[3].idx : t->w[3].idx;
    uint32_t cin;

    ir_ctx_reset(&t->ctx);
    cin = in64 ? ir_const_i64(&t->ctx, a).idx : ir_const_i32(&t->ctx, a).idx;
    ir_emit2(&t->ctx, opc, out, in);
    ir_emit2(&t->ctx, opc, out2, cin);
    if (in64) {
        cpu.x[0] = a;
    } else {
        cpu.w[0] = (uint32_t)a;
    }
    run_all(t, &cpu);
    if (out64) {
        g_assert_cmphex(cpu.x[2], ==, expect);
        g_assert_cmphex(cpu.x[3], ==, expect);
    } else {
        g_assert_cmphex(cpu.w[2], ==, (uint32_t)expect);
        g_assert_cmphex(cpu.w[3], ==, (uint32_t)expect);
    }
}

static void test_unops(void)
{
    static const IROpcode ops[] = {
        IR_OP_neg_i64, IR_OP_not_i64, IR_OP_ext8s_i64, IR_OP_ext8u_i64,
        IR_OP_ext16s_i64, IR_OP_ext16u_i64, IR_OP_ext32s_i64, IR_OP_ext32u_i64,
        IR_OP_bswap16_i64, IR_OP_bswap32_i64, IR_OP_bswap64_i64, IR_OP_ctpop_i64,
        IR_OP_neg_i32, IR_OP_not_i32, IR_OP_ext8s_i32, IR_OP_ext8u_i32,
        IR_OP_ext16s_i32, IR_OP_ext16u_i32, IR_OP_bswap16_i32, IR_OP_bswap32_i32,
        IR_OP_ctpop_i32, IR_OP_extu_i32_i64, IR_OP_exts_i32_i64,
        IR_OP_extrl_i64_i32, IR_OP_extrh_i64_i32,
    };
    TestEnv *t = env_new();

    for (unsigned o = 0; o < G_N_ELEMENTS(ops); o++) {
        for (unsigned i = 0; i < G_N_ELEMENTS(edge64); i++) {
            uint64_t in[1] = { edge64[i] }, out[2];
            const IROpDef *def = &ir_op_defs[ops[o]];
            bool in32 = !(def->flags & IR_OPF_I64) ? (ops[o] != IR_OP_extrl_i64_i32 &&
                                                      ops[o] != IR_OP_extrh_i64_i32)
                        : (ops[o] == IR_OP_extu_i32_i64 || ops[o] == IR_OP_exts_i32_i64);
            if (in32) {
                in[0] = (uint32_t)in[0];
            }
            ir_eval_pure(ops[o], out, in, NULL);
            check_unop(t, ops[o], in[0], out[0]);
        }
    }
    check_unop(t, IR_OP_bswap64_i64, 0x0102030405060708ull, 0x0807060504030201ull);
    check_unop(t, IR_OP_bswap16_i64, 0xffff1234, 0x3412);
    check_unop(t, IR_OP_bswap32_i32, 0x11223344, 0x44332211);
    check_unop(t, IR_OP_ext8s_i64, 0x80, 0xffffffffffffff80ull);
    check_unop(t, IR_OP_ext16u_i32, 0xabcd1234, 0x1234);
    check_unop(t, IR_OP_ctpop_i64, ~0ull, 64);
    check_unop(t, IR_OP_ctpop_i32, 0xf0f0f0f0, 16);
    check_unop(t, IR_OP_exts_i32_i64, 0x80000000, 0xffffffff80000000ull);
    check_unop(t, IR_OP_extu_i32_i64, 0x80000000, 0x80000000ull);
    check_unop(t, IR_OP_extrh_i64_i32, 0x1122334455667788ull, 0x11223344);
    env_free(t);
}

static void test_clz_ctz(void)
{
    TestEnv *t = env_new();
    static const IROpcode ops[] = { IR_OP_clz_i64, IR_OP_ctz_i64, IR_OP_clz_i32, IR_OP_ctz_i32 };

    for (unsigned o = 0; o < G_N_ELEMENTS(ops); o++) {
        bool is64 = ir_op_defs[ops[o]].flags & IR_OPF_I64;
        for (unsigned i = 0; i < G_N_ELEMENTS(edge64); i++) {
            TestCPU cpu = t->init;
            uint64_t a = is64 ? edge64[i] : (uint32_t)edge64[i];
            ir_ctx_reset(&t->ctx);
            if (is64) {
                IRContext *c = &t->ctx;
                ir_emit3(c, ops[o], t->x[2].idx, t->x[0].idx, t->x[1].idx);
                ir_emit3(c, ops[o], t->x[3].idx, t->x[0].idx, ir_const_i64(c, 64).idx);
                ir_emit3(c, ops[o], t->x[4].idx, t->x[0].idx, ir_const_i64(c, 99).idx);
                /* The zero value register doubles as the output. */
                ir_emit3(c, ops[o], t->x[1].idx, t->x[0].idx, t->x[1].idx);
                cpu.x[0] = a;
                cpu.x[1] = 77;
                run_all(t, &cpu);
                g_assert_cmphex(cpu.x[2], ==, a ? eval2(ops[o], a, 0) : 77);
                g_assert_cmphex(cpu.x[3], ==, a ? cpu.x[2] : 64);
                g_assert_cmphex(cpu.x[4], ==, a ? cpu.x[2] : 99);
                g_assert_cmphex(cpu.x[1], ==, cpu.x[2]);
            } else {
                IRContext *c = &t->ctx;
                ir_emit3(c, ops[o], t->w[2].idx, t->w[0].idx, t->w[1].idx);
                ir_emit3(c, ops[o], t->w[3].idx, t->w[0].idx, ir_const_i32(c, 32).idx);
                cpu.w[0] = (uint32_t)a;
                cpu.w[1] = 7;
                run_all(t, &cpu);
                g_assert_cmphex(cpu.w[2], ==, a ? eval2(ops[o], a, 0) : 7);
                g_assert_cmphex(cpu.w[3], ==, a ? cpu.w[2] : 32);
            }
        }
    }
    g_assert_cmphex(eval2(IR_OP_clz_i64, 1, 0), ==, 63);
    g_assert_cmphex(eval2(IR_OP_ctz_i64, 0x8000000000000000ull, 0), ==, 63);
    g_assert_cmphex(eval2(IR_OP_clz_i32, 0x00010000, 0), ==, 15);
    env_free(t);
}

static void test_div(void)
{
    static const int64_t vals[] = { 0, 1, -1, 2, -2, 7, -7, 1000, INT64_MAX, INT64_MIN,
                                    INT32_MAX, INT32_MIN, 0x123456789ll };
    static const IROpcode ops[] = {
        IR_OP_div_i64, IR_OP_divu_i64, IR_OP_rem_i64, IR_OP_remu_i64,
        IR_OP_div_i32, IR_OP_divu_i32, IR_OP_rem_i32, IR_OP_remu_i32,
    };
    TestEnv *t = env_new();

    for (unsigned o = 0; o < G_N_ELEMENTS(ops); o++) {
        bool is64 = ir_op_defs[ops[o]].flags & IR_OPF_I64;
        for (unsigned i = 0; i < G_N_ELEMENTS(vals); i++) {
            for (unsigned j = 0; j < G_N_ELEMENTS(vals); j++) {
                int64_t a = vals[i], b = vals[j];
                if (!is64) {
                    a = (int32_t)a;
                    b = (int32_t)b;
                }
                /* The front end guarantees no /0 and no MIN / -1. */
                if (b == 0 || (b == -1 && (a == INT64_MIN || (!is64 && a == INT32_MIN)))) {
                    continue;
                }
                TestCPU cpu = t->init;
                ir_ctx_reset(&t->ctx);
                if (is64) {
                    ir_emit3(&t->ctx, ops[o], t->x[2].idx, t->x[0].idx, t->x[1].idx);
                    cpu.x[0] = a;
                    cpu.x[1] = b;
                } else {
                    ir_emit3(&t->ctx, ops[o], t->w[2].idx, t->w[0].idx, t->w[1].idx);
                    cpu.w[0] = (uint32_t)a;
                    cpu.w[1] = (uint32_t)b;
                }
                run_all(t, &cpu);
                uint64_t ua = is64 ? (uint64_t)a : (uint32_t)a;
                uint64_t ub = is64 ? (uint64_t)b : (uint32_t)b;
                g_assert_cmphex(is64 ? cpu.x[2] : cpu.w[2], ==, eval2(ops[o], ua, ub));
            }
        }
    }
    g_assert_cmphex(eval2(IR_OP_div_i64, -7, 2), ==, (uint64_t)-3);
    g_assert_cmphex(eval2(IR_OP_rem_i64, -7, 2), ==, (uint64_t)-1);
    g_assert_cmphex(eval2(IR_OP_divu_i64, ~0ull, 2), ==, 0x7fffffffffffffffull);
    g_assert_cmphex(eval2(IR_OP_remu_i32, 0xffffffffu, 10), ==, 5);
    env_free(t);
}

static void test_wide(void)
{
    TestEnv *t = env_new();
    IRContext *c = &t->ctx;

    for (unsigned i = 0; i < G_N_ELEMENTS(edge64); i++) {
        for (unsigned j = 0; j < G_N_ELEMENTS(edge64); j += 3) {
            TestCPU cpu = t->init;
            uint64_t a = edge64[i], b = edge64[j];
            ir_ctx_reset(c);
            ir_gen_mulu2_i64(c, t->x[2], t->x[3], t->x[0], t->x[1]);
            ir_gen_muls2_i64(c, t->x[4], t->x[5], t->x[0], t->x[1]);
            ir_gen_add2_i64(c, t->x[6], t->x[7], t->x[0], t->x[1], t->x[1], t->x[0]);
            ir_gen_mulu2_i32(c, t->w[0], t->w[1], t->w[2], t->w[3]);
            cpu.x[0] = a;
            cpu.x[1] = b;
            cpu.w[2] = (uint32_t)a;
            cpu.w[3] = (uint32_t)(b >> 7);
            run_all(t, &cpu);
            unsigned __int128 pu = (unsigned __int128)a * b;
            __int128 ps = (__int128)(int64_t)a * (int64_t)b;
            unsigned __int128 sum = (((unsigned __int128)b << 64) | a) +
                                    (((unsigned __int128)a << 64) | b);
            g_assert_cmphex(cpu.x[2], ==, (uint64_t)pu);
            g_assert_cmphex(cpu.x[3], ==, (uint64_t)(pu >> 64));
            g_assert_cmphex(cpu.x[4], ==, (uint64_t)ps);
            g_assert_cmphex(cpu.x[5], ==, (uint64_t)((unsigned __int128)ps >> 64));
            g_assert_cmphex(cpu.x[6], ==, (uint64_t)sum);
            g_assert_cmphex(cpu.x[7], ==, (uint64_t)(sum >> 64));
            uint64_t p32 = (uint64_t)(uint32_t)a * (uint32_t)(b >> 7);
            g_assert_cmphex(cpu.w[0], ==, (uint32_t)p32);
            g_assert_cmphex(cpu.w[1], ==, (uint32_t)(p32 >> 32));
        }
    }
    /* sub2 borrow and constant operands */
    TestCPU cpu = t->init;
    ir_ctx_reset(c);
    ir_gen_sub2_i64(c, t->x[2], t->x[3], t->x[0], t->x[1], ir_const_i64(c, 1),
                    ir_const_i64(c, 0));
    ir_emit6(c, IR_OP_add2_i32, t->w[0].idx, t->w[1].idx, t->w[2].idx, t->w[3].idx,
             ir_const_i32(c, 1).idx, ir_const_i32(c, 2).idx);
    cpu.x[0] = 0;
    cpu.x[1] = 5;
    cpu.w[2] = 0xffffffff;
    cpu.w[3] = 10;
    run_all(t, &cpu);
    g_assert_cmphex(cpu.x[2], ==, ~0ull);
    g_assert_cmphex(cpu.x[3], ==, 4);
    g_assert_cmphex(cpu.w[0], ==, 0);
    g_assert_cmphex(cpu.w[1], ==, 13);
    env_free(t);
}

static void test_bitfields(void)
{
    TestEnv *t = env_new();
    IRContext *c = &t->ctx;
    const uint64_t a = 0xf0e1d2c3b4a59687ull, b = 0x123456789abcdef1ull;

    for (unsigned w = 32; w <= 64; w += 32) {
        for (unsigned ofs = 0; ofs < w; ofs += (w == 64 ? 3 : 1)) {
            for (unsigned len = 1; ofs + len <= w; len += (w == 64 ? 5 : 1)) {
                TestCPU cpu = t->init;
                IRArg cargs[2] = { ofs, len };
                uint64_t in[2], out[2], ex, sx, dep;
                ir_ctx_reset(c);
                if (w == 64) {
                    ir_gen_extract_i64(c, t->x[2], t->x[0], ofs, len);
                    ir_gen_sextract_i64(c, t->x[3], t->x[0], ofs, len);
                    ir_gen_deposit_i64(c, t->x[4], t->x[0], t->x[1], ofs, len);
                    ir_gen_deposit_i64(c, t->x[5], t->x[0], ir_const_i64(c, b), ofs, len);
                    cpu.x[0] = a;
                    cpu.x[1] = b;
                } else {
                    ir_gen_extract_i32(c, t->w[2], t->w[0], ofs, len);
                    ir_gen_sextract_i32(c, t->w[3], t->w[0], ofs, len);
                    ir_gen_deposit_i32(c, t->w[0], t->w[0], t->w[1], ofs, len);
                    cpu.w[0] = (uint32_t)a;
                    cpu.w[1] = (uint32_t)b;
                }
                run_all(t, &cpu);
                in[0] = w == 64 ? a : (uint32_t)a;
                in[1] = w == 64 ? b : (uint32_t)b;
                ir_eval_pure(w == 64 ? IR_OP_extract_i64 : IR_OP_extract_i32, out, in, cargs);
                ex = out[0];
                ir_eval_pure(w == 64 ? IR_OP_sextract_i64 : IR_OP_sextract_i32, out, in, cargs);
                sx = out[0];
                ir_eval_pure(w == 64 ? IR_OP_deposit_i64 : IR_OP_deposit_i32, out, in, cargs);
                dep = out[0];
                if (w == 64) {
                    g_assert_cmphex(cpu.x[2], ==, ex);
                    g_assert_cmphex(cpu.x[3], ==, sx);
                    g_assert_cmphex(cpu.x[4], ==, dep);
                    g_assert_cmphex(cpu.x[5], ==, dep);
                } else {
                    g_assert_cmphex(cpu.w[2], ==, ex);
                    g_assert_cmphex(cpu.w[3], ==, sx);
                    g_assert_cmphex(cpu.w[0], ==, dep);
                }
            }
        }
    }
    /* Edges by hand. */
    IRArg c1[2] = { 60, 4 }, c2[2] = { 63, 1 }, c3[2] = { 0, 64 };
    uint64_t in[2] = { 0, ~0ull }, out[2];
    ir_eval_pure(IR_OP_deposit_i64, out, in, c1);
    g_assert_cmphex(out[0], ==, 0xf000000000000000ull);
    in[0] = 0x8000000000000000ull;
    ir_eval_pure(IR_OP_extract_i64, out, in, c2);
    g_assert_cmphex(out[0], ==, 1);
    ir_eval_pure(IR_OP_sextract_i64, out, in, c2);
    g_assert_cmphex(out[0], ==, ~0ull);
    ir_eval_pure(IR_OP_deposit_i64, out, in, c3);
    g_assert_cmphex(out[0], ==, ~0ull);
    env_free(t);
}

static void test_setcond_movcond(void)
{
    static const uint64_t vals[] = { 0, 1, 2, 0x7fffffff, 0x80000000ull, 0xffffffffull,
                                     0x7fffffffffffffffull, 0x8000000000000000ull, ~0ull };
    TestEnv *t = env_new();
    IRContext *c = &t->ctx;

    for (IRCond cond = IR_COND_EQ; cond < IR_COND_COUNT; cond++) {
        for (unsigned i = 0; i < G_N_ELEMENTS(vals); i++) {
            for (unsigned j = 0; j < G_N_ELEMENTS(vals); j++) {
                TestCPU cpu = t->init;
                uint64_t a = vals[i], b = vals[j];
                ir_ctx_reset(c);
                ir_gen_setcond_i64(c, cond, t->x[2], t->x[0], t->x[1]);
                ir_gen_setcond_i64(c, cond, t->x[3], t->x[0], ir_const_i64(c, b));
                ir_gen_movcond_i64(c, cond, t->x[4], t->x[0], t->x[1], t->x[5], t->x[6]);
                ir_gen_movcond_i64(c, cond, t->x[7], t->x[0], ir_const_i64(c, b),
                                   ir_const_i64(c, 11), ir_const_i64(c, 22));
                ir_gen_setcond_i32(c, cond, t->w[2], t->w[0], t->w[1]);
                ir_gen_movcond_i32(c, cond, t->w[3], t->w[0], ir_const_i32(c, b),
                                   t->w[0], t->w[1]);
                cpu.x[0] = a;
                cpu.x[1] = b;
                cpu.x[5] = 0x5555;
                cpu.x[6] = 0x6666;
                cpu.w[0] = (uint32_t)a;
                cpu.w[1] = (uint32_t)b;
                run_all(t, &cpu);
                bool r64 = ir_cond_eval(cond, a, b, true);
                bool r32 = ir_cond_eval(cond, a, b, false);
                g_assert_cmpuint(cpu.x[2], ==, r64);
                g_assert_cmpuint(cpu.x[3], ==, r64);
                g_assert_cmphex(cpu.x[4], ==, r64 ? 0x5555 : 0x6666);
                g_assert_cmphex(cpu.x[7], ==, r64 ? 11 : 22);
                g_assert_cmpuint(cpu.w[2], ==, r32);
                g_assert_cmphex(cpu.w[3], ==, r32 ? (uint32_t)a : (uint32_t)b);
            }
        }
    }
    g_assert_true(ir_cond_eval(IR_COND_LT, ~0ull, 0, true));
    g_assert_false(ir_cond_eval(IR_COND_LTU, ~0ull, 0, true));
    g_assert_true(ir_cond_eval(IR_COND_GT, 0x7fffffff, 0x80000000, false));
    g_assert_true(ir_cond_eval(IR_COND_TSTNE, 6, 2, true));
    g_assert_cmpint(ir_cond_invert(IR_COND_LEU), ==, IR_COND_GTU);
    g_assert_cmpint(ir_cond_swap(IR_COND_LT), ==, IR_COND_GT);
    env_free(t);
}

/* ---- control flow ---- */

static void test_branches(void)
{
    static const uint64_t vals[] = { 0, 1, 0x80000000ull, ~0ull, 0x8000000000000000ull };
    TestEnv *t = env_new();
    IRContext *c = &t->ctx;

    for (IRCond cond = IR_COND_EQ; cond < IR_COND_COUNT; cond++) {
        for (unsigned i = 0; i < G_N_ELEMENTS(vals); i++) {
            for (unsigned j = 0; j < G_N_ELEMENTS(vals); j++) {
                for (int use_const = 0; use_const < 2; use_const++) {
                    TestCPU cpu = t->init;
                    IRLabel *l1, *l2;
                    IRv64 tmp;
                    ir_ctx_reset(c);
                    l1 = ir_label_new(c);
                    l2 = ir_label_new(c);
                    tmp = ir_temp_i64(c);
                    ir_gen_addi_i64(c, tmp, t->x[0], 0);
                    ir_gen_movi_i64(c, t->x[2], 0);
                    ir_gen_brcond_i64(c, cond, tmp,
                                      use_const ? ir_const_i64(c, vals[j]) : t->x[1], l1);
                    /* tmp lives on along the fall-through path. */
                    ir_gen_add_i64(c, t->x[3], tmp, tmp);
                    ir_gen_movi_i64(c, t->x[2], 1);
                    ir_gen_br(c, l2);
                    ir_gen_set_label(c, l1);
                    ir_gen_movi_i64(c, t->x[2], 2);
                    ir_gen_set_label(c, l2);
                    ir_gen_exit_tb(c, 0x100 + cond);
                    cpu.x[0] = vals[i];
                    cpu.x[1] = vals[j];
                    g_assert_cmphex(run_all(t, &cpu), ==, 0x100 + cond);
                    g_assert_cmpuint(cpu.x[2], ==,
                                     ir_cond_eval(cond, vals[i], vals[j], true) ? 2 : 1);
                }
            }
        }
    }
    env_free(t);
}

static void test_loop(void)
{
    TestEnv *t = env_new();
    IRContext *c = &t->ctx;
    TestCPU cpu = t->init;
    IRLabel *top;
    IRv64 i;

    /* x0 = sum(1..1000) with a block-local counter and a global accumulator */
    ir_ctx_reset(c);
    top = ir_label_new(c);
    i = ir_temp_local_i64(c);
    ir_gen_movi_i64(c, i, 1);
    ir_gen_movi_i64(c, t->x[0], 0);
    ir_gen_set_label(c, top);
    ir_gen_add_i64(c, t->x[0], t->x[0], i);
    ir_gen_addi_i64(c, i, i, 1);
    ir_gen_brcond_i64(c, IR_COND_LEU, i, ir_const_i64(c, 1000), top);
    ir_gen_mov_i64(c, t->x[1], i);
    ir_gen_exit_tb(c, 7);
    g_assert_cmpuint(run_all(t, &cpu), ==, 7);
    g_assert_cmpuint(cpu.x[0], ==, 500500);
    g_assert_cmpuint(cpu.x[1], ==, 1001);

    /* 32-bit countdown with the counter in a global */
    ir_ctx_reset(c);
    top = ir_label_new(c);
    ir_gen_movi_i32(c, t->w[0], 1000);
    ir_gen_movi_i32(c, t->w[1], 0);
    ir_gen_set_label(c, top);
    ir_gen_add_i32(c, t->w[1], t->w[1], t->w[0]);
    ir_gen_addi_i32(c, t->w[0], t->w[0], -1);
    ir_gen_brcond_i32(c, IR_COND_NE, t->w[0], ir_const_i32(c, 0), top);
    cpu = t->init;
    run_all(t, &cpu);
    g_assert_cmpuint(cpu.w[1], ==, 500500);
    g_assert_cmpuint(cpu.w[0], ==, 0);
    env_free(t);
}

/* Enough simultaneously live temps to force spills. */
static void test_spills(void)
{
    TestEnv *t = env_new();
    IRContext *c = &t->ctx;
    TestCPU cpu = t->init;
    IRv64 tmp[40];
    uint64_t expect = 0;

    ir_ctx_reset(c);
    for (int i = 0; i < 40; i++) {
        tmp[i] = ir_temp_i64(c);
        ir_gen_addi_i64(c, tmp[i], t->x[i % 4], i * 3 + 1);
    }
    ir_gen_movi_i64(c, t->x[5], 0);
    for (int i = 39; i >= 0; i--) {
        ir_gen_xor_i64(c, t->x[5], t->x[5], tmp[i]);
        ir_gen_rotl_i64(c, t->x[5], t->x[5], ir_const_i64(c, 5));
    }
    for (int i = 0; i < 4; i++) {
        cpu.x[i] = 0x1111111111111111ull * (i + 1);
    }
    for (int i = 39; i >= 0; i--) {
        expect ^= cpu.x[i % 4] + i * 3 + 1;
        expect = (expect << 5) | (expect >> 59);
    }
    run_all(t, &cpu);
    g_assert_cmphex(cpu.x[5], ==, expect);
    env_free(t);
}

/* ---- helpers ---- */

IR_DEF_HELPER_6(sum6, IR_CALL_NO_RWG_SE, i64, i64, i64, i64, i64, i64, i64)
IR_DEF_HELPER_1(rw_globals, 0, void, env)
IR_DEF_HELPER_2(mix32, IR_CALL_NO_RWG_SE, i32, i32, i32)
IR_DEF_HELPER_1(count_calls, IR_CALL_NO_RWG_SE, i64, env)

uint64_t helper_sum6(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e,
                     uint64_t f)
{
    return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f;
}

void helper_rw_globals(void *env)
{
    TestCPU *cpu = env;
    cpu->x[1] = cpu->x[0] * 3;
    cpu->helper_calls++;
}

uint32_t helper_mix32(uint32_t a, uint32_t b)
{
    return a * 31 + b;
}

/* Counts outside the CPU state so interpreter and JIT states stay comparable. */
static unsigned count_calls_n;

uint64_t helper_count_calls(void *env)
{
    return ++count_calls_n;
}

static uint64_t helper_sum8(uint64_t a, uint64_t b, uint64_t c, uint64_t d,
                            uint64_t e, uint64_t f, uint64_t g, uint64_t h)
{
    return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h;
}

static const IRHelperInfo sum8_info = {
    .func = (void *)helper_sum8, .name = "sum8", .flags = IR_CALL_NO_RWG_SE,
    .nb_args = 8, .ret_type = IR_HTYPE_I64,
    .arg_types = { IR_HTYPE_I64, IR_HTYPE_I64, IR_HTYPE_I64, IR_HTYPE_I64,
                   IR_HTYPE_I64, IR_HTYPE_I64, IR_HTYPE_I64, IR_HTYPE_I64 },
};

static void test_helpers(void)
{
    TestEnv *t = env_new();
    IRContext *c = &t->ctx;
    TestCPU cpu = t->init;
    IRv64 keep;

    ir_ctx_reset(c);
    keep = ir_temp_i64(c);
    /* A value in a caller-saved register must survive the calls. */
    ir_gen_addi_i64(c, keep, t->x[3], 1000);
    gen_helper_sum6(c, t->x[2], t->x[0], t->x[1], ir_const_i64(c, 3), t->x[3],
                    t->x[1], t->x[0]);
    /* Dirty x0 in a register: must reach memory before the helper reads it. */
    ir_gen_addi_i64(c, t->x[0], t->x[0], 5);
    gen_helper_rw_globals(c, c->env);
    /* x1 was written by the helper: must be reloaded. */
    ir_gen_addi_i64(c, t->x[4], t->x[1], 1);
    gen_helper_mix32(c, t->w[2], t->w[0], t->w[1]);
    uint32_t a8[8] = { t->x[0].idx, t->x[1].idx, t->x[2].idx, t->x[3].idx,
                       t->x[4].idx, ir_const_i64(c, 6).idx, ir_const_i64(c, 7).idx,
                       keep.idx };
    ir_emit_call(c, &sum8_info, t->x[5].idx, a8);
    ir_gen_add_i64(c, t->x[6], keep, keep);
    /* Result unused and no side effects declared: the call is removed. */
    gen_helper_count_calls(c, ir_temp_i64(c), c->env);
    cpu.x[0] = 10;
    cpu.x[1] = 20;
    cpu.x[3] = 40;
    cpu.w[0] = 3;
    cpu.w[1] = 4;
    run_all(t, &cpu);
    g_assert_cmpuint(cpu.x[2], ==, 10 + 40 + 9 + 160 + 100 + 60);
    g_assert_cmpuint(cpu.x[0], ==, 15);
    g_assert_cmpuint(cpu.x[1], ==, 45);
    g_assert_cmpuint(cpu.x[4], ==, 46);
    g_assert_cmpuint(cpu.w[2], ==, 97);
    g_assert_cmpuint(cpu.x[5], ==, 15 + 2 * 45 + 3 * 379 + 4 * 40 + 5 * 46 + 36 + 49 +
                     8 * 1040);
    g_assert_cmpuint(cpu.x[6], ==, 2080);
    /* Only the interpreter ran before liveness removed the unused call. */
    g_assert_cmpuint(count_calls_n, ==, 1);
    g_assert_cmpuint(cpu.helper_calls, ==, 1);
    unsigned calls = 0;
    for (uint32_t i = 0; i < c->nb_ops; i++) {
        calls += c->ops[i].opc == IR_OP_call;
    }
    g_assert_cmpuint(calls, ==, 4);
    env_free(t);
}

/* ---- guest memory ---- */

static void check_guest_mem(TestEnv *t, MemOp mop, bool is64, uint64_t addr,
                            unsigned mmu_idx, unsigned expect_misses)
{
    IRContext *c = &t->ctx;
    TestCPU cpu = t->init;
    unsigned size = memop_size(mop);
    uint64_t st_addr = addr + 0x40;
    uint64_t expect;

    ir_ctx_reset(c);
    if (is64) {
        ir_gen_qemu_ld_i64(c, t->x[2], t->x[0], mmu_idx, mop);
        ir_gen_qemu_st_i64(c, t->x[1], t->x[3], mmu_idx, mop);
    } else {
        ir_gen_qemu_ld_i32(c, t->w[2], t->x[0], mmu_idx, mop);
        ir_gen_qemu_st_i32(c, t->w[1], t->x[3], mmu_idx, mop);
    }
    cpu.x[0] = addr;
    cpu.x[1] = 0x8899aabbccddeeffull;
    cpu.w[1] = 0xccddeeff;
    cpu.x[3] = st_addr;
    /* Keep some caller-saved registers live across the access. */
    ir_gen_add_i64(c, t->x[4], t->x[0], t->x[1]);
    run_all(t, &cpu);
    expect = mem_read(t->guest + (addr - GUEST_BASE), size, mop & ~MO_SIGN);
    if (mop & MO_SIGN) {
        expect = mem_read(t->guest + (addr - GUEST_BASE), size, mop);
    }
    if (is64) {
        g_assert_cmphex(cpu.x[2], ==, expect);
    } else {
        g_assert_cmphex(cpu.w[2], ==, (uint32_t)expect);
    }
    g_assert_cmpuint(cpu.misses, ==, expect_misses);
    g_assert_cmphex(cpu.x[4], ==, addr + 0x8899aabbccddeeffull);
    /* The store, read back through the test memory in its own byte order. */
    uint64_t stored = mem_read(t->guest + (st_addr - GUEST_BASE), size, mop & ~MO_SIGN);
    uint64_t smask = size == 8 ? ~0ull : (1ull << (8 * size)) - 1;
    g_assert_cmphex(stored, ==, (is64 ? cpu.x[1] : cpu.w[1]) & smask);
}

static void test_guest_mem(void)
{
    static const MemOp sizes[] = { MO_UB, MO_SB, MO_UW, MO_SW, MO_UL, MO_SL, MO_UQ };
    TestEnv *t = env_new();

    for (unsigned i = 0; i < G_N_ELEMENTS(sizes); i++) {
        for (int be = 0; be < 2; be++) {
            MemOp mop = sizes[i] | (be ? MO_BE : MO_LE);
            unsigned size = memop_size(mop);
            for (int is64 = 0; is64 < 2; is64++) {
                if (!is64 && size == 8) {
                    continue;
                }
                /* hit, aligned and unaligned inside a page */
                check_guest_mem(t, mop, is64, GUEST_BASE + 0x108, 0, 0);
                check_guest_mem(t, mop, is64, GUEST_BASE + PAGE_SIZE + 0x3, 0, 0);
                /* miss: unmapped page, and an MMU index with an empty TLB */
                check_guest_mem(t, mop, is64, GUEST_BASE + 3 * PAGE_SIZE + 0x10, 0, 2);
                check_guest_mem(t, mop, is64, GUEST_BASE + 0x200, 1, 2);
                if (size > 1) {
                    /* crossing into the next page must take the slow path */
                    check_guest_mem(t, mop, is64, GUEST_BASE + PAGE_SIZE - 1, 0, 1);
                    /* misaligned with an alignment requirement: slow path */
                    check_guest_mem(t, mop | MO_ALIGN, is64, GUEST_BASE + 0x101, 0, 2);
                    check_guest_mem(t, mop | MO_ALIGN, is64, GUEST_BASE + 0x100, 0, 0);
                }
            }
        }
    }
    g_assert_cmpuint(memop_alignment_bits(MO_UQ | MO_ALIGN), ==, 3);
    g_assert_cmpuint(memop_alignment_bits(MO_UB | MO_ALIGN_16), ==, 4);
    g_assert_cmpuint(memop_alignment_bits(MO_UL), ==, 0);
    env_free(t);
}

/* Host loads and stores on CPU state fields. */
static void test_host_ldst(void)
{
    TestEnv *t = env_new();
    IRContext *c = &t->ctx;
    TestCPU cpu = t->init;
    intptr_t h = offsetof(TestCPU, host);
    static const IROpcode lds[] = {
        IR_OP_ld8u_i64, IR_OP_ld8s_i64, IR_OP_ld16u_i64, IR_OP_ld16s_i64,
        IR_OP_ld32u_i64, IR_OP_ld32s_i64, IR_OP_ld_i64,
    };

    ir_ctx_reset(c);
    for (unsigned i = 0; i < G_N_ELEMENTS(lds); i++) {
        ir_emit3(c, lds[i], t->x[i].idx, c->env.idx, h + 1);
    }
    ir_emit3(c, IR_OP_ld16s_i32, t->w[0].idx, c->env.idx, h + 8);
    ir_emit3(c, IR_OP_st8_i64, t->x[0].idx, c->env.idx, h + 16);
    ir_emit3(c, IR_OP_st16_i32, ir_const_i32(c, 0xbeef).idx, c->env.idx, h + 18);
    ir_emit3(c, IR_OP_st32_i64, ir_const_i64(c, 0x12345678).idx, c->env.idx, h + 20);
    ir_emit3(c, IR_OP_st_i64, ir_const_i64(c, 0x1122334455667788ull).idx, c->env.idx,
             h + 24);
    cpu.host[0] = 0x8182838485868788ull;
    cpu.host[1] = 0x8000;
    run_all(t, &cpu);
    g_assert_cmphex(cpu.x[0], ==, 0x87);
    g_assert_cmphex(cpu.x[1], ==, 0xffffffffffffff87ull);
    g_assert_cmphex(cpu.x[2], ==, 0x8687);
    g_assert_cmphex(cpu.x[3], ==, 0xffffffffffff8687ull);
    g_assert_cmphex(cpu.x[4], ==, 0x84858687);
    g_assert_cmphex(cpu.x[5], ==, 0xffffffff84858687ull);
    g_assert_cmphex(cpu.x[6], ==, 0x0081828384858687ull);
    g_assert_cmphex(cpu.w[0], ==, 0xffff8000);
    g_assert_cmphex(cpu.host[2], ==, 0x12345678beef0087ull);
    g_assert_cmphex(cpu.host[3], ==, 0x1122334455667788ull);
    env_free(t);
}

/* ---- block exits and chaining ---- */

static void test_exits(void)
{
    TestEnv *t = env_new();
    IRContext *c = &t->ctx;
    TestCPU cpu = t->init;
    TCGBlockCode a, b;
    const void *code_a, *code_b;

    /* B: x1 = 2; exit 0x22 */
    ir_ctx_reset(c);
    ir_gen_movi_i64(c, t->x[1], 2);
    ir_gen_exit_tb(c, 0x22);
    code_b = compile(t, t->gen, &b);
    g_assert_cmphex(tcg_exec(t->gen, &cpu, code_b), ==, 0x22);

    /* A: x0 += 1; goto_tb 0; exit 0x11 */
    ir_ctx_reset(c);
    ir_gen_addi_i64(c, t->x[0], t->x[0], 1);
    ir_gen_goto_tb(c, 0);
    ir_gen_exit_tb(c, 0x11);
    code_a = compile(t, t->gen, &a);
    g_assert_cmpuint(a.jmp_insn_off[0] % 4, ==, 0);
    g_assert_cmpuint(a.jmp_insn_off[1], ==, UINT32_MAX);
    cpu = t->init;
    g_assert_cmphex(tcg_exec(t->gen, &cpu, code_a), ==, 0x11);
    g_assert_cmpuint(cpu.x[0], ==, 1);

    /* Chain A -> B: x0 still written back before the jump. */
    uintptr_t site = (uintptr_t)code_a + a.jmp_insn_off[0];
    g_assert_cmpuint(site % 4, ==, 0);
    codebuf_set_jump_target(&t->cb, site, (uintptr_t)code_b);
    cpu = t->init;
    g_assert_cmphex(tcg_exec(t->gen, &cpu, code_a), ==, 0x22);
    g_assert_cmpuint(cpu.x[0], ==, 1);
    g_assert_cmpuint(cpu.x[1], ==, 2);
    /* Unchain. */
    codebuf_set_jump_target(&t->cb, site, (uintptr_t)code_a + a.jmp_reset_off[0]);
    cpu = t->init;
    g_assert_cmphex(tcg_exec(t->gen, &cpu, code_a), ==, 0x11);
    g_assert_cmpuint(cpu.x[1], ==, 0);

    /* goto_ptr: to B, or 0 to return 0. */
    for (int to_b = 0; to_b < 2; to_b++) {
        TCGBlockCode g;
        uintptr_t ptr = 0;
        ir_ctx_reset(c);
        ir_gen_movi_i64(c, t->x[3], 9);
        ir_gen_goto_ptr(c, to_b ? t->x[2] : ir_const_i64(c, 0));
        cpu = t->init;
        cpu.x[2] = (uintptr_t)code_b;
        g_assert_cmpuint(tcg_interp(c, &cpu, &t->cfg, &ptr), ==, 0);
        g_assert_cmphex(ptr, ==, to_b ? (uintptr_t)code_b : 0);
        cpu = t->init;
        cpu.x[2] = (uintptr_t)code_b;
        g_assert_cmphex(tcg_exec(t->gen, &cpu, compile(t, t->gen, &g)), ==,
                        to_b ? 0x22 : 0);
        g_assert_cmpuint(cpu.x[3], ==, 9);
        g_assert_cmpuint(cpu.x[1], ==, to_b ? 2 : 0);
    }
    env_free(t);
}

static void test_insn_map(void)
{
    TestEnv *t = env_new();
    IRContext *c = &t->ctx;
    TCGBlockCode tb;

    ir_ctx_reset(c);
    for (int i = 0; i < 3; i++) {
        ir_gen_insn_start(c, 0x1000 + 4 * i);
        ir_gen_addi_i64(c, t->x[i], t->x[i], i + 1);
    }
    ir_gen_exit_tb(c, 0);
    g_assert_cmpuint(c->nb_insns, ==, 3);
    compile(t, t->gen, &tb);
    g_assert_cmpuint(tb.nb_insns, ==, 3);
    g_assert_cmphex(tb.insn_pc[2], ==, 0x1008);
    g_assert_cmpuint(tb.insn_end_off[0], <=, tb.insn_end_off[1]);
    g_assert_cmpuint(tb.insn_end_off[2], <=, tb.size);
    uintptr_t base = (uintptr_t)tb.code;
    g_assert_cmpint(tcg_block_find_insn(&tb, base + tb.insn_end_off[0]), ==, 0);
    g_assert_cmpint(tcg_block_find_insn(&tb, base + tb.insn_end_off[2]), ==, 2);
    g_assert_cmpint(tcg_block_find_insn(&tb, base), ==, -1);
    g_assert_cmpint(tcg_block_find_insn(&tb, base + tb.size + 1), ==, -1);
    env_free(t);
}

/* ---- code buffer ---- */

static void count_flush(void *opaque)
{
    (*(unsigned *)opaque)++;
}

static void test_codebuf_flush(void)
{
    CodeBuf cb;
    GError *err = NULL;
    TCGConfig cfg = { .page_bits = PAGE_BITS };
    IRContext ctx;
    unsigned flushes = 0, blocks = 0;
    uint64_t state[2] = { 0, 0 };
    TCGBlockCode tb;
    int ret;

    g_assert_true(codebuf_init(&cb, 64 * 1024, &err));
    codebuf_set_flush_fn(&cb, count_flush, &flushes);
    TCGCodeGen *gen = tcg_codegen_new(&cb, &cfg, &err);
    g_assert_no_error(err);
    ir_ctx_init(&ctx);
    IRv64 g = ir_global_i64(&ctx, 0, "g");
    IRv64 h = ir_global_i64(&ctx, 8, "h");

    for (;;) {
        ir_ctx_reset(&ctx);
        for (int i = 0; i < 50; i++) {
            ir_gen_addi_i64(&ctx, g, g, i);
            ir_gen_xor_i64(&ctx, h, h, g);
        }
        ir_gen_exit_tb(&ctx, blocks + 1);
        ret = tcg_gen_code(gen, &ctx, &tb);
        if (ret == -ENOSPC) {
            break;
        }
        g_assert_cmpint(ret, ==, 0);
        blocks++;
        g_assert_cmpuint(tcg_exec(gen, state, tb.code), ==, blocks);
    }
    g_assert_cmpuint(blocks, >, 10);
    codebuf_flush(&cb);
    g_assert_cmpuint(flushes, ==, 1);
    g_assert_cmpuint(cb.flush_count, ==, 1);
    /* The prologue survived; the buffer is usable again. */
    g_assert_cmpint(tcg_gen_code(gen, &ctx, &tb), ==, 0);
    state[0] = state[1] = 0;
    g_assert_cmpuint(tcg_exec(gen, state, tb.code), ==, blocks + 1);
    g_assert_cmpuint(state[0], ==, 50 * 49 / 2);
    tcg_codegen_free(gen);
    ir_ctx_destroy(&ctx);
    codebuf_destroy(&cb);
}

static bool maps_perms(uintptr_t addr, char perms[5])
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    bool found = false;

    g_assert_nonnull(f);
    while (fgets(line, sizeof(line), f)) {
        unsigned long lo, hi;
        char p[5];
        if (sscanf(line, "%lx-%lx %4s", &lo, &hi, p) == 3 && addr >= lo && addr < hi) {
            memcpy(perms, p, 5);
            found = true;
            break;
        }
    }
    fclose(f);
    return found;
}

static void test_codebuf_wx(void)
{
    CodeBuf cb;
    GError *err = NULL;
    char prw[5], prx[5];

    g_assert_true(codebuf_init(&cb, 1 << 20, &err));
    g_assert_true(cb.rw != cb.rx);
    g_assert_true(maps_perms((uintptr_t)cb.rw, prw));
    g_assert_true(maps_perms((uintptr_t)cb.rx, prx));
    g_assert_cmpstr(prw, ==, "rw-s");
    g_assert_cmpstr(prx, ==, "r-xs");
    /* The two views share memory. */
    size_t avail;
    uint8_t *p = codebuf_begin(&cb, &avail);
    p[0] = 0xc3;
    uint8_t *x = codebuf_commit(&cb, 1);
    g_assert_cmphex(*x, ==, 0xc3);
    g_assert_true(codebuf_rw_of(&cb, x) == p);
    g_assert_true(codebuf_contains_rx(&cb, (uintptr_t)x));
    g_assert_false(codebuf_contains_rx(&cb, (uintptr_t)p));
    codebuf_destroy(&cb);

    /* Bad input: a size no memfd can have. */
    g_assert_false(codebuf_init(&cb, (size_t)1 << 62, &err));
    g_assert_error(err, TERN_ERROR, TERN_ERROR_IO);
    g_assert_nonnull(strstr(err->message, "code buffer"));
    g_clear_error(&err);
}

/* Too many block-lifetime temps for the frame: rejected, not miscompiled. */
static void test_too_big(void)
{
    TestEnv *t = env_new();
    IRContext *c = &t->ctx;
    IRv64 loc[600];
    IRLabel *l;
    TCGBlockCode tb;

    ir_ctx_reset(c);
    l = ir_label_new(c);
    for (int i = 0; i < 600; i++) {
        loc[i] = ir_temp_local_i64(c);
        ir_gen_addi_i64(c, loc[i], t->x[0], i);
    }
    ir_gen_set_label(c, l);
    for (int i = 0; i < 600; i++) {
        ir_gen_add_i64(c, t->x[1], t->x[1], loc[i]);
    }
    g_assert_cmpint(tcg_gen_code(t->gen, c, &tb), ==, -E2BIG);
    env_free(t);
}

static void test_dump(void)
{
    TestEnv *t = env_new();
    IRContext *c = &t->ctx;
    IRLabel *l;
    char *s;

    ir_ctx_reset(c);
    l = ir_label_new(c);
    ir_gen_insn_start(c, 0x4000);
    ir_gen_add_i64(c, t->x[0], t->x[1], ir_const_i64(c, 0x10));
    ir_gen_brcond_i64(c, IR_COND_LTU, t->x[0], t->x[1], l);
    ir_gen_qemu_ld_i64(c, t->x[2], t->x[0], 1, MO_UQ | MO_BE | MO_ALIGN);
    ir_gen_set_label(c, l);
    ir_gen_exit_tb(c, 0);
    s = ir_dump_to_string(c);
    g_assert_nonnull(strstr(s, "add_i64 x0,x1,$0x10"));
    g_assert_nonnull(strstr(s, "brcond_i64 x0,x1,ltu,$L0"));
    g_assert_nonnull(strstr(s, "qemu_ld_i64 x2,x0,uq_be+al8,mmu1"));
    g_assert_nonnull(strstr(s, "$L0:"));
    g_assert_nonnull(strstr(s, "0000000000004000"));
    g_free(s);
    env_free(t);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/tcg/ir/binops", test_binops);
    g_test_add_func("/tcg/ir/unops", test_unops);
    g_test_add_func("/tcg/ir/clz-ctz", test_clz_ctz);
    g_test_add_func("/tcg/ir/div", test_div);
    g_test_add_func("/tcg/ir/wide", test_wide);
    g_test_add_func("/tcg/ir/bitfields", test_bitfields);
    g_test_add_func("/tcg/ir/setcond-movcond", test_setcond_movcond);
    g_test_add_func("/tcg/ir/branches", test_branches);
    g_test_add_func("/tcg/ir/loop", test_loop);
    g_test_add_func("/tcg/ir/spills", test_spills);
    g_test_add_func("/tcg/ir/helpers", test_helpers);
    g_test_add_func("/tcg/ir/guest-mem", test_guest_mem);
    g_test_add_func("/tcg/ir/host-ldst", test_host_ldst);
    g_test_add_func("/tcg/ir/exits", test_exits);
    g_test_add_func("/tcg/ir/insn-map", test_insn_map);
    g_test_add_func("/tcg/ir/codebuf-flush", test_codebuf_flush);
    g_test_add_func("/tcg/ir/codebuf-wx", test_codebuf_wx);
    g_test_add_func("/tcg/ir/too-big", test_too_big);
    g_test_add_func("/tcg/ir/dump", test_dump);
    return g_test_run();
}
