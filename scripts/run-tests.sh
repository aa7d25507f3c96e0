#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Run meson's test suites and finish with one summary line,
# "N passed, N failed, N skipped", counting TAP results of every test program.
set -u
build=${1:-build}
shift || true
meson test -C "$build" --print-errorlogs --num-processes 2 "$@"
status=$?
python3 "$(dirname "$0")/test-summary.py" "$build/meson-logs/testlog.json"
exit $status
