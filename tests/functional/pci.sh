#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# PCI and virtio on the boards, through the real binary, as TAP: on virt,
# -device virtio-blk-pci and -drive if=virtio land on pcie.0 and show in
# "info pci" / "info qtree", virtio-X-device takes a virtio-mmio slot, the
# default NIC is virtio-net-pci behind user networking, and dumpdtb's tree
# (decompiled with dtc) has the virtio,mmio and pci-host-ecam-generic
# nodes; on pc under KVM (skipped without /dev/kvm) "info pci" lists the
# i440FX host bridge and the device. Bad input gives one line and exit 1.
# Usage: pci.sh PATH/TO/tern
set -u
TERN=${1:?usage: pci.sh PATH/TO/tern}
. "$(dirname "$0")/lib.sh"

truncate -s 1M "$TMP/x.raw"

# monitor DESC CMDS ARGS...: feed HMP commands on stdin, output in $TMP/out
monitor() {
    printf '%b' "$1" | timeout 30 "$TERN" -display none -S -monitor stdio "${@:2}" \
        >"$TMP/out" 2>"$TMP/err"
    rc=$?
}

# expect_out DESC PATTERN...: every pattern (grep -E) is in $TMP/out, rc 0
expect_out() {
    local desc=$1 missing=""
    shift
    for pat in "$@"; do
        grep -Eq -- "$pat" "$TMP/out" || missing="$missing [$pat]"
    done
    if [ "$rc" = 0 ] && [ -z "$missing" ]; then
        ok "$desc"
    else
        not_ok "$desc" "rc=$rc missing:$missing" "stdout: $(head -c 600 "$TMP/out")" \
            "stderr: $(head -c 400 "$TMP/err")"
    fi
}

# ---- virt ----

monitor 'info pci\ninfo qtree\nquit\n' -M virt -nodefaults \
    -device virtio-blk-pci,drive=d0 -drive if=none,id=d0,file="$TMP/x.raw",format=raw
expect_out "virt: -device virtio-blk-pci on pcie.0" \
    "Host bridge: PCI device 1b36:0008" \
    "Bus  0, device   1, function 0:" "SCSI controller: PCI device 1af4:1042" \
    "bus: pcie.0" "dev: virtio-blk-pci" 'drive = "d0"'

monitor 'info pci\nquit\n' -M virt -nodefaults -drive file="$TMP/x.raw",format=raw,if=virtio
expect_out "virt: -drive if=virtio is a virtio-blk-pci" "PCI device 1af4:1042"

monitor 'info pci\ninfo network\nquit\n' -M virt -drive file="$TMP/x.raw",format=raw
expect_out "virt: default NIC virtio-net-pci on user networking" \
    "Ethernet controller: PCI device 1af4:1041" "type=user"

monitor 'info pci\ninfo network\nquit\n' -M virt -nic none
if [ "$rc" = 0 ] && ! grep -q "Ethernet" "$TMP/out"; then
    ok "virt: -nic none: no NIC"
else
    not_ok "virt: -nic none: no NIC" "rc=$rc" "$(head -c 600 "$TMP/out")"
fi

monitor 'info pci\ninfo network\nquit\n' -M virt -nodefaults \
    -nic user,model=virtio-net-pci,mac=52:54:00:aa:bb:cc,hostfwd=tcp:127.0.0.1:0-:22
expect_out "virt: -nic user,model=virtio-net-pci,hostfwd=" \
    "Ethernet controller: PCI device 1af4:1041" "type=user"

monitor 'info qtree\nquit\n' -M virt -nodefaults -device virtio-rng-device \
    -device virtio-blk-device,drive=d0 -drive if=none,id=d0,file="$TMP/x.raw",format=raw
if [ "$rc" = 0 ] && grep -A4 "mmio 000000000a003e00" "$TMP/out" | grep -q "virtio-rng-device" &&
   grep -A4 "mmio 000000000a003c00" "$TMP/out" | grep -q "virtio-blk-device"; then
    ok "virt: virtio-X-device takes the highest free virtio-mmio slot, as QEMU"
