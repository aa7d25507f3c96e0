/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * HMP command table, parser and the general commands (help, run control,
 * log, memory dumps, print). Commands and `info` sub-commands live in two
 * name-sorted tables that any subsystem can add to at start-up; the
 * built-ins are registered lazily on first use so registration order does
 * not matter. Every handler reports bad input as one line on the monitor:
 * nothing typed here may crash Tern.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monitor/monitor.h"
#include "system/cpus.h"
#include "system/memory.h"
#include "system/runstate.h"
#include "util/error.h"
#include "util/log.h"

/* Longest memory dump one command may produce, so a typo cannot stall. */
#define HMP_DUMP_MAX (64 * 1024)

typedef struct HmpCmd {
    char **names;           /* first is the display name, then aliases */
    char *args_help;
    char *help;
    HmpHandler fn;
} HmpCmd;

typedef struct HmpState {
    bool initialised;
    GPtrArray *cmds;        /* HmpCmd *, sorted by display name */
    GPtrArray *infos;
    char *vm_name;
    DisasArch disas_arch;
    bool disas_arch_set;
    HmpVirtTranslateFunc virt_translate;
    void *virt_translate_opaque;
    HmpRegisterLookupFunc reg_lookup;
    void *reg_lookup_opaque;
    const char *const *reg_names;
    Monitor *running;       /* the monitor whose command is executing */
} HmpState;

static HmpState hmp;

static void hmp_register_builtins(void);

static void hmp_cmd_free(gpointer p)
{
    HmpCmd *c = p;

    g_strfreev(c->names);
    g_free(c->args_help);
    g_free(c->help);
    g_free(c);
}

static void hmp_ensure_init(void)
{
    if (hmp.initialised) {
        return;
    }
    hmp.initialised = true;
    hmp.cmds = g_ptr_array_new_with_free_func(hmp_cmd_free);
    hmp.infos = g_ptr_array_new_with_free_func(hmp_cmd_free);
    hmp_register_builtins();
    hmp_info_register_builtins();
}

static HmpCmd *hmp_find(GPtrArray *table, const char *name, size_t len)
{
    guint i;

    for (i = 0; i < table->len; i++) {
        HmpCmd *c = g_ptr_array_index(table, i);
        char **n;

        for (n = c->names; *n; n++) {
            if (strlen(*n) == len && strncmp(*n, name, len) == 0) {
                return c;
            }
        }
    }
    return NULL;
}

static gint hmp_cmd_cmp(gconstpointer a, gconstpointer b)
{
    const HmpCmd *x = *(HmpCmd *const *)a, *y = *(HmpCmd *const *)b;

    return strcmp(x->names[0], y->names[0]);
}

static void hmp_table_add(GPtrArray *table, const char *name,
                          const char *args_help, const char *help,
                          HmpHandler fn)
{
    HmpCmd *c;
    char **n;

    g_return_if_fail(name && name[0] && fn);
    c = g_new0(HmpCmd, 1);
    c->names = g_strsplit(name, "|", -1);
    c->args_help = g_strdup(args_help ? args_help : "");
    c->help = g_strdup(help ? help : "");
    c->fn = fn;

    /* A new entry takes over every name it claims. */
    for (n = c->names; *n; n++) {
        HmpCmd *old = hmp_find(table, *n, strlen(*n));

        if (old) {
            g_ptr_array_remove(table, old);
        }
    }
    g_ptr_array_add(table, c);
    g_ptr_array_sort(table, hmp_cmd_cmp);
}

void hmp_register_command(const char *name, const char *args_help,
                          const char *help, HmpHandler fn)
{
    hmp_ensure_init();
    hmp_table_add(hmp.cmds, name, args_help, help, fn);
}

void hmp_register_info(const char *name, const char *args_help,
                       const char *help, HmpHandler fn)
{
    hmp_ensure_init();
    hmp_table_add(hmp.infos, name, args_help, help, fn);
}

void hmp_reset_commands(void)
{
    if (hmp.initialised) {
        g_ptr_array_free(hmp.cmds, TRUE);
        g_ptr_array_free(hmp.infos, TRUE);
        hmp.initialised = false;
    }
    hmp_ensure_init();
}

