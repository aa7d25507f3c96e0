/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The translator's execution layer: translated blocks and their caches,
 * chaining, the vCPU loop, the softmmu slow paths and the hooks a guest
 * front end supplies (TCGTargetOps). A target embeds one TCGCPU in its CPU
 * state (at TCGTargetOps.tcg_offset from env); generated code reads its
 * exit flag and TLB there. Guest exceptions raised by helpers unwind to the
 * loop with siglongjmp after restoring the guest PC from the helper's
 * return address.
 */
#ifndef ACCEL_TCG_CPU_EXEC_H
#define ACCEL_TCG_CPU_EXEC_H

#include <glib.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>

#include "accel/tcg/helpers.h"
#include "accel/tcg/ir.h"
#include "accel/tcg/tcg.h"
#include "accel/tcg/tlb.h"
#include "util/disas.h"

typedef struct CPUState CPUState;
typedef struct AccelOps AccelOps;
typedef struct TCGCPU TCGCPU;
typedef struct TranslationBlock TranslationBlock;

/* The helper's return address into generated code (for PC recovery). */
#define GETPC() ((uintptr_t)__builtin_return_address(0))

#define TCG_PAGE_BITS 12
#define TCG_PAGE_SIZE (1ull << TCG_PAGE_BITS)
#define TCG_PAGE_MASK (~(TCG_PAGE_SIZE - 1))

/* Flag bits in TLB tags (below the page bits, above any alignment bits). */
/* tlb_fill's *prot; NOCACHE: do not install the page (watchpoints), ask every time. */
enum { TCG_PROT_READ = 1, TCG_PROT_WRITE = 2, TCG_PROT_EXEC = 4, TCG_PROT_NOCACHE = 8 };
#define TLB_NOTDIRTY (1ull << 11)   /* page holds translated code: stores trap */

#define TB_JMP_CACHE_BITS 12
#define TB_JMP_CACHE_SIZE (1u << TB_JMP_CACHE_BITS)
#define TCG_TLB_BITS 10             /* entries per MMU index */
#define TB_MAX_INSNS 512

typedef enum {
    MMU_DATA_LOAD,
    MMU_DATA_STORE,
    MMU_INST_FETCH,
} MMUAccessType;

struct TranslationBlock {
    uint64_t pc;                /* guest virtual address of the first insn */
    uint64_t phys_pc;           /* guest physical; the block stays in its page */
    uint32_t flags;             /* target state the code depends on (hflags) */
    uint32_t size;              /* guest bytes */
    uint32_t icount;            /* guest instructions */
    int invalid;                /* atomic: removed from every cache */
    TCGBlockCode code;          /* host code, exits, insn map (our copies) */
    /* chaining, under the tb lock */
    TranslationBlock *jmp_dest[2];   /* where exit n is chained, or NULL */
    uintptr_t jmp_list_next[2];      /* next incoming link of jmp_dest[n] */
    uintptr_t jmp_list_head;         /* first incoming link: tb | n */
    TranslationBlock *hash_next;
    TranslationBlock *page_next;
};

/* Hooks of a guest front end. */
typedef struct TCGTargetOps {
    const char *name;
    DisasArch disas_arch;
    ptrdiff_t tcg_offset;       /* offsetof(target CPU state, its TCGCPU) */
    /*
     * Where get_tb_cpu_state finds the PC (uint64_t) and the flags
     * (uint32_t) in the target CPU state: the indirect-jump lookup reads
     * them directly. Both 0: call get_tb_cpu_state.
     */
    ptrdiff_t pc_offset, flags_offset;
    unsigned nb_mmu_modes;
    /* Create the IR globals (registers) once per IR context. */
    void (*init_globals)(IRContext *ctx);
    /* The PC and the flags of the block to run next. */
    void (*get_tb_cpu_state)(void *env, uint64_t *pc, uint32_t *flags);
    /*
     * Fill ctx with the block at tb->pc (host code of its page at
     * code_page, NULL if the page cannot be executed), at most max_insns
     * instructions, never crossing a page; set tb->size and tb->icount.
     */
    void (*translate)(TCGCPU *cpu, IRContext *ctx, TranslationBlock *tb,
                      const void *code_page, int max_insns);
    /* The MMU index of ordinary data accesses, or of instruction fetch. */
    int (*cpu_mmu_index)(void *env, bool ifetch);
    /* Set the guest PC after unwinding out of a block. */
    void (*restore_pc)(void *env, uint64_t pc);
    /*
     * Virtual to physical, and in *prot (TCG_PROT_*) every access the page
     * allows at mmu_idx, so the TLB entry serves them all. On a fault:
     * with retaddr != 0 raise the guest
     * exception (does not return), with retaddr == 0 return false.
     */
    bool (*tlb_fill)(TCGCPU *cpu, uint64_t vaddr, MMUAccessType access, int mmu_idx,
                     uint64_t *paddr, int *prot, uintptr_t retaddr);
    /* The bus rejected an access (unassigned address): raise. */
    void (*transaction_failed)(TCGCPU *cpu, uint64_t vaddr, MMUAccessType access,
                               uintptr_t retaddr);
    /* A MO_ALIGN access was misaligned: raise. */
    void (*unaligned_access)(TCGCPU *cpu, uint64_t vaddr, MMUAccessType access,
                             uintptr_t retaddr);
    /* Take a pending interrupt at a block boundary; true if one was taken. */
    bool (*exec_interrupt)(TCGCPU *cpu, uint32_t interrupt_request);
    /* Whether a halted vCPU should wake (BQL held). */
    bool (*has_work)(TCGCPU *cpu);
    /* -d cpu: print the registers. */
    void (*dump_state)(TCGCPU *cpu, GString *out);
} TCGTargetOps;

