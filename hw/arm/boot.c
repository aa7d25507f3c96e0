/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Direct kernel boot for AArch64 boards: recognise and place -kernel,
 * -initrd and -dtb in guest RAM (see include/hw/arm/boot.h for the layout).
 * Everything the loader writes is kept as a blob so that a system reset can
 * restore the images the guest may have overwritten, as real firmware would
 * reload them.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hw/arm/boot.h"
#include "util/error.h"
#include "util/inflate.h"

/* Big enough for any kernel or initrd; stops us mapping a disk image by mistake. */
#define BOOT_FILE_MAX (4ull << 30)

typedef struct BootFile {
    const char *opt;        /* "-kernel", "-initrd", "-dtb" */
    const char *path;
    GMappedFile *mf;
    const uint8_t *data;
    uint64_t len;
} BootFile;

const char *arm_kernel_kind_name(ArmKernelKind kind)
{
    switch (kind) {
    case ARM_KERNEL_NONE:
        return "none";
    case ARM_KERNEL_RAW:
        return "raw";
    case ARM_KERNEL_IMAGE:
        return "arm64 Image";
    case ARM_KERNEL_ELF:
        return "ELF";
    }
    return "?";
}

static void boot_set_error(GError **errp, int code, const BootFile *f, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);

static void boot_set_error(GError **errp, int code, const BootFile *f, const char *fmt, ...)
{
    va_list ap;
    char *msg;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error(errp, TERN_ERROR, code, "%s '%s': %s", f->opt, f->path, msg);
    g_free(msg);
}

static bool boot_file_open(BootFile *f, const char *opt, const char *path, GError **errp)
{
    struct stat st;
    GError *local = NULL;
    int fd;

    f->opt = opt;
    f->path = path;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        boot_set_error(errp, errno == ENOENT ? TERN_ERROR_NOT_FOUND : TERN_ERROR_IO, f,
                       "%s", g_strerror(errno));
        return false;
    }
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        boot_set_error(errp, TERN_ERROR_INVALID, f, "not a regular file");
        close(fd);
        return false;
    }
    if ((uint64_t)st.st_size > BOOT_FILE_MAX) {
        boot_set_error(errp, TERN_ERROR_INVALID, f, "file of %" PRIu64 " bytes is too large",
                       (uint64_t)st.st_size);
        close(fd);
        return false;
    }
    f->mf = g_mapped_file_new_from_fd(fd, FALSE, &local);
    close(fd);
    if (!f->mf) {
        boot_set_error(errp, TERN_ERROR_IO, f, "%s", local->message);
        g_error_free(local);
        return false;
    }
    f->data = (const uint8_t *)g_mapped_file_get_contents(f->mf);
    f->len = g_mapped_file_get_length(f->mf);
    if (!f->len) {
        boot_set_error(errp, TERN_ERROR_INVALID, f, "file is empty");
        return false;
    }
    return true;
}

static void boot_file_close(BootFile *f)
{
    if (f->mf) {
        g_mapped_file_unref(f->mf);
    }
    memset(f, 0, sizeof(*f));
}

static uint64_t le64(const uint8_t *p)
{
    uint64_t v;

    memcpy(&v, p, 8);
    return GUINT64_FROM_LE(v);
}

static uint32_t be32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, 4);
    return GUINT32_FROM_BE(v);
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
    return (v + a - 1) & ~(a - 1);
}

/* [addr, addr + size) lies inside RAM (overflow-safe). */
static bool boot_in_ram(const ArmBootInfo *info, uint64_t addr, uint64_t size)
{
    return addr >= info->ram_base && size <= info->ram_size &&
           addr - info->ram_base <= info->ram_size - size;
}

static bool boot_check_fit(const ArmBootInfo *info, const BootFile *f, const char *what,
                           uint64_t addr, uint64_t size, GError **errp)
{
    if (boot_in_ram(info, addr, size)) {
        return true;
    }
    boot_set_error(errp, TERN_ERROR_INVALID, f,
                   "%s of %" PRIu64 " bytes at 0x%" PRIx64 " does not fit in RAM "
                   "(0x%" PRIx64 "-0x%" PRIx64 ")", what, size, addr,
                   info->ram_base, info->ram_base + info->ram_size - 1);
    return false;
}

