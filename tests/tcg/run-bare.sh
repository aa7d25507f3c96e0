#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Run one bare-metal test program on the virt board and judge it by its TAP
# output and exit status:
#
#   run-bare.sh EMULATOR PROGRAM [EXTRA EMULATOR ARGS...]
#
# EMULATOR is qemu-system-aarch64 today (the reference) and Tern once its
# AArch64 CPU works; both take QEMU's command line. The guest prints TAP on
# the PL011 and exits through semihosting with its verdict as the status.
# This script passes the guest's TAP through (without the \r the guest adds)
# and fails, with a "Bail out!" line saying why, on a timeout, a non-zero
# status, a missing or wrong plan, or any "not ok". Each run is bounded by
# `timeout` (RUN_BARE_TIMEOUT seconds, default 20; a run takes well under 1).

set -u

if [ $# -lt 2 ]; then
    echo "usage: $0 EMULATOR PROGRAM [ARGS...]" >&2
    exit 2
fi
emu=$1
prog=$2
shift 2
limit=${RUN_BARE_TIMEOUT:-20}

out=$(mktemp "${TMPDIR:-/tmp}/run-bare-out.XXXXXX") || exit 2
err=$(mktemp "${TMPDIR:-/tmp}/run-bare-err.XXXXXX") || exit 2
trap 'rm -f "$out" "$err"' EXIT

timeout -k 2 "$limit" "$emu" -M virt -cpu max -nographic -semihosting \
    -kernel "$prog" "$@" </dev/null >"$out" 2>"$err"
status=$?

# Relay the guest's TAP; anything else it printed becomes a comment.
tr -d '\r' <"$out" | awk '
    /^(not )?ok / || /^1\.\.[0-9]+/ || /^#/ || /^Bail out!/ { print; next }
    /^[[:space:]]*$/ { next }
    { print "# " $0 }'
sed 's/^/# stderr: /' "$err"

fail() {
    echo "Bail out! run-bare: $(basename "$prog"): $*"
    exit 1
}

[ "$status" -eq 124 ] || [ "$status" -eq 137 ] && fail "timed out after ${limit}s"
plan=$(tr -d '\r' <"$out" | sed -n 's/^1\.\.\([0-9][0-9]*\).*/\1/p' | head -n 1)
ok=$(tr -d '\r' <"$out" | grep -c '^ok ')
notok=$(tr -d '\r' <"$out" | grep -c '^not ok ')
[ -n "$plan" ] || fail "no TAP plan in the output (exit status $status)"
[ "$notok" -eq 0 ] || fail "$notok test(s) failed (exit status $status)"
[ "$ok" -eq "$plan" ] || fail "planned $plan tests, $ok passed (exit status $status)"
[ "$status" -eq 0 ] || fail "exit status $status"
[ "$plan" -gt 0 ] || fail "the program ran no tests"
exit 0
