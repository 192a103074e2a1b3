#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""UDP receiver for the condis-gen kernel e2e test (python3 stdlib only).

Runs inside the test network namespace. Counts datagrams on a UDP port and
checks the condis-gen stamp (docs/STAMP.md) per VC: magic, VC id in range,
sequence from 0 with no gap / repeat / reorder, payload length, and the
interface (ifindex, via IP_PKTINFO) the datagram came in on.

Optionally (--tap IFACE) it also opens an AF_PACKET socket on the parent
interface and, per VC, checks the sequence again and records the 802.1Q TCI
(VID + PCP) the kernel saw (PACKET_AUXDATA), so the test can check the tag
condis-gen inserted even on a kernel without 802.1Q support (where tagged
frames never reach the UDP socket).

Protocol with the test script:
  * after the sockets are bound and sized, it writes "ready" to --ready-file;
  * on SIGUSR1 (sender finished) it drains until --idle seconds pass with
    nothing received, prints the report on stdout and exits 0;
  * --timeout is a hard upper bound (exit 2 with the report).

Report lines (stdout):
  rx vc I: count=N next_seq=S gaps=G dups=D bad_len=L bad_if=F ifs=a,b
  tap vc I: count=N next_seq=S gaps=G dups=D tcis=VID:PCP,...|none   (with --tap)
  rx total: count=N bad_magic=M bad_vc=V short=S gaps=G dups=D bad_len=L bad_if=F
  rx socket: rcvbuf=B
  rx latency_ns: count=N min=.. max=..   (only when timestamps are present)
