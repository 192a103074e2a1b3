#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# condis-gen vs dpdk-testpmd txonly, same CPU, same device (net_null), 64-byte frames
# (condis-gen --frame-size 64 = testpmd --txpkts=60: the frame size counts the FCS),
# burst/chain of 32. Runs are interleaved in ABBA order (testpmd first in odd repetitions,
# condis-gen first in even ones); each repetition gives a paired ratio condis-gen/testpmd.
# Prints each case's min/median/max, an ~95 % confidence interval of the median and
# the paired ratios. Exits 1 if a case's median ratio is below its target.
#
# Usage: compare-testpmd.sh [-n REPS] [-d SECONDS] [-w WARMUP] [-c CPU] [-a]
#                           [-t TARGET_1VC] [-T TARGET_1024VC] [-v "CASES"] [-C FILE]
#   -n REPS      repetitions per case (default 5; env REPS)
#   -d SECONDS   measured seconds per run (default 5; env DURATION)
#   -w WARMUP    testpmd warm-up periods (1 s each) ignored (default 2; env WARMUP)
#   -c CPU       CPU both senders run on (default 1 if the machine has 2+ CPUs; env CPU)
#   -t TARGET    median ratio target at 1 VC (default 1.0; env TARGET_1)
#   -T TARGET    median ratio target at every other VC count (default 0.95; env TARGET_N)
#   -v "LIST"    cases: VC counts (default "1 1024"; env CASES), each in the SHAPE, or
#                VCS:NBS:NBLS for a case with its own shape ("1:8:4")
#   -a           every target of issue 12 in one run: cases "1 1024 1:8:4" (unless -v
#                names others), then scaling.sh (two workers against one, as many
#                repetitions) with its target 1.9 (env TARGET_2W)
#   -C FILE      also write the table as CSV
#   env SHAPE    condis-gen chain shape "NBS_PER_NBL NBLS_PER_CHAIN" (default "1 32":
#                one frame per NBL, 32 NBLs per call; "8 4" sends the same 32 frames
#                per call as 4 NBLs of 8 NBs)
# Pinning: testpmd --lcores 0@M,1@CPU (its forwarding lcore 1 on CPU, main lcore M on the
# other CPU, mostly asleep), condis-gen --lcores 0@CPU (its only worker is lcore 0).
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

REPS=${REPS:-5}
DURATION=${DURATION:-5}
WARMUP=${WARMUP:-2}
TARGET_1=${TARGET_1:-1.0}
TARGET_N=${TARGET_N:-0.95}
CASES=${CASES:-"1 1024"}
read -r SHAPE_NBS SHAPE_NBLS <<<"${SHAPE:-1 32}"
if [[ -z "${CPU:-}" ]]; then
	if (($(nproc) > 1)); then CPU=1; else CPU=0; fi
fi
TARGET_2W=${TARGET_2W:-1.9}
CSV="" ALL=0 CASES_SET=0
while getopts "n:d:w:c:t:T:v:C:ah" o; do
	case $o in
	n) REPS=$OPTARG ;; d) DURATION=$OPTARG ;; w) WARMUP=$OPTARG ;; c) CPU=$OPTARG ;;
	t) TARGET_1=$OPTARG ;; T) TARGET_N=$OPTARG ;; C) CSV=$OPTARG ;;
	v) CASES=$OPTARG CASES_SET=1 ;; a) ALL=1 ;;
	*) sed -n '3,29p' "$0"; exit 2 ;;
	esac
done
((ALL && !CASES_SET)) && CASES="1 1024 1:8:4"
for t in "$TARGET_1" "$TARGET_N" "$TARGET_2W"; do
	bench_is_number "$t" || bench_die "a target must be a number: '$t'"
done
for case in $CASES; do
	[[ "$case" =~ ^[1-9][0-9]*(:[1-9][0-9]*:[1-9][0-9]*)?$ ]] ||
		bench_die "bad case '$case' (VCS or VCS:NBS:NBLS, each from 1)"
done
[[ "$DURATION" =~ ^[0-9]+$ && "$DURATION" -ge 1 ]] ||
	bench_die "-d must be whole seconds >= 1 (testpmd samples every second)"
bench_check_gen
bench_check_testpmd

# testpmd's main lcore goes to another CPU when there is one.
MAIN_CPU=0
((CPU == 0 && $(nproc) > 1)) && MAIN_CPU=1
TP_LCORES=(--lcores "0@$MAIN_CPU,1@$CPU")
GEN_EAL=(--lcores "0@$CPU" --no-huge -m "$BENCH_MEM" --no-pci)

