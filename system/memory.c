/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The memory region tree and its rendering: region set-up, subregion
 * placement with priorities, transactions, flattening into sorted FlatViews,
 * the listener diffs sent on each commit, deferred reclamation of views and
 * host memory that concurrent dispatchers may still be using, and the monitor
 * printouts. The access paths themselves live in memory-dispatch.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "system/memory.h"
#include "util/error.h"
#include "util/log.h"

typedef __int128 i128;

#define SPACE_END ((i128)1 << 64)
#define MAX_RENDER_DEPTH 64

/*
 * Writer-side state. Every field is touched only by the thread holding the
 * big lock; the memory API is global by design (one machine per process).
 */
static struct {
    unsigned depth;     /* open transactions */
    bool pending;       /* the tree changed since the last render */
    GList *spaces;      /* every initialized AddressSpace */
    MemoryRegion system_memory, system_io;
    AddressSpace as_memory, as_io;
    bool have_memory, have_io, have_as_memory, have_as_io;
} mstate;

/* ------------------------------------------------------------------------ */
/* Reclamation                                                              */
/* ------------------------------------------------------------------------ */

/*
 * Each dispatching thread owns a counter that is odd while it is inside a
 * read section. Retiring an object snapshots the counters that are odd; the
 * object may be freed once each of those has moved on, since a reader that
 * entered later can only have loaded the newer view. Nothing ever waits, so a
 * commit issued from inside an MMIO callback (or while a vCPU is blocked on
 * the big lock within a section) cannot deadlock. Reader records are never
 * freed, only recycled, so retired snapshots never dangle.
 */
typedef struct MemReader {
    _Atomic uint64_t ctr;
    unsigned depth;       /* owner thread only */
    bool in_use;
    struct MemReader *next;
} MemReader;

typedef struct Retired {
    FlatView *view;
    void *map;
    size_t map_len;
    int fd;
    unsigned n;
    struct {
        MemReader *reader;
        uint64_t ctr;
    } snap[];
} Retired;

static void reader_thread_exit(gpointer data);

/* pthread rather than GMutex: GLib's futex mutex is invisible to TSan. */
static pthread_mutex_t reclaim_lock = PTHREAD_MUTEX_INITIALIZER; /* readers, retired list */
static MemReader *reader_list;
static GSList *retired_list;
static GPrivate reader_key = G_PRIVATE_INIT(reader_thread_exit);
static __thread MemReader *tls_reader;

static void reader_thread_exit(gpointer data)
{
    MemReader *r = data;

    pthread_mutex_lock(&reclaim_lock);
    r->depth = 0;
    r->in_use = false;
    pthread_mutex_unlock(&reclaim_lock);
    /* A later thread-exit hook that dispatches registers afresh. */
    tls_reader = NULL;
}

static MemReader *reader_get(void)
{
    MemReader *r = tls_reader;

    if (G_LIKELY(r)) {
        return r;
    }
    pthread_mutex_lock(&reclaim_lock);
    for (r = reader_list; r; r = r->next) {
        if (!r->in_use) {
            break;
        }
    }
    if (!r) {
        r = g_new0(MemReader, 1);
        r->next = reader_list;
        reader_list = r;
    }
    r->in_use = true;
    r->depth = 0;
    pthread_mutex_unlock(&reclaim_lock);
    tls_reader = r;
    g_private_set(&reader_key, r);
    return r;
}

void memory_read_begin(void)
{
    MemReader *r = reader_get();

    if (r->depth++ == 0) {
        uint64_t c = atomic_load_explicit(&r->ctr, memory_order_relaxed);
        atomic_store_explicit(&r->ctr, c + 1, memory_order_relaxed);
        /* Pairs with the fence in retire(): either we see the new view or
         * the writer sees us inside. */
        atomic_thread_fence(memory_order_seq_cst);
    }
}

void memory_read_end(void)
{
    MemReader *r = tls_reader;

    g_assert(r && r->depth > 0);
    if (--r->depth == 0) {
        uint64_t c = atomic_load_explicit(&r->ctr, memory_order_relaxed);
        atomic_store_explicit(&r->ctr, c + 1, memory_order_release);
    }
}

