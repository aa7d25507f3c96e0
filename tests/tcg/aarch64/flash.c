/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Firmware boot on the virt board: this program is a flat image given with
 * -bios, so it runs from flash0 at 0 (link-flash.ld). It checks how it was
 * started (PC in flash, X0 = 0, the device tree at the start of RAM with a
 * cfi-flash node) and drives flash1, the variables bank at 0x0400_0000, as
 * EDK2 does: CFI query, identifier, block erase, word and buffered program,
 * status polling, and back to read-array.
 */
#include "runtime.h"

#define FLASH1      0x04000000ul
#define BLOCK       (256 * 1024ul)
#define RAM_BASE    0x40000000ul
/* Both x16 chips of the bank get the same command. */
#define CMD(c)      ((uint32_t)(c) * 0x00010001u)

/* Written by flash-start.S (kept in .data so the BSS clearing spares them). */
uint64_t flash_entry_x0 = 0x5a5a5a5a;
uint64_t flash_entry_pc = 0x5a5a5a5a;

static inline void wr32(unsigned long a, uint32_t v)
{
    *(volatile uint32_t *)a = v;
}

static inline uint32_t rd32(unsigned long a)
{
    return *(volatile uint32_t *)a;
}

static uint8_t query(unsigned word)
{
    return rd32(FLASH1 + 4 * word) & 0xff;
}

static uint32_t wait_ready(unsigned long a)
{
    uint32_t st;
    int spins = 0;

    wr32(a, CMD(0x70));
    do {
        st = rd32(a);
    } while ((st & CMD(0x80)) != CMD(0x80) && ++spins < 1000000);
    return st;
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static bool dtb_has(const char *s)
{
    const uint8_t *dtb = (const uint8_t *)RAM_BASE;
    uint32_t size = be32(dtb + 4);
    size_t n = strlen(s);

    for (uint32_t i = 0; i + n <= size && size < (2u << 20); i++) {
        if (!memcmp(dtb + i, s, n)) {
            return true;
        }
    }
    return false;
}

int main(void)
{
    uint32_t st;
    bool ok;

    tap_plan(18);
    tap_eq(flash_entry_pc, 0, "started at 0 in flash0");
    tap_eq(flash_entry_x0, 0, "x0 = 0 at entry");
    tap_eq(be32((const uint8_t *)RAM_BASE), 0xd00dfeed, "device tree at the start of RAM");
    tap_ok(dtb_has("cfi-flash") && dtb_has("bank-width"), "the tree describes the flash");

    /* CFI query of flash1: two x16 chips of 32 MiB, 128 KiB blocks each. */
    wr32(FLASH1, CMD(0xff));
    wr32(FLASH1 + 0x55 * 4, CMD(0x98));
    tap_ok(query(0x10) == 'Q' && query(0x11) == 'R' && query(0x12) == 'Y', "CFI query: QRY");
    tap_eq(rd32(FLASH1 + 0x10 * 4), CMD('Q'), "both chips answer");
    tap_eq(query(0x13) | query(0x14) << 8, 1, "command set 0001 (Intel/Sharp)");
    tap_eq(query(0x27), 25, "32 MiB per chip");
    tap_eq((query(0x2d) | query(0x2e) << 8) + 1, 256, "256 blocks");
    tap_eq((query(0x2f) | query(0x30) << 8) * 256, 128 * 1024, "128 KiB blocks per chip");
    /* Software leaves query mode with read-array before the next command. */
    wr32(FLASH1, CMD(0xff));
    wr32(FLASH1, CMD(0x90));
    tap_eq(rd32(FLASH1), CMD(0x89), "manufacturer id");

    /* Erase the second block, then program it word by word and buffered. */
    wr32(FLASH1, CMD(0xff));
    wr32(FLASH1 + BLOCK, CMD(0x50));
    wr32(FLASH1 + BLOCK, CMD(0x20));
    wr32(FLASH1 + BLOCK, CMD(0xd0));
    st = wait_ready(FLASH1 + BLOCK);
    tap_eq(st & CMD(0xb0), CMD(0x80), "block erase: ready, no error");
    wr32(FLASH1, CMD(0xff));
    ok = true;
    for (unsigned long off = 0; off < BLOCK; off += 4096) {
        ok = ok && rd32(FLASH1 + BLOCK + off) == 0xffffffff;
    }
    tap_ok(ok, "the block reads erased");

    wr32(FLASH1 + BLOCK + 0x100, CMD(0x40));
    wr32(FLASH1 + BLOCK + 0x100, 0xdeadbeef);
    st = wait_ready(FLASH1 + BLOCK);
    tap_eq(st & CMD(0xb0), CMD(0x80), "word program: ready, no error");

    wr32(FLASH1 + BLOCK, CMD(0xe8));
    st = rd32(FLASH1 + BLOCK);
    wr32(FLASH1 + BLOCK, CMD(7));
    for (unsigned i = 0; i < 8; i++) {
        wr32(FLASH1 + BLOCK + 4 * i, 0x01010101u * (i + 1));
    }
    wr32(FLASH1 + BLOCK, CMD(0xd0));
    st = wait_ready(FLASH1 + BLOCK);
    tap_eq(st & CMD(0xb0), CMD(0x80), "buffered program: ready, no error");

    wr32(FLASH1, CMD(0xff));
    tap_eq(rd32(FLASH1 + BLOCK + 0x100), 0xdeadbeef, "word programmed");
    ok = true;
    for (unsigned i = 0; i < 8; i++) {
        ok = ok && rd32(FLASH1 + BLOCK + 4 * i) == 0x01010101u * (i + 1);
    }
    tap_ok(ok && rd32(FLASH1 + BLOCK + 32) == 0xffffffff, "buffer programmed");

    /*
     * A command and the read right after it in one basic block (Linux's
     * map_write then map_read inline): the read must see the device, not
     * the array bytes the read-array mode showed a moment ago.
     */
    uint32_t got, before = rd32(FLASH1 + 0x40);
    __asm__ volatile("str %w[c], [%[a]]\n\tldr %w[g], [%[a]]"
                     : [g] "=&r"(got) : [a] "r"(FLASH1 + 0x40), [c] "r"(CMD(0x98)) : "memory");
    wr32(FLASH1, CMD(0xff));
    tap_ok(got == CMD('Q'), "query read in the same block as the command (0x%x, array 0x%x)",
           got, before);
    return tap_done();
}
