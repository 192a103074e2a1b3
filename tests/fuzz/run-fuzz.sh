#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Run one libFuzzer target for FUZZ_SECONDS (default 20) from a copy of its
# seed corpus; a crash, leak of the invariant or hang (FUZZ_TIMEOUT s per
# input) fails, and the input that did it is printed in hex for a
# regression seed.
set -uo pipefail
target=${1:?usage: run-fuzz.sh TARGET SEED_DIR}
seeds=${2:?usage: run-fuzz.sh TARGET SEED_DIR}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$work/crash"
cp -r "$seeds"/. "$work/corpus/" 2>/dev/null || true
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	"$target" -max_total_time="${FUZZ_SECONDS:-20}" -timeout="${FUZZ_TIMEOUT:-10}" \
	-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/crash/" \
	"$work/corpus" 2>&1 | grep -v '^#[0-9]*.*\(NEW\|REDUCE\|pulse\)' | tail -40
rc=${PIPESTATUS[0]}
for f in "$work"/crash/*; do
	[ -f "$f" ] || continue
	echo "input that failed ($f):"; od -An -tx1 -v "$f" | head -20
done
exit "$rc"
