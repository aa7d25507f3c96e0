/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Monitor instances: the glue between a chardev frontend, the line editor
 * and the HMP command table. Input and events arrive from the main loop
 * with the big lock held, so commands run there too. Behind a mux, output
 * produced while another frontend has the focus is held back (bounded) and
 * shown when the monitor gets the focus, so it never lands in the middle
 * of the guest's console.
 */
#include <string.h>

#include "monitor/monitor.h"
#include "monitor/readline.h"

/* Output held while out of mux focus; text beyond this is dropped. */
#define MONITOR_PENDING_MAX (64 * 1024)

struct Monitor {
    CharFrontend fe;
    bool has_fe;
    MonitorWriteFunc write_fn;
    void *write_opaque;
    ReadlineState *rs;
    GString *pending;
    bool mux_out;       /* another mux frontend has the focus */
    bool opened;        /* a client is connected and has seen the banner */
    int cpu_index;      /* the `cpu N` selection */
};

/* Every live monitor, for monitor_destroy_all(). */
static GList *monitor_list;

/* Bytes exactly as given: the line editor already uses "\r\n". */
static void monitor_write_raw(Monitor *mon, const char *buf, size_t len)
{
    if (!len) {
        return;
    }
    if (mon->write_fn) {
        mon->write_fn(mon->write_opaque, buf, len);
        return;
    }
    if (!mon->has_fe) {
        return;
    }
    if (mon->mux_out) {
        if (mon->pending->len + len > MONITOR_PENDING_MAX) {
            return;
        }
        g_string_append_len(mon->pending, buf, len);
        return;
    }
    while (len) {
        int chunk = (int)MIN(len, (size_t)G_MAXINT / 2);

        if (char_fe_write(&mon->fe, (const uint8_t *)buf, chunk) < 0) {
            return;
        }
        buf += chunk;
        len -= chunk;
    }
}

void monitor_puts(Monitor *mon, const char *str)
{
    g_autoptr(GString) out = NULL;
    const char *p;

    if (!mon || !str || !*str) {
        return;
    }
    out = g_string_sized_new(strlen(str) + 16);
    for (p = str; *p; p++) {
        if (*p == '\n' && (p == str || p[-1] != '\r')) {
            g_string_append_c(out, '\r');
        }
        g_string_append_c(out, *p);
    }
    monitor_write_raw(mon, out->str, out->len);
}

void monitor_vprintf(Monitor *mon, const char *fmt, va_list ap)
{
    g_autofree char *s = g_strdup_vprintf(fmt, ap);

    monitor_puts(mon, s);
}

void monitor_printf(Monitor *mon, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    monitor_vprintf(mon, fmt, ap);
    va_end(ap);
}

guint monitor_history_len(Monitor *mon)
{
    return mon->rs ? readline_history_len(mon->rs) : 0;
}

const char *monitor_history_get(Monitor *mon, guint i)
{
    return mon->rs ? readline_history_get(mon->rs, i) : NULL;
}

int monitor_get_cpu_index(Monitor *mon)
{
    return mon ? mon->cpu_index : 0;
}

void monitor_set_cpu_index(Monitor *mon, int index)
{
    if (mon) {
        mon->cpu_index = index;
    }
}

void monitor_run_command(Monitor *mon, const char *cmdline)
{
    hmp_handle_command(mon, cmdline);
}

/* ---- line editor callbacks ---- */

static void monitor_rl_write(void *opaque, const char *buf, size_t len)
{
    monitor_write_raw(opaque, buf, len);
}

static void monitor_rl_line(void *opaque, const char *line)
{
    Monitor *mon = opaque;

    hmp_handle_command(mon, line);
    readline_show_prompt(mon->rs);
}

static void monitor_rl_add(void *opaque, const char *word)
{
    readline_add_completion(opaque, word);
}

static void monitor_rl_complete(void *opaque, ReadlineState *rs,
                                const char *text)
{
    hmp_complete(opaque, text, monitor_rl_add, rs);
}

/* ---- chardev frontend ---- */

static int monitor_can_read(void *opaque)
{
    return READLINE_MAX_LINE;
}

static void monitor_read(void *opaque, const uint8_t *buf, int len)
{
    Monitor *mon = opaque;

    if (len > 0) {
        readline_feed(mon->rs, buf, len);
    }
}

static void monitor_event(void *opaque, CharEvent ev)
{
    Monitor *mon = opaque;

    switch (ev) {
    case CHR_EVENT_OPENED:
        /* Every new client (socket reconnects included) gets a banner. */
        mon->opened = true;
        monitor_puts(mon, MONITOR_BANNER "\n");
        if (!mon->mux_out) {
            readline_show_prompt(mon->rs);
        }
        break;
    case CHR_EVENT_CLOSED:
        mon->opened = false;
        break;
    case CHR_EVENT_MUX_IN:
        if (!mon->mux_out) {
            break;
        }
        mon->mux_out = false;
        if (mon->pending->len) {
            g_autoptr(GString) held = g_string_new_len(mon->pending->str,
                                                       mon->pending->len);

            g_string_truncate(mon->pending, 0);
            monitor_write_raw(mon, held->str, held->len);
        }
        if (mon->opened) {
            readline_show_prompt(mon->rs);
        }
        break;
    case CHR_EVENT_MUX_OUT:
        if (mon->mux_out) {
            break;
        }
        /* Leave the prompt line so guest output starts on a clean one. */
        if (mon->opened) {
            monitor_write_raw(mon, "\r\n", 2);
        }
        mon->mux_out = true;
        break;
    case CHR_EVENT_BREAK:
    default:
        break;
    }
}

static Monitor *monitor_alloc(void)
{
    Monitor *mon = g_new0(Monitor, 1);

    mon->pending = g_string_new(NULL);
    mon->rs = readline_new(monitor_rl_write, monitor_rl_line,
                           monitor_rl_complete, mon);
    readline_set_prompt(mon->rs, MONITOR_PROMPT);
    monitor_list = g_list_prepend(monitor_list, mon);
    return mon;
}

Monitor *monitor_new_hmp(Chardev *chr, GError **errp)
{
    Monitor *mon;

    g_return_val_if_fail(chr != NULL, NULL);
    mon = monitor_alloc();
    if (!char_fe_init(&mon->fe, chr, errp)) {
        monitor_destroy(mon);
        return NULL;
    }
    mon->has_fe = true;
    mon->mux_out = !char_fe_has_focus(&mon->fe);
    /* This may deliver CHR_EVENT_OPENED (banner, prompt) at once. */
    char_fe_set_handlers(&mon->fe, monitor_can_read, monitor_read,
                         monitor_event, mon);
    return mon;
}

Monitor *monitor_new_callback(MonitorWriteFunc write_fn, void *opaque)
{
    Monitor *mon = monitor_alloc();

    mon->write_fn = write_fn;
    mon->write_opaque = opaque;
    return mon;
}

void monitor_destroy(Monitor *mon)
{
    if (!mon) {
        return;
    }
    monitor_list = g_list_remove(monitor_list, mon);
    if (mon->has_fe) {
        char_fe_deinit(&mon->fe);
    }
    readline_free(mon->rs);
    g_string_free(mon->pending, TRUE);
    g_free(mon);
}

void monitor_destroy_all(void)
{
    while (monitor_list) {
        monitor_destroy(monitor_list->data);
    }
}
