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

int check(const char *what, int ok)
{
    kprintf("%s - %s\n", ok ? "ok" : "not ok", what);
    return ok != 0;
}

int kstrncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        if (*a != *b || !*a) {
            return (unsigned char)*a - (unsigned char)*b;
        }
    }
    return 0;
}

size_t kstrlen(const char *s)
{
    size_t n = 0;

    while (s[n]) {
        n++;
    }
    return n;
}

int kmemcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *p = a, *q = b;

    for (; n; n--, p++, q++) {
        if (*p != *q) {
            return *p - *q;
        }
    }
    return 0;
}

const char *karg(const char *cmdline, const char *key)
{
    size_t n = kstrlen(key);

    for (const char *p = cmdline; p && *p; p++) {
        if ((p == cmdline || p[-1] == ' ') && !kstrncmp(p, key, n) && p[n] == '=') {
            return p + n + 1;
        }
    }
    return NULL;
}

uint32_t katou(const char *s)
{
    uint32_t v = 0;

    if (!s) {
        return 0;
    }
    if (s[0] == '0' && s[1] == 'x') {
        for (s += 2;; s++) {
            unsigned d = *s >= '0' && *s <= '9' ? *s - '0' :
                         *s >= 'a' && *s <= 'f' ? *s - 'a' + 10 : 16;
            if (d > 15) {
                return v;
            }
            v = v * 16 + d;
        }
    }
    for (; *s >= '0' && *s <= '9'; s++) {
        v = v * 10 + (*s - '0');
    }
    return v;
}

const char *mb_cmdline(const struct mb_info *mbi)
{
    return (mbi->flags & (1u << 2)) ? (const char *)(uintptr_t)mbi->cmdline : "";
}

void fw_cfg_select(uint16_t key)
{
    outw(FW_CFG_PORT_SEL, key);
}

void fw_cfg_read(void *buf, uint32_t len)
{
    uint8_t *p = buf;

    while (len--) {
        *p++ = inb(FW_CFG_PORT_DATA);
    }
}

uint32_t fw_cfg_read32(uint16_t key)
{
    uint32_t v = 0;

    fw_cfg_select(key);
    fw_cfg_read(&v, sizeof(v));
    return v;
}

static uint32_t bswap32(uint32_t v)
{
    return (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24);
}

uint32_t fw_cfg_dma(uint32_t control, void *buf, uint32_t len)
{
    static volatile struct {
        uint32_t control, length;
        uint32_t addr_hi, addr_lo;
    } __attribute__((aligned(16))) d;
    uint64_t addr = (uintptr_t)&d;

    d.control = bswap32(control);
    d.length = bswap32(len);
    d.addr_hi = bswap32((uint32_t)((uint64_t)(uintptr_t)buf >> 32));
    d.addr_lo = bswap32((uint32_t)(uintptr_t)buf);
    outl(FW_CFG_PORT_DMA, bswap32((uint32_t)(addr >> 32)));
    outl(FW_CFG_PORT_DMA + 4, bswap32((uint32_t)addr));
    /* The transfer completes within the port write; the loop is for form. */
    for (uint32_t spins = 0; bswap32(d.control) & ~1u; spins++) {
        if (spins > 1000000) {
            break;
        }
    }
    return bswap32(d.control);
}

uint16_t fw_cfg_find(const char *name, uint32_t *size)
{
    uint32_t count;

    fw_cfg_select(0x19);
    fw_cfg_read(&count, 4);
    count = bswap32(count);
    for (uint32_t i = 0; i < count; i++) {
        struct {
            uint32_t size;
            uint16_t select, reserved;
            char name[56];
        } f;

        fw_cfg_read(&f, sizeof(f));
        if (!kstrcmp(f.name, name)) {
            if (size) {
                *size = bswap32(f.size);
            }
            return (uint16_t)((f.select >> 8) | (f.select << 8));
        }
    }
    return 0;
}

uint8_t acpi_sum(const void *p, uint32_t len)
{
    const uint8_t *b = p;
    uint8_t sum = 0;

    while (len--) {
        sum += *b++;
    }
    return sum;
}

const uint8_t *acpi_find_rsdp(void)
{
    for (uintptr_t a = 0xe0000; a < 0x100000; a += 16) {
        const uint8_t *p = (const uint8_t *)a;

        if (!kmemcmp(p, "RSD PTR ", 8) && acpi_sum(p, 20) == 0) {
            return p;
        }
    }
    return NULL;
}

const uint8_t *acpi_find_table(const uint8_t *rsdp, const char *sig)
{
    const uint8_t *rsdt = (const uint8_t *)(uintptr_t)*(const uint32_t *)(rsdp + 16);
    uint32_t n = (*(const uint32_t *)(rsdt + 4) - 36) / 4;

    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *t = (const uint8_t *)(uintptr_t)*(const uint32_t *)(rsdt + 36 + 4 * i);

        if (!kmemcmp(t, sig, 4)) {
            return acpi_sum(t, *(const uint32_t *)(t + 4)) == 0 ? t : NULL;
        }
    }
    return NULL;
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
