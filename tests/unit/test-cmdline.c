/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for argv -> TernConfig: a full realistic command line, the -m
 * and -smp forms, help requests, and one-line error messages naming the
 * option for every kind of bad input.
 */
#include "system/config.h"
#include "util/error.h"

#include <string.h>
#include <unistd.h>

typedef struct {
    char *kernel;
    char *initrd;
    char *dir;
} Fixture;

static Fixture fx;

static bool parse_argv(TernConfig *cfg, GError **errp, const char *first, ...)
{
    g_autoptr(GPtrArray) args = g_ptr_array_new();
    va_list ap;

    g_ptr_array_add(args, (char *)"tern");
    va_start(ap, first);
    for (const char *a = first; a; a = va_arg(ap, const char *)) {
        g_ptr_array_add(args, (char *)a);
    }
    va_end(ap);
    g_ptr_array_add(args, NULL);
    return cmdline_parse(args->len - 1, (char **)args->pdata, cfg, errp);
}

/* Parses expecting success and returns the config (caller frees). */
#define PARSE_OK(cfg, ...) do { \
        GError *err_ = NULL; \
        ternconfig_init(cfg); \
        if (!parse_argv(cfg, &err_, __VA_ARGS__, NULL)) { \
            g_error("unexpected parse error: %s", err_->message); \
        } \
        g_assert_no_error(err_); \
    } while (0)

/* Parses expecting failure; the message must equal or contain `expect`. */
static void expect_error(const char *expect, bool exact, ...)
{
    g_autoptr(GPtrArray) args = g_ptr_array_new();
    TernConfig cfg;
    GError *err = NULL;
    va_list ap;

    g_ptr_array_add(args, (char *)"tern");
    va_start(ap, exact);
    for (const char *a = va_arg(ap, const char *); a; a = va_arg(ap, const char *)) {
        g_ptr_array_add(args, (char *)a);
    }
    va_end(ap);
    g_ptr_array_add(args, NULL);

    ternconfig_init(&cfg);
    g_assert_false(cmdline_parse(args->len - 1, (char **)args->pdata, &cfg, &err));
    g_assert_nonnull(err);
    if (g_test_verbose()) {
        g_test_message("error: %s", err->message);
    }
    g_assert_null(strchr(err->message, '\n'));
    g_assert_false(g_str_has_suffix(err->message, "."));
    g_assert_false(g_str_has_prefix(err->message, "Error"));
    if (exact) {
        g_assert_cmpstr(err->message, ==, expect);
    } else if (!strstr(err->message, expect)) {
        g_error("'%s' does not contain '%s'", err->message, expect);
    }
    g_error_free(err);
    ternconfig_free(&cfg);
}

#define ERR_EXACT(msg, ...) expect_error(msg, true, __VA_ARGS__, NULL)
#define ERR_HAS(msg, ...) expect_error(msg, false, __VA_ARGS__, NULL)

