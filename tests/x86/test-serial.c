/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Device test of the 16550A ("isa-serial") on an ISA bus: register access
 * through the system I/O address space, the IRQ line as the board would
 * see it, and a capturing chardev backend for the host side.
 */
#include <string.h>

#include "chardev/char.h"
#include "hw/char/serial.h"
#include "hw/i386/isa.h"
#include "system/memory.h"
#include "util/error.h"

#define COM1 0x3f8
#define RBR 0
#define IER 1
#define IIR 2
#define FCR 2
#define LCR 3
#define MCR 4
#define LSR 5
#define MSR 6
#define SCR 7

typedef struct Fixture {
    Chardev *chr;
    DeviceState *bridge, *uart;
    IrqLine *irqs[ISA_NUM_IRQS];
    int level[ISA_NUM_IRQS];
} Fixture;

static GString *captured;

static int capture_write(Chardev *chr, const uint8_t *buf, int len)
{
    g_string_append_len(captured, (const char *)buf, len);
    return len;
}

static bool capture_open(Chardev *chr, KeyvalList *opts, GError **errp)
{
    return true;
}

static const ChardevClass capture_class = {
    .name = "test-capture",
    .help = "captures output (tests)",
    .instance_size = sizeof(Chardev),
    .flags = CHARDEV_CLASS_HIDDEN,
    .open = capture_open,
    .write = capture_write,
};

static void *lookup_chardev(const char *id, GError **errp)
{
    Chardev *chr = chardev_find(id);

    if (!chr) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_NOT_FOUND, "chardev '%s' not found", id);
    }
    return chr;
}

static void irq_handler(void *opaque, int n, int level)
{
    Fixture *f = opaque;

    f->level[n] = level;
}

static uint8_t rd(unsigned reg)
{
    uint64_t v = 0;

    g_assert_cmpuint(address_space_read_val(address_space_io(), COM1 + reg, &v, 1), ==,
                     MEMTX_OK);
    return v;
}

static void wr(unsigned reg, uint8_t v)
{
    g_assert_cmpuint(address_space_write_val(address_space_io(), COM1 + reg, v, 1), ==,
                     MEMTX_OK);
}

static void feed(Fixture *f, const char *s)
{
    int len = strlen(s);

    g_assert_cmpint(chardev_be_can_read(f->chr), >=, len);
    chardev_be_read(f->chr, (const uint8_t *)s, len);
}

static void fixture_setup(Fixture *f, gconstpointer data)
{
    g_autoptr(GError) err = NULL;

    memset(f, 0, sizeof(*f));
    g_string_truncate(captured, 0);
    for (int i = 0; i < ISA_NUM_IRQS; i++) {
        f->irqs[i] = irq_new(irq_handler, f, i);
    }
    f->chr = chardev_new("c0", "test-capture", NULL, &err);
    g_assert_no_error(err);
    f->bridge = isa_bridge_create(f->irqs, ISA_NUM_IRQS, &err);
    g_assert_no_error(err);
    f->uart = device_new(TYPE_ISA_SERIAL, &err);
    g_assert_no_error(err);
    g_assert_true(device_set_prop_backend(f->uart, "chardev", f->chr, "c0", &err));
    g_assert_true(device_realize(f->uart, isa_bridge_bus(f->bridge), &err));
    g_assert_no_error(err);
    device_reset(f->uart);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    device_tree_destroy();
    chardev_delete_all();
    for (int i = 0; i < ISA_NUM_IRQS; i++) {
        irq_free(f->irqs[i]);
    }
}

static void test_defaults(Fixture *f, gconstpointer data)
{
    g_assert_cmphex(rd(LSR), ==, 0x60);         /* THRE | TEMT */
    g_assert_cmphex(rd(IIR), ==, 0x01);
    g_assert_cmphex(rd(IER), ==, 0x00);
    g_assert_cmphex(rd(MSR) & 0xf0, ==, 0xb0);  /* DCD DSR CTS */
    g_assert_cmpint(f->level[4], ==, 0);
    wr(SCR, 0xa5);
    g_assert_cmphex(rd(SCR), ==, 0xa5);
    /* Divisor latch shares offsets 0/1 under DLAB. */
    wr(LCR, 0x80);
    wr(0, 0x01);
    wr(1, 0x02);
    g_assert_cmphex(rd(0), ==, 0x01);
    g_assert_cmphex(rd(1), ==, 0x02);
    wr(LCR, 0x03);
    g_assert_cmphex(rd(IER), ==, 0x00);
    g_assert_cmphex(rd(LCR), ==, 0x03);
}

