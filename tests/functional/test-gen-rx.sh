#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# condis-gen --rx counts what a path does to the frames, exactly (issue "condis-gen
# measurement"): a capture of 4 VCs x 8000 frames (net_pcap) read back clean reports zero
# lost, duplicated and reordered on every VC; the same capture impaired on purpose by
# pcap-impair.py (seeded drops, repeats, swaps, short and long moves, tail loss) reports
# exactly the counts the impairment plan made, per VC, for three seeds; the JSON report
# carries the same numbers and the port's own drops apart. Then --rx-port: sending and
# receiving in one process, through nothing (net_null) and through a kernel veth pair.
# Usage: test-gen-rx.sh GEN
set -uo pipefail
gen=$1
here=$(dirname "$0")
pfx=gen-rx-$$
eal=(-l 0 --no-huge -m 256 --no-pci --file-prefix "$pfx")
work=$(mktemp -d /tmp/gen-rx.XXXXXX)
trap 'rm -rf "$work"' EXIT
fails=0 out= rc=0
VCS=4 COUNT=8000

result() {
	if (($? == 0)); then
		echo "ok   $1"
	else
		echo "FAIL: $1: rc=$rc"; echo "$out" | tail -8; fails=$((fails + 1))
	fi
}
has() { grep -q -- "$1" <<<"$out"; }
run() { # TIMEOUT ARGS...
	local t=$1
	shift
	out=$(timeout "$t" "$gen" "$@" 2>&1)
	rc=$?
}
rx() { # PCAP JSON
	run 60 "${eal[@]}" --vdev "net_pcap0,rx_pcap=$1" -- --rx --vcs $VCS --count $COUNT \
		--rx-idle 0.5 --json "$2"
}

run 60 "${eal[@]}" --vdev "net_pcap0,tx_pcap=$work/tx.pcap" -- --vcs $VCS --count $COUNT
((rc == 0))
result "sender: $VCS VCs x $COUNT frames captured"

rx "$work/tx.pcap" "$work/clean.json"
((rc == 0)) && has "^rx total: frames=$((VCS * COUNT)) stamped=$((VCS * COUNT)) lost=0 duplicated=0 reordered=0 too_late=0 " &&
	has "^rx receiver: ipackets=$((VCS * COUNT)) imissed=0 ierrors=0 rx_nombuf=0 "
result "clean capture: every VC complete, nothing lost, repeated or reordered"
window=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["rx"]["totals"]["window"])' \
	"$work/clean.json" 2>/dev/null)
[[ "$window" =~ ^[0-9]+$ ]]
result "the report names its window ($window sequence numbers)"

for seed in 1 2 3; do
	expect=$(python3 "$here/pcap-impair.py" "$work/tx.pcap" "$work/bad$seed.pcap" "$seed" "$window")
	rx "$work/bad$seed.pcap" "$work/bad$seed.json"
	cmp=$(python3 - "$work/bad$seed.json" "$expect" <<'PY'
import json, sys
got = json.load(open(sys.argv[1]))["rx"]
exp = json.loads(sys.argv[2])
bad = []
for v in got["vcs"]:
    e = exp["vcs"][str(v["id"])]
    for k in ("lost", "duplicated", "reordered", "too_late"):
        if v[k] != e[k]:
            bad.append("vc %d %s: %d, expected %d" % (v["id"], k, v[k], e[k]))
for k in ("lost", "duplicated", "reordered", "too_late"):
    if got["totals"][k] != exp["totals"][k]:
        bad.append("total %s: %d, expected %d" % (k, got["totals"][k], exp["totals"][k]))
if got["totals"]["frames_stamped"] != exp["frames_out"]:
    bad.append("frames %d, expected %d" % (got["totals"]["frames_stamped"], exp["frames_out"]))
print("; ".join(bad) if bad else "same " + json.dumps(exp["totals"]))
PY
)
	out="$out"$'\n'"$cmp"
	((rc == 1)) && [[ "$cmp" == same* ]] && has "FAIL: .* frames lost" && has "FAIL: .* frames duplicated" &&
		has "FAIL: .* frames reordered" && has "FAIL: .* too_late\|FAIL: .* sequence numbers late"
	result "impaired capture, seed $seed: ${cmp}"
