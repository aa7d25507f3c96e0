/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Arm PrimeCell GPIO (PL061), device "pl061". Each of the eight pins is an
 * input (its level comes from gpio input n) or an output (GPIODIR bit set:
 * the guest's data drives gpio output n). Interrupts: level-sensitive pins
 * (GPIOIS) show in GPIORIS while the pin is at the GPIOIEV level;
 * edge-sensitive pins latch on the selected edge (or both, GPIOIBE) until
 * cleared through GPIOIC. The combined line is high while RIS & IE != 0.
 * GPIOAFSEL is stored only: no pin has a hardware alternate function here.
 */
#include <inttypes.h>

#include "hw/gpio/pl061.h"
#include "system/memory.h"
#include "system/runstate.h"
#include "system/timer.h"
#include "util/error.h"
#include "util/log.h"

typedef struct PL061Button PL061Button;

typedef struct PL061State {
    DeviceState parent;
    MemoryRegion mmio;
    IrqLine *irq;
    IrqLine *out[PL061_NUM_PINS];
    uint8_t in;                 /* levels driven from outside */
    uint8_t data;               /* the guest's output data */
    uint8_t old_pins;           /* pin levels at the last update, for edges */
    uint8_t out_level;          /* what the outputs were last driven to */
    uint8_t dir, is, ibe, iev, ie, ris, afsel;
    /* power button */
    PL061Button *button;
    Timer *release;
} PL061State;

/*
 * The power-down hook outlives the device (runstate has no way to remove
 * it), so it points at this small record, which the device clears when it
 * goes away.
 */
struct PL061Button {
    PL061State *s;
    int pin;
};

/* PeriphID0-3 (part 0x061, designer Arm, revision 1) and PCellID0-3. */
static const uint8_t pl061_id[8] = {
    0x61, 0x10, 0x04, 0x00, 0x0d, 0xf0, 0x05, 0xb1
};

static uint8_t pl061_pins(const PL061State *s)
{
    return (s->data & s->dir) | (s->in & ~s->dir);
}

static void pl061_update(PL061State *s)
{
    uint8_t pins = pl061_pins(s);
    uint8_t changed = pins ^ s->old_pins;
    uint8_t rising = changed & pins, falling = changed & ~pins;
    uint8_t edge = ~s->is;
    uint8_t out = s->data & s->dir;

    s->ris |= edge & ((s->ibe & changed) |
                      (~s->ibe & ((s->iev & rising) | (~s->iev & falling))));
    /* Level pins: RIS follows the pin being at the IEV level. */
    s->ris = (s->ris & edge) | (s->is & ~(pins ^ s->iev));
    s->old_pins = pins;

    for (int i = 0; i < PL061_NUM_PINS; i++) {
        uint8_t bit = 1u << i;

        if ((out ^ s->out_level) & bit) {
            irq_set(s->out[i], (out & bit) != 0);
        }
    }
    s->out_level = out;
    irq_set(s->irq, (s->ris & s->ie) != 0);
}

static uint64_t pl061_read(void *opaque, uint64_t addr, unsigned size)
{
    PL061State *s = opaque;

    if (addr < PL061_DIR) {
        return pl061_pins(s) & (addr >> 2);
    }
    switch (addr) {
    case PL061_DIR:
        return s->dir;
    case PL061_IS:
        return s->is;
    case PL061_IBE:
        return s->ibe;
    case PL061_IEV:
        return s->iev;
    case PL061_IE:
        return s->ie;
    case PL061_RIS:
        return s->ris;
    case PL061_MIS:
        return s->ris & s->ie;
    case PL061_AFSEL:
        return s->afsel;
    case PL061_IC:
        log_guest_error("pl061: read of write-only register GPIOIC\n");
        return 0;
    }
    if (addr >= PL061_PERIPHID0 && addr <= 0xffc) {
        return pl061_id[(addr - PL061_PERIPHID0) >> 2];
    }
    log_guest_error("pl061: read of unknown offset 0x%03" PRIx64 "\n", addr);
    return 0;
}

static void pl061_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    PL061State *s = opaque;
    uint8_t v = val;

    if (addr < PL061_DIR) {
        uint8_t mask = (addr >> 2) & s->dir;

        s->data = (s->data & ~mask) | (v & mask);
        pl061_update(s);
        return;
    }
    switch (addr) {
    case PL061_DIR:
        s->dir = v;
        break;
    case PL061_IS:
        s->is = v;
        break;
    case PL061_IBE:
        s->ibe = v;
        break;
    case PL061_IEV:
        s->iev = v;
        break;
    case PL061_IE:
        s->ie = v;
        break;
    case PL061_IC:
        s->ris &= ~v;
        break;
    case PL061_AFSEL:
        s->afsel = v;
        break;
    default:
        log_guest_error("pl061: write of 0x%" PRIx64 " to read-only or unknown offset 0x%03"
                        PRIx64 "\n", val, addr);
        return;
    }
    pl061_update(s);
}

