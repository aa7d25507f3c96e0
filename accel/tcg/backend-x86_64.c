/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The x86-64 backend: a small instruction encoder, operand constraints per
 * IR op, one emitter per op, labels and relocations, the prologue shared by
 * every block, block exits (exit_tb, patchable goto_tb, goto_ptr) and the
 * softmmu TLB fast path with out-of-line slow paths. BMI1/BMI2/LZCNT/
 * POPCNT/MOVBE are used when cpuid reports them, with plain fallbacks.
 *
 * Register use: rbp holds env for the whole time translated code runs,
 * rsp points at a fixed frame (helper stack arguments, slow-path register
 * save area, spill slots), r11 is a scratch register the allocator never
 * hands out. Everything else is allocatable, callee-saved registers first
 * so values survive helper calls.
 */
#include "accel/tcg/backend.h"

#include <cpuid.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "util/error.h"

enum {
    R_RAX, R_RCX, R_RDX, R_RBX, R_RSP, R_RBP, R_RSI, R_RDI,
    R_R8, R_R9, R_R10, R_R11, R_R12, R_R13, R_R14, R_R15,
};

#define R_TMP R_R11
#define R_ENV R_RBP
#define ALLOCATABLE ((TCGRegSet)(0xffff & ~((1u << R_RSP) | (1u << R_RBP) | (1u << R_TMP))))

/* Frame below the pushed callee-saved registers; rsp stays 16-aligned. */
#define FRAME_CALL_ARGS   0
#define FRAME_SAVE_AREA   16
#define FRAME_SPILL_START (FRAME_SAVE_AREA + TCG_NB_REGS * 8)
#define FRAME_SPILL_SLOTS 512
#define FRAME_SPILL_END   (FRAME_SPILL_START + FRAME_SPILL_SLOTS * 8)
#define FRAME_SIZE        (FRAME_SPILL_END + 8)
G_STATIC_ASSERT((FRAME_SIZE + 7 * 8) % 16 == 0);

const int tcg_target_reg_alloc_order[] = {
    R_RBX, R_R12, R_R13, R_R14, R_R15, R_R10, R_R9, R_R8,
    R_RCX, R_RDX, R_RSI, R_RDI, R_RAX,
};
const unsigned tcg_target_nb_alloc_order = G_N_ELEMENTS(tcg_target_reg_alloc_order);
const int tcg_target_call_iarg_regs[6] = { R_RDI, R_RSI, R_RDX, R_RCX, R_R8, R_R9 };
const int tcg_target_call_oarg_reg = R_RAX;
const TCGRegSet tcg_target_call_clobber =
    (1u << R_RAX) | (1u << R_RCX) | (1u << R_RDX) | (1u << R_RSI) | (1u << R_RDI) |
    (1u << R_R8) | (1u << R_R9) | (1u << R_R10) | (1u << R_R11);
const int tcg_target_reg_env = R_ENV;
const int tcg_target_reg_sp = R_RSP;
const int tcg_target_reg_tmp = R_TMP;
const int32_t tcg_target_frame_spill_start = FRAME_SPILL_START;
const int32_t tcg_target_frame_spill_end = FRAME_SPILL_END;
const int32_t tcg_target_frame_call_args = FRAME_CALL_ARGS;

/* ---- encoder ---- */

#define P_EXT     0x100     /* 0x0f escape */
#define P_EXT38   0x200     /* 0x0f 0x38 escape */
#define P_DATA16  0x400     /* 0x66 operand size */
#define P_REXW    0x800     /* 64-bit operand size */
#define P_REXB_R  0x1000    /* reg field names a byte register */
#define P_REXB_RM 0x2000    /* r/m field names a byte register */
#define P_F3      0x4000
#define P_F2      0x8000

#define OPC_ARITH_EvIz  0x81
#define OPC_ARITH_EvIb  0x83
#define OPC_ARITH_GvEv  0x03    /* + (ARITH_x << 3) */
#define OPC_BSF         (0xbc | P_EXT)
#define OPC_BSR         (0xbd | P_EXT)
#define OPC_BSWAP       (0xc8 | P_EXT)
#define OPC_CALL_Jz     0xe8
#define OPC_CMOVCC      (0x40 | P_EXT)
#define OPC_CDQ         0x99
#define OPC_GRP3_Ev     0xf7
#define OPC_GRP5        0xff
#define OPC_IMUL_GvEv   (0xaf | P_EXT)
#define OPC_IMUL_GvEvIb 0x6b
#define OPC_IMUL_GvEvIz 0x69
#define OPC_JCC_long    (0x80 | P_EXT)
#define OPC_JCC_short   0x70
#define OPC_JMP_long    0xe9
#define OPC_JMP_short   0xeb
#define OPC_LEA         0x8d
#define OPC_LZCNT       (0xbd | P_EXT | P_F3)
#define OPC_TZCNT       (0xbc | P_EXT | P_F3)
#define OPC_POPCNT      (0xb8 | P_EXT | P_F3)
#define OPC_MOVB_EvGv   (0x88 | P_REXB_R)
#define OPC_MOVL_EvGv   0x89
#define OPC_MOVL_GvEv   0x8b
#define OPC_MOVB_EvIz   0xc6
#define OPC_MOVL_EvIz   0xc7
#define OPC_MOVL_Iv     0xb8
#define OPC_MOVBE_GyMy  (0xf0 | P_EXT38)
#define OPC_MOVBE_MyGy  (0xf1 | P_EXT38)
#define OPC_MOVSBL      (0xbe | P_EXT | P_REXB_RM)
#define OPC_MOVSWL      (0xbf | P_EXT)
#define OPC_MOVSLQ      (0x63 | P_REXW)
#define OPC_MOVZBL      (0xb6 | P_EXT | P_REXB_RM)
#define OPC_MOVZWL      (0xb7 | P_EXT)
#define OPC_POP_r32     0x58
#define OPC_PUSH_r32    0x50
#define OPC_RET         0xc3
#define OPC_SETCC       (0x90 | P_EXT | P_REXB_RM)
#define OPC_SHIFT_1     0xd1
#define OPC_SHIFT_Ib    0xc1
#define OPC_SHIFT_cl    0xd3
#define OPC_TESTL       0x85
#define OPC_SHLX        (0xf7 | P_EXT38 | P_DATA16)
#define OPC_SHRX        (0xf7 | P_EXT38 | P_F2)
#define OPC_SARX        (0xf7 | P_EXT38 | P_F3)
#define OPC_ANDN        (0xf2 | P_EXT38)

enum { ARITH_ADD, ARITH_OR, ARITH_ADC, ARITH_SBB, ARITH_AND, ARITH_SUB, ARITH_XOR, ARITH_CMP };
enum { SHIFT_ROL = 0, SHIFT_ROR = 1, SHIFT_SHL = 4, SHIFT_SHR = 5, SHIFT_SAR = 7 };
enum { EXT3_TEST = 0, EXT3_NOT = 2, EXT3_NEG = 3, EXT3_MUL = 4, EXT3_IMUL = 5,
       EXT3_DIV = 6, EXT3_IDIV = 7 };
enum { EXT5_CALLN = 2, EXT5_JMPN = 4 };
enum { JCC_O, JCC_NO, JCC_B, JCC_AE, JCC_E, JCC_NE, JCC_BE, JCC_A,
       JCC_S, JCC_NS, JCC_P, JCC_NP, JCC_L, JCC_GE, JCC_LE, JCC_G };

static inline void out8(TCGCodeGen *s, uint8_t v)
{
    *s->code_ptr++ = v;
}

