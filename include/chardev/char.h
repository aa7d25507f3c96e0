/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Character devices: the host side of serial ports, consoles and monitors.
 * A Chardev is a backend (stdio, file, socket, pty, ...) created from an
 * option string and registered under a unique id; a device attaches to it
 * through a CharFrontend. All input and connection events are delivered in
 * the main thread from the GLib default main context; writes may come from
 * any thread (vCPU threads included) and never block for long.
 */
#ifndef CHARDEV_CHAR_H
#define CHARDEV_CHAR_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "util/keyval.h"

typedef enum CharEvent {
    CHR_EVENT_OPENED,   /* backend connected (client arrived, pty opened) */
    CHR_EVENT_CLOSED,   /* backend disconnected */
    CHR_EVENT_BREAK,    /* serial break (mux C-a b, telnet BREAK) */
    CHR_EVENT_MUX_IN,   /* this frontend got the mux focus */
    CHR_EVENT_MUX_OUT,  /* this frontend lost the mux focus */
} CharEvent;

typedef struct Chardev Chardev;
typedef struct ChardevClass ChardevClass;

typedef int (*CharCanReadHandler)(void *opaque);
typedef void (*CharReadHandler)(void *opaque, const uint8_t *buf, int len);
typedef void (*CharEventHandler)(void *opaque, CharEvent ev);

/*
 * Device side of a chardev. Embedded in the device; zero it, then
 * char_fe_init() and char_fe_set_handlers(). The callbacks run in the main
 * thread. `tag` is the frontend's index on a mux (0 otherwise).
 */
typedef struct CharFrontend {
    Chardev *chr;
    CharCanReadHandler can_read;
    CharReadHandler read;
    CharEventHandler event;
    void *opaque;
    int tag;
} CharFrontend;

/* ---- frontend API (devices, monitor) ---- */

/* Fails if chr already has a frontend (a mux takes up to CHARDEV_MUX_MAX). */
bool char_fe_init(CharFrontend *fe, Chardev *chr, GError **errp);
/*
 * Installs the callbacks (any may be NULL). If the backend is already
 * connected, the event handler gets CHR_EVENT_OPENED right away.
 */
void char_fe_set_handlers(CharFrontend *fe, CharCanReadHandler can_read,
                          CharReadHandler read, CharEventHandler event,
                          void *opaque);
/*
 * Writes all of buf, or drops it when nobody is connected or the host side
 * stalls for too long. Returns len, or -errno on a hard backend error.
 * Safe from any thread.
 */
int char_fe_write(CharFrontend *fe, const uint8_t *buf, int len);
/* The frontend has room again after returning 0 from can_read. Any thread. */
void char_fe_accept_input(CharFrontend *fe);
/* Detaches from the chardev; the chardev itself stays. */
void char_fe_deinit(CharFrontend *fe);
/* Backend connected (socket has a client, pty slave is open, ...). */
bool char_fe_backend_open(const CharFrontend *fe);
/* On a mux: whether this frontend has the input focus; true otherwise. */
bool char_fe_has_focus(const CharFrontend *fe);

/* ---- registry and creation ---- */

/*
 * Creates and registers a chardev of type `backend` with backend options
 * `opts` (without id/backend keys; may be NULL; not consumed).
 */
Chardev *chardev_new(const char *id, const char *backend,
                     const KeyvalList *opts, GError **errp);
/*
 * -chardev BACKEND,id=ID,...  (parsed with implied key "backend"). With
 * mux=on the backend is registered as "ID-base" and wrapped in a mux "ID".
 * The caller handles keyval_is_help() (chardev_print_help) beforehand.
 */
Chardev *chardev_new_from_keyval(const KeyvalList *kv, GError **errp);
/*
 * -serial/-monitor/-qmp/-parallel strings: "null", "none" (NULL without an
 * error), "stdio", "mon:SPEC" (mux; chardev_wants_monitor() is then true),
 * "file:PATH", "pipe:PATH", "pty", "tcp:[HOST]:PORT[,opts]",
 * "telnet:HOST:PORT[,opts]", "unix:PATH[,opts]", "chardev:ID" (existing).
 */
Chardev *chardev_new_legacy(const char *spec, const char *id, GError **errp);

Chardev *chardev_find(const char *id);
typedef void (*ChardevForeachFunc)(Chardev *chr, const char *label,
                                   const char *filename, void *opaque);
/* In creation order; for "info chardev" ("label: filename=...") */
void chardev_foreach(ChardevForeachFunc fn, void *opaque);
/* Closes and unregisters; an attached frontend is left detached. */
void chardev_delete(Chardev *chr);
void chardev_delete_all(void);
/* -chardev help */
void chardev_print_help(FILE *out);

