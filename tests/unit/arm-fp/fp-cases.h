/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The floating-point test cases shared by gen-arm-fp.c (an AArch64 Linux
 * program that runs each case as a real instruction under qemu-aarch64 and
 * prints hashes of the results) and tests/unit/test-arm-fp.c (which runs
 * the same cases through the arm_fp_* library and compares the hashes).
 * Inputs are pure functions of (operation, precision, case index), so only
 * the hashes need to be stored; both sides can dump single cases to find a
 * difference. Nothing here may depend on the host: integer arithmetic only.
 */
#ifndef TESTS_UNIT_ARM_FP_FP_CASES_H
#define TESTS_UNIT_ARM_FP_FP_CASES_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

enum {
    FPK_FP2,        /* Vd = op(Vn=a, Vm=b) */
    FPK_FP3,        /* Vd = op(Vn=a, Vm=b, Va=c) */
    FPK_FP1,        /* Vd = op(Vn=a) */
    FPK_CMP,        /* NZCV = op(Vn=a, Vm=b) */
    FPK_CVT,        /* Vd<to> = op(Vn<esz>=a) */
    FPK_TOINT,      /* Xd = op(Vn=a) */
    FPK_FROMINT,    /* Vd = op(Xn=a) */
    FPK_TOFIX,      /* Xd = op(Vn=a, #fbits) */
    FPK_FROMFIX,    /* Vd = op(Xn=a, #fbits) */
    FPK_JCVT,       /* Wd, NZCV = op(Vn=a) */
};

typedef struct FPCaseOp {
    const char *name;
    int kind;
    uint32_t enc[4];        /* by esz (1 H, 2 S, 3 D); 0: not available */
    int to;                 /* FPK_CVT: destination esz */
    int intbits;            /* integer width of the int/fixed forms */
    bool uns;
    int rmode;              /* explicit rounding, -1 for FPCR */
} FPCaseOp;

/* Register numbers in every encoding: d = 0, n = 1, m = 2, a = 3 */
#define FPC_FT(esz) ((esz) == 1 ? 3u : (esz) == 2 ? 0u : 1u)
#define FPC_FP2(opc, esz) (0x1E200800u | FPC_FT(esz) << 22 | 2u << 16 | (opc) << 12 | 1u << 5)
#define FPC_FP1(opc, esz) (0x1E204000u | FPC_FT(esz) << 22 | (opc) << 15 | 1u << 5)
#define FPC_FP3(o1, o0, esz) (0x1F000000u | FPC_FT(esz) << 22 | (o1) << 21 | 2u << 16 | \
                              (o0) << 15 | 3u << 10 | 1u << 5)
#define FPC_CMP(opc2, esz) (0x1E202000u | FPC_FT(esz) << 22 | 2u << 16 | 1u << 5 | (opc2))
#define FPC_INT(sf, rm, opc, esz) (0x1E200000u | (uint32_t)(sf) << 31 | FPC_FT(esz) << 22 | \
                                   (rm) << 19 | (opc) << 16 | 1u << 5)
#define FPC_FIX(sf, rm, opc, esz) (0x1E000000u | (uint32_t)(sf) << 31 | FPC_FT(esz) << 22 | \
                                   (rm) << 19 | (opc) << 16 | 1u << 5)

#define FPC_ALL(M, ...) { 0, M(__VA_ARGS__, 1), M(__VA_ARGS__, 2), M(__VA_ARGS__, 3) }
#define FPC_E2(n, opc) { n, FPK_FP2, FPC_ALL(FPC_FP2, opc), 0, 0, false, -1 }
#define FPC_E1(n, opc) { n, FPK_FP1, FPC_ALL(FPC_FP1, opc), 0, 0, false, -1 }
#define FPC_E1SD(n, opc) { n, FPK_FP1, { 0, 0, FPC_FP1(opc, 2), FPC_FP1(opc, 3) }, 0, 0, false, -1 }
#define FPC_E3(n, o1, o0) { n, FPK_FP3, FPC_ALL(FPC_FP3, o1, o0), 0, 0, false, -1 }
#define FPC_ECMP(n, opc2) { n, FPK_CMP, FPC_ALL(FPC_CMP, opc2), 0, 0, false, -1 }
#define FPC_ECVT(n, to, opc) { n, FPK_CVT, FPC_ALL(FPC_FP1, opc), to, 0, false, -1 }
#define FPC_ETOI(n, sf, rm, opc, u, mode) \
    { n, FPK_TOINT, FPC_ALL(FPC_INT, sf, rm, opc), 0, (sf) ? 64 : 32, u, mode }
