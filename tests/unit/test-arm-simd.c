/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Advanced SIMD helpers (target/arm/helper-simd.c) called directly on
 * a CPU state, against values worked out by hand or published: the edges
 * of saturation (FPSR.QC) and of shifts by register (counts of +-64 and
 * beyond, rounding), doubling multiplies, narrowing and long shapes,
 * permutes and TBX, dot products and matrix multiply, complex arithmetic
 * (FCMLA/FCADD), FMLAL and BFDOT, and the crypto steps with published
 * vectors: FIPS-197 appendix B round one (AESE/AESMC) and the GB/T 32907
 * SM4 example through SM4EKEY/SM4E.
 */
#include <glib.h>
#include <string.h>

#include "target/arm/cpu.h"
#include "target/arm/helper-simd.h"
#include "target/arm/fpu/fp-host.h"

static CPUARMState env;

#define QC (1u << 27)

static void setv(int n, uint64_t lo, uint64_t hi)
{
    env.vregs[n][0] = lo;
    env.vregs[n][1] = hi;
}

static void checkv(int n, uint64_t lo, uint64_t hi)
{
    if (env.vregs[n][0] != lo || env.vregs[n][1] != hi) {
        g_error("v%d = %016" G_GINT64_MODIFIER "x_%016" G_GINT64_MODIFIER
                "x, want %016" G_GINT64_MODIFIER "x_%016" G_GINT64_MODIFIER "x",
                n, env.vregs[n][1], env.vregs[n][0], hi, lo);
    }
}

/* Vd = op(Vn, Vm) element-wise; returns whether QC was set (and clears it). */
static bool ew(int op, int esz, int q, int scalar, int bsrc, int imm)
{
    bool qc;

    env.fpsr = 0;
    helper_simd_elementwise(&env, simd_desc(0, 1, 2, esz, q, scalar, bsrc, imm), op);
    qc = (env.fpsr & QC) != 0;
    env.fpsr = 0;
    return qc;
}

static void test_saturation(void)
{
    setv(0, ~0ull, ~0ull);
    setv(1, 0x7f80017f7f80017full, 0);
    setv(2, 0x01ff0201ff01ff01ull, 0);
    g_assert_true(ew(SIMD_OP_SQADD, 0, 0, 0, SIMD_B_VEC, 0));
    checkv(0, 0x7f80037f7e81007full, 0);            /* 64-bit form clears the top */
    setv(1, 5, 0);
    setv(2, 7, 0);
    g_assert_true(ew(SIMD_OP_UQSUB, 3, 0, 1, SIMD_B_VEC, 0));
    checkv(0, 0, 0);
    setv(2, 3, 0);
    g_assert_false(ew(SIMD_OP_UQSUB, 3, 0, 1, SIMD_B_VEC, 0));
    checkv(0, 2, 0);
    /* SQRDMULH: -1.0 * -1.0 saturates, the rest rounds */
    setv(1, 0x8000400000030001ull, 0);
    setv(2, 0x8000400000038000ull, 0);
    g_assert_true(ew(SIMD_OP_SQRDMULH, 1, 0, 0, SIMD_B_VEC, 0));
    checkv(0, 0x7fff20000000ffffull, 0);
    /* SQABS/SQNEG of the minimum */
    setv(1, 0x8000000000000000ull, 0x8000000000000001ull);
    g_assert_true(ew(SIMD_OP_SQABS, 3, 1, 0, SIMD_B_ZERO, 0));
    checkv(0, 0x7fffffffffffffffull, 0x7fffffffffffffffull);
    g_assert_true(ew(SIMD_OP_SQNEG, 3, 1, 0, SIMD_B_ZERO, 0));
    checkv(0, 0x7fffffffffffffffull, 0x7fffffffffffffffull);
}

