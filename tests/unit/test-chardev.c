/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Chardev core and simple backends: null, file, pipe, pty, ringbuf, the
 * registry and its error messages, -serial shorthand parsing, frontend
 * attachment rules and stdio terminal restore. Everything runs in the
 * default main context, pumped in bounded loops.
 */
#include "chardev/char.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct TestFe {
    CharFrontend fe;
    GString *rx;
    int room;
    GArray *events;
} TestFe;

static int test_can_read(void *opaque)
{
    TestFe *t = opaque;
    return t->room;
}

static void test_read(void *opaque, const uint8_t *buf, int len)
{
    TestFe *t = opaque;

    g_assert_cmpint(len, <=, t->room);
    g_string_append_len(t->rx, (const char *)buf, len);
}

static void test_event(void *opaque, CharEvent ev)
{
    TestFe *t = opaque;
    g_array_append_val(t->events, ev);
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

static bool has_event(TestFe *t, CharEvent ev)
{
    for (guint i = 0; i < t->events->len; i++) {
        if (g_array_index(t->events, CharEvent, i) == ev) {
            return true;
        }
    }
    return false;
}

static gboolean tick(gpointer opaque)
{
    return G_SOURCE_CONTINUE;
}

/*
 * Pumps the main loop until rx holds `want` bytes or the backend opens.
 * A short ticking timer bounds each blocking iteration, and the iteration
 * cap bounds the whole wait, so a failure never hangs the test.
 */
static bool pump_rx(TestFe *t, gsize want)
{
    guint guard = g_timeout_add(20, tick, NULL);
    bool ok = false;

    for (int i = 0; i < 300 && !ok; i++) {
        ok = t->rx->len >= want;
        if (!ok) {
            g_main_context_iteration(NULL, TRUE);
        }
    }
    g_source_remove(guard);
    return ok;
}

static bool pump_open(TestFe *t)
{
    guint guard = g_timeout_add(20, tick, NULL);
    bool ok = false;

    for (int i = 0; i < 300 && !ok; i++) {
        ok = char_fe_backend_open(&t->fe);
        if (!ok) {
            g_main_context_iteration(NULL, TRUE);
        }
    }
    g_source_remove(guard);
    return ok;
}

static void drain_loop(void)
{
    for (int i = 0; i < 50 && g_main_context_iteration(NULL, FALSE); i++) {
    }
}

static Chardev *new_from_string(const char *str, GError **errp)
{
    g_autoptr(KeyvalList) kv = keyval_parse(str, "backend", errp);

    return kv ? chardev_new_from_keyval(kv, errp) : NULL;
}

static void assert_one_line(const GError *err)
{
    g_assert_nonnull(err);
    g_assert_null(strchr(err->message, '\n'));
    g_assert_false(g_str_has_suffix(err->message, "."));
}

static char *read_whole(const char *path)
{
    char *data = NULL;
    g_assert_true(g_file_get_contents(path, &data, NULL, NULL));
    return data;
}

static void rm_tree(const char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *name;

    while (d && (name = g_dir_read_name(d))) {
        g_autofree char *p = g_build_filename(dir, name, NULL);
        unlink(p);
    }
    if (d) {
        g_dir_close(d);
    }
    rmdir(dir);
}

/* ---- tests ---- */

static void test_null(void)
{
    g_autoptr(GError) err = NULL;
    Chardev *chr = chardev_new("n0", "null", NULL, &err);
    TestFe t;

    g_assert_no_error(err);
    g_assert_nonnull(chr);
    g_assert_cmpstr(chardev_label(chr), ==, "n0");
    g_assert_cmpstr(chardev_backend_name(chr), ==, "null");
    g_assert_true(chardev_find("n0") == chr);
    test_fe_attach(&t, chr);
    g_assert_true(has_event(&t, CHR_EVENT_OPENED));
    g_assert_cmpint(char_fe_write(&t.fe, (const uint8_t *)"abc", 3), ==, 3);
    g_assert_true(char_fe_has_focus(&t.fe));
    drain_loop();
    g_assert_cmpuint(t.rx->len, ==, 0);
    chardev_delete(chr);
    /* a frontend outliving its chardev just drops output */
    g_assert_null(t.fe.chr);
    g_assert_cmpint(char_fe_write(&t.fe, (const uint8_t *)"abc", 3), ==, 3);
    test_fe_free(&t);
    g_assert_null(chardev_find("n0"));
}

static void test_file(void)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *dir = g_dir_make_tmp("tern-chr-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "out.txt", NULL);
    g_autofree char *opt = NULL;
    g_autofree char *data = NULL;
    Chardev *chr;
    TestFe t;

    opt = g_strdup_printf("file,id=f0,path=%s", path);
    chr = new_from_string(opt, &err);
    g_assert_no_error(err);
    test_fe_attach(&t, chr);
    g_assert_cmpint(char_fe_write(&t.fe, (const uint8_t *)"hello ", 6), ==, 6);
    g_assert_cmpint(char_fe_write(&t.fe, (const uint8_t *)"world", 5), ==, 5);
    g_assert_true(g_str_has_prefix(chardev_filename(chr), "file:"));
    test_fe_free(&t);
    chardev_delete(chr);
    data = read_whole(path);
    g_assert_cmpstr(data, ==, "hello world");
    g_free(data);

    /* append=on keeps what is there */
    g_free(opt);
    opt = g_strdup_printf("file,id=f1,path=%s,append=on", path);
    chr = new_from_string(opt, &err);
    g_assert_no_error(err);
    test_fe_attach(&t, chr);
    char_fe_write(&t.fe, (const uint8_t *)"!", 1);
    test_fe_free(&t);
    chardev_delete(chr);
    data = read_whole(path);
    g_assert_cmpstr(data, ==, "hello world!");
    g_free(data);

    /* default truncates */
    g_free(opt);
    opt = g_strdup_printf("file,id=f2,path=%s", path);
    chr = new_from_string(opt, &err);
    g_assert_no_error(err);
    chardev_delete(chr);
    data = read_whole(path);
    g_assert_cmpstr(data, ==, "");

    /* errors */
    chr = new_from_string("file,id=f3", &err);
    g_assert_null(chr);
    assert_one_line(err);
    g_assert_cmpstr(err->message, ==,
                    "chardev 'f3': parameter 'path' is missing");
    g_clear_error(&err);
    chr = new_from_string("file,id=f4,path=/nonexistent-dir/x", &err);
    g_assert_null(chr);
    assert_one_line(err);
    g_assert_nonnull(strstr(err->message, "/nonexistent-dir/x"));
    g_clear_error(&err);
    g_free(opt);
    opt = g_strdup_printf("file,id=f5,path=%s,append=maybe", path);
    chr = new_from_string(opt, &err);
    g_assert_null(chr);
    assert_one_line(err);
    g_assert_nonnull(strstr(err->message, "append"));
    g_assert_null(chardev_find("f5"));
    rm_tree(dir);
}

static void test_file_input(void)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *dir = g_dir_make_tmp("tern-chr-XXXXXX", NULL);
    g_autofree char *in = g_build_filename(dir, "in.txt", NULL);
    g_autofree char *out = g_build_filename(dir, "out.txt", NULL);
    g_autofree char *opt = NULL;
    Chardev *chr;
    TestFe t;

    g_assert_true(g_file_set_contents(in, "typed input", -1, NULL));
    opt = g_strdup_printf("file,id=fi,path=%s,in=%s", out, in);
    chr = new_from_string(opt, &err);
    g_assert_no_error(err);
    test_fe_attach(&t, chr);
    t.room = 4;     /* forces several reads */
    g_assert_true(pump_rx(&t, 11));
    g_assert_cmpstr(t.rx->str, ==, "typed input");
    /* at EOF the watch is gone: the loop goes idle instead of spinning */
    drain_loop();
    g_assert_false(g_main_context_iteration(NULL, FALSE));
    test_fe_free(&t);
    chardev_delete(chr);
    rm_tree(dir);
}