static void test_full(void)
{
    TernConfig cfg;
    KeyvalList *kv;

    PARSE_OK(&cfg,
             "-M", "virt,gic-version=3,accel=tcg",
             "-cpu", "cortex-a57,pmu=off",
             "-m", "1G",
             "-smp", "4",
             "-kernel", fx.kernel,
             "-initrd", fx.initrd,
             "-append", "console=ttyAMA0 root=/dev/vda,rw",
             "-drive", "if=none,file=disk,,1.img,id=hd0,format=raw",
             "-device", "virtio-blk-device,drive=hd0",
             "-device", "virtio-net-device,netdev=n0",
             "-netdev", "user,id=n0,hostfwd=tcp::2222-:22",
             "-chardev", "socket,id=mon0,path=/tmp/m.sock,server=on,wait=off",
             "-mon", "chardev=mon0,mode=control",
             "-serial", "mon:stdio",
             "-serial", "pty",
             "-monitor", "none",
             "-qmp", "unix:/tmp/q.sock,server,wait=off",
             "-global", "virtio-mmio.force-legacy=false",
             "-global", "driver=cfi.pflash01,property=secure,value=on",
             "-object", "memory-backend-ram,id=mem0,size=1G",
             "-display", "none",
             "-name", "guest=vm1,debug-threads=on",
             "-rtc", "base=localtime,clock=vm",
             "-boot", "order=dc,menu=on",
             "-d", "in_asm,int",
             "-D", "/tmp/tern.log",
             "-gdb", "tcp::5555",
             "-S", "-no-reboot", "-no-shutdown", "-nodefaults", "-snapshot",
             "-semihosting", "-L", "/usr/share/tern",
             "--accel", "kvm", "-accel", "tcg,thread=multi",
             "-vga", "none");

    g_assert_cmpstr(cfg.machine_type, ==, "virt");
    g_assert_cmpstr(keyval_get(cfg.machine, "gic-version"), ==, "3");
    g_assert_cmpstr(keyval_get(cfg.machine, "accel"), ==, "tcg");
    g_assert_cmpstr(cfg.cpu_model, ==, "cortex-a57");
    g_assert_cmpstr(keyval_get(cfg.cpu, "pmu"), ==, "off");
    g_assert_true(keyval_check_unused(cfg.cpu, "-cpu", NULL));
    g_assert_true(cfg.ram_size_set);
    g_assert_cmpuint(cfg.ram_size, ==, 1ull << 30);
    g_assert_true(cfg.smp_set);
    g_assert_cmpuint(cfg.smp.cpus, ==, 4);
    g_assert_cmpuint(cfg.smp.maxcpus, ==, 4);
    g_assert_cmpuint(cfg.smp.sockets, ==, 1);
    g_assert_cmpuint(cfg.smp.cores, ==, 4);
    g_assert_cmpuint(cfg.smp.threads, ==, 1);
    g_assert_cmpstr(cfg.kernel, ==, fx.kernel);
    g_assert_cmpstr(cfg.initrd, ==, fx.initrd);
    g_assert_cmpstr(cfg.append, ==, "console=ttyAMA0 root=/dev/vda,rw");

    g_assert_cmpuint(cfg.drives->len, ==, 1);
    kv = cfg.drives->pdata[0];
    g_assert_cmpstr(keyval_get(kv, "file"), ==, "disk,1.img");
    g_assert_cmpuint(cfg.devices->len, ==, 2);
    kv = cfg.devices->pdata[1];
    g_assert_cmpstr(keyval_get(kv, "driver"), ==, "virtio-net-device");
    g_assert_cmpstr(keyval_get(kv, "netdev"), ==, "n0");
    g_assert_cmpuint(cfg.netdevs->len, ==, 1);
    kv = cfg.netdevs->pdata[0];
    g_assert_cmpstr(keyval_get(kv, "type"), ==, "user");
    g_assert_cmpstr(keyval_get(kv, "hostfwd"), ==, "tcp::2222-:22");
    g_assert_cmpuint(cfg.chardevs->len, ==, 1);
    kv = cfg.chardevs->pdata[0];
    g_assert_cmpstr(keyval_get(kv, "backend"), ==, "socket");
    g_assert_cmpstr(keyval_get(kv, "id"), ==, "mon0");
    g_assert_cmpuint(cfg.mons->len, ==, 1);
    g_assert_cmpstr(keyval_get(cfg.mons->pdata[0], "mode"), ==, "control");
    g_assert_cmpuint(cfg.serials->len, ==, 2);
    g_assert_cmpstr(cfg.serials->pdata[0], ==, "mon:stdio");
    g_assert_cmpstr(cfg.serials->pdata[1], ==, "pty");
    g_assert_cmpuint(cfg.monitors->len, ==, 1);
    g_assert_cmpstr(cfg.qmps->pdata[0], ==, "unix:/tmp/q.sock,server,wait=off");

    g_assert_cmpuint(cfg.globals->len, ==, 2);
    TernGlobalProp *g = cfg.globals->pdata[0];
    g_assert_cmpstr(g->driver, ==, "virtio-mmio");
    g_assert_cmpstr(g->property, ==, "force-legacy");
    g_assert_cmpstr(g->value, ==, "false");
    g = cfg.globals->pdata[1];
    g_assert_cmpstr(g->driver, ==, "cfi.pflash01");
    g_assert_cmpstr(g->property, ==, "secure");
    g_assert_cmpstr(g->value, ==, "on");

    g_assert_cmpuint(cfg.objects->len, ==, 1);
    g_assert_cmpstr(keyval_get(cfg.display, "type"), ==, "none");
    g_assert_cmpstr(cfg.name, ==, "vm1");
    g_assert_true(cfg.rtc_localtime);
    g_assert_cmpstr(keyval_get(cfg.boot, "order"), ==, "dc");
    g_assert_cmpstr(cfg.log_items, ==, "in_asm,int");
    g_assert_cmpstr(cfg.log_file, ==, "/tmp/tern.log");
    g_assert_cmpstr(cfg.gdb, ==, "tcp::5555");
    g_assert_true(cfg.start_stopped);
    g_assert_true(cfg.no_reboot);
    g_assert_true(cfg.no_shutdown);
    g_assert_true(cfg.nodefaults);
    g_assert_true(cfg.snapshot);
    g_assert_true(cfg.semihosting);
    g_assert_false(cfg.nographic);
    g_assert_cmpuint(cfg.bios_dirs->len, ==, 1);
    g_assert_cmpuint(cfg.accels->len, ==, 2);
    g_assert_cmpstr(keyval_get(cfg.accels->pdata[0], "accel"), ==, "kvm");
    g_assert_cmpstr(keyval_get(cfg.accels->pdata[1], "thread"), ==, "multi");
    g_assert_cmpstr(cfg.vga, ==, "none");
    g_assert_false(ternconfig_help_requested(&cfg));
    ternconfig_free(&cfg);
}

