/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tests for the A64 decoders generated from target/arm/a64.decode and
 * a64-simd.decode: known encodings (assembled with binutils) reach the right
 * trans function with the right fields, unallocated encodings reach none,
 * and a random sweep checks that no word matches two patterns outside an
 * overlap group (nor one in each table) and that the decision tree picks
 * what a linear scan of the table would.
 */
#include "target/arm/bitmask.h"
#include <glib.h>
#include <stdint.h>
#include <string.h>

typedef struct DisasContext {
    const char *name;           /* last trans function called */
    char args[160];             /* its arguments, "name=value ..." */
    int calls;
} DisasContext;

/*
 * DecodeBitMasks() from the Arm ARM pseudocode, as the front end must
 * provide it: x is sf:N:immr:imms; returns the 64-bit wmask (the 32-bit one
 * replicated for sf=0), or 0 for a reserved encoding.
 */
static uint64_t a64_bitmask_imm(DisasContext *s, int x)
{
    return arm_decode_bitmask(x);
}

#define DECODEGEN_DEBUG
#include "a64.c.inc"
#include "a64-simd.c.inc"

#define TRANS_STUB(NAME)                                                  \
    static bool trans_##NAME(DisasContext *s, arg_##NAME *a)              \
    {                                                                     \
        s->calls++;                                                       \
        s->name = #NAME;                                                  \
        decode_a64_describe_##NAME(a, s->args, sizeof(s->args));          \
        return true;                                                      \
    }
DECODE_A64_TRANS_LIST(TRANS_STUB)

#define TRANS_STUB_SIMD(NAME)                                             \
    static bool trans_##NAME(DisasContext *s, arg_##NAME *a)              \
    {                                                                     \
        s->calls++;                                                       \
        s->name = #NAME;                                                  \
        decode_a64_simd_describe_##NAME(a, s->args, sizeof(s->args));     \
        return true;                                                      \
    }
DECODE_A64_SIMD_TRANS_LIST(TRANS_STUB_SIMD)

typedef struct KnownInsn {
    uint32_t insn;
    const char *text;           /* what binutils assembled it from */
    const char *name;
    const char *args;           /* each "name=value" must be in the args */
} KnownInsn;

