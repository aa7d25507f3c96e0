# SPDX-License-Identifier: GPL-2.0-or-later
"""Integer classes of the AArch64 difftest: arithmetic and logic, conditional
select and compare, bitfields, variable shifts, multiply/divide, CRC32 and
forward branches."""

from gen_core import register, rn, bitmask_imm, CONDS, CONDS14

EXTENDS = ['uxtb', 'uxth', 'uxtw', 'uxtx', 'sxtb', 'sxth', 'sxtw', 'sxtx']


# ---- arithmetic and logic ----

def t_addsub_imm(g):
    sf = g.sf()
    op = g.choice(['add', 'adds', 'sub', 'subs', 'cmp', 'cmn'])
    imm = g.choice([g.randint(0, 4095), g.randint(0, 16), 4095])
    sh = ', lsl #12' if g.chance(0.25) else ''
    src = rn(g.xs(zr=False), sf)            # 31 would be SP here
    if op in ('cmp', 'cmn'):
        g.emit('%s %s, #%d%s' % (op, src, imm, sh))
    else:
        g.emit('%s %s, %s, #%d%s' % (op, g.rd(sf), src, imm, sh))


def t_addsub_shift(g):
    sf = g.sf()
    op = g.choice(['add', 'adds', 'sub', 'subs', 'cmp', 'cmn', 'neg', 'negs'])
    sh = ''
    if g.chance(0.7):
        sh = ', %s #%d' % (g.choice(['lsl', 'lsr', 'asr']), g.randint(0, 63 if sf else 31))
    if op in ('cmp', 'cmn'):
        g.emit('%s %s, %s%s' % (op, g.rs(sf), g.rs(sf), sh))
    elif op in ('neg', 'negs'):
        g.emit('%s %s, %s%s' % (op, g.rd(sf), g.rs(sf), sh))
    else:
        g.emit('%s %s, %s, %s%s' % (op, g.rd(sf), g.rs(sf), g.rs(sf), sh))


def t_addsub_ext(g):
    sf = g.sf()
    op = g.choice(['add', 'adds', 'sub', 'subs', 'cmp', 'cmn'])
    ext = g.choice(EXTENDS)
    msf = sf and ext in ('uxtx', 'sxtx')
    amt = ' #%d' % g.randint(0, 4) if g.chance(0.6) else ''
    src = rn(g.xs(zr=False), sf)            # Rn = 31 is SP in this form
    m = '%s, %s%s' % (g.rs(msf), ext, amt)
    if op in ('cmp', 'cmn'):
        g.emit('%s %s, %s' % (op, src, m))
    else:
        g.emit('%s %s, %s, %s' % (op, g.rd(sf), src, m))


def t_logic_shift(g):
    sf = g.sf()
    op = g.choice(['and', 'orr', 'eor', 'bic', 'orn', 'eon', 'ands', 'bics', 'tst', 'mvn'])
    sh = ''
    if g.chance(0.6):
        sh = ', %s #%d' % (g.choice(['lsl', 'lsr', 'asr', 'ror']), g.randint(0, 63 if sf else 31))
    if op == 'tst':
        g.emit('tst %s, %s%s' % (g.rs(sf), g.rs(sf), sh))
    elif op == 'mvn':
        g.emit('mvn %s, %s%s' % (g.rd(sf), g.rs(sf), sh))
    else:
        g.emit('%s %s, %s, %s%s' % (op, g.rd(sf), g.rs(sf), g.rs(sf), sh))


def t_logic_imm(g):
    sf = g.sf()
    op = g.choice(['and', 'orr', 'eor', 'ands', 'tst'])
    imm = bitmask_imm(g.r, sf)
    if op == 'tst':
        g.emit('tst %s, #0x%x' % (g.rs(sf), imm))
    else:
        g.emit('%s %s, %s, #0x%x' % (op, g.rd(sf), g.rs(sf), imm))


def t_movwide(g):
    sf = g.sf()
    op = g.choice(['movz', 'movn', 'movk'])
    hw = g.randint(0, 3 if sf else 1) * 16
    g.emit('%s %s, #0x%x, lsl #%d' % (op, g.rd(sf), g.randint(0, 0xffff), hw))


def t_mov(g):
    sf = g.sf()
    if g.chance(0.5):
        g.emit('mov %s, %s' % (g.rd(sf), g.rs(sf)))
    else:
        g.emit('mov %s, #0x%x' % (g.rd(sf), bitmask_imm(g.r, sf)))


def t_carry(g):
    sf = g.sf()
    op = g.choice(['adc', 'adcs', 'sbc', 'sbcs', 'ngc', 'ngcs'])
    if op.startswith('ngc'):
        g.emit('%s %s, %s' % (op, g.rd(sf), g.rs(sf)))
    else:
        g.emit('%s %s, %s, %s' % (op, g.rd(sf), g.rs(sf), g.rs(sf)))


def t_onesrc(g):
    sf = g.sf()
    ops = ['clz', 'cls', 'rbit', 'rev', 'rev16'] + (['rev32'] if sf else [])
    g.emit('%s %s, %s' % (g.choice(ops), g.rd(sf), g.rs(sf)))


