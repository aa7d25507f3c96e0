/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The memory API. Boards and devices describe guest-physical address spaces
 * as a tree of MemoryRegions (RAM, ROM, MMIO/IO, containers, aliases); each
 * AddressSpace renders its tree into an immutable, sorted FlatView that is
 * published with an atomic pointer swap. Every accelerator funnels guest
 * memory and I/O through address_space_* (KVM exits, the JIT's slow path, DMA),
 * and listeners (KVM memory slots, JIT TLB flushes) learn about changes as
 * add/del diffs between successive flat views.
 *
 * Threading: the tree is changed only by the thread holding the big lock
 * (mutators, transactions, listener (un)registration, address_space_init and
 * _destroy). Dispatch (address_space_read/write/..., translate) may run on any
 * thread concurrently with those changes; it never blocks and never takes the
 * big lock. MMIO callbacks run on the dispatching thread: a caller that needs
 * the big lock around device callbacks (vCPU threads do) must take it itself
 * before dispatching. Old flat views are freed only after every thread that
 * might still be reading them has left its dispatch call.
 *
 * Sizes: a region size of UINT64_MAX stands for 2^64 (a full 64-bit space).
 */
#ifndef SYSTEM_MEMORY_H
#define SYSTEM_MEMORY_H

#include <glib.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct MemoryRegion MemoryRegion;
typedef struct AddressSpace AddressSpace;
typedef struct FlatView FlatView;

/* Transaction results: bit flags, OR-ed over the pieces of one access. */
typedef uint32_t MemTxResult;
enum {
    MEMTX_OK           = 0,
    MEMTX_ERROR        = 1u << 0, /* bad request (size not 1/2/4/8, ...) */
    MEMTX_DECODE_ERROR = 1u << 1, /* unassigned address or access refused by `valid` */
};

typedef enum {
    DEVICE_LITTLE_ENDIAN = 0,
    DEVICE_BIG_ENDIAN,
    DEVICE_NATIVE_ENDIAN, /* the guest CPU's order: little-endian for every guest we run */
} Endianness;

/*
 * Device callbacks. `addr` is the offset in the region, `size` 1/2/4/8, and
 * values are in the device's own order (the core byte-swaps for big-endian
 * devices). valid.* is what the guest may do; impl.* what the callbacks
 * handle (0 = default: valid 1..4, impl = valid). The core adapts accesses
 * to impl: larger ones are split into ascending-address callbacks (for a
 * big-endian device the first callback carries the most significant part),
 * smaller or unaligned ones are widened to impl.min_access_size. A widened
 * WRITE is a read-modify-write of the containing impl-sized unit, so the
 * guest's neighbouring bytes keep their values; devices whose reads have side
 * effects should not let the guest make narrower accesses than they implement.
 * A NULL read returns 0; a NULL write ignores the value.
 */
typedef struct MemoryRegionOps {
    uint64_t (*read)(void *opaque, uint64_t addr, unsigned size);
    void (*write)(void *opaque, uint64_t addr, uint64_t val, unsigned size);
    Endianness endianness;
    struct {
        unsigned min_access_size, max_access_size;
        bool unaligned;
    } valid;
    struct {
        unsigned min_access_size, max_access_size;
        bool unaligned;
    } impl;
} MemoryRegionOps;

typedef enum {
    MR_KIND_NONE = 0, /* not initialized, or destroyed */
    MR_KIND_CONTAINER,
    MR_KIND_RAM,
    MR_KIND_ROM,
    MR_KIND_IO,
    MR_KIND_ALIAS,
} MemoryRegionKind;

/*
 * Embedded in the owning device; all fields are private to system/memory*.c.
 * Use the accessors below.
 */
struct MemoryRegion {
    char *name;
    MemoryRegionKind kind;
    uint64_t size;         /* UINT64_MAX = 2^64 */
    bool enabled;
    bool readonly;         /* set_readonly; ROM regions are read-only by kind */
    bool owns_host;        /* RAM/ROM memory allocated here, freed by destroy */

    /* placement in the parent container */
    MemoryRegion *container;
    MemoryRegion *next_sibling;
    uint64_t addr;
    int priority;

    /* subregions, highest priority first; equal priority: newest first */
    MemoryRegion *subregions;

    /* IO */
    const MemoryRegionOps *ops;
    void *opaque;
    uint8_t valid_min, valid_max, impl_min, impl_max;
    bool valid_unaligned, impl_unaligned, big_endian;

    /* RAM/ROM */
    bool rom_device;       /* ROM whose writes go to ops; see init_rom_device */
    bool romd;             /* rom_device: reads hit host memory (else ops) */
    uint8_t *host;
    int fd;
    uint64_t fd_offset;

    /* ALIAS */
    MemoryRegion *alias;
    uint64_t alias_offset;
    unsigned alias_users;  /* aliases pointing here */
    unsigned root_users;   /* address spaces rooted here */
};

typedef struct MemoryRegionSection {
    MemoryRegion *mr;      /* terminal region: RAM, ROM or IO, never alias/container */
    uint64_t offset_within_region;
    uint64_t offset_within_address_space;
    uint64_t size;         /* saturated at UINT64_MAX for a section covering all 2^64 */
    bool readonly;
} MemoryRegionSection;

/*
 * Topology listeners. On each commit that changes an address space's flat
 * view: begin (listeners in ascending priority), region_del for every section
 * that vanished or changed (descending priority), region_add for every new
 * section (ascending), commit (ascending). Any callback may be NULL.
 */
typedef struct MemoryListener {
    void (*begin)(struct MemoryListener *l);
    void (*commit)(struct MemoryListener *l);
    void (*region_add)(struct MemoryListener *l, MemoryRegionSection *sec);
    void (*region_del)(struct MemoryListener *l, MemoryRegionSection *sec);
    int priority;
    /* private */
    AddressSpace *address_space;
} MemoryListener;

struct AddressSpace {
    /* private */
    char *name;
    MemoryRegion *root;
    _Atomic(FlatView *) view;
    GList *listeners;      /* sorted by ascending priority */
};

/* ---- regions ---- */

/* A pure container: subregions show through it, holes are unassigned. */
void memory_region_init(MemoryRegion *mr, const char *name, uint64_t size);
/* MMIO or port I/O handled by ops; NULL ops gives a reserved range that reads
 * all-ones and logs guest errors like an unassigned address. */
void memory_region_init_io(MemoryRegion *mr, const MemoryRegionOps *ops, void *opaque,
                           const char *name, uint64_t size);
/* Guest RAM in a sealed-size memfd mapped MAP_SHARED (KVM can map it). */
bool memory_region_init_ram(MemoryRegion *mr, const char *name, uint64_t size, GError **errp);
/*
 * A ROM device (NOR flash): host memory like ROM, but guest writes always go
 * to ops->write. In ROMD mode (the initial one) reads and fetches hit the
 * host memory directly; with ROMD off they go to ops->read, the region is
 * then IO for the accelerators. Loaders fill it with address_space_write_rom
 * or through the host pointer.
 */
bool memory_region_init_rom_device(MemoryRegion *mr, const MemoryRegionOps *ops, void *opaque,
                                   const char *name, uint64_t size, GError **errp);
void memory_region_rom_device_set_romd(MemoryRegion *mr, bool romd);
/* RAM backed by caller-owned host memory (fd -1); destroy does not free it. */
void memory_region_init_ram_ptr(MemoryRegion *mr, const char *name, uint64_t size, void *ptr);
/* Like RAM but guest writes are ignored (guest error); fill it through the
 * host pointer or address_space_write_rom. */
bool memory_region_init_rom(MemoryRegion *mr, const char *name, uint64_t size, GError **errp);
/* A window of `size` bytes onto orig starting at `offset`. */
void memory_region_init_alias(MemoryRegion *mr, const char *name, MemoryRegion *orig,
                              uint64_t offset, uint64_t size);
/* Frees host memory of RAM/ROM (after concurrent readers are done). The region
 * must not be mapped, aliased, an address-space root, nor be called inside a
 * transaction. The struct itself belongs to the caller, which must keep it alive
 * while vCPUs may still dispatch to it (in practice: free devices with vCPUs
 * stopped). Subregions still inside a destroyed container are detached. */
void memory_region_destroy(MemoryRegion *mr);

void memory_region_add_subregion(MemoryRegion *parent, uint64_t offset, MemoryRegion *sub);
/* Overlaps are allowed: the higher priority wins; at equal priority the
 * subregion added last wins. Holes in the winner show the loser through. */
void memory_region_add_subregion_overlap(MemoryRegion *parent, uint64_t offset,
                                         MemoryRegion *sub, int priority);
void memory_region_del_subregion(MemoryRegion *parent, MemoryRegion *sub);
void memory_region_set_enabled(MemoryRegion *mr, bool enabled);
/* Move a mapped (or not yet mapped) region inside its container (PCI BARs). */
void memory_region_set_address(MemoryRegion *mr, uint64_t addr);
void memory_region_set_alias_offset(MemoryRegion *mr, uint64_t offset);
/* Read-only RAM/alias/container: guest writes below it are ignored and logged. */
void memory_region_set_readonly(MemoryRegion *mr, bool ro);

/* Host pointer of RAM/ROM (through aliases, offset applied); NULL otherwise. */
void *memory_region_get_ram_ptr(MemoryRegion *mr);
/* memfd of RAM/ROM (through aliases) or -1; pair with memory_region_get_fd_offset. */
int memory_region_get_fd(MemoryRegion *mr);
uint64_t memory_region_get_fd_offset(MemoryRegion *mr);
uint64_t memory_region_size(MemoryRegion *mr);
const char *memory_region_name(MemoryRegion *mr);
bool memory_region_is_ram(MemoryRegion *mr);   /* RAM or ROM: host memory backs it */
bool memory_region_is_rom(MemoryRegion *mr);   /* ROM, or RAM made read-only */
bool memory_region_is_mapped(MemoryRegion *mr);

/* Batch changes; nestable. Listeners and the flat views update once at the
 * outermost commit. Every mutator is its own transaction when none is open. */
void memory_region_transaction_begin(void);
void memory_region_transaction_commit(void);

/* ---- address spaces ---- */

MemoryRegion *get_system_memory(void); /* "system", 2^64 container, created lazily */
MemoryRegion *get_system_io(void);     /* "io", 64 KiB container */
AddressSpace *address_space_memory(void);
AddressSpace *address_space_io(void);

void address_space_init(AddressSpace *as, MemoryRegion *root, const char *name);
/* Listeners still attached are detached without callbacks. */
void address_space_destroy(AddressSpace *as);
const char *address_space_name(AddressSpace *as);

/* Byte-buffer accesses (DMA, loaders). RAM is copied; MMIO is cut into the
 * largest aligned pieces the device accepts. Unassigned bytes read as 0xff. */
MemTxResult address_space_read(AddressSpace *as, uint64_t addr, void *buf, uint64_t len);
MemTxResult address_space_write(AddressSpace *as, uint64_t addr, const void *buf, uint64_t len);
MemTxResult address_space_rw(AddressSpace *as, uint64_t addr, void *buf, uint64_t len,
                             bool is_write);
/* Like address_space_write but also stores into ROM (firmware loading); MMIO
 * and unassigned parts are skipped and reported as MEMTX_DECODE_ERROR. */
MemTxResult address_space_write_rom(AddressSpace *as, uint64_t addr, const void *buf,
                                    uint64_t len);

/* One access of size 1/2/4/8, value in host order (little-endian memory
 * image); used by KVM exits, port I/O and the JIT slow path. On error reads
 * give all-ones of the access size. */
MemTxResult address_space_read_val(AddressSpace *as, uint64_t addr, uint64_t *val,
                                   unsigned size);
MemTxResult address_space_write_val(AddressSpace *as, uint64_t addr, uint64_t val,
                                    unsigned size);

/*
 * For TLB fill: the terminal region at addr (NULL if unassigned), the offset
 * in it (*xlat) and the bytes left until that section (or hole) ends (*plen,
 * saturated at UINT64_MAX). For RAM/ROM, memory_region_get_ram_ptr(mr) + *xlat
 * is usable directly; it stays valid until the region is destroyed, even after
 * unmapping. A write TLB entry must not be direct when memory_region_is_rom()
 * is true; read-only set on an alias or container above a RAM region is only
 * visible through address_space_find_section().
 */
MemoryRegion *address_space_translate(AddressSpace *as, uint64_t addr, uint64_t *xlat,
                                      uint64_t *plen, bool is_write);
/* The section containing addr (false if unassigned). */
bool address_space_find_section(AddressSpace *as, uint64_t addr, MemoryRegionSection *sec);

/* ---- listeners ---- */

/* Attach to as and replay its current sections: begin, region_add..., commit. */
void memory_listener_register(MemoryListener *l, AddressSpace *as);
/* Detach; region_del is replayed for the current sections (inside begin/commit). */
void memory_listener_unregister(MemoryListener *l);

/* ---- monitor ---- */

/* `info mtree` style: "0000000040000000-000000007fffffff (prio 0, ram): mach-virt.ram" */
void memory_region_print_tree(GString *out, MemoryRegion *root);
/* The flat view: one line per section, " @offset" when not at region offset 0. */
void address_space_print_flat(GString *out, AddressSpace *as);

/* ---- internal to system/memory*.c ---- */

typedef struct FlatRange {
    uint64_t start, last;  /* inclusive; `last` avoids overflow at 2^64 */
    MemoryRegion *mr;      /* terminal */
    uint64_t offset;       /* offset in mr at `start` */
    uint8_t *host;         /* RAM/ROM: host address at `start`; NULL for IO */
    bool readonly;
} FlatRange;

struct FlatView {
    unsigned nr;
    FlatRange ranges[];
};

/* A dispatch-side read section: the flat view loaded inside it stays alive
 * until the matching end. Nestable, cheap (no shared cache line). */
void memory_read_begin(void);
void memory_read_end(void);
/* Index of the range containing addr, or -(insertion point) - 1. */
long flatview_find(const FlatView *v, uint64_t addr);

#endif
