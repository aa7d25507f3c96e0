/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The mux: one backend shared by up to CHARDEV_MUX_MAX frontends (typically
 * a serial port and the monitor on "mon:stdio"). Output from every frontend
 * goes to the backend; input goes to the focused frontend only. Ctrl-A is
 * an escape prefix for commands to the mux itself (switch focus, quit,
 * send break, help...).
 *
 * Input for the focused frontend is staged in a small per-frontend buffer
 * so escape processing never has to stall mid-chunk; the backend is only
 * polled while that buffer has room, which keeps flow control end to end.
 */
#include "chardev/char-fd.h"
#include "util/error.h"

#include <string.h>

#define MUX_ESCAPE_CHAR 0x01        /* Ctrl-A */
#define MUX_BUF_SIZE    64

static const char *const mux_params[] = { "chardev", NULL };

typedef struct MuxInput {
    uint8_t buf[MUX_BUF_SIZE];
    int len;
} MuxInput;

typedef struct MuxChardev {
    Chardev parent;
    Chardev *base;
    bool owns_base;             /* created for us (mux=on, "mon:"): delete it */
    CharFrontend base_fe;       /* our attachment to the backend */
    CharFrontend *fes[CHARDEV_MUX_MAX];
    MuxInput input[CHARDEV_MUX_MAX];
    int focus;                  /* -1: no frontend */
    bool escape_pending;
    gint flush_scheduled;       /* atomic: an idle flush is queued */
    guint flush_idle;
    /* output timestamps (C-a t); under the chardev lock */
    bool timestamps;
    bool at_line_start;
    gint64 ts_start;
} MuxChardev;

static void (*mux_quit_fn)(void *opaque);
static void *mux_quit_opaque;

void chardev_mux_set_quit_handler(void (*fn)(void *opaque), void *opaque)
{
    mux_quit_fn = fn;
    mux_quit_opaque = opaque;
}

static void mux_send_event(MuxChardev *m, int tag, CharEvent ev)
{
    CharFrontend *fe = tag >= 0 ? m->fes[tag] : NULL;

    if (fe && fe->event) {
        fe->event(fe->opaque, ev);
    }
}

static void mux_backend_print(MuxChardev *m, const char *text)
{
    chardev_write(m->base, (const uint8_t *)text, strlen(text));
}

/* Hands staged input to frontend `tag` as far as it takes it. Main thread. */
static void mux_flush(MuxChardev *m, int tag)
{
    CharFrontend *fe = m->fes[tag];
    MuxInput *in = &m->input[tag];

    while (fe && in->len > 0 && fe->can_read && fe->read) {
        int n = MIN(fe->can_read(fe->opaque), in->len);
        if (n <= 0) {
            break;
        }
        fe->read(fe->opaque, in->buf, n);
        /* the read handler may have detached the frontend */
        if (m->fes[tag] != fe) {
            in->len = 0;
            break;
        }
        memmove(in->buf, in->buf + n, in->len - n);
        in->len -= n;
    }
}

static void mux_flush_all(MuxChardev *m)
{
    for (int i = 0; i < CHARDEV_MUX_MAX; i++) {
        mux_flush(m, i);
    }
}

static gboolean mux_flush_idle(gpointer opaque)
{
    MuxChardev *m = opaque;

    m->flush_idle = 0;
    g_atomic_int_set(&m->flush_scheduled, 0);
    mux_flush_all(m);
    chardev_accept_input(m->base);
    return G_SOURCE_REMOVE;
}

/* Frontend callbacks must run in the main thread: defer to an idle. */
static void mux_schedule_flush(MuxChardev *m)
{
    if (g_atomic_int_compare_and_exchange(&m->flush_scheduled, 0, 1)) {
        GSource *src = g_idle_source_new();
        g_source_set_callback(src, mux_flush_idle, m, NULL);
        m->flush_idle = g_source_attach(src, NULL);
        g_source_unref(src);
    }
}

static void mux_stage(MuxChardev *m, uint8_t c)
{
    MuxInput *in;

    if (m->focus < 0) {
        return;
    }
    in = &m->input[m->focus];
    if (in->len < MUX_BUF_SIZE) {
        in->buf[in->len++] = c;
    }
}

static void mux_rotate_focus(MuxChardev *m)
{
    int next = m->focus;

    for (int i = 1; i <= CHARDEV_MUX_MAX; i++) {
        int t = (m->focus + i) % CHARDEV_MUX_MAX;
        if (m->fes[t]) {
            next = t;
            break;
        }
    }
    chardev_mux_set_focus(&m->parent, next);
}

