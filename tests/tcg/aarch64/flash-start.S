/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reset entry of the programs run from flash (link-flash.ld): record the
 * registers the board started us with, copy .data from flash to RAM, then
 * continue in the common crt0 (start.S), which sets up the stack, vectors
 * and BSS and calls main.
 */
    .section .text.flashstart, "ax"
    .global _flash_start
_flash_start:
    mov     x19, x0
    adrp    x9, __data_load
    add     x9, x9, :lo12:__data_load
    adrp    x10, __data_start
    add     x10, x10, :lo12:__data_start
    adrp    x11, __data_end
    add     x11, x11, :lo12:__data_end
1:  cmp     x10, x11
    b.hs    2f
    ldp     x12, x13, [x9], #16
    stp     x12, x13, [x10], #16
    b       1b
2:  adrp    x9, flash_entry_x0
    str     x19, [x9, :lo12:flash_entry_x0]
    adr     x10, _flash_start
    adrp    x9, flash_entry_pc
    str     x10, [x9, :lo12:flash_entry_pc]
    b       _start
