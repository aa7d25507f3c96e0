/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The socket backend: TCP or Unix stream sockets, as a server (one client
 * at a time; the next is accepted when the current one leaves) or as a
 * client (optionally reconnecting in the background). telnet=on speaks just
 * enough telnet for a terminal client to switch to character mode, and
 * turns a telnet BREAK into CHR_EVENT_BREAK.
 *
 * The peer fd is only changed in the main thread and under the chardev
 * lock, so writers on other threads never see a closed or reused fd.
 */
#include "chardev/char-fd.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <glib-unix.h>

static const char *const socket_params[] = {
    "host", "port", "path", "server", "wait", "nodelay", "reconnect",
    "reconnect-ms", "telnet", "ipv4", "ipv6", NULL
};

/* telnet protocol bytes (RFC 854/856/857/858) */
enum {
    TN_SE = 240, TN_BREAK = 243, TN_SB = 250, TN_WILL = 251, TN_DONT = 254,
    TN_IAC = 255,
    TN_OPT_BINARY = 0, TN_OPT_ECHO = 1, TN_OPT_SGA = 3,
};

typedef enum {
    TN_STATE_DATA, TN_STATE_IAC, TN_STATE_OPT, TN_STATE_SB, TN_STATE_SB_IAC,
} TelnetState;

typedef struct SocketChardev {
    Chardev parent;
    bool is_unix;
    bool is_server;
    bool nodelay;
    bool telnet;
    int family;             /* AF_UNSPEC, or AF_INET/AF_INET6 if forced */
    char *host;             /* NULL: any address (server) */
    char *port_str;
    char *path;
    unsigned reconnect_ms;  /* client: 0 = no reconnect */
    int port;               /* bound (server) or target (client) TCP port */
    char *desc;             /* "tcp:HOST:PORT,server=on" */

    int listen_fd;
    int fd;                 /* connected peer or -1; changed under lock */
    int connecting_fd;      /* background connect in progress or -1 */
    GSource *watch;         /* peer input */
    guint listen_tag;
    guint connect_tag;
    guint reconnect_timer;
    TelnetState tn_state;
} SocketChardev;

static void socket_listen_watch(SocketChardev *s);
static void socket_schedule_reconnect(SocketChardev *s);

static void socket_update_filename(SocketChardev *s, const char *peer)
{
    if (s->fd < 0) {
        chardev_set_filename(&s->parent, "disconnected:%s", s->desc);
    } else {
        chardev_set_filename(&s->parent, "%s <-> %s", s->desc, peer);
    }
}

static char *sockaddr_to_string(const struct sockaddr *sa, socklen_t len)
{
    char host[NI_MAXHOST], serv[NI_MAXSERV];

    if (sa->sa_family == AF_UNIX) {
        return g_strdup("unix");
    }
    if (getnameinfo(sa, len, host, sizeof(host), serv, sizeof(serv),
                    NI_NUMERICHOST | NI_NUMERICSERV)) {
        return g_strdup("?");
    }
    return sa->sa_family == AF_INET6 ? g_strdup_printf("[%s]:%s", host, serv)
                                     : g_strdup_printf("%s:%s", host, serv);
}

static void socket_telnet_init(int fd)
{
    static const uint8_t nego[] = {
        TN_IAC, TN_WILL, TN_OPT_ECHO,
        TN_IAC, TN_WILL, TN_OPT_SGA,
        TN_IAC, TN_WILL, TN_OPT_BINARY,
        TN_IAC, 253 /* DO */, TN_OPT_BINARY,
    };

    char_fd_write_all(NULL, fd, nego, sizeof(nego), true);
}

/*
 * Strips telnet commands in place and returns the data length. Data before
 * a BREAK is delivered first so the event lands at the right point.
 */
