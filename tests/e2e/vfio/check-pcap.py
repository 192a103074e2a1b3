#!/usr/bin/env python3
"""Check a pcap of frames sent by condis-gen (or testpmd) against what the sender reported.

Usage (condis-gen; frame format in docs/STAMP.md):
  check-pcap.py tx.pcap --report condis-gen.out --vcs 4 --frame-size 64 --vlan 100:5 \
      [--count 2000]
Usage (testpmd txonly, count and length only):
  check-pcap.py tx.pcap --testpmd-report testpmd.out --no-stamp [--frame-size 68]

Checks:
  * pcap frame count == `total: ... success_nbs=N` of the report (the last such line)
  * per VC: frames in the pcap == `vc I: ... success_nbs=N`; with --count, also == N
  * per VC: stamp sequence numbers are exactly 0, 1, 2, ... in capture order; with --gaps
    (a run with adapter events: frames a pause or reset failed never reach the wire, and
    condis-gen does not resend them) strictly increasing, below --count, with the gaps
    counted; the frame counts against the report still hold
  * every frame: stamp magic "CNDS", VC id < --vcs, Ethernet II / IPv4 / UDP with a valid
    IPv4 header checksum and lengths matching the frame size, zero fill after the stamp
  * with --frame-size B: frame length == B - 4 (+4 if 802.1Q tagged), padded to 60 bytes
    (for a tagged frame whose untagged form is under 60 bytes, padding to 60 before the
    tag is inserted, i.e. 64 bytes, is accepted too: both are legal on the wire)
  * --vlan VID:PRIO (all VCs) or --vlan VC=VID:PRIO (repeatable): tag present with that VID
    and priority on those VCs; every other VC's frames must be untagged
Exit 0 if all checks pass, 1 if any fails, 2 on bad usage or unreadable input.
Only the Python standard library is used.
"""

import argparse
import re
import struct
import sys

MAGIC = b"CNDS"
ETH_MIN = 60  # minimum Ethernet frame without FCS
MAX_EXAMPLES = 5


class Failures:
    def __init__(self):
        self.kinds = {}  # kind -> [count, examples]

    def add(self, kind, example):
        ent = self.kinds.setdefault(kind, [0, []])
        ent[0] += 1
        if len(ent[1]) < MAX_EXAMPLES:
            ent[1].append(example)

    def __bool__(self):
        return bool(self.kinds)

    def report(self, out):
        for kind, (n, ex) in self.kinds.items():
            print(f"FAIL: {kind}: {n} time(s)", file=out)
            for e in ex:
                print(f"      {e}", file=out)


