/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * isa-debug-exit: a test device that ends the emulator from the guest.
 *
 * Interface:
 *  - I/O region: iosize ports at iobase (default 0x501, 2 ports)
 *  - a write of value V ends Tern with exit status (V << 1) | 1, QEMU's
 *    convention, so a test can tell a guest-chosen code from a clean exit 0
 *  - reads return all ones
 */
#include "hw/core/device.h"
#include "hw/i386/isa.h"
#include "system/memory.h"
#include "system/runstate.h"
#include "util/error.h"
#include "util/log.h"

typedef struct DebugExitState {
    DeviceState parent;
    uint32_t iobase;
    uint32_t iosize;
    MemoryRegion io;
    bool io_init;
} DebugExitState;

static uint64_t debug_exit_read(void *opaque, uint64_t addr, unsigned size)
{
    return ~0ull;
}

static void debug_exit_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    log_mask(LOG_TRACE, "isa-debug-exit: write 0x%" G_GINT64_MODIFIER "x\n", val);
    set_exit_status((int)((val << 1) | 1));
    request_shutdown(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
}

static const MemoryRegionOps debug_exit_ops = {
    .read = debug_exit_read,
    .write = debug_exit_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
};

static bool debug_exit_realize(DeviceState *dev, GError **errp)
{
    DebugExitState *s = (DebugExitState *)dev;

    if (s->iosize == 0 || s->iosize > 0x10000 || s->iobase > 0x10000 - s->iosize) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "iobase 0x%x iosize 0x%x do not fit in the I/O space", s->iobase, s->iosize);
        return false;
    }
    memory_region_init_io(&s->io, &debug_exit_ops, s, "isa-debug-exit", s->iosize);
    s->io_init = true;
    device_pio_map(dev, device_init_pio(dev, &s->io), s->iobase);
    return true;
}

static void debug_exit_finalize(DeviceState *dev)
{
    DebugExitState *s = (DebugExitState *)dev;

    if (s->io_init) {
        memory_region_destroy(&s->io);
    }
}

static const Property debug_exit_props[] = {
    PROP_UINT32("iobase", DebugExitState, iobase, 0x501, "first I/O port"),
    PROP_UINT32("iosize", DebugExitState, iosize, 0x02, "number of ports"),
    PROP_END
};

const DeviceClass isa_debug_exit_class = {
    .name = "isa-debug-exit",
    .desc = "exit the emulator with (value << 1) | 1",
    .instance_size = sizeof(DebugExitState),
    .props = debug_exit_props,
    .category = DEVICE_CATEGORY_MISC,
    .bus_type = BUS_TYPE_ISA,
    .user_creatable = true,
    .realize = debug_exit_realize,
    .instance_finalize = debug_exit_finalize,
};
