/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Interrupt and GPIO lines between devices. A line is a handler plus the
 * opaque pointer and line number it was created with; a source holds an
 * IrqLine * and drives it with irq_set(). A source whose line is not wired
 * keeps a NULL pointer, and driving NULL does nothing, so boards may leave
 * outputs unconnected. Lines are driven under the device model's lock; the
 * handler runs synchronously in the caller's thread.
 */
#ifndef HW_CORE_IRQ_H
#define HW_CORE_IRQ_H

#include <glib.h>
#include <stdbool.h>

typedef struct IrqLine IrqLine;

typedef void (*IrqHandler)(void *opaque, int n, int level);

/* A line delivering (opaque, n, level) to handler. */
IrqLine *irq_new(IrqHandler handler, void *opaque, int n);
void irq_free(IrqLine *line);

/* count lines numbered 0..count-1; free with irq_free_array. */
IrqLine **irq_new_array(IrqHandler handler, void *opaque, int count);
void irq_free_array(IrqLine **lines, int count);

/* Drive the line; a NULL line is a no-op. */
void irq_set(IrqLine *line, int level);

static inline void irq_raise(IrqLine *line)
{
    irq_set(line, 1);
}

static inline void irq_lower(IrqLine *line)
{
    irq_set(line, 0);
}

/* A rising then falling edge, for edge-triggered sinks. */
static inline void irq_pulse(IrqLine *line)
{
    irq_set(line, 1);
    irq_set(line, 0);
}

/*
 * A line that forwards every level to both a and b (either may be NULL),
 * for one output feeding two sinks. Free with irq_free; a and b stay.
 */
IrqLine *irq_new_split(IrqLine *a, IrqLine *b);

/* A line that forwards the inverted level to target (which stays). */
IrqLine *irq_new_inverter(IrqLine *target);

#endif
