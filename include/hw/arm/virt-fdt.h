/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The flattened device tree of the virt board, laid out as QEMU's virt
 * lays it out so that Linux finds the same nodes: /cpus, /memory, /psci,
 * /timer, the GIC (/intc), the PL011, PL031, PL061 + gpio-keys power
 * button, fw_cfg, the 32 virtio-mmio transports, the generic ECAM PCIe
 * host, and /chosen (bootargs, initrd, stdout-path, random seeds). Only
 * devices the board built appear.
 */
#ifndef HW_ARM_VIRT_FDT_H
#define HW_ARM_VIRT_FDT_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "hw/arm/virt.h"

/* The phandles the tree uses (fixed, as QEMU's are stable per layout). */
enum {
    VIRT_FDT_PHANDLE_GIC = 0x8001,
    VIRT_FDT_PHANDLE_V2M = 0x8002,
    VIRT_FDT_PHANDLE_CLK = 0x8000,
    VIRT_FDT_PHANDLE_GPIO = 0x8003,
};

/* Device-tree interrupt specifier words of the Arm GIC binding. */
#define VIRT_FDT_GIC_SPI            0
#define VIRT_FDT_GIC_PPI            1
#define VIRT_FDT_IRQ_EDGE_RISING    1
#define VIRT_FDT_IRQ_LEVEL_HIGH     4

/*
 * The generated tree for vms after virt_board_build has created its
 * devices; the boot info gives bootargs and the initrd. Errors name the
 * libfdt failure.
 */
GBytes *virt_fdt_build(VirtMachineState *vms, GError **errp);

/*
 * A copy of the user's tree (-dtb) with /chosen made to carry bootargs
 * (when cmdline is not NULL) and linux,initrd-start/end (when initrd_size
 * is not 0), as QEMU patches a -dtb. Fails on a tree libfdt rejects.
 */
GBytes *virt_fdt_patch_chosen(GBytes *fdt, const char *cmdline, uint64_t initrd_start,
                              uint64_t initrd_size, GError **errp);

/* -machine dumpdtb=FILE: write the tree. */
bool virt_fdt_dump(GBytes *fdt, const char *path, GError **errp);

#endif