static void retired_free(Retired *it)
{
    g_free(it->view);
    if (it->map) {
        munmap(it->map, it->map_len);
    }
    if (it->fd >= 0) {
        close(it->fd);
    }
    g_free(it);
}

static bool retired_ready(const Retired *it)
{
    for (unsigned i = 0; i < it->n; i++) {
        if (atomic_load_explicit(&it->snap[i].reader->ctr, memory_order_acquire) ==
            it->snap[i].ctr) {
            return false;
        }
    }
    return true;
}

/* Free whatever no reader can still hold. Called with reclaim_lock held. */
static void reclaim_poll_locked(void)
{
    GSList **link = &retired_list;

    while (*link) {
        GSList *cur = *link;
        if (retired_ready(cur->data)) {
            retired_free(cur->data);
            *link = cur->next;
            g_slist_free_1(cur);
        } else {
            link = &cur->next;
        }
    }
}

static void retire(FlatView *view, void *map, size_t map_len, int fd)
{
    unsigned n = 0;
    Retired *it;

    if (!view && !map && fd < 0) {
        return;
    }
    /* The new view (or the unmapping) is already published. */
    atomic_thread_fence(memory_order_seq_cst);
    pthread_mutex_lock(&reclaim_lock);
    for (MemReader *r = reader_list; r; r = r->next) {
        n++;
    }
    it = g_malloc0(sizeof(*it) + n * sizeof(it->snap[0]));
    it->view = view;
    it->map = map;
    it->map_len = map_len;
    it->fd = fd;
    for (MemReader *r = reader_list; r; r = r->next) {
        /* acquire: a section that already ended happens-before the free */
        uint64_t c = atomic_load_explicit(&r->ctr, memory_order_acquire);
        if (c & 1) {
            it->snap[it->n].reader = r;
            it->snap[it->n].ctr = c;
            it->n++;
        }
    }
    if (it->n == 0) {
        retired_free(it);
    } else {
        retired_list = g_slist_prepend(retired_list, it);
    }
    reclaim_poll_locked();
    pthread_mutex_unlock(&reclaim_lock);
}

/* ------------------------------------------------------------------------ */
/* Regions                                                                  */
/* ------------------------------------------------------------------------ */

static i128 mr_size(const MemoryRegion *mr)
{
    return mr->size == UINT64_MAX ? SPACE_END : (i128)mr->size;
}

static void region_init_common(MemoryRegion *mr, const char *name, uint64_t size,
                               MemoryRegionKind kind)
{
    memset(mr, 0, sizeof(*mr));
    mr->name = g_strdup(name ? name : "anonymous");
    mr->size = size;
    mr->kind = kind;
    mr->enabled = true;
    mr->fd = -1;
}

static void memory_changed(void)
{
    mstate.pending = true;
}

void memory_region_init(MemoryRegion *mr, const char *name, uint64_t size)
{
    region_init_common(mr, name, size, MR_KIND_CONTAINER);
}

static unsigned access_size_or(unsigned v, unsigned dflt)
{
    if (v == 0) {
        return dflt;
    }
    g_assert(v == 1 || v == 2 || v == 4 || v == 8);
    return v;
}

static void region_set_ops(MemoryRegion *mr, const MemoryRegionOps *ops, void *opaque);

void memory_region_init_io(MemoryRegion *mr, const MemoryRegionOps *ops, void *opaque,
                           const char *name, uint64_t size)
{
    region_init_common(mr, name, size, MR_KIND_IO);
    region_set_ops(mr, ops, opaque);
}

