/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Advanced SIMD: representative instructions of every group (three same,
 * three different, two-register misc, across lanes, copy, permute, EXT,
 * TBL/TBX, modified immediate, shifts by immediate, by element, the scalar
 * forms, floating point vectors, structure loads and stores), each checked
 * against the full 128-bit result. The destination starts out holding a
 * known pattern, so the accumulating forms and the clearing of the upper
 * half by 64-bit forms are checked too; saturating instructions also check
 * FPSR.QC. The expected values were recorded by running this program
 * under QEMU (built with -DSIMD_RECORD it prints them instead of checking).
 */
#include "runtime.h"

/* The build uses the default -march; these tests need v8.2 FP16 and RDM. */
#pragma GCC target("arch=armv8.2-a+fp16+rdma+dotprod")

typedef unsigned long long u64;
typedef u64 v2 __attribute__((vector_size(16)));

#define MK(lo, hi) ((v2){ (lo), (hi) })

/* Operands, hidden from the optimiser. */
static v2 A, B, C, D0, FS, FS2, FD, FD2, FH, IDX;

#define FPSR_QC (1u << 27)

static void fpsr_clear(void)
{
    __asm__ volatile("msr fpsr, xzr");
}

static uint32_t fpsr_get(void)
{
    u64 v;

    __asm__ volatile("mrs %0, fpsr" : "=r"(v));
    return (uint32_t)v;
}

/* Rd starts as D0; %0 is Rd, %1 and %2 the sources. */
#define R3(insn, a, b) ({ v2 r_ = D0; \
    __asm__ volatile(insn : "+w"(r_) : "w"(a), "w"(b)); r_; })
#define R3X(insn, a, b) ({ v2 r_ = D0; \
    __asm__ volatile(insn : "+w"(r_) : "w"(a), "x"(b)); r_; })
#define R2(insn, a) ({ v2 r_ = D0; __asm__ volatile(insn : "+w"(r_) : "w"(a)); r_; })
#define R1(insn) ({ v2 r_ = D0; __asm__ volatile(insn : "+w"(r_)); r_; })

static void check(const char *name, v2 r, u64 lo, u64 hi)
{
#ifdef SIMD_RECORD
    (void)lo;
    (void)hi;
    printf("@%s|0x%016llx|0x%016llx\n", name, r[0], r[1]);
#else
    if (!tap_ok(r[0] == lo && r[1] == hi, "%s", name)) {
        tap_diag("got 0x%016llx_%016llx want 0x%016llx_%016llx",
                 r[1], r[0], hi, lo);
    }
#endif
}

/* Like check, then FPSR.QC must be as given (and is cleared). */
static void check_qc(const char *name, v2 r, u64 lo, u64 hi, bool qc)
{
    bool got = (fpsr_get() & FPSR_QC) != 0;

#ifdef SIMD_RECORD
    (void)lo;
    (void)hi;
    (void)qc;
    printf("@%s|0x%016llx|0x%016llx|%s\n", name, r[0], r[1],
           got ? "true" : "false");
#else
    check(name, r, lo, hi);
    tap_ok(got == qc, "%s: QC %s", name, qc ? "set" : "clear");
#endif
    fpsr_clear();
}

static void check64(const char *name, u64 got, u64 want)
{
#ifdef SIMD_RECORD
    (void)want;
    printf("@%s|0x%016llx\n", name, got);
#else
    tap_eq(got, want, "%s", name);
#endif
}

/*
 * The optional features this program uses are tested only when the CPU
 * advertises them (the instructions are UNDEFINED otherwise):
 * ID_AA64ISAR0_EL1.RDM and ID_AA64PFR0_EL1.AdvSIMD == 1 (FP16).
 */
static bool feature_rdm(void)
{
    u64 v;

    __asm__ volatile("mrs %0, id_aa64isar0_el1" : "=r"(v));
    return ((v >> 28) & 0xf) >= 1;
}

static bool feature_fp16(void)
{
    u64 v;

    __asm__ volatile("mrs %0, id_aa64pfr0_el1" : "=r"(v));
    return ((v >> 20) & 0xf) == 1;
}

