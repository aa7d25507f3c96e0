/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A minimal virtio guest driver for the unit tests: split rings laid out
 * in guest memory and filled through the memory API, the way a guest CPU
 * would, so that the device side sees nothing but guest-physical memory.
 * Shared by test-virtqueue, test-virtio-mmio, -pci, -blk and -net. The
 * tv_mmio_* part below sets up a device behind a modern virtio-mmio
 * transport in test RAM, as test-virtio-blk, -net and -serial do.
 */
#ifndef TESTS_UNIT_VIRTIO_TEST_DRIVER_H
#define TESTS_UNIT_VIRTIO_TEST_DRIVER_H

#include <string.h>

#include "hw/core/device.h"
#include "hw/core/irq.h"
#include "hw/virtio/virtio-mmio.h"
#include "hw/virtio/virtio.h"
#include "system/memory.h"

typedef struct TestVring {
    AddressSpace *as;
    unsigned num;
    uint64_t desc, avail, used;
    uint16_t avail_idx;         /* driver's next avail slot */
    uint16_t last_used;         /* driver's next used slot to read */
    unsigned next_desc;         /* descriptors handed out round-robin */
} TestVring;

typedef struct TestBuf {
    uint64_t addr;
    uint32_t len;
    bool write;                 /* device-writable */
} TestBuf;

static inline void tv_w16(AddressSpace *as, uint64_t a, uint16_t v)
{
    g_assert_cmpuint(address_space_write_val(as, a, v, 2), ==, MEMTX_OK);
}

static inline void tv_w32(AddressSpace *as, uint64_t a, uint32_t v)
{
    g_assert_cmpuint(address_space_write_val(as, a, v, 4), ==, MEMTX_OK);
}

static inline void tv_w64(AddressSpace *as, uint64_t a, uint64_t v)
{
    g_assert_cmpuint(address_space_write_val(as, a, v, 8), ==, MEMTX_OK);
}

static inline uint64_t tv_r(AddressSpace *as, uint64_t a, unsigned size)
{
    uint64_t v = 0;

    g_assert_cmpuint(address_space_read_val(as, a, &v, size), ==, MEMTX_OK);
    return v;
}

static inline void tv_fill(AddressSpace *as, uint64_t a, uint8_t byte, size_t len)
{
    g_autofree uint8_t *buf = g_malloc(len);

    memset(buf, byte, len);
    g_assert_cmpuint(address_space_write(as, a, buf, len), ==, MEMTX_OK);
}

/* Split layout: desc at base, avail right after, used at the next align. */
static inline void tvring_init_layout(TestVring *r, AddressSpace *as, uint64_t base,
                                      unsigned num, unsigned align)
{
    memset(r, 0, sizeof(*r));
    r->as = as;
    r->num = num;
    r->desc = base;
    r->avail = base + 16ull * num;
    r->used = (r->avail + 6 + 2ull * num + align - 1) & ~((uint64_t)align - 1);
    tv_fill(as, base, 0, r->used + 6 + 8ull * num - base);
}

/* Modern: three independent addresses. */
static inline void tvring_init(TestVring *r, AddressSpace *as, uint64_t desc, uint64_t avail,
                               uint64_t used, unsigned num)
{
    memset(r, 0, sizeof(*r));
    r->as = as;
    r->num = num;
    r->desc = desc;
    r->avail = avail;
    r->used = used;
    tv_fill(as, desc, 0, 16ull * num);
    tv_fill(as, avail, 0, 6 + 2ull * num);
    tv_fill(as, used, 0, 6 + 8ull * num);
}

static inline void tv_write_desc(AddressSpace *as, uint64_t table, unsigned i, uint64_t addr,
                                 uint32_t len, uint16_t flags, uint16_t next)
{
    uint64_t d = table + 16ull * i;

    tv_w64(as, d, addr);
    tv_w32(as, d + 8, len);
    tv_w16(as, d + 12, flags);
    tv_w16(as, d + 14, next);
}

/* A direct chain of n buffers; returns the head index. */
static inline unsigned tvring_add_chain(TestVring *r, const TestBuf *bufs, unsigned n)
{
    unsigned head = r->next_desc % r->num;

    for (unsigned k = 0; k < n; k++) {
        unsigned i = (r->next_desc + k) % r->num;
        unsigned next = (i + 1) % r->num;

        tv_write_desc(r->as, r->desc, i, bufs[k].addr, bufs[k].len,
                      (bufs[k].write ? VRING_DESC_F_WRITE : 0) |
                      (k + 1 < n ? VRING_DESC_F_NEXT : 0), next);
    }
    r->next_desc += n;
    return head;
}

/* One ring descriptor pointing at an indirect table written at table. */
static inline unsigned tvring_add_indirect(TestVring *r, uint64_t table, const TestBuf *bufs,
                                           unsigned n)
{
    unsigned head = r->next_desc % r->num;

    for (unsigned k = 0; k < n; k++) {
        tv_write_desc(r->as, table, k, bufs[k].addr, bufs[k].len,
                      (bufs[k].write ? VRING_DESC_F_WRITE : 0) |
                      (k + 1 < n ? VRING_DESC_F_NEXT : 0), k + 1);
    }
    tv_write_desc(r->as, r->desc, head, table, 16 * n, VRING_DESC_F_INDIRECT, 0);
    r->next_desc++;
    return head;
}

static inline void tvring_publish(TestVring *r, unsigned head)
{
    tv_w16(r->as, r->avail + 4 + 2ull * (r->avail_idx % r->num), head);
    r->avail_idx++;
    tv_w16(r->as, r->avail + 2, r->avail_idx);
}