static void test_pipe(void)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *dir = g_dir_make_tmp("tern-chr-XXXXXX", NULL);
    g_autofree char *base = g_build_filename(dir, "p", NULL);
    g_autofree char *pin = g_strdup_printf("%s.in", base);
    g_autofree char *pout = g_strdup_printf("%s.out", base);
    g_autofree char *opt = g_strdup_printf("pipe,id=p0,path=%s", base);
    char buf[64];
    Chardev *chr;
    TestFe t;
    int win, rout;
    ssize_t n;

    g_assert_cmpint(mkfifo(pin, 0600), ==, 0);
    g_assert_cmpint(mkfifo(pout, 0600), ==, 0);
    chr = new_from_string(opt, &err);
    g_assert_no_error(err);
    test_fe_attach(&t, chr);

    /* the chardev holds both FIFOs open, so these opens do not block */
    win = open(pin, O_WRONLY | O_NONBLOCK);
    rout = open(pout, O_RDONLY | O_NONBLOCK);
    g_assert_cmpint(win, >=, 0);
    g_assert_cmpint(rout, >=, 0);

    g_assert_cmpint(write(win, "ping", 4), ==, 4);
    g_assert_true(pump_rx(&t, 4));
    g_assert_cmpstr(t.rx->str, ==, "ping");

    g_assert_cmpint(char_fe_write(&t.fe, (const uint8_t *)"pong", 4), ==, 4);
    n = read(rout, buf, sizeof(buf));
    g_assert_cmpint(n, ==, 4);
    g_assert_cmpmem(buf, 4, "pong", 4);

    /* flow control: a full frontend leaves input in the FIFO */
    t.room = 0;
    g_assert_cmpint(write(win, "more", 4), ==, 4);
    drain_loop();
    g_assert_cmpuint(t.rx->len, ==, 4);
    t.room = 4096;
    char_fe_accept_input(&t.fe);
    g_assert_true(pump_rx(&t, 8));
    g_assert_cmpstr(t.rx->str, ==, "pingmore");

    close(win);
    close(rout);
    test_fe_free(&t);
    chardev_delete(chr);

    /* without .in/.out the path itself is used both ways */
    g_free(opt);
    opt = g_strdup_printf("pipe:%s", pin);
    chr = chardev_new_legacy(opt, "p1", &err);
    g_assert_no_error(err);
    g_assert_cmpstr(chardev_backend_name(chr), ==, "pipe");
    chardev_delete(chr);

    chr = chardev_new_legacy("pipe:/nonexistent-dir/p", "p2", &err);
    g_assert_null(chr);
    assert_one_line(err);
    rm_tree(dir);
}

