/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helper declarations: one line per helper gives its C prototype, the
 * IRHelperInfo the call op carries (flags, argument and return kinds) and a
 * typed gen_helper_NAME() emitter, so the three can never disagree:
 *
 *   IR_DEF_HELPER_3(udiv64, IR_CALL_NO_RWG_SE, i64, i64, i64, env)
 *
 * declares  uint64_t helper_udiv64(uint64_t, uint64_t, void *);
 * and       gen_helper_udiv64(IRContext *, IRv64 ret, IRv64, IRv64, IRv64);
 * Kinds: void (return only), i32, s32, i64, s64, ptr, env. A void helper's
 * emitter has no ret parameter.
 */
#ifndef ACCEL_TCG_HELPERS_H
#define ACCEL_TCG_HELPERS_H

#include "accel/tcg/ir.h"

#define IR_HTYPE_C_void void
#define IR_HTYPE_C_i32 uint32_t
#define IR_HTYPE_C_s32 int32_t
#define IR_HTYPE_C_i64 uint64_t
#define IR_HTYPE_C_s64 int64_t
#define IR_HTYPE_C_ptr void *
#define IR_HTYPE_C_env void *

#define IR_HTYPE_K_void IR_HTYPE_VOID
#define IR_HTYPE_K_i32 IR_HTYPE_I32
#define IR_HTYPE_K_s32 IR_HTYPE_I32
#define IR_HTYPE_K_i64 IR_HTYPE_I64
#define IR_HTYPE_K_s64 IR_HTYPE_I64
#define IR_HTYPE_K_ptr IR_HTYPE_I64
#define IR_HTYPE_K_env IR_HTYPE_I64

#define IR_HTYPE_V_i32 IRv32
#define IR_HTYPE_V_s32 IRv32
#define IR_HTYPE_V_i64 IRv64
#define IR_HTYPE_V_s64 IRv64
#define IR_HTYPE_V_ptr IRv64
#define IR_HTYPE_V_env IRv64

#define IR_HRET_PARAM_void
#define IR_HRET_PARAM_i32 , IRv32 ret
#define IR_HRET_PARAM_s32 , IRv32 ret
#define IR_HRET_PARAM_i64 , IRv64 ret
#define IR_HRET_PARAM_s64 , IRv64 ret
#define IR_HRET_PARAM_ptr , IRv64 ret

#define IR_HRET_IDX_void IR_TEMP_NONE
#define IR_HRET_IDX_i32 ret.idx
#define IR_HRET_IDX_s32 ret.idx
#define IR_HRET_IDX_i64 ret.idx
#define IR_HRET_IDX_s64 ret.idx
#define IR_HRET_IDX_ptr ret.idx

#define IR_HELPER_INFO(name, flags, ret, n, ...)                              \
    static const IRHelperInfo ir_helper_info_##name G_GNUC_UNUSED = {         \
        (void *)helper_##name, #name, (flags), (n), IR_HTYPE_K_##ret,         \
        { __VA_ARGS__ } };

