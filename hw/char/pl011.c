/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Arm PrimeCell UART (PL011), device "pl011".
 * Reference: ARM PrimeCell UART (PL011) Technical Reference Manual,
 * ARM DDI 0183.
 *
 * Interface:
 *  - MMIO region 0: 4 KiB of 32-bit registers (8- and 16-bit accesses to a
 *    register's offset are accepted, as Linux's driver makes them)
 *  - IRQ 0: the combined UARTINTR, level, high while (RIS & IMSC) != 0
 *  - "chardev": the host side; input is flow-controlled by the receive FIFO
 *
 * Timing is not modelled: a byte written to DR goes straight to the chardev,
 * so the transmit FIFO always reads as empty and the TX interrupt is raised
 * by every write (the FIFO fell to its trigger level). The receive timeout
 * is immediate: each burst of input raises RT while data sits in the FIFO,
 * which is what a driver sees after waiting 32 bit periods; without it a
 * guest programming a trigger level above the amount typed would never hear
 * of its input. Like QEMU, transmit and receive work even when the guest did
 * not set UARTEN (a common shortcut of bare-metal code); that is only logged.
 * IrDA, baud rates and DMA are stored but have no effect.
 */
#include <inttypes.h>
#include <string.h>

#include "hw/char/pl011.h"
#include "system/memory.h"
#include "util/error.h"
#include "util/log.h"

/* Modem outputs in CR that loop back to FR inputs when CR.LBE is set. */
#define CR_OUT1  (1u << 12)
#define CR_OUT2  (1u << 13)
#define FR_RI    (1u << 8)

/* RSR/ECR and the matching DR bits 11:8. */
#define RSR_MASK 0xfu

typedef struct PL011State {
    DeviceState parent;
    MemoryRegion mmio;
    IrqLine *irq;
    Chardev *chr;               /* property "chardev" */
    CharFrontend fe;

    /* Entries hold the data byte and the DR error bits 11:8. */
    uint16_t rx_fifo[PL011_FIFO_DEPTH];
    unsigned rx_pos, rx_count;

    uint32_t rsr;
    uint32_t ilpr, ibrd, fbrd, lcr_h, cr, ifls;
    uint32_t imsc, ris, dmacr;
} PL011State;

/* PeriphID0-3 (part 0x011, designer Arm, revision 1) and PCellID0-3. */
static const uint8_t pl011_id[8] = {
    0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1
};

static unsigned pl011_fifo_depth(const PL011State *s)
{
    return (s->lcr_h & PL011_LCRH_FEN) ? PL011_FIFO_DEPTH : 1;
}

/* IFLS.RXIFLSEL: 1/8, 1/4, 1/2, 3/4 or 7/8 of the 16-entry FIFO. */
static unsigned pl011_rx_trigger(const PL011State *s)
{
    static const unsigned level[] = { 2, 4, 8, 12, 14 };
    unsigned sel = (s->ifls >> 3) & 7;

    if (!(s->lcr_h & PL011_LCRH_FEN)) {
        return 1;
    }
    return sel < G_N_ELEMENTS(level) ? level[sel] : 8;
}

static void pl011_update_irq(PL011State *s)
{
    irq_set(s->irq, (s->ris & s->imsc) != 0);
}

static void pl011_flush_rx(PL011State *s)
{
    s->rx_pos = 0;
    s->rx_count = 0;
    s->ris &= ~(PL011_INT_RX | PL011_INT_RT);
}

static void pl011_reset_state(PL011State *s)
{
    pl011_flush_rx(s);
    s->rsr = 0;
    s->ilpr = 0;
    s->ibrd = 0;
    s->fbrd = 0;
    s->lcr_h = 0;
    s->cr = PL011_CR_RESET;
    s->ifls = PL011_IFLS_RESET;
    s->imsc = 0;
    s->ris = 0;
    s->dmacr = 0;
}

/* One received character (with its error bits) into the FIFO. */
static void pl011_push_rx(PL011State *s, uint16_t value)
{
    if (s->rx_count >= pl011_fifo_depth(s)) {
        /* The FIFO keeps its contents; the new character is lost. */
        s->rsr |= PL011_RSR_OE;
        s->ris |= PL011_INT_OE;
        return;
    }
    s->rx_fifo[(s->rx_pos + s->rx_count) % PL011_FIFO_DEPTH] = value;
    s->rx_count++;
    if (s->rx_count >= pl011_rx_trigger(s)) {
        s->ris |= PL011_INT_RX;
    }
}

/* End of a burst of input: the (immediate) receive timeout. */
static void pl011_rx_burst_done(PL011State *s)
{
    if (s->rx_count) {
        s->ris |= PL011_INT_RT;
    }
    pl011_update_irq(s);
}

