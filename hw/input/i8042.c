/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * i8042 keyboard controller.
 *
 * Interface:
 *  - I/O ports 0x60 (data) and 0x64 (status on read, command on write)
 *  - ISA IRQ 1 (keyboard data) and IRQ 12 (auxiliary data), raised while
 *    a byte waits in the output buffer and its interrupt is enabled in the
 *    command byte
 *  - pulsing output line 0 (command 0xfe, or 0xd1 with bit 0 clear)
 *    resets the machine
 *
 * The keyboard acknowledges every command (0xff answers 0xfa 0xaa, 0xf2
 * the MF2 id) but never sends keys. There is no mouse: bytes for the aux
 * device get 0xfe back. The A20 gate is always open; its bits are kept
 * only so that reads return what was written.
 */
#include "hw/i386/isa.h"
#include "hw/input/i8042.h"
#include "system/memory.h"
#include "system/runstate.h"
#include "util/error.h"
#include "util/log.h"

#define I8042_QUEUE         16

/* Status register */
#define STS_OBF             0x01
#define STS_SYS             0x04
#define STS_CMD             0x08
#define STS_UNLOCKED        0x10
#define STS_AUX_OBF         0x20

/* Command byte (CTR) */
#define CTR_KBD_INT         0x01
#define CTR_AUX_INT         0x02
#define CTR_SYS             0x04
#define CTR_KBD_DISABLE     0x10
#define CTR_AUX_DISABLE     0x20
#define CTR_XLATE           0x40

/* Controller commands */
#define CMD_READ_CTR        0x20
#define CMD_WRITE_CTR       0x60
#define CMD_AUX_DISABLE     0xa7
#define CMD_AUX_ENABLE      0xa8
#define CMD_AUX_TEST        0xa9
#define CMD_SELF_TEST       0xaa
#define CMD_KBD_TEST        0xab
#define CMD_KBD_DISABLE     0xad
#define CMD_KBD_ENABLE      0xae
#define CMD_READ_INPUT      0xc0
#define CMD_READ_OUTPUT     0xd0
#define CMD_WRITE_OUTPUT    0xd1
#define CMD_WRITE_KBD_OBUF  0xd2
#define CMD_WRITE_AUX_OBUF  0xd3
#define CMD_WRITE_AUX       0xd4
#define CMD_PULSE_BASE      0xf0

#define OUT_RESET_HIGH      0x01    /* output port bit 0: low = reset */
#define OUT_A20             0x02

/* Keyboard */
#define KBD_ACK             0xfa
#define KBD_RESEND          0xfe

typedef struct I8042State {
    DeviceState parent;
    MemoryRegion data_io, cmd_io;
    bool io_init;
    IrqLine *kbd_irq, *aux_irq;
    uint8_t queue[I8042_QUEUE];
    bool queue_aux[I8042_QUEUE];
    unsigned head, count;
    uint8_t last;                   /* returned when the buffer is empty */
    uint8_t status, ctr, outport;
    uint8_t pending_cmd;            /* controller command waiting for its data byte */
    uint8_t kbd_pending;            /* keyboard command waiting for its parameter */
} I8042State;

static void i8042_update_irq(I8042State *s)
{
    bool kbd = false, aux = false;

    s->status &= ~(STS_OBF | STS_AUX_OBF);
    if (s->count) {
        s->status |= STS_OBF;
        if (s->queue_aux[s->head]) {
            s->status |= STS_AUX_OBF;
            aux = s->ctr & CTR_AUX_INT;
        } else {
            kbd = s->ctr & CTR_KBD_INT;
        }
    }
    irq_set(s->kbd_irq, kbd);
    irq_set(s->aux_irq, aux);
}

static void i8042_queue(I8042State *s, uint8_t v, bool aux)
{
    unsigned tail;

    if (s->count == I8042_QUEUE) {
        log_guest_error("i8042: output buffer overflow, byte 0x%02x lost\n", v);
        return;
    }
    tail = (s->head + s->count) % I8042_QUEUE;
    s->queue[tail] = v;
    s->queue_aux[tail] = aux;
    s->count++;
    i8042_update_irq(s);
}

static void i8042_reset_line(I8042State *s)
{
    log_mask(LOG_RESET, "i8042: reset line pulsed\n");
    request_reset(SHUTDOWN_CAUSE_GUEST_RESET);
}

/* A byte for the keyboard itself. */
static void i8042_kbd_write(I8042State *s, uint8_t v)
{
    if (s->kbd_pending) {
        /* Parameter of 0xed (LEDs), 0xf0 (scan code set) or 0xf3 (rate). */
        s->kbd_pending = 0;
        i8042_queue(s, KBD_ACK, false);
        return;
    }
    switch (v) {
    case 0xed: case 0xf0: case 0xf3:
        s->kbd_pending = v;
        i8042_queue(s, KBD_ACK, false);
        break;
    case 0xee:                      /* echo */
        i8042_queue(s, 0xee, false);
        break;
    case 0xf2:                      /* identify: MF2 keyboard */
        i8042_queue(s, KBD_ACK, false);
        i8042_queue(s, 0xab, false);
        i8042_queue(s, (s->ctr & CTR_XLATE) ? 0x41 : 0x83, false);
        break;
    case 0xff:                      /* reset and self-test */
        i8042_queue(s, KBD_ACK, false);
        i8042_queue(s, 0xaa, false);
        break;
    default:                        /* enable, disable, defaults, ... */
        i8042_queue(s, KBD_ACK, false);
        break;
    }
}

