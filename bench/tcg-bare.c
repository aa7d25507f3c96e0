/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A CPU-bound bare-metal AArch64 program for comparing translators: integer
 * hashing, a heap sort, a sieve, a byte-wise CRC, calls through function
 * pointers (indirect branches and returns), memcpy-like copies, a bytecode
 * interpreter (a switch dispatching through a jump table: unpredictable
 * indirect branches) and an LZ77 compress/decompress round trip (byte
 * loads, hashing, data-dependent branches), each printing a checksum so
 * that a wrong answer shows. Built and timed by bench/tcg-bare.sh with the
 * bare-metal runtime of tests/tcg/aarch64; -DKERNEL='"name"' builds a
 * program that runs that kernel alone, so each can be timed by itself.
 */
#include "runtime.h"

#ifndef KERNEL
#define KERNEL ""
#endif

#define N (1u << 18)

static uint64_t data[N];
static uint64_t copy[N];
static uint8_t sieve[1u << 22];

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    return x ^ (x >> 33);
}

static uint64_t bench_hash(void)
{
    uint64_t h = 0;

    for (uint32_t i = 0; i < 8 * N; i++) {
        h = mix(h + i);
    }
    return h;
}

static void sift(uint64_t *a, size_t start, size_t end)
{
    size_t root = start;

    while (2 * root + 1 <= end) {
        size_t child = 2 * root + 1, swap = root;
        if (a[swap] < a[child]) {
            swap = child;
        }
        if (child + 1 <= end && a[swap] < a[child + 1]) {
            swap = child + 1;
        }
        if (swap == root) {
            return;
        }
        uint64_t t = a[root];
        a[root] = a[swap];
        a[swap] = t;
        root = swap;
    }
}

static uint64_t bench_sort(void)
{
    uint64_t h = 0;

    for (uint32_t i = 0; i < N; i++) {
        data[i] = mix(i) % 1000003;
    }
    for (size_t start = N / 2; start-- > 0;) {
        sift(data, start, N - 1);
    }
    for (size_t end = N - 1; end > 0; end--) {
        uint64_t t = data[end];
        data[end] = data[0];
        data[0] = t;
        sift(data, 0, end - 1);
    }
    for (uint32_t i = 1; i < N; i++) {
        if (data[i - 1] > data[i]) {
            return 0;
        }
        h = h * 31 + data[i];
    }
    return h;
}

static uint64_t bench_sieve(void)
{
    uint32_t n = sizeof(sieve), count = 0;

    memset(sieve, 1, n);
    for (uint32_t i = 2; i * i < n; i++) {
        if (sieve[i]) {
            for (uint32_t j = i * i; j < n; j += i) {
                sieve[j] = 0;
            }
        }
    }
    for (uint32_t i = 2; i < n; i++) {
        count += sieve[i];
    }
    return count;
}

static uint64_t bench_crc(void)
{
    uint32_t crc = ~0u;
    const uint8_t *p = (const uint8_t *)data;

    for (int round = 0; round < 4; round++) {
        for (size_t i = 0; i < sizeof(data); i++) {
            crc ^= p[i];
            for (int b = 0; b < 8; b++) {
                crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
            }
        }
    }
    return ~crc;
}

typedef uint64_t (*op_fn)(uint64_t, uint64_t);

static uint64_t __attribute__((noinline)) op_add(uint64_t a, uint64_t b) { return a + b; }
static uint64_t __attribute__((noinline)) op_xor(uint64_t a, uint64_t b) { return a ^ (b << 1); }
static uint64_t __attribute__((noinline)) op_mul(uint64_t a, uint64_t b) { return a * (b | 1); }
static uint64_t __attribute__((noinline)) op_rot(uint64_t a, uint64_t b)
{
    return (a << 7) | (a >> 57) | b;
}

static uint64_t bench_calls(void)
{
    static const op_fn ops[4] = { op_add, op_xor, op_mul, op_rot };
    uint64_t acc = 1;

    for (uint32_t i = 0; i < 16 * N; i++) {
        acc = ops[(acc ^ i) & 3](acc, i);
    }
    return acc;
}

static uint64_t bench_copy(void)
{
    uint64_t h = 0;

    for (int round = 0; round < 32; round++) {
        memcpy(copy, data, sizeof(data));
        memmove(data + 1, copy, sizeof(data) - sizeof(data[0]));
        h += copy[round] + data[N - 1 - round];
    }
    return h;
}

/*
 * A register-machine bytecode: 8 registers, 4-byte instructions (opcode,
 * a, b, c). The program runs nested loops of arithmetic so that dispatch,
 * not the work per instruction, dominates.
 */
