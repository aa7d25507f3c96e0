/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * argv -> TernConfig. One table describes every option (spelling, whether it
 * takes an argument, handler, help text and group) so that the parser and
 * the -help output cannot drift apart. Handlers validate syntax only and
 * return errors without the option name; the driver loop prefixes the option
 * and argument exactly as the user typed them.
 */
#include "system/config.h"
#include "util/cutils.h"
#include "util/error.h"
#include "config-host.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef bool (*CmdlineHandler)(TernConfig *cfg, const char *arg, GError **errp);

typedef enum {
    GROUP_STANDARD,
    GROUP_MACHINE,
    GROUP_BOOT,
    GROUP_DEVICES,
    GROUP_NETWORK,
    GROUP_CHARDEV,
    GROUP_DISPLAY,
    GROUP_DEBUG,
    GROUP_MISC,
    GROUP__MAX,
} CmdlineGroup;

static const char *const group_names[GROUP__MAX] = {
    [GROUP_STANDARD] = "Standard options",
    [GROUP_MACHINE]  = "Machine, CPU and memory",
    [GROUP_BOOT]     = "Boot",
    [GROUP_DEVICES]  = "Block and device options",
    [GROUP_NETWORK]  = "Network options",
    [GROUP_CHARDEV]  = "Character devices and monitors",
    [GROUP_DISPLAY]  = "Display options",
    [GROUP_DEBUG]    = "Debugging and logging",
    [GROUP_MISC]     = "Miscellaneous",
};

/*
 * Most options only store their argument; their kind says how, and `field`
 * is the offset of the TernConfig member that receives it. Options with
 * more to check have a handler instead.
 */
typedef enum {
    KIND_HANDLER,   /* handler() does everything */
    KIND_FLAG,      /* bool field = true */
    KIND_FILE,      /* char * field = a readable file */
    KIND_STR,       /* char * field = the argument */
    KIND_RAW_LIST,  /* GPtrArray * of char *: append a non-empty argument */
    KIND_KV_LIST,   /* GPtrArray * of KeyvalList *: see KvListSpec */
} CmdlineKind;

/* A repeatable "VALUE,key=value" option appended to a list. */
typedef struct KvListSpec {
    const char *implied;    /* key of the leading bare value */
    size_t help_flag;       /* offset of the bool in TernConfig set by "help" */
    bool has_help;
    const char *required[2];    /* keys that must be present */
    const char *missing[2];     /* the error for each missing key */
} KvListSpec;

typedef struct CmdlineOption {
    const char *name;       /* without the leading dash */
    const char *alias;      /* second spelling, or NULL */
    const char *arg_help;   /* NULL: the option takes no argument */
    CmdlineHandler handler;
    const char *help;
    CmdlineGroup group;
    CmdlineKind kind;
    size_t field;
    const KvListSpec *kv;
} CmdlineOption;

#define CFG_FIELD(member) offsetof(TernConfig, member)
#define CFG_PTR(cfg, type, off) ((type *)((char *)(cfg) + (off)))

#define DEFAULT_GDB_DEV "tcp::1234"
#define SMP_MAX 65536

/* ------------------------------------------------------------------ */
/* helpers */

static void replace_str(char **dst, const char *src)
{
    g_free(*dst);
    *dst = g_strdup(src);
}

static void replace_kv(KeyvalList **dst, KeyvalList *src)
{
    keyval_free(*dst);
    *dst = src;
}

static bool check_readable(const char *path, GError **errp)
{
    struct stat st;

    if (stat(path, &st) < 0 || access(path, R_OK) < 0) {
        int err = errno;
        g_set_error(errp, TERN_ERROR,
                    err == ENOENT ? TERN_ERROR_NOT_FOUND : TERN_ERROR_IO,
                    "%s", g_strerror(err));
        return false;
    }
    if (S_ISDIR(st.st_mode)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "%s",
                    g_strerror(EISDIR));
        return false;
    }
    return true;
}

/* Single entry point so every option reports syntax errors the same way. */
static KeyvalList *parse_kv(const char *arg, const char *implied, GError **errp)
{
    return keyval_parse(arg, implied, errp);
}

static bool require_key(KeyvalList *kv, const char *key, const char *what,
                        GError **errp)
{
    const char *v = keyval_get(kv, key);

    if (!v || !*v) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "%s", what);
        return false;
    }
    return true;
}

static bool add_kv_list(TernConfig *cfg, const CmdlineOption *opt, const char *arg,
                        GError **errp)
{
    const KvListSpec *spec = opt->kv;
    g_autoptr(KeyvalList) kv = parse_kv(arg, spec->implied, errp);

    if (!kv) {
        return false;
    }
    if (spec->has_help && keyval_is_help(kv)) {
        *CFG_PTR(cfg, bool, spec->help_flag) = true;
        return true;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(spec->required) && spec->required[i]; i++) {
        if (!require_key(kv, spec->required[i], spec->missing[i], errp)) {
            return false;
        }
    }
    g_ptr_array_add(*CFG_PTR(cfg, GPtrArray *, opt->field), g_steal_pointer(&kv));
    return true;
}

