/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Strict number and boolean parsing for option values. Every function
 * rejects empty strings, trailing garbage, signs and overflow rather than
 * silently truncating, and its error message quotes the bad text so callers
 * only need to prefix the option name.
 */
#ifndef UTIL_CUTILS_H
#define UTIL_CUTILS_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * "4096", "64K", "1.5G", "0x1000". Suffixes B,K,M,G,T,P,E (any case) are
 * powers of 1024; no suffix means bytes. A fractional part needs a suffix
 * and is truncated to whole bytes.
 */
bool parse_size(const char *str, uint64_t *out, GError **errp);

/*
 * Same as parse_size, but a bare number is scaled by default_unit (e.g.
 * 1 MiB for -m, where "512" means 512 MiB).
 */
bool parse_size_unit(const char *str, uint64_t default_unit, uint64_t *out,
                     GError **errp);

/* Decimal, or hexadecimal with a 0x/0X prefix. Leading zeros are decimal. */
bool parse_uint64(const char *str, uint64_t *out, GError **errp);

/* on/off, yes/no, true/false, y/n, 1/0 (case-insensitive). */
bool parse_bool(const char *str, bool *out, GError **errp);

#endif
