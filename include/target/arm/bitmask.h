/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DecodeBitMasks() from the Arm ARM pseudocode, for the logical-immediate
 * instructions: shared by the A64 front end and the decoder's tests.
 */
#ifndef TARGET_ARM_BITMASK_H
#define TARGET_ARM_BITMASK_H

#include <stdint.h>

/*
 * x is sf:N:immr:imms; returns the 64-bit wmask (the 32-bit one replicated
 * for sf=0), or 0 for a reserved encoding (0 is never a valid mask).
 */
static inline uint64_t arm_decode_bitmask(unsigned x)
{
    unsigned imms = x & 0x3f;
    unsigned immr = (x >> 6) & 0x3f;
    unsigned n = (x >> 12) & 1;
    unsigned sf = (x >> 13) & 1;
    unsigned combined = (n << 6) | (~imms & 0x3f);
    unsigned len, esize, levels, s, r;
    uint64_t welem, mask;

    if (combined == 0 || (!sf && n)) {
        return 0;
    }
    len = 31 - __builtin_clz(combined);
    if (len < 1) {
        return 0;
    }
    esize = 1u << len;
    levels = esize - 1;
    s = imms & levels;
    r = immr & levels;
    if (s == levels) {
        return 0;
    }
    welem = (s + 1 == 64) ? ~0ull : (1ull << (s + 1)) - 1;
    mask = esize == 64 ? ~0ull : (1ull << esize) - 1;
    if (r) {
        welem = ((welem >> r) | (welem << (esize - r))) & mask;
    }
    for (unsigned e = esize; e < 64; e *= 2) {
        welem |= welem << e;
    }
    return welem;
}

#endif
