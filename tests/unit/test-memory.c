/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for the memory API: flattening, priorities, aliases, dynamic
 * changes, RAM/ROM/MMIO dispatch with access-size adaptation, unassigned
 * accesses, listeners, monitor printouts, scale, and dispatch racing commits.
 */
#include <glib.h>
#include <inttypes.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "system/memory.h"
#include "util/error.h"
#include "util/log.h"

/* Until util/log.c is linked everywhere: capture guest errors here. */
__attribute__((weak)) uint32_t log_mask_enabled;
static GString *log_capture;
static unsigned log_lines;

__attribute__((weak)) void log_printf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    if (log_capture) {
        g_string_append_vprintf(log_capture, fmt, ap);
    }
    log_lines++;
    va_end(ap);
}

/* ---- helpers ---- */

/* "start-last:name@offset[ro]" for each flat range, space separated. */
static char *flat_str(AddressSpace *as)
{
    GString *s = g_string_new(NULL);
    FlatView *v = atomic_load(&as->view);

    for (unsigned i = 0; i < v->nr; i++) {
        const FlatRange *r = &v->ranges[i];
        g_string_append_printf(s, "%s%" PRIx64 "-%" PRIx64 ":%s@%" PRIx64 "%s", i ? " " : "",
                               r->start, r->last, r->mr->name, r->offset,
                               r->readonly ? "[ro]" : "");
    }
    return g_string_free(s, FALSE);
}

#define assert_flat(as, expected)             \
    do {                                      \
        g_autofree char *fs_ = flat_str(as);  \
        g_assert_cmpstr(fs_, ==, (expected)); \
    } while (0)

static void ram_init(MemoryRegion *mr, const char *name, uint64_t size)
{
    g_autoptr(GError) err = NULL;

    g_assert_true(memory_region_init_ram(mr, name, size, &err));
    g_assert_no_error(err);
}

/* A device whose callbacks read/write a byte array in the device's own order
 * and record every call: whatever the core splits or widens, the guest must
 * see exactly `regs` as memory. */
typedef struct Call {
    bool write;
    uint64_t addr;
    unsigned size;
    uint64_t val;
} Call;

typedef struct TestDev {
    uint8_t regs[256];
    bool big_endian;
    Call calls[64];
    unsigned ncalls;
} TestDev;

static uint64_t testdev_read(void *opaque, uint64_t addr, unsigned size)
{
    TestDev *d = opaque;
    uint64_t v = 0;

    g_assert_cmpuint(addr + size, <=, sizeof(d->regs));
    for (unsigned i = 0; i < size; i++) {
        unsigned shift = d->big_endian ? 8 * (size - 1 - i) : 8 * i;
        v |= (uint64_t)d->regs[addr + i] << shift;
    }
    g_assert_cmpuint(d->ncalls, <, G_N_ELEMENTS(d->calls));
    d->calls[d->ncalls++] = (Call){false, addr, size, v};
    return v;
}

static void testdev_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    TestDev *d = opaque;

    g_assert_cmpuint(addr + size, <=, sizeof(d->regs));
    for (unsigned i = 0; i < size; i++) {
        unsigned shift = d->big_endian ? 8 * (size - 1 - i) : 8 * i;
        d->regs[addr + i] = val >> shift;
    }
    g_assert_cmpuint(d->ncalls, <, G_N_ELEMENTS(d->calls));
    d->calls[d->ncalls++] = (Call){true, addr, size, val};
}

static void assert_call(TestDev *d, unsigned i, bool write, uint64_t addr, unsigned size,
                        uint64_t val)
{
    g_assert_cmpuint(i, <, d->ncalls);
    g_assert_cmpint(d->calls[i].write, ==, write);
    g_assert_cmphex(d->calls[i].addr, ==, addr);
    g_assert_cmpuint(d->calls[i].size, ==, size);
    g_assert_cmphex(d->calls[i].val, ==, val);
}

/* A root container plus address space, torn down by fixture_fini. */
typedef struct Fixture {
    MemoryRegion root;
    AddressSpace as;
} Fixture;

static void fixture_init(Fixture *f, uint64_t size)
{
    memory_region_init(&f->root, "root", size);
    address_space_init(&f->as, &f->root, "test-as");
}

static void fixture_fini(Fixture *f)
{
    address_space_destroy(&f->as);
    memory_region_destroy(&f->root);
}

/* ---- flattening ---- */

static void test_flatten_nested(void)
{
    Fixture f;
    MemoryRegion a, b, r1, r2, io;
    TestDev dev = {0};
    static const MemoryRegionOps ops = {.read = testdev_read, .write = testdev_write};

    fixture_init(&f, UINT64_MAX);
    assert_flat(&f.as, "");
    memory_region_init(&a, "a", 0x10000);
    memory_region_init(&b, "b", 0x1000);
    ram_init(&r1, "r1", 0x100);
    ram_init(&r2, "r2", 0x2000);
    memory_region_init_io(&io, &ops, &dev, "io", 0x40);

    memory_region_add_subregion(&b, 0x20, &io);
    memory_region_add_subregion(&a, 0x100, &r1);
    memory_region_add_subregion(&a, 0x8000, &b);
    /* r2 sticks out of b: clipped to b's 0x1000 */
    memory_region_add_subregion(&b, 0x800, &r2);
    memory_region_add_subregion(&f.root, 0x100000, &a);
    assert_flat(&f.as, "100100-1001ff:r1@0 108020-10805f:io@0 108800-108fff:r2@0");
    g_assert_true(memory_region_is_mapped(&r1));

    /* containers hold nothing themselves */
    uint64_t xlat, plen;
    g_assert_null(address_space_translate(&f.as, 0x100000, &xlat, &plen, false));
    g_assert_cmphex(plen, ==, 0x100);
    g_assert_true(address_space_translate(&f.as, 0x100180, &xlat, &plen, false) == &r1);
    g_assert_cmphex(xlat, ==, 0x80);
    g_assert_cmphex(plen, ==, 0x80);
    g_assert_true(address_space_translate(&f.as, 0x108030, &xlat, &plen, true) == &io);
    g_assert_cmphex(xlat, ==, 0x10);
    /* past the last section: the hole runs to 2^64 */
    g_assert_null(address_space_translate(&f.as, 0x200000, &xlat, &plen, false));
    g_assert_cmphex(plen, ==, (uint64_t)0 - 0x200000);
    g_assert_null(address_space_translate(&f.as, 0, &xlat, &plen, false));
    g_assert_cmphex(plen, ==, 0x100100);

    MemoryRegionSection sec;
    g_assert_true(address_space_find_section(&f.as, 0x108900, &sec));
    g_assert_true(sec.mr == &r2);
    g_assert_cmphex(sec.offset_within_address_space, ==, 0x108800);
    g_assert_cmphex(sec.offset_within_region, ==, 0);
    g_assert_cmphex(sec.size, ==, 0x800);
    g_assert_false(address_space_find_section(&f.as, 0x10, &sec));

    memory_region_del_subregion(&f.root, &a);
    assert_flat(&f.as, "");
    g_assert_false(memory_region_is_mapped(&a));
    memory_region_del_subregion(&a, &r1);
    memory_region_del_subregion(&b, &io);
    memory_region_del_subregion(&b, &r2);
    memory_region_destroy(&r1);
    memory_region_destroy(&r2);
    memory_region_destroy(&io);
    /* destroying a container detaches what is left inside */
    memory_region_destroy(&a);
    g_assert_null(b.container);
    memory_region_destroy(&b);
    fixture_fini(&f);
}

