/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Pieces shared by the x86 kernel loaders and the pc machine: boot blobs
 * (bytes a loader puts into guest RAM, kept so that a system reset can put
 * the same bytes back) and the e820 memory map, the one description of
 * guest RAM that Multiboot, the Linux zero page, fw_cfg's etc/e820 and the
 * CMOS agree on.
 */
#ifndef HW_I386_X86_BOOT_H
#define HW_I386_X86_BOOT_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "system/memory.h"

/* Bytes to copy to guest RAM at addr, followed by zero_len zero bytes. */
typedef struct BootBlob {
    uint64_t addr;
    GBytes *data;
    uint64_t zero_len;
} BootBlob;

/* A GArray of BootBlob whose clear function drops the data. */
GArray *boot_blobs_new(void);
/* Copies len bytes. */
void boot_blobs_add(GArray *blobs, uint64_t addr, const void *data, size_t len,
                    uint64_t zero_len);
/* Highest address + 1 covered by any blob (0 when empty). */
uint64_t boot_blobs_end(const GArray *blobs);
/* Copy every blob into as; fails naming the first range that is not RAM. */
bool boot_blobs_write(AddressSpace *as, const GArray *blobs, GError **errp);

/* ---- e820 ---- */

#define E820_RAM        1
#define E820_RESERVED   2
#define E820_ACPI       3
#define E820_NVS        4
#define E820_UNUSABLE   5

#define E820_MAX_ENTRIES 128    /* what the Linux zero page holds */
#define E820_ENTRY_SIZE  20     /* packed: addr, size (LE 64), type (LE 32) */

typedef struct E820Entry {
    uint64_t addr, size;
    uint32_t type;
} E820Entry;

/* A GArray of E820Entry. */
GArray *e820_new(void);
/* Append (callers add in ascending address order; nothing is merged). */
void e820_add(GArray *t, uint64_t addr, uint64_t size, uint32_t type);
/* The packed 20-byte little-endian entries (fw_cfg etc/e820, zero page). */
GBytes *e820_pack(const GArray *t);
/* Sum of the E820_RAM sizes. */
uint64_t e820_ram_total(const GArray *t);

#endif
