/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * MSI-X: the capability in config space, and the vector table and Pending
 * Bit Array as MMIO subregions placed inside the device's BARs. The table
 * is kept as a little-endian byte image so that any guest access width
 * reads back what was written. A vector is masked when MSI-X is disabled,
 * the function is masked, or its own mask bit is set; signalling a masked
 * vector sets its PBA bit, and the pending message goes out when the last
 * of those masks clears.
 */
#include <inttypes.h>
#include <string.h>

#include "hw/pci/msix.h"
#include "util/error.h"
#include "util/log.h"

#define MSIX_MAX_ENTRIES 2048

typedef struct MSIXNotifier {
    MSIXVectorNotifier fn;
    void *opaque;
} MSIXNotifier;

/* PCIDevice * -> MSIXNotifier *; beside the device, few devices want one. */
static GHashTable *msix_notifiers;

void msix_set_vector_notifier(PCIDevice *dev, MSIXVectorNotifier fn, void *opaque)
{
    MSIXNotifier *n;

    if (!fn) {
        if (msix_notifiers) {
            g_hash_table_remove(msix_notifiers, dev);
        }
        return;
    }
    if (!msix_notifiers) {
        msix_notifiers = g_hash_table_new_full(NULL, NULL, NULL, g_free);
    }
    n = g_new(MSIXNotifier, 1);
    *n = (MSIXNotifier){ .fn = fn, .opaque = opaque };
    g_hash_table_insert(msix_notifiers, dev, n);
}

static uint16_t msix_control(const PCIDevice *dev)
{
    return pci_get_word(dev->config + dev->msix_cap + PCI_MSIX_FLAGS);
}

bool msix_present(const PCIDevice *dev)
{
    return dev->msix_cap != 0;
}

bool msix_enabled(const PCIDevice *dev)
{
    return msix_present(dev) && (msix_control(dev) & PCI_MSIX_FLAGS_ENABLE);
}

bool msix_function_masked(const PCIDevice *dev)
{
    return !msix_enabled(dev) || (msix_control(dev) & PCI_MSIX_FLAGS_MASKALL);
}

unsigned msix_nr_vectors(const PCIDevice *dev)
{
    return dev->msix_entries;
}

static uint8_t *msix_entry(const PCIDevice *dev, unsigned vector)
{
    g_assert(vector < dev->msix_entries);
    return dev->msix_table + vector * PCI_MSIX_ENTRY_SIZE;
}

static bool msix_vector_masked(const PCIDevice *dev, unsigned vector)
{
    return pci_get_long(msix_entry(dev, vector) + PCI_MSIX_ENTRY_VECTOR_CTRL) &
           PCI_MSIX_ENTRY_CTRL_MASKBIT;
}

bool msix_is_masked(const PCIDevice *dev, unsigned vector)
{
    return msix_function_masked(dev) || msix_vector_masked(dev, vector);
}

bool msix_is_pending(const PCIDevice *dev, unsigned vector)
{
    g_assert(vector < dev->msix_entries);
    return dev->msix_pba[vector / 8] & (1u << (vector % 8));
}

static void msix_set_pending(PCIDevice *dev, unsigned vector, bool on)
{
    g_assert(vector < dev->msix_entries);
    if (on) {
        dev->msix_pba[vector / 8] |= 1u << (vector % 8);
    } else {
        dev->msix_pba[vector / 8] &= ~(1u << (vector % 8));
    }
}

void msix_clr_pending(PCIDevice *dev, unsigned vector)
{
    if (msix_present(dev)) {
        msix_set_pending(dev, vector, false);
    }
}

void msix_get_message(PCIDevice *dev, unsigned vector, uint64_t *addr,
                      uint32_t *data)
{
    uint8_t *e = msix_entry(dev, vector);

    *addr = pci_get_quad(e + PCI_MSIX_ENTRY_LOWER_ADDR);
    *data = pci_get_long(e + PCI_MSIX_ENTRY_DATA);
}

static void msix_send(PCIDevice *dev, unsigned vector)
{
    uint64_t addr;
    uint32_t data;

    msix_get_message(dev, vector, &addr, &data);
    pci_msi_send(dev, addr, data);
}

void msix_notify(PCIDevice *dev, unsigned vector)
{
    if (!msix_enabled(dev)) {
        return;
    }
    if (vector >= dev->msix_entries) {
        log_guest_error("pci: %s: MSI-X vector %u beyond the table (%u)\n",
                        device_type_name(&dev->parent), vector,
                        dev->msix_entries);
        return;
    }
    if (msix_is_masked(dev, vector)) {
        msix_set_pending(dev, vector, true);
        return;
    }
    msix_send(dev, vector);
}

/* A vector just became unmasked: send what it latched. */
static void msix_unmasked(PCIDevice *dev, unsigned vector)
{
    if (msix_is_pending(dev, vector) && !msix_is_masked(dev, vector)) {
        msix_set_pending(dev, vector, false);
        msix_send(dev, vector);
    }
}

