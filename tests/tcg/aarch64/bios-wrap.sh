#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Stand-in emulator for run-bare.sh that boots the program as firmware:
# run-bare.sh passes "-kernel PROGRAM"; this runs $BIOS_WRAP_EMU with
# "-bios PROGRAM.bin" instead (the flat image made from the ELF), so the
# same TAP judging applies to programs started from flash at address 0.
set -u
emu=${BIOS_WRAP_EMU:?BIOS_WRAP_EMU names the emulator}
for a in "$@"; do
    shift
    if [ "${prev:-}" = "-kernel" ]; then
        set -- "$@" "${a%.elf}.bin"
    elif [ "$a" = "-kernel" ]; then
        set -- "$@" -bios
    else
        set -- "$@" "$a"
    fi
    prev=$a
done
exec "$emu" "$@"
