/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reference generator for tests/unit/test-arm-fp.c: an AArch64 Linux
 * program, run under qemu-aarch64 (or on hardware) by regen-arm-fp.sh. For
 * every operation and precision of fp-cases.h it executes each case as the
 * real instruction (the encoding is patched into a small stub in an
 * executable buffer), with the case's FPCR, and prints the hashes of the
 * results and FPSR flags as C initialisers (arm-fp-expected.inc).
 *   gen-arm-fp                     the table
 *   gen-arm-fp dump NAME ESZ       every case of one operation, one per line
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "fp-cases.h"

typedef struct StubState {
    uint64_t a, b, c, fpcr;         /* 0, 8, 16, 24 */
    uint64_t fpsr, nzcv;            /* 32, 40 */
    uint64_t vres, xres;            /* 48, 56 */
    uint64_t marker;                /* 64 */
} StubState;

extern const uint32_t stub_start[], stub_insn[], stub_end[];

__asm__(".text\n"
        ".balign 4\n"
        ".global stub_start, stub_insn, stub_end\n"
        "stub_start:\n"
        "  mov x10, x0\n"
        "  ldr x9, [x10, #24]\n"
        "  msr fpcr, x9\n"
        "  msr fpsr, xzr\n"
        "  msr nzcv, xzr\n"
        "  ldr d1, [x10, #0]\n"
        "  ldr d2, [x10, #8]\n"
        "  ldr d3, [x10, #16]\n"
        "  ldr x1, [x10, #0]\n"
        "  ldr d0, [x10, #64]\n"
        "  ldr x0, [x10, #64]\n"
        "stub_insn:\n"
        "  nop\n"
        "  mrs x9, fpsr\n"
        "  str x9, [x10, #32]\n"
        "  mrs x9, nzcv\n"
        "  str x9, [x10, #40]\n"
        "  str d0, [x10, #48]\n"
        "  str x0, [x10, #56]\n"
        "  msr fpcr, xzr\n"
        "  ret\n"
        "stub_end:\n");

static uint32_t *code;

static void run_case(const FPCaseOp *op, int esz, const FPCase *c, FPResult *res)
{
    /* separate symbols: compare addresses as integers */
    size_t n = ((uintptr_t)stub_end - (uintptr_t)stub_start) / 4;
    size_t slot = ((uintptr_t)stub_insn - (uintptr_t)stub_start) / 4;
    uint32_t insn = op->enc[esz];
    StubState st = {
        .a = c->a, .b = c->b, .c = c->c, .fpcr = c->fpcr,
        .marker = 0x5a5a5a5a5a5a5a5aull,
    };
    int to = op->kind == FPK_CVT ? op->to : esz;

    if (op->kind == FPK_TOFIX || op->kind == FPK_FROMFIX) {
        insn |= (uint32_t)(64 - c->fbits) << 10;
    }
    memcpy(code, stub_start, n * 4);
    code[slot] = insn;
    __builtin___clear_cache((char *)code, (char *)(code + n));
    ((void (*)(StubState *))code)(&st);

    res->fpsr = (uint32_t)st.fpsr & 0x9f;
    res->nzcv = 0;
    switch (op->kind) {
    case FPK_CMP:
        res->val = 0;
        res->nzcv = (uint32_t)st.nzcv;
        break;
    case FPK_JCVT:
        res->val = st.xres;
        res->nzcv = (uint32_t)st.nzcv;
        break;
    case FPK_TOINT:
    case FPK_TOFIX:
        res->val = st.xres;
        break;
    default: {
        int bits = to == 3 ? 64 : to == 2 ? 32 : 16;

        res->val = bits == 64 ? st.vres : st.vres & ((1ull << bits) - 1);
        break;
    }
    }
}

int main(int argc, char **argv)
{
    code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    if (argc == 4 && !strcmp(argv[1], "dump")) {
        int esz = atoi(argv[3]);

        for (size_t i = 0; i < FPC_N_OPS; i++) {
            const FPCaseOp *op = &fpc_ops[i];

            if (strcmp(op->name, argv[2]) || !fpc_has(op, esz)) {
                continue;
            }
            for (uint32_t k = 0; k < FPC_CASES; k++) {
                FPCase c;
                FPResult r;

                fpc_case(op, esz, k, &c);
                run_case(op, esz, &c, &r);
                printf("%u fpcr=%08x a=%016llx b=%016llx c=%016llx f=%d -> %016llx fpsr=%02x nzcv=%x\n",
                       k, c.fpcr, (unsigned long long)c.a, (unsigned long long)c.b,
                       (unsigned long long)c.c, c.fbits, (unsigned long long)r.val,
                       r.fpsr, r.nzcv >> 28);
            }
        }
        return 0;
    }
    for (size_t i = 0; i < FPC_N_OPS; i++) {
        const FPCaseOp *op = &fpc_ops[i];

        for (int esz = 1; esz <= 3; esz++) {
            if (!fpc_has(op, esz)) {
                continue;
            }
            printf("{ \"%s\", %d, {", op->name, esz);
            for (uint32_t blk = 0; blk < FPC_CASES / FPC_BLOCK; blk++) {
                uint64_t h = 0;

                for (uint32_t k = blk * FPC_BLOCK; k < (blk + 1) * FPC_BLOCK; k++) {
                    FPCase c;
                    FPResult r;

                    fpc_case(op, esz, k, &c);
                    run_case(op, esz, &c, &r);
                    h = fpc_hash(h, &r);
                }
                printf(" 0x%016llxull,", (unsigned long long)h);
            }
            printf(" } },\n");
        }
    }
    return 0;
}
