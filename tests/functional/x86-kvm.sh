#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# x86 under KVM, end to end: boots the Multiboot test kernels of tests/x86
# on `-M pc -accel kvm` and checks their COM1 output and the exit status
# they choose through isa-debug-exit ((V << 1) | 1). Speaks TAP; skips
# everything when /dev/kvm is missing or unusable.
#
# Usage: x86-kvm.sh PATH/TO/build/tern

set -u

TERN=${1:?usage: x86-kvm.sh PATH/TO/tern}
KDIR="$(dirname "$TERN")/tests/x86"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
T=0
FAILED=0

ok() {
    T=$((T + 1))
    echo "ok $T - $1"
}

not_ok() {
    T=$((T + 1))
    FAILED=1
    echo "not ok $T - $1"
    shift
    for f in "$@"; do
        [ -s "$f" ] && sed 's/^/# /' "$f" | head -40
    done
}

check() {       # check DESCRIPTION COMMAND... (files to show on failure in $SHOW)
    local what=$1
    shift
    if "$@"; then
        ok "$what"
    else
        not_ok "$what" $SHOW
    fi
}

# Common command line of every run; extra options follow.
tern_pc() {
    timeout 60 "$TERN" -M pc -accel kvm -display none -serial stdio \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 "$@"
}

if [ ! -c /dev/kvm ] || [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
    echo "1..0 # SKIP no /dev/kvm"
    exit 0
fi
if [ ! -f "$KDIR/hello.elf" ]; then
    echo "1..0 # SKIP test kernels not built (needs gcc -m32)"
    exit 0
fi

OUT=$TMP/out
ERR=$TMP/err
SHOW="$OUT $ERR"

# 1. First light: greeting, Multiboot info, exit status (0x2a << 1) | 1.
tern_pc -kernel "$KDIR/hello.elf" -append "foo=bar tern-test" </dev/null >"$OUT" 2>"$ERR"
rc=$?
if grep -q "kvm: cannot open\|KVM_CREATE_VM\|speaks API version" "$ERR"; then
    echo "1..0 # SKIP /dev/kvm unusable: $(head -1 "$ERR")"
    exit 0
fi
echo "1..14"
check "hello: exit status 85 (got $rc)" test "$rc" -eq 85
check "hello: greeting on COM1" grep -q "Hello from Tern" "$OUT"
check "hello: -append reaches the Multiboot command line" \
    grep -q "cmdline: .*hello.elf foo=bar tern-test" "$OUT"
check "hello: loader name and upper memory" \
    test -n "$(grep 'loader: tern' "$OUT")" -a -n "$(grep 'mem_upper: 130048 KiB' "$OUT")"

# 2. The same kernel as a flat binary, loaded through the a.out kludge.
if [ -f "$KDIR/hello-kludge.bin" ]; then
    tern_pc -kernel "$KDIR/hello-kludge.bin" </dev/null >"$OUT" 2>"$ERR"
    rc=$?
    check "hello-kludge.bin: boots (status $rc)" \
        test "$rc" -eq 85 -a -n "$(grep 'Hello from Tern' "$OUT")"
else
    ok "hello-kludge.bin # SKIP not built (no objcopy)"
fi

# 3. A Multiboot module from -initrd.
printf 'MODULE-DATA' >"$TMP/mod.bin"
tern_pc -m 256 -kernel "$KDIR/hello.elf" -initrd "$TMP/mod.bin" </dev/null >"$OUT" 2>"$ERR"
rc=$?
check "-initrd module and -m 256 (status $rc)" \
    test "$rc" -eq 85 -a -n "$(grep "mod.bin' starts with 'M'" "$OUT")" \
    -a -n "$(grep 'mem_upper: 261120 KiB' "$OUT")"

# 4. Two vCPUs: the BSP boots, the AP waits for INIT/SIPI.
tern_pc -smp 2 -kernel "$KDIR/hello.elf" </dev/null >"$OUT" 2>"$ERR"
rc=$?
check "-smp 2 boots (status $rc)" test "$rc" -eq 85

# 5. Not a Multiboot kernel: one clear line, status 1.
printf 'this is not a kernel\n' >"$TMP/notmb"
tern_pc -kernel "$TMP/notmb" </dev/null >"$OUT" 2>"$ERR"
rc=$?
check "non-Multiboot -kernel: one error line, status 1 (got $rc)" \
    test "$rc" -eq 1 -a "$(wc -l <"$ERR")" -eq 1 \
    -a -n "$(grep -F "notmb: not a Multiboot kernel (no header in the first 8 KiB)" "$ERR")"

# 6. Missing -kernel file.
tern_pc -kernel "$TMP/does-not-exist" </dev/null >"$OUT" 2>"$ERR"
rc=$?
check "missing -kernel file: one error line, status 1 (got $rc)" \
    test "$rc" -eq 1 -a "$(wc -l <"$ERR")" -eq 1 -a -n "$(grep -F "does-not-exist" "$ERR")"

# 7. 16550A checks, PIT and COM1 interrupts through the in-kernel PIC; the
# input line is sent once the kernel says "ready" (a 16550 drops bytes
# that arrive before its driver enables the FIFO).
if [ -f "$KDIR/serial-irq.elf" ]; then
    mkfifo "$TMP/in"
    (tern_pc -kernel "$KDIR/serial-irq.elf" <"$TMP/in" >"$OUT" 2>"$ERR"; echo $? >"$TMP/rc") &
    exec 3>"$TMP/in"
    for _ in $(seq 300); do
        grep -q "ready" "$OUT" 2>/dev/null && break
        [ -f "$TMP/rc" ] && break
        sleep 0.1
    done
    printf 'ping\n' >&3
    wait
    exec 3>&-
    rc=$(cat "$TMP/rc")
    check "serial-irq: UART checks, PIT and RX interrupts (status $rc)" \
        test "$rc" -eq 35 -a -n "$(grep 'got: ping' "$OUT")" -a -z "$(grep FAILED "$OUT")"
else
    ok "serial-irq # SKIP not built"
fi

# 8. Protected -> long mode switch.
if [ -f "$KDIR/longmode.elf" ]; then
    tern_pc -kernel "$KDIR/longmode.elf" </dev/null >"$OUT" 2>"$ERR"
    rc=$?
    check "longmode: 64-bit code runs (status $rc)" \
        test "$rc" -eq 133 -a -n "$(grep 'Hello from long mode' "$OUT")"
else
    ok "longmode # SKIP not built"
fi

# 9. Triple fault: the machine resets and boots the kernel again (RAM
# keeps the first boot's mark); with -no-reboot Tern exits instead.
if [ -f "$KDIR/reset.elf" ]; then
    tern_pc -smp 2 -kernel "$KDIR/reset.elf" </dev/null >"$OUT" 2>"$ERR"
    rc=$?
    check "triple fault resets the machine (status $rc)" \
        test "$rc" -eq 15 -a -n "$(grep 'second boot' "$OUT")"
    tern_pc -no-reboot -kernel "$KDIR/reset.elf" </dev/null >"$OUT" 2>"$ERR"
    rc=$?
    check "-no-reboot: triple fault ends Tern (status $rc)" \
        test "$rc" -eq 0 -a -n "$(grep 'triple fault' "$OUT")" -a -z "$(grep 'second boot' "$OUT")"
else
    ok "reset # SKIP not built"
    ok "-no-reboot # SKIP not built"
fi

# 11. No -kernel: the pc machine has no firmware yet and says so.
tern_pc </dev/null >"$OUT" 2>"$ERR"
rc=$?
check "no -kernel: one error line, status 1 (got $rc)" \
    test "$rc" -eq 1 -a "$(wc -l <"$ERR")" -eq 1 -a -n "$(grep -F -- "-kernel" "$ERR")"

exit $FAILED
