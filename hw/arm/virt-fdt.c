/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The virt board's device tree, built with libfdt's read-write API. Node
 * names, compatibles, interrupt specifiers and phandle wiring follow QEMU's
 * virt, since that is what kernels and firmware are tested against; the
 * tree only describes devices the board actually built. Nodes are looked
 * up by path for every property (offsets move as the tree grows), and the
 * first libfdt error is kept and reported once.
 */
#include <inttypes.h>
#include <libfdt.h>
#include <string.h>

#include "hw/arm/virt-fdt.h"
#include "hw/intc/arm_gic.h"
#include "hw/pci/pci_host.h"
#include "util/error.h"

#define FDT_INITIAL_SIZE (1024 * 1024)

typedef struct Fdt {
    void *blob;
    int err;            /* first libfdt error, 0 if none */
    const char *what;   /* the node or property it was about */
} Fdt;

static void vf_check(Fdt *f, int r, const char *what)
{
    if (r < 0 && !f->err) {
        f->err = r;
        f->what = what;
    }
}

static int vf_offset(Fdt *f, const char *path)
{
    int off;

    if (f->err) {
        return -1;
    }
    off = fdt_path_offset(f->blob, path);
    vf_check(f, off, path);
    return off;
}

/* Create the node at path; its parent must exist. */
static void vf_node(Fdt *f, const char *path)
{
    const char *slash = strrchr(path, '/');
    g_autofree char *parent = g_strndup(path, slash == path ? 1 : slash - path);
    int off = vf_offset(f, parent);

    if (off >= 0) {
        vf_check(f, fdt_add_subnode(f->blob, off, slash + 1), path);
    }
}

static void vf_prop(Fdt *f, const char *path, const char *name, const void *val, int len)
{
    int off = vf_offset(f, path);

    if (off >= 0) {
        vf_check(f, fdt_setprop(f->blob, off, name, val, len), name);
    }
}

static void vf_prop_str(Fdt *f, const char *path, const char *name, const char *val)
{
    vf_prop(f, path, name, val, strlen(val) + 1);
}

/* A string list: the strings NUL-separated, NULL-terminated arguments. */
static void vf_prop_strs(Fdt *f, const char *path, const char *name, ...)
{
    GString *s = g_string_new(NULL);
    const char *str;
    va_list ap;

    va_start(ap, name);
    while ((str = va_arg(ap, const char *))) {
        g_string_append_len(s, str, strlen(str) + 1);
    }
    va_end(ap);
    vf_prop(f, path, name, s->str, s->len);
    g_string_free(s, TRUE);
}

static void vf_prop_cells(Fdt *f, const char *path, const char *name,
                           const uint32_t *cells, int n)
{
    g_autofree fdt32_t *be = g_new(fdt32_t, MAX(n, 1));

    for (int i = 0; i < n; i++) {
        be[i] = cpu_to_fdt32(cells[i]);
    }
    vf_prop(f, path, name, be, n * sizeof(fdt32_t));
}

static void vf_prop_u32(Fdt *f, const char *path, const char *name, uint32_t v)
{
    vf_prop_cells(f, path, name, &v, 1);
}

static void vf_prop_u64(Fdt *f, const char *path, const char *name, uint64_t v)
{
    fdt64_t be = cpu_to_fdt64(v);

    vf_prop(f, path, name, &be, sizeof(be));
}

/* reg = <base size> pairs with two address and two size cells. */
static void vf_prop_reg(Fdt *f, const char *path, int n, const uint64_t *pairs)
{
    g_autofree uint32_t *cells = g_new(uint32_t, 4 * n);

    for (int i = 0; i < 2 * n; i++) {
        cells[2 * i] = pairs[i] >> 32;
        cells[2 * i + 1] = (uint32_t)pairs[i];
    }
    vf_prop_cells(f, path, "reg", cells, 4 * n);
}

static void vf_prop_empty(Fdt *f, const char *path, const char *name)
{
    vf_prop(f, path, name, NULL, 0);
}

