/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The "virt" AArch64 board. It mirrors QEMU's virt memory map (the whole map
 * is in virt_memmap below) so that guests built for QEMU boot unchanged, but
 * instantiates only what Tern models: RAM at 1 GiB and the PL011 UART here,
 * the two CFI flash banks at 0 (-bios / -drive if=pflash), and the GIC, RTC,
 * GPIO, fw_cfg, virtio-mmio transports and the PCIe host in
 * virt-platform.c. Building the board is separate from creating the CPUs
 * (virt_board_build) so that unit tests exercise the whole build path
 * without an accelerator; the CPUs come from the provider the accelerator
 * installs (VirtCpuProvider), one per -smp, all reset to the boot info.
 */
#include <inttypes.h>
#include <string.h>

#include "block/block.h"
#include "block/drive.h"
#include "hw/arm/virt.h"
#include "hw/block/pflash.h"
#include "hw/char/pl011.h"
#include "system/memory.h"
#include "util/error.h"

#define GiB (1ull << 30)
#define MiB (1ull << 20)

const VirtMemMapEntry virt_memmap[VIRT_MEMMAP_COUNT] = {
    [VIRT_FLASH]            = { 0x00000000, 2 * VIRT_FLASH_BANK_SIZE, "flash" },
    [VIRT_CPUPERIPHS]       = { 0x08000000, 0x00020000, "cpu-peripherals" },
    [VIRT_GIC_DIST]         = { 0x08000000, 0x00010000, "gic-dist" },
    [VIRT_GIC_CPU]          = { 0x08010000, 0x00010000, "gic-cpu" },
    [VIRT_GIC_V2M]          = { 0x08020000, 0x00001000, "gic-v2m" },
    [VIRT_GIC_HYP]          = { 0x08030000, 0x00010000, "gic-hyp" },
    [VIRT_GIC_VCPU]         = { 0x08040000, 0x00010000, "gic-vcpu" },
    [VIRT_GIC_ITS]          = { 0x08080000, 0x00020000, "gic-its" },
    [VIRT_GIC_REDIST]       = { 0x080a0000, 0x00f60000, "gic-redist" },
    [VIRT_UART0]            = { 0x09000000, 0x00001000, "uart0" },
    [VIRT_RTC]              = { 0x09010000, 0x00001000, "rtc" },
    [VIRT_FW_CFG]           = { 0x09020000, 0x00000018, "fw-cfg" },
    [VIRT_GPIO]             = { 0x09030000, 0x00001000, "gpio" },
    [VIRT_UART1]            = { 0x09040000, 0x00001000, "uart1" },
    [VIRT_SMMU]             = { 0x09050000, 0x00020000, "smmu" },
    [VIRT_PCDIMM_ACPI]      = { 0x09070000, 0x00000018, "pcdimm-acpi" },
    [VIRT_ACPI_GED]         = { 0x09080000, 0x00000004, "acpi-ged" },
    [VIRT_NVDIMM_ACPI]      = { 0x09090000, 0x00000004, "nvdimm-acpi" },
    [VIRT_PVTIME]           = { 0x090a0000, 0x00010000, "pvtime" },
    [VIRT_SECURE_GPIO]      = { 0x090b0000, 0x00001000, "secure-gpio" },
    [VIRT_MMIO]             = { 0x0a000000, VIRT_MMIO_TRANSPORTS * VIRT_MMIO_TRANSPORT_SIZE,
                                "virtio-mmio" },
    [VIRT_PLATFORM_BUS]     = { 0x0c000000, 0x02000000, "platform-bus" },
    [VIRT_SECURE_MEM]       = { 0x0e000000, 0x01000000, "secure-mem" },
    [VIRT_PCIE_MMIO]        = { 0x10000000, 0x2eff0000, "pcie-mmio" },
    [VIRT_PCIE_PIO]         = { 0x3eff0000, 0x00010000, "pcie-pio" },
    [VIRT_PCIE_ECAM]        = { 0x3f000000, 0x01000000, "pcie-ecam" },
    [VIRT_MEM]              = { VIRT_RAM_BASE, VIRT_RAM_MAX, "ram" },
    [VIRT_HIGH_GIC_REDIST2] = { 0x4000000000ull, 0x04000000, "gic-redist2" },
    [VIRT_HIGH_PCIE_ECAM]   = { 0x4010000000ull, 0x10000000, "pcie-ecam-high" },
    [VIRT_HIGH_PCIE_MMIO]   = { 0x8000000000ull, 0x8000000000ull, "pcie-mmio-high" },
};

