#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Command-line behaviour of the real binary, as TAP: listings work, and bad
# input gives exactly one clear line on stderr and exit status 1, never a
# crash or a hang. Usage: cli.sh PATH/TO/tern
set -u
TERN=${1:?usage: cli.sh PATH/TO/tern}
BIN=$(dirname "$TERN")
. "$(dirname "$0")/lib.sh"

expect_ok "-version" "^Tern emulator version [0-9]+\.[0-9]+" "$TERN" -version
expect_ok "--version" "^Tern emulator version" "$TERN" --version
expect_ok "-h lists options" "-machine" "$TERN" -h
expect_ok "-machine help lists none" "^none +" "$TERN" -machine help
expect_ok "-M ? lists machines" "^Supported machines are:" "$TERN" -M '?'
expect_ok "-device help" "." "$TERN" -device help
expect_ok "-cpu help" "." "$TERN" -cpu help
expect_ok "-accel help" "kvm" "$TERN" -accel help
expect_ok "-d help" "guest_errors" "$TERN" -d help
expect_ok "-chardev help" "socket" "$TERN" -chardev help
expect_ok "tern-system-x86_64 -version" "^Tern emulator version" "$BIN/tern-system-x86_64" -version
expect_ok "tern-system-aarch64 -machine help" "^Supported machines are:" "$BIN/tern-system-aarch64" -machine help

expect_err "-m banana" "banana" "$TERN" -m banana
expect_err "-device nosuchdev" "nosuchdev" "$TERN" -M none -device nosuchdev
expect_err "-kernel /nonexistent" "/nonexistent" "$TERN" -kernel /nonexistent
expect_err "unknown option" "-frobnicate" "$TERN" -frobnicate
expect_err "missing argument" "-m" "$TERN" -m
expect_err "-smp 0" "smp" "$TERN" -M none -smp 0
expect_err "-machine nosuchmachine" "nosuchmachine" "$TERN" -machine nosuchmachine
expect_err "-machine bad property" "frob" "$TERN" -machine none,frob=1
expect_err "-accel nosuchaccel" "nosuchaccel" "$TERN" -M none -accel nosuchaccel
expect_err "-d nosuchitem" "nosuchitem" "$TERN" -d nosuchitem
expect_err "-D unwritable" "/nonexistent-dir/log" "$TERN" -M none -D /nonexistent-dir/log
expect_err "-chardev unknown backend" "frob" "$TERN" -M none -chardev frob,id=c0
expect_err "-chardev without id" "id" "$TERN" -M none -chardev null
expect_err "-serial bad spec" "bogus" "$TERN" -M none -serial bogus:thing
expect_err "-drive bad file" "Could not open" "$TERN" -M none -drive file=/dev/null,format=raw
expect_err "-nic on -M none" "no free bus for virtio-net-pci" "$TERN" -M none -nic user
expect_err "-netdev unknown type" "frob" "$TERN" -M none -netdev frob,id=n0
expect_err "-netdev bad hostfwd" "hostfwd" "$TERN" -M none -netdev user,id=n0,hostfwd=tcp::x-:22
expect_err "-drive missing file" "/nonexistent.img" "$TERN" -M none -drive file=/nonexistent.img,if=none
expect_ok "-netdev help" "^user" "$TERN" -netdev help

# Backends with if=none and a netdev exist for the monitor to list.
truncate -s 1M "$TMP/disk.raw"
printf 'info block\ninfo network\nquit\n' >"$TMP/cmds"
STDIN=$TMP/cmds run "$TERN" -M none -display none -monitor stdio \
    -drive file="$TMP/disk.raw",format=raw,if=none,id=d0 -netdev user,id=n0
if [ $rc = 0 ] && grep -q "^d0: " "$TMP/out" && grep -q "^n0: .*type=user" "$TMP/out"; then
    ok "-drive if=none and -netdev user show in info block / info network"
else
    not_ok "-drive/-netdev in the monitor" "rc=$rc" "stdout: $(head -c 600 "$TMP/out")" "stderr: $(head -c 400 "$TMP/err")"
fi

# A machine that runs: quit through the -nographic mux (Ctrl-A x), and
# through the monitor on stdio.
printf '\001x' >"$TMP/ctrl-a-x"
STDIN=$TMP/ctrl-a-x run "$TERN" -M none -nographic
if [ $rc = 0 ]; then ok "-nographic: Ctrl-A x quits with status 0"; else not_ok "-nographic: Ctrl-A x quits" "rc=$rc" "stderr: $(head -c 400 "$TMP/err")"; fi

printf 'info status\nquit\n' >"$TMP/quit"
STDIN=$TMP/quit run "$TERN" -M none -S -display none -monitor stdio
if [ $rc = 0 ] && grep -q "VM status: paused (prelaunch)" "$TMP/out"; then
    ok "-monitor stdio: info status, quit"
else
    not_ok "-monitor stdio: info status, quit" "rc=$rc" "stdout: $(head -c 400 "$TMP/out")" "stderr: $(head -c 400 "$TMP/err")"
fi

# QMP over a unix socket: negotiate, query, quit with status 0.
if command -v socat >/dev/null; then
    sock=$TMP/qmp.sock
    timeout 20 "$TERN" -M none -display none -qmp unix:$sock,server=on,wait=off </dev/null >"$TMP/out" 2>"$TMP/err" &
    pid=$!
    wait_for_socket "$sock" 5
    printf '{"execute":"qmp_capabilities"}\n{"execute":"query-status"}\n{"execute":"quit","id":7}\n' |
        timeout 10 socat -t5 - UNIX-CONNECT:"$sock" >"$TMP/qmp" 2>&1
    wait $pid
    rc=$?
    if [ $rc = 0 ] && grep -q '"status": "running"' "$TMP/qmp" && grep -q '"id": 7' "$TMP/qmp" &&
        grep -q '"event": "SHUTDOWN"' "$TMP/qmp"; then
        ok "-qmp unix socket: capabilities, query-status, quit"
    else
        not_ok "-qmp unix socket" "rc=$rc" "qmp: $(cat "$TMP/qmp")" "stderr: $(head -c 400 "$TMP/err")"
    fi
else
    skip "-qmp unix socket" "socat not installed"
fi

# SIGTERM ends a running VM cleanly (status 0 as in QEMU).
timeout 20 "$TERN" -M none -display none -serial null </dev/null >"$TMP/out" 2>"$TMP/err" &
pid=$!
wait_until 5 grep -qs tern /proc/$pid/comm
sleep 0.3
kill -TERM $pid
wait $pid
rc=$?
if [ $rc = 0 ]; then ok "SIGTERM ends tern with status 0"; else not_ok "SIGTERM ends tern" "rc=$rc" "stderr: $(head -c 400 "$TMP/err")"; fi

done_testing