static void region_set_ops(MemoryRegion *mr, const MemoryRegionOps *ops, void *opaque)
{
    mr->ops = ops;
    mr->opaque = opaque;
    if (!ops) {
        return;
    }
    mr->valid_min = access_size_or(ops->valid.min_access_size, 1);
    mr->valid_max = access_size_or(ops->valid.max_access_size, 4);
    mr->impl_min = access_size_or(ops->impl.min_access_size, mr->valid_min);
    mr->impl_max = access_size_or(ops->impl.max_access_size, mr->valid_max);
    g_assert(mr->valid_min <= mr->valid_max);
    g_assert(mr->impl_min <= mr->impl_max);
    mr->valid_unaligned = ops->valid.unaligned;
    mr->impl_unaligned = ops->impl.unaligned;
    mr->big_endian = ops->endianness == DEVICE_BIG_ENDIAN;
}

static bool ram_alloc(MemoryRegion *mr, const char *name, uint64_t size, GError **errp)
{
    g_autofree char *fdname = NULL;
    void *p;
    int fd;

    if (size == 0 || size == UINT64_MAX || size > (uint64_t)SIZE_MAX) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "memory region '%s': invalid RAM size %" PRIu64, name, size);
        return false;
    }
    /* memfd names are limited to 249 bytes and only matter for debugging. */
    fdname = g_strdup_printf("tern:%.200s", name);
    fd = memfd_create(fdname, MFD_CLOEXEC);
    if (fd < 0) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_IO,
                    "memory region '%s': memfd_create failed: %s", name, g_strerror(errno));
        return false;
    }
    if (ftruncate(fd, (off_t)size) < 0) {
        int err = errno;
        close(fd);
        g_set_error(errp, TERN_ERROR, TERN_ERROR_IO,
                    "memory region '%s': cannot size %" PRIu64 " bytes: %s", name, size,
                    g_strerror(err));
        return false;
    }
    p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE, fd, 0);
    if (p == MAP_FAILED) {
        int err = errno;
        close(fd);
        g_set_error(errp, TERN_ERROR, TERN_ERROR_IO,
                    "memory region '%s': cannot map %" PRIu64 " bytes: %s", name, size,
                    g_strerror(err));
        return false;
    }
    mr->host = p;
    mr->fd = fd;
    mr->fd_offset = 0;
    mr->owns_host = true;
    return true;
}

bool memory_region_init_ram(MemoryRegion *mr, const char *name, uint64_t size, GError **errp)
{
    region_init_common(mr, name, size, MR_KIND_RAM);
    if (!ram_alloc(mr, mr->name, size, errp)) {
        g_free(mr->name);
        memset(mr, 0, sizeof(*mr));
        mr->fd = -1;
        return false;
    }
    return true;
}

bool memory_region_init_rom(MemoryRegion *mr, const char *name, uint64_t size, GError **errp)
{
    if (!memory_region_init_ram(mr, name, size, errp)) {
        return false;
    }
    mr->kind = MR_KIND_ROM;
    return true;
}

bool memory_region_init_rom_device(MemoryRegion *mr, const MemoryRegionOps *ops, void *opaque,
                                   const char *name, uint64_t size, GError **errp)
{
    g_assert(ops);
    if (!memory_region_init_rom(mr, name, size, errp)) {
        return false;
    }
    region_set_ops(mr, ops, opaque);
    mr->rom_device = true;
    mr->romd = true;
    return true;
}

void memory_region_rom_device_set_romd(MemoryRegion *mr, bool romd)
{
    g_assert(mr->rom_device);
    if (mr->romd == romd) {
        return;
    }
    memory_region_transaction_begin();
    mr->romd = romd;
    memory_changed();
    memory_region_transaction_commit();
}

void memory_region_init_ram_ptr(MemoryRegion *mr, const char *name, uint64_t size, void *ptr)
{
    g_assert(ptr);
    region_init_common(mr, name, size, MR_KIND_RAM);
    mr->host = ptr;
}

void memory_region_init_alias(MemoryRegion *mr, const char *name, MemoryRegion *orig,
                              uint64_t offset, uint64_t size)
{
    g_assert(orig && orig != mr && orig->kind != MR_KIND_NONE);
    region_init_common(mr, name, size, MR_KIND_ALIAS);
    mr->alias = orig;
    mr->alias_offset = offset;
    orig->alias_users++;
}