static inline void out32(TCGCodeGen *s, uint32_t v)
{
    memcpy(s->code_ptr, &v, 4);
    s->code_ptr += 4;
}

static inline void out64(TCGCodeGen *s, uint64_t v)
{
    memcpy(s->code_ptr, &v, 8);
    s->code_ptr += 8;
}

/* Prefixes, REX and opcode bytes; r, rm and x are register numbers. */
static void out_opc(TCGCodeGen *s, int opc, int r, int rm, int x)
{
    int rex = 0;

    if (opc & P_DATA16) {
        out8(s, 0x66);
    }
    if (opc & P_F3) {
        out8(s, 0xf3);
    } else if (opc & P_F2) {
        out8(s, 0xf2);
    }
    if (opc & P_REXW) {
        rex |= 8;
    }
    rex |= (r & 8) >> 1;
    rex |= (x & 8) >> 2;
    rex |= (rm & 8) >> 3;
    /* spl/bpl/sil/dil exist only with a REX prefix present. */
    if (rex || ((opc & P_REXB_R) && r >= 4) || ((opc & P_REXB_RM) && rm >= 4)) {
        out8(s, 0x40 | rex);
    }
    if (opc & (P_EXT | P_EXT38)) {
        out8(s, 0x0f);
        if (opc & P_EXT38) {
            out8(s, 0x38);
        }
    }
    out8(s, opc & 0xff);
}

static void out_modrm(TCGCodeGen *s, int opc, int r, int rm)
{
    out_opc(s, opc, r, rm, 0);
    out8(s, 0xc0 | ((r & 7) << 3) | (rm & 7));
}

/* [base + index << shift + ofs]; index < 0 means none. */
static void out_modrm_sib(TCGCodeGen *s, int opc, int r, int base, int index,
                          int shift, intptr_t ofs)
{
    int mod;

    g_assert(ofs == (int32_t)ofs);
    out_opc(s, opc, r, base, index < 0 ? 0 : index);
    if (ofs == 0 && (base & 7) != R_RBP) {
        mod = 0;
    } else if (ofs == (int8_t)ofs) {
        mod = 0x40;
    } else {
        mod = 0x80;
    }
    if (index < 0 && (base & 7) != R_RSP) {
        out8(s, mod | ((r & 7) << 3) | (base & 7));
    } else {
        int idx = index < 0 ? 4 : (index & 7);
        out8(s, mod | ((r & 7) << 3) | 4);
        out8(s, (shift << 6) | (idx << 3) | (base & 7));
    }
    if (mod == 0x40) {
        out8(s, (uint8_t)ofs);
    } else if (mod == 0x80) {
        out32(s, (uint32_t)ofs);
    }
}

static void out_modrm_offset(TCGCodeGen *s, int opc, int r, int base, intptr_t ofs)
{
    out_modrm_sib(s, opc, r, base, -1, 0, ofs);
}

/* Three-operand VEX form used by BMI: r = dest, v = extra source. */
static void out_vex_modrm(TCGCodeGen *s, int opc, int r, int v, int rm)
{
    int mmmmm = (opc & P_EXT38) ? 2 : 1;
    int pp = (opc & P_DATA16) ? 1 : (opc & P_F3) ? 2 : (opc & P_F2) ? 3 : 0;

    out8(s, 0xc4);
    out8(s, ((~r & 8) << 4) | 0x40 | ((~rm & 8) << 2) | mmmmm);
    out8(s, ((opc & P_REXW) ? 0x80 : 0) | ((~v & 15) << 3) | pp);
    out8(s, opc & 0xff);
    out8(s, 0xc0 | ((r & 7) << 3) | (rm & 7));
}

static void tgen_arithr(TCGCodeGen *s, int ext, int dst, int src, int rexw)
{
    out_modrm(s, (OPC_ARITH_GvEv + (ext << 3)) | rexw, dst, src);
}

static void tgen_arithi(TCGCodeGen *s, int ext, int r, int64_t val, int rexw)
{
    if (!rexw) {
        val = (int32_t)val;
    }
    if (val == (int8_t)val) {
        out_modrm(s, OPC_ARITH_EvIb | rexw, ext, r);
        out8(s, (uint8_t)val);
    } else {
        g_assert(val == (int32_t)val);
        out_modrm(s, OPC_ARITH_EvIz | rexw, ext, r);
        out32(s, (uint32_t)val);
    }
}

static void tgen_shifti(TCGCodeGen *s, int ext, int r, unsigned count, int rexw)
{
    count &= rexw ? 63 : 31;
    if (count == 0) {
        return;
    }
    if (count == 1) {
        out_modrm(s, OPC_SHIFT_1 | rexw, ext, r);
    } else {
        out_modrm(s, OPC_SHIFT_Ib | rexw, ext, r);
        out8(s, count);
    }
}

static void tgen_mov(TCGCodeGen *s, int rexw, int dst, int src)
{
    if (dst != src) {
        out_modrm(s, OPC_MOVL_GvEv | rexw, dst, src);
    }
}

/* ---- allocator interface ---- */

void tcg_out_mov(TCGCodeGen *s, IRType type, int dst, int src)
{
    tgen_mov(s, type == IR_TYPE_I64 ? P_REXW : 0, dst, src);
}

void tcg_out_movi(TCGCodeGen *s, IRType type, int reg, uint64_t val)
{
    if (type == IR_TYPE_I32) {
        val = (uint32_t)val;
    }
    if (val == 0) {
        out_modrm(s, OPC_ARITH_GvEv + (ARITH_XOR << 3), reg, reg);
    } else if (val <= UINT32_MAX) {
        out_opc(s, OPC_MOVL_Iv + (reg & 7), 0, reg, 0);
        out32(s, (uint32_t)val);
    } else if ((int64_t)val == (int32_t)val) {
        out_modrm(s, OPC_MOVL_EvIz | P_REXW, 0, reg);
        out32(s, (uint32_t)val);
    } else {
        out_opc(s, (OPC_MOVL_Iv + (reg & 7)) | P_REXW, 0, reg, 0);
        out64(s, val);
    }
}

void tcg_out_ld(TCGCodeGen *s, IRType type, int reg, int base, intptr_t ofs)
{
    out_modrm_offset(s, OPC_MOVL_GvEv | (type == IR_TYPE_I64 ? P_REXW : 0),
                     reg, base, ofs);
}

void tcg_out_st(TCGCodeGen *s, IRType type, int reg, int base, intptr_t ofs)
{
    out_modrm_offset(s, OPC_MOVL_EvGv | (type == IR_TYPE_I64 ? P_REXW : 0),
                     reg, base, ofs);
}

bool tcg_out_sti(TCGCodeGen *s, IRType type, uint64_t val, int base, intptr_t ofs)
{
    if (type == IR_TYPE_I64 && (int64_t)val != (int32_t)val) {
        return false;
    }
    out_modrm_offset(s, OPC_MOVL_EvIz | (type == IR_TYPE_I64 ? P_REXW : 0),
                     0, base, ofs);
    out32(s, (uint32_t)val);
    return true;
}

bool tcg_target_const_match(uint64_t val, IRType type, const TCGArgConstraint *ct)
{
    if (ct->ct_const & TCG_CT_CONST_ANY) {
        return true;
    }
    if ((ct->ct_const & TCG_CT_CONST_S32) &&
        (type == IR_TYPE_I32 || (int64_t)val == (int32_t)val)) {
        return true;
    }
    if ((ct->ct_const & TCG_CT_CONST_WSZ) && val == (type == IR_TYPE_I32 ? 32 : 64)) {
        return true;
    }
    return false;
}