def t_adr(g):
    # The sequences sit at the same address in both images.
    g.emit('%s %s, .%+d' % (g.choice(['adr', 'adrp']), g.rd(), g.randint(-64, 64) * 4))


def t_flagm(g):
    k = g.randint(0, 5)
    if k == 0:
        g.emit('rmif %s, #%d, #%d' % (g.rs(), g.randint(0, 63), g.randint(0, 15)))
    elif k == 1:
        g.emit('%s %s' % (g.choice(['setf8', 'setf16']), g.rs(False)))
    elif k == 2:
        g.emit('cfinv')
    elif k == 3:
        g.emit(g.choice(['axflag', 'xaflag']))
    else:
        g.emit('msr nzcv, %s' % g.rs())


def t_readflags(g):
    g.emit('mrs %s, nzcv' % g.rd())


ALU = [(6, t_addsub_imm), (8, t_addsub_shift), (6, t_addsub_ext), (8, t_logic_shift),
       (5, t_logic_imm), (3, t_movwide), (2, t_mov), (5, t_carry), (3, t_onesrc),
       (1, t_adr), (2, t_flagm), (2, t_readflags)]
register('alu', 'add/sub/logic (imm, shifted, extended), carries, movz/k/n, clz/rbit/rev, '
         'adr, flag manipulation', ALU)


# ---- conditional select and compare ----

def t_csel(g):
    sf = g.sf()
    op = g.choice(['csel', 'csinc', 'csinv', 'csneg'])
    g.emit('%s %s, %s, %s, %s' % (op, g.rd(sf), g.rs(sf), g.rs(sf), g.choice(CONDS)))


def t_cset(g):
    sf = g.sf()
    op = g.choice(['cset', 'csetm', 'cinc', 'cinv', 'cneg'])
    if op.startswith('cset'):
        g.emit('%s %s, %s' % (op, g.rd(sf), g.choice(CONDS14)))
    else:
        g.emit('%s %s, %s, %s' % (op, g.rd(sf), g.rs(sf), g.choice(CONDS14)))


def t_ccmp(g):
    sf = g.sf()
    op = g.choice(['ccmp', 'ccmn'])
    if g.chance(0.5):
        b = g.rs(sf)
    else:
        b = '#%d' % g.randint(0, 31)
    g.emit('%s %s, %s, #%d, %s' % (op, g.rs(sf), b, g.randint(0, 15), g.choice(CONDS)))


register('cond', 'csel/csinc/csinv/csneg and aliases, ccmp/ccmn, with flag producers',
         [(6, t_csel), (4, t_cset), (6, t_ccmp), (3, t_addsub_imm), (3, t_addsub_shift),
          (2, t_logic_shift), (1, t_flagm)])


# ---- bitfield, extract ----

def t_bfm(g):
    sf = g.sf()
    size = 64 if sf else 32
    op = g.choice(['sbfm', 'ubfm', 'bfm'])
    g.emit('%s %s, %s, #%d, #%d' % (op, g.rd(sf), g.rs(sf), g.randint(0, size - 1),
                                     g.randint(0, size - 1)))


def t_bf_alias(g):
    sf = g.sf()
    size = 64 if sf else 32
    op = g.choice(['sbfx', 'ubfx', 'sbfiz', 'ubfiz', 'bfi', 'bfxil', 'bfc',
                   'lsl', 'lsr', 'asr', 'ext'])
    if op in ('lsl', 'lsr', 'asr'):
        g.emit('%s %s, %s, #%d' % (op, g.rd(sf), g.rs(sf), g.randint(0, size - 1)))
    elif op == 'ext':
        if sf:
            e = g.choice(['sxtb', 'sxth', 'sxtw'])
            g.emit('%s %s, %s' % (e, g.rd(True), g.rs(False)))
        else:
            e = g.choice(['sxtb', 'sxth', 'uxtb', 'uxth'])
            g.emit('%s %s, %s' % (e, g.rd(False), g.rs(False)))
    else:
        lsb = g.randint(0, size - 1)
        width = g.randint(1, size - lsb)
        if op == 'bfc':
            g.emit('bfc %s, #%d, #%d' % (g.rd(sf), lsb, width))
        else:
            g.emit('%s %s, %s, #%d, #%d' % (op, g.rd(sf), g.rs(sf), lsb, width))


def t_extr(g):
    sf = g.sf()
    size = 64 if sf else 32
    if g.chance(0.3):
        g.emit('ror %s, %s, #%d' % (g.rd(sf), g.rs(sf), g.randint(0, size - 1)))
    else:
        g.emit('extr %s, %s, %s, #%d' % (g.rd(sf), g.rs(sf), g.rs(sf), g.randint(0, size - 1)))


register('bitfield', 'sbfm/ubfm/bfm and their aliases, extr/ror',
         [(4, t_bfm), (6, t_bf_alias), (3, t_extr)])


# ---- variable shifts ----