static void test_three_same(void)
{
    check("add 4s", R3("add %0.4s, %1.4s, %2.4s", A, B), 0x8123456889ac4dee, 0x7e5db999f654320f);
    check("add 8b", R3("add %0.8b, %1.8b, %2.8b", A, B), 0x8123456889ab4cee, 0x0000000000000000);
    check("sub 8h", R3("sub %0.8h, %1.8h, %2.8h", A, B), 0x8123456689ab4df0, 0x7f5cbb97f6553211);
    check("add d", R3("add %d0, %d1, %d2", A, B), 0x8123456889ac4dee, 0x0000000000000000);
    check("sub 2d", R3("sub %0.2d, %1.2d, %2.2d", A, B), 0x8123456689ab4df0, 0x7f5bbb96f6543211);
    check("and", R3("and %0.16b, %1.16b, %2.16b", A, B), 0x0000000100004def, 0x7e80ba0076543210);
    check("bic", R3("bic %0.16b, %1.16b, %2.16b", A, B), 0x0123456689ab8000, 0x805c009800000000);
    check("orr", R3("orr %0.16b, %1.16b, %2.16b", A, B), 0x8123456789abffff, 0xffdcff997fffffff);
    check("orn 8b", R3("orn %0.8b, %1.8b, %2.8b", A, B), 0x7fffffffffffcdef, 0x0000000000000000);
    check("eor", R3("eor %0.16b, %1.16b, %2.16b", A, B), 0x8123456689abb210, 0x815c459909abcdef);
    check("bsl", R3("bsl %0.16b, %1.16b, %2.16b", A, B), 0x0021046788aacfff, 0x7ed4ff897edc3333);
    check("bit", R3("bit %0.16b, %1.16b, %2.16b", A, B), 0x5eadbeefcafecdef, 0x7ed5baaa76543210);
    check("bif", R3("bif %0.16b, %1.16b, %2.16b", A, B), 0x8123456789abf00d, 0xd55caa983333cccc);
    check("shadd 8b", R3("shadd %0.8b, %1.8b, %2.8b", A, B), 0xc0112234c4d526f7, 0x0000000000000000);
    check("urhadd 16b", R3("urhadd %0.16b, %1.16b, %2.16b", A, B), 0x411223344556a6f7, 0xbfaedd4d7baa9988);
    check("uhsub 4h", R3("uhsub %0.4h, %1.4h, %2.4h", A, B), 0xc09122b344d526f8, 0x0000000000000000);
    check_qc("sqadd 8h", R3("sqadd %0.8h, %1.8h, %2.8h", A, B), 0x8123456889ab4dee, 0x7e5cb9997fff320f, true);
    check_qc("uqadd 16b", R3("uqadd %0.16b, %1.16b, %2.16b", A, B), 0x8123456889abffff, 0xffffff99f5ffffff, true);
    check_qc("sqsub 4s", R3("sqsub %0.4s, %1.4s, %2.4s", A, B), 0x7fffffff89ab4df0, 0x80000000f6543211, true);
    check_qc("uqsub 2d", R3("uqsub %0.2d, %1.2d, %2.2d", A, B), 0x0000000000000000, 0x7f5bbb96f6543211, true);
    check_qc("sqadd 4s no sat", R3("sqadd %0.4s, %1.4s, %2.4s", A, A), 0x02468ace80000000, 0xfdb975307fffffff, true);
    check("cmgt 4s", R3("cmgt %0.4s, %1.4s, %2.4s", A, B), 0xffffffff00000000, 0x0000000000000000);
    check("cmhi 16b", R3("cmhi %0.16b, %1.16b, %2.16b", A, B), 0x00ffffffffffff00, 0xffff00ff00000000);
    check("cmge 2d", R3("cmge %0.2d, %1.2d, %2.2d", A, A), 0xffffffffffffffff, 0xffffffffffffffff);
    check("cmeq 8h", R3("cmeq %0.8h, %1.8h, %2.8h", A, B), 0x0000000000000000, 0x0000000000000000);
    check("cmtst 8b", R3("cmtst %0.8b, %1.8b, %2.8b", A, B), 0x000000ff0000ffff, 0x0000000000000000);
    check("sshl 4s", R3("sshl %0.4s, %1.4s, %2.4s", A, B), 0x02468acec4d5e6f7, 0xfdb975303b2a1908);
    check("ushl 16b", R3("ushl %0.16b, %1.16b, %2.16b", A, B), 0x002345ce89ab0077, 0x00005d30002a1908);
    check("srshl 8h", R3("srshl %0.8h, %1.8h, %2.8h", B, A), 0x0000000000000000, 0x0000000000000000);
    check_qc("sqshl 16b", R3("sqshl %0.16b, %1.16b, %2.16b", A, IDX), 0x7f7f7f7f80808080, 0xfff780807f7f6410, true);
    check_qc("uqshl 4s", R3("uqshl %0.4s, %1.4s, %2.4s", B, IDX), 0xffffffff007fff00, 0xffffffff7fffffff, true);
    check_qc("sqrshl 2d", R3("sqrshl %0.2d, %1.2d, %2.2d", A, IDX), 0x7fffffffffffffff, 0xfedcba9876543210, true);
    check_qc("uqrshl 8h", R3("uqrshl %0.8h, %1.8h, %2.8h", A, IDX), 0xffffffffffffffff, 0x3fb7ffffffff3210, true);
    check("smax 4h", R3("smax %0.4h, %1.4h, %2.4h", A, B), 0x0123456700007fff, 0x0000000000000000);
    check("umin 16b", R3("umin %0.16b, %1.16b, %2.16b", A, B), 0x0100000100007fef, 0x7f80ba0176543210);
    check("sabd 8h", R3("sabd %0.8h, %1.8h, %2.8h", A, B), 0x812345667655b210, 0x80a4446909ab3211);
    check("uaba 16b", R3("uaba %0.16b, %1.16b, %2.16b", A, B), 0x5dd0035553a93e1d, 0xd4b1ef413cde99bb);
    check("mla 4s", R3("mla %0.4s, %1.4s, %2.4s", A, B), 0x5fd10456284aa21e, 0xe60fcd42bcdf9abc);
    check("mls 8h", R3("mls %0.8h, %1.8h, %2.8h", A, B), 0x5ead7988cafe3dfc, 0xc3558812a987fedc);
    check("mul 16b", R3("mul %0.16b, %1.16b, %2.16b", A, B), 0x800000670000b311, 0x020046988aaccef0);
    check("pmul 8b", R3("pmul %0.8b, %1.8b, %2.8b", A, B), 0x8000006700003ba5, 0x0000000000000000);
    check("smaxp 4s", R3("smaxp %0.4s, %1.4s, %2.4s", A, B), 0x7654321001234567, 0x7fffffff00007fff);
    check("uminp 8b", R3("uminp %0.8b, %1.8b, %2.8b", A, B), 0x0000007f014589cd, 0x0000000000000000);
    check("addp 2d", R3("addp %0.2d, %1.2d, %2.2d", A, B), 0xffffffffffffffff, 0xff80ff0280007ffe);
    check("addp 16b", R3("addp %0.16b, %1.16b, %2.16b", A, B), 0xda52ca4224ac34bc, 0xff007efe8001007e);
    check_qc("sqdmulh 8h", R3("sqdmulh %0.8h, %1.8h, %2.8h", A, B), 0xfedd00000000cdef, 0xfedd008a7653ffff, false);
    check_qc("sqrdmulh 4s", R3("sqrdmulh %0.4s, %1.4s, %2.4s", B, B), 0x7ffffffe00000000, 0x7f027c067ffffffe, false);
    if (feature_rdm()) {
        check_qc("sqrdmlah 4h", R3("sqrdmlah %0.4h, %1.4h, %2.4h", A, B), 0xdd8abef0cafebdfc, 0x0000000000000000, false);
    } else {
        tap_ok(true, "sqrdmlah # SKIP RDM not advertised");
        tap_ok(true, "sqrdmlah: QC # SKIP RDM not advertised");
    }
}