static void test_priorities(void)
{
    Fixture f;
    MemoryRegion low, high, eq1, eq2, under, hole, inner;

    fixture_init(&f, 0x100000);
    ram_init(&low, "low", 0x1000);
    ram_init(&high, "high", 0x100);
    memory_region_add_subregion(&f.root, 0, &low);
    memory_region_add_subregion_overlap(&f.root, 0x400, &high, 1);
    assert_flat(&f.as, "0-3ff:low@0 400-4ff:high@0 500-fff:low@500");

    /* added later but lower priority: invisible where it overlaps */
    ram_init(&under, "under", 0x2000);
    memory_region_add_subregion_overlap(&f.root, 0, &under, -1);
    assert_flat(&f.as, "0-3ff:low@0 400-4ff:high@0 500-fff:low@500 1000-1fff:under@1000");
    memory_region_del_subregion(&f.root, &under);

    /* equal priority: the later one wins */
    ram_init(&eq1, "eq1", 0x100);
    ram_init(&eq2, "eq2", 0x100);
    memory_region_add_subregion(&f.root, 0x800, &eq1);
    memory_region_add_subregion(&f.root, 0x880, &eq2);
    assert_flat(&f.as,
                "0-3ff:low@0 400-4ff:high@0 500-7ff:low@500 800-87f:eq1@0 880-97f:eq2@0 "
                "980-fff:low@980");

    /* a high-priority container with a hole shows the lower region through */
    memory_region_init(&hole, "hole", 0x1000);
    ram_init(&inner, "inner", 0x10);
    memory_region_add_subregion(&hole, 0x10, &inner);
    memory_region_del_subregion(&f.root, &eq1);
    memory_region_del_subregion(&f.root, &eq2);
    memory_region_add_subregion_overlap(&f.root, 0, &hole, 5);
    assert_flat(&f.as, "0-f:low@0 10-1f:inner@0 20-3ff:low@20 400-4ff:high@0 500-fff:low@500");

    /* removing the overlap merges the pieces back into one section */
    memory_region_del_subregion(&f.root, &hole);
    memory_region_del_subregion(&f.root, &high);
    assert_flat(&f.as, "0-fff:low@0");

    memory_region_del_subregion(&f.root, &low);
    memory_region_del_subregion(&hole, &inner);
    memory_region_destroy(&low);
    memory_region_destroy(&high);
    memory_region_destroy(&eq1);
    memory_region_destroy(&eq2);
    memory_region_destroy(&under);
    memory_region_destroy(&inner);
    memory_region_destroy(&hole);
    fixture_fini(&f);
}

static void test_alias(void)
{
    Fixture f;
    MemoryRegion ram, a1, a2, part;
    uint8_t *host;
    uint64_t v;

    fixture_init(&f, UINT64_MAX);
    ram_init(&ram, "ram", 0x10000);
    host = memory_region_get_ram_ptr(&ram);
    for (unsigned i = 0; i < 0x10000; i += 4) {
        uint32_t w = i;
        memcpy(host + i, &w, 4);
    }
    memory_region_init_alias(&a1, "a1", &ram, 0x2000, 0x1000);
    memory_region_add_subregion(&f.root, 0x100000, &a1);
    assert_flat(&f.as, "100000-100fff:ram@2000");
    g_assert_cmpint(address_space_read_val(&f.as, 0x100010, &v, 4), ==, MEMTX_OK);
    g_assert_cmphex(v, ==, 0x2010);
    g_assert_true(memory_region_get_ram_ptr(&a1) == host + 0x2000);
    g_assert_cmpint(memory_region_get_fd(&a1), ==, memory_region_get_fd(&ram));
    g_assert_cmphex(memory_region_get_fd_offset(&a1), ==, 0x2000);

    /* window partly beyond the target: only the overlap is rendered */
    memory_region_init_alias(&part, "part", &ram, 0xf000, 0x2000);
    memory_region_add_subregion(&f.root, 0x300000, &part);
    assert_flat(&f.as, "100000-100fff:ram@2000 300000-300fff:ram@f000");

    /* alias of an alias */
    memory_region_init_alias(&a2, "a2", &a1, 0x800, 0x800);
    memory_region_add_subregion(&f.root, 0x200000, &a2);
    assert_flat(&f.as, "100000-100fff:ram@2000 200000-2007ff:ram@2800 300000-300fff:ram@f000");
    g_assert_cmpint(address_space_read_val(&f.as, 0x200004, &v, 4), ==, MEMTX_OK);
    g_assert_cmphex(v, ==, 0x2804);

    /* moving a1's window moves a2's too */
    memory_region_set_alias_offset(&a1, 0x4000);
    assert_flat(&f.as, "100000-100fff:ram@4000 200000-2007ff:ram@4800 300000-300fff:ram@f000");
    g_assert_cmpint(address_space_read_val(&f.as, 0x200004, &v, 4), ==, MEMTX_OK);
    g_assert_cmphex(v, ==, 0x4804);

    /* writes through the alias land in the target */
    g_assert_cmpint(address_space_write_val(&f.as, 0x100000, 0xdeadbeef, 4), ==, MEMTX_OK);
    g_assert_cmphex(*(uint32_t *)(host + 0x4000), ==, 0xdeadbeef);

    /* read-only alias: writes ignored; the RAM itself stays writable */
    memory_region_set_readonly(&a2, true);
    assert_flat(&f.as,
                "100000-100fff:ram@4000 200000-2007ff:ram@4800[ro] 300000-300fff:ram@f000");
    unsigned before = log_lines;
    g_assert_cmpint(address_space_write_val(&f.as, 0x200004, 0x1234, 4), ==, MEMTX_OK);
    g_assert_cmpuint(log_lines, ==, before + 1);
    g_assert_cmpint(address_space_read_val(&f.as, 0x100804, &v, 4), ==, MEMTX_OK);
    g_assert_cmphex(v, ==, 0x4804);

    /* disabling the target hides every alias of it */
    memory_region_set_enabled(&ram, false);
    assert_flat(&f.as, "");
    memory_region_set_enabled(&ram, true);

    memory_region_del_subregion(&f.root, &a1);
    memory_region_del_subregion(&f.root, &a2);
    memory_region_del_subregion(&f.root, &part);
    memory_region_destroy(&a2);
    memory_region_destroy(&a1);
    memory_region_destroy(&part);
    memory_region_destroy(&ram);
    fixture_fini(&f);
}

