/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The typed result of parsing the QEMU-compatible command line. Parsing is a
 * pure syntax step: values are checked for form (sizes, topology, files that
 * must exist) but nothing is looked up in device, machine or accelerator
 * registries; main() makes those decisions, including acting on help
 * requests, once the registries exist.
 */
#ifndef SYSTEM_CONFIG_H
#define SYSTEM_CONFIG_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "util/keyval.h"

/* -global DRIVER.PROP=VALUE or -global driver=D,property=P,value=V */
typedef struct TernGlobalProp {
    char *driver;
    char *property;
    char *value;
} TernGlobalProp;

/* -smp, with every missing value computed; all fields are >= 1 when set. */
typedef struct TernSmp {
    unsigned cpus;      /* CPUs present at start */
    unsigned sockets;
    unsigned dies;
    unsigned clusters;
    unsigned cores;
    unsigned threads;
    unsigned maxcpus;   /* sockets * dies * clusters * cores * threads */
} TernSmp;

/* "help" / "?" requests seen on the command line, listed by main. */
typedef struct TernHelpRequests {
    bool machine;           /* -machine help, -M ? */
    char *machine_type;     /* -machine TYPE,help: properties of TYPE */
    bool cpu;               /* -cpu help */
    bool accel;             /* -accel help */
    bool device;            /* -device help or -device NAME,help */
    char *device_name;      /* NAME for -device NAME,help; NULL lists all */
    bool log;               /* -d help */
    bool chardev;           /* -chardev help */
    bool netdev;            /* -netdev help, -nic help */
    bool display;           /* -display help */
    bool vga;               /* -vga help */
    bool object;            /* -object help */
} TernHelpRequests;

/*
 * In the stored KeyvalLists, keys the parser itself extracted (machine type,
 * cpu model, device driver, netdev/chardev type and id...) are already
 * marked used, so a consumer's keyval_check_unused() only reports keys that
 * neither it nor the parser understood.
 */
typedef struct TernConfig {
    /* -machine / -M, all occurrences merged in order (last value wins) */
    KeyvalList *machine;            /* NULL if not given */
    char *machine_type;             /* its "type", NULL if not given */
    GPtrArray *accels;              /* KeyvalList *, key "accel"; -enable-kvm */

    char *cpu_model;                /* -cpu MODEL */
    KeyvalList *cpu;                /* -cpu, model under key "model" */

    /* -m: ram_size in bytes; 0 (not given, or "-m 0") means machine default */
    uint64_t ram_size;
    uint64_t ram_slots;
    uint64_t maxmem;                /* 0 if not given */
    bool ram_size_set;

    TernSmp smp;
    bool smp_set;                   /* false: fields are all zero */

    char *kernel;
    char *initrd;
    char *append;
    char *dtb;
    char *bios;
    GPtrArray *bios_dirs;           /* -L, char * */

    GPtrArray *drives;              /* KeyvalList * (includes a bare disk image) */
    GPtrArray *devices;             /* KeyvalList *, key "driver" */
    GPtrArray *netdevs;             /* KeyvalList *, key "type" */
    GPtrArray *nics;                /* KeyvalList *, key "type" */
    GPtrArray *chardevs;            /* KeyvalList *, key "backend" */
    GPtrArray *objects;             /* KeyvalList *, key "qom-type" */
    GPtrArray *globals;             /* TernGlobalProp * */

    GPtrArray *serials;             /* char *, raw -serial values */
    GPtrArray *monitors;            /* char *, raw -monitor values */
    GPtrArray *qmps;                /* char *, raw -qmp values */
    GPtrArray *mons;                /* KeyvalList *, key "chardev" */

    KeyvalList *display;            /* -display, key "type"; NULL if not given */
    bool nographic;
    char *vga;

    bool start_stopped;             /* -S */
    char *gdb;                      /* -gdb DEV, or "tcp::1234" for -s */

    char *log_items;                /* -d */
    char *log_file;                 /* -D */
    char *name;                     /* -name NAME / guest=NAME */
    KeyvalList *name_opts;          /* whole -name list */

    bool nodefaults;
    bool no_reboot;
    bool no_shutdown;
    bool snapshot;
    bool semihosting;               /* -semihosting, or enable=on in -semihosting-config */
    KeyvalList *semihosting_config;
    KeyvalList *rtc;                /* base, clock, driftfix */
    bool rtc_localtime;             /* base=localtime */
    KeyvalList *boot;               /* -boot, key "order" */

    bool show_help;                 /* -h: parsing stopped there */
    bool show_version;              /* -version: parsing stopped there */
    TernHelpRequests help;
} TernConfig;

void ternconfig_init(TernConfig *cfg);
void ternconfig_free(TernConfig *cfg);

/* True if any option asked for a listing (cfg->help), -h or -version. */
bool ternconfig_help_requested(const TernConfig *cfg);

/*
 * argv[0] is the program name. On error the message is one line naming the
 * option as typed, e.g. "-m banana: invalid size 'banana'"; cfg may then be
 * partly filled and must still be freed with ternconfig_free.
 */
bool cmdline_parse(int argc, char **argv, TernConfig *cfg, GError **errp);

/* Grouped option summary, generated from the same table as the parser. */
void cmdline_print_help(FILE *out, const char *progname);
/* "Tern emulator version X.Y.Z" and a copyright line. */
void cmdline_print_version(FILE *out);

#endif
