/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Device test of fw_cfg: the item store and directory, the I/O front end
 * (selector, data, DMA register) and the MMIO front end, DMA descriptors
 * in a RAM region of system memory, errors.
 */
#include <string.h>

#include "hw/nvram/fw_cfg.h"
#include "system/memory.h"
#include "util/error.h"

#define RAM_SIZE    0x10000
#define DESC        0x1000      /* descriptor address in RAM */
#define BUF         0x2000
#define MMIO_BASE   0x9020000ull

static MemoryRegion ram;

static uint64_t io_rd(uint64_t port, unsigned size)
{
    uint64_t v = 0;

    address_space_read_val(address_space_io(), port, &v, size);
    return v;
}

static void io_wr(uint64_t port, uint64_t v, unsigned size)
{
    address_space_write_val(address_space_io(), port, v, size);
}

static void select_key(uint16_t key)
{
    io_wr(FW_CFG_IO_BASE, key, 2);
}

static void read_bytes(void *buf, size_t len)
{
    uint8_t *p = buf;

    for (size_t i = 0; i < len; i++) {
        p[i] = (uint8_t)io_rd(FW_CFG_IO_BASE + 1, 1);
    }
}

/* Run a DMA descriptor through the I/O DMA register; returns the control word after. */
static uint32_t dma(uint32_t control, uint32_t len, uint64_t addr)
{
    uint8_t d[16];
    uint32_t c = GUINT32_TO_BE(control), l = GUINT32_TO_BE(len), out;
    uint64_t a = GUINT64_TO_BE(addr);

    memcpy(d, &c, 4);
    memcpy(d + 4, &l, 4);
    memcpy(d + 8, &a, 8);
    address_space_write(address_space_memory(), DESC, d, sizeof(d));
    /* The guest writes the big-endian halves: the core swaps for the BE device. */
    io_wr(FW_CFG_IO_BASE + 4, GUINT32_SWAP_LE_BE(0), 4);
    io_wr(FW_CFG_IO_BASE + 8, GUINT32_SWAP_LE_BE(DESC), 4);
    address_space_read(address_space_memory(), DESC, &out, 4);
    return GUINT32_FROM_BE(out);
}

static FwCfgState *setup(void)
{
    g_autoptr(GError) err = NULL;
    FwCfgState *s = fw_cfg_init_io(FW_CFG_IO_BASE, &err);

    g_assert_no_error(err);
    g_assert_nonnull(s);
    device_reset(fw_cfg_device(s));
    return s;
}

static void test_signature_id(void)
{
    FwCfgState *s = setup();
    char sig[5] = { 0 };
    uint32_t id = 0;

    read_bytes(sig, 4);                             /* reset selected the signature */
    g_assert_cmpstr(sig, ==, "QEMU");
    g_assert_cmpuint(io_rd(FW_CFG_IO_BASE + 1, 1), ==, 0);     /* past the end */
    select_key(FW_CFG_ID);
    read_bytes(&id, 4);
    g_assert_cmpuint(GUINT32_FROM_LE(id), ==, FW_CFG_ID_TRADITIONAL | FW_CFG_ID_DMA);
    /* The DMA register reads as "QEMU CFG", big-endian. */
    g_assert_cmphex(GUINT32_SWAP_LE_BE((uint32_t)io_rd(FW_CFG_IO_BASE + 4, 4)), ==,
                    0x51454d55);
    g_assert_cmphex(GUINT32_SWAP_LE_BE((uint32_t)io_rd(FW_CFG_IO_BASE + 8, 4)), ==,
                    0x20434647);
    /* Writes to the data port are ignored. */
    select_key(FW_CFG_SIGNATURE);
    io_wr(FW_CFG_IO_BASE + 1, 'X', 1);
    read_bytes(sig, 4);
    g_assert_cmpstr(sig, ==, "QEMU");
    g_assert_null(fw_cfg_get(s, 0x1234));
    select_key(0x1234);
    g_assert_cmpuint(io_rd(FW_CFG_IO_BASE + 1, 1), ==, 0);
    device_tree_destroy();
}

static void test_items_files(void)
{
    FwCfgState *s = setup();
    g_autoptr(GError) err = NULL;
    uint8_t dir[4 + 3 * 64];
    uint64_t v64 = 0;
    char name[57];

    fw_cfg_add_i64(s, FW_CFG_RAM_SIZE, 0x123456789ull);
    select_key(FW_CFG_RAM_SIZE);
    read_bytes(&v64, 8);
    g_assert_cmphex(GUINT64_FROM_LE(v64), ==, 0x123456789ull);

    g_assert_true(fw_cfg_add_file(s, "etc/zeta", "zz", 2, &err));
    g_assert_true(fw_cfg_add_file(s, "etc/alpha", "a", 1, &err));
    g_assert_no_error(err);
    g_assert_cmpint(fw_cfg_find_file(s, "etc/zeta"), ==, FW_CFG_FILE_FIRST);
    g_assert_cmpint(fw_cfg_find_file(s, "etc/alpha"), ==, FW_CFG_FILE_FIRST + 1);
    /* Replacing keeps the key, the size in the directory follows. */
    g_assert_true(fw_cfg_add_file(s, "etc/zeta", "zzzz", 4, &err));
    g_assert_cmpint(fw_cfg_find_file(s, "etc/zeta"), ==, FW_CFG_FILE_FIRST);
    g_assert_cmpint(fw_cfg_find_file(s, "etc/none"), ==, -1);

    select_key(FW_CFG_FILE_DIR);
    read_bytes(dir, 4 + 2 * 64);
    g_assert_cmpuint(dir[3], ==, 2);                /* BE count */
    g_assert_cmpstr((char *)dir + 4 + 8, ==, "etc/alpha");      /* sorted by name */
    g_assert_cmpuint(dir[4 + 3], ==, 1);            /* BE size */
    g_assert_cmpuint(dir[4 + 5], ==, FW_CFG_FILE_FIRST + 1);    /* BE key */
    g_assert_cmpstr((char *)dir + 4 + 64 + 8, ==, "etc/zeta");
    g_assert_cmpuint(dir[4 + 64 + 3], ==, 4);

    memset(name, 'n', 56);
    name[56] = '\0';
    g_assert_false(fw_cfg_add_file(s, name, "x", 1, &err));
    g_assert_nonnull(strstr(err->message, "must have 1 to 55 characters"));
    device_tree_destroy();
}

