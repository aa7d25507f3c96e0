/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The virt board's platform and device tree, built without CPUs
 * (virt_board_build) and read back with libfdt: nodes, compatibles, reg
 * values, interrupt specifiers and phandles of every device, /chosen
 * (bootargs, initrd, stdout-path), the GICv2 and highmem=off variants,
 * a -dtb whose /chosen is patched, dumpdtb=, the options refused, the
 * devices answering at their addresses with their interrupts reaching the
 * GIC, a gzip'd Image (made with the host's gzip; skipped without it),
 * and the I/O buses: PCI functions found through ECAM with their BARs
 * decoding in both windows and INTx reaching the swizzled SPI, and
 * virtio-X-device taking the highest free virtio-mmio transport first.
 */
#include <libfdt.h>
#include <string.h>
#include <unistd.h>

#include "chardev/char.h"
#include "hw/arm/virt-fdt.h"
#include "hw/arm/virt.h"
#include "hw/char/pl011.h"
#include "hw/core/machine.h"
#include "hw/intc/arm_gic.h"
#include "hw/pci/msix.h"
#include "hw/pci/pci.h"
#include "hw/virtio/virtio-mmio.h"
#include "system/memory.h"
#include "system/runstate.h"
#include "util/error.h"

#define RAM 0x40000000ull
#define MiB (1024ull * 1024)

static char *tmpdir;

static char *tmp_path(const char *name)
{
    return g_build_filename(tmpdir, name, NULL);
}

static char *write_tmp(const char *name, const void *data, gsize len)
{
    char *path = tmp_path(name);

    g_assert_true(g_file_set_contents(path, data, len, NULL));
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
}

static void build_ok(MachineState *ms)
{
    GError *err = NULL;

    g_assert_true(virt_board_build(ms, &err));
    g_assert_no_error(err);
}

static void build_fails(MachineState *ms, const char *msg)
{
    GError *err = NULL;

    g_assert_false(virt_board_build(ms, &err));
    g_assert_nonnull(err);
    if (msg[0] == '*') {
        g_assert_nonnull(strstr(err->message, msg + 1));
    } else {
        g_assert_cmpstr(err->message, ==, msg);
    }
    g_error_free(err);
}

/* The tree as the guest sees it, checked against vms->fdt. */
static void *guest_fdt(MachineState *ms)
{
    const ArmBootInfo *bi = virt_boot_info(ms);
    VirtMachineState *vms = (VirtMachineState *)ms;
    uint8_t *fdt = g_malloc(bi->dtb_size);

    g_assert_cmpuint(bi->dtb_size, >, 0);
    g_assert_cmpuint(address_space_read(address_space_memory(), bi->dtb_addr, fdt,
                                        bi->dtb_size), ==, MEMTX_OK);
    g_assert_cmpint(fdt_check_header(fdt), ==, 0);
    g_assert_cmpmem(fdt, bi->dtb_size, g_bytes_get_data(vms->fdt, NULL),
                    g_bytes_get_size(vms->fdt));
    return fdt;
}

static int node(const void *fdt, const char *path)
{
    int off = fdt_path_offset(fdt, path);

    if (off < 0) {
        g_error("no node %s", path);
    }
    return off;
}

static const char *str_prop(const void *fdt, const char *path, const char *name)
{
    return fdt_getprop(fdt, node(fdt, path), name, NULL);
}

static bool has_prop(const void *fdt, const char *path, const char *name)
{
    return fdt_getprop(fdt, node(fdt, path), name, NULL) != NULL;
}

/* The property as cells, compared with the expected list. */
static void assert_cells(const void *fdt, const char *path, const char *name,
                         const uint32_t *expect, int n)
{
    int len;
    const fdt32_t *p = fdt_getprop(fdt, node(fdt, path), name, &len);

    if (!p) {
        g_error("no property %s in %s", name, path);
    }
    g_assert_cmpint(len, ==, n * 4);
    for (int i = 0; i < n; i++) {
        if (fdt32_to_cpu(p[i]) != expect[i]) {
            g_error("%s %s cell %d: 0x%x, expected 0x%x", path, name, i,
                    fdt32_to_cpu(p[i]), expect[i]);
        }
    }
}

#define CELLS(fdt, path, name, ...) do {                                  \
        const uint32_t e_[] = { __VA_ARGS__ };                            \
        assert_cells(fdt, path, name, e_, G_N_ELEMENTS(e_));              \
    } while (0)

static bool compatible(const void *fdt, const char *path, const char *compat)
{
    return fdt_node_check_compatible(fdt, node(fdt, path), compat) == 0;
}

