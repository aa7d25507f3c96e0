# SPDX-License-Identifier: GPL-2.0-or-later
"""Floating-point classes of the AArch64 difftest: scalar arithmetic,
compares and selects, conversions and rounding, and Advanced SIMD floating
point. The runtime gives every sequence a random FPCR (rounding mode, FZ,
DN, AHP, FZ16) and FPSR, and the vector registers hold NaNs (quiet and
signalling), infinities, denormals, signed zeros and boundary values in all
three precisions, so FPSR's cumulative flags are compared as well.
"""

from gen_core import register, rn, CONDS

PREC = ['h', 's', 's', 'd', 'd']            # half precision a little less often
FRINT = ['frintn', 'frinta', 'frintp', 'frintm', 'frintx', 'frinti', 'frintz']
FRINTTS = ['frint32x', 'frint32z', 'frint64x', 'frint64z']
CVT_INT = ['fcvtzs', 'fcvtzu', 'fcvtns', 'fcvtnu', 'fcvtas', 'fcvtau', 'fcvtps',
           'fcvtpu', 'fcvtms', 'fcvtmu']


def fimm(g):
    """A value FMOV (immediate) can encode: +-(16..31)/16 * 2^(-3..4)."""
    v = (16 + g.randint(0, 15)) / 16 * 2.0 ** g.randint(-3, 4)
    return repr(-v if g.chance(0.5) else v)


def fr(g, p, dest=False):
    return '%s%d' % (p, g.vd() if dest else g.vs())


# ---- scalar arithmetic ----

def t_fp2(g):
    p = g.choice(PREC)
    op = g.choice(['fadd', 'fsub', 'fmul', 'fdiv', 'fmax', 'fmin', 'fmaxnm', 'fminnm',
                   'fnmul', 'fabd', 'fmulx', 'frecps', 'frsqrts'])
    g.emit('%s %s, %s, %s' % (op, fr(g, p, True), fr(g, p), fr(g, p)))


def t_fp1(g):
    p = g.choice(PREC)
    op = g.choice(['fabs', 'fneg', 'fsqrt', 'fmov', 'frecpe', 'frsqrte', 'frecpx'] + FRINT +
                  (FRINTTS if p != 'h' else []))
    g.emit('%s %s, %s' % (op, fr(g, p, True), fr(g, p)))


def t_fp3(g):
    p = g.choice(PREC)
    op = g.choice(['fmadd', 'fmsub', 'fnmadd', 'fnmsub'])
    g.emit('%s %s, %s, %s, %s' % (op, fr(g, p, True), fr(g, p), fr(g, p), fr(g, p)))


def t_fcmp(g):
    p = g.choice(PREC)
    op = g.choice(['fcmp', 'fcmpe'])
    if g.chance(0.2):
        g.emit('%s %s, #0.0' % (op, fr(g, p)))
    else:
        g.emit('%s %s, %s' % (op, fr(g, p), fr(g, p)))


def t_fccmp(g):
    p = g.choice(PREC)
    g.emit('%s %s, %s, #%d, %s' % (g.choice(['fccmp', 'fccmpe']), fr(g, p), fr(g, p),
                                   g.randint(0, 15), g.choice(CONDS)))


def t_fcsel(g):
    p = g.choice(PREC)
    g.emit('fcsel %s, %s, %s, %s' % (fr(g, p, True), fr(g, p), fr(g, p), g.choice(CONDS)))


def t_fmov_imm(g):
    g.emit('fmov %s, #%s' % (fr(g, g.choice(PREC), True), fimm(g)))


def t_fp_flags(g):
    g.emit('mrs %s, fpsr' % g.rd())


