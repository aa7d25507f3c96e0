/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * HMP tests. The monitor sits on a chardev class registered by this test,
 * whose writes land in a buffer and whose input and connection events the
 * test injects directly, so every step is synchronous and needs no timing.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "chardev/char.h"
#include "monitor/monitor.h"
#include "monitor/readline.h"
#include "system/main-loop.h"
#include "system/memory.h"
#include "system/runstate.h"
#include "util/disas.h"
#include "util/error.h"
#include "util/keyval.h"

static GString *chr_out;

static bool testchr_open(Chardev *chr, KeyvalList *opts, GError **errp)
{
    return true;
}

static int testchr_write(Chardev *chr, const uint8_t *buf, int len)
{
    g_string_append_len(chr_out, (const char *)buf, len);
    return len;
}

static const ChardevClass testchr_class = {
    .name = "testmon",
    .help = "test backend for the monitor",
    .instance_size = sizeof(Chardev),
    .flags = CHARDEV_CLASS_HIDDEN,
    .open = testchr_open,
    .write = testchr_write,
};

typedef struct {
    Chardev *chr;
    Monitor *mon;
} Fixture;

static void fx_init(Fixture *fx, const char *id)
{
    g_autoptr(GError) err = NULL;

    g_string_truncate(chr_out, 0);
    fx->chr = chardev_new(id, "testmon", NULL, &err);
    g_assert_no_error(err);
    fx->mon = monitor_new_hmp(fx->chr, &err);
    g_assert_no_error(err);
    g_assert_nonnull(fx->mon);
    chardev_be_event(fx->chr, CHR_EVENT_OPENED);
    g_assert_cmpstr(chr_out->str, ==, MONITOR_BANNER "\r\n" MONITOR_PROMPT);
    g_string_truncate(chr_out, 0);
}

static void fx_fini(Fixture *fx)
{
    monitor_destroy(fx->mon);
    chardev_delete(fx->chr);
}

static void type(Fixture *fx, const char *s)
{
    chardev_be_read(fx->chr, (const uint8_t *)s, strlen(s));
}

/*
 * Type cmd and Enter; return what the command printed: the echo line and
 * the final prompt are checked and removed.
 */
static char *run(Fixture *fx, const char *cmd)
{
    g_autofree char *line = g_strdup_printf("%s\r", cmd);
    g_autofree char *echo = g_strdup_printf("%s\r\n", cmd);
    char *res;

    g_string_truncate(chr_out, 0);
    type(fx, line);
    g_assert_true(g_str_has_prefix(chr_out->str, echo));
    g_assert_true(g_str_has_suffix(chr_out->str, MONITOR_PROMPT));
    res = g_strndup(chr_out->str + strlen(echo),
                    chr_out->len - strlen(echo) - strlen(MONITOR_PROMPT));
    g_string_truncate(chr_out, 0);
    return res;
}

static void assert_run(Fixture *fx, const char *cmd, const char *expect)
{
    g_autofree char *out = run(fx, cmd);

    g_assert_cmpstr(out, ==, expect);
}

static void test_banner(void)
{
    Fixture fx;
    g_autoptr(GError) err = NULL;
    Monitor *second;

    fx_init(&fx, "mon-banner");
    /* A new client on the same chardev is greeted again. */
    chardev_be_event(fx.chr, CHR_EVENT_CLOSED);
    g_assert_cmpstr(chr_out->str, ==, "");
    chardev_be_event(fx.chr, CHR_EVENT_OPENED);
    g_assert_cmpstr(chr_out->str, ==, MONITOR_BANNER "\r\n" MONITOR_PROMPT);
    g_assert_nonnull(strstr(MONITOR_BANNER, TERN_VERSION));
    /* A chardev has one frontend only. */
    second = monitor_new_hmp(fx.chr, &err);
    g_assert_null(second);
    g_assert_error(err, TERN_ERROR, TERN_ERROR_INVALID);
    fx_fini(&fx);
}

static void test_open_before_attach(void)
{
    g_autoptr(GError) err = NULL;
    Chardev *chr = chardev_new("mon-early", "testmon", NULL, &err);
    Monitor *mon;

    g_assert_no_error(err);
    chardev_be_event(chr, CHR_EVENT_OPENED);
    g_string_truncate(chr_out, 0);
    mon = monitor_new_hmp(chr, &err);
    g_assert_no_error(err);
    g_assert_cmpstr(chr_out->str, ==, MONITOR_BANNER "\r\n" MONITOR_PROMPT);
    monitor_destroy(mon);
    /* After destroy the chardev can take a new frontend. */
    mon = monitor_new_hmp(chr, &err);
    g_assert_no_error(err);
    monitor_destroy(mon);
    chardev_delete(chr);
}

