/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QMP sessions, request dispatch and events. Input bytes go through a
 * streaming splitter that finds where each top-level JSON value ends, then
 * json-glib parses that one value; replies and events are written by our
 * own serialiser because clients and test suites compare against QEMU's
 * exact spacing and escaping. The command registry and the session list
 * are process-wide like the chardev and machine registries.
 */
#include "monitor/qmp.h"

#include <math.h>
#include <string.h>

#include "system/runstate.h"
#include "system/timer.h"
#include "util/error.h"

/* QEMU's limits: deeper or longer input is rejected, not buffered. */
#define QMP_MAX_DEPTH 1024
#define QMP_MAX_INPUT (64u * 1024 * 1024)

/* ---- streaming splitter ---- */

struct QmpSplitter {
    QmpSplitterFunc emit;
    void *opaque;
    GString *buf;
    int depth;
    char in_string;        /* the opening quote while inside a string */
    bool escape;
    bool in_bare;          /* top-level number/keyword: ends at a delimiter */
    const char *discard;   /* set while dropping an oversized value */
    unsigned epoch;        /* bumped by every reset */
};

QmpSplitter *qmp_splitter_new(QmpSplitterFunc emit, void *opaque)
{
    QmpSplitter *sp = g_new0(QmpSplitter, 1);

    sp->emit = emit;
    sp->opaque = opaque;
    sp->buf = g_string_new(NULL);
    return sp;
}

static void splitter_clear(QmpSplitter *sp)
{
    g_string_truncate(sp->buf, 0);
    sp->depth = 0;
    sp->in_string = 0;
    sp->escape = false;
    sp->in_bare = false;
    sp->discard = NULL;
}

void qmp_splitter_reset(QmpSplitter *sp)
{
    splitter_clear(sp);
    sp->epoch++;
}

void qmp_splitter_free(QmpSplitter *sp)
{
    if (sp) {
        g_string_free(sp->buf, TRUE);
        g_free(sp);
    }
}

static void splitter_put(QmpSplitter *sp, char c)
{
    if (sp->discard) {
        return;
    }
    if (sp->buf->len >= QMP_MAX_INPUT) {
        sp->discard = "JSON parse error, input too large";
        g_string_truncate(sp->buf, 0);
        return;
    }
    g_string_append_c(sp->buf, c);
}

/*
 * The splitter is cleared before emit runs, so emit may reset it (a client
 * went away) without confusing the state the feed loop continues with.
 */
static void splitter_finish(QmpSplitter *sp)
{
    const char *error = sp->discard;
    g_autofree char *text = NULL;
    size_t len = 0;

    if (!error) {
        len = sp->buf->len;
        text = g_strndup(sp->buf->str, len);
    }
    splitter_clear(sp);
    sp->emit(sp->opaque, text, len, error);
}

static void splitter_fail(QmpSplitter *sp, const char *error)
{
    splitter_clear(sp);
    sp->emit(sp->opaque, NULL, 0, error);
}

static bool splitter_is_delim(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '{' ||
           c == '}' || c == '[' || c == ']' || c == '"' || c == '\'' || c == ',' ||
           c == ':';
}

