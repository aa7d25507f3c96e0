/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The PCI function: configuration space with per-byte write and
 * write-1-to-clear masks, the type 0 header, the capability lists, BARs
 * mapped into the bus's spaces as the guest programs them, INTx state, and
 * the DeviceClass glue that runs the core before a device's own
 * PCIDeviceClass callbacks. Bus-side logic (slots, IRQ routing, printing)
 * lives in pci-bus.c.
 */
#include <string.h>

#include "hw/pci/pci.h"
#include "hw/pci/msi.h"
#include "hw/pci/msix.h"
#include "util/error.h"
#include "util/log.h"

/*
 * The nearest class from the leaf up to pci-device that sets field f, or 0.
 * Every class between a leaf and pci_device_class is a PCIDeviceClass.
 */
#define PCI_CLASS_LOOKUP(dev, f)                                          \
    ({                                                                    \
        __typeof__(((PCIDeviceClass *)0)->f) v_ = 0;                      \
        for (const DeviceClass *c_ = (dev)->parent.klass;                 \
             c_ && c_ != &pci_device_class; c_ = c_->parent) {            \
            if (((const PCIDeviceClass *)c_)->f) {                        \
                v_ = ((const PCIDeviceClass *)c_)->f;                     \
                break;                                                    \
            }                                                             \
        }                                                                 \
        v_;                                                               \
    })

const PCIDeviceClass *pci_device_get_class(const PCIDevice *dev)
{
    return (const PCIDeviceClass *)dev->parent.klass;
}

static bool ranges_overlap(uint32_t a, uint32_t alen, uint32_t b, uint32_t blen)
{
    return a < b + blen && b < a + alen;
}

static uint32_t bar_reg(int n)
{
    return n == PCI_ROM_SLOT ? PCI_ROM_ADDRESS : PCI_BASE_ADDRESS_0 + 4 * n;
}

/* ---- configuration space accesses ---------------------------------- */

static bool config_access_ok(PCIDevice *dev, uint32_t addr, unsigned len)
{
    return (len == 1 || len == 2 || len == 4) && addr < dev->config_size &&
           len <= dev->config_size - addr;
}

uint32_t pci_default_read_config(PCIDevice *dev, uint32_t addr, unsigned len)
{
    uint32_t val = 0;

    g_assert(config_access_ok(dev, addr, len));
    for (unsigned i = 0; i < len; i++) {
        val |= (uint32_t)dev->config[addr + i] << (8 * i);
    }
    return val;
}

static void pci_intx_update(PCIDevice *dev);

void pci_default_write_config(PCIDevice *dev, uint32_t addr, uint32_t val,
                              unsigned len)
{
    g_assert(config_access_ok(dev, addr, len));
    for (unsigned i = 0; i < len; i++) {
        uint8_t b = val >> (8 * i);
        uint8_t wm = dev->wmask[addr + i];
        uint8_t w1c = dev->w1cmask[addr + i];

        dev->config[addr + i] = (dev->config[addr + i] & ~wm) | (b & wm);
        dev->config[addr + i] &= ~(b & w1c);
    }
    if (ranges_overlap(addr, len, PCI_BASE_ADDRESS_0, 24) ||
        ranges_overlap(addr, len, PCI_ROM_ADDRESS, 4) ||
        ranges_overlap(addr, len, PCI_COMMAND, 2)) {
        pci_update_mappings(dev);
    }
    if (ranges_overlap(addr, len, PCI_COMMAND, 2)) {
        pci_intx_update(dev);
    }
    msi_write_config(dev, addr, val, len);
    msix_write_config(dev, addr, val, len);
}

uint32_t pci_config_read(PCIDevice *dev, uint32_t addr, unsigned len)
{
    uint32_t (*rd)(PCIDevice *, uint32_t, unsigned) =
        PCI_CLASS_LOOKUP(dev, config_read);

    if (!config_access_ok(dev, addr, len)) {
        return len >= 4 ? UINT32_MAX : (1u << (8 * len)) - 1;
    }
    return rd ? rd(dev, addr, len) : pci_default_read_config(dev, addr, len);
}

