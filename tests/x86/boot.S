/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Multiboot v1 header and 32-bit entry for the x86 test kernels. The loader
 * enters here in flat protected mode with paging off, EAX holding the
 * Multiboot magic and EBX the info block; we only need a stack before C.
 * Built with -DMB_AOUT_KLUDGE the header also carries its load addresses
 * (flags bit 16) so that a flat binary of the kernel can be booted.
 */
#define MB_MAGIC        0x1BADB002
#ifdef MB_AOUT_KLUDGE
#define MB_FLAGS        0x00010003  /* page-align modules, memory info, addresses */
#else
#define MB_FLAGS        0x00000003  /* page-align modules, memory info */
#endif

    .section .multiboot, "a"
    .align 4
mb_header:
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)
#ifdef MB_AOUT_KLUDGE
    .long mb_header         /* header_addr */
    .long __load_start      /* load_addr */
    .long __load_end        /* load_end_addr */
    .long __bss_end         /* bss_end_addr */
    .long _start            /* entry_addr */
#endif

    .section .bss
    .align 16
stack_bottom:
    .skip 16384
stack_top:

    .section .note.GNU-stack, "", @progbits

    .text
    .globl _start
_start:
    mov $stack_top, %esp
    push %ebx
    push %eax
    call kmain
    push %eax
    call debug_exit
1:  cli
    hlt
    jmp 1b
