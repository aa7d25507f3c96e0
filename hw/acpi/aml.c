/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The AML builder. Blocks keep their payload open until they are appended
 * to a parent, because PkgLength encodes the final size in front of it.
 */
#include <string.h>

#include "hw/acpi/aml.h"

enum {
    AML_OP_ZERO = 0x00,
    AML_OP_ONE = 0x01,
    AML_OP_NAME = 0x08,
    AML_OP_BYTE = 0x0a,
    AML_OP_WORD = 0x0b,
    AML_OP_DWORD = 0x0c,
    AML_OP_STRING = 0x0d,
    AML_OP_QWORD = 0x0e,
    AML_OP_SCOPE = 0x10,
    AML_OP_BUFFER = 0x11,
    AML_OP_PACKAGE = 0x12,
    AML_OP_METHOD = 0x14,
    AML_OP_DUAL_NAME = 0x2e,
    AML_OP_MULTI_NAME = 0x2f,
    AML_OP_EXT = 0x5b,
    AML_OP_EXT_DEVICE = 0x82,
    AML_OP_ROOT = 0x5c,
    AML_OP_PARENT = 0x5e,
    AML_OP_RETURN = 0xa4,
    AML_OP_ONES = 0xff,
};

typedef enum {
    AML_RAW,        /* finished bytes */
    AML_BLOCK,      /* op [ext] PkgLength head body */
    AML_PACKAGE,    /* 0x12 PkgLength NumElements body */
    AML_RESOURCES,  /* 0x11 PkgLength BufferSize body EndTag */
} AmlKind;

struct Aml {
    AmlKind kind;
    uint8_t op[2];
    unsigned oplen;
    GByteArray *head;       /* after PkgLength: name string, method flags */
    GByteArray *body;
    unsigned count;         /* package elements */
};

static Aml *aml_new(AmlKind kind)
{
    Aml *a = g_new0(Aml, 1);

    a->kind = kind;
    a->head = g_byte_array_new();
    a->body = g_byte_array_new();
    return a;
}

void aml_free(Aml *a)
{
    if (a) {
        g_byte_array_unref(a->head);
        g_byte_array_unref(a->body);
        g_free(a);
    }
}

static void put_byte(GByteArray *b, uint8_t v)
{
    g_byte_array_append(b, &v, 1);
}

static void put_le(GByteArray *b, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        put_byte(b, (uint8_t)(v >> (8 * i)));
    }
}

void aml_encode_pkglength(GByteArray *out, size_t len)
{
    /* The length counts its own encoding bytes too. */
    if (len + 1 <= 0x3f) {
        put_byte(out, (uint8_t)(len + 1));
        return;
    }
    for (unsigned n = 2; n <= 4; n++) {
        size_t total = len + n;

        if (total < (1ull << (4 + 8 * (n - 1)))) {
            put_byte(out, (uint8_t)(((n - 1) << 6) | (total & 0xf)));
            for (unsigned i = 1; i < n; i++) {
                put_byte(out, (uint8_t)(total >> (4 + 8 * (i - 1))));
            }
            return;
        }
    }
    g_assert_not_reached();     /* 256 MiB of AML */
}

/* One segment: up to four characters, padded with '_'. */
static void put_seg(GByteArray *out, const char *s, size_t n)
{
    g_assert(n >= 1 && n <= 4);
    for (size_t i = 0; i < 4; i++) {
        put_byte(out, i < n ? (uint8_t)s[i] : '_');
    }
}

void aml_encode_name(GByteArray *out, const char *name)
{
    g_auto(GStrv) segs = NULL;
    guint n;

    while (*name == '\\' || *name == '^') {
        put_byte(out, *name == '\\' ? AML_OP_ROOT : AML_OP_PARENT);
        name++;
    }
    if (!*name) {
        put_byte(out, 0x00);            /* NullName */
        return;
    }
    segs = g_strsplit(name, ".", -1);
    n = g_strv_length(segs);
    if (n == 2) {
        put_byte(out, AML_OP_DUAL_NAME);
    } else if (n > 2) {
        put_byte(out, AML_OP_MULTI_NAME);
        put_byte(out, (uint8_t)n);
    }
    for (guint i = 0; i < n; i++) {
        put_seg(out, segs[i], strlen(segs[i]));
    }
}

