# SPDX-License-Identifier: GPL-2.0-or-later
#
# Shared by the functional test scripts, sourced as
#   . "$(dirname "$0")/lib.sh"
# TAP output (ok / not_ok / skip / check, the plan, the exit status),
# skipping a whole script, a temporary directory $TMP removed at exit with
# every background process registered through spawn, free TCP ports,
# bounded waits, running the binary with one-line-error checks, and batch
# gdb-multiarch runs. Also puts this directory on PYTHONPATH for taplib.py.

TAP_N=0
TAP_FAILS=0
TAP_PIDS=""

TMP=$(mktemp -d)
tap_cleanup() {
    local p
    for p in $TAP_PIDS; do
        kill "$p" 2>/dev/null
    done
    rm -rf "$TMP"
}
trap tap_cleanup EXIT

PYTHONPATH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONPATH

ok() {
    TAP_N=$((TAP_N + 1))
    echo "ok $TAP_N - $1"
}

# not_ok DESC DIAG...: each diagnostic may span lines; every line gets "# ".
not_ok() {
    TAP_N=$((TAP_N + 1))
    TAP_FAILS=$((TAP_FAILS + 1))
    echo "not ok $TAP_N - $1"
    shift
    local l
    for l in "$@"; do
        printf '%s\n' "$l" | sed 's/^/# /'
    done
}

# not_ok_files DESC FILE...: the failure with the tail of each non-empty file.
not_ok_files() {
    local desc=$1 f
    shift
    not_ok "$desc"
    for f in "$@"; do
        [ -s "$f" ] && sed 's/^/# /' "$f" | tail -40
    done
    return 0
}

skip() {        # skip DESC REASON
    TAP_N=$((TAP_N + 1))
    echo "ok $TAP_N - $1 # SKIP $2"
}

# check DESC COMMAND...: ok when COMMAND succeeds, else the files in $SHOW.
SHOW=""
check() {
    local what=$1
    shift
    if "$@"; then
        ok "$what"
    else
        # shellcheck disable=SC2086  # $SHOW is a list of paths
        not_ok_files "$what" $SHOW
    fi
}

plan() {        # plan N: for scripts that know their count up front
    echo "1..$1"
}

# done_testing: the plan from the count, for scripts that print it last;
# exit status 1 when anything failed.
done_testing() {
    echo "1..$TAP_N"
    tap_exit
}

tap_exit() {
    [ "$TAP_FAILS" = 0 ] && exit 0
    exit 1
}

skip_all() {    # skip_all REASON: the whole script skips
    echo "1..0 # SKIP $1"
    exit 0
}

require_cmd() { # require_cmd COMMAND REASON
    command -v "$1" >/dev/null || skip_all "$2"
}

have_kvm() {
    [ -c /dev/kvm ] && [ -r /dev/kvm ] && [ -w /dev/kvm ]
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_until SECONDS COMMAND...: polls COMMAND every 0.1 s until it succeeds;
# false when SECONDS pass first.
wait_until() {
    local i tries=$(($1 * 10))
    shift
    for ((i = 0; i < tries; i++)); do
        "$@" && return 0
        sleep 0.1
    done
    return 1
}

wait_for_socket() {     # wait_for_socket PATH [SECONDS]
    wait_until "${2:-10}" test -S "$1"
}

wait_for_pattern() {    # wait_for_pattern REGEX FILE [SECONDS]
    wait_until "${3:-30}" grep -qs -- "$1" "$2"
}

# spawn NAME COMMAND...: COMMAND in the background with stdout and stderr
# in $TMP/NAME.out and $TMP/NAME.err; its pid in SPAWNED, killed at exit.
spawn() {
    local name=$1
    shift
    "$@" >"$TMP/$name.out" 2>"$TMP/$name.err" &
    SPAWNED=$!
    TAP_PIDS="$TAP_PIDS $SPAWNED"
}

# reap PID SECONDS: waits for PID to end, killing it after SECONDS; returns
# its exit status.
reap() {
    wait_until "$2" eval "! kill -0 $1 2>/dev/null"
    kill "$1" 2>/dev/null
    wait "$1"
}

# run COMMAND...: under a 20 s guard, stdin from $STDIN (else /dev/null),
# output in $TMP/out and $TMP/err, exit status in rc.
run() {
    timeout 20 "$@" <"${STDIN:-/dev/null}" >"$TMP/out" 2>"$TMP/err"
    rc=$?
}

# expect_ok DESC PATTERN COMMAND...: exit 0 and PATTERN (grep -E) in stdout.
expect_ok() {
    local desc=$1 pat=$2
    shift 2
    run "$@"
    if [ $rc = 0 ] && grep -Eq -- "$pat" "$TMP/out"; then
        ok "$desc"
    else
        not_ok "$desc" "rc=$rc" "stdout: $(head -c 400 "$TMP/out")" "stderr: $(head -c 400 "$TMP/err")"
    fi
}

# expect_err DESC PATTERN COMMAND...: exit 1 and exactly one stderr line,
# matching PATTERN (grep -E).
expect_err() {
    local desc=$1 pat=$2 lines
    shift 2
    run "$@"
    lines=$(wc -l <"$TMP/err")
    if [ $rc = 1 ] && [ "$lines" = 1 ] && grep -Eq -- "$pat" "$TMP/err"; then
        ok "$desc"
    else
        not_ok "$desc" "rc=$rc lines=$lines" "stderr: $(head -c 400 "$TMP/err")"
    fi
}

# ---- gdb-multiarch in batch mode ----

# find_gdb: GDB from the environment or gdb-multiarch, else skip everything.
find_gdb() {
    GDB=${GDB:-}
    if [ -z "$GDB" ]; then
        require_cmd gdb-multiarch "gdb-multiarch not installed (apt-get install gdb-multiarch)"
        GDB=gdb-multiarch
    fi
}

# run_gdb NAME PORT COMMANDS...: batch gdb on $GDB_PROGRAM connected to
# 127.0.0.1:PORT, after the commands of the GDB_SETUP array, under a
# $GDB_TIMEOUT guard (default 60 s). Each command's output follows a line
# "@@ N" (N counts from 1) in $TMP/NAME.gdb so that checks can pick sections.
GDB_SETUP=()
run_gdb() {
    local name=$1 port=$2 c n=0
    shift 2
    local args=(-batch -nx -ex "set pagination off" -ex "set confirm off")
    for c in "${GDB_SETUP[@]}"; do
        args+=(-ex "$c")
    done
    args+=(-ex "set tcp connect-timeout 10" -ex "target remote 127.0.0.1:$port")
    for c in "$@"; do
        n=$((n + 1))
        args+=(-ex "echo @@ $n\\n" -ex "$c")
    done
    timeout "${GDB_TIMEOUT:-60}" "$GDB" "${args[@]}" "$GDB_PROGRAM" >"$TMP/$name.gdb" 2>&1
}

# section NAME N: output of command N of run NAME.
section() {
    awk -v n="$2" '/^@@ /{on = ($2 == n); next} on' "$TMP/$1.gdb"
}

# has NAME N REGEX: command N of run NAME printed a line matching REGEX.
has() {
    section "$1" "$2" | grep -Eq "$3"
}
