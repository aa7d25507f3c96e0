/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PL011 UART tests: the device is mapped at 0x0900_0000 in system memory
 * and driven through the memory API, with a ringbuf chardev collecting its
 * output and input fed through the chardev backend API (the same path a
 * socket or pty takes). Covers TX, RX with and without the FIFO, flags,
 * interrupts, loopback, errors, ID registers, reset and guest mistakes.
 */
#include <string.h>
#include <unistd.h>

#include "chardev/char.h"
#include "hw/arm/virt.h"
#include "hw/char/pl011.h"
#include "hw/core/device.h"
#include "system/memory.h"
#include "util/error.h"
#include "util/log.h"

#define BASE 0x09000000ull

typedef struct Fixture {
    Chardev *chr;
    DeviceState *dev;
    IrqLine *irq;
    int level;
    int edges;
    char *log_path;
} Fixture;

static void irq_handler(void *opaque, int n, int level)
{
    Fixture *f = opaque;

    if (level && !f->level) {
        f->edges++;
    }
    f->level = level;
}

static uint32_t rd(uint64_t off)
{
    uint64_t v = 0;

    g_assert_cmpuint(address_space_read_val(address_space_memory(), BASE + off, &v, 4), ==,
                     MEMTX_OK);
    return v;
}

static void wr(uint64_t off, uint32_t v)
{
    g_assert_cmpuint(address_space_write_val(address_space_memory(), BASE + off, v, 4), ==,
                     MEMTX_OK);
}

static char *take_output(Fixture *f)
{
    GByteArray *got = chardev_ringbuf_read(f->chr, 4096);
    char *s = got->len ? g_strndup((const char *)got->data, got->len) : g_strdup("");

    g_byte_array_unref(got);
    return s;
}

/* Feeds bytes the way a backend does: only as much as can_read allows. */
static int feed(Fixture *f, const char *s)
{
    int room = chardev_be_can_read(f->chr);
    int len = MIN(room, (int)strlen(s));

    chardev_be_read(f->chr, (const uint8_t *)s, len);
    return len;
}

static char *take_log(Fixture *f)
{
    char *text = NULL;

    log_flush();
    g_assert_true(g_file_get_contents(f->log_path, &text, NULL, NULL));
    g_assert_true(log_set_file(f->log_path, NULL));     /* truncate */
    return text;
}

static void fixture_setup(Fixture *f, gconstpointer data)
{
    GError *err = NULL;
    int fd;

    memset(f, 0, sizeof(*f));
    hw_arm_register_devices();
    fd = g_file_open_tmp("test-pl011-log-XXXXXX", &f->log_path, &err);
    g_assert_no_error(err);
    close(fd);
    g_assert_true(log_set_file(f->log_path, NULL));
    log_set_mask(LOG_GUEST_ERROR | LOG_UNIMP);

    if (!data) {
        f->chr = chardev_new("ser0", "ringbuf", NULL, &err);
        g_assert_no_error(err);
    }
    f->irq = irq_new(irq_handler, f, 0);
    f->dev = pl011_create(BASE, f->irq, f->chr, f->chr ? "ser0" : NULL, &err);
    g_assert_no_error(err);
    g_assert_nonnull(f->dev);
    device_reset(f->dev);
    g_assert_cmpuint(device_mmio_addr(f->dev, 0), ==, BASE);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    device_tree_destroy();
    if (f->chr) {
        chardev_delete(f->chr);
    }
    irq_free(f->irq);
    log_set_mask(0);
    log_set_file(NULL, NULL);
    unlink(f->log_path);
    g_free(f->log_path);
}

