/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The IR helpers of the A64 scalar floating-point instructions: thin
 * wrappers that take FPCR from env, run the arm_fp_* library and OR the
 * exception flags into FPSR. The library itself (target/arm/fpu) is
 * compiled into this translation unit so that the build lists one file.
 */
#include "target/arm/helper-fp.h"
#include "target/arm/cpu.h"

#include "fpu/fp-core.c"
#include "fpu/fp-convert.c"
#include "fpu/fp-host.h"

/*
 * The guest's IXC goes in with the FPCR: once it is set, the library may
 * compute on the host FPU without knowing whether a result was exact.
 */
static inline ARMFPStatus fp_begin(CPUARMState *env)
{
    return (ARMFPStatus){ .fpcr = env->fpcr, .flags = env->fpsr & ARMFP_FPSR_IXC };
}

static inline uint64_t fp_end(CPUARMState *env, const ARMFPStatus *st, uint64_t r)
{
    env->fpsr |= st->flags;
    return r;
}

static ARMFPRounding fp_desc_rmode(const ARMFPStatus *st, int m)
{
    return m == ARMFP_RMODE_FPCR ? arm_fp_rmode(st) : (ARMFPRounding)m;
}

uint64_t helper_fp_2op(void *envp, uint64_t a, uint64_t b, uint32_t desc)
{
    CPUARMState *env = envp;
    ARMFPStatus st = fp_begin(env);
    int esz = desc & 3;
    uint64_t r;

    switch (desc >> 2) {
    case ARMFP_OP_ADD:
        r = arm_fp_add(&st, esz, a, b);
        break;
    case ARMFP_OP_SUB:
        r = arm_fp_sub(&st, esz, a, b);
        break;
    case ARMFP_OP_MUL:
        r = arm_fp_mul(&st, esz, a, b);
        break;
    case ARMFP_OP_DIV:
        r = arm_fp_div(&st, esz, a, b);
        break;
    case ARMFP_OP_MAX:
        r = arm_fp_max(&st, esz, a, b);
        break;
    case ARMFP_OP_MIN:
        r = arm_fp_min(&st, esz, a, b);
        break;
    case ARMFP_OP_MAXNM:
        r = arm_fp_maxnum(&st, esz, a, b);
        break;
    case ARMFP_OP_MINNM:
        r = arm_fp_minnum(&st, esz, a, b);
        break;
    case ARMFP_OP_NMUL:
        /* FNMUL negates after rounding, NaNs included */
        r = arm_fp_mul(&st, esz, a, b) ^ fp_sign_bit(esz);
        break;
    default:
        g_assert_not_reached();
    }
    return fp_end(env, &st, r);
}

uint64_t helper_fp_muladd(void *envp, uint64_t c, uint64_t a, uint64_t b, uint32_t esz)
{
    CPUARMState *env = envp;
    ARMFPStatus st = fp_begin(env);

    return fp_end(env, &st, arm_fp_muladd(&st, (int)esz, c, a, b));
}

uint64_t helper_fp_1op(void *envp, uint64_t a, uint32_t desc)
{
    CPUARMState *env = envp;
    ARMFPStatus st = fp_begin(env);
    int esz = desc & 3;
    ARMFPRounding rm = fp_desc_rmode(&st, (desc >> 8) & 7);
    uint64_t r;

    switch ((desc >> 2) & 0x3f) {
    case ARMFP_OP_SQRT:
        r = arm_fp_sqrt(&st, esz, a);
        break;
    case ARMFP_OP_RINT:
        r = arm_fp_round_int(&st, esz, a, rm, (desc >> 11) & 1);
        break;
    case ARMFP_OP_RINT32:
        r = arm_fp_round_int_n(&st, esz, a, rm, 32);
        break;
    case ARMFP_OP_RINT64:
        r = arm_fp_round_int_n(&st, esz, a, rm, 64);
        break;
    default:
        g_assert_not_reached();
    }
    return fp_end(env, &st, r);
}

uint64_t helper_fp_cmp(void *envp, uint64_t a, uint64_t b, uint32_t desc)
{
    CPUARMState *env = envp;
    ARMFPStatus st;
    uint32_t nzcv;

    if (fp_host_compare(desc & 3, a, b, &nzcv)) {
        return nzcv;
    }
    st = fp_begin(env);

    return fp_end(env, &st, arm_fp_compare(&st, desc & 3, a, b, (desc >> 2) & 1));
}

