#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# HMP over a unix-socket chardev against a real guest, as TAP: -M virt runs
# guest-arm/spin.S, which fills a RAM pattern, loads known values into
# x0..x5 and spins in `b .` at 0x40200100. The test stops it there and
# checks registers, disassembly, memory dumps, the device and memory trees,
# completion, history, cont, system_reset and quit. With /dev/kvm, the same
# for -M pc -accel kvm on the x86 gdb-target kernel (registers, $rip, x/i,
# info tlb, a RAM counter that stands while paused). Needs python3 (stdlib).
# Usage: hmp.sh PATH/TO/tern BUILD/tests/functional
set -u
TERN=${1:?usage: hmp.sh PATH/TO/tern GUEST_DIR}
GDIR=${2:-$(dirname "$TERN")/tests/functional}
GUEST=$GDIR/guest-arm-spin.elf
. "$(dirname "$0")/lib.sh"
[ -f "$GUEST" ] || skip_all "guest-arm-spin.elf not built (needs aarch64-linux-gnu-gcc)"
require_cmd python3 "no python3"
sock=$TMP/hmp.sock
cat >"$TMP/hmp.py" <<'EOF'
import os, re, socket, sys, time

from taplib import Tap, connect

sock_path, pid, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
tap = Tap(int(sys.argv[4]))
s = connect(sock_path, socket.AF_UNIX, tries=200)
if s is None:
    print("Bail out! cannot connect to the monitor socket")
    sys.exit(1)
s.settimeout(30)
buf = b""

def read_prompt():
    """Everything up to the next prompt, CR LF folded to LF."""
    global buf
    while b"(tern) " not in buf:
        chunk = s.recv(65536)
        if not chunk:
            break
        buf += chunk
    out, sep, buf = buf.partition(b"(tern) ")
    return out.decode(errors="replace").replace("\r\n", "\n")

def cmd(line, raw=False):
    s.sendall(line.encode() + (b"" if raw else b"\r"))
    out = read_prompt()
    # The first line is the echo of what was typed.
    return out.split("\n", 1)[1] if "\n" in out else ""

marks = 0

def drain():
    """Output up to a fresh marker: editing keys may redraw the prompt."""
    global marks
    marks += 1
    mark = "SYNC%d" % marks
    s.sendall(("echo %s\r" % mark).encode())
    out = ""
    while True:
        part = read_prompt()
        out += part
        if re.search(r"^%s$" % mark, part, re.M) or not part:
            return out

banner = read_prompt()
tap("Tern" in banner and "monitor" in banner, "banner and prompt", banner)

