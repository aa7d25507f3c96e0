#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Differential tester for AArch64 translators (see docs/difftest.md).

For each instruction class it generates seeded random sequences, builds them
into two images with the same runtime core (a static Linux ELF for
qemu-aarch64, the reference, and a bare-metal ELF for the virt board), runs
both, and compares a hash of the complete register and scratch-memory state
after every sequence. A mismatch is rebuilt alone in verbose mode and
reported with its seed, class, index, disassembly, initial state and the
registers that differ. Output is TAP, one line per class.

  difftest.py [--classes a,b] [--seed S] [--count N] [--target qemu-system|tern]
  difftest.py --soak [--duration SECONDS]     # new seeds until stopped
  difftest.py --show INDEX --classes C --seed S   # one sequence in full
"""

import argparse
import concurrent.futures
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True         # no __pycache__ in the source tree

import gen_core                 # noqa: E402
import gen_int                  # noqa: E402,F401
import gen_mem                  # noqa: E402,F401
import gen_fp                   # noqa: E402,F401
import gen_simd                 # noqa: E402,F401

CROSS = 'aarch64-linux-gnu-'
CFLAGS = ['-O2', '-ffreestanding', '-nostdlib', '-static', '-fno-pie',
          '-fno-stack-protector', '-fno-asynchronous-unwind-tables',
          '-fno-tree-loop-distribute-patterns', '-mstrict-align',
          '-mgeneral-regs-only', '-mno-outline-atomics', '-Wall', '-Wextra',
          '-Werror', '-I', HERE]
REF_NAME = 'qemu-aarch64'
MAX_REPORTS = 3             # verbose reports per class and run


class Setup:
    """Tools, paths and options shared by every job (picklable)."""

    def __init__(self, args, workdir):
        self.workdir = workdir
        self.ref = args.qemu_user
        self.target = args.target
        self.sys = args.tern if args.target == 'tern' else args.qemu_system
        self.sys_name = 'tern' if args.target == 'tern' else 'qemu-system'
        self.timeout = args.timeout
        self.keep = args.keep
        self.semihosting = True
        self.expect_mismatch = args.expect_mismatch

    def ref_cmd(self, elf):
        return [self.ref, '-cpu', 'max', elf]

    def sys_cmd(self, elf):
        return ([self.sys, '-M', 'virt', '-cpu', 'max', '-nographic'] +
                (['-semihosting'] if self.semihosting else []) + ['-kernel', elf])


def run(cmd, timeout=120, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          stdin=subprocess.DEVNULL, timeout=timeout, **kw)


def check(cmd):
    p = run(cmd)
    if p.returncode != 0:
        raise RuntimeError('%s failed:\n%s%s' % (' '.join(cmd), p.stdout.decode(errors='replace'),
                                                  p.stderr.decode(errors='replace')))
    return p


def build_runtime(workdir):
    """Compile the two runtimes once; returns (linux objects, bare objects)."""
    rt = os.path.join(workdir, 'rt')
    os.makedirs(rt, exist_ok=True)
    objs = {}
    for src in ['core.c', 'seqrun.S', 'plat-linux.c', 'plat-bare.c', 'plat-bare.S']:
        obj = os.path.join(rt, src.replace('.', '_') + '.o')
        check([CROSS + 'gcc'] + CFLAGS + ['-c', os.path.join(HERE, src), '-o', obj])
        objs[src] = obj
    common = [objs['core.c'], objs['seqrun.S']]
    return (common + [objs['plat-linux.c']],
            common + [objs['plat-bare.c'], objs['plat-bare.S']])


def build_images(setup, rt, name, asm):
    """Assemble one seq.S and link both images; returns (dir, linux, bare)."""
    d = os.path.join(setup.workdir, name)
    os.makedirs(d, exist_ok=True)
    src = os.path.join(d, 'seq.S')
    with open(src, 'w') as f:
        f.write(asm)
    obj = os.path.join(d, 'seq.o')
    check([CROSS + 'as', '--fatal-warnings', '-march=' + gen_core.AS_MARCH, src, '-o', obj])
    ld = os.path.join(HERE, 'link.ld')
    linux = os.path.join(d, 'linux.elf')
    bare = os.path.join(d, 'bare.elf')
    for out, objs in ((linux, rt[0]), (bare, rt[1])):
        check([CROSS + 'ld', '-static', '-nostdlib', '--no-warn-rwx-segments', '-T', ld,
               '-o', out] + objs + [obj])
    return d, linux, bare


def run_image(cmd, timeout):
    """Run one emulator; returns (status, stdout, stderr).

    The guest's last line is "END" (or an EXCEPTION report); an emulator
    that cannot power off (no semihosting, no PSCI) gets two seconds after
    it and is then stopped, so it costs no more than that.
    """
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         stdin=subprocess.DEVNULL)
    out, err = [], []
    done = threading.Event()

    def pump_out():
        for line in p.stdout:
            out.append(line)
            if line.rstrip(b'\r\n') == b'END' or line.startswith(b'EXCEPTION'):
                done.set()
        done.set()

    def pump_err():
        for line in p.stderr:
            err.append(line)

    threads = [threading.Thread(target=pump_out), threading.Thread(target=pump_err)]
    for t in threads:
        t.start()
    status = None
    if done.wait(timeout):
        try:
            status = p.wait(2)
        except subprocess.TimeoutExpired:
            status = 'stopped after END'
    else:
        status = 'timeout after %ds' % timeout
    if p.poll() is None:
        p.kill()
        p.wait()
    for t in threads:
        t.join()
    return (status, b''.join(out).decode(errors='replace'),
            b''.join(err).decode(errors='replace'))


def run_pair(setup, linux, bare):
    """Run both images at once; returns ((rc, out, err), (rc, out, err))."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as ex:
        ref = ex.submit(run_image, setup.ref_cmd(linux), setup.timeout)
        sysr = ex.submit(run_image, setup.sys_cmd(bare), setup.timeout)
        return ref.result(), sysr.result()


