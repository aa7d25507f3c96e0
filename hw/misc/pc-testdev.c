/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pc-testdev: QEMU's test device for x86 guests (kvm-unit-tests style).
 *
 * Interface:
 *  - I/O 0xe0-0xe3: a 32-bit scratch register, any access size
 *  - I/O 0xe4-0xe7: flush port; writes are accepted and ignored (there is
 *    no translated code to flush under KVM)
 *  - I/O 0xe8: a byte scratch register (one port only: 0xe9 belongs to
 *    isa-debugcon)
 *  - I/O 0x2000-0x2017: a write to 0x2000 + n sets interrupt line n
 *    (ISA IRQs 0-15, IOAPIC-only GSIs 16-23) to the value's truth; reads 0
 *  - MMIO 0xff000000, 4 KiB: scratch memory with 1/2/4/8-byte accesses
 */
#include <string.h>

#include "hw/i386/isa.h"
#include "hw/i386/pc.h"
#include "system/memory.h"
#include "util/error.h"
#include "util/log.h"

#define TESTDEV_IOMEM_ADDR  0xff000000ull
#define TESTDEV_IOMEM_SIZE  0x1000
#define TESTDEV_IRQ_PORT    0x2000

typedef struct PcTestdevState {
    DeviceState parent;
    MemoryRegion ioport, flush, ioport_byte, irq, iomem;
    bool io_init;
    uint32_t ioport_data;
    uint8_t byte_data;
    uint8_t iomem_buf[TESTDEV_IOMEM_SIZE];
} PcTestdevState;

static uint64_t get_bytes(const uint8_t *p, unsigned size)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < size; i++) {
        v |= (uint64_t)p[i] << (8 * i);
    }
    return v;
}

static void set_bytes(uint8_t *p, uint64_t v, unsigned size)
{
    for (unsigned i = 0; i < size; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

static uint64_t scratch_read(void *opaque, uint64_t addr, unsigned size)
{
    PcTestdevState *s = opaque;
    uint8_t b[4];

    set_bytes(b, s->ioport_data, 4);
    return get_bytes(b + addr, MIN(size, 4 - (unsigned)addr));
}

static void scratch_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    PcTestdevState *s = opaque;
    uint8_t b[4];

    set_bytes(b, s->ioport_data, 4);
    set_bytes(b + addr, val, MIN(size, 4 - (unsigned)addr));
    s->ioport_data = (uint32_t)get_bytes(b, 4);
}

static const MemoryRegionOps scratch_ops = {
    .read = scratch_read,
    .write = scratch_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
};

static uint64_t byte_read(void *opaque, uint64_t addr, unsigned size)
{
    return ((PcTestdevState *)opaque)->byte_data;
}

static void byte_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    ((PcTestdevState *)opaque)->byte_data = (uint8_t)val;
}

static const MemoryRegionOps byte_ops = {
    .read = byte_read,
    .write = byte_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
};

static void flush_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    log_mask(LOG_TRACE, "pc-testdev: flush\n");
}

static const MemoryRegionOps flush_ops = {
    .write = flush_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
};

static void irq_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    PcTestdevState *s = opaque;

    irq_set(isa_get_irq(&s->parent, (unsigned)addr), val != 0);
}

static const MemoryRegionOps irq_ops = {
    .write = irq_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
};

static uint64_t iomem_read(void *opaque, uint64_t addr, unsigned size)
{
    return get_bytes(((PcTestdevState *)opaque)->iomem_buf + addr, size);
}

static void iomem_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    set_bytes(((PcTestdevState *)opaque)->iomem_buf + addr, val, size);
}

static const MemoryRegionOps iomem_ops = {
    .read = iomem_read,
    .write = iomem_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 8 },
};

static bool pc_testdev_realize(DeviceState *dev, GError **errp)
{
    PcTestdevState *s = (PcTestdevState *)dev;

    memory_region_init_io(&s->ioport, &scratch_ops, s, "pc-testdev-ioport", 4);
    memory_region_init_io(&s->flush, &flush_ops, s, "pc-testdev-flush", 4);
    memory_region_init_io(&s->ioport_byte, &byte_ops, s, "pc-testdev-ioport-byte", 1);
    memory_region_init_io(&s->irq, &irq_ops, s, "pc-testdev-irq-line", ISA_BRIDGE_NUM_LINES);
    memory_region_init_io(&s->iomem, &iomem_ops, s, "pc-testdev-iomem", TESTDEV_IOMEM_SIZE);
    s->io_init = true;
    device_pio_map(dev, device_init_pio(dev, &s->ioport), 0xe0);
    device_pio_map(dev, device_init_pio(dev, &s->flush), 0xe4);
    device_pio_map(dev, device_init_pio(dev, &s->ioport_byte), 0xe8);
    device_pio_map(dev, device_init_pio(dev, &s->irq), TESTDEV_IRQ_PORT);
    device_mmio_map(dev, device_init_mmio(dev, &s->iomem), TESTDEV_IOMEM_ADDR);
    return true;
}

static void pc_testdev_finalize(DeviceState *dev)
{
    PcTestdevState *s = (PcTestdevState *)dev;

    if (s->io_init) {
        memory_region_destroy(&s->ioport);
        memory_region_destroy(&s->flush);
        memory_region_destroy(&s->ioport_byte);
        memory_region_destroy(&s->irq);
        memory_region_destroy(&s->iomem);
    }
}

const DeviceClass pc_testdev_class = {
    .name = "pc-testdev",
    .desc = "PC test device (scratch ports, IRQ lines, MMIO scratch)",
    .instance_size = sizeof(PcTestdevState),
    .category = DEVICE_CATEGORY_MISC,
    .bus_type = BUS_TYPE_ISA,
    .user_creatable = true,
    .realize = pc_testdev_realize,
    .instance_finalize = pc_testdev_finalize,
};