/* ------------------------------------------------------------------ */
/* machine, cpu, memory */

static bool opt_machine(TernConfig *cfg, const char *arg, GError **errp)
{
    g_autoptr(KeyvalList) kv = parse_kv(arg, "type", errp);

    if (!kv) {
        return false;
    }
    if (keyval_is_help(kv)) {
        const char *type = keyval_get(kv, "type");
        cfg->help.machine = true;
        if (type && strcmp(type, "help") && strcmp(type, "?")) {
            replace_str(&cfg->help.machine_type, type);
        }
        return true;
    }
    if (!cfg->machine) {
        cfg->machine = keyval_new();
    }
    for (guint i = 0; i < keyval_count(kv); i++) {
        const char *key = keyval_key_at(kv, i);
        const char *value = keyval_value_at(kv, i);
        if (!strcmp(key, "type")) {
            /* one machine: a later type replaces the earlier one */
            keyval_set(cfg->machine, key, value);
        } else {
            keyval_append(cfg->machine, key, value);
        }
    }
    if (keyval_has(kv, "type")) {
        replace_str(&cfg->machine_type, keyval_get(kv, "type"));
        keyval_get(cfg->machine, "type");   /* consumed: see config.h */
    }
    return true;
}

static bool opt_accel(TernConfig *cfg, const char *arg, GError **errp)
{
    g_autoptr(KeyvalList) kv = parse_kv(arg, "accel", errp);

    if (!kv) {
        return false;
    }
    if (keyval_is_help(kv)) {
        cfg->help.accel = true;
        return true;
    }
    if (!require_key(kv, "accel", "missing accelerator name", errp)) {
        return false;
    }
    g_ptr_array_add(cfg->accels, g_steal_pointer(&kv));
    return true;
}

static bool opt_enable_kvm(TernConfig *cfg, const char *arg, GError **errp)
{
    KeyvalList *kv = keyval_new();

    keyval_append(kv, "accel", "kvm");
    g_ptr_array_add(cfg->accels, kv);
    return true;
}

static bool opt_cpu(TernConfig *cfg, const char *arg, GError **errp)
{
    g_autoptr(KeyvalList) kv = parse_kv(arg, "model", errp);

    if (!kv) {
        return false;
    }
    if (keyval_is_help(kv)) {
        cfg->help.cpu = true;
        return true;
    }
    if (!require_key(kv, "model", "missing CPU model", errp)) {
        return false;
    }
    replace_str(&cfg->cpu_model, keyval_get(kv, "model"));
    replace_kv(&cfg->cpu, g_steal_pointer(&kv));
    return true;
}

static bool opt_m(TernConfig *cfg, const char *arg, GError **errp)
{
    g_autoptr(KeyvalList) kv = parse_kv(arg, "size", errp);
    uint64_t size = 0, slots = 0, maxmem = 0;
    const char *size_str;

    if (!kv) {
        return false;
    }
    size_str = keyval_get(kv, "size");
    if (size_str) {
        /* as in QEMU, a number without a suffix counts MiB */
        if (!parse_size_unit(size_str, 1024 * 1024, &size, errp)) {
            return false;
        }
    }
    if (!keyval_get_uint(kv, "slots", 0, &slots, errp) ||
        !keyval_get_size(kv, "maxmem", 0, &maxmem, errp)) {
        return false;
    }
    if (!keyval_check_unused(kv, NULL, errp)) {
        return false;
    }
    if (maxmem && maxmem < size) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "maxmem (%" G_GUINT64_FORMAT ") is smaller than the "
                    "initial size (%" G_GUINT64_FORMAT ")", maxmem, size);
        return false;
    }
    if (slots && !maxmem) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "slots requires maxmem");
        return false;
    }
    /* "-m 0" means the machine's default size, as in QEMU */
    if (size_str) {
        cfg->ram_size = size;
        cfg->ram_size_set = size != 0;
    }
    cfg->ram_slots = slots;
    cfg->maxmem = maxmem;
    return true;
}

static bool smp_get(KeyvalList *kv, const char *key, unsigned *out,
                    GError **errp)
{
    uint64_t v;

    if (!keyval_get_uint(kv, key, 0, &v, errp)) {
        return false;
    }
    if (keyval_has(kv, key) && v == 0) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "'%s' must be greater than zero", key);
        return false;
    }
    if (v > SMP_MAX) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "'%s' is larger than %d", key, SMP_MAX);
        return false;
    }
    *out = (unsigned)v;
    return true;
}

