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

static inline void outw(uint16_t port, uint16_t v)
{
    __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

static inline uint16_t inw(uint16_t port)
{
    uint16_t v;
    __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port) : "memory");
    return v;
}

static inline uint32_t inl(uint16_t port)
{
    uint32_t v;
    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port) : "memory");
    return v;
}

static inline uint32_t mmio_read32(uintptr_t addr)
{
    return *(volatile uint32_t *)addr;
}

static inline void mmio_write32(uintptr_t addr, uint32_t v)
{
    *(volatile uint32_t *)addr = v;
}

static inline void cpu_relax(void)
{
    __asm__ volatile("pause" ::: "memory");
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
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
int kstrncmp(const char *a, const char *b, size_t n);
size_t kstrlen(const char *s);
int kmemcmp(const void *a, const void *b, size_t n);
/* Value of "key=value" in a command line (up to the next space), or NULL. */
const char *karg(const char *cmdline, const char *key);
/* Decimal or 0x-hex number at s (stops at the first other character). */
uint32_t katou(const char *s);
/* The command line of a Multiboot kernel ("" if none). */
const char *mb_cmdline(const struct mb_info *mbi);

/* TAP-like result line "ok - what" / "not ok - what"; returns ok. */
int check(const char *what, int ok);

/* fw_cfg over the I/O ports (0x510 selector, 0x511 data, 0x514 DMA). */
#define FW_CFG_PORT_SEL     0x510
#define FW_CFG_PORT_DATA    0x511
#define FW_CFG_PORT_DMA     0x514
void fw_cfg_select(uint16_t key);
void fw_cfg_read(void *buf, uint32_t len);
uint32_t fw_cfg_read32(uint16_t key);
/* One DMA descriptor run to completion; returns the final control word. */
uint32_t fw_cfg_dma(uint32_t control, void *buf, uint32_t len);
/* Key and size of a named file from the directory; 0 if absent. */
uint16_t fw_cfg_find(const char *name, uint32_t *size);

/* The ACPI RSDP in 0xe0000-0xfffff with a valid checksum, or NULL. */
const uint8_t *acpi_find_rsdp(void);
/* A table by signature through the RSDT, checksum verified; NULL if absent. */
const uint8_t *acpi_find_table(const uint8_t *rsdp, const char *sig);
uint8_t acpi_sum(const void *p, uint32_t len);
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);

#endif