/* Jump (cc < 0) or conditional jump to an absolute executable address. */
static void tcg_out_jmp_abs(TCGCodeGen *s, int cc, uintptr_t target)
{
    int len = cc < 0 ? 5 : 6;
    uintptr_t next = tcg_rx_addr(s, s->code_ptr) + len;
    int64_t rel = (int64_t)target - (int64_t)next;

    g_assert(rel == (int32_t)rel);
    if (cc < 0) {
        out8(s, OPC_JMP_long);
    } else {
        out8(s, 0x0f);
        out8(s, 0x80 + cc);
    }
    out32(s, (uint32_t)rel);
}

void tcg_out_call(TCGCodeGen *s, const void *func)
{
    uintptr_t next = tcg_rx_addr(s, s->code_ptr) + 5;
    int64_t rel = (int64_t)(uintptr_t)func - (int64_t)next;

    if (rel == (int32_t)rel) {
        out8(s, OPC_CALL_Jz);
        out32(s, (uint32_t)rel);
    } else {
        tcg_out_movi(s, IR_TYPE_I64, R_TMP, (uintptr_t)func);
        out_modrm(s, OPC_GRP5, EXT5_CALLN, R_TMP);
    }
}

static void tcg_out_jxx(TCGCodeGen *s, int cc, IRLabel *l)
{
    if (l->has_value) {
        int64_t val = (int64_t)l->value - (int64_t)tcg_current_offset(s);
        if (val - 2 == (int8_t)(val - 2)) {
            out8(s, cc < 0 ? OPC_JMP_short : OPC_JCC_short + cc);
            out8(s, (uint8_t)(val - 2));
        } else if (cc < 0) {
            out8(s, OPC_JMP_long);
            out32(s, (uint32_t)(val - 5));
        } else {
            out8(s, 0x0f);
            out8(s, 0x80 + cc);
            out32(s, (uint32_t)(val - 6));
        }
        return;
    }
    if (cc < 0) {
        out8(s, OPC_JMP_long);
    } else {
        out8(s, 0x0f);
        out8(s, 0x80 + cc);
    }
    IRReloc *r = ir_arena_alloc(s->ctx, sizeof(*r));
    r->off = tcg_current_offset(s);
    r->next = l->relocs;
    l->relocs = r;
    out32(s, 0);
}

void tcg_out_br(TCGCodeGen *s, IRLabel *l)
{
    tcg_out_jxx(s, -1, l);
}

static void patch_rel32(TCGCodeGen *s, uint32_t field_off, uint32_t target_off)
{
    int32_t rel = (int32_t)(target_off - (field_off + 4));
    memcpy(s->code_buf + field_off, &rel, 4);
}

void tcg_out_label(TCGCodeGen *s, IRLabel *l)
{
    l->has_value = true;
    l->value = tcg_current_offset(s);
    for (IRReloc *r = l->relocs; r; r = r->next) {
        patch_rel32(s, r->off, l->value);
    }
}

void tcg_out_exit_tb(TCGCodeGen *s, uintptr_t val)
{
    if (val == 0) {
        tcg_out_jmp_abs(s, -1, (uintptr_t)s->ret0_rx);
    } else {
        tcg_out_movi(s, IR_TYPE_I64, R_RAX, val);
        tcg_out_jmp_abs(s, -1, (uintptr_t)s->epilogue_rx);
    }
}

void tcg_out_goto_tb(TCGCodeGen *s, unsigned slot)
{
    /* Align the rel32 so chaining can rewrite it with one atomic store. */
    while ((tcg_current_offset(s) + 1) & 3) {
        out8(s, 0x90);
    }
    out8(s, OPC_JMP_long);
    s->jmp_insn_off[slot] = tcg_current_offset(s);
    out32(s, 0);
    s->jmp_reset_off[slot] = tcg_current_offset(s);
}

/* ---- conditions ---- */

static const uint8_t cond_to_jcc[IR_COND_COUNT] = {
    [IR_COND_EQ] = JCC_E, [IR_COND_NE] = JCC_NE,
    [IR_COND_LT] = JCC_L, [IR_COND_GE] = JCC_GE,
    [IR_COND_LE] = JCC_LE, [IR_COND_GT] = JCC_G,
    [IR_COND_LTU] = JCC_B, [IR_COND_GEU] = JCC_AE,
    [IR_COND_LEU] = JCC_BE, [IR_COND_GTU] = JCC_A,
    [IR_COND_TSTEQ] = JCC_E, [IR_COND_TSTNE] = JCC_NE,
};

/* Set flags for cond(a, b) and return the x86 condition code to test. */
static int tcg_out_cmp(TCGCodeGen *s, IRCond cond, int a, IRArg b, bool bconst, int rexw)
{
    g_assert(cond >= IR_COND_EQ && cond < IR_COND_COUNT);
    if (cond == IR_COND_TSTEQ || cond == IR_COND_TSTNE) {
        if (bconst) {
            out_modrm(s, OPC_GRP3_Ev | rexw, EXT3_TEST, a);
            out32(s, (uint32_t)b);
        } else {
            out_modrm(s, OPC_TESTL | rexw, (int)b, a);
        }
    } else if (bconst) {
        uint64_t v = rexw ? b : (uint32_t)b;
        if (v == 0) {
            /* Same flags as cmp a, 0 for every condition. */
            out_modrm(s, OPC_TESTL | rexw, a, a);
        } else {
            tgen_arithi(s, ARITH_CMP, a, (int64_t)b, rexw);
        }
    } else {
        tgen_arithr(s, ARITH_CMP, a, (int)b, rexw);
    }
    return cond_to_jcc[cond];
}

/* ---- guest memory ---- */

struct TCGLdstSlow {
    TCGLdstSlow *next;
    bool is_ld;
    IRType type;
    IRMemOpIdx oi;
    int addr_reg, data_reg;
    uint32_t jcc_off;       /* rel32 field of the miss branch */
    uint32_t raddr_off;     /* resume point in the fast path */
    TCGRegSet save;         /* live call-clobbered registers */
};

/*
 * Inline TLB lookup: leaves the entry's addend in t0 on a hit, branches to
 * a slow path (recorded in *jcc_off) on a miss. Mirrors tlb_lookup().
 */
static void tcg_out_tlb_check(TCGCodeGen *s, int addr, int t0, MemOp mop,
                              unsigned mmu_idx, bool is_store, uint32_t *jcc_off)
{
    int32_t fast = s->cfg.tlb_offset + mmu_idx * (int32_t)sizeof(TLBFast);
    unsigned page_bits = s->cfg.page_bits;
    unsigned a_bits = memop_alignment_bits(mop), s_bits = mop & MO_SIZE;
    int64_t a_mask = (1ll << a_bits) - 1, s_mask = (1ll << s_bits) - 1;
    int64_t cmp_mask = (int64_t)~((1ull << page_bits) - 1) | a_mask;
    int32_t tag_ofs = is_store ? offsetof(TLBEntry, addr_write)
                               : offsetof(TLBEntry, addr_read);

    tgen_mov(s, P_REXW, t0, addr);
    tgen_shifti(s, SHIFT_SHR, t0, page_bits - TLB_ENTRY_BITS, P_REXW);
    out_modrm_offset(s, (OPC_ARITH_GvEv + (ARITH_AND << 3)) | P_REXW, t0, R_ENV,
                     fast + offsetof(TLBFast, mask));
    out_modrm_offset(s, (OPC_ARITH_GvEv + (ARITH_ADD << 3)) | P_REXW, t0, R_ENV,
                     fast + offsetof(TLBFast, table));
    if (a_bits < s_bits) {
        out_modrm_offset(s, OPC_LEA | P_REXW, R_TMP, addr, s_mask - a_mask);
    } else {
        tgen_mov(s, P_REXW, R_TMP, addr);
    }
    tgen_arithi(s, ARITH_AND, R_TMP, cmp_mask, P_REXW);
    out_modrm_offset(s, (OPC_ARITH_GvEv + (ARITH_CMP << 3)) | P_REXW, R_TMP, t0, tag_ofs);
    out8(s, 0x0f);
    out8(s, 0x80 + JCC_NE);
    *jcc_off = tcg_current_offset(s);
    out32(s, 0);
    out_modrm_offset(s, OPC_MOVL_GvEv | P_REXW, t0, t0, offsetof(TLBEntry, addend));
}

