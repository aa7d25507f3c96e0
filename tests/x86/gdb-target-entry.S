/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Entry of gdb-target.elf, a 64-bit ELF booted through the Multiboot a.out
 * kludge (the header carries the load addresses, so the loader never looks
 * at the ELF64 headers). From the 32-bit Multiboot state it builds page
 * tables that identity-map the first GiB with 2 MiB pages and alias it at
 * 0xffff800000000000 (so the debugger's page walk has something to find),
 * enables SSE and long mode, and calls kmain(magic, mbi) in 64-bit code.
 */
#define MB_MAGIC        0x1BADB002
#define MB_FLAGS        0x00010003  /* page-align modules, memory info, addresses */

    .section .note.GNU-stack, "", @progbits

    .section .multiboot, "a"
    .align 4
mb_header:
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)
    .long mb_header         /* header_addr */
    .long __load_start      /* load_addr */
    .long __load_end        /* load_end_addr */
    .long __bss_end         /* bss_end_addr */
    .long _start            /* entry_addr */

    .section .bss
    .align 4096
pml4:
    .skip 4096
pdpt:
    .skip 4096
pd:
    .skip 4096
    .align 16
stack_bottom:
    .skip 16384
stack_top:

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

    .text
    .code32
    .globl _start
_start:
    mov $stack_top, %esp
    mov %eax, %edi              /* magic and info survive as kmain's arguments */
    mov %ebx, %esi
    xor %ecx, %ecx
1:  mov %ecx, %eax
    shl $21, %eax
    or $0x83, %eax              /* present, writable, 2 MiB */
    mov %eax, pd(,%ecx,8)
    movl $0, pd+4(,%ecx,8)
    inc %ecx
    cmp $512, %ecx
    jne 1b
    mov $pd + 3, %eax
    mov %eax, pdpt
    mov $pdpt + 3, %eax
    mov %eax, pml4              /* 0 */
    mov %eax, pml4 + 256 * 8    /* 0xffff800000000000 */
    mov $pml4, %eax
    mov %eax, %cr3
    mov %cr4, %eax
    or $0x620, %eax             /* PAE, OSFXSR, OSXMMEXCPT */
    mov %eax, %cr4
    mov $0xc0000080, %ecx       /* EFER.LME */
    rdmsr
    or $0x100, %eax
    wrmsr
    mov %cr0, %eax
    and $~0x4, %eax             /* no x87 emulation */
    or $0x80000002, %eax        /* PG, MP */
    mov %eax, %cr0
    lgdt gdt64_ptr
    ljmp $0x08, $long_entry

    .code64
long_entry:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov $stack_top, %rsp
    call kmain
    mov %eax, %edi
    call debug_exit
2:  cli
    hlt
    jmp 2b