#define IR_DEF_HELPER_0(name, flags, ret)                                     \
    IR_HTYPE_C_##ret helper_##name(void);                                     \
    IR_HELPER_INFO(name, flags, ret, 0, 0)                                    \
    static inline void gen_helper_##name(IRContext *ctx IR_HRET_PARAM_##ret)  \
    {                                                                         \
        ir_emit_call(ctx, &ir_helper_info_##name, IR_HRET_IDX_##ret, NULL);   \
    }

#define IR_DEF_HELPER_1(name, flags, ret, t1)                                 \
    IR_HTYPE_C_##ret helper_##name(IR_HTYPE_C_##t1);                          \
    IR_HELPER_INFO(name, flags, ret, 1, IR_HTYPE_K_##t1)                      \
    static inline void gen_helper_##name(IRContext *ctx IR_HRET_PARAM_##ret,  \
                                         IR_HTYPE_V_##t1 a1)                  \
    {                                                                         \
        uint32_t a[1] = { a1.idx };                                           \
        ir_emit_call(ctx, &ir_helper_info_##name, IR_HRET_IDX_##ret, a);      \
    }

#define IR_DEF_HELPER_2(name, flags, ret, t1, t2)                             \
    IR_HTYPE_C_##ret helper_##name(IR_HTYPE_C_##t1, IR_HTYPE_C_##t2);         \
    IR_HELPER_INFO(name, flags, ret, 2, IR_HTYPE_K_##t1, IR_HTYPE_K_##t2)     \
    static inline void gen_helper_##name(IRContext *ctx IR_HRET_PARAM_##ret,  \
                                         IR_HTYPE_V_##t1 a1,                  \
                                         IR_HTYPE_V_##t2 a2)                  \
    {                                                                         \
        uint32_t a[2] = { a1.idx, a2.idx };                                   \
        ir_emit_call(ctx, &ir_helper_info_##name, IR_HRET_IDX_##ret, a);      \
    }

#define IR_DEF_HELPER_3(name, flags, ret, t1, t2, t3)                         \
    IR_HTYPE_C_##ret helper_##name(IR_HTYPE_C_##t1, IR_HTYPE_C_##t2,          \
                                   IR_HTYPE_C_##t3);                          \
    IR_HELPER_INFO(name, flags, ret, 3, IR_HTYPE_K_##t1, IR_HTYPE_K_##t2,     \
                   IR_HTYPE_K_##t3)                                           \
    static inline void gen_helper_##name(IRContext *ctx IR_HRET_PARAM_##ret,  \
                                         IR_HTYPE_V_##t1 a1,                  \
                                         IR_HTYPE_V_##t2 a2,                  \
                                         IR_HTYPE_V_##t3 a3)                  \
    {                                                                         \
        uint32_t a[3] = { a1.idx, a2.idx, a3.idx };                           \
        ir_emit_call(ctx, &ir_helper_info_##name, IR_HRET_IDX_##ret, a);      \
    }

#define IR_DEF_HELPER_4(name, flags, ret, t1, t2, t3, t4)                     \
    IR_HTYPE_C_##ret helper_##name(IR_HTYPE_C_##t1, IR_HTYPE_C_##t2,          \
                                   IR_HTYPE_C_##t3, IR_HTYPE_C_##t4);         \
    IR_HELPER_INFO(name, flags, ret, 4, IR_HTYPE_K_##t1, IR_HTYPE_K_##t2,     \
                   IR_HTYPE_K_##t3, IR_HTYPE_K_##t4)                          \
    static inline void gen_helper_##name(IRContext *ctx IR_HRET_PARAM_##ret,  \
                                         IR_HTYPE_V_##t1 a1,                  \
                                         IR_HTYPE_V_##t2 a2,                  \
                                         IR_HTYPE_V_##t3 a3,                  \
                                         IR_HTYPE_V_##t4 a4)                  \
    {                                                                         \
        uint32_t a[4] = { a1.idx, a2.idx, a3.idx, a4.idx };                   \
        ir_emit_call(ctx, &ir_helper_info_##name, IR_HRET_IDX_##ret, a);      \
    }

#define IR_DEF_HELPER_5(name, flags, ret, t1, t2, t3, t4, t5)                 \
    IR_HTYPE_C_##ret helper_##name(IR_HTYPE_C_##t1, IR_HTYPE_C_##t2,          \
                                   IR_HTYPE_C_##t3, IR_HTYPE_C_##t4,          \
                                   IR_HTYPE_C_##t5);                          \
    IR_HELPER_INFO(name, flags, ret, 5, IR_HTYPE_K_##t1, IR_HTYPE_K_##t2,     \
                   IR_HTYPE_K_##t3, IR_HTYPE_K_##t4, IR_HTYPE_K_##t5)         \
    static inline void gen_helper_##name(IRContext *ctx IR_HRET_PARAM_##ret,  \
                                         IR_HTYPE_V_##t1 a1,                  \
                                         IR_HTYPE_V_##t2 a2,                  \
                                         IR_HTYPE_V_##t3 a3,                  \
                                         IR_HTYPE_V_##t4 a4,                  \
                                         IR_HTYPE_V_##t5 a5)                  \
    {                                                                         \
        uint32_t a[5] = { a1.idx, a2.idx, a3.idx, a4.idx, a5.idx };           \
        ir_emit_call(ctx, &ir_helper_info_##name, IR_HRET_IDX_##ret, a);      \
    }

#define IR_DEF_HELPER_6(name, flags, ret, t1, t2, t3, t4, t5, t6)             \
    IR_HTYPE_C_##ret helper_##name(IR_HTYPE_C_##t1, IR_HTYPE_C_##t2,          \
                                   IR_HTYPE_C_##t3, IR_HTYPE_C_##t4,          \
                                   IR_HTYPE_C_##t5, IR_HTYPE_C_##t6);         \
    IR_HELPER_INFO(name, flags, ret, 6, IR_HTYPE_K_##t1, IR_HTYPE_K_##t2,     \
                   IR_HTYPE_K_##t3, IR_HTYPE_K_##t4, IR_HTYPE_K_##t5,         \
                   IR_HTYPE_K_##t6)                                           \
    static inline void gen_helper_##name(IRContext *ctx IR_HRET_PARAM_##ret,  \
                                         IR_HTYPE_V_##t1 a1,                  \
                                         IR_HTYPE_V_##t2 a2,                  \
                                         IR_HTYPE_V_##t3 a3,                  \
                                         IR_HTYPE_V_##t4 a4,                  \
                                         IR_HTYPE_V_##t5 a5,                  \
                                         IR_HTYPE_V_##t6 a6)                  \
    {                                                                         \
        uint32_t a[6] = { a1.idx, a2.idx, a3.idx, a4.idx, a5.idx, a6.idx };   \
        ir_emit_call(ctx, &ir_helper_info_##name, IR_HRET_IDX_##ret, a);      \
    }

#endif