else
    not_ok "virt: virtio-X-device placement" "rc=$rc" "$(grep -A4 'a003[ce]00' "$TMP/out")"
fi

timeout 30 "$TERN" -M virt,dumpdtb="$TMP/virt.dtb" -display none -nodefaults \
    </dev/null >"$TMP/out" 2>"$TMP/err"
rc=$?
if ! command -v dtc >/dev/null; then
    skip "virt: dumpdtb nodes" "dtc not installed (device-tree-compiler)"
elif [ "$rc" = 0 ] && dtc -I dtb -O dts -o "$TMP/virt.dts" "$TMP/virt.dtb" 2>"$TMP/dtc.err"; then
    dts="$TMP/virt.dts"
    nmmio=$(grep -c 'compatible = "virtio,mmio"' "$dts")
    if [ "$nmmio" = 32 ] && grep -q 'virtio_mmio@a000000 {' "$dts" &&
       grep -q 'compatible = "pci-host-ecam-generic"' "$dts" &&
       grep -q 'bus-range = <0x00 0xff>' "$dts" &&
       grep -q 'interrupt-map-mask = <0x1800 0x00 0x00 0x07>' "$dts" &&
       grep -q 'pcie@10000000 {' "$dts"; then
        ok "virt: dumpdtb has 32 virtio,mmio nodes and the ECAM host"
    else
        not_ok "virt: dumpdtb nodes" "virtio,mmio nodes: $nmmio" \
            "$(grep -A30 'pcie@10000000' "$dts" | head -30)"
    fi
else
    not_ok "virt: dumpdtb decompiles" "rc=$rc" "$(cat "$TMP/err" "$TMP/dtc.err" 2>/dev/null)"
fi

timeout 30 "$TERN" -M virt,gic-version=2,dumpdtb="$TMP/v2.dtb" -display none -nodefaults \
    </dev/null >/dev/null 2>&1
if command -v fdtdump >/dev/null && [ -s "$TMP/v2.dtb" ]; then
    if fdtdump "$TMP/v2.dtb" 2>/dev/null | grep -q "msi-parent"; then
        ok "virt gic-version=2: the PCIe host has msi-parent (GICv2m)"
    else
        not_ok "virt gic-version=2: msi-parent" "$(fdtdump "$TMP/v2.dtb" 2>&1 | grep -A5 pcie)"
    fi
else
    skip "virt gic-version=2: msi-parent" "fdtdump not installed or no tree"
fi

# ---- bad input ----

expect_err "-drive if=virtio on -M none" "^tern: -drive file=.*,if=virtio: " \
    "$TERN" -M none -display none -nodefaults -drive file="$TMP/x.raw",format=raw,if=virtio
expect_err "addr= collision" "slot 3 function 0 not available" \
    "$TERN" -M virt -display none -nodefaults -device virtio-rng-pci,addr=3 \
    -device virtio-rng-pci,addr=3
expect_err "unknown -nic model" "^tern: -nic user: unsupported NIC model 'e1000'" \
    "$TERN" -M virt -display none -nodefaults -nic user,model=e1000
expect_err "-drive if=ide" "if=ide" \
    "$TERN" -M virt -display none -nodefaults -drive file="$TMP/x.raw",format=raw,if=ide

# ---- pc under KVM ----

if ! have_kvm; then
    skip "pc: info pci lists the host bridge and the device" "no /dev/kvm"
else
    kernel=$(dirname "$TERN")/tests/x86/hello.elf
    monitor 'info pci\nquit\n' -M pc -accel kvm -nodefaults -kernel "$kernel" \
        -device virtio-blk-pci,drive=d0 -drive if=none,id=d0,file="$TMP/x.raw",format=raw
    if grep -q "KVM_CREATE_VM\|kvm: cannot open" "$TMP/err"; then
        skip "pc: info pci lists the host bridge and the device" "/dev/kvm unusable"
    else
        expect_out "pc: info pci lists the host bridge and the device" \
            "Host bridge: PCI device 8086:1237" "SCSI controller: PCI device 1af4:1042" \
            "IRQ 10, pin A"
    fi
fi

done_testing
