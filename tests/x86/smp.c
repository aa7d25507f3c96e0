/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SMP test kernel: wakes the application processors the way an OS does,
 * INIT then SIPI twice through the xAPIC's ICR (MMIO at 0xfee00000), to a
 * real-mode trampoline at 0x8000 (smp-entry.S). Every AP counts itself in
 * with lock xadd and records its APIC id; the BSP waits (bounded by the
 * ACPI PM timer) until "cpus=N" processors checked in with distinct ids.
 * Exits with 0x23 (status 71) on success, 0x24 when APs are missing.
 */
#include "runtime.h"

#define LAPIC           0xfee00000u
#define LAPIC_ID        0x020
#define LAPIC_SVR       0x0f0
#define LAPIC_ICR_LO    0x300
#define LAPIC_ICR_HI    0x310
#define ICR_BUSY        (1u << 12)
#define ICR_ALL_BUT_SELF (3u << 18)
#define ICR_INIT        0x00004500u     /* INIT, level assert */
#define ICR_SIPI        0x00004600u
#define TRAMPOLINE      0x8000u
#define PM_TMR          0x608
#define PM_HZ           3579545u
#define MAX_CPUS        64

extern const char ap_tramp_start[], ap_tramp_end[];

volatile uint32_t ap_stack_index;
uint8_t ap_stacks[(MAX_CPUS + 1) * 4096] __attribute__((aligned(4096)));
static volatile uint32_t checked_in;
static volatile uint32_t apic_ids[MAX_CPUS];

void ap_main(void);

void ap_main(void)
{
    uint32_t r[4], slot;

    cpuid(1, 0, r);
    slot = __atomic_fetch_add(&checked_in, 1, __ATOMIC_SEQ_CST);   /* lock xadd */
    if (slot < MAX_CPUS) {
        apic_ids[slot] = r[1] >> 24;
    }
}

/* Busy-wait on the ACPI PM timer (32-bit, 3.58 MHz). */
static void udelay(uint32_t us)
{
    uint32_t start = inl(PM_TMR), ticks = (uint32_t)((uint64_t)us * PM_HZ / 1000000u);

    while (inl(PM_TMR) - start < ticks) {
        cpu_relax();
    }
}

static void send_ipi(uint32_t icr)
{
    mmio_write32(LAPIC + LAPIC_ICR_HI, 0);
    mmio_write32(LAPIC + LAPIC_ICR_LO, icr);
    for (uint32_t spins = 0; (mmio_read32(LAPIC + LAPIC_ICR_LO) & ICR_BUSY) && spins < 1000000;
         spins++) {
        cpu_relax();
    }
}

int kmain(uint32_t magic, const struct mb_info *mbi)
{
    uint32_t cpus = katou(karg(mb_cmdline(mbi), "cpus"));
    uint32_t want = cpus ? cpus - 1 : 0, bsp_id = mmio_read32(LAPIC + LAPIC_ID) >> 24;
    uint32_t start, elapsed = 0;
    int ok = 1;

    serial_init();
    kprintf("smp test: %u cpus, BSP apic id %u\n", cpus, bsp_id);
    if (cpus < 2 || cpus > MAX_CPUS) {
        kputs("smp: need cpus=2..64 on the command line\n");
        return 0x24;
    }
    memcpy((void *)TRAMPOLINE, ap_tramp_start, ap_tramp_end - ap_tramp_start);
    mmio_write32(LAPIC + LAPIC_SVR, mmio_read32(LAPIC + LAPIC_SVR) | 0x100);
    send_ipi(ICR_ALL_BUT_SELF | ICR_INIT);
    udelay(10000);
    for (int i = 0; i < 2; i++) {
        send_ipi(ICR_ALL_BUT_SELF | ICR_SIPI | (TRAMPOLINE >> 12));
        udelay(200);
    }
    /* Give the APs up to two seconds of guest time. */
    start = inl(PM_TMR);
    while (checked_in < want && elapsed < 2 * PM_HZ) {
        cpu_relax();
        elapsed = inl(PM_TMR) - start;
    }
    kprintf("checked in: %u of %u APs\n", checked_in, want);
    ok &= check("every AP checked in", checked_in == want);
    for (uint32_t i = 0; i < checked_in && i < MAX_CPUS; i++) {
        int dup = apic_ids[i] == bsp_id;

        for (uint32_t j = 0; j < i; j++) {
            dup |= apic_ids[j] == apic_ids[i];
        }
        kprintf("AP %u: apic id %u\n", i, apic_ids[i]);
        ok &= !dup;
    }
    ok &= check("APIC ids are distinct", ok);
    kputs(ok ? "smp: all ok\n" : "smp: FAILED\n");
    return ok ? 0x23 : 0x24;
}
