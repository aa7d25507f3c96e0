/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The "pc" machine, minimal for now: RAM from 0 up to 3 GiB (the rest above
 * 4 GiB, leaving the hole for devices and KVM's private pages), the
 * in-kernel PIC/IOAPIC/PIT under KVM, an ISA bus whose IRQs are the
 * irqchip's GSIs 0-15, a 16550A for each -serial (COM1 at 0x3f8 IRQ 4
 * first), and Multiboot kernels from -kernel. There is no firmware yet, so
 * -kernel is required; the BSP starts at the kernel's entry point and the
 * other vCPUs wait for INIT/SIPI.
 */
#include "accel/kvm/kvm.h"
#include "chardev/char.h"
#include "hw/char/serial.h"
#include "hw/i386/isa.h"
#include "hw/i386/pc.h"
#include "system/cpus.h"
#include "system/runstate.h"
#include "util/error.h"
#include "util/log.h"

#define PC_DEFAULT_RAM   (128ull << 20)
#define PC_MAX_CPUS      255    /* 8-bit xAPIC ids */

static bool pc_map_ram(PCMachineState *pcms, GError **errp)
{
    MachineState *ms = &pcms->parent;

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
    return true;
}

/* One UART per -serial, in order, on the COM1..COM4 ports. */
static bool pc_create_serials(PCMachineState *pcms, GError **errp)
{
    BusState *isa = isa_bridge_bus(pcms->isa_bridge);

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
    }
    return true;
}

static bool pc_load_kernel(PCMachineState *pcms, GError **errp)
{
    MachineState *ms = &pcms->parent;
    MultibootParams p = {
        .kernel = ms->kernel_filename,
        .cmdline = ms->kernel_cmdline,
        .modules = ms->initrd_filename,
        .below_4g = pcms->below_4g,
        .above_4g = pcms->above_4g,
    };

    if (!ms->kernel_filename) {
        if (ms->initrd_filename) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "-initrd needs -kernel");
        } else {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_UNSUPPORTED,
                        "machine 'pc' has no firmware yet: boot a Multiboot kernel "
                        "with -kernel");
        }
        return false;
    }
    return multiboot_prepare(&p, &pcms->boot, errp) &&
           multiboot_write(address_space_memory(), &pcms->boot, errp);
}

static bool pc_create_cpus(PCMachineState *pcms, GError **errp)
{
    MachineState *ms = &pcms->parent;
    X86Topology topo = {
        .sockets = ms->smp.sockets ? ms->smp.sockets : 1,
        .cores = ms->smp.cores ? ms->smp.cores : 1,
        .threads = ms->smp.threads ? ms->smp.threads : 1,
    };

    pcms->nr_cpus = ms->smp.cpus ? ms->smp.cpus : 1;
    if (topo.sockets * topo.cores * topo.threads < pcms->nr_cpus) {
        /* No topology given: one core per socket. */
        topo.sockets = pcms->nr_cpus;
        topo.cores = topo.threads = 1;
    }
    pcms->cpus = g_new0(X86CPU, pcms->nr_cpus);
    for (unsigned i = 0; i < pcms->nr_cpus; i++) {
        X86CPU *x = &pcms->cpus[i];

        *x = (X86CPU) {
            .index = i,
            .apic_id = x86_apic_id_from_index(&topo, i),
            .bsp = i == 0,
            .topo = topo,
            .entry = i == 0 ? X86_ENTRY_FLAT32 : X86_ENTRY_RESET,
            .eip = pcms->boot.entry,
            .eax = MULTIBOOT_BOOTLOADER_MAGIC,
            .ebx = pcms->boot.info_addr,
        };
        if (!cpu_create(i, kvm_accel_ops(), x, errp)) {
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
    /* The guest may have overwritten itself: put the image back. */
    if (!multiboot_write(address_space_memory(), &pcms->boot, &err)) {
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

    if (!kvm_enabled()) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_UNSUPPORTED,
                    "machine 'pc' needs the kvm accelerator (-accel kvm)");
        return false;
    }
    if (!pc_map_ram(pcms, errp)) {
        return false;
    }
    pcms->gsi = kvm_irq_lines_new(kvm_state(), PC_NUM_GSIS);
    pcms->isa_bridge = isa_bridge_create(pcms->gsi, errp);
    if (!pcms->isa_bridge || !pc_create_serials(pcms, errp) || !pc_load_kernel(pcms, errp) ||
        !pc_create_cpus(pcms, errp)) {
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
    multiboot_image_clear(&pcms->boot);
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
    };

    for (size_t i = 0; i < G_N_ELEMENTS(classes); i++) {
        if (!device_class_find(classes[i]->name)) {
            device_class_register(classes[i]);
        }
    }
}
