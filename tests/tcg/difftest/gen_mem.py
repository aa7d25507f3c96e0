# SPDX-License-Identifier: GPL-2.0-or-later
"""Memory classes of the AArch64 difftest: loads and stores of every size
and addressing mode, pairs, load-acquire/store-release, exclusives, LSE
atomics, and the Advanced SIMD structure loads and stores.

Every access goes to the 4 KiB scratch buffer around x28 and is aligned to
its size (pairs to the pair, capped at 16). A template picks the target
address first and then the addressing mode, and sets a base or index
register to whatever that mode needs. Writeback forms always use a fresh
base register that no transfer register repeats.
"""

from gen_core import rn, MID, SCRATCH, BASE
from gen_core import register
from gen_int import t_addsub_shift, t_logic_shift, t_carry, t_csel

# (mnemonic, size, is_load, sf of the transfer register)
INT_LDST = [
    ('ldrb', 1, True, False), ('ldrh', 2, True, False), ('ldr', 4, True, False),
    ('ldr', 8, True, True), ('ldrsb', 1, True, False), ('ldrsb', 1, True, True),
    ('ldrsh', 2, True, False), ('ldrsh', 2, True, True), ('ldrsw', 4, True, True),
    ('strb', 1, False, False), ('strh', 2, False, False), ('str', 4, False, False),
    ('str', 8, False, True),
]
UNSCALED = {'ldrb': 'ldurb', 'ldrh': 'ldurh', 'ldr': 'ldur', 'ldrsb': 'ldursb',
            'ldrsh': 'ldursh', 'ldrsw': 'ldursw', 'strb': 'sturb', 'strh': 'sturh',
            'str': 'stur'}
FP_SIZES = {1: 'b', 2: 'h', 4: 's', 8: 'd', 16: 'q'}


def log2(n):
    return n.bit_length() - 1


def address(g, mnem, size, treg, avoid, modes, unscaled=None):
    """Emit `mnem treg, <address>` for a random aligned target in the buffer.

    modes: which of 'uimm', 'simm', 'pre', 'post', 'reg' are allowed;
    avoid: register numbers the base and index registers must not be.
    """
    mode = g.choice(modes)
    t = g.target(size)
    if mode == 'uimm':
        # [Xn, #imm]: a multiple of size from 0 to 4095 * size
        if t >= MID and g.chance(0.5):
            b, off = BASE, t - MID
        else:
            off = g.randrange_aligned(0, t, size)
            b = g.set_base(t - off, avoid)
        g.emit('%s %s, [%s, #%d]' % (mnem, treg, rn(b), off))
    elif mode == 'simm':
        off = g.randrange_aligned(max(-256, t - SCRATCH), 255, size)
        b = g.set_base(t - off, avoid)
        g.emit('%s %s, [%s, #%d]' % (unscaled or UNSCALED[mnem], treg, rn(b), off))
    elif mode == 'pre':
        off = g.randrange_aligned(-256, 255, size)
        b = g.set_base(t - off, avoid, allow_x28=False)
        g.emit('%s %s, [%s, #%d]!' % (mnem, treg, rn(b), off))
    elif mode == 'post':
        off = g.randrange_aligned(-256, 255, size)
        b = g.set_base(t, avoid, allow_x28=False)
        g.emit('%s %s, [%s], #%d' % (mnem, treg, rn(b), off))
    else:
        ext = g.choice(['lsl', 'uxtw', 'sxtw', 'sxtx'])
        shift = g.choice([0, log2(size)])
        if ext == 'uxtw':
            base = g.randrange_aligned(0, t, 16)        # the index is unsigned
        elif g.chance(0.4):
            base = MID
        else:
            base = g.randrange_aligned(0, SCRATCH, 16)
        b = g.set_base(base, avoid)
        m = g.xd(tuple(avoid) + (b,))
        g.set_imm(m, (t - base) >> shift, keep_high=ext in ('uxtw', 'sxtw'))
        if ext == 'lsl':
            amt = ', lsl #%d' % shift if shift or g.chance(0.5) else ''
            if shift == 0 and size == 1 and amt:
                amt = ', lsl #0'
            g.emit('%s %s, [%s, %s%s]' % (mnem, treg, rn(b), rn(m), amt))
        else:
            amt = ' #%d' % shift if shift or g.chance(0.3) else ''
            g.emit('%s %s, [%s, %s, %s%s]' % (mnem, treg, rn(b), rn(m, ext == 'sxtx'), ext, amt))