const char *chardev_label(const Chardev *chr);
const char *chardev_filename(const Chardev *chr);
/* Backend class name ("socket", "mux", ...) */
const char *chardev_backend_name(const Chardev *chr);
/* Created from "mon:..." by chardev_new_legacy: main attaches a monitor. */
bool chardev_wants_monitor(const Chardev *chr);
bool chardev_is_mux(const Chardev *chr);

/* ---- backend specific ---- */

/*
 * Restores the terminal mode saved by the stdio backend. Async-signal-safe
 * and idempotent: call it from fatal signal handlers; also run at exit.
 */
void chardev_stdio_restore(void);
/*
 * Default for the stdio "signal" option when not given (initially on).
 * -nographic sets it off so Ctrl-C reaches the guest.
 */
void chardev_stdio_set_signal_default(bool keep_signals);

/* TCP port of a socket chardev: the bound port of a server (useful with
 * port=0), the target port of a client; -1 for Unix sockets. */
int chardev_socket_get_port(Chardev *chr);
/* Whether a socket chardev currently has a peer. */
bool chardev_socket_connected(Chardev *chr);

/* Takes up to max bytes of a ringbuf chardev's stored output (oldest first). */
GByteArray *chardev_ringbuf_read(Chardev *chr, size_t max);

#define CHARDEV_MUX_MAX 4
/*
 * C-a x on a mux prints "tern: terminated" on the mux backend and then
 * calls fn (main requests an orderly shutdown). NULL fn: print only.
 */
void chardev_mux_set_quit_handler(void (*fn)(void *opaque), void *opaque);
/* Index of the focused frontend, -1 if none. */
int chardev_mux_focus(Chardev *chr);
/* Gives the focus to frontend `tag` (MUX_OUT/MUX_IN events as for C-a c). */
void chardev_mux_set_focus(Chardev *chr, int tag);

/* ---- backend implementation API ---- */

enum {
    /* Several frontends share the chardev (fe_attach/fe_detach used). */
    CHARDEV_CLASS_MULTI_FE = 1u << 0,
    /* Not listed by chardev_print_help. */
    CHARDEV_CLASS_HIDDEN   = 1u << 1,
};

struct ChardevClass {
    const char *name;
    const char *help;           /* one-line description for -chardev help */
    size_t instance_size;       /* >= sizeof(Chardev), Chardev first */
    unsigned flags;
    /* NULL-terminated backend keys accepted besides id/backend/mux. */
    const char *const *params;
    /* Set up from options; errors are prefixed with "chardev 'ID': ". */
    bool (*open)(Chardev *chr, KeyvalList *opts, GError **errp);
    /* Called with chr's lock held, from any thread; bytes written or -errno. */
    int (*write)(Chardev *chr, const uint8_t *buf, int len);
    /* Frontend handlers changed. Main thread. */
    void (*update_read_handler)(Chardev *chr);
    /* Frontend has room again. Any thread. */
    void (*accept_input)(Chardev *chr);
    /* Release resources (not the Chardev itself). Main thread. */
    void (*close)(Chardev *chr);
    /* CHARDEV_CLASS_MULTI_FE only. */
    bool (*fe_attach)(Chardev *chr, CharFrontend *fe, GError **errp);
    void (*fe_detach)(Chardev *chr, CharFrontend *fe);
    void (*fe_handlers_set)(Chardev *chr, CharFrontend *fe);
};

struct Chardev {
    const ChardevClass *cls;
    char *label;
    char *filename;
    GMutex lock;            /* serialises writes against backend fd changes */
    CharFrontend *fe;       /* single frontend (unused by MULTI_FE classes) */
    bool be_open;
    bool wants_monitor;
    /* last write timed out: drop output until the fd drains (under lock) */
    bool write_stalled;
};

/* Adds a backend class (tests use this for a controllable backend). */
void chardev_register_class(const ChardevClass *cls);

/* Frontend's free input space; 0 when there is no frontend. Main thread. */
int chardev_be_can_read(Chardev *chr);
/* Hands input to the frontend (after chardev_be_can_read said it fits). */
void chardev_be_read(Chardev *chr, const uint8_t *buf, int len);
/* OPENED/CLOSED update be_open and are dropped when nothing changes. */
void chardev_be_event(Chardev *chr, CharEvent ev);
/* Replaces the "info chardev" description. */
void chardev_set_filename(Chardev *chr, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Locked write to a chardev (the mux writes to its backend this way). */
int chardev_write(Chardev *chr, const uint8_t *buf, int len);
/* Asks the main loop to re-poll chr's input (any thread). */
void chardev_accept_input(Chardev *chr);

#endif
