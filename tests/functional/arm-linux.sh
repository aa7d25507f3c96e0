#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# A real Linux guest on `-M virt -cpu max -accel tcg -smp 2`: Debian's
# arm64 cloud kernel and the busybox initramfs of scripts/guest-images.sh,
# driven over the PL011 console: nproc and /proc/cpuinfo say 2 CPUs, the
# PL031 clock is within a minute of the host, the busybox workload list
# (tests/functional/guest/workload.sh: awk-generated data through sha256sum,
# md5sum, gzip -9 | gunzip, sort, awk, sed, bc) gives the same results as
# the host's own busybox, the fault program (guest/faults.c) gets SIGSEGV,
# SIGBUS and SIGILL with the right si_code and si_addr, `reboot -f` comes
# back to the shell and `poweroff -f` ends the emulator with status 0.
# Speaks TAP; no timed assertions, but every wait has a generous limit and
# the whole run stops after TIMEOUT seconds (default 600), so a hang fails.
#
# Usage: arm-linux.sh PATH/TO/EMULATOR
#   TERN_ARM_LINUX=qemu   run qemu-system-aarch64 (or $QEMU) instead
#   TERN_ARM_LINUX=tern   run the emulator given as the argument
#   TERN_ARM_LINUX=skip   skip
# Unset, TERN_ARM_LINUX_DEFAULT decides (meson sets it), else "tern".
# Skips (TAP "1..0 # SKIP", which meson counts as skipped) when the images
# cannot be fetched.

set -u

EMU=${1:?usage: arm-linux.sh PATH/TO/EMULATOR}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"
MODE=${TERN_ARM_LINUX:-${TERN_ARM_LINUX_DEFAULT:-tern}}
TIMEOUT=${TIMEOUT:-600}

case "$MODE" in
qemu) EMU=${QEMU:-qemu-system-aarch64} ;;
tern) ;;
skip)
    echo "1..0 # SKIP Tern does not boot Linux yet; TERN_ARM_LINUX=qemu (or =tern) runs this test"
    exit 0
    ;;
*)
    echo "arm-linux: TERN_ARM_LINUX must be qemu, tern or skip (not '$MODE')" >&2
    exit 2
    ;;
esac
if ! command -v "$EMU" >/dev/null; then
    skip_all "$EMU not found"
fi

if ! IMAGES=$("$SRC/scripts/guest-images.sh" arm64 2>"$TMP/images.err"); then
    skip_all "cannot fetch the arm64 guest images: $(tail -1 "$TMP/images.err")"
fi
eval "$IMAGES"

# The reference results: the same workload under the host's busybox, with
# every applet it has first in PATH (so sh's awk is busybox awk, not gawk).
HOSTBB=$(command -v busybox || true)
if [ -n "$HOSTBB" ]; then
    mkdir -p "$TMP/bin"
    for applet in $("$HOSTBB" --list); do
        ln -sf "$HOSTBB" "$TMP/bin/$applet"
    done
    env -i PATH="$TMP/bin" TMPDIR="$TMP" "$HOSTBB" sh "$SRC/tests/functional/guest/workload.sh" 42 \
        >"$TMP/host.out" 2>&1 || true
fi

python3 - "$EMU" "$KERNEL" "$INITRD" "$TIMEOUT" "$TMP/host.out" <<'PY'
import sys, time
from taplib import Console, ConsoleTap

emu, kernel, initrd, limit, host_out = sys.argv[1:]
cmd = [emu, "-M", "virt", "-cpu", "max", "-accel", "tcg", "-m", "1G", "-smp", "2",
       "-nographic", "-kernel", kernel, "-initrd", initrd,
       "-append", "console=ttyAMA0 tern.run=shell"]
print("# " + " ".join(cmd), flush=True)

WORKLOAD = ["gen", "sha256", "md5", "gzip9", "gzip-roundtrip", "sort-n", "sort-key", "awk",
            "sed", "bc-pi", "bc-pow"]
FAULTS = [("SIGSEGV", "SEGV_MAPERR"), ("SIGSEGV", "SEGV_ACCERR"), ("SIGBUS", "BUS_ADRALN"),
          ("SIGILL", "ILL_ILLOPC")]
