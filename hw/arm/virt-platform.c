/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The platform devices of the virt board and its -machine options, kept out
 * of virt.c so the board file stays about RAM, images and CPUs: the GIC
 * (v3 by default, v2 + GICv2m with gic-version=2), PL031 RTC, PL061 GPIO
 * with the power button on pin 3, fw_cfg, the 32 virtio-mmio transports and
 * the generic ECAM PCIe host, all at QEMU's addresses and SPIs
 * (include/hw/arm/virt.h); then the device tree the guest gets: generated
 * (virt-fdt.c), or the user's -dtb with /chosen patched.
 */
#include <inttypes.h>

#include "hw/arm/virt-fdt.h"
#include "hw/arm/virt.h"
#include "hw/gpio/pl061.h"
#include "hw/intc/arm_gic.h"
#include "hw/nvram/fw_cfg.h"
#include "hw/pci/pci.h"
#include "hw/pci/pci_host.h"
#include "hw/rtc/pl031.h"
#include "hw/virtio/virtio-mmio.h"
#include "hw/virtio/virtio.h"
#include "system/cpus.h"
#include "system/runstate.h"
#include "util/error.h"

#define GiB (1ull << 30)

static const char *const virt_gic_version_names[] = { "2", "3", "host", "max", NULL };

const Property virt_machine_props[] = {
    PROP_ENUM("gic-version", VirtMachineState, gic_version, VIRT_GIC_VERSION_3,
              virt_gic_version_names, "GIC version: 2, 3, host or max (host and max mean 3)"),
    PROP_BOOL("highmem", VirtMachineState, highmem, true,
              "devices above 4 GiB (PCIe 64-bit window and high ECAM, more redistributors)"),
    PROP_BOOL("secure", VirtMachineState, secure, false,
              "emulate the Security Extensions (EL3); not supported yet"),
    PROP_BOOL("virtualization", VirtMachineState, virtualization, false,
              "emulate the Virtualization Extensions (EL2); not supported yet"),
    PROP_STRING("dumpdtb", VirtMachineState, dumpdtb, NULL,
                "write the device tree to this file and exit"),
    PROP_END
};

int virt_gic_revision(const VirtMachineState *vms)
{
    return vms->gic_version == VIRT_GIC_VERSION_2 ? 2 : 3;
}

uint64_t virt_cpu_mp_affinity(int n)
{
    return ((uint64_t)(n / 16) << 8) | (n % 16);
}

IrqLine *virt_spi(VirtMachineState *vms, int n)
{
    return vms->gic ? arm_gic_spi(vms->gic, n) : NULL;
}

static bool virt_check_options(VirtMachineState *vms, GError **errp)
{
    MachineState *ms = &vms->parent;
    uint32_t cpus = ms->smp.cpus;

    if (vms->secure) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_UNSUPPORTED,
                    "-machine virt,secure=on: EL3 is not supported yet");
        return false;
    }
    if (vms->virtualization) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_UNSUPPORTED,
                    "-machine virt,virtualization=on: EL2 is not supported yet");
        return false;
    }
    if (virt_gic_revision(vms) == 2 && cpus > GICV2_MAX_CPUS) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "-smp %u: the virt board with gic-version=2 supports at most %d CPUs",
                    cpus, GICV2_MAX_CPUS);
        return false;
    }
    if (virt_gic_revision(vms) == 3 && !vms->highmem && cpus > VIRT_GICV3_LOW_REDIST_CPUS) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "-smp %u: the virt board with highmem=off supports at most %d CPUs",
                    cpus, VIRT_GICV3_LOW_REDIST_CPUS);
        return false;
    }
    if (!vms->highmem && ms->ram_size > 3 * GiB) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "-m: the virt board with highmem=off supports at most 3 GiB of RAM");
        return false;
    }
    return true;
}

