/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Runtime core of the difftest guest programs, built unchanged into the
 * Linux user-mode image and the bare-metal image. For every generated
 * sequence it derives the initial state (x0-x27, NZCV, FPCR, FPSR, v0-v31
 * and the scratch buffer) from the sequence's seed, runs the sequence and
 * prints one line "H <index> <hash>" over the final state; in verbose mode
 * it prints the initial and final state in full instead. The values lean
 * towards the corner cases translators get wrong: 0, -1, sign boundaries,
 * shift-sized numbers, and for floating point signed zeros, infinities,
 * quiet and signalling NaNs, denormals, the largest and smallest normals
 * and integers near the conversion limits.
 */
#include "difftest.h"

volatile uint64_t dt_current;

uint8_t dt_scratch[DT_SCRATCH_SIZE]
    __attribute__((section(".scratch"), aligned(4096)));

static DtState dt_in, dt_out;

/* GCC may call these on its own even in freestanding code. */
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);

void *memset(void *dst, int c, size_t n)
{
    volatile uint8_t *d = dst;

    while (n--) {
        *d++ = (uint8_t)c;
    }
    return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
    volatile uint8_t *d = dst;
    const uint8_t *s = src;

    while (n--) {
        *d++ = *s++;
    }
    return dst;
}

/* ---- PRNG: splitmix64 seeding a xoshiro256** ---- */

typedef struct Rng {
    uint64_t s[4];
} Rng;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static void rng_seed(Rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++) {
        r->s[i] = splitmix64(&seed);
    }
}

