/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * crt0 of the bare-metal AArch64 tests: set up the stack and the exception
 * vectors for the exception level we were started in (EL1 on QEMU's and
 * Tern's virt without EL2/EL3), allow FP/SIMD at that level, zero the BSS,
 * run main and exit with its return value. Every unexpected exception ends
 * the program through exception_report() instead of hanging.
 */
    .section .text.start, "ax"
    .global _start
_start:
    adrp    x9, __stack_top
    add     x9, x9, :lo12:__stack_top
    mov     sp, x9
    adrp    x10, vectors
    add     x10, x10, :lo12:vectors

    mrs     x11, CurrentEL
    ubfx    x11, x11, #2, #2
    cmp     x11, #2
    b.eq    at_el2
    b.hi    at_el3
    /* EL1: FPEN = 0b11, so FP/SIMD does not trap at EL1 or EL0. */
    msr     vbar_el1, x10
    mov     x12, #(3 << 20)
    msr     cpacr_el1, x12
    b       common
at_el2:
    /* E2H clear: CPTR_EL2 has RES1 bits 13:12 and 9:0; TFP (bit 10) clear. */
    msr     vbar_el2, x10
    mov     x12, #0x33ff
    msr     cptr_el2, x12
    b       common
at_el3:
    msr     vbar_el3, x10
    msr     cptr_el3, xzr
common:
    isb

    /* The BSS is 16-byte aligned at both ends (link.ld). */
    adrp    x9, __bss_start
    add     x9, x9, :lo12:__bss_start
    adrp    x10, __bss_end
    add     x10, x10, :lo12:__bss_end
1:  cmp     x9, x10
    b.hs    2f
    stp     xzr, xzr, [x9], #16
    b       1b
2:
    bl      runtime_init
    bl      main
    bl      exit
3:  wfi
    b       3b

/*
 * Semihosting call: w0 = operation, x1 = parameter; returns x0. The label
 * on the HLT lets the exception handler recognise an emulator without
 * semihosting (the HLT then traps as an undefined instruction).
 */
    .text
    .global semihost_call
    .global semihost_trap
    .type   semihost_call, %function
semihost_call:
semihost_trap:
    hlt     #0xf000
    ret

/* PSCI call through HVC (x0 = function id); returns x0 if it returns. */
    .global psci_hvc
    .type   psci_hvc, %function
psci_hvc:
    hvc     #0
    ret

/* The same through SMC, for programs started at EL2 (where PSCI uses SMC). */
    .global psci_smc
    .type   psci_smc, %function
psci_smc:
    smc     #0
    ret

/* 16 vectors of 0x80 bytes each; the table is 2 KiB aligned. */
    .section .text.vectors, "ax"
    .balign 0x800
    .global vectors
vectors:
    .irp    idx, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
    .balign 0x80
    mov     x0, #\idx
    b       exception_entry
    .endr

exception_entry:
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
    /* Never returns: a fresh stack survives a fault caused by a bad SP. */
3:  adrp    x9, __stack_top
    add     x9, x9, :lo12:__stack_top
    mov     sp, x9
    bl      exception_report
4:  wfi
    b       4b