static void test_scalar_three_same(void)
{
    check_qc("sqadd b", R3("sqadd %b0, %b1, %b2", A, B), 0x00000000000000ee, 0x0000000000000000, false);
    check_qc("uqsub s", R3("uqsub %s0, %s1, %s2", A, B), 0x0000000089ab4df0, 0x0000000000000000, false);
    check_qc("sqsub d", R3("sqsub %d0, %d1, %d2", B, A), 0x8000000000000000, 0x0000000000000000, true);
    check("cmgt d", R3("cmgt %d0, %d1, %d2", A, B), 0xffffffffffffffff, 0x0000000000000000);
    check("cmtst d", R3("cmtst %d0, %d1, %d2", A, B), 0xffffffffffffffff, 0x0000000000000000);
    check("ushl d", R3("ushl %d0, %d1, %d2", A, IDX), 0x23456789abcdef00, 0x0000000000000000);
    check_qc("sqrshl h", R3("sqrshl %h0, %h1, %h2", B, IDX), 0x0000000000007fff, 0x0000000000000000, true);
    check_qc("sqdmulh s", R3("sqdmulh %s0, %s1, %s2", B, B), 0x0000000000000000, 0x0000000000000000, false);
}

static void test_three_different(void)
{
    check("saddl 8h", R3("saddl %0.8h, %1.8b, %2.8b", A, B), 0xff89ffab004cffee, 0xff81002300450068);
    check("uaddl2 4s", R3("uaddl2 %0.4s, %1.8h, %2.8h", A, B), 0x0000f6530001320f, 0x00017e5c0001b999);
    check("ssubw2 2d", R3("ssubw2 %0.2d, %1.2d, %2.4s", A, B), 0x0123456709abcdf0, 0xfedcba97f6d3330f);
    check("uaddw 8h", R3("uaddw %0.8h, %1.8h, %2.8b", A, B), 0x012345678a2aceee, 0xff5cba9876543211);
    check("addhn 8b", R3("addhn %0.8b, %1.8h, %2.8h", A, B), 0x7eb9f6328145894d, 0x0000000000000000);
    check("raddhn2 16b", R3("raddhn2 %0.16b, %1.8h, %2.8h", A, B), 0xdeadbeefcafef00d, 0x7ebaf63281458a4e);
    check("subhn 4h", R3("subhn %0.4h, %1.4s, %2.4s", A, B), 0x7f5bf654812389ab, 0x0000000000000000);
    check("sabal 8h", R3("sabal %0.8h, %1.8b, %2.8b", A, B), 0xdf24bf44cbb0f01d, 0x55d6aacd3378cd32);
    check("uabdl 4s", R3("uabdl %0.4s, %1.4h, %2.4h", A, B), 0x000089ab00004df0, 0x00007edd00004566);
    check("smull 2d", R3("smull %0.2d, %1.2s, %2.2s", A, B), 0xffffc4d65d4bb211, 0xff6e5d4c81234567);
    check("umlal2 8h", R3("umlal2 %0.8h, %1.16b, %2.16b", A, B), 0x1937129bfcccfffd, 0xd35718aaec79cd64);
    check("smlsl 4s", R3("smlsl %0.4s, %1.4h, %2.4h", A, B), 0xdeadbeefe4073dfc, 0x55e72aaa33338765);
    check_qc("sqdmull 4s", R3("sqdmull %0.4s, %1.4h, %2.4h", B, B), 0x000000007ffe0002, 0x7fffffff00000002, true);
    check_qc("sqdmlal 2d", R3("sqdmlal %0.2d, %1.2s, %2.2s", A, B), 0xdead489c8596542f, 0x54326543357a579a, false);
    check("pmull 8h", R3("pmull %0.8h, %1.8b, %2.8b", A, B), 0x00000000223b5aa5, 0x0080000000000067);
    check_qc("sqdmull s", R3("sqdmull %s0, %h1, %h2", B, B), 0x000000007ffe0002, 0x0000000000000000, false);
}

static void test_two_reg_misc(void)
{
    check("rev64 8h", R2("rev64 %0.8h, %1.8h", A), 0xcdef89ab45670123, 0x32107654ba98fedc);
    check("rev32 16b", R2("rev32 %0.16b, %1.16b", A), 0x67452301efcdab89, 0x98badcfe10325476);
    check("rev16 8b", R2("rev16 %0.8b, %1.8b", A), 0x23016745ab89efcd, 0x0000000000000000);
    check("cnt", R2("cnt %0.16b, %1.16b", A), 0x0103030503050507, 0x0705050305030301);
    check("cls 8h", R2("cls %0.8h, %1.8h", B), 0x0000000e000f0000, 0x000000070000000f);
    check("clz 4s", R2("clz %0.4s, %1.4s", A), 0x0000000700000000, 0x0000000000000001);
    check("not", R2("not %0.16b, %1.16b", A), 0xfedcba9876543210, 0x0123456789abcdef);
    check("rbit 8b", R2("rbit %0.8b, %1.8b", A), 0x80c4a2e691d5b3f7, 0x0000000000000000);
    check("abs 2d", R2("abs %0.2d, %1.2d", A), 0x0123456789abcdef, 0x0123456789abcdf0);
    check("neg 4s", R2("neg %0.4s, %1.4s", B), 0x7fffffffffff8001, 0x807f00ff80000001);
    check_qc("sqabs 8h", R2("sqabs %0.8h, %1.8h", B), 0x7fff000100007fff, 0x7f8000ff7fff0001, true);
    check_qc("sqneg 16b", R2("sqneg %0.16b, %1.16b", B), 0x7f0000ff00008101, 0x817f01ff81010101, true);
    check("saddlp 4s", R2("saddlp %0.4s, %1.8h", A), 0x0000468affff579a, 0xffffb9740000a864);
    check("uadalp 2d", R2("uadalp %0.2d, %1.4s", A), 0xdeadbef055ce0363, 0x5555aaaba864b974);
    check("cmgt zero 16b", R2("cmgt %0.16b, %1.16b, #0", A), 0xffffffff00000000, 0x00000000ffffffff);
    check("cmle zero 2d", R2("cmle %0.2d, %1.2d, #0", A), 0x0000000000000000, 0xffffffffffffffff);
    check("cmeq zero d", R2("cmeq %d0, %d1, #0", C), 0xffffffffffffffff, 0x0000000000000000);
    check("xtn 8b", R2("xtn %0.8b, %1.8h", A), 0xdc9854102367abef, 0x0000000000000000);
    check("xtn2 8h", R2("xtn2 %0.8h, %1.4s", A), 0xdeadbeefcafef00d, 0xba9832104567cdef);
    check_qc("sqxtn 4h", R2("sqxtn %0.4h, %1.4s", B), 0x7fff7fff80007fff, 0x0000000000000000, true);
    check_qc("uqxtn2 4s", R2("uqxtn2 %0.4s, %1.2d", A), 0xdeadbeefcafef00d, 0xffffffffffffffff, true);
    check_qc("sqxtun 8b", R2("sqxtun %0.8b, %1.8h", A), 0x0000ffffffff0000, 0x0000000000000000, true);
    check_qc("sqxtn b", R2("sqxtn %b0, %h1", A), 0x0000000000000080, 0x0000000000000000, true);
    check("shll 8h", R2("shll %0.8h, %1.8b, #8", A), 0x8900ab00cd00ef00, 0x0100230045006700);
    check_qc("suqadd 4s", R2("suqadd %0.4s, %1.4s", A), 0xdfd1045654aabdfc, 0x7fffffff7fffffff, true);
    check_qc("usqadd 2d", R2("usqadd %0.2d, %1.2d", B), 0x5eadbef0caff700c, 0xd4d6a9abb333cccb, false);
    check("urecpe 4s", R2("urecpe %0.4s, %1.4s", A), 0xffffffffee000000, 0x80800000ffffffff);
}

