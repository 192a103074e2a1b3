#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""condis-gen --phase RATE@S,size=B,vcs=K and --sweep SIZES@S, read back from net_pcap.

Checks, by tshark on the capture: each phase's frames have its size (the IP and UDP
lengths and the IPv4 header checksum rewritten to match), come only from its first K VCs,
and follow each other phase by phase; the JSON's per-phase frames, sizes and bit rates
agree with the capture, and bytes_sent with the frames' lengths; a sweep at a bit rate
gives each size its own frame rate; bad phases are refused with exit 2.

Usage: test-gen-phases.py GEN
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter

GEN = sys.argv[1]
fails = []
work = tempfile.mkdtemp(prefix="gen-phases.")
runs = 0


def check(ok, what):
    print(("ok   " if ok else "FAIL: ") + what)
    if not ok:
        fails.append(what)


def gen(args, dev="net_null0"):
    global runs
    runs += 1
    cmd = [GEN, "-l", "0", "--no-huge", "-m", "512", "--no-pci",
           "--file-prefix", "gen-phases-%d-%d" % (os.getpid(), runs), "--vdev", dev, "--",
           *args]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout + p.stderr


def fields(path, *names):
    out = subprocess.run(["tshark", "-r", path, "-o", "ip.check_checksum:TRUE", "-T", "fields",
                          *sum((["-e", n] for n in names), [])],
                         capture_output=True, text=True, check=True).stdout
    return [line.split("\t") for line in out.splitlines()]


def runs_of(seq):
    """[(value, count)] of the runs of equal values, in order."""
    out = []
    for x in seq:
        if out and out[-1][0] == x:
            out[-1][1] += 1
        else:
            out.append([x, 1])
    return [tuple(r) for r in out]


# 1. A sweep at 20 kpps: three sizes, one after the other, each its 4000 frames.
cap, js = os.path.join(work, "sweep.pcap"), os.path.join(work, "sweep.json")
rc, out = gen(["--sweep", "64,128,256@0.2", "--rate", "20kpps", "--vcs", "2", "--json", js],
              "net_pcap0,tx_pcap=" + cap)
f = fields(cap, "frame.len", "ip.len", "udp.length", "ip.checksum.status", "frame.time_epoch")
j = json.load(open(js))["send"] if rc == 0 else {"phases": [], "totals": {}}
ph = j["phases"]
check(rc == 0 and [r[0] for r in runs_of(x[0] for x in f)] == ["60", "124", "252"],
      "--sweep: sizes 64, 128, 256 (incl. FCS) one after the other (%s)"
      % runs_of(x[0] for x in f))
check(all(int(x[1]) == int(x[0]) - 14 and int(x[2]) == int(x[0]) - 34 and x[3] == "1"
          for x in f), "every frame's IP and UDP lengths match its size, IPv4 checksum good")
check([p["size_bytes"] for p in ph] == [64, 128, 256] and
      [p["frames_sent"] for p in ph] == [c for _, c in runs_of(x[0] for x in f)] and
      all(p["target_pps"] == 20000 for p in ph),
      "JSON phases: sizes, frames as captured, target 20 kpps (%s)" % [p["frames_sent"] for p in ph])


def step_pps(size):
    """A step's rate from the span of its frames in the capture: a stall on a busy
    core delays frames but the schedule catches up, so the span still fits the count,
    where a count in a wall-clock window would come out short."""
    ts = [float(x[4]) for x in f if x[0] == size]
    return len(ts), ((len(ts) - 1) / (ts[-1] - ts[0]) if len(ts) > 1 and ts[-1] > ts[0] else 0)


steps = [step_pps(s) for s in ("60", "124", "252")]
check(all(n >= 3000 and abs(pps - 20000) <= 1000 for n, pps in steps),
      "each step sent at 20 kpps for its 0.2 s (frames, pps: %s)" % [(n, round(p)) for n, p in steps])
check(j["totals"].get("bytes_sent") == sum(int(x[0]) for x in f),
      "bytes_sent counted: the sum of the captured frames' lengths")
check(all(abs(p["tx_l1_bps"] - p["tx_pps"] * (p["size_bytes"] + 20) * 8) < 1 for p in ph),
      "each step's L1 bit rate from its own size")

# 2. Phases with sizes and VC counts.
cap2, js2 = os.path.join(work, "vcs.pcap"), os.path.join(work, "vcs.json")
rc, out = gen(["--vcs", "3", "--phase", "10kpps@0.2,vcs=1", "--phase", "10kpps@0.2,size=200,vcs=3",
               "--json", js2], "net_pcap0,tx_pcap=" + cap2)
f2 = fields(cap2, "frame.len", "udp.srcport")
first = [x for x in f2 if x[0] == "60"]
second = [x for x in f2 if x[0] == "196"]
check(rc == 0 and len(first) + len(second) == len(f2) and
      f2.index(second[0]) == len(first) if second else False,
      "--phase ...,size=200: the second phase's frames are 200 bytes, after the first's")