static void test_info_version(void)
{
    Fixture fx;

    fx_init(&fx, "mon-version");
    assert_run(&fx, "info version", TERN_VERSION "\r\n");
    /* Blanks around and inside are fine; an empty line prints nothing. */
    assert_run(&fx, "   info    version  ", TERN_VERSION "\r\n");
    assert_run(&fx, "", "");
    fx_fini(&fx);
}

static void test_info_status(void)
{
    Fixture fx;

    fx_init(&fx, "mon-status");
    g_assert_cmpint(runstate_get(), ==, RUN_STATE_PRELAUNCH);
    assert_run(&fx, "info status", "VM status: paused (prelaunch)\r\n");
    vm_start();
    assert_run(&fx, "info status", "VM status: running\r\n");
    vm_stop(RUN_STATE_PAUSED);
    assert_run(&fx, "info status", "VM status: paused\r\n");
    assert_run(&fx, "cont", "");
    assert_run(&fx, "info status", "VM status: running\r\n");
    assert_run(&fx, "stop", "");
    assert_run(&fx, "info status", "VM status: paused\r\n");
    /* stop twice is harmless, c is cont. */
    assert_run(&fx, "stop", "");
    assert_run(&fx, "c", "");
    assert_run(&fx, "info status", "VM status: running\r\n");
    assert_run(&fx, "stop now", "stop: too many arguments\r\n");
    assert_run(&fx, "info status", "VM status: running\r\n");
    vm_stop(RUN_STATE_PAUSED);
    fx_fini(&fx);
}

static void test_help(void)
{
    Fixture fx;
    g_autofree char *all = NULL, *info = NULL, *one = NULL, *bare = NULL;
    g_autofree char *q = NULL;

    fx_init(&fx, "mon-help");
    all = run(&fx, "help");
    g_assert_nonnull(strstr(all, "\r\ninfo [subcommand] -- "));
    g_assert_nonnull(strstr(all, "\r\nquit|q -- quit the emulator\r\n"));
    g_assert_nonnull(strstr(all, "\r\nxp /fmt addr -- "));
    g_assert_true(g_str_has_prefix(all, "cont|c"));   /* sorted by name */
    q = run(&fx, "?");
    g_assert_cmpstr(q, ==, all);
    one = run(&fx, "help xp");
    g_assert_cmpstr(one, ==, "xp /fmt addr -- physical memory dump starting at 'addr'\r\n");
    info = run(&fx, "help info");
    g_assert_nonnull(strstr(info, "info version -- "));
    g_assert_nonnull(strstr(info, "info mtree [-f] -- "));
    /* info alone lists the same sub-commands. */
    bare = run(&fx, "info");
    g_assert_cmpstr(bare, ==, info);
    assert_run(&fx, "help info status",
               "info status -- show the current VM status (running|paused)\r\n");
    assert_run(&fx, "help nosuch", "unknown command: 'nosuch'\r\n");
    assert_run(&fx, "help info nosuch", "unknown command: 'info nosuch'\r\n");
    fx_fini(&fx);
}

static void test_unknown(void)
{
    Fixture fx;

    fx_init(&fx, "mon-unknown");
    assert_run(&fx, "foo", "unknown command: 'foo'\r\n");
    assert_run(&fx, "foo bar baz", "unknown command: 'foo'\r\n");
    assert_run(&fx, "info foo", "unknown command: 'info foo'\r\n");
    assert_run(&fx, "/4x 0", "unknown command: '/4x 0'\r\n");
    /* A raw client may send control characters; they are not commands. */
    type(&fx, "\x1b[Z\x01\x02");
    assert_run(&fx, "echo hi", "hi\r\n");
    fx_fini(&fx);
}

static MemoryRegion test_ram;
static uint8_t test_ram_buf[0x2000];

static void map_test_ram(void)
{
    static bool done;
    int i;

    if (done) {
        return;
    }
    done = true;
    for (i = 0; i < (int)sizeof(test_ram_buf); i++) {
        test_ram_buf[i] = (uint8_t)i;
    }
    memcpy(test_ram_buf + 0x100, "Hi!\n\\'\x7f", 8);
    memory_region_init_ram_ptr(&test_ram, "test.ram", sizeof(test_ram_buf),
                               test_ram_buf);
    memory_region_add_subregion(get_system_memory(), 0x10000, &test_ram);
}

