/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A bare-metal AArch64 guest whose progress is visible in memory, for the
 * QMP test (tests/functional/qmp.sh): it counts up in the 64-bit word at
 * COUNTER_ADDR for ever, so the word stands still exactly while the VM is
 * paused.
 */
#define COUNTER_ADDR 0x40300100

    .section .text.start, "ax"
    .global _start
_start:
    movz    x9, #(COUNTER_ADDR >> 16), lsl #16
    add     x9, x9, #(COUNTER_ADDR & 0xfff)
    mov     x10, #0
1:  add     x10, x10, #1
    str     x10, [x9]
    b       1b
