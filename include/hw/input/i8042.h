/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * i8042: the PC keyboard controller with a keyboard that answers commands
 * but never types, and no mouse. Enough for the Linux i8042/atkbd probe
 * and for the reset line (command 0xfe).
 */
#ifndef HW_INPUT_I8042_H
#define HW_INPUT_I8042_H

#include "hw/core/device.h"

#define TYPE_I8042 "i8042"

extern const DeviceClass i8042_class;

#endif
