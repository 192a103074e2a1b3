#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Rate vs VC count from a matrix.sh CSV, as a standalone SVG (python3 stdlib only).

usage: plot-svg.py MATRIX.csv OUT.svg [TITLE]
One line per (frame size, NBs/NBL, NBLs/chain, workers): median Mpps, min-max as a bar;
x axis log2(VCs).
"""
import csv
import math
import sys
from xml.sax.saxutils import escape

COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
          "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    rows = list(csv.DictReader(open(sys.argv[1])))
    title = sys.argv[3] if len(sys.argv) > 3 else "condis-gen on net_null: rate vs VCs"
    series = {}
    for r in rows:
        key = (int(r["frame_size"]), int(r["nbs_per_nbl"]), int(r["nbls_per_chain"]),
               int(r["workers"]))
        series.setdefault(key, []).append((int(r["vcs"]), float(r["mpps_min"]),
                                           float(r["mpps_median"]), float(r["mpps_max"])))
    if not series:
        sys.exit("no rows")
    W, H, L, R, T, B = 960, 480, 70, 400, 40, 50
    pw, ph = W - L - R, H - T - B
    xs = sorted({p[0] for s in series.values() for p in s})
    xmin, xmax = math.log2(min(xs)), math.log2(max(xs))
    if xmax == xmin:
        xmax = xmin + 1
    ymax = max(p[3] for s in series.values() for p in s)
    step = 10 ** math.floor(math.log10(ymax)) if ymax > 0 else 1
    ymax = math.ceil(ymax / step) * step or 1

    def X(v):
        return L + (math.log2(v) - xmin) / (xmax - xmin) * pw

    def Y(v):
        return T + ph - v / ymax * ph

    o = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
         f'font-family="sans-serif" font-size="12">',
         f'<rect width="{W}" height="{H}" fill="white"/>',
         f'<text x="{L}" y="22" font-size="14">{escape(title)}</text>']
    for i in range(6):
        v = ymax * i / 5
        y = Y(v)
        o.append(f'<line x1="{L}" y1="{y:.1f}" x2="{L + pw}" y2="{y:.1f}" stroke="#ddd"/>')
        o.append(f'<text x="{L - 6}" y="{y + 4:.1f}" text-anchor="end">{v:g}</text>')
    for v in xs:
        x = X(v)
        o.append(f'<line x1="{x:.1f}" y1="{T}" x2="{x:.1f}" y2="{T + ph}" stroke="#eee"/>')
        o.append(f'<text x="{x:.1f}" y="{T + ph + 16}" text-anchor="middle">{v}</text>')
    o.append(f'<rect x="{L}" y="{T}" width="{pw}" height="{ph}" fill="none" stroke="black"/>')
    o.append(f'<text x="{L + pw / 2}" y="{H - 12}" text-anchor="middle">VCs (log scale)</text>')
    o.append(f'<text transform="translate(18,{T + ph / 2}) rotate(-90)" '
             f'text-anchor="middle">Mpps (median; bar = min..max)</text>')
    for i, (key, pts) in enumerate(sorted(series.items())):
        c = COLORS[i % len(COLORS)]
        pts.sort()
        path = " ".join(f"{X(p[0]):.1f},{Y(p[2]):.1f}" for p in pts)
        o.append(f'<polyline points="{path}" fill="none" stroke="{c}" stroke-width="2"/>')
        for p in pts:
            o.append(f'<line x1="{X(p[0]):.1f}" y1="{Y(p[1]):.1f}" x2="{X(p[0]):.1f}" '
                     f'y2="{Y(p[3]):.1f}" stroke="{c}"/>')
            o.append(f'<circle cx="{X(p[0]):.1f}" cy="{Y(p[2]):.1f}" r="3" fill="{c}"/>')
        fs, nbs, nbls, wk = key
        label = f"{fs} B, {nbs} NB/NBL x {nbls} NBL/chain, {wk} worker{'s' if wk > 1 else ''}"
        ly = T + 14 + i * 18
        o.append(f'<line x1="{L + pw + 12}" y1="{ly - 4}" x2="{L + pw + 32}" y2="{ly - 4}" '
                 f'stroke="{c}" stroke-width="2"/>')
        o.append(f'<text x="{L + pw + 38}" y="{ly}">{escape(label)}</text>')
    o.append("</svg>")
    with open(sys.argv[2], "w") as f:
        f.write("\n".join(o) + "\n")


if __name__ == "__main__":
    main()
