/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small AML (ACPI Machine Language) builder for the DSDT: enough of the
 * grammar (ACPI 6.x chapter 20) for named objects, scopes, devices,
 * methods returning constants, packages and resource templates.
 *
 * A node is either finished bytes (integers, strings, name declarations)
 * or an open block (scope, device, method, package, buffer) that collects
 * children with aml_append() and gets its opcode and PkgLength when it is
 * appended to its parent or serialized. aml_append() takes ownership of
 * the child.
 */
#ifndef HW_ACPI_AML_H
#define HW_ACPI_AML_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct Aml Aml;

void aml_append(Aml *parent, Aml *child);
/* Serialize a node (closing it if it is a block) and free it. */
GByteArray *aml_finish(Aml *node);
void aml_free(Aml *node);

/* A list of terms with no opcode of its own (a table body). */
Aml *aml_term_list(void);

/* Data objects. */
Aml *aml_int(uint64_t v);           /* Zero/One/Ones or the smallest prefix */
Aml *aml_string(const char *s);
Aml *aml_eisaid(const char *id);    /* "PNP0A03" compressed into a DWord */

/* Name(NAME, value). NAME: "_HID", "\\_S5", "\\_SB.PCI0"... */
Aml *aml_name_decl(const char *name, Aml *value);
/* Blocks. */
Aml *aml_scope(const char *name);
Aml *aml_device(const char *name);
Aml *aml_method(const char *name, unsigned nargs, bool serialized);
Aml *aml_package(void);             /* Package() { appended elements } */
Aml *aml_return(Aml *value);

/* ResourceTemplate() { ... } with the end tag added when closed. */
Aml *aml_resource_template(void);
/* IO(Decode16, min, max, align, len) */
Aml *aml_io(uint16_t min, uint16_t max, uint8_t align, uint8_t len);
/* IRQNoFlags() { irq }: edge, active high, exclusive */
Aml *aml_irq_no_flags(uint8_t irq);
/* WordBusNumber(ResourceProducer, ...) for a host bridge: buses min..max. */
Aml *aml_word_bus_number(uint16_t min, uint16_t max);
/* WordIO(ResourceProducer, ...) and DWordMemory(ResourceProducer, ...). */
Aml *aml_word_io(uint16_t min, uint16_t max);
Aml *aml_dword_memory(uint32_t min, uint32_t max);

/* NameString encoding (exposed for tests): root/parent prefixes, segments padded with '_'. */
void aml_encode_name(GByteArray *out, const char *name);
/* PkgLength for a payload of len bytes (exposed for tests). */
void aml_encode_pkglength(GByteArray *out, size_t len);

#endif
