/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Parallel NOR flash speaking the Intel/Sharp CFI command set 0001, as
 * QEMU's "cfi.pflash01": a bank of `width` bytes made of width/device-width
 * interleaved chips that all receive the same commands. In read-array mode
 * the bank is plain host memory for the guest (direct reads and fetches);
 * any write is a command and switches reads to the device until the guest
 * asks for read-array again. Backed by a drive (programs and erases are
 * written through to it) or anonymous (zeros at start, as QEMU's).
 */
#ifndef HW_BLOCK_PFLASH_H
#define HW_BLOCK_PFLASH_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "hw/core/device.h"

#define TYPE_PFLASH_CFI01 "cfi.pflash01"

typedef struct BlockBackend BlockBackend;

extern const DeviceClass pflash_cfi01_device_class;

/*
 * Create, realize and map at addr a bank of num_blocks blocks of
 * sector_len bytes (the bank's erase block), width bytes wide made of
 * device_width-byte chips, with the JEDEC ids QEMU's boards use
 * (0x89/0x18). blk may be NULL (anonymous, zeros). name is the memory
 * region's name ("virt.flash0").
 */
DeviceState *pflash_cfi01_create(const char *name, uint64_t addr, BlockBackend *blk,
                                 uint32_t num_blocks, uint32_t sector_len, unsigned width,
                                 unsigned device_width, GError **errp);

/* The flash array's host memory (to load a firmware image) and size. */
uint8_t *pflash_cfi01_storage(DeviceState *dev);
uint64_t pflash_cfi01_size(DeviceState *dev);

#endif
