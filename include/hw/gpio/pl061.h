/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Arm PrimeCell GPIO (PL061), ARM DDI 0190: eight pins, each an input or
 * an output, with level or edge interrupts combined into one line. A
 * system-bus device: MMIO region 0 (4 KiB), IRQ 0 (the combined GPIOINTR),
 * gpio inputs 0-7 (the pins as driven from outside) and gpio outputs 0-7
 * (the pins the guest drives as outputs).
 *
 * On QEMU's virt board pin 3 is the power button (a "gpio-keys" node with
 * KEY_POWER in the device tree): pl061_attach_power_button makes a
 * system_powerdown (request_powerdown) hold that pin high for 100 ms of
 * guest time, long enough for Linux's debounced gpio-keys driver to see a
 * press and a release.
 */
#ifndef HW_GPIO_PL061_H
#define HW_GPIO_PL061_H

#include <glib.h>
#include <stdint.h>

#include "hw/core/device.h"

#define TYPE_PL061 "pl061"
#define PL061_MMIO_SIZE 0x1000
#define PL061_NUM_PINS 8
#define PL061_POWER_BUTTON_NS (100 * 1000 * 1000)

enum {
    PL061_DATA = 0x000,     /* 0x000-0x3fc: address bits 9:2 mask the access */
    PL061_DIR = 0x400,
    PL061_IS = 0x404,       /* interrupt sense: 1 level, 0 edge */
    PL061_IBE = 0x408,      /* both edges */
    PL061_IEV = 0x40c,      /* event: 1 high/rising, 0 low/falling */
    PL061_IE = 0x410,       /* interrupt mask */
    PL061_RIS = 0x414,
    PL061_MIS = 0x418,
    PL061_IC = 0x41c,
    PL061_AFSEL = 0x420,
    PL061_PERIPHID0 = 0xfe0,
    PL061_PCELLID0 = 0xff0,
};

extern const DeviceClass pl061_device_class;

/* Create, realize and map a PL061 at addr with its interrupt on irq (may be NULL). */
DeviceState *pl061_create(uint64_t addr, IrqLine *irq, GError **errp);

/* Press pin on every request_powerdown() for PL061_POWER_BUTTON_NS of guest time. */
void pl061_attach_power_button(DeviceState *dev, int pin);

#endif
