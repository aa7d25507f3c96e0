# SPDX-License-Identifier: GPL-2.0-or-later
"""Advanced SIMD integer, permute and crypto classes of the AArch64 difftest.

Arrangements are chosen per instruction from the ones its encoding allows
(the assembler rejects the rest, so a wrong table shows up as a build
error, not as a silent gap). FPSR.QC, set by the saturating instructions,
is part of the compared state.
"""

from gen_core import register, rn

# element bits -> arrangements
ARRS = {8: ['8b', '16b'], 16: ['4h', '8h'], 32: ['2s', '4s'], 64: ['2d']}
ESZ = {'b': 8, 'h': 16, 's': 32, 'd': 64}


def arr_of(g, sizes):
    return g.choice(ARRS[g.choice(sizes)])


def v(g, arr, dest=False, limit=32):
    return 'v%d.%s' % (g.vd(limit) if dest else g.vs(limit), arr)


def esize(arr):
    return ESZ[arr[-1]]


def lanes(arr):
    return int(arr[:-1])


def half_arr(arr):
    """The arrangement of elements half as wide, same count (for 2-suffixed ops too)."""
    e = esize(arr) // 2
    n = lanes(arr)
    return '%d%s' % (n, {8: 'b', 16: 'h', 32: 's'}[e])


# ---- same-size three-register integer ops ----

THREE_SAME = {
    'add': (8, 16, 32, 64), 'sub': (8, 16, 32, 64), 'mul': (8, 16, 32), 'mla': (8, 16, 32),
    'mls': (8, 16, 32), 'sqadd': (8, 16, 32, 64), 'uqadd': (8, 16, 32, 64),
    'sqsub': (8, 16, 32, 64), 'uqsub': (8, 16, 32, 64), 'shadd': (8, 16, 32),
    'uhadd': (8, 16, 32), 'srhadd': (8, 16, 32), 'urhadd': (8, 16, 32), 'shsub': (8, 16, 32),
    'uhsub': (8, 16, 32), 'smax': (8, 16, 32), 'smin': (8, 16, 32), 'umax': (8, 16, 32),
    'umin': (8, 16, 32), 'smaxp': (8, 16, 32), 'sminp': (8, 16, 32), 'umaxp': (8, 16, 32),
    'uminp': (8, 16, 32), 'sabd': (8, 16, 32), 'uabd': (8, 16, 32), 'saba': (8, 16, 32),
    'uaba': (8, 16, 32), 'cmeq': (8, 16, 32, 64), 'cmge': (8, 16, 32, 64),
    'cmgt': (8, 16, 32, 64), 'cmhi': (8, 16, 32, 64), 'cmhs': (8, 16, 32, 64),
    'cmtst': (8, 16, 32, 64), 'sshl': (8, 16, 32, 64), 'ushl': (8, 16, 32, 64),
    'srshl': (8, 16, 32, 64), 'urshl': (8, 16, 32, 64), 'sqshl': (8, 16, 32, 64),
    'uqshl': (8, 16, 32, 64), 'sqrshl': (8, 16, 32, 64), 'uqrshl': (8, 16, 32, 64),
    'addp': (8, 16, 32, 64), 'sqdmulh': (16, 32), 'sqrdmulh': (16, 32),
    'sqrdmlah': (16, 32), 'sqrdmlsh': (16, 32), 'pmul': (8,),
}
LOGIC = ['and', 'orr', 'eor', 'bic', 'orn', 'bsl', 'bit', 'bif']


def t_v3same(g):
    op = g.choice(list(THREE_SAME))
    arr = arr_of(g, THREE_SAME[op])
    g.emit('%s %s, %s, %s' % (op, v(g, arr, True), v(g, arr), v(g, arr)))


def t_vlogic(g):
    arr = g.choice(['8b', '16b'])
    g.emit('%s %s, %s, %s' % (g.choice(LOGIC), v(g, arr, True), v(g, arr), v(g, arr)))