def parse_hashes(out):
    """{index: hash}, whether END was seen, and any exception line."""
    hashes = {}
    end = False
    exc = None
    for line in out.replace('\r', '').split('\n'):
        if line.startswith('H '):
            parts = line.split()
            if len(parts) == 3:
                hashes[int(parts[1])] = parts[2]
        elif line == 'END':
            end = True
        elif line.startswith('EXCEPTION'):
            exc = line
    return hashes, end, exc


def parse_dump(out):
    """{name: value} of the out-state of a verbose run, and the in-state."""
    ins, outs = {}, {}
    for line in out.replace('\r', '').split('\n'):
        parts = line.split()
        if len(parts) != 2 or '.' not in parts[0]:
            continue
        side, name = parts[0].split('.', 1)
        if side == 'in':
            ins[name] = parts[1]
        elif side == 'out':
            outs[name] = parts[1]
    return ins, outs


def describe_run(name, res):
    rc, out, err = res
    lines = ['%s: exit %s' % (name, rc)]
    for line in (out.replace('\r', '').split('\n')[-3:] + err.split('\n')[-3:]):
        if line.strip():
            lines.append('%s:   %s' % (name, line.strip()))
    return lines


def disassemble(d):
    p = run([CROSS + 'objdump', '-d', '-j', '.seqtext', os.path.join(d, 'seq.o')])
    lines = []
    for line in p.stdout.decode(errors='replace').split('\n'):
        if line.startswith(' ') and ':' in line:
            lines.append(line.strip().replace('\t', '  '))
    return lines


def report_case(setup, rt, cls, seed, index):
    """Rebuild sequence `index` alone in verbose mode and describe it."""
    asm = gen_core.gen_asm(gen_core.CLASSES[cls], seed, [index], verbose=True)
    d, linux, bare = build_images(setup, rt, 'case-%s-%d' % (cls, index), asm)
    ref, sysr = run_pair(setup, linux, bare)
    ins, ref_out = parse_dump(ref[1])
    _, sys_out = parse_dump(sysr[1])
    lines = ['case: class=%s seed=%s index=%d' % (cls, seed, index),
             'reproduce: %s --classes %s --seed %s --show %d%s' % (
                 os.path.relpath(__file__), cls, seed, index,
                 ' --target tern --tern %s' % setup.sys if setup.target == 'tern' else ''),
             'sequence:']
    lines += ['  ' + x for x in disassemble(d)]
    diffs = []
    for k in ref_out.keys() | sys_out.keys():
        a, b = ref_out.get(k, '-'), sys_out.get(k, '-')
        if a != b:
            diffs.append((k, a, b))
    if not ref_out or not sys_out:
        lines.append('one side did not finish the sequence:')
        lines += ['  ' + x for x in describe_run(REF_NAME, ref) + describe_run(setup.sys_name, sysr)]
    elif diffs:
        lines.append('differences (%s, then %s; mem+OFF is 16 bytes at x28+OFF):'
                     % (REF_NAME, setup.sys_name))
        order = {k: i for i, k in enumerate(ins.keys())}
        for k, a, b in sorted(diffs, key=lambda x: order.get(x[0], 999)):
            lines.append('  %-10s %s  %s' % (k, a, b))
    else:
        lines.append('no difference when run alone (depends on the preceding sequences?)')
    scalars = ['%s=%s' % (k, v) for k, v in ins.items() if k[0] not in 'mv']
    vectors = ['%s=%s' % (k, v) for k, v in ins.items() if k[0] == 'v']
    lines.append('initial state (the scratch memory comes from the same seed):')
    for i in range(0, len(scalars), 4):
        lines.append('  ' + '  '.join(scalars[i:i + 4]))
    for i in range(0, len(vectors), 3):
        lines.append('  ' + '  '.join(vectors[i:i + 3]))
    if not setup.keep:
        shutil.rmtree(d, ignore_errors=True)
    return lines