static const KnownInsn known[] = {
    { 0x10008023, "adr x3, .+0x1004", "ADR", "rd=3 imm=4100" },
    { 0x70ffffe3, "adr x3, .-1", "ADR", "rd=3 imm=-1" },
    { 0xf03fffe4, "adrp x4, .+0x7ffff000", "ADRP", "rd=4 imm=2147479552" },
    { 0x90800004, "adrp x4, .-0x100000000", "ADRP", "rd=4 imm=-4294967296" },
    { 0x91000420, "add x0, x1, #1", "ADD_i", "sf=1 rd=0 rn=1 imm=1 sh=0" },
    { 0x117fffe0, "add w0, wsp, #4095, lsl #12", "ADD_i", "sf=0 rd=0 rn=31 imm=4095 sh=1" },
    { 0xb1001c62, "adds x2, x3, #7", "ADDS_i", "sf=1 rd=2 rn=3 imm=7" },
    { 0xd10043ff, "sub sp, sp, #16", "SUB_i", "sf=1 rd=31 rn=31 imm=16" },
    { 0x710000c5, "subs w5, w6, #0", "SUBS_i", "sf=0 rd=5 rn=6 imm=0" },
    { 0x92401c20, "and x0, x1, #0xff", "AND_i", "sf=1 rd=0 rn=1 imm=0xff" },
    { 0x12089c20, "and w0, w1, #0xff00ff00", "AND_i", "sf=0 imm=0xff00ff00ff00ff00" },
    { 0xb200f3e2, "orr x2, xzr, #0x5555555555555555", "ORR_i", "sf=1 rd=2 rn=31 imm=0x5555555555555555" },
    { 0x52010083, "eor w3, w4, #0x80000000", "EOR_i", "sf=0 imm=0x8000000080000000" },
    { 0xf27ff8c5, "ands x5, x6, #0xfffffffffffffffe", "ANDS_i", "sf=1 imm=0xfffffffffffffffe" },
    { 0xd2800020, "movz x0, #1", "MOVZ", "sf=1 rd=0 imm=1 pos=0" },
    { 0x52bfffe1, "movz w1, #0xffff, lsl #16", "MOVZ", "sf=0 rd=1 imm=65535 pos=16" },
    { 0x92e00062, "movn x2, #3, lsl #48", "MOVN", "sf=1 rd=2 imm=3 pos=48" },
    { 0xf2c24683, "movk x3, #0x1234, lsl #32", "MOVK", "sf=1 rd=3 imm=4660 pos=32" },
    { 0x9343f020, "sbfm x0, x1, #3, #60", "SBFM", "sf=1 rd=0 rn=1 immr=3 imms=60" },
    { 0x331f0020, "bfm w0, w1, #31, #0", "BFM", "sf=0 immr=31 imms=0" },
    { 0xd37ff862, "ubfm x2, x3, #63, #62", "UBFM", "sf=1 rd=2 rn=3 immr=63 imms=62" },
    { 0x93c2fc20, "extr x0, x1, x2, #63", "EXTR", "sf=1 rd=0 rn=1 rm=2 imms=63" },
    { 0x13827c20, "extr w0, w1, w2, #31", "EXTR", "sf=0 imms=31" },
    { 0x14000002, "b .+8", "B", "imm=8" },
    { 0x16000000, "b .-0x8000000", "B", "imm=-134217728" },
    { 0x94000000, "bl .", "BL", "imm=0" },
    { 0x54000800, "b.eq .+0x100", "B_cond", "cond=0 imm=256" },
    { 0x54ffffed, "b.le .-4", "B_cond", "cond=13 imm=-4" },
    { 0xb4000063, "cbz x3, .+12", "CBZ", "sf=1 rt=3 imm=12" },
    { 0x35800004, "cbnz w4, .-0x100000", "CBNZ", "sf=0 rt=4 imm=-1048576" },
    { 0xb6f80205, "tbz x5, #63, .+0x40", "TBZ", "rt=5 bit=63 imm=64" },
    { 0x371c0006, "tbnz w6, #3, .-0x8000", "TBNZ", "rt=6 bit=3 imm=-32768" },
    { 0xd4000001, "svc #0", "SVC", "imm=0" },
    { 0xd4024682, "hvc #0x1234", "HVC", "imm=4660" },
    { 0xd4000023, "smc #1", "SMC", "imm=1" },
    { 0xd4207d00, "brk #0x3e8", "BRK", "imm=1000" },
    { 0xd45e0000, "hlt #0xf000", "HLT", "imm=61440" },
    { 0xd4a00001, "dcps1", "DCPS1", "imm=0" },
    { 0xd4a000a3, "dcps3 #5", "DCPS3", "imm=5" },
    { 0xd503201f, "nop", "NOP", "" },
    { 0xd503203f, "yield", "YIELD", "" },
    { 0xd503205f, "wfe", "WFE", "" },
    { 0xd503207f, "wfi", "WFI", "" },
    { 0xd503209f, "sev", "SEV", "" },
    { 0xd50320bf, "sevl", "SEVL", "" },
    { 0xd503221f, "esb", "ESB", "" },
    { 0xd503223f, "psb csync", "PSB", "" },
    { 0xd5032fff, "hint #0x7f", "HINT", "crm=15 op2=7" },
    { 0xd50320df, "hint #6", "HINT", "crm=0 op2=6" },
    { 0xd5033f5f, "clrex", "CLREX", "crm=15" },
    { 0xd5033f9f, "dsb sy", "DSB", "crm=15" },
    { 0xd5033b9f, "dsb ish", "DSB", "crm=11" },
    { 0xd50339bf, "dmb ishld", "DMB", "crm=9" },
    { 0xd5033fdf, "isb", "ISB", "crm=15" },
    { 0xd50342df, "msr daifset, #2", "MSR_i", "op1=3 crm=2 op2=6" },
    { 0xd50041bf, "msr spsel, #1", "MSR_i", "op1=0 crm=1 op2=5" },
    { 0xd500419f, "msr pan, #1", "MSR_i", "op1=0 crm=1 op2=4" },
    { 0xd50b7522, "sys #3, c7, c5, #1, x2", "SYS", "op1=3 crn=7 crm=5 op2=1 rt=2" },
    { 0xd50b7e20, "dc civac, x0", "SYS", "op1=3 crn=7 crm=14 op2=1 rt=0" },
    { 0xd508831f, "tlbi vmalle1is", "SYS", "op1=0 crn=8 crm=3 op2=0 rt=31" },
    { 0xd5281269, "sysl x9, #0, c1, c2, #3", "SYSL", "op1=0 crn=1 crm=2 op2=3 rt=9" },
    { 0xd53b4200, "mrs x0, nzcv", "MRS", "op0=3 op1=3 crn=4 crm=2 op2=0 rt=0" },
    { 0xd5181001, "msr sctlr_el1, x1", "MSR_r", "op0=3 op1=0 crn=1 crm=0 op2=0 rt=1" },
    { 0xd5300242, "mrs x2, mdscr_el1", "MRS", "op0=2 op1=0 crn=0 crm=2 op2=2 rt=2" },
    { 0xd61f0060, "br x3", "BR", "rn=3" },
    { 0xd63f03c0, "blr x30", "BLR", "rn=30" },
    { 0xd65f03c0, "ret", "RET", "rn=30" },
    { 0xd65f00a0, "ret x5", "RET", "rn=5" },
    { 0xd69f03e0, "eret", "ERET", "" },
    { 0xd6bf03e0, "drps", "DRPS", "" },
    { 0xc8017c62, "stxr w1, x2, [x3]", "STXR", "rs=1 rt=2 rn=3 sz=3 lasr=0" },
    { 0x0804ffe5, "stlxrb w4, w5, [sp]", "STXR", "rs=4 rt=5 rn=31 sz=0 lasr=1" },
    { 0xc85f7c20, "ldxr x0, [x1]", "LDXR", "rt=0 rn=1 sz=3 lasr=0" },
    { 0x485ffc62, "ldaxrh w2, [x3]", "LDXR", "rt=2 rn=3 sz=1 lasr=1" },
    { 0xc8200861, "stxp w0, x1, x2, [x3]", "STXP", "rs=0 rt=1 rt2=2 rn=3 sz=3 lasr=0" },
    { 0x88208861, "stlxp w0, w1, w2, [x3]", "STXP", "sz=2 lasr=1" },
    { 0xc87f14c4, "ldxp x4, x5, [x6]", "LDXP", "rt=4 rt2=5 rn=6 sz=3" },
    { 0x887f94c4, "ldaxp w4, w5, [x6]", "LDXP", "sz=2 lasr=1" },
    { 0xc89ffc41, "stlr x1, [x2]", "STLR", "rn=2 rt=1 sz=3" },
    { 0x089ffc41, "stlrb w1, [x2]", "STLR", "sz=0" },
    { 0x88dffc83, "ldar w3, [x4]", "LDAR", "rn=4 rt=3 sz=2" },
    { 0x48dffc83, "ldarh w3, [x4]", "LDAR", "sz=1" },
    { 0xc89f7c41, "stllr x1, [x2]", "STLLR", "sz=3" },
    { 0x08df7c41, "ldlarb w1, [x2]", "LDLAR", "sz=0" },
    { 0x88a07c41, "cas w0, w1, [x2]", "CAS", "rs=0 rt=1 rn=2 sz=2 a=0 r=0" },
    { 0xc8e3ffe4, "casal x3, x4, [sp]", "CAS", "rs=3 rt=4 rn=31 sz=3 a=1 r=1" },
    { 0x08e37ca4, "casab w3, w4, [x5]", "CAS", "sz=0 a=1 r=0" },
    { 0x48a3fca4, "caslh w3, w4, [x5]", "CAS", "sz=1 a=0 r=1" },
    { 0x48207c82, "casp x0, x1, x2, x3, [x4]", "CASP", "rs=0 rt=2 rn=4 sz=3 a=0 r=0" },
    { 0x0864fd06, "caspal w4, w5, w6, w7, [x8]", "CASP", "rs=4 rt=6 rn=8 sz=2 a=1 r=1" },
    { 0xb8200020, "ldadd w0, w0, [x1]", "LDADD", "rs=0 rt=0 rn=1 sz=2 a=0 r=0" },
    { 0xf8e10062, "ldaddal x1, x2, [x3]", "LDADD", "rs=1 rt=2 rn=3 sz=3 a=1 r=1" },
    { 0xb821007f, "stadd w1, [x3]", "LDADD", "rs=1 rt=31 rn=3 sz=2" },
    { 0x38211062, "ldclrb w1, w2, [x3]", "LDCLR", "sz=0" },
    { 0x78612062, "ldeorlh w1, w2, [x3]", "LDEOR", "sz=1 a=0 r=1" },
    { 0xf8a13062, "ldseta x1, x2, [x3]", "LDSET", "sz=3 a=1 r=0" },
    { 0xb8214062, "ldsmax w1, w2, [x3]", "LDSMAX", "sz=2" },
    { 0xb8215062, "ldsmin w1, w2, [x3]", "LDSMIN", "sz=2" },
    { 0xb8216062, "ldumax w1, w2, [x3]", "LDUMAX", "sz=2" },
    { 0xf8e17062, "lduminal x1, x2, [x3]", "LDUMIN", "sz=3 a=1 r=1" },
    { 0xf8218062, "swp x1, x2, [x3]", "SWP", "rs=1 rt=2 rn=3 sz=3" },
    { 0x38e18062, "swpalb w1, w2, [x3]", "SWP", "sz=0 a=1 r=1" },
    { 0xf8bfc020, "ldapr x0, [x1]", "LDAPR", "rn=1 rt=0 sz=3" },
    { 0x38bfc020, "ldaprb w0, [x1]", "LDAPR", "sz=0" },
    { 0x18000080, "ldr w0, .+16", "LDR_lit", "rt=0 imm=16 sz=2 sign=0" },
    { 0x58ffffe1, "ldr x1, .-4", "LDR_lit", "rt=1 imm=-4 sz=3" },
    { 0x981fffe2, "ldrsw x2, .+0x3fffc", "LDRSW_lit", "rt=2 imm=262140 sz=2 sign=1" },
    { 0xd8000040, "prfm pldl1keep, .+8", "PRFM_lit", "rt=0 imm=8" },
    { 0x1c000020, "ldr s0, .+4", "LDR_v_lit", "rt=0 imm=4 sz=2" },
    { 0x5c000021, "ldr d1, .+4", "LDR_v_lit", "sz=3" },
    { 0x9c000022, "ldr q2, .+4", "LDR_v_lit", "sz=4" },
    { 0xa9bf7bfd, "stp x29, x30, [sp, #-16]!", "STP", "rt=29 rt2=30 rn=31 imm=-16 sz=3 post=0 wback=1" },
    { 0xa8c17bfd, "ldp x29, x30, [sp], #16", "LDP", "rt=29 rt2=30 rn=31 imm=16 sz=3 post=1 wback=1" },
    { 0x291f8861, "stp w1, w2, [x3, #252]", "STP", "imm=252 sz=2 post=0 wback=0" },
    { 0x29600861, "ldp w1, w2, [x3, #-256]", "LDP", "imm=-256 sz=2 post=0 wback=0" },
    { 0x69410861, "ldpsw x1, x2, [x3, #8]", "LDPSW", "imm=8 sz=2 post=0 wback=0" },
    { 0x69ff0861, "ldpsw x1, x2, [x3, #-8]!", "LDPSW", "imm=-8 wback=1" },
    { 0xa81f8861, "stnp x1, x2, [x3, #504]", "STNP", "imm=504 sz=3" },
    { 0x287f8861, "ldnp w1, w2, [x3, #-4]", "LDNP", "imm=-4 sz=2" },
    { 0xadbf07e0, "stp q0, q1, [sp, #-32]!", "STP_v", "rt=0 rt2=1 imm=-32 sz=4 wback=1" },
    { 0x6cdf8420, "ldp d0, d1, [x1], #504", "LDP_v", "imm=504 sz=3 post=1" },
    { 0x2d400c82, "ldp s2, s3, [x4]", "LDP_v", "imm=0 sz=2 post=0 wback=0" },
    { 0xac1f8801, "stnp q1, q2, [x0, #1008]", "STNP_v", "imm=1008 sz=4" },
    { 0x6c600801, "ldnp d1, d2, [x0, #-512]", "LDNP_v", "imm=-512 sz=3" },
    { 0xf9400020, "ldr x0, [x1]", "LDR_i", "rt=0 rn=1 imm=0 sz=3 sign=0 post=0 wback=0 unpriv=0" },
    { 0xf97ffc20, "ldr x0, [x1, #32760]", "LDR_i", "imm=32760 sz=3" },
    { 0x397ffc20, "ldrb w0, [x1, #4095]", "LDR_i", "imm=4095 sz=0" },
    { 0x797ffc20, "ldrh w0, [x1, #8190]", "LDR_i", "imm=8190 sz=1" },
    { 0xb93ffc20, "str w0, [x1, #16380]", "STR_i", "imm=16380 sz=2" },
    { 0x390003e2, "strb w2, [sp]", "STR_i", "rt=2 rn=31 sz=0" },
    { 0x39800420, "ldrsb x0, [x1, #1]", "LDRS_i", "sz=0 sign=1 to32=0 imm=1" },
    { 0x39c00420, "ldrsb w0, [x1, #1]", "LDRS_i", "sz=0 sign=1 to32=1 imm=1" },
    { 0x79c00420, "ldrsh w0, [x1, #2]", "LDRS_i", "sz=1 to32=1 imm=2" },
    { 0xb9bffc20, "ldrsw x0, [x1, #16380]", "LDRS_i", "sz=2 to32=0 imm=16380" },
    { 0xf9800433, "prfm pstl2strm, [x1, #8]", "PRFM_i", "rt=19 rn=1 imm=8" },
    { 0xf85ff020, "ldur x0, [x1, #-1]", "LDR_i", "imm=-1 sz=3 post=0 wback=0 unpriv=0" },
    { 0xb80ff020, "stur w0, [x1, #255]", "STR_i", "imm=255 sz=2" },
    { 0x78900020, "ldursh x0, [x1, #-256]", "LDRS_i", "imm=-256 sz=1 to32=0" },
    { 0xf89fd020, "prfum pldl1keep, [x1, #-3]", "PRFM_i", "imm=-3" },
    { 0xf8408420, "ldr x0, [x1], #8", "LDR_i", "imm=8 post=1 wback=1" },
    { 0xf81f8c20, "str x0, [x1, #-8]!", "STR_i", "imm=-8 post=0 wback=1" },
    { 0x38dff420, "ldrsb w0, [x1], #-1", "LDRS_i", "imm=-1 sz=0 to32=1 post=1 wback=1" },
    { 0xb8804c20, "ldrsw x0, [x1, #4]!", "LDRS_i", "imm=4 sz=2 wback=1" },
    { 0xb81fc820, "sttr w0, [x1, #-4]", "STR_i", "imm=-4 sz=2 unpriv=1" },
    { 0x38400820, "ldtrb w0, [x1]", "LDR_i", "sz=0 unpriv=1" },
    { 0xb8801820, "ldtrsw x0, [x1, #1]", "LDRS_i", "sz=2 unpriv=1 imm=1" },
    { 0x3dbffc20, "str q0, [x1, #65520]", "STR_v_i", "imm=65520 sz=4" },
    { 0x3d7ffc20, "ldr b0, [x1, #4095]", "LDR_v_i", "imm=4095 sz=0" },
    { 0x7d400420, "ldr h0, [x1, #2]", "LDR_v_i", "imm=2 sz=1" },
    { 0xfd400420, "ldr d0, [x1, #8]", "LDR_v_i", "imm=8 sz=3" },
    { 0x3cdf0023, "ldur q3, [x1, #-16]", "LDR_v_i", "imm=-16 sz=4" },
    { 0xbc004422, "str s2, [x1], #4", "STR_v_i", "imm=4 sz=2 post=1" },
    { 0x3cc10c21, "ldr q1, [x1, #16]!", "LDR_v_i", "imm=16 sz=4 wback=1" },
    { 0xf8626820, "ldr x0, [x1, x2]", "LDR_r", "rt=0 rn=1 rm=2 sz=3 opt=3 s=0" },
    { 0xf8627820, "ldr x0, [x1, x2, lsl #3]", "LDR_r", "opt=3 s=1" },
    { 0x38224820, "strb w0, [x1, w2, uxtw]", "STR_r", "sz=0 opt=2 s=0" },
    { 0x7862d820, "ldrh w0, [x1, w2, sxtw #1]", "LDR_r", "sz=1 opt=6 s=1" },
    { 0x38a2e820, "ldrsb x0, [x1, x2, sxtx]", "LDRS_r", "sz=0 opt=7 to32=0 sign=1" },
    { 0x78e26820, "ldrsh w0, [x1, x2]", "LDRS_r", "sz=1 to32=1" },
    { 0xb8a25820, "ldrsw x0, [x1, w2, uxtw #2]", "LDRS_r", "sz=2 opt=2 s=1" },
    { 0xf8a26820, "prfm pldl1keep, [x1, x2]", "PRFM_r", "rt=0 rm=2" },
    { 0x3ca27820, "str q0, [x1, x2, lsl #4]", "STR_v_r", "sz=4 s=1" },
    { 0xfc62c820, "ldr d0, [x1, w2, sxtw]", "LDR_v_r", "sz=3 opt=6" },
    { 0x1ac20820, "udiv w0, w1, w2", "UDIV", "sf=0 rd=0 rn=1 rm=2" },
    { 0x1ac20c20, "sdiv w0, w1, w2", "SDIV", "sf=0 rd=0 rn=1 rm=2" },
    { 0x9ac20c20, "sdiv x0, x1, x2", "SDIV", "sf=1" },
    { 0x9ac52083, "lslv x3, x4, x5", "LSLV", "sf=1 rd=3 rn=4 rm=5" },
    { 0x1ac52483, "lsrv w3, w4, w5", "LSRV", "sf=0" },
    { 0x9ac52883, "asrv x3, x4, x5", "ASRV", "sf=1" },
    { 0x1ac52c83, "rorv w3, w4, w5", "RORV", "sf=0" },
    { 0x1ac24020, "crc32b w0, w1, w2", "CRC32", "c=0 sz=0 rd=0 rn=1 rm=2" },
    { 0x1ac24420, "crc32h w0, w1, w2", "CRC32", "c=0 sz=1" },
    { 0x1ac25820, "crc32cw w0, w1, w2", "CRC32", "c=1 sz=2" },
    { 0x9ac25c20, "crc32cx w0, w1, x2", "CRC32", "c=1 sz=3" },
    { 0xdac00020, "rbit x0, x1", "RBIT", "sf=1 rd=0 rn=1" },
    { 0x5ac00420, "rev16 w0, w1", "REV16", "sf=0" },
    { 0xdac00820, "rev32 x0, x1", "REV32", "sf=1" },
    { 0x5ac00820, "rev w0, w1", "REV", "sf=0" },
    { 0xdac00c20, "rev x0, x1", "REV", "sf=1" },
    { 0xdac01062, "clz x2, x3", "CLZ", "sf=1 rd=2 rn=3" },
    { 0x5ac01462, "cls w2, w3", "CLS", "sf=0" },
    { 0x8a020c20, "and x0, x1, x2, lsl #3", "AND_r", "sf=1 rd=0 rn=1 rm=2 shift=0 imm=3" },
    { 0x0ae27c20, "bic w0, w1, w2, ror #31", "BIC_r", "sf=0 shift=3 imm=31" },
    { 0xaa0203e0, "orr x0, xzr, x2", "ORR_r", "sf=1 rn=31 rm=2 shift=0 imm=0" },
    { 0xaaa2fc20, "orn x0, x1, x2, asr #63", "ORN_r", "shift=2 imm=63" },
    { 0x4a420420, "eor w0, w1, w2, lsr #1", "EOR_r", "sf=0 shift=1 imm=1" },
    { 0xca220020, "eon x0, x1, x2", "EON_r", "sf=1" },
    { 0xea020020, "ands x0, x1, x2", "ANDS_r", "sf=1" },
    { 0x6a220020, "bics w0, w1, w2", "BICS_r", "sf=0" },
    { 0x8b020020, "add x0, x1, x2", "ADD_r", "sf=1 rd=0 rn=1 rm=2 shift=0 imm=0" },
    { 0x0b827c20, "add w0, w1, w2, asr #31", "ADD_r", "sf=0 shift=2 imm=31" },
    { 0xab42fc20, "adds x0, x1, x2, lsr #63", "ADDS_r", "sf=1 shift=1 imm=63" },
    { 0x4b021420, "sub w0, w1, w2, lsl #5", "SUB_r", "sf=0 shift=0 imm=5" },
    { 0xeb820420, "subs x0, x1, x2, asr #1", "SUBS_r", "shift=2 imm=1" },
    { 0x8b224be0, "add x0, sp, w2, uxtw #2", "ADD_x", "sf=1 rd=0 rn=31 rm=2 opt=2 imm=2" },
    { 0x0b22b020, "add w0, w1, w2, sxth #4", "ADD_x", "sf=0 opt=5 imm=4" },
    { 0xab226020, "adds x0, x1, x2, uxtx", "ADDS_x", "opt=3 imm=0" },
    { 0xcb22e7ff, "sub sp, sp, x2, sxtx #1", "SUB_x", "rd=31 rn=31 opt=7 imm=1" },
    { 0x6b220020, "subs w0, w1, w2, uxtb", "SUBS_x", "opt=0 imm=0" },
    { 0x9a020020, "adc x0, x1, x2", "ADC", "sf=1 rd=0 rn=1 rm=2" },
    { 0x3a020020, "adcs w0, w1, w2", "ADCS", "sf=0" },
    { 0xda020020, "sbc x0, x1, x2", "SBC", "sf=1" },
    { 0x7a020020, "sbcs w0, w1, w2", "SBCS", "sf=0" },
    { 0xba420023, "ccmn x1, x2, #3, eq", "CCMN_r", "sf=1 rn=1 rm=2 nzcv=3 cond=0" },
    { 0x7a42102f, "ccmp w1, w2, #15, ne", "CCMP_r", "sf=0 nzcv=15 cond=1" },
    { 0xba5fe820, "ccmn x1, #31, #0, al", "CCMN_i", "sf=1 imm=31 nzcv=0 cond=14" },
    { 0x7a45b828, "ccmp w1, #5, #8, lt", "CCMP_i", "sf=0 imm=5 nzcv=8 cond=11" },
    { 0x9a820020, "csel x0, x1, x2, eq", "CSEL", "sf=1 rd=0 rn=1 rm=2 cond=0" },
    { 0x1a821420, "csinc w0, w1, w2, ne", "CSINC", "sf=0 cond=1" },
    { 0xda828020, "csinv x0, x1, x2, hi", "CSINV", "cond=8" },
    { 0x5a82c420, "csneg w0, w1, w2, gt", "CSNEG", "cond=12" },
    { 0x9b020c20, "madd x0, x1, x2, x3", "MADD", "sf=1 rd=0 rn=1 rm=2 ra=3" },
    { 0x1b028c20, "msub w0, w1, w2, w3", "MSUB", "sf=0 ra=3" },
    { 0x9b220c20, "smaddl x0, w1, w2, x3", "SMADDL", "sf=1 ra=3" },
    { 0x9b228c20, "smsubl x0, w1, w2, x3", "SMSUBL", "ra=3" },
    { 0x9b427c20, "smulh x0, x1, x2", "SMULH", "sf=1 rd=0 rn=1 rm=2" },
    { 0x9ba20c20, "umaddl x0, w1, w2, x3", "UMADDL", "ra=3" },
    { 0x9ba2fc20, "umsubl x0, w1, w2, xzr", "UMSUBL", "ra=31" },
    { 0x9bc27c20, "umulh x0, x1, x2", "UMULH", "rd=0 rn=1 rm=2" },
};

