/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fw_cfg: the item store, the DMA engine and the I/O and MMIO front ends.
 *
 * Interface:
 *  - fw_cfg_io: regions "fwcfg" (selector + data, 2 ports at iobase) and
 *    "fwcfg.dma" (8 ports at iobase + 4)
 *  - fw_cfg_mmio: regions "fwcfg.data" (8 bytes at base), "fwcfg.ctl"
 *    (2 bytes at base + 8), "fwcfg.dma" (8 bytes at base + 16)
 *  - no interrupts; DMA into address_space_memory()
 *
 * Reads past the end of an item (or of no item) give 0, as on QEMU. Items
 * are read-only: the data register ignores writes and a DMA write fails
 * with the error bit.
 */
#include <string.h>

#include "hw/nvram/fw_cfg.h"
#include "system/memory.h"
#include "util/error.h"
#include "util/log.h"

#define FW_CFG_DMA_DESC_SIZE 16   /* BE32 control, BE32 length, BE64 address */

typedef struct FwCfgFile {
    char name[FW_CFG_MAX_FILE_PATH];
    uint16_t key;
} FwCfgFile;

struct FwCfgState {
    DeviceState parent;
    uint32_t iobase;                /* fw_cfg_io property */
    bool dma_enabled;               /* property */
    bool mmio;
    GHashTable *items;              /* GUINT_TO_POINTER(key) -> GBytes */
    GArray *files;                  /* FwCfgFile, sorted by name */
    uint16_t next_file_key;
    /* access state */
    uint16_t cur_key;
    uint32_t cur_off;
    uint64_t dma_addr;
    MemoryRegion regs[3];
    int nregs;
};

/* ---- the store ---- */

GBytes *fw_cfg_get(FwCfgState *s, uint16_t key)
{
    return g_hash_table_lookup(s->items, GUINT_TO_POINTER(key & ~FW_CFG_WRITE_CHANNEL));
}

void fw_cfg_add_gbytes(FwCfgState *s, uint16_t key, GBytes *data)
{
    g_hash_table_insert(s->items, GUINT_TO_POINTER(key), g_bytes_ref(data));
}

void fw_cfg_add_bytes(FwCfgState *s, uint16_t key, const void *data, size_t len)
{
    g_hash_table_insert(s->items, GUINT_TO_POINTER(key), g_bytes_new(data, len));
}

void fw_cfg_add_string(FwCfgState *s, uint16_t key, const char *str)
{
    fw_cfg_add_bytes(s, key, str, strlen(str) + 1);
}

void fw_cfg_add_i16(FwCfgState *s, uint16_t key, uint16_t v)
{
    uint16_t le = GUINT16_TO_LE(v);

    fw_cfg_add_bytes(s, key, &le, sizeof(le));
}

void fw_cfg_add_i32(FwCfgState *s, uint16_t key, uint32_t v)
{
    uint32_t le = GUINT32_TO_LE(v);

    fw_cfg_add_bytes(s, key, &le, sizeof(le));
}

void fw_cfg_add_i64(FwCfgState *s, uint16_t key, uint64_t v)
{
    uint64_t le = GUINT64_TO_LE(v);

    fw_cfg_add_bytes(s, key, &le, sizeof(le));
}

int fw_cfg_find_file(FwCfgState *s, const char *name)
{
    for (guint i = 0; i < s->files->len; i++) {
        const FwCfgFile *f = &g_array_index(s->files, FwCfgFile, i);
        if (!strcmp(f->name, name)) {
            return f->key;
        }
    }
    return -1;
}

/* BE32 count, then { BE32 size, BE16 key, BE16 reserved, name[56] }. */
static void fw_cfg_update_dir(FwCfgState *s)
{
    size_t len = 4 + s->files->len * (8 + FW_CFG_MAX_FILE_PATH);
    uint8_t *dir = g_malloc0(len);
    uint32_t count = GUINT32_TO_BE(s->files->len);

    memcpy(dir, &count, 4);
    for (guint i = 0; i < s->files->len; i++) {
        const FwCfgFile *f = &g_array_index(s->files, FwCfgFile, i);
        uint8_t *e = dir + 4 + i * (8 + FW_CFG_MAX_FILE_PATH);
        GBytes *b = fw_cfg_get(s, f->key);
        uint32_t size = GUINT32_TO_BE(b ? (uint32_t)g_bytes_get_size(b) : 0);
        uint16_t key = GUINT16_TO_BE(f->key);

        memcpy(e, &size, 4);
        memcpy(e + 4, &key, 2);
        memcpy(e + 8, f->name, strlen(f->name));
    }
    g_hash_table_insert(s->items, GUINT_TO_POINTER(FW_CFG_FILE_DIR), g_bytes_new_take(dir, len));
}

