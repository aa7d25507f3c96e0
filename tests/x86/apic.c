/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Local APIC timer test kernel. Interrupts stay disabled (IF = 0): the
 * timer's interrupt must become pending in the IRR without being taken,
 * which checks LAPIC timer -> interrupt delivery without an IDT or IRET.
 * One-shot with divide-by-1: the current count decreases and reaches 0,
 * then the vector's IRR bit is set; a masked timer expires without
 * setting it; periodic mode reloads the count. Exits with 0x25 (status 75)
 * on success, 0x20 otherwise.
 */
#include "runtime.h"

#define LAPIC           0xfee00000u
#define LAPIC_ID        0x020
#define LAPIC_SVR       0x0f0
#define LAPIC_IRR       0x200
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_TMICT     0x380
#define LAPIC_TMCCT     0x390
#define LAPIC_TDCR      0x3e0
#define LVT_MASKED      (1u << 16)
#define LVT_PERIODIC    (1u << 17)
#define VEC_ONESHOT     0x40
#define VEC_MASKED      0x61
#define COUNT           200000u

static uint32_t lapic(uint32_t reg)
{
    return mmio_read32(LAPIC + reg);
}

static void lapic_set(uint32_t reg, uint32_t v)
{
    mmio_write32(LAPIC + reg, v);
}

static int irr(unsigned vec)
{
    return (lapic(LAPIC_IRR + 0x10 * (vec / 32)) >> (vec % 32)) & 1;
}

/* Spin until the timer's count reaches 0 (bounded). */
static int wait_expired(void)
{
    for (uint32_t spins = 0; spins < 200000000u; spins++) {
        if (lapic(LAPIC_TMCCT) == 0) {
            return 1;
        }
    }
    return 0;
}

int kmain(uint32_t magic, const struct mb_info *mbi)
{
    uint32_t r[4], c0, c1, reloads = 0, prev;
    int ok = 1;

    serial_init();
    kputs("apic timer test\n");
    cpuid(1, 0, r);
    ok &= check("LAPIC id register matches CPUID", (lapic(LAPIC_ID) >> 24) == (r[1] >> 24));
    lapic_set(LAPIC_SVR, lapic(LAPIC_SVR) | 0x100 | 0xff);
    lapic_set(LAPIC_TDCR, 0xb);                     /* divide by 1 */

    lapic_set(LAPIC_LVT_TIMER, VEC_ONESHOT);
    ok &= check("vector not pending before start", !irr(VEC_ONESHOT));
    lapic_set(LAPIC_TMICT, COUNT);
    c0 = lapic(LAPIC_TMCCT);
    c1 = lapic(LAPIC_TMCCT);
    kprintf("current count: %u then %u\n", c0, c1);
    ok &= check("current count starts at most at the initial count and decreases",
                c0 <= COUNT && c1 <= c0);
    ok &= check("one-shot timer expires", wait_expired());
    ok &= check("expiry sets the vector's IRR bit (IF=0: pending, not taken)",
                irr(VEC_ONESHOT));

    lapic_set(LAPIC_LVT_TIMER, LVT_MASKED | VEC_MASKED);
    lapic_set(LAPIC_TMICT, COUNT);
    ok &= check("masked timer expires", wait_expired());
    ok &= check("masked timer leaves IRR clear", !irr(VEC_MASKED));

    lapic_set(LAPIC_LVT_TIMER, LVT_MASKED | LVT_PERIODIC | VEC_MASKED);
    lapic_set(LAPIC_TMICT, COUNT);
    prev = lapic(LAPIC_TMCCT);
    for (uint32_t spins = 0; reloads < 3 && spins < 200000000u; spins++) {
        uint32_t now = lapic(LAPIC_TMCCT);

        reloads += now > prev;
        prev = now;
    }
    ok &= check("periodic timer reloads its count", reloads >= 3);
    lapic_set(LAPIC_TMICT, 0);
    ok &= check("writing 0 stops the timer", lapic(LAPIC_TMCCT) == 0);
    kputs(ok ? "apic: all ok\n" : "apic: FAILED\n");
    return ok ? 0x25 : 0x20;
}