/*
 * Fills in whatever the user left out, preferring cores over sockets as
 * current QEMU machine types do, then insists that the hierarchy multiplies
 * out to maxcpus. Zero in a field means "not given".
 */
static bool smp_compute(TernSmp *s, GError **errp)
{
    uint64_t total;

    s->dies = s->dies ? s->dies : 1;
    s->clusters = s->clusters ? s->clusters : 1;

    if (!s->cpus && !s->maxcpus) {
        s->sockets = s->sockets ? s->sockets : 1;
        s->cores = s->cores ? s->cores : 1;
        s->threads = s->threads ? s->threads : 1;
    } else {
        unsigned max = s->maxcpus ? s->maxcpus : s->cpus;
        s->maxcpus = max;
        if (!s->cores) {
            s->sockets = s->sockets ? s->sockets : 1;
            s->threads = s->threads ? s->threads : 1;
            s->cores = max / ((uint64_t)s->sockets * s->dies * s->clusters *
                              s->threads);
        } else if (!s->sockets) {
            s->threads = s->threads ? s->threads : 1;
            s->sockets = max / ((uint64_t)s->dies * s->clusters * s->cores *
                                s->threads);
        }
        if (!s->threads) {
            s->threads = max / ((uint64_t)s->sockets * s->dies * s->clusters *
                                s->cores);
        }
    }

    total = (uint64_t)s->sockets * s->dies * s->clusters;
    total *= s->cores;      /* each factor <= 2^16: no 64-bit overflow */
    total *= s->threads;
    if (total > SMP_MAX) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "invalid CPU topology: %" G_GUINT64_FORMAT " CPUs is "
                    "more than %d", total, SMP_MAX);
        return false;
    }
    if (!s->maxcpus) {
        s->maxcpus = (unsigned)total;
    }
    if (!s->cpus) {
        s->cpus = s->maxcpus;
    }
    if (total != s->maxcpus) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "invalid CPU topology: sockets * dies * clusters * cores * "
                    "threads = %u*%u*%u*%u*%u = %" G_GUINT64_FORMAT
                    " but maxcpus is %u", s->sockets, s->dies, s->clusters,
                    s->cores, s->threads, total, s->maxcpus);
        return false;
    }
    if (s->cpus > s->maxcpus) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "invalid CPU topology: cpus (%u) is larger than "
                    "maxcpus (%u)", s->cpus, s->maxcpus);
        return false;
    }
    return true;
}

static bool opt_smp(TernConfig *cfg, const char *arg, GError **errp)
{
    g_autoptr(KeyvalList) kv = parse_kv(arg, "cpus", errp);
    TernSmp s = { 0 };

    if (!kv) {
        return false;
    }
    if (!smp_get(kv, "cpus", &s.cpus, errp) ||
        !smp_get(kv, "sockets", &s.sockets, errp) ||
        !smp_get(kv, "dies", &s.dies, errp) ||
        !smp_get(kv, "clusters", &s.clusters, errp) ||
        !smp_get(kv, "cores", &s.cores, errp) ||
        !smp_get(kv, "threads", &s.threads, errp) ||
        !smp_get(kv, "maxcpus", &s.maxcpus, errp) ||
        !keyval_check_unused(kv, NULL, errp) ||
        !smp_compute(&s, errp)) {
        return false;
    }
    cfg->smp = s;
    cfg->smp_set = true;
    return true;
}

/* ------------------------------------------------------------------ */
/* boot */

/* Checked after the loop because -L may come after -bios. */
static bool opt_bios(TernConfig *cfg, const char *arg, GError **errp)
{
    if (!*arg) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "empty file name");
        return false;
    }
    replace_str(&cfg->bios, arg);
    return true;
}

static bool opt_L(TernConfig *cfg, const char *arg, GError **errp)
{
    g_ptr_array_add(cfg->bios_dirs, g_strdup(arg));
    return true;
}

static bool opt_boot(TernConfig *cfg, const char *arg, GError **errp)
{
    KeyvalList *kv = parse_kv(arg, "order", errp);

    if (!kv) {
        return false;
    }
    replace_kv(&cfg->boot, kv);
    return true;
}

/* ------------------------------------------------------------------ */
/* devices */

static bool opt_drive(TernConfig *cfg, const char *arg, GError **errp)
{
    KeyvalList *kv = parse_kv(arg, NULL, errp);

    if (!kv) {
        return false;
    }
    if (!keyval_count(kv)) {
        keyval_free(kv);
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "empty drive description");
        return false;
    }
    g_ptr_array_add(cfg->drives, kv);
    return true;
}