void qmp_splitter_feed(QmpSplitter *sp, const char *buf, size_t len)
{
    unsigned epoch = sp->epoch;

    for (size_t i = 0; i < len && sp->epoch == epoch; i++) {
        unsigned char c = (unsigned char)buf[i];

        if (c == 0xff) {
            splitter_clear(sp);
            continue;
        }
        if (sp->in_string) {
            if (sp->escape) {
                sp->escape = false;
            } else if (c == '\\') {
                sp->escape = true;
            } else if (c == (unsigned char)sp->in_string) {
                sp->in_string = 0;
            } else if (c < 0x20) {
                /*
                 * Raw control characters are invalid in JSON strings; giving
                 * up here lets a client escape an unterminated string by
                 * ending its line.
                 */
                splitter_fail(sp, "JSON parse error, invalid character in string");
                continue;
            }
            splitter_put(sp, c);
            if (!sp->in_string && sp->depth == 0) {
                splitter_finish(sp);
            }
            continue;
        }
        if (sp->in_bare) {
            if (!splitter_is_delim(c)) {
                splitter_put(sp, c);
                continue;
            }
            splitter_finish(sp);
            if (sp->epoch != epoch) {
                break;
            }
        }
        switch (c) {
        case ' ':
        case '\t':
        case '\r':
        case '\n':
            if (sp->depth > 0) {
                splitter_put(sp, c);
            }
            break;
        case '{':
        case '[':
            splitter_put(sp, c);
            if (++sp->depth > QMP_MAX_DEPTH && !sp->discard) {
                sp->discard = "JSON parse error, nesting too deep";
                g_string_truncate(sp->buf, 0);
            }
            break;
        case '}':
        case ']':
            splitter_put(sp, c);
            /* A stray closer at top level goes to the parser to complain. */
            if (sp->depth == 0 || --sp->depth == 0) {
                splitter_finish(sp);
            }
            break;
        case '"':
        case '\'':
            /* Single-quoted strings are a QEMU extension json-glib accepts. */
            splitter_put(sp, c);
            sp->in_string = (char)c;
            break;
        default:
            splitter_put(sp, c);
            if (sp->depth == 0) {
                if (c == ',' || c == ':') {
                    splitter_finish(sp);
                } else {
                    sp->in_bare = true;
                }
            }
            break;
        }
    }
}

/* ---- serialiser ---- */

static void json_put_newline(GString *out, bool pretty, int depth)
{
    if (pretty) {
        g_string_append_c(out, '\n');
        for (int i = 0; i < depth; i++) {
            g_string_append(out, "    ");
        }
    }
}

