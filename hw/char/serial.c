/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * 16550A UART on the ISA bus ("isa-serial").
 * Reference: TI PC16550D Universal Asynchronous Receiver/Transmitter with
 * FIFOs, data sheet (SNLS378).
 *
 * Interface:
 *  - I/O region: 8 ports at iobase (COM1 0x3f8, COM2 0x2f8, COM3 0x3e8,
 *    COM4 0x2e8 by index), byte registers
 *  - IRQ: one ISA line (4, 3, 4, 3 by index), level, high while an
 *    interrupt is pending
 *  - chardev: the host side; input is flow-controlled by the receive FIFO
 *
 * Timing is not modelled: a byte written to THR leaves at once, so THR and
 * the transmitter are always empty when the guest looks. The receive FIFO
 * character timeout is likewise immediate: data below the trigger level
 * raises the timeout interrupt straight away, which is what a driver sees
 * after waiting four character times. Like QEMU, the IRQ is not gated by
 * MCR.OUT2 (some guests never set it).
 */
#include <string.h>

#include "hw/char/serial.h"
#include "hw/i386/isa.h"
#include "util/error.h"
#include "util/log.h"

/* Register offsets (DLAB = LCR bit 7 selects the divisor latch at 0/1). */
enum {
    UART_RBR_THR_DLL = 0,
    UART_IER_DLM = 1,
    UART_IIR_FCR = 2,
    UART_LCR = 3,
    UART_MCR = 4,
    UART_LSR = 5,
    UART_MSR = 6,
    UART_SCR = 7,
    UART_NR_PORTS = 8,
};

#define IER_RDI        0x01    /* received data available */
#define IER_THRI       0x02    /* THR empty */
#define IER_RLSI       0x04    /* receiver line status */
#define IER_MSI        0x08    /* modem status */

#define IIR_NO_INT     0x01
#define IIR_MSI        0x00
#define IIR_THRI       0x02
#define IIR_RDI        0x04
#define IIR_RLSI       0x06
#define IIR_CTI        0x0c    /* character timeout */
#define IIR_FIFO_ON    0xc0

#define FCR_ENABLE     0x01
#define FCR_CLEAR_RX   0x02
#define FCR_CLEAR_TX   0x04
#define FCR_KEEP       0xc9    /* enable, DMA mode, trigger level */

#define LCR_DLAB       0x80

#define MCR_DTR        0x01
#define MCR_RTS        0x02
#define MCR_OUT1       0x04
#define MCR_OUT2       0x08
#define MCR_LOOP       0x10

#define LSR_DR         0x01
#define LSR_OE         0x02
#define LSR_PE         0x04
#define LSR_FE         0x08
#define LSR_BI         0x10
#define LSR_THRE       0x20
#define LSR_TEMT       0x40
#define LSR_RX_ERROR   0x80
#define LSR_INT_ANY    (LSR_OE | LSR_PE | LSR_FE | LSR_BI)

#define MSR_DCTS       0x01
#define MSR_DDSR       0x02
#define MSR_TERI       0x04
#define MSR_DDCD       0x08
#define MSR_DELTAS     0x0f
#define MSR_CTS        0x10
#define MSR_DSR        0x20
#define MSR_RI         0x40
#define MSR_DCD        0x80

static const uint16_t serial_isa_iobase[SERIAL_MAX_ISA] = { 0x3f8, 0x2f8, 0x3e8, 0x2e8 };
static const uint8_t serial_isa_irq[SERIAL_MAX_ISA] = { 4, 3, 4, 3 };
static const uint8_t serial_rx_trigger[4] = { 1, 4, 8, 14 };

static bool serial_fifo_on(SerialState *s)
{
    return s->fcr & FCR_ENABLE;
}

static unsigned serial_rx_capacity(SerialState *s)
{
    return serial_fifo_on(s) ? SERIAL_FIFO_SIZE : 1;
}

