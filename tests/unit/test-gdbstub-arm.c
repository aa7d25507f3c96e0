/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the gdb stub's AArch64 side (target/arm/gdbstub.c): the
 * target description lists exactly the registers of the g packet, in gdb's
 * order and sizes, and the g/G/p/P packing moves each register to and from
 * the right bytes of the CPU state (little-endian, cpsr keeping its EL and
 * SP selection). Also how the engine's debug stops become gdb stop reasons.
 */
#include <string.h>

#include "gdbstub/arch.h"
#include "system/cpus.h"
#include "target/arm/cpu.h"

typedef struct XmlRegs {
    GPtrArray *names;
    GArray *bits;
    GPtrArray *features;
} XmlRegs;

static void xml_start(GMarkupParseContext *ctx, const char *element, const char **names,
                      const char **values, gpointer data, GError **err)
{
    XmlRegs *x = data;
    const char *name = NULL, *bitsize = NULL;

    for (int i = 0; names[i]; i++) {
        if (!strcmp(names[i], "name")) {
            name = values[i];
        } else if (!strcmp(names[i], "bitsize")) {
            bitsize = values[i];
        }
    }
    if (!strcmp(element, "reg")) {
        int bits = atoi(bitsize);

        g_assert_nonnull(name);
        g_assert_nonnull(bitsize);
        g_ptr_array_add(x->names, g_strdup(name));
        g_array_append_val(x->bits, bits);
    } else if (!strcmp(element, "feature")) {
        g_ptr_array_add(x->features, g_strdup(name));
    }
}

static void test_xml(void)
{
    const GdbArch *a = gdb_arch_aarch64_tcg();
    static const GMarkupParser parser = { .start_element = xml_start };
    XmlRegs x = {
        .names = g_ptr_array_new_with_free_func(g_free),
        .bits = g_array_new(FALSE, FALSE, sizeof(int)),
        .features = g_ptr_array_new_with_free_func(g_free),
    };
    GMarkupParseContext *ctx = g_markup_parse_context_new(&parser, 0, &x, NULL);
    /* the DOCTYPE line is not XML GMarkup accepts */
    const char *body = strstr(a->target_xml, "<target");
    GError *err = NULL;
    int total = 0;

    g_assert_nonnull(body);
    g_assert_true(g_markup_parse_context_parse(ctx, body, -1, &err));
    g_assert_true(g_markup_parse_context_end_parse(ctx, &err));
    g_assert_no_error(err);
    g_markup_parse_context_free(ctx);

    g_assert_cmpuint(x.features->len, ==, 2);
    g_assert_cmpstr(g_ptr_array_index(x.features, 0), ==, "org.gnu.gdb.aarch64.core");
    g_assert_cmpstr(g_ptr_array_index(x.features, 1), ==, "org.gnu.gdb.aarch64.fpu");
    g_assert_cmpint(x.names->len, ==, a->num_regs);
    g_assert_cmpint(a->num_regs, ==, 68);
    for (int i = 0; i < 68; i++) {
        g_autofree char *want = NULL;
        int bits;

        if (i <= 30) {
            want = g_strdup_printf("x%d", i);
            bits = 64;
        } else if (i >= 34 && i <= 65) {
            want = g_strdup_printf("v%d", i - 34);
            bits = 128;
        } else {
            static const char *const other[] = {
                [31] = "sp", [32] = "pc", [33] = "cpsr", [66] = "fpsr", [67] = "fpcr",
            };
            want = g_strdup(other[i]);
            bits = (i == 31 || i == 32) ? 64 : 32;
        }
        g_assert_cmpstr(g_ptr_array_index(x.names, i), ==, want);
        g_assert_cmpint(g_array_index(x.bits, int, i), ==, bits);
        total += bits / 8;
    }
    g_assert_cmpstr(g_ptr_array_index(x.names, a->pc_regnum), ==, "pc");
    g_assert_cmpint(total, ==, 33 * 8 + 4 + 32 * 16 + 8);
    g_ptr_array_free(x.names, TRUE);
    g_array_free(x.bits, TRUE);
    g_ptr_array_free(x.features, TRUE);
}

