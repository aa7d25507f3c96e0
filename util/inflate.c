/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A deflate decoder (RFC 1951) and the gzip container (RFC 1952), enough for
 * qcow2 compressed clusters and gzip'd kernels without linking zlib. Huffman
 * codes up to FAST_BITS long are decoded with one table lookup (bit-reversed
 * index, since deflate packs codes most significant bit first into an LSB
 * first stream); longer codes fall back to walking the canonical code
 * counts a bit at a time. A 40 MiB kernel therefore decodes in well under a
 * second, and the slow path keeps the tables small.
 */
#include <string.h>

#include "util/error.h"
#include "util/inflate.h"

#define FAST_BITS 9

typedef struct Inflater {
    const uint8_t *in;
    size_t in_len;
    size_t in_pos;
    uint64_t bitbuf;
    int bitcnt;
    uint8_t *out;
    size_t out_len;         /* capacity of out */
    size_t out_pos;
    size_t out_max;         /* growable up to this size; 0: fixed buffer */
} Inflater;

typedef struct Huffman {
    uint16_t fast[1 << FAST_BITS];  /* len << 9 | symbol; 0: use the slow path */
    uint16_t count[16];             /* codes of each length */
    uint16_t symbol[288];           /* symbols ordered by code */
} Huffman;

enum { INF_ERROR = -1, INF_DONE = 0, INF_FULL = 1 };

static const uint16_t len_base[29] = {
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
    35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258
};
static const uint8_t len_extra[29] = {
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
    3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0
};
static const uint16_t dist_base[30] = {
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
    257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577
};
static const uint8_t dist_extra[30] = {
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
    7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13
};
static const uint8_t clen_order[19] = {
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15
};

static void inf_refill(Inflater *st)
{
    while (st->bitcnt <= 56 && st->in_pos < st->in_len) {
        st->bitbuf |= (uint64_t)st->in[st->in_pos++] << st->bitcnt;
        st->bitcnt += 8;
    }
}

/* need (<= 32) bits, least significant first; -1 when the input runs out. */
static int inf_bits(Inflater *st, int need)
{
    int v;

    if (st->bitcnt < need) {
        inf_refill(st);
        if (st->bitcnt < need) {
            return -1;
        }
    }
    v = (int)(st->bitbuf & ((1ull << need) - 1));
    st->bitbuf >>= need;
    st->bitcnt -= need;
    return v;
}

/* Incomplete codes are allowed (a lone distance code is legal). */
static bool huff_build(Huffman *h, const uint8_t *lengths, int n)
{
    uint16_t offs[16];
    int left = 1;
    unsigned code = 0;

    memset(h->count, 0, sizeof(h->count));
    memset(h->fast, 0, sizeof(h->fast));
    for (int i = 0; i < n; i++) {
        h->count[lengths[i]]++;
    }
    h->count[0] = 0;
    for (int len = 1; len < 16; len++) {
        left = left * 2 - h->count[len];
        if (left < 0) {
            return false;   /* more codes than the lengths allow */
        }
    }
    offs[1] = 0;
    for (int len = 1; len < 15; len++) {
        offs[len + 1] = offs[len] + h->count[len];
    }
    for (int i = 0; i < n; i++) {
        if (lengths[i]) {
            h->symbol[offs[lengths[i]]++] = i;
        }
    }
    /* Canonical codes in symbol order: fill the fast table for short ones. */
    for (int len = 1, idx = 0; len <= FAST_BITS; len++) {
        for (int k = 0; k < h->count[len]; k++, idx++, code++) {
            unsigned rev = 0;

            for (int b = 0; b < len; b++) {
                rev |= ((code >> b) & 1) << (len - 1 - b);
            }
            for (unsigned j = rev; j < (1u << FAST_BITS); j += 1u << len) {
                h->fast[j] = (uint16_t)(len << 9 | h->symbol[idx]);
            }
        }
        code <<= 1;
    }
    return true;
}

