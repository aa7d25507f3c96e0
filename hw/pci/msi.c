/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The MSI capability. Its registers live in config space; the layout moves
 * with the 64-bit and per-vector-mask flags, so every access goes through
 * the offset helpers below. Enabling MSI deasserts INTx (the function may
 * use only one mechanism), and unmasking a pending vector sends it.
 */
#include <inttypes.h>

#include "hw/pci/msi.h"
#include "util/error.h"
#include "util/log.h"

static uint16_t msi_flags(const PCIDevice *dev)
{
    return pci_get_word(dev->config + dev->msi_cap + PCI_MSI_FLAGS);
}

static bool msi_is_64(uint16_t flags)
{
    return flags & PCI_MSI_FLAGS_64BIT;
}

static bool msi_has_mask(uint16_t flags)
{
    return flags & PCI_MSI_FLAGS_MASKBIT;
}

static unsigned msi_data_off(uint16_t flags)
{
    return msi_is_64(flags) ? PCI_MSI_DATA_64 : PCI_MSI_DATA_32;
}

static unsigned msi_mask_off(uint16_t flags)
{
    return msi_is_64(flags) ? PCI_MSI_MASK_64 : PCI_MSI_MASK_32;
}

static unsigned msi_pending_off(uint16_t flags)
{
    return msi_is_64(flags) ? PCI_MSI_PENDING_64 : PCI_MSI_PENDING_32;
}

static unsigned msi_cap_size(uint16_t flags)
{
    if (msi_has_mask(flags)) {
        return msi_is_64(flags) ? 0x18 : 0x14;
    }
    return msi_is_64(flags) ? 0x0e : 0x0a;
}

bool msi_present(const PCIDevice *dev)
{
    return dev->msi_cap != 0;
}

bool msi_enabled(const PCIDevice *dev)
{
    return msi_present(dev) && (msi_flags(dev) & PCI_MSI_FLAGS_ENABLE);
}

unsigned msi_nr_vectors_enabled(const PCIDevice *dev)
{
    if (!msi_present(dev)) {
        return 0;
    }
    return 1u << ((msi_flags(dev) & PCI_MSI_FLAGS_QSIZE) >> 4);
}

bool msi_init(PCIDevice *dev, uint8_t offset, unsigned nr_vectors,
              bool msi64bit, bool per_vector_mask, GError **errp)
{
    uint16_t flags = 0;
    unsigned log2 = 0;
    uint8_t cap;
    uint8_t *w;

    if (!nr_vectors || nr_vectors > 32 || (nr_vectors & (nr_vectors - 1))) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "MSI: %u vectors requested for %s, expected a power of "
                    "two from 1 to 32", nr_vectors,
                    device_type_name(&dev->parent));
        return false;
    }
    g_assert(!dev->msi_cap);
    while ((1u << log2) < nr_vectors) {
        log2++;
    }
    flags = log2 << 1;
    if (msi64bit) {
        flags |= PCI_MSI_FLAGS_64BIT;
    }
    if (per_vector_mask) {
        flags |= PCI_MSI_FLAGS_MASKBIT;
    }
    cap = pci_add_capability(dev, PCI_CAP_ID_MSI, offset, msi_cap_size(flags),
                             errp);
    if (!cap) {
        return false;
    }
    dev->msi_cap = cap;
    pci_set_word(dev->config + cap + PCI_MSI_FLAGS, flags);
    w = dev->wmask + cap;
    pci_set_word(w + PCI_MSI_FLAGS, PCI_MSI_FLAGS_ENABLE | PCI_MSI_FLAGS_QSIZE);
    pci_set_long(w + PCI_MSI_ADDRESS_LO, 0xfffffffc);
    if (msi64bit) {
        pci_set_long(w + PCI_MSI_ADDRESS_HI, 0xffffffff);
    }
    pci_set_word(w + msi_data_off(flags), 0xffff);
    if (per_vector_mask) {
        pci_set_long(w + msi_mask_off(flags),
                     nr_vectors == 32 ? 0xffffffffu : (1u << nr_vectors) - 1);
    }
    return true;
}

void msi_uninit(PCIDevice *dev)
{
    if (!dev->msi_cap) {
        return;
    }
    pci_del_capability(dev, PCI_CAP_ID_MSI, msi_cap_size(msi_flags(dev)));
    dev->msi_cap = 0;
}

