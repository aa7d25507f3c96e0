/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The human monitor (HMP). A monitor is a frontend on a chardev (stdio,
 * socket, pty or one side of a mux) running the line editor and the command
 * table; commands run in the main thread with the big lock held, because the
 * main loop holds it while dispatching chardev input. Subsystems extend the
 * command set through hmp_register_command()/hmp_register_info() instead of
 * editing monitor code, and provide machine-specific services (register
 * values, virtual-to-physical translation, the disassembler's architecture)
 * through the hmp_set_*() hooks.
 */
#ifndef MONITOR_MONITOR_H
#define MONITOR_MONITOR_H

#include <glib.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config-host.h"
#include "chardev/char.h"
#include "util/disas.h"

#define MONITOR_PROMPT "(tern) "
#define MONITOR_BANNER "Tern " TERN_VERSION " monitor - type 'help' for more information"

typedef struct Monitor Monitor;

/*
 * A monitor on chr. The banner and prompt are printed when the chardev
 * reports a client (CHR_EVENT_OPENED), again for every new socket client;
 * behind a mux the monitor prints only while it has the focus.
 */
Monitor *monitor_new_hmp(Chardev *chr, GError **errp);

/*
 * A monitor without a chardev: commands come from monitor_run_command() and
 * output goes to write_fn. For tests, scripted commands and remote-debugger
 * "monitor" requests.
 */
typedef void (*MonitorWriteFunc)(void *opaque, const char *buf, size_t len);
Monitor *monitor_new_callback(MonitorWriteFunc write_fn, void *opaque);

void monitor_destroy(Monitor *mon);
void monitor_destroy_all(void);

/* Run one command line as if typed (no prompt is printed). */
void monitor_run_command(Monitor *mon, const char *cmdline);

/* Output; "\n" becomes "\r\n" as terminals expect. Main thread (BQL) only. */
void monitor_printf(Monitor *mon, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void monitor_vprintf(Monitor *mon, const char *fmt, va_list ap);
void monitor_puts(Monitor *mon, const char *str);

/* The monitor's command history, oldest first (empty without a line editor). */
guint monitor_history_len(Monitor *mon);
const char *monitor_history_get(Monitor *mon, guint i);

/*
 * The vCPU `cpu N` selected on this monitor (0 until then); register
 * dumps, $reg expressions and `x` translate through it.
 */
int monitor_get_cpu_index(Monitor *mon);
void monitor_set_cpu_index(Monitor *mon, int index);

/* ---- command table ---- */

/*
 * args is the rest of the line after the command name with leading blanks
 * removed (never NULL). Handlers report errors as one line on mon.
 */
typedef void (*HmpHandler)(Monitor *mon, const char *args);

/*
 * Register a top-level command. name may list aliases as "cont|c"; the
 * first is shown by help. args_help is the usage ("[-f]", "/fmt addr") and
 * may be "". Registering an existing name replaces the old entry.
 */
void hmp_register_command(const char *name, const char *args_help,
                          const char *help, HmpHandler fn);
/* The same for an `info NAME` sub-command. */
void hmp_register_info(const char *name, const char *args_help,
                       const char *help, HmpHandler fn);
/* Forget every registration made by anyone (tests). Built-ins come back. */
void hmp_reset_commands(void);

/* Parse and run one line (called by the monitor; BQL held). */
void hmp_handle_command(Monitor *mon, const char *cmdline);
/*
 * The selected vCPU index of the monitor whose command is running (0 when
 * none is): for the register, translation and dump hooks, which are not
 * told the monitor.
 */
int hmp_current_cpu_index(void);

/*
 * Tab completion: command names, `info` and `help` sub-commands, `log`
 * items, `cpu` indexes, `info mtree -f`, and $register names after `p`,
 * `x` and `xp` (from hmp_set_register_names()).
 */
void hmp_complete(Monitor *mon, const char *text,
                  void (*add)(void *opaque, const char *word), void *opaque);

/* ---- hooks supplied by the machine and accelerators ---- */

/* -name NAME, shown by `info name`; NULL clears it. */
void hmp_set_vm_name(const char *name);
const char *hmp_get_vm_name(void);

/* Architecture `x /i` and `xp /i` disassemble for. */
void hmp_set_disas_arch(DisasArch arch);

/*
 * Guest virtual to physical for `x`: returns false when vaddr is not mapped.
 * Until one is registered `x` reads physical memory like `xp`.
 */
typedef bool (*HmpVirtTranslateFunc)(void *opaque, uint64_t vaddr,
                                     uint64_t *paddr);
void hmp_set_virt_translate(HmpVirtTranslateFunc fn, void *opaque);

/* `$name` in expressions (p $pc): returns false for an unknown register. */
typedef bool (*HmpRegisterLookupFunc)(void *opaque, const char *name,
                                      uint64_t *value);
void hmp_set_register_lookup(HmpRegisterLookupFunc fn, void *opaque);

/* Register names offered by completion after '$' (static, NULL-terminated). */
void hmp_set_register_names(const char *const *names);

/*
 * Expression evaluation used by `p`, `xp` and `x`: integers (decimal, 0x
 * hex, 0 octal), $registers, unary - ~ !, * / % + - << >> & ^ |, and
 * parentheses. 64-bit wrap-around arithmetic; division by zero is an error.
 */
bool hmp_eval_expr(const char *expr, uint64_t *out, GError **errp);

/* Internal to monitor/: hmp-info.c's built-in `info` entries. */
void hmp_info_register_builtins(void);

#endif