/*
 * Canonical codes of one length are consecutive integers, and the first
 * code of length L+1 is (first of L + count of L) << 1: walk down the
 * lengths until the bits read so far fall inside a length's range.
 */
static int huff_decode_slow(Inflater *st, const Huffman *h)
{
    int code = 0, first = 0, index = 0;

    for (int len = 1; len < 16; len++) {
        int b = inf_bits(st, 1);

        if (b < 0) {
            return -1;
        }
        code |= b;
        if (code - first < h->count[len]) {
            return h->symbol[index + code - first];
        }
        index += h->count[len];
        first = (first + h->count[len]) << 1;
        code <<= 1;
    }
    return -1;
}

static inline int huff_decode(Inflater *st, const Huffman *h)
{
    uint16_t e;

    if (st->bitcnt < 15) {
        inf_refill(st);
    }
    e = h->fast[st->bitbuf & ((1u << FAST_BITS) - 1)];
    if (e && (e >> 9) <= st->bitcnt) {
        st->bitbuf >>= e >> 9;
        st->bitcnt -= e >> 9;
        return e & 0x1ff;
    }
    return huff_decode_slow(st, h);
}

/* Make room for one more output byte; false when the output is full. */
static bool inf_room(Inflater *st)
{
    size_t cap;

    if (st->out_pos < st->out_len) {
        return true;
    }
    if (st->out_len >= st->out_max) {
        return false;
    }
    cap = MAX(st->out_len * 2, (size_t)65536);
    cap = MIN(cap, st->out_max);
    st->out = g_realloc(st->out, cap);
    st->out_len = cap;
    return true;
}

static int inf_codes(Inflater *st, const Huffman *lit, const Huffman *dist)
{
    for (;;) {
        int sym = huff_decode(st, lit);

        if (sym < 0) {
            return INF_ERROR;
        }
        if (sym < 256) {
            if (!inf_room(st)) {
                return INF_FULL;
            }
            st->out[st->out_pos++] = sym;
        } else if (sym == 256) {
            return INF_DONE;
        } else {
            int e, d, len, dsym;
            size_t distance;

            sym -= 257;
            if (sym >= 29 || (e = inf_bits(st, len_extra[sym])) < 0) {
                return INF_ERROR;
            }
            len = len_base[sym] + e;
            dsym = huff_decode(st, dist);
            if (dsym < 0 || dsym >= 30 || (d = inf_bits(st, dist_extra[dsym])) < 0) {
                return INF_ERROR;
            }
            distance = dist_base[dsym] + d;
            if (distance > st->out_pos) {
                return INF_ERROR;
            }
            if (st->out_len - st->out_pos >= (size_t)len) {
                uint8_t *dst = st->out + st->out_pos, *src = dst - distance;

                st->out_pos += len;
                while (len--) {
                    *dst++ = *src++;
                }
                continue;
            }
            while (len--) {
                if (!inf_room(st)) {
                    return INF_FULL;
                }
                st->out[st->out_pos] = st->out[st->out_pos - distance];
                st->out_pos++;
            }
        }
    }
}

static int inf_stored(Inflater *st)
{
    int len, nlen;

    /* Drop the rest of the current byte; whole bytes stay in bitbuf. */
    inf_bits(st, st->bitcnt & 7);
    len = inf_bits(st, 16);
    nlen = inf_bits(st, 16);
    if (len < 0 || nlen < 0 || len != (~nlen & 0xffff)) {
        return INF_ERROR;
    }
    while (len--) {
        int c = inf_bits(st, 8);

        if (c < 0) {
            return INF_ERROR;
        }
        if (!inf_room(st)) {
            return INF_FULL;
        }
        st->out[st->out_pos++] = c;
    }
    return INF_DONE;
}

