/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fw_cfg test kernel: reads the items a QEMU-style fw_cfg offers through
 * both interfaces and checks them against the Multiboot information and
 * the command line ("cpus=N" must match -smp). Exits with 0x21 (status
 * 67) when every check passes, 0x20 otherwise.
 */
#include "runtime.h"

#define FW_CFG_SIGNATURE    0x00
#define FW_CFG_ID           0x01
#define FW_CFG_RAM_SIZE     0x03
#define FW_CFG_NB_CPUS      0x05
#define FW_CFG_MAX_CPUS     0x0f
#define FW_CFG_CMDLINE_DATA 0x15
#define FW_CFG_FILE_DIR     0x19

#define DMA_ERROR   0x01
#define DMA_READ    0x02
#define DMA_SKIP    0x04
#define DMA_SELECT  0x08
#define DMA_WRITE   0x10

struct e820 {
    uint64_t addr, len;
    uint32_t type;
} __attribute__((packed));

static struct e820 table[32];
static char buf[256];

static int check_e820(const struct mb_info *mbi)
{
    uint32_t size = 0, n, i = 0, p;
    uint16_t key = fw_cfg_find("etc/e820", &size);
    int ok = 1;

    if (!check("etc/e820 in the file directory", key >= 0x20 && size % 20 == 0 &&
               size <= sizeof(table))) {
        return 0;
    }
    n = size / 20;
    ok &= check("DMA select+read of etc/e820",
                fw_cfg_dma((uint32_t)key << 16 | DMA_SELECT | DMA_READ, table, size) == 0);
    for (p = mbi->mmap_addr; p < mbi->mmap_addr + mbi->mmap_length; i++) {
        const struct mb_mmap_entry *e = (const void *)(uintptr_t)p;

        if (i >= n || e->addr != table[i].addr || e->len != table[i].len ||
            e->type != table[i].type) {
            kprintf("e820 entry %u differs from the Multiboot map\n", i);
            ok = 0;
            break;
        }
        kprintf("e820: 0x%llx +0x%llx type %u\n", table[i].addr, table[i].len, table[i].type);
        p += e->size + 4;
    }
    ok &= check("etc/e820 matches the Multiboot memory map", ok && i == n);
    return ok;
}

int kmain(uint32_t magic, const struct mb_info *mbi)
{
    const char *cmdline = mb_cmdline(mbi);
    uint32_t cpus = katou(karg(cmdline, "cpus"));
    uint64_t ram = 0;
    uint32_t v, size;
    uint16_t cpus16 = 0;
    char sig[5] = { 0 };
    int ok = 1;

    serial_init();
    kputs("fw_cfg test\n");
    fw_cfg_select(FW_CFG_SIGNATURE);
    fw_cfg_read(sig, 4);
    ok &= check("signature QEMU", !kstrcmp(sig, "QEMU"));
    v = fw_cfg_read32(FW_CFG_ID);
    ok &= check("ID: traditional interface and DMA", v == 3);
    v = inl(FW_CFG_PORT_DMA);
    ok &= check("DMA register reads \"QEMU\" (first half of the signature)",
                v == 0x554d4551);

    fw_cfg_select(FW_CFG_RAM_SIZE);
    fw_cfg_read(&ram, 8);
    kprintf("ram: 0x%llx\n", ram);
    {
        /* RAM below 4 GiB is 1 MiB + mem_upper; the map adds what lies above. */
        uint64_t high = 0;

        for (uint32_t p = mbi->mmap_addr; p < mbi->mmap_addr + mbi->mmap_length;) {
            const struct mb_mmap_entry *e = (const void *)(uintptr_t)p;

            if (e->type == 1 && e->addr >= 0x100000000ull) {
                high += e->len;
            }
            p += e->size + 4;
        }
        ok &= check("RAM size matches mem_upper and the RAM above 4 GiB",
                    ram == ((uint64_t)mbi->mem_upper + 1024) * 1024 + high);
    }
    fw_cfg_select(FW_CFG_NB_CPUS);
    fw_cfg_read(&cpus16, 2);
    kprintf("cpus: %u\n", cpus16);
    ok &= check("NB_CPUS matches cpus=", cpus16 == cpus);

    /* DMA: a plain read continues where the selection left off. */
    memset(sig, 0, sizeof(sig));
    fw_cfg_select(FW_CFG_SIGNATURE);
    fw_cfg_read(sig, 1);
    ok &= check("DMA read continues the byte stream",
                fw_cfg_dma(DMA_READ, sig + 1, 3) == 0 && !kstrcmp(sig, "QEMU"));
    memset(sig, 0, sizeof(sig));
    ok &= check("DMA skip then read",
                fw_cfg_dma(DMA_SELECT | DMA_SKIP, NULL, 2) == 0 &&
                fw_cfg_dma(DMA_READ, sig, 2) == 0 && !kstrcmp(sig, "MU"));
    memset(buf, 0x55, 8);
    ok &= check("DMA past the end reads zeros",
                fw_cfg_dma(DMA_SELECT | DMA_READ, buf, 8) == 0 &&
                !kmemcmp(buf, "QEMU\0\0\0\0", 8));
    ok &= check("DMA write sets the error bit",
                fw_cfg_dma(DMA_SELECT | DMA_WRITE, buf, 4) & DMA_ERROR);

    ok &= check("etc/boot-fail-wait present",
                fw_cfg_find("etc/boot-fail-wait", &size) != 0 && size == 4);
    fw_cfg_select(FW_CFG_CMDLINE_DATA);
    fw_cfg_read(buf, sizeof(buf) - 1);
    kprintf("cmdline item: %s\n", buf);
    ok &= check("CMDLINE_DATA is the -append string",
                !kstrncmp(buf, cmdline + kstrlen(cmdline) - kstrlen(buf), sizeof(buf)));
    ok &= check_e820(mbi);
    kputs(ok ? "fw_cfg: all ok\n" : "fw_cfg: FAILED\n");
    return ok ? 0x21 : 0x20;
}
