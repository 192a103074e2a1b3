#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Every profile in config/ runs (issue "condis-gen traffic": one per use case, each in CI for
# a bounded time): --duration 0.5 after the profile bounds it (later options win; a phase
# profile is bounded by its phases), on
# net_null, or on a looped net_ring port for a profile that receives (rx-port); exit 0.
# Usage: test-gen-profiles.sh GEN CONFIG_DIR
set -uo pipefail
gen=$1 dir=$2
work=$(mktemp -d /tmp/gen-profiles.XXXXXX)
trap 'rm -rf "$work"' EXIT
fails=0 n=0
for f in "$dir"/*.ini; do
	dev=net_null0 bound=(--duration 0.5)
	grep -q '^rx-port' "$f" && dev=net_ring0
	grep -q '^phase' "$f" && bound=() # its phases are its length (a few seconds)
	out=$(timeout 60 "$gen" -l 0 --no-huge -m 512 --no-pci --file-prefix "gen-prof-$$-$n" \
		--vdev "$dev" -- --profile "$f" "${bound[@]}" --plot "$work/$n" 2>&1)
	rc=$?
	n=$((n + 1))
	if ((rc == 0)) && grep -q '^total: ' <<<"$out" && ls "$work/$((n - 1))/latency.png" >/dev/null 2>&1; then
		echo "ok   $(basename "$f") ($dev)"
	else
		echo "FAIL: $(basename "$f") ($dev): rc=$rc"; tail -5 <<<"$out"; fails=$((fails + 1))
	fi
done
((n >= 8)) || { echo "FAIL: only $n profiles in $dir"; fails=$((fails + 1)); }
echo "gen_profiles: $n profiles, $fails failed"
((fails == 0))
