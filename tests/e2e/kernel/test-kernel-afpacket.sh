#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# e2e: the Linux kernel as receiver of condis-gen traffic.
#
#   condis-gen --vdev net_af_packet0,iface=<host veth>
#        |  veth pair
#        v
#   netns: cnd0 198.18.0.2/24 (+ cnd0.100, cnd0.200 VLAN subinterfaces)
#          recv.py: UDP socket on the dst port, checks the stamp per VC
#          (magic, VC id, seq from 0 without gap/repeat, payload length,
#          arrival interface) and, for the VLAN case, an AF_PACKET tap
#          on cnd0 records the 802.1Q VID:PCP per VC.
#
# Pass: for every case, every VC: condis-gen success_nbs == --count, and the
# receiver counted exactly success_nbs datagrams for that VC, in order, with
# no error. Loss is never tolerated.
#
# Exit: 0 pass, 1 fail, 77 skip (not root, no netns/veth, no af_packet PMD, ...).
# Env:  CONDIS_GEN   condis-gen binary (default /work/main/build/apps/condis-gen)
#       KEEP_LOGS=1  keep the temp dir with all logs
#       E2E_VERBOSE=1  print the full condis-gen / receiver output of passing cases

set -u
set -o pipefail

GEN=${CONDIS_GEN:-/work/main/build/apps/condis-gen}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RECV=$HERE/recv.py
T0=$SECONDS

ID=$$
NS=condis-k$ID
HVETH=ckh$ID            # host side (host namespace: must be unique)
NVETH=cnd0              # namespace side (private to our netns)
NS_IP=198.18.0.2
SRC_IP=198.18.0.1
PORT=9
PREFIX=condis-k$ID
TMP=
RPID=
NS_CREATED=0

log()  { echo "[kernel-e2e] $*"; }
skip() { echo "SKIP: $*"; exit 77; }
die()  { echo "FAIL: $*"; exit 1; }