static void boot_add_blob(ArmBootInfo *info, uint64_t addr, const uint8_t *data,
                          uint64_t len, uint64_t zero_size)
{
    ArmBootBlob *b = g_new0(ArmBootBlob, 1);

    b->addr = addr;
    b->data = g_bytes_new(data, len);
    b->zero_size = zero_size;
    g_ptr_array_add(info->blobs, b);
}

static void boot_blob_free(gpointer p)
{
    ArmBootBlob *b = p;

    g_bytes_unref(b->data);
    g_free(b);
}

/* ---- kernels ---- */

static bool boot_load_elf(ArmBootInfo *info, const BootFile *f, GError **errp)
{
    Elf64_Ehdr eh;
    uint64_t lo = UINT64_MAX, hi = 0;
    unsigned loads = 0;

    if (f->len < sizeof(eh)) {
        boot_set_error(errp, TERN_ERROR_INVALID, f, "truncated ELF header");
        return false;
    }
    memcpy(&eh, f->data, sizeof(eh));
    if (eh.e_ident[EI_CLASS] != ELFCLASS64) {
        boot_set_error(errp, TERN_ERROR_INVALID, f, "not a 64-bit ELF (class %u)",
                       eh.e_ident[EI_CLASS]);
        return false;
    }
    if (eh.e_ident[EI_DATA] != ELFDATA2LSB) {
        boot_set_error(errp, TERN_ERROR_UNSUPPORTED, f, "big-endian ELF files are not supported");
        return false;
    }
    /* Byte order checked: the host is little-endian like every guest we run. */
    if (eh.e_machine != EM_AARCH64) {
        boot_set_error(errp, TERN_ERROR_INVALID, f, "ELF machine %u is not AArch64 (%u)",
                       eh.e_machine, EM_AARCH64);
        return false;
    }
    if (eh.e_type != ET_EXEC) {
        boot_set_error(errp, TERN_ERROR_UNSUPPORTED, f,
                       "ELF type %u is not a static executable (ET_EXEC)", eh.e_type);
        return false;
    }
    if (eh.e_phentsize != sizeof(Elf64_Phdr) || !eh.e_phnum) {
        boot_set_error(errp, TERN_ERROR_INVALID, f, "ELF has no usable program headers");
        return false;
    }
    if (eh.e_phoff > f->len ||
        (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr) > f->len - eh.e_phoff) {
        boot_set_error(errp, TERN_ERROR_INVALID, f,
                       "truncated ELF: program headers end past the end of the file");
        return false;
    }
    for (unsigned i = 0; i < eh.e_phnum; i++) {
        Elf64_Phdr ph;

        memcpy(&ph, f->data + eh.e_phoff + i * sizeof(ph), sizeof(ph));
        if (ph.p_type != PT_LOAD || !ph.p_memsz) {
            continue;
        }
        if (ph.p_offset > f->len || ph.p_filesz > f->len - ph.p_offset) {
            boot_set_error(errp, TERN_ERROR_INVALID, f,
                           "truncated ELF: segment %u ends past the end of the file", i);
            return false;
        }
        if (ph.p_filesz > ph.p_memsz) {
            boot_set_error(errp, TERN_ERROR_INVALID, f,
                           "bad ELF: segment %u has more file bytes than memory bytes", i);
            return false;
        }
        if (!boot_in_ram(info, ph.p_paddr, ph.p_memsz)) {
            boot_set_error(errp, TERN_ERROR_INVALID, f,
                           "segment %u of %" PRIu64 " bytes at 0x%" PRIx64
                           " does not fit in RAM (0x%" PRIx64 "-0x%" PRIx64 ")",
                           i, (uint64_t)ph.p_memsz, (uint64_t)ph.p_paddr, info->ram_base,
                           info->ram_base + info->ram_size - 1);
            return false;
        }
        boot_add_blob(info, ph.p_paddr, f->data + ph.p_offset, ph.p_filesz,
                      ph.p_memsz - ph.p_filesz);
        lo = MIN(lo, ph.p_paddr);
        hi = MAX(hi, ph.p_paddr + ph.p_memsz);
        loads++;
    }
    if (!loads) {
        boot_set_error(errp, TERN_ERROR_INVALID, f, "ELF has no loadable segment");
        return false;
    }
    if (!boot_in_ram(info, eh.e_entry, 4)) {
        boot_set_error(errp, TERN_ERROR_INVALID, f, "ELF entry point 0x%" PRIx64
                       " is outside RAM", (uint64_t)eh.e_entry);
        return false;
    }
    info->kernel_kind = ARM_KERNEL_ELF;
    info->kernel_start = lo;
    info->kernel_end = hi;
    info->entry = eh.e_entry;
    return true;
}

static bool boot_load_image(ArmBootInfo *info, const BootFile *f, GError **errp)
{
    const uint8_t *h = f->data;
    uint64_t text_offset = le64(h + 0x08);
    uint64_t image_size = le64(h + 0x10);
    uint64_t flags = le64(h + 0x18);
    uint64_t addr, claim;

    if (flags & 1) {
        boot_set_error(errp, TERN_ERROR_UNSUPPORTED, f,
                       "big-endian arm64 kernels are not supported");
        return false;
    }
    if (!image_size) {
        /* booting.rst: before 3.17 the header carried no size and 0x80000 was implied. */
        text_offset = ARM64_IMAGE_DEFAULT_OFFSET;
    }
    if (text_offset & 7) {
        boot_set_error(errp, TERN_ERROR_INVALID, f,
                       "arm64 Image header has a misaligned text_offset 0x%" PRIx64,
                       text_offset);
        return false;
    }
    claim = MAX(image_size, f->len);
    if (text_offset >= info->ram_size) {
        boot_set_error(errp, TERN_ERROR_INVALID, f,
                       "arm64 Image text_offset 0x%" PRIx64 " is beyond the end of RAM",
                       text_offset);
        return false;
    }
    addr = info->ram_base + text_offset;
    if (!boot_check_fit(info, f, "arm64 Image", addr, claim, errp)) {
        return false;
    }
    boot_add_blob(info, addr, f->data, f->len, 0);
    info->kernel_kind = ARM_KERNEL_IMAGE;
    info->kernel_start = addr;
    info->kernel_end = addr + claim;
    info->entry = addr;
    return true;
}

static bool boot_load_raw(ArmBootInfo *info, const BootFile *f, GError **errp)
{
    if (!boot_check_fit(info, f, "raw image", info->ram_base, f->len, errp)) {
        return false;
    }
    boot_add_blob(info, info->ram_base, f->data, f->len, 0);
    info->kernel_kind = ARM_KERNEL_RAW;
    info->kernel_start = info->ram_base;
    info->kernel_end = info->ram_base + f->len;
    info->entry = info->ram_base;
    return true;
}

static bool boot_is_image(const uint8_t *data, uint64_t len)
{
    return len >= ARM64_IMAGE_HEADER_SIZE &&
           !memcmp(data + ARM64_IMAGE_MAGIC_OFFSET, ARM64_IMAGE_MAGIC, 4);
}

/*
 * Debian's vmlinuz (and QEMU's -kernel) is a gzip'd Image: unpack it and
 * load what is inside, which must be an Image (it cannot be larger than RAM).
 */
static bool boot_load_gzip(ArmBootInfo *info, const BootFile *f, GError **errp)
{
    GError *local = NULL;
    GBytes *unpacked = gzip_decompress(f->data, f->len, info->ram_size, &local);
    BootFile view = *f;
    bool ok;

    if (!unpacked) {
        boot_set_error(errp, local->code, f, "%s", local->message);
        g_error_free(local);
        return false;
    }
    view.mf = NULL;
    view.data = g_bytes_get_data(unpacked, NULL);
    view.len = g_bytes_get_size(unpacked);
    if (!boot_is_image(view.data, view.len)) {
        boot_set_error(errp, TERN_ERROR_UNSUPPORTED, f,
                       "the gzip-compressed kernel is not an arm64 Image");
        ok = false;
    } else {
        ok = boot_load_image(info, &view, errp);
    }
    g_bytes_unref(unpacked);
    return ok;
}

static bool boot_load_kernel(ArmBootInfo *info, const BootFile *f, GError **errp)
{
    static const uint8_t uimage_magic[4] = { 0x27, 0x05, 0x19, 0x56 };

    if (f->len >= SELFMAG && !memcmp(f->data, ELFMAG, SELFMAG)) {
        return boot_load_elf(info, f, errp);
    }
    if (boot_is_image(f->data, f->len)) {
        return boot_load_image(info, f, errp);
    }
    if (gzip_has_magic(f->data, f->len)) {
        return boot_load_gzip(info, f, errp);
    }
    /* A format QEMU unpacks but we do not: refuse rather than jump into it. */
    if (f->len >= 4 && !memcmp(f->data, uimage_magic, 4)) {
        boot_set_error(errp, TERN_ERROR_UNSUPPORTED, f, "U-Boot uImage kernels are not supported");
        return false;
    }
    return boot_load_raw(info, f, errp);
}

/* ---- initrd and dtb ---- */

static bool boot_load_initrd(ArmBootInfo *info, const BootFile *f, GError **errp)
{
    uint64_t addr = align_up(info->kernel_end, ARM_BOOT_ALIGN);

    if (addr < info->kernel_end) {
        boot_set_error(errp, TERN_ERROR_INVALID, f, "no room after the kernel");
        return false;
    }
    if (!boot_check_fit(info, f, "initrd", addr, f->len, errp)) {
        return false;
    }
    boot_add_blob(info, addr, f->data, f->len, 0);
    info->initrd_start = addr;
    info->initrd_size = f->len;
    return true;
}

static bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return alen && blen && a < b + blen && b < a + alen;
}

/* Where a DTB of size bytes goes: see boot.h. */
static uint64_t boot_dtb_addr(const ArmBootInfo *info, uint64_t size)
{
    uint64_t addr = info->ram_base, after;

    if (ranges_overlap(addr, size, info->kernel_start, info->kernel_end - info->kernel_start) ||
        ranges_overlap(addr, size, info->initrd_start, info->initrd_size)) {
        after = MAX(info->kernel_end, info->initrd_start + info->initrd_size);
        addr = align_up(after, ARM_BOOT_ALIGN);
    }
    return addr;
}

static bool boot_load_dtb(ArmBootInfo *info, const BootFile *f, GError **errp)
{
    uint64_t size, addr;

    if (f->len < 40 || be32(f->data) != 0xd00dfeed) {
        boot_set_error(errp, TERN_ERROR_INVALID, f, "not a flattened device tree (bad magic)");
        return false;
    }
    size = be32(f->data + 4);
    if (size < 40 || size > f->len) {
        boot_set_error(errp, TERN_ERROR_INVALID, f,
                       "truncated device tree: header says %" PRIu64 " bytes, file has %" PRIu64,
                       size, f->len);
        return false;
    }
    if (size > ARM_BOOT_DTB_MAX) {
        boot_set_error(errp, TERN_ERROR_INVALID, f,
                       "device tree of %" PRIu64 " bytes is larger than the 2 MiB allowed",
                       size);
        return false;
    }
    addr = boot_dtb_addr(info, size);
    if (!boot_check_fit(info, f, "device tree", addr, size, errp)) {
        return false;
    }
    boot_add_blob(info, addr, f->data, size, 0);
    info->dtb_addr = addr;
    info->dtb_size = size;
    return true;
}

/* ---- public ---- */

