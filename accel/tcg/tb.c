/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Translated blocks: their storage, the global hash by (physical PC, PC,
 * flags), the per-vCPU jump caches, the per-page lists used to invalidate
 * code that the guest overwrites, the direct chaining of block exits and
 * the index by host address used to recover the guest PC of a faulting
 * helper.
 *
 * Readers of the hash (the loop and lookup_tb_ptr, from any vCPU thread)
 * take no lock: buckets are singly linked lists updated with release
 * stores, and a block's memory stays valid until the whole cache is flushed
 * with every vCPU outside generated code. Everything else is under tb_lock.
 */
#include <inttypes.h>
#include <string.h>

#include "exec-internal.h"
#include "util/log.h"

#define TB_HASH_BITS 16
#define TB_HASH_SIZE (1u << TB_HASH_BITS)
#define TB_ARENA_CHUNK (256 * 1024)

typedef struct ArenaChunk {
    struct ArenaChunk *next;
    size_t used, size;
    max_align_t data[];
} ArenaChunk;

typedef struct TBCache {
    TranslationBlock *buckets[TB_HASH_SIZE];
    GHashTable *pages;          /* phys page number -> first TranslationBlock */
    GPtrArray *by_code;         /* blocks in host code order */
    ArenaChunk *arena;
    TBStats stats;
} TBCache;

static TBCache tbc;

static void *tb_arena_alloc(size_t size)
{
    ArenaChunk *c = tbc.arena;

    size = (size + 15) & ~(size_t)15;
    if (!c || c->used + size > c->size) {
        size_t cap = MAX(size, (size_t)TB_ARENA_CHUNK);
        ArenaChunk *n = g_malloc(sizeof(ArenaChunk) + cap);

        n->next = c;
        n->used = 0;
        n->size = cap;
        tbc.arena = c = n;
    }
    void *p = (char *)c->data + c->used;
    c->used += size;
    return p;
}

static void tb_arena_reset(void)
{
    ArenaChunk *c = tbc.arena;

    /* Keep one chunk: the next epoch reuses it without malloc. */
    while (c && c->next) {
        ArenaChunk *next = c->next;
        g_free(c);
        c = next;
    }
    if (c) {
        c->used = 0;
    }
    tbc.arena = c;
}

static void tb_cache_init(void)
{
    if (!tbc.pages) {
        tbc.pages = g_hash_table_new(g_direct_hash, g_direct_equal);
        tbc.by_code = g_ptr_array_new();
    }
}

static inline unsigned tb_hash(uint64_t phys_pc, uint32_t flags)
{
    uint64_t h = (phys_pc >> 2) * 0x9e3779b97f4a7c15ull;
    return (unsigned)((h >> (64 - TB_HASH_BITS)) ^ (flags * 0x45d9f3bu)) & (TB_HASH_SIZE - 1);
}

TranslationBlock *tb_alloc(uint64_t pc, uint64_t phys_pc, uint32_t flags)
{
    TranslationBlock *tb;

    tb_cache_init();
    tb = tb_arena_alloc(sizeof(*tb));
    memset(tb, 0, sizeof(*tb));
    tb->pc = pc;
    tb->phys_pc = phys_pc;
    tb->flags = flags;
    return tb;
}

void tb_publish(TCGCPU *cpu, TranslationBlock *tb, const TCGBlockCode *code)
{
    unsigned h = tb_hash(tb->phys_pc, tb->flags);
    gpointer key = (gpointer)(uintptr_t)(tb->phys_pc >> TCG_PAGE_BITS);
    uint32_t *end_off = tb_arena_alloc(code->nb_insns * sizeof(uint32_t));
    uint64_t *pcs = tb_arena_alloc(code->nb_insns * sizeof(uint64_t));

    memcpy(end_off, code->insn_end_off, code->nb_insns * sizeof(uint32_t));
    memcpy(pcs, code->insn_pc, code->nb_insns * sizeof(uint64_t));
    tb->code = *code;
    tb->code.insn_end_off = end_off;
    tb->code.insn_pc = pcs;

    g_ptr_array_add(tbc.by_code, tb);
    tbc.stats.translated++;
    if (tb->phys_pc == TB_PHYS_NONE) {
        /* Not backed by RAM (it raises a fetch abort): never cached. */
        return;
    }
    /* A new code page: stores to it must now take the slow path. */
    tb->page_next = g_hash_table_lookup(tbc.pages, key);
    if (!tb->page_next) {
        tlb_protect_code_page(tb->phys_pc);
    }
    g_hash_table_insert(tbc.pages, key, tb);

    tb->hash_next = tbc.buckets[h];
    __atomic_store_n(&tbc.buckets[h], tb, __ATOMIC_RELEASE);
    if (cpu) {
        __atomic_store_n(&cpu->jmp_cache[tb_jmp_cache_hash(tb->pc)], tb, __ATOMIC_RELAXED);
    }
    tbc.stats.live_tbs++;
}