static void test_enable_move(void)
{
    Fixture f;
    MemoryRegion ram, bar;

    fixture_init(&f, 0x100000);
    ram_init(&ram, "ram", 0x10000);
    ram_init(&bar, "bar", 0x1000);
    memory_region_add_subregion(&f.root, 0, &ram);
    memory_region_add_subregion_overlap(&f.root, 0x2000, &bar, 1);
    assert_flat(&f.as, "0-1fff:ram@0 2000-2fff:bar@0 3000-ffff:ram@3000");

    memory_region_set_enabled(&bar, false);
    assert_flat(&f.as, "0-ffff:ram@0");
    memory_region_set_address(&bar, 0x20000); /* moved while disabled */
    assert_flat(&f.as, "0-ffff:ram@0");
    memory_region_set_enabled(&bar, true);
    assert_flat(&f.as, "0-ffff:ram@0 20000-20fff:bar@0");
    memory_region_set_address(&bar, 0xf800); /* straddles the end of ram */
    assert_flat(&f.as, "0-f7ff:ram@0 f800-107ff:bar@0");
    /* moved past the end of the root: clipped away */
    memory_region_set_address(&bar, 0x100000);
    assert_flat(&f.as, "0-ffff:ram@0");
    memory_region_set_address(&bar, 0xff800);
    assert_flat(&f.as, "0-ffff:ram@0 ff800-fffff:bar@0");

    /* transactions: nothing renders until the outermost commit */
    memory_region_transaction_begin();
    memory_region_transaction_begin();
    memory_region_set_address(&bar, 0x4000);
    memory_region_transaction_commit();
    assert_flat(&f.as, "0-ffff:ram@0 ff800-fffff:bar@0");
    memory_region_set_enabled(&ram, false);
    memory_region_transaction_commit();
    assert_flat(&f.as, "4000-4fff:bar@0");

    memory_region_set_enabled(&ram, true);
    memory_region_del_subregion(&f.root, &ram);
    memory_region_del_subregion(&f.root, &bar);
    memory_region_destroy(&ram);
    memory_region_destroy(&bar);
    fixture_fini(&f);
}

/* ---- RAM and ROM ---- */

static void test_ram(void)
{
    Fixture f;
    MemoryRegion ram, extram;
    uint8_t buf[64], *host;
    static uint8_t backing[0x100];
    uint64_t v;
    struct stat st;
    int fd;

    fixture_init(&f, UINT64_MAX);
    ram_init(&ram, "mach-virt.ram", 0x10000);
    g_assert_true(memory_region_is_ram(&ram));
    g_assert_false(memory_region_is_rom(&ram));
    g_assert_cmpuint(memory_region_size(&ram), ==, 0x10000);
    g_assert_cmpstr(memory_region_name(&ram), ==, "mach-virt.ram");
    memory_region_add_subregion(&f.root, 0x40000000, &ram);
    host = memory_region_get_ram_ptr(&ram);
    g_assert_nonnull(host);

    for (unsigned i = 0; i < sizeof(buf); i++) {
        buf[i] = i * 3;
    }
    g_assert_cmpint(address_space_write(&f.as, 0x40000100, buf, sizeof(buf)), ==, MEMTX_OK);
    g_assert_cmpmem(host + 0x100, sizeof(buf), buf, sizeof(buf));
    host[0x200] = 0x11;
    host[0x201] = 0x22;
    host[0x202] = 0x33;
    host[0x203] = 0x44;
    for (unsigned size = 1; size <= 8; size *= 2) {
        g_assert_cmpint(address_space_read_val(&f.as, 0x40000200, &v, size), ==, MEMTX_OK);
        g_assert_cmphex(v, ==, 0x0000000044332211ull & (size == 8 ? ~0ull : (1ull << (8 * size)) - 1));
    }
    g_assert_cmpint(address_space_write_val(&f.as, 0x40000301, 0x0102030405060708ull, 8), ==,
                    MEMTX_OK);
    g_assert_cmphex(host[0x301], ==, 0x08);
    g_assert_cmphex(host[0x308], ==, 0x01);
    /* write_val masks to the access size */
    host[0x401] = 0xee;
    g_assert_cmpint(address_space_write_val(&f.as, 0x40000400, 0xffffff99, 1), ==, MEMTX_OK);
    g_assert_cmphex(host[0x400], ==, 0x99);
    g_assert_cmphex(host[0x401], ==, 0xee);

    /* the memfd is the same memory, as KVM will see it */
    fd = memory_region_get_fd(&ram);
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(fstat(fd, &st), ==, 0);
    g_assert_cmpint(st.st_size, ==, 0x10000);
    uint8_t *map2 = mmap(NULL, 0x10000, PROT_READ, MAP_SHARED, fd, 0);
    g_assert_true(map2 != MAP_FAILED);
    g_assert_cmphex(map2[0x200], ==, 0x11);
    munmap(map2, 0x10000);
    g_assert_cmphex(memory_region_get_fd_offset(&ram), ==, 0);

    /* bad input: a zero-sized RAM region is refused with a named error */
    MemoryRegion bad;
    g_autoptr(GError) err = NULL;
    g_assert_false(memory_region_init_ram(&bad, "tiny", 0, &err));
    g_assert_error(err, TERN_ERROR, TERN_ERROR_INVALID);
    g_assert_nonnull(strstr(err->message, "tiny"));
    memory_region_destroy(&bad); /* harmless on a failed init */

    /* RAM from a caller pointer: no fd, not freed by destroy */
    memory_region_init_ram_ptr(&extram, "ext", sizeof(backing), backing);
    g_assert_cmpint(memory_region_get_fd(&extram), ==, -1);
    memory_region_add_subregion(&f.root, 0x1000, &extram);
    g_assert_cmpint(address_space_write_val(&f.as, 0x1010, 0xabcd, 2), ==, MEMTX_OK);
    g_assert_cmphex(backing[0x10], ==, 0xcd);
    memory_region_del_subregion(&f.root, &extram);
    memory_region_destroy(&extram);
    backing[0] = 1; /* still ours */

    memory_region_del_subregion(&f.root, &ram);
    memory_region_destroy(&ram);
    fixture_fini(&f);
}

static void test_rom(void)
{
    Fixture f;
    MemoryRegion rom;
    g_autoptr(GError) err = NULL;
    uint8_t *host;
    uint64_t v;
    static const uint8_t fw[4] = {0xde, 0xad, 0xbe, 0xef};

    fixture_init(&f, UINT64_MAX);
    g_assert_true(memory_region_init_rom(&rom, "bios", 0x1000, &err));
    g_assert_true(memory_region_is_rom(&rom));
    g_assert_true(memory_region_is_ram(&rom));
    memory_region_add_subregion(&f.root, 0xfff000, &rom);
    assert_flat(&f.as, "fff000-ffffff:bios@0[ro]");
    host = memory_region_get_ram_ptr(&rom);
    host[0] = 0x5a; /* the host fills it */

    log_capture = g_string_new(NULL);
    unsigned before = log_lines;
    g_assert_cmpint(address_space_write_val(&f.as, 0xfff000, 0xff, 1), ==, MEMTX_OK);
    g_assert_cmpint(address_space_write(&f.as, 0xfff000, fw, sizeof(fw)), ==, MEMTX_OK);
    g_assert_cmpuint(log_lines, ==, before + 2);
    g_assert_nonnull(strstr(log_capture->str, "test-as"));
    g_assert_nonnull(strstr(log_capture->str, "bios"));
    g_string_free(log_capture, TRUE);
    log_capture = NULL;
    g_assert_cmpint(address_space_read_val(&f.as, 0xfff000, &v, 1), ==, MEMTX_OK);
    g_assert_cmphex(v, ==, 0x5a);

    /* loaders may write ROM through the address space */
    g_assert_cmpint(address_space_write_rom(&f.as, 0xfff100, fw, sizeof(fw)), ==, MEMTX_OK);
    g_assert_cmpmem(host + 0x100, 4, fw, 4);
    /* ...but unassigned parts are reported */
    g_assert_cmpint(address_space_write_rom(&f.as, 0xffffff, fw, sizeof(fw)), ==,
                    MEMTX_DECODE_ERROR);
    g_assert_cmphex(host[0xfff], ==, 0xde);

    memory_region_del_subregion(&f.root, &rom);
    memory_region_destroy(&rom);
    fixture_fini(&f);
}