void pci_config_write(PCIDevice *dev, uint32_t addr, uint32_t val,
                      unsigned len)
{
    void (*wr)(PCIDevice *, uint32_t, uint32_t, unsigned) =
        PCI_CLASS_LOOKUP(dev, config_write);

    if (!config_access_ok(dev, addr, len)) {
        log_guest_error("pci: %s: config write of %u bytes at 0x%x ignored\n",
                        device_type_name(&dev->parent), len, addr);
        return;
    }
    if (len < 4) {
        val &= (1u << (8 * len)) - 1;
    }
    if (wr) {
        wr(dev, addr, val, len);
    } else {
        pci_default_write_config(dev, addr, val, len);
    }
}

void pci_set_interrupt_pin(PCIDevice *dev, uint8_t pin)
{
    g_assert(pin <= PCI_PIN_INTD);
    dev->config[PCI_INTERRUPT_PIN] = pin;
}

/* ---- capabilities -------------------------------------------------- */

static const char *pci_dev_name(PCIDevice *dev)
{
    return device_type_name(&dev->parent);
}

static bool cap_space_free(PCIDevice *dev, unsigned off, unsigned size,
                           unsigned limit, unsigned *owner)
{
    for (unsigned i = off; i < off + size; i++) {
        if (i >= limit) {
            *owner = 0;
            return false;
        }
        if (dev->used[i]) {
            *owner = i;
            return false;
        }
    }
    return true;
}

/* The start of the capability that covers byte i (walking the list). */
static uint8_t cap_owner(PCIDevice *dev, unsigned i)
{
    uint8_t best = 0;
    unsigned guard = 0;

    for (uint8_t p = dev->config[PCI_CAPABILITY_LIST] & ~3;
         p && guard < 64; p = dev->config[p + PCI_CAP_LIST_NEXT] & ~3, guard++) {
        if (p <= i && p > best) {
            best = p;
        }
    }
    return best;
}

uint8_t pci_add_capability(PCIDevice *dev, uint8_t cap_id, uint8_t offset,
                           uint8_t size, GError **errp)
{
    unsigned owner;

    g_assert(size >= 2);
    if (!offset) {
        for (unsigned off = PCI_CONFIG_HEADER_SIZE;
             off + size <= PCI_CONFIG_SPACE_SIZE; off += 4) {
            if (cap_space_free(dev, off, size, PCI_CONFIG_SPACE_SIZE, &owner)) {
                offset = off;
                break;
            }
        }
        if (!offset) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_FAILED,
                        "PCI: no room for capability 0x%02x (%u bytes) in %s",
                        cap_id, size, pci_dev_name(dev));
            return 0;
        }
    } else {
        if (offset < PCI_CONFIG_HEADER_SIZE || (offset & 3) ||
            offset + size > PCI_CONFIG_SPACE_SIZE) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                        "PCI: capability 0x%02x at 0x%02x (%u bytes) does not "
                        "fit in %s's capability area", cap_id, offset, size,
                        pci_dev_name(dev));
            return 0;
        }
        if (!cap_space_free(dev, offset, size, PCI_CONFIG_SPACE_SIZE, &owner)) {
            uint8_t o = cap_owner(dev, owner);
            g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                        "PCI: capability 0x%02x at 0x%02x overlaps capability "
                        "0x%02x at 0x%02x in %s", cap_id, offset,
                        dev->config[o], o, pci_dev_name(dev));
            return 0;
        }
    }
    /* New capabilities go first in the list, as QEMU links them. */
    dev->config[offset + PCI_CAP_LIST_ID] = cap_id;
    dev->config[offset + PCI_CAP_LIST_NEXT] = dev->config[PCI_CAPABILITY_LIST];
    dev->config[PCI_CAPABILITY_LIST] = offset;
    memset(dev->used + offset, 1, size);
    memset(dev->wmask + offset, 0, size);
    memset(dev->w1cmask + offset, 0, size);
    pci_set_word(dev->config + PCI_STATUS,
                 pci_get_word(dev->config + PCI_STATUS) | PCI_STATUS_CAP_LIST);
    return offset;
}