static const KnownInsn known_fp[] = {
    { 0x1e220820, "fmul s0, s1, s2", "FMUL_s", "pt=0 rd=0 rn=1 rm=2" },
    { 0x1e651883, "fdiv d3, d4, d5", "FDIV_s", "pt=1 rd=3 rn=4 rm=5" },
    { 0x1ee22820, "fadd h0, h1, h2", "FADD_s", "pt=3" },
    { 0x1e623820, "fsub d0, d1, d2", "FSUB_s", "pt=1" },
    { 0x1e224820, "fmax s0, s1, s2", "FMAX_s", "pt=0" },
    { 0x1e625820, "fmin d0, d1, d2", "FMIN_s", "pt=1" },
    { 0x1e226820, "fmaxnm s0, s1, s2", "FMAXNM_s", "pt=0" },
    { 0x1e627820, "fminnm d0, d1, d2", "FMINNM_s", "pt=1" },
    { 0x1e228820, "fnmul s0, s1, s2", "FNMUL_s", "pt=0" },
    { 0x1e604020, "fmov d0, d1", "FMOV_s", "pt=1 rd=0 rn=1" },
    { 0x1e20c020, "fabs s0, s1", "FABS_s", "pt=0" },
    { 0x1ee14020, "fneg h0, h1", "FNEG_s", "pt=3" },
    { 0x1e61c3e0, "fsqrt d0, d31", "FSQRT_s", "pt=1 rn=31" },
    { 0x1e244020, "frintn s0, s1", "FRINTN_s", "pt=0" },
    { 0x1e64c020, "frintp d0, d1", "FRINTP_s", "pt=1" },
    { 0x1e254020, "frintm s0, s1", "FRINTM_s", "pt=0" },
    { 0x1e65c020, "frintz d0, d1", "FRINTZ_s", "pt=1" },
    { 0x1e264020, "frinta s0, s1", "FRINTA_s", "pt=0" },
    { 0x1e674020, "frintx d0, d1", "FRINTX_s", "pt=1" },
    { 0x1ee7c020, "frinti h0, h1", "FRINTI_s", "pt=3" },
    { 0x1e22c020, "fcvt d0, s1", "FCVT_s", "pt=0 opc=1 rd=0 rn=1" },
    { 0x1e624020, "fcvt s0, d1", "FCVT_s", "pt=1 opc=0" },
    { 0x1e23c020, "fcvt h0, s1", "FCVT_s", "pt=0 opc=3" },
    { 0x1ee2c020, "fcvt d0, h1", "FCVT_s", "pt=3 opc=1" },
    { 0x1e212000, "fcmp s0, s1", "FCMP_s", "pt=0 rn=0 rm=1 e=0 z=0" },
    { 0x1e602058, "fcmpe d2, #0.0", "FCMP_s", "pt=1 rn=2 e=1 z=1" },
    { 0x1ee02048, "fcmp h2, #0.0", "FCMP_s", "pt=3 e=0 z=1" },
    { 0x1e2e1000, "fmov s0, #1.0", "FMOV_i", "pt=0 rd=0 imm=112" },
    { 0x1e701001, "fmov d1, #-2.0", "FMOV_i", "pt=1 rd=1 imm=128" },
    { 0x1e210404, "fccmp s0, s1, #4, eq", "FCCMP_s", "pt=0 rn=0 rm=1 nzcv=4 cond=0 e=0" },
    { 0x1e61141f, "fccmpe d0, d1, #15, ne", "FCCMP_s", "pt=1 nzcv=15 cond=1 e=1" },
    { 0x1e62bc20, "fcsel d0, d1, d2, lt", "FCSEL_s", "pt=1 rd=0 rn=1 rm=2 cond=11" },
    { 0x1f020c20, "fmadd s0, s1, s2, s3", "FMADD_s", "pt=0 rd=0 rn=1 rm=2 ra=3" },
    { 0x1f428c20, "fmsub d0, d1, d2, d3", "FMSUB_s", "pt=1 ra=3" },
    { 0x1f220c20, "fnmadd s0, s1, s2, s3", "FNMADD_s", "pt=0" },
    { 0x1fe28c20, "fnmsub h0, h1, h2, h3", "FNMSUB_s", "pt=3" },
    { 0x1e428020, "scvtf d0, w1, #32", "CVTF_fix", "sf=0 pt=1 u=0 scale=32" },
    { 0x9e030020, "ucvtf s0, x1, #64", "CVTF_fix", "sf=1 pt=0 u=1 scale=0" },
    { 0x1e58fc20, "fcvtzs w0, d1, #1", "FCVTZ_fix", "sf=0 pt=1 u=0 scale=63" },
    { 0x9e19d820, "fcvtzu x0, s1, #10", "FCVTZ_fix", "sf=1 pt=0 u=1 scale=54" },
    { 0x1e200020, "fcvtns w0, s1", "FCVT_int", "sf=0 pt=0 rmode=0 u=0" },
    { 0x9e690020, "fcvtpu x0, d1", "FCVT_int", "sf=1 pt=1 rmode=1 u=1" },
    { 0x1e700020, "fcvtms w0, d1", "FCVT_int", "rmode=2 u=0" },
    { 0x9e390020, "fcvtzu x0, s1", "FCVT_int", "rmode=3 u=1" },
    { 0x1e640020, "fcvtas w0, d1", "FCVT_int", "rmode=4 u=0" },
    { 0x9ee50020, "fcvtau x0, h1", "FCVT_int", "pt=3 rmode=4 u=1" },
    { 0x1e220020, "scvtf s0, w1", "CVTF_int", "sf=0 pt=0 u=0" },
    { 0x9e630020, "ucvtf d0, x1", "CVTF_int", "sf=1 pt=1 u=1" },
    { 0x1e260020, "fmov w0, s1", "FMOV_g", "sf=0 pt=0 tofp=0 part=0 rd=0 rn=1" },
    { 0x1e270020, "fmov s0, w1", "FMOV_g", "sf=0 pt=0 tofp=1" },
    { 0x9e660020, "fmov x0, d1", "FMOV_g", "sf=1 pt=1 tofp=0" },
    { 0x9eaf0020, "fmov v0.d[1], x1", "FMOV_g", "sf=1 pt=2 tofp=1 part=1" },
    { 0x9eae0020, "fmov x0, v1.d[1]", "FMOV_g", "pt=2 tofp=0 part=1" },
    { 0x9ee70020, "fmov h0, x1", "FMOV_g", "sf=1 pt=3 tofp=1" },
};

