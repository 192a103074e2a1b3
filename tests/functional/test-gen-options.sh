#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# condis-gen refuses bad option values with exit 2 and a message naming the option, the value,
# the accepted range and unit, and sends nothing; a valid run completes every NBL it sent.
# Also: frames the port cannot send are refused, a run where nothing completed SUCCESS fails,
# --rx stops by itself and fails on foreign VCs, loss, duplicates and reordering, EAL defaults fill in
# around the user's EAL options, and no run leaves anything in the EAL runtime directory.
# Usage: test-gen-options.sh GEN
set -uo pipefail
gen=$1
pfx=gen-opt-$$
eal=(-l 0 --no-huge -m 256 --no-pci --file-prefix "$pfx")
null=(--vdev net_null0)
work=$(mktemp -d /tmp/gen-opt.XXXXXX)
trap 'rm -rf "$work"' EXIT
if [ "$(id -u)" = 0 ]; then rundir=/var/run/dpdk; else rundir=${XDG_RUNTIME_DIR:-/tmp}/dpdk; fi
ours() { ls "$rundir" 2>/dev/null | grep -c "^$pfx"; } # entries this script's runs made
before=$(ours)
fails=0 out= rc=0 pid=0

# result DESCRIPTION: passes if the command before it succeeded
result() {
	if (($? == 0)); then
		echo "ok   $1"
	else
		echo "FAIL: $1: rc=$rc"; echo "$out" | tail -5; fails=$((fails + 1))
	fi
}
has() { grep -q -- "$1" <<<"$out"; }
# run SECONDS ARGS...: condis-gen's output in $out, exit status in $rc, process id in $pid
run() {
	local t=$1; shift
	out=$(timeout "$t" bash -c 'echo $$ >"$0"; exec "$@"' "$work/pid" "$gen" "$@" 2>&1)
	rc=$?
	pid=$(cat "$work/pid")
}
left() { [ -e "$rundir/condis-gen-$pid" ]; } # the embedded default's prefix is still there

expect_bad() { # option value expected-pattern
	run 30 "${eal[@]}" "${null[@]}" -- "$1" "$2"
	((rc == 2)) && has "bad value '$2' for $1: expected $3" && ! has "^total:"
	result "$1 $2 refused"
}

expect_bad --count -1 "a decimal integer 1\.\.[0-9]* frames per VC" # strtoull: 2^64 - 1
expect_bad --vcs 0 "a decimal integer 1\.\.65536 VCs"
expect_bad --vcs " -5" "a decimal integer"
expect_bad --vcs 0x10 "a decimal integer"
expect_bad --udp-sport 70000 "a decimal integer 0\.\.65535 UDP port" # wider than its field
expect_bad --frame-size 61 "a decimal integer 62\.\."
expect_bad --nbls-per-chain 12x "a decimal integer 1\.\.1024 NBLs"

# Review item 8: every option names itself (the names came from a table in another order).
expect_bad --wait-link junk "a decimal number 0\.\.3600 seconds"
expect_bad --rx-idle junk "a decimal number 0\.\.3600 seconds"
printf '[condis-gen]\nvcs = 2\nlinger = junk\n' >"$work/bad.ini"
run 30 "${eal[@]}" "${null[@]}" -- --profile "$work/bad.ini"
((rc == 2)) && has "profile $work/bad.ini: bad value 'junk' for key 'linger': expected a decimal number 0\.\.3600 seconds"
result "profile error names file, key, value and range"
run 30 "${eal[@]}" "${null[@]}" -- --profile "$work/missing.ini"
((rc == 2)) && has "$work/missing.ini: No such file or directory"
result "missing profile says why"