static void test_shifts(void)
{
    /* 64-bit lanes, count in the low byte of Vm: -64, 64, -65, 63 */
    setv(1, 0x8000000000000001ull, 0x4000000000000000ull);
    setv(2, 0xc0, 0x40);
    ew(SIMD_OP_SSHL, 3, 1, 0, SIMD_B_VEC, 0);
    checkv(0, ~0ull, 0);
    ew(SIMD_OP_USHL, 3, 1, 0, SIMD_B_VEC, 0);
    checkv(0, 0, 0);
    ew(SIMD_OP_URSHL, 3, 1, 0, SIMD_B_VEC, 0);
    checkv(0, 1, 0);                                /* rounds up to 2^64 >> 64 */
    ew(SIMD_OP_SRSHL, 3, 1, 0, SIMD_B_VEC, 0);
    checkv(0, 0, 0);
    g_assert_true(ew(SIMD_OP_UQSHL, 3, 1, 0, SIMD_B_VEC, 0));
    checkv(0, 0, ~0ull);
    setv(1, 1, 0x4000000000000000ull);
    setv(2, 0x3f, 0xbf);                            /* 63, -65 */
    g_assert_true(ew(SIMD_OP_SQSHL, 3, 1, 0, SIMD_B_VEC, 0));
    checkv(0, 0x7fffffffffffffffull, 0);
    g_assert_false(ew(SIMD_OP_UQSHL, 3, 1, 0, SIMD_B_VEC, 0));
    checkv(0, 0x8000000000000000ull, 0);
    /* immediates: SRI by the element size keeps Rd, SLI by 0 copies Rn */
    setv(0, 0x1111111111111111ull, 0);
    setv(1, 0xabcdabcdabcdabcdull, 0);
    ew(SIMD_OP_SRI, 1, 0, 0, SIMD_B_IMM, -16);
    checkv(0, 0x1111111111111111ull, 0);
    ew(SIMD_OP_SRI, 1, 0, 0, SIMD_B_IMM, -4);
    checkv(0, 0x1abc1abc1abc1abcull, 0);
    ew(SIMD_OP_SLI, 2, 0, 0, SIMD_B_IMM, 0);
    checkv(0, 0xabcdabcdabcdabcdull, 0);
    /* SQSHLU: negative inputs saturate to 0 */
    setv(1, 0xff01, 0);
    g_assert_true(ew(SIMD_OP_SQSHLU, 0, 0, 0, SIMD_B_IMM, 1));
    checkv(0, 0x02, 0);
}

static void test_long_narrow(void)
{
    env.fpsr = 0;
    /* SQDMLAL S -> D: MIN * MIN saturates the product, then the sum */
    setv(0, 5, 0x7fffffffffffffffull);
    setv(1, 0x0000000280000000ull, 0);
    setv(2, 0x0000000380000000ull, 0);
    helper_simd_long(&env, simd_desc(0, 1, 2, 2, 0, 0, SIMD_B_VEC, 0) |
                     SIMD_DESC_SIGNED, SIMD_OP_SQDMLAL);
    checkv(0, 0x7fffffffffffffffull, 0x7fffffffffffffffull);
    g_assert_true(env.fpsr & QC);
    /* UMULL2 by element 3 */
    setv(1, 0, 0xffff000200010000ull);
    setv(2, 0, 0x0003000000000000ull);
    helper_simd_long(&env, simd_desc(0, 1, 2, 1, 1, 0, SIMD_B_ELT, 7), SIMD_OP_MUL);
    checkv(0, 0x0000000300000000ull, 0x0002fffd00000006ull);
    /* RSHRN2 #8 writes the upper half and keeps the lower one */
    setv(0, 0x1122334455667788ull, 0xffffffffffffffffull);
    setv(1, 0x00ff008000800080ull, 0x017f0000ffff0001ull);
    helper_simd_narrow(&env, simd_desc(0, 1, 0, 0, 1, 0, SIMD_B_IMM, 8), SIMD_OP_RSHRN);
    checkv(0, 0x1122334455667788ull, 0x0100000001010101ull);
    /* SQXTUN scalar S -> H */
    env.fpsr = 0;
    setv(1, 0x0000000000012345ull, 0);
    helper_simd_narrow(&env, simd_desc(0, 1, 0, 1, 0, 1, SIMD_B_ZERO, 0), SIMD_OP_SQXTUN);
    checkv(0, 0xffff, 0);
    g_assert_true(env.fpsr & QC);
}