static void tcg_out_rol16(TCGCodeGen *s, int r)
{
    out_modrm(s, OPC_SHIFT_Ib | P_DATA16, SHIFT_ROL, r);
    out8(s, 8);
}

static void tcg_out_qemu_ld_direct(TCGCodeGen *s, IRType type, int dst, int base,
                                   int index, MemOp mop)
{
    bool movbe = s->features & TCG_HOST_MOVBE;
    int rexw = type == IR_TYPE_I64 ? P_REXW : 0;
    bool sign = mop & MO_SIGN;

    switch (mop & MO_SIZE) {
    case MO_8:
        out_modrm_sib(s, sign ? OPC_MOVSBL | rexw : OPC_MOVZBL, dst, base, index, 0, 0);
        break;
    case MO_16:
        if (mop & MO_BSWAP) {
            if (movbe) {
                out_modrm_sib(s, OPC_MOVBE_GyMy | P_DATA16, dst, base, index, 0, 0);
            } else {
                out_modrm_sib(s, OPC_MOVZWL, dst, base, index, 0, 0);
                tcg_out_rol16(s, dst);
            }
            out_modrm(s, sign ? OPC_MOVSWL | rexw : OPC_MOVZWL, dst, dst);
        } else {
            out_modrm_sib(s, sign ? OPC_MOVSWL | rexw : OPC_MOVZWL, dst, base, index, 0, 0);
        }
        break;
    case MO_32:
        if ((mop & MO_BSWAP) && movbe) {
            out_modrm_sib(s, OPC_MOVBE_GyMy, dst, base, index, 0, 0);
        } else {
            out_modrm_sib(s, OPC_MOVL_GvEv, dst, base, index, 0, 0);
            if (mop & MO_BSWAP) {
                out_opc(s, OPC_BSWAP + (dst & 7), 0, dst, 0);
            }
        }
        if (sign && type == IR_TYPE_I64) {
            out_modrm(s, OPC_MOVSLQ, dst, dst);
        }
        break;
    default:
        if ((mop & MO_BSWAP) && movbe) {
            out_modrm_sib(s, OPC_MOVBE_GyMy | P_REXW, dst, base, index, 0, 0);
        } else {
            out_modrm_sib(s, OPC_MOVL_GvEv | P_REXW, dst, base, index, 0, 0);
            if (mop & MO_BSWAP) {
                out_opc(s, (OPC_BSWAP + (dst & 7)) | P_REXW, 0, dst, 0);
            }
        }
        break;
    }
}

static void tcg_out_qemu_st_direct(TCGCodeGen *s, int val, int base, int index, MemOp mop)
{
    bool movbe = s->features & TCG_HOST_MOVBE;
    bool bswap = mop & MO_BSWAP;

    switch (mop & MO_SIZE) {
    case MO_8:
        out_modrm_sib(s, OPC_MOVB_EvGv, val, base, index, 0, 0);
        break;
    case MO_16:
        if (bswap && movbe) {
            out_modrm_sib(s, OPC_MOVBE_MyGy | P_DATA16, val, base, index, 0, 0);
        } else {
            if (bswap) {
                tgen_mov(s, 0, R_TMP, val);
                tcg_out_rol16(s, R_TMP);
                val = R_TMP;
            }
            out_modrm_sib(s, OPC_MOVL_EvGv | P_DATA16, val, base, index, 0, 0);
        }
        break;
    case MO_32:
        if (bswap && movbe) {
            out_modrm_sib(s, OPC_MOVBE_MyGy, val, base, index, 0, 0);
        } else {
            if (bswap) {
                tgen_mov(s, 0, R_TMP, val);
                out_opc(s, OPC_BSWAP + (R_TMP & 7), 0, R_TMP, 0);
                val = R_TMP;
            }
            out_modrm_sib(s, OPC_MOVL_EvGv, val, base, index, 0, 0);
        }
        break;
    default:
        if (bswap && movbe) {
            out_modrm_sib(s, OPC_MOVBE_MyGy | P_REXW, val, base, index, 0, 0);
        } else {
            if (bswap) {
                tgen_mov(s, P_REXW, R_TMP, val);
                out_opc(s, (OPC_BSWAP + (R_TMP & 7)) | P_REXW, 0, R_TMP, 0);
                val = R_TMP;
            }
            out_modrm_sib(s, OPC_MOVL_EvGv | P_REXW, val, base, index, 0, 0);
        }
        break;
    }
}

static void tcg_out_qemu_ldst(TCGCodeGen *s, bool is_ld, IRType type, int data,
                              int addr, IRMemOpIdx oi, int t0)
{
    MemOp mop = ir_memop_idx_memop(oi);
    TCGLdstSlow *l = ir_arena_alloc(s->ctx, sizeof(*l));

    if (!s->cfg.tlb_hooks) {
        s->err = -EINVAL;
    }
    tcg_out_tlb_check(s, addr, t0, mop, ir_memop_idx_mmu(oi), !is_ld, &l->jcc_off);
    if (is_ld) {
        tcg_out_qemu_ld_direct(s, type, data, t0, addr, mop);
    } else {
        tcg_out_qemu_st_direct(s, data, t0, addr, mop);
    }
    l->is_ld = is_ld;
    l->type = type;
    l->oi = oi;
    l->addr_reg = addr;
    l->data_reg = data;
    l->raddr_off = tcg_current_offset(s);
    l->save = 0;
    for (int r = 0; r < TCG_NB_REGS; r++) {
        if (s->reg_to_temp[r] != UINT32_MAX && (tcg_target_call_clobber & (1u << r))) {
            l->save |= 1u << r;
        }
    }
    if (is_ld) {
        l->save &= ~(1u << data);
    }
    l->next = s->ldst_head;
    s->ldst_head = l;
}

