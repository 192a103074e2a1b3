#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# condis-gen refuses bad option values with exit 2 and a message naming the option, and
# sends nothing; a valid run completes every NBL it sent. Usage: test-gen-options.sh GEN
set -uo pipefail
gen=$1
eal=(-l 0 --no-huge -m 256 --no-pci --vdev net_null0 --file-prefix "gen-opt-$$")
fails=0

expect_bad() { # option value
	local out rc
	out=$(timeout 30 "$gen" "${eal[@]}" -- "$1" "$2" 2>&1)
	rc=$?
	if ((rc != 2)) || ! grep -q -- "bad value '$2' for $1" <<<"$out" || grep -q "^total:" <<<"$out"; then
		echo "FAIL: $1 $2: rc=$rc"; echo "$out" | tail -3; fails=$((fails + 1))
	else
		echo "ok   $1 $2 refused"
	fi
}

expect_bad --count -1          # strtoull would take it as 2^64 - 1
expect_bad --vcs 0
expect_bad --vcs " -5"
expect_bad --udp-sport 70000   # wider than its 16-bit field
expect_bad --frame-size 61
expect_bad --nbls-per-chain 12x

out=$(timeout 60 "$gen" "${eal[@]}" -- --vcs 4 --count 1000 --udp-sport 4000 2>&1)
rc=$?
if ((rc != 0)) || ! grep -q "^total:.* completed=4000 success=4000 " <<<"$out"; then
	echo "FAIL: valid run: rc=$rc"; echo "$out" | tail -5; fails=$((fails + 1))
else
	echo "ok   valid run: 4000 NBLs sent and completed"
fi
exit $((fails != 0))
