#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Tern against Debian's qemu-system-aarch64 on the same ARM Linux guest:
# Debian's arm64 cloud kernel and the busybox initramfs of
# scripts/guest-images.sh, `-M virt -cpu max -accel tcg -m 1G -smp 2`, the
# initramfs told to run the busybox workload list
# (tests/functional/guest/workload.sh) and power off. Measures, per
# emulator (median of RUNS runs):
#   - time from start to the shell's ready marker (TERN-READY)
#   - time of the workload list (ready marker to its WORKLOAD-DONE line)
#   - peak RSS of the emulator process (wait4's ru_maxrss)
# and prints a table with the ratios qemu/tern (above 1: Tern is faster or
# smaller). An emulator that does not boot, hangs past BOOT_TIMEOUT (default
# 300 s) or WORKLOAD_TIMEOUT (default 600 s), or exits with a status other
# than 0 gets "n/a" with the reason; its later runs are not tried.
#
# Usage: bench/arm-linux.sh [TERN [RUNS]]   (defaults: build/tern, 3)
#        QEMU=path overrides qemu-system-aarch64

set -eu

SRC=$(cd "$(dirname "$0")/.." && pwd)
TERN=${1:-$SRC/build/tern}
RUNS=${2:-3}
QEMU=${QEMU:-qemu-system-aarch64}

command -v "$QEMU" >/dev/null || { echo "bench: $QEMU not found" >&2; exit 1; }
IMAGES=$("$SRC/scripts/guest-images.sh" arm64) || { echo "bench: no arm64 guest images" >&2; exit 1; }
eval "$IMAGES"

python3 - "$RUNS" "${BOOT_TIMEOUT:-300}" "${WORKLOAD_TIMEOUT:-600}" "$TERN" "$QEMU" \
    "$KERNEL" "$INITRD" <<'PY'
import os, select, statistics, subprocess, sys, time

runs, boot_limit, work_limit = (int(v) for v in sys.argv[1:4])
tern, qemu, kernel, initrd = sys.argv[4:8]
args = ["-M", "virt", "-cpu", "max", "-accel", "tcg", "-m", "1G", "-smp", "2", "-nographic",
        "-kernel", kernel, "-initrd", initrd,
        "-append", 'console=ttyAMA0 quiet tern.cmds="tern-workload 42"']

def one(binary):
    """(s to ready, s of workload, peak RSS KiB, workload output) or a reason string."""
    t0 = time.monotonic()
    try:
        p = subprocess.Popen([binary] + args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT)
    except OSError as e:
        return "cannot start: %s" % e.strerror
    try:
        return watch(p, t0)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()

def watch(p, t0):
    out, ready, done, why = b"", None, None, None
    while True:
        now = time.monotonic()
        if ready is None and now - t0 > boot_limit:
            why = "no ready marker after %d s" % boot_limit
        elif ready is not None and done is None and now - t0 - ready > work_limit:
            why = "workload not done after %d s" % work_limit
        elif done is not None and now - t0 - ready - done > 60:
            why = "no power-off 60 s after the workload"
        if why:
            p.kill()
            break
        r, _, _ = select.select([p.stdout], [], [], 1.0)
        if not r:
            continue
        data = os.read(p.stdout.fileno(), 65536)
        if not data:
            break
        out += data
        if ready is None and b"TERN-READY" in out:
            ready = time.monotonic() - t0
        if ready is not None and done is None and b"WORKLOAD-DONE" in out:
            done = time.monotonic() - t0 - ready
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = rc = os.waitstatus_to_exitcode(status)
    if why is None and (ready is None or done is None):
        why = "exited with status %d before %s" % (rc, "the ready marker" if ready is None
                                                   else "the workload was done")
    if why is None and rc != 0:
        why = "exited with status %d after the workload" % rc
    if why:
        tail = out.decode(errors="replace").strip().splitlines()[-1:] or [""]
        return why + (" (last output: %s)" % tail[0][:100] if tail[0] else "")
    text = out.decode(errors="replace").replace("\r", "")
    result = sorted(l for l in text.split("\n") if l.startswith("W "))
    return ready, done, ru.ru_maxrss, result, time.monotonic() - t0

results, reasons, outputs = {}, {}, {}
for name, binary in (("tern", tern), ("qemu", qemu)):
    samples = []
    for i in range(runs):
        r = one(binary)
        if isinstance(r, str):
            reasons[name] = r
            break
        samples.append(r)
        print("# %s run %d: ready %.2f s, workload %.2f s, exit %.2f s, peak RSS %.1f MiB"
              % (name, i + 1, r[0], r[1], r[4], r[2] / 1024), file=sys.stderr, flush=True)
    if samples and name not in reasons:
        results[name] = [statistics.median(s[k] for s in samples) for k in range(3)]
        outputs[name] = samples[-1][3]

print("ARM Linux guest (-M virt -cpu max -accel tcg -m 1G -smp 2), median of %d runs" % runs)
print("%-30s %12s %12s %10s" % ("", "tern", "qemu", "qemu/tern"))
rows = (("time to TERN-READY (s)", 0, 1.0), ("busybox workload list (s)", 1, 1.0),
        ("peak RSS (MiB)", 2, 1 / 1024))
for label, k, scale in rows:
    cells = []
    for name in ("tern", "qemu"):
        cells.append(results[name][k] * scale if name in results else None)
    t, q = cells
    ratio = "%.3f" % (q / t) if t and q else "n/a"
    print("%-30s %12s %12s %10s" % (label, "%.2f" % t if t is not None else "n/a",
                                     "%.2f" % q if q is not None else "n/a", ratio))
for name in ("tern", "qemu"):
    if name in reasons:
        print("%s: n/a: %s" % (name, reasons[name]))
if "tern" in outputs and "qemu" in outputs:
    same = outputs["tern"] == outputs["qemu"]
    print("workload results: %s" % ("identical" if same else "DIFFERENT"))
PY
