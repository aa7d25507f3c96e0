/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tests for the Advanced SIMD decoder generated from
 * target/arm/a64-advsimd.decode: known encodings (assembled with binutils,
 * -march=armv8.2-a+fp16+crypto+dotprod+rdm) reach the right trans function
 * with the right fields, unallocated encodings reach none, and a random
 * sweep over the three A64 tables checks that no word matches two patterns
 * outside an overlap group, that no word is claimed by two tables, and
 * that the decision tree picks what a linear scan of the table would.
 */
#include <glib.h>
#include <stdint.h>
#include <string.h>

typedef struct DisasContext {
    const char *name;           /* last trans function called */
    char args[200];             /* its arguments, "name=value ..." */
    int calls;
} DisasContext;

/* The base table's bitmask immediates: any non-zero value does here. */
static uint64_t a64_bitmask_imm(DisasContext *s, int x)
{
    return (uint64_t)x | 1;
}

static int a64_advsimd_plus1(DisasContext *s, int x)
{
    return x + 1;
}

static int a64_advsimd_plus2(DisasContext *s, int x)
{
    return x + 2;
}

#define DECODEGEN_DEBUG
#include "advsimd-a64.c.inc"
#include "advsimd-a64-simd.c.inc"
#include "advsimd-a64-advsimd.c.inc"

#define TRANS_STUB(PREFIX, NAME)                                          \
    static bool trans_##NAME(DisasContext *s, arg_##NAME *a)              \
    {                                                                     \
        s->calls++;                                                       \
        s->name = #NAME;                                                  \
        PREFIX##_describe_##NAME(a, s->args, sizeof(s->args));            \
        return true;                                                      \
    }
#define STUB_BASE(NAME) TRANS_STUB(decode_a64, NAME)
#define STUB_FP(NAME) TRANS_STUB(decode_a64_simd, NAME)
#define STUB_SIMD(NAME) TRANS_STUB(decode_a64_advsimd, NAME)
DECODE_A64_TRANS_LIST(STUB_BASE)
DECODE_A64_SIMD_TRANS_LIST(STUB_FP)
DECODE_A64_ADVSIMD_TRANS_LIST(STUB_SIMD)

typedef struct KnownInsn {
    uint32_t insn;
    const char *text;           /* what binutils assembled it from */
    const char *name;
    const char *args;           /* each "name=value" must be in the args */
} KnownInsn;