def arm_checks():
    # The guest reaches `spin` after a few dozen instructions; wait for it.
    pc = ""
    for _ in range(400):
        pc = cmd("p/x $pc").strip()
        if pc == "0x40200100":
            break
        time.sleep(0.05)
    tap(pc == "0x40200100", "guest reaches spin (p/x $pc)", pc)

    cmd("stop")
    out = cmd("info status")
    tap("VM status: paused" in out, "stop: info status paused", out)

    regs = cmd("info registers")
    want = ["PC=0000000040200100", "X00=0000000000001111", "X01=0000000000002222",
            "X02=0000000000003333", "X03=0000000000004444", "X04=0000000000005555",
            "X05=deadbeef12345678"]
    missing = [w for w in want if w not in regs]
    tap(not missing, "info registers shows the known values", "missing %s\n%s" % (missing, regs))

    out = cmd("x/4i $pc")
    first = out.split("\n")[0]
    tap(re.search(r"0x0*40200100:.*\bb\s+#0x40200100", first) is not None and
        len([l for l in out.split("\n") if l.strip()]) == 4,
        "x/4i $pc shows `b .` first, four lines", out)

    out = cmd("xp /4xw 0x40300000")
    tap("0xcafe0000 0xcafe0001 0xcafe0002 0xcafe0003" in out, "xp /4xw shows the pattern", out)
    out = cmd("x/2xg 0x40300000")
    tap("0xcafe0001cafe0000 0xcafe0003cafe0002" in out, "x/2xg through the MMU-off translation", out)
    out = cmd("xp/2c 0x40300002")
    tap("'\\xfe' '\\xca'" in out, "xp/2c prints characters", out)

    out = cmd("p $x0").strip()
    tap(out == "4369", "p $x0 (decimal)", out)
    out = cmd("p/x $x5").strip()
    tap(out == "0xdeadbeef12345678", "p/x $x5", out)
    out = cmd("print /x ($x1 + $x2) << 4").strip()
    tap(out == "0x55550", "print expression on registers", out)
    out = cmd("p $nosuch")
    tap("unknown register" in out, "p of an unknown register: one-line error", out)

    out = cmd("info mtree")
    tap("pl011" in out and "(prio 0, ram): ram" in out, "info mtree", out[:2000])
    out = cmd("info mtree -f")
    tap("pl011" in out, "info mtree -f", out[:2000])
    out = cmd("info qtree")
    tap("bus: main-system-bus" in out and "dev: pl031" in out, "info qtree", out[:2000])
    out = cmd("info cpus")
    tap(re.search(r"^\* CPU #0: thread_id=\d+", out, re.M) is not None, "info cpus", out)
    out = cmd("info jit")
    m = re.search(r"TBs translated\s+(\d+)", out)
    tap(m is not None and int(m.group(1)) > 0 and "gen code size" in out, "info jit counters", out)
    out = cmd("info tlb")
    tap("0000000040200000" in out, "info tlb lists the code page", out)
    out = cmd("info kvm")
    tap("kvm support: disabled" in out, "info kvm under tcg", out)
    out = cmd("info irq")
    tap("CPU #0: pending" in out, "info irq", out)
    out = cmd("info version")
    tap(re.match(r"\d+\.\d+\.\d+", out.strip()) is not None, "info version", out)
    out = cmd("info name")
    tap(out.strip() == "hmptest", "info name", out)
    out = cmd("info chardev")
    tap("compat_monitor0" in out, "info chardev", out)
    out = cmd("info block") + cmd("info network") + cmd("info pci") + cmd("info blockstats")
    tap("unknown command" not in out, "info block/network/pci/blockstats exist", out)
    out = cmd("sendkey ctrl-alt-delete")
    tap(out.strip() == "no display", "sendkey: no display", out)
    out = cmd("screendump /nonexistent/x.ppm")
    tap(out.strip() == "no display", "screendump: no display", out)
    out = cmd("cpu 7")
    tap("invalid CPU index" in out, "cpu 7 on one CPU: error", out)
    out = cmd("cpu 0")
    tap(out.strip() == "", "cpu 0", out)
    out = cmd("frobnicate")
    tap("unknown command: 'frobnicate'" in out, "unknown command", out)
    out = cmd("help")
    tap(all(c in out for c in ["info", "xp", "print|p", "gdbserver", "system_reset", "cpu"]),
        "help lists the commands", out)
    out = cmd("help info")
    tap("info registers" in out and "info jit" in out, "help info", out)
    out = cmd("log help")
    tap("guest_errors" in out, "log help", out)
    out = cmd("log nosuchitem")
    tap("nosuchitem" in out, "log with a bad item: one-line error", out)

    # Tab completion: "info mt<TAB>" becomes "info mtree", then Enter runs it.
    s.sendall(b"info mt\t")
    time.sleep(0.2)
    s.sendall(b"\r")
    out = drain()
    tap("address-space: memory" in out, "tab completion of an info sub-command", out[:500])
    s.sendall(b"syst\t\t")
    time.sleep(0.2)
    s.sendall(b"\x15")   # Ctrl-U: drop the half-typed line
    s.sendall(b"\r")
    out = drain()
    tap("system_powerdown" in out and "system_reset" in out, "tab twice lists candidates", out)

    # History: up-arrow recalls the last command.
    cmd("p 41+1")
    s.sendall(b"\x1b[A\r")
    out = drain()
    tap("42" in out, "up-arrow recalls the last command", out)
    out = cmd("info history")
    tap("'p 41+1'" in out and "'stop'" in out, "info history", out)

    cmd("cont")
    out = cmd("info status")
    tap("VM status: running" in out, "cont: running", out)
    out = cmd("system_reset")
    tap(out.strip() == "", "system_reset", out)
    pc = ""
    for _ in range(400):
        pc = cmd("p/x $pc").strip()
        if pc == "0x40200100":
            break
        time.sleep(0.05)
    tap(pc == "0x40200100", "guest back at spin after system_reset", pc)