def run_class(setup, rt, cls, seed, count):
    """One batch: returns (ok, count, diagnostic lines, seconds)."""
    t0 = time.monotonic()
    name = '%s-%s' % (cls, seed)
    asm = gen_core.gen_asm(gen_core.CLASSES[cls], seed, range(count))
    d, linux, bare = build_images(setup, rt, name, asm)
    ref, sysr = run_pair(setup, linux, bare)
    rh, rend, rexc = parse_hashes(ref[1])
    sh, send, sexc = parse_hashes(sysr[1])
    diag = []
    bad = []
    for i in range(count):
        if i not in rh or i not in sh:
            who = REF_NAME if i not in rh else setup.sys_name
            diag.append('%s stopped at sequence %d of %d' % (who, i, count))
            diag += describe_run(REF_NAME, ref) + describe_run(setup.sys_name, sysr)
            bad.append(i)
            break
        if rh[i] != sh[i]:
            bad.append(i)
    if not bad and not (rend and send):
        diag.append('missing END line')
        diag += describe_run(REF_NAME, ref) + describe_run(setup.sys_name, sysr)
    ok = not bad and not diag
    if setup.expect_mismatch:
        # Self-test of the harness: the class must differ, and the report
        # of the first difference must name registers or memory.
        ok = bool(bad) and all(i in rh and i in sh for i in range(count))
    if bad:
        diag.append('%d sequence(s) differ; first: %s' % (len(bad), ' '.join(map(str, bad[:10]))))
        for i in bad[:MAX_REPORTS]:
            case = report_case(setup, rt, cls, seed, i)
            if setup.expect_mismatch and not any(x.startswith('differences') for x in case):
                ok = False
            diag += case
    if not setup.keep:
        shutil.rmtree(d, ignore_errors=True)
    return ok, count, diag, time.monotonic() - t0