uint8_t pci_find_capability(PCIDevice *dev, uint8_t cap_id)
{
    unsigned guard = 0;

    if (!(pci_get_word(dev->config + PCI_STATUS) & PCI_STATUS_CAP_LIST)) {
        return 0;
    }
    for (uint8_t p = dev->config[PCI_CAPABILITY_LIST] & ~3;
         p && guard < 64; p = dev->config[p + PCI_CAP_LIST_NEXT] & ~3, guard++) {
        if (dev->config[p + PCI_CAP_LIST_ID] == cap_id) {
            return p;
        }
    }
    return 0;
}

void pci_del_capability(PCIDevice *dev, uint8_t cap_id, uint8_t size)
{
    uint8_t off = pci_find_capability(dev, cap_id);
    uint8_t *link = &dev->config[PCI_CAPABILITY_LIST];
    unsigned guard = 0;

    if (!off) {
        return;
    }
    while (*link != off && guard++ < 64) {
        link = &dev->config[*link + PCI_CAP_LIST_NEXT];
    }
    *link = dev->config[off + PCI_CAP_LIST_NEXT];
    memset(dev->config + off, 0, size);
    memset(dev->wmask + off, 0, size);
    memset(dev->w1cmask + off, 0, size);
    memset(dev->used + off, 0, size);
    if (!dev->config[PCI_CAPABILITY_LIST]) {
        pci_set_word(dev->config + PCI_STATUS,
                     pci_get_word(dev->config + PCI_STATUS) &
                     ~PCI_STATUS_CAP_LIST);
    }
}

uint16_t pcie_find_ext_capability(PCIDevice *dev, uint16_t cap_id)
{
    uint16_t off = PCI_EXT_CAP_START;
    unsigned guard = 0;

    if (dev->config_size < PCIE_CONFIG_SPACE_SIZE) {
        return 0;
    }
    while (off && guard++ < 1024) {
        uint32_t hdr = pci_get_long(dev->config + off);
        if (!hdr) {
            return 0;
        }
        if (PCI_EXT_CAP_ID(hdr) == cap_id) {
            return off;
        }
        off = PCI_EXT_CAP_NEXT(hdr);
    }
    return 0;
}

uint16_t pcie_add_ext_capability(PCIDevice *dev, uint16_t cap_id,
                                 uint8_t version, uint16_t offset,
                                 uint16_t size, GError **errp)
{
    uint16_t last = 0, end = PCI_EXT_CAP_START;
    unsigned owner;
    unsigned guard = 0;

    if (dev->config_size < PCIE_CONFIG_SPACE_SIZE) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_UNSUPPORTED,
                    "PCI: %s has no extended configuration space",
                    pci_dev_name(dev));
        return 0;
    }
    g_assert(size >= 4);
    /* Find the tail of the list and the first byte after its entries. */
    if (pci_get_long(dev->config + PCI_EXT_CAP_START)) {
        uint16_t off = PCI_EXT_CAP_START;
        while (off && guard++ < 1024) {
            last = off;
            off = PCI_EXT_CAP_NEXT(pci_get_long(dev->config + off));
        }
        for (unsigned i = PCI_EXT_CAP_START; i < dev->config_size; i++) {
            if (dev->used[i]) {
                end = (i + 4) & ~3;
            }
        }
    }
    if (!offset) {
        offset = last ? end : PCI_EXT_CAP_START;
    }
    if (offset < PCI_EXT_CAP_START || (offset & 3) ||
        offset + size > dev->config_size || (!last && offset != PCI_EXT_CAP_START) ||
        !cap_space_free(dev, offset, size, dev->config_size, &owner)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "PCI: extended capability 0x%04x at 0x%03x (%u bytes) "
                    "does not fit in %s", cap_id, offset, size,
                    pci_dev_name(dev));
        return 0;
    }
    pci_set_long(dev->config + offset, cap_id | (uint32_t)(version & 0xf) << 16);
    if (last) {
        uint32_t hdr = pci_get_long(dev->config + last);
        pci_set_long(dev->config + last,
                     (hdr & 0x000fffff) | (uint32_t)offset << 20);
    }
    memset(dev->used + offset, 1, size);
    memset(dev->wmask + offset, 0, size);
    memset(dev->w1cmask + offset, 0, size);
    return offset;
}

