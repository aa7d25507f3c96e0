/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Line editor for the human monitor. It keeps two copies of the line: the
 * one being edited and the one the terminal currently shows, and after each
 * key emits only the difference (a cursor move, the changed tail and an
 * erase-to-end). Redrawing minimally keeps the echo readable over slow or
 * logged links and makes the output predictable for tests.
 */
#include <string.h>

#include "monitor/readline.h"

enum {
    RL_NORMAL,
    RL_ESC,     /* after ESC */
    RL_CSI,     /* after ESC [ */
    RL_SS3,     /* after ESC O (application cursor keys) */
};

struct ReadlineState {
    ReadlineWriteFunc write_fn;
    ReadlineLineFunc line_fn;
    ReadlineCompleteFunc complete_fn;
    void *opaque;

    char *prompt;
    GString *line;
    size_t cursor;
    /* What the terminal shows after the prompt, and where its cursor is. */
    GString *shown;
    size_t shown_cursor;

    int esc_state;
    unsigned esc_param;
    bool esc_in_modifier;     /* past the ';' of ESC [ 1 ; 5 C */
    bool last_was_cr;

    GPtrArray *history;       /* char *, oldest first */
    guint hist_pos;           /* == history->len when editing a new line */
    char *hist_saved;         /* the new line, saved while browsing */

    GPtrArray *completions;
};

static void rl_write(ReadlineState *rs, const char *buf, size_t len)
{
    if (len && rs->write_fn) {
        rs->write_fn(rs->opaque, buf, len);
    }
}

static void rl_puts(ReadlineState *rs, const char *s)
{
    rl_write(rs, s, strlen(s));
}

static void rl_move(ReadlineState *rs, size_t from, size_t to)
{
    char buf[32];

    if (to == from) {
        return;
    }
    if (to < from) {
        if (from - to == 1) {
            rl_puts(rs, "\033[D");
        } else {
            g_snprintf(buf, sizeof(buf), "\033[%zuD", from - to);
            rl_puts(rs, buf);
        }
    } else {
        if (to - from == 1) {
            rl_puts(rs, "\033[C");
        } else {
            g_snprintf(buf, sizeof(buf), "\033[%zuC", to - from);
            rl_puts(rs, buf);
        }
    }
}

/* Bring the terminal in line with the edit buffer. */
static void rl_refresh(ReadlineState *rs)
{
    GString *l = rs->line, *s = rs->shown;

    if (l->len != s->len || memcmp(l->str, s->str, l->len) != 0) {
        size_t p = 0;

        while (p < l->len && p < s->len && l->str[p] == s->str[p]) {
            p++;
        }
        rl_move(rs, rs->shown_cursor, p);
        rl_write(rs, l->str + p, l->len - p);
        if (s->len > l->len) {
            rl_puts(rs, "\033[K");
        }
        rl_move(rs, l->len, rs->cursor);
    } else {
        rl_move(rs, rs->shown_cursor, rs->cursor);
    }
    g_string_assign(s, l->str);
    rs->shown_cursor = rs->cursor;
}

ReadlineState *readline_new(ReadlineWriteFunc write_fn,
                            ReadlineLineFunc line_fn,
                            ReadlineCompleteFunc complete_fn, void *opaque)
{
    ReadlineState *rs = g_new0(ReadlineState, 1);

    rs->write_fn = write_fn;
    rs->line_fn = line_fn;
    rs->complete_fn = complete_fn;
    rs->opaque = opaque;
    rs->prompt = g_strdup("");
    rs->line = g_string_new(NULL);
    rs->shown = g_string_new(NULL);
    rs->history = g_ptr_array_new_with_free_func(g_free);
    rs->completions = g_ptr_array_new_with_free_func(g_free);
    return rs;
}

void readline_free(ReadlineState *rs)
{
    if (!rs) {
        return;
    }
    g_free(rs->prompt);
    g_string_free(rs->line, TRUE);
    g_string_free(rs->shown, TRUE);
    g_ptr_array_free(rs->history, TRUE);
    g_ptr_array_free(rs->completions, TRUE);
    g_free(rs->hist_saved);
    g_free(rs);
}