static void test_across(void)
{
    check("addv b", R2("addv %b0, %1.16b", A), 0x00000000000000f8, 0x0000000000000000);
    check("addv s", R2("addv %s0, %1.4s", A), 0x00000000fffffffe, 0x0000000000000000);
    check("smaxv h", R2("smaxv %h0, %1.4h", A), 0x0000000000004567, 0x0000000000000000);
    check("uminv b", R2("uminv %b0, %1.16b", B), 0x0000000000000000, 0x0000000000000000);
    check("umaxv s", R2("umaxv %s0, %1.4s", B), 0x0000000080000001, 0x0000000000000000);
    check("saddlv 16b", R2("saddlv %h0, %1.16b", A), 0x000000000000fff8, 0x0000000000000000);
    check("uaddlv 4s", R2("uaddlv %d0, %1.4s", A), 0x00000001fffffffe, 0x0000000000000000);
}

static void test_copy_permute(void)
{
    u64 x = HIDE(0x1122334455667788ull);
    u64 r;

    check("dup 4s elt", R2("dup %0.4s, %1.s[3]", A), 0xfedcba98fedcba98, 0xfedcba98fedcba98);
    check("dup 8b elt", R2("dup %0.8b, %1.b[9]", A), 0x3232323232323232, 0x0000000000000000);
    check("dup h scalar", R2("dup %h0, %1.h[6]", A), 0x000000000000ba98, 0x0000000000000000);
    check("dup 8h gen", ({ v2 r_ = D0; __asm__("dup %0.8h, %w1" : "+w"(r_) : "r"(x)); r_; }), 0x7788778877887788, 0x7788778877887788);
    check("dup 2d gen", ({ v2 r_ = D0; __asm__("dup %0.2d, %1" : "+w"(r_) : "r"(x)); r_; }), 0x1122334455667788, 0x1122334455667788);
    check("ins s gen", ({ v2 r_ = D0; __asm__("ins %0.s[2], %w1" : "+w"(r_) : "r"(x)); r_; }), 0xdeadbeefcafef00d, 0x5555aaaa55667788);
    check("ins b elt", R2("ins %0.b[15], %1.b[0]", A), 0xdeadbeefcafef00d, 0xef55aaaa3333cccc);
    check("ins d elt", R2("ins %0.d[0], %1.d[1]", A), 0xfedcba9876543210, 0x5555aaaa3333cccc);
    __asm__("umov %w0, %1.h[7]" : "=r"(r) : "w"(A));
    check64("umov w h[7]", r, 0x000000000000fedcull);
    __asm__("umov %0, %1.d[1]" : "=r"(r) : "w"(B));
    check64("umov x d[1]", r, 0x7f80ff017fffffffull);
    __asm__("smov %0, %1.s[2]" : "=r"(r) : "w"(B));
    check64("smov x s[2]", r, 0x000000007fffffffull);
    __asm__("smov %w0, %1.b[7]" : "=r"(r) : "w"(B));
    check64("smov w b[7]", r, 0x00000000ffffff80ull);
    check("zip1 16b", R3("zip1 %0.16b, %1.16b, %2.16b", A, B), 0x008900ab7fcdffef, 0x8001002300450167);
    check("zip2 4s", R3("zip2 %0.4s, %1.4s, %2.4s", A, B), 0x7fffffff76543210, 0x7f80ff01fedcba98);
    check("uzp1 8h", R3("uzp1 %0.8h, %1.8h, %2.8h", A, B), 0xba9832104567cdef, 0xff01ffff00017fff);
    check("uzp2 8b", R3("uzp2 %0.8b, %1.8b, %2.8b", A, B), 0x8000007f014589cd, 0x0000000000000000);
    check("trn1 2d", R3("trn1 %0.2d, %1.2d, %2.2d", A, B), 0x0123456789abcdef, 0x8000000100007fff);
    check("trn2 16b", R3("trn2 %0.16b, %1.16b, %2.16b", A, B), 0x8001004500897fcd, 0x7ffeffba7f76ff32);
    check("ext 16b #3", R3("ext %0.16b, %1.16b, %2.16b, #3", A, B), 0x5432100123456789, 0x007ffffedcba9876);
    check("ext 8b #7", R3("ext %0.8b, %1.8b, %2.8b, #7", A, B), 0x00000100007fff01, 0x0000000000000000);
    check("tbl 16b 1 reg", R3("tbl %0.16b, {%1.16b}, %2.16b", A, IDX), 0xfedcba9876543210, 0x000000000100cdef);
    check("tbx 8b 1 reg", R3("tbx %0.8b, {%1.16b}, %2.8b", A, IDX), 0xfedcba9876543210, 0x0000000000000000);
}

