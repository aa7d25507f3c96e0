#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""decodegen: turn an instruction encoding table (a .decode file) into C.

The table lists every instruction encoding of a 32-bit fixed-width ISA as a
line of 32 bits, most significant bit first, so that it reads side by side
with the encoding diagrams of an architecture manual.  The generator checks
the table (bit counts, unknown names, patterns that overlap where they must
not) and writes one C file, meant to be #included by the front end, holding
the argument structs, field extractors, `static bool trans_NAME(DisasContext
*s, arg_NAME *a);` declarations and `static bool decode_PREFIX(DisasContext
*s, uint32_t insn)`, a decision tree over the fixed bits.

Format (docs/decodegen.md has the long form with examples)
------------------------------------------------------------
  # comment                       to end of line; a trailing '\\' joins lines

  %NAME PART... [OPTS]            named field.  PART is POS:LEN (unsigned) or
                                  POS:sLEN (signed, first part only).  Several
                                  parts concatenate, first = most significant.
                                  OPTS: !shift=N (value << N), !function=FN
                                  (value = FN(s, value), applied after the
                                  shift), !type=CTYPE (C type of the result,
                                  default int)
  &NAME MEMBER[:CTYPE]...         argument set: struct arg_NAME
  @NAME BITS... [ATTRS]           format: bits, fields and an argument set
                                  shared by several patterns
  NAME  BITS... [@FMT] [ATTRS]    pattern: calls trans_NAME(s, &a)
  {                               overlap group: members tried in order, the
  }                               first whose trans returns true wins
  [                               disjoint group: members must not overlap
  ]                               (the top level is a disjoint group too)

  BITS tokens (must total 32, written MSB first):
    0 1          fixed bits
    .            bit left to a field (from the format or a %field)
    -            ignored bit (e.g. should-be-one/zero); not checked
    NAME:LEN     inline field of LEN bits at this position (NAME:sLEN signed)
  ATTRS:
    &ARGS        use argument set ARGS (else one is made from the members)
    %FIELD       member FIELD set from named field %FIELD
    MEMBER=%FIELD, MEMBER=CONST   member set from a field or a constant

Every bit of a pattern (after merging its format) must be fixed, belong to a
field, or be marked '-': this catches a forgotten field at generation time.

Usage: decodegen.py [--prefix P] -o OUT.c.inc FILE.decode
       decodegen.py --check FILE.decode
