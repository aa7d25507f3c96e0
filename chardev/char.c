/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Chardev core: the backend class list, the id registry, creation from
 * -chardev option strings and from the older -serial/-monitor shorthand,
 * and the frontend API that devices use. Backends live in char-*.c; this
 * file only routes bytes and events between a backend and its frontend.
 */
#include "chardev/char.h"
#include "chardev/char-fd.h"
#include "util/error.h"

#include <stdarg.h>
#include <string.h>

/* chardev/testdev.c: only the list below refers to it. */
extern const ChardevClass chardev_testdev_class;

static const ChardevClass *const builtin_classes[] = {
    &chardev_null_class,
    &chardev_stdio_class,
    &chardev_file_class,
    &chardev_pipe_class,
    &chardev_socket_class,
    &chardev_pty_class,
    &chardev_mux_class,
    &chardev_ringbuf_class,
    &chardev_memory_class,
    &chardev_testdev_class,
};

/* Classes added at run time (tests); the builtin list is fixed. */
static GPtrArray *extra_classes;
/* Registered chardevs in creation order (ids are unique). */
static GPtrArray *chardevs;

void chardev_register_class(const ChardevClass *cls)
{
    if (!extra_classes) {
        extra_classes = g_ptr_array_new();
    }
    g_ptr_array_add(extra_classes, (gpointer)cls);
}

static const ChardevClass *chardev_find_class(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(builtin_classes); i++) {
        if (!strcmp(builtin_classes[i]->name, name)) {
            return builtin_classes[i];
        }
    }
    for (guint i = 0; extra_classes && i < extra_classes->len; i++) {
        const ChardevClass *cls = g_ptr_array_index(extra_classes, i);
        if (!strcmp(cls->name, name)) {
            return cls;
        }
    }
    return NULL;
}

static void print_class(FILE *out, const ChardevClass *cls)
{
    if (!(cls->flags & CHARDEV_CLASS_HIDDEN)) {
        fprintf(out, "  %-10s %s\n", cls->name, cls->help ? cls->help : "");
    }
}

void chardev_print_help(FILE *out)
{
    fprintf(out, "Available chardev backend types:\n");
    for (size_t i = 0; i < G_N_ELEMENTS(builtin_classes); i++) {
        print_class(out, builtin_classes[i]);
    }
    for (guint i = 0; extra_classes && i < extra_classes->len; i++) {
        print_class(out, g_ptr_array_index(extra_classes, i));
    }
}

Chardev *chardev_find(const char *id)
{
    for (guint i = 0; id && chardevs && i < chardevs->len; i++) {
        Chardev *chr = g_ptr_array_index(chardevs, i);
        if (!strcmp(chr->label, id)) {
            return chr;
        }
    }
    return NULL;
}

void chardev_foreach(ChardevForeachFunc fn, void *opaque)
{
    for (guint i = 0; chardevs && i < chardevs->len; i++) {
        Chardev *chr = g_ptr_array_index(chardevs, i);
        fn(chr, chr->label, chr->filename, opaque);
    }
}

const char *chardev_label(const Chardev *chr)
{
    return chr->label;
}

const char *chardev_filename(const Chardev *chr)
{
    return chr->filename;
}

const char *chardev_backend_name(const Chardev *chr)
{
    return chr->cls->name;
}

bool chardev_wants_monitor(const Chardev *chr)
{
    return chr->wants_monitor;
}

bool chardev_is_mux(const Chardev *chr)
{
    return chr->cls == &chardev_mux_class;
}

void chardev_set_filename(Chardev *chr, const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    s = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_free(chr->filename);
    chr->filename = s;
}

/* QEMU-compatible ids: a letter, then letters, digits, '-', '.', '_'. */
static bool id_is_valid(const char *id)
{
    if (!g_ascii_isalpha(id[0])) {
        return false;
    }
    for (const char *p = id; *p; p++) {
        if (!g_ascii_isalnum(*p) && !strchr("-._", *p)) {
            return false;
        }
    }
    return true;
}

/*
 * Creates from a private copy of the options. Unknown keys are rejected
 * before the backend opens anything, so a typo never leaves a half-made
 * socket or a blocked "wait=on" server behind.
 */
