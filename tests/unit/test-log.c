/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tests for -d/-D logging and for the capstone disassembler wrapper:
 * item parsing including bad items and the help text, output to a file,
 * silence when disabled, concurrent writers, known instruction encodings
 * and garbage input.
 */
#include "util/disas.h"
#include "util/log.h"
#include "util/error.h"

#include <glib/gstdio.h>
#include <string.h>

static char *tmp_dir;

static char *tmp_path(const char *name)
{
    char *dir = tmp_dir;

    if (!dir) {
        dir = g_dir_make_tmp("test-log-XXXXXX", NULL);
        g_assert_nonnull(dir);
        tmp_dir = dir;
    }
    return g_build_filename(dir, name, NULL);
}

static char *read_all(const char *path)
{
    char *text = NULL;

    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    return text;
}

static void test_items(void)
{
    GError *err = NULL;
    uint32_t m = 0;

    g_assert_true(log_parse_items("int", &m, &err));
    g_assert_no_error(err);
    g_assert_cmphex(m, ==, LOG_INT);
    g_assert_true(log_parse_items("guest_errors,unimp,in_asm,out_asm,op,op_opt,exec,cpu,mmu,"
                                  "page,reset,kvm,trace,int", &m, &err));
    g_assert_cmphex(m, ==, (LOG_TRACE << 1) - 1);   /* every item, every bit */

    g_assert_true(log_set_items("cpu,mmu", &err));
    g_assert_true(log_enabled(LOG_CPU));
    g_assert_true(log_enabled(LOG_MMU | LOG_INT));
    g_assert_false(log_enabled(LOG_INT));

    g_assert_false(log_set_items("foo", &err));
    g_assert_error(err, TERN_ERROR, TERN_ERROR_INVALID);
    g_assert_cmpstr(err->message, ==, "-d foo: unknown log item 'foo'");
    g_clear_error(&err);
    /* A failed parse leaves the previous mask alone. */
    g_assert_cmphex(log_mask_enabled, ==, LOG_CPU | LOG_MMU);

    g_assert_false(log_set_items("int,bogus,cpu", &err));
    g_assert_cmpstr(err->message, ==, "-d int,bogus,cpu: unknown log item 'bogus'");
    g_clear_error(&err);
    g_assert_false(log_set_items("INT", &err));     /* names are case-sensitive */
    g_clear_error(&err);
    g_assert_false(log_set_items("help", &err));    /* main handles help itself */
    g_clear_error(&err);
    g_assert_false(log_set_items("int,,cpu", &err));
    g_assert_nonnull(strstr(err->message, "empty log item"));
    g_clear_error(&err);
    g_assert_false(log_set_items("", &err));
    g_clear_error(&err);
    g_assert_false(log_set_items(NULL, NULL));
    g_assert_cmphex(log_mask_enabled, ==, LOG_CPU | LOG_MMU);
    log_set_mask(0);
}

static void test_help(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    log_print_items(f);
    fclose(f);
    g_assert_true(g_str_has_prefix(buf, "Log items (comma separated):\n"));
    g_assert_nonnull(strstr(buf, "\nin_asm          show guest assembly code"));
    g_assert_nonnull(strstr(buf, "\nguest_errors    "));
    g_assert_nonnull(strstr(buf, "\nunimp           "));
    g_assert_nonnull(strstr(buf, "\nkvm             "));
    g_assert_nonnull(strstr(buf, "\ntrace           "));
    free(buf);
}

static void test_file(void)
{
    char *path = tmp_path("out.log");
    GError *err = NULL;
    char *text;

    g_assert_true(log_set_file(path, &err));
    g_assert_no_error(err);
    g_assert_cmpstr(log_file_path(), ==, path);

    log_set_mask(LOG_INT | LOG_GUEST_ERROR);
    log_mask(LOG_INT, "irq %d\n", 5);
    log_mask(LOG_CPU, "cpu dump should not appear\n");     /* disabled */
    log_guest_error("bad register 0x%x\n", 0x40);
    log_printf("plain\n");
    {
        FILE *f = log_lock();

        fprintf(f, "multi ");
        log_printf("line\n");   /* allowed while holding the lock */
        log_unlock();
    }
    log_flush();
    /* Line-buffered: complete lines are already in the file. */
    text = read_all(path);
    g_assert_cmpstr(text, ==, "irq 5\nbad register 0x40\nplain\nmulti line\n");
    g_free(text);

    /* Nothing at all when logging is off. */
    log_set_mask(0);
    log_mask(LOG_INT, "silent\n");
    log_guest_error("silent\n");
    log_flush();
    text = read_all(path);
    g_assert_null(strstr(text, "silent"));
    g_free(text);

    /* A new -D truncates; NULL goes back to stderr. */
    g_assert_true(log_set_file(path, &err));
    g_assert_true(log_set_file(NULL, &err));
    g_assert_null(log_file_path());
    text = read_all(path);
    g_assert_cmpstr(text, ==, "");
    g_free(text);
    g_unlink(path);
    g_free(path);
}