#define FPC_EFROMI(n, sf, u) \
    { n, FPK_FROMINT, FPC_ALL(FPC_INT, sf, 0, 2 + (u)), 0, (sf) ? 64 : 32, u, -1 }
#define FPC_ETOFIX(n, sf, u) \
    { n, FPK_TOFIX, FPC_ALL(FPC_FIX, sf, 3, u), 0, (sf) ? 64 : 32, u, 3 }
#define FPC_EFROMFIX(n, sf, u) \
    { n, FPK_FROMFIX, FPC_ALL(FPC_FIX, sf, 0, 2 + (u)), 0, (sf) ? 64 : 32, u, -1 }
#define FPC_SIMD(n, k, h, s) { n, k, { 0, h, s, (s) | 1u << 22 }, 0, 0, false, -1 }
#define FPC_TOI_ALL(p, rm, opc, mode) \
    FPC_ETOI(p "s_w", 0, rm, opc, false, mode), FPC_ETOI(p "u_w", 0, rm, (opc) + 1, true, mode), \
    FPC_ETOI(p "s_x", 1, rm, opc, false, mode), FPC_ETOI(p "u_x", 1, rm, (opc) + 1, true, mode)

static const FPCaseOp fpc_ops[] = {
    FPC_E2("fmul", 0), FPC_E2("fdiv", 1), FPC_E2("fadd", 2), FPC_E2("fsub", 3),
    FPC_E2("fmax", 4), FPC_E2("fmin", 5), FPC_E2("fmaxnm", 6), FPC_E2("fminnm", 7),
    FPC_E2("fnmul", 8),
    FPC_SIMD("fabd", FPK_FP2, 0x7EC21420u, 0x7EA2D420u),
    FPC_SIMD("fmulx", FPK_FP2, 0x5E421C20u, 0x5E22DC20u),
    FPC_SIMD("frecps", FPK_FP2, 0x5E423C20u, 0x5E22FC20u),
    FPC_SIMD("frsqrts", FPK_FP2, 0x5EC23C20u, 0x5EA2FC20u),
    FPC_E3("fmadd", 0, 0), FPC_E3("fmsub", 0, 1), FPC_E3("fnmadd", 1, 0), FPC_E3("fnmsub", 1, 1),
    FPC_E1("fmov", 0), FPC_E1("fabs", 1), FPC_E1("fneg", 2), FPC_E1("fsqrt", 3),
    FPC_E1("frintn", 8), FPC_E1("frintp", 9), FPC_E1("frintm", 10), FPC_E1("frintz", 11),
    FPC_E1("frinta", 12), FPC_E1("frintx", 14), FPC_E1("frinti", 15),
    FPC_E1SD("frint32z", 16), FPC_E1SD("frint32x", 17),
    FPC_E1SD("frint64z", 18), FPC_E1SD("frint64x", 19),
    FPC_SIMD("frecpe", FPK_FP1, 0x5EF9D820u, 0x5EA1D820u),
    FPC_SIMD("frsqrte", FPK_FP1, 0x7EF9D820u, 0x7EA1D820u),
    FPC_SIMD("frecpx", FPK_FP1, 0x5EF9F820u, 0x5EA1F820u),
    FPC_ECMP("fcmp", 0x00), FPC_ECMP("fcmpe", 0x10),
    FPC_ECVT("fcvt_h", 1, 7), FPC_ECVT("fcvt_s", 2, 4), FPC_ECVT("fcvt_d", 3, 5),
    { "fcvtxn", FPK_CVT, { 0, 0, 0, 0x7E616820u }, 2, 0, false, 5 },
    { "bfcvt", FPK_CVT, { 0, 0, 0x1E634020u, 0 }, 0, 0, false, -1 },
    FPC_TOI_ALL("fcvtn", 0, 0, 0), FPC_TOI_ALL("fcvta", 0, 4, 4),
    FPC_TOI_ALL("fcvtp", 1, 0, 1), FPC_TOI_ALL("fcvtm", 2, 0, 2),
    FPC_TOI_ALL("fcvtz", 3, 0, 3),
    FPC_EFROMI("scvtf_w", 0, false), FPC_EFROMI("ucvtf_w", 0, true),
    FPC_EFROMI("scvtf_x", 1, false), FPC_EFROMI("ucvtf_x", 1, true),
    FPC_ETOFIX("fcvtzs_fix_w", 0, false), FPC_ETOFIX("fcvtzu_fix_w", 0, true),
    FPC_ETOFIX("fcvtzs_fix_x", 1, false), FPC_ETOFIX("fcvtzu_fix_x", 1, true),
    FPC_EFROMFIX("scvtf_fix_w", 0, false), FPC_EFROMFIX("ucvtf_fix_w", 0, true),
    FPC_EFROMFIX("scvtf_fix_x", 1, false), FPC_EFROMFIX("ucvtf_fix_x", 1, true),
    { "fjcvtzs", FPK_JCVT, { 0, 0, 0, 0x1E7E0020u }, 0, 32, false, 3 },
};

