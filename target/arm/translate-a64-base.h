/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * For the files that implement the base table (a64.decode): its argument
 * structs (cut out of the generated decoder into a64-args.h by the build),
 * a prototype for every a64_trans_NAME, and TRANS(NAME) to define one.
 * translate-a64.c holds the decoder itself and calls these.
 */
#ifndef TARGET_ARM_TRANSLATE_A64_BASE_H
#define TARGET_ARM_TRANSLATE_A64_BASE_H

#include "target/arm/helper.h"
#include "target/arm/translate.h"
#include "target/arm/a64-args.h"

#define A64_TRANS_PROTO(NAME) bool a64_trans_##NAME(DisasContext *s, arg_##NAME *a);
DECODE_A64_TRANS_LIST(A64_TRANS_PROTO)
#undef A64_TRANS_PROTO

#define TRANS(NAME) bool a64_trans_##NAME(DisasContext *s, arg_##NAME *a)

#endif
