#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Guest images for tests, `make run` and benchmarks: Debian's cloud kernel
# and a busybox initramfs, fetched with `apt-get download` and cached.
#
# Usage: scripts/guest-images.sh [amd64|arm64]
#
# Prints shell-sourceable lines:
#   KERNEL=/path/to/vmlinuz    (arm64: .../Image, an uncompressed arm64
#                               Image as Debian 12 ships it under the name
#                               vmlinuz; a gzip-compressed one is kept as is)
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
# Before the marker it loads the kernel modules listed in
# /lib/modules/load (arm64: Debian's cloud kernel has PL011, PL031 and the
# generic PCI host built in, but the virtio transports and drivers are
# modules). Programs for the tests are in /bin too:
#   tern-workload SEED   the busybox workload list (tests/functional/guest)
#   tern-faults          arm64 only, when aarch64-linux-gnu-gcc can build it
#                        statically: page, alignment and undefined-instruction
#                        faults checked from userland
# Messages go to stderr; the exit status is non-zero on any failure.
#
# arm64 needs the foreign architecture in dpkg: as root this script runs
#   dpkg --add-architecture arm64 && apt-get update
# itself when needed; otherwise it says so and fails.

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
for tool in apt-get apt-cache dpkg-deb gzip python3 md5sum; do
    command -v "$tool" >/dev/null || die "$tool is needed"
done
mkdir -p "$CACHE/debs"
# Tests run in parallel may ask for the same images: one builds, the others
# wait and then find them in the cache.
if command -v flock >/dev/null; then
    exec 9>"$CACHE/.lock"
    flock 9
fi
SRC=$(cd "$(dirname "$0")/.." && pwd)
GUEST=$SRC/tests/functional/guest

# A foreign architecture must be known to dpkg and in apt's lists; as root,
# make it so once (that needs Debian's registry, like the downloads below).
if [ "$ARCH" != "$(dpkg --print-architecture)" ]; then
    updated=""
    if ! dpkg --print-foreign-architectures | grep -qx "$ARCH"; then
        [ "$(id -u)" = 0 ] ||
            die "dpkg does not know $ARCH: run (as root) dpkg --add-architecture $ARCH && apt-get update"
        echo "guest-images: dpkg --add-architecture $ARCH && apt-get update" >&2
        dpkg --add-architecture "$ARCH" || die "dpkg --add-architecture $ARCH failed"
        apt-get update -q >&2 || die "apt-get update failed"
        updated=1
    fi
    if [ -z "$updated" ] && ! apt-cache show "linux-image-cloud-$ARCH:$ARCH" >/dev/null 2>&1 &&
        [ "$(id -u)" = 0 ]; then
        echo "guest-images: no $ARCH package lists yet: apt-get update" >&2
        apt-get update -q >&2 || die "apt-get update failed"
    fi
fi

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

# Modules the initramfs loads, in dependency order (the .ko files carry
# their "depends=" and Debian's package has no modules.dep). Missing files
# are skipped: a kernel with the driver built in needs none.
case "$ARCH" in
arm64)
    MODULES="drivers/virtio/virtio_ring drivers/virtio/virtio drivers/virtio/virtio_mmio
        drivers/virtio/virtio_pci_modern_dev drivers/virtio/virtio_pci_legacy_dev
        drivers/virtio/virtio_pci drivers/block/virtio_blk net/core/failover
        drivers/net/net_failover drivers/net/virtio_net drivers/char/virtio_console
        drivers/char/hw_random/virtio-rng"
    KNAME=Image
    ;;
*)
    MODULES=""
    KNAME=vmlinuz
    ;;
esac