PLAN = 4 + len(WORKLOAD) + len(FAULTS) + 3

host = {}
try:
    for line in open(host_out, errors="replace"):
        f = line.split(None, 2)
        if len(f) == 3 and f[0] == "W":
            host[f[1]] = f[2].strip()
except OSError:
    pass

con = Console(cmd, int(limit))
tap = ConsoleTap(con, PLAN)
done, expect, send, finish = tap.done, con.expect, con.send, tap.finish
t0 = time.monotonic()
ready = expect(r"TERN-READY", 300)
done(ready is not None, "boot to the ready marker",
     " (%.0f s)" % (time.monotonic() - t0) if ready else "")
if not ready or not expect(r"# ", 60):
    finish()
# Kernel messages on the console would interleave with command output.
send("dmesg -n 1")
send("echo NPROC=$(nproc)")
m = expect(r"NPROC=(\d+)\s", 60)
done(m is not None and m.group(1) == b"2", "nproc says 2",
     " (%s)" % (m.group(1).decode() if m else "-"))
send("echo CPUS=$(grep -c ^processor /proc/cpuinfo)")
m = expect(r"CPUS=(\d+)\s", 60)
done(m is not None and m.group(1) == b"2", "/proc/cpuinfo lists 2 processors",
     " (%s)" % (m.group(1).decode() if m else "-"))
send("echo NOW=$(date +%s)")
m = expect(r"NOW=(\d+)\s", 60)
skew = abs(int(m.group(1)) - int(time.time())) if m else None
done(m is not None and skew < 60, "date within a minute of the host (PL031)",
     " (guest %s, skew %s s)" % (m.group(1).decode() if m else "-", skew))

# The workload: one TAP line per step, compared with the host's busybox.
t1 = time.monotonic()
send("tern-workload 42")
m = expect(r"WORKLOAD-DONE \d+\s", 400)
secs = time.monotonic() - t1
guest = {}
if m:
    text = con.log.decode(errors="replace")
    text = text[:text.rfind("WORKLOAD-DONE")]
    for line in text.replace("\r", "").split("\n"):
        f = line.split(None, 2)
        if len(f) == 3 and f[0] == "W":
            guest[f[1]] = f[2].strip()
print("# workload: %s in %.1f s" % ("done" if m else "no end marker", secs), flush=True)
for name in WORKLOAD:
    g = guest.get(name)
    if not host:
        done(g is not None and g != "FAILED", "workload %s runs" % name, " (%s)" % g,
             skip="no host busybox to compare with (Debian package busybox)")
    else:
        h = host.get(name)
        done(g is not None and g == h and g != "FAILED", "workload %s matches the host busybox" % name,
             " (guest %s, host %s)" % (g, h))

# The fault program.
send("[ -x /bin/tern-faults ] && tern-faults; echo FAULTS-$((40+2))")
m = expect(r"FAULTS-42", 120)
lines = []
if m:
    text = con.log.decode(errors="replace")
    lines = [l.strip() for l in text[:text.rfind("FAULTS-42")].replace("\r", "").split("\n")
             if l.startswith("fault: ")]
for sig, code in FAULTS:
    hit = [l for l in lines if l.startswith("fault: %s " % sig) and ("code=%s" % code) in l]
    if m and not lines:
        done(False, "%s %s" % (sig, code), skip="no tern-faults in the image (cross gcc missing)")
    else:
        done(bool(hit) and " ok " in hit[0], "fault %s %s delivered at the right address" % (sig, code),
             " (%s)" % (hit[0] if hit else "no line"))

send("reboot -f")
back = expect(r"TERN-READY", 300)
done(back is not None and con.proc.poll() is None, "reboot -f comes back to the shell")
if back and expect(r"# ", 60):
    send("echo AGAIN=$((6*7))")
    done(expect(r"AGAIN=42", 60) is not None, "the shell works after the reboot")
    send("poweroff -f")
    rc = con.wait(120)
    done(rc == 0, "poweroff -f ends the emulator with status 0", " (status %s)" % rc)
finish()
PY
