/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Arm PrimeCell real-time clock (PL031), ARM DDI 0224. A system-bus device
 * with one 4 KiB MMIO region (region 0) and one interrupt output (the match
 * interrupt, IRQ 0, level). The counter counts seconds of the host's wall
 * clock (TERN_CLOCK_HOST), so a guest's `date` shows the host's time; a
 * guest write to the load register shifts it for that guest only.
 */
#ifndef HW_RTC_PL031_H
#define HW_RTC_PL031_H

#include <glib.h>
#include <stdint.h>

#include "hw/core/device.h"

#define TYPE_PL031 "pl031"
#define PL031_MMIO_SIZE 0x1000

enum {
    PL031_DR = 0x00,        /* data: the counter (read-only) */
    PL031_MR = 0x04,        /* match */
    PL031_LR = 0x08,        /* load: sets the counter */
    PL031_CR = 0x0c,        /* control: bit 0 start, reads 1 */
    PL031_IMSC = 0x10,      /* interrupt mask set/clear */
    PL031_RIS = 0x14,
    PL031_MIS = 0x18,
    PL031_ICR = 0x1c,
    PL031_PERIPHID0 = 0xfe0,
    PL031_PCELLID0 = 0xff0,
};

extern const DeviceClass pl031_device_class;

/* Create, realize and map a PL031 at addr with its interrupt on irq (may be NULL). */
DeviceState *pl031_create(uint64_t addr, IrqLine *irq, GError **errp);

#endif