void readline_set_prompt(ReadlineState *rs, const char *prompt)
{
    g_free(rs->prompt);
    rs->prompt = g_strdup(prompt ? prompt : "");
}

void readline_show_prompt(ReadlineState *rs)
{
    rl_puts(rs, rs->prompt);
    rl_write(rs, rs->line->str, rs->line->len);
    rl_move(rs, rs->line->len, rs->cursor);
    g_string_assign(rs->shown, rs->line->str);
    rs->shown_cursor = rs->cursor;
}

const char *readline_get_line(const ReadlineState *rs)
{
    return rs->line->str;
}

size_t readline_get_cursor(const ReadlineState *rs)
{
    return rs->cursor;
}

guint readline_history_len(const ReadlineState *rs)
{
    return rs->history->len;
}

const char *readline_history_get(const ReadlineState *rs, guint i)
{
    return i < rs->history->len ? g_ptr_array_index(rs->history, i) : NULL;
}

/* ---- editing primitives; callers refresh afterwards ---- */

static void rl_insert(ReadlineState *rs, const char *s, size_t len)
{
    if (rs->line->len + len > READLINE_MAX_LINE - 1) {
        len = READLINE_MAX_LINE - 1 - rs->line->len;
        rl_puts(rs, "\a");
    }
    g_string_insert_len(rs->line, rs->cursor, s, len);
    rs->cursor += len;
}

static void rl_set_line(ReadlineState *rs, const char *s)
{
    g_string_assign(rs->line, s ? s : "");
    rs->cursor = rs->line->len;
}

static void rl_backspace(ReadlineState *rs)
{
    if (rs->cursor > 0) {
        rs->cursor--;
        g_string_erase(rs->line, rs->cursor, 1);
    }
}

static void rl_delete(ReadlineState *rs)
{
    if (rs->cursor < rs->line->len) {
        g_string_erase(rs->line, rs->cursor, 1);
    }
}

/* Ctrl-W: the spaces before the cursor, then the word before them. */
static void rl_erase_word(ReadlineState *rs)
{
    size_t start = rs->cursor;

    while (start > 0 && rs->line->str[start - 1] == ' ') {
        start--;
    }
    while (start > 0 && rs->line->str[start - 1] != ' ') {
        start--;
    }
    g_string_erase(rs->line, start, rs->cursor - start);
    rs->cursor = start;
}

static void rl_history_add(ReadlineState *rs, const char *line)
{
    guint i;

    if (!line[0]) {
        return;
    }
    /* A repeated command moves to the end rather than filling the list. */
    for (i = 0; i < rs->history->len; i++) {
        if (strcmp(g_ptr_array_index(rs->history, i), line) == 0) {
            g_ptr_array_remove_index(rs->history, i);
            break;
        }
    }
    if (rs->history->len >= READLINE_MAX_HISTORY) {
        g_ptr_array_remove_index(rs->history, 0);
    }
    g_ptr_array_add(rs->history, g_strdup(line));
}

static void rl_history_up(ReadlineState *rs)
{
    if (rs->hist_pos == 0) {
        return;
    }
    if (rs->hist_pos == rs->history->len) {
        g_free(rs->hist_saved);
        rs->hist_saved = g_strdup(rs->line->str);
    }
    rs->hist_pos--;
    rl_set_line(rs, g_ptr_array_index(rs->history, rs->hist_pos));
}

static void rl_history_down(ReadlineState *rs)
{
    if (rs->hist_pos >= rs->history->len) {
        return;
    }
    rs->hist_pos++;
    if (rs->hist_pos == rs->history->len) {
        rl_set_line(rs, rs->hist_saved);
        g_clear_pointer(&rs->hist_saved, g_free);
    } else {
        rl_set_line(rs, g_ptr_array_index(rs->history, rs->hist_pos));
    }
}

