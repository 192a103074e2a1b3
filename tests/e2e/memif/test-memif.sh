#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# e2e: a second DPDK process. condis-gen sends (memif client) to another
# condis-gen in receive/verify mode (memif server) over net_memif's shared
# memory. Pass: for every VC the receiver counts exactly the frames the
# sender completed with SUCCESS, with nothing lost, duplicated, reordered or too late
# (duplicated or reordered), in every case.
#
# Exit: 0 pass, 1 fail, 77 skip (no condis-gen, no net_memif PMD).
# Env: CONDIS_GEN (default build/apps/condis-gen), KEEP_LOGS=1 keeps the logs.
set -u -o pipefail

here=$(cd "$(dirname "$0")" && pwd)
gen=${CONDIS_GEN:-$here/../../../build/apps/condis-gen}
say() { echo "test-memif: $*"; }
[ -x "$gen" ] || { say "SKIP: condis-gen not built ($gen)"; exit 77; }
pmds=$(pkg-config --variable=pmdsdir libdpdk 2>/dev/null); pmds=${pmds:-/usr/lib/x86_64-linux-gnu/dpdk/pmds-23.0}
ls "$pmds"/librte_net_memif.so* >/dev/null 2>&1 || { say "SKIP: no net_memif PMD in $pmds"; exit 77; }

work=$(mktemp -d /tmp/condis-memif.XXXXXX)
rx_pid=
cleanup() {
	[ -n "$rx_pid" ] && kill "$rx_pid" 2>/dev/null
	[ "${KEEP_LOGS:-0}" = 1 ] && say "logs kept in $work" || rm -rf "$work"
}
trap cleanup EXIT
eal() { # prefix lcore
	echo "-l $2 --no-huge -m 512 --no-pci --file-prefix $1-$$ --log-level=lib.eal:error"
}
field() { # line key
	sed -n "s/.*[ :]$2=\([0-9]*\).*/\1/p" <<<"$1"
}

# name | sender options
cases=(
	"small64|--vcs 4 --count 50000 --frame-size 64"
	"multinb1518|--vcs 3 --count 6000 --frame-size 1518 --nbs-per-nbl 4 --nbls-per-chain 8"
	"vlan-min|--vcs 4 --count 5000 --frame-size 62 --vlan 100:3 --vlan 2=7:6"
)
failed=0
for c in "${cases[@]}"; do
	name=${c%%|*} opts=${c#*|}
	vcs=$(sed -n 's/.*--vcs \([0-9]*\).*/\1/p' <<<"$opts")
	sock=$work/$name.sock
	t0=$SECONDS
	# The receiver is the memif server; it stops 1 s after the last frame.
	timeout 60 "$gen" $(eal rx-$name 1) --vdev "net_memif0,role=server,socket=$sock,socket-abstract=no" \
		-- --rx --vcs "$vcs" --rx-idle 1 --per-vc >"$work/$name.rx" 2>&1 &
	rx_pid=$!
	for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.1; done
	# The sender waits for the link, and lingers so the receiver drains the ring.
	timeout 60 "$gen" $(eal tx-$name 0) --vdev "net_memif0,role=client,socket=$sock,socket-abstract=no" \
		-- $opts --wait-link 10 --linger 1 --per-vc >"$work/$name.tx" 2>&1
	tx_rc=$?
	wait "$rx_pid"; rx_rc=$?; rx_pid=
	ok=1
	[ $tx_rc -eq 0 ] && [ $rx_rc -eq 0 ] || { say "$name: exit codes sender $tx_rc receiver $rx_rc"; ok=0; }
	sent=$(field "$(grep '^total:' "$work/$name.tx")" success_nbs)
	got=$(field "$(grep '^rx total:' "$work/$name.rx")" stamped)
	for ((v = 0; v < vcs; v++)); do
		s=$(field "$(grep "^vc $v:" "$work/$name.tx")" success_nbs)
		r=$(grep "^rx vc $v:" "$work/$name.rx")
		if [ -z "$s" ] || [ "$s" != "$(field "$r" frames)" ] || [ "$(field "$r" lost)" != 0 ] ||
		   [ "$(field "$r" duplicated)" != 0 ] || [ "$(field "$r" reordered)" != 0 ] ||
		   [ "$(field "$r" too_late)" != 0 ] || [ "$(field "$r" next_seq)" != "$s" ]; then
			say "$name: VC $v: sender success_nbs=${s:-?}, receiver: ${r:-nothing}"
			ok=0
		fi
	done
	say "$name: sender success_nbs=${sent:-?} receiver stamped=${got:-?} ($((SECONDS - t0)) s)"
	if [ $ok = 1 ] && [ -n "$sent" ] && [ "$sent" = "$got" ] && [ "$sent" -gt 0 ]; then
		say "$name: PASS"
	else
		say "$name: FAIL"; failed=1
		tail -5 "$work/$name.tx" "$work/$name.rx"
	fi
done
[ $failed = 0 ] && { say "PASS"; exit 0; }
say "FAIL"; exit 1
