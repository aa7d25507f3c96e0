/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The translator's intermediate representation: typed temps (globals backed
 * by CPU state, block temps, constants), ops from the table in ir-ops.h kept
 * in one array per block, labels and scratch data in a per-block arena. A
 * front end fills an IRContext through the ir_gen_* builder; the passes
 * (optimizer, liveness, register allocator) and the interpreter read it.
 * Building a block allocates nothing once the arrays have grown to size.
 */
#ifndef ACCEL_TCG_IR_H
#define ACCEL_TCG_IR_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- op table ---- */

enum {
    IR_OPF_BB_END       = 1u << 0,  /* ends a basic block (label, branch, exit) */
    IR_OPF_BB_EXIT      = 1u << 1,  /* leaves the translated block */
    IR_OPF_COND_BRANCH  = 1u << 2,  /* falls through when not taken */
    IR_OPF_HAS_LABEL    = 1u << 3,  /* last constant is an IRLabel * */
    IR_OPF_CALL_CLOBBER = 1u << 4,  /* clobbers the host's call-clobbered regs */
    IR_OPF_SIDE_EFFECTS = 1u << 5,  /* never removed; globals in memory before */
    IR_OPF_PURE         = 1u << 6,  /* result depends only on inputs: foldable */
    IR_OPF_LOAD         = 1u << 7,  /* host load: removable when unused */
    IR_OPF_COMMUTATIVE  = 1u << 8,  /* inputs 0 and 1 may be swapped */
    IR_OPF_GUEST_MEM    = 1u << 9,  /* guest memory access through the TLB */
    IR_OPF_I64          = 1u << 10, /* 64-bit op (else 32-bit) */
    IR_OPF_NOT_PRESENT  = 1u << 11, /* bookkeeping only, emits no code */
};

typedef enum IROpcode {
#define DEF(name, oargs, iargs, cargs, flags) IR_OP_##name,
#include "accel/tcg/ir-ops.h"
#undef DEF
    IR_OP_COUNT
} IROpcode;

typedef struct IROpDef {
    const char *name;
    uint8_t nb_oargs, nb_iargs, nb_cargs;
    uint32_t flags;
} IROpDef;

extern const IROpDef ir_op_defs[IR_OP_COUNT];

/* ---- types, conditions, memory ops ---- */

typedef enum IRType {
    IR_TYPE_I32,
    IR_TYPE_I64,
    IR_TYPE_V128,   /* reserved for vector ops */
} IRType;

typedef enum IRTempKind {
    /* Order matters: the optimizer prefers higher kinds as copy sources. */
    IR_TEMP_NORMAL,   /* dies at the next label */
    IR_TEMP_LOCAL,    /* lives across the whole block, spilled at labels */
    IR_TEMP_GLOBAL,   /* backed by a CPU-state field at env + offset */
    IR_TEMP_FIXED,    /* pinned to a host register (env) */
    IR_TEMP_CONST,    /* a constant, interned per block */
} IRTempKind;

typedef enum IRCond {
    IR_COND_NEVER,
    IR_COND_ALWAYS,
    IR_COND_EQ,
    IR_COND_NE,
    IR_COND_LT,
    IR_COND_GE,
    IR_COND_LE,
    IR_COND_GT,
    IR_COND_LTU,
    IR_COND_GEU,
    IR_COND_LEU,
    IR_COND_GTU,
    IR_COND_TSTEQ,  /* (a & b) == 0 */
    IR_COND_TSTNE,  /* (a & b) != 0 */
    IR_COND_COUNT,
} IRCond;

IRCond ir_cond_invert(IRCond c);
/* The condition that holds for (b, a) when c holds for (a, b). */
IRCond ir_cond_swap(IRCond c);
bool ir_cond_eval(IRCond c, uint64_t a, uint64_t b, bool is64);
const char *ir_cond_name(IRCond c);

