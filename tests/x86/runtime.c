/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Runtime of the x86 test kernels: polled 16550 output on COM1 and a printf
 * small enough to need no libgcc (no 64-bit division: 64-bit values are
 * printed in hex with %llx).
 */
#include "runtime.h"

void serial_init(void)
{
    outb(COM1 + 1, 0x00);   /* IER: no interrupts */
    outb(COM1 + 3, 0x80);   /* LCR: DLAB */
    outb(COM1 + 0, 0x01);   /* DLL: 115200 baud */
    outb(COM1 + 1, 0x00);   /* DLM */
    outb(COM1 + 3, 0x03);   /* LCR: 8N1 */
    outb(COM1 + 2, 0x07);   /* FCR: enable and clear FIFOs */
    outb(COM1 + 4, 0x03);   /* MCR: DTR, RTS */
}

void serial_putc(char c)
{
    if (c == '\n') {
        serial_putc('\r');
    }
    while (!(inb(COM1 + 5) & 0x20)) {
        /* LSR.THRE */
    }
    outb(COM1, (uint8_t)c);
}

void kputs(const char *s)
{
    while (*s) {
        serial_putc(*s++);
    }
}

static void put_uint(uint32_t v, unsigned base, int width, char pad)
{
    char buf[16];
    int n = 0;

    do {
        unsigned d = v % base;
        buf[n++] = d < 10 ? '0' + d : 'a' + d - 10;
        v /= base;
    } while (v);
    while (n < width--) {
        serial_putc(pad);
    }
    while (n) {
        serial_putc(buf[--n]);
    }
}

void kvprintf(const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        int width = 0, longlong = 0;
        char pad = ' ';

        if (*fmt != '%') {
            serial_putc(*fmt);
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
        while (*fmt == 'l') {
            longlong++;
            fmt++;
        }
        switch (*fmt) {
        case 'd': {
            int v = va_arg(ap, int);
            if (v < 0) {
                serial_putc('-');
                v = -v;
            }
            put_uint((uint32_t)v, 10, width, pad);
            break;
        }
        case 'u':
            put_uint(va_arg(ap, uint32_t), 10, width, pad);
            break;
        case 'x':
            if (longlong >= 2) {
                uint64_t v = va_arg(ap, uint64_t);
                if (v >> 32) {
                    put_uint((uint32_t)(v >> 32), 16, width > 8 ? width - 8 : 0, pad);
                    put_uint((uint32_t)v, 16, 8, '0');
                } else {
                    put_uint((uint32_t)v, 16, width, pad);
                }
            } else {
                put_uint(va_arg(ap, uint32_t), 16, width, pad);
            }
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            kputs(s ? s : "(null)");
            break;
        }
        case 'c':
            serial_putc((char)va_arg(ap, int));
            break;
        case '%':
            serial_putc('%');
            break;
        default:
            serial_putc('?');
            break;
        }
    }
}

void kprintf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
}

void debug_exit(uint32_t v)
{
    outl(DEBUG_EXIT_PORT, v);
    /* Only reached without isa-debug-exit: stop here for good. */
    for (;;) {
        __asm__ volatile("cli; hlt");
    }
}

int kstrcmp(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return (unsigned char)*a - (unsigned char)*b;
}

void *memset(void *d, int c, size_t n)
{
    unsigned char *p = d;

    while (n--) {
        *p++ = (unsigned char)c;
    }
    return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
    unsigned char *p = d;
    const unsigned char *q = s;

    while (n--) {
        *p++ = *q++;
    }
    return d;
}
