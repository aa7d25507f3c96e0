/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Message Signalled Interrupts: the MSI capability (32- or 64-bit address,
 * optional per-vector masking with pending bits) and its delivery. A device
 * calls msi_init from realize and msi_notify to signal; the guest programs
 * address, data and enable through config space. Masked vectors latch their
 * pending bit and fire when the guest unmasks them. Device reset disables
 * MSI and clears the message registers.
 */
#ifndef HW_PCI_MSI_H
#define HW_PCI_MSI_H

#include "hw/pci/pci.h"

/*
 * Add the MSI capability at offset (0: auto) for nr_vectors (1, 2, 4 .. 32)
 * vectors. Returns false with errp set on a bad vector count or no space.
 */
bool msi_init(PCIDevice *dev, uint8_t offset, unsigned nr_vectors,
              bool msi64bit, bool per_vector_mask, GError **errp);
void msi_uninit(PCIDevice *dev);
bool msi_present(const PCIDevice *dev);
bool msi_enabled(const PCIDevice *dev);
/* Vectors the guest enabled (1 << Multiple Message Enable). */
unsigned msi_nr_vectors_enabled(const PCIDevice *dev);
/* The message vector would send (data has the vector number merged in). */
void msi_get_message(PCIDevice *dev, unsigned vector, uint64_t *addr,
                     uint32_t *data);
bool msi_is_masked(const PCIDevice *dev, unsigned vector);
bool msi_is_pending(const PCIDevice *dev, unsigned vector);
/* Signal vector: deliver, or latch pending when masked; no-op if disabled. */
void msi_notify(PCIDevice *dev, unsigned vector);

/* PCI core hooks. */
void msi_reset(PCIDevice *dev);
void msi_write_config(PCIDevice *dev, uint32_t addr, uint32_t val,
                      unsigned len);

#endif