typedef struct Fixture {
    CPUARMState *env;
    CPUState cs;
} Fixture;

static void fixture_init(Fixture *f)
{
    CPUARMState *env = g_new0(CPUARMState, 1);

    memset(&f->cs, 0, sizeof(f->cs));
    f->env = env;
    f->cs.arch_state = env;
    env->cs = &f->cs;
    for (int i = 0; i < 32; i++) {
        env->xregs[i] = 0x1000000000000000ull * (i % 16) + i;
        env->vregs[i][0] = 0x0101010101010101ull * i;
        env->vregs[i][1] = ~env->vregs[i][0];
    }
    env->pc = 0x40201234;
    env->pstate = (1u << PSTATE_EL_SHIFT) | PSTATE_SP | PSTATE_DAIF;
    arm_set_nzcv(env, PSTATE_N | PSTATE_C);
    env->fpsr = 0x08000010;
    env->fpcr = 0x03c00000;
}

static uint64_t le_get(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < n; i++) {
        v |= (uint64_t)p[i] << (8 * i);
    }
    return v;
}

static void test_g_packet(void)
{
    const GdbArch *a = gdb_arch_aarch64_tcg();
    Fixture f;
    g_autoptr(GByteArray) g = g_byte_array_new();
    const uint8_t *p;

    fixture_init(&f);
    g_assert_true(a->read_registers(&f.cs, g));
    g_assert_cmpuint(g->len, ==, 788);
    p = g->data;
    for (int i = 0; i < 32; i++) {
        g_assert_cmphex(le_get(p + 8 * i, 8), ==, f.env->xregs[i]);
    }
    g_assert_cmphex(le_get(p + 256, 8), ==, 0x40201234);
    g_assert_cmphex(le_get(p + 264, 4), ==, 0xa00003c5);
    for (int i = 0; i < 32; i++) {
        g_assert_cmphex(le_get(p + 268 + 16 * i, 8), ==, f.env->vregs[i][0]);
        g_assert_cmphex(le_get(p + 276 + 16 * i, 8), ==, f.env->vregs[i][1]);
    }
    g_assert_cmphex(le_get(p + 780, 4), ==, 0x08000010);
    g_assert_cmphex(le_get(p + 784, 4), ==, 0x03c00000);

    /* G: every register back from a changed buffer */
    for (guint i = 0; i < g->len; i++) {
        g->data[i] ^= 0x5a;
    }
    g_assert_false(a->write_registers(&f.cs, g->data, g->len - 1));
    g_assert_true(a->write_registers(&f.cs, g->data, g->len));
    g_assert_cmphex(f.env->xregs[3], ==, (0x3000000000000000ull + 3) ^ 0x5a5a5a5a5a5a5a5aull);
    g_assert_cmphex(f.env->xregs[31], ==, (0x1000000000000000ull * 15 + 31) ^
                    0x5a5a5a5a5a5a5a5aull);
    g_assert_cmphex(f.env->pc, ==, 0x40201234 ^ 0x5a5a5a5a5a5a5a5aull);
    g_assert_cmphex(f.env->vregs[7][1], ==, ~(0x0101010101010101ull * 7) ^
                    0x5a5a5a5a5a5a5a5aull);
    g_assert_cmphex(f.env->fpsr, ==, 0x08000010 ^ 0x5a5a5a5a);
    g_assert_cmphex(f.env->fpcr, ==, 0x03c00000 ^ 0x5a5a5a5a);
    /* cpsr: the flags change (N C -> N Z C V), EL1h stays */
    g_assert_cmphex(arm_get_nzcv(f.env), ==, PSTATE_NZCV);
    g_assert_cmphex(f.env->pstate & PSTATE_M_MASK, ==, (1u << PSTATE_EL_SHIFT) | PSTATE_SP);
    g_free(f.env);
}

