/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Chardev mux: two frontends (a serial port and a monitor, say) share one
 * backend. The backend is a test-only class whose output is captured in a
 * string and whose input the test injects, so every escape command, focus
 * switch, event and flow-control step is checked without real I/O.
 */
#include "chardev/char.h"
#include "util/error.h"

#include <string.h>

/* ---- controllable backend ---- */

typedef struct TestBackend {
    Chardev parent;
    GString *out;
} TestBackend;

static bool testbe_open(Chardev *chr, KeyvalList *opts, GError **errp)
{
    ((TestBackend *)chr)->out = g_string_new(NULL);
    chr->be_open = true;
    return true;
}

static int testbe_write(Chardev *chr, const uint8_t *buf, int len)
{
    g_string_append_len(((TestBackend *)chr)->out, (const char *)buf, len);
    return len;
}

static void testbe_close(Chardev *chr)
{
    g_string_free(((TestBackend *)chr)->out, TRUE);
}

static const ChardevClass testbe_class = {
    .name = "testbe",
    .help = "test backend",
    .instance_size = sizeof(TestBackend),
    .flags = CHARDEV_CLASS_HIDDEN,
    .open = testbe_open,
    .write = testbe_write,
    .close = testbe_close,
};

/* ---- frontends ---- */

typedef struct TestFe {
    CharFrontend fe;
    GString *rx;
    int room;
    GArray *events;
} TestFe;

static int test_can_read(void *opaque)
{
    return ((TestFe *)opaque)->room;
}

static void test_read(void *opaque, const uint8_t *buf, int len)
{
    TestFe *t = opaque;

    g_assert_cmpint(len, <=, t->room);
    g_string_append_len(t->rx, (const char *)buf, len);
}

static void test_event(void *opaque, CharEvent ev)
{
    g_array_append_val(((TestFe *)opaque)->events, ev);
}

static void test_fe_attach(TestFe *t, Chardev *chr)
{
    g_autoptr(GError) err = NULL;

    t->rx = g_string_new(NULL);
    t->events = g_array_new(FALSE, FALSE, sizeof(CharEvent));
    t->room = 4096;
    g_assert_true(char_fe_init(&t->fe, chr, &err));
    g_assert_no_error(err);
    char_fe_set_handlers(&t->fe, test_can_read, test_read, test_event, t);
}

static void test_fe_free(TestFe *t)
{
    char_fe_deinit(&t->fe);
    g_string_free(t->rx, TRUE);
    g_array_free(t->events, TRUE);
}

static CharEvent last_event(TestFe *t)
{
    g_assert_cmpuint(t->events->len, >, 0);
    return g_array_index(t->events, CharEvent, t->events->len - 1);
}

static void drain_loop(void)
{
    for (int i = 0; i < 50 && g_main_context_iteration(NULL, FALSE); i++) {
    }
}

typedef struct MuxFixture {
    Chardev *mux;
    Chardev *base;
    TestFe serial;
    TestFe monitor;
} MuxFixture;

static GString *backend_out(MuxFixture *f)
{
    return ((TestBackend *)f->base)->out;
}

/* Types into the backend, as a user at the terminal would. */
static void type(MuxFixture *f, const char *s, int len)
{
    if (len < 0) {
        len = strlen(s);
    }
    g_assert_cmpint(chardev_be_can_read(f->base), >=, len);
    chardev_be_read(f->base, (const uint8_t *)s, len);
}

static void fixture_setup(MuxFixture *f, gconstpointer data)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(KeyvalList) kv = keyval_parse("testbe,id=con,mux=on", "backend",
                                            &err);

    f->mux = chardev_new_from_keyval(kv, &err);
    g_assert_no_error(err);
    g_assert_true(chardev_is_mux(f->mux));
    f->base = chardev_find("con-base");
    g_assert_nonnull(f->base);
    test_fe_attach(&f->serial, f->mux);
    test_fe_attach(&f->monitor, f->mux);
}

static void fixture_teardown(MuxFixture *f, gconstpointer data)
{
    test_fe_free(&f->serial);
    test_fe_free(&f->monitor);
    chardev_delete(f->mux);
    g_assert_null(chardev_find("con-base"));
    chardev_mux_set_quit_handler(NULL, NULL);
}

/* ---- tests ---- */