static void test_tx(Fixture *f, gconstpointer data)
{
    g_autofree char *out = NULL;

    wr(PL011_IBRD, 13);
    wr(PL011_LCR_H, 0x70);      /* 8 bits, FIFO on */
    wr(PL011_CR, PL011_CR_UARTEN | PL011_CR_TXE | PL011_CR_RXE);
    g_assert_cmpuint(rd(PL011_FR) & (PL011_FR_TXFE | PL011_FR_TXFF | PL011_FR_BUSY), ==,
                     PL011_FR_TXFE);
    wr(PL011_DR, 'H');
    wr(PL011_DR, 0x169);        /* only the low byte is data */
    out = take_output(f);
    g_assert_cmpstr(out, ==, "Hi");
    g_assert_cmpuint(rd(PL011_RIS) & PL011_INT_TX, !=, 0);
    g_assert_cmpuint(rd(PL011_FR) & PL011_FR_TXFE, !=, 0);

    /* Byte-wide accesses, as some drivers make them. */
    g_assert_cmpuint(address_space_write_val(address_space_memory(), BASE + PL011_DR, '!', 1),
                     ==, MEMTX_OK);
    g_free(out);
    out = take_output(f);
    g_assert_cmpstr(out, ==, "!");
}

static void test_rx_no_fifo(Fixture *f, gconstpointer data)
{
    uint32_t fr = rd(PL011_FR);

    wr(PL011_CR, PL011_CR_UARTEN | PL011_CR_TXE | PL011_CR_RXE);
    g_assert_cmpuint(fr & (PL011_FR_RXFE | PL011_FR_RXFF), ==, PL011_FR_RXFE);
    g_assert_cmpint(chardev_be_can_read(f->chr), ==, 1);
    g_assert_cmpint(feed(f, "ab"), ==, 1);
    fr = rd(PL011_FR);
    g_assert_cmpuint(fr & (PL011_FR_RXFE | PL011_FR_RXFF), ==, PL011_FR_RXFF);
    g_assert_cmpint(chardev_be_can_read(f->chr), ==, 0);
    g_assert_cmpuint(rd(PL011_DR), ==, 'a');
    g_assert_cmpuint(rd(PL011_FR) & PL011_FR_RXFE, !=, 0);
    g_assert_cmpint(chardev_be_can_read(f->chr), ==, 1);
    g_assert_cmpint(feed(f, "b"), ==, 1);
    g_assert_cmpuint(rd(PL011_DR), ==, 'b');
    /* Empty FIFO reads as 0 and changes nothing. */
    g_assert_cmpuint(rd(PL011_DR), ==, 0);
    g_assert_cmpuint(rd(PL011_FR) & PL011_FR_RXFE, !=, 0);
}

static void test_rx_fifo(Fixture *f, gconstpointer data)
{
    const char *msg = "0123456789abcdefXYZ";

    wr(PL011_CR, PL011_CR_UARTEN | PL011_CR_TXE | PL011_CR_RXE);
    wr(PL011_LCR_H, PL011_LCRH_FEN | 0x60);
    g_assert_cmpuint(rd(PL011_LCR_H), ==, PL011_LCRH_FEN | 0x60);
    g_assert_cmpint(chardev_be_can_read(f->chr), ==, PL011_FIFO_DEPTH);
    g_assert_cmpint(feed(f, "0123"), ==, 4);
    g_assert_cmpint(chardev_be_can_read(f->chr), ==, 12);
    g_assert_cmpint(feed(f, msg + 4), ==, 12);
    g_assert_cmpint(chardev_be_can_read(f->chr), ==, 0);
    g_assert_cmpuint(rd(PL011_FR) & (PL011_FR_RXFE | PL011_FR_RXFF), ==, PL011_FR_RXFF);
    for (int i = 0; i < PL011_FIFO_DEPTH; i++) {
        g_assert_cmpuint(rd(PL011_DR), ==, (uint8_t)msg[i]);
        g_assert_cmpuint(rd(PL011_FR) & PL011_FR_RXFF, ==, 0);
    }
    g_assert_cmpuint(rd(PL011_FR) & PL011_FR_RXFE, !=, 0);

    /* Turning the FIFO off discards what was waiting and shrinks it to 1. */
    g_assert_cmpint(feed(f, "xyz"), ==, 3);
    wr(PL011_LCR_H, 0x60);
    g_assert_cmpuint(rd(PL011_FR) & PL011_FR_RXFE, !=, 0);
    g_assert_cmpint(chardev_be_can_read(f->chr), ==, 1);
}

