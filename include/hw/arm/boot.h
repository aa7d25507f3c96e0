/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Direct kernel boot for AArch64 boards: loads -kernel (an ELF64 AArch64
 * executable, a Linux arm64 "Image", or a raw binary), -initrd and -dtb into
 * guest RAM and records where everything went in an ArmBootInfo, which the
 * CPU reset reads: PC = entry, x0 = dtb_addr, x1..x3 = 0 (the Linux arm64
 * boot protocol, Documentation/arch/arm64/booting.rst; bare-metal ELF
 * programs get the same registers).
 *
 * Placement, all inside RAM:
 *  - ELF: every PT_LOAD segment at its physical address (p_paddr), the
 *    memsz - filesz tail zeroed; entry = e_entry.
 *  - Image (magic "ARM\x64" at 0x38): at ram_base + text_offset (0x80000
 *    when image_size is 0, as for kernels before 3.17); the kernel claims
 *    image_size bytes (its BSS included); entry = load address.
 *  - gzip (Debian's vmlinuz): unpacked, and the content (an Image) loaded
 *    as above.
 *  - raw: at ram_base; entry = ram_base.
 *  - initrd: at the first 2 MiB boundary after the kernel.
 *  - dtb: at ram_base when that does not overlap the kernel or the initrd
 *    (bare-metal ELFs linked higher, Images with a large text_offset),
 *    otherwise at the first 2 MiB boundary after both; at most 2 MiB, so it
 *    never shares a 2 MiB block with anything else (booting.rst asks that).
 * Without -kernel nothing is loaded except a -dtb, and entry is 0.
 */
#ifndef HW_ARM_BOOT_H
#define HW_ARM_BOOT_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "system/memory.h"

typedef enum ArmKernelKind {
    ARM_KERNEL_NONE,
    ARM_KERNEL_RAW,
    ARM_KERNEL_IMAGE,       /* Linux arm64 Image with its 64-byte header */
    ARM_KERNEL_ELF,
} ArmKernelKind;

/* What the loader was asked to do. Paths may be NULL. */
typedef struct ArmBootConfig {
    const char *kernel;
    const char *initrd;
    const char *dtb;
    const char *cmdline;    /* recorded; the board puts it in /chosen of its DTB */
    uint64_t ram_base, ram_size;
} ArmBootConfig;

/* One piece of guest memory the loader fills, again at every reset. */
typedef struct ArmBootBlob {
    uint64_t addr;
    GBytes *data;
    uint64_t zero_size;     /* bytes of zeros after data (ELF BSS) */
} ArmBootBlob;

typedef struct ArmBootInfo {
    uint64_t ram_base, ram_size;
    ArmKernelKind kernel_kind;
    uint64_t entry;                     /* PC at reset */
    uint64_t kernel_start, kernel_end;  /* [start, end) the kernel claims */
    uint64_t initrd_start, initrd_size; /* size 0: no initrd */
    uint64_t dtb_addr, dtb_size;        /* x0 at reset; 0: no DTB */
    char *cmdline;
    GPtrArray *blobs;                   /* ArmBootBlob *, in load order */
} ArmBootInfo;

/*
 * Validate and place the images of cfg, write them into as, and fill info
 * (which must be zeroed or cleared). Errors are one line naming the option
 * and file, e.g. "-kernel 'x.elf': truncated ELF: ...". On failure info is
 * cleared again; memory already written stays written.
 */
bool arm_boot_load(ArmBootInfo *info, const ArmBootConfig *cfg, AddressSpace *as,
                   GError **errp);
/* Write every blob again (system reset: the guest may have overwritten them). */
bool arm_boot_reload(const ArmBootInfo *info, AddressSpace *as, GError **errp);
/*
 * The DTB loaded from -dtb (borrowed), or NULL; boards patch a copy and
 * hand it back through arm_boot_set_dtb.
 */
GBytes *arm_boot_get_dtb(const ArmBootInfo *info);
/*
 * Replace the DTB (or add one) after arm_boot_load: placed by the rules
 * above for its size, written into as, and kept for reloads. Sets dtb_addr
 * and dtb_size.
 */
bool arm_boot_set_dtb(ArmBootInfo *info, GBytes *fdt, AddressSpace *as, GError **errp);
/* Free what info owns and zero it. */
void arm_boot_info_clear(ArmBootInfo *info);

const char *arm_kernel_kind_name(ArmKernelKind kind);

/* Linux arm64 Image header fields used by the loader. */
#define ARM64_IMAGE_MAGIC_OFFSET   0x38
#define ARM64_IMAGE_MAGIC          "ARM\x64"
#define ARM64_IMAGE_HEADER_SIZE    64
#define ARM64_IMAGE_DEFAULT_OFFSET 0x80000  /* text_offset when image_size is 0 */
#define ARM_BOOT_ALIGN             (2 * 1024 * 1024)
#define ARM_BOOT_DTB_MAX           (2 * 1024 * 1024)

#endif