static uint64_t u64_prop(const void *fdt, const char *path, const char *name)
{
    int len;
    const fdt64_t *p = fdt_getprop(fdt, node(fdt, path), name, &len);

    g_assert_nonnull(p);
    g_assert_cmpint(len, ==, 8);
    return fdt64_to_cpu(*p);
}

static uint32_t rd32(uint64_t addr)
{
    uint64_t v = 0;

    g_assert_cmpuint(address_space_read_val(address_space_memory(), addr, &v, 4), ==,
                     MEMTX_OK);
    return v;
}

static void wr32(uint64_t addr, uint32_t v)
{
    g_assert_cmpuint(address_space_write_val(address_space_memory(), addr, v, 4), ==,
                     MEMTX_OK);
}

/* ---- images ---- */

static GByteArray *make_image(size_t payload)
{
    GByteArray *b = g_byte_array_new();
    uint8_t hdr[ARM64_IMAGE_HEADER_SIZE] = { 0 };
    uint64_t v;

    v = GUINT64_TO_LE(0x80000);
    memcpy(hdr + 0x08, &v, 8);
    v = GUINT64_TO_LE(2 * MiB);
    memcpy(hdr + 0x10, &v, 8);
    memcpy(hdr + ARM64_IMAGE_MAGIC_OFFSET, ARM64_IMAGE_MAGIC, 4);
    g_byte_array_append(b, hdr, sizeof(hdr));
    for (size_t i = 0; i < payload; i++) {
        uint8_t c = (i * 13) ^ (i >> 9);

        g_byte_array_append(b, &c, 1);
    }
    return b;
}

/* path.gz made by the host's gzip, or NULL when there is none. */
static char *host_gzip(const char *path)
{
    g_autofree char *prog = g_find_program_in_path("gzip");
    g_autofree char *cmd = NULL;
    int status;

    if (!prog) {
        return NULL;
    }
    cmd = g_strdup_printf("%s -9 -f -k %s", prog, path);
    g_assert_true(g_spawn_command_line_sync(cmd, NULL, NULL, &status, NULL));
    g_assert_cmpint(status, ==, 0);
    return g_strdup_printf("%s.gz", path);
}

/* ---- tests ---- */