static bool opt_device(TernConfig *cfg, const char *arg, GError **errp)
{
    g_autoptr(KeyvalList) kv = parse_kv(arg, "driver", errp);

    if (!kv) {
        return false;
    }
    if (keyval_is_help(kv)) {
        const char *drv = keyval_get(kv, "driver");
        cfg->help.device = true;
        g_clear_pointer(&cfg->help.device_name, g_free);
        if (drv && strcmp(drv, "help") && strcmp(drv, "?")) {
            cfg->help.device_name = g_strdup(drv);
        }
        return true;
    }
    if (!require_key(kv, "driver", "missing device name", errp)) {
        return false;
    }
    g_ptr_array_add(cfg->devices, g_steal_pointer(&kv));
    return true;
}

static bool opt_global(TernConfig *cfg, const char *arg, GError **errp)
{
    size_t dlen = strcspn(arg, ".=");
    TernGlobalProp *g;

    if (arg[dlen] == '.') {
        /* short form: the value runs to the end, commas included */
        const char *prop = arg + dlen + 1;
        const char *eq = strchr(prop, '=');
        if (dlen == 0 || !eq || eq == prop) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                        "expected DRIVER.PROPERTY=VALUE");
            return false;
        }
        g = g_new0(TernGlobalProp, 1);
        g->driver = g_strndup(arg, dlen);
        g->property = g_strndup(prop, eq - prop);
        g->value = g_strdup(eq + 1);
    } else {
        g_autoptr(KeyvalList) kv = parse_kv(arg, NULL, errp);
        if (!kv) {
            return false;
        }
        const char *drv = keyval_get(kv, "driver");
        const char *prop = keyval_get(kv, "property");
        const char *value = keyval_get(kv, "value");
        if (!drv || !*drv || !prop || !*prop || !value) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                        "expected DRIVER.PROPERTY=VALUE or "
                        "driver=D,property=P,value=V");
            return false;
        }
        if (!keyval_check_unused(kv, NULL, errp)) {
            return false;
        }
        g = g_new0(TernGlobalProp, 1);
        g->driver = g_strdup(drv);
        g->property = g_strdup(prop);
        g->value = g_strdup(value);
    }
    g_ptr_array_add(cfg->globals, g);
    return true;
}

/* ------------------------------------------------------------------ */
/* display */

static bool opt_display(TernConfig *cfg, const char *arg, GError **errp)
{
    KeyvalList *kv = parse_kv(arg, "type", errp);

    if (!kv) {
        return false;
    }
    if (keyval_is_help(kv)) {
        keyval_free(kv);
        cfg->help.display = true;
        return true;
    }
    if (!require_key(kv, "type", "missing display type", errp)) {
        keyval_free(kv);
        return false;
    }
    replace_kv(&cfg->display, kv);
    return true;
}

static bool opt_vga(TernConfig *cfg, const char *arg, GError **errp)
{
    if (!strcmp(arg, "help") || !strcmp(arg, "?")) {
        cfg->help.vga = true;
        return true;
    }
    replace_str(&cfg->vga, arg);
    return true;
}

/* ------------------------------------------------------------------ */
/* debugging */

static bool opt_s(TernConfig *cfg, const char *arg, GError **errp)
{
    replace_str(&cfg->gdb, DEFAULT_GDB_DEV);
    return true;
}

static bool opt_gdb(TernConfig *cfg, const char *arg, GError **errp)
{
    if (!*arg) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "empty device name");
        return false;
    }
    replace_str(&cfg->gdb, arg);
    return true;
}

static bool opt_d(TernConfig *cfg, const char *arg, GError **errp)
{
    g_auto(GStrv) items = g_strsplit(arg, ",", -1);

    for (char **p = items; *p; p++) {
        if (!strcmp(*p, "help") || !strcmp(*p, "?")) {
            cfg->help.log = true;
            return true;
        }
    }
    /* item names are checked by the logger, which owns the list */
    replace_str(&cfg->log_items, arg);
    return true;
}

static bool opt_D(TernConfig *cfg, const char *arg, GError **errp)
{
    if (!*arg) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "empty file name");
        return false;
    }
    replace_str(&cfg->log_file, arg);
    return true;
}

static bool opt_semihosting_config(TernConfig *cfg, const char *arg, GError **errp)
{
    KeyvalList *kv = parse_kv(arg, "enable", errp);
    bool enable;

    if (!kv) {
        return false;
    }
    if (!keyval_get_bool(kv, "enable", true, &enable, errp)) {
        keyval_free(kv);
        return false;
    }
    cfg->semihosting = enable;
    replace_kv(&cfg->semihosting_config, kv);
    return true;
}

/* ------------------------------------------------------------------ */
/* miscellaneous */