static bool virt_create_gic(VirtMachineState *vms, GError **errp)
{
    uint32_t cpus = vms->parent.smp.cpus;

    if (virt_gic_revision(vms) == 3) {
        g_autofree uint64_t *aff = g_new(uint64_t, cpus);
        uint32_t low = MIN(cpus, (uint32_t)VIRT_GICV3_LOW_REDIST_CPUS);
        GICv3Config cfg = {
            .num_cpu = cpus,
            .cpu_affinity = aff,
            .dist_base = virt_memmap[VIRT_GIC_DIST].base,
            .redist_base = { virt_memmap[VIRT_GIC_REDIST].base,
                             virt_memmap[VIRT_HIGH_GIC_REDIST2].base },
            .redist_count = { low, cpus - low },
        };
        GICv3State *gic;

        for (uint32_t i = 0; i < cpus; i++) {
            aff[i] = virt_cpu_mp_affinity(i);
        }
        gic = gicv3_create(&cfg, errp);
        vms->gic = gic ? gicv3_device(gic) : NULL;
    } else {
        GICv2Config cfg = {
            .num_cpu = cpus,
            .dist_base = virt_memmap[VIRT_GIC_DIST].base,
            .cpu_base = virt_memmap[VIRT_GIC_CPU].base,
            .v2m_base = virt_memmap[VIRT_GIC_V2M].base,
            .v2m_spi_base = GIC_INTERNAL + VIRT_IRQ_GIC_V2M,
            .v2m_spi_count = VIRT_GICV2M_SPIS,
        };
        GICv2State *gic = gicv2_create(&cfg, errp);

        vms->gic = gic ? gicv2_device(gic) : NULL;
    }
    return vms->gic != NULL;
}

static bool virt_create_pcie(VirtMachineState *vms, GError **errp)
{
    PCIHostECAMConfig cfg = { 0 };
    int ecam = vms->highmem ? VIRT_HIGH_PCIE_ECAM : VIRT_PCIE_ECAM;

    cfg.ecam_base = virt_memmap[ecam].base;
    cfg.ecam_size = virt_memmap[ecam].size;
    cfg.mmio32_base = virt_memmap[VIRT_PCIE_MMIO].base;
    cfg.mmio32_size = virt_memmap[VIRT_PCIE_MMIO].size;
    if (vms->highmem) {
        cfg.mmio64_base = virt_memmap[VIRT_HIGH_PCIE_MMIO].base;
        cfg.mmio64_size = virt_memmap[VIRT_HIGH_PCIE_MMIO].size;
    }
    cfg.pio_base = virt_memmap[VIRT_PCIE_PIO].base;
    cfg.pio_size = virt_memmap[VIRT_PCIE_PIO].size;
    for (int i = 0; i < 4; i++) {
        cfg.irqs[i] = virt_spi(vms, VIRT_IRQ_PCIE + i);
    }
    vms->pci_bus = pci_host_ecam_create(&cfg, errp);
    return vms->pci_bus != NULL;
}

/*
 * The 32 transports are created lowest address first, so their buses are
 * virtio-mmio-bus.0 (0x0a000000) to .31 as in QEMU. QEMU's bus keeps its
 * children newest first, so a -device virtio-X-device without bus= takes
 * the free transport with the HIGHEST address; listing them here in that
 * order makes the first-free-bus search (breadth-first, in child order)
 * do the same.
 */
static bool virt_create_virtio_mmio(VirtMachineState *vms, GError **errp)
{
    BusState *sysbus = sysbus_get();

    for (int i = 0; i < VIRT_MMIO_TRANSPORTS; i++) {
        vms->virtio_mmio[i] = virtio_mmio_create(virt_memmap[VIRT_MMIO].base +
                                                 (uint64_t)i * VIRT_MMIO_TRANSPORT_SIZE,
                                                 virt_spi(vms, VIRT_IRQ_MMIO + i), errp);
        if (!vms->virtio_mmio[i]) {
            return false;
        }
    }
    for (int i = VIRT_MMIO_TRANSPORTS - 1; i >= 0; i--) {
        bus_detach_child(sysbus, vms->virtio_mmio[i]);
        bus_attach_child(sysbus, vms->virtio_mmio[i]);
    }
    return true;
}

/* GIC output -> CPU: n is the CPU_INTERRUPT_* bit, opaque the CPUState. */
static void virt_cpu_irq(void *opaque, int n, int level)
{
    if (level) {
        cpu_interrupt(opaque, n);
    } else {
        cpu_reset_interrupt(opaque, n);
    }
}

