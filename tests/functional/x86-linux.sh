#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# A real Linux guest on `-M pc -accel kvm`: Debian's cloud kernel and the
# busybox initramfs of scripts/guest-images.sh, booted to its ready marker,
# then driven over the serial console: nproc says 2, date is within a
# minute of the host, `reboot -f` comes back to the shell, `poweroff -f`
# ends Tern with status 0. Speaks TAP.
#
# Runs only where the host CPU has hardware virtualization (vmx or svm in
# /proc/cpuinfo): software KVM backends such as PVM cannot run a stock
# Linux kernel (QEMU cannot either there); it skips elsewhere, saying why.
#
# Usage: x86-linux.sh PATH/TO/tern

set -u

TERN=${1:?usage: x86-linux.sh PATH/TO/tern}
SRC=$(cd "$(dirname "$0")/../.." && pwd)

if ! grep -qw -E 'vmx|svm' /proc/cpuinfo; then
    echo "1..0 # SKIP no vmx/svm in /proc/cpuinfo: this KVM (e.g. PVM) cannot boot a stock Linux kernel"
    exit 0
fi
if [ ! -c /dev/kvm ] || [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
    echo "1..0 # SKIP no usable /dev/kvm"
    exit 0
fi
if ! IMAGES=$("$SRC/scripts/guest-images.sh" amd64 2>/tmp/x86-linux-images.$$); then
    echo "1..0 # SKIP cannot fetch the guest images: $(tail -1 /tmp/x86-linux-images.$$)"
    rm -f /tmp/x86-linux-images.$$
    exit 0
fi
rm -f /tmp/x86-linux-images.$$
eval "$IMAGES"

exec python3 - "$TERN" "$KERNEL" "$INITRD" <<'PY'
import os, re, select, subprocess, sys, time

tern, kernel, initrd = sys.argv[1:]
cmd = [tern, "-M", "pc", "-accel", "kvm", "-m", "512", "-smp", "2", "-nographic",
       "-kernel", kernel, "-initrd", initrd, "-append", "console=ttyS0 tern.run=shell"]
proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                        stderr=subprocess.STDOUT, bufsize=0)
buf = b""
tests = []
PLAN = 6

def done(ok, what, extra=""):
    tests.append(ok)
    print("%s %d - %s%s" % ("ok" if ok else "not ok", len(tests), what, extra), flush=True)
    if not ok:
        for line in buf.decode(errors="replace").splitlines()[-25:]:
            print("#", line)

def expect(pattern, timeout):
    """Read the console until pattern (a regex) matches; return the match or None."""
    global buf
    deadline = time.monotonic() + timeout
    rx = re.compile(pattern.encode())
    while True:
        m = rx.search(buf)
        if m:
            buf = buf[m.end():]
            return m
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        r, _, _ = select.select([proc.stdout], [], [], min(left, 1.0))
        if r:
            data = os.read(proc.stdout.fileno(), 4096)
            if not data:
                return None
            buf += data

def send(line):
    proc.stdin.write(line.encode() + b"\n")
    proc.stdin.flush()

def finish():
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    while len(tests) < PLAN:
        done(False, "not reached")
    sys.exit(0 if all(tests) else 1)

print("1..%d" % PLAN, flush=True)
ready = expect(r"TERN-READY", 180)
done(ready is not None, "boot to the ready marker")
if not ready or not expect(r"# ", 30):
    finish()
send("echo NPROC=$(nproc)")
m = expect(r"NPROC=(\d+)", 30)
done(m is not None and m.group(1) == b"2", "nproc says 2", " (%s)" % (m.group(1).decode() if m else "-"))
send("echo NOW=$(date +%s)")
m = expect(r"NOW=(\d+)", 30)
skew = abs(int(m.group(1)) - int(time.time())) if m else None
done(m is not None and skew < 60, "date within a minute of the host", " (skew %s s)" % skew)
send("reboot -f")
back = expect(r"TERN-READY", 180)
done(back is not None and proc.poll() is None, "reboot -f comes back to the shell")
if back and expect(r"# ", 30):
    send("echo AGAIN=$((6*7))")
    done(expect(r"AGAIN=42", 30) is not None, "the shell works after the reboot")
    send("poweroff -f")
    try:
        rc = proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        rc = None
    done(rc == 0, "poweroff -f ends Tern with status 0", " (status %s)" % rc)
finish()
PY