/* TBL with two and four table registers: v28-v31, wrapping is not tested */
static void test_tbl_multi(void)
{
    v2 r;

    __asm__ volatile("mov v28.16b, %1.16b\n\tmov v29.16b, %2.16b\n\t"
                     "mov v30.16b, %3.16b\n\tmov v31.16b, %4.16b\n\t"
                     "mov %0.16b, %5.16b\n\t"
                     "tbl %0.16b, {v28.16b, v29.16b}, %6.16b"
                     : "=&w"(r) : "w"(A), "w"(B), "w"(C), "w"(D0), "w"(D0), "w"(IDX)
                     : "v28", "v29", "v30", "v31");
    check("tbl 2 regs", r, 0xfedcba9876543210, 0x000000ff017fcdef);
    __asm__ volatile("mov v28.16b, %1.16b\n\tmov v29.16b, %2.16b\n\t"
                     "mov v30.16b, %3.16b\n\tmov v31.16b, %4.16b\n\t"
                     "mov %0.16b, %4.16b\n\t"
                     "tbx %0.16b, {v28.16b, v29.16b, v30.16b, v31.16b}, %5.16b"
                     : "=&w"(r) : "w"(A), "w"(B), "w"(C), "w"(D0), "w"(IDX)
                     : "v28", "v29", "v30", "v31");
    check("tbx 4 regs", r, 0xfedcba9876543210, 0x555500ff017fcdef);
}

static void test_immediate(void)
{
    check("movi 16b", R1("movi %0.16b, #0xa5"), 0xa5a5a5a5a5a5a5a5, 0xa5a5a5a5a5a5a5a5);
    check("movi 4s lsl 16", R1("movi %0.4s, #0x12, lsl #16"), 0x0012000000120000, 0x0012000000120000);
    check("movi 2s msl 8", R1("movi %0.2s, #0x34, msl #8"), 0x000034ff000034ff, 0x0000000000000000);
    check("movi 2d", R1("movi %0.2d, #0xff00ff0000ffff00"), 0xff00ff0000ffff00, 0xff00ff0000ffff00);
    check("movi d", R1("movi %d0, #0x00ff00ff00ff00ff"), 0x00ff00ff00ff00ff, 0x0000000000000000);
    check("mvni 8h", R1("mvni %0.8h, #0x5a, lsl #8"), 0xa5ffa5ffa5ffa5ff, 0xa5ffa5ffa5ffa5ff);
    check("mvni 4s msl 16", R1("mvni %0.4s, #0x7, msl #16"), 0xfff80000fff80000, 0xfff80000fff80000);
    check("orr 4h", R1("orr %0.4h, #0x12"), 0xdebfbeffcafef01f, 0x0000000000000000);
    check("bic 4s", R1("bic %0.4s, #0xff"), 0xdeadbe00cafef000, 0x5555aa003333cc00);
    check("fmov 4s", R1("fmov %0.4s, #-1.25"), 0xbfa00000bfa00000, 0xbfa00000bfa00000);
    check("fmov 2d", R1("fmov %0.2d, #0.5"), 0x3fe0000000000000, 0x3fe0000000000000);
}

static void test_shift_imm(void)
{
    check("shl 4s", R2("shl %0.4s, %1.4s, #4", A), 0x123456709abcdef0, 0xedcba98065432100);
    check("shl d", R2("shl %d0, %d1, #63", A), 0x8000000000000000, 0x0000000000000000);
    check("ushr 16b", R2("ushr %0.16b, %1.16b, #7", A), 0x0000000001010101, 0x0101010100000000);
    check("ushr 2d #64", R2("ushr %0.2d, %1.2d, #64", A), 0x0000000000000000, 0x0000000000000000);
    check("sshr 8h", R2("sshr %0.8h, %1.8h, #15", B), 0xffff000000000000, 0x0000ffff0000ffff);
    check("sshr d #64", R2("sshr %d0, %d1, #64", B), 0xffffffffffffffff, 0x0000000000000000);
    check("ssra 4s", R2("ssra %0.4s, %1.4s, #1", B), 0x9eadbeefcaff300c, 0x95162a2a7333cccb);
    check("usra 2d", R2("usra %0.2d, %1.2d, #32", A), 0xdeadbeefcc223574, 0x5555aaab32108764);
    check("srshr 8b", R2("srshr %0.8b, %1.8b, #2", A), 0x0009111ae2ebf3fc, 0x0000000000000000);
    check("urshr 8h", R2("urshr %0.8h, %1.8h, #16", A), 0x0000000000010001, 0x0001000100000000);
    check("srsra 4h", R2("srsra %0.4h, %1.4h, #3", B), 0xceadbeefcafe000d, 0x0000000000000000);
    check("sri 4s", R2("sri %0.4s, %1.4s, #8", A), 0xde012345ca89abcd, 0x55fedcba33765432);
    check("sli 16b", R2("sli %0.16b, %1.16b, #4", A), 0x1e3d5e7f9abed0fd, 0xe5c5aa8a63432c0c);
    check_qc("sqshl 8h imm", R2("sqshl %0.8h, %1.8h, #4", A), 0x12307fff80008000, 0xedc080007fff7fff, true);
    check_qc("uqshl 4s imm", R2("uqshl %0.4s, %1.4s, #1", A), 0x02468aceffffffff, 0xffffffffeca86420, true);
    check_qc("sqshlu 2d", R2("sqshlu %0.2d, %1.2d, #7", A), 0x91a2b3c4d5e6f780, 0x0000000000000000, true);
    check("shrn 8b", R2("shrn %0.8b, %1.8h, #4", A), 0xeda9652112569ade, 0x0000000000000000);
    check("rshrn2 4s", R2("rshrn2 %0.4s, %1.2d, #32", A), 0xdeadbeefcafef00d, 0xfedcba9801234568);
    check_qc("sqshrn 4h", R2("sqshrn %0.4h, %1.4s, #8", A), 0x80007fff7fff8000, 0x0000000000000000, true);
    check_qc("uqrshrn 8b", R2("uqrshrn %0.8b, %1.8h, #1", A), 0xffffffff92ffffff, 0x0000000000000000, true);
    check_qc("sqshrun 2s", R2("sqshrun %0.2s, %1.2d, #16", A), 0x00000000ffffffff, 0x0000000000000000, true);
    check_qc("sqrshrun h", R2("sqrshrun %h0, %s1, #2", A), 0x0000000000000000, 0x0000000000000000, true);
    check("sshll 8h", R2("sshll %0.8h, %1.8b, #3", A), 0xfc48fd58fe68ff78, 0x0008011802280338);
    check("ushll2 2d", R2("ushll2 %0.2d, %1.4s, #0", A), 0x0000000076543210, 0x00000000fedcba98);
    check("scvtf 4s #16", R2("scvtf %0.4s, %1.4s, #16", A), 0x4391a2b4c6eca864, 0xc391a2b446eca864);
    check("ucvtf 2d #1", R2("ucvtf %0.2d, %1.2d, #1", A), 0x43623456789abcdf, 0x43dfdb97530eca86);
    check("fcvtzs 4s #4", R2("fcvtzs %0.4s, %1.4s, #4", FS), 0xffffffdc00000018, 0x800000007fffffff);
    check("fcvtzu d #2", R2("fcvtzu %d0, %d1, #2", FD), 0x000000000000000c, 0x0000000000000000);
}