void msi_get_message(PCIDevice *dev, unsigned vector, uint64_t *addr,
                     uint32_t *data)
{
    uint8_t *c = dev->config + dev->msi_cap;
    uint16_t flags = msi_flags(dev);
    unsigned nvec = msi_nr_vectors_enabled(dev);
    uint32_t d;

    g_assert(msi_present(dev));
    *addr = pci_get_long(c + PCI_MSI_ADDRESS_LO);
    if (msi_is_64(flags)) {
        *addr |= (uint64_t)pci_get_long(c + PCI_MSI_ADDRESS_HI) << 32;
    }
    d = pci_get_word(c + msi_data_off(flags));
    /* Multiple messages: the vector replaces the low data bits. */
    if (nvec > 1) {
        d = (d & ~(nvec - 1)) | (vector & (nvec - 1));
    }
    *data = d;
}

bool msi_is_masked(const PCIDevice *dev, unsigned vector)
{
    uint16_t flags;

    if (!msi_present(dev)) {
        return false;
    }
    flags = msi_flags(dev);
    if (!msi_has_mask(flags)) {
        return false;
    }
    return pci_get_long(dev->config + dev->msi_cap + msi_mask_off(flags)) &
           (1u << vector);
}

bool msi_is_pending(const PCIDevice *dev, unsigned vector)
{
    uint16_t flags;

    if (!msi_present(dev)) {
        return false;
    }
    flags = msi_flags(dev);
    if (!msi_has_mask(flags)) {
        return false;
    }
    return pci_get_long(dev->config + dev->msi_cap + msi_pending_off(flags)) &
           (1u << vector);
}

static void msi_set_pending(PCIDevice *dev, unsigned vector, bool on)
{
    uint8_t *p = dev->config + dev->msi_cap + msi_pending_off(msi_flags(dev));
    uint32_t v = pci_get_long(p);

    pci_set_long(p, on ? v | (1u << vector) : v & ~(1u << vector));
}

static void msi_send_vector(PCIDevice *dev, unsigned vector)
{
    uint64_t addr;
    uint32_t data;

    msi_get_message(dev, vector, &addr, &data);
    pci_msi_send(dev, addr, data);
}

void msi_notify(PCIDevice *dev, unsigned vector)
{
    if (!msi_enabled(dev)) {
        return;
    }
    if (vector >= msi_nr_vectors_enabled(dev)) {
        log_guest_error("pci: %s: MSI vector %u beyond the %u enabled\n",
                        device_type_name(&dev->parent), vector,
                        msi_nr_vectors_enabled(dev));
        return;
    }
    if (msi_is_masked(dev, vector)) {
        msi_set_pending(dev, vector, true);
        return;
    }
    msi_send_vector(dev, vector);
}

void msi_reset(PCIDevice *dev)
{
    uint8_t *c;
    uint16_t flags;

    if (!msi_present(dev)) {
        return;
    }
    c = dev->config + dev->msi_cap;
    flags = msi_flags(dev) & ~(PCI_MSI_FLAGS_ENABLE | PCI_MSI_FLAGS_QSIZE);
    pci_set_word(c + PCI_MSI_FLAGS, flags);
    pci_set_long(c + PCI_MSI_ADDRESS_LO, 0);
    if (msi_is_64(flags)) {
        pci_set_long(c + PCI_MSI_ADDRESS_HI, 0);
    }
    pci_set_word(c + msi_data_off(flags), 0);
    if (msi_has_mask(flags)) {
        pci_set_long(c + msi_mask_off(flags), 0);
        pci_set_long(c + msi_pending_off(flags), 0);
    }
}

void msi_write_config(PCIDevice *dev, uint32_t addr, uint32_t val,
                      unsigned len)
{
    uint16_t flags;
    unsigned mmc, mme;

    if (!msi_present(dev)) {
        return;
    }
    flags = msi_flags(dev);
    if (addr >= dev->msi_cap + msi_cap_size(flags) ||
        addr + len <= dev->msi_cap) {
        return;
    }
    /* The guest may not enable more vectors than the function supports. */
    mmc = (flags & PCI_MSI_FLAGS_QMASK) >> 1;
    mme = (flags & PCI_MSI_FLAGS_QSIZE) >> 4;
    if (mme > mmc) {
        flags = (flags & ~PCI_MSI_FLAGS_QSIZE) | (mmc << 4);
        pci_set_word(dev->config + dev->msi_cap + PCI_MSI_FLAGS, flags);
    }
    if (!(flags & PCI_MSI_FLAGS_ENABLE)) {
        return;
    }
    pci_set_irq(dev, 0);
    if (!msi_has_mask(flags)) {
        return;
    }
    for (unsigned v = 0; v < msi_nr_vectors_enabled(dev); v++) {
        if (msi_is_pending(dev, v) && !msi_is_masked(dev, v)) {
            msi_set_pending(dev, v, false);
            msi_send_vector(dev, v);
        }
    }
}