#define FPC_N_OPS (sizeof(fpc_ops) / sizeof(fpc_ops[0]))

static inline bool fpc_has(const FPCaseOp *op, int esz)
{
    return esz >= 1 && esz <= 3 && op->enc[esz] && !(op->kind == FPK_CVT && op->to == esz);
}

#ifndef FPC_CASES
#define FPC_CASES 10000         /* per operation and precision */
#define FPC_BLOCK 1000          /* cases per stored hash */
#endif

typedef struct FPCase {
    uint32_t fpcr;
    uint64_t a, b, c;
    int fbits;
} FPCase;

typedef struct FPResult {
    uint64_t val;
    uint32_t fpsr;          /* cumulative bits only */
    uint32_t nzcv;          /* bits 31:28 */
} FPResult;

static inline uint64_t fpc_mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

typedef struct FPRng {
    uint64_t s;
} FPRng;

static inline uint64_t fpc_next(FPRng *r)
{
    r->s += 0x9e3779b97f4a7c15ull;
    return fpc_mix(r->s);
}

static inline uint32_t fpc_below(FPRng *r, uint32_t n)
{
    return (uint32_t)(fpc_next(r) % n);
}

static inline uint64_t fpc_hash_str(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ull;

    while (*s) {
        h = (h ^ (uint8_t)*s++) * 0x100000001b3ull;
    }
    return h;
}

/* Field widths by esz; bfloat16 never appears as an input */
static inline int fpc_ebits(int esz)
{
    return esz == 1 ? 5 : esz == 2 ? 8 : 11;
}

static inline int fpc_fbits(int esz)
{
    return esz == 1 ? 10 : esz == 2 ? 23 : 52;
}

static inline uint64_t fpc_make(int esz, uint64_t sign, uint64_t bexp, uint64_t frac)
{
    int fb = fpc_fbits(esz), eb = fpc_ebits(esz);

    return ((sign & 1) << (fb + eb)) | ((bexp & ((1ull << eb) - 1)) << fb)
           | (frac & ((1ull << fb) - 1));
}

static inline uint64_t fpc_frac(FPRng *r, int esz)
{
    int fb = fpc_fbits(esz);
    uint64_t f = fpc_next(r);

    switch (fpc_below(r, 4)) {
    case 0: {                                    /* a few bits set */
        f = 0;
        for (int i = fpc_below(r, 4); i >= 0; i--) {
            f |= 1ull << fpc_below(r, fb);
        }
        break;
    }
    case 1:                                      /* high bits only */
        f &= ~0ull << fpc_below(r, fb);
        break;
    default:
        break;
    }
    return f & ((1ull << fb) - 1);
}

