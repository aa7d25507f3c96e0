/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Parser and container for QEMU-style "key=value,..." option strings. The
 * list is a flat array because option strings are short and order matters
 * (duplicates are kept for options such as -drive that may repeat keys).
 * The "used" flags are bookkeeping, not content, so they may change through
 * a const pointer.
 */
#include "util/keyval.h"
#include "util/cutils.h"
#include "util/error.h"

#include <string.h>

typedef struct {
    char *key;
    char *value;
    bool implied;   /* came from the leading element without '=' */
    bool used;
} KeyvalEntry;

struct KeyvalList {
    GArray *entries;    /* of KeyvalEntry */
};

static KeyvalEntry *entry_at(const KeyvalList *kv, guint i)
{
    return &g_array_index(kv->entries, KeyvalEntry, i);
}

static void entry_clear(gpointer p)
{
    KeyvalEntry *e = p;

    g_free(e->key);
    g_free(e->value);
}

KeyvalList *keyval_new(void)
{
    KeyvalList *kv = g_new0(KeyvalList, 1);

    kv->entries = g_array_new(FALSE, TRUE, sizeof(KeyvalEntry));
    g_array_set_clear_func(kv->entries, entry_clear);
    return kv;
}

void keyval_free(KeyvalList *kv)
{
    if (kv) {
        g_array_unref(kv->entries);
        g_free(kv);
    }
}

static void append_entry(KeyvalList *kv, const char *key, const char *value,
                         bool implied)
{
    KeyvalEntry e = {
        .key = g_strdup(key),
        .value = g_strdup(value),
        .implied = implied,
    };

    g_array_append_val(kv->entries, e);
}

KeyvalList *keyval_copy(const KeyvalList *kv)
{
    KeyvalList *copy = keyval_new();

    for (guint i = 0; i < kv->entries->len; i++) {
        KeyvalEntry *e = entry_at(kv, i);
        append_entry(copy, e->key, e->value, e->implied);
        entry_at(copy, i)->used = e->used;
    }
    return copy;
}

/*
 * Reads a value starting at *pp up to a single ',' (",," is a literal
 * comma) and leaves *pp after the separator.
 */
static char *scan_value(const char **pp)
{
    GString *s = g_string_new(NULL);
    const char *p = *pp;

    while (*p) {
        if (*p == ',') {
            if (p[1] == ',') {
                g_string_append_c(s, ',');
                p += 2;
                continue;
            }
            p++;
            break;
        }
        g_string_append_c(s, *p++);
    }
    *pp = p;
    return g_string_free(s, FALSE);
}

static bool is_help_word(const char *s)
{
    return !strcmp(s, "help") || !strcmp(s, "?");
}

KeyvalList *keyval_parse(const char *str, const char *implied_key, GError **errp)
{
    g_autoptr(KeyvalList) kv = keyval_new();
    const char *p = str ? str : "";
    bool first = true;

    while (*p) {
        const char *elem = p;
        size_t klen = strcspn(p, "=,");

        if (p[klen] == '=') {
            if (klen == 0) {
                g_autofree char *bad = scan_value(&p);
                g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                            "missing parameter name before '%s' in '%s'",
                            bad, str);
                return NULL;
            }
            g_autofree char *key = g_strndup(p, klen);
            p += klen + 1;
            g_autofree char *value = scan_value(&p);
            append_entry(kv, key, value, false);
        } else if (first && implied_key) {
            /* the implied value may itself contain ",," escapes */
            g_autofree char *value = scan_value(&p);
            if (!*value) {
                g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                            "missing value for '%s' in '%s'", implied_key, str);
                return NULL;
            }
            append_entry(kv, implied_key, value, true);
        } else if (klen == 0) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                        "empty parameter at offset %d in '%s'",
                        (int)(elem - str), str);
            return NULL;
        } else {
            g_autofree char *key = g_strndup(p, klen);
            p += klen;
            if (*p == ',') {
                if (p[1] == ',') {
                    g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                                "parameter name '%s,' cannot contain a comma "
                                "in '%s'", key, str);
                    return NULL;
                }
                p++;
            }
            append_entry(kv, is_help_word(key) ? "help" : key, "on", false);
        }
        first = false;
    }
    return g_steal_pointer(&kv);
}

