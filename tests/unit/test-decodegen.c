/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tests for scripts/decodegen.py: the decoder generated from
 * decodegen-test.decode must dispatch to the right trans function with the
 * right field values (signed, multi-part, shifted, transformed), fall through
 * overlap groups when a trans function declines, and match nothing for
 * unallocated words.  A random sweep checks the decision tree against a
 * linear scan of the pattern table, and the generator itself is run on bad
 * tables to check that each is refused with FILE:LINE.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdint.h>
#include <string.h>

typedef struct DisasContext {
    const char *name;           /* last trans function called */
    char args[128];             /* its arguments, "name=value ..." */
    int calls;                  /* trans functions called, accepted or not */
    int xform_bias;             /* test_xform() adds this: shows s is passed */
    const char *decline;        /* trans function that returns false */
} DisasContext;

static int test_xform(DisasContext *s, int x)
{
    return x * 2 + s->xform_bias;
}

static uint64_t test_wide(DisasContext *s, int x)
{
    return ((uint64_t)x << 40) | (uint64_t)x;
}

#define DECODEGEN_DEBUG
#include "decodegen-test.c.inc"

#define TRANS_STUB(NAME)                                                  \
    static bool trans_##NAME(DisasContext *s, arg_##NAME *a)              \
    {                                                                     \
        s->calls++;                                                       \
        if (s->decline && strcmp(s->decline, #NAME) == 0) {               \
            return false;                                                 \
        }                                                                 \
        s->name = #NAME;                                                  \
        decode_decodegen_test_describe_##NAME(a, s->args, sizeof(s->args)); \
        return true;                                                      \
    }
DECODE_DECODEGEN_TEST_TRANS_LIST(TRANS_STUB)

static bool run(DisasContext *s, uint32_t insn)
{
    s->name = NULL;
    s->args[0] = '\0';
    s->calls = 0;
    return decode_decodegen_test(s, insn);
}

static void check(uint32_t insn, const char *name, const char *args)
{
    DisasContext s = { 0 };

    g_assert_true(run(&s, insn));
    g_assert_cmpstr(s.name, ==, name);
    g_assert_cmpstr(s.args, ==, args);
}

static void test_dispatch_fields(void)
{
    /* inline fields; bits 11:8 are '-' and so do not matter */
    check(0x01123000, "ADD", "rd=1 rn=2 rm=3");
    check(0x01123f00, "ADD", "rd=1 rn=2 rm=3");
    /* signed named field */
    check(0x0250ffff, "LDI", "rd=5 simm16=-1");
    check(0x02507fff, "LDI", "rd=5 simm16=32767");
    check(0x02508000, "LDI", "rd=5 simm16=-32768");
    /* multi-part, 23:20 on top of 3:0 */
    check(0x03a7000b, "MSPLIT", "rd=7 imm=171");
    /* multi-part and signed: 0xab as 8 bits is -85 */
    check(0x04a7000b, "SSPLIT", "rd=7 imm=-85");
    check(0x0457000b, "SSPLIT", "rd=7 imm=91");
    /* signed then shifted */
    check(0x05300fff, "SCALED", "rd=3 off=-4");
    check(0x053007ff, "SCALED", "rd=3 off=8188");
    /* transformed through a function that sees the context */
    check(0x06401000, "XFORM", "rd=4 xform=32");
    {
        DisasContext s = { .xform_bias = 1000 };
        g_assert_true(run(&s, 0x06401000));
        g_assert_cmpstr(s.args, ==, "rd=4 xform=1032");
    }
    /* 64-bit member filled by a transform */
    check(0x0790abcd, "WIDE", "rd=9 imm=0xabcd000000abcd");
    /* signed inline field */
    check(0xc0ffffff, "BRS", "off=-1");
    check(0xc0000010, "BRS", "off=16");
}

static void test_formats_constants(void)
{
    check(0x08120000, "MOV", "rd=1 rn=2");
    check(0x0b120000, "MOV", "rd=1 rn=2");       /* second MOV line */
    check(0x0a100000, "MOVZR", "rd=1 rn=0");
    /* MOVZR's own bits constrain the format's rn field */
    {
        DisasContext s = { 0 };
        g_assert_false(run(&s, 0x0a120000));
        g_assert_cmpint(s.calls, ==, 0);
    }
    check(0x0c12ffff, "ADDSUB", "rd=1 rn=2 imm=65535 neg=1");
    check(0x0d120001, "ADDSUB", "rd=1 rn=2 imm=1 neg=0");
}

static void test_overlap_groups(void)
{
    DisasContext s = { 0 };

    check(0x10000000, "SPECIAL", "");
    check(0x10000001, "GENERIC", "imm=1");

    /* SPECIAL declines: the group goes on to GENERIC */
    s.decline = "SPECIAL";
    g_assert_true(run(&s, 0x10000000));
    g_assert_cmpstr(s.name, ==, "GENERIC");
    g_assert_cmpstr(s.args, ==, "imm=0");
    g_assert_cmpint(s.calls, ==, 2);

    /* the last member declining leaves nothing */
    s.decline = "GENERIC";
    g_assert_false(run(&s, 0x10000001));
    g_assert_cmpint(s.calls, ==, 1);

    /* a disjoint group inside an overlap group */
    s.decline = NULL;
    check(0x11000001, "ODD", "");
    check(0x11000002, "EVEN", "");
    s.decline = "ODD";
    g_assert_true(run(&s, 0x11000003));
    g_assert_cmpstr(s.name, ==, "CATCH");
    g_assert_cmpstr(s.args, ==, "imm=3");
    g_assert_cmpint(s.calls, ==, 2);
    s.decline = "EVEN";
    g_assert_true(run(&s, 0x11000003));
    g_assert_cmpstr(s.name, ==, "ODD");
    g_assert_cmpint(s.calls, ==, 1);

    /* groups with no common bit to switch on */
    check(0x20000000, "GA1", "");
    check(0x21f00000, "GA2", "");
    check(0x20f00000, "GB1", "");
    check(0x21000000, "GB2", "");
    g_assert_false(run(&s, 0x20500000));
    g_assert_false(run(&s, 0x21500000));
}

static void test_unmatched(void)
{
    static const uint32_t words[] = {
        0x00000000, 0xffffffff, 0x01000001,   /* ADD needs bits 7:0 zero */
        0x12000000, 0x0e000000, 0xc1000000,
    };
    for (size_t i = 0; i < G_N_ELEMENTS(words); i++) {
        DisasContext s = { 0 };
        g_assert_false(run(&s, words[i]));
        g_assert_cmpint(s.calls, ==, 0);
    }
}

/*
 * The decision tree must agree with the plain reading of the table: with
 * every trans function accepting, the first pattern in file order that
 * matches wins, and two matches only ever happen inside an overlap group.
 */
static void sweep(const DecodegenPatternInfo *pats, size_t n, uint32_t insn)
{
    DisasContext s = { 0 };
    const DecodegenPatternInfo *first = NULL;

    for (size_t i = 0; i < n; i++) {
        if ((insn & pats[i].mask) != pats[i].value) {
            continue;
        }
        if (!first) {
            first = &pats[i];
        } else if (first->group < 0 || first->group != pats[i].group) {
            g_error("0x%08x matches %s (%s) and %s (%s)", insn, first->name,
                    first->where, pats[i].name, pats[i].where);
        }
    }
    g_assert_cmpint(run(&s, insn), ==, first != NULL);
    if (first) {
        g_assert_cmpstr(s.name, ==, first->name);
    }
}

static void test_random_sweep(void)
{
    GRand *rand = g_rand_new_with_seed(0x7e57);

    for (int i = 0; i < 200000; i++) {
        /* keep the opcode byte small so that most words hit a pattern */
        uint32_t insn = g_rand_int(rand);
        if (i & 1) {
            insn = (insn & 0x00ffffff) | (g_rand_int_range(rand, 0, 0x22) << 24);
        }
        sweep(decode_decodegen_test_patterns, DECODE_DECODEGEN_TEST_N_PATTERNS,
              insn);
    }
    g_rand_free(rand);
}

/* ---- the generator on bad tables ---------------------------------------- */

typedef struct BadTable {
    const char *text;
    const char *message;        /* expected in stderr, after "FILE:LINE: " */
    int line;
} BadTable;

static const BadTable bad_tables[] = {
    { "A 0000\n", "A has 4 bits, expected 32", 1 },
    { "A 00000000 00000000 00000000 00000000 0\n", "more than 32 bits", 1 },
    { "# c\nA 00000000 00000000 00000000 0000000 x:2\n",
      "more than 32 bits", 2 },
    { "A 00000000 00000000 00000000 0000000.\n",
      "bit 0 of A is neither fixed, in a field, nor marked '-'", 1 },
    { "A 00000000 00000000 00000000 ........ %nope\n",
      "unknown field %nope", 1 },
    { "A 00000000 00000000 00000000 ........ @nope\n",
      "unknown format @nope", 1 },
    { "A 00000000 00000000 00000000 x:8 &nope\n",
      "unknown argument set &nope", 1 },
    { "&s x y\nA 00000000 00000000 00000000 x:8 &s\n",
      "leaves member y of &s unset", 2 },
    { "&s x\nA 00000000 00000000 00000000 x:4 z:4 &s\n",
      "argument set &s has no member z", 2 },
    { "A 00000000 00000000 00000000 ----0000\n"
      "B 00000000 00000000 00000000 0000----\n",
      "B overlaps A", 2 },
    { "[\nA 00000000 00000000 00000000 ----0000\n"
      "B 00000000 00000000 00000000 0000----\n]\n",
      "B overlaps A", 3 },
    { "{\n[\nA 00000001 00000000 00000000 ----0000\n"
      "B 00000001 00000000 00000000 0000----\n]\n}\n",
      "B overlaps A", 4 },
    { "{\nA 00000000 00000000 00000000 00000000\n",
      "group '{' is never closed", 1 },
    { "{\nA 00000000 00000000 00000000 00000000\n]\n",
      "']' closes '{'", 3 },
    { "%f 30:4\n", "lies outside bits 0..31", 1 },
    { "%f 0:4 4:s4\n", "only the first part of %f may be signed", 1 },
    { "%f 0:4 !bogus=1\n", "unknown option '!bogus'", 1 },
    { "%f 0:4\n%f 4:4\n", "field %f already defined", 2 },
    { "@F 00000000 00000000 00000000 ----0000\n"
      "A 00000000 00000000 00000000 ----0001 @F\n",
      "contradicts format @F", 2 },
    { "A 00000000 00000000 00000000 x:4 x:4\n", "x set twice in A", 1 },
    { "A 00000000 00000000 00000000 ----000a\n", "cannot parse", 1 },
};

static void run_generator(const char *table, const char *name, gchar **err,
                          gint *status)
{
    const char *python = g_getenv("PYTHON");
    const char *script = g_getenv("DECODEGEN");
    g_autofree gchar *dir = g_dir_make_tmp("decodegen-XXXXXX", NULL);
    g_autofree gchar *path = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_nonnull(dir);
    path = g_build_filename(dir, name, NULL);
    g_assert_true(g_file_set_contents(path, table, -1, NULL));
    const char *argv[] = { python, script, "--check", path, NULL };
    g_assert_true(g_spawn_sync(NULL, (gchar **)argv, NULL,
                               G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                               err, status, &error));
    g_remove(path);
    g_rmdir(dir);
}

static void test_generator_errors(void)
{
    if (!g_getenv("PYTHON") || !g_getenv("DECODEGEN")) {
        g_test_skip("PYTHON and DECODEGEN not set (run through meson)");
        return;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(bad_tables); i++) {
        const BadTable *b = &bad_tables[i];
        g_autofree gchar *err = NULL;
        g_autofree gchar *where = g_strdup_printf("bad.decode:%d: error: ",
                                                  b->line);
        gint status = 0;

        run_generator(b->text, "bad.decode", &err, &status);
        if (g_spawn_check_wait_status(status, NULL) || !strstr(err, where) ||
            !strstr(err, b->message)) {
            g_error("table %zu: want '%s%s', got status %d, '%s'", i, where,
                    b->message, status, err);
        }
    }
}

static void test_generator_accepts(void)
{
    g_autofree gchar *err = NULL;
    gint status = 0;

    if (!g_getenv("PYTHON") || !g_getenv("DECODEGEN")) {
        g_test_skip("PYTHON and DECODEGEN not set (run through meson)");
        return;
    }
    run_generator("%f 0:s4 4:4 !shift=1\n&s x\n"
                  "@F 00000000 -------- -------- ........ &s x=%f\n"
                  "{\n  A 00000000 00000000 00000000 ........ @F\n"
                  "  B 00000000 -------- -------- 0000.... @F \\\n"
                  "    # continued\n"
                  "}\n", "good.decode", &err, &status);
    g_assert_true(g_spawn_check_wait_status(status, NULL));
    g_assert_cmpstr(err, ==, "");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/decodegen/dispatch-fields", test_dispatch_fields);
    g_test_add_func("/decodegen/formats-constants", test_formats_constants);
    g_test_add_func("/decodegen/overlap-groups", test_overlap_groups);
    g_test_add_func("/decodegen/unmatched", test_unmatched);
    g_test_add_func("/decodegen/random-sweep", test_random_sweep);
    g_test_add_func("/decodegen/generator-errors", test_generator_errors);
    g_test_add_func("/decodegen/generator-accepts", test_generator_accepts);
    return g_test_run();
}