static void test_file_error(void)
{
    GError *err = NULL;

    g_assert_false(log_set_file("/nonexistent-dir/x/tern.log", &err));
    g_assert_error(err, TERN_ERROR, TERN_ERROR_IO);
    g_assert_true(g_str_has_prefix(err->message, "-D /nonexistent-dir/x/tern.log: "));
    g_clear_error(&err);
    /* Still logging to stderr. */
    g_assert_null(log_file_path());
}

enum { THREADS = 4, LINES = 2000 };

static gpointer writer(gpointer opaque)
{
    int id = GPOINTER_TO_INT(opaque);

    for (int i = 0; i < LINES; i++) {
        log_mask(LOG_EXEC, "thread %d line %d %s\n", id, i, "padding-padding-padding");
    }
    return NULL;
}

static void test_threads(void)
{
    char *path = tmp_path("threads.log");
    GThread *t[THREADS];
    int next[THREADS] = { 0 };
    char **lines;
    char *text;
    int n = 0;

    g_assert_true(log_set_file(path, NULL));
    log_set_mask(LOG_EXEC);
    for (int i = 0; i < THREADS; i++) {
        t[i] = g_thread_new("writer", writer, GINT_TO_POINTER(i));
    }
    for (int i = 0; i < THREADS; i++) {
        g_thread_join(t[i]);
    }
    log_set_mask(0);
    g_assert_true(log_set_file(NULL, NULL));

    /* Every line whole, and each thread's lines in order. */
    text = read_all(path);
    lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l && **l; l++, n++) {
        int id, no;
        char pad[32];

        g_assert_cmpint(sscanf(*l, "thread %d line %d %31s", &id, &no, pad), ==, 3);
        g_assert_cmpint(id, >=, 0);
        g_assert_cmpint(id, <, THREADS);
        g_assert_cmpint(no, ==, next[id]);
        g_assert_cmpstr(pad, ==, "padding-padding-padding");
        next[id]++;
    }
    g_assert_cmpint(n, ==, THREADS * LINES);
    g_strfreev(lines);
    g_free(text);
    g_unlink(path);
    g_free(path);
}

static char *disas(DisasArch arch, const void *code, size_t len, uint64_t vaddr)
{
    GString *s = g_string_new(NULL);

    disas_to_string(s, arch, code, len, vaddr);
    return g_string_free(s, FALSE);
}

static void test_disas_aarch64(void)
{
    static const uint8_t code[] = {
        0x20, 0x00, 0x80, 0xd2,     /* mov x0, #1 */
        0x1f, 0x20, 0x03, 0xd5,     /* nop */
        0xc0, 0x03, 0x5f, 0xd6,     /* ret */
    };
    char *text = disas(DISAS_AARCH64, code, sizeof(code), 0x40000000);
    GString *one = g_string_new(NULL);
    size_t len = 0;

    g_assert_cmpstr(text, ==,
                    "0x0000000040000000:  d2800020      mov x0, #1\n"
                    "0x0000000040000004:  d503201f      nop\n"
                    "0x0000000040000008:  d65f03c0      ret\n");
    g_free(text);

    /* The preferred "mov" aliases of MOVZ/MOVN/ORR, and where they do not apply. */
    {
        static const struct {
            uint32_t insn;
            const char *text;
        } movs[] = {
            { 0xd2a00020, "mov x0, #0x10000" },
            { 0x92800000, "mov x0, #-1" },
            { 0x12800020, "mov w0, #-2" },
            { 0x5280001f, "mov wzr, #0" },
            { 0xb2407fe0, "mov x0, #0xffffffff" },
            { 0xb200c3ff, "mov sp, #0x101010101010101" },
            { 0xd2a00000, "movz x0, #0, lsl #16" },      /* zero with a shift */
            { 0x12bfffe0, "movn w0, #0xffff, lsl #16" },
            { 0x321f07e0, "orr w0, wzr, #6" },          /* MOVZ is preferred */
            { 0xaa0103e0, "mov x0, x1" },
        };

        for (size_t i = 0; i < G_N_ELEMENTS(movs); i++) {
            uint8_t b[4] = { movs[i].insn, movs[i].insn >> 8, movs[i].insn >> 16,
                             movs[i].insn >> 24 };

            g_string_truncate(one, 0);
            g_assert_true(disas_insn_text(one, DISAS_AARCH64, b, 4, 0, NULL));
            g_assert_cmpstr(one->str, ==, movs[i].text);
        }
        g_string_truncate(one, 0);
    }
    g_assert_true(disas_insn_text(one, DISAS_AARCH64, code + 4, 4, 0, &len));
    g_assert_cmpstr(one->str, ==, "nop");
    g_assert_cmpuint(len, ==, 4);
    g_assert_cmpuint(disas_one(one, DISAS_AARCH64, code, 0, 0), ==, 0);
    g_string_free(one, TRUE);
}

