#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# QMP over unix sockets against a real guest, as TAP: -M virt runs
# guest-arm/counter.S, which counts up in RAM at 0x40300100 for ever. Two
# QMP sockets are open at once. Checks negotiation, query-status, stop (the
# STOP event on both sessions, status paused, the counter stands still),
# cont (RESUME, the counter moves again), human-monitor-command, the error
# classes, a client that disconnects mid-command, and quit (exit 0).
# Needs python3 (stdlib). Usage: qmp.sh PATH/TO/tern BUILD/tests/functional
set -u
TERN=${1:?usage: qmp.sh PATH/TO/tern GUEST_DIR}
GDIR=${2:-$(dirname "$TERN")/tests/functional}
GUEST=$GDIR/guest-arm-counter.elf
. "$(dirname "$0")/lib.sh"
[ -f "$GUEST" ] || skip_all "guest-arm-counter.elf not built (needs aarch64-linux-gnu-gcc)"
require_cmd python3 "no python3"
spawn tern "$TERN" -M virt -cpu max -display none -serial none -monitor none -name qmptest \
    -qmp "unix:$TMP/a.sock,server=on,wait=off" -qmp "unix:$TMP/b.sock,server=on,wait=off" \
    -kernel "$GUEST" </dev/null
pid=$SPAWNED

python3 - "$TMP" "$pid" <<'EOF'
import json, os, socket, sys, time

from taplib import Tap, connect

tmp, pid = sys.argv[1], int(sys.argv[2])
tap = Tap()

class Client:
    def __init__(self, path):
        self.s = connect(path, socket.AF_UNIX, tries=200)
        if self.s is None:
            print("Bail out! cannot connect to %s" % path)
            sys.exit(1)
        self.s.settimeout(30)
        self.f = self.s.makefile("rb")
        self.events = []

    def recv(self):
        line = self.f.readline()
        if not line:
            return None
        return json.loads(line)

    def send_raw(self, data):
        self.s.sendall(data)

    def reply(self):
        """The next reply; events seen on the way are kept."""
        while True:
            m = self.recv()
            if m is None or "return" in m or "error" in m:
                return m
            if "event" in m:
                self.events.append(m)

    def cmd(self, name, args=None, **extra):
        req = {"execute": name}
        if args is not None:
            req["arguments"] = args
        req.update(extra)
        self.send_raw(json.dumps(req).encode() + b"\n")
        return self.reply()

    def wait_event(self, name):
        for i, e in enumerate(self.events):
            if e["event"] == name:
                return self.events.pop(i)
        while True:
            m = self.recv()
            if m is None:
                return None
            if m.get("event") == name:
                return m
            if "event" in m:
                self.events.append(m)

    def close(self):
        # The file object holds the socket open; drop both.
        self.f.close()
        self.s.close()

a = Client(tmp + "/a.sock")
greet = a.recv()
v = greet.get("QMP", {}).get("version", {}) if greet else {}
tap("qemu" in v and "capabilities" in greet.get("QMP", {}), "greeting", greet)
r = a.cmd("query-status")
tap(r and r.get("error", {}).get("class") == "CommandNotFound",
    "commands before qmp_capabilities: CommandNotFound", r)
r = a.cmd("qmp_capabilities")
tap(r == {"return": {}}, "qmp_capabilities", r)
b = Client(tmp + "/b.sock")
b.recv()
r = b.cmd("qmp_capabilities")
tap(r == {"return": {}}, "second session negotiates", r)

r = a.cmd("query-status", id=7)
tap(r and r.get("return", {}).get("status") == "running" and r["return"]["running"] is True
    and r.get("id") == 7, "query-status running, id echoed", r)
r = a.cmd("query-version")
tap(r and r["return"].get("package") == "Tern" and "major" in r["return"]["qemu"], "query-version", r)
r = a.cmd("query-name")
tap(r == {"return": {"name": "qmptest"}}, "query-name", r)
r = a.cmd("query-commands")
names = {c["name"] for c in r["return"]} if r and "return" in r else set()
need = {"qmp_capabilities", "query-version", "query-status", "query-commands", "query-name",
        "query-cpus-fast", "query-block", "query-pci", "query-chardev", "query-machines",
        "query-kvm", "stop", "cont", "system_reset", "system_powerdown", "quit",
        "human-monitor-command"}
tap(need <= names, "query-commands lists every command", need - names)
r = a.cmd("query-cpus-fast")
tap(r and len(r["return"]) == 1 and r["return"][0]["cpu-index"] == 0 and
    r["return"][0]["target"] == "aarch64", "query-cpus-fast", r)
for q in ["query-block", "query-pci", "query-chardev", "query-machines"]:
    r = a.cmd(q)
    tap(r and isinstance(r.get("return"), list), q + " returns a list", r)
