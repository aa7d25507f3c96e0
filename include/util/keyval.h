/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QEMU-style option strings: "VALUE,key=value,flag,key2=a,,b". The first
 * element without '=' is the value of an implied key, ",," is a literal
 * comma, a later bare "key" means key=on, and "help" or "?" asks for help.
 * Entries keep their order and duplicates; lookups return the last value.
 * Every read marks the key used so that leftovers can be reported as
 * unknown parameters once a consumer has taken what it understands.
 */
#ifndef UTIL_KEYVAL_H
#define UTIL_KEYVAL_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct KeyvalList KeyvalList;

KeyvalList *keyval_new(void);
/* implied_key may be NULL; "" parses to an empty list. */
KeyvalList *keyval_parse(const char *str, const char *implied_key, GError **errp);
KeyvalList *keyval_copy(const KeyvalList *kv);
void keyval_free(KeyvalList *kv);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(KeyvalList, keyval_free)

/* Last value of key or NULL; marks every entry of key used. */
const char *keyval_get(const KeyvalList *kv, const char *key);
/* Marks every entry of key used. */
bool keyval_has(const KeyvalList *kv, const char *key);
/* Typed getters: absent key gives def; a bad value is an error quoting key. */
bool keyval_get_bool(const KeyvalList *kv, const char *key, bool def,
                     bool *out, GError **errp);
bool keyval_get_uint(const KeyvalList *kv, const char *key, uint64_t def,
                     uint64_t *out, GError **errp);
bool keyval_get_size(const KeyvalList *kv, const char *key, uint64_t def,
                     uint64_t *out, GError **errp);

/* Replaces all values of key (in place of the first one, else appended). */
void keyval_set(KeyvalList *kv, const char *key, const char *value);
void keyval_append(KeyvalList *kv, const char *key, const char *value);
void keyval_remove(KeyvalList *kv, const char *key);

guint keyval_count(const KeyvalList *kv);
const char *keyval_key_at(const KeyvalList *kv, guint i);
/* Marks entry i used (iterating consumers take every entry they read). */
const char *keyval_value_at(const KeyvalList *kv, guint i);

/* True if "help" or "?" is the implied value or a bare key. */
bool keyval_is_help(const KeyvalList *kv);
/* Error naming the first key never read: "<context>: unknown parameter 'foo'" */
bool keyval_check_unused(const KeyvalList *kv, const char *context, GError **errp);
/* Canonical "k=v,k2=v2" with commas in values doubled; parses back equal. */
char *keyval_to_string(const KeyvalList *kv);

#endif
