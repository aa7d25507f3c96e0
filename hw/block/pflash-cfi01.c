/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * "cfi.pflash01": parallel NOR flash with the Intel/Sharp command set 0001
 * (read array, status, identifier, CFI query, word and buffered program,
 * block erase, lock commands). The bank is `width` bytes wide, made of
 * width/device-width chips side by side that get the same commands, so
 * every answer other than array data is replicated in each chip's lane;
 * that is what firmware (EDK2's NorFlashDxe) and Linux's cfi_cmdset_0001
 * expect from QEMU's virt flash. Read-array mode is a ROM device region
 * read directly by the accelerators; writes always reach us.
 */
#include <inttypes.h>
#include <string.h>

#include "block/block.h"
#include "hw/block/pflash.h"
#include "system/memory.h"
#include "util/error.h"
#include "util/log.h"

/* Status register bits. */
#define SR_READY        0x80
#define SR_ERASE_ERR    0x20
#define SR_PROGRAM_ERR  0x10
#define SR_LOCKED       0x02

/* Per chip: bytes of the write buffer, as 2^n in the query table. */
#define CHIP_WRITE_BUFFER_SHIFT 6

typedef enum {
    PF_READ_ARRAY,
    PF_READ_STATUS,
    PF_READ_ID,
    PF_QUERY,
} PFlashReadMode;

typedef enum {
    PF_IDLE,            /* next write is a command */
    PF_PROGRAM,         /* 0x10/0x40 given: next write is the data */
    PF_BUF_COUNT,       /* 0xe8 given: next write is the word count - 1 */
    PF_BUF_DATA,        /* buffered data words */
    PF_BUF_CONFIRM,     /* all words in: 0xd0 commits */
    PF_ERASE,           /* 0x20 given: 0xd0 erases */
    PF_LOCK,            /* 0x60 given: 0x01 / 0xd0 / 0x2f */
} PFlashCycle;

typedef struct PFlashCFI01 {
    DeviceState parent;
    MemoryRegion mem;
    bool mem_ready;
    /* properties */
    BlockBackend *blk;
    uint32_t num_blocks, sector_len;
    uint8_t width, device_width;
    uint16_t id0, id1, id2, id3;
    char *name;
    /* state */
    uint8_t *storage;
    uint64_t size;
    bool readonly;
    PFlashReadMode mode;
    PFlashCycle cycle;
    uint8_t status;
    uint64_t buf_left;              /* bytes still expected in PF_BUF_DATA */
    uint64_t dirty_lo, dirty_hi;    /* buffered range to write through at commit */
    uint8_t cfi[0x40];              /* one chip's query table, by chip word address */
} PFlashCFI01;

static const char *pflash_name(PFlashCFI01 *s)
{
    return s->name ? s->name : TYPE_PFLASH_CFI01;
}

static void pflash_build_cfi(PFlashCFI01 *s)
{
    uint8_t *q = s->cfi;
    unsigned chips = s->width / s->device_width;
    uint64_t chip_size = s->size / chips;
    uint32_t chip_block = s->sector_len / chips;
    unsigned shift = 0;

    memset(q, 0, sizeof(s->cfi));
    while ((1ull << shift) < chip_size) {
        shift++;
    }
    q[0x10] = 'Q';
    q[0x11] = 'R';
    q[0x12] = 'Y';
    q[0x13] = 0x01;             /* primary command set: Intel/Sharp extended */
    q[0x15] = 0x31;             /* primary extended table at 0x31 */
    q[0x1b] = 0x17;             /* Vcc 1.7 .. 2.0 V */
    q[0x1c] = 0x20;
    q[0x1f] = 0x04;             /* typical word program 2^4 us */
    q[0x20] = 0x08;             /* typical buffer program 2^8 us */
    q[0x21] = 0x0a;             /* typical block erase 2^10 ms */
    q[0x23] = 0x04;             /* maxima: 2^n times the typical */
    q[0x24] = 0x04;
    q[0x25] = 0x02;
    q[0x27] = shift;            /* chip size 2^n bytes */
    q[0x28] = s->device_width == 1 ? 0x00 : s->device_width == 2 ? 0x01 : 0x03;
    q[0x2a] = CHIP_WRITE_BUFFER_SHIFT;
    q[0x2c] = 1;                /* one erase block region, all blocks alike */
    q[0x2d] = (s->num_blocks - 1) & 0xff;
    q[0x2e] = (s->num_blocks - 1) >> 8;
    q[0x2f] = (chip_block / 256) & 0xff;
    q[0x30] = (chip_block / 256) >> 8;
    /* Intel extended query 1.0: no suspend, no instant locking, no protection registers. */
    q[0x31] = 'P';
    q[0x32] = 'R';
    q[0x33] = 'I';
    q[0x34] = '1';
    q[0x35] = '0';
    q[0x3d] = 0x18;             /* Vcc optimum 1.8 V */
}

static void pflash_set_mode(PFlashCFI01 *s, PFlashReadMode mode)
{
    s->mode = mode;
    memory_region_rom_device_set_romd(&s->mem, mode == PF_READ_ARRAY);
}

/* Replicate a chip's 16-bit (or 8-bit) answer into every lane of the bank word. */
static uint64_t pflash_replicate(PFlashCFI01 *s, uint32_t v)
{
    uint64_t r = 0;

    for (unsigned lane = 0; lane < s->width; lane += s->device_width) {
        r |= (uint64_t)v << (8 * lane);
    }
    return r;
}

static uint64_t pflash_read(void *opaque, uint64_t addr, unsigned size)
{
    PFlashCFI01 *s = opaque;
    uint64_t word_addr = addr / s->width;
    unsigned shift = 8 * (addr % s->width);
    uint64_t mask = size >= 8 ? UINT64_MAX : (1ull << (8 * size)) - 1;
    uint64_t bank = 0;
    uint32_t chip;

    if (s->cycle != PF_IDLE || s->mode == PF_READ_STATUS) {
        /* In the middle of a sequence the chip answers with its status. */
        return pflash_replicate(s, s->status) >> shift & mask;
    }
    switch (s->mode) {
    case PF_READ_ARRAY:
        memcpy(&bank, s->storage + addr, size);
        return GUINT64_FROM_LE(bank) & mask;
    case PF_READ_ID:
        switch ((addr % s->sector_len) / s->width) {
        case 0:
            chip = s->id0;
            break;
        case 1:
            chip = s->id1;
            break;
        case 2:
            chip = 0;           /* block lock status: unlocked */
            break;
        default:
            chip = 0;
            break;
        }
        break;
    case PF_QUERY:
        chip = word_addr < sizeof(s->cfi) ? s->cfi[word_addr] : 0;
        break;
    default:
        chip = s->status;
        break;
    }
    return pflash_replicate(s, chip) >> shift & mask;
}

static void pflash_persist(PFlashCFI01 *s, uint64_t lo, uint64_t hi)
{
    int r;

    if (!s->blk || hi <= lo) {
        return;
    }
    lo &= ~511ull;
    hi = MIN((hi + 511) & ~511ull, s->size);
    r = blk_pwrite(s->blk, lo, s->storage + lo, hi - lo);
    if (r < 0) {
        log_guest_error("%s: writing 0x%" PRIx64 "+0x%" PRIx64 " to the drive failed: %s\n",
                        pflash_name(s), lo, hi - lo, g_strerror(-r));
    }
}

/* NOR programming only clears bits; erased bytes are 0xff. */
static void pflash_program(PFlashCFI01 *s, uint64_t addr, uint64_t val, unsigned size)
{
    for (unsigned i = 0; i < size; i++) {
        s->storage[addr + i] &= (uint8_t)(val >> (8 * i));
    }
}

static void pflash_sequence_error(PFlashCFI01 *s, uint8_t cmd, const char *what)
{
    log_guest_error("%s: command 0x%02x where %s was expected\n", pflash_name(s), cmd, what);
    s->status |= SR_PROGRAM_ERR | SR_ERASE_ERR;
    s->cycle = PF_IDLE;
    pflash_set_mode(s, PF_READ_STATUS);
}

static void pflash_command(PFlashCFI01 *s, uint64_t addr, uint8_t cmd)
{
    switch (cmd) {
    case 0xff:                  /* read array */
    case 0xf0:                  /* AMD-style reset, which probers send first */
    case 0x00:
        pflash_set_mode(s, PF_READ_ARRAY);
        break;
    case 0x70:
        pflash_set_mode(s, PF_READ_STATUS);
        break;
    case 0x50:
        s->status = SR_READY;
        pflash_set_mode(s, PF_READ_ARRAY);
        break;
    case 0x90:
        pflash_set_mode(s, PF_READ_ID);
        break;
    case 0x98:
        pflash_set_mode(s, PF_QUERY);
        break;
    case 0x10:
    case 0x40:
        s->cycle = PF_PROGRAM;
        pflash_set_mode(s, PF_READ_STATUS);
        break;
    case 0xe8:
        /* The buffer is free at once: the status read says ready. */
        s->status |= SR_READY;
        s->cycle = PF_BUF_COUNT;
        pflash_set_mode(s, PF_READ_STATUS);
        break;
    case 0x20:
        s->cycle = PF_ERASE;
        pflash_set_mode(s, PF_READ_STATUS);
        break;
    case 0x60:
        s->cycle = PF_LOCK;
        pflash_set_mode(s, PF_READ_STATUS);
        break;
    case 0xb0:                  /* suspend: nothing is ever in progress */
    case 0xd0:                  /* resume */
        pflash_set_mode(s, PF_READ_STATUS);
        break;
    default:
        log_guest_error("%s: unknown command 0x%02x at 0x%" PRIx64 "\n", pflash_name(s), cmd,
                        addr);
        pflash_set_mode(s, PF_READ_ARRAY);
        break;
    }
}

static void pflash_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    PFlashCFI01 *s = opaque;
    uint8_t cmd = val & 0xff;
    uint64_t base;

    switch (s->cycle) {
    case PF_IDLE:
        pflash_command(s, addr, cmd);
        break;
    case PF_PROGRAM:
        s->cycle = PF_IDLE;
        if (s->readonly) {
            s->status |= SR_PROGRAM_ERR | SR_LOCKED;
        } else {
            pflash_program(s, addr, val, size);
            pflash_persist(s, addr, addr + size);
        }
        s->status |= SR_READY;
        break;
    case PF_BUF_COUNT: {
        /* Count - 1 of bank words, the same in every chip's lane. */
        uint64_t words = (val & (s->device_width == 1 ? 0xff : 0xffff)) + 1;
        uint64_t bytes = words * s->width;
        uint64_t max = (s->width / s->device_width) << CHIP_WRITE_BUFFER_SHIFT;

        if (bytes > max) {
            log_guest_error("%s: buffered program of %" PRIu64 " bytes (at most %" PRIu64 ")\n",
                            pflash_name(s), bytes, max);
            s->status |= SR_PROGRAM_ERR | SR_ERASE_ERR;
            s->cycle = PF_IDLE;
            break;
        }
        s->buf_left = bytes;
        s->dirty_lo = UINT64_MAX;
        s->dirty_hi = 0;
        s->cycle = PF_BUF_DATA;
        break;
    }
    case PF_BUF_DATA:
        if (s->readonly) {
            s->status |= SR_PROGRAM_ERR | SR_LOCKED;
        } else {
            pflash_program(s, addr, val, size);
            s->dirty_lo = MIN(s->dirty_lo, addr);
            s->dirty_hi = MAX(s->dirty_hi, addr + size);
        }
        s->buf_left = s->buf_left > size ? s->buf_left - size : 0;
        if (!s->buf_left) {
            s->cycle = PF_BUF_CONFIRM;
        }
        break;
    case PF_BUF_CONFIRM:
        if (cmd != 0xd0) {
            pflash_sequence_error(s, cmd, "the buffered program confirm 0xd0");
            break;
        }
        s->cycle = PF_IDLE;
        pflash_persist(s, s->dirty_lo, s->dirty_hi);
        s->status |= SR_READY;
        break;
    case PF_ERASE:
        if (cmd != 0xd0) {
            pflash_sequence_error(s, cmd, "the erase confirm 0xd0");
            break;
        }
        s->cycle = PF_IDLE;
        if (s->readonly) {
            s->status |= SR_ERASE_ERR | SR_LOCKED;
        } else {
            base = addr - addr % s->sector_len;
            memset(s->storage + base, 0xff, s->sector_len);
            pflash_persist(s, base, base + s->sector_len);
        }
        s->status |= SR_READY;
        break;
    case PF_LOCK:
        /* Blocks are never locked: lock, unlock and lock-down all succeed. */
        s->cycle = PF_IDLE;
        if (cmd != 0x01 && cmd != 0xd0 && cmd != 0x2f) {
            pflash_sequence_error(s, cmd, "a lock command (0x01, 0xd0, 0x2f)");
            break;
        }
        s->status |= SR_READY;
        break;
    }
}