TWO_MISC = {
    'abs': (8, 16, 32, 64), 'neg': (8, 16, 32, 64), 'sqabs': (8, 16, 32, 64),
    'sqneg': (8, 16, 32, 64), 'cls': (8, 16, 32), 'clz': (8, 16, 32), 'cnt': (8,),
    'rbit': (8,), 'not': (8,), 'rev16': (8,), 'rev32': (8, 16), 'rev64': (8, 16, 32),
    'suqadd': (8, 16, 32, 64), 'usqadd': (8, 16, 32, 64),
    'cmeq0': (8, 16, 32, 64), 'cmge0': (8, 16, 32, 64), 'cmgt0': (8, 16, 32, 64),
    'cmle0': (8, 16, 32, 64), 'cmlt0': (8, 16, 32, 64),
}


def t_v2misc(g):
    op = g.choice(list(TWO_MISC))
    arr = arr_of(g, TWO_MISC[op])
    if op.endswith('0'):
        g.emit('%s %s, %s, #0' % (op[:-1], v(g, arr, True), v(g, arr)))
    else:
        g.emit('%s %s, %s' % (op, v(g, arr, True), v(g, arr)))


def t_vrecpe(g):
    arr = g.choice(['2s', '4s'])
    g.emit('%s %s, %s' % (g.choice(['urecpe', 'ursqrte']), v(g, arr, True), v(g, arr)))


def t_vshift_imm(g):
    arr = arr_of(g, (8, 16, 32, 64))
    e = esize(arr)
    op = g.choice(['shl', 'sshr', 'ushr', 'ssra', 'usra', 'srshr', 'urshr', 'srsra', 'ursra',
                   'sri', 'sli', 'sqshl', 'uqshl', 'sqshlu'])
    if op in ('shl', 'sli', 'sqshl', 'uqshl', 'sqshlu'):
        sh = g.randint(0, e - 1)
    else:
        sh = g.randint(1, e)
    g.emit('%s %s, %s, #%d' % (op, v(g, arr, True), v(g, arr), sh))


def t_vnarrow_shift(g):
    # destination element bits 8/16/32; the source is twice as wide
    e = g.choice([8, 16, 32])
    dst = g.choice(ARRS[e])
    src = {8: '8h', 16: '4s', 32: '2d'}[e]
    op = g.choice(['shrn', 'rshrn', 'sqshrn', 'uqshrn', 'sqrshrn', 'uqrshrn', 'sqshrun',
                   'sqrshrun'])
    if dst in ('16b', '8h', '4s'):
        op += '2'
    g.emit('%s %s, %s, #%d' % (op, v(g, dst, True), v(g, src), g.randint(1, e)))


def t_vwiden_shift(g):
    e = g.choice([8, 16, 32])
    src = g.choice(ARRS[e])
    dst = {8: '8h', 16: '4s', 32: '2d'}[e]
    op = g.choice(['sshll', 'ushll'])
    if src in ('16b', '8h', '4s'):
        op += '2'
    g.emit('%s %s, %s, #%d' % (op, v(g, dst, True), v(g, src), g.randint(0, e - 1)))


def t_vxtn(g):
    e = g.choice([8, 16, 32])
    dst = g.choice(ARRS[e])
    src = {8: '8h', 16: '4s', 32: '2d'}[e]
    op = g.choice(['xtn', 'sqxtn', 'uqxtn', 'sqxtun'])
    if dst in ('16b', '8h', '4s'):
        op += '2'
    g.emit('%s %s, %s' % (op, v(g, dst, True), v(g, src)))


LONG3 = ['saddl', 'uaddl', 'ssubl', 'usubl', 'sabal', 'uabal', 'sabdl', 'uabdl', 'smull',
         'umull', 'smlal', 'umlal', 'smlsl', 'umlsl']


