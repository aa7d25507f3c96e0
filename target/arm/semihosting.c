/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Arm semihosting (-semihosting): HLT #0xF000 with the operation in W0 and
 * a parameter (usually a pointer to a block of 64-bit words) in X1; the
 * result goes to X0. Implemented: SYS_WRITEC, SYS_WRITE0 and SYS_WRITE to
 * the host's stdout/stderr, SYS_CLOCK, SYS_TIME, SYS_ERRNO, SYS_HEAPINFO,
 * and SYS_EXIT / SYS_EXIT_EXTENDED, which power the machine off with the
 * guest's exit status as Tern's. Other calls return -1.
 */
#include <inttypes.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "system/cpus.h"
#include "system/main-loop.h"
#include "system/runstate.h"
#include "target/arm/helper.h"
#include "target/arm/internals.h"
#include "util/log.h"

enum {
    SYS_WRITEC = 0x03,
    SYS_WRITE0 = 0x04,
    SYS_WRITE = 0x05,
    SYS_CLOCK = 0x10,
    SYS_TIME = 0x11,
    SYS_ERRNO = 0x13,
    SYS_HEAPINFO = 0x16,
    SYS_EXIT = 0x18,
    SYS_EXIT_EXTENDED = 0x20,
};

#define ADP_STOPPED_APPLICATION_EXIT 0x20026

static bool semihosting_on;

void arm_semihosting_enable(bool on)
{
    semihosting_on = on;
}

bool arm_semihosting_enabled(void)
{
    return semihosting_on;
}

static bool read_guest(CPUARMState *env, uint64_t addr, void *buf, size_t len)
{
    return tcg_cpu_rw_virt(&env->tcg, addr, buf, len, false, arm_current_el(env));
}

static bool read_args(CPUARMState *env, uint64_t addr, uint64_t *args, unsigned n)
{
    return read_guest(env, addr, args, n * sizeof(uint64_t));
}

static void host_write(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len) {
        ssize_t r = write(fd, p, len);
        if (r <= 0) {
            return;
        }
        p += r;
        len -= (size_t)r;
    }
}

static void semihost_exit(CPUARMState *env, int status)
{
    bool had_bql = bql_locked();

    if (!had_bql) {
        bql_lock();
    }
    set_exit_status(status);
    if (!had_bql) {
        bql_unlock();
    }
    request_shutdown(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
    env->powered_off = true;
    tcg_cpu_request_exit(&env->tcg, CPU_EXIT_HALTED);
}

void arm_semihosting_call(CPUARMState *env)
{
    uint32_t op = (uint32_t)env->xregs[0];
    uint64_t param = env->xregs[1];
    uint64_t args[4];
    int64_t ret = -1;

    switch (op) {
    case SYS_WRITEC: {
        char c;
        if (read_guest(env, param, &c, 1)) {
            host_write(STDOUT_FILENO, &c, 1);
            ret = 0;
        }
        break;
    }
    case SYS_WRITE0: {
        char buf[256];
        size_t n = 0;
        for (;;) {
            if (!read_guest(env, param++, &buf[n], 1) || !buf[n]) {
                break;
            }
            if (++n == sizeof(buf)) {
                host_write(STDOUT_FILENO, buf, n);
                n = 0;
            }
        }
        host_write(STDOUT_FILENO, buf, n);
        ret = 0;
        break;
    }
    case SYS_WRITE: {
        /* {fd, buffer, length}: returns the number of bytes NOT written. */
        if (!read_args(env, param, args, 3)) {
            break;
        }
        int fd = args[0] == 2 ? STDERR_FILENO : args[0] == 1 ? STDOUT_FILENO : -1;
        uint64_t len = args[2];
        if (fd < 0) {
            ret = (int64_t)len;
            break;
        }
        uint8_t buf[4096];
        uint64_t done = 0;
        while (done < len) {
            size_t chunk = (size_t)MIN(len - done, sizeof(buf));
            if (!read_guest(env, args[1] + done, buf, chunk)) {
                break;
            }
            host_write(fd, buf, chunk);
            done += chunk;
        }
        ret = (int64_t)(len - done);
        break;
    }
    case SYS_CLOCK: {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        ret = (int64_t)ts.tv_sec * 100 + ts.tv_nsec / 10000000;
        break;
    }
    case SYS_TIME:
        ret = (int64_t)time(NULL);
        break;
    case SYS_ERRNO:
        ret = 0;
        break;
    case SYS_HEAPINFO: {
        /* {heap base, heap limit, stack base, stack limit}: unknown. */
        uint64_t zero[4] = { 0 };
        tcg_cpu_rw_virt(&env->tcg, param, zero, sizeof(zero), true, arm_current_el(env));
        ret = 0;
        break;
    }
    case SYS_EXIT:
    case SYS_EXIT_EXTENDED:
        /* AArch64: X1 points to {reason, subcode}. */
        if (!read_args(env, param, args, 2)) {
            semihost_exit(env, 1);
        } else {
            semihost_exit(env, args[0] == ADP_STOPPED_APPLICATION_EXIT ? (int)args[1] : 1);
        }
        return;
    default:
        log_mask(LOG_UNIMP, "arm: semihosting call 0x%x not implemented\n", op);
        break;
    }
    env->xregs[0] = (uint64_t)ret;
}

void helper_semihosting(void *opaque)
{
    arm_semihosting_call(opaque);
}
