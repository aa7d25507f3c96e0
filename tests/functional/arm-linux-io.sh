#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Disk and network I/O of a real Linux guest on `-M virt -cpu max -smp 2`
# (Debian's arm64 kernel and the busybox initramfs of
# scripts/guest-images.sh, plus a small cpio with io-guest/ appended):
#   disk     the guest writes a random pattern with dd to a raw and a qcow2
#            virtio disk; the host finds the same bytes (qcow2 through
#            qemu-img convert) and qemu-img check passes;
#   interop  a qcow2 overlay made by qemu-img/qemu-io, with a compressed
#            backing file, zero clusters and a compressed cluster, reads in
#            the guest with the checksum of qemu-img's raw conversion;
#   kill     the guest writes numbered records, each fsync'd before it is
#            reported; SIGKILL at a random moment after the 8th, five times
#            on the same qcow2: qemu-img check finds no corruption (leaked
#            clusters, its exit 3, are allowed: the refcount goes to disk
#            before the L2 entry) and every reported record of every run
#            is there;
#   net      DHCP from user networking, wget from an HTTP server on the
#            host's loopback via 10.0.2.2, and hostfwd to the guest's httpd;
#   tap      a tap device in a network namespace of our own: static
#            addresses, ping both ways, an HTTP transfer (skipped without
#            /dev/net/tun, netns or root);
#   bad      corrupt qcow2 images given with -drive are refused with one
#            line naming the file and exit status 1.
# Speaks TAP; no timed assertions, every wait has a generous limit and the
# whole run stops after TIMEOUT seconds (default 400). The random pattern
# and kill moments come from SEED (default: random; printed).
#
# Usage: arm-linux-io.sh PATH/TO/EMULATOR   (qemu-system-aarch64 works too)
# Skips ("1..0 # SKIP", exit 0, which meson's TAP parser counts as skipped)
# when the images cannot be fetched or qemu-img/qemu-io are missing.

set -u

EMU=${1:?usage: arm-linux-io.sh PATH/TO/EMULATOR}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
GUEST=$SRC/tests/functional/io-guest
TIMEOUT=${TIMEOUT:-400}

skip() {
    echo "1..0 # SKIP $*"
    exit 0
}

command -v "$EMU" >/dev/null || skip "$EMU not found"
for tool in qemu-img qemu-io python3; do
    command -v "$tool" >/dev/null || skip "$tool not found (qemu-utils)"
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! IMAGES=$("$SRC/scripts/guest-images.sh" arm64 2>"$work/images.err"); then
    skip "cannot fetch the arm64 guest images: $(tail -1 "$work/images.err")"
fi
eval "$IMAGES"

exec python3 - "$EMU" "$KERNEL" "$INITRD" "$GUEST" "$work" "$TIMEOUT" <<'PY'
import atexit, functools, hashlib, http.server, os, random, re, select, shutil, signal
import socket, subprocess, sys, threading, time, urllib.request

emu, kernel, initrd, guest_dir, work, limit = sys.argv[1:]
deadline = time.monotonic() + int(limit)
seed = int(os.environ.get("SEED", random.randrange(1 << 30)))
rng = random.Random(seed)
print("# SEED=%d" % seed, flush=True)

KILL_RUNS = 5
KILL_AFTER = 8          # records reported before the random kill moment
PLAN = 4 + 2 + KILL_RUNS + 3 + 3 + 3
print("1..%d" % PLAN, flush=True)

procs = []
netns = []

def cleanup():
    for p in procs:
        if p.poll() is None:
            p.kill()
            p.wait()
    for ns in netns:
        subprocess.run(["ip", "netns", "del", ns], stderr=subprocess.DEVNULL)
atexit.register(cleanup)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
signal.signal(signal.SIGHUP, lambda *_: sys.exit(1))

ntest = 0
def done(ok, what, extra="", skip=None, log=None):
    global ntest
    ntest += 1
    status = "ok" if ok or skip is not None else "not ok"
    directive = " # SKIP " + skip if skip is not None else ""
    print("%s %d - %s%s%s" % (status, ntest, what, extra, directive), flush=True)
    if not ok and skip is None and log:
        for line in log[-25:]:
            print("#", line.rstrip("\r"))

