/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small decoder for raw deflate streams (RFC 1951), enough to read
 * qcow2 compressed clusters without linking zlib. Speed is secondary:
 * Huffman codes are decoded a bit at a time with the canonical-code
 * counting method, which needs no lookup tables beyond counts and symbols.
 */
#include "block/qcow2.h"

typedef struct {
    const uint8_t *in;
    size_t in_len;
    size_t in_pos;
    uint32_t bitbuf;
    int bitcnt;
    uint8_t *out;
    size_t out_len;
    size_t out_pos;
} Inflater;

typedef struct {
    uint16_t count[16];     /* codes of each length */
    uint16_t symbol[288];   /* symbols ordered by code */
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

/* need bits, least significant first; -1 when the input runs out */
static int inf_bits(Inflater *st, int need)
{
    uint32_t v = st->bitbuf;

    while (st->bitcnt < need) {
        if (st->in_pos >= st->in_len) {
            return -1;
        }
        v |= (uint32_t)st->in[st->in_pos++] << st->bitcnt;
        st->bitcnt += 8;
    }
    st->bitbuf = need < 32 ? v >> need : 0;
    st->bitcnt -= need;
    return v & ((1u << need) - 1);
}

/* Incomplete codes are allowed (a lone distance code is legal). */
static bool huff_build(Huffman *h, const uint8_t *lengths, int n)
{
    uint16_t offs[16];
    int left = 1;

    memset(h->count, 0, sizeof(h->count));
    for (int i = 0; i < n; i++) {
        h->count[lengths[i]]++;
    }
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
    return true;
}

/*
 * Canonical codes of one length are consecutive integers, and the first
 * code of length L+1 is (first of L + count of L) << 1: walk down the
 * lengths until the bits read so far fall inside a length's range.
 */
static int huff_decode(Inflater *st, const Huffman *h)
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

static int inf_codes(Inflater *st, const Huffman *lit, const Huffman *dist)
{
    for (;;) {
        int sym = huff_decode(st, lit);

        if (sym < 0) {
            return INF_ERROR;
        }
        if (sym < 256) {
            if (st->out_pos == st->out_len) {
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
            while (len--) {
                if (st->out_pos == st->out_len) {
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
    unsigned len, nlen;

    st->bitbuf = 0;     /* drop the rest of the current byte */
    st->bitcnt = 0;
    if (st->in_pos + 4 > st->in_len) {
        return INF_ERROR;
    }
    len = st->in[st->in_pos] | (st->in[st->in_pos + 1] << 8);
    nlen = st->in[st->in_pos + 2] | (st->in[st->in_pos + 3] << 8);
    st->in_pos += 4;
    if (len != (~nlen & 0xffff) || st->in_pos + len > st->in_len) {
        return INF_ERROR;
    }
    while (len--) {
        if (st->out_pos == st->out_len) {
            return INF_FULL;
        }
        st->out[st->out_pos++] = st->in[st->in_pos++];
    }
    return INF_DONE;
}

static int inf_fixed(Inflater *st)
{
    uint8_t lengths[288 + 30];
    Huffman lit, dist;
    int i = 0;

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
    huff_build(&lit, lengths, 288);
    huff_build(&dist, lengths + 288, 30);
    return inf_codes(st, &lit, &dist);
}

static int inf_dynamic(Inflater *st)
{
    uint8_t lengths[286 + 30];
    Huffman lit, dist, clen;
    int nlen, ndist, ncode, index = 0;

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
    memset(lengths, 0, 19);
    for (int i = 0; i < ncode; i++) {
        int v = inf_bits(st, 3);

        if (v < 0) {
            return INF_ERROR;
        }
        lengths[clen_order[i]] = v;
    }
    if (!huff_build(&clen, lengths, 19)) {
        return INF_ERROR;
    }
    while (index < nlen + ndist) {
        int sym = huff_decode(st, &clen);
        int rep, val = 0;

        if (sym < 0) {
            return INF_ERROR;
        }
        if (sym < 16) {
            lengths[index++] = sym;
            continue;
        }
        if (sym == 16) {
            if (index == 0) {
                return INF_ERROR;
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
            return INF_ERROR;
        }
        while (rep--) {
            lengths[index++] = val;
        }
    }
    if (lengths[256] == 0 || !huff_build(&lit, lengths, nlen) ||
        !huff_build(&dist, lengths + nlen, ndist)) {
        return INF_ERROR;
    }
    return inf_codes(st, &lit, &dist);
}

bool qcow2_inflate(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_len)
{
    Inflater st = { .in = in, .in_len = in_len, .out = out, .out_len = out_len };
    int last;

    do {
        int type, r;

        last = inf_bits(&st, 1);
        type = inf_bits(&st, 2);
        if (last < 0 || type < 0) {
            return false;
        }
        switch (type) {
        case 0:
            r = inf_stored(&st);
            break;
        case 1:
            r = inf_fixed(&st);
            break;
        case 2:
            r = inf_dynamic(&st);
            break;
        default:
            return false;
        }
        if (r == INF_FULL) {
            return true;
        }
        if (r == INF_ERROR) {
            return false;
        }
    } while (!last);
    return st.out_pos == st.out_len;
}