/*
 * Debugging kept by the engine (the gdb stub): breakpoints are compared
 * with the PC before each block, never written into guest memory. While
 * any is set the vCPU runs one-instruction blocks (TB_FLAG_DEBUG) that
 * always return to the loop. Changed only while the vCPU is outside
 * tcg_cpu_exec (the VM is stopped).
 */
typedef enum TCGDebugBreak {
    TCG_BREAK_SW,               /* gdb Z0 */
    TCG_BREAK_HW,               /* gdb Z1 */
    TCG_BREAK_KINDS,
} TCGDebugBreak;

typedef enum TCGDebugStop {
    TCG_DEBUG_STOP_NONE,
    TCG_DEBUG_STOP_STEP,        /* one instruction ran (or an exception was taken) */
    TCG_DEBUG_STOP_BREAK,       /* PC reached breakpoint index of kind */
} TCGDebugStop;

typedef struct TCGCPUDebug {
    bool active;                /* step or any breakpoint: the loop's slow path */
    bool step;
    bool step_running;          /* the stepped instruction is in flight */
    uint64_t *bp[TCG_BREAK_KINDS];
    int nb_bp[TCG_BREAK_KINDS];
    /* why the loop last returned CPU_EXIT_DEBUG */
    TCGDebugStop stop;
    TCGDebugBreak stop_kind;
    int stop_index;
    uint64_t stop_pc;
} TCGCPUDebug;

/* Block flag of debug blocks (one instruction, never chained): targets leave bit 31 free. */
#define TB_FLAG_DEBUG (1u << 31)

/* Per-vCPU execution state, embedded in the target's CPU state. */
struct TCGCPU {
    /* Read by generated code: the first thing every block checks. */
    int32_t exit_flag;
    int32_t exit_reason;        /* CpuExitCode the loop returns, 0: none */
    CPUTLB tlb;
    CPUState *cs;
    void *env;
    const TCGTargetOps *ops;
    sigjmp_buf jmp_env;
    bool in_exec;               /* inside the loop's sigsetjmp scope */
    TranslationBlock **jmp_cache;   /* TB_JMP_CACHE_SIZE entries */
    TLBEntry *tlb_tables;
    uint64_t *tlb_phys;         /* physical page of each entry, same layout */
    uint64_t tlb_flush_gen;     /* last global flush generation seen */
    TCGCPUDebug debug;          /* gdb: breakpoints and single-step */
};

/* ---- set-up (tcg-accel.c) ---- */

/* The guest front end this run translates for; once, before any vCPU. */
void tcg_register_target(const TCGTargetOps *ops);
const TCGTargetOps *tcg_target(void);
/* The accelerator's vCPU operations (one thread per vCPU). */
const AccelOps *tcg_accel_ops(void);
/* Attach a target vCPU: call from the target's vcpu set-up. */
void tcg_cpu_init(TCGCPU *cpu, CPUState *cs, void *env);
void tcg_cpu_destroy(TCGCPU *cpu);
/* Whether -accel tcg was initialized (the engine exists). */
bool tcg_enabled(void);

/* TCGTargetOps.tcg_offset of the registered target (hot paths). */
extern ptrdiff_t tcg_cpu_offset;

static inline TCGCPU *tcg_cpu_from_env(void *env)
{
    return (TCGCPU *)((char *)env + tcg_cpu_offset);
}

/* ---- the loop (cpu-exec.c) ---- */

