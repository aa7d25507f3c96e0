/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Protected -> long mode switch for longmode.c: PAE, the page tables the C
 * side built, EFER.LME, paging, then a far jump into a 64-bit code segment
 * that greets on COM1 and reports EFER.LMA through isa-debug-exit.
 */
    .section .note.GNU-stack, "", @progbits

    .data
    .align 8
gdt64:
    .quad 0
    .quad 0x00af9a000000ffff    /* 0x08: 64-bit code */
    .quad 0x00cf92000000ffff    /* 0x10: data */
gdt64_end:
gdt64_ptr:
    .word gdt64_end - gdt64 - 1
    .long gdt64
msg:
    .asciz "Hello from long mode\r\n"

    .text
    .code32
    .globl enter_long_mode
enter_long_mode:                /* void enter_long_mode(uint32_t pml4) */
    mov 4(%esp), %eax
    mov %eax, %cr3
    lgdt gdt64_ptr
    mov %cr4, %eax
    or $0x20, %eax              /* PAE */
    mov %eax, %cr4
    mov $0xc0000080, %ecx       /* EFER */
    rdmsr
    or $0x100, %eax             /* LME */
    wrmsr
    mov %cr0, %eax
    or $0x80000000, %eax        /* PG */
    mov %eax, %cr0
    ljmp $0x08, $long_entry

    .code64
long_entry:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    lea msg(%rip), %rsi
1:  movb (%rsi), %bl
    test %bl, %bl
    jz 3f
2:  mov $0x3fd, %dx             /* LSR */
    in %dx, %al
    test $0x20, %al
    jz 2b
    mov $0x3f8, %dx
    mov %bl, %al
    out %al, %dx
    inc %rsi
    jmp 1b
3:  movabs $0x123456789abcdef0, %rax
    ror $32, %rax
    mov $0x12345678, %ebx
    cmp %ebx, %eax
    jne 4f
    mov $0xc0000080, %ecx
    rdmsr
    test $0x400, %eax           /* LMA */
    jz 4f
    mov $0x42, %eax
    jmp 5f
4:  mov $0x43, %eax
5:  mov $0xf4, %dx
    out %eax, %dx
6:  cli
    hlt
    jmp 6b