def t_shiftv(g):
    sf = g.sf()
    op = g.choice(['lslv', 'lsrv', 'asrv', 'rorv', 'lsl', 'lsr', 'asr', 'ror'])
    g.emit('%s %s, %s, %s' % (op, g.rd(sf), g.rs(sf), g.rs(sf)))


def t_small_amount(g):
    # Amounts near the operand size come from the state often enough; this
    # adds registers holding exactly 0..70.
    g.emit('mov %s, #%d' % (g.rd(), g.randint(0, 70)))


register('shift', 'lslv/lsrv/asrv/rorv, 32 and 64 bits',
         [(8, t_shiftv), (2, t_small_amount)])


# ---- multiply, divide ----

def t_mul(g):
    sf = g.sf()
    op = g.choice(['madd', 'msub', 'mul', 'mneg'])
    if op in ('madd', 'msub'):
        g.emit('%s %s, %s, %s, %s' % (op, g.rd(sf), g.rs(sf), g.rs(sf), g.rs(sf)))
    else:
        g.emit('%s %s, %s, %s' % (op, g.rd(sf), g.rs(sf), g.rs(sf)))


def t_mull(g):
    op = g.choice(['smaddl', 'smsubl', 'umaddl', 'umsubl', 'smull', 'umull', 'smnegl',
                   'umnegl', 'smulh', 'umulh'])
    if op in ('smulh', 'umulh'):
        g.emit('%s %s, %s, %s' % (op, g.rd(), g.rs(), g.rs()))
    elif op in ('smull', 'umull', 'smnegl', 'umnegl'):
        g.emit('%s %s, %s, %s' % (op, g.rd(), g.rs(False), g.rs(False)))
    else:
        g.emit('%s %s, %s, %s, %s' % (op, g.rd(), g.rs(False), g.rs(False), g.rs()))


def t_div(g):
    sf = g.sf()
    g.emit('%s %s, %s, %s' % (g.choice(['udiv', 'sdiv']), g.rd(sf), g.rs(sf), g.rs(sf)))


register('muldiv', 'madd/msub, long multiplies, smulh/umulh, udiv/sdiv (incl. /0, MIN/-1)',
         [(5, t_mul), (5, t_mull), (5, t_div), (1, t_small_amount)])


# ---- CRC32 ----

def t_crc(g):
    sz = g.choice('bhwx')
    op = g.choice(['crc32', 'crc32c']) + sz
    g.emit('%s %s, %s, %s' % (op, g.rd(False), g.rs(False), g.rs(sz == 'x')))


register('crc', 'crc32b/h/w/x and crc32cb/ch/cw/cx', [(1, t_crc)])


# ---- forward branches ----

def t_bcond(g):
    g.emit('b.%s %s' % (g.choice(CONDS), g.forward_label(g.randint(1, 5))))


def t_cbz(g):
    sf = g.sf()
    g.emit('%s %s, %s' % (g.choice(['cbz', 'cbnz']), g.rs(sf), g.forward_label(g.randint(1, 5))))


def t_tbz(g):
    sf = g.sf()
    bit = g.randint(0, 63 if sf else 31)
    g.emit('%s %s, #%d, %s' % (g.choice(['tbz', 'tbnz']), g.rs(sf), bit,
                               g.forward_label(g.randint(1, 5))))


def t_b(g):
    g.emit('b %s' % g.forward_label(g.randint(1, 4)))


def t_br(g):
    # An indirect jump forward; the register keeps the label's address.
    n = g.xd()
    lab = g.forward_label(g.randint(2, 5))
    g.emit('adr %s, %s' % (rn(n), lab))
    g.emit('%s %s' % (g.choice(['br', 'ret']), rn(n)))


register('branch', 'forward b.cond/cbz/cbnz/tbz/tbnz/b/br/ret among flag producers and selects',
         [(5, t_bcond), (3, t_cbz), (3, t_tbz), (1, t_b), (1, t_br),
          (4, t_addsub_imm), (4, t_addsub_shift), (2, t_logic_shift), (2, t_csel),
          (2, t_ccmp), (1, t_carry)], min_len=6, max_len=16)


# ---- harness self-test ----

def t_read_platform(g):
    # dt_platform_id is 1 in the Linux image and 2 in the bare-metal one.
    n = g.xd()
    g.emit('adrp %s, dt_platform_id' % rn(n))
    g.emit('ldr %s, [%s, :lo12:dt_platform_id]' % (rn(n), rn(n)))


def t_store_platform(g):
    # The same difference, seen only in memory.
    n = g.xd()
    g.emit('adrp %s, dt_platform_id' % rn(n))
    g.emit('ldr %s, [%s, :lo12:dt_platform_id]' % (rn(n), rn(n)))
    g.emit('str %s, [x28, #%d]' % (rn(n), g.randint(0, 255) * 8))
    g.emit('mov %s, #0' % rn(n))


register('selftest', 'reads dt_platform_id, which differs between the images: must fail '
         '(proves that mismatches are caught and reported)',
         [(1, t_read_platform), (1, t_store_platform), (3, t_addsub_shift)], hidden=True)
