/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Multiboot v1 kernel loading for -kernel on the pc machine: find the
 * header in the first 8 KiB, load the ELF32 segments (or the a.out-kludge
 * range of a flat image), place -initrd modules and the info block above
 * the kernel, and describe the 32-bit entry. What was loaded is kept as a
 * list of blobs so that a system reset can put the same bytes back.
 */
#ifndef HW_I386_MULTIBOOT_H
#define HW_I386_MULTIBOOT_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "hw/i386/x86-boot.h"
#include "system/memory.h"

#define MULTIBOOT_HEADER_MAGIC     0x1BADB002u
#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002u
#define MULTIBOOT_SEARCH_LEN       8192

typedef struct MultibootParams {
    const char *kernel;       /* path, also the start of the command line */
    const char *cmdline;      /* -append, may be NULL */
    const char *modules;      /* -initrd: "file args,file2" (",," = comma), may be NULL */
    uint64_t below_4g;        /* RAM from 0 */
    uint64_t above_4g;        /* RAM from 4 GiB */
    const GArray *e820;       /* E820Entry: the memory map; NULL: built from the sizes */
} MultibootParams;

typedef struct MultibootImage {
    GArray *blobs;            /* BootBlob, in load order */
    uint32_t entry;           /* EIP */
    uint32_t info_addr;       /* EBX */
} MultibootImage;

/* Offset of a valid header (magic, flags, checksum) in buf, or -1. */
long multiboot_find_header(const uint8_t *buf, size_t len);

/*
 * Parse the kernel and modules and lay out the image; nothing is written to
 * the guest yet. Errors read "-kernel FILE: ..." or "-initrd FILE: ...".
 */
bool multiboot_prepare(const MultibootParams *p, MultibootImage *img, GError **errp);
/* Copy the blobs into guest memory; fails naming the first blob that does not fit. */
bool multiboot_write(AddressSpace *as, const MultibootImage *img, GError **errp);
void multiboot_image_clear(MultibootImage *img);

#endif
