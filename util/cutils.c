/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Number and boolean parsing shared by the command line, keyval lists and
 * device properties. Arithmetic is done in 128 bits so overflow can be
 * detected exactly instead of relying on strtod rounding.
 */
#include "util/cutils.h"
#include "util/error.h"

#include <string.h>

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/*
 * Reads an unsigned integer prefix; returns the number of characters used
 * (0 if none) and sets *overflow if it does not fit in 64 bits.
 */
static size_t scan_uint(const char *s, bool allow_hex, uint64_t *out,
                        bool *overflow)
{
    unsigned base = 10;
    size_t i = 0;
    unsigned __int128 val = 0;

    *overflow = false;
    if (allow_hex && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
        hex_digit(s[2]) >= 0) {
        base = 16;
        i = 2;
    }
    size_t start = i;
    for (;; i++) {
        int d = hex_digit(s[i]);
        if (d < 0 || (unsigned)d >= base) {
            break;
        }
        val = val * base + (unsigned)d;
        if (val > UINT64_MAX) {
            *overflow = true;
            val = UINT64_MAX;   /* keep scanning to consume all digits */
        }
    }
    if (i == start) {
        return 0;
    }
    *out = (uint64_t)val;
    return i;
}

bool parse_uint64(const char *str, uint64_t *out, GError **errp)
{
    uint64_t val;
    bool overflow;
    size_t n;

    if (!str || !*str) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "empty value where a number was expected");
        return false;
    }
    n = scan_uint(str, true, &val, &overflow);
    if (n == 0 || str[n] != '\0') {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "invalid number '%s'", str);
        return false;
    }
    if (overflow) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "number '%s' is too large", str);
        return false;
    }
    *out = val;
    return true;
}

static int size_suffix_shift(char c)
{
    switch (g_ascii_toupper(c)) {
    case 'B': return 0;
    case 'K': return 10;
    case 'M': return 20;
    case 'G': return 30;
    case 'T': return 40;
    case 'P': return 50;
    case 'E': return 60;
    default:  return -1;
    }
}

bool parse_size_unit(const char *str, uint64_t default_unit, uint64_t *out,
                     GError **errp)
{
    uint64_t ipart = 0;
    unsigned __int128 frac = 0, frac_div = 1;
    bool overflow = false, is_hex, has_frac = false;
    const char *p;
    size_t n;
    unsigned __int128 mult, total;

    if (!str || !*str) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "empty value where a size was expected");
        return false;
    }
    is_hex = str[0] == '0' && (str[1] == 'x' || str[1] == 'X');
    n = scan_uint(str, true, &ipart, &overflow);
    p = str + n;
    if (n == 0) {
        goto invalid;
    }
    if (*p == '.' && !is_hex) {
        p++;
        if (!g_ascii_isdigit(*p)) {
            goto invalid;
        }
        has_frac = true;
        for (; g_ascii_isdigit(*p); p++) {
            /* digits beyond 10^-18 cannot matter after scaling by <= 2^60 */
            if (frac_div < (unsigned __int128)1000000000000000000ull) {
                frac = frac * 10 + (unsigned)(*p - '0');
                frac_div *= 10;
            }
        }
    }
    if (*p == '\0') {
        if (has_frac && default_unit == 1) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                        "invalid size '%s': a fractional size needs a unit "
                        "suffix", str);
            return false;
        }
        mult = default_unit;
    } else {
        int shift = size_suffix_shift(*p);
        if (shift < 0 || p[1] != '\0') {
            goto invalid;
        }
        mult = (unsigned __int128)1 << shift;
    }
    if (overflow) {
        goto too_large;
    }
    total = (unsigned __int128)ipart * mult + frac * mult / frac_div;
    if (total > UINT64_MAX) {
        goto too_large;
    }
    *out = (uint64_t)total;
    return true;

invalid:
    g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "invalid size '%s'", str);
    return false;
too_large:
    g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                "size '%s' is too large", str);
    return false;
}

bool parse_size(const char *str, uint64_t *out, GError **errp)
{
    return parse_size_unit(str, 1, out, errp);
}

bool parse_bool(const char *str, bool *out, GError **errp)
{
    static const char *const yes[] = { "on", "yes", "true", "y", "1" };
    static const char *const no[] = { "off", "no", "false", "n", "0" };

    if (str) {
        for (size_t i = 0; i < G_N_ELEMENTS(yes); i++) {
            if (!g_ascii_strcasecmp(str, yes[i])) {
                *out = true;
                return true;
            }
            if (!g_ascii_strcasecmp(str, no[i])) {
                *out = false;
                return true;
            }
        }
    }
    g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                "invalid boolean '%s' (use on or off)", str ? str : "");
    return false;
}
