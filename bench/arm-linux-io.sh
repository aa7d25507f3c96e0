#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Disk and network throughput of the same ARM Linux guest under Tern and
# under Debian's qemu-system-aarch64 (`-M virt -cpu max -accel tcg -m 1G
# -smp 2`, Debian's arm64 kernel and the busybox initramfs of
# scripts/guest-images.sh with a cpio of tests/functional/io-guest/
# appended). Both get the same command line:
#   -drive file=raw,format=raw,if=virtio -drive file=qcow2,format=qcow2,if=virtio
#   -netdev user,id=n0 -device virtio-net-pci,netdev=n0
# and fresh images each run. Measured in the guest (io-guest/iobench.c,
# static, O_DIRECT, so the guest page cache plays no part; the host's
# does, the same for both):
#   - sequential write (ends with fsync) and read of MIB MiB in 1 MiB blocks,
#     on the raw and on the qcow2 disk (the write allocates the clusters);
#   - 4 KiB random reads for SECS seconds over those MIB MiB (IOPS);
#   - wget of a MIB MiB file from an HTTP server on the host's loopback
#     (via 10.0.2.2) to /dev/null, and busybox nc of MIB MiB from the guest
#     to a TCP sink on the host.
# Prints a table with Tern, QEMU and the ratio tern/qemu (above 1: Tern is
# faster), the median of RUNS runs per emulator.
#
# Usage: bench/arm-linux-io.sh [TERN [RUNS]]   (defaults: build/tern, 1)
#        QEMU=path overrides qemu-system-aarch64; MIB (default 64) and
#        SECS (default 5) set the sizes. Needs aarch64-linux-gnu-gcc.

set -eu

SRC=$(cd "$(dirname "$0")/.." && pwd)
TERN=${1:-$SRC/build/tern}
RUNS=${2:-1}
QEMU=${QEMU:-qemu-system-aarch64}
MIB=${MIB:-64}
SECS=${SECS:-5}
GUEST=$SRC/tests/functional/io-guest

for tool in "$QEMU" "$TERN" aarch64-linux-gnu-gcc qemu-img python3; do
    command -v "$tool" >/dev/null || { echo "bench: $tool not found" >&2; exit 1; }
done
IMAGES=$("$SRC/scripts/guest-images.sh" arm64) || { echo "bench: no arm64 guest images" >&2; exit 1; }
eval "$IMAGES"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
aarch64-linux-gnu-gcc -O2 -static -o "$work/iobench" "$GUEST/iobench.c"
python3 "$GUEST/mkcpio.py" "$work/io.cpio.gz" io/io.sh="$GUEST/io.sh" \
    io/udhcpc.sh="$GUEST/udhcpc.sh" io/iobench="$work/iobench"
cat "$INITRD" "$work/io.cpio.gz" >"$work/initrd.gz"

python3 - "$RUNS" "$MIB" "$SECS" "$TERN" "$QEMU" "$KERNEL" "$work" <<'PY'
import functools, http.server, os, re, select, socket, statistics, subprocess, sys
import threading, time

runs, mib, secs = (int(v) for v in sys.argv[1:4])
tern, qemu, kernel, work = sys.argv[4:9]
MiB = 1 << 20

class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

www = os.path.join(work, "www")
os.mkdir(www)
with open(os.path.join(www, "big"), "wb") as f:
    f.write(os.urandom(mib * MiB))
httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=www))
threading.Thread(target=httpd.serve_forever, daemon=True).start()

# The nc sink: take exactly MIB MiB per connection, then close, which ends
# busybox nc in the guest.
sink = socket.socket()
sink.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sink.bind(("127.0.0.1", 0))
sink.listen(4)
sink_rates = []
def sink_loop():
    while True:
        c, _ = sink.accept()
        t0 = time.monotonic()
        left = mib * MiB
        while left > 0:
            b = c.recv(1 << 20)
            if not b:
                break
            left -= len(b)
        # Timed on the host too: a check on the guest's clock. Before the
        # close, which lets the guest go on and power off.
        sink_rates.append((mib * MiB - left) / 1e6 / (time.monotonic() - t0))
        c.close()