static void test_pty(void)
{
    g_autoptr(GError) err = NULL;
    Chardev *chr = chardev_new("pty0", "pty", NULL, &err);
    const char *name;
    char buf[64];
    TestFe t;
    int slave;
    gsize got = 0;

    if (!chr) {
        g_test_skip("no pty available");
        return;
    }
    name = chardev_filename(chr);
    g_assert_true(g_str_has_prefix(name, "pty:"));
    name += 4;
    test_fe_attach(&t, chr);
    g_assert_false(char_fe_backend_open(&t.fe));
    /* nobody on the slave side: output is dropped, not blocked on */
    g_assert_cmpint(char_fe_write(&t.fe, (const uint8_t *)"lost", 4), ==, 4);

    slave = open(name, O_RDWR | O_NOCTTY);
    g_assert_cmpint(slave, >=, 0);
    g_assert_true(pump_open(&t));
    g_assert_true(has_event(&t, CHR_EVENT_OPENED));

    g_assert_cmpint(write(slave, "a\rb\n", 4), ==, 4);
    g_assert_true(pump_rx(&t, 4));
    /* raw mode: no CR/NL translation, no echo */
    g_assert_cmpmem(t.rx->str, t.rx->len, "a\rb\n", 4);

    g_assert_cmpint(char_fe_write(&t.fe, (const uint8_t *)"x\ny", 3), ==, 3);
    while (got < 3) {
        struct pollfd pfd = { .fd = slave, .events = POLLIN };
        ssize_t n;
        g_assert_cmpint(poll(&pfd, 1, 5000), ==, 1);
        n = read(slave, buf + got, sizeof(buf) - got);
        g_assert_cmpint(n, >, 0);
        got += n;
    }
    g_assert_cmpmem(buf, got, "x\ny", 3);

    close(slave);
    {
        guint guard = g_timeout_add(20, tick, NULL);
        for (int i = 0; i < 300 && char_fe_backend_open(&t.fe); i++) {
            g_main_context_iteration(NULL, TRUE);
        }
        g_source_remove(guard);
    }
    g_assert_true(has_event(&t, CHR_EVENT_CLOSED));
    test_fe_free(&t);
    chardev_delete(chr);
}

