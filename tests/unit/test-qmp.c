/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QMP: the streaming splitter and serialiser on their own, then whole
 * sessions over real Unix socket server chardevs in a temporary directory
 * with plain client sockets driven by the test: greeting, negotiation,
 * commands, errors, events to several clients, disconnects and quit. The
 * server side runs in main_loop_wait(true) inside bounded loops.
 */
#include "monitor/qmp.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "config-host.h"
#include "monitor/monitor.h"
#include "system/cpus.h"
#include "system/main-loop.h"
#include "system/runstate.h"

/* ---- splitter ---- */

typedef struct Pieces {
    GPtrArray *texts;   /* "!" + message for errors */
} Pieces;

static void pieces_emit(void *opaque, const char *text, size_t len, const char *error)
{
    Pieces *p = opaque;

    if (error) {
        g_assert_null(text);
        g_ptr_array_add(p->texts, g_strdup_printf("!%s", error));
    } else {
        g_ptr_array_add(p->texts, g_strndup(text, len));
    }
}

static QmpSplitter *pieces_new(Pieces *p)
{
    p->texts = g_ptr_array_new_with_free_func(g_free);
    return qmp_splitter_new(pieces_emit, p);
}

static const char *piece(Pieces *p, guint i)
{
    g_assert_cmpuint(i, <, p->texts->len);
    return g_ptr_array_index(p->texts, i);
}

static void feed_str(QmpSplitter *sp, const char *s)
{
    qmp_splitter_feed(sp, s, strlen(s));
}

static void test_splitter_basic(void)
{
    Pieces p;
    QmpSplitter *sp = pieces_new(&p);

    feed_str(sp, "{\"a\":1}{\"b\":2}\r\n  [1, [2]] \n");
    g_assert_cmpuint(p.texts->len, ==, 3);
    g_assert_cmpstr(piece(&p, 0), ==, "{\"a\":1}");
    g_assert_cmpstr(piece(&p, 1), ==, "{\"b\":2}");
    g_assert_cmpstr(piece(&p, 2), ==, "[1, [2]]");

    /* Top-level scalars end at the next delimiter. */
    feed_str(sp, "42 \"s{\" true{}");
    g_assert_cmpuint(p.texts->len, ==, 7);
    g_assert_cmpstr(piece(&p, 3), ==, "42");
    g_assert_cmpstr(piece(&p, 4), ==, "\"s{\"");
    g_assert_cmpstr(piece(&p, 5), ==, "true");
    g_assert_cmpstr(piece(&p, 6), ==, "{}");
    /* a bare token is held until its delimiter arrives */
    feed_str(sp, "");
    feed_str(sp, "nul");
    g_assert_cmpuint(p.texts->len, ==, 7);
    feed_str(sp, "l\n");
    g_assert_cmpstr(piece(&p, 7), ==, "null");
    /* single-quoted strings (QEMU's extension) hide braces and '"' too */
    feed_str(sp, "{'a}\"': 'b\\'{'}");
    g_assert_cmpuint(p.texts->len, ==, 9);
    g_assert_cmpstr(piece(&p, 8), ==, "{'a}\"': 'b\\'{'}");
    qmp_splitter_free(sp);
    g_ptr_array_free(p.texts, TRUE);
}

static void test_splitter_byte_by_byte(void)
{
    const char *obj = "{\"a\": {\"b\": [1, 2, {\"c\": \"x}y]\"}]}, "
                      "\"q\": \"he said \\\"}\\\" ok\\\\\"}";
    Pieces p;
    QmpSplitter *sp = pieces_new(&p);

    for (size_t i = 0; obj[i]; i++) {
        g_assert_cmpuint(p.texts->len, ==, 0);
        qmp_splitter_feed(sp, obj + i, 1);
    }
    g_assert_cmpuint(p.texts->len, ==, 1);
    g_assert_cmpstr(piece(&p, 0), ==, obj);

    /* The same object split at every possible point. */
    for (size_t cut = 1; obj[cut]; cut++) {
        g_ptr_array_set_size(p.texts, 0);
        qmp_splitter_feed(sp, obj, cut);
        qmp_splitter_feed(sp, obj + cut, strlen(obj) - cut);
        g_assert_cmpuint(p.texts->len, ==, 1);
        g_assert_cmpstr(piece(&p, 0), ==, obj);
    }
    qmp_splitter_free(sp);
    g_ptr_array_free(p.texts, TRUE);
}

static void test_splitter_recovery(void)
{
    Pieces p;
    QmpSplitter *sp = pieces_new(&p);
    GString *deep = g_string_new(NULL);

    /* 0xFF discards a partial value. */
    feed_str(sp, "{\"a\": [1, ");
    feed_str(sp, "\xff{\"b\":1}");
    g_assert_cmpuint(p.texts->len, ==, 1);
    g_assert_cmpstr(piece(&p, 0), ==, "{\"b\":1}");

    /* A stray closer is handed on for the parser to reject. */
    feed_str(sp, "}");
    g_assert_cmpuint(p.texts->len, ==, 2);
    g_assert_cmpstr(piece(&p, 1), ==, "}");

    /* A raw newline inside a string gives up on the value. */
    feed_str(sp, "{\"a\": \"unterminated\n");
    g_assert_cmpuint(p.texts->len, ==, 3);
    g_assert_true(g_str_has_prefix(piece(&p, 2), "!JSON parse error"));
    feed_str(sp, "{}");
    g_assert_cmpstr(piece(&p, 3), ==, "{}");

    /* Too deep: one error for the whole value, then back to normal. */
    for (int i = 0; i < 1100; i++) {
        g_string_append_c(deep, '[');
    }
    for (int i = 0; i < 1100; i++) {
        g_string_append_c(deep, ']');
    }
    g_string_append(deep, "{\"ok\":true}");
    qmp_splitter_feed(sp, deep->str, deep->len);
    g_assert_cmpuint(p.texts->len, ==, 6);
    g_assert_cmpstr(piece(&p, 4), ==, "!JSON parse error, nesting too deep");
    g_assert_cmpstr(piece(&p, 5), ==, "{\"ok\":true}");

    /* reset drops a partial value */
    feed_str(sp, "{\"x\": ");
    qmp_splitter_reset(sp);
    feed_str(sp, "[]");
    g_assert_cmpuint(p.texts->len, ==, 7);
    g_assert_cmpstr(piece(&p, 6), ==, "[]");

    g_string_free(deep, TRUE);
    qmp_splitter_free(sp);
    g_ptr_array_free(p.texts, TRUE);
}