static void test_dma(void)
{
    FwCfgState *s = setup();
    uint8_t buf[16];
    g_autoptr(GError) err = NULL;

    g_assert_true(fw_cfg_add_file(s, "etc/data", "0123456789", 10, &err));
    /* select + read */
    g_assert_cmphex(dma(FW_CFG_FILE_FIRST << 16 | FW_CFG_DMA_SELECT | FW_CFG_DMA_READ, 4, BUF),
                    ==, 0);
    address_space_read(address_space_memory(), BUF, buf, 4);
    g_assert_cmpmem(buf, 4, "0123", 4);
    /* skip continues the stream, then read past the end gives zeros */
    g_assert_cmphex(dma(FW_CFG_DMA_SKIP, 2, 0), ==, 0);
    memset(buf, 0xaa, sizeof(buf));
    address_space_write(address_space_memory(), BUF, buf, sizeof(buf));
    g_assert_cmphex(dma(FW_CFG_DMA_READ, 8, BUF), ==, 0);
    address_space_read(address_space_memory(), BUF, buf, 9);
    g_assert_cmpmem(buf, 9, "6789\0\0\0\0\xaa", 9);
    /* the byte interface shares the offset */
    g_assert_cmphex(dma(FW_CFG_FILE_FIRST << 16 | FW_CFG_DMA_SELECT | FW_CFG_DMA_SKIP, 9, 0),
                    ==, 0);
    g_assert_cmpuint(io_rd(FW_CFG_IO_BASE + 1, 1), ==, '9');
    /* writes fail, reads into non-RAM fail */
    g_assert_cmphex(dma(FW_CFG_DMA_SELECT | FW_CFG_DMA_WRITE, 4, BUF) & FW_CFG_DMA_ERROR, ==, 1);
    g_assert_cmphex(dma(FW_CFG_DMA_SELECT | FW_CFG_DMA_READ, 4, 0x80000000ull) & FW_CFG_DMA_ERROR,
                    ==, 1);
    /* a descriptor outside RAM is dropped without harm */
    io_wr(FW_CFG_IO_BASE + 4, 0, 4);
    io_wr(FW_CFG_IO_BASE + 8, GUINT32_SWAP_LE_BE(0x80000000u), 4);
    device_tree_destroy();
}

static void test_mmio(void)
{
    g_autoptr(GError) err = NULL;
    FwCfgState *s = fw_cfg_init_mmio(MMIO_BASE, &err);
    uint64_t v = 0;

    g_assert_no_error(err);
    device_reset(fw_cfg_device(s));
    fw_cfg_add_string(s, FW_CFG_CMDLINE_DATA, "console=ttyAMA0");
    /* 8-byte read: the stream's bytes in memory order. */
    address_space_read_val(address_space_memory(), MMIO_BASE, &v, 8);
    g_assert_cmpmem(&v, 4, "QEMU", 4);
    g_assert_cmphex(v >> 32, ==, 0);
    /* Selector: 16-bit big-endian. */
    address_space_write_val(address_space_memory(), MMIO_BASE + 8,
                            GUINT16_SWAP_LE_BE(FW_CFG_CMDLINE_DATA), 2);
    address_space_read_val(address_space_memory(), MMIO_BASE, &v, 4);
    g_assert_cmpmem(&v, 4, "cons", 4);
    address_space_read_val(address_space_memory(), MMIO_BASE, &v, 2);
    g_assert_cmpmem(&v, 2, "ol", 2);
    address_space_read_val(address_space_memory(), MMIO_BASE + 16, &v, 8);
    g_assert_cmphex(GUINT64_SWAP_LE_BE(v), ==, FW_CFG_DMA_SIGNATURE);
    device_tree_destroy();
}

int main(int argc, char **argv)
{
    g_autoptr(GError) err = NULL;

    g_test_init(&argc, &argv, NULL);
    fw_cfg_register_devices();
    g_assert_true(memory_region_init_ram(&ram, "ram", RAM_SIZE, &err));
    memory_region_add_subregion(get_system_memory(), 0, &ram);
    g_test_add_func("/fw_cfg/signature-id", test_signature_id);
    g_test_add_func("/fw_cfg/items-files", test_items_files);
    g_test_add_func("/fw_cfg/dma", test_dma);
    g_test_add_func("/fw_cfg/mmio", test_mmio);
    return g_test_run();
}
