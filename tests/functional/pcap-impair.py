#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Impair a condis-gen capture the way a bad path would, and say exactly what it did.

Reads a pcap of condis-gen frames (IPv4/UDP template, stamp at byte 42: magic, VC id,
sequence; docs/STAMP.md), then, per a seeded plan, drops frames, repeats frames, swaps
neighbours of one VC, moves frames later by a few or by more than the receiver's window,
and drops a VC's last frames (tail loss, seen only with the sender's count). Writes the
impaired pcap and prints, as JSON, the counts condis-gen --rx must report: per VC and in
total, lost, duplicated, reordered and too_late. The plan keeps impairments apart (each
frame touched at most once, moves within one VC's run), so every count is known from
the plan itself, not from a second implementation of the receiver's window.

Usage: pcap-impair.py IN.pcap OUT.pcap SEED WINDOW
"""
import json
import random
import struct
import sys

MAGIC = 0x434E4453  # "CNDS"


def read_pcap(path):
    with open(path, "rb") as f:
        head = f.read(24)
        recs = []
        while True:
            h = f.read(16)
            if len(h) < 16:
                break
            incl = struct.unpack("<IIII", h)[2]
            recs.append((h, f.read(incl)))
    return head, recs


def stamp(data):
    magic, vc, seq = struct.unpack(">IIQ", data[42:58])
    if magic != MAGIC:
        sys.exit("pcap-impair: frame without a condis-gen stamp (IPv4/UDP template expected)")
    return vc, seq


def main():
    src, dst, seed, window = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    rng = random.Random(seed)
    head, recs = read_pcap(src)
    frames = [(stamp(d), h, d) for h, d in recs]
    by_vc = {}
    for i, ((vc, seq), _, _) in enumerate(frames):
        by_vc.setdefault(vc, []).append(i)
    exp = {vc: {"lost": 0, "duplicated": 0, "reordered": 0, "too_late": 0} for vc in by_vc}
    touched = set()
    drop, dup_after, moves = set(), set(), {}  # moves: index -> index it goes after

    def free(*ix):
        return all(j not in touched for j in ix)

    for vc, ix in sorted(by_vc.items()):
        n = len(ix)
        if n < 3 * window:
            sys.exit("pcap-impair: VC %d has %d frames; need %d" % (vc, n, 3 * window))
        # Tail loss: the VC's last 3 frames never arrive.
        for j in ix[-3:]:
            drop.add(j)
            touched.add(j)
        exp[vc]["lost"] += 3
        # A move beyond the window: frame k arrives after k + window + 5 (too late; lost).
        a = ix[100 + vc]
        b = ix[100 + vc + window + 5]
        touched.update((a, b))
        moves[a] = b
        exp[vc]["too_late"] += 1
        exp[vc]["lost"] += 1
        # Impairments in the rest of the run, after the long move's span, each alone.
        pos = 100 + vc + window + 20
        while pos < n - 40:
            kind = rng.choice(["drop", "dup", "swap", "move"])
            j = ix[pos]
            if kind == "drop":
                drop.add(j)
                touched.add(j)
                exp[vc]["lost"] += 1
            elif kind == "dup":
                dup_after.add(j)
                touched.add(j)
                exp[vc]["duplicated"] += 1
            elif kind == "swap":
                k = ix[pos + 1]
                moves[j] = k  # j goes right after k
                touched.update((j, k))
                exp[vc]["reordered"] += 1
            else:
                k = ix[pos + 7]
                moves[j] = k  # j arrives after 7 later frames of its VC
                touched.update(ix[pos:pos + 8])
                exp[vc]["reordered"] += 1
            pos += rng.randint(12, 60)
    # Write: moved frames leave their place and follow their anchor.
    after = {}
    for j, k in moves.items():
        after.setdefault(k, []).append(j)
    out = []
    for i, (_, h, d) in enumerate(frames):
        if i in moves or i in drop:
            pass
        else:
            out.append((h, d))
            if i in dup_after:
                out.append((h, d))
        for j in after.get(i, []):
            out.append((frames[j][1], frames[j][2]))
    with open(dst, "wb") as f:
        f.write(head)
        for h, d in out:
            f.write(h)
            f.write(d)
    tot = {k: sum(e[k] for e in exp.values()) for k in ("lost", "duplicated", "reordered", "too_late")}
    sent = {vc: len(ix) for vc, ix in by_vc.items()}
    print(json.dumps({"vcs": {str(vc): e for vc, e in sorted(exp.items())}, "totals": tot,
                      "frames_out": len(out), "sent_per_vc": sent}))


if __name__ == "__main__":
    main()