static JsonNode *parse(const char *text)
{
    g_autoptr(JsonParser) parser = json_parser_new();
    g_autoptr(GError) err = NULL;

    if (!json_parser_load_from_data(parser, text, -1, &err)) {
        return NULL;
    }
    return json_node_copy(json_parser_get_root(parser));
}

static void test_serialiser(void)
{
    JsonNode *n = parse("{\"a\": [1, 2.5, \"x\\u00e9\\n\\\"\\\\\\u0001\"], \"b\": {},"
                        " \"c\": null, \"d\": true, \"e\": [], \"f\": \"\\ud83d\\ude00\"}");
    g_autofree char *compact = NULL;
    g_autofree char *pretty = NULL;

    g_assert_nonnull(n);
    compact = qmp_json_to_string(n, false);
    g_assert_cmpstr(compact, ==,
                    "{\"a\": [1, 2.5, \"x\\u00E9\\n\\\"\\\\\\u0001\"], \"b\": {}, "
                    "\"c\": null, \"d\": true, \"e\": [], \"f\": \"\\uD83D\\uDE00\"}");
    json_node_unref(n);

    n = parse("{\"return\": {}, \"id\": [1, {\"k\": false}]}");
    pretty = qmp_json_to_string(n, true);
    g_assert_cmpstr(pretty, ==,
                    "{\n"
                    "    \"return\": {\n"
                    "    },\n"
                    "    \"id\": [\n"
                    "        1,\n"
                    "        {\n"
                    "            \"k\": false\n"
                    "        }\n"
                    "    ]\n"
                    "}");
    json_node_unref(n);
}

/* ---- sessions over sockets ---- */

typedef struct Client {
    int fd;
    GString *rx;
    GString *raw;       /* everything received, for exact comparisons */
    bool no_parse;      /* pretty output: keep bytes only */
    GQueue msgs;        /* of JsonNode*, unread */
} Client;

static char *tmpdir;
static bool saw_exit;

static void loop_once(void)
{
    main_loop_wait(true);
    saw_exit |= main_loop_should_exit();
}

static char *sock_path(const char *name)
{
    return g_build_filename(tmpdir, name, NULL);
}

static Chardev *server_new(const char *id, const char *name)
{
    g_autofree char *path = sock_path(name);
    g_autofree char *spec = g_strdup_printf("unix:%s,server=on,wait=off", path);
    g_autoptr(GError) err = NULL;
    Chardev *chr = chardev_new_legacy(spec, id, &err);

    g_assert_no_error(err);
    g_assert_nonnull(chr);
    return chr;
}

static Client *client_connect(const char *name)
{
    g_autofree char *path = sock_path(name);
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    Client *c = g_new0(Client, 1);

    g_assert_cmpuint(strlen(path), <, sizeof(sun.sun_path));
    strcpy(sun.sun_path, path);
    c->fd = socket(AF_UNIX, SOCK_STREAM, 0);
    g_assert_cmpint(c->fd, >=, 0);
    g_assert_cmpint(connect(c->fd, (struct sockaddr *)&sun, sizeof(sun)), ==, 0);
    c->rx = g_string_new(NULL);
    c->raw = g_string_new(NULL);
    g_queue_init(&c->msgs);
    return c;
}

static void client_close(Client *c)
{
    close(c->fd);
    g_string_free(c->rx, TRUE);
    g_string_free(c->raw, TRUE);
    g_queue_clear_full(&c->msgs, (GDestroyNotify)json_node_unref);
    g_free(c);
}

static void client_send(Client *c, const char *text)
{
    size_t len = strlen(text);

    g_assert_cmpint(send(c->fd, text, len, MSG_NOSIGNAL), ==, (ssize_t)len);
}

/* Moves complete "\r\n" lines from the socket into c->msgs. */
static void client_poll(Client *c, int timeout_ms)
{
    struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
    char buf[4096];
    ssize_t n;
    char *eol;

    if (poll(&pfd, 1, timeout_ms) > 0) {
        n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);
        if (n > 0) {
            g_string_append_len(c->rx, buf, n);
            g_string_append_len(c->raw, buf, n);
        }
    }
    while (!c->no_parse && (eol = strstr(c->rx->str, "\r\n"))) {
        size_t len = eol - c->rx->str;
        g_autofree char *line = g_strndup(c->rx->str, len);
        JsonNode *msg = parse(line);

        g_assert_nonnull(msg);
        g_assert_true(JSON_NODE_HOLDS_OBJECT(msg));
        g_queue_push_tail(&c->msgs, msg);
        g_string_erase(c->rx, 0, len + 2);
    }
}