static const MemoryRegionOps pl061_ops = {
    .read = pl061_read,
    .write = pl061_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 4, .max_access_size = 4 },
};

static void pl061_set_input(void *opaque, int n, int level)
{
    PL061State *s = opaque;

    s->in = level ? s->in | (1u << n) : s->in & ~(1u << n);
    pl061_update(s);
}

/* ---- power button ---- */

static void pl061_button_release(void *opaque)
{
    PL061State *s = opaque;

    pl061_set_input(s, s->button->pin, 0);
}

static void pl061_button_press(void *opaque)
{
    PL061Button *b = opaque;
    PL061State *s = b->s;

    if (!s) {
        return;     /* the device is gone */
    }
    pl061_set_input(s, b->pin, 1);
    timer_mod_in_ns(s->release, PL061_POWER_BUTTON_NS);
}

void pl061_attach_power_button(DeviceState *dev, int pin)
{
    PL061State *s = (PL061State *)dev;

    g_assert(device_is_a(dev, TYPE_PL061) && dev->realized);
    g_assert(pin >= 0 && pin < PL061_NUM_PINS && !s->button);
    s->button = g_new0(PL061Button, 1);
    s->button->s = s;
    s->button->pin = pin;
    s->release = timer_new_ns(TERN_CLOCK_VIRTUAL, pl061_button_release, s);
    runstate_add_powerdown_notifier(pl061_button_press, s->button);
}

/* ---- device ---- */

static void pl061_instance_init(DeviceState *dev)
{
    PL061State *s = (PL061State *)dev;

    memory_region_init_io(&s->mmio, &pl061_ops, s, "pl061", PL061_MMIO_SIZE);
    device_init_mmio(dev, &s->mmio);
    device_init_irq(dev, &s->irq);
    device_init_gpio_in(dev, pl061_set_input, PL061_NUM_PINS);
    device_init_gpio_out(dev, s->out, PL061_NUM_PINS);
}

static void pl061_reset(DeviceState *dev)
{
    PL061State *s = (PL061State *)dev;

    s->data = 0;
    s->dir = 0;
    s->is = s->ibe = s->iev = s->ie = s->ris = s->afsel = 0;
    s->old_pins = pl061_pins(s);
    pl061_update(s);
}

static void pl061_unrealize(DeviceState *dev)
{
    PL061State *s = (PL061State *)dev;

    if (s->button) {
        s->button->s = NULL;    /* the record stays with the notifier */
        s->button = NULL;
        timer_free(s->release);
        s->release = NULL;
    }
}

static void pl061_finalize(DeviceState *dev)
{
    memory_region_destroy(&((PL061State *)dev)->mmio);
}

const DeviceClass pl061_device_class = {
    .name = TYPE_PL061,
    .desc = "Arm PrimeCell PL061 GPIO controller",
    .instance_size = sizeof(PL061State),
    .category = DEVICE_CATEGORY_MISC,
    .bus_type = BUS_TYPE_SYSTEM,
    .user_creatable = false,
    .instance_init = pl061_instance_init,
    .reset = pl061_reset,
    .unrealize = pl061_unrealize,
    .instance_finalize = pl061_finalize,
};

DeviceState *pl061_create(uint64_t addr, IrqLine *irq, GError **errp)
{
    DeviceState *dev;

    if (!device_class_find(pl061_device_class.name)) {
        device_class_register(&pl061_device_class);
    }
    dev = device_new(TYPE_PL061, errp);
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