def path(name):
    return os.path.join(work, name)

def sh(*cmd, **kw):
    return subprocess.run(list(cmd), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, **kw)

def sha256_file(name, offset=0, length=None):
    h = hashlib.sha256()
    with open(name, "rb") as f:
        f.seek(offset)
        left = length
        while left is None or left > 0:
            b = f.read(1 << 20 if left is None else min(left, 1 << 20))
            if not b:
                break
            h.update(b)
            if left is not None:
                left -= len(b)
    return h.hexdigest()

# The guest's files: io-guest/ and a random pattern, in a cpio that goes
# after the busybox initramfs.
with open(path("pattern"), "wb") as f:
    f.write(rng.randbytes(1 << 20))
PATTERN = sha256_file(path("pattern"))
cpio = path("io.cpio.gz")
subprocess.run([sys.executable, os.path.join(guest_dir, "mkcpio.py"), cpio,
                "io/io.sh=" + os.path.join(guest_dir, "io.sh"),
                "io/udhcpc.sh=" + os.path.join(guest_dir, "udhcpc.sh"),
                "io/pattern=" + path("pattern")], check=True)
with open(path("initrd.gz"), "wb") as out:
    for part in (initrd, cpio):
        with open(part, "rb") as f:
            shutil.copyfileobj(f, out)

class Guest:
    """One boot running `sh /io/io.sh STEP`; reads the console line by line."""

    def __init__(self, step, args, prefix=()):
        cmd = list(prefix) + [emu, "-M", "virt", "-cpu", "max", "-m", "1G", "-smp", "2",
               "-nographic", "-kernel", kernel, "-initrd", path("initrd.gz")] + args + [
               "-append", 'console=ttyAMA0 quiet tern.cmds="sh /io/io.sh %s"' % step]
        print("# " + " ".join(cmd), flush=True)
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, bufsize=0)
        procs.append(self.proc)
        self.buf = b""
        self.log = []
        self.io = {}

    def _take(self, data):
        self.buf += data
        while b"\n" in self.buf:
            line, self.buf = self.buf.split(b"\n", 1)
            line = line.decode(errors="replace").rstrip("\r")
            self.log.append(line)
            m = re.match(r"IO (\S+) ?(.*)", line)
            if m:
                self.io.setdefault(m.group(1), []).append(m.group(2))
                return line
        return None

    def lines(self, timeout):
        """Yield console lines until EOF or timeout (then the generator ends)."""
        end = min(time.monotonic() + timeout, deadline)
        while True:
            while b"\n" in self.buf:
                line = self._take(b"")
                if line is not None:
                    yield line
            left = end - time.monotonic()
            if left <= 0:
                return
            r, _, _ = select.select([self.proc.stdout], [], [], left)
            if not r:
                return
            data = os.read(self.proc.stdout.fileno(), 65536)
            if not data:
                if self.buf:
                    self.buf += b"\n"
                    continue
                return
            line = self._take(data)
            if line is not None:
                yield line

    def wait_io(self, key, timeout=120):
        if key in self.io:
            return True
        for line in self.lines(timeout):
            if line.startswith("IO " + key):
                return True
        return False

    def send(self, text):
        try:
            self.proc.stdin.write(text.encode())
        except OSError:
            pass

    def finish(self, timeout=120):
        """Read to the end; return the exit status (None: killed on timeout)."""
        for _ in self.lines(timeout):
            pass
        try:
            return self.proc.wait(timeout=max(1, min(10, deadline - time.monotonic())))
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            self.log.append("(killed: no exit in time)")
            return None

    def get(self, key):
        v = self.io.get(key)
        return v[-1] if v else None

def disk(name, fmt):
    return ["-drive", "file=%s,format=%s,if=virtio" % (path(name), fmt)]

NO_NIC = ["-nic", "none"]
MiB = 1 << 20

