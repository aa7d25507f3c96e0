/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The crypto extension, checked with published answers: AES-128 encryption
 * and decryption of the FIPS-197 appendix C.1 and B vectors with
 * AESE/AESMC and AESD/AESIMC (the key schedule is computed here with plain
 * integer code), the FIPS-197 MixColumns example, SHA-1 and SHA-256 of
 * "abc" and of the two-block message of FIPS 180-2 through SHA1C/P/M/H/SU0/
 * SU1 and SHA256H/H2/SU0/SU1, and PMULL/PMULL2 on 64-bit elements against
 * a carry-less multiply done with integer instructions (plus one fixed
 * product that reduces to the GHASH polynomial).
 */
#include "runtime.h"

#pragma GCC target("arch=armv8-a+crypto")
#include <arm_neon.h>

typedef unsigned long long u64;

static bool eq_bytes(const uint8_t *a, const uint8_t *b, size_t n)
{
    return memcmp(a, b, n) == 0;
}

/* ---- AES ---- */

/* GF(2^8) arithmetic for the key schedule's S-box, no tables. */
static uint8_t gf_mul(uint8_t a, uint8_t b)
{
    uint8_t r = 0;

    while (b) {
        if (b & 1) {
            r ^= a;
        }
        a = (uint8_t)((a << 1) ^ ((a & 0x80) ? 0x1b : 0));
        b >>= 1;
    }
    return r;
}

static uint8_t sbox(uint8_t x)
{
    uint8_t inv = 0, s;

    for (int y = 1; y < 256 && x; y++) {
        if (gf_mul(x, (uint8_t)y) == 1) {
            inv = (uint8_t)y;
            break;
        }
    }
    s = inv;
    for (int i = 1; i < 5; i++) {
        s ^= (uint8_t)((inv << i) | (inv >> (8 - i)));
    }
    return s ^ 0x63;
}

static void aes128_expand(const uint8_t key[16], uint8_t rk[11][16])
{
    uint8_t rcon = 1;

    memcpy(rk[0], key, 16);
    for (int r = 1; r <= 10; r++) {
        uint8_t t[4] = {
            (uint8_t)(sbox(rk[r - 1][13]) ^ rcon), sbox(rk[r - 1][14]),
            sbox(rk[r - 1][15]), sbox(rk[r - 1][12]),
        };
        for (int i = 0; i < 16; i++) {
            t[i % 4] = rk[r][i] = rk[r - 1][i] ^ t[i % 4];
        }
        rcon = gf_mul(rcon, 2);
    }
}

static void aes128_encrypt(uint8_t rk[11][16], const uint8_t in[16],
                           uint8_t out[16])
{
    uint8x16_t st = vld1q_u8(in);

    for (int r = 0; r < 9; r++) {
        st = vaesmcq_u8(vaeseq_u8(st, vld1q_u8(rk[r])));
    }
    st = veorq_u8(vaeseq_u8(st, vld1q_u8(rk[9])), vld1q_u8(rk[10]));
    vst1q_u8(out, st);
}

/* The equivalent inverse cipher: round keys 1-9 through InvMixColumns. */
static void aes128_decrypt(uint8_t rk[11][16], const uint8_t in[16],
                           uint8_t out[16])
{
    uint8x16_t st = vld1q_u8(in);

    st = vaesimcq_u8(vaesdq_u8(st, vld1q_u8(rk[10])));
    for (int r = 9; r > 1; r--) {
        st = vaesimcq_u8(vaesdq_u8(st, vaesimcq_u8(vld1q_u8(rk[r]))));
    }
    st = vaesdq_u8(st, vaesimcq_u8(vld1q_u8(rk[1])));
    st = veorq_u8(st, vld1q_u8(rk[0]));
    vst1q_u8(out, st);
}

