/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Decompression without zlib: raw deflate streams (RFC 1951) for qcow2
 * compressed clusters, and gzip files (RFC 1952) for compressed kernels
 * (Debian's arm64 vmlinuz is a gzip'd Image). One decoder serves both.
 */
#ifndef UTIL_INFLATE_H
#define UTIL_INFLATE_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Decode the raw deflate stream in into exactly out_len bytes. Decoding
 * stops as soon as out is full (data after that point is not looked at, as
 * qcow2 clusters carry padding); a stream that ends early or is corrupt
 * gives false. Never reads or writes outside the buffers.
 */
bool inflate_raw(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_len);

/* in starts with the gzip magic bytes 1f 8b. */
bool gzip_has_magic(const uint8_t *in, size_t in_len);

/*
 * Decompress the first gzip member of in (header, deflate data, CRC-32 and
 * length checked; anything after the member is ignored). The output may not
 * exceed max_out bytes. Errors are one line starting with "gzip: ".
 */
GBytes *gzip_decompress(const uint8_t *in, size_t in_len, size_t max_out, GError **errp);

/* CRC-32 as gzip and zlib compute it; start with crc = 0. */
uint32_t crc32_update(uint32_t crc, const uint8_t *buf, size_t len);

#endif
