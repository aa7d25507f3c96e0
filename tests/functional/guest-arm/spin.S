/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A bare-metal AArch64 guest that reaches a known state and stays there, for
 * the monitor tests (tests/functional/hmp.sh): sixteen words 0xcafe0000,
 * 0xcafe0001, ... at PATTERN_ADDR, x0..x5 set to fixed values, then an
 * endless `b .` at the symbol `spin`, which sits at a fixed address so the
 * test needs no symbol table.
 */
#define PATTERN_ADDR 0x40300000

    .section .text.start, "ax"
    .global _start
_start:
    movz    x9, #(PATTERN_ADDR >> 16), lsl #16
    movz    w10, #0xcafe, lsl #16
    mov     x11, #16
1:  str     w10, [x9], #4
    add     w10, w10, #1
    subs    x11, x11, #1
    b.ne    1b

    mov     x0, #0x1111
    mov     x1, #0x2222
    mov     x2, #0x3333
    mov     x3, #0x4444
    mov     x4, #0x5555
    movz    x5, #0xdead, lsl #48
    movk    x5, #0xbeef, lsl #32
    movk    x5, #0x1234, lsl #16
    movk    x5, #0x5678
    b       spin

    /* 0x40200100: the test looks for the PC here. */
    .balign 0x100
    .global spin
spin:
    b       spin
