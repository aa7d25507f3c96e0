#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# `make run`: the main job, on this terminal: an ARM Linux guest, Debian's
# arm64 kernel and a busybox initramfs (scripts/guest-images.sh) on
# -M virt -cpu max -m 1G -smp 2 under Tern's translator, its shell on the
# PL011. TERN_DEMO_LINUX=qemu boots the same guest with qemu-system-aarch64
# for comparison; TERN_DEMO_LINUX=0, or images that cannot be fetched, give
# the bare-metal demos instead: (1) an AArch64 program run by the
# translator (AES and SHA through the crypto instructions, checked against
# the standard test vectors); (2) an in-tree x86 kernel under KVM, where
# /dev/kvm works; (3) an interactive machine whose serial console and
# monitor share this terminal, exactly like QEMU's -nographic.
set -u
build=${1:-build}
tern="$build/tern"
arm_prog="$build/tests/tcg/aarch64/crypto.elf"
x86_kernel="$build/tests/x86/hello.elf"
here=$(cd "$(dirname "$0")" && pwd)

case "${TERN_DEMO_LINUX:-1}" in
1 | qemu)
    emu=$tern
    [ "${TERN_DEMO_LINUX:-1}" = qemu ] && emu=${QEMU:-qemu-system-aarch64}
    echo "== fetching the arm64 guest images (Debian's cloud kernel, busybox)"
    if images=$("$here/guest-images.sh" arm64); then
        eval "$images"
        echo "== ARM Linux on $emu -M virt -cpu max -m 1G -smp 2: a busybox shell on the PL011"
        echo "   poweroff -f   end the guest;  Ctrl-A x   quit;  Ctrl-A c   the monitor"
        exec "$emu" -M virt -cpu max -m 1G -smp 2 -nographic \
            -kernel "$KERNEL" -initrd "$INITRD" -append "console=ttyAMA0 tern.run=shell"
    fi
    echo "== cannot fetch the arm64 guest images: the bare-metal demos instead"
    echo
    ;;
esac

if [ -f "$arm_prog" ]; then
    echo "== Tern demo 1/3: AArch64 code through Tern's translator (-M virt -cpu max), PL011 on this terminal"
    "$tern" -M virt -cpu max -nographic -semihosting -kernel "$arm_prog" </dev/null
    echo "== the guest exited through semihosting with status $?"
    echo
fi

if [ -r /dev/kvm ] && [ -f "$x86_kernel" ]; then
    echo "== Tern demo 2/3: an x86 kernel under KVM (-M pc -accel kvm), COM1 on this terminal"
    "$tern" -M pc -accel kvm -m 128M -display none -serial stdio \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
        -kernel "$x86_kernel" -append "hello from make run" </dev/null
    echo "== the guest ended Tern through isa-debug-exit with status $?"
    echo
fi

echo "== Tern demo 3/3: an empty machine; the serial console and the monitor share this terminal"
echo "   Ctrl-A c   switch to the (tern) monitor: try info status, info qtree, info mtree, help"
echo "   Ctrl-A h   list the escapes;  Ctrl-A x   quit"
exec "$tern" -M none -m 64M -nographic -name tern-demo