# Review item 9: values that mean nothing.
expect_bad --duration nan "a decimal number 0\.\.[0-9]* seconds"  # never stopped
expect_bad --duration inf "a decimal number 0\.\.[0-9]* seconds"  # sent nothing
expect_bad --rate nan "a decimal number 0\.\.[0-9]* frames/s"     # ran flat out
expect_bad --linger 4295 "a decimal number 0\.\.3600 seconds"      # overflowed
expect_bad --vlan 4294967297:1 "VID:PRIO or VC=VID:PRIO"           # put VLAN 1 on the wire
expect_bad --vlan 100:5x "VID:PRIO or VC=VID:PRIO"
run 30 "${eal[@]}" "${null[@]}" -- --vcs 4 --vlan 9=100:5 --count 10
((rc == 2)) && has "no VC 9 with 4 VCs" && ! has "^total:"
result "--vlan on a VC that does not exist"
run 30 "${eal[@]}" "${null[@]}" -- --vcs 010 --count 1
((rc == 0)) && has ", 10 VC(s)" && has "^total:.* completed=10 success=10 "
result "--vcs 010 is decimal"
printf '[condis-gen]\nrx = false\nduration = 1\nvcs = 2\ncount = 5\n' >"$work/rx-false.ini"
run 30 "${eal[@]}" "${null[@]}" -- --profile "$work/rx-false.ini"
((rc == 0)) && has "^total:.* completed=10 success=10 "
result "profile rx = false sends"
printf '[condis-gen]\nrx = maybe\n' >"$work/rx-maybe.ini"
run 30 "${eal[@]}" "${null[@]}" -- --profile "$work/rx-maybe.ini"
((rc == 2)) && has "bad value 'maybe' for key 'rx': expected true/false"
result "profile rx = maybe refused"
run 30 "${eal[@]}" "${null[@]}" -- --rate 4 --duration 1 # below one 32-NBL chain per second
n=$(sed -n 's/^total:.* nbs_sent=\([0-9]*\) .*/\1/p' <<<"$out")
((rc == 0)) && ((${n:-0} >= 3 && ${n:-0} <= 6))
result "--rate 4 for 1 s sends about 5 frames (${n:-none})"

# Issue "condis-gen traffic" 2-3: the pacer keeps its schedule and reports against the target;
# --rate takes units (L1 bits count 20 bytes of preamble/IFG per frame) and % of the link.
run 30 "${eal[@]}" "${null[@]}" -- --rate 100000 --duration 1
e=$(sed -n 's/^send: pps=[0-9.]* interval_s=[0-9.]* target_pps=100000\.0 error_pct=\([-+0-9.]*\) .*/\1/p' <<<"$out")
((rc == 0)) && [ -n "$e" ] && awk -v e="$e" 'BEGIN { exit !(e > -5 && e < 5) }' # loose: a loaded machine stalls
result "--rate 100000: send line with target and error (${e:-none} %)"
# --rate in each unit, resolved to frames/s before the run (64-byte frames: 84 bytes on the wire
# at L1, 64 at L2; a tag adds 4; frames under 60 bytes are padded to 60 before the FCS).
rate_is() { # DESCRIPTION PATTERN ARGS...: the run prints PATTERN before sending
	local d=$1 p=$2; shift 2
	run 30 "${eal[@]}" "${null[@]}" -- --count 1 "$@"
	((rc == 0)) && has "$p" && has "^total:"
	result "$d"
}
rate_is "--rate 12.5mpps" "^condis-gen: --rate 12.5mpps: 12500000\.0 frames/s$" --rate 12.5mpps
rate_is "--rate 2.5Mpps (units are case-blind)" ": 2500000\.0 frames/s$" --rate 2.5Mpps
rate_is "--rate 800kpps" ": 800000\.0 frames/s$" --rate 800kpps
rate_is "--rate 100pps" ": 100\.0 frames/s$" --rate 100pps
rate_is "--rate 250000 (plain: frames/s)" ": 250000\.0 frames/s$" --rate 250000
rate_is "--rate 25gbps: L1, 84 B per 64-byte frame" \
	": 37202381\.0 frames/s of 84 bytes on the wire (L1)$" --rate 25gbps
rate_is "--rate 100mbps" ": 148809\.5 frames/s of 84 bytes on the wire (L1)$" --rate 100mbps
rate_is "--rate 1.5gbps" ": 2232142\.9 frames/s of 84 bytes on the wire (L1)$" --rate 1.5gbps
rate_is "--rate 1gbps, 105-byte frames: 125 B (+ 20 B preamble/SFD/IFG)" \
	": 1000000\.0 frames/s of 125 bytes on the wire (L1)$" --rate 1gbps --frame-size 105
rate_is "--rate 25gbps-l2: frame + FCS, 64 B" \
	": 48828125\.0 frames/s of 64 bytes on the wire (L2)$" --rate 25gbps-l2
rate_is "--rate 1.024gbps-l2 resolved with the --frame-size given after it" \
	": 1000000\.0 frames/s of 128 bytes on the wire (L2)$" --rate 1.024gbps-l2 --frame-size 128