/* Next message of any kind; NULL if none arrives within the bound. */
static JsonNode *client_next(Client *c)
{
    for (int i = 0; i < 1000 && g_queue_is_empty(&c->msgs); i++) {
        loop_once();
        client_poll(c, i < 10 ? 0 : 2);
    }
    return g_queue_pop_head(&c->msgs);
}

/* Next non-event message; events stay queued for client_event(). */
static JsonNode *client_reply(Client *c)
{
    for (int i = 0; i < 1000; i++) {
        for (GList *l = c->msgs.head; l; l = l->next) {
            JsonObject *o = json_node_get_object(l->data);

            if (!json_object_has_member(o, "event")) {
                JsonNode *msg = l->data;

                g_queue_delete_link(&c->msgs, l);
                return msg;
            }
        }
        loop_once();
        client_poll(c, i < 10 ? 0 : 2);
    }
    return NULL;
}

static JsonNode *client_event(Client *c, const char *name)
{
    for (int i = 0; i < 1000; i++) {
        for (GList *l = c->msgs.head; l; l = l->next) {
            JsonObject *o = json_node_get_object(l->data);

            if (json_object_has_member(o, "event") &&
                !g_strcmp0(json_object_get_string_member(o, "event"), name)) {
                JsonNode *msg = l->data;

                g_queue_delete_link(&c->msgs, l);
                return msg;
            }
        }
        loop_once();
        client_poll(c, i < 10 ? 0 : 2);
    }
    return NULL;
}

static JsonNode *client_cmd(Client *c, const char *text)
{
    client_send(c, text);
    return client_reply(c);
}

static JsonObject *expect_return(JsonNode *reply)
{
    JsonObject *o;

    g_assert_nonnull(reply);
    o = json_node_get_object(reply);
    if (!json_object_has_member(o, "return")) {
        g_autofree char *s = qmp_json_to_string(reply, false);
        g_error("expected a return, got %s", s);
    }
    return o;
}

static void expect_error(JsonNode *reply, const char *cls, const char *desc)
{
    JsonObject *o, *err;

    g_assert_nonnull(reply);
    o = json_node_get_object(reply);
    g_assert_true(json_object_has_member(o, "error"));
    err = json_object_get_object_member(o, "error");
    g_assert_cmpstr(json_object_get_string_member(err, "class"), ==, cls);
    if (desc) {
        g_assert_cmpstr(json_object_get_string_member(err, "desc"), ==, desc);
    }
    json_node_unref(reply);
}

static void expect_empty_return(JsonNode *reply)
{
    JsonObject *o = expect_return(reply);

    g_assert_true(JSON_NODE_HOLDS_OBJECT(json_object_get_member(o, "return")));
    g_assert_cmpuint(json_object_get_size(json_object_get_object_member(o, "return")), ==, 0);
    json_node_unref(reply);
}

static Client *client_ready(const char *name)
{
    Client *c = client_connect(name);
    JsonNode *greeting = client_next(c);

    g_assert_nonnull(greeting);
    g_assert_true(json_object_has_member(json_node_get_object(greeting), "QMP"));
    json_node_unref(greeting);
    expect_empty_return(client_cmd(c, "{\"execute\": \"qmp_capabilities\"}"));
    return c;
}

typedef struct Fixture {
    Chardev *chr;
    QmpSession *qmp;
} Fixture;

static void fixture_setup(Fixture *f, const char *id, const char *name, bool pretty)
{
    g_autoptr(GError) err = NULL;

    f->chr = server_new(id, name);
    f->qmp = qmp_new(f->chr, pretty, &err);
    g_assert_no_error(err);
    g_assert_nonnull(f->qmp);
    if (!runstate_is_running()) {
        vm_start();
    }
}

static void fixture_teardown(Fixture *f)
{
    qmp_destroy(f->qmp);
    chardev_delete(f->chr);
    for (int i = 0; i < 5; i++) {
        loop_once();
    }
}

static void test_greeting_negotiation(void)
{
    Fixture f;
    Client *c;
    int major = 0, minor = 0, micro = 0;
    g_autofree char *want = NULL;

    fixture_setup(&f, "qmp-greet", "greet.sock", false);
    c = client_connect("greet.sock");
    json_node_unref(client_next(c));
    sscanf(TERN_VERSION, "%d.%d.%d", &major, &minor, &micro);
    want = g_strdup_printf("{\"QMP\": {\"version\": {\"qemu\": {\"micro\": %d, \"minor\": %d, "
                           "\"major\": %d}, \"package\": \"Tern\"}, "
                           "\"capabilities\": [\"oob\"]}}\r\n",
                           micro, minor, major);
    g_assert_cmpstr(c->raw->str, ==, want);

    /* Nothing but qmp_capabilities before negotiation, known or not. */
    expect_error(client_cmd(c, "{\"execute\": \"query-status\"}"), "CommandNotFound",
                 "Expecting capabilities negotiation with 'qmp_capabilities'");
    expect_error(client_cmd(c, "{\"execute\": \"no-such\"}"), "CommandNotFound",
                 "Expecting capabilities negotiation with 'qmp_capabilities'");
    expect_error(client_cmd(c, "{\"execute\": \"qmp_capabilities\", "
                               "\"arguments\": {\"enable\": [\"bogus\"]}}"),
                 "GenericError", NULL);
    expect_empty_return(client_cmd(c, "{\"execute\": \"qmp_capabilities\", "
                                      "\"arguments\": {\"enable\": [\"oob\"]}}"));
    expect_error(client_cmd(c, "{\"execute\": \"qmp_capabilities\"}"), "CommandNotFound",
                 "Capabilities negotiation is already complete, command ignored");
    /* Raw wire format of a plain reply. */
    g_string_truncate(c->raw, 0);
    json_node_unref(client_cmd(c, "{\"execute\": \"stop\", \"id\": 7}"));
    /* As in QEMU the STOP event may come first. */
    g_assert_nonnull(strstr(c->raw->str, "\r\n{\"return\": {}, \"id\": 7}\r\n"));
    json_node_unref(client_event(c, "STOP"));
    expect_empty_return(client_cmd(c, "{\"execute\": \"cont\"}"));
    json_node_unref(client_event(c, "RESUME"));
    client_close(c);
    fixture_teardown(&f);
}

