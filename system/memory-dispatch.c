/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Guest memory and I/O dispatch over published FlatViews: byte buffers for
 * DMA and loaders, single sized accesses for KVM exits and the JIT slow path,
 * and translation for TLB fill. RAM is a binary search plus a memcpy; MMIO
 * accesses are checked against the device's `valid` constraints and adapted
 * to what its callbacks implement (split, widened, aligned). Values on the
 * "bus" between these layers are the little-endian image of guest memory;
 * big-endian devices are byte-swapped at the callback boundary.
 */
#include <inttypes.h>
#include <string.h>

#include "system/memory.h"
#include "util/log.h"

static inline uint64_t size_mask(unsigned size)
{
    return size >= 8 ? UINT64_MAX : (UINT64_C(1) << (size * 8)) - 1;
}

static inline uint64_t bswap_sized(uint64_t v, unsigned size)
{
    switch (size) {
    case 2:
        return GUINT16_SWAP_LE_BE((uint16_t)v);
    case 4:
        return GUINT32_SWAP_LE_BE((uint32_t)v);
    case 8:
        return GUINT64_SWAP_LE_BE(v);
    default:
        return v;
    }
}

/* Little-endian loads and stores of 1/2/4/8 bytes from unaligned host memory. */
static inline uint64_t ldn_le(const void *p, unsigned size)
{
    switch (size) {
    case 1:
        return *(const uint8_t *)p;
    case 2: {
        uint16_t v;
        memcpy(&v, p, 2);
        return GUINT16_FROM_LE(v);
    }
    case 4: {
        uint32_t v;
        memcpy(&v, p, 4);
        return GUINT32_FROM_LE(v);
    }
    default: {
        uint64_t v;
        memcpy(&v, p, 8);
        return GUINT64_FROM_LE(v);
    }
    }
}

static inline void stn_le(void *p, uint64_t val, unsigned size)
{
    switch (size) {
    case 1:
        *(uint8_t *)p = (uint8_t)val;
        break;
    case 2: {
        uint16_t v = GUINT16_TO_LE((uint16_t)val);
        memcpy(p, &v, 2);
        break;
    }
    case 4: {
        uint32_t v = GUINT32_TO_LE((uint32_t)val);
        memcpy(p, &v, 4);
        break;
    }
    default: {
        uint64_t v = GUINT64_TO_LE(val);
        memcpy(p, &v, 8);
        break;
    }
    }
}

static inline unsigned pow2_floor(uint64_t v)
{
    return v >= 8 ? 8 : v >= 4 ? 4 : v >= 2 ? 2 : 1;
}

static inline bool size_ok(unsigned size)
{
    return size == 1 || size == 2 || size == 4 || size == 8;
}

static inline FlatView *view_get(AddressSpace *as)
{
    return atomic_load_explicit(&as->view, memory_order_acquire);
}

/* ---- device callbacks, in bus (little-endian image) order ---- */

static uint64_t dev_read(MemoryRegion *mr, uint64_t off, unsigned size)
{
    uint64_t v = mr->ops->read ? mr->ops->read(mr->opaque, off, size) & size_mask(size) : 0;

    return mr->big_endian ? bswap_sized(v, size) : v;
}

static void dev_write(MemoryRegion *mr, uint64_t off, uint64_t v, unsigned size)
{
    v &= size_mask(size);
    if (mr->big_endian) {
        v = bswap_sized(v, size);
    }
    if (mr->ops->write) {
        mr->ops->write(mr->opaque, off, v, size);
    }
}

/*
 * Cut [off, off+size) into pieces the callbacks implement: the largest
 * naturally aligned piece up to impl.max (any alignment if impl.unaligned);
 * pieces below impl.min become one impl.min unit around them, read and
 * extracted, or read-modify-written.
 */
static void io_access(MemoryRegion *mr, uint64_t off, uint64_t *val, unsigned size,
                      bool is_write)
{
    uint64_t result = 0;

    for (unsigned i = 0; i < size;) {
        uint64_t cur = off + i;
        unsigned rem = size - i;
        unsigned c = pow2_floor(MIN(rem, mr->impl_max));

        if (!mr->impl_unaligned) {
            while (cur & (c - 1)) {
                c >>= 1;
            }
        }
        if (c >= mr->impl_min) {
            if (is_write) {
                dev_write(mr, cur, *val >> (8 * i), c);
            } else {
                result |= dev_read(mr, cur, c) << (8 * i);
            }
            i += c;
        } else {
            unsigned w = mr->impl_min;
            uint64_t base = cur & ~(uint64_t)(w - 1);
            unsigned skip = cur - base;
            unsigned n = MIN(rem, w - skip);
            uint64_t unit = dev_read(mr, base, w);

            if (is_write) {
                uint64_t m = size_mask(n) << (8 * skip);
                unit = (unit & ~m) | (((*val >> (8 * i)) & size_mask(n)) << (8 * skip));
                dev_write(mr, base, unit, w);
            } else {
                result |= ((unit >> (8 * skip)) & size_mask(n)) << (8 * i);
            }
            i += n;
        }
    }
    if (!is_write) {
        *val = result;
    }
}