static int socket_telnet_filter(SocketChardev *s, uint8_t *buf, int len)
{
    int out = 0;

    for (int i = 0; i < len; i++) {
        uint8_t c = buf[i];

        switch (s->tn_state) {
        case TN_STATE_DATA:
            if (c == TN_IAC) {
                s->tn_state = TN_STATE_IAC;
            } else {
                buf[out++] = c;
            }
            break;
        case TN_STATE_IAC:
            s->tn_state = TN_STATE_DATA;
            if (c == TN_IAC) {
                buf[out++] = c;
            } else if (c == TN_BREAK) {
                chardev_be_read(&s->parent, buf, out);
                memmove(buf, buf + out, len - out);
                len -= out;
                i -= out;
                out = 0;
                chardev_be_event(&s->parent, CHR_EVENT_BREAK);
            } else if (c >= TN_WILL && c <= TN_DONT) {
                s->tn_state = TN_STATE_OPT;
            } else if (c == TN_SB) {
                s->tn_state = TN_STATE_SB;
            }
            break;
        case TN_STATE_OPT:
            s->tn_state = TN_STATE_DATA;
            break;
        case TN_STATE_SB:
            if (c == TN_IAC) {
                s->tn_state = TN_STATE_SB_IAC;
            }
            break;
        case TN_STATE_SB_IAC:
            s->tn_state = c == TN_SE ? TN_STATE_DATA : TN_STATE_SB;
            break;
        }
    }
    return out;
}

static void socket_disconnect(SocketChardev *s)
{
    char_fd_watch_remove(&s->watch);
    g_mutex_lock(&s->parent.lock);
    if (s->fd >= 0) {
        close(s->fd);
        s->fd = -1;
    }
    g_mutex_unlock(&s->parent.lock);
    socket_update_filename(s, NULL);
    chardev_be_event(&s->parent, CHR_EVENT_CLOSED);
    if (s->is_server) {
        socket_listen_watch(s);
    } else if (s->reconnect_ms) {
        socket_schedule_reconnect(s);
    }
}

static bool socket_ready(Chardev *chr, int fd, GIOCondition cond)
{
    SocketChardev *s = (SocketChardev *)chr;
    uint8_t buf[4096];
    int room = chardev_be_can_read(chr);
    ssize_t n;

    if (room <= 0) {
        return true;
    }
    do {
        n = recv(fd, buf, MIN((size_t)room, sizeof(buf)), MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        return true;
    }
    if (n <= 0) {
        /* the watch is being removed by returning false */
        g_source_unref(s->watch);
        s->watch = NULL;
        socket_disconnect(s);
        return false;
    }
    if (s->telnet) {
        n = socket_telnet_filter(s, buf, n);
    }
    chardev_be_read(chr, buf, n);
    return true;
}

static void socket_set_peer(SocketChardev *s, int fd)
{
    struct sockaddr_storage ss;
    socklen_t sslen = sizeof(ss);
    g_autofree char *peer = NULL;

    char_fd_set_nonblock(fd, true);
    char_fd_set_cloexec(fd);
    if (s->nodelay && !s->is_unix) {
        int on = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
    }
    if (getpeername(fd, (struct sockaddr *)&ss, &sslen) == 0) {
        peer = sockaddr_to_string((struct sockaddr *)&ss, sslen);
    } else {
        peer = g_strdup("?");
    }
    if (s->listen_tag) {
        g_source_remove(s->listen_tag);
        s->listen_tag = 0;
    }
    s->tn_state = TN_STATE_DATA;
    if (s->telnet) {
        /* before publishing fd, so no guest output can interleave */
        socket_telnet_init(fd);
    }
    g_mutex_lock(&s->parent.lock);
    s->fd = fd;
    s->parent.write_stalled = false;
    g_mutex_unlock(&s->parent.lock);
    socket_update_filename(s, peer);
    s->watch = char_fd_watch_add(&s->parent, fd, socket_ready);
    chardev_be_event(&s->parent, CHR_EVENT_OPENED);
}

/* ---- server ---- */

static bool socket_accept_one(SocketChardev *s)
{
    int fd;

    do {
        fd = accept4(s->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        return false;
    }
    socket_set_peer(s, fd);
    return true;
}

static gboolean socket_listen_cb(gint fd, GIOCondition cond, gpointer opaque)
{
    SocketChardev *s = opaque;

    if (s->fd >= 0) {
        s->listen_tag = 0;
        return G_SOURCE_REMOVE;
    }
    if (socket_accept_one(s)) {
        /* socket_set_peer cleared listen_tag already */
        return G_SOURCE_REMOVE;
    }
    return G_SOURCE_CONTINUE;
}

static void socket_listen_watch(SocketChardev *s)
{
    if (!s->listen_tag && s->listen_fd >= 0) {
        s->listen_tag = g_unix_fd_add(s->listen_fd, G_IO_IN,
                                      socket_listen_cb, s);
    }
}

static int socket_bind_unix(SocketChardev *s, GError **errp)
{
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    struct stat st;
    int fd;

    if (strlen(s->path) >= sizeof(sun.sun_path)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "socket path '%s' is too long", s->path);
        return -1;
    }
    strcpy(sun.sun_path, s->path);
    /* a socket left over from an earlier run would make bind fail */
    if (stat(s->path, &st) == 0 && S_ISSOCK(st.st_mode)) {
        unlink(s->path);
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
        listen(fd, 1) < 0) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_IO,
                    "cannot listen on '%s': %s", s->path, g_strerror(errno));
        if (fd >= 0) {
            close(fd);
        }
        return -1;
    }
    return fd;
}