static void test_default_tree(void)
{
    MachineState *ms = new_virt();
    const ArmBootInfo *bi;
    g_autoptr(GByteArray) img = make_image(4096);
    g_autofree char *kpath = write_tmp("Image", img->data, img->len);
    g_autofree char *ipath = write_tmp("initrd", "070701", 6);
    g_autofree void *fdt = NULL;
    int off, n;
    const char *s;
    uint64_t high_ecam = virt_memmap[VIRT_HIGH_PCIE_ECAM].base;

    ms->smp.cpus = 2;
    set_prop(ms, "kernel", kpath);
    set_prop(ms, "initrd", ipath);
    set_prop(ms, "append", "console=ttyAMA0 root=/dev/vda");
    build_ok(ms);
    bi = virt_boot_info(ms);
    fdt = guest_fdt(ms);

    g_assert_true(compatible(fdt, "/", "linux,dummy-virt"));
    CELLS(fdt, "/", "#address-cells", 2);
    CELLS(fdt, "/", "interrupt-parent", VIRT_FDT_PHANDLE_GIC);
    /* /chosen */
    g_assert_cmpstr(str_prop(fdt, "/chosen", "bootargs"), ==, "console=ttyAMA0 root=/dev/vda");
    g_assert_cmpstr(str_prop(fdt, "/chosen", "stdout-path"), ==, "/pl011@9000000");
    g_assert_cmphex(u64_prop(fdt, "/chosen", "linux,initrd-start"), ==, bi->initrd_start);
    g_assert_cmphex(u64_prop(fdt, "/chosen", "linux,initrd-end"), ==, bi->initrd_start + 6);
    g_assert_true(has_prop(fdt, "/chosen", "rng-seed"));
    g_assert_true(has_prop(fdt, "/chosen", "kaslr-seed"));
    /* memory and CPUs */
    g_assert_cmpstr(str_prop(fdt, "/memory@40000000", "device_type"), ==, "memory");
    CELLS(fdt, "/memory@40000000", "reg", 0, RAM, 0, 128 * MiB);
    CELLS(fdt, "/cpus/cpu@0", "reg", 0);
    CELLS(fdt, "/cpus/cpu@1", "reg", 1);
    g_assert_true(compatible(fdt, "/cpus/cpu@1", "arm,arm-v8"));
    g_assert_cmpstr(str_prop(fdt, "/cpus/cpu@0", "enable-method"), ==, "psci");
    g_assert_cmpint(fdt_first_subnode(fdt, node(fdt, "/cpus")), ==, node(fdt, "/cpus/cpu@0"));
    g_assert_true(compatible(fdt, "/psci", "arm,psci-1.0"));
    g_assert_true(compatible(fdt, "/psci", "arm,psci-0.2"));
    g_assert_cmpstr(str_prop(fdt, "/psci", "method"), ==, "hvc");
    /* timer: secure, non-secure, virtual, hypervisor PPIs */
    g_assert_true(compatible(fdt, "/timer", "arm,armv8-timer"));
    CELLS(fdt, "/timer", "interrupts", 1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4);
    /* GICv3 */
    g_assert_true(compatible(fdt, "/intc@8000000", "arm,gic-v3"));
    CELLS(fdt, "/intc@8000000", "reg", 0, 0x08000000, 0, 0x10000, 0, 0x080a0000, 0, 0x40000);
    CELLS(fdt, "/intc@8000000", "#interrupt-cells", 3);
    CELLS(fdt, "/intc@8000000", "phandle", VIRT_FDT_PHANDLE_GIC);
    g_assert_true(has_prop(fdt, "/intc@8000000", "interrupt-controller"));
    /* PrimeCells and the clock */
    g_assert_true(compatible(fdt, "/pl011@9000000", "arm,pl011"));
    g_assert_true(compatible(fdt, "/pl011@9000000", "arm,primecell"));
    CELLS(fdt, "/pl011@9000000", "reg", 0, 0x09000000, 0, 0x1000);
    CELLS(fdt, "/pl011@9000000", "interrupts", 0, 1, 4);
    CELLS(fdt, "/pl011@9000000", "clocks", VIRT_FDT_PHANDLE_CLK, VIRT_FDT_PHANDLE_CLK);
    CELLS(fdt, "/apb-pclk", "clock-frequency", 24000000);
    CELLS(fdt, "/apb-pclk", "phandle", VIRT_FDT_PHANDLE_CLK);
    g_assert_true(compatible(fdt, "/pl031@9010000", "arm,pl031"));
    CELLS(fdt, "/pl031@9010000", "interrupts", 0, 2, 4);
    g_assert_true(compatible(fdt, "/pl061@9030000", "arm,pl061"));
    CELLS(fdt, "/pl061@9030000", "interrupts", 0, 7, 4);
    CELLS(fdt, "/pl061@9030000", "phandle", VIRT_FDT_PHANDLE_GPIO);
    g_assert_true(compatible(fdt, "/gpio-keys", "gpio-keys"));
    CELLS(fdt, "/gpio-keys/poweroff", "linux,code", 116);
    CELLS(fdt, "/gpio-keys/poweroff", "gpios", VIRT_FDT_PHANDLE_GPIO, 3, 0);
    g_assert_true(compatible(fdt, "/fw-cfg@9020000", "qemu,fw-cfg-mmio"));
    CELLS(fdt, "/fw-cfg@9020000", "reg", 0, 0x09020000, 0, 0x18);
    /* 32 virtio-mmio transports, lowest address first */
    n = 0;
    fdt_for_each_subnode(off, fdt, 0) {
        const char *name = fdt_get_name(fdt, off, NULL);

        if (g_str_has_prefix(name, "virtio_mmio@")) {
            g_autofree char *expect = g_strdup_printf("virtio_mmio@%x", 0x0a000000 + n * 0x200);

            g_assert_cmpstr(name, ==, expect);
            n++;
        }
    }
    g_assert_cmpint(n, ==, 32);
    g_assert_true(compatible(fdt, "/virtio_mmio@a000000", "virtio,mmio"));
    CELLS(fdt, "/virtio_mmio@a000000", "interrupts", 0, 16, 1);
    CELLS(fdt, "/virtio_mmio@a003e00", "interrupts", 0, 47, 1);
    CELLS(fdt, "/virtio_mmio@a003e00", "reg", 0, 0x0a003e00, 0, 0x200);
    /* PCIe */
    g_assert_true(compatible(fdt, "/pcie@10000000", "pci-host-ecam-generic"));
    g_assert_cmpstr(str_prop(fdt, "/pcie@10000000", "device_type"), ==, "pci");
    CELLS(fdt, "/pcie@10000000", "reg", high_ecam >> 32, (uint32_t)high_ecam, 0, 0x10000000);
    CELLS(fdt, "/pcie@10000000", "bus-range", 0, 255);
    CELLS(fdt, "/pcie@10000000", "ranges",
          0x01000000, 0, 0, 0, 0x3eff0000, 0, 0x10000,
          0x02000000, 0, 0x10000000, 0, 0x10000000, 0, 0x2eff0000,
          0x03000000, 0x80, 0, 0x80, 0, 0x80, 0);
    CELLS(fdt, "/pcie@10000000", "interrupt-map-mask", 0x1800, 0, 0, 7);
    /* slot 0 INTA -> SPI 3; slot 1 INTA -> SPI 4 (swizzled) */
    {
        int len;
        const fdt32_t *map = fdt_getprop(fdt, node(fdt, "/pcie@10000000"), "interrupt-map",
                                         &len);

        g_assert_cmpint(len, ==, 16 * 10 * 4);
        g_assert_cmphex(fdt32_to_cpu(map[3]), ==, 1);
        g_assert_cmphex(fdt32_to_cpu(map[4]), ==, VIRT_FDT_PHANDLE_GIC);
        g_assert_cmphex(fdt32_to_cpu(map[8]), ==, 3);
        for (int i = 0; i < 16; i++) {
            if (fdt32_to_cpu(map[10 * i]) == 1 << 11 && fdt32_to_cpu(map[10 * i + 3]) == 1) {
                g_assert_cmphex(fdt32_to_cpu(map[10 * i + 8]), ==, 4);
            }
        }
    }
    g_assert_false(has_prop(fdt, "/pcie@10000000", "msi-parent"));  /* no ITS */
    s = str_prop(fdt, "/pcie@10000000", "compatible");
    g_assert_nonnull(s);
    free_virt(ms);
}

