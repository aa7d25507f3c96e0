/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The "pc" machine under KVM: RAM from 0 up to 3 GiB (the rest from 4 GiB,
 * leaving the hole for devices and KVM's private pages), the in-kernel
 * PIC/IOAPIC/PIT, an ISA bus whose lines are the irqchip's GSIs, the
 * legacy devices (16550A per -serial, CMOS RTC, i8042, port 0x92), the
 * ACPI PM block, fw_cfg on ports 0x510-0x51b, the i440FX PCI host on
 * 0xcf8/0xcfc (which also decodes the 0xcf9 reset register) with INTx on
 * ISA IRQs 10/11 and MSIs injected through KVM, and ACPI tables in the
 * BIOS area. There is no firmware: -kernel is a
 * Linux bzImage (boot protocol 2.06+) or a Multiboot kernel, loaded
 * directly; the BSP starts at its entry point, the other vCPUs wait for
 * INIT/SIPI. docs/pc.md describes the memory map and devices.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "accel/kvm/kvm.h"
#include "chardev/char.h"
#include "hw/acpi/acpi.h"
#include "hw/acpi/pm.h"
#include "hw/char/serial.h"
#include "hw/i386/isa.h"
#include "hw/i386/linux-boot.h"
#include "hw/i386/pc.h"
#include "hw/input/i8042.h"
#include "hw/nvram/fw_cfg.h"
#include "hw/pci/pci.h"
#include "hw/pci/pci_host.h"
#include "hw/virtio/virtio.h"
#include "hw/rtc/mc146818rtc.h"
#include "system/cpus.h"
#include "system/runstate.h"
#include "util/error.h"
#include "util/log.h"

#define PC_DEFAULT_RAM   (128ull << 20)
#define PC_MAX_CPUS      255    /* 8-bit xAPIC ids */
#define ONE_MIB          (1ull << 20)

/* What a loader decided about the BSP's first instruction. */
typedef struct PCBootEntry {
    X86EntryMode mode;
    uint32_t eip, eax, ebx, esi, esp, gdt_base, cr3;
    uint16_t gdt_limit;
} PCBootEntry;

GArray *pc_build_e820(uint64_t below_4g, uint64_t above_4g)
{
    GArray *t = e820_new();

    e820_add(t, 0, PC_LOW_RAM_END, E820_RAM);
    e820_add(t, PC_LOW_RAM_END, 0xa0000 - PC_LOW_RAM_END, E820_RESERVED);   /* EBDA */
    e820_add(t, PC_ACPI_ADDR, PC_ACPI_SIZE, E820_ACPI);
    e820_add(t, PC_BIOS_ADDR, PC_BIOS_SIZE, E820_RESERVED);
    e820_add(t, ONE_MIB, below_4g - ONE_MIB, E820_RAM);
    e820_add(t, PC_KVM_PRIV_ADDR, PC_KVM_PRIV_SIZE, E820_RESERVED);
    e820_add(t, PC_ABOVE_4G_BASE, above_4g, E820_RAM);
    return t;
}

static bool pc_map_ram(PCMachineState *pcms, GError **errp)
{
    MachineState *ms = &pcms->parent;

    if (ms->ram_size < PC_MIN_RAM) {
        g_autofree char *size = ms->ram_size % ONE_MIB
            ? g_strdup_printf("%" G_GUINT64_FORMAT "K", ms->ram_size >> 10)
            : g_strdup_printf("%" G_GUINT64_FORMAT "M", ms->ram_size >> 20);

        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "-m %s: machine 'pc' needs at least %llu MiB of RAM", size,
                    PC_MIN_RAM >> 20);
        return false;
    }
    if (!machine_alloc_ram(ms, errp)) {
        return false;
    }
    pcms->below_4g = MIN(ms->ram_size, PC_BELOW_4G_MAX);
    pcms->above_4g = ms->ram_size - pcms->below_4g;
    memory_region_transaction_begin();
    memory_region_init_alias(&pcms->ram_below_4g, "ram-below-4g", ms->ram, 0,
                             pcms->below_4g);
    memory_region_add_subregion(get_system_memory(), 0, &pcms->ram_below_4g);
    if (pcms->above_4g) {
        memory_region_init_alias(&pcms->ram_above_4g, "ram-above-4g", ms->ram,
                                 pcms->below_4g, pcms->above_4g);
        memory_region_add_subregion(get_system_memory(), PC_ABOVE_4G_BASE,
                                    &pcms->ram_above_4g);
    }
    memory_region_transaction_commit();
    pcms->ram_mapped = true;
    pcms->e820 = pc_build_e820(pcms->below_4g, pcms->above_4g);
    return true;
}