/* ---- BARs ---------------------------------------------------------- */

static uint64_t pow2_ceil(uint64_t v)
{
    uint64_t p = 1;

    while (p < v) {
        p <<= 1;
    }
    return p;
}

void pci_register_bar(PCIDevice *dev, int n, uint8_t type, MemoryRegion *mr)
{
    PCIBar *bar;
    uint64_t size = memory_region_size(mr);
    uint32_t reg = bar_reg(n);

    g_assert(n >= 0 && n < PCI_NUM_REGIONS);
    g_assert(!dev->bars[n].mr);
    g_assert(size && size != UINT64_MAX);
    if (n == PCI_ROM_SLOT) {
        type = PCI_BAR_MEM32;
    }
    if (type & PCI_BAR_IO) {
        g_assert(!(type & ~PCI_BAR_IO));
        size = MAX(pow2_ceil(size), 4);
    } else {
        size = MAX(pow2_ceil(size), n == PCI_ROM_SLOT ? 2048 : 16);
    }
    if (type & PCI_BAR_MEM64) {
        g_assert(n < PCI_NUM_BARS - 1 && !dev->bars[n + 1].mr);
    } else {
        g_assert(size <= (1ull << 31));
    }
    bar = &dev->bars[n];
    bar->mr = mr;
    bar->size = size;
    bar->type = type;
    bar->addr = PCI_BAR_UNMAPPED;

    if (n == PCI_ROM_SLOT) {
        pci_set_long(dev->wmask + reg,
                     (uint32_t)~(size - 1) | PCI_ROM_ADDRESS_ENABLE);
        pci_set_long(dev->config + reg, 0);
    } else if (type & PCI_BAR_MEM64) {
        pci_set_quad(dev->wmask + reg, ~(size - 1) & ~0xfull);
        pci_set_quad(dev->config + reg, type);
    } else if (type & PCI_BAR_IO) {
        pci_set_long(dev->wmask + reg, (uint32_t)~(size - 1) & ~3u);
        pci_set_long(dev->config + reg, type);
    } else {
        pci_set_long(dev->wmask + reg, (uint32_t)~(size - 1) & ~0xfu);
        pci_set_long(dev->config + reg, type);
    }
}

static MemoryRegion *bar_space(PCIDevice *dev, PCIBar *bar)
{
    return bar->type & PCI_BAR_IO ? dev->bus->io : dev->bus->mem;
}

/*
 * Where the guest's programming puts BAR n, or unmapped. Like QEMU, a BAR
 * at 0, one that wraps, or a 32-bit one reaching 4 GiB is not decoded, so
 * sizing with all-ones while decoding is on maps nothing.
 */
