/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for QEMU-style option strings: implied keys, ",," escapes,
 * bare flags, duplicates, help detection, unused-key reporting and the
 * canonical string form.
 */
#include "util/keyval.h"
#include "util/error.h"

#include <string.h>

static KeyvalList *parse_ok(const char *s, const char *implied)
{
    GError *err = NULL;
    KeyvalList *kv = keyval_parse(s, implied, &err);

    g_assert_no_error(err);
    g_assert_nonnull(kv);
    return kv;
}

static void parse_bad(const char *s, const char *implied)
{
    GError *err = NULL;
    KeyvalList *kv = keyval_parse(s, implied, &err);

    g_assert_null(kv);
    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, TERN_ERROR_INVALID);
    g_assert_null(strchr(err->message, '\n'));
    g_assert_false(g_str_has_suffix(err->message, "."));
    g_error_free(err);
}

static void test_implied(void)
{
    g_autoptr(KeyvalList) kv = parse_ok("virtio-net-pci,netdev=n0,mac=52:54:00:12:34:56",
                                        "driver");

    g_assert_cmpuint(keyval_count(kv), ==, 3);
    g_assert_cmpstr(keyval_key_at(kv, 0), ==, "driver");
    g_assert_cmpstr(keyval_value_at(kv, 0), ==, "virtio-net-pci");
    g_assert_cmpstr(keyval_get(kv, "netdev"), ==, "n0");
    g_assert_cmpstr(keyval_get(kv, "mac"), ==, "52:54:00:12:34:56");
    g_assert_null(keyval_get(kv, "nope"));
    g_assert_false(keyval_has(kv, "nope"));

    /* an explicit key=value first element does not use the implied key */
    g_autoptr(KeyvalList) kv2 = parse_ok("driver=e1000,id=x", "driver");
    g_assert_cmpstr(keyval_get(kv2, "driver"), ==, "e1000");
    g_assert_cmpuint(keyval_count(kv2), ==, 2);

    /* without an implied key a bare first element is a flag */
    g_autoptr(KeyvalList) kv3 = parse_ok("readonly,file=a.img", NULL);
    g_assert_cmpstr(keyval_get(kv3, "readonly"), ==, "on");
    g_assert_cmpstr(keyval_get(kv3, "file"), ==, "a.img");

    /* only the first element may be implied */
    g_autoptr(KeyvalList) kv4 = parse_ok("a=1,b", "type");
    g_assert_null(keyval_get(kv4, "type"));
    g_assert_cmpstr(keyval_get(kv4, "b"), ==, "on");
}

static void test_escape(void)
{
    g_autoptr(KeyvalList) kv = parse_ok("file=a,,b.img,if=none,x=,,", NULL);
    g_assert_cmpstr(keyval_get(kv, "file"), ==, "a,b.img");
    g_assert_cmpstr(keyval_get(kv, "if"), ==, "none");
    g_assert_cmpstr(keyval_get(kv, "x"), ==, ",");

    g_autoptr(KeyvalList) kv2 = parse_ok("a,,b,c=d", "path");
    g_assert_cmpstr(keyval_get(kv2, "path"), ==, "a,b");
    g_assert_cmpstr(keyval_get(kv2, "c"), ==, "d");

    /* the implied value may contain '=' after an escaped comma */
    g_autoptr(KeyvalList) kv3 = parse_ok(",,x=y", "path");
    g_assert_cmpstr(keyval_get(kv3, "path"), ==, ",x=y");

    /* values may contain '=' */
    g_autoptr(KeyvalList) kv4 = parse_ok("append=console=ttyS0 root=/dev/vda", NULL);
    g_assert_cmpstr(keyval_get(kv4, "append"), ==, "console=ttyS0 root=/dev/vda");

    g_autoptr(KeyvalList) kv5 = parse_ok("a=,,,,,b=2", NULL);
    g_assert_cmpstr(keyval_get(kv5, "a"), ==, ",,");
    g_assert_cmpstr(keyval_get(kv5, "b"), ==, "2");
}

static void test_flags(void)
{
    g_autoptr(KeyvalList) kv = parse_ok("socket,id=c0,server,wait=off,telnet", "backend");
    bool b;

    g_assert_cmpstr(keyval_get(kv, "backend"), ==, "socket");
    g_assert_cmpstr(keyval_get(kv, "server"), ==, "on");
    g_assert_true(keyval_get_bool(kv, "server", false, &b, NULL));
    g_assert_true(b);
    g_assert_true(keyval_get_bool(kv, "wait", true, &b, NULL));
    g_assert_false(b);
    g_assert_true(keyval_get_bool(kv, "telnet", false, &b, NULL));
    g_assert_true(b);
    g_assert_true(keyval_get_bool(kv, "absent", true, &b, NULL));
    g_assert_true(b);
    g_assert_true(keyval_check_unused(kv, "-chardev socket", NULL) == false);
}