static void test_by_element(void)
{
    check("mul 8h elt", R3X("mul %0.8h, %1.8h, %2.h[3]", A, B), 0x8000800080008000, 0x0000000000000000);
    check("mla 4s elt", R3("mla %0.4s, %1.4s, %2.s[0]", A, B), 0x803df988284aa21e, 0xb3c4f012d5e79abc);
    check("mls 4h elt", R3X("mls %0.4h, %1.4h, %2.h[0]", A, B), 0x5fd08456d4a93dfc, 0x0000000000000000);
    check("smull2 2d elt", R3("smull2 %0.2d, %1.4s, %2.s[3]", A, B), 0x3aef64cd4c322210, 0xff6eedcc90ba2298);
    check("umlal 4s elt", R3X("umlal %0.4s, %1.4h, %2.h[7]", A, B), 0x233e696f318f788d, 0x55e6992a55c4994c);
    check_qc("sqdmull 4s elt", R3X("sqdmull %0.4s, %1.4h, %2.h[0]", B, B), 0x000000007ffe0002, 0x800100000000fffe, false);
    check_qc("sqdmulh s elt", R3("sqdmulh %s0, %s1, %2.s[1]", B, B), 0x00000000ffff8001, 0x0000000000000000, false);
    check_qc("sqrdmulh 8h elt", R3X("sqrdmulh %0.8h, %1.8h, %2.h[0]", A, B), 0x0123456689accdef, 0xfedcba9976533210, false);
    check("fmul 4s elt", R3("fmul %0.4s, %1.4s, %2.s[1]", FS, FS), 0x40a20000c0580000, 0x7f800000ff800000);
    check("fmla 2d elt", R3("fmla %0.2d, %1.2d, %2.d[1]", FD, FD), 0xdeadbeefcafef00d, 0x5555aaaa3333cccc);
    check("fmulx s elt", R3("fmulx %s0, %s1, %2.s[2]", FS, FS), 0x000000007f800000, 0x0000000000000000);
}