static void test_interrupts(Fixture *f, gconstpointer data)
{
    wr(PL011_CR, PL011_CR_UARTEN | PL011_CR_TXE | PL011_CR_RXE);
    g_assert_cmpint(f->level, ==, 0);

    /* RX without FIFO: every character reaches the trigger level. */
    wr(PL011_IMSC, PL011_INT_RX);
    g_assert_cmpuint(rd(PL011_IMSC), ==, PL011_INT_RX);
    feed(f, "q");
    g_assert_cmpint(f->level, ==, 1);
    g_assert_cmpuint(rd(PL011_MIS), ==, PL011_INT_RX);
    g_assert_cmpuint(rd(PL011_DR), ==, 'q');
    g_assert_cmpint(f->level, ==, 0);
    g_assert_cmpuint(rd(PL011_RIS) & (PL011_INT_RX | PL011_INT_RT), ==, 0);

    /* TX: raised by each write, cleared through ICR, masked by IMSC. */
    wr(PL011_IMSC, PL011_INT_TX);
    wr(PL011_DR, 'z');
    g_assert_cmpint(f->level, ==, 1);
    wr(PL011_ICR, PL011_INT_TX);
    g_assert_cmpint(f->level, ==, 0);
    g_assert_cmpuint(rd(PL011_RIS) & PL011_INT_TX, ==, 0);
    wr(PL011_DR, 'z');
    g_assert_cmpint(f->level, ==, 1);
    wr(PL011_IMSC, 0);
    g_assert_cmpint(f->level, ==, 0);
    g_assert_cmpuint(rd(PL011_RIS) & PL011_INT_TX, !=, 0);
    g_assert_cmpuint(rd(PL011_MIS), ==, 0);
    wr(PL011_ICR, PL011_INT_ALL);
    g_assert_cmpuint(rd(PL011_RIS), ==, 0);

    /* FIFO with the trigger at 1/2 (8 characters): few bytes give only RT. */
    wr(PL011_LCR_H, PL011_LCRH_FEN | 0x60);
    wr(PL011_IFLS, 2 << 3);
    wr(PL011_IMSC, PL011_INT_RX | PL011_INT_RT);
    feed(f, "abc");
    g_assert_cmpuint(rd(PL011_RIS) & (PL011_INT_RX | PL011_INT_RT), ==, PL011_INT_RT);
    g_assert_cmpint(f->level, ==, 1);
    feed(f, "defgh");
    g_assert_cmpuint(rd(PL011_RIS) & (PL011_INT_RX | PL011_INT_RT), ==,
                     PL011_INT_RX | PL011_INT_RT);
    g_assert_cmpuint(rd(PL011_DR), ==, 'a');
    /* Below the trigger level again: RX drops, RT stays while data waits. */
    g_assert_cmpuint(rd(PL011_RIS) & (PL011_INT_RX | PL011_INT_RT), ==, PL011_INT_RT);
    for (int i = 0; i < 7; i++) {
        rd(PL011_DR);
    }
    g_assert_cmpuint(rd(PL011_RIS) & (PL011_INT_RX | PL011_INT_RT), ==, 0);
    g_assert_cmpint(f->level, ==, 0);

    /* Lowering the trigger level with data waiting raises RX at once. */
    wr(PL011_IMSC, PL011_INT_RX);
    feed(f, "ab");
    g_assert_cmpint(f->level, ==, 0);
    wr(PL011_IFLS, 0);
    g_assert_cmpint(f->level, ==, 1);
}

