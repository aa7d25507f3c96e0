/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the Multiboot v1 loader: synthetic ELF32 and a.out-kludge
 * images written to temporary files, the info block it builds, modules,
 * and the one-line errors for images it must refuse.
 */
#include <elf.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "hw/i386/multiboot.h"
#include "util/error.h"

#define MiB (1024ull * 1024)
#define KLUDGE (1u << 16)

typedef struct Img {
    GByteArray *b;
    char *path;
} Img;

static void put32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, 4);
}

static uint32_t get32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, 4);
    return v;
}

/* A Multiboot header at hoff with flags; checksum made right unless bad. */
static void put_header(GByteArray *b, size_t hoff, uint32_t flags, bool bad)
{
    if (b->len < hoff + 32) {
        guint old = b->len;

        g_byte_array_set_size(b, hoff + 32);
        memset(b->data + old, 0, b->len - old);
    }
    put32(b->data + hoff, MULTIBOOT_HEADER_MAGIC);
    put32(b->data + hoff + 4, flags);
    put32(b->data + hoff + 8, -(MULTIBOOT_HEADER_MAGIC + flags) + (bad ? 1 : 0));
}

/* ELF32 executable: one PT_LOAD of filesz bytes at paddr (memsz = 2 * filesz). */
static GByteArray *make_elf(uint32_t paddr, uint32_t filesz, int elfclass)
{
    GByteArray *b = g_byte_array_new();
    Elf32_Ehdr eh = {
        .e_type = ET_EXEC, .e_machine = EM_386, .e_version = EV_CURRENT,
        .e_entry = paddr + 0x40, .e_phoff = sizeof(Elf32_Ehdr),
        .e_ehsize = sizeof(Elf32_Ehdr), .e_phentsize = sizeof(Elf32_Phdr), .e_phnum = 1,
    };
    Elf32_Phdr ph = {
        .p_type = PT_LOAD, .p_offset = 0x1000, .p_vaddr = paddr, .p_paddr = paddr,
        .p_filesz = filesz, .p_memsz = filesz * 2, .p_flags = PF_R | PF_X,
    };

    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = elfclass;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    g_byte_array_set_size(b, 0x1000 + filesz);
    memset(b->data, 0xab, b->len);
    memcpy(b->data, &eh, sizeof(eh));
    memcpy(b->data + sizeof(eh), &ph, sizeof(ph));
    put_header(b, 0x1000, 0x3, false);
    return b;
}

static char *write_tmp(GByteArray *b)
{
    g_autoptr(GError) err = NULL;
    char *path = NULL;
    int fd = g_file_open_tmp("test-multiboot-XXXXXX", &path, &err);

    g_assert_no_error(err);
    g_assert_true(g_file_set_contents(path, (const char *)b->data, b->len, &err));
    g_assert_no_error(err);
    close(fd);
    return path;
}

static bool prepare(GByteArray *b, const char *cmdline, const char *modules,
                    MultibootImage *img, GError **errp)
{
    g_autofree char *path = write_tmp(b);
    MultibootParams p = {
        .kernel = path, .cmdline = cmdline, .modules = modules,
        .below_4g = 128 * MiB, .above_4g = 0,
    };
    bool ok = multiboot_prepare(&p, img, errp);

    g_unlink(path);
    return ok;
}

static const BootBlob *blob(const MultibootImage *img, guint i)
{
    g_assert_cmpuint(i, <, img->blobs->len);
    return &g_array_index(img->blobs, BootBlob, i);
}

static void test_find_header(void)
{
    g_autoptr(GByteArray) b = g_byte_array_new();

    g_byte_array_set_size(b, 16384);
    memset(b->data, 0, b->len);
    g_assert_cmpint(multiboot_find_header(b->data, b->len), ==, -1);
    put_header(b, 8192 - 12, 0, false);             /* last slot that fits */
    g_assert_cmpint(multiboot_find_header(b->data, b->len), ==, 8192 - 12);
    memset(b->data, 0, b->len);
    put_header(b, 8192, 0, false);                  /* beyond the search area */
    g_assert_cmpint(multiboot_find_header(b->data, b->len), ==, -1);
    memset(b->data, 0, b->len);
    put_header(b, 64, 0, true);                     /* bad checksum */
    g_assert_cmpint(multiboot_find_header(b->data, b->len), ==, -1);
    put_header(b, 66, 0, false);                    /* unaligned */
    g_assert_cmpint(multiboot_find_header(b->data, b->len), ==, -1);
    g_assert_cmpint(multiboot_find_header(b->data, 8), ==, -1);
}

