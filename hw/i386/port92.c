/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * port92: the PS/2 "system control port A" at 0x92.
 *
 * Interface:
 *  - I/O port 0x92: bit 0 resets the machine when written as 1 (fast
 *    reset), bit 1 is the fast A20 gate (always open under KVM here; the
 *    value is only kept for reads)
 */
#include "hw/i386/isa.h"
#include "hw/i386/pc.h"
#include "system/memory.h"
#include "system/runstate.h"
#include "util/log.h"

#define PORT92_RESET    0x01
#define PORT92_A20      0x02

typedef struct Port92State {
    DeviceState parent;
    MemoryRegion io;
    bool io_init;
    uint8_t value;
} Port92State;

static uint64_t port92_read(void *opaque, uint64_t addr, unsigned size)
{
    return ((Port92State *)opaque)->value;
}

static void port92_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    Port92State *s = opaque;

    s->value = val & PORT92_A20;
    if (val & PORT92_RESET) {
        log_mask(LOG_RESET, "port92: fast reset\n");
        request_reset(SHUTDOWN_CAUSE_GUEST_RESET);
    }
}

static const MemoryRegionOps port92_ops = {
    .read = port92_read,
    .write = port92_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
};

static bool port92_realize(DeviceState *dev, GError **errp)
{
    Port92State *s = (Port92State *)dev;

    memory_region_init_io(&s->io, &port92_ops, s, "port92", 1);
    s->io_init = true;
    device_pio_map(dev, device_init_pio(dev, &s->io), 0x92);
    return true;
}

static void port92_reset(DeviceState *dev)
{
    ((Port92State *)dev)->value = PORT92_A20;
}

static void port92_finalize(DeviceState *dev)
{
    Port92State *s = (Port92State *)dev;

    if (s->io_init) {
        memory_region_destroy(&s->io);
    }
}

const DeviceClass port92_class = {
    .name = "port92",
    .desc = "system control port A (fast reset, A20)",
    .instance_size = sizeof(Port92State),
    .category = DEVICE_CATEGORY_MISC,
    .bus_type = BUS_TYPE_ISA,
    .realize = port92_realize,
    .reset = port92_reset,
    .instance_finalize = port92_finalize,
};
