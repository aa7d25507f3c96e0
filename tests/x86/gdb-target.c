/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Target for the gdb stub test (tests/functional/gdb-x86.sh): 64-bit code
 * that calls target_function() in a loop; each call increments `counter`,
 * which is then printed on COM1 as "counter=N". After `limit` calls (5
 * unless the debugger changes it; 0 means forever, printing only every
 * 2^20 calls) it exits through isa-debug-exit with 0x21 (status 67).
 */
#include "runtime.h"

volatile uint64_t counter;
volatile uint64_t limit = 5;

__attribute__((noinline)) void target_function(void)
{
    counter++;
}

int kmain(uint32_t magic, const struct mb_info *mbi)
{
    serial_init();
    kprintf("gdb-target: 64-bit, magic 0x%x\n", magic);
    if (mbi && (mbi->flags & 4) && mbi->cmdline) {
        const char *cmd = (const char *)(uintptr_t)mbi->cmdline;

        for (; *cmd; cmd++) {
            if (!kstrcmp(cmd, "forever")) {
                limit = 0;
            }
        }
    }
    for (;;) {
        target_function();
        if (!limit && (counter & 0xfffff)) {
            continue;
        }
        kprintf("counter=%u\n", (uint32_t)counter);
        if (limit && counter >= limit) {
            break;
        }
    }
    kputs("gdb-target: done\n");
    return 0x21;
}