static void test_elf(void)
{
    g_autoptr(GByteArray) b = make_elf(0x100000, 0x200, ELFCLASS32);
    g_autoptr(GError) err = NULL;
    MultibootImage img;
    const BootBlob *k, *info;
    const uint8_t *d;
    gsize len;

    g_assert_true(prepare(b, "console=ttyS0", NULL, &img, &err));
    g_assert_no_error(err);
    g_assert_cmphex(img.entry, ==, 0x100040);
    g_assert_cmpuint(img.blobs->len, ==, 2);
    k = blob(&img, 0);
    g_assert_cmphex(k->addr, ==, 0x100000);
    g_assert_cmpuint(g_bytes_get_size(k->data), ==, 0x200);
    g_assert_cmpuint(k->zero_len, ==, 0x200);

    /* The info block follows the kernel (bss included) on a page boundary. */
    info = blob(&img, 1);
    g_assert_cmphex(info->addr, ==, 0x101000);
    g_assert_cmphex(img.info_addr, ==, 0x101000);
    d = g_bytes_get_data(info->data, &len);
    g_assert_cmphex(get32(d), ==, (1u << 0) | (1u << 2) | (1u << 6) | (1u << 9));
    g_assert_cmpuint(get32(d + 4), ==, 639);
    g_assert_cmpuint(get32(d + 8), ==, (128 * MiB - MiB) / 1024);
    g_assert_true(g_str_has_suffix((const char *)d + (get32(d + 16) - info->addr),
                                   " console=ttyS0"));
    g_assert_cmpstr((const char *)d + (get32(d + 64) - info->addr), ==, "tern");
    /* Memory map: 4 entries of 24 bytes, the last one RAM from 1 MiB. */
    g_assert_cmpuint(get32(d + 44), ==, 4 * 24);
    {
        const uint8_t *e = d + (get32(d + 48) - info->addr) + 3 * 24;
        uint64_t base, size;

        memcpy(&base, e + 4, 8);
        memcpy(&size, e + 12, 8);
        g_assert_cmphex(base, ==, MiB);
        g_assert_cmphex(size, ==, 127 * MiB);
        g_assert_cmpuint(get32(e + 20), ==, 1);
    }
    multiboot_image_clear(&img);
}

static void test_modules(void)
{
    g_autoptr(GByteArray) b = make_elf(0x100000, 0x100, ELFCLASS32);
    g_autoptr(GByteArray) m = g_byte_array_new();
    g_autoptr(GError) err = NULL;
    g_autofree char *mod = NULL;
    g_autofree char *spec = NULL;
    MultibootImage img;
    const uint8_t *d, *ml;
    const BootBlob *info;

    g_byte_array_append(m, (const uint8_t *)"MODULE", 6);
    mod = write_tmp(m);
    /* Two modules, the second with arguments and a literal comma. */
    spec = g_strdup_printf("%s,%s a,,b", mod, mod);
    g_assert_true(prepare(b, NULL, spec, &img, &err));
    g_assert_no_error(err);
    g_assert_cmpuint(img.blobs->len, ==, 4);
    g_assert_cmphex(blob(&img, 1)->addr, ==, 0x101000);
    g_assert_cmphex(blob(&img, 2)->addr, ==, 0x102000);
    info = blob(&img, 3);
    d = g_bytes_get_data(info->data, NULL);
    g_assert_true(get32(d) & (1u << 3));
    g_assert_cmpuint(get32(d + 20), ==, 2);
    ml = d + (get32(d + 24) - info->addr);
    g_assert_cmphex(get32(ml), ==, 0x101000);
    g_assert_cmphex(get32(ml + 4), ==, 0x101006);
    g_assert_true(g_str_has_suffix((const char *)d + (get32(ml + 16 + 8) - info->addr),
                                   " a,b"));
    multiboot_image_clear(&img);

    /* A missing module names itself. */
    g_assert_false(prepare(b, NULL, "/nonexistent/module", &img, &err));
    g_assert_nonnull(strstr(err->message, "-initrd /nonexistent/module: "));
    g_unlink(mod);
}

static void test_kludge(void)
{
    g_autoptr(GByteArray) b = g_byte_array_new();
    g_autoptr(GError) err = NULL;
    MultibootImage img;

    /* A flat image loaded at 2 MiB, header at offset 0x40. */
    g_byte_array_set_size(b, 0x1000);
    memset(b->data, 0x90, b->len);
    put_header(b, 0x40, 0x3 | KLUDGE, false);
    put32(b->data + 0x40 + 12, 0x200040);       /* header_addr */
    put32(b->data + 0x40 + 16, 0x200000);       /* load_addr */
    put32(b->data + 0x40 + 20, 0x200800);       /* load_end_addr */
    put32(b->data + 0x40 + 24, 0x201000);       /* bss_end_addr */
    put32(b->data + 0x40 + 28, 0x200100);       /* entry_addr */
    g_assert_true(prepare(b, NULL, NULL, &img, &err));
    g_assert_no_error(err);
    g_assert_cmphex(img.entry, ==, 0x200100);
    g_assert_cmphex(blob(&img, 0)->addr, ==, 0x200000);
    g_assert_cmpuint(g_bytes_get_size(blob(&img, 0)->data), ==, 0x800);
    g_assert_cmpuint(blob(&img, 0)->zero_len, ==, 0x800);
    multiboot_image_clear(&img);

    /* header_addr below load_addr cannot be. */
    put32(b->data + 0x40 + 12, 0x100000);
    g_assert_false(prepare(b, NULL, NULL, &img, &err));
    g_assert_nonnull(strstr(err->message, "inconsistent Multiboot load addresses"));
    g_clear_error(&err);

    /* Load range past the end of the file. */
    put32(b->data + 0x40 + 12, 0x200040);
    put32(b->data + 0x40 + 20, 0x210000);
    put32(b->data + 0x40 + 24, 0);
    g_assert_false(prepare(b, NULL, NULL, &img, &err));
    g_assert_nonnull(strstr(err->message, "past the end of the file"));
}

