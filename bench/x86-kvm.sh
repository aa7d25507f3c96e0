#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Tern against Debian's qemu-system-x86_64, both with -accel kvm on the
# same command line: time from start to the first console milestone, time
# to exit, and the peak RSS of the VMM process. Prints one table with the
# medians of N runs and the Tern/QEMU ratios.
#
#  - hosts with vmx/svm: Debian's cloud kernel and the busybox initramfs
#    (scripts/guest-images.sh), -m 512 -smp 2; milestone = "TERN-READY",
#    exit = tern.run=poweroff
#  - other hosts (e.g. PVM, where a stock kernel does not boot): the
#    in-tree Multiboot test kernel hello.elf with isa-debug-exit;
#    milestone = the first byte on COM1, exit = its debug-exit
#
# Usage: bench/x86-kvm.sh BUILD_DIR [RUNS]   (QEMU=path overrides qemu)

set -eu

BUILD=${1:?usage: bench/x86-kvm.sh BUILD_DIR [RUNS]}
RUNS=${2:-5}
TERN=$BUILD/tern
QEMU=${QEMU:-qemu-system-x86_64}
SRC=$(cd "$(dirname "$0")/.." && pwd)

[ -x "$TERN" ] || { echo "bench: $TERN not built" >&2; exit 1; }
command -v "$QEMU" >/dev/null || { echo "bench: $QEMU not found" >&2; exit 1; }
[ -w /dev/kvm ] || { echo "bench: /dev/kvm not usable" >&2; exit 1; }

if grep -qw -E 'vmx|svm' /proc/cpuinfo; then
    eval "$("$SRC/scripts/guest-images.sh" amd64)"
    MODE=linux
    MILESTONE=TERN-READY
    ARGS=(-M pc -accel kvm -m 512 -smp 2 -nographic -kernel "$KERNEL" -initrd "$INITRD"
          -append "console=ttyS0 tern.run=poweroff")
    WANT=0
else
    MODE=multiboot
    MILESTONE=""
    ARGS=(-M pc -accel kvm -m 128 -display none -serial stdio
          -device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$BUILD/tests/x86/hello.elf")
    WANT=85
fi

python3 - "$MODE" "$MILESTONE" "$WANT" "$RUNS" "$TERN" "$QEMU" "${ARGS[@]}" <<'PY'
import os, select, statistics, subprocess, sys, time

mode, milestone, want, runs, tern, qemu = sys.argv[1:7]
args = sys.argv[7:]
want, runs = int(want), int(runs)

def one(binary):
    """(seconds to milestone, seconds to exit, peak RSS KiB) of one run."""
    t0 = time.monotonic()
    p = subprocess.Popen([binary] + args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    out, first = b"", None
    while True:
        r, _, _ = select.select([p.stdout], [], [], 120)
        if not r:
            p.kill()
            raise SystemExit("bench: %s timed out" % binary)
        data = os.read(p.stdout.fileno(), 65536)
        if not data:
            break
        out += data
        if first is None and (milestone.encode() in out if milestone else out):
            first = time.monotonic() - t0
    _, status, ru = os.wait4(p.pid, 0)
    total = time.monotonic() - t0
    rc = os.waitstatus_to_exitcode(status)
    if rc != want or first is None:
        raise SystemExit("bench: %s exited with %d (want %d)" % (binary, rc, want))
    return first, total, ru.ru_maxrss

results = {}
for name, binary in (("tern", tern), ("qemu", qemu)):
    samples = [one(binary) for _ in range(runs)]
    results[name] = [statistics.median(s[i] for s in samples) for i in range(3)]

first = "to TERN-READY" if mode == "linux" else "to first serial byte"
print("x86 KVM start-up, %s guest, median of %d runs" % (mode, runs))
print("%-32s %12s %12s %10s" % ("", "tern", "qemu", "tern/qemu"))
rows = (("time " + first + " (ms)", 0, 1000), ("time to exit (ms)", 1, 1000),
        ("peak RSS (MiB)", 2, 1 / 1024))
for label, i, scale in rows:
    t, q = results["tern"][i] * scale, results["qemu"][i] * scale
    print("%-32s %12.1f %12.1f %10.3f" % (label, t, q, t / q if q else float("nan")))
PY