def t_vlong3(g):
    k = g.randint(0, 4)
    e = g.choice([8, 16, 32])
    src = g.choice(ARRS[e])
    wide = {8: '8h', 16: '4s', 32: '2d'}[e]
    two = '2' if src in ('16b', '8h', '4s') else ''
    if k <= 1:
        op = g.choice(LONG3)
        g.emit('%s%s %s, %s, %s' % (op, two, v(g, wide, True), v(g, src), v(g, src)))
    elif k == 2:
        op = g.choice(['saddw', 'uaddw', 'ssubw', 'usubw'])
        g.emit('%s%s %s, %s, %s' % (op, two, v(g, wide, True), v(g, wide), v(g, src)))
    elif k == 3:
        op = g.choice(['addhn', 'raddhn', 'subhn', 'rsubhn'])
        g.emit('%s%s %s, %s, %s' % (op, two, v(g, src, True), v(g, wide), v(g, wide)))
    else:
        if e == 8:
            src = g.choice(['8b', '16b'])
            two = '2' if src == '16b' else ''
            g.emit('pmull%s v%d.8h, %s, %s' % (two, g.vd(), v(g, src), v(g, src)))
        else:
            src = g.choice(ARRS[e])
            two = '2' if src in ('8h', '4s') else ''
            g.emit('%s%s %s, %s, %s' % (g.choice(['sqdmull', 'sqdmlal', 'sqdmlsl']), two,
                                        v(g, wide, True), v(g, src), v(g, src)))


