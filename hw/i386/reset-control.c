/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pc-reset-control: the chipset's reset control register at 0xcf9 (PIIX3
 * RCR), also the FADT's ACPI reset register.
 *
 * Interface:
 *  - I/O port 0xcf9, byte accesses: bit 2 (RST_CPU) set resets the
 *    machine; bit 1 (SYS_RST, hard vs soft) is kept for reads. Both kinds
 *    are a full system reset here. Mapped over the PCI configuration
 *    address register (0xcf8-0xcfb) with a higher priority, as on PIIX.
 */
#include "hw/i386/isa.h"
#include "hw/i386/pc.h"
#include "system/memory.h"
#include "system/runstate.h"
#include "util/log.h"

#define RCR_SYS_RST     0x02
#define RCR_RST_CPU     0x04

typedef struct ResetControlState {
    DeviceState parent;
    MemoryRegion io;
    bool io_init;
    uint8_t rcr;
} ResetControlState;

static uint64_t reset_control_read(void *opaque, uint64_t addr, unsigned size)
{
    return ((ResetControlState *)opaque)->rcr;
}

static void reset_control_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    ResetControlState *s = opaque;

    s->rcr = val & RCR_SYS_RST;
    if (val & RCR_RST_CPU) {
        log_mask(LOG_RESET, "reset-control: %s reset\n", val & RCR_SYS_RST ? "hard" : "soft");
        request_reset(SHUTDOWN_CAUSE_GUEST_RESET);
    }
}

static const MemoryRegionOps reset_control_ops = {
    .read = reset_control_read,
    .write = reset_control_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
};

static bool reset_control_realize(DeviceState *dev, GError **errp)
{
    ResetControlState *s = (ResetControlState *)dev;

    memory_region_init_io(&s->io, &reset_control_ops, s, "reset-control", 1);
    s->io_init = true;
    memory_region_add_subregion_overlap(get_system_io(), PC_RESET_CONTROL_PORT, &s->io, 1);
    return true;
}

static void reset_control_unrealize(DeviceState *dev)
{
    ResetControlState *s = (ResetControlState *)dev;

    if (s->io_init) {
        memory_region_del_subregion(get_system_io(), &s->io);
    }
}

static void reset_control_reset(DeviceState *dev)
{
    ((ResetControlState *)dev)->rcr = 0;
}

static void reset_control_finalize(DeviceState *dev)
{
    ResetControlState *s = (ResetControlState *)dev;

    if (s->io_init) {
        memory_region_destroy(&s->io);
    }
}

const DeviceClass reset_control_class = {
    .name = "pc-reset-control",
    .desc = "reset control register (0xcf9)",
    .instance_size = sizeof(ResetControlState),
    .category = DEVICE_CATEGORY_MISC,
    .bus_type = BUS_TYPE_ISA,
    .realize = reset_control_realize,
    .reset = reset_control_reset,
    .unrealize = reset_control_unrealize,
    .instance_finalize = reset_control_finalize,
};