static uint64_t rng_next(Rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform in [0, n) for small n; the bias does not matter here. */
static unsigned rng_below(Rng *r, unsigned n)
{
    return (unsigned)((rng_next(r) >> 32) % n);
}

/* ---- integer values ---- */

static const uint64_t int_specials[] = {
    0, 1, 2, 3, 0xffffffffffffffffull, 0xfffffffffffffffeull,
    0x8000000000000000ull, 0x7fffffffffffffffull, 0x8000000000000001ull,
    0x80000000ull, 0x7fffffffull, 0xffffffffull, 0x100000000ull,
    0xffffffff80000000ull, 0xffffffff7fffffffull, 0x80ull, 0x7full, 0xffull,
    0x8000ull, 0x7fffull, 0xffffull, 31, 32, 33, 63, 64, 65,
    0x00000000ffff0000ull, 0x5555555555555555ull, 0xaaaaaaaaaaaaaaaaull,
};

static uint64_t gen_int(Rng *r)
{
    uint64_t v = rng_next(r);

    switch (rng_below(r, 16)) {
    case 0: case 1: case 2: case 3: case 4:
        return v;
    case 5:
        return (uint64_t)(int64_t)(int8_t)v;             /* small, either sign */
    case 6: case 7:
        return int_specials[rng_below(r, sizeof(int_specials) / sizeof(int_specials[0]))];
    case 8:
        return (uint32_t)v;
    case 9:
        return (uint64_t)(int64_t)(int32_t)v;
    case 10: {
        uint64_t p = 1ull << rng_below(r, 64);
        return p + (uint64_t)(int)rng_below(r, 3) - 1;  /* 2^n - 1, 2^n, 2^n + 1 */
    }
    case 11:
        return v & rng_next(r) & rng_next(r);           /* sparse bits */
    case 12:
        return v | rng_next(r) | rng_next(r);           /* dense bits */
    case 13:
        return v & 0xfff;                               /* small positive */
    case 14:
        return (v & 0xffffffffull) | ((uint64_t)(int64_t)(int32_t)(v >> 32) & 0xffffffff00000000ull);
    default:
        return v >> rng_below(r, 64);
    }
}

/* ---- floating-point values, for any IEEE format ---- */

/*
 * A value of a format with ebits exponent bits and mbits fraction bits (half:
 * 5/10, single: 8/23, double: 11/52), returned in the low bits.
 */
static uint64_t gen_fp(Rng *r, int ebits, int mbits)
{
    uint64_t emax = (1ull << ebits) - 1;
    uint64_t bias = emax >> 1;
    uint64_t mmask = (1ull << mbits) - 1;
    uint64_t sign = rng_next(r) & 1;
    uint64_t m = rng_next(r) & mmask;
    uint64_t e;

    switch (rng_below(r, 20)) {
    case 0:                                     /* zero */
        e = 0, m = 0;
        break;
    case 1:                                     /* infinity */
        e = emax, m = 0;
        break;
    case 2:                                     /* quiet NaN */
        e = emax, m |= 1ull << (mbits - 1);
        break;
    case 3:                                     /* signalling NaN */
        e = emax, m &= mmask >> 1;
        m = m ? m : 1;
        break;
    case 4:                                     /* denormal */
        e = 0, m = m ? m : 1;
        break;
    case 5:                                     /* smallest or largest denormal */
        e = 0, m = (rng_next(r) & 1) ? 1 : mmask;
        break;
    case 6:                                     /* smallest or largest normal */
        if (rng_next(r) & 1) {
            e = 1, m = 0;
        } else {
            e = emax - 1, m = mmask;
        }
        break;
    case 7:                                     /* 1.0, 1.5, 2.0 ... */
        e = bias + rng_below(r, 3), m &= ~(mmask >> 2);
        break;
    case 8: case 9: {                           /* an integer or half-integer */
        unsigned k = rng_below(r, (unsigned)(mbits < 32 ? mbits + 2 : 66));
        e = bias + k;
        if (e >= emax) {
            e = emax - 1;
        }
        if (k + 1 < (unsigned)mbits) {
            m &= ~(mmask >> (k + 1));
        }
        break;
    }
    case 10:                                    /* tiny: results go denormal */
        e = 1 + rng_below(r, (unsigned)(mbits + 2));
        if (e >= emax) {
            e = 1;
        }
        break;
    case 11:                                    /* huge: results overflow */
        e = emax - 1 - rng_below(r, 4);
        break;
    case 12:                                    /* just below 1 */
        e = bias - 1, m = mmask - rng_below(r, 3);
        break;
    default: {                                  /* an ordinary value near 1 */
        int spread = ebits > 8 ? 40 : ebits > 5 ? 20 : 6;
        e = bias - spread + rng_below(r, (unsigned)(2 * spread));
        break;
    }
    }
    return (sign << (ebits + mbits)) | (e << mbits) | m;
}

/* 64 bits for a vector register half or a memory word. */
static uint64_t gen_vec64(Rng *r)
{
    uint64_t v = 0;

    switch (rng_below(r, 10)) {
    case 0: case 1:
        return rng_next(r);
    case 2: case 3:
        return gen_fp(r, 11, 52);
    case 4: case 5:
        return gen_fp(r, 8, 23) | (gen_fp(r, 8, 23) << 32);
    case 6:
        for (int i = 0; i < 4; i++) {
            v |= gen_fp(r, 5, 10) << (16 * i);
        }
        return v;
    case 7:
        return gen_int(r);
    case 8:
        return (gen_int(r) & 0xffffffffull) | (gen_int(r) << 32);
    default:
        for (int i = 0; i < 8; i++) {
            static const uint8_t bytes[] = { 0, 1, 0x7f, 0x80, 0x81, 0xff, 0xfe, 0x55 };
            uint64_t b = (rng_next(r) & 1) ? bytes[rng_below(r, 8)] : (rng_next(r) & 0xff);
            v |= b << (8 * i);
        }
        return v;
    }
}

static uint64_t gen_fpcr(Rng *r)
{
    uint64_t fpcr = 0;

    if (rng_below(r, 4) == 0) {
        return 0;                               /* the default environment */
    }
    fpcr |= (uint64_t)rng_below(r, 4) << 22;    /* RMode */
    if (rng_below(r, 3) == 0) {
        fpcr |= 1u << 24;                       /* FZ */
    }
    if (rng_below(r, 4) == 0) {
        fpcr |= 1u << 25;                       /* DN */
    }
    if (rng_below(r, 4) == 0) {
        fpcr |= 1u << 26;                       /* AHP */
    }
    if (rng_below(r, 4) == 0) {
        fpcr |= 1u << 19;                       /* FZ16 */
    }
    return fpcr;
}

static uint64_t gen_fpsr(Rng *r)
{
    static const uint32_t bits[] = { 1u << 0, 1u << 1, 1u << 2, 1u << 3, 1u << 4,
                                     1u << 7, 1u << 27 };
    uint64_t fpsr = 0;

    if (rng_below(r, 2) == 0) {
        return 0;
    }
    for (unsigned i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
        if (rng_below(r, 4) == 0) {
            fpsr |= bits[i];
        }
    }
    return fpsr;
}

static void state_init(DtState *s, uint64_t seed)
{
    Rng r;

    rng_seed(&r, seed);
    for (int i = 0; i < 31; i++) {
        s->x[i] = gen_int(&r);
    }
    s->x[28] = (uint64_t)(uintptr_t)(dt_scratch + DT_SCRATCH_BASE_OFF);
    s->sp = s->x[28];
    s->x[29] = s->x[30] = 0;
    s->nzcv = (uint64_t)rng_below(&r, 16) << 28;
    s->fpcr = gen_fpcr(&r);
    s->fpsr = gen_fpsr(&r);
    for (int i = 0; i < 32; i++) {
        s->v[i][0] = gen_vec64(&r);
        s->v[i][1] = gen_vec64(&r);
    }
    for (int i = 0; i < DT_SCRATCH_SIZE; i += 8) {
        *(uint64_t *)(dt_scratch + i) = gen_vec64(&r);
    }
}

/* ---- output ---- */

typedef struct Out {
    char buf[512];
    size_t len;
} Out;

static void out_flush(Out *o)
{
    if (o->len) {
        plat_write(o->buf, o->len);
        o->len = 0;
    }
}

static void out_char(Out *o, char c)
{
    if (o->len == sizeof(o->buf)) {
        out_flush(o);
    }
    o->buf[o->len++] = c;
}

static void out_str(Out *o, const char *s)
{
    while (*s) {
        out_char(o, *s++);
    }
}

static void out_hex(Out *o, uint64_t v, int digits)
{
    for (int i = digits - 1; i >= 0; i--) {
        out_char(o, "0123456789abcdef"[(v >> (4 * i)) & 0xf]);
    }
}

static void out_dec(Out *o, uint64_t v)
{
    char tmp[24];
    int n = 0;

    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) {
        out_char(o, tmp[--n]);
    }
}