static void test_loopback_and_errors(Fixture *f, gconstpointer data)
{
    g_autofree char *out = NULL;
    uint8_t c = 'o';

    wr(PL011_CR, PL011_CR_UARTEN | PL011_CR_TXE | PL011_CR_RXE | PL011_CR_LBE |
                 PL011_CR_RTS);
    g_assert_cmpuint(rd(PL011_FR) & (PL011_FR_CTS | PL011_FR_DSR), ==, PL011_FR_CTS);
    wr(PL011_DR, 'L');
    out = take_output(f);
    g_assert_cmpstr(out, ==, "");
    g_assert_cmpuint(rd(PL011_DR), ==, 'L');

    /* Overrun: a backend ignoring flow control loses the extra byte. */
    wr(PL011_CR, PL011_CR_UARTEN | PL011_CR_TXE | PL011_CR_RXE);
    feed(f, "1");
    chardev_be_read(f->chr, &c, 1);
    g_assert_cmpuint(rd(PL011_RSR) & PL011_RSR_OE, !=, 0);
    g_assert_cmpuint(rd(PL011_RIS) & PL011_INT_OE, !=, 0);
    g_assert_cmpuint(rd(PL011_DR), ==, '1');
    wr(PL011_RSR, 0);           /* ECR */
    g_assert_cmpuint(rd(PL011_RSR), ==, 0);

    /* A break reads as NUL with BE, in DR and then in RSR. */
    wr(PL011_IMSC, PL011_INT_BE);
    chardev_be_event(f->chr, CHR_EVENT_BREAK);
    g_assert_cmpint(f->level, ==, 1);
    g_assert_cmpuint(rd(PL011_DR), ==, PL011_DR_BE);
    g_assert_cmpuint(rd(PL011_RSR), ==, PL011_DR_BE >> 8);
    wr(PL011_ICR, PL011_INT_BE);
    g_assert_cmpint(f->level, ==, 0);
}

