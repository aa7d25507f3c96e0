/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Direct boot of a Linux bzImage on x86 (Documentation/arch/x86/boot.rst):
 * the protected-mode kernel at 1 MiB, the command line and the zero page
 * (struct boot_params with the setup header, the e820 map, the initrd) in
 * low memory, the initrd at the top of the RAM the kernel may use, and a
 * 64-bit entry (identity-mapped 4 GiB, a boot GDT, RSI = zero page) when
 * the kernel has one, else the 32-bit protected-mode entry (ESI = zero
 * page). The real-mode setup code is not run.
 */
#ifndef HW_I386_LINUX_BOOT_H
#define HW_I386_LINUX_BOOT_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "hw/i386/x86-boot.h"

/* Low-memory layout of what the loader builds (all below 0x9fc00). */
#define LINUX_BOOT_GDT_ADDR      0x0500
#define LINUX_BOOT_ZERO_PAGE     0x7000
#define LINUX_BOOT_STACK_TOP     0x8ff0
#define LINUX_BOOT_PML4_ADDR     0x9000  /* PML4, PDPT, 4 page directories */
#define LINUX_BOOT_CMDLINE_ADDR  0x20000
#define LINUX_BOOT_CMDLINE_MAX   0x10000
#define LINUX_BOOT_KERNEL_ADDR   0x100000
#define LINUX_BOOT_SETUP_ADDR    0x90000 /* where fw_cfg says the setup code would go */

#define LINUX_BOOT_CS            0x10    /* __BOOT_CS */
#define LINUX_BOOT_DS            0x18    /* __BOOT_DS */

/* Setup header fields (offsets in the file and in the zero page). */
#define LINUX_HDR_SETUP_SECTS    0x1f1
#define LINUX_HDR_VID_MODE       0x1fa
#define LINUX_HDR_BOOT_FLAG      0x1fe
#define LINUX_HDR_JUMP           0x200
#define LINUX_HDR_MAGIC          0x202   /* "HdrS" */
#define LINUX_HDR_VERSION        0x206
#define LINUX_HDR_TYPE_OF_LOADER 0x210
#define LINUX_HDR_LOADFLAGS      0x211
#define LINUX_HDR_CODE32_START   0x214
#define LINUX_HDR_RAMDISK_IMAGE  0x218
#define LINUX_HDR_RAMDISK_SIZE   0x21c
#define LINUX_HDR_HEAP_END_PTR   0x224
#define LINUX_HDR_CMD_LINE_PTR   0x228
#define LINUX_HDR_INITRD_MAX     0x22c
#define LINUX_HDR_KERNEL_ALIGN   0x230
#define LINUX_HDR_RELOCATABLE    0x234
#define LINUX_HDR_XLOADFLAGS     0x236
#define LINUX_HDR_CMDLINE_SIZE   0x238
#define LINUX_HDR_PREF_ADDRESS   0x258
#define LINUX_HDR_INIT_SIZE      0x260
#define LINUX_ZP_E820_ENTRIES    0x1e8
#define LINUX_ZP_E820_TABLE      0x2d0

#define LINUX_HDR_MAGIC_VALUE    0x53726448u   /* "HdrS" little-endian */
#define LINUX_LOADED_HIGH        (1u << 0)
#define LINUX_CAN_USE_HEAP       (1u << 7)
#define LINUX_XLF_KERNEL_64      (1u << 0)
#define LINUX_MIN_PROTOCOL       0x206

typedef struct LinuxBootParams {
    const char *kernel;       /* path, for messages */
    const char *initrd;       /* NULL: none */
    const char *cmdline;      /* -append, NULL: empty */
    uint64_t below_4g;        /* RAM from 0 */
    const GArray *e820;       /* E820Entry, copied into the zero page */
} LinuxBootParams;

typedef struct LinuxBootImage {
    GArray *blobs;            /* BootBlob: kernel, zero page, cmdline, GDT, page tables, initrd */
    bool long_mode;           /* 64-bit entry */
    uint64_t entry;
    uint32_t zero_page;       /* RSI/ESI */
    uint32_t cr3;             /* long mode only */
    uint32_t gdt_base;
    uint16_t gdt_limit;
    uint16_t protocol;        /* e.g. 0x20f */
    /* For fw_cfg's kernel items (QEMU's layout). */
    uint32_t kernel_addr, initrd_addr, cmdline_addr, setup_addr;
    GBytes *kernel_data;      /* the protected-mode part */
    GBytes *setup_data;       /* setup sectors with the filled-in header */
    GBytes *initrd_data;      /* NULL without -initrd */
    GBytes *cmdline_data;     /* NUL-terminated */
} LinuxBootImage;

/* The buffer starts with a bzImage setup header ("HdrS" at 0x202). */
bool linux_boot_is_bzimage(const uint8_t *buf, size_t len);
/*
 * Lay the image out for a kernel file already read into buf. Errors read
 * "-kernel FILE: ...", "-initrd FILE: ..." or "-append: ...".
 */
bool linux_boot_prepare(const LinuxBootParams *p, const uint8_t *buf, size_t len,
                        LinuxBootImage *img, GError **errp);
void linux_boot_image_clear(LinuxBootImage *img);

#endif