void hmp_set_vm_name(const char *name)
{
    g_free(hmp.vm_name);
    hmp.vm_name = g_strdup(name);
}

const char *hmp_get_vm_name(void)
{
    return hmp.vm_name;
}

void hmp_set_disas_arch(DisasArch arch)
{
    hmp.disas_arch = arch;
    hmp.disas_arch_set = true;
}

void hmp_set_virt_translate(HmpVirtTranslateFunc fn, void *opaque)
{
    hmp.virt_translate = fn;
    hmp.virt_translate_opaque = opaque;
}

void hmp_set_register_lookup(HmpRegisterLookupFunc fn, void *opaque)
{
    hmp.reg_lookup = fn;
    hmp.reg_lookup_opaque = opaque;
}

void hmp_set_register_names(const char *const *names)
{
    hmp.reg_names = names;
}

int hmp_current_cpu_index(void)
{
    return hmp.running ? monitor_get_cpu_index(hmp.running) : 0;
}

/* ---- parsing and dispatch ---- */

static const char *skip_blanks(const char *p)
{
    while (*p == ' ' || *p == '\t') {
        p++;
    }
    return p;
}

/* Command names end at a blank or at '/', so "xp/4x 0" works as in QEMU. */
static size_t name_len(const char *p)
{
    size_t n = 0;

    while (p[n] && p[n] != ' ' && p[n] != '\t' && p[n] != '/') {
        n++;
    }
    return n;
}

static void hmp_print_entry(Monitor *mon, const char *prefix, const HmpCmd *c)
{
    g_autofree char *names = g_strjoinv("|", c->names);

    monitor_printf(mon, "%s%s%s%s -- %s\n", prefix, names,
                   c->args_help[0] ? " " : "", c->args_help, c->help);
}

static void hmp_list(Monitor *mon, GPtrArray *table, const char *prefix)
{
    guint i;

    for (i = 0; i < table->len; i++) {
        hmp_print_entry(mon, prefix, g_ptr_array_index(table, i));
    }
}

/* A copy without leading and trailing blanks. */
static char *hmp_trim(const char *s)
{
    char *r = g_strdup(skip_blanks(s));

    g_strchomp(r);
    return r;
}

void hmp_handle_command(Monitor *mon, const char *cmdline)
{
    g_autofree char *raw = NULL, *line = NULL;
    const char *p, *args;
    size_t len;
    HmpCmd *c;

    hmp_ensure_init();
    raw = g_strdup(cmdline ? cmdline : "");
    /* Control characters from a raw client separate words like blanks. */
    for (char *q = raw; *q; q++) {
        if ((unsigned char)*q < 0x20) {
            *q = ' ';
        }
    }
    line = hmp_trim(raw);
    p = line;
    if (!*p) {
        return;
    }
    len = name_len(p);
    if (len == 0) {
        monitor_printf(mon, "unknown command: '%s'\n", line);
        return;
    }
    c = hmp_find(hmp.cmds, p, len);
    if (!c) {
        monitor_printf(mon, "unknown command: '%.*s'\n", (int)len, p);
        return;
    }
    args = skip_blanks(p + len);
    /* Commands may nest (human-monitor-command); restore the outer one. */
    {
        Monitor *outer = hmp.running;

        hmp.running = mon;
        c->fn(mon, args);
        hmp.running = outer;
    }
}

static void complete_table(GPtrArray *table,
                           void (*add)(void *opaque, const char *word),
                           void *opaque)
{
    guint i;

    for (i = 0; i < table->len; i++) {
        HmpCmd *c = g_ptr_array_index(table, i);
        char **n;

        for (n = c->names; *n; n++) {
            add(opaque, *n);
        }
    }
}

/* The names `log` accepts, read from the same listing `log help` prints. */
static void complete_log_items(const char *word,
                               void (*add)(void *opaque, const char *word),
                               void *opaque)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    g_auto(GStrv) lines = NULL;
    const char *comma = strrchr(word, ',');
    g_autofree char *prefix = comma ? g_strndup(word, comma - word + 1)
                                    : g_strdup("");

    if (!f) {
        return;
    }
    log_print_items(f);
    fclose(f);
    lines = g_strsplit(text, "\n", -1);
    free(text);
    /* The first line is a heading; items are the first word of the rest. */
    for (guint i = 1; lines[i]; i++) {
        g_autofree char *item = NULL;
        size_t n = strcspn(lines[i], " \t");

        if (n == 0) {
            continue;
        }
        item = g_strdup_printf("%s%.*s", prefix, (int)n, lines[i]);
        add(opaque, item);
    }
}

