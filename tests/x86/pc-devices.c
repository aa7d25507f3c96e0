/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Legacy PC devices test kernel: CMOS RTC (time against "now=EPOCH" from
 * the command line, BCD/binary and 12/24-hour encodings, setting the
 * clock, update-in-progress, periodic interrupt on IRQ 8), the CMOS memory
 * bytes, the i8042 (self-test, command byte, keyboard reset), port 0x61
 * (PIT channel 2 gate and output, as Linux's PIT calibration uses it),
 * pc-testdev (scratch ports, byte port, MMIO scratch, IRQ lines),
 * isa-debugcon, and unassigned ports and MMIO (all-ones, writes ignored).
 * Interrupts are polled at the PIC with IF = 0. Exits with 0x26 (status
 * 77) when every check passes, 0x20 otherwise.
 */
#include "runtime.h"

#define PIC1 0x20
#define PIC2 0xa0

static uint8_t cmos(uint8_t idx)
{
    outb(0x70, idx);
    return inb(0x71);
}

static void cmos_set(uint8_t idx, uint8_t v)
{
    outb(0x70, idx);
    outb(0x71, v);
}

static uint32_t bcd(uint8_t v)
{
    return (v >> 4) * 10 + (v & 0xf);
}

/* Days since 1970-01-01 of a date (valid 1970-2099). */
static uint32_t days(uint32_t y, uint32_t m, uint32_t d)
{
    static const uint16_t before[] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
    uint32_t n = (y - 1970) * 365 + (y - 1969) / 4 + before[m - 1] + d - 1;

    return n + (m > 2 && y % 4 == 0);
}

static void wait_not_uip(void)
{
    for (uint32_t spins = 0; (cmos(0x0a) & 0x80) && spins < 10000000u; spins++) {
    }
}

static uint32_t rtc_epoch(void)
{
    uint32_t s, m, h, d, mo, y;

    wait_not_uip();
    s = bcd(cmos(0));
    m = bcd(cmos(2));
    h = bcd(cmos(4));
    d = bcd(cmos(7));
    mo = bcd(cmos(8));
    y = bcd(cmos(0x32)) * 100 + bcd(cmos(9));
    kprintf("rtc: %u-%02u-%02u %02u:%02u:%02u\n", y, mo, d, h, m, s);
    return days(y, mo, d) * 86400u + h * 3600 + m * 60 + s;
}

static void pic_init(uint8_t mask1, uint8_t mask2)
{
    outb(PIC1, 0x11);
    outb(PIC2, 0x11);
    outb(PIC1 + 1, 0x20);
    outb(PIC2 + 1, 0x28);
    outb(PIC1 + 1, 4);
    outb(PIC2 + 1, 2);
    outb(PIC1 + 1, 1);
    outb(PIC2 + 1, 1);
    outb(PIC1 + 1, mask1);
    outb(PIC2 + 1, mask2);
}

/* Poll a PIC for a request; returns its IRQ (0-7) after EOI, -1 if none soon. */
static int pic_poll(uint16_t pic, uint32_t spins)
{
    while (spins--) {
        uint8_t v;

        outb(pic, 0x0c);
        v = inb(pic);
        if (v & 0x80) {
            outb(pic, 0x20);
            return v & 7;
        }
    }
    return -1;
}

static int test_rtc(const char *cmdline)
{
    uint32_t now = katou(karg(cmdline, "now")), t, s1, s2;
    uint8_t b = cmos(0x0b), h12;
    int ok = 1, uip = 0, irq = -1;

    ok &= check("RTC: register D valid RAM and time", cmos(0x0d) == 0x80);
    ok &= check("RTC: default 24-hour BCD", (b & 0x06) == 0x02);
    t = rtc_epoch();
    kprintf("rtc epoch %u, host said %u\n", t, now);
    ok &= check("RTC: time within a minute of the host's",
                now && (t > now ? t - now : now - t) < 60);

    /* Binary mode. */
    wait_not_uip();
    s1 = bcd(cmos(0));
    cmos_set(0x0b, b | 0x04);
    s2 = cmos(0);
    cmos_set(0x0b, b);
    ok &= check("RTC: binary mode gives the same seconds", s2 == s1 || s2 == (s1 + 1) % 60);
    /* 12-hour mode: hour with the PM bit. */
    wait_not_uip();
    cmos_set(0x0b, b & ~0x02);
    h12 = cmos(4);
    cmos_set(0x0b, b);
    {
        uint32_t h24 = bcd(cmos(4)), h = bcd(h12 & 0x7f) % 12 + ((h12 & 0x80) ? 12 : 0);
        ok &= check("RTC: 12-hour mode", h == h24 || (h + 1) % 24 == h24);
    }
    /* Set the clock with SET held: 2033-05-17 12:34:56. */
    cmos_set(0x0b, b | 0x80);
    cmos_set(0, 0x56);
    cmos_set(2, 0x34);
    cmos_set(4, 0x12);
    cmos_set(7, 0x17);
    cmos_set(8, 0x05);
    cmos_set(9, 0x33);
    cmos_set(0x32, 0x20);
    cmos_set(0x0b, b);
    t = rtc_epoch();
    ok &= check("RTC: clock set to 2033-05-17 12:34:56 keeps running from there",
                t - (days(2033, 5, 17) * 86400u + 12 * 3600 + 34 * 60 + 56) < 5);
    /* Update in progress shows up within a second or so. */
    for (uint32_t spins = 0; !uip && spins < 50000000u; spins++) {
        uip = cmos(0x0a) & 0x80;
    }
    ok &= check("RTC: update-in-progress flag seen", uip);

    /* Periodic interrupt at 1024 Hz on IRQ 8 (slave PIC IRQ 0). */
    pic_init((uint8_t)~(1u << 2), (uint8_t)~1u);
    cmos(0x0c);
    cmos_set(0x0a, 0x26);
    cmos_set(0x0b, b | 0x40);
    irq = pic_poll(PIC2, 50000000u);
    outb(PIC1, 0x20);
    ok &= check("RTC: periodic interrupt on IRQ 8", irq == 0 && (cmos(0x0c) & 0xc0) == 0xc0);
    cmos_set(0x0b, b);
    cmos(0x0c);
    return ok;
}

static int test_cmos_memory(const struct mb_info *mbi, const char *cmdline)
{
    uint32_t ext = cmos(0x17) | (cmos(0x18) << 8);
    uint32_t above16 = cmos(0x34) | (cmos(0x35) << 8);
    uint32_t cpus = katou(karg(cmdline, "cpus"));
    int ok = 1;

    kprintf("cmos: ext %u KiB, above 16M %u x 64K, cpus-1 %u\n", ext, above16, cmos(0x5f));
    ok &= check("CMOS: base memory 640 KiB", (cmos(0x15) | (cmos(0x16) << 8)) == 640);
    ok &= check("CMOS: extended memory matches mem_upper",
                ext == (mbi->mem_upper > 0xffff ? 0xffff : mbi->mem_upper));
    ok &= check("CMOS: memory above 16 MiB in 64 KiB units",
                above16 == (mbi->mem_upper - 15 * 1024) / 64);
    ok &= check("CMOS: CPU count - 1 at 0x5f", cmos(0x5f) == cpus - 1);
    return ok;
}

static uint8_t kbc_read(void)
{
    for (uint32_t spins = 0; spins < 1000000; spins++) {
        if (inb(0x64) & 1) {
            return inb(0x60);
        }
    }
    return 0xee;
}

static int test_i8042(void)
{
    uint8_t ctr, a, b;
    int ok = 1;

    ok &= check("i8042: status register present", inb(0x64) != 0xff);
    outb(0x64, 0xaa);
    ok &= check("i8042: self-test answers 0x55", kbc_read() == 0x55);
    outb(0x64, 0x20);
    ctr = kbc_read();
    outb(0x64, 0x60);
    outb(0x60, ctr & ~1);           /* no keyboard interrupt for the rest */
    outb(0x64, 0x20);
    ok &= check("i8042: command byte read back", kbc_read() == (ctr & ~1));
    outb(0x60, 0xff);
    a = kbc_read();
    b = kbc_read();
    ok &= check("i8042: keyboard reset answers 0xfa 0xaa", a == 0xfa && b == 0xaa);
    outb(0x64, 0xd3);
    outb(0x60, 0x5a);
    ok &= check("i8042: aux loopback with the aux flag", (inb(0x64) & 0x21) == 0x21 &&
                kbc_read() == 0x5a);
    return ok;
}

static int test_port61(void)
{
    int ok = 1, high = 0;

    /* PIT channel 2, mode 0, count 1000: OUT2 (port 0x61 bit 5) goes high at 0. */
    outb(0x61, (inb(0x61) & ~0x03) | 0x00);
    outb(0x43, 0xb0);
    outb(0x42, 1000 & 0xff);
    outb(0x42, 1000 >> 8);
    ok &= check("port 0x61: OUT2 low after programming", !(inb(0x61) & 0x20));
    outb(0x61, (inb(0x61) & ~0x02) | 0x01);    /* gate on, speaker off */
    for (uint32_t spins = 0; !high && spins < 10000000u; spins++) {
        high = inb(0x61) & 0x20;
    }
    ok &= check("port 0x61: PIT channel 2 output rises with the gate on", high);
    outb(0x61, inb(0x61) & ~0x03);
    return ok;
}

static int test_testdev(void)
{
    volatile uint32_t *iomem = (volatile uint32_t *)0xff000000u;
    int ok = 1, irq;

    outl(0xe0, 0x12345678);
    ok &= check("pc-testdev: scratch dword", inl(0xe0) == 0x12345678);
    outb(0xe1, 0xab);
    ok &= check("pc-testdev: byte write into the scratch",
                inl(0xe0) == 0x1234ab78 && inb(0xe2) == 0x34 && inw(0xe2) == 0x1234);
    outb(0xe8, 0xa5);
    ok &= check("pc-testdev: byte port", inb(0xe8) == 0xa5 && inl(0xe0) == 0x1234ab78);
    outl(0xe4, 1);
    iomem[0] = 0xdeadbeef;
    iomem[1023] = 0x01020304;
    ok &= check("pc-testdev: MMIO scratch at 0xff000000",
                iomem[0] == 0xdeadbeef && iomem[1023] == 0x01020304 &&
                ((volatile uint8_t *)iomem)[1] == 0xbe);
    pic_init((uint8_t)~(1u << 5), 0xff);
    outb(0x2005, 1);
    irq = pic_poll(PIC1, 10000000u);
    outb(0x2005, 0);
    ok &= check("pc-testdev: IRQ line 5 reaches the PIC", irq == 5);
    ok &= check("pc-testdev: line lowered, nothing pending", pic_poll(PIC1, 1000) == -1);
    return ok;
}

static int test_debugcon_unassigned(void)
{
    static const char msg[] = "debugcon: hello\n";
    volatile uint32_t *hole = (volatile uint32_t *)0xfe000000u;
    int ok = 1;

    ok &= check("isa-debugcon reads back 0xe9", inb(0xe9) == 0xe9);
    for (const char *p = msg; *p; p++) {
        outb(0xe9, (uint8_t)*p);
    }
    ok &= check("unassigned port 0x1234 reads all-ones (8/16/32)",
                inb(0x1234) == 0xff && inw(0x1234) == 0xffff && inl(0x1234) == 0xffffffffu);
    outl(0x1234, 0);
    ok &= check("unassigned port: the write is ignored", inl(0x1234) == 0xffffffffu);
    ok &= check("unassigned MMIO 0xfe000000 reads all-ones", hole[0] == 0xffffffffu);
    hole[0] = 0;
    ok &= check("unassigned MMIO: the write is ignored", hole[0] == 0xffffffffu);
    return ok;
}

int kmain(uint32_t magic, const struct mb_info *mbi)
{
    const char *cmdline = mb_cmdline(mbi);
    int ok = 1;

    serial_init();
    kputs("pc devices test\n");
    ok &= test_rtc(cmdline);
    ok &= test_cmos_memory(mbi, cmdline);
    ok &= test_i8042();
    ok &= test_port61();
    ok &= test_testdev();
    ok &= test_debugcon_unassigned();
    kputs(ok ? "pc-devices: all ok\n" : "pc-devices: FAILED\n");
    return ok ? 0x26 : 0x20;
}
