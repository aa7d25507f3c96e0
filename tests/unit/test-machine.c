/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Machine registry and instance tests: lookup by name and alias, defaults
 * per target, the -machine help listing, -machine options through keyval,
 * CPU checks before init, and the "none" machine's RAM.
 */
#include <string.h>

#include "hw/core/machine.h"
#include "system/memory.h"
#include "util/error.h"
#include "util/keyval.h"

typedef struct TestVirt {
    MachineState parent;
    uint32_t gic_version;
    bool secure;
    int inits;
    int resets;
} TestVirt;

static const Property test_virt_props[] = {
    PROP_UINT32("gic-version", TestVirt, gic_version, 2, "GIC version"),
    PROP_BOOL("secure", TestVirt, secure, false),
    /* Overrides a common option's default. */
    PROP_BOOL("graphics", MachineState, graphics, false, "Graphics"),
    PROP_END
};

static bool test_virt_init(MachineState *ms, GError **errp)
{
    ((TestVirt *)ms)->inits++;
    return true;
}

static void test_virt_reset(MachineState *ms)
{
    ((TestVirt *)ms)->resets++;
}

static const char *const test_virt_cpus[] = { "cortex-a57", "max", NULL };

static const MachineClass test_virt_class = {
    .name = "test-virt-9.0",
    .alias = "test-virt",
    .desc = "Test ARM board",
    .targets = TARGET_AARCH64,
    .is_default = true,
    .default_ram_size = 128 << 20,
    .max_cpus = 8,
    .default_cpu_type = "cortex-a57",
    .valid_cpu_types = test_virt_cpus,
    .instance_size = sizeof(TestVirt),
    .props = test_virt_props,
    .init = test_virt_init,
    .reset = test_virt_reset,
};

static const MachineClass test_pc_class = {
    .name = "test-pc-9.0",
    .alias = "test-pc",
    .desc = "Standard PC",
    .targets = TARGET_X86_64,
    .is_default = true,
    .min_cpus = 1,
    .max_cpus = 255,
    .instance_size = sizeof(MachineState),
};

static const MachineClass test_micro_class = {
    .name = "test-micro",
    .desc = "micro board",
    .targets = TARGET_X86_64,
    .min_cpus = 2,
    .max_cpus = 4,
    .instance_size = sizeof(MachineState),
};

static void assert_error(GError **err, const char *expect)
{
    g_assert_nonnull(*err);
    g_assert_null(strchr((*err)->message, '\n'));
    if (!strstr((*err)->message, expect)) {
        g_error("error '%s' does not contain '%s'", (*err)->message, expect);
    }
    g_clear_error(err);
}

static char *capture_help(unsigned mask)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    machine_print_help_list(f, mask, mask ? mask : TARGET_ALL);
    fclose(f);
    return buf;
}

static void test_registry(void)
{
    g_assert_true(machine_class_find("test-virt-9.0") == &test_virt_class);
    g_assert_true(machine_class_find("test-virt") == &test_virt_class);
    g_assert_true(machine_class_find("test-pc") == &test_pc_class);
    g_assert_nonnull(machine_class_find("none"));
    g_assert_null(machine_class_find("nosuch"));
    g_assert_null(machine_class_find(NULL));

    g_assert_true(machine_class_default(TARGET_AARCH64) == &test_virt_class);
    g_assert_true(machine_class_default(TARGET_X86_64) == &test_pc_class);
    g_assert_null(machine_class_default(TARGET_NONE));

    /* Registering the core machines again is harmless. */
    hw_register_core_machines();
    g_assert_true(machine_class_find("none")->targets == TARGET_ALL);
}

static void test_help(void)
{
    g_autofree char *all = capture_help(0);
    g_autofree char *arm = capture_help(TARGET_AARCH64);

    g_assert_cmpstr(all, ==,
        "Supported machines are:\n"
        "none                 empty machine\n"
        "test-micro           micro board\n"
        "test-pc              Standard PC (alias of test-pc-9.0)\n"
        "test-pc-9.0          Standard PC (default)\n"
        "test-virt            Test ARM board (alias of test-virt-9.0)\n"
        "test-virt-9.0        Test ARM board (default)\n");
    g_assert_cmpstr(arm, ==,
        "Supported machines are:\n"
        "none                 empty machine\n"
        "test-virt            Test ARM board (alias of test-virt-9.0)\n"
        "test-virt-9.0        Test ARM board (default)\n");
}