static void test_xp(void)
{
    Fixture fx;

    map_test_ram();
    fx_init(&fx, "mon-xp");
    assert_run(&fx, "xp /4xw 0x10000",
               "0000000000010000: 0x03020100 0x07060504 0x0b0a0908 0x0f0e0d0c\r\n");
    assert_run(&fx, "xp/2xw 0x10000+4*2",
               "0000000000010008: 0x0b0a0908 0x0f0e0d0c\r\n");
    assert_run(&fx, "xp /5xw 0x10010",
               "0000000000010010: 0x13121110 0x17161514 0x1b1a1918 0x1f1e1d1c\r\n"
               "0000000000010020: 0x23222120\r\n");
    assert_run(&fx, "xp /2gx 0x10000",
               "0000000000010000: 0x0706050403020100 0x0f0e0d0c0b0a0908\r\n");
    assert_run(&fx, "xp /3xb 0x101fe",
               "00000000000101fe: 0xfe 0xff 0x00\r\n");
    assert_run(&fx, "xp /2dh 0x101fe", "00000000000101fe:     -2    256\r\n");
    assert_run(&fx, "xp /1uh 0x101fe", "00000000000101fe: 65534\r\n");
    assert_run(&fx, "xp /1ob 0x10008", "0000000000010008:  010\r\n");
    assert_run(&fx, "xp /7c 0x10100",
               "0000000000010100: 'H' 'i' '!' '\\n' '\\\\' '\\'' '\\x7f'\r\n");
    /* No format: one word in hex. */
    assert_run(&fx, "xp 0x10004", "0000000000010004: 0x07060504\r\n");
    /* x reads physical memory until an MMU hook is registered. */
    assert_run(&fx, "x /1xw 0x10004", "0000000000010004: 0x07060504\r\n");

    assert_run(&fx, "xp /4z 0x10000", "xp: invalid char in format: 'z'\r\n");
    assert_run(&fx, "xp /4x", "xp: address expected\r\n");
    assert_run(&fx, "xp", "xp: address expected\r\n");
    assert_run(&fx, "xp /4x 0x10000+", "xp: unexpected end of expression\r\n");
    assert_run(&fx, "xp /99999999999x 0",
               "xp: count too large (at most 65536 bytes at once)\r\n");
    assert_run(&fx, "xp /99999999999999999999999x 0", "xp: count too large\r\n");
    assert_run(&fx, "xp /0x 0", "");
    fx_fini(&fx);
}

/* A toy MMU: virtual page N+0x100 is physical page N, nothing else mapped. */
static bool toy_translate(void *opaque, uint64_t vaddr, uint64_t *paddr)
{
    uint64_t page = vaddr >> 12;

    (*(int *)opaque)++;
    if (page < 0x100 || page >= 0x200) {
        return false;
    }
    *paddr = ((page - 0x100) << 12) | (vaddr & 0xfff);
    return true;
}

static void test_x_virtual(void)
{
    Fixture fx;
    int calls = 0;

    map_test_ram();
    fx_init(&fx, "mon-x");
    hmp_set_virt_translate(toy_translate, &calls);
    assert_run(&fx, "x /2xw 0x110000",
               "0000000000110000: 0x03020100 0x07060504\r\n");
    /* Crossing a page boundary translates each page. */
    calls = 0;
    assert_run(&fx, "x /2xw 0x110ffc",
               "0000000000110ffc: 0xfffefdfc 0x03020100\r\n");
    g_assert_cmpint(calls, ==, 2);
    assert_run(&fx, "x /2xw 0x1000", "Cannot access memory at 0x1000\r\n");
    hmp_set_virt_translate(NULL, NULL);
    fx_fini(&fx);
}

static bool toy_regs(void *opaque, const char *name, uint64_t *value)
{
    if (strcmp(name, "pc") == 0) {
        *value = 0x40000000;
        return true;
    }
    if (strcmp(name, "x0") == 0) {
        *value = 5;
        return true;
    }
    return false;
}

static void test_print(void)
{
    Fixture fx;

    fx_init(&fx, "mon-print");
    assert_run(&fx, "p 0x10+2*3", "22\r\n");
    assert_run(&fx, "print (0x10+2)*3", "54\r\n");
    assert_run(&fx, "p /x 255", "0xff\r\n");
    assert_run(&fx, "p/x 1<<12 | 0xf & 0x3", "0x1003\r\n");
    assert_run(&fx, "p 0-1", "-1\r\n");
    assert_run(&fx, "p /u 0-1", "18446744073709551615\r\n");
    assert_run(&fx, "p /o 8", "010\r\n");
    assert_run(&fx, "p /c 65", "'A'\r\n");
    assert_run(&fx, "p 1/0", "print: division by zero\r\n");
    assert_run(&fx, "p (1+2", "print: ')' expected\r\n");
    assert_run(&fx, "p 1+2)", "print: unbalanced ')' in expression\r\n");
    assert_run(&fx, "p", "print: expression expected\r\n");
    assert_run(&fx, "p 12abc", "print: invalid number '12a'\r\n");
    assert_run(&fx, "p $pc", "print: unknown register '$pc'\r\n");
    hmp_set_register_lookup(toy_regs, NULL);
    assert_run(&fx, "p /x $pc + $x0*4", "0x40000014\r\n");
    assert_run(&fx, "p $nope", "print: unknown register '$nope'\r\n");
    assert_run(&fx, "p $", "print: register name expected after '$'\r\n");
    hmp_set_register_lookup(NULL, NULL);
    fx_fini(&fx);
}