static void test_typed(void)
{
    g_autoptr(KeyvalList) kv = parse_ok("size=2G,slots=4,maxmem=0x1000,on=maybe,n=12x",
                                        NULL);
    uint64_t v;
    bool b;
    GError *err = NULL;

    g_assert_true(keyval_get_size(kv, "size", 0, &v, NULL));
    g_assert_cmpuint(v, ==, 2ull << 30);
    g_assert_true(keyval_get_uint(kv, "slots", 0, &v, NULL));
    g_assert_cmpuint(v, ==, 4);
    g_assert_true(keyval_get_uint(kv, "maxmem", 0, &v, NULL));
    g_assert_cmpuint(v, ==, 0x1000);
    g_assert_true(keyval_get_uint(kv, "absent", 77, &v, NULL));
    g_assert_cmpuint(v, ==, 77);
    g_assert_true(keyval_get_size(kv, "absent", 99, &v, NULL));
    g_assert_cmpuint(v, ==, 99);

    g_assert_false(keyval_get_bool(kv, "on", false, &b, &err));
    g_assert_nonnull(strstr(err->message, "'on'"));
    g_assert_nonnull(strstr(err->message, "maybe"));
    g_clear_error(&err);
    g_assert_false(keyval_get_uint(kv, "n", 0, &v, &err));
    g_assert_nonnull(strstr(err->message, "'n'"));
    g_assert_nonnull(strstr(err->message, "12x"));
    g_clear_error(&err);
    g_assert_false(keyval_get_size(kv, "n", 0, &v, &err));
    g_assert_null(strchr(err->message, '\n'));
    g_clear_error(&err);
}

static void test_duplicates(void)
{
    g_autoptr(KeyvalList) kv = parse_ok("a=1,b=2,a=3,a=4", NULL);

    g_assert_cmpuint(keyval_count(kv), ==, 4);
    g_assert_cmpstr(keyval_get(kv, "a"), ==, "4");
    g_assert_cmpstr(keyval_key_at(kv, 0), ==, "a");
    g_assert_cmpstr(keyval_value_at(kv, 0), ==, "1");
    g_assert_cmpstr(keyval_value_at(kv, 2), ==, "3");
    g_assert_cmpstr(keyval_value_at(kv, 3), ==, "4");

    keyval_set(kv, "a", "9");
    g_assert_cmpuint(keyval_count(kv), ==, 2);
    g_assert_cmpstr(keyval_key_at(kv, 0), ==, "a");
    g_assert_cmpstr(keyval_value_at(kv, 0), ==, "9");
    g_assert_cmpstr(keyval_get(kv, "a"), ==, "9");

    keyval_set(kv, "c", "new");
    g_assert_cmpuint(keyval_count(kv), ==, 3);
    g_assert_cmpstr(keyval_key_at(kv, 2), ==, "c");

    keyval_append(kv, "c", "again");
    g_assert_cmpuint(keyval_count(kv), ==, 4);
    g_assert_cmpstr(keyval_get(kv, "c"), ==, "again");

    keyval_remove(kv, "c");
    g_assert_cmpuint(keyval_count(kv), ==, 2);
    g_assert_false(keyval_has(kv, "c"));
    keyval_remove(kv, "absent");
    g_assert_cmpuint(keyval_count(kv), ==, 2);
}

static void test_help(void)
{
    static const struct {
        const char *str;
        const char *implied;
        bool help;
    } cases[] = {
        { "help", "type", true },
        { "?", "type", true },
        { "e1000,help", "driver", true },
        { "e1000,?", "driver", true },
        { "help", NULL, true },
        { "file=x,help", NULL, true },
        { "e1000", "driver", false },
        { "e1000,id=help", "driver", false },
        { "helpful", "type", false },
        { "", "type", false },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(KeyvalList) kv = parse_ok(cases[i].str, cases[i].implied);
        g_assert_cmpint(keyval_is_help(kv), ==, cases[i].help);
    }

    g_autoptr(KeyvalList) kv = parse_ok("e1000,help", "driver");
    g_assert_cmpstr(keyval_get(kv, "driver"), ==, "e1000");
}

