/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-pci test kernel for the pc machine: a bare driver with no firmware
 * underneath. It enumerates bus 0 through 0xCF8/0xCFC, sizes and assigns
 * every BAR itself (memory from 0xe0000000, I/O from 0xc000), walks the
 * virtio vendor capabilities, and drives a virtio-blk (pattern written to
 * sectors 0..15, FLUSH, read back, GET_ID, a host-written sector 16, MSI-X
 * to the LAPIC) and a virtio-rng (64 bytes, INTx through the IOAPIC). The
 * blk also gets three hostile requests (a looping chain, a head out of
 * range, a buffer outside RAM): each must set DEVICE_NEEDS_RESET, and the
 * device must work again after a reset. Interrupts stay disabled: an MSI
 * or IOAPIC message shows up as the vector's LAPIC IRR bit.
 *
 * Command line: sectors=N (expected capacity), serial=S (expected GET_ID),
 * nohost=1 (sector 16 holds no host data), rngirq=N (expected interrupt
 * line of the rng). Exits with 0x31 (status 99) when every check passes,
 * 0x30 otherwise.
 */
#include "runtime.h"

#define PCI_ADDR        0xcf8
#define PCI_DATA        0xcfc
#define MEM_BASE        0xe0000000u
#define IO_BASE         0xc000u

#define LAPIC           0xfee00000u
#define LAPIC_SVR       0x0f0
#define LAPIC_IRR       0x200
#define IOAPIC          0xfec00000u

#define VEC_CONFIG      0x50    /* blk MSI-X entry 0: configuration change */
#define VEC_QUEUE       0x51    /* blk MSI-X entry 1: queue 0 */
#define VEC_INTX        0x60    /* rng INTA through the IOAPIC */

/* Device status bits. */
#define S_ACK           0x01
#define S_DRIVER        0x02
#define S_DRIVER_OK     0x04
#define S_FEATURES_OK   0x08
#define S_NEEDS_RESET   0x40
#define S_FAILED        0x80

/* Common configuration layout (virtio 1.x, 4.1.4.3). */
#define C_DFSELECT      0x00
#define C_DF            0x04
#define C_GFSELECT      0x08
#define C_GF            0x0c
#define C_MSIX          0x10
#define C_NUMQ          0x12
#define C_STATUS        0x14
#define C_QSELECT       0x16
#define C_QSIZE         0x18
#define C_QMSIX         0x1a
#define C_QENABLE       0x1c
#define C_QNOFF         0x1e
#define C_QDESC         0x20
#define C_QAVAIL        0x28
#define C_QUSED         0x30

#define F_BLK_FLUSH     9
#define F_VERSION_1     32

#define BLK_T_IN        0
#define BLK_T_OUT       1
#define BLK_T_FLUSH     4
#define BLK_T_GET_ID    8

#define D_NEXT          1
#define D_WRITE         2

#define QSIZE           16
#define NSECT           16

struct vring_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags, next;
};

struct vring_avail {
    uint16_t flags, idx, ring[QSIZE], used_event;
};

struct vring_used {
    uint16_t flags, idx;
    struct {
        uint32_t id, len;
    } ring[QSIZE];
    uint16_t avail_event;
};

/* One page per queue: descriptors, then the driver and device areas. */
struct vring_page {
    struct vring_desc desc[QSIZE];
    struct vring_avail avail __attribute__((aligned(256)));
    struct vring_used used __attribute__((aligned(256)));
} __attribute__((aligned(4096)));

struct vdev {
    uint8_t slot;
    uint16_t type;
    uintptr_t common, notify, isr, devcfg;
    uint32_t notify_mult;
    uint8_t msix_cap;
    uintptr_t msix_table;
};

struct vq {
    struct vdev *d;
    struct vring_page *r;
    uint16_t index, size, notify_off, next_avail, last_used;
};

struct blk_hdr {
    uint32_t type, reserved;
    uint64_t sector;
};