/* ---- MMIO ---- */

static void test_mmio_basic(void)
{
    Fixture f;
    MemoryRegion io;
    TestDev dev = {0};
    static const MemoryRegionOps ops = {
        .read = testdev_read,
        .write = testdev_write,
        .valid = {.min_access_size = 1, .max_access_size = 8},
    };
    uint64_t v;

    fixture_init(&f, UINT64_MAX);
    memory_region_init_io(&io, &ops, &dev, "uart", 0x100);
    g_assert_false(memory_region_is_ram(&io));
    g_assert_null(memory_region_get_ram_ptr(&io));
    g_assert_cmpint(memory_region_get_fd(&io), ==, -1);
    memory_region_add_subregion(&f.root, 0x9000000, &io);

    g_assert_cmpint(address_space_write_val(&f.as, 0x9000010, 0x41, 1), ==, MEMTX_OK);
    assert_call(&dev, 0, true, 0x10, 1, 0x41);
    g_assert_cmpint(address_space_write_val(&f.as, 0x9000018, 0xcafef00d, 4), ==, MEMTX_OK);
    assert_call(&dev, 1, true, 0x18, 4, 0xcafef00d);
    g_assert_cmpint(address_space_read_val(&f.as, 0x9000018, &v, 4), ==, MEMTX_OK);
    assert_call(&dev, 2, false, 0x18, 4, 0xcafef00d);
    g_assert_cmphex(v, ==, 0xcafef00d);
    g_assert_cmpint(address_space_read_val(&f.as, 0x9000018, &v, 2), ==, MEMTX_OK);
    g_assert_cmphex(v, ==, 0xf00d);
    g_assert_cmpint(address_space_read_val(&f.as, 0x9000018, &v, 8), ==, MEMTX_OK);
    assert_call(&dev, 4, false, 0x18, 8, 0xcafef00d);
    g_assert_cmpuint(dev.ncalls, ==, 5);

    /* bad access sizes are refused before dispatch */
    dev.ncalls = 0;
    g_assert_cmpint(address_space_read_val(&f.as, 0x9000018, &v, 3), ==, MEMTX_ERROR);
    g_assert_cmphex(v, ==, UINT64_MAX);
    g_assert_cmpint(address_space_write_val(&f.as, 0x9000018, 1, 16), ==, MEMTX_ERROR);
    g_assert_cmpint(address_space_read_val(&f.as, 0x9000018, &v, 0), ==, MEMTX_ERROR);
    g_assert_cmpuint(dev.ncalls, ==, 0);

    memory_region_del_subregion(&f.root, &io);
    memory_region_destroy(&io);
    fixture_fini(&f);
}

static void split_case(bool big_endian)
{
    Fixture f;
    MemoryRegion io;
    TestDev dev = {.big_endian = big_endian};
    static const MemoryRegionOps ops_le = {
        .read = testdev_read,
        .write = testdev_write,
        .valid = {.min_access_size = 1, .max_access_size = 8},
        .impl = {.min_access_size = 1, .max_access_size = 4},
    };
    static const MemoryRegionOps ops_be = {
        .read = testdev_read,
        .write = testdev_write,
        .endianness = DEVICE_BIG_ENDIAN,
        .valid = {.min_access_size = 1, .max_access_size = 8},
        .impl = {.min_access_size = 1, .max_access_size = 4},
    };
    static const uint8_t img[8] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};
    uint64_t v;

    fixture_init(&f, UINT64_MAX);
    memory_region_init_io(&io, big_endian ? &ops_be : &ops_le, &dev, "dev", 0x100);
    memory_region_add_subregion(&f.root, 0x10000, &io);
    memcpy(dev.regs + 0x10, img, 8);

    g_assert_cmpint(address_space_read_val(&f.as, 0x10010, &v, 8), ==, MEMTX_OK);
    g_assert_cmpuint(dev.ncalls, ==, 2);
    /* the guest sees the device's byte image; callbacks go up in address */
    g_assert_cmphex(v, ==, 0x8877665544332211ull);
    if (big_endian) {
        assert_call(&dev, 0, false, 0x10, 4, 0x11223344);
        assert_call(&dev, 1, false, 0x14, 4, 0x55667788);
    } else {
        assert_call(&dev, 0, false, 0x10, 4, 0x44332211);
        assert_call(&dev, 1, false, 0x14, 4, 0x88776655);
    }

    dev.ncalls = 0;
    g_assert_cmpint(address_space_write_val(&f.as, 0x10020, 0x0102030405060708ull, 8), ==,
                    MEMTX_OK);
    g_assert_cmpuint(dev.ncalls, ==, 2);
    if (big_endian) {
        assert_call(&dev, 0, true, 0x20, 4, 0x08070605);
        assert_call(&dev, 1, true, 0x24, 4, 0x04030201);
    } else {
        assert_call(&dev, 0, true, 0x20, 4, 0x05060708);
        assert_call(&dev, 1, true, 0x24, 4, 0x01020304);
    }
    static const uint8_t want[8] = {8, 7, 6, 5, 4, 3, 2, 1};
    g_assert_cmpmem(dev.regs + 0x20, 8, want, 8);

    /* a plain 4-byte access of a big-endian device is byte-swapped */
    dev.ncalls = 0;
    g_assert_cmpint(address_space_read_val(&f.as, 0x10010, &v, 4), ==, MEMTX_OK);
    g_assert_cmpuint(dev.ncalls, ==, 1);
    g_assert_cmphex(v, ==, 0x44332211);
    g_assert_cmphex(dev.calls[0].val, ==, big_endian ? 0x11223344 : 0x44332211);

    memory_region_del_subregion(&f.root, &io);
    memory_region_destroy(&io);
    fixture_fini(&f);
}

static void test_mmio_split_le(void)
{
    split_case(false);
}

static void test_mmio_split_be(void)
{
    split_case(true);
}

static void test_mmio_widen(void)
{
    Fixture f;
    MemoryRegion io;
    TestDev dev = {0};
    static const MemoryRegionOps ops = {
        .read = testdev_read,
        .write = testdev_write,
        .valid = {.min_access_size = 1, .max_access_size = 4},
        .impl = {.min_access_size = 4, .max_access_size = 4},
    };
    static const uint8_t img[8] = {0xdd, 0xcc, 0xbb, 0xaa, 0x44, 0x33, 0x22, 0x11};
    uint64_t v;

    fixture_init(&f, UINT64_MAX);
    memory_region_init_io(&io, &ops, &dev, "wide", 0x100);
    memory_region_add_subregion(&f.root, 0x10000, &io);
    memcpy(dev.regs + 0x10, img, 8);

    g_assert_cmpint(address_space_read_val(&f.as, 0x10012, &v, 1), ==, MEMTX_OK);
    g_assert_cmphex(v, ==, 0xbb);
    g_assert_cmpuint(dev.ncalls, ==, 1);
    assert_call(&dev, 0, false, 0x10, 4, 0xaabbccdd);

    g_assert_cmpint(address_space_read_val(&f.as, 0x10012, &v, 2), ==, MEMTX_OK);
    g_assert_cmphex(v, ==, 0xaabb);

    /* a narrow write is a read-modify-write of the containing word */
    dev.ncalls = 0;
    g_assert_cmpint(address_space_write_val(&f.as, 0x10011, 0x5a, 1), ==, MEMTX_OK);
    g_assert_cmpuint(dev.ncalls, ==, 2);
    assert_call(&dev, 0, false, 0x10, 4, 0xaabbccdd);
    assert_call(&dev, 1, true, 0x10, 4, 0xaabb5add);

    memory_region_del_subregion(&f.root, &io);
    memory_region_destroy(&io);
    fixture_fini(&f);
}

