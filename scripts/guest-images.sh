#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Guest images for tests, `make run` and benchmarks: Debian's cloud kernel
# and a busybox initramfs, fetched with `apt-get download` and cached.
#
# Usage: scripts/guest-images.sh [amd64|arm64]
#
# Prints shell-sourceable lines:
#   KERNEL=/path/to/vmlinuz
#   INITRD=/path/to/initrd.gz
# Cache: $TERN_IMAGE_CACHE (default $HOME/.cache/tern/images)/ARCH. A second
# run downloads nothing and rebuilds nothing unless the inputs changed.
#
# The initramfs's /init mounts proc, sys and devtmpfs, prints TERN-READY on
# the console, then does what the kernel command line asks:
#   tern.run=shell       an interactive shell on the console (default);
#                        power off when it exits
#   tern.run=poweroff    power off at once
#   tern.cmds="a; b"     run the commands with sh, then power off
# Messages go to stderr; the exit status is non-zero on any failure.
#
# arm64 needs the foreign architecture in dpkg first (as root):
#   dpkg --add-architecture arm64 && apt-get update

set -euo pipefail

ARCH=${1:-amd64}
CACHE=${TERN_IMAGE_CACHE:-${HOME:-/tmp}/.cache/tern/images}/$ARCH

die() {
    echo "guest-images: $*" >&2
    exit 1
}

case "$ARCH" in
amd64 | arm64) ;;
*) die "unsupported architecture '$ARCH' (amd64 or arm64)" ;;
esac
for tool in apt-get apt-cache dpkg-deb gzip python3; do
    command -v "$tool" >/dev/null || die "$tool is needed"
done
mkdir -p "$CACHE/debs"

# Package name for this architecture (native packages have no suffix).
pkg_arch() {
    if [ "$ARCH" = "$(dpkg --print-architecture)" ]; then
        echo "$1"
    else
        echo "$1:$ARCH"
    fi
}

# Download PKG into the cache unless a .deb of the candidate version is there.
fetch() {
    local pkg=$1 ver deb
    ver=$(apt-cache policy "$pkg" 2>/dev/null | sed -n 's/^ *Candidate: //p')
    [ -n "$ver" ] && [ "$ver" != "(none)" ] ||
        die "package $pkg not found (apt-get update? for arm64: dpkg --add-architecture arm64)"
    deb=$(ls "$CACHE/debs/${pkg%%:*}_${ver//:/%3a}_"*.deb 2>/dev/null | head -1 || true)
    if [ -z "$deb" ]; then
        echo "guest-images: downloading $pkg $ver" >&2
        (cd "$CACHE/debs" && apt-get download -q "$pkg=$ver" >&2) ||
            die "apt-get download $pkg failed"
        deb=$(ls "$CACHE/debs/${pkg%%:*}_${ver//:/%3a}_"*.deb | head -1)
    fi
    echo "$deb"
}

# The versioned cloud kernel behind the meta-package; amd64 has an
# -unsigned variant with the same image and no signing detour.
meta=$(pkg_arch "linux-image-cloud-$ARCH")
kpkg=$(apt-cache depends "$meta" 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[^ ]*\)$/\1/p' |
       grep -v -- -dbg | head -1)
[ -n "$kpkg" ] || die "cannot resolve $meta (apt-get update?)"
kpkg=${kpkg%%:*}
if apt-cache show "$(pkg_arch "$kpkg-unsigned")" >/dev/null 2>&1; then
    kpkg=$kpkg-unsigned
fi
kdeb=$(fetch "$(pkg_arch "$kpkg")")
bdeb=$(fetch "$(pkg_arch busybox-static)")

# Kernel: /boot/vmlinuz-* from the package, extracted once per .deb.
kstamp=$CACHE/kernel.src
if [ ! -f "$CACHE/vmlinuz" ] || [ "$(cat "$kstamp" 2>/dev/null)" != "$kdeb" ]; then
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    dpkg-deb -x "$kdeb" "$tmp"
    vmlinuz=$(ls "$tmp"/boot/vmlinuz-* 2>/dev/null | head -1)
    [ -n "$vmlinuz" ] || die "no /boot/vmlinuz-* in $(basename "$kdeb")"
    cp "$vmlinuz" "$CACHE/vmlinuz.new"
    mv "$CACHE/vmlinuz.new" "$CACHE/vmlinuz"
    echo "$kdeb" >"$kstamp"
    rm -rf "$tmp"
    trap - EXIT
fi

INIT_SCRIPT='#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /dev /tmp /root /usr/bin /usr/sbin /sbin
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root
run=shell
for arg in $(cat /proc/cmdline); do
    case "$arg" in
    tern.run=*) run=${arg#tern.run=} ;;
    esac
done
cmds=$(sed -n "s/.*tern\.cmds=\"\([^\"]*\)\".*/\1/p" /proc/cmdline)
[ -n "$cmds" ] || cmds=$(sed -n "s/.*tern\.cmds=\([^ \"]*\).*/\1/p" /proc/cmdline)
echo TERN-READY
if [ -n "$cmds" ]; then
    sh -c "$cmds"
elif [ "$run" = shell ]; then
    setsid cttyhack sh -l
fi
poweroff -f
'

# Initramfs: written by hand in newc format so that /dev/console (which the
# kernel opens before /init runs) needs no root rights to create.
istamp=$CACHE/initrd.src
want="$bdeb $(printf '%s' "$INIT_SCRIPT" | md5sum | cut -d' ' -f1)"
if [ ! -f "$CACHE/initrd.gz" ] || [ "$(cat "$istamp" 2>/dev/null)" != "$want" ]; then
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    dpkg-deb -x "$bdeb" "$tmp/bb"
    [ -x "$tmp/bb/bin/busybox" ] || die "no /bin/busybox in $(basename "$bdeb")"
    printf '%s' "$INIT_SCRIPT" >"$tmp/init"
    python3 - "$tmp/bb/bin/busybox" "$tmp/init" "$tmp/initrd" <<'PY'
import os, sys
busybox, init, out = sys.argv[1:]
ino = [100]
def entry(f, name, mode, data=b"", rdev=(0, 0)):
    ino[0] += 1
    hdr = "070701" + "".join("%08x" % v for v in (
        ino[0], mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1], len(name) + 1, 0))
    f.write(hdr.encode() + name.encode() + b"\0")
    f.write(b"\0" * ((4 - (110 + len(name) + 1) % 4) % 4))
    f.write(data)
    f.write(b"\0" * ((4 - len(data) % 4) % 4))
with open(out, "wb") as f:
    for d in ("bin", "dev", "proc", "sys", "tmp", "root", "sbin", "usr", "usr/bin", "usr/sbin"):
        entry(f, d, 0o040755)
    entry(f, "dev/console", 0o020600, rdev=(5, 1))
    entry(f, "dev/null", 0o020666, rdev=(1, 3))
    entry(f, "bin/busybox", 0o100755, open(busybox, "rb").read())
    entry(f, "bin/sh", 0o120777, b"busybox")
    entry(f, "init", 0o100755, open(init, "rb").read())
    entry(f, "TRAILER!!!", 0)
PY
    gzip -9n <"$tmp/initrd" >"$CACHE/initrd.gz.new"
    mv "$CACHE/initrd.gz.new" "$CACHE/initrd.gz"
    echo "$want" >"$istamp"
    rm -rf "$tmp"
    trap - EXIT
fi

echo "KERNEL=$CACHE/vmlinuz"
echo "INITRD=$CACHE/initrd.gz"
