/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Deflate and gzip decoding (util/inflate.c): CRC-32 check values, raw
 * stored/fixed blocks, files made by the host's gzip (skipped without it)
 * at several levels and with a file name in the header, and one clear
 * error for each kind of damage. test-qcow2 covers the qcow2 use.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/error.h"
#include "util/inflate.h"

static char *tmpdir;

/* gzip `args` of data through the host's gzip; NULL when there is none. */
static GBytes *host_gzip(const void *data, gsize len, const char *args)
{
    g_autofree char *in = g_build_filename(tmpdir, "data.bin", NULL);
    g_autofree char *gz = g_build_filename(tmpdir, "data.bin.gz", NULL);
    g_autofree char *cmd = NULL;
    g_autofree char *prog = g_find_program_in_path("gzip");
    char *out;
    gsize out_len;
    int status;

    if (!prog) {
        return NULL;
    }
    g_assert_true(g_file_set_contents(in, data, len, NULL));
    cmd = g_strdup_printf("%s -f %s %s", prog, args, in);
    g_assert_true(g_spawn_command_line_sync(cmd, NULL, NULL, &status, NULL));
    g_assert_cmpint(status, ==, 0);
    g_assert_true(g_file_get_contents(gz, &out, &out_len, NULL));
    unlink(gz);
    return g_bytes_new_take(out, out_len);
}

/* Text with repeats and noise, so every block type and long matches appear. */
static GByteArray *make_payload(size_t len)
{
    GByteArray *b = g_byte_array_sized_new(len);
    uint32_t x = 12345;

    while (b->len < len) {
        char line[64];
        int n;

        x = x * 1103515245 + 12345;
        n = snprintf(line, sizeof(line), "line %u: the quick brown fox %08x\n",
                     b->len / 40, (x >> 8) % ((b->len & 0x4000) ? 16 : 0x7fffffff));
        g_byte_array_append(b, (const uint8_t *)line, MIN((size_t)n, len - b->len));
    }
    return b;
}

static void test_crc32(void)
{
    g_assert_cmphex(crc32_update(0, (const uint8_t *)"123456789", 9), ==, 0xcbf43926);
    g_assert_cmphex(crc32_update(0, NULL, 0), ==, 0);
    /* Incremental equals one go. */
    g_assert_cmphex(crc32_update(crc32_update(0, (const uint8_t *)"1234", 4),
                                 (const uint8_t *)"56789", 5), ==, 0xcbf43926);
}

static void test_raw(void)
{
    /* A final stored block "hello", then a fixed block of "a" x 10 (literal + match). */
    static const uint8_t stored[] = { 0x01, 0x05, 0x00, 0xfa, 0xff, 'h', 'e', 'l', 'l', 'o' };
    static const uint8_t fixed[] = { 0x4b, 0x4c, 0x84, 0x01, 0x00 };
    uint8_t out[16];

    g_assert_true(inflate_raw(stored, sizeof(stored), out, 5));
    g_assert_cmpmem(out, 5, "hello", 5);
    g_assert_false(inflate_raw(stored, sizeof(stored), out, 6));    /* too short */
    g_assert_true(inflate_raw(stored, sizeof(stored), out, 3));     /* stops when full */
    g_assert_false(inflate_raw(stored, 7, out, 5));                 /* truncated */
    g_assert_true(inflate_raw(fixed, sizeof(fixed), out, 10));
    g_assert_cmpmem(out, 10, "aaaaaaaaaa", 10);
    g_assert_false(gzip_has_magic(fixed, sizeof(fixed)));
}

static void test_gzip_roundtrip(void)
{
    const char *levels[] = { "-1", "-6", "-9", "-n -9" };
    g_autoptr(GByteArray) payload = make_payload(3 * 1024 * 1024 + 17);

    for (guint i = 0; i < G_N_ELEMENTS(levels); i++) {
        g_autoptr(GBytes) gz = host_gzip(payload->data, payload->len, levels[i]);
        g_autoptr(GBytes) out = NULL;
        GError *err = NULL;
        gsize gz_len;
        const uint8_t *gzd;

        if (!gz) {
            g_test_skip("no gzip on this host");
            return;
        }
        gzd = g_bytes_get_data(gz, &gz_len);
        g_assert_true(gzip_has_magic(gzd, gz_len));
        out = gzip_decompress(gzd, gz_len, 64 << 20, &err);
        g_assert_no_error(err);
        g_assert_cmpmem(g_bytes_get_data(out, NULL), g_bytes_get_size(out),
                        payload->data, payload->len);
    }
}

static void expect_error(const uint8_t *data, size_t len, size_t max, const char *msg)
{
    GError *err = NULL;

    g_assert_null(gzip_decompress(data, len, max, &err));
    g_assert_nonnull(err);
    g_assert_cmpstr(err->message, ==, msg);
    g_error_free(err);
}

static void test_gzip_errors(void)
{
    static const char text[] = "Tern tests gzip errors, Tern tests gzip errors.\n";
    g_autoptr(GBytes) gz = host_gzip(text, sizeof(text), "-9");
    g_autofree uint8_t *bad = NULL;
    gsize len;

    if (!gz) {
        g_test_skip("no gzip on this host");
        return;
    }
    g_bytes_get_data(gz, &len);
    bad = g_memdup2(g_bytes_get_data(gz, NULL), len);
    expect_error(bad, len, 10, "gzip: decompressed data is larger than 10 bytes");
    expect_error(bad, 1, 1000, "gzip: not a gzip file");
    expect_error(bad, len - 12, 1000, "gzip: corrupt or truncated compressed data");
    expect_error(bad, len - 6, 1000, "gzip: truncated file");     /* no trailer */
    expect_error(bad, 15, 1000, "gzip: truncated file");   /* name runs off the end */
    bad[len - 8] ^= 1;
    expect_error(bad, len, 1000, "gzip: CRC-32 mismatch");
    bad[len - 8] ^= 1;
    bad[len - 4] ^= 1;
    expect_error(bad, len, 1000,
                 "gzip: length mismatch (trailer says 48, data has 49 bytes)");
    bad[len - 4] ^= 1;
    bad[3] |= 0x80;
    expect_error(bad, len, 1000, "gzip: reserved header flags 0x88 are set");
    bad[2] = 7;
    expect_error(bad, len, 1000, "gzip: compression method 7 is not deflate");
    /* Garbage after the magic must fail cleanly, whatever it is. */
    for (int seed = 0; seed < 200; seed++) {
        GError *err = NULL;
        GBytes *out;

        memcpy(bad, g_bytes_get_data(gz, NULL), len);
        for (gsize i = 10; i < len; i++) {
            bad[i] = g_test_rand_int();
        }
        out = gzip_decompress(bad, len, 4096, &err);
        g_assert_true(out == NULL || err == NULL);
        g_clear_error(&err);
        if (out) {
            g_bytes_unref(out);
        }
    }
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    tmpdir = g_dir_make_tmp("tern-test-inflate-XXXXXX", NULL);
    g_test_add_func("/inflate/crc32", test_crc32);
    g_test_add_func("/inflate/raw", test_raw);
    g_test_add_func("/inflate/gzip-roundtrip", test_gzip_roundtrip);
    g_test_add_func("/inflate/gzip-errors", test_gzip_errors);
    ret = g_test_run();
    rmdir(tmpdir);
    g_free(tmpdir);
    return ret;
}