void memory_region_destroy(MemoryRegion *mr)
{
    if (mr->kind == MR_KIND_NONE) {
        return;
    }
    g_assert(!mr->container);
    g_assert(mr->alias_users == 0);
    g_assert(mr->root_users == 0);
    /* A section naming this region may still be queued for listeners. */
    g_assert(mstate.depth == 0);

    for (MemoryRegion *sub = mr->subregions, *next; sub; sub = next) {
        next = sub->next_sibling;
        sub->container = NULL;
        sub->next_sibling = NULL;
    }
    if (mr->kind == MR_KIND_ALIAS) {
        mr->alias->alias_users--;
    }
    if (mr->owns_host) {
        /* Pages may still be read through a view retired moments ago. */
        retire(NULL, mr->host, mr->size, mr->fd);
    }
    g_free(mr->name);
    memset(mr, 0, sizeof(*mr));
    mr->fd = -1;
}

void memory_region_add_subregion_overlap(MemoryRegion *parent, uint64_t offset,
                                         MemoryRegion *sub, int priority)
{
    MemoryRegion **link;

    g_assert(parent && sub && parent != sub);
    g_assert(parent->kind != MR_KIND_NONE && parent->kind != MR_KIND_ALIAS);
    g_assert(sub->kind != MR_KIND_NONE);
    g_assert(!sub->container);

    memory_region_transaction_begin();
    sub->container = parent;
    sub->addr = offset;
    sub->priority = priority;
    /* Before the first sibling of lower or equal priority: the newest wins ties. */
    for (link = &parent->subregions; *link; link = &(*link)->next_sibling) {
        if ((*link)->priority <= priority) {
            break;
        }
    }
    sub->next_sibling = *link;
    *link = sub;
    memory_changed();
    memory_region_transaction_commit();
}

void memory_region_add_subregion(MemoryRegion *parent, uint64_t offset, MemoryRegion *sub)
{
    memory_region_add_subregion_overlap(parent, offset, sub, 0);
}

void memory_region_del_subregion(MemoryRegion *parent, MemoryRegion *sub)
{
    MemoryRegion **link;

    g_assert(sub->container == parent);
    memory_region_transaction_begin();
    for (link = &parent->subregions; *link != sub; link = &(*link)->next_sibling) {
        g_assert(*link);
    }
    *link = sub->next_sibling;
    sub->next_sibling = NULL;
    sub->container = NULL;
    memory_changed();
    memory_region_transaction_commit();
}

void memory_region_set_enabled(MemoryRegion *mr, bool enabled)
{
    if (mr->enabled == enabled) {
        return;
    }
    memory_region_transaction_begin();
    mr->enabled = enabled;
    memory_changed();
    memory_region_transaction_commit();
}

void memory_region_set_address(MemoryRegion *mr, uint64_t addr)
{
    if (mr->addr == addr) {
        return;
    }
    memory_region_transaction_begin();
    mr->addr = addr;
    memory_changed();
    memory_region_transaction_commit();
}

void memory_region_set_alias_offset(MemoryRegion *mr, uint64_t offset)
{
    g_assert(mr->kind == MR_KIND_ALIAS);
    if (mr->alias_offset == offset) {
        return;
    }
    memory_region_transaction_begin();
    mr->alias_offset = offset;
    memory_changed();
    memory_region_transaction_commit();
}

void memory_region_set_readonly(MemoryRegion *mr, bool ro)
{
    if (mr->readonly == ro) {
        return;
    }
    memory_region_transaction_begin();
    mr->readonly = ro;
    memory_changed();
    memory_region_transaction_commit();
}

void *memory_region_get_ram_ptr(MemoryRegion *mr)
{
    uint64_t off = 0;

    while (mr->kind == MR_KIND_ALIAS) {
        off += mr->alias_offset;
        mr = mr->alias;
    }
    if (!mr->host) {
        return NULL;
    }
    return mr->host + off;
}

int memory_region_get_fd(MemoryRegion *mr)
{
    while (mr->kind == MR_KIND_ALIAS) {
        mr = mr->alias;
    }
    return mr->fd;
}

