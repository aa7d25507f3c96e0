/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tests of the AArch64 floating-point library (target/arm/helper-fp.h):
 * every scalar operation in half, single and double precision over
 * thousands of generated cases (specials, NaN payloads, denormals, edges of
 * the exponent range, ties, integer boundaries) with random FPCR rounding
 * mode, FZ, FZ16, DN and AHP, compared bit for bit, results and FPSR flags,
 * with hashes recorded from the instructions themselves under qemu-aarch64
 * (arm-fp/regen-arm-fp.sh); plus readable hand-checked vectors.
 * TERN_ARM_FP_DUMP="NAME ESZ" prints one operation's cases in the format of
 * "regen-arm-fp.sh dump NAME ESZ" instead, to diff the two.
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>

#define ARMFP_LIB_ONLY
#include "target/arm/helper-fp.h"
#include "target/arm/fpu/fp-host.h"
#include "arm-fp/fp-cases.h"

typedef struct Expected {
    const char *name;
    int esz;
    uint64_t hash[FPC_CASES / FPC_BLOCK];
} Expected;

#ifndef ARM_FP_EXPECTED
#define ARM_FP_EXPECTED "arm-fp/arm-fp-expected.inc"
#endif

static const Expected expected[] = {
#include ARM_FP_EXPECTED
};

static uint64_t neg(int esz, uint64_t v)
{
    return v ^ (1ull << ((8 << esz) - 1));
}

static uint64_t abs_(int esz, uint64_t v)
{
    return v & ~(1ull << ((8 << esz) - 1));
}

static bool is(const FPCaseOp *op, const char *name)
{
    return strcmp(op->name, name) == 0;
}

static uint64_t run_fp2(ARMFPStatus *st, const FPCaseOp *op, int esz, uint64_t a, uint64_t b)
{
    static const struct {
        const char *name;
        uint64_t (*fn)(ARMFPStatus *, int, uint64_t, uint64_t);
    } fns[] = {
        { "fmul", arm_fp_mul }, { "fdiv", arm_fp_div }, { "fadd", arm_fp_add },
        { "fsub", arm_fp_sub }, { "fmax", arm_fp_max }, { "fmin", arm_fp_min },
        { "fmaxnm", arm_fp_maxnum }, { "fminnm", arm_fp_minnum },
        { "fabd", arm_fp_abd }, { "fmulx", arm_fp_mulx }, { "frecps", arm_fp_recps },
        { "frsqrts", arm_fp_rsqrts },
    };

    if (is(op, "fnmul")) {
        return neg(esz, arm_fp_mul(st, esz, a, b));
    }
    for (size_t i = 0; i < G_N_ELEMENTS(fns); i++) {
        if (is(op, fns[i].name)) {
            return fns[i].fn(st, esz, a, b);
        }
    }
    g_assert_not_reached();
}

static uint64_t run_fp1(ARMFPStatus *st, const FPCaseOp *op, int esz, uint64_t a)
{
    static const struct {
        const char *name;
        ARMFPRounding rmode;            /* 99: FPCR */
        bool exact;
        int n;
    } rints[] = {
        { "frintn", ARMFP_RN, false, 0 }, { "frintp", ARMFP_RP, false, 0 },
        { "frintm", ARMFP_RM, false, 0 }, { "frintz", ARMFP_RZ, false, 0 },
        { "frinta", ARMFP_RA, false, 0 }, { "frintx", 99, true, 0 },
        { "frinti", 99, false, 0 },
        { "frint32z", ARMFP_RZ, true, 32 }, { "frint32x", 99, true, 32 },
        { "frint64z", ARMFP_RZ, true, 64 }, { "frint64x", 99, true, 64 },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(rints); i++) {
        if (is(op, rints[i].name)) {
            ARMFPRounding m = rints[i].rmode == 99 ? arm_fp_rmode(st) : rints[i].rmode;

            return rints[i].n ? arm_fp_round_int_n(st, esz, a, m, rints[i].n)
                              : arm_fp_round_int(st, esz, a, m, rints[i].exact);
        }
    }
    if (is(op, "fmov")) {
        return a;
    } else if (is(op, "fabs")) {
        return abs_(esz, a);
    } else if (is(op, "fneg")) {
        return neg(esz, a);
    } else if (is(op, "fsqrt")) {
        return arm_fp_sqrt(st, esz, a);
    } else if (is(op, "frecpe")) {
        return arm_fp_recpe(st, esz, a);
    } else if (is(op, "frsqrte")) {
        return arm_fp_rsqrte(st, esz, a);
    } else if (is(op, "frecpx")) {
        return arm_fp_recpx(st, esz, a);
    }
    g_assert_not_reached();
}

/*
 * One case through the library, as the instruction would compute it, with
 * the FPSR bits "flags" already set (IXC allows the host-FPU fast path)
 */