enum {
    VM_LI,      /* r[a] = b | c << 8 */
    VM_ADD,     /* r[a] = r[b] + r[c] */
    VM_SUB,
    VM_MUL,
    VM_XOR,
    VM_SHR,     /* r[a] = r[b] >> (r[c] & 63) */
    VM_ROL,     /* r[a] = rotate left r[b] by c */
    VM_ADDI,    /* r[a] = r[b] + c */
    VM_JNZ,     /* if r[a] --pc by b instructions */
    VM_DEC,     /* r[a]-- */
    VM_LD,      /* r[a] = mem[r[b] & 255] */
    VM_ST,      /* mem[r[b] & 255] = r[a] */
    VM_HALT,
};

static uint64_t vm_run(const uint8_t *code, uint64_t *r, uint64_t *mem)
{
    const uint8_t *pc = code;

    for (;;) {
        uint8_t op = pc[0], a = pc[1], b = pc[2], c = pc[3];

        pc += 4;
        switch (op) {
        case VM_LI:   r[a] = b | (uint32_t)c << 8; break;
        case VM_ADD:  r[a] = r[b] + r[c]; break;
        case VM_SUB:  r[a] = r[b] - r[c]; break;
        case VM_MUL:  r[a] = r[b] * r[c]; break;
        case VM_XOR:  r[a] = r[b] ^ r[c]; break;
        case VM_SHR:  r[a] = r[b] >> (r[c] & 63); break;
        case VM_ROL:  r[a] = (r[b] << (c & 63)) | (r[b] >> ((64 - c) & 63)); break;
        case VM_ADDI: r[a] = r[b] + c; break;
        case VM_JNZ:
            if (r[a]) {
                pc -= 4 * (uint32_t)b;
            }
            break;
        case VM_DEC:  r[a]--; break;
        case VM_LD:   r[a] = mem[r[b] & 255]; break;
        case VM_ST:   mem[r[b] & 255] = r[a]; break;
        case VM_HALT: return r[0];
        default:      return 0;
        }
    }
}

static uint64_t bench_interp(void)
{
    static const uint8_t prog[] = {
        VM_LI,   0, 1, 0,           /* r0 = 1: accumulator */
        VM_LI,   6, 0x00, 0x02,     /* r6 = 512: outer count */
        VM_LI,   7, 33, 0,          /* r7 = 33: shift */
        /* outer: */
        VM_LI,   1, 0x00, 0x04,     /* r1 = 1024: inner count */
        /* inner: 10 instructions */
        VM_ADD,  0, 0, 1,           /* r0 += r1 */
        VM_ROL,  2, 0, 13,          /* r2 = rol(r0, 13) */
        VM_XOR,  0, 0, 2,           /* r0 ^= r2 */
        VM_SHR,  3, 0, 7,           /* r3 = r0 >> 33 */
        VM_LD,   4, 1, 0,           /* r4 = mem[r1] */
        VM_ADD,  4, 4, 3,           /* r4 += r3 */
        VM_ST,   4, 0, 0,           /* mem[r0] = r4 */
        VM_MUL,  0, 0, 4,           /* r0 *= r4 */
        VM_ADDI, 0, 0, 7,           /* r0 += 7 */
        VM_DEC,  1, 0, 0,           /* r1-- */
        VM_JNZ,  1, 11, 0,          /* back to inner */
        VM_DEC,  6, 0, 0,
        VM_JNZ,  6, 14, 0,          /* back to outer */
        VM_HALT, 0, 0, 0,
    };
    static uint64_t mem[256];
    uint64_t r[8] = { 0 }, h = 0;

    for (int round = 0; round < 8; round++) {
        for (int i = 0; i < 256; i++) {
            mem[i] = mix(i + round);
        }
        h = mix(h ^ vm_run(HIDE(prog), r, mem));
    }
    return h;
}

/*
 * LZ77 with a 4096-entry hash of 4-byte prefixes and a 64 KiB window.
 * Format: a token byte per group of up to 8 items, bit i set for a match;
 * a literal is one byte, a match is offset (2 bytes) and length - 4
 * (1 byte, so 4..259).
 */
#define LZ_IN       (1u << 19)
#define LZ_HASH     4096
#define LZ_MIN      4
#define LZ_MAX      (LZ_MIN + 255)

static uint8_t lz_src[LZ_IN];
static uint8_t lz_packed[LZ_IN + LZ_IN / 8 + 16];
static uint8_t lz_out[LZ_IN];
static uint32_t lz_head[LZ_HASH];

