/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * acpi-pm: the ACPI fixed hardware of the pc machine (PM1a event and
 * control blocks, the PM timer), an ISA device like the power-management
 * half of QEMU's PIIX4. The FADT points at its ports (acpi.h offsets).
 */
#ifndef HW_ACPI_PM_H
#define HW_ACPI_PM_H

#include "hw/core/device.h"

#define TYPE_ACPI_PM        "acpi-pm"
#define ACPI_PM_BASE_DEFAULT 0x600
#define ACPI_SCI_IRQ_DEFAULT 9

extern const DeviceClass acpi_pm_class;

/* PM timer ticks (3.579545 MHz) at virtual time ns; 32 bits wide. */
uint32_t acpi_pm_timer_ticks(int64_t ns);

#endif
