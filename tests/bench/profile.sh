#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Where the time goes, beside where the instructions go, for condis-gen on net_null
# (64 B, 1 NB per NBL, 32 NBLs per chain). Machines without hardware counters (like
# this project's VMs) still have perf's cpu-clock event: a timer samples the sending
# lcore, so a function's share of samples is its share of time, stalls included.
# callgrind gives its share of instructions. A function whose time share is well above
# its instruction share waits on memory or on a chain of dependent loads; the ratio
# column says by how much (1.0 = the program's average instructions per cycle).
#
# Usage: profile.sh [-d SECONDS] [-v VCS] [-n PKTS_PER_VC] [-o DIR]
#   -d SECONDS   perf sampling run (default 4; env DURATION)
#   -v VCS       VC count (default 1; env VCS)
#   -n N         callgrind --count per VC (default 100000; env COUNT)
#   -o DIR       keep perf.data and callgrind.out in DIR (default: temp, removed)
# Needs perf (Debian: linux-perf) and valgrind.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

DURATION=${DURATION:-4}
VCS=${VCS:-1}
COUNT=${COUNT:-100000}
OUTDIR=""
while getopts "d:v:n:o:h" o; do
	case $o in
	d) DURATION=$OPTARG ;; v) VCS=$OPTARG ;; n) COUNT=$OPTARG ;; o) OUTDIR=$OPTARG ;;
	*) sed -n '3,17p' "$0"; exit 2 ;;
	esac
done
command -v perf >/dev/null || bench_die "perf not installed (apt-get install linux-perf)"
command -v valgrind >/dev/null || bench_die "valgrind not installed (apt-get install valgrind)"
bench_check_gen
[[ -n "$OUTDIR" ]] || OUTDIR=$BENCH_TMP/profile
mkdir -p "$OUTDIR"
if [[ -z "${CPU:-}" ]]; then
	if (($(nproc) > 1)); then CPU=1; else CPU=0; fi
fi
GEN_ARGS=(--vcs "$VCS" --frame-size 64 --nbs-per-nbl 1 --nbls-per-chain 32)

bench_machine
echo

# ---- time: perf cpu-clock samples of the sending lcore ----
bench_prefix
cmd=(perf record -e cpu-clock -F 10000 -o "$OUTDIR/perf.data" --
	"$CONDIS_GEN" --lcores "0@$CPU" --no-huge -m "$BENCH_MEM" --no-pci --vdev net_null0
	--log-level=lib.eal:error --file-prefix "$BENCH_PREFIX" -- "${GEN_ARGS[@]}" --duration "$DURATION")
bench_show "${cmd[@]}"
"${cmd[@]}" >"$OUTDIR/perf-run.log" 2>&1 || { tail -20 "$OUTDIR/perf-run.log" >&2; bench_die "perf record failed"; }
perf report -i "$OUTDIR/perf.data" --no-children --sort sym --stdio 2>/dev/null |
	awk '/^ +[0-9.]+%/ { p = $1; sub("%", "", p); $1 = ""; $2 = ""; sub(/^ +/, ""); print p "\t" $0 }' \
	>"$OUTDIR/time.tsv"

# ---- instructions: callgrind, only the send loop and what it calls ----
bench_prefix
out=$OUTDIR/callgrind.out
cmd=(valgrind --tool=callgrind --dump-instr=no --toggle-collect=gen_worker_main --callgrind-out-file="$out"
	"$CONDIS_GEN" -l 0 --no-huge -m "$BENCH_MEM" --no-pci --vdev net_null0 --log-level=lib.eal:error
	--file-prefix "$BENCH_PREFIX" -- "${GEN_ARGS[@]}" --count "$COUNT" --drain 1)
bench_show "${cmd[@]}"
timeout -k 10 900 "${cmd[@]}" >"$OUTDIR/callgrind-run.log" 2>&1 ||
	{ tail -20 "$OUTDIR/callgrind-run.log" >&2; bench_die "condis-gen under valgrind failed"; }
callgrind_annotate --auto=no --inclusive=no --threshold=99.9 "$out" 2>/dev/null |
	sed -nE 's/^ *([0-9][0-9,]*) +\( *([0-9.]+)%\) +(.*)$/\2\t\3/p' | grep -v 'PROGRAM TOTALS' |
	awk -F'\t' '{ f = $2; sub(/ \[.*\]$/, "", f); n = split(f, a, ":"); fn = a[n]
		if (fn !~ /^0x/) sum[fn] += $1 } END { for (k in sum) print sum[k] "\t" k }' \
	>"$OUTDIR/ir.tsv"

echo "$(grep -a '^rate:' "$OUTDIR/perf-run.log" | head -1) (under perf sampling)"
echo
echo "| function | time % (perf cpu-clock) | Ir % (callgrind) | time / Ir |"
echo "|---|---:|---:|---:|"
awk -F'\t' 'NR == FNR { ir[$2] = $1; next }
	$1 >= 1.0 { name = $2; sub(/^\[[.k]\] /, "", name)
		i = (name in ir) ? ir[name] : 0
		if (i > 0) printf "| %s | %.1f | %.1f | %.2f |\n", name, $1, i, $1 / i
		else printf "| %s | %.1f | - | - |\n", name, $1 }' "$OUTDIR/ir.tsv" "$OUTDIR/time.tsv"
echo
echo "(Functions under 1 % of samples are left out. Addresses without a name are in Debian's"
echo "stripped DPDK PMDs; callgrind counts their inlined code under the caller's name, perf"
echo "under the address, so only named condis functions are compared.)"
