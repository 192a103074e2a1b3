#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# What each VC sends (issue "condis-gen traffic"): captured to net_pcap and read back with tshark
# (and a pcap reader for the stamps). A flow per VC (--flow-vary, --flow-random, --vary-src-port),
# the size mix of --frame-size lists exact over whole cycles and random sizes seeded, IPv4/IPv6 x
# UDP/TCP with valid checksums, every frame stamped at its template's offset; bad values refused.
# Usage: test-gen-traffic.sh GEN
set -uo pipefail
gen=$1
pfx=gen-traffic-$$
eal=(-l 0 --no-huge -m 256 --no-pci --file-prefix "$pfx")
work=$(mktemp -d /tmp/gen-traffic.XXXXXX)
trap 'rm -rf "$work"' EXIT
fails=0 out= rc=0
if ! command -v tshark >/dev/null; then
	echo "SKIP: tshark not installed"
	exit 77
fi

result() {
	if (($? == 0)); then
		echo "ok   $1"
	else
		echo "FAIL: $1: rc=$rc"; echo "$out" | tail -5; fails=$((fails + 1))
	fi
}
has() { grep -q -- "$1" <<<"$out"; }
# cap ARGS...: a run to $work/t.pcap; output in $out, status in $rc
cap() {
	rm -f "$work/t.pcap"
	out=$(timeout 60 "$gen" "${eal[@]}" --vdev "net_pcap0,tx_pcap=$work/t.pcap" -- "$@" 2>&1)
	rc=$?
}
ts() { # tshark fields of $work/t.pcap, checksums checked
	local f=()
	for e in "$@"; do f+=(-e "$e"); done
	tshark -r "$work/t.pcap" -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE \
		-o udp.check_checksum:TRUE -T fields -E separator=, "${f[@]}" 2>/dev/null
}
flows() { ts ip.src ipv6.src ip.dst ipv6.dst udp.srcport tcp.srcport udp.dstport tcp.dstport | sort -u | wc -l; }
# stamps VCS COUNT STAMP_OFFSET: every frame has the stamp at its offset, VC ids below VCS,
# each VC's sequence 0..COUNT-1 in order
stamps() {
	python3 - "$work/t.pcap" "$@" <<'EOF'
import struct, sys
path, vcs, count, off = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
f = open(path, "rb"); f.read(24); nxt = [0] * vcs; bad = 0; n = 0
while True:
    h = f.read(16)
    if len(h) < 16: break
    fr = f.read(struct.unpack("<IIII", h)[2]); n += 1
    if fr[off:off + 4] != b"CNDS": bad += 1; continue
    vc, seq = struct.unpack_from("!IQ", fr, off + 4)
    if vc >= vcs or seq != nxt[vc]: bad += 1; continue
    nxt[vc] += 1
print(n, bad, *nxt)
sys.exit(0 if bad == 0 and all(x == count for x in nxt) else 1)
EOF
}

# 1. A flow per VC: the capture holds exactly --vcs distinct 5-tuples, in every template.
for c in "src-port ipv4 udp" "dst-port ipv4 tcp" "src-ip ipv4 udp" "dst-ip ipv6 udp" "src-ip ipv6 tcp"; do
	read -r field l3 l4 <<<"$c"
	cap --vcs 8 --count 40 --flow-vary "$field" --l3 "$l3" --l4 "$l4"
	n=$(flows)
	((rc == 0 && n == 8)) && has "^traffic: l3=$l3 l4=$l4 .* flows=8 flow_vary=$field "
	result "--flow-vary $field --l3 $l3 --l4 $l4: 8 VCs, $n distinct flows"
done
cap --vcs 6 --count 20
((rc == 0)) && [[ $(flows) == 6 ]] && [[ $(ts udp.srcport | sort -un | tr '\n' ' ') == "1024 1025 1026 1027 1028 1029 " ]] &&
	has "flow_vary=src-port flow_first=1024 flow_step=1 "