static Chardev *chardev_create(const char *id, const char *backend,
                               KeyvalList *opts, const char *context,
                               GError **errp)
{
    g_autofree char *ctx = context ? g_strdup(context)
                                   : g_strdup_printf("-chardev %s", backend);
    const ChardevClass *cls = chardev_find_class(backend);
    GError *local = NULL;
    Chardev *chr;

    if (!cls) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_NOT_FOUND,
                    "%s: unknown chardev backend '%s'", ctx, backend);
        return NULL;
    }
    if (!id || !*id) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "%s: parameter 'id' is missing", ctx);
        return NULL;
    }
    if (!id_is_valid(id)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "%s: invalid id '%s'", ctx, id);
        return NULL;
    }
    if (chardev_find(id)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "chardev '%s' already exists", id);
        return NULL;
    }
    for (const char *const *p = cls->params; p && *p; p++) {
        keyval_has(opts, *p);
    }
    if (!keyval_check_unused(opts, ctx, errp)) {
        return NULL;
    }

    g_assert(cls->instance_size >= sizeof(Chardev));
    chr = g_malloc0(cls->instance_size);
    chr->cls = cls;
    chr->label = g_strdup(id);
    chr->filename = g_strdup(backend);
    g_mutex_init(&chr->lock);
    if (!cls->open(chr, opts, &local)) {
        g_propagate_prefixed_error(errp, local, "chardev '%s': ", id);
        g_mutex_clear(&chr->lock);
        g_free(chr->label);
        g_free(chr->filename);
        g_free(chr);
        return NULL;
    }
    if (!chardevs) {
        chardevs = g_ptr_array_new();
    }
    g_ptr_array_add(chardevs, chr);
    return chr;
}

Chardev *chardev_new(const char *id, const char *backend,
                     const KeyvalList *opts, GError **errp)
{
    g_autoptr(KeyvalList) copy = opts ? keyval_copy(opts) : keyval_new();

    return chardev_create(id, backend, copy, NULL, errp);
}

/* Creates BASE as "ID-base" and wraps it in a mux "ID". */
static Chardev *chardev_create_muxed(const char *id, const char *backend,
                                     KeyvalList *opts, const char *context,
                                     GError **errp)
{
    g_autofree char *base_id = NULL;
    Chardev *base, *mux;

    if (!id || !*id) {
        /* let chardev_create report the missing id with its context */
        return chardev_create(id, backend, opts, context, errp);
    }
    if (chardev_find(id)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "chardev '%s' already exists", id);
        return NULL;
    }
    base_id = g_strdup_printf("%s-base", id);
    base = chardev_create(base_id, backend, opts, context, errp);
    if (!base) {
        return NULL;
    }
    mux = chardev_mux_wrap(id, base, errp);
    if (!mux) {
        chardev_delete(base);
    }
    return mux;
}

Chardev *chardev_new_from_keyval(const KeyvalList *kv, GError **errp)
{
    g_autoptr(KeyvalList) opts = keyval_copy(kv);
    g_autofree char *backend = g_strdup(keyval_get(opts, "backend"));
    g_autofree char *id = g_strdup(keyval_get(opts, "id"));
    g_autofree char *ctx = NULL;
    bool mux;

    if (!backend || !*backend) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "-chardev: backend type is missing");
        return NULL;
    }
    ctx = g_strdup_printf("-chardev %s", backend);
    if (!keyval_get_bool(opts, "mux", false, &mux, errp)) {
        g_prefix_error(errp, "%s: ", ctx);
        return NULL;
    }
    keyval_remove(opts, "backend");
    keyval_remove(opts, "id");
    keyval_remove(opts, "mux");
    if (mux) {
        return chardev_create_muxed(id, backend, opts, ctx, errp);
    }
    return chardev_create(id, backend, opts, ctx, errp);
}

/* ---- -serial / -monitor shorthand ---- */

/*
 * "HOST:PORT" with HOST possibly empty or a bracketed IPv6 address.
 */
static bool parse_host_port(const char *addr, const char *spec,
                            KeyvalList *opts, GError **errp)
{
    g_autofree char *host = NULL;
    const char *colon;

    if (addr[0] == '[') {
        const char *close = strchr(addr, ']');
        if (!close || close[1] != ':') {
            goto bad;
        }
        host = g_strndup(addr + 1, close - addr - 1);
        colon = close + 1;
    } else {
        colon = strrchr(addr, ':');
        if (!colon) {
            goto bad;
        }
        host = g_strndup(addr, colon - addr);
    }
    if (!colon[1]) {
        goto bad;
    }
    if (*host) {
        keyval_set(opts, "host", host);
    }
    keyval_set(opts, "port", colon + 1);
    return true;

bad:
    g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                "'%s': expected [HOST]:PORT", spec);
    return false;
}

/*
 * Old-style socket flags after the address: "server", "nowait",
 * "nodelay", or any key=value the socket backend knows.
 */
