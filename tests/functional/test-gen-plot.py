#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""condis-gen --plot DIR: a paced run through a looped net_ring port writes latency.png,
rate.png and completions.png. Each is a valid PNG (signature,
chunk CRCs, 960x540, pixel rows decoded) whose curves or bars are drawn (gnuplot's first
line colour, the bars' colour, present), and the data they were drawn from agree with the
run's own JSON report: every NBL in the send histogram, every frame in the wire one, the
completions by status, the rate near its target. Skips without gnuplot.
Usage: test-gen-plot.py GEN"""
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

gen = sys.argv[1]
if shutil.which("gnuplot") is None:
    print("SKIP: gnuplot not installed (scripts/install-deps.sh installs gnuplot-nox)")
    sys.exit(77)
fails = 0


def check(cond, what):
    global fails
    print(("ok   " if cond else "FAIL: ") + what)
    fails += 0 if cond else 1
    return cond


def png_pixels(path):
    """(width, height, rows of RGB tuples) of an 8-bit RGB/RGBA non-interlaced PNG."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG signature"
    pos, idat, ihdr = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        crc, = struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])
        assert zlib.crc32(kind + body) == crc, "bad CRC in chunk %r" % kind
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    w, h, depth, ctype, _, _, interlace = ihdr
    assert depth == 8 and ctype in (2, 6) and interlace == 0, "unexpected PNG format %r" % (ihdr,)
    bpp = 3 if ctype == 2 else 4
    raw, stride, rows, prev = zlib.decompress(idat), w * bpp, [], bytearray(w * bpp)
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[x * bpp:x * bpp + 3]) for x in range(w)])
        prev = line
    return w, h, rows


def near(px, rgb, tol=40):
    return all(abs(p - q) <= tol for p, q in zip(px, rgb))


def count_colour(rows, rgb):
    return sum(1 for r in rows for px in r if near(px, rgb))


work = tempfile.mkdtemp(prefix="gen-plot.")
try:
    plots, doc = os.path.join(work, "plots"), os.path.join(work, "run.json")
    cmd = [gen, "-l", "0", "--no-huge", "-m", "256", "--no-pci", "--file-prefix",
           "gen-plot-%d" % os.getpid(), "--vdev", "net_ring0", "--", "--rx-port", "0",
           "--vcs", "4", "--frame-size", "128", "--rate", "1mpps", "--duration", "1.5",
           "--plot", plots, "--json", doc]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    check(p.returncode in (0, 1) and "plots: " in p.stdout,
          "the run wrote its plots (exit %d)%s" % (p.returncode, p.stderr[-300:]))
    d = json.load(open(doc))
    s = d["send"]
    for name in ("latency.png", "rate.png", "completions.png"):
        path = os.path.join(plots, name)
        try:
            w, h, rows = png_pixels(path)
        except (OSError, AssertionError, zlib.error) as e:
            check(False, "%s: %s" % (name, e))
            continue
        check((w, h) == (960, 540), "%s is a valid 960x540 PNG" % name)
        # gnuplot's first three line colours; rate.png's curves lie on each other
        drawn = sum(count_colour(rows, c) for c in ((148, 0, 211), (0, 158, 115),
                                                      (86, 180, 233))) \
            if name != "completions.png" else count_colour(rows, (131, 160, 198))
        check(drawn > 300, "%s: the data is drawn (%d pixels of its colour)" % (name, drawn))

    def hist(name):
        return [tuple(map(float, ln.split())) for ln in open(os.path.join(plots, name))
                if not ln.startswith("#")]
    lat = hist("latency.dat")
    check(sum(c for _, _, c in lat) == s["latency"]["count"] == s["totals"]["nbls_completed"],
          "latency.dat holds every NBL's latency (%d)" % s["latency"]["count"])
    check(all(lo < hi for lo, hi, _ in lat), "latency.dat: buckets in ns, each lower < upper")
    wire = hist("wire.dat")
    check(sum(c for _, _, c in wire) == d["rx"]["latency"]["count"] > 0,
          "wire.dat holds every timestamped frame received (%d)" % d["rx"]["latency"]["count"])
    comp = dict(ln.split() for ln in open(os.path.join(plots, "completions.dat")))
    want = s["totals"]["completions"]
    check(len(comp) == 7 and all(int(comp[k]) == want[k] for k in comp) and
          int(comp["SUCCESS"]) == s["totals"]["nbls_completed"],
          "completions.dat: the report's counts by status: %r" % comp)
    rate = [list(map(float, ln.split()[:2])) for ln in open(os.path.join(plots, "rate.dat"))
            if not ln.startswith("#")]
    # The frames of the intervals add up to the frames sent (whatever rate a loaded
    # machine reached): t is each interval's end, the first starts at 0.
    frames = sum(m * 1e6 * (t - (rate[i - 1][0] if i else 0)) for i, (t, m) in enumerate(rate))
    sent = s["totals"]["nbs_sent"]
    check(len(rate) >= 12 and abs(frames - sent) <= 0.03 * sent,
          "rate.dat: an interval every 0.1 s, %d intervals adding up to %.0f of the %d "
          "frames sent" % (len(rate), frames, sent))
finally:
    shutil.rmtree(work)
sys.exit(1 if fails else 0)