static void test_mmio_valid(void)
{
    Fixture f;
    MemoryRegion io, reserved;
    TestDev dev = {0};
    static const MemoryRegionOps ops = {
        .read = testdev_read,
        .write = testdev_write,
        .valid = {.min_access_size = 4, .max_access_size = 4},
    };
    uint64_t v;

    fixture_init(&f, UINT64_MAX);
    memory_region_init_io(&io, &ops, &dev, "strict", 0x100);
    memory_region_add_subregion(&f.root, 0x10000, &io);

    log_capture = g_string_new(NULL);
    g_assert_cmpint(address_space_read_val(&f.as, 0x10010, &v, 1), ==, MEMTX_DECODE_ERROR);
    g_assert_cmphex(v, ==, 0xff);
    g_assert_cmpint(address_space_read_val(&f.as, 0x10010, &v, 2), ==, MEMTX_DECODE_ERROR);
    g_assert_cmphex(v, ==, 0xffff);
    g_assert_cmpint(address_space_read_val(&f.as, 0x10010, &v, 8), ==, MEMTX_DECODE_ERROR);
    g_assert_cmphex(v, ==, UINT64_MAX);
    g_assert_cmpint(address_space_read_val(&f.as, 0x10012, &v, 4), ==, MEMTX_DECODE_ERROR);
    g_assert_cmphex(v, ==, 0xffffffff);
    g_assert_cmpint(address_space_write_val(&f.as, 0x10010, 1, 1), ==, MEMTX_DECODE_ERROR);
    g_assert_cmpint(address_space_write_val(&f.as, 0x10011, 1, 4), ==, MEMTX_DECODE_ERROR);
    g_assert_cmpuint(dev.ncalls, ==, 0);
    g_assert_nonnull(strstr(log_capture->str, "strict"));
    g_string_free(log_capture, TRUE);
    log_capture = NULL;

    g_assert_cmpint(address_space_read_val(&f.as, 0x10010, &v, 4), ==, MEMTX_OK);
    g_assert_cmpuint(dev.ncalls, ==, 1);

    /* an IO region without ops behaves as reserved: all-ones, logged */
    memory_region_init_io(&reserved, NULL, NULL, "reserved", 0x10);
    memory_region_add_subregion(&f.root, 0x20000, &reserved);
    g_assert_cmpint(address_space_read_val(&f.as, 0x20000, &v, 4), ==, MEMTX_DECODE_ERROR);
    g_assert_cmphex(v, ==, 0xffffffff);
    g_assert_cmpint(address_space_write_val(&f.as, 0x20000, 0, 4), ==, MEMTX_DECODE_ERROR);

    memory_region_del_subregion(&f.root, &io);
    memory_region_del_subregion(&f.root, &reserved);
    memory_region_destroy(&io);
    memory_region_destroy(&reserved);
    fixture_fini(&f);
}

static void test_mmio_unaligned(void)
{
    Fixture f;
    MemoryRegion io, io4;
    TestDev dev = {0}, dev4 = {0};
    static const MemoryRegionOps ops = {
        .read = testdev_read,
        .write = testdev_write,
        .valid = {.min_access_size = 1, .max_access_size = 8, .unaligned = true},
        .impl = {.min_access_size = 1, .max_access_size = 8},
    };
    static const MemoryRegionOps ops4 = {
        .read = testdev_read,
        .write = testdev_write,
        .valid = {.min_access_size = 1, .max_access_size = 4, .unaligned = true},
        .impl = {.min_access_size = 4, .max_access_size = 4},
    };
    uint64_t v;

    fixture_init(&f, UINT64_MAX);
    memory_region_init_io(&io, &ops, &dev, "u", 0x100);
    memory_region_init_io(&io4, &ops4, &dev4, "u4", 0x100);
    memory_region_add_subregion(&f.root, 0x10000, &io);
    memory_region_add_subregion(&f.root, 0x20000, &io4);
    for (unsigned i = 0; i < 256; i++) {
        dev.regs[i] = i;
        dev4.regs[i] = i;
    }

    /* 4 bytes at offset 1 -> 1@1, 2@2, 1@4 */
    g_assert_cmpint(address_space_read_val(&f.as, 0x10001, &v, 4), ==, MEMTX_OK);
    g_assert_cmphex(v, ==, 0x04030201);
    g_assert_cmpuint(dev.ncalls, ==, 3);
    assert_call(&dev, 0, false, 1, 1, 0x01);
    assert_call(&dev, 1, false, 2, 2, 0x0302);
    assert_call(&dev, 2, false, 4, 1, 0x04);

    /* 8 bytes at offset 3 -> 1@3, 4@4, 2@8, 1@10 */
    dev.ncalls = 0;
    g_assert_cmpint(address_space_write_val(&f.as, 0x10003, 0x1122334455667788ull, 8), ==,
                    MEMTX_OK);
    g_assert_cmpuint(dev.ncalls, ==, 4);
    assert_call(&dev, 0, true, 3, 1, 0x88);
    assert_call(&dev, 1, true, 4, 4, 0x44556677);
    assert_call(&dev, 2, true, 8, 2, 0x2233);
    assert_call(&dev, 3, true, 10, 1, 0x11);

    /* impl 4..4: 4 bytes at offset 2 -> two widened word reads */
    g_assert_cmpint(address_space_read_val(&f.as, 0x20002, &v, 4), ==, MEMTX_OK);
    g_assert_cmphex(v, ==, 0x05040302);
    g_assert_cmpuint(dev4.ncalls, ==, 2);
    assert_call(&dev4, 0, false, 0, 4, 0x03020100);
    assert_call(&dev4, 1, false, 4, 4, 0x07060504);
    /* ...and an unaligned write becomes two read-modify-writes */
    dev4.ncalls = 0;
    g_assert_cmpint(address_space_write_val(&f.as, 0x20002, 0xaabbccdd, 4), ==, MEMTX_OK);
    g_assert_cmpuint(dev4.ncalls, ==, 4);
    assert_call(&dev4, 1, true, 0, 4, 0xccdd0100);
    assert_call(&dev4, 3, true, 4, 4, 0x0706aabb);

    memory_region_del_subregion(&f.root, &io);
    memory_region_del_subregion(&f.root, &io4);
    memory_region_destroy(&io);
    memory_region_destroy(&io4);
    fixture_fini(&f);
}

/* ---- unassigned and spanning ---- */

