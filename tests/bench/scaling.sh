#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Two cores against one (issue 12): condis-gen --workers 2 against --workers 1 (net_null,
# 64-byte frames, --vcs VCs, 1 NB per NBL x 32 NBLs per call), beside dpdk-testpmd txonly
# with two forwarding cores (two TX queues) against one, in the same run. Each repetition
# runs the four in ABBA order; each gives a paired ratio two/one. Prints min/median/max and
# an ~95 % confidence interval of the median for the rates and both ratios. The testpmd
# ratio is the machine's own ceiling for this shape: what a DPDK sender gets from a second
# core here. A measurement (exit 0) unless -t sets a target.
#
# Usage: scaling.sh [-n REPS] [-d SECONDS] [-v VCS] [-t TARGET]
#   -n REPS     repetitions (default 10)
#   -d SECONDS  seconds per condis-gen run, and measured 1-s periods per testpmd run (default 2)
#   -v VCS      condis-gen VC count (default 64)
#   -t TARGET   exit 1 if condis-gen's median 2/1 is below TARGET (default: a measurement, exit 0)
# Needs 2 CPUs: workers on CPUs 0 and 1 (one worker: CPU 1); testpmd's main lcore shares CPU 0.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

REPS=10 DURATION=2 VCS=64 TARGET=""
while getopts "n:d:v:t:h" o; do
	case $o in
	n) REPS=$OPTARG ;; d) DURATION=$OPTARG ;; v) VCS=$OPTARG ;; t) TARGET=$OPTARG ;;
	*) sed -n '3,17p' "$0"; exit 2 ;;
	esac
done
[[ -z "$TARGET" ]] || bench_is_number "$TARGET" || bench_die "-t must be a number"
(($(nproc) >= 2)) || bench_die "needs 2 CPUs"
bench_check_testpmd
bench_machine
echo "# scaling: reps=$REPS duration=${DURATION}s vcs=$VCS"

GEN1=(--lcores 0@1 --no-huge -m "$BENCH_MEM" --no-pci)
GEN2=(--lcores 0@0,1@1 --no-huge -m "$BENCH_MEM" --no-pci)
TP1=(--lcores 0@0,1@1)
TP2=(--lcores 0@0,1@0,2@1)

gen() { # eal-array workers -> RATE
	BENCH_TIMEOUT=$((DURATION + 60)) bench_run_gen "$1" --workers "$2" --vcs "$VCS" \
		--frame-size 64 --nbs-per-nbl 1 --nbls-per-chain 32 --duration "$DURATION" --drain 1
	RATE=$(bench_kv "$BENCH_OUT" rate: mpps)
}
tp() { # eal-array cores -> RATE
	bench_run_testpmd "$1" 2 "$DURATION" --nb-cores="$2" --txq="$2" --rxq="$2"
	RATE=$BENCH_RATE
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", (a > 0) ? b / a : 0 }'; }

g1=() g2=() t1=() t2=() gr=() tr=()
for r in $(seq 1 "$REPS"); do
	if ((r % 2)); then
		gen GEN1 1; a=$RATE; gen GEN2 2; b=$RATE; tp TP1 1; c=$RATE; tp TP2 2; d=$RATE
	else
		tp TP2 2; d=$RATE; tp TP1 1; c=$RATE; gen GEN2 2; b=$RATE; gen GEN1 1; a=$RATE
	fi
	g1+=("$a") g2+=("$b") t1+=("$c") t2+=("$d")
	gr+=("$(ratio "$a" "$b")") tr+=("$(ratio "$c" "$d")")
	echo "#   condis-gen 1w=$a 2w=$b (x${gr[-1]})  testpmd 1c=$c 2c=$d (x${tr[-1]})" >&2
done
echo
bench_table "condis-gen 1 worker, Mpps:g1" "condis-gen 2 workers, Mpps:g2" "condis-gen 2/1:gr" \
	"testpmd 1 core, Mpps:t1" "testpmd 2 cores, Mpps:t2" "testpmd 2/1:tr"
[[ -z "$TARGET" ]] && exit 0
med=$(bench_median "${gr[@]}")
if bench_below "$med" "$TARGET"; then
	echo "# condis-gen 2/1 median $med: below the target $TARGET (FAIL)"
	exit 1
fi
echo "# condis-gen 2/1 median $med: target $TARGET met (PASS)"
