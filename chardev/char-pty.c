/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The pty backend: a pseudo-terminal whose slave (/dev/pts/N) a terminal
 * program opens. Until then the master reports a hang-up, so the backend
 * polls for a connected slave on a slow timer, drops output while nobody
 * is there, and reports OPENED/CLOSED as the slave comes and goes.
 */
#include "chardev/char-fd.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <stdio.h>
#include <unistd.h>

#define PTY_POLL_MS 500

static const char *const pty_params[] = { "path", NULL };

typedef struct PtyChardev {
    Chardev parent;
    int master;
    char *slave_name;
    char *link_path;        /* path= symlink we created, removed on close */
    bool connected;         /* written under the chardev lock */
    GSource *watch;
    guint timer;
} PtyChardev;

static void pty_disconnect(PtyChardev *s);

static bool pty_ready(Chardev *chr, int fd, GIOCondition cond)
{
    PtyChardev *s = (PtyChardev *)chr;
    int n = char_fd_read_to_frontend(chr, fd);

    if (n > 0 || n == -EAGAIN) {
        return true;
    }
    /* EIO: the last slave fd was closed */
    g_source_unref(s->watch);
    s->watch = NULL;
    pty_disconnect(s);
    return false;
}

static bool pty_slave_open(PtyChardev *s)
{
    struct pollfd pfd = { .fd = s->master, .events = POLLIN };

    return poll(&pfd, 1, 0) >= 0 && !(pfd.revents & POLLHUP);
}

static gboolean pty_poll_timer(gpointer opaque)
{
    PtyChardev *s = opaque;

    if (!pty_slave_open(s)) {
        return G_SOURCE_CONTINUE;
    }
    s->timer = 0;
    g_mutex_lock(&s->parent.lock);
    s->connected = true;
    s->parent.write_stalled = false;
    g_mutex_unlock(&s->parent.lock);
    s->watch = char_fd_watch_add(&s->parent, s->master, pty_ready);
    chardev_be_event(&s->parent, CHR_EVENT_OPENED);
    return G_SOURCE_REMOVE;
}

static void pty_disconnect(PtyChardev *s)
{
    g_mutex_lock(&s->parent.lock);
    s->connected = false;
    g_mutex_unlock(&s->parent.lock);
    if (!s->timer) {
        s->timer = g_timeout_add(PTY_POLL_MS, pty_poll_timer, s);
    }
    chardev_be_event(&s->parent, CHR_EVENT_CLOSED);
}

static bool pty_open(Chardev *chr, KeyvalList *opts, GError **errp)
{
    PtyChardev *s = (PtyChardev *)chr;
    const char *path = keyval_get(opts, "path");
    struct termios tio;
    char name[256];
    int master, slave;

    if (openpty(&master, &slave, name, NULL, NULL) < 0) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_IO, "cannot open a pty: %s",
                    g_strerror(errno));
        return false;
    }
    if (tcgetattr(slave, &tio) == 0) {
        char_fd_make_raw(&tio, false);
        tio.c_oflag &= ~OPOST;
        tcsetattr(slave, TCSAFLUSH, &tio);
    }
    /* the mode stays with the pty; the slave is for whoever opens it */
    close(slave);
    if (path && *path) {
        if (symlink(name, path) < 0) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_IO,
                        "cannot create symlink '%s': %s", path,
                        g_strerror(errno));
            close(master);
            return false;
        }
        s->link_path = g_strdup(path);
    }
    char_fd_set_nonblock(master, true);
    char_fd_set_cloexec(master);
    s->master = master;
    s->slave_name = g_strdup(name);
    chardev_set_filename(chr, "pty:%s", name);
    fprintf(stderr, "char device redirected to %s (label %s)\n", name,
            chr->label);
    s->timer = g_timeout_add(PTY_POLL_MS, pty_poll_timer, s);
    return true;
}

static int pty_write(Chardev *chr, const uint8_t *buf, int len)
{
    PtyChardev *s = (PtyChardev *)chr;

    if (!s->connected) {
        /* a slave may have appeared since the last timer tick */
        if (!pty_slave_open(s)) {
            return len;
        }
    }
    return char_fd_write_all(chr, s->master, buf, len, false);
}

static void pty_close(Chardev *chr)
{
    PtyChardev *s = (PtyChardev *)chr;

    char_fd_watch_remove(&s->watch);
    if (s->timer) {
        g_source_remove(s->timer);
        s->timer = 0;
    }
    if (s->link_path) {
        unlink(s->link_path);
        g_free(s->link_path);
    }
    close(s->master);
    g_free(s->slave_name);
}

const ChardevClass chardev_pty_class = {
    .name = "pty",
    .help = "pseudo-terminal, name printed on stderr (path= symlink)",
    .instance_size = sizeof(PtyChardev),
    .params = pty_params,
    .open = pty_open,
    .write = pty_write,
    .close = pty_close,
};
