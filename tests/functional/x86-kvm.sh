#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# x86 under KVM, end to end: boots the Multiboot and bzImage test kernels of
# tests/x86 on `-M pc -accel kvm` and checks their COM1 output and the exit
# status they choose through isa-debug-exit ((V << 1) | 1): fw_cfg, ACPI
# tables and S5 power-off, SMP start-up, the LAPIC timer, resets through
# 0xcf9/0x92/i8042/ACPI, the legacy devices, the Linux boot protocol, and
# one-line errors for bad input. Speaks TAP; skips everything when
# /dev/kvm is missing or unusable.
#
# Usage: x86-kvm.sh PATH/TO/build/tern

set -u

TERN=${1:?usage: x86-kvm.sh PATH/TO/tern}
KDIR="$(dirname "$TERN")/tests/x86"

. "$(dirname "$0")/lib.sh"

# Common command line of every run; extra options follow.
tern_pc() {
    timeout 60 "$TERN" -M pc -accel kvm -display none -serial stdio \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 "$@"
}

have_kvm || skip_all "no /dev/kvm"
if [ ! -f "$KDIR/hello.elf" ]; then
    skip_all "test kernels not built (needs gcc -m32)"
fi

OUT=$TMP/out
ERR=$TMP/err
SHOW="$OUT $ERR"

# 1. First light: greeting, Multiboot info, exit status (0x2a << 1) | 1.
tern_pc -kernel "$KDIR/hello.elf" -append "foo=bar tern-test" </dev/null >"$OUT" 2>"$ERR"
rc=$?
if grep -q "kvm: cannot open\|not a KVM device\|KVM_CREATE_VM\|speaks API version" "$ERR"; then
    skip_all "/dev/kvm unusable: $(head -1 "$ERR")"
fi
plan 40
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