static bool opt_name(TernConfig *cfg, const char *arg, GError **errp)
{
    g_autoptr(KeyvalList) kv = parse_kv(arg, "guest", errp);
    const char *guest;
    bool dbg;

    if (!kv) {
        return false;
    }
    guest = keyval_get(kv, "guest");
    keyval_get(kv, "process");
    if (!keyval_get_bool(kv, "debug-threads", false, &dbg, errp) ||
        !keyval_check_unused(kv, NULL, errp)) {
        return false;
    }
    if (guest) {
        replace_str(&cfg->name, guest);
    }
    replace_kv(&cfg->name_opts, g_steal_pointer(&kv));
    return true;
}

/* "utc", "localtime", or a start date: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS */
static bool rtc_base_valid(const char *base)
{
    static const char date_pat[] = "dddd-dd-dd";
    static const char time_pat[] = "Tdd:dd:dd";
    size_t n = strlen(base);

    if (!strcmp(base, "utc") || !strcmp(base, "localtime")) {
        return true;
    }
    if (n != strlen(date_pat) && n != strlen(date_pat) + strlen(time_pat)) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char want = i < strlen(date_pat) ? date_pat[i]
                                         : time_pat[i - strlen(date_pat)];
        if (want == 'd' ? !g_ascii_isdigit(base[i]) : base[i] != want) {
            return false;
        }
    }
    return true;
}

static bool check_choice(KeyvalList *kv, const char *key,
                         const char *const *choices, GError **errp)
{
    const char *v = keyval_get(kv, key);

    if (!v) {
        return true;
    }
    for (; *choices; choices++) {
        if (!strcmp(v, *choices)) {
            return true;
        }
    }
    g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                "invalid value '%s' for '%s'", v, key);
    return false;
}

static bool opt_rtc(TernConfig *cfg, const char *arg, GError **errp)
{
    static const char *const clocks[] = { "host", "rt", "vm", NULL };
    static const char *const driftfix[] = { "none", "slew", NULL };
    g_autoptr(KeyvalList) kv = parse_kv(arg, NULL, errp);
    const char *base;

    if (!kv) {
        return false;
    }
    base = keyval_get(kv, "base");
    if (base && !rtc_base_valid(base)) {
        g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                    "invalid base '%s' (use utc, localtime or "
                    "YYYY-MM-DDTHH:MM:SS)", base);
        return false;
    }
    if (!check_choice(kv, "clock", clocks, errp) ||
        !check_choice(kv, "driftfix", driftfix, errp) ||
        !keyval_check_unused(kv, NULL, errp)) {
        return false;
    }
    cfg->rtc_localtime = base && !strcmp(base, "localtime");
    replace_kv(&cfg->rtc, g_steal_pointer(&kv));
    return true;
}

/* ------------------------------------------------------------------ */
/* the table */

static const KvListSpec kv_object = {
    "qom-type", CFG_FIELD(help.object), true,
    { "qom-type", "id" }, { "missing object type", "requires id=" },
};
static const KvListSpec kv_netdev = {
    "type", CFG_FIELD(help.netdev), true,
    { "type", "id" }, { "missing network backend type", "requires id=" },
};
static const KvListSpec kv_nic = { "type", CFG_FIELD(help.netdev), true };
static const KvListSpec kv_chardev = {
    "backend", CFG_FIELD(help.chardev), true,
    { "backend", "id" }, { "missing chardev backend", "requires id=" },
};
static const KvListSpec kv_mon = {
    "chardev", 0, false, { "chardev" }, { "requires chardev=" },
};