threading.Thread(target=sink_loop, daemon=True).start()

ROWS = [("raw-seqwrite", "raw seq write", "MB/s"), ("raw-seqread", "raw seq read", "MB/s"),
        ("raw-randread", "raw 4K rand read", "IOPS"),
        ("qcow2-seqwrite", "qcow2 seq write", "MB/s"), ("qcow2-seqread", "qcow2 seq read", "MB/s"),
        ("qcow2-randread", "qcow2 4K rand read", "IOPS"),
        ("wget-mbs", "net wget host->guest", "MB/s"), ("nc-mbs", "net nc guest->host", "MB/s"),
        ("nc-host", "  same, timed by host", "MB/s")]

def one_run(emu):
    raw, qcow = os.path.join(work, "b.raw"), os.path.join(work, "b.qcow2")
    for p in (raw, qcow):
        if os.path.exists(p):
            os.unlink(p)
    subprocess.run(["qemu-img", "create", "-q", "-f", "raw", raw, "%dM" % (mib + 64)], check=True)
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", qcow, "%dM" % (mib + 96)], check=True)
    cmds = "sh /io/io.sh bench %d %d %d %d; sh /io/io.sh benchnet %d %d %d" % (
        (mib + 64) * MiB // 512, (mib + 96) * MiB // 512, mib, secs,
        mib, httpd.server_address[1], sink.getsockname()[1])
    cmd = [emu, "-M", "virt", "-cpu", "max", "-accel", "tcg", "-m", "1G", "-smp", "2",
           "-nographic", "-kernel", kernel, "-initrd", os.path.join(work, "initrd.gz"),
           "-drive", "file=%s,format=raw,if=virtio" % raw,
           "-drive", "file=%s,format=qcow2,if=virtio" % qcow,
           "-netdev", "user,id=n0", "-device", "virtio-net-pci,netdev=n0",
           "-append", 'console=ttyAMA0 quiet tern.cmds="%s"' % cmds]
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    res, log = {}, []
    deadline = time.monotonic() + 600
    for line in p.stdout:
        line = line.decode(errors="replace").rstrip()
        log.append(line)
        # iobench prints "seqwrite 123.4"; io.sh prefixes the disk kind.
        m = re.match(r"IO (\S+) (\S+)", line)
        if m:
            try:
                res[m.group(1)] = float(m.group(2))
            except ValueError:
                res[m.group(1)] = None
        if time.monotonic() > deadline:
            p.kill()
            break
    p.wait()
    if sink_rates:
        res["nc-host"] = sink_rates.pop()
    if p.returncode != 0:
        print("# %s exited with %s; last lines:" % (emu, p.returncode), file=sys.stderr)
        for l in log[-10:]:
            print("#   " + l, file=sys.stderr)
    return res

results = {}
for name, emu in (("tern", tern), ("qemu", qemu)):
    results[name] = []
    for _ in range(runs):
        results[name].append(one_run(emu))

def median(name, key):
    vals = [r.get(key) for r in results[name] if r.get(key) is not None]
    return statistics.median(vals) if vals else None

print("%-30s %10s %10s %8s" % ("arm64 Linux guest I/O", "Tern", "QEMU", "T/Q"))
for key, label, unit in ROWS:
    t, q = median("tern", key), median("qemu", key)
    fmt = lambda v: "n/a" if v is None else ("%.0f" % v if unit == "IOPS" else "%.1f" % v)
    ratio = "%.2f" % (t / q) if t and q else "n/a"
    print("%-30s %10s %10s %8s" % ("%s (%s)" % (label, unit), fmt(t), fmt(q), ratio))
print("(%d MiB sequential, %d s random reads, median of %d run(s); T/Q > 1: Tern faster)"
      % (mib, secs, runs))
PY