static void vf_prop_irq(Fdt *f, const char *path, uint32_t type, uint32_t n, uint32_t flags)
{
    uint32_t cells[3] = { type, n, flags };

    vf_prop_cells(f, path, "interrupts", cells, 3);
}

static void vf_random(Fdt *f, const char *path, const char *name, int len)
{
    g_autofree uint32_t *buf = g_new(uint32_t, len / 4);

    for (int i = 0; i < len / 4; i++) {
        buf[i] = g_random_int();
    }
    vf_prop(f, path, name, buf, len);
}

/* ---- nodes ---- */

static const char *virt_cpu_compatible(const char *type)
{
    if (type && (!strcmp(type, "cortex-a57") || !strcmp(type, "cortex-a72") ||
                 !strcmp(type, "cortex-a53"))) {
        return type;
    }
    return "arm-v8";    /* "max" and anything newer */
}

static void vf_add_cpus(Fdt *f, VirtMachineState *vms)
{
    MachineState *ms = &vms->parent;
    g_autofree char *compat = g_strdup_printf("arm,%s", virt_cpu_compatible(ms->cpu_type));

    vf_node(f, "/cpus");
    vf_prop_u32(f, "/cpus", "#address-cells", 1);
    vf_prop_u32(f, "/cpus", "#size-cells", 0);
    /* Reverse order, so that the nodes come out lowest first. */
    for (int i = ms->smp.cpus - 1; i >= 0; i--) {
        g_autofree char *path = g_strdup_printf("/cpus/cpu@%d", i);

        vf_node(f, path);
        vf_prop_str(f, path, "device_type", "cpu");
        vf_prop_str(f, path, "compatible", compat);
        vf_prop_u32(f, path, "reg", virt_cpu_mp_affinity(i));
        if (ms->smp.cpus > 1) {
            vf_prop_str(f, path, "enable-method", "psci");
        }
    }
}

static void vf_add_psci(Fdt *f)
{
    vf_node(f, "/psci");
    vf_prop_strs(f, "/psci", "compatible", "arm,psci-1.0", "arm,psci-0.2", "arm,psci",
                  NULL);
    /* EL3 and EL2 are not emulated: the PSCI firmware answers HVC at EL1. */
    vf_prop_str(f, "/psci", "method", "hvc");
    /* Function IDs for the PSCI 0.1 binding (SMC64 forms of 0.2). */
    vf_prop_u32(f, "/psci", "cpu_suspend", 0xc4000001);
    vf_prop_u32(f, "/psci", "cpu_off", 0x84000002);
    vf_prop_u32(f, "/psci", "cpu_on", 0xc4000003);
    vf_prop_u32(f, "/psci", "migrate", 0xc4000005);
}

/* The PMUv3 overflow interrupt, PPI 7 (INTID 23) on every CPU. */
static void vf_add_pmu(Fdt *f, VirtMachineState *vms)
{
    uint32_t flags = VIRT_FDT_IRQ_LEVEL_HIGH;
    uint32_t cells[3];

    if (virt_gic_revision(vms) == 2) {
        flags |= ((1u << vms->parent.smp.cpus) - 1) << 8;
    }
    cells[0] = VIRT_FDT_GIC_PPI;
    cells[1] = ARM_GIC_PPI_PMU - 16;
    cells[2] = flags;
    vf_node(f, "/pmu");
    vf_prop_str(f, "/pmu", "compatible", "arm,armv8-pmuv3");
    vf_prop_cells(f, "/pmu", "interrupts", cells, 3);
}

static void vf_add_timer(Fdt *f, VirtMachineState *vms)
{
    uint32_t flags = VIRT_FDT_IRQ_LEVEL_HIGH;
    uint32_t cells[12];
    static const int ppis[4] = {
        ARM_GIC_PPI_SECTIMER, ARM_GIC_PPI_PHYSTIMER, ARM_GIC_PPI_VIRTTIMER,
        ARM_GIC_PPI_HYPTIMER,
    };

    if (virt_gic_revision(vms) == 2) {
        /* The GICv2 binding names the CPUs a PPI goes to in bits 15:8. */
        flags |= ((1u << vms->parent.smp.cpus) - 1) << 8;
    }
    for (int i = 0; i < 4; i++) {
        cells[3 * i] = VIRT_FDT_GIC_PPI;
        cells[3 * i + 1] = ppis[i] - 16;
        cells[3 * i + 2] = flags;
    }
    vf_node(f, "/timer");
    vf_prop_strs(f, "/timer", "compatible", "arm,armv8-timer", "arm,armv7-timer", NULL);
    vf_prop_cells(f, "/timer", "interrupts", cells, 12);
    vf_prop_empty(f, "/timer", "always-on");
}

