/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Line editor tests: bytes go in as a terminal would send them, and the
 * edit buffer, the completed lines and the echoed output are checked.
 */
#include <string.h>

#include "monitor/readline.h"

typedef struct {
    ReadlineState *rs;
    GString *out;
    GPtrArray *lines;
    const char *const *words;   /* completion vocabulary */
} Fixture;

static void fx_write(void *opaque, const char *buf, size_t len)
{
    Fixture *fx = opaque;

    g_string_append_len(fx->out, buf, len);
}

static void fx_line(void *opaque, const char *line)
{
    Fixture *fx = opaque;

    g_ptr_array_add(fx->lines, g_strdup(line));
}

static void fx_complete(void *opaque, ReadlineState *rs, const char *text)
{
    Fixture *fx = opaque;
    const char *const *w;

    for (w = fx->words; w && *w; w++) {
        readline_add_completion(rs, *w);
    }
}

static void fx_init(Fixture *fx, const char *const *words)
{
    fx->out = g_string_new(NULL);
    fx->lines = g_ptr_array_new_with_free_func(g_free);
    fx->words = words;
    fx->rs = readline_new(fx_write, fx_line, fx_complete, fx);
    readline_set_prompt(fx->rs, "> ");
}

static void fx_fini(Fixture *fx)
{
    readline_free(fx->rs);
    g_string_free(fx->out, TRUE);
    g_ptr_array_free(fx->lines, TRUE);
}

static void feed(Fixture *fx, const char *s)
{
    readline_feed(fx->rs, (const uint8_t *)s, strlen(s));
}

static const char *last_line(Fixture *fx)
{
    g_assert_cmpuint(fx->lines->len, >, 0);
    return g_ptr_array_index(fx->lines, fx->lines->len - 1);
}

static void test_insert_and_enter(void)
{
    Fixture fx;

    fx_init(&fx, NULL);
    readline_show_prompt(fx.rs);
    g_assert_cmpstr(fx.out->str, ==, "> ");
    feed(&fx, "info");
    g_assert_cmpstr(readline_get_line(fx.rs), ==, "info");
    g_assert_cmpuint(readline_get_cursor(fx.rs), ==, 4);
    g_assert_cmpstr(fx.out->str, ==, "> info");
    feed(&fx, "\r");
    g_assert_cmpuint(fx.lines->len, ==, 1);
    g_assert_cmpstr(last_line(&fx), ==, "info");
    g_assert_cmpstr(readline_get_line(fx.rs), ==, "");
    g_assert_true(g_str_has_suffix(fx.out->str, "\r\n"));
    fx_fini(&fx);
}

static void test_backspace_delete(void)
{
    Fixture fx;

    fx_init(&fx, NULL);
    feed(&fx, "abcd\x7f");
    g_assert_cmpstr(readline_get_line(fx.rs), ==, "abc");
    feed(&fx, "\b");
    g_assert_cmpstr(readline_get_line(fx.rs), ==, "ab");
    /* Backspace at the start does nothing. */
    feed(&fx, "\x7f\x7f\x7f\x7f");
    g_assert_cmpstr(readline_get_line(fx.rs), ==, "");
    g_assert_cmpuint(readline_get_cursor(fx.rs), ==, 0);
    feed(&fx, "xyz\033[H\033[3~");
    g_assert_cmpstr(readline_get_line(fx.rs), ==, "yz");
    g_assert_cmpuint(readline_get_cursor(fx.rs), ==, 0);
    /* Ctrl-D deletes under the cursor; delete at the end does nothing. */
    feed(&fx, "\x04");
    g_assert_cmpstr(readline_get_line(fx.rs), ==, "z");
    feed(&fx, "\033[F\033[3~");
    g_assert_cmpstr(readline_get_line(fx.rs), ==, "z");
    fx_fini(&fx);
}