static gint fw_cfg_file_cmp(gconstpointer a, gconstpointer b)
{
    return strcmp(((const FwCfgFile *)a)->name, ((const FwCfgFile *)b)->name);
}

bool fw_cfg_add_file(FwCfgState *s, const char *name, const void *data, size_t len,
                     GError **errp)
{
    int key = fw_cfg_find_file(s, name);
    FwCfgFile f = { 0 };

    if (strlen(name) >= FW_CFG_MAX_FILE_PATH || !*name) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "fw_cfg: file name '%s' must have 1 to %d characters", name,
                    FW_CFG_MAX_FILE_PATH - 1);
        return false;
    }
    if (key < 0) {
        if (s->next_file_key >= FW_CFG_FILE_FIRST + FW_CFG_FILE_SLOTS) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_FAILED,
                        "fw_cfg: no free slot for file '%s'", name);
            return false;
        }
        key = s->next_file_key++;
        strcpy(f.name, name);
        f.key = key;
        g_array_append_val(s->files, f);
        g_array_sort(s->files, fw_cfg_file_cmp);
    }
    fw_cfg_add_bytes(s, key, data, len);
    fw_cfg_update_dir(s);
    return true;
}

/* ---- access, shared by the front ends ---- */

static void fw_cfg_select(FwCfgState *s, uint16_t key)
{
    s->cur_key = key;
    s->cur_off = 0;
    log_mask(LOG_TRACE, "fw_cfg: select 0x%x\n", key);
}

static uint8_t fw_cfg_read_byte(FwCfgState *s)
{
    GBytes *b = fw_cfg_get(s, s->cur_key);
    gsize len;
    const uint8_t *d = b ? g_bytes_get_data(b, &len) : NULL;

    if (!d || s->cur_off >= len) {
        return 0;
    }
    return d[s->cur_off++];
}

static uint64_t fw_cfg_read_be(FwCfgState *s, unsigned size)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < size; i++) {
        v = (v << 8) | fw_cfg_read_byte(s);
    }
    return v;
}

/* Run the descriptor at s->dma_addr and write the status back. */
static void fw_cfg_dma_run(FwCfgState *s)
{
    AddressSpace *as = address_space_memory();
    uint8_t desc[FW_CFG_DMA_DESC_SIZE];
    uint32_t control, length;
    uint64_t addr, desc_addr = s->dma_addr;
    uint32_t status = 0;

    s->dma_addr = 0;
    if (address_space_read(as, desc_addr, desc, sizeof(desc)) != MEMTX_OK) {
        log_guest_error("fw_cfg: DMA descriptor at 0x%" G_GINT64_MODIFIER "x is not memory\n",
                        desc_addr);
        status = FW_CFG_DMA_ERROR;
        goto done;
    }
    memcpy(&control, desc, 4);
    memcpy(&length, desc + 4, 4);
    memcpy(&addr, desc + 8, 8);
    control = GUINT32_FROM_BE(control);
    length = GUINT32_FROM_BE(length);
    addr = GUINT64_FROM_BE(addr);
    log_mask(LOG_TRACE, "fw_cfg: DMA control 0x%x length %u addr 0x%" G_GINT64_MODIFIER "x\n",
             control, length, addr);

    if (control & FW_CFG_DMA_SELECT) {
        fw_cfg_select(s, control >> 16);
    }
    if (control & FW_CFG_DMA_WRITE) {
        /* Nothing is writable. */
        log_guest_error("fw_cfg: DMA write to read-only item 0x%x\n", s->cur_key);
        status = FW_CFG_DMA_ERROR;
    } else if (control & FW_CFG_DMA_READ) {
        GBytes *b = fw_cfg_get(s, s->cur_key);
        gsize len = 0;
        const uint8_t *d = b ? g_bytes_get_data(b, &len) : NULL;
        uint64_t avail = d && s->cur_off < len ? len - s->cur_off : 0;
        uint64_t n = MIN(avail, (uint64_t)length);
        static const uint8_t zeros[256];

        if (n && address_space_write(as, addr, d + s->cur_off, n) != MEMTX_OK) {
            status = FW_CFG_DMA_ERROR;
        }
        /* Past the end of the item the guest gets zeros. */
        for (uint64_t off = n; !status && off < length; off += sizeof(zeros)) {
            if (address_space_write(as, addr + off, zeros,
                                    MIN(sizeof(zeros), length - off)) != MEMTX_OK) {
                status = FW_CFG_DMA_ERROR;
            }
        }
        s->cur_off += n;
    } else if (control & FW_CFG_DMA_SKIP) {
        s->cur_off += length;
    }
done:
    status = GUINT32_TO_BE(status);
    address_space_write(as, desc_addr, &status, sizeof(status));
}

