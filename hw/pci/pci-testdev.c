/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pci-testdev (1b36:0005), the low-level I/O test device test kernels such
 * as kvm-unit-tests expect. BAR0 is memory, BAR1 is I/O; each starts with a
 * header (docs/specs/pci-testdev in QEMU):
 *
 *   0x00 test        write-only: select test number N on this BAR
 *   0x01 width_type  access width of the test (1, 2 or 4)
 *   0x04 offset      where in the BAR the test's writes go
 *   0x08 data        the value to write
 *   0x0c count       writes the device counted since the test started
 *   0x10 name        NUL-terminated test name
 *
 * Tests 0..2 exist on each BAR ("no-eventfd", "wildcard-eventfd",
 * "datamatch-eventfd"); a write of a higher number is ignored, which is how
 * guests find the end. Without ioeventfds every matching write is counted
 * by the device itself. The optional BAR2 ("membar=SIZE") is a 64-bit
 * prefetchable BAR with nothing behind it, for testing large BARs.
 */
#include <string.h>

#include "hw/pci/pci.h"
#include "util/error.h"
#include "util/log.h"

#define TESTDEV_MEM_HALF    2048    /* test offsets start past the headers */
#define TESTDEV_IO_HALF     128
#define TESTDEV_NUM_KINDS   3       /* tests per BAR */
#define TESTDEV_NUM_TESTS   (2 * TESTDEV_NUM_KINDS)
#define TESTDEV_HDR_SIZE    16
#define TESTDEV_DATAMATCH   0xfa
#define TESTDEV_NOMATCH     0xce

enum { HDR_TEST = 0, HDR_WIDTH = 1, HDR_OFFSET = 4, HDR_DATA = 8,
       HDR_COUNT = 12, HDR_NAME = 16 };

typedef struct TestdevTest {
    uint8_t *hdr;               /* header + name, little-endian */
    unsigned bufsize;
    bool match_data;            /* only writes of data with the test width */
} TestdevTest;

typedef struct PCITestdevState {
    PCIDevice parent;
    uint64_t membar_size;       /* "membar" */
    MemoryRegion mmio, portio, membar;
    TestdevTest tests[TESTDEV_NUM_TESTS];   /* mmio 0..2, portio 3..5 */
    unsigned current;
} PCITestdevState;

static const char *const testdev_kinds[TESTDEV_NUM_KINDS] = {
    "no-eventfd", "wildcard-eventfd", "datamatch-eventfd",
};

static void testdev_write(PCITestdevState *s, unsigned bar, uint64_t addr,
                          uint64_t val, unsigned size)
{
    TestdevTest *t;

    if (addr == HDR_TEST) {
        if (val < TESTDEV_NUM_KINDS) {
            s->current = bar * TESTDEV_NUM_KINDS + val;
            pci_set_long(s->tests[s->current].hdr + HDR_COUNT, 0);
        }
        return;
    }
    t = &s->tests[s->current];
    if (addr != pci_get_long(t->hdr + HDR_OFFSET)) {
        return;
    }
    if (t->match_data && (size != t->hdr[HDR_WIDTH] ||
                          val != pci_get_long(t->hdr + HDR_DATA))) {
        return;
    }
    pci_set_long(t->hdr + HDR_COUNT, pci_get_long(t->hdr + HDR_COUNT) + 1);
}

static uint64_t testdev_read(void *opaque, uint64_t addr, unsigned size)
{
    PCITestdevState *s = opaque;
    TestdevTest *t = &s->tests[s->current];

    /* The header of the selected test, whichever BAR reads it. */
    if (addr + size >= t->bufsize) {
        return 0;
    }
    return t->hdr[addr];
}

static void testdev_mmio_write(void *opaque, uint64_t addr, uint64_t val,
                               unsigned size)
{
    testdev_write(opaque, 0, addr, val, size);
}

static void testdev_pio_write(void *opaque, uint64_t addr, uint64_t val,
                              unsigned size)
{
    testdev_write(opaque, 1, addr, val, size);
}