static void i8042_command(I8042State *s, uint8_t cmd)
{
    switch (cmd) {
    case CMD_READ_CTR:
        i8042_queue(s, s->ctr, false);
        break;
    case CMD_WRITE_CTR: case CMD_WRITE_OUTPUT: case CMD_WRITE_KBD_OBUF:
    case CMD_WRITE_AUX_OBUF: case CMD_WRITE_AUX:
        s->pending_cmd = cmd;
        break;
    case CMD_AUX_DISABLE:
        s->ctr |= CTR_AUX_DISABLE;
        break;
    case CMD_AUX_ENABLE:
        s->ctr &= ~CTR_AUX_DISABLE;
        break;
    case CMD_AUX_TEST: case CMD_KBD_TEST:
        i8042_queue(s, 0x00, false);
        break;
    case CMD_SELF_TEST:
        s->status |= STS_SYS;
        i8042_queue(s, 0x55, false);
        break;
    case CMD_KBD_DISABLE:
        s->ctr |= CTR_KBD_DISABLE;
        break;
    case CMD_KBD_ENABLE:
        s->ctr &= ~CTR_KBD_DISABLE;
        break;
    case CMD_READ_INPUT:
        i8042_queue(s, 0x80, false);    /* keyboard not inhibited */
        break;
    case CMD_READ_OUTPUT:
        i8042_queue(s, s->outport, false);
        break;
    case 0xdd: case 0xdf:               /* A20 off / on */
        s->outport = (s->outport & ~OUT_A20) | (cmd == 0xdf ? OUT_A20 : 0);
        break;
    default:
        if (cmd >= CMD_PULSE_BASE) {
            /* Pulse the output lines whose bit is clear; line 0 is reset. */
            if (!(cmd & 1)) {
                i8042_reset_line(s);
            }
        } else {
            log_mask(LOG_UNIMP, "i8042: command 0x%02x not implemented\n", cmd);
        }
        break;
    }
}

static void i8042_data_write(I8042State *s, uint8_t v)
{
    uint8_t cmd = s->pending_cmd;

    s->pending_cmd = 0;
    switch (cmd) {
    case CMD_WRITE_CTR:
        s->ctr = v;
        s->status = (s->status & ~STS_SYS) | (v & CTR_SYS ? STS_SYS : 0);
        i8042_update_irq(s);
        break;
    case CMD_WRITE_OUTPUT:
        s->outport = v;
        if (!(v & OUT_RESET_HIGH)) {
            i8042_reset_line(s);
        }
        break;
    case CMD_WRITE_KBD_OBUF:
        i8042_queue(s, v, false);
        break;
    case CMD_WRITE_AUX_OBUF:
        i8042_queue(s, v, true);
        break;
    case CMD_WRITE_AUX:
        i8042_queue(s, KBD_RESEND, true);   /* no mouse answers */
        break;
    default:
        i8042_kbd_write(s, v);
        break;
    }
}

static uint64_t i8042_data_read(void *opaque, uint64_t addr, unsigned size)
{
    I8042State *s = opaque;

    if (s->count) {
        s->last = s->queue[s->head];
        s->head = (s->head + 1) % I8042_QUEUE;
        s->count--;
        /* The real part has a one-byte buffer: every byte is a new edge. */
        irq_lower(s->kbd_irq);
        irq_lower(s->aux_irq);
        i8042_update_irq(s);
    }
    return s->last;
}

static void i8042_data_io_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    I8042State *s = opaque;

    s->status &= ~STS_CMD;
    i8042_data_write(s, (uint8_t)val);
}

static uint64_t i8042_status_read(void *opaque, uint64_t addr, unsigned size)
{
    return ((I8042State *)opaque)->status;
}

static void i8042_cmd_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    I8042State *s = opaque;

    s->status |= STS_CMD;
    i8042_command(s, (uint8_t)val);
}

static const MemoryRegionOps i8042_data_ops = {
    .read = i8042_data_read,
    .write = i8042_data_io_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
};

static const MemoryRegionOps i8042_cmd_ops = {
    .read = i8042_status_read,
    .write = i8042_cmd_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
};

static bool i8042_realize(DeviceState *dev, GError **errp)
{
    I8042State *s = (I8042State *)dev;

    s->kbd_irq = isa_get_irq(dev, 1);
    s->aux_irq = isa_get_irq(dev, 12);
    memory_region_init_io(&s->data_io, &i8042_data_ops, s, "i8042-data", 1);
    memory_region_init_io(&s->cmd_io, &i8042_cmd_ops, s, "i8042-cmd", 1);
    s->io_init = true;
    device_pio_map(dev, device_init_pio(dev, &s->data_io), 0x60);
    device_pio_map(dev, device_init_pio(dev, &s->cmd_io), 0x64);
    return true;
}

static void i8042_reset(DeviceState *dev)
{
    I8042State *s = (I8042State *)dev;

    s->head = s->count = 0;
    s->last = 0;
    s->pending_cmd = s->kbd_pending = 0;
    /* What a BIOS leaves behind: translated keyboard with interrupts, aux off. */
    s->ctr = CTR_XLATE | CTR_AUX_DISABLE | CTR_SYS | CTR_KBD_INT;
    s->status = STS_SYS | STS_UNLOCKED;
    s->outport = OUT_RESET_HIGH | OUT_A20;
    i8042_update_irq(s);
}

static void i8042_finalize(DeviceState *dev)
{
    I8042State *s = (I8042State *)dev;

    if (s->io_init) {
        memory_region_destroy(&s->data_io);
        memory_region_destroy(&s->cmd_io);
    }
}

const DeviceClass i8042_class = {
    .name = TYPE_I8042,
    .desc = "PC keyboard controller",
    .instance_size = sizeof(I8042State),
    .category = DEVICE_CATEGORY_INPUT,
    .bus_type = BUS_TYPE_ISA,
    .realize = i8042_realize,
    .reset = i8042_reset,
    .instance_finalize = i8042_finalize,
};