/* QEMU writes everything outside printable ASCII as \u escapes. */
static void json_put_string(GString *out, const char *s)
{
    const char *p = s;

    g_string_append_c(out, '"');
    while (*p) {
        gunichar cp = g_utf8_get_char_validated(p, -1);

        if (cp == (gunichar)-1 || cp == (gunichar)-2) {
            cp = 0xfffd;
            p++;
        } else {
            p = g_utf8_next_char(p);
        }
        switch (cp) {
        case '"':
            g_string_append(out, "\\\"");
            break;
        case '\\':
            g_string_append(out, "\\\\");
            break;
        case '\b':
            g_string_append(out, "\\b");
            break;
        case '\f':
            g_string_append(out, "\\f");
            break;
        case '\n':
            g_string_append(out, "\\n");
            break;
        case '\r':
            g_string_append(out, "\\r");
            break;
        case '\t':
            g_string_append(out, "\\t");
            break;
        default:
            if (cp >= 0x20 && cp < 0x7f) {
                g_string_append_c(out, (char)cp);
            } else if (cp > 0xffff) {
                cp -= 0x10000;
                g_string_append_printf(out, "\\u%04X\\u%04X",
                                       0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
            } else {
                g_string_append_printf(out, "\\u%04X", cp);
            }
            break;
        }
    }
    g_string_append_c(out, '"');
}

static void json_put_node(GString *out, JsonNode *node, bool pretty, int depth);

static void json_put_object(GString *out, JsonObject *obj, bool pretty, int depth)
{
    JsonObjectIter it;
    const char *name;
    JsonNode *member;
    bool first = true;

    g_string_append_c(out, '{');
    json_object_iter_init_ordered(&it, obj);
    while (json_object_iter_next_ordered(&it, &name, &member)) {
        if (!first) {
            g_string_append_c(out, ',');
        }
        if (pretty) {
            json_put_newline(out, pretty, depth + 1);
        } else if (!first) {
            g_string_append_c(out, ' ');
        }
        first = false;
        json_put_string(out, name);
        g_string_append(out, ": ");
        json_put_node(out, member, pretty, depth + 1);
    }
    json_put_newline(out, pretty, depth);
    g_string_append_c(out, '}');
}

static void json_put_array(GString *out, JsonArray *arr, bool pretty, int depth)
{
    guint n = json_array_get_length(arr);

    g_string_append_c(out, '[');
    for (guint i = 0; i < n; i++) {
        if (i) {
            g_string_append_c(out, ',');
        }
        if (pretty) {
            json_put_newline(out, pretty, depth + 1);
        } else if (i) {
            g_string_append_c(out, ' ');
        }
        json_put_node(out, json_array_get_element(arr, i), pretty, depth + 1);
    }
    json_put_newline(out, pretty, depth);
    g_string_append_c(out, ']');
}

static void json_put_value(GString *out, JsonNode *node)
{
    GType t = json_node_get_value_type(node);

    if (t == G_TYPE_INT64) {
        g_string_append_printf(out, "%" G_GINT64_FORMAT, json_node_get_int(node));
    } else if (t == G_TYPE_DOUBLE) {
        double d = json_node_get_double(node);
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        if (isfinite(d)) {
            g_string_append(out, g_ascii_formatd(buf, sizeof(buf), "%.17g", d));
        } else {
            g_string_append(out, "null");
        }
    } else if (t == G_TYPE_BOOLEAN) {
        g_string_append(out, json_node_get_boolean(node) ? "true" : "false");
    } else if (t == G_TYPE_STRING) {
        json_put_string(out, json_node_get_string(node));
    } else {
        g_string_append(out, "null");
    }
}

static void json_put_node(GString *out, JsonNode *node, bool pretty, int depth)
{
    switch (node ? json_node_get_node_type(node) : JSON_NODE_NULL) {
    case JSON_NODE_OBJECT:
        json_put_object(out, json_node_get_object(node), pretty, depth);
        break;
    case JSON_NODE_ARRAY:
        json_put_array(out, json_node_get_array(node), pretty, depth);
        break;
    case JSON_NODE_VALUE:
        json_put_value(out, node);
        break;
    case JSON_NODE_NULL:
    default:
        g_string_append(out, "null");
        break;
    }
}

char *qmp_json_to_string(JsonNode *node, bool pretty)
{
    GString *out = g_string_new(NULL);

    json_put_node(out, node, pretty, 0);
    return g_string_free(out, FALSE);
}

/* ---- registry ---- */

/* Node constructors that take over the caller's reference. */
static JsonNode *take_object(JsonObject *o)
{
    JsonNode *n = json_node_new(JSON_NODE_OBJECT);

    json_node_take_object(n, o);
    return n;
}

static JsonNode *take_array(JsonArray *a)
{
    JsonNode *n = json_node_new(JSON_NODE_ARRAY);

    json_node_take_array(n, a);
    return n;
}

typedef struct QmpCommand {
    char *name;
    QmpCommandFunc fn;
    const QmpArgSpec *args;
} QmpCommand;

/* Per-connection protocol state; qmp_dispatch() uses a throwaway one. */
typedef struct QmpContext {
    bool negotiated;
    bool oob;
} QmpContext;

struct QmpSession {
    CharFrontend fe;
    bool has_fe;
    bool pretty;
    bool connected;
    QmpContext ctx;
    QmpSplitter *sp;
};

static struct {
    /* sessions: events may come from any thread; recursive because a
     * failing write can report CHR_EVENT_CLOSED from inside char_fe_write */
    GRecMutex lock;
    GList *sessions;
    GPtrArray *commands;    /* of QmpCommand, in registration order */
    bool builtins_done;
    bool hooks_done;
    bool quitting;          /* a host shutdown event was just sent */
    unsigned next_legacy_id;
} qmp;

G_DEFINE_QUARK(qmp-error-quark, qmp_error)

static const char *const qmp_class_names[] = {
    [QMP_ERROR_GENERIC] = "GenericError",
    [QMP_ERROR_COMMAND_NOT_FOUND] = "CommandNotFound",
    [QMP_ERROR_DEVICE_NOT_ACTIVE] = "DeviceNotActive",
    [QMP_ERROR_DEVICE_NOT_FOUND] = "DeviceNotFound",
    [QMP_ERROR_KVM_MISSING_CAP] = "KVMMissingCap",
};

static void qmp_command_free(gpointer p)
{
    QmpCommand *cmd = p;

    g_free(cmd->name);
    g_free(cmd);
}

static QmpCommand *qmp_find(const char *name)
{
    if (!qmp.commands) {
        return NULL;
    }
    for (guint i = 0; i < qmp.commands->len; i++) {
        QmpCommand *cmd = g_ptr_array_index(qmp.commands, i);

        if (!strcmp(cmd->name, name)) {
            return cmd;
        }
    }
    return NULL;
}

static void qmp_ensure_builtins(void)
{
    if (!qmp.commands) {
        qmp.commands = g_ptr_array_new_with_free_func(qmp_command_free);
    }
    if (!qmp.builtins_done) {
        qmp.builtins_done = true;
        qmp_register_builtin_commands();
    }
}

void qmp_register_command(const char *name, QmpCommandFunc fn,
                          const QmpArgSpec *args)
{
    QmpCommand *cmd;

    g_assert(name && fn);
    qmp_ensure_builtins();
    cmd = qmp_find(name);
    if (!cmd) {
        cmd = g_new0(QmpCommand, 1);
        cmd->name = g_strdup(name);
        g_ptr_array_add(qmp.commands, cmd);
    }
    cmd->fn = fn;
    cmd->args = args;
}

void qmp_unregister_command(const char *name)
{
    QmpCommand *cmd;

    qmp_ensure_builtins();
    cmd = qmp_find(name);
    if (cmd) {
        g_ptr_array_remove(qmp.commands, cmd);
    }
}

bool qmp_has_command(const char *name)
{
    qmp_ensure_builtins();
    return qmp_find(name) != NULL;
}

JsonNode *qmp_command_list(void)
{
    JsonArray *arr = json_array_new();

    qmp_ensure_builtins();
    for (guint i = 0; i < qmp.commands->len; i++) {
        QmpCommand *cmd = g_ptr_array_index(qmp.commands, i);
        JsonObject *o = json_object_new();

        json_object_set_string_member(o, "name", cmd->name);
        json_array_add_object_element(arr, o);
    }
    return take_array(arr);
}

/* ---- dispatch ---- */

static JsonNode *reply_error(int cls, const char *desc, JsonNode *id)
{
    JsonObject *reply = json_object_new();
    JsonObject *err = json_object_new();

    if (cls < 0 || cls >= (int)G_N_ELEMENTS(qmp_class_names)) {
        cls = QMP_ERROR_GENERIC;
    }
    json_object_set_string_member(err, "class", qmp_class_names[cls]);
    json_object_set_string_member(err, "desc", desc);
    json_object_set_object_member(reply, "error", err);
    if (id) {
        json_object_set_member(reply, "id", json_node_copy(id));
    }
    return take_object(reply);
}

static JsonNode *reply_gerror(GError *err, JsonNode *id)
{
    int cls = err->domain == QMP_ERROR ? err->code : QMP_ERROR_GENERIC;

    return reply_error(cls, err->message, id);
}

static const char *arg_type_name(QmpArgType t)
{
    switch (t) {
    case QMP_ARG_STR:
        return "string";
    case QMP_ARG_INT:
        return "integer";
    case QMP_ARG_NUMBER:
        return "number";
    case QMP_ARG_BOOL:
        return "boolean";
    case QMP_ARG_OBJECT:
        return "object";
    case QMP_ARG_ARRAY:
        return "array";
    case QMP_ARG_ANY:
    default:
        return "any";
    }
}

static bool arg_type_ok(JsonNode *v, QmpArgType t)
{
    GType vt;

    switch (t) {
    case QMP_ARG_ANY:
        return true;
    case QMP_ARG_OBJECT:
        return JSON_NODE_HOLDS_OBJECT(v);
    case QMP_ARG_ARRAY:
        return JSON_NODE_HOLDS_ARRAY(v);
    default:
        break;
    }
    if (!JSON_NODE_HOLDS_VALUE(v)) {
        return false;
    }
    vt = json_node_get_value_type(v);
    switch (t) {
    case QMP_ARG_STR:
        return vt == G_TYPE_STRING;
    case QMP_ARG_INT:
        return vt == G_TYPE_INT64;
    case QMP_ARG_NUMBER:
        return vt == G_TYPE_INT64 || vt == G_TYPE_DOUBLE;
    case QMP_ARG_BOOL:
        return vt == G_TYPE_BOOLEAN;
    default:
        return false;
    }
}

/* Declared arguments in order first, then leftovers, as QEMU reports them. */
static bool check_args(const QmpCommand *cmd, JsonObject *args, GError **errp)
{
    JsonObjectIter it;
    const char *name;
    JsonNode *v;

    for (const QmpArgSpec *a = cmd->args; a && a->name; a++) {
        v = json_object_get_member(args, a->name);
        if (!v) {
            if (!a->optional) {
                g_set_error(errp, QMP_ERROR, QMP_ERROR_GENERIC,
                            "Parameter '%s' is missing", a->name);
                return false;
            }
            continue;
        }
        if (!arg_type_ok(v, a->type)) {
            g_set_error(errp, QMP_ERROR, QMP_ERROR_GENERIC,
                        "Invalid parameter type for '%s', expected: %s",
                        a->name, arg_type_name(a->type));
            return false;
        }
    }
    json_object_iter_init_ordered(&it, args);
    while (json_object_iter_next_ordered(&it, &name, &v)) {
        bool known = false;

        for (const QmpArgSpec *a = cmd->args; a && a->name; a++) {
            if (!strcmp(a->name, name)) {
                known = true;
                break;
            }
        }
        if (!known) {
            g_set_error(errp, QMP_ERROR, QMP_ERROR_GENERIC,
                        "Parameter '%s' is unexpected", name);
            return false;
        }
    }
    return true;
}

/* qmp_capabilities while negotiating: the only thing that changes ctx. */
static bool negotiate(QmpContext *ctx, JsonObject *args, GError **errp)
{
    JsonArray *enable = json_object_has_member(args, "enable")
                            ? json_object_get_array_member(args, "enable")
                            : NULL;
    bool oob = false;

    for (guint i = 0; enable && i < json_array_get_length(enable); i++) {
        JsonNode *v = json_array_get_element(enable, i);

        if (!JSON_NODE_HOLDS_VALUE(v) || json_node_get_value_type(v) != G_TYPE_STRING) {
            g_set_error(errp, QMP_ERROR, QMP_ERROR_GENERIC,
                        "Invalid parameter type for 'enable[%u]', expected: string", i);
            return false;
        }
        if (strcmp(json_node_get_string(v), "oob") != 0) {
            g_set_error(errp, QMP_ERROR, QMP_ERROR_GENERIC,
                        "Parameter 'enable[%u]' does not accept value '%s'", i,
                        json_node_get_string(v));
            return false;
        }
        oob = true;
    }
    ctx->negotiated = true;
    ctx->oob = oob;
    return true;
}

static JsonNode *dispatch(QmpContext *ctx, JsonNode *req)
{
    g_autoptr(GError) err = NULL;
    JsonObject *obj, *args = NULL;
    g_autoptr(JsonObject) no_args = NULL;
    JsonObjectIter it;
    const char *key, *name = NULL;
    JsonNode *v, *id, *ret = NULL;
    bool oob_req = false;
    QmpCommand *cmd;
    JsonObject *reply;

    if (!req || !JSON_NODE_HOLDS_OBJECT(req)) {
        return reply_error(QMP_ERROR_GENERIC, "QMP input must be a JSON object", NULL);
    }
    obj = json_node_get_object(req);
    id = json_object_get_member(obj, "id");

    json_object_iter_init_ordered(&it, obj);
    while (json_object_iter_next_ordered(&it, &key, &v)) {
        bool is_str = JSON_NODE_HOLDS_VALUE(v) &&
                      json_node_get_value_type(v) == G_TYPE_STRING;

        if (!strcmp(key, "execute") || !strcmp(key, "exec-oob")) {
            if (!is_str) {
                g_autofree char *msg =
                    g_strdup_printf("QMP input member '%s' must be a string", key);
                return reply_error(QMP_ERROR_GENERIC, msg, id);
            }
        } else if (!strcmp(key, "arguments")) {
            if (!JSON_NODE_HOLDS_OBJECT(v)) {
                return reply_error(QMP_ERROR_GENERIC,
                                   "QMP input member 'arguments' must be an object", id);
            }
            args = json_node_get_object(v);
        } else if (strcmp(key, "id") != 0) {
            g_autofree char *msg =
                g_strdup_printf("QMP input member '%s' is unexpected", key);
            return reply_error(QMP_ERROR_GENERIC, msg, id);
        }
    }
    if (json_object_has_member(obj, "execute") && json_object_has_member(obj, "exec-oob")) {
        return reply_error(QMP_ERROR_GENERIC,
                           "QMP input must not contain both 'execute' and 'exec-oob'", id);
    }
    if (json_object_has_member(obj, "execute")) {
        name = json_object_get_string_member(obj, "execute");
    } else if (json_object_has_member(obj, "exec-oob")) {
        name = json_object_get_string_member(obj, "exec-oob");
        oob_req = true;
    } else {
        return reply_error(QMP_ERROR_GENERIC, "QMP input lacks member 'execute'", id);
    }

    qmp_ensure_builtins();
    cmd = qmp_find(name);
    if (!ctx->negotiated && strcmp(name, "qmp_capabilities") != 0) {
        return reply_error(QMP_ERROR_COMMAND_NOT_FOUND,
                           "Expecting capabilities negotiation with 'qmp_capabilities'",
                           id);
    }
    if (!cmd) {
        g_autofree char *msg = g_strdup_printf("The command %s has not been found", name);
        return reply_error(QMP_ERROR_COMMAND_NOT_FOUND, msg, id);
    }
    if (oob_req) {
        /* No command here is safe to run out of band. */
        g_autofree char *msg = g_strdup_printf("The command %s does not support OOB", name);
        return reply_error(QMP_ERROR_GENERIC, msg, id);
    }
    if (!args) {
        args = no_args = json_object_new();
    }
    if (!check_args(cmd, args, &err)) {
        return reply_gerror(err, id);
    }
    if (!ctx->negotiated) {
        if (!negotiate(ctx, args, &err)) {
            return reply_gerror(err, id);
        }
    } else if (!cmd->fn(args, &ret, &err)) {
        if (ret) {
            json_node_unref(ret);
        }
        if (!err) {
            g_set_error(&err, QMP_ERROR, QMP_ERROR_GENERIC, "Command %s failed", name);
        }
        return reply_gerror(err, id);
    }
    reply = json_object_new();
    if (!ret) {
        ret = take_object(json_object_new());
    }
    json_object_set_member(reply, "return", ret);
    if (id) {
        json_object_set_member(reply, "id", json_node_copy(id));
    }
    return take_object(reply);
}

JsonNode *qmp_dispatch(JsonNode *request)
{
    QmpContext ctx = { .negotiated = true };

    return dispatch(&ctx, request);
}

/* ---- sessions ---- */

static void session_send(QmpSession *s, JsonNode *msg)
{
    g_autofree char *text = qmp_json_to_string(msg, s->pretty);
    GString *out = g_string_sized_new(strlen(text) + 2);

    /* Like QEMU's monitor output: every newline goes out as CR LF. */
    for (const char *p = text; *p; p++) {
        if (*p == '\n') {
            g_string_append_c(out, '\r');
        }
        g_string_append_c(out, *p);
    }
    g_string_append(out, "\r\n");
    if (s->has_fe) {
        char_fe_write(&s->fe, (const uint8_t *)out->str, (int)out->len);
    }
    g_string_free(out, TRUE);
}

static void session_greet(QmpSession *s)
{
    JsonObject *qmp_obj = json_object_new();
    JsonObject *greeting = json_object_new();
    JsonArray *caps = json_array_new();
    JsonNode *msg;

    json_array_add_string_element(caps, "oob");
    json_object_set_member(qmp_obj, "version", qmp_version_info());
    json_object_set_array_member(qmp_obj, "capabilities", caps);
    json_object_set_object_member(greeting, "QMP", qmp_obj);
    msg = take_object(greeting);
    session_send(s, msg);
    json_node_unref(msg);
}

/* Strips json-glib's "<data>:LINE:COL: Parse error: " decoration. */
static const char *parse_error_text(const char *msg)
{
    const char *p = strstr(msg, "error: ");

    return p ? p + strlen("error: ") : msg;
}

static void session_input(void *opaque, const char *text, size_t len,
                          const char *error)
{
    QmpSession *s = opaque;
    JsonNode *reply;

    if (error) {
        reply = reply_error(QMP_ERROR_GENERIC, error, NULL);
    } else {
        g_autoptr(JsonParser) parser = json_parser_new();
        g_autoptr(GError) err = NULL;

        if (!json_parser_load_from_data(parser, text, (gssize)len, &err)) {
            g_autofree char *msg =
                g_strdup_printf("JSON parse error, %s", parse_error_text(err->message));
            reply = reply_error(QMP_ERROR_GENERIC, msg, NULL);
        } else {
            reply = dispatch(&s->ctx, json_parser_get_root(parser));
        }
    }
    session_send(s, reply);
    json_node_unref(reply);
}

static int session_can_read(void *opaque)
{
    return 4096;
}

static void session_read(void *opaque, const uint8_t *buf, int len)
{
    QmpSession *s = opaque;

    qmp_splitter_feed(s->sp, (const char *)buf, (size_t)len);
}

static void session_restart(QmpSession *s, bool connected)
{
    g_rec_mutex_lock(&qmp.lock);
    s->connected = connected;
    s->ctx.negotiated = false;
    s->ctx.oob = false;
    g_rec_mutex_unlock(&qmp.lock);
    qmp_splitter_reset(s->sp);
}

static void session_event(void *opaque, CharEvent ev)
{
    QmpSession *s = opaque;

    switch (ev) {
    case CHR_EVENT_OPENED:
        session_restart(s, true);
        session_greet(s);
        break;
    case CHR_EVENT_CLOSED:
        session_restart(s, false);
        break;
    default:
        break;
    }
}

static void qmp_events_init(void);

QmpSession *qmp_new(Chardev *chr, bool pretty, GError **errp)
{
    QmpSession *s;

    if (!chr) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "qmp: no chardev given");
        return NULL;
    }
    qmp_ensure_builtins();
    qmp_events_init();
    s = g_new0(QmpSession, 1);
    s->pretty = pretty;
    s->sp = qmp_splitter_new(session_input, s);
    if (!char_fe_init(&s->fe, chr, errp)) {
        qmp_splitter_free(s->sp);
        g_free(s);
        return NULL;
    }
    s->has_fe = true;
    g_rec_mutex_lock(&qmp.lock);
    qmp.sessions = g_list_append(qmp.sessions, s);
    g_rec_mutex_unlock(&qmp.lock);
    /* May deliver CHR_EVENT_OPENED (and the greeting) right away. */
    char_fe_set_handlers(&s->fe, session_can_read, session_read, session_event, s);
    return s;
}