static bool cmd_is(const char *word, const char *name)
{
    /* "x/4i" names x, as on the command line. */
    HmpCmd *c = hmp_find(hmp.cmds, word, name_len(word));
    HmpCmd *target = hmp_find(hmp.cmds, name, strlen(name));

    return c && c == target;
}

void hmp_complete(Monitor *mon, const char *text,
                  void (*add)(void *opaque, const char *word), void *opaque)
{
    g_auto(GStrv) words = NULL;
    const char *p = skip_blanks(text);
    const char *last;
    guint nwords, i;

    hmp_ensure_init();
    words = g_strsplit_set(p, " \t", -1);
    nwords = g_strv_length(words);
    /* Empty pieces come from repeated blanks; count the real words. */
    {
        guint real = 0;

        for (i = 0; i < nwords; i++) {
            if (words[i][0] || i == nwords - 1) {
                words[real++] = words[i];
            } else {
                g_free(words[i]);
            }
        }
        words[real] = NULL;
        nwords = real;
    }
    if (nwords <= 1) {
        complete_table(hmp.cmds, add, opaque);
        return;
    }
    last = words[nwords - 1];
    /* A "$reg" word anywhere in an expression command. */
    if (last[0] == '$' && hmp.reg_names &&
        (cmd_is(words[0], "print") || cmd_is(words[0], "x") ||
         cmd_is(words[0], "xp"))) {
        for (const char *const *r = hmp.reg_names; *r; r++) {
            g_autofree char *w = g_strconcat("$", *r, NULL);

            add(opaque, w);
        }
        return;
    }
    if (cmd_is(words[0], "info")) {
        if (nwords == 2) {
            complete_table(hmp.infos, add, opaque);
        } else if (nwords == 3 && strcmp(words[1], "mtree") == 0) {
            add(opaque, "-f");
        }
        return;
    }
    if (nwords == 2 && cmd_is(words[0], "help")) {
        complete_table(hmp.cmds, add, opaque);
        return;
    }
    if (nwords == 3 && cmd_is(words[0], "help") &&
        strcmp(words[1], "info") == 0) {
        complete_table(hmp.infos, add, opaque);
        return;
    }
    if (nwords == 2 && cmd_is(words[0], "log")) {
        complete_log_items(last, add, opaque);
        return;
    }
    if (nwords == 2 && cmd_is(words[0], "cpu")) {
        int n = cpu_count();

        for (int k = 0; k < n; k++) {
            g_autofree char *w = g_strdup_printf("%d", k);

            add(opaque, w);
        }
        return;
    }
}

/* ---- expressions ---- */

/* Nesting limit, so "((((..." cannot exhaust the main thread's stack. */
#define EXPR_MAX_DEPTH 64

typedef struct ExprParser {
    const char *p;
    GError **errp;
    bool failed;
    unsigned depth;
} ExprParser;

static bool expr_or(ExprParser *e, uint64_t *v);