static void test_focus_and_input(MuxFixture *f, gconstpointer data)
{
    /* both saw the backend open; the first frontend has the focus */
    g_assert_cmpuint(f->serial.events->len, ==, 1);
    g_assert_cmpint(last_event(&f->serial), ==, CHR_EVENT_OPENED);
    g_assert_cmpint(last_event(&f->monitor), ==, CHR_EVENT_OPENED);
    g_assert_cmpint(chardev_mux_focus(f->mux), ==, 0);
    g_assert_true(char_fe_has_focus(&f->serial.fe));
    g_assert_false(char_fe_has_focus(&f->monitor.fe));

    type(f, "abc", -1);
    g_assert_cmpstr(f->serial.rx->str, ==, "abc");
    g_assert_cmpstr(f->monitor.rx->str, ==, "");

    type(f, "\x01" "c", -1);
    g_assert_cmpint(last_event(&f->serial), ==, CHR_EVENT_MUX_OUT);
    g_assert_cmpint(last_event(&f->monitor), ==, CHR_EVENT_MUX_IN);
    g_assert_cmpint(chardev_mux_focus(f->mux), ==, 1);
    g_assert_true(char_fe_has_focus(&f->monitor.fe));
    type(f, "info\r", -1);
    g_assert_cmpstr(f->monitor.rx->str, ==, "info\r");
    g_assert_cmpstr(f->serial.rx->str, ==, "abc");

    /* the escape may be split across reads; C-a c wraps around */
    type(f, "\x01", -1);
    type(f, "c", -1);
    g_assert_cmpint(chardev_mux_focus(f->mux), ==, 0);
    g_assert_cmpint(last_event(&f->serial), ==, CHR_EVENT_MUX_IN);
    g_assert_cmpint(last_event(&f->monitor), ==, CHR_EVENT_MUX_OUT);
    type(f, "d", -1);
    g_assert_cmpstr(f->serial.rx->str, ==, "abcd");

    chardev_mux_set_focus(f->mux, 1);
    g_assert_cmpint(chardev_mux_focus(f->mux), ==, 1);
    chardev_mux_set_focus(f->mux, 3);       /* no such frontend: ignored */
    g_assert_cmpint(chardev_mux_focus(f->mux), ==, 1);
}

static void test_escapes(MuxFixture *f, gconstpointer data)
{
    guint nev = f->serial.events->len;

    /* C-a C-a delivers one C-a */
    type(f, "x\x01\x01y", 4);
    g_assert_cmpmem(f->serial.rx->str, f->serial.rx->len, "x\x01y", 3);

    /* unknown escapes are dropped entirely */
    type(f, "\x01z", -1);
    g_assert_cmpuint(f->serial.rx->len, ==, 3);
    g_assert_cmpuint(f->serial.events->len, ==, nev);

    /* C-a b: break to the focused frontend only */
    type(f, "\x01" "b", -1);
    g_assert_cmpint(last_event(&f->serial), ==, CHR_EVENT_BREAK);
    g_assert_cmpuint(f->monitor.events->len, ==, 1);

    /* C-a h: help text on the backend */
    type(f, "\x01h", -1);
    g_assert_nonnull(strstr(backend_out(f)->str, "C-a h    print this help"));
    g_assert_nonnull(strstr(backend_out(f)->str, "C-a x    exit emulator"));
    g_assert_nonnull(strstr(backend_out(f)->str,
                            "C-a c    switch between console and monitor"));
    g_assert_nonnull(strstr(backend_out(f)->str, "C-a C-a  sends C-a"));
    g_assert_cmpuint(f->serial.rx->len, ==, 3);
}

static void quit_hook(void *opaque)
{
    (*(int *)opaque)++;
}

static void test_quit(MuxFixture *f, gconstpointer data)
{
    int calls = 0;

    /* no handler: only the message */
    type(f, "\x01x", -1);
    g_assert_nonnull(strstr(backend_out(f)->str, "tern: terminated"));
    chardev_mux_set_quit_handler(quit_hook, &calls);
    type(f, "\x01x", -1);
    g_assert_cmpint(calls, ==, 1);
    /* bytes before the escape still reach the guest */
    type(f, "q\x01x", -1);
    g_assert_cmpint(calls, ==, 2);
    g_assert_cmpstr(f->serial.rx->str, ==, "q");
}

static void test_output(MuxFixture *f, gconstpointer data)
{
    g_assert_cmpint(char_fe_write(&f->serial.fe, (const uint8_t *)"boot\n", 5),
                    ==, 5);
    g_assert_cmpint(char_fe_write(&f->monitor.fe, (const uint8_t *)"(tern) ", 7),
                    ==, 7);
    g_assert_cmpstr(backend_out(f)->str, ==, "boot\n(tern) ");

    /* C-a t prefixes each output line with the elapsed time */
    g_string_truncate(backend_out(f), 0);
    type(f, "\x01t", -1);
    char_fe_write(&f->serial.fe, (const uint8_t *)"a\nb", 3);
    g_assert_true(g_str_has_prefix(backend_out(f)->str, "[00:00:"));
    g_assert_nonnull(strstr(backend_out(f)->str, "] a\n[00:00:"));
    g_assert_true(g_str_has_suffix(backend_out(f)->str, "] b"));
    type(f, "\x01t", -1);
    g_string_truncate(backend_out(f), 0);
    char_fe_write(&f->serial.fe, (const uint8_t *)"c\n", 2);
    g_assert_cmpstr(backend_out(f)->str, ==, "c\n");
}