static void test_p_packet(void)
{
    const GdbArch *a = gdb_arch_aarch64_tcg();
    Fixture f;
    g_autoptr(GByteArray) r = g_byte_array_new();
    uint8_t v[16];

    fixture_init(&f);
    g_assert_true(a->read_register(&f.cs, 32, r));
    g_assert_cmpuint(r->len, ==, 8);
    g_assert_cmphex(le_get(r->data, 8), ==, 0x40201234);
    g_byte_array_set_size(r, 0);
    g_assert_true(a->read_register(&f.cs, 34 + 5, r));
    g_assert_cmpuint(r->len, ==, 16);
    g_assert_cmphex(le_get(r->data + 8, 8), ==, ~(0x0101010101010101ull * 5));
    g_byte_array_set_size(r, 0);
    g_assert_false(a->read_register(&f.cs, 68, r));

    for (int i = 0; i < 16; i++) {
        v[i] = i + 1;
    }
    g_assert_false(a->write_register(&f.cs, 0, v, 4));
    g_assert_true(a->write_register(&f.cs, 0, v, 8));
    g_assert_cmphex(f.env->xregs[0], ==, 0x0807060504030201ull);
    g_assert_true(a->write_register(&f.cs, 34 + 31, v, 16));
    g_assert_cmphex(f.env->vregs[31][1], ==, 0x100f0e0d0c0b0a09ull);
    g_assert_true(a->write_register(&f.cs, 67, v, 4));
    g_assert_cmphex(f.env->fpcr, ==, 0x04030201);
    g_free(f.env);
}

static void test_stop_reason(void)
{
    const GdbArch *a = gdb_arch_aarch64_tcg();
    GdbHwBreak hw[2] = {
        { .type = GDB_BP_HW, .addr = 0x1000, .len = 1 },
        { .type = GDB_BP_HW, .addr = 0x2000, .len = 1 },
    };
    GdbStopReason why;
    Fixture f;
    TCGCPUDebug *d;

    fixture_init(&f);
    d = &f.env->tcg.debug;
    d->stop = TCG_DEBUG_STOP_STEP;
    d->stop_pc = 0x44;
    a->stop_reason(&f.cs, hw, 2, &why);
    g_assert_cmpint(why.kind, ==, GDB_STOP_OTHER);
    g_assert_cmphex(why.pc, ==, 0x44);

    d->stop = TCG_DEBUG_STOP_BREAK;
    d->stop_kind = TCG_BREAK_SW;
    d->stop_pc = 0x3000;
    a->stop_reason(&f.cs, hw, 2, &why);
    g_assert_cmpint(why.kind, ==, GDB_STOP_SWBREAK);
    g_assert_cmphex(why.pc, ==, 0x3000);

    d->stop_kind = TCG_BREAK_HW;
    d->stop_index = 1;
    d->stop_pc = 0x2000;
    a->stop_reason(&f.cs, hw, 2, &why);
    g_assert_cmpint(why.kind, ==, GDB_STOP_HW);
    g_assert_cmpint(why.slot, ==, 1);

    /* engine-kept breakpoints; no watchpoints */
    g_assert_nonnull(a->update_sw_breaks);
    g_assert_true(a->no_watchpoints);
    g_assert_true(a->hw_break_valid(&hw[0]));
    hw[0].addr = 0x1002;
    g_assert_false(a->hw_break_valid(&hw[0]));
    g_free(f.env);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/gdbstub/arm/xml", test_xml);
    g_test_add_func("/gdbstub/arm/g-packet", test_g_packet);
    g_test_add_func("/gdbstub/arm/p-packet", test_p_packet);
    g_test_add_func("/gdbstub/arm/stop-reason", test_stop_reason);
    return g_test_run();
}