static void test_defaults(void)
{
    TernConfig cfg;

    PARSE_OK(&cfg, "-nographic");
    g_assert_true(cfg.nographic);
    g_assert_null(cfg.machine);
    g_assert_null(cfg.machine_type);
    g_assert_false(cfg.ram_size_set);
    g_assert_cmpuint(cfg.ram_size, ==, 0);
    g_assert_false(cfg.smp_set);
    g_assert_null(cfg.gdb);
    g_assert_null(cfg.kernel);
    g_assert_cmpuint(cfg.devices->len, ==, 0);
    g_assert_false(ternconfig_help_requested(&cfg));
    ternconfig_free(&cfg);

    /* no arguments at all */
    PARSE_OK(&cfg, NULL);
    g_assert_false(cfg.nographic);
    ternconfig_free(&cfg);
}

static void test_machine_merge(void)
{
    TernConfig cfg;

    PARSE_OK(&cfg, "-machine", "accel=kvm", "-M", "q35", "-machine", "pc,smm=off");
    g_assert_cmpstr(cfg.machine_type, ==, "pc");
    g_assert_cmpstr(keyval_get(cfg.machine, "type"), ==, "pc");
    g_assert_cmpstr(keyval_get(cfg.machine, "accel"), ==, "kvm");
    g_assert_cmpstr(keyval_get(cfg.machine, "smm"), ==, "off");
    g_assert_true(keyval_check_unused(cfg.machine, "-machine", NULL));
    ternconfig_free(&cfg);

    PARSE_OK(&cfg, "-enable-kvm");
    g_assert_cmpuint(cfg.accels->len, ==, 1);
    g_assert_cmpstr(keyval_get(cfg.accels->pdata[0], "accel"), ==, "kvm");
    ternconfig_free(&cfg);
}

