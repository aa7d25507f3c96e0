/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared state of the execution layer (tcg-accel.c, tb.c, translate-all.c,
 * cpu-exec.c). There is one translator per process: one code buffer, one
 * code generator and one IR context, used under tb_lock by whichever vCPU
 * thread translates. Dropping all code needs every vCPU out of generated
 * code: the "exclusive" section below (vCPUs count themselves in while they
 * run guest code and wait at their loop top while a flush is pending).
 */
#ifndef ACCEL_TCG_EXEC_INTERNAL_H
#define ACCEL_TCG_EXEC_INTERNAL_H

#include "accel/tcg/cpu-exec.h"

typedef struct TCGExecState {
    bool initialized;
    const TCGTargetOps *ops;
    GMutex tb_lock;             /* translation, hash, pages, chaining */
    CodeBuf cb;
    TCGCodeGen *gen;
    TCGConfig cfg;
    IRContext ctx;
    GPtrArray *cpus;            /* TCGCPU *, under tb_lock */

    /* exclusive sections */
    GMutex excl_lock;
    GCond excl_cond;
    int running;                /* vCPUs inside tcg_cpu_exec */
    int excl_pending;           /* atomic */
    uint64_t tlb_flush_gen;     /* atomic: bumped to flush every vCPU's TLB */
} TCGExecState;

extern TCGExecState tcg_state;

static inline void tb_lock(void)
{
    g_mutex_lock(&tcg_state.tb_lock);
}

static inline void tb_unlock(void)
{
    g_mutex_unlock(&tcg_state.tb_lock);
}

/* tcg-accel.c: vCPUs count themselves in and out of guest code. */
void tcg_exec_start(TCGCPU *cpu);
void tcg_exec_end(TCGCPU *cpu);
/* Wait until no other vCPU runs guest code; no locks held. */
void tcg_start_exclusive(TCGCPU *self);
void tcg_end_exclusive(TCGCPU *self);

/* tb.c */
#define TB_PHYS_NONE UINT64_MAX     /* phys_pc of a block outside RAM */
TranslationBlock *tb_alloc(uint64_t pc, uint64_t phys_pc, uint32_t flags);
/* Keep a copy of the per-insn map; the block is then published. */
void tb_publish(TCGCPU *cpu, TranslationBlock *tb, const TCGBlockCode *code);
TranslationBlock *tb_hash_lookup(uint64_t pc, uint64_t phys_pc, uint32_t flags);
void tb_flush_locked(void);
/* The code buffer's flush callback: forget every block. */
void tb_cache_forget_all(void *opaque);
void tb_invalidate_phys_page_locked(uint64_t phys);
bool tb_page_has_code_locked(uint64_t phys);
static inline unsigned tb_jmp_cache_hash(uint64_t pc)
{
    return (unsigned)((pc >> 2) ^ (pc >> (2 + TB_JMP_CACHE_BITS))) & (TB_JMP_CACHE_SIZE - 1);
}

/* cpu-exec.c */
/* Host pointer of the code page holding pc and its physical address. */
const void *tcg_code_page(TCGCPU *cpu, uint64_t pc, uint64_t *phys);
/* Mark the page's write entries in every vCPU's TLB (new code there). */
void tlb_protect_code_page(uint64_t phys);

#endif