static void test_unassigned(void)
{
    Fixture f;
    MemoryRegion ram;
    uint64_t v;
    uint8_t buf[16];

    fixture_init(&f, UINT64_MAX);
    ram_init(&ram, "ram", 0x1000);
    memory_region_add_subregion(&f.root, 0x1000, &ram);

    log_capture = g_string_new(NULL);
    unsigned before = log_lines;
    for (unsigned size = 1; size <= 8; size *= 2) {
        g_assert_cmpint(address_space_read_val(&f.as, 0x100, &v, size), ==, MEMTX_DECODE_ERROR);
        g_assert_cmphex(v, ==, size == 8 ? UINT64_MAX : (1ull << (8 * size)) - 1);
        g_assert_cmpint(address_space_write_val(&f.as, 0x100, 0, size), ==, MEMTX_DECODE_ERROR);
    }
    g_assert_cmpuint(log_lines, ==, before + 8);
    g_assert_nonnull(strstr(log_capture->str, "test-as"));
    g_assert_nonnull(strstr(log_capture->str, "0x100"));
    g_string_free(log_capture, TRUE);
    log_capture = NULL;

    /* at the very top of the space */
    g_assert_cmpint(address_space_read_val(&f.as, UINT64_MAX - 7, &v, 8), ==,
                    MEMTX_DECODE_ERROR);
    g_assert_cmphex(v, ==, UINT64_MAX);

    /* a read half in the hole, half in RAM */
    memset(memory_region_get_ram_ptr(&ram), 0x42, 0x1000);
    g_assert_cmpint(address_space_read_val(&f.as, 0xffe, &v, 4), ==, MEMTX_DECODE_ERROR);
    g_assert_cmphex(v, ==, 0x4242ffff);
    /* writes into the hole are dropped, the RAM part lands */
    g_assert_cmpint(address_space_write_val(&f.as, 0x1ffe, 0x11223344, 4), ==,
                    MEMTX_DECODE_ERROR);
    g_assert_cmphex(((uint8_t *)memory_region_get_ram_ptr(&ram))[0xffe], ==, 0x44);
    g_assert_cmphex(((uint8_t *)memory_region_get_ram_ptr(&ram))[0xfff], ==, 0x33);

    g_assert_cmpint(address_space_read(&f.as, 0x10, buf, sizeof(buf)), ==, MEMTX_DECODE_ERROR);
    for (unsigned i = 0; i < sizeof(buf); i++) {
        g_assert_cmphex(buf[i], ==, 0xff);
    }
    g_assert_cmpint(address_space_read(&f.as, 0x10, buf, 0), ==, MEMTX_OK);

    memory_region_del_subregion(&f.root, &ram);
    memory_region_destroy(&ram);
    fixture_fini(&f);
}

static void test_span(void)
{
    Fixture f;
    MemoryRegion ram, io, ram2;
    TestDev dev = {0};
    static const MemoryRegionOps ops = {.read = testdev_read, .write = testdev_write};
    uint8_t buf[0x40], *host, *host2;

    fixture_init(&f, UINT64_MAX);
    ram_init(&ram, "ram", 0x1000);
    ram_init(&ram2, "ram2", 0x1000);
    memory_region_init_io(&io, &ops, &dev, "io", 0x10);
    memory_region_add_subregion(&f.root, 0, &ram);
    memory_region_add_subregion(&f.root, 0x1000, &io);
    memory_region_add_subregion(&f.root, 0x1020, &ram2);
    host = memory_region_get_ram_ptr(&ram);
    host2 = memory_region_get_ram_ptr(&ram2);
    for (unsigned i = 0; i < 0x1000; i++) {
        host[i] = i;
        host2[i] = 0x80 | i;
    }
    for (unsigned i = 0; i < 0x10; i++) {
        dev.regs[i] = 0x40 + i;
    }

    /* 8 bytes RAM, 16 MMIO (4 word callbacks), 16 hole, 8 RAM */
    g_assert_cmpint(address_space_read(&f.as, 0xff8, buf, 0x30), ==, MEMTX_DECODE_ERROR);
    for (unsigned i = 0; i < 8; i++) {
        g_assert_cmphex(buf[i], ==, (uint8_t)(0xf8 + i));
    }
    for (unsigned i = 0; i < 16; i++) {
        g_assert_cmphex(buf[8 + i], ==, 0x40 + i);
    }
    for (unsigned i = 0; i < 16; i++) {
        g_assert_cmphex(buf[24 + i], ==, 0xff);
    }
    for (unsigned i = 0; i < 8; i++) {
        g_assert_cmphex(buf[40 + i], ==, 0x80 | i);
    }
    g_assert_cmpuint(dev.ncalls, ==, 4);
    for (unsigned i = 0; i < 4; i++) {
        assert_call(&dev, i, false, 4 * i, 4, 0x40404040 + 0x04040404 * i + 0x03020100);
    }

    /* writes span the same way; unaligned starts use smaller pieces */
    for (unsigned i = 0; i < sizeof(buf); i++) {
        buf[i] = 0xa0 + i;
    }
    dev.ncalls = 0;
    g_assert_cmpint(address_space_write(&f.as, 0xffd, buf, 3 + 6), ==, MEMTX_OK);
    g_assert_cmphex(host[0xffd], ==, 0xa0);
    g_assert_cmphex(host[0xfff], ==, 0xa2);
    g_assert_cmpuint(dev.ncalls, ==, 2);
    assert_call(&dev, 0, true, 0, 4, 0xa6a5a4a3);
    assert_call(&dev, 1, true, 4, 2, 0xa8a7);

    memory_region_del_subregion(&f.root, &ram);
    memory_region_del_subregion(&f.root, &io);
    memory_region_del_subregion(&f.root, &ram2);
    memory_region_destroy(&ram);
    memory_region_destroy(&ram2);
    memory_region_destroy(&io);
    fixture_fini(&f);
}

/* ---- listeners ---- */

typedef struct RecListener {
    MemoryListener l;
    GString *log;
} RecListener;

static void rec_begin(MemoryListener *l)
{
    g_string_append(((RecListener *)l)->log, "begin;");
}

static void rec_commit(MemoryListener *l)
{
    g_string_append(((RecListener *)l)->log, "commit;");
}

static void rec_section(MemoryListener *l, MemoryRegionSection *s, const char *what)
{
    g_string_append_printf(((RecListener *)l)->log, "%s %s %" PRIx64 "+%" PRIx64 "@%" PRIx64 "%s;",
                           what, s->mr->name, s->offset_within_address_space, s->size,
                           s->offset_within_region, s->readonly ? " ro" : "");
}

static void rec_add(MemoryListener *l, MemoryRegionSection *s)
{
    rec_section(l, s, "add");
}

static void rec_del(MemoryListener *l, MemoryRegionSection *s)
{
    rec_section(l, s, "del");
}

static void rec_init(RecListener *r, int priority, GString *shared)
{
    memset(r, 0, sizeof(*r));
    r->l.begin = rec_begin;
    r->l.commit = rec_commit;
    r->l.region_add = rec_add;
    r->l.region_del = rec_del;
    r->l.priority = priority;
    r->log = shared ? shared : g_string_new(NULL);
}

#define assert_log(s, expected)                 \
    do {                                        \
        g_assert_cmpstr((s)->str, ==, expected); \
        g_string_truncate((s), 0);              \
    } while (0)

