/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RFC 1071 one's complement sums. The byte-pair loop is plain C: frames are
 * small and this only runs when a NIC has to stand in for hardware
 * checksum offload, so clarity wins over a wide-word version.
 */
#include "net/checksum.h"

#include <string.h>

static inline uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void wr16(uint8_t *p, uint16_t v)
{
    p[0] = v >> 8;
    p[1] = v & 0xff;
}

uint32_t net_checksum_add_cont(const void *buf, size_t len, size_t offset)
{
    const uint8_t *p = buf;
    uint64_t sum = 0;

    for (size_t i = 0; i < len; i++) {
        /* Even stream positions are high bytes of a 16-bit word. */
        if ((offset + i) & 1) {
            sum += p[i];
        } else {
            sum += (uint32_t)p[i] << 8;
        }
    }
    while (sum >> 32) {
        sum = (sum & 0xffffffff) + (sum >> 32);
    }
    return (uint32_t)sum;
}

uint16_t net_checksum_finish(uint32_t sum)
{
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return (uint16_t)~sum;
}

uint16_t net_checksum_finish_nozero(uint32_t sum)
{
    uint16_t c = net_checksum_finish(sum);

    return c ? c : 0xffff;
}

/* Add two partial sums without losing carries. */
static uint32_t sum_add(uint32_t a, uint32_t b)
{
    uint64_t s = (uint64_t)a + b;

    return (uint32_t)((s & 0xffffffff) + (s >> 32));
}

uint16_t net_checksum_ipv4_header(const uint8_t *hdr, size_t hlen)
{
    uint32_t sum = net_checksum_add(hdr, 10);

    sum = sum_add(sum, net_checksum_add_cont(hdr + 12, hlen - 12, 12));
    return net_checksum_finish(sum);
}

uint16_t net_checksum_tcpudp(const uint8_t *addrs, uint8_t proto, const uint8_t *seg,
                             size_t len)
{
    uint32_t sum = net_checksum_add(addrs, 8);

    sum = sum_add(sum, proto);
    sum = sum_add(sum, (uint32_t)len);
    sum = sum_add(sum, net_checksum_add(seg, len));
    return proto == IP_PROTO_UDP ? net_checksum_finish_nozero(sum)
                                 : net_checksum_finish(sum);
}

bool net_checksum_complete_partial(uint8_t *buf, size_t len, size_t csum_start,
                                   size_t csum_offset)
{
    if (csum_start > len || csum_offset > len - csum_start ||
        len - csum_start - csum_offset < 2) {
        return false;
    }
    /* The field holds the pseudo-header sum the sender put there. */
    wr16(buf + csum_start + csum_offset,
         net_checksum_finish(net_checksum_add(buf + csum_start, len - csum_start)));
    return true;
}

/* Checksum field offset within the L4 header, or 0 if not handled. */
static size_t l4_csum_field(uint8_t proto, unsigned flags)
{
    if (proto == IP_PROTO_TCP && (flags & NET_CSUM_TCP)) {
        return 16;
    }
    if (proto == IP_PROTO_UDP && (flags & NET_CSUM_UDP)) {
        return 6;
    }
    return 0;
}

static void fix_l4(uint8_t *seg, size_t len, uint8_t proto, uint32_t pseudo, unsigned flags)
{
    size_t field = l4_csum_field(proto, flags);
    uint32_t sum;
    uint16_t c;

    if (!field || len < field + 2) {
        return;
    }
    wr16(seg + field, 0);
    sum = sum_add(pseudo, proto);
    sum = sum_add(sum, (uint32_t)len);
    sum = sum_add(sum, net_checksum_add(seg, len));
    c = proto == IP_PROTO_UDP ? net_checksum_finish_nozero(sum) : net_checksum_finish(sum);
    wr16(seg + field, c);
}

static void calc_ipv4(uint8_t *ip, size_t len, unsigned flags)
{
    size_t hlen, tot;

    if (len < 20 || (ip[0] >> 4) != 4) {
        return;
    }
    hlen = (ip[0] & 0xf) * 4;
    tot = rd16(ip + 2);
    if (hlen < 20 || hlen > len || tot < hlen || tot > len) {
        return;
    }
    if (flags & NET_CSUM_IP) {
        wr16(ip + 10, 0);
        wr16(ip + 10, net_checksum_ipv4_header(ip, hlen));
    }
    /* Only whole datagrams: fragment offset or more-fragments set. */
    if (rd16(ip + 6) & 0x3fff) {
        return;
    }
    fix_l4(ip + hlen, tot - hlen, ip[9], net_checksum_add(ip + 12, 8), flags);
}

static void calc_ipv6(uint8_t *ip, size_t len, unsigned flags)
{
    size_t off = 40, plen;
    uint8_t next;

    if (len < 40 || (ip[0] >> 4) != 6) {
        return;
    }
    plen = rd16(ip + 4);
    if (plen + 40 > len) {
        return;
    }
    next = ip[6];
    /* Hop-by-hop, routing and destination options may precede TCP/UDP. */
    while (next == 0 || next == 43 || next == 60) {
        if (off + 8 > 40 + plen) {
            return;
        }
        next = ip[off];
        off += (ip[off + 1] + 1) * 8;
    }
    if (off > 40 + plen) {
        return;
    }
    fix_l4(ip + off, 40 + plen - off, next, net_checksum_add(ip + 8, 32), flags);
}

bool net_checksum_calculate(uint8_t *frame, size_t len, unsigned flags)
{
    size_t off = ETH_HLEN;
    uint16_t type;

    if (len < ETH_HLEN) {
        return false;
    }
    type = rd16(frame + 12);
    if (type == ETH_P_VLAN) {
        if (len < ETH_HLEN + 4) {
            return false;
        }
        type = rd16(frame + 16);
        off += 4;
    }
    if (type == ETH_P_IP) {
        calc_ipv4(frame + off, len - off, flags);
        return true;
    }
    if (type == ETH_P_IPV6) {
        calc_ipv6(frame + off, len - off, flags);
        return true;
    }
    return false;
}
