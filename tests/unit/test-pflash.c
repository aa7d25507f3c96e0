/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cfi.pflash01 tests: a virt-like bank (4 bytes wide, two x16 chips, 256 KiB
 * blocks) driven through the memory API the way EDK2 and Linux's CFI driver
 * do it: the CFI query, identifier, status, word and buffered programming,
 * block erase, lock commands, the switch between direct ROM reads and
 * command mode, write-through to a raw drive and refusal on a read-only one.
 */
#include <glib/gstdio.h>
#include <string.h>

#include "block/block.h"
#include "hw/block/pflash.h"
#include "hw/core/device.h"
#include "system/memory.h"
#include "util/error.h"

#define BASE    0x04000000ull
#define SECTOR  (256 * 1024)
#define BLOCKS  8
#define SIZE    ((uint64_t)SECTOR * BLOCKS)
/* A command as firmware writes it: the same byte to both x16 chips. */
#define CMD(c)  ((uint32_t)(c) * 0x00010001u)

static char *tmpdir;

static uint64_t rd(uint64_t off, unsigned size)
{
    uint64_t v = 0;

    g_assert_cmpuint(address_space_read_val(address_space_memory(), BASE + off, &v, size), ==,
                     MEMTX_OK);
    return v;
}

static uint32_t rd32(uint64_t off)
{
    return rd(off, 4);
}

static void wr32(uint64_t off, uint32_t v)
{
    g_assert_cmpuint(address_space_write_val(address_space_memory(), BASE + off, v, 4), ==,
                     MEMTX_OK);
}

static DeviceState *create(BlockBackend *blk)
{
    GError *err = NULL;
    DeviceState *dev = pflash_cfi01_create("test.flash", BASE, blk, BLOCKS, SECTOR, 4, 2, &err);

    g_assert_no_error(err);
    g_assert_nonnull(dev);
    return dev;
}

/* Whether reads at BASE currently go straight to host memory (read-array mode). */
static bool romd(void)
{
    uint64_t xlat, plen;
    MemoryRegion *mr = address_space_translate(address_space_memory(), BASE, &xlat, &plen,
                                               false);

    return mr && memory_region_is_ram(mr);
}

static uint8_t query(uint64_t chip_word)
{
    /* Each chip answers in its lane; the other lane carries the same byte. */
    uint32_t v = rd32(chip_word * 4);

    g_assert_cmphex(v >> 16, ==, v & 0xffff);
    return v & 0xff;
}

static void test_query(void)
{
    DeviceState *dev = create(NULL);

    g_assert_true(romd());
    g_assert_cmphex(rd32(0), ==, 0);        /* anonymous: zeros, as QEMU's */
    /* Linux's probe: AMD reset, Intel reset, then query at 0x55. */
    wr32(0, CMD(0xf0));
    wr32(0, CMD(0xff));
    wr32(0x55 * 4, CMD(0x98));
    g_assert_false(romd());
    g_assert_cmpuint(query(0x10), ==, 'Q');
    g_assert_cmpuint(query(0x11), ==, 'R');
    g_assert_cmpuint(query(0x12), ==, 'Y');
    g_assert_cmpuint(query(0x13) | query(0x14) << 8, ==, 0x0001);    /* Intel/Sharp */
    g_assert_cmpuint(query(0x15), ==, 0x31);
    /* Per chip: 2^20 bytes (half the bank), x16, 64-byte buffer. */
    g_assert_cmpuint(query(0x27), ==, 20);
    g_assert_cmpuint(query(0x28) | query(0x29) << 8, ==, 0x0001);
    g_assert_cmpuint(query(0x2a), ==, 6);
    /* One region of 8 blocks of 128 KiB per chip: 256 KiB blocks of the bank. */
    g_assert_cmpuint(query(0x2c), ==, 1);
    g_assert_cmpuint((query(0x2d) | query(0x2e) << 8) + 1, ==, BLOCKS);
    g_assert_cmpuint((query(0x2f) | query(0x30) << 8) * 256, ==, SECTOR / 2);
    g_assert_cmpuint(query(0x31), ==, 'P');
    g_assert_cmpuint(query(0x32), ==, 'R');
    g_assert_cmpuint(query(0x33), ==, 'I');
    g_assert_cmpuint(query(0x34), ==, '1');
    /* Byte reads see one lane. */
    g_assert_cmphex(rd(0x10 * 4, 1), ==, 'Q');
    g_assert_cmphex(rd(0x10 * 4 + 2, 2), ==, 'Q');
    /* Identifier: Intel 0x89, device 0x18, block unlocked. */
    wr32(0, CMD(0x90));
    g_assert_cmphex(rd32(0), ==, CMD(0x89));
    g_assert_cmphex(rd32(4), ==, CMD(0x18));
    g_assert_cmphex(rd32(SECTOR + 8), ==, 0);
    wr32(0, CMD(0xff));
    g_assert_true(romd());
    g_assert_cmphex(rd32(0x40), ==, 0);
    (void)dev;
    device_tree_destroy();
}

