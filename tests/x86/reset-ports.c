/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reset through the chipset, selected by "method=" on the command line:
 * cf9 (reset control register, 0x06), p92 (port 0x92 bit 0), kbd (i8042
 * command 0xfe) or acpi (the FADT's reset register and value). The first
 * boot leaves a mark in RAM outside its image and resets; the machine
 * comes back, the kernel is loaded again, finds the mark (RAM survives a
 * reset) and exits with 0x7 (status 15). With -no-reboot the reset ends
 * Tern with status 0 instead. 0x9: the reset did nothing.
 */
#include "runtime.h"

#define MARK ((volatile uint32_t *)0x300000)
#define MARK_VALUE 0x7e57b00cu

static void acpi_reset(void)
{
    const uint8_t *rsdp = acpi_find_rsdp();
    const uint8_t *fadt = rsdp ? acpi_find_table(rsdp, "FACP") : NULL;

    if (!fadt || fadt[116] != 1) {
        kputs("reset: no FADT reset register in I/O space\n");
        return;
    }
    outb((uint16_t)*(const uint32_t *)(fadt + 120), fadt[128]);
}

int kmain(uint32_t magic, const struct mb_info *mbi)
{
    const char *method = karg(mb_cmdline(mbi), "method");

    serial_init();
    if (!method) {
        kputs("reset: method=cf9|p92|kbd|acpi missing\n");
        return 0x9;
    }
    if (*MARK == MARK_VALUE) {
        *MARK = 0;
        kputs("reset: second boot\n");
        return 0x7;
    }
    *MARK = MARK_VALUE;
    kprintf("reset: resetting through %s\n", method);
    if (!kstrncmp(method, "cf9", 3)) {
        outb(0xcf9, 0x06);
    } else if (!kstrncmp(method, "p92", 3)) {
        outb(0x92, inb(0x92) | 1);
    } else if (!kstrncmp(method, "kbd", 3)) {
        while (inb(0x64) & 0x02) {
        }
        outb(0x64, 0xfe);
    } else if (!kstrncmp(method, "acpi", 4)) {
        acpi_reset();
    }
    /* The reset request is asynchronous: give it time to stop this CPU. */
    for (volatile uint32_t i = 0; i < 400000000u; i++) {
    }
    kputs("reset: still running?\n");
    return 0x9;
}
