#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Writes a gzip-compressed cpio archive (the "newc" format the kernel's
# initramfs unpacker reads) holding the given files, so a test can append
# it to the busybox initramfs: Linux unpacks concatenated archives in
# order, and later entries add to the earlier ones.
#
# Usage: mkcpio.py OUT.cpio.gz GUESTPATH=HOSTFILE...
# Parent directories are created; files keep their host permission bits.

import gzip
import os
import sys


def entry(out, ino, name, mode, data):
    name_b = name.encode() + b"\0"
    fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(name_b), 0]
    hdr = b"070701" + b"".join(b"%08X" % f for f in fields)
    out.write(hdr + name_b)
    out.write(b"\0" * (-(len(hdr) + len(name_b)) % 4))
    out.write(data)
    out.write(b"\0" * (-len(data) % 4))


def main(argv):
    if len(argv) < 2:
        sys.exit("usage: mkcpio.py OUT.cpio.gz GUESTPATH=HOSTFILE...")
    dirs, files = [], []
    for spec in argv[2:]:
        guest, _, host = spec.partition("=")
        guest = guest.strip("/")
        parts = guest.split("/")
        for i in range(1, len(parts)):
            d = "/".join(parts[:i])
            if d not in dirs:
                dirs.append(d)
        files.append((guest, host))
    with gzip.open(argv[1], "wb", compresslevel=6) as out:
        ino = 1
        for d in dirs:
            entry(out, ino, d, 0o040755, b"")
            ino += 1
        for guest, host in files:
            with open(host, "rb") as f:
                data = f.read()
            perm = os.stat(host).st_mode & 0o777
            entry(out, ino, guest, 0o100000 | perm, data)
            ino += 1
        entry(out, ino, "TRAILER!!!", 0, b"")


if __name__ == "__main__":
    main(sys.argv)
