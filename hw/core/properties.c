/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Typed properties: parsing a string into an instance field, printing the
 * field back, defaults and help lines. Shared by devices and machines, so
 * nothing here knows about DeviceState beyond resolving link targets.
 * Backend properties resolve ids through lookups registered by the backend
 * subsystems, keeping this layer free of chardev/block/net code.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "hw/core/device.h"
#include "util/cutils.h"
#include "util/error.h"

static DevicePropLookup prop_lookups[PROP_TYPE__MAX];

static const char *const prop_type_names[PROP_TYPE__MAX] = {
    [PROP_TYPE_BOOL] = "bool",       [PROP_TYPE_UINT8] = "uint8",
    [PROP_TYPE_UINT16] = "uint16",   [PROP_TYPE_UINT32] = "uint32",
    [PROP_TYPE_UINT64] = "uint64",   [PROP_TYPE_INT32] = "int32",
    [PROP_TYPE_INT64] = "int64",     [PROP_TYPE_SIZE] = "size",
    [PROP_TYPE_STRING] = "str",      [PROP_TYPE_ENUM] = "enum",
    [PROP_TYPE_MACADDR] = "macaddr", [PROP_TYPE_CHARDEV] = "chardev",
    [PROP_TYPE_DRIVE] = "drive",     [PROP_TYPE_NETDEV] = "netdev",
    [PROP_TYPE_LINK] = "link",
};

const char *prop_type_name(PropertyType t)
{
    g_assert(t < PROP_TYPE__MAX);
    return prop_type_names[t];
}

void device_prop_register_lookup(PropertyType t, DevicePropLookup lookup)
{
    g_assert(t == PROP_TYPE_CHARDEV || t == PROP_TYPE_DRIVE ||
             t == PROP_TYPE_NETDEV);
    prop_lookups[t] = lookup;
}

GHashTable *prop_ids_new(void)
{
    return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
}

static void *prop_ptr(const void *obj, const Property *p)
{
    return (char *)obj + p->offset;
}

static uint64_t prop_umax(PropertyType t)
{
    switch (t) {
    case PROP_TYPE_UINT8:
        return UINT8_MAX;
    case PROP_TYPE_UINT16:
        return UINT16_MAX;
    case PROP_TYPE_UINT32:
        return UINT32_MAX;
    default:
        return UINT64_MAX;
    }
}

static void prop_store_uint(void *obj, const Property *p, uint64_t v)
{
    void *ptr = prop_ptr(obj, p);

    switch (p->type) {
    case PROP_TYPE_BOOL:
        *(bool *)ptr = v != 0;
        break;
    case PROP_TYPE_UINT8:
        *(uint8_t *)ptr = v;
        break;
    case PROP_TYPE_UINT16:
        *(uint16_t *)ptr = v;
        break;
    case PROP_TYPE_UINT32:
        *(uint32_t *)ptr = v;
        break;
    case PROP_TYPE_UINT64:
    case PROP_TYPE_SIZE:
        *(uint64_t *)ptr = v;
        break;
    default:
        g_assert_not_reached();
    }
}

static void prop_store_int(void *obj, const Property *p, int64_t v)
{
    void *ptr = prop_ptr(obj, p);

    switch (p->type) {
    case PROP_TYPE_INT32:
        *(int32_t *)ptr = v;
        break;
    case PROP_TYPE_INT64:
        *(int64_t *)ptr = v;
        break;
    case PROP_TYPE_ENUM:
        *(int *)ptr = v;
        break;
    default:
        g_assert_not_reached();
    }
}

void prop_set_default(void *obj, const Property *p)
{
    void *ptr = prop_ptr(obj, p);

    switch (p->type) {
    case PROP_TYPE_BOOL:
    case PROP_TYPE_UINT8:
    case PROP_TYPE_UINT16:
    case PROP_TYPE_UINT32:
    case PROP_TYPE_UINT64:
    case PROP_TYPE_SIZE:
        prop_store_uint(obj, p, p->has_default ? p->defval.u : 0);
        break;
    case PROP_TYPE_INT32:
    case PROP_TYPE_INT64:
    case PROP_TYPE_ENUM:
        prop_store_int(obj, p, p->has_default ? p->defval.i : 0);
        break;
    case PROP_TYPE_STRING:
        g_free(*(char **)ptr);
        *(char **)ptr = g_strdup(p->def_str);
        break;
    case PROP_TYPE_MACADDR:
        memset(ptr, 0, sizeof(MacAddr));
        break;
    default:
        *(void **)ptr = NULL;
        break;
    }
}

void prop_release(void *obj, const Property *p)
{
    if (p->type == PROP_TYPE_STRING) {
        char **ptr = prop_ptr(obj, p);
        g_free(*ptr);
        *ptr = NULL;
    }
}

