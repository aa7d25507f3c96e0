/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Linux bzImage direct boot. Everything is prepared in host memory as boot
 * blobs, so errors show before the guest is touched and a reset replays
 * the same bytes.
 *
 * Where the kernel goes: a relocatable kernel (protocol 2.10+) is loaded
 * at its pref_address, so the decompressor runs in place; any other at
 * 1 MiB. Either way the kernel claims init_size bytes from its run-time
 * start (pref_address from protocol 2.10 on), and the initrd goes as high
 * as initrd_addr_max and the RAM below 4 GiB allow, above that claim.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "hw/i386/linux-boot.h"
#include "util/error.h"
#include "util/log.h"

#define ZERO_PAGE_SIZE      4096
#define PAGE_SIZE           4096u
#define ONE_MIB             0x100000u
#define HEAP_END            0xfe00          /* heap_end_ptr: as every loader sets it */
#define VID_MODE_NORMAL     0xffff
#define LOADER_UNDEFINED    0xff            /* type_of_loader: "not assigned" */
#define OLD_INITRD_MAX      0x37ffffffu     /* before protocol 2.03 */

static uint16_t get16(const uint8_t *p)
{
    return p[0] | (p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
    return p[0] | (p[1] << 8) | (p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint64_t get64(const uint8_t *p)
{
    return get32(p) | ((uint64_t)get32(p + 4) << 32);
}

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

static void put64(uint8_t *p, uint64_t v)
{
    put32(p, (uint32_t)v);
    put32(p + 4, (uint32_t)(v >> 32));
}

bool linux_boot_is_bzimage(const uint8_t *buf, size_t len)
{
    return len >= LINUX_HDR_MAGIC + 4 && get32(buf + LINUX_HDR_MAGIC) == LINUX_HDR_MAGIC_VALUE;
}

/* Null, null, then __BOOT_CS and __BOOT_DS: flat 4 GiB segments. */
static void add_gdt(LinuxBootImage *img)
{
    uint8_t gdt[32] = { 0 };

    put64(gdt + LINUX_BOOT_CS, img->long_mode ? 0x00af9b000000ffffull   /* 64-bit code */
                                              : 0x00cf9b000000ffffull); /* 32-bit code */
    put64(gdt + LINUX_BOOT_DS, 0x00cf93000000ffffull);
    boot_blobs_add(img->blobs, LINUX_BOOT_GDT_ADDR, gdt, sizeof(gdt), 0);
    img->gdt_base = LINUX_BOOT_GDT_ADDR;
    img->gdt_limit = sizeof(gdt) - 1;
}

/* PML4 -> PDPT -> four page directories of 2 MiB pages: 0-4 GiB identity. */
static void add_page_tables(LinuxBootImage *img)
{
    const uint32_t pml4 = LINUX_BOOT_PML4_ADDR, pdpt = pml4 + PAGE_SIZE;
    const uint32_t pd = pdpt + PAGE_SIZE;
    g_autofree uint8_t *pt = g_malloc0(6 * PAGE_SIZE);

    put64(pt, pdpt | 0x3);                          /* present, writable */
    for (unsigned i = 0; i < 4; i++) {
        put64(pt + PAGE_SIZE + i * 8, (pd + i * PAGE_SIZE) | 0x3);
        for (unsigned j = 0; j < 512; j++) {
            uint64_t addr = ((uint64_t)i * 512 + j) << 21;
            put64(pt + 2 * PAGE_SIZE + i * PAGE_SIZE + j * 8, addr | 0x83);   /* PS */
        }
    }
    boot_blobs_add(img->blobs, pml4, pt, 6 * PAGE_SIZE, 0);
    img->cr3 = pml4;
}

static bool read_initrd(const char *path, char **data, gsize *len, GError **errp)
{
    g_autoptr(GError) err = NULL;

    if (!g_file_get_contents(path, data, len, &err)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_IO, "-initrd %s: %s", path,
                    err->code == G_FILE_ERROR_NOENT ? g_strerror(ENOENT) : err->message);
        return false;
    }
    return true;
}

bool linux_boot_prepare(const LinuxBootParams *p, const uint8_t *buf, size_t len,
                        LinuxBootImage *img, GError **errp)
{
    g_autofree uint8_t *zp = g_malloc0(ZERO_PAGE_SIZE);
    g_autofree char *initrd = NULL;
    const char *cmdline = p->cmdline ? p->cmdline : "";
    gsize initrd_len = 0;
    uint16_t protocol;
    unsigned setup_sects;
    size_t setup_size, hdr_end, ksize;
    uint32_t cmdline_max, initrd_max, init_size;
    uint64_t load_addr, run_addr, kernel_end;
    bool relocatable;

    memset(img, 0, sizeof(*img));
    img->blobs = boot_blobs_new();
    if (!linux_boot_is_bzimage(buf, len) || len < LINUX_HDR_INIT_SIZE + 4) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "-kernel %s: truncated Linux setup header", p->kernel);
        goto fail;
    }
    protocol = get16(buf + LINUX_HDR_VERSION);
    img->protocol = protocol;
    if (protocol < LINUX_MIN_PROTOCOL) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_UNSUPPORTED,
                    "-kernel %s: Linux boot protocol %u.%02u is too old (2.06 or later needed)",
                    p->kernel, protocol >> 8, protocol & 0xff);
        goto fail;
    }
    if (!(buf[LINUX_HDR_LOADFLAGS] & LINUX_LOADED_HIGH)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_UNSUPPORTED,
                    "-kernel %s: zImage kernels (not loaded high) are not supported", p->kernel);
        goto fail;
    }
    setup_sects = buf[LINUX_HDR_SETUP_SECTS] ? buf[LINUX_HDR_SETUP_SECTS] : 4;
    setup_size = (setup_sects + 1) * 512;
    if (setup_size >= len) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "-kernel %s: setup code (%zu bytes) covers the whole file", p->kernel,
                    setup_size);
        goto fail;
    }
    ksize = len - setup_size;
    img->long_mode = protocol >= 0x20c &&
                     (get16(buf + LINUX_HDR_XLOADFLAGS) & LINUX_XLF_KERNEL_64);
    relocatable = protocol >= 0x20a && buf[LINUX_HDR_RELOCATABLE];
    run_addr = protocol >= 0x20a ? get64(buf + LINUX_HDR_PREF_ADDRESS) : ONE_MIB;
    load_addr = relocatable ? run_addr : ONE_MIB;
    init_size = protocol >= 0x20a ? get32(buf + LINUX_HDR_INIT_SIZE) : 0;
    if (run_addr < ONE_MIB || load_addr % PAGE_SIZE) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "-kernel %s: bad preferred load address 0x%" G_GINT64_MODIFIER "x",
                    p->kernel, run_addr);
        goto fail;
    }
    kernel_end = MAX(load_addr + ksize, run_addr + MAX((uint64_t)init_size, ksize));
    if (kernel_end > p->below_4g) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "-kernel %s: the kernel needs %" G_GUINT64_FORMAT " MiB of RAM, the "
                    "machine has %" G_GUINT64_FORMAT " MiB below 4 GiB", p->kernel,
                    (kernel_end + ONE_MIB - 1) >> 20, p->below_4g >> 20);
        goto fail;
    }

    cmdline_max = protocol >= 0x206 ? get32(buf + LINUX_HDR_CMDLINE_SIZE) : 255;
    cmdline_max = MIN(cmdline_max, LINUX_BOOT_CMDLINE_MAX - 1);
    if (strlen(cmdline) > cmdline_max) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "-append: the command line has %zu bytes, the kernel accepts at most %u",
                    strlen(cmdline), cmdline_max);
        goto fail;
    }

    if (p->initrd) {
        uint64_t top, avail;

        if (!read_initrd(p->initrd, &initrd, &initrd_len, errp)) {
            goto fail;
        }
        initrd_max = protocol >= 0x203 ? get32(buf + LINUX_HDR_INITRD_MAX) : OLD_INITRD_MAX;
        top = MIN((uint64_t)initrd_max + 1, p->below_4g);
        avail = top > kernel_end ? (top - kernel_end) & ~(uint64_t)(PAGE_SIZE - 1) : 0;
        if (initrd_len > avail) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                        "-initrd %s: initrd too large for RAM (%" G_GUINT64_FORMAT
                        " MiB available)", p->initrd, avail >> 20);
            goto fail;
        }
        img->initrd_addr = (uint32_t)((top - initrd_len) & ~(uint64_t)(PAGE_SIZE - 1));
    }

    /* The zero page: the file's setup header, then what the loader fills in. */
    hdr_end = MIN((size_t)LINUX_HDR_MAGIC + buf[LINUX_HDR_JUMP + 1], len);
    hdr_end = MIN(hdr_end, (size_t)0x280);
    memcpy(zp + LINUX_HDR_SETUP_SECTS, buf + LINUX_HDR_SETUP_SECTS,
           hdr_end - LINUX_HDR_SETUP_SECTS);
    put16(zp + LINUX_HDR_VID_MODE, VID_MODE_NORMAL);
    zp[LINUX_HDR_TYPE_OF_LOADER] = LOADER_UNDEFINED;
    zp[LINUX_HDR_LOADFLAGS] |= LINUX_CAN_USE_HEAP;
    put16(zp + LINUX_HDR_HEAP_END_PTR, HEAP_END);
    put32(zp + LINUX_HDR_CODE32_START, (uint32_t)load_addr);
    put32(zp + LINUX_HDR_CMD_LINE_PTR, LINUX_BOOT_CMDLINE_ADDR);
    if (initrd) {
        put32(zp + LINUX_HDR_RAMDISK_IMAGE, img->initrd_addr);
        put32(zp + LINUX_HDR_RAMDISK_SIZE, (uint32_t)initrd_len);
    }
    if (p->e820) {
        guint n = MIN(p->e820->len, (guint)E820_MAX_ENTRIES);
        g_autoptr(GBytes) packed = e820_pack(p->e820);

        zp[LINUX_ZP_E820_ENTRIES] = n;
        memcpy(zp + LINUX_ZP_E820_TABLE, g_bytes_get_data(packed, NULL), n * E820_ENTRY_SIZE);
    }

    img->zero_page = LINUX_BOOT_ZERO_PAGE;
    img->entry = img->long_mode ? load_addr + 0x200 : load_addr;
    img->kernel_addr = (uint32_t)load_addr;
    img->cmdline_addr = LINUX_BOOT_CMDLINE_ADDR;
    img->setup_addr = LINUX_BOOT_SETUP_ADDR;
    boot_blobs_add(img->blobs, load_addr, buf + setup_size, ksize, 0);
    boot_blobs_add(img->blobs, LINUX_BOOT_ZERO_PAGE, zp, ZERO_PAGE_SIZE, 0);
    boot_blobs_add(img->blobs, LINUX_BOOT_CMDLINE_ADDR, cmdline, strlen(cmdline) + 1, 0);
    add_gdt(img);
    if (img->long_mode) {
        add_page_tables(img);
    }
    if (initrd) {
        boot_blobs_add(img->blobs, img->initrd_addr, initrd, initrd_len, 0);
        img->initrd_data = g_bytes_new_take(g_steal_pointer(&initrd), initrd_len);
    }
    img->kernel_data = g_bytes_new(buf + setup_size, ksize);
    {
        /* QEMU hands firmware the setup sectors with the header filled in. */
        uint8_t *setup = g_memdup2(buf, setup_size);

        memcpy(setup + LINUX_HDR_SETUP_SECTS, zp + LINUX_HDR_SETUP_SECTS,
               MIN(hdr_end, setup_size) - LINUX_HDR_SETUP_SECTS);
        img->setup_data = g_bytes_new_take(setup, setup_size);
    }
    img->cmdline_data = g_bytes_new(cmdline, strlen(cmdline) + 1);
    log_mask(LOG_RESET, "linux: protocol %u.%02u, %s entry 0x%" G_GINT64_MODIFIER
             "x, kernel 0x%" G_GINT64_MODIFIER "x-0x%" G_GINT64_MODIFIER "x, initrd 0x%x+%zu\n",
             protocol >> 8, protocol & 0xff, img->long_mode ? "64-bit" : "32-bit", img->entry,
             load_addr, kernel_end, img->initrd_addr, (size_t)initrd_len);
    return true;

fail:
    linux_boot_image_clear(img);
    return false;
}

void linux_boot_image_clear(LinuxBootImage *img)
{
    if (img->blobs) {
        g_array_free(img->blobs, TRUE);
    }
    g_clear_pointer(&img->kernel_data, g_bytes_unref);
    g_clear_pointer(&img->setup_data, g_bytes_unref);
    g_clear_pointer(&img->initrd_data, g_bytes_unref);
    g_clear_pointer(&img->cmdline_data, g_bytes_unref);
    memset(img, 0, sizeof(*img));
}