static bool parse_legacy_socket_opts(const char *str, KeyvalList *opts,
                                     GError **errp)
{
    g_autoptr(KeyvalList) kv = keyval_parse(str, NULL, errp);

    if (!kv) {
        return false;
    }
    for (guint i = 0; i < keyval_count(kv); i++) {
        const char *key = keyval_key_at(kv, i);
        const char *value = keyval_value_at(kv, i);

        if (!strcmp(key, "nowait")) {
            keyval_set(opts, "wait", "off");
        } else {
            keyval_set(opts, key, value);
        }
    }
    return true;
}

static Chardev *chardev_new_mon(const char *spec, const char *id,
                                GError **errp)
{
    g_autofree char *base_id = NULL;
    GError *local = NULL;
    Chardev *base, *mux;
    bool created;

    if (!id || !*id) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "'%s': no chardev id given", spec);
        return NULL;
    }
    if (chardev_find(id)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "chardev '%s' already exists", id);
        return NULL;
    }
    created = !g_str_has_prefix(spec + 4, "chardev:");
    base_id = g_strdup_printf("%s-base", id);
    base = chardev_new_legacy(spec + 4, base_id, &local);
    if (!base) {
        if (!local) {
            g_set_error(&local, TERN_ERROR, TERN_ERROR_INVALID,
                        "'%s': a monitor needs a character device", spec);
        }
        g_propagate_error(errp, local);
        return NULL;
    }
    if (chardev_is_mux(base)) {
        /* "mon:chardev:X" where X is already a mux: just add the monitor */
        base->wants_monitor = true;
        return base;
    }
    mux = chardev_mux_wrap(id, base, errp);
    if (!mux) {
        if (created) {
            chardev_delete(base);
        }
        return NULL;
    }
    mux->wants_monitor = true;
    return mux;
}

Chardev *chardev_new_legacy(const char *spec, const char *id, GError **errp)
{
    g_autoptr(KeyvalList) opts = keyval_new();
    const char *backend = NULL;
    const char *rest;

    if (!spec || !*spec) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "empty character device specification");
        return NULL;
    }
    if (!strcmp(spec, "none")) {
        return NULL;
    }
    if (g_str_has_prefix(spec, "mon:")) {
        return chardev_new_mon(spec, id, errp);
    }
    if (g_str_has_prefix(spec, "chardev:")) {
        Chardev *chr = chardev_find(spec + 8);
        if (!chr) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_NOT_FOUND,
                        "chardev '%s' not found", spec + 8);
        }
        return chr;
    }
    if (!strcmp(spec, "null") || !strcmp(spec, "stdio") ||
        !strcmp(spec, "pty")) {
        backend = spec;
    } else if (g_str_has_prefix(spec, "file:") ||
               g_str_has_prefix(spec, "pipe:")) {
        rest = spec + 5;
        if (!*rest) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                        "'%s': missing path", spec);
            return NULL;
        }
        backend = spec[0] == 'f' ? "file" : "pipe";
        keyval_set(opts, "path", rest);
    } else if (g_str_has_prefix(spec, "tcp:") ||
               g_str_has_prefix(spec, "telnet:") ||
               g_str_has_prefix(spec, "unix:")) {
        const char *comma;
        g_autofree char *addr = NULL;

        rest = strchr(spec, ':') + 1;
        comma = strchr(rest, ',');
        addr = comma ? g_strndup(rest, comma - rest) : g_strdup(rest);
        backend = "socket";
        if (spec[0] == 'u') {
            if (!*addr) {
                g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                            "'%s': missing path", spec);
                return NULL;
            }
            keyval_set(opts, "path", addr);
        } else if (!parse_host_port(addr, spec, opts, errp)) {
            return NULL;
        }
        if (spec[1] == 'e') {
            keyval_set(opts, "telnet", "on");
        }
        if (comma && !parse_legacy_socket_opts(comma + 1, opts, errp)) {
            g_prefix_error(errp, "'%s': ", spec);
            return NULL;
        }
    } else if (!strcmp(spec, "vc") || g_str_has_prefix(spec, "vc:")) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_UNSUPPORTED,
                    "'%s': virtual consoles are not supported yet", spec);
        return NULL;
    } else {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "'%s' is not a valid character device", spec);
        return NULL;
    }
    if (!id || !*id) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "'%s': no chardev id given", spec);
        return NULL;
    }
    return chardev_create(id, backend, opts, spec, errp);
}

/* ---- lifetime ---- */

void chardev_delete(Chardev *chr)
{
    if (!chr) {
        return;
    }
    if (chardevs) {
        g_ptr_array_remove(chardevs, chr);
    }
    if (chr->cls->close) {
        chr->cls->close(chr);
    }
    if (chr->fe) {
        chr->fe->chr = NULL;
        chr->fe = NULL;
    }
    g_mutex_clear(&chr->lock);
    g_free(chr->label);
    g_free(chr->filename);
    g_free(chr);
}

