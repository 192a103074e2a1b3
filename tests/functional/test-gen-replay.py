#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""condis-gen --pcap: a capture of 20 kinds of flows replayed through net_pcap, read back.

Checks that every frame leaves byte for byte, each flow on its own VC and in its order
(one worker: the whole file in order; two workers and three passes: each flow three times
over, whole, in one worker's file), that --vcs N puts flow k on VC k mod N, that tshark
reads the same protocols and lengths in and out, that the file's timestamps are kept (a
pass never ends sooner than the file's span over --pcap-speed), that --rate and
--pcap-speed max pace as said, that pcapng reads as pcap does, that snap-length cuts and
timestamps out of order are counted, and that every bad file or option is refused with
exit 2 and a message before anything is sent.

Usage: test-gen-replay.py GEN
"""
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

GEN = sys.argv[1]
HERE = os.path.dirname(os.path.abspath(__file__))
FLOWS = os.path.join(HERE, "pcap-flows.py")
fails = []
work = tempfile.mkdtemp(prefix="gen-replay.")
runs = 0


def check(ok, what):
    print(("ok   " if ok else "FAIL: ") + what)
    if not ok:
        fails.append(what)


def gen(args, eal=("--vdev", "net_null0"), lcores="0"):
    global runs
    runs += 1
    cmd = [GEN, "-l", lcores, "--no-huge", "-m", "512", "--no-pci",
           "--file-prefix", "gen-replay-%d-%d" % (os.getpid(), runs), *eal, "--", *args]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def frames(path):
    with open(path, "rb") as f:
        nano = struct.unpack("<I", f.read(24)[:4])[0] == 0xA1B23C4D
        out = []
        while True:
            h = f.read(16)
            if len(h) < 16:
                return out
            sec, frac, incl, orig = struct.unpack("<IIII", h)
            out.append((sec + frac * (1e-9 if nano else 1e-6), f.read(incl)))


def flows(path):
    return json.loads(subprocess.check_output([sys.executable, FLOWS, "flows", path]))


def tshark_fields(path):
    return subprocess.run(["tshark", "-r", path, "-T", "fields", "-e", "frame.len",
                           "-e", "eth.type", "-e", "vlan.id", "-e", "ip.proto",
                           "-e", "ipv6.nxt", "-e", "arp.opcode"],
                          capture_output=True, text=True, check=True).stdout


def write_pcap(path, recs, linktype=1):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, linktype))
        for t_us, data, orig in recs:
            f.write(struct.pack("<IIII", t_us // 1000000, t_us % 1000000, len(data), orig))
            f.write(data)


def eth_ipv4_udp(sport, n):
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 28 + n, 0, 0, 64, 17, 0,
                     bytes([198, 18, 0, 1]), bytes([198, 18, 0, 2]))
    return bytes(12) + b"\x08\x00" + ip + struct.pack("!HHHH", sport, 9, 8 + n, 0) + bytes(n)


def report(out, key):
    for line in out.splitlines():
        if line.startswith(key + ": "):
            return dict(kv.split("=", 1) for kv in line[len(key) + 2:].split() if "=" in kv)
    return None


inp = os.path.join(work, "in.pcap")
subprocess.check_call([sys.executable, FLOWS, "write", inp, "7", "600"])
fin = flows(inp)
span = frames(inp)[-1][0] - frames(inp)[0][0]
nbytes = sum(len(d) for _, d in frames(inp))
check(len(fin) == 20, "the capture has 20 flows (%d)" % len(fin))

# 1. One worker, one pass: the file, byte for byte, in order; VC k is flow k.
out1, js1 = os.path.join(work, "out1.pcap"), os.path.join(work, "1.json")
rc, so, se = gen(["--pcap", inp, "--json", js1], ("--vdev", "net_pcap0,tx_pcap=" + out1))
check(rc == 0, "one pass: exit 0 (%d) %s" % (rc, se.strip()[-200:]))
check([d for _, d in frames(out1)] == [d for _, d in frames(inp)],
      "one pass: the frames out are the file's, byte for byte, in its order")
check(tshark_fields(out1) == tshark_fields(inp),
      "tshark: the same lengths, EtherTypes, VLAN ids and protocols in and out")
j = json.load(open(js1))["send"]
check(j["replay"]["flows"] == 20 and j["replay"]["frames"] == 600 and
      j["replay"]["timing"] == "file" and j["replay"]["passes_sent"] == 1,
      "JSON replay: 20 flows, 600 frames, by the file's time, one pass")
check(len(j["vcs"]) == 20 and [v["nbs_sent"] for v in j["vcs"]] == [len(f) for f in fin],
      "VC k sent flow k's frames (flows in the order they first appear)")
check([v["bytes_sent"] for v in j["vcs"]] == [sum(len(x) // 2 for x in f) for f in fin]
      and j["totals"]["bytes_sent"] == nbytes, "bytes per VC and in total as in the file")
check(j["totals"]["completions"]["SUCCESS"] == 600 and j["totals"]["nbls_in_flight"] == 0,
      "every NBL back once, SUCCESS")
tout = frames(out1)
check(tout[-1][0] - tout[0][0] >= 0.95 * span,
      "by the file's timestamps: the pass took %.4f s, the file spans %.4f s"
      % (tout[-1][0] - tout[0][0], span))

# 2. Two workers, three passes: each flow three times, whole and in order, in one file.
oa, ob = os.path.join(work, "2a.pcap"), os.path.join(work, "2b.pcap")
js2 = os.path.join(work, "2.json")
rc, so, se = gen(["--pcap", inp, "--workers", "2", "--pcap-loop", "3", "--pcap-speed", "4",
                  "--json", js2], ("--vdev", "net_pcap0,tx_pcap=%s,tx_pcap=%s" % (oa, ob)),
                 lcores="0-1")
check(rc == 0, "two workers: exit 0 (%d) %s" % (rc, se.strip()[-200:]))
fa, fb = flows(oa), flows(ob)
first = {f[0]: f for f in fa + fb}
check(len(fa) + len(fb) == 20 and all(first.get(f[0]) == f * 3 for f in fin),
      "two workers, three passes: every flow 3 times over, in order, on one queue "
      "(%d + %d flows)" % (len(fa), len(fb)))
j = json.load(open(js2))["send"]
check(j["totals"]["nbs_sent"] == 1800 and j["replay"]["passes_sent"] == 3 and
      j["totals"]["completions"]["SUCCESS"] == 1800, "two workers: 1800 frames, 3 passes")

# 3. --vcs 4: flow k on VC k mod 4.
js3 = os.path.join(work, "3.json")
rc, so, se = gen(["--pcap", inp, "--vcs", "4", "--pcap-speed", "max", "--json", js3])
j = json.load(open(js3))["send"]
want = [sum(len(fin[k]) for k in range(v, len(fin), 4)) for v in range(4)]
check(rc == 0 and [v["nbs_sent"] for v in j["vcs"]] == want,
      "--vcs 4: VC v sent flows v, v+4, ... (%s, want %s)"
      % ([v["nbs_sent"] for v in j["vcs"]], want))
check(j["replay"]["timing"] == "max" and j["rate_target"] is None,
      "--pcap-speed max: no target rate")

# 3b. Spec 50 (docs/CONFORMANCE.md): the NBLs a capture is loaded into once (two copies of
# its 600 frames fill one worker's window of 1088) are resent pass after pass, each only
# once it is back: 7 passes, every frame of every pass out once, every NBL back SUCCESS.
out3b, js3b = os.path.join(work, "out3b.pcap"), os.path.join(work, "3b.json")
rc, so, se = gen(["--pcap", inp, "--pcap-speed", "max", "--pcap-loop", "7", "--json", js3b],
                 ("--vdev", "net_pcap0,tx_pcap=" + out3b))
j = json.load(open(js3b))["send"] if rc == 0 else {"totals": {"completions": {}}}
check(rc == 0 and [d for _, d in frames(out3b)] == [d for _, d in frames(inp)] * 7 and
      j["totals"]["completions"]["SUCCESS"] == 4200 and j["totals"]["nbls_in_flight"] == 0 and
      "loaded per worker" in so and "1200..1200 NBLs" in so,
      "7 passes over 2 copies: the file 7 times in order, 4200 NBLs back SUCCESS")

# 4. Slower than captured, and at --rate.
out4 = os.path.join(work, "out4.pcap")
rc, so, se = gen(["--pcap", inp, "--pcap-speed", "0.5"], ("--vdev", "net_pcap0,tx_pcap=" + out4))
t4 = frames(out4)
check(rc == 0 and len(t4) == 600 and t4[-1][0] - t4[0][0] >= 1.9 * span,
      "--pcap-speed 0.5: the pass took %.4f s, at least twice the file's %.4f s"
      % (t4[-1][0] - t4[0][0], span))
out5, js5 = os.path.join(work, "out5.pcap"), os.path.join(work, "5.json")
rc, so, se = gen(["--pcap", inp, "--rate", "20kpps", "--pcap-loop", "2", "--json", js5],
                 ("--vdev", "net_pcap0,tx_pcap=" + out5))
t5 = frames(out5)
j = json.load(open(js5))["send"]
check(rc == 0 and len(t5) == 1200 and j["rate_target"]["target_pps"] == 20000 and
      j["replay"]["timing"] == "rate" and t5[-1][0] - t5[0][0] >= 0.95 * 1199 / 20000,
      "--rate 20kpps: 1200 frames over %.4f s (at least %.4f)"
      % (t5[-1][0] - t5[0][0], 1199 / 20000))

# 5. pcapng reads as pcap does.
if shutil.which("editcap"):
    ng, out6 = os.path.join(work, "in.pcapng"), os.path.join(work, "out6.pcap")
    subprocess.check_call(["editcap", "-F", "pcapng", inp, ng])
    rc, so, se = gen(["--pcap", ng, "--pcap-speed", "max"],
                     ("--vdev", "net_pcap0,tx_pcap=" + out6))
    check(rc == 0 and [d for _, d in frames(out6)] == [d for _, d in frames(inp)],
          "pcapng: the same frames out, in order")
else:
    check(False, "editcap (wireshark-common) is missing")

# 6. Cut by the snap length, and timestamps out of order: sent, and counted.
odd = os.path.join(work, "odd.pcap")
write_pcap(odd, [(1000, eth_ipv4_udp(1, 100)[:60], 142), (2000, eth_ipv4_udp(1, 10), 52),
                 (1500, eth_ipv4_udp(2, 10), 52), (2500, eth_ipv4_udp(1, 10), 52)])
out7 = os.path.join(work, "out7.pcap")
rc, so, se = gen(["--pcap", odd], ("--vdev", "net_pcap0,tx_pcap=" + out7))
r = report(so, "replay")
check(rc == 0 and r is not None and r["cut_short"] == "1" and r["out_of_order"] == "1" and
      r["flows"] == "2" and len(frames(out7)) == 4 and len(frames(out7)[0][1]) == 60,
      "a cut frame sent as captured, a timestamp out of order counted: %s" % r)

# 6b. Flows the file's way: both fragments of a datagram on one VC (the first one too is
# hashed on its addresses), a priority tag (VID 0) apart from untagged, a 10 s+ gap cut.
def frag(off, more, n):
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + n, 7, (0x2000 if more else 0) | off, 64,
                     17, 0, bytes([198, 18, 0, 1]), bytes([198, 18, 0, 2]))
    return bytes(12) + b"\x08\x00" + ip + bytes(n)


def tagged(vid, frame):
    return frame[:12] + struct.pack("!HH", 0x8100, vid) + frame[12:]


flw = os.path.join(work, "frag.pcap")
write_pcap(flw, [(0, frag(0, True, 48), 82), (10, frag(6, False, 48), 82),
                 (20, eth_ipv4_udp(3, 10), 52), (30, tagged(0, eth_ipv4_udp(3, 10)), 56),
                 (30 + 3600 * 10**6, eth_ipv4_udp(3, 10), 52)])
js8 = os.path.join(work, "8.json")
rc, so, se = gen(["--pcap", flw, "--json", js8])
j = json.load(open(js8))["send"]
check(rc == 0 and j["replay"]["flows"] == 3 and [v["nbs_sent"] for v in j["vcs"]] == [2, 2, 1]
      and j["replay"]["gaps_cut"] == 1 and 10.0 <= j["replay"]["span_s"] < 10.1,
      "fragments on one VC, VID 0 apart from untagged, an hour's gap cut to 10 s: %s %s"
      % ([v["nbs_sent"] for v in j["vcs"]], j["replay"]))

# 6c. A profile's --pcap-speed is overridden by --rate on the command line.
prof = os.path.join(work, "speed.ini")
open(prof, "w").write("[condis-gen]\npcap = in.pcap\npcap-speed = 2\n")
js9 = os.path.join(work, "9.json")
rc, so, se = gen(["--profile", prof, "--rate", "50kpps", "--json", js9])
j = json.load(open(js9))["send"] if rc == 0 else {}
check(rc == 0 and j["replay"]["timing"] == "rate" and j["rate_target"]["target_pps"] == 50000,
      "a profile's pcap-speed, overridden by --rate on the command line (rc %d: %s)"
      % (rc, se.strip()[-200:]))

# 7. Bad files and options: exit 2, a message naming the problem, nothing sent.
raw, tiny, big = (os.path.join(work, n) for n in ("raw.pcap", "tiny.pcap", "big.pcap"))
write_pcap(raw, [(0, bytes(40), 40)], linktype=101)
write_pcap(tiny, [(0, eth_ipv4_udp(1, 10), 52), (1, bytes(10), 10)])
write_pcap(big, [(0, eth_ipv4_udp(1, 9000 - 42), 9000)])
huge = os.path.join(work, "huge.pcap")
write_pcap(huge, [(0, eth_ipv4_udp(1, 65408 - 42), 65408)])
notpcap, empty, cut = (os.path.join(work, n) for n in ("x.pcap", "empty.pcap", "cut.pcap"))
open(notpcap, "wb").write(b"not a capture at all")
open(empty, "wb").write(open(inp, "rb").read()[:24])
open(cut, "wb").write(open(inp, "rb").read()[:5000])
bad = [
    (["--pcap", os.path.join(work, "missing.pcap")], "No such file"),
    (["--pcap", notpcap], "unknown file format"),
    (["--pcap", empty], "no frames"),
    (["--pcap", cut], "truncated"),
    (["--pcap", raw], "not Ethernet"),
    (["--pcap", tiny], "frame 2 has 10 bytes"),
    (["--pcap", huge], "frame 1 has 65408 bytes: a frame takes 14..65407"),
    (["--pcap", big], "raise it with --mtu 8986"),
    (["--pcap", inp, "--frame-size", "128"], "--frame-size is for the frames condis-gen builds"),
    (["--pcap", inp, "--count", "5"], "--pcap-loop N"),
    (["--pcap", inp, "--sweep", "64,128@1"], "--sweep is for the frames condis-gen builds"),
    (["--pcap", inp, "--rx-port", "0"], "--rx-port is for the frames condis-gen builds"),
    (["--pcap", inp, "--rate", "1mpps", "--pcap-speed", "2"], "give one"),
    (["--pcap", inp, "--pcap-speed", "0"], "bad value '0' for --pcap-speed"),
    (["--pcap-loop", "3"], "--pcap-loop is for --pcap FILE"),
]
for args, msg in bad:
    rc, so, se = gen(args)
    check(rc == 2 and msg in so + se and "total:" not in so,
          "refused, exit 2: %s -> %r (rc %d: %s)" % (" ".join(args[-2:]), msg, rc,
                                                    (so + se).strip()[-160:]))

shutil.rmtree(work)
print("gen_replay: %d checks failed" % len(fails))
sys.exit(1 if fails else 0)