static const CmdlineOption options[] = {
    { "h", "help", NULL, NULL,
      "print this help and exit", GROUP_STANDARD, KIND_FLAG, CFG_FIELD(show_help) },
    { "version", NULL, NULL, NULL,
      "print the version and exit", GROUP_STANDARD, KIND_FLAG, CFG_FIELD(show_version) },

    { "machine", "M", "[type=]NAME[,prop=value,...]", opt_machine,
      "select the board ('-machine help'); accel=NAME allowed",
      GROUP_MACHINE },
    { "accel", NULL, "NAME[,prop=value,...]", opt_accel,
      "accelerator; repeat for fallbacks ('-accel help')",
      GROUP_MACHINE },
    { "enable-kvm", NULL, NULL, opt_enable_kvm,
      "same as -accel kvm", GROUP_MACHINE },
    { "cpu", NULL, "MODEL[,feature=value,...]", opt_cpu,
      "select the CPU model ('-cpu help' lists them)", GROUP_MACHINE },
    { "m", NULL, "[size=]SIZE[,slots=N,maxmem=SIZE]", opt_m,
      "guest RAM; a bare number is MiB, suffixes K M G T", GROUP_MACHINE },
    { "smp", NULL, "[cpus=]N[,sockets=,dies=,clusters=,cores=,threads=,maxcpus=]",
      opt_smp, "number and topology of virtual CPUs", GROUP_MACHINE },

    { "kernel", NULL, "FILE", NULL,
      "boot this kernel image directly", GROUP_BOOT, KIND_FILE, CFG_FIELD(kernel) },
    { "initrd", NULL, "FILE", NULL,
      "initial ramdisk for -kernel", GROUP_BOOT, KIND_FILE, CFG_FIELD(initrd) },
    { "append", NULL, "CMDLINE", NULL,
      "kernel command line", GROUP_BOOT, KIND_STR, CFG_FIELD(append) },
    { "dtb", NULL, "FILE", NULL,
      "device tree blob instead of a generated one", GROUP_BOOT, KIND_FILE, CFG_FIELD(dtb) },
    { "bios", NULL, "FILE", opt_bios,
      "firmware image (looked up in -L directories too)", GROUP_BOOT },
    { "L", NULL, "DIR", opt_L,
      "add a directory to search for firmware", GROUP_BOOT },
    { "boot", NULL, "[order=]DRIVES[,once=,menu=on|off,...]", opt_boot,
      "firmware boot order and menu", GROUP_BOOT },

    { "drive", NULL, "file=FILE[,if=TYPE,format=FMT,id=ID,...]", opt_drive,
      "add a block device", GROUP_DEVICES },
    { "device", NULL, "DRIVER[,prop=value,...]", opt_device,
      "add a device ('-device help', '-device DRIVER,help')", GROUP_DEVICES },
    { "global", NULL, "DRIVER.PROP=VALUE", opt_global,
      "default property value for every DRIVER device", GROUP_DEVICES },
    { "object", NULL, "TYPE,id=ID[,prop=value,...]", NULL,
      "create a backend object", GROUP_DEVICES, KIND_KV_LIST, CFG_FIELD(objects), &kv_object },
    { "snapshot", NULL, NULL, NULL,
      "write disk changes to temporary files only", GROUP_DEVICES, KIND_FLAG,
      CFG_FIELD(snapshot) },

    { "netdev", NULL, "TYPE,id=ID[,prop=value,...]", NULL,
      "add a network backend ('-netdev help')", GROUP_NETWORK, KIND_KV_LIST,
      CFG_FIELD(netdevs), &kv_netdev },
    { "nic", NULL, "TYPE[,model=NAME,prop=value,...]", NULL,
      "add a network backend and its default NIC", GROUP_NETWORK, KIND_KV_LIST,
      CFG_FIELD(nics), &kv_nic },

    { "chardev", NULL, "BACKEND,id=ID[,prop=value,...]", NULL,
      "add a character device ('-chardev help')", GROUP_CHARDEV, KIND_KV_LIST,
      CFG_FIELD(chardevs), &kv_chardev },
    { "serial", NULL, "DEV", NULL,
      "next serial port to DEV (stdio, pty, chardev:ID...)",
      GROUP_CHARDEV, KIND_RAW_LIST, CFG_FIELD(serials) },
    { "monitor", NULL, "DEV", NULL,
      "human monitor on DEV", GROUP_CHARDEV, KIND_RAW_LIST, CFG_FIELD(monitors) },
    { "qmp", NULL, "DEV", NULL,
      "QMP monitor on DEV", GROUP_CHARDEV, KIND_RAW_LIST, CFG_FIELD(qmps) },
    { "mon", NULL, "[chardev=]ID[,mode=readline|control]", NULL,
      "monitor on an existing chardev", GROUP_CHARDEV, KIND_KV_LIST, CFG_FIELD(mons),
      &kv_mon },

    { "display", NULL, "TYPE[,prop=value,...]", opt_display,
      "select the display backend ('-display help')", GROUP_DISPLAY },
    { "nographic", NULL, NULL, NULL,
      "no graphical output; serial and monitor on stdio", GROUP_DISPLAY, KIND_FLAG,
      CFG_FIELD(nographic) },
    { "vga", NULL, "TYPE", opt_vga,
      "select the video card", GROUP_DISPLAY },

    { "S", NULL, NULL, NULL,
      "do not start the CPUs at start-up", GROUP_DEBUG, KIND_FLAG,
      CFG_FIELD(start_stopped) },
    { "s", NULL, NULL, opt_s,
      "same as -gdb " DEFAULT_GDB_DEV, GROUP_DEBUG },
    { "gdb", NULL, "DEV", opt_gdb,
      "wait for a gdb connection on DEV", GROUP_DEBUG },
    { "d", NULL, "ITEM[,ITEM...]", opt_d,
      "enable debug logging ('-d help' lists items)", GROUP_DEBUG },
    { "D", NULL, "FILE", opt_D,
      "write the debug log to FILE", GROUP_DEBUG },
    { "semihosting", NULL, NULL, NULL,
      "enable semihosting calls from the guest", GROUP_DEBUG, KIND_FLAG,
      CFG_FIELD(semihosting) },
    { "semihosting-config", NULL, "[enable=]on|off[,target=,chardev=,arg=]",
      opt_semihosting_config, "configure semihosting", GROUP_DEBUG },

    { "name", NULL, "[guest=]NAME[,process=NAME,debug-threads=on|off]", opt_name,
      "name the guest (window title, monitor)", GROUP_MISC },
    { "rtc", NULL, "[base=utc|localtime|DATE][,clock=,driftfix=]", opt_rtc,
      "set the real-time clock", GROUP_MISC },
    { "nodefaults", NULL, NULL, NULL,
      "create no default devices", GROUP_MISC, KIND_FLAG, CFG_FIELD(nodefaults) },
    { "no-reboot", NULL, NULL, NULL,
      "exit instead of rebooting", GROUP_MISC, KIND_FLAG, CFG_FIELD(no_reboot) },
    { "no-shutdown", NULL, NULL, NULL,
      "stop instead of exiting at guest power-off", GROUP_MISC, KIND_FLAG,
      CFG_FIELD(no_shutdown) },
};