static void test_devices_answer(void)
{
    MachineState *ms = new_virt();
    VirtMachineState *vms = (VirtMachineState *)ms;
    Chardev *chr;
    GError *err = NULL;
    uint64_t v;

    chr = chardev_new("serial0", "ringbuf", NULL, &err);
    g_assert_nonnull(chr);
    g_assert_no_error(err);
    build_ok(ms);
    g_assert_nonnull(vms->gic);
    g_assert_true(device_is_a(vms->gic, TYPE_ARM_GICV3));
    g_assert_cmphex(rd32(0x08000000 + 0xffe8) & 0xf0, ==, 0x30);        /* GICD PIDR2 */
    g_assert_cmphex(rd32(0x080a0000 + 0xffe8) & 0xf0, ==, 0x30);        /* GICR PIDR2 */
    g_assert_cmphex(rd32(0x09010000 + 0xfe0), ==, 0x31);                /* PL031 */
    g_assert_cmphex(rd32(0x09030000 + 0xfe0), ==, 0x61);                /* PL061 */
    g_assert_cmphex(rd32(0x0a000000), ==, 0x74726976);                  /* virtio "virt" */
    g_assert_cmphex(rd32(0x0a003e00), ==, 0x74726976);
    /* fw_cfg: select the signature (16-bit big-endian selector), read "QEMU". */
    address_space_write_val(address_space_memory(), 0x09020008, GUINT16_TO_BE(0), 2);
    address_space_read_val(address_space_memory(), 0x09020000, &v, 4);
    g_assert_cmpmem(&v, 4, "QEMU", 4);
    /* ECAM: 00.0 is the gpex root (1b36:0008). */
    g_assert_cmphex(rd32(virt_memmap[VIRT_HIGH_PCIE_ECAM].base), ==, 0x00081b36);

    /* The UART's interrupt reaches the GIC as SPI 1 (INTID 33). */
    g_assert_cmphex(rd32(0x08000000 + 0x204) & 2, ==, 0);
    wr32(0x09000000 + PL011_IMSC, PL011_INT_TX);
    wr32(0x09000000 + PL011_DR, 'x');
    g_assert_cmphex(rd32(0x08000000 + 0x204) & 2, ==, 2);               /* ISPENDR1 */
    /* The RTC's match interrupt as SPI 2. */
    wr32(0x09010000 + 0x10, 1);
    wr32(0x09010000 + 0x04, rd32(0x09010000));
    if (rd32(0x09010000 + 0x14)) {
        g_assert_cmphex(rd32(0x08000000 + 0x204) & 4, ==, 4);
    }
    /* The power button (GPIO 3, both edges) as SPI 7. */
    wr32(0x09030000 + 0x408, 0x08);
    wr32(0x09030000 + 0x410, 0x08);
    irq_raise(device_gpio_in(vms->gpio, 3));
    g_assert_cmphex(rd32(0x08000000 + 0x204) & (1u << 7), ==, 1u << 7);
    free_virt(ms);
    chardev_delete_all();
}

