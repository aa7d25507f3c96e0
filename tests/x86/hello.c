/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * First-light kernel: greets on COM1, prints the Multiboot information the
 * loader passed (memory sizes, command line, loader name, memory map,
 * modules) and exits through isa-debug-exit with 0x2a, so a run that got
 * this far ends with status (0x2a << 1) | 1 = 85.
 */
#include "runtime.h"

#define HELLO_EXIT 0x2a

int kmain(uint32_t magic, const struct mb_info *mbi)
{
    serial_init();
    kputs("Hello from Tern\n");
    if (magic != MB_BOOT_MAGIC) {
        kprintf("bad boot magic 0x%x\n", magic);
        return 2;
    }
    kprintf("flags: 0x%x\n", mbi->flags);
    if (mbi->flags & (1u << 0)) {
        kprintf("mem_lower: %u KiB\nmem_upper: %u KiB\n", mbi->mem_lower, mbi->mem_upper);
    }
    if (mbi->flags & (1u << 2)) {
        kprintf("cmdline: %s\n", (const char *)mbi->cmdline);
    }
    if (mbi->flags & (1u << 9)) {
        kprintf("loader: %s\n", (const char *)mbi->boot_loader_name);
    }
    if (mbi->flags & (1u << 6)) {
        uint32_t p = mbi->mmap_addr;

        while (p < mbi->mmap_addr + mbi->mmap_length) {
            const struct mb_mmap_entry *e = (const void *)p;
            kprintf("mmap: 0x%llx +0x%llx type %u\n", e->addr, e->len, e->type);
            p += e->size + 4;
        }
    }
    if (mbi->flags & (1u << 3)) {
        const struct mb_module *m = (const void *)mbi->mods_addr;

        for (uint32_t i = 0; i < mbi->mods_count; i++) {
            const char *s = (const char *)m[i].mod_start;
            kprintf("module: 0x%x-0x%x '%s' starts with '%c'\n", m[i].mod_start,
                    m[i].mod_end, (const char *)m[i].string,
                    m[i].mod_end > m[i].mod_start ? s[0] : '-');
        }
    }
    kputs("Bye\n");
    return HELLO_EXIT;
}