/* One guest access of `size` lying wholly inside an IO range. */
static MemTxResult io_dispatch(AddressSpace *as, const FlatRange *fr, uint64_t addr,
                               uint64_t *val, unsigned size, bool is_write)
{
    MemoryRegion *mr = fr->mr;
    uint64_t off = fr->offset + (addr - fr->start);

    if (!mr->ops || size < mr->valid_min || size > mr->valid_max ||
        (!mr->valid_unaligned && (off & (size - 1)))) {
        log_guest_error("%s: invalid %s of size %u at 0x%" PRIx64 " (%s+0x%" PRIx64 ")\n",
                        as->name, is_write ? "write" : "read", size, addr, mr->name, off);
        if (!is_write) {
            *val = size_mask(size);
        }
        return MEMTX_DECODE_ERROR;
    }
    io_access(mr, off, val, size, is_write);
    return MEMTX_OK;
}

/* Bytes from addr to the next range (0 means all the way to 2^64). */
static uint64_t hole_len(const FlatView *v, long idx, uint64_t addr)
{
    long next = -idx - 1;

    return next < (long)v->nr ? v->ranges[next].start - addr : (uint64_t)0 - addr;
}

/* ---- byte buffers ---- */

static MemTxResult io_buffer(AddressSpace *as, const FlatRange *fr, uint64_t addr,
                             uint8_t *buf, uint64_t n, bool is_write)
{
    MemoryRegion *mr = fr->mr;
    MemTxResult res = MEMTX_OK;

    for (uint64_t done = 0; done < n;) {
        uint64_t a = addr + done;
        uint64_t off = fr->offset + (a - fr->start);
        unsigned c = pow2_floor(MIN(n - done, mr->ops ? mr->valid_max : 8));
        uint64_t val;

        if (mr->ops && !mr->valid_unaligned) {
            while (off & (c - 1)) {
                c >>= 1;
            }
        }
        if (is_write) {
            val = ldn_le(buf + done, c);
            res |= io_dispatch(as, fr, a, &val, c, true);
        } else {
            res |= io_dispatch(as, fr, a, &val, c, false);
            stn_le(buf + done, val, c);
        }
        done += c;
    }
    return res;
}

static MemTxResult flatview_rw(AddressSpace *as, FlatView *v, uint64_t addr, uint8_t *buf,
                               uint64_t len, bool is_write, bool rom_write)
{
    MemTxResult res = MEMTX_OK;

    while (len) {
        long i = v ? flatview_find(v, addr) : -1;
        uint64_t n;

        if (i < 0) {
            uint64_t avail = v ? hole_len(v, i, addr) : (uint64_t)0 - addr;
            n = (avail == 0 || len <= avail) ? len : avail;
            if (!rom_write) {
                log_guest_error("%s: unassigned %s of %" PRIu64 " bytes at 0x%" PRIx64 "\n",
                                as->name, is_write ? "write" : "read", n, addr);
            }
            if (!is_write) {
                memset(buf, 0xff, n);
            }
            res |= MEMTX_DECODE_ERROR;
        } else {
            const FlatRange *fr = &v->ranges[i];
            uint64_t avail_m1 = fr->last - addr;

            n = len - 1 <= avail_m1 ? len : avail_m1 + 1;
            if (fr->host) {
                uint8_t *host = fr->host + (addr - fr->start);
                if (!is_write) {
                    memcpy(buf, host, n);
                } else if (fr->mr->rom_device && !rom_write) {
                    /* Flash in ROMD mode: a write is a command for the device. */
                    res |= io_buffer(as, fr, addr, buf, n, true);
                } else if (fr->readonly && !rom_write) {
                    log_guest_error("%s: write of %" PRIu64 " bytes to read-only %s at 0x%" PRIx64
                                    "\n",
                                    as->name, n, fr->mr->name, addr);
                } else {
                    memcpy(host, buf, n);
                }
            } else if (rom_write) {
                res |= MEMTX_DECODE_ERROR;
            } else {
                res |= io_buffer(as, fr, addr, buf, n, is_write);
            }
        }
        addr += n;
        buf += n;
        len -= n;
    }
    return res;
}

MemTxResult address_space_rw(AddressSpace *as, uint64_t addr, void *buf, uint64_t len,
                             bool is_write)
{
    MemTxResult res;

    memory_read_begin();
    res = flatview_rw(as, view_get(as), addr, buf, len, is_write, false);
    memory_read_end();
    return res;
}

MemTxResult address_space_read(AddressSpace *as, uint64_t addr, void *buf, uint64_t len)
{
    return address_space_rw(as, addr, buf, len, false);
}