static uint64_t ram_of(const char *arg)
{
    TernConfig cfg;
    uint64_t r;

    PARSE_OK(&cfg, "-m", arg);
    r = cfg.ram_size;
    ternconfig_free(&cfg);
    return r;
}

static void test_mem(void)
{
    TernConfig cfg;

    g_assert_cmpuint(ram_of("512"), ==, 512ull << 20);
    g_assert_cmpuint(ram_of("1G"), ==, 1ull << 30);
    g_assert_cmpuint(ram_of("1g"), ==, 1ull << 30);
    g_assert_cmpuint(ram_of("1.5G"), ==, 3ull << 29);
    g_assert_cmpuint(ram_of("2048M"), ==, 2ull << 30);
    g_assert_cmpuint(ram_of("size=2G"), ==, 2ull << 30);
    g_assert_cmpuint(ram_of("size=256"), ==, 256ull << 20);
    g_assert_cmpuint(ram_of("65536K"), ==, 64ull << 20);

    PARSE_OK(&cfg, "-m", "1G,slots=4,maxmem=8G");
    g_assert_true(cfg.ram_size_set);
    g_assert_cmpuint(cfg.ram_slots, ==, 4);
    g_assert_cmpuint(cfg.maxmem, ==, 8ull << 30);
    ternconfig_free(&cfg);

    /* as in QEMU, -m 0 asks for the machine default */
    PARSE_OK(&cfg, "-m", "0");
    g_assert_false(cfg.ram_size_set);
    g_assert_cmpuint(cfg.ram_size, ==, 0);
    ternconfig_free(&cfg);

    /* the last -m wins */
    PARSE_OK(&cfg, "-m", "1G", "-m", "2G");
    g_assert_cmpuint(cfg.ram_size, ==, 2ull << 30);
    ternconfig_free(&cfg);

    ERR_EXACT("-m banana: invalid size 'banana'", "-m", "banana");
    ERR_EXACT("-m -1: invalid size '-1'", "-m", "-1");
    ERR_EXACT("-m 1G,foo=2: unknown parameter 'foo'", "-m", "1G,foo=2");
    ERR_HAS("-m size=: ", "-m", "size=");
    ERR_HAS("-m 2G,maxmem=1G: maxmem", "-m", "2G,maxmem=1G");
    ERR_HAS("-m 1G,slots=2: slots requires maxmem", "-m", "1G,slots=2");
    ERR_HAS("-m 1G,slots=x,maxmem=2G: parameter 'slots'", "-m", "1G,slots=x,maxmem=2G");
    ERR_HAS("too large", "-m", "17592186044416");
    ERR_EXACT("-m: requires an argument", "-m");
}

static TernSmp smp_of(const char *arg)
{
    TernConfig cfg;
    TernSmp s;

    PARSE_OK(&cfg, "-smp", arg);
    g_assert_true(cfg.smp_set);
    s = cfg.smp;
    ternconfig_free(&cfg);
    return s;
}

#define CHECK_SMP(arg, c, so, co, th, mx) do { \
        TernSmp s_ = smp_of(arg); \
        g_assert_cmpuint(s_.cpus, ==, c); \
        g_assert_cmpuint(s_.sockets, ==, so); \
        g_assert_cmpuint(s_.cores, ==, co); \
        g_assert_cmpuint(s_.threads, ==, th); \
        g_assert_cmpuint(s_.maxcpus, ==, mx); \
        g_assert_cmpuint(s_.dies, >=, 1); \
        g_assert_cmpuint(s_.clusters, >=, 1); \
    } while (0)