static void test_flow_control(MuxFixture *f, gconstpointer data)
{
    int room_before = chardev_be_can_read(f->base);

    g_assert_cmpint(room_before, >, 8);
    f->serial.room = 0;
    type(f, "12345", -1);
    g_assert_cmpstr(f->serial.rx->str, ==, "");
    /* staged bytes shrink what the backend may hand over */
    g_assert_cmpint(chardev_be_can_read(f->base), ==, room_before - 5);

    /* a partly ready frontend takes what fits */
    f->serial.room = 2;
    char_fe_accept_input(&f->serial.fe);
    drain_loop();
    g_assert_cmpstr(f->serial.rx->str, ==, "12345");

    /* a frontend that never calls accept_input is drained too */
    f->serial.room = 0;
    type(f, "67", -1);
    f->serial.room = 100;
    g_assert_cmpint(chardev_be_can_read(f->base), >, 0);
    drain_loop();
    g_assert_cmpstr(f->serial.rx->str, ==, "1234567");

    /* input staged for a frontend stays with it across a focus switch */
    f->serial.room = 0;
    type(f, "8\x01" "c9", -1);
    g_assert_cmpstr(f->monitor.rx->str, ==, "9");
    f->serial.room = 100;
    char_fe_accept_input(&f->serial.fe);
    drain_loop();
    g_assert_cmpstr(f->serial.rx->str, ==, "12345678");
}

static void test_backend_events(MuxFixture *f, gconstpointer data)
{
    chardev_be_event(f->base, CHR_EVENT_CLOSED);
    g_assert_cmpint(last_event(&f->serial), ==, CHR_EVENT_CLOSED);
    g_assert_cmpint(last_event(&f->monitor), ==, CHR_EVENT_CLOSED);
    g_assert_false(char_fe_backend_open(&f->serial.fe));
    chardev_be_event(f->base, CHR_EVENT_OPENED);
    g_assert_cmpint(last_event(&f->serial), ==, CHR_EVENT_OPENED);
    g_assert_cmpint(last_event(&f->monitor), ==, CHR_EVENT_OPENED);
    g_assert_true(char_fe_backend_open(&f->monitor.fe));
    /* a break from the backend goes to the focused frontend */
    chardev_be_event(f->base, CHR_EVENT_BREAK);
    g_assert_cmpint(last_event(&f->serial), ==, CHR_EVENT_BREAK);
    g_assert_cmpint(last_event(&f->monitor), ==, CHR_EVENT_OPENED);
}

static void test_detach(MuxFixture *f, gconstpointer data)
{
    TestFe late;

    /* the focused frontend leaves: focus moves on */
    char_fe_deinit(&f->serial.fe);
    g_assert_cmpint(chardev_mux_focus(f->mux), ==, 1);
    g_assert_cmpint(last_event(&f->monitor), ==, CHR_EVENT_MUX_IN);
    type(f, "m", -1);
    g_assert_cmpstr(f->monitor.rx->str, ==, "m");
    /* a new frontend takes the free slot */
    test_fe_attach(&late, f->mux);
    g_assert_cmpint(late.fe.tag, ==, 0);
    g_assert_cmpint(last_event(&late), ==, CHR_EVENT_OPENED);
    test_fe_free(&late);
}

static void test_mux_errors(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(KeyvalList) kv = keyval_parse("testbe,id=b1", "backend", &err);
    Chardev *base = chardev_new_from_keyval(kv, &err);
    g_autoptr(KeyvalList) m1 = keyval_parse("mux,id=m1,chardev=b1", "backend",
                                            &err);
    g_autoptr(KeyvalList) m2 = keyval_parse("mux,id=m2,chardev=b1", "backend",
                                            &err);
    g_autoptr(KeyvalList) m3 = keyval_parse("mux,id=m3,chardev=m1", "backend",
                                            &err);
    g_autoptr(KeyvalList) m4 = keyval_parse("mux,id=m4", "backend", &err);
    Chardev *mux;

    g_assert_no_error(err);
    mux = chardev_new_from_keyval(m1, &err);
    g_assert_no_error(err);
    g_assert_null(chardev_new_from_keyval(m2, &err));
    g_assert_cmpstr(err->message, ==, "chardev 'm2': chardev 'b1' is already in use");
    g_clear_error(&err);
    g_assert_null(chardev_new_from_keyval(m3, &err));
    g_assert_cmpstr(err->message, ==, "chardev 'm3': chardev 'm1' is already a mux");
    g_clear_error(&err);
    g_assert_null(chardev_new_from_keyval(m4, &err));
    g_assert_cmpstr(err->message, ==, "chardev 'm4': parameter 'chardev' is missing");
    g_clear_error(&err);
    /* a mux over an existing chardev leaves that chardev alive */
    chardev_delete(mux);
    g_assert_true(chardev_find("b1") == base);
    chardev_delete(base);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    chardev_register_class(&testbe_class);
#define ADD(name, fn) \
    g_test_add("/chardev-mux/" name, MuxFixture, NULL, fixture_setup, fn, \
               fixture_teardown)
    ADD("focus-and-input", test_focus_and_input);
    ADD("escapes", test_escapes);
    ADD("quit", test_quit);
    ADD("output", test_output);
    ADD("flow-control", test_flow_control);
    ADD("backend-events", test_backend_events);
    ADD("detach", test_detach);
#undef ADD
    g_test_add_func("/chardev-mux/errors", test_mux_errors);
    return g_test_run();
}
