/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Socket chardev: TCP and Unix servers taking one client after another,
 * clients that reconnect in the background, the blocking wait=on start-up,
 * telnet filtering, and option errors. Peers are plain sockets driven by
 * the test; the chardev side runs in the default main context, pumped in
 * bounded loops (port 0 plus chardev_socket_get_port avoids port races).
 */
#include "chardev/char.h"
#include "util/error.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

typedef struct TestFe {
    CharFrontend fe;
    GString *rx;
    GArray *events;
} TestFe;

static int test_can_read(void *opaque)
{
    return 4096;
}

static void test_read(void *opaque, const uint8_t *buf, int len)
{
    TestFe *t = opaque;
    g_string_append_len(t->rx, (const char *)buf, len);
}

static void test_event(void *opaque, CharEvent ev)
{
    TestFe *t = opaque;
    g_array_append_val(t->events, ev);
}

static void test_fe_attach(TestFe *t, Chardev *chr)
{
    t->rx = g_string_new(NULL);
    t->events = g_array_new(FALSE, FALSE, sizeof(CharEvent));
    g_assert_true(char_fe_init(&t->fe, chr, NULL));
    char_fe_set_handlers(&t->fe, test_can_read, test_read, test_event, t);
}

static void test_fe_free(TestFe *t)
{
    char_fe_deinit(&t->fe);
    g_string_free(t->rx, TRUE);
    g_array_free(t->events, TRUE);
}

static CharEvent event_at(TestFe *t, guint i)
{
    g_assert_cmpuint(i, <, t->events->len);
    return g_array_index(t->events, CharEvent, i);
}

static gboolean tick(gpointer opaque)
{
    return G_SOURCE_CONTINUE;
}

typedef bool (*Cond)(TestFe *t, gsize arg);

/* Bounded by iterations; the ticking timer bounds each blocking one. */
static bool pump(Cond cond, TestFe *t, gsize arg)
{
    guint guard = g_timeout_add(20, tick, NULL);
    bool ok = false;

    for (int i = 0; i < 400 && !ok; i++) {
        ok = cond(t, arg);
        if (!ok) {
            g_main_context_iteration(NULL, TRUE);
        }
    }
    g_source_remove(guard);
    return ok;
}

static bool cond_rx(TestFe *t, gsize want)
{
    return t->rx->len >= want;
}

static bool cond_open(TestFe *t, gsize want_open)
{
    return char_fe_backend_open(&t->fe) == (bool)want_open;
}

static bool cond_events(TestFe *t, gsize n)
{
    return t->events->len >= n;
}

static Chardev *new_from_string(const char *str, GError **errp)
{
    g_autoptr(KeyvalList) kv = keyval_parse(str, "backend", errp);

    return kv ? chardev_new_from_keyval(kv, errp) : NULL;
}

static int tcp_connect(int port)
{
    struct sockaddr_in sin = { .sin_family = AF_INET };
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    sin.sin_port = htons(port);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    g_assert_cmpint(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), ==, 0);
    return fd;
}

static int unix_connect(const char *path)
{
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    g_strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
    if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Reads exactly len bytes; the poll timeout only guards against a hang. */
static void peer_expect(int fd, const char *want, size_t len)
{
    char buf[256];
    size_t got = 0;

    g_assert_cmpuint(len, <=, sizeof(buf));
    while (got < len) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        ssize_t n;
        g_assert_cmpint(poll(&pfd, 1, 5000), ==, 1);
        n = read(fd, buf + got, len - got);
        g_assert_cmpint(n, >, 0);
        got += n;
    }
    g_assert_cmpmem(buf, len, want, len);
}

static void chr_send(TestFe *t, const char *s)
{
    int len = strlen(s);
    g_assert_cmpint(char_fe_write(&t->fe, (const uint8_t *)s, len), ==, len);
}

/* One client session against a server chardev: open, both ways, close. */
static void server_session(TestFe *t, int fd, const char *tag)
{
    gsize base = t->rx->len;
    guint nev = t->events->len;

    g_assert_true(pump(cond_open, t, true));
    g_assert_cmpint(event_at(t, nev), ==, CHR_EVENT_OPENED);
    g_assert_nonnull(strstr(chardev_filename(t->fe.chr), " <-> "));
    g_assert_cmpint(write(fd, tag, strlen(tag)), ==, (ssize_t)strlen(tag));
    g_assert_true(pump(cond_rx, t, base + strlen(tag)));
    g_assert_cmpstr(t->rx->str + base, ==, tag);
    chr_send(t, "reply");
    peer_expect(fd, "reply", 5);
    close(fd);
    g_assert_true(pump(cond_open, t, false));
    g_assert_cmpint(event_at(t, nev + 1), ==, CHR_EVENT_CLOSED);
    g_assert_true(g_str_has_prefix(chardev_filename(t->fe.chr),
                                   "disconnected:"));
}