static uint8_t serial_iir(SerialState *s)
{
    uint8_t fifo = serial_fifo_on(s) ? IIR_FIFO_ON : 0;

    /* In the data sheet's priority order. */
    if ((s->ier & IER_RLSI) && (s->lsr & LSR_INT_ANY)) {
        return fifo | IIR_RLSI;
    }
    if ((s->ier & IER_RDI) && s->rx_count) {
        if (!serial_fifo_on(s) || s->rx_count >= serial_rx_trigger[s->fcr >> 6]) {
            return fifo | IIR_RDI;
        }
        return fifo | IIR_CTI;
    }
    if ((s->ier & IER_THRI) && s->thr_ipending) {
        return fifo | IIR_THRI;
    }
    if ((s->ier & IER_MSI) && (s->msr & MSR_DELTAS)) {
        return fifo | IIR_MSI;
    }
    return fifo | IIR_NO_INT;
}

static void serial_update_irq(SerialState *s)
{
    irq_set(s->irq, !(serial_iir(s) & IIR_NO_INT));
}

static void serial_rx_clear(SerialState *s)
{
    s->rx_head = s->rx_count = 0;
    s->lsr &= ~(LSR_DR | LSR_RX_ERROR);
}

static void serial_rx_push(SerialState *s, uint8_t c)
{
    if (s->rx_count >= serial_rx_capacity(s)) {
        s->lsr |= LSR_OE;
        return;
    }
    s->rx[(s->rx_head + s->rx_count) % SERIAL_FIFO_SIZE] = c;
    s->rx_count++;
    s->lsr |= LSR_DR;
}

static uint8_t serial_rx_pop(SerialState *s)
{
    uint8_t c;

    if (!s->rx_count) {
        return 0;
    }
    c = s->rx[s->rx_head];
    s->rx_head = (s->rx_head + 1) % SERIAL_FIFO_SIZE;
    if (--s->rx_count == 0) {
        s->lsr &= ~LSR_DR;
    }
    return c;
}

/* Modem inputs: looped back from MCR, else a permanently connected line. */
static void serial_update_msr(SerialState *s)
{
    uint8_t old = s->msr, in;

    if (s->mcr & MCR_LOOP) {
        in = ((s->mcr & MCR_RTS) ? MSR_CTS : 0) | ((s->mcr & MCR_DTR) ? MSR_DSR : 0) |
             ((s->mcr & MCR_OUT1) ? MSR_RI : 0) | ((s->mcr & MCR_OUT2) ? MSR_DCD : 0);
    } else {
        in = MSR_DCD | MSR_DSR | MSR_CTS;
    }
    s->msr = (old & MSR_DELTAS) | in;
    if ((old ^ in) & MSR_CTS) {
        s->msr |= MSR_DCTS;
    }
    if ((old ^ in) & MSR_DSR) {
        s->msr |= MSR_DDSR;
    }
    if ((old & MSR_RI) && !(in & MSR_RI)) {
        s->msr |= MSR_TERI;
    }
    if ((old ^ in) & MSR_DCD) {
        s->msr |= MSR_DDCD;
    }
}

static void serial_transmit(SerialState *s, uint8_t c)
{
    if (s->mcr & MCR_LOOP) {
        serial_rx_push(s, c);
    } else if (s->fe.chr) {
        char_fe_write(&s->fe, &c, 1);
    }
    s->lsr |= LSR_THRE | LSR_TEMT;
    s->thr_ipending = true;
}