/*
 * A value of precision esz, biased toward the interesting: specials,
 * denormals, NaNs with payloads, values near ref (for cancellation), the
 * ends of the exponent range, small integers and halves, and the
 * boundaries of integer conversion (near 2^ib).
 */
static inline uint64_t fpc_float(FPRng *r, int esz, uint64_t ref, int ib)
{
    int eb = fpc_ebits(esz), fb = fpc_fbits(esz);
    uint64_t emax = (1ull << eb) - 1, bias = emax >> 1;
    uint64_t sign = fpc_next(r) & 1;
    uint64_t rexp = (ref >> fb) & emax;
    uint32_t k = fpc_below(r, 32);

    switch (k) {
    case 0: case 1: case 2: {
        static const int kinds = 12;
        uint64_t fmax = (1ull << fb) - 1;

        switch (fpc_below(r, kinds)) {
        case 0: return fpc_make(esz, sign, 0, 0);
        case 1: return fpc_make(esz, sign, emax, 0);
        case 2: return fpc_make(esz, sign, bias, 0);
        case 3: return fpc_make(esz, sign, 0, 1);
        case 4: return fpc_make(esz, sign, 0, fmax);
        case 5: return fpc_make(esz, sign, 1, 0);
        case 6: return fpc_make(esz, sign, emax - 1, fmax);
        case 7: return fpc_make(esz, 0, emax, 1ull << (fb - 1));
        case 8: return fpc_make(esz, sign, bias - 1, 0);
        case 9: return fpc_make(esz, sign, bias + 1, 0);
        case 10: return fpc_make(esz, sign, 1, fmax);
        default: return fpc_make(esz, sign, emax - 1, 0);
        }
    }
    case 3: case 4:
        return fpc_make(esz, sign, 0, fpc_frac(r, esz));
    case 5: case 6: {
        uint64_t f = fpc_frac(r, esz);

        f |= fpc_next(r) & 1 ? 1ull << (fb - 1) : 0;

        if ((f & ((1ull << (fb - 1)) - 1)) == 0 && !(f >> (fb - 1))) {
            f |= 1;
        }
        return fpc_make(esz, sign, emax, f);
    }
    case 7: case 8: case 9: case 10:
        if (rexp != 0 && rexp != emax) {
            int64_t e = (int64_t)rexp + (int64_t)fpc_below(r, 2 * (uint32_t)fb + 5) - fb - 2;

            if (e >= 1 && e < (int64_t)emax) {
                uint64_t f = k == 7 ? (ref ^ (fpc_next(r) & 7)) : fpc_frac(r, esz);

                return fpc_make(esz, sign, (uint64_t)e, f);
            }
        }
        break;
    case 11: case 12: {
        static const int edges[] = { 1, 2, 3, -2, -3, -4 };
        int e = edges[fpc_below(r, 6)];

        return fpc_make(esz, sign, e > 0 ? (uint64_t)e : emax + e + 1, fpc_frac(r, esz));
    }
    case 13: case 14: case 15: {
        /* integers, halves and quarters */
        int j = (int)fpc_below(r, (uint32_t)fb + 4) - 2;
        uint64_t f = fpc_frac(r, esz);
        int keep = j + 2;

        if (keep < fb) {
            f &= ~((1ull << (fb - keep)) - 1);
        }
        return fpc_make(esz, sign, bias + j, f);
    }
    case 16: case 17: case 18: case 19:
        if (ib > 0) {
            int64_t e = (int64_t)bias + ib - 2 + fpc_below(r, 4);

            if (e >= (int64_t)emax) {
                e = emax - 1;
            }
            if (e < 1) {
                e = 1;
            }
            return fpc_make(esz, sign, (uint64_t)e, fpc_frac(r, esz));
        }
        break;
    default:
        break;
    }
    /* one random call per statement: argument order is unspecified */
    uint64_t e = fpc_below(r, (uint32_t)emax + 1);

    return fpc_make(esz, sign, e, fpc_frac(r, esz));
}