def t_ldst_int(g):
    mnem, size, load, sf = g.choice(INT_LDST)
    t = g.xd() if load else g.xs()
    # The base never repeats the transfer register (UNPREDICTABLE with writeback).
    address(g, mnem, size, rn(t, sf), (t,), ['uimm', 'simm', 'pre', 'post', 'reg'])


def t_ldst_fp(g):
    size = g.choice([1, 2, 4, 8, 16, 16])
    load = g.chance(0.5)
    v = g.vd() if load else g.vs()
    reg = '%s%d' % (FP_SIZES[size], v)
    address(g, 'ldr' if load else 'str', size, reg, (), ['uimm', 'simm', 'pre', 'post', 'reg'])


def t_ldst_pair(g):
    kind = g.choice(['x', 'w', 'sw', 's', 'd', 'q'])
    size = {'x': 8, 'w': 4, 'sw': 4, 's': 4, 'd': 8, 'q': 16}[kind]
    load = kind == 'sw' or g.chance(0.5)
    mode = g.choice(['off', 'off', 'pre', 'post', 'nt'] if kind != 'sw' else ['off', 'pre', 'post'])
    if load:
        mnem = 'ldpsw' if kind == 'sw' else 'ldnp' if mode == 'nt' else 'ldp'
    else:
        mnem = 'stnp' if mode == 'nt' else 'stp'
    if kind in ('x', 'w', 'sw'):
        sf = kind in ('x', 'sw')
        if load:
            t1 = g.xd()
            t2 = g.xd((t1,))
        else:
            t1, t2 = g.xs(), g.xs()
        regs = '%s, %s' % (rn(t1, sf), rn(t2, sf))
        avoid = (t1, t2)
    else:
        if load:
            v1 = g.vd()
            while True:
                v2 = g.vd()
                if v2 != v1:
                    break
        else:
            v1, v2 = g.vs(), g.vs()
        regs = '%s%d, %s%d' % (kind, v1, kind, v2)
        avoid = ()
    t = g.target(2 * size, min(2 * size, 16))
    if mode in ('off', 'nt'):
        off = g.randrange_aligned(max(-64 * size, t - SCRATCH), min(63 * size, 2 * SCRATCH), size)
        b = g.set_base(t - off, avoid)
        g.emit('%s %s, [%s, #%d]' % (mnem, regs, rn(b), off))
    elif mode == 'pre':
        off = g.randrange_aligned(-64 * size, 63 * size, size)
        b = g.set_base(t - off, avoid, allow_x28=False)
        g.emit('%s %s, [%s, #%d]!' % (mnem, regs, rn(b), off))
    else:
        off = g.randrange_aligned(-64 * size, 63 * size, size)
        b = g.set_base(t, avoid, allow_x28=False)
        g.emit('%s %s, [%s], #%d' % (mnem, regs, rn(b), off))


def t_acqrel(g):
    # Load-acquire / store-release, plain and RCpc (FEAT_LRCPC, FEAT_LRCPC2)
    k = g.randint(0, 2)
    size = g.choice([1, 2, 4, 8])
    sfx = {1: 'b', 2: 'h', 4: '', 8: ''}[size]
    sf = size == 8
    if k == 2:
        # ldapur/stlur with a 9-bit signed offset
        if g.chance(0.6):
            op, sf = g.choice({1: [('ldapurb', False), ('ldapursb', False), ('ldapursb', True)],
                               2: [('ldapurh', False), ('ldapursh', False), ('ldapursh', True)],
                               4: [('ldapur', False), ('ldapursw', True)],
                               8: [('ldapur', True)]}[size])
            t = g.xd()
        else:
            op = 'stlur' + sfx
            t = g.xs()
        tgt = g.target(size)
        off = g.randrange_aligned(max(-256, tgt - SCRATCH), 255, size)
        b = g.set_base(tgt - off, (t,))
        g.emit('%s %s, [%s, #%d]' % (op, rn(t, sf), rn(b), off))
        return
    load = g.chance(0.6)
    if load:
        op = g.choice(['ldar', 'ldapr']) + sfx
        t = g.xd()
    else:
        op = 'stlr' + sfx
        t = g.xs()
    tgt = g.target(size)
    b = g.set_base(tgt, (t,))
    g.emit('%s %s, [%s]' % (op, rn(t, sf), rn(b)))