/* One UART per -serial, in order, on the COM1..COM4 ports. */
static bool pc_create_serials(PCMachineState *pcms, GError **errp)
{
    BusState *isa = isa_bridge_bus(pcms->isa_bridge);
    static const uint16_t ports[] = { 0x3f8, 0x2f8, 0x3e8, 0x2e8 };
    static const uint8_t irqs[] = { 4, 3, 4, 3 };

    for (unsigned i = 0; i < SERIAL_MAX_ISA; i++) {
        g_autofree char *id = g_strdup_printf("serial%u", i);
        Chardev *chr = chardev_find(id);
        DeviceState *dev;

        if (!chr) {
            continue;
        }
        dev = device_new(TYPE_ISA_SERIAL, errp);
        if (!dev) {
            return false;
        }
        if (!device_set_prop_uint(dev, "index", i, errp) ||
            !device_set_prop_backend(dev, "chardev", chr, id, errp) ||
            !device_realize(dev, isa, errp)) {
            device_free(dev);
            return false;
        }
        if (i < G_N_ELEMENTS(ports)) {
            pcms->serial_ports[pcms->nr_serials] = ports[i];
            pcms->serial_irqs[pcms->nr_serials++] = irqs[i];
        }
    }
    return true;
}

static DeviceState *pc_isa_device(PCMachineState *pcms, const char *type, GError **errp)
{
    DeviceState *dev = device_new(type, errp);

    if (dev && !device_realize(dev, isa_bridge_bus(pcms->isa_bridge), errp)) {
        device_free(dev);
        dev = NULL;
    }
    return dev;
}

static bool pc_create_devices(PCMachineState *pcms, GError **errp)
{
    static const char *const legacy[] = {
        TYPE_I8042, "port92", TYPE_ACPI_PM,
    };

    if (!pc_create_serials(pcms, errp)) {
        return false;
    }
    pcms->rtc = pc_isa_device(pcms, TYPE_MC146818_RTC, errp);
    if (!pcms->rtc) {
        return false;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(legacy); i++) {
        if (!pc_isa_device(pcms, legacy[i], errp)) {
            return false;
        }
    }
    pcms->fw_cfg = fw_cfg_init_io(FW_CFG_IO_BASE, errp);
    return pcms->fw_cfg != NULL;
}

/*
 * PIRQA..D as SeaBIOS programs a PIIX for QEMU: A and B on ISA IRQ 10, C and
 * D on 11. Two PIRQs share one IOAPIC input, so the input is their OR.
 */
const uint8_t pc_pirq_gsi[PC_NUM_PIRQS] = { 10, 10, 11, 11 };

static void pc_pirq_set(void *opaque, int n, int level)
{
    PCMachineState *pcms = opaque;
    uint8_t gsi = pc_pirq_gsi[n];
    int any = 0;

    if (level) {
        pcms->pirq_levels |= 1u << n;
    } else {
        pcms->pirq_levels &= ~(1u << n);
    }
    for (int i = 0; i < PC_NUM_PIRQS; i++) {
        if (pc_pirq_gsi[i] == gsi && (pcms->pirq_levels & (1u << i))) {
            any = 1;
        }
    }
    irq_set(pcms->gsi_for_pci[gsi], any);
}

/* MSIs go straight to the in-kernel local APICs: nothing decodes 0xfee00000 here. */
static void pc_msi_deliver(void *opaque, uint64_t addr, uint32_t data, uint16_t requester_id)
{
    int r = kvm_signal_msi(kvm_state(), addr, data);

    if (r < 0) {
        log_guest_error("pc: MSI 0x%" PRIx64 "/0x%x from %02x:%02x.%x: %s\n",
                 addr, data, requester_id >> 8, PCI_SLOT(requester_id),
                 PCI_FUNC(requester_id), g_strerror(-r));
    }
}

