/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-serial over a modern virtio-mmio transport, driven by the test
 * driver in guest RAM: the configuration space and emergency write, the
 * MULTIPORT handshake (DEVICE_READY, PORT_ADD, PORT_READY, CONSOLE_PORT,
 * PORT_NAME, PORT_OPEN), console data both ways through a scriptable
 * chardev, host and guest open/close, hot-plug and unplug of ports, port
 * numbering errors, a single-port driver without MULTIPORT, broken chains,
 * a testdev chardev behind a virtconsole, and virtio-serial-pci's bus.
 */
#include <string.h>

#include "chardev/char.h"
#include "hw/core/device.h"
#include "hw/pci/pci.h"
#include "hw/pci/pci_host.h"
#include "hw/virtio/virtio-mmio.h"
#include "hw/virtio/virtio-pci.h"
#include "hw/virtio/virtio-serial.h"
#include "hw/virtio/virtio.h"
#include "system/main-loop.h"
#include "system/memory.h"
#include "system/runstate.h"
#include "util/error.h"
#include "util/keyval.h"
#include "util/log.h"
#include "virtio-test-driver.h"

#define BASE      0x0a000000ull
#define RAM_BASE  0x40000000ull
#define RAM_SIZE  (4u << 20)
#define RING(q)   (RAM_BASE + 0x10000 + 0x3000ull * (q))
#define BUF(q)    (RAM_BASE + 0x100000 + 0x8000ull * (q))
#define BUFSZ     256
#define QSIZE     16
#define MAX_PORTS 4
#define NQUEUES   (2 * MAX_PORTS + 2)
#define CTRL_RX   2
#define CTRL_TX   3

/* ---- a chardev whose input and connection the test controls ---- */

typedef struct ScriptChardev {
    Chardev parent;
    GString *out;           /* what the device wrote */
    GByteArray *pending;    /* input the frontend has not taken yet */
} ScriptChardev;

static bool script_open(Chardev *chr, KeyvalList *opts, GError **errp)
{
    ScriptChardev *s = (ScriptChardev *)chr;

    s->out = g_string_new(NULL);
    s->pending = g_byte_array_new();
    chr->be_open = true;
    return true;
}

static int script_write(Chardev *chr, const uint8_t *buf, int len)
{
    g_string_append_len(((ScriptChardev *)chr)->out, (const char *)buf, len);
    return len;
}

static void script_flush(Chardev *chr)
{
    ScriptChardev *s = (ScriptChardev *)chr;
    int n;

    while (s->pending->len && (n = chardev_be_can_read(chr)) > 0) {
        n = MIN((guint)n, s->pending->len);
        chardev_be_read(chr, s->pending->data, n);
        g_byte_array_remove_range(s->pending, 0, n);
    }
}

static void script_close(Chardev *chr)
{
    ScriptChardev *s = (ScriptChardev *)chr;

    g_string_free(s->out, TRUE);
    g_byte_array_unref(s->pending);
}

static const ChardevClass script_class = {
    .name = "script",
    .instance_size = sizeof(ScriptChardev),
    .flags = CHARDEV_CLASS_HIDDEN,
    .open = script_open,
    .write = script_write,
    .accept_input = script_flush,
    .close = script_close,
};

static void script_input(Chardev *chr, const char *s)
{
    g_byte_array_append(((ScriptChardev *)chr)->pending, (const uint8_t *)s, strlen(s));
    script_flush(chr);
}

static const char *script_output(Chardev *chr)
{
    return ((ScriptChardev *)chr)->out->str;
}

/* ---- fixture ---- */

typedef struct Fixture {
    MemoryRegion ram;
    DeviceState *proxy, *dev;
    DeviceState *console, *port1;
    Chardev *chr0, *chr1;
    IrqLine *irq;
    int level;
    TestVring r[NQUEUES];
} Fixture;

typedef struct Ctrl {
    uint32_t id;
    uint16_t event, value;
    char extra[64];
    size_t extra_len;
} Ctrl;

static AddressSpace *as(void)
{
    return address_space_memory();
}

