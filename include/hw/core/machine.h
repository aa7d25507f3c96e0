/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Machines (boards). A MachineClass is a static const description (targets,
 * defaults, CPU limits, a property table for -machine options, an init
 * callback that builds the board); a MachineState holds what the command
 * line configured (RAM size, SMP topology, CPU type, kernel/firmware paths)
 * and is embedded first in a board's own instance struct. Classes are
 * registered explicitly at start-up, like device classes.
 */
#ifndef HW_CORE_MACHINE_H
#define HW_CORE_MACHINE_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "hw/core/device.h"

/* Bit flags: a machine may run on several targets. */
typedef enum {
    TARGET_NONE = 0,
    TARGET_AARCH64 = 1,
    TARGET_X86_64 = 2,
} TernTarget;

#define TARGET_ALL (TARGET_AARCH64 | TARGET_X86_64)

typedef struct MachineState MachineState;

typedef struct MachineClass {
    const char *name, *alias, *desc;
    unsigned targets;                   /* TernTarget bits */
    bool is_default;                    /* default for its targets */
    uint64_t default_ram_size;          /* 0: no RAM unless -m is given */
    unsigned min_cpus;                  /* 0 is treated as 1 */
    unsigned max_cpus;                  /* 0 is treated as 1 */
    const char *default_cpu_type;       /* NULL: none */
    const char *const *valid_cpu_types; /* NULL-terminated; NULL: any */
    const char *default_accel;          /* NULL: main decides */
    size_t instance_size;               /* >= sizeof(MachineState) */
    const Property *props;              /* -machine options, PROP_END */
    /* After property defaults, before -machine options are applied. */
    void (*instance_init)(MachineState *ms);
    /* Build the board: RAM, CPUs, devices. Errors name what failed. */
    bool (*init)(MachineState *ms, GError **errp);
    /* System reset; NULL resets the device tree (bus_reset of sysbus). */
    void (*reset)(MachineState *ms);
    void (*instance_finalize)(MachineState *ms);
} MachineClass;

typedef struct SmpConfig {
    unsigned cpus, sockets, cores, threads, maxcpus;
} SmpConfig;

struct MachineState {
    const MachineClass *klass;
    uint64_t ram_size;
    SmpConfig smp;
    char *cpu_type;
    char *kernel_filename;              /* -kernel / kernel= */
    char *initrd_filename;              /* -initrd / initrd= */
    char *kernel_cmdline;               /* -append / append= */
    char *dtb;                          /* -dtb / dtb= */
    char *firmware;                     /* -bios / firmware= */
    char *accel;                        /* set by main */
    bool graphics, usb, dump_guest_core, mem_merge;
    MemoryRegion *ram;                  /* main RAM, see machine_alloc_ram */
    /* private */
    MemoryRegion *ram_container;
    GHashTable *prop_ids;
};

/* Names and aliases must be unique; violating that asserts. */
void machine_class_register(const MachineClass *mc);
/* By name, then by alias. */
const MachineClass *machine_class_find(const char *name);
/* The first (by name) class marked default that supports target t. */
const MachineClass *machine_class_default(TernTarget t);
/* Every registered class, sorted by name. */
void machine_class_foreach(void (*fn)(const MachineClass *mc, void *opaque),
                           void *opaque);
void machine_class_registry_clear(void);

/*
 * -machine help: "Supported machines are:" then "%-20s %s" lines, an alias
 * line before its machine, " (default)" marking defaults. target_mask
 * selects machines supporting any of those targets; 0 lists all. Only
 * defaults of a target in default_mask (the binary's own) are marked.
 */
void machine_print_help_list(FILE *out, unsigned target_mask, unsigned default_mask);
/* -machine NAME,help: "NAME-machine options:" then the properties. */
void machine_print_props(FILE *out, const MachineClass *mc);

/*
 * A zeroed instance with class defaults: RAM size, 1 CPU (or min_cpus),
 * default CPU type, property defaults; then instance_init.
 */
MachineState *machine_new(const MachineClass *mc, GError **errp);
/* One -machine option ("type"/"accel" are not properties). */
bool machine_set_prop(MachineState *ms, const char *name, const char *value,
                      GError **errp);
char *machine_get_prop(MachineState *ms, const char *name);
/*
 * Every key of a -machine option list except "type" and "accel". Errors
 * read "-machine NAME: property 'foo' not found".
 */
bool machine_set_props_from_keyval(MachineState *ms, const KeyvalList *kv,
                                   GError **errp);
/* Validate CPU count and type against the class, then call its init. */
bool machine_run_init(MachineState *ms, GError **errp);
void machine_reset(MachineState *ms);
/* Runs finalizers, unmaps and frees the main RAM. Devices are not touched. */
void machine_free(MachineState *ms);

/* Create ms->ram ("ram", ram_size bytes) if not created yet. */
bool machine_alloc_ram(MachineState *ms, GError **errp);
/* Allocate if needed and map ms->ram at addr in container; freed with ms. */
bool machine_map_ram(MachineState *ms, MemoryRegion *container, uint64_t addr,
                     GError **errp);

/* Register the target-independent machines ("none"); idempotent. */
void hw_register_core_machines(void);

#endif
