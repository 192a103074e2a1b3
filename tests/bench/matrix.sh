#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# condis-gen rate/latency matrix on net_null. For every configuration: REPS runs at the
# maximum rate (median Mpps, L1 Gb/s, median latency p50/p99), then one run paced at 50%
# of that median (--rate) for completion latency percentiles (send -> completion, per NBL).
#
# Default design (one factor at a time around 64 B / 1 NB per NBL / 32 NBLs per chain /
# 1 worker; FULL=1 runs the full cross product instead):
#   A  frame size {64,128,512,1518} x VCs {1,16,256,1024}, shape 1x32, 1 worker
#   B  shape {8 NBs/NBL x 4 NBLs/chain (32 frames/call), 1 NB x 1 NBL/chain} x VCs, 64 B
#   C  2 workers (--workers 2, EAL -l 0-1, 2 TX queues) x VCs, 64 B, shape 1x32
#
# Usage: matrix.sh [-q] [-r REPS] [-d SECONDS] [-o OUT_PREFIX]
#   -q            quick validation run (REPS=1, DURATION=1, smaller set: SIZES="64 1518",
#                 VCS_LIST="1 1024")
#   -r REPS       max-rate repetitions per configuration (default 3; env REPS)
#   -d SECONDS    seconds per run (default 3; env DURATION; may be fractional)
#   -o PREFIX     write PREFIX.csv and PREFIX.md (default: stdout only)
# Env: SIZES, VCS_LIST, SHAPES ("NBS:NBLS ..." for group B), CPU (1-worker CPU, default 1),
#      FULL=1, BENCH_BUILD/CONDIS_GEN (see lib.sh).
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

REPS=${REPS:-3}
DURATION=${DURATION:-3}
SIZES=${SIZES:-"64 128 512 1518"}
VCS_LIST=${VCS_LIST:-"1 16 256 1024"}
SHAPES=${SHAPES:-"8:4 1:1"}
FULL=${FULL:-0}
OUT=""
if [[ -z "${CPU:-}" ]]; then
	if (($(nproc) > 1)); then CPU=1; else CPU=0; fi
fi
while getopts "qr:d:o:h" o; do
	case $o in
	q) REPS=1 DURATION=1 SIZES="64 1518" VCS_LIST="1 1024" ;;
	r) REPS=$OPTARG ;; d) DURATION=$OPTARG ;; o) OUT=$OPTARG ;;
	*) sed -n '3,22p' "$0"; exit 2 ;;
	esac
done
bench_check_gen
(($(nproc) >= 2)) || echo "# warning: 1 CPU: the 2-worker rows share it" >&2

# config lines: group frame nbs_per_nbl nbls_per_chain vcs workers
configs=()
if [[ "$FULL" == 1 ]]; then
	for w in 1 2; do for s in $SIZES; do for sh in 1:32 $SHAPES; do for v in $VCS_LIST; do
		configs+=("full $s ${sh%%:*} ${sh##*:} $v $w")
	done; done; done; done
else
	for s in $SIZES; do for v in $VCS_LIST; do configs+=("A $s 1 32 $v 1"); done; done
	for sh in $SHAPES; do for v in $VCS_LIST; do
		configs+=("B 64 ${sh%%:*} ${sh##*:} $v 1")
	done; done
	for v in $VCS_LIST; do configs+=("C 64 1 32 $v 2"); done
fi

bench_machine
echo "# matrix: reps=$REPS duration=${DURATION}s configs=${#configs[@]} one_worker_cpu=$CPU (EAL --lcores 0@$CPU), two workers: EAL -l 0-1"
echo "# estimated runtime: $(awk -v n=${#configs[@]} -v r="$REPS" -v d="$DURATION" 'BEGIN { printf "%d", n * (r + 1) * (d + 1.5) }') s"

csv_head="group,frame_size,nbs_per_nbl,nbls_per_chain,vcs,workers,mpps_min,mpps_median,mpps_max,l1_gbps_median,lat_max_p50_ns,lat_max_p99_ns,paced_mpps_target,paced_mpps,lat_p50_ns,lat_p90_ns,lat_p99_ns,lat_p999_ns,lat_max_ns"
csv=("$csv_head")
for c in "${configs[@]}"; do
	read -r grp fs nbs nbls vcs wk <<<"$c"
	if ((wk == 1)); then
		eal=(--lcores "0@$CPU" --no-huge -m "$BENCH_MEM" --no-pci)
	else
		eal=(-l "0-$((wk - 1))" --no-huge -m "$BENCH_MEM" --no-pci)
	fi
	args=(--vcs "$vcs" --frame-size "$fs" --nbs-per-nbl "$nbs" --nbls-per-chain "$nbls"
		--workers "$wk" --drain 1)
	rates=() l50=() l99=() gb=()
	for r in $(seq 1 "$REPS"); do
		BENCH_TIMEOUT=60 bench_run_gen eal "${args[@]}" --duration "$DURATION"
		rates+=("$(bench_kv "$BENCH_OUT" rate: mpps)")
		gb+=("$(bench_kv "$BENCH_OUT" rate: l1_gbps)")
		l50+=("$(bench_kv "$BENCH_OUT" latency_ns: p50)")
		l99+=("$(bench_kv "$BENCH_OUT" latency_ns: p99)")
	done
	read -r rmin rmed rmax <<<"$(bench_stats "${rates[@]}")"
	pps=$(awk -v m="$rmed" 'BEGIN { printf "%.0f", m * 1e6 / 2 }')
	BENCH_TIMEOUT=60 bench_run_gen eal "${args[@]}" --duration "$DURATION" --rate "$pps"
	p=$BENCH_OUT
	row="$grp,$fs,$nbs,$nbls,$vcs,$wk,$rmin,$rmed,$rmax,$(bench_median "${gb[@]}"),$(bench_median_int "${l50[@]}"),$(bench_median_int "${l99[@]}")"
	row+=",$(awk -v x="$pps" 'BEGIN { printf "%.3f", x / 1e6 }'),$(bench_kv "$p" rate: mpps)"
	for k in p50 p90 p99 p999 max; do row+=",$(bench_kv "$p" latency_ns: "$k")"; done
	csv+=("$row")
	echo "# $row" >&2
done

render_md() {
	echo "| grp | frame B | NB/NBL | NBL/chain | VCs | workers | Mpps min | Mpps median | Mpps max | L1 Gb/s | p50 ns @max | p99 ns @max | paced Mpps (target) | p50 ns | p90 ns | p99 ns | p99.9 ns | max ns |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	local i
	for ((i = 1; i < ${#csv[@]}; i++)); do
		IFS=, read -r g f n b v w a m x l q9 q99 pt pa p50 p90 p99 p999 pmax <<<"${csv[$i]}"
		echo "| $g | $f | $n | $b | $v | $w | $a | $m | $x | $l | $q9 | $q99 | $pa ($pt) | $p50 | $p90 | $p99 | $p999 | $pmax |"
	done
}
echo
render_md
if [[ -n "$OUT" ]]; then
	printf '%s\n' "${csv[@]}" >"$OUT.csv"
	{ bench_machine; echo; render_md; } >"$OUT.md"
	echo "# wrote $OUT.csv and $OUT.md"
fi
