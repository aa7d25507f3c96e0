/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Capstone wrapper. Opening a capstone handle allocates tables, and in_asm
 * logging disassembles every new block, so each thread keeps one handle per
 * architecture for its lifetime instead of opening one per call. Capstone 4
 * (Debian 12) lacks the A64 "mov" aliases of MOVZ/MOVN/ORR, which newer
 * capstone, objdump and the architecture manual prefer; they are applied
 * here from the instruction word.
 */
#include "util/disas.h"

#include <capstone/capstone.h>

typedef struct {
    csh handle[DISAS_ARCH_MAX];
    cs_insn *insn[DISAS_ARCH_MAX];
    bool tried[DISAS_ARCH_MAX];
    bool ok[DISAS_ARCH_MAX];
} DisasCache;

static void disas_cache_free(gpointer p)
{
    DisasCache *c = p;

    for (int i = 0; i < DISAS_ARCH_MAX; i++) {
        if (c->ok[i]) {
            cs_free(c->insn[i], 1);
            cs_close(&c->handle[i]);
        }
    }
    g_free(c);
}

static GPrivate disas_cache_key = G_PRIVATE_INIT(disas_cache_free);

/* Returns false if capstone lacks the architecture. */
static bool disas_get(DisasArch arch, csh *h, cs_insn **insn)
{
    DisasCache *c = g_private_get(&disas_cache_key);

    g_assert(arch >= 0 && arch < DISAS_ARCH_MAX);
    if (!c) {
        c = g_new0(DisasCache, 1);
        g_private_set(&disas_cache_key, c);
    }
    if (!c->tried[arch]) {
        cs_arch a = arch == DISAS_AARCH64 ? CS_ARCH_ARM64 : CS_ARCH_X86;
        cs_mode m;

        switch (arch) {
        case DISAS_AARCH64:
            m = CS_MODE_LITTLE_ENDIAN;
            break;
        case DISAS_X86_64:
            m = CS_MODE_64;
            break;
        case DISAS_I386:
            m = CS_MODE_32;
            break;
        default:
            m = CS_MODE_16;
            break;
        }
        c->tried[arch] = true;
        if (cs_open(a, m, &c->handle[arch]) == CS_ERR_OK) {
            c->insn[arch] = cs_malloc(c->handle[arch]);
            c->ok[arch] = true;
        }
    }
    *h = c->handle[arch];
    *insn = c->insn[arch];
    return c->ok[arch];
}

