/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Interrupt lines: a handler, its opaque pointer and the line number, plus
 * small adapters (split, invert) that are themselves lines so boards can
 * compose wiring without devices knowing about it.
 */
#include "hw/core/irq.h"

struct IrqLine {
    IrqHandler handler;
    void *opaque;
    int n;
    /* Adapter targets; freeing an adapter must not free what it feeds. */
    IrqLine *fwd[2];
};

IrqLine *irq_new(IrqHandler handler, void *opaque, int n)
{
    IrqLine *line = g_new0(IrqLine, 1);

    g_assert(handler);
    line->handler = handler;
    line->opaque = opaque;
    line->n = n;
    return line;
}

void irq_free(IrqLine *line)
{
    g_free(line);
}

IrqLine **irq_new_array(IrqHandler handler, void *opaque, int count)
{
    IrqLine **lines = g_new0(IrqLine *, count > 0 ? count : 1);

    for (int i = 0; i < count; i++) {
        lines[i] = irq_new(handler, opaque, i);
    }
    return lines;
}

void irq_free_array(IrqLine **lines, int count)
{
    if (!lines) {
        return;
    }
    for (int i = 0; i < count; i++) {
        irq_free(lines[i]);
    }
    g_free(lines);
}

void irq_set(IrqLine *line, int level)
{
    if (!line) {
        return;
    }
    line->handler(line->opaque, line->n, level);
}

static void irq_split_handler(void *opaque, int n, int level)
{
    IrqLine *self = opaque;

    irq_set(self->fwd[0], level);
    irq_set(self->fwd[1], level);
}

IrqLine *irq_new_split(IrqLine *a, IrqLine *b)
{
    IrqLine *line = irq_new(irq_split_handler, NULL, 0);

    line->opaque = line;
    line->fwd[0] = a;
    line->fwd[1] = b;
    return line;
}

static void irq_invert_handler(void *opaque, int n, int level)
{
    IrqLine *self = opaque;

    irq_set(self->fwd[0], !level);
}

IrqLine *irq_new_inverter(IrqLine *target)
{
    IrqLine *line = irq_new(irq_invert_handler, NULL, 0);

    line->opaque = line;
    line->fwd[0] = target;
    return line;
}
