/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit test of the Linux bzImage loader on synthetic images: entry mode
 * and load address choice, the zero page the kernel gets (header copy,
 * loader fields, command line, initrd, e820), the boot GDT and identity
 * page tables, and the one-line errors for bad input.
 */
#include <glib/gstdio.h>
#include <string.h>

#include "hw/i386/linux-boot.h"
#include "util/error.h"

#define MiB (1024ull * 1024)

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = v;
    p[1] = v >> 8;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v);
    put16(p + 2, v >> 16);
}

static uint32_t get32(const uint8_t *p)
{
    return p[0] | (p[1] << 8) | (p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint64_t get64(const uint8_t *p)
{
    return get32(p) | ((uint64_t)get32(p + 4) << 32);
}

/* setup_sects 1, protocol, xloadflags, relocatable + pref_address, init_size. */
static GByteArray *make_bzimage(uint16_t protocol, bool kernel64, bool reloc, uint32_t pref,
                                uint32_t init_size, size_t pm_size)
{
    GByteArray *b = g_byte_array_new();

    g_byte_array_set_size(b, 1024 + pm_size);
    memset(b->data, 0, b->len);
    b->data[LINUX_HDR_SETUP_SECTS] = 1;
    put16(b->data + LINUX_HDR_BOOT_FLAG, 0xaa55);
    b->data[LINUX_HDR_JUMP] = 0xeb;
    b->data[LINUX_HDR_JUMP + 1] = 0x6a;             /* header up to 0x26c */
    put32(b->data + LINUX_HDR_MAGIC, LINUX_HDR_MAGIC_VALUE);
    put16(b->data + LINUX_HDR_VERSION, protocol);
    b->data[LINUX_HDR_LOADFLAGS] = LINUX_LOADED_HIGH;
    put32(b->data + LINUX_HDR_CODE32_START, 0x100000);
    put32(b->data + LINUX_HDR_INITRD_MAX, 0x7fffffff);
    b->data[LINUX_HDR_RELOCATABLE] = reloc;
    put16(b->data + LINUX_HDR_XLOADFLAGS, kernel64 ? LINUX_XLF_KERNEL_64 : 0);
    put32(b->data + LINUX_HDR_CMDLINE_SIZE, 64);
    put32(b->data + LINUX_HDR_PREF_ADDRESS, pref);
    put32(b->data + LINUX_HDR_INIT_SIZE, init_size);
    for (size_t i = 0; i < pm_size; i++) {
        b->data[1024 + i] = (uint8_t)i;
    }
    return b;
}

static const BootBlob *blob_at(const LinuxBootImage *img, uint64_t addr)
{
    for (guint i = 0; i < img->blobs->len; i++) {
        const BootBlob *b = &g_array_index(img->blobs, BootBlob, i);
        if (b->addr == addr) {
            return b;
        }
    }
    g_assert_not_reached();
}

static char *tmp_file(const char *data, size_t len)
{
    g_autoptr(GError) err = NULL;
    char *path = NULL;
    int fd = g_file_open_tmp("test-linux-boot-XXXXXX", &path, &err);

    g_assert_no_error(err);
    close(fd);
    g_assert_true(g_file_set_contents(path, data, len, &err));
    return path;
}

static void test_64bit(void)
{
    g_autoptr(GByteArray) k = make_bzimage(0x20f, true, true, 16 * MiB, 8 * MiB, 4096);
    g_autoptr(GArray) e820 = e820_new();
    g_autofree char *initrd = tmp_file("INITRD", 6);
    g_autoptr(GError) err = NULL;
    LinuxBootParams p = {
        .kernel = "bz", .initrd = initrd, .cmdline = "console=ttyS0",
        .below_4g = 128 * MiB, .e820 = e820,
    };
    LinuxBootImage img;
    const uint8_t *zp, *pt, *gdt;

    e820_add(e820, 0, 0x9fc00, E820_RAM);
    e820_add(e820, MiB, 127 * MiB, E820_RAM);
    g_assert_true(linux_boot_is_bzimage(k->data, k->len));
    g_assert_true(linux_boot_prepare(&p, k->data, k->len, &img, &err));
    g_assert_no_error(err);
    g_unlink(initrd);
    g_assert_true(img.long_mode);
    g_assert_cmphex(img.kernel_addr, ==, 16 * MiB);            /* pref_address */
    g_assert_cmphex(img.entry, ==, 16 * MiB + 0x200);
    g_assert_cmphex(img.zero_page, ==, LINUX_BOOT_ZERO_PAGE);
    g_assert_cmpmem(g_bytes_get_data(blob_at(&img, 16 * MiB)->data, NULL), 4,
                    "\x00\x01\x02\x03", 4);

    zp = g_bytes_get_data(blob_at(&img, LINUX_BOOT_ZERO_PAGE)->data, NULL);
    g_assert_cmphex(get32(zp + LINUX_HDR_MAGIC), ==, LINUX_HDR_MAGIC_VALUE);
    g_assert_cmphex(zp[LINUX_HDR_TYPE_OF_LOADER], ==, 0xff);
    g_assert_cmphex(zp[LINUX_HDR_LOADFLAGS], ==, LINUX_LOADED_HIGH | LINUX_CAN_USE_HEAP);
    g_assert_cmphex(get32(zp + LINUX_HDR_CMD_LINE_PTR), ==, LINUX_BOOT_CMDLINE_ADDR);
    g_assert_cmphex(get32(zp + LINUX_HDR_CODE32_START), ==, 16 * MiB);
    g_assert_cmphex(zp[LINUX_HDR_HEAP_END_PTR] | (zp[LINUX_HDR_HEAP_END_PTR + 1] << 8), ==,
                    0xfe00);
    g_assert_cmphex(get32(zp + LINUX_HDR_RAMDISK_SIZE), ==, 6);
    g_assert_cmphex(get32(zp + LINUX_HDR_RAMDISK_IMAGE), ==, 128 * MiB - 4096);
    g_assert_cmphex(img.initrd_addr, ==, 128 * MiB - 4096);
    g_assert_cmpuint(zp[LINUX_ZP_E820_ENTRIES], ==, 2);
    g_assert_cmphex(get64(zp + LINUX_ZP_E820_TABLE + 20), ==, MiB);
    g_assert_cmphex(get64(zp + LINUX_ZP_E820_TABLE + 28), ==, 127 * MiB);
    g_assert_cmpuint(get32(zp + LINUX_ZP_E820_TABLE + 36), ==, E820_RAM);
    g_assert_cmpstr(g_bytes_get_data(blob_at(&img, LINUX_BOOT_CMDLINE_ADDR)->data, NULL), ==,
                    "console=ttyS0");

    /* 4 GiB identity map with 2 MiB pages. */
    g_assert_cmphex(img.cr3, ==, LINUX_BOOT_PML4_ADDR);
    pt = g_bytes_get_data(blob_at(&img, LINUX_BOOT_PML4_ADDR)->data, NULL);
    g_assert_cmphex(get64(pt), ==, (LINUX_BOOT_PML4_ADDR + 0x1000) | 3);
    g_assert_cmphex(get64(pt + 0x1000 + 3 * 8), ==, (LINUX_BOOT_PML4_ADDR + 0x5000) | 3);
    g_assert_cmphex(get64(pt + 0x5000 + 511 * 8), ==, 0xffe00000ull | 0x83);
    gdt = g_bytes_get_data(blob_at(&img, LINUX_BOOT_GDT_ADDR)->data, NULL);
    g_assert_cmphex(get64(gdt + LINUX_BOOT_CS), ==, 0x00af9b000000ffffull);
    g_assert_cmphex(get64(gdt + LINUX_BOOT_DS), ==, 0x00cf93000000ffffull);
    g_assert_cmpuint(g_bytes_get_size(img.setup_data), ==, 1024);
    g_assert_cmpuint(g_bytes_get_size(img.kernel_data), ==, 4096);
    linux_boot_image_clear(&img);
}

static void test_32bit(void)
{
    g_autoptr(GByteArray) k = make_bzimage(0x206, true, false, 0, 0, 512);
    g_autoptr(GError) err = NULL;
    LinuxBootParams p = { .kernel = "bz", .below_4g = 64 * MiB };
    LinuxBootImage img;
    const uint8_t *gdt;

    /* Protocol 2.06 has no xloadflags: the 64-bit flag bits are not read. */
    g_assert_true(linux_boot_prepare(&p, k->data, k->len, &img, &err));
    g_assert_false(img.long_mode);
    g_assert_cmphex(img.kernel_addr, ==, MiB);
    g_assert_cmphex(img.entry, ==, MiB);
    g_assert_null(img.initrd_data);
    gdt = g_bytes_get_data(blob_at(&img, LINUX_BOOT_GDT_ADDR)->data, NULL);
    g_assert_cmphex(get64(gdt + LINUX_BOOT_CS), ==, 0x00cf9b000000ffffull);
    g_assert_cmpstr(g_bytes_get_data(img.cmdline_data, NULL), ==, "");
    linux_boot_image_clear(&img);
}

static void expect_error(GByteArray *k, LinuxBootParams *p, const char *msg)
{
    g_autoptr(GError) err = NULL;
    LinuxBootImage img;

    g_assert_false(linux_boot_prepare(p, k->data, k->len, &img, &err));
    g_assert_nonnull(err);
    if (!strstr(err->message, msg)) {
        g_error("'%s' does not contain '%s'", err->message, msg);
    }
    g_assert_null(strchr(err->message, '\n'));
    g_assert_null(img.blobs);
}

static void test_errors(void)
{
    g_autoptr(GByteArray) old = make_bzimage(0x204, false, false, 0, 0, 512);
    g_autoptr(GByteArray) k = make_bzimage(0x20f, true, true, 16 * MiB, 8 * MiB, 4096);
    g_autoptr(GByteArray) big = make_bzimage(0x20f, false, false, MiB, 64 * MiB, 512);
    g_autofree char *initrd = NULL;
    g_autofree char *blob = g_malloc0(20 * MiB);
    LinuxBootParams p = { .kernel = "bz", .below_4g = 32 * MiB };

    expect_error(old, &p, "-kernel bz: Linux boot protocol 2.04 is too old (2.06 or later needed)");
    expect_error(big, &p, "-kernel bz: the kernel needs 65 MiB of RAM, the machine has 32 MiB");
    p.cmdline = "this command line is definitely longer than the sixty-four bytes allowed";
    expect_error(k, &p, "-append: the command line has 72 bytes, the kernel accepts at most 64");
    p.cmdline = NULL;
    initrd = tmp_file(blob, 20 * MiB);
    p.initrd = initrd;
    expect_error(k, &p, "initrd too large for RAM (8 MiB available)");
    g_unlink(initrd);
    expect_error(k, &p, "No such file or directory");
    p.initrd = NULL;
    g_byte_array_set_size(k, 0x240);
    expect_error(k, &p, "-kernel bz: truncated Linux setup header");
    k->data[LINUX_HDR_MAGIC] = 'X';
    g_assert_false(linux_boot_is_bzimage(k->data, k->len));
    g_byte_array_set_size(old, 1024);
    put16(old->data + LINUX_HDR_VERSION, 0x20f);
    expect_error(old, &p, "setup code (1024 bytes) covers the whole file");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/linux-boot/64bit", test_64bit);
    g_test_add_func("/linux-boot/32bit", test_32bit);
    g_test_add_func("/linux-boot/errors", test_errors);
    return g_test_run();
}