static uint32_t rd(uint64_t off)
{
    return tv_mmio_rd(BASE, off);
}

static void wr(uint64_t off, uint32_t v)
{
    tv_mmio_wr(BASE, off, v);
}

static void kick(unsigned q)
{
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, q);
}

/* One buffer per descriptor slot, so a used head names its buffer. */
static uint64_t buf_addr(unsigned q, unsigned head)
{
    return BUF(q) + (uint64_t)head * BUFSZ;
}

static unsigned post_in(Fixture *f, unsigned q, uint32_t len)
{
    TestVring *r = &f->r[q];
    TestBuf b = { buf_addr(q, r->next_desc % r->num), len, true };
    unsigned head = tvring_add_chain(r, &b, 1);

    tvring_publish(r, head);
    return head;
}

static void send_out(Fixture *f, unsigned q, const void *data, size_t len)
{
    TestVring *r = &f->r[q];
    TestBuf b = { buf_addr(q, r->next_desc % r->num), len, false };

    g_assert_cmpuint(address_space_write(as(), b.addr, data, len), ==, MEMTX_OK);
    tvring_publish(r, tvring_add_chain(r, &b, 1));
    kick(q);
}

static void send_ctrl(Fixture *f, uint32_t id, uint16_t event, uint16_t value)
{
    uint8_t m[8] = { id, id >> 8, id >> 16, id >> 24, event, event >> 8, value, value >> 8 };
    uint32_t head, len;

    send_out(f, CTRL_TX, m, sizeof(m));
    g_assert_true(tvring_get_used(&f->r[CTRL_TX], &head, &len));
}

/* The next control message from the device, if any (its buffer is re-posted). */
static bool get_ctrl(Fixture *f, Ctrl *c)
{
    uint32_t head, len;
    uint8_t m[8 + sizeof(c->extra)];

    memset(c, 0, sizeof(*c));
    if (!tvring_get_used(&f->r[CTRL_RX], &head, &len)) {
        return false;
    }
    g_assert_cmpuint(len, >=, 8);
    g_assert_cmpuint(len, <=, sizeof(m));
    g_assert_cmpuint(address_space_read(as(), buf_addr(CTRL_RX, head), m, len), ==, MEMTX_OK);
    c->id = m[0] | m[1] << 8 | m[2] << 16 | (uint32_t)m[3] << 24;
    c->event = m[4] | m[5] << 8;
    c->value = m[6] | m[7] << 8;
    c->extra_len = len - 8;
    memcpy(c->extra, m + 8, c->extra_len);
    post_in(f, CTRL_RX, BUFSZ);
    kick(CTRL_RX);
    return true;
}

static void expect_ctrl(Fixture *f, uint32_t id, uint16_t event, uint16_t value)
{
    Ctrl c;

    g_assert_true(get_ctrl(f, &c));
    g_assert_cmpuint(c.id, ==, id);
    g_assert_cmpuint(c.event, ==, event);
    g_assert_cmpuint(c.value, ==, value);
}

static void expect_no_ctrl(Fixture *f)
{
    Ctrl c;

    g_assert_false(get_ctrl(f, &c));
}

/* Read the data the device put in the next used buffer of receive queue q. */
static char *get_in(Fixture *f, unsigned q)
{
    uint32_t head, len;
    char *s;

    if (!tvring_get_used(&f->r[q], &head, &len)) {
        return NULL;
    }
    s = g_malloc0(len + 1);
    g_assert_cmpuint(address_space_read(as(), buf_addr(q, head), s, len), ==, MEMTX_OK);
    return s;
}