def t_fp_env(g):
    """Change FPCR or FPSR mid-sequence (a translator may cache the mode).

    Only architected bits that QEMU 7.2's reference implements: RMode, FZ,
    DN, AHP, FZ16; cumulative flags IOC..IXC, IDC, QC.
    """
    n = g.xd()
    if g.chance(0.7):
        v = (g.randint(0, 3) << 22) | (g.randint(0, 1) << 24) | (g.randint(0, 1) << 25) \
            | (g.randint(0, 1) << 26) | (g.randint(0, 1) << 19)
        g.emit('mov %s, #0x%x' % (rn(n), v & 0xffff0000))
        if v & 0xffff:
            g.emit('movk %s, #0x%x' % (rn(n), v & 0xffff))
        g.emit('msr fpcr, %s' % rn(n))
    else:
        v = g.r.getrandbits(8) & 0x9f | (g.randint(0, 1) << 27)
        g.emit('mov %s, #0x%x' % (rn(n), v & 0xffff))
        if v >> 16:
            g.emit('movk %s, #0x%x, lsl #16' % (rn(n), v >> 16))
        g.emit('msr fpsr, %s' % rn(n))


register('fp', 'scalar fadd/fsub/fmul/fdiv/fsqrt/fmadd/fmin/fmax/fabd/frecpe..., '
         'fcmp/fccmp/fcsel, h/s/d, random FPCR, NaN/denormal inputs',
         [(8, t_fp2), (5, t_fp1), (4, t_fp3), (2, t_fcmp), (2, t_fccmp), (2, t_fcsel),
          (1, t_fmov_imm), (1, t_fp_flags), (1, t_fp_env)])


# ---- conversions ----

def t_fcvt_prec(g):
    a, b = g.choice([('h', 's'), ('h', 'd'), ('s', 'h'), ('s', 'd'), ('d', 'h'), ('d', 's')])
    g.emit('fcvt %s, %s' % (fr(g, a, True), fr(g, b)))


def t_fcvt_int(g):
    p = g.choice(PREC)
    sf = g.sf()
    op = g.choice(CVT_INT)
    if op in ('fcvtzs', 'fcvtzu') and g.chance(0.3):
        g.emit('%s %s, %s, #%d' % (op, g.rd(sf), fr(g, p), g.randint(1, 64 if sf else 32)))
    else:
        g.emit('%s %s, %s' % (op, g.rd(sf), fr(g, p)))


def t_cvtf(g):
    p = g.choice(PREC)
    sf = g.sf()
    op = g.choice(['scvtf', 'ucvtf'])
    if g.chance(0.3):
        g.emit('%s %s, %s, #%d' % (op, fr(g, p, True), g.rs(sf), g.randint(1, 64 if sf else 32)))
    else:
        g.emit('%s %s, %s' % (op, fr(g, p, True), g.rs(sf)))


def t_cvt_simd_scalar(g):
    # The same conversions between integers and floats of one size in V registers.
    p = g.choice(PREC)
    bits = {'h': 16, 's': 32, 'd': 64}[p]
    k = g.randint(0, 2)
    if k == 0:
        g.emit('%s %s, %s' % (g.choice(CVT_INT), fr(g, p, True), fr(g, p)))
    elif k == 1:
        g.emit('%s %s, %s' % (g.choice(['scvtf', 'ucvtf']), fr(g, p, True), fr(g, p)))
    else:
        # QEMU 7.2 (the reference) sign-extends a negative FCVTZS Hd, Hn, #fbits
        # result into bits 31:16 of Vd, where the Arm ARM writes a 16-bit
        # element and zeroes the rest: that one form is not generated.
        ops = ['fcvtzu', 'scvtf', 'ucvtf'] + (['fcvtzs'] if p != 'h' else [])
        g.emit('%s %s, %s, #%d' % (g.choice(ops), fr(g, p, True), fr(g, p), g.randint(1, bits)))


def t_fmov_gen(g):
    k = g.randint(0, 5)
    if k == 0:
        g.emit('fmov %s, %s' % (fr(g, g.choice('hs'), True), g.rs(False)))
    elif k == 1:
        g.emit('fmov %s, %s' % (fr(g, 'd', True), g.rs()))
    elif k == 2:
        g.emit('fmov %s, %s' % (g.rd(False), fr(g, g.choice('hs'))))
    elif k == 3:
        g.emit('fmov %s, %s' % (g.rd(), fr(g, 'd')))
    elif k == 4:
        g.emit('fmov v%d.d[1], %s' % (g.vd(), g.rs()))
    else:
        g.emit('fmov %s, v%d.d[1]' % (g.rd(), g.vs()))