static bool prop_parse_int64(const char *s, int64_t *out)
{
    bool neg = *s == '-';
    uint64_t mag;

    if (!parse_uint64(s + (neg || *s == '+'), &mag, NULL)) {
        return false;
    }
    if (neg ? mag > (uint64_t)INT64_MAX + 1 : mag > INT64_MAX) {
        return false;
    }
    *out = neg ? (int64_t)(0 - mag) : (int64_t)mag;
    return true;
}

static bool prop_parse_macaddr(const char *s, MacAddr *mac)
{
    unsigned i;

    for (i = 0; i < 6; i++) {
        if (!g_ascii_isxdigit(s[0]) || !g_ascii_isxdigit(s[1])) {
            return false;
        }
        mac->a[i] = g_ascii_xdigit_value(s[0]) << 4 |
                    g_ascii_xdigit_value(s[1]);
        s += 2;
        if (i < 5) {
            if (*s != ':' && *s != '-') {
                return false;
            }
            s++;
        }
    }
    return *s == '\0';
}

static bool prop_parse_link(void *obj, const Property *p, const char *value,
                            GError **errp)
{
    DeviceState *target = device_find_by_id(value);

    if (!target) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_NOT_FOUND,
                    "property '%s': device '%s' not found", p->name, value);
        return false;
    }
    if (p->link_class && !device_is_a(target, p->link_class)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "property '%s': device '%s' is a %s, not a %s", p->name,
                    value, device_type_name(target), p->link_class);
        return false;
    }
    *(void **)prop_ptr(obj, p) = target;
    return true;
}

static bool prop_parse_backend(void *obj, const Property *p, const char *value,
                               GError **errp)
{
    DevicePropLookup lookup = prop_lookups[p->type];
    GError *err = NULL;
    void *backend;

    if (!lookup) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_UNSUPPORTED,
                    "property '%s': %s backends are not supported yet",
                    p->name, prop_type_name(p->type));
        return false;
    }
    backend = lookup(value, &err);
    if (!backend) {
        if (err) {
            g_set_error(errp, TERN_ERROR, err->code, "property '%s': %s",
                        p->name, err->message);
            g_error_free(err);
        } else {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_NOT_FOUND,
                        "property '%s': %s '%s' not found", p->name,
                        prop_type_name(p->type), value);
        }
        return false;
    }
    *(void **)prop_ptr(obj, p) = backend;
    return true;
}

static bool prop_bad_value(const Property *p, const char *value, GError **errp)
{
    g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                "property '%s': invalid %s value '%s'", p->name,
                prop_type_name(p->type), value);
    return false;
}

bool prop_parse(void *obj, const Property *p, const char *value,
                GHashTable *ids, GError **errp)
{
    uint64_t u;
    int64_t i;
    bool b;
    MacAddr mac;

    g_assert(value);
    switch (p->type) {
    case PROP_TYPE_BOOL:
        if (!parse_bool(value, &b, NULL)) {
            return prop_bad_value(p, value, errp);
        }
        prop_store_uint(obj, p, b);
        return true;
    case PROP_TYPE_UINT8:
    case PROP_TYPE_UINT16:
    case PROP_TYPE_UINT32:
    case PROP_TYPE_UINT64:
        if (!parse_uint64(value, &u, NULL)) {
            return prop_bad_value(p, value, errp);
        }
        if (u > prop_umax(p->type)) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                        "property '%s': value '%s' out of range for %s",
                        p->name, value, prop_type_name(p->type));
            return false;
        }
        prop_store_uint(obj, p, u);
        return true;
    case PROP_TYPE_SIZE:
        if (!parse_size(value, &u, NULL)) {
            return prop_bad_value(p, value, errp);
        }
        prop_store_uint(obj, p, u);
        return true;
    case PROP_TYPE_INT32:
    case PROP_TYPE_INT64:
        if (!prop_parse_int64(value, &i)) {
            return prop_bad_value(p, value, errp);
        }
        if (p->type == PROP_TYPE_INT32 && (i < INT32_MIN || i > INT32_MAX)) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                        "property '%s': value '%s' out of range for int32",
                        p->name, value);
            return false;
        }
        prop_store_int(obj, p, i);
        return true;
    case PROP_TYPE_STRING: {
        char **ptr = prop_ptr(obj, p);
        g_free(*ptr);
        *ptr = g_strdup(value);
        return true;
    }
    case PROP_TYPE_ENUM:
        for (i = 0; p->enum_names[i]; i++) {
            if (!strcmp(p->enum_names[i], value)) {
                prop_store_int(obj, p, i);
                return true;
            }
        }
        {
            g_autofree char *choices =
                g_strjoinv("/", (char **)p->enum_names);
            g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                        "property '%s': invalid value '%s' (expected %s)",
                        p->name, value, choices);
        }
        return false;
    case PROP_TYPE_MACADDR:
        if (!prop_parse_macaddr(value, &mac)) {
            return prop_bad_value(p, value, errp);
        }
        memcpy(prop_ptr(obj, p), &mac, sizeof(mac));
        return true;
    case PROP_TYPE_CHARDEV:
    case PROP_TYPE_DRIVE:
    case PROP_TYPE_NETDEV:
    case PROP_TYPE_LINK:
        /* An empty id disconnects, as QEMU allows chardev="". */
        if (!*value) {
            *(void **)prop_ptr(obj, p) = NULL;
            g_hash_table_remove(ids, p->name);
            return true;
        }
        if (p->type == PROP_TYPE_LINK ? !prop_parse_link(obj, p, value, errp)
                                      : !prop_parse_backend(obj, p, value,
                                                            errp)) {
            return false;
        }
        g_hash_table_insert(ids, g_strdup(p->name), g_strdup(value));
        return true;
    default:
        g_assert_not_reached();
    }
}