static void test_smp(void)
{
    CHECK_SMP("1", 1, 1, 1, 1, 1);
    CHECK_SMP("4", 4, 1, 4, 1, 4);
    CHECK_SMP("cpus=8", 8, 1, 8, 1, 8);
    CHECK_SMP("8,sockets=2", 8, 2, 4, 1, 8);
    CHECK_SMP("8,sockets=2,cores=2", 8, 2, 2, 2, 8);
    CHECK_SMP("8,cores=2", 8, 4, 2, 1, 8);
    CHECK_SMP("8,threads=2", 8, 1, 4, 2, 8);
    CHECK_SMP("sockets=2,cores=3,threads=2", 12, 2, 3, 2, 12);
    CHECK_SMP("cores=4", 4, 1, 4, 1, 4);
    CHECK_SMP("2,maxcpus=8", 2, 1, 8, 1, 8);
    CHECK_SMP("4,sockets=2,cores=2,threads=1,maxcpus=4", 4, 2, 2, 1, 4);
    CHECK_SMP("8,sockets=1,dies=2,clusters=2,cores=2", 8, 1, 2, 1, 8);

    ERR_HAS("-smp 0: 'cpus' must be greater than zero", "-smp", "0");
    ERR_HAS("-smp 4,cores=0: 'cores' must be greater than zero", "-smp", "4,cores=0");
    ERR_HAS("-smp 3,sockets=2: invalid CPU topology", "-smp", "3,sockets=2");
    ERR_HAS("-smp 4,sockets=2,cores=3: invalid CPU topology",
            "-smp", "4,sockets=2,cores=3");
    ERR_HAS("-smp 2,sockets=4: invalid CPU topology", "-smp", "2,sockets=4");
    ERR_HAS("-smp 8,maxcpus=4: invalid CPU topology", "-smp", "8,maxcpus=4");
    ERR_HAS("-smp x: parameter 'cpus'", "-smp", "x");
    ERR_HAS("-smp 4,books=2: unknown parameter 'books'", "-smp", "4,books=2");
    ERR_HAS("-smp 99999999: ", "-smp", "99999999");
    ERR_HAS("more than 65536", "-smp", "sockets=256,cores=256,threads=256");
    ERR_HAS("= 0 but maxcpus is 4", "-smp", "4,sockets=2,cores=3");
    ERR_HAS("= 2 but maxcpus is 3", "-smp", "3,sockets=2");
}

static void test_help_requests(void)
{
    TernConfig cfg;

    PARSE_OK(&cfg, "-machine", "help");
    g_assert_true(cfg.help.machine);
    g_assert_null(cfg.help.machine_type);
    g_assert_null(cfg.machine);
    g_assert_true(ternconfig_help_requested(&cfg));
    ternconfig_free(&cfg);

    PARSE_OK(&cfg, "-machine", "?");
    g_assert_true(cfg.help.machine);
    ternconfig_free(&cfg);

    PARSE_OK(&cfg, "-M", "help");
    g_assert_true(cfg.help.machine);
    ternconfig_free(&cfg);

    PARSE_OK(&cfg, "-M", "virt,help");
    g_assert_true(cfg.help.machine);
    g_assert_cmpstr(cfg.help.machine_type, ==, "virt");
    ternconfig_free(&cfg);

    PARSE_OK(&cfg, "-cpu", "help", "-accel", "help", "-d", "help",
             "-chardev", "help", "-netdev", "help", "-display", "help",
             "-vga", "help", "-object", "help");
    g_assert_true(cfg.help.cpu);
    g_assert_true(cfg.help.accel);
    g_assert_true(cfg.help.log);
    g_assert_true(cfg.help.chardev);
    g_assert_true(cfg.help.netdev);
    g_assert_true(cfg.help.display);
    g_assert_true(cfg.help.vga);
    g_assert_true(cfg.help.object);
    g_assert_null(cfg.cpu_model);
    g_assert_cmpuint(cfg.accels->len, ==, 0);
    g_assert_cmpuint(cfg.chardevs->len, ==, 0);
    g_assert_null(cfg.log_items);
    ternconfig_free(&cfg);

    PARSE_OK(&cfg, "-cpu", "?", "-d", "in_asm,?", "-nic", "help");
    g_assert_true(cfg.help.cpu);
    g_assert_true(cfg.help.log);
    g_assert_true(cfg.help.netdev);
    ternconfig_free(&cfg);

    PARSE_OK(&cfg, "-device", "help");
    g_assert_true(cfg.help.device);
    g_assert_null(cfg.help.device_name);
    g_assert_cmpuint(cfg.devices->len, ==, 0);
    ternconfig_free(&cfg);

    PARSE_OK(&cfg, "-device", "?");
    g_assert_true(cfg.help.device);
    g_assert_null(cfg.help.device_name);
    ternconfig_free(&cfg);

    PARSE_OK(&cfg, "-device", "virtio-net-pci,help");
    g_assert_true(cfg.help.device);
    g_assert_cmpstr(cfg.help.device_name, ==, "virtio-net-pci");
    ternconfig_free(&cfg);

    PARSE_OK(&cfg, "-device", "pl011,?");
    g_assert_cmpstr(cfg.help.device_name, ==, "pl011");
    ternconfig_free(&cfg);
}