static int inf_fixed(Inflater *st)
{
    uint8_t lengths[288 + 30];
    Huffman *lit = g_new(Huffman, 2), *dist = lit + 1;
    int i = 0, r;

    for (; i < 144; i++) {
        lengths[i] = 8;
    }
    for (; i < 256; i++) {
        lengths[i] = 9;
    }
    for (; i < 280; i++) {
        lengths[i] = 7;
    }
    for (; i < 288; i++) {
        lengths[i] = 8;
    }
    for (; i < 288 + 30; i++) {
        lengths[i] = 5;
    }
    huff_build(lit, lengths, 288);
    huff_build(dist, lengths + 288, 30);
    r = inf_codes(st, lit, dist);
    g_free(lit);
    return r;
}

static int inf_dynamic(Inflater *st)
{
    uint8_t lengths[286 + 30];
    Huffman *lit, *dist, *clen;
    int nlen, ndist, ncode, index = 0, r = INF_ERROR;

    nlen = inf_bits(st, 5);
    ndist = inf_bits(st, 5);
    ncode = inf_bits(st, 4);
    if (nlen < 0 || ndist < 0 || ncode < 0) {
        return INF_ERROR;
    }
    nlen += 257;
    ndist += 1;
    ncode += 4;
    if (nlen > 286 || ndist > 30) {
        return INF_ERROR;
    }
    lit = g_new(Huffman, 3);
    dist = lit + 1;
    clen = lit + 2;
    memset(lengths, 0, 19);
    for (int i = 0; i < ncode; i++) {
        int v = inf_bits(st, 3);

        if (v < 0) {
            goto out;
        }
        lengths[clen_order[i]] = v;
    }
    if (!huff_build(clen, lengths, 19)) {
        goto out;
    }
    while (index < nlen + ndist) {
        int sym = huff_decode(st, clen);
        int rep, val = 0;

        if (sym < 0) {
            goto out;
        }
        if (sym < 16) {
            lengths[index++] = sym;
            continue;
        }
        if (sym == 16) {
            if (index == 0) {
                goto out;
            }
            val = lengths[index - 1];
            rep = inf_bits(st, 2);
            rep = rep < 0 ? -1 : rep + 3;
        } else if (sym == 17) {
            rep = inf_bits(st, 3);
            rep = rep < 0 ? -1 : rep + 3;
        } else {
            rep = inf_bits(st, 7);
            rep = rep < 0 ? -1 : rep + 11;
        }
        if (rep < 0 || index + rep > nlen + ndist) {
            goto out;
        }
        while (rep--) {
            lengths[index++] = val;
        }
    }
    if (lengths[256] == 0 || !huff_build(lit, lengths, nlen) ||
        !huff_build(dist, lengths + nlen, ndist)) {
        goto out;
    }
    r = inf_codes(st, lit, dist);
out:
    g_free(lit);
    return r;
}

/* Blocks until the last one ends (INF_DONE), the output fills, or an error. */
static int inf_stream(Inflater *st)
{
    int last;

    do {
        int type, r;

        last = inf_bits(st, 1);
        type = inf_bits(st, 2);
        if (last < 0 || type < 0) {
            return INF_ERROR;
        }
        switch (type) {
        case 0:
            r = inf_stored(st);
            break;
        case 1:
            r = inf_fixed(st);
            break;
        case 2:
            r = inf_dynamic(st);
            break;
        default:
            return INF_ERROR;
        }
        if (r != INF_DONE) {
            return r;
        }
    } while (!last);
    return INF_DONE;
}

bool inflate_raw(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_len)
{
    Inflater st = { .in = in, .in_len = in_len, .out = out, .out_len = out_len };
    int r = inf_stream(&st);

    if (r == INF_FULL) {
        return true;
    }
    return r == INF_DONE && st.out_pos == st.out_len;
}

/* ---- gzip ---- */

uint32_t crc32_update(uint32_t crc, const uint8_t *buf, size_t len)
{
    uint32_t table[256];

    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;

        for (int k = 0; k < 8; k++) {
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        }
        table[i] = c;
    }
    crc = ~crc;
    for (size_t i = 0; i < len; i++) {
        crc = table[(crc ^ buf[i]) & 0xff] ^ (crc >> 8);
    }
    return ~crc;
}