"""

import argparse
import os
import re
import sys
import tempfile

IDENT_RE = re.compile(r'^[A-Za-z_][A-Za-z0-9_]*$')
PART_RE = re.compile(r'^(\d+):(s?)(\d+)$')
INLINE_RE = re.compile(r'^([A-Za-z_][A-Za-z0-9_]*):(s?)(\d+)$')
BITS_RE = re.compile(r'^[01.\-]+$')
CONST_RE = re.compile(r'^-?(0x[0-9a-fA-F]+|0b[01]+|\d+)$')
CTYPE_RE = re.compile(r'^(int|bool|u?int(8|16|32|64)_t)$')
C_KEYWORDS = {'int', 'char', 'void', 'if', 'else', 'for', 'while', 'do',
              'switch', 'case', 'default', 'return', 'break', 'static',
              'struct', 'union', 'bool', 'long', 'short', 'unsigned',
              'signed', 'const', 'goto', 'continue', 'sizeof'}
FULL = 0xffffffff


class DecodeError(Exception):
    """A problem in the table, reported as FILE:LINE: error: MSG."""

    def __init__(self, loc, msg):
        super().__init__(f'{loc}: error: {msg}')


class Loc:
    def __init__(self, path, line):
        self.path = path
        self.line = line

    def __str__(self):
        return f'{self.path}:{self.line}'


class Field:
    """A named (%NAME) or inline (NAME:LEN) field."""

    def __init__(self, name, parts, signed, loc, named):
        self.name = name
        self.parts = parts          # [(pos, len)], most significant first
        self.signed = signed
        self.loc = loc
        self.named = named
        self.shift = 0
        self.func = None
        self.ctype = 'int'

    def mask(self):
        m = 0
        for pos, length in self.parts:
            m |= ((1 << length) - 1) << pos
        return m

    def width(self):
        return sum(length for _, length in self.parts)


class ArgSet:
    def __init__(self, name, members, loc, implicit=False):
        self.name = name
        self.members = members      # [(member, ctype)]
        self.loc = loc
        self.implicit = implicit

    def signature(self):
        return tuple(self.members)


class Format:
    def __init__(self, name, loc):
        self.name = name
        self.loc = loc
        self.mask = 0
        self.value = 0
        self.ignore = 0
        self.assigns = {}           # member -> Field | int, insertion order
        self.argset = None


class Pattern(Format):
    def __init__(self, name, loc):
        super().__init__(name, loc)
        self.struct = None          # ArgSet giving arg_NAME's layout
        self.index = 0              # position in file order
        self.group = -1             # id of outermost overlap group, or -1


class Group:
    def __init__(self, kind, loc):
        self.kind = kind            # '{' overlap, '[' disjoint
        self.loc = loc
        self.items = []


def parse_int(text):
    neg = text.startswith('-')
    if neg:
        text = text[1:]
    if text.startswith(('0x', '0X')):
        v = int(text[2:], 16)
    elif text.startswith(('0b', '0B')):
        v = int(text[2:], 2)
    else:
        v = int(text, 10)
    return -v if neg else v


class Table:
    """Parser and checker for one .decode file."""

    def __init__(self, path):
        self.path = path
        self.fields = {}
        self.argsets = {}
        self.formats = {}
        self.patterns = []
        self.root = Group('[', Loc(path, 0))
        self.errors = []

    # ---- reading -------------------------------------------------------

    def logical_lines(self, text):
        lines = text.split('\n')
        i = 0
        while i < len(lines):
            start = i + 1
            acc = ''
            while True:
                raw = lines[i]
                i += 1
                code = raw.split('#', 1)[0].rstrip()
                if code.endswith('\\'):
                    acc += code[:-1] + ' '
                    if i < len(lines):
                        continue
                acc += code
                break
            if acc.strip():
                yield Loc(self.path, start), acc.split()

    def parse(self, text):
        stack = [self.root]
        for loc, toks in self.logical_lines(text):
            try:
                self.parse_line(loc, toks, stack)
            except DecodeError as e:
                self.errors.append(str(e))
        for g in stack[1:]:
            self.errors.append(str(DecodeError(
                g.loc, f"group '{g.kind}' is never closed")))

    def parse_line(self, loc, toks, stack):
        head = toks[0]
        if head in ('{', '['):
            if len(toks) != 1:
                raise DecodeError(loc, f"'{head}' must stand alone on its line")
            g = Group(head, loc)
            stack[-1].items.append(g)
            stack.append(g)
            return
        if head in ('}', ']'):
            if len(toks) != 1:
                raise DecodeError(loc, f"'{head}' must stand alone on its line")
            want = {'}': '{', ']': '['}[head]
            if len(stack) == 1:
                raise DecodeError(loc, f"'{head}' without an open group")
            if stack[-1].kind != want:
                raise DecodeError(loc, f"'{head}' closes '{stack[-1].kind}' "
                                       f"opened at {stack[-1].loc}")
            g = stack.pop()
            if not g.items:
                raise DecodeError(loc, 'empty group')
            return
        if head.startswith('%'):
            self.parse_field(loc, head[1:], toks[1:])
        elif head.startswith('&'):
            self.parse_argset(loc, head[1:], toks[1:])
        elif head.startswith('@'):
            name = self.check_ident(loc, head[1:], 'format')
            if name in self.formats:
                raise DecodeError(loc, f'format @{name} already defined at '
                                       f'{self.formats[name].loc}')
            fmt = Format(name, loc)
            self.parse_body(fmt, toks[1:], is_pattern=False)
            self.formats[name] = fmt
        elif IDENT_RE.match(head):
            pat = Pattern(head, loc)
            self.check_ident(loc, head, 'pattern')
            self.parse_body(pat, toks[1:], is_pattern=True)
            pat.index = len(self.patterns)
            self.patterns.append(pat)
            stack[-1].items.append(pat)
        else:
            raise DecodeError(loc, f"cannot parse line starting '{head}'")

    @staticmethod
    def check_ident(loc, name, what):
        if not IDENT_RE.match(name) or name in C_KEYWORDS:
            raise DecodeError(loc, f"bad {what} name '{name}'")
        return name

    def parse_field(self, loc, name, toks):
        self.check_ident(loc, name, 'field')
        if name in self.fields:
            raise DecodeError(loc, f'field %{name} already defined at '
                                   f'{self.fields[name].loc}')
        parts = []
        signed = False
        opts = {}
        for t in toks:
            m = PART_RE.match(t)
            if m:
                pos, sgn, length = int(m.group(1)), m.group(2), int(m.group(3))
                if sgn and parts:
                    raise DecodeError(loc, f"only the first part of %{name} "
                                           f"may be signed ('{t}')")
                if length < 1 or pos + length > 32:
                    raise DecodeError(loc, f"part '{t}' of %{name} lies "
                                           f"outside bits 0..31")
                signed = signed or bool(sgn)
                parts.append((pos, length))
                continue
            if t.startswith('!') and '=' in t:
                key, val = t[1:].split('=', 1)
                if key not in ('function', 'shift', 'type'):
                    raise DecodeError(loc, f"unknown option '!{key}' for "
                                           f"%{name}")
                if key in opts:
                    raise DecodeError(loc, f"option '!{key}' given twice")
                opts[key] = val
                continue
            raise DecodeError(loc, f"bad field part '{t}' for %{name} "
                                   f"(want POS:LEN, POS:sLEN or !option=...)")
        if not parts:
            raise DecodeError(loc, f'field %{name} has no bits')
        f = Field(name, parts, signed, loc, named=True)
        if f.width() > 32:
            raise DecodeError(loc, f'field %{name} is {f.width()} bits wide '
                                   f'(at most 32)')
        if 'function' in opts:
            if not IDENT_RE.match(opts['function']):
                raise DecodeError(loc, f"bad function name "
                                       f"'{opts['function']}'")
            f.func = opts['function']
        if 'shift' in opts:
            if not opts['shift'].isdigit() or int(opts['shift']) > 31:
                raise DecodeError(loc, f"bad shift '{opts['shift']}'")
            f.shift = int(opts['shift'])
        if 'type' in opts:
            if not CTYPE_RE.match(opts['type']):
                raise DecodeError(loc, f"unsupported type '{opts['type']}' "
                                       f"(int, bool or [u]intN_t)")
            f.ctype = opts['type']
        self.fields[name] = f

    def parse_argset(self, loc, name, toks):
        self.check_ident(loc, name, 'argument set')
        if name in self.argsets:
            raise DecodeError(loc, f'argument set &{name} already defined at '
                                   f'{self.argsets[name].loc}')
        members = []
        seen = set()
        for t in toks:
            mname, _, ctype = t.partition(':')
            self.check_ident(loc, mname, 'member')
            ctype = ctype or 'int'
            if not CTYPE_RE.match(ctype):
                raise DecodeError(loc, f"unsupported type '{ctype}' for "
                                       f"member {mname}")
            if mname in seen:
                raise DecodeError(loc, f'member {mname} listed twice in '
                                       f'&{name}')
            seen.add(mname)
            members.append((mname, ctype))
        self.argsets[name] = ArgSet(name, members, loc)

    def set_member(self, obj, loc, member, value):
        if member in obj.assigns:
            raise DecodeError(loc, f'{member} set twice in {obj.name}')
        obj.assigns[member] = value

    def parse_body(self, obj, toks, is_pattern):
        loc = obj.loc
        pos = 32
        fmt = None
        for t in toks:
            if BITS_RE.match(t) or INLINE_RE.match(t):
                m = INLINE_RE.match(t)
                width = int(m.group(3)) if m else len(t)
                if width < 1:
                    raise DecodeError(loc, f"zero-width field '{t}'")
                pos -= width
                if pos < 0:
                    raise DecodeError(loc, f'{obj.name} has more than 32 bits '
                                           f"(at '{t}')")
                if m:
                    fname = m.group(1)
                    self.check_ident(loc, fname, 'field')
                    f = Field(fname, [(pos, width)], bool(m.group(2)), loc,
                              named=False)
                    self.set_member(obj, loc, fname, f)
                else:
                    for i, c in enumerate(t):
                        bit = 1 << (pos + width - 1 - i)
                        if c in '01':
                            obj.mask |= bit
                            if c == '1':
                                obj.value |= bit
                        elif c == '-':
                            obj.ignore |= bit
            elif t.startswith('@'):
                if not is_pattern:
                    raise DecodeError(loc, 'a format cannot use another '
                                           'format')
                if fmt is not None:
                    raise DecodeError(loc, f'{obj.name} names two formats')
                fname = t[1:]
                if fname not in self.formats:
                    raise DecodeError(loc, f'unknown format @{fname}')
                fmt = self.formats[fname]
            elif t.startswith('&'):
                aname = t[1:]
                if aname not in self.argsets:
                    raise DecodeError(loc, f'unknown argument set &{aname}')
                if obj.argset is not None:
                    raise DecodeError(loc, f'{obj.name} names two argument '
                                           f'sets')
                obj.argset = self.argsets[aname]
            elif t.startswith('%'):
                fname = t[1:]
                if fname not in self.fields:
                    raise DecodeError(loc, f'unknown field %{fname}')
                self.set_member(obj, loc, fname, self.fields[fname])
            elif '=' in t:
                member, val = t.split('=', 1)
                self.check_ident(loc, member, 'member')
                if val.startswith('%'):
                    if val[1:] not in self.fields:
                        raise DecodeError(loc, f'unknown field {val}')
                    self.set_member(obj, loc, member, self.fields[val[1:]])
                elif CONST_RE.match(val):
                    self.set_member(obj, loc, member, parse_int(val))
                else:
                    raise DecodeError(loc, f"bad value '{val}' for {member}")
            else:
                raise DecodeError(loc, f"cannot parse '{t}' in {obj.name}")
        if pos != 0:
            raise DecodeError(loc, f'{obj.name} has {32 - pos} bits, '
                                   f'expected 32')
        if fmt is not None:
            self.merge_format(obj, fmt)
        if is_pattern:
            self.resolve_pattern(obj)

    def merge_format(self, pat, fmt):
        loc = pat.loc
        clash = pat.mask & fmt.mask & (pat.value ^ fmt.value)
        if clash:
            bit = clash.bit_length() - 1
            raise DecodeError(loc, f'bit {bit} of {pat.name} contradicts '
                                   f'format @{fmt.name} ({fmt.loc})')
        pat.mask |= fmt.mask
        pat.value |= fmt.value
        pat.ignore |= fmt.ignore & ~pat.mask
        merged = dict(fmt.assigns)
        for member, val in pat.assigns.items():
            if member in merged:
                raise DecodeError(loc, f'{member} is already set by format '
                                       f'@{fmt.name}')
            merged[member] = val
        pat.assigns = merged
        if pat.argset is None:
            pat.argset = fmt.argset

    def resolve_pattern(self, pat):
        loc = pat.loc
        covered = pat.mask | pat.ignore
        for val in pat.assigns.values():
            if isinstance(val, Field):
                covered |= val.mask()
        if covered != FULL:
            bit = (~covered & FULL).bit_length() - 1
            raise DecodeError(loc, f"bit {bit} of {pat.name} is neither "
                                   f"fixed, in a field, nor marked '-'")
        if pat.argset is not None:
            aset = pat.argset
            names = [m for m, _ in aset.members]
            for member in pat.assigns:
                if member not in names:
                    raise DecodeError(loc, f'argument set &{aset.name} has '
                                           f'no member {member}')
            for member, ctype in aset.members:
                if member not in pat.assigns:
                    raise DecodeError(loc, f'{pat.name} leaves member '
                                           f'{member} of &{aset.name} unset')
                val = pat.assigns[member]
                if isinstance(val, Field) and val.ctype != ctype:
                    raise DecodeError(loc, f'field {val.name} is {val.ctype} '
                                           f'but member {member} of '
                                           f'&{aset.name} is {ctype}')
            pat.struct = aset
        else:
            members = []
            for member, val in pat.assigns.items():
                ctype = val.ctype if isinstance(val, Field) else 'int'
                members.append((member, ctype))
            pat.struct = ArgSet(pat.name, members, loc, implicit=True)

    # ---- whole-table checks ---------------------------------------------

    def check(self):
        by_name = {}
        for p in self.patterns:
            first = by_name.get(p.name)
            if first is None:
                by_name[p.name] = p
                continue
            if first.struct.signature() != p.struct.signature() or \
                    first.struct.implicit != p.struct.implicit or \
                    (not p.struct.implicit and
                     first.struct.name != p.struct.name):
                self.errors.append(str(DecodeError(
                    p.loc, f'{p.name} takes other arguments than its first '
                           f'definition at {first.loc}')))
        for name, first in by_name.items():
            aset = self.argsets.get(name)
            if aset is not None and first.struct is not aset:
                self.errors.append(str(DecodeError(
                    first.loc, f'arg_{name} would be both pattern {name}\'s '
                               f'arguments and argument set &{name} '
                               f'({aset.loc})')))
        self.n_groups = 0
        self.assign_groups(self.root, -1)
        self.check_disjoint(self.root)

    def assign_groups(self, group, gid):
        for item in group.items:
            if isinstance(item, Pattern):
                item.group = gid
            else:
                sub = gid
                if item.kind == '{' and gid < 0:
                    sub = self.n_groups
                    self.n_groups += 1
                self.assign_groups(item, sub)

    def check_disjoint(self, group):
        """Pairwise overlap check of a disjoint context, then recurse."""
        items = flatten(group.items)
        covers = [cover(it) for it in items]
        keys = [node_key(it) for it in items]
        for j in range(len(items)):
            mj, vj = keys[j]
            for i in range(j):
                mi, vi = keys[i]
                if (vi ^ vj) & mi & mj:
                    continue
                hit = first_overlap(covers[i], covers[j])
                if hit:
                    a, b = hit
                    word = a.value | b.value
                    self.errors.append(str(DecodeError(
                        b.loc, f'{b.name} overlaps {a.name} ({a.loc}) outside '
                               f'an overlap group, e.g. 0x{word:08x}')))
        for it in items:
            if isinstance(it, Group):
                for member in it.items:
                    if isinstance(member, Group):
                        self.check_nested(member)

    def check_nested(self, group):
        if group.kind == '[':
            self.check_disjoint(group)
        else:
            for member in group.items:
                if isinstance(member, Group):
                    self.check_nested(member)


def flatten(items):
    """Disjoint groups inside a disjoint context add nothing: inline them."""
    out = []
    for it in items:
        if isinstance(it, Group) and it.kind == '[':
            out.extend(flatten(it.items))
        else:
            out.append(it)
    return out


def cover(node):
    if isinstance(node, Pattern):
        return [node]
    out = []
    for it in node.items:
        out.extend(cover(it))
    return out


def first_overlap(ca, cb):
    for a in ca:
        for b in cb:
            if not ((a.value ^ b.value) & a.mask & b.mask):
                return a, b
    return None


def node_key(node):
    """Bits every encoding the node accepts has, as (mask, value)."""
    if isinstance(node, Pattern):
        return node.mask, node.value
    keys = [node_key(it) for it in node.items]
    mask, value = keys[0]
    for m, v in keys[1:]:
        mask &= m & ~(v ^ value)
    return mask, value & mask


# ---- C generation ---------------------------------------------------------

def bit_runs(mask):
    """Contiguous runs of set bits, most significant first, as (pos, len)."""
    runs = []
    pos = 31
    while pos >= 0:
        if mask >> pos & 1:
            top = pos
            while pos >= 0 and mask >> pos & 1:
                pos -= 1
            runs.append((pos + 1, top - pos))
        else:
            pos -= 1
    return runs


def pack(value, runs):
    out = 0
    for pos, length in runs:
        out = (out << length) | ((value >> pos) & ((1 << length) - 1))
    return out


def switch_expr(runs):
    parts = []
    shift = sum(length for _, length in runs)
    for pos, length in runs:
        shift -= length
        e = f'(insn >> {pos}) & 0x{(1 << length) - 1:x}' if pos else \
            f'insn & 0x{(1 << length) - 1:x}'
        parts.append(f'(({e}) << {shift})' if shift else f'({e})')
    return ' | '.join(parts)


class Emitter:
    def __init__(self, table, prefix, source_name):
        self.t = table
        self.prefix = prefix
        self.source = source_name
        self.out = []

    def w(self, level, text=''):
        self.out.append(('    ' * level + text) if text else '')

    def field_raw(self, f):
        if len(f.parts) == 1:
            pos, length = f.parts[0]
            e = f'decodegen_ex(insn, {pos}, {length})'
        else:
            pieces = []
            rest = f.width()
            for pos, length in f.parts:
                rest -= length
                ex = f'decodegen_ex(insn, {pos}, {length})'
                pieces.append(f'({ex} << {rest})' if rest else ex)
            e = '(' + ' | '.join(pieces) + ')'
        if f.signed:
            e = f'decodegen_sext({e}, {f.width()})'
        else:
            e = f'(int32_t){e}'
        if f.shift:
            # Widen first so that e.g. a page offset cannot overflow int.
            wide = f.ctype in ('int64_t', 'uint64_t')
            e = f'((int64_t){e} * {1 << f.shift})' if wide else \
                f'({e} * {1 << f.shift})'
        if f.func:
            e = f'{f.func}(s, {e})'
        return e

    def value_expr(self, val):
        if isinstance(val, Field):
            if val.named:
                return f'decode_{self.prefix}_field_{val.name}(s, insn)'
            return self.field_raw(val)
        return str(val)

    def emit(self):
        t = self.t
        P = self.prefix
        w = self.w
        w(0, '/* SPDX-License-Identifier: GPL-2.0-or-later */')
        w(0, f'/* Generated by scripts/decodegen.py from {self.source}; '
             f'do not edit. */')
        w(0)
        w(0, '#include <stdbool.h>')
        w(0, '#include <stddef.h>')
        w(0, '#include <stdint.h>')
        w(0, '#include <stdio.h>')
        w(0)
        w(0, '#ifndef DECODEGEN_HELPERS_DEFINED')
        w(0, '#define DECODEGEN_HELPERS_DEFINED')
        w(0, 'static inline uint32_t decodegen_ex(uint32_t insn, unsigned pos, '
             'unsigned len)')
        w(0, '{')
        w(1, 'return (insn >> pos) & (len >= 32 ? 0xffffffffu : '
             '((1u << len) - 1));')
        w(0, '}')
        w(0)
        w(0, 'static inline int32_t decodegen_sext(uint32_t x, unsigned len)')
        w(0, '{')
        w(1, 'return (int32_t)(x << (32 - len)) >> (32 - len);')
        w(0, '}')
        w(0)
        w(0, 'typedef struct DecodegenPatternInfo {')
        w(1, 'uint32_t mask;')
        w(1, 'uint32_t value;')
        w(1, 'const char *name;')
        w(1, 'const char *where;')
        w(1, 'int group;       /* outermost overlap group, -1 if none */')
        w(0, '} DecodegenPatternInfo;')
        w(0, '#endif')
        w(0)

        # Argument structs: explicit sets first, then per-pattern ones.
        used_sets = []
        for p in t.patterns:
            if not p.struct.implicit and p.struct not in used_sets:
                used_sets.append(p.struct)
        for aset in t.argsets.values():
            if aset not in used_sets:
                used_sets.append(aset)
        for aset in used_sets:
            self.emit_struct(aset.name, aset.members)
        names = []
        first = {}
        for p in t.patterns:
            if p.name not in first:
                first[p.name] = p
                names.append(p.name)
        for n in names:
            s = first[n].struct
            if s.implicit:
                self.emit_struct(n, s.members)
            elif s.name != n:
                w(0, f'typedef arg_{s.name} arg_{n};')
        w(0)
        for n in names:
            w(0, f'static bool trans_{n}(DisasContext *s, arg_{n} *a);')
        w(0)
        w(0, f'/* Every trans function, for X-macro users (stubs, tables). */')
        w(0, f'#define DECODE_{P.upper()}_TRANS_LIST(X) \\')
        for n in names:
            w(1, f'X({n}) \\')
        w(0)
        w(0)

        for f in t.fields.values():
            w(0, f'static inline {f.ctype} decode_{P}_field_{f.name}'
                 f'(DisasContext *s, uint32_t insn)')
            w(0, '{')
            w(1, '(void)s;')
            w(1, f'return {self.field_raw(f)};')
            w(0, '}')
            w(0)

        w(0, f'static bool decode_{P}(DisasContext *s, uint32_t insn)')
        w(0, '{')
        self.emit_disjoint(flatten(t.root.items), 0, 1)
        w(1, 'return false;')
        w(0, '}')
        w(0)
        self.emit_debug(names, first)
        return '\n'.join(self.out) + '\n'

    def emit_struct(self, name, members):
        self.w(0, 'typedef struct {')
        for m, ctype in members:
            self.w(1, f'{ctype} {m};')
        self.w(0, f'}} arg_{name};')
        self.w(0)

    def emit_debug(self, names, first):
        """Tables for tests and tools; compiled only on request."""
        P = self.prefix
        w = self.w
        w(0, '#ifdef DECODEGEN_DEBUG')
        w(0, f'static const DecodegenPatternInfo decode_{P}_patterns[] = {{')
        for p in self.t.patterns:
            w(1, f'{{ 0x{p.mask:08x}, 0x{p.value:08x}, "{p.name}", '
                 f'"{p.loc}", {p.group} }},')
        w(0, '};')
        w(0, f'#define DECODE_{P.upper()}_N_PATTERNS {len(self.t.patterns)}')
        w(0)
        for n in names:
            members = first[n].struct.members
            fmt = []
            args = []
            for m, ctype in members:
                if ctype.startswith('uint64') or ctype.startswith('uint32'):
                    fmt.append(f'{m}=0x%llx')
                    args.append(f'(unsigned long long)a->{m}')
                else:
                    fmt.append(f'{m}=%lld')
                    args.append(f'(long long)a->{m}')
            w(0, f'static inline int decode_{P}_describe_{n}'
                 f'(const arg_{n} *a, char *buf, size_t len)')
            w(0, '{')
            if members:
                w(1, f'return snprintf(buf, len, "{" ".join(fmt)}", '
                     f'{", ".join(args)});')
            else:
                w(1, '(void)a;')
                w(1, 'return snprintf(buf, len, "%s", "");')
            w(0, '}')
            w(0)
        w(0, '#endif')

    # Decision tree.  Every emitted fragment either returns true (a trans
    # function accepted the instruction) or falls through, so fragments can
    # be sequenced freely inside overlap groups.

    def emit_disjoint(self, items, tested, lvl):
        if not items:
            return
        if len(items) == 1:
            self.emit_node(items[0], tested, lvl)
            return
        keys = [node_key(it) for it in items]
        rem = [m & ~tested for m, _ in keys]
        best, best_n = -1, 0
        for bit in range(31, -1, -1):
            n = sum(1 for r in rem if r >> bit & 1)
            if n > best_n:
                best, best_n = bit, n
        if best_n == 0:
            # Nothing left to switch on (e.g. overlap groups without common
            # bits): the members test their own bits, one after another.
            for it in items:
                self.emit_node(it, tested, lvl)
            return
        sel = FULL
        for r in rem:
            if r >> best & 1:
                sel &= r
        runs = bit_runs(sel)
        full_vals = []
        for (m, v), r in zip(keys, rem):
            if r & sel == sel and (v & sel) not in full_vals:
                full_vals.append(v & sel)
        full_vals.sort(key=lambda v: pack(v, runs))
        cases = {v: [] for v in full_vals}
        default = []
        for it, (m, v), r in zip(items, keys, rem):
            part = r & sel
            if part == sel:
                cases[v & sel].append(it)
                continue
            default.append(it)
            for cv in full_vals:
                if not ((cv ^ v) & part):
                    cases[cv].append(it)
        self.w(lvl, f'switch ({switch_expr(runs)}) {{   '
                    f'/* insn & 0x{sel:08x} */')
        for cv in full_vals:
            members = cases[cv]
            label = ' '.join(sorted({n.name for n in cover_all(members)}))
            if len(label) > 60:
                label = label[:57] + '...'
            self.w(lvl, f'case 0x{pack(cv, runs):x}:   /* {label} */')
            self.emit_disjoint(members, tested | sel, lvl + 1)
            self.w(lvl + 1, 'break;')
        if default:
            self.w(lvl, 'default:')
            self.emit_disjoint(default, tested, lvl + 1)
            self.w(lvl + 1, 'break;')
        self.w(lvl, '}')

    def emit_node(self, node, tested, lvl):
        mask, value = node_key(node)
        rem = mask & ~tested
        if rem:
            self.w(lvl, f'if ((insn & 0x{rem:08x}) == 0x{value & rem:08x}) {{')
        else:
            self.w(lvl, '{')
        inner = tested | mask
        if isinstance(node, Pattern):
            self.emit_call(node, lvl + 1)
        else:
            for member in node.items:
                if isinstance(member, Group) and member.kind == '[':
                    self.emit_disjoint(flatten(member.items), inner, lvl + 1)
                else:
                    self.emit_node(member, inner, lvl + 1)
        self.w(lvl, '}')

    def emit_call(self, pat, lvl):
        self.w(lvl, f'/* {pat.loc} */')
        self.w(lvl, f'arg_{pat.name} a;')
        for member, _ in pat.struct.members:
            self.w(lvl, f'a.{member} = {self.value_expr(pat.assigns[member])};')
        self.w(lvl, f'if (trans_{pat.name}(s, &a)) {{')
        self.w(lvl + 1, 'return true;')
        self.w(lvl, '}')


def cover_all(nodes):
    out = []
    for n in nodes:
        out.extend(cover(n))
    return out


def default_prefix(path):
    base = os.path.basename(path)
    if base.endswith('.decode'):
        base = base[:-len('.decode')]
    return re.sub(r'[^A-Za-z0-9_]', '_', base)


def load(path):
    table = Table(path)
    try:
        with open(path, encoding='utf-8') as fh:
            text = fh.read()
    except OSError as e:
        table.errors.append(f'{path}: error: {e.strerror}')
        return table
    table.parse(text)
    if not table.errors:
        table.check()
    return table


def main(argv=None):
    ap = argparse.ArgumentParser(
        description='Generate a C instruction decoder from a .decode table.')
    ap.add_argument('input', help='the .decode file')
    ap.add_argument('-o', '--output', help='C file to write (.c.inc)')
    ap.add_argument('--prefix', help='names decode_PREFIX (default: from '
                                     'the file name)')
    ap.add_argument('--check', action='store_true',
                    help='validate the table, write nothing')
    args = ap.parse_args(argv)
    if not args.check and not args.output:
        ap.error('-o OUTPUT is required unless --check is given')
    prefix = args.prefix or default_prefix(args.input)
    if not IDENT_RE.match(prefix):
        ap.error(f"bad prefix '{prefix}'")

    table = load(args.input)
    if table.errors:
        for e in table.errors:
            print(e, file=sys.stderr)
        return 1
    text = Emitter(table, prefix, os.path.basename(args.input)).emit()
    if args.check:
        return 0
    outdir = os.path.dirname(os.path.abspath(args.output))
    fd, tmp = tempfile.mkstemp(dir=outdir, prefix='.decodegen-')
    try:
        with os.fdopen(fd, 'w', encoding='utf-8') as fh:
            fh.write(text)
        os.replace(tmp, args.output)
    except OSError as e:
        os.unlink(tmp)
        print(f'{args.output}: error: {e.strerror}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