bench_machine
echo "# compare-testpmd: reps=$REPS duration=${DURATION}s testpmd_warmup=${WARMUP}x1s cpu=$CPU frame=64B(60+FCS) burst=32 shape=${SHAPE_NBS}NB/NBL x ${SHAPE_NBLS}NBL/chain cases=\"$CASES\""
echo "# testpmd pinning: ${TP_LCORES[*]} (forwarding lcore 1 on CPU $CPU); condis-gen pinning: ${GEN_EAL[*]:0:2}"
est=$(( $(wc -w <<<"$CASES") * REPS * (2 * DURATION + WARMUP + 8) ))
((ALL)) && est=$((est + REPS * 4 * (DURATION + 6)))
echo "# estimated runtime: $est s"

# One condis-gen run; its rate in GEN_RATE, its output in BENCH_OUT.
run_gen() { # vcs nbs-per-nbl nbls-per-chain
	BENCH_TIMEOUT=$((DURATION + 60)) bench_run_gen GEN_EAL --vcs "$1" --frame-size 64 \
		--nbs-per-nbl "$2" --nbls-per-chain "$3" --duration "$DURATION" --drain 1
	GEN_RATE=$(bench_kv "$BENCH_OUT" rate: mpps)
	local bad
	bad=$(awk '$1 == "total:"' "$BENCH_OUT" | tr ' ' '\n' |
		awk -F= '$1 ~ /invalid_length|resources|failure|other/ { s += $2 } END { print s + 0 }')
	((bad == 0)) || bench_die "condis-gen reported $bad failed completions"
}

fail=0
rows=()
pairs=()
for case in $CASES; do
	IFS=: read -r vcs nbs nbls <<<"$case"
	nbs=${nbs:-$SHAPE_NBS} nbls=${nbls:-$SHAPE_NBLS}
	label=$vcs
	[[ "$nbs $nbls" != "$SHAPE_NBS $SHAPE_NBLS" ]] && label="$vcs (${nbs}x$nbls)"
	target=$TARGET_N
	((vcs == 1)) && target=$TARGET_1
	tp=() gen=() ratio=()
	for r in $(seq 1 "$REPS"); do
		echo "# case $label rep $r/$REPS" >&2
		# ABBA order: a drift of the host's speed within a pair favours neither.
		if ((r % 2)); then
			bench_run_testpmd TP_LCORES "$WARMUP" "$DURATION"
			t=$BENCH_RATE
			run_gen "$vcs" "$nbs" "$nbls"
		else
			run_gen "$vcs" "$nbs" "$nbls"
			bench_run_testpmd TP_LCORES "$WARMUP" "$DURATION"
			t=$BENCH_RATE
		fi
		g=$GEN_RATE
		tp+=("$t") gen+=("$g")
		ratio+=("$(awk -v g="$g" -v t="$t" 'BEGIN { printf "%.4f", (t > 0) ? g / t : 0 }')")
		echo "#   testpmd=${t} Mpps condis-gen=${g} Mpps ratio=${ratio[-1]}" >&2
	done
	read -r tmin tmed tmax <<<"$(bench_stats "${tp[@]}")"
	read -r gmin gmed gmax <<<"$(bench_stats "${gen[@]}")"
	read -r rmin rmed rmax <<<"$(bench_stats "${ratio[@]}")"
	read -r tlo thi <<<"$(bench_median_ci "${tp[@]}")"
	read -r glo ghi <<<"$(bench_median_ci "${gen[@]}")"
	read -r rlo rhi <<<"$(bench_median_ci "${ratio[@]}")"
	wins=$(printf '%s\n' "${ratio[@]}" | awk '$1 > 1 { w++ } END { print w + 0 }')
	pairs+=("# $label paired ratios (run order): ${ratio[*]}; condis-gen faster in $wins of $REPS")
	verdict=PASS
	if bench_below "$rmed" "$target"; then
		verdict=FAIL
		fail=1
	fi
	rows+=("$label|testpmd txonly Mpps|$tmin|$tmed|$tmax|$tlo-$thi||")
	rows+=("$label|condis-gen Mpps|$gmin|$gmed|$gmax|$glo-$ghi||")
	rows+=("$label|ratio condis-gen/testpmd|$rmin|$rmed|$rmax|$rlo-$rhi|$target|$verdict")
done

echo
echo "| case (VCs) | metric | min | median | max | median ~95 % CI | target (median) | result |"
echo "|---:|---|---:|---:|---:|---:|---:|---|"
for row in "${rows[@]}"; do echo "| ${row//|/ | } |"; done
printf '%s\n' "${pairs[@]}"
if [[ -n "$CSV" ]]; then
	{
		echo "case,metric,min,median,max,median_ci,target,result"
		for row in "${rows[@]}"; do echo "${row//|/,}"; done
	} >"$CSV"
	echo "# CSV written to $CSV"
fi
if ((ALL)); then
	echo
	rc=0
	"$(dirname "$0")/scaling.sh" -n "$REPS" -d "$DURATION" -t "$TARGET_2W" || rc=$?
	((rc == 0)) || fail=$rc # 1: under target; 2: could not measure
fi
exit $fail
