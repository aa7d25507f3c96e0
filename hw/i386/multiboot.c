/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Multiboot v1 loader (the GNU Multiboot Specification 0.6.96). The whole
 * image -- kernel segments, modules, the info block with its memory map and
 * strings -- is prepared in host memory first so that every error is found
 * before the guest is touched and a reset can replay the same bytes.
 *
 * Placement: the kernel goes where its headers say; modules follow it on
 * page boundaries, then the info block. QEMU passes the kernel path as the
 * first word of the command line (as GRUB does) and so do we.
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "hw/i386/multiboot.h"
#include "util/error.h"
#include "util/log.h"

/* Header flags (low 16 bits: required features). */
#define MB_FLAG_PAGE_ALIGN   (1u << 0)
#define MB_FLAG_MEMORY_INFO  (1u << 1)
#define MB_FLAG_VIDEO_MODE   (1u << 2)
#define MB_FLAG_AOUT_KLUDGE  (1u << 16)
#define MB_FLAGS_KNOWN       (MB_FLAG_PAGE_ALIGN | MB_FLAG_MEMORY_INFO | MB_FLAG_VIDEO_MODE)

/* Info block flags. */
#define MBI_MEMORY           (1u << 0)
#define MBI_CMDLINE          (1u << 2)
#define MBI_MODS             (1u << 3)
#define MBI_MMAP             (1u << 6)
#define MBI_LOADER_NAME      (1u << 9)

/* Info block field offsets. */
enum {
    MBI_OFF_FLAGS = 0,
    MBI_OFF_MEM_LOWER = 4,
    MBI_OFF_MEM_UPPER = 8,
    MBI_OFF_CMDLINE = 16,
    MBI_OFF_MODS_COUNT = 20,
    MBI_OFF_MODS_ADDR = 24,
    MBI_OFF_MMAP_LENGTH = 44,
    MBI_OFF_MMAP_ADDR = 48,
    MBI_OFF_LOADER_NAME = 64,
    MBI_SIZE = 88,            /* up to and including the VBE fields */
};

#define MB_MMAP_ENTRY_SIZE   24    /* size field + 20 bytes */
#define MB_MODULE_SIZE       16
#define MB_MEM_LOWER_KIB     639   /* 0x9fc00: the EBDA sits above */
#define MB_E820_RAM          1
#define MB_E820_RESERVED     2
#define MB_PAGE              4096u
#define MB_ONE_MIB           0x100000u
#define MB_FOUR_GIB          0x100000000ull

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = v;
    p[1] = v >> 8;
    p[2] = v >> 16;
    p[3] = v >> 24;
}

static void put64(uint8_t *p, uint64_t v)
{
    put32(p, (uint32_t)v);
    put32(p + 4, (uint32_t)(v >> 32));
}

static uint32_t get32(const uint8_t *p)
{
    return p[0] | (p[1] << 8) | (p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* Whole file; the error names the option and file once, with the OS reason. */
static bool read_file(const char *opt, const char *path, char **buf, gsize *len,
                      GError **errp)
{
    g_autoptr(GError) err = NULL;
    FILE *f = fopen(path, "rb");

    if (!f) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_IO, "%s %s: %s", opt, path, g_strerror(errno));
        return false;
    }
    fclose(f);
    if (!g_file_get_contents(path, buf, len, &err)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_IO, "%s %s: %s", opt, path, err->message);
        return false;
    }
    return true;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
    return (v + a - 1) & ~(a - 1);
}

long multiboot_find_header(const uint8_t *buf, size_t len)
{
    size_t end = MIN(len, (size_t)MULTIBOOT_SEARCH_LEN);

    for (size_t off = 0; off + 12 <= end; off += 4) {
        uint32_t magic = get32(buf + off);
        if (magic == MULTIBOOT_HEADER_MAGIC &&
            (uint32_t)(magic + get32(buf + off + 4) + get32(buf + off + 8)) == 0) {
            return (long)off;
        }
    }
    return -1;
}

static void image_add(MultibootImage *img, uint64_t addr, const void *data, size_t len,
                      uint64_t zero_len)
{
    boot_blobs_add(img->blobs, addr, data, len, zero_len);
}

static uint64_t image_end(const MultibootImage *img)
{
    return boot_blobs_end(img->blobs);
}