static void test_pretty(void)
{
    Fixture f;
    Client *c;

    fixture_setup(&f, "qmp-pretty", "pretty.sock", true);
    c = client_connect("pretty.sock");
    c->no_parse = true;
    for (int i = 0; i < 1000 && !strstr(c->rx->str, "\r\n}\r\n"); i++) {
        loop_once();
        client_poll(c, i < 10 ? 0 : 2);
    }
    g_assert_true(g_str_has_prefix(c->rx->str, "{\r\n    \"QMP\": {\r\n        \"version\": {"));
    g_string_truncate(c->rx, 0);
    client_send(c, "{\"execute\": \"qmp_capabilities\"}");
    for (int i = 0; i < 1000 && !strstr(c->rx->str, "\r\n}\r\n"); i++) {
        loop_once();
        client_poll(c, i < 10 ? 0 : 2);
    }
    g_assert_cmpstr(c->rx->str, ==, "{\r\n    \"return\": {\r\n    }\r\n}\r\n");
    client_close(c);
    fixture_teardown(&f);
}

static const char *ret_str(JsonNode *reply, const char *member)
{
    JsonObject *r = json_object_get_object_member(expect_return(reply), "return");

    return json_object_get_string_member(r, member);
}

static void test_commands(void)
{
    Fixture f;
    Client *c;
    JsonNode *r;
    JsonObject *o;
    JsonArray *a;
    bool found;

    fixture_setup(&f, "qmp-cmds", "cmds.sock", false);
    c = client_ready("cmds.sock");

    r = client_cmd(c, "{\"execute\": \"query-status\"}");
    o = json_object_get_object_member(expect_return(r), "return");
    g_assert_cmpstr(json_object_get_string_member(o, "status"), ==, "running");
    g_assert_true(json_object_get_boolean_member(o, "running"));
    g_assert_false(json_object_get_boolean_member(o, "singlestep"));
    json_node_unref(r);

    /* stop -> STOP and paused; cont -> RESUME and running */
    expect_empty_return(client_cmd(c, "{\"execute\": \"stop\"}"));
    r = client_event(c, "STOP");
    g_assert_nonnull(r);
    o = json_node_get_object(r);
    g_assert_true(json_object_has_member(o, "timestamp"));
    g_assert_cmpint(json_object_get_int_member(json_object_get_object_member(o, "timestamp"),
                                               "seconds"), >, 0);
    json_node_unref(r);
    r = client_cmd(c, "{\"execute\": \"query-status\"}");
    g_assert_cmpstr(ret_str(r, "status"), ==, "paused");
    json_node_unref(r);
    g_assert_cmpint(runstate_get(), ==, RUN_STATE_PAUSED);
    expect_empty_return(client_cmd(c, "{\"execute\": \"cont\"}"));
    json_node_unref(client_event(c, "RESUME"));
    g_assert_true(runstate_is_running());

    r = client_cmd(c, "{\"execute\": \"query-version\"}");
    o = json_object_get_object_member(expect_return(r), "return");
    g_assert_cmpstr(json_object_get_string_member(o, "package"), ==, "Tern");
    g_assert_true(json_object_has_member(json_object_get_object_member(o, "qemu"), "major"));
    json_node_unref(r);

    r = client_cmd(c, "{\"execute\": \"query-commands\"}");
    a = json_object_get_array_member(expect_return(r), "return");
    found = false;
    for (guint i = 0; i < json_array_get_length(a); i++) {
        const char *n = json_object_get_string_member(json_array_get_object_element(a, i),
                                                      "name");
        found |= !strcmp(n, "human-monitor-command");
    }
    g_assert_true(found);
    g_assert_cmpuint(json_array_get_length(a), >=, 19);
    json_node_unref(r);

    expect_empty_return(client_cmd(c, "{\"execute\": \"query-name\"}"));
    qmp_set_vm_name("guest-one");
    r = client_cmd(c, "{\"execute\": \"query-name\"}");
    g_assert_cmpstr(ret_str(r, "name"), ==, "guest-one");
    json_node_unref(r);
    qmp_set_vm_name(NULL);

    r = client_cmd(c, "{\"execute\": \"human-monitor-command\", "
                      "\"arguments\": {\"command-line\": \"info status\"}}");
    o = expect_return(r);
    g_assert_nonnull(strstr(json_object_get_string_member(o, "return"), "VM status: running"));
    json_node_unref(r);

    qmp_set_kvm_info(true, true);
    r = client_cmd(c, "{\"execute\": \"query-kvm\"}");
    o = json_object_get_object_member(expect_return(r), "return");
    g_assert_true(json_object_get_boolean_member(o, "enabled"));
    g_assert_true(json_object_get_boolean_member(o, "present"));
    json_node_unref(r);
    qmp_set_kvm_info(false, false);

    r = client_cmd(c, "{\"execute\": \"query-chardev\"}");
    a = json_object_get_array_member(expect_return(r), "return");
    found = false;
    for (guint i = 0; i < json_array_get_length(a); i++) {
        JsonObject *e = json_array_get_object_element(a, i);

        if (!strcmp(json_object_get_string_member(e, "label"), "qmp-cmds")) {
            found = true;
            g_assert_true(json_object_get_boolean_member(e, "frontend-open"));
            g_assert_nonnull(json_object_get_string_member(e, "filename"));
        }
    }
    g_assert_true(found);
    json_node_unref(r);

    r = client_cmd(c, "{\"execute\": \"query-block\"}");
    g_assert_cmpuint(json_array_get_length(json_object_get_array_member(expect_return(r),
                                                                        "return")), ==, 0);
    json_node_unref(r);

    /* reset and power button events */
    expect_empty_return(client_cmd(c, "{\"execute\": \"system_reset\"}"));
    r = client_event(c, "RESET");
    g_assert_nonnull(r);
    o = json_object_get_object_member(json_node_get_object(r), "data");
    g_assert_false(json_object_get_boolean_member(o, "guest"));
    g_assert_cmpstr(json_object_get_string_member(o, "reason"), ==, "host-qmp-system-reset");
    json_node_unref(r);
    expect_empty_return(client_cmd(c, "{\"execute\": \"system_powerdown\"}"));
    r = client_event(c, "POWERDOWN");
    g_assert_nonnull(r);
    g_assert_false(json_object_has_member(json_node_get_object(r), "data"));
    json_node_unref(r);

    client_close(c);
    fixture_teardown(&f);
}

