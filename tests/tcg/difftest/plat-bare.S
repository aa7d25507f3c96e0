/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Bare-metal platform of the difftest programs for the virt board, entry
 * and exception vectors: set the stack, allow FP/SIMD at the exception
 * level we start in (EL1 on QEMU's and Tern's virt, EL2/EL3 handled too),
 * clear the BSS and call plat_start (plat-bare.c). Any exception ends the
 * program through plat_exception, which reports it on the UART.
 */
    .section .text.start, "ax"
    .global _start
_start:
    adrp    x9, __stack_top
    add     x9, x9, :lo12:__stack_top
    mov     sp, x9
    adrp    x10, plat_vectors
    add     x10, x10, :lo12:plat_vectors
    mrs     x11, CurrentEL
    ubfx    x11, x11, #2, #2
    cmp     x11, #2
    b.eq    1f
    b.hi    2f
    msr     vbar_el1, x10
    mov     x12, #(3 << 20)             /* CPACR_EL1.FPEN: no FP/SIMD traps */
    msr     cpacr_el1, x12
    b       3f
1:  msr     vbar_el2, x10
    mov     x12, #0x33ff                /* CPTR_EL2: RES1 bits, TFP clear */
    msr     cptr_el2, x12
    b       3f
2:  msr     vbar_el3, x10
    msr     cptr_el3, xzr
3:  isb
    adrp    x9, __bss_start
    add     x9, x9, :lo12:__bss_start
    adrp    x10, __bss_end
    add     x10, x10, :lo12:__bss_end
4:  cmp     x9, x10
    b.hs    5f
    stp     xzr, xzr, [x9], #16
    b       4b
5:  mov     x29, #0
    mov     x30, #0
    b       plat_start

/*
 * Semihosting call (w0 = operation, x1 = parameter). The label lets the
 * exception handler recognise an emulator without semihosting.
 */
    .text
    .global plat_semihost
    .global plat_semihost_hlt
    .type   plat_semihost, %function
plat_semihost:
plat_semihost_hlt:
    hlt     #0xf000
    ret

    .global plat_psci_off
    .type   plat_psci_off, %function
plat_psci_off:
    movz    x0, #0x0008
    movk    x0, #0x8400, lsl #16        /* PSCI SYSTEM_OFF */
    mrs     x1, CurrentEL
    cmp     x1, #(2 << 2)
    b.hs    1f
    hvc     #0
1:  smc     #0
2:  wfi
    b       2b

    .section .text.vectors, "ax"
    .balign 0x800
plat_vectors:
    .irp    idx, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
    .balign 0x80
    mov     x0, #\idx
    b       plat_vector_common
    .endr

plat_vector_common:
    mrs     x4, CurrentEL
    ubfx    x4, x4, #2, #2
    cmp     x4, #2
    b.eq    1f
    b.hi    2f
    mrs     x1, esr_el1
    mrs     x2, elr_el1
    mrs     x3, far_el1
    b       3f
1:  mrs     x1, esr_el2
    mrs     x2, elr_el2
    mrs     x3, far_el2
    b       3f
2:  mrs     x1, esr_el3
    mrs     x2, elr_el3
    mrs     x3, far_el3
3:  adrp    x9, __stack_top
    add     x9, x9, :lo12:__stack_top
    mov     sp, x9
    bl      plat_exception
4:  wfi
    b       4b