static void test_help_version(void)
{
    TernConfig cfg;

    static const char *const spellings[] = { "-h", "-help", "--help" };
    for (size_t i = 0; i < G_N_ELEMENTS(spellings); i++) {
        /* parsing stops at -h, so later junk is not an error */
        PARSE_OK(&cfg, spellings[i], "-bogus");
        g_assert_true(cfg.show_help);
        g_assert_true(ternconfig_help_requested(&cfg));
        ternconfig_free(&cfg);
    }
    PARSE_OK(&cfg, "-version");
    g_assert_true(cfg.show_version);
    ternconfig_free(&cfg);
    PARSE_OK(&cfg, "--version");
    g_assert_true(cfg.show_version);
    ternconfig_free(&cfg);

    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cmdline_print_help(f, "/usr/bin/tern-system-aarch64");
    fclose(f);
    g_assert_true(g_str_has_prefix(buf, "usage: tern-system-aarch64 "));
    g_assert_nonnull(strstr(buf, "\nStandard options:\n"));
    g_assert_nonnull(strstr(buf, "\nDebugging and logging:\n"));
    g_assert_nonnull(strstr(buf, "  -machine, -M "));
    g_assert_nonnull(strstr(buf, "  -h, -help "));
    g_assert_nonnull(strstr(buf, "  -kernel FILE "));
    g_assert_nonnull(strstr(buf, "  -nographic "));
    g_assert_nonnull(strstr(buf, "  -smp "));
    g_assert_nonnull(strstr(buf, "  -s "));
    free(buf);

    f = open_memstream(&buf, &len);
    cmdline_print_version(f);
    fclose(f);
    g_assert_true(g_str_has_prefix(buf, "Tern emulator version "));
    g_assert_nonnull(strstr(buf, "\nCopyright"));
    free(buf);
}

static void test_gdb(void)
{
    TernConfig cfg;

    PARSE_OK(&cfg, "-s");
    g_assert_cmpstr(cfg.gdb, ==, "tcp::1234");
    g_assert_false(cfg.start_stopped);
    ternconfig_free(&cfg);

    PARSE_OK(&cfg, "-s", "-S");
    g_assert_cmpstr(cfg.gdb, ==, "tcp::1234");
    g_assert_true(cfg.start_stopped);
    ternconfig_free(&cfg);

    PARSE_OK(&cfg, "-gdb", "tcp::1234");
    g_assert_cmpstr(cfg.gdb, ==, "tcp::1234");
    ternconfig_free(&cfg);

    PARSE_OK(&cfg, "-s", "-gdb", "unix:/tmp/gdb.sock");
    g_assert_cmpstr(cfg.gdb, ==, "unix:/tmp/gdb.sock");
    ternconfig_free(&cfg);

    ERR_EXACT("-gdb: requires an argument", "-gdb");
}