typedef enum MemOp {
    MO_8 = 0,
    MO_16 = 1,
    MO_32 = 2,
    MO_64 = 3,
    MO_SIZE = 3,
    MO_SIGN = 4,
    MO_BSWAP = 8,        /* byte order opposite to the (little-endian) host */
    MO_LE = 0,
    MO_BE = MO_BSWAP,
    MO_ASHIFT = 4,
    MO_AMASK = 7 << 4,
    MO_UNALN = 0 << 4,
    MO_ALIGN = 1 << 4,   /* natural alignment */
    MO_ALIGN_2 = 2 << 4,
    MO_ALIGN_4 = 3 << 4,
    MO_ALIGN_8 = 4 << 4,
    MO_ALIGN_16 = 5 << 4,
    MO_ALIGN_32 = 6 << 4,
    MO_ALIGN_64 = 7 << 4,
    MO_UB = MO_8,
    MO_SB = MO_8 | MO_SIGN,
    MO_UW = MO_16,
    MO_SW = MO_16 | MO_SIGN,
    MO_UL = MO_32,
    MO_SL = MO_32 | MO_SIGN,
    MO_UQ = MO_64,
} MemOp;

static inline unsigned memop_size(MemOp op)
{
    return 1u << (op & MO_SIZE);
}

/* The low `size` bytes of v in reverse order; a single byte is unchanged. */
static inline uint64_t memop_bswap(uint64_t v, unsigned size)
{
    switch (size) {
    case 2:
        return __builtin_bswap16((uint16_t)v);
    case 4:
        return __builtin_bswap32((uint32_t)v);
    case 8:
        return __builtin_bswap64(v);
    default:
        return v;
    }
}

/* A value read from memory in host order, as mop asks: byte order, then sign. */
static inline uint64_t memop_load_value(uint64_t raw, MemOp mop)
{
    unsigned size = memop_size(mop);

    if (mop & MO_BSWAP) {
        raw = memop_bswap(raw, size);
    }
    if ((mop & MO_SIGN) && size < 8) {
        unsigned shift = 64 - 8 * size;
        raw = (uint64_t)((int64_t)(raw << shift) >> shift);
    }
    return raw;
}

/* A value to write to memory in host order, as mop asks. */
static inline uint64_t memop_store_value(uint64_t v, MemOp mop)
{
    return (mop & MO_BSWAP) ? memop_bswap(v, memop_size(mop)) : v;
}

/* log2 of the required alignment in bytes (0: none) */
static inline unsigned memop_alignment_bits(MemOp op)
{
    unsigned a = (op & MO_AMASK) >> MO_ASHIFT;
    return a == 0 ? 0 : a == 1 ? (op & MO_SIZE) : a - 1;
}

/* MemOp and mmu_idx packed into one constant argument. */
typedef uint32_t IRMemOpIdx;
#define IR_MMU_IDX_BITS 4

static inline IRMemOpIdx ir_memop_idx(MemOp op, unsigned mmu_idx)
{
    return ((uint32_t)op << IR_MMU_IDX_BITS) | mmu_idx;
}
static inline MemOp ir_memop_idx_memop(IRMemOpIdx oi)
{
    return (MemOp)(oi >> IR_MMU_IDX_BITS);
}
static inline unsigned ir_memop_idx_mmu(IRMemOpIdx oi)
{
    return oi & ((1u << IR_MMU_IDX_BITS) - 1);
}

/* Memory barrier kinds: which earlier/later accesses may not be reordered. */
enum {
    IR_MB_LD_LD = 1,
    IR_MB_LD_ST = 2,
    IR_MB_ST_LD = 4,
    IR_MB_ST_ST = 8,
    IR_MB_ALL = 15,
};

/* ---- helper calls ---- */

enum {
    IR_CALL_NO_READ_GLOBALS  = 1,  /* helper does not read guest globals */
    IR_CALL_NO_WRITE_GLOBALS = 2,  /* helper does not write guest globals */
    IR_CALL_NO_SIDE_EFFECTS  = 4,  /* removable when its result is unused */
    IR_CALL_NO_RWG = IR_CALL_NO_READ_GLOBALS | IR_CALL_NO_WRITE_GLOBALS,
    IR_CALL_NO_RWG_SE = IR_CALL_NO_RWG | IR_CALL_NO_SIDE_EFFECTS,
};

#define IR_MAX_CALL_ARGS 8

typedef enum IRHelperType {
    IR_HTYPE_VOID,
    IR_HTYPE_I32,
    IR_HTYPE_I64,
} IRHelperType;