static void expr_error(ExprParser *e, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void expr_error(ExprParser *e, const char *fmt, ...)
{
    va_list ap;

    if (e->failed) {
        return;
    }
    e->failed = true;
    va_start(ap, fmt);
    if (e->errp) {
        g_autofree char *msg = g_strdup_vprintf(fmt, ap);

        g_set_error_literal(e->errp, TERN_ERROR, TERN_ERROR_INVALID, msg);
    }
    va_end(ap);
}

static void expr_skip(ExprParser *e)
{
    e->p = skip_blanks(e->p);
}

static bool expr_primary(ExprParser *e, uint64_t *v)
{
    expr_skip(e);
    if (*e->p == '(') {
        bool ok;

        if (e->depth >= EXPR_MAX_DEPTH) {
            expr_error(e, "expression nested too deeply");
            return false;
        }
        e->p++;
        e->depth++;
        ok = expr_or(e, v);
        e->depth--;
        if (!ok) {
            return false;
        }
        expr_skip(e);
        if (*e->p != ')') {
            expr_error(e, "')' expected");
            return false;
        }
        e->p++;
        return true;
    }
    if (*e->p == '$') {
        const char *start = ++e->p;
        g_autofree char *name = NULL;

        while (g_ascii_isalnum(*e->p) || *e->p == '_' || *e->p == '.') {
            e->p++;
        }
        name = g_strndup(start, e->p - start);
        if (!name[0]) {
            expr_error(e, "register name expected after '$'");
            return false;
        }
        if (!hmp.reg_lookup ||
            !hmp.reg_lookup(hmp.reg_lookup_opaque, name, v)) {
            expr_error(e, "unknown register '$%s'", name);
            return false;
        }
        return true;
    }
    if (g_ascii_isdigit(*e->p)) {
        char *end;

        errno = 0;
        *v = g_ascii_strtoull(e->p, &end, 0);
        if (errno == ERANGE) {
            expr_error(e, "number too large: '%.*s'", (int)(end - e->p), e->p);
            return false;
        }
        if (g_ascii_isalnum(*end) || *end == '_') {
            expr_error(e, "invalid number '%.*s'", (int)(end - e->p + 1), e->p);
            return false;
        }
        e->p = end;
        return true;
    }
    if (!*e->p) {
        expr_error(e, "unexpected end of expression");
    } else {
        expr_error(e, "unexpected character '%c' in expression", *e->p);
    }
    return false;
}

static bool expr_unary(ExprParser *e, uint64_t *v)
{
    char op;

    expr_skip(e);
    op = *e->p;
    if (op == '-' || op == '+' || op == '~' || op == '!') {
        bool ok;

        if (e->depth >= EXPR_MAX_DEPTH) {
            expr_error(e, "expression nested too deeply");
            return false;
        }
        e->p++;
        e->depth++;
        ok = expr_unary(e, v);
        e->depth--;
        if (!ok) {
            return false;
        }
        switch (op) {
        case '-':
            *v = -*v;
            break;
        case '~':
            *v = ~*v;
            break;
        case '!':
            *v = !*v;
            break;
        default:
            break;
        }
        return true;
    }
    return expr_primary(e, v);
}

static bool expr_mul(ExprParser *e, uint64_t *v)
{
    if (!expr_unary(e, v)) {
        return false;
    }
    for (;;) {
        uint64_t r;
        char op;

        expr_skip(e);
        op = *e->p;
        if (op != '*' && op != '/' && op != '%') {
            return true;
        }
        e->p++;
        if (!expr_unary(e, &r)) {
            return false;
        }
        if (op != '*' && r == 0) {
            expr_error(e, "division by zero");
            return false;
        }
        *v = op == '*' ? *v * r : op == '/' ? *v / r : *v % r;
    }
}

static bool expr_add(ExprParser *e, uint64_t *v)
{
    if (!expr_mul(e, v)) {
        return false;
    }
    for (;;) {
        uint64_t r;
        char op;

        expr_skip(e);
        op = *e->p;
        if (op != '+' && op != '-') {
            return true;
        }
        e->p++;
        if (!expr_mul(e, &r)) {
            return false;
        }
        *v = op == '+' ? *v + r : *v - r;
    }
}

static bool expr_shift(ExprParser *e, uint64_t *v)
{
    if (!expr_add(e, v)) {
        return false;
    }
    for (;;) {
        uint64_t r;
        bool left;

        expr_skip(e);
        if (strncmp(e->p, "<<", 2) == 0) {
            left = true;
        } else if (strncmp(e->p, ">>", 2) == 0) {
            left = false;
        } else {
            return true;
        }
        e->p += 2;
        if (!expr_add(e, &r)) {
            return false;
        }
        if (r >= 64) {
            *v = 0;
        } else {
            *v = left ? *v << r : *v >> r;
        }
    }
}

/*
 * One left-associative level of &, ^ or |: C's precedence, with "&&" and
 * "||" rejected rather than misread as two single operators.
 */
static bool expr_binary_level(ExprParser *e, uint64_t *v, char op,
                              bool (*next)(ExprParser *, uint64_t *))
{
    if (!next(e, v)) {
        return false;
    }
    for (;;) {
        uint64_t r;

        expr_skip(e);
        if (*e->p != op || e->p[1] == op) {
            return true;
        }
        e->p++;
        if (!next(e, &r)) {
            return false;
        }
        *v = op == '&' ? *v & r : op == '^' ? *v ^ r : *v | r;
    }
}

static bool expr_and(ExprParser *e, uint64_t *v)
{
    return expr_binary_level(e, v, '&', expr_shift);
}

static bool expr_xor(ExprParser *e, uint64_t *v)
{
    return expr_binary_level(e, v, '^', expr_and);
}

static bool expr_or(ExprParser *e, uint64_t *v)
{
    return expr_binary_level(e, v, '|', expr_xor);
}

bool hmp_eval_expr(const char *expr, uint64_t *out, GError **errp)
{
    ExprParser e = { .p = expr ? expr : "", .errp = errp };
    uint64_t v = 0;

    if (!expr_or(&e, &v)) {
        return false;
    }
    expr_skip(&e);
    if (*e.p) {
        if (*e.p == ')') {
            expr_error(&e, "unbalanced ')' in expression");
        } else {
            expr_error(&e, "unexpected character '%c' in expression", *e.p);
        }
        return false;
    }
    *out = v;
    return true;
}

/* ---- /Nfu formats ---- */

typedef struct DumpFormat {
    uint64_t count;
    char format;    /* x d u o c i */
    unsigned size;  /* 1 2 4 8 */
} DumpFormat;

/*
 * Parse an optional "/Nfu" at *pp. Format letters and size letters may come
 * in any order after the count; sizes default to 4 bytes (1 for chars).
 */
static bool parse_dump_format(const char **pp, DumpFormat *f, char def_format,
                              GError **errp)
{
    const char *p = skip_blanks(*pp);
    bool have_size = false;

    f->count = 1;
    f->format = def_format;
    f->size = 4;
    if (*p != '/') {
        *pp = p;
        if (def_format == 'c') {
            f->size = 1;
        }
        return true;
    }
    p++;
    if (g_ascii_isdigit(*p)) {
        char *end;

        errno = 0;
        f->count = g_ascii_strtoull(p, &end, 10);
        if (errno == ERANGE) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "count too large");
            return false;
        }
        p = end;
    }
    while (*p && *p != ' ' && *p != '\t') {
        switch (*p) {
        case 'x': case 'd': case 'u': case 'o': case 'c': case 'i':
            f->format = *p;
            break;
        case 'b':
            f->size = 1;
            have_size = true;
            break;
        case 'h':
            f->size = 2;
            have_size = true;
            break;
        case 'w':
            f->size = 4;
            have_size = true;
            break;
        case 'g':
            f->size = 8;
            have_size = true;
            break;
        default:
            g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                        "invalid char in format: '%c'", *p);
            return false;
        }
        p++;
    }
    if (f->format == 'c' && !have_size) {
        f->size = 1;
    }
    *pp = skip_blanks(p);
    return true;
}

