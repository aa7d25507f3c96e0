/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The testdev chardev: "Nq" written by a frontend posts a guest shutdown
 * with exit status (N << 1) | 1, observed here through the run-state
 * request API and then consumed the way the main loop would, so the test
 * process itself never exits. Also: commands split across writes,
 * unknown commands, and the backend listing.
 */
#include <string.h>

#include "chardev/char.h"
#include "system/main-loop.h"
#include "system/runstate.h"
#include "util/error.h"
#include "util/log.h"

static ShutdownCause last_cause;
static int shutdowns;

static void record_shutdown(void *opaque, ShutdownCause cause)
{
    last_cause = cause;
    shutdowns++;
}

typedef struct Fixture {
    Chardev *chr;
    CharFrontend fe;
} Fixture;

static void fixture_setup(Fixture *f, gconstpointer data)
{
    g_autoptr(GError) err = NULL;

    memset(f, 0, sizeof(*f));
    f->chr = chardev_new("ctd", "testdev", NULL, &err);
    g_assert_no_error(err);
    g_assert_true(char_fe_init(&f->fe, f->chr, &err));
    g_assert_no_error(err);
    char_fe_set_handlers(&f->fe, NULL, NULL, NULL, NULL);
    g_assert_true(char_fe_backend_open(&f->fe));
    set_exit_status(0);
    shutdowns = 0;
    last_cause = SHUTDOWN_CAUSE_NONE;
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    char_fe_deinit(&f->fe);
    chardev_delete(f->chr);
}

static void put(Fixture *f, const char *s)
{
    g_assert_cmpint(char_fe_write(&f->fe, (const uint8_t *)s, strlen(s)), ==, strlen(s));
}

/* What the main loop does with the request; true when it would exit. */
static bool process(void)
{
    bool exit;

    bql_lock();
    exit = runstate_process_requests();
    bql_unlock();
    return exit;
}

static void test_quit(Fixture *f, gconstpointer data)
{
    put(f, "3q");
    g_assert_true(shutdown_requested());
    g_assert_cmpint(get_exit_status(), ==, 7);
    g_assert_true(process());
    g_assert_cmpint(shutdowns, ==, 1);
    g_assert_cmpint(last_cause, ==, SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
    g_assert_false(shutdown_requested());
}

static void test_split_and_zero(Fixture *f, gconstpointer data)
{
    put(f, "1");
    put(f, "2");
    g_assert_false(shutdown_requested());
    put(f, "q");
    g_assert_true(shutdown_requested());
    g_assert_cmpint(get_exit_status(), ==, 25);
    g_assert_true(process());

    /* No argument: status 1, like QEMU's "q" alone. */
    put(f, "q");
    g_assert_cmpint(get_exit_status(), ==, 1);
    g_assert_true(process());
}

static void test_unknown(Fixture *f, gconstpointer data)
{
    /* Other bytes end a command without effect and drop its argument. */
    put(f, "5x\n");
    g_assert_false(shutdown_requested());
    put(f, "2q");
    g_assert_cmpint(get_exit_status(), ==, 5);
    g_assert_true(process());
}

static void test_help(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);

    chardev_print_help(out);
    fclose(out);
    g_assert_nonnull(strstr(buf, "testdev"));
    free(buf);
}

#define ADD(name, fn) g_test_add(name, Fixture, NULL, fixture_setup, fn, fixture_teardown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    log_set_mask(0);
    runstate_add_shutdown_notifier(record_shutdown, NULL);
    ADD("/chardev-testdev/quit", test_quit);
    ADD("/chardev-testdev/split-and-zero", test_split_and_zero);
    ADD("/chardev-testdev/unknown", test_unknown);
    g_test_add_func("/chardev-testdev/help", test_help);
    return g_test_run();
}
