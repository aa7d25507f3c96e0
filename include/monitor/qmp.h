/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QMP, the JSON monitor protocol for programs (libvirt, scripts). The wire
 * format follows QEMU's: a greeting on connect, capabilities negotiation,
 * {"execute": ..., "arguments": ..., "id": ...} requests answered by
 * {"return": ...} or {"error": {"class", "desc"}}, and asynchronous
 * {"event", "data", "timestamp"} messages. Each session is a frontend on a
 * chardev; commands run in the main thread with the BQL held, like every
 * chardev callback. Subsystems add or replace commands through
 * qmp_register_command() and send their own events with qmp_event_emit().
 */
#ifndef MONITOR_QMP_H
#define MONITOR_QMP_H

#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdbool.h>
#include <stddef.h>

#include "chardev/char.h"
#include "hw/core/machine.h"

typedef struct QmpSession QmpSession;

/*
 * A QMP session on chr (any chardev type). The greeting goes out whenever
 * the backend reports a client (CHR_EVENT_OPENED): a socket server serves
 * one client at a time and each new client starts a fresh session. pretty
 * selects QEMU's indented output (-mon ...,pretty=on).
 */
QmpSession *qmp_new(Chardev *chr, bool pretty, GError **errp);
/*
 * -qmp SPEC / -qmp-pretty SPEC: creates the chardev with
 * chardev_new_legacy(spec, id) and attaches a session. id may be NULL
 * (then QEMU's "compat_monitor0", "compat_monitor1", ... are used).
 * "none" returns NULL without an error: no monitor.
 */
QmpSession *qmp_new_legacy(const char *spec, const char *id, bool pretty,
                           GError **errp);
/* Detaches from the chardev (which stays) and frees the session. */
void qmp_destroy(QmpSession *s);
void qmp_destroy_all(void);

/* ---- commands ---- */

typedef enum {
    QMP_ARG_STR,        /* JSON string */
    QMP_ARG_INT,        /* JSON integer */
    QMP_ARG_NUMBER,     /* integer or floating point */
    QMP_ARG_BOOL,
    QMP_ARG_OBJECT,
    QMP_ARG_ARRAY,
    QMP_ARG_ANY,        /* any value, null included */
} QmpArgType;

/* One argument of a command; arrays end with a NULL name. */
typedef struct QmpArgSpec {
    const char *name;
    QmpArgType type;
    bool optional;
} QmpArgSpec;

/*
 * A command handler. args holds only declared arguments of the declared
 * types (the dispatcher checked them; optional ones may be absent). On
 * success set *ret to the return value (left NULL it becomes {}) and return
 * true; on failure set errp and return false. Errors in the QMP_ERROR
 * domain choose the error class; any other domain is "GenericError".
 */
typedef bool (*QmpCommandFunc)(JsonObject *args, JsonNode **ret,
                               GError **errp);

/*
 * Adds a command, or replaces the one of that name (later subsystems
 * provide query-block, query-pci, ...). args may be NULL (no arguments)
 * and must outlive the registration (static tables). BQL held.
 */
void qmp_register_command(const char *name, QmpCommandFunc fn,
                          const QmpArgSpec *args);
void qmp_unregister_command(const char *name);
bool qmp_has_command(const char *name);

/* Error classes, as g_set_error(errp, QMP_ERROR, QMP_ERROR_..., ...). */
#define QMP_ERROR (qmp_error_quark())
GQuark qmp_error_quark(void);
typedef enum {
    QMP_ERROR_GENERIC,            /* "GenericError" */
    QMP_ERROR_COMMAND_NOT_FOUND,  /* "CommandNotFound" */
    QMP_ERROR_DEVICE_NOT_ACTIVE,  /* "DeviceNotActive" */
    QMP_ERROR_DEVICE_NOT_FOUND,   /* "DeviceNotFound" */
    QMP_ERROR_KVM_MISSING_CAP,    /* "KVMMissingCap" */
} QmpErrorClass;

/*
 * Runs one request object in a fresh negotiated context and returns the
 * reply object ({"return": ...} or {"error": ...}); for scripted use and
 * tests. Caller frees with json_node_unref.
 */
JsonNode *qmp_dispatch(JsonNode *request);

/* ---- events ---- */

/*
 * Sends {"timestamp": ..., "event": name[, "data": data]} to every session
 * that finished capabilities negotiation. data is an object node or NULL
 * and is consumed. Any thread.
 */
void qmp_event_emit(const char *name, JsonNode *data);

/* ---- hooks supplied by main, the machine and accelerators ---- */

/* -name NAME for query-name (shared with HMP's `info name`). */
void qmp_set_vm_name(const char *name);
/*
 * The machine that was built: target for query-cpus-fast, query-target
 * and the query-machines filter; the SMP topology for CPU "props". ms may
 * be NULL (only the target is recorded); nothing of ms is kept.
 */
void qmp_set_machine(const MachineState *ms, TernTarget target);
/* query-kvm; the KVM code calls this once it knows (default: both false). */
void qmp_set_kvm_info(bool enabled, bool present);

/* ---- JSON text helpers (exposed for tests) ---- */

/*
 * Streaming splitter: cuts a byte stream into top-level JSON values by
 * tracking nesting, strings and escapes, so a value may arrive across any
 * number of reads. emit gets each complete value's text (without the
 * surrounding whitespace) and error NULL, or text NULL and an error
 * ("JSON parse error, ...") for input it had to discard. A 0xFF byte
 * discards any partial value (clients use it to resynchronise).
 */
typedef void (*QmpSplitterFunc)(void *opaque, const char *text, size_t len,
                                 const char *error);
typedef struct QmpSplitter QmpSplitter;
QmpSplitter *qmp_splitter_new(QmpSplitterFunc emit, void *opaque);
void qmp_splitter_feed(QmpSplitter *sp, const char *buf, size_t len);
/* Drops any partial value. */
void qmp_splitter_reset(QmpSplitter *sp);
void qmp_splitter_free(QmpSplitter *sp);

/*
 * Serialises like QEMU: compact is {"a": 1, "b": [1, 2]}; pretty indents
 * by 4 with one member per line. Non-ASCII is written as \uXXXX escapes.
 */
char *qmp_json_to_string(JsonNode *node, bool pretty);

/*
 * Providers that live with their layers and are linked into the binary
 * only (block/block-qmp.c, hw/pci/pci-qmp.c): they replace the built-in
 * empty query-block and query-pci. Called from the builtins list.
 */
void block_qmp_register(void);
void pci_qmp_register(void);

/* Internal to monitor/: qmp-commands.c's built-in commands ... */
void qmp_register_builtin_commands(void);
/* ... the {"qemu": {...}, "package": ...} object of the greeting ... */
JsonNode *qmp_version_info(void);
/* ... and qmp.c's table as query-commands returns it. */
JsonNode *qmp_command_list(void);

#endif
