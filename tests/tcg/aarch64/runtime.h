/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Runtime of the bare-metal AArch64 test programs: polled output on the
 * virt board's PL011 (0x0900_0000), a printf small enough to need nothing
 * from libgcc, the memory/string functions GCC may call on its own, a TAP
 * reporter, and exit.
 *
 * Exit: semihosting SYS_EXIT (HLT #0xF000, w0 = 0x18, x1 -> {reason =
 * ADP_Stopped_ApplicationExit, code}), which QEMU honours with -semihosting
 * and turns into its own exit status. That is the default because the
 * status carries the result. If the emulator has no semihosting, the HLT
 * traps as an undefined instruction; the exception handler recognises it
 * and falls back to PSCI SYSTEM_OFF (function 0x84000008) through HVC (SMC
 * when started at EL2), which powers off with status 0 and leaves the
 * verdict to the TAP output alone.
 */
#ifndef TCG_AARCH64_RUNTIME_H
#define TCG_AARCH64_RUNTIME_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PL011_BASE 0x09000000ul

/* Called by crt0 before main: enables the UART (8N1, FIFOs on). */
void runtime_init(void);

void putchar_raw(char c);
int putchar(int c);             /* '\n' becomes "\r\n" */
int puts(const char *s);        /* appends a newline */
/* %d %i %u %x %X %p %s %c %%, with 'l'/'ll'/'z' sizes, '0' and a width. */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

/* ---- TAP ---- */

/* Optional: announce the number of tests first (else tap_done prints it). */
void tap_plan(int n);
/* "ok N - desc" or "not ok N - desc"; returns cond. */
bool tap_ok(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* ok when got == want, else a "# got/want" diagnostic follows. */
bool tap_eq(uint64_t got, uint64_t want, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A "# ..." line. */
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print the plan if not given, return 0 if every test passed, else 1. */
int tap_done(void);

/* ---- exit ---- */

#define SEMIHOST_SYS_EXIT      0x18
#define ADP_STOPPED_APP_EXIT   0x20026
#define PSCI_SYSTEM_OFF        0x84000008u

uint64_t semihost_call(uint32_t op, uint64_t param);
uint64_t psci_hvc(uint64_t fn);
uint64_t psci_smc(uint64_t fn);
void psci_system_off(void) __attribute__((noreturn));
void exit(int code) __attribute__((noreturn));

/* Keep the compiler from folding a value it would otherwise know. */
#define HIDE(x) ({ __auto_type hide_v_ = (x); __asm__ volatile("" : "+r"(hide_v_)); hide_v_; })

#endif
