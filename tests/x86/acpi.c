/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ACPI test kernel: finds the RSDP like an OS does (scan of 0xe0000-
 * 0xfffff), validates the checksums of RSDP, RSDT, XSDT, FADT, MADT, FACS
 * and DSDT, checks that the MADT lists one enabled local APIC per CPU
 * ("cpus=N" on the command line), an IOAPIC and the IRQ 0 override, and
 * that the FADT's PM timer counts. With "poweroff" on the command line it
 * then writes SLP_TYP(\_S5)|SLP_EN to PM1a_CNT, which must end Tern with
 * status 0. Exits with 0x22 (status 69) when all checks pass, 0x20 if not.
 */
#include "runtime.h"

#define SLP_EN (1u << 13)

static uint32_t rd32(const uint8_t *p)
{
    return p[0] | (p[1] << 8) | (p[2] << 16) | ((uint32_t)p[3] << 24);
}

static int check_madt(const uint8_t *madt, uint32_t cpus)
{
    uint32_t len = rd32(madt + 4), lapics = 0, ioapics = 0, irq0 = 0, sci = 0;
    int ok = 1;

    for (uint32_t off = 44; off + 2 <= len && madt[off + 1]; off += madt[off + 1]) {
        const uint8_t *e = madt + off;

        switch (e[0]) {
        case 0:
            kprintf("madt: lapic uid %u apic id %u flags %u\n", e[2], e[3], rd32(e + 4));
            lapics += rd32(e + 4) & 1;
            break;
        case 1:
            kprintf("madt: ioapic id %u at 0x%x gsi base %u\n", e[2], rd32(e + 4), rd32(e + 8));
            ioapics += rd32(e + 4) == 0xfec00000 && rd32(e + 8) == 0;
            break;
        case 2:
            kprintf("madt: override irq %u -> gsi %u flags 0x%x\n", e[3], rd32(e + 4),
                    e[8] | (e[9] << 8));
            irq0 += e[3] == 0 && rd32(e + 4) == 2;
            sci += e[3] == 9 && rd32(e + 4) == 9 && (e[8] | (e[9] << 8)) == 0xd;
            break;
        default:
            break;
        }
    }
    ok &= check("MADT: local APIC address 0xfee00000", rd32(madt + 36) == 0xfee00000);
    ok &= check("MADT: one enabled local APIC per CPU", lapics == cpus);
    ok &= check("MADT: IOAPIC at 0xfec00000, GSI base 0", ioapics == 1);
    ok &= check("MADT: IRQ0 -> GSI2 and SCI level/high overrides", irq0 == 1 && sci == 1);
    return ok;
}

int kmain(uint32_t magic, const struct mb_info *mbi)
{
    const char *cmdline = mb_cmdline(mbi);
    uint32_t cpus = katou(karg(cmdline, "cpus"));
    const uint8_t *rsdp, *xsdt, *fadt, *madt, *dsdt, *facs;
    uint32_t tmr, pm1a_cnt, t0, t1, dlen;
    int ok = 1, s5 = 0;

    serial_init();
    kputs("acpi test\n");
    rsdp = acpi_find_rsdp();
    if (!check("RSDP found, checksum valid", rsdp != NULL)) {
        return 0x20;
    }
    kprintf("rsdp at 0x%x revision %u\n", (uint32_t)(uintptr_t)rsdp, rsdp[15]);
    ok &= check("RSDP v2: extended checksum", rsdp[15] == 2 && acpi_sum(rsdp, 36) == 0);
    xsdt = (const uint8_t *)(uintptr_t)rd32(rsdp + 24);
    ok &= check("XSDT checksum", !kmemcmp(xsdt, "XSDT", 4) && acpi_sum(xsdt, rd32(xsdt + 4)) == 0);
    fadt = acpi_find_table(rsdp, "FACP");
    madt = acpi_find_table(rsdp, "APIC");
    if (!check("FADT and MADT found through the RSDT, checksums valid", fadt && madt)) {
        return 0x20;
    }
    ok &= check("XSDT lists the same tables",
                rd32(xsdt + 36) == (uint32_t)(uintptr_t)fadt &&
                rd32(xsdt + 44) == (uint32_t)(uintptr_t)madt);
    ok &= check_madt(madt, cpus);

    dsdt = (const uint8_t *)(uintptr_t)rd32(fadt + 40);
    facs = (const uint8_t *)(uintptr_t)rd32(fadt + 36);
    dlen = rd32(dsdt + 4);
    ok &= check("DSDT checksum", !kmemcmp(dsdt, "DSDT", 4) && acpi_sum(dsdt, dlen) == 0);
    for (uint32_t i = 36; i + 4 <= dlen; i++) {
        s5 |= !kmemcmp(dsdt + i, "_S5_", 4);
    }
    ok &= check("DSDT defines \\_S5", s5);
    ok &= check("FACS signature, 64-byte aligned",
                !kmemcmp(facs, "FACS", 4) && ((uintptr_t)facs & 63) == 0);
    ok &= check("FADT: SCI on IRQ 9", (fadt[46] | (fadt[47] << 8)) == 9);
    ok &= check("FADT: reset register 0xcf9 value 6, RESET_REG_SUP",
                fadt[116] == 1 && rd32(fadt + 120) == 0xcf9 && fadt[128] == 6 &&
                (rd32(fadt + 112) & (1u << 10)));
    ok &= check("FADT: not hardware-reduced", !(rd32(fadt + 112) & (1u << 20)));

    tmr = rd32(fadt + 76);
    pm1a_cnt = rd32(fadt + 64);
    kprintf("pm timer at 0x%x, pm1a_cnt at 0x%x\n", tmr, pm1a_cnt);
    t0 = inl(tmr);
    t1 = t0;
    for (uint32_t spins = 0; t1 == t0 && spins < 100000000u; spins++) {
        t1 = inl(tmr);
    }
    ok &= check("PM timer counts", t1 != t0);
    ok &= check("PM1a_CNT: SCI_EN set", inw(pm1a_cnt) & 1);

    if (karg(cmdline, "poweroff") || !kstrcmp(cmdline + kstrlen(cmdline) - 8, "poweroff")) {
        kputs(ok ? "acpi: all ok, powering off\n" : "acpi: FAILED, powering off\n");
        /* \_S5's SLP_TYP is 0. */
        outw(pm1a_cnt, (0 << 10) | SLP_EN);
        kputs("acpi: still running after S5\n");
        return 0x20;
    }
    kputs(ok ? "acpi: all ok\n" : "acpi: FAILED\n");
    return ok ? 0x22 : 0x20;
}