result "default: source port 1024 + VC id"
cap --vcs 64 --count 4 --flow-random --flow-vary dst-port --seed 11
n=$(flows)
((rc == 0 && n == 64)) && has "flow_random=1 seed=11 " && ! has "shapes the pacing"
result "--flow-random --seed 11: 64 distinct flows ($n), the seed printed"
first=$(ts udp.dstport | head -1)
cap --vcs 64 --count 4 --flow-random --flow-vary dst-port --seed 11
[[ $(ts udp.dstport | head -1) == "$first" ]]
result "--flow-random: the same seed, the same ports"
cap --vcs 4 --count 60 --vary-src-port 5 --nbs-per-nbl 3
n=$(ts udp.srcport | sort -u | wc -l)
per=$(ts udp.srcport | sort | uniq -c | awk '{print $1}' | sort -u | tr '\n' ' ')
((rc == 0 && n == 20)) && [[ $per == "12 " ]] && has "vary_src_port=5"
result "--vary-src-port 5 with 4 VCs: 20 source ports ($n), 12 frames each ($per)"

# 2. Sizes: a weighted list in smooth weighted round robin, exact over whole cycles; the
# report's bytes, mix and mean; NBs of one NBL differ in size.
cap --vcs 3 --count 120 --frame-size 64,594,1518:7,4,1 --nbs-per-nbl 5
mix=$(ts frame.len | sort -n | uniq -c | awk '{printf "%s:%s ", $2, $1}')
bytes=$(ts frame.len | awk '{s += $1} END {print s}')
((rc == 0)) && [[ $mix == "60:210 590:120 1514:30 " ]] &&
	has "^total: .*bytes_sent=$bytes " && has "sizes=64:7,594:4,1518:1 cycle=12 mean_frame=361\.833 "
result "--frame-size 64,594,1518:7,4,1, 10 cycles x 3 VCs: $mix, bytes_sent=$bytes"
# every VC's sizes repeat with the cycle, and no size comes twice in a row more than 64 does
per_vc=$(ts udp.srcport frame.len | awk -F, '{ s[$1] = s[$1] " " $2 } END { for (v in s) print s[v] }' | sort -u)
[[ $(wc -l <<<"$per_vc") == 1 ]] &&
	awk '{ for (i = 13; i <= NF; i++) if ($i != $(i - 12)) exit 1; for (i = 2; i <= NF; i++) if ($i > 60 && $i == $(i - 1)) exit 1 }' <<<"$per_vc"
result "the mix: the same order per VC, every 12 frames, large sizes spread"
stamps 3 120 42 >/dev/null
result "the mix: every frame stamped, per-VC sequence in order"
out=$(timeout 30 "$gen" "${eal[@]}" --vdev "net_pcap0,rx_pcap=$work/t.pcap" -- --rx --vcs 3 --rx-idle 0.5 2>&1); rc=$?
((rc == 0)) && has "^rx total: frames=360 stamped=360 lost=0 duplicated=0 reordered=0 too_late=0 "
result "--rx reads the mix back: 360 frames, none lost"
# --rx reads every template's stamp (docs/STAMP.md offsets)
for c in "ipv4 tcp" "ipv6 udp" "ipv6 tcp"; do
	read -r l3 l4 <<<"$c"
	cap --vcs 4 --count 25 --l3 "$l3" --l4 "$l4"
	out=$(timeout 30 "$gen" "${eal[@]}" --vdev "net_pcap0,rx_pcap=$work/t.pcap" -- --rx --vcs 4 --rx-idle 0.5 2>&1); rc=$?
	((rc == 0)) && has "^rx total: frames=100 stamped=100 lost=0 duplicated=0 reordered=0 too_late=0 "
	result "--rx reads $l3/$l4 frames back: 100 stamped, none lost"
done
out=$(timeout 30 "$gen" "${eal[@]}" --vdev net_null0 -- --count 1 --rate 1gbps --frame-size 64,594,1518:7,4,1 2>&1); rc=$?
((rc == 0)) && has "--rate 1gbps: 327368\.0 frames/s of 381\.833 bytes on the wire (L1)$"
result "--rate 1gbps with the mix: the mean wire size over the cycle (381.833 B L1)"
cap --vcs 2 --count 500 --frame-size 100-200 --seed 9
lens=$(ts frame.len | md5sum)
n=$(ts frame.len | sort -u | wc -l)
range=$(ts frame.len | sort -n | sed -n '1p;$p' | tr '\n' ' ')
((rc == 0 && n > 50)) && awk -v r="$range" 'BEGIN { split(r, a, " "); exit !(a[1] >= 96 && a[2] <= 196) }' &&
	has "sizes=100-200 random_cycle=4096 seed=9 " && has "^total: .*bytes_sent=$(ts frame.len | awk '{s += $1} END {print s}') "