cleanup() {
	local rc=$?
	if [ -n "$RPID" ] && kill -0 "$RPID" 2>/dev/null; then
		kill "$RPID" 2>/dev/null
		wait "$RPID" 2>/dev/null
	fi
	[ "$NS_CREATED" = 1 ] && ip netns del "$NS" 2>/dev/null
	ip link del "$HVETH" 2>/dev/null
	rm -rf /var/run/dpdk/"$PREFIX"-* 2>/dev/null
	if [ -n "$TMP" ]; then
		if [ "${KEEP_LOGS:-0}" = 1 ] || { [ $rc -ne 0 ] && [ $rc -ne 77 ]; }; then
			echo "[kernel-e2e] logs kept in $TMP"
		else
			rm -rf "$TMP"
		fi
	fi
	exit $rc
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# ---- prerequisites ---------------------------------------------------------
[ "$(id -u)" = 0 ] || skip "needs root (netns, veth, AF_PACKET)"
for c in ip python3 timeout awk; do
	command -v $c >/dev/null || skip "'$c' not found"
done
[ -x "$GEN" ] || skip "condis-gen not found at $GEN (set CONDIS_GEN)"
[ -r "$RECV" ] || die "receiver $RECV missing"

TMP=$(mktemp -d /tmp/condis-kernel-e2e.XXXXXX)

ip netns add "$NS" 2>"$TMP/err" || skip "cannot create netns: $(cat "$TMP/err")"
NS_CREATED=1
ip link add "$HVETH" type veth peer name "$NVETH" netns "$NS" 2>"$TMP/err" ||
	skip "cannot create veth pair: $(cat "$TMP/err")"

nsx() { ip netns exec "$NS" "$@"; }

# No IPv6 chatter (router/neighbour solicitations) on either side.
sysctl -qw net.ipv6.conf."$HVETH".disable_ipv6=1 2>/dev/null
nsx sysctl -qw net.ipv6.conf.all.disable_ipv6=1 2>/dev/null
nsx sysctl -qw net.ipv6.conf.default.disable_ipv6=1 2>/dev/null
# The VLAN case sends 198.18.0.1 -> 198.18.0.2 in through cnd0.100/200 while the
# route back to 198.18.0.1 is via cnd0: strict reverse path filtering would drop it.
nsx sysctl -qw net.ipv4.conf.all.rp_filter=0
nsx sysctl -qw net.ipv4.conf.default.rp_filter=0
# Only informative: the receiver uses SO_RCVBUFFORCE (root) anyway.
nsx sysctl -qw net.core.rmem_max=134217728 2>/dev/null

ip link set "$HVETH" up || die "cannot bring up $HVETH"
nsx ip link set lo up
nsx ip addr add $NS_IP/24 dev $NVETH || die "cannot set $NS_IP on $NVETH"
nsx ip link set $NVETH up || die "cannot bring up $NVETH"

HAVE_VLAN=1
if nsx ip link add link $NVETH name $NVETH.100 type vlan id 100 2>"$TMP/err" &&
   nsx ip link add link $NVETH name $NVETH.200 type vlan id 200 2>>"$TMP/err"; then
	nsx sysctl -qw net.ipv4.conf.$NVETH/100.rp_filter=0 2>/dev/null
	nsx sysctl -qw net.ipv4.conf.$NVETH/200.rp_filter=0 2>/dev/null
	nsx ip addr add 198.18.100.2/24 dev $NVETH.100
	nsx ip addr add 198.18.200.2/24 dev $NVETH.200
	nsx ip link set $NVETH.100 up
	nsx ip link set $NVETH.200 up
else
	HAVE_VLAN=0
	log "note: kernel without 802.1Q ($(tr '\n' ' ' <"$TMP/err")): VLAN case checks tagged VCs on an AF_PACKET tap only"
fi

DST_MAC=$(nsx cat /sys/class/net/$NVETH/address)
[ -n "$DST_MAC" ] || die "cannot read MAC of $NVETH"
# Wait for carrier on both ends (veth is immediate, but be safe).
for _ in $(seq 50); do
	[ "$(cat /sys/class/net/"$HVETH"/operstate 2>/dev/null)" = up ] && break
	sleep 0.1
done
log "netns $NS, $HVETH <-> $NVETH ($DST_MAC, $NS_IP), kernel $(uname -r)"

# ---- one case ----------------------------------------------------------------
# run_case NAME VCS COUNT FRAME "gen extra args" "recv extra args" "expected tcis per VC (space sep) or empty"
FAILED=0
SUMMARY=()
run_case() {
	local name=$1 vcs=$2 count=$3 frame=$4 gargs=$5 rargs=$6 tcis=$7
	local dir=$TMP/$name ok=1 t0=$SECONDS
	mkdir -p "$dir"
	rm -f "$dir/ready"

	# shellcheck disable=SC2086
	ip netns exec "$NS" python3 "$RECV" --port $PORT --vcs "$vcs" --payload-len $((frame - 46)) \
		--ready-file "$dir/ready" --timeout 40 $rargs >"$dir/rx.out" 2>"$dir/rx.err" &
	RPID=$!
	for _ in $(seq 100); do
		[ -e "$dir/ready" ] && break
		kill -0 $RPID 2>/dev/null || break
		sleep 0.05
	done
	if [ ! -e "$dir/ready" ]; then
		cat "$dir/rx.err"
		die "[$name] receiver did not start"
	fi

	# shellcheck disable=SC2086
	timeout -k 5 30 "$GEN" -l 0 --no-huge -m 512 --no-pci --file-prefix "$PREFIX-$name" \
		--vdev "net_af_packet0,iface=$HVETH" -- \
		--vcs "$vcs" --count "$count" --frame-size "$frame" \
		--dst-mac "$DST_MAC" --src-ip $SRC_IP --dst-ip $NS_IP --udp-dport $PORT \
		--per-vc --drain 2 $gargs >"$dir/gen.out" 2>"$dir/gen.err"
	local grc=$?

	kill -USR1 $RPID 2>/dev/null
	wait $RPID
	local rrc=$?
	RPID=

	local why=()
	[ $grc -eq 0 ] || why+=("condis-gen exit code $grc")
	[ $rrc -eq 0 ] || why+=("receiver exit code $rrc")

	# Per VC: generator success_nbs vs receiver count.
	local vc gsucc gsent rline tline rcount rnext rg rd rl rf want_tci want_udp gsum=0 rsum=0
	for ((vc = 0; vc < vcs; vc++)); do
		gsucc=$(awk -v p="vc $vc:" 'index($0, p) == 1 { for (i = 3; i <= NF; i++) if ($i ~ /^success_nbs=/) { sub(/.*=/, "", $i); print $i } }' "$dir/gen.out")
		gsent=$(awk -v p="vc $vc:" 'index($0, p) == 1 { for (i = 3; i <= NF; i++) if ($i ~ /^nbs_sent=/) { sub(/.*=/, "", $i); print $i } }' "$dir/gen.out")
		rline=$(grep "^rx vc $vc:" "$dir/rx.out")
		if [ -z "$gsucc" ] || [ -z "$rline" ]; then
			why+=("vc $vc: missing report line (gen='$gsucc' rx='${rline:+yes}')")
			continue
		fi
		field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }
		rcount=$(field count "$rline"); rnext=$(field next_seq "$rline"); rg=$(field gaps "$rline")
		rd=$(field dups "$rline"); rl=$(field bad_len "$rline"); rf=$(field bad_if "$rline")
		gsum=$((gsum + gsucc))
		[ "$gsent" = "$count" ] || why+=("vc $vc: condis-gen nbs_sent=$gsent, expected --count $count")
		[ "$gsucc" = "$count" ] || why+=("vc $vc: condis-gen success_nbs=$gsucc, expected $count")
		want_udp=$gsucc
		if [ -n "$tcis" ]; then
			want_tci=$(awk -v i=$((vc + 1)) '{ print $i }' <<<"$tcis")
			# A VID != 0 tag never reaches the UDP socket on a kernel without 802.1Q.
			if [ "$want_tci" != none ] && [ "${want_tci%%:*}" != 0 ] && [ $HAVE_VLAN = 0 ]; then
				want_udp=0
			fi
			tline=$(grep "^tap vc $vc:" "$dir/rx.out")
			[ "$(field tcis "$tline")" = "$want_tci" ] ||
				why+=("vc $vc: 802.1Q seen by the tap '$(field tcis "$tline")', expected '$want_tci'")
			[ "$(field count "$tline")" = "$gsucc" ] ||
				why+=("vc $vc: tap count=$(field count "$tline") != condis-gen success_nbs=$gsucc")
			[ "$(field next_seq "$tline")" = "$gsucc" ] ||
				why+=("vc $vc: tap last seq+1=$(field next_seq "$tline") != $gsucc")
			[ "$(field gaps "$tline")$(field dups "$tline")" = 00 ] ||
				why+=("vc $vc: tap gaps/dups: $tline")
		fi
		rsum=$((rsum + want_udp))
		[ "$rcount" = "$want_udp" ] || why+=("vc $vc: receiver count=$rcount != expected $want_udp (condis-gen success_nbs=$gsucc)")
		[ "$rnext" = "$want_udp" ] || why+=("vc $vc: receiver last seq+1=$rnext != $want_udp")
		[ "$rg$rd$rl$rf" = 0000 ] || why+=("vc $vc: gaps=$rg dups=$rd bad_len=$rl bad_if=$rf $(sed -n 's/.*first_error=/first_error=/p' <<<"$rline")")
	done
	local rtot
	rtot=$(grep '^rx total:' "$dir/rx.out")
	for k in bad_magic bad_vc short; do
		v=$(sed -n "s/.* $k=\([0-9]*\).*/\1/p" <<<"$rtot")
		[ "$v" = 0 ] || why+=("receiver $k=$v")
	done
	local rxall
	rxall=$(sed -n 's/^rx total: count=\([0-9]*\).*/\1/p' <<<"$rtot")
	[ "$rxall" = "$rsum" ] || why+=("receiver total datagrams $rxall != expected $rsum (condis-gen total success_nbs $gsum)")

	local kc
	kc=$(nsx nstat -asz 2>/dev/null | awk '$1 ~ /^(UdpInDatagrams|UdpRcvbufErrors|UdpInErrors|UdpNoPorts|IpInAddrErrors|IpInHdrErrors|IpExtInCsumErrors|IpInDiscards)$/ { printf "%s=%s ", $1, $2 }')
	local dt=$((SECONDS - t0))
	if [ ${#why[@]} -eq 0 ]; then
		log "PASS $name: $vcs VCs x $count frames of $frame B: condis-gen success_nbs=$gsum, UDP receiver=$rxall${tcis:+, tap=$gsum (802.1Q $tcis)}, in order (${dt}s)"
		SUMMARY+=("PASS $name gen=$gsum udp_rx=$rxall${tcis:+ tap_rx=$gsum} ${dt}s")
		if [ "${E2E_VERBOSE:-0}" = 1 ]; then
			grep -E '^(total|rate|latency_ns):' "$dir/gen.out"; cat "$dir/rx.out"
		fi
	else
		ok=0
		FAILED=1
		log "FAIL $name ($vcs VCs x $count frames of $frame B, gen args: $gargs):"
		for w in "${why[@]}"; do echo "    - $w"; done
		echo "    --- condis-gen stdout ---"; sed 's/^/    /' "$dir/gen.out"
		echo "    --- condis-gen stderr (tail) ---"; tail -n 15 "$dir/gen.err" | sed 's/^/    /'
		echo "    --- receiver ---"; sed 's/^/    /' "$dir/rx.out" "$dir/rx.err"
		echo "    --- kernel counters in $NS (cumulative) ---"; echo "    $kc"
		echo "    --- links ---"
		ip -s link show "$HVETH" | sed 's/^/    /'
		nsx ip -s link show | sed 's/^/    /'
		SUMMARY+=("FAIL $name gen=$gsum rx=$rxall ${dt}s")
	fi
	[ "${E2E_VERBOSE:-0}" = 1 ] && echo "    kernel: $kc"
	return $((1 - ok))
}

# ---- cases --------------------------------------------------------------------
# 1. Unpaced burst, minimum-size frames (16-byte stamp, no timestamp).
run_case burst64 4 5000 64 "" "--default-if $NVETH" ""
# 2. Max untagged frames, 4 NBs per NBL, 8 NBLs per chain, paced.
run_case multinb1518 3 3000 1518 "--nbs-per-nbl 4 --nbls-per-chain 8 --rate 50000" "--default-if $NVETH" ""
# 3. 62-byte frame (smallest condis-gen builds; padded to 60 by the miniport).
run_case min62 2 2000 62 "--nbs-per-nbl 2" "--default-if $NVETH" ""
# 4. Per-VC 802.1Q: VC0 untagged, VC1 VLAN 100 PCP 3, VC2 priority tag (VID 0) PCP 6,
#    VC3 VLAN 200 PCP 5. An AF_PACKET tap on cnd0 checks count, order and the tag
#    (VID:PCP) of every VC. The UDP socket gets VC0 and VC2 on cnd0 and, when the
#    kernel has 802.1Q, VC1 on cnd0.100 and VC3 on cnd0.200 (else none of them).
VLAN_IF="--expect-if 0=$NVETH --expect-if 2=$NVETH"
[ $HAVE_VLAN = 1 ] && VLAN_IF+=" --expect-if 1=$NVETH.100 --expect-if 3=$NVETH.200"
run_case vlan 4 2000 128 "--vlan 1=100:3 --vlan 2=0:6 --vlan 3=200:5 --rate 50000" \
	"$VLAN_IF --tap $NVETH" "none 100:3 0:6 200:5"

log "summary ($((SECONDS - T0))s):"
for s in "${SUMMARY[@]}"; do echo "    $s"; done
[ $FAILED = 0 ] || exit 1
exit 0
