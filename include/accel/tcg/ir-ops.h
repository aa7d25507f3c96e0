/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The IR op table, described once. Every consumer (names, operand counts,
 * flags, optimizer, liveness, interpreter, backend) defines DEF() and
 * includes this file, so adding an op is one line here plus its semantics.
 *
 * DEF(name, nb_outputs, nb_inputs, nb_consts, flags)
 *
 * Argument order in IROp.args is: outputs, inputs, constants. Where an op
 * takes a label it is the last constant. Shift and rotate counts are taken
 * modulo the operand width. Division by zero and INT_MIN / -1 are undefined:
 * front ends make them defined before emitting div/rem.
 * No include guard: this file is meant to be included several times.
 */

/* Structure and control flow. */
DEF(nop, 0, 0, 0, IR_OPF_NOT_PRESENT)
DEF(discard, 1, 0, 0, IR_OPF_NOT_PRESENT)
DEF(set_label, 0, 0, 1, IR_OPF_BB_END | IR_OPF_HAS_LABEL)
DEF(br, 0, 0, 1, IR_OPF_BB_END | IR_OPF_HAS_LABEL)
DEF(brcond_i32, 0, 2, 2, IR_OPF_BB_END | IR_OPF_COND_BRANCH | IR_OPF_HAS_LABEL)
DEF(brcond_i64, 0, 2, 2, IR_OPF_BB_END | IR_OPF_COND_BRANCH | IR_OPF_HAS_LABEL |
    IR_OPF_I64)
/* args: kind (IR_MB_* bits) */
DEF(mb, 0, 0, 1, IR_OPF_SIDE_EFFECTS)
/* args: guest pc of the instruction that starts here */
DEF(insn_start, 0, 0, 1, IR_OPF_SIDE_EFFECTS)
/* Variable operand counts, kept in the op; the constant is an IRHelperInfo *. */
DEF(call, 0, 0, 1, IR_OPF_CALL_CLOBBER | IR_OPF_SIDE_EFFECTS)
/* args: value returned from tcg_exec */
DEF(exit_tb, 0, 0, 1, IR_OPF_BB_END | IR_OPF_BB_EXIT | IR_OPF_SIDE_EFFECTS)
/* args: slot (0 or 1); falls through until chained */
DEF(goto_tb, 0, 0, 1, IR_OPF_BB_EXIT | IR_OPF_SIDE_EFFECTS)
/* input: host code pointer of the next block, or 0 to return 0 */
DEF(goto_ptr, 0, 1, 0, IR_OPF_BB_END | IR_OPF_BB_EXIT | IR_OPF_SIDE_EFFECTS |
    IR_OPF_I64)