static void test_tcp_server(void)
{
    g_autoptr(GError) err = NULL;
    Chardev *chr = new_from_string(
        "socket,id=s0,host=127.0.0.1,port=0,server=on,wait=off,nodelay=on",
        &err);
    TestFe t;
    int port;

    g_assert_no_error(err);
    port = chardev_socket_get_port(chr);
    g_assert_cmpint(port, >, 0);
    g_assert_false(chardev_socket_connected(chr));
    test_fe_attach(&t, chr);
    g_assert_cmpuint(t.events->len, ==, 0);
    /* nobody connected: output is dropped, not an error */
    chr_send(&t, "into the void");

    server_session(&t, tcp_connect(port), "first");
    /* the server takes the next client after the first one left */
    server_session(&t, tcp_connect(port), "second");
    g_assert_cmpuint(t.events->len, ==, 4);
    test_fe_free(&t);
    chardev_delete(chr);
}

static void test_unix_server(void)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *dir = g_dir_make_tmp("tern-sock-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "s", NULL);
    g_autofree char *opt = g_strdup_printf(
        "socket,id=u0,path=%s,server=on,wait=off", path);
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    struct stat st;
    Chardev *chr;
    TestFe t;
    int stale;

    /* leave a stale socket file behind, as a crashed run would */
    stale = socket(AF_UNIX, SOCK_STREAM, 0);
    g_strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
    g_assert_cmpint(bind(stale, (struct sockaddr *)&sun, sizeof(sun)), ==, 0);
    close(stale);

    chr = new_from_string(opt, &err);
    g_assert_no_error(err);
    g_assert_cmpint(chardev_socket_get_port(chr), ==, -1);
    test_fe_attach(&t, chr);
    server_session(&t, unix_connect(path), "one");
    server_session(&t, unix_connect(path), "two");
    test_fe_free(&t);
    chardev_delete(chr);
    g_assert_cmpint(stat(path, &st), <, 0);

    /* a non-socket file in the way is not removed */
    g_assert_true(g_file_set_contents(path, "x", 1, NULL));
    chr = new_from_string(opt, &err);
    g_assert_null(chr);
    g_assert_null(strchr(err->message, '\n'));
    g_assert_cmpint(stat(path, &st), ==, 0);
    unlink(path);
    rmdir(dir);
}

static int listen_on(int port)
{
    struct sockaddr_in sin = { .sin_family = AF_INET };
    socklen_t len = sizeof(sin);
    int fd = socket(AF_INET, SOCK_STREAM, 0), on = 1;

    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    sin.sin_port = htons(port);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    g_assert_cmpint(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), ==, 0);
    g_assert_cmpint(listen(fd, 4), ==, 0);
    g_assert_cmpint(getsockname(fd, (struct sockaddr *)&sin, &len), ==, 0);
    return fd;
}

static int sock_port(int fd)
{
    struct sockaddr_in sin;
    socklen_t len = sizeof(sin);

    g_assert_cmpint(getsockname(fd, (struct sockaddr *)&sin, &len), ==, 0);
    return ntohs(sin.sin_port);
}

static int accept_one(int lfd)
{
    struct pollfd pfd = { .fd = lfd, .events = POLLIN };

    g_assert_cmpint(poll(&pfd, 1, 5000), ==, 1);
    return accept(lfd, NULL, NULL);
}

static void test_tcp_client_reconnect(void)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *opt = NULL;
    Chardev *chr;
    TestFe t;
    int lfd, port, cfd;

    /* reserve a port, then release it so the first connect is refused */
    lfd = listen_on(0);
    port = sock_port(lfd);
    close(lfd);

    opt = g_strdup_printf("socket,id=c0,host=127.0.0.1,port=%d,reconnect=1",
                          port);
    chr = new_from_string(opt, &err);
    g_assert_no_error(err);
    g_assert_cmpint(chardev_socket_get_port(chr), ==, port);
    test_fe_attach(&t, chr);
    g_assert_false(char_fe_backend_open(&t.fe));

    lfd = listen_on(port);
    g_assert_true(pump(cond_open, &t, true));
    g_assert_cmpint(event_at(&t, 0), ==, CHR_EVENT_OPENED);
    cfd = accept_one(lfd);
    g_assert_cmpint(cfd, >=, 0);
    chr_send(&t, "hello server");
    peer_expect(cfd, "hello server", 12);
    g_assert_cmpint(write(cfd, "hi", 2), ==, 2);
    g_assert_true(pump(cond_rx, &t, 2));
    g_assert_cmpstr(t.rx->str, ==, "hi");

    /* the server drops us: CLOSED, then a background reconnect */
    close(cfd);
    g_assert_true(pump(cond_events, &t, 2));
    g_assert_cmpint(event_at(&t, 1), ==, CHR_EVENT_CLOSED);
    g_assert_true(pump(cond_events, &t, 3));
    g_assert_cmpint(event_at(&t, 2), ==, CHR_EVENT_OPENED);
    cfd = accept_one(lfd);
    chr_send(&t, "again");
    peer_expect(cfd, "again", 5);
    close(cfd);
    close(lfd);
    test_fe_free(&t);
    chardev_delete(chr);
}