static const MemoryRegionOps pflash_ops = {
    .read = pflash_read,
    .write = pflash_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 8 },
    .impl = { .min_access_size = 1, .max_access_size = 4 },
};

static bool pflash_realize(DeviceState *dev, GError **errp)
{
    PFlashCFI01 *s = (PFlashCFI01 *)dev;
    const char *what = pflash_name(s);
    int64_t len;

    if (s->width != 1 && s->width != 2 && s->width != 4) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "width must be 1, 2 or 4");
        return false;
    }
    if (!s->device_width) {
        s->device_width = s->width;
    }
    if (s->device_width > s->width || s->width % s->device_width) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "device-width must divide width");
        return false;
    }
    if (!s->num_blocks || !s->sector_len || s->sector_len % (s->width * 256) ||
        s->num_blocks > 65536) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "num-blocks and sector-length must describe whole blocks");
        return false;
    }
    s->size = (uint64_t)s->num_blocks * s->sector_len;
    if (s->blk) {
        len = blk_getlength(s->blk);
        if (len < 0 || (uint64_t)len < s->size) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                        "the drive '%s' has %" PRId64 " bytes, the flash needs %" PRIu64,
                        blk_filename(s->blk), len, s->size);
            return false;
        }
        s->readonly = blk_is_read_only(s->blk);
    }
    if (!memory_region_init_rom_device(&s->mem, &pflash_ops, s, what, s->size, errp)) {
        return false;
    }
    s->mem_ready = true;
    s->storage = memory_region_get_ram_ptr(&s->mem);
    if (s->blk) {
        int r = blk_pread(s->blk, 0, s->storage, s->size);

        if (r < 0) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_IO, "cannot read '%s': %s",
                        blk_filename(s->blk), g_strerror(-r));
            return false;
        }
    }
    /*
     * Without a drive the bank reads as zeros, as QEMU's: firmware formats
     * a variable store it does not recognise, and the host pages stay
     * untouched until the guest programs them.
     */
    pflash_build_cfi(s);
    device_init_mmio(dev, &s->mem);
    s->status = SR_READY;
    return true;
}