result "--frame-size 100-200 --seed 9: $n sizes within 96..196 B without FCS ($range)"
cap --vcs 2 --count 500 --frame-size 100-200 --seed 9
[[ $(ts frame.len | md5sum) == "$lens" ]]
result "--frame-size 100-200: the same seed, the same sizes"

# 3. Templates: every frame parses, checksums valid (IPv4 header always; UDP over IPv4 carries 0,
# the rest are the library's), the stamp at the template's offset.
for c in "ipv4 udp 42" "ipv4 tcp 54" "ipv6 udp 62" "ipv6 tcp 74"; do
	read -r l3 l4 off <<<"$c"
	cap --vcs 3 --count 24 --l3 "$l3" --l4 "$l4" --frame-size "$((off + 20)),600,1518:2,1,1" --nbs-per-nbl 2
	n=$(ts frame.number | wc -l)
	l3ok=$( [[ $l3 == ipv4 ]] && ts ip.checksum.status | grep -cx 1 || echo "$n")
	l4ok=$(ts "$l4.checksum.status" | grep -cx "$([[ $l3$l4 == ipv4udp ]] && echo 3 || echo 1)")
	bad=$(tshark -r "$work/t.pcap" -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE \
		-Y "ip.checksum.status == 0 || udp.checksum.status == 0 || tcp.checksum.status == 0 || _ws.malformed || _ws.expert.severity >= error" 2>/dev/null | wc -l)
	st=$(stamps 3 24 "$off")
	src=$?
	((rc == 0 && n == 72 && l3ok == 72 && l4ok == 72 && bad == 0 && src == 0)) && has "stamp_offset=$off "
	result "--l3 $l3 --l4 $l4: $n frames, IP checksum good $l3ok, $l4 checksum $( [[ $l3$l4 == ipv4udp ]] && echo zero || echo good) $l4ok, bad/malformed $bad, stamps at $off ($st)"
done
cap --vcs 2 --count 10 --l3 ipv6 --l4 tcp
((rc == 0)) && has "sizes=94:1 " && [[ $(ts frame.len | sort -u) == 90 ]]
result "--l3 ipv6 --l4 tcp without --frame-size: the least that holds the stamp, 94 B"

# 4. Bad values name the option, the range and the unit.
bad() { # EXPECTED-PATTERN ARGS...
	local p=$1; shift
	out=$(timeout 30 "$gen" "${eal[@]}" --vdev net_null0 -- --count 1 "$@" 2>&1); rc=$?
	((rc == 2)) && has "$p" && ! has "^total:"
	result "$* refused"
}
fs="expected a decimal integer 62\.\.65509 bytes, a list of them with"
bad "bad value '64,594:1' for --frame-size: $fs" --frame-size 64,594:1
bad "bad value '64,128:0,1' for --frame-size: $fs" --frame-size 64,128:0,1
bad "bad value '64:70000' for --frame-size: $fs" --frame-size 64:70000
bad "bad value '1518-64' for --frame-size: $fs" --frame-size 1518-64
bad "bad value '61,64' for --frame-size: $fs" --frame-size 61,64
bad "bad value '64,,128' for --frame-size: $fs" --frame-size 64,,128
bad "bad value 'ipx' for --l3: expected ipv4 or ipv6" --l3 ipx
bad "bad value 'sctp' for --l4: expected udp or tcp" --l4 sctp
bad "bad value 'mac' for --flow-vary: expected src-port, dst-port, src-ip or dst-ip" --flow-vary mac
bad "bad value '0' for --vary-src-port: expected a decimal integer 1\.\.65536 ports" --vary-src-port 0
bad "bad value 64 for --frame-size: IPv4/TCP frames need 74\.\.65509 bytes incl\. FCS" --l4 tcp --frame-size 64,128
bad "bad value 80 for --frame-size: IPv6/UDP frames need 82\.\.65509 bytes incl\. FCS" --l3 ipv6 --frame-size 80-100
bad "\-\-vcs 40000 x --vary-src-port 2 source ports: more than the 65536" --vcs 40000 --vary-src-port 2
exit $((fails != 0))