static uint64_t hash_word(uint64_t h, uint64_t w)
{
    h ^= w;
    h *= 0x9fb21c651e98df25ull;
    return h ^ (h >> 29);
}

static uint64_t state_hash(const DtState *s)
{
    uint64_t h = 0x243f6a8885a308d3ull;

    for (int i = 0; i <= 28; i++) {
        h = hash_word(h, s->x[i]);
    }
    h = hash_word(h, s->sp);
    h = hash_word(h, s->nzcv);
    h = hash_word(h, s->fpcr);
    h = hash_word(h, s->fpsr);
    for (int i = 0; i < 32; i++) {
        h = hash_word(h, s->v[i][0]);
        h = hash_word(h, s->v[i][1]);
    }
    for (int i = 0; i < DT_SCRATCH_SIZE; i += 8) {
        h = hash_word(h, *(const uint64_t *)(dt_scratch + i));
    }
    return h;
}

/* "<prefix>.<name> <hex>" lines, one per register. */
static void state_dump(Out *o, const char *prefix, const DtState *s)
{
    for (int i = 0; i <= 28; i++) {
        out_str(o, prefix);
        out_str(o, ".x");
        out_dec(o, (uint64_t)i);
        out_char(o, ' ');
        out_hex(o, s->x[i], 16);
        out_char(o, '\n');
    }
    out_str(o, prefix);
    out_str(o, ".sp ");
    out_hex(o, s->sp, 16);
    out_char(o, '\n');
    out_str(o, prefix);
    out_str(o, ".nzcv ");
    out_hex(o, s->nzcv >> 28, 1);
    out_char(o, '\n');
    out_str(o, prefix);
    out_str(o, ".fpcr ");
    out_hex(o, s->fpcr, 8);
    out_char(o, '\n');
    out_str(o, prefix);
    out_str(o, ".fpsr ");
    out_hex(o, s->fpsr, 8);
    out_char(o, '\n');
    for (int i = 0; i < 32; i++) {
        out_str(o, prefix);
        out_str(o, ".v");
        out_dec(o, (uint64_t)i);
        out_char(o, ' ');
        out_hex(o, s->v[i][1], 16);
        out_hex(o, s->v[i][0], 16);
        out_char(o, '\n');
    }
}

/* "<prefix>.mem+<offset from x28> <16 bytes>" lines, little-endian words. */
static void mem_dump(Out *o, const char *prefix)
{
    for (int i = 0; i < DT_SCRATCH_SIZE; i += 16) {
        int off = i - DT_SCRATCH_BASE_OFF;

        out_str(o, prefix);
        out_str(o, ".mem");
        out_char(o, off < 0 ? '-' : '+');
        out_hex(o, (uint64_t)(off < 0 ? -off : off), 3);
        out_char(o, ' ');
        out_hex(o, *(const uint64_t *)(dt_scratch + i + 8), 16);
        out_hex(o, *(const uint64_t *)(dt_scratch + i), 16);
        out_char(o, '\n');
    }
}

int dt_main(void)
{
    Out o;
    int verbose = (dt_flags & DT_FLAG_VERBOSE) != 0;

    o.len = 0;

    out_str(&o, "DIFFTEST ");
    out_dec(&o, dt_nseq);
    out_char(&o, '\n');
    for (uint64_t i = 0; i < dt_nseq; i++) {
        const DtEntry *e = &dt_table[i];

        dt_current = e->index;
        state_init(&dt_in, e->seed);
        dt_in.code = e->code;
        dt_in.out = &dt_out;
        if (verbose) {
            out_str(&o, "S ");
            out_dec(&o, e->index);
            out_char(&o, '\n');
            state_dump(&o, "in", &dt_in);
            mem_dump(&o, "in");
        }
        /* Everything before a sequence that faults must reach the runner. */
        out_flush(&o);
        dt_seq_run(&dt_in);
        if (verbose) {
            state_dump(&o, "out", &dt_out);
            mem_dump(&o, "out");
        } else {
            out_str(&o, "H ");
            out_dec(&o, e->index);
            out_char(&o, ' ');
            out_hex(&o, state_hash(&dt_out), 16);
            out_char(&o, '\n');
        }
    }
    out_str(&o, "END\n");
    out_flush(&o);
    return 0;
}