def t_literal(g):
    lab = g.new_label()
    kind = g.choice(['x', 'w', 'sw', 's', 'd', 'q'])
    if kind == 'sw':
        g.emit('ldrsw %s, %s' % (g.rd(), lab))
    elif kind in 'xw':
        g.emit('ldr %s, %s' % (g.rd(kind == 'x'), lab))
    else:
        g.emit('ldr %s%d, %s' % (kind, g.vd(), lab))
    g.tail += ['\t.balign 16', '%s:' % lab,
               '\t.quad 0x%016x, 0x%016x' % (g.r.getrandbits(64), g.r.getrandbits(64))]


def t_prfm(g):
    t = g.target(8)
    op = g.choice(['pldl1keep', 'pldl2strm', 'pstl1keep', 'plil1keep', 'pldl3keep'])
    if t >= MID:
        g.emit('prfm %s, [x28, #%d]' % (op, t - MID))
    else:
        g.emit('prfum %s, [x28, #%d]' % (op, max(-256, t - MID)))


def t_stack(g):
    """SP as a base register and as an operand; SP stays 16-aligned in the buffer."""
    k = g.randint(0, 7)
    lo, hi = 256, SCRATCH - 256
    if k == 0:
        delta = 16 * g.randint(1, 8)
        if g.sp - delta >= lo and (g.sp + delta > hi or g.chance(0.5)):
            g.emit('sub sp, sp, #%d' % delta)
            g.sp -= delta
        else:
            g.emit('add sp, sp, #%d' % delta)
            g.sp += delta
    elif k == 1 and g.sp - 16 >= lo:
        g.emit('stp %s, %s, [sp, #-16]!' % (g.rs(), g.rs()))
        g.sp -= 16
    elif k == 2 and g.sp + 16 <= hi:
        a = g.xd()
        g.emit('ldp %s, %s, [sp], #16' % (rn(a), rn(g.xd((a,)))))
        g.sp += 16
    elif k == 3:
        size, load = g.choice([1, 2, 4, 8, 16]), g.chance(0.5)
        off = g.randrange_aligned(0, SCRATCH - g.sp - size, size)
        if size == 16:
            reg = 'q%d' % (g.vd() if load else g.vs())
        else:
            reg = rn(g.xd() if load else g.xs(), size == 8)
        op = ({1: 'ldrb', 2: 'ldrh'} if load else {1: 'strb', 2: 'strh'}).get(
            size, 'ldr' if load else 'str')
        g.emit('%s %s, [sp, #%d]' % (op, reg, off))
    elif k == 4:
        off = g.randrange_aligned(max(-256, -g.sp), 248, 8)
        if g.chance(0.5):
            g.emit('ldur %s, [sp, #%d]' % (g.rd(), off))
        else:
            g.emit('stur %s, [sp, #%d]' % (g.rs(), off))
    elif k == 5:
        j = g.randint(0, 2)
        if j == 0:
            g.emit('mov %s, sp' % g.rd())
        elif j == 1:
            g.emit('%s %s, sp, #%d' % (g.choice(['add', 'sub', 'adds', 'subs']), g.rd(),
                                        g.randint(0, 4095)))
        else:
            g.emit('%s %s, sp, %s' % (g.choice(['add', 'sub', 'adds', 'subs']), g.rd(),
                                      g.rs()))
    elif k == 6:
        d = g.randrange_aligned(lo - MID, hi - MID, 16)
        if g.chance(0.5):
            g.emit('%s sp, x28, #%d' % ('add' if d >= 0 else 'sub', abs(d)))
        else:
            n = g.xd()
            g.emit('%s %s, x28, #%d' % ('add' if d >= 0 else 'sub', rn(n), abs(d)))
            g.emit('mov sp, %s' % rn(n))
        g.sp = MID + d
    elif k == 7 and lo <= g.sp - 16 and g.sp + 16 <= hi:
        if g.chance(0.5):
            g.emit('str %s, [sp, #-16]!' % g.rs())
            g.sp -= 16
        else:
            g.emit('ldr %s, [sp], #16' % g.rd())
            g.sp += 16
    else:
        g.emit('cmp sp, %s' % g.rs(zr=False))