typedef struct IRHelperInfo {
    void *func;
    const char *name;
    uint16_t flags;
    uint8_t nb_args;
    uint8_t ret_type;                     /* IRHelperType */
    uint8_t arg_types[IR_MAX_CALL_ARGS];  /* IRHelperType */
} IRHelperInfo;

/* ---- temps, ops, labels ---- */

typedef uint64_t IRArg;
#define IR_MAX_ARGS 12
#define IR_TEMP_NONE UINT32_MAX

/* Typed handles: a temp index wrapped so that widths cannot be mixed up. */
typedef struct { uint32_t idx; } IRv32;
typedef struct { uint32_t idx; } IRv64;

/* Register allocator view of a temp's current value. */
enum {
    IR_VAL_DEAD,
    IR_VAL_REG,
    IR_VAL_MEM,
    IR_VAL_CONST,
};

typedef struct IRTemp {
    uint8_t type;          /* IRType */
    uint8_t kind;          /* IRTempKind */
    const char *name;      /* globals and env only */
    uint64_t val;          /* IR_TEMP_CONST: the value (i32: zero-extended) */
    int32_t mem_offset;    /* globals: env offset; others: frame slot */

    /* register allocator */
    uint8_t val_type;
    int8_t reg;
    bool mem_coherent;
    bool mem_allocated;
    uint64_t cval;         /* value when val_type == IR_VAL_CONST */

    /* liveness */
    uint8_t state;

    /* optimizer: equal-value ring, known constant */
    bool opt_is_const;
    uint32_t opt_prev, opt_next;
    uint64_t opt_val;
} IRTemp;

typedef struct IROp {
    uint16_t opc;          /* IROpcode */
    uint8_t nb_oargs;
    uint8_t nb_iargs;
    uint32_t life;         /* set by liveness: IR_DEAD_ARG / IR_SYNC_ARG bits */
    IRArg args[IR_MAX_ARGS];
} IROp;

#define IR_DEAD_ARG(n) (1u << (n))
#define IR_SYNC_ARG(n) (1u << (16 + (n)))

typedef struct IRReloc IRReloc;

typedef struct IRLabel {
    uint32_t id;
    uint32_t refs;          /* branches naming this label */
    bool has_value;         /* backend: bound to a code offset */
    uint32_t value;
    IRReloc *relocs;        /* backend: pending references */
    uint32_t op_index;      /* interpreter: position of set_label */
} IRLabel;

typedef struct IRArenaChunk IRArenaChunk;

typedef struct IRContext {
    IRTemp *temps;
    uint32_t nb_temps, temps_cap, nb_globals;
    IROp *ops;
    uint32_t nb_ops, ops_cap;
    IRLabel **labels;
    uint32_t nb_labels, labels_cap;
    uint32_t nb_insns;

    /* constant interning: open addressing, slots valid for one generation */
    uint32_t *const_slot;
    uint32_t *const_gen;
    uint32_t const_cap, const_count, const_generation;

    IRArenaChunk *arena_head, *arena_cur;
    size_t arena_used;

    IRv64 env;              /* the CPU state pointer, pinned to a host reg */
} IRContext;

/* ---- context ---- */

void ir_ctx_init(IRContext *ctx);
void ir_ctx_destroy(IRContext *ctx);
/* Forget the previous block: ops, labels, temps other than globals. */
void ir_ctx_reset(IRContext *ctx);
/* Per-block scratch memory, freed by ir_ctx_reset. */
void *ir_arena_alloc(IRContext *ctx, size_t size);

/* Globals are created once, before the first block. */
IRv64 ir_global_i64(IRContext *ctx, intptr_t offset, const char *name);
IRv32 ir_global_i32(IRContext *ctx, intptr_t offset, const char *name);
IRv32 ir_temp_i32(IRContext *ctx);
IRv64 ir_temp_i64(IRContext *ctx);
IRv32 ir_temp_local_i32(IRContext *ctx);
IRv64 ir_temp_local_i64(IRContext *ctx);
uint32_t ir_temp_new(IRContext *ctx, IRType type, IRTempKind kind);
IRv32 ir_const_i32(IRContext *ctx, uint32_t val);
IRv64 ir_const_i64(IRContext *ctx, uint64_t val);
uint32_t ir_const_new(IRContext *ctx, IRType type, uint64_t val);
IRLabel *ir_label_new(IRContext *ctx);