static const KnownInsn known[] = {
    { 0x4e284820, "aese v0.16b, v1.16b", "AESE", "rd=0 rn=1" },
    { 0x4e287862, "aesimc v2.16b, v3.16b", "AESIMC", "rd=2 rn=3" },
    { 0x5e020020, "sha1c q0, s1, v2.4s", "SHA1C", "rd=0 rn=1 rm=2" },
    { 0x5e0660a4, "sha256su1 v4.4s, v5.4s, v6.4s", "SHA256SU1", "rd=4 rn=5 rm=6" },
    { 0x5e280907, "sha1h s7, s8", "SHA1H", "rd=7 rn=8" },
    { 0x5e282949, "sha256su0 v9.4s, v10.4s", "SHA256SU0", "rd=9 rn=10" },
    { 0x5e1f0420, "dup b0, v1.b[15]", "DUP_elt_s", "imm5=31 rd=0 rn=1" },
    { 0x4e1c0420, "dup v0.4s, v1.s[3]", "DUP_elt_v", "q=1 imm5=28" },
    { 0x0e010c62, "dup v2.8b, w3", "DUP_gen", "q=0 imm5=1 rd=2 rn=3" },
    { 0x4e080c62, "dup v2.2d, x3", "DUP_gen", "q=1 imm5=8" },
    { 0x4e161cc4, "ins v4.h[5], w6", "INS_gen", "imm5=22 rd=4 rn=6" },
    { 0x4e0c2c20, "smov x0, v1.s[1]", "SMOV", "q=1 imm5=12" },
    { 0x0e0f3c20, "umov w0, v1.b[7]", "UMOV", "q=0 imm5=15" },
    { 0x4e183c20, "umov x0, v1.d[1]", "UMOV", "q=1 imm5=24" },
    { 0x6e0c6420, "ins v0.s[1], v1.s[3]", "INS_elt", "imm5=12 imm4=12" },
    { 0x4e032020, "tbl v0.16b, {v1.16b, v2.16b}, v3.16b", "TBL", "q=1 len=1 tbx=0 rd=0 rn=1 rm=3" },
    { 0x0e0373c0, "tbx v0.8b, {v30.16b, v31.16b, v0.16b, v1.16b}, v3.8b", "TBL", "q=0 len=3 tbx=1 rn=30" },
    { 0x4e421820, "uzp1 v0.8h, v1.8h, v2.8h", "UZP1", "q=1 esz=1" },
    { 0x0e827820, "zip2 v0.2s, v1.2s, v2.2s", "ZIP2", "q=0 esz=2" },
    { 0x4ec22820, "trn1 v0.2d, v1.2d, v2.2d", "TRN1", "q=1 esz=3" },
    { 0x6e027820, "ext v0.16b, v1.16b, v2.16b, #15", "EXT", "q=1 imm=15 rd=0 rn=1 rm=2" },
    { 0x4ea28420, "add v0.4s, v1.4s, v2.4s", "ADD_v", "q=1 esz=2 rd=0 rn=1 rm=2" },
    { 0x7ee28420, "sub d0, d1, d2", "SUB_s", "q=0 esz=3" },
    { 0x4e221c20, "and v0.16b, v1.16b, v2.16b", "AND_v", "q=1" },
    { 0x2ee21c20, "bif v0.8b, v1.8b, v2.8b", "BIF", "q=0" },
    { 0x4ee21c20, "orn v0.16b, v1.16b, v2.16b", "ORN_v", "q=1" },
    { 0x5e220c20, "sqadd b0, b1, b2", "SQADD_s", "esz=0" },
    { 0x6ee25c20, "uqrshl v0.2d, v1.2d, v2.2d", "UQRSHL_v", "q=1 esz=3" },
    { 0x7ee53c83, "cmhs d3, d4, d5", "CMHS_s", "esz=3" },
    { 0x6e229c20, "pmul v0.16b, v1.16b, v2.16b", "PMUL", "q=1 esz=0" },
    { 0x2e62b420, "sqrdmulh v0.4h, v1.4h, v2.4h", "SQRDMULH_v", "esz=1" },
    { 0x4ee2bc20, "addp v0.2d, v1.2d, v2.2d", "ADDP_v", "esz=3" },
    { 0x4e22d420, "fadd v0.4s, v1.4s, v2.4s", "FADD_v", "q=1 esz=2" },
    { 0x4e62cc20, "fmla v0.2d, v1.2d, v2.2d", "FMLA_v", "q=1 esz=3" },
    { 0x4ec20c20, "fmls v0.8h, v1.8h, v2.8h", "FMLS_v", "q=1 esz=1" },
    { 0x2ea2c420, "fminnmp v0.2s, v1.2s, v2.2s", "FMINNMP_v", "q=0 esz=2" },
    { 0x7ea2ec20, "facgt s0, s1, s2", "FACGT_s", "esz=2" },
    { 0x7ec21420, "fabd h0, h1, h2", "FABD_s", "esz=1" },
    { 0x2e423c20, "fdiv v0.4h, v1.4h, v2.4h", "FDIV_v", "esz=1 q=0" },
    { 0x6e828420, "sqrdmlah v0.4s, v1.4s, v2.4s", "SQRDMLAH_v", "esz=2 q=1" },
    { 0x4e829420, "sdot v0.4s, v1.16b, v2.16b", "SDOT_v", "q=1 esz=2" },
    { 0x2fa2e820, "udot v0.2s, v1.8b, v2.4b[3]", "UDOT_x", "q=0 esz=2 idx=3" },
    { 0x4e220020, "saddl2 v0.8h, v1.16b, v2.16b", "SADDL", "q=1 esz=0" },
    { 0x2ea21020, "uaddw v0.2d, v1.2d, v2.2s", "UADDW", "q=0 esz=2" },
    { 0x6e224020, "raddhn2 v0.16b, v1.8h, v2.8h", "RADDHN", "q=1 esz=0" },
    { 0x0e62d020, "sqdmull v0.4s, v1.4h, v2.4h", "SQDMULL_v", "esz=1" },
    { 0x4ee2e020, "pmull2 v0.1q, v1.2d, v2.2d", "PMULL", "q=1 esz=3" },
    { 0x5e629020, "sqdmlal s0, h1, h2", "SQDMLAL_s", "esz=1" },
    { 0x4ea00820, "rev64 v0.4s, v1.4s", "REV64_v", "q=1 esz=2" },
    { 0x4e201820, "rev16 v0.16b, v1.16b", "REV16_v", "esz=0" },
    { 0x0e205820, "cnt v0.8b, v1.8b", "CNT", "q=0 esz=0" },
    { 0x6e205820, "not v0.16b, v1.16b", "NOT_v", "q=1" },
    { 0x2e605820, "rbit v0.8b, v1.8b", "RBIT_v", "esz=1" },
    { 0x4ea06820, "sadalp v0.2d, v1.4s", "SADALP", "esz=2 q=1" },
    { 0x6e609820, "cmle v0.8h, v1.8h, #0", "CMLE0_v", "esz=1" },
    { 0x5ee0a820, "cmlt d0, d1, #0", "CMLT0_s", "esz=3" },
    { 0x4e212820, "xtn2 v0.16b, v1.8h", "XTN", "q=1 esz=0" },
    { 0x7e612820, "sqxtun h0, s1", "SQXTUN_s", "esz=1" },
    { 0x6e613820, "shll2 v0.4s, v1.8h, #16", "SHLL", "q=1 esz=1" },
    { 0x0e216820, "fcvtn v0.4h, v1.4s", "FCVTN", "q=0 esz=0" },
    { 0x4e617820, "fcvtl2 v0.2d, v1.4s", "FCVTL", "q=1 esz=1" },
    { 0x7e616820, "fcvtxn s0, d1", "FCVTXN_s", "esz=1" },
    { 0x6e619820, "frintx v0.2d, v1.2d", "FRINTX_v", "esz=3" },
    { 0x6ef9b820, "fcvtzu v0.8h, v1.8h", "FCVTZU_v", "esz=1 q=1" },
    { 0x4ea1c820, "urecpe v0.4s, v1.4s", "URECPE", "esz=2" },
    { 0x7ea0d820, "fcmle s0, s1, #0.0", "FCMLE0_s", "esz=2" },
    { 0x5ee1f820, "frecpx d0, d1", "FRECPX_s", "esz=3" },
    { 0x5e79d820, "scvtf h0, h1", "SCVTF_s", "esz=1" },
    { 0x4e31b820, "addv b0, v1.16b", "ADDV", "q=1 esz=0" },
    { 0x6e703820, "uaddlv s0, v1.8h", "UADDLV", "q=1 esz=1" },
    { 0x6e30c820, "fmaxnmv s0, v1.4s", "FMAXNMV", "q=1 esz=2" },
    { 0x4eb0f820, "fminv h0, v1.8h", "FMINV", "q=1 esz=1" },
    { 0x5ef1b820, "addp d0, v1.2d", "ADDP_s", "esz=3" },
    { 0x7e70d820, "faddp d0, v1.2d", "FADDP_s", "esz=3" },
    { 0x5e30f820, "fmaxp h0, v1.2h", "FMAXP_s", "esz=1" },
    { 0x6f05e540, "movi v0.2d, #0xff00ff00ff00ff00", "MOVI", "q=1 op=1 cmode=14 imm=170" },
    { 0x4f006640, "movi v0.4s, #0x12, lsl #24", "MOVI", "q=1 op=0 cmode=6 imm=18" },
    { 0x2f01a680, "mvni v0.4h, #0x34, lsl #8", "MOVI", "q=0 op=1 cmode=10 imm=52" },
    { 0x6f001420, "bic v0.4s, #0x1", "MOVI", "op=1 cmode=1 imm=1" },
    { 0x6f03f600, "fmov v0.2d, #1.0", "MOVI", "q=1 op=1 cmode=15 imm=112" },
    { 0x4f04fc00, "fmov v0.8h, #-2.0", "FMOV_vh", "q=1 imm=128" },
    { 0x4f400420, "sshr v0.2d, v1.2d, #64", "SSHR_v", "q=1 esz=3 imm=64" },
    { 0x2f0d0420, "ushr v0.8b, v1.8b, #3", "USHR_v", "esz=0 imm=13" },
    { 0x4f3f5420, "shl v0.4s, v1.4s, #31", "SHL_v", "esz=2 imm=63" },
    { 0x6f105420, "sli v0.8h, v1.8h, #0", "SLI_v", "esz=1 imm=16" },
    { 0x6f0f8420, "sqshrun2 v0.16b, v1.8h, #1", "SQSHRUN_v", "q=1 esz=0 imm=15" },
    { 0x2f20a420, "ushll v0.2d, v1.2s, #0", "USHLL", "esz=2 imm=32" },
    { 0x4f20e420, "scvtf v0.4s, v1.4s, #32", "SCVTF_vi", "esz=2 imm=32" },
    { 0x4f10fc20, "fcvtzs v0.8h, v1.8h, #16", "FCVTZS_vi", "esz=1 imm=16" },
    { 0x7f7f0420, "ushr d0, d1, #1", "USHR_s", "esz=3 imm=127" },
    { 0x5f0f7420, "sqshl b0, b1, #7", "SQSHL_si", "esz=0 imm=15" },
    { 0x7f109c20, "uqrshrn h0, s1, #16", "UQRSHRN_s", "esz=1 imm=16" },
    { 0x7f40fc20, "fcvtzu d0, d1, #64", "FCVTZU_si", "esz=3 imm=64" },
    { 0x4f7f8820, "mul v0.8h, v1.8h, v15.h[7]", "MUL_x", "esz=1 rm=15 idx=7" },
    { 0x6fbf0820, "mla v0.4s, v1.4s, v31.s[3]", "MLA_x", "esz=2 rm=31 idx=3" },
    { 0x4f42a820, "smull2 v0.4s, v1.8h, v2.h[4]", "SMULL_x", "q=1 esz=1 idx=4" },
    { 0x4fc21820, "fmla v0.2d, v1.2d, v2.d[1]", "FMLA_x", "esz=3 idx=1" },
    { 0x0f129820, "fmul v0.4h, v1.4h, v2.h[5]", "FMUL_x", "esz=1 idx=5" },
    { 0x7f829820, "fmulx s0, s1, v2.s[2]", "FMULX_xs", "esz=2 idx=2" },
    { 0x5f72c020, "sqdmulh h0, h1, v2.h[3]", "SQDMULH_xs", "esz=1 idx=3" },
    { 0x7fa2f020, "sqrdmlsh s0, s1, v2.s[1]", "SQRDMLSH_xs", "esz=2 idx=1" },
    { 0x4c407020, "ld1 {v0.16b}, [x1]", "LDST_mult", "q=1 l=1 rpt=1 selem=1 esz=0 rn=1 rt=0 p=0" },
    { 0x4c000be0, "st4 {v0.4s, v1.4s, v2.4s, v3.4s}, [sp]", "LDST_mult", "q=1 l=0 rpt=1 selem=4 esz=2 rn=31" },
    { 0x0cdf6c40, "ld1 {v0.1d, v1.1d, v2.1d}, [x2], #24", "LDST_mult", "q=0 l=1 rpt=3 selem=1 esz=3 rm=31 p=1" },
    { 0x4cc38440, "ld2 {v0.8h, v1.8h}, [x2], x3", "LDST_mult", "q=1 rpt=1 selem=2 esz=1 rm=3 p=1" },
    { 0x4d001c05, "st1 {v5.b}[15], [x0]", "LDST_single", "l=0 selem=1 esz=0 idx=15 rt=5" },
    { 0x4ddf7000, "ld3 {v0.h, v1.h, v2.h}[6], [x0], #6", "LDST_single", "l=1 selem=3 esz=1 idx=6 rm=31 p=1" },
    { 0x4d60b000, "ld4 {v0.s, v1.s, v2.s, v3.s}[3], [x0]", "LDST_single", "selem=4 esz=2 idx=3" },
    { 0x4da58400, "st2 {v0.d, v1.d}[1], [x0], x5", "LDST_single", "l=0 selem=2 esz=3 idx=1 rm=5 p=1" },
    { 0x4d40c800, "ld1r {v0.4s}, [x0]", "LDnR", "q=1 selem=1 esz=2 p=0" },
    { 0x0dffe000, "ld4r {v0.8b, v1.8b, v2.8b, v3.8b}, [x0], #4", "LDnR", "q=0 selem=4 esz=0 rm=31 p=1" },
};

