/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The translator engine's public face: configure a code generator for a
 * target (where its TLB lives, its page size, its slow paths), turn an IR
 * block into host code, run it, or run the IR through the interpreter.
 *
 *   ir_ctx_reset -> front end fills ctx -> tcg_optimize (optional)
 *     -> tcg_gen_code (liveness, register allocation, emission) -> tcg_exec
 */
#ifndef ACCEL_TCG_TCG_H
#define ACCEL_TCG_TCG_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "accel/tcg/codebuf.h"
#include "accel/tcg/ir.h"
#include "accel/tcg/tlb.h"

/* Host instruction set extensions the backend uses when present. */
enum {
    TCG_HOST_BMI1   = 1u << 0,  /* andn */
    TCG_HOST_BMI2   = 1u << 1,  /* shlx/shrx/sarx */
    TCG_HOST_LZCNT  = 1u << 2,  /* lzcnt/tzcnt */
    TCG_HOST_POPCNT = 1u << 3,
    TCG_HOST_MOVBE  = 1u << 4,
};

typedef struct TCGConfig {
    int32_t tlb_offset;             /* offsetof(CPUState, tlb) - env */
    unsigned page_bits;             /* target page size for the TLB */
    const TCGTlbHooks *tlb_hooks;   /* required if blocks use qemu_ld/st */
    uint32_t host_features_disable; /* TCG_HOST_* to ignore (testing) */
} TCGConfig;

typedef struct TCGCodeGen TCGCodeGen;

/* The result of compiling one block. Offsets are from code. */
typedef struct TCGBlockCode {
    const void *code;               /* RX entry point */
    size_t size;
    uint32_t jmp_insn_off[2];       /* goto_tb rel32 field, UINT32_MAX if unused */
    uint32_t jmp_reset_off[2];      /* where an unchained goto_tb lands */
    uint32_t nb_insns;
    const uint32_t *insn_end_off;   /* per guest insn; valid until next gen */
    const uint64_t *insn_pc;
} TCGBlockCode;

typedef uintptr_t (*TCGExecFn)(void *env, const void *code);

/* Emits the prologue into cb (permanent) and probes the host. */
TCGCodeGen *tcg_codegen_new(CodeBuf *cb, const TCGConfig *cfg, GError **errp);
void tcg_codegen_free(TCGCodeGen *s);
uint32_t tcg_codegen_host_features(const TCGCodeGen *s);
TCGExecFn tcg_codegen_entry(const TCGCodeGen *s);

/*
 * Compile ctx. Returns 0, -ENOSPC when the code buffer is full (flush and
 * retry) or -E2BIG when the block needs more spill slots than the frame has
 * (retry with fewer guest instructions).
 */
int tcg_gen_code(TCGCodeGen *s, IRContext *ctx, TCGBlockCode *out);

/* Index of the guest instruction containing host_pc, or -1. */
int tcg_block_find_insn(const TCGBlockCode *b, uintptr_t host_pc);

/* Enter translated code; returns the exit_tb value (0 from goto_ptr(0)). */
static inline uintptr_t tcg_exec(const TCGCodeGen *s, void *env, const void *code)
{
    return tcg_codegen_entry(s)(env, code);
}

/*
 * Run a block on env with the reference interpreter. Returns the exit_tb
 * value; goto_ptr stores its pointer in *goto_ptr (if non-NULL) and returns 0.
 */
uintptr_t tcg_interp(const IRContext *ctx, void *env, const TCGConfig *cfg,
                     uintptr_t *goto_ptr);

#endif
