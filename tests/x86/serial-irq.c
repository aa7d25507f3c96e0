/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Serial interrupt test kernel: checks the 16550A's THRE interrupt
 * identification, loopback and scratch register, sees PIT ticks arrive at
 * the PIC (both in-kernel under KVM), then reads one line from COM1 driven
 * by its receive interrupt and echoes it as "got: LINE". Exits with 0x11
 * (status 35) on success, 0x5 when a UART check fails, 0x6 when an IRQ
 * never shows up.
 *
 * The CPU keeps interrupts disabled and polls the PIC (OCW3 poll command,
 * which also acknowledges): this checks the path device -> IRQ line ->
 * interrupt controller without depending on how the host's KVM delivers
 * and returns from interrupts (some software KVM backends cannot emulate a
 * protected-mode IRET).
 */
#include "runtime.h"

#define SERIAL_IRQ_EXIT 0x11

#define PIC1 0x20
#define PIC2 0xa0
#define PIT_CH0 0x40
#define PIT_CMD 0x43
#define VEC_BASE 0x20

static void pic_init(uint8_t mask1)
{
    outb(PIC1, 0x11);           /* ICW1: edge, cascade, ICW4 */
    outb(PIC2, 0x11);
    outb(PIC1 + 1, VEC_BASE);   /* ICW2: vector base */
    outb(PIC2 + 1, VEC_BASE + 8);
    outb(PIC1 + 1, 4);          /* ICW3: slave on IRQ2 */
    outb(PIC2 + 1, 2);
    outb(PIC1 + 1, 1);          /* ICW4: 8086 mode */
    outb(PIC2 + 1, 1);
    outb(PIC1 + 1, mask1);
    outb(PIC2 + 1, 0xff);
}

/* Wait for the master PIC to report an unmasked IRQ; acknowledge and EOI it. */
static int pic_poll(void)
{
    for (uint32_t spins = 0; spins < 20000000u; spins++) {
        uint8_t v;

        outb(PIC1, 0x0c);       /* OCW3: poll */
        v = inb(PIC1);
        if (v & 0x80) {
            outb(PIC1, 0x20);   /* non-specific EOI */
            return v & 7;
        }
    }
    return -1;
}

static char line[64];
static uint32_t line_len;
static int line_done;

/* Move received bytes into line; true once a line end arrived. */
static int take_input(void)
{
    while (!line_done && (inb(COM1 + 5) & 0x01)) {
        char c = (char)inb(COM1);

        if (c == '\n' || c == '\r') {
            line[line_len] = '\0';
            line_done = 1;
        } else if (line_len < sizeof(line) - 1) {
            line[line_len++] = c;
        }
    }
    return line_done;
}

static int serial_check(const char *what, int ok)
{
    kprintf("%s: %s\n", what, ok ? "ok" : "FAILED");
    return ok;
}

static int uart_checks(void)
{
    uint8_t iir, iir2, msr, got, lsr_after;
    int ok = 1;

    outb(COM1 + 7, 0x5a);
    ok &= serial_check("scratch", inb(COM1 + 7) == 0x5a);

    /*
     * Enabling THRE interrupts with an empty THR must report one at once,
     * and reading IIR acknowledges it. Both reads come before any output:
     * each byte sent re-arms THRE.
     */
    outb(COM1 + 1, 0x02);
    iir = inb(COM1 + 2);
    iir2 = inb(COM1 + 2);
    outb(COM1 + 1, 0x00);
    ok &= serial_check("thre-iir", (iir & 0x0f) == 0x02 && (iir & 0xc0) == 0xc0);
    ok &= serial_check("thre-ack", iir2 & 0x01);

    /*
     * Loopback: what we send comes back and the modem inputs mirror MCR.
     * Output would loop back too, so report only after leaving loopback.
     * Host input that arrived early is kept; none comes in during loopback.
     */
    take_input();
    outb(COM1 + 4, 0x1f);
    msr = inb(COM1 + 6);
    outb(COM1, 'X');
    got = (inb(COM1 + 5) & 0x01) ? inb(COM1) : 0;
    lsr_after = inb(COM1 + 5);
    outb(COM1 + 4, 0x0b);       /* DTR, RTS, OUT2 */
    ok &= serial_check("loop-msr", (msr & 0xf0) == 0xf0);
    ok &= serial_check("loop-data", got == 'X');
    ok &= serial_check("loop-empty", !(lsr_after & 0x01));
    return ok;
}

int kmain(uint32_t magic, const struct mb_info *mbi)
{
    uint16_t div = 1193;        /* ~1 kHz */
    uint32_t ticks = 0;
    int done;

    serial_init();
    kputs("serial-irq test\n");
    if (!uart_checks()) {
        return 0x5;
    }
    pic_init((uint8_t)~(1u << 0));
    outb(PIT_CMD, 0x34);        /* channel 0, lo/hi, mode 2 */
    outb(PIT_CH0, div & 0xff);
    outb(PIT_CH0, div >> 8);
    while (ticks < 5) {
        if (pic_poll() != 0) {
            kputs("timer: FAILED\n");
            return 0x6;
        }
        ticks++;
    }
    outb(PIT_CMD, 0x30);        /* channel 0 stopped: one-shot, no count */
    pic_init((uint8_t)~(1u << 4));
    kputs("timer: ok\nready\n");
    outb(COM1 + 1, 0x01);       /* IER: received data */
    done = take_input();
    while (!done) {
        if (pic_poll() != 4) {
            kputs("com1 irq: FAILED\n");
            return 0x6;
        }
        done = take_input();
    }
    outb(COM1 + 1, 0x00);
    kprintf("got: %s\n", line);
    return SERIAL_IRQ_EXIT;
}
