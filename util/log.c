/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Debug log: the -d item table, the -D destination and a serialised
 * printf. One recursive lock covers the destination so that a multi-line
 * dump (CPU state plus disassembly) taken under log_lock() stays together
 * even when several vCPU threads log at once; log_printf takes the same
 * lock, hence recursive.
 */
#include "util/log.h"
#include "util/error.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

uint32_t log_mask_enabled;

typedef struct {
    const char *name;
    uint32_t mask;
    const char *help;
} LogItem;

static const LogItem log_items[] = {
    { "out_asm", LOG_OUT_ASM, "show generated host assembly code for each compiled block" },
    { "in_asm", LOG_IN_ASM, "show guest assembly code for each compiled block" },
    { "op", LOG_OP, "show the IR of each compiled block" },
    { "op_opt", LOG_OP_OPT, "show the IR of each compiled block after optimization" },
    { "int", LOG_INT, "show interrupts and exceptions" },
    { "exec", LOG_EXEC, "show trace before each executed block" },
    { "cpu", LOG_CPU, "show CPU registers before entering a block" },
    { "mmu", LOG_MMU, "log MMU translations and faults" },
    { "page", LOG_PAGE, "dump pages at beginning of user mode emulation" },
    { "reset", LOG_RESET, "show CPU and device state before a reset" },
    { "guest_errors", LOG_GUEST_ERROR,
      "log when the guest OS does something invalid (eg accessing a\n"
      "                non-existent register)" },
    { "unimp", LOG_UNIMP, "log unimplemented functionality" },
    { "kvm", LOG_KVM, "log KVM exits and ioctl failures" },
    { "trace", LOG_TRACE, "log device register accesses" },
};

typedef struct {
    GRecMutex lock;
    FILE *file;             /* NULL means stderr */
    char *path;
} LogState;

static LogState ls;

static FILE *log_out(void)
{
    return ls.file ? ls.file : stderr;
}

bool log_parse_items(const char *items, uint32_t *mask, GError **errp)
{
    uint32_t m = 0;
    char **parts;
    bool ok = true;

    if (!items || !*items) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "-d: empty log item list");
        return false;
    }
    parts = g_strsplit(items, ",", -1);
    for (char **p = parts; *p; p++) {
        size_t i;

        for (i = 0; i < G_N_ELEMENTS(log_items); i++) {
            if (strcmp(*p, log_items[i].name) == 0) {
                m |= log_items[i].mask;
                break;
            }
        }
        if (i == G_N_ELEMENTS(log_items)) {
            if (**p) {
                g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                            "-d %s: unknown log item '%s'", items, *p);
            } else {
                g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "-d %s: empty log item",
                            items);
            }
            ok = false;
            break;
        }
    }
    g_strfreev(parts);
    if (ok) {
        *mask = m;
    }
    return ok;
}

bool log_set_items(const char *items, GError **errp)
{
    uint32_t m;

    if (!log_parse_items(items, &m, errp)) {
        return false;
    }
    log_set_mask(m);
    return true;
}

void log_set_mask(uint32_t mask)
{
    __atomic_store_n(&log_mask_enabled, mask, __ATOMIC_RELAXED);
}

void log_print_items(FILE *out)
{
    fprintf(out, "Log items (comma separated):\n");
    for (size_t i = 0; i < G_N_ELEMENTS(log_items); i++) {
        fprintf(out, "%-15s %s\n", log_items[i].name, log_items[i].help);
    }
}

bool log_set_file(const char *path, GError **errp)
{
    FILE *f = NULL;

    if (path) {
        f = fopen(path, "w");
        if (!f) {
            int err = errno;

            g_set_error(errp, TERN_ERROR, TERN_ERROR_IO, "-D %s: cannot open log file: %s",
                        path, g_strerror(err));
            return false;
        }
        /* Line-buffered so a crash loses at most a partial line. */
        setvbuf(f, NULL, _IOLBF, 0);
    }
    g_rec_mutex_lock(&ls.lock);
    if (ls.file) {
        fclose(ls.file);
    }
    g_free(ls.path);
    ls.file = f;
    ls.path = g_strdup(path);
    g_rec_mutex_unlock(&ls.lock);
    return true;
}

const char *log_file_path(void)
{
    return ls.path;
}

FILE *log_lock(void)
{
    g_rec_mutex_lock(&ls.lock);
    return log_out();
}

void log_unlock(void)
{
    g_rec_mutex_unlock(&ls.lock);
}

void log_vprintf(const char *fmt, va_list ap)
{
    g_rec_mutex_lock(&ls.lock);
    vfprintf(log_out(), fmt, ap);
    g_rec_mutex_unlock(&ls.lock);
}

void log_printf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    log_vprintf(fmt, ap);
    va_end(ap);
}

void log_flush(void)
{
    g_rec_mutex_lock(&ls.lock);
    fflush(log_out());
    g_rec_mutex_unlock(&ls.lock);
}