/* 32-bit data ops. */
DEF(mov_i32, 1, 1, 0, IR_OPF_PURE)
DEF(setcond_i32, 1, 2, 1, IR_OPF_PURE)
/* out = cond(in0, in1) ? in2 : in3 */
DEF(movcond_i32, 1, 4, 1, IR_OPF_PURE)
DEF(ld8u_i32, 1, 1, 1, IR_OPF_LOAD)
DEF(ld8s_i32, 1, 1, 1, IR_OPF_LOAD)
DEF(ld16u_i32, 1, 1, 1, IR_OPF_LOAD)
DEF(ld16s_i32, 1, 1, 1, IR_OPF_LOAD)
DEF(ld_i32, 1, 1, 1, IR_OPF_LOAD)
DEF(st8_i32, 0, 2, 1, IR_OPF_SIDE_EFFECTS)
DEF(st16_i32, 0, 2, 1, IR_OPF_SIDE_EFFECTS)
DEF(st_i32, 0, 2, 1, IR_OPF_SIDE_EFFECTS)
DEF(add_i32, 1, 2, 0, IR_OPF_PURE | IR_OPF_COMMUTATIVE)
DEF(sub_i32, 1, 2, 0, IR_OPF_PURE)
DEF(mul_i32, 1, 2, 0, IR_OPF_PURE | IR_OPF_COMMUTATIVE)
DEF(neg_i32, 1, 1, 0, IR_OPF_PURE)
DEF(and_i32, 1, 2, 0, IR_OPF_PURE | IR_OPF_COMMUTATIVE)
DEF(or_i32, 1, 2, 0, IR_OPF_PURE | IR_OPF_COMMUTATIVE)
DEF(xor_i32, 1, 2, 0, IR_OPF_PURE | IR_OPF_COMMUTATIVE)
DEF(not_i32, 1, 1, 0, IR_OPF_PURE)
DEF(andc_i32, 1, 2, 0, IR_OPF_PURE)
DEF(orc_i32, 1, 2, 0, IR_OPF_PURE)
DEF(shl_i32, 1, 2, 0, IR_OPF_PURE)
DEF(shr_i32, 1, 2, 0, IR_OPF_PURE)
DEF(sar_i32, 1, 2, 0, IR_OPF_PURE)
DEF(rotl_i32, 1, 2, 0, IR_OPF_PURE)
DEF(rotr_i32, 1, 2, 0, IR_OPF_PURE)
DEF(div_i32, 1, 2, 0, IR_OPF_PURE)
DEF(divu_i32, 1, 2, 0, IR_OPF_PURE)
DEF(rem_i32, 1, 2, 0, IR_OPF_PURE)
DEF(remu_i32, 1, 2, 0, IR_OPF_PURE)
/* (lo, hi) = in0 * in1, full width product */
DEF(mulu2_i32, 2, 2, 0, IR_OPF_PURE | IR_OPF_COMMUTATIVE)
DEF(muls2_i32, 2, 2, 0, IR_OPF_PURE | IR_OPF_COMMUTATIVE)
/* (lo, hi) = (in0 lo, in1 hi) +/- (in2 lo, in3 hi) */
DEF(add2_i32, 2, 4, 0, IR_OPF_PURE)
DEF(sub2_i32, 2, 4, 0, IR_OPF_PURE)
/* consts: ofs, len */
DEF(extract_i32, 1, 1, 2, IR_OPF_PURE)
DEF(sextract_i32, 1, 1, 2, IR_OPF_PURE)
/* out = in0 with bits [ofs, ofs+len) replaced by the low bits of in1 */
DEF(deposit_i32, 1, 2, 2, IR_OPF_PURE)
DEF(ext8s_i32, 1, 1, 0, IR_OPF_PURE)
DEF(ext8u_i32, 1, 1, 0, IR_OPF_PURE)
DEF(ext16s_i32, 1, 1, 0, IR_OPF_PURE)
DEF(ext16u_i32, 1, 1, 0, IR_OPF_PURE)
/* byte-swap the low 16 bits, zero-extend the result */
DEF(bswap16_i32, 1, 1, 0, IR_OPF_PURE)
DEF(bswap32_i32, 1, 1, 0, IR_OPF_PURE)
/* out = in0 ? clz/ctz(in0) : in1 */
DEF(clz_i32, 1, 2, 0, IR_OPF_PURE)
DEF(ctz_i32, 1, 2, 0, IR_OPF_PURE)
DEF(ctpop_i32, 1, 1, 0, IR_OPF_PURE)