def t_frint(g):
    p = g.choice(PREC)
    g.emit('%s %s, %s' % (g.choice(FRINT + (FRINTTS if p != 'h' else [])), fr(g, p, True),
                          fr(g, p)))


def t_misc_cvt(g):
    k = g.randint(0, 2)
    if k == 0:
        g.emit('fjcvtzs %s, %s' % (g.rd(False), fr(g, 'd')))
    elif k == 1:
        g.emit('fcvtxn %s, %s' % (fr(g, 's', True), fr(g, 'd')))
    else:
        g.emit('bfcvt %s, %s' % (fr(g, 'h', True), fr(g, 's')))


register('fpcvt', 'fcvt h/s/d, fcvt[zna pm][su] to w/x (incl. fixed point), scvtf/ucvtf, '
         'frint*, fjcvtzs, fcvtxn, bfcvt, fmov to/from general registers',
         [(3, t_fcvt_prec), (6, t_fcvt_int), (4, t_cvtf), (3, t_cvt_simd_scalar),
          (2, t_fmov_gen), (3, t_frint), (1, t_misc_cvt), (1, t_fp_flags), (1, t_fp_env)])


# ---- Advanced SIMD floating point ----

FARR = ['4h', '8h', '2s', '4s', '2d', '4s', '2d']


def fv(g, arr, dest=False, limit=32):
    return 'v%d.%s' % (g.vd(limit) if dest else g.vs(limit), arr)


def t_vfp3(g):
    arr = g.choice(FARR)
    op = g.choice(['fadd', 'fsub', 'fmul', 'fdiv', 'fmax', 'fmin', 'fmaxnm', 'fminnm', 'fabd',
                   'fmla', 'fmls', 'fmulx', 'frecps', 'frsqrts', 'fcmeq', 'fcmge', 'fcmgt',
                   'facge', 'facgt', 'faddp', 'fmaxp', 'fminp', 'fmaxnmp', 'fminnmp'])
    g.emit('%s %s, %s, %s' % (op, fv(g, arr, True), fv(g, arr), fv(g, arr)))


def t_vfp2(g):
    arr = g.choice(FARR)
    ops = ['fabs', 'fneg', 'fsqrt', 'frecpe', 'frsqrte', 'scvtf', 'ucvtf'] + FRINT + CVT_INT
    if arr[-1] != 'h':
        ops += FRINTTS
    op = g.choice(ops + ['fcmeq0', 'fcmge0', 'fcmgt0', 'fcmle0', 'fcmlt0'])
    if op.endswith('0'):
        g.emit('%s %s, %s, #0.0' % (op[:-1], fv(g, arr, True), fv(g, arr)))
    else:
        g.emit('%s %s, %s' % (op, fv(g, arr, True), fv(g, arr)))


def t_vfp_fixed(g):
    arr = g.choice(FARR)
    bits = {'h': 16, 's': 32, 'd': 64}[arr[-1]]
    g.emit('%s %s, %s, #%d' % (g.choice(['fcvtzs', 'fcvtzu', 'scvtf', 'ucvtf']),
                               fv(g, arr, True), fv(g, arr), g.randint(1, bits)))


def t_vfp_elem(g):
    arr = g.choice(FARR)
    e = arr[-1]
    n = {'h': 8, 's': 4, 'd': 2}[e]
    op = g.choice(['fmul', 'fmla', 'fmls', 'fmulx'])
    g.emit('%s %s, %s, v%d.%s[%d]' % (op, fv(g, arr, True), fv(g, arr),
                                      g.vs(16 if e == 'h' else 32), e, g.randint(0, n - 1)))


def t_vfp_scalar_elem(g):
    e = g.choice('hsd')
    n = {'h': 8, 's': 4, 'd': 2}[e]
    g.emit('%s %s%d, %s%d, v%d.%s[%d]' % (g.choice(['fmul', 'fmla', 'fmls', 'fmulx']), e,
                                          g.vd(), e, g.vs(), g.vs(16 if e == 'h' else 32), e,
                                          g.randint(0, n - 1)))


