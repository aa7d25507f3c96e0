# SPDX-License-Identifier: GPL-2.0-or-later
"""Generator core of the AArch64 difftest: the per-sequence context and the
class registry.

A class is a weighted list of templates; a template is a function that takes
the generation context and emits one instruction, or a few when the
instruction needs set-up (a base register pointing into the scratch buffer,
an index register with a known value). Sequences are GNU assembler text; the
assembler runs with --fatal-warnings, so the encodings it flags as
UNPREDICTABLE (writeback into the transfer register, LDP with Rt == Rt2,
a store-exclusive status register equal to a transfer register...) stop the
build instead of reaching the reference. The rules the assembler cannot see
are kept here:

 * x28 holds the scratch-buffer base (buffer start + 2048) and is never
   written; x29 and x30 belong to the runtime and are never named;
 * SP starts at x28 too, and sequences may move it, but only by known
   amounts, keeping it 16-byte aligned and inside the buffer (tracked in
   Gen.sp), so SP-based addresses are known like the others;
 * every memory access lands inside the 4 KiB buffer and is aligned to its
   access size (the bare-metal image runs with the MMU off, where memory is
   Device memory and unaligned accesses fault);
 * branches only go forward to labels inside the sequence, which ends with
   RET (x30 still holds the trampoline's return address).

A sequence depends only on (seed, class, index): random.Random seeded with
that string, so one failing sequence can be rebuilt alone.
"""

import random

SCRATCH = 4096      # bytes in the scratch buffer
MID = 2048          # x28 = buffer start + MID
NGPR = 28           # x0..x27 are free for sequences
BASE = 28

CONDS = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc',
         'hi', 'ls', 'ge', 'lt', 'gt', 'le', 'al', 'nv']
CONDS14 = CONDS[:14]    # the aliases (cset, cinc...) refuse al/nv

# -march for the assembler: everything QEMU's and Tern's "max" CPU offer that
# the sequences use.
AS_MARCH = 'armv8.6-a+fp16+fp16fml+crypto+sha3+sm4+flagm+bf16+i8mm'

CLASSES = {}


class SeqClass:
    def __init__(self, name, desc, templates, min_len=4, max_len=12, hidden=False):
        self.name = name
        self.hidden = hidden
        self.desc = desc
        self.templates = [t for _, t in templates]
        self.weights = [w for w, _ in templates]
        self.min_len = min_len
        self.max_len = max_len


def register(name, desc, templates, min_len=4, max_len=12, hidden=False):
    """templates: list of (weight, function(Gen)); hidden: not in the default run."""
    CLASSES[name] = SeqClass(name, desc, templates, min_len, max_len, hidden)


def rn(n, sf=True):
    """Name of general register n (31 = the zero register)."""
    if n == 31:
        return 'xzr' if sf else 'wzr'
    return ('x' if sf else 'w') + str(n)


