/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Arm PrimeCell RTC (PL031), device "pl031": a 32-bit seconds counter with a
 * match register and a level interrupt. The counter is the host's wall
 * clock (TERN_CLOCK_HOST) in seconds plus an offset the guest sets through
 * the load register; it is not reset with the machine, as a battery-backed
 * RTC is not. The match interrupt fires when the counter reaches MR: at
 * once if it already equals MR when MR or LR is written, otherwise from a
 * host-clock timer armed for that second.
 */
#include <inttypes.h>

#include "hw/rtc/pl031.h"
#include "system/memory.h"
#include "system/timer.h"
#include "util/error.h"
#include "util/log.h"

typedef struct PL031State {
    DeviceState parent;
    MemoryRegion mmio;
    IrqLine *irq;
    Timer *timer;
    int64_t offset;         /* counter - host seconds */
    uint32_t mr, lr, im, is;
} PL031State;

/* PeriphID0-3 (part 0x031, designer Arm, revision 1) and PCellID0-3. */
static const uint8_t pl031_id[8] = {
    0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1
};

static int64_t pl031_host_seconds(void)
{
    return clock_get_ns(TERN_CLOCK_HOST) / NS_PER_SEC;
}

static uint32_t pl031_count(PL031State *s)
{
    return (uint32_t)(pl031_host_seconds() + s->offset);
}

static void pl031_update_irq(PL031State *s)
{
    irq_set(s->irq, (s->is & s->im) != 0);
}

static void pl031_set_alarm(PL031State *s)
{
    int64_t now = pl031_host_seconds();
    uint32_t ticks = s->mr - (uint32_t)(now + s->offset);

    if (!ticks) {
        timer_del(s->timer);
        s->is = 1;
        pl031_update_irq(s);
        return;
    }
    timer_mod_ns(s->timer, (now + ticks) * NS_PER_SEC);
}

static void pl031_alarm(void *opaque)
{
    PL031State *s = opaque;

    if (pl031_count(s) == s->mr) {
        s->is = 1;
        pl031_update_irq(s);
    } else {
        pl031_set_alarm(s);     /* the host clock was stepped: aim again */
    }
}

static uint64_t pl031_read(void *opaque, uint64_t addr, unsigned size)
{
    PL031State *s = opaque;

    switch (addr) {
    case PL031_DR:
        return pl031_count(s);
    case PL031_MR:
        return s->mr;
    case PL031_LR:
        return s->lr;
    case PL031_CR:
        return 1;       /* always started */
    case PL031_IMSC:
        return s->im;
    case PL031_RIS:
        return s->is;
    case PL031_MIS:
        return s->is & s->im;
    case PL031_ICR:
        log_guest_error("pl031: read of write-only register ICR\n");
        return 0;
    }
    if (addr >= PL031_PERIPHID0 && addr <= 0xffc) {
        return pl031_id[(addr - PL031_PERIPHID0) >> 2];
    }
    log_guest_error("pl031: read of unknown offset 0x%03" PRIx64 "\n", addr);
    return 0;
}

static void pl031_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    PL031State *s = opaque;

    switch (addr) {
    case PL031_MR:
        s->mr = val;
        pl031_set_alarm(s);
        return;
    case PL031_LR:
        s->lr = val;
        s->offset = (int64_t)(uint32_t)val - pl031_host_seconds();
        pl031_set_alarm(s);
        return;
    case PL031_CR:
        return;         /* the counter cannot be stopped */
    case PL031_IMSC:
        s->im = val & 1;
        pl031_update_irq(s);
        return;
    case PL031_ICR:
        if (val & 1) {
            s->is = 0;
            pl031_update_irq(s);
        }
        return;
    }
    log_guest_error("pl031: write of 0x%" PRIx64 " to read-only or unknown offset 0x%03"
                    PRIx64 "\n", val, addr);
}

static const MemoryRegionOps pl031_ops = {
    .read = pl031_read,
    .write = pl031_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 4, .max_access_size = 4 },
};

static void pl031_instance_init(DeviceState *dev)
{
    PL031State *s = (PL031State *)dev;

    memory_region_init_io(&s->mmio, &pl031_ops, s, "pl031", PL031_MMIO_SIZE);
    device_init_mmio(dev, &s->mmio);
    device_init_irq(dev, &s->irq);
}

static bool pl031_realize(DeviceState *dev, GError **errp)
{
    PL031State *s = (PL031State *)dev;

    s->timer = timer_new_ns(TERN_CLOCK_HOST, pl031_alarm, s);
    return true;
}

static void pl031_reset(DeviceState *dev)
{
    PL031State *s = (PL031State *)dev;

    /* The time survives: only the alarm and the interrupt state are reset. */
    timer_del(s->timer);
    s->mr = 0;
    s->im = 0;
    s->is = 0;
    pl031_update_irq(s);
}

static void pl031_unrealize(DeviceState *dev)
{
    PL031State *s = (PL031State *)dev;

    timer_free(s->timer);
    s->timer = NULL;
}

static void pl031_finalize(DeviceState *dev)
{
    memory_region_destroy(&((PL031State *)dev)->mmio);
}

const DeviceClass pl031_device_class = {
    .name = TYPE_PL031,
    .desc = "Arm PrimeCell PL031 real-time clock",
    .instance_size = sizeof(PL031State),
    .category = DEVICE_CATEGORY_MISC,
    .bus_type = BUS_TYPE_SYSTEM,
    .user_creatable = false,
    .instance_init = pl031_instance_init,
    .realize = pl031_realize,
    .reset = pl031_reset,
    .unrealize = pl031_unrealize,
    .instance_finalize = pl031_finalize,
};

DeviceState *pl031_create(uint64_t addr, IrqLine *irq, GError **errp)
{
    DeviceState *dev;

    if (!device_class_find(pl031_device_class.name)) {
        device_class_register(&pl031_device_class);
    }
    dev = device_new(TYPE_PL031, errp);
    if (!dev) {
        return NULL;
    }
    if (!device_realize(dev, NULL, errp)) {
        device_free(dev);
        return NULL;
    }
    device_connect_irq(dev, 0, irq);
    device_mmio_map(dev, 0, addr);
    return dev;
}
