/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A tiny stand-in for a Linux bzImage: a 2-sector setup block with a boot
 * protocol 2.15 setup header (no real-mode code: the loader must not run
 * it), then the "protected-mode kernel" with the 32-bit entry at its start
 * and, built for x86-64 (XLF_KERNEL_64), the 64-bit entry at +0x200. The
 * linker script places the kernel at KBASE and computes syssize and
 * init_size. linux-boot.c checks what the loader handed over.
 */
#ifdef __x86_64__
#define XLOADFLAGS  0x0001              /* XLF_KERNEL_64 */
#define RELOCATABLE 1                   /* loaded at pref_address */
#else
#define XLOADFLAGS  0x0000
#define RELOCATABLE 0                   /* loaded at 1 MiB */
#endif

    .section .note.GNU-stack, "", @progbits

    .section .setup, "a"
setup_start:
    .org 0x1f1
    .byte 1                             /* setup_sects: 1 + the boot sector */
    .word 0                             /* root_flags */
    .long __syssize                     /* syssize (16-byte units) */
    .word 0                             /* ram_size */
    .word 0                             /* vid_mode */
    .word 0                             /* root_dev */
    .word 0xaa55                        /* boot_flag */
    .byte 0xeb                          /* 0x200: jmp over the header */
    .byte setup_hdr_end - 1f
1:  .ascii "HdrS"                       /* 0x202 */
    .word 0x020f                        /* protocol 2.15 */
    .long 0                             /* realmode_swtch */
    .word 0                             /* start_sys_seg */
    .word 0                             /* kernel_version */
    .byte 0                             /* 0x210 type_of_loader */
    .byte 0x01                          /* loadflags: LOADED_HIGH */
    .word 0                             /* setup_move_size */
    .long 0x100000                      /* 0x214 code32_start */
    .long 0                             /* ramdisk_image */
    .long 0                             /* ramdisk_size */
    .long 0                             /* bootsect_kludge */
    .word 0                             /* 0x224 heap_end_ptr */
    .byte 0, 0                          /* ext_loader_ver, ext_loader_type */
    .long 0                             /* 0x228 cmd_line_ptr */
    .long 0x7fffffff                    /* 0x22c initrd_addr_max */
    .long 0x200000                      /* kernel_alignment */
    .byte RELOCATABLE                   /* 0x234 relocatable_kernel */
    .byte 21                            /* min_alignment */
    .word XLOADFLAGS                    /* 0x236 xloadflags */
    .long 2047                          /* 0x238 cmdline_size */
    .long 0                             /* hardware_subarch */
    .quad 0                             /* hardware_subarch_data */
    .long 0                             /* payload_offset */
    .long 0                             /* payload_length */
    .quad 0                             /* setup_data */
    .long KBASE                         /* 0x258 pref_address (64 bits) */
    .long 0
    .long __init_size                   /* 0x260 init_size */
    .long 0                             /* handover_offset */
    .long 0                             /* kernel_info_offset */
setup_hdr_end:
    .org 0x400

    .section .head, "ax"
    .code32
    .globl startup_32
startup_32:
#ifdef __x86_64__
    /* A 64-bit-capable loader must not come here. */
    mov $0x0a, %eax
    mov $0xf4, %dx
    out %eax, %dx
1:  hlt
    jmp 1b

    .org 0x200
    .code64
startup_64:
    mov %rsp, entry_sp(%rip)
    mov %rsi, %rdi
    lea stack_top(%rip), %rsp
    call kmain
    mov %eax, %edi
    call debug_exit
#else
    mov %esp, entry_sp
    mov $stack_top, %esp
    push %esi
    call kmain
    push %eax
    call debug_exit
#endif

    .section .bss
    .align 16
    .skip 16384
stack_top:
