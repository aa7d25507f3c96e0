/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The virt board without a CPU: the machine class, the memory map it builds
 * (RAM at 1 GiB, the PL011 at 0x0900_0000 on chardev serial0), the loading
 * of raw binaries, arm64 Images and ELF files made up by the test, the boot
 * info the CPU reset will use, reloading at reset, and one clear error line
 * for each kind of bad input.
 */
#include <elf.h>
#include <libfdt.h>
#include <string.h>
#include <unistd.h>

#include "chardev/char.h"
#include "hw/arm/virt.h"
#include "hw/char/pl011.h"
#include "hw/core/machine.h"
#include "system/memory.h"
#include "util/error.h"

#define RAM 0x40000000ull
#define MiB (1024ull * 1024)

static char *tmpdir;

static char *write_tmp(const char *name, const void *data, gsize len)
{
    char *path = g_build_filename(tmpdir, name, NULL);
    GError *err = NULL;

    g_file_set_contents(path, data, len, &err);
    g_assert_no_error(err);
    return path;
}

static MachineState *new_virt(void)
{
    GError *err = NULL;
    MachineState *ms;

    hw_arm_register_machines();
    hw_arm_register_devices();
    ms = machine_new(machine_class_find("virt"), &err);
    g_assert_no_error(err);
    return ms;
}

static void set_prop(MachineState *ms, const char *name, const char *value)
{
    GError *err = NULL;

    g_assert_true(machine_set_prop(ms, name, value, &err));
    g_assert_no_error(err);
}

static void free_virt(MachineState *ms)
{
    machine_free(ms);
    device_tree_destroy();
    chardev_delete_all();
}

static void build_ok(MachineState *ms)
{
    GError *err = NULL;

    g_assert_true(virt_board_build(ms, &err));
    g_assert_no_error(err);
}

static void assert_mem(uint64_t addr, const void *expect, size_t len)
{
    g_autofree uint8_t *buf = g_malloc(len);

    g_assert_cmpuint(address_space_read(address_space_memory(), addr, buf, len), ==, MEMTX_OK);
    g_assert_cmpmem(buf, len, expect, len);
}

/* Build with ms configured by the caller and expect exactly msg. */
static void build_fails(MachineState *ms, const char *msg)
{
    GError *err = NULL;

    g_assert_false(virt_board_build(ms, &err));
    g_assert_nonnull(err);
    if (g_test_verbose()) {
        g_test_message("error: %s", err->message);
    }
    g_assert_null(strchr(err->message, '\n'));
    if (!g_str_has_prefix(msg, "*")) {
        g_assert_cmpstr(err->message, ==, msg);
    } else {
        g_assert_nonnull(strstr(err->message, msg + 1));
    }
    g_error_free(err);
    /* Nothing half-described is left for the CPU to use. */
    g_assert_cmpuint(virt_boot_info(ms)->entry, ==, 0);
}

/* ---- image makers ---- */

static GByteArray *make_image(uint64_t text_offset, uint64_t image_size, uint64_t flags,
                              size_t payload)
{
    GByteArray *b = g_byte_array_new();
    uint8_t hdr[ARM64_IMAGE_HEADER_SIZE] = { 0 };
    uint64_t v;

    hdr[0] = 0x1f;              /* a "b" instruction, for looks */
    hdr[3] = 0x14;
    v = GUINT64_TO_LE(text_offset);
    memcpy(hdr + 0x08, &v, 8);
    v = GUINT64_TO_LE(image_size);
    memcpy(hdr + 0x10, &v, 8);
    v = GUINT64_TO_LE(flags);
    memcpy(hdr + 0x18, &v, 8);
    memcpy(hdr + ARM64_IMAGE_MAGIC_OFFSET, ARM64_IMAGE_MAGIC, 4);
    g_byte_array_append(b, hdr, sizeof(hdr));
    for (size_t i = 0; i < payload; i++) {
        uint8_t c = i * 7;
        g_byte_array_append(b, &c, 1);
    }
    return b;
}

typedef struct Seg {
    uint64_t paddr;
    const char *data;
    uint64_t filesz, memsz;
} Seg;

static GByteArray *make_elf(uint8_t cls, uint16_t machine, uint64_t entry,
                            const Seg *segs, int n)
{
    GByteArray *b = g_byte_array_new();
    Elf64_Ehdr eh = { 0 };
    uint64_t data_off = 0x200;

    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = cls;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_type = ET_EXEC;
    eh.e_machine = machine;
    eh.e_version = EV_CURRENT;
    eh.e_entry = entry;
    eh.e_phoff = sizeof(eh);
    eh.e_ehsize = sizeof(eh);
    eh.e_phentsize = sizeof(Elf64_Phdr);
    eh.e_phnum = n;
    g_byte_array_append(b, (const uint8_t *)&eh, sizeof(eh));
    for (int i = 0; i < n; i++) {
        Elf64_Phdr ph = {
            .p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = data_off,
            .p_vaddr = segs[i].paddr, .p_paddr = segs[i].paddr,
            .p_filesz = segs[i].filesz, .p_memsz = segs[i].memsz, .p_align = 8,
        };
        g_byte_array_append(b, (const uint8_t *)&ph, sizeof(ph));
        data_off += segs[i].filesz;
    }
    g_byte_array_set_size(b, 0x200);
    for (int i = 0; i < n; i++) {
        g_byte_array_append(b, (const uint8_t *)segs[i].data, segs[i].filesz);
    }
    return b;
}

/* A valid empty tree of totalsize bytes when the file holds it, else just a header. */
static GByteArray *make_dtb(uint32_t totalsize, size_t file_len)
{
    GByteArray *b = g_byte_array_new();
    uint32_t v;

    g_byte_array_set_size(b, MAX(file_len, (size_t)totalsize));
    memset(b->data, 0, b->len);
    if (file_len >= totalsize && totalsize >= 128) {
        g_assert_cmpint(fdt_create_empty_tree(b->data, totalsize), ==, 0);
    }
    v = GUINT32_TO_BE(0xd00dfeed);
    memcpy(b->data, &v, 4);
    v = GUINT32_TO_BE(totalsize);
    memcpy(b->data + 4, &v, 4);
    g_byte_array_set_size(b, file_len);
    return b;
}

static char *write_array(const char *name, GByteArray *b)
{
    char *path = write_tmp(name, b->data, b->len);

    g_byte_array_unref(b);
    return path;
}

/* ---- tests ---- */

static void test_class(void)
{
    const MachineClass *mc;

    hw_arm_register_machines();
    hw_arm_register_machines();         /* idempotent */
    mc = machine_class_find("virt");
    g_assert_nonnull(mc);
    g_assert_true(mc == &virt_machine_class);
    g_assert_cmpstr(mc->desc, ==, "Tern ARM Virtual Machine");
    g_assert_true(mc->targets & TARGET_AARCH64);
    g_assert_false(mc->targets & TARGET_X86_64);
    g_assert_true(mc->is_default);
    g_assert_true(machine_class_default(TARGET_AARCH64) == mc);
    g_assert_cmpuint(mc->default_ram_size, ==, 128 * MiB);
    g_assert_cmpstr(mc->default_cpu_type, ==, "max");

    /* The written-down map matches QEMU's at the places guests rely on. */
    g_assert_cmpuint(virt_memmap[VIRT_FLASH].base, ==, 0);
    g_assert_cmpuint(virt_memmap[VIRT_FLASH].size, ==, 2 * 0x04000000);
    g_assert_cmpuint(virt_memmap[VIRT_GIC_DIST].base, ==, 0x08000000);
    g_assert_cmpuint(virt_memmap[VIRT_GIC_REDIST].base, ==, 0x080a0000);
    g_assert_cmpuint(virt_memmap[VIRT_UART0].base, ==, 0x09000000);
    g_assert_cmpuint(virt_memmap[VIRT_RTC].base, ==, 0x09010000);
    g_assert_cmpuint(virt_memmap[VIRT_FW_CFG].base, ==, 0x09020000);
    g_assert_cmpuint(virt_memmap[VIRT_GPIO].base, ==, 0x09030000);
    g_assert_cmpuint(virt_memmap[VIRT_MMIO].base, ==, 0x0a000000);
    g_assert_cmpuint(virt_memmap[VIRT_MMIO].size, ==, 32 * 0x200);
    g_assert_cmpuint(virt_memmap[VIRT_PCIE_MMIO].base, ==, 0x10000000);
    g_assert_cmpuint(virt_memmap[VIRT_PCIE_ECAM].base, ==, 0x3f000000);
    g_assert_cmpuint(virt_memmap[VIRT_HIGH_PCIE_ECAM].base, ==, 0x4010000000ull);
    g_assert_cmpuint(virt_memmap[VIRT_MEM].base, ==, RAM);
    /* Sorted low map without overlaps, except the GIC inside CPU peripherals. */
    for (int i = VIRT_GIC_REDIST; i < VIRT_MEM; i++) {
        g_assert_cmpuint(virt_memmap[i].base + virt_memmap[i].size, <=,
                         virt_memmap[i + 1].base);
    }
}

static void test_memory_map(void)
{
    MachineState *ms = new_virt();
    GError *err = NULL;
    Chardev *chr = chardev_new("serial0", "ringbuf", NULL, &err);
    uint64_t xlat, plen, v;
    MemoryRegion *mr;
    GByteArray *out;
    const ArmBootInfo *bi;

    g_assert_no_error(err);
    g_assert_cmpuint(ms->ram_size, ==, 128 * MiB);
    build_ok(ms);

    mr = address_space_translate(address_space_memory(), RAM, &xlat, &plen, false);
    g_assert_true(mr == ms->ram);
    g_assert_cmpuint(xlat, ==, 0);
    g_assert_cmpuint(plen, ==, 128 * MiB);
    g_assert_null(address_space_translate(address_space_memory(), RAM + 128 * MiB, &xlat,
                                          &plen, false));
    g_assert_null(address_space_translate(address_space_memory(), RAM - 1, &xlat, &plen,
                                          false));

    /* The UART answers at 0x0900_0000 and talks to serial0. */
    g_assert_cmpuint(address_space_read_val(address_space_memory(),
                                            0x09000000 + PL011_PERIPHID0, &v, 4), ==, MEMTX_OK);
    g_assert_cmpuint(v, ==, 0x11);
    g_assert_cmpuint(address_space_read_val(address_space_memory(),
                                            0x09000000 + PL011_PCELLID3, &v, 4), ==, MEMTX_OK);
    g_assert_cmpuint(v, ==, 0xb1);
    address_space_write_val(address_space_memory(), 0x09000000 + PL011_DR, 'V', 4);
    out = chardev_ringbuf_read(chr, 16);
    g_assert_cmpmem(out->data, out->len, "V", 1);
    g_byte_array_unref(out);
    g_assert_null(address_space_translate(address_space_memory(), 0x09001000, &xlat, &plen,
                                          false));

    /* No -kernel: nothing loaded but the generated device tree. */
    bi = virt_boot_info(ms);
    g_assert_cmpint(bi->kernel_kind, ==, ARM_KERNEL_NONE);
    g_assert_cmpuint(bi->entry, ==, 0);
    g_assert_cmpuint(bi->dtb_addr, ==, RAM);
    g_assert_cmpuint(bi->ram_base, ==, RAM);
    g_assert_cmpuint(bi->ram_size, ==, 128 * MiB);
    free_virt(ms);
}

static void test_no_serial(void)
{
    MachineState *ms = new_virt();
    VirtMachineState *vms = (VirtMachineState *)ms;
    g_autofree char *prop = NULL;
    uint64_t v;

    ms->ram_size = 64 * MiB;
    build_ok(ms);
    g_assert_nonnull(vms->uart0);
    prop = device_get_prop(vms->uart0, "chardev");
    g_assert_cmpstr(prop, ==, "");
    /* Output without a backend is dropped quietly. */
    g_assert_cmpuint(address_space_write_val(address_space_memory(), 0x09000000, 'x', 4), ==,
                     MEMTX_OK);
    g_assert_cmpuint(address_space_read_val(address_space_memory(), 0x09000000 + PL011_FR,
                                            &v, 4), ==, MEMTX_OK);
    g_assert_cmpuint(v & PL011_FR_TXFE, !=, 0);
    g_assert_cmpuint(memory_region_size(ms->ram), ==, 64 * MiB);
    free_virt(ms);
}

static void test_init_refuses(void)
{
    MachineState *ms = new_virt();
    GError *err = NULL;
    uint64_t xlat, plen;

    g_assert_false(machine_run_init(ms, &err));
    g_assert_error(err, TERN_ERROR, TERN_ERROR_UNSUPPORTED);
    g_assert_cmpstr(err->message, ==, "-machine virt: the AArch64 CPU is not supported yet");
    g_clear_error(&err);
    /* ... but only after building the whole board. */
    g_assert_true(address_space_translate(address_space_memory(), RAM, &xlat, &plen,
                                          false) == ms->ram);
    free_virt(ms);
}

static void test_raw(void)
{
    static const uint8_t code[] = { 0x00, 0x00, 0x80, 0xd2, 0xc0, 0x03, 0x5f, 0xd6, 0xaa };
    g_autofree char *path = write_tmp("raw.bin", code, sizeof(code));
    MachineState *ms = new_virt();
    const ArmBootInfo *bi;

    set_prop(ms, "kernel", path);
    build_ok(ms);
    bi = virt_boot_info(ms);
    g_assert_cmpint(bi->kernel_kind, ==, ARM_KERNEL_RAW);
    g_assert_cmpuint(bi->entry, ==, RAM);
    g_assert_cmpuint(bi->kernel_start, ==, RAM);
    g_assert_cmpuint(bi->kernel_end, ==, RAM + sizeof(code));
    g_assert_cmpuint(bi->dtb_addr, ==, RAM + 2 * MiB);     /* the generated tree */
    g_assert_cmpuint(bi->initrd_size, ==, 0);
    assert_mem(RAM, code, sizeof(code));
    free_virt(ms);
}

static void test_image_initrd_dtb(void)
{
    GByteArray *img = make_image(0x80000, 3 * MiB, 0, 4000);
    g_autofree uint8_t *img_copy = g_memdup2(img->data, img->len);
    gsize img_len = img->len;
    g_autofree char *kpath = write_array("Image", img);
    static const char initrd[] = "070701initrd-contents";
    g_autofree char *ipath = write_tmp("initrd", initrd, sizeof(initrd));
    GByteArray *dtb = make_dtb(0x400, 0x480);   /* trailing bytes are not loaded */
    g_autofree uint8_t *dtb_copy = g_memdup2(dtb->data, 0x400);
    g_autofree char *dpath = write_array("virt.dtb", dtb);
    MachineState *ms = new_virt();
    const ArmBootInfo *bi;

    set_prop(ms, "kernel", kpath);
    set_prop(ms, "initrd", ipath);
    set_prop(ms, "dtb", dpath);
    set_prop(ms, "append", "console=ttyAMA0");
    build_ok(ms);
    bi = virt_boot_info(ms);
    g_assert_cmpint(bi->kernel_kind, ==, ARM_KERNEL_IMAGE);
    g_assert_cmpstr(arm_kernel_kind_name(bi->kernel_kind), ==, "arm64 Image");
    g_assert_cmpuint(bi->kernel_start, ==, RAM + 0x80000);
    g_assert_cmpuint(bi->entry, ==, RAM + 0x80000);
    g_assert_cmpuint(bi->kernel_end, ==, RAM + 0x80000 + 3 * MiB);   /* BSS included */
    assert_mem(RAM + 0x80000, img_copy, img_len);
    /* initrd at the next 2 MiB boundary after the kernel's footprint. */
    g_assert_cmpuint(bi->initrd_start, ==, RAM + 4 * MiB);
    g_assert_cmpuint(bi->initrd_size, ==, sizeof(initrd));
    assert_mem(bi->initrd_start, initrd, sizeof(initrd));
    /* The DTB fits below text_offset: it goes to the start of RAM. */
    g_assert_cmpuint(bi->dtb_addr, ==, RAM);
    {
        /* The user's tree, with /chosen patched (virt-fdt.c; test-virt-fdt has more). */
        g_autofree uint8_t *fdt = g_malloc(bi->dtb_size);
        const char *args;

        address_space_read(address_space_memory(), RAM, fdt, bi->dtb_size);
        g_assert_cmpint(fdt_check_header(fdt), ==, 0);
        args = fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), "bootargs", NULL);
        g_assert_cmpstr(args, ==, "console=ttyAMA0");
        g_assert_cmpmem(fdt, 4, dtb_copy, 4);
    }
    g_assert_cmpstr(bi->cmdline, ==, "console=ttyAMA0");
    free_virt(ms);
}

static void test_image_variants(void)
{
    g_autofree char *k0 = write_array("Image0", make_image(0, 0x10000, 0, 100));
    g_autofree char *kold = write_array("Image-old", make_image(0x1234, 0, 0, 100));
    g_autofree char *dpath = write_array("d.dtb", make_dtb(128, 128));
    MachineState *ms = new_virt();
    const ArmBootInfo *bi;

    /* text_offset 0: the kernel owns the start of RAM, the DTB goes after it. */
    set_prop(ms, "kernel", k0);
    set_prop(ms, "dtb", dpath);
    build_ok(ms);
    bi = virt_boot_info(ms);
    g_assert_cmpuint(bi->entry, ==, RAM);
    g_assert_cmpuint(bi->kernel_end, ==, RAM + 0x10000);
    g_assert_cmpuint(bi->dtb_addr, ==, RAM + 2 * MiB);
    free_virt(ms);

    /* No image_size (kernels before 3.17): text_offset is taken as 0x80000. */
    ms = new_virt();
    set_prop(ms, "kernel", kold);
    build_ok(ms);
    bi = virt_boot_info(ms);
    g_assert_cmpuint(bi->entry, ==, RAM + 0x80000);
    free_virt(ms);
}

static void test_elf_and_reset(void)
{
    static const char text[] = "\x20\x00\x80\xd2\x00\x00\x00\x14";   /* mov x0,#1; b . */
    static const char data[] = "DATADATA";
    const Seg segs[] = {
        { RAM + 0x100000, text, 8, 8 },
        { RAM + 0x200000, data, 8, 0x3000 },    /* 0x2ff8 bytes of BSS */
    };
    GByteArray *elf = make_elf(ELFCLASS64, EM_AARCH64, RAM + 0x100000, segs, 2);
    g_autofree char *path = write_array("prog.elf", elf);
    g_autofree char *dpath = write_array("e.dtb", make_dtb(0x100, 0x100));
    static const char initrd[] = "ramdisk";
    g_autofree char *ipath = write_tmp("e.initrd", initrd, sizeof(initrd));
    g_autofree uint8_t *junk = g_malloc(0x3000);
    g_autofree uint8_t *zeros = g_malloc0(0x3000);
    MachineState *ms = new_virt();
    const ArmBootInfo *bi;

    set_prop(ms, "kernel", path);
    set_prop(ms, "dtb", dpath);
    set_prop(ms, "initrd", ipath);
    build_ok(ms);
    bi = virt_boot_info(ms);
    g_assert_cmpint(bi->kernel_kind, ==, ARM_KERNEL_ELF);
    g_assert_cmpuint(bi->entry, ==, RAM + 0x100000);
    g_assert_cmpuint(bi->kernel_start, ==, RAM + 0x100000);
    g_assert_cmpuint(bi->kernel_end, ==, RAM + 0x203000);
    g_assert_cmpuint(bi->initrd_start, ==, RAM + 4 * MiB);
    /* A bare-metal ELF linked above the start of RAM leaves room for the DTB. */
    g_assert_cmpuint(bi->dtb_addr, ==, RAM);
    assert_mem(RAM + 0x100000, text, 8);
    assert_mem(RAM + 0x200000, data, 8);
    assert_mem(RAM + 0x200008, zeros, 0x3000 - 8);

    /* The guest scribbles over its image; a system reset restores it. */
    memset(junk, 0x5a, 0x3000);
    address_space_write(address_space_memory(), RAM + 0x100000, junk, 8);
    address_space_write(address_space_memory(), RAM + 0x200000, junk, 0x3000);
    address_space_write(address_space_memory(), RAM, junk, 0x100);
    machine_reset(ms);
    assert_mem(RAM + 0x100000, text, 8);
    assert_mem(RAM + 0x200000, data, 8);
    assert_mem(RAM + 0x200008, zeros, 0x3000 - 8);
    assert_mem(bi->initrd_start, initrd, sizeof(initrd));
    {
        uint32_t magic;

        address_space_read(address_space_memory(), RAM, &magic, 4);
        g_assert_cmphex(GUINT32_FROM_BE(magic), ==, 0xd00dfeed);
    }
    free_virt(ms);
}

static void expect_kernel_error(const char *name, GByteArray *file, uint64_t ram_size,
                                const char *msg)
{
    g_autofree char *path = write_array(name, file);
    g_autofree char *full = NULL;
    MachineState *ms = new_virt();

    if (ram_size) {
        ms->ram_size = ram_size;
    }
    set_prop(ms, "kernel", path);
    full = g_strdup_printf("-kernel '%s': %s", path, msg);
    build_fails(ms, full);
    free_virt(ms);
}

static GByteArray *bytes_of(const void *data, gsize len)
{
    GByteArray *b = g_byte_array_new();

    g_byte_array_append(b, data, len);
    return b;
}

static void test_bad_kernel(void)
{
    static const char code[] = "0123456789abcdef";
    const Seg seg = { RAM + 0x80000, code, 16, 16 };
    const Seg low = { 0x1000, code, 16, 16 };
    MachineState *ms;
    GByteArray *b;
    g_autofree char *missing = g_build_filename(tmpdir, "no-such-kernel", NULL);
    g_autofree char *msg = NULL;
    static const uint8_t gz[] = { 0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0 };
    static const uint8_t uimg[] = { 0x27, 0x05, 0x19, 0x56, 0, 0, 0, 0 };

    /* Missing file and empty file. */
    ms = new_virt();
    set_prop(ms, "kernel", missing);
    msg = g_strdup_printf("-kernel '%s': No such file or directory", missing);
    build_fails(ms, msg);
    free_virt(ms);
    expect_kernel_error("empty", g_byte_array_new(), 0, "file is empty");

    /* A raw image larger than RAM. */
    b = g_byte_array_new();
    g_byte_array_set_size(b, 2 * MiB);
    memset(b->data, 0xee, b->len);
    expect_kernel_error("huge.bin", b, 1 * MiB,
                        "raw image of 2097152 bytes at 0x40000000 does not fit in RAM "
                        "(0x40000000-0x400fffff)");

    /* An Image whose footprint (image_size) exceeds RAM though the file is small. */
    expect_kernel_error("Image-big", make_image(0x80000, 200 * MiB, 0, 16), 0,
                        "arm64 Image of 209715200 bytes at 0x40080000 does not fit in RAM "
                        "(0x40000000-0x47ffffff)");
    expect_kernel_error("Image-be", make_image(0x80000, MiB, 1, 16), 0,
                        "big-endian arm64 kernels are not supported");
    expect_kernel_error("Image-off", make_image(0x9000000, MiB, 0, 16), 0,
                        "arm64 Image text_offset 0x9000000 is beyond the end of RAM");

    /* Formats that are neither ELF nor an Image nor plausibly raw code. */
    expect_kernel_error("vmlinuz", bytes_of(gz, sizeof(gz)), 0,
                        "gzip: truncated file");   /* gzip'd Images: test-virt-fdt */
    expect_kernel_error("uImage", bytes_of(uimg, sizeof(uimg)), 0,
                        "U-Boot uImage kernels are not supported");

    /* Broken ELF files. */
    b = make_elf(ELFCLASS64, EM_AARCH64, RAM + 0x80000, &seg, 1);
    g_byte_array_set_size(b, 0x208);            /* cut inside the segment */
    expect_kernel_error("cut.elf", b, 0,
                        "truncated ELF: segment 0 ends past the end of the file");
    b = make_elf(ELFCLASS64, EM_AARCH64, RAM + 0x80000, &seg, 1);
    g_byte_array_set_size(b, 40);
    expect_kernel_error("cut-header.elf", b, 0, "truncated ELF header");
    b = make_elf(ELFCLASS64, EM_AARCH64, RAM + 0x80000, &seg, 1);
    g_byte_array_set_size(b, sizeof(Elf64_Ehdr) + 10);
    expect_kernel_error("cut-phdr.elf", b, 0,
                        "truncated ELF: program headers end past the end of the file");
    expect_kernel_error("x86.elf", make_elf(ELFCLASS64, EM_X86_64, RAM + 0x80000, &seg, 1), 0,
                        "ELF machine 62 is not AArch64 (183)");
    expect_kernel_error("32.elf", make_elf(ELFCLASS32, EM_ARM, RAM + 0x80000, &seg, 1), 0,
                        "not a 64-bit ELF (class 1)");
    expect_kernel_error("low.elf", make_elf(ELFCLASS64, EM_AARCH64, 0x1000, &low, 1), 0,
                        "segment 0 of 16 bytes at 0x1000 does not fit in RAM "
                        "(0x40000000-0x47ffffff)");
    expect_kernel_error("entry.elf", make_elf(ELFCLASS64, EM_AARCH64, 0x1000, &seg, 1), 0,
                        "ELF entry point 0x1000 is outside RAM");
    expect_kernel_error("none.elf", make_elf(ELFCLASS64, EM_AARCH64, RAM, &seg, 0), 0,
                        "ELF has no usable program headers");
    b = make_elf(ELFCLASS64, EM_AARCH64, RAM + 0x80000, &seg, 1);
    ((Elf64_Ehdr *)b->data)->e_type = ET_DYN;
    expect_kernel_error("pie.elf", b, 0,
                        "ELF type 3 is not a static executable (ET_EXEC)");
}

static void test_bad_other(void)
{
    g_autofree char *kpath = write_array("k.bin", bytes_of("\0\0\0\0", 4));
    g_autofree char *bad_dtb = write_tmp("bad.dtb", "not a device tree at all, really",
                                         32);
    g_autofree char *short_dtb = write_array("short.dtb", make_dtb(0x1000, 0x100));
    g_autofree char *big_dtb = write_array("big.dtb", make_dtb(3 * MiB, 3 * MiB));
    GByteArray *rd = g_byte_array_new();
    g_autofree char *big_initrd = NULL;
    g_autofree char *msg = NULL;
    MachineState *ms;

    g_byte_array_set_size(rd, 3 * MiB);
    big_initrd = write_array("big.initrd", rd);

    ms = new_virt();
    set_prop(ms, "initrd", big_initrd);
    msg = g_strdup_printf("-initrd '%s' needs a -kernel to go with it", big_initrd);
    build_fails(ms, msg);
    free_virt(ms);

    ms = new_virt();
    ms->ram_size = 4 * MiB;
    set_prop(ms, "kernel", kpath);
    set_prop(ms, "initrd", big_initrd);
    g_free(msg);
    msg = g_strdup_printf("-initrd '%s': initrd of 3145728 bytes at 0x40200000 does not fit "
                          "in RAM (0x40000000-0x403fffff)", big_initrd);
    build_fails(ms, msg);
    free_virt(ms);

    ms = new_virt();
    set_prop(ms, "kernel", kpath);
    set_prop(ms, "dtb", bad_dtb);
    g_free(msg);
    msg = g_strdup_printf("-dtb '%s': not a flattened device tree (bad magic)", bad_dtb);
    build_fails(ms, msg);
    free_virt(ms);

    ms = new_virt();
    set_prop(ms, "dtb", short_dtb);
    g_free(msg);
    msg = g_strdup_printf("-dtb '%s': truncated device tree: header says 4096 bytes, "
                          "file has 256", short_dtb);
    build_fails(ms, msg);
    free_virt(ms);

    ms = new_virt();
    set_prop(ms, "dtb", big_dtb);
    build_fails(ms, "*is larger than the 2 MiB allowed");
    free_virt(ms);

    ms = new_virt();
    ms->ram_size = 256ull << 30;
    build_fails(ms, "-m: the virt board supports at most 255 GiB of RAM");
    free_virt(ms);

    ms = new_virt();
    set_prop(ms, "firmware", "QEMU_EFI.fd");
    build_fails(ms, "*-bios 'QEMU_EFI.fd': ");
    free_virt(ms);

    /* -dtb alone (firmware-style boot later): loaded at the start of RAM. */
    ms = new_virt();
    g_free(msg);
    msg = write_array("alone.dtb", make_dtb(128, 128));
    set_prop(ms, "dtb", msg);
    build_ok(ms);
    g_assert_cmpuint(virt_boot_info(ms)->dtb_addr, ==, RAM);
    free_virt(ms);
}

static void rm_tmpdir(void)
{
    GDir *d = g_dir_open(tmpdir, 0, NULL);
    const char *name;

    while (d && (name = g_dir_read_name(d))) {
        g_autofree char *p = g_build_filename(tmpdir, name, NULL);
        unlink(p);
    }
    if (d) {
        g_dir_close(d);
    }
    rmdir(tmpdir);
}

int main(int argc, char **argv)
{
    GError *err = NULL;
    int ret;

    g_test_init(&argc, &argv, NULL);
    tmpdir = g_dir_make_tmp("test-virt-board-XXXXXX", &err);
    g_assert_no_error(err);
    g_test_add_func("/virt/class", test_class);
    g_test_add_func("/virt/memory-map", test_memory_map);
    g_test_add_func("/virt/no-serial", test_no_serial);
    g_test_add_func("/virt/init-refuses", test_init_refuses);
    g_test_add_func("/virt/raw", test_raw);
    g_test_add_func("/virt/image-initrd-dtb", test_image_initrd_dtb);
    g_test_add_func("/virt/image-variants", test_image_variants);
    g_test_add_func("/virt/elf-and-reset", test_elf_and_reset);
    g_test_add_func("/virt/bad-kernel", test_bad_kernel);
    g_test_add_func("/virt/bad-other", test_bad_other);
    ret = g_test_run();
    rm_tmpdir();
    g_free(tmpdir);
    return ret;
}