static void test_permute_tbl(void)
{
    setv(1, 0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull);
    setv(2, 0x1716151413121110ull, 0x1f1e1d1c1b1a1918ull);
    helper_simd_permute(&env, simd_desc(0, 1, 2, 2, 0, 0, 0, 0), 3);    /* ZIP1 2S */
    checkv(0, 0x1312111003020100ull, 0);
    helper_simd_permute(&env, simd_desc(0, 1, 2, 0, 1, 0, 0, 0), 5);    /* UZP2 16B */
    checkv(0, 0x0f0d0b0907050301ull, 0x1f1d1b1917151311ull);
    helper_simd_permute(&env, simd_desc(0, 1, 2, 1, 1, 0, 0, 0), 6);    /* TRN2 8H */
    checkv(0, 0x1716070613120302ull, 0x1f1e0f0e1b1a0b0aull);
    /* TBX with two table registers: index 0x20 and up keeps Rd */
    setv(0, 0xaaaaaaaaaaaaaaaaull, 0xbbbbbbbbbbbbbbbbull);
    setv(3, 0x20ff1f1000010f08ull, 0);
    helper_simd_tbl(&env, simd_desc(0, 1, 3, 0, 0, 0, 0, 0), 1 | 4);
    checkv(0, 0xaaaa1f1000010f08ull, 0);
}

static void test_dot(void)
{
    setv(0, 10, 0);
    setv(1, 0x00000000ff7f80ffull, 0);
    setv(2, 0x00000000ff02ff02ull, 0);
    helper_simd_dot(&env, simd_desc(0, 1, 2, 2, 0, 0, SIMD_B_VEC, 0),
                    SIMD_DOT_NSIGNED | SIMD_DOT_MSIGNED);
    /* 10 + (-1*2) + (-128*-1) + (127*2) + (-1*-1) = 391 */
    checkv(0, 391, 0);
    setv(0, 0, 0);
    helper_simd_dot(&env, simd_desc(0, 1, 2, 2, 0, 0, SIMD_B_VEC, 0), SIMD_DOT_MSIGNED);
    /* USDOT: 255*2 + 128*-1 + 127*2 + 255*-1 = 381 */
    checkv(0, 381, 0);
    /* UMMLA: rows of Rn times rows of Rm */
    setv(0, 0, 0);
    setv(1, 0x0101010101010101ull, 0x0202020202020202ull);
    setv(2, 0x0807060504030201ull, 0x0000000000000003ull);
    helper_simd_dot(&env, simd_desc(0, 1, 2, 2, 1, 0, SIMD_B_VEC, 0), SIMD_DOT_MMLA);
    checkv(0, (3ull << 32) | 36, (6ull << 32) | 72);
}

static void test_complex_fhm(void)
{
    env.fpcr = 0;
    /* (1 + 2i) * (3 + 4i) = -5 + 10i, as FCMLA #0 then #90 */
    setv(0, 0, 0);
    setv(1, 0x400000003f800000ull, 0);      /* 1, 2 */
    setv(2, 0x4080000040400000ull, 0);      /* 3, 4 */
    helper_simd_fcmla(&env, simd_desc(0, 1, 2, 2, 0, 0, SIMD_B_VEC, 0), 0);
    helper_simd_fcmla(&env, simd_desc(0, 1, 2, 2, 0, 0, SIMD_B_VEC, 0), 1);
    checkv(0, 0x41200000c0a00000ull, 0);    /* -5, 10 */
    /* FCADD #90: (1 + 2i) + i(3 + 4i) = -3 + 5i */
    helper_simd_fcmla(&env, simd_desc(0, 1, 2, 2, 0, 0, SIMD_B_VEC, 0), 4);
    checkv(0, 0x40a00000c0400000ull, 0);
    /* FMLAL: 1.0f + 1.5h * 2.0h, FMLSL2 from the upper halves */
    setv(0, 0x3f8000003f800000ull, 0);
    setv(1, 0x3c003c0040003e00ull, 0);      /* 1.5, 2.0, 1.0, 1.0 */
    setv(2, 0x4400440040004000ull, 0);      /* 2.0, 2.0, 4.0, 4.0 */
    helper_simd_fmlal(&env, simd_desc(0, 1, 2, 2, 0, 0, SIMD_B_VEC, 0), 0);
    checkv(0, 0x40a0000040800000ull, 0);    /* 4.0, 5.0 */
    helper_simd_fmlal(&env, simd_desc(0, 1, 2, 2, 0, 0, SIMD_B_VEC, 0), 3);
    checkv(0, 0x3f80000000000000ull, 0);    /* 4 - 1*4, 5 - 1*4 */
}

static void test_bf16(void)
{
    /* BFDOT: 0.5 + 1.0 * 3.0 + 2.0 * 4.0 = 11.5 */
    setv(0, 0x3f000000, 0);
    setv(1, 0x40003f80, 0);
    setv(2, 0x40804040, 0);
    helper_simd_bf16(&env, simd_desc(0, 1, 2, 1, 0, 0, SIMD_B_VEC, 0), SIMD_BF16_DOT);
    checkv(0, 0x41380000, 0);
}