static uint64_t bar_compute_addr(PCIDevice *dev, int n)
{
    PCIBar *bar = &dev->bars[n];
    uint16_t cmd = pci_get_word(dev->config + PCI_COMMAND);
    uint32_t reg = bar_reg(n);
    uint64_t addr, last;

    if (bar->type & PCI_BAR_IO) {
        if (!(cmd & PCI_COMMAND_IO)) {
            return PCI_BAR_UNMAPPED;
        }
        addr = pci_get_long(dev->config + reg) & ~(bar->size - 1) & ~3ull;
        last = addr + bar->size - 1;
        if (!addr || last <= addr || last >= UINT32_MAX ||
            (dev->bus->io && last >= memory_region_size(dev->bus->io))) {
            return PCI_BAR_UNMAPPED;
        }
        return addr;
    }
    if (!(cmd & PCI_COMMAND_MEMORY)) {
        return PCI_BAR_UNMAPPED;
    }
    if (n == PCI_ROM_SLOT) {
        uint32_t v = pci_get_long(dev->config + reg);
        if (!(v & PCI_ROM_ADDRESS_ENABLE)) {
            return PCI_BAR_UNMAPPED;
        }
        addr = v & PCI_ROM_ADDRESS_MASK;
    } else if (bar->type & PCI_BAR_MEM64) {
        addr = pci_get_quad(dev->config + reg);
    } else {
        addr = pci_get_long(dev->config + reg);
    }
    addr &= ~(bar->size - 1) & ~0xfull;
    last = addr + bar->size - 1;
    if (!addr || last <= addr || last == UINT64_MAX) {
        return PCI_BAR_UNMAPPED;
    }
    if (!(bar->type & PCI_BAR_MEM64) && last >= UINT32_MAX) {
        return PCI_BAR_UNMAPPED;
    }
    return addr;
}

void pci_update_mappings(PCIDevice *dev)
{
    if (!dev->bus) {
        return;
    }
    memory_region_transaction_begin();
    for (int n = 0; n < PCI_NUM_REGIONS; n++) {
        PCIBar *bar = &dev->bars[n];
        uint64_t addr;

        if (!bar->mr) {
            continue;
        }
        addr = bar_compute_addr(dev, n);
        if (addr == bar->addr) {
            continue;
        }
        if (bar->addr != PCI_BAR_UNMAPPED) {
            memory_region_del_subregion(bar_space(dev, bar), bar->mr);
        }
        if (addr != PCI_BAR_UNMAPPED && bar_space(dev, bar)) {
            memory_region_add_subregion_overlap(bar_space(dev, bar), addr,
                                                bar->mr, 1);
        } else {
            addr = PCI_BAR_UNMAPPED;
        }
        bar->addr = addr;
    }
    memory_region_transaction_commit();
}

uint64_t pci_bar_address(PCIDevice *dev, int n)
{
    g_assert(n >= 0 && n < PCI_NUM_REGIONS);
    return dev->bars[n].addr;
}

void pci_unregister_bar(PCIDevice *dev, int n)
{
    PCIBar *bar = &dev->bars[n];
    uint32_t reg = bar_reg(n);
    unsigned width = bar->type & PCI_BAR_MEM64 ? 8 : 4;

    if (!bar->mr) {
        return;
    }
    if (bar->addr != PCI_BAR_UNMAPPED) {
        memory_region_del_subregion(bar_space(dev, bar), bar->mr);
    }
    memset(dev->config + reg, 0, width);
    memset(dev->wmask + reg, 0, width);
    memset(bar, 0, sizeof(*bar));
    bar->addr = PCI_BAR_UNMAPPED;
}

/* ---- INTx ---------------------------------------------------------- */

static void pci_intx_update(PCIDevice *dev)
{
    uint16_t cmd = pci_get_word(dev->config + PCI_COMMAND);
    uint16_t status = pci_get_word(dev->config + PCI_STATUS);
    uint8_t pin = dev->config[PCI_INTERRUPT_PIN];
    bool effective = dev->intx_level && pin && dev->bus &&
                     !(cmd & PCI_COMMAND_INTX_DISABLE);

    /* Interrupt Status shows the device's state whatever INTX_DISABLE says. */
    if (dev->intx_level) {
        status |= PCI_STATUS_INTERRUPT;
    } else {
        status &= ~PCI_STATUS_INTERRUPT;
    }
    pci_set_word(dev->config + PCI_STATUS, status);
    if (effective != dev->intx_counted) {
        pci_bus_change_irq_level(dev->bus, dev, pin - 1, effective ? 1 : -1);
        dev->intx_counted = effective;
    }
}