uint64_t memory_region_get_fd_offset(MemoryRegion *mr)
{
    uint64_t off = 0;

    while (mr->kind == MR_KIND_ALIAS) {
        off += mr->alias_offset;
        mr = mr->alias;
    }
    return mr->fd_offset + off;
}

uint64_t memory_region_size(MemoryRegion *mr)
{
    return mr->size;
}

const char *memory_region_name(MemoryRegion *mr)
{
    return mr->name;
}

bool memory_region_is_ram(MemoryRegion *mr)
{
    if (mr->rom_device && !mr->romd) {
        return false;
    }
    return mr->kind == MR_KIND_RAM || mr->kind == MR_KIND_ROM;
}

bool memory_region_is_rom(MemoryRegion *mr)
{
    return mr->kind == MR_KIND_ROM || (mr->kind == MR_KIND_RAM && mr->readonly);
}

bool memory_region_is_mapped(MemoryRegion *mr)
{
    return mr->container != NULL || mr->root_users > 0;
}

/* ------------------------------------------------------------------------ */
/* Rendering                                                                */
/* ------------------------------------------------------------------------ */

static long ranges_lower_bound(const FlatRange *r, unsigned nr, uint64_t addr)
{
    /* first index whose `last` >= addr */
    long lo = 0, hi = nr;

    while (lo < hi) {
        long mid = lo + (hi - lo) / 2;
        if (r[mid].last < addr) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

long flatview_find(const FlatView *v, uint64_t addr)
{
    long i = ranges_lower_bound(v->ranges, v->nr, addr);

    if (i < (long)v->nr && v->ranges[i].start <= addr) {
        return i;
    }
    return -i - 1;
}

/* Fill the parts of [s, e) not already claimed by higher-priority ranges. */
static void render_terminal(GArray *a, MemoryRegion *mr, i128 base, i128 s, i128 e, bool ro)
{
    long i = ranges_lower_bound((FlatRange *)a->data, a->len, (uint64_t)s);
    i128 cur = s;

    ro = ro || mr->kind == MR_KIND_ROM;
    while (cur < e) {
        FlatRange *r = i < (long)a->len ? &g_array_index(a, FlatRange, i) : NULL;
        i128 stop;

        if (r && (i128)r->start <= cur) {
            cur = (i128)r->last + 1;
            i++;
            continue;
        }
        stop = r && (i128)r->start < e ? (i128)r->start : e;
        FlatRange nr = {
            .start = (uint64_t)cur,
            .last = (uint64_t)(stop - 1),
            .mr = mr,
            .offset = (uint64_t)(cur - base),
            .host = mr->host && !(mr->rom_device && !mr->romd) ?
                    mr->host + (uint64_t)(cur - base) : NULL,
            .readonly = ro,
        };
        g_array_insert_val(a, i, nr);
        i++;
        cur = stop;
    }
}

static void render_region(GArray *a, MemoryRegion *mr, i128 base, i128 cs, i128 ce, bool ro,
                          int depth)
{
    i128 s, e;

    if (!mr->enabled || mr->kind == MR_KIND_NONE) {
        return;
    }
    if (depth > MAX_RENDER_DEPTH) {
        log_mask(LOG_GUEST_ERROR, "memory: region '%s' nested too deeply (alias loop?)\n",
                 mr->name);
        return;
    }
    s = MAX(base, cs);
    e = MIN(base + mr_size(mr), ce);
    if (s >= e) {
        return;
    }
    ro = ro || mr->readonly;
    if (mr->kind == MR_KIND_ALIAS) {
        render_region(a, mr->alias, base - (i128)mr->alias_offset, s, e, ro, depth + 1);
        return;
    }
    for (MemoryRegion *sub = mr->subregions; sub; sub = sub->next_sibling) {
        render_region(a, sub, base + (i128)sub->addr, s, e, ro, depth + 1);
    }
    if (mr->kind != MR_KIND_CONTAINER) {
        render_terminal(a, mr, base, s, e, ro);
    }
}

static FlatView *render_view(MemoryRegion *root)
{
    GArray *a = g_array_new(FALSE, FALSE, sizeof(FlatRange));
    FlatView *v;
    unsigned n = 0;

    if (root) {
        render_region(a, root, 0, 0, SPACE_END, false, 0);
    }
    /* Merge pieces that a since-removed overlap used to separate, so that
     * listeners (KVM slots) see one section per contiguous mapping. */
    for (unsigned i = 0; i < a->len; i++) {
        FlatRange *r = &g_array_index(a, FlatRange, i);
        FlatRange *prev = n ? &g_array_index(a, FlatRange, n - 1) : NULL;
        if (prev && prev->mr == r->mr && prev->readonly == r->readonly &&
            prev->last + 1 == r->start && prev->offset + (r->start - prev->start) == r->offset) {
            prev->last = r->last;
        } else {
            g_array_index(a, FlatRange, n++) = *r;
        }
    }
    v = g_malloc(sizeof(*v) + n * sizeof(FlatRange));
    v->nr = n;
    if (n) {
        memcpy(v->ranges, a->data, n * sizeof(FlatRange));
    }
    g_array_free(a, TRUE);
    return v;
}

static bool range_equal(const FlatRange *a, const FlatRange *b)
{
    return a->start == b->start && a->last == b->last && a->mr == b->mr &&
           a->offset == b->offset && a->readonly == b->readonly && a->host == b->host;
}

static bool view_equal(const FlatView *a, const FlatView *b)
{
    if (a->nr != b->nr) {
        return false;
    }
    for (unsigned i = 0; i < a->nr; i++) {
        if (!range_equal(&a->ranges[i], &b->ranges[i])) {
            return false;
        }
    }
    return true;
}

static MemoryRegionSection range_section(const FlatRange *r)
{
    uint64_t size = r->last - r->start;

    return (MemoryRegionSection){
        .mr = r->mr,
        .offset_within_region = r->offset,
        .offset_within_address_space = r->start,
        .size = size == UINT64_MAX ? UINT64_MAX : size + 1,
        .readonly = r->readonly,
    };
}

/* ------------------------------------------------------------------------ */
/* Listeners and commits                                                    */
/* ------------------------------------------------------------------------ */

static void notify_section(AddressSpace *as, const FlatRange *r, bool add)
{
    MemoryRegionSection sec = range_section(r);

    if (add) {
        for (GList *l = as->listeners; l; l = l->next) {
            MemoryListener *ml = l->data;
            if (ml->region_add) {
                MemoryRegionSection copy = sec;
                ml->region_add(ml, &copy);
            }
        }
    } else {
        for (GList *l = g_list_last(as->listeners); l; l = l->prev) {
            MemoryListener *ml = l->data;
            if (ml->region_del) {
                MemoryRegionSection copy = sec;
                ml->region_del(ml, &copy);
            }
        }
    }
}

/* One pass over both sorted views: dels for old-only ranges or adds for new-only. */
static void diff_pass(AddressSpace *as, const FlatView *o, const FlatView *n, bool adding)
{
    unsigned i = 0, j = 0;

    while (i < o->nr || j < n->nr) {
        const FlatRange *ro = i < o->nr ? &o->ranges[i] : NULL;
        const FlatRange *rn = j < n->nr ? &n->ranges[j] : NULL;

        if (ro && rn && range_equal(ro, rn)) {
            i++;
            j++;
        } else if (ro && (!rn || ro->start <= rn->start)) {
            if (!adding) {
                notify_section(as, ro, false);
            }
            i++;
        } else {
            if (adding) {
                notify_section(as, rn, true);
            }
            j++;
        }
    }
}

static void address_space_update(AddressSpace *as)
{
    FlatView *old = atomic_load_explicit(&as->view, memory_order_relaxed);
    FlatView *nv = render_view(as->root);

    if (old && view_equal(old, nv)) {
        g_free(nv);
        return;
    }
    atomic_store_explicit(&as->view, nv, memory_order_seq_cst);
    if (as->listeners && old) {
        for (GList *l = as->listeners; l; l = l->next) {
            MemoryListener *ml = l->data;
            if (ml->begin) {
                ml->begin(ml);
            }
        }
        diff_pass(as, old, nv, false);
        diff_pass(as, old, nv, true);
        for (GList *l = as->listeners; l; l = l->next) {
            MemoryListener *ml = l->data;
            if (ml->commit) {
                ml->commit(ml);
            }
        }
    }
    retire(old, NULL, 0, -1);
}

void memory_region_transaction_begin(void)
{
    mstate.depth++;
}

void memory_region_transaction_commit(void)
{
    g_assert(mstate.depth > 0);
    if (--mstate.depth > 0) {
        return;
    }
    /* A listener may change the tree again; loop until it settles. */
    while (mstate.pending) {
        mstate.pending = false;
        mstate.depth++;
        for (GList *l = mstate.spaces; l; l = l->next) {
            address_space_update(l->data);
        }
        mstate.depth--;
    }
}

static void listener_replay(MemoryListener *l, AddressSpace *as, bool add)
{
    FlatView *v = atomic_load_explicit(&as->view, memory_order_relaxed);

    if (l->begin) {
        l->begin(l);
    }
    for (unsigned i = 0; i < v->nr; i++) {
        MemoryRegionSection sec = range_section(&v->ranges[i]);
        if (add && l->region_add) {
            l->region_add(l, &sec);
        } else if (!add && l->region_del) {
            l->region_del(l, &sec);
        }
    }
    if (l->commit) {
        l->commit(l);
    }
}

static gint listener_cmp(gconstpointer a, gconstpointer b)
{
    const MemoryListener *la = a, *lb = b;

    return (la->priority > lb->priority) - (la->priority < lb->priority);
}

void memory_listener_register(MemoryListener *l, AddressSpace *as)
{
    g_assert(!l->address_space);
    l->address_space = as;
    /* g_list_insert_sorted keeps equal priorities in registration order. */
    as->listeners = g_list_insert_sorted(as->listeners, l, listener_cmp);
    listener_replay(l, as, true);
}

void memory_listener_unregister(MemoryListener *l)
{
    AddressSpace *as = l->address_space;

    if (!as) {
        return;
    }
    listener_replay(l, as, false);
    as->listeners = g_list_remove(as->listeners, l);
    l->address_space = NULL;
}

/* ------------------------------------------------------------------------ */
/* Address spaces                                                           */
/* ------------------------------------------------------------------------ */

void address_space_init(AddressSpace *as, MemoryRegion *root, const char *name)
{
    g_assert(root && root->kind != MR_KIND_NONE);
    memset(as, 0, sizeof(*as));
    as->name = g_strdup(name ? name : "anonymous");
    as->root = root;
    root->root_users++;
    atomic_store_explicit(&as->view, render_view(root), memory_order_seq_cst);
    mstate.spaces = g_list_append(mstate.spaces, as);
}

void address_space_destroy(AddressSpace *as)
{
    FlatView *v;

    if (!as->root) {
        return;
    }
    for (GList *l = as->listeners; l; l = l->next) {
        ((MemoryListener *)l->data)->address_space = NULL;
    }
    g_list_free(as->listeners);
    as->listeners = NULL;
    mstate.spaces = g_list_remove(mstate.spaces, as);
    as->root->root_users--;
    as->root = NULL;
    v = atomic_exchange(&as->view, NULL);
    retire(v, NULL, 0, -1);
    g_free(as->name);
    as->name = NULL;
}

const char *address_space_name(AddressSpace *as)
{
    return as->name;
}

MemoryRegion *get_system_memory(void)
{
    if (!mstate.have_memory) {
        memory_region_init(&mstate.system_memory, "system", UINT64_MAX);
        mstate.have_memory = true;
    }
    return &mstate.system_memory;
}

MemoryRegion *get_system_io(void)
{
    if (!mstate.have_io) {
        memory_region_init(&mstate.system_io, "io", 65536);
        mstate.have_io = true;
    }
    return &mstate.system_io;
}

AddressSpace *address_space_memory(void)
{
    if (!mstate.have_as_memory) {
        address_space_init(&mstate.as_memory, get_system_memory(), "memory");
        mstate.have_as_memory = true;
    }
    return &mstate.as_memory;
}

AddressSpace *address_space_io(void)
{
    if (!mstate.have_as_io) {
        address_space_init(&mstate.as_io, get_system_io(), "I/O");
        mstate.have_as_io = true;
    }
    return &mstate.as_io;
}

/* ------------------------------------------------------------------------ */
/* Monitor output                                                           */
/* ------------------------------------------------------------------------ */

static const char *region_type(MemoryRegion *mr)
{
    while (mr->kind == MR_KIND_ALIAS) {
        mr = mr->alias;
    }
    switch (mr->kind) {
    case MR_KIND_RAM:
        return "ram";
    case MR_KIND_ROM:
        return "rom";
    case MR_KIND_IO:
        return "i/o";
    case MR_KIND_CONTAINER:
        return "container";
    default:
        return "none";
    }
}

static uint64_t range_last(i128 start, i128 size)
{
    /* An empty region prints as start-start: there is no better rendering. */
    return (uint64_t)(size ? start + size - 1 : start);
}

static gint sub_cmp(gconstpointer a, gconstpointer b)
{
    const MemoryRegion *x = *(MemoryRegion *const *)a, *y = *(MemoryRegion *const *)b;

    if (x->addr != y->addr) {
        return x->addr < y->addr ? -1 : 1;
    }
    return (y->priority > x->priority) - (y->priority < x->priority);
}

static void print_region(GString *out, MemoryRegion *mr, i128 base, int level)
{
    GPtrArray *subs;

    g_string_append_printf(out, "%*s%016" PRIx64 "-%016" PRIx64 " (prio %d, %s%s): ",
                           level * 2 + 2, "", (uint64_t)base, range_last(base, mr_size(mr)),
                           mr->priority, region_type(mr), mr->readonly ? ", ro" : "");
    if (mr->kind == MR_KIND_ALIAS) {
        i128 as = mr->alias_offset;
        g_string_append_printf(out, "alias %s @%s %016" PRIx64 "-%016" PRIx64, mr->name,
                               mr->alias->name, (uint64_t)as, range_last(as, mr_size(mr)));
    } else {
        g_string_append(out, mr->name);
    }
    if (!mr->enabled) {
        g_string_append(out, " [disabled]");
    }
    g_string_append_c(out, '\n');

    if (level > MAX_RENDER_DEPTH) {
        return;
    }
    subs = g_ptr_array_new();
    for (MemoryRegion *sub = mr->subregions; sub; sub = sub->next_sibling) {
        g_ptr_array_add(subs, sub);
    }
    /* Stable for ties: the list order (newest first) stays. */
    g_ptr_array_sort(subs, sub_cmp);
    for (unsigned i = 0; i < subs->len; i++) {
        MemoryRegion *sub = g_ptr_array_index(subs, i);
        print_region(out, sub, base + (i128)sub->addr, level + 1);
    }
    g_ptr_array_free(subs, TRUE);
}

void memory_region_print_tree(GString *out, MemoryRegion *root)
{
    print_region(out, root, 0, 0);
}

void address_space_print_flat(GString *out, AddressSpace *as)
{
    FlatView *v;

    g_string_append_printf(out, "address-space (flat view): %s\n", as->name);
    memory_read_begin();
    v = atomic_load_explicit(&as->view, memory_order_acquire);
    for (unsigned i = 0; v && i < v->nr; i++) {
        const FlatRange *r = &v->ranges[i];
        g_string_append_printf(out, "  %016" PRIx64 "-%016" PRIx64 " (prio %d, %s%s): %s",
                               r->start, r->last, r->mr->priority, region_type(r->mr),
                               r->readonly && r->mr->kind != MR_KIND_ROM ? ", ro" : "",
                               r->mr->name);
        if (r->offset) {
            g_string_append_printf(out, " @%016" PRIx64, r->offset);
        }
        g_string_append_c(out, '\n');
    }
    memory_read_end();
}
