#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""condis-gen --json: runs on net_null, validates the real documents against
docs/condis-gen.schema.json (a small validator of the JSON Schema keywords the
schema uses, below) and checks them for consistency: per-VC counts sum to the
totals, completions equal the NBLs sent, latency percentiles are ordered, the
histogram holds every sample. Also --json - (document alone on stdout), the
escaping of odd bytes in strings, --rx, and --stats-period's interval records.
Usage: test-gen-json.py GEN SCHEMA"""
import json
import os
import re
import subprocess
import sys
import tempfile

gen, schema_path = sys.argv[1], sys.argv[2]
schema = json.load(open(schema_path))
fails = 0


def check(cond, what):
    global fails
    print(("ok   " if cond else "FAIL: ") + what)
    if not cond:
        fails += 1
    return cond


# ---- a validator for the keywords the schema uses ----
TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}
KNOWN = {"$schema", "$id", "$defs", "title", "description", "type", "properties", "required",
         "additionalProperties", "items", "enum", "const", "minimum", "oneOf", "$ref"}


def validate(v, s, path="$"):
    """Errors of value v against schema s, as a list of strings."""
    if "$ref" in s:
        assert s["$ref"].startswith("#/$defs/"), s["$ref"]
        return validate(v, schema["$defs"][s["$ref"][8:]], path)
    unknown = set(s) - KNOWN
    assert not unknown, "validator does not know %s" % unknown
    errs = []
    if "type" in s:
        types = s["type"] if isinstance(s["type"], list) else [s["type"]]
        if not any(TYPES[t](v) for t in types):
            return ["%s: %r is not of type %s" % (path, v, types)]
    if "const" in s and v != s["const"]:
        errs.append("%s: %r is not %r" % (path, v, s["const"]))
    if "enum" in s and v not in s["enum"]:
        errs.append("%s: %r not in %r" % (path, v, s["enum"]))
    if "minimum" in s and TYPES["number"](v) and v < s["minimum"]:
        errs.append("%s: %r below %r" % (path, v, s["minimum"]))
    if "oneOf" in s:
        sub_errs = [validate(v, sub, path) for sub in s["oneOf"]]
        ok = [e for e in sub_errs if not e]
        if len(ok) > 1:
            errs.append("%s: matches %d of oneOf's schemas" % (path, len(ok)))
        elif not ok:  # the errors of the branch it came closest to
            errs += min(sub_errs, key=len)
    if isinstance(v, dict):
        props = s.get("properties", {})
        for k in s.get("required", []):
            if k not in v:
                errs.append("%s: missing key %s" % (path, k))
        for k, x in v.items():
            if k in props:
                errs += validate(x, props[k], "%s.%s" % (path, k))
            elif s.get("additionalProperties") is False:
                errs.append("%s: unexpected key %s" % (path, k))
            elif isinstance(s.get("additionalProperties"), dict):
                errs += validate(x, s["additionalProperties"], "%s.%s" % (path, k))
    if isinstance(v, list) and "items" in s:
        for i, x in enumerate(v):
            errs += validate(x, s["items"], "%s[%d]" % (path, i))
    return errs


def self_test():
    """The validator itself catches what it must."""
    good = {"type": "object", "properties": {"a": {"type": "integer", "minimum": 0}},
            "required": ["a"], "additionalProperties": False}
    return (not validate({"a": 1}, good) and validate({"a": True}, good) and
            validate({"a": -1}, good) and validate({}, good) and validate({"a": 1, "b": 2}, good)
            and validate([1.5], {"type": "array", "items": {"type": "integer"}}))


check(self_test(), "the validator rejects wrong types, missing and extra keys, minimum")

# ---- runs ----
work = tempfile.mkdtemp(prefix="gen-json.")
pfx = "gen-json-%d" % os.getpid()
eal = ["-l", "0", "--no-huge", "-m", "256", "--no-pci", "--file-prefix", pfx]


def run(args, timeout=60, vdev="net_null0"):
    p = subprocess.run([gen] + eal + ["--vdev", vdev, "--"] + args, capture_output=True,
                       timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def counters_sum(vcs, key):
    if key == "completions":
        return {s: sum(v["completions"][s] for v in vcs) for s in vcs[0]["completions"]}
    return sum(v[key] for v in vcs)


def check_latency(lat, n, what):
    keys = ["min_ns", "p50_ns", "p90_ns", "p99_ns", "p999_ns", "max_ns"]
    vals = [lat[k] for k in keys]
    check(lat["count"] == n, "%s: latency count %d == %d" % (what, lat["count"], n))
    if n:
        check(all(a <= b for a, b in zip(vals, vals[1:])),
              "%s: min <= p50 <= p90 <= p99 <= p99.9 <= max: %r" % (what, vals))
        check(lat["min_ns"] <= lat["mean_ns"] <= lat["max_ns"], "%s: min <= mean <= max" % what)
    b = lat["histogram"]["buckets"]
    check(sum(x["count"] for x in b) == lat["count"], "%s: histogram holds every sample" % what)
    check(all(x["lower_units"] <= x["upper_units"] for x in b) and
          all(a["upper_units"] < c["lower_units"] for a, c in zip(b, b[1:])),
          "%s: buckets ordered, bounds disjoint" % what)
    if b:
        check(b[0]["lower_ns"] <= lat["min_ns"] + 1e-6 and lat["max_ns"] <= b[-1]["upper_ns"] + 1e-6,
              "%s: min and max within the histogram's bounds" % what)


help_text = subprocess.run([gen, "--help"], capture_output=True, text=True).stdout
help_opts = set(re.findall(r"^  --([a-z0-9-]+)", help_text.split("\n\n")[0], re.M)) - \
    {"help", "version"}

# 1. --count, short last NBLs (1000 frames per VC, 3 NBs per NBL), odd bytes in the file name.
doc_path = os.path.join(os.fsencode(work), b"r\"\\\xc3\xa9\x01\xff.json")
args = ["--vcs", "5", "--count", "1000", "--nbs-per-nbl", "3", "--vlan", "2=100:5",
        "--stats-period", "0", "--json", doc_path]
rc, out, err = run(args)
check(rc == 0, "send run exits 0 (rc %d)" % rc)
try:
    doc = json.load(open(doc_path, encoding="utf-8"))
except (OSError, ValueError) as e:
    print(out.decode(errors="replace"), err.decode(errors="replace"))
    check(False, "the document parses: %s" % e)
    sys.exit(1)
errs = validate(doc, schema)
check(not errs, "send document valid against the schema%s" % ("".join("\n  " + e for e in errs[:10])))
s = doc["send"]
t = s["totals"]
for k in ["nbls_sent", "nbs_sent", "bytes_sent", "nbls_completed", "nbls_in_flight", "success_nbs",
          "completions"]:
    check(counters_sum(s["vcs"], k) == t[k], "per-VC %s sum to the total" % k)
check(sum(t["completions"].values()) == t["nbls_completed"], "completions by status sum to NBLs completed")
check(t["nbls_completed"] == t["nbls_sent"] and t["nbls_in_flight"] == 0,
      "completions equal NBLs sent (%d, %d)" % (t["nbls_completed"], t["nbls_sent"]))
check(t["completions"]["SUCCESS"] == t["nbls_sent"], "every NBL completed SUCCESS")
check(t["nbs_sent"] == 5000 and t["success_nbs"] == 5000, "5 VCs x 1000 frames sent and successful")
check(t["nbls_sent"] == 5 * 334, "short last NBLs: 334 NBLs per VC (%d)" % t["nbls_sent"])
check(s["vcs"][2]["vlan_id"] == 100 and s["vcs"][2]["vlan_prio"] == 5 and s["vcs"][1]["vlan_id"] is None,
      "VC 2 tagged 100:5, VC 1 untagged")
check_latency(s["latency"], t["nbls_completed"], "send")
pc = s["port_counters"]
check(pc["device_agrees"] is True and pc["opackets"] == t["nbs_sent"],
      "net_null counted every frame (opackets %r)" % pc["opackets"])
check(doc["command_line"][1:] == [a if isinstance(a, str) else a.decode("utf-8", "replace") for a in
                                  eal + ["--vdev", "net_null0", "--"] + args],
      "command line round-trips (quote, backslash, control byte, UTF-8, invalid UTF-8)")
check(doc["versions"]["pmd"] == "net_null" and doc["versions"]["dpdk"].startswith("DPDK"),
      "versions: %r" % doc["versions"])
check(set(doc["config"]) == help_opts, "config has every option of --help (missing %s, extra %s)" %
      (help_opts - set(doc["config"]), set(doc["config"]) - help_opts))
c = doc["config"]
check(c["count"]["value"] == 1000 and c["count"]["source"] == "command_line" and
      c["frame-size"]["value"] == 64 and c["frame-size"]["source"] == "default" and
      c["frame-size"]["unit"] == "bytes", "config: values, units, sources")
check(doc["exit_status"] == 0 and doc["verdict"] == "pass", "verdict pass")
check(s["rate_target"] is None, "no rate target unpaced")
check(s["latency_from_schedule"] is None, "no latency from a schedule unpaced")

# 2. --json -: the document alone on stdout, the text report on stderr.
rc, out, err = run(["--vcs", "2", "--count", "100", "--json", "-"])
try:
    d2 = json.loads(out.decode())
except ValueError as e:
    d2 = None
check(rc == 0 and d2 is not None and b"total:" in err and b"total:" not in out,
      "--json -: stdout is the document alone, the text report on stderr")
if d2:
    check(not validate(d2, schema), "--json - document valid")

# 3. A paced run with live statistics: interval records, rate target.
doc3 = os.path.join(work, "paced.json")
rc, out, err = run(["--vcs", "3", "--workers", "1", "--rate", "200kpps", "--duration", "1.6",
                    "--stats-period", "0.5", "--json", doc3])
d3 = json.load(open(doc3))
errs = validate(d3, schema)
check(rc == 0 and not errs, "paced document valid%s" % "".join("\n  " + e for e in errs[:10]))
ls, la = d3["send"]["latency_from_schedule"], d3["send"]["latency"]
check(ls is not None and ls["count"] == la["count"] and ls["min_ns"] >= la["min_ns"] * 0.99 and
      ls["max_ns"] >= la["max_ns"] * 0.99 and ls["p99_ns"] >= la["p99_ns"] * 0.99,
      "paced: latency from the schedule for every NBL, never below the latency from the send")
rt = d3["send"]["rate_target"]
check(rt is not None and rt["target_pps"] == 200000 and abs(rt["error_pct"]) < 5,
      "rate target and error: %r" % ((rt and (rt["target_pps"], rt["error_pct"])),))
check_latency(rt["pacing"]["gaps"], rt["pacing"]["chains"] - 1, "pacing gaps")
lines = [ln for ln in out.decode().splitlines() if ln.startswith("stats: ")]
check(len(lines) >= 2 and all("check=ok" in ln for ln in lines),
      "stats lines printed, device counters agree: %r" % lines[:1])
recs = [json.loads(ln) for ln in open(doc3 + ".intervals.jsonl")]
check(len(recs) == len(lines) and all(r["type"] == "interval" and r["device_agrees"] for r in recs),
      "one JSON line per interval (%d)" % len(recs))
check(all(0 <= r["progress_pct"] <= 100 for r in recs) and
      all(a["progress_pct"] < b["progress_pct"] for a, b in zip(recs, recs[1:])),
      "progress grows within 0..100")
if recs:
    r = recs[len(recs) // 2]
    check(150000 < r["tx_pps"] < 250000 and r["completions"]["SUCCESS"] > 0,
          "an interval's rate near the target: %.0f" % r["tx_pps"])

# 4. --rx on net_null (its frames are not condis-gen's): the rx section, verdict fail.
doc4 = os.path.join(work, "rx.json")
rc, out, err = run(["--rx", "--vcs", "2", "--duration", "0.5", "--rx-idle", "0", "--wait-link", "0",
                    "--json", doc4])
d4 = json.load(open(doc4))
errs = validate(d4, schema)
check(rc == 1 and not errs and d4["mode"] == "rx" and d4["verdict"] == "fail" and
      d4["rx"]["totals"]["foreign"] > 0 and "send" not in d4,
      "rx document valid, fails with foreign frames only%s" % "".join("\n  " + e for e in errs[:10]))

# 4b. Sending and receiving in one process (--rx-port) over a looped net_ring port: the
# send document carries the rx section, every frame back, none lost, repeated or reordered,
# and the wire latency of each one.
doc5 = os.path.join(work, "loop.json")
rc, out, err = run(["--vcs", "4", "--count", "5000", "--frame-size", "128", "--rx-port", "0",
                    "--json", doc5], vdev="net_ring0")
d5 = json.load(open(doc5))
errs = validate(d5, schema)
rt = d5.get("rx", {}).get("totals", {})
check(rc == 0 and not errs and d5["verdict"] == "pass" and rt.get("frames_stamped") == 20000 and
      rt["lost"] == rt["duplicated"] == rt["reordered"] == rt["too_late"] == 0 and rt["sent_known"]
      and d5["rx"]["latency"]["count"] == 20000 and
      all(v["sent"] == 5000 and v["frames"] == 5000 for v in d5["rx"]["vcs"]),
      "--rx-port on a looped port: send document with a valid rx section, all back%s"
      % "".join("\n  " + e for e in errs[:10]))

# 4c. Phases (--phase): each reported apart, its frames near its target, the latency of
# the NBLs completed in it; the document valid; --rate with --phase refused.
doc6 = os.path.join(work, "phases.json")
rc, out, err = run(["--vcs", "4", "--phase", "200kpps@0.6", "--phase", "600kpps@0.6",
                    "--json", doc6])
d6 = json.load(open(doc6))
errs = validate(d6, schema)
ph = d6["send"]["phases"] or []
check(rc == 0 and not errs and len(ph) == 2 and
      all(abs(p["frames_sent"] - p["target_pps"] * p["target_seconds"]) <=
          0.05 * p["target_pps"] * p["target_seconds"] for p in ph) and
      sum(p["latency"]["count"] for p in ph) <= d6["send"]["latency"]["count"] and
      sum(p["frames_sent"] for p in ph) == d6["send"]["totals"]["nbs_sent"],
      "--phase: two phases, each near its target, frames adding up%s: %r"
      % ("".join("\n  " + e for e in errs[:10]), [(p["target_pps"], p["frames_sent"]) for p in ph]))
check(doc["send"]["phases"] is None, "no phases without --phase")
rc, out, err = run(["--phase", "1mpps@1", "--rate", "1mpps"])
check(rc == 2 and b"not with --rate" in err, "--phase with --rate refused")

# 5. A document that breaks the schema is caught.
bad = json.loads(json.dumps(doc))
del bad["send"]["totals"]["nbls_sent"]
bad["send"]["vcs"][0]["nbs_sent"] = "12"
errs = validate(bad, schema)
check(len(errs) == 2 and "missing key nbls_sent" in errs[0] and "vcs[0].nbs_sent" in errs[1],
      "a broken document is rejected, each fault named: %r" % errs)

sys.exit(1 if fails else 0)
