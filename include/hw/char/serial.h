/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * 16550A UART on the ISA bus ("isa-serial"): eight I/O ports at iobase,
 * one ISA interrupt line, a chardev for the host side.
 */
#ifndef HW_CHAR_SERIAL_H
#define HW_CHAR_SERIAL_H

#include <stdbool.h>
#include <stdint.h>

#include "chardev/char.h"
#include "hw/core/device.h"
#include "system/memory.h"

#define TYPE_ISA_SERIAL   "isa-serial"
#define SERIAL_FIFO_SIZE  16
#define SERIAL_MAX_ISA    4

typedef struct SerialState {
    DeviceState parent;

    /* properties; UINT32_MAX means "from index" (QEMU's COM1..COM4 table) */
    uint32_t index;
    uint32_t iobase;
    uint32_t isairq;
    Chardev *chr;

    MemoryRegion io;
    bool io_init;
    IrqLine *irq;
    CharFrontend fe;

    /* registers */
    uint16_t divisor;           /* DLL/DLM */
    uint8_t ier, lcr, mcr, lsr, msr, scr, fcr;
    bool thr_ipending;          /* THRE interrupt latched until IIR read / THR write */
    uint8_t rx[SERIAL_FIFO_SIZE];
    unsigned rx_head, rx_count;
} SerialState;

extern const DeviceClass isa_serial_class;

#endif
