/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A tiny freestanding runtime for the x86 test kernels: port I/O, a polled
 * COM1 console with a minimal printf, the Multiboot v1 info layout, and the
 * isa-debug-exit port (0xf4) that ends the emulator with (v << 1) | 1.
 */
#ifndef TESTS_X86_RUNTIME_H
#define TESTS_X86_RUNTIME_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define COM1            0x3f8
#define DEBUG_EXIT_PORT 0xf4
#define MB_BOOT_MAGIC   0x2BADB002

struct mb_info {
    uint32_t flags;
    uint32_t mem_lower, mem_upper;
    uint32_t boot_device;
    uint32_t cmdline;
    uint32_t mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
    uint32_t drives_length, drives_addr;
    uint32_t config_table;
    uint32_t boot_loader_name;
};

struct mb_mmap_entry {
    uint32_t size;          /* of the rest of the entry */
    uint64_t addr, len;
    uint32_t type;
} __attribute__((packed));

struct mb_module {
    uint32_t mod_start, mod_end, string, reserved;
};

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

static inline void outl(uint16_t port, uint32_t v)
{
    __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port) : "memory");
    return v;
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                     : "a"(leaf), "c"(sub));
}

void serial_init(void);
void serial_putc(char c);
void kputs(const char *s);
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char *fmt, va_list ap);
void debug_exit(uint32_t v) __attribute__((noreturn));

int kstrcmp(const char *a, const char *b);
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);

#endif