static void test_files(void)
{
    TernConfig cfg;

    ERR_EXACT("-kernel /nonexistent: No such file or directory",
              "-kernel", "/nonexistent");
    ERR_EXACT("-initrd /nonexistent/x: No such file or directory",
              "-initrd", "/nonexistent/x");
    ERR_EXACT("-dtb /nonexistent.dtb: No such file or directory",
              "-dtb", "/nonexistent.dtb");
    ERR_EXACT("-bios /nonexistent.fd: No such file or directory",
              "-bios", "/nonexistent.fd");
    ERR_HAS("-kernel ", "-kernel", fx.dir);     /* a directory */

    /* -bios finds a relative name in a later -L directory */
    g_autofree char *base = g_path_get_basename(fx.kernel);
    PARSE_OK(&cfg, "-bios", base, "-L", "/nonexistent-dir", "-L", fx.dir);
    g_autofree char *want = g_build_filename(fx.dir, base, NULL);
    g_assert_cmpstr(cfg.bios, ==, want);
    ternconfig_free(&cfg);

    PARSE_OK(&cfg, "-bios", fx.kernel, "-dtb", fx.initrd);
    g_assert_cmpstr(cfg.bios, ==, fx.kernel);
    g_assert_cmpstr(cfg.dtb, ==, fx.initrd);
    ternconfig_free(&cfg);
}

static void test_lists(void)
{
    TernConfig cfg;

    PARSE_OK(&cfg, "-chardev", "stdio,id=c0,mux=on", "-chardev", "pty,id=c1",
             "-device", "pl011,chardev=c0", "-device", "driver=virtio-rng-device",
             "-nic", "none", "-nic", "user,model=virtio-net-pci",
             "-netdev", "tap,id=t0,ifname=tap0", "-drive", "file=a.img",
             "-drive", "file=b.img,if=virtio");
    g_assert_cmpuint(cfg.chardevs->len, ==, 2);
    g_assert_cmpstr(keyval_get(cfg.chardevs->pdata[1], "backend"), ==, "pty");
    g_assert_cmpuint(cfg.devices->len, ==, 2);
    g_assert_cmpstr(keyval_get(cfg.devices->pdata[1], "driver"), ==, "virtio-rng-device");
    g_assert_cmpuint(cfg.nics->len, ==, 2);
    g_assert_cmpstr(keyval_get(cfg.nics->pdata[0], "type"), ==, "none");
    g_assert_cmpstr(keyval_get(cfg.nics->pdata[1], "model"), ==, "virtio-net-pci");
    g_assert_cmpuint(cfg.netdevs->len, ==, 1);
    g_assert_cmpuint(cfg.drives->len, ==, 2);
    /* keys the parser extracted are consumed; the rest are not */
    GError *err = NULL;
    g_assert_false(keyval_check_unused(cfg.chardevs->pdata[0], "-chardev stdio", &err));
    g_assert_cmpstr(err->message, ==, "-chardev stdio: unknown parameter 'mux'");
    g_clear_error(&err);
    ternconfig_free(&cfg);

    /* a bare argument is a disk image */
    PARSE_OK(&cfg, "disk.qcow2", "-nographic");
    g_assert_cmpuint(cfg.drives->len, ==, 1);
    g_assert_cmpstr(keyval_get(cfg.drives->pdata[0], "file"), ==, "disk.qcow2");
    ternconfig_free(&cfg);

    PARSE_OK(&cfg, "-name", "plain", "-rtc", "base=2006-06-17T16:01:21",
             "-semihosting-config", "enable=on,target=native", "-boot", "d");
    g_assert_cmpstr(cfg.name, ==, "plain");
    g_assert_false(cfg.rtc_localtime);
    g_assert_true(cfg.semihosting);
    g_assert_cmpstr(keyval_get(cfg.boot, "order"), ==, "d");
    ternconfig_free(&cfg);
}