static void test_eval_expr(void)
{
    static const struct {
        const char *expr;
        uint64_t value;
    } good[] = {
        { "0", 0 },
        { "010", 8 },
        { "0x7fffffffffffffff + 1", 0x8000000000000000ull },
        { "0xffffffffffffffff", UINT64_MAX },
        { "-1", UINT64_MAX },
        { "~0 >> 60", 0xf },
        { "1 << 64", 0 },
        { "7 % 3", 1 },
        { "2 + 3 * 4 - 1", 13 },
        { "(2 + 3) * (4 - 1)", 15 },
        { "1 | 2 ^ 3 & 2", 1 | (2 ^ (3 & 2)) },
        { "!0 + !5", 1 },
        { "--3", 3 },
        { "  ( ( 42 ) )  ", 42 },
    };
    static const char *const bad[] = {
        "", "(", ")", "1 +", "* 2", "1 2", "0x", "99999999999999999999",
        "1 && 2", "1 || 2", "5 % 0", "abc", "1 $", "((1)",
    };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(good); i++) {
        g_autoptr(GError) err = NULL;
        uint64_t v = 0;

        g_assert_true(hmp_eval_expr(good[i].expr, &v, &err));
        g_assert_no_error(err);
        g_assert_cmphex(v, ==, good[i].value);
    }
    {
        g_autoptr(GError) err = NULL;
        g_autofree char *deep = g_strnfill(100000, '(');
        g_autofree char *negs = g_strnfill(100000, '-');
        uint64_t v;

        g_assert_false(hmp_eval_expr(deep, &v, &err));
        g_assert_cmpstr(err->message, ==, "expression nested too deeply");
        g_clear_error(&err);
        g_assert_false(hmp_eval_expr(negs, &v, &err));
        g_assert_cmpstr(err->message, ==, "expression nested too deeply");
    }
    for (i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autoptr(GError) err = NULL;
        uint64_t v = 0;

        g_assert_false(hmp_eval_expr(bad[i], &v, &err));
        g_assert_error(err, TERN_ERROR, TERN_ERROR_INVALID);
        g_assert_null(strchr(err->message, '\n'));
    }
}

static void test_info_trees(void)
{
    Fixture fx;
    g_autofree char *qtree = NULL, *mtree = NULL, *flat = NULL;

    map_test_ram();
    fx_init(&fx, "mon-trees");
    qtree = run(&fx, "info qtree");
    g_assert_cmpstr(qtree, !=, "");
    mtree = run(&fx, "info mtree");
    g_assert_true(g_str_has_prefix(mtree, "address-space: memory\r\n"));
    g_assert_nonnull(strstr(mtree, "test.ram"));
    g_assert_nonnull(strstr(mtree, "address-space: I/O\r\n"));
    flat = run(&fx, "info mtree -f");
    g_assert_nonnull(strstr(flat, "0000000000010000-0000000000011fff"));
    g_assert_nonnull(strstr(flat, "test.ram"));
    assert_run(&fx, "info mtree -x",
               "info mtree: unknown option '-x' (only -f)\r\n");
    fx_fini(&fx);
}

static void test_info_chardev_name_history(void)
{
    Fixture fx;
    g_autofree char *chardevs = NULL;

    fx_init(&fx, "mon-misc");
    chardevs = run(&fx, "info chardev");
    g_assert_nonnull(strstr(chardevs, "mon-misc: filename="));
    assert_run(&fx, "info name", "");
    hmp_set_vm_name("guest1");
    assert_run(&fx, "info name", "guest1\r\n");
    hmp_set_vm_name(NULL);
    assert_run(&fx, "info history",
               "0: 'info chardev'\r\n1: 'info name'\r\n2: 'info history'\r\n");
    fx_fini(&fx);
}

static int hook_calls;
static char *hook_args;

static void hook_info(Monitor *mon, const char *args)
{
    hook_calls++;
    g_free(hook_args);
    hook_args = g_strdup(args);
    monitor_printf(mon, "widgets: %d\n", 3);
}

static void hook_cmd(Monitor *mon, const char *args)
{
    monitor_printf(mon, "frob(%s)\nline2\n", args);
}

static void hook_cmd2(Monitor *mon, const char *args)
{
    monitor_printf(mon, "new frob\n");
}

