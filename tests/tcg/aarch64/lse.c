/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ARMv8.1 LSE atomics at every size: LDADD, LDCLR, LDEOR, LDSET, the
 * signed and unsigned min/max, SWP, the ST<op> aliases (Rt = XZR), CAS and
 * CASP, with their acquire/release forms; each returns the old value and
 * leaves the new one in memory. Also LDAPR (v8.3 RCpc).
 */
#include "runtime.h"

static uint64_t m64 __attribute__((aligned(16)));
static uint64_t pair64[2] __attribute__((aligned(16)));
static uint32_t pair32[2] __attribute__((aligned(8)));
static uint32_t m32;
static uint16_t m16;
static uint8_t m8;

#define OP64(insn, val) ({ uint64_t o_; __asm__ volatile(insn " %1, %0, [%2]" : "=&r"(o_) : "r"((uint64_t)(val)), "r"(&m64) : "memory"); o_; })
#define OP32(insn, val) ({ uint32_t o_; __asm__ volatile(insn " %w1, %w0, [%2]" : "=&r"(o_) : "r"((uint32_t)(val)), "r"(&m32) : "memory"); o_; })

int main(void)
{
    uint64_t o;
    uint32_t w;

    puts("# LSE atomics");

    m64 = 100;
    o = OP64("ldadd", 5);
    tap_eq(o, 100, "ldadd old");
    tap_eq(m64, 105, "ldadd new");
    o = OP64("ldaddal", -6);
    tap_eq(m64, 99, "ldaddal new");
    m64 = 0xff;
    OP64("ldclr", 0x0f);
    tap_eq(m64, 0xf0, "ldclr");
    OP64("ldeora", 0xff);
    tap_eq(m64, 0x0f, "ldeora");
    OP64("ldsetl", 0x100);
    tap_eq(m64, 0x10f, "ldsetl");
    m64 = (uint64_t)-5;
    o = OP64("ldsmax", 3);
    tap_eq(o, (uint64_t)-5, "ldsmax old");
    tap_eq(m64, 3, "ldsmax signed");
    m64 = (uint64_t)-5;
    OP64("ldumax", 3);
    tap_eq(m64, (uint64_t)-5, "ldumax unsigned");
    OP64("ldsmin", 3);
    tap_eq(m64, (uint64_t)-5, "ldsmin signed");
    OP64("ldumin", 3);
    tap_eq(m64, 3, "ldumin unsigned");
    o = OP64("swp", 0x1234);
    tap_eq(o, 3, "swp old");
    tap_eq(m64, 0x1234, "swp new");
    __asm__ volatile("stadd %0, [%1]" : : "r"(1ul), "r"(&m64) : "memory");
    tap_eq(m64, 0x1235, "stadd (rt = xzr)");

    m32 = 0x7fffffff;
    w = OP32("ldadd", 1);
    tap_eq(w, 0x7fffffff, "ldadd w old");
    tap_eq(m32, 0x80000000, "ldadd w wraps");
    OP32("ldsmax", 5);
    tap_eq(m32, 5, "ldsmax w signed");

    m16 = 0xfffe;
    __asm__ volatile("ldaddh %w1, %w0, [%2]" : "=&r"(w) : "r"(3), "r"(&m16) : "memory");
    tap_eq(w, 0xfffe, "ldaddh old");
    tap_eq(m16, 1, "ldaddh wraps at 16 bits");
    m8 = 0x80;
    __asm__ volatile("ldsminb %w1, %w0, [%2]" : "=&r"(w) : "r"(1), "r"(&m8) : "memory");
    tap_eq(m8, 0x80, "ldsminb: -128 < 1");
    __asm__ volatile("swpb %w1, %w0, [%2]" : "=&r"(w) : "r"(0x1ff), "r"(&m8) : "memory");
    tap_eq(w, 0x80, "swpb old");
    tap_eq(m8, 0xff, "swpb stores one byte");

    /* CAS: success and failure. */
    uint64_t cmp = 0x1235;
    m64 = 0x1235;
    __asm__ volatile("cas %0, %1, [%2]" : "+r"(cmp) : "r"(77ul), "r"(&m64) : "memory");
    tap_eq(cmp, 0x1235, "cas returns the old value");
    tap_eq(m64, 77, "cas stores when equal");
    cmp = 1;
    __asm__ volatile("casal %0, %1, [%2]" : "+r"(cmp) : "r"(88ul), "r"(&m64) : "memory");
    tap_eq(cmp, 77, "casal fails: returns memory");
    tap_eq(m64, 77, "casal fails: memory kept");
    w = 0x80000000;
    m32 = 0x80000000;
    __asm__ volatile("cas %w0, %w1, [%2]" : "+r"(w) : "r"(9), "r"(&m32) : "memory");
    tap_eq(m32, 9, "cas w");

    /* CASP, 64-bit and 32-bit pairs. */
    pair64[0] = 1;
    pair64[1] = 2;
    {
        register uint64_t x0 __asm__("x0") = 1, x1 __asm__("x1") = 2;
        register uint64_t x2 __asm__("x2") = 3, x3 __asm__("x3") = 4;
        __asm__ volatile("casp x0, x1, x2, x3, [%4]"
                         : "+r"(x0), "+r"(x1) : "r"(x2), "r"(x3), "r"(pair64) : "memory");
        tap_ok(x0 == 1 && x1 == 2, "casp returns old pair");
        tap_ok(pair64[0] == 3 && pair64[1] == 4, "casp stores new pair");
        x0 = 9;
        __asm__ volatile("caspal x0, x1, x2, x3, [%4]"
                         : "+r"(x0), "+r"(x1) : "r"(x2), "r"(x3), "r"(pair64) : "memory");
        tap_ok(x0 == 3 && x1 == 4, "caspal fails: returns memory");
    }
    pair32[0] = 5;
    pair32[1] = 6;
    {
        register uint64_t x4 __asm__("x4") = 5, x5 __asm__("x5") = 6;
        register uint64_t x6 __asm__("x6") = 7, x7 __asm__("x7") = 8;
        __asm__ volatile("casp w4, w5, w6, w7, [%4]"
                         : "+r"(x4), "+r"(x5) : "r"(x6), "r"(x7), "r"(pair32) : "memory");
        tap_ok(x4 == 5 && x5 == 6, "casp w returns old pair");
        tap_ok(pair32[0] == 7 && pair32[1] == 8, "casp w stores new pair");
    }

    m64 = 0xabcdef;
    __asm__ volatile("ldapr %0, [%1]" : "=r"(o) : "r"(&m64) : "memory");
    tap_eq(o, 0xabcdef, "ldapr");
    return tap_done();
}