static void test_errors(void)
{
    ERR_EXACT("-foo: invalid option", "-foo");
    ERR_EXACT("--foo: invalid option", "--foo");
    ERR_EXACT("-nographicx: invalid option", "-nographicx");
    ERR_EXACT("--: invalid option", "--");
    ERR_EXACT("-m: requires an argument", "-nographic", "-m");
    ERR_EXACT("-kernel: requires an argument", "-kernel");
    ERR_EXACT("-device: requires an argument", "-device");
    ERR_HAS("b.img: unexpected argument", "a.img", "b.img");

    ERR_EXACT("-chardev socket,path=/x: requires id=", "-chardev", "socket,path=/x");
    ERR_EXACT("-netdev user: requires id=", "-netdev", "user");
    ERR_HAS("-chardev id=c0: missing chardev backend", "-chardev", "id=c0");
    ERR_HAS("-device id=x: missing device name", "-device", "id=x");
    ERR_HAS("-device =x: ", "-device", "=x");
    ERR_HAS("-device ,id=x: ", "-device", ",id=x");
    ERR_HAS("-drive : empty drive", "-drive", "");
    ERR_HAS("-global foo: expected", "-global", "foo");
    ERR_HAS("-global .prop=1: expected", "-global", ".prop=1");
    ERR_HAS("-global drv.=1: expected", "-global", "drv.=1");
    ERR_HAS("-global drv.prop: expected", "-global", "drv.prop");
    ERR_HAS("-global driver=x,property=y: expected", "-global", "driver=x,property=y");
    ERR_HAS("-global driver=x,property=y,value=z,w=1: unknown parameter 'w'",
            "-global", "driver=x,property=y,value=z,w=1");
    ERR_HAS("-rtc base=mars: invalid base 'mars'", "-rtc", "base=mars");
    ERR_HAS("-rtc base=2006-06-17X16:01:21", "-rtc", "base=2006-06-17X16:01:21");
    ERR_HAS("-rtc clock=wall: invalid value 'wall' for 'clock'", "-rtc", "clock=wall");
    ERR_HAS("-rtc foo=1: unknown parameter 'foo'", "-rtc", "foo=1");
    ERR_HAS("-name x,debug-threads=maybe: parameter 'debug-threads'",
            "-name", "x,debug-threads=maybe");
    ERR_HAS("-object memory-backend-ram: requires id=", "-object", "memory-backend-ram");
    ERR_HAS("-mon mode=control: requires chardev=", "-mon", "mode=control");
    ERR_HAS("-gdb : empty", "-gdb", "");
    ERR_HAS("-accel ,x=1: ", "-accel", ",x=1");
}

int main(int argc, char **argv)
{
    int fd, ret;
    GError *err = NULL;

    g_test_init(&argc, &argv, NULL);

    fx.dir = g_dir_make_tmp("tern-cmdline-XXXXXX", &err);
    g_assert_no_error(err);
    fx.kernel = g_build_filename(fx.dir, "Image", NULL);
    fx.initrd = g_build_filename(fx.dir, "initrd.img", NULL);
    g_assert_true(g_file_set_contents(fx.kernel, "kernel", -1, NULL));
    g_assert_true(g_file_set_contents(fx.initrd, "initrd", -1, NULL));
    (void)fd;

    g_test_add_func("/cmdline/full", test_full);
    g_test_add_func("/cmdline/defaults", test_defaults);
    g_test_add_func("/cmdline/machine", test_machine_merge);
    g_test_add_func("/cmdline/mem", test_mem);
    g_test_add_func("/cmdline/smp", test_smp);
    g_test_add_func("/cmdline/help-requests", test_help_requests);
    g_test_add_func("/cmdline/help-version", test_help_version);
    g_test_add_func("/cmdline/gdb", test_gdb);
    g_test_add_func("/cmdline/files", test_files);
    g_test_add_func("/cmdline/lists", test_lists);
    g_test_add_func("/cmdline/errors", test_errors);
    ret = g_test_run();

    unlink(fx.kernel);
    unlink(fx.initrd);
    rmdir(fx.dir);
    g_free(fx.kernel);
    g_free(fx.initrd);
    g_free(fx.dir);
    return ret;
}