static uint64_t serial_read(void *opaque, uint64_t addr, unsigned size)
{
    SerialState *s = opaque;
    uint8_t val;

    switch (addr) {
    case UART_RBR_THR_DLL:
        if (s->lcr & LCR_DLAB) {
            val = s->divisor & 0xff;
            break;
        }
        val = serial_rx_pop(s);
        if (s->fe.chr && !(s->mcr & MCR_LOOP)) {
            char_fe_accept_input(&s->fe);
        }
        break;
    case UART_IER_DLM:
        val = (s->lcr & LCR_DLAB) ? s->divisor >> 8 : s->ier;
        break;
    case UART_IIR_FCR:
        val = serial_iir(s);
        /* Reading IIR acknowledges a THRE interrupt it reports. */
        if ((val & 0x0f) == IIR_THRI) {
            s->thr_ipending = false;
        }
        break;
    case UART_LCR:
        val = s->lcr;
        break;
    case UART_MCR:
        val = s->mcr;
        break;
    case UART_LSR:
        val = s->lsr;
        s->lsr &= ~(LSR_INT_ANY | LSR_RX_ERROR);
        break;
    case UART_MSR:
        val = s->msr;
        s->msr &= ~MSR_DELTAS;
        break;
    case UART_SCR:
        val = s->scr;
        break;
    default:
        g_assert_not_reached();
    }
    serial_update_irq(s);
    return val;
}

static void serial_write(void *opaque, uint64_t addr, uint64_t val64, unsigned size)
{
    SerialState *s = opaque;
    uint8_t val = val64;

    switch (addr) {
    case UART_RBR_THR_DLL:
        if (s->lcr & LCR_DLAB) {
            s->divisor = (s->divisor & 0xff00) | val;
        } else {
            s->thr_ipending = false;
            serial_transmit(s, val);
        }
        break;
    case UART_IER_DLM:
        if (s->lcr & LCR_DLAB) {
            s->divisor = (s->divisor & 0x00ff) | (val << 8);
            break;
        }
        /* Enabling THRE interrupts with THR empty raises one at once. */
        if ((val & IER_THRI) && !(s->ier & IER_THRI) && (s->lsr & LSR_THRE)) {
            s->thr_ipending = true;
        }
        if (val & 0xf0) {
            log_guest_error("isa-serial: reserved IER bits written: 0x%02x\n", val);
        }
        s->ier = val & 0x0f;
        break;
    case UART_IIR_FCR:
        if ((val ^ s->fcr) & FCR_ENABLE) {
            /* Switching the FIFOs on or off empties them. */
            serial_rx_clear(s);
        }
        if (val & FCR_CLEAR_RX) {
            serial_rx_clear(s);
        }
        /* FCR_CLEAR_TX: the transmitter is always empty. */
        s->fcr = val & FCR_KEEP;
        if (s->fe.chr) {
            char_fe_accept_input(&s->fe);
        }
        break;
    case UART_LCR:
        s->lcr = val;
        break;
    case UART_MCR: {
        bool was_loop = s->mcr & MCR_LOOP;

        s->mcr = val & 0x1f;
        serial_update_msr(s);
        if (was_loop && !(s->mcr & MCR_LOOP) && s->fe.chr) {
            char_fe_accept_input(&s->fe);
        }
        break;
    }
    case UART_LSR:
        log_guest_error("isa-serial: write to read-only LSR: 0x%02x\n", val);
        break;
    case UART_MSR:
        log_guest_error("isa-serial: write to read-only MSR: 0x%02x\n", val);
        break;
    case UART_SCR:
        s->scr = val;
        break;
    default:
        g_assert_not_reached();
    }
    serial_update_irq(s);
}

