/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internet checksums (RFC 1071) for NICs that emulate checksum offload:
 * completing a partial checksum the guest left for the device, or
 * recomputing IPv4/TCP/UDP checksums of a whole Ethernet frame. Sums are
 * kept unfolded in 32 bits so pieces can be added in any order; buffers
 * hold network byte order and results are host-order 16-bit values to be
 * stored big-endian.
 */
#ifndef NET_CHECKSUM_H
#define NET_CHECKSUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ETH_HLEN         14
#define ETH_P_IP         0x0800
#define ETH_P_ARP        0x0806
#define ETH_P_VLAN       0x8100
#define ETH_P_IPV6       0x86dd
#define IP_PROTO_ICMP    1
#define IP_PROTO_TCP     6
#define IP_PROTO_UDP     17

/*
 * Add len bytes; offset is the byte position of buf[0] within the summed
 * stream (only its parity matters), so a sum can continue across pieces.
 */
uint32_t net_checksum_add_cont(const void *buf, size_t len, size_t offset);
static inline uint32_t net_checksum_add(const void *buf, size_t len)
{
    return net_checksum_add_cont(buf, len, 0);
}
/* Fold and complement. */
uint16_t net_checksum_finish(uint32_t sum);
/* Same, but 0 becomes 0xffff (UDP, where 0 means "no checksum"). */
uint16_t net_checksum_finish_nozero(uint32_t sum);

/* Header checksum of an IPv4 header of hlen bytes (its checksum field is skipped). */
uint16_t net_checksum_ipv4_header(const uint8_t *hdr, size_t hlen);
/*
 * TCP/UDP checksum over seg (len bytes, checksum field zeroed by the
 * caller) with the IPv4 pseudo header made of addrs (source then
 * destination, 8 bytes) and proto.
 */
uint16_t net_checksum_tcpudp(const uint8_t *addrs, uint8_t proto, const uint8_t *seg,
                             size_t len);

/*
 * Complete a checksum the sender started (virtio NEEDS_CSUM): sum from
 * csum_start to the end of buf and store it at csum_start + csum_offset.
 * False if the offsets do not fit in len.
 */
bool net_checksum_complete_partial(uint8_t *buf, size_t len, size_t csum_start,
                                   size_t csum_offset);

enum {
    NET_CSUM_IP = 1 << 0,   /* IPv4 header */
    NET_CSUM_TCP = 1 << 1,
    NET_CSUM_UDP = 1 << 2,
    NET_CSUM_ALL = NET_CSUM_IP | NET_CSUM_TCP | NET_CSUM_UDP,
};

/*
 * Recompute the selected checksums of an Ethernet frame (optionally one
 * 802.1Q tag; IPv4, or IPv6 for TCP/UDP). Fragments and truncated frames
 * are left alone. Returns true if the frame was IPv4 or IPv6.
 */
bool net_checksum_calculate(uint8_t *frame, size_t len, unsigned flags);

#endif