static void test_disas_x86(void)
{
    static const uint8_t code64[] = { 0x90, 0x48, 0x89, 0xc8, 0xc3 };
    static const uint8_t code32[] = { 0xb8, 0x01, 0x00, 0x00, 0x00 };
    static const uint8_t code16[] = { 0xb8, 0x01, 0x00 };
    char *text = disas(DISAS_X86_64, code64, sizeof(code64), 0xffffffff81000000ull);
    GString *s = g_string_new(NULL);

    g_assert_cmpstr(text, ==,
                    "0xffffffff81000000:  90                        nop\n"
                    "0xffffffff81000001:  48 89 c8                  mov rax, rcx\n"
                    "0xffffffff81000004:  c3                        ret\n");
    g_free(text);

    g_assert_true(disas_insn_text(s, DISAS_I386, code32, sizeof(code32), 0, NULL));
    g_assert_cmpstr(s->str, ==, "mov eax, 1");
    g_string_truncate(s, 0);
    g_assert_true(disas_insn_text(s, DISAS_I8086, code16, sizeof(code16), 0, NULL));
    g_assert_cmpstr(s->str, ==, "mov ax, 1");
    g_string_truncate(s, 0);
    /* Truncated instruction: not decodable. */
    g_assert_false(disas_insn_text(s, DISAS_X86_64, code64 + 1, 2, 0, NULL));
    g_assert_cmpstr(s->str, ==, "");
    g_string_free(s, TRUE);
}

static void test_disas_garbage(void)
{
    static const uint8_t bad_a64[] = { 0x00, 0x00, 0x00, 0x00, 0xaa, 0xbb };
    static const uint8_t bad_x86[] = { 0xff, 0xff };  /* ff /7 is undefined */
    GRand *rand = g_rand_new_with_seed(7);
    uint8_t buf[4096];
    char *text;

    /* 0x00000000 is permanently undefined in A64; a tail shorter than 4 bytes. */
    text = disas(DISAS_AARCH64, bad_a64, sizeof(bad_a64), 0x1000);
    g_assert_cmpstr(text, ==,
                    "0x0000000000001000:  00000000      .byte 0x00, 0x00, 0x00, 0x00\n"
                    "0x0000000000001004:  aa bb         .byte 0xaa, 0xbb\n");
    g_free(text);
    text = disas(DISAS_X86_64, bad_x86, sizeof(bad_x86), 0);
    g_assert_cmpstr(text, ==,
                    "0x0000000000000000:  ff                        .byte 0xff\n"
                    "0x0000000000000001:  ff                        .byte 0xff\n");
    g_free(text);

    /* Random bytes: never crashes, always consumes everything. */
    for (int round = 0; round < 8; round++) {
        for (size_t i = 0; i < sizeof(buf); i++) {
            buf[i] = g_rand_int(rand);
        }
        for (int arch = 0; arch < DISAS_ARCH_MAX; arch++) {
            size_t len = g_rand_int_range(rand, 1, sizeof(buf));
            size_t off = 0;
            GString *s = g_string_new(NULL);

            while (off < len) {
                size_t n = disas_one(s, arch, buf + off, len - off, off);

                g_assert_cmpuint(n, >, 0);
                g_assert_cmpuint(n, <=, len - off);
                off += n;
            }
            g_assert_cmpuint(off, ==, len);
            g_string_free(s, TRUE);
        }
    }
    g_rand_free(rand);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/log/items", test_items);
    g_test_add_func("/log/help", test_help);
    g_test_add_func("/log/file", test_file);
    g_test_add_func("/log/file-error", test_file_error);
    g_test_add_func("/log/threads", test_threads);
    g_test_add_func("/disas/aarch64", test_disas_aarch64);
    g_test_add_func("/disas/x86", test_disas_x86);
    g_test_add_func("/disas/garbage", test_disas_garbage);
    ret = g_test_run();
    if (tmp_dir) {
        g_rmdir(tmp_dir);
    }
    return ret;
}
