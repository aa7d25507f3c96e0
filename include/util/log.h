/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Debug logging selected with -d ITEM[,ITEM...] and redirected with -D FILE.
 * Callers test a mask bit before formatting anything, so a disabled item
 * costs one load and one branch. Guest mistakes use LOG_GUEST_ERROR and are
 * rate-limited so a misbehaving guest cannot flood the host.
 */
#ifndef UTIL_LOG_H
#define UTIL_LOG_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum {
    LOG_GUEST_ERROR = 1u << 0,  /* guest did something invalid */
    LOG_UNIMP       = 1u << 1,  /* guest used something not implemented */
    LOG_INT         = 1u << 2,  /* interrupts and exceptions */
    LOG_IN_ASM      = 1u << 3,  /* guest code of each new block */
    LOG_OUT_ASM     = 1u << 4,  /* host code generated for each block */
    LOG_OP          = 1u << 5,  /* IR of each block */
    LOG_OP_OPT      = 1u << 6,  /* IR after optimization */
    LOG_EXEC        = 1u << 7,  /* each block executed */
    LOG_CPU         = 1u << 8,  /* CPU state before each block */
    LOG_MMU         = 1u << 9,  /* MMU translations and faults */
    LOG_PAGE        = 1u << 10, /* page tracking for translated code */
    LOG_RESET       = 1u << 11, /* CPU and device resets */
    LOG_KVM         = 1u << 12, /* KVM exits */
    LOG_TRACE       = 1u << 13, /* device register accesses */
};

extern uint32_t log_mask_enabled;

static inline bool log_enabled(uint32_t mask)
{
    return __builtin_expect((log_mask_enabled & mask) != 0, 0);
}

/* Parse "-d" items ("help" is handled by the caller via log_print_items). */
bool log_set_items(const char *items, GError **errp);
/* Redirect logging to a file ("-D"); NULL restores stderr. */
bool log_set_file(const char *path, GError **errp);
/* Print the "-d help" listing. */
void log_print_items(FILE *out);

/* Parse "-d" items into a mask without applying it. */
bool log_parse_items(const char *items, uint32_t *mask, GError **errp);
/* Replace the enabled mask (tests, monitor "log" command). */
void log_set_mask(uint32_t mask);
/* Current -D path, or NULL for stderr. */
const char *log_file_path(void);
/*
 * Hold the log across several writes (multi-line dumps); returns the
 * destination stream. log_printf may be used while holding it.
 */
FILE *log_lock(void);
void log_unlock(void);

void log_printf(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void log_vprintf(const char *fmt, va_list ap);
void log_flush(void);

#define log_mask(mask, ...)                \
    do {                                   \
        if (log_enabled(mask)) {           \
            log_printf(__VA_ARGS__);       \
        }                                  \
    } while (0)

/* A guest error, rate-limited per call site. */
#define log_guest_error(...)                                   \
    do {                                                       \
        static unsigned log_count_;                            \
        if (log_enabled(LOG_GUEST_ERROR) && log_count_ < 1000) { \
            log_count_++;                                      \
            log_printf(__VA_ARGS__);                           \
        }                                                      \
    } while (0)

#endif
