#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# `make run`: the best demo Tern has, on this terminal. Until the AArch64
# Linux guest boots, that is: (1) an in-tree x86 test kernel under KVM that
# prints what the machine handed it over COM1, when /dev/kvm works here;
# then (2) an interactive machine whose serial console and monitor share
# this terminal, exactly like QEMU's -nographic.
set -u
build=${1:-build}
tern="$build/tern"
kernel="$build/tests/x86/hello.elf"

if [ -r /dev/kvm ] && [ -f "$kernel" ]; then
    echo "== Tern demo 1/2: an x86 kernel under KVM (-M pc -accel kvm), COM1 on this terminal"
    "$tern" -M pc -accel kvm -m 128M -display none -serial stdio \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
        -kernel "$kernel" -append "hello from make run"
    echo "== the guest ended Tern through isa-debug-exit with status $?"
    echo
fi

echo "== Tern demo 2/2: an empty machine; the serial console and the monitor share this terminal"
echo "   Ctrl-A c   switch to the (tern) monitor: try info status, info qtree, info mtree, help"
echo "   Ctrl-A h   list the escapes;  Ctrl-A x   quit"
exec "$tern" -M none -m 64M -nographic -name tern-demo