static void test_transmit(Fixture *f, gconstpointer data)
{
    wr(RBR, 'H');
    wr(RBR, 'i');
    g_assert_cmpstr(captured->str, ==, "Hi");
    g_assert_cmphex(rd(LSR) & 0x60, ==, 0x60);

    /* THRE interrupt: raised on enable, acknowledged by reading IIR. */
    wr(IER, 0x02);
    g_assert_cmpint(f->level[4], ==, 1);
    g_assert_cmphex(rd(IIR), ==, 0x02);
    g_assert_cmpint(f->level[4], ==, 0);
    g_assert_cmphex(rd(IIR), ==, 0x01);
    wr(RBR, '!');
    g_assert_cmpint(f->level[4], ==, 1);
    wr(IER, 0x00);
    g_assert_cmpint(f->level[4], ==, 0);
}

static void test_receive(Fixture *f, gconstpointer data)
{
    /* Without FIFO one byte fits. */
    g_assert_cmpint(chardev_be_can_read(f->chr), ==, 1);
    feed(f, "x");
    g_assert_cmpint(chardev_be_can_read(f->chr), ==, 0);
    g_assert_cmphex(rd(LSR) & 0x01, ==, 0x01);
    g_assert_cmpint(f->level[4], ==, 0);
    wr(IER, 0x01);
    g_assert_cmpint(f->level[4], ==, 1);
    g_assert_cmphex(rd(IIR), ==, 0x04);
    g_assert_cmphex(rd(RBR), ==, 'x');
    g_assert_cmpint(f->level[4], ==, 0);
    g_assert_cmphex(rd(LSR) & 0x01, ==, 0x00);
    g_assert_cmpint(chardev_be_can_read(f->chr), ==, 1);
}

static void test_fifo(Fixture *f, gconstpointer data)
{
    wr(FCR, 0xc1);                              /* enable, trigger 14 */
    g_assert_cmphex(rd(IIR), ==, 0xc1);
    g_assert_cmpint(chardev_be_can_read(f->chr), ==, 16);
    wr(IER, 0x01);
    feed(f, "abc");
    /* Below the trigger level: character timeout. */
    g_assert_cmphex(rd(IIR), ==, 0xcc);
    feed(f, "defghijklmn");
    g_assert_cmphex(rd(IIR), ==, 0xc4);
    g_assert_cmpint(chardev_be_can_read(f->chr), ==, 2);
    g_assert_cmphex(rd(RBR), ==, 'a');
    g_assert_cmphex(rd(RBR), ==, 'b');
    g_assert_cmphex(rd(IIR), ==, 0xcc);
    /* Clearing the receive FIFO drops what is left. */
    wr(FCR, 0xc3);
    g_assert_cmphex(rd(LSR) & 0x01, ==, 0x00);
    g_assert_cmphex(rd(IIR), ==, 0xc1);
    g_assert_cmpint(f->level[4], ==, 0);
}

static void test_line_status(Fixture *f, gconstpointer data)
{
    wr(IER, 0x04);
    chardev_be_event(f->chr, CHR_EVENT_BREAK);
    g_assert_cmpint(f->level[4], ==, 1);
    g_assert_cmphex(rd(IIR), ==, 0x06);
    g_assert_cmphex(rd(LSR) & 0x91, ==, 0x91); /* RX error, BI, DR */
    g_assert_cmpint(f->level[4], ==, 0);
    g_assert_cmphex(rd(LSR) & 0x10, ==, 0x00);
    g_assert_cmphex(rd(RBR), ==, 0x00);
}

