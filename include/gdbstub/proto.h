/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The GDB remote serial protocol without any transport or target: the
 * byte-level receive state machine ($payload#cs framing, acks, Ctrl-C,
 * '}' escapes and '*' run-length encoding), reply framing, hex helpers and
 * parsers for the argument syntax of individual packets. Pure functions
 * over caller-owned state, so the whole layer is unit-testable.
 */
#ifndef GDBSTUB_PROTO_H
#define GDBSTUB_PROTO_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest packet payload we accept and advertise (PacketSize, in hex). */
#define GDB_MAX_PACKET      16384
#define GDB_MAX_PACKET_STR  "4000"

typedef enum GdbRxEvent {
    GDB_RX_NONE,            /* byte consumed, nothing complete yet */
    GDB_RX_ACK,             /* '+' */
    GDB_RX_NACK,            /* '-': resend the last reply */
    GDB_RX_INTERRUPT,       /* 0x03 between packets (Ctrl-C) */
    GDB_RX_PACKET,          /* a valid packet: gdb_parser_payload() */
    GDB_RX_BAD_CHECKSUM,    /* complete packet, checksum mismatch */
    GDB_RX_MALFORMED,       /* non-hex checksum, dangling RLE */
    GDB_RX_OVERFLOW,        /* payload longer than the limit; dropped */
} GdbRxEvent;

typedef struct GdbParser {
    int state;
    GByteArray *buf;        /* decoded payload, NUL-terminated on success */
    size_t max;
    uint8_t sum;            /* running checksum of the raw packet bytes */
    uint8_t csum;           /* received checksum digits */
    bool escape;            /* last byte was '}' */
    bool rle;               /* last byte was '*' */
    bool overflow;
    bool malformed;
} GdbParser;

void gdb_parser_init(GdbParser *p, size_t max_payload);
void gdb_parser_destroy(GdbParser *p);
/* Forget a half-received packet (new connection). */
void gdb_parser_reset(GdbParser *p);
/* Consume one byte from the wire. */
GdbRxEvent gdb_parser_feed(GdbParser *p, uint8_t c);
/*
 * Payload of the last GDB_RX_PACKET, unescaped and expanded, followed by a
 * NUL that is not counted in *len. Valid until the next feed.
 */
const char *gdb_parser_payload(const GdbParser *p, size_t *len);

/* Append "$payload#cs" to out, escaping '$', '#', '}' and '*'. */
void gdb_packet_frame(GString *out, const void *payload, size_t len);

/* Lower-case hex of len bytes appended to out. */
void gdb_hex_append(GString *out, const void *buf, size_t len);
/* Value of one hex digit, or -1. */
int gdb_hex_digit(int c);
/*
 * Decode exactly 2 * len hex digits from hex into out. False on a non-hex
 * digit (out is then partly written).
 */
bool gdb_hex_decode(const char *hex, uint8_t *out, size_t len);

/*
 * Parse a hex number of 1..16 digits at *p and advance *p past it. False
 * (and *p unchanged) when there is no digit or the value overflows.
 */
bool gdb_parse_hex(const char **p, uint64_t *out);

/* "ADDR,LEN" followed by the end of the string or by ':' (*rest after it). */
bool gdb_parse_addr_len(const char *args, uint64_t *addr, uint64_t *len,
                        const char **rest);

/* Thread ids in packets: -1 means all threads, 0 any thread. */
#define GDB_THREAD_ALL  (-1)
#define GDB_THREAD_ANY  0
/* "-1", "0" or a positive hex id; advances *p. */
bool gdb_parse_thread_id(const char **p, int64_t *tid);

/* One vCont action: 'c', 's' or 't' (C/S fold onto c/s with a signal). */
typedef struct GdbVContAction {
    char kind;
    int signal;             /* -1 without one */
    int64_t tid;            /* GDB_THREAD_ALL for the default action */
} GdbVContAction;

/*
 * Actions of "vCont;ACTION[:TID];..." given the text after "vCont". Fails
 * on an unknown action, a bad thread id, or more than max actions.
 */
bool gdb_parse_vcont(const char *args, GdbVContAction *actions, int max, int *n);

/* "TYPE,ADDR,KIND" of Z/z packets; conditions after ';' are ignored. */
bool gdb_parse_breakpoint(const char *args, int *type, uint64_t *addr, uint64_t *kind);

#endif