static void pflash_reset(DeviceState *dev)
{
    PFlashCFI01 *s = (PFlashCFI01 *)dev;

    s->cycle = PF_IDLE;
    s->status = SR_READY;
    pflash_set_mode(s, PF_READ_ARRAY);
}

static void pflash_finalize(DeviceState *dev)
{
    PFlashCFI01 *s = (PFlashCFI01 *)dev;

    if (s->mem_ready) {
        memory_region_destroy(&s->mem);
        s->mem_ready = false;
    }
}

static const Property pflash_props[] = {
    PROP_DRIVE("drive", PFlashCFI01, blk, "backing drive (none: anonymous, erased)"),
    PROP_UINT32("num-blocks", PFlashCFI01, num_blocks, 0, "number of erase blocks"),
    PROP_UINT32("sector-length", PFlashCFI01, sector_len, 0, "bytes per erase block of the bank"),
    PROP_UINT8("width", PFlashCFI01, width, 4, "bank width in bytes"),
    PROP_UINT8("device-width", PFlashCFI01, device_width, 0,
               "width of one chip in bytes (0: the bank width)"),
    PROP_UINT16("id0", PFlashCFI01, id0, 0x89, "manufacturer id"),
    PROP_UINT16("id1", PFlashCFI01, id1, 0x18, "device id"),
    PROP_UINT16("id2", PFlashCFI01, id2, 0, ""),
    PROP_UINT16("id3", PFlashCFI01, id3, 0, ""),
    PROP_STRING("name", PFlashCFI01, name, NULL, "memory region name"),
    PROP_END
};

