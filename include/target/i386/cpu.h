/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The x86 vCPU as boards see it: its APIC id and place in the topology
 * (reflected in CPUID) and the register state it starts from at power-on
 * and after each system reset. Under KVM the architectural state itself
 * lives in the kernel; this is only what Tern must decide about it.
 */
#ifndef TARGET_I386_CPU_H
#define TARGET_I386_CPU_H

#include <stdbool.h>
#include <stdint.h>

typedef enum X86EntryMode {
    /* Architectural power-on state (CS:IP = f000:fff0); application
     * processors then wait for INIT/SIPI from the BSP. */
    X86_ENTRY_RESET,
    /* Flat 4 GiB 32-bit protected mode, paging off (Multiboot). */
    X86_ENTRY_FLAT32,
    /* Linux 32-bit boot protocol: flat protected mode with a GDT loaded,
     * CS = 0x10, DS = ES = SS = 0x18, ESI = zero page. */
    X86_ENTRY_PROT32,
    /* Linux 64-bit boot protocol: long mode, paging with cr3, the same
     * selectors (CS 64-bit), RSI = zero page. */
    X86_ENTRY_LONG64,
} X86EntryMode;

typedef struct X86Topology {
    unsigned sockets, cores, threads;   /* cores per socket, threads per core */
} X86Topology;

typedef struct X86CPU {
    int index;                  /* vCPU index */
    uint32_t apic_id;
    bool bsp;
    X86Topology topo;
    X86EntryMode entry;
    /* entry registers (all modes but X86_ENTRY_RESET): eip is RIP */
    uint64_t eip;
    uint32_t eax, ebx, esi, esp;
    /* X86_ENTRY_PROT32 / X86_ENTRY_LONG64 */
    uint32_t gdt_base;
    uint16_t gdt_limit;
    uint32_t cr3;               /* X86_ENTRY_LONG64 */
} X86CPU;

/* APIC id of vCPU index under topo: thread, core and socket bit fields. */
uint32_t x86_apic_id_from_index(const X86Topology *topo, unsigned index);
/* Bits needed for n distinct values (0 for n <= 1). */
unsigned x86_topo_bits(unsigned n);

/* `info registers` / `-d cpu` text of a KVM vCPU's registers (target/i386/kvm.c). */
struct kvm_regs;
struct kvm_sregs;
typedef struct _GString GString;
void x86_format_regs(GString *out, const struct kvm_regs *r, const struct kvm_sregs *sr);

#endif
