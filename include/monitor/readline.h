/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Line editing for the human monitor. The editor knows nothing about
 * terminals or chardevs: bytes typed by the user go in through
 * readline_feed(), terminal output (echo, cursor movement as ANSI escapes)
 * comes out through a write callback, and each finished line is handed to a
 * line callback. That keeps it usable on any chardev and testable without a
 * terminal.
 */
#ifndef MONITOR_READLINE_H
#define MONITOR_READLINE_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest line kept; further input is dropped with a bell. */
#define READLINE_MAX_LINE    4096
/* Entries kept in the history list; the oldest is dropped first. */
#define READLINE_MAX_HISTORY 64

typedef struct ReadlineState ReadlineState;

/* Terminal output (echo, escapes, completion lists). */
typedef void (*ReadlineWriteFunc)(void *opaque, const char *buf, size_t len);
/* A complete line, without its terminator. */
typedef void (*ReadlineLineFunc)(void *opaque, const char *line);
/*
 * Tab completion: text is the line up to the cursor. The callback calls
 * readline_add_completion() with full replacement words for the word that
 * ends at the cursor (the text after the last space).
 */
typedef void (*ReadlineCompleteFunc)(void *opaque, ReadlineState *rs,
                                     const char *text);

ReadlineState *readline_new(ReadlineWriteFunc write_fn,
                            ReadlineLineFunc line_fn,
                            ReadlineCompleteFunc complete_fn, void *opaque);
void readline_free(ReadlineState *rs);

/* The prompt printed by readline_show_prompt(); copied. */
void readline_set_prompt(ReadlineState *rs, const char *prompt);
/*
 * Print the prompt and the current (possibly partially typed) line. The
 * line callback does not reprint the prompt itself so the caller can print
 * command output first.
 */
void readline_show_prompt(ReadlineState *rs);

void readline_feed(ReadlineState *rs, const uint8_t *buf, size_t len);
void readline_handle_byte(ReadlineState *rs, uint8_t ch);

/* Called from the completion callback: one candidate word. */
void readline_add_completion(ReadlineState *rs, const char *word);

/* Current edit state, for tests and for redrawing. */
const char *readline_get_line(const ReadlineState *rs);
size_t readline_get_cursor(const ReadlineState *rs);

/* History, oldest first. */
guint readline_history_len(const ReadlineState *rs);
const char *readline_history_get(const ReadlineState *rs, guint i);

#endif
