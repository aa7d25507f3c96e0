#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Summarize meson's testlog.json into "N passed, N failed, N skipped". Each TAP
# line of a test program counts once; a program that crashed or timed out
# counts as one failure on top of what it reported.
import json
import re
import sys

passed = failed = skipped = 0
tap = re.compile(r"^(not ok|ok)\b[^#]*(#\s*(SKIP|TODO)\b)?", re.I)
with open(sys.argv[1]) as f:
    for line in f:
        line = line.strip()
        if not line:
            continue
        t = json.loads(line)
        result = t.get("result", "")
        p = fl = s = 0
        for out in (t.get("stdout") or "").splitlines():
            m = tap.match(out.strip())
            if not m:
                continue
            if m.group(3) and m.group(3).upper() == "SKIP":
                s += 1
            elif m.group(1) == "ok" or m.group(3):
                p += 1
            else:
                fl += 1
        if p + fl + s == 0:
            if result in ("OK", "EXPECTEDFAIL"):
                p = 1
            elif result == "SKIP":
                s = 1
            else:
                fl = 1
        elif result in ("FAIL", "TIMEOUT", "ERROR", "UNEXPECTEDPASS") and fl == 0:
            fl = 1
        passed += p
        failed += fl
        skipped += s
print(f"{passed} passed, {failed} failed, {skipped} skipped")