static void mux_print_help(MuxChardev *m)
{
    mux_backend_print(m,
        "\r\n"
        "C-a h    print this help\r\n"
        "C-a x    exit emulator\r\n"
        "C-a s    save disk data back to file (if -snapshot)\r\n"
        "C-a t    toggle console timestamps\r\n"
        "C-a b    send break (magic sysrq)\r\n"
        "C-a c    switch between console and monitor\r\n"
        "C-a C-a  sends C-a\r\n");
}

static void mux_escape_command(MuxChardev *m, uint8_t c)
{
    switch (c) {
    case 'h':
    case '?':
        mux_print_help(m);
        break;
    case 'x':
        mux_backend_print(m, "tern: terminated\r\n");
        if (mux_quit_fn) {
            mux_quit_fn(mux_quit_opaque);
        }
        break;
    case 'b':
        mux_send_event(m, m->focus, CHR_EVENT_BREAK);
        break;
    case 'c':
        mux_rotate_focus(m);
        break;
    case 't':
        g_mutex_lock(&m->parent.lock);
        m->timestamps = !m->timestamps;
        m->ts_start = g_get_monotonic_time();
        m->at_line_start = true;
        g_mutex_unlock(&m->parent.lock);
        break;
    case MUX_ESCAPE_CHAR:
        mux_stage(m, c);
        break;
    default:
        /* 's' (commit disks) has no handler yet; unknown escapes vanish */
        break;
    }
}

/* ---- backend-facing handlers ---- */

static int mux_can_read(void *opaque)
{
    MuxChardev *m = opaque;
    CharFrontend *fe;
    MuxInput *in;

    if (m->focus < 0 || !(fe = m->fes[m->focus]) || !fe->read) {
        return 0;
    }
    in = &m->input[m->focus];
    /* frontends that never call accept_input still get drained */
    if (in->len > 0 && fe->can_read && fe->can_read(fe->opaque) > 0) {
        mux_schedule_flush(m);
    }
    return MUX_BUF_SIZE - in->len;
}

static void mux_read(void *opaque, const uint8_t *buf, int len)
{
    MuxChardev *m = opaque;

    for (int i = 0; i < len; i++) {
        uint8_t c = buf[i];

        if (m->escape_pending) {
            m->escape_pending = false;
            /* flush first so the command acts after the bytes before it */
            if (m->focus >= 0) {
                mux_flush(m, m->focus);
            }
            mux_escape_command(m, c);
        } else if (c == MUX_ESCAPE_CHAR) {
            m->escape_pending = true;
        } else {
            mux_stage(m, c);
        }
    }
    if (m->focus >= 0) {
        mux_flush(m, m->focus);
    }
}

static void mux_event(void *opaque, CharEvent ev)
{
    MuxChardev *m = opaque;

    if (ev == CHR_EVENT_OPENED || ev == CHR_EVENT_CLOSED) {
        bool open = ev == CHR_EVENT_OPENED;
        if (m->parent.be_open == open) {
            return;
        }
        m->parent.be_open = open;
        for (int i = 0; i < CHARDEV_MUX_MAX; i++) {
            mux_send_event(m, i, ev);
        }
    } else {
        mux_send_event(m, m->focus, ev);
    }
}

/* ---- class ---- */

static bool mux_open(Chardev *chr, KeyvalList *opts, GError **errp)
{
    MuxChardev *m = (MuxChardev *)chr;
    const char *id = keyval_get(opts, "chardev");
    Chardev *base;

    m->focus = -1;
    if (!id || !*id) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "parameter 'chardev' is missing");
        return false;
    }
    base = chardev_find(id);
    if (!base) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_NOT_FOUND,
                    "chardev '%s' not found", id);
        return false;
    }
    if (chardev_is_mux(base)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "chardev '%s' is already a mux", id);
        return false;
    }
    if (!char_fe_init(&m->base_fe, base, errp)) {
        return false;
    }
    m->base = base;
    m->at_line_start = true;
    chardev_set_filename(chr, "mux:%s", id);
    /* sets be_open through mux_event if the backend is already connected */
    char_fe_set_handlers(&m->base_fe, mux_can_read, mux_read, mux_event, m);
    return true;
}

