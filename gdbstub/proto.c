/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * GDB remote protocol, transport-independent half: the receive state
 * machine, reply framing, hex conversion and packet-argument parsers.
 * Nothing here knows about CPUs or sockets; gdbstub.c feeds bytes in and
 * acts on the events.
 */
#include <string.h>

#include "gdbstub/proto.h"

enum {
    RX_IDLE,        /* between packets */
    RX_DATA,        /* inside $...  */
    RX_CSUM1,       /* first checksum digit expected */
    RX_CSUM2,       /* second checksum digit expected */
};

void gdb_parser_init(GdbParser *p, size_t max_payload)
{
    memset(p, 0, sizeof(*p));
    p->buf = g_byte_array_sized_new(256);
    p->max = max_payload;
}

void gdb_parser_destroy(GdbParser *p)
{
    if (p->buf) {
        g_byte_array_free(p->buf, TRUE);
        p->buf = NULL;
    }
}

void gdb_parser_reset(GdbParser *p)
{
    p->state = RX_IDLE;
    g_byte_array_set_size(p->buf, 0);
    p->sum = 0;
    p->csum = 0;
    p->escape = p->rle = p->overflow = p->malformed = false;
}

static void parser_start(GdbParser *p)
{
    gdb_parser_reset(p);
    p->state = RX_DATA;
}

static void parser_put(GdbParser *p, uint8_t c)
{
    /* Keep counting past the limit so the packet still ends cleanly. */
    if (p->buf->len >= p->max) {
        p->overflow = true;
        return;
    }
    g_byte_array_append(p->buf, &c, 1);
}

static void parser_data(GdbParser *p, uint8_t c)
{
    p->sum += c;
    if (p->rle) {
        /* Count character: repeat the previous byte (c - 29) more times. */
        p->rle = false;
        if (c < 29 || p->buf->len == 0) {
            p->malformed = true;
            return;
        }
        uint8_t prev = p->buf->data[p->buf->len - 1];
        for (int i = 0; i < c - 29; i++) {
            parser_put(p, prev);
        }
        return;
    }
    if (p->escape) {
        p->escape = false;
        parser_put(p, c ^ 0x20);
        return;
    }
    if (c == '}') {
        p->escape = true;
    } else if (c == '*') {
        p->rle = true;
    } else {
        parser_put(p, c);
    }
}

GdbRxEvent gdb_parser_feed(GdbParser *p, uint8_t c)
{
    int d;

    switch (p->state) {
    case RX_IDLE:
        switch (c) {
        case '$':
            parser_start(p);
            return GDB_RX_NONE;
        case '+':
            return GDB_RX_ACK;
        case '-':
            return GDB_RX_NACK;
        case 0x03:
            return GDB_RX_INTERRUPT;
        default:
            return GDB_RX_NONE;     /* line noise between packets */
        }
    case RX_DATA:
        if (c == '#') {
            p->state = RX_CSUM1;
        } else if (c == '$') {
            /* A lost '#': the peer started over, so do we. */
            parser_start(p);
        } else {
            parser_data(p, c);
        }
        return GDB_RX_NONE;
    case RX_CSUM1:
        d = gdb_hex_digit(c);
        if (d < 0) {
            p->malformed = true;
            d = 0;
        }
        p->csum = d << 4;
        p->state = RX_CSUM2;
        return GDB_RX_NONE;
    default:
        d = gdb_hex_digit(c);
        p->state = RX_IDLE;
        if (d < 0 || p->malformed || p->escape || p->rle) {
            return GDB_RX_MALFORMED;
        }
        p->csum |= d;
        if (p->csum != p->sum) {
            return GDB_RX_BAD_CHECKSUM;
        }
        if (p->overflow) {
            return GDB_RX_OVERFLOW;
        }
        g_byte_array_append(p->buf, (const uint8_t *)"", 1);
        g_byte_array_set_size(p->buf, p->buf->len - 1);
        return GDB_RX_PACKET;
    }
}

const char *gdb_parser_payload(const GdbParser *p, size_t *len)
{
    if (len) {
        *len = p->buf->len;
    }
    /* The NUL sits just past len (see the GDB_RX_PACKET path). */
    return (const char *)p->buf->data;
}