static inline IRTemp *ir_temp(const IRContext *ctx, uint32_t idx)
{
    return &ctx->temps[idx];
}

static inline const IROpDef *ir_op_def(const IROp *op)
{
    return &ir_op_defs[op->opc];
}

static inline unsigned ir_op_nb_cargs(const IROp *op)
{
    return ir_op_defs[op->opc].nb_cargs;
}

static inline IRLabel *ir_arg_label(IRArg a)
{
    return (IRLabel *)(uintptr_t)a;
}

/*
 * Append an op. args holds outputs, inputs and constants in that order;
 * nb_oargs/nb_iargs come from the table except for call.
 */
IROp *ir_emit(IRContext *ctx, IROpcode opc, const IRArg *args);
IROp *ir_emit_call(IRContext *ctx, const IRHelperInfo *info, uint32_t ret,
                   const uint32_t *args);

/* ---- passes and printing ---- */

/* Constant folding, copy propagation, algebraic identities, branch folding. */
void tcg_optimize(IRContext *ctx);
/* Backward liveness: fills IROp.life and removes ops without effect. */
void tcg_liveness(IRContext *ctx);

void ir_dump(const IRContext *ctx, FILE *f);
char *ir_dump_to_string(const IRContext *ctx);
/* Names a temp the way ir_dump does ("x0", "tmp3", "loc1", "$0x10"). */
void ir_temp_name(const IRContext *ctx, uint32_t idx, char *buf, size_t len);

/*
 * Compute a pure op's outputs from its inputs (i32 values zero-extended).
 * Returns false for ops that are not IR_OPF_PURE. Shared by the optimizer's
 * constant folding and the interpreter so both agree by construction.
 */
bool ir_eval_pure(IROpcode opc, uint64_t *out, const uint64_t *in,
                  const IRArg *cargs);

/* ---- builder wrappers ---- */

static inline void ir_emit1(IRContext *c, IROpcode opc, IRArg a)
{
    IRArg args[1] = { a };
    ir_emit(c, opc, args);
}
static inline void ir_emit2(IRContext *c, IROpcode opc, IRArg a, IRArg b)
{
    IRArg args[2] = { a, b };
    ir_emit(c, opc, args);
}
static inline void ir_emit3(IRContext *c, IROpcode opc, IRArg a, IRArg b,
                            IRArg d)
{
    IRArg args[3] = { a, b, d };
    ir_emit(c, opc, args);
}
static inline void ir_emit4(IRContext *c, IROpcode opc, IRArg a, IRArg b,
                            IRArg d, IRArg e)
{
    IRArg args[4] = { a, b, d, e };
    ir_emit(c, opc, args);
}
static inline void ir_emit6(IRContext *c, IROpcode opc, IRArg a, IRArg b,
                            IRArg d, IRArg e, IRArg f, IRArg g)
{
    IRArg args[6] = { a, b, d, e, f, g };
    ir_emit(c, opc, args);
}

#define IR_DEF_UNOP(fn, opc, T) \
    static inline void fn(IRContext *c, T d, T a) \
    { ir_emit2(c, opc, d.idx, a.idx); }
#define IR_DEF_BINOP(fn, opc, T) \
    static inline void fn(IRContext *c, T d, T a, T b) \
    { ir_emit3(c, opc, d.idx, a.idx, b.idx); }