static void print_char(GString *out, unsigned c)
{
    switch (c) {
    case '\'':
        g_string_append(out, "'\\''");
        break;
    case '\\':
        g_string_append(out, "'\\\\'");
        break;
    case '\n':
        g_string_append(out, "'\\n'");
        break;
    case '\r':
        g_string_append(out, "'\\r'");
        break;
    case '\t':
        g_string_append(out, "'\\t'");
        break;
    default:
        if (c >= 32 && c < 127) {
            g_string_append_printf(out, "'%c'", c);
        } else {
            g_string_append_printf(out, "'\\x%02x'", c & 0xff);
        }
        break;
    }
}

static void format_value(GString *out, const DumpFormat *f, uint64_t v)
{
    unsigned bits = f->size * 8;

    switch (f->format) {
    case 'x':
        g_string_append_printf(out, "0x%0*" PRIx64, (int)(f->size * 2), v);
        break;
    case 'o':
        g_string_append_printf(out, "%#*" PRIo64, (int)((bits + 2) / 3 + 1), v);
        break;
    case 'u':
        g_string_append_printf(out, "%*" PRIu64, (int)((bits * 10 + 32) / 33), v);
        break;
    case 'd': {
        int64_t s = bits == 64 ? (int64_t)v
                    : (int64_t)(v << (64 - bits)) >> (64 - bits);

        g_string_append_printf(out, "%*" PRId64, (int)((bits * 10 + 32) / 33 + 1), s);
        break;
    }
    case 'c':
        print_char(out, (unsigned)v);
        break;
    default:
        break;
    }
}