# 5. Neither bzImage nor Multiboot: one clear line, status 1.
printf 'this is not a kernel\n' >"$TMP/notmb"
tern_pc -kernel "$TMP/notmb" </dev/null >"$OUT" 2>"$ERR"
rc=$?
check "non-bootable -kernel: one error line, status 1 (got $rc)" \
    test "$rc" -eq 1 -a "$(wc -l <"$ERR")" -eq 1 \
    -a -n "$(grep -F "notmb: not a bootable kernel (no Linux bzImage header, no Multiboot header" "$ERR")"

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

# 12. Bad input: one line naming the option, status 1.
bad_input() {   # bad_input DESCRIPTION EXPECTED-TEXT tern-args...
    local what=$1 want=$2
    shift 2
    tern_pc "$@" </dev/null >"$OUT" 2>"$ERR"
    rc=$?
    check "$what: one error line, status 1 (got $rc)" \
        test "$rc" -eq 1 -a "$(wc -l <"$ERR")" -eq 1 -a -n "$(grep -F -- "$want" "$ERR")"
}
bad_input "-smp 0" "-smp 0" -smp 0 -kernel "$KDIR/hello.elf"
bad_input "-m 1 (too small)" "-m 1M: machine 'pc' needs at least 4 MiB of RAM" \
    -m 1 -kernel "$KDIR/hello.elf"
if [ -f "$KDIR/linux64.bin" ]; then
    head -c $((40 << 20)) /dev/zero >"$TMP/big-initrd"
    bad_input "initrd too large for RAM" "big-initrd: initrd too large for RAM (31 MiB available)" \
        -m 48 -kernel "$KDIR/linux64.bin" -initrd "$TMP/big-initrd"
    rm -f "$TMP/big-initrd"
else
    ok "initrd too large # SKIP linux64.bin not built"
fi
# KVM missing or not a KVM device: needs a private mount namespace (root).
if [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null && unshare -m true 2>/dev/null; then
    unshare -m sh -c 'mount -t tmpfs none /dev && mknod -m 666 /dev/null c 1 3 &&
        exec "$0" -M pc -accel kvm -display none -kernel "$1" </dev/null' \
        "$TERN" "$KDIR/hello.elf" >"$OUT" 2>"$ERR"
    rc=$?
    check "no /dev/kvm: one error line, status 1 (got $rc)" \
        test "$rc" -eq 1 -a "$(wc -l <"$ERR")" -eq 1 \
        -a -n "$(grep -F "kvm: cannot open /dev/kvm: No such file or directory" "$ERR")"
    unshare -m sh -c 'mount --bind /dev/null /dev/kvm &&
        exec "$0" -M pc -accel kvm -display none -kernel "$1" </dev/null' \
        "$TERN" "$KDIR/hello.elf" >"$OUT" 2>"$ERR"
    rc=$?
    check "/dev/kvm not a KVM device: one error line, status 1 (got $rc)" \
        test "$rc" -eq 1 -a "$(wc -l <"$ERR")" -eq 1 \
        -a -n "$(grep -F "kvm: /dev/kvm is not a KVM device" "$ERR")"
else
    ok "no /dev/kvm # SKIP needs root and unshare -m"
    ok "/dev/kvm not a KVM device # SKIP needs root and unshare -m"
fi

# Runs a kernel expecting exit status WANT; checks "all ok" and no failures.
kernel_ok() {   # kernel_ok NAME WANT tern-args...
    local name=$1 want=$2
    shift 2
    if [ ! -f "$KDIR/$name" ]; then
        ok "$name # SKIP not built"
        return
    fi
    tern_pc -kernel "$KDIR/$name" "$@" </dev/null >"$OUT" 2>"$ERR"
    rc=$?
    check "$name $*: status $want (got $rc), all checks ok" \
        test "$rc" -eq "$want" -a -n "$(grep 'all ok' "$OUT")" -a -z "$(grep '^not ok' "$OUT")"
}

# 13. fw_cfg: items, file directory, etc/e820 against the Multiboot map, DMA.
kernel_ok fw-cfg.elf 67 -smp 2 -append "cpus=2 fw-cfg-test"
kernel_ok fw-cfg.elf 67 -m 4200M -append "cpus=1"

# 14. ACPI tables as an OS finds them; S5 through PM1a_CNT ends Tern with 0.
kernel_ok acpi.elf 69 -smp 3 -append "cpus=3"
if [ -f "$KDIR/acpi.elf" ]; then
    tern_pc -smp 2 -kernel "$KDIR/acpi.elf" -append "cpus=2 poweroff" </dev/null >"$OUT" 2>"$ERR"
    rc=$?
    check "ACPI S5 power-off: status 0 (got $rc)" \
        test "$rc" -eq 0 -a -n "$(grep 'all ok, powering off' "$OUT")" \
        -a -z "$(grep 'still running' "$OUT")"
else
    ok "ACPI S5 # SKIP not built"
fi

# 15. SMP: INIT/SIPI to a real-mode trampoline, every AP checks in.
if [ -f "$KDIR/smp.elf" ]; then
    tern_pc -smp 4 -kernel "$KDIR/smp.elf" -append "cpus=4" </dev/null >"$OUT" 2>"$ERR"
    rc=$?
    if [ "$rc" -eq 1 ] && grep -q "tern: kvm: vCPU" "$ERR"; then
        ok "smp -smp 4 # SKIP this KVM cannot run the APs: $(grep -m1 'tern: kvm: vCPU' "$ERR")"
    else
        check "smp -smp 4: every AP checked in (status $rc)" \
            test "$rc" -eq 71 -a -n "$(grep 'checked in: 3 of 3' "$OUT")" \
            -a -z "$(grep '^not ok' "$OUT")"
    fi
else
    ok "smp # SKIP not built"
fi

# 16. LAPIC timer: one-shot and periodic, IRR with interrupts masked.
kernel_ok apic.elf 75

# 17. Resets through the chipset: the machine comes back (RAM kept) or,
# with -no-reboot, Tern exits with 0.
for m in cf9 p92 kbd acpi; do
    if [ ! -f "$KDIR/reset-ports.elf" ]; then
        ok "reset $m # SKIP not built"
        ok "reset $m -no-reboot # SKIP not built"
        continue
    fi
    tern_pc -kernel "$KDIR/reset-ports.elf" -append "method=$m" </dev/null >"$OUT" 2>"$ERR"
    rc=$?
    check "reset through $m: second boot (status $rc)" \
        test "$rc" -eq 15 -a -n "$(grep 'second boot' "$OUT")"
    tern_pc -no-reboot -kernel "$KDIR/reset-ports.elf" -append "method=$m" </dev/null \
        >"$OUT" 2>"$ERR"
    rc=$?
    check "reset through $m with -no-reboot: Tern exits with 0 (got $rc)" \
        test "$rc" -eq 0 -a -n "$(grep "resetting through $m" "$OUT")" \
        -a -z "$(grep 'second boot' "$OUT")"
done

# 18. Legacy devices, pc-testdev, isa-debugcon, unassigned ports and MMIO.
if [ -f "$KDIR/pc-devices.elf" ]; then
    rm -f "$TMP/debugcon"
    tern_pc -smp 2 -device pc-testdev -chardev "file,id=dbg,path=$TMP/debugcon" \
        -device isa-debugcon,chardev=dbg -kernel "$KDIR/pc-devices.elf" \
        -append "cpus=2 now=$(date +%s)" </dev/null >"$OUT" 2>"$ERR"
    rc=$?
    check "pc-devices: RTC, CMOS, i8042, port 0x61, pc-testdev, unassigned (status $rc)" \
        test "$rc" -eq 77 -a -n "$(grep 'all ok' "$OUT")" -a -z "$(grep '^not ok' "$OUT")"
    check "isa-debugcon output reaches its chardev" grep -qx "debugcon: hello" "$TMP/debugcon"
    check "unassigned accesses log nothing without -d guest_errors" test ! -s "$ERR"
    tern_pc -d guest_errors -D "$TMP/guest.log" -device pc-testdev -device isa-debugcon \
        -kernel "$KDIR/pc-devices.elf" -append "cpus=1 now=$(date +%s)" </dev/null \
        >"$OUT" 2>"$ERR"
    rc=$?
    check "-d guest_errors logs the unassigned port and MMIO accesses (status $rc)" \
        test "$rc" -eq 77 -a -n "$(grep 'unassigned read of size 4 at 0x1234' "$TMP/guest.log")" \
        -a -n "$(grep -i 'unassigned.*0xfe000000' "$TMP/guest.log")"
else
    for i in 1 2 3 4; do ok "pc-devices # SKIP not built"; done
fi

# 19. Linux boot protocol through bzImage stand-ins (64-bit and 32-bit entry).
printf 'INITRD-DATA' >"$TMP/initrd"
kernel_ok linux64.bin 79 -m 256 -initrd "$TMP/initrd" \
    -append "tern-linux-test=1 initrd=11 console=ttyS0"
kernel_ok linux32.bin 81 -append "tern-linux-test=1"
kernel_ok linux64.bin 79 -m 5G -smp 2 -append "tern-linux-test=1"
tap_exit
