/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Linux user-mode platform of the difftest programs (run by qemu-aarch64):
 * entry point, output through write(2) and exit through exit_group(2). A
 * sequence that faults kills the process with a signal; the runner notices
 * the missing "END" line and names the sequence from the last output.
 */
#include "difftest.h"

const uint64_t dt_platform_id = 1;

#define SYS_WRITE      64
#define SYS_EXIT_GROUP 94

static long syscall3(long nr, long a, long b, long c)
{
    register long x8 __asm__("x8") = nr;
    register long x0 __asm__("x0") = a;
    register long x1 __asm__("x1") = b;
    register long x2 __asm__("x2") = c;

    __asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
    return x0;
}

void plat_write(const char *buf, size_t len)
{
    while (len) {
        long n = syscall3(SYS_WRITE, 1, (long)buf, (long)len);

        if (n <= 0) {
            plat_exit(2);
        }
        buf += n;
        len -= (size_t)n;
    }
}

void plat_exit(int code)
{
    for (;;) {
        syscall3(SYS_EXIT_GROUP, code, 0, 0);
    }
}

void plat_start(void) __attribute__((noreturn));
void plat_start(void)
{
    plat_exit(dt_main());
}

/* The kernel's stack is fine: just clear the frame pointer and go. */
__asm__(
    "    .section .text.start, \"ax\"\n"
    "    .global _start\n"
    "_start:\n"
    "    mov x29, #0\n"
    "    mov x30, #0\n"
    "    b plat_start\n");