register('ldst', 'ldr/str b/h/w/x/sb/sh/sw, all addressing modes incl. writeback and '
         'register offsets; FP/SIMD b/h/s/d/q; literals; ldar/stlr/ldapr/ldapur/stlur; '
         'SP as base and operand',
         [(10, t_ldst_int), (5, t_ldst_fp), (3, t_acqrel), (1, t_literal), (1, t_prfm),
          (3, t_stack), (2, t_addsub_shift)])
register('pair', 'ldp/stp/ldnp/stnp/ldpsw, w/x/s/d/q, offset/pre/post-index',
         [(6, t_ldst_pair), (1, t_logic_shift)])


# ---- exclusives ----

def t_exclusive(g):
    """ldxr ... stxr on one address, with only register operations between."""
    pair = g.chance(0.3)
    acq = g.choice(['', 'a'])
    rel = g.choice(['', 'l'])
    if pair:
        size = g.choice([4, 8])
        sf = size == 8
        t1 = g.xd()
        t2 = g.xd((t1,))
        tgt = g.target(2 * size, 2 * size)
        b = g.set_base(tgt, (t1, t2))
        g.emit('ld%sxp %s, %s, [%s]' % (acq, rn(t1, sf), rn(t2, sf), rn(b)))
    else:
        size = g.choice([1, 2, 4, 8])
        sf = size == 8
        sfx = {1: 'b', 2: 'h', 4: '', 8: ''}[size]
        t1 = g.xd()
        tgt = g.target(size)
        b = g.set_base(tgt, (t1,))
        g.emit('ld%sxr%s %s, [%s]' % (acq, sfx, rn(t1, sf), rn(b)))
    for _ in range(g.randint(0, 2)):
        # register-only work; never the base register
        sf2 = g.sf()
        g.emit('%s %s, %s, %s' % (g.choice(['add', 'eor', 'orr', 'sub']), g.rd(sf2, (b,)),
                                  g.rs(sf2), g.rs(sf2)))
    if g.chance(0.15):
        g.emit('clrex')                          # the store must then fail
    if g.chance(0.1):
        return                                   # leave the monitor armed
    if pair:
        s1, s2 = g.xs((b,)), g.xs((b,))
        st = g.xd((b, s1, s2))
        g.emit('st%sxp %s, %s, %s, [%s]' % (rel, rn(st, False), rn(s1, sf), rn(s2, sf), rn(b)))
    else:
        s1 = g.xs((b,))
        st = g.xd((b, s1))
        g.emit('st%sxr%s %s, %s, [%s]' % (rel, sfx, rn(st, False), rn(s1, sf), rn(b)))


def t_lone_stxr(g):
    """A store-exclusive with the monitor open: fails, memory untouched."""
    size = g.choice([1, 2, 4, 8])
    sfx = {1: 'b', 2: 'h', 4: '', 8: ''}[size]
    tgt = g.target(size)
    b = g.set_base(tgt, ())
    s1 = g.xs((b,))
    st = g.xd((b, s1))
    g.emit('clrex')
    g.emit('st%sxr%s %s, %s, [%s]' % (g.choice(['', 'l']), sfx, rn(st, False),
                                       rn(s1, size == 8), rn(b)))


register('excl', 'ldxr/ldaxr/stxr/stlxr b/h/w/x and pairs, clrex, single-threaded',
         [(8, t_exclusive), (1, t_lone_stxr), (1, t_addsub_shift)], min_len=3, max_len=14)


# ---- LSE atomics ----

LSE_OPS = ['add', 'clr', 'eor', 'set', 'smax', 'smin', 'umax', 'umin']


