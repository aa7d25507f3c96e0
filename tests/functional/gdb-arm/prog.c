/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The bare-metal AArch64 program gdb-arm.sh debugs: main calls compute()
 * in a loop, stores each result in `global` and prints it on the PL011,
 * so the script can compare what gdb reads and writes (breakpoints in
 * compute, `bias` changed with `set var`) with what the program prints.
 * When a debugger sets `spin` to 1 it loops at the end instead of
 * exiting, for the Ctrl-C check (spin is in .data: crt0 clears the BSS
 * after the debugger attached at the entry point).
 */
#include "runtime.h"

#define ROUNDS 6

volatile int global;
volatile int bias;
volatile int spin = 2;
volatile int words[3] = { 0x11111111, 0x22222222, 0x33333333 };

__attribute__((noinline)) int compute(int n)
{
    return n * 3 + 1 + bias;
}

int main(void)
{
    for (int i = 0; i < ROUNDS; i++) {
        global = compute(i);
        printf("compute(%d) = %d\n", i, global);
    }
    printf("done\n");
    while (spin == 1) {
        global++;
    }
    return 0;
}
