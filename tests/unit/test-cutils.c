/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for the strict number and boolean parsers: every suffix,
 * fractions, overflow at the 64-bit boundary and malformed input.
 */
#include "util/cutils.h"
#include "util/error.h"

#include <string.h>

static void check_size(const char *s, uint64_t expect)
{
    uint64_t v = 0xdeadbeef;
    GError *err = NULL;

    g_assert_true(parse_size(s, &v, &err));
    g_assert_no_error(err);
    g_assert_cmpuint(v, ==, expect);
}

static void check_size_bad(const char *s)
{
    uint64_t v = 42;
    GError *err = NULL;

    g_assert_false(parse_size(s, &v, &err));
    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, TERN_ERROR_INVALID);
    g_assert_null(strchr(err->message, '\n'));
    g_assert_nonnull(strstr(err->message, s));   /* message quotes the text */
    g_assert_cmpuint(v, ==, 42);                  /* output untouched */
    g_error_free(err);
}

static void test_size_suffixes(void)
{
    check_size("0", 0);
    check_size("4096", 4096);
    check_size("7B", 7);
    check_size("7b", 7);
    check_size("64K", 64 * 1024);
    check_size("64k", 64 * 1024);
    check_size("2M", 2 * 1024 * 1024);
    check_size("2m", 2 * 1024 * 1024);
    check_size("3G", 3ull << 30);
    check_size("3g", 3ull << 30);
    check_size("5T", 5ull << 40);
    check_size("6P", 6ull << 50);
    check_size("7E", 7ull << 60);
    check_size("15E", 15ull << 60);
    check_size("0x1000", 0x1000);
    check_size("0x10M", 0x10ull << 20);
    check_size("0X20", 0x20);
}

static void test_size_fractions(void)
{
    check_size("1.5G", 3ull << 29);
    check_size("0.5K", 512);
    check_size("1.25M", 1310720);
    check_size("1.1K", 1126);     /* truncated to whole bytes */
    check_size("0.000000000000000000001E", 0);
    check_size("1.00000000000000000000000000000G", 1ull << 30);
    check_size("1.5B", 1);
    check_size_bad("1.5");        /* fraction needs a unit */
    check_size_bad("1.");
    check_size_bad(".5G");
    check_size_bad("1.5.5G");
    check_size_bad("0x1.5G");
}

static void test_size_overflow(void)
{
    check_size("18446744073709551615", UINT64_MAX);
    check_size_bad("18446744073709551616");
    check_size_bad("99999999999999999999999999");
    check_size_bad("16E");
    check_size_bad("16384P");
    check_size("15.9999999999E", 18446744073594259465ull);
    check_size("15.5E", 31ull << 59);
    check_size_bad("0x10000000000000000");
    check_size_bad("0x1T0");
}

static void test_size_garbage(void)
{
    check_size_bad("");
    check_size_bad("banana");
    check_size_bad("-1");
    check_size_bad("-1G");
    check_size_bad("+1G");
    check_size_bad(" 1G");
    check_size_bad("1G ");
    check_size_bad("1 G");
    check_size_bad("1GB");
    check_size_bad("1KiB");
    check_size_bad("1X");
    check_size_bad("G");
    check_size_bad("0x");
    check_size_bad("1e3");

    GError *err = NULL;
    uint64_t v;
    g_assert_false(parse_size(NULL, &v, &err));
    g_assert_nonnull(err);
    g_error_free(err);
    g_assert_false(parse_size("banana", &v, NULL));   /* NULL errp is fine */
}

static void test_size_unit(void)
{
    uint64_t v;

    g_assert_true(parse_size_unit("512", 1 << 20, &v, NULL));
    g_assert_cmpuint(v, ==, 512ull << 20);
    g_assert_true(parse_size_unit("1.5", 1 << 20, &v, NULL));
    g_assert_cmpuint(v, ==, 3ull << 19);
    g_assert_true(parse_size_unit("1G", 1 << 20, &v, NULL));
    g_assert_cmpuint(v, ==, 1ull << 30);
    g_assert_true(parse_size_unit("100B", 1 << 20, &v, NULL));
    g_assert_cmpuint(v, ==, 100);
    g_assert_false(parse_size_unit("17592186044416", 1 << 20, &v, NULL));
}

static void check_uint(const char *s, uint64_t expect)
{
    uint64_t v = 0;
    GError *err = NULL;

    g_assert_true(parse_uint64(s, &v, &err));
    g_assert_no_error(err);
    g_assert_cmpuint(v, ==, expect);
}

static void check_uint_bad(const char *s)
{
    uint64_t v = 42;
    GError *err = NULL;

    g_assert_false(parse_uint64(s, &v, &err));
    g_assert_nonnull(err);
    g_assert_null(strchr(err->message, '\n'));
    if (*s) {
        g_assert_nonnull(strstr(err->message, s));
    }
    g_assert_cmpuint(v, ==, 42);
    g_error_free(err);
}

static void test_uint(void)
{
    check_uint("0", 0);
    check_uint("1", 1);
    check_uint("010", 10);
    check_uint("0x10", 16);
    check_uint("0XfF", 255);
    check_uint("0xffffffffffffffff", UINT64_MAX);
    check_uint("18446744073709551615", UINT64_MAX);
    check_uint_bad("18446744073709551616");
    check_uint_bad("0x10000000000000000");
    check_uint_bad("");
    check_uint_bad("-1");
    check_uint_bad("+1");
    check_uint_bad("1K");
    check_uint_bad("0x");
    check_uint_bad("0xg");
    check_uint_bad("12abc");
    check_uint_bad(" 1");
    check_uint_bad("1.0");
}

static void test_bool(void)
{
    static const char *const t[] = { "on", "yes", "true", "y", "1", "ON", "True" };
    static const char *const f[] = { "off", "no", "false", "n", "0", "OFF", "No" };
    static const char *const bad[] = { "", "2", "onn", "of", "enable", " on" };
    bool v;

    for (size_t i = 0; i < G_N_ELEMENTS(t); i++) {
        v = false;
        g_assert_true(parse_bool(t[i], &v, NULL));
        g_assert_true(v);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(f); i++) {
        v = true;
        g_assert_true(parse_bool(f[i], &v, NULL));
        g_assert_false(v);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        GError *err = NULL;
        g_assert_false(parse_bool(bad[i], &v, &err));
        g_assert_nonnull(err);
        g_assert_null(strchr(err->message, '\n'));
        g_assert_nonnull(strstr(err->message, bad[i]));
        g_error_free(err);
    }
    g_assert_false(parse_bool(NULL, &v, NULL));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/cutils/size/suffixes", test_size_suffixes);
    g_test_add_func("/cutils/size/fractions", test_size_fractions);
    g_test_add_func("/cutils/size/overflow", test_size_overflow);
    g_test_add_func("/cutils/size/garbage", test_size_garbage);
    g_test_add_func("/cutils/size/unit", test_size_unit);
    g_test_add_func("/cutils/uint64", test_uint);
    g_test_add_func("/cutils/bool", test_bool);
    return g_test_run();
}