static void test_hooks(void)
{
    Fixture fx;
    g_autofree char *list = NULL;

    fx_init(&fx, "mon-hooks");
    hmp_register_info("widgets", "[-v]", "show the widgets", hook_info);
    assert_run(&fx, "info widgets -v", "widgets: 3\r\n");
    g_assert_cmpint(hook_calls, ==, 1);
    g_assert_cmpstr(hook_args, ==, "-v");
    list = run(&fx, "info");
    g_assert_nonnull(strstr(list, "info widgets [-v] -- show the widgets\r\n"));

    hmp_register_command("frob|fr", "thing", "frobnicate", hook_cmd);
    assert_run(&fx, "frob a b", "frob(a b)\r\nline2\r\n");
    assert_run(&fx, "fr", "frob()\r\nline2\r\n");
    /* Registering a name again replaces the command. */
    hmp_register_command("frob", "", "frobnicate anew", hook_cmd2);
    assert_run(&fx, "frob", "new frob\r\n");
    assert_run(&fx, "fr", "unknown command: 'fr'\r\n");
    /* A reset drops additions and keeps the built-ins. */
    hmp_reset_commands();
    assert_run(&fx, "frob", "unknown command: 'frob'\r\n");
    assert_run(&fx, "info widgets", "unknown command: 'info widgets'\r\n");
    assert_run(&fx, "info version", TERN_VERSION "\r\n");
    g_clear_pointer(&hook_args, g_free);
    fx_fini(&fx);
}

static void test_completion(void)
{
    Fixture fx;

    fx_init(&fx, "mon-complete");
    type(&fx, "inf\t");
    g_assert_true(g_str_has_suffix(chr_out->str, "info "));
    type(&fx, "vers\t");
    g_assert_true(g_str_has_suffix(chr_out->str, "info version "));
    g_string_truncate(chr_out, 0);
    type(&fx, "\r");
    g_assert_nonnull(strstr(chr_out->str, TERN_VERSION "\r\n"));
    /* Ambiguous: the candidates are listed, the prompt comes back. */
    g_string_truncate(chr_out, 0);
    type(&fx, "system_\t");
    g_assert_nonnull(strstr(chr_out->str, "system_powerdown"));
    g_assert_nonnull(strstr(chr_out->str, "system_reset"));
    g_assert_true(g_str_has_suffix(chr_out->str, MONITOR_PROMPT "system_"));
    type(&fx, "\x15");
    /* Second word of help completes command names. */
    g_string_truncate(chr_out, 0);
    type(&fx, "help sto\t");
    g_assert_true(g_str_has_suffix(chr_out->str, "stop "));
    type(&fx, "\x15");
    fx_fini(&fx);
}

static void add_word(void *opaque, const char *word)
{
    g_ptr_array_add(opaque, g_strdup(word));
}

static bool has_word(GPtrArray *words, const char *w)
{
    for (guint i = 0; i < words->len; i++) {
        if (strcmp(g_ptr_array_index(words, i), w) == 0) {
            return true;
        }
    }
    return false;
}

static GPtrArray *complete(const char *text)
{
    GPtrArray *words = g_ptr_array_new_with_free_func(g_free);

    hmp_complete(NULL, text, add_word, words);
    return words;
}

static const char *const test_reg_names[] = { "pc", "x0", "x1", NULL };

/* Arguments complete too: log items, info mtree -f, $registers, help info. */
static void test_completion_args(void)
{
    g_autoptr(GPtrArray) log = complete("log gu");
    g_autoptr(GPtrArray) log2 = complete("log in_asm,gu");
    g_autoptr(GPtrArray) mtree = complete("info mtree -");
    g_autoptr(GPtrArray) helpinfo = complete("help info ve");
    g_autoptr(GPtrArray) regs = NULL;
    g_autoptr(GPtrArray) none = NULL;

    g_assert_true(has_word(log, "guest_errors"));
    g_assert_true(has_word(log2, "in_asm,guest_errors"));
    g_assert_true(has_word(mtree, "-f"));
    g_assert_true(has_word(helpinfo, "version"));
    hmp_set_register_names(test_reg_names);
    regs = complete("p/x $x");
    g_assert_true(has_word(regs, "$x0") && has_word(regs, "$pc"));
    none = complete("xp /4x $");
    g_assert_true(has_word(none, "$x1"));
    hmp_set_register_names(NULL);
    g_ptr_array_set_size(none, 0);
    hmp_complete(NULL, "stop now", add_word, none);
    g_assert_cmpuint(none->len, ==, 0);
}

/* cpu N, sendkey, screendump and info cpus on a machine without vCPUs. */
static void test_cpu_and_display(void)
{
    Fixture fx;

    fx_init(&fx, "mon-cpu");
    assert_run(&fx, "cpu", "cpu: CPU index expected\r\n");
    assert_run(&fx, "cpu x", "cpu: invalid CPU index 'x'\r\n");
    assert_run(&fx, "cpu 0", "invalid CPU index 0 (the machine has 0)\r\n");
    g_assert_cmpint(monitor_get_cpu_index(fx.mon), ==, 0);
    monitor_set_cpu_index(fx.mon, 2);
    g_assert_cmpint(monitor_get_cpu_index(fx.mon), ==, 2);
    assert_run(&fx, "sendkey ctrl-alt-delete", "no display\r\n");
    assert_run(&fx, "screendump /tmp/x.ppm", "no display\r\n");
    assert_run(&fx, "info cpus", "no CPUs\r\n");
    fx_fini(&fx);
}