/* AArch64 shows the instruction word, x86 the byte sequence. */
static void disas_raw(GString *out, DisasArch arch, const uint8_t *p, size_t n)
{
    GString *raw = g_string_new(NULL);

    if (arch == DISAS_AARCH64 && n == 4) {
        g_string_append_printf(raw, "%08x",
                               (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                                   (uint32_t)p[3] << 24);
    } else {
        for (size_t i = 0; i < n; i++) {
            g_string_append_printf(raw, i ? " %02x" : "%02x", p[i]);
        }
    }
    g_string_append_printf(out, "%-*s  ", arch == DISAS_AARCH64 ? 12 : 24, raw->str);
    g_string_free(raw, TRUE);
}

/* Capstone's style: small values in decimal, the rest in hex. */
static void imm_append(GString *out, int64_t v, bool is_signed)
{
    if (is_signed && v < 0) {
        uint64_t m = -(uint64_t)v;

        g_string_append_printf(out, m > 9 ? "#-0x%" G_GINT64_MODIFIER "x"
                                          : "#-%" G_GINT64_MODIFIER "u", m);
    } else {
        uint64_t u = v;

        g_string_append_printf(out, u > 9 ? "#0x%" G_GINT64_MODIFIER "x"
                                          : "#%" G_GINT64_MODIFIER "u", u);
    }
}

/* The A64 DecodeBitMasks() pseudocode, for logical immediates. */
static bool a64_bitmask(unsigned n, unsigned imms, unsigned immr, bool is64, uint64_t *out)
{
    unsigned combined = (n << 6) | (~imms & 0x3f);
    unsigned len, esize, levels, s, r;
    uint64_t welem, elem, mask, v = 0;

    if (combined == 0 || (!is64 && n)) {
        return false;
    }
    len = 31 - __builtin_clz(combined);
    if (len < 1) {
        return false;
    }
    esize = 1u << len;
    levels = esize - 1;
    s = imms & levels;
    r = immr & levels;
    if (s == levels) {
        return false;
    }
    mask = esize == 64 ? ~0ull : (1ull << esize) - 1;
    welem = (1ull << (s + 1)) - 1;
    elem = r ? ((welem >> r) | (welem << (esize - r))) & mask : welem;
    for (unsigned i = 0; i < 64; i += esize) {
        v |= elem << i;
    }
    *out = is64 ? v : (v & 0xffffffffu);
    return true;
}

/* The A64 MoveWidePreferred() pseudocode. */
static bool a64_move_wide_preferred(bool is64, unsigned n, unsigned imms, unsigned immr)
{
    unsigned width = is64 ? 64 : 32;

    if (is64 ? n != 1 : (n != 0 || (imms & 0x20))) {
        return false;
    }
    if (imms < 16) {
        return ((16 - immr) & 15) <= 15 - imms;
    }
    if (imms >= width - 15) {
        return (immr & 15) <= imms - (width - 15);
    }
    return false;
}

/*
 * Capstone 4 prints MOVZ, MOVN and ORR-from-zero as themselves; the
 * architecture's preferred disassembly (and capstone 5, objdump, QEMU's
 * logs) is "mov". Returns true if it wrote the alias.
 */
static bool a64_mov_alias(GString *out, uint32_t insn)
{
    bool is64 = insn >> 31;
    unsigned rd = insn & 31;
    const char *zr = is64 ? "xzr" : "wzr";
    int64_t value;

    if ((insn & 0x7f800000) == 0x52800000 || (insn & 0x7f800000) == 0x12800000) {
        bool movn = (insn & 0x7f800000) == 0x12800000;
        unsigned hw = (insn >> 21) & 3;
        uint64_t imm = (insn >> 5) & 0xffff;
        uint64_t v = imm << (16 * hw);

        if ((imm == 0 && hw != 0) || (!is64 && hw > 1) || (movn && !is64 && imm == 0xffff)) {
            return false;
        }
        if (movn) {
            v = ~v;
        }
        value = is64 ? (int64_t)v : (int64_t)(int32_t)(uint32_t)v;
        g_string_append(out, "mov ");
        if (rd == 31) {
            g_string_append(out, zr);
        } else {
            g_string_append_printf(out, "%c%u", is64 ? 'x' : 'w', rd);
        }
        g_string_append(out, ", ");
        imm_append(out, value, true);
        return true;
    }
    if ((insn & 0x7f800000) == 0x32000000 && ((insn >> 5) & 31) == 31) {
        unsigned n = (insn >> 22) & 1, immr = (insn >> 16) & 0x3f, imms = (insn >> 10) & 0x3f;
        uint64_t v;

        if (!a64_bitmask(n, imms, immr, is64, &v) ||
            a64_move_wide_preferred(is64, n, imms, immr)) {
            return false;
        }
        g_string_append(out, "mov ");
        if (rd == 31) {
            g_string_append(out, is64 ? "sp" : "wsp");
        } else {
            g_string_append_printf(out, "%c%u", is64 ? 'x' : 'w', rd);
        }
        g_string_append(out, ", ");
        imm_append(out, v, false);
        return true;
    }
    return false;
}

bool disas_insn_text(GString *out, DisasArch arch, const void *code, size_t len,
                     uint64_t vaddr, size_t *insn_len)
{
    const uint8_t *p = code;
    size_t size = len;
    uint64_t addr = vaddr;
    cs_insn *insn;
    csh h;

    if (!len || !disas_get(arch, &h, &insn) || !cs_disasm_iter(h, &p, &size, &addr, insn)) {
        return false;
    }
    if (arch != DISAS_AARCH64 || insn->size != 4 ||
        !a64_mov_alias(out, (uint32_t)insn->bytes[0] | (uint32_t)insn->bytes[1] << 8 |
                                (uint32_t)insn->bytes[2] << 16 | (uint32_t)insn->bytes[3] << 24)) {
        g_string_append(out, insn->mnemonic);
        if (insn->op_str[0]) {
            g_string_append_printf(out, " %s", insn->op_str);
        }
    }
    if (insn_len) {
        *insn_len = insn->size;
    }
    return true;
}

size_t disas_one(GString *out, DisasArch arch, const void *code, size_t len, uint64_t vaddr)
{
    const uint8_t *p = code;
    GString *text = g_string_new(NULL);
    size_t n;

    if (!len) {
        g_string_free(text, TRUE);
        return 0;
    }
    g_string_append_printf(out, "0x%016" G_GINT64_MODIFIER "x:  ", vaddr);
    if (!disas_insn_text(text, arch, code, len, vaddr, &n)) {
        /* A64 decodes in 4-byte units; x86 resynchronises byte by byte. */
        n = arch == DISAS_AARCH64 ? MIN(len, 4) : 1;
        g_string_truncate(text, 0);
        g_string_append(text, ".byte ");
        for (size_t i = 0; i < n; i++) {
            g_string_append_printf(text, i ? ", 0x%02x" : "0x%02x", p[i]);
        }
    }
    disas_raw(out, arch, p, n);
    g_string_append(out, text->str);
    g_string_append_c(out, '\n');
    g_string_free(text, TRUE);
    return n;
}

void disas_to_string(GString *out, DisasArch arch, const void *code, size_t len, uint64_t vaddr)
{
    const uint8_t *p = code;
    size_t off = 0;

    while (off < len) {
        off += disas_one(out, arch, p + off, len - off, vaddr + off);
    }
}
