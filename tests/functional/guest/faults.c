/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A Linux/arm64 userland program for the ARM Linux guest test: it provokes
 * the synchronous exceptions an emulator's MMU and decoder must turn into
 * the right guest fault (a translation fault, a permission fault, an
 * alignment fault from an unaligned exclusive, an undefined instruction),
 * and checks that the guest kernel delivered each one as the signal,
 * si_code and si_addr the architecture implies. One line per case:
 *   fault: SIGSEGV ok addr=0x... code=SEGV_MAPERR
 * then "faults: N/N ok". Exit status 0 only when every case is right.
 * Built static with aarch64-linux-gnu-gcc by scripts/guest-images.sh.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/*
 * The faulting instructions live in assembly so that their addresses are
 * known exactly: si_addr of a SIGILL is the PC of the instruction, and the
 * compiler must not reorder, merge or drop the accesses.
 */
void fault_udf(void);
uint64_t fault_ldxr(const void *p);
uint64_t fault_load(const void *p);
void fault_store(void *p);

__asm__(".text\n"
        ".global fault_udf\n"
        ".type fault_udf, %function\n"
        "fault_udf:\n"
        "    .inst 0x00000000\n" /* UDF #0: permanently undefined */
        "    ret\n"
        ".global fault_ldxr\n"
        ".type fault_ldxr, %function\n"
        "fault_ldxr:\n"
        "    ldxr x0, [x0]\n"    /* exclusives always check alignment */
        "    clrex\n"
        "    ret\n"
        ".global fault_load\n"
        ".type fault_load, %function\n"
        "fault_load:\n"
        "    ldr x0, [x0]\n"
        "    ret\n"
        ".global fault_store\n"
        ".type fault_store, %function\n"
        "fault_store:\n"
        "    str xzr, [x0]\n"
        "    ret\n");

static sigjmp_buf fault_env;
static volatile sig_atomic_t fault_signo;
static volatile int fault_code;
static void *volatile fault_addr;

static void fault_handler(int signo, siginfo_t *info, void *ctx)
{
    (void)ctx;
    fault_signo = signo;
    fault_code = info->si_code;
    fault_addr = info->si_addr;
    siglongjmp(fault_env, 1);
}

static const char *code_name(int signo, int code)
{
    switch (signo) {
    case SIGSEGV:
        return code == SEGV_MAPERR ? "SEGV_MAPERR" : code == SEGV_ACCERR ? "SEGV_ACCERR" : "?";
    case SIGBUS:
        return code == BUS_ADRALN ? "BUS_ADRALN" : code == BUS_ADRERR ? "BUS_ADRERR" : "?";
    case SIGILL:
        return code == ILL_ILLOPC ? "ILL_ILLOPC" : code == ILL_ILLOPN ? "ILL_ILLOPN" : "?";
    default:
        return "?";
    }
}

enum FaultKind { FAULT_UNMAPPED, FAULT_READONLY, FAULT_UNALIGNED, FAULT_UNDEF };

/* Run one case; return 1 when the expected signal arrived as expected. */
static int fault_check(const char *what, enum FaultKind kind, void *arg, int want_signo,
                       int want_code, void *want_addr)
{
    const char *signame = want_signo == SIGSEGV ? "SIGSEGV" :
                          want_signo == SIGBUS ? "SIGBUS" : "SIGILL";
    int ok;

    fault_signo = 0;
    fault_code = 0;
    fault_addr = NULL;
    if (sigsetjmp(fault_env, 1) == 0) {
        switch (kind) {
        case FAULT_UNMAPPED:
            (void)fault_load(arg);
            break;
        case FAULT_READONLY:
            fault_store(arg);
            break;
        case FAULT_UNALIGNED:
            (void)fault_ldxr(arg);
            break;
        case FAULT_UNDEF:
            fault_udf();
            break;
        }
        printf("fault: %s FAIL (%s: no signal)\n", signame, what);
        return 0;
    }
    ok = fault_signo == want_signo && fault_code == want_code && fault_addr == want_addr;
    printf("fault: %s %s addr=%p code=%s (%s", signame, ok ? "ok" : "FAIL", fault_addr,
           code_name(fault_signo, fault_code), what);
    if (!ok) {
        printf("; got signal %d code %d, want addr=%p code=%s", (int)fault_signo, fault_code,
               want_addr, code_name(want_signo, want_code));
    }
    printf(")\n");
    return ok;
}

int main(void)
{
    long page = sysconf(_SC_PAGESIZE);
    struct sigaction sa;
    int passed = 0, total = 0;
    char *unmapped, *readonly;
    static uint64_t words[4] __attribute__((aligned(64)));

    setvbuf(stdout, NULL, _IOLBF, 0);
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = fault_handler;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGSEGV, &sa, NULL) || sigaction(SIGBUS, &sa, NULL) ||
        sigaction(SIGILL, &sa, NULL)) {
        perror("faults: sigaction");
        return 2;
    }

    /* A page that was mapped and is no more: its address is known and its
     * translation is guaranteed absent, so the fault is SEGV_MAPERR. */
    unmapped = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    readonly = mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (unmapped == MAP_FAILED || readonly == MAP_FAILED || munmap(unmapped, page)) {
        perror("faults: mmap");
        return 2;
    }
    (void)*(volatile char *)readonly; /* populate it: the write then faults on permissions */

    total++;
    passed += fault_check("load from an unmapped page", FAULT_UNMAPPED, unmapped + 0x123,
                          SIGSEGV, SEGV_MAPERR, unmapped + 0x123);
    total++;
    passed += fault_check("store to a read-only page", FAULT_READONLY, readonly + 0x40,
                          SIGSEGV, SEGV_ACCERR, readonly + 0x40);
    total++;
    passed += fault_check("ldxr at an odd address", FAULT_UNALIGNED, (char *)words + 1,
                          SIGBUS, BUS_ADRALN, (char *)words + 1);
    total++;
    passed += fault_check("udf #0", FAULT_UNDEF, NULL, SIGILL, ILL_ILLOPC, (void *)fault_udf);

    printf("faults: %d/%d ok\n", passed, total);
    return passed == total ? 0 : 1;
}