static void test_pty_symlink(void)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *dir = g_dir_make_tmp("tern-chr-XXXXXX", NULL);
    g_autofree char *link = g_build_filename(dir, "console", NULL);
    g_autofree char *opt = g_strdup_printf("pty,id=pty1,path=%s", link);
    g_autofree char *target = NULL;
    Chardev *chr = new_from_string(opt, &err);

    if (!chr) {
        g_test_skip("no pty available");
        rm_tree(dir);
        return;
    }
    target = g_file_read_link(link, NULL);
    g_assert_cmpstr(target, ==, chardev_filename(chr) + 4);
    /* the link exists now, so a second pty cannot claim it */
    g_free(opt);
    opt = g_strdup_printf("pty,id=pty3,path=%s", link);
    g_assert_null(new_from_string(opt, &err));
    assert_one_line(err);
    g_assert_nonnull(strstr(err->message, "symlink"));
    g_assert_null(chardev_find("pty3"));
    chardev_delete(chr);
    g_assert_false(g_file_test(link, G_FILE_TEST_IS_SYMLINK));
    rm_tree(dir);
}

static void test_ringbuf(void)
{
    g_autoptr(GError) err = NULL;
    Chardev *chr = new_from_string("ringbuf,id=rb,size=8", &err);
    GByteArray *got;
    TestFe t;

    g_assert_no_error(err);
    test_fe_attach(&t, chr);
    char_fe_write(&t.fe, (const uint8_t *)"0123456789", 10);
    got = chardev_ringbuf_read(chr, 100);
    g_assert_cmpmem(got->data, got->len, "23456789", 8);
    g_byte_array_unref(got);
    char_fe_write(&t.fe, (const uint8_t *)"ab", 2);
    got = chardev_ringbuf_read(chr, 1);
    g_assert_cmpmem(got->data, got->len, "a", 1);
    g_byte_array_unref(got);
    test_fe_free(&t);
    chardev_delete(chr);

    chr = new_from_string("memory,id=rb2,size=3", &err);
    g_assert_null(chr);
    assert_one_line(err);
}