static int seen_cpu_index = -1;

static void hook_cur_cpu(Monitor *mon, const char *args)
{
    seen_cpu_index = hmp_current_cpu_index();
}

/* Hooks see the `cpu N` choice of the monitor running the command. */
static void test_current_cpu(void)
{
    Fixture fx;

    fx_init(&fx, "mon-curcpu");
    hmp_register_command("curcpu", "", "record the current CPU", hook_cur_cpu);
    monitor_set_cpu_index(fx.mon, 3);
    assert_run(&fx, "curcpu", "");
    g_assert_cmpint(seen_cpu_index, ==, 3);
    g_assert_cmpint(hmp_current_cpu_index(), ==, 0);
    hmp_reset_commands();
    fx_fini(&fx);
}

static void collect(void *opaque, const char *buf, size_t len);

/* Odd input must produce output lines, never a crash. */
static void test_garbage_commands(void)
{
    static const char *const cmds[] = {
        "xp /", "xp /x", "xp //", "xp /-1x 0", "xp /4x ((", "x /", "p /",
        "p /i 5", "info /", "info status extra", "help help help", "?", "/",
        "log ,,,", "log help,cpu", "info mtree -f -f", "x /0i 0",
        "xp /4096i 0x10000", "p $", "p 0x", "cont extra", "system_reset now",
        "\x01\x02", "info\tversion",
    };
    g_autoptr(GString) out = g_string_new(NULL);
    Monitor *mon;
    size_t i;

    map_test_ram();
    mon = monitor_new_callback(collect, out);
    for (i = 0; i < G_N_ELEMENTS(cmds); i++) {
        monitor_run_command(mon, cmds[i]);
    }
    monitor_destroy(mon);
}

static void collect(void *opaque, const char *buf, size_t len)
{
    g_string_append_len(opaque, buf, len);
}

static void test_callback_monitor(void)
{
    g_autoptr(GString) out = g_string_new(NULL);
    Monitor *mon = monitor_new_callback(collect, out);

    monitor_run_command(mon, "info version");
    g_assert_cmpstr(out->str, ==, TERN_VERSION "\r\n");
    g_string_truncate(out, 0);
    monitor_run_command(mon, "nope");
    g_assert_cmpstr(out->str, ==, "unknown command: 'nope'\r\n");
    g_string_truncate(out, 0);
    monitor_run_command(mon, "\x01info\tversion\x02");
    g_assert_cmpstr(out->str, ==, TERN_VERSION "\r\n");
    g_string_truncate(out, 0);
    monitor_run_command(mon, NULL);
    monitor_printf(mon, "a\nb\r\n");
    g_assert_cmpstr(out->str, ==, "a\r\nb\r\n");
    g_assert_cmpuint(monitor_history_len(mon), ==, 0);
    monitor_destroy(mon);
}

static void test_log(void)
{
    Fixture fx;
    g_autofree char *help = NULL;

    fx_init(&fx, "mon-log");
    help = run(&fx, "log help");
    g_assert_cmpstr(help, !=, "");
    assert_run(&fx, "log", "log: item list expected (try 'log help')\r\n");
    {
        g_autofree char *bad = run(&fx, "log nosuchitem");

        g_assert_true(g_str_has_prefix(bad, "log: "));
        g_assert_true(g_str_has_suffix(bad, "\r\n"));
        /* One line only. */
        g_assert_true(strchr(bad, '\n') == bad + strlen(bad) - 1);
    }
    fx_fini(&fx);
}

static void test_destroy_all(void)
{
    g_autoptr(GError) err = NULL;
    Chardev *a = chardev_new("mon-da", "testmon", NULL, &err);
    Chardev *b = chardev_new("mon-db", "testmon", NULL, &err);

    g_assert_no_error(err);
    g_assert_nonnull(monitor_new_hmp(a, &err));
    g_assert_nonnull(monitor_new_hmp(b, &err));
    monitor_new_callback(collect, NULL);
    monitor_destroy_all();
    /* Detached: the chardevs take a new frontend. */
    g_assert_nonnull(monitor_new_hmp(a, &err));
    g_assert_no_error(err);
    monitor_destroy_all();
    monitor_destroy_all();
    chardev_delete(a);
    chardev_delete(b);
}