/* Run guest code until kicked, halted or stopped; returns a CpuExitCode. */
int tcg_cpu_exec(TCGCPU *cpu);
/* Unwind from a helper to the loop; the guest state must be consistent. */
G_NORETURN void tcg_cpu_loop_exit(TCGCPU *cpu);
/* Set the guest PC from a helper's return address (no-op if not in a block). */
void tcg_cpu_restore_state(TCGCPU *cpu, uintptr_t retaddr);
G_NORETURN void tcg_cpu_loop_exit_restore(TCGCPU *cpu, uintptr_t retaddr);
/* Make the loop return reason (CpuExitCode) after the current block. */
void tcg_cpu_request_exit(TCGCPU *cpu, int reason);
/* Ask the vCPU to leave generated code soon (any thread). */
static inline void tcg_cpu_kick(TCGCPU *cpu)
{
    __atomic_store_n(&cpu->exit_flag, 1, __ATOMIC_SEQ_CST);
}

/*
 * Indirect jumps: the block at env's PC and flags if it is already
 * translated (host code pointer), else 0 so goto_ptr returns to the loop.
 */
IR_DEF_HELPER_1(lookup_tb_ptr, IR_CALL_NO_WRITE_GLOBALS, ptr, env)

/* ---- memory from helpers (cpu-exec.c) ---- */

/* Guest loads/stores with the MemOp semantics of qemu_ld/st; may raise. */
uint64_t tcg_cpu_load(TCGCPU *cpu, uint64_t addr, MemOp mop, int mmu_idx, uintptr_t ra);
void tcg_cpu_store(TCGCPU *cpu, uint64_t addr, uint64_t val, MemOp mop, int mmu_idx,
                   uintptr_t ra);
/*
 * A host pointer for size bytes at addr (which must not cross a page), for
 * atomics: RAM only, code on the page invalidated when access is a store.
 * NULL for MMIO (the caller falls back to tcg_cpu_load/store). May raise.
 */
void *tcg_cpu_probe_host(TCGCPU *cpu, uint64_t addr, unsigned size, MMUAccessType access,
                         int mmu_idx, uintptr_t ra);
/* Debug/semihosting access through the current translation; false on a fault. */
bool tcg_cpu_rw_virt(TCGCPU *cpu, uint64_t vaddr, void *buf, size_t len, bool is_write,
                     int mmu_idx);
/* Forget every TLB entry of this vCPU (and its jump cache). */
void tcg_cpu_tlb_flush(TCGCPU *cpu);
/* Forget one page in every MMU index of this vCPU. */
void tcg_cpu_tlb_flush_page(TCGCPU *cpu, uint64_t vaddr);
/* Every vCPU flushes its TLB before it runs another block (TLBI ...IS). */
void tcg_tlb_flush_all_cpus(void);
/* The engine's TLB slow paths (TCGConfig.tlb_hooks). */
extern const TCGTlbHooks tcg_tlb_hooks;

/* ---- blocks (tb.c, translate-all.c) ---- */

/* Find the block for (pc, flags) or translate it. Called without locks. */
TranslationBlock *tb_lookup_or_gen(TCGCPU *cpu, uint64_t pc, uint32_t flags);
/* Cached lookup only: jump cache, then hash; NULL when not translated. */
TranslationBlock *tb_lookup(TCGCPU *cpu, uint64_t pc, uint32_t flags);
/* Chain exit n of from to to (no-op if either was invalidated). */
void tb_add_jump(TranslationBlock *from, int n, TranslationBlock *to);
/* The block whose host code contains retaddr, or NULL. */
TranslationBlock *tb_find_by_host_pc(uintptr_t retaddr);
/* Invalidate every block on a guest physical page (self-modifying code). */
void tb_invalidate_phys_page(uint64_t phys);
/* Whether a guest physical page holds translated code. */
bool tb_page_has_code(uint64_t phys);
/* Drop all translated code (code buffer full, or on request). */
void tb_flush(TCGCPU *cpu);
/* Statistics for tests and `info jit`. */
typedef struct TBStats {
    uint64_t translated, invalidated, flushes, chained;
    size_t live_tbs;
} TBStats;
void tb_get_stats(TBStats *st);

/* ---- debugging (cpu-exec.c), with the vCPU stopped ---- */

/* Replace the breakpoints of one kind (guest virtual PCs). */
void tcg_cpu_debug_set_breaks(TCGCPU *cpu, TCGDebugBreak kind, const uint64_t *pcs, int n);
/* Stop after every instruction (and take no interrupt meanwhile). */
void tcg_cpu_debug_set_step(TCGCPU *cpu, bool on);
/* Why the last CPU_EXIT_DEBUG happened (kind/index for breakpoints). */
TCGDebugStop tcg_cpu_debug_stop(TCGCPU *cpu, TCGDebugBreak *kind, int *index, uint64_t *pc);

#endif