IR_DEF_UNOP(ir_gen_mov_i32, IR_OP_mov_i32, IRv32)
IR_DEF_UNOP(ir_gen_neg_i32, IR_OP_neg_i32, IRv32)
IR_DEF_UNOP(ir_gen_not_i32, IR_OP_not_i32, IRv32)
IR_DEF_UNOP(ir_gen_ext8s_i32, IR_OP_ext8s_i32, IRv32)
IR_DEF_UNOP(ir_gen_ext8u_i32, IR_OP_ext8u_i32, IRv32)
IR_DEF_UNOP(ir_gen_ext16s_i32, IR_OP_ext16s_i32, IRv32)
IR_DEF_UNOP(ir_gen_ext16u_i32, IR_OP_ext16u_i32, IRv32)
IR_DEF_UNOP(ir_gen_bswap16_i32, IR_OP_bswap16_i32, IRv32)
IR_DEF_UNOP(ir_gen_bswap32_i32, IR_OP_bswap32_i32, IRv32)
IR_DEF_UNOP(ir_gen_ctpop_i32, IR_OP_ctpop_i32, IRv32)
IR_DEF_BINOP(ir_gen_add_i32, IR_OP_add_i32, IRv32)
IR_DEF_BINOP(ir_gen_sub_i32, IR_OP_sub_i32, IRv32)
IR_DEF_BINOP(ir_gen_mul_i32, IR_OP_mul_i32, IRv32)
IR_DEF_BINOP(ir_gen_and_i32, IR_OP_and_i32, IRv32)
IR_DEF_BINOP(ir_gen_or_i32, IR_OP_or_i32, IRv32)
IR_DEF_BINOP(ir_gen_xor_i32, IR_OP_xor_i32, IRv32)
IR_DEF_BINOP(ir_gen_andc_i32, IR_OP_andc_i32, IRv32)
IR_DEF_BINOP(ir_gen_orc_i32, IR_OP_orc_i32, IRv32)
IR_DEF_BINOP(ir_gen_shl_i32, IR_OP_shl_i32, IRv32)
IR_DEF_BINOP(ir_gen_shr_i32, IR_OP_shr_i32, IRv32)
IR_DEF_BINOP(ir_gen_sar_i32, IR_OP_sar_i32, IRv32)
IR_DEF_BINOP(ir_gen_rotl_i32, IR_OP_rotl_i32, IRv32)
IR_DEF_BINOP(ir_gen_rotr_i32, IR_OP_rotr_i32, IRv32)
IR_DEF_BINOP(ir_gen_div_i32, IR_OP_div_i32, IRv32)
IR_DEF_BINOP(ir_gen_divu_i32, IR_OP_divu_i32, IRv32)
IR_DEF_BINOP(ir_gen_rem_i32, IR_OP_rem_i32, IRv32)
IR_DEF_BINOP(ir_gen_remu_i32, IR_OP_remu_i32, IRv32)
IR_DEF_BINOP(ir_gen_clz_i32, IR_OP_clz_i32, IRv32)
IR_DEF_BINOP(ir_gen_ctz_i32, IR_OP_ctz_i32, IRv32)