char *prop_format(const void *obj, const Property *p, GHashTable *ids)
{
    const void *ptr = prop_ptr(obj, p);

    switch (p->type) {
    case PROP_TYPE_BOOL:
        return g_strdup(*(const bool *)ptr ? "true" : "false");
    case PROP_TYPE_UINT8:
        return g_strdup_printf("%u", *(const uint8_t *)ptr);
    case PROP_TYPE_UINT16:
        return g_strdup_printf("%u", *(const uint16_t *)ptr);
    case PROP_TYPE_UINT32:
        return g_strdup_printf("%" PRIu32, *(const uint32_t *)ptr);
    case PROP_TYPE_UINT64:
    case PROP_TYPE_SIZE:
        return g_strdup_printf("%" PRIu64, *(const uint64_t *)ptr);
    case PROP_TYPE_INT32:
        return g_strdup_printf("%" PRId32, *(const int32_t *)ptr);
    case PROP_TYPE_INT64:
        return g_strdup_printf("%" PRId64, *(const int64_t *)ptr);
    case PROP_TYPE_STRING:
        return g_strdup(*(char *const *)ptr ? *(char *const *)ptr : "");
    case PROP_TYPE_ENUM: {
        int v = *(const int *)ptr;
        int n = g_strv_length((char **)p->enum_names);
        return g_strdup(v >= 0 && v < n ? p->enum_names[v] : "");
    }
    case PROP_TYPE_MACADDR: {
        const uint8_t *a = ((const MacAddr *)ptr)->a;
        return g_strdup_printf("%02x:%02x:%02x:%02x:%02x:%02x", a[0], a[1],
                               a[2], a[3], a[4], a[5]);
    }
    default: {
        /* Backend or link: the id the user gave, if the slot is still set. */
        const char *id = ids ? g_hash_table_lookup(ids, p->name) : NULL;
        return g_strdup(*(void *const *)ptr && id ? id : "");
    }
    }
}

void prop_print_help(FILE *out, const Property *p)
{
    g_autoptr(GString) line = g_string_new(NULL);
    const char *hint;

    switch (p->type) {
    case PROP_TYPE_STRING:
    case PROP_TYPE_CHARDEV:
    case PROP_TYPE_DRIVE:
    case PROP_TYPE_NETDEV:
    case PROP_TYPE_MACADDR:
        hint = "str";
        break;
    default:
        hint = prop_type_name(p->type);
        break;
    }
    if (p->type == PROP_TYPE_LINK) {
        g_string_printf(line, "  %s=<link<%s>>", p->name,
                        p->link_class ? p->link_class : "device");
    } else {
        g_string_printf(line, "  %s=<%s>", p->name, hint);
    }
    if (line->len < 24) {
        g_string_append_printf(line, "%*s", (int)(24 - line->len), "");
    }
    gsize bare = line->len;
    g_string_append(line, " -");
    if (p->desc && *p->desc) {
        g_string_append_printf(line, " %s", p->desc);
    }
    if (p->type == PROP_TYPE_ENUM) {
        g_autofree char *choices = g_strjoinv("/", (char **)p->enum_names);
        g_string_append_printf(line, " (%s)", choices);
    }
    if (p->has_default) {
        /* Format the default through the same code as values. */
        union {
            uint64_t u;
            int64_t i;
            char *s;
            char buf[16];
        } tmp = { 0 };
        Property q = *p;
        g_autofree char *def = NULL;

        q.offset = 0;
        if (p->type == PROP_TYPE_STRING) {
            tmp.s = (char *)p->def_str;
        } else if (p->type == PROP_TYPE_INT32 || p->type == PROP_TYPE_INT64 ||
                   p->type == PROP_TYPE_ENUM) {
            prop_store_int(&tmp, &q, p->defval.i);
        } else {
            prop_store_uint(&tmp, &q, p->defval.u);
        }
        def = prop_format(&tmp, &q, NULL);
        if (p->type == PROP_TYPE_STRING) {
            g_string_append_printf(line, " (default: \"%s\")", def);
        } else {
            g_string_append_printf(line, " (default: %s)", def);
        }
    }
    if (line->len == bare + 2) {
        /* Nothing to say after the name: no dangling dash. */
        g_string_truncate(line, bare);
        while (line->len && line->str[line->len - 1] == ' ') {
            g_string_truncate(line, line->len - 1);
        }
    }
    fprintf(out, "%s\n", line->str);
}