static uint32_t lz_hash4(const uint8_t *p)
{
    uint32_t v = p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;

    return (v * 2654435761u) >> 20;
}

static size_t lz_compress(const uint8_t *in, size_t n, uint8_t *out)
{
    size_t i = 0, o = 0, tok = 0;
    int items = 8;

    memset(lz_head, 0xff, sizeof(lz_head));
    while (i < n) {
        size_t len = 0, off = 0;

        if (items == 8) {
            tok = o++;
            out[tok] = 0;
            items = 0;
        }
        if (i + LZ_MIN <= n) {
            uint32_t h = lz_hash4(in + i), cand = lz_head[h];

            lz_head[h] = (uint32_t)i;
            if (cand != 0xffffffffu && i - cand <= 0xffff) {
                size_t max = n - i < LZ_MAX ? n - i : LZ_MAX;

                while (len < max && in[cand + len] == in[i + len]) {
                    len++;
                }
                off = i - cand;
            }
        }
        if (len >= LZ_MIN) {
            out[tok] |= 1u << items;
            out[o++] = (uint8_t)off;
            out[o++] = (uint8_t)(off >> 8);
            out[o++] = (uint8_t)(len - LZ_MIN);
            i += len;
        } else {
            out[o++] = in[i++];
        }
        items++;
    }
    return o;
}

static size_t lz_decompress(const uint8_t *in, size_t n, uint8_t *out)
{
    size_t i = 0, o = 0;

    while (i < n) {
        uint8_t tok = in[i++];

        for (int b = 0; b < 8 && i < n; b++) {
            if (tok & (1u << b)) {
                size_t off = in[i] | in[i + 1] << 8, len = in[i + 2] + LZ_MIN;

                i += 3;
                /* Byte by byte: a match may overlap its own output. */
                for (size_t k = 0; k < len; k++, o++) {
                    out[o] = out[o - off];
                }
            } else {
                out[o++] = in[i++];
            }
        }
    }
    return o;
}

static uint64_t bench_lz(void)
{
    static const char *const words[16] = {
        "the ", "block ", "guest ", "translate ", "cache ", "of ", "and ", "page ",
        "register ", "branch ", "exit ", "chain ", "helper ", "load ", "store ", "\n",
    };
    uint64_t h = 0, x = 1;
    size_t n = 0;

    /* Text from a skewed choice of words: compressible, but not trivially. */
    while (n < LZ_IN) {
        x = mix(x);
        const char *w = words[(x & 7) + ((x >> 3) & 1 ? (x >> 4) & 7 : 0)];
        for (; *w && n < LZ_IN; w++) {
            lz_src[n++] = (uint8_t)(*w ^ ((x >> 60) == 0 ? 0x20 : 0));
        }
    }
    for (int round = 0; round < 48; round++) {
        size_t packed = lz_compress(lz_src, LZ_IN, lz_packed);
        size_t unpacked = lz_decompress(lz_packed, packed, lz_out);

        if (unpacked != LZ_IN || memcmp(lz_out, lz_src, LZ_IN) != 0) {
            return 0;
        }
        h = mix(h + packed);
        lz_src[round * 4099] ^= 0x55;
    }
    return h;
}

static bool want(const char *name)
{
    return KERNEL[0] == 0 || strcmp(KERNEL, name) == 0;
}

int main(void)
{
    puts("# CPU-bound benchmark: hash, heap sort, sieve, CRC, indirect calls, copies,"
         " interpreter, LZ77");
    if (want("hash")) {
        tap_ok(1, "hash 0x%016lx", bench_hash());
    }
    if (want("sort")) {
        tap_ok(1, "sort 0x%016lx", bench_sort());
    } else if (want("crc") || want("copy")) {
        /* Alone, crc and copy work on unsorted data rather than pay for the sort. */
        for (uint32_t i = 0; i < N; i++) {
            data[i] = mix(i) % 1000003;
        }
    }
    if (want("sieve")) {
        tap_ok(1, "sieve %lu primes", bench_sieve());
    }
    if (want("crc")) {
        tap_ok(1, "crc 0x%08lx", bench_crc());
    }
    if (want("calls")) {
        tap_ok(1, "calls 0x%016lx", bench_calls());
    }
    if (want("copy")) {
        tap_ok(1, "copy 0x%016lx", bench_copy());
    }
    if (want("interp")) {
        tap_ok(1, "interp 0x%016lx", bench_interp());
    }
    if (want("lz")) {
        tap_ok(1, "lz 0x%016lx", bench_lz());
    }
    return tap_done();
}
