/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Branches and conditional data processing: every B.cond condition after
 * CMP on signed/unsigned edge values (checked against C's own comparisons),
 * CBZ/CBNZ/TBZ/TBNZ, CSEL/CSINC/CSINV/CSNEG/CSET/CSETM, CCMP/CCMN chains,
 * BL/BLR/BR/RET, a jump table and a counted loop.
 */
#include "runtime.h"

#define COND_FN(cc)                                                          \
    static int br_##cc(uint64_t a, uint64_t b)                              \
    {                                                                        \
        int r;                                                               \
        __asm__ volatile("cmp %1, %2\n\t"                                    \
                         "b." #cc " 1f\n\t"                                  \
                         "mov %w0, #0\n\t"                                   \
                         "b 2f\n"                                            \
                         "1: mov %w0, #1\n"                                  \
                         "2:"                                                \
                         : "=r"(r) : "r"(a), "r"(b) : "cc");                \
        return r;                                                            \
    }

COND_FN(eq) COND_FN(ne) COND_FN(hs) COND_FN(lo) COND_FN(mi) COND_FN(pl)
COND_FN(vs) COND_FN(vc) COND_FN(hi) COND_FN(ls) COND_FN(ge) COND_FN(lt)
COND_FN(gt) COND_FN(le) COND_FN(al)

static void test_conditions(void)
{
    static const uint64_t vals[] = {
        0, 1, 2, (uint64_t)-1, (uint64_t)INT64_MIN, (uint64_t)INT64_MAX,
    };
    int bad = 0, total = 0;

    for (unsigned i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
        for (unsigned j = 0; j < sizeof(vals) / sizeof(vals[0]); j++) {
            uint64_t a = vals[i], b = vals[j];
            int64_t sa = (int64_t)a, sb = (int64_t)b, diff;
            int v = __builtin_sub_overflow(sa, sb, &diff);
            int n = (int64_t)(a - b) < 0;
            struct { const char *name; int got, want; } c[] = {
                { "eq", br_eq(a, b), a == b },
                { "ne", br_ne(a, b), a != b },
                { "hs", br_hs(a, b), a >= b },
                { "lo", br_lo(a, b), a < b },
                { "mi", br_mi(a, b), n },
                { "pl", br_pl(a, b), !n },
                { "vs", br_vs(a, b), v },
                { "vc", br_vc(a, b), !v },
                { "hi", br_hi(a, b), a > b },
                { "ls", br_ls(a, b), a <= b },
                { "ge", br_ge(a, b), sa >= sb },
                { "lt", br_lt(a, b), sa < sb },
                { "gt", br_gt(a, b), sa > sb },
                { "le", br_le(a, b), sa <= sb },
                { "al", br_al(a, b), 1 },
            };

            for (unsigned k = 0; k < sizeof(c) / sizeof(c[0]); k++) {
                total++;
                if (c[k].got != c[k].want) {
                    bad++;
                    tap_diag("b.%s after cmp 0x%lx, 0x%lx: got %d want %d",
                             c[k].name, a, b, c[k].got, c[k].want);
                }
            }
        }
    }
    tap_ok(bad == 0, "b.cond: %d combinations of condition and operands", total);
}

static int cbz_fn(uint64_t x)
{
    int r;

    __asm__ volatile("mov %w0, #0\n\tcbz %1, 1f\n\tmov %w0, #1\n1:" : "=&r"(r) : "r"(x));
    return r;
}

static int cbnz_w_fn(uint64_t x)
{
    int r;

    __asm__ volatile("mov %w0, #0\n\tcbnz %w1, 1f\n\tmov %w0, #1\n1:" : "=&r"(r) : "r"(x));
    return r;
}

static int tbz63_fn(uint64_t x)
{
    int r;

    __asm__ volatile("mov %w0, #0\n\ttbz %1, #63, 1f\n\tmov %w0, #1\n1:" : "=&r"(r) : "r"(x));
    return r;
}

static int tbnz5_fn(uint64_t x)
{
    int r;

    __asm__ volatile("mov %w0, #0\n\ttbnz %w1, #5, 1f\n\tmov %w0, #1\n1:" : "=&r"(r) : "r"(x));
    return r;
}

static void test_compare_branch(void)
{
    tap_eq(cbz_fn(HIDE(0ul)), 0, "cbz taken on 0");
    tap_eq(cbz_fn(HIDE(1ul << 63)), 1, "cbz not taken on msb");
    tap_eq(cbnz_w_fn(HIDE(0x100000000ul)), 1, "cbnz w ignores the upper half");
    tap_eq(cbnz_w_fn(HIDE(0x80000000ul)), 0, "cbnz w taken");
    tap_eq(tbz63_fn(HIDE(1ul << 63)), 1, "tbz #63 not taken");
    tap_eq(tbz63_fn(HIDE(~(1ul << 63))), 0, "tbz #63 taken");
    tap_eq(tbnz5_fn(HIDE(0x20ul)), 0, "tbnz #5 taken");
    tap_eq(tbnz5_fn(HIDE(0xffffffdful)), 1, "tbnz #5 not taken");
}

static void test_csel(void)
{
    uint64_t r;
    const uint64_t a = 10, b = 20;

    __asm__("cmp %1, %2\n\tcsel %0, %1, %2, lt" : "=r"(r) : "r"(HIDE(a)), "r"(HIDE(b)) : "cc");
    tap_eq(r, 10, "csel lt (min)");
    __asm__("cmp %1, %2\n\tcsel %0, %1, %2, gt" : "=r"(r) : "r"(HIDE(a)), "r"(HIDE(b)) : "cc");
    tap_eq(r, 20, "csel gt not taken");
    __asm__("cmp %1, %2\n\tcsinc %0, %1, %2, eq" : "=r"(r) : "r"(HIDE(a)), "r"(HIDE(b)) : "cc");
    tap_eq(r, 21, "csinc");
    __asm__("cmp %1, %2\n\tcsinv %0, %1, %2, eq" : "=r"(r) : "r"(HIDE(a)), "r"(HIDE(b)) : "cc");
    tap_eq(r, ~20ul, "csinv");
    __asm__("cmp %1, %2\n\tcsneg %0, %1, %2, eq" : "=r"(r) : "r"(HIDE(a)), "r"(HIDE(b)) : "cc");
    tap_eq(r, (uint64_t)-20, "csneg");
    __asm__("cmp %1, %2\n\tcset %0, ne" : "=r"(r) : "r"(HIDE(a)), "r"(HIDE(b)) : "cc");
    tap_eq(r, 1, "cset");
    __asm__("cmp %1, %2\n\tcsetm %0, hi" : "=r"(r) : "r"(HIDE(b)), "r"(HIDE(a)) : "cc");
    tap_eq(r, UINT64_MAX, "csetm");
    __asm__("cmp %1, %1\n\tcinc %0, %1, eq" : "=r"(r) : "r"(HIDE(a)) : "cc");
    tap_eq(r, 11, "cinc");
    __asm__("cmp %1, %2\n\tcneg %0, %1, lo" : "=r"(r) : "r"(HIDE(a)), "r"(HIDE(b)) : "cc");
    tap_eq(r, (uint64_t)-10, "cneg");
    __asm__("cmp %w1, %w2\n\tcsel %w0, %w1, %w2, ge"
            : "=r"(r) : "r"(HIDE(0xfffffffful)), "r"(HIDE(1ul)) : "cc");
    tap_eq(r, 1, "csel w with signed compare");
}

static void test_ccmp(void)
{
    uint64_t r;

    /* (x == 0 || y == 5) as cmp + ccmp */
    __asm__("cmp %1, #0\n\tccmp %2, #5, #4, ne\n\tcset %0, eq"
            : "=r"(r) : "r"(HIDE(0ul)), "r"(HIDE(7ul)) : "cc");
    tap_eq(r, 1, "ccmp condition false: flags from #nzcv");
    __asm__("cmp %1, #0\n\tccmp %2, #5, #4, ne\n\tcset %0, eq"
            : "=r"(r) : "r"(HIDE(1ul)), "r"(HIDE(5ul)) : "cc");
    tap_eq(r, 1, "ccmp condition true: compares");
    __asm__("cmp %1, #0\n\tccmp %2, #5, #4, ne\n\tcset %0, eq"
            : "=r"(r) : "r"(HIDE(1ul)), "r"(HIDE(6ul)) : "cc");
    tap_eq(r, 0, "ccmp condition true: not equal");
    __asm__("cmp %1, #0\n\tccmn %2, #3, #0, eq\n\tcset %0, eq"
            : "=r"(r) : "r"(HIDE(0ul)), "r"(HIDE((uint64_t)-3)) : "cc");
    tap_eq(r, 1, "ccmn");
    __asm__("cmp %1, #1\n\tccmp %2, %3, #2, eq\n\tcset %0, cs"
            : "=r"(r) : "r"(HIDE(0ul)), "r"(HIDE(0ul)), "r"(HIDE(1ul)) : "cc");
    tap_eq(r, 1, "ccmp register form, #nzcv = C");
}

static int __attribute__((noinline)) add_one(int x)
{
    return x + 1;
}

static int __attribute__((noinline)) times_two(int x)
{
    return x * 2;
}

static int __attribute__((noinline)) apply(int (*volatile fn)(int), int x)
{
    return fn(x);
}

static void test_calls(void)
{
    uint64_t r, lr;

    tap_eq(apply(add_one, 41), 42, "blr to a function pointer");
    tap_eq(apply(times_two, 21), 42, "blr to another");
    __asm__ volatile("bl 1f\n"
                     "0: b 2f\n"
                     "1: mov %1, x30\n\t"
                     "adr %0, 0b\n\t"
                     "ret\n"
                     "2:"
                     : "=&r"(r), "=&r"(lr) : : "x30");
    tap_eq(lr, r, "bl sets x30 to the return address");
    __asm__ volatile("adr x9, 1f\n\t"
                     "mov %0, #1\n\t"
                     "br x9\n\t"
                     "mov %0, #2\n"
                     "1:"
                     : "=&r"(r) : : "x9");
    tap_eq(r, 1, "br skips code");
}

static int __attribute__((noinline)) classify(int x)
{
    switch (x) {
    case 0: return 100;
    case 1: return 101;
    case 2: return 117;
    case 3: return 130;
    case 4: return 99;
    case 5: return 142;
    case 6: return 7;
    case 7: return 1;
    case 8: return 2000;
    case 9: return 13;
    default: return -1;
    }
}

static void test_loops(void)
{
    static const int want[] = { 100, 101, 117, 130, 99, 142, 7, 1, 2000, 13, -1 };
    uint64_t n = 0, count;
    int ok = 1;

    for (int i = 0; i < 11; i++) {
        ok &= classify(HIDE(i)) == want[i];
    }
    ok &= classify(HIDE(-5)) == -1;
    tap_ok(ok, "switch through a jump table");
    __asm__ volatile("mov %0, #1000\n"
                     "1: add %1, %1, #3\n\t"
                     "subs %0, %0, #1\n\t"
                     "b.ne 1b"
                     : "=&r"(count), "+r"(n) : : "cc");
    tap_ok(n == 3000 && count == 0, "counted loop of 1000 iterations");
}

int main(void)
{
    tap_diag("branches, conditional select and compare");
    test_conditions();
    test_compare_branch();
    test_csel();
    test_ccmp();
    test_calls();
    test_loops();
    return tap_done();
}