static struct vring_page blk_ring, rng_ring;
static uint8_t wbuf[NSECT * 512] __attribute__((aligned(4096)));
static uint8_t rbuf[NSECT * 512] __attribute__((aligned(4096)));
static uint8_t idbuf[20], rngbuf[64];
static struct blk_hdr hdr;
static volatile uint8_t blk_status;
static struct vdev vdevs[8];
static unsigned nvdevs;
static uint32_t mem_next = MEM_BASE, io_next = IO_BASE;
static int all_ok = 1;

static void expect(const char *what, int ok)
{
    all_ok &= check(what, ok);
}

/* ---- PCI configuration mechanism #1 ---- */

static void pci_select(uint8_t slot, uint8_t reg)
{
    outl(PCI_ADDR, 0x80000000u | ((uint32_t)slot << 11) | (reg & 0xfc));
}

static uint32_t cfg_read32(uint8_t slot, uint8_t reg)
{
    pci_select(slot, reg);
    return inl(PCI_DATA);
}

static uint16_t cfg_read16(uint8_t slot, uint8_t reg)
{
    pci_select(slot, reg);
    return inw(PCI_DATA + (reg & 2));
}

static uint8_t cfg_read8(uint8_t slot, uint8_t reg)
{
    pci_select(slot, reg);
    return inb(PCI_DATA + (reg & 3));
}

static void cfg_write32(uint8_t slot, uint8_t reg, uint32_t v)
{
    pci_select(slot, reg);
    outl(PCI_DATA, v);
}

static void cfg_write16(uint8_t slot, uint8_t reg, uint16_t v)
{
    pci_select(slot, reg);
    outw(PCI_DATA + (reg & 2), v);
}

/* Sizes every BAR of the function and gives it a naturally aligned address. */
static void pci_assign_bars(uint8_t slot)
{
    for (int bar = 0; bar < 6; bar++) {
        uint8_t reg = 0x10 + 4 * bar;
        uint32_t old = cfg_read32(slot, reg), mask, size;
        int is64;

        cfg_write32(slot, reg, 0xffffffffu);
        mask = cfg_read32(slot, reg);
        cfg_write32(slot, reg, old);
        if (!mask) {
            continue;
        }
        if (old & 1) {
            size = ~(mask & ~3u) + 1;
            size &= 0xffff;
            io_next = (io_next + size - 1) & ~(size - 1);
            cfg_write32(slot, reg, io_next);
            kprintf("  BAR%d: I/O 0x%x size 0x%x\n", bar, io_next, size);
            io_next += size;
            continue;
        }
        is64 = ((old >> 1) & 3) == 2;
        size = ~(mask & ~0xfu) + 1;
        mem_next = (mem_next + size - 1) & ~(size - 1);
        cfg_write32(slot, reg, mem_next);
        if (is64) {
            cfg_write32(slot, reg + 4, 0);
        }
        kprintf("  BAR%d: mem%s 0x%x size 0x%x\n", bar, is64 ? "64" : "32", mem_next, size);
        mem_next += size;
        bar += is64;
    }
    /* Memory and I/O decoding, bus mastering (needed for MSI). */
    cfg_write16(slot, 0x04, cfg_read16(slot, 0x04) | 0x7);
}

static uintptr_t bar_address(uint8_t slot, uint8_t bar)
{
    return cfg_read32(slot, 0x10 + 4 * bar) & ~0xfu;
}

/* The virtio vendor capabilities (and MSI-X) of one function. */
static int virtio_find_caps(struct vdev *d)
{
    int found = 0;

    if (!(cfg_read16(d->slot, 0x06) & 0x10)) {
        return 0;
    }
    for (uint8_t pos = cfg_read8(d->slot, 0x34) & 0xfc, n = 0; pos && n < 48;
         pos = cfg_read8(d->slot, pos + 1) & 0xfc, n++) {
        uint8_t id = cfg_read8(d->slot, pos);

        if (id == 0x11) {
            uint32_t tbl = cfg_read32(d->slot, pos + 4);

            d->msix_cap = pos;
            d->msix_table = bar_address(d->slot, tbl & 7) + (tbl & ~7u);
            continue;
        }
        if (id != 0x09) {
            continue;
        }
        uint8_t type = cfg_read8(d->slot, pos + 3), bar = cfg_read8(d->slot, pos + 4);
        uintptr_t addr = bar_address(d->slot, bar) + cfg_read32(d->slot, pos + 8);

        switch (type) {
        case 1:
            d->common = addr;
            found |= 1;
            break;
        case 2:
            d->notify = addr;
            d->notify_mult = cfg_read32(d->slot, pos + 16);
            found |= 2;
            break;
        case 3:
            d->isr = addr;
            found |= 4;
            break;
        case 4:
            d->devcfg = addr;
            found |= 8;
            break;
        }
    }
    return found;
}