/* Unallocated in the Advanced SIMD groups (ARMv8.2). */
static const uint32_t unallocated[] = {
    0x00000000,     /* UDF */
    0x4e684820,     /* AESE size=01 */
    0x5e420020,     /* SHA1C size=01 */
    0x5e027020,     /* three-register SHA opcode 111 */
    0x4e422c20,     /* three same FP16 U=0 a=0 opcode 101 */
    0x4e011420,     /* copy op=0 imm4=0010 */
    0x4f20f420,     /* shift by immediate opcode 11110 */
    0x4c401020,     /* load/store multiple opcode 0001 */
    0x4d408820,     /* load/store single structure S with size=10 */
    0x4d00c020,     /* replicate with L=0 */
    0x5e220420,     /* scalar three same opcode 00000 */
    0x4e211820,     /* two-register misc U=0 opcode 10001 */
    0x4e300820,     /* across lanes U=0 opcode 00000 */
    0x5ef00820,     /* scalar pairwise U=0 opcode 00000 */
    0x5e010c20,     /* scalar copy imm4=0001 */
    0x6f00fc00,     /* modified immediate o2=1 op=1 */
    0x1e202800,     /* FADD (scalar): the FP table's */
    0x3d800000,     /* STR q0: the base table's */
};

typedef bool DecodeFn(DisasContext *s, uint32_t insn);