done

# Without --count the receiver cannot see the tail: 3 fewer lost per VC.
expect=$(python3 "$here/pcap-impair.py" "$work/tx.pcap" "$work/bad9.pcap" 9 "$window")
run 60 "${eal[@]}" --vdev "net_pcap0,rx_pcap=$work/bad9.pcap" -- --rx --vcs $VCS --rx-idle 0.5 \
	--json "$work/bad9.json"
lost_nocount=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["rx"]["totals"]["lost"])' "$work/bad9.json")
lost_plan=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["totals"]["lost"])' "$expect")
((rc == 1 && lost_nocount == lost_plan - 3 * VCS))
result "without --count the tail loss is not seen ($lost_nocount = $lost_plan - $((3 * VCS)))"

# --rx-check-headers: every frame's flow field (here its UDP source port) must be its VC's:
# five frames rewritten on the way to another VC's port are caught, the clean capture passes.
python3 - "$work/tx.pcap" "$work/rewritten.pcap" <<'PY'
import struct, sys
data = bytearray(open(sys.argv[1], "rb").read())
pos, n, done = 24, 0, 0
while pos + 16 <= len(data):
    incl = struct.unpack("<I", data[pos + 8:pos + 12])[0]
    if n % 1000 == 500 and done < 5:
        frame = pos + 16
        sport = struct.unpack(">H", data[frame + 34:frame + 36])[0]
        data[frame + 34:frame + 36] = struct.pack(">H", sport + 1)  # the next VC's port
        done += 1
    pos += 16 + incl
    n += 1
open(sys.argv[2], "wb").write(data)
PY
run 60 "${eal[@]}" --vdev "net_pcap0,rx_pcap=$work/tx.pcap" -- --rx --vcs $VCS --count $COUNT \
	--rx-idle 0.5 --rx-check-headers
((rc == 0)) && has "^rx headers: checked=$((VCS * COUNT)) bad_header=0 "
result "--rx-check-headers: the clean capture's $((VCS * COUNT)) frames all carry their VC's flow"
run 60 "${eal[@]}" --vdev "net_pcap0,rx_pcap=$work/rewritten.pcap" -- --rx --vcs $VCS \
	--count $COUNT --rx-idle 0.5 --rx-check-headers
((rc == 1)) && has "^rx headers: checked=$((VCS * COUNT)) bad_header=5 " &&
	has "^rx total: .* lost=0 duplicated=0 reordered=0 " && has "FAIL: 5 frames whose flow field"
result "--rx-check-headers: 5 frames rewritten to another VC's port are caught, nothing else"
run 30 "${eal[@]}" --vdev net_null0 -- --rx-check-headers
((rc == 2)) && has "needs --rx or --rx-port"
result "--rx-check-headers alone is refused"

# --rx-queues: two receive queues, as RSS would fill them, each VC on one (net_pcap: one
# queue per rx_pcap file): every VC exact and on its queue; a VC whose frames come on
# both queues is named.
python3 - "$work/tx.pcap" "$work/q0.pcap" "$work/q1.pcap" "$work/q1split.pcap" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
head, recs, pos = data[:24], [], 24
while pos + 16 <= len(data):
    incl = struct.unpack("<I", data[pos + 8:pos + 12])[0]
    recs.append(data[pos:pos + 16 + incl])
    pos += 16 + incl
