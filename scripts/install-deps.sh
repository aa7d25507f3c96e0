#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Install the Debian 12 packages Tern needs to build (--build), to run its
# tests (--check, the default) or to run its benchmarks against QEMU (--bench).
# Does nothing when everything is present, so make can call it every time.
# Must run as root to install; otherwise it names what is missing and fails.
set -eu

build_pkgs="meson ninja-build pkg-config gcc libc6-dev python3 libglib2.0-dev libcapstone-dev
 libsdl2-dev libslirp-dev libpixman-1-dev libfdt-dev libjson-glib-dev"
check_pkgs="$build_pkgs gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu qemu-user qemu-system-arm ipxe-qemu qemu-utils socat gdb-multiarch device-tree-compiler busybox libc6-dev-arm64-cross"
bench_pkgs="$check_pkgs qemu-system-x86 hyperfine"

case "${1:---check}" in
--build) want=$build_pkgs ;;
--check) want=$check_pkgs ;;
--bench) want=$bench_pkgs ;;
*) echo "usage: $0 [--build|--check|--bench]" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
    if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
    echo "install-deps: missing Debian packages:$missing (run this script as root)" >&2
    exit 1
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null