static void test_loopback(Fixture *f, gconstpointer data)
{
    wr(IER, 0x08);
    wr(MCR, 0x1f);
    /* Modem inputs follow MCR; DSR/CTS/DCD stay set, RI rose. */
    g_assert_cmphex(rd(MSR), ==, 0xf0);
    g_assert_cmpint(f->level[4], ==, 0);
    wr(MCR, 0x1b);                              /* OUT1 off: RI falls */
    g_assert_cmpint(f->level[4], ==, 1);
    g_assert_cmphex(rd(IIR), ==, 0x00);
    g_assert_cmphex(rd(MSR), ==, 0xb4);         /* TERI */
    g_assert_cmpint(f->level[4], ==, 0);
    /* The receiver is off the line and hears the transmitter. */
    g_assert_cmpint(chardev_be_can_read(f->chr), ==, 0);
    wr(RBR, 'L');
    g_assert_cmpstr(captured->str, ==, "");
    g_assert_cmphex(rd(RBR), ==, 'L');
    wr(MCR, 0x0b);
    g_assert_cmpint(chardev_be_can_read(f->chr), ==, 1);
}

static void test_reset(Fixture *f, gconstpointer data)
{
    wr(IER, 0x0f);
    wr(LCR, 0x1b);
    wr(FCR, 0x01);
    feed(f, "q");
    device_reset(f->uart);
    g_assert_cmphex(rd(IER), ==, 0x00);
    g_assert_cmphex(rd(LCR), ==, 0x00);
    g_assert_cmphex(rd(LSR), ==, 0x60);
    g_assert_cmphex(rd(IIR), ==, 0x01);
    g_assert_cmpint(f->level[4], ==, 0);
}

static void test_props(void)
{
    g_autoptr(GError) err = NULL;
    IrqLine *none[ISA_NUM_IRQS] = { 0 };
    DeviceState *bridge = isa_bridge_create(none, ISA_NUM_IRQS, &err);
    BusState *isa = isa_bridge_bus(bridge);
    DeviceState *a = device_new(TYPE_ISA_SERIAL, &err);
    DeviceState *b = device_new(TYPE_ISA_SERIAL, &err);
    DeviceState *bad = device_new(TYPE_ISA_SERIAL, &err);
    uint64_t v = 0;

    g_assert_no_error(err);
    /* Without a chardev the UART still works and drops output. */
    g_assert_true(device_realize(a, isa, &err));
    g_assert_true(device_realize(b, isa, &err));
    g_assert_no_error(err);
    g_assert_cmpuint(device_pio_addr(a, 0), ==, 0x3f8);
    g_assert_cmpuint(device_pio_addr(b, 0), ==, 0x2f8);
    address_space_write_val(address_space_io(), 0x2f8 + SCR, 0x42, 1);
    address_space_read_val(address_space_io(), 0x2f8 + SCR, &v, 1);
    g_assert_cmphex(v, ==, 0x42);

    g_assert_true(device_set_prop(bad, "irq", "16", &err));
    g_assert_false(device_realize(bad, isa, &err));
    g_assert_nonnull(strstr(err->message, "irq 16 is not an ISA IRQ"));
    g_clear_error(&err);
    g_assert_true(device_set_prop(bad, "irq", "5", &err));
    g_assert_true(device_set_prop(bad, "index", "7", &err));
    g_assert_false(device_realize(bad, isa, &err));
    g_assert_nonnull(strstr(err->message, "index 7 has no default port"));
    g_clear_error(&err);
    g_assert_true(device_set_prop(bad, "iobase", "0xfffc", &err));
    g_assert_false(device_realize(bad, isa, &err));
    g_assert_nonnull(strstr(err->message, "outside the I/O space"));
    g_clear_error(&err);
    g_assert_true(device_set_prop(bad, "iobase", "0x3e8", &err));
    g_assert_true(device_realize(bad, isa, &err));
    g_assert_no_error(err);
    device_tree_destroy();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    captured = g_string_new(NULL);
    chardev_register_class(&capture_class);
    device_prop_register_lookup(PROP_TYPE_CHARDEV, lookup_chardev);
    device_class_register(&isabus_bridge_class);
    device_class_register(&isa_serial_class);

#define ADD(name, fn) \
    g_test_add("/isa-serial/" name, Fixture, NULL, fixture_setup, fn, fixture_teardown)
    ADD("defaults", test_defaults);
    ADD("transmit", test_transmit);
    ADD("receive", test_receive);
    ADD("fifo", test_fifo);
    ADD("line-status", test_line_status);
    ADD("loopback", test_loopback);
    ADD("reset", test_reset);
    g_test_add_func("/isa-serial/props", test_props);
    return g_test_run();
}
