#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The busybox workload list of the Linux guest tests and benchmarks. The
# same script runs inside the guest (as /bin/tern-workload in the
# initramfs) and on the host under the host's own busybox; the outputs must
# be identical, so everything is derived from SEED by a Park-Miller
# generator whose products stay below 2^53 (exact in awk's doubles).
# Prints "W name result" lines, then "WORKLOAD-DONE n". Any failing step
# prints "W name FAILED" and the script goes on.
#
# Usage: workload.sh [SEED [LINES]]   (busybox applets first in PATH)

SEED=${1:-42}
LINES=${2:-20000}
DIR=${TMPDIR:-/tmp}/tern-workload.$$
mkdir -p "$DIR" || exit 1
n=0

w() {
    name=$1
    shift
    if out=$("$@" 2>&1); then
        echo "W $name $out"
    else
        echo "W $name FAILED"
    fi
    n=$((n + 1))
}

gen() {
    awk -v seed="$SEED" -v lines="$LINES" 'BEGIN {
        x = seed % 2147483647; if (x <= 0) x += 2147483646
        split("alpha bravo charlie delta echo foxtrot golf hotel india juliet", word, " ")
        for (i = 1; i <= lines; i++) {
            x = (x * 16807) % 2147483647; a = x % 1000000
            x = (x * 16807) % 2147483647; b = word[x % 10 + 1]
            x = (x * 16807) % 2147483647; c = x % 997
            printf "%d %s %d line%d\n", a, b, c, i
        }
    }' >"$DIR/data" && wc -l <"$DIR/data"
}

sum256() { sha256sum <"$DIR/data" | cut -d' ' -f1; }
summd5() { md5sum <"$DIR/data" | cut -d' ' -f1; }
gzip_bytes() { gzip -9 <"$DIR/data" | sha256sum | cut -d' ' -f1; }
gzip_trip() { gzip -9 <"$DIR/data" | gunzip | sha256sum | cut -d' ' -f1; }
sort_num() { sort -n -k1,1 -k4,4 <"$DIR/data" | md5sum | cut -d' ' -f1; }
sort_key() { sort -k2,2 -k3,3nr -s <"$DIR/data" | md5sum | cut -d' ' -f1; }
awk_agg() {
    awk '{ s[$2] += $1; c[$2]++; if ($3 > m[$2]) m[$2] = $3 }
         END { for (k in s) printf "%s:%d:%d:%d\n", k, s[k], c[k], m[k] }' "$DIR/data" |
        sort | md5sum | cut -d' ' -f1
}
sed_edit() {
    sed -e 's/\([a-z]*\) \([0-9]*\) line/\2-\1 L/' -e '/^9/d' -e 'y/abcdef/ABCDEF/' "$DIR/data" |
        md5sum | cut -d' ' -f1
}
bc_pi() { echo 'scale=200; 4*a(1)' | bc -l | tr -d '\\\n' | md5sum | cut -d' ' -f1; }
bc_pow() { echo '2^4000 % 1000000007; 3^777 / 7^300' | bc | tr -d '\\\n' | md5sum | cut -d' ' -f1; }

w gen gen
w sha256 sum256
w md5 summd5
w gzip9 gzip_bytes
w gzip-roundtrip gzip_trip
w sort-n sort_num
w sort-key sort_key
w awk awk_agg
w sed sed_edit
w bc-pi bc_pi
w bc-pow bc_pow
rm -rf "$DIR"
echo "WORKLOAD-DONE $n"