bool pc_create_pci(PCMachineState *pcms, IrqLine **gsi, bool kvm_msi, GError **errp)
{
    PCIHostCF8Config cfg = { 0 };

    pcms->gsi_for_pci = gsi;
    pcms->pirq = irq_new_array(pc_pirq_set, pcms, PC_NUM_PIRQS);
    cfg.irqs = pcms->pirq;
    cfg.nirq = PC_NUM_PIRQS;
    memcpy(cfg.intx_line, pc_pirq_gsi, sizeof(cfg.intx_line));
    /* No window sizes: the whole PCI space sits below RAM, as on QEMU's pc. */
    pcms->pci_bus = pci_host_cf8_create(&cfg, errp);
    if (!pcms->pci_bus) {
        return false;
    }
    if (kvm_msi) {
        pci_set_msi_delivery(pcms->pci_bus, pc_msi_deliver, pcms);
    }
    return true;
}

static bool pc_load_linux(PCMachineState *pcms, const uint8_t *buf, size_t len,
                          PCBootEntry *entry, GError **errp)
{
    MachineState *ms = &pcms->parent;
    LinuxBootParams p = {
        .kernel = ms->kernel_filename,
        .initrd = ms->initrd_filename,
        .cmdline = ms->kernel_cmdline,
        .below_4g = pcms->below_4g,
        .e820 = pcms->e820,
    };
    LinuxBootImage img;
    FwCfgState *fw = pcms->fw_cfg;

    if (!linux_boot_prepare(&p, buf, len, &img, errp)) {
        return false;
    }
    g_array_append_vals(pcms->blobs, img.blobs->data, img.blobs->len);
    /* The blobs' data now belong to pcms->blobs. */
    g_array_set_clear_func(img.blobs, NULL);

    *entry = (PCBootEntry) {
        .mode = img.long_mode ? X86_ENTRY_LONG64 : X86_ENTRY_PROT32,
        .eip = (uint32_t)img.entry,
        .esi = img.zero_page,
        .esp = LINUX_BOOT_STACK_TOP,
        .gdt_base = img.gdt_base,
        .gdt_limit = img.gdt_limit,
        .cr3 = img.cr3,
    };

    fw_cfg_add_i32(fw, FW_CFG_KERNEL_ADDR, img.kernel_addr);
    fw_cfg_add_i32(fw, FW_CFG_KERNEL_SIZE, g_bytes_get_size(img.kernel_data));
    fw_cfg_add_gbytes(fw, FW_CFG_KERNEL_DATA, img.kernel_data);
    fw_cfg_add_i32(fw, FW_CFG_KERNEL_ENTRY, (uint32_t)img.entry);
    fw_cfg_add_i32(fw, FW_CFG_SETUP_ADDR, img.setup_addr);
    fw_cfg_add_i32(fw, FW_CFG_SETUP_SIZE, g_bytes_get_size(img.setup_data));
    fw_cfg_add_gbytes(fw, FW_CFG_SETUP_DATA, img.setup_data);
    fw_cfg_add_i32(fw, FW_CFG_CMDLINE_ADDR, img.cmdline_addr);
    fw_cfg_add_i32(fw, FW_CFG_KERNEL_CMDLINE, img.cmdline_addr);
    fw_cfg_add_i32(fw, FW_CFG_CMDLINE_SIZE, g_bytes_get_size(img.cmdline_data));
    fw_cfg_add_gbytes(fw, FW_CFG_CMDLINE_DATA, img.cmdline_data);
    if (img.initrd_data) {
        fw_cfg_add_i32(fw, FW_CFG_INITRD_ADDR, img.initrd_addr);
        fw_cfg_add_i32(fw, FW_CFG_INITRD_SIZE, g_bytes_get_size(img.initrd_data));
        fw_cfg_add_gbytes(fw, FW_CFG_INITRD_DATA, img.initrd_data);
    }
    linux_boot_image_clear(&img);
    return true;
}

static bool pc_load_multiboot(PCMachineState *pcms, PCBootEntry *entry, GError **errp)
{
    MachineState *ms = &pcms->parent;
    MultibootParams p = {
        .kernel = ms->kernel_filename,
        .cmdline = ms->kernel_cmdline,
        .modules = ms->initrd_filename,
        .below_4g = pcms->below_4g,
        .above_4g = pcms->above_4g,
        .e820 = pcms->e820,
    };
    MultibootImage img;
    const char *cmdline = ms->kernel_cmdline ? ms->kernel_cmdline : "";

    if (!multiboot_prepare(&p, &img, errp)) {
        return false;
    }
    g_array_append_vals(pcms->blobs, img.blobs->data, img.blobs->len);
    g_array_set_clear_func(img.blobs, NULL);
    *entry = (PCBootEntry) {
        .mode = X86_ENTRY_FLAT32,
        .eip = img.entry,
        .eax = MULTIBOOT_BOOTLOADER_MAGIC,
        .ebx = img.info_addr,
    };
    fw_cfg_add_i32(pcms->fw_cfg, FW_CFG_KERNEL_ENTRY, img.entry);
    fw_cfg_add_i32(pcms->fw_cfg, FW_CFG_CMDLINE_SIZE, strlen(cmdline) + 1);
    fw_cfg_add_string(pcms->fw_cfg, FW_CFG_CMDLINE_DATA, cmdline);
    multiboot_image_clear(&img);
    return true;
}