static void test_cursor_moves(void)
{
    Fixture fx;

    fx_init(&fx, NULL);
    feed(&fx, "acd");
    feed(&fx, "\033[D\033[D");
    g_assert_cmpuint(readline_get_cursor(fx.rs), ==, 1);
    feed(&fx, "b");
    g_assert_cmpstr(readline_get_line(fx.rs), ==, "abcd");
    g_assert_cmpuint(readline_get_cursor(fx.rs), ==, 2);
    feed(&fx, "\033[C");
    g_assert_cmpuint(readline_get_cursor(fx.rs), ==, 3);
    /* Right at the end and left at the start are clamped. */
    feed(&fx, "\033[C\033[C\033[C");
    g_assert_cmpuint(readline_get_cursor(fx.rs), ==, 4);
    feed(&fx, "\x01");
    g_assert_cmpuint(readline_get_cursor(fx.rs), ==, 0);
    feed(&fx, "\033[D");
    g_assert_cmpuint(readline_get_cursor(fx.rs), ==, 0);
    feed(&fx, "\x05");
    g_assert_cmpuint(readline_get_cursor(fx.rs), ==, 4);
    feed(&fx, "\033[1~");
    g_assert_cmpuint(readline_get_cursor(fx.rs), ==, 0);
    feed(&fx, "\033[4~");
    g_assert_cmpuint(readline_get_cursor(fx.rs), ==, 4);
    feed(&fx, "\033OH");
    g_assert_cmpuint(readline_get_cursor(fx.rs), ==, 0);
    feed(&fx, "\033OF");
    g_assert_cmpuint(readline_get_cursor(fx.rs), ==, 4);
    /* Counts move several columns; a modifier (Ctrl-Left) is not a count. */
    feed(&fx, "\033[3D");
    g_assert_cmpuint(readline_get_cursor(fx.rs), ==, 1);
    feed(&fx, "\033[1;5C");
    g_assert_cmpuint(readline_get_cursor(fx.rs), ==, 2);
    feed(&fx, "\033[99C");
    g_assert_cmpuint(readline_get_cursor(fx.rs), ==, 4);
    /* Mid-line insert then enter submits the whole line. */
    feed(&fx, "\033[H>\r");
    g_assert_cmpstr(last_line(&fx), ==, ">abcd");
    fx_fini(&fx);
}

/* The terminal output replays to the same text on a simple screen model. */
static char *render(const char *out)
{
    GString *scr = g_string_new(NULL);
    size_t col = 0;
    const char *p = out;

    while (*p) {
        if (p[0] == '\033' && p[1] == '[') {
            unsigned n = 0;
            bool have = false;

            p += 2;
            while (g_ascii_isdigit(*p)) {
                n = n * 10 + (*p++ - '0');
                have = true;
            }
            if (!have) {
                n = 1;
            }
            if (*p == 'D') {
                col -= MIN(col, n);
            } else if (*p == 'C') {
                col += n;
            } else if (*p == 'K') {
                g_string_truncate(scr, MIN(scr->len, col));
            }
            p++;
        } else if (*p == '\r') {
            col = 0;
            p++;
        } else if (*p == '\n') {
            g_string_truncate(scr, 0);
            col = 0;
            p++;
        } else {
            while (scr->len < col) {
                g_string_append_c(scr, ' ');
            }
            if (col < scr->len) {
                scr->str[col] = *p;
            } else {
                g_string_append_c(scr, *p);
            }
            col++;
            p++;
        }
    }
    return g_string_free(scr, FALSE);
}

static void test_echo_matches_buffer(void)
{
    Fixture fx;
    g_autofree char *screen = NULL;

    fx_init(&fx, NULL);
    readline_show_prompt(fx.rs);
    feed(&fx, "hello world\033[D\033[D\033[D\033[DXX\x7f\033[H\033[3~\033[F!");
    g_assert_cmpstr(readline_get_line(fx.rs), ==, "ello wXorld!");
    screen = render(fx.out->str);
    g_assert_cmpstr(screen, ==, "> ello wXorld!");
    g_free(screen);
    feed(&fx, "\x17");
    screen = render(fx.out->str);
    g_assert_cmpstr(readline_get_line(fx.rs), ==, "ello ");
    g_assert_cmpstr(screen, ==, "> ello ");
    fx_fini(&fx);
}