const DeviceClass pflash_cfi01_device_class = {
    .name = TYPE_PFLASH_CFI01,
    .desc = "CFI parallel NOR flash (Intel/Sharp command set)",
    .instance_size = sizeof(PFlashCFI01),
    .props = pflash_props,
    .category = DEVICE_CATEGORY_STORAGE,
    .bus_type = BUS_TYPE_SYSTEM,
    .user_creatable = false,
    .realize = pflash_realize,
    .reset = pflash_reset,
    .instance_finalize = pflash_finalize,
};

DeviceState *pflash_cfi01_create(const char *name, uint64_t addr, BlockBackend *blk,
                                 uint32_t num_blocks, uint32_t sector_len, unsigned width,
                                 unsigned device_width, GError **errp)
{
    DeviceState *dev;

    if (!device_class_find(pflash_cfi01_device_class.name)) {
        device_class_register(&pflash_cfi01_device_class);
    }
    dev = device_new(TYPE_PFLASH_CFI01, errp);
    if (!dev) {
        return NULL;
    }
    if ((blk && !device_set_prop_backend(dev, "drive", blk, name, errp)) ||
        !device_set_prop_uint(dev, "num-blocks", num_blocks, errp) ||
        !device_set_prop_uint(dev, "sector-length", sector_len, errp) ||
        !device_set_prop_uint(dev, "width", width, errp) ||
        !device_set_prop_uint(dev, "device-width", device_width, errp) ||
        !device_set_prop_str(dev, "name", name, errp) ||
        !device_realize(dev, NULL, errp)) {
        device_free(dev);
        return NULL;
    }
    device_mmio_map(dev, 0, addr);
    return dev;
}

uint8_t *pflash_cfi01_storage(DeviceState *dev)
{
    return ((PFlashCFI01 *)dev)->storage;
}

uint64_t pflash_cfi01_size(DeviceState *dev)
{
    return ((PFlashCFI01 *)dev)->size;
}