static inline uint64_t fpc_int(FPRng *r)
{
    uint64_t v = fpc_next(r);
    int w = 1 + fpc_below(r, 64);

    switch (fpc_below(r, 8)) {
    case 0:
        return (uint64_t)((int64_t)fpc_below(r, 2001) - 1000);
    case 1: {
        uint64_t p = 1ull << fpc_below(r, 64);

        return fpc_next(r) & 1 ? p + fpc_below(r, 5) - 2 : -p;
    }
    case 2: {
        static const uint64_t sp[] = {
            0, 1, ~0ull, 0x7fffffffffffffffull, 0x8000000000000000ull,
            0x7fffffff, 0x80000000, 0xffffffff, 0x100000001ull,
        };
        return sp[fpc_below(r, sizeof(sp) / sizeof(sp[0]))];
    }
    default:
        v = w == 64 ? v : v & ((1ull << w) - 1);
        return fpc_next(r) & 1 ? v : -v;
    }
}

/* FPCR bits: AHP 26, DN 25, FZ 24, RMode 23:22, FZ16 19 */
static inline uint32_t fpc_fpcr(FPRng *r)
{
    uint32_t v = fpc_below(r, 4) << 22;

    if (fpc_below(r, 4) == 0) {
        v |= 1u << 24;
    }
    if (fpc_below(r, 4) == 0) {
        v |= 1u << 25;
    }
    if (fpc_below(r, 4) == 0) {
        v |= 1u << 19;
    }
    if (fpc_below(r, 4) == 0) {
        v |= 1u << 26;
    }
    return v;
}

static inline void fpc_case(const FPCaseOp *op, int esz, uint32_t idx, FPCase *c)
{
    FPRng r = { fpc_hash_str(op->name) ^ ((uint64_t)esz << 56) ^ ((uint64_t)idx << 20) };
    int ib = 0;

    fpc_next(&r);
    memset(c, 0, sizeof(*c));
    c->fpcr = fpc_fpcr(&r);
    switch (op->kind) {
    case FPK_FROMINT:
    case FPK_FROMFIX:
        c->a = fpc_int(&r);
        c->fbits = op->kind == FPK_FROMFIX ? 1 + (int)fpc_below(&r, op->intbits) : 0;
        return;
    case FPK_TOFIX:
        c->fbits = 1 + (int)fpc_below(&r, op->intbits);
        ib = op->intbits - c->fbits;
        break;
    case FPK_TOINT:
    case FPK_JCVT:
        ib = op->intbits;
        break;
    case FPK_FP1:
        ib = fpc_fbits(esz);        /* the FRINT boundary */
        break;
    default:
        break;
    }
    c->a = fpc_float(&r, esz, 0, ib);
    c->b = fpc_float(&r, esz, c->a, ib);
    c->c = fpc_float(&r, esz, c->b, 0);
    if (op->kind == FPK_FP3 && fpc_below(&r, 2)) {
        /* an addend near the product, for cancellation */
        int fb = fpc_fbits(esz);
        int64_t emax = (1ll << fpc_ebits(esz)) - 1, bias = emax >> 1;
        int64_t e = (int64_t)((c->a >> fb) & emax) + (int64_t)((c->b >> fb) & emax) - bias
                    + (int64_t)fpc_below(&r, 3) - 1;

        if (e >= 0 && e < emax) {
            uint64_t sign = fpc_next(&r);
            uint64_t f = fpc_below(&r, 2) ? (c->a ^ c->b) : fpc_frac(&r, esz);

            c->c = fpc_make(esz, sign, (uint64_t)e, f);
        }
    }
}

static inline uint64_t fpc_hash(uint64_t h, const FPResult *res)
{
    h = fpc_mix(h ^ res->val);
    return fpc_mix(h ^ res->fpsr ^ ((uint64_t)res->nzcv << 32));
}

#endif
