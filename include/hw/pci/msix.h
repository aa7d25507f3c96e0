/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * MSI-X: the capability (table size, function mask, enable), the vector
 * table and the Pending Bit Array, which live as MMIO subregions inside a
 * BAR of the device. Each table entry is address (64-bit), data and a vector
 * control word whose bit 0 masks the vector. A vector signalled while it or
 * the whole function is masked latches its PBA bit and is delivered when the
 * mask clears. Reset masks every vector, clears the PBA and disables MSI-X.
 */
#ifndef HW_PCI_MSIX_H
#define HW_PCI_MSIX_H

#include "hw/pci/pci.h"

/*
 * nentries vectors (1..2048); the table at table_offset in table_bar (BAR
 * table_bar_nr, a container the device registers as that BAR) and the PBA
 * at pba_offset in pba_bar. cap_pos 0 picks the capability offset.
 * Returns false with errp set on bad geometry or no capability space.
 */
bool msix_init(PCIDevice *dev, unsigned nentries,
               MemoryRegion *table_bar, uint8_t table_bar_nr,
               uint32_t table_offset,
               MemoryRegion *pba_bar, uint8_t pba_bar_nr,
               uint32_t pba_offset, uint8_t cap_pos, GError **errp);
/*
 * A BAR of its own ("<dev>-msix", 4 KiB or more, power of two) holding the
 * table at 0 and the PBA in the upper half, registered as 32-bit memory
 * BAR bar_nr. What virtio-pci and most emulated devices use.
 */
bool msix_init_exclusive_bar(PCIDevice *dev, unsigned nentries,
                             uint8_t bar_nr, GError **errp);
/* Removes the capability and subregions (the PCI core calls it on unplug). */
void msix_uninit(PCIDevice *dev);
bool msix_present(const PCIDevice *dev);
bool msix_enabled(const PCIDevice *dev);
bool msix_function_masked(const PCIDevice *dev);
unsigned msix_nr_vectors(const PCIDevice *dev);
bool msix_is_masked(const PCIDevice *dev, unsigned vector);
bool msix_is_pending(const PCIDevice *dev, unsigned vector);
void msix_get_message(PCIDevice *dev, unsigned vector, uint64_t *addr,
                      uint32_t *data);
/* Signal vector: deliver, or set its PBA bit when masked; no-op if disabled. */
void msix_notify(PCIDevice *dev, unsigned vector);
/* Drop a pending vector without delivering it (e.g. a queue reset). */
void msix_clr_pending(PCIDevice *dev, unsigned vector);

/*
 * fn runs after each guest write to vector's table entry (message or mask
 * bit), after a message the write unmasked went out; for devices that hand
 * the message to an accelerator (irqfd). One per device, NULL removes it;
 * msix_uninit() removes it too.
 */
typedef void (*MSIXVectorNotifier)(PCIDevice *dev, unsigned vector, void *opaque);
void msix_set_vector_notifier(PCIDevice *dev, MSIXVectorNotifier fn, void *opaque);

/* PCI core hooks. */
void msix_reset(PCIDevice *dev);
void msix_write_config(PCIDevice *dev, uint32_t addr, uint32_t val,
                       unsigned len);

#endif