static void pci_enumerate(void)
{
    int host = 0;

    for (uint8_t slot = 0; slot < 32; slot++) {
        uint32_t id = cfg_read32(slot, 0);
        uint16_t vendor = id & 0xffff, device = id >> 16;

        if (vendor == 0xffff) {
            continue;
        }
        kprintf("00:%02x.0 %04x:%04x class %06x\n", slot, vendor, device,
                cfg_read32(slot, 0x08) >> 8);
        if (slot == 0) {
            host = vendor == 0x8086 && device == 0x1237 && (cfg_read32(slot, 8) >> 8) == 0x060000;
            continue;
        }
        pci_assign_bars(slot);
        if (vendor == 0x1af4 && device >= 0x1040 && device < 0x1080 && nvdevs < 8) {
            struct vdev *d = &vdevs[nvdevs++];

            d->slot = slot;
            d->type = device - 0x1040;
            /* rng has no device-specific configuration. */
            if (virtio_find_caps(d) != (d->type == 4 ? 7 : 15)) {
                kprintf("  virtio type %u: capabilities missing\n", d->type);
                all_ok = 0;
            }
        }
    }
    expect("i440FX host bridge 8086:1237 at 00.0", host);
}

static struct vdev *virtio_find(uint16_t type)
{
    for (unsigned i = 0; i < nvdevs; i++) {
        if (vdevs[i].type == type) {
            return &vdevs[i];
        }
    }
    return NULL;
}

/* ---- the modern transport ---- */

static inline void barrier(void)
{
    __asm__ volatile("" ::: "memory");
}

static uint8_t c_read8(struct vdev *d, uint32_t off)
{
    return *(volatile uint8_t *)(d->common + off);
}

static uint16_t c_read16(struct vdev *d, uint32_t off)
{
    return *(volatile uint16_t *)(d->common + off);
}

static void c_write8(struct vdev *d, uint32_t off, uint8_t v)
{
    *(volatile uint8_t *)(d->common + off) = v;
}

static void c_write16(struct vdev *d, uint32_t off, uint16_t v)
{
    *(volatile uint16_t *)(d->common + off) = v;
}

static void c_write64(struct vdev *d, uint32_t off, uint64_t v)
{
    mmio_write32(d->common + off, (uint32_t)v);
    mmio_write32(d->common + off + 4, (uint32_t)(v >> 32));
}

/* A bounded wait, in TSC ticks: a guard against hangs, not a measurement. */
static int wait_until(int (*cond)(void *), void *arg)
{
    uint64_t start = rdtsc();

    while (!cond(arg)) {
        if (rdtsc() - start > 20000000000ull) {
            return 0;
        }
        cpu_relax();
    }
    return 1;
}

static int status_is_zero(void *arg)
{
    return c_read8(arg, C_STATUS) == 0;
}

static int status_needs_reset(void *arg)
{
    return (c_read8(arg, C_STATUS) & S_NEEDS_RESET) != 0;
}

/* Reset, ACKNOWLEDGE, DRIVER, negotiate; returns the device's features. */
static int virtio_init(struct vdev *d, uint64_t want, uint64_t *offered)
{
    uint64_t f;

    c_write8(d, C_STATUS, 0);
    if (!wait_until(status_is_zero, d)) {
        return 0;
    }
    c_write8(d, C_STATUS, S_ACK);
    c_write8(d, C_STATUS, S_ACK | S_DRIVER);
    mmio_write32(d->common + C_DFSELECT, 0);
    f = mmio_read32(d->common + C_DF);
    mmio_write32(d->common + C_DFSELECT, 1);
    f |= (uint64_t)mmio_read32(d->common + C_DF) << 32;
    *offered = f;
    f &= want;
    mmio_write32(d->common + C_GFSELECT, 0);
    mmio_write32(d->common + C_GF, (uint32_t)f);
    mmio_write32(d->common + C_GFSELECT, 1);
    mmio_write32(d->common + C_GF, (uint32_t)(f >> 32));
    c_write8(d, C_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK);
    return (c_read8(d, C_STATUS) & S_FEATURES_OK) != 0;
}