static uint32_t pl011_read_dr(PL011State *s)
{
    uint32_t value;

    if (!s->rx_count) {
        return 0;
    }
    value = s->rx_fifo[s->rx_pos];
    s->rx_pos = (s->rx_pos + 1) % PL011_FIFO_DEPTH;
    s->rx_count--;
    s->rsr = (s->rsr & PL011_RSR_OE) | ((value >> 8) & RSR_MASK);
    if (s->rx_count < pl011_rx_trigger(s)) {
        s->ris &= ~PL011_INT_RX;
    }
    if (!s->rx_count) {
        s->ris &= ~PL011_INT_RT;
    }
    pl011_update_irq(s);
    char_fe_accept_input(&s->fe);
    return value;
}

static void pl011_write_dr(PL011State *s, uint8_t c)
{
    if (!(s->cr & PL011_CR_UARTEN) || !(s->cr & PL011_CR_TXE)) {
        log_guest_error("pl011: data written to a disabled transmitter (CR 0x%x)\n",
                        s->cr);
    }
    if (s->cr & PL011_CR_LBE) {
        pl011_push_rx(s, c);
        pl011_rx_burst_done(s);
    } else {
        char_fe_write(&s->fe, &c, 1);
    }
    /* The byte left at once: the TX FIFO is at (below) its trigger level. */
    s->ris |= PL011_INT_TX;
    pl011_update_irq(s);
}

static uint32_t pl011_read_fr(const PL011State *s)
{
    uint32_t fr = PL011_FR_TXFE;

    if (!s->rx_count) {
        fr |= PL011_FR_RXFE;
    }
    if (s->rx_count >= pl011_fifo_depth(s)) {
        fr |= PL011_FR_RXFF;
    }
    if (s->cr & PL011_CR_LBE) {
        /* nUARTRTS -> nUARTCTS, DTR -> DSR, Out1 -> DCD, Out2 -> RI */
        fr |= (s->cr & PL011_CR_RTS) ? PL011_FR_CTS : 0;
        fr |= (s->cr & PL011_CR_DTR) ? PL011_FR_DSR : 0;
        fr |= (s->cr & CR_OUT1) ? PL011_FR_DCD : 0;
        fr |= (s->cr & CR_OUT2) ? FR_RI : 0;
    }
    return fr;
}

static uint64_t pl011_read(void *opaque, uint64_t addr, unsigned size)
{
    PL011State *s = opaque;
    uint32_t value;

    if (addr & 3) {
        log_guest_error("pl011: misaligned read of size %u at offset 0x%03" PRIx64 "\n",
                        size, addr);
        return 0;
    }
    switch (addr) {
    case PL011_DR:
        value = pl011_read_dr(s);
        break;
    case PL011_RSR:
        value = s->rsr;
        break;
    case PL011_FR:
        value = pl011_read_fr(s);
        break;
    case PL011_ILPR:
        value = s->ilpr;
        break;
    case PL011_IBRD:
        value = s->ibrd;
        break;
    case PL011_FBRD:
        value = s->fbrd;
        break;
    case PL011_LCR_H:
        value = s->lcr_h;
        break;
    case PL011_CR:
        value = s->cr;
        break;
    case PL011_IFLS:
        value = s->ifls;
        break;
    case PL011_IMSC:
        value = s->imsc;
        break;
    case PL011_RIS:
        value = s->ris;
        break;
    case PL011_MIS:
        value = s->ris & s->imsc;
        break;
    case PL011_DMACR:
        value = s->dmacr;
        break;
    case PL011_PERIPHID0:
    case PL011_PERIPHID1:
    case PL011_PERIPHID2:
    case PL011_PERIPHID3:
    case PL011_PCELLID0:
    case PL011_PCELLID1:
    case PL011_PCELLID2:
    case PL011_PCELLID3:
        value = pl011_id[(addr - PL011_PERIPHID0) >> 2];
        break;
    case PL011_ICR:
        log_guest_error("pl011: read of write-only register ICR\n");
        value = 0;
        break;
    default:
        log_guest_error("pl011: read of unknown offset 0x%03" PRIx64 "\n",
                        addr);
        value = 0;
        break;
    }
    return size < 4 ? value & ((1u << (size * 8)) - 1) : value;
}