def t_lse(g):
    size = g.choice([1, 2, 4, 8])
    sfx = {1: 'b', 2: 'h', 4: '', 8: ''}[size]
    sf = size == 8
    order = g.choice(['', 'a', 'al', 'l'])
    k = g.randint(0, 9)
    tgt = g.target(size)
    if k < 6:
        op = 'ld' + g.choice(LSE_OPS)
        s, t = g.xs(), g.xd()
        b = g.set_base(tgt, (s, t))
        g.emit('%s%s%s %s, %s, [%s]' % (op, order, sfx, rn(s, sf), rn(t, sf), rn(b)))
    elif k == 6:
        op = 'st' + g.choice(LSE_OPS)
        s = g.xs()
        b = g.set_base(tgt, (s,))
        g.emit('%s%s%s %s, [%s]' % (op, g.choice(['', 'l']), sfx, rn(s, sf), rn(b)))
    elif k == 7:
        s, t = g.xs(), g.xd()
        b = g.set_base(tgt, (s, t))
        g.emit('swp%s%s %s, %s, [%s]' % (order, sfx, rn(s, sf), rn(t, sf), rn(b)))
    else:
        # CAS: half the time load the current value first so the swap happens
        s, t = g.xd(), g.xs()
        b = g.set_base(tgt, (s, t))
        if g.chance(0.5):
            lop = {1: 'ldrb', 2: 'ldrh', 4: 'ldr', 8: 'ldr'}[size]
            g.emit('%s %s, [%s]' % (lop, rn(s, sf), rn(b)))
        g.emit('cas%s%s %s, %s, [%s]' % (order, sfx, rn(s, sf), rn(t, sf), rn(b)))


def t_casp(g):
    size = g.choice([4, 8])
    sf = size == 8
    order = g.choice(['', 'a', 'al', 'l'])
    s = g.randrange_aligned(0, 26, 2)
    t = g.randrange_aligned(0, 26, 2)
    tgt = g.target(2 * size, 2 * size)
    b = g.set_base(tgt, (s, s + 1, t, t + 1))
    g.recent += [s, s + 1]
    if g.chance(0.5):
        g.emit('ldp %s, %s, [%s]' % (rn(s, sf), rn(s + 1, sf), rn(b)))
    g.emit('casp%s %s, %s, %s, %s, [%s]' % (order, rn(s, sf), rn(s + 1, sf), rn(t, sf),
                                             rn(t + 1, sf), rn(b)))


register('atomic', 'LSE ld<op>/st<op>/swp/cas/casp, b/h/w/x, all orderings',
         [(8, t_lse), (2, t_casp), (1, t_carry), (1, t_csel)])


# ---- Advanced SIMD structure loads and stores ----

ARR = {'8b': (1, 8), '16b': (1, 16), '4h': (2, 8), '8h': (2, 16), '2s': (4, 8),
       '4s': (4, 16), '1d': (8, 8), '2d': (8, 16)}


def vlist(first, n, suffix):
    return '{' + ', '.join('v%d%s' % ((first + i) % 32, suffix) for i in range(n)) + '}'


def simd_address(g, insn, total, align):
    """Emit insn with [Xn], [Xn], #total or [Xn], Xm for `total` bytes."""
    t = g.target(total, align)
    mode = g.choice(['off', 'imm', 'reg'])
    b = g.set_base(t, (), allow_x28=(mode == 'off'))
    if mode == 'off':
        g.emit('%s, [%s]' % (insn, rn(b)))
    elif mode == 'imm':
        g.emit('%s, [%s], #%d' % (insn, rn(b), total))
    else:
        g.emit('%s, [%s], %s' % (insn, rn(b), rn(g.xs((b,), zr=False))))


def t_vldst_multi(g):
    load = g.chance(0.5)
    n = g.randint(1, 4)
    k = g.choice([1, n])                   # ld1 with n registers, or ldn
    arr = g.choice([a for a in ARR if k == 1 or a != '1d'])
    esize, regbytes = ARR[arr]
    first = g.vd() if load else g.vs()
    insn = '%s%d %s' % ('ld' if load else 'st', k, vlist(first, n, '.' + arr))
    simd_address(g, insn, n * regbytes, 16)


def t_vldst_single(g):
    load = g.chance(0.5)
    n = g.randint(1, 4)
    esize = g.choice([1, 2, 4, 8])
    lane = g.randint(0, 16 // esize - 1)
    first = g.vd() if load else g.vs()
    insn = '%s%d %s[%d]' % ('ld' if load else 'st', n,
                            vlist(first, n, '.' + FP_SIZES[esize]), lane)
    simd_address(g, insn, n * esize, esize)


def t_vld_rep(g):
    n = g.randint(1, 4)
    arr = g.choice(list(ARR))
    esize, _ = ARR[arr]
    insn = 'ld%dr %s' % (n, vlist(g.vd(), n, '.' + arr))
    simd_address(g, insn, n * esize, esize)


register('simd_ldst', 'ld1-ld4/st1-st4 multiple and single structure, ld1r-ld4r, '
         'post-index by immediate and register',
         [(5, t_vldst_multi), (4, t_vldst_single), (2, t_vld_rep)])