check(Counter(x[1] for x in first) == Counter({"1024": len(first)}) and
      set(x[1] for x in second) == {"1024", "1025", "1026"},
      "vcs=1 then vcs=3: only VC 0 sends first, then all three (%s / %s)"
      % (Counter(x[1] for x in first), Counter(x[1] for x in second)))
j2 = json.load(open(js2))["send"] if rc == 0 else {"phases": [{}, {}]}
check([p.get("vcs") for p in j2["phases"]] == [1, 3] and
      [p.get("size_bytes") for p in j2["phases"]] == [None, 200],
      "JSON phases: vcs 1 and 3, sizes run's and 200")

# 3. A sweep as fast as it goes: no target, a rate per step anyway.
rc, out = gen(["--sweep", "64-192/64@0.2"])
lines = [l for l in out.splitlines() if l.startswith("phase ")]
check(rc == 0 and len(lines) == 3 and all("target_pps=none" in l and "error_pct=none" in l
                                          for l in lines) and "size=192" in lines[2],
      "--sweep MIN-MAX/STEP as fast as it goes: three steps, no target (%s)" % lines[-1:])

# 3b. From four VCs to one: the second phase's round robin is the shorter one (it used to
# run on from where the first left off, past its VCs).
cap3 = os.path.join(work, "shrink.pcap")
rc, out = gen(["--vcs", "4", "--phase", "100kpps@0.2", "--phase", "100kpps@0.2,vcs=1"],
              "net_pcap0,tx_pcap=" + cap3)
f3 = [x[0] for x in fields(cap3, "udp.srcport")]
check(rc == 0 and len(f3) >= 39000 and set(f3[:19000]) == {"1024", "1025", "1026", "1027"} and
      set(f3[21000:]) == {"1024"}, "4 VCs then 1: the second phase only VC 0 (rc %d)" % rc)

# 3c. The schedule's latency after an unpaced phase: marked at the send, not 0.
js4 = os.path.join(work, "sched.json")
rc, out = gen(["--vcs", "2", "--phase", "max@0.2", "--phase", "100kpps@0.2", "--json", js4])
ls = json.load(open(js4))["send"]["latency_from_schedule"] if rc == 0 else None
check(ls is not None and ls["count"] > 0 and ls["max_ns"] < 1e9,
      "max@S then a paced phase: schedule latency sane (max %s ns)" % (ls or {}).get("max_ns"))

# 3d. The help's example: 64-1518/64 is 24 steps, MAX the last.
rc, out = gen(["--sweep", "64-1518/64@0.01"])
lines = [l for l in out.splitlines() if l.startswith("phase ")]
check(rc == 0 and len(lines) == 24 and "size=1472 " in lines[22] and "size=1518 " in lines[23],
      "--sweep 64-1518/64: 24 steps, 1472 then 1518 (%d)" % len(lines))

# 3e. A profile's phases give way to the command line's.
prof = os.path.join(work, "ph.ini")
open(prof, "w").write("[condis-gen]\nphase = 1mpps@5\nphase = 2mpps@5\n")
rc, out = gen(["--profile", prof, "--sweep", "64,128@0.1"])
lines = [l for l in out.splitlines() if l.startswith("phase ")]
check(rc == 0 and len(lines) == 2 and "size=128 " in lines[1],
      "--sweep on the command line replaces a profile's phases (rc %d, %d phases)"
      % (rc, len(lines)))

# 4. Refused: exit 2, a message, nothing sent.
for args, msg in [
        (["--sweep", "64-1518/0@1"], "bad value '64-1518/0@1' for --sweep"),
        (["--sweep", "64@1", "--phase", "1mpps@1"], "--sweep sets each step's length"),
        (["--sweep", "64,128@1", "--duration", "3"], "not with --phase, --duration or --count"),
        (["--vcs", "4", "--phase", "1mpps@1,vcs=9"], "vcs=9, but the run has 4 VCs"),
        (["--phase", "1mpps@1,size=40"], "bad value '1mpps@1,size=40' for --phase"),
        (["--phase", "1mpps@1,vcs=2,vcs=3"], "bad value '1mpps@1,vcs=2,vcs=3' for --phase"),
        (["--l4", "tcp", "--sweep", "70@1"], "size 70 is too small"),
        (["--sweep", "64@1", "--rate", "10%"], "--sweep at --rate N%"),
        (["--sweep", "64,128,@1"], "bad value '64,128,@1' for --sweep")]:
    rc, out = gen(args)
    check(rc == 2 and msg in out and "total:" not in out,
          "refused, exit 2: %s -> %r (rc %d: %s)" % (" ".join(args), msg, rc, out.strip()[-150:]))

shutil.rmtree(work)
print("gen_phases: %d checks failed" % len(fails))
sys.exit(1 if fails else 0)