bool tcg_out_ldst_finalize(TCGCodeGen *s)
{
    for (TCGLdstSlow *l = s->ldst_head; l; l = l->next) {
        MemOp mop = ir_memop_idx_memop(l->oi);
        uintptr_t raddr = tcg_rx_addr(s, s->code_buf + l->raddr_off);

        if (s->code_ptr > s->code_limit) {
            return false;
        }
        patch_rel32(s, l->jcc_off, tcg_current_offset(s));
        for (int r = 0; r < TCG_NB_REGS; r++) {
            if (l->save & (1u << r)) {
                tcg_out_st(s, IR_TYPE_I64, r, R_RSP, FRAME_SAVE_AREA + r * 8);
            }
        }
        if (l->is_ld) {
            tgen_mov(s, P_REXW, R_RSI, l->addr_reg);
            tgen_mov(s, P_REXW, R_RDI, R_ENV);
            tcg_out_movi(s, IR_TYPE_I32, R_RDX, mop);
            tcg_out_movi(s, IR_TYPE_I32, R_RCX, ir_memop_idx_mmu(l->oi));
            tcg_out_movi(s, IR_TYPE_I64, R_R8, raddr);
            tcg_out_call(s, s->cfg.tlb_hooks ? (void *)s->cfg.tlb_hooks->load_slow : NULL);
            tcg_out_mov(s, l->type, l->data_reg, R_RAX);
        } else {
            /* Through the scratch register: data and address may sit in rsi/rdx. */
            tgen_mov(s, P_REXW, R_TMP, l->data_reg);
            tgen_mov(s, P_REXW, R_RSI, l->addr_reg);
            tgen_mov(s, P_REXW, R_RDI, R_ENV);
            tgen_mov(s, P_REXW, R_RDX, R_TMP);
            tcg_out_movi(s, IR_TYPE_I32, R_RCX, mop);
            tcg_out_movi(s, IR_TYPE_I32, R_R8, ir_memop_idx_mmu(l->oi));
            tcg_out_movi(s, IR_TYPE_I64, R_R9, raddr);
            tcg_out_call(s, s->cfg.tlb_hooks ? (void *)s->cfg.tlb_hooks->store_slow : NULL);
        }
        for (int r = 0; r < TCG_NB_REGS; r++) {
            if (l->save & (1u << r)) {
                tcg_out_ld(s, IR_TYPE_I64, r, R_RSP, FRAME_SAVE_AREA + r * 8);
            }
        }
        tcg_out_jmp_abs(s, -1, raddr);
    }
    return true;
}

/* ---- op emitters ---- */

static void tcg_out_extract(TCGCodeGen *s, int rexw, unsigned w, int dst, int src,
                            unsigned ofs, unsigned len, bool sign)
{
    if (ofs == 0 && len == 8) {
        out_modrm(s, sign ? OPC_MOVSBL | rexw : OPC_MOVZBL, dst, src);
    } else if (ofs == 0 && len == 16) {
        out_modrm(s, sign ? OPC_MOVSWL | rexw : OPC_MOVZWL, dst, src);
    } else if (ofs == 0 && len == 32 && w == 64) {
        if (sign) {
            out_modrm(s, OPC_MOVSLQ, dst, src);
        } else {
            out_modrm(s, OPC_MOVL_GvEv, dst, src);
        }
    } else if (ofs + len == w) {
        tgen_mov(s, rexw, dst, src);
        tgen_shifti(s, sign ? SHIFT_SAR : SHIFT_SHR, dst, ofs, rexw);
    } else {
        tgen_mov(s, rexw, dst, src);
        tgen_shifti(s, SHIFT_SHL, dst, w - ofs - len, rexw);
        tgen_shifti(s, sign ? SHIFT_SAR : SHIFT_SHR, dst, w - len, rexw);
    }
}

/* dst = a with bits [ofs, ofs+len) from b; dst is distinct from a and b. */
static void tcg_out_deposit(TCGCodeGen *s, int rexw, unsigned w, int dst, int a,
                            int b, unsigned ofs, unsigned len)
{
    if (len == w) {
        tgen_mov(s, rexw, dst, b);
        return;
    }
    tgen_mov(s, rexw, dst, a);
    /* Rotate the field to the bottom, clear it, rotate back after or-ing. */
    tgen_shifti(s, SHIFT_ROR, dst, ofs, rexw);
    tgen_shifti(s, SHIFT_SHR, dst, len, rexw);
    tgen_shifti(s, SHIFT_SHL, dst, len, rexw);
    tgen_mov(s, rexw, R_TMP, b);
    tgen_shifti(s, SHIFT_SHL, R_TMP, w - len, rexw);
    tgen_shifti(s, SHIFT_SHR, R_TMP, w - len, rexw);
    tgen_arithr(s, ARITH_OR, dst, R_TMP, rexw);
    tgen_shifti(s, SHIFT_ROL, dst, ofs, rexw);
}

/* Portable population count (no POPCNT): the classic SWAR reduction. */
static void tcg_out_ctpop_soft(TCGCodeGen *s, int rexw, unsigned w, int dst, int src, int t)
{
    IRType type = rexw ? IR_TYPE_I64 : IR_TYPE_I32;

    tgen_mov(s, rexw, dst, src);
    tgen_mov(s, rexw, t, dst);
    tgen_shifti(s, SHIFT_SHR, t, 1, rexw);
    tcg_out_movi(s, type, R_TMP, 0x5555555555555555ull);
    tgen_arithr(s, ARITH_AND, t, R_TMP, rexw);
    tgen_arithr(s, ARITH_SUB, dst, t, rexw);
    tgen_mov(s, rexw, t, dst);
    tgen_shifti(s, SHIFT_SHR, t, 2, rexw);
    tcg_out_movi(s, type, R_TMP, 0x3333333333333333ull);
    tgen_arithr(s, ARITH_AND, t, R_TMP, rexw);
    tgen_arithr(s, ARITH_AND, dst, R_TMP, rexw);
    tgen_arithr(s, ARITH_ADD, dst, t, rexw);
    tgen_mov(s, rexw, t, dst);
    tgen_shifti(s, SHIFT_SHR, t, 4, rexw);
    tgen_arithr(s, ARITH_ADD, dst, t, rexw);
    tcg_out_movi(s, type, R_TMP, 0x0f0f0f0f0f0f0f0full);
    tgen_arithr(s, ARITH_AND, dst, R_TMP, rexw);
    tcg_out_movi(s, type, R_TMP, 0x0101010101010101ull);
    out_modrm(s, OPC_IMUL_GvEv | rexw, dst, R_TMP);
    tgen_shifti(s, SHIFT_SHR, dst, w - 8, rexw);
}

/* clz/ctz: count into dst, or take the zero value z when the input is 0. */
static void tcg_out_count_zeros(TCGCodeGen *s, bool clz, int rexw, unsigned w,
                                int dst, int src, IRArg z, bool zconst)
{
    bool hw = clz ? (s->features & TCG_HOST_LZCNT) : (s->features & TCG_HOST_BMI1);

    if (hw) {
        /* lzcnt/tzcnt give w for 0 and set CF then. */
        int opc = clz ? OPC_LZCNT : OPC_TZCNT;
        if (zconst) {
            out_modrm(s, opc | rexw, dst, src);
        } else if (dst != (int)z) {
            out_modrm(s, opc | rexw, dst, src);
            out_modrm(s, (OPC_CMOVCC + JCC_B) | rexw, dst, (int)z);
        } else {
            out_modrm(s, opc | rexw, R_TMP, src);
            out_modrm(s, (OPC_CMOVCC + JCC_B) | rexw, R_TMP, (int)z);
            tgen_mov(s, rexw, dst, R_TMP);
        }
        return;
    }
    g_assert(!zconst);
    if (clz) {
        out_modrm(s, OPC_BSR | rexw, R_TMP, src);
        tgen_arithi(s, ARITH_XOR, R_TMP, w - 1, rexw);
        out_modrm(s, OPC_TESTL | rexw, src, src);
    } else {
        out_modrm(s, OPC_BSF | rexw, R_TMP, src);
    }
    out_modrm(s, (OPC_CMOVCC + JCC_E) | rexw, R_TMP, (int)z);
    tgen_mov(s, rexw, dst, R_TMP);
}

#define OP_32_64(x) case IR_OP_##x##_i32: case IR_OP_##x##_i64