/* Serialize a node into out. */
static void aml_emit(GByteArray *out, Aml *a)
{
    g_autoptr(GByteArray) payload = g_byte_array_new();

    switch (a->kind) {
    case AML_RAW:
        g_byte_array_append(out, a->body->data, a->body->len);
        return;
    case AML_BLOCK:
        g_byte_array_append(payload, a->head->data, a->head->len);
        g_byte_array_append(payload, a->body->data, a->body->len);
        break;
    case AML_PACKAGE:
        put_byte(payload, (uint8_t)a->count);
        g_byte_array_append(payload, a->body->data, a->body->len);
        break;
    case AML_RESOURCES: {
        g_autoptr(GByteArray) size = g_byte_array_new();
        Aml *n = aml_int(a->body->len + 2);

        aml_emit(size, n);
        aml_free(n);
        g_byte_array_append(payload, size->data, size->len);
        g_byte_array_append(payload, a->body->data, a->body->len);
        put_byte(payload, 0x79);        /* end tag */
        put_byte(payload, 0x00);        /* checksum 0: "treat as correct" */
        break;
    }
    }
    g_byte_array_append(out, a->op, a->oplen);
    aml_encode_pkglength(out, payload->len);
    g_byte_array_append(out, payload->data, payload->len);
}

void aml_append(Aml *parent, Aml *child)
{
    aml_emit(parent->body, child);
    parent->count++;
    aml_free(child);
}

GByteArray *aml_finish(Aml *a)
{
    GByteArray *out = g_byte_array_new();

    aml_emit(out, a);
    aml_free(a);
    return out;
}

Aml *aml_term_list(void)
{
    return aml_new(AML_RAW);
}

Aml *aml_int(uint64_t v)
{
    Aml *a = aml_new(AML_RAW);

    if (v == 0) {
        put_byte(a->body, AML_OP_ZERO);
    } else if (v == 1) {
        put_byte(a->body, AML_OP_ONE);
    } else if (v == UINT64_MAX) {
        put_byte(a->body, AML_OP_ONES);
    } else if (v <= 0xff) {
        put_byte(a->body, AML_OP_BYTE);
        put_le(a->body, v, 1);
    } else if (v <= 0xffff) {
        put_byte(a->body, AML_OP_WORD);
        put_le(a->body, v, 2);
    } else if (v <= 0xffffffff) {
        put_byte(a->body, AML_OP_DWORD);
        put_le(a->body, v, 4);
    } else {
        put_byte(a->body, AML_OP_QWORD);
        put_le(a->body, v, 8);
    }
    return a;
}

Aml *aml_string(const char *s)
{
    Aml *a = aml_new(AML_RAW);

    put_byte(a->body, AML_OP_STRING);
    g_byte_array_append(a->body, (const uint8_t *)s, strlen(s) + 1);
    return a;
}

Aml *aml_eisaid(const char *id)
{
    Aml *a = aml_new(AML_RAW);
    uint32_t vendor, product;

    g_assert(strlen(id) == 7);
    vendor = ((id[0] - 0x40) << 10) | ((id[1] - 0x40) << 5) | (id[2] - 0x40);
    product = (uint32_t)g_ascii_strtoull(id + 3, NULL, 16);
    put_byte(a->body, AML_OP_DWORD);
    /* Both halves big-endian, as the compressed EISA id is stored. */
    put_byte(a->body, vendor >> 8);
    put_byte(a->body, vendor & 0xff);
    put_byte(a->body, product >> 8);
    put_byte(a->body, product & 0xff);
    return a;
}

