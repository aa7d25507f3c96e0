/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Several vCPUs at once (run with -smp 4): the primary starts the others
 * with PSCI CPU_ON, every CPU increments shared counters with LDXR/STXR
 * retry loops and with LSE LDADD, the secondaries power themselves off with
 * CPU_OFF, and the totals must be exact: an exclusive monitor or an atomic
 * that is not atomic across host threads loses increments.
 */
#include "runtime.h"

#define NCPUS 4
#define ITERS 20000

#define PSCI_CPU_ON         0xc4000003ul
#define PSCI_CPU_OFF        0x84000002ul
#define PSCI_AFFINITY_INFO  0xc4000004ul

static uint64_t counter_excl __attribute__((aligned(64)));
static uint64_t counter_lse __attribute__((aligned(64)));
static volatile uint32_t started[NCPUS], finished[NCPUS];
uint8_t sec_stacks[NCPUS][4096] __attribute__((aligned(16)));

void secondary_main(uint64_t index);

__asm__(
    "    .text\n"
    "    .global secondary_entry\n"
    "secondary_entry:\n"            /* x0 = context id = CPU index */
    "    adrp x1, sec_stacks\n"
    "    add x1, x1, :lo12:sec_stacks\n"
    "    add x2, x0, #1\n"
    "    add x1, x1, x2, lsl #12\n"
    "    mov sp, x1\n"
    "    adrp x1, vectors\n"
    "    add x1, x1, :lo12:vectors\n"
    "    msr vbar_el1, x1\n"
    "    isb\n"
    "    bl secondary_main\n"
    "1:  wfi\n"
    "    b 1b\n");

extern char secondary_entry[];

static uint64_t psci(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
    register uint64_t x0 __asm__("x0") = fn;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;

    __asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
    return x0;
}

static void work(void)
{
    for (unsigned i = 0; i < ITERS; i++) {
        uint64_t tmp;
        unsigned status;

        __asm__ volatile("1: ldaxr %0, [%2]\n\t"
                         "add %0, %0, #1\n\t"
                         "stlxr %w1, %0, [%2]\n\t"
                         "cbnz %w1, 1b"
                         : "=&r"(tmp), "=&r"(status) : "r"(&counter_excl) : "memory");
        __asm__ volatile(".arch_extension lse\n\tstaddl %0, [%1]"
                         : : "r"(1ul), "r"(&counter_lse) : "memory");
    }
}

void secondary_main(uint64_t index)
{
    started[index] = 1;
    /* Wait for everyone so that the loops really overlap. */
    for (unsigned i = 1; i < NCPUS; i++) {
        while (!started[i]) {
            __asm__ volatile("yield");
        }
    }
    work();
    __asm__ volatile("dmb ish" : : : "memory");
    finished[index] = 1;
    psci(PSCI_CPU_OFF, 0, 0, 0);
}

int main(void)
{
    uint64_t ret;
    bool all;

    puts("# SMP: PSCI CPU_ON/CPU_OFF, exclusives and LSE across vCPUs");
    started[0] = 1;
    for (unsigned i = 1; i < NCPUS; i++) {
        ret = psci(PSCI_CPU_ON, i, (uint64_t)(uintptr_t)secondary_entry, i);
        tap_eq(ret, 0, "CPU_ON cpu %u", i);
    }
    ret = psci(PSCI_CPU_ON, 0, (uint64_t)(uintptr_t)secondary_entry, 0);
    tap_eq(ret, (uint64_t)-4, "CPU_ON of the running primary: ALREADY_ON");
    work();
    for (unsigned i = 1; i < NCPUS; i++) {
        for (unsigned long spin = 0; !finished[i] && spin < 2000000000ul; spin++) {
            __asm__ volatile("yield");
        }
    }
    all = true;
    for (unsigned i = 1; i < NCPUS; i++) {
        all = all && finished[i];
    }
    tap_ok(all, "every secondary finished");
    __asm__ volatile("dmb ish" : : : "memory");
    tap_eq(counter_excl, (uint64_t)NCPUS * ITERS, "ldaxr/stlxr increments from %d CPUs", NCPUS);
    tap_eq(counter_lse, (uint64_t)NCPUS * ITERS, "staddl increments from %d CPUs", NCPUS);
    for (unsigned i = 1; i < NCPUS; i++) {
        for (unsigned long spin = 0; spin < 100000000ul; spin++) {
            if (psci(PSCI_AFFINITY_INFO, i, 0, 0) == 1) {
                break;
            }
        }
        tap_eq(psci(PSCI_AFFINITY_INFO, i, 0, 0), 1, "cpu %u is off after CPU_OFF", i);
    }
    return tap_done();
}