static void test_aes(void)
{
    /* FIPS-197 appendix B, round 1: start, then after MixColumns */
    setv(0, 0x2be2f4a0bee33d19ull, 0x0848f8e92a8dc69aull);
    setv(1, 0, 0);
    helper_simd_crypto(&env, simd_desc(0, 1, 0, 0, 1, 0, 0, 0), SIMD_CRYPTO_AESE);
    checkv(0, 0xae52b4e0305dbfd4ull, 0xe598271ef11141b8ull);
    helper_simd_crypto(&env, simd_desc(0, 0, 0, 0, 1, 0, 0, 0), SIMD_CRYPTO_AESMC);
    checkv(0, 0x9a19cbe0e5816604ull, 0x4c2606287ad3f848ull);
    helper_simd_crypto(&env, simd_desc(0, 0, 0, 0, 1, 0, 0, 0), SIMD_CRYPTO_AESIMC);
    checkv(0, 0xae52b4e0305dbfd4ull, 0xe598271ef11141b8ull);
}

/* GB/T 32907 example: key = plaintext = 0123456789abcdeffedcba9876543210 */
static void test_sm4(void)
{
    static const uint32_t fk[4] = { 0xa3b1bac6, 0x56aa3350, 0x677d9197, 0xb27022dc };
    static const uint32_t mk[4] = { 0x01234567, 0x89abcdef, 0xfedcba98, 0x76543210 };
    uint32_t w[4];

    for (int i = 0; i < 4; i++) {
        w[i] = mk[i] ^ fk[i];
    }
    memcpy(env.vregs[1], w, 16);
    memcpy(env.vregs[0], mk, 16);
    for (int r = 0; r < 8; r++) {
        uint32_t ck[4];
        for (int j = 0; j < 4; j++) {
            uint32_t v = 0;
            for (int k = 0; k < 4; k++) {
                v = (v << 8) | (((4 * (4 * r + j) + k) * 7) & 0xff);
            }
            ck[j] = v;
        }
        memcpy(env.vregs[2], ck, 16);
        /* v1 = next four round keys, then four rounds on v0 */
        helper_simd_crypto(&env, simd_desc(1, 1, 2, 0, 1, 0, 0, 0), SIMD_CRYPTO_SM4EKEY);
        helper_simd_crypto(&env, simd_desc(0, 1, 0, 0, 1, 0, 0, 0), SIMD_CRYPTO_SM4E);
    }
    memcpy(w, env.vregs[0], 16);
    g_assert_cmphex(w[3], ==, 0x681edf34);
    g_assert_cmphex(w[2], ==, 0xd206965e);
    g_assert_cmphex(w[1], ==, 0x86b3e94f);
    g_assert_cmphex(w[0], ==, 0x536e4246);
}


/* A single or double lane value: mostly ordinary normals, some specials */
static uint64_t fp_lane(GRand *rng, int esz)
{
    static const uint64_t special_d[] = {
        0, 0x8000000000000000ull, 0x0000000000000001ull, 0x0010000000000000ull,
        0x7fefffffffffffffull, 0x7ff0000000000000ull, 0x7ff8000000000001ull,
        0x7ff0000000000001ull, 0x3ff0000000000000ull,
    };
    static const uint64_t special_s[] = {
        0, 0x80000000, 0x00000001, 0x00800000, 0x7f7fffff, 0x7f800000,
        0x7fc00001, 0x7f800001, 0x3f800000,
    };
    uint64_t frac = (uint64_t)g_rand_int(rng) << 32 | g_rand_int(rng);

    if (g_rand_int_range(rng, 0, 8) == 0) {
        int i = g_rand_int_range(rng, 0, G_N_ELEMENTS(special_d));

        return esz == 3 ? special_d[i] : special_s[i];
    }
    if (esz == 3) {
        return (frac & 0x800fffffffffffffull) |
               (uint64_t)g_rand_int_range(rng, 1023 - 40, 1023 + 40) << 52;
    }
    return (frac & 0x807fffffu) | (uint64_t)g_rand_int_range(rng, 127 - 20, 127 + 20) << 23;
}

