#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The gdb stub on AArch64 under the translator, end to end: gdb-multiarch
# debugs tests/functional/gdb-arm/prog.elf on the virt board (breakpoint on
# compute, stepi, registers, globals, hbreak, x, set var, detach, kill),
# and the values gdb shows are compared with what the program prints on
# its PL011. A raw protocol client checks Ctrl-C, the g packet size, the
# thread list and the target description. Speaks TAP; skips without
# gdb-multiarch, python3 or the program. Every process runs under a timeout.
#
# Usage: gdb-arm.sh PATH/TO/build/tern

set -u

TERN=${1:?usage: gdb-arm.sh PATH/TO/tern}
PROG="$(dirname "$TERN")/tests/functional/gdb-arm/prog.elf"

. "$(dirname "$0")/lib.sh"
GDB_PROGRAM=$PROG
GDB_SETUP=("set architecture aarch64")
GDB_TIMEOUT=120

find_gdb
require_cmd python3 "python3 missing"
if [ ! -f "$PROG" ]; then
    skip_all "tests/functional/gdb-arm/prog.elf not built (needs aarch64-linux-gnu-gcc)"
fi

# start_tern NAME OPTIONS...: the machine in the background, stopped (-S).
start_tern() {
    local name=$1
    shift
    spawn "$name" timeout 120 "$TERN" -M virt -cpu max -display none -semihosting -S \
        -serial "file:$TMP/$name.serial" -kernel "$PROG" "$@"
    TERN_PID=$SPAWNED
}

# wait_tern: exit status of the last start_tern, killed after 30 s.
wait_tern() {
    reap "$TERN_PID" 30
}

# Addresses from the program's symbols, as gdb reads them.
COMPUTE=$("$GDB" -batch -nx -ex 'print/x (long)&compute' "$PROG" 2>/dev/null | grep -o '0x[0-9a-f]*')
SPIN=$("$GDB" -batch -nx -ex 'print/x (long)&spin' "$PROG" 2>/dev/null | grep -o '0x[0-9a-f]*')
ENTRY=$("$GDB" -batch -nx -ex 'print/x (long)&_start' "$PROG" 2>/dev/null | grep -o '0x[0-9a-f]*')
if [ -z "$COMPUTE" ] || [ -z "$SPIN" ] || [ -z "$ENTRY" ]; then
    skip_all "gdb cannot read the symbols of $PROG"
fi
NEXT=$(printf '0x%x' $((COMPUTE + 4)))

# ---- 1. Breakpoints, stepi, registers, memory, set var, detach ----
PORT=$(free_port)
start_tern main -smp 2 -gdb "tcp::$PORT"
run_gdb main "$PORT" \
    'print/x $pc' \
    'break compute' \
    'continue' \
    'frame' \
    'info registers pc x0' \
    'print global' \
    'continue' \
    'print global' \
    'stepi' \
    'print/x $pc' \
    'delete' \
    'hbreak compute' \
    'continue' \
    'x/4xw &global' \
    'set var bias = 100' \
    'print bias' \
    'info threads' \
    'print $v0' \
    'print/x $fpcr' \
    'print/x $cpsr' \
    'set var $x0 = 5' \
    'print $x0' \
    'delete' \
    'detach'
wait_tern
rc=$?
SHOW="$TMP/main.gdb $TMP/main.serial $TMP/main.err"
plan 24
check "-S: stopped at the entry point $ENTRY" has main 1 "= $ENTRY\$"
check "break compute: breakpoint set" has main 2 "^Breakpoint 1 at $COMPUTE"
check "continue: stopped in compute(0)" has main 3 "Breakpoint 1, compute \(n=(n@entry=)?0\)"
check "frame shows compute" has main 4 "^#0 +compute "
check "info registers: pc at compute" has main 5 "^pc +$COMPUTE "
check "info registers: x0 = 0 (the argument)" has main 5 "^x0 +0x0 +0\$"
check "print global before the first store: 0" has main 6 '= 0$'
check "continue: stopped in compute(1)" has main 7 "Breakpoint 1, compute \(n=(n@entry=)?1\)"
SERIAL0=$(sed -n 's/^compute(0) = \([0-9]*\).*/\1/p' "$TMP/main.serial" | tr -d '\r')
check "print global matches the program's compute(0) = ${SERIAL0:-?}" \
    has main 8 "= ${SERIAL0:-none}\$"
