/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Boot blobs and e820 tables for the x86 loaders and the pc machine. Loaders
 * prepare everything in host memory first, so that every error is found
 * before the guest is touched and a reset can replay the same bytes.
 */
#include <string.h>

#include "hw/i386/x86-boot.h"
#include "util/error.h"

static void boot_blob_clear(gpointer p)
{
    BootBlob *b = p;

    g_bytes_unref(b->data);
    b->data = NULL;
}

GArray *boot_blobs_new(void)
{
    GArray *a = g_array_new(FALSE, TRUE, sizeof(BootBlob));

    g_array_set_clear_func(a, boot_blob_clear);
    return a;
}

void boot_blobs_add(GArray *blobs, uint64_t addr, const void *data, size_t len,
                    uint64_t zero_len)
{
    BootBlob b = {
        .addr = addr,
        .data = g_bytes_new(data, len),
        .zero_len = zero_len,
    };

    g_array_append_val(blobs, b);
}

uint64_t boot_blobs_end(const GArray *blobs)
{
    uint64_t end = 0;

    for (guint i = 0; blobs && i < blobs->len; i++) {
        const BootBlob *b = &g_array_index(blobs, BootBlob, i);
        end = MAX(end, b->addr + g_bytes_get_size(b->data) + b->zero_len);
    }
    return end;
}

bool boot_blobs_write(AddressSpace *as, const GArray *blobs, GError **errp)
{
    static const uint8_t zeros[4096];

    for (guint i = 0; blobs && i < blobs->len; i++) {
        const BootBlob *b = &g_array_index(blobs, BootBlob, i);
        gsize len;
        const void *data = g_bytes_get_data(b->data, &len);
        MemTxResult r = address_space_write(as, b->addr, data, len);

        for (uint64_t off = 0; r == MEMTX_OK && off < b->zero_len; off += sizeof(zeros)) {
            r = address_space_write(as, b->addr + len + off, zeros,
                                    MIN(sizeof(zeros), b->zero_len - off));
        }
        if (r != MEMTX_OK) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                        "boot image: 0x%" G_GINT64_MODIFIER "x-0x%" G_GINT64_MODIFIER
                        "x is not RAM", b->addr, b->addr + len + b->zero_len);
            return false;
        }
    }
    return true;
}

GArray *e820_new(void)
{
    return g_array_new(FALSE, TRUE, sizeof(E820Entry));
}

void e820_add(GArray *t, uint64_t addr, uint64_t size, uint32_t type)
{
    E820Entry e = { .addr = addr, .size = size, .type = type };

    if (size) {
        g_array_append_val(t, e);
    }
}

GBytes *e820_pack(const GArray *t)
{
    uint8_t *buf = g_malloc0(t->len * E820_ENTRY_SIZE);

    for (guint i = 0; i < t->len; i++) {
        const E820Entry *e = &g_array_index(t, E820Entry, i);
        uint64_t a = GUINT64_TO_LE(e->addr), s = GUINT64_TO_LE(e->size);
        uint32_t ty = GUINT32_TO_LE(e->type);
        uint8_t *p = buf + i * E820_ENTRY_SIZE;

        memcpy(p, &a, 8);
        memcpy(p + 8, &s, 8);
        memcpy(p + 16, &ty, 4);
    }
    return g_bytes_new_take(buf, t->len * E820_ENTRY_SIZE);
}

uint64_t e820_ram_total(const GArray *t)
{
    uint64_t sum = 0;

    for (guint i = 0; i < t->len; i++) {
        const E820Entry *e = &g_array_index(t, E820Entry, i);
        if (e->type == E820_RAM) {
            sum += e->size;
        }
    }
    return sum;
}