class Gen:
    """State of one sequence being generated."""

    def __init__(self, rng, label_prefix):
        self.r = rng
        self.lines = []
        self.tail = []          # literal pool, after the RET
        self.recent = []        # recently written GPRs: sources favour them
        self.vrecent = []
        self.count = 0          # instructions emitted (set-up included)
        self.label_prefix = label_prefix
        self.nlabels = 0
        self.pending = []       # [label, instructions still to go]
        self.sp = MID           # SP, relative to the buffer start (16-aligned)

    # ---- randomness ----
    def chance(self, p):
        return self.r.random() < p

    def choice(self, seq):
        return self.r.choice(seq)

    def randint(self, a, b):
        return self.r.randint(a, b)

    def randrange_aligned(self, lo, hi, align):
        """A multiple of align in [lo, hi]."""
        return self.r.randint(-(-lo // align), hi // align) * align

    def sf(self):
        return self.r.random() < 0.6

    # ---- output ----
    def emit(self, line):
        self.lines.append('\t' + line)
        self.count += 1
        for p in self.pending:
            p[1] -= 1

    def place_labels(self):
        """Put due labels here; only between templates, never inside one."""
        for p in [p for p in self.pending if p[1] <= 0]:
            self.lines.append(p[0] + ':')
            self.pending.remove(p)

    def new_label(self):
        self.nlabels += 1
        return '.L%s_%d' % (self.label_prefix, self.nlabels)

    def forward_label(self, distance):
        """A label placed after `distance` more instructions."""
        lab = self.new_label()
        self.pending.append([lab, distance])
        return lab

    def finish(self):
        for p in self.pending:
            self.lines.append(p[0] + ':')
        self.pending = []
        self.lines.append('\tret')
        return self.lines + self.tail

    # ---- general registers ----
    def xd(self, avoid=()):
        """A destination register number (never 28-31)."""
        while True:
            n = self.r.randrange(NGPR)
            if n not in avoid:
                break
        self.recent.append(n)
        if len(self.recent) > 6:
            self.recent.pop(0)
        return n

    def xs(self, avoid=(), zr=True):
        """A source register number; 31 (the zero register) when zr allows."""
        while True:
            x = self.r.random()
            if zr and x < 0.05:
                n = 31
            elif x < 0.45 and self.recent:
                n = self.r.choice(self.recent)
            else:
                n = self.r.randrange(NGPR)
            if n not in avoid:
                return n

    def rd(self, sf=True, avoid=()):
        return rn(self.xd(avoid), sf)

    def rs(self, sf=True, avoid=(), zr=True):
        return rn(self.xs(avoid, zr), sf)

    # ---- vector registers ----
    def vd(self, limit=32):
        n = self.r.randrange(limit)
        self.vrecent.append(n)
        if len(self.vrecent) > 6:
            self.vrecent.pop(0)
        return n

    def vs(self, limit=32):
        if self.vrecent and self.r.random() < 0.4:
            n = self.r.choice(self.vrecent)
            if n < limit:
                return n
        return self.r.randrange(limit)

    # ---- memory ----
    def set_base(self, addr, avoid=(), allow_x28=True):
        """A register holding buffer start + addr: x28 itself or a fresh one."""
        d = addr - MID
        if d == 0 and allow_x28 and self.chance(0.7):
            return BASE
        b = self.xd(avoid)
        if d >= 0:
            self.emit('add %s, x28, #%d' % (rn(b), d))
        else:
            self.emit('sub %s, x28, #%d' % (rn(b), -d))
        return b

    def set_imm(self, n, value, keep_high=False):
        """Give register n a small value; keep_high only sets bits 31:0."""
        if keep_high:
            v = value & 0xffffffff
            self.emit('movk %s, #0x%x' % (rn(n), v & 0xffff))
            self.emit('movk %s, #0x%x, lsl #16' % (rn(n), v >> 16))
        else:
            self.emit('mov %s, #%d' % (rn(n), value))

    def target(self, size, align=None):
        """A buffer address for an access of `size` bytes, suitably aligned."""
        align = align or size
        return self.r.randrange(0, SCRATCH - size + 1, align)


def bitmask_imm(r, sf):
    """A random valid logical immediate for a 64- or 32-bit operation."""
    width = 64 if sf else 32
    esize = r.choice([e for e in (2, 4, 8, 16, 32, 64) if e <= width])
    ones = r.randint(1, esize - 1)
    rot = r.randrange(esize)
    elem = (1 << ones) - 1
    elem = ((elem >> rot) | (elem << (esize - rot))) & ((1 << esize) - 1)
    v = 0
    for i in range(width // esize):
        v |= elem << (i * esize)
    return v


def gen_sequence(cls, seed, index):
    """Return (state_seed, list of asm lines) for sequence `index` of cls."""
    rng = random.Random('%s:%s:%d' % (seed, cls.name, index))
    state_seed = rng.getrandbits(64)
    g = Gen(rng, 's%d' % index)
    n = rng.randint(cls.min_len, cls.max_len)
    while g.count < n:
        t = rng.choices(cls.templates, cls.weights)[0]
        t(g)
        g.place_labels()
    return state_seed, g.finish()


def gen_asm(cls, seed, indices, verbose=False):
    """The whole seq.S for the given sequence indices of a class."""
    out = ['// difftest class %s seed %s' % (cls.name, seed),
           '\t.arch %s' % AS_MARCH,
           '\t.section .seqtext, "ax"',
           '\t.balign 16']
    table = []
    for i in indices:
        state_seed, lines = gen_sequence(cls, seed, i)
        lab = 'dt_seq_%d' % i
        out.append('\t.balign 16')
        out.append('%s:' % lab)
        out.extend(lines)
        table.append('\t.quad %s, 0x%016x, %d' % (lab, state_seed, i))
    out += ['\t.section .rodata',
            '\t.balign 8',
            '\t.global dt_table, dt_nseq, dt_flags',
            'dt_nseq: .quad %d' % len(table),
            'dt_flags: .quad %d' % (1 if verbose else 0),
            'dt_table:']
    out += table
    return '\n'.join(out) + '\n'
