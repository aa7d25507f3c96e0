/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * File-descriptor plumbing shared by the chardev backends: an input watch
 * that only polls while the frontend has room (so a full frontend pauses
 * the host side instead of forcing us to buffer), bounded writes that
 * survive EAGAIN, terminal raw mode, and the simple in/out fd backend that
 * file, pipe and stdio build on. Backend-internal; devices use char.h.
 */
#ifndef CHARDEV_CHAR_FD_H
#define CHARDEV_CHAR_FD_H

#include <termios.h>

#include "chardev/char.h"

/* Longest a write waits for a stalled fd before dropping the rest. */
#define CHAR_FD_WRITE_STALL_MS 1000

/*
 * Called in the main thread when fd is readable or hung up. Return false
 * to stop watching (the source is then destroyed).
 */
typedef bool (*CharFdReadyFunc)(Chardev *chr, int fd, GIOCondition cond);

/* Attached to the default main context; destroy with char_fd_watch_remove. */
GSource *char_fd_watch_add(Chardev *chr, int fd, CharFdReadyFunc ready);
/* Destroys *src (if any) and clears it. Safe from inside the ready callback. */
void char_fd_watch_remove(GSource **src);

/*
 * Reads what the frontend can take from fd and delivers it. Returns bytes
 * delivered, 0 at EOF, -EAGAIN when nothing was there or the frontend is
 * full, -errno on error.
 */
int char_fd_read_to_frontend(Chardev *chr, int fd);

/*
 * Writes all of buf to fd, waiting with poll() while the fd is full; gives
 * up after CHAR_FD_WRITE_STALL_MS without progress and then marks chr
 * stalled, so later writes are dropped at once (instead of each waiting
 * again) until the reader catches up. chr may be NULL; its lock must be
 * held. Sockets are written with MSG_NOSIGNAL. Returns bytes written
 * (possibly short) or -errno if nothing could be written.
 */
int char_fd_write_all(Chardev *chr, int fd, const uint8_t *buf, int len,
                      bool is_socket);

bool char_fd_set_nonblock(int fd, bool on);
void char_fd_set_cloexec(int fd);

/* Raw terminal mode; ISIG kept when keep_signals. */
void char_fd_make_raw(struct termios *tio, bool keep_signals);

/* Simple backend with an input and an output fd (file, pipe, stdio). */
typedef struct FdChardev {
    Chardev parent;
    int fd_in;              /* -1: output only */
    int fd_out;
    bool owns_fds;          /* close them on close (not for stdio) */
    bool eof_closes;        /* EOF on input emits CLOSED */
    GSource *watch;
} FdChardev;

/* Starts watching fd_in (if >= 0) and marks the backend open. */
void char_fd_start(FdChardev *s, int fd_in, int fd_out, bool owns_fds);
int char_fd_chr_write(Chardev *chr, const uint8_t *buf, int len);
void char_fd_chr_close(Chardev *chr);
void char_fd_chr_update_read_handler(Chardev *chr);

/* Opens path, prefixing errors with the path and strerror. */
int char_fd_open(const char *path, int flags, GError **errp);

extern const ChardevClass chardev_null_class;
extern const ChardevClass chardev_stdio_class;
extern const ChardevClass chardev_file_class;
extern const ChardevClass chardev_pipe_class;
extern const ChardevClass chardev_socket_class;
extern const ChardevClass chardev_pty_class;
extern const ChardevClass chardev_mux_class;
extern const ChardevClass chardev_ringbuf_class;
extern const ChardevClass chardev_memory_class;

/* Mux construction for mux=on / "mon:" (char-mux.c). */
Chardev *chardev_mux_wrap(const char *id, Chardev *base, GError **errp);

#endif
