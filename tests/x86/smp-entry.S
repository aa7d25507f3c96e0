/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Application processor start-up for smp.c. The BSP copies the real-mode
 * trampoline (ap_tramp_start..ap_tramp_end) to 0x8000 and sends SIPI with
 * vector 0x08; each AP starts at 0800:0000 in real mode, loads the
 * kernel's GDT, enters flat protected mode, takes a stack by atomically
 * counting itself in and calls ap_main().
 */
    .section .note.GNU-stack, "", @progbits

    .data
    .align 8
ap_gdt:
    .quad 0
    .quad 0x00cf9a000000ffff        /* 0x08: flat 32-bit code */
    .quad 0x00cf92000000ffff        /* 0x10: flat data */
ap_gdt_end:

    .text
    .code16
    .globl ap_tramp_start, ap_tramp_end
ap_tramp_start:
    cli
    mov %cs, %ax
    mov %ax, %ds
    lgdtl ap_gdt_ptr - ap_tramp_start
    mov %cr0, %eax
    or $1, %eax
    mov %eax, %cr0
    ljmpl $0x08, $ap_pm32
    .align 4
ap_gdt_ptr:
    .word ap_gdt_end - ap_gdt - 1
    .long ap_gdt
ap_tramp_end:

    .code32
ap_pm32:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov $1, %eax
    lock xadd %eax, ap_stack_index
    inc %eax
    shl $12, %eax
    lea ap_stacks(%eax), %esp
    call ap_main
1:  cli
    hlt
    jmp 1b
