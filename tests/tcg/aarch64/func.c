/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Compiled C rather than hand-written instructions: recursion (fib, a
 * deep call chain that uses the stack), the runtime's memcpy/memmove/
 * memset/memcmp/strlen at many lengths and alignments against a byte-wise
 * reference, and varargs through snprintf.
 */
#include "runtime.h"

static uint64_t __attribute__((noinline)) fib(unsigned n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static uint64_t __attribute__((noinline)) depth(unsigned n, volatile uint64_t *acc)
{
    volatile uint64_t frame[4] = { n, n * 2, n * 3, n * 4 };
    uint64_t r;

    if (!n) {
        return *acc;
    }
    *acc += frame[0] + frame[3];
    r = depth(n - 1, acc);
    /* The frame must survive the deeper calls. */
    return r + (frame[1] + frame[2] == 5ull * n ? 0 : 1000000);
}

static void test_recursion(void)
{
    volatile uint64_t acc = 0;

    tap_eq(fib(HIDE(20u)), 6765, "fib(20) recursively");
    tap_eq(fib(HIDE(25u)), 75025, "fib(25) recursively");
    /* sum of 5k for k = 1..2000 */
    tap_eq(depth(HIDE(2000u), &acc), 5ull * 2000 * 2001 / 2, "2000-deep call chain");
}

static uint8_t src[300] __attribute__((aligned(16)));
static uint8_t dst[300] __attribute__((aligned(16)));
static uint8_t ref[300] __attribute__((aligned(16)));

static void ref_fill(uint8_t *p, size_t n, uint8_t seed)
{
    for (size_t i = 0; i < n; i++) {
        p[i] = (uint8_t)(seed + i * 13);
    }
}

static int same(const uint8_t *a, const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (a[i] != b[i]) {
            return 0;
        }
    }
    return 1;
}

static void test_memcpy(void)
{
    static const size_t lens[] = { 0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 200 };
    int bad = 0, runs = 0;

    for (size_t so = 0; so < 9; so++) {
        for (size_t dof = 0; dof < 9; dof++) {
            for (size_t li = 0; li < sizeof(lens) / sizeof(lens[0]); li++) {
                size_t n = lens[li];

                ref_fill(src, sizeof(src), 1);
                ref_fill(dst, sizeof(dst), 99);
                ref_fill(ref, sizeof(ref), 99);
                for (size_t i = 0; i < n; i++) {
                    ref[dof + i] = src[so + i];
                }
                if (memcpy(dst + dof, src + so, n) != dst + dof ||
                    !same(dst, ref, sizeof(dst))) {
                    bad++;
                }
                runs++;
            }
        }
    }
    tap_ok(!bad, "memcpy: %d offset/length combinations", runs);
}

static void test_memmove(void)
{
    int bad = 0;

    for (int shift = -9; shift <= 9; shift++) {
        ref_fill(dst, sizeof(dst), 5);
        ref_fill(ref, sizeof(ref), 5);
        for (int i = 0; i < 100; i++) {
            ref[100 + shift + i] = (uint8_t)(5 + (100 + i) * 13);
        }
        memmove(dst + 100 + shift, dst + 100, 100);
        bad += !same(dst, ref, sizeof(dst));
    }
    tap_ok(!bad, "memmove: overlapping both ways");
}

static void test_memset_cmp_strlen(void)
{
    static char str[64];
    int bad = 0;

    for (size_t off = 0; off < 9; off++) {
        for (size_t n = 0; n < 40; n++) {
            ref_fill(dst, sizeof(dst), 7);
            ref_fill(ref, sizeof(ref), 7);
            for (size_t i = 0; i < n; i++) {
                ref[off + i] = 0xa5;
            }
            memset(dst + off, 0x1a5, n);    /* only the low byte counts */
            bad += !same(dst, ref, sizeof(dst));
        }
    }
    tap_ok(!bad, "memset: offsets 0..8, lengths 0..39");

    ref_fill(src, 64, 3);
    ref_fill(dst, 64, 3);
    tap_ok(memcmp(src, dst, 64) == 0, "memcmp equal");
    dst[40]++;
    tap_ok(memcmp(src, dst, 64) < 0 && memcmp(dst, src, 64) > 0, "memcmp ordering");
    tap_ok(memcmp(src, dst, 40) == 0, "memcmp stops at n");

    for (size_t n = 0; n < sizeof(str) - 1; n++) {
        memset(str, 'x', n);
        str[n] = '\0';
        bad += strlen(HIDE(str)) != n;
    }
    tap_ok(!bad, "strlen 0..62");
    tap_ok(strcmp("abc", "abd") < 0 && strcmp("b", "a") > 0 && strcmp("same", "same") == 0,
           "strcmp");
}

static void test_varargs(void)
{
    char out[96];
    int n;

    n = snprintf(out, sizeof(out), "[%5d|%d|%05u|%x|%08lx|%s|%c|%%|%p]", -42, 7, 42u,
                 0xdeadu, 0xbeeful, "str", 'z', (void *)0x1000);
    tap_ok(strcmp(out, "[  -42|7|00042|dead|0000beef|str|z|%|0x1000]") == 0 &&
           n == (int)strlen(out), "snprintf formats: %s", out);
    n = snprintf(out, 8, "%s", "truncate me");
    tap_ok(n == 11 && strcmp(out, "truncat") == 0, "snprintf truncates and counts");
    n = snprintf(out, sizeof(out), "%ld %lu %lx", (long)INT64_MIN, UINT64_MAX, UINT64_MAX);
    tap_ok(strcmp(out, "-9223372036854775808 18446744073709551615 ffffffffffffffff") == 0,
           "snprintf 64-bit extremes");
}

int main(void)
{
    tap_diag("compiled C: recursion, string functions, varargs");
    test_recursion();
    test_memcpy();
    test_memmove();
    test_memset_cmp_strlen();
    test_varargs();
    return tap_done();
}