static VirtMachineState *virt_machine(MachineState *ms)
{
    g_assert(ms->klass == &virt_machine_class);
    return (VirtMachineState *)ms;
}

/*
 * Two banks of 64 MiB, 256 KiB erase blocks, 4 bytes wide (two x16 chips):
 * flash0 holds the firmware (-bios, or -drive if=pflash,unit=0), flash1 the
 * firmware's variables (-drive if=pflash,unit=1). -bios is copied into an
 * anonymous bank (the rest zeros, as QEMU pads it), so the file itself is
 * never written.
 */
static bool virt_create_flash(VirtMachineState *vms, GError **errp)
{
    MachineState *ms = &vms->parent;
    BlockBackend *blk0 = drive_find("pflash0"), *blk1 = drive_find("pflash1");
    uint32_t blocks = VIRT_FLASH_BANK_SIZE / VIRT_FLASH_SECTOR_SIZE;
    g_autofree char *image = NULL;
    gsize len = 0;
    GError *local = NULL;

    if (ms->firmware && blk0) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "-bios '%s': flash0 is already given by -drive if=pflash,unit=0",
                    ms->firmware);
        return false;
    }
    if (ms->firmware) {
        if (!g_file_get_contents(ms->firmware, &image, &len, &local)) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_IO, "-bios '%s': %s", ms->firmware,
                        local->message);
            g_error_free(local);
            return false;
        }
        if (len > VIRT_FLASH_BANK_SIZE) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                        "-bios '%s': %" G_GSIZE_FORMAT " bytes do not fit in the 64 MiB flash",
                        ms->firmware, len);
            return false;
        }
    }
    for (int i = 0; i < 2; i++) {
        g_autofree char *name = g_strdup_printf("virt.flash%d", i);

        vms->flash[i] = pflash_cfi01_create(name, virt_memmap[VIRT_FLASH].base +
                                            i * VIRT_FLASH_BANK_SIZE, i ? blk1 : blk0,
                                            blocks, VIRT_FLASH_SECTOR_SIZE,
                                            VIRT_FLASH_WIDTH, 2, errp);
        if (!vms->flash[i]) {
            g_prefix_error(errp, "-drive if=pflash,unit=%d: ", i);
            return false;
        }
    }
    if (image) {
        memcpy(pflash_cfi01_storage(vms->flash[0]), image, len);
    }
    vms->firmware_boot = (ms->firmware || blk0) && !ms->kernel_filename;
    return true;
}

/* The CPUs' view of the boot: firmware starts at 0 with X0 = 0 and finds the DTB at RAM start. */
static const ArmBootInfo *virt_cpu_boot(VirtMachineState *vms)
{
    vms->cpu_boot = vms->boot;
    if (vms->firmware_boot) {
        vms->cpu_boot.entry = virt_memmap[VIRT_FLASH].base;
        vms->cpu_boot.dtb_addr = 0;
    }
    return &vms->cpu_boot;
}