static inline uint16_t tvring_used_idx(TestVring *r)
{
    return tv_r(r->as, r->used + 2, 2);
}

/* The next used entry, if any. */
static inline bool tvring_get_used(TestVring *r, uint32_t *id, uint32_t *len)
{
    uint64_t e;

    *id = *len = 0;
    if (tvring_used_idx(r) == r->last_used) {
        return false;
    }
    e = r->used + 4 + 8ull * (r->last_used % r->num);
    *id = tv_r(r->as, e, 4);
    *len = tv_r(r->as, e + 4, 4);
    r->last_used++;
    return true;
}

/* avail->flags, used_event (avail ring tail) and avail_event (used ring tail). */
static inline void tvring_set_avail_flags(TestVring *r, uint16_t flags)
{
    tv_w16(r->as, r->avail, flags);
}

static inline void tvring_set_used_event(TestVring *r, uint16_t v)
{
    tv_w16(r->as, r->avail + 4 + 2ull * r->num, v);
}

static inline uint16_t tvring_avail_event(TestVring *r)
{
    return tv_r(r->as, r->used + 4 + 8ull * r->num, 2);
}

static inline uint16_t tvring_used_flags(TestVring *r)
{
    return tv_r(r->as, r->used, 2);
}

/* ---- a device behind a modern virtio-mmio transport ---- */

/* RAM for rings and buffers, at base in the system address space. */
static inline void tv_ram_add(MemoryRegion *ram, uint64_t base, uint64_t size)
{
    GError *err = NULL;

    g_assert_true(memory_region_init_ram(ram, "test-ram", size, &err));
    g_assert_no_error(err);
    memory_region_add_subregion(get_system_memory(), base, ram);
}

static inline void tv_ram_del(MemoryRegion *ram)
{
    memory_region_del_subregion(get_system_memory(), ram);
    memory_region_destroy(ram);
}

/* The transport's interrupt line level lands in the int opaque points at. */
static inline void tv_level_handler(void *opaque, int n, int level)
{
    *(int *)opaque = level;
}

/* A virtio-mmio proxy at base forced to the modern (version 2) layout. */
static inline DeviceState *tv_mmio_create(uint64_t base, IrqLine *irq)
{
    GError *err = NULL;
    DeviceState *proxy;

    g_assert_true(device_global_parse("virtio-mmio.force-legacy=false", &err));
    proxy = virtio_mmio_create(base, irq, &err);
    g_assert_no_error(err);
    device_globals_clear();
    return proxy;
}

static inline uint32_t tv_mmio_rd(uint64_t base, uint64_t off)
{
    return tv_r(address_space_memory(), base + off, 4);
}

static inline void tv_mmio_wr(uint64_t base, uint64_t off, uint32_t v)
{
    tv_w32(address_space_memory(), base + off, v);
}

/* Reset, ACKNOWLEDGE | DRIVER, take every offered feature not in drop, FEATURES_OK. */
static inline void tv_mmio_negotiate(uint64_t base, uint64_t drop)
{
    const uint32_t drv = VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER;
    uint64_t features;

    tv_mmio_wr(base, VIRTIO_MMIO_STATUS, 0);
    tv_mmio_wr(base, VIRTIO_MMIO_STATUS, drv);
    tv_mmio_wr(base, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
    features = tv_mmio_rd(base, VIRTIO_MMIO_DEVICE_FEATURES);
    tv_mmio_wr(base, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
    features |= (uint64_t)tv_mmio_rd(base, VIRTIO_MMIO_DEVICE_FEATURES) << 32;
    features &= ~drop;
    tv_mmio_wr(base, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
    tv_mmio_wr(base, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)features);
    tv_mmio_wr(base, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
    tv_mmio_wr(base, VIRTIO_MMIO_DRIVER_FEATURES, features >> 32);
    tv_mmio_wr(base, VIRTIO_MMIO_STATUS, drv | VIRTIO_CONFIG_S_FEATURES_OK);
    g_assert_cmphex(tv_mmio_rd(base, VIRTIO_MMIO_STATUS), ==, drv | VIRTIO_CONFIG_S_FEATURES_OK);
}

/* Queue q: a ring of num entries laid out from ring (desc, +4 KiB avail, +8 KiB used). */
static inline void tv_mmio_setup_queue(uint64_t base, unsigned q, TestVring *r, uint64_t ring,
                                       unsigned num)
{
    tvring_init(r, address_space_memory(), ring, ring + 0x1000, ring + 0x2000, num);
    tv_mmio_wr(base, VIRTIO_MMIO_QUEUE_SEL, q);
    tv_mmio_wr(base, VIRTIO_MMIO_QUEUE_NUM, num);
    tv_mmio_wr(base, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)r->desc);
    tv_mmio_wr(base, VIRTIO_MMIO_QUEUE_DESC_HIGH, r->desc >> 32);
    tv_mmio_wr(base, VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)r->avail);
    tv_mmio_wr(base, VIRTIO_MMIO_QUEUE_DRIVER_HIGH, r->avail >> 32);
    tv_mmio_wr(base, VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)r->used);
    tv_mmio_wr(base, VIRTIO_MMIO_QUEUE_DEVICE_HIGH, r->used >> 32);
    tv_mmio_wr(base, VIRTIO_MMIO_QUEUE_READY, 1);
}

static inline void tv_mmio_driver_ok(uint64_t base)
{
    tv_mmio_wr(base, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
               VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK);
}

#endif
