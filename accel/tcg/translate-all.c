/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Turning guest code into a block: the front end fills the shared IR
 * context, the engine optimizes and compiles it, and the block is published
 * in the caches. A full code buffer is flushed (with every vCPU outside
 * generated code) and the translation retried; a block needing more spill
 * slots than the frame has is retried with half as many instructions.
 * Also the -d in_asm / op / op_opt / out_asm dumps of each new block, and
 * with TERN_TCG_STATS=1 the time spent translating, printed at exit (the
 * benchmarks use it to tell translation cost from execution speed).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exec-internal.h"
#include "util/log.h"

static void log_block(const TranslationBlock *tb, const void *page, uint32_t log_items)
{
    const TCGTargetOps *ops = tcg_state.ops;
    g_autoptr(GString) out = g_string_new(NULL);
    FILE *f;

    if ((log_items & LOG_IN_ASM) && page) {
        g_string_append_printf(out, "IN: (block at 0x%016" PRIx64 ", flags 0x%x)\n",
                               tb->pc, tb->flags);
        disas_to_string(out, ops->disas_arch,
                        (const uint8_t *)page + (tb->pc & ~TCG_PAGE_MASK), tb->size, tb->pc);
        g_string_append_c(out, '\n');
    }
    if (log_items & LOG_OUT_ASM) {
        g_string_append_printf(out, "OUT: [size=%zu]\n", tb->code.size);
        disas_to_string(out, DISAS_X86_64, tb->code.code, tb->code.size,
                        (uintptr_t)tb->code.code);
        g_string_append_c(out, '\n');
    }
    f = log_lock();
    fputs(out->str, f);
    log_unlock();
}

static void log_ir(const char *title, const TranslationBlock *tb)
{
    FILE *f = log_lock();

    fprintf(f, "%s: (block at 0x%016" PRIx64 ")\n", title, tb->pc);
    ir_dump(&tcg_state.ctx, f);
    fputc('\n', f);
    log_unlock();
}

/*
 * A debug block must come back to the loop after its instruction: its
 * indirect jumps (lookup_tb_ptr + goto_ptr) become plain exits. Its direct
 * exits are never chained, so they return already.
 */
static void debug_block_unlink(IRContext *ctx)
{
    for (uint32_t i = 0; i < ctx->nb_ops; i++) {
        IROp *op = &ctx->ops[i];

        if (op->opc == IR_OP_goto_ptr) {
            op->opc = IR_OP_exit_tb;
            op->nb_oargs = 0;
            op->nb_iargs = 0;
            op->args[0] = 0;
        }
    }
}

/* tb_lock held. Returns NULL when the caller must flush and retry. */
static TranslationBlock *tb_gen_code_locked(TCGCPU *cpu, uint64_t pc, uint64_t phys,
                                            uint32_t flags, const void *page)
{
    const TCGTargetOps *ops = tcg_state.ops;
    IRContext *ctx = &tcg_state.ctx;
    int max_insns = (flags & TB_FLAG_DEBUG) ? 1 : TB_MAX_INSNS;
    TranslationBlock *tb = tb_alloc(pc, page ? phys : TB_PHYS_NONE, flags);
    TCGBlockCode code;

    for (;;) {
        int ret;

        ir_ctx_reset(ctx);
        ops->translate(cpu, ctx, tb, page, max_insns);
        if (flags & TB_FLAG_DEBUG) {
            debug_block_unlink(ctx);
        }
        if (log_enabled(LOG_OP)) {
            log_ir("OP", tb);
        }
        tcg_optimize(ctx);
        if (log_enabled(LOG_OP_OPT)) {
            log_ir("OP after optimization", tb);
        }
        ret = tcg_gen_code(tcg_state.gen, ctx, &code);
        if (ret == 0) {
            break;
        }
        if (ret == -ENOSPC) {
            return NULL;
        }
        g_assert(ret == -E2BIG && tb->icount > 1);
        max_insns = tb->icount / 2;
    }
    tb_publish(cpu, tb, &code);
    if (log_enabled(LOG_IN_ASM | LOG_OUT_ASM)) {
        log_block(tb, page, log_mask_enabled);
    }
    return tb;
}

/*
 * Translation accounting, all under tb_lock: whether TERN_TCG_STATS=1
 * (-1 until first looked at), blocks translated and nanoseconds spent.
 */
static struct {
    int enabled;
    uint64_t blocks;
    uint64_t ns;
} tcg_stats = { .enabled = -1 };

static uint64_t stats_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void stats_print(void)
{
    fprintf(stderr, "tern: tcg: %" PRIu64 " blocks, %.3f ms translating\n",
            __atomic_load_n(&tcg_stats.blocks, __ATOMIC_RELAXED),
            __atomic_load_n(&tcg_stats.ns, __ATOMIC_RELAXED) / 1e6);
}

static bool stats_enabled(void)
{
    if (tcg_stats.enabled < 0) {
        const char *v = getenv("TERN_TCG_STATS");

        tcg_stats.enabled = v && strcmp(v, "1") == 0;
        if (tcg_stats.enabled) {
            atexit(stats_print);
        }
    }
    return tcg_stats.enabled;
}

TranslationBlock *tb_lookup_or_gen(TCGCPU *cpu, uint64_t pc, uint32_t flags)
{
    TranslationBlock *tb = tb_lookup(cpu, pc, flags);

    while (!tb) {
        uint64_t phys = 0;
        const void *page = tcg_code_page(cpu, pc, &phys);

        tb_lock();
        /* Another vCPU may have translated it meanwhile. */
        tb = page ? tb_hash_lookup(pc, phys, flags) : NULL;
        if (!tb) {
            if (stats_enabled()) {
                uint64_t t0 = stats_now_ns();

                tb = tb_gen_code_locked(cpu, pc, phys, flags, page);
                __atomic_store_n(&tcg_stats.ns, tcg_stats.ns + stats_now_ns() - t0,
                                 __ATOMIC_RELAXED);
                __atomic_store_n(&tcg_stats.blocks, tcg_stats.blocks + (tb != NULL),
                                 __ATOMIC_RELAXED);
            } else {
                tb = tb_gen_code_locked(cpu, pc, phys, flags, page);
            }
        }
        tb_unlock();
        if (!tb) {
            tb_flush(cpu);
        }
    }
    return tb;
}
