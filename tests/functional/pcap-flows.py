#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Write a capture of many kinds of flows for condis-gen --pcap, or tell a capture's flows.

  pcap-flows.py write OUT.pcap SEED FRAMES   a seeded mix, interleaved, timestamps rising
  pcap-flows.py flows IN.pcap                JSON: the flows in the order they first
                                             appear, each with its frames (hex) in order

The mix: IPv4/UDP and IPv4/TCP flows of many sizes (60..1514 bytes), IPv6/UDP and
IPv6/TCP, an IPv4/UDP flow under an 802.1Q tag and another under QinQ (same 5-tuple as an
untagged one: a flow apart), ARP both ways, an LLDP-like frame, IPv4 fragments (every
fragment of a datagram, the first too, is a flow of its addresses, as RSS hashes them). Flows are told apart the way
docs/REPLAY.md says condis-gen does: the 5-tuple and the VLAN ids; without an IP header,
the MAC addresses and the EtherType. This is the test's own reading of that rule, written
apart from apps/condis-gen/replay_load.c.
"""
import json
import random
import struct
import sys

SRC_MAC = bytes.fromhex("020000000001")
DST_MAC = bytes.fromhex("020000000002")


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4(proto, src, dst, payload, frag=0, more=False):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1,
                      (0x2000 if more else 0) | frag, 64, proto, 0, bytes(src), bytes(dst))
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload


def ipv6(nh, src, dst, payload):
    return struct.pack("!IHBB16s16s", 0x60000000, len(payload), nh, 64, src, dst) + payload


def udp(sport, dport, n):
    return struct.pack("!HHHH", sport, dport, 8 + n, 0) + bytes(i & 0xFF for i in range(n))


def tcp(sport, dport, n):
    return struct.pack("!HHIIBBHHH", sport, dport, 1, 0, 0x50, 0x18, 8192, 0, 0) + \
        bytes(i & 0xFF for i in range(n))


def eth(ethertype, payload, tags=(), dst=DST_MAC, src=SRC_MAC):
    b = dst + src
    for tpid, vid in tags:
        b += struct.pack("!HH", tpid, vid)
    return b + struct.pack("!H", ethertype) + payload


def pad(frame, size):
    """Pad the payload so the frame is size bytes (without FCS); never below 60."""
    return frame + bytes(max(size, 60) - len(frame)) if size > len(frame) else frame


def flows_mix(rng):
    """Flow makers: each returns a frame of about the size asked."""
    v4a, v4b = [198, 18, 0, 1], [198, 18, 0, 2]
    v6a = bytes.fromhex("20010002000000000000000000000001")
    v6b = bytes.fromhex("20010002000000000000000000000002")
    makers = []
    for k in range(8):
        makers.append(lambda n, k=k: eth(0x0800, ipv4(17, v4a, v4b, udp(1024 + k, 9, n))))
    for k in range(3):
        makers.append(lambda n, k=k: eth(0x0800, ipv4(6, v4a, v4b, tcp(2000 + k, 80, n))))
    makers.append(lambda n: eth(0x86DD, ipv6(17, v6a, v6b, udp(3000, 9, n))))
    makers.append(lambda n: eth(0x86DD, ipv6(6, v6a, v6b, tcp(3001, 443, n))))
    makers.append(lambda n: eth(0x0800, ipv4(17, v4a, v4b, udp(1024, 9, n)),
                                tags=[(0x8100, 100)]))
    makers.append(lambda n: eth(0x0800, ipv4(17, v4a, v4b, udp(1024, 9, n)),
                                tags=[(0x88A8, 7), (0x8100, 100)]))
    arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, SRC_MAC, bytes(v4a), bytes(6),
                      bytes(v4b))
    makers.append(lambda n: pad(eth(0x0806, arp, dst=b"\xff" * 6), 60))
    makers.append(lambda n: pad(eth(0x0806, arp, dst=SRC_MAC, src=DST_MAC), 60))
    makers.append(lambda n: pad(eth(0x88CC, b"\x02\x07\x04" + SRC_MAC,
                                    dst=bytes.fromhex("0180c200000e")), 60))
    makers.append(lambda n: eth(0x0800, ipv4(17, v4a, [198, 18, 0, 9], udp(5000, 5001, n),
                                             more=True)))
    makers.append(lambda n: eth(0x0800, ipv4(17, v4a, [198, 18, 0, 10], bytes(n + 8),
                                             frag=185)))
    return makers


def write(path, seed, frames):
    rng = random.Random(seed)
    makers = flows_mix(rng)
    sizes = [18, 60, 100, 300, 556, 1000, 1460]
    t_us = 1_000_000_000 * 1_000_000 // 1_000_000  # 1000 s after the epoch, in us
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i in range(frames):
            # Every flow at least once, early; then at random.
            m = makers[i] if i < len(makers) else rng.choice(makers)
            fr = pad(m(rng.choice(sizes)), 0)
            if len(fr) < 60:
                fr = pad(fr, 60)
            fr = fr[:1514]
            t_us += rng.choice([1, 5, 20, 100, 400])
            f.write(struct.pack("<IIII", t_us // 1_000_000, t_us % 1_000_000, len(fr), len(fr)))
            f.write(fr)


def read(path):
    with open(path, "rb") as f:
        head = f.read(24)
        magic = struct.unpack("<I", head[:4])[0]
        if magic not in (0xA1B2C3D4, 0xA1B23C4D):
            sys.exit("pcap-flows: %s: not a little-endian pcap file" % path)
        out = []
        while True:
            h = f.read(16)
            if len(h) < 16:
                return out
            incl = struct.unpack("<IIII", h)[2]
            out.append(f.read(incl))


def flow_key(fr):
    p, tags = 12, []
    et = struct.unpack("!H", fr[p:p + 2])[0]
    while et in (0x8100, 0x88A8) and len(tags) < 2:
        tags.append(struct.unpack("!H", fr[p + 2:p + 4])[0] & 0xFFF)
        p += 4
        et = struct.unpack("!H", fr[p:p + 2])[0]
    p += 2
    if et == 0x0800 and fr[p] >> 4 == 4:
        ihl, proto = (fr[p] & 15) * 4, fr[p + 9]
        whole = struct.unpack("!H", fr[p + 6:p + 8])[0] & 0x3FFF == 0  # not a fragment
        ports = fr[p + ihl:p + ihl + 4] if whole and proto in (6, 17, 132) else b""
        return (tuple(tags), et, proto, fr[p + 12:p + 20], ports)
    if et == 0x86DD and fr[p] >> 4 == 6:
        proto = fr[p + 6]
        ports = fr[p + 40:p + 44] if proto in (6, 17, 132) else b""
        return (tuple(tags), et, proto, fr[p + 8:p + 40], ports)
    return (tuple(tags), et, None, fr[0:12], b"")


def flows(path):
    order, by = [], {}
    for fr in read(path):
        k = flow_key(fr)
        if k not in by:
            by[k] = []
            order.append(k)
        by[k].append(fr.hex())
    return [by[k] for k in order]


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "write":
        write(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif len(sys.argv) == 3 and sys.argv[1] == "flows":
        json.dump(flows(sys.argv[2]), sys.stdout)
    else:
        sys.exit(__doc__)