bool virt_board_build(MachineState *ms, GError **errp)
{
    VirtMachineState *vms = virt_machine(ms);
    ArmBootConfig cfg = { 0 };
    Chardev *serial0;

    if (!ms->ram_size) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "-m: the virt board needs some RAM");
        return false;
    }
    if (ms->ram_size > VIRT_RAM_MAX) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "-m: the virt board supports at most %" PRIu64 " GiB of RAM",
                    (uint64_t)(VIRT_RAM_MAX / GiB));
        return false;
    }
    if (!virt_create_flash(vms, errp)) {
        return false;
    }
    if (!machine_map_ram(ms, get_system_memory(), virt_memmap[VIRT_MEM].base, errp)) {
        return false;
    }

    /* The GIC, RTC, GPIO, fw_cfg, virtio-mmio and PCIe (virt-platform.c). */
    if (!virt_platform_build(vms, errp)) {
        return false;
    }
    serial0 = chardev_find("serial0");
    vms->uart0 = pl011_create(virt_memmap[VIRT_UART0].base, virt_spi(vms, VIRT_IRQ_UART0),
                              serial0, serial0 ? "serial0" : NULL, errp);
    if (!vms->uart0) {
        return false;
    }

    cfg.kernel = ms->kernel_filename;
    cfg.initrd = ms->initrd_filename;
    cfg.dtb = ms->dtb;
    cfg.cmdline = ms->kernel_cmdline;
    cfg.ram_base = virt_memmap[VIRT_MEM].base;
    cfg.ram_size = ms->ram_size;
    return arm_boot_load(&vms->boot, &cfg, address_space_memory(), errp) &&
           virt_platform_load_dtb(vms, errp);
}

const ArmBootInfo *virt_boot_info(MachineState *ms)
{
    return &virt_machine(ms)->boot;
}

/* Installed by the accelerator that runs AArch64 CPUs (a class registry). */
static const VirtCpuProvider *virt_cpu_provider;

void virt_set_cpu_provider(const VirtCpuProvider *p)
{
    virt_cpu_provider = p;
}

static bool virt_init(MachineState *ms, GError **errp)
{
    if (!virt_board_build(ms, errp)) {
        return false;
    }
    if (virt_machine(ms)->dumpdtb) {
        return virt_platform_dumpdtb(virt_machine(ms), errp);
    }
    if (!virt_cpu_provider) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_UNSUPPORTED,
                    "-machine virt: the AArch64 CPU is not supported yet");
        return false;
    }
    return virt_cpu_provider->create_cpus(ms, virt_cpu_boot(virt_machine(ms)), errp);
}

static void virt_reset(MachineState *ms)
{
    VirtMachineState *vms = virt_machine(ms);
    GError *err = NULL;

    bus_reset(sysbus_get());
    /* Only RAM is written, and it was written once already: this cannot fail. */
    if (!arm_boot_reload(&vms->boot, address_space_memory(), &err)) {
        g_error("virt: %s", err->message);
    }
    if (virt_cpu_provider) {
        virt_cpu_provider->reset_cpus(ms, virt_cpu_boot(vms));
    }
}

static void virt_finalize(MachineState *ms)
{
    arm_boot_info_clear(&virt_machine(ms)->boot);
    virt_platform_finalize(virt_machine(ms));
}

/* The models target/arm registers (arm_cpu_models); -cpu help lists them. */
static const char *const virt_cpu_types[] = { "cortex-a57", "cortex-a72", "max", NULL };

const MachineClass virt_machine_class = {
    .name = "virt",
    .desc = "Tern ARM Virtual Machine",
    .targets = TARGET_AARCH64,
    .is_default = true,
    .default_ram_size = 128 * MiB,
    .min_cpus = 1,
    .max_cpus = 512,            /* QEMU's limit with GICv3 */
    .default_cpu_type = "max",
    .valid_cpu_types = virt_cpu_types,
    .default_accel = "tcg",
    .instance_size = sizeof(VirtMachineState),
    .props = virt_machine_props,
    .init = virt_init,
    .reset = virt_reset,
    .instance_finalize = virt_finalize,
};

void hw_arm_register_machines(void)
{
    if (!machine_class_find(virt_machine_class.name)) {
        machine_class_register(&virt_machine_class);
    }
}

void hw_arm_register_devices(void)
{
    if (!device_class_find(pflash_cfi01_device_class.name)) {
        device_class_register(&pflash_cfi01_device_class);
    }
    if (!device_class_find(pl011_device_class.name)) {
        device_class_register(&pl011_device_class);
    }
    virt_platform_register_devices();
}