static void test_errors(void)
{
    g_autoptr(GError) err = NULL;
    MultibootImage img;
    g_autoptr(GByteArray) junk = g_byte_array_new();
    g_autoptr(GByteArray) elf64 = make_elf(0x100000, 0x100, ELFCLASS64);
    g_autoptr(GByteArray) high = make_elf(0x7ff0000, 0x100000, ELFCLASS32);
    g_autoptr(GByteArray) flags = make_elf(0x100000, 0x100, ELFCLASS32);
    g_autoptr(GByteArray) raw = g_byte_array_new();

    g_byte_array_append(junk, (const uint8_t *)"not a kernel\n", 13);
    g_assert_false(prepare(junk, NULL, NULL, &img, &err));
    g_assert_nonnull(strstr(err->message,
                            ": not a Multiboot kernel (no header in the first 8 KiB)"));
    g_assert_true(g_str_has_prefix(err->message, "-kernel "));
    g_assert_null(strchr(err->message, '\n'));
    g_clear_error(&err);

    g_assert_false(prepare(elf64, NULL, NULL, &img, &err));
    g_assert_nonnull(strstr(err->message, "64-bit ELF"));
    g_clear_error(&err);

    g_assert_false(prepare(high, NULL, NULL, &img, &err));
    g_assert_nonnull(strstr(err->message, "outside the 128 MiB of RAM"));
    g_clear_error(&err);

    put_header(flags, 0x1000, 0x3 | (1u << 5), false);
    g_assert_false(prepare(flags, NULL, NULL, &img, &err));
    g_assert_nonnull(strstr(err->message, "unsupported features"));
    g_clear_error(&err);

    /* A header but neither ELF nor load addresses. */
    g_byte_array_set_size(raw, 64);
    memset(raw->data, 0, raw->len);
    put_header(raw, 0, 0, false);
    g_assert_false(prepare(raw, NULL, NULL, &img, &err));
    g_assert_nonnull(strstr(err->message, "no load addresses"));
    g_clear_error(&err);

    {
        MultibootParams p = { .kernel = "/nonexistent/kernel", .below_4g = 128 * MiB };

        g_assert_false(multiboot_prepare(&p, &img, &err));
        g_assert_cmpstr(err->message, ==,
                        "-kernel /nonexistent/kernel: No such file or directory");
    }
}

/* multiboot_write puts the bytes and the zero fill into guest RAM. */
static void test_write(void)
{
    g_autoptr(GByteArray) b = make_elf(0x1000, 0x10, ELFCLASS32);
    g_autoptr(GError) err = NULL;
    MemoryRegion root, ram;
    AddressSpace as;
    MultibootImage img;
    uint8_t *host;
    MultibootParams p = { .below_4g = 0x10000 };
    g_autofree char *path = write_tmp(b);

    memory_region_init(&root, "root", UINT64_MAX);
    g_assert_true(memory_region_init_ram(&ram, "ram", 0x10000, &err));
    memory_region_add_subregion(&root, 0, &ram);
    address_space_init(&as, &root, "test");
    host = memory_region_get_ram_ptr(&ram);
    memset(host, 0xee, 0x10000);

    p.kernel = path;
    g_assert_true(multiboot_prepare(&p, &img, &err));
    g_assert_true(multiboot_write(&as, &img, &err));
    g_assert_no_error(err);
    g_assert_cmpmem(host + 0x1000, 0x10, b->data + 0x1000, 0x10);
    g_assert_cmphex(host[0x1010], ==, 0x00);   /* bss */
    g_assert_cmphex(host[0x101f], ==, 0x00);
    g_assert_cmphex(host[0x1020], ==, 0xee);
    g_assert_cmphex(get32(host + img.info_addr + 4), ==, 639);
    multiboot_image_clear(&img);

    /* A blob that is not backed by RAM is reported. */
    p.below_4g = 0x100000;
    g_assert_true(multiboot_prepare(&p, &img, &err));
    g_array_index(img.blobs, BootBlob, 0).addr = 0x20000;
    g_assert_false(multiboot_write(&as, &img, &err));
    g_assert_nonnull(strstr(err->message, "is not RAM"));
    multiboot_image_clear(&img);

    g_unlink(path);
    address_space_destroy(&as);
    memory_region_del_subregion(&root, &ram);
    memory_region_destroy(&ram);
    memory_region_destroy(&root);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/multiboot/find-header", test_find_header);
    g_test_add_func("/multiboot/elf", test_elf);
    g_test_add_func("/multiboot/modules", test_modules);
    g_test_add_func("/multiboot/kludge", test_kludge);
    g_test_add_func("/multiboot/errors", test_errors);
    g_test_add_func("/multiboot/write", test_write);
    return g_test_run();
}
