/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The stage-1 MMU of the EL1&0 regime, checked the same way under QEMU and
 * Tern: for each of the 4K, 16K and 64K granules with a 48-bit VA, the
 * program identity-maps itself and the UART with blocks, turns the MMU on,
 * and checks a page alias, translation / access-flag / permission faults
 * (ESR and FAR), a remap made visible by TLBI VAE1, AT S1E1R/S1E0R, and with
 * 4K also a TTBR1 (high half) alias, EL0 access rules through an EL0 run of
 * position-independent code, and PAN.
 */
#include "runtime.h"

#define RAM_BLOCK   0x40000000ull   /* the 1 GiB holding the program */
#define ALIAS_VA    0x100000000ull  /* one page aliasing `target` */
#define FAULT_VA    0x200000000ull  /* never mapped */
#define EL0_VA      0x80000000ull   /* the program's code, again, for EL0 */
#define HIGH_VA     0xffff000000000000ull

#define D_VALID     1ull
#define D_TABLE     3ull
#define D_PAGE      3ull
#define D_BLOCK     1ull
#define D_AF        (1ull << 10)
#define D_SH_INNER  (3ull << 8)
#define D_AP_EL0    (1ull << 6)
#define D_AP_RO     (1ull << 7)
#define D_PXN       (1ull << 53)
#define D_UXN       (1ull << 54)
#define ATTR_NORMAL (0ull << 2)     /* MAIR index 0: write-back */
#define ATTR_DEVICE (1ull << 2)     /* MAIR index 1: Device-nGnRnE */

/* Tables come from here; 64 KiB aligned so every granule is happy. */
static uint8_t pool[12][65536] __attribute__((aligned(65536)));
static unsigned pool_used;
static unsigned gbits, start_level;

/* Page-sized, page-aligned data the tests map and remap. */
static uint8_t target[65536] __attribute__((aligned(65536)));
static uint8_t other[65536] __attribute__((aligned(65536)));

volatile uint64_t seen_esr, seen_far, seen_count, seen_spsr;
uint64_t el0_saved_sp;

/*
 * Exceptions: record ESR/FAR and skip the instruction; an SVC from EL0
 * ends the EL0 excursion by returning from run_el0() at EL1.
 */
__asm__(
    "    .pushsection .text.testvec, \"ax\"\n"
    "    .balign 0x800\n"
    "mmu_vectors:\n"
    "    .rept 16\n"
    "    .balign 0x80\n"
    "    b mmu_handler\n"
    "    .endr\n"
    "mmu_handler:\n"
    "    stp x0, x1, [sp, #-32]!\n"
    "    stp x2, x3, [sp, #16]\n"
    "    mrs x0, esr_el1\n"
    "    mrs x1, far_el1\n"
    "    mrs x3, spsr_el1\n"
    "    adrp x2, seen_esr\n"
    "    str x0, [x2, :lo12:seen_esr]\n"
    "    adrp x2, seen_far\n"
    "    str x1, [x2, :lo12:seen_far]\n"
    "    adrp x2, seen_spsr\n"
    "    str x3, [x2, :lo12:seen_spsr]\n"
    "    adrp x2, seen_count\n"
    "    ldr x1, [x2, :lo12:seen_count]\n"
    "    add x1, x1, #1\n"
    "    str x1, [x2, :lo12:seen_count]\n"
    "    lsr x0, x0, #26\n"
    "    cmp x0, #0x15\n"
    "    b.eq 2f\n"
    "    mrs x1, elr_el1\n"
    "    add x1, x1, #4\n"
    "    msr elr_el1, x1\n"
    "    ldp x2, x3, [sp, #16]\n"
    "    ldp x0, x1, [sp], #32\n"
    "    eret\n"
    /* SVC from EL0: unwind to run_el0's caller at EL1. */
    "2:  add sp, sp, #32\n"
    "    adrp x2, el0_saved_sp\n"
    "    ldr x2, [x2, :lo12:el0_saved_sp]\n"
    "    mov sp, x2\n"
    "    ldp x19, x20, [sp, #16]\n"
    "    ldp x29, x30, [sp], #32\n"
    "    ret\n"
    /* run_el0(entry, x0 arg, x3 arg, x4 arg): eret to EL0t at entry. */
    "    .global run_el0\n"
    "run_el0:\n"
    "    stp x29, x30, [sp, #-32]!\n"
    "    stp x19, x20, [sp, #16]\n"
    "    mov x9, sp\n"
    "    adrp x10, el0_saved_sp\n"
    "    str x9, [x10, :lo12:el0_saved_sp]\n"
    "    msr elr_el1, x0\n"
    "    msr spsr_el1, xzr\n"
    "    mov x0, x1\n"
    "    mov x4, x3\n"
    "    mov x3, x2\n"
    "    eret\n"
    /*
     * EL0 code, position independent: a read it may do (x0), a read of a
     * privileged page (x3: permission fault) and a write to a read-only
     * page (x4: permission fault), then back through SVC.
     */
    "    .global el0_code\n"
    "el0_code:\n"
    "    ldr x1, [x0]\n"
    "    ldr x2, [x3]\n"
    "    str x1, [x4]\n"
    "    svc #0\n"
    "    .popsection\n");

