/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-pci tests: virtio-rng-pci (and virtio-blk-pci for the device
 * configuration) on the pc host bridge's bus, driven as Linux's
 * virtio_pci_modern driver does: capabilities found by walking the PCI
 * capability list, BARs sized and programmed, feature negotiation and
 * queue set-up through the common configuration, kicks through the notify
 * region, interrupts through MSI-X (caught by the bus's MSI hook) or INTA
 * with the read-to-clear ISR. Also the PCI_CFG access window, vector
 * validation, reset, and the unsupported legacy options.
 */
#include <string.h>
#include <unistd.h>

#include "block/block.h"
#include "hw/pci/msix.h"
#include "hw/pci/pci.h"
#include "hw/pci/pci_host.h"
#include "hw/virtio/virtio-blk.h"
#include "hw/virtio/virtio-pci.h"
#include "hw/virtio/virtio-rng.h"
#include "hw/virtio/virtio.h"
#include "system/memory.h"
#include "util/error.h"
#include "util/log.h"
#include "virtio-test-driver.h"

#define RAM_BASE  0x100000ull
#define RAM_SIZE  (1u << 20)
#define RING      (RAM_BASE + 0x4000)
#define DATA      (RAM_BASE + 0x10000)
#define BAR4_ADDR 0x800000000ull     /* above 4 GiB, as firmware places it */
#define BAR1_ADDR 0xe0100000ull
#define MSI_ADDR  0xfee00000ull
#define NLINES    4
#define BAR_REG(n) (PCI_BASE_ADDRESS_0 + 4 * (n))

typedef struct Caps {
    uint8_t common, notify, isr, device, pci_cfg, msix;
    uint32_t common_off, notify_off, isr_off, device_off;
    uint32_t notify_mult;
} Caps;

typedef struct Fixture {
    MemoryRegion ram;
    PCIBus *bus;
    IrqLine **lines;
    int level[NLINES];
    PCIDevice *dev;
    Caps caps;
    TestVring r;
    unsigned msis;
    uint64_t msi_addr;
    uint32_t msi_data;
    char *img;
    BlockBackend *blk;
} Fixture;

static void irq_handler(void *opaque, int n, int level)
{
    ((Fixture *)opaque)->level[n] = level;
}

static void msi_catcher(void *opaque, uint64_t addr, uint32_t data, uint16_t rid)
{
    Fixture *f = opaque;

    f->msis++;
    f->msi_addr = addr;
    f->msi_data = data;
}

static uint32_t cfg_rd(Fixture *f, uint32_t reg, unsigned len)
{
    return pci_config_read(f->dev, reg, len);
}

static void cfg_wr(Fixture *f, uint32_t reg, uint32_t val, unsigned len)
{
    pci_config_write(f->dev, reg, val, len);
}

static uint64_t bar_rd(uint64_t off, unsigned size)
{
    return tv_r(address_space_memory(), BAR4_ADDR + off, size);
}

static void bar_wr(uint64_t off, uint64_t val, unsigned size)
{
    g_assert_cmpuint(address_space_write_val(address_space_memory(), BAR4_ADDR + off, val,
                                             size), ==, MEMTX_OK);
}

static uint64_t common_rd(Fixture *f, uint32_t off, unsigned size)
{
    return bar_rd(f->caps.common_off + off, size);
}

static void common_wr(Fixture *f, uint32_t off, uint64_t val, unsigned size)
{
    bar_wr(f->caps.common_off + off, val, size);
}

/* Walk the capability list as a driver does. */
static void find_caps(Fixture *f)
{
    Caps *c = &f->caps;
    unsigned guard = 0;

    memset(c, 0, sizeof(*c));
    g_assert_true(cfg_rd(f, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST);
    for (uint8_t pos = cfg_rd(f, PCI_CAPABILITY_LIST, 1); pos; pos = cfg_rd(f, pos + 1, 1)) {
        uint8_t id = cfg_rd(f, pos, 1);

        g_assert_cmpuint(++guard, <, 48);
        if (id == PCI_CAP_ID_MSIX) {
            c->msix = pos;
            continue;
        }
        if (id != PCI_CAP_ID_VNDR) {
            continue;
        }
        uint8_t type = cfg_rd(f, pos + VIRTIO_PCI_CAP_CFG_TYPE, 1);
        uint8_t bar = cfg_rd(f, pos + VIRTIO_PCI_CAP_BAR, 1);
        uint32_t off = cfg_rd(f, pos + VIRTIO_PCI_CAP_OFFSET, 4);
        uint32_t len = cfg_rd(f, pos + VIRTIO_PCI_CAP_LENGTH, 4);

        if (type != VIRTIO_PCI_CAP_PCI_CFG) {
            g_assert_cmpuint(bar, ==, 4);
            g_assert_cmpuint(len, >=, 4);
        }
        switch (type) {
        case VIRTIO_PCI_CAP_COMMON_CFG:
            c->common = pos;
            c->common_off = off;
            g_assert_cmpuint(len, >=, VIRTIO_PCI_COMMON_SIZE);
            break;
        case VIRTIO_PCI_CAP_NOTIFY_CFG:
            c->notify = pos;
            c->notify_off = off;
            g_assert_cmpuint(cfg_rd(f, pos + VIRTIO_PCI_CAP_LEN, 1), ==, 20);
            c->notify_mult = cfg_rd(f, pos + VIRTIO_PCI_NOTIFY_CAP_MULT, 4);
            break;
        case VIRTIO_PCI_CAP_ISR_CFG:
            c->isr = pos;
            c->isr_off = off;
            break;
        case VIRTIO_PCI_CAP_DEVICE_CFG:
            c->device = pos;
            c->device_off = off;
            break;
        case VIRTIO_PCI_CAP_PCI_CFG:
            c->pci_cfg = pos;
            break;
        default:
            g_assert_not_reached();
        }
    }
    g_assert_cmpuint(c->common, !=, 0);
    g_assert_cmpuint(c->notify, !=, 0);
    g_assert_cmpuint(c->isr, !=, 0);
    g_assert_cmpuint(c->pci_cfg, !=, 0);
}

/* Size and place BAR 4 (64-bit) and BAR 1 (MSI-X), enable decoding and DMA. */
static void program_bars(Fixture *f)
{
    cfg_wr(f, BAR_REG(4), 0xffffffff, 4);
    cfg_wr(f, BAR_REG(5), 0xffffffff, 4);
    g_assert_cmphex(cfg_rd(f, BAR_REG(4), 4), ==,
                    (uint32_t)~(VIRTIO_PCI_MODERN_BAR_SIZE - 1) | PCI_BAR_MEM64 |
                    PCI_BAR_PREFETCH);
    g_assert_cmphex(cfg_rd(f, BAR_REG(5), 4), ==, 0xffffffff);
    cfg_wr(f, BAR_REG(4), (uint32_t)BAR4_ADDR, 4);
    cfg_wr(f, BAR_REG(5), BAR4_ADDR >> 32, 4);
    cfg_wr(f, BAR_REG(1), (uint32_t)BAR1_ADDR, 4);
    cfg_wr(f, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 2);
    g_assert_cmphex(pci_bar_address(f->dev, 4), ==, BAR4_ADDR);
}

static void setup_dev(Fixture *f, const char *driver, const char *vectors)
{
    GError *err = NULL;
    DeviceState *d = device_new(driver, &err);

    g_assert_no_error(err);
    if (vectors) {
        g_assert_true(device_set_prop(d, "vectors", vectors, &err));
    }
    if (!strcmp(driver, TYPE_VIRTIO_BLK_PCI)) {
        int fd = g_file_open_tmp("test-virtio-pci-XXXXXX.img", &f->img, &err);

        g_assert_cmpint(ftruncate(fd, 1 << 20), ==, 0);
        close(fd);
        f->blk = blk_open(f->img, "raw", 0, &err);
        g_assert_no_error(err);
        g_assert_true(device_set_prop_backend(d, "drive", f->blk, "hd0", &err));
    }
    g_assert_true(device_realize(d, f->bus->qbus, &err));
    g_assert_no_error(err);
    f->dev = PCI_DEVICE(d);
    device_reset(d);
    find_caps(f);
    program_bars(f);
}

static void fixture_setup(Fixture *f, gconstpointer data)
{
    PCIHostCF8Config cfg = { 0 };
    GError *err = NULL;

    memset(f, 0, sizeof(*f));
    log_set_mask(0);
    g_assert_true(memory_region_init_ram(&f->ram, "test-ram", RAM_SIZE, &err));
    memory_region_add_subregion(get_system_memory(), RAM_BASE, &f->ram);
    f->lines = irq_new_array(irq_handler, f, NLINES);
    cfg.irqs = f->lines;
    cfg.nirq = NLINES;
    f->bus = pci_host_cf8_create(&cfg, &err);
    g_assert_no_error(err);
    pci_set_msi_delivery(f->bus, msi_catcher, f);
    if (data) {
        setup_dev(f, data, NULL);
    }
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    device_tree_destroy();
    if (f->blk) {
        blk_close(f->blk);
        unlink(f->img);
        g_free(f->img);
    }
    irq_free_array(f->lines, NLINES);
    memory_region_del_subregion(get_system_memory(), &f->ram);
    memory_region_destroy(&f->ram);
}

static int intx_level(Fixture *f)
{
    int any = 0;

    for (int i = 0; i < NLINES; i++) {
        any |= f->level[i];
    }
    return any;
}

/* Negotiate all offered features (or all but VERSION_1). */
static bool negotiate(Fixture *f, bool version_1)
{
    const uint8_t drv = VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER;
    uint32_t lo, hi;

    common_wr(f, VIRTIO_PCI_COMMON_STATUS, 0, 1);
    common_wr(f, VIRTIO_PCI_COMMON_STATUS, drv, 1);
    common_wr(f, VIRTIO_PCI_COMMON_DFSELECT, 0, 4);
    lo = common_rd(f, VIRTIO_PCI_COMMON_DF, 4);
    common_wr(f, VIRTIO_PCI_COMMON_DFSELECT, 1, 4);
    hi = common_rd(f, VIRTIO_PCI_COMMON_DF, 4);
    g_assert_true(hi & 1);      /* VERSION_1 */
    g_assert_true(lo & VIRTIO_BIT(VIRTIO_F_RING_EVENT_IDX));
    common_wr(f, VIRTIO_PCI_COMMON_GFSELECT, 0, 4);
    common_wr(f, VIRTIO_PCI_COMMON_GF, lo, 4);
    common_wr(f, VIRTIO_PCI_COMMON_GFSELECT, 1, 4);
    common_wr(f, VIRTIO_PCI_COMMON_GF, version_1 ? hi : hi & ~1u, 4);
    g_assert_cmphex(common_rd(f, VIRTIO_PCI_COMMON_GF, 4), ==, version_1 ? hi : hi & ~1u);
    common_wr(f, VIRTIO_PCI_COMMON_STATUS, drv | VIRTIO_CONFIG_S_FEATURES_OK, 1);
    return common_rd(f, VIRTIO_PCI_COMMON_STATUS, 1) & VIRTIO_CONFIG_S_FEATURES_OK;
}

static void queue_setup(Fixture *f, uint16_t vector)
{
    common_wr(f, VIRTIO_PCI_COMMON_Q_SELECT, 0, 2);
    g_assert_cmpuint(common_rd(f, VIRTIO_PCI_COMMON_Q_SIZE, 2), ==, VIRTIO_RNG_QUEUE_SIZE);
    g_assert_cmpuint(common_rd(f, VIRTIO_PCI_COMMON_Q_ENABLE, 2), ==, 0);
    tvring_init(&f->r, address_space_memory(), RING, RING + 0x1000, RING + 0x2000,
                VIRTIO_RNG_QUEUE_SIZE);
    common_wr(f, VIRTIO_PCI_COMMON_Q_DESCLO, (uint32_t)f->r.desc, 4);
    common_wr(f, VIRTIO_PCI_COMMON_Q_DESCHI, f->r.desc >> 32, 4);
    common_wr(f, VIRTIO_PCI_COMMON_Q_AVAILLO, (uint32_t)f->r.avail, 4);
    common_wr(f, VIRTIO_PCI_COMMON_Q_AVAILHI, f->r.avail >> 32, 4);
    common_wr(f, VIRTIO_PCI_COMMON_Q_USEDLO, (uint32_t)f->r.used, 4);
    common_wr(f, VIRTIO_PCI_COMMON_Q_USEDHI, f->r.used >> 32, 4);
    g_assert_cmphex(common_rd(f, VIRTIO_PCI_COMMON_Q_USEDLO, 4), ==, (uint32_t)f->r.used);
    common_wr(f, VIRTIO_PCI_COMMON_Q_MSIX, vector, 2);
    g_assert_cmpuint(common_rd(f, VIRTIO_PCI_COMMON_Q_MSIX, 2), ==, vector);
    common_wr(f, VIRTIO_PCI_COMMON_Q_ENABLE, 1, 2);
    g_assert_cmpuint(common_rd(f, VIRTIO_PCI_COMMON_Q_ENABLE, 2), ==, 1);
}

static void driver_ok(Fixture *f)
{
    common_wr(f, VIRTIO_PCI_COMMON_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
              VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK, 1);
}

/* One buffer through queue 0, kicked through the notify region. */
static void rng_round(Fixture *f)
{
    TestBuf b = { DATA, 32, true };
    uint32_t id, len;
    uint16_t noff;

    tvring_publish(&f->r, tvring_add_chain(&f->r, &b, 1));
    common_wr(f, VIRTIO_PCI_COMMON_Q_SELECT, 0, 2);
    noff = common_rd(f, VIRTIO_PCI_COMMON_Q_NOFF, 2);
    bar_wr(f->caps.notify_off + noff * f->caps.notify_mult, 0, 2);
    g_assert_true(tvring_get_used(&f->r, &id, &len));
    g_assert_cmpuint(len, ==, 32);
}

static void enable_msix(Fixture *f, unsigned nvec)
{
    uint8_t cap = f->caps.msix;

    g_assert_cmpuint(cap, !=, 0);
    g_assert_cmpuint((cfg_rd(f, cap + PCI_MSIX_FLAGS, 2) & PCI_MSIX_FLAGS_QSIZE) + 1, ==, nvec);
    for (unsigned v = 0; v < nvec; v++) {
        uint64_t e = BAR1_ADDR + v * PCI_MSIX_ENTRY_SIZE;

        tv_w32(address_space_memory(), e + PCI_MSIX_ENTRY_LOWER_ADDR, (uint32_t)MSI_ADDR);
        tv_w32(address_space_memory(), e + PCI_MSIX_ENTRY_UPPER_ADDR, 0);
        tv_w32(address_space_memory(), e + PCI_MSIX_ENTRY_DATA, 0x40 + v);
        tv_w32(address_space_memory(), e + PCI_MSIX_ENTRY_VECTOR_CTRL, 0);
    }
    cfg_wr(f, cap + PCI_MSIX_FLAGS, PCI_MSIX_FLAGS_ENABLE, 2);
    g_assert_true(msix_enabled(f->dev));
}

/* ---- tests ---- */

static void test_ident(Fixture *f, gconstpointer data)
{
    g_assert_cmphex(cfg_rd(f, PCI_VENDOR_ID, 2), ==, 0x1af4);
    g_assert_cmphex(cfg_rd(f, PCI_DEVICE_ID, 2), ==, 0x1044);
    g_assert_cmpuint(cfg_rd(f, PCI_REVISION_ID, 1), ==, 1);
    g_assert_cmphex(cfg_rd(f, PCI_CLASS_DEVICE, 2), ==, PCI_CLASS_OTHERS);
    g_assert_cmpuint(cfg_rd(f, PCI_INTERRUPT_PIN, 1), ==, 1);
    g_assert_cmpuint(f->caps.notify_mult, ==, 4);
    g_assert_cmpuint(f->caps.device, ==, 0);    /* rng has no config space */
    g_assert_cmpuint(common_rd(f, VIRTIO_PCI_COMMON_NUMQ, 2), ==, 1);
    /* vectors = queues + 1 */
    g_assert_cmpuint((cfg_rd(f, f->caps.msix + PCI_MSIX_FLAGS, 2) & PCI_MSIX_FLAGS_QSIZE) + 1,
                     ==, 2);
}

static void test_features(Fixture *f, gconstpointer data)
{
    g_assert_false(negotiate(f, false));
    g_assert_true(negotiate(f, true));
    /* Read-only fields ignore writes. */
    common_wr(f, VIRTIO_PCI_COMMON_NUMQ, 9, 2);
    g_assert_cmpuint(common_rd(f, VIRTIO_PCI_COMMON_NUMQ, 2), ==, 1);
    /* A queue that does not exist has size 0. */
    common_wr(f, VIRTIO_PCI_COMMON_Q_SELECT, 3, 2);
    g_assert_cmpuint(common_rd(f, VIRTIO_PCI_COMMON_Q_SIZE, 2), ==, 0);
    common_wr(f, VIRTIO_PCI_COMMON_Q_DESCLO, 0x1000, 4);
    common_wr(f, VIRTIO_PCI_COMMON_Q_ENABLE, 1, 2);
}

static void test_msix(Fixture *f, gconstpointer data)
{
    g_assert_true(negotiate(f, true));
    enable_msix(f, 2);
    common_wr(f, VIRTIO_PCI_COMMON_MSIX, 1, 2);
    g_assert_cmpuint(common_rd(f, VIRTIO_PCI_COMMON_MSIX, 2), ==, 1);
    common_wr(f, VIRTIO_PCI_COMMON_MSIX, 7, 2);     /* out of range */
    g_assert_cmphex(common_rd(f, VIRTIO_PCI_COMMON_MSIX, 2), ==, VIRTIO_NO_VECTOR);
    common_wr(f, VIRTIO_PCI_COMMON_MSIX, 1, 2);
    queue_setup(f, 0);
    driver_ok(f);
    rng_round(f);
    g_assert_cmpuint(f->msis, ==, 1);
    g_assert_cmphex(f->msi_addr, ==, MSI_ADDR);
    g_assert_cmphex(f->msi_data, ==, 0x40);
    g_assert_cmpint(intx_level(f), ==, 0);

    /* A masked vector latches and fires on unmask. */
    tv_w32(address_space_memory(), BAR1_ADDR + PCI_MSIX_ENTRY_VECTOR_CTRL, 1);
    rng_round(f);
    g_assert_cmpuint(f->msis, ==, 1);
    g_assert_true(msix_is_pending(f->dev, 0));
    tv_w32(address_space_memory(), BAR1_ADDR + PCI_MSIX_ENTRY_VECTOR_CTRL, 0);
    g_assert_cmpuint(f->msis, ==, 2);

    /* A queue without a vector interrupts nobody. */
    common_wr(f, VIRTIO_PCI_COMMON_Q_SELECT, 0, 2);
    common_wr(f, VIRTIO_PCI_COMMON_Q_MSIX, VIRTIO_NO_VECTOR, 2);
    rng_round(f);
    g_assert_cmpuint(f->msis, ==, 2);
}

static void test_intx(Fixture *f, gconstpointer data)
{
    g_assert_true(negotiate(f, true));
    queue_setup(f, VIRTIO_NO_VECTOR);
    driver_ok(f);
    rng_round(f);
    g_assert_cmpuint(f->msis, ==, 0);
    g_assert_cmpint(intx_level(f), ==, 1);
    g_assert_cmphex(bar_rd(f->caps.isr_off, 1), ==, VIRTIO_ISR_QUEUE);
    g_assert_cmpint(intx_level(f), ==, 0);
    g_assert_cmphex(bar_rd(f->caps.isr_off, 1), ==, 0);
    rng_round(f);
    g_assert_cmpint(intx_level(f), ==, 1);
    /* Reset drops the line and the queue. */
    common_wr(f, VIRTIO_PCI_COMMON_STATUS, 0, 1);
    g_assert_cmpint(intx_level(f), ==, 0);
    g_assert_cmpuint(common_rd(f, VIRTIO_PCI_COMMON_STATUS, 1), ==, 0);
    common_wr(f, VIRTIO_PCI_COMMON_Q_SELECT, 0, 2);
    g_assert_cmpuint(common_rd(f, VIRTIO_PCI_COMMON_Q_ENABLE, 2), ==, 0);
    g_assert_cmpuint(common_rd(f, VIRTIO_PCI_COMMON_Q_SIZE, 2), ==, VIRTIO_RNG_QUEUE_SIZE);
}

static void test_no_msix(Fixture *f, gconstpointer data)
{
    setup_dev(f, TYPE_VIRTIO_RNG_PCI, "0");
    g_assert_cmpuint(f->caps.msix, ==, 0);
    g_assert_true(negotiate(f, true));
    common_wr(f, VIRTIO_PCI_COMMON_MSIX, 0, 2);
    g_assert_cmphex(common_rd(f, VIRTIO_PCI_COMMON_MSIX, 2), ==, VIRTIO_NO_VECTOR);
    queue_setup(f, VIRTIO_NO_VECTOR);
    driver_ok(f);
    rng_round(f);
    g_assert_cmpint(intx_level(f), ==, 1);
}

/* virtio-blk-pci: the device configuration and the PCI_CFG window. */
static void test_device_cfg(Fixture *f, gconstpointer data)
{
    uint8_t w;
    uint32_t cap;

    setup_dev(f, TYPE_VIRTIO_BLK_PCI, NULL);
    g_assert_cmphex(cfg_rd(f, PCI_DEVICE_ID, 2), ==, 0x1042);
    g_assert_cmpuint(f->caps.device, !=, 0);
    g_assert_cmpuint(bar_rd(f->caps.device_off + VIRTIO_BLK_CFG_CAPACITY, 4), ==, 2048);
    g_assert_cmpuint(bar_rd(f->caps.device_off + VIRTIO_BLK_CFG_BLK_SIZE, 4), ==, 512);

    /* The same through config space: bar 4, offset, length, then data. */
    w = f->caps.pci_cfg;
    cfg_wr(f, w + VIRTIO_PCI_CAP_BAR, 4, 1);
    cfg_wr(f, w + VIRTIO_PCI_CAP_OFFSET, f->caps.device_off + VIRTIO_BLK_CFG_CAPACITY, 4);
    cfg_wr(f, w + VIRTIO_PCI_CAP_LENGTH, 4, 4);
    g_assert_cmpuint(cfg_rd(f, w + VIRTIO_PCI_CFG_CAP_DATA, 4), ==, 2048);
    /* A write through the window: device status. */
    cfg_wr(f, w + VIRTIO_PCI_CAP_OFFSET, f->caps.common_off + VIRTIO_PCI_COMMON_STATUS, 4);
    cfg_wr(f, w + VIRTIO_PCI_CAP_LENGTH, 1, 4);
    cfg_wr(f, w + VIRTIO_PCI_CFG_CAP_DATA, VIRTIO_CONFIG_S_ACKNOWLEDGE, 1);
    g_assert_cmpuint(common_rd(f, VIRTIO_PCI_COMMON_STATUS, 1), ==,
                     VIRTIO_CONFIG_S_ACKNOWLEDGE);
    /* A bad window (length 3) is refused. */
    cfg_wr(f, w + VIRTIO_PCI_CAP_LENGTH, 3, 4);
    cap = cfg_rd(f, w + VIRTIO_PCI_CFG_CAP_DATA, 4);
    (void)cap;
    g_assert_cmpuint(common_rd(f, VIRTIO_PCI_COMMON_STATUS, 1), ==,
                     VIRTIO_CONFIG_S_ACKNOWLEDGE);
    /* num_queues for blk: 1, vectors 2. */
    g_assert_cmpuint(common_rd(f, VIRTIO_PCI_COMMON_NUMQ, 2), ==, 1);
}

static void test_system_reset(Fixture *f, gconstpointer data)
{
    g_assert_true(negotiate(f, true));
    enable_msix(f, 2);
    queue_setup(f, 0);
    driver_ok(f);
    rng_round(f);
    device_reset(&f->dev->parent);
    g_assert_false(msix_enabled(f->dev));
    /* Decoding is off after reset: program the BARs again. */
    program_bars(f);
    g_assert_cmpuint(common_rd(f, VIRTIO_PCI_COMMON_STATUS, 1), ==, 0);
    common_wr(f, VIRTIO_PCI_COMMON_Q_SELECT, 0, 2);
    g_assert_cmpuint(common_rd(f, VIRTIO_PCI_COMMON_Q_ENABLE, 2), ==, 0);
    g_assert_cmphex(common_rd(f, VIRTIO_PCI_COMMON_Q_MSIX, 2), ==, VIRTIO_NO_VECTOR);
}

static void test_legacy_refused(Fixture *f, gconstpointer data)
{
    static const char *const bad[][2] = {
        { "disable-legacy", "off" }, { "disable-modern", "on" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        GError *err = NULL;
        DeviceState *d = device_new(TYPE_VIRTIO_RNG_PCI, &err);

        g_assert_true(device_set_prop(d, bad[i][0], bad[i][1], &err));
        g_assert_false(device_realize(d, f->bus->qbus, &err));
        g_assert_error(err, TERN_ERROR, TERN_ERROR_UNSUPPORTED);
        g_clear_error(&err);
        device_free(d);
    }
    /* A device that fails its own realize leaves nothing behind. */
    {
        GError *err = NULL;
        DeviceState *d = device_new(TYPE_VIRTIO_BLK_PCI, &err);

        g_assert_false(device_realize(d, f->bus->qbus, &err));
        g_assert_nonnull(strstr(err->message, "drive property not set"));
        g_clear_error(&err);
        device_free(d);
    }
    /* disable-legacy=on is what we are anyway. */
    {
        GError *err = NULL;
        DeviceState *d = device_new(TYPE_VIRTIO_RNG_PCI, &err);

        g_assert_true(device_set_prop(d, "disable-legacy", "on", &err));
        g_assert_true(device_realize(d, f->bus->qbus, &err));
        g_assert_no_error(err);
    }
}

#define ADD(name, dev, fn) \
    g_test_add(name, Fixture, dev, fixture_setup, fn, fixture_teardown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    hw_pci_register_devices();
    hw_virtio_register_devices();
    ADD("/virtio-pci/ident", TYPE_VIRTIO_RNG_PCI, test_ident);
    ADD("/virtio-pci/features", TYPE_VIRTIO_RNG_PCI, test_features);
    ADD("/virtio-pci/msix", TYPE_VIRTIO_RNG_PCI, test_msix);
    ADD("/virtio-pci/intx", TYPE_VIRTIO_RNG_PCI, test_intx);
    ADD("/virtio-pci/no-msix", NULL, test_no_msix);
    ADD("/virtio-pci/device-cfg", NULL, test_device_cfg);
    ADD("/virtio-pci/system-reset", TYPE_VIRTIO_RNG_PCI, test_system_reset);
    ADD("/virtio-pci/legacy-refused", NULL, test_legacy_refused);
    return g_test_run();
}
