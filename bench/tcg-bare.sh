#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Compare Tern's translator with qemu-system-aarch64 on bare-metal AArch64
# programs: bench/tcg-bare.c (CPU-bound: hash, sort, sieve, CRC, indirect
# calls, copies) and every tests/tcg/aarch64 program already built.
#
#   bench/tcg-bare.sh [TERN [BUILD_DIR]]      (defaults: build/tern, build)
#
# Prints one line per program: wall-clock seconds under each emulator (best
# of RUNS, default 3) and the ratio. Both must print the same output.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
tern=${1:-$src/build/tern}
build=${2:-$(dirname "$tern")}
qemu=${QEMU:-qemu-system-aarch64}
runs=${RUNS:-3}
rt=$src/tests/tcg/aarch64
work=$(mktemp -d "${TMPDIR:-/tmp}/tcg-bare.XXXXXX")
trap 'rm -rf "$work"' EXIT

aarch64-linux-gnu-gcc -O2 -ffreestanding -nostdlib -static -fno-pie -no-pie \
    -fno-stack-protector -fno-asynchronous-unwind-tables \
    -fno-tree-loop-distribute-patterns -mstrict-align -mno-outline-atomics \
    -mgeneral-regs-only -Wl,--build-id=none -Wl,-z,max-page-size=4096 \
    -I "$rt" -T "$rt/link.ld" -o "$work/bench.elf" \
    "$rt/start.S" "$rt/runtime.c" "$here/tcg-bare.c"

# the extra options a test program needs (as in tests/tcg/aarch64/meson.build)
extra_args() {
    case $1 in
    smp) echo "-smp 4" ;;
    timer) echo "-M virt,gic-version=3" ;;
    esac
}

# best wall time of $runs runs: emulator program output-file
best_time() {
    best=
    i=0
    while [ $i -lt "$runs" ]; do
        t0=$(date +%s.%N)
        # shellcheck disable=SC2046
        timeout 120 "$1" -M virt -cpu max -nographic -semihosting -kernel "$2" \
            $(extra_args "$(basename "$2" .elf)") </dev/null >"$3" 2>&1 || true
        t1=$(date +%s.%N)
        t=$(echo "$t1 - $t0" | bc)
        if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" -eq 1 ]; then
            best=$t
        fi
        i=$((i + 1))
    done
    echo "$best"
}

printf "%-12s %10s %10s %8s  %s\n" program qemu tern speedup output
for elf in "$work/bench.elf" "$build"/tests/tcg/aarch64/*.elf; do
    [ -f "$elf" ] || continue
    name=$(basename "$elf" .elf)
    tq=$(best_time "$qemu" "$elf" "$work/q.out")
    tt=$(best_time "$tern" "$elf" "$work/t.out")
    if cmp -s "$work/q.out" "$work/t.out"; then same=same; else same=DIFFERENT; fi
    printf "%-12s %9.3fs %9.3fs %7.2fx  %s\n" "$name" "$tq" "$tt" \
        "$(echo "$tq / $tt" | bc -l)" "$same"
done