uint64_t helper_fp_cvt(void *envp, uint64_t a, uint32_t desc)
{
    CPUARMState *env = envp;
    ARMFPStatus st = fp_begin(env);
    int from = desc & 3, to = (desc >> 2) & 3;
    uint64_t r;

    if (to == 0) {
        r = arm_fp_to_bf16(&st, (uint32_t)a);
    } else {
        r = arm_fp_convert(&st, to, from, a);
    }
    return fp_end(env, &st, r);
}

uint64_t helper_fp_to_fixed(void *envp, uint64_t a, uint32_t desc)
{
    CPUARMState *env = envp;
    ARMFPStatus st = fp_begin(env);
    ARMFPRounding rm = fp_desc_rmode(&st, (desc >> 4) & 7);
    int intbits = desc & 8 ? 64 : 32;

    return fp_end(env, &st, arm_fp_to_fixed(&st, desc & 3, a, (desc >> 8) & 0x7f,
                                            desc & 4, intbits, rm));
}

uint64_t helper_fp_from_fixed(void *envp, uint64_t a, uint32_t desc)
{
    CPUARMState *env = envp;
    ARMFPStatus st = fp_begin(env);
    ARMFPRounding rm = fp_desc_rmode(&st, (desc >> 4) & 7);
    int intbits = desc & 8 ? 64 : 32;

    return fp_end(env, &st, arm_fp_from_fixed(&st, desc & 3, a, (desc >> 8) & 0x7f,
                                              desc & 4, intbits, rm));
}

uint64_t helper_fp_jcvt(void *envp, uint64_t a)
{
    CPUARMState *env = envp;
    ARMFPStatus st = fp_begin(env);
    bool z;
    uint32_t r = arm_fp_jcvt(&st, a, &z);

    return fp_end(env, &st, (uint64_t)r | ((uint64_t)z << 32));
}

/* FPCR and the guest's IXC allow the host FPU (fpu/fp-host.h) */
static inline bool fp_host_env(CPUARMState *env)
{
    ARMFPStatus st = fp_begin(env);

    return fp_host_allowed(&st);
}

#define FP_HOST_HELPER(name, esz, hop, aop)                                 \
    uint64_t helper_fp_##name(void *envp, uint64_t a, uint64_t b)           \
    {                                                                       \
        uint64_t r;                                                         \
                                                                            \
        if (fp_host_env(envp) && fp_host_2op(esz, hop, a, b, &r)) {         \
            return r;                                                       \
        }                                                                   \
        return helper_fp_2op(envp, a, b, (uint32_t)(aop) << 2 | (esz));     \
    }

FP_HOST_HELPER(add_s, ARMFP_S, FP_HOST_ADD, ARMFP_OP_ADD)
FP_HOST_HELPER(sub_s, ARMFP_S, FP_HOST_SUB, ARMFP_OP_SUB)
FP_HOST_HELPER(mul_s, ARMFP_S, FP_HOST_MUL, ARMFP_OP_MUL)
FP_HOST_HELPER(div_s, ARMFP_S, FP_HOST_DIV, ARMFP_OP_DIV)
FP_HOST_HELPER(add_d, ARMFP_D, FP_HOST_ADD, ARMFP_OP_ADD)
FP_HOST_HELPER(sub_d, ARMFP_D, FP_HOST_SUB, ARMFP_OP_SUB)
FP_HOST_HELPER(mul_d, ARMFP_D, FP_HOST_MUL, ARMFP_OP_MUL)
FP_HOST_HELPER(div_d, ARMFP_D, FP_HOST_DIV, ARMFP_OP_DIV)

/*
 * Compiled for FMA so that the fused multiply-add is one inline
 * instruction; nothing else here is floating point, so there is nothing
 * the compiler could contract.
 */
#define FP_HOST_MULADD_HELPER(name, esz)                                    \
    FP_HOST_FMA_ATTR uint64_t helper_fp_##name(void *envp, uint64_t c,      \
                                               uint64_t a, uint64_t b)      \
    {                                                                       \
        uint64_t r;                                                         \
                                                                            \
        if (fp_host_env(envp) && fp_host_muladd_core(esz, c, a, b, &r)) {   \
            return r;                                                       \
        }                                                                   \
        return helper_fp_muladd(envp, c, a, b, esz);                        \
    }

FP_HOST_MULADD_HELPER(muladd_s_fma, ARMFP_S)
FP_HOST_MULADD_HELPER(muladd_d_fma, ARMFP_D)
