/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Checks of the Linux boot protocol from the kernel's side (see
 * linux-head.S): the zero page (setup header copy, type_of_loader,
 * loadflags, heap_end_ptr, vid_mode, command line, initrd, e820 table),
 * the CPU mode and selectors, and the registers the protocol promises.
 * The command line must contain "initrd=SIZE" when an initrd whose first
 * bytes are "INITRD" is given. Exits with 0x27 (status 79) from the 64-bit
 * entry, 0x28 (status 81) from the 32-bit one, 0x20 on a failed check.
 */
#include "runtime.h"

#ifdef __x86_64__
uint64_t entry_sp;
#define OK_EXIT 0x27
#else
uint32_t entry_sp;
#define OK_EXIT 0x28
#endif

extern char startup_32[];

static uint16_t rd16(const uint8_t *p)
{
    return p[0] | (p[1] << 8);
}

static uint32_t rd32(const uint8_t *p)
{
    return rd16(p) | ((uint32_t)rd16(p + 2) << 16);
}

static uint64_t rd64(const uint8_t *p)
{
    return rd32(p) | ((uint64_t)rd32(p + 4) << 32);
}

static int check_cpu(void)
{
    uint16_t cs, ds, ss;
    uintptr_t cr0;
    int ok = 1;

    __asm__ volatile("mov %%cs, %0; mov %%ds, %1; mov %%ss, %2" : "=r"(cs), "=r"(ds), "=r"(ss));
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    kprintf("cs 0x%x ds 0x%x ss 0x%x cr0 0x%x sp 0x%x\n", cs, ds, ss, (uint32_t)cr0,
            (uint32_t)entry_sp);
    ok &= check("__BOOT_CS and __BOOT_DS selectors", cs == 0x10 && ds == 0x18 && ss == 0x18);
    ok &= check("interrupts disabled", ({
        uintptr_t f;
        __asm__ volatile("pushf; pop %0" : "=r"(f));
        !(f & 0x200);
    }));
#ifdef __x86_64__
    {
        uint32_t lo, hi;

        __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(0xc0000080));
        ok &= check("64-bit entry: long mode active, paging on",
                    (lo & (1u << 10)) && (cr0 & 0x80000000u));
    }
#else
    ok &= check("32-bit entry: protected mode, paging off",
                (cr0 & 1) && !(cr0 & 0x80000000u));
#endif
    ok &= check("stack pointer set", entry_sp != 0);
    return ok;
}

int kmain(const uint8_t *bp)
{
    const char *cmdline;
    uint32_t initrd_size, n, kbase = (uint32_t)(uintptr_t)startup_32, rd_image, rd_size;
    const uint8_t *e820;
    int ok = 1, high_ram = 0;

    serial_init();
    kprintf("linux boot test: zero page at 0x%x, kernel at 0x%x\n", (uint32_t)(uintptr_t)bp,
            kbase);
    ok &= check_cpu();
    ok &= check("setup header copied (HdrS, boot_flag, version)",
                rd32(bp + 0x202) == 0x53726448 && rd16(bp + 0x1fe) == 0xaa55 &&
                rd16(bp + 0x206) == 0x020f);
    ok &= check("type_of_loader 0xff", bp[0x210] == 0xff);
    ok &= check("loadflags: LOADED_HIGH and CAN_USE_HEAP", (bp[0x211] & 0x81) == 0x81);
    ok &= check("heap_end_ptr 0xfe00", rd16(bp + 0x224) == 0xfe00);
    ok &= check("vid_mode normal (0xffff)", rd16(bp + 0x1fa) == 0xffff);
    ok &= check("code32_start is the load address", rd32(bp + 0x214) == kbase);
    ok &= check("loaded at pref_address (relocatable) or 1 MiB",
                kbase == (bp[0x234] ? (uint32_t)rd64(bp + 0x258) : 0x100000u));
    cmdline = (const char *)(uintptr_t)rd32(bp + 0x228);
    kprintf("cmdline: %s\n", cmdline);
    ok &= check("command line from -append", karg(cmdline, "tern-linux-test") != NULL);

    initrd_size = katou(karg(cmdline, "initrd"));
    rd_image = rd32(bp + 0x218);
    rd_size = rd32(bp + 0x21c);
    kprintf("initrd: 0x%x +%u\n", rd_image, rd_size);
    if (initrd_size) {
        ok &= check("initrd size and contents", rd_size == initrd_size &&
                    !kmemcmp((const void *)(uintptr_t)rd_image, "INITRD", 6));
        ok &= check("initrd page-aligned, above the kernel, below initrd_addr_max",
                    !(rd_image & 0xfff) && rd_image > kbase &&
                    rd_image + rd_size - 1 <= rd32(bp + 0x22c));
    } else {
        ok &= check("no initrd", rd_image == 0 && rd_size == 0);
    }

    n = bp[0x1e8];
    e820 = bp + 0x2d0;
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *e = e820 + 20 * i;

        kprintf("e820: 0x%llx +0x%llx type %u\n", (unsigned long long)rd64(e),
                (unsigned long long)rd64(e + 8), rd32(e + 16));
        high_ram |= rd64(e) == 0x100000 && rd32(e + 16) == 1;
    }
    ok &= check("e820: low RAM first, RAM from 1 MiB",
                n >= 3 && rd64(e820) == 0 && rd64(e820 + 8) == 0x9fc00 && rd32(e820 + 16) == 1 &&
                high_ram);
    kputs(ok ? "linux-boot: all ok\n" : "linux-boot: FAILED\n");
    return ok ? OK_EXIT : 0x20;
}