/* A bzImage ("HdrS") wins, as on QEMU; then a Multiboot header. */
static bool pc_load_kernel(PCMachineState *pcms, PCBootEntry *entry, GError **errp)
{
    MachineState *ms = &pcms->parent;
    g_autofree char *buf = NULL;
    g_autoptr(GError) err = NULL;
    gsize len;

    if (!ms->kernel_filename) {
        if (ms->initrd_filename) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "-initrd needs -kernel");
        } else {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_UNSUPPORTED,
                        "machine 'pc' has no firmware yet: boot a Linux or Multiboot "
                        "kernel with -kernel");
        }
        return false;
    }
    if (!g_file_get_contents(ms->kernel_filename, &buf, &len, &err)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_IO, "-kernel %s: %s", ms->kernel_filename,
                    err->code == G_FILE_ERROR_NOENT ? g_strerror(ENOENT) : err->message);
        return false;
    }
    if (linux_boot_is_bzimage((const uint8_t *)buf, len)) {
        return pc_load_linux(pcms, (const uint8_t *)buf, len, entry, errp);
    }
    if (multiboot_find_header((const uint8_t *)buf, len) >= 0) {
        return pc_load_multiboot(pcms, entry, errp);
    }
    g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                "-kernel %s: not a bootable kernel (no Linux bzImage header, no Multiboot "
                "header in the first 8 KiB)", ms->kernel_filename);
    return false;
}

static bool pc_build_acpi(PCMachineState *pcms, GError **errp)
{
    g_autofree uint32_t *apic_ids = g_new(uint32_t, pcms->nr_cpus);
    AcpiBuildConfig cfg = {
        .nr_cpus = pcms->nr_cpus,
        .apic_ids = apic_ids,
        .lapic_addr = PC_LAPIC_ADDR,
        .ioapic_addr = PC_IOAPIC_ADDR,
        .ioapic_id = 0,
        .pm_base = ACPI_PM_BASE_DEFAULT,
        .sci_irq = ACPI_SCI_IRQ_DEFAULT,
        .reset_port = PC_RESET_CONTROL_PORT,
        .reset_value = 0x06,
        .serial_ports = pcms->serial_ports,
        .serial_irqs = pcms->serial_irqs,
        .nr_serials = pcms->nr_serials,
        .pci_host = pcms->pci_bus != NULL,
        .pci_gsi = pc_pirq_gsi,
        .tables_addr = PC_ACPI_ADDR,
        .tables_size = PC_ACPI_SIZE,
        .rsdp_addr = PC_BIOS_ADDR,
        .rsdp_area_size = PC_BIOS_SIZE,
    };

    for (unsigned i = 0; i < pcms->nr_cpus; i++) {
        apic_ids[i] = pcms->cpus[i].apic_id;
    }
    return acpi_build_tables(&cfg, pcms->blobs, errp);
}

static bool pc_fill_fw_cfg(PCMachineState *pcms, GError **errp)
{
    MachineState *ms = &pcms->parent;
    FwCfgState *fw = pcms->fw_cfg;
    static const uint8_t uuid[16];
    g_autoptr(GBytes) e820 = e820_pack(pcms->e820);
    uint32_t boot_fail_wait = GUINT32_TO_LE(UINT32_MAX);    /* -1: never reboot */

    fw_cfg_add_bytes(fw, FW_CFG_UUID, uuid, sizeof(uuid));
    fw_cfg_add_i64(fw, FW_CFG_RAM_SIZE, ms->ram_size);
    fw_cfg_add_i16(fw, FW_CFG_NOGRAPHIC, !ms->graphics);
    fw_cfg_add_i16(fw, FW_CFG_NB_CPUS, pcms->nr_cpus);
    fw_cfg_add_i16(fw, FW_CFG_MAX_CPUS, MAX(ms->smp.maxcpus, pcms->nr_cpus));
    fw_cfg_add_i32(fw, FW_CFG_ARCH_LOCAL + 2, 1);               /* IRQ0_OVERRIDE */
    return fw_cfg_add_file(fw, "etc/e820", g_bytes_get_data(e820, NULL),
                           g_bytes_get_size(e820), errp) &&
           fw_cfg_add_file(fw, "etc/boot-fail-wait", &boot_fail_wait,
                           sizeof(boot_fail_wait), errp);
}