static void test_registry_errors(void)
{
    g_autoptr(GError) err = NULL;
    Chardev *chr;

    chr = new_from_string("foo,id=x", &err);
    g_assert_null(chr);
    g_assert_cmpstr(err->message, ==,
                    "-chardev foo: unknown chardev backend 'foo'");
    g_clear_error(&err);

    chr = new_from_string("null", &err);
    g_assert_null(chr);
    g_assert_cmpstr(err->message, ==, "-chardev null: parameter 'id' is missing");
    g_clear_error(&err);

    chr = new_from_string("null,id=1bad", &err);
    g_assert_null(chr);
    assert_one_line(err);
    g_clear_error(&err);

    chr = new_from_string("null,id=dup", &err);
    g_assert_no_error(err);
    g_assert_null(new_from_string("null,id=dup", &err));
    g_assert_cmpstr(err->message, ==, "chardev 'dup' already exists");
    g_clear_error(&err);
    /* mux=on checks the id before creating anything */
    g_assert_null(new_from_string("null,id=dup,mux=on", &err));
    g_assert_cmpstr(err->message, ==, "chardev 'dup' already exists");
    g_assert_null(chardev_find("dup-base"));
    g_clear_error(&err);
    chardev_delete(chr);

    chr = new_from_string("null,id=u,bogus=1", &err);
    g_assert_null(chr);
    g_assert_cmpstr(err->message, ==,
                    "-chardev null: unknown parameter 'bogus'");
    g_clear_error(&err);

    chr = new_from_string("socket,id=s,port=0,server=on,wait=off,frob", &err);
    g_assert_null(chr);
    g_assert_cmpstr(err->message, ==,
                    "-chardev socket: unknown parameter 'frob'");
    g_clear_error(&err);

    chr = new_from_string("socket,id=s,port=abc,server=on", &err);
    g_assert_null(chr);
    g_assert_cmpstr(err->message, ==, "chardev 's': invalid port 'abc'");
    g_clear_error(&err);

    chr = new_from_string("socket,id=s,port=70000,server=on", &err);
    g_assert_null(chr);
    assert_one_line(err);
    g_clear_error(&err);

    chr = new_from_string("socket,id=s,server=on", &err);
    g_assert_null(chr);
    g_assert_cmpstr(err->message, ==, "chardev 's': parameter 'port' is missing");
    g_clear_error(&err);

    chr = new_from_string("null,id=m,mux=perhaps", &err);
    g_assert_null(chr);
    assert_one_line(err);
    g_clear_error(&err);

    chr = new_from_string("mux,id=m,chardev=nope", &err);
    g_assert_null(chr);
    g_assert_cmpstr(err->message, ==, "chardev 'm': chardev 'nope' not found");
    g_clear_error(&err);

    chr = chardev_new(NULL, "null", NULL, &err);
    g_assert_null(chr);
    assert_one_line(err);
}

static void collect_info(Chardev *chr, const char *label, const char *filename,
                         void *opaque)
{
    g_string_append_printf(opaque, "%s: filename=%s\n", label, filename);
}

static void test_registry_listing(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(GString) info = g_string_new(NULL);
    char *help = NULL;
    size_t help_len = 0;
    FILE *f;
    Chardev *a, *m;

    a = new_from_string("null,id=aa", &err);
    g_assert_no_error(err);
    m = new_from_string("null,id=mm,mux=on", &err);
    g_assert_no_error(err);
    g_assert_true(chardev_is_mux(m));
    g_assert_nonnull(chardev_find("mm-base"));
    g_assert_false(chardev_wants_monitor(m));
    chardev_foreach(collect_info, info);
    g_assert_cmpstr(info->str, ==,
                    "aa: filename=null\n"
                    "mm-base: filename=null\n"
                    "mm: filename=mux:mm-base\n");
    /* deleting a mux made by mux=on takes its backend along */
    chardev_delete(m);
    g_assert_null(chardev_find("mm-base"));
    chardev_delete(a);

    f = open_memstream(&help, &help_len);
    chardev_print_help(f);
    fclose(f);
    g_assert_true(g_str_has_prefix(help, "Available chardev backend types:\n"));
    for (const char *n = "null\0stdio\0file\0pipe\0socket\0pty\0mux\0"; *n;
         n += strlen(n) + 1) {
        g_autofree char *word = g_strdup_printf("  %s ", n);
        g_assert_nonnull(strstr(help, word));
    }
    free(help);

    new_from_string("null,id=z1", &err);
    new_from_string("null,id=z2,mux=on", &err);
    g_assert_no_error(err);
    chardev_delete_all();
    g_assert_null(chardev_find("z1"));
    g_assert_null(chardev_find("z2"));
    g_assert_null(chardev_find("z2-base"));
}

