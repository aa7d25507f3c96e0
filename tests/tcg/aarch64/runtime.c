/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Runtime of the bare-metal AArch64 tests (see runtime.h): UART output,
 * printf, string functions, TAP reporting, exit and the report of
 * unexpected exceptions. Everything is polled; interrupts stay masked.
 * The MMU is off, so all data accesses are Device accesses and must be
 * aligned: the programs are built with -mstrict-align.
 */
#include "runtime.h"

/* PL011 registers (ARM DDI 0183). */
#define UART_DR    0x000
#define UART_FR    0x018
#define UART_IBRD  0x024
#define UART_FBRD  0x028
#define UART_LCR_H 0x02c
#define UART_CR    0x030
#define UART_IMSC  0x038
#define FR_TXFF    (1u << 5)

static inline void mmio_write32(unsigned long addr, uint32_t v)
{
    *(volatile uint32_t *)addr = v;
}

static inline uint32_t mmio_read32(unsigned long addr)
{
    return *(volatile uint32_t *)addr;
}

void runtime_init(void)
{
    mmio_write32(PL011_BASE + UART_CR, 0);
    mmio_write32(PL011_BASE + UART_IMSC, 0);
    /* 115200 baud from a 24 MHz UARTCLK: 13 + 1/64 (nothing checks it). */
    mmio_write32(PL011_BASE + UART_IBRD, 13);
    mmio_write32(PL011_BASE + UART_FBRD, 1);
    mmio_write32(PL011_BASE + UART_LCR_H, (3u << 5) | (1u << 4));  /* 8 bits, FIFO */
    mmio_write32(PL011_BASE + UART_CR, (1u << 0) | (1u << 8) | (1u << 9));
}

void putchar_raw(char c)
{
    while (mmio_read32(PL011_BASE + UART_FR) & FR_TXFF) {
        /* wait for room */
    }
    mmio_write32(PL011_BASE + UART_DR, (uint8_t)c);
}

int putchar(int c)
{
    if (c == '\n') {
        putchar_raw('\r');
    }
    putchar_raw(c);
    return (unsigned char)c;
}

int puts(const char *s)
{
    while (*s) {
        putchar(*s++);
    }
    putchar('\n');
    return 0;
}

/* ---- formatting ---- */

typedef struct Sink {
    char *buf;          /* NULL: the UART */
    size_t size, len;
} Sink;

static void sink_put(Sink *s, char c)
{
    if (!s->buf) {
        putchar(c);
    } else if (s->len + 1 < s->size) {
        s->buf[s->len] = c;
    }
    s->len++;
}

static void put_number(Sink *s, uint64_t v, unsigned base, bool upper, bool neg,
                       int width, char pad)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0;

    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v);
    if (neg && pad == '0') {
        sink_put(s, '-');
    }
    for (int w = n + (neg ? 1 : 0); w < width; w++) {
        sink_put(s, pad);
    }
    if (neg && pad != '0') {
        sink_put(s, '-');
    }
    while (n) {
        sink_put(s, tmp[--n]);
    }
}

static int format(Sink *s, const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        int width = 0, lng = 0;
        char pad = ' ';
        uint64_t u;
        int64_t i;

        if (*fmt != '%') {
            sink_put(s, *fmt);
            continue;
        }
        fmt++;
        if (*fmt == '0') {
            pad = '0';
            fmt++;
        }
        while (*fmt >= '0' && *fmt <= '9') {
            width = width * 10 + (*fmt++ - '0');
        }
        while (*fmt == 'l' || *fmt == 'z') {
            lng++;
            fmt++;
        }
        switch (*fmt) {
        case 'd':
        case 'i':
            i = lng ? va_arg(ap, int64_t) : va_arg(ap, int);
            put_number(s, i < 0 ? -(uint64_t)i : (uint64_t)i, 10, false, i < 0, width, pad);
            break;
        case 'u':
            u = lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
            put_number(s, u, 10, false, false, width, pad);
            break;
        case 'x':
        case 'X':
            u = lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
            put_number(s, u, 16, *fmt == 'X', false, width, pad);
            break;
        case 'p':
            sink_put(s, '0');
            sink_put(s, 'x');
            put_number(s, (uintptr_t)va_arg(ap, void *), 16, false, false, width, pad);
            break;
        case 's': {
            const char *str = va_arg(ap, const char *);
            int len = 0;

            str = str ? str : "(null)";
            while (str[len]) {
                len++;
            }
            for (; len < width; width--) {
                sink_put(s, ' ');
            }
            while (*str) {
                sink_put(s, *str++);
            }
            break;
        }
        case 'c':
            sink_put(s, (char)va_arg(ap, int));
            break;
        case '%':
            sink_put(s, '%');
            break;
        case '\0':
            fmt--;
            break;
        default:
            sink_put(s, '%');
            sink_put(s, *fmt);
            break;
        }
    }
    return s->len;
}