const char *keyval_get(const KeyvalList *kv, const char *key)
{
    const char *value = NULL;

    for (guint i = 0; i < kv->entries->len; i++) {
        KeyvalEntry *e = entry_at(kv, i);
        if (!strcmp(e->key, key)) {
            e->used = true;
            value = e->value;
        }
    }
    return value;
}

bool keyval_has(const KeyvalList *kv, const char *key)
{
    return keyval_get(kv, key) != NULL;
}

bool keyval_get_bool(const KeyvalList *kv, const char *key, bool def,
                     bool *out, GError **errp)
{
    const char *v = keyval_get(kv, key);

    if (!v) {
        *out = def;
        return true;
    }
    if (!parse_bool(v, out, errp)) {
        g_prefix_error(errp, "parameter '%s': ", key);
        return false;
    }
    return true;
}

bool keyval_get_uint(const KeyvalList *kv, const char *key, uint64_t def,
                     uint64_t *out, GError **errp)
{
    const char *v = keyval_get(kv, key);

    if (!v) {
        *out = def;
        return true;
    }
    if (!parse_uint64(v, out, errp)) {
        g_prefix_error(errp, "parameter '%s': ", key);
        return false;
    }
    return true;
}

bool keyval_get_size(const KeyvalList *kv, const char *key, uint64_t def,
                     uint64_t *out, GError **errp)
{
    const char *v = keyval_get(kv, key);

    if (!v) {
        *out = def;
        return true;
    }
    if (!parse_size(v, out, errp)) {
        g_prefix_error(errp, "parameter '%s': ", key);
        return false;
    }
    return true;
}

void keyval_set(KeyvalList *kv, const char *key, const char *value)
{
    bool replaced = false;

    for (guint i = 0; i < kv->entries->len;) {
        KeyvalEntry *e = entry_at(kv, i);
        if (strcmp(e->key, key)) {
            i++;
        } else if (!replaced) {
            g_free(e->value);
            e->value = g_strdup(value);
            e->used = false;
            replaced = true;
            i++;
        } else {
            g_array_remove_index(kv->entries, i);
        }
    }
    if (!replaced) {
        append_entry(kv, key, value, false);
    }
}

void keyval_append(KeyvalList *kv, const char *key, const char *value)
{
    append_entry(kv, key, value, false);
}

void keyval_remove(KeyvalList *kv, const char *key)
{
    for (guint i = 0; i < kv->entries->len;) {
        if (!strcmp(entry_at(kv, i)->key, key)) {
            g_array_remove_index(kv->entries, i);
        } else {
            i++;
        }
    }
}

guint keyval_count(const KeyvalList *kv)
{
    return kv->entries->len;
}

const char *keyval_key_at(const KeyvalList *kv, guint i)
{
    g_assert(i < kv->entries->len);
    return entry_at(kv, i)->key;
}

const char *keyval_value_at(const KeyvalList *kv, guint i)
{
    g_assert(i < kv->entries->len);
    entry_at(kv, i)->used = true;
    return entry_at(kv, i)->value;
}

bool keyval_is_help(const KeyvalList *kv)
{
    for (guint i = 0; i < kv->entries->len; i++) {
        KeyvalEntry *e = entry_at(kv, i);
        if (is_help_word(e->key) || (e->implied && is_help_word(e->value))) {
            return true;
        }
    }
    return false;
}

bool keyval_check_unused(const KeyvalList *kv, const char *context, GError **errp)
{
    for (guint i = 0; i < kv->entries->len; i++) {
        KeyvalEntry *e = entry_at(kv, i);
        if (!e->used) {
            if (context && *context) {
                g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                            "%s: unknown parameter '%s'", context, e->key);
            } else {
                g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                            "unknown parameter '%s'", e->key);
            }
            return false;
        }
    }
    return true;
}

char *keyval_to_string(const KeyvalList *kv)
{
    GString *s = g_string_new(NULL);

    for (guint i = 0; i < kv->entries->len; i++) {
        KeyvalEntry *e = entry_at(kv, i);
        if (i) {
            g_string_append_c(s, ',');
        }
        g_string_append(s, e->key);
        g_string_append_c(s, '=');
        for (const char *c = e->value; *c; c++) {
            if (*c == ',') {
                g_string_append_c(s, ',');
            }
            g_string_append_c(s, *c);
        }
    }
    return g_string_free(s, FALSE);
}