/* ---- table and PBA regions ----------------------------------------- */

static uint64_t msix_table_read(void *opaque, uint64_t addr, unsigned size)
{
    PCIDevice *dev = opaque;

    return pci_get_long(dev->msix_table + addr);
}

static void msix_table_write(void *opaque, uint64_t addr, uint64_t val,
                             unsigned size)
{
    PCIDevice *dev = opaque;
    unsigned vector = addr / PCI_MSIX_ENTRY_SIZE;
    bool was_masked = msix_is_masked(dev, vector);

    /* Reserved vector-control bits read as zero. */
    if ((addr % PCI_MSIX_ENTRY_SIZE) == PCI_MSIX_ENTRY_VECTOR_CTRL) {
        val &= PCI_MSIX_ENTRY_CTRL_MASKBIT;
    }
    pci_set_long(dev->msix_table + addr, val);
    if (was_masked && !msix_is_masked(dev, vector)) {
        msix_unmasked(dev, vector);
    }
    if (msix_notifiers) {
        MSIXNotifier *n = g_hash_table_lookup(msix_notifiers, dev);

        if (n) {
            n->fn(dev, vector, n->opaque);
        }
    }
}

static const MemoryRegionOps msix_table_ops = {
    .read = msix_table_read,
    .write = msix_table_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 4, .max_access_size = 8 },
    .impl = { .min_access_size = 4, .max_access_size = 4 },
};

static uint64_t msix_pba_read(void *opaque, uint64_t addr, unsigned size)
{
    PCIDevice *dev = opaque;
    unsigned bytes = (dev->msix_entries + 7) / 8;
    uint32_t val = 0;

    for (unsigned i = 0; i < 4; i++) {
        if (addr + i < bytes) {
            val |= (uint32_t)dev->msix_pba[addr + i] << (8 * i);
        }
    }
    return val;
}

static void msix_pba_write(void *opaque, uint64_t addr, uint64_t val,
                           unsigned size)
{
    PCIDevice *dev = opaque;

    log_guest_error("pci: %s: write to the read-only MSI-X PBA at 0x%" PRIx64
                    "\n", device_type_name(&dev->parent), addr);
}

static const MemoryRegionOps msix_pba_ops = {
    .read = msix_pba_read,
    .write = msix_pba_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 4, .max_access_size = 8 },
    .impl = { .min_access_size = 4, .max_access_size = 4 },
};

/* ---- set-up -------------------------------------------------------- */

static void msix_reset_table(PCIDevice *dev)
{
    memset(dev->msix_table, 0, dev->msix_entries * PCI_MSIX_ENTRY_SIZE);
    for (unsigned v = 0; v < dev->msix_entries; v++) {
        pci_set_long(msix_entry(dev, v) + PCI_MSIX_ENTRY_VECTOR_CTRL,
                     PCI_MSIX_ENTRY_CTRL_MASKBIT);
    }
    memset(dev->msix_pba, 0, ((dev->msix_entries + 63) / 64) * 8);
}

bool msix_init(PCIDevice *dev, unsigned nentries,
               MemoryRegion *table_bar, uint8_t table_bar_nr,
               uint32_t table_offset,
               MemoryRegion *pba_bar, uint8_t pba_bar_nr,
               uint32_t pba_offset, uint8_t cap_pos, GError **errp)
{
    const char *name = device_type_name(&dev->parent);
    uint64_t table_size = (uint64_t)nentries * PCI_MSIX_ENTRY_SIZE;
    uint64_t pba_size = ((nentries + 63) / 64) * 8;
    uint8_t cap;

    g_assert(!dev->msix_cap);
    if (!nentries || nentries > MSIX_MAX_ENTRIES) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "MSI-X: %u vectors requested for %s, expected 1 to %u",
                    nentries, name, MSIX_MAX_ENTRIES);
        return false;
    }
    if (table_bar_nr >= PCI_NUM_BARS || pba_bar_nr >= PCI_NUM_BARS ||
        (table_offset & 7) || (pba_offset & 7) ||
        table_offset + table_size > memory_region_size(table_bar) ||
        pba_offset + pba_size > memory_region_size(pba_bar) ||
        (table_bar == pba_bar &&
         table_offset < pba_offset + pba_size &&
         pba_offset < table_offset + table_size)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "MSI-X: bad table/PBA placement for %s (BAR %u at 0x%x, "
                    "BAR %u at 0x%x)", name, table_bar_nr, table_offset,
                    pba_bar_nr, pba_offset);
        return false;
    }
    cap = pci_add_capability(dev, PCI_CAP_ID_MSIX, cap_pos, PCI_MSIX_CAP_SIZE,
                             errp);
    if (!cap) {
        return false;
    }
    dev->msix_cap = cap;
    dev->msix_entries = nentries;
    pci_set_word(dev->config + cap + PCI_MSIX_FLAGS, nentries - 1);
    pci_set_long(dev->config + cap + PCI_MSIX_TABLE, table_offset | table_bar_nr);
    pci_set_long(dev->config + cap + PCI_MSIX_PBA, pba_offset | pba_bar_nr);
    pci_set_word(dev->wmask + cap + PCI_MSIX_FLAGS,
                 PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);

    dev->msix_table = g_malloc0(table_size);
    dev->msix_pba = g_malloc0(pba_size);
    msix_reset_table(dev);
    dev->msix_was_masked = true;

    memory_region_init_io(&dev->msix_table_mr, &msix_table_ops, dev,
                          "msix-table", table_size);
    memory_region_init_io(&dev->msix_pba_mr, &msix_pba_ops, dev, "msix-pba",
                          pba_size);
    memory_region_add_subregion(table_bar, table_offset, &dev->msix_table_mr);
    memory_region_add_subregion(pba_bar, pba_offset, &dev->msix_pba_mr);
    dev->msix_table_bar = table_bar;
    dev->msix_pba_bar = pba_bar;
    return true;
}