static void test_disas(void)
{
    Fixture fx;
    /* AArch64: nop; ret; mov x0, #1 */
    static const uint8_t code[] = {
        0x1f, 0x20, 0x03, 0xd5, 0xc0, 0x03, 0x5f, 0xd6, 0x20, 0x00, 0x80, 0xd2,
    };
    g_autofree char *out = NULL, *x86 = NULL;
    g_auto(GStrv) lines = NULL;

    map_test_ram();
    memcpy(test_ram_buf + 0x400, code, sizeof(code));
    fx_init(&fx, "mon-disas");
    hmp_set_disas_arch(DISAS_AARCH64);
    out = run(&fx, "xp /2i 0x10400");
    lines = g_strsplit(out, "\r\n", -1);
    g_assert_cmpuint(g_strv_length(lines), ==, 3);
    g_assert_nonnull(strstr(lines[0], "10400"));
    g_assert_nonnull(strstr(lines[0], "nop"));
    g_assert_nonnull(strstr(lines[1], "ret"));
    g_assert_cmpstr(lines[2], ==, "");
    /* x86: 0x90 is nop, 0xc3 ret; variable lengths are followed. */
    test_ram_buf[0x500] = 0x90;
    test_ram_buf[0x501] = 0xc3;
    hmp_set_disas_arch(DISAS_X86_64);
    x86 = run(&fx, "x /2i 0x10500");
    g_assert_nonnull(strstr(x86, "nop"));
    g_assert_nonnull(strstr(x86, "ret"));
    fx_fini(&fx);
}

/* ---- a monitor sharing a mux with another frontend ---- */

typedef struct {
    CharFrontend fe;
    GString *rx;
    int mux_in, mux_out;
} OtherFe;

static int other_can_read(void *opaque)
{
    return 64;
}

static void other_read(void *opaque, const uint8_t *buf, int len)
{
    OtherFe *o = opaque;

    g_string_append_len(o->rx, (const char *)buf, len);
}

static void other_event(void *opaque, CharEvent ev)
{
    OtherFe *o = opaque;

    if (ev == CHR_EVENT_MUX_IN) {
        o->mux_in++;
    } else if (ev == CHR_EVENT_MUX_OUT) {
        o->mux_out++;
    }
}

static void drain_context(void)
{
    int i;

    for (i = 0; i < 100 && g_main_context_iteration(NULL, FALSE); i++) {
    }
}

static void base_type(Chardev *base, const char *s)
{
    chardev_be_read(base, (const uint8_t *)s, strlen(s));
    drain_context();
}

static void test_mux(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(KeyvalList) opts = keyval_new();
    OtherFe other = { .rx = g_string_new(NULL) };
    Chardev *base, *mux;
    Monitor *mon;

    base = chardev_new("mon-muxbase", "testmon", NULL, &err);
    g_assert_no_error(err);
    keyval_set(opts, "chardev", "mon-muxbase");
    mux = chardev_new("mon-mux", "mux", opts, &err);
    g_assert_no_error(err);
    /* The serial port attaches first and keeps the focus. */
    g_assert_true(char_fe_init(&other.fe, mux, &err));
    char_fe_set_handlers(&other.fe, other_can_read, other_read, other_event,
                         &other);
    mon = monitor_new_hmp(mux, &err);
    g_assert_no_error(err);
    g_string_truncate(chr_out, 0);
    chardev_be_event(base, CHR_EVENT_OPENED);
    /* Not focused: the banner waits. */
    g_assert_cmpstr(chr_out->str, ==, "");
    base_type(base, "abc");
    g_assert_cmpstr(other.rx->str, ==, "abc");

    chardev_mux_set_focus(mux, 1);
    g_assert_cmpstr(chr_out->str, ==, MONITOR_BANNER "\r\n" MONITOR_PROMPT);
    g_string_truncate(chr_out, 0);
    base_type(base, "info version\r");
    g_assert_cmpstr(chr_out->str, ==,
                    "info version\r\n" TERN_VERSION "\r\n" MONITOR_PROMPT);
    g_assert_cmpstr(other.rx->str, ==, "abc");

    /* C-a c hands the focus back; the monitor ends its prompt line. */
    g_string_truncate(chr_out, 0);
    base_type(base, "\x01" "c");
    g_assert_cmpint(chardev_mux_focus(mux), ==, 0);
    g_assert_true(g_str_has_prefix(chr_out->str, "\r\n"));
    g_string_truncate(chr_out, 0);
    monitor_printf(mon, "held back\n");
    g_assert_cmpstr(chr_out->str, ==, "");
    base_type(base, "xyz");
    g_assert_cmpstr(other.rx->str, ==, "abcxyz");
    /* Back in focus: held output first, then a fresh prompt. */
    base_type(base, "\x01" "c");
    g_assert_cmpint(chardev_mux_focus(mux), ==, 1);
    g_assert_true(g_str_has_suffix(chr_out->str, "held back\r\n" MONITOR_PROMPT));

    monitor_destroy(mon);
    char_fe_deinit(&other.fe);
    chardev_delete(mux);
    chardev_delete(base);
    g_string_free(other.rx, TRUE);
}