static void vf_add_gic(Fdt *f, VirtMachineState *vms)
{
    const char *path = "/intc@8000000";
    uint64_t reg[6];

    vf_node(f, path);
    vf_prop_u32(f, path, "#interrupt-cells", 3);
    vf_prop_empty(f, path, "interrupt-controller");
    vf_prop_u32(f, path, "#address-cells", 2);
    vf_prop_u32(f, path, "#size-cells", 2);
    vf_prop_empty(f, path, "ranges");
    vf_prop_u32(f, path, "phandle", VIRT_FDT_PHANDLE_GIC);
    reg[0] = virt_memmap[VIRT_GIC_DIST].base;
    reg[1] = virt_memmap[VIRT_GIC_DIST].size;
    if (virt_gic_revision(vms) == 3) {
        uint32_t cpus = vms->parent.smp.cpus;
        uint32_t low = MIN(cpus, (uint32_t)VIRT_GICV3_LOW_REDIST_CPUS);
        int nregions = cpus > low ? 2 : 1;

        vf_prop_str(f, path, "compatible", "arm,gic-v3");
        reg[2] = virt_memmap[VIRT_GIC_REDIST].base;
        reg[3] = (uint64_t)low * GICV3_REDIST_SIZE;
        reg[4] = virt_memmap[VIRT_HIGH_GIC_REDIST2].base;
        reg[5] = (uint64_t)(cpus - low) * GICV3_REDIST_SIZE;
        vf_prop_u32(f, path, "#redistributor-regions", nregions);
        vf_prop_reg(f, path, 1 + nregions, reg);
    } else {
        const char *v2m = "/intc@8000000/v2m@8020000";
        uint64_t v2m_reg[2] = { virt_memmap[VIRT_GIC_V2M].base, virt_memmap[VIRT_GIC_V2M].size };

        vf_prop_str(f, path, "compatible", "arm,cortex-a15-gic");
        reg[2] = virt_memmap[VIRT_GIC_CPU].base;
        reg[3] = virt_memmap[VIRT_GIC_CPU].size;
        vf_prop_reg(f, path, 2, reg);
        vf_node(f, v2m);
        vf_prop_str(f, v2m, "compatible", "arm,gic-v2m-frame");
        vf_prop_empty(f, v2m, "msi-controller");
        vf_prop_reg(f, v2m, 1, v2m_reg);
        vf_prop_u32(f, v2m, "phandle", VIRT_FDT_PHANDLE_V2M);
    }
}

static void vf_add_clock(Fdt *f)
{
    vf_node(f, "/apb-pclk");
    vf_prop_str(f, "/apb-pclk", "compatible", "fixed-clock");
    vf_prop_u32(f, "/apb-pclk", "#clock-cells", 0);
    vf_prop_u32(f, "/apb-pclk", "clock-frequency", 24000000);
    vf_prop_str(f, "/apb-pclk", "clock-output-names", "clk24mhz");
    vf_prop_u32(f, "/apb-pclk", "phandle", VIRT_FDT_PHANDLE_CLK);
}

/* A PrimeCell at map entry idx: "arm,<part>", "arm,primecell". */
static char *vf_add_primecell(Fdt *f, int idx, const char *part, int spi)
{
    char *path = g_strdup_printf("/%s@%" PRIx64, part, virt_memmap[idx].base);
    g_autofree char *compat = g_strdup_printf("arm,%s", part);
    uint64_t reg[2] = { virt_memmap[idx].base, virt_memmap[idx].size };

    vf_node(f, path);
    vf_prop_strs(f, path, "compatible", compat, "arm,primecell", NULL);
    vf_prop_reg(f, path, 1, reg);
    vf_prop_irq(f, path, VIRT_FDT_GIC_SPI, spi, VIRT_FDT_IRQ_LEVEL_HIGH);
    return path;
}