static struct addrinfo *socket_resolve(SocketChardev *s, GError **errp)
{
    struct addrinfo hints = {
        .ai_family = s->family,
        .ai_socktype = SOCK_STREAM,
        .ai_flags = s->is_server ? AI_PASSIVE : 0,
    };
    struct addrinfo *res = NULL;
    const char *host = s->host ? s->host : (s->is_server ? NULL : "localhost");
    int rc = getaddrinfo(host, s->port_str, &hints, &res);

    if (rc) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_IO,
                    "cannot resolve '%s:%s': %s", host ? host : "",
                    s->port_str, gai_strerror(rc));
        return NULL;
    }
    return res;
}

static int socket_bind_inet(SocketChardev *s, GError **errp)
{
    struct addrinfo *res = socket_resolve(s, errp);
    int err = 0, fd = -1;

    if (!res) {
        return -1;
    }
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        int on = 1;

        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
                    ai->ai_protocol);
        if (fd < 0) {
            err = errno;
            continue;
        }
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 1) == 0) {
            break;
        }
        err = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_IO,
                    "cannot listen on '%s:%s': %s", s->host ? s->host : "",
                    s->port_str, g_strerror(err));
        return -1;
    }
    if (!s->port) {
        struct sockaddr_storage ss;
        socklen_t len = sizeof(ss);
        if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0) {
            s->port = ntohs(ss.ss_family == AF_INET6
                            ? ((struct sockaddr_in6 *)&ss)->sin6_port
                            : ((struct sockaddr_in *)&ss)->sin_port);
        }
    }
    return fd;
}

static char *socket_inet_desc(SocketChardev *s, const char *host,
                              const char *suffix)
{
    bool v6 = strchr(host, ':') != NULL;

    return g_strdup_printf("tcp:%s%s%s:%d%s", v6 ? "[" : "", host,
                           v6 ? "]" : "", s->port, suffix);
}

static bool socket_server_open(SocketChardev *s, bool wait, GError **errp)
{
    s->listen_fd = s->is_unix ? socket_bind_unix(s, errp)
                              : socket_bind_inet(s, errp);
    if (s->listen_fd < 0) {
        return false;
    }
    char_fd_set_nonblock(s->listen_fd, true);
    if (s->is_unix) {
        s->desc = g_strdup_printf("unix:%s,server=on", s->path);
    } else {
        s->desc = socket_inet_desc(s, s->host ? s->host : "0.0.0.0",
                                   ",server=on");
    }
    socket_update_filename(s, NULL);
    if (wait) {
        fprintf(stderr, "tern: waiting for connection on: %s\n",
                s->parent.filename);
        while (s->fd < 0) {
            struct pollfd pfd = { .fd = s->listen_fd, .events = POLLIN };
            if (poll(&pfd, 1, -1) < 0 && errno != EINTR) {
                g_set_error(errp, TERN_ERROR, TERN_ERROR_IO,
                            "waiting for a connection failed: %s",
                            g_strerror(errno));
                return false;
            }
            socket_accept_one(s);
        }
    } else {
        socket_listen_watch(s);
    }
    return true;
}

/* ---- client ---- */

static gboolean socket_reconnect_cb(gpointer opaque);

static void socket_schedule_reconnect(SocketChardev *s)
{
    if (!s->reconnect_timer && s->connecting_fd < 0) {
        s->reconnect_timer = g_timeout_add(s->reconnect_ms,
                                           socket_reconnect_cb, s);
    }
}