bool gzip_has_magic(const uint8_t *in, size_t in_len)
{
    return in_len >= 2 && in[0] == 0x1f && in[1] == 0x8b;
}

static uint32_t gz_le32(const uint8_t *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Skip a NUL-terminated header field; false when it runs off the end. */
static bool gz_skip_string(const uint8_t *in, size_t in_len, size_t *pos)
{
    const uint8_t *nul = memchr(in + *pos, 0, in_len - *pos);

    if (!nul) {
        return false;
    }
    *pos = nul - in + 1;
    return true;
}

enum {
    GZ_FTEXT = 1 << 0, GZ_FHCRC = 1 << 1, GZ_FEXTRA = 1 << 2,
    GZ_FNAME = 1 << 3, GZ_FCOMMENT = 1 << 4, GZ_FRESERVED = 0xe0,
};

GBytes *gzip_decompress(const uint8_t *in, size_t in_len, size_t max_out, GError **errp)
{
    Inflater st = { 0 };
    size_t pos = 10, end;
    uint32_t crc, isize;
    uint8_t flg;
    int r;

    if (!gzip_has_magic(in, in_len)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "gzip: not a gzip file");
        return NULL;
    }
    if (in_len < 18) {
        goto truncated;     /* a header and a trailer at least */
    }
    if (in[2] != 8) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_UNSUPPORTED,
                    "gzip: compression method %u is not deflate", in[2]);
        return NULL;
    }
    flg = in[3];
    if (flg & GZ_FRESERVED) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "gzip: reserved header flags 0x%02x are set", flg);
        return NULL;
    }
    if (flg & GZ_FEXTRA) {
        size_t xlen = in[pos] | in[pos + 1] << 8;

        if (xlen > in_len - pos - 2) {
            goto truncated;
        }
        pos += 2 + xlen;
    }
    if (((flg & GZ_FNAME) && !gz_skip_string(in, in_len, &pos)) ||
        ((flg & GZ_FCOMMENT) && !gz_skip_string(in, in_len, &pos))) {
        goto truncated;
    }
    if (flg & GZ_FHCRC) {
        pos += 2;
    }
    if (pos > in_len) {
        goto truncated;
    }

    st.in = in + pos;
    st.in_len = in_len - pos;
    st.out_max = max_out;
    /* The trailer's ISIZE (length mod 2^32) is a good first guess. */
    isize = gz_le32(in + in_len - 4);
    if (isize && isize <= max_out) {
        st.out_len = isize;
        st.out = g_malloc(isize);
    }
    r = inf_stream(&st);
    if (r == INF_FULL) {
        g_free(st.out);
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "gzip: decompressed data is larger than %zu bytes", max_out);
        return NULL;
    }
    if (r != INF_DONE) {
        g_free(st.out);
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "gzip: corrupt or truncated compressed data");
        return NULL;
    }
    /* Back up over whole bytes the bit buffer read ahead. */
    end = pos + st.in_pos - (size_t)(st.bitcnt / 8);
    if (in_len - end < 8) {
        g_free(st.out);
        goto truncated;
    }
    crc = gz_le32(in + end);
    isize = gz_le32(in + end + 4);
    if (crc != crc32_update(0, st.out, st.out_pos)) {
        g_free(st.out);
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "gzip: CRC-32 mismatch");
        return NULL;
    }
    if (isize != (uint32_t)st.out_pos) {
        g_free(st.out);
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "gzip: length mismatch (trailer says %u, data has %zu bytes)",
                    isize, st.out_pos);
        return NULL;
    }
    if (st.out_pos < st.out_len) {
        st.out = g_realloc(st.out, MAX(st.out_pos, (size_t)1));
    }
    return g_bytes_new_take(st.out, st.out_pos);

truncated:
    g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "gzip: truncated file");
    return NULL;
}
