#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# How close condis-gen's --rate comes to its target: rates x VCs x chain shapes x pacing shapes
# on net_null, 64-byte frames, plus an unpaced run per VC count and chain shape for the line
# rate. The achieved rate is the report's `send: pps=` (frames sent from the first send up to
# the last chain, over that time; completions do not count); near the line rate, paced runs at
# fractions of the unpaced rate just measured. Prints a markdown table with the error in %,
# the pacer's stalls (more than 100 ms behind its schedule) and how even the chains were
# (`pacing:` line: mean and max frames per chain, mean and p99 gap between chains). A
# benchmark, not a gate: exit 0.
#
# Usage: rate-accuracy.sh [-d SECONDS] [-c CPU] [-r "RATES"] [-f "FRACTIONS"] [-v "VCS"]
#                         [-s "SHAPES"] [-p "PACINGS"]
#   -d SECONDS  seconds per run (default 3)
#   -c CPU      CPU the worker runs on (default 1 if the machine has 2+ CPUs)
#   -r RATES    target pps, space-separated (default "10000 100000 1000000 10000000
#               14880952": the last, 10 Gb/s of 64-byte frames, net_null's link speed)
#   -f FRACTIONS  of the line rate, paced runs after the unpaced one (default "0.5 0.9")
#   -v VCS      VC counts (default "1 64")
#   -s SHAPES   NBsxNBLs per chain (default "1x32 8x4")
#   -p PACINGS  smooth (chain size from the rate), burst (--burst NBLs of the shape: full
#               chains), poisson (--pacing poisson --seed 1) (default "smooth burst poisson")
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

DURATION=3 RATES="10000 100000 1000000 10000000 14880952" FRACTIONS="0.5 0.9" VCS_LIST="1 64"
SHAPES="1x32 8x4" PACINGS="smooth burst poisson"
if (($(nproc) > 1)); then CPU=1; else CPU=0; fi
while getopts "d:c:r:f:v:s:p:h" o; do
	case $o in
	d) DURATION=$OPTARG ;; c) CPU=$OPTARG ;; r) RATES=$OPTARG ;; f) FRACTIONS=$OPTARG ;;
	v) VCS_LIST=$OPTARG ;; s) SHAPES=$OPTARG ;; p) PACINGS=$OPTARG ;;
	*) sed -n '3,24p' "$0"; exit 2 ;;
	esac
done
bench_check_gen
GEN_EAL=(--lcores "0@$CPU" --no-huge -m "$BENCH_MEM" --no-pci)
bench_machine
echo "# cpu: family $(sed -n 's/^cpu family\t*: //p' /proc/cpuinfo | head -1)" \
	"model $(sed -n 's/^model\t*: //p' /proc/cpuinfo | head -1)" \
	"stepping $(sed -n 's/^stepping\t*: //p' /proc/cpuinfo | head -1)"
echo "# rate-accuracy: duration=${DURATION}s cpu=$CPU rates='$RATES' fractions='$FRACTIONS'" \
	"vcs='$VCS_LIST' shapes='$SHAPES' pacings='$PACINGS'"
echo
echo "| VCs | NB/NBL x NBL/chain | pacing | target pps | sent pps | error % | stalls | frames given up | frames/chain mean | max | gap ns mean | p99 |"
echo "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for vcs in $VCS_LIST; do
	for shape in $SHAPES; do
		nbs=${shape%x*} nbls=${shape#*x}
		shape_args=(--vcs "$vcs" --frame-size 64 --nbs-per-nbl "$nbs" --nbls-per-chain "$nbls"
			--duration "$DURATION" --drain 1)
		BENCH_TIMEOUT=$((${DURATION%.*} + 60)) bench_run_gen GEN_EAL "${shape_args[@]}"
		line=$(bench_kv "$BENCH_OUT" send: pps)
		echo "| $vcs | $nbs x $nbls | none | line rate | $line | - | - | - | - | - | - | - |"
		for pacing in $PACINGS; do
			case $pacing in
			smooth) pace=() ;;
			burst) pace=(--burst "$nbls") ;;
			poisson) pace=(--pacing poisson --seed 1) ;;
			*) bench_die "pacing $pacing: smooth, burst or poisson" ;;
			esac
			for rate in $RATES $FRACTIONS; do
				label=$rate
				if [[ $rate == 0.* ]]; then # a fraction of the line rate
					rate=$(awk -v l="$line" -v f="$rate" 'BEGIN { printf "%.0f", l * f }')
					label="$label x line = $rate"
				fi
				BENCH_TIMEOUT=$((${DURATION%.*} + 60)) bench_run_gen GEN_EAL \
					"${shape_args[@]}" --rate "$rate" "${pace[@]}"
				kv() { bench_kv "$BENCH_OUT" "$1" "$2"; }
				echo "| $vcs | $nbs x $nbls | $pacing | $label | $(kv send: pps) |" \
					"$(kv send: error_pct) | $(kv send: stalls) | $(kv send: dropped) |" \
					"$(kv pacing: chain_frames_mean) | $(kv pacing: chain_frames_max) |" \
					"$(kv pacing: gap_ns_mean) | $(kv pacing: gap_ns_p99) |"
			done
		done
	done
done