static void rl_enter(ReadlineState *rs)
{
    char *line = g_strdup(rs->line->str);

    rl_puts(rs, "\r\n");
    rl_history_add(rs, line);
    rs->hist_pos = rs->history->len;
    g_clear_pointer(&rs->hist_saved, g_free);
    g_string_truncate(rs->line, 0);
    g_string_truncate(rs->shown, 0);
    rs->cursor = rs->shown_cursor = 0;
    if (rs->line_fn) {
        rs->line_fn(rs->opaque, line);
    }
    g_free(line);
}

/* ---- completion ---- */

void readline_add_completion(ReadlineState *rs, const char *word)
{
    guint i;

    for (i = 0; i < rs->completions->len; i++) {
        if (strcmp(g_ptr_array_index(rs->completions, i), word) == 0) {
            return;
        }
    }
    g_ptr_array_add(rs->completions, g_strdup(word));
}

static gint rl_cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void rl_print_candidates(ReadlineState *rs, GPtrArray *cands)
{
    size_t width = 0;
    guint i, per_line, col = 0;
    GString *out = g_string_new("\r\n");

    for (i = 0; i < cands->len; i++) {
        width = MAX(width, strlen(g_ptr_array_index(cands, i)));
    }
    width += 2;
    per_line = MAX(1, 80 / width);
    for (i = 0; i < cands->len; i++) {
        const char *c = g_ptr_array_index(cands, i);

        if (col == per_line - 1 || i == cands->len - 1) {
            g_string_append_printf(out, "%s\r\n", c);
            col = 0;
        } else {
            g_string_append_printf(out, "%-*s", (int)width, c);
            col++;
        }
    }
    rl_write(rs, out->str, out->len);
    g_string_free(out, TRUE);
}

static void rl_complete(ReadlineState *rs)
{
    g_autofree char *text = NULL;
    g_autoptr(GPtrArray) matches = g_ptr_array_new();
    const char *word, *first;
    size_t wlen, common, i;

    if (!rs->complete_fn) {
        return;
    }
    text = g_strndup(rs->line->str, rs->cursor);
    word = strrchr(text, ' ');
    word = word ? word + 1 : text;
    wlen = strlen(word);

    g_ptr_array_set_size(rs->completions, 0);
    rs->complete_fn(rs->opaque, rs, text);
    for (i = 0; i < rs->completions->len; i++) {
        const char *c = g_ptr_array_index(rs->completions, i);

        if (strncmp(c, word, wlen) == 0) {
            g_ptr_array_add(matches, (gpointer)c);
        }
    }
    if (matches->len == 0) {
        return;
    }
    g_ptr_array_sort(matches, rl_cmp_str);
    first = g_ptr_array_index(matches, 0);
    if (matches->len == 1) {
        rl_insert(rs, first + wlen, strlen(first) - wlen);
        rl_insert(rs, " ", 1);
        rl_refresh(rs);
        return;
    }
    common = strlen(first);
    for (i = 1; i < matches->len; i++) {
        const char *c = g_ptr_array_index(matches, i);
        size_t n = 0;

        while (n < common && c[n] == first[n]) {
            n++;
        }
        common = n;
    }
    if (common > wlen) {
        rl_insert(rs, first + wlen, common - wlen);
    }
    rl_refresh(rs);
    rl_print_candidates(rs, matches);
    readline_show_prompt(rs);
}

/* ---- input ---- */

static void rl_handle_csi_final(ReadlineState *rs, uint8_t ch)
{
    size_t count = rs->esc_param ? rs->esc_param : 1;

    switch (ch) {
    case 'A':
        rl_history_up(rs);
        break;
    case 'B':
        rl_history_down(rs);
        break;
    case 'C':
        rs->cursor = MIN(rs->line->len, rs->cursor + count);
        break;
    case 'D':
        rs->cursor -= MIN(rs->cursor, count);
        break;
    case 'H':
        rs->cursor = 0;
        break;
    case 'F':
        rs->cursor = rs->line->len;
        break;
    case '~':
        switch (rs->esc_param) {
        case 1:
        case 7:
            rs->cursor = 0;
            break;
        case 3:
            rl_delete(rs);
            break;
        case 4:
        case 8:
            rs->cursor = rs->line->len;
            break;
        default:
            break;
        }
        break;
    default:
        break;
    }
}