/* What a PC BIOS leaves in CMOS RAM: memory sizes and the CPU count. */
static void pc_fill_cmos(PCMachineState *pcms)
{
    DeviceState *rtc = pcms->rtc;
    uint64_t ext_kib = MIN((pcms->below_4g - ONE_MIB) >> 10, 0xffffull);
    uint64_t above_16m = pcms->below_4g > 16 * ONE_MIB
                         ? MIN((pcms->below_4g - 16 * ONE_MIB) >> 16, 0xffffull) : 0;
    uint64_t above_4g = MIN(pcms->above_4g >> 16, 0xffffffull);

    rtc_set_cmos(rtc, 0x15, 640 & 0xff);                /* base memory, KiB */
    rtc_set_cmos(rtc, 0x16, 640 >> 8);
    rtc_set_cmos(rtc, 0x17, ext_kib & 0xff);            /* memory above 1 MiB, KiB */
    rtc_set_cmos(rtc, 0x18, ext_kib >> 8);
    rtc_set_cmos(rtc, 0x30, ext_kib & 0xff);
    rtc_set_cmos(rtc, 0x31, ext_kib >> 8);
    rtc_set_cmos(rtc, 0x34, above_16m & 0xff);          /* above 16 MiB, 64 KiB units */
    rtc_set_cmos(rtc, 0x35, above_16m >> 8);
    rtc_set_cmos(rtc, 0x5b, above_4g & 0xff);           /* above 4 GiB, 64 KiB units */
    rtc_set_cmos(rtc, 0x5c, (above_4g >> 8) & 0xff);
    rtc_set_cmos(rtc, 0x5d, above_4g >> 16);
    rtc_set_cmos(rtc, 0x5f, pcms->nr_cpus - 1);
}

static void pc_plan_cpus(PCMachineState *pcms, const PCBootEntry *e)
{
    MachineState *ms = &pcms->parent;
    X86Topology topo = {
        .sockets = ms->smp.sockets ? ms->smp.sockets : 1,
        .cores = ms->smp.cores ? ms->smp.cores : 1,
        .threads = ms->smp.threads ? ms->smp.threads : 1,
    };

    if (topo.sockets * topo.cores * topo.threads < pcms->nr_cpus) {
        /* No topology given: one core per socket. */
        topo.sockets = pcms->nr_cpus;
        topo.cores = topo.threads = 1;
    }
    for (unsigned i = 0; i < pcms->nr_cpus; i++) {
        X86CPU *x = &pcms->cpus[i];

        *x = (X86CPU) {
            .index = i,
            .apic_id = x86_apic_id_from_index(&topo, i),
            .bsp = i == 0,
            .topo = topo,
            .entry = i == 0 ? e->mode : X86_ENTRY_RESET,
            .eip = e->eip,
            .eax = e->eax,
            .ebx = e->ebx,
            .esi = e->esi,
            .esp = e->esp,
            .gdt_base = e->gdt_base,
            .gdt_limit = e->gdt_limit,
            .cr3 = e->cr3,
        };
    }
}

static bool pc_create_cpus(PCMachineState *pcms, GError **errp)
{
    for (unsigned i = 0; i < pcms->nr_cpus; i++) {
        if (!cpu_create(i, kvm_accel_ops(), &pcms->cpus[i], errp)) {
            return false;
        }
    }
    return true;
}

static void pc_cpu_reset(CPUState *cpu, void *data)
{
    kvm_cpu_reset(cpu);
}

