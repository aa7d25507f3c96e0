/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * File-descriptor plumbing for chardev backends. Input is polled only while
 * the frontend reports room, which gives flow control for free: a guest UART
 * with a full FIFO leaves bytes in the kernel's pipe or socket buffer.
 * Writes wait with poll() rather than relying on blocking fds, because
 * stdio's fds are shared with the parent shell and must keep their flags.
 */
#include "chardev/char-fd.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct CharFdSource {
    GSource source;
    Chardev *chr;
    int fd;
    gpointer tag;           /* unix-fd record while polled, else NULL */
    CharFdReadyFunc ready;
} CharFdSource;

/*
 * Adding and removing the fd here (prepare runs before the poll set is
 * built) means a full frontend costs nothing: the fd is simply not polled,
 * so a hung-up peer cannot make the loop spin either.
 */
static gboolean fd_source_prepare(GSource *src, gint *timeout)
{
    CharFdSource *s = (CharFdSource *)src;
    bool want = chardev_be_can_read(s->chr) > 0;

    *timeout = -1;
    if (want && !s->tag) {
        s->tag = g_source_add_unix_fd(src, s->fd,
                                      G_IO_IN | G_IO_HUP | G_IO_ERR);
    } else if (!want && s->tag) {
        g_source_remove_unix_fd(src, s->tag);
        s->tag = NULL;
    }
    return FALSE;
}

static gboolean fd_source_check(GSource *src)
{
    CharFdSource *s = (CharFdSource *)src;

    return s->tag && g_source_query_unix_fd(src, s->tag) != 0;
}

static gboolean fd_source_dispatch(GSource *src, GSourceFunc cb, gpointer data)
{
    CharFdSource *s = (CharFdSource *)src;
    GIOCondition cond = s->tag ? g_source_query_unix_fd(src, s->tag) : 0;

    if (!cond) {
        return G_SOURCE_CONTINUE;
    }
    return s->ready(s->chr, s->fd, cond) ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static GSourceFuncs fd_source_funcs = {
    .prepare = fd_source_prepare,
    .check = fd_source_check,
    .dispatch = fd_source_dispatch,
};

GSource *char_fd_watch_add(Chardev *chr, int fd, CharFdReadyFunc ready)
{
    GSource *src = g_source_new(&fd_source_funcs, sizeof(CharFdSource));
    CharFdSource *s = (CharFdSource *)src;

    s->chr = chr;
    s->fd = fd;
    s->ready = ready;
    g_source_set_name(src, "chardev-input");
    g_source_attach(src, NULL);
    return src;
}

void char_fd_watch_remove(GSource **src)
{
    if (*src) {
        g_source_destroy(*src);
        g_source_unref(*src);
        *src = NULL;
    }
}

int char_fd_read_to_frontend(Chardev *chr, int fd)
{
    uint8_t buf[4096];
    int room = chardev_be_can_read(chr);
    ssize_t n;

    if (room <= 0) {
        return -EAGAIN;
    }
    do {
        n = read(fd, buf, MIN((size_t)room, sizeof(buf)));
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        return errno == EWOULDBLOCK ? -EAGAIN : -errno;
    }
    if (n > 0) {
        chardev_be_read(chr, buf, n);
    }
    return n;
}

int char_fd_write_all(Chardev *chr, int fd, const uint8_t *buf, int len,
                      bool is_socket)
{
    int done = 0;

    if (chr && chr->write_stalled) {
        struct pollfd pfd = { .fd = fd, .events = POLLOUT };
        if (poll(&pfd, 1, 0) != 1 || !(pfd.revents & POLLOUT)) {
            return len;
        }
        chr->write_stalled = false;
    }

    while (done < len) {
        struct pollfd pfd = { .fd = fd, .events = POLLOUT };
        size_t chunk = len - done;
        ssize_t n;
        int r;

        do {
            r = poll(&pfd, 1, CHAR_FD_WRITE_STALL_MS);
        } while (r < 0 && errno == EINTR);
        if (r == 0) {
            /* stalled: drop the rest, and later output until it drains */
            if (chr) {
                chr->write_stalled = true;
            }
            break;
        }
        if (r < 0) {
            return done ? done : -errno;
        }
        if ((pfd.revents & (POLLERR | POLLHUP | POLLNVAL)) &&
            !(pfd.revents & POLLOUT)) {
            return done ? done : -EPIPE;
        }
        /*
         * A blocking fd reporting POLLOUT takes at least PIPE_BUF bytes
         * without blocking; larger chunks could block indefinitely.
         */
        if (!is_socket && chunk > PIPE_BUF) {
            int fl = fcntl(fd, F_GETFL);
            if (fl < 0 || !(fl & O_NONBLOCK)) {
                chunk = PIPE_BUF;
            }
        }
        if (is_socket) {
            n = send(fd, buf + done, chunk, MSG_NOSIGNAL | MSG_DONTWAIT);
        } else {
            n = write(fd, buf + done, chunk);
        }
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) {
                continue;
            }
            return done ? done : -errno;
        }
        done += n;
    }
    return done;
}

