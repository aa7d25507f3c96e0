/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Bare-metal platform of the difftest programs for the virt board: polled
 * output on the PL011 at 0x0900_0000 and exit through semihosting SYS_EXIT
 * (HLT #0xF000), falling back to PSCI SYSTEM_OFF when the emulator has no
 * semihosting (the HLT then traps as an undefined instruction). The MMU
 * stays off, so memory is Device memory: every access must be aligned,
 * which the generator guarantees for the sequences and -mstrict-align for
 * this code.
 */
#include "difftest.h"

const uint64_t dt_platform_id = 2;

#define UART_BASE   0x09000000ul
#define UART_DR     0x000
#define UART_FR     0x018
#define UART_IBRD   0x024
#define UART_FBRD   0x028
#define UART_LCR_H  0x02c
#define UART_CR     0x030
#define UART_IMSC   0x038
#define FR_TXFF     (1u << 5)

#define SEMIHOST_SYS_EXIT    0x18
#define ADP_STOPPED_APP_EXIT 0x20026
#define ESR_EC_UNKNOWN       0x00

uint64_t plat_semihost(uint32_t op, uint64_t param);
extern char plat_semihost_hlt[];
void plat_psci_off(void) __attribute__((noreturn));
void plat_start(void) __attribute__((noreturn));
void plat_exception(uint64_t idx, uint64_t esr, uint64_t elr, uint64_t far)
    __attribute__((noreturn));

static void mmio_write32(unsigned long addr, uint32_t v)
{
    *(volatile uint32_t *)addr = v;
}

static uint32_t mmio_read32(unsigned long addr)
{
    return *(volatile uint32_t *)addr;
}

static void uart_init(void)
{
    mmio_write32(UART_BASE + UART_CR, 0);
    mmio_write32(UART_BASE + UART_IMSC, 0);
    mmio_write32(UART_BASE + UART_IBRD, 13);
    mmio_write32(UART_BASE + UART_FBRD, 1);
    mmio_write32(UART_BASE + UART_LCR_H, (3u << 5) | (1u << 4));
    mmio_write32(UART_BASE + UART_CR, (1u << 0) | (1u << 8) | (1u << 9));
}

void plat_write(const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        while (mmio_read32(UART_BASE + UART_FR) & FR_TXFF) {
            /* wait for room in the FIFO */
        }
        mmio_write32(UART_BASE + UART_DR, (uint8_t)buf[i]);
    }
}

void plat_exit(int code)
{
    uint64_t block[2] = { ADP_STOPPED_APP_EXIT, (uint64_t)code };

    plat_semihost(SEMIHOST_SYS_EXIT, (uint64_t)(uintptr_t)block);
    plat_psci_off();
}

void plat_start(void)
{
    uart_init();
    plat_exit(dt_main());
}

static void put_hex(const char *name, uint64_t v)
{
    char buf[32];
    size_t n = 0;

    while (*name) {
        buf[n++] = *name++;
    }
    for (int i = 15; i >= 0; i--) {
        buf[n++] = "0123456789abcdef"[(v >> (4 * i)) & 0xf];
    }
    plat_write(buf, n);
}

void plat_exception(uint64_t idx, uint64_t esr, uint64_t elr, uint64_t far)
{
    /* No semihosting: the exit HLT trapped. Power off instead. */
    if ((esr >> 26) == ESR_EC_UNKNOWN && elr == (uint64_t)(uintptr_t)plat_semihost_hlt) {
        plat_psci_off();
    }
    plat_write("\nEXCEPTION", 10);
    put_hex(" seq=", dt_current);
    put_hex(" vector=", idx);
    put_hex(" esr=", esr);
    put_hex(" elr=", elr);
    put_hex(" far=", far);
    plat_write("\n", 1);
    plat_exit(3);
}