static void test_kill(void)
{
    Fixture fx;

    fx_init(&fx, NULL);
    feed(&fx, "hello world");
    feed(&fx, "\033[5D\x0b");
    g_assert_cmpstr(readline_get_line(fx.rs), ==, "hello ");
    feed(&fx, "there\033[D\033[D\x15");
    g_assert_cmpstr(readline_get_line(fx.rs), ==, "re");
    g_assert_cmpuint(readline_get_cursor(fx.rs), ==, 0);
    feed(&fx, "\x05 foo bar  \x17");
    g_assert_cmpstr(readline_get_line(fx.rs), ==, "re foo ");
    feed(&fx, "\x17\x17\x17");
    g_assert_cmpstr(readline_get_line(fx.rs), ==, "");
    /* Ctrl-C abandons the line without submitting it. */
    feed(&fx, "junk\x03");
    g_assert_cmpstr(readline_get_line(fx.rs), ==, "");
    g_assert_cmpuint(fx.lines->len, ==, 0);
    fx_fini(&fx);
}

static void test_history(void)
{
    Fixture fx;

    fx_init(&fx, NULL);
    feed(&fx, "one\rtwo\rthree\r\r");
    g_assert_cmpuint(fx.lines->len, ==, 4);
    /* Empty lines are submitted but not remembered. */
    g_assert_cmpuint(readline_history_len(fx.rs), ==, 3);
    g_assert_cmpstr(readline_history_get(fx.rs, 0), ==, "one");
    g_assert_null(readline_history_get(fx.rs, 3));

    feed(&fx, "par");
    feed(&fx, "\033[A");
    g_assert_cmpstr(readline_get_line(fx.rs), ==, "three");
    feed(&fx, "\033[A\033[A");
    g_assert_cmpstr(readline_get_line(fx.rs), ==, "one");
    /* Up at the oldest entry stays there. */
    feed(&fx, "\033[A");
    g_assert_cmpstr(readline_get_line(fx.rs), ==, "one");
    feed(&fx, "\033[B");
    g_assert_cmpstr(readline_get_line(fx.rs), ==, "two");
    feed(&fx, "\x0e\x0e");
    /* Back to the partly typed new line. */
    g_assert_cmpstr(readline_get_line(fx.rs), ==, "par");
    feed(&fx, "\033[B");
    g_assert_cmpstr(readline_get_line(fx.rs), ==, "par");
    /* Recalling and resubmitting moves the entry to the end. */
    feed(&fx, "\x15\x10\x10\r");
    g_assert_cmpstr(last_line(&fx), ==, "two");
    g_assert_cmpuint(readline_history_len(fx.rs), ==, 3);
    g_assert_cmpstr(readline_history_get(fx.rs, 2), ==, "two");
    g_assert_cmpstr(readline_history_get(fx.rs, 1), ==, "three");
    fx_fini(&fx);
}

static void test_history_limit(void)
{
    Fixture fx;
    int i;

    fx_init(&fx, NULL);
    for (i = 0; i < READLINE_MAX_HISTORY + 10; i++) {
        g_autofree char *cmd = g_strdup_printf("cmd%d\r", i);

        feed(&fx, cmd);
    }
    g_assert_cmpuint(readline_history_len(fx.rs), ==, READLINE_MAX_HISTORY);
    g_assert_cmpstr(readline_history_get(fx.rs, 0), ==, "cmd10");
    fx_fini(&fx);
}

static void test_line_endings(void)
{
    Fixture fx;

    fx_init(&fx, NULL);
    feed(&fx, "a\r\nb\nc\r\rd\n\n");
    g_assert_cmpuint(fx.lines->len, ==, 6);
    g_assert_cmpstr(g_ptr_array_index(fx.lines, 0), ==, "a");
    g_assert_cmpstr(g_ptr_array_index(fx.lines, 1), ==, "b");
    g_assert_cmpstr(g_ptr_array_index(fx.lines, 2), ==, "c");
    g_assert_cmpstr(g_ptr_array_index(fx.lines, 3), ==, "");
    g_assert_cmpstr(g_ptr_array_index(fx.lines, 4), ==, "d");
    g_assert_cmpstr(g_ptr_array_index(fx.lines, 5), ==, "");
    fx_fini(&fx);
}