extern char mmu_vectors[], el0_code[];
uint64_t run_el0(uint64_t entry, uint64_t x0, uint64_t x3, uint64_t x4);

static uint64_t *new_table(void)
{
    uint64_t *t = (uint64_t *)pool[pool_used++];
    memset(t, 0, 1u << gbits);
    return t;
}

static unsigned level_shift(unsigned level)
{
    return gbits + (3 - level) * (gbits - 3);
}

static uint64_t *root;

/* Install a leaf at `level` mapping va -> pa, creating tables on the way. */
static void map(uint64_t va, uint64_t pa, unsigned level, uint64_t attrs)
{
    uint64_t *t = root;
    unsigned stride = gbits - 3;

    for (unsigned l = start_level; l < level; l++) {
        unsigned bits = l == start_level ? 48 - level_shift(l) : stride;
        uint64_t idx = (va >> level_shift(l)) & ((1ull << bits) - 1);
        if (!(t[idx] & D_VALID)) {
            t[idx] = (uint64_t)(uintptr_t)new_table() | D_TABLE;
        }
        t = (uint64_t *)(uintptr_t)(t[idx] & 0x0000fffffffff000ull & ~((1ull << gbits) - 1));
    }
    unsigned bits = level == start_level ? 48 - level_shift(level) : stride;
    uint64_t idx = (va >> level_shift(level)) & ((1ull << bits) - 1);
    t[idx] = pa | attrs | (level == 3 ? D_PAGE : D_BLOCK);
}

/* The leaf mapping va at `level` (which must exist). */
static uint64_t *leaf(uint64_t va, unsigned level)
{
    uint64_t *t = root;
    for (unsigned l = start_level; l <= level; l++) {
        unsigned bits = l == start_level ? 48 - level_shift(l) : gbits - 3;
        uint64_t idx = (va >> level_shift(l)) & ((1ull << bits) - 1);
        if (l == level) {
            return &t[idx];
        }
        t = (uint64_t *)(uintptr_t)(t[idx] & 0x0000fffffffff000ull & ~((1ull << gbits) - 1));
    }
    return 0;
}

static inline uint64_t read64(uint64_t va)
{
    uint64_t v;
    __asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(va) : "memory");
    return v;
}

static inline void write64(uint64_t va, uint64_t v)
{
    __asm__ volatile("str %0, [%1]" : : "r"(v), "r"(va) : "memory");
}

static void tlbi_all(void)
{
    __asm__ volatile("dsb ishst\n tlbi vmalle1\n dsb ish\n isb" ::: "memory");
}

static void mmu_off(void)
{
    uint64_t sctlr;
    __asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
    sctlr &= ~1ull;
    __asm__ volatile("msr sctlr_el1, %0\n isb" : : "r"(sctlr) : "memory");
    tlbi_all();
}

/* ESR of the last exception, with the count checked and reset. */
static bool expect_fault(uint64_t ec, uint64_t fsc, uint64_t far, int wnr, const char *what)
{
    bool ok = seen_count == 1 && (seen_esr >> 26) == ec && (seen_esr & 0x3f) == fsc &&
              seen_far == far && (wnr < 0 || (int)((seen_esr >> 6) & 1) == wnr);
    if (!ok) {
        tap_diag("count %lu esr 0x%lx far 0x%lx; want ec 0x%lx fsc 0x%lx far 0x%lx",
                 (unsigned long)seen_count, (unsigned long)seen_esr, (unsigned long)seen_far,
                 (unsigned long)ec, (unsigned long)fsc, (unsigned long)far);
    }
    seen_count = 0;
    return tap_ok(ok, "%s", what);
}