/* Both banks in one node, as QEMU's virt: firmware first, then variables. */
static void vf_add_flash(Fdt *f)
{
    uint64_t base = virt_memmap[VIRT_FLASH].base;
    uint64_t reg[4] = { base, VIRT_FLASH_BANK_SIZE, base + VIRT_FLASH_BANK_SIZE,
                        VIRT_FLASH_BANK_SIZE };
    g_autofree char *path = g_strdup_printf("/flash@%" PRIx64, base);

    vf_node(f, path);
    vf_prop_str(f, path, "compatible", "cfi-flash");
    vf_prop_reg(f, path, 2, reg);
    vf_prop_u32(f, path, "bank-width", VIRT_FLASH_WIDTH);
}

static void vf_add_devices(Fdt *f, VirtMachineState *vms)
{
    g_autofree char *uart = NULL;
    uint32_t clk2[2] = { VIRT_FDT_PHANDLE_CLK, VIRT_FDT_PHANDLE_CLK };

    uart = vf_add_primecell(f, VIRT_UART0, "pl011", VIRT_IRQ_UART0);
    vf_prop_cells(f, uart, "clocks", clk2, 2);
    vf_prop_strs(f, uart, "clock-names", "uartclk", "apb_pclk", NULL);
    vf_prop_str(f, "/chosen", "stdout-path", uart);

    if (vms->rtc) {
        g_autofree char *rtc = vf_add_primecell(f, VIRT_RTC, "pl031", VIRT_IRQ_RTC);

        vf_prop_u32(f, rtc, "clocks", VIRT_FDT_PHANDLE_CLK);
        vf_prop_str(f, rtc, "clock-names", "apb_pclk");
    }
    if (vms->gpio) {
        g_autofree char *gpio = vf_add_primecell(f, VIRT_GPIO, "pl061", VIRT_IRQ_GPIO);
        uint32_t key[3] = { VIRT_FDT_PHANDLE_GPIO, 3, 0 };

        vf_prop_u32(f, gpio, "#gpio-cells", 2);
        vf_prop_empty(f, gpio, "gpio-controller");
        vf_prop_u32(f, gpio, "clocks", VIRT_FDT_PHANDLE_CLK);
        vf_prop_str(f, gpio, "clock-names", "apb_pclk");
        vf_prop_u32(f, gpio, "phandle", VIRT_FDT_PHANDLE_GPIO);
        vf_node(f, "/gpio-keys");
        vf_prop_str(f, "/gpio-keys", "compatible", "gpio-keys");
        vf_node(f, "/gpio-keys/poweroff");
        vf_prop_str(f, "/gpio-keys/poweroff", "label", "GPIO Key Poweroff");
        vf_prop_u32(f, "/gpio-keys/poweroff", "linux,code", 116);     /* KEY_POWER */
        vf_prop_cells(f, "/gpio-keys/poweroff", "gpios", key, 3);
    }
    if (vms->fw_cfg) {
        g_autofree char *path = g_strdup_printf("/fw-cfg@%" PRIx64,
                                                virt_memmap[VIRT_FW_CFG].base);
        uint64_t reg[2] = { virt_memmap[VIRT_FW_CFG].base, virt_memmap[VIRT_FW_CFG].size };

        vf_node(f, path);
        vf_prop_str(f, path, "compatible", "qemu,fw-cfg-mmio");
        vf_prop_reg(f, path, 1, reg);
        vf_prop_empty(f, path, "dma-coherent");
    }
    /* Reverse order, so that the nodes come out lowest address first. */
    for (int i = VIRT_MMIO_TRANSPORTS - 1; i >= 0; i--) {
        uint64_t base = virt_memmap[VIRT_MMIO].base + (uint64_t)i * VIRT_MMIO_TRANSPORT_SIZE;
        uint64_t reg[2] = { base, VIRT_MMIO_TRANSPORT_SIZE };
        g_autofree char *path = g_strdup_printf("/virtio_mmio@%" PRIx64, base);

        if (!vms->virtio_mmio[i]) {
            continue;
        }
        vf_node(f, path);
        vf_prop_str(f, path, "compatible", "virtio,mmio");
        vf_prop_reg(f, path, 1, reg);
        vf_prop_irq(f, path, VIRT_FDT_GIC_SPI, VIRT_IRQ_MMIO + i, VIRT_FDT_IRQ_EDGE_RISING);
        vf_prop_empty(f, path, "dma-coherent");
    }
}