/* Registered as a system reset handler: runs with the vCPUs paused. */
static void pc_reset(void *opaque)
{
    PCMachineState *pcms = opaque;
    g_autoptr(GError) err = NULL;

    kvm_reset_vm(kvm_state());
    /* The guest may have overwritten its kernel and tables: put them back. */
    if (!boot_blobs_write(address_space_memory(), pcms->blobs, &err)) {
        fprintf(stderr, "tern: pc: reset: %s\n", err->message);
    }
    for (unsigned i = 0; i < pcms->nr_cpus; i++) {
        CPUState *cpu = cpu_by_index(i);
        if (cpu) {
            run_on_cpu(cpu, pc_cpu_reset, NULL);
        }
    }
}

static bool pc_init(MachineState *ms, GError **errp)
{
    PCMachineState *pcms = (PCMachineState *)ms;
    PCBootEntry entry;

    if (!kvm_enabled()) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_UNSUPPORTED,
                    "machine 'pc' needs the kvm accelerator (-accel kvm)");
        return false;
    }
    if (!pc_map_ram(pcms, errp)) {
        return false;
    }
    pcms->nr_cpus = ms->smp.cpus ? ms->smp.cpus : 1;
    pcms->cpus = g_new0(X86CPU, pcms->nr_cpus);
    pcms->blobs = boot_blobs_new();
    pcms->gsi = kvm_irq_lines_new(kvm_state(), PC_NUM_GSIS);
    pcms->isa_bridge = isa_bridge_create(pcms->gsi, PC_NUM_GSIS, errp);
    if (!pcms->isa_bridge || !pc_create_devices(pcms, errp) ||
        !pc_create_pci(pcms, pcms->gsi, true, errp) || !pc_load_kernel(pcms, &entry, errp)) {
        return false;
    }
    pc_plan_cpus(pcms, &entry);
    if (!pc_build_acpi(pcms, errp) || !pc_fill_fw_cfg(pcms, errp) ||
        !boot_blobs_write(address_space_memory(), pcms->blobs, errp)) {
        return false;
    }
    pc_fill_cmos(pcms);
    if (!pc_create_cpus(pcms, errp)) {
        return false;
    }
    system_reset_register(pc_reset, pcms);
    return true;
}

static void pc_finalize(MachineState *ms)
{
    PCMachineState *pcms = (PCMachineState *)ms;

    system_reset_unregister(pc_reset, pcms);
    if (pcms->ram_mapped) {
        memory_region_del_subregion(get_system_memory(), &pcms->ram_below_4g);
        memory_region_destroy(&pcms->ram_below_4g);
        if (pcms->above_4g) {
            memory_region_del_subregion(get_system_memory(), &pcms->ram_above_4g);
            memory_region_destroy(&pcms->ram_above_4g);
        }
    }
    if (pcms->gsi) {
        irq_free_array(pcms->gsi, PC_NUM_GSIS);
    }
    /* The host bridge went with the device tree; its lines are ours. */
    if (pcms->pirq) {
        irq_free_array(pcms->pirq, PC_NUM_PIRQS);
    }
    if (pcms->blobs) {
        g_array_free(pcms->blobs, TRUE);
    }
    if (pcms->e820) {
        g_array_free(pcms->e820, TRUE);
    }
    g_free(pcms->cpus);
}

const MachineClass pc_machine_class = {
    .name = "pc",
    .desc = "Standard PC",
    .targets = TARGET_X86_64,
    .is_default = true,
    .default_ram_size = PC_DEFAULT_RAM,
    .min_cpus = 1,
    .max_cpus = PC_MAX_CPUS,
    .default_accel = "kvm",
    .instance_size = sizeof(PCMachineState),
    .init = pc_init,
    .instance_finalize = pc_finalize,
};

void hw_i386_register_machines(void)
{
    if (!machine_class_find(pc_machine_class.name)) {
        machine_class_register(&pc_machine_class);
    }
}

void hw_i386_register_devices(void)
{
    static const DeviceClass *const classes[] = {
        &isabus_bridge_class,
        &isa_serial_class,
        &isa_debug_exit_class,
        &isa_debugcon_class,
        &mc146818rtc_class,
        &i8042_class,
        &port92_class,
        &reset_control_class,   /* -device only: the PCI host decodes 0xcf9 */
        &acpi_pm_class,
        &pc_testdev_class,
    };

    for (size_t i = 0; i < G_N_ELEMENTS(classes); i++) {
        if (!device_class_find(classes[i]->name)) {
            device_class_register(classes[i]);
        }
    }
    fw_cfg_register_devices();
    /* The board's PCI host and the devices -device may put on pci.0. */
    hw_pci_register_devices();
    hw_virtio_register_devices();
}
