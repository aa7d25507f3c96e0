#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The gdb stub on x86-64 under KVM, end to end: gdb-multiarch debugs the
# 64-bit test kernel tests/x86/gdb-target.elf (software and hardware
# breakpoints, stepi, memory through the guest page tables, registers,
# writes, watchpoints, monitor commands, exit and kill), and a raw
# protocol client checks acks, Ctrl-C and malformed packets. Speaks TAP;
# skips without /dev/kvm, gdb or the test kernel. Every process runs under
# a timeout.
#
# Usage: gdb-x86.sh PATH/TO/build/tern

set -u

TERN=${1:?usage: gdb-x86.sh PATH/TO/tern}
KDIR="$(dirname "$TERN")/tests/x86"
KERNEL=$KDIR/gdb-target.elf
. "$(dirname "$0")/lib.sh"
GDB_PROGRAM=$KERNEL

have_kvm || skip_all "no /dev/kvm"
find_gdb
if [ ! -f "$KERNEL" ]; then
    skip_all "tests/x86/gdb-target.elf not built (needs gcc)"
fi
require_cmd python3 "python3 missing"

# start_tern NAME OPTIONS...: the machine in the background, stopped (-S).
start_tern() {
    local name=$1
    shift
    spawn "$name" timeout 60 "$TERN" -M pc -accel kvm -display none -serial "file:$TMP/$name.serial" \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$KERNEL" "$@"
    TERN_PID=$SPAWNED
}

# wait_tern: exit status of the last start_tern, killed after 20 s.
wait_tern() {
    reap "$TERN_PID" 20
}

hexval() {      # first 0x... number in the text on stdin
    grep -o '0x[0-9a-f]*' | head -1
}

# ---- Does this tern have the stub wired into main? ----
start_tern probe -gdb "tcp:127.0.0.1:$(free_port)" -S
sleep 0.3
kill "$TERN_PID" 2>/dev/null
wait "$TERN_PID" 2>/dev/null
if grep -q "not supported yet" "$TMP/probe.err"; then
    skip_all "-gdb is not wired into main yet: $(head -1 "$TMP/probe.err")"
fi
if grep -q "kvm: cannot open\|KVM_CREATE_VM\|speaks API version" "$TMP/probe.err"; then
    skip_all "/dev/kvm unusable: $(head -1 "$TMP/probe.err")"
fi

plan 22

# ---- 1. Software breakpoints, stepping, memory, registers, exit ----
PORT=$(free_port)
start_tern sw -S -gdb "tcp:127.0.0.1:$PORT"
run_gdb sw "$PORT" \
    'info registers rip' \
    'printf "FUNC %#lx\n", &target_function' \
    'break *target_function' \
    'continue' \
    'info registers rip' \
    'stepi' \
    'info registers rip' \
    'continue' \
    'continue' \
    'print counter' \
    'x/2xw &counter' \
    'print *(unsigned long *)(0xffff800000000000 + (unsigned long)&counter)' \
    'info registers' \
    'set var limit = 7' \
    'delete' \
    'continue'
wait_tern
rc=$?
SHOW="$TMP/sw.gdb $TMP/sw.err"
ENTRY=$(section sw 1 | hexval)
FUNC=$(section sw 2 | grep -o 'FUNC 0x[0-9a-f]*' | cut -c6-)
check "connected while stopped at the entry point (rip $ENTRY)" \
    test "$ENTRY" = "0x100020"
RIP=$(section sw 5 | hexval)
check "break *target_function + continue stops there (rip $RIP, symbol $FUNC)" \
    test -n "$FUNC" -a "$RIP" = "$FUNC" -a -n "$(section sw 4 | grep 'Breakpoint 1,')"
RIP2=$(section sw 7 | hexval)
check "stepi advances rip ($RIP -> $RIP2)" \
    test -n "$RIP2" -a $((RIP2)) -gt $((RIP)) -a $((RIP2)) -lt $((RIP + 16))
PRINTED=$(grep -o 'counter=[0-9]*' "$TMP/sw.serial" | head -2 | tail -1 | cut -d= -f2)
COUNTER=$(section sw 10 | sed -n 's/^\$[0-9]* = //p')
check "print counter ($COUNTER) matches the guest's output (counter=$PRINTED)" \
    test -n "$COUNTER" -a "$COUNTER" = "$PRINTED"
check "x/2xw &counter reads the same value" \
    grep -q "<counter>:[[:space:]]*0x0000000$PRINTED[[:space:]]*0x00000000" <(section sw 11)
ALIAS=$(section sw 12 | sed -n 's/^\$[0-9]* = //p')
check "read through the 0xffff800000000000 alias (page walk) gives $ALIAS" \
    test "$ALIAS" = "$PRINTED"
