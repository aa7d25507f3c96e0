/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reset test kernel: on first boot it leaves a mark in RAM outside its own
 * image and triple-faults (empty IDT, then a division by zero). The machine resets,
 * reloads the kernel and restarts the CPU; the second boot finds the mark
 * (RAM survives a reset) and exits with 0x7 (status 15). With -no-reboot
 * the triple fault ends Tern instead.
 */
#include "runtime.h"

#define MARK ((volatile uint32_t *)0x300000)
#define MARK_VALUE 0x7e57b007u

int kmain(uint32_t magic, const struct mb_info *mbi)
{
    static const struct {
        uint16_t limit;
        uint32_t base;
    } __attribute__((packed)) no_idt = { 0, 0 };

    serial_init();
    if (*MARK == MARK_VALUE) {
        *MARK = 0;
        kputs("reset: second boot\n");
        return 0x7;
    }
    *MARK = MARK_VALUE;
    kputs("reset: triple fault\n");
    __asm__ volatile("lidt %0; xor %%ecx, %%ecx; div %%ecx"
                     : : "m"(no_idt) : "eax", "ecx", "edx");
    kputs("reset: still running?\n");
    return 0x9;
}