void pci_set_irq(PCIDevice *dev, int level)
{
    if (!dev->config[PCI_INTERRUPT_PIN]) {
        return;
    }
    dev->intx_level = level != 0;
    pci_intx_update(dev);
}

/* ---- DeviceClass glue ---------------------------------------------- */

static bool pci_class_is_express(const PCIDevice *dev)
{
    return PCI_CLASS_LOOKUP(dev, is_express);
}

static void pci_device_instance_init(DeviceState *d)
{
    PCIDevice *dev = PCI_DEVICE(d);

    dev->config_size = pci_class_is_express(dev) ? PCIE_CONFIG_SPACE_SIZE
                                                 : PCI_CONFIG_SPACE_SIZE;
    dev->config = g_malloc0(dev->config_size);
    dev->wmask = g_malloc0(dev->config_size);
    dev->w1cmask = g_malloc0(dev->config_size);
    dev->used = g_malloc0(dev->config_size);
    dev->devfn = -1;
    for (int n = 0; n < PCI_NUM_REGIONS; n++) {
        dev->bars[n].addr = PCI_BAR_UNMAPPED;
    }
}

static void pci_device_instance_finalize(DeviceState *d)
{
    PCIDevice *dev = PCI_DEVICE(d);

    g_free(dev->config);
    g_free(dev->wmask);
    g_free(dev->w1cmask);
    g_free(dev->used);
    g_free(dev->msix_table);
    g_free(dev->msix_pba);
}

static void pci_init_header(PCIDevice *dev)
{
    uint8_t *c = dev->config;
    uint16_t svid = PCI_CLASS_LOOKUP(dev, subsystem_vendor_id);
    uint16_t sid = PCI_CLASS_LOOKUP(dev, subsystem_id);

    pci_set_word(c + PCI_VENDOR_ID, PCI_CLASS_LOOKUP(dev, vendor_id));
    pci_set_word(c + PCI_DEVICE_ID, PCI_CLASS_LOOKUP(dev, device_id));
    c[PCI_REVISION_ID] = PCI_CLASS_LOOKUP(dev, revision);
    c[PCI_CLASS_PROG] = PCI_CLASS_LOOKUP(dev, prog_if);
    pci_set_word(c + PCI_CLASS_DEVICE, PCI_CLASS_LOOKUP(dev, class_id));
    if (!svid) {
        svid = PCI_SUBVENDOR_ID_REDHAT_QUMRANET;
        sid = PCI_SUBDEVICE_ID_QEMU;
    }
    pci_set_word(c + PCI_SUBSYSTEM_VENDOR_ID, svid);
    pci_set_word(c + PCI_SUBSYSTEM_ID, sid);
    c[PCI_HEADER_TYPE] = PCI_HEADER_TYPE_NORMAL |
        (dev->multifunction ? PCI_HEADER_TYPE_MULTI_FUNCTION : 0);
    if (!pci_class_is_express(dev)) {
        pci_set_word(c + PCI_STATUS,
                     PCI_STATUS_FAST_BACK | PCI_STATUS_DEVSEL_MEDIUM);
    }

    pci_set_word(dev->wmask + PCI_COMMAND,
                 PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
                 PCI_COMMAND_PARITY | PCI_COMMAND_SERR |
                 PCI_COMMAND_INTX_DISABLE);
    pci_set_word(dev->w1cmask + PCI_STATUS,
                 PCI_STATUS_PARITY | PCI_STATUS_SIG_TARGET_ABORT |
                 PCI_STATUS_REC_TARGET_ABORT | PCI_STATUS_REC_MASTER_ABORT |
                 PCI_STATUS_SIG_SYSTEM_ERROR | PCI_STATUS_DETECTED_PARITY);
    dev->wmask[PCI_CACHE_LINE_SIZE] = 0xff;
    dev->wmask[PCI_LATENCY_TIMER] = 0xff;
    dev->wmask[PCI_INTERRUPT_LINE] = 0xff;
    memset(dev->used, 1, PCI_CONFIG_HEADER_SIZE);
}