static const MachineClass fake_machine = {
    .name = "qmp-test-board",
    .alias = "qtb",
    .desc = "QMP test board",
    .targets = TARGET_AARCH64,
    .is_default = false,
    .default_ram_size = 1 << 20,
    .max_cpus = 4,
    .default_cpu_type = "cortex-a57",
    .instance_size = sizeof(MachineState),
};

static void test_machines(void)
{
    JsonNode *req = parse("{\"execute\": \"query-machines\"}");
    JsonNode *r;
    JsonArray *a;
    JsonObject *m = NULL;

    if (!machine_class_find("qmp-test-board")) {
        machine_class_register(&fake_machine);
    }
    qmp_set_machine(NULL, TARGET_AARCH64);
    r = qmp_dispatch(req);
    a = json_object_get_array_member(expect_return(r), "return");
    for (guint i = 0; i < json_array_get_length(a); i++) {
        JsonObject *e = json_array_get_object_element(a, i);

        if (!strcmp(json_object_get_string_member(e, "name"), "qmp-test-board")) {
            m = e;
        }
    }
    g_assert_nonnull(m);
    g_assert_cmpstr(json_object_get_string_member(m, "alias"), ==, "qtb");
    g_assert_false(json_object_get_boolean_member(m, "is-default"));
    g_assert_cmpint(json_object_get_int_member(m, "cpu-max"), ==, 4);
    g_assert_false(json_object_get_boolean_member(m, "hotpluggable-cpus"));
    g_assert_false(json_object_get_boolean_member(m, "deprecated"));
    g_assert_cmpstr(json_object_get_string_member(m, "default-ram-id"), ==, "ram");
    json_node_unref(r);

    /* Filtered by target: an x86 binary does not list it. */
    qmp_set_machine(NULL, TARGET_X86_64);
    r = qmp_dispatch(req);
    a = json_object_get_array_member(expect_return(r), "return");
    for (guint i = 0; i < json_array_get_length(a); i++) {
        JsonObject *e = json_array_get_object_element(a, i);

        g_assert_cmpstr(json_object_get_string_member(e, "name"), !=, "qmp-test-board");
    }
    json_node_unref(r);
    qmp_set_machine(NULL, TARGET_AARCH64);
    json_node_unref(req);
}

static void add_word(void *opaque, const char *word)
{
    g_ptr_array_add(opaque, g_strdup(word));
}

static bool completes_to(const char *text, const char *word)
{
    g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func(g_free);

    hmp_complete(NULL, text, add_word, words);
    for (guint i = 0; i < words->len; i++) {
        if (!strcmp(g_ptr_array_index(words, i), word)) {
            return true;
        }
    }
    return false;
}

/* The machine's target picks the register names HMP completes. */
static void test_machine_target_hmp(void)
{
    qmp_set_machine(NULL, TARGET_X86_64);
    g_assert_true(completes_to("p $ri", "$rip"));
    g_assert_false(completes_to("p $x", "$x0"));
    qmp_set_machine(NULL, TARGET_AARCH64);
    g_assert_true(completes_to("p $x", "$x0"));
    g_assert_false(completes_to("p $r", "$rip"));
}

/* A vCPU that only ever halts: enough for thread ids and run_on_cpu. */
static int fake_exec(CPUState *cpu)
{
    return CPU_EXIT_HALTED;
}

static const AccelOps fake_ops = {
    .name = "qmp-fake",
    .vcpu_exec = fake_exec,
};

