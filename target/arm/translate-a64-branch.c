/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A64 branches, exception generation and system instructions: direct
 * branches chain to the next block (goto_tb), indirect ones (BR, BLR, RET)
 * look the target up without leaving generated code; SVC/HVC/SMC/BRK/HLT,
 * ERET, hints (WFI returns to the loop), barriers, CLREX, MSR immediate,
 * MRS/MSR through the system register table, and the cache/TLB
 * maintenance SYS operations (IC IVAU needs nothing: stores to code pages
 * already invalidate the translations).
 */
#include "target/arm/internals.h"
#include "target/arm/translate-a64-base.h"

/* ---- branches ---- */

TRANS(B)
{
    a64_gen_goto_tb(s, 0, s->pc_curr + a->imm);
    return true;
}

TRANS(BL)
{
    a64_set_x(s, 30, a64_const(s, s->pc_next));
    a64_gen_goto_tb(s, 0, s->pc_curr + a->imm);
    return true;
}

/* Taken: dest through exit 0; not taken: the next insn through exit 1. */
static void gen_cond_branch(DisasContext *s, IRLabel *taken, uint64_t dest)
{
    a64_gen_goto_tb(s, 1, s->pc_next);
    ir_gen_set_label(s->ir, taken);
    a64_gen_goto_tb(s, 0, dest);
}

TRANS(B_cond)
{
    IRLabel *taken;

    if (a->cond >= 14) {
        a64_gen_goto_tb(s, 0, s->pc_curr + a->imm);
        return true;
    }
    taken = ir_label_new(s->ir);
    a64_gen_brcond_cc(s, a->cond, taken);
    gen_cond_branch(s, taken, s->pc_curr + a->imm);
    return true;
}

static bool do_cbz(DisasContext *s, arg_cbz *a, IRCond cond)
{
    IRLabel *taken = ir_label_new(s->ir);
    IRv64 v = a64_x(s, a->rt);

    if (!a->sf) {
        IRv64 t = a64_tmp(s);
        ir_gen_ext32u_i64(s->ir, t, v);
        v = t;
    }
    ir_gen_brcond_i64(s->ir, cond, v, a64_const(s, 0), taken);
    gen_cond_branch(s, taken, s->pc_curr + a->imm);
    return true;
}

TRANS(CBZ)
{
    return do_cbz(s, a, IR_COND_EQ);
}

TRANS(CBNZ)
{
    return do_cbz(s, a, IR_COND_NE);
}

static bool do_tbz(DisasContext *s, arg_tbz *a, IRCond cond)
{
    IRLabel *taken = ir_label_new(s->ir);

    ir_gen_brcond_i64(s->ir, cond, a64_x(s, a->rt), a64_const(s, 1ull << a->bit), taken);
    gen_cond_branch(s, taken, s->pc_curr + a->imm);
    return true;
}

TRANS(TBZ)
{
    return do_tbz(s, a, IR_COND_TSTEQ);
}

TRANS(TBNZ)
{
    return do_tbz(s, a, IR_COND_TSTNE);
}

TRANS(BR)
{
    a64_gen_jump_reg(s, a64_x(s, a->rn));
    return true;
}

TRANS(BLR)
{
    IRv64 dest = a64_tmp(s);

    /* BLR X30: the target is read before the link register is written. */
    ir_gen_mov_i64(s->ir, dest, a64_x(s, a->rn));
    a64_set_x(s, 30, a64_const(s, s->pc_next));
    a64_gen_jump_reg(s, dest);
    return true;
}

TRANS(RET)
{
    a64_gen_jump_reg(s, a64_x(s, a->rn));
    return true;
}

TRANS(ERET)
{
    if (s->el == 0) {
        return false;
    }
    gen_helper_eret(s->ir, s->ir->env);
    s->is_jmp = DISAS_EXIT;
    return true;
}

TRANS(DRPS)
{
    return false;
}

/* ---- exception generation ---- */

TRANS(SVC)
{
    a64_gen_exception_next(s, syn_aa64_svc(a->imm));
    return true;
}