void readline_handle_byte(ReadlineState *rs, uint8_t ch)
{
    bool was_cr = rs->last_was_cr;

    rs->last_was_cr = false;
    switch (rs->esc_state) {
    case RL_ESC:
        if (ch == '[') {
            rs->esc_state = RL_CSI;
            rs->esc_param = 0;
            rs->esc_in_modifier = false;
        } else if (ch == 'O') {
            rs->esc_state = RL_SS3;
        } else {
            rs->esc_state = RL_NORMAL;
        }
        return;
    case RL_CSI:
        if (ch >= '0' && ch <= '9') {
            if (!rs->esc_in_modifier && rs->esc_param < 1000) {
                rs->esc_param = rs->esc_param * 10 + (ch - '0');
            }
            return;
        }
        if (ch == ';') {
            /* A modifier follows (ESC [ 1 ; 5 C): keep the key, drop it. */
            rs->esc_in_modifier = true;
            return;
        }
        rs->esc_state = RL_NORMAL;
        rl_handle_csi_final(rs, ch);
        rl_refresh(rs);
        return;
    case RL_SS3:
        rs->esc_state = RL_NORMAL;
        rs->esc_param = 0;
        rl_handle_csi_final(rs, ch);
        rl_refresh(rs);
        return;
    default:
        break;
    }

    switch (ch) {
    case 1:     /* Ctrl-A */
        rs->cursor = 0;
        break;
    case 2:     /* Ctrl-B */
        if (rs->cursor > 0) {
            rs->cursor--;
        }
        break;
    case 3:     /* Ctrl-C: abandon the line */
        rl_puts(rs, "^C\r\n");
        g_string_truncate(rs->line, 0);
        rs->cursor = 0;
        rs->hist_pos = rs->history->len;
        readline_show_prompt(rs);
        return;
    case 4:     /* Ctrl-D */
        rl_delete(rs);
        break;
    case 5:     /* Ctrl-E */
        rs->cursor = rs->line->len;
        break;
    case 6:     /* Ctrl-F */
        if (rs->cursor < rs->line->len) {
            rs->cursor++;
        }
        break;
    case 8:     /* Ctrl-H */
    case 127:   /* DEL, what most terminals send for backspace */
        rl_backspace(rs);
        break;
    case 9:
        rl_complete(rs);
        return;
    case 10:
        /* The LF of a CR LF pair ends nothing: the CR already did. */
        if (!was_cr) {
            rl_enter(rs);
        }
        return;
    case 11:    /* Ctrl-K */
        g_string_truncate(rs->line, rs->cursor);
        break;
    case 12:    /* Ctrl-L: redraw on a fresh line */
        rl_puts(rs, "\r\n");
        readline_show_prompt(rs);
        return;
    case 13:
        rs->last_was_cr = true;
        rl_enter(rs);
        return;
    case 14:    /* Ctrl-N */
        rl_history_down(rs);
        break;
    case 16:    /* Ctrl-P */
        rl_history_up(rs);
        break;
    case 21:    /* Ctrl-U */
        g_string_erase(rs->line, 0, rs->cursor);
        rs->cursor = 0;
        break;
    case 23:    /* Ctrl-W */
        rl_erase_word(rs);
        break;
    case 27:
        rs->esc_state = RL_ESC;
        return;
    default:
        /*
         * Commands are ASCII; other bytes (including UTF-8) would break the
         * one-byte-per-column cursor arithmetic, so they are dropped.
         */
        if (ch >= 32 && ch < 127) {
            char c = ch;

            rl_insert(rs, &c, 1);
        }
        break;
    }
    rl_refresh(rs);
}

void readline_feed(ReadlineState *rs, const uint8_t *buf, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        readline_handle_byte(rs, buf[i]);
    }
}