static void run_case_flags(const FPCaseOp *op, int esz, const FPCase *c, FPResult *r,
                           uint32_t flags)
{
    ARMFPStatus st = { .fpcr = c->fpcr, .flags = flags };
    uint64_t mask = esz == 3 ? ~0ull : (1ull << (8 << esz)) - 1;
    uint64_t a = c->a & mask, b = c->b & mask, x = c->c & mask;
    ARMFPRounding rm = op->rmode < 0 ? arm_fp_rmode(&st) : (ARMFPRounding)op->rmode;
    bool z;

    r->nzcv = 0;
    switch (op->kind) {
    case FPK_FP2:
        r->val = run_fp2(&st, op, esz, a, b);
        break;
    case FPK_FP3:
        if (is(op, "fmsub") || is(op, "fnmadd")) {
            a = neg(esz, a);
        }
        if (is(op, "fnmadd") || is(op, "fnmsub")) {
            x = neg(esz, x);
        }
        r->val = arm_fp_muladd(&st, esz, x, a, b);
        break;
    case FPK_FP1:
        r->val = run_fp1(&st, op, esz, a);
        break;
    case FPK_CMP:
        r->val = 0;
        r->nzcv = arm_fp_compare(&st, esz, a, b, is(op, "fcmpe"));
        break;
    case FPK_CVT:
        if (is(op, "bfcvt")) {
            r->val = arm_fp_to_bf16(&st, (uint32_t)a);
        } else {
            r->val = arm_fp_convert_rmode(&st, op->to, esz, a, rm);
        }
        break;
    case FPK_TOINT:
    case FPK_TOFIX:
        r->val = arm_fp_to_fixed(&st, esz, a, c->fbits, op->uns, op->intbits, rm);
        break;
    case FPK_FROMINT:
    case FPK_FROMFIX:
        r->val = arm_fp_from_fixed(&st, esz, c->a, c->fbits, op->uns, op->intbits, rm);
        break;
    case FPK_JCVT:
        r->val = arm_fp_jcvt(&st, a, &z);
        r->nzcv = z ? 0x4u << 28 : 0;
        break;
    default:
        g_assert_not_reached();
    }
    r->fpsr = st.flags & 0x9f;
}

static void run_case(const FPCaseOp *op, int esz, const FPCase *c, FPResult *r)
{
    run_case_flags(op, esz, c, r, 0);
}

static const Expected *find_expected(const FPCaseOp *op, int esz)
{
    for (size_t i = 0; i < G_N_ELEMENTS(expected); i++) {
        if (!strcmp(expected[i].name, op->name) && expected[i].esz == esz) {
            return &expected[i];
        }
    }
    return NULL;
}

static void test_vectors(gconstpointer data)
{
    const FPCaseOp *op = data;

    for (int esz = 1; esz <= 3; esz++) {
        const Expected *e;

        if (!fpc_has(op, esz)) {
            continue;
        }
        e = find_expected(op, esz);
        g_assert_nonnull(e);
        for (uint32_t blk = 0; blk < FPC_CASES / FPC_BLOCK; blk++) {
            uint64_t h = 0;

            for (uint32_t k = blk * FPC_BLOCK; k < (blk + 1) * FPC_BLOCK; k++) {
                FPCase c;
                FPResult r;

                fpc_case(op, esz, k, &c);
                run_case(op, esz, &c, &r);
                h = fpc_hash(h, &r);
            }
            if (h != e->hash[blk]) {
                g_test_message("%s esz %d: cases %u..%u differ from the reference; compare "
                               "TERN_ARM_FP_DUMP=\"%s %d\" with regen-arm-fp.sh dump %s %d",
                               op->name, esz, blk * FPC_BLOCK, (blk + 1) * FPC_BLOCK - 1,
                               op->name, esz, op->name, esz);
                g_test_fail();
                break;
            }
        }
    }
}

static int dump(const char *spec)
{
    char name[32];
    int esz;

    if (sscanf(spec, "%31s %d", name, &esz) != 2) {
        fprintf(stderr, "TERN_ARM_FP_DUMP: expected \"NAME ESZ\"\n");
        return 1;
    }
    for (size_t i = 0; i < FPC_N_OPS; i++) {
        const FPCaseOp *op = &fpc_ops[i];

        if (strcmp(op->name, name) || !fpc_has(op, esz)) {
            continue;
        }
        for (uint32_t k = 0; k < FPC_CASES; k++) {
            FPCase c;
            FPResult r;

            fpc_case(op, esz, k, &c);
            run_case(op, esz, &c, &r);
            printf("%u fpcr=%08x a=%016llx b=%016llx c=%016llx f=%d -> %016llx fpsr=%02x nzcv=%x\n",
                   k, c.fpcr, (unsigned long long)c.a, (unsigned long long)c.b,
                   (unsigned long long)c.c, c.fbits, (unsigned long long)r.val,
                   r.fpsr, r.nzcv >> 28);
        }
    }
    return 0;
}

/* ---- hand-checked vectors ---- */

#define RN_FPCR 0u
#define FZ (1u << 24)
#define DN (1u << 25)
#define AHP (1u << 26)
#define FZ16 (1u << 19)
#define RMODE(m) ((uint32_t)(m) << 22)

typedef struct Known {
    uint64_t (*fn)(ARMFPStatus *, int, uint64_t, uint64_t);
    int esz;
    uint32_t fpcr;
    uint64_t a, b, want;
    uint32_t flags;
    const char *what;
} Known;