IR_DEF_UNOP(ir_gen_mov_i64, IR_OP_mov_i64, IRv64)
IR_DEF_UNOP(ir_gen_neg_i64, IR_OP_neg_i64, IRv64)
IR_DEF_UNOP(ir_gen_not_i64, IR_OP_not_i64, IRv64)
IR_DEF_UNOP(ir_gen_ext8s_i64, IR_OP_ext8s_i64, IRv64)
IR_DEF_UNOP(ir_gen_ext8u_i64, IR_OP_ext8u_i64, IRv64)
IR_DEF_UNOP(ir_gen_ext16s_i64, IR_OP_ext16s_i64, IRv64)
IR_DEF_UNOP(ir_gen_ext16u_i64, IR_OP_ext16u_i64, IRv64)
IR_DEF_UNOP(ir_gen_ext32s_i64, IR_OP_ext32s_i64, IRv64)
IR_DEF_UNOP(ir_gen_ext32u_i64, IR_OP_ext32u_i64, IRv64)
IR_DEF_UNOP(ir_gen_bswap16_i64, IR_OP_bswap16_i64, IRv64)
IR_DEF_UNOP(ir_gen_bswap32_i64, IR_OP_bswap32_i64, IRv64)
IR_DEF_UNOP(ir_gen_bswap64_i64, IR_OP_bswap64_i64, IRv64)
IR_DEF_UNOP(ir_gen_ctpop_i64, IR_OP_ctpop_i64, IRv64)
IR_DEF_BINOP(ir_gen_add_i64, IR_OP_add_i64, IRv64)
IR_DEF_BINOP(ir_gen_sub_i64, IR_OP_sub_i64, IRv64)
IR_DEF_BINOP(ir_gen_mul_i64, IR_OP_mul_i64, IRv64)
IR_DEF_BINOP(ir_gen_and_i64, IR_OP_and_i64, IRv64)
IR_DEF_BINOP(ir_gen_or_i64, IR_OP_or_i64, IRv64)
IR_DEF_BINOP(ir_gen_xor_i64, IR_OP_xor_i64, IRv64)
IR_DEF_BINOP(ir_gen_andc_i64, IR_OP_andc_i64, IRv64)
IR_DEF_BINOP(ir_gen_orc_i64, IR_OP_orc_i64, IRv64)
IR_DEF_BINOP(ir_gen_shl_i64, IR_OP_shl_i64, IRv64)
IR_DEF_BINOP(ir_gen_shr_i64, IR_OP_shr_i64, IRv64)
IR_DEF_BINOP(ir_gen_sar_i64, IR_OP_sar_i64, IRv64)
IR_DEF_BINOP(ir_gen_rotl_i64, IR_OP_rotl_i64, IRv64)
IR_DEF_BINOP(ir_gen_rotr_i64, IR_OP_rotr_i64, IRv64)
IR_DEF_BINOP(ir_gen_div_i64, IR_OP_div_i64, IRv64)
IR_DEF_BINOP(ir_gen_divu_i64, IR_OP_divu_i64, IRv64)
IR_DEF_BINOP(ir_gen_rem_i64, IR_OP_rem_i64, IRv64)
IR_DEF_BINOP(ir_gen_remu_i64, IR_OP_remu_i64, IRv64)
IR_DEF_BINOP(ir_gen_clz_i64, IR_OP_clz_i64, IRv64)
IR_DEF_BINOP(ir_gen_ctz_i64, IR_OP_ctz_i64, IRv64)

#undef IR_DEF_UNOP
#undef IR_DEF_BINOP

static inline void ir_gen_movi_i32(IRContext *c, IRv32 d, uint32_t v)
{
    ir_gen_mov_i32(c, d, ir_const_i32(c, v));
}
static inline void ir_gen_movi_i64(IRContext *c, IRv64 d, uint64_t v)
{
    ir_gen_mov_i64(c, d, ir_const_i64(c, v));
}
static inline void ir_gen_addi_i64(IRContext *c, IRv64 d, IRv64 a, int64_t v)
{
    ir_gen_add_i64(c, d, a, ir_const_i64(c, v));
}
static inline void ir_gen_andi_i64(IRContext *c, IRv64 d, IRv64 a, uint64_t v)
{
    ir_gen_and_i64(c, d, a, ir_const_i64(c, v));
}
static inline void ir_gen_shli_i64(IRContext *c, IRv64 d, IRv64 a, unsigned v)
{
    ir_gen_shl_i64(c, d, a, ir_const_i64(c, v));
}
static inline void ir_gen_shri_i64(IRContext *c, IRv64 d, IRv64 a, unsigned v)
{
    ir_gen_shr_i64(c, d, a, ir_const_i64(c, v));
}
static inline void ir_gen_addi_i32(IRContext *c, IRv32 d, IRv32 a, int32_t v)
{
    ir_gen_add_i32(c, d, a, ir_const_i32(c, v));
}