void gdb_packet_frame(GString *out, const void *payload, size_t len)
{
    const uint8_t *b = payload;
    uint8_t sum = 0;

    g_string_append_c(out, '$');
    for (size_t i = 0; i < len; i++) {
        uint8_t c = b[i];

        if (c == '$' || c == '#' || c == '}' || c == '*') {
            g_string_append_c(out, '}');
            sum += '}';
            c ^= 0x20;
        }
        g_string_append_c(out, c);
        sum += c;
    }
    g_string_append_printf(out, "#%02x", sum);
}

void gdb_hex_append(GString *out, const void *buf, size_t len)
{
    static const char digits[] = "0123456789abcdef";
    const uint8_t *b = buf;

    for (size_t i = 0; i < len; i++) {
        g_string_append_c(out, digits[b[i] >> 4]);
        g_string_append_c(out, digits[b[i] & 15]);
    }
}

int gdb_hex_digit(int c)
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

bool gdb_hex_decode(const char *hex, uint8_t *out, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        int hi = gdb_hex_digit(hex[2 * i]);
        int lo = hi < 0 ? -1 : gdb_hex_digit(hex[2 * i + 1]);

        if (lo < 0) {
            return false;
        }
        out[i] = (hi << 4) | lo;
    }
    return true;
}

bool gdb_parse_hex(const char **p, uint64_t *out)
{
    const char *s = *p;
    uint64_t v = 0;
    int n = 0, d;

    while ((d = gdb_hex_digit(*s)) >= 0) {
        if (v >> 60) {
            return false;
        }
        v = (v << 4) | d;
        s++;
        n++;
    }
    if (!n) {
        return false;
    }
    *out = v;
    *p = s;
    return true;
}

bool gdb_parse_addr_len(const char *args, uint64_t *addr, uint64_t *len,
                        const char **rest)
{
    const char *p = args;

    if (!gdb_parse_hex(&p, addr) || *p++ != ',' || !gdb_parse_hex(&p, len)) {
        return false;
    }
    if (*p == ':') {
        p++;
    } else if (*p) {
        return false;
    }
    if (rest) {
        *rest = p;
    }
    return true;
}

bool gdb_parse_thread_id(const char **p, int64_t *tid)
{
    uint64_t v;

    if ((*p)[0] == '-' && (*p)[1] == '1') {
        *tid = GDB_THREAD_ALL;
        *p += 2;
        return true;
    }
    if (!gdb_parse_hex(p, &v) || v > G_MAXINT32) {
        return false;
    }
    *tid = (int64_t)v;
    return true;
}

bool gdb_parse_vcont(const char *args, GdbVContAction *actions, int max, int *n)
{
    const char *p = args;

    *n = 0;
    if (*p != ';') {
        return false;
    }
    while (*p == ';') {
        GdbVContAction a = { .signal = -1, .tid = GDB_THREAD_ALL };
        char k = *++p;

        p++;
        switch (k) {
        case 'C':
        case 'S': {
            uint64_t sig;

            if (!gdb_parse_hex(&p, &sig) || sig > 255) {
                return false;
            }
            a.signal = (int)sig;
            a.kind = k == 'C' ? 'c' : 's';
            break;
        }
        case 'c':
        case 's':
        case 't':
            a.kind = k;
            break;
        default:
            return false;
        }
        if (*p == ':') {
            p++;
            if (!gdb_parse_thread_id(&p, &a.tid)) {
                return false;
            }
        }
        if (*p && *p != ';') {
            return false;
        }
        if (*n >= max) {
            return false;
        }
        actions[(*n)++] = a;
    }
    return *p == '\0' && *n > 0;
}

bool gdb_parse_breakpoint(const char *args, int *type, uint64_t *addr, uint64_t *kind)
{
    const char *p = args;
    uint64_t t;

    if (!gdb_parse_hex(&p, &t) || t > 4 || *p++ != ',' ||
        !gdb_parse_hex(&p, addr) || *p++ != ',' || !gdb_parse_hex(&p, kind)) {
        return false;
    }
    if (*p && *p != ';') {
        return false;
    }
    *type = (int)t;
    return true;
}