/* 64-bit data ops. */
DEF(mov_i64, 1, 1, 0, IR_OPF_PURE | IR_OPF_I64)
DEF(setcond_i64, 1, 2, 1, IR_OPF_PURE | IR_OPF_I64)
DEF(movcond_i64, 1, 4, 1, IR_OPF_PURE | IR_OPF_I64)
DEF(ld8u_i64, 1, 1, 1, IR_OPF_LOAD | IR_OPF_I64)
DEF(ld8s_i64, 1, 1, 1, IR_OPF_LOAD | IR_OPF_I64)
DEF(ld16u_i64, 1, 1, 1, IR_OPF_LOAD | IR_OPF_I64)
DEF(ld16s_i64, 1, 1, 1, IR_OPF_LOAD | IR_OPF_I64)
DEF(ld32u_i64, 1, 1, 1, IR_OPF_LOAD | IR_OPF_I64)
DEF(ld32s_i64, 1, 1, 1, IR_OPF_LOAD | IR_OPF_I64)
DEF(ld_i64, 1, 1, 1, IR_OPF_LOAD | IR_OPF_I64)
DEF(st8_i64, 0, 2, 1, IR_OPF_SIDE_EFFECTS | IR_OPF_I64)
DEF(st16_i64, 0, 2, 1, IR_OPF_SIDE_EFFECTS | IR_OPF_I64)
DEF(st32_i64, 0, 2, 1, IR_OPF_SIDE_EFFECTS | IR_OPF_I64)
DEF(st_i64, 0, 2, 1, IR_OPF_SIDE_EFFECTS | IR_OPF_I64)
DEF(add_i64, 1, 2, 0, IR_OPF_PURE | IR_OPF_COMMUTATIVE | IR_OPF_I64)
DEF(sub_i64, 1, 2, 0, IR_OPF_PURE | IR_OPF_I64)
DEF(mul_i64, 1, 2, 0, IR_OPF_PURE | IR_OPF_COMMUTATIVE | IR_OPF_I64)
DEF(neg_i64, 1, 1, 0, IR_OPF_PURE | IR_OPF_I64)
DEF(and_i64, 1, 2, 0, IR_OPF_PURE | IR_OPF_COMMUTATIVE | IR_OPF_I64)
DEF(or_i64, 1, 2, 0, IR_OPF_PURE | IR_OPF_COMMUTATIVE | IR_OPF_I64)
DEF(xor_i64, 1, 2, 0, IR_OPF_PURE | IR_OPF_COMMUTATIVE | IR_OPF_I64)
DEF(not_i64, 1, 1, 0, IR_OPF_PURE | IR_OPF_I64)
DEF(andc_i64, 1, 2, 0, IR_OPF_PURE | IR_OPF_I64)
DEF(orc_i64, 1, 2, 0, IR_OPF_PURE | IR_OPF_I64)
DEF(shl_i64, 1, 2, 0, IR_OPF_PURE | IR_OPF_I64)
DEF(shr_i64, 1, 2, 0, IR_OPF_PURE | IR_OPF_I64)
DEF(sar_i64, 1, 2, 0, IR_OPF_PURE | IR_OPF_I64)
DEF(rotl_i64, 1, 2, 0, IR_OPF_PURE | IR_OPF_I64)
DEF(rotr_i64, 1, 2, 0, IR_OPF_PURE | IR_OPF_I64)
DEF(div_i64, 1, 2, 0, IR_OPF_PURE | IR_OPF_I64)
DEF(divu_i64, 1, 2, 0, IR_OPF_PURE | IR_OPF_I64)
DEF(rem_i64, 1, 2, 0, IR_OPF_PURE | IR_OPF_I64)
DEF(remu_i64, 1, 2, 0, IR_OPF_PURE | IR_OPF_I64)
DEF(mulu2_i64, 2, 2, 0, IR_OPF_PURE | IR_OPF_COMMUTATIVE | IR_OPF_I64)
DEF(muls2_i64, 2, 2, 0, IR_OPF_PURE | IR_OPF_COMMUTATIVE | IR_OPF_I64)
DEF(add2_i64, 2, 4, 0, IR_OPF_PURE | IR_OPF_I64)
DEF(sub2_i64, 2, 4, 0, IR_OPF_PURE | IR_OPF_I64)
DEF(extract_i64, 1, 1, 2, IR_OPF_PURE | IR_OPF_I64)
DEF(sextract_i64, 1, 1, 2, IR_OPF_PURE | IR_OPF_I64)
DEF(deposit_i64, 1, 2, 2, IR_OPF_PURE | IR_OPF_I64)
DEF(ext8s_i64, 1, 1, 0, IR_OPF_PURE | IR_OPF_I64)
DEF(ext8u_i64, 1, 1, 0, IR_OPF_PURE | IR_OPF_I64)
DEF(ext16s_i64, 1, 1, 0, IR_OPF_PURE | IR_OPF_I64)
DEF(ext16u_i64, 1, 1, 0, IR_OPF_PURE | IR_OPF_I64)
DEF(ext32s_i64, 1, 1, 0, IR_OPF_PURE | IR_OPF_I64)
DEF(ext32u_i64, 1, 1, 0, IR_OPF_PURE | IR_OPF_I64)
DEF(bswap16_i64, 1, 1, 0, IR_OPF_PURE | IR_OPF_I64)
DEF(bswap32_i64, 1, 1, 0, IR_OPF_PURE | IR_OPF_I64)
DEF(bswap64_i64, 1, 1, 0, IR_OPF_PURE | IR_OPF_I64)
DEF(clz_i64, 1, 2, 0, IR_OPF_PURE | IR_OPF_I64)
DEF(ctz_i64, 1, 2, 0, IR_OPF_PURE | IR_OPF_I64)
DEF(ctpop_i64, 1, 1, 0, IR_OPF_PURE | IR_OPF_I64)

/* Width conversions: the flag names the output width. */
DEF(extu_i32_i64, 1, 1, 0, IR_OPF_PURE | IR_OPF_I64)
DEF(exts_i32_i64, 1, 1, 0, IR_OPF_PURE | IR_OPF_I64)
DEF(extrl_i64_i32, 1, 1, 0, IR_OPF_PURE)
DEF(extrh_i64_i32, 1, 1, 0, IR_OPF_PURE)

/*
 * Guest memory through the softmmu TLB. Address is always a 64-bit temp;
 * the constant is an IRMemOpIdx (MemOp and mmu_idx). Stores: in0 = value,
 * in1 = address.
 */
DEF(qemu_ld_i32, 1, 1, 1, IR_OPF_SIDE_EFFECTS | IR_OPF_GUEST_MEM)
DEF(qemu_ld_i64, 1, 1, 1, IR_OPF_SIDE_EFFECTS | IR_OPF_GUEST_MEM | IR_OPF_I64)
DEF(qemu_st_i32, 0, 2, 1, IR_OPF_SIDE_EFFECTS | IR_OPF_GUEST_MEM)
DEF(qemu_st_i64, 0, 2, 1, IR_OPF_SIDE_EFFECTS | IR_OPF_GUEST_MEM | IR_OPF_I64)