int vprintf(const char *fmt, va_list ap)
{
    Sink s = { 0 };

    return format(&s, fmt, ap);
}

int printf(const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    static char dummy;
    Sink s = { size ? buf : &dummy, size, 0 };
    int n = format(&s, fmt, ap);

    if (size) {
        buf[s.len < size ? s.len : size - 1] = '\0';
    }
    return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

/* ---- memory and strings (GCC may emit calls to the first four) ---- */

void *memcpy(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;

    if ((((uintptr_t)d | (uintptr_t)s) & 7) == 0) {
        for (; n >= 8; n -= 8, d += 8, s += 8) {
            *(uint64_t *)d = *(const uint64_t *)s;
        }
    }
    while (n--) {
        *d++ = *s++;
    }
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;

    if (d <= s || d >= s + n) {
        return memcpy(dst, src, n);
    }
    while (n--) {
        d[n] = s[n];
    }
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    uint8_t *d = dst;

    if (((uintptr_t)d & 7) == 0) {
        uint64_t pattern = 0x0101010101010101ull * (uint8_t)c;

        for (; n >= 8; n -= 8, d += 8) {
            *(uint64_t *)d = pattern;
        }
    }
    while (n--) {
        *d++ = (uint8_t)c;
    }
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const uint8_t *x = a, *y = b;

    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i]) {
            return x[i] < y[i] ? -1 : 1;
        }
    }
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;

    while (s[n]) {
        n++;
    }
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return (unsigned char)*a - (unsigned char)*b;
}

/* ---- TAP ---- */

static int tap_count, tap_failed, tap_planned = -1;

void tap_plan(int n)
{
    tap_planned = n;
    printf("1..%d\n", n);
}

static bool tap_vreport(bool cond, const char *fmt, va_list ap)
{
    tap_count++;
    if (!cond) {
        tap_failed++;
    }
    printf("%sok %d - ", cond ? "" : "not ", tap_count);
    vprintf(fmt, ap);
    putchar('\n');
    return cond;
}

bool tap_ok(bool cond, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    tap_vreport(cond, fmt, ap);
    va_end(ap);
    return cond;
}

bool tap_eq(uint64_t got, uint64_t want, const char *fmt, ...)
{
    va_list ap;
    bool ok = got == want;

    va_start(ap, fmt);
    tap_vreport(ok, fmt, ap);
    va_end(ap);
    if (!ok) {
        printf("#   got  0x%016lx\n#   want 0x%016lx\n", got, want);
    }
    return ok;
}

void tap_diag(const char *fmt, ...)
{
    va_list ap;

    printf("# ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
}

int tap_done(void)
{
    if (tap_planned < 0) {
        printf("1..%d\n", tap_count);
    } else if (tap_planned != tap_count) {
        printf("# planned %d tests but ran %d\n", tap_planned, tap_count);
        return 1;
    }
    if (tap_failed) {
        printf("# %d of %d tests failed\n", tap_failed, tap_count);
    }
    return tap_failed ? 1 : 0;
}

/* ---- exit and exceptions ---- */

extern char semihost_trap[];
static int exception_depth;

static unsigned current_el(void)
{
    uint64_t el;

    __asm__ volatile("mrs %0, CurrentEL" : "=r"(el));
    return (el >> 2) & 3;
}

void psci_system_off(void)
{
    /* At EL2 QEMU's virt takes PSCI calls by SMC, at EL1 by HVC. */
    if (current_el() >= 2) {
        psci_smc(PSCI_SYSTEM_OFF);
    } else {
        psci_hvc(PSCI_SYSTEM_OFF);
    }
    for (;;) {
        __asm__ volatile("wfi");
    }
}

void exit(int code)
{
    uint64_t block[2] = { ADP_STOPPED_APP_EXIT, (uint64_t)(int64_t)code };

    semihost_call(SEMIHOST_SYS_EXIT, (uint64_t)(uintptr_t)block);
    psci_system_off();
}

/* Called by the vector stub with the syndrome; never returns. */
void exception_report(uint64_t idx, uint64_t esr, uint64_t elr, uint64_t far)
{
    static const char *const kinds[4] = { "synchronous", "IRQ", "FIQ", "SError" };
    static const char *const origins[4] = {
        "current EL, SP_EL0", "current EL, SP_ELx", "lower EL, AArch64", "lower EL, AArch32"
    };

    if (elr == (uint64_t)(uintptr_t)semihost_trap) {
        /* No semihosting here: power off instead (exit status is lost). */
        psci_system_off();
    }
    if (++exception_depth > 1) {
        psci_system_off();
    }
    printf("Bail out! unexpected %s exception (%s): ESR 0x%lx (EC 0x%lx) ELR 0x%lx FAR 0x%lx\n",
           kinds[idx & 3], origins[(idx >> 2) & 3], esr, (esr >> 26) & 0x3f, elr, far);
    exit(3);
}