"""
import argparse
import os
import select
import signal
import socket
import struct
import sys
import time

MAGIC = 0x434E4453  # "CNDS"
IP_PKTINFO = getattr(socket, "IP_PKTINFO", 8)
SO_RCVBUFFORCE = getattr(socket, "SO_RCVBUFFORCE", 33)
SOL_PACKET = 263
PACKET_AUXDATA = 8
TP_STATUS_VLAN_VALID = 1 << 4
ETH_P_ALL = 0x0003


class VcState:
    __slots__ = ("count", "next_seq", "gaps", "dups", "bad_len", "bad_if",
                 "ifs", "tcis", "first_err")

    def __init__(self):
        self.count = 0
        self.next_seq = 0
        self.gaps = 0
        self.dups = 0
        self.bad_len = 0
        self.bad_if = 0
        self.ifs = set()
        self.tcis = set()
        self.first_err = None


def check_seq(st, seq):
    st.count += 1
    if seq == st.next_seq:
        st.next_seq += 1
    elif seq > st.next_seq:
        st.gaps += 1
        if st.first_err is None:
            st.first_err = "gap: expected seq %d got %d" % (st.next_seq, seq)
        st.next_seq = seq + 1
    else:
        st.dups += 1
        if st.first_err is None:
            st.first_err = "repeat/reorder: expected seq %d got %d" % (st.next_seq, seq)


def parse_map(items):
    out = {}
    for it in items or []:
        k, v = it.split("=", 1)
        out[int(k)] = v
    return out


def set_rcvbuf(s, size):
    try:
        s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, size)
    except OSError:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, size)
    return s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--vcs", type=int, required=True)
    ap.add_argument("--payload-len", type=int, default=-1,
                    help="expected UDP payload length (-1: do not check)")
    ap.add_argument("--expect-if", action="append",
                    help="VC=IFNAME: datagrams of VC must arrive on IFNAME")
    ap.add_argument("--default-if", help="expected IFNAME for VCs not in --expect-if")
    ap.add_argument("--tap", help="parent interface for an AF_PACKET VLAN tap")
    ap.add_argument("--rcvbuf", type=int, default=64 << 20)
    ap.add_argument("--ready-file", required=True)
    ap.add_argument("--idle", type=float, default=0.5)
    ap.add_argument("--timeout", type=float, default=45.0)
    a = ap.parse_args()

    exp_if = {vc: socket.if_nametoindex(n) for vc, n in parse_map(a.expect_if).items()}
    def_if = socket.if_nametoindex(a.default_if) if a.default_if else None

    us = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rcvbuf = set_rcvbuf(us, a.rcvbuf)
    us.setsockopt(socket.IPPROTO_IP, IP_PKTINFO, 1)
    us.bind(("0.0.0.0", a.port))
    us.setblocking(False)

    tap = None
    if a.tap:
        tap = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        set_rcvbuf(tap, a.rcvbuf)
        tap.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
        tap.bind((a.tap, ETH_P_ALL))
        tap.setblocking(False)

    stop = {"flag": False}
    signal.signal(signal.SIGUSR1, lambda *_: stop.__setitem__("flag", True))
    signal.signal(signal.SIGTERM, lambda *_: stop.__setitem__("flag", True))

    with open(a.ready_file + ".tmp", "w") as f:
        f.write("ready\n")
    os.rename(a.ready_file + ".tmp", a.ready_file)

    vcs = [VcState() for _ in range(a.vcs)]
    tvcs = [VcState() for _ in range(a.vcs)]
    tot = {"count": 0, "bad_magic": 0, "bad_vc": 0, "short": 0}
    lat_min = None
    lat_max = None
    lat_n = 0
    tap_frames = 0
    tap_other = 0

    socks = [us] + ([tap] if tap else [])
    deadline = time.monotonic() + a.timeout
    last_rx = time.monotonic()
    timed_out = False
    cmsg_space = socket.CMSG_SPACE(12)
    aux_space = socket.CMSG_SPACE(20)

    while True:
        now = time.monotonic()
        if now > deadline:
            timed_out = True
            break
        if stop["flag"] and now - last_rx > a.idle:
            break
        try:
            r, _, _ = select.select(socks, [], [], 0.1)
        except InterruptedError:
            continue
        if not r:
            continue
        last_rx = time.monotonic()
        if us in r:
            for _ in range(4096):
                try:
                    data, anc, _flags, _addr = us.recvmsg(65536, cmsg_space)
                except BlockingIOError:
                    break
                tot["count"] += 1
                ifindex = None
                for lvl, typ, cd in anc:
                    if lvl == socket.IPPROTO_IP and typ == IP_PKTINFO and len(cd) >= 4:
                        ifindex = struct.unpack_from("i", cd, 0)[0]
                if len(data) < 16:
                    tot["short"] += 1
                    continue
                magic, vc, seq = struct.unpack_from("!IIQ", data, 0)
                if magic != MAGIC:
                    tot["bad_magic"] += 1
                    continue
                if vc >= a.vcs:
                    tot["bad_vc"] += 1
                    continue
                st = vcs[vc]
                check_seq(st, seq)
                if a.payload_len >= 0 and len(data) != a.payload_len:
                    st.bad_len += 1
                    if st.first_err is None:
                        st.first_err = "payload length %d, expected %d" % (len(data), a.payload_len)
                st.ifs.add(ifindex)
                want_if = exp_if.get(vc, def_if)
                if want_if is not None and ifindex != want_if:
                    st.bad_if += 1
                    if st.first_err is None:
                        st.first_err = "arrived on ifindex %s, expected %d" % (ifindex, want_if)
                if len(data) >= 24:
                    ts = struct.unpack_from("!Q", data, 16)[0]
                    lat = time.time_ns() - ts
                    lat_n += 1
                    lat_min = lat if lat_min is None else min(lat_min, lat)
                    lat_max = lat if lat_max is None else max(lat_max, lat)
        if tap and tap in r:
            for _ in range(4096):
                try:
                    data, anc, _flags, _addr = tap.recvmsg(65536, aux_space)
                except BlockingIOError:
                    break
                # Ethernet (tag already moved to auxdata by the kernel) / IPv4 / UDP
                if len(data) < 42 + 16 or data[12:14] != b"\x08\x00" or data[23] != 17:
                    tap_other += 1
                    continue
                ihl = (data[14] & 0x0F) * 4
                uoff = 14 + ihl
                dport = struct.unpack_from("!H", data, uoff + 2)[0]
                if dport != a.port:
                    tap_other += 1
                    continue
                magic, vc, seq = struct.unpack_from("!IIQ", data, uoff + 8)
                if magic != MAGIC or vc >= a.vcs:
                    tap_other += 1
                    continue
                tci = "none"
                for lvl, typ, cd in anc:
                    if lvl == SOL_PACKET and typ == PACKET_AUXDATA and len(cd) >= 20:
                        status, _l, _s, _m, _n, vtci, _tpid = struct.unpack_from("IIIHHHH", cd, 0)
                        if status & TP_STATUS_VLAN_VALID:
                            tci = "%d:%d" % (vtci & 0x0FFF, vtci >> 13)
                tap_frames += 1
                check_seq(tvcs[vc], seq)
                tvcs[vc].tcis.add(tci)

    names = {}
    def ifname(i):
        if i is None:
            return "?"
        if i not in names:
            try:
                names[i] = socket.if_indextoname(i)
            except OSError:
                names[i] = str(i)
        return names[i]

    g = {"gaps": 0, "dups": 0, "bad_len": 0, "bad_if": 0}
    for i, st in enumerate(vcs):
        for k in g:
            g[k] += getattr(st, k)
        print("rx vc %d: count=%d next_seq=%d gaps=%d dups=%d bad_len=%d bad_if=%d ifs=%s%s"
              % (i, st.count, st.next_seq, st.gaps, st.dups, st.bad_len, st.bad_if,
                 ",".join(sorted(ifname(x) for x in st.ifs)) or "-",
                 (" first_error=\"%s\"" % st.first_err) if st.first_err else ""))
    if tap:
        for i, st in enumerate(tvcs):
            print("tap vc %d: count=%d next_seq=%d gaps=%d dups=%d tcis=%s%s"
                  % (i, st.count, st.next_seq, st.gaps, st.dups, ",".join(sorted(st.tcis)) or "-",
                     (" first_error=\"%s\"" % st.first_err) if st.first_err else ""))
    print("rx total: count=%d bad_magic=%d bad_vc=%d short=%d gaps=%d dups=%d bad_len=%d bad_if=%d"
          % (tot["count"], tot["bad_magic"], tot["bad_vc"], tot["short"],
             g["gaps"], g["dups"], g["bad_len"], g["bad_if"]))
    print("rx socket: rcvbuf=%d tap_frames=%d tap_other=%d" % (rcvbuf, tap_frames, tap_other))
    if lat_n:
        print("rx latency_ns: count=%d min=%d max=%d (wire+kernel+python, indicative only)"
              % (lat_n, lat_min, lat_max))
    if timed_out:
        print("rx: hard timeout (%.0f s) reached" % a.timeout)
    sys.stdout.flush()
    return 2 if timed_out else 0


if __name__ == "__main__":
    sys.exit(main())
