/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A tiny disk benchmark for the busybox guest of bench/arm-linux-io.sh
 * (busybox has no fio): sequential O_DIRECT writes and reads in 1 MiB
 * blocks, 4 KiB O_DIRECT random reads for a fixed time, and a monotonic
 * clock for timing shell commands. Built static with aarch64-linux-gnu-gcc.
 *
 *   iobench seqwrite DEV MIB      -> "seqwrite MB/s"   (ends with fsync)
 *   iobench seqread DEV MIB       -> "seqread MB/s"
 *   iobench randread DEV SECS MIB -> "randread IOPS"   (over the first MIB)
 *   iobench clock                 -> seconds, CLOCK_MONOTONIC
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BIG (1024 * 1024)
#define SMALL 4096

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int open_dev(const char *dev, int flags)
{
    int fd = open(dev, flags | O_DIRECT);

    if (fd < 0) {
        perror(dev);
        exit(1);
    }
    return fd;
}

static void *aligned_buf(size_t size)
{
    void *p;

    if (posix_memalign(&p, 4096, size)) {
        perror("posix_memalign");
        exit(1);
    }
    /* Not zeros: a host could shortcut all-zero writes. */
    memset(p, 0x5a, size);
    return p;
}

static int seq(const char *dev, long mib, int write_mode)
{
    int fd = open_dev(dev, write_mode ? O_WRONLY : O_RDONLY);
    char *buf = aligned_buf(BIG);
    double t0 = now();

    for (long i = 0; i < mib; i++) {
        ssize_t n = write_mode ? pwrite(fd, buf, BIG, (off_t)i * BIG)
                               : pread(fd, buf, BIG, (off_t)i * BIG);
        if (n != BIG) {
            perror(write_mode ? "pwrite" : "pread");
            return 1;
        }
    }
    if (write_mode && fsync(fd)) {
        perror("fsync");
        return 1;
    }
    double t = now() - t0;
    printf("%s %.1f\n", write_mode ? "seqwrite" : "seqread", mib / t * 1.048576);
    close(fd);
    return 0;
}

static int randread(const char *dev, double secs, long mib)
{
    int fd = open_dev(dev, O_RDONLY);
    char *buf = aligned_buf(SMALL);
    uint64_t blocks = (uint64_t)mib * BIG / SMALL;
    uint64_t x = 88172645463325252ull;
    long ops = 0;
    double t0 = now(), t = 0;

    while (t < secs) {
        /* xorshift64: a cheap, fixed sequence of offsets */
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        if (pread(fd, buf, SMALL, (off_t)(x % blocks) * SMALL) != SMALL) {
            perror("pread");
            return 1;
        }
        ops++;
        if ((ops & 15) == 0) {
            t = now() - t0;
        }
    }
    t = now() - t0;
    printf("randread %.0f\n", ops / t);
    close(fd);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "clock")) {
        printf("%.6f\n", now());
        return 0;
    }
    if (argc == 4 && !strcmp(argv[1], "seqwrite")) {
        return seq(argv[2], atol(argv[3]), 1);
    }
    if (argc == 4 && !strcmp(argv[1], "seqread")) {
        return seq(argv[2], atol(argv[3]), 0);
    }
    if (argc == 5 && !strcmp(argv[1], "randread")) {
        return randread(argv[2], atof(argv[3]), atol(argv[4]));
    }
    fprintf(stderr, "usage: iobench seqwrite|seqread DEV MIB | randread DEV SECS MIB | clock\n");
    return 2;
}
