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
bad "bad value 'ipx' for --l3: expected ipv4, ipv6 or none" --l3 ipx
bad "bad value 'sctp' for --l4: expected udp or tcp" --l4 sctp
bad "bad value 'mac' for --flow-vary: expected src-port, dst-port, src-ip, dst-ip, src-mac or dst-mac" --flow-vary mac
bad "bad value '0' for --vary-src-port: expected a decimal integer 1\.\.65536 ports" --vary-src-port 0
bad "bad value 64 for --frame-size: IPv4/TCP frames need 74\.\.65509 bytes incl\. FCS" --l4 tcp --frame-size 64,128
bad "bad value 80 for --frame-size: IPv6/UDP frames need 82\.\.65509 bytes incl\. FCS" --l3 ipv6 --frame-size 80-100
bad "\-\-vcs 40000 x --vary-src-port 2 source ports: more than the 65536" --vcs 40000 --vary-src-port 2
# 5. Raw L2 (--l3 none) and QinQ (--qinq): the frames tshark reads, the stamp at the offset
# docs/STAMP.md gives, a flow per VC, the bytes and wire sizes counted with the tags, --rx.
cap --vcs 4 --count 30 --l3 none --frame-size 64,200 --nbs-per-nbl 3
types=$(ts eth.type | sort | uniq -c | awk '{printf "%s:%s ", $2, $1}')
macs=$(ts eth.src | sort -u | tr '\n' ' ')
lens=$(ts frame.len | sort -n | uniq -c | awk '{printf "%s:%s ", $2, $1}')
st=$(stamps 4 30 14); src=$?
((rc == 0 && src == 0)) && [[ $types == "0x88b5:120 " && $lens == "60:60 196:60 " ]] &&
	[[ $macs == "02:00:00:01:00:00 02:00:00:01:00:01 02:00:00:01:00:02 02:00:00:01:00:03 " ]] &&
	[[ $(ts eth.dst | sort -u) == 02:00:00:00:00:02 ]] &&
	has "^traffic: l3=none l4=none ethertype=0x88b5 flows=4 flow_vary=src-mac flow_first=02:00:00:01:00:00 .* stamp_offset=14 " &&
	has "^total: .*bytes_sent=$(ts frame.len | awk '{s += $1} END {print s}') "
result "--l3 none: EtherType 0x88b5 ($types), a source MAC per VC from 02:00:00:01:00:00, away from the destination's ($macs), sizes $lens, stamps at 14 ($st)"
out=$(timeout 30 "$gen" "${eal[@]}" --vdev "net_pcap0,rx_pcap=$work/t.pcap" -- --rx --vcs 4 --rx-idle 0.5 \
	--l3 none --rx-check-headers 2>&1); rc=$?
((rc == 0)) && has "^rx total: frames=120 stamped=120 lost=0 duplicated=0 reordered=0 too_late=0 foreign=0 " &&
	has "^rx headers: checked=120 bad_header=0 "
result "--rx reads raw L2 back: 120 stamped, each VC's source MAC its own"
out=$(timeout 30 "$gen" "${eal[@]}" --vdev "net_pcap0,rx_pcap=$work/t.pcap" -- --rx --vcs 4 --rx-idle 0.5 \
	--l3 none --flow-vary dst-mac --rx-check-headers 2>&1); rc=$?
((rc == 1)) && has "^rx headers: checked=120 bad_header=120 "
result "--rx-check-headers tells a destination MAC per VC from a source MAC per VC (all 120 differ)"
cap --vcs 16 --count 2 --l3 none --ethertype 0x88b6 --flow-vary dst-mac --flow-random --seed 5
n=$(ts eth.dst | sort -u | wc -l)
((rc == 0 && n == 16)) && [[ $(ts eth.type | sort -u) == 0x88b6 && $(ts eth.dst | cut -c1-11 | sort -u) == "02:00:00:02" ]] &&
	has "flow_vary=dst-mac .*flow_random=1 seed=5 "
result "--ethertype 0x88b6 --flow-vary dst-mac --flow-random: 16 destination MACs ($n) in 02:00:00:02:xx:xx"
cap --vcs 1 --count 1 --l3 none --ethertype 035000
((rc == 0)) && [[ $(ts eth.type) == 0x88b8 ]]
result "--ethertype 035000 is decimal (0x88b8), not octal"