def x86_checks():
    out = cmd("info kvm")
    tap("kvm support: enabled" in out, "x86: info kvm", out)
    regs = cmd("info registers")
    tap(all(w in regs for w in ["RIP=", "RAX=", "CR0=", "EFER="]), "x86: info registers", regs)
    rip = cmd("p/x $rip").strip()
    tap(rip.startswith("0x"), "x86: p/x $rip", rip)
    out = cmd("x/2i $rip")
    tap(len([l for l in out.split("\n") if l.strip()]) == 2 and "unknown" not in out,
        "x86: x/2i $rip disassembles", out)
    out = cmd("p ($cr0 & 1) + ($eax >> 32)").strip()
    tap(out == "1", "x86: $cr0 (protected mode) and 32-bit $eax", out)
    out = cmd("info tlb")
    tap(re.search(r"^0000000000000000: ", out, re.M) is not None, "x86: info tlb walks the page tables", out[:500])
    out = cmd("info jit")
    tap("JIT not in use" in out, "x86: info jit under kvm", out)
    out = cmd("info cpus")
    tap("* CPU #0: thread_id=" in out, "x86: info cpus", out)
    # The kernel counts in `counter` at 0x108000 (see tests/x86/gdb-target.c).
    c0 = ""
    for _ in range(400):
        c0 = cmd("xp/1xg 0x108000")
        if not c0.strip().endswith("0x0000000000000000"):
            break
        time.sleep(0.05)
    cmd("stop")
    c1 = cmd("xp/1xg 0x108000")
    cmd("info registers")
    c2 = cmd("x/1xg 0x108000")
    tap(c1 == c2 and "0x" in c1, "x86: counter stands while paused (xp and x agree)", c1 + c2)
    cmd("cont")
    c3 = c2
    for _ in range(400):
        c3 = cmd("xp/1xg 0x108000")
        if c3 != c2:
            break
        time.sleep(0.05)
    tap(c3 != c2, "x86: counter moves after cont", c3)
    out = cmd("system_reset")
    tap(out.strip() == "", "x86: system_reset", out)

(arm_checks if mode == 'arm' else x86_checks)()

s.sendall(b"quit\r")
status = None
for _ in range(400):
    try:
        os.kill(pid, 0)
    except OSError:
        status = 0
        break
    time.sleep(0.05)
tap(status == 0, "quit ends the process")
with open(os.path.join(os.path.dirname(sock_path), "n"), "w") as f:
    f.write(str(tap.n))
sys.exit(1 if tap.fails else 0)
EOF

# run_guest MODE ARGS...: one Tern with HMP on a socket; the script's checks.
run_guest() {
    local mode=$1
    shift
    rm -f "$sock"
    spawn tern "$TERN" "$@" -display none -serial none -monitor "unix:$sock,server=on,wait=off" \
        </dev/null
    pid=$SPAWNED
    python3 "$TMP/hmp.py" "$sock" "$pid" "$mode" "$(cat "$TMP/n")"
    local rc=$?
    wait $pid
    local st=$?
    if [ $st != 0 ]; then
        echo "# tern exit status $st"
        sed 's/^/# stderr: /' "$TMP/tern.err" | head -20
        rc=1
    fi
    return $rc
}

echo 0 >"$TMP/n"
failed=0
run_guest arm -M virt -cpu max -name hmptest -kernel "$GUEST" || failed=1
KERNEL=$(dirname "$TERN")/tests/x86/gdb-target.elf
if have_kvm && [ -f "$KERNEL" ]; then
    run_guest x86 -M pc -accel kvm -kernel "$KERNEL" -append forever || failed=1
else
    echo "# x86 part skipped: no /dev/kvm or no tests/x86/gdb-target.elf"
fi
echo "1..$(cat "$TMP/n")"
exit $failed