static void test_tcp_client_plain(void)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *opt = NULL;
    int lfd = listen_on(0), cfd;
    Chardev *chr;
    TestFe t;

    opt = g_strdup_printf("socket,id=c1,port=%d,ipv4=on", sock_port(lfd));
    chr = new_from_string(opt, &err);
    g_assert_no_error(err);
    g_assert_true(chardev_socket_connected(chr));
    test_fe_attach(&t, chr);
    /* connected before the frontend came: OPENED on attaching */
    g_assert_cmpuint(t.events->len, ==, 1);
    g_assert_cmpint(event_at(&t, 0), ==, CHR_EVENT_OPENED);
    cfd = accept_one(lfd);
    chr_send(&t, "x");
    peer_expect(cfd, "x", 1);
    /* without reconnect, a lost server just leaves it closed */
    close(cfd);
    g_assert_true(pump(cond_open, &t, false));
    for (int i = 0; i < 20 && g_main_context_iteration(NULL, FALSE); i++) {
    }
    g_assert_false(chardev_socket_connected(chr));
    chr_send(&t, "dropped");
    test_fe_free(&t);
    chardev_delete(chr);
    close(lfd);
}

typedef struct WaitPeer {
    char *path;
    int fd;
} WaitPeer;

static gpointer wait_peer_thread(gpointer opaque)
{
    WaitPeer *w = opaque;

    /* the server appears once the main thread is inside chardev_new */
    for (int i = 0; i < 1000 && w->fd < 0; i++) {
        w->fd = unix_connect(w->path);
        if (w->fd < 0) {
            g_usleep(5000);
        }
    }
    if (w->fd >= 0) {
        g_assert_cmpint(write(w->fd, "early", 5), ==, 5);
    }
    return NULL;
}

static void test_unix_server_wait(void)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *dir = g_dir_make_tmp("tern-sock-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "w", NULL);
    g_autofree char *opt = g_strdup_printf("socket,id=w0,path=%s,server=on",
                                           path);
    WaitPeer w = { .path = path, .fd = -1 };
    GThread *th = g_thread_new("peer", wait_peer_thread, &w);
    Chardev *chr;
    TestFe t;

    /* blocks until the thread connects */
    chr = new_from_string(opt, &err);
    g_assert_no_error(err);
    g_thread_join(th);
    g_assert_cmpint(w.fd, >=, 0);
    g_assert_true(chardev_socket_connected(chr));
    test_fe_attach(&t, chr);
    g_assert_cmpint(event_at(&t, 0), ==, CHR_EVENT_OPENED);
    g_assert_true(pump(cond_rx, &t, 5));
    g_assert_cmpstr(t.rx->str, ==, "early");
    chr_send(&t, "late");
    peer_expect(w.fd, "late", 4);
    close(w.fd);
    g_assert_true(pump(cond_open, &t, false));
    test_fe_free(&t);
    chardev_delete(chr);
    rmdir(dir);
}