/* Unallocated in ARMv8.2 (some are later extensions) or UNDEFINED. */
static const uint32_t unallocated[] = {
    0x00000000,     /* UDF #0 */
    0x0b428000,     /* ADD (shifted), sf=0 imm6<5>=1 */
    0x8b2277e0,     /* ADD (extended), imm3=5 */
    0x8b600000,     /* ADD (extended), opt=01 */
    0x1ac24c20,     /* CRC32X with sf=0 */
    0x08a21041,     /* CAS with Rt2 != 11111 */
    0x93000400,     /* SBFM sf=1 N=0 */
    0x12400000,     /* AND (immediate) sf=0 N=1 */
    0x32800000,     /* move wide opc=01 */
    0x52c00000,     /* MOVZ sf=0 hw=2 */
    0x5ac00c00,     /* REV (64-bit opcode) with sf=0 */
    0xd503303f,     /* barrier op2=001 */
    0xd50330ff,     /* SB (v8.5) */
    0xd69f0000,     /* ERET with Rn=0 */
    0xb9c00000,     /* LDRSW (immediate) opc=11 */
    0x7d800000,     /* STR (SIMD&FP) size=01 opc=10 */
    0xe9000000,     /* load/store pair opc=11 */
    0x69000000,     /* STGP (v8.5) */
    0xf8a0c020,     /* LDAPR with Rs != 11111 */
    0xf8800420,     /* PRFM post-indexed */
    0x3c400800,     /* LDTR for a SIMD&FP register */
    0x1a800800,     /* conditional select op2=10 */
    0x1ac00000,     /* 2-source opcode 000000 */
    0xd4000000,     /* exception generation LL=00 opc=000 */
    0xd4200001,     /* BRK with LL=01 */
    0x0e000000,     /* Advanced SIMD: not in the base table */
    0x1e202800,     /* FADD: scalar FP is not in the base table */
};