static void test_gicv2(void)
{
    MachineState *ms = new_virt();
    VirtMachineState *vms = (VirtMachineState *)ms;
    g_autofree void *fdt = NULL;

    ms->smp.cpus = 2;
    set_prop(ms, "gic-version", "2");
    build_ok(ms);
    fdt = guest_fdt(ms);
    g_assert_true(device_is_a(vms->gic, TYPE_ARM_GICV2));
    g_assert_true(compatible(fdt, "/intc@8000000", "arm,cortex-a15-gic"));
    CELLS(fdt, "/intc@8000000", "reg", 0, 0x08000000, 0, 0x10000, 0, 0x08010000, 0, 0x10000);
    g_assert_true(compatible(fdt, "/intc@8000000/v2m@8020000", "arm,gic-v2m-frame"));
    g_assert_true(has_prop(fdt, "/intc@8000000/v2m@8020000", "msi-controller"));
    CELLS(fdt, "/intc@8000000/v2m@8020000", "phandle", VIRT_FDT_PHANDLE_V2M);
    CELLS(fdt, "/pcie@10000000", "msi-parent", VIRT_FDT_PHANDLE_V2M);
    /* PPIs name the two CPUs in the GICv2 binding. */
    CELLS(fdt, "/timer", "interrupts", 1, 13, 0x304, 1, 14, 0x304, 1, 11, 0x304,
          1, 10, 0x304);
    g_assert_cmphex(rd32(0x08020000 + GICV2M_MSI_TYPER), ==, 80u << 16 | 64);
    g_assert_cmphex(rd32(0x08000000 + 0xfe8) & 0xf0, ==, 0x20);
    free_virt(ms);

    /* host and max mean 3. */
    ms = new_virt();
    set_prop(ms, "gic-version", "max");
    build_ok(ms);
    g_assert_cmpint(virt_gic_revision((VirtMachineState *)ms), ==, 3);
    free_virt(ms);
}

static void test_highmem_off(void)
{
    MachineState *ms = new_virt();
    g_autofree void *fdt = NULL;

    set_prop(ms, "highmem", "off");
    build_ok(ms);
    fdt = guest_fdt(ms);
    CELLS(fdt, "/pcie@10000000", "reg", 0, 0x3f000000, 0, 0x01000000);
    CELLS(fdt, "/pcie@10000000", "bus-range", 0, 15);
    CELLS(fdt, "/pcie@10000000", "ranges",
          0x01000000, 0, 0, 0, 0x3eff0000, 0, 0x10000,
          0x02000000, 0, 0x10000000, 0, 0x10000000, 0, 0x2eff0000);
    free_virt(ms);

    ms = new_virt();
    set_prop(ms, "highmem", "off");
    ms->ram_size = 4ull << 30;
    build_fails(ms, "-m: the virt board with highmem=off supports at most 3 GiB of RAM");
    free_virt(ms);
}

static void test_many_cpus(void)
{
    MachineState *ms = new_virt();
    g_autofree void *fdt = NULL;

    ms->smp.cpus = 130;
    build_ok(ms);
    fdt = guest_fdt(ms);
    CELLS(fdt, "/intc@8000000", "#redistributor-regions", 2);
    CELLS(fdt, "/intc@8000000", "reg", 0, 0x08000000, 0, 0x10000, 0, 0x080a0000, 0, 0xf60000,
          0x40, 0, 0, 7 * 0x20000);
    CELLS(fdt, "/cpus/cpu@17", "reg", 0x101);
    g_assert_cmphex(rd32(0x4000000000ull + 6 * 0x20000 + 0xc), ==, 0x801);  /* cpu 129 */
    free_virt(ms);

    ms = new_virt();
    ms->smp.cpus = 9;
    set_prop(ms, "gic-version", "2");
    build_fails(ms, "-smp 9: the virt board with gic-version=2 supports at most 8 CPUs");
    free_virt(ms);

    ms = new_virt();
    ms->smp.cpus = 124;
    set_prop(ms, "highmem", "off");
    build_fails(ms, "-smp 124: the virt board with highmem=off supports at most 123 CPUs");
    free_virt(ms);
}

static void test_refused_options(void)
{
    MachineState *ms = new_virt();

    set_prop(ms, "secure", "on");
    build_fails(ms, "-machine virt,secure=on: EL3 is not supported yet");
    free_virt(ms);
    ms = new_virt();
    set_prop(ms, "virtualization", "on");
    build_fails(ms, "-machine virt,virtualization=on: EL2 is not supported yet");
    free_virt(ms);
    ms = new_virt();
    {
        GError *err = NULL;

        g_assert_false(machine_set_prop(ms, "gic-version", "4", &err));
        g_assert_nonnull(err);
        g_error_free(err);
    }
    free_virt(ms);
}