def t_vpairwise_long(g):
    e = g.choice([8, 16, 32])
    src = g.choice(ARRS[e])
    dst = '%d%s' % (lanes(src) // 2, {8: 'h', 16: 's', 32: 'd'}[e])
    op = g.choice(['saddlp', 'uaddlp', 'sadalp', 'uadalp'])
    g.emit('%s %s, %s' % (op, v(g, dst, True), v(g, src)))


def t_vby_elem(g):
    e = g.choice([16, 32])
    arr = g.choice(ARRS[e])
    idx = g.randint(0, (8 if e == 16 else 4) - 1)
    m = 'v%d.%s[%d]' % (g.vs(16 if e == 16 else 32), 'h' if e == 16 else 's', idx)
    if g.chance(0.6):
        op = g.choice(['mul', 'mla', 'mls', 'sqdmulh', 'sqrdmulh', 'sqrdmlah', 'sqrdmlsh'])
        g.emit('%s %s, %s, %s' % (op, v(g, arr, True), v(g, arr), m))
    else:
        op = g.choice(['smull', 'umull', 'smlal', 'umlal', 'smlsl', 'umlsl', 'sqdmull',
                       'sqdmlal', 'sqdmlsl'])
        two = '2' if arr in ('8h', '4s') else ''
        wide = '4s' if e == 16 else '2d'
        g.emit('%s%s %s, %s, %s' % (op, two, v(g, wide, True), v(g, arr), m))


def t_vdot(g):
    arr, src = g.choice([('2s', '8b'), ('4s', '16b')])
    k = g.randint(0, 3)
    if k == 0:
        g.emit('%s %s, %s, %s' % (g.choice(['sdot', 'udot', 'usdot']), v(g, arr, True),
                                  v(g, src), v(g, src)))
    elif k == 1:
        g.emit('%s %s, %s, v%d.4b[%d]' % (g.choice(['sdot', 'udot', 'usdot', 'sudot']),
                                          v(g, arr, True), v(g, src), g.vs(), g.randint(0, 3)))
    else:
        g.emit('%s %s, %s, %s' % (g.choice(['smmla', 'ummla', 'usmmla']), v(g, '4s', True),
                                  v(g, '16b'), v(g, '16b')))


def t_vmovi(g):
    k = g.randint(0, 5)
    imm = g.randint(0, 255)
    if k == 0:
        g.emit('movi %s, #0x%x' % (v(g, g.choice(['8b', '16b']), True), imm))
    elif k == 1:
        arr = g.choice(['4h', '8h'])
        op = g.choice(['movi', 'mvni', 'orr', 'bic'])
        g.emit('%s %s, #0x%x, lsl #%d' % (op, v(g, arr, True), imm, g.choice([0, 8])))
    elif k == 2:
        arr = g.choice(['2s', '4s'])
        op = g.choice(['movi', 'mvni', 'orr', 'bic'])
        g.emit('%s %s, #0x%x, lsl #%d' % (op, v(g, arr, True), imm, g.choice([0, 8, 16, 24])))
    elif k == 3:
        arr = g.choice(['2s', '4s'])
        g.emit('%s %s, #0x%x, msl #%d' % (g.choice(['movi', 'mvni']), v(g, arr, True), imm,
                                          g.choice([8, 16])))
    else:
        bits = g.r.getrandbits(8)
        val = 0
        for i in range(8):
            if bits >> i & 1:
                val |= 0xff << (8 * i)
        if k == 4:
            g.emit('movi v%d.2d, #0x%x' % (g.vd(), val))
        else:
            g.emit('movi d%d, #0x%x' % (g.vd(), val))


SCALAR3 = {
    'add': 'd', 'sub': 'd', 'cmeq': 'd', 'cmge': 'd', 'cmgt': 'd', 'cmhi': 'd', 'cmhs': 'd',
    'cmtst': 'd', 'sshl': 'd', 'ushl': 'd', 'srshl': 'd', 'urshl': 'd',
    'sqadd': 'bhsd', 'uqadd': 'bhsd', 'sqsub': 'bhsd', 'uqsub': 'bhsd', 'sqshl': 'bhsd',
    'uqshl': 'bhsd', 'sqrshl': 'bhsd', 'uqrshl': 'bhsd', 'sqdmulh': 'hs', 'sqrdmulh': 'hs',
    'sqrdmlah': 'hs', 'sqrdmlsh': 'hs',
}


def t_vscalar(g):
    k = g.randint(0, 4)
    if k <= 1:
        op = g.choice(list(SCALAR3))
        e = g.choice(SCALAR3[op])
        g.emit('%s %s%d, %s%d, %s%d' % (op, e, g.vd(), e, g.vs(), e, g.vs()))
    elif k == 2:
        op = g.choice(['abs', 'neg', 'sqabs', 'sqneg', 'suqadd', 'usqadd', 'cmeq0', 'cmlt0'])
        e = 'd' if op in ('abs', 'neg', 'cmeq0', 'cmlt0') else g.choice('bhsd')
        if op.endswith('0'):
            g.emit('%s d%d, d%d, #0' % (op[:-1], g.vd(), g.vs()))
        else:
            g.emit('%s %s%d, %s%d' % (op, e, g.vd(), e, g.vs()))
    elif k == 3:
        op = g.choice(['shl', 'sshr', 'ushr', 'ssra', 'usra', 'srshr', 'urshr', 'sri', 'sli',
                       'sqshl', 'uqshl', 'sqshlu'])
        e = g.choice('bhsd') if op in ('sqshl', 'uqshl', 'sqshlu') else 'd'
        bits = ESZ[e]
        sh = g.randint(0, bits - 1) if op in ('shl', 'sli', 'sqshl', 'uqshl', 'sqshlu') \
            else g.randint(1, bits)
        g.emit('%s %s%d, %s%d, #%d' % (op, e, g.vd(), e, g.vs(), sh))
    else:
        e, w = g.choice([('b', 'h'), ('h', 's'), ('s', 'd')])
        if g.chance(0.5):
            op = g.choice(['sqxtn', 'uqxtn', 'sqxtun'])
            g.emit('%s %s%d, %s%d' % (op, e, g.vd(), w, g.vs()))
        else:
            op = g.choice(['sqshrn', 'uqshrn', 'sqrshrn', 'uqrshrn', 'sqshrun', 'sqrshrun'])
            g.emit('%s %s%d, %s%d, #%d' % (op, e, g.vd(), w, g.vs(), g.randint(1, ESZ[e])))


register('simd_int', 'vector add/sub/mul/mla, saturating ops, shifts (imm/reg, rounding, '
         'narrowing, widening), compares, min/max, abd/aba, abs/neg, cnt/clz/rev, long and '
         'wide ops, by element, dot products, movi/mvni, scalar forms',
         [(10, t_v3same), (2, t_vlogic), (5, t_v2misc), (1, t_vrecpe), (5, t_vshift_imm),
          (3, t_vnarrow_shift), (2, t_vwiden_shift), (2, t_vxtn), (5, t_vlong3),
          (2, t_vpairwise_long), (3, t_vby_elem), (2, t_vdot), (2, t_vmovi), (4, t_vscalar)])


# ---- permutes, moves between lanes and across lanes ----

def t_vperm(g):
    arr = g.choice(['8b', '16b', '4h', '8h', '2s', '4s', '2d'])
    op = g.choice(['zip1', 'zip2', 'uzp1', 'uzp2', 'trn1', 'trn2'])
    g.emit('%s %s, %s, %s' % (op, v(g, arr, True), v(g, arr), v(g, arr)))


def t_vext(g):
    arr = g.choice(['8b', '16b'])
    g.emit('ext %s, %s, %s, #%d' % (v(g, arr, True), v(g, arr), v(g, arr),
                                    g.randint(0, lanes(arr) - 1)))


def t_vtbl(g):
    arr = g.choice(['8b', '16b'])
    n = g.randint(1, 4)
    first = g.vs()
    lst = '{' + ', '.join('v%d.16b' % ((first + i) % 32) for i in range(n)) + '}'
    g.emit('%s %s, %s, %s' % (g.choice(['tbl', 'tbx']), v(g, arr, True), lst, v(g, arr)))


def t_vdup(g):
    arr = g.choice(['8b', '16b', '4h', '8h', '2s', '4s', '2d'])
    e = arr[-1]
    n = 128 // ESZ[e]
    k = g.randint(0, 2)
    if k == 0:
        g.emit('dup %s, v%d.%s[%d]' % (v(g, arr, True), g.vs(), e, g.randint(0, n - 1)))
    elif k == 1:
        g.emit('dup %s, %s' % (v(g, arr, True), g.rs(e == 'd')))
    else:
        g.emit('dup %s%d, v%d.%s[%d]' % (e, g.vd(), g.vs(), e, g.randint(0, n - 1)))


def t_vins(g):
    e = g.choice('bhsd')
    n = 128 // ESZ[e]
    if g.chance(0.5):
        g.emit('ins v%d.%s[%d], v%d.%s[%d]' % (g.vd(), e, g.randint(0, n - 1), g.vs(), e,
                                                g.randint(0, n - 1)))
    else:
        g.emit('ins v%d.%s[%d], %s' % (g.vd(), e, g.randint(0, n - 1), g.rs(e == 'd')))


def t_vmov_gen(g):
    e = g.choice('bhsd')
    n = 128 // ESZ[e]
    lane = g.randint(0, n - 1)
    if g.chance(0.5):
        g.emit('umov %s, v%d.%s[%d]' % (g.rd(e == 'd'), g.vs(), e, lane))
    elif e != 'd':
        sf = True if e == 's' else g.sf()
        g.emit('smov %s, v%d.%s[%d]' % (g.rd(sf), g.vs(), e, lane))
    else:
        g.emit('mov %s, v%d.d[%d]' % (g.rd(), g.vs(), lane))


def t_vacross(g):
    arr = g.choice(['8b', '16b', '4h', '8h', '4s'])
    e = arr[-1]
    wide = {'b': 'h', 'h': 's', 's': 'd'}[e]
    op = g.choice(['addv', 'smaxv', 'sminv', 'umaxv', 'uminv', 'saddlv', 'uaddlv'])
    dst = wide if op.endswith('lv') else e
    g.emit('%s %s%d, %s' % (op, dst, g.vd(), v(g, arr)))


def t_vaddp_scalar(g):
    g.emit('addp d%d, %s' % (g.vd(), v(g, '2d')))


def t_vmov(g):
    arr = g.choice(['8b', '16b'])
    g.emit('mov %s, %s' % (v(g, arr, True), v(g, arr)))


register('simd_perm', 'zip/uzp/trn, ext, tbl/tbx 1-4 registers, dup/ins/umov/smov, '
         'addv/saddlv/uaddlv/smaxv/umaxv/sminv/uminv',
         [(5, t_vperm), (2, t_vext), (3, t_vtbl), (3, t_vdup), (3, t_vins), (3, t_vmov_gen),
          (3, t_vacross), (1, t_vaddp_scalar), (1, t_vmov)])


# ---- crypto ----

def t_aes(g):
    op = g.choice(['aese', 'aesd', 'aesmc', 'aesimc'])
    g.emit('%s %s, %s' % (op, v(g, '16b', True), v(g, '16b')))


def t_aes_round(g):
    # The usual pairing, which real code (and some translators) fuse.
    d = g.vd()
    if g.chance(0.5):
        g.emit('aese v%d.16b, %s' % (d, v(g, '16b')))
        g.emit('aesmc v%d.16b, v%d.16b' % (d, d))
    else:
        g.emit('aesd v%d.16b, %s' % (d, v(g, '16b')))
        g.emit('aesimc v%d.16b, v%d.16b' % (d, d))


def t_sha1(g):
    k = g.randint(0, 3)
    if k == 0:
        g.emit('%s q%d, s%d, %s' % (g.choice(['sha1c', 'sha1p', 'sha1m']), g.vd(), g.vs(),
                                    v(g, '4s')))
    elif k == 1:
        g.emit('sha1h s%d, s%d' % (g.vd(), g.vs()))
    elif k == 2:
        g.emit('sha1su0 %s, %s, %s' % (v(g, '4s', True), v(g, '4s'), v(g, '4s')))
    else:
        g.emit('sha1su1 %s, %s' % (v(g, '4s', True), v(g, '4s')))


def t_sha256(g):
    k = g.randint(0, 2)
    if k == 0:
        g.emit('%s q%d, q%d, %s' % (g.choice(['sha256h', 'sha256h2']), g.vd(), g.vs(),
                                    v(g, '4s')))
    elif k == 1:
        g.emit('sha256su0 %s, %s' % (v(g, '4s', True), v(g, '4s')))
    else:
        g.emit('sha256su1 %s, %s, %s' % (v(g, '4s', True), v(g, '4s'), v(g, '4s')))


def t_sha512(g):
    k = g.randint(0, 2)
    if k == 0:
        g.emit('%s q%d, q%d, %s' % (g.choice(['sha512h', 'sha512h2']), g.vd(), g.vs(),
                                    v(g, '2d')))
    elif k == 1:
        g.emit('sha512su0 %s, %s' % (v(g, '2d', True), v(g, '2d')))
    else:
        g.emit('sha512su1 %s, %s, %s' % (v(g, '2d', True), v(g, '2d'), v(g, '2d')))


def t_sha3(g):
    k = g.randint(0, 3)
    if k == 0:
        g.emit('%s %s, %s, %s, %s' % (g.choice(['eor3', 'bcax']), v(g, '16b', True),
                                      v(g, '16b'), v(g, '16b'), v(g, '16b')))
    elif k == 1:
        g.emit('rax1 %s, %s, %s' % (v(g, '2d', True), v(g, '2d'), v(g, '2d')))
    else:
        g.emit('xar %s, %s, %s, #%d' % (v(g, '2d', True), v(g, '2d'), v(g, '2d'),
                                        g.randint(0, 63)))


def t_sm(g):
    k = g.randint(0, 4)
    if k == 0:
        g.emit('sm3ss1 %s, %s, %s, %s' % (v(g, '4s', True), v(g, '4s'), v(g, '4s'), v(g, '4s')))
    elif k == 1:
        g.emit('%s %s, %s, v%d.s[%d]' % (g.choice(['sm3tt1a', 'sm3tt1b', 'sm3tt2a', 'sm3tt2b']),
                                         v(g, '4s', True), v(g, '4s'), g.vs(), g.randint(0, 3)))
    elif k == 2:
        g.emit('%s %s, %s, %s' % (g.choice(['sm3partw1', 'sm3partw2', 'sm4ekey']),
                                  v(g, '4s', True), v(g, '4s'), v(g, '4s')))
    else:
        g.emit('sm4e %s, %s' % (v(g, '4s', True), v(g, '4s')))


def t_pmull(g):
    if g.chance(0.5):
        g.emit('pmull v%d.1q, %s, %s' % (g.vd(), v(g, '1d'), v(g, '1d')))
    else:
        g.emit('pmull2 v%d.1q, %s, %s' % (g.vd(), v(g, '2d'), v(g, '2d')))


register('crypto', 'aese/aesd/aesmc/aesimc, sha1*, sha256*, sha512*, eor3/bcax/rax1/xar, '
         'sm3*/sm4*, pmull/pmull2 .1q',
         [(3, t_aes), (2, t_aes_round), (3, t_sha1), (3, t_sha256), (2, t_sha512), (2, t_sha3),
          (2, t_sm), (3, t_pmull)])