REGS=$(section sw 13)
check "info registers: 64-bit code segment, paging and long mode on" \
    test -n "$(echo "$REGS" | grep -E '^cs +0x8 ')" \
         -a -n "$(echo "$REGS" | grep -E '^cr0 +0x8[0-9a-f]{7} ')" \
         -a -n "$(echo "$REGS" | grep -E '^efer +0x5[0-9a-f]{2} ')" \
         -a -n "$(echo "$REGS" | grep -E '^rip +'"$FUNC"' ')"
check "memory write (limit = 7) and continue to the end: exit code 0103" \
    grep -q "exited with code 0103" <(section sw 16)
SHOW="$TMP/sw.serial $TMP/sw.err"
check "the guest ran to counter=7 and tern exited with status 67 (got $rc)" \
    test "$rc" -eq 67 -a "$(grep -c 'counter=' "$TMP/sw.serial")" -eq 7

# ---- 2. Hardware breakpoint, threads, monitor, register write, kill ----
PORT=$(free_port)
start_tern hw -S -gdb "tcp:127.0.0.1:$PORT"
run_gdb hw "$PORT" \
    'printf "FUNC %#lx\n", &target_function' \
    'hbreak *target_function' \
    'continue' \
    'info registers rip' \
    'info threads' \
    'monitor info status' \
    'set $rbx = 0x1234abcd' \
    'printf "RBX %#lx\n", $rbx' \
    'kill'
wait_tern
rc=$?
SHOW="$TMP/hw.gdb $TMP/hw.err"
FUNC=$(section hw 1 | grep -o 'FUNC 0x[0-9a-f]*' | cut -c6-)
RIP=$(section hw 4 | hexval)
check "hbreak *target_function stops there (rip $RIP)" \
    test -n "$FUNC" -a "$RIP" = "$FUNC" -a -n "$(section hw 3 | grep 'Breakpoint 1,')"
check "info threads lists the vCPU as Thread 1" \
    grep -q "Thread 1 " <(section hw 5)
check "monitor info status runs an HMP command (VM stopped for debug)" \
    grep -qi "debug" <(section hw 6)
check "register write reads back (set \$rbx)" \
    grep -q "RBX 0x1234abcd" <(section hw 8)
check "kill ends gdb's inferior and tern (status $rc)" \
    test "$rc" -eq 0 -a -n "$(section hw 9 | grep 'killed')"

# ---- 3. Watchpoint ----
PORT=$(free_port)
start_tern watch -S -gdb "tcp:127.0.0.1:$PORT"
run_gdb watch "$PORT" \
    'watch counter' \
    'continue' \
    'print counter'
wait_tern
SHOW="$TMP/watch.gdb $TMP/watch.err"
if section watch 2 | grep -q "Hardware watchpoint 1: counter"; then
    check "watch counter: stops on the write with the new value" \
        grep -q "New value = 1" <(section watch 2)
elif [ -d /sys/module/kvm_pvm ] && section watch 2 | grep -q "exited with code"; then
    skip "watch counter" "data breakpoints (DR7 R/W) never fire under the PVM KVM backend"
else
    not_ok_files "watch counter: stops on the write" $SHOW
fi

# ---- 4. Raw protocol over a Unix socket: acks, junk, Ctrl-C, kill ----
SOCK=$TMP/gdb.sock
start_tern raw -append forever -gdb "unix:$SOCK"
cat >"$TMP/raw.py" <<'EOF'
import socket, sys, time
from taplib import Rsp, connect, step

c = Rsp(connect(sys.argv[1], socket.AF_UNIX), 10, verify=True)
c.send(c.frame(b"?"))
c.expect(b"+")
step("stop reply on connect", c.packet().startswith(b"T05thread:01"))
c.send(b"$g#00")
step("bad checksum answered with -", c.expect(b"-") == b"")
c.send(b"garbage" + c.frame(b"qC"))
c.expect(b"+")
step("junk between packets ignored", c.packet() == b"QC01")
c.send(c.frame(b"a" * 20000))
step("oversized packet answered with -", c.expect(b"-") == b"")
c.send(c.frame(b"m108000,8"))
c.expect(b"+")
step("m reads 8 bytes", len(c.packet()) == 16)
c.send(c.frame(b"c"))
c.expect(b"+")
time.sleep(0.2)
c.send(b"\x03")
step("Ctrl-C stops the running guest with T02", c.packet().startswith(b"T02thread:01"))
c.send(c.frame(b"k"))
c.expect(b"+")
EOF
timeout 30 python3 "$TMP/raw.py" "$SOCK" >"$TMP/raw.log" 2>&1
wait_tern
rc=$?
SHOW="$TMP/raw.log $TMP/raw.err"
for t in "stop reply on connect" "bad checksum answered with -" \
         "junk between packets ignored" "oversized packet answered with -" \
         "m reads 8 bytes" "Ctrl-C stops the running guest with T02"; do
    check "raw protocol: $t" grep -qx "ok $t" "$TMP/raw.log"
done
check "raw protocol: k quits tern (status $rc)" test "$rc" -eq 0
tap_exit
