/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The contract between the target-independent register allocator
 * (regalloc.c) and a host backend (backend-x86_64.c): the code generator
 * state, operand constraints per op, and the small set of emitters the
 * allocator calls. Internal to accel/tcg; users include tcg.h.
 */
#ifndef ACCEL_TCG_BACKEND_H
#define ACCEL_TCG_BACKEND_H

#include "accel/tcg/tcg.h"

#define TCG_NB_REGS 16
typedef uint16_t TCGRegSet;

/* Constant operands an argument accepts as an immediate. */
enum {
    TCG_CT_CONST_ANY = 1,   /* any value */
    TCG_CT_CONST_S32 = 2,   /* fits a sign-extended 32-bit immediate */
    TCG_CT_CONST_WSZ = 4,   /* equals the operation width (clz/ctz default) */
};

typedef struct TCGArgConstraint {
    TCGRegSet regs;         /* registers allowed */
    uint8_t ct_const;       /* TCG_CT_CONST_* */
    uint8_t alias_index;    /* input: the output it aliases; output: the input */
    bool ialias;            /* input shares its register with an output */
    bool oalias;            /* output reuses an input's register */
    bool newreg;            /* output must not overlap any input */
} TCGArgConstraint;

typedef struct TCGOpConstraint {
    TCGArgConstraint args[IR_MAX_ARGS];
    uint8_t sort_index[IR_MAX_ARGS];   /* order to allocate inputs in */
    TCGRegSet clobber;                 /* registers the emitter destroys */
    uint8_t nb_scratch;                /* extra registers the emitter needs */
    bool valid;
} TCGOpConstraint;

struct IRReloc {
    IRReloc *next;
    uint32_t off;           /* offset of a rel32 field from code start */
};

typedef struct TCGLdstSlow TCGLdstSlow;

struct TCGCodeGen {
    CodeBuf *cb;
    TCGConfig cfg;
    uint32_t features;
    TCGExecFn prologue;
    const uint8_t *epilogue_rx;     /* returns rax to tcg_exec's caller */
    const uint8_t *ret0_rx;         /* returns 0 */
    TCGOpConstraint constraints[IR_OP_COUNT];
    TCGRegSet reserved_regs;

    /* per block */
    IRContext *ctx;
    uint8_t *code_buf;              /* RW start of the block */
    uint8_t *code_ptr;              /* RW emission point */
    uint8_t *code_limit;            /* emission beyond this is refused */
    uint8_t *code_end;
    uint32_t reg_to_temp[TCG_NB_REGS];
    int32_t frame_next;
    int32_t *free_slots;
    uint32_t nb_free_slots;
    int err;
    TCGLdstSlow *ldst_head;
    uint32_t jmp_insn_off[2], jmp_reset_off[2];
    uint32_t *insn_end_off;
    uint64_t *insn_pc;
    uint32_t nb_insns, insn_cap;
};

/* Host register conventions, defined by the backend. */
extern const int tcg_target_reg_alloc_order[];
extern const unsigned tcg_target_nb_alloc_order;
extern const int tcg_target_call_iarg_regs[6];
extern const int tcg_target_call_oarg_reg;
extern const TCGRegSet tcg_target_call_clobber;
extern const int tcg_target_reg_env;
extern const int tcg_target_reg_sp;
extern const int tcg_target_reg_tmp;   /* never allocated, free for emitters */
extern const int32_t tcg_target_frame_spill_start;
extern const int32_t tcg_target_frame_spill_end;
extern const int32_t tcg_target_frame_call_args;

static inline uint32_t tcg_current_offset(const TCGCodeGen *s)
{
    return (uint32_t)(s->code_ptr - s->code_buf);
}

static inline uintptr_t tcg_rx_addr(const TCGCodeGen *s, const uint8_t *rw)
{
    return (uintptr_t)codebuf_rx_of(s->cb, rw);
}

/* Backend entry points used by the allocator. */
void tcg_target_init(TCGCodeGen *s);
bool tcg_target_gen_prologue(TCGCodeGen *s, GError **errp);
bool tcg_target_const_match(uint64_t val, IRType type, const TCGArgConstraint *ct);
void tcg_out_mov(TCGCodeGen *s, IRType type, int dst, int src);
void tcg_out_movi(TCGCodeGen *s, IRType type, int reg, uint64_t val);
void tcg_out_ld(TCGCodeGen *s, IRType type, int reg, int base, intptr_t ofs);
void tcg_out_st(TCGCodeGen *s, IRType type, int reg, int base, intptr_t ofs);
bool tcg_out_sti(TCGCodeGen *s, IRType type, uint64_t val, int base, intptr_t ofs);
void tcg_out_call(TCGCodeGen *s, const void *func);
void tcg_out_br(TCGCodeGen *s, IRLabel *l);
void tcg_out_label(TCGCodeGen *s, IRLabel *l);
void tcg_out_exit_tb(TCGCodeGen *s, uintptr_t val);
void tcg_out_goto_tb(TCGCodeGen *s, unsigned slot);
/*
 * Emit one op. args holds host registers for register operands, values for
 * constant operands (const_args set) and the op's constant arguments.
 */
void tcg_out_op(TCGCodeGen *s, IROpcode opc, const IRArg *args,
                const bool *const_args, const int *scratch);
/* Emit the out-of-line slow paths; false if the buffer ran out. */
bool tcg_out_ldst_finalize(TCGCodeGen *s);

#endif