/* Unallocated scalar FP encodings. */
static const uint32_t unallocated_fp[] = {
    0x00000000,
    0x1ea20820,     /* FMUL with ftype=10 */
    0x1e234000,     /* FCVT to opc=10 */
    0x1e670000,     /* FMOV (general) W <-> D */
    0x1e020000,     /* SCVTF (fixed-point) sf=0 scale<5>=0 */
    0x9e220820,     /* FMUL with M=1 */
    0x3e220820,     /* FMUL with S=1 */
    0xd503201f,     /* NOP: not in the FP table */
};

typedef bool DecodeFn(DisasContext *s, uint32_t insn);

static bool run_with(DecodeFn *fn, DisasContext *s, uint32_t insn)
{
    s->name = NULL;
    s->args[0] = '\0';
    s->calls = 0;
    return fn(s, insn);
}

static bool run(DisasContext *s, uint32_t insn)
{
    return run_with(decode_a64, s, insn);
}

static bool has_arg(const char *args, const char *want)
{
    size_t n = strlen(want);
    for (const char *p = args; (p = strstr(p, want)) != NULL; p++) {
        if ((p == args || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0')) {
            return true;
        }
    }
    return false;
}

static void check_known(DecodeFn *fn, const KnownInsn *table, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const KnownInsn *k = &table[i];
        DisasContext s = { 0 };
        g_auto(GStrv) want = g_strsplit(k->args, " ", -1);

        if (!run_with(fn, &s, k->insn) || strcmp(s.name, k->name) != 0) {
            g_error("0x%08x (%s): want %s, got %s", k->insn, k->text, k->name,
                    s.name ? s.name : "nothing");
        }
        g_assert_cmpint(s.calls, ==, 1);
        for (char **w = want; *w; w++) {
            if (**w && !has_arg(s.args, *w)) {
                g_error("0x%08x (%s): want %s in '%s'", k->insn, k->text, *w,
                        s.args);
            }
        }
    }
}

