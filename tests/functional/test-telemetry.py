#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Live counters through DPDK telemetry: condis-gen sends and receives over a looped
net_ring port (--rx-port) while this test asks its telemetry socket for the library's
/condis/adapters, /condis/adapter,0 and /condis/vc,0,1, and condis-gen's own
/condis_gen/latency and /condis_gen/rx, and checks the counters move and agree with
each other."""
import glob
import json
import os
import socket
import subprocess
import sys
import time

gen = sys.argv[1]
prefix = "condis-tel-%d" % os.getpid()
run_dirs = ["/var/run/dpdk", os.path.join(os.environ.get("XDG_RUNTIME_DIR", "/tmp"), "dpdk")]
proc = subprocess.Popen([gen, "-l", "0", "--no-huge", "-m", "256", "--no-pci",
                         "--file-prefix", prefix, "--vdev", "net_ring0", "--",
                         "--vcs", "3", "--duration", "4", "--rate", "100000",
                         "--frame-size", "128", "--rx-port", "0"],
                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def query(sock, cmd):
    sock.send(cmd.encode())
    return json.loads(sock.recv(16384).decode())


def fail(msg):
    print("FAIL:", msg)
    proc.kill()
    print(proc.communicate()[0])
    sys.exit(1)


try:
    path = None
    for _ in range(100):
        hits = [p for d in run_dirs for p in glob.glob(os.path.join(d, prefix, "dpdk_telemetry.v2"))]
        if hits:
            path = hits[0]
            break
        time.sleep(0.05)
    if path is None:
        fail("no telemetry socket for prefix %s" % prefix)
    time.sleep(0.5)  # let the generator start sending
    for _ in range(100):  # the file appears a moment before the listener
        s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            s.connect(path)
            break
        except (ConnectionRefusedError, FileNotFoundError):
            s.close()
            time.sleep(0.05)
    else:
        fail("telemetry socket %s never accepted a connection" % path)
    json.loads(s.recv(1024).decode())  # greeting
    ids = query(s, "/condis/adapters")["/condis/adapters"]
    if ids != [0]:
        fail("adapters %r, expected [0]" % ids)
    a1 = query(s, "/condis/adapter,0")["/condis/adapter"]
    v1 = query(s, "/condis/vc,0,1")["/condis/vc"]
    time.sleep(0.5)
    a2 = query(s, "/condis/adapter,0")["/condis/adapter"]
    bad = query(s, "/condis/vc,0,99")["/condis/vc"]
    print("adapter:", a2)
    print("vc 1:", v1)
    if a2["vcs"] != 3 or a2["miniport"] != "ethdev" or a2["tx_queues"] != 1:
        fail("adapter description %r" % a2)
    if not (a2["nbls_sent"] > a1["nbls_sent"] > 0):
        fail("nbls_sent does not grow: %r then %r" % (a1, a2))
    if a2["nbls_completed"] > a2["nbls_sent"] or a2["nbls_failed"] != 0:
        fail("completed/failed inconsistent: %r" % a2)
    if v1["state"] != "active" or v1["nbls_sent"] == 0:
        fail("VC 1: %r" % v1)
    if bad is not None:
        fail("a VC that does not exist answered %r" % bad)
    lat1 = query(s, "/condis_gen/latency")["/condis_gen/latency"]
    rx1 = query(s, "/condis_gen/rx")["/condis_gen/rx"]
    time.sleep(0.3)
    lat2 = query(s, "/condis_gen/latency")["/condis_gen/latency"]
    rx2 = query(s, "/condis_gen/rx")["/condis_gen/rx"]
    print("latency:", lat2)
    print("rx:", rx2)
    for k in ("send_to_completion", "stamp_to_receive"):
        a, b = lat1[k], lat2[k]
        if not (b["count"] > a["count"] > 0):
            fail("%s count does not grow: %r then %r" % (k, a, b))
        if not (b["min_ns"] <= b["p50_ns"] <= b["p90_ns"] <= b["p99_ns"] <= b["p999_ns"]):
            fail("%s percentiles out of order: %r" % (k, b))
    if not (rx2["frames_stamped"] > rx1["frames_stamped"] > 0):
        fail("rx frames do not grow: %r then %r" % (rx1, rx2))
    if rx2["duplicated"] or rx2["reordered"] or rx2["too_late"] or rx2["bad_vc"]:
        fail("a clean loop counted damage: %r" % rx2)
    a3 = query(s, "/condis/adapter,0")["/condis/adapter"]
    if rx2["frames_stamped"] > a3["nbs_tx"]:
        fail("more frames back than sent: %r, then the adapter %r" % (rx2, a3))
    s.close()
finally:
    out = proc.communicate(timeout=30)[0]
if proc.returncode != 0:
    print(out)
    sys.exit(1)
print("PASS")