static uint64_t fw_cfg_dma_read(void *opaque, uint64_t addr, unsigned size)
{
    /* The DMA register reads as the signature (big-endian "QEMU CFG"). */
    if (size == 8) {
        return FW_CFG_DMA_SIGNATURE;
    }
    return addr == 0 ? FW_CFG_DMA_SIGNATURE >> 32 : (uint32_t)FW_CFG_DMA_SIGNATURE;
}

static void fw_cfg_dma_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    FwCfgState *s = opaque;

    if (size == 8 && addr == 0) {
        s->dma_addr = val;
        fw_cfg_dma_run(s);
    } else if (size == 4 && addr == 0) {
        s->dma_addr = (s->dma_addr & 0xffffffffull) | (val << 32);
    } else if (size == 4 && addr == 4) {
        s->dma_addr = (s->dma_addr & ~0xffffffffull) | (uint32_t)val;
        fw_cfg_dma_run(s);
    } else {
        log_guest_error("fw_cfg: bad DMA register access at +%u size %u\n", (unsigned)addr,
                        size);
    }
}

static const MemoryRegionOps fw_cfg_dma_ops = {
    .read = fw_cfg_dma_read,
    .write = fw_cfg_dma_write,
    .endianness = DEVICE_BIG_ENDIAN,
    .valid = { .min_access_size = 4, .max_access_size = 8 },
};

/* I/O: port base = selector (16-bit write), base + 1 = data (8-bit read). */
static uint64_t fw_cfg_io_read(void *opaque, uint64_t addr, unsigned size)
{
    FwCfgState *s = opaque;

    if (addr == 1 && size == 1) {
        return fw_cfg_read_byte(s);
    }
    log_guest_error("fw_cfg: bad read at port +%u size %u\n", (unsigned)addr, size);
    return 0;
}

static void fw_cfg_io_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    FwCfgState *s = opaque;

    if (addr == 0) {
        fw_cfg_select(s, (uint16_t)val);
    } else {
        /* The data port has ignored writes since QEMU 2.4. */
        log_guest_error("fw_cfg: write 0x%x to the data port ignored\n", (unsigned)val);
    }
}

static const MemoryRegionOps fw_cfg_io_ops = {
    .read = fw_cfg_io_read,
    .write = fw_cfg_io_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 2 },
};

/* MMIO: the data register reads the stream in order, MSB first (BE). */
static uint64_t fw_cfg_mmio_data_read(void *opaque, uint64_t addr, unsigned size)
{
    return fw_cfg_read_be(opaque, size);
}

static const MemoryRegionOps fw_cfg_mmio_data_ops = {
    .read = fw_cfg_mmio_data_read,
    .endianness = DEVICE_BIG_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 8 },
};

static void fw_cfg_mmio_ctl_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    fw_cfg_select(opaque, (uint16_t)val);
}

static const MemoryRegionOps fw_cfg_mmio_ctl_ops = {
    .write = fw_cfg_mmio_ctl_write,
    .endianness = DEVICE_BIG_ENDIAN,
    .valid = { .min_access_size = 2, .max_access_size = 2 },
};

/* ---- device ---- */

static void fw_cfg_instance_init(DeviceState *dev)
{
    FwCfgState *s = (FwCfgState *)dev;
    static const char sig[4] = { 'Q', 'E', 'M', 'U' };

    s->items = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                     (GDestroyNotify)g_bytes_unref);
    s->files = g_array_new(FALSE, TRUE, sizeof(FwCfgFile));
    s->next_file_key = FW_CFG_FILE_FIRST;
    fw_cfg_add_bytes(s, FW_CFG_SIGNATURE, sig, sizeof(sig));
    fw_cfg_update_dir(s);
}

static bool fw_cfg_realize(DeviceState *dev, GError **errp)
{
    FwCfgState *s = (FwCfgState *)dev;

    fw_cfg_add_i32(s, FW_CFG_ID, FW_CFG_ID_TRADITIONAL | (s->dma_enabled ? FW_CFG_ID_DMA : 0));
    if (s->mmio) {
        memory_region_init_io(&s->regs[0], &fw_cfg_mmio_data_ops, s, "fwcfg.data", 8);
        memory_region_init_io(&s->regs[1], &fw_cfg_mmio_ctl_ops, s, "fwcfg.ctl", 2);
        s->nregs = 2;
        if (s->dma_enabled) {
            memory_region_init_io(&s->regs[s->nregs++], &fw_cfg_dma_ops, s, "fwcfg.dma", 8);
        }
        for (int i = 0; i < s->nregs; i++) {
            device_init_mmio(dev, &s->regs[i]);
        }
        return true;
    }
    if (s->iobase > 0x10000 - 12) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "iobase 0x%x is out of range",
                    s->iobase);
        return false;
    }
    memory_region_init_io(&s->regs[0], &fw_cfg_io_ops, s, "fwcfg", 2);
    device_pio_map(dev, device_init_pio(dev, &s->regs[0]), s->iobase);
    s->nregs = 1;
    if (s->dma_enabled) {
        memory_region_init_io(&s->regs[1], &fw_cfg_dma_ops, s, "fwcfg.dma", 8);
        device_pio_map(dev, device_init_pio(dev, &s->regs[1]), s->iobase + 4);
        s->nregs = 2;
    }
    return true;
}