static void test_fe_attach_rules(void)
{
    g_autoptr(GError) err = NULL;
    Chardev *chr = chardev_new("fe0", "null", NULL, &err);
    CharFrontend a = { 0 }, b = { 0 }, mfe[CHARDEV_MUX_MAX + 1];
    Chardev *mux;

    g_assert_true(char_fe_init(&a, chr, &err));
    g_assert_false(char_fe_init(&b, chr, &err));
    g_assert_cmpstr(err->message, ==, "chardev 'fe0' is already in use");
    g_clear_error(&err);
    char_fe_deinit(&a);
    g_assert_true(char_fe_init(&b, chr, &err));

    /* the backend of a mux is taken by the mux */
    mux = chardev_new("fe1", "null", NULL, &err);
    g_assert_nonnull(mux);
    chardev_delete(mux);
    mux = new_from_string("null,id=fe1,mux=on", &err);
    g_assert_no_error(err);
    g_assert_false(char_fe_init(&a, chardev_find("fe1-base"), &err));
    assert_one_line(err);
    g_clear_error(&err);
    for (int i = 0; i < CHARDEV_MUX_MAX; i++) {
        g_assert_true(char_fe_init(&mfe[i], mux, &err));
        g_assert_cmpint(mfe[i].tag, ==, i);
    }
    g_assert_false(char_fe_init(&mfe[CHARDEV_MUX_MAX], mux, &err));
    g_assert_cmpstr(err->message, ==,
                    "chardev 'fe1' has too many frontends (at most 4)");
    g_clear_error(&err);
    char_fe_deinit(&mfe[1]);
    g_assert_true(char_fe_init(&mfe[CHARDEV_MUX_MAX], mux, &err));
    g_assert_cmpint(mfe[CHARDEV_MUX_MAX].tag, ==, 1);
    chardev_delete(mux);
    for (int i = 0; i <= CHARDEV_MUX_MAX; i++) {
        g_assert_null(mfe[i].chr);
    }
    char_fe_deinit(&b);
    chardev_delete(chr);
}

static int refused_port(void)
{
    struct sockaddr_in sin = { .sin_family = AF_INET };
    socklen_t len = sizeof(sin);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int port;

    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    g_assert_cmpint(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), ==, 0);
    g_assert_cmpint(getsockname(fd, (struct sockaddr *)&sin, &len), ==, 0);
    port = ntohs(sin.sin_port);
    close(fd);      /* bound but never listening: now refuses */
    return port;
}