void tcg_out_op(TCGCodeGen *s, IROpcode opc, const IRArg *args,
                const bool *const_args, const int *scratch)
{
    bool is64 = ir_op_defs[opc].flags & IR_OPF_I64;
    int rexw = is64 ? P_REXW : 0;
    unsigned w = is64 ? 64 : 32;
    int a0 = (int)args[0], a1 = (int)args[1], a2 = (int)args[2];
    int ext;

    switch (opc) {
    case IR_OP_ld8u_i32: case IR_OP_ld8u_i64:
        out_modrm_offset(s, OPC_MOVZBL, a0, a1, (intptr_t)args[2]);
        break;
    OP_32_64(ld8s):
        out_modrm_offset(s, OPC_MOVSBL | rexw, a0, a1, (intptr_t)args[2]);
        break;
    OP_32_64(ld16u):
        out_modrm_offset(s, OPC_MOVZWL, a0, a1, (intptr_t)args[2]);
        break;
    OP_32_64(ld16s):
        out_modrm_offset(s, OPC_MOVSWL | rexw, a0, a1, (intptr_t)args[2]);
        break;
    case IR_OP_ld_i32: case IR_OP_ld32u_i64:
        out_modrm_offset(s, OPC_MOVL_GvEv, a0, a1, (intptr_t)args[2]);
        break;
    case IR_OP_ld32s_i64:
        out_modrm_offset(s, OPC_MOVSLQ, a0, a1, (intptr_t)args[2]);
        break;
    case IR_OP_ld_i64:
        out_modrm_offset(s, OPC_MOVL_GvEv | P_REXW, a0, a1, (intptr_t)args[2]);
        break;

    OP_32_64(st8):
        if (const_args[0]) {
            out_modrm_offset(s, OPC_MOVB_EvIz, 0, a1, (intptr_t)args[2]);
            out8(s, (uint8_t)args[0]);
        } else {
            out_modrm_offset(s, OPC_MOVB_EvGv, a0, a1, (intptr_t)args[2]);
        }
        break;
    OP_32_64(st16):
        if (const_args[0]) {
            out_modrm_offset(s, OPC_MOVL_EvIz | P_DATA16, 0, a1, (intptr_t)args[2]);
            out8(s, (uint8_t)args[0]);
            out8(s, (uint8_t)(args[0] >> 8));
        } else {
            out_modrm_offset(s, OPC_MOVL_EvGv | P_DATA16, a0, a1, (intptr_t)args[2]);
        }
        break;
    case IR_OP_st_i32: case IR_OP_st32_i64: case IR_OP_st_i64: {
        int sw = opc == IR_OP_st_i64 ? P_REXW : 0;
        if (const_args[0]) {
            out_modrm_offset(s, OPC_MOVL_EvIz | sw, 0, a1, (intptr_t)args[2]);
            out32(s, (uint32_t)args[0]);
        } else {
            out_modrm_offset(s, OPC_MOVL_EvGv | sw, a0, a1, (intptr_t)args[2]);
        }
        break;
    }

    OP_32_64(add):
        if (const_args[2]) {
            int64_t v = is64 ? (int64_t)args[2] : (int32_t)args[2];
            if (a0 == a1) {
                if (v) {
                    tgen_arithi(s, ARITH_ADD, a0, v, rexw);
                }
            } else {
                out_modrm_offset(s, OPC_LEA | rexw, a0, a1, v);
            }
        } else if (a0 == a1) {
            tgen_arithr(s, ARITH_ADD, a0, a2, rexw);
        } else if (a0 == a2) {
            tgen_arithr(s, ARITH_ADD, a0, a1, rexw);
        } else {
            out_modrm_sib(s, OPC_LEA | rexw, a0, a1, a2, 0, 0);
        }
        break;
    OP_32_64(sub):
        ext = ARITH_SUB;
        goto gen_arith;
    OP_32_64(and):
        ext = ARITH_AND;
        goto gen_arith;
    OP_32_64(or):
        ext = ARITH_OR;
        goto gen_arith;
    OP_32_64(xor):
        ext = ARITH_XOR;
    gen_arith:
        if (const_args[2]) {
            tgen_arithi(s, ext, a0, (int64_t)args[2], rexw);
        } else {
            tgen_arithr(s, ext, a0, a2, rexw);
        }
        break;
    OP_32_64(mul):
        if (const_args[2]) {
            int32_t v = (int32_t)args[2];
            if (v == (int8_t)v) {
                out_modrm(s, OPC_IMUL_GvEvIb | rexw, a0, a0);
                out8(s, (uint8_t)v);
            } else {
                out_modrm(s, OPC_IMUL_GvEvIz | rexw, a0, a0);
                out32(s, (uint32_t)v);
            }
        } else {
            out_modrm(s, OPC_IMUL_GvEv | rexw, a0, a2);
        }
        break;
    OP_32_64(neg):
        out_modrm(s, OPC_GRP3_Ev | rexw, EXT3_NEG, a0);
        break;
    OP_32_64(not):
        out_modrm(s, OPC_GRP3_Ev | rexw, EXT3_NOT, a0);
        break;
    OP_32_64(andc):
        if (s->features & TCG_HOST_BMI1) {
            out_vex_modrm(s, OPC_ANDN | rexw, a0, a2, a1);
            break;
        }
        ext = ARITH_AND;
        goto gen_notb;
    OP_32_64(orc):
        ext = ARITH_OR;
    gen_notb:
        tgen_mov(s, rexw, R_TMP, a2);
        out_modrm(s, OPC_GRP3_Ev | rexw, EXT3_NOT, R_TMP);
        tgen_arithr(s, ext, a0, R_TMP, rexw);
        break;

    OP_32_64(shl):
        ext = SHIFT_SHL;
        goto gen_shift;
    OP_32_64(shr):
        ext = SHIFT_SHR;
        goto gen_shift;
    OP_32_64(sar):
        ext = SHIFT_SAR;
        goto gen_shift;
    OP_32_64(rotl):
        ext = SHIFT_ROL;
        goto gen_shift;
    OP_32_64(rotr):
        ext = SHIFT_ROR;
    gen_shift:
        if (const_args[2]) {
            tgen_mov(s, rexw, a0, a1);
            tgen_shifti(s, ext, a0, (unsigned)args[2], rexw);
        } else if ((s->features & TCG_HOST_BMI2) && ext != SHIFT_ROL && ext != SHIFT_ROR) {
            int vopc = ext == SHIFT_SHL ? OPC_SHLX : ext == SHIFT_SHR ? OPC_SHRX : OPC_SARX;
            out_vex_modrm(s, vopc | rexw, a0, a2, a1);
        } else {
            g_assert(a0 == a1 && a2 == R_RCX);
            out_modrm(s, OPC_SHIFT_cl | rexw, ext, a0);
        }
        break;

    OP_32_64(div):
    OP_32_64(rem):
    OP_32_64(divu):
    OP_32_64(remu): {
        bool sign = opc == IR_OP_div_i32 || opc == IR_OP_div_i64 ||
                    opc == IR_OP_rem_i32 || opc == IR_OP_rem_i64;
        tgen_mov(s, rexw, R_RAX, a1);
        if (sign) {
            out_opc(s, OPC_CDQ | rexw, 0, 0, 0);
        } else {
            tcg_out_movi(s, IR_TYPE_I32, R_RDX, 0);
        }
        out_modrm(s, OPC_GRP3_Ev | rexw, sign ? EXT3_IDIV : EXT3_DIV, a2);
        break;
    }
    OP_32_64(mulu2):
    OP_32_64(muls2): {
        bool sign = opc == IR_OP_muls2_i32 || opc == IR_OP_muls2_i64;
        tgen_mov(s, rexw, R_RAX, (int)args[2]);
        out_modrm(s, OPC_GRP3_Ev | rexw, sign ? EXT3_IMUL : EXT3_MUL, (int)args[3]);
        break;
    }
    OP_32_64(add2):
    OP_32_64(sub2): {
        bool add = opc == IR_OP_add2_i32 || opc == IR_OP_add2_i64;
        tgen_mov(s, rexw, R_TMP, (int)args[2]);
        if (const_args[4]) {
            tgen_arithi(s, add ? ARITH_ADD : ARITH_SUB, R_TMP, (int64_t)args[4], rexw);
        } else {
            tgen_arithr(s, add ? ARITH_ADD : ARITH_SUB, R_TMP, (int)args[4], rexw);
        }
        tgen_mov(s, rexw, a1, (int)args[3]);
        if (const_args[5]) {
            tgen_arithi(s, add ? ARITH_ADC : ARITH_SBB, a1, (int64_t)args[5], rexw);
        } else {
            tgen_arithr(s, add ? ARITH_ADC : ARITH_SBB, a1, (int)args[5], rexw);
        }
        tgen_mov(s, rexw, a0, R_TMP);
        break;
    }

    OP_32_64(setcond): {
        int cc = tcg_out_cmp(s, (IRCond)args[3], a1, args[2], const_args[2], rexw);
        out_modrm(s, OPC_SETCC + cc, 0, a0);
        out_modrm(s, OPC_MOVZBL, a0, a0);
        break;
    }
    OP_32_64(movcond): {
        int cc = tcg_out_cmp(s, (IRCond)args[5], a1, args[2], const_args[2], rexw);
        out_modrm(s, (OPC_CMOVCC + cc) | rexw, a0, (int)args[3]);
        break;
    }
    OP_32_64(brcond): {
        int cc = tcg_out_cmp(s, (IRCond)args[2], a0, args[1], const_args[1], rexw);
        tcg_out_jxx(s, cc, ir_arg_label(args[3]));
        break;
    }

    OP_32_64(extract):
        tcg_out_extract(s, rexw, w, a0, a1, (unsigned)args[2], (unsigned)args[3], false);
        break;
    OP_32_64(sextract):
        tcg_out_extract(s, rexw, w, a0, a1, (unsigned)args[2], (unsigned)args[3], true);
        break;
    OP_32_64(deposit):
        tcg_out_deposit(s, rexw, w, a0, a1, a2, (unsigned)args[3], (unsigned)args[4]);
        break;
    OP_32_64(ext8s):
        out_modrm(s, OPC_MOVSBL | rexw, a0, a1);
        break;
    OP_32_64(ext8u):
        out_modrm(s, OPC_MOVZBL, a0, a1);
        break;
    OP_32_64(ext16s):
        out_modrm(s, OPC_MOVSWL | rexw, a0, a1);
        break;
    OP_32_64(ext16u):
        out_modrm(s, OPC_MOVZWL, a0, a1);
        break;
    case IR_OP_ext32s_i64:
    case IR_OP_exts_i32_i64:
        out_modrm(s, OPC_MOVSLQ, a0, a1);
        break;
    case IR_OP_ext32u_i64:
    case IR_OP_extu_i32_i64:
        /* Always emitted: a 32-bit move is what clears the high half. */
        out_modrm(s, OPC_MOVL_GvEv, a0, a1);
        break;
    case IR_OP_extrl_i64_i32:
        tgen_mov(s, 0, a0, a1);
        break;
    case IR_OP_extrh_i64_i32:
        tgen_mov(s, P_REXW, a0, a1);
        tgen_shifti(s, SHIFT_SHR, a0, 32, P_REXW);
        break;
    OP_32_64(bswap16):
        tgen_mov(s, 0, a0, a1);
        tcg_out_rol16(s, a0);
        out_modrm(s, OPC_MOVZWL, a0, a0);
        break;
    OP_32_64(bswap32):
        out_modrm(s, OPC_MOVL_GvEv, a0, a1);
        out_opc(s, OPC_BSWAP + (a0 & 7), 0, a0, 0);
        break;
    case IR_OP_bswap64_i64:
        tgen_mov(s, P_REXW, a0, a1);
        out_opc(s, (OPC_BSWAP + (a0 & 7)) | P_REXW, 0, a0, 0);
        break;
    OP_32_64(clz):
        tcg_out_count_zeros(s, true, rexw, w, a0, a1, args[2], const_args[2]);
        break;
    OP_32_64(ctz):
        tcg_out_count_zeros(s, false, rexw, w, a0, a1, args[2], const_args[2]);
        break;
    OP_32_64(ctpop):
        if (s->features & TCG_HOST_POPCNT) {
            out_modrm(s, OPC_POPCNT | rexw, a0, a1);
        } else {
            tcg_out_ctpop_soft(s, rexw, w, a0, a1, scratch[0]);
        }
        break;

    case IR_OP_goto_ptr:
        out_modrm(s, OPC_TESTL | P_REXW, a0, a0);
        tcg_out_jmp_abs(s, JCC_E, (uintptr_t)s->ret0_rx);
        out_modrm(s, OPC_GRP5, EXT5_JMPN, a0);
        break;
    case IR_OP_mb:
        /* x86 only reorders a store with a later load. */
        if (args[0] & IR_MB_ST_LD) {
            out8(s, 0x0f);
            out8(s, 0xae);
            out8(s, 0xf0);
        }
        break;

    case IR_OP_qemu_ld_i32:
    case IR_OP_qemu_ld_i64:
        tcg_out_qemu_ldst(s, true, is64 ? IR_TYPE_I64 : IR_TYPE_I32, a0, a1,
                          (IRMemOpIdx)args[2], scratch[0]);
        break;
    case IR_OP_qemu_st_i32:
    case IR_OP_qemu_st_i64:
        tcg_out_qemu_ldst(s, false, is64 ? IR_TYPE_I64 : IR_TYPE_I32, a0, a1,
                          (IRMemOpIdx)args[2], scratch[0]);
        break;
    default:
        g_assert_not_reached();
    }
}