/* Byte-wide implementation: wider guest accesses arrive as bytes. */
static const MemoryRegionOps testdev_mmio_ops = {
    .read = testdev_read,
    .write = testdev_mmio_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

static const MemoryRegionOps testdev_pio_ops = {
    .read = testdev_read,
    .write = testdev_pio_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

static void testdev_free_tests(PCITestdevState *s)
{
    for (int i = 0; i < TESTDEV_NUM_TESTS; i++) {
        g_clear_pointer(&s->tests[i].hdr, g_free);
    }
}

static bool testdev_realize(PCIDevice *dev, GError **errp)
{
    PCITestdevState *s = (PCITestdevState *)dev;

    if (s->membar_size && (s->membar_size & (s->membar_size - 1))) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "property 'membar': size must be a power of two");
        return false;
    }
    for (int i = 0; i < TESTDEV_NUM_TESTS; i++) {
        TestdevTest *t = &s->tests[i];
        bool mem = i < TESTDEV_NUM_KINDS;
        const char *kind = testdev_kinds[i % TESTDEV_NUM_KINDS];
        g_autofree char *name = g_strdup_printf("%s-%s", mem ? "mmio" : "portio",
                                                kind);

        t->bufsize = TESTDEV_HDR_SIZE + strlen(name) + 1;
        t->hdr = g_malloc0(t->bufsize);
        memcpy(t->hdr + HDR_NAME, name, strlen(name) + 1);
        t->match_data = strcmp(kind, "wildcard-eventfd") != 0;
        t->hdr[HDR_WIDTH] = 1;
        pci_set_long(t->hdr + HDR_OFFSET,
                     (mem ? TESTDEV_MEM_HALF : TESTDEV_IO_HALF) + i);
        pci_set_long(t->hdr + HDR_DATA,
                     t->match_data ? TESTDEV_DATAMATCH : TESTDEV_NOMATCH);
    }
    s->current = 0;
    memory_region_init_io(&s->mmio, &testdev_mmio_ops, s, "pci-testdev-mmio",
                          TESTDEV_MEM_HALF * 2);
    memory_region_init_io(&s->portio, &testdev_pio_ops, s,
                          "pci-testdev-portio", TESTDEV_IO_HALF * 2);
    pci_register_bar(dev, 0, PCI_BAR_MEM32, &s->mmio);
    pci_register_bar(dev, 1, PCI_BAR_IO, &s->portio);
    if (s->membar_size) {
        memory_region_init(&s->membar, "pci-testdev-membar", s->membar_size);
        pci_register_bar(dev, 2, PCI_BAR_MEM64 | PCI_BAR_PREFETCH, &s->membar);
    }
    return true;
}

static void testdev_exit(PCIDevice *dev)
{
    PCITestdevState *s = (PCITestdevState *)dev;

    memory_region_destroy(&s->mmio);
    memory_region_destroy(&s->portio);
    if (s->membar_size) {
        memory_region_destroy(&s->membar);
    }
    testdev_free_tests(s);
}

static void testdev_reset(PCIDevice *dev)
{
    PCITestdevState *s = (PCITestdevState *)dev;

    for (int i = 0; i < TESTDEV_NUM_TESTS; i++) {
        pci_set_long(s->tests[i].hdr + HDR_COUNT, 0);
    }
    s->current = 0;
}

static void testdev_finalize(DeviceState *d)
{
    testdev_free_tests((PCITestdevState *)d);
}

static const Property testdev_props[] = {
    PROP_SIZE("membar", PCITestdevState, membar_size, 0,
              "Size of the 64-bit prefetchable BAR2 (0: none)"),
    PROP_END
};

const PCIDeviceClass pci_testdev_class = {
    .parent = {
        .name = "pci-testdev",
        .desc = "PCI Test Device",
        .parent = &pci_device_class,
        .instance_size = sizeof(PCITestdevState),
        .props = testdev_props,
        .category = DEVICE_CATEGORY_MISC,
        .user_creatable = true,
        .instance_finalize = testdev_finalize,
    },
    .vendor_id = PCI_VENDOR_ID_REDHAT,
    .device_id = PCI_DEVICE_ID_REDHAT_TEST,
    .class_id = PCI_CLASS_OTHERS,
    .realize = testdev_realize,
    .exit = testdev_exit,
    .reset = testdev_reset,
};