void virt_wire_cpu(VirtMachineState *vms, int index, CPUState *cs)
{
    IrqLine *irq, *fiq;

    if (!vms->gic) {
        return;
    }
    if (!vms->cpu_lines) {
        vms->cpu_lines = g_ptr_array_new_with_free_func((GDestroyNotify)irq_free);
    }
    irq = irq_new(virt_cpu_irq, cs, CPU_INTERRUPT_HARD);
    fiq = irq_new(virt_cpu_irq, cs, CPU_INTERRUPT_FIQ);
    g_ptr_array_add(vms->cpu_lines, irq);
    g_ptr_array_add(vms->cpu_lines, fiq);
    arm_gic_connect_cpu(vms->gic, index, irq, fiq);
}

bool virt_platform_build(VirtMachineState *vms, GError **errp)
{
    MachineState *ms = &vms->parent;

    if (!virt_check_options(vms, errp) || !virt_create_gic(vms, errp)) {
        return false;
    }
    vms->rtc = pl031_create(virt_memmap[VIRT_RTC].base, virt_spi(vms, VIRT_IRQ_RTC), errp);
    if (!vms->rtc) {
        return false;
    }
    vms->gpio = pl061_create(virt_memmap[VIRT_GPIO].base, virt_spi(vms, VIRT_IRQ_GPIO), errp);
    if (!vms->gpio) {
        return false;
    }
    pl061_attach_power_button(vms->gpio, 3);
    vms->fw_cfg = fw_cfg_init_mmio(virt_memmap[VIRT_FW_CFG].base, errp);
    if (!vms->fw_cfg) {
        return false;
    }
    fw_cfg_add_i16(vms->fw_cfg, FW_CFG_NB_CPUS, ms->smp.cpus);
    fw_cfg_add_i16(vms->fw_cfg, FW_CFG_MAX_CPUS, ms->smp.maxcpus ? ms->smp.maxcpus
                                                                 : ms->smp.cpus);
    fw_cfg_add_i64(vms->fw_cfg, FW_CFG_RAM_SIZE, ms->ram_size);
    return virt_create_virtio_mmio(vms, errp) && virt_create_pcie(vms, errp);
}

bool virt_platform_load_dtb(VirtMachineState *vms, GError **errp)
{
    const ArmBootInfo *boot = &vms->boot;
    GBytes *fdt;

    if (vms->parent.dtb) {
        /* arm_boot_load validated and placed the file; keep its content. */
        fdt = virt_fdt_patch_chosen(arm_boot_get_dtb(boot), boot->cmdline,
                                    boot->initrd_start, boot->initrd_size, errp);
        if (!fdt) {
            g_prefix_error(errp, "-dtb '%s': ", vms->parent.dtb);
        }
    } else {
        fdt = virt_fdt_build(vms, errp);
    }
    if (!fdt) {
        return false;
    }
    if (vms->fdt) {
        g_bytes_unref(vms->fdt);
    }
    vms->fdt = fdt;
    return arm_boot_set_dtb(&vms->boot, fdt, address_space_memory(), errp);
}

bool virt_platform_dumpdtb(VirtMachineState *vms, GError **errp)
{
    if (!virt_fdt_dump(vms->fdt, vms->dumpdtb, errp)) {
        return false;
    }
    /* QEMU exits with status 0 once the tree is written; main does it here. */
    set_exit_status(0);
    request_shutdown(SHUTDOWN_CAUSE_HOST_SIGNAL);
    return true;
}

void virt_platform_finalize(VirtMachineState *vms)
{
    if (vms->fdt) {
        g_bytes_unref(vms->fdt);
        vms->fdt = NULL;
    }
    if (vms->cpu_lines) {
        g_ptr_array_unref(vms->cpu_lines);
        vms->cpu_lines = NULL;
    }
}

void virt_platform_register_devices(void)
{
    arm_gic_register_devices();
    if (!device_class_find(pl031_device_class.name)) {
        device_class_register(&pl031_device_class);
    }
    if (!device_class_find(pl061_device_class.name)) {
        device_class_register(&pl061_device_class);
    }
    fw_cfg_register_devices();
    hw_virtio_register_devices();
    hw_pci_register_devices();
}