TranslationBlock *tb_hash_lookup(uint64_t pc, uint64_t phys_pc, uint32_t flags)
{
    TranslationBlock *tb;

    tb = __atomic_load_n(&tbc.buckets[tb_hash(phys_pc, flags)], __ATOMIC_ACQUIRE);
    for (; tb; tb = __atomic_load_n(&tb->hash_next, __ATOMIC_ACQUIRE)) {
        if (tb->pc == pc && tb->phys_pc == phys_pc && tb->flags == flags &&
            !__atomic_load_n(&tb->invalid, __ATOMIC_RELAXED)) {
            return tb;
        }
    }
    return NULL;
}

/* ---- chaining ---- */

static void tb_reset_jump(TranslationBlock *tb, int n)
{
    uintptr_t base = (uintptr_t)tb->code.code;

    codebuf_set_jump_target(&tcg_state.cb, base + tb->code.jmp_insn_off[n],
                            base + tb->code.jmp_reset_off[n]);
}

void tb_add_jump(TranslationBlock *from, int n, TranslationBlock *to)
{
    uintptr_t base = (uintptr_t)from->code.code;

    g_assert(n == 0 || n == 1);
    if (from->code.jmp_insn_off[n] == UINT32_MAX) {
        return;
    }
    tb_lock();
    if (!from->jmp_dest[n] && !__atomic_load_n(&from->invalid, __ATOMIC_RELAXED) &&
        !__atomic_load_n(&to->invalid, __ATOMIC_RELAXED)) {
        codebuf_set_jump_target(&tcg_state.cb, base + from->code.jmp_insn_off[n],
                                (uintptr_t)to->code.code);
        from->jmp_dest[n] = to;
        from->jmp_list_next[n] = to->jmp_list_head;
        to->jmp_list_head = (uintptr_t)from | n;
        tbc.stats.chained++;
    }
    tb_unlock();
}

/* Remove the link (from, n) from the incoming list of its destination. */
static void tb_remove_incoming(TranslationBlock *from, int n)
{
    TranslationBlock *dest = from->jmp_dest[n];
    uintptr_t *pp = &dest->jmp_list_head;
    uintptr_t me = (uintptr_t)from | n;

    while (*pp) {
        TranslationBlock *t = (TranslationBlock *)(*pp & ~(uintptr_t)3);
        int m = *pp & 3;

        if (*pp == me) {
            *pp = from->jmp_list_next[n];
            break;
        }
        pp = &t->jmp_list_next[m];
    }
    from->jmp_dest[n] = NULL;
}

static void tb_hash_remove(TranslationBlock *tb)
{
    TranslationBlock **pp = &tbc.buckets[tb_hash(tb->phys_pc, tb->flags)];

    for (; *pp; pp = &(*pp)->hash_next) {
        if (*pp == tb) {
            __atomic_store_n(pp, tb->hash_next, __ATOMIC_RELEASE);
            return;
        }
    }
}

/* tb_lock held. The code stays in the buffer until the next flush. */
static void tb_invalidate(TranslationBlock *tb)
{
    unsigned h = tb_jmp_cache_hash(tb->pc);

    if (__atomic_exchange_n(&tb->invalid, 1, __ATOMIC_SEQ_CST)) {
        return;
    }
    tb_hash_remove(tb);
    for (guint i = 0; i < tcg_state.cpus->len; i++) {
        TCGCPU *cpu = g_ptr_array_index(tcg_state.cpus, i);
        TranslationBlock *expect = tb;

        __atomic_compare_exchange_n(&cpu->jmp_cache[h], &expect, NULL, false,
                                    __ATOMIC_RELAXED, __ATOMIC_RELAXED);
    }
    for (int n = 0; n < 2; n++) {
        if (tb->jmp_dest[n]) {
            tb_remove_incoming(tb, n);
            tb_reset_jump(tb, n);
        }
    }
    while (tb->jmp_list_head) {
        TranslationBlock *src = (TranslationBlock *)(tb->jmp_list_head & ~(uintptr_t)3);
        int m = tb->jmp_list_head & 3;

        tb->jmp_list_head = src->jmp_list_next[m];
        src->jmp_dest[m] = NULL;
        tb_reset_jump(src, m);
    }
    tbc.stats.invalidated++;
    tbc.stats.live_tbs--;
}