def read_pcap(path):
    """Yield (index, frame bytes, orig_len). Handles both byte orders, us and ns pcaps."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        raise ValueError(f"{path}: {len(data)} bytes, not a pcap (no global header)")
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        e = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = ">"
    else:
        raise ValueError(f"{path}: bad pcap magic {magic.hex()} (pcapng is not supported)")
    _vmaj, _vmin, _tz, _sig, _snap, linktype = struct.unpack(e + "HHiIII", data[4:24])
    if linktype != 1:
        raise ValueError(f"{path}: link type {linktype}, expected 1 (Ethernet)")
    off, i = 24, 0
    rec = struct.Struct(e + "IIII")
    while off < len(data):
        if off + 16 > len(data):
            raise ValueError(f"{path}: truncated record header at offset {off}")
        _s, _us, incl, orig = rec.unpack_from(data, off)
        off += 16
        if off + incl > len(data):
            raise ValueError(f"{path}: truncated frame {i} at offset {off}")
        yield i, data[off:off + incl], orig
        off += incl
        i += 1


def parse_kv(s):
    return dict(re.findall(r"([A-Za-z_][\w.-]*)=(\S+)", s))


def parse_condis_report(path):
    """Return (total dict, {vc: dict}, elided) from condis-gen output (last occurrence of
    each). elided: condis-gen left some VC lines out ("(N more VCs: --per-vc prints them)")."""
    total, vcs, elided = None, {}, False
    with open(path, errors="replace") as f:
        for line in f:
            if re.match(r"\s*\(\d+ more VCs", line):
                elided = True
            m = re.match(r"\s*total:\s*(.*)$", line)
            if m:
                total = parse_kv(m.group(1))
                continue
            m = re.match(r"\s*vc\s+(\d+):\s*(.*)$", line)
            if m:
                vcs[int(m.group(1))] = parse_kv(m.group(2))
    return total, vcs, elided


def parse_testpmd_report(path):
    """TX-packets of the accumulated statistics (or the last TX-packets line)."""
    last, acc, in_acc = None, None, False
    with open(path, errors="replace") as f:
        for line in f:
            if "Accumulated forward statistics" in line:
                in_acc = True
            m = re.search(r"TX-packets:\s*(\d+)", line)
            if m:
                last = int(m.group(1))
                if in_acc and acc is None:
                    acc = last
    return acc if acc is not None else last


def parse_vlan(specs, vcs):
    """--vlan values -> {vc: (vid, prio)}. As in condis-gen, a VC=VID:PRIO rule wins over
    VID:PRIO whatever the order, and the last rule for a VC wins."""
    out, per_vc = {}, {}
    for s in specs:
        m = re.fullmatch(r"(?:(\d+)=)?(\d+):(\d+)", s)
        if not m:
            raise ValueError(f"--vlan {s}: expected VID:PRIO or VC=VID:PRIO")
        vid, prio = int(m.group(2)), int(m.group(3))
        if vid > 4094 or prio > 7:
            raise ValueError(f"--vlan {s}: VID must be <= 4094 and PRIO <= 7")
        if m.group(1) is None:
            for vc in range(vcs):
                out[vc] = (vid, prio)
        else:
            per_vc[int(m.group(1))] = (vid, prio)
    out.update(per_vc)
    return out


def ip_checksum_ok(hdr):
    s = sum(struct.unpack("!10H", hdr))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s == 0xFFFF


def expected_lengths(frame_size, tagged):
    base = frame_size - 4
    if not tagged:
        return {max(base, ETH_MIN)}
    return {max(base + 4, ETH_MIN), max(base, ETH_MIN) + 4}


def check_frame(i, fr, args, vlan_map, fails):
    """Return (vc, seq) or None; record failures."""
    n = len(fr)
    if n < 14:
        fails.add("runt frame", f"frame {i}: {n} bytes")
        return None
    etype = struct.unpack_from("!H", fr, 12)[0]
    tag = None
    l2 = 14
    if etype == 0x8100:
        if n < 18:
            fails.add("runt frame", f"frame {i}: {n} bytes")
            return None
        tci, etype = struct.unpack_from("!HH", fr, 14)
        tag = (tci & 0x0FFF, tci >> 13)
        l2 = 18
    if args.frame_size is not None:
        exp = expected_lengths(args.frame_size, tag is not None)
        if n not in exp:
            fails.add("wrong frame length",
                      f"frame {i}: {n} bytes, expected {' or '.join(map(str, sorted(exp)))}"
                      f" ({'tagged' if tag else 'untagged'}, --frame-size {args.frame_size})")
    if args.no_stamp:
        return None
    if etype != 0x0800:
        fails.add("not IPv4", f"frame {i}: EtherType 0x{etype:04x}")
        return None
    if n < l2 + 20 + 8 + 16:
        fails.add("too short for IPv4+UDP+stamp", f"frame {i}: {n} bytes")
        return None
    ip = fr[l2:l2 + 20]
    ver_ihl, _tos, ip_len, _id, _frag, _ttl, proto = struct.unpack_from("!BBHHHBB", ip)
    if ver_ihl != 0x45 or proto != 17:
        fails.add("not IPv4 (IHL 5) / UDP", f"frame {i}: ver_ihl 0x{ver_ihl:02x} proto {proto}")
        return None
    if not ip_checksum_ok(ip):
        fails.add("bad IPv4 header checksum", f"frame {i}")
    udp_len = struct.unpack_from("!H", fr, l2 + 24)[0]
    if args.frame_size is not None:
        want_ip = args.frame_size - 4 - 14
        if ip_len != want_ip or udp_len != want_ip - 20:
            fails.add("IPv4/UDP length does not match --frame-size",
                      f"frame {i}: IPv4 total length {ip_len}, UDP length {udp_len},"
                      f" expected {want_ip} and {want_ip - 20}")
    if l2 + ip_len > n:
        fails.add("IPv4 total length beyond the frame", f"frame {i}: {ip_len} > {n - l2}")
        return None
    p = l2 + 28
    if fr[p:p + 4] != MAGIC:
        fails.add("no CNDS stamp", f"frame {i}: payload starts {fr[p:p + 16].hex()}")
        return None
    vc, seq = struct.unpack_from("!IQ", fr, p + 4)
    stamp_len = 24 if l2 + ip_len >= p + 24 else 16
    rest = fr[p + stamp_len:]
    if rest.count(0) != len(rest):
        fails.add("non-zero bytes after the stamp (fill/padding)",
                  f"frame {i} (vc {vc} seq {seq}): {rest.hex()[:64]}")
    if vc >= args.vcs:
        fails.add("VC id out of range", f"frame {i}: vc {vc}, --vcs {args.vcs}")
        return None
    want_tag = vlan_map.get(vc)
    if want_tag != tag:
        def fmt(t):
            return "untagged" if t is None else f"VID {t[0]} PRIO {t[1]}"
        fails.add("wrong 802.1Q tag",
                  f"frame {i} (vc {vc} seq {seq}): {fmt(tag)}, expected {fmt(want_tag)}")
    return vc, seq


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pcap")
    ap.add_argument("--report", help="condis-gen stdout (total:/vc I: lines with success_nbs=)")
    ap.add_argument("--testpmd-report", help="testpmd output: compare with its TX-packets")
    ap.add_argument("--expect-frames", type=int, help="expected total frame count")
    ap.add_argument("--vcs", type=int, default=1, help="number of VCs (default 1)")
    ap.add_argument("--count", type=int, help="frames each VC must have sent (condis-gen --count)")
    ap.add_argument("--frame-size", type=int, help="condis-gen --frame-size (with FCS)")
    ap.add_argument("--vlan", action="append", default=[], help="VID:PRIO or VC=VID:PRIO")
    ap.add_argument("--gaps", action="store_true",
                    help="per-VC sequence strictly increasing, gaps allowed (--event runs)")
    ap.add_argument("--no-stamp", action="store_true",
                    help="frames carry no condis stamp (testpmd): check count/length only")
    args = ap.parse_args()

    try:
        vlan_map = parse_vlan(args.vlan, args.vcs)
    except ValueError as e:
        ap.error(str(e))

    fails = Failures()
    nframes = 0
    per_vc = {}  # vc -> [frames, next expected seq]
    try:
        for i, fr, orig in read_pcap(args.pcap):
            nframes += 1
            if orig != len(fr):
                fails.add("frame truncated in the capture", f"frame {i}: {len(fr)} of {orig} bytes")
            r = check_frame(i, fr, args, vlan_map, fails)
            if r is None:
                continue
            vc, seq = r
            st = per_vc.setdefault(vc, [0, 0, 0])
            st[0] += 1
            if seq != st[1]:
                if seq > st[1] and args.gaps:
                    st[2] += seq - st[1]
                else:
                    kind = "sequence gap" if seq > st[1] else "sequence repeat/reorder"
                    fails.add(kind, f"frame {i}: vc {vc} seq {seq}, expected {st[1]}")
            if args.gaps and args.count is not None and seq >= args.count:
                fails.add("sequence beyond --count", f"frame {i}: vc {vc} seq {seq}")
            st[1] = seq + 1
    except (OSError, ValueError) as e:
        print(f"ERROR: {e}", file=sys.stderr)
        return 2

    print(f"pcap: {args.pcap}: {nframes} frames")
    if not args.no_stamp:
        for vc in sorted(per_vc):
            gaps = f", {per_vc[vc][2]} missing (gaps)" if args.gaps else ""
            print(f"pcap: vc {vc}: {per_vc[vc][0]} frames, last seq {per_vc[vc][1] - 1}{gaps}")

    if args.expect_frames is not None and nframes != args.expect_frames:
        fails.add("frame count", f"pcap has {nframes}, expected {args.expect_frames}")

    if args.testpmd_report:
        try:
            tx = parse_testpmd_report(args.testpmd_report)
        except OSError as e:
            print(f"ERROR: {e}", file=sys.stderr)
            return 2
        if tx is None:
            fails.add("testpmd report", f"no TX-packets line in {args.testpmd_report}")
        else:
            print(f"testpmd: TX-packets {tx}")
            if tx != nframes:
                fails.add("frame count", f"pcap has {nframes}, testpmd TX-packets {tx}")

    if args.report:
        try:
            total, vcrep, elided = parse_condis_report(args.report)
        except OSError as e:
            print(f"ERROR: {e}", file=sys.stderr)
            return 2
        if total is None or "success_nbs" not in total:
            fails.add("report", f"no 'total: ... success_nbs=N' line in {args.report}")
        else:
            succ = int(total["success_nbs"])
            print(f"report: total success_nbs={succ}")
            if succ != nframes:
                fails.add("frame count", f"pcap has {nframes}, report total success_nbs={succ}")
        if not args.no_stamp:
            for vc in range(args.vcs):
                got = per_vc.get(vc, [0, 0])[0]
                rep = vcrep.get(vc)
                if rep is None and elided:
                    continue  # not printed (more than 16 VCs without --per-vc)
                if rep is None or "success_nbs" not in rep:
                    fails.add("report", f"no 'vc {vc}: ... success_nbs=N' line")
                else:
                    s = int(rep["success_nbs"])
                    if s != got:
                        fails.add("per-VC frame count",
                                  f"vc {vc}: pcap has {got}, report success_nbs={s}")
            extra = sorted(set(vcrep) - set(range(args.vcs)))
            if extra:
                fails.add("report", f"report has VCs {extra} beyond --vcs {args.vcs}")

    if args.count is not None and not args.no_stamp and not args.gaps:
        for vc in range(args.vcs):
            got = per_vc.get(vc, [0, 0])[0]
            if got != args.count:
                fails.add("per-VC frame count", f"vc {vc}: pcap has {got}, --count {args.count}")

    if fails:
        fails.report(sys.stdout)
        print("check-pcap: FAIL")
        return 1
    print("check-pcap: PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