check "stepi: pc advanced one instruction to $NEXT" has main 10 "= $NEXT\$"
check "hbreak compute: stopped in compute(2)" has main 13 "reakpoint 2, compute \(n=(n@entry=)?2\)"
SERIAL1=$(sed -n 's/^compute(1) = \([0-9]*\).*/\1/p' "$TMP/main.serial" | tr -d '\r')
check "x/4xw &global shows compute(1) = ${SERIAL1:-?}" \
    has main 14 "$(printf '0x%08x' "${SERIAL1:-0}")"
check "set var bias = 100 reads back" has main 16 '= 100$'
check "info threads: one thread per vCPU (2)" \
    test "$(section main 17 | grep -c 'Thread [0-9]')" -eq 2
check "print \$v0: 128-bit FP/SIMD register" has main 18 'q = \{0\}'
check "print \$fpcr reads" has main 19 '= 0x[0-9a-f]+$'
check "print \$cpsr: EL1h" has main 20 '= 0x[0-9a-f]*[3-7c-f]c5$'
check "set var \$x0 = 5 reads back" has main 22 '= 5$'
check "set var \$x0 = 5 took effect: compute(2) = 116" \
    grep -q '^compute(2) = 116' "$TMP/main.serial"
check "detach: the program runs on with bias 100 (compute(3) = 110)" \
    grep -q '^compute(3) = 110' "$TMP/main.serial"
check "detach: program finished, tern exit status $rc" test "$rc" -eq 0

# ---- 2. kill ends tern while the program is stopped ----
PORT=$(free_port)
start_tern kill -gdb "tcp::$PORT"
run_gdb kill "$PORT" 'break compute' 'continue' 'kill'
wait_tern
rc=$?
SHOW="$TMP/kill.gdb $TMP/kill.serial $TMP/kill.err"
check "kill at compute(0): tern exits with status $rc before printing" \
    test "$rc" -eq 0 -a "$(grep -c '^compute' "$TMP/kill.serial")" -eq 0

# ---- 3. Raw protocol: Ctrl-C, g size, threads, target.xml, k ----
PORT=$(free_port)
start_tern raw -gdb "tcp::$PORT"
cat >"$TMP/raw.py" <<'EOF'
import socket, sys, time
from taplib import Rsp, connect, step

c = Rsp(connect(("127.0.0.1", int(sys.argv[1]))), 20)
step("stop reply on connect", c.ask(b"?").startswith(b"T05thread:01"))
step("g is 788 bytes", len(c.ask(b"g")) == 2 * 788)
step("thread list", c.ask(b"qfThreadInfo") == b"m01")
step("target.xml names aarch64.core",
     b"org.gnu.gdb.aarch64.core" in c.ask(b"qXfer:features:read:target.xml:0,3fff"))
spin = int(sys.argv[2], 16)
step("M writes spin", c.ask(b"M%x,4:01000000" % spin) == b"OK")
c.send(c.frame(b"c"))
time.sleep(0.5)
c.send(b"\x03")
step("Ctrl-C stops the running guest with T02", c.packet().startswith(b"T02thread:01"))
step("m reads spin back", c.ask(b"m%x,4" % spin) == b"01000000")
c.send(c.frame(b"k"))
EOF
timeout 60 python3 "$TMP/raw.py" "$PORT" "$SPIN" >"$TMP/raw.log" 2>&1
wait_tern
rc=$?
SHOW="$TMP/raw.log $TMP/raw.err"
for t in "stop reply on connect" "g is 788 bytes" "thread list" "target.xml names aarch64.core" \
         "M writes spin" "Ctrl-C stops the running guest with T02" "m reads spin back"; do
    grep -qx "ok $t" "$TMP/raw.log" || { not_ok_files "raw protocol: $t" $SHOW; tap_exit; }
done
ok "raw protocol: ?, g, qfThreadInfo, qXfer, M, c + Ctrl-C, m"
check "raw protocol: k quits tern (status $rc)" test "$rc" -eq 0
tap_exit