static void test_cpus_fast(void)
{
    g_autoptr(GError) err = NULL;
    JsonNode *req = parse("{\"execute\": \"query-cpus-fast\"}");
    CPUState *cpu = cpu_create(0, &fake_ops, NULL, &err);
    JsonNode *r;
    JsonArray *a;
    JsonObject *e;

    g_assert_no_error(err);
    g_assert_nonnull(cpu);
    r = qmp_dispatch(req);
    a = json_object_get_array_member(expect_return(r), "return");
    g_assert_cmpuint(json_array_get_length(a), ==, 1);
    e = json_array_get_object_element(a, 0);
    g_assert_cmpint(json_object_get_int_member(e, "cpu-index"), ==, 0);
    g_assert_cmpint(json_object_get_int_member(e, "thread-id"), >, 0);
    g_assert_cmpint(json_object_get_int_member(e, "thread-id"), !=, getpid());
    g_assert_cmpstr(json_object_get_string_member(e, "qom-path"), ==,
                    "/machine/unattached/device[0]");
    g_assert_cmpstr(json_object_get_string_member(e, "target"), ==, "aarch64");
    g_assert_true(json_object_has_member(json_object_get_object_member(e, "props"),
                                         "core-id"));
    json_node_unref(r);
    cpus_destroy_all();
    json_node_unref(req);

    /* And no vCPUs at all is an empty list. */
    req = parse("{\"execute\": \"query-cpus-fast\"}");
    r = qmp_dispatch(req);
    g_assert_cmpuint(json_array_get_length(json_object_get_array_member(expect_return(r),
                                                                        "return")), ==, 0);
    json_node_unref(r);
    json_node_unref(req);
}

static void test_errors(void)
{
    Fixture f;
    Client *c;
    JsonNode *r;
    JsonObject *o;

    fixture_setup(&f, "qmp-err", "err.sock", false);
    c = client_ready("err.sock");

    /* id comes back as given, whatever its type */
    r = client_cmd(c, "{\"execute\": \"query-name\", \"id\": 42}");
    g_assert_cmpint(json_object_get_int_member(expect_return(r), "id"), ==, 42);
    json_node_unref(r);
    r = client_cmd(c, "{\"id\": \"libvirt-7\", \"execute\": \"query-name\"}");
    g_assert_cmpstr(json_object_get_string_member(expect_return(r), "id"), ==, "libvirt-7");
    json_node_unref(r);
    r = client_cmd(c, "{\"execute\": \"no-such\", \"id\": {\"a\": [1]}}");
    o = json_node_get_object(r);
    g_assert_true(JSON_NODE_HOLDS_OBJECT(json_object_get_member(o, "id")));
    expect_error(r, "CommandNotFound", "The command no-such has not been found");

    /* Malformed JSON: an error, then the session carries on. */
    client_send(c, "{\"execute\": }");
    r = client_reply(c);
    g_assert_nonnull(r);
    o = json_object_get_object_member(json_node_get_object(r), "error");
    g_assert_true(g_str_has_prefix(json_object_get_string_member(o, "desc"),
                                   "JSON parse error, "));
    expect_error(r, "GenericError", NULL);
    expect_empty_return(client_cmd(c, "{\"execute\": \"query-name\"}"));
    client_send(c, "{\"execute\" \"x\"}\n");
    expect_error(client_reply(c), "GenericError", NULL);
    expect_empty_return(client_cmd(c, "{\"execute\": \"query-name\"}"));

    /* Input that is not an object */
    expect_error(client_cmd(c, "[1, 2]"), "GenericError", "QMP input must be a JSON object");
    expect_error(client_cmd(c, "42\n"), "GenericError", "QMP input must be a JSON object");
    expect_error(client_cmd(c, "\"execute\""), "GenericError",
                 "QMP input must be a JSON object");

    /* Request shape */
    expect_error(client_cmd(c, "{\"arguments\": {}}"), "GenericError",
                 "QMP input lacks member 'execute'");
    expect_error(client_cmd(c, "{\"execute\": 1}"), "GenericError",
                 "QMP input member 'execute' must be a string");
    expect_error(client_cmd(c, "{\"execute\": \"stop\", \"arguments\": []}"), "GenericError",
                 "QMP input member 'arguments' must be an object");
    expect_error(client_cmd(c, "{\"execute\": \"stop\", \"bogus\": 1}"), "GenericError",
                 "QMP input member 'bogus' is unexpected");
    expect_error(client_cmd(c, "{\"exec-oob\": \"query-status\"}"), "GenericError",
                 "The command query-status does not support OOB");

    /* Arguments */
    expect_error(client_cmd(c, "{\"execute\": \"human-monitor-command\", "
                               "\"arguments\": {\"command-line\": 5}}"),
                 "GenericError", "Invalid parameter type for 'command-line', expected: string");
    expect_error(client_cmd(c, "{\"execute\": \"human-monitor-command\", "
                               "\"arguments\": {\"command-line\": \"info status\", "
                               "\"cpu-index\": \"0\"}}"),
                 "GenericError", "Invalid parameter type for 'cpu-index', expected: integer");
    expect_error(client_cmd(c, "{\"execute\": \"human-monitor-command\"}"),
                 "GenericError", "Parameter 'command-line' is missing");
    expect_error(client_cmd(c, "{\"execute\": \"query-status\", \"arguments\": {\"x\": 1}}"),
                 "GenericError", "Parameter 'x' is unexpected");
    expect_error(client_cmd(c, "{\"execute\": \"unknown-cmd\"}"), "CommandNotFound",
                 "The command unknown-cmd has not been found");

    /* QEMU also takes single-quoted strings */
    r = client_cmd(c, "{'execute': 'query-name', 'id': 'a}\"b'}");
    g_assert_cmpstr(json_object_get_string_member(expect_return(r), "id"), ==, "a}\"b");
    json_node_unref(r);

    /* Everything above left the VM alone and the session usable. */
    r = client_cmd(c, "{\"execute\": \"query-status\"}");
    g_assert_cmpstr(ret_str(r, "status"), ==, "running");
    json_node_unref(r);
    client_close(c);
    fixture_teardown(&f);
}