static void test_known(void)
{
    check_known(decode_a64, known, G_N_ELEMENTS(known));
}

static void test_known_fp(void)
{
    check_known(decode_a64_simd, known_fp, G_N_ELEMENTS(known_fp));
}

static void check_unallocated(DecodeFn *fn, const uint32_t *words, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        DisasContext s = { 0 };
        if (run_with(fn, &s, words[i])) {
            g_error("0x%08x is unallocated but matched %s", words[i], s.name);
        }
        g_assert_cmpint(s.calls, ==, 0);
    }
}

static void test_unallocated(void)
{
    check_unallocated(decode_a64, unallocated, G_N_ELEMENTS(unallocated));
    check_unallocated(decode_a64_simd, unallocated_fp,
                      G_N_ELEMENTS(unallocated_fp));
}

/* Reserved bitmask immediates reach the trans function as 0. */
static void test_bitmask_reserved(void)
{
    DisasContext s = { 0 };

    g_assert_true(run(&s, 0x921ebce6));     /* imms=101111: element all ones */
    g_assert_cmpstr(s.name, ==, "AND_i");
    g_assert_true(has_arg(s.args, "imm=0x0"));
}

static const DecodegenPatternInfo *sweep_table(DecodeFn *fn,
                                              const DecodegenPatternInfo *pats,
                                              size_t n, uint32_t insn)
{
    const DecodegenPatternInfo *first = NULL;
    DisasContext s = { 0 };

    for (size_t i = 0; i < n; i++) {
        const DecodegenPatternInfo *p = &pats[i];
        if ((insn & p->mask) != p->value) {
            continue;
        }
        if (!first) {
            first = p;
        } else if (first->group < 0 || first->group != p->group) {
            g_error("0x%08x matches %s (%s) and %s (%s)", insn, first->name,
                    first->where, p->name, p->where);
        }
    }
    g_assert_cmpint(run_with(fn, &s, insn), ==, first != NULL);
    if (first) {
        g_assert_cmpstr(s.name, ==, first->name);
        g_assert_cmpint(s.calls, ==, 1);
    }
    return first;
}

