#!/usr/bin/env python3
"""Self-test of check-pcap.py on synthetic pcaps (no QEMU, no DPDK, stdlib only).

Writes condis-gen style frames (docs/STAMP.md) with a tiny pcap writer, good and broken in
known ways, and checks that check-pcap.py passes/fails them with the expected diagnostic.
Exit 0 if every case behaves, 1 otherwise.
"""

import os
import random
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CHECK = os.path.join(HERE, "check-pcap.py")


def csum(b):
    s = sum(struct.unpack(f"!{len(b) // 2}H", b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def frame(vc, seq, frame_size, vlan=None, pad_first=False, fill=0):
    """A condis-gen frame as the NIC puts it on the wire (no FCS)."""
    n = frame_size - 4
    stamp = b"CNDS" + struct.pack("!IQ", vc, seq)
    if frame_size >= 70:
        stamp += struct.pack("!Q", 1_700_000_000_000_000_000 + seq)
    ip_len = n - 14
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, ip_len, 0, 0x4000, 64, 17, 0,
                     bytes([198, 18, 0, 1]), bytes([198, 18, 0, 2]))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    udp = struct.pack("!HHHH", 1024, 9, ip_len - 20, 0)
    payload = stamp + bytes([fill]) * (ip_len - 28 - len(stamp))
    eth = bytes.fromhex("020000000002" "020000000001")
    body = ip + udp + payload
    if vlan is None:
        fr = eth + b"\x08\x00" + body
    elif pad_first:  # pad to 60, then insert the tag (hardware insert after padding)
        fr = eth + b"\x08\x00" + body
        fr += bytes(max(0, 60 - len(fr)))
        fr = fr[:12] + struct.pack("!HH", 0x8100, (vlan[1] << 13) | vlan[0]) + fr[12:]
    else:
        fr = eth + struct.pack("!HH", 0x8100, (vlan[1] << 13) | vlan[0]) + b"\x08\x00" + body
    return fr + bytes(max(0, 60 - len(fr)))


def write_pcap(path, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", 1700000000, i, len(fr), len(fr)))
            f.write(fr)


def report(counts, elide=False):
    """condis-gen's final report (apps/condis-gen/report.c): 16 VC lines unless --per-vc."""
    lines = [f"vc {vc}: nbls_sent={n} nbs_sent={n} success_nbs={n} failure=0"
             for vc, n in sorted(counts.items()) if not elide or vc < 16]
    if elide and len(counts) > 16:
        lines.append(f"({len(counts) - 16} more VCs: --per-vc prints them)")
    lines.append(f"total: nbls_sent={sum(counts.values())} success_nbs={sum(counts.values())}"
                 " failure=0")
    lines.append("rate: port=x elapsed_s=1.0 mpps=0.001 l1_gbps=0.001 frame_size=64 vcs=1")
    return "\n".join(lines) + "\n"


def interleave(vcs, count, frame_size, vlan_of, chain=7, seed=1):
    """Frames of several VCs interleaved in chains, per-VC order kept."""
    rnd = random.Random(seed)
    nxt = {vc: 0 for vc in range(vcs)}
    out = []
    while any(nxt[vc] < count for vc in nxt):
        vc = rnd.choice([v for v in nxt if nxt[v] < count])
        for _ in range(rnd.randint(1, chain)):
            if nxt[vc] >= count:
                break
            out.append((vc, nxt[vc], frame(vc, nxt[vc], frame_size, vlan_of(vc))))
            nxt[vc] += 1
    return out


CASES = []


def case(name, expect_rc, expect_text=None):
    def deco(fn):
        CASES.append((name, expect_rc, expect_text, fn))
        return fn
    return deco


V = (100, 5)


@case("good 4 VCs, 64 B, --vlan 100:5", 0)
def _(d):
    fr = interleave(4, 50, 64, lambda vc: V)
    return [f for _, _, f in fr], {vc: 50 for vc in range(4)}, \
        ["--vcs", "4", "--count", "50", "--frame-size", "64", "--vlan", "100:5"]


@case("good 3 VCs, 1518 B, per-VC VLAN, VC 2 untagged", 0)
def _(d):
    tags = {0: (7, 0), 1: (4094, 7)}
    fr = interleave(3, 20, 1518, tags.get)
    return [f for _, _, f in fr], {vc: 20 for vc in range(3)}, \
        ["--vcs", "3", "--frame-size", "1518", "--vlan", "0=7:0", "--vlan", "1=4094:7"]


@case("good 62 B tagged, both padding orders", 0)
def _(d):
    frs = [frame(0, s, 62, V, pad_first=(s % 2 == 1)) for s in range(10)]
    return frs, {0: 10}, ["--vcs", "1", "--frame-size", "62", "--vlan", "100:5"]


@case("good 62 B untagged (58 B padded to 60)", 0)
def _(d):
    return [frame(0, s, 62) for s in range(10)], {0: 10}, ["--frame-size", "62"]


@case("per-VC --vlan wins over an all-VC --vlan given later", 0)
def _(d):
    tags = {0: (7, 1)}
    fr = interleave(2, 10, 64, lambda vc: tags.get(vc, V))
    return [f for _, _, f in fr], {0: 10, 1: 10}, \
        ["--vcs", "2", "--frame-size", "64", "--vlan", "0=7:1", "--vlan", "100:5"]


@case("20 VCs, report prints 16 + '(4 more VCs' line", 0)
def _(d):
    fr = interleave(20, 5, 64, lambda vc: None)
    return [f for _, _, f in fr], {vc: 5 for vc in range(20)}, \
        ["--vcs", "20", "--frame-size", "64", "--count", "5", "--elide-report"]


@case("sequence gap", 1, "sequence gap")
def _(d):
    fr = interleave(4, 50, 64, lambda vc: V)
    frs = [f for vc, s, f in fr if not (vc == 2 and s == 17)]
    return frs, {0: 50, 1: 50, 2: 49, 3: 50}, ["--vcs", "4", "--frame-size", "64", "--vlan", "100:5"]


@case("duplicate frame", 1, "sequence repeat")
def _(d):
    frs = [frame(0, s, 64) for s in range(10)]
    frs.insert(5, frs[4])
    return frs, {0: 11}, ["--frame-size", "64"]


@case("reordered frames", 1, "sequence")
def _(d):
    frs = [frame(0, s, 64) for s in range(10)]
    frs[3], frs[4] = frs[4], frs[3]
    return frs, {0: 10}, ["--frame-size", "64"]


@case("count differs from the report", 1, "frame count")
def _(d):
    return [frame(0, s, 64) for s in range(10)], {0: 11}, ["--frame-size", "64"]


@case("--gaps: increasing with gaps passes", 0)
def _(d):
    frs = [frame(0, s, 64) for s in range(20) if s not in (3, 4, 11)]
    return frs, {0: 17}, ["--frame-size", "64", "--count", "20", "--gaps"]


@case("--gaps: a reorder still fails", 1, "sequence repeat/reorder")
def _(d):
    frs = [frame(0, s, 64) for s in (0, 1, 5, 4, 6)]
    return frs, {0: 5}, ["--frame-size", "64", "--gaps"]


@case("--gaps: a sequence beyond --count fails", 1, "sequence beyond --count")
def _(d):
    frs = [frame(0, s, 64) for s in (0, 2, 9)]
    return frs, {0: 3}, ["--frame-size", "64", "--count", "5", "--gaps"]


@case("fewer than --count", 1, "--count 11")
def _(d):
    return [frame(0, s, 64) for s in range(10)], {0: 10}, ["--frame-size", "64", "--count", "11"]


@case("wrong VLAN priority on one VC", 1, "wrong 802.1Q tag")
def _(d):
    fr = interleave(2, 10, 64, lambda vc: V if vc == 0 else (100, 4))
    return [f for _, _, f in fr], {0: 10, 1: 10}, ["--vcs", "2", "--frame-size", "64", "--vlan", "100:5"]


@case("tag missing", 1, "wrong 802.1Q tag")
def _(d):
    return [frame(0, s, 64) for s in range(10)], {0: 10}, ["--frame-size", "64", "--vlan", "100:5"]


@case("wrong frame size", 1, "wrong frame length")
def _(d):
    return [frame(0, s, 128) for s in range(10)], {0: 10}, ["--frame-size", "64"]


@case("non-zero fill", 1, "non-zero bytes")
def _(d):
    return [frame(0, s, 128, fill=0xAA) for s in range(10)], {0: 10}, ["--frame-size", "128"]


@case("bad IPv4 checksum", 1, "checksum")
def _(d):
    frs = [bytearray(frame(0, s, 64)) for s in range(10)]
    frs[3][24] ^= 0xFF
    return [bytes(f) for f in frs], {0: 10}, ["--frame-size", "64"]


@case("foreign frame", 1, "no CNDS stamp")
def _(d):
    frs = [frame(0, s, 64) for s in range(10)]
    bad = bytearray(frs[0]); bad[42:46] = b"XXXX"
    frs.append(bytes(bad))
    return frs, {0: 10}, ["--frame-size", "64"]


@case("VC id beyond --vcs", 1, "VC id out of range")
def _(d):
    return [frame(5, s, 64) for s in range(3)], {0: 0}, ["--frame-size", "64"]


@case("empty pcap, report says 0", 0)
def _(d):
    return [], {0: 0}, ["--frame-size", "64"]


def main():
    bad = 0
    with tempfile.TemporaryDirectory() as d:
        for name, want_rc, want_text, fn in CASES:
            frames, counts, extra = fn(d)
            pcap = os.path.join(d, "t.pcap")
            rep = os.path.join(d, "report.txt")
            write_pcap(pcap, frames)
            elide = "--elide-report" in extra
            if elide:
                extra = [a for a in extra if a != "--elide-report"]
            with open(rep, "w") as f:
                f.write(report(counts, elide))
            p = subprocess.run([sys.executable, CHECK, pcap, "--report", rep] + extra,
                               capture_output=True, text=True)
            ok = p.returncode == want_rc and (want_text is None or want_text in p.stdout)
            print(f"{'ok  ' if ok else 'BAD '} {name}: rc={p.returncode}")
            if not ok:
                bad += 1
                print("     " + (p.stdout + p.stderr).replace("\n", "\n     "))
    print(f"selftest-check-pcap: {len(CASES) - bad}/{len(CASES)} cases ok")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