# --- disk: raw and qcow2 written by the guest, read back by the host ---
sh("qemu-img", "create", "-f", "raw", path("d.raw"), "16M")
sh("qemu-img", "create", "-f", "qcow2", path("d.qcow2"), "32M")
g = Guest("disk %d %d" % (16 * MiB // 512, 32 * MiB // 512),
          disk("d.raw", "raw") + disk("d.qcow2", "qcow2") + NO_NIC)
rc = g.finish()
ok = (rc == 0 and g.get("raw-write") == "ok" and g.get("qcow-write") == "ok"
      and g.get("qcow-write2") == "ok" and g.get("pattern") == PATTERN
      and g.get("raw-read") == PATTERN and g.get("qcow-read") == PATTERN)
done(ok, "disk: the guest writes the pattern to raw and qcow2, reads it back, powers off",
     " (exit %s)" % rc, log=g.log)
ok = sha256_file(path("d.raw"), MiB, MiB) == PATTERN and \
    sha256_file(path("d.raw"), 0, MiB) == hashlib.sha256(bytes(MiB)).hexdigest()
done(ok, "disk: the raw image holds the pattern at 1 MiB and zeros before it")
r = sh("qemu-img", "check", path("d.qcow2"))
done(r.returncode == 0, "disk: qemu-img check passes on the guest-written qcow2",
     log=r.stdout.splitlines())
r = sh("qemu-img", "convert", "-O", "raw", path("d.qcow2"), path("d.qcow2.raw"))
ok = r.returncode == 0 and sha256_file(path("d.qcow2.raw"), 12288, MiB) == PATTERN and \
    sha256_file(path("d.qcow2.raw"), 20 * MiB, MiB) == PATTERN and \
    sha256_file(path("d.qcow2.raw"), 0, 12288) == hashlib.sha256(bytes(12288)).hexdigest()
done(ok, "disk: qemu-img convert of the qcow2 gives the pattern at 12 KiB and 20 MiB",
     log=r.stdout.splitlines())

# --- interop: qemu-img's backing file, zero and compressed clusters ---
with open(path("base.raw"), "wb") as f:
    text = "".join("%d line of compressible text %d\n" % (i, i * i) for i in range(120000))
    f.write(text.encode()[:6 * MiB])
    f.write(rng.randbytes(2 * MiB))
    f.truncate(24 * MiB)
steps = [
    ["qemu-img", "convert", "-c", "-O", "qcow2", path("base.raw"), path("base.qcow2")],
    ["qemu-img", "create", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2", path("ov.qcow2")],
    ["qemu-io", "-c", "write -z 64k 192k", "-c", "write -P 0xab 3M 64k", "-c", "write -z 2M 64k",
     "-c", "write -c -P 0x5a 6M 64k", "-c", "write -P 0x11 100k 4k", "-c", "write -z 7M 1M",
     path("ov.qcow2")],
    ["qemu-img", "convert", "-O", "raw", path("ov.qcow2"), path("ov.raw")],
]
out = []
for cmd in steps:
    r = sh(*cmd)
    out += r.stdout.splitlines()
    if r.returncode != 0:
        break
chk = sh("qemu-img", "check", path("base.qcow2")).stdout
m = re.search(r"([\d.]+)% compressed", chk)
setup_ok = r.returncode == 0 and m and float(m.group(1)) > 0
if not setup_ok:
    out.append(chk)
g = Guest("checksum %d" % (24 * MiB // 512), disk("ov.qcow2", "qcow2") + NO_NIC)
rc = g.finish()
want = sha256_file(path("ov.raw")) if setup_ok else "?"
done(setup_ok and rc == 0 and g.get("checksum") == want,
     "interop: the guest's checksum of a backed qcow2 with zero and compressed clusters"
     " equals qemu-img's raw conversion", log=out + g.log)
r = sh("qemu-img", "check", path("ov.qcow2"))
done(r.returncode == 0, "interop: qemu-img check passes after the guest run",
     log=r.stdout.splitlines())

# --- kill: SIGKILL while the guest writes synced records ---
sh("qemu-img", "create", "-f", "qcow2", path("k.qcow2"), "128M")
SLOTS = 400
reported = {}
for run in range(KILL_RUNS):
    g = Guest("records %d %d %d" % (128 * MiB // 512, run, run * SLOTS),
              disk("k.qcow2", "qcow2") + NO_NIC)
    n = 0
    for line in g.lines(120):
        if line.startswith("IO synced"):
            n += 1
            if n >= KILL_AFTER:
                break
        if line.startswith("IO record-error"):
            break
    if n >= KILL_AFTER:
        # A random moment: keep reading (so the pipe does not stall the
        # guest) until it has passed.
        for _ in g.lines(rng.uniform(0, 0.5)):
            pass
    killed = g.proc.poll() is None
    g.proc.kill()
    g.proc.wait()
    # Whatever Tern wrote before it died was reported before the kill.
    for _ in g.lines(5):
        pass
    got = [int(v.split()[1]) for v in g.io.get("synced", []) if v.split()[0] == str(run)]
    reported[run] = got
    problems = []
    if not killed or n < KILL_AFTER:
        problems.append("the guest did not report %d records while running" % KILL_AFTER)
    if got != list(range(len(got))):
        problems.append("records reported out of order: %s" % got)
    # Exit 3 is "leaked clusters, not corrupted": a cluster whose refcount
    # was written before the kill but not yet the L2 entry. That is the
    # safe order, and what QEMU leaves after a crash too; count them.
    r = sh("qemu-img", "check", path("k.qcow2"))
    m = re.search(r"(\d+) leaked clusters were found", r.stdout)
    leaks = int(m.group(1)) if m and r.returncode == 3 else 0
    if r.returncode not in (0, 3) or (r.returncode == 3 and not leaks):
        problems.append("qemu-img check exit %d" % r.returncode)
        problems += r.stdout.splitlines()[-10:]
    r2 = sh("qemu-img", "convert", "-O", "raw", path("k.qcow2"), path("k.raw"))
    if r2.returncode != 0:
        problems += r2.stdout.splitlines()
    else:
        with open(path("k.raw"), "rb") as f:
            for prun, idxs in reported.items():
                for i in idxs:
                    f.seek((prun * SLOTS + i) * 65536)
                    rec = f.read(32)
                    if not rec.startswith(b"TERNREC %d %d\n" % (prun, i)):
                        problems.append("record %d of run %d missing: %r" % (i, prun, rec))
    done(not problems, "kill %d: after SIGKILL at %d reported records qemu-img check finds no"
         " corruption and every reported record of runs 0-%d is there%s"
         % (run, len(got), run, " (%d leaked cluster(s))" % leaks if leaks else ""),
         log=problems + (g.log if not killed or n < KILL_AFTER else []))

# --- net: user networking ---
def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port

def fetch(url, prefix=()):
    if prefix:
        r = subprocess.run(list(prefix) + [sys.executable, "-c",
            "import hashlib,sys,urllib.request;"
            "print(hashlib.sha256(urllib.request.urlopen(sys.argv[1], timeout=30).read()).hexdigest())",
            url], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
        return r.stdout.strip()
    try:
        return hashlib.sha256(urllib.request.urlopen(url, timeout=30).read()).hexdigest()
    except OSError as e:
        return "error: %s" % e

class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

served = os.path.join(work, "www")
os.mkdir(served)
shutil.copy(path("pattern"), os.path.join(served, "blob"))
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                         functools.partial(Quiet, directory=served))
threading.Thread(target=server.serve_forever, daemon=True).start()
hport = free_port()
g = Guest("net %d blob" % server.server_address[1],
          ["-netdev", "user,id=n0,hostfwd=tcp:127.0.0.1:%d-:8080" % hport,
           "-device", "virtio-net-pci,netdev=n0"])
g.wait_io("waiting", 120)
lease = g.get("dhcp")
done(lease is not None and lease.startswith("10.0.2."), "net: DHCP lease from user networking",
     " (%s)" % lease, log=g.log)
done(g.get("wget") == PATTERN, "net: wget of the host's file via 10.0.2.2 has the right checksum",
     log=g.log)
got = fetch("http://127.0.0.1:%d/pattern" % hport) if g.get("httpd") == "up" else "no httpd"
done(got == PATTERN, "net: the host reaches the guest's httpd through hostfwd",
     "" if got == PATTERN else " (%s)" % got, log=g.log)
g.send("done\n")
g.finish(60)
server.shutdown()

# --- tap in a network namespace ---
why = None
if os.geteuid() != 0:
    why = "needs root for a network namespace"
elif not os.path.exists("/dev/net/tun"):
    why = "no /dev/net/tun"
elif not shutil.which("ip"):
    why = "no ip command"
else:
    ns = "tern-io-%d" % os.getpid()
    r = sh("ip", "netns", "add", ns)
    if r.returncode != 0:
        why = "ip netns add failed: " + r.stdout.strip().splitlines()[-1]
    else:
        netns.append(ns)
        for cmd in (["ip", "-n", ns, "link", "set", "lo", "up"],
                    ["ip", "-n", ns, "tuntap", "add", "dev", "terntap0", "mode", "tap"],
                    ["ip", "-n", ns, "addr", "add", "192.168.77.1/24", "dev", "terntap0"],
                    ["ip", "-n", ns, "link", "set", "terntap0", "up"]):
            r = sh(*cmd)
            if r.returncode != 0:
                why = "%s failed: %s" % (" ".join(cmd), r.stdout.strip())
                break
if why:
    for what in ("ping guest to host", "ping host to guest", "HTTP transfer"):
        done(False, "tap: " + what, skip=why)
else:
    prefix = ["ip", "netns", "exec", ns]
    g = Guest("tap 192.168.77.2/24 192.168.77.1",
              ["-netdev", "tap,id=t0,ifname=terntap0,script=no,downscript=no",
               "-device", "virtio-net-pci,netdev=t0"], prefix=prefix)
    g.wait_io("waiting", 120)
    done(g.get("ping") == "ok", "tap: ping guest to host", log=g.log)
    ping = ["ping"] if shutil.which("ping") else ["busybox", "ping"] if shutil.which("busybox") else None
    if ping:
        r = sh(*prefix, *ping, "-c", "3", "-W", "5", "192.168.77.2")
        done(r.returncode == 0, "tap: ping host to guest", log=r.stdout.splitlines())
    else:
        done(False, "tap: ping host to guest", skip="no ping (nor busybox) on the host")
    got = fetch("http://192.168.77.2:8080/pattern", prefix) if g.get("httpd") == "up" else "no httpd"
    done(got == PATTERN, "tap: HTTP transfer from the guest to the host",
         "" if got == PATTERN else " (%s)" % got, log=g.log)
    g.send("done\n")
    g.finish(60)

# --- bad input: corrupt qcow2 images on the command line ---
def corrupt(name, how):
    p = path(name)
    sh("qemu-img", "create", "-f", "qcow2", p, "16M")
    with open(p, "r+b") as f:
        if how == "magic":
            f.write(b"QFI\x00")
        elif how == "l1":
            f.seek(40)          # l1_table_offset
            f.write((1 << 40).to_bytes(8, "big"))
        elif how == "truncated":
            f.truncate(40)
    return p

for name, how, what in (("badmagic.qcow2", "magic", "bad magic"),
                        ("badl1.qcow2", "l1", "L1 table past the end"),
                        ("short.qcow2", "truncated", "truncated header")):
    p = corrupt(name, how)
    try:
        r = subprocess.run([emu, "-M", "virt", "-cpu", "max", "-m", "256M", "-nographic",
                            "-nic", "none", "-kernel", kernel,
                            "-drive", "file=%s,format=qcow2,if=virtio" % p],
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, universal_newlines=True, timeout=30)
        rc, err = r.returncode, r.stderr
    except subprocess.TimeoutExpired:
        rc, err = None, "(still running after 30 s)"
    lines = err.strip().splitlines()
    ok = rc == 1 and len(lines) == 1 and name in lines[0]
    done(ok, "bad input: %s is refused with one line naming the file, exit 1" % what,
         " (exit %s: %s)" % (rc, lines[0] if lines else ""), log=lines)

sys.exit(0)
PY