static inline void ir_gen_mulu2_i32(IRContext *c, IRv32 lo, IRv32 hi, IRv32 a, IRv32 b)
{
    ir_emit4(c, IR_OP_mulu2_i32, lo.idx, hi.idx, a.idx, b.idx);
}
static inline void ir_gen_muls2_i32(IRContext *c, IRv32 lo, IRv32 hi, IRv32 a, IRv32 b)
{
    ir_emit4(c, IR_OP_muls2_i32, lo.idx, hi.idx, a.idx, b.idx);
}
static inline void ir_gen_mulu2_i64(IRContext *c, IRv64 lo, IRv64 hi, IRv64 a, IRv64 b)
{
    ir_emit4(c, IR_OP_mulu2_i64, lo.idx, hi.idx, a.idx, b.idx);
}
static inline void ir_gen_muls2_i64(IRContext *c, IRv64 lo, IRv64 hi, IRv64 a, IRv64 b)
{
    ir_emit4(c, IR_OP_muls2_i64, lo.idx, hi.idx, a.idx, b.idx);
}
static inline void ir_gen_add2_i64(IRContext *c, IRv64 rl, IRv64 rh, IRv64 al,
                                   IRv64 ah, IRv64 bl, IRv64 bh)
{
    ir_emit6(c, IR_OP_add2_i64, rl.idx, rh.idx, al.idx, ah.idx, bl.idx, bh.idx);
}
static inline void ir_gen_sub2_i64(IRContext *c, IRv64 rl, IRv64 rh, IRv64 al,
                                   IRv64 ah, IRv64 bl, IRv64 bh)
{
    ir_emit6(c, IR_OP_sub2_i64, rl.idx, rh.idx, al.idx, ah.idx, bl.idx, bh.idx);
}

static inline void ir_gen_setcond_i32(IRContext *c, IRCond cond, IRv32 d, IRv32 a, IRv32 b)
{
    ir_emit4(c, IR_OP_setcond_i32, d.idx, a.idx, b.idx, cond);
}
static inline void ir_gen_setcond_i64(IRContext *c, IRCond cond, IRv64 d, IRv64 a, IRv64 b)
{
    ir_emit4(c, IR_OP_setcond_i64, d.idx, a.idx, b.idx, cond);
}
/* d = cond(c1, c2) ? v1 : v2 */
static inline void ir_gen_movcond_i32(IRContext *c, IRCond cond, IRv32 d, IRv32 c1,
                                      IRv32 c2, IRv32 v1, IRv32 v2)
{
    ir_emit6(c, IR_OP_movcond_i32, d.idx, c1.idx, c2.idx, v1.idx, v2.idx, cond);
}
static inline void ir_gen_movcond_i64(IRContext *c, IRCond cond, IRv64 d, IRv64 c1,
                                      IRv64 c2, IRv64 v1, IRv64 v2)
{
    ir_emit6(c, IR_OP_movcond_i64, d.idx, c1.idx, c2.idx, v1.idx, v2.idx, cond);
}

static inline void ir_gen_extract_i32(IRContext *c, IRv32 d, IRv32 a, unsigned ofs, unsigned len)
{
    ir_emit4(c, IR_OP_extract_i32, d.idx, a.idx, ofs, len);
}
static inline void ir_gen_sextract_i32(IRContext *c, IRv32 d, IRv32 a, unsigned ofs, unsigned len)
{
    ir_emit4(c, IR_OP_sextract_i32, d.idx, a.idx, ofs, len);
}
static inline void ir_gen_deposit_i32(IRContext *c, IRv32 d, IRv32 a, IRv32 b,
                                      unsigned ofs, unsigned len)
{
    IRArg args[5] = { d.idx, a.idx, b.idx, ofs, len };
    ir_emit(c, IR_OP_deposit_i32, args);
}
static inline void ir_gen_extract_i64(IRContext *c, IRv64 d, IRv64 a, unsigned ofs, unsigned len)
{
    ir_emit4(c, IR_OP_extract_i64, d.idx, a.idx, ofs, len);
}
static inline void ir_gen_sextract_i64(IRContext *c, IRv64 d, IRv64 a, unsigned ofs, unsigned len)
{
    ir_emit4(c, IR_OP_sextract_i64, d.idx, a.idx, ofs, len);
}
static inline void ir_gen_deposit_i64(IRContext *c, IRv64 d, IRv64 a, IRv64 b,
                                      unsigned ofs, unsigned len)
{
    IRArg args[5] = { d.idx, a.idx, b.idx, ofs, len };
    ir_emit(c, IR_OP_deposit_i64, args);
}

static inline void ir_gen_extu_i32_i64(IRContext *c, IRv64 d, IRv32 a)
{
    ir_emit2(c, IR_OP_extu_i32_i64, d.idx, a.idx);
}
static inline void ir_gen_exts_i32_i64(IRContext *c, IRv64 d, IRv32 a)
{
    ir_emit2(c, IR_OP_exts_i32_i64, d.idx, a.idx);
}
static inline void ir_gen_extrl_i64_i32(IRContext *c, IRv32 d, IRv64 a)
{
    ir_emit2(c, IR_OP_extrl_i64_i32, d.idx, a.idx);
}
static inline void ir_gen_extrh_i64_i32(IRContext *c, IRv32 d, IRv64 a)
{
    ir_emit2(c, IR_OP_extrh_i64_i32, d.idx, a.idx);
}