static void test_fp_vector(void)
{
    fpsr_clear();
    check("fadd 4s", R3("fadd %0.4s, %1.4s, %2.4s", FS, FS2), 0x3fe0000040100000, 0xff8000007f800000);
    check("fsub 2d", R3("fsub %0.2d, %1.2d, %2.2d", FD, FD2), 0x4005555555555555, 0xfe37e43c8800759c);
    check("fmul 2s", R3("fmul %0.2s, %1.2s, %2.2s", FS, FS2), 0xc11000003f900000, 0x0000000000000000);
    check("fdiv 4s", R3("fdiv %0.4s, %1.4s, %2.4s", FS, FS2), 0xbf10000040000000, 0xff8000003fbff2fb);
    check("fmla 4s", R3("fmla %0.4s, %1.4s, %2.4s", FS, FS2), 0xdeadbeefcafef00b, 0xff8000007f800000);
    check("fmls 2d", R3("fmls %0.2d, %1.2d, %2.2d", FD, FD2), 0xdeadbeefcafef00d, 0x7e031cfd3999f7b0);
    check("fmax 4s", R3("fmax %0.4s, %1.4s, %2.4s", FS, FS2), 0x408000003fc00000, 0x000116c27f61b1e6);
    check("fminnm 2d", R3("fminnm %0.2d, %1.2d, %2.2d", FD, FD2), 0x3fd5555555555555, 0xbfb999999999999a);
    check("fabd 4s", R3("fabd %0.4s, %1.4s, %2.4s", FS, FS2), 0x40c800003f400000, 0x7f8000007e966230);
    check("faddp 4s", R3("faddp %0.4s, %1.4s, %2.4s", FS, FS2), 0xff800000bf400000, 0x7f1680ce40980000);
    check("fmaxnmp 2d", R3("fmaxnmp %0.2d, %1.2d, %2.2d", FD, FD2), 0x4008000000000000, 0x7e37e43c8800759c);
    check("fmulx 2d", R3("fmulx %0.2d, %1.2d, %2.2d", FD, FD2), 0x3ff0000000000000, 0xfe031cfd3999f7b0);
    check("frecps 4s", R3("frecps %0.4s, %1.4s, %2.4s", FS, FS2), 0x413000003f600000, 0x7f800000ff800000);
    check("frsqrts 2d", R3("frsqrts %0.2d, %1.2d, %2.2d", FD, FD2), 0x3ff0000000000000, 0x7df31cfd3999f7b0);
    check("fcmeq 4s", R3("fcmeq %0.4s, %1.4s, %2.4s", FS, FS), 0xffffffffffffffff, 0xffffffffffffffff);
    check("fcmgt 2d", R3("fcmgt %0.2d, %1.2d, %2.2d", FD, FD2), 0xffffffffffffffff, 0x0000000000000000);
    check("facge 4s", R3("facge %0.4s, %1.4s, %2.4s", FS, FS2), 0x00000000ffffffff, 0xffffffffffffffff);
    check("fabs 4s", R2("fabs %0.4s, %1.4s", FS), 0x401000003fc00000, 0x7f8000007f61b1e6);
    check("fneg 2d", R2("fneg %0.2d, %1.2d", FD), 0xc008000000000000, 0x3fb999999999999a);
    check("fsqrt 4s", R2("fsqrt %0.4s, %1.4s", FS2), 0x400000003f5db3d7, 0x1e3ce4e75f44499d);
    check("frintn 4s", R2("frintn %0.4s, %1.4s", FS), 0xc000000040000000, 0xff8000007f61b1e6);
    check("frinta 2d", R2("frinta %0.2d, %1.2d", FD), 0x4008000000000000, 0x8000000000000000);
    check("frintm 4s", R2("frintm %0.4s, %1.4s", FS), 0xc04000003f800000, 0xff8000007f61b1e6);
    check("fcvtzs 4s", R2("fcvtzs %0.4s, %1.4s", FS), 0xfffffffe00000001, 0x800000007fffffff);
    check("fcvtau 2d", R2("fcvtau %0.2d, %1.2d", FD), 0x0000000000000003, 0x0000000000000000);
    check("fcvtms 2s", R2("fcvtms %0.2s, %1.2s", FS), 0xfffffffd00000001, 0x0000000000000000);
    check("scvtf 4s", R2("scvtf %0.4s, %1.4s", A), 0x4b91a2b4ceeca864, 0xcb91a2b44eeca864);
    check("ucvtf 2d", R2("ucvtf %0.2d, %1.2d", A), 0x43723456789abcdf, 0x43efdb97530eca86);
    check("frecpe 4s", R2("frecpe %0.4s, %1.4s", FS2), 0x3e7f80003faa8000, 0x7f80000000366000);
    check("frsqrte 2d", R2("frsqrte %0.2d, %1.2d", FD2), 0x3ffbc00000000000, 0x20ca300000000000);
    check("fcmlt zero 4s", R2("fcmlt %0.4s, %1.4s, #0.0", FS), 0xffffffff00000000, 0xffffffff00000000);
    check("fcmge zero 2d", R2("fcmge %0.2d, %1.2d, #0.0", FD), 0xffffffffffffffff, 0x0000000000000000);
    check("fcvtn 4h", R2("fcvtn %0.4h, %1.4s", FS), 0xfc007c00c0803e00, 0x0000000000000000);
    check("fcvtn2 4s", R2("fcvtn2 %0.4s, %1.2d", FD), 0xdeadbeefcafef00d, 0xbdcccccd40400000);
    check("fcvtl 2d", R2("fcvtl %0.2d, %1.2s", FS), 0x3ff8000000000000, 0xc002000000000000);
    check("fcvtl2 4s", R2("fcvtl2 %0.4s, %1.8h", FH), 0x404000007fc00000, 0x3400000080000000);
    check("fcvtxn s", R2("fcvtxn %s0, %d1", FD2), 0x000000003eaaaaab, 0x0000000000000000);
    check("fmaxv", R2("fmaxv %s0, %1.4s", FS), 0x000000007f61b1e6, 0x0000000000000000);
    check("fminnmv", R2("fminnmv %s0, %1.4s", FS2), 0x00000000000116c2, 0x0000000000000000);
    check("faddp d", R2("faddp %d0, %1.2d", FD), 0x4007333333333333, 0x0000000000000000);
    check("fminp s", R2("fminp %s0, %1.2s", FS), 0x00000000c0100000, 0x0000000000000000);
    check("fcmgt s", R3("fcmgt %s0, %s1, %s2", FS, FS2), 0x00000000ffffffff, 0x0000000000000000);
    check("frecpx d", R2("frecpx %d0, %d1", FD), 0x3ff0000000000000, 0x0000000000000000);
    check64("fp vector: cumulative FPSR flags", fpsr_get() & 0x9f, 0x0000000000000015ull);
    fpsr_clear();
}

static void test_fp16(void)
{
    if (!feature_fp16()) {
        for (int i = 0; i < 4; i++) {
            tap_ok(true, "fp16 %d # SKIP FP16 not advertised", i);
        }
        return;
    }
    check("fadd 8h", R3("fadd %0.8h, %1.8h, %2.8h", FH, FH), 0x32667c00c5004000, 0x0004800046007e00);
    check("fmul 4h", R3("fmul %0.4h, %1.4h, %2.4h", FH, FH), 0x211e7c0046403c00, 0x0000000000000000);
    check("fcvtzs 8h", R2("fcvtzs %0.8h, %1.8h", FH), 0x00007ffffffe0001, 0x0000000000030000);
    check("fmaxnmv h", R2("fmaxnmv %h0, %1.8h", FH), 0x0000000000007bff, 0x0000000000000000);
    fpsr_clear();
}

/* Structure loads and stores on an aligned buffer. */
static uint8_t buf[128] __attribute__((aligned(16)));
static uint8_t out[128] __attribute__((aligned(16)));

static u64 rd64(const uint8_t *p)
{
    u64 v;

    memcpy(&v, p, 8);
    return v;
}