/*
 * Read len bytes of guest memory at addr into buf, through the virtual
 * translation hook when `virt` is set. Page by page, because consecutive
 * virtual pages need not be physically contiguous.
 */
static bool dump_read(uint64_t addr, uint8_t *buf, size_t len, bool virt,
                      GError **errp)
{
    const uint64_t page = 4096;

    if (!virt || !hmp.virt_translate) {
        address_space_read(address_space_memory(), addr, buf, len);
        return true;
    }
    while (len) {
        uint64_t chunk = page - (addr & (page - 1));
        uint64_t paddr;

        chunk = MIN(chunk, len);
        if (!hmp.virt_translate(hmp.virt_translate_opaque, addr, &paddr)) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                        "Cannot access memory at 0x%" PRIx64, addr);
            return false;
        }
        address_space_read(address_space_memory(), paddr, buf, chunk);
        addr += chunk;
        buf += chunk;
        len -= chunk;
    }
    return true;
}

static uint64_t load_le(const uint8_t *p, unsigned size)
{
    uint64_t v = 0;
    unsigned i;

    for (i = 0; i < size; i++) {
        v |= (uint64_t)p[i] << (8 * i);
    }
    return v;
}

static void dump_disas(Monitor *mon, uint64_t addr, uint64_t count, bool virt)
{
    /* 16 bytes per instruction covers every architecture we disassemble. */
    size_t len = count * 16, off = 0;
    g_autofree uint8_t *buf = NULL;
    g_autoptr(GString) out = g_string_new(NULL);
    g_autoptr(GError) err = NULL;
    uint64_t i;

    if (!hmp.disas_arch_set) {
        monitor_printf(mon, "no disassembler is set up for this machine\n");
        return;
    }
    buf = g_malloc(len);
    if (!dump_read(addr, buf, len, virt, &err)) {
        monitor_printf(mon, "%s\n", err->message);
        return;
    }
    for (i = 0; i < count && off < len; i++) {
        off += disas_one(out, hmp.disas_arch, buf + off, len - off, addr + off);
    }
    monitor_puts(mon, out->str);
}

static void hmp_memory_dump(Monitor *mon, const char *cmd, const char *args,
                            bool virt)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(GString) out = NULL;
    g_autofree uint8_t *buf = NULL;
    const char *p = args;
    DumpFormat f;
    uint64_t addr, total, i;
    unsigned per_line;

    if (!parse_dump_format(&p, &f, 'x', &err)) {
        monitor_printf(mon, "%s: %s\n", cmd, err->message);
        return;
    }
    if (!*p) {
        monitor_printf(mon, "%s: address expected\n", cmd);
        return;
    }
    if (!hmp_eval_expr(p, &addr, &err)) {
        monitor_printf(mon, "%s: %s\n", cmd, err->message);
        return;
    }
    if (f.count == 0) {
        return;
    }
    if (f.count > HMP_DUMP_MAX / (f.format == 'i' ? 16 : f.size)) {
        monitor_printf(mon, "%s: count too large (at most %u bytes at once)\n",
                       cmd, HMP_DUMP_MAX);
        return;
    }
    if (f.format == 'i') {
        dump_disas(mon, addr, f.count, virt);
        return;
    }
    total = f.count * f.size;
    buf = g_malloc(total);
    if (!dump_read(addr, buf, total, virt, &err)) {
        monitor_printf(mon, "%s\n", err->message);
        return;
    }
    per_line = f.format == 'c' ? 8 : 16 / f.size;
    if (f.format == 'c' && f.size > 1) {
        per_line = 16 / f.size;
    }
    out = g_string_new(NULL);
    for (i = 0; i < f.count; i++) {
        if (i % per_line == 0) {
            if (i) {
                g_string_append_c(out, '\n');
            }
            g_string_append_printf(out, "%016" PRIx64 ":", addr + i * f.size);
        }
        g_string_append_c(out, ' ');
        format_value(out, &f, load_le(buf + i * f.size, f.size));
    }
    g_string_append_c(out, '\n');
    monitor_puts(mon, out->str);
}