static int vq_setup(struct vq *q, struct vdev *d, struct vring_page *r, uint16_t index,
                    uint16_t vector)
{
    uint16_t max;

    memset(r, 0, sizeof(*r));
    q->d = d;
    q->r = r;
    q->index = index;
    q->next_avail = q->last_used = 0;
    c_write16(d, C_QSELECT, index);
    max = c_read16(d, C_QSIZE);
    /* Queue sizes are powers of 2: the smaller of ours and the device's. */
    q->size = max < QSIZE ? max : QSIZE;
    if (q->size < 4 || (q->size & (q->size - 1))) {
        kprintf("  queue %u: size %u unusable\n", index, max);
        return 0;
    }
    c_write16(d, C_QSIZE, q->size);
    c_write16(d, C_QMSIX, vector);
    if (c_read16(d, C_QMSIX) != vector) {
        kprintf("  queue %u: vector 0x%x not taken\n", index, vector);
        return 0;
    }
    q->notify_off = c_read16(d, C_QNOFF);
    c_write64(d, C_QDESC, (uintptr_t)r->desc);
    c_write64(d, C_QAVAIL, (uintptr_t)&r->avail);
    c_write64(d, C_QUSED, (uintptr_t)&r->used);
    c_write16(d, C_QENABLE, 1);
    return c_read16(d, C_QENABLE) == 1;
}

/* Publishes the chain starting at descriptor head and kicks the queue. */
static void vq_kick(struct vq *q, uint16_t head)
{
    volatile struct vring_avail *a = &q->r->avail;

    a->ring[q->next_avail % q->size] = head;
    barrier();
    a->idx = ++q->next_avail;
    __sync_synchronize();
    *(volatile uint16_t *)(q->d->notify + q->notify_off * q->d->notify_mult) = q->index;
}

static int used_moved(void *arg)
{
    struct vq *q = arg;

    return *(volatile uint16_t *)&q->r->used.idx != q->last_used;
}

/* Waits for the next used entry; returns its length or -1. */
static int vq_wait(struct vq *q, uint16_t head)
{
    volatile struct vring_used *u = &q->r->used;
    uint32_t id, len;

    if (!wait_until(used_moved, q)) {
        kprintf("  queue %u: no completion\n", q->index);
        return -1;
    }
    barrier();
    id = u->ring[q->last_used % q->size].id;
    len = u->ring[q->last_used % q->size].len;
    q->last_used++;
    if (id != head) {
        kprintf("  queue %u: used id %u, expected %u\n", q->index, id, head);
        return -1;
    }
    return len;
}

static void desc_set(struct vq *q, uint16_t i, void *addr, uint32_t len, uint16_t flags)
{
    struct vring_desc *d = &q->r->desc[i];

    d->addr = (uintptr_t)addr;
    d->len = len;
    d->flags = flags;
    d->next = i + 1;
}

/* ---- LAPIC and IOAPIC ---- */

static int irr(unsigned vec)
{
    return (mmio_read32(LAPIC + LAPIC_IRR + 0x10 * (vec / 32)) >> (vec % 32)) & 1;
}

static int irr_set(void *arg)
{
    return irr((uintptr_t)arg);
}

static void ioapic_route(unsigned pin, unsigned vec)
{
    uint32_t apic_id = mmio_read32(LAPIC + 0x20) >> 24;

    mmio_write32(IOAPIC, 0x10 + 2 * pin + 1);
    mmio_write32(IOAPIC + 0x10, apic_id << 24);
    mmio_write32(IOAPIC, 0x10 + 2 * pin);
    mmio_write32(IOAPIC + 0x10, (1u << 15) | vec);    /* level, active high, fixed */
}