static void test_ldst(void)
{
    v2 r0, r1, r2, r3;
    uint8_t *p;

    for (int i = 0; i < 128; i++) {
        buf[i] = (uint8_t)(i * 7 + 1);
    }
    __asm__ volatile("ld1 {%0.16b}, [%1]" : "=w"(r0) : "r"(buf) : "memory");
    check("ld1 1 reg", r0, 0x322b241d160f0801, 0x6a635c554e474039);
    __asm__ volatile("ld2 {v4.8h, v5.8h}, [%2]\n\tmov %0.16b, v4.16b\n\tmov %1.16b, v5.16b"
                     : "=w"(r0), "=w"(r1) : "r"(buf) : "v4", "v5", "memory");
    check("ld2 8h first", r0, 0x5c554039241d0801, 0xccc5b0a9948d7871);
    check("ld2 8h second", r1, 0x6a634e47322b160f, 0xdad3beb7a29b867f);
    __asm__ volatile("ld3 {v4.8b, v5.8b, v6.8b}, [%3]\n\tmov %0.16b, v4.16b\n\t"
                     "mov %1.16b, v5.16b\n\tmov %2.16b, v6.16b"
                     : "=w"(r0), "=w"(r1), "=w"(r2) : "r"(buf) : "v4", "v5", "v6", "memory");
    check("ld3 8b first", r0, 0x947f6a55402b1601, 0x0000000000000000);
    check("ld3 8b third", r2, 0xa28d78634e39240f, 0x0000000000000000);
    __asm__ volatile("ld4 {v4.4s, v5.4s, v6.4s, v7.4s}, [%4]\n\tmov %0.16b, v4.16b\n\t"
                     "mov %1.16b, v5.16b\n\tmov %2.16b, v6.16b\n\tmov %3.16b, v7.16b"
                     : "=w"(r0), "=w"(r1), "=w"(r2), "=w"(r3) : "r"(buf)
                     : "v4", "v5", "v6", "v7", "memory");
    check("ld4 4s first", r0, 0x867f7871160f0801, 0x665f5851f6efe8e1);
    check("ld4 4s fourth", r3, 0xdad3ccc56a635c55, 0xbab3aca54a433c35);
    p = buf;
    __asm__ volatile("ld1 {v4.2d, v5.2d, v6.2d}, [%1], #48\n\tmov %0.16b, v6.16b"
                     : "=w"(r0), "+r"(p) : : "v4", "v5", "v6", "memory");
    check("ld1 3 regs post", r0, 0x120b04fdf6efe8e1, 0x4a433c352e272019);
    check64("ld1 post-index by immediate", (u64)(p - buf), 0x0000000000000030ull);
    p = buf;
    __asm__ volatile("ld1r {%0.8h}, [%1], %2" : "=w"(r0), "+r"(p) : "r"(6ull) : "memory");
    check("ld1r 8h post reg", r0, 0x0801080108010801, 0x0801080108010801);
    check64("ld1r post-index by register", (u64)(p - buf), 0x0000000000000006ull);
    r0 = D0;
    __asm__ volatile("ld1 {%0.s}[2], [%1]" : "+w"(r0) : "r"(buf + 4) : "memory");
    check("ld1 lane s", r0, 0xdeadbeefcafef00d, 0x5555aaaa322b241d);
    __asm__ volatile("ld4r {v4.2s, v5.2s, v6.2s, v7.2s}, [%1]\n\tmov %0.16b, v7.16b"
                     : "=w"(r0) : "r"(buf) : "v4", "v5", "v6", "v7", "memory");
    check("ld4r 2s fourth", r0, 0x6a635c556a635c55, 0x0000000000000000);

    memset(out, 0, sizeof(out));
    __asm__ volatile("st1 {%0.16b}, [%1]" : : "w"(A), "r"(out) : "memory");
    check64("st1 1 reg low", rd64(out) ^ A[0], 0x0000000000000000ull);
    check64("st1 1 reg high", rd64(out + 8) ^ A[1], 0x0000000000000000ull);
    __asm__ volatile("mov v4.16b, %0.16b\n\tmov v5.16b, %1.16b\n\t"
                     "st2 {v4.4s, v5.4s}, [%2]" : : "w"(A), "w"(B), "r"(out)
                     : "v4", "v5", "memory");
    check64("st2 4s word 0", rd64(out), 0x00007fff89abcdefull);
    check64("st2 4s word 3", rd64(out + 24), 0x7f80ff01fedcba98ull);
    memset(out, 0, sizeof(out));
    __asm__ volatile("mov v4.16b, %0.16b\n\tmov v5.16b, %1.16b\n\tmov v6.16b, %2.16b\n\t"
                     "st3 {v4.8b, v5.8b, v6.8b}, [%3]" : : "w"(A), "w"(B), "w"(C), "r"(out)
                     : "v4", "v5", "v6", "memory");
    check64("st3 8b word 0", rd64(out), 0x00ab007fcd00ffefull);
    check64("st3 8b word 2", rd64(out + 16), 0x0080010000230000ull);
    check64("st3 8b nothing past the end", rd64(out + 24), 0x0000000000000000ull);
    p = out;
    __asm__ volatile("mov v4.16b, %1.16b\n\tmov v5.16b, %2.16b\n\t"
                     "st2 {v4.h, v5.h}[5], [%0], #4" : "+r"(p) : "w"(A), "w"(B)
                     : "v4", "v5", "memory");
    check64("st2 lane h", rd64(out), 0x00ab007f7fff7654ull);
    check64("st2 lane post-index", (u64)(p - out), 0x0000000000000004ull);
}

int main(void)
{
    A = MK(HIDE(0x0123456789abcdefull), HIDE(0xfedcba9876543210ull));
    B = MK(HIDE(0x8000000100007fffull), HIDE(0x7f80ff017fffffffull));
    C = MK(HIDE(0ull), HIDE(0x00ff00ff00ff00ffull));
    D0 = MK(HIDE(0xdeadbeefcafef00dull), HIDE(0x5555aaaa3333ccccull));
    /* 1.5, -2.25, 3.0e38, -inf */
    FS = MK(HIDE(0xc01000003fc00000ull), HIDE(0xff8000007f61b1e6ull));
    /* 0.75, 4.0, 2.0e38, 1.0e-40 (subnormal) */
    FS2 = MK(HIDE(0x408000003f400000ull), HIDE(0x000116c27f1680ceull));
    /* 3.0, -0.1 */
    FD = MK(HIDE(0x4008000000000000ull), HIDE(0xbfb999999999999aull));
    /* 1/3, 1.0e300 */
    FD2 = MK(HIDE(0x3fd5555555555555ull), HIDE(0x7e37e43c8800759cull));
    /* 1.0, -2.5, 65504, 0.1, nan, 3.0, -0.0, 1.0e-7 */
    FH = MK(HIDE(0x2e667bffc1003c00ull), HIDE(0x0002800042007e00ull));
    IDX = MK(HIDE(0x0f0e0d0c0b0a0908ull), HIDE(0xfffe2010071f0100ull));
    fpsr_clear();

    test_three_same();
    test_scalar_three_same();
    test_three_different();
    test_two_reg_misc();
    test_across();
    test_copy_permute();
    test_tbl_multi();
    test_immediate();
    test_shift_imm();
    test_by_element();
    test_fp_vector();
    test_fp16();
    test_ldst();
    return tap_done();
}
