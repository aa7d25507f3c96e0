/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Disassembly of guest and host code for -d in_asm/out_asm, the monitor
 * and the gdb stub, through capstone. Output is one instruction per line:
 * "0x<16 hex digits>:  <raw bytes>  <mnemonic operands>\n"; bytes that do
 * not decode are printed as ".byte 0x.." so bad input never stops a dump.
 */
#ifndef UTIL_DISAS_H
#define UTIL_DISAS_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    DISAS_AARCH64,
    DISAS_X86_64,
    DISAS_I386,
    DISAS_I8086,
    DISAS_ARCH_MAX,
} DisasArch;

/* Append the disassembly of code[0..len) loaded at vaddr. */
void disas_to_string(GString *out, DisasArch arch, const void *code, size_t len, uint64_t vaddr);

/*
 * Append one line for the instruction at code; returns the bytes it
 * consumed (0 only when len is 0).
 */
size_t disas_one(GString *out, DisasArch arch, const void *code, size_t len, uint64_t vaddr);

/*
 * Mnemonic and operands only ("mov x0, #1") of the instruction at code.
 * Returns false and leaves out untouched if it does not decode.
 */
bool disas_insn_text(GString *out, DisasArch arch, const void *code, size_t len,
                     uint64_t vaddr, size_t *insn_len);

#endif