static void test_aes(void)
{
    static const uint8_t key1[16] = {
        0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
        0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
    };
    static const uint8_t pt1[16] = {
        0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
        0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
    };
    static const uint8_t ct1[16] = {
        0x69, 0xc4, 0xe0, 0xd8, 0x6a, 0x7b, 0x04, 0x30,
        0xd8, 0xcd, 0xb7, 0x80, 0x70, 0xb4, 0xc5, 0x5a,
    };
    static const uint8_t key2[16] = {
        0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
        0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c,
    };
    static const uint8_t pt2[16] = {
        0x32, 0x43, 0xf6, 0xa8, 0x88, 0x5a, 0x30, 0x8d,
        0x31, 0x31, 0x98, 0xa2, 0xe0, 0x37, 0x07, 0x34,
    };
    static const uint8_t ct2[16] = {
        0x39, 0x25, 0x84, 0x1d, 0x02, 0xdc, 0x09, 0xfb,
        0xdc, 0x11, 0x85, 0x97, 0x19, 0x6a, 0x0b, 0x32,
    };
    /* last round key of the appendix A.1 expansion */
    static const uint8_t rk10[16] = {
        0xd0, 0x14, 0xf9, 0xa8, 0xc9, 0xee, 0x25, 0x89,
        0xe1, 0x3f, 0x0c, 0xc8, 0xb6, 0x63, 0x0c, 0xa6,
    };
    static const uint8_t mc_in[16] = { 0xdb, 0x13, 0x53, 0x45, 0xf2, 0x0a, 0x22, 0x5c,
                                       0x01, 0x01, 0x01, 0x01, 0xc6, 0xc6, 0xc6, 0xc6 };
    static const uint8_t mc_out[16] = { 0x8e, 0x4d, 0xa1, 0xbc, 0x9f, 0xdc, 0x58, 0x9d,
                                        0x01, 0x01, 0x01, 0x01, 0xc6, 0xc6, 0xc6, 0xc6 };
    uint8_t rk[11][16], buf[16];

    vst1q_u8(buf, vaesmcq_u8(vld1q_u8(mc_in)));
    tap_ok(eq_bytes(buf, mc_out, 16), "aesmc: FIPS-197 MixColumns example");
    vst1q_u8(buf, vaesimcq_u8(vld1q_u8(mc_out)));
    tap_ok(eq_bytes(buf, mc_in, 16), "aesimc inverts it");

    aes128_expand(key2, rk);
    tap_ok(eq_bytes(rk[10], rk10, 16), "key schedule (appendix A.1)");
    aes128_encrypt(rk, pt2, buf);
    tap_ok(eq_bytes(buf, ct2, 16), "aes-128 encrypt (appendix B)");
    aes128_decrypt(rk, ct2, buf);
    tap_ok(eq_bytes(buf, pt2, 16), "aes-128 decrypt (appendix B)");

    aes128_expand(key1, rk);
    aes128_encrypt(rk, pt1, buf);
    tap_ok(eq_bytes(buf, ct1, 16), "aes-128 encrypt (appendix C.1)");
    aes128_decrypt(rk, ct1, buf);
    tap_ok(eq_bytes(buf, pt1, 16), "aes-128 decrypt (appendix C.1)");
}

/* ---- SHA-1 and SHA-256 ---- */

/* Pad a message shorter than 120 bytes into one or two 64-byte blocks. */
static int sha_pad(const char *msg, uint8_t blocks[128])
{
    size_t n = strlen(msg);
    int nblk = n + 9 > 64 ? 2 : 1;
    u64 bits = (u64)n * 8;

    memset(blocks, 0, 128);
    memcpy(blocks, msg, n);
    blocks[n] = 0x80;
    for (int i = 0; i < 8; i++) {
        blocks[nblk * 64 - 1 - i] = (uint8_t)(bits >> (8 * i));
    }
    return nblk;
}

static uint32x4_t load_be(const uint8_t *p)
{
    return vreinterpretq_u32_u8(vrev32q_u8(vld1q_u8(p)));
}