TRANS(HVC)
{
    if (s->el == 0) {
        return false;
    }
    /* No EL2: HVC is the PSCI conduit (helper_hvc). */
    ir_gen_movi_i64(s->ir, s->cpu_pc, s->pc_next);
    gen_helper_hvc(s->ir, s->ir->env, a64_const(s, a->imm));
    s->is_jmp = DISAS_EXIT;
    return true;
}

TRANS(SMC)
{
    /* No EL3: SMC is UNDEFINED. */
    return false;
}

TRANS(BRK)
{
    a64_gen_exception_insn(s, syn_aa64_bkpt(a->imm));
    return true;
}

TRANS(HLT)
{
    if (a->imm != 0xf000 || !arm_semihosting_enabled()) {
        return false;
    }
    ir_gen_movi_i64(s->ir, s->cpu_pc, s->pc_curr);
    gen_helper_semihosting(s->ir, s->ir->env);
    s->is_jmp = DISAS_UPDATE_EXIT;
    return true;
}

TRANS(DCPS1)
{
    return false;
}

TRANS(DCPS2)
{
    return false;
}

TRANS(DCPS3)
{
    return false;
}

/* ---- hints ---- */

TRANS(NOP)
{
    return true;
}

TRANS(YIELD)
{
    return true;
}

TRANS(WFE)
{
    /* No event register: give the host CPU to whoever will send the event. */
    gen_helper_wfe(s->ir, s->ir->env);
    return true;
}

TRANS(WFI)
{
    ir_gen_movi_i64(s->ir, s->cpu_pc, s->pc_next);
    gen_helper_wfi(s->ir, s->ir->env);
    s->is_jmp = DISAS_EXIT;
    return true;
}

TRANS(SEV)
{
    return true;
}

TRANS(SEVL)
{
    return true;
}

TRANS(ESB)
{
    return true;
}

TRANS(PSB)
{
    return true;
}

TRANS(HINT)
{
    return true;
}

/* ---- barriers ---- */

TRANS(CLREX)
{
    ir_gen_st_i64(s->ir, a64_const(s, ~0ull), s->ir->env,
                  offsetof(CPUARMState, exclusive_addr));
    return true;
}

TRANS(DSB)
{
    ir_gen_mb(s->ir, IR_MB_ALL);
    return true;
}

TRANS(DMB)
{
    /* CRm<1:0>: 01 loads, 10 stores, 11 (and 00) everything. */
    switch (a->crm & 3) {
    case 1:
        ir_gen_mb(s->ir, IR_MB_LD_LD | IR_MB_LD_ST);
        break;
    case 2:
        ir_gen_mb(s->ir, IR_MB_ST_ST);
        break;
    default:
        ir_gen_mb(s->ir, IR_MB_ALL);
        break;
    }
    return true;
}

TRANS(ISB)
{
    /* Later instructions must be fetched again: end the block. */
    s->is_jmp = DISAS_TOO_MANY;
    return true;
}

/* ---- PSTATE and system registers ---- */

static inline void ir_gen_ld32u_i64_env(DisasContext *s, IRv64 d, intptr_t ofs)
{
    ir_emit3(s->ir, IR_OP_ld32u_i64, d.idx, s->ir->env.idx, (IRArg)ofs);
}

static inline void ir_gen_st32_i64_env(DisasContext *s, IRv64 v, intptr_t ofs)
{
    ir_emit3(s->ir, IR_OP_st32_i64, v.idx, s->ir->env.idx, (IRArg)ofs);
}