static void test_legacy(void)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *dir = g_dir_make_tmp("tern-chr-XXXXXX", NULL);
    g_autofree char *spec = NULL;
    Chardev *chr, *again;

    g_assert_null(chardev_new_legacy("none", "serial0", &err));
    g_assert_no_error(err);

    chr = chardev_new_legacy("null", "serial0", &err);
    g_assert_no_error(err);
    g_assert_cmpstr(chardev_backend_name(chr), ==, "null");
    g_assert_false(chardev_wants_monitor(chr));
    again = chardev_new_legacy("chardev:serial0", "serial1", &err);
    g_assert_no_error(err);
    g_assert_true(again == chr);
    chardev_delete(chr);

    chr = chardev_new_legacy("stdio", "serial0", &err);
    g_assert_no_error(err);
    g_assert_cmpstr(chardev_backend_name(chr), ==, "stdio");
    g_assert_cmpstr(chardev_filename(chr), ==, "stdio");
    g_assert_null(chardev_new_legacy("stdio", "serial1", &err));
    assert_one_line(err);
    g_assert_nonnull(strstr(err->message, "stdio"));
    g_clear_error(&err);
    chardev_delete(chr);

    chr = chardev_new_legacy("mon:stdio", "serial0", &err);
    g_assert_no_error(err);
    g_assert_true(chardev_is_mux(chr));
    g_assert_true(chardev_wants_monitor(chr));
    g_assert_cmpstr(chardev_label(chr), ==, "serial0");
    g_assert_cmpstr(chardev_backend_name(chardev_find("serial0-base")), ==,
                    "stdio");
    chardev_delete(chr);
    g_assert_null(chardev_find("serial0-base"));

    spec = g_strdup_printf("file:%s/f", dir);
    chr = chardev_new_legacy(spec, "serial0", &err);
    g_assert_no_error(err);
    g_assert_cmpstr(chardev_backend_name(chr), ==, "file");
    chardev_delete(chr);

    chr = chardev_new_legacy("pty", "serial0", &err);
    if (chr) {
        g_assert_cmpstr(chardev_backend_name(chr), ==, "pty");
        chardev_delete(chr);
    }
    g_clear_error(&err);

    const char *const servers[] = {
        "tcp::0,server,nowait", "tcp:127.0.0.1:0,server=on,wait=off",
        "tcp:localhost:0,server,wait=off,nodelay",
        "telnet:127.0.0.1:0,server,nowait",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(servers); i++) {
        chr = chardev_new_legacy(servers[i], "serial0", &err);
        g_assert_no_error(err);
        g_assert_cmpstr(chardev_backend_name(chr), ==, "socket");
        g_assert_cmpint(chardev_socket_get_port(chr), >, 0);
        g_assert_true(g_str_has_prefix(chardev_filename(chr), "disconnected:tcp:"));
        chardev_delete(chr);
    }
    g_free(spec);
    spec = g_strdup_printf("unix:%s/sock,server,nowait", dir);
    chr = chardev_new_legacy(spec, "serial0", &err);
    g_assert_no_error(err);
    g_assert_cmpint(chardev_socket_get_port(chr), ==, -1);
    chardev_delete(chr);

    g_free(spec);
    spec = g_strdup_printf("mon:unix:%s/sock,server,nowait", dir);
    chr = chardev_new_legacy(spec, "monitor0", &err);
    g_assert_no_error(err);
    g_assert_true(chardev_wants_monitor(chr));
    chardev_delete(chr);

    /* a plain client that cannot connect fails at once */
    g_free(spec);
    spec = g_strdup_printf("tcp:127.0.0.1:%d", refused_port());
    g_assert_null(chardev_new_legacy(spec, "serial0", &err));
    assert_one_line(err);
    g_assert_nonnull(strstr(err->message, "cannot connect"));
    g_clear_error(&err);
    /* ... but with reconnect it keeps trying in the background */
    g_free(spec);
    spec = g_strdup_printf("tcp:127.0.0.1:%d,reconnect=5", refused_port());
    chr = chardev_new_legacy(spec, "serial0", &err);
    g_assert_no_error(err);
    g_assert_false(chardev_socket_connected(chr));
    chardev_delete(chr);

    static const struct {
        const char *spec;
        const char *msg;      /* NULL: only check it is one line */
    } bad[] = {
        { "", NULL },
        { "bogus", "'bogus' is not a valid character device" },
        { "/dev/ttyS0", NULL },
        { "vc", "'vc': virtual consoles are not supported yet" },
        { "vc:80Cx24C", NULL },
        { "tcp:", "'tcp:': expected [HOST]:PORT" },
        { "tcp:4444", "'tcp:4444': expected [HOST]:PORT" },
        { "tcp:[::1:4444", NULL },
        { "tcp:localhost:", NULL },
        { "tcp::abc,server,nowait", "chardev 'serial0': invalid port 'abc'" },
        { "tcp::0,server,nowait,frob=1",
          "tcp::0,server,nowait,frob=1: unknown parameter 'frob'" },
        { "tcp::0,server=maybe", NULL },
        { "file:", "'file:': missing path" },
        { "pipe:", NULL },
        { "unix:", NULL },
        { "mon:none", NULL },
        { "mon:vc", NULL },
        { "chardev:nope", "chardev 'nope' not found" },
        { "udp::4444", NULL },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        chr = chardev_new_legacy(bad[i].spec, "serial0", &err);
        g_assert_null(chr);
        assert_one_line(err);
        if (bad[i].msg) {
            g_assert_cmpstr(err->message, ==, bad[i].msg);
        }
        g_clear_error(&err);
        g_assert_null(chardev_find("serial0"));
        g_assert_null(chardev_find("serial0-base"));
    }
    g_assert_null(chardev_new_legacy("null", NULL, &err));
    assert_one_line(err);
    rm_tree(dir);
}