def probe(setup, rt):
    """Can the system side run a bare-metal image at all? (ok, why not)

    Tried with -semihosting first, then without: the image powers off
    through PSCI when semihosting is missing, and the runner stops the
    emulator after the END line when neither works.
    """
    asm = gen_core.gen_asm(gen_core.CLASSES['alu'], 0, [])
    _, _, bare = build_images(setup, rt, 'probe', asm)
    why = ''
    for semihosting in (True, False):
        setup.semihosting = semihosting
        try:
            status, out, err = run_image(setup.sys_cmd(bare), min(setup.timeout, 20))
        except OSError as e:
            return False, str(e)
        if 'DIFFTEST 0' in out and 'END' in out:
            return True, ''
        why = why or (err.strip().split('\n') or [''])[0] or 'exit %s, no output' % status
    return False, why


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--classes', help='comma-separated classes (default: all)')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--count', type=int, default=2000, help='sequences per class')
    ap.add_argument('--target', choices=['qemu-system', 'tern'], default='qemu-system')
    ap.add_argument('--tern', default='tern', help='path to tern')
    ap.add_argument('--qemu-user', default='qemu-aarch64')
    ap.add_argument('--qemu-system', default='qemu-system-aarch64')
    ap.add_argument('--jobs', type=int, default=os.cpu_count() or 2)
    ap.add_argument('--timeout', type=int, default=60, help='seconds per emulator run')
    ap.add_argument('--workdir', help='keep build products here')
    ap.add_argument('--keep', action='store_true', help='keep the generated images')
    ap.add_argument('--soak', action='store_true', help='new seeds until stopped')
    ap.add_argument('--duration', type=float, default=0, help='soak: stop after SECONDS')
    ap.add_argument('--show', type=int, metavar='INDEX', help='report one sequence in full')
    ap.add_argument('--list', action='store_true', help='list the classes')
    ap.add_argument('--expect-mismatch', action='store_true',
                    help='harness self-test: a class passes only if its sequences differ')
    ap.add_argument('--asm', action='store_true', help='print the generated assembly and stop')
    args = ap.parse_args()

    if args.list:
        for c in gen_core.CLASSES.values():
            print('%-10s %s%s' % (c.name, c.desc, ' (not run by default)' if c.hidden else ''))
        return 0
    classes = (args.classes.split(',') if args.classes else
               [c.name for c in gen_core.CLASSES.values() if not c.hidden])
    for c in classes:
        if c not in gen_core.CLASSES:
            print('difftest: unknown class %s (see --list)' % c, file=sys.stderr)
            return 2
    if args.asm:
        for c in classes:
            sys.stdout.write(gen_core.gen_asm(gen_core.CLASSES[c], args.seed, range(args.count)))
        return 0

    missing = [t for t in (CROSS + 'gcc', CROSS + 'as', CROSS + 'ld', args.qemu_user)
               if not shutil.which(t)]
    if missing:
        print('1..0 # SKIP missing %s' % ', '.join(missing))
        return 0
    if args.target == 'qemu-system' and not shutil.which(args.qemu_system):
        print('1..0 # SKIP missing %s' % args.qemu_system)
        return 0

    if os.sep in args.tern:
        args.tern = os.path.abspath(args.tern)
    workdir = args.workdir or tempfile.mkdtemp(prefix='difftest-')
    os.makedirs(workdir, exist_ok=True)
    setup = Setup(args, workdir)
    try:
        rt = build_runtime(workdir)
        if args.target == 'tern':
            ok, why = probe(setup, rt)
            if not ok:
                print('1..0 # SKIP Tern cannot run AArch64 yet (%s: %s)' % (args.tern, why))
                return 0
        if args.show is not None:
            for line in report_case(setup, rt, classes[0], args.seed, args.show):
                print(line)
            return 0
        if args.soak:
            return soak(setup, rt, classes, args)
        return tap_run(setup, rt, classes, args)
    finally:
        if not args.workdir and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def tap_run(setup, rt, classes, args):
    t0 = time.monotonic()
    print('1..%d' % len(classes), flush=True)
    failed = 0
    with concurrent.futures.ProcessPoolExecutor(max_workers=args.jobs) as ex:
        futs = [ex.submit(run_class, setup, rt, c, args.seed, args.count) for c in classes]
        for n, (c, f) in enumerate(zip(classes, futs), 1):
            try:
                ok, count, diag, secs = f.result()
            except Exception as e:      # a build failure is a generator bug
                ok, count, diag, secs = False, 0, str(e).split('\n'), 0
            print('%s %d - %s: %d sequences, seed %d (%.1fs)' % (
                'ok' if ok else 'not ok', n, c, count, args.seed, secs))
            for line in diag:
                print('# ' + line)
            sys.stdout.flush()
            failed += not ok
    print('# %d classes, %d sequences each, %.1fs, %s vs %s' % (
        len(classes), args.count, time.monotonic() - t0, REF_NAME, setup.sys_name))
    return 1 if failed else 0


def soak(setup, rt, classes, args):
    """Batches of --count sequences, every class, a new seed each round."""
    t0 = time.monotonic()
    seed = args.seed
    total = 0
    mismatches = 0
    with concurrent.futures.ProcessPoolExecutor(max_workers=args.jobs) as ex:
        try:
            while not args.duration or time.monotonic() - t0 < args.duration:
                futs = [(c, ex.submit(run_class, setup, rt, c, seed, args.count))
                        for c in classes]
                for c, f in futs:
                    try:
                        ok, count, diag, _ = f.result()
                    except Exception as e:
                        ok, count, diag = False, 0, str(e).split('\n')
                    total += count
                    if not ok:
                        mismatches += 1
                        print('MISMATCH class %s seed %d' % (c, seed))
                        for line in diag:
                            print('  ' + line)
                print('soak: seed %d done, %d sequences, %d failing batches, %.0fs'
                      % (seed, total, mismatches, time.monotonic() - t0), flush=True)
                seed += 1
        except KeyboardInterrupt:
            pass
    return 1 if mismatches else 0


if __name__ == '__main__':
    sys.exit(main())