bool char_fd_set_nonblock(int fd, bool on)
{
    int fl = fcntl(fd, F_GETFL);

    if (fl < 0) {
        return false;
    }
    fl = on ? (fl | O_NONBLOCK) : (fl & ~O_NONBLOCK);
    return fcntl(fd, F_SETFL, fl) == 0;
}

void char_fd_set_cloexec(int fd)
{
    int fl = fcntl(fd, F_GETFD);

    if (fl >= 0) {
        fcntl(fd, F_SETFD, fl | FD_CLOEXEC);
    }
}

void char_fd_make_raw(struct termios *tio, bool keep_signals)
{
    tio->c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR |
                      ICRNL | IXON | IXOFF);
    /* keep OPOST so "\n" from the guest still starts a new line */
    tio->c_oflag |= OPOST;
    tio->c_lflag &= ~(ECHO | ECHONL | ICANON | IEXTEN);
    if (keep_signals) {
        tio->c_lflag |= ISIG;
    } else {
        tio->c_lflag &= ~ISIG;
    }
    tio->c_cflag &= ~(CSIZE | PARENB);
    tio->c_cflag |= CS8;
    tio->c_cc[VMIN] = 1;
    tio->c_cc[VTIME] = 0;
}

int char_fd_open(const char *path, int flags, GError **errp)
{
    int fd;

    do {
        fd = open(path, flags | O_CLOEXEC | O_NOCTTY, 0666);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_IO, "cannot open '%s': %s",
                    path, g_strerror(errno));
    }
    return fd;
}

/* ---- simple in/out fd backend ---- */

static bool fd_chr_ready(Chardev *chr, int fd, GIOCondition cond)
{
    FdChardev *s = (FdChardev *)chr;
    int n = char_fd_read_to_frontend(chr, fd);

    if (n > 0 || n == -EAGAIN) {
        return true;
    }
    /* EOF or error: stop polling (a regular file at EOF is always readable) */
    g_source_unref(s->watch);
    s->watch = NULL;
    if (s->eof_closes) {
        chardev_be_event(chr, CHR_EVENT_CLOSED);
    }
    return false;
}

void char_fd_start(FdChardev *s, int fd_in, int fd_out, bool owns_fds)
{
    s->fd_in = fd_in;
    s->fd_out = fd_out;
    s->owns_fds = owns_fds;
    if (fd_in >= 0) {
        s->watch = char_fd_watch_add(&s->parent, fd_in, fd_chr_ready);
    }
    s->parent.be_open = true;
}

int char_fd_chr_write(Chardev *chr, const uint8_t *buf, int len)
{
    FdChardev *s = (FdChardev *)chr;

    if (s->fd_out < 0) {
        return len;
    }
    return char_fd_write_all(chr, s->fd_out, buf, len, false);
}

void char_fd_chr_update_read_handler(Chardev *chr)
{
    /* the watch re-evaluates can_read on every loop iteration */
}

void char_fd_chr_close(Chardev *chr)
{
    FdChardev *s = (FdChardev *)chr;

    char_fd_watch_remove(&s->watch);
    if (s->owns_fds) {
        if (s->fd_in >= 0) {
            close(s->fd_in);
        }
        if (s->fd_out >= 0 && s->fd_out != s->fd_in) {
            close(s->fd_out);
        }
    }
    s->fd_in = s->fd_out = -1;
}