static void test_long_line(void)
{
    Fixture fx;
    g_autofree char *big = g_strnfill(READLINE_MAX_LINE + 500, 'x');

    fx_init(&fx, NULL);
    feed(&fx, big);
    g_assert_cmpuint(strlen(readline_get_line(fx.rs)), ==, READLINE_MAX_LINE - 1);
    feed(&fx, "\r");
    g_assert_cmpuint(strlen(last_line(&fx)), ==, READLINE_MAX_LINE - 1);
    /* A long line that fits goes through unchanged. */
    big[1000] = 0;
    feed(&fx, big);
    feed(&fx, "\n");
    g_assert_cmpstr(last_line(&fx), ==, big);
    fx_fini(&fx);
}

static void test_garbage_input(void)
{
    Fixture fx;
    uint8_t junk[256];
    int i;

    fx_init(&fx, NULL);
    for (i = 0; i < 256; i++) {
        junk[i] = (uint8_t)(i * 37 + 11);
    }
    readline_feed(fx.rs, junk, sizeof(junk));
    /* Unknown escapes and high bytes are swallowed without harm. */
    feed(&fx, "\r\033[99Z\033[1;5Cok\xc3\xa9\r");
    g_assert_cmpstr(last_line(&fx), ==, "ok");
    fx_fini(&fx);
}

static const char *const words[] = {
    "info", "help", "quit", "q", "qtree", "mtree", "status", NULL
};

static void test_complete_single(void)
{
    Fixture fx;

    fx_init(&fx, words);
    feed(&fx, "inf\t");
    g_assert_cmpstr(readline_get_line(fx.rs), ==, "info ");
    feed(&fx, "st\t");
    g_assert_cmpstr(readline_get_line(fx.rs), ==, "info status ");
    /* No match leaves the line alone. */
    feed(&fx, "zz\t");
    g_assert_cmpstr(readline_get_line(fx.rs), ==, "info status zz");
    fx_fini(&fx);
}

static void test_complete_ambiguous(void)
{
    Fixture fx;
    const char *more[] = { "system_reset", "system_powerdown", "stop", NULL };

    fx_init(&fx, more);
    readline_show_prompt(fx.rs);
    feed(&fx, "sys\t");
    /* The common prefix is filled in and all candidates are listed. */
    g_assert_cmpstr(readline_get_line(fx.rs), ==, "system_");
    g_assert_nonnull(strstr(fx.out->str, "system_powerdown"));
    g_assert_nonnull(strstr(fx.out->str, "system_reset"));
    g_assert_null(strstr(fx.out->str, "stop"));
    /* The prompt and partial line are reprinted after the list. */
    g_assert_true(g_str_has_suffix(fx.out->str, "\r\n> system_"));
    g_string_truncate(fx.out, 0);
    feed(&fx, "r\t\r");
    g_assert_cmpstr(last_line(&fx), ==, "system_reset ");
    fx_fini(&fx);
}

static void test_complete_q(void)
{
    Fixture fx;

    fx_init(&fx, words);
    /* "q" is itself a candidate but "quit" and "qtree" also match. */
    feed(&fx, "q\t");
    g_assert_cmpstr(readline_get_line(fx.rs), ==, "q");
    fx_fini(&fx);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/readline/insert-enter", test_insert_and_enter);
    g_test_add_func("/readline/backspace-delete", test_backspace_delete);
    g_test_add_func("/readline/cursor-moves", test_cursor_moves);
    g_test_add_func("/readline/echo", test_echo_matches_buffer);
    g_test_add_func("/readline/kill", test_kill);
    g_test_add_func("/readline/history", test_history);
    g_test_add_func("/readline/history-limit", test_history_limit);
    g_test_add_func("/readline/line-endings", test_line_endings);
    g_test_add_func("/readline/long-line", test_long_line);
    g_test_add_func("/readline/garbage", test_garbage_input);
    g_test_add_func("/readline/complete-single", test_complete_single);
    g_test_add_func("/readline/complete-ambiguous", test_complete_ambiguous);
    g_test_add_func("/readline/complete-q", test_complete_q);
    return g_test_run();
}
