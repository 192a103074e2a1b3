#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Two condis-gen binaries against each other (a change against the build before it), same
# CPU, net_null, 64-byte frames, 1 NB per NBL x 32 NBLs per call. Runs are interleaved in
# ABBA order; each repetition gives a paired ratio B/A. Prints min/median/max, an ~95 %
# confidence interval of the median and every pair. A measurement, not a gate: exit 0.
#
# Usage: compare-builds.sh [-n REPS] [-d SECONDS] [-c CPU] [-v VCS] GEN_A GEN_B
#   -n REPS     pairs (default 30)
#   -d SECONDS  seconds per run (default 1)
#   -c CPU      CPU both run on (default 1 if the machine has 2+ CPUs)
#   -v VCS      VC count (default 1)
# Example: git worktree add /tmp/base HEAD~1 && meson setup /tmp/base/build /tmp/base &&
#          ninja -C /tmp/base/build && \
#          tests/bench/compare-builds.sh /tmp/base/build/apps/condis-gen build/apps/condis-gen
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

REPS=30 DURATION=1 VCS=1
if (($(nproc) > 1)); then CPU=1; else CPU=0; fi
while getopts "n:d:c:v:h" o; do
	case $o in
	n) REPS=$OPTARG ;; d) DURATION=$OPTARG ;; c) CPU=$OPTARG ;; v) VCS=$OPTARG ;;
	*) sed -n '3,16p' "$0"; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
(($# == 2)) || { sed -n '3,16p' "$0"; exit 2; }
GEN_A=$1 GEN_B=$2
[[ -x "$GEN_A" && -x "$GEN_B" ]] || bench_die "both binaries must be executable"

GEN_EAL=(--lcores "0@$CPU" --no-huge -m "$BENCH_MEM" --no-pci)
bench_machine
echo "# compare-builds: A=$GEN_A B=$GEN_B reps=$REPS duration=${DURATION}s cpu=$CPU vcs=$VCS"

run() { # binary -> rate in RATE
	CONDIS_GEN=$1 BENCH_TIMEOUT=$((DURATION + 60)) bench_run_gen GEN_EAL --vcs "$VCS" \
		--frame-size 64 --nbs-per-nbl 1 --nbls-per-chain 32 --duration "$DURATION" --drain 1
	RATE=$(bench_kv "$BENCH_OUT" rate: mpps)
}

ra=() rb=() ratio=()
for r in $(seq 1 "$REPS"); do
	if ((r % 2)); then
		run "$GEN_A"; a=$RATE; run "$GEN_B"; b=$RATE
	else
		run "$GEN_B"; b=$RATE; run "$GEN_A"; a=$RATE
	fi
	ra+=("$a") rb+=("$b")
	ratio+=("$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.4f", (a > 0) ? b / a : 0 }')")
	echo "#   A=$a Mpps B=$b Mpps B/A=${ratio[-1]}" >&2
done
echo
bench_table "A Mpps:ra" "B Mpps:rb" "B/A:ratio"
wins=$(printf '%s\n' "${ratio[@]}" | awk '$1 > 1 { w++ } END { print w + 0 }')
echo "# paired B/A (run order): ${ratio[*]}; B faster in $wins of $REPS"