vc = lambda r: struct.unpack(">I", r[16 + 46:16 + 50])[0]
q0 = [r for r in recs if vc(r) in (0, 1)]
q1 = [r for r in recs if vc(r) in (2, 3)]
# VC 0's last frame on the other queue
last0 = [r for r in q0 if vc(r) == 0][-1]
split = q1 + [last0]
for path, rs in ((sys.argv[2], [r for r in q0 if r is not last0]),
                 (sys.argv[3], q1), (sys.argv[4], split)):
    open(path, "wb").write(head + b"".join(rs))
PY
run 60 "${eal[@]}" --vdev "net_pcap0,rx_pcap=$work/q0.pcap,rx_pcap=$work/q1.pcap" -- --rx --vcs $VCS \
	--count $COUNT --rx-idle 0.5 --rx-queues 2
# q0.pcap lacks VC 0's last frame (it went to q1split.pcap): one lost, on VC 0
((rc == 1)) && has "^rx vc 0: .* lost=1 .* rx_queue=0$" && has "^rx vc 2: .* lost=0 .* rx_queue=1$" &&
	has "^rx total: frames=$((VCS * COUNT - 1)) "
result "--rx-queues 2: each VC counted on its own queue, a frame missing from one queue lost"
run 60 "${eal[@]}" --vdev "net_pcap0,rx_pcap=$work/q0.pcap,rx_pcap=$work/q1split.pcap" -- --rx \
	--vcs $VCS --count $COUNT --rx-idle 0.5 --rx-queues 2
((rc == 0 || rc == 1)) && has "^rx vc 0: .* lost=0 .* rx_queue=0+$" && has "^rx queues: 1 VC(s) came on more than one"
result "--rx-queues 2: a VC whose frames came on both queues is named"

# Sending and receiving in one process (--rx-port): one clock, every VC's frames expected
# back by the count the sender knows. A receive port that gets none of them (net_null's
# own frames) fails with all of them lost; the option's misuses are refused.
run 60 "${eal[@]}" --vdev net_null0 --vdev net_null1 -- --rx-port 1 --vcs 2 --count 1000
((rc == 1)) && has "^rx total: .* lost=2000 " && has "foreign=[1-9]" &&
	has "condis-gen --rx-port: FAIL: 2000 frames lost"
result "--rx-port: a receive port that gets nothing back: every frame sent lost, exit 1"
run 30 "${eal[@]}" --vdev net_ring0 -- --rx-port 0 --workers 2
((rc == 2)) && has "takes one worker"
result "--rx-port on the sending port refuses two workers"
run 30 "${eal[@]}" --vdev net_ring0 -- --rx --rx-port 0
((rc == 2)) && has "is for sending"
result "--rx with --rx-port is refused"

# The kernel in between: a veth pair in a namespace of this test's, net_af_packet on each
# end, one process: every frame back, and the wire latency on one clock (root only).
if [[ $(id -u) == 0 ]] && command -v ip >/dev/null && ip netns add "$pfx" 2>/dev/null; then
	trap 'ip netns del "$pfx" 2>/dev/null; rm -rf "$work"' EXIT
	ip -n "$pfx" link add v0 type veth peer name v1 && ip -n "$pfx" link set v0 up &&
		ip -n "$pfx" link set v1 up
	out=$(timeout 60 ip netns exec "$pfx" "$gen" "${eal[@]}" --vdev net_af_packet0,iface=v0 \
		--vdev net_af_packet1,iface=v1 -- --rx-port 1 --vcs 4 --count 2000 --rate 20kpps \
		--frame-size 128 --wait-link 2 2>&1)
	rc=$?
	((rc == 0)) && has "^rx total: frames=[0-9]* stamped=8000 lost=0 duplicated=0 reordered=0 too_late=0 " &&
		has "^rx latency_ns: count=8000 "
	result "--rx-port across a kernel veth pair (af_packet): all 8000 back, wire latency of each"
	ip netns del "$pfx"
else
	echo "skip --rx-port across a kernel veth pair: needs root and ip netns"
fi

echo "gen_rx: $fails failed"
((fails == 0))