MemTxResult address_space_write(AddressSpace *as, uint64_t addr, const void *buf, uint64_t len)
{
    /* The buffer is only read from on the write path. */
    return address_space_rw(as, addr, (void *)buf, len, true);
}

MemTxResult address_space_write_rom(AddressSpace *as, uint64_t addr, const void *buf,
                                    uint64_t len)
{
    MemTxResult res;

    memory_read_begin();
    res = flatview_rw(as, view_get(as), addr, (void *)buf, len, true, true);
    memory_read_end();
    return res;
}

/* ---- single sized accesses ---- */

MemTxResult address_space_read_val(AddressSpace *as, uint64_t addr, uint64_t *val, unsigned size)
{
    MemTxResult res;
    FlatView *v;
    long i;

    if (!size_ok(size)) {
        *val = UINT64_MAX;
        return MEMTX_ERROR;
    }
    memory_read_begin();
    v = view_get(as);
    i = v ? flatview_find(v, addr) : -1;
    if (i >= 0 && size - 1 <= v->ranges[i].last - addr) {
        const FlatRange *fr = &v->ranges[i];
        if (fr->host) {
            *val = ldn_le(fr->host + (addr - fr->start), size);
            res = MEMTX_OK;
        } else {
            res = io_dispatch(as, fr, addr, val, size, false);
        }
    } else if (i < 0 && v) {
        uint64_t avail = hole_len(v, i, addr);
        if (avail == 0 || avail >= size) {
            log_guest_error("%s: unassigned read of size %u at 0x%" PRIx64 "\n", as->name, size,
                            addr);
            *val = size_mask(size);
            res = MEMTX_DECODE_ERROR;
        } else {
            uint8_t tmp[8];
            res = flatview_rw(as, v, addr, tmp, size, false, false);
            *val = ldn_le(tmp, size);
        }
    } else {
        /* Straddles sections (or the space is gone): go byte-buffer. */
        uint8_t tmp[8];
        res = flatview_rw(as, v, addr, tmp, size, false, false);
        *val = ldn_le(tmp, size);
    }
    memory_read_end();
    return res;
}

MemTxResult address_space_write_val(AddressSpace *as, uint64_t addr, uint64_t val,
                                    unsigned size)
{
    MemTxResult res;
    FlatView *v;
    long i;

    if (!size_ok(size)) {
        return MEMTX_ERROR;
    }
    val &= size_mask(size);
    memory_read_begin();
    v = view_get(as);
    i = v ? flatview_find(v, addr) : -1;
    if (i >= 0 && size - 1 <= v->ranges[i].last - addr &&
        !(v->ranges[i].readonly && v->ranges[i].host)) {
        const FlatRange *fr = &v->ranges[i];
        if (fr->host) {
            stn_le(fr->host + (addr - fr->start), val, size);
            res = MEMTX_OK;
        } else {
            res = io_dispatch(as, fr, addr, &val, size, true);
        }
    } else {
        /* Read-only, unassigned or straddling: the buffer path logs it. */
        uint8_t tmp[8];
        stn_le(tmp, val, size);
        res = flatview_rw(as, v, addr, tmp, size, true, false);
    }
    memory_read_end();
    return res;
}

/* ---- translation ---- */

MemoryRegion *address_space_translate(AddressSpace *as, uint64_t addr, uint64_t *xlat,
                                      uint64_t *plen, bool is_write)
{
    MemoryRegion *mr = NULL;
    FlatView *v;
    long i;

    memory_read_begin();
    v = view_get(as);
    i = v ? flatview_find(v, addr) : -1;
    if (i >= 0) {
        const FlatRange *fr = &v->ranges[i];
        uint64_t left_m1 = fr->last - addr;
        mr = fr->mr;
        *xlat = fr->offset + (addr - fr->start);
        *plen = left_m1 == UINT64_MAX ? UINT64_MAX : left_m1 + 1;
    } else {
        uint64_t avail = v ? hole_len(v, i, addr) : (uint64_t)0 - addr;
        *xlat = addr;
        *plen = avail == 0 ? UINT64_MAX : avail;
    }
    memory_read_end();
    return mr;
}

bool address_space_find_section(AddressSpace *as, uint64_t addr, MemoryRegionSection *sec)
{
    bool found = false;
    FlatView *v;
    long i;

    memory_read_begin();
    v = view_get(as);
    i = v ? flatview_find(v, addr) : -1;
    if (i >= 0) {
        const FlatRange *fr = &v->ranges[i];
        uint64_t size_m1 = fr->last - fr->start;
        sec->mr = fr->mr;
        sec->offset_within_region = fr->offset;
        sec->offset_within_address_space = fr->start;
        sec->size = size_m1 == UINT64_MAX ? UINT64_MAX : size_m1 + 1;
        sec->readonly = fr->readonly;
        found = true;
    } else {
        memset(sec, 0, sizeof(*sec));
    }
    memory_read_end();
    return found;
}