/* ---- constraints ---- */

static const char *op_constraint(uint32_t f, IROpcode opc)
{
    switch (opc) {
    OP_32_64(ld8u): OP_32_64(ld8s): OP_32_64(ld16u): OP_32_64(ld16s):
    case IR_OP_ld_i32: case IR_OP_ld32u_i64: case IR_OP_ld32s_i64: case IR_OP_ld_i64:
        return "r,r";
    OP_32_64(st8): OP_32_64(st16): case IR_OP_st_i32: case IR_OP_st32_i64:
    case IR_OP_st_i64:
        return "re,r";
    OP_32_64(add):
        return "r,r,re";
    OP_32_64(sub): OP_32_64(and): OP_32_64(or): OP_32_64(xor): OP_32_64(mul):
        return "r,0,re";
    OP_32_64(neg): OP_32_64(not):
        return "r,0";
    OP_32_64(andc):
        return (f & TCG_HOST_BMI1) ? "r,r,r" : "r,0,r";
    OP_32_64(orc):
        return "r,0,r";
    OP_32_64(shl): OP_32_64(shr): OP_32_64(sar):
        return (f & TCG_HOST_BMI2) ? "r,r,ri" : "r,0,ci";
    OP_32_64(rotl): OP_32_64(rotr):
        return "r,0,ci";
    OP_32_64(div): OP_32_64(divu):
        return "a,r,r";
    OP_32_64(rem): OP_32_64(remu):
        return "d,r,r";
    OP_32_64(mulu2): OP_32_64(muls2):
        return "a,d,r,r";
    OP_32_64(add2): OP_32_64(sub2):
        return "&r,&r,r,r,re,re";
    OP_32_64(setcond):
        return "r,r,re";
    OP_32_64(movcond):
        return "r,r,re,r,0";
    OP_32_64(brcond):
        return "r,re";
    OP_32_64(extract): OP_32_64(sextract):
    OP_32_64(ext8s): OP_32_64(ext8u): OP_32_64(ext16s): OP_32_64(ext16u):
    case IR_OP_ext32s_i64: case IR_OP_ext32u_i64:
    case IR_OP_extu_i32_i64: case IR_OP_exts_i32_i64:
    case IR_OP_extrl_i64_i32: case IR_OP_extrh_i64_i32:
    OP_32_64(bswap16): OP_32_64(bswap32): case IR_OP_bswap64_i64:
        return "r,r";
    OP_32_64(deposit):
        return "&r,r,r";
    OP_32_64(clz):
        return (f & TCG_HOST_LZCNT) ? "r,r,rW" : "r,r,r";
    OP_32_64(ctz):
        return (f & TCG_HOST_BMI1) ? "r,r,rW" : "r,r,r";
    OP_32_64(ctpop):
        return (f & TCG_HOST_POPCNT) ? "r,r" : "&r,r";
    case IR_OP_goto_ptr:
        return "r";
    case IR_OP_mb:
        return "";
    case IR_OP_qemu_ld_i32: case IR_OP_qemu_ld_i64:
    case IR_OP_qemu_st_i32: case IR_OP_qemu_st_i64:
        return "r,r";
    default:
        return NULL;
    }
}