static void test_user_dtb(void)
{
    MachineState *ms = new_virt();
    const ArmBootInfo *bi;
    uint8_t user[4096];
    g_autofree char *dpath = NULL;
    g_autofree char *ipath = write_tmp("u.initrd", "ramdisk!", 8);
    g_autoptr(GByteArray) img = make_image(64);
    g_autofree char *kpath = write_tmp("uImage", img->data, img->len);
    g_autofree void *fdt = NULL;
    int off;

    /* A tree of the user's own, without /chosen. */
    g_assert_cmpint(fdt_create_empty_tree(user, sizeof(user)), ==, 0);
    off = fdt_add_subnode(user, 0, "mydevice@1234");
    g_assert_cmpint(off, >=, 0);
    g_assert_cmpint(fdt_setprop_string(user, off, "compatible", "acme,widget"), ==, 0);
    dpath = write_tmp("user.dtb", user, sizeof(user));
    set_prop(ms, "dtb", dpath);
    set_prop(ms, "kernel", kpath);
    set_prop(ms, "initrd", ipath);
    set_prop(ms, "append", "quiet");
    build_ok(ms);
    bi = virt_boot_info(ms);
    fdt = guest_fdt(ms);
    g_assert_true(compatible(fdt, "/mydevice@1234", "acme,widget"));
    g_assert_cmpstr(str_prop(fdt, "/chosen", "bootargs"), ==, "quiet");
    g_assert_cmphex(u64_prop(fdt, "/chosen", "linux,initrd-start"), ==, bi->initrd_start);
    g_assert_cmphex(u64_prop(fdt, "/chosen", "linux,initrd-end"), ==, bi->initrd_start + 8);
    g_assert_cmpint(fdt_path_offset(fdt, "/psci"), <, 0);      /* nothing generated */
    g_assert_cmpint(fdt_path_offset(fdt, "/chosen/stdout-path"), <, 0);
    free_virt(ms);

    /* A header libfdt rejects (version 1) is refused with the file named. */
    ms = new_virt();
    ((fdt32_t *)user)[5] = cpu_to_fdt32(1);         /* version */
    ((fdt32_t *)user)[6] = cpu_to_fdt32(1);         /* last_comp_version */
    g_free(dpath);
    dpath = write_tmp("old.dtb", user, sizeof(user));
    set_prop(ms, "dtb", dpath);
    {
        g_autofree char *msg = g_strdup_printf("-dtb '%s': device tree: %s", dpath,
                                               fdt_strerror(-FDT_ERR_BADVERSION));

        build_fails(ms, msg);
    }
    free_virt(ms);
}

static void test_dumpdtb(void)
{
    MachineState *ms = new_virt();
    VirtMachineState *vms = (VirtMachineState *)ms;
    g_autofree char *path = tmp_path("dump.dtb");
    g_autofree char *data = NULL;
    GError *err = NULL;
    gsize len;

    set_prop(ms, "dumpdtb", path);
    set_prop(ms, "append", "console=ttyAMA0");
    /* Without any CPU provider the machine still initializes: it only dumps. */
    g_assert_true(machine_run_init(ms, &err));
    g_assert_no_error(err);
    g_assert_true(shutdown_requested());
    g_assert_true(g_file_get_contents(path, &data, &len, NULL));
    g_assert_cmpmem(data, len, g_bytes_get_data(vms->fdt, NULL), g_bytes_get_size(vms->fdt));
    g_assert_cmpint(fdt_check_header(data), ==, 0);
    g_assert_cmpstr(str_prop(data, "/chosen", "bootargs"), ==, "console=ttyAMA0");
    unlink(path);
    free_virt(ms);

    ms = new_virt();
    set_prop(ms, "dumpdtb", "/nonexistent-dir/x.dtb");
    g_assert_false(machine_run_init(ms, &err));
    g_assert_true(g_str_has_prefix(err->message, "-machine dumpdtb=/nonexistent-dir/x.dtb: "));
    g_clear_error(&err);
    free_virt(ms);
}

