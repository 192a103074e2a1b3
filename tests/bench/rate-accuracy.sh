#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# How close condis-gen's --rate comes to its target: rates x VCs x chain shapes on net_null,
# 64-byte frames, plus an unpaced run per VC count and shape for the line rate. The achieved
# rate is the report's `send: pps=` (frames sent from the first send up to the last chain,
# over that time; completions do not count); near the line rate, paced runs at fractions of
# the unpaced rate just measured. Prints a markdown table with the error in %
# and the pacer's stalls (falls more than 100 ms behind its schedule). A benchmark, not a
# gate: exit 0.
#
# Usage: rate-accuracy.sh [-d SECONDS] [-c CPU] [-r "RATES"] [-f "FRACTIONS"] [-v "VCS"]
#                         [-s "SHAPES"]
#   -d SECONDS  seconds per run (default 3)
#   -c CPU      CPU the worker runs on (default 1 if the machine has 2+ CPUs)
#   -r RATES    target pps, space-separated (default "10000 100000 1000000 10000000")
#   -f FRACTIONS  of the line rate, paced runs after the unpaced one (default "0.9")
#   -v VCS      VC counts (default "1 64")
#   -s SHAPES   NBsxNBLs per chain (default "1x32 8x4")
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

DURATION=3 RATES="10000 100000 1000000 10000000" FRACTIONS=0.9 VCS_LIST="1 64" SHAPES="1x32 8x4"
if (($(nproc) > 1)); then CPU=1; else CPU=0; fi
while getopts "d:c:r:f:v:s:h" o; do
	case $o in
	d) DURATION=$OPTARG ;; c) CPU=$OPTARG ;; r) RATES=$OPTARG ;; f) FRACTIONS=$OPTARG ;;
	v) VCS_LIST=$OPTARG ;;
	s) SHAPES=$OPTARG ;;
	*) sed -n '3,19p' "$0"; exit 2 ;;
	esac
done
bench_check_gen
GEN_EAL=(--lcores "0@$CPU" --no-huge -m "$BENCH_MEM" --no-pci)
bench_machine
echo "# rate-accuracy: duration=${DURATION}s cpu=$CPU rates='$RATES' fractions='$FRACTIONS'" \
	"vcs='$VCS_LIST' shapes='$SHAPES'"
echo
echo "| VCs | NB/NBL x NBL/chain | target pps | sent pps | error % | stalls | frames given up |"
echo "|---:|---|---:|---:|---:|---:|---:|"
for vcs in $VCS_LIST; do
	for shape in $SHAPES; do
		nbs=${shape%x*} nbls=${shape#*x}
		line=0
		for rate in 0 $RATES $FRACTIONS; do
			label=$rate
			if [[ $rate == 0.* ]]; then # a fraction of the line rate
				label="$rate x line"
				rate=$(awk -v l="$line" -v f="$rate" 'BEGIN { printf "%.0f", l * f }')
			fi
			BENCH_TIMEOUT=$((${DURATION%.*} + 60)) bench_run_gen GEN_EAL --vcs "$vcs" \
				--frame-size 64 --nbs-per-nbl "$nbs" --nbls-per-chain "$nbls" \
				--duration "$DURATION" --drain 1 --rate "$rate"
			pps=$(bench_kv "$BENCH_OUT" send: pps)
			err=$(bench_kv "$BENCH_OUT" send: error_pct)
			stalls=$(bench_kv "$BENCH_OUT" send: stalls)
			dropped=$(bench_kv "$BENCH_OUT" send: dropped)
			if [[ $rate == 0 ]]; then
				line=$pps label="line rate" err=- stalls=- dropped=-
			elif [[ $label == *line ]]; then
				label="$label = $rate"
			fi
			echo "| $vcs | $nbs x $nbls | $label | $pps | $err | $stalls | $dropped |"
		done
	done
done