static const MemoryRegionOps serial_io_ops = {
    .read = serial_read,
    .write = serial_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

/* ---- host side ---- */

static int serial_can_receive(void *opaque)
{
    SerialState *s = opaque;

    /* In loopback the receiver is disconnected from the line. */
    if (s->mcr & MCR_LOOP) {
        return 0;
    }
    return serial_rx_capacity(s) - s->rx_count;
}

static void serial_receive(void *opaque, const uint8_t *buf, int len)
{
    SerialState *s = opaque;

    for (int i = 0; i < len; i++) {
        serial_rx_push(s, buf[i]);
    }
    serial_update_irq(s);
}

static void serial_event(void *opaque, CharEvent ev)
{
    SerialState *s = opaque;

    if (ev == CHR_EVENT_BREAK) {
        /* A break arrives as a zero character flagged BI. */
        serial_rx_push(s, 0);
        s->lsr |= LSR_BI | LSR_RX_ERROR;
        serial_update_irq(s);
    }
}

/* ---- device ---- */

static void serial_reset(DeviceState *dev)
{
    SerialState *s = (SerialState *)dev;

    s->divisor = 0x0c;      /* 9600 baud */
    s->ier = 0;
    s->lcr = 0;
    s->mcr = 0;
    s->lsr = LSR_THRE | LSR_TEMT;
    s->msr = MSR_DCD | MSR_DSR | MSR_CTS;
    s->scr = 0;
    s->fcr = 0;
    s->thr_ipending = false;
    serial_rx_clear(s);
    serial_update_irq(s);
    if (s->fe.chr) {
        char_fe_accept_input(&s->fe);
    }
}

static bool serial_realize(DeviceState *dev, GError **errp)
{
    SerialState *s = (SerialState *)dev;
    /* Resolve defaults in locals: a failed realize must leave the
     * properties as the user set them. */
    uint32_t index = s->index, iobase = s->iobase, isairq = s->isairq;

    if (index == UINT32_MAX) {
        index = isa_count_siblings(dev, TYPE_ISA_SERIAL);
    }
    if ((iobase == UINT32_MAX || isairq == UINT32_MAX) && index >= SERIAL_MAX_ISA) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "index %u has no default port (max %d), set iobase and irq", index,
                    SERIAL_MAX_ISA - 1);
        return false;
    }
    if (iobase == UINT32_MAX) {
        iobase = serial_isa_iobase[index];
    }
    if (isairq == UINT32_MAX) {
        isairq = serial_isa_irq[index];
    }
    if (iobase > 0x10000 - UART_NR_PORTS) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "iobase 0x%x is outside the I/O space", iobase);
        return false;
    }
    if (isairq >= ISA_NUM_IRQS) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "irq %u is not an ISA IRQ (0-15)",
                    isairq);
        return false;
    }
    if (s->chr) {
        if (!char_fe_init(&s->fe, s->chr, errp)) {
            return false;
        }
        char_fe_set_handlers(&s->fe, serial_can_receive, serial_receive, serial_event, s);
    }
    s->index = index;
    s->iobase = iobase;
    s->isairq = isairq;
    s->irq = isa_get_irq(dev, s->isairq);
    memory_region_init_io(&s->io, &serial_io_ops, s, "serial", UART_NR_PORTS);
    s->io_init = true;
    device_pio_map(dev, device_init_pio(dev, &s->io), s->iobase);
    return true;
}

static void serial_unrealize(DeviceState *dev)
{
    SerialState *s = (SerialState *)dev;

    if (s->fe.chr) {
        char_fe_deinit(&s->fe);
    }
}

static void serial_finalize(DeviceState *dev)
{
    SerialState *s = (SerialState *)dev;

    if (s->io_init) {
        memory_region_destroy(&s->io);
    }
}

static const Property serial_props[] = {
    PROP_UINT32("index", SerialState, index, UINT32_MAX, "COM port number (0-3)"),
    PROP_UINT32("iobase", SerialState, iobase, UINT32_MAX, "first I/O port"),
    PROP_UINT32("irq", SerialState, isairq, UINT32_MAX, "ISA interrupt"),
    PROP_CHARDEV("chardev", SerialState, chr, "host side"),
    PROP_END
};

const DeviceClass isa_serial_class = {
    .name = TYPE_ISA_SERIAL,
    .desc = "16550A UART",
    .instance_size = sizeof(SerialState),
    .props = serial_props,
    .category = DEVICE_CATEGORY_MISC,
    .bus_type = BUS_TYPE_ISA,
    .user_creatable = true,
    .realize = serial_realize,
    .reset = serial_reset,
    .unrealize = serial_unrealize,
    .instance_finalize = serial_finalize,
};