/* ---- built-in commands ---- */

static void hmp_help(Monitor *mon, const char *args)
{
    g_autofree char *name = hmp_trim(args);
    HmpCmd *c;

    if (!name[0]) {
        hmp_list(mon, hmp.cmds, "");
        return;
    }
    if (strcmp(name, "info") == 0) {
        hmp_list(mon, hmp.infos, "info ");
        return;
    }
    if (g_str_has_prefix(name, "info ")) {
        const char *sub = skip_blanks(name + 5);

        c = hmp_find(hmp.infos, sub, strlen(sub));
        if (c) {
            hmp_print_entry(mon, "info ", c);
        } else {
            monitor_printf(mon, "unknown command: 'info %s'\n", sub);
        }
        return;
    }
    c = hmp_find(hmp.cmds, name, strlen(name));
    if (!c) {
        monitor_printf(mon, "unknown command: '%s'\n", name);
        return;
    }
    hmp_print_entry(mon, "", c);
}

static void hmp_info(Monitor *mon, const char *args)
{
    const char *p = skip_blanks(args);
    size_t len = name_len(p);
    HmpCmd *c;

    if (len == 0) {
        hmp_list(mon, hmp.infos, "info ");
        return;
    }
    c = hmp_find(hmp.infos, p, len);
    if (!c) {
        monitor_printf(mon, "unknown command: 'info %.*s'\n", (int)len, p);
        return;
    }
    c->fn(mon, skip_blanks(p + len));
}

static bool hmp_no_args(Monitor *mon, const char *cmd, const char *args)
{
    if (*skip_blanks(args)) {
        monitor_printf(mon, "%s: too many arguments\n", cmd);
        return false;
    }
    return true;
}

static void hmp_stop(Monitor *mon, const char *args)
{
    if (!hmp_no_args(mon, "stop", args)) {
        return;
    }
    if (runstate_is_running()) {
        vm_stop(RUN_STATE_PAUSED);
    }
}

static void hmp_cont(Monitor *mon, const char *args)
{
    RunState st;

    if (!hmp_no_args(mon, "cont", args)) {
        return;
    }
    st = runstate_get();
    if (st == RUN_STATE_RUNNING || st == RUN_STATE_SUSPENDED) {
        return;
    }
    if (!runstate_can_transition(st, RUN_STATE_RUNNING)) {
        monitor_printf(mon, "Resetting the Virtual Machine is required\n");
        return;
    }
    vm_start();
}

static void hmp_system_reset(Monitor *mon, const char *args)
{
    if (hmp_no_args(mon, "system_reset", args)) {
        request_reset(SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET);
    }
}

static void hmp_system_powerdown(Monitor *mon, const char *args)
{
    if (hmp_no_args(mon, "system_powerdown", args)) {
        request_powerdown();
    }
}

static void hmp_quit(Monitor *mon, const char *args)
{
    if (hmp_no_args(mon, "quit", args)) {
        request_shutdown(SHUTDOWN_CAUSE_HOST_QMP_QUIT);
    }
}

static void hmp_log(Monitor *mon, const char *args)
{
    g_autofree char *items = hmp_trim(args);
    g_autoptr(GError) err = NULL;

    if (!items[0]) {
        monitor_printf(mon, "log: item list expected (try 'log help')\n");
        return;
    }
    if (strcmp(items, "help") == 0 || strcmp(items, "?") == 0) {
        char *text = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&text, &size);

        if (!f) {
            monitor_printf(mon, "log: out of memory\n");
            return;
        }
        log_print_items(f);
        fclose(f);
        monitor_puts(mon, text);
        free(text);
        return;
    }
    if (!log_set_items(items, &err)) {
        monitor_printf(mon, "log: %s\n", err->message);
    }
}

static void hmp_xp(Monitor *mon, const char *args)
{
    hmp_memory_dump(mon, "xp", args, false);
}

static void hmp_x(Monitor *mon, const char *args)
{
    hmp_memory_dump(mon, "x", args, true);
}

