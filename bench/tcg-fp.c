/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A floating-point bare-metal AArch64 program for comparing translators:
 * a double-precision matrix multiply and a radix-2 complex FFT (forward and
 * inverse, repeatedly), each printing its checksum as the bit pattern of a
 * double so that both emulators must agree to the last bit. Built without
 * -mgeneral-regs-only (start.S enables FP/SIMD) and timed by
 * bench/tcg-bare.sh; -DKERNEL='"name"' runs one kernel alone. No libm:
 * the twiddle factors come from a Taylor series computed here.
 */
#include "runtime.h"

#ifndef KERNEL
#define KERNEL ""
#endif

#define MAT_N   96
#define FFT_LOG 12
#define FFT_N   (1u << FFT_LOG)

static double mat_a[MAT_N][MAT_N], mat_b[MAT_N][MAT_N], mat_c[MAT_N][MAT_N];
static double fft_re[FFT_N], fft_im[FFT_N];
static double tw_re[FFT_N / 2], tw_im[FFT_N / 2];

static uint64_t bits(double d)
{
    uint64_t u;

    memcpy(&u, &d, sizeof(u));
    return u;
}

/* A deterministic value in [-1, 1) from an integer. */
static double frand(uint32_t i)
{
    uint32_t x = i * 2654435761u;

    x ^= x >> 15;
    x *= 0x2c1b3c6du;
    x ^= x >> 12;
    return (double)(int32_t)x / 2147483648.0;
}

static uint64_t bench_matmul(void)
{
    double sum = 0;

    for (int i = 0; i < MAT_N; i++) {
        for (int j = 0; j < MAT_N; j++) {
            mat_a[i][j] = frand(i * MAT_N + j);
            mat_b[i][j] = frand(i * MAT_N + j + 100000);
        }
    }
    for (int round = 0; round < 64; round++) {
        for (int i = 0; i < MAT_N; i++) {
            for (int j = 0; j < MAT_N; j++) {
                double acc = 0;

                for (int k = 0; k < MAT_N; k++) {
                    acc += mat_a[i][k] * mat_b[k][j];
                }
                mat_c[i][j] = acc;
            }
        }
        /* Feed the result back, scaled to keep the values bounded. */
        for (int i = 0; i < MAT_N; i++) {
            for (int j = 0; j < MAT_N; j++) {
                mat_a[i][j] = mat_c[i][j] * 0.1 + mat_a[i][j] * 0.5;
            }
        }
    }
    for (int i = 0; i < MAT_N; i++) {
        for (int j = 0; j < MAT_N; j++) {
            sum += mat_c[i][j] * (1 + (i ^ j));
        }
    }
    return bits(sum);
}

/* sin and cos of x in [-pi, pi] by Taylor series, to double precision. */
static void sincos_taylor(double x, double *s, double *c)
{
    double term_s = x, term_c = 1, x2 = x * x;

    *s = 0;
    *c = 0;
    for (int k = 0; k < 24; k++) {
        *s += term_s;
        *c += term_c;
        term_s *= -x2 / ((2 * k + 2) * (2 * k + 3));
        term_c *= -x2 / ((2 * k + 1) * (2 * k + 2));
    }
}

static void fft(double *re, double *im, bool inverse)
{
    /* Bit-reversal permutation. */
    for (uint32_t i = 1, j = 0; i < FFT_N; i++) {
        uint32_t bit = FFT_N >> 1;

        for (; j & bit; bit >>= 1) {
            j ^= bit;
        }
        j |= bit;
        if (i < j) {
            double t = re[i];
            re[i] = re[j];
            re[j] = t;
            t = im[i];
            im[i] = im[j];
            im[j] = t;
        }
    }
    for (uint32_t len = 2; len <= FFT_N; len <<= 1) {
        uint32_t half = len / 2, step = FFT_N / len;

        for (uint32_t i = 0; i < FFT_N; i += len) {
            for (uint32_t k = 0; k < half; k++) {
                double wr = tw_re[k * step];
                double wi = inverse ? -tw_im[k * step] : tw_im[k * step];
                uint32_t p = i + k, q = p + half;
                double xr = re[q] * wr - im[q] * wi;
                double xi = re[q] * wi + im[q] * wr;

                re[q] = re[p] - xr;
                im[q] = im[p] - xi;
                re[p] += xr;
                im[p] += xi;
            }
        }
    }
    if (inverse) {
        for (uint32_t i = 0; i < FFT_N; i++) {
            re[i] *= 1.0 / FFT_N;
            im[i] *= 1.0 / FFT_N;
        }
    }
}

static uint64_t bench_fft(void)
{
    const double pi = 3.14159265358979323846;
    double sum = 0;

    for (uint32_t k = 0; k < FFT_N / 2; k++) {
        double s, c;

        sincos_taylor(-2 * pi * k / FFT_N, &s, &c);
        tw_re[k] = c;
        tw_im[k] = s;
    }
    for (uint32_t i = 0; i < FFT_N; i++) {
        fft_re[i] = frand(i);
        fft_im[i] = frand(i + FFT_N);
    }
    for (int round = 0; round < 96; round++) {
        fft(fft_re, fft_im, false);
        /* A spectral tweak between transforms, so no round is a no-op. */
        fft_re[round + 1] += 0.25;
        sum += fft_re[round] * fft_im[FFT_N - 1 - round];
        fft(fft_re, fft_im, true);
    }
    for (uint32_t i = 0; i < FFT_N; i++) {
        sum += fft_re[i] * (double)(i & 15) - fft_im[i];
    }
    return bits(sum);
}

static bool want(const char *name)
{
    return KERNEL[0] == 0 || strcmp(KERNEL, name) == 0;
}

int main(void)
{
    puts("# FP benchmark: 96x96 double matrix multiply, 4096-point complex FFT");
    if (want("matmul")) {
        tap_ok(1, "matmul 0x%016lx", bench_matmul());
    }
    if (want("fft")) {
        tap_ok(1, "fft 0x%016lx", bench_fft());
    }
    return tap_done();
}