static void test_gzip_image(void)
{
    g_autoptr(GByteArray) img = make_image(300 * 1024);
    g_autofree char *path = write_tmp("vmlinuz-raw", img->data, img->len);
    g_autofree char *gz = host_gzip(path);
    g_autofree char *notimg = NULL, *notimg_gz = NULL;
    g_autofree uint8_t *got = NULL;
    MachineState *ms;
    const ArmBootInfo *bi;

    if (!gz) {
        g_test_skip("no gzip on this host");
        return;
    }
    ms = new_virt();
    set_prop(ms, "kernel", gz);
    build_ok(ms);
    bi = virt_boot_info(ms);
    g_assert_cmpint(bi->kernel_kind, ==, ARM_KERNEL_IMAGE);
    g_assert_cmphex(bi->entry, ==, RAM + 0x80000);
    g_assert_cmphex(bi->kernel_end, ==, RAM + 0x80000 + 2 * MiB);
    got = g_malloc(img->len);
    address_space_read(address_space_memory(), RAM + 0x80000, got, img->len);
    g_assert_cmpmem(got, img->len, img->data, img->len);
    free_virt(ms);

    /* gzip of something else: refused, not jumped into. */
    notimg = write_tmp("notimage", "just some text, not a kernel", 28);
    notimg_gz = host_gzip(notimg);
    ms = new_virt();
    set_prop(ms, "kernel", notimg_gz);
    {
        g_autofree char *msg = g_strdup_printf(
            "-kernel '%s': the gzip-compressed kernel is not an arm64 Image", notimg_gz);

        build_fails(ms, msg);
    }
    free_virt(ms);
    unlink(gz);
    unlink(notimg_gz);
}


/* ---- PCIe and virtio-mmio with devices plugged ---- */

static uint64_t ecam_addr(int devfn, int reg)
{
    return virt_memmap[VIRT_HIGH_PCIE_ECAM].base + ((uint64_t)devfn << 12) + reg;
}

static DeviceState *plug(const char *spec)
{
    g_autoptr(KeyvalList) kv = NULL;
    GError *err = NULL;
    DeviceState *dev;

    kv = keyval_parse(spec, "driver", &err);
    g_assert_no_error(err);
    dev = device_create_from_keyval(kv, &err);
    g_assert_no_error(err);
    g_assert_nonnull(dev);
    return dev;
}

static uint16_t rd16(uint64_t addr)
{
    uint64_t v = 0;

    g_assert_cmpuint(address_space_read_val(address_space_memory(), addr, &v, 2), ==,
                     MEMTX_OK);
    return v;
}

static void test_pcie_devices(void)
{
    MachineState *ms = new_virt();
    VirtMachineState *vms = (VirtMachineState *)ms;
    PCIDevice *rng;
    uint32_t isp;

    build_ok(ms);
    rng = PCI_DEVICE(plug("virtio-rng-pci"));
    g_assert_true(pci_get_bus(rng) == vms->pci_bus);
    g_assert_cmpint(rng->devfn, ==, PCI_DEVFN(1, 0));
    /* Found by a guest scanning ECAM: vendor 1af4, device 0x1040 + 4. */
    g_assert_cmphex(rd32(ecam_addr(PCI_DEVFN(1, 0), PCI_VENDOR_ID)), ==, 0x10441af4);
    g_assert_cmphex(rd32(ecam_addr(PCI_DEVFN(2, 0), PCI_VENDOR_ID)), ==, 0xffffffff);
    g_assert_cmphex(rd32(ecam_addr(PCI_DEVFN(1, 0), PCI_INTERRUPT_LINE)) >> 8 & 0xff, ==, 1);

    /* BAR 4 (64-bit) in the 32-bit window: common config answers there. */
    wr32(ecam_addr(PCI_DEVFN(1, 0), (PCI_BASE_ADDRESS_0 + 16)), 0x10000000);
    wr32(ecam_addr(PCI_DEVFN(1, 0), (PCI_BASE_ADDRESS_0 + 16) + 4), 0);
    wr32(ecam_addr(PCI_DEVFN(1, 0), PCI_COMMAND), PCI_COMMAND_MEMORY);
    g_assert_cmphex(pci_bar_address(rng, 4), ==, 0x10000000);
    g_assert_cmpuint(rd16(0x10000000 + 0x12), ==, 1);              /* num_queues */
    /* ... and in the 64-bit window at 512 GiB. */
    wr32(ecam_addr(PCI_DEVFN(1, 0), (PCI_BASE_ADDRESS_0 + 16)), 0);
    wr32(ecam_addr(PCI_DEVFN(1, 0), (PCI_BASE_ADDRESS_0 + 16) + 4), 0x80);
    g_assert_cmphex(pci_bar_address(rng, 4), ==, 0x8000000000ull);
    g_assert_cmpuint(rd16(0x8000000000ull + 0x12), ==, 1);

    /* INTA of slot 1 swizzles onto the second line: SPI 4, INTID 36. */
    isp = rd32(0x08000000 + 0x204);
    g_assert_cmphex(isp & (1u << 4), ==, 0);
    pci_set_irq(rng, 1);
    g_assert_cmphex(rd32(0x08000000 + 0x204) & (1u << 4), ==, 1u << 4);
    pci_set_irq(rng, 0);
    g_assert_cmphex(rd32(0x08000000 + 0x204) & (1u << 4), ==, 0);
    free_virt(ms);
}

