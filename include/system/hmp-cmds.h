/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Monitor commands for layers that sit below the monitor and cannot know
 * it (block, net): registered once from the builtins list.
 */
#ifndef SYSTEM_HMP_CMDS_H
#define SYSTEM_HMP_CMDS_H

void hmp_cmds_register(void);

#endif
