/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Arm PrimeCell UART (PL011), ARM DDI 0183. A system-bus device with one
 * 4 KiB MMIO region (region 0), one interrupt output (the combined UARTINTR,
 * IRQ 0) and a "chardev" property naming its host backend. Boards create it
 * with pl011_create(); the register offsets and bits are public so that
 * tests and firmware-facing code can name them.
 */
#ifndef HW_CHAR_PL011_H
#define HW_CHAR_PL011_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "chardev/char.h"
#include "hw/core/device.h"

#define TYPE_PL011 "pl011"
#define PL011_MMIO_SIZE 0x1000

/* Register offsets. */
enum {
    PL011_DR        = 0x000,
    PL011_RSR       = 0x004,    /* read: RSR, write: ECR */
    PL011_FR        = 0x018,
    PL011_ILPR      = 0x020,
    PL011_IBRD      = 0x024,
    PL011_FBRD      = 0x028,
    PL011_LCR_H     = 0x02c,
    PL011_CR        = 0x030,
    PL011_IFLS      = 0x034,
    PL011_IMSC      = 0x038,
    PL011_RIS       = 0x03c,
    PL011_MIS       = 0x040,
    PL011_ICR       = 0x044,
    PL011_DMACR     = 0x048,
    PL011_PERIPHID0 = 0xfe0,
    PL011_PERIPHID1 = 0xfe4,
    PL011_PERIPHID2 = 0xfe8,
    PL011_PERIPHID3 = 0xfec,
    PL011_PCELLID0  = 0xff0,
    PL011_PCELLID1  = 0xff4,
    PL011_PCELLID2  = 0xff8,
    PL011_PCELLID3  = 0xffc,
};

/* DR read bits above the data byte, and RSR (the same four, shifted). */
#define PL011_DR_FE     (1u << 8)
#define PL011_DR_PE     (1u << 9)
#define PL011_DR_BE     (1u << 10)
#define PL011_DR_OE     (1u << 11)
#define PL011_RSR_OE    (1u << 3)

/* FR */
#define PL011_FR_CTS    (1u << 0)
#define PL011_FR_DSR    (1u << 1)
#define PL011_FR_DCD    (1u << 2)
#define PL011_FR_BUSY   (1u << 3)
#define PL011_FR_RXFE   (1u << 4)
#define PL011_FR_TXFF   (1u << 5)
#define PL011_FR_RXFF   (1u << 6)
#define PL011_FR_TXFE   (1u << 7)

/* LCR_H */
#define PL011_LCRH_BRK  (1u << 0)
#define PL011_LCRH_FEN  (1u << 4)

/* CR */
#define PL011_CR_UARTEN (1u << 0)
#define PL011_CR_LBE    (1u << 7)
#define PL011_CR_TXE    (1u << 8)
#define PL011_CR_RXE    (1u << 9)
#define PL011_CR_DTR    (1u << 10)
#define PL011_CR_RTS    (1u << 11)

/* Interrupt bits, common to IMSC, RIS, MIS and ICR. */
#define PL011_INT_RI    (1u << 0)
#define PL011_INT_CTS   (1u << 1)
#define PL011_INT_DCD   (1u << 2)
#define PL011_INT_DSR   (1u << 3)
#define PL011_INT_RX    (1u << 4)
#define PL011_INT_TX    (1u << 5)
#define PL011_INT_RT    (1u << 6)
#define PL011_INT_FE    (1u << 7)
#define PL011_INT_PE    (1u << 8)
#define PL011_INT_BE    (1u << 9)
#define PL011_INT_OE    (1u << 10)
#define PL011_INT_ALL   0x7ffu

#define PL011_FIFO_DEPTH 16

/* Reset values the guest can observe. */
#define PL011_CR_RESET   (PL011_CR_RXE | PL011_CR_TXE)
#define PL011_IFLS_RESET 0x12u

/* The PL011 class; registered by hw_arm_register_devices(). */
extern const DeviceClass pl011_device_class;

/*
 * Create, realize and map a PL011 at addr, its interrupt wired to irq (may
 * be NULL) and its input/output on chr (may be NULL: output is dropped and
 * no input arrives). chr_id is the chardev's id, kept for printing. The
 * system bus owns the result.
 */
DeviceState *pl011_create(uint64_t addr, IrqLine *irq, Chardev *chr,
                          const char *chr_id, GError **errp);

#endif