static void test_stdio_restore(void)
{
    g_autoptr(GError) err = NULL;
    Chardev *chr;

    /* harmless before, between and after any stdio chardev */
    chardev_stdio_restore();
    chardev_stdio_restore();
    chr = new_from_string("stdio,id=con,signal=off", &err);
    g_assert_no_error(err);
    chardev_stdio_restore();
    chardev_stdio_restore();
    chardev_delete(chr);
    chardev_stdio_restore();
    chr = new_from_string("stdio,id=con,signal=bogus", &err);
    g_assert_null(chr);
    assert_one_line(err);
}

/*
 * CI runs us with stdin at /dev/null or closed: input must just stop (no
 * busy loop), output must still reach stdout. fds 0/1 are swapped for the
 * duration so the TAP stream stays clean.
 */
static void stdio_no_tty_case(bool close_stdin)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *dir = g_dir_make_tmp("tern-chr-XXXXXX", NULL);
    g_autofree char *out = g_build_filename(dir, "stdout", NULL);
    g_autofree char *data = NULL;
    int saved_in = dup(0), saved_out = dup(1);
    int fd_out = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    Chardev *chr;
    TestFe t;
    int idle = 0;

    fflush(stdout);
    if (close_stdin) {
        close(0);
    } else {
        int null = open("/dev/null", O_RDONLY);
        dup2(null, 0);
        close(null);
    }
    dup2(fd_out, 1);
    close(fd_out);

    chr = new_from_string("stdio,id=con", &err);
    if (chr) {
        test_fe_attach(&t, chr);
        char_fe_write(&t.fe, (const uint8_t *)"guest says hi\n", 14);
        drain_loop();
        idle = !g_main_context_iteration(NULL, FALSE);
        test_fe_free(&t);
        chardev_delete(chr);
    }

    dup2(saved_in, 0);
    dup2(saved_out, 1);
    close(saved_in);
    close(saved_out);
    g_assert_no_error(err);
    g_assert_true(idle);
    data = read_whole(out);
    g_assert_cmpstr(data, ==, "guest says hi\n");
    rm_tree(dir);
}

static void test_stdio_no_tty(void)
{
    stdio_no_tty_case(false);
    stdio_no_tty_case(true);
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/chardev/null", test_null);
    g_test_add_func("/chardev/file", test_file);
    g_test_add_func("/chardev/file-input", test_file_input);
    g_test_add_func("/chardev/pipe", test_pipe);
    g_test_add_func("/chardev/pty", test_pty);
    g_test_add_func("/chardev/pty-symlink", test_pty_symlink);
    g_test_add_func("/chardev/ringbuf", test_ringbuf);
    g_test_add_func("/chardev/registry-errors", test_registry_errors);
    g_test_add_func("/chardev/registry-listing", test_registry_listing);
    g_test_add_func("/chardev/fe-attach", test_fe_attach_rules);
    g_test_add_func("/chardev/legacy", test_legacy);
    g_test_add_func("/chardev/stdio-restore", test_stdio_restore);
    g_test_add_func("/chardev/stdio-no-tty", test_stdio_no_tty);
    return g_test_run();
}