static void test_unused(void)
{
    g_autoptr(KeyvalList) kv = parse_ok("socket,id=c0,foo=1,bar=2", "backend");
    GError *err = NULL;

    g_assert_false(keyval_check_unused(kv, "-chardev socket", &err));
    g_assert_cmpstr(err->message, ==, "-chardev socket: unknown parameter 'backend'");
    g_clear_error(&err);

    keyval_get(kv, "backend");
    keyval_has(kv, "id");
    g_assert_false(keyval_check_unused(kv, "-chardev socket", &err));
    g_assert_cmpstr(err->message, ==, "-chardev socket: unknown parameter 'foo'");
    g_clear_error(&err);

    keyval_get(kv, "foo");
    g_assert_false(keyval_check_unused(kv, NULL, &err));
    g_assert_cmpstr(err->message, ==, "unknown parameter 'bar'");
    g_clear_error(&err);

    g_assert_cmpstr(keyval_value_at(kv, 3), ==, "2");
    g_assert_true(keyval_check_unused(kv, "-chardev socket", &err));
    g_assert_no_error(err);

    /* duplicates: reading the key consumes every occurrence */
    g_autoptr(KeyvalList) dup = parse_ok("a=1,a=2", NULL);
    keyval_get(dup, "a");
    g_assert_true(keyval_check_unused(dup, "x", NULL));

    /* a copy keeps used flags; set() resets them */
    g_autoptr(KeyvalList) copy = keyval_copy(dup);
    g_assert_true(keyval_check_unused(copy, "x", NULL));
    keyval_set(copy, "a", "3");
    g_assert_false(keyval_check_unused(copy, "x", NULL));
    g_assert_true(keyval_check_unused(dup, "x", NULL));
}

static void test_empty_and_commas(void)
{
    g_autoptr(KeyvalList) empty = parse_ok("", "type");
    g_assert_cmpuint(keyval_count(empty), ==, 0);
    g_autoptr(KeyvalList) null = parse_ok(NULL, NULL);
    g_assert_cmpuint(keyval_count(null), ==, 0);
    g_assert_true(keyval_check_unused(empty, "x", NULL));

    /* a single trailing comma is tolerated */
    g_autoptr(KeyvalList) tr = parse_ok("a=1,", NULL);
    g_assert_cmpuint(keyval_count(tr), ==, 1);
    g_assert_cmpstr(keyval_get(tr, "a"), ==, "1");
    g_autoptr(KeyvalList) tr2 = parse_ok("pc,", "type");
    g_assert_cmpstr(keyval_get(tr2, "type"), ==, "pc");
    g_autoptr(KeyvalList) tr3 = parse_ok("pc,flag,", "type");
    g_assert_cmpstr(keyval_get(tr3, "flag"), ==, "on");

    /* empty values are allowed */
    g_autoptr(KeyvalList) ev = parse_ok("a=,b=2", NULL);
    g_assert_cmpstr(keyval_get(ev, "a"), ==, "");

    parse_bad("=value", NULL);
    parse_bad("=value", "type");
    parse_bad("a=1,=2", NULL);
    parse_bad(",a=1", NULL);
    parse_bad(",a=1", "type");
    parse_bad("flag,,x", NULL);
    parse_bad("a=1,flag,,x", "type");
    parse_bad(",", NULL);

    GError *err = NULL;
    g_assert_null(keyval_parse("id=x,=oops", NULL, &err));
    g_assert_nonnull(strstr(err->message, "oops"));
    g_clear_error(&err);
}

static void round_trip(const char *s, const char *implied, const char *canon)
{
    g_autoptr(KeyvalList) kv = parse_ok(s, implied);
    g_autofree char *str = keyval_to_string(kv);

    g_assert_cmpstr(str, ==, canon);

    g_autoptr(KeyvalList) back = parse_ok(str, NULL);
    g_assert_cmpuint(keyval_count(back), ==, keyval_count(kv));
    for (guint i = 0; i < keyval_count(kv); i++) {
        g_assert_cmpstr(keyval_key_at(back, i), ==, keyval_key_at(kv, i));
        g_assert_cmpstr(keyval_value_at(back, i), ==, keyval_value_at(kv, i));
    }
}

static void test_to_string(void)
{
    round_trip("", NULL, "");
    round_trip("a=1", NULL, "a=1");
    round_trip("pc,accel=kvm,x", "type", "type=pc,accel=kvm,x=on");
    round_trip("file=a,,b,,,,c,if=none", NULL, "file=a,,b,,,,c,if=none");
    round_trip("a,,b,c=", "path", "path=a,,b,c=");
    round_trip("a=1,a=2,a=1", NULL, "a=1,a=2,a=1");
    round_trip("k=x=y,z", NULL, "k=x=y,z=on");

    g_autoptr(KeyvalList) kv = keyval_new();
    keyval_append(kv, "p", "a,b");
    keyval_append(kv, "q", "");
    g_autofree char *s = keyval_to_string(kv);
    g_assert_cmpstr(s, ==, "p=a,,b,q=");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/keyval/implied", test_implied);
    g_test_add_func("/keyval/escape", test_escape);
    g_test_add_func("/keyval/flags", test_flags);
    g_test_add_func("/keyval/typed", test_typed);
    g_test_add_func("/keyval/duplicates", test_duplicates);
    g_test_add_func("/keyval/help", test_help);
    g_test_add_func("/keyval/unused", test_unused);
    g_test_add_func("/keyval/empty", test_empty_and_commas);
    g_test_add_func("/keyval/to_string", test_to_string);
    return g_test_run();
}