/* Host loads and stores relative to a base pointer (usually env). */
static inline void ir_gen_ld_i64(IRContext *c, IRv64 d, IRv64 base, intptr_t ofs)
{
    ir_emit3(c, IR_OP_ld_i64, d.idx, base.idx, (IRArg)ofs);
}
static inline void ir_gen_st_i64(IRContext *c, IRv64 v, IRv64 base, intptr_t ofs)
{
    ir_emit3(c, IR_OP_st_i64, v.idx, base.idx, (IRArg)ofs);
}
static inline void ir_gen_ld_i32(IRContext *c, IRv32 d, IRv64 base, intptr_t ofs)
{
    ir_emit3(c, IR_OP_ld_i32, d.idx, base.idx, (IRArg)ofs);
}
static inline void ir_gen_st_i32(IRContext *c, IRv32 v, IRv64 base, intptr_t ofs)
{
    ir_emit3(c, IR_OP_st_i32, v.idx, base.idx, (IRArg)ofs);
}

static inline void ir_gen_qemu_ld_i64(IRContext *c, IRv64 v, IRv64 addr,
                                      unsigned mmu_idx, MemOp mop)
{
    ir_emit3(c, IR_OP_qemu_ld_i64, v.idx, addr.idx, ir_memop_idx(mop, mmu_idx));
}
static inline void ir_gen_qemu_st_i64(IRContext *c, IRv64 v, IRv64 addr,
                                      unsigned mmu_idx, MemOp mop)
{
    ir_emit3(c, IR_OP_qemu_st_i64, v.idx, addr.idx, ir_memop_idx(mop, mmu_idx));
}
static inline void ir_gen_qemu_ld_i32(IRContext *c, IRv32 v, IRv64 addr,
                                      unsigned mmu_idx, MemOp mop)
{
    ir_emit3(c, IR_OP_qemu_ld_i32, v.idx, addr.idx, ir_memop_idx(mop, mmu_idx));
}
static inline void ir_gen_qemu_st_i32(IRContext *c, IRv32 v, IRv64 addr,
                                      unsigned mmu_idx, MemOp mop)
{
    ir_emit3(c, IR_OP_qemu_st_i32, v.idx, addr.idx, ir_memop_idx(mop, mmu_idx));
}

void ir_gen_set_label(IRContext *c, IRLabel *l);
void ir_gen_br(IRContext *c, IRLabel *l);
void ir_gen_brcond_i32(IRContext *c, IRCond cond, IRv32 a, IRv32 b, IRLabel *l);
void ir_gen_brcond_i64(IRContext *c, IRCond cond, IRv64 a, IRv64 b, IRLabel *l);

static inline void ir_gen_insn_start(IRContext *c, uint64_t pc)
{
    ir_emit1(c, IR_OP_insn_start, pc);
    c->nb_insns++;
}
static inline void ir_gen_mb(IRContext *c, unsigned kind)
{
    ir_emit1(c, IR_OP_mb, kind);
}
static inline void ir_gen_exit_tb(IRContext *c, uintptr_t val)
{
    ir_emit1(c, IR_OP_exit_tb, val);
}
static inline void ir_gen_goto_tb(IRContext *c, unsigned slot)
{
    ir_emit1(c, IR_OP_goto_tb, slot);
}
static inline void ir_gen_goto_ptr(IRContext *c, IRv64 ptr)
{
    ir_emit1(c, IR_OP_goto_ptr, ptr.idx);
}
static inline void ir_gen_discard_i64(IRContext *c, IRv64 t)
{
    ir_emit1(c, IR_OP_discard, t.idx);
}
static inline void ir_gen_discard_i32(IRContext *c, IRv32 t)
{
    ir_emit1(c, IR_OP_discard, t.idx);
}

#endif
