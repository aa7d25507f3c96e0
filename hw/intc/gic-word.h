/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * State of 32 interrupts as bit masks, and the ICFGR encoding of their
 * trigger mode: the part of the distributor model GICv2 and GICv3 share.
 * Internal to hw/intc.
 */
#ifndef HW_INTC_GIC_WORD_H
#define HW_INTC_GIC_WORD_H

#include <stdint.h>

typedef struct GicWord {
    uint32_t group, enabled, pending, active, level, edge;
} GicWord;

/* ICFGR: two bits per interrupt, the upper one selects edge; half picks 16 of 32. */
static inline uint32_t gic_icfgr_read(const GicWord *w, int half)
{
    uint32_t v = 0;

    for (int i = 0; i < 16; i++) {
        if (w->edge & (1u << (half * 16 + i))) {
            v |= 2u << (2 * i);
        }
    }
    return v;
}

static inline void gic_icfgr_write(GicWord *w, int half, uint32_t v)
{
    for (int i = 0; i < 16; i++) {
        uint32_t bit = 1u << (half * 16 + i);

        w->edge = (v & (2u << (2 * i))) ? w->edge | bit : w->edge & ~bit;
    }
}

#endif
