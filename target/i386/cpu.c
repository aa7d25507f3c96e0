/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * x86 CPU topology helpers: how a vCPU index maps to an APIC id. The id is
 * packed from thread, core and socket numbers, each field as wide as its
 * count needs (rounded up to a power of two), the layout CPUID leaf 0xB
 * and the MP/ACPI tables describe to the guest.
 */
#include "target/i386/cpu.h"

unsigned x86_topo_bits(unsigned n)
{
    unsigned bits = 0;

    while (n > 1 && (1u << bits) < n) {
        bits++;
    }
    return bits;
}

uint32_t x86_apic_id_from_index(const X86Topology *topo, unsigned index)
{
    unsigned threads = topo->threads ? topo->threads : 1;
    unsigned cores = topo->cores ? topo->cores : 1;
    unsigned smt_bits = x86_topo_bits(threads);
    unsigned core_bits = x86_topo_bits(cores);
    unsigned thread = index % threads;
    unsigned core = (index / threads) % cores;
    unsigned pkg = index / (threads * cores);

    return (pkg << (core_bits + smt_bits)) | (core << smt_bits) | thread;
}