static void test_known_arith(void)
{
    static const Known k[] = {
        { arm_fp_add, ARMFP_D, 0, 0x3ff8000000000000ull, 0x4002000000000000ull,
          0x400e000000000000ull, 0, "1.5 + 2.25" },
        { arm_fp_add, ARMFP_D, 0, 0x3fb999999999999aull, 0x3fc999999999999aull,
          0x3fd3333333333334ull, ARMFP_FPSR_IXC, "0.1 + 0.2" },
        { arm_fp_sub, ARMFP_D, RMODE(ARMFP_RM), 0x3ff0000000000000ull, 0x3ff0000000000000ull,
          0x8000000000000000ull, 0, "1 - 1 rounding down is -0" },
        { arm_fp_div, ARMFP_S, 0, 0x3f800000, 0x40400000, 0x3eaaaaab, ARMFP_FPSR_IXC, "1/3" },
        { arm_fp_div, ARMFP_D, 0, 0x3ff0000000000000ull, 0, 0x7ff0000000000000ull,
          ARMFP_FPSR_DZC, "1 / 0" },
        { arm_fp_div, ARMFP_D, 0, 0, 0, 0x7ff8000000000000ull, ARMFP_FPSR_IOC, "0 / 0" },
        { arm_fp_add, ARMFP_D, 0, 0x7ff4000000000001ull, 0x3ff0000000000000ull,
          0x7ffc000000000001ull, ARMFP_FPSR_IOC, "SNaN quietened" },
        { arm_fp_add, ARMFP_D, DN, 0x7ff4000000000001ull, 0x3ff0000000000000ull,
          0x7ff8000000000000ull, ARMFP_FPSR_IOC, "SNaN with DN" },
        { arm_fp_add, ARMFP_S, 0, 0x7fc00001, 0x7f800002, 0x7fc00002, ARMFP_FPSR_IOC,
          "SNaN beats an earlier QNaN" },
        { arm_fp_mul, ARMFP_D, 0, 0x7fefffffffffffffull, 0x4000000000000000ull,
          0x7ff0000000000000ull, ARMFP_FPSR_OFC | ARMFP_FPSR_IXC, "overflow" },
        { arm_fp_mul, ARMFP_D, RMODE(ARMFP_RZ), 0x7fefffffffffffffull, 0x4000000000000000ull,
          0x7fefffffffffffffull, ARMFP_FPSR_OFC | ARMFP_FPSR_IXC, "overflow toward zero" },
        { arm_fp_div, ARMFP_D, 0, 0x0010000000000000ull, 0x4000000000000000ull,
          0x0008000000000000ull, 0, "exact denormal: no UFC" },
        { arm_fp_div, ARMFP_D, FZ, 0x0010000000000000ull, 0x4000000000000000ull,
          0, ARMFP_FPSR_UFC, "FZ flushes a denormal result" },
        { arm_fp_mul, ARMFP_S, FZ, 0x00000001, 0x3f800000, 0, ARMFP_FPSR_IDC,
          "FZ flushes a denormal input" },
        { arm_fp_mul, ARMFP_S, 0, 0x00ffffff, 0x3f000000, 0x00800000,
          ARMFP_FPSR_UFC | ARMFP_FPSR_IXC, "tiny before rounding: UFC though it rounds normal" },
        { arm_fp_max, ARMFP_D, 0, 0, 0x8000000000000000ull, 0, 0, "max(+0, -0)" },
        { arm_fp_min, ARMFP_D, 0, 0, 0x8000000000000000ull, 0x8000000000000000ull, 0,
          "min(+0, -0)" },
        { arm_fp_maxnum, ARMFP_S, 0, 0x7fc00000, 0x3f800000, 0x3f800000, 0,
          "maxnm ignores one QNaN" },
        { arm_fp_max, ARMFP_S, 0, 0x7fc00000, 0x3f800000, 0x7fc00000, 0, "max keeps QNaN" },
        { arm_fp_add, ARMFP_H, 0, 0x3c00, 0x3c00, 0x4000, 0, "half 1 + 1" },
        { arm_fp_mul, ARMFP_H, 0, 0x7bff, 0x4000, 0x7c00, ARMFP_FPSR_OFC | ARMFP_FPSR_IXC,
          "half overflow" },
        { arm_fp_mulx, ARMFP_S, 0, 0xff800000, 0x00000000, 0xc0000000, 0, "mulx -inf * 0" },
        { arm_fp_recps, ARMFP_S, 0, 0x40000000, 0x3f000000, 0x3f800000, 0, "recps 2-2*0.5" },
        { arm_fp_rsqrts, ARMFP_S, 0, 0x3f800000, 0x3f800000, 0x3f800000, 0, "rsqrts (3-1)/2" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(k); i++) {
        ARMFPStatus st = { .fpcr = k[i].fpcr };
        uint64_t r = k[i].fn(&st, k[i].esz, k[i].a, k[i].b);

        if (r != k[i].want || st.flags != k[i].flags) {
            g_test_message("%s: got %llx flags %x, want %llx flags %x", k[i].what,
                           (unsigned long long)r, st.flags,
                           (unsigned long long)k[i].want, k[i].flags);
            g_test_fail();
        }
    }
}

static void test_known_fused(void)
{
    ARMFPStatus st = { 0 };

    /* 0.1 * 10 - 1 is 2^-54 when fused, 0 when rounded twice */
    g_assert_cmphex(arm_fp_muladd(&st, ARMFP_D, 0xbff0000000000000ull, 0x3fb999999999999aull,
                                  0x4024000000000000ull), ==, 0x3c90000000000000ull);
    g_assert_cmphex(st.flags, ==, 0);
    /* QNaN addend with inf * 0: the default NaN and IOC */
    g_assert_cmphex(arm_fp_muladd(&st, ARMFP_S, 0x7fc00005, 0x7f800000, 0), ==, 0x7fc00000);
    g_assert_cmphex(st.flags, ==, ARMFP_FPSR_IOC);
    st.flags = 0;
    g_assert_cmphex(arm_fp_sqrt(&st, ARMFP_D, 0x4000000000000000ull), ==, 0x3ff6a09e667f3bcdull);
    g_assert_cmphex(st.flags, ==, ARMFP_FPSR_IXC);
    st.flags = 0;
    g_assert_cmphex(arm_fp_sqrt(&st, ARMFP_S, 0xbf800000), ==, 0x7fc00000);
    g_assert_cmphex(st.flags, ==, ARMFP_FPSR_IOC);
    g_assert_cmphex(arm_fp_sqrt(&st, ARMFP_S, 0x80000000), ==, 0x80000000);
}

static void test_known_convert(void)
{
    ARMFPStatus st = { 0 };

    g_assert_cmphex(arm_fp_convert(&st, ARMFP_S, ARMFP_D, 0x3fb999999999999aull), ==, 0x3dcccccd);
    g_assert_cmphex(arm_fp_convert(&st, ARMFP_D, ARMFP_S, 0x3dcccccd), ==, 0x3fb99999a0000000ull);
    g_assert_cmphex(arm_fp_convert(&st, ARMFP_D, ARMFP_S, 0x7f800001), ==, 0x7ff8000020000000ull);
    g_assert_cmphex(st.flags, ==, ARMFP_FPSR_IXC | ARMFP_FPSR_IOC);
    /* alternative half precision: no infinities, 65504 < 131008 representable */
    st = (ARMFPStatus){ .fpcr = AHP };
    g_assert_cmphex(arm_fp_convert(&st, ARMFP_H, ARMFP_S, 0x477fe000), ==, 0x7bff);
    g_assert_cmphex(arm_fp_convert(&st, ARMFP_H, ARMFP_S, 0x47ffe000), ==, 0x7fff);
    g_assert_cmphex(st.flags, ==, 0);
    g_assert_cmphex(arm_fp_convert(&st, ARMFP_H, ARMFP_S, 0x7f800000), ==, 0x7fff);
    g_assert_cmphex(st.flags, ==, ARMFP_FPSR_IOC);
    g_assert_cmphex(arm_fp_convert(&st, ARMFP_S, ARMFP_H, 0x7c00), ==, 0x47800000);
    st = (ARMFPStatus){ 0 };
    g_assert_cmphex(arm_fp_convert_rmode(&st, ARMFP_S, ARMFP_D, 0x3ff0000000000001ull, ARMFP_RO),
                    ==, 0x3f800001);
    /* to integers: ties, saturation, NaN */
    g_assert_cmphex(arm_fp_to_fixed(&st, ARMFP_D, 0x4004000000000000ull, 0, false, 64, ARMFP_RA),
                    ==, 3);
    g_assert_cmphex(arm_fp_to_fixed(&st, ARMFP_D, 0x4004000000000000ull, 0, false, 64, ARMFP_RN),
                    ==, 2);
    st.flags = 0;
    g_assert_cmphex(arm_fp_to_fixed(&st, ARMFP_D, 0x4415af1d78b58c40ull, 0, false, 64, ARMFP_RZ),
                    ==, INT64_MAX);
    g_assert_cmphex(st.flags, ==, ARMFP_FPSR_IOC);
    g_assert_cmphex(arm_fp_to_fixed(&st, ARMFP_D, 0xc1e0000000200000ull, 0, false, 32, ARMFP_RZ),
                    ==, 0x80000000);
    g_assert_cmphex(arm_fp_to_fixed(&st, ARMFP_S, 0x7fc00000, 0, true, 32, ARMFP_RZ), ==, 0);
    g_assert_cmphex(arm_fp_to_fixed(&st, ARMFP_S, 0x3f400000, 4, false, 32, ARMFP_RZ), ==, 12);
    g_assert_cmphex(arm_fp_from_fixed(&st, ARMFP_D, ~0ull, 0, true, 64, ARMFP_RN), ==,
                    0x43f0000000000000ull);
    g_assert_cmphex(arm_fp_from_fixed(&st, ARMFP_S, 16777217, 0, false, 32, ARMFP_RN), ==,
                    0x4b800000);
    g_assert_cmphex(arm_fp_from_fixed(&st, ARMFP_D, 0xfffffffb, 0, false, 32, ARMFP_RN), ==,
                    0xc014000000000000ull);
    g_assert_cmphex(arm_fp_from_fixed(&st, ARMFP_S, 3, 1, false, 32, ARMFP_RN), ==, 0x3fc00000);
    /* rounding to integral */
    g_assert_cmphex(arm_fp_round_int(&st, ARMFP_D, 0x4004000000000000ull, ARMFP_RN, false), ==,
                    0x4000000000000000ull);
    g_assert_cmphex(arm_fp_round_int(&st, ARMFP_D, 0xbff8000000000000ull, ARMFP_RM, false), ==,
                    0xc000000000000000ull);
    g_assert_cmphex(arm_fp_round_int(&st, ARMFP_D, 0xbfe0000000000000ull, ARMFP_RP, false), ==,
                    0x8000000000000000ull);
    st.flags = 0;
    g_assert_cmphex(arm_fp_round_int_n(&st, ARMFP_S, 0x4f000000, ARMFP_RZ, 32), ==, 0xcf000000);
    g_assert_cmphex(st.flags, ==, ARMFP_FPSR_IOC);
}

static void test_known_misc(void)
{
    ARMFPStatus st = { 0 };
    bool z;

    g_assert_cmphex(arm_fp_compare(&st, ARMFP_D, 0x3ff0000000000000ull, 0x4000000000000000ull,
                                   false), ==, 0x8u << 28);
    g_assert_cmphex(arm_fp_compare(&st, ARMFP_D, 0x8000000000000000ull, 0, false), ==,
                    0x6u << 28);
    g_assert_cmphex(st.flags, ==, 0);
    g_assert_cmphex(arm_fp_compare(&st, ARMFP_S, 0x7fc00000, 0, false), ==, 0x3u << 28);
    g_assert_cmphex(st.flags, ==, 0);
    g_assert_cmphex(arm_fp_compare(&st, ARMFP_S, 0x7fc00000, 0, true), ==, 0x3u << 28);
    g_assert_cmphex(st.flags, ==, ARMFP_FPSR_IOC);
    g_assert_true(arm_fp_compare_ge(&st, ARMFP_H, 0x3c00, 0x3c00));
    g_assert_false(arm_fp_compare_gt(&st, ARMFP_H, 0x3c00, 0x3c00));
    g_assert_false(arm_fp_compare_eq(&st, ARMFP_H, 0x7e00, 0x7e00));

    g_assert_cmphex(arm_fp_expand_imm(ARMFP_D, 0x04), ==, 0x4004000000000000ull);  /* 2.5 */
    g_assert_cmphex(arm_fp_expand_imm(ARMFP_S, 0x70), ==, 0x3f800000);             /* 1.0 */
    g_assert_cmphex(arm_fp_expand_imm(ARMFP_H, 0xf0), ==, 0xbc00);                 /* -1.0 */
    g_assert_cmphex(arm_fp_default_nan(ARMFP_H), ==, 0x7e00);
    g_assert_true(arm_fp_is_nan(ARMFP_S, 0xff800001));
    g_assert_false(arm_fp_is_nan(ARMFP_S, 0xff800000));

    st.flags = 0;
    g_assert_cmphex(arm_fp_jcvt(&st, 0xc00d99999999999aull, &z), ==, (uint32_t)-3);
    g_assert_false(z);
    g_assert_cmphex(st.flags, ==, ARMFP_FPSR_IXC);
    g_assert_cmphex(arm_fp_jcvt(&st, 0x41f0000000000005ull, &z), ==, 0);   /* 2^32 + small */
    g_assert_false(z);
    g_assert_cmphex(arm_fp_jcvt(&st, 0x4045000000000000ull, &z), ==, 42);
    g_assert_true(z);

    g_assert_cmphex(arm_fp_recpe(&st, ARMFP_S, 0x40000000), ==, 0x3eff8000);
    g_assert_cmphex(arm_fp_rsqrte(&st, ARMFP_S, 0x40800000), ==, 0x3eff8000);
    g_assert_cmphex(arm_fp_recpx(&st, ARMFP_S, 0x40400000), ==, 0x3f800000);
    g_assert_cmphex(arm_fp_urecpe(0x80000000), ==, 0xff800000);
    g_assert_cmphex(arm_fp_urecpe(0x7fffffff), ==, 0xffffffff);
    g_assert_cmphex(arm_fp_ursqrte(0x3fffffff), ==, 0xffffffff);
    g_assert_cmphex(arm_fp_to_bf16(&st, 0x3f808000), ==, 0x3f80);          /* tie to even */
}


/*
 * The host-FPU fast path (fpu/fp-host.h). With FPSR.IXC already set the
 * library may compute on the host; every result and every other flag must
 * be what the software path gives with IXC clear (checked against QEMU by
 * the vectors above), so each reference case runs both ways.
 */
static void test_host_vectors(void)
{
    unsigned fast = 0;

    for (size_t i = 0; i < FPC_N_OPS; i++) {
        const FPCaseOp *op = &fpc_ops[i];

        for (int esz = 1; esz <= 3; esz++) {
            if (!fpc_has(op, esz)) {
                continue;
            }
            for (uint32_t k = 0; k < FPC_CASES; k++) {
                FPCase c;
                FPResult soft, host;

                fpc_case(op, esz, k, &c);
                run_case_flags(op, esz, &c, &soft, 0);
                run_case_flags(op, esz, &c, &host, ARMFP_FPSR_IXC);
                if (soft.val != host.val || (soft.fpsr | ARMFP_FPSR_IXC) != host.fpsr ||
                    soft.nzcv != host.nzcv) {
                    g_test_message("%s esz %d case %u: fpcr %08x a %016" G_GINT64_MODIFIER
                                   "x b %016" G_GINT64_MODIFIER "x c %016" G_GINT64_MODIFIER
                                   "x: %016" G_GINT64_MODIFIER "x/%02x with IXC set, %016"
                                   G_GINT64_MODIFIER "x/%02x without",
                                   op->name, esz, k, c.fpcr, c.a, c.b, c.c, host.val,
                                   host.fpsr, soft.val, soft.fpsr);
                    g_test_fail();
                    return;
                }
                fast += (c.fpcr & ARMFP_FPCR_RMODE_MASK) == 0;
            }
        }
    }
    g_assert_cmpuint(fast, >, 0);
}

/* A normal, zero, denormal, infinity or NaN with exponents near every edge */
static uint64_t host_operand(GRand *rng, int esz)
{
    bool d = esz == ARMFP_D;
    int fbits = d ? 52 : 23, emax = d ? 0x7ff : 0xff, bias = d ? 1023 : 127;
    uint64_t frac = ((uint64_t)g_rand_int(rng) << 32 | g_rand_int(rng)) &
                    ((1ull << fbits) - 1);
    uint64_t sign = (uint64_t)g_rand_boolean(rng) << (fbits + (d ? 11 : 8));
    int64_t e;

    switch (g_rand_int_range(rng, 0, 16)) {
    case 0:
        return sign;                                    /* zero */
    case 1:
        return sign | frac;                             /* denormal (or zero) */
    case 2:
        return sign | (uint64_t)emax << fbits | (frac & -(uint64_t)g_rand_boolean(rng));
    case 3:
        e = g_rand_int_range(rng, 1, 4);                /* just above the normals' floor */
        break;
    case 4:
        e = g_rand_int_range(rng, emax - 3, emax);      /* near overflow */
        break;
    case 5:
        frac &= ~(uint64_t)0 << g_rand_int_range(rng, 0, fbits + 1);   /* short */
        e = g_rand_int_range(rng, bias - 30, bias + 30);
        break;
    case 6:
        e = g_rand_int_range(rng, bias / 2 - 4, bias / 2 + 4);   /* products near the floor */
        break;
    default:
        e = g_rand_int_range(rng, bias - 60, bias + 60);
        break;
    }
    return sign | (uint64_t)e << fbits | frac;
}

typedef uint64_t HostOpFn(ARMFPStatus *, int, uint64_t, uint64_t);

/*
 * Random operands aimed at the edges of the fast path (results near the
 * smallest normal and the largest finite number, exact and inexact, zero
 * results, special inputs) under every FPCR: both paths must agree, and
 * the fast path must actually be taken. Then the host compare of FCMP.
 */
static void test_host_random(void)
{
    static const struct {
        const char *name;
        HostOpFn *fn;
        int hop;
    } ops[] = {
        { "add", arm_fp_add, FP_HOST_ADD }, { "sub", arm_fp_sub, FP_HOST_SUB },
        { "mul", arm_fp_mul, FP_HOST_MUL }, { "div", arm_fp_div, FP_HOST_DIV },
        { "muladd", NULL, -1 }, { "sqrt", NULL, -2 },
    };
    GRand *rng = g_rand_new_with_seed(4242);
    unsigned taken[G_N_ELEMENTS(ops)] = { 0 }, taken_cmp = 0;

    for (int iter = 0; iter < 400000; iter++) {
        int esz = g_rand_boolean(rng) ? ARMFP_D : ARMFP_S;
        size_t oi = (size_t)g_rand_int_range(rng, 0, G_N_ELEMENTS(ops));
        uint32_t fpcr = g_rand_int_range(rng, 0, 4) == 0 ? g_rand_int(rng) & 0x07c80000u : 0;
        uint64_t a = host_operand(rng, esz), b = host_operand(rng, esz);
        uint64_t c = host_operand(rng, esz);
        uint64_t rs, rh, probe = 0;
        ARMFPStatus soft = { .fpcr = fpcr }, host = { .fpcr = fpcr, .flags = ARMFP_FPSR_IXC };
        bool fast;

        if (ops[oi].hop == -1 && g_rand_boolean(rng)) {
            /* aim at cancellation: c close to -(a * b) */
            ARMFPStatus t = { 0 };

            c = arm_fp_mul(&t, esz, a, b) ^ (esz == ARMFP_D ? 1ull << 63 : 1ull << 31);
            c ^= g_rand_int_range(rng, 0, 4);
        }
        if (ops[oi].hop >= 0) {
            fast = fp_host_allowed(&host) && fp_host_2op(esz, ops[oi].hop, a, b, &probe);
            rs = ops[oi].fn(&soft, esz, a, b);
            rh = ops[oi].fn(&host, esz, a, b);
        } else if (ops[oi].hop == -1) {
            fast = fp_host_allowed(&host) && fp_host_muladd(esz, c, a, b, &probe);
            rs = arm_fp_muladd(&soft, esz, c, a, b);
            rh = arm_fp_muladd(&host, esz, c, a, b);
        } else {
            fast = fp_host_allowed(&host) && fp_host_sqrt(esz, a, &probe);
            rs = arm_fp_sqrt(&soft, esz, a);
            rh = arm_fp_sqrt(&host, esz, a);
        }
        if (rs != rh || (soft.flags | ARMFP_FPSR_IXC) != host.flags || (fast && probe != rs)) {
            g_test_message("%s esz %d fpcr %08x a %016" G_GINT64_MODIFIER "x b %016"
                           G_GINT64_MODIFIER "x c %016" G_GINT64_MODIFIER "x: soft %016"
                           G_GINT64_MODIFIER "x/%02x, with IXC %016" G_GINT64_MODIFIER
                           "x/%02x (fast path %s)", ops[oi].name, esz, fpcr, a, b, c, rs,
                           soft.flags, rh, host.flags, fast ? "taken" : "not taken");
            g_test_fail();
            break;
        }
        taken[oi] += fast;
    }
    /* FCMP/FCMPE of ordinary values: no flags, any FPCR */
    for (int iter = 0; iter < 100000; iter++) {
        int esz = g_rand_boolean(rng) ? ARMFP_D : ARMFP_S;
        uint64_t a = host_operand(rng, esz);
        uint64_t b = g_rand_int_range(rng, 0, 4) ? host_operand(rng, esz)
                                                 : a ^ (esz == 3 ? 1ull << 63 : 1u << 31);
        ARMFPStatus soft = { .fpcr = g_rand_int(rng) & 0x07c80000u };
        bool signal = g_rand_boolean(rng);
        uint32_t nzcv, want = arm_fp_compare(&soft, esz, a, b, signal);

        if (fp_host_compare(esz, a, b, &nzcv)) {
            if (nzcv != want || soft.flags) {
                g_test_message("fcmp esz %d fpcr %08x a %016" G_GINT64_MODIFIER "x b %016"
                               G_GINT64_MODIFIER "x: %08x, soft %08x flags %02x", esz,
                               soft.fpcr, a, b, nzcv, want, soft.flags);
                g_test_fail();
                break;
            }
            taken_cmp++;
        }
    }
    g_assert_cmpuint(taken_cmp, >, 10000);
    for (size_t i = 0; i < G_N_ELEMENTS(ops); i++) {
        if (ops[i].hop == -1 && !fp_host_has_fma()) {
            continue;
        }
        g_assert_cmpuint(taken[i], >, 1000);
    }
    g_rand_free(rng);
}

/* The edges by hand: each must leave the fast path and get Arm's flags */
static void test_host_boundaries(void)
{
    const uint32_t ixc = ARMFP_FPSR_IXC, fz = ARMFP_FPCR_FZ;
    const uint32_t rp = (uint32_t)ARMFP_RP << ARMFP_FPCR_RMODE_SHIFT;
    ARMFPStatus st;
    uint64_t r;

    /* a normal result: taken, same value as software */
    st = (ARMFPStatus){ 0, ixc };
    g_assert_true(fp_host_2op(ARMFP_D, FP_HOST_DIV, 0x3ff0000000000000ull,
                              0x4008000000000000ull, &r));
    g_assert_cmphex(r, ==, 0x3fd5555555555555ull);                  /* 1/3 */
    /* IXC clear: the software path, which sets it */
    st = (ARMFPStatus){ 0, 0 };
    g_assert_cmphex(arm_fp_div(&st, ARMFP_D, 0x3ff0000000000000ull, 0x4008000000000000ull),
                    ==, 0x3fd5555555555555ull);
    g_assert_cmphex(st.flags, ==, ixc);
    /* FPCR not round-to-nearest: never the host (1/3 rounds up under RP) */
    st = (ARMFPStatus){ rp, ixc };
    g_assert_false(fp_host_allowed(&st));
    g_assert_cmphex(arm_fp_div(&st, ARMFP_D, 0x3ff0000000000000ull, 0x4008000000000000ull),
                    ==, 0x3fd5555555555556ull);
    /* an exact denormal result: no flag, declined by the host check */
    g_assert_false(fp_host_2op(ARMFP_D, FP_HOST_MUL, 0x0010000000000000ull,
                               0x3fe0000000000000ull, &r));
    st = (ARMFPStatus){ 0, ixc };
    g_assert_cmphex(arm_fp_mul(&st, ARMFP_D, 0x0010000000000000ull, 0x3fe0000000000000ull),
                    ==, 0x0008000000000000ull);
    g_assert_cmphex(st.flags, ==, ixc);
    /* the same under FZ: flushed, UFC */
    st = (ARMFPStatus){ fz, ixc };
    g_assert_cmphex(arm_fp_mul(&st, ARMFP_D, 0x0010000000000000ull, 0x3fe0000000000000ull),
                    ==, 0);
    g_assert_cmphex(st.flags, ==, ixc | ARMFP_FPSR_UFC);
    /* rounds up to the smallest normal but was tiny before rounding: UFC */
    g_assert_false(fp_host_2op(ARMFP_D, FP_HOST_MUL, 0x0010000000000000ull,
                               0x3fefffffffffffffull, &r));
    st = (ARMFPStatus){ 0, ixc };
    g_assert_cmphex(arm_fp_mul(&st, ARMFP_D, 0x0010000000000000ull, 0x3fefffffffffffffull),
                    ==, 0x0010000000000000ull);
    g_assert_cmphex(st.flags, ==, ixc | ARMFP_FPSR_UFC);
    g_assert_false(fp_host_2op(ARMFP_S, FP_HOST_MUL, 0x00800000, 0x3f7fffff, &r));
    st = (ARMFPStatus){ 0, ixc };
    g_assert_cmphex(arm_fp_mul(&st, ARMFP_S, 0x00800000, 0x3f7fffff), ==, 0x00800000);
    g_assert_cmphex(st.flags, ==, ixc | ARMFP_FPSR_UFC);
    /* overflow: declined, OFC */
    g_assert_false(fp_host_2op(ARMFP_D, FP_HOST_ADD, 0x7fefffffffffffffull,
                               0x7fefffffffffffffull, &r));
    st = (ARMFPStatus){ 0, ixc };
    g_assert_cmphex(arm_fp_add(&st, ARMFP_D, 0x7fefffffffffffffull, 0x7fefffffffffffffull),
                    ==, 0x7ff0000000000000ull);
    g_assert_cmphex(st.flags, ==, ixc | ARMFP_FPSR_OFC);
    /* NaN and denormal inputs: declined (default NaN, IDC under FZ) */
    g_assert_false(fp_host_2op(ARMFP_S, FP_HOST_ADD, 0x7f800001, 0x3f800000, &r));
    st = (ARMFPStatus){ ARMFP_FPCR_DN, ixc };
    g_assert_cmphex(arm_fp_add(&st, ARMFP_S, 0x7f800001, 0x3f800000), ==, 0x7fc00000);
    g_assert_cmphex(st.flags, ==, ixc | ARMFP_FPSR_IOC);
    g_assert_false(fp_host_2op(ARMFP_S, FP_HOST_ADD, 0x00000001, 0x3f800000, &r));
    st = (ARMFPStatus){ fz, ixc };
    g_assert_cmphex(arm_fp_add(&st, ARMFP_S, 0x00000001, 0x3f800000), ==, 0x3f800000);
    g_assert_cmphex(st.flags, ==, ixc | ARMFP_FPSR_IDC);
    /* division by zero and 0/0: declined (DZC, IOC) */
    g_assert_false(fp_host_2op(ARMFP_D, FP_HOST_DIV, 0x3ff0000000000000ull, 0, &r));
    g_assert_false(fp_host_2op(ARMFP_D, FP_HOST_DIV, 0, 0, &r));
    /* exact zeros: taken, with Arm's signs */
    g_assert_true(fp_host_2op(ARMFP_D, FP_HOST_SUB, 0x3ff0000000000000ull,
                              0x3ff0000000000000ull, &r));
    g_assert_cmphex(r, ==, 0);
    g_assert_true(fp_host_2op(ARMFP_D, FP_HOST_MUL, 0x8000000000000000ull,
                              0x3ff0000000000000ull, &r));
    g_assert_cmphex(r, ==, 0x8000000000000000ull);
    /* a product that underflows to zero: declined, UFC */
    g_assert_false(fp_host_2op(ARMFP_D, FP_HOST_MUL, 0x0010000000000000ull,
                               0x0010000000000000ull, &r));
    /* sqrt of a negative: declined, IOC */
    g_assert_false(fp_host_sqrt(ARMFP_D, 0xbff0000000000000ull, &r));
    g_assert_true(fp_host_sqrt(ARMFP_D, 0x8000000000000000ull, &r));
    g_assert_cmphex(r, ==, 0x8000000000000000ull);
    if (fp_host_has_fma()) {
        /*
         * c + a * b cancelling to 2^-1124, below the denormals: the host
         * gives +0, Arm also flags UFC and IXC, so it is declined.
         */
        uint64_t c = 0x0030000000000000ull;                 /* 2^-1020 */
        uint64_t a = 0x3ff0000000000001ull;                 /* 1 + 2^-52 */
        uint64_t b = 0x802ffffffffffffeull;                 /* -2^-1020 (1 - 2^-52) */

        g_assert_false(fp_host_muladd(ARMFP_D, c, a, b, &r));
        st = (ARMFPStatus){ 0, 0 };
        r = arm_fp_muladd(&st, ARMFP_D, c, a, b);
        st = (ARMFPStatus){ 0, ixc };
        g_assert_cmphex(arm_fp_muladd(&st, ARMFP_D, c, a, b), ==, r);
        g_assert_true(st.flags & ARMFP_FPSR_UFC);
        /* one rounding: (1 + 2^-52)(1 + 2^-51) - 1 keeps the 2^-103 term */
        g_assert_true(fp_host_muladd(ARMFP_D, 0xbff0000000000000ull, a,
                                     0x3ff0000000000002ull, &r));
        g_assert_cmphex(r, ==, 0x3cc8000000000001ull);
    }
}

int main(int argc, char **argv)
{
    const char *spec = getenv("TERN_ARM_FP_DUMP");

    if (spec) {
        return dump(spec);
    }
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/arm-fp/known/arith", test_known_arith);
    g_test_add_func("/arm-fp/known/fused", test_known_fused);
    g_test_add_func("/arm-fp/known/convert", test_known_convert);
    g_test_add_func("/arm-fp/known/misc", test_known_misc);
    g_test_add_func("/arm-fp/host/boundaries", test_host_boundaries);
    g_test_add_func("/arm-fp/host/vectors", test_host_vectors);
    g_test_add_func("/arm-fp/host/random", test_host_random);
    for (size_t i = 0; i < FPC_N_OPS; i++) {
        char *path = g_strdup_printf("/arm-fp/vectors/%s", fpc_ops[i].name);

        g_test_add_data_func(path, &fpc_ops[i], test_vectors);
        g_free(path);
    }
    return g_test_run();
}