QmpSession *qmp_new_legacy(const char *spec, const char *id, bool pretty,
                           GError **errp)
{
    g_autofree char *auto_id = NULL;
    unsigned n = qmp.next_legacy_id;
    Chardev *chr;
    QmpSession *s;

    if (!id) {
        do {
            g_free(auto_id);
            auto_id = g_strdup_printf("compat_monitor%u", n++);
        } while (chardev_find(auto_id));
        id = auto_id;
    }
    chr = chardev_new_legacy(spec, id, errp);
    if (!chr) {
        /* "none" means no monitor and is not an error */
        return NULL;
    }
    if (auto_id) {
        qmp.next_legacy_id = n;
    }
    s = qmp_new(chr, pretty, errp);
    /* "chardev:ID" named an existing chardev that is not ours to delete */
    if (!s && !g_str_has_prefix(spec, "chardev:")) {
        chardev_delete(chr);
    }
    return s;
}

void qmp_destroy(QmpSession *s)
{
    if (!s) {
        return;
    }
    g_rec_mutex_lock(&qmp.lock);
    qmp.sessions = g_list_remove(qmp.sessions, s);
    g_rec_mutex_unlock(&qmp.lock);
    if (s->has_fe) {
        char_fe_deinit(&s->fe);
    }
    qmp_splitter_free(s->sp);
    g_free(s);
}