/* Store the argument of an option according to its kind. */
static bool option_apply(TernConfig *cfg, const CmdlineOption *opt, const char *arg,
                         GError **errp)
{
    switch (opt->kind) {
    case KIND_HANDLER:
        return opt->handler(cfg, arg, errp);
    case KIND_FLAG:
        *CFG_PTR(cfg, bool, opt->field) = true;
        return true;
    case KIND_FILE:
        if (!check_readable(arg, errp)) {
            return false;
        }
        replace_str(CFG_PTR(cfg, char *, opt->field), arg);
        return true;
    case KIND_STR:
        replace_str(CFG_PTR(cfg, char *, opt->field), arg);
        return true;
    case KIND_RAW_LIST:
        if (!*arg) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID, "empty device name");
            return false;
        }
        g_ptr_array_add(*CFG_PTR(cfg, GPtrArray *, opt->field), g_strdup(arg));
        return true;
    case KIND_KV_LIST:
        return add_kv_list(cfg, opt, arg, errp);
    }
    g_assert_not_reached();
}

static const CmdlineOption *find_option(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(options); i++) {
        if (!strcmp(options[i].name, name) ||
            (options[i].alias && !strcmp(options[i].alias, name))) {
            return &options[i];
        }
    }
    return NULL;
}

/* ------------------------------------------------------------------ */
/* config life cycle */

static void global_prop_free(gpointer p)
{
    TernGlobalProp *g = p;

    g_free(g->driver);
    g_free(g->property);
    g_free(g->value);
    g_free(g);
}

static GPtrArray *kv_array(void)
{
    return g_ptr_array_new_with_free_func((GDestroyNotify)keyval_free);
}

void ternconfig_init(TernConfig *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->accels = kv_array();
    cfg->bios_dirs = g_ptr_array_new_with_free_func(g_free);
    cfg->drives = kv_array();
    cfg->devices = kv_array();
    cfg->netdevs = kv_array();
    cfg->nics = kv_array();
    cfg->chardevs = kv_array();
    cfg->objects = kv_array();
    cfg->globals = g_ptr_array_new_with_free_func(global_prop_free);
    cfg->serials = g_ptr_array_new_with_free_func(g_free);
    cfg->monitors = g_ptr_array_new_with_free_func(g_free);
    cfg->qmps = g_ptr_array_new_with_free_func(g_free);
    cfg->mons = kv_array();
}

void ternconfig_free(TernConfig *cfg)
{
    keyval_free(cfg->machine);
    g_free(cfg->machine_type);
    g_ptr_array_unref(cfg->accels);
    g_free(cfg->cpu_model);
    keyval_free(cfg->cpu);
    g_free(cfg->kernel);
    g_free(cfg->initrd);
    g_free(cfg->append);
    g_free(cfg->dtb);
    g_free(cfg->bios);
    g_ptr_array_unref(cfg->bios_dirs);
    g_ptr_array_unref(cfg->drives);
    g_ptr_array_unref(cfg->devices);
    g_ptr_array_unref(cfg->netdevs);
    g_ptr_array_unref(cfg->nics);
    g_ptr_array_unref(cfg->chardevs);
    g_ptr_array_unref(cfg->objects);
    g_ptr_array_unref(cfg->globals);
    g_ptr_array_unref(cfg->serials);
    g_ptr_array_unref(cfg->monitors);
    g_ptr_array_unref(cfg->qmps);
    g_ptr_array_unref(cfg->mons);
    keyval_free(cfg->display);
    g_free(cfg->vga);
    g_free(cfg->gdb);
    g_free(cfg->log_items);
    g_free(cfg->log_file);
    g_free(cfg->name);
    keyval_free(cfg->name_opts);
    keyval_free(cfg->semihosting_config);
    keyval_free(cfg->rtc);
    keyval_free(cfg->boot);
    g_free(cfg->help.machine_type);
    g_free(cfg->help.device_name);
    memset(cfg, 0, sizeof(*cfg));
}