static void vf_add_pcie(Fdt *f, VirtMachineState *vms)
{
    PCIHostECAMFdtInfo info;
    g_autofree char *path = NULL;
    uint32_t ranges[3 * 7], map[16 * 10], bus_range[2];
    uint64_t reg[2];
    int n = 0;

    pci_host_ecam_fdt_info(vms->pci_bus, &info);
    path = g_strdup_printf("/pcie@%" PRIx64, virt_memmap[VIRT_PCIE_MMIO].base);
    vf_node(f, path);
    vf_prop_str(f, path, "compatible", "pci-host-ecam-generic");
    vf_prop_str(f, path, "device_type", "pci");
    vf_prop_u32(f, path, "#address-cells", 3);
    vf_prop_u32(f, path, "#size-cells", 2);
    vf_prop_u32(f, path, "linux,pci-domain", 0);
    bus_range[0] = info.bus_start;
    bus_range[1] = info.bus_end;
    vf_prop_cells(f, path, "bus-range", bus_range, 2);
    vf_prop_empty(f, path, "dma-coherent");
    reg[0] = info.ecam_base;
    reg[1] = info.ecam_size;
    vf_prop_reg(f, path, 1, reg);
    for (int i = 0; i < info.nranges; i++) {
        const PCIHostFdtRange *r = &info.ranges[i];
        uint32_t *c = ranges + 7 * i;

        c[0] = r->space;
        c[1] = r->pci_addr >> 32;
        c[2] = (uint32_t)r->pci_addr;
        c[3] = r->cpu_addr >> 32;
        c[4] = (uint32_t)r->cpu_addr;
        c[5] = r->size >> 32;
        c[6] = (uint32_t)r->size;
    }
    vf_prop_cells(f, path, "ranges", ranges, 7 * info.nranges);
    if (virt_gic_revision(vms) == 2) {
        vf_prop_u32(f, path, "msi-parent", VIRT_FDT_PHANDLE_V2M);
    }
    /* child unit address (3), pin (1), GIC phandle, GIC unit address (2), specifier (3) */
    for (int i = 0; i < info.nirq_map; i++) {
        const PCIHostFdtIrqMap *m = &info.irq_map[i];
        uint32_t *c = map + n;

        c[0] = m->child_hi;
        c[1] = 0;
        c[2] = 0;
        c[3] = m->pin;
        c[4] = VIRT_FDT_PHANDLE_GIC;
        c[5] = 0;
        c[6] = 0;
        c[7] = VIRT_FDT_GIC_SPI;
        c[8] = VIRT_IRQ_PCIE + m->line;
        c[9] = VIRT_FDT_IRQ_LEVEL_HIGH;
        n += 10;
    }
    vf_prop_u32(f, path, "#interrupt-cells", 1);
    vf_prop_cells(f, path, "interrupt-map", map, n);
    vf_prop_cells(f, path, "interrupt-map-mask", info.irq_map_mask, 4);
}

static void vf_add_chosen(Fdt *f, const ArmBootInfo *boot)
{
    vf_node(f, "/chosen");
    if (boot->cmdline && boot->cmdline[0]) {
        vf_prop_str(f, "/chosen", "bootargs", boot->cmdline);
    }
    if (boot->initrd_size) {
        vf_prop_u64(f, "/chosen", "linux,initrd-start", boot->initrd_start);
        vf_prop_u64(f, "/chosen", "linux,initrd-end", boot->initrd_start + boot->initrd_size);
    }
    /* Early entropy for the kernel (KASLR, the CRNG), as QEMU provides. */
    vf_random(f, "/chosen", "kaslr-seed", 8);
    vf_random(f, "/chosen", "rng-seed", 32);
}

