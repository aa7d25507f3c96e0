/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * isa-debugcon: Bochs/QEMU debug console, one output-only I/O port.
 *
 * Interface:
 *  - I/O port iobase (default 0xe9): each byte written goes to the chardev
 *  - reads return readback (default 0xe9), which lets a guest detect the
 *    port the way it detects Bochs's
 */
#include "chardev/char.h"
#include "hw/i386/isa.h"
#include "hw/i386/pc.h"
#include "system/memory.h"
#include "util/error.h"

typedef struct DebugconState {
    DeviceState parent;
    uint32_t iobase;
    uint32_t readback;
    Chardev *chr;
    CharFrontend fe;
    MemoryRegion io;
    bool io_init;
} DebugconState;

static uint64_t debugcon_read(void *opaque, uint64_t addr, unsigned size)
{
    return ((DebugconState *)opaque)->readback;
}

static void debugcon_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    DebugconState *s = opaque;
    uint8_t c = (uint8_t)val;

    if (s->fe.chr) {
        char_fe_write(&s->fe, &c, 1);
    }
}

static const MemoryRegionOps debugcon_ops = {
    .read = debugcon_read,
    .write = debugcon_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
};

static bool debugcon_realize(DeviceState *dev, GError **errp)
{
    DebugconState *s = (DebugconState *)dev;

    if (s->iobase > 0xffff) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "iobase 0x%x is out of range",
                    s->iobase);
        return false;
    }
    if (s->chr && !char_fe_init(&s->fe, s->chr, errp)) {
        return false;
    }
    memory_region_init_io(&s->io, &debugcon_ops, s, "isa-debugcon", 1);
    s->io_init = true;
    device_pio_map(dev, device_init_pio(dev, &s->io), s->iobase);
    return true;
}

static void debugcon_unrealize(DeviceState *dev)
{
    DebugconState *s = (DebugconState *)dev;

    if (s->fe.chr) {
        char_fe_deinit(&s->fe);
    }
}

static void debugcon_finalize(DeviceState *dev)
{
    DebugconState *s = (DebugconState *)dev;

    if (s->io_init) {
        memory_region_destroy(&s->io);
    }
}

static const Property debugcon_props[] = {
    PROP_UINT32("iobase", DebugconState, iobase, 0xe9, "I/O port"),
    PROP_CHARDEV("chardev", DebugconState, chr, "where the bytes go"),
    PROP_UINT32("readback", DebugconState, readback, 0xe9, "value reads return"),
    PROP_END
};

const DeviceClass isa_debugcon_class = {
    .name = "isa-debugcon",
    .desc = "ISA debug console (port 0xe9)",
    .instance_size = sizeof(DebugconState),
    .props = debugcon_props,
    .category = DEVICE_CATEGORY_MISC,
    .bus_type = BUS_TYPE_ISA,
    .user_creatable = true,
    .realize = debugcon_realize,
    .unrealize = debugcon_unrealize,
    .instance_finalize = debugcon_finalize,
};
