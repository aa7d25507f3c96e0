#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Guest side of tests/functional/arm-linux-io.sh and bench/arm-linux-io.sh:
# packed with the other files of this folder into a cpio appended to the
# busybox initramfs (as /io), and run from the kernel command line as
# tern.cmds="sh /io/io.sh STEP ARGS". Disks are found by their size, not by
# name, so the order the PCI slots are probed in does not matter. Results
# are single "IO name value" lines on the console for the host to parse.

step=$1
shift

say() {
    echo "IO $*"
}

# The /dev node of the virtio disk with SECTORS 512-byte sectors.
disk_of() {
    for d in /sys/block/vd*; do
        if [ "$(cat "$d/size")" = "$1" ]; then
            echo "/dev/${d##*/}"
            return 0
        fi
    done
    echo "/dev/missing-$1-sectors"
    return 1
}

# eth0 up with a DHCP lease from user networking; udhcpc's script is ours
# because the initramfs has none.
dhcp() {
    ip link set lo up
    ip link set eth0 up
    if udhcpc -i eth0 -s /io/udhcpc.sh -q -n -t 10 -T 2 >/tmp/udhcpc.log 2>&1; then
        say dhcp "$(ip -4 -o addr show dev eth0 | awk '{print $4}')"
    else
        say dhcp failed
        cat /tmp/udhcpc.log
    fi
}

# Wait for the host to type a line on the console before going on.
wait_host() {
    say waiting
    read -r _line
}

case "$step" in
disk)
    # $1/$2: sizes in sectors of the raw and the qcow2 disk.
    raw=$(disk_of "$1")
    qcow=$(disk_of "$2")
    # raw: buffered writes at 1 MiB, made durable by fsync;
    dd if=/io/pattern of="$raw" bs=64k seek=16 conv=fsync 2>/dev/null && say raw-write ok
    # qcow2: O_DIRECT 4 KiB writes at 12 KiB (partial clusters, so the
    # rest of each cluster is copied) and a buffered copy at 20 MiB.
    dd if=/io/pattern of="$qcow" bs=4k seek=3 oflag=direct 2>/dev/null && say qcow-write ok
    dd if=/io/pattern of="$qcow" bs=1M seek=20 2>/dev/null && say qcow-write2 ok
    sync
    n=$(stat -c %s /io/pattern)
    say raw-read "$(dd if="$raw" bs=64k skip=16 count=$((n / 65536)) iflag=direct 2>/dev/null | sha256sum | cut -d' ' -f1)"
    say qcow-read "$(dd if="$qcow" bs=4k skip=3 count=$((n / 4096)) iflag=direct 2>/dev/null | sha256sum | cut -d' ' -f1)"
    say pattern "$(sha256sum </io/pattern | cut -d' ' -f1)"
    ;;
checksum)
    # $1: sectors; the sha256 of the whole disk, read with O_DIRECT.
    dev=$(disk_of "$1")
    say checksum "$(dd if="$dev" bs=64k iflag=direct 2>/dev/null | sha256sum | cut -d' ' -f1)"
    ;;
records)
    # $1: sectors, $2: run number, $3: first slot. Record i goes to the
    # first 4 KiB of 64 KiB slot $3+i, so every record allocates a new
    # qcow2 cluster; it is reported only once fsync returned.
    dev=$(disk_of "$1")
    say records-start
    i=0
    while :; do
        printf 'TERNREC %d %d\n' "$2" "$i" |
            dd of="$dev" bs=4k count=1 conv=sync,fsync seek=$((($3 + i) * 16)) 2>/dev/null ||
            { say record-error "$i"; break; }
        say synced "$2" "$i"
        i=$((i + 1))
    done
    ;;
net)
    # $1: port of the host's HTTP server, $2: file name, reached via the
    # user network's host address; then our own httpd for hostfwd.
    dhcp
    say wget "$(wget -q -O - "http://10.0.2.2:$1/$2" | sha256sum | cut -d' ' -f1)"
    mkdir -p /tmp/www
    cp /io/pattern /tmp/www/pattern
    httpd -p 8080 -h /tmp/www && say httpd up
    wait_host
    ;;
tap)
    # $1: our address/len, $2: the host's address; static addresses on
    # a tap device in the test's network namespace.
    ip link set lo up
    ip addr add "$1" dev eth0
    ip link set eth0 up
    # The host end may still be coming up: try for a while.
    n=0
    until ping -c 1 -W 1 "$2" >/dev/null 2>&1 || [ $n -ge 20 ]; do
        n=$((n + 1))
    done
    if ping -c 3 -W 2 "$2" >/tmp/ping.log 2>&1; then
        say ping ok
    else
        say ping failed
        cat /tmp/ping.log
    fi
    mkdir -p /tmp/www
    cp /io/pattern /tmp/www/pattern
    httpd -p 8080 -h /tmp/www && say httpd up
    wait_host
    ;;
bench)
    # bench/arm-linux-io.sh: $1/$2 sectors of the raw and qcow2 disks,
    # $3 MiB per sequential pass (and the span of the random reads), $4
    # seconds of random reads.
    for kind in raw qcow2; do
        if [ $kind = raw ]; then dev=$(disk_of "$1"); else dev=$(disk_of "$2"); fi
        say "$kind-$(/io/iobench seqwrite "$dev" "$3" || echo seqwrite failed)"
        say "$kind-$(/io/iobench seqread "$dev" "$3" || echo seqread failed)"
        say "$kind-$(/io/iobench randread "$dev" "$4" "$3" || echo randread failed)"
    done
    ;;
benchnet)
    # $1 MiB, $2 the host's HTTP port (file "big"), $3 the host's TCP sink.
    dhcp
    t0=$(/io/iobench clock)
    wget -q -O /dev/null "http://10.0.2.2:$2/big" || say wget failed
    t1=$(/io/iobench clock)
    say wget-mbs "$(echo "$1 $t0 $t1" | awk '{printf "%.1f", $1 * 1.048576 / ($3 - $2)}')"
    t0=$(/io/iobench clock)
    dd if=/dev/zero bs=64k count=$(($1 * 16)) 2>/dev/null | nc 10.0.2.2 "$3"
    t1=$(/io/iobench clock)
    say nc-mbs "$(echo "$1 $t0 $t1" | awk '{printf "%.1f", $1 * 1.048576 / ($3 - $2)}')"
    ;;
*)
    say unknown-step "$step"
    ;;
esac