static void msix_entry(struct vdev *d, unsigned n, unsigned vec)
{
    uint32_t apic_id = mmio_read32(LAPIC + 0x20) >> 24;
    uintptr_t e = d->msix_table + 16 * n;

    mmio_write32(e + 0, 0xfee00000u | (apic_id << 12));
    mmio_write32(e + 4, 0);
    mmio_write32(e + 8, vec);
    mmio_write32(e + 12, 0);    /* unmask */
}

/* ---- virtio-blk ---- */

/* Length of a command-line value (up to the next space). */
static size_t arg_len(const char *v)
{
    size_t n = 0;

    while (v[n] && v[n] != ' ') {
        n++;
    }
    return n;
}

static void pattern_sector(uint8_t *p, unsigned s)
{
    static const char rec[] = "tern virtio-io sector 00 rec 00\n";

    for (unsigned r = 0; r < 16; r++, p += 32) {
        memcpy(p, rec, 32);
        p[22] = '0' + s / 10;
        p[23] = '0' + s % 10;
        p[29] = '0' + r / 10;
        p[30] = '0' + r % 10;
    }
}

/* One request: header, optional data buffer, status byte. */
static int blk_request(struct vq *q, uint32_t type, uint64_t sector, void *buf, uint32_t len)
{
    uint16_t n = 0;
    int used;

    hdr.type = type;
    hdr.reserved = 0;
    hdr.sector = sector;
    blk_status = 0xff;
    desc_set(q, n++, &hdr, sizeof(hdr), D_NEXT);
    if (len) {
        desc_set(q, n++, buf, len, D_NEXT | (type == BLK_T_OUT ? 0 : D_WRITE));
    }
    desc_set(q, n++, (void *)&blk_status, 1, D_WRITE);
    vq_kick(q, 0);
    used = vq_wait(q, 0);
    if (used < 0) {
        return -1;
    }
    if (blk_status != 0) {
        kprintf("  request type %u: status %u (used length %d)\n", type, blk_status, used);
        return -1;
    }
    return used;
}