static void sha1_block(uint32_t st[5], const uint8_t *blk)
{
    static const uint32_t k[4] = { 0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xca62c1d6 };
    uint32x4_t abcd = vld1q_u32(st), abcd0 = abcd, w[4];
    uint32_t e0 = st[4], e1;

    for (int i = 0; i < 4; i++) {
        w[i] = load_be(blk + 16 * i);
    }
    for (int r = 0; r < 20; r++) {
        uint32x4_t x;

        if (r >= 4) {
            w[r & 3] = vsha1su1q_u32(vsha1su0q_u32(w[r & 3], w[(r + 1) & 3],
                                                   w[(r + 2) & 3]),
                                     w[(r + 3) & 3]);
        }
        x = vaddq_u32(w[r & 3], vdupq_n_u32(k[r / 5]));
        e1 = vsha1h_u32(vgetq_lane_u32(abcd, 0));
        if (r < 5) {
            abcd = vsha1cq_u32(abcd, e0, x);
        } else if (r < 10 || r >= 15) {
            abcd = vsha1pq_u32(abcd, e0, x);
        } else {
            abcd = vsha1mq_u32(abcd, e0, x);
        }
        e0 = e1;
    }
    vst1q_u32(st, vaddq_u32(abcd, abcd0));
    st[4] += e0;
}

static const uint32_t sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static void sha256_block(uint32_t st[8], const uint8_t *blk)
{
    uint32x4_t s0 = vld1q_u32(st), s1 = vld1q_u32(st + 4);
    uint32x4_t s0_in = s0, s1_in = s1, w[4];

    for (int i = 0; i < 4; i++) {
        w[i] = load_be(blk + 16 * i);
    }
    for (int r = 0; r < 16; r++) {
        uint32x4_t x, t;

        if (r >= 4) {
            w[r & 3] = vsha256su1q_u32(vsha256su0q_u32(w[r & 3], w[(r + 1) & 3]),
                                       w[(r + 2) & 3], w[(r + 3) & 3]);
        }
        x = vaddq_u32(w[r & 3], vld1q_u32(&sha256_k[4 * r]));
        t = s0;
        s0 = vsha256hq_u32(s0, s1, x);
        s1 = vsha256h2q_u32(s1, t, x);
    }
    vst1q_u32(st, vaddq_u32(s0, s0_in));
    vst1q_u32(st + 4, vaddq_u32(s1, s1_in));
}

static void test_sha(void)
{
    static const char *msg2 =
        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    static const uint32_t sha1_abc[5] = {
        0xa9993e36, 0x4706816a, 0xba3e2571, 0x7850c26c, 0x9cd0d89d,
    };
    static const uint32_t sha1_msg2[5] = {
        0x84983e44, 0x1c3bd26e, 0xbaae4aa1, 0xf95129e5, 0xe54670f1,
    };
    static const uint32_t sha256_abc[8] = {
        0xba7816bf, 0x8f01cfea, 0x414140de, 0x5dae2223,
        0xb00361a3, 0x96177a9c, 0xb410ff61, 0xf20015ad,
    };
    static const uint32_t sha256_msg2[8] = {
        0x248d6a61, 0xd20638b8, 0xe5c02693, 0x0c3e6039,
        0xa33ce459, 0x64ff2167, 0xf6ecedd4, 0x19db06c1,
    };
    static const uint32_t sha1_iv[5] = {
        0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0,
    };
    static const uint32_t sha256_iv[8] = {
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
        0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    };
    uint8_t blocks[128] __attribute__((aligned(16)));
    uint32_t st[8] __attribute__((aligned(16)));
    int n;

    n = sha_pad("abc", blocks);
    memcpy(st, sha1_iv, sizeof(sha1_iv));
    sha1_block(st, blocks);
    tap_ok(memcmp(st, sha1_abc, 20) == 0 && n == 1, "sha1(\"abc\")");
    n = sha_pad(msg2, blocks);
    memcpy(st, sha1_iv, sizeof(sha1_iv));
    for (int i = 0; i < n; i++) {
        sha1_block(st, blocks + 64 * i);
    }
    tap_ok(memcmp(st, sha1_msg2, 20) == 0 && n == 2, "sha1(two blocks)");

    n = sha_pad("abc", blocks);
    memcpy(st, sha256_iv, sizeof(sha256_iv));
    sha256_block(st, blocks);
    tap_ok(memcmp(st, sha256_abc, 32) == 0, "sha256(\"abc\")");
    n = sha_pad(msg2, blocks);
    memcpy(st, sha256_iv, sizeof(sha256_iv));
    for (int i = 0; i < n; i++) {
        sha256_block(st, blocks + 64 * i);
    }
    tap_ok(memcmp(st, sha256_msg2, 32) == 0, "sha256(two blocks)");

    tap_eq(vsha1h_u32(HIDE(0x80000001u)), 0x60000000u, "sha1h");
}