static bool cmd_test_echo(JsonObject *args, JsonNode **ret, GError **errp)
{
    if (json_object_has_member(args, "fail")) {
        g_set_error(errp, QMP_ERROR, QMP_ERROR_DEVICE_NOT_FOUND, "Device 'x' not found");
        return false;
    }
    *ret = json_node_copy(json_object_get_member(args, "value"));
    return true;
}

static const QmpArgSpec echo_args[] = {
    { "value", QMP_ARG_ANY, false },
    { "fail", QMP_ARG_BOOL, true },
    { NULL },
};

static void test_register(void)
{
    JsonNode *req, *r;

    qmp_register_command("x-test-echo", cmd_test_echo, echo_args);
    g_assert_true(qmp_has_command("x-test-echo"));
    req = parse("{\"execute\": \"x-test-echo\", \"arguments\": {\"value\": [1, \"a\"]}}");
    r = qmp_dispatch(req);
    {
        g_autofree char *s = qmp_json_to_string(r, false);
        g_assert_cmpstr(s, ==, "{\"return\": [1, \"a\"]}");
    }
    json_node_unref(r);
    json_node_unref(req);
    req = parse("{\"execute\": \"x-test-echo\", \"arguments\": {\"value\": 1, \"fail\": true}}");
    expect_error(qmp_dispatch(req), "DeviceNotFound", "Device 'x' not found");
    json_node_unref(req);

    /* Replacing a built-in */
    qmp_register_command("query-pci", cmd_test_echo, echo_args);
    req = parse("{\"execute\": \"query-pci\"}");
    expect_error(qmp_dispatch(req), "GenericError", "Parameter 'value' is missing");
    json_node_unref(req);
    qmp_register_builtin_commands();
    qmp_unregister_command("x-test-echo");
    g_assert_false(qmp_has_command("x-test-echo"));
    req = parse("{\"execute\": \"x-test-echo\"}");
    expect_error(qmp_dispatch(req), "CommandNotFound", NULL);
    json_node_unref(req);
}

static void test_two_clients(void)
{
    Fixture f1, f2;
    Client *c1, *c2, *c3;
    g_autoptr(GError) err = NULL;
    Chardev *chr3 = server_new("qmp-three", "three.sock");
    QmpSession *s3 = qmp_new(chr3, false, &err);

    g_assert_no_error(err);
    fixture_setup(&f1, "qmp-one", "one.sock", false);
    fixture_setup(&f2, "qmp-two", "two.sock", false);
    c1 = client_ready("one.sock");
    c2 = client_ready("two.sock");
    /* Connected but not negotiated: gets no events. */
    c3 = client_connect("three.sock");
    json_node_unref(client_next(c3));

    expect_empty_return(client_cmd(c1, "{\"execute\": \"stop\"}"));
    json_node_unref(client_event(c1, "STOP"));
    {
        JsonNode *ev = client_event(c2, "STOP");

        g_assert_nonnull(ev);
        json_node_unref(ev);
    }
    expect_empty_return(client_cmd(c2, "{\"execute\": \"cont\"}"));
    json_node_unref(client_event(c1, "RESUME"));
    json_node_unref(client_event(c2, "RESUME"));

    /* c3 got nothing but the reply to its own command. */
    expect_error(client_cmd(c3, "{\"execute\": \"query-status\"}"), "CommandNotFound", NULL);
    g_assert_true(g_queue_is_empty(&c3->msgs));

    client_close(c1);
    client_close(c2);
    client_close(c3);
    fixture_teardown(&f1);
    fixture_teardown(&f2);
    qmp_destroy(s3);
    chardev_delete(chr3);
}

static void test_disconnect_midway(void)
{
    Fixture f;
    Client *c;
    JsonNode *r;

    fixture_setup(&f, "qmp-drop", "drop.sock", false);
    c = client_ready("drop.sock");
    /* Half an object, then gone. */
    client_send(c, "{\"execute\": \"query-st");
    for (int i = 0; i < 20; i++) {
        loop_once();
    }
    client_close(c);
    for (int i = 0; i < 1000 && chardev_socket_connected(f.chr); i++) {
        loop_once();
        g_usleep(i < 10 ? 0 : 1000);
    }
    g_assert_false(chardev_socket_connected(f.chr));

    /* A fresh client: new greeting, negotiation needed again, no leftovers. */
    c = client_connect("drop.sock");
    r = client_next(c);
    g_assert_nonnull(r);
    g_assert_true(json_object_has_member(json_node_get_object(r), "QMP"));
    json_node_unref(r);
    expect_error(client_cmd(c, "{\"execute\": \"query-status\"}"), "CommandNotFound",
                 "Expecting capabilities negotiation with 'qmp_capabilities'");
    expect_empty_return(client_cmd(c, "{\"execute\": \"qmp_capabilities\"}"));
    r = client_cmd(c, "{\"execute\": \"query-status\"}");
    g_assert_cmpstr(ret_str(r, "status"), ==, "running");
    json_node_unref(r);

    /* A client that goes away right after a command loses only the reply. */
    client_send(c, "{\"execute\": \"query-commands\"}");
    client_close(c);
    for (int i = 0; i < 1000 && chardev_socket_connected(f.chr); i++) {
        loop_once();
        g_usleep(i < 10 ? 0 : 1000);
    }
    c = client_ready("drop.sock");
    client_close(c);
    fixture_teardown(&f);
}