static int blk_start(struct vdev *d, struct vq *q)
{
    uint64_t offered;

    if (!virtio_init(d, (1ull << F_VERSION_1) | (1ull << F_BLK_FLUSH), &offered)) {
        return 0;
    }
    if (!(offered & (1ull << F_BLK_FLUSH)) || !(offered & (1ull << F_VERSION_1))) {
        kprintf("  blk features 0x%llx lack VERSION_1 or FLUSH\n", offered);
        return 0;
    }
    c_write16(d, C_MSIX, 0);
    if (c_read16(d, C_MSIX) != 0 || !vq_setup(q, d, &blk_ring, 0, 1)) {
        return 0;
    }
    c_write8(d, C_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
    return c_read8(d, C_STATUS) == (S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
}

/* After a hostile request: reset, set up again, read one sector. */
static void blk_recover(struct vdev *d, struct vq *q, const char *after, unsigned sector)
{
    int ok;

    kprintf("  status after %s: 0x%x\n", after, c_read8(d, C_STATUS));
    expect("blk: reset and set up again", blk_start(d, q));
    expect("blk: DEVICE_NEEDS_RESET cleared by the reset",
           !(c_read8(d, C_STATUS) & S_NEEDS_RESET));
    memset(rbuf, 0, 512);
    ok = blk_request(q, BLK_T_IN, sector, rbuf, 512) == 513;
    expect("blk: reads work again after the reset",
           ok && !kmemcmp(rbuf, wbuf + sector * 512, 512));
}

static void test_blk(struct vdev *d, const char *cmdline)
{
    struct vq q;
    const char *want_serial = karg(cmdline, "serial");
    uint32_t want_sectors = karg(cmdline, "sectors") ? katou(karg(cmdline, "sectors")) : 0;
    uint32_t cap;
    size_t n;
    int ok;

    kprintf("virtio-blk at 00:%02x.0\n", d->slot);
    expect("blk: MSI-X capability and table", d->msix_cap && d->msix_table);
    msix_entry(d, 0, VEC_CONFIG);
    msix_entry(d, 1, VEC_QUEUE);
    cfg_write16(d->slot, d->msix_cap + 2, 0x8000);      /* enable, function unmasked */
    if (!check("blk: reset, features VERSION_1 + FLUSH, queue 0, DRIVER_OK", blk_start(d, &q))) {
        all_ok = 0;
        return;
    }
    cap = mmio_read32(d->devcfg);
    kprintf("  capacity %u sectors\n", cap);
    expect("blk: capacity matches the image", !want_sectors || cap == want_sectors);
    expect("blk: no MSI-X message before the first request", !irr(VEC_QUEUE));

    for (unsigned s = 0; s < NSECT; s++) {
        pattern_sector(wbuf + 512 * s, s);
    }
    expect("blk: write sectors 0..15", blk_request(&q, BLK_T_OUT, 0, wbuf, sizeof(wbuf)) >= 0);
    expect("blk: completion signals the queue's MSI-X vector",
           wait_until(irr_set, (void *)VEC_QUEUE));
    expect("blk: flush", blk_request(&q, BLK_T_FLUSH, 0, NULL, 0) >= 0);
    memset(rbuf, 0, sizeof(rbuf));
    expect("blk: read sectors 0..15 back",
           blk_request(&q, BLK_T_IN, 0, rbuf, sizeof(rbuf)) == sizeof(rbuf) + 1);
    expect("blk: read data matches the pattern", !kmemcmp(rbuf, wbuf, sizeof(wbuf)));
    /* Sector by sector, in reverse, through separate requests. */
    ok = 1;
    for (int s = NSECT - 1; s >= 0; s--) {
        memset(rbuf, 0, 512);
        ok &= blk_request(&q, BLK_T_IN, s, rbuf, 512) == 513 &&
              !kmemcmp(rbuf, wbuf + 512 * s, 512);
    }
    expect("blk: single-sector reads in reverse order", ok);
    if (!karg(cmdline, "nohost")) {
        ok = blk_request(&q, BLK_T_IN, 16, rbuf, 512) == 513;
        expect("blk: sector 16 holds the host's data", ok && !kmemcmp(rbuf, "HOSTDATA", 8));
    }
    ok = blk_request(&q, BLK_T_IN, cap, rbuf, 512);
    expect("blk: read beyond the end fails with IOERR", ok < 0 && blk_status == 1);

    memset(idbuf, 0xaa, sizeof(idbuf));
    ok = blk_request(&q, BLK_T_GET_ID, 0, idbuf, sizeof(idbuf)) >= 0;
    for (n = 0; n < sizeof(idbuf) && idbuf[n]; n++) {
        /* serial runs up to the first NUL or 20 bytes */
    }
    kprintf("  serial '");
    for (size_t i = 0; i < n; i++) {
        kprintf("%c", idbuf[i]);
    }
    kprintf("'\n");
    expect("blk: GET_ID returns the serial",
           ok && (!want_serial || (n == arg_len(want_serial) &&
                                   !kmemcmp(idbuf, want_serial, n))));

    /* A hostile chain: descriptor 0 names itself as next. */
    expect("blk: no configuration interrupt yet", !irr(VEC_CONFIG));
    q.r->desc[0].addr = (uintptr_t)&hdr;
    q.r->desc[0].len = sizeof(hdr);
    q.r->desc[0].flags = D_NEXT;
    q.r->desc[0].next = 0;
    vq_kick(&q, 0);
    expect("blk: looping chain sets DEVICE_NEEDS_RESET", wait_until(status_needs_reset, d));
    expect("blk: looping chain is not returned",
           *(volatile uint16_t *)&q.r->used.idx == q.last_used);
    expect("blk: broken device sends a configuration-change interrupt",
           wait_until(irr_set, (void *)VEC_CONFIG));

    blk_recover(d, &q, "the loop", 3);

    /* A head index beyond the queue. */
    q.r->avail.ring[q.next_avail % q.size] = 200;
    barrier();
    q.r->avail.idx = ++q.next_avail;
    __sync_synchronize();
    *(volatile uint16_t *)(d->notify + q.notify_off * d->notify_mult) = 0;
    expect("blk: head index out of range sets DEVICE_NEEDS_RESET",
           wait_until(status_needs_reset, d));
    blk_recover(d, &q, "a bad head", 7);

    /* A data buffer outside guest RAM (in the unassigned PCI hole). */
    hdr.type = BLK_T_IN;
    hdr.sector = 0;
    desc_set(&q, 0, &hdr, sizeof(hdr), D_NEXT);
    desc_set(&q, 1, (void *)0xd0000000u, 512, D_NEXT | D_WRITE);
    desc_set(&q, 2, (void *)&blk_status, 1, D_WRITE);
    vq_kick(&q, 0);
    expect("blk: buffer outside RAM sets DEVICE_NEEDS_RESET", wait_until(status_needs_reset, d));
    blk_recover(d, &q, "a buffer outside RAM", 15);
}

/* ---- virtio-rng ---- */

static int isr_pending(void *arg)
{
    struct vdev *d = arg;

    return (cfg_read16(d->slot, 0x06) & 0x08) != 0;    /* STATUS.INTERRUPT */
}

static void test_rng(struct vdev *d, const char *cmdline)
{
    const char *want_irq = karg(cmdline, "rngirq");
    struct vq q;
    uint64_t offered;
    uint8_t line = cfg_read8(d->slot, 0x3c), pin = cfg_read8(d->slot, 0x3d), isr;
    int same = 1, len;

    kprintf("virtio-rng at 00:%02x.0, INT%c -> IRQ %u\n", d->slot, 'A' + pin - 1, line);
    expect("rng: INTA routed to IRQ 10 or 11", pin == 1 && (line == 10 || line == 11));
    expect("rng: interrupt line follows the PIIX rotation of its slot",
           !want_irq || line == katou(want_irq));
    ioapic_route(line, VEC_INTX);
    if (!check("rng: negotiate VERSION_1 and set up queue 0",
               virtio_init(d, 1ull << F_VERSION_1, &offered) &&
               vq_setup(&q, d, &rng_ring, 0, 0xffff))) {
        all_ok = 0;
        return;
    }
    c_write8(d, C_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
    expect("rng: no interrupt pending before the request", !irr(VEC_INTX) && !isr_pending(d));
    memset(rngbuf, 0, sizeof(rngbuf));
    desc_set(&q, 0, rngbuf, sizeof(rngbuf), D_WRITE);
    vq_kick(&q, 0);
    len = vq_wait(&q, 0);
    expect("rng: 64 bytes returned", len == (int)sizeof(rngbuf));
    for (unsigned i = 1; i < sizeof(rngbuf); i++) {
        same &= rngbuf[i] == rngbuf[0];
    }
    expect("rng: bytes are not all equal", !same);
    expect("rng: INTx reaches the LAPIC through the IOAPIC", wait_until(irr_set, (void *)VEC_INTX));
    expect("rng: PCI status shows the interrupt", isr_pending(d));
    isr = *(volatile uint8_t *)d->isr;
    expect("rng: ISR reads 1 (queue) and clears on read",
           isr == 1 && *(volatile uint8_t *)d->isr == 0 && !isr_pending(d));
    c_write8(d, C_STATUS, 0);
}

int kmain(uint32_t magic, const struct mb_info *mbi)
{
    const char *cmdline = magic == MB_BOOT_MAGIC ? mb_cmdline(mbi) : "";
    struct vdev *d;

    serial_init();
    kputs("virtio-io test\n");
    /* Software-enable the LAPIC so that MSIs and IOAPIC messages land in IRR. */
    mmio_write32(LAPIC + LAPIC_SVR, mmio_read32(LAPIC + LAPIC_SVR) | 0x1ff);
    pci_enumerate();
    d = virtio_find(2);
    expect("virtio-blk-pci (1af4:1042) found", d != NULL);
    if (d) {
        test_blk(d, cmdline);
    }
    d = virtio_find(4);
    expect("virtio-rng-pci (1af4:1044) found", d != NULL);
    if (d) {
        test_rng(d, cmdline);
    }
    kputs(all_ok ? "virtio-io: all ok\n" : "virtio-io: FAILED\n");
    return all_ok ? 0x31 : 0x30;
}