static void test_telnet(void)
{
    static const uint8_t nego[] = {
        255, 251, 1, 255, 251, 3, 255, 251, 0, 255, 253, 0,
    };
    static const char input[] =
        "a\xff\xff" "b\xff\xf3" "c\xff\xfb\x01" "d\xff\xfa\x18\x01\xff\xf0" "e";
    g_autoptr(GError) err = NULL;
    Chardev *chr = chardev_new_legacy("telnet:127.0.0.1:0,server,nowait",
                                      "tn", &err);
    TestFe t;
    int fd;

    g_assert_no_error(err);
    test_fe_attach(&t, chr);
    fd = tcp_connect(chardev_socket_get_port(chr));
    g_assert_true(pump(cond_open, &t, true));
    peer_expect(fd, (const char *)nego, sizeof(nego));
    g_assert_cmpint(write(fd, input, sizeof(input) - 1), ==,
                    (ssize_t)sizeof(input) - 1);
    g_assert_true(pump(cond_rx, &t, 6));
    g_assert_cmpmem(t.rx->str, t.rx->len, "a\xff" "bcde", 6);
    g_assert_cmpuint(t.events->len, ==, 2);
    g_assert_cmpint(event_at(&t, 1), ==, CHR_EVENT_BREAK);
    /* 0xff in the output is doubled for the telnet peer */
    chr_send(&t, "x\xffy");
    peer_expect(fd, "x\xff\xffy", 4);
    close(fd);
    test_fe_free(&t);
    chardev_delete(chr);
}

static void test_socket_errors(void)
{
    static const struct {
        const char *opts;
        const char *msg;
    } bad[] = {
        { "socket,id=e,port=0,server=on,reconnect=1",
          "chardev 'e': 'reconnect' is only for client sockets" },
        { "socket,id=e,port=0,server=on,ipv4=on,ipv6=on",
          "chardev 'e': 'ipv4' and 'ipv6' cannot both be on" },
        { "socket,id=e,path=/tmp/x,port=1",
          "chardev 'e': 'path' cannot be combined with 'host' or 'port'" },
        { "socket,id=e,port=0", "chardev 'e': invalid port '0'" },
        { "socket,id=e,port=-1,server=on", "chardev 'e': invalid port '-1'" },
        { "socket,id=e,port=1,reconnect=soon", NULL },
        { "socket,id=e,host=no.such.host.invalid,port=1", NULL },
        { "socket,id=e,path=/nonexistent-dir/s,server=on,wait=off", NULL },
        { "socket,id=e,path=/nonexistent-dir/s", NULL },
        { "socket,id=e", "chardev 'e': parameter 'port' is missing" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autoptr(GError) err = NULL;
        Chardev *chr = new_from_string(bad[i].opts, &err);

        g_assert_null(chr);
        g_assert_nonnull(err);
        g_assert_null(strchr(err->message, '\n'));
        if (bad[i].msg) {
            g_assert_cmpstr(err->message, ==, bad[i].msg);
        }
        g_assert_null(chardev_find("e"));
    }
}

/*
 * A client that stops reading: one write waits out the stall, later ones
 * are dropped at once, and output resumes when the client drains.
 */
static void test_stalled_peer(void)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *dir = g_dir_make_tmp("tern-sock-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "st", NULL);
    g_autofree char *opt = g_strdup_printf(
        "socket,id=st,path=%s,server=on,wait=off", path);
    g_autofree uint8_t *chunk = g_malloc0(65536);
    Chardev *chr;
    TestFe t;
    int fd, tries = 0;
    char buf[4096];
    ssize_t n;

    chr = new_from_string(opt, &err);
    g_assert_no_error(err);
    test_fe_attach(&t, chr);
    fd = unix_connect(path);
    g_assert_true(pump(cond_open, &t, true));
    while (!chr->write_stalled && tries++ < 1000) {
        g_assert_cmpint(char_fe_write(&t.fe, chunk, 65536), ==, 65536);
    }
    g_assert_true(chr->write_stalled);
    /* dropped without waiting */
    chr_send(&t, "dropped");
    /* drain everything the kernel buffered */
    for (;;) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        if (poll(&pfd, 1, 0) != 1) {
            break;
        }
        n = read(fd, buf, sizeof(buf));
        g_assert_cmpint(n, >, 0);
        g_assert_null(memchr(buf, 'd', n));
    }
    chr_send(&t, "resumed");
    g_assert_false(chr->write_stalled);
    peer_expect(fd, "resumed", 7);
    close(fd);
    test_fe_free(&t);
    chardev_delete(chr);
    rmdir(dir);
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/chardev-socket/tcp-server", test_tcp_server);
    g_test_add_func("/chardev-socket/unix-server", test_unix_server);
    g_test_add_func("/chardev-socket/unix-server-wait", test_unix_server_wait);
    g_test_add_func("/chardev-socket/tcp-client", test_tcp_client_plain);
    g_test_add_func("/chardev-socket/tcp-client-reconnect",
                    test_tcp_client_reconnect);
    g_test_add_func("/chardev-socket/telnet", test_telnet);
    g_test_add_func("/chardev-socket/errors", test_socket_errors);
    g_test_add_func("/chardev-socket/stalled-peer", test_stalled_peer);
    return g_test_run();
}