static bool range_check(const char *file, uint64_t addr, uint64_t size,
                        const MultibootParams *p, GError **errp)
{
    if (addr + size < addr || addr + size > p->below_4g) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "-kernel %s: segment 0x%" G_GINT64_MODIFIER "x-0x%" G_GINT64_MODIFIER
                    "x is outside the %" G_GUINT64_FORMAT " MiB of RAM below 4 GiB",
                    file, addr, addr + size, p->below_4g >> 20);
        return false;
    }
    return true;
}

/* ELF32 executables: PT_LOAD segments at their physical addresses. */
static bool load_elf(const MultibootParams *p, const uint8_t *buf, size_t len,
                     MultibootImage *img, GError **errp)
{
    const Elf32_Ehdr *eh = (const Elf32_Ehdr *)buf;
    uint32_t entry;
    bool entry_mapped = false;

    if (len < sizeof(Elf64_Ehdr) || buf[EI_CLASS] == ELFCLASS64) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_UNSUPPORTED,
                    "-kernel %s: 64-bit ELF Multiboot kernels are not supported "
                    "(link it as ELF32)", p->kernel);
        return false;
    }
    if (len < sizeof(*eh) || buf[EI_CLASS] != ELFCLASS32 || buf[EI_DATA] != ELFDATA2LSB ||
        eh->e_machine != EM_386 || eh->e_type != ET_EXEC) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "-kernel %s: not a little-endian i386 ELF executable", p->kernel);
        return false;
    }
    if (eh->e_phentsize != sizeof(Elf32_Phdr) || eh->e_phnum == 0 ||
        eh->e_phoff > len || (uint64_t)eh->e_phnum * sizeof(Elf32_Phdr) > len - eh->e_phoff) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "-kernel %s: bad ELF program header table", p->kernel);
        return false;
    }
    entry = eh->e_entry;
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        const Elf32_Phdr *ph = (const Elf32_Phdr *)(buf + eh->e_phoff) + i;

        if (ph->p_type != PT_LOAD || ph->p_memsz == 0) {
            continue;
        }
        if (ph->p_filesz > ph->p_memsz || ph->p_offset > len ||
            ph->p_filesz > len - ph->p_offset) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                        "-kernel %s: ELF segment %u lies outside the file", p->kernel, i);
            return false;
        }
        if (!range_check(p->kernel, ph->p_paddr, ph->p_memsz, p, errp)) {
            return false;
        }
        image_add(img, ph->p_paddr, buf + ph->p_offset, ph->p_filesz,
                  ph->p_memsz - ph->p_filesz);
        /* Paging is off at entry: a virtual entry point must be translated. */
        if (!entry_mapped && eh->e_entry >= ph->p_vaddr &&
            eh->e_entry - ph->p_vaddr < ph->p_memsz) {
            entry = eh->e_entry - ph->p_vaddr + ph->p_paddr;
            entry_mapped = true;
        }
    }
    if (img->blobs->len == 0) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "-kernel %s: ELF file has no loadable segment", p->kernel);
        return false;
    }
    img->entry = entry;
    return true;
}

/* Flags bit 16: the header gives the file's load range and entry point. */
static bool load_kludge(const MultibootParams *p, const uint8_t *buf, size_t len,
                        long hoff, MultibootImage *img, GError **errp)
{
    const uint8_t *h = buf + hoff;
    uint32_t header_addr, load_addr, load_end, bss_end;
    uint64_t file_off, size, bss = 0;

    if ((size_t)hoff + 32 > len) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "-kernel %s: Multiboot header is truncated", p->kernel);
        return false;
    }
    header_addr = get32(h + 12);
    load_addr = get32(h + 16);
    load_end = get32(h + 20);
    bss_end = get32(h + 24);
    img->entry = get32(h + 28);
    if (header_addr < load_addr || header_addr - load_addr > (uint64_t)hoff ||
        (load_end && load_end < load_addr) || (bss_end && load_end && bss_end < load_end)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "-kernel %s: inconsistent Multiboot load addresses", p->kernel);
        return false;
    }
    file_off = hoff - (header_addr - load_addr);
    size = load_end ? load_end - load_addr : len - file_off;
    if (file_off + size > len) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "-kernel %s: Multiboot load range goes past the end of the file",
                    p->kernel);
        return false;
    }
    if (bss_end && bss_end > load_addr + size) {
        bss = bss_end - (load_addr + size);
    }
    if (!range_check(p->kernel, load_addr, size + bss, p, errp)) {
        return false;
    }
    image_add(img, load_addr, buf + file_off, size, bss);
    return true;
}