/*
 * simd_fp_arith and simd_fp_fma (the host-FPU fast path, all lanes or
 * none) against simd_elementwise on random lanes, shapes and FPCR/FPSR:
 * the same registers and FPSR every time, Rd aliasing Rn or Rm included.
 */
static void test_fp_host(void)
{
    static const int ops[] = {
        SIMD_OP_FADD, SIMD_OP_FSUB, SIMD_OP_FMUL, SIMD_OP_FDIV, SIMD_OP_FMLA, SIMD_OP_FMLS,
    };
    GRand *rng = g_rand_new_with_seed(77);
    uint64_t v[4][2], want[32][2];
    uint32_t want_fpsr;

    for (int iter = 0; iter < 100000; iter++) {
        int op = ops[g_rand_int_range(rng, 0, G_N_ELEMENTS(ops))];
        int esz = g_rand_boolean(rng) ? 3 : 2;
        int scalar = g_rand_int_range(rng, 0, 4) == 0;
        int q = scalar ? 0 : (esz == 3 ? 1 : g_rand_boolean(rng));
        int bsrc = g_rand_boolean(rng) ? SIMD_B_ELT : SIMD_B_VEC;
        int idx = bsrc == SIMD_B_ELT ? g_rand_int_range(rng, 0, 16 >> esz) : 0;
        int rd = g_rand_int_range(rng, 0, 3), rn = g_rand_int_range(rng, 0, 3);
        int rm = g_rand_int_range(rng, 0, 3);
        uint32_t desc = simd_desc(rd, rn, rm, esz, q, scalar, bsrc, idx);
        uint32_t fpcr = g_rand_int_range(rng, 0, 4) == 0 ? g_rand_int(rng) & 0x07c80000u : 0;
        uint32_t fpsr = g_rand_int_range(rng, 0, 8) == 0 ? 0 : ARMFP_FPSR_IXC;
        bool fma = op == SIMD_OP_FMLA || op == SIMD_OP_FMLS;

        if (fma && !fp_host_has_fma()) {
            continue;
        }
        for (int r = 0; r < 3; r++) {
            for (int i = 0; i < (16 >> esz); i++) {
                uint64_t x = fp_lane(rng, esz);

                if (esz == 3) {
                    v[r][i] = x;
                } else {
                    ((uint32_t *)v[r])[i] = (uint32_t)x;
                }
            }
        }
        memcpy(env.vregs, v, 3 * 16);
        env.fpcr = fpcr;
        env.fpsr = fpsr;
        helper_simd_elementwise(&env, desc, op);
        memcpy(want, env.vregs, sizeof(want));
        want_fpsr = env.fpsr;

        memcpy(env.vregs, v, 3 * 16);
        env.fpsr = fpsr;
        if (fma) {
            helper_simd_fp_fma(&env, desc, op);
        } else {
            helper_simd_fp_arith(&env, desc, op);
        }
        if (memcmp(want, env.vregs, sizeof(want)) || want_fpsr != env.fpsr) {
            g_error("op %d esz %d q %d scalar %d bsrc %d idx %d v%d,v%d,v%d fpcr %08x "
                    "fpsr %02x: v%d %016" G_GINT64_MODIFIER "x_%016" G_GINT64_MODIFIER
                    "x fpsr %08x, want %016" G_GINT64_MODIFIER "x_%016"
                    G_GINT64_MODIFIER "x fpsr %08x", op, esz, q, scalar, bsrc, idx,
                    rd, rn, rm, fpcr, fpsr, rd, env.vregs[rd][1], env.vregs[rd][0],
                    env.fpsr, want[rd][1], want[rd][0], want_fpsr);
        }
    }
    env.fpcr = 0;
    env.fpsr = 0;
    g_rand_free(rng);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/arm-simd/saturation", test_saturation);
    g_test_add_func("/arm-simd/shifts", test_shifts);
    g_test_add_func("/arm-simd/long-narrow", test_long_narrow);
    g_test_add_func("/arm-simd/permute-tbl", test_permute_tbl);
    g_test_add_func("/arm-simd/dot", test_dot);
    g_test_add_func("/arm-simd/complex-fhm", test_complex_fhm);
    g_test_add_func("/arm-simd/bf16", test_bf16);
    g_test_add_func("/arm-simd/aes", test_aes);
    g_test_add_func("/arm-simd/sm4", test_sm4);
    g_test_add_func("/arm-simd/fp-host", test_fp_host);
    return g_test_run();
}
