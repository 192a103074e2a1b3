#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Memory against time from a soak CSV, as a standalone SVG (python3 stdlib only).

usage: plot-soak.py SOAK.csv OUT.svg [TITLE]
Three panels over the run: process RSS (MiB), DPDK heap in use (MiB) and epochs
completed (millions); flat RSS and heap lines are the result.
"""
import csv
import sys
from xml.sax.saxutils import escape

W, PANEL_H, LEFT, RIGHT, TOP, GAP = 760, 150, 80, 20, 40, 50


def panel(out, y0, xs, ys, label, color, x_max, min_span, floor=None):
    """One series; the y range spans at least min_span, so that a flat line
    looks flat rather than magnified noise."""
    lo, hi = min(ys), max(ys)
    if hi - lo < min_span:
        mid = (hi + lo) / 2
        lo, hi = mid - min_span / 2, mid + min_span / 2
    span = hi - lo
    lo, hi = lo - 0.1 * span, hi + 0.1 * span
    if floor is not None:
        lo = max(lo, floor)
    pw = W - LEFT - RIGHT

    def px(x):
        return LEFT + pw * x / x_max

    def py(y):
        return y0 + PANEL_H - PANEL_H * (y - lo) / (hi - lo)

    out.append(f'<rect x="{LEFT}" y="{y0}" width="{pw}" height="{PANEL_H}" '
               'fill="none" stroke="#999"/>')
    for k in range(5):
        v = lo + (hi - lo) * k / 4
        out.append(f'<text x="{LEFT - 6}" y="{py(v) + 4:.1f}" font-size="11" '
                   f'text-anchor="end">{v:.2f}</text>')
    out.append(f'<text x="{LEFT + 6}" y="{y0 + 14}" font-size="12">{escape(label)}</text>')
    pts = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in zip(xs, ys))
    out.append(f'<polyline fill="none" stroke="{color}" stroke-width="1.5" points="{pts}"/>')


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    with open(sys.argv[1], newline="") as f:
        rows = [r for r in csv.DictReader(f)]
    if len(rows) < 2:
        sys.exit("plot-soak.py: fewer than two samples")
    t = [float(r["seconds"]) for r in rows]
    series = [  # values, label, color, least y span, y floor
        ([int(r["rss_kib"]) / 1024 for r in rows], "RSS (MiB)", "#1f77b4", 8, 0),
        ([int(r["heap_bytes"]) / 2**20 for r in rows], "DPDK heap in use (MiB)", "#d62728",
         4, 0),
        ([int(r["epochs"]) / 1e6 for r in rows], "epochs done (millions)", "#2ca02c", 1, 0),
    ]
    title = sys.argv[3] if len(sys.argv) > 3 else "condis soak"
    h = TOP + len(series) * (PANEL_H + GAP) + 10
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{h}" '
           'font-family="sans-serif">',
           f'<rect width="{W}" height="{h}" fill="white"/>',
           f'<text x="{W / 2}" y="22" font-size="15" text-anchor="middle">{escape(title)}</text>']
    x_max = max(t) or 1
    for i, (ys, label, color, min_span, floor) in enumerate(series):
        y0 = TOP + i * (PANEL_H + GAP)
        panel(out, y0, t, ys, label, color, x_max, min_span, floor)
        for k in range(7):
            x = x_max * k / 6
            xp = LEFT + (W - LEFT - RIGHT) * k / 6
            out.append(f'<text x="{xp:.1f}" y="{y0 + PANEL_H + 16}" font-size="11" '
                       f'text-anchor="middle">{x / 60:.0f} min</text>')
    out.append("</svg>")
    with open(sys.argv[2], "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