# Kernel: /boot/vmlinuz-* from the package and the modules above, extracted
# once per .deb.
kstamp=$CACHE/kernel.src
# shellcheck disable=SC2086 # word splitting normalises the list
kwant="$kdeb $(echo $MODULES | md5sum | cut -d' ' -f1)"
if [ ! -f "$CACHE/$KNAME" ] || [ "$(cat "$kstamp" 2>/dev/null)" != "$kwant" ]; then
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    dpkg-deb -x "$kdeb" "$tmp"
    vmlinuz=$(ls "$tmp"/boot/vmlinuz-* 2>/dev/null | head -1)
    [ -n "$vmlinuz" ] || die "no /boot/vmlinuz-* in $(basename "$kdeb")"
    rm -rf "$CACHE/modules"
    mkdir -p "$CACHE/modules"
    : >"$CACHE/modules/load"
    for m in $MODULES; do
        ko=$(ls "$tmp"/lib/modules/*/kernel/"$m".ko 2>/dev/null | head -1 || true)
        if [ -n "$ko" ]; then
            cp "$ko" "$CACHE/modules/"
            basename "$ko" >>"$CACHE/modules/load"
        fi
    done
    cp "$vmlinuz" "$CACHE/$KNAME.new"
    mv "$CACHE/$KNAME.new" "$CACHE/$KNAME"
    echo "$kwant" >"$kstamp"
    rm -rf "$tmp"
    trap - EXIT
fi
[ -f "$CACHE/modules/load" ] || { mkdir -p "$CACHE/modules" && : >"$CACHE/modules/load"; }

# The fault test program: a static arm64 Linux binary, rebuilt when its
# source changes. Without the cross compiler the image simply lacks it.
FAULTS=""
if [ "$ARCH" = arm64 ] && [ -f "$GUEST/faults.c" ]; then
    fsum=$(md5sum <"$GUEST/faults.c" | cut -d' ' -f1)
    if [ -x "$CACHE/tern-faults" ] && [ "$(cat "$CACHE/tern-faults.src" 2>/dev/null)" = "$fsum" ]; then
        FAULTS=$CACHE/tern-faults
    elif command -v aarch64-linux-gnu-gcc >/dev/null &&
        aarch64-linux-gnu-gcc -std=gnu11 -O2 -Wall -static -s -o "$CACHE/tern-faults.new" \
            "$GUEST/faults.c" >&2; then
        mv "$CACHE/tern-faults.new" "$CACHE/tern-faults"
        echo "$fsum" >"$CACHE/tern-faults.src"
        FAULTS=$CACHE/tern-faults
    else
        echo "guest-images: cannot build tern-faults (aarch64-linux-gnu-gcc and" \
            "libc6-dev-arm64-cross needed); the image goes without it" >&2
    fi
fi

INIT_SCRIPT='#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /dev /tmp /root /usr/bin /usr/sbin /sbin
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root
if [ -s /lib/modules/load ]; then
    for m in $(cat /lib/modules/load); do
        insmod /lib/modules/$m || echo "init: insmod $m failed"
    done
fi
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
want="$bdeb $( (printf '%s' "$INIT_SCRIPT"
               cat "$GUEST/workload.sh" "$CACHE/modules/load" ${FAULTS:+"$FAULTS"}) |
             md5sum | cut -d' ' -f1)"
if [ ! -f "$CACHE/initrd.gz" ] || [ "$(cat "$istamp" 2>/dev/null)" != "$want" ]; then
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    dpkg-deb -x "$bdeb" "$tmp/bb"
    [ -x "$tmp/bb/bin/busybox" ] || die "no /bin/busybox in $(basename "$bdeb")"
    printf '%s' "$INIT_SCRIPT" >"$tmp/init"
    python3 - "$tmp/bb/bin/busybox" "$tmp/init" "$tmp/initrd" "$GUEST/workload.sh" \
        "$CACHE/modules" "$FAULTS" <<'PY'
import os, sys
busybox, init, out, workload, moddir, faults = sys.argv[1:]
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
    for d in ("bin", "dev", "proc", "sys", "tmp", "root", "sbin", "usr", "usr/bin", "usr/sbin",
              "lib", "lib/modules"):
        entry(f, d, 0o040755)
    entry(f, "dev/console", 0o020600, rdev=(5, 1))
    entry(f, "dev/null", 0o020666, rdev=(1, 3))
    entry(f, "bin/busybox", 0o100755, open(busybox, "rb").read())
    entry(f, "bin/sh", 0o120777, b"busybox")
    entry(f, "bin/tern-workload", 0o100755, open(workload, "rb").read())
    if faults:
        entry(f, "bin/tern-faults", 0o100755, open(faults, "rb").read())
    for name in sorted(os.listdir(moddir)):
        entry(f, "lib/modules/" + name, 0o100644, open(os.path.join(moddir, name), "rb").read())
    entry(f, "init", 0o100755, open(init, "rb").read())
    entry(f, "TRAILER!!!", 0)
PY
    gzip -9n <"$tmp/initrd" >"$CACHE/initrd.gz.new"
    mv "$CACHE/initrd.gz.new" "$CACHE/initrd.gz"
    echo "$want" >"$istamp"
    rm -rf "$tmp"
    trap - EXIT
fi

echo "KERNEL=$CACHE/$KNAME"
echo "INITRD=$CACHE/initrd.gz"