bool msix_init_exclusive_bar(PCIDevice *dev, unsigned nentries,
                             uint8_t bar_nr, GError **errp)
{
    uint64_t half = 2048;
    g_autofree char *name = NULL;

    if (nentries > MSIX_MAX_ENTRIES || bar_nr >= PCI_NUM_BARS) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "MSI-X: %u vectors in BAR %u requested for %s, expected "
                    "1 to %u in BAR 0-5", nentries, bar_nr,
                    device_type_name(&dev->parent), MSIX_MAX_ENTRIES);
        return false;
    }
    /* Table in the lower half, PBA (an eighth of the table or less) above. */
    while (half < (uint64_t)nentries * PCI_MSIX_ENTRY_SIZE) {
        half <<= 1;
    }
    name = g_strdup_printf("%s-msix", device_type_name(&dev->parent));
    memory_region_init(&dev->msix_exclusive_bar, name, half * 2);
    if (!msix_init(dev, nentries, &dev->msix_exclusive_bar, bar_nr, 0,
                   &dev->msix_exclusive_bar, bar_nr, half, 0, errp)) {
        memory_region_destroy(&dev->msix_exclusive_bar);
        return false;
    }
    dev->msix_has_exclusive_bar = true;
    pci_register_bar(dev, bar_nr, PCI_BAR_MEM32, &dev->msix_exclusive_bar);
    return true;
}

void msix_uninit(PCIDevice *dev)
{
    if (!dev->msix_cap) {
        return;
    }
    msix_set_vector_notifier(dev, NULL, NULL);
    if (dev->msix_has_exclusive_bar) {
        for (int n = 0; n < PCI_NUM_BARS; n++) {
            if (dev->bars[n].mr == &dev->msix_exclusive_bar) {
                pci_unregister_bar(dev, n);
            }
        }
    }
    memory_region_del_subregion(dev->msix_table_bar, &dev->msix_table_mr);
    memory_region_del_subregion(dev->msix_pba_bar, &dev->msix_pba_mr);
    memory_region_destroy(&dev->msix_table_mr);
    memory_region_destroy(&dev->msix_pba_mr);
    if (dev->msix_has_exclusive_bar) {
        memory_region_destroy(&dev->msix_exclusive_bar);
        dev->msix_has_exclusive_bar = false;
    }
    pci_del_capability(dev, PCI_CAP_ID_MSIX, PCI_MSIX_CAP_SIZE);
    dev->msix_cap = 0;
    dev->msix_entries = 0;
    g_clear_pointer(&dev->msix_table, g_free);
    g_clear_pointer(&dev->msix_pba, g_free);
    dev->msix_table_bar = dev->msix_pba_bar = NULL;
}

void msix_reset(PCIDevice *dev)
{
    if (!msix_present(dev)) {
        return;
    }
    pci_set_word(dev->config + dev->msix_cap + PCI_MSIX_FLAGS,
                 msix_control(dev) &
                 ~(PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL));
    msix_reset_table(dev);
    dev->msix_was_masked = true;
}

void msix_write_config(PCIDevice *dev, uint32_t addr, uint32_t val,
                       unsigned len)
{
    uint32_t ctl = dev->msix_cap + PCI_MSIX_FLAGS;
    bool masked;

    if (!msix_present(dev) || addr >= ctl + 2 || addr + len <= ctl) {
        return;
    }
    masked = msix_function_masked(dev);
    if (msix_enabled(dev)) {
        /* INTx and MSI-X are exclusive. */
        pci_set_irq(dev, 0);
    }
    if (dev->msix_was_masked && !masked) {
        for (unsigned v = 0; v < dev->msix_entries; v++) {
            msix_unmasked(dev, v);
        }
    }
    dev->msix_was_masked = masked;
}