static void parse_constraint(TCGOpConstraint *c, const char *str, unsigned nb_o,
                             unsigned nb_i)
{
    unsigned k = 0;
    const char *p = str;

    while (*p && k < nb_o + nb_i) {
        TCGArgConstraint *ct = &c->args[k];
        for (; *p && *p != ','; p++) {
            switch (*p) {
            case 'r': ct->regs |= ALLOCATABLE; break;
            case 'a': ct->regs |= 1u << R_RAX; break;
            case 'c': ct->regs |= 1u << R_RCX; break;
            case 'd': ct->regs |= 1u << R_RDX; break;
            case 'e': ct->ct_const |= TCG_CT_CONST_S32; break;
            case 'i': ct->ct_const |= TCG_CT_CONST_ANY; break;
            case 'W': ct->ct_const |= TCG_CT_CONST_WSZ; break;
            case '&': ct->newreg = true; break;
            default:
                g_assert(*p >= '0' && *p <= '9' && k >= nb_o);
                ct->ialias = true;
                ct->alias_index = *p - '0';
                ct->regs = c->args[ct->alias_index].regs;
                c->args[ct->alias_index].oalias = true;
                c->args[ct->alias_index].alias_index = k - nb_o;
                break;
            }
        }
        if ((ct->regs & (ct->regs - 1)) != 0) {
            ct->regs &= ~c->clobber;
        }
        if (*p == ',') {
            p++;
        }
        k++;
    }
    g_assert(k == nb_o + nb_i);

    /* Inputs bound to one register first, then aliased ones, then the rest. */
    unsigned n = 0;
    for (int pass = 0; pass < 3; pass++) {
        for (unsigned i = 0; i < nb_i; i++) {
            const TCGArgConstraint *ct = &c->args[nb_o + i];
            bool fixed = ct->regs && (ct->regs & (ct->regs - 1)) == 0;
            int prio = fixed ? 0 : ct->ialias ? 1 : 2;
            if (prio == pass) {
                c->sort_index[n++] = i;
            }
        }
    }
    c->valid = true;
}

static uint32_t host_probe(void)
{
    unsigned a, b, c, d;
    uint32_t f = 0;

    if (__get_cpuid(1, &a, &b, &c, &d)) {
        if (c & bit_POPCNT) {
            f |= TCG_HOST_POPCNT;
        }
        if (c & bit_MOVBE) {
            f |= TCG_HOST_MOVBE;
        }
    }
    if (__get_cpuid_max(0, NULL) >= 7) {
        __cpuid_count(7, 0, a, b, c, d);
        if (b & bit_BMI) {
            f |= TCG_HOST_BMI1;
        }
        if (b & bit_BMI2) {
            f |= TCG_HOST_BMI2;
        }
    }
    if (__get_cpuid(0x80000001, &a, &b, &c, &d) && (c & bit_LZCNT)) {
        f |= TCG_HOST_LZCNT;
    }
    return f;
}

void tcg_target_init(TCGCodeGen *s)
{
    s->features = host_probe() & ~s->cfg.host_features_disable;
    s->reserved_regs = (1u << R_RSP) | (1u << R_RBP) | (1u << R_TMP);

    for (int opc = 0; opc < IR_OP_COUNT; opc++) {
        const char *str = op_constraint(s->features, (IROpcode)opc);
        TCGOpConstraint *c = &s->constraints[opc];
        memset(c, 0, sizeof(*c));
        if (!str) {
            continue;
        }
        switch (opc) {
        OP_32_64(div): OP_32_64(divu): OP_32_64(rem): OP_32_64(remu):
        OP_32_64(mulu2): OP_32_64(muls2):
            c->clobber = (1u << R_RAX) | (1u << R_RDX);
            break;
        case IR_OP_qemu_ld_i32: case IR_OP_qemu_ld_i64:
        case IR_OP_qemu_st_i32: case IR_OP_qemu_st_i64:
            c->nb_scratch = 1;
            break;
        OP_32_64(ctpop):
            c->nb_scratch = (s->features & TCG_HOST_POPCNT) ? 0 : 1;
            break;
        default:
            break;
        }
        parse_constraint(c, str, ir_op_defs[opc].nb_oargs, ir_op_defs[opc].nb_iargs);
    }
}

/* ---- prologue ---- */

static const int callee_saved[] = { R_RBP, R_RBX, R_R12, R_R13, R_R14, R_R15 };

bool tcg_target_gen_prologue(TCGCodeGen *s, GError **errp)
{
    size_t avail;
    uint8_t *start = codebuf_begin(s->cb, &avail);

    if (avail < 256) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_FAILED,
                    "code buffer too small for the prologue");
        return false;
    }
    s->code_buf = s->code_ptr = start;

    /* uintptr_t prologue(void *env, const void *code) */
    for (unsigned i = 0; i < G_N_ELEMENTS(callee_saved); i++) {
        out_opc(s, OPC_PUSH_r32 + (callee_saved[i] & 7), 0, callee_saved[i], 0);
    }
    tgen_mov(s, P_REXW, R_ENV, R_RDI);
    tgen_arithi(s, ARITH_SUB, R_RSP, FRAME_SIZE, P_REXW);
    out_modrm(s, OPC_GRP5, EXT5_JMPN, R_RSI);

    s->ret0_rx = (const uint8_t *)tcg_rx_addr(s, s->code_ptr);
    tcg_out_movi(s, IR_TYPE_I32, R_RAX, 0);
    s->epilogue_rx = (const uint8_t *)tcg_rx_addr(s, s->code_ptr);
    tgen_arithi(s, ARITH_ADD, R_RSP, FRAME_SIZE, P_REXW);
    for (int i = G_N_ELEMENTS(callee_saved) - 1; i >= 0; i--) {
        out_opc(s, OPC_POP_r32 + (callee_saved[i] & 7), 0, callee_saved[i], 0);
    }
    out8(s, OPC_RET);

    s->prologue = (TCGExecFn)codebuf_commit(s->cb, s->code_ptr - start);
    codebuf_make_permanent(s->cb);
    return true;
}