/* ---- PMULL (64 x 64 -> 128) ---- */

/* Carry-less product with integer instructions only. */
static void clmul64(u64 a, u64 b, u64 *lo, u64 *hi)
{
    u64 l = 0, h = 0;

    for (int i = 0; i < 64; i++) {
        if ((HIDE(b) >> i) & 1) {
            l ^= a << i;
            h ^= i ? a >> (64 - i) : 0;
        }
    }
    *lo = l;
    *hi = h;
}

static void test_pmull(void)
{
    static const u64 vals[][2] = {
        { 0x0123456789abcdefull, 0xfedcba9876543210ull },
        { 0xffffffffffffffffull, 0xffffffffffffffffull },
        { 0x8000000000000001ull, 0x00000000000000c2ull },
        { 0xdeadbeefcafef00dull, 0x1ull },
    };
    u64 lo, hi;
    poly128_t p;

    for (int i = 0; i < 4; i++) {
        poly64x2_t a = vcombine_p64(vcreate_p64(HIDE(vals[i][0])),
                                    vcreate_p64(HIDE(vals[i][1])));
        poly64x2_t b = vcombine_p64(vcreate_p64(HIDE(vals[i][1])),
                                    vcreate_p64(HIDE(vals[i][0])));
        uint64x2_t r;

        clmul64(vals[i][0], vals[i][1], &lo, &hi);
        r = vreinterpretq_u64_p128(vmull_p64(vgetq_lane_p64(a, 0),
                                             vgetq_lane_p64(b, 0)));
        tap_ok(vgetq_lane_u64(r, 0) == lo && vgetq_lane_u64(r, 1) == hi,
               "pmull %d", i);
        r = vreinterpretq_u64_p128(vmull_high_p64(a, b));
        tap_ok(vgetq_lane_u64(r, 0) == lo && vgetq_lane_u64(r, 1) == hi,
               "pmull2 %d", i);
    }
    /* x^63 * x^63 = x^126 */
    p = vmull_p64(HIDE(0x8000000000000000ull), HIDE(0x8000000000000000ull));
    tap_eq((u64)(p >> 64), 0x4000000000000000ull, "pmull x^126 high");
    tap_eq((u64)p, 0, "pmull x^126 low");
}

/*
 * The instructions are UNDEFINED unless ID_AA64ISAR0_EL1 advertises them:
 * AES >= 2 (with PMULL), SHA1 >= 1, SHA2 >= 1.
 */
static bool crypto_advertised(void)
{
    u64 v;

    __asm__ volatile("mrs %0, id_aa64isar0_el1" : "=r"(v));
    return ((v >> 4) & 0xf) >= 2 && ((v >> 8) & 0xf) >= 1 && ((v >> 12) & 0xf) >= 1;
}

int main(void)
{
    if (!crypto_advertised()) {
        tap_ok(true, "crypto # SKIP AES/PMULL/SHA1/SHA2 not advertised");
        return tap_done();
    }
    test_aes();
    test_sha();
    test_pmull();
    return tap_done();
}