void qmp_destroy_all(void)
{
    while (qmp.sessions) {
        qmp_destroy(qmp.sessions->data);
    }
}

/* ---- events ---- */

void qmp_event_emit(const char *name, JsonNode *data)
{
    JsonObject *ev = json_object_new();
    JsonObject *ts = json_object_new();
    int64_t now = clock_get_ns(TERN_CLOCK_HOST);
    JsonNode *msg;

    json_object_set_int_member(ts, "seconds", now / NS_PER_SEC);
    json_object_set_int_member(ts, "microseconds", (now % NS_PER_SEC) / NS_PER_US);
    json_object_set_object_member(ev, "timestamp", ts);
    json_object_set_string_member(ev, "event", name);
    if (data) {
        json_object_set_member(ev, "data", data);
    }
    msg = take_object(ev);

    g_rec_mutex_lock(&qmp.lock);
    for (GList *l = qmp.sessions; l; l = l->next) {
        QmpSession *s = l->data;

        if (s->connected && s->ctx.negotiated) {
            session_send(s, msg);
        }
    }
    g_rec_mutex_unlock(&qmp.lock);
    json_node_unref(msg);
}

static JsonNode *cause_data(ShutdownCause cause)
{
    JsonObject *o = json_object_new();

    json_object_set_boolean_member(o, "guest", shutdown_cause_is_guest(cause));
    json_object_set_string_member(o, "reason", shutdown_cause_name(cause));
    return take_object(o);
}