void chardev_delete_all(void)
{
    /* Muxes first: deleting one releases (and may delete) its backend. */
    while (chardevs && chardevs->len) {
        Chardev *victim = g_ptr_array_index(chardevs, chardevs->len - 1);
        for (guint i = 0; i < chardevs->len; i++) {
            Chardev *chr = g_ptr_array_index(chardevs, i);
            if (chr->cls->flags & CHARDEV_CLASS_MULTI_FE) {
                victim = chr;
                break;
            }
        }
        chardev_delete(victim);
    }
}

/* ---- backend side ---- */

int chardev_be_can_read(Chardev *chr)
{
    CharFrontend *fe = chr->fe;

    if (!fe || !fe->can_read) {
        return 0;
    }
    return fe->can_read(fe->opaque);
}

void chardev_be_read(Chardev *chr, const uint8_t *buf, int len)
{
    CharFrontend *fe = chr->fe;

    if (fe && fe->read && len > 0) {
        fe->read(fe->opaque, buf, len);
    }
}

void chardev_be_event(Chardev *chr, CharEvent ev)
{
    CharFrontend *fe = chr->fe;

    if (ev == CHR_EVENT_OPENED || ev == CHR_EVENT_CLOSED) {
        bool open = ev == CHR_EVENT_OPENED;
        if (chr->be_open == open) {
            return;
        }
        chr->be_open = open;
    }
    if (fe && fe->event) {
        fe->event(fe->opaque, ev);
    }
}

int chardev_write(Chardev *chr, const uint8_t *buf, int len)
{
    int ret;

    if (len <= 0) {
        return 0;
    }
    g_mutex_lock(&chr->lock);
    ret = chr->cls->write(chr, buf, len);
    g_mutex_unlock(&chr->lock);
    /* a stalled or absent peer drops the rest: the caller never retries */
    return ret < 0 ? ret : len;
}

void chardev_accept_input(Chardev *chr)
{
    if (chr->cls->accept_input) {
        chr->cls->accept_input(chr);
    }
    /* the input watches re-check can_read when the loop wakes up */
    g_main_context_wakeup(NULL);
}

/* ---- frontend side ---- */

bool char_fe_init(CharFrontend *fe, Chardev *chr, GError **errp)
{
    g_assert(fe && chr);

    fe->chr = NULL;
    fe->can_read = NULL;
    fe->read = NULL;
    fe->event = NULL;
    fe->opaque = NULL;
    fe->tag = 0;
    if (chr->cls->flags & CHARDEV_CLASS_MULTI_FE) {
        if (!chr->cls->fe_attach(chr, fe, errp)) {
            return false;
        }
    } else {
        if (chr->fe) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                        "chardev '%s' is already in use", chr->label);
            return false;
        }
        chr->fe = fe;
    }
    fe->chr = chr;
    return true;
}

void char_fe_set_handlers(CharFrontend *fe, CharCanReadHandler can_read,
                          CharReadHandler read, CharEventHandler event,
                          void *opaque)
{
    Chardev *chr = fe->chr;

    fe->can_read = can_read;
    fe->read = read;
    fe->event = event;
    fe->opaque = opaque;
    if (!chr) {
        return;
    }
    if (chr->cls->fe_handlers_set) {
        chr->cls->fe_handlers_set(chr, fe);
    }
    if (chr->cls->update_read_handler) {
        chr->cls->update_read_handler(chr);
    }
    g_main_context_wakeup(NULL);
    if (event && chr->be_open) {
        event(opaque, CHR_EVENT_OPENED);
    }
}

int char_fe_write(CharFrontend *fe, const uint8_t *buf, int len)
{
    Chardev *chr = fe->chr;

    if (!chr) {
        return len;
    }
    return chardev_write(chr, buf, len);
}

void char_fe_accept_input(CharFrontend *fe)
{
    if (fe->chr) {
        chardev_accept_input(fe->chr);
    }
}

void char_fe_deinit(CharFrontend *fe)
{
    Chardev *chr = fe->chr;

    if (chr) {
        if (chr->cls->flags & CHARDEV_CLASS_MULTI_FE) {
            chr->cls->fe_detach(chr, fe);
        } else if (chr->fe == fe) {
            chr->fe = NULL;
        }
    }
    fe->chr = NULL;
    fe->can_read = NULL;
    fe->read = NULL;
    fe->event = NULL;
    fe->opaque = NULL;
}

bool char_fe_backend_open(const CharFrontend *fe)
{
    return fe->chr && fe->chr->be_open;
}

bool char_fe_has_focus(const CharFrontend *fe)
{
    if (!fe->chr || !chardev_is_mux(fe->chr)) {
        return true;
    }
    return chardev_mux_focus(fe->chr) == fe->tag;
}