static gboolean socket_connect_done(gint fd, GIOCondition cond,
                                    gpointer opaque)
{
    SocketChardev *s = opaque;
    int err = 0;
    socklen_t len = sizeof(err);

    s->connect_tag = 0;
    s->connecting_fd = -1;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) {
        err = errno;
    }
    if (err) {
        close(fd);
        socket_schedule_reconnect(s);
    } else {
        socket_set_peer(s, fd);
    }
    return G_SOURCE_REMOVE;
}

/*
 * One connection attempt. Blocking at start-up (so plain clients fail
 * early with a real error), non-blocking from the reconnect timer. Returns
 * false with *errp set only when nothing is connected or pending.
 */
static bool socket_try_connect(SocketChardev *s, bool blocking, GError **errp)
{
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    struct addrinfo unix_ai = {
        .ai_family = AF_UNIX, .ai_socktype = SOCK_STREAM,
        .ai_addr = (struct sockaddr *)&sun, .ai_addrlen = sizeof(sun),
    };
    struct addrinfo *res;
    int err = ECONNREFUSED;

    if (s->is_unix) {
        if (strlen(s->path) >= sizeof(sun.sun_path)) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                        "socket path '%s' is too long", s->path);
            return false;
        }
        strcpy(sun.sun_path, s->path);
        res = &unix_ai;
    } else {
        res = socket_resolve(s, errp);
        if (!res) {
            return false;
        }
    }
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC |
                        (blocking ? 0 : SOCK_NONBLOCK), ai->ai_protocol);
        int rc;

        if (fd < 0) {
            err = errno;
            continue;
        }
        do {
            rc = connect(fd, ai->ai_addr, ai->ai_addrlen);
        } while (rc < 0 && errno == EINTR && blocking);
        if (rc == 0) {
            socket_set_peer(s, fd);
            err = 0;
            break;
        }
        if (!blocking && errno == EINPROGRESS) {
            s->connecting_fd = fd;
            s->connect_tag = g_unix_fd_add(fd, G_IO_OUT, socket_connect_done,
                                           s);
            err = 0;
            break;
        }
        err = errno;
        close(fd);
    }
    if (!s->is_unix) {
        freeaddrinfo(res);
    }
    if (err) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_IO,
                    "cannot connect to '%s': %s", s->desc, g_strerror(err));
        return false;
    }
    return true;
}

static gboolean socket_reconnect_cb(gpointer opaque)
{
    SocketChardev *s = opaque;

    s->reconnect_timer = 0;
    if (s->fd < 0 && s->connecting_fd < 0 &&
        !socket_try_connect(s, false, NULL)) {
        socket_schedule_reconnect(s);
    }
    return G_SOURCE_REMOVE;
}

/* ---- open / write / close ---- */

static bool socket_parse_port(SocketChardev *s, const char *port, GError **errp)
{
    guint64 v;

    if (!port || !*port) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "parameter 'port' is missing");
        return false;
    }
    if (!g_ascii_string_to_unsigned(port, 10, s->is_server ? 0 : 1, 65535,
                                    &v, NULL)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "invalid port '%s'", port);
        return false;
    }
    s->port = v;
    s->port_str = g_strdup(port);
    return true;
}

