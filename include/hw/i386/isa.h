/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A minimal ISA bus for the pc machine: ISA devices (isa-serial,
 * isa-debug-exit, later the RTC, keyboard controller...) plug into it, map
 * their ports in the system I/O space and find their interrupt line by ISA
 * IRQ number. The bus belongs to an "isabus-bridge" device on the system
 * bus; the board connects the bridge's 16 IRQs to the interrupt
 * controllers (the in-kernel PIC/IOAPIC under KVM).
 */
#ifndef HW_I386_ISA_H
#define HW_I386_ISA_H

#include "hw/core/device.h"

#define BUS_TYPE_ISA       "ISA"
#define TYPE_ISABUS_BRIDGE "isabus-bridge"
#define ISA_NUM_IRQS       16
/* The bridge also carries the IOAPIC-only GSIs 16-23 (for pc-testdev). */
#define ISA_BRIDGE_NUM_LINES 24

extern const DeviceClass isabus_bridge_class;

/*
 * Create and realize a bridge with its bus "isa.N"; irqs[0..nirqs-1] are
 * the bus's interrupt lines (borrowed, may contain NULLs; at most
 * ISA_BRIDGE_NUM_LINES, the rest are unconnected).
 */
DeviceState *isa_bridge_create(IrqLine *const *irqs, unsigned nirqs, GError **errp);
/* The bus of a bridge. */
BusState *isa_bridge_bus(DeviceState *bridge);
/* Line n (< ISA_BRIDGE_NUM_LINES) of the ISA bus dev plugs into (valid during
 * and after realize); NULL when not connected. */
IrqLine *isa_get_irq(DeviceState *dev, unsigned n);
/* How many devices of class name sit on dev's bus besides dev itself. */
unsigned isa_count_siblings(DeviceState *dev, const char *name);

#endif
