#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# `make run`: start the best demo Tern has on this terminal. Until the
# AArch64 guest boots, that is an empty machine with the serial console and
# the monitor multiplexed on stdio, exactly like `-nographic` in QEMU.
set -eu
build=${1:-build}
tern="$build/tern"

echo "Tern demo: an empty machine; the serial console and the monitor share this terminal."
echo "  Ctrl-A c   switch between the serial console and the (tern) monitor"
echo "  Ctrl-A h   list the escapes;  Ctrl-A x   quit"
echo "  try in the monitor: info status, info qtree, info mtree, info chardev, help"
exec "$tern" -M none -m 64M -nographic -name tern-demo