static void test_listeners(void)
{
    Fixture f;
    MemoryRegion ram, io, rom;
    RecListener rl, a, b;
    TestDev dev = {0};
    static const MemoryRegionOps ops = {.read = testdev_read, .write = testdev_write};

    fixture_init(&f, UINT64_MAX);
    ram_init(&ram, "ram", 0x10000);
    memory_region_add_subregion(&f.root, 0x40000000, &ram);

    rec_init(&rl, 0, NULL);
    memory_listener_register(&rl.l, &f.as);
    assert_log(rl.log, "begin;add ram 40000000+10000@0;commit;");

    /* an overlap splits RAM: one del, three adds */
    memory_region_init_io(&io, &ops, &dev, "io", 0x1000);
    memory_region_add_subregion_overlap(&f.root, 0x40004000, &io, 1);
    assert_log(rl.log, "begin;del ram 40000000+10000@0;add ram 40000000+4000@0;"
                       "add io 40004000+1000@0;add ram 40005000+b000@5000;commit;");

    /* unrelated sections stay quiet when something else changes */
    g_autoptr(GError) err = NULL;
    g_assert_true(memory_region_init_rom(&rom, "rom", 0x1000, &err));
    memory_region_add_subregion(&f.root, 0, &rom);
    assert_log(rl.log, "begin;add rom 0+1000@0 ro;commit;");

    /* a net no-op transaction sends nothing */
    memory_region_transaction_begin();
    memory_region_set_enabled(&io, false);
    memory_region_set_enabled(&io, true);
    memory_region_transaction_commit();
    assert_log(rl.log, "");

    memory_region_set_enabled(&io, false);
    assert_log(rl.log, "begin;del ram 40000000+4000@0;del io 40004000+1000@0;"
                       "del ram 40005000+b000@5000;add ram 40000000+10000@0;commit;");

    /* priority order: begin/add/commit ascending, del descending */
    GString *shared = g_string_new(NULL);
    rec_init(&b, 10, shared);
    rec_init(&a, -10, shared);
    memory_listener_register(&b.l, &f.as);
    memory_listener_register(&a.l, &f.as);
    g_string_truncate(shared, 0);
    g_string_truncate(rl.log, 0);
    memory_region_set_address(&rom, 0x1000);
    /* a (-10) then b (10), except the del pass */
    g_assert_cmpstr(shared->str, ==,
                    "begin;begin;del rom 0+1000@0 ro;del rom 0+1000@0 ro;"
                    "add rom 1000+1000@0 ro;add rom 1000+1000@0 ro;commit;commit;");
    g_string_truncate(shared, 0);
    g_string_truncate(rl.log, 0);
    memory_listener_unregister(&b.l);
    assert_log(shared, "begin;del rom 1000+1000@0 ro;del ram 40000000+10000@0;commit;");
    memory_listener_unregister(&a.l);
    g_string_truncate(shared, 0);
    memory_listener_unregister(&a.l); /* twice is harmless */
    memory_region_set_address(&rom, 0x2000);
    assert_log(shared, "");
    assert_log(rl.log, "begin;del rom 1000+1000@0 ro;add rom 2000+1000@0 ro;commit;");
    g_string_free(shared, TRUE);

    memory_listener_unregister(&rl.l);
    g_string_truncate(rl.log, 0);
    memory_region_del_subregion(&f.root, &ram);
    memory_region_del_subregion(&f.root, &io);
    memory_region_del_subregion(&f.root, &rom);
    assert_log(rl.log, "");
    g_string_free(rl.log, TRUE);
    memory_region_destroy(&ram);
    memory_region_destroy(&io);
    memory_region_destroy(&rom);
    fixture_fini(&f);
}

/* ---- global spaces, printing, scale ---- */

static void test_system_spaces(void)
{
    MemoryRegion port, ram;
    TestDev dev = {0};
    static const MemoryRegionOps ops = {.read = testdev_read, .write = testdev_write};
    uint64_t v;

    g_assert_cmpuint(memory_region_size(get_system_io()), ==, 65536);
    g_assert_cmpuint(memory_region_size(get_system_memory()), ==, UINT64_MAX);
    g_assert_true(get_system_memory() == get_system_memory());
    g_assert_true(address_space_io() == address_space_io());
    g_assert_cmpstr(address_space_name(address_space_memory()), ==, "memory");

    memory_region_init_io(&port, &ops, &dev, "serial", 8);
    memory_region_add_subregion(get_system_io(), 0x3f8, &port);
    dev.regs[5] = 0x60;
    g_assert_cmpint(address_space_read_val(address_space_io(), 0x3fd, &v, 1), ==, MEMTX_OK);
    g_assert_cmphex(v, ==, 0x60);
    g_assert_cmpint(address_space_write_val(address_space_io(), 0x3f8, 'A', 1), ==, MEMTX_OK);
    g_assert_cmphex(dev.regs[0], ==, 'A');
    /* beyond the 64K I/O space */
    g_assert_cmpint(address_space_read_val(address_space_io(), 0x103f8, &v, 1), ==,
                    MEMTX_DECODE_ERROR);
    g_assert_cmphex(v, ==, 0xff);

    ram_init(&ram, "mach-virt.ram", 0x40000000);
    memory_region_add_subregion(get_system_memory(), 0x40000000, &ram);
    g_assert_cmpint(address_space_write_val(address_space_memory(), 0x7ffffff8, 7, 8), ==,
                    MEMTX_OK);
    g_assert_cmpint(address_space_read_val(address_space_memory(), 0x7ffffff8, &v, 8), ==,
                    MEMTX_OK);
    g_assert_cmpuint(v, ==, 7);

    memory_region_del_subregion(get_system_io(), &port);
    memory_region_del_subregion(get_system_memory(), &ram);
    memory_region_destroy(&port);
    memory_region_destroy(&ram);
}

static void test_print(void)
{
    Fixture f;
    MemoryRegion ram, io, alias, sub;
    TestDev dev = {0};
    static const MemoryRegionOps ops = {.read = testdev_read, .write = testdev_write};
    GString *out = g_string_new(NULL);

    fixture_init(&f, UINT64_MAX);
    ram_init(&ram, "mach-virt.ram", 0x40000000);
    memory_region_init_io(&io, &ops, &dev, "pl011", 0x1000);
    memory_region_init(&sub, "platform", 0x100000);
    memory_region_init_alias(&alias, "ram-alias", &ram, 0x1000, 0x1000);
    memory_region_add_subregion(&f.root, 0x40000000, &ram);
    memory_region_add_subregion(&sub, 0x0, &io);
    memory_region_add_subregion(&f.root, 0x9000000, &sub);
    memory_region_add_subregion_overlap(&f.root, 0x10000, &alias, 2);
    memory_region_set_enabled(&io, true);

    memory_region_print_tree(out, &f.root);
    g_assert_nonnull(strstr(out->str,
                            "  0000000000000000-ffffffffffffffff (prio 0, container): root\n"));
    g_assert_nonnull(
        strstr(out->str, "    0000000040000000-000000007fffffff (prio 0, ram): mach-virt.ram\n"));
    g_assert_nonnull(
        strstr(out->str, "    0000000009000000-00000000090fffff (prio 0, container): platform\n"));
    g_assert_nonnull(
        strstr(out->str, "      0000000009000000-0000000009000fff (prio 0, i/o): pl011\n"));
    g_assert_nonnull(strstr(out->str, "    0000000000010000-0000000000010fff (prio 2, ram): alias "
                                      "ram-alias @mach-virt.ram "
                                      "0000000000001000-0000000000001fff\n"));
    /* children come in address order */
    g_assert_true(strstr(out->str, "ram-alias") < strstr(out->str, "platform"));
    g_assert_true(strstr(out->str, "platform") < strstr(out->str, "mach-virt.ram\n"));

    memory_region_set_enabled(&io, false);
    g_string_truncate(out, 0);
    memory_region_print_tree(out, &f.root);
    g_assert_nonnull(strstr(out->str, "pl011 [disabled]\n"));
    memory_region_set_enabled(&io, true);

    g_string_truncate(out, 0);
    address_space_print_flat(out, &f.as);
    g_assert_nonnull(strstr(out->str, "test-as"));
    g_assert_nonnull(strstr(out->str, "  0000000000010000-0000000000010fff (prio 0, ram): "
                                      "mach-virt.ram @0000000000001000\n"));
    g_assert_nonnull(strstr(out->str, "  0000000009000000-0000000009000fff (prio 0, i/o): pl011\n"));
    g_assert_nonnull(
        strstr(out->str, "  0000000040000000-000000007fffffff (prio 0, ram): mach-virt.ram\n"));
    g_string_free(out, TRUE);

    memory_region_del_subregion(&f.root, &ram);
    memory_region_del_subregion(&f.root, &sub);
    memory_region_del_subregion(&f.root, &alias);
    memory_region_del_subregion(&sub, &io);
    memory_region_destroy(&alias);
    memory_region_destroy(&ram);
    memory_region_destroy(&io);
    memory_region_destroy(&sub);
    fixture_fini(&f);
}