/* ---- a monitor on a TCP server chardev ---- */

static gboolean tick(gpointer opaque)
{
    return G_SOURCE_CONTINUE;
}

/* Pump the main loop, reading the client, until rx ends with suffix. */
static bool pump_until(int fd, GString *rx, const char *suffix)
{
    guint guard = g_timeout_add(20, tick, NULL);
    bool ok = false;
    int i;

    for (i = 0; i < 400 && !ok; i++) {
        char buf[512];
        ssize_t n;

        while ((n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
            g_string_append_len(rx, buf, n);
        }
        ok = g_str_has_suffix(rx->str, suffix);
        if (!ok) {
            g_main_context_iteration(NULL, TRUE);
        }
    }
    g_source_remove(guard);
    return ok;
}

static int tcp_connect(int port)
{
    struct sockaddr_in sin = { .sin_family = AF_INET };
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    sin.sin_port = htons(port);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    g_assert_cmpint(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), ==, 0);
    return fd;
}

static void socket_session(int port, const char *cmd, const char *reply)
{
    g_autoptr(GString) rx = g_string_new(NULL);
    g_autofree char *line = g_strdup_printf("%s\r\n", cmd);
    g_autofree char *want = g_strdup_printf("%s\r\n%s" MONITOR_PROMPT, cmd, reply);
    int fd = tcp_connect(port);

    g_assert_true(pump_until(fd, rx, MONITOR_PROMPT));
    g_assert_cmpstr(rx->str, ==, MONITOR_BANNER "\r\n" MONITOR_PROMPT);
    g_string_truncate(rx, 0);
    g_assert_cmpint(send(fd, line, strlen(line), 0), ==, (ssize_t)strlen(line));
    g_assert_true(pump_until(fd, rx, want));
    close(fd);
}

static void test_socket(void)
{
    g_autoptr(GError) err = NULL;
    Chardev *chr = chardev_new_legacy("tcp:127.0.0.1:0,server=on,wait=off",
                                      "mon-sock", &err);
    Monitor *mon;
    int port;

    g_assert_no_error(err);
    port = chardev_socket_get_port(chr);
    g_assert_cmpint(port, >, 0);
    mon = monitor_new_hmp(chr, &err);
    g_assert_no_error(err);
    socket_session(port, "info version", TERN_VERSION "\r\n");
    /* The next client is greeted again and served the same way. */
    socket_session(port, "p 6*7", "42\r\n");
    monitor_destroy(mon);
    chardev_delete(chr);
}

/* Last: leaves a shutdown request pending. */
static void test_quit(void)
{
    Fixture fx;

    fx_init(&fx, "mon-quit");
    assert_run(&fx, "quit now", "quit: too many arguments\r\n");
    g_assert_false(shutdown_requested());
    assert_run(&fx, "q", "");
    g_assert_true(shutdown_requested());
    fx_fini(&fx);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    chr_out = g_string_new(NULL);
    chardev_register_class(&testchr_class);
    /* Commands run with the big lock held, as under the main loop. */
    bql_lock();

    g_test_add_func("/monitor/banner", test_banner);
    g_test_add_func("/monitor/open-before-attach", test_open_before_attach);
    g_test_add_func("/monitor/info-version", test_info_version);
    g_test_add_func("/monitor/info-status", test_info_status);
    g_test_add_func("/monitor/help", test_help);
    g_test_add_func("/monitor/unknown", test_unknown);
    g_test_add_func("/monitor/xp", test_xp);
    g_test_add_func("/monitor/x-virtual", test_x_virtual);
    g_test_add_func("/monitor/print", test_print);
    g_test_add_func("/monitor/eval-expr", test_eval_expr);
    g_test_add_func("/monitor/info-trees", test_info_trees);
    g_test_add_func("/monitor/info-misc", test_info_chardev_name_history);
    g_test_add_func("/monitor/hooks", test_hooks);
    g_test_add_func("/monitor/completion", test_completion);
    g_test_add_func("/monitor/completion-args", test_completion_args);
    g_test_add_func("/monitor/cpu-display", test_cpu_and_display);
    g_test_add_func("/monitor/current-cpu", test_current_cpu);
    g_test_add_func("/monitor/callback", test_callback_monitor);
    g_test_add_func("/monitor/garbage", test_garbage_commands);
    g_test_add_func("/monitor/log", test_log);
    g_test_add_func("/monitor/destroy-all", test_destroy_all);
    g_test_add_func("/monitor/disas", test_disas);
    g_test_add_func("/monitor/mux", test_mux);
    g_test_add_func("/monitor/socket", test_socket);
    g_test_add_func("/monitor/quit", test_quit);
    return g_test_run();
}