static void driver_init(Fixture *f, bool multiport)
{
    unsigned nq = multiport ? NQUEUES : 2;

    tv_mmio_negotiate(BASE, multiport ? 0 : VIRTIO_BIT(VIRTIO_CONSOLE_F_MULTIPORT));
    for (unsigned q = 0; q < nq; q++) {
        tv_mmio_setup_queue(BASE, q, &f->r[q], RING(q), QSIZE);
        g_assert_cmpuint(rd(VIRTIO_MMIO_QUEUE_NUM_MAX), ==,
                         q == CTRL_RX || q == CTRL_TX ? VIRTIO_SERIAL_CTRL_QUEUE_SIZE
                                                      : VIRTIO_SERIAL_QUEUE_SIZE);
    }
    /* The control receive queue is filled before the driver says it is ready. */
    for (unsigned i = 0; multiport && i < 8; i++) {
        post_in(f, CTRL_RX, BUFSZ);
    }
    tv_mmio_driver_ok(BASE);
}

static DeviceState *add_port(Fixture *f, const char *type, Chardev *chr, const char *name,
                             int nr, GError **errp)
{
    DeviceState *d = device_new(type, errp);

    g_assert_nonnull(d);
    if (chr) {
        g_assert_true(device_set_prop_backend(d, "chardev", chr, chardev_label(chr), errp));
    }
    if (name) {
        g_assert_true(device_set_prop_str(d, "name", name, errp));
    }
    if (nr >= 0) {
        g_assert_true(device_set_prop_uint(d, "nr", nr, errp));
    }
    /* No bus named: the free virtio-serial-bus is found as for -device. */
    if (!device_realize(d, NULL, errp)) {
        device_free(d);
        return NULL;
    }
    return d;
}

static void fixture_setup(Fixture *f, gconstpointer data)
{
    GError *err = NULL;

    memset(f, 0, sizeof(*f));
    hw_virtio_register_devices();
    virtio_serial_register_devices();
    log_set_mask(0);
    tv_ram_add(&f->ram, RAM_BASE, RAM_SIZE);

    f->irq = irq_new(tv_level_handler, &f->level, 0);
    f->proxy = tv_mmio_create(BASE, f->irq);

    f->dev = device_new(TYPE_VIRTIO_SERIAL_DEVICE, &err);
    g_assert_no_error(err);
    g_assert_true(device_set_prop_uint(f->dev, "max_ports", MAX_PORTS, &err));
    g_assert_true(device_realize(f->dev, virtio_mmio_get_bus(f->proxy), &err));
    g_assert_no_error(err);

    f->chr0 = chardev_new("con0", "script", NULL, &err);
    g_assert_no_error(err);
    f->chr1 = chardev_new("ser1", "script", NULL, &err);
    g_assert_no_error(err);
    f->console = add_port(f, TYPE_VIRTCONSOLE, f->chr0, NULL, -1, &err);
    g_assert_no_error(err);
    f->port1 = add_port(f, TYPE_VIRTSERIALPORT, f->chr1, "org.tern.test", -1, &err);
    g_assert_no_error(err);
    device_reset(f->proxy);
    g_assert_cmpuint(rd(VIRTIO_MMIO_DEVICE_ID), ==, VIRTIO_ID_CONSOLE);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    wr(VIRTIO_MMIO_STATUS, 0);
    device_tree_destroy();
    chardev_delete_all();
    irq_free(f->irq);
    tv_ram_del(&f->ram);
}

/* DEVICE_READY, then PORT_READY for each port, checking the device's answers. */
static void handshake(Fixture *f)
{
    Ctrl c;

    driver_init(f, true);
    send_ctrl(f, 0, VIRTIO_CONSOLE_DEVICE_READY, 1);
    expect_ctrl(f, 0, VIRTIO_CONSOLE_PORT_ADD, 1);
    expect_ctrl(f, 1, VIRTIO_CONSOLE_PORT_ADD, 1);
    expect_no_ctrl(f);

    send_ctrl(f, 0, VIRTIO_CONSOLE_PORT_READY, 1);
    expect_ctrl(f, 0, VIRTIO_CONSOLE_CONSOLE_PORT, 1);
    expect_ctrl(f, 0, VIRTIO_CONSOLE_PORT_OPEN, 1);
    expect_no_ctrl(f);

    send_ctrl(f, 1, VIRTIO_CONSOLE_PORT_READY, 1);
    g_assert_true(get_ctrl(f, &c));
    g_assert_cmpuint(c.id, ==, 1);
    g_assert_cmpuint(c.event, ==, VIRTIO_CONSOLE_PORT_NAME);
    g_assert_cmpstr(c.extra, ==, "org.tern.test");
    expect_ctrl(f, 1, VIRTIO_CONSOLE_PORT_OPEN, 1);
    expect_no_ctrl(f);
}

