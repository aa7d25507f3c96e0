#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# virtio-pci I/O on the pc machine under KVM (issue #6): boots the
# tests/x86/virtio-io.elf kernel, which assigns the BARs itself and drives
# a virtio-blk-pci (pattern on sectors 0..15, flush, read-back, GET_ID,
# MSI-X, a looping descriptor chain followed by a reset) and a
# virtio-rng-pci (INTx through the IOAPIC). Runs it on a raw image, on an
# empty qcow2 image from `qemu-img create` and on a qcow2 converted from a
# raw image holding host data; then checks from the host that the pattern
# is in the images and that `qemu-img check` passes. Speaks TAP; skips when
# /dev/kvm is missing or unusable.
#
# Usage: x86-io.sh PATH/TO/build/tern

set -u

TERN=${1:?usage: x86-io.sh PATH/TO/tern}
KDIR="$(dirname "$TERN")/tests/x86"
KERNEL=$KDIR/virtio-io.elf
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
        [ -s "$f" ] && sed 's/^/# /' "$f" | head -60
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

tern_pc() {
    timeout 60 "$TERN" -M pc -accel kvm -display none -serial stdio \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$KERNEL" "$@"
}

if [ ! -c /dev/kvm ] || [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
    echo "1..0 # SKIP no /dev/kvm"
    exit 0
fi
if [ ! -f "$KERNEL" ]; then
    echo "1..0 # SKIP test kernels not built (needs gcc -m32)"
    exit 0
fi
if ! command -v qemu-img >/dev/null; then
    echo "1..0 # SKIP qemu-img not installed"
    exit 0
fi

OUT=$TMP/out
ERR=$TMP/err
LOG=$TMP/guest.log
SHOW="$OUT $ERR $LOG"

# What the kernel writes to sectors 0..15: 16 records of 32 bytes each.
for s in $(seq 0 15); do
    for r in $(seq 0 15); do
        printf 'tern virtio-io sector %02d rec %02d\n' "$s" "$r"
    done
done >"$TMP/pattern"

# A 1 MiB raw image with host data in sector 16 and noise in sectors 0..15.
make_raw() {    # make_raw FILE
    head -c 1048576 /dev/zero >"$1"
    head -c 8192 /dev/urandom | dd of="$1" conv=notrunc status=none
    printf 'HOSTDATA sector 16\n' | dd of="$1" bs=512 seek=16 conv=notrunc status=none
}

# Runs the kernel; checks its verdict, the guest-error line of the looping
# chain, and that stderr has nothing else.
run_kernel() {  # run_kernel WHAT tern-args...
    local what=$1 rc
    shift
    rm -f "$LOG"
    tern_pc -d guest_errors -D "$LOG" "$@" </dev/null >"$OUT" 2>"$ERR"
    rc=$?
    if [ "$T" -eq 0 ] &&
        grep -q "kvm: cannot open\|not a KVM device\|KVM_CREATE_VM\|speaks API version" "$ERR"; then
        echo "1..0 # SKIP /dev/kvm unusable: $(head -1 "$ERR")"
        exit 0
    fi
    [ "$T" -eq 0 ] && echo "1..15"
    check "$what: kernel verdict all ok, status 99 (got $rc)" \
        test "$rc" -eq 99 -a -n "$(grep -x 'virtio-io: all ok.*' "$OUT")" \
        -a -z "$(grep '^not ok' "$OUT")"
    check "$what: the looping chain is logged as a guest error and breaks only the device" \
        grep -q "virtio-blk-pci: queue 0: descriptor chain from 0 loops" "$LOG"
    check "$what: nothing on stderr" test ! -s "$ERR"
}

# 1. Raw image through -drive if=virtio; the rng on slot 3 (PIRQC, IRQ 11).
make_raw "$TMP/disk.raw"
run_kernel "raw, -drive if=virtio" -append "sectors=2048 rngirq=11" \
    -drive "file=$TMP/disk.raw,format=raw,if=virtio" -device virtio-rng-pci,addr=3
check "raw: the host reads the pattern from sectors 0..15" \
    cmp -n 8192 "$TMP/pattern" "$TMP/disk.raw"
check "raw: sector 16 and the image size unchanged" \
    test "$(dd if="$TMP/disk.raw" bs=512 skip=16 count=1 status=none | head -c 18)" = \
    "HOSTDATA sector 16" -a "$(stat -c %s "$TMP/disk.raw")" -eq 1048576

# 2. An empty qcow2 from qemu-img create, through -device with a serial.
qemu-img create -q -f qcow2 "$TMP/empty.qcow2" 1M
run_kernel "empty qcow2, -device virtio-blk-pci" \
    -append "sectors=2048 serial=TERN-QCOW2-DISK nohost=1 rngirq=10" -nic none \
    -drive "file=$TMP/empty.qcow2,format=qcow2,if=none,id=d0" \
    -device virtio-blk-pci,drive=d0,serial=TERN-QCOW2-DISK -device virtio-rng-pci,addr=5
SHOW="$TMP/check.out"
qemu-img check "$TMP/empty.qcow2" >"$TMP/check.out" 2>&1
check "empty qcow2: qemu-img check passes" grep -q "No errors were found" "$TMP/check.out"
qemu-img convert -O raw "$TMP/empty.qcow2" "$TMP/empty.raw"
check "empty qcow2: qemu-img convert reads the pattern back" \
    cmp -n 8192 "$TMP/pattern" "$TMP/empty.raw"
SHOW="$OUT $ERR $LOG"

# 3. A qcow2 converted from a raw image: the kernel overwrites allocated
# clusters and reads the host's sector 16.
make_raw "$TMP/src.raw"
qemu-img convert -q -f raw -O qcow2 "$TMP/src.raw" "$TMP/full.qcow2"
run_kernel "converted qcow2" -append "sectors=2048 serial=d1 rngirq=11" \
    -drive "file=$TMP/full.qcow2,format=qcow2,if=none,id=d1" \
    -device virtio-blk-pci,drive=d1,serial=d1,addr=4 -device virtio-rng-pci,addr=8
SHOW="$TMP/check.out"
qemu-img check "$TMP/full.qcow2" >"$TMP/check.out" 2>&1
check "converted qcow2: qemu-img check passes" grep -q "No errors were found" "$TMP/check.out"
qemu-img convert -O raw "$TMP/full.qcow2" "$TMP/full.raw"
check "converted qcow2: pattern in sectors 0..15, host data in sector 16" \
    test -n "$(cmp -s -n 8192 "$TMP/pattern" "$TMP/full.raw" && echo same)" \
    -a "$(dd if="$TMP/full.raw" bs=512 skip=16 count=1 status=none | head -c 18)" = \
    "HOSTDATA sector 16"
exit $FAILED