TRANS(MSR_i)
{
    unsigned imm = a->crm;

    if (a->op1 == 0 && a->crm == 0 && a->op2 <= 2) {  /* CFINV, XAFLAG, AXFLAG */
        return a64_gen_flagm(s, a->op2);
    }
    if (a->op1 == 0 && a->op2 == 5) {           /* SPSel */
        if (s->el == 0) {
            return false;
        }
        gen_helper_msr_spsel(s->ir, s->ir->env, a64_const(s, imm & 1));
        s->is_jmp = DISAS_UPDATE_EXIT;
        return true;
    }
    if (a->op1 == 0 && (a->op2 == 3 || a->op2 == 4)) {    /* UAO, PAN */
        bool pan = a->op2 == 4;
        uint64_t field = pan ? (s->env->id.id_aa64mmfr1 >> 20) & 0xf
                             : (s->env->id.id_aa64mmfr2 >> 4) & 0xf;
        if (s->el == 0 || !field) {
            return false;
        }
        gen_helper_sysreg_write(s->ir, s->ir->env,
                                a64_const(s, pan ? ARM_SYSREG(3, 0, 4, 2, 3)
                                                 : ARM_SYSREG(3, 0, 4, 2, 4)),
                                a64_const(s, (uint64_t)(imm & 1) << (pan ? 22 : 23)));
        s->is_jmp = DISAS_UPDATE_EXIT;
        return true;
    }
    if (a->op1 == 3 && (a->op2 == 6 || a->op2 == 7)) {    /* DAIFSet, DAIFClr */
        if (s->el == 0) {
            return false;   /* SCTLR_EL1.UMA is not modelled */
        }
        IRv64 daif = a64_tmp(s), v = a64_tmp(s);
        ir_gen_ld32u_i64_env(s, daif, offsetof(CPUARMState, pstate));
        if (a->op2 == 6) {
            ir_gen_or_i64(s->ir, v, daif, a64_const(s, (uint64_t)imm << 6));
        } else {
            ir_gen_andi_i64(s->ir, v, daif, ~((uint64_t)imm << 6));
        }
        gen_helper_msr_daif(s->ir, s->ir->env, v);
        s->is_jmp = DISAS_UPDATE_EXIT;
        return true;
    }
    return false;
}

static bool sysreg_access_ok(DisasContext *s, const ARMSysReg *ri, bool is_read)
{
    if (!(ri->access & (is_read ? SR_R : SR_W))) {
        return false;
    }
    if (s->el == 0 && !(ri->access & (is_read ? SR_EL0_R : SR_EL0_W))) {
        return false;
    }
    if (ri->kind == SR_SP_EL0 && (s->tb->flags & ARM_HF_SP0)) {
        return false;
    }
    return true;
}

static bool do_sysreg(DisasContext *s, int op0, int op1, int crn, int crm, int op2, int rt,
                      bool is_read)
{
    IRContext *ir = s->ir;
    uint32_t key = ARM_SYSREG(op0, op1, crn, crm, op2);
    ARMSysReg scratch;
    const ARMSysReg *ri = arm_sysreg_find(s->env, key, &scratch);
    IRv64 t = a64_tmp(s);

    if (!ri || !sysreg_access_ok(s, ri, is_read)) {
        return false;
    }
    if ((ri->kind == SR_FPCR || ri->kind == SR_FPSR) && !a64_fp_access_check(s)) {
        return true;
    }
    if (is_read) {
        switch (ri->kind) {
        case SR_FIELD:
            ir_gen_ld_i64(ir, t, ir->env, ri->offset);
            break;
        case SR_CONST:
            ir_gen_movi_i64(ir, t, ri->value);
            break;
        case SR_NZCV:
            t = a64_get_nzcv(s);
            break;
        case SR_DAIF:
            ir_gen_ld32u_i64_env(s, t, offsetof(CPUARMState, pstate));
            ir_gen_andi_i64(ir, t, t, PSTATE_DAIF);
            break;
        case SR_CURRENTEL:
            ir_gen_movi_i64(ir, t, (uint64_t)s->el << PSTATE_EL_SHIFT);
            break;
        case SR_SPSEL:
            ir_gen_ld32u_i64_env(s, t, offsetof(CPUARMState, pstate));
            ir_gen_andi_i64(ir, t, t, PSTATE_SP);
            break;
        case SR_FPCR:
        case SR_FPSR:
            ir_gen_ld32u_i64_env(s, t, ri->offset);
            break;
        case SR_SP_EL0:
            ir_gen_ld_i64(ir, t, ir->env, offsetof(CPUARMState, sp_el[0]));
            break;
        case SR_GICV3:
            gen_helper_gicv3_read(ir, t, ir->env, a64_const(s, ri->value));
            break;
        default:
            if (ri->offset) {
                ir_gen_ld_i64(ir, t, ir->env, ri->offset);  /* written by a helper */
            } else {
                gen_helper_sysreg_read(ir, t, ir->env, a64_const(s, key));
            }
            break;
        }
        a64_set_x(s, rt, t);
        return true;
    }

    IRv64 v = a64_x(s, rt);
    switch (ri->kind) {
    case SR_FIELD:
        ir_gen_st_i64(ir, v, ir->env, ri->offset);
        break;
    case SR_NZCV:
        a64_set_nzcv(s, v);
        break;
    case SR_DAIF:
        gen_helper_msr_daif(ir, ir->env, v);
        break;
    case SR_SPSEL:
        gen_helper_msr_spsel(ir, ir->env, v);
        break;
    case SR_FPCR:
    case SR_FPSR:
        ir_gen_st32_i64_env(s, v, ri->offset);
        break;
    case SR_SP_EL0:
        ir_gen_st_i64(ir, v, ir->env, offsetof(CPUARMState, sp_el[0]));
        break;
    case SR_GICV3:
        gen_helper_gicv3_write(ir, ir->env, a64_const(s, ri->value), v);
        break;
    case SR_CONST:
    case SR_CURRENTEL:
        g_assert_not_reached();
    default:
        gen_helper_sysreg_write(ir, ir->env, a64_const(s, key), v);
        break;
    }
    if (ri->access & SR_END_TB) {
        s->is_jmp = DISAS_UPDATE_EXIT;
    }
    return true;
}