static void test_virtio_mmio_slots(void)
{
    MachineState *ms = new_virt();
    VirtMachineState *vms = (VirtMachineState *)ms;
    DeviceState *a, *b;
    GError *err = NULL;

    build_ok(ms);
    g_assert_cmphex(rd32(0x0a003e00 + 8), ==, 0);                       /* no device */
    a = plug("virtio-rng-device");
    b = plug("virtio-rng-device");
    /* As QEMU: the first -device gets the highest address. */
    g_assert_true(a->parent_bus == virtio_mmio_get_bus(vms->virtio_mmio[31]));
    g_assert_true(b->parent_bus == virtio_mmio_get_bus(vms->virtio_mmio[30]));
    g_assert_cmpstr(a->parent_bus->name, ==, "virtio-mmio-bus.31");
    g_assert_cmphex(rd32(0x0a003e00 + 8), ==, 4);                       /* entropy */
    g_assert_cmphex(rd32(0x0a003c00 + 8), ==, 4);
    g_assert_cmphex(rd32(0x0a000000 + 8), ==, 0);
    g_assert_cmphex(rd32(0x0a003e00 + 4), ==, 1);                       /* legacy */
    g_assert_nonnull(bus_find("virtio-mmio-bus.0"));
    free_virt(ms);

    /* -global virtio-mmio.force-legacy=false: version 2. */
    g_assert_true(device_global_add("virtio-mmio", "force-legacy", "false", &err));
    g_assert_no_error(err);
    ms = new_virt();
    build_ok(ms);
    g_assert_cmphex(rd32(0x0a000000 + 4), ==, 2);
    free_virt(ms);
    device_globals_clear();
}

/* gic-version=2: an MSI-X message written by a PCI function sets the v2m SPI. */
static void test_gicv2m_msi(void)
{
    MachineState *ms = new_virt();
    PCIDevice *rng;
    int devfn = PCI_DEVFN(1, 0);
    uint8_t cap;

    set_prop(ms, "gic-version", "2");
    build_ok(ms);
    rng = PCI_DEVICE(plug("virtio-rng-pci"));
    cap = pci_find_capability(rng, PCI_CAP_ID_MSIX);
    g_assert_cmpuint(cap, !=, 0);
    /* BAR 1 holds the MSI-X table at offset 0. */
    wr32(ecam_addr(devfn, PCI_BASE_ADDRESS_0 + 4), 0x10100000);
    wr32(ecam_addr(devfn, PCI_COMMAND), PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
    wr32(ecam_addr(devfn, cap), rd32(ecam_addr(devfn, cap)) | (1u << 31));     /* enable */
    wr32(0x10100000 + 0, 0x08020040);                   /* MSI_SETSPI_NS */
    wr32(0x10100000 + 4, 0);
    wr32(0x10100000 + 8, 32 + 80);                      /* the first v2m SPI */
    wr32(0x10100000 + 12, 0);                           /* unmasked */
    g_assert_cmphex(rd32(0x08000000 + 0x20c) & (1u << 16), ==, 0);
    msix_notify(rng, 0);
    g_assert_cmphex(rd32(0x08000000 + 0x20c) & (1u << 16), ==, 1u << 16);  /* ISPENDR3 */
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
    int ret;

    g_test_init(&argc, &argv, NULL);
    tmpdir = g_dir_make_tmp("test-virt-fdt-XXXXXX", NULL);
    g_assert_nonnull(tmpdir);
    g_test_add_func("/virt-fdt/default-tree", test_default_tree);
    g_test_add_func("/virt-fdt/devices-answer", test_devices_answer);
    g_test_add_func("/virt-fdt/gicv2", test_gicv2);
    g_test_add_func("/virt-fdt/highmem-off", test_highmem_off);
    g_test_add_func("/virt-fdt/many-cpus", test_many_cpus);
    g_test_add_func("/virt-fdt/refused-options", test_refused_options);
    g_test_add_func("/virt-fdt/user-dtb", test_user_dtb);
    g_test_add_func("/virt-fdt/dumpdtb", test_dumpdtb);
    g_test_add_func("/virt-fdt/gzip-image", test_gzip_image);
    g_test_add_func("/virt-fdt/pcie-devices", test_pcie_devices);
    g_test_add_func("/virt-fdt/virtio-mmio-slots", test_virtio_mmio_slots);
    g_test_add_func("/virt-fdt/gicv2m-msi", test_gicv2m_msi);
    ret = g_test_run();
    rm_tmpdir();
    g_free(tmpdir);
    return ret;
}