/* Last: leaves the VM shut down. */
static void test_quit(void)
{
    Fixture f;
    Client *c;
    JsonNode *r, *req;
    JsonObject *data;

    fixture_setup(&f, "qmp-quit", "quit.sock", false);
    c = client_ready("quit.sock");

    /* Posted as a request; the main loop turns it into an exit. */
    req = parse("{\"execute\": \"quit\"}");
    expect_empty_return(qmp_dispatch(req));
    json_node_unref(req);
    g_assert_true(shutdown_requested());

    saw_exit = false;
    r = client_event(c, "SHUTDOWN");
    g_assert_nonnull(r);
    data = json_object_get_object_member(json_node_get_object(r), "data");
    g_assert_false(json_object_get_boolean_member(data, "guest"));
    g_assert_cmpstr(json_object_get_string_member(data, "reason"), ==, "host-qmp-quit");
    json_node_unref(r);
    g_assert_true(saw_exit);
    g_assert_false(shutdown_requested());
    g_assert_cmpint(runstate_get(), ==, RUN_STATE_SHUTDOWN);
    /* No STOP for a host quit, as in QEMU. */
    for (int i = 0; i < 20; i++) {
        loop_once();
        client_poll(c, 0);
    }
    for (GList *l = c->msgs.head; l; l = l->next) {
        JsonObject *o = json_node_get_object(l->data);

        g_assert_cmpstr(json_object_get_string_member(o, "event"), !=, "STOP");
    }

    /* The same over the wire. */
    expect_error(client_cmd(c, "{\"execute\": \"cont\"}"), "GenericError",
                 "Resetting the Virtual Machine is required");
    expect_empty_return(client_cmd(c, "{\"execute\": \"quit\"}"));
    r = client_event(c, "SHUTDOWN");
    g_assert_nonnull(r);
    json_node_unref(r);
    client_close(c);
    fixture_teardown(&f);
}

static void test_bad_setup(void)
{
    g_autoptr(GError) err = NULL;
    Chardev *chr;
    QmpSession *s;

    g_assert_null(qmp_new(NULL, false, &err));
    g_assert_nonnull(err);
    g_clear_error(&err);

    /* A chardev that already has a frontend */
    chr = chardev_new_legacy("null", "qmp-busy", &err);
    g_assert_no_error(err);
    s = qmp_new(chr, false, &err);
    g_assert_no_error(err);
    g_assert_null(qmp_new(chr, false, &err));
    g_assert_nonnull(err);
    g_clear_error(&err);
    qmp_destroy(s);
    chardev_delete(chr);

    g_assert_null(qmp_new_legacy("nonsense-backend:x", NULL, false, &err));
    g_assert_nonnull(err);
    g_clear_error(&err);
    g_assert_null(qmp_new_legacy("none", NULL, false, &err));
    g_assert_no_error(err);

    /* The -qmp path names its chardev like QEMU does. */
    {
        g_autofree char *path = sock_path("legacy.sock");
        g_autofree char *spec = g_strdup_printf("unix:%s,server=on,wait=off", path);

        s = qmp_new_legacy(spec, NULL, false, &err);
        g_assert_no_error(err);
        g_assert_nonnull(s);
        chr = chardev_find("compat_monitor0");
        g_assert_nonnull(chr);
        qmp_destroy(s);
        chardev_delete(chr);
    }
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    bql_lock();
    tmpdir = g_dir_make_tmp("test-qmp-XXXXXX", NULL);
    g_assert_nonnull(tmpdir);

    g_test_add_func("/qmp/splitter/basic", test_splitter_basic);
    g_test_add_func("/qmp/splitter/byte-by-byte", test_splitter_byte_by_byte);
    g_test_add_func("/qmp/splitter/recovery", test_splitter_recovery);
    g_test_add_func("/qmp/serialiser", test_serialiser);
    g_test_add_func("/qmp/setup-errors", test_bad_setup);
    g_test_add_func("/qmp/greeting-negotiation", test_greeting_negotiation);
    g_test_add_func("/qmp/pretty", test_pretty);
    g_test_add_func("/qmp/commands", test_commands);
    g_test_add_func("/qmp/machines", test_machines);
    g_test_add_func("/qmp/cpus-fast", test_cpus_fast);
    g_test_add_func("/qmp/errors", test_errors);
    g_test_add_func("/qmp/register", test_register);
    g_test_add_func("/qmp/two-clients", test_two_clients);
    g_test_add_func("/qmp/disconnect", test_disconnect_midway);
    g_test_add_func("/qmp/quit", test_quit);
    g_test_add_func("/qmp/machine-target-hmp", test_machine_target_hmp);
    ret = g_test_run();

    qmp_destroy_all();
    chardev_delete_all();
    {
        g_autoptr(GDir) dir = g_dir_open(tmpdir, 0, NULL);
        const char *name;

        while (dir && (name = g_dir_read_name(dir))) {
            g_autofree char *p = g_build_filename(tmpdir, name, NULL);
            unlink(p);
        }
    }
    rmdir(tmpdir);
    g_free(tmpdir);
    return ret;
}