static void run_granule(unsigned g)
{
    static const char *const names[] = { [12] = "4K", [14] = "16K", [16] = "64K" };
    const char *gn = names[g];
    uint64_t tg0 = g == 12 ? 0 : g == 16 ? 1 : 2;
    uint64_t page = 1ull << g;
    uint64_t tpa = (uint64_t)(uintptr_t)target, opa = (uint64_t)(uintptr_t)other;
    unsigned block_level = 2;
    uint64_t block = 1ull << level_shift(2);

    gbits = g;
    start_level = g == 16 ? 1 : 0;
    pool_used = 0;
    root = new_table();

    /* RAM and the UART, identity-mapped with level-2 blocks. */
    block = 1ull << level_shift(block_level);
    for (uint64_t a = RAM_BLOCK; a < RAM_BLOCK + 0x2000000ull; a += block) {
        map(a, a, block_level, D_AF | D_SH_INNER | ATTR_NORMAL | D_UXN);
    }
    map(PL011_BASE & ~(block - 1), PL011_BASE & ~(block - 1), block_level,
        D_AF | ATTR_DEVICE | D_UXN | D_PXN);
    map(ALIAS_VA, tpa, 3, D_AF | D_SH_INNER | ATTR_NORMAL | D_UXN | D_PXN);
    map(ALIAS_VA + page, tpa, 3, D_SH_INNER | ATTR_NORMAL | D_UXN | D_PXN);           /* AF = 0 */
    map(ALIAS_VA + 2 * page, tpa, 3, D_AF | D_AP_RO | ATTR_NORMAL | D_UXN | D_PXN);   /* RO */
    if (g == 12) {
        /* EL0: the program's 2 MiB again, read-only and EL0-executable. */
        map(EL0_VA, RAM_BLOCK + 0x200000, 2, D_AF | D_SH_INNER | D_AP_EL0 | D_AP_RO | D_PXN);
        /* A page EL0 may read and write. */
        map(ALIAS_VA + 3 * page, opa, 3, D_AF | D_SH_INNER | D_AP_EL0 | D_UXN | D_PXN);
    }

    uint64_t tcr = 16 | (1ull << 8) | (1ull << 10) | (3ull << 12) | (tg0 << 14) |
                   (1ull << 23) /* EPD1 */ | (5ull << 32);
    uint64_t *high_root = 0;
    if (g == 12) {
        /* TTBR1: a high-half alias of `target`, 4K granule (TG1 = 2). */
        uint64_t *saved = root;
        root = high_root = new_table();
        map(HIGH_VA, tpa, 3, D_AF | D_SH_INNER | D_UXN | D_PXN);
        root = saved;
        tcr &= ~(1ull << 23);
        tcr |= (16ull << 16) | (2ull << 30) | (1ull << 24) | (1ull << 26) | (3ull << 28);
    }
    __asm__ volatile("msr mair_el1, %0" : : "r"(0x00ffull));
    __asm__ volatile("msr tcr_el1, %0" : : "r"(tcr));
    __asm__ volatile("msr ttbr0_el1, %0" : : "r"((uint64_t)(uintptr_t)root));
    __asm__ volatile("msr ttbr1_el1, %0" : : "r"((uint64_t)(uintptr_t)high_root));
    __asm__ volatile("dsb ish\n isb");
    uint64_t sctlr;
    __asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
    sctlr |= 1;                          /* M */
    sctlr &= ~(1ull << 23);              /* SPAN = 0: exceptions set PAN */
    __asm__ volatile("msr sctlr_el1, %0\n isb" : : "r"(sctlr) : "memory");

    tap_ok(1, "%s: running with the MMU on", gn);
    target[8] = 0x5a;
    ((volatile uint64_t *)target)[2] = 0x1122334455667788ull;
    tap_eq(read64(ALIAS_VA + 16), 0x1122334455667788ull, "%s: alias page reads the target", gn);
    write64(ALIAS_VA + 24, 0xabcdull);
    tap_eq(((volatile uint64_t *)target)[3], 0xabcdull, "%s: a store through the alias lands", gn);

    seen_count = 0;
    (void)read64(FAULT_VA + 8);
    /* 8 GiB: an empty level-1 entry with 4K, an empty level-2 entry otherwise. */
    expect_fault(0x25, g == 12 ? 0x05 : 0x06, FAULT_VA + 8, 0,
                 "translation fault: EC, level and FAR");
    (void)read64(ALIAS_VA + page + 8);
    expect_fault(0x25, 0x0b, ALIAS_VA + page + 8, 0, "access flag fault at level 3");
    write64(ALIAS_VA + 2 * page, 1);
    expect_fault(0x25, 0x0f, ALIAS_VA + 2 * page, 1, "permission fault on a read-only store");
    tap_eq(read64(ALIAS_VA + 2 * page + 16), 0x1122334455667788ull,
           "%s: the read-only page still reads", gn);

    /* Remap the alias to `other`; TLBI VAE1 makes it visible. */
    ((volatile uint64_t *)other)[2] = 0x99ull;
    (void)read64(ALIAS_VA);
    *leaf(ALIAS_VA, 3) = opa | D_AF | D_SH_INNER | D_UXN | D_PXN | D_PAGE;
    __asm__ volatile("dsb ishst\n tlbi vae1, %0\n dsb ish\n isb" : : "r"(ALIAS_VA >> 12)
                     : "memory");
    tap_eq(read64(ALIAS_VA + 16), 0x99ull, "%s: TLBI VAE1 makes a remap visible", gn);

    uint64_t par;
    __asm__ volatile("at s1e1r, %1\n isb\n mrs %0, par_el1" : "=r"(par) : "r"(ALIAS_VA + 0x10));
    tap_eq(par & 0x0000fffffffff001ull, opa, "%s: AT S1E1R gives the PA", gn);
    __asm__ volatile("at s1e1r, %1\n isb\n mrs %0, par_el1" : "=r"(par) : "r"(FAULT_VA));
    tap_eq(par & 1, 1, "%s: AT S1E1R of an unmapped VA sets PAR.F", gn);

    if (g == 12) {
        tap_eq(read64(HIGH_VA + 16), 0x1122334455667788ull, "4K: TTBR1 high-half alias");

        /* EL0: one read allowed, a privileged read and a read-only write fault. */
        uint64_t code = EL0_VA + ((uint64_t)(uintptr_t)el0_code - (RAM_BLOCK + 0x200000));
        ((volatile uint64_t *)other)[0] = 7;
        seen_count = 0;
        run_el0(code, ALIAS_VA + 3 * page, (uint64_t)(uintptr_t)target, EL0_VA);
        tap_eq(seen_count, 3, "EL0: two faults and the SVC");
        uint64_t spsr;
        __asm__ volatile("mrs %0, spsr_el1" : "=r"(spsr));
        tap_eq(spsr & 0xf, 0, "EL0: SPSR shows EL0t");
        __asm__ volatile("msr daifset, #0xf");

        /* PAN: EL1 loses access to EL0 pages; LDTR keeps it. */
        uint64_t v;
        __asm__ volatile(".arch armv8.1-a\n msr pan, #1\n isb");
        seen_count = 0;
        (void)read64(ALIAS_VA + 3 * page);
        expect_fault(0x25, 0x0f, ALIAS_VA + 3 * page, 0, "PAN: EL1 read of an EL0 page faults");
        __asm__ volatile("ldtr %0, [%1]" : "=r"(v) : "r"(ALIAS_VA + 3 * page));
        tap_eq(v, 7, "PAN: LDTR still reads the EL0 page");
        __asm__ volatile("mrs %0, pan" : "=r"(v));
        tap_eq(v, 1ull << 22, "PAN reads back as set");
        __asm__ volatile(".arch armv8.1-a\n msr pan, #0\n isb");
        tap_eq(read64(ALIAS_VA + 3 * page), 7, "PAN clear: EL1 reads the EL0 page");
    }
    mmu_off();
}

int main(void)
{
    uint64_t mmfr0;
    __asm__ volatile("mrs %0, id_aa64mmfr0_el1" : "=r"(mmfr0));
    __asm__ volatile("msr vbar_el1, %0\n isb" : : "r"(mmu_vectors));

    run_granule(12);
    if (((mmfr0 >> 20) & 0xf) != 0) {   /* 1, or 2 with 52-bit addresses */
        run_granule(14);
    } else {
        tap_diag("16K granule not advertised");
    }
    if (((mmfr0 >> 24) & 0xf) == 0) {
        run_granule(16);
    }
    return tap_done();
}
