/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What every A64 translation file shares: the per-instruction context, the
 * IR globals that hold X0-X30, SP, PC and the flags, and small generators
 * (register access with the XZR/SP rule, flags, conditions, exceptions,
 * block ends, SIMD&FP register access). docs/arm-translate.md is the
 * guide; this header is the reference.
 */
#ifndef TARGET_ARM_TRANSLATE_H
#define TARGET_ARM_TRANSLATE_H

#include <stddef.h>

#include "accel/tcg/cpu-exec.h"
#include "accel/tcg/helpers.h"
#include "accel/tcg/ir.h"
#include "target/arm/cpu.h"

typedef enum DisasJumpType {
    DISAS_NEXT,         /* go on with the next instruction */
    DISAS_TOO_MANY,     /* stop; continue at pc_next through goto_tb */
    DISAS_UPDATE_EXIT,  /* stop; PC := pc_next; back to the CPU loop */
    DISAS_JUMP,         /* cpu_pc written; goto_ptr through lookup_tb_ptr */
    DISAS_EXIT,         /* cpu_pc written; back to the CPU loop */
    DISAS_NORETURN,     /* the generated code already left the block */
} DisasJumpType;

typedef struct DisasContext {
    IRContext *ir;
    TranslationBlock *tb;
    CPUARMState *env;           /* translation-time reads only */
    uint64_t pc_first;
    uint64_t pc_curr;
    uint64_t pc_next;
    uint32_t insn;
    DisasJumpType is_jmp;
    int el;
    int mmu_idx;
    bool fp_enabled;
    bool fp_checked;
    IRv64 cpu_X[32];            /* [31] is SP */
    IRv64 cpu_pc;
    IRv64 cpu_NF, cpu_ZF, cpu_CF, cpu_VF;
} DisasContext;

/* ---- general-purpose registers ---- */

/* Read X[r]; r = 31 reads XZR (constant 0). Never an output operand. */
static inline IRv64 a64_x(DisasContext *s, int r)
{
    return r == 31 ? ir_const_i64(s->ir, 0) : s->cpu_X[r];
}

/* Read X[r]; r = 31 is SP. */
static inline IRv64 a64_x_sp(DisasContext *s, int r)
{
    return s->cpu_X[r];
}

static inline void a64_set_x(DisasContext *s, int r, IRv64 v)
{
    if (r != 31) {
        ir_gen_mov_i64(s->ir, s->cpu_X[r], v);
    }
}

static inline void a64_set_x_sp(DisasContext *s, int r, IRv64 v)
{
    ir_gen_mov_i64(s->ir, s->cpu_X[r], v);
}

/* W[r] := low 32 bits of v (the upper half of X[r] becomes zero). */
static inline void a64_set_w(DisasContext *s, int r, IRv64 v)
{
    if (r != 31) {
        ir_gen_ext32u_i64(s->ir, s->cpu_X[r], v);
    }
}

static inline void a64_set_x_sf(DisasContext *s, int r, IRv64 v, int sf)
{
    if (sf) {
        a64_set_x(s, r, v);
    } else {
        a64_set_w(s, r, v);
    }
}

/* A fresh 64-bit temp: shorthand used everywhere. */
static inline IRv64 a64_tmp(DisasContext *s)
{
    return ir_temp_i64(s->ir);
}

static inline IRv64 a64_const(DisasContext *s, uint64_t v)
{
    return ir_const_i64(s->ir, v);
}

/* ---- flags and conditions (translate-a64.c) ---- */

typedef struct DisasCompare {
    IRCond cond;
    IRv64 a, b;
} DisasCompare;

/* N, Z from result (sf: 64-bit, else the low 32 bits); C = V = 0. */
void a64_gen_logic_flags(DisasContext *s, IRv64 result, int sf);
/* d = a + b (or a - b, a + b + C, a + ~b + C) with NZCV; d may alias a or b. */
void a64_gen_add_flags(DisasContext *s, IRv64 d, IRv64 a, IRv64 b, int sf);
void a64_gen_sub_flags(DisasContext *s, IRv64 d, IRv64 a, IRv64 b, int sf);
void a64_gen_adc_flags(DisasContext *s, IRv64 d, IRv64 a, IRv64 b, int sf);
void a64_gen_sbc_flags(DisasContext *s, IRv64 d, IRv64 a, IRv64 b, int sf);
/* NZCV as MRS NZCV sees it (bits 31:28), and the reverse. */
IRv64 a64_get_nzcv(DisasContext *s);
void a64_set_nzcv(DisasContext *s, IRv64 v);
/* A64 condition (0-15) as an IR comparison. */
void a64_test_cc(DisasContext *s, int cond, DisasCompare *c);
void a64_gen_brcond_cc(DisasContext *s, int cond, IRLabel *label);

/* ---- block ends and exceptions (translate-a64.c) ---- */

/* Continue at dest: chained jump through exit slot n (0 or 1). */
void a64_gen_goto_tb(DisasContext *s, int n, uint64_t dest);
/* PC := dest (a temp), then look the block up in generated code. */
void a64_gen_jump_reg(DisasContext *s, IRv64 dest);
/* Synchronous exception with ELR = this insn / the next insn. */
void a64_gen_exception_insn(DisasContext *s, uint32_t syndrome);
void a64_gen_exception_next(DisasContext *s, uint32_t syndrome);
void a64_gen_undef(DisasContext *s);
/* True if FP/SIMD may be used; else raises the EC 0x07 trap. */
bool a64_fp_access_check(DisasContext *s);

/* ---- SIMD&FP registers (offsets from env) ---- */

static inline intptr_t a64_vreg_ofs(int n)
{
    return (intptr_t)offsetof(CPUARMState, vregs[n]);
}

static inline intptr_t a64_vreg_elt_ofs(int n, int index, int esz)
{
    return a64_vreg_ofs(n) + ((intptr_t)index << esz);
}

void a64_read_vreg_i64(DisasContext *s, IRv64 t, int n, int elt);
void a64_write_vreg_i64(DisasContext *s, int n, int elt, IRv64 t);
/* Zero bytes from_byte..15 of V[n]. */
void a64_clear_vreg_high(DisasContext *s, int n, int from_byte);
/* V[n] := the low 1 << esz bytes of t, zero-extended to 128 bits. */
void a64_write_vreg_scalar(DisasContext *s, int n, IRv64 t, int esz);

/* ---- the other decoders ---- */

/* translate-a64-fp.c: scalar FP (a64-simd.decode). */
bool a64_decode_fp(DisasContext *s, uint32_t insn);
/* translate-a64-simd.c: Advanced SIMD. */
bool a64_decode_advsimd(DisasContext *s, uint32_t insn);
/* translate-a64-ext.c: later extensions (a64-ext.decode). */
bool a64_decode_ext(DisasContext *s, uint32_t insn);
/* CFINV, XAFLAG, AXFLAG (MSR immediate, op1 = 0, CRm = 0, op2 = 0/1/2). */
bool a64_gen_flagm(DisasContext *s, int op2);

/* translate-a64.c: decode_a64's bitmask immediates (DecodeBitMasks). */
uint64_t a64_bitmask_imm(DisasContext *s, int x);

/* The translator entry point (TCGTargetOps.translate). */
void a64_translate_block(TCGCPU *cpu, IRContext *ctx, TranslationBlock *tb,
                         const void *code_page, int max_insns);
void a64_init_globals(IRContext *ctx);

#endif