static bool run_with(DecodeFn *fn, DisasContext *s, uint32_t insn)
{
    s->name = NULL;
    s->args[0] = '\0';
    s->calls = 0;
    return fn(s, insn);
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

static void test_known(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(known); i++) {
        const KnownInsn *k = &known[i];
        DisasContext s = { 0 };
        g_auto(GStrv) want = g_strsplit(k->args, " ", -1);

        if (!run_with(decode_a64_advsimd, &s, k->insn) ||
            strcmp(s.name, k->name) != 0) {
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

static void test_unallocated(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(unallocated); i++) {
        DisasContext s = { 0 };

        if (run_with(decode_a64_advsimd, &s, unallocated[i])) {
            g_error("0x%08x is unallocated but matched %s", unallocated[i],
                    s.name);
        }
        g_assert_cmpint(s.calls, ==, 0);
    }
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
    const DecodegenPatternInfo *hit[3];
    int nhit = 0;

    hit[0] = sweep_table(decode_a64, decode_a64_patterns,
                         DECODE_A64_N_PATTERNS, insn);
    hit[1] = sweep_table(decode_a64_simd, decode_a64_simd_patterns,
                         DECODE_A64_SIMD_N_PATTERNS, insn);
    hit[2] = sweep_table(decode_a64_advsimd, decode_a64_advsimd_patterns,
                         DECODE_A64_ADVSIMD_N_PATTERNS, insn);
    for (int i = 0; i < 3; i++) {
        nhit += hit[i] != NULL;
    }
    if (nhit > 1) {
        g_error("0x%08x is claimed by %d tables (%s, %s, %s)", insn, nhit,
                hit[0] ? hit[0]->where : "-", hit[1] ? hit[1]->where : "-",
                hit[2] ? hit[2]->where : "-");
    }
}

static void test_random_sweep(void)
{
    GRand *rand = g_rand_new_with_seed(0xadd5);

    for (int i = 0; i < 200000; i++) {
        sweep_one(g_rand_int(rand));
    }
    /* words built on each pattern of every table, each hit many times */
    for (int i = 0; i < 200000; i++) {
        const DecodegenPatternInfo *p =
            &decode_a64_advsimd_patterns[i % DECODE_A64_ADVSIMD_N_PATTERNS];
        sweep_one(p->value | (g_rand_int(rand) & ~p->mask));
    }
    for (int i = 0; i < 50000; i++) {
        const DecodegenPatternInfo *p =
            &decode_a64_patterns[i % DECODE_A64_N_PATTERNS];
        sweep_one(p->value | (g_rand_int(rand) & ~p->mask));
    }
    for (int i = 0; i < 50000; i++) {
        const DecodegenPatternInfo *p =
            &decode_a64_simd_patterns[i % DECODE_A64_SIMD_N_PATTERNS];
        sweep_one(p->value | (g_rand_int(rand) & ~p->mask));
    }
    g_rand_free(rand);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/a64-advsimd-decode/known", test_known);
    g_test_add_func("/a64-advsimd-decode/unallocated", test_unallocated);
    g_test_add_func("/a64-advsimd-decode/random-sweep", test_random_sweep);
    return g_test_run();
}
