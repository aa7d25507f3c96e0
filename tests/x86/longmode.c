/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Long mode test kernel: identity-maps the first GiB with 2 MiB pages and
 * switches to 64-bit mode (longmode-entry.S), which prints "Hello from long
 * mode" and exits with 0x42 (status 133) if EFER.LMA is set, 0x43 if not.
 * Exits with 0x3 when the CPU does not offer long mode.
 */
#include "runtime.h"

static uint64_t pml4[512] __attribute__((aligned(4096)));
static uint64_t pdpt[512] __attribute__((aligned(4096)));
static uint64_t pd[512] __attribute__((aligned(4096)));

void enter_long_mode(uint32_t pml4_addr) __attribute__((noreturn));

int kmain(uint32_t magic, const struct mb_info *mbi)
{
    uint32_t r[4];

    serial_init();
    kputs("longmode test\n");
    cpuid(0x80000000, 0, r);
    if (r[0] < 0x80000001) {
        kputs("no extended CPUID\n");
        return 0x3;
    }
    cpuid(0x80000001, 0, r);
    if (!(r[3] & (1u << 29))) {
        kputs("no long mode\n");
        return 0x3;
    }
    for (uint32_t i = 0; i < 512; i++) {
        pd[i] = ((uint64_t)i << 21) | 0x83;     /* present, writable, 2 MiB */
    }
    pdpt[0] = (uint32_t)pd | 0x3;
    pml4[0] = (uint32_t)pdpt | 0x3;
    enter_long_mode((uint32_t)pml4);
}
