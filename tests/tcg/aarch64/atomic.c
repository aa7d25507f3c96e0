/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Exclusive loads and stores: LDXR/STXR retry loops at every size, the
 * acquire/release forms (LDAXR/STLXR), pairs (LDXP/STXP), and the
 * monitor rules a single CPU can check deterministically: a store-exclusive
 * without a load-exclusive, or after CLREX, fails with status 1 and leaves
 * memory alone. Also plain LDAR/STLR and the barriers.
 */
#include "runtime.h"

static uint64_t counter64 __attribute__((aligned(16)));
static uint32_t counter32;
static uint16_t counter16;
static uint8_t counter8;
static uint64_t pair[2] __attribute__((aligned(16)));

static unsigned atomic_add64(uint64_t *p, uint64_t v)
{
    uint64_t tmp;
    unsigned status, retries = 0;

    __asm__ volatile("1: ldxr %0, [%3]\n\t"
                     "add %0, %0, %4\n\t"
                     "stxr %w1, %0, [%3]\n\t"
                     "cbz %w1, 2f\n\t"
                     "add %w2, %w2, #1\n\t"
                     "b 1b\n"
                     "2:"
                     : "=&r"(tmp), "=&r"(status), "+r"(retries)
                     : "r"(p), "r"(v)
                     : "memory");
    return retries;
}

static void atomic_add32_acqrel(uint32_t *p, uint32_t v)
{
    uint32_t tmp, status;

    __asm__ volatile("1: ldaxr %w0, [%2]\n\t"
                     "add %w0, %w0, %w3\n\t"
                     "stlxr %w1, %w0, [%2]\n\t"
                     "cbnz %w1, 1b"
                     : "=&r"(tmp), "=&r"(status)
                     : "r"(p), "r"(v)
                     : "memory");
}

static void atomic_inc16(uint16_t *p)
{
    uint32_t tmp, status;

    __asm__ volatile("1: ldxrh %w0, [%2]\n\t"
                     "add %w0, %w0, #1\n\t"
                     "stxrh %w1, %w0, [%2]\n\t"
                     "cbnz %w1, 1b"
                     : "=&r"(tmp), "=&r"(status) : "r"(p) : "memory");
}

static void atomic_inc8(uint8_t *p)
{
    uint32_t tmp, status;

    __asm__ volatile("1: ldaxrb %w0, [%2]\n\t"
                     "add %w0, %w0, #1\n\t"
                     "stlxrb %w1, %w0, [%2]\n\t"
                     "cbnz %w1, 1b"
                     : "=&r"(tmp), "=&r"(status) : "r"(p) : "memory");
}

static void test_loops(void)
{
    unsigned retries = 0;

    for (int i = 0; i < 1000; i++) {
        retries += atomic_add64(&counter64, 3);
        atomic_add32_acqrel(&counter32, 2);
        atomic_inc16(&counter16);
        atomic_inc8(&counter8);
    }
    tap_eq(counter64, 3000, "ldxr/stxr loop, 64-bit");
    tap_eq(counter32, 2000, "ldaxr/stlxr loop, 32-bit");
    tap_eq(counter16, 1000, "ldxrh/stxrh loop");
    tap_eq(counter8, 1000 & 0xff, "ldaxrb/stlxrb loop wraps at 8 bits");
    /* Nothing else runs: an undisturbed exclusive pair must not keep failing. */
    tap_ok(retries < 10, "store-exclusive succeeds without interference (%u retries)", retries);
}

static void test_pair(void)
{
    uint64_t lo, hi;
    unsigned status;

    pair[0] = 0x1111;
    pair[1] = 0x2222;
    __asm__ volatile("1: ldxp %0, %1, [%3]\n\t"
                     "add %0, %0, #1\n\t"
                     "add %1, %1, #2\n\t"
                     "stxp %w2, %0, %1, [%3]\n\t"
                     "cbnz %w2, 1b"
                     : "=&r"(lo), "=&r"(hi), "=&r"(status) : "r"(pair) : "memory");
    tap_ok(pair[0] == 0x1112 && pair[1] == 0x2224, "ldxp/stxp");
    __asm__ volatile("1: ldaxp %0, %1, [%3]\n\t"
                     "stlxp %w2, %1, %0, [%3]\n\t"
                     "cbnz %w2, 1b"
                     : "=&r"(lo), "=&r"(hi), "=&r"(status) : "r"(pair) : "memory");
    tap_ok(pair[0] == 0x2224 && pair[1] == 0x1112, "ldaxp/stlxp swap");
}

static void test_monitor(void)
{
    uint64_t v = 0, tmp;
    unsigned status;

    /* Any earlier store-exclusive cleared the monitor. */
    __asm__ volatile("stxr %w0, %2, [%1]" : "=&r"(status) : "r"(&v), "r"(5ul) : "memory");
    tap_ok(status == 1 && v == 0, "stxr without ldxr fails (status %u)", status);
    __asm__ volatile("ldxr %0, [%2]\n\t"
                     "clrex\n\t"
                     "stxr %w1, %3, [%2]"
                     : "=&r"(tmp), "=&r"(status) : "r"(&v), "r"(7ul) : "memory");
    tap_ok(status == 1 && v == 0, "clrex makes stxr fail (status %u)", status);
    __asm__ volatile("ldxr %0, [%2]\n\t"
                     "stxr %w1, %3, [%2]"
                     : "=&r"(tmp), "=&r"(status) : "r"(&v), "r"(9ul) : "memory");
    tap_ok(status == 0 && v == 9, "ldxr + stxr succeeds");
    __asm__ volatile("stxr %w0, %2, [%1]" : "=&r"(status) : "r"(&v), "r"(11ul) : "memory");
    tap_ok(status == 1 && v == 9, "a second stxr fails");
}

static void test_acquire_release(void)
{
    uint64_t v = 0, r;
    uint32_t w;

    __asm__ volatile("stlr %1, [%0]" : : "r"(&v), "r"(0x77ul) : "memory");
    __asm__ volatile("ldar %0, [%1]" : "=r"(r) : "r"(&v) : "memory");
    tap_eq(r, 0x77, "stlr/ldar");
    __asm__ volatile("stlr %w1, [%0]" : : "r"(&w), "r"(0x12345678ul) : "memory");
    __asm__ volatile("ldar %w0, [%1]" : "=r"(r) : "r"(&w) : "memory");
    tap_eq(r, 0x12345678, "stlr/ldar w");
    __asm__ volatile("dmb ish\n\tdmb ishld\n\tdsb sy\n\tisb" : : : "memory");
    tap_ok(1, "dmb/dsb/isb execute");
}

int main(void)
{
    tap_diag("exclusives and ordering");
    test_loops();
    test_pair();
    test_monitor();
    test_acquire_release();
    return tap_done();
}
