#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Compare Tern's translator with qemu-system-aarch64 on bare-metal AArch64
# programs: each kernel of bench/tcg-bare.c (integer: hash, sort, sieve,
# CRC, indirect calls, copies, bytecode interpreter, LZ77) and of
# bench/tcg-fp.c (double matmul, complex FFT) built as a program of its
# own, then every tests/tcg/aarch64 program already built.
#
#   bench/tcg-bare.sh [TERN [BUILD_DIR]]      (defaults: build/tern, build)
#
# Prints one line per program: wall-clock seconds under each emulator (best
# of RUNS, default 3), the ratio qemu/tern (above 1: Tern is faster), the
# share of Tern's best run spent translating (TERN_TCG_STATS=1 makes Tern
# report it at exit) and whether both printed the same output. CLOCK=cpu
# times user + system CPU seconds instead (all threads, with GNU time), which
# a machine busy with other work disturbs less than the wall clock; KERNELS
# limits the run to some kernels ("matmul fft") and skips the test programs.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
tern=${1:-$src/build/tern}
build=${2:-$(dirname "$tern")}
qemu=${QEMU:-qemu-system-aarch64}
runs=${RUNS:-3}
clock=${CLOCK:-wall}
rt=$src/tests/tcg/aarch64
work=$(mktemp -d "${TMPDIR:-/tmp}/tcg-bare.XXXXXX")
trap 'rm -rf "$work"' EXIT

int_kernels="hash sort sieve crc calls copy interp lz"
fp_kernels="matmul fft"
if [ -n "${KERNELS:-}" ]; then
    want() { case " $KERNELS " in *" $1 "*) return 0 ;; esac; return 1; }
    sel_int='' sel_fp=''
    for k in $int_kernels; do want "$k" && sel_int="$sel_int $k"; done
    for k in $fp_kernels; do want "$k" && sel_fp="$sel_fp $k"; done
    int_kernels=$sel_int fp_kernels=$sel_fp
fi

# build one kernel: source, kernel name, extra compiler options
build_kernel() {
    # shellcheck disable=SC2086
    aarch64-linux-gnu-gcc -O2 -ffreestanding -nostdlib -static -fno-pie -no-pie \
        -fno-stack-protector -fno-asynchronous-unwind-tables \
        -fno-tree-loop-distribute-patterns -mstrict-align -mno-outline-atomics \
        $3 -Wl,--build-id=none -Wl,-z,max-page-size=4096 \
        -DKERNEL="\"$2\"" -I "$rt" -T "$rt/link.ld" -o "$work/$2.elf" \
        "$rt/start.S" "$rt/runtime.c" "$1"
}
for k in $int_kernels; do
    build_kernel "$here/tcg-bare.c" "$k" -mgeneral-regs-only
done
for k in $fp_kernels; do
    build_kernel "$here/tcg-fp.c" "$k" ""
done

# the extra options a test program needs (as in tests/tcg/aarch64/meson.build)
extra_args() {
    case $1 in
    smp) echo "-smp 4" ;;
    timer) echo "-M virt,gic-version=3" ;;
    esac
}

# best wall time of $runs runs: emulator program output-file; the stderr of
# the best run is left in output-file.err
best_time() {
    best=
    i=0
    while [ $i -lt "$runs" ]; do
        t0=$(date +%s.%N)
        # shellcheck disable=SC2046
        TERN_TCG_STATS=1 /usr/bin/time -f "%U %S" -o "$3.time" \
            timeout 120 "$1" -M virt -cpu max -nographic -semihosting \
            -kernel "$2" $(extra_args "$(basename "$2" .elf)") </dev/null \
            >"$3" 2>"$3.err.new" || true
        t1=$(date +%s.%N)
        if [ "$clock" = cpu ]; then
            t=$(awk 'END { printf "%.3f", $1 + $2 }' "$3.time")
        else
            t=$(echo "$t1 - $t0" | bc)
        fi
        if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" -eq 1 ]; then
            best=$t
            mv "$3.err.new" "$3.err"
        fi
        i=$((i + 1))
    done
    echo "$best"
}

printf "%-10s %9s %9s %9s %11s  %s\n" program tern qemu qemu/tern "translate%" output
progs=$(for k in $int_kernels $fp_kernels; do echo "$work/$k.elf"; done)
if [ -z "${KERNELS:-}" ]; then
    progs="$progs $(echo "$build"/tests/tcg/aarch64/*.elf)"
fi
for elf in $progs; do
    [ -f "$elf" ] || continue
    name=$(basename "$elf" .elf)
    tq=$(best_time "$qemu" "$elf" "$work/q.out")
    tt=$(best_time "$tern" "$elf" "$work/t.out")
    if cmp -s "$work/q.out" "$work/t.out"; then same=same; else same=DIFFERENT; fi
    ms=$(sed -n 's/^tern: tcg: .*, \([0-9.]*\) ms translating.*/\1/p' "$work/t.out.err")
    if [ -n "$ms" ]; then
        pct=$(printf "%.2f%%" "$(echo "$ms / 10 / $tt" | bc -l)")
    else
        pct=n/a
    fi
    printf "%-10s %8.3fs %8.3fs %8.2fx %11s  %s\n" "$name" "$tt" "$tq" \
        "$(echo "$tq / $tt" | bc -l)" "$pct" "$same"
done
