/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A CPU-bound bare-metal AArch64 program for comparing translators: integer
 * hashing, a heap sort, a sieve, a byte-wise CRC, calls through function
 * pointers (indirect branches and returns) and memcpy-like copies, each
 * printing a checksum so that a wrong answer shows. Built and timed by
 * bench/tcg-bare.sh with the bare-metal runtime of tests/tcg/aarch64.
 */
#include "runtime.h"

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

int main(void)
{
    puts("# CPU-bound benchmark: hash, heap sort, sieve, CRC, indirect calls, copies");
    tap_ok(1, "hash 0x%016lx", bench_hash());
    tap_ok(1, "sort 0x%016lx", bench_sort());
    tap_ok(1, "sieve %lu primes", bench_sieve());
    tap_ok(1, "crc 0x%08lx", bench_crc());
    tap_ok(1, "calls 0x%016lx", bench_calls());
    tap_ok(1, "copy 0x%016lx", bench_copy());
    return tap_done();
}