/* -initrd "a args,b" with ",," as a literal comma. */
static GPtrArray *split_modules(const char *spec)
{
    GPtrArray *mods = g_ptr_array_new_with_free_func(g_free);
    GString *cur = g_string_new(NULL);

    for (const char *s = spec; ; s++) {
        if (*s == ',' && s[1] == ',') {
            g_string_append_c(cur, ',');
            s++;
        } else if (*s == ',' || *s == '\0') {
            if (cur->len) {
                g_ptr_array_add(mods, g_string_free(g_steal_pointer(&cur), FALSE));
            }
            if (*s == '\0') {
                break;
            }
            cur = g_string_new(NULL);
        } else {
            g_string_append_c(cur, *s);
        }
    }
    if (cur) {
        g_string_free(cur, TRUE);
    }
    return mods;
}

static void mmap_add(GByteArray *mm, uint64_t addr, uint64_t len, uint32_t type)
{
    uint8_t e[MB_MMAP_ENTRY_SIZE];

    put32(e, MB_MMAP_ENTRY_SIZE - 4);
    put64(e + 4, addr);
    put64(e + 12, len);
    put32(e + 20, type);
    g_byte_array_append(mm, e, sizeof(e));
}

/* Appends a NUL-terminated string to the string area, returns its address. */
static uint32_t strings_add(GByteArray *strs, uint32_t base, const char *s)
{
    uint32_t addr = base + strs->len;

    g_byte_array_append(strs, (const uint8_t *)s, strlen(s) + 1);
    return addr;
}

static bool load_modules(const MultibootParams *p, uint64_t *top, GByteArray *modlist,
                         GPtrArray *names, MultibootImage *img, GError **errp)
{
    g_autoptr(GPtrArray) mods = split_modules(p->modules);

    for (guint i = 0; i < mods->len; i++) {
        const char *spec = mods->pdata[i];
        g_autofree char *path = g_strndup(spec, strcspn(spec, " "));
        g_autofree char *data = NULL;
        uint8_t m[MB_MODULE_SIZE] = { 0 };
        gsize len;
        uint64_t start = align_up(*top, MB_PAGE);

        if (!read_file("-initrd", path, &data, &len, errp)) {
            return false;
        }
        if (start + len > p->below_4g) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                        "-initrd %s: module does not fit in RAM below 4 GiB", path);
            return false;
        }
        image_add(img, start, data, len, 0);
        put32(m, (uint32_t)start);
        put32(m + 4, (uint32_t)(start + len));
        g_byte_array_append(modlist, m, sizeof(m));
        g_ptr_array_add(names, g_strdup(spec));
        *top = start + len;
    }
    return true;
}

