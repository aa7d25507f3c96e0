# SPDX-License-Identifier: GPL-2.0-or-later
"""Shared by the Python parts of the functional tests (lib.sh puts this
directory on PYTHONPATH): numbered TAP lines, connecting to a socket the
emulator is still opening, a raw gdb remote-protocol client, and an
emulator driven over its serial console on stdin/stdout."""

import atexit
import os
import re
import select
import signal
import socket
import subprocess
import sys
import time


class Tap:
    """TAP lines numbered on from start; fails counts the not-ok ones."""

    def __init__(self, start=0):
        self.n = start
        self.fails = 0

    def __call__(self, ok, desc, diag=""):
        self.n += 1
        if not ok:
            self.fails += 1
        print(("ok" if ok else "not ok") + " %d - %s" % (self.n, desc))
        if not ok and diag:
            for line in str(diag).splitlines()[:30]:
                print("# " + line)
        sys.stdout.flush()


def connect(address, family=socket.AF_INET, tries=100):
    """A socket connected to address, retried every 50 ms while the
    emulator starts up; None when it never answers."""
    for _ in range(tries):
        s = socket.socket(family)
        try:
            s.connect(address)
            return s
        except OSError:
            s.close()
            time.sleep(0.05)
    return None


class Rsp:
    """A raw gdb remote-protocol client on a connected socket."""

    def __init__(self, sock, timeout, verify=False):
        self.s = sock
        self.s.settimeout(timeout)
        self.buf = b""
        self.verify = verify    # check the checksum of every reply

    @staticmethod
    def frame(p):
        return b"$" + p + b"#%02x" % (sum(p) & 0xff)

    def send(self, data):
        self.s.sendall(data)

    def fill(self, n):
        while len(self.buf) < n:
            data = self.s.recv(65536)
            if not data:
                raise SystemExit("connection closed")
            self.buf += data

    def expect(self, token):
        """Read until token shows up; returns the bytes read before it."""
        while token not in self.buf:
            data = self.s.recv(65536)
            if not data:
                raise SystemExit("connection closed waiting for %r" % token)
            self.buf += data
        before, _, self.buf = self.buf.partition(token)
        return before

    def packet(self):
        """Next $...#cs reply payload (acks before it are skipped)."""
        self.expect(b"$")
        body = self.expect(b"#")
        self.fill(2)
        got, self.buf = int(self.buf[:2], 16), self.buf[2:]
        if self.verify and got != sum(body) & 0xff:
            raise SystemExit("bad checksum from the stub")
        return body

    def ask(self, p):
        self.send(self.frame(p))
        return self.packet()


def step(name, cond):
    """One line of a raw protocol run, for the shell script to check."""
    print(("ok " if cond else "FAIL ") + name, flush=True)


class Console:
    """An emulator whose serial console is its stdin and stdout. Every wait
    ends by the deadline (seconds from now); the emulator never outlives
    this process, not on a timeout's SIGTERM nor a closed pipe."""

    def __init__(self, cmd, limit=None):
        self.deadline = time.monotonic() + limit if limit else float("inf")
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, bufsize=0)
        self.buf = b""
        self.log = b""          # the last 16 KiB of output, for diagnostics
        atexit.register(self.stop)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
        signal.signal(signal.SIGHUP, lambda *_: sys.exit(1))

    def expect(self, pattern, timeout):
        """Read the console until pattern (a regex) matches; the match or None."""
        end = min(time.monotonic() + timeout, self.deadline)
        rx = re.compile(pattern.encode())
        while True:
            m = rx.search(self.buf)
            if m:
                self.buf = self.buf[m.end():]
                return m
            left = end - time.monotonic()
            if left <= 0:
                return None
            r, _, _ = select.select([self.proc.stdout], [], [], min(left, 1.0))
            if r:
                data = os.read(self.proc.stdout.fileno(), 4096)
                if not data:
                    return None
                self.buf += data
                self.log = (self.log + data)[-16384:]

    def send(self, line):
        try:
            self.proc.stdin.write(line.encode() + b"\n")
            self.proc.stdin.flush()
        except OSError:
            pass

    def wait(self, timeout):
        """Exit status within timeout seconds (bounded by the deadline), or None."""
        try:
            return self.proc.wait(timeout=max(10, min(timeout, self.deadline - time.monotonic())))
        except subprocess.TimeoutExpired:
            return None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


class ConsoleTap:
    """PLAN numbered results about a Console; a failure shows the console's
    last lines, and finish() fails whatever was not reached."""

    def __init__(self, console, plan):
        self.con = console
        self.plan = plan
        self.results = []
        print("1..%d" % plan, flush=True)

    def done(self, ok, what, extra="", skip=None, quiet=False):
        self.results.append(ok or skip is not None)
        status = "ok" if ok or skip is not None else "not ok"
        directive = " # SKIP " + skip if skip is not None else ""
        print("%s %d - %s%s%s" % (status, len(self.results), what, extra, directive), flush=True)
        if not ok and skip is None and not quiet:
            for line in self.con.log.decode(errors="replace").splitlines()[-25:]:
                print("#", line.rstrip("\r"))

    def finish(self):
        self.con.stop()
        while len(self.results) < self.plan:
            self.done(False, "not reached", quiet=True)
        sys.exit(0 if all(self.results) else 1)