static GBytes *vf_finish(Fdt *f, GError **errp)
{
    int r;

    if (!f->err) {
        r = fdt_pack(f->blob);
        vf_check(f, r, "pack");
    }
    if (f->err) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_FAILED, "device tree: %s: %s", f->what,
                    fdt_strerror(f->err));
        g_free(f->blob);
        return NULL;
    }
    return g_bytes_new_take(g_realloc(f->blob, fdt_totalsize(f->blob)),
                            fdt_totalsize(f->blob));
}

GBytes *virt_fdt_build(VirtMachineState *vms, GError **errp)
{
    MachineState *ms = &vms->parent;
    Fdt f = { .blob = g_malloc0(FDT_INITIAL_SIZE) };
    uint64_t mem[2] = { virt_memmap[VIRT_MEM].base, ms->ram_size };
    g_autofree char *mem_path = g_strdup_printf("/memory@%" PRIx64, mem[0]);

    vf_check(&f, fdt_create_empty_tree(f.blob, FDT_INITIAL_SIZE), "/");
    vf_prop_strs(&f, "/", "compatible", "linux,dummy-virt", NULL);
    vf_prop_str(&f, "/", "model", "linux,dummy-virt");
    vf_prop_u32(&f, "/", "#address-cells", 2);
    vf_prop_u32(&f, "/", "#size-cells", 2);
    if (vms->gic) {
        vf_prop_u32(&f, "/", "interrupt-parent", VIRT_FDT_PHANDLE_GIC);
    }
    vf_add_chosen(&f, &vms->boot);
    vf_node(&f, mem_path);
    vf_prop_str(&f, mem_path, "device_type", "memory");
    vf_prop_reg(&f, mem_path, 1, mem);
    if (vms->flash[0]) {
        vf_add_flash(&f);
    }
    vf_add_cpus(&f, vms);
    vf_add_psci(&f);
    if (vms->gic) {
        vf_add_timer(&f, vms);
        vf_add_pmu(&f, vms);
        vf_add_gic(&f, vms);
    }
    vf_add_clock(&f);
    vf_add_devices(&f, vms);
    if (vms->pci_bus) {
        vf_add_pcie(&f, vms);
    }
    return vf_finish(&f, errp);
}

GBytes *virt_fdt_patch_chosen(GBytes *fdt, const char *cmdline, uint64_t initrd_start,
                              uint64_t initrd_size, GError **errp)
{
    gsize len;
    const void *data = g_bytes_get_data(fdt, &len);
    int size = len + 4096 + (cmdline ? strlen(cmdline) : 0);
    Fdt f = { .blob = g_malloc0(size) };
    int r = fdt_check_header(data);

    if (r < 0 || fdt_totalsize(data) > len) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "device tree: %s",
                    fdt_strerror(r < 0 ? r : -FDT_ERR_TRUNCATED));
        g_free(f.blob);
        return NULL;
    }
    vf_check(&f, fdt_open_into(data, f.blob, size), "/");
    if (!f.err && fdt_path_offset(f.blob, "/chosen") < 0) {
        vf_node(&f, "/chosen");
    }
    if (cmdline) {
        vf_prop_str(&f, "/chosen", "bootargs", cmdline);
    }
    if (initrd_size) {
        vf_prop_u64(&f, "/chosen", "linux,initrd-start", initrd_start);
        vf_prop_u64(&f, "/chosen", "linux,initrd-end", initrd_start + initrd_size);
    }
    return vf_finish(&f, errp);
}

bool virt_fdt_dump(GBytes *fdt, const char *path, GError **errp)
{
    GError *local = NULL;
    gsize len;
    const char *data = g_bytes_get_data(fdt, &len);

    if (!g_file_set_contents(path, data, len, &local)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_IO, "-machine dumpdtb=%s: %s", path,
                    local->message);
        g_error_free(local);
        return false;
    }
    return true;
}