static void on_runstate(void *opaque, bool running, RunState st)
{
    if (running) {
        qmp.quitting = false;
        qmp_event_emit("RESUME", NULL);
        return;
    }
    /* QEMU sends no STOP for the guest being torn down on a host quit. */
    if (st == RUN_STATE_SHUTDOWN && qmp.quitting) {
        qmp.quitting = false;
        return;
    }
    qmp_event_emit("STOP", NULL);
}

static void on_shutdown(void *opaque, ShutdownCause cause)
{
    /* Host-side causes always end the process (no -no-shutdown for them). */
    qmp.quitting = !shutdown_cause_is_guest(cause);
    qmp_event_emit("SHUTDOWN", cause_data(cause));
}

static void on_reset(void *opaque, ShutdownCause cause)
{
    qmp_event_emit("RESET", cause_data(cause));
}

static void on_powerdown(void *opaque)
{
    qmp_event_emit("POWERDOWN", NULL);
}

/* The runstate lists have no removal for most hooks: register once. */
static void qmp_events_init(void)
{
    if (qmp.hooks_done) {
        return;
    }
    qmp.hooks_done = true;
    runstate_add_notifier(on_runstate, NULL);
    runstate_add_shutdown_notifier(on_shutdown, NULL);
    runstate_add_reset_notifier(on_reset, NULL);
    runstate_add_powerdown_notifier(on_powerdown, NULL);
}