static void test_program_erase(void)
{
    DeviceState *dev = create(NULL);
    uint8_t *storage = pflash_cfi01_storage(dev);

    g_assert_cmpuint(pflash_cfi01_size(dev), ==, SIZE);
    /* Erase the first two blocks (an anonymous bank starts as zeros). */
    for (uint64_t b = 0; b < 2 * SECTOR; b += SECTOR) {
        wr32(b, CMD(0x20));
        wr32(b, CMD(0xd0));
        g_assert_cmphex(rd32(b), ==, CMD(0x80));
    }
    wr32(0, CMD(0xff));
    g_assert_cmphex(rd32(SECTOR - 4), ==, 0xffffffff);
    g_assert_cmphex(rd32(2 * SECTOR), ==, 0);
    /* Word program: the chip reads status until ready. */
    wr32(0x100, CMD(0x40));
    wr32(0x100, 0x12345678);
    g_assert_false(romd());
    g_assert_cmphex(rd32(0x100), ==, CMD(0x80));
    wr32(0, CMD(0xff));
    g_assert_cmphex(rd32(0x100), ==, 0x12345678);
    g_assert_cmphex(storage[0x100], ==, 0x78);
    /* Programming only clears bits. */
    wr32(0x100, CMD(0x10));
    wr32(0x100, 0xffff00ff);
    wr32(0, CMD(0xff));
    g_assert_cmphex(rd32(0x100), ==, 0x12340078);
    /* Buffered program of 4 words: count - 1, data, confirm. */
    wr32(SECTOR, CMD(0xe8));
    g_assert_cmphex(rd32(SECTOR) & CMD(0x80), ==, CMD(0x80));
    wr32(SECTOR, CMD(3));
    for (int i = 0; i < 4; i++) {
        wr32(SECTOR + 4 * i, 0xa0a0a0a0 + i);
    }
    g_assert_cmphex(rd32(SECTOR), ==, CMD(0x80));
    wr32(SECTOR, CMD(0xd0));
    g_assert_cmphex(rd32(SECTOR), ==, CMD(0x80));
    wr32(0, CMD(0xff));
    g_assert_true(romd());
    for (int i = 0; i < 4; i++) {
        g_assert_cmphex(rd32(SECTOR + 4 * i), ==, 0xa0a0a0a0 + i);
    }
    g_assert_cmphex(rd32(SECTOR + 16), ==, 0xffffffff);
    /* A buffer larger than the chips' (64 bytes each) is a command error. */
    wr32(0, CMD(0xe8));
    wr32(0, CMD(63));
    g_assert_cmphex(rd32(0) & CMD(0x30), ==, CMD(0x30));
    wr32(0, CMD(0x50));
    wr32(0, CMD(0x70));
    g_assert_cmphex(rd32(0), ==, CMD(0x80));
    /* Block erase takes the whole 256 KiB block around the address, no more. */
    wr32(SECTOR + 0x1000, CMD(0x20));
    wr32(SECTOR + 0x1000, CMD(0xd0));
    g_assert_cmphex(rd32(SECTOR), ==, CMD(0x80));
    wr32(0, CMD(0xff));
    g_assert_cmphex(rd32(SECTOR), ==, 0xffffffff);
    g_assert_cmphex(rd32(0x100), ==, 0x12340078);
    /* Erase without its confirm: sequence error, nothing erased. */
    wr32(0x100, CMD(0x20));
    wr32(0x100, CMD(0xff));
    g_assert_cmphex(rd32(0) & CMD(0x30), ==, CMD(0x30));
    wr32(0, CMD(0x50));
    g_assert_true(romd());
    g_assert_cmphex(rd32(0x100), ==, 0x12340078);
    /* Lock, unlock and lock-down are accepted; blocks stay writable. */
    wr32(0, CMD(0x60));
    wr32(0, CMD(0x01));
    wr32(0, CMD(0x60));
    wr32(0, CMD(0xd0));
    g_assert_cmphex(rd32(0), ==, CMD(0x80));
    /* Reset returns to read-array. */
    wr32(0, CMD(0x98));
    device_reset(dev);
    g_assert_true(romd());
    g_assert_cmphex(rd32(0x100), ==, 0x12340078);
    device_tree_destroy();
}

static char *make_image(const char *name, uint64_t size, uint8_t fill)
{
    char *path = g_build_filename(tmpdir, name, NULL);
    g_autofree uint8_t *buf = g_malloc(size);
    GError *err = NULL;

    memset(buf, fill, size);
    memcpy(buf, "FIRMWARE", 8);
    g_assert_true(g_file_set_contents(path, (char *)buf, size, &err));
    return path;
}