/* The info block, its memory map, module list and strings, built at base. */
static bool build_info(const MultibootParams *p, uint64_t base, GByteArray *modlist,
                       GPtrArray *names, MultibootImage *img, GError **errp)
{
    g_autoptr(GByteArray) mm = g_byte_array_new();
    g_autoptr(GByteArray) strs = g_byte_array_new();
    g_autoptr(GByteArray) blk = g_byte_array_new();
    g_autofree char *cmdline = NULL;
    uint8_t info[MBI_SIZE] = { 0 };
    uint32_t flags = MBI_MEMORY | MBI_CMDLINE | MBI_MMAP | MBI_LOADER_NAME;
    uint32_t mmap_addr, mods_addr, str_base;

    if (p->e820) {
        for (guint i = 0; i < p->e820->len; i++) {
            const E820Entry *e = &g_array_index(p->e820, E820Entry, i);
            mmap_add(mm, e->addr, e->size, e->type);
        }
    } else {
        mmap_add(mm, 0, MB_MEM_LOWER_KIB * 1024u, MB_E820_RAM);
        mmap_add(mm, MB_MEM_LOWER_KIB * 1024u, 0xa0000 - MB_MEM_LOWER_KIB * 1024u,
                 MB_E820_RESERVED);
        mmap_add(mm, 0xf0000, 0x10000, MB_E820_RESERVED);
        if (p->below_4g > MB_ONE_MIB) {
            mmap_add(mm, MB_ONE_MIB, p->below_4g - MB_ONE_MIB, MB_E820_RAM);
        }
        if (p->above_4g) {
            mmap_add(mm, MB_FOUR_GIB, p->above_4g, MB_E820_RAM);
        }
    }

    mmap_addr = base + MBI_SIZE;
    mods_addr = mmap_addr + mm->len;
    str_base = mods_addr + modlist->len;

    cmdline = p->cmdline && *p->cmdline ? g_strdup_printf("%s %s", p->kernel, p->cmdline)
                                        : g_strdup(p->kernel);
    put32(info + MBI_OFF_CMDLINE, strings_add(strs, str_base, cmdline));
    put32(info + MBI_OFF_LOADER_NAME, strings_add(strs, str_base, "tern"));
    for (guint i = 0; i < names->len; i++) {
        put32(modlist->data + i * MB_MODULE_SIZE + 8,
              strings_add(strs, str_base, names->pdata[i]));
    }
    if (names->len) {
        flags |= MBI_MODS;
        put32(info + MBI_OFF_MODS_COUNT, names->len);
        put32(info + MBI_OFF_MODS_ADDR, mods_addr);
    }
    put32(info + MBI_OFF_FLAGS, flags);
    put32(info + MBI_OFF_MEM_LOWER, MB_MEM_LOWER_KIB);
    put32(info + MBI_OFF_MEM_UPPER,
          p->below_4g > MB_ONE_MIB ? (uint32_t)((p->below_4g - MB_ONE_MIB) / 1024) : 0);
    put32(info + MBI_OFF_MMAP_LENGTH, mm->len);
    put32(info + MBI_OFF_MMAP_ADDR, mmap_addr);

    g_byte_array_append(blk, info, sizeof(info));
    g_byte_array_append(blk, mm->data, mm->len);
    g_byte_array_append(blk, modlist->data, modlist->len);
    g_byte_array_append(blk, strs->data, strs->len);
    if (base + blk->len > p->below_4g) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "-kernel %s: kernel and modules do not fit in RAM below 4 GiB",
                    p->kernel);
        return false;
    }
    image_add(img, base, blk->data, blk->len, 0);
    img->info_addr = (uint32_t)base;
    return true;
}

bool multiboot_prepare(const MultibootParams *p, MultibootImage *img, GError **errp)
{
    g_autofree uint8_t *buf = NULL;
    g_autoptr(GByteArray) modlist = g_byte_array_new();
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    gsize len;
    long hoff;
    uint32_t hflags;
    uint64_t top;

    memset(img, 0, sizeof(*img));
    img->blobs = boot_blobs_new();
    if (!read_file("-kernel", p->kernel, (char **)&buf, &len, errp)) {
        goto fail;
    }
    hoff = multiboot_find_header(buf, len);
    if (hoff < 0) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "-kernel %s: not a Multiboot kernel (no header in the first 8 KiB)",
                    p->kernel);
        goto fail;
    }
    hflags = get32(buf + hoff + 4);
    if (hflags & 0xffff & ~MB_FLAGS_KNOWN) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_UNSUPPORTED,
                    "-kernel %s: Multiboot header asks for unsupported features "
                    "(flags 0x%x)", p->kernel, hflags);
        goto fail;
    }
    if (hflags & MB_FLAG_VIDEO_MODE) {
        log_mask(LOG_UNIMP, "multiboot: video mode request ignored (no framebuffer)\n");
    }
    if (hflags & MB_FLAG_AOUT_KLUDGE) {
        if (!load_kludge(p, buf, len, hoff, img, errp)) {
            goto fail;
        }
    } else if (len >= SELFMAG && !memcmp(buf, ELFMAG, SELFMAG)) {
        if (!load_elf(p, buf, len, img, errp)) {
            goto fail;
        }
    } else {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "-kernel %s: Multiboot header has no load addresses and the file "
                    "is not ELF", p->kernel);
        goto fail;
    }

    top = image_end(img);
    if (p->modules && *p->modules &&
        !load_modules(p, &top, modlist, names, img, errp)) {
        goto fail;
    }
    if (!build_info(p, align_up(top, MB_PAGE), modlist, names, img, errp)) {
        goto fail;
    }
    return true;

fail:
    multiboot_image_clear(img);
    return false;
}

bool multiboot_write(AddressSpace *as, const MultibootImage *img, GError **errp)
{
    return boot_blobs_write(as, img->blobs, errp);
}

void multiboot_image_clear(MultibootImage *img)
{
    if (img->blobs) {
        g_array_free(img->blobs, TRUE);
    }
    memset(img, 0, sizeof(*img));
}