static void pci_device_teardown(PCIDevice *dev)
{
    msix_uninit(dev);
    msi_uninit(dev);
    dev->intx_level = 0;
    pci_intx_update(dev);
    for (int n = 0; n < PCI_NUM_REGIONS; n++) {
        pci_unregister_bar(dev, n);
    }
}

static bool pci_device_realize(DeviceState *d, GError **errp)
{
    PCIDevice *dev = PCI_DEVICE(d);
    bool (*realize)(PCIDevice *, GError **) = PCI_CLASS_LOOKUP(dev, realize);

    if (d->klass == &pci_device_class) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "%s is an abstract class", TYPE_PCI_DEVICE);
        return false;
    }
    g_assert(dev->bus);     /* set by the bus's check_plug */
    pci_init_header(dev);
    if (realize && !realize(dev, errp)) {
        pci_device_teardown(dev);
        return false;
    }
    pci_bus_apply_intx_line(dev->bus, dev);
    return true;
}

static void pci_device_unrealize(DeviceState *d)
{
    PCIDevice *dev = PCI_DEVICE(d);
    void (*exit_fn)(PCIDevice *) = PCI_CLASS_LOOKUP(dev, exit);

    /* BARs go first so that exit may destroy the regions behind them. */
    pci_device_teardown(dev);
    if (exit_fn) {
        exit_fn(dev);
    }
}

static void pci_device_reset(DeviceState *d)
{
    PCIDevice *dev = PCI_DEVICE(d);
    void (*reset)(PCIDevice *) = PCI_CLASS_LOOKUP(dev, reset);
    uint8_t *c = dev->config;

    pci_set_word(c + PCI_COMMAND, pci_get_word(c + PCI_COMMAND) &
                 ~(pci_get_word(dev->wmask + PCI_COMMAND) |
                   pci_get_word(dev->w1cmask + PCI_COMMAND)));
    pci_set_word(c + PCI_STATUS, pci_get_word(c + PCI_STATUS) &
                 ~pci_get_word(dev->w1cmask + PCI_STATUS));
    c[PCI_CACHE_LINE_SIZE] = 0;
    c[PCI_LATENCY_TIMER] = 0;
    c[PCI_INTERRUPT_LINE] = 0;
    for (int n = 0; n < PCI_NUM_REGIONS; n++) {
        PCIBar *bar = &dev->bars[n];
        if (!bar->mr) {
            continue;
        }
        if (n == PCI_ROM_SLOT) {
            pci_set_long(c + bar_reg(n), 0);
        } else if (bar->type & PCI_BAR_MEM64) {
            pci_set_quad(c + bar_reg(n), bar->type);
        } else {
            pci_set_long(c + bar_reg(n), bar->type);
        }
    }
    dev->intx_level = 0;
    pci_intx_update(dev);
    msi_reset(dev);
    msix_reset(dev);
    pci_update_mappings(dev);
    if (dev->bus) {
        pci_bus_apply_intx_line(dev->bus, dev);
    }
    if (reset) {
        reset(dev);
    }
}

static const Property pci_device_props[] = {
    PROP_STRING("addr", PCIDevice, addr_prop, NULL,
                "Slot and function, SLOT[.FN] in hex (e.g. 0x3 or 04.1)"),
    PROP_BOOL("multifunction", PCIDevice, multifunction, false,
              "Set the multi-function bit in the header type"),
    PROP_END
};

const DeviceClass pci_device_class = {
    .name = TYPE_PCI_DEVICE,
    .desc = "PCI function",
    .instance_size = sizeof(PCIDevice),
    .props = pci_device_props,
    .bus_type = BUS_TYPE_PCI,
    .instance_init = pci_device_instance_init,
    .realize = pci_device_realize,
    .reset = pci_device_reset,
    .unrealize = pci_device_unrealize,
    .instance_finalize = pci_device_instance_finalize,
};