static void test_drive(void)
{
    g_autofree char *path = make_image("vars.img", SIZE, 0xff);
    g_autofree char *data = NULL;
    GError *err = NULL;
    BlockBackend *blk = blk_open(path, "raw", 0, &err);
    gsize len;

    g_assert_no_error(err);
    create(blk);
    g_assert_cmphex(rd32(0), ==, 0x4d524946);  /* "FIRM" */
    wr32(2 * SECTOR + 8, CMD(0x40));
    wr32(2 * SECTOR + 8, 0xcafef00d);
    wr32(0, CMD(0xe8));
    wr32(0, CMD(1));
    wr32(0, 0x11111111);
    wr32(4, 0x22222222);
    wr32(0, CMD(0xd0));
    wr32(3 * SECTOR, CMD(0x20));
    wr32(3 * SECTOR, CMD(0xd0));
    wr32(0, CMD(0xff));
    device_tree_destroy();
    blk_close(blk);

    /* Everything reached the file through the block layer. */
    g_assert_true(g_file_get_contents(path, &data, &len, &err));
    g_assert_cmpuint(len, ==, SIZE);
    g_assert_cmphex(((uint32_t *)data)[0], ==, 0x11111111 & 0x4d524946);
    g_assert_cmphex(((uint32_t *)data)[1], ==, 0x22222222 & 0x45524157);
    g_assert_cmphex(((uint32_t *)(data + 2 * SECTOR))[2], ==, 0xcafef00d);
    g_assert_cmphex((uint8_t)data[3 * SECTOR], ==, 0xff);

    /* A reopened drive shows the programmed contents. */
    blk = blk_open(path, "raw", 0, &err);
    g_assert_no_error(err);
    create(blk);
    g_assert_cmphex(rd32(2 * SECTOR + 8), ==, 0xcafef00d);
    device_tree_destroy();
    blk_close(blk);
    g_unlink(path);
}

static void test_readonly(void)
{
    g_autofree char *path = make_image("ro.img", SIZE, 0x5a);
    GError *err = NULL;
    BlockBackend *blk = blk_open(path, "raw", BLK_READONLY, &err);

    g_assert_no_error(err);
    create(blk);
    /* Program and erase fail with the block-locked bit; nothing changes. */
    wr32(0x40, CMD(0x40));
    wr32(0x40, 0);
    g_assert_cmphex(rd32(0) & CMD(0x12), ==, CMD(0x12));
    wr32(0, CMD(0x50));
    wr32(0, CMD(0x20));
    wr32(0, CMD(0xd0));
    g_assert_cmphex(rd32(0) & CMD(0x22), ==, CMD(0x22));
    wr32(0, CMD(0x50));
    g_assert_cmphex(rd32(0x40), ==, 0x5a5a5a5a);
    g_assert_cmphex(rd32(0), ==, 0x4d524946);
    device_tree_destroy();
    blk_close(blk);
    g_unlink(path);
}

static void test_errors(void)
{
    g_autofree char *path = make_image("small.img", SECTOR, 0xff);
    GError *err = NULL;
    BlockBackend *blk = blk_open(path, "raw", 0, &err);

    g_assert_no_error(err);
    g_assert_null(pflash_cfi01_create("test.flash", BASE, blk, BLOCKS, SECTOR, 4, 2, &err));
    g_assert_nonnull(err);
    g_assert_nonnull(strstr(err->message, "the flash needs"));
    g_clear_error(&err);
    g_assert_null(pflash_cfi01_create("test.flash", BASE, NULL, BLOCKS, SECTOR, 3, 1, &err));
    g_assert_nonnull(err);
    g_clear_error(&err);
    blk_close(blk);
    g_unlink(path);

    /* Unknown commands and 8-byte accesses are guest errors, not crashes. */
    create(NULL);
    wr32(0, CMD(0x77));
    g_assert_true(romd());
    wr32(0, CMD(0x98));
    g_assert_cmphex(rd(0x10 * 4, 8), ==, (uint64_t)CMD('R') << 32 | CMD('Q'));
    device_tree_destroy();
}

int main(int argc, char **argv)
{
    int r;

    g_test_init(&argc, &argv, NULL);
    tmpdir = g_dir_make_tmp("test-pflash-XXXXXX", NULL);
    g_assert_nonnull(tmpdir);
    g_test_add_func("/pflash/query", test_query);
    g_test_add_func("/pflash/program-erase", test_program_erase);
    g_test_add_func("/pflash/drive", test_drive);
    g_test_add_func("/pflash/readonly", test_readonly);
    g_test_add_func("/pflash/errors", test_errors);
    r = g_test_run();
    g_rmdir(tmpdir);
    g_free(tmpdir);
    return r;
}