/* ---- tests ---- */

static void test_config(Fixture *f, gconstpointer data)
{
    uint32_t lo, hi;

    wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
    lo = rd(VIRTIO_MMIO_DEVICE_FEATURES);
    wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
    hi = rd(VIRTIO_MMIO_DEVICE_FEATURES);
    g_assert_true(lo & (1u << VIRTIO_CONSOLE_F_MULTIPORT));
    g_assert_true(lo & (1u << VIRTIO_CONSOLE_F_EMERG_WRITE));
    g_assert_false(lo & (1u << VIRTIO_CONSOLE_F_SIZE));
    g_assert_true(hi & 1);      /* VERSION_1 */

    g_assert_cmpuint(rd(VIRTIO_MMIO_CONFIG + VIRTIO_CONSOLE_CFG_COLS), ==, 0);
    g_assert_cmpuint(rd(VIRTIO_MMIO_CONFIG + VIRTIO_CONSOLE_CFG_MAX_PORTS), ==, MAX_PORTS);
    g_assert_cmpuint(tv_r(as(), BASE + VIRTIO_MMIO_CONFIG + VIRTIO_CONSOLE_CFG_ROWS, 2), ==, 0);

    /* Emergency write goes to port 0 even before the queues exist. */
    wr(VIRTIO_MMIO_CONFIG + VIRTIO_CONSOLE_CFG_EMERG_WR, 'E');
    wr(VIRTIO_MMIO_CONFIG + VIRTIO_CONSOLE_CFG_EMERG_WR, '!');
    g_assert_cmpstr(script_output(f->chr0), ==, "E!");
    g_assert_cmpuint(rd(VIRTIO_MMIO_CONFIG + VIRTIO_CONSOLE_CFG_EMERG_WR), ==, 0);
    /* The read-only fields ignore writes. */
    wr(VIRTIO_MMIO_CONFIG + VIRTIO_CONSOLE_CFG_MAX_PORTS, 99);
    g_assert_cmpuint(rd(VIRTIO_MMIO_CONFIG + VIRTIO_CONSOLE_CFG_MAX_PORTS), ==, MAX_PORTS);
    g_assert_cmpstr(script_output(f->chr1), ==, "");
}

