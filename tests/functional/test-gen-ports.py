#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""condis-gen --port-id N,M: several ports in one process, read back from net_pcap files.

Checks that VC v goes out on port v mod K (its frames in that port's capture, read by
tshark: the source port of VC v is 1024 + v), every frame once, per-port totals in the
text and JSON reports agreeing with the device counters and with the captures, two TX
queues per port with --workers 4, a replay split over two ports by flow, and that what
cannot work over several ports is refused with exit 2.

Usage: test-gen-ports.py GEN
"""
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
from collections import Counter

GEN = sys.argv[1]
HERE = os.path.dirname(os.path.abspath(__file__))
fails = []
work = tempfile.mkdtemp(prefix="gen-ports.")
runs = 0


def check(ok, what):
    print(("ok   " if ok else "FAIL: ") + what)
    if not ok:
        fails.append(what)


def gen(eal, args, lcores="0-1"):
    global runs
    runs += 1
    cmd = [GEN, *(["--lcores", lcores] if "@" in lcores else ["-l", lcores]), "--no-huge", "-m", "512", "--no-pci",
           "--file-prefix", "gen-ports-%d-%d" % (os.getpid(), runs), *eal, "--", *args]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout + p.stderr


def sports(path):
    out = subprocess.run(["tshark", "-r", path, "-T", "fields", "-e", "udp.srcport"],
                         capture_output=True, text=True, check=True).stdout
    return Counter(int(x) for x in out.split())


def times(path):
    out = subprocess.run(["tshark", "-r", path, "-T", "fields", "-e", "frame.time_epoch"],
                         capture_output=True, text=True, check=True).stdout
    return [float(x) for x in out.split()]


def pcap_dev(n, files):
    return ["--vdev", "net_pcap%d," % n + ",".join("tx_pcap=" + f for f in files)]


# 1. Two ports, one worker each: VC v on port v mod 2.
f0, f1, js = (os.path.join(work, n) for n in ("p0.pcap", "p1.pcap", "1.json"))
rc, out = gen(pcap_dev(0, [f0]) + pcap_dev(1, [f1]),
              ["--port-id", "0,1", "--vcs", "6", "--count", "100", "--json", js])
check(rc == 0 and "ports net_pcap0,net_pcap1, 6 VC(s), 2 worker(s)" in out,
      "two ports: one worker each by default (rc %d)" % rc)
c0, c1 = sports(f0), sports(f1)
check(c0 == Counter({1024: 100, 1026: 100, 1028: 100}) and
      c1 == Counter({1025: 100, 1027: 100, 1029: 100}),
      "tshark: VCs 0, 2, 4 on port 0 and 1, 3, 5 on port 1, 100 frames each (%s / %s)"
      % (dict(c0), dict(c1)))
j = json.load(open(js))
ports = j["send"]["ports"]
check([p["id"] for p in ports] == [0, 1] and [p["nbs_sent"] for p in ports] == [300, 300] and
      [p["opackets"] for p in ports] == [300, 300] and
      all(p["success_nbs"] == 300 and p["vcs"] == 3 and p["workers"] == 1 for p in ports),
      "JSON ports: 300 frames each, sent, counted by the device, completed SUCCESS")
check(j["send"]["port_counters"]["opackets"] == 600 and
      j["send"]["port_counters"]["device_agrees"] is True and
      j["config"]["port-id"]["value"] == [0, 1], "JSON: the devices' sum agrees; port-id a list")
lines = [l for l in out.splitlines() if l.startswith("port ")]
check(len(lines) == 2 and "nbs_sent=300" in lines[0] and "opackets=300" in lines[1],
      "text: a port line each (%s)" % lines)

# 2. Two ports, two workers each (two TX queues per port).
fs = [os.path.join(work, "q%d.pcap" % i) for i in range(4)]
rc, out = gen(pcap_dev(0, fs[:2]) + pcap_dev(1, fs[2:]),
              ["--port-id", "0,1", "--workers", "4", "--vcs", "8", "--count", "50"],
              lcores="0@0,1@1,2@0,3@1")  # four lcores on two CPUs
per_port = [sports(fs[0]) + sports(fs[1]), sports(fs[2]) + sports(fs[3])]
check(rc == 0 and per_port[0] == Counter({1024 + v: 50 for v in (0, 2, 4, 6)}) and
      per_port[1] == Counter({1024 + v: 50 for v in (1, 3, 5, 7)}) and
      all(sum(sports(f).values()) == 100 for f in fs),
      "--workers 4 over two ports: two queues each, 100 frames per queue, VCs by port")

# 3. A replay over two ports: flow k on VC k, port k mod 2.
cap = os.path.join(work, "mix.pcap")
subprocess.check_call([sys.executable, os.path.join(HERE, "pcap-flows.py"), "write", cap,
                       "3", "200"])
r0, r1, js3 = (os.path.join(work, n) for n in ("r0.pcap", "r1.pcap", "3.json"))
rc, out = gen(pcap_dev(0, [r0]) + pcap_dev(1, [r1]),
              ["--port-id", "0,1", "--pcap", cap, "--pcap-speed", "max", "--json", js3])
flows = json.loads(subprocess.check_output([sys.executable, os.path.join(HERE, "pcap-flows.py"),
                                            "flows", cap]))
want0 = [f for k, f in enumerate(flows) if k % 2 == 0]
want1 = [f for k, f in enumerate(flows) if k % 2 == 1]
got0 = json.loads(subprocess.check_output([sys.executable, os.path.join(HERE, "pcap-flows.py"),
                                           "flows", r0]))
got1 = json.loads(subprocess.check_output([sys.executable, os.path.join(HERE, "pcap-flows.py"),
                                           "flows", r1]))
check(rc == 0 and got0 == want0 and got1 == want1,
      "--pcap over two ports: even flows on port 0, odd on port 1, each whole and in order")

# 3b. A rate over two ports with 3 VCs: each port half of it (not 2/3 and 1/3).
# Judged by the schedule, not by a count in a wall-clock window, which a busy
# CI core can cut short: frame k of a port never leaves before k / 10 kpps
# (a 2/3 share would be early on port 0), and the frames sent span their count
# at 10 kpps (a 1/3 share would span half again as long on port 1). A stall
# delays frames but the schedule catches up, so neither moves.
q0, q1 = os.path.join(work, "h0.pcap"), os.path.join(work, "h1.pcap")
rc, out = gen(pcap_dev(0, [q0]) + pcap_dev(1, [q1]),
              ["--port-id", "0,1", "--vcs", "3", "--rate", "20kpps", "--duration", "0.5"])
for q in (q0, q1):
    ts = times(q)
    early = max((k / 10000 - (t - ts[0]) for k, t in enumerate(ts)), default=1)
    pps = (len(ts) - 1) / (ts[-1] - ts[0]) if len(ts) > 1 and ts[-1] > ts[0] else 0
    check(rc == 0 and len(ts) >= 2500 and early <= 0.0005 and abs(pps - 10000) <= 500,
          "--rate 20kpps over two ports, 3 VCs: %s at 10 kpps (%d frames at %.0f pps, at most %.3f ms early)"
          % (os.path.basename(q), len(ts), pps, early * 1e3))

# 3c. --zero-copy: the frames in protocol memory (libnuma, registered with DPDK, zero-copy
# MDLs) leave as the pool-data frames do, byte for byte but the stamp's timestamp; the
# memory holds every frame of the windows (a window of 64 NBLs of 3 NBs).
def frames(path):
    """The capture's frames, the stamp's timestamp (bytes 58..65, IPv4/UDP) zeroed."""
    out, f = [], open(path, "rb")
    f.read(24)
    while True:
        h = f.read(16)
        if len(h) < 16:
            break
        fr = bytearray(f.read(struct.unpack("<IIII", h)[2]))
        if len(fr) >= 66:
            fr[58:66] = bytes(8)
        out.append(bytes(fr))
    return out


zc = {}
for mode in ("pool", "zero-copy"):
    z0, z1 = (os.path.join(work, "%s%d.pcap" % (mode, i)) for i in (0, 1))
    rc, out = gen(pcap_dev(0, [z0]) + pcap_dev(1, [z1]),
                  ["--port-id", "0,1", "--vcs", "4", "--count", "60", "--nbs-per-nbl", "3",
                   "--frame-size", "64,1000", "--window", "64"] +
                  (["--zero-copy"] if mode == "zero-copy" else []))
    zc[mode] = (rc, out, frames(z0), frames(z1))
rc, out, a0, a1 = zc["zero-copy"]
_, _, b0, b1 = zc["pool"]
mem = [l for l in out.splitlines() if "frames in protocol memory" in l]
buf = 996 + 30                 # a 1000-byte frame without FCS, 30 bytes in (STAMP_ALIGN_OFFSET)
stride = -(-buf // 64) * 64    # cache lines apart
used = (64 * 3 - 1) * stride + buf
check(rc == 0 and zc["pool"][0] == 0 and len(a0) == len(a1) == 120 and a0 == b0 and a1 == b1 and
      "success_nbs=240 " in out.split("total:")[1].splitlines()[0],
      "--zero-copy over two ports: 120 frames each, the same bytes as pool data (%d, %d)"
      % (len(a0), len(a1)))
check(len(mem) == 2 and all(": %d of %d bytes on " % (used, 64 * 3 * stride) in l and
                            "registered with DPDK, DMA map: done" in l for l in mem),
      "--zero-copy: each port's protocol memory holds its window's 192 frames (%s)" % mem)

# 4. Refused: exit 2, a message, nothing sent.
two = ["--vdev", "net_null0", "--vdev", "net_null1"]
for args, msg in [
        (["--port-id", "0,1", "--workers", "3"], "give a multiple of 2"),
        (["--port-id", "0,0"], "bad value '0,0' for --port-id"),
        (["--port-id", "0,1,"], "bad value '0,1,' for --port-id"),
        (["--port-id", "0,1", "--vcs", "1"], "every port needs a VC"),
        (["--port-id", "0,1", "--rx-port", "0"], "--rx-port works on one port"),
        (["--port-id", "0,1", "--event", "reset@0.1"], "--event works on one port"),
        (["--port-id", "0,5"], "port 5 does not exist"),
        (["--port-id", "0,1", "--workers", "4"], "--workers 4 needs 4 lcores"),
        (["--zero-copy", "--pcap", "/dev/null"], "--zero-copy is for the frames condis-gen builds")]:
    rc, out = gen(two, args + ["--duration", "0.2"])
    check(rc == 2 and msg in out and "total:" not in out,
          "refused, exit 2: %s -> %r (rc %d: %s)" % (" ".join(args), msg, rc, out.strip()[-150:]))

shutil.rmtree(work)
print("gen_ports: %d checks failed" % len(fails))
sys.exit(1 if fails else 0)