static void test_props_help(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    machine_print_props(f, &test_virt_class);
    fclose(f);
    g_assert_true(g_str_has_prefix(buf, "test-virt-9.0-machine options:\n"
                                        "  gic-version=<uint32>   - GIC version "
                                        "(default: 2)\n"));
    g_assert_nonnull(strstr(buf, "  graphics=<bool>        - Graphics "
                                 "(default: false)\n"));
    g_assert_nonnull(strstr(buf, "  kernel=<str>           - Linux kernel "
                                 "image file\n"));
    /* The overridden common option is listed once. */
    g_assert_null(strstr(buf, "enable/disable graphics"));
    g_free(buf);
}

static void test_new_defaults(void)
{
    GError *err = NULL;
    MachineState *ms = machine_new(&test_virt_class, &err);
    TestVirt *v = (TestVirt *)ms;
    MachineState *micro;

    g_assert_no_error(err);
    g_assert_true(ms->klass == &test_virt_class);
    g_assert_cmpuint(ms->ram_size, ==, 128 << 20);
    g_assert_cmpuint(ms->smp.cpus, ==, 1);
    g_assert_cmpuint(ms->smp.maxcpus, ==, 1);
    g_assert_cmpstr(ms->cpu_type, ==, "cortex-a57");
    g_assert_cmpuint(v->gic_version, ==, 2);
    g_assert_false(ms->graphics);
    g_assert_true(ms->mem_merge);
    g_assert_null(ms->kernel_filename);
    machine_free(ms);

    micro = machine_new(&test_micro_class, &err);
    g_assert_cmpuint(micro->smp.cpus, ==, 2);
    g_assert_null(micro->cpu_type);
    g_assert_true(micro->graphics);
    machine_free(micro);
}

static bool set_from(MachineState *ms, const char *opts, GError **errp)
{
    g_autoptr(KeyvalList) kv = keyval_parse(opts, "type", errp);

    return kv && machine_set_props_from_keyval(ms, kv, errp);
}

static void test_keyval_props(void)
{
    GError *err = NULL;
    MachineState *ms = machine_new(&test_virt_class, &err);
    TestVirt *v = (TestVirt *)ms;
    MachineState *none = machine_new(machine_class_find("none"), &err);
    g_autofree char *gic = NULL;

    g_assert_true(set_from(ms, "test-virt,gic-version=3,accel=tcg,secure=on,"
                               "kernel=/tmp/Image,append=console=ttyAMA0,,x",
                           &err));
    g_assert_no_error(err);
    g_assert_cmpuint(v->gic_version, ==, 3);
    g_assert_true(v->secure);
    g_assert_cmpstr(ms->kernel_filename, ==, "/tmp/Image");
    g_assert_cmpstr(ms->kernel_cmdline, ==, "console=ttyAMA0,x");
    gic = machine_get_prop(ms, "gic-version");
    g_assert_cmpstr(gic, ==, "3");
    g_assert_null(machine_get_prop(ms, "nosuch"));

    g_assert_false(set_from(ms, "test-virt,foo=1", &err));
    assert_error(&err, "-machine test-virt-9.0: property 'foo' not found");
    g_assert_false(set_from(ms, "test-virt,gic-version=abc", &err));
    assert_error(&err, "-machine test-virt-9.0: property 'gic-version': "
                       "invalid uint32 value 'abc'");
    g_assert_false(set_from(none, "none,foo", &err));
    assert_error(&err, "-machine none: property 'foo' not found");
    g_assert_false(set_from(none, "none,gic-version=3", &err));
    assert_error(&err, "-machine none: property 'gic-version' not found");
    g_assert_true(set_from(none, "none,dtb=x.dtb,usb=off", &err));
    g_assert_cmpstr(none->dtb, ==, "x.dtb");
    g_assert_true(machine_set_prop(none, "firmware", "fw.bin", &err));
    g_assert_cmpstr(none->firmware, ==, "fw.bin");
    machine_free(none);
    machine_free(ms);
}