static void hmp_print(Monitor *mon, const char *args)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(GString) out = g_string_new(NULL);
    const char *p = args;
    DumpFormat f;
    uint64_t v;

    if (!parse_dump_format(&p, &f, 'd', &err)) {
        monitor_printf(mon, "print: %s\n", err->message);
        return;
    }
    if (!*p) {
        monitor_printf(mon, "print: expression expected\n");
        return;
    }
    if (!hmp_eval_expr(p, &v, &err)) {
        monitor_printf(mon, "print: %s\n", err->message);
        return;
    }
    switch (f.format) {
    case 'x':
        g_string_append_printf(out, "%#" PRIx64, v);
        break;
    case 'o':
        g_string_append_printf(out, "%#" PRIo64, v);
        break;
    case 'u':
        g_string_append_printf(out, "%" PRIu64, v);
        break;
    case 'c':
        print_char(out, (unsigned)(v & 0xff));
        break;
    case 'i':
        monitor_printf(mon, "print: format 'i' needs memory (use x or xp)\n");
        return;
    default:
        g_string_append_printf(out, "%" PRId64, (int64_t)v);
        break;
    }
    monitor_printf(mon, "%s\n", out->str);
}

static void hmp_cpu(Monitor *mon, const char *args)
{
    g_autofree char *arg = hmp_trim(args);
    char *end;
    long n;

    if (!arg[0]) {
        monitor_printf(mon, "cpu: CPU index expected\n");
        return;
    }
    errno = 0;
    n = strtol(arg, &end, 0);
    if (errno || *end || n < 0 || n > G_MAXINT) {
        monitor_printf(mon, "cpu: invalid CPU index '%s'\n", arg);
        return;
    }
    if (!cpu_by_index((int)n)) {
        monitor_printf(mon, "invalid CPU index %ld (the machine has %d)\n",
                       n, cpu_count());
        return;
    }
    monitor_set_cpu_index(mon, (int)n);
}

/*
 * Until a display device exists there is no keyboard to send to and no
 * frame to dump: one line that says so, rather than "unknown command".
 */
static void hmp_no_display(Monitor *mon, const char *args)
{
    monitor_printf(mon, "no display\n");
}

static void hmp_echo(Monitor *mon, const char *args)
{
    monitor_printf(mon, "%s\n", args);
}

static void hmp_register_builtins(void)
{
    hmp_table_add(hmp.cmds, "help|?", "[cmd]",
                  "show the help", hmp_help);
    hmp_table_add(hmp.cmds, "info", "[subcommand]",
                  "show various information about the system state", hmp_info);
    hmp_table_add(hmp.cmds, "stop", "", "stop emulation", hmp_stop);
    hmp_table_add(hmp.cmds, "cont|c", "", "resume emulation", hmp_cont);
    hmp_table_add(hmp.cmds, "system_reset", "", "reset the system",
                  hmp_system_reset);
    hmp_table_add(hmp.cmds, "system_powerdown", "",
                  "send system power down event", hmp_system_powerdown);
    hmp_table_add(hmp.cmds, "quit|q", "", "quit the emulator", hmp_quit);
    hmp_table_add(hmp.cmds, "log", "item1[,...]",
                  "activate logging of the specified items ('log help' lists them)",
                  hmp_log);
    hmp_table_add(hmp.cmds, "xp", "/fmt addr",
                  "physical memory dump starting at 'addr'", hmp_xp);
    hmp_table_add(hmp.cmds, "x", "/fmt addr",
                  "virtual memory dump starting at 'addr'", hmp_x);
    hmp_table_add(hmp.cmds, "print|p", "/fmt expr",
                  "print expression value (use $reg for CPU register access)",
                  hmp_print);
    hmp_table_add(hmp.cmds, "echo", "text", "print text", hmp_echo);
    hmp_table_add(hmp.cmds, "cpu", "index", "set the default CPU", hmp_cpu);
    hmp_table_add(hmp.cmds, "sendkey", "keys [hold_ms]",
                  "send keys to the VM (needs a display)", hmp_no_display);
    hmp_table_add(hmp.cmds, "screendump", "filename",
                  "save screen to a file (needs a display)", hmp_no_display);
}
