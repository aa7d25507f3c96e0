#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# udhcpc's event script for the test initramfs (which has none): put the
# leased address, the default route and the DNS server in place. udhcpc
# passes interface, ip, mask, router and dns in the environment.
# shellcheck disable=SC2154

case "$1" in
bound | renew)
    ip addr flush dev "$interface"
    ip addr add "$ip/${mask:-24}" dev "$interface"
    for r in $router; do
        ip route add default via "$r" dev "$interface"
        break
    done
    mkdir -p /etc
    : >/etc/resolv.conf
    for d in $dns; do
        echo "nameserver $d" >>/etc/resolv.conf
    done
    ;;
deconfig)
    ip addr flush dev "$interface"
    ;;
esac
exit 0
