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
. "$(dirname "$0")/lib.sh"

if ! grep -qw -E 'vmx|svm' /proc/cpuinfo; then
    skip_all "no vmx/svm in /proc/cpuinfo: this KVM (e.g. PVM) cannot boot a stock Linux kernel"
fi
have_kvm || skip_all "no usable /dev/kvm"
if ! IMAGES=$("$SRC/scripts/guest-images.sh" amd64 2>"$TMP/images.err"); then
    skip_all "cannot fetch the guest images: $(tail -1 "$TMP/images.err")"
fi
eval "$IMAGES"

python3 - "$TERN" "$KERNEL" "$INITRD" <<'PY'
import sys, time
from taplib import Console, ConsoleTap

tern, kernel, initrd = sys.argv[1:]
cmd = [tern, "-M", "pc", "-accel", "kvm", "-m", "512", "-smp", "2", "-nographic",
       "-kernel", kernel, "-initrd", initrd, "-append", "console=ttyS0 tern.run=shell"]
con = Console(cmd)
tap = ConsoleTap(con, 6)
done, expect, send, finish = tap.done, con.expect, con.send, tap.finish
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
done(back is not None and con.proc.poll() is None, "reboot -f comes back to the shell")
if back and expect(r"# ", 30):
    send("echo AGAIN=$((6*7))")
    done(expect(r"AGAIN=42", 30) is not None, "the shell works after the reboot")
    send("poweroff -f")
    rc = con.wait(60)
    done(rc == 0, "poweroff -f ends Tern with status 0", " (status %s)" % rc)
finish()
PY