static void test_handshake(Fixture *f, gconstpointer data)
{
    handshake(f);
    /* A second DEVICE_READY announces the ports again; a failure is only logged. */
    send_ctrl(f, 0, VIRTIO_CONSOLE_DEVICE_READY, 0);
    expect_no_ctrl(f);
    /* Events for ports that do not exist and unknown events are ignored. */
    send_ctrl(f, 3, VIRTIO_CONSOLE_PORT_READY, 1);
    send_ctrl(f, 0, VIRTIO_CONSOLE_RESIZE, 0);
    expect_no_ctrl(f);
    g_assert_cmphex(rd(VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_DEVICE_NEEDS_RESET, ==, 0);
}

static void test_console_data(Fixture *f, gconstpointer data)
{
    g_autofree char *in = NULL;
    uint32_t head, len;

    handshake(f);
    send_ctrl(f, 0, VIRTIO_CONSOLE_PORT_OPEN, 1);

    /* Guest to host. */
    send_out(f, 1, "hello", 5);
    g_assert_true(tvring_get_used(&f->r[1], &head, &len));
    g_assert_cmpuint(len, ==, 0);
    g_assert_cmpstr(script_output(f->chr0), ==, "hello");

    /* Host to guest: waits for a buffer, then arrives at the kick. */
    script_input(f->chr0, "world");
    g_assert_null(get_in(f, 0));
    post_in(f, 0, BUFSZ);
    kick(0);
    in = get_in(f, 0);
    g_assert_cmpstr(in, ==, "world");
    g_clear_pointer(&in, g_free);

    /* Input larger than a buffer spreads over several. */
    post_in(f, 0, 4);
    post_in(f, 0, 4);
    kick(0);
    script_input(f->chr0, "abcdefg");
    in = get_in(f, 0);
    g_assert_cmpstr(in, ==, "abcd");
    g_clear_pointer(&in, g_free);
    in = get_in(f, 0);
    g_assert_cmpstr(in, ==, "efg");
    g_assert_true(f->level);

    /* The other port's queues are its own. */
    send_ctrl(f, 1, VIRTIO_CONSOLE_PORT_OPEN, 1);
    send_out(f, 5, "to-port1", 8);
    g_assert_cmpstr(script_output(f->chr1), ==, "to-port1");
    g_assert_cmpstr(script_output(f->chr0), ==, "hello");
}

static void test_open_close(Fixture *f, gconstpointer data)
{
    g_autofree char *in = NULL;

    handshake(f);

    /* Host side closes and reopens. */
    chardev_be_event(f->chr1, CHR_EVENT_CLOSED);
    expect_ctrl(f, 1, VIRTIO_CONSOLE_PORT_OPEN, 0);
    chardev_be_event(f->chr1, CHR_EVENT_OPENED);
    expect_ctrl(f, 1, VIRTIO_CONSOLE_PORT_OPEN, 1);
    expect_no_ctrl(f);

    /* Input waits until the guest opens the port. */
    post_in(f, 4, BUFSZ);
    kick(4);
    script_input(f->chr1, "early");
    g_assert_null(get_in(f, 4));
    send_ctrl(f, 1, VIRTIO_CONSOLE_PORT_OPEN, 1);
    in = get_in(f, 4);
    g_assert_cmpstr(in, ==, "early");
    g_clear_pointer(&in, g_free);

    /* Guest closes: nothing more is delivered, and the buffer stays posted. */
    post_in(f, 4, BUFSZ);
    kick(4);
    send_ctrl(f, 1, VIRTIO_CONSOLE_PORT_OPEN, 0);
    script_input(f->chr1, "late");
    g_assert_null(get_in(f, 4));
    send_ctrl(f, 1, VIRTIO_CONSOLE_PORT_OPEN, 1);
    in = get_in(f, 4);
    g_assert_cmpstr(in, ==, "late");
}

static void test_hotplug(Fixture *f, gconstpointer data)
{
    GError *err = NULL;
    Chardev *chr;
    DeviceState *d;
    Ctrl c;

    handshake(f);
    chr = chardev_new("ser3", "script", NULL, &err);
    g_assert_no_error(err);
    d = add_port(f, TYPE_VIRTSERIALPORT, chr, "hot", 3, &err);
    g_assert_no_error(err);
    expect_ctrl(f, 3, VIRTIO_CONSOLE_PORT_ADD, 1);
    send_ctrl(f, 3, VIRTIO_CONSOLE_PORT_READY, 1);
    g_assert_true(get_ctrl(f, &c));
    g_assert_cmpuint(c.event, ==, VIRTIO_CONSOLE_PORT_NAME);
    g_assert_cmpstr(c.extra, ==, "hot");
    expect_ctrl(f, 3, VIRTIO_CONSOLE_PORT_OPEN, 1);

    device_unrealize(d);
    device_free(d);
    expect_ctrl(f, 3, VIRTIO_CONSOLE_PORT_REMOVE, 1);
    expect_no_ctrl(f);
    /* Its queues now belong to nobody. */
    send_out(f, 9, "x", 1);
    g_assert_cmphex(rd(VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_DEVICE_NEEDS_RESET, ==, 0);
}

static void test_port_numbers(Fixture *f, gconstpointer data)
{
    GError *err = NULL;
    DeviceState *d;

    g_assert_null(add_port(f, TYPE_VIRTSERIALPORT, NULL, NULL, 0, &err));
    g_assert_nonnull(strstr(err->message, "reserved for virtconsole"));
    g_clear_error(&err);
    g_assert_null(add_port(f, TYPE_VIRTSERIALPORT, NULL, NULL, 1, &err));
    g_assert_nonnull(strstr(err->message, "already in use"));
    g_clear_error(&err);
    g_assert_null(add_port(f, TYPE_VIRTSERIALPORT, NULL, NULL, MAX_PORTS, &err));
    g_assert_nonnull(strstr(err->message, "out of range"));
    g_clear_error(&err);
    g_assert_null(add_port(f, TYPE_VIRTSERIALPORT, NULL, "org.tern.test", -1, &err));
    g_assert_nonnull(strstr(err->message, "already exists"));
    g_clear_error(&err);

    /* A second console takes the first free number; then the bus is full. */
    d = add_port(f, TYPE_VIRTCONSOLE, NULL, NULL, -1, &err);
    g_assert_no_error(err);
    g_assert_cmpuint(((VirtIOSerialPort *)d)->id, ==, 2);
    d = add_port(f, TYPE_VIRTSERIALPORT, NULL, NULL, -1, &err);
    g_assert_no_error(err);
    g_assert_cmpuint(((VirtIOSerialPort *)d)->id, ==, 3);
    g_assert_null(add_port(f, TYPE_VIRTSERIALPORT, NULL, NULL, -1, &err));
    g_assert_error(err, TERN_ERROR, TERN_ERROR_NOT_FOUND);
    g_clear_error(&err);
}

static void test_single_port(Fixture *f, gconstpointer data)
{
    g_autofree char *in = NULL;

    /* A driver without MULTIPORT uses port 0 at once and no control queue. */
    driver_init(f, false);
    send_out(f, 1, "plain", 5);
    g_assert_cmpstr(script_output(f->chr0), ==, "plain");
    post_in(f, 0, BUFSZ);
    kick(0);
    script_input(f->chr0, "back");
    in = get_in(f, 0);
    g_assert_cmpstr(in, ==, "back");
    /* Host events produce no control traffic. */
    chardev_be_event(f->chr0, CHR_EVENT_CLOSED);
    chardev_be_event(f->chr0, CHR_EVENT_OPENED);
    g_assert_cmpuint(tvring_used_idx(&f->r[0]), ==, 1);
}

static void test_broken_chain(Fixture *f, gconstpointer data)
{
    TestVring *r;
    uint32_t head, len;

    handshake(f);
    send_ctrl(f, 0, VIRTIO_CONSOLE_PORT_OPEN, 1);
    r = &f->r[1];
    /* A chain whose next index is past the table. */
    tv_write_desc(as(), r->desc, 0, buf_addr(1, 0), 4, VRING_DESC_F_NEXT, QSIZE + 5);
    tvring_publish(r, 0);
    kick(1);
    g_assert_cmphex(rd(VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_DEVICE_NEEDS_RESET, ==,
                    VIRTIO_CONFIG_S_DEVICE_NEEDS_RESET);
    g_assert_false(tvring_get_used(r, &head, &len));
    g_assert_cmpstr(script_output(f->chr0), ==, "");

    /* Stopped: neither data nor control moves until a reset. */
    post_in(f, 0, BUFSZ);
    kick(0);
    script_input(f->chr0, "lost?");
    g_assert_null(get_in(f, 0));
    chardev_be_event(f->chr1, CHR_EVENT_CLOSED);
    expect_no_ctrl(f);

    /* After a reset the driver starts again; the input that waited arrives. */
    chardev_be_event(f->chr1, CHR_EVENT_OPENED);
    handshake(f);
    send_ctrl(f, 0, VIRTIO_CONSOLE_PORT_OPEN, 1);
    post_in(f, 0, BUFSZ);
    kick(0);
    {
        g_autofree char *in = get_in(f, 0);

        g_assert_cmpstr(in, ==, "lost?");
    }
}

static void test_bad_control(Fixture *f, gconstpointer data)
{
    uint8_t shortmsg[3] = { 0 };
    TestVring *r;
    TestBuf b[2];
    uint32_t head, len;

    driver_init(f, true);
    /* A short control message is returned and ignored. */
    send_out(f, CTRL_TX, shortmsg, sizeof(shortmsg));
    g_assert_true(tvring_get_used(&f->r[CTRL_TX], &head, &len));
    expect_no_ctrl(f);
    g_assert_cmphex(rd(VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_DEVICE_NEEDS_RESET, ==, 0);

    /* A device-readable buffer after a writable one breaks the device. */
    r = &f->r[CTRL_TX];
    b[0] = (TestBuf){ buf_addr(CTRL_TX, 8), 8, true };
    b[1] = (TestBuf){ buf_addr(CTRL_TX, 9), 8, false };
    tvring_publish(r, tvring_add_chain(r, b, 2));
    kick(CTRL_TX);
    g_assert_cmphex(rd(VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_DEVICE_NEEDS_RESET, ==,
                    VIRTIO_CONFIG_S_DEVICE_NEEDS_RESET);
}

static void test_testdev(Fixture *f, gconstpointer data)
{
    GError *err = NULL;
    Chardev *chr;
    bool exit;

    /* kvm-unit-tests' exit path: a virtconsole on a testdev chardev. */
    handshake(f);
    chr = chardev_new("ctd", "testdev", NULL, &err);
    g_assert_no_error(err);
    g_assert_nonnull(add_port(f, TYPE_VIRTSERIALPORT, chr, "chr-testdev", -1, &err));
    g_assert_no_error(err);
    expect_ctrl(f, 2, VIRTIO_CONSOLE_PORT_ADD, 1);
    send_ctrl(f, 2, VIRTIO_CONSOLE_PORT_READY, 1);
    g_assert_false(shutdown_requested());
    send_out(f, 7, "3q", 2);
    g_assert_true(shutdown_requested());
    g_assert_cmpint(get_exit_status(), ==, 7);
    bql_lock();
    exit = runstate_process_requests();
    bql_unlock();
    g_assert_true(exit);
    set_exit_status(0);
}

static void test_pci(void)
{
    PCIHostCF8Config cfg = { 0 };
    GError *err = NULL;
    PCIBus *bus;
    DeviceState *d;
    BusState *sbus;

    hw_virtio_register_devices();
    virtio_serial_register_devices();
    log_set_mask(0);
    bus = pci_host_cf8_create(&cfg, &err);
    g_assert_no_error(err);
    d = device_new(TYPE_VIRTIO_SERIAL_PCI, &err);
    g_assert_no_error(err);
    g_assert_true(device_set_id(d, "vser0", &err));
    g_assert_true(device_set_prop_uint(d, "max_ports", 2, &err));
    g_assert_true(device_realize(d, bus->qbus, &err));
    g_assert_no_error(err);
    g_assert_cmphex(pci_get_word(PCI_DEVICE(d)->config + PCI_DEVICE_ID), ==, 0x1043);
    g_assert_cmphex(pci_get_word(PCI_DEVICE(d)->config + PCI_CLASS_DEVICE), ==, 0x0780);
    /* QEMU's vectors default: max_ports + 1. */
    g_assert_cmpuint(((VirtIOPCIProxy *)d)->nvectors, ==, 3);

    /* QEMU's naming: the ports' bus of device "vser0" is "vser0.0". */
    sbus = bus_find("vser0.0");
    g_assert_nonnull(sbus);
    g_assert_cmpstr(sbus->type, ==, TYPE_VIRTIO_SERIAL_BUS);
    d = device_new(TYPE_VIRTCONSOLE, &err);
    g_assert_true(device_realize(d, NULL, &err));
    g_assert_no_error(err);
    g_assert_true(d->parent_bus == sbus);
    d = device_new(TYPE_VIRTSERIALPORT, &err);
    g_assert_true(device_realize(d, sbus, &err));
    g_assert_no_error(err);
    g_assert_cmpuint(((VirtIOSerialPort *)d)->id, ==, 1);
    /* Full with max_ports=2. */
    d = device_new(TYPE_VIRTSERIALPORT, &err);
    g_assert_false(device_realize(d, NULL, &err));
    g_clear_error(&err);
    device_free(d);
    device_tree_destroy();
}

static void *lookup_chardev(const char *id, GError **errp)
{
    Chardev *chr = chardev_find(id);

    if (!chr) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_NOT_FOUND, "chardev '%s' not found", id);
    }
    return chr;
}

/* The -device path: "driver,key=value" strings, buses found by type or named. */
static DeviceState *cli_device(const char *opts, GError **errp)
{
    g_autoptr(KeyvalList) kv = keyval_parse(opts, "driver", errp);

    return kv ? device_create_from_keyval(kv, errp) : NULL;
}

static void test_cli(void)
{
    PCIHostCF8Config cfg = { 0 };
    GError *err = NULL;
    DeviceState *con, *port;

    hw_virtio_register_devices();
    virtio_serial_register_devices();
    device_prop_register_lookup(PROP_TYPE_CHARDEV, lookup_chardev);
    log_set_mask(0);
    g_assert_nonnull(pci_host_cf8_create(&cfg, &err));
    g_assert_nonnull(chardev_new("c0", "null", NULL, &err));
    g_assert_nonnull(chardev_new("c1", "null", NULL, &err));

    g_assert_nonnull(cli_device("virtio-serial-pci,id=vser0,max_ports=3", &err));
    g_assert_no_error(err);
    con = cli_device("virtconsole,chardev=c0,name=console.0", &err);
    g_assert_no_error(err);
    g_assert_cmpstr(con->parent_bus->name, ==, "vser0.0");
    port = cli_device("virtserialport,bus=vser0.0,chardev=c1,name=org.qemu.guest_agent.0,nr=2",
                      &err);
    g_assert_no_error(err);
    g_assert_cmpuint(((VirtIOSerialPort *)port)->id, ==, 2);
    g_assert_null(cli_device("virtserialport,chardev=nosuch", &err));
    g_assert_nonnull(strstr(err->message, "nosuch"));
    g_clear_error(&err);
    /* A port needs a virtio-serial bus, and only ports go there. */
    g_assert_null(cli_device("virtio-rng-device,bus=vser0.0", &err));
    g_assert_nonnull(err);
    g_clear_error(&err);
    device_tree_destroy();
    chardev_delete_all();
    g_assert_null(cli_device("virtconsole", &err));
    g_assert_nonnull(strstr(err->message, "virtio-serial-bus"));
    g_clear_error(&err);
}

static void test_max_ports(void)
{
    GError *err = NULL;
    DeviceState *d;

    virtio_serial_register_devices();
    d = device_new(TYPE_VIRTIO_SERIAL_DEVICE, &err);
    g_assert_true(device_set_prop_uint(d, "max_ports", 32, &err));
    g_assert_false(device_realize(d, NULL, &err));
    g_assert_nonnull(err);
    g_clear_error(&err);
    device_free(d);
}

#define ADD(name, fn) g_test_add(name, Fixture, NULL, fixture_setup, fn, fixture_teardown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    chardev_register_class(&script_class);
    hw_pci_register_devices();
    ADD("/virtio-serial/config", test_config);
    ADD("/virtio-serial/handshake", test_handshake);
    ADD("/virtio-serial/console-data", test_console_data);
    ADD("/virtio-serial/open-close", test_open_close);
    ADD("/virtio-serial/hotplug", test_hotplug);
    ADD("/virtio-serial/port-numbers", test_port_numbers);
    ADD("/virtio-serial/single-port", test_single_port);
    ADD("/virtio-serial/broken-chain", test_broken_chain);
    ADD("/virtio-serial/bad-control", test_bad_control);
    ADD("/virtio-serial/testdev", test_testdev);
    g_test_add_func("/virtio-serial/pci", test_pci);
    g_test_add_func("/virtio-serial/max-ports", test_max_ports);
    g_test_add_func("/virtio-serial/cli", test_cli);
    return g_test_run();
}
