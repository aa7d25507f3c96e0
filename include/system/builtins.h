/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one explicit list of what this binary contains: machines, devices,
 * accelerators, and the lookups that let device properties name chardevs,
 * drives and netdevs. No constructors, no link-order magic.
 */
#ifndef SYSTEM_BUILTINS_H
#define SYSTEM_BUILTINS_H

void builtins_register_all(void);

#endif
