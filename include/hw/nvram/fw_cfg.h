/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fw_cfg, QEMU's firmware configuration interface: a table of items, each
 * a byte string selected by a 16-bit key, read byte by byte through a data
 * register or copied into guest memory by a DMA engine. Named items
 * ("files", e.g. etc/e820) get keys from FW_CFG_FILE_FIRST and are listed
 * in the directory item FW_CFG_FILE_DIR. Firmware and test kernels written
 * for QEMU find it by its "QEMU" signature.
 *
 * The item store and the DMA engine do not depend on the transport; two
 * front ends expose them:
 *  - I/O ports (pc): selector at base (16-bit LE write), data at base + 1
 *    (8-bit read), DMA address at base + 4 (two 32-bit big-endian halves,
 *    the write of the low half at base + 8 starts the transfer; reading
 *    gives the signature "QEMU CFG").
 *  - MMIO (virt): data at base (1/2/4/8-byte reads, stream order),
 *    selector at base + 8 (16-bit big-endian), DMA at base + 16.
 * The device is created by the board, realized on the system bus, and its
 * DMA reaches address_space_memory().
 */
#ifndef HW_NVRAM_FW_CFG_H
#define HW_NVRAM_FW_CFG_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "hw/core/device.h"

#define TYPE_FW_CFG_IO          "fw_cfg_io"
#define TYPE_FW_CFG_MMIO        "fw_cfg_mmio"

#define FW_CFG_IO_BASE          0x510
#define FW_CFG_MMIO_SIZE        0x18

/* Keys (QEMU's numbering). */
#define FW_CFG_SIGNATURE        0x00
#define FW_CFG_ID               0x01
#define FW_CFG_UUID             0x02
#define FW_CFG_RAM_SIZE         0x03
#define FW_CFG_NOGRAPHIC        0x04
#define FW_CFG_NB_CPUS          0x05
#define FW_CFG_MACHINE_ID       0x06
#define FW_CFG_KERNEL_ADDR      0x07
#define FW_CFG_KERNEL_SIZE      0x08
#define FW_CFG_KERNEL_CMDLINE   0x09
#define FW_CFG_INITRD_ADDR      0x0a
#define FW_CFG_INITRD_SIZE      0x0b
#define FW_CFG_BOOT_DEVICE      0x0c
#define FW_CFG_NUMA             0x0d
#define FW_CFG_BOOT_MENU        0x0e
#define FW_CFG_MAX_CPUS         0x0f
#define FW_CFG_KERNEL_ENTRY     0x10
#define FW_CFG_KERNEL_DATA      0x11
#define FW_CFG_INITRD_DATA      0x12
#define FW_CFG_CMDLINE_ADDR     0x13
#define FW_CFG_CMDLINE_SIZE     0x14
#define FW_CFG_CMDLINE_DATA     0x15
#define FW_CFG_SETUP_ADDR       0x16
#define FW_CFG_SETUP_SIZE       0x17
#define FW_CFG_SETUP_DATA       0x18
#define FW_CFG_FILE_DIR         0x19
#define FW_CFG_FILE_FIRST       0x20
#define FW_CFG_FILE_SLOTS       0x1000
#define FW_CFG_WRITE_CHANNEL    0x4000
#define FW_CFG_ARCH_LOCAL       0x8000
#define FW_CFG_ENTRY_MASK       0x3fff

#define FW_CFG_ID_TRADITIONAL   (1u << 0)
#define FW_CFG_ID_DMA           (1u << 1)

/* DMA control word bits; the selector goes in bits 31:16. */
#define FW_CFG_DMA_ERROR        (1u << 0)
#define FW_CFG_DMA_READ         (1u << 1)
#define FW_CFG_DMA_SKIP         (1u << 2)
#define FW_CFG_DMA_SELECT       (1u << 3)
#define FW_CFG_DMA_WRITE        (1u << 4)

#define FW_CFG_DMA_SIGNATURE    0x51454d5520434647ull   /* "QEMU CFG" */
#define FW_CFG_MAX_FILE_PATH    56

typedef struct FwCfgState FwCfgState;

/* Register both classes; idempotent (boards of any target may call it). */
void fw_cfg_register_devices(void);
/*
 * Create, realize and map the device; the store starts with the
 * signature, the ID (DMA enabled) and an empty file directory.
 */
FwCfgState *fw_cfg_init_io(uint16_t iobase, GError **errp);
FwCfgState *fw_cfg_init_mmio(uint64_t base, GError **errp);
DeviceState *fw_cfg_device(FwCfgState *s);

/* Set (or replace) an item; the data is copied. */
void fw_cfg_add_bytes(FwCfgState *s, uint16_t key, const void *data, size_t len);
void fw_cfg_add_gbytes(FwCfgState *s, uint16_t key, GBytes *data);
/* NUL included, as QEMU stores strings. */
void fw_cfg_add_string(FwCfgState *s, uint16_t key, const char *str);
/* Little-endian integers. */
void fw_cfg_add_i16(FwCfgState *s, uint16_t key, uint16_t v);
void fw_cfg_add_i32(FwCfgState *s, uint16_t key, uint32_t v);
void fw_cfg_add_i64(FwCfgState *s, uint16_t key, uint64_t v);
/*
 * A named item: a new name gets the next free key from FW_CFG_FILE_FIRST,
 * an existing one keeps its key and gets the new contents. The directory
 * is kept sorted by name. Fails for names longer than 55 bytes or when the
 * slots are exhausted.
 */
bool fw_cfg_add_file(FwCfgState *s, const char *name, const void *data, size_t len,
                     GError **errp);
/* Key of a named item, or -1. */
int fw_cfg_find_file(FwCfgState *s, const char *name);
/* The item's bytes (borrowed), NULL when absent. */
GBytes *fw_cfg_get(FwCfgState *s, uint16_t key);

#endif
