/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The trampoline around one generated sequence: load every register the
 * sequence may see from the in-state (NZCV, FPCR, FPSR, v0-v31, x0-x28,
 * SP), call it, store everything back to the out-state. x29 holds the
 * out-state pointer and x30 the return address while the sequence runs;
 * sequences never touch x29 or x30, and move SP only inside the scratch
 * buffer. The runtime's own SP waits in dt_saved_sp. BLR X30 reads the
 * target before it writes the link register, so the code address can
 * travel in x30 itself.
 */
#include "difftest.h"

    .text
    .global dt_seq_run
    .type   dt_seq_run, %function
dt_seq_run:
    stp     x29, x30, [sp, #-160]!
    stp     x19, x20, [sp, #16]
    stp     x21, x22, [sp, #32]
    stp     x23, x24, [sp, #48]
    stp     x25, x26, [sp, #64]
    stp     x27, x28, [sp, #80]
    stp     d8, d9, [sp, #96]
    stp     d10, d11, [sp, #112]
    stp     d12, d13, [sp, #128]
    stp     d14, d15, [sp, #144]

    mov     x29, x0
    adrp    x2, dt_saved_sp
    mov     x1, sp
    str     x1, [x2, :lo12:dt_saved_sp]
    ldr     x1, [x29, #DT_OFF_SP]
    mov     sp, x1
    ldr     x1, [x29, #DT_OFF_NZCV]
    msr     nzcv, x1
    ldr     x1, [x29, #DT_OFF_FPCR]
    msr     fpcr, x1
    ldr     x1, [x29, #DT_OFF_FPSR]
    msr     fpsr, x1
    add     x1, x29, #DT_OFF_V
    ldp     q0, q1, [x1, #0]
    ldp     q2, q3, [x1, #32]
    ldp     q4, q5, [x1, #64]
    ldp     q6, q7, [x1, #96]
    ldp     q8, q9, [x1, #128]
    ldp     q10, q11, [x1, #160]
    ldp     q12, q13, [x1, #192]
    ldp     q14, q15, [x1, #224]
    ldp     q16, q17, [x1, #256]
    ldp     q18, q19, [x1, #288]
    ldp     q20, q21, [x1, #320]
    ldp     q22, q23, [x1, #352]
    ldp     q24, q25, [x1, #384]
    ldp     q26, q27, [x1, #416]
    ldp     q28, q29, [x1, #448]
    ldp     q30, q31, [x1, #480]
    ldp     x0, x1, [x29, #0]
    ldp     x2, x3, [x29, #16]
    ldp     x4, x5, [x29, #32]
    ldp     x6, x7, [x29, #48]
    ldp     x8, x9, [x29, #64]
    ldp     x10, x11, [x29, #80]
    ldp     x12, x13, [x29, #96]
    ldp     x14, x15, [x29, #112]
    ldp     x16, x17, [x29, #128]
    ldp     x18, x19, [x29, #144]
    ldp     x20, x21, [x29, #160]
    ldp     x22, x23, [x29, #176]
    ldp     x24, x25, [x29, #192]
    ldp     x26, x27, [x29, #208]
    ldr     x28, [x29, #224]
    ldr     x30, [x29, #DT_OFF_CODE]
    ldr     x29, [x29, #DT_OFF_OUT]
    clrex                               /* no exclusive state from before */
    blr     x30

    stp     x0, x1, [x29, #0]
    mov     x0, sp
    str     x0, [x29, #DT_OFF_SP]
    adrp    x1, dt_saved_sp
    ldr     x1, [x1, :lo12:dt_saved_sp]
    mov     sp, x1
    mrs     x0, nzcv
    mrs     x1, fpsr
    str     x0, [x29, #DT_OFF_NZCV]
    str     x1, [x29, #DT_OFF_FPSR]
    mrs     x0, fpcr
    str     x0, [x29, #DT_OFF_FPCR]
    stp     x2, x3, [x29, #16]
    stp     x4, x5, [x29, #32]
    stp     x6, x7, [x29, #48]
    stp     x8, x9, [x29, #64]
    stp     x10, x11, [x29, #80]
    stp     x12, x13, [x29, #96]
    stp     x14, x15, [x29, #112]
    stp     x16, x17, [x29, #128]
    stp     x18, x19, [x29, #144]
    stp     x20, x21, [x29, #160]
    stp     x22, x23, [x29, #176]
    stp     x24, x25, [x29, #192]
    stp     x26, x27, [x29, #208]
    str     x28, [x29, #224]
    add     x1, x29, #DT_OFF_V
    stp     q0, q1, [x1, #0]
    stp     q2, q3, [x1, #32]
    stp     q4, q5, [x1, #64]
    stp     q6, q7, [x1, #96]
    stp     q8, q9, [x1, #128]
    stp     q10, q11, [x1, #160]
    stp     q12, q13, [x1, #192]
    stp     q14, q15, [x1, #224]
    stp     q16, q17, [x1, #256]
    stp     q18, q19, [x1, #288]
    stp     q20, q21, [x1, #320]
    stp     q22, q23, [x1, #352]
    stp     q24, q25, [x1, #384]
    stp     q26, q27, [x1, #416]
    stp     q28, q29, [x1, #448]
    stp     q30, q31, [x1, #480]

    /* Leave the runtime with a plain FP environment. */
    msr     fpcr, xzr
    ldp     d8, d9, [sp, #96]
    ldp     d10, d11, [sp, #112]
    ldp     d12, d13, [sp, #128]
    ldp     d14, d15, [sp, #144]
    ldp     x19, x20, [sp, #16]
    ldp     x21, x22, [sp, #32]
    ldp     x23, x24, [sp, #48]
    ldp     x25, x26, [sp, #64]
    ldp     x27, x28, [sp, #80]
    ldp     x29, x30, [sp], #160
    ret
    .size   dt_seq_run, . - dt_seq_run

    .bss
    .balign 8
dt_saved_sp:
    .skip   8