rate_is "--rate 1gbps-l2 --vlan: the tag counts (68 B)" \
	": 1838235\.3 frames/s of 68 bytes on the wire (L2)$" --rate 1gbps-l2 --vlan 100:5
rate_is "--rate 1gbps-l2 --vlan on 1 of 4 VCs: 65 B per frame on average" \
	": 1923076\.9 frames/s of 65 bytes on the wire (L2)$" --rate 1gbps-l2 --vlan 2=100:5
rate_is "--rate 1gbps-l2 --frame-size 62: padded to 60 + FCS" \
	": 1953125\.0 frames/s of 64 bytes on the wire (L2)$" --rate 1gbps-l2 --frame-size 62
run 30 "${eal[@]}" "${null[@]}" -- --rate 25gbps --count 1
((rc == 0)) && has "^send: .* target_pps=37202381\.0 .* wire_bytes=84 layer=L1 " &&
	has "^pacing: shape=smooth "
result "--rate 25gbps: send line with target, wire size and layer; pacing line"
# % of the link: net_null reports a constant 10 Gb/s, not a wire: refused unless --link-speed.
run 30 "${eal[@]}" "${null[@]}" -- --rate 40% --count 1
((rc == 2)) && has "rate 40% needs the link speed, and port net_null0 reports 10000 Mb/s" &&
	has "give --link-speed" && ! has "^total:"
result "--rate 40% on net_null refused: its link speed is a placeholder"
rate_is "--rate 40% --link-speed 25gbps" \
	": 14880952\.4 frames/s of 84 bytes on the wire (L1), 40% of 25000 Mb/s$" \
	--rate 40% --link-speed 25gbps
rate_is "--rate 50% --link-speed 1000 (Mb/s)" ": 744047\.6 frames/s of 84 bytes" \
	--rate 50% --link-speed 1000
expect_bad --rate 101% "a decimal number 0\.\.[0-9]* frames/s, or one with a unit"
expect_bad --rate 10gbit "a decimal number 0\.\.[0-9]* frames/s, or one with a unit: pps, kpps"
expect_bad --rate "5 mpps" "a decimal number 0\.\.[0-9]* frames/s, or one with a unit"
expect_bad --rate -5mpps "a decimal number 0\.\.[0-9]* frames/s, or one with a unit"
expect_bad --rate 1e400 "a decimal number 0\.\.[0-9]* frames/s, or one with a unit"
expect_bad --link-speed 0 "a decimal number with a unit: 0\.001\.\.10000gbps"
expect_bad --link-speed 25gbit "a decimal number with a unit: 0\.001\.\.10000gbps"
run 30 "${eal[@]}" "${null[@]}" -- --rate 1000gbps
((rc == 2)) && has "rate 1000gbps is 1488095238 frames/s of 84 bytes: more than 1000000000" &&
	! has "^total:"
result "--rate above 1e9 frames/s refused"

# Pacing shapes: smooth (default), --burst N, --pacing poisson (seed printed); each without
# --rate is refused; the pacing line says how even the chains were.
run 30 "${eal[@]}" "${null[@]}" -- --rate 100kpps --burst 8 --duration 0.5
((rc == 0)) && has "pacing burst, chains of 8 NBLs every 80\.000 us" &&
	has "^pacing: shape=burst burst=8 min_chain_nbls=8 .* chain_frames_mean=8\.00 chain_frames_max=8 "
result "--burst 8: chains of exactly 8 NBLs"
run 30 "${eal[@]}" "${null[@]}" -- --rate 100kpps --pacing poisson --seed 42 --duration 0.5
((rc == 0)) && has "pacing poisson, .*seed 42$" && has "^pacing: shape=poisson seed=42 "
result "--pacing poisson --seed 42: the seed printed"
run 30 "${eal[@]}" "${null[@]}" -- --rate 100kpps --pacing poisson --duration 0.2
((rc == 0)) && has "^pacing: shape=poisson seed=[0-9]* "
result "--pacing poisson: a seed chosen and printed"
run 30 "${eal[@]}" "${null[@]}" -- --rate 20kpps --duration 0.5
# (How even it was depends on the machine's stalls: tests/bench/rate-accuracy.sh measures it.)
((rc == 0)) && has "^pacing: shape=smooth min_chain_nbls=1 chains=[1-9][0-9]* chain_frames_mean=[0-9.]* "
result "--rate 20kpps smooth: chains wait for 1 NBL"
expect_bad --pacing bursty "smooth or poisson"
expect_bad --burst 0 "a decimal integer 1\.\.1024 NBLs"
expect_bad --seed -1 "a decimal integer 0\.\.18446744073709551615"
for o in "--burst 8" "--pacing poisson" "--seed 7"; do
	# shellcheck disable=SC2086 # option and value
	run 30 "${eal[@]}" "${null[@]}" -- $o --count 1
	((rc == 2)) && has "${o%% *} shapes the pacing of --rate: give a rate" && ! has "^total:"
	result "$o without --rate refused"