r = a.cmd("query-pci")
devs = r["return"][0]["devices"] if r and r.get("return") else []
tap(any(d["class_info"]["class"] == 0x0600 for d in devs), "query-pci shows the host bridge", r)
r = a.cmd("query-kvm")
tap(r == {"return": {"enabled": False, "present": r["return"].get("present")}}, "query-kvm under tcg", r)

def counter():
    r = a.cmd("human-monitor-command", {"command-line": "xp /1xg 0x40300100"})
    try:
        return int(r["return"].split(":")[1].split()[0], 16)
    except Exception:
        return None

c0 = None
for _ in range(400):
    c0 = counter()
    if c0:
        break
    time.sleep(0.05)
tap(c0 is not None and c0 > 0, "guest is counting", c0)

r = a.cmd("stop")
tap(r == {"return": {}}, "stop", r)
e = a.wait_event("STOP")
tap(e is not None and "timestamp" in e and "seconds" in e["timestamp"], "STOP event", e)
e = b.wait_event("STOP")
tap(e is not None, "STOP event reaches the second session too", e)
r = a.cmd("query-status")
tap(r and r["return"]["status"] == "paused" and r["return"]["running"] is False,
    "query-status paused", r)
c1 = counter()
a.cmd("query-status")
b.cmd("query-version")
c2 = counter()
tap(c1 is not None and c1 == c2, "the guest counter stands while paused", (c1, c2))
r = a.cmd("human-monitor-command", {"command-line": "info registers"})
tap(r and "PC=" in r.get("return", "") and "X09=0000000040300100" in r["return"],
    "human-monitor-command info registers", r)

r = a.cmd("cont")
tap(r == {"return": {}}, "cont", r)
e = a.wait_event("RESUME")
tap(e is not None, "RESUME event", e)
c3 = c2
for _ in range(400):
    c3 = counter()
    if c3 != c2:
        break
    time.sleep(0.05)
tap(c3 is not None and c3 != c2, "the counter moves again after cont", (c2, c3))

# Errors
a.send_raw(b'{"execute": "query-status", ]\n')
r = a.reply()
tap(r and r["error"]["class"] == "GenericError" and r["error"]["desc"].startswith("JSON parse error"),
    "malformed JSON: GenericError", r)
r = a.cmd("no-such-command")
tap(r and r["error"]["class"] == "CommandNotFound" and "no-such-command" in r["error"]["desc"],
    "unknown command: CommandNotFound", r)
r = a.cmd("human-monitor-command", {"command-line": 5})
tap(r and r["error"]["class"] == "GenericError" and "command-line" in r["error"]["desc"],
    "wrong argument type: GenericError", r)
r = a.cmd("query-status", {"bogus": 1})
tap(r and r["error"]["class"] == "GenericError", "unexpected argument: GenericError", r)
r = a.cmd("human-monitor-command", {})
tap(r and r["error"]["class"] == "GenericError" and "missing" in r["error"]["desc"],
    "missing argument: GenericError", r)
a.send_raw(b"[1, 2]\n")
r = a.reply()
tap(r and r["error"]["class"] == "GenericError", "non-object request: GenericError", r)

# A client that leaves half-way through a request, then one that leaves
# before reading its reply: the VM keeps running and the socket serves again.
b.send_raw(b'{"execute": "human-monitor-command", "argum')
b.close()
c = Client(tmp + "/b.sock")
g = c.recv()
tap(g is not None and "QMP" in g, "new client after a mid-request disconnect gets a greeting", g)
c.cmd("qmp_capabilities")
c.send_raw(b'{"execute": "human-monitor-command", "arguments": {"command-line": "info mtree"}}\n')
c.close()
r = a.cmd("query-status")
tap(r and r["return"]["status"] == "running", "VM keeps running after clients vanish", r)
d = Client(tmp + "/b.sock")
d.recv()
r = d.cmd("qmp_capabilities")
r2 = d.cmd("query-status")
tap(r == {"return": {}} and r2 and r2["return"]["running"], "socket serves the next client", r2)

r = a.cmd("system_reset")
tap(r == {"return": {}}, "system_reset", r)
e = a.wait_event("RESET")
tap(e is not None and e.get("data", {}).get("guest") is False, "RESET event", e)
r = a.cmd("system_powerdown")
tap(r == {"return": {}}, "system_powerdown", r)
e = a.wait_event("POWERDOWN")
tap(e is not None, "POWERDOWN event", e)

r = a.cmd("quit")
tap(r == {"return": {}}, "quit", r)
e = a.wait_event("SHUTDOWN")
tap(e is not None and e.get("data", {}).get("reason") == "host-qmp-quit", "SHUTDOWN event", e)
print("1..%d" % tap.n)
sys.exit(1 if tap.fails else 0)
EOF
rc=$?
wait $pid
st=$?
echo "# tern exit status $st"
if [ $st != 0 ]; then
    sed 's/^/# stderr: /' "$TMP/tern.err" | head -20
    exit 1
fi
exit $rc