Aml *aml_name_decl(const char *name, Aml *value)
{
    Aml *a = aml_new(AML_RAW);

    put_byte(a->body, AML_OP_NAME);
    aml_encode_name(a->body, name);
    aml_emit(a->body, value);
    aml_free(value);
    return a;
}

static Aml *aml_block(uint8_t op, bool ext, const char *name)
{
    Aml *a = aml_new(AML_BLOCK);

    if (ext) {
        a->op[a->oplen++] = AML_OP_EXT;
    }
    a->op[a->oplen++] = op;
    if (name) {
        aml_encode_name(a->head, name);
    }
    return a;
}

Aml *aml_scope(const char *name)
{
    return aml_block(AML_OP_SCOPE, false, name);
}

Aml *aml_device(const char *name)
{
    return aml_block(AML_OP_EXT_DEVICE, true, name);
}

Aml *aml_method(const char *name, unsigned nargs, bool serialized)
{
    Aml *a = aml_block(AML_OP_METHOD, false, name);

    g_assert(nargs <= 7);
    put_byte(a->head, (uint8_t)(nargs | (serialized ? 0x08 : 0)));
    return a;
}

Aml *aml_package(void)
{
    Aml *a = aml_new(AML_PACKAGE);

    a->op[a->oplen++] = AML_OP_PACKAGE;
    return a;
}

Aml *aml_return(Aml *value)
{
    Aml *a = aml_new(AML_RAW);

    put_byte(a->body, AML_OP_RETURN);
    aml_emit(a->body, value);
    aml_free(value);
    return a;
}

Aml *aml_resource_template(void)
{
    Aml *a = aml_new(AML_RESOURCES);

    a->op[a->oplen++] = AML_OP_BUFFER;
    return a;
}

Aml *aml_io(uint16_t min, uint16_t max, uint8_t align, uint8_t len)
{
    Aml *a = aml_new(AML_RAW);

    put_byte(a->body, 0x47);            /* small item: I/O port, 7 bytes */
    put_byte(a->body, 0x01);            /* 16-bit decode */
    put_le(a->body, min, 2);
    put_le(a->body, max, 2);
    put_byte(a->body, align);
    put_byte(a->body, len);
    return a;
}

Aml *aml_irq_no_flags(uint8_t irq)
{
    Aml *a = aml_new(AML_RAW);

    g_assert(irq < 16);
    put_byte(a->body, 0x22);            /* small item: IRQ, 2 bytes (no flags) */
    put_le(a->body, 1u << irq, 2);
    return a;
}

/* Large address space descriptors: producer, min/max fixed, no translation. */
static Aml *aml_addr_space(uint8_t tag, uint8_t type, uint8_t type_flags, unsigned width,
                           uint64_t min, uint64_t max)
{
    Aml *a = aml_new(AML_RAW);
    unsigned len = 3 + 5 * width;

    put_byte(a->body, tag);
    put_le(a->body, len, 2);
    put_byte(a->body, type);
    put_byte(a->body, 0x0c);            /* MIF | MAF, producer, positive decode */
    put_byte(a->body, type_flags);
    put_le(a->body, 0, width);          /* granularity */
    put_le(a->body, min, width);
    put_le(a->body, max, width);
    put_le(a->body, 0, width);          /* translation */
    put_le(a->body, max - min + 1, width);
    return a;
}

Aml *aml_word_bus_number(uint16_t min, uint16_t max)
{
    return aml_addr_space(0x88, 2, 0, 2, min, max);
}

Aml *aml_word_io(uint16_t min, uint16_t max)
{
    return aml_addr_space(0x88, 1, 0x03, 2, min, max);     /* entire ISA+non-ISA range */
}

Aml *aml_dword_memory(uint32_t min, uint32_t max)
{
    return aml_addr_space(0x87, 0, 0x01, 4, min, max);     /* read/write, non-cacheable */
}