static void fw_cfg_mmio_instance_init(DeviceState *dev)
{
    fw_cfg_instance_init(dev);
    ((FwCfgState *)dev)->mmio = true;
}

static void fw_cfg_reset(DeviceState *dev)
{
    FwCfgState *s = (FwCfgState *)dev;

    fw_cfg_select(s, FW_CFG_SIGNATURE);
    s->dma_addr = 0;
}

static void fw_cfg_finalize(DeviceState *dev)
{
    FwCfgState *s = (FwCfgState *)dev;

    for (int i = 0; i < s->nregs; i++) {
        memory_region_destroy(&s->regs[i]);
    }
    g_hash_table_destroy(s->items);
    g_array_free(s->files, TRUE);
}

static const Property fw_cfg_io_props[] = {
    PROP_UINT32("iobase", FwCfgState, iobase, FW_CFG_IO_BASE, "selector port"),
    PROP_BOOL("dma_enabled", FwCfgState, dma_enabled, true, "DMA interface"),
    PROP_END
};

static const Property fw_cfg_mmio_props[] = {
    PROP_BOOL("dma_enabled", FwCfgState, dma_enabled, true, "DMA interface"),
    PROP_END
};

static const DeviceClass fw_cfg_io_class = {
    .name = TYPE_FW_CFG_IO,
    .desc = "QEMU firmware configuration interface (I/O ports)",
    .instance_size = sizeof(FwCfgState),
    .props = fw_cfg_io_props,
    .category = DEVICE_CATEGORY_MISC,
    .bus_type = BUS_TYPE_SYSTEM,
    .instance_init = fw_cfg_instance_init,
    .realize = fw_cfg_realize,
    .reset = fw_cfg_reset,
    .instance_finalize = fw_cfg_finalize,
};

static const DeviceClass fw_cfg_mmio_class = {
    .name = TYPE_FW_CFG_MMIO,
    .desc = "QEMU firmware configuration interface (MMIO)",
    .instance_size = sizeof(FwCfgState),
    .props = fw_cfg_mmio_props,
    .category = DEVICE_CATEGORY_MISC,
    .bus_type = BUS_TYPE_SYSTEM,
    .instance_init = fw_cfg_mmio_instance_init,
    .realize = fw_cfg_realize,
    .reset = fw_cfg_reset,
    .instance_finalize = fw_cfg_finalize,
};

void fw_cfg_register_devices(void)
{
    if (!device_class_find(fw_cfg_io_class.name)) {
        device_class_register(&fw_cfg_io_class);
    }
    if (!device_class_find(fw_cfg_mmio_class.name)) {
        device_class_register(&fw_cfg_mmio_class);
    }
}

static FwCfgState *fw_cfg_create(const char *type, uint32_t iobase, GError **errp)
{
    DeviceState *dev;

    fw_cfg_register_devices();
    dev = device_new(type, errp);
    if (!dev) {
        return NULL;
    }
    if (!strcmp(type, TYPE_FW_CFG_IO) && !device_set_prop_uint(dev, "iobase", iobase, errp)) {
        device_free(dev);
        return NULL;
    }
    if (!device_realize(dev, NULL, errp)) {
        device_free(dev);
        return NULL;
    }
    return (FwCfgState *)dev;
}

FwCfgState *fw_cfg_init_io(uint16_t iobase, GError **errp)
{
    return fw_cfg_create(TYPE_FW_CFG_IO, iobase, errp);
}

FwCfgState *fw_cfg_init_mmio(uint64_t base, GError **errp)
{
    FwCfgState *s = fw_cfg_create(TYPE_FW_CFG_MMIO, 0, errp);

    if (s) {
        for (int i = 0; i < s->nregs; i++) {
            device_mmio_map(&s->parent, i, base + 8 * i);
        }
    }
    return s;
}

DeviceState *fw_cfg_device(FwCfgState *s)
{
    return &s->parent;
}