done

# Every option with a value names itself in its error (a table in another order once named the
# wrong one from --wait-link on), with the range and unit --help prints.
"$gen" --help >"$work/help.txt"
opts_with_value=$(sed -n '/^$/q; s/^  --\([a-z-]*\) [^ ].*/\1/p' "$work/help.txt") # the options block
n=0 bad=
for o in $opts_with_value; do
	[[ $o == profile || $o == json || $o == plot || $o == pcap ]] && continue # a file name
	n=$((n + 1))
	out=$("$gen" "--$o" "z@junk" 2>&1); rc=$?
	((rc == 2)) && has "^condis-gen: bad value 'z@junk' for --$o: expected" || bad+=" $o"
done
rc=0 out="refused with the wrong name:$bad"
[[ -z $bad ]] && ((n >= 25))
result "each of $n options with a value names itself in its error"
bad=
while read -r o lo hi unit; do # the [lo..hi unit] --help prints under an option
	big=$(awk -v h="$hi" 'BEGIN { printf "%.0f", h + 1 }')
	[[ $hi == 18446744073709551615 ]] && big=18446744073709551616
	out=$("$gen" "--$o" "$big" 2>&1); rc=$?
	((rc == 2)) && has "for --$o: expected a decimal [a-z]* $lo\.\.$hi $unit" || bad+=" $o=$big"