/* Called with the mux lock held; may run on a vCPU thread. */
static int mux_write(Chardev *chr, const uint8_t *buf, int len)
{
    MuxChardev *m = (MuxChardev *)chr;
    GString *out;

    if (!m->timestamps) {
        return chardev_write(m->base, buf, len);
    }
    out = g_string_sized_new(len + 32);
    for (int i = 0; i < len; i++) {
        if (m->at_line_start) {
            gint64 ms = (g_get_monotonic_time() - m->ts_start) / 1000;
            g_string_append_printf(out, "[%02d:%02d:%02d.%03d] ",
                                   (int)(ms / 3600000), (int)(ms / 60000 % 60),
                                   (int)(ms / 1000 % 60), (int)(ms % 1000));
            m->at_line_start = false;
        }
        g_string_append_c(out, buf[i]);
        if (buf[i] == '\n') {
            m->at_line_start = true;
        }
    }
    chardev_write(m->base, (const uint8_t *)out->str, out->len);
    g_string_free(out, TRUE);
    return len;
}

static void mux_accept_input(Chardev *chr)
{
    mux_schedule_flush((MuxChardev *)chr);
}

static bool mux_fe_attach(Chardev *chr, CharFrontend *fe, GError **errp)
{
    MuxChardev *m = (MuxChardev *)chr;

    for (int i = 0; i < CHARDEV_MUX_MAX; i++) {
        if (!m->fes[i]) {
            m->fes[i] = fe;
            m->input[i].len = 0;
            fe->tag = i;
            if (m->focus < 0) {
                m->focus = i;
            }
            return true;
        }
    }
    g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                "chardev '%s' has too many frontends (at most %d)",
                chr->label, CHARDEV_MUX_MAX);
    return false;
}

static void mux_fe_detach(Chardev *chr, CharFrontend *fe)
{
    MuxChardev *m = (MuxChardev *)chr;
    int tag = fe->tag;

    if (tag < 0 || tag >= CHARDEV_MUX_MAX || m->fes[tag] != fe) {
        return;
    }
    m->fes[tag] = NULL;
    m->input[tag].len = 0;
    if (m->focus == tag) {
        m->focus = -1;
        for (int i = 1; i < CHARDEV_MUX_MAX; i++) {
            int t = (tag + i) % CHARDEV_MUX_MAX;
            if (m->fes[t]) {
                m->focus = t;
                mux_send_event(m, t, CHR_EVENT_MUX_IN);
                break;
            }
        }
    }
}

static void mux_close(Chardev *chr)
{
    MuxChardev *m = (MuxChardev *)chr;

    if (m->flush_idle) {
        g_source_remove(m->flush_idle);
        m->flush_idle = 0;
    }
    for (int i = 0; i < CHARDEV_MUX_MAX; i++) {
        if (m->fes[i]) {
            m->fes[i]->chr = NULL;
            m->fes[i] = NULL;
        }
    }
    if (m->base) {
        char_fe_deinit(&m->base_fe);
        if (m->owns_base) {
            chardev_delete(m->base);
        }
        m->base = NULL;
    }
}

const ChardevClass chardev_mux_class = {
    .name = "mux",
    .help = "share a chardev between frontends, C-a escapes (chardev=)",
    .instance_size = sizeof(MuxChardev),
    .flags = CHARDEV_CLASS_MULTI_FE,
    .params = mux_params,
    .open = mux_open,
    .write = mux_write,
    .accept_input = mux_accept_input,
    .close = mux_close,
    .fe_attach = mux_fe_attach,
    .fe_detach = mux_fe_detach,
};

int chardev_mux_focus(Chardev *chr)
{
    return chardev_is_mux(chr) ? ((MuxChardev *)chr)->focus : -1;
}

void chardev_mux_set_focus(Chardev *chr, int tag)
{
    MuxChardev *m = (MuxChardev *)chr;
    int old;

    if (!chardev_is_mux(chr) || tag < 0 || tag >= CHARDEV_MUX_MAX ||
        !m->fes[tag] || tag == m->focus) {
        return;
    }
    old = m->focus;
    m->focus = tag;
    mux_send_event(m, old, CHR_EVENT_MUX_OUT);
    mux_send_event(m, tag, CHR_EVENT_MUX_IN);
    /* bytes staged for the new focus can go now */
    mux_schedule_flush(m);
}

Chardev *chardev_mux_wrap(const char *id, Chardev *base, GError **errp)
{
    g_autoptr(KeyvalList) opts = keyval_new();
    Chardev *chr;

    keyval_set(opts, "chardev", base->label);
    chr = chardev_new(id, "mux", opts, errp);
    if (chr) {
        ((MuxChardev *)chr)->owns_base = true;
    }
    return chr;
}
