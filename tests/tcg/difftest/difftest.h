/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared definitions of the difftest guest programs: the register-state
 * block the trampoline (seqrun.S) loads before a sequence and stores after
 * it, the table the generator emits, and the two small functions each
 * platform (Linux user mode, bare-metal virt) provides. Offsets are plain
 * macros so that assembly files can include this header too.
 */
#ifndef TCG_DIFFTEST_H
#define TCG_DIFFTEST_H

#define DT_OFF_X        0       /* x0..x30, 8 bytes each (x29/x30 unused) */
#define DT_OFF_SP       248     /* the sequence's SP, inside the scratch buffer */
#define DT_OFF_NZCV     256
#define DT_OFF_FPCR     264
#define DT_OFF_FPSR     272
#define DT_OFF_CODE     280     /* in-state only: address of the sequence */
#define DT_OFF_OUT      288     /* in-state only: where to store the result */
#define DT_OFF_V        304     /* v0..v31, 16 bytes each, 16-byte aligned */
#define DT_STATE_SIZE   816

#define DT_SCRATCH_SIZE 4096
/*
 * x28 points to the middle of the buffer, so offsets run -2048..2047. SP
 * starts there too: the trampoline gives the sequence its own stack inside
 * the buffer, at the same address in both images.
 */
#define DT_SCRATCH_BASE_OFF 2048

/* dt_flags bits */
#define DT_FLAG_VERBOSE 1       /* dump the whole state, not only a hash */

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

typedef struct DtState {
    uint64_t x[31];
    uint64_t sp;
    uint64_t nzcv;
    uint64_t fpcr;
    uint64_t fpsr;
    uint64_t code;
    struct DtState *out;
    uint64_t pad;
    uint64_t v[32][2];          /* [0] low half, [1] high half */
} __attribute__((aligned(16))) DtState;

_Static_assert(offsetof(DtState, sp) == DT_OFF_SP, "DtState layout");
_Static_assert(offsetof(DtState, nzcv) == DT_OFF_NZCV, "DtState layout");
_Static_assert(offsetof(DtState, fpcr) == DT_OFF_FPCR, "DtState layout");
_Static_assert(offsetof(DtState, fpsr) == DT_OFF_FPSR, "DtState layout");
_Static_assert(offsetof(DtState, code) == DT_OFF_CODE, "DtState layout");
_Static_assert(offsetof(DtState, out) == DT_OFF_OUT, "DtState layout");
_Static_assert(offsetof(DtState, v) == DT_OFF_V, "DtState layout");
_Static_assert(sizeof(DtState) == DT_STATE_SIZE, "DtState layout");

/* One generated sequence: its code and the seed of its initial state. */
typedef struct DtEntry {
    uint64_t code;
    uint64_t seed;
    uint64_t index;             /* the sequence's number within its class */
} DtEntry;

/* Emitted by the generator (seq.S). */
extern const DtEntry dt_table[];
extern const uint64_t dt_nseq;
extern const uint64_t dt_flags;

/* seqrun.S: load *in, run in->code, store the registers to *in->out. */
void dt_seq_run(DtState *in);

/* core.c */
int dt_main(void);
/* Index of the sequence running now, for the platforms' fault reports. */
extern volatile uint64_t dt_current;

/* Per platform. */
/* 1 in the Linux image, 2 in the bare-metal one: the harness self-test reads it. */
extern const uint64_t dt_platform_id;
void plat_write(const char *buf, size_t len);
void plat_exit(int code) __attribute__((noreturn));
#endif

#endif