static void pl011_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    PL011State *s = opaque;
    uint32_t value = val;

    if (addr & 3) {
        log_guest_error("pl011: misaligned write of size %u at offset 0x%03" PRIx64 "\n",
                        size, addr);
        return;
    }
    switch (addr) {
    case PL011_DR:
        pl011_write_dr(s, value & 0xff);
        break;
    case PL011_RSR: /* ECR: any write clears the error flags */
        s->rsr = 0;
        break;
    case PL011_ILPR:
        s->ilpr = value & 0xff;
        break;
    case PL011_IBRD:
        s->ibrd = value & 0xffff;
        break;
    case PL011_FBRD:
        s->fbrd = value & 0x3f;
        break;
    case PL011_LCR_H:
        /* Switching the FIFO on or off starts the receiver afresh. */
        if ((s->lcr_h ^ value) & PL011_LCRH_FEN) {
            pl011_flush_rx(s);
            pl011_update_irq(s);
            char_fe_accept_input(&s->fe);
        }
        s->lcr_h = value & 0xff;
        break;
    case PL011_CR:
        s->cr = value & 0xff87;
        break;
    case PL011_IFLS:
        s->ifls = value & 0x3f;
        if (((value >> 3) & 7) > 4 || (value & 7) > 4) {
            log_guest_error("pl011: reserved IFLS trigger level 0x%x\n", value);
        }
        if (s->rx_count >= pl011_rx_trigger(s)) {
            s->ris |= PL011_INT_RX;
        } else {
            s->ris &= ~PL011_INT_RX;
        }
        pl011_update_irq(s);
        break;
    case PL011_IMSC:
        s->imsc = value & PL011_INT_ALL;
        pl011_update_irq(s);
        break;
    case PL011_ICR:
        s->ris &= ~value;
        pl011_update_irq(s);
        break;
    case PL011_DMACR:
        s->dmacr = value & 7;
        if (s->dmacr) {
            log_mask(LOG_UNIMP, "pl011: DMA is not implemented (DMACR 0x%x)\n", value);
        }
        break;
    case PL011_FR:
    case PL011_RIS:
    case PL011_MIS:
    case PL011_PERIPHID0:
    case PL011_PERIPHID1:
    case PL011_PERIPHID2:
    case PL011_PERIPHID3:
    case PL011_PCELLID0:
    case PL011_PCELLID1:
    case PL011_PCELLID2:
    case PL011_PCELLID3:
        log_guest_error("pl011: write of 0x%x to read-only offset 0x%03" PRIx64 "\n",
                        value, addr);
        break;
    default:
        log_guest_error("pl011: write of 0x%x to unknown offset 0x%03" PRIx64 "\n",
                        value, addr);
        break;
    }
}

static const MemoryRegionOps pl011_ops = {
    .read = pl011_read,
    .write = pl011_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
};

/* ---- chardev side ---- */

static int pl011_can_receive(void *opaque)
{
    PL011State *s = opaque;

    return pl011_fifo_depth(s) - s->rx_count;
}

static void pl011_receive(void *opaque, const uint8_t *buf, int len)
{
    PL011State *s = opaque;

    if (!(s->cr & PL011_CR_UARTEN) || !(s->cr & PL011_CR_RXE)) {
        log_guest_error("pl011: input arrived at a disabled receiver (CR 0x%x)\n", s->cr);
    }
    for (int i = 0; i < len; i++) {
        pl011_push_rx(s, buf[i]);
    }
    pl011_rx_burst_done(s);
}

static void pl011_event(void *opaque, CharEvent ev)
{
    PL011State *s = opaque;

    if (ev == CHR_EVENT_BREAK) {
        /* A break reads as a NUL character with BE set. */
        pl011_push_rx(s, PL011_DR_BE);
        s->ris |= PL011_INT_BE;
        pl011_rx_burst_done(s);
    }
}

/* ---- device ---- */

static void pl011_instance_init(DeviceState *dev)
{
    PL011State *s = (PL011State *)dev;

    memory_region_init_io(&s->mmio, &pl011_ops, s, "pl011", PL011_MMIO_SIZE);
    device_init_mmio(dev, &s->mmio);
    device_init_irq(dev, &s->irq);
    pl011_reset_state(s);
}

static bool pl011_realize(DeviceState *dev, GError **errp)
{
    PL011State *s = (PL011State *)dev;

    if (s->chr) {
        if (!char_fe_init(&s->fe, s->chr, errp)) {
            return false;
        }
        char_fe_set_handlers(&s->fe, pl011_can_receive, pl011_receive, pl011_event, s);
    }
    return true;
}

static void pl011_reset(DeviceState *dev)
{
    PL011State *s = (PL011State *)dev;

    pl011_reset_state(s);
    pl011_update_irq(s);
    char_fe_accept_input(&s->fe);
}

static void pl011_unrealize(DeviceState *dev)
{
    PL011State *s = (PL011State *)dev;

    if (s->fe.chr) {
        char_fe_deinit(&s->fe);
    }
}

static void pl011_finalize(DeviceState *dev)
{
    memory_region_destroy(&((PL011State *)dev)->mmio);
}

static const Property pl011_props[] = {
    PROP_CHARDEV("chardev", PL011State, chr, "ID of the chardev for the UART's input and output"),
    PROP_END
};

const DeviceClass pl011_device_class = {
    .name = TYPE_PL011,
    .desc = "Arm PrimeCell PL011 UART",
    .instance_size = sizeof(PL011State),
    .props = pl011_props,
    .category = DEVICE_CATEGORY_MISC,
    .bus_type = BUS_TYPE_SYSTEM,
    .user_creatable = false,
    .instance_init = pl011_instance_init,
    .realize = pl011_realize,
    .reset = pl011_reset,
    .unrealize = pl011_unrealize,
    .instance_finalize = pl011_finalize,
};

DeviceState *pl011_create(uint64_t addr, IrqLine *irq, Chardev *chr,
                          const char *chr_id, GError **errp)
{
    DeviceState *dev = device_new(TYPE_PL011, errp);

    if (!dev) {
        return NULL;
    }
    if (chr && !device_set_prop_backend(dev, "chardev", chr, chr_id, errp)) {
        device_free(dev);
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