TRANS(MRS)
{
    return do_sysreg(s, a->op0, a->op1, a->crn, a->crm, a->op2, a->rt, true);
}

TRANS(MSR_r)
{
    return do_sysreg(s, a->op0, a->op1, a->crn, a->crm, a->op2, a->rt, false);
}

TRANS(SYS)
{
    IRContext *ir = s->ir;

    if (a->crn == 7) {
        /* Cache maintenance by VA that EL0 may use (SCTLR.UCI assumed set). */
        bool el0_ok = a->op1 == 3;

        if (s->el == 0 && !el0_ok) {
            return false;
        }
        switch ((a->op1 << 7) | (a->crm << 3) | a->op2) {
        case (3 << 7) | (4 << 3) | 1:   /* DC ZVA */
            gen_helper_dc_zva(ir, ir->env, a64_x(s, a->rt), a64_const(s, s->mmu_idx));
            return true;
        case (3 << 7) | (5 << 3) | 1:   /* IC IVAU */
        case (3 << 7) | (10 << 3) | 1:  /* DC CVAC */
        case (3 << 7) | (11 << 3) | 1:  /* DC CVAU */
        case (3 << 7) | (12 << 3) | 1:  /* DC CVAP */
        case (3 << 7) | (13 << 3) | 1:  /* DC CVADP */
        case (3 << 7) | (14 << 3) | 1:  /* DC CIVAC */
        case (0 << 7) | (1 << 3) | 0:   /* IC IALLUIS */
        case (0 << 7) | (5 << 3) | 0:   /* IC IALLU */
        case (0 << 7) | (6 << 3) | 1:   /* DC IVAC */
        case (0 << 7) | (6 << 3) | 2:   /* DC ISW */
        case (0 << 7) | (10 << 3) | 2:  /* DC CSW */
        case (0 << 7) | (14 << 3) | 2:  /* DC CISW */
            return true;
        case (0 << 7) | (8 << 3) | 0:   /* AT S1E1R */
        case (0 << 7) | (8 << 3) | 1:   /* AT S1E1W */
        case (0 << 7) | (8 << 3) | 2:   /* AT S1E0R */
        case (0 << 7) | (8 << 3) | 3:   /* AT S1E0W */
            gen_helper_sysreg_write(ir, ir->env,
                                    a64_const(s, ARM_SYSREG(1, a->op1, a->crn, a->crm, a->op2)),
                                    a64_x(s, a->rt));
            return true;
        default:
            return false;
        }
    }
    if (a->crn == 8 && a->op1 == 0 && s->el >= 1) {   /* TLBI */
        gen_helper_sysreg_write(ir, ir->env,
                                a64_const(s, ARM_SYSREG(1, a->op1, a->crn, a->crm, a->op2)),
                                a64_x(s, a->rt));
        s->is_jmp = DISAS_TOO_MANY;
        return true;
    }
    return false;
}

TRANS(SYSL)
{
    return false;
}