bool arm_boot_load(ArmBootInfo *info, const ArmBootConfig *cfg, AddressSpace *as,
                   GError **errp)
{
    BootFile f = { 0 };
    bool ok = true;

    arm_boot_info_clear(info);
    info->ram_base = cfg->ram_base;
    info->ram_size = cfg->ram_size;
    info->cmdline = g_strdup(cfg->cmdline);
    info->blobs = g_ptr_array_new_with_free_func(boot_blob_free);

    if (cfg->initrd && !cfg->kernel) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "-initrd '%s' needs a -kernel to go with it", cfg->initrd);
        ok = false;
    }
    if (ok && cfg->kernel) {
        ok = boot_file_open(&f, "-kernel", cfg->kernel, errp) &&
             boot_load_kernel(info, &f, errp);
        boot_file_close(&f);
    }
    if (ok && cfg->initrd) {
        ok = boot_file_open(&f, "-initrd", cfg->initrd, errp) &&
             boot_load_initrd(info, &f, errp);
        boot_file_close(&f);
    }
    if (ok && cfg->dtb) {
        ok = boot_file_open(&f, "-dtb", cfg->dtb, errp) &&
             boot_load_dtb(info, &f, errp);
        boot_file_close(&f);
    }
    if (ok) {
        ok = arm_boot_reload(info, as, errp);
    }
    if (!ok) {
        arm_boot_info_clear(info);
    }
    return ok;
}

bool arm_boot_reload(const ArmBootInfo *info, AddressSpace *as, GError **errp)
{
    static const uint8_t zeros[4096];

    if (!info->blobs) {
        return true;
    }
    for (guint i = 0; i < info->blobs->len; i++) {
        const ArmBootBlob *b = info->blobs->pdata[i];
        gsize len;
        const void *data = g_bytes_get_data(b->data, &len);
        MemTxResult r = address_space_write_rom(as, b->addr, data, len);

        for (uint64_t done = 0; r == MEMTX_OK && done < b->zero_size; done += sizeof(zeros)) {
            r = address_space_write_rom(as, b->addr + len + done, zeros,
                                        MIN(sizeof(zeros), b->zero_size - done));
        }
        if (r != MEMTX_OK) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_IO,
                        "boot loader: guest memory at 0x%" PRIx64 " is not writable RAM",
                        b->addr);
            return false;
        }
    }
    return true;
}

static int boot_dtb_blob_index(const ArmBootInfo *info)
{
    if (!info->blobs || !info->dtb_size) {
        return -1;
    }
    for (guint i = 0; i < info->blobs->len; i++) {
        const ArmBootBlob *b = info->blobs->pdata[i];

        if (b->addr == info->dtb_addr && g_bytes_get_size(b->data) == info->dtb_size) {
            return i;
        }
    }
    return -1;
}

GBytes *arm_boot_get_dtb(const ArmBootInfo *info)
{
    int i = boot_dtb_blob_index(info);

    return i < 0 ? NULL : ((ArmBootBlob *)info->blobs->pdata[i])->data;
}

bool arm_boot_set_dtb(ArmBootInfo *info, GBytes *fdt, AddressSpace *as, GError **errp)
{
    gsize size = g_bytes_get_size(fdt);
    uint64_t addr;
    int old = boot_dtb_blob_index(info);
    ArmBootBlob *b;
    MemTxResult r;

    g_assert(info->blobs);
    if (size > ARM_BOOT_DTB_MAX) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "device tree of %zu bytes is larger than the 2 MiB allowed", size);
        return false;
    }
    addr = boot_dtb_addr(info, size);
    if (!boot_in_ram(info, addr, size)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "device tree of %zu bytes at 0x%" PRIx64 " does not fit in RAM "
                    "(0x%" PRIx64 "-0x%" PRIx64 ")", size, addr,
                    info->ram_base, info->ram_base + info->ram_size - 1);
        return false;
    }
    if (old >= 0) {
        g_ptr_array_remove_index(info->blobs, old);
    }
    b = g_new0(ArmBootBlob, 1);
    b->addr = addr;
    b->data = g_bytes_ref(fdt);
    g_ptr_array_add(info->blobs, b);
    info->dtb_addr = addr;
    info->dtb_size = size;
    r = address_space_write_rom(as, addr, g_bytes_get_data(fdt, NULL), size);
    if (r != MEMTX_OK) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_IO,
                    "boot loader: guest memory at 0x%" PRIx64 " is not writable RAM", addr);
        return false;
    }
    return true;
}

void arm_boot_info_clear(ArmBootInfo *info)
{
    if (info->blobs) {
        g_ptr_array_unref(info->blobs);
    }
    g_free(info->cmdline);
    memset(info, 0, sizeof(*info));
}
