/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers of the A64 base instructions (translate-a64*.c), each declared
 * once: prototype, call descriptor and gen_helper_NAME emitter. Helpers
 * that may raise a guest exception are never IR_CALL_NO_READ_GLOBALS.
 * Definitions are in helper.c (exceptions, system registers, PSCI, hints),
 * helper-mem.c (exclusives, atomics, DC ZVA) and semihosting.c.
 */
#ifndef TARGET_ARM_HELPER_H
#define TARGET_ARM_HELPER_H

#include "accel/tcg/helpers.h"

/* Exception entry with ELR = env->pc (the generator sets it). */
IR_DEF_HELPER_3(exception, 0, void, env, i64, i64)
IR_DEF_HELPER_1(eret, 0, void, env)
IR_DEF_HELPER_1(insn_abort, 0, void, env)
IR_DEF_HELPER_1(ss_start, IR_CALL_NO_RWG, void, env)
/* HVC: the PSCI conduit (no EL2). PC is the next insn. */
IR_DEF_HELPER_2(hvc, 0, void, env, i64)
IR_DEF_HELPER_1(semihosting, 0, void, env)
IR_DEF_HELPER_1(wfi, IR_CALL_NO_RWG, void, env)
IR_DEF_HELPER_1(wfe, IR_CALL_NO_RWG, void, env)
/* System registers with side effects or computed values; key is ARM_SYSREG(). */
IR_DEF_HELPER_2(sysreg_read, IR_CALL_NO_WRITE_GLOBALS, i64, env, i64)
IR_DEF_HELPER_3(sysreg_write, IR_CALL_NO_WRITE_GLOBALS, void, env, i64, i64)
/* ICC_*_EL1 of a GICv3 (reg is a GICv3CpuReg). */
IR_DEF_HELPER_2(gicv3_read, IR_CALL_NO_RWG, i64, env, i64)
IR_DEF_HELPER_3(gicv3_write, IR_CALL_NO_RWG, void, env, i64, i64)
/* MSR SPSel and DAIF: SPSel swaps the SP global. */
IR_DEF_HELPER_2(msr_spsel, 0, void, env, i64)
IR_DEF_HELPER_2(msr_daif, IR_CALL_NO_RWG, void, env, i64)
IR_DEF_HELPER_3(crc32, IR_CALL_NO_RWG_SE, i64, i64, i64, i64)
IR_DEF_HELPER_3(crc32c, IR_CALL_NO_RWG_SE, i64, i64, i64, i64)

/*
 * Memory (helper-mem.c). desc packs the access: bits 2:0 log2 size,
 * bit 3 pair, bits 7:4 the LSE operation; mmu index in bits 11:8.
 */
IR_DEF_HELPER_5(stxr, IR_CALL_NO_WRITE_GLOBALS, i64, env, i64, i64, i64, i64)
IR_DEF_HELPER_4(atomic, IR_CALL_NO_WRITE_GLOBALS, i64, env, i64, i64, i64)
IR_DEF_HELPER_5(cas, IR_CALL_NO_WRITE_GLOBALS, i64, env, i64, i64, i64, i64)
/* CASP: compare (lo, hi) with memory, store (new lo, new hi); old values in env->scratch. */
IR_DEF_HELPER_6(casp, IR_CALL_NO_WRITE_GLOBALS, void, env, i64, i64, i64, i64, i64)
IR_DEF_HELPER_3(dc_zva, IR_CALL_NO_WRITE_GLOBALS, void, env, i64, i64)

#define ARM_SYSREG(op0, op1, crn, crm, op2) \
    (((op0) << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2))

#define ARM_MEMDESC(log2size, pair, op, mmu_idx) \
    ((log2size) | ((pair) << 3) | ((op) << 4) | ((mmu_idx) << 8))

enum {
    ARM_ATOMIC_ADD, ARM_ATOMIC_CLR, ARM_ATOMIC_EOR, ARM_ATOMIC_SET,
    ARM_ATOMIC_SMAX, ARM_ATOMIC_SMIN, ARM_ATOMIC_UMAX, ARM_ATOMIC_UMIN,
    ARM_ATOMIC_SWP,
};

#endif