# QinQ: the S-tag outside, each VC's --vlan tag inside (VC 2 its own), both in the frame; the
# IP and L4 checksums good with the tags in front (the miniport parses past both).
for c in "ipv4 udp 50" "ipv4 tcp 62" "ipv6 udp 70" "ipv6 tcp 82" "none - 22"; do
	read -r l3 l4 off <<<"$c"
	l4opt=(); [[ $l4 != - ]] && l4opt=(--l4 "$l4")
	fs=$((off - 8 + 20 > 64 ? off - 8 + 20 : 64)) # the least that holds the stamp, or 64
	cap --vcs 4 --count 24 --qinq 100:3 --vlan 5:1 --vlan 2=7:2 --l3 "$l3" "${l4opt[@]}" \
		--frame-size "$fs,600:3,1" --nbs-per-nbl 2
	tags=$(ts ieee8021ad.id ieee8021ad.priority vlan.id vlan.priority | sort | uniq -c | awk '{printf "%s:%s ", $2, $1}')
	bad=$(tshark -r "$work/t.pcap" -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE \
		-Y "ip.checksum.status == 0 || udp.checksum.status == 0 || tcp.checksum.status == 0 || _ws.malformed || _ws.expert.severity >= error" 2>/dev/null | wc -l)
	good=$(ts ip.checksum.status udp.checksum.status tcp.checksum.status | grep -c 1)
	lens=$(ts frame.len | sort -n | uniq -c | awk '{printf "%s:%s ", $2, $1}')
	st=$(stamps 4 24 "$off"); src=$?
	want_good=96; [[ $l3 == none ]] && want_good=0
	((rc == 0 && src == 0 && bad == 0 && good == want_good)) && [[ $tags == "100,3,5,1:72 100,3,7,2:24 " ]] &&
		[[ $lens == "$((fs - 4 + 8)):72 604:24 " ]] && has "qinq=100:3(0x88a8" && has "stamp_offset=$off " &&
		has "^total: .*bytes_sent=$(ts frame.len | awk '{s += $1} END {print s}') "
	result "--qinq 100:3 --l3 $l3 ${l4opt[*]}: tags S/C $tags, $good frames with their checksums good, bad/malformed $bad, sizes $lens with the tags, stamps at $off ($st)"
done
cap --vcs 4 --count 24 --qinq 100:3 --vlan 5:1 --flow-vary dst-ip
out=$(timeout 30 "$gen" "${eal[@]}" --vdev "net_pcap0,rx_pcap=$work/t.pcap" -- --rx --vcs 4 --rx-idle 0.5 \
	--qinq 100:3 --vlan 5:1 --flow-vary dst-ip --rx-check-headers 2>&1); rc=$?
((rc == 0)) && has "^rx total: frames=96 stamped=96 lost=0 duplicated=0 reordered=0 too_late=0 foreign=0 " &&
	has "^rx headers: checked=96 bad_header=0 "
result "--rx reads QinQ frames back past both tags: 96 stamped, each VC's destination address its own"
out=$(timeout 30 "$gen" "${eal[@]}" --vdev net_null0 -- --count 1 --rate 1gbps --qinq 1:0 --vlan 2:0 2>&1); rc=$?
((rc == 0)) && has "--rate 1gbps: 1358695\.7 frames/s of 92 bytes on the wire (L1)$" && has "mean_wire_l2=72\.000"
result "--rate 1gbps with --qinq: 64 B frames take 92 B on the wire (8 of tags)"
bad "\-\-qinq puts each VC's --vlan tag inside the S-tag, and VC 1 has none" --vcs 2 --qinq 10:0 --vlan 0=5:0
bad "bad value '4095:0' for --qinq: expected VID:PRIO, decimal, VID 0\.\.4094, PRIO 0\.\.7" --qinq 4095:0 --vlan 1:0
bad "\-\-l4 fills an IP or L4 header: --l3 none sends raw L2 frames" --l3 none --l4 tcp
bad "\-\-udp-sport fills an IP or L4 header" --l3 none --udp-sport 5
bad "\-\-flow-vary src-port: --l3 none has no IP or L4 header; give src-mac or dst-mac" --l3 none --flow-vary src-port
bad "\-\-ethertype is for --l3 none" --ethertype 0x88b6
bad "bad value '0x0800' for --ethertype: expected 0x0600\.\.0xffff" --l3 none --ethertype 0x0800
bad "bad value '0x5ff' for --ethertype" --l3 none --ethertype 0x5ff
bad "bad value '0x88a8' for --ethertype" --l3 none --ethertype 0x88a8
out=$(timeout 30 "$gen" "${eal[@]}" --vdev "net_pcap0,tx_pcap=$work/m.pcap" -- --count 1 --qinq 1:0 --vlan 2:0 --frame-size 1518 2>&1); rc=$?
((rc == 2)) && has "frames of 1518 bytes incl\. FCS and --qinq's 8 bytes of tags .* do not fit port net_pcap0: its MTU 1500 allows --frame-size up to 1510; raise it with --mtu 1508"
result "--qinq: a 1518-byte frame is 1526 with its tags, refused at MTU 1500 (up to 1510, or --mtu 1508)"
bad "VC 2's source MAC would be the destination MAC 02:00:00:00:00:02" --l3 none --vcs 3 --src-mac 02:00:00:00:00:00
bad "VC 0's destination MAC would be the source MAC 02:00:00:00:00:01" --flow-vary dst-mac --dst-mac 02:00:00:00:00:01
bad "bad value 65509 for --frame-size: IPv4/UDP frames need 62\.\.65501 bytes" --frame-size 65509 --qinq 1:1 --vlan 1:1
bad "size 65505 is too large: IPv4/UDP frames need 62\.\.65501" --sweep 64,65505@1 --qinq 1:1 --vlan 1:1
out=$(timeout 30 "$gen" "${eal[@]}" --vdev "net_pcap0,rx_pcap=$work/t.pcap" -- --rx --vcs 4 --rx-idle 0.5 --qinq 100:3 2>&1); rc=$?
((rc == 0)) && has "^rx total: frames=96 stamped=96 lost=0 "
result "--rx --qinq needs no --vlan: the receiver reads past the tags, not their VIDs"
exit $((fails != 0))