done < <(awk '/^$/ { exit } /^  --[a-z-]+ [^ ]/ { o = substr($1, 3) } $1 == "--rate" { o = "" }
	/^ +\[[0-9.]+\.\.[0-9]+ [a-z]/ { if (o != "") { r = $0; sub(/^ +\[/, "", r); sub(/\]$/, "", r)
		split(r, a, " "); split(a[1], b, "\\.\\."); u = r; sub(/^[^ ]* /, "", u)
		print o, b[1], b[2], u; o = "" } }' "$work/help.txt")
rc=0 out="wrong range:$bad"
[[ -z $bad ]]
result "one past each --help maximum is refused with that range and unit"

# Review item 10: frames the port cannot send; --help and the parser agree.
max=$("$gen" --help | sed -n '/--frame-size/,/\]/s/.*\[62\.\.\([0-9]*\) bytes\]/\1/p')
expect_bad --frame-size $((${max:-0} + 1)) "a decimal integer 62\.\.${max:-none} bytes"
run 30 "${eal[@]}" "${null[@]}" -- --frame-size "${max:-0}" --count 1
! has "bad value"
result "--frame-size ${max:-?} (the --help maximum) passes the parser"
run 30 "${eal[@]}" "${null[@]}" -- --frame-size 9000 --count 10
((rc == 2)) && has "allows --frame-size up to 1518" && has "--mtu 8982" && ! has "^total:"
result "--frame-size 9000 refused for MTU 1500"
run 30 "${eal[@]}" "${null[@]}" -- --frame-size 9000 --mtu 8982 --count 10
((rc == 0)) && has "^total:.* completed=40 success=40 "
result "--frame-size 9000 --mtu 8982 sends"
# A memif server without a peer takes nothing: every NBL completes PAUSED (at close).
run 30 "${eal[@]}" --vdev "net_memif0,role=server,socket=$work/memif.sock,socket-abstract=no" \
	-- --count 10 --wait-link 0 --drain 0.2
((rc == 1)) && has "none of the 40 NBLs sent completed SUCCESS"
result "nothing completed SUCCESS: exit 1"
# Review item 7: pools larger than the EAL's memory are refused, not a crash.
run 60 "${eal[@]}" "${null[@]}" -- --window 1048576 --nbs-per-nbl 64 --duration 0.2
((rc == 1)) && has "cannot allocate pools of 1048576 NBLs" && has "(-m)"
result "pools too large for -m: exit 1 with the sizes"

# Review item 11: nothing left behind, with the embedded default's prefix too.
run 30 -- --count 10
((rc == 0)) && ! left
result "default run leaves no runtime directory"
run 30 -- --frame-size 9000
((rc == 2)) && ! left
result "error exit (rte_exit) leaves no runtime directory"
timeout 30 bash -c 'echo $$ >"$0"; exec "$@"' "$work/pid" "$gen" -- --duration 20 >"$work/sig.out" 2>&1 &
bg=$!
for _ in $(seq 100); do grep -q "live counters" "$work/sig.out" && break; sleep 0.1; done
pid=$(cat "$work/pid")
kill -INT "$pid"
wait "$bg"
rc=$? out=$(cat "$work/sig.out")
((rc == 0)) && has "^total:" && ! left
result "SIGINT: report, exit 0, no runtime directory"
mkdir -p "$rundir/$pfx-kept"
run 30 -l 0 --file-prefix "$pfx-kept" -- --count 1
((rc == 0)) && [ -d "$rundir/$pfx-kept" ]
result "a runtime directory found in place is kept"
rm -rf "${rundir:?}/$pfx-kept"
out=$("$gen" --help)
has "file-prefix=condis-gen-<pid>"
result "--help tells the embedded default's prefix"

# Review item 12: --rx stops by itself, and its exit status is the verdict.
run 30 -- --rx
((rc == 1)) && has "no condis-gen frame arrived"
result "--rx with no peer stops, and fails"
out=$("$gen" --help)
has "It stops on SIGINT" && has "It fails if"
result "--help says what stops --rx and what fails it"
run 30 "${eal[@]}" --vdev "net_pcap0,tx_pcap=$work/tx.pcap" -- --vcs 4 --count 100
rec=$((($(stat -c %s "$work/tx.pcap" 2>/dev/null || echo 24) - 24) / 400)) # bytes per frame record
{ head -c $((24 + rec)) "$work/tx.pcap"; tail -c +$((24 + 2 * rec + 1)) "$work/tx.pcap"; } >"$work/lost.pcap"
{ head -c $((24 + 2 * rec)) "$work/tx.pcap"; tail -c +$((24 + rec + 1)) "$work/tx.pcap"; } >"$work/dup.pcap"
rx() { run 30 "${eal[@]}" --vdev "net_pcap0,rx_pcap=$work/$1" -- --rx --vcs "$2" --rx-idle 0.5; }
rx tx.pcap 4
((rc == 0)) && has "^rx total: frames=400 stamped=400 lost=0 duplicated=0 reordered=0 too_late=0 " && has "latency_ns: unavailable: .*no timestamp"
result "--rx: 64-byte frames pass, latency unavailable"
rx tx.pcap 2
((rc == 1)) && has "bad_vc=200 " && has "FAIL: 200 frames for VCs"
result "--rx: frames of VCs it does not expect fail"
rx lost.pcap 4
((rc == 1)) && has "lost=1 " && has "FAIL: 1 frames lost"
result "--rx: a lost frame fails"
rx dup.pcap 4
((rc == 1)) && has "duplicated=1 " && has "lost=0 " && has "FAIL: 1 frames duplicated"
result "--rx: a duplicated frame fails"

# Issue "condis-gen traffic" 1: --count is exact when NBs per NBL do not divide it (the last NBL
# of a VC is short); the capture has exactly that many frames, in order, and the report says so.
run 30 "${eal[@]}" --vdev "net_pcap0,tx_pcap=$work/short.pcap" -- --vcs 2 --count 1237 --nbs-per-nbl 3
((rc == 0)) && has "^vc 1: nbls_sent=413 nbs_sent=1237 .* success_nbs=1237 " &&
	has "^total: .*nbs_sent=2474 .* success_nbs=2474 "
result "--count 1237 --nbs-per-nbl 3: report says 1237 frames per VC"
rx short.pcap 2
((rc == 0)) && has "^rx total: frames=2474 stamped=2474 lost=0 duplicated=0 reordered=0 too_late=0 "
result "--count 1237 --nbs-per-nbl 3: 2474 frames captured, none lost or late"
# Frames in a capture: tshark's count when it is installed, else the pcap records.
pcap_frames() {
	if command -v tshark >/dev/null; then
		tshark -r "$1" -T fields -e frame.number 2>/dev/null | wc -l
	else
		python3 -c 'import struct, sys
f = open(sys.argv[1], "rb"); f.read(24); n = 0
while True:
    h = f.read(16)
    if len(h) < 16: break
    f.seek(struct.unpack("<IIII", h)[2], 1); n += 1
print(n)' "$1"
	fi
}
n=$(pcap_frames "$work/short.pcap")
rc=0 out="capture: $n frames"
((n == 2474))
result "--count 1237 --nbs-per-nbl 3: the capture holds 2474 frames ($n)"
# Also paced, in bursts, and with NBLs larger than the count: every VC sends exactly N.
for c in "3 1237 3 4 --rate 200kpps --burst 4" "2 5 64 1" "5 999 8 7 --rate 100kpps --pacing poisson"; do
	read -r vcs cnt nbs chain extra <<<"$c"
	# shellcheck disable=SC2086 # extra options
	run 60 "${eal[@]}" --vdev "net_pcap0,tx_pcap=$work/c.pcap" -- --vcs "$vcs" --count "$cnt" \
		--nbs-per-nbl "$nbs" --nbls-per-chain "$chain" $extra
	n=$(pcap_frames "$work/c.pcap") want=$((vcs * cnt))
	((rc == 0)) && ((n == want)) && has "^total: .*nbs_sent=$want .* success_nbs=$want " &&
		[[ $(grep -c "^vc [0-9]*: .* nbs_sent=$cnt " <<<"$out") == "$vcs" ]]
	result "--vcs $vcs --count $cnt --nbs-per-nbl $nbs --nbls-per-chain $chain $extra: $n of $want frames"
done

# Review item 13: -h, --version, and the EAL defaults filled in around the user's EAL options.
run 10 -h
((rc == 0)) && has "^usage: condis-gen"
result "-h"
run 10 --version
((rc == 0)) && has "^condis-gen 0\.1\.0"
result "--version"
run 30 -l 0-1 -- --workers 2 --count 100
((rc == 0)) && has "port net_null0, 4 VC(s), 2 worker(s)" && has "^total:.* completed=400 success=400 " && ! left
result "-l 0-1 alone: the other defaults are added"

# --event: a pause (restarted) and a reset while two workers send; every NBL comes back.
run 60 -l 0-1 --no-huge -m 256 --no-pci --file-prefix "$pfx" "${null[@]}" -- --workers 2 \
	--duration 1 --event pause@0.2 --event reset@0.5
((rc == 0)) && has "^event: pause at 0\.2.* paused in" && has "^event: restart at .*: SUCCESS" &&
	has "^event: reset at 0\.5.* over in" && has "^total:.* completed=\([0-9]*\) " &&
	[[ $(sed -n 's/^total: nbls_sent=\([0-9]*\) .* completed=\([0-9]*\) .*/\1 \2/p' <<<"$out" |
	     awk '{print ($1 == $2)}') == 1 ]]
result "--event pause and reset: both done, every NBL back"
# A pause on net_pcap, and the capture read back: per-VC order kept, every frame reported
# SUCCESS in the file once, any the pause failed missing (check-pcap.py --gaps). (A reset
# restarts the port, and net_pcap's start reopens its file: the capture would start over.)
run 60 "${eal[@]}" --vdev "net_pcap0,tx_pcap=$work/ev.pcap" -- --vcs 3 --count 4000 \
	--rate 20kpps --event pause@0.2 --event pause@0.5
echo "$out" >"$work/ev.out"
((rc == 0)) && has "paused in" && [[ $(grep -c "^event: restart at .*: SUCCESS" <<<"$out") == 2 ]] &&
	python3 "$(dirname "$0")/../e2e/vfio/check-pcap.py" "$work/ev.pcap" --report "$work/ev.out" \
		--vcs 3 --frame-size 64 --count 4000 --gaps >"$work/ev.chk" 2>&1
result "--event on net_pcap: the capture in order, wire == SUCCESS (check-pcap --gaps)"
run 10 "${eal[@]}" "${null[@]}" -- --event stop@1
((rc == 2)) && has "bad value 'stop@1' for --event"
result "--event with an unknown kind refused"

run 60 "${eal[@]}" "${null[@]}" -- --vcs 4 --count 1000 --udp-sport 4000
((rc == 0)) && has "^total:.* completed=4000 success=4000 "
result "valid run: 4000 NBLs sent and completed"

after=$(ours)
rc=0 out=$(ls "$rundir" 2>/dev/null | grep "^$pfx")
((before == 0 && after == 0))
result "runtime directory: $before entries of this script before, $after after"
exit $((fails != 0))