bool ternconfig_help_requested(const TernConfig *cfg)
{
    const TernHelpRequests *h = &cfg->help;

    return cfg->show_help || cfg->show_version || h->machine || h->cpu ||
           h->accel || h->device || h->log || h->chardev || h->netdev ||
           h->display || h->vga || h->object;
}

/* ------------------------------------------------------------------ */
/* parsing */

/* A bare argument is a disk image, as QEMU's implicit -hda. */
static bool add_bare_image(TernConfig *cfg, const char *path, GError **errp)
{
    KeyvalList *kv = keyval_new();

    keyval_append(kv, "file", path);
    keyval_append(kv, "index", "0");
    keyval_append(kv, "media", "disk");
    g_ptr_array_add(cfg->drives, kv);
    return true;
}

static bool check_bios(TernConfig *cfg, GError **errp)
{
    GError *first = NULL;

    if (!cfg->bios || check_readable(cfg->bios, &first)) {
        return true;
    }
    /* relative names may live in a -L directory */
    if (!g_path_is_absolute(cfg->bios)) {
        for (guint i = 0; i < cfg->bios_dirs->len; i++) {
            g_autofree char *p = g_build_filename(cfg->bios_dirs->pdata[i],
                                                  cfg->bios, NULL);
            if (check_readable(p, NULL)) {
                g_clear_error(&first);
                replace_str(&cfg->bios, p);
                return true;
            }
        }
    }
    g_propagate_prefixed_error(errp, first, "-bios %s: ", cfg->bios);
    return false;
}

bool cmdline_parse(int argc, char **argv, TernConfig *cfg, GError **errp)
{
    bool bare_image_seen = false;

    for (int i = 1; i < argc; i++) {
        const char *word = argv[i];
        const char *name;
        const char *arg = NULL;
        const CmdlineOption *opt;
        GError *err = NULL;

        if (word[0] != '-' || word[1] == '\0') {
            if (bare_image_seen) {
                g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                            "%s: unexpected argument (only one bare disk "
                            "image is allowed; use -drive)", word);
                return false;
            }
            bare_image_seen = true;
            add_bare_image(cfg, word, NULL);
            continue;
        }
        name = word + 1;
        if (name[0] == '-') {
            name++;
        }
        opt = find_option(name);
        if (!opt) {
            g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                        "%s: invalid option", word);
            return false;
        }
        if (opt->arg_help) {
            if (i + 1 >= argc) {
                g_set_error(errp, TERN_ERROR, TERN_ERROR_INVALID,
                            "%s: requires an argument", word);
                return false;
            }
            arg = argv[++i];
        }
        if (!option_apply(cfg, opt, arg, &err)) {
            if (arg) {
                g_propagate_prefixed_error(errp, err, "%s %s: ", word, arg);
            } else {
                g_propagate_prefixed_error(errp, err, "%s: ", word);
            }
            return false;
        }
        if (cfg->show_help || cfg->show_version) {
            /* like QEMU, -h and -version act where they appear */
            return true;
        }
    }
    return check_bios(cfg, errp);
}

/* ------------------------------------------------------------------ */
/* help and version */

#define HELP_COLUMN 32

void cmdline_print_help(FILE *out, const char *progname)
{
    const char *base = progname ? strrchr(progname, '/') : NULL;

    base = base ? base + 1 : (progname ? progname : "tern");
    fprintf(out, "usage: %s [options] [disk_image]\n", base);
    for (int g = 0; g < GROUP__MAX; g++) {
        fprintf(out, "\n%s:\n", group_names[g]);
        for (size_t i = 0; i < G_N_ELEMENTS(options); i++) {
            const CmdlineOption *o = &options[i];
            g_autoptr(GString) lhs = g_string_new("  -");

            if (o->group != (CmdlineGroup)g) {
                continue;
            }
            g_string_append(lhs, o->name);
            if (o->alias) {
                g_string_append_printf(lhs, ", -%s", o->alias);
            }
            if (o->arg_help) {
                g_string_append_printf(lhs, " %s", o->arg_help);
            }
            if (lhs->len + 1 < HELP_COLUMN) {
                fprintf(out, "%-*s%s\n", HELP_COLUMN, lhs->str, o->help);
            } else {
                fprintf(out, "%s\n%*s%s\n", lhs->str, HELP_COLUMN, "", o->help);
            }
        }
    }
    fprintf(out, "\nOptions may also start with '--'. SIZE takes suffixes "
                 "K, M, G, T (powers of 1024).\n");
}

void cmdline_print_version(FILE *out)
{
    fprintf(out, "Tern emulator version %s\n", TERN_VERSION);
    fprintf(out, "Copyright (c) The Tern authors; "
                 "licensed under the GPL version 2 or later\n");
}