void tb_invalidate_phys_page_locked(uint64_t phys)
{
    gpointer key = (gpointer)(uintptr_t)(phys >> TCG_PAGE_BITS);
    TranslationBlock *tb;

    if (tbc.pages) {
        tb = g_hash_table_lookup(tbc.pages, key);
        if (tb) {
            log_mask(LOG_PAGE, "tcg: guest wrote to code page 0x%" PRIx64 ": "
                     "invalidating its blocks\n", (uint64_t)(phys & TCG_PAGE_MASK));
        }
        for (; tb; tb = tb->page_next) {
            tb_invalidate(tb);
        }
        g_hash_table_remove(tbc.pages, key);
    }
}

void tb_invalidate_phys_page(uint64_t phys)
{
    tb_lock();
    tb_invalidate_phys_page_locked(phys);
    tb_unlock();
}

bool tb_page_has_code_locked(uint64_t phys)
{
    return tbc.pages &&
           g_hash_table_contains(tbc.pages, (gpointer)(uintptr_t)(phys >> TCG_PAGE_BITS));
}

bool tb_page_has_code(uint64_t phys)
{
    bool ret;

    tb_lock();
    ret = tb_page_has_code_locked(phys);
    tb_unlock();
    return ret;
}

/* ---- lookups ---- */

TranslationBlock *tb_find_by_host_pc(uintptr_t retaddr)
{
    TranslationBlock *found = NULL;
    guint lo = 0, hi;

    tb_lock();
    hi = tbc.by_code ? tbc.by_code->len : 0;
    /* The last block starting at or below retaddr. */
    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        TranslationBlock *tb = g_ptr_array_index(tbc.by_code, mid);

        if ((uintptr_t)tb->code.code < retaddr) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (lo > 0) {
        TranslationBlock *tb = g_ptr_array_index(tbc.by_code, lo - 1);
        if (retaddr <= (uintptr_t)tb->code.code + tb->code.size) {
            found = tb;
        }
    }
    tb_unlock();
    return found;
}

TranslationBlock *tb_lookup(TCGCPU *cpu, uint64_t pc, uint32_t flags)
{
    unsigned h = tb_jmp_cache_hash(pc);
    TranslationBlock *tb = __atomic_load_n(&cpu->jmp_cache[h], __ATOMIC_RELAXED);
    uint64_t phys;

    if (tb && tb->pc == pc && tb->flags == flags &&
        !__atomic_load_n(&tb->invalid, __ATOMIC_RELAXED)) {
        return tb;
    }
    if (!tcg_code_page(cpu, pc, &phys)) {
        return NULL;
    }
    tb = tb_hash_lookup(pc, phys, flags);
    if (tb) {
        __atomic_store_n(&cpu->jmp_cache[h], tb, __ATOMIC_RELAXED);
    }
    return tb;
}

/* ---- flush ---- */

/* tb_lock held and every other vCPU outside generated code. */
void tb_flush_locked(void)
{
    codebuf_flush(&tcg_state.cb);
}

void tb_cache_forget_all(void *opaque)
{
    tb_cache_init();
    memset(tbc.buckets, 0, sizeof(tbc.buckets));
    g_hash_table_remove_all(tbc.pages);
    g_ptr_array_set_size(tbc.by_code, 0);
    tb_arena_reset();
    for (guint i = 0; tcg_state.cpus && i < tcg_state.cpus->len; i++) {
        TCGCPU *cpu = g_ptr_array_index(tcg_state.cpus, i);
        memset(cpu->jmp_cache, 0, TB_JMP_CACHE_SIZE * sizeof(cpu->jmp_cache[0]));
    }
    tbc.stats.flushes++;
    tbc.stats.live_tbs = 0;
    log_mask(LOG_PAGE, "tcg: code buffer flushed\n");
}

void tb_flush(TCGCPU *cpu)
{
    unsigned before = tcg_state.cb.flush_count;

    tcg_start_exclusive(cpu);
    tb_lock();
    /* Someone else may have flushed while we waited. */
    if (tcg_state.cb.flush_count == before) {
        tb_flush_locked();
    }
    tb_unlock();
    tcg_end_exclusive(cpu);
}

void tb_get_stats(TBStats *st)
{
    tb_lock();
    *st = tbc.stats;
    tb_unlock();
}