static bool socket_open_inner(Chardev *chr, KeyvalList *opts, GError **errp)
{
    SocketChardev *s = (SocketChardev *)chr;
    const char *path = keyval_get(opts, "path");
    const char *host = keyval_get(opts, "host");
    const char *port = keyval_get(opts, "port");
    bool wait, ipv4, ipv6;
    uint64_t reconnect, reconnect_ms;

    if (!keyval_get_bool(opts, "server", false, &s->is_server, errp) ||
        !keyval_get_bool(opts, "wait", true, &wait, errp) ||
        !keyval_get_bool(opts, "nodelay", false, &s->nodelay, errp) ||
        !keyval_get_bool(opts, "telnet", false, &s->telnet, errp) ||
        !keyval_get_bool(opts, "ipv4", false, &ipv4, errp) ||
        !keyval_get_bool(opts, "ipv6", false, &ipv6, errp) ||
        !keyval_get_uint(opts, "reconnect", 0, &reconnect, errp) ||
        !keyval_get_uint(opts, "reconnect-ms", 0, &reconnect_ms, errp)) {
        return false;
    }
    if (path && (host || port)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "'path' cannot be combined with 'host' or 'port'");
        return false;
    }
    if (ipv4 && ipv6) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "'ipv4' and 'ipv6' cannot both be on");
        return false;
    }
    if (reconnect > 3600 * 24 || reconnect_ms > 3600 * 24 * 1000) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "reconnect interval is too long");
        return false;
    }
    s->reconnect_ms = reconnect_ms ? reconnect_ms : reconnect * 1000;
    if (s->is_server && s->reconnect_ms) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "'reconnect' is only for client sockets");
        return false;
    }
    s->family = ipv4 ? AF_INET : ipv6 ? AF_INET6 : AF_UNSPEC;
    if (path) {
        if (!*path) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                        "parameter 'path' is empty");
            return false;
        }
        s->is_unix = true;
        s->path = g_strdup(path);
    } else {
        if (!socket_parse_port(s, port, errp)) {
            return false;
        }
        if (host && *host) {
            s->host = g_strdup(host);
        }
    }

    if (s->is_server) {
        return socket_server_open(s, wait, errp);
    }
    if (s->is_unix) {
        s->desc = g_strdup_printf("unix:%s", s->path);
    } else {
        s->desc = socket_inet_desc(s, s->host ? s->host : "localhost", "");
    }
    socket_update_filename(s, NULL);
    if (!socket_try_connect(s, true, s->reconnect_ms ? NULL : errp)) {
        if (!s->reconnect_ms) {
            return false;
        }
        /* with reconnect, a server that is not up yet is normal */
        socket_schedule_reconnect(s);
    }
    return true;
}

static void socket_close(Chardev *chr);

static bool socket_open(Chardev *chr, KeyvalList *opts, GError **errp)
{
    SocketChardev *s = (SocketChardev *)chr;

    s->listen_fd = s->fd = s->connecting_fd = -1;
    if (!socket_open_inner(chr, opts, errp)) {
        socket_close(chr);
        return false;
    }
    return true;
}

static int socket_write(Chardev *chr, const uint8_t *buf, int len)
{
    SocketChardev *s = (SocketChardev *)chr;
    g_autofree uint8_t *esc = NULL;

    if (s->fd < 0) {
        return len;
    }
    if (s->telnet && memchr(buf, TN_IAC, len)) {
        int n = 0;
        esc = g_malloc(len * 2);
        for (int i = 0; i < len; i++) {
            esc[n++] = buf[i];
            if (buf[i] == TN_IAC) {
                esc[n++] = TN_IAC;
            }
        }
        char_fd_write_all(chr, s->fd, esc, n, true);
        return len;
    }
    /* a broken peer shows up as EOF on the read side, which cleans up */
    char_fd_write_all(chr, s->fd, buf, len, true);
    return len;
}

static void socket_close(Chardev *chr)
{
    SocketChardev *s = (SocketChardev *)chr;

    char_fd_watch_remove(&s->watch);
    if (s->listen_tag) {
        g_source_remove(s->listen_tag);
    }
    if (s->connect_tag) {
        g_source_remove(s->connect_tag);
    }
    if (s->reconnect_timer) {
        g_source_remove(s->reconnect_timer);
    }
    if (s->connecting_fd >= 0) {
        close(s->connecting_fd);
    }
    if (s->fd >= 0) {
        close(s->fd);
        s->fd = -1;
    }
    if (s->listen_fd >= 0) {
        close(s->listen_fd);
        if (s->is_unix) {
            unlink(s->path);
        }
    }
    g_free(s->host);
    g_free(s->port_str);
    g_free(s->path);
    g_free(s->desc);
}

int chardev_socket_get_port(Chardev *chr)
{
    SocketChardev *s = (SocketChardev *)chr;

    if (chr->cls != &chardev_socket_class || s->is_unix) {
        return -1;
    }
    return s->port;
}

bool chardev_socket_connected(Chardev *chr)
{
    return chr->cls == &chardev_socket_class && ((SocketChardev *)chr)->fd >= 0;
}

const ChardevClass chardev_socket_class = {
    .name = "socket",
    .help = "TCP/Unix socket (host=,port=|path=,server=,wait=,nodelay=,"
            "reconnect=,telnet=,ipv4=,ipv6=)",
    .instance_size = sizeof(SocketChardev),
    .params = socket_params,
    .open = socket_open,
    .write = socket_write,
    .close = socket_close,
};