static void test_run_init(void)
{
    GError *err = NULL;
    MachineState *ms = machine_new(&test_virt_class, &err);
    MachineState *micro = machine_new(&test_micro_class, &err);

    ms->smp.cpus = ms->smp.maxcpus = 9;
    g_assert_false(machine_run_init(ms, &err));
    assert_error(&err, "Invalid SMP CPUs 9. The max CPUs supported by "
                       "machine 'test-virt-9.0' is 8");
    ms->smp.cpus = 4;
    ms->smp.maxcpus = 4;
    g_free(ms->cpu_type);
    ms->cpu_type = g_strdup("pentium");
    g_assert_false(machine_run_init(ms, &err));
    assert_error(&err, "Invalid CPU model: pentium (machine 'test-virt-9.0' "
                       "supports: cortex-a57, max)");
    g_free(ms->cpu_type);
    ms->cpu_type = g_strdup("max");
    g_assert_true(machine_run_init(ms, &err));
    g_assert_no_error(err);
    g_assert_cmpint(((TestVirt *)ms)->inits, ==, 1);
    machine_reset(ms);
    machine_reset(ms);
    g_assert_cmpint(((TestVirt *)ms)->resets, ==, 2);

    micro->smp.cpus = 1;
    g_assert_false(machine_run_init(micro, &err));
    assert_error(&err, "Invalid SMP CPUs 1. The min CPUs supported by "
                       "machine 'test-micro' is 2");
    /* No init callback: validation alone; default reset walks sysbus. */
    micro->smp.cpus = 3;
    micro->smp.maxcpus = 3;
    g_assert_true(machine_run_init(micro, &err));
    machine_reset(micro);
    machine_free(micro);
    machine_free(ms);
}

static void test_none(void)
{
    GError *err = NULL;
    const MachineClass *mc = machine_class_find("none");
    MachineState *ms = machine_new(mc, &err);
    uint32_t val = 0;

    g_assert_cmpstr(mc->desc, ==, "empty machine");
    g_assert_cmpuint(mc->max_cpus, ==, 1);
    g_assert_false(mc->is_default);
    g_assert_cmpuint(ms->ram_size, ==, 0);
    g_assert_true(machine_run_init(ms, &err));
    g_assert_null(ms->ram);
    machine_free(ms);

    ms = machine_new(mc, &err);
    ms->smp.cpus = ms->smp.maxcpus = 2;
    g_assert_false(machine_run_init(ms, &err));
    assert_error(&err, "machine 'none' is 1");
    machine_free(ms);

    ms = machine_new(mc, &err);
    ms->ram_size = 2 << 20;
    g_assert_true(machine_run_init(ms, &err));
    g_assert_no_error(err);
    g_assert_nonnull(ms->ram);
    g_assert_cmpstr(memory_region_name(ms->ram), ==, "ram");
    g_assert_cmpuint(memory_region_size(ms->ram), ==, 2 << 20);
    g_assert_true(memory_region_is_mapped(ms->ram));
    g_assert_cmpint(address_space_write_val(address_space_memory(), 0x1000,
                                            0xdeadbeef, 4), ==, MEMTX_OK);
    g_assert_cmpint(address_space_read(address_space_memory(), 0x1000, &val,
                                       4), ==, MEMTX_OK);
    g_assert_cmphex(val, ==, 0xdeadbeef);
    g_assert_cmphex(((uint32_t *)memory_region_get_ram_ptr(ms->ram))[0x400],
                    ==, 0xdeadbeef);
    machine_free(ms);
    /* Freed RAM is gone from the address space. */
    g_assert_cmpint(address_space_read(address_space_memory(), 0x1000, &val,
                                       4), !=, MEMTX_OK);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    hw_register_core_machines();
    machine_class_register(&test_virt_class);
    machine_class_register(&test_pc_class);
    machine_class_register(&test_micro_class);

    g_test_add_func("/machine/registry", test_registry);
    g_test_add_func("/machine/help", test_help);
    g_test_add_func("/machine/props-help", test_props_help);
    g_test_add_func("/machine/new-defaults", test_new_defaults);
    g_test_add_func("/machine/keyval-props", test_keyval_props);
    g_test_add_func("/machine/run-init", test_run_init);
    g_test_add_func("/machine/none", test_none);

    int ret = g_test_run();

    device_tree_destroy();
    machine_class_registry_clear();
    return ret;
}