def t_vfp_cvt(g):
    k = g.randint(0, 3)
    if k == 0:
        src, dst = g.choice([('4h', '4s'), ('8h', '4s'), ('2s', '2d'), ('4s', '2d')])
        op = 'fcvtl2' if src in ('8h', '4s') else 'fcvtl'
        g.emit('%s %s, %s' % (op, fv(g, dst, True), fv(g, src)))
    elif k == 1:
        src, dst = g.choice([('4s', '4h'), ('4s', '8h'), ('2d', '2s'), ('2d', '4s')])
        op = 'fcvtn2' if dst in ('8h', '4s') else 'fcvtn'
        g.emit('%s %s, %s' % (op, fv(g, dst, True), fv(g, src)))
    elif k == 2:
        dst = g.choice(['2s', '4s'])
        g.emit('%s %s, %s' % ('fcvtxn2' if dst == '4s' else 'fcvtxn', fv(g, dst, True),
                              fv(g, '2d')))
    else:
        dst = g.choice(['4h', '8h'])
        g.emit('%s %s, %s' % ('bfcvtn2' if dst == '8h' else 'bfcvtn', fv(g, dst, True),
                              fv(g, '4s')))


def t_vfp_across(g):
    arr = g.choice(['4h', '8h', '4s'])
    e = arr[-1]
    g.emit('%s %s%d, %s' % (g.choice(['fmaxv', 'fminv', 'fmaxnmv', 'fminnmv']), e, g.vd(),
                            fv(g, arr)))


def t_vfp_pairwise_scalar(g):
    e, arr = g.choice([('h', '2h'), ('s', '2s'), ('d', '2d')])
    g.emit('%s %s%d, %s' % (g.choice(['faddp', 'fmaxp', 'fminp', 'fmaxnmp', 'fminnmp']), e,
                            g.vd(), fv(g, arr)))


def t_vfp_complex(g):
    arr = g.choice(['4h', '8h', '2s', '4s', '2d'])
    if g.chance(0.5):
        g.emit('fcadd %s, %s, %s, #%d' % (fv(g, arr, True), fv(g, arr), fv(g, arr),
                                          g.choice([90, 270])))
    else:
        g.emit('fcmla %s, %s, %s, #%d' % (fv(g, arr, True), fv(g, arr), fv(g, arr),
                                          g.choice([0, 90, 180, 270])))


def t_vfp_fml(g):
    # FEAT_FHM widening multiply-add and FEAT_BF16 dot products.
    k = g.randint(0, 3)
    if k == 0:
        arr, src = g.choice([('2s', '2h'), ('4s', '4h')])
        g.emit('%s %s, %s, %s' % (g.choice(['fmlal', 'fmlsl', 'fmlal2', 'fmlsl2']),
                                  fv(g, arr, True), fv(g, src), fv(g, src)))
    elif k == 1:
        arr, src = g.choice([('2s', '4h'), ('4s', '8h')])
        g.emit('bfdot %s, %s, %s' % (fv(g, arr, True), fv(g, src), fv(g, src)))
    elif k == 2:
        g.emit('bfmmla %s, %s, %s' % (fv(g, '4s', True), fv(g, '8h'), fv(g, '8h')))
    else:
        g.emit('%s %s, %s, %s' % (g.choice(['bfmlalb', 'bfmlalt']), fv(g, '4s', True),
                                  fv(g, '8h'), fv(g, '8h')))


def t_vfmov_imm(g):
    g.emit('fmov %s, #%s' % (fv(g, g.choice(['4h', '8h', '2s', '4s', '2d']), True), fimm(g)))


register('simd_fp', 'vector fadd..fdiv, fmla, fmin/fmax(nm)(p), compares, frecpe/frsqrte, '
         'conversions incl. fixed point, fcvtl/fcvtn/fcvtxn, by element, across lanes, '
         'fcadd/fcmla, fmlal, bf16',
         [(8, t_vfp3), (6, t_vfp2), (2, t_vfp_fixed), (3, t_vfp_elem), (1, t_vfp_scalar_elem),
          (3, t_vfp_cvt), (1, t_vfp_across), (1, t_vfp_pairwise_scalar), (2, t_vfp_complex),
          (2, t_vfp_fml), (1, t_vfmov_imm), (1, t_fp_flags), (1, t_fp_env)])
