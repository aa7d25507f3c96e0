/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mc146818rtc: the PC's CMOS real-time clock and its 128 bytes of battery
 * RAM, on ports 0x70 (index, bit 7 = NMI mask) and 0x71 (data), IRQ 8.
 * The board stores firmware conventions (memory sizes, CPU count) in the
 * RAM bytes with rtc_set_cmos().
 */
#ifndef HW_RTC_MC146818RTC_H
#define HW_RTC_MC146818RTC_H

#include "hw/core/device.h"

#define TYPE_MC146818_RTC   "mc146818rtc"
#define RTC_ISA_IRQ         8

/* Register indexes */
#define RTC_SECONDS         0x00
#define RTC_SECONDS_ALARM   0x01
#define RTC_MINUTES         0x02
#define RTC_MINUTES_ALARM   0x03
#define RTC_HOURS           0x04
#define RTC_HOURS_ALARM     0x05
#define RTC_DAY_OF_WEEK     0x06
#define RTC_DAY_OF_MONTH    0x07
#define RTC_MONTH           0x08
#define RTC_YEAR            0x09
#define RTC_REG_A           0x0a
#define RTC_REG_B           0x0b
#define RTC_REG_C           0x0c
#define RTC_REG_D           0x0d
#define RTC_CENTURY         0x32

#define RTC_A_UIP           0x80
#define RTC_B_SET           0x80
#define RTC_B_PIE           0x40
#define RTC_B_AIE           0x20
#define RTC_B_UIE           0x10
#define RTC_B_DM_BINARY     0x04
#define RTC_B_24H           0x02
#define RTC_C_IRQF          0x80
#define RTC_C_PF            0x40
#define RTC_C_AF            0x20
#define RTC_C_UF            0x10
#define RTC_D_VRT           0x80

extern const DeviceClass mc146818rtc_class;

/* Battery RAM outside the clock registers (index 0x0e-0x7f). */
void rtc_set_cmos(DeviceState *dev, unsigned index, uint8_t value);
uint8_t rtc_get_cmos(DeviceState *dev, unsigned index);

#endif