static void sweep_one(uint32_t insn)
{
    const DecodegenPatternInfo *base, *fp;

    base = sweep_table(decode_a64, decode_a64_patterns, DECODE_A64_N_PATTERNS,
                       insn);
    fp = sweep_table(decode_a64_simd, decode_a64_simd_patterns,
                     DECODE_A64_SIMD_N_PATTERNS, insn);
    if (base && fp) {
        g_error("0x%08x is %s (%s) and %s (%s)", insn, base->name, base->where,
                fp->name, fp->where);
    }
}

static void test_random_sweep(void)
{
    GRand *rand = g_rand_new_with_seed(0xa64);

    for (int i = 0; i < 300000; i++) {
        sweep_one(g_rand_int(rand));
    }
    /* words built on each pattern, so that every one is hit many times */
    for (int i = 0; i < 300000; i++) {
        const DecodegenPatternInfo *p =
            &decode_a64_patterns[i % DECODE_A64_N_PATTERNS];
        sweep_one(p->value | (g_rand_int(rand) & ~p->mask));
    }
    for (int i = 0; i < 100000; i++) {
        const DecodegenPatternInfo *p =
            &decode_a64_simd_patterns[i % DECODE_A64_SIMD_N_PATTERNS];
        sweep_one(p->value | (g_rand_int(rand) & ~p->mask));
    }
    g_rand_free(rand);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/a64-decode/known", test_known);
    g_test_add_func("/a64-decode/known-fp", test_known_fp);
    g_test_add_func("/a64-decode/unallocated", test_unallocated);
    g_test_add_func("/a64-decode/bitmask-reserved", test_bitmask_reserved);
    g_test_add_func("/a64-decode/random-sweep", test_random_sweep);
    return g_test_run();
}