#define MANY 1000

static uint64_t index_read(void *opaque, uint64_t addr, unsigned size)
{
    return (uintptr_t)opaque * 0x10000 + addr;
}

static void test_many_regions(void)
{
    Fixture f;
    static MemoryRegion regs[MANY];
    static const MemoryRegionOps ops = {.read = index_read};
    uint64_t v;

    fixture_init(&f, UINT64_MAX);
    memory_region_transaction_begin();
    /* shuffled insertion order: the view must come out sorted anyway */
    for (unsigned k = 0; k < MANY; k++) {
        unsigned i = (k * 379) % MANY;
        char name[32];
        snprintf(name, sizeof(name), "dev%u", i);
        memory_region_init_io(&regs[i], &ops, (void *)(uintptr_t)i, name, 0x100);
        memory_region_add_subregion(&f.root, 0x100000 + (uint64_t)i * 0x1000, &regs[i]);
    }
    memory_region_transaction_commit();
    g_assert_cmpuint(atomic_load(&f.as.view)->nr, ==, MANY);

    for (unsigned i = 0; i < MANY; i++) {
        uint64_t base = 0x100000 + (uint64_t)i * 0x1000;
        g_assert_cmpint(address_space_read_val(&f.as, base + 0x84, &v, 4), ==, MEMTX_OK);
        g_assert_cmphex(v, ==, i * 0x10000 + 0x84);
        if (i % 16 == 0) {
            /* sparingly: guest errors are rate-limited per call site */
            g_assert_cmpint(address_space_read_val(&f.as, base + 0x100, &v, 4), ==,
                            MEMTX_DECODE_ERROR);
        }
    }
    g_assert_cmpint(address_space_read_val(&f.as, 0xfffff, &v, 1), ==, MEMTX_DECODE_ERROR);

    memory_region_transaction_begin();
    for (unsigned i = 0; i < MANY; i++) {
        memory_region_del_subregion(&f.root, &regs[i]);
    }
    memory_region_transaction_commit();
    g_assert_cmpuint(atomic_load(&f.as.view)->nr, ==, 0);
    for (unsigned i = 0; i < MANY; i++) {
        memory_region_destroy(&regs[i]);
    }
    fixture_fini(&f);
}

/* ---- dispatch racing commits ---- */

typedef struct RaceCtx {
    AddressSpace *as;
    atomic_bool stop;
    atomic_uint reads;
    unsigned bad;
} RaceCtx;

static uint64_t const_read(void *opaque, uint64_t addr, unsigned size)
{
    return 0x55555555;
}

static gpointer race_reader(gpointer data)
{
    RaceCtx *c = data;
    uint8_t buf[16];
    uint64_t v;

    while (!atomic_load(&c->stop)) {
        address_space_read_val(c->as, 0x100, &v, 4);
        if (v != 0xaaaaaaaa && v != 0x55555555) {
            c->bad++;
        }
        /* stable RAM past the toggled window */
        address_space_read_val(c->as, 0x3000, &v, 8);
        if (v != 0xaaaaaaaaaaaaaaaaull) {
            c->bad++;
        }
        address_space_read(c->as, 0xff8, buf, sizeof(buf));
        for (unsigned i = 0; i < sizeof(buf); i++) {
            if (buf[i] != 0xaa && buf[i] != 0x55) {
                c->bad++;
            }
        }
        atomic_fetch_add(&c->reads, 1);
    }
    return NULL;
}

static void test_concurrent_toggle(void)
{
    Fixture f;
    MemoryRegion ram, io;
    static const MemoryRegionOps ops = {.read = const_read};
    RaceCtx c = {0};
    GThread *t;

    fixture_init(&f, UINT64_MAX);
    ram_init(&ram, "ram", 0x4000);
    memset(memory_region_get_ram_ptr(&ram), 0xaa, 0x4000);
    memory_region_init_io(&io, &ops, NULL, "toggle", 0x1000);
    memory_region_add_subregion(&f.root, 0, &ram);
    memory_region_add_subregion_overlap(&f.root, 0, &io, 1);
    c.as = &f.as;

    t = g_thread_new("race-reader", race_reader, &c);
    for (unsigned i = 0; i < 4000; i++) {
        memory_region_set_enabled(&io, i & 1);
        if ((i & 7) == 0) {
            memory_region_set_address(&io, (i & 8) ? 0x800 : 0);
        }
        /* make sure the reader really overlaps with commits */
        if (i % 500 == 0) {
            unsigned seen = atomic_load(&c.reads);
            while (atomic_load(&c.reads) == seen) {
                g_thread_yield();
            }
        }
    }
    atomic_store(&c.stop, true);
    g_thread_join(t);
    g_assert_cmpuint(c.bad, ==, 0);
    g_assert_cmpuint(atomic_load(&c.reads), >, 0);

    memory_region_del_subregion(&f.root, &ram);
    memory_region_del_subregion(&f.root, &io);
    memory_region_destroy(&ram);
    memory_region_destroy(&io);
    fixture_fini(&f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    log_mask_enabled |= LOG_GUEST_ERROR;

    g_test_add_func("/memory/flatten/nested", test_flatten_nested);
    g_test_add_func("/memory/flatten/priorities", test_priorities);
    g_test_add_func("/memory/flatten/alias", test_alias);
    g_test_add_func("/memory/flatten/enable-move", test_enable_move);
    g_test_add_func("/memory/ram/basic", test_ram);
    g_test_add_func("/memory/ram/rom", test_rom);
    g_test_add_func("/memory/mmio/basic", test_mmio_basic);
    g_test_add_func("/memory/mmio/split-le", test_mmio_split_le);
    g_test_add_func("/memory/mmio/split-be", test_mmio_split_be);
    g_test_add_func("/memory/mmio/widen", test_mmio_widen);
    g_test_add_func("/memory/mmio/valid", test_mmio_valid);
    g_test_add_func("/memory/mmio/unaligned", test_mmio_unaligned);
    g_test_add_func("/memory/unassigned", test_unassigned);
    g_test_add_func("/memory/span", test_span);
    g_test_add_func("/memory/listeners", test_listeners);
    g_test_add_func("/memory/system-spaces", test_system_spaces);
    g_test_add_func("/memory/print", test_print);
    g_test_add_func("/memory/many-regions", test_many_regions);
    g_test_add_func("/memory/concurrent-toggle", test_concurrent_toggle);
    return g_test_run();
}