static void test_ids(Fixture *f, gconstpointer data)
{
    static const uint32_t expect[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

    for (int i = 0; i < 8; i++) {
        g_assert_cmpuint(rd(PL011_PERIPHID0 + 4 * i), ==, expect[i]);
    }
    g_assert_cmpuint(memory_region_size(device_mmio_region(f->dev, 0)), ==, PL011_MMIO_SIZE);
    g_assert_cmpstr(device_type_name(f->dev), ==, "pl011");
    g_assert_false(device_class_find("pl011")->user_creatable);
    g_assert_nonnull(device_class_find_prop(device_class_find("pl011"), "chardev"));
}

static void test_reset(Fixture *f, gconstpointer data)
{
    /* Reset values. */
    g_assert_cmpuint(rd(PL011_CR), ==, PL011_CR_RESET);
    g_assert_cmpuint(rd(PL011_IFLS), ==, PL011_IFLS_RESET);
    g_assert_cmpuint(rd(PL011_FR), ==, PL011_FR_RXFE | PL011_FR_TXFE);
    g_assert_cmpuint(rd(PL011_LCR_H), ==, 0);

    wr(PL011_IBRD, 0x1234);
    wr(PL011_FBRD, 0xff);
    g_assert_cmpuint(rd(PL011_FBRD), ==, 0x3f);
    wr(PL011_ILPR, 7);
    wr(PL011_LCR_H, PL011_LCRH_FEN | 0x60);
    wr(PL011_CR, PL011_CR_UARTEN | PL011_CR_TXE | PL011_CR_RXE);
    wr(PL011_IFLS, 0);
    wr(PL011_IMSC, PL011_INT_RX);
    feed(f, "hello");
    g_assert_cmpint(f->level, ==, 1);

    device_reset(f->dev);
    g_assert_cmpint(f->level, ==, 0);
    g_assert_cmpuint(rd(PL011_IBRD), ==, 0);
    g_assert_cmpuint(rd(PL011_FBRD), ==, 0);
    g_assert_cmpuint(rd(PL011_ILPR), ==, 0);
    g_assert_cmpuint(rd(PL011_LCR_H), ==, 0);
    g_assert_cmpuint(rd(PL011_CR), ==, PL011_CR_RESET);
    g_assert_cmpuint(rd(PL011_IFLS), ==, PL011_IFLS_RESET);
    g_assert_cmpuint(rd(PL011_IMSC), ==, 0);
    g_assert_cmpuint(rd(PL011_RIS), ==, 0);
    g_assert_cmpuint(rd(PL011_RSR), ==, 0);
    g_assert_cmpuint(rd(PL011_DMACR), ==, 0);
    g_assert_cmpuint(rd(PL011_FR), ==, PL011_FR_RXFE | PL011_FR_TXFE);
    g_assert_cmpint(chardev_be_can_read(f->chr), ==, 1);
}

static void test_guest_errors(Fixture *f, gconstpointer data)
{
    g_autofree char *log1 = NULL, *log2 = NULL, *log3 = NULL, *log4 = NULL;
    uint64_t v = 0;

    g_assert_cmpuint(rd(0x100), ==, 0);
    log1 = take_log(f);
    g_assert_nonnull(strstr(log1, "pl011: read of unknown offset 0x100"));

    wr(PL011_FR, 0);
    wr(PL011_PERIPHID0, 0x42);
    wr(0x800, 1);
    log2 = take_log(f);
    g_assert_nonnull(strstr(log2, "read-only offset 0x018"));
    g_assert_nonnull(strstr(log2, "read-only offset 0xfe0"));
    g_assert_nonnull(strstr(log2, "unknown offset 0x800"));
    g_assert_cmpuint(rd(PL011_PERIPHID0), ==, 0x11);

    /* A byte inside a register: logged, ignored, not fatal. */
    g_assert_cmpuint(address_space_read_val(address_space_memory(), BASE + 1, &v, 1), ==,
                     MEMTX_OK);
    g_assert_cmpuint(v, ==, 0);
    address_space_write_val(address_space_memory(), BASE + PL011_CR + 1, 0xff, 1);
    g_assert_cmpuint(rd(PL011_CR), ==, PL011_CR_RESET);
    log3 = take_log(f);
    g_assert_nonnull(strstr(log3, "misaligned read of size 1 at offset 0x001"));
    g_assert_nonnull(strstr(log3, "misaligned write of size 1 at offset 0x031"));

    /* Writing with the UART disabled still transmits, but is logged. */
    wr(PL011_DR, 'x');
    wr(PL011_DMACR, 1);
    rd(PL011_ICR);
    log4 = take_log(f);
    g_assert_nonnull(strstr(log4, "disabled transmitter"));
    g_assert_nonnull(strstr(log4, "DMA is not implemented"));
    g_assert_nonnull(strstr(log4, "write-only register ICR"));

    /* Still alive. */
    wr(PL011_CR, PL011_CR_UARTEN | PL011_CR_TXE | PL011_CR_RXE);
    feed(f, "k");
    g_assert_cmpuint(rd(PL011_DR), ==, 'k');
}

static void test_no_chardev(Fixture *f, gconstpointer data)
{
    g_autofree char *props = NULL;

    wr(PL011_CR, PL011_CR_UARTEN | PL011_CR_TXE | PL011_CR_RXE);
    wr(PL011_DR, 'x');          /* dropped */
    g_assert_cmpuint(rd(PL011_FR), ==, PL011_FR_RXFE | PL011_FR_TXFE);
    props = device_get_prop(f->dev, "chardev");
    g_assert_cmpstr(props, ==, "");
}

static void test_chardev_busy(void)
{
    GError *err = NULL;
    Chardev *chr;
    DeviceState *a, *b;

    hw_arm_register_devices();
    chr = chardev_new("busy", "ringbuf", NULL, &err);
    g_assert_no_error(err);
    a = pl011_create(BASE, NULL, chr, "busy", &err);
    g_assert_no_error(err);
    g_assert_nonnull(a);
    /* A second UART on the same (non-mux) chardev is refused, with the type named. */
    b = pl011_create(BASE + 0x40000, NULL, chr, "busy", &err);
    g_assert_null(b);
    g_assert_nonnull(err);
    g_assert_nonnull(strstr(err->message, "pl011"));
    g_assert_null(strchr(err->message, '\n'));
    g_clear_error(&err);
    device_tree_destroy();
    chardev_delete(chr);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define ADD(name, fn, nochr) \
    g_test_add("/pl011/" name, Fixture, (nochr) ? "" : NULL, fixture_setup, fn, fixture_teardown)
    ADD("tx", test_tx, false);
    ADD("rx-no-fifo", test_rx_no_fifo, false);
    ADD("rx-fifo", test_rx_fifo, false);
    ADD("interrupts", test_interrupts, false);
    ADD("loopback-errors", test_loopback_and_errors, false);
    ADD("ids", test_ids, false);
    ADD("reset", test_reset, false);
    ADD("guest-errors", test_guest_errors, false);
    ADD("no-chardev", test_no_chardev, true);
#undef ADD
    g_test_add_func("/pl011/chardev-busy", test_chardev_busy);
    return g_test_run();
}
