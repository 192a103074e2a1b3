#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Instructions per packet (valgrind callgrind Ir; deterministic, unlike cycles) of:
#  1. condis-gen's send+complete path: --toggle-collect=gen_worker_main, --count N per VC
#     (64 B, 1 NB/NBL, 32 NBLs/chain) -> Ir / (N * VCs), with a per-function breakdown.
#  2. dpdk-testpmd txonly (--txpkts=60 --burst=32): Debian's testpmd is stripped, so no
#     function can be toggled. Instead --separate-threads=yes gives the forwarding lcore
#     its own profile: its Ir is the txonly loop (mbuf alloc, header copy, tx_burst, the
#     PMD's free) plus the thread's start-up (~1e5 Ir, negligible), divided by the final
#     TX-packets. Main-thread work (init, stats printing) is not counted.
#  3. completion_mech (if built or buildable): Ir/packet of each completion mechanism,
#     --toggle-collect=run_<mech>.
#
# Usage: callgrind.sh [-n PKTS_PER_VC] [-v "VCS ..."] [-t TESTPMD_SECONDS] [-o DIR]
#   -n N      condis-gen --count per VC (default 200000; env COUNT); total packets per
#             case are capped near 2e6 by lowering N for large VC counts
#   -v LIST   VC counts (default "1 1024"; env CASES)
#   -t S      testpmd run time under valgrind (default 10; env TP_SECONDS)
#   -o DIR    keep callgrind.out files and annotations in DIR (default: temp, removed)
# Env: COMPLETION_MECH=path to the binary (default: $BENCH_BUILD/tests/bench/completion_mech,
#      else compiled with cc + pkg-config into the temp dir), MECH_PKTS (default 200000).
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

COUNT=${COUNT:-200000}
CASES=${CASES:-"1 1024"}
TP_SECONDS=${TP_SECONDS:-10}
MECH_PKTS=${MECH_PKTS:-200000}
OUTDIR=""
while getopts "n:v:t:o:h" o; do
	case $o in
	n) COUNT=$OPTARG ;; v) CASES=$OPTARG ;; t) TP_SECONDS=$OPTARG ;; o) OUTDIR=$OPTARG ;;
	*) sed -n '3,26p' "$0"; exit 2 ;;
	esac
done
command -v valgrind >/dev/null || bench_die "valgrind not installed (apt-get install valgrind)"
bench_check_gen
[[ -n "$OUTDIR" ]] || OUTDIR=$BENCH_TMP/cg
mkdir -p "$OUTDIR"
VG=(valgrind --tool=callgrind --dump-instr=no --compress-strings=no)
EAL=(-l 0 --no-huge -m "$BENCH_MEM" --no-pci --vdev net_null0 --log-level=lib.eal:error)

bench_machine
echo "# valgrind: $(valgrind --version)"
echo

ir_total() { awk '/^(summary|totals):/ { print $2; exit }' "$1"; }

results=()
# ---- 1. condis-gen ----
for vcs in $CASES; do
	n=$COUNT
	((n * vcs > 2000000)) && n=$(((2000000 + vcs - 1) / vcs))
	# multiple of 32 so every chain is full
	n=$(((n + 31) / 32 * 32))
	out=$OUTDIR/callgrind.condis-gen.vcs$vcs.out
	bench_prefix
	cmd=("${VG[@]}" --toggle-collect=gen_worker_main --callgrind-out-file="$out"
		"$CONDIS_GEN" "${EAL[@]}" --file-prefix "$BENCH_PREFIX" --
		--vcs "$vcs" --frame-size 64 --nbs-per-nbl 1 --nbls-per-chain 32 --count "$n" --drain 1)
	bench_show "${cmd[@]}"
	timeout -k 10 900 "${cmd[@]}" >"$OUTDIR/condis-gen.vcs$vcs.log" 2>&1 ||
		{ tail -20 "$OUTDIR/condis-gen.vcs$vcs.log" >&2; bench_die "condis-gen under valgrind failed"; }
	pk=$(awk '$1 == "total:"' "$OUTDIR/condis-gen.vcs$vcs.log" | tr ' ' '\n' | awk -F= '$1 == "success_nbs" { print $2 }')
	sent=$(awk '$1 == "total:"' "$OUTDIR/condis-gen.vcs$vcs.log" | tr ' ' '\n' | awk -F= '$1 == "nbs_sent" { print $2 }')
	[[ "$pk" == "$sent" && "$pk" -gt 0 ]] || bench_die "condis-gen: success_nbs=$pk nbs_sent=$sent"
	ir=$(ir_total "$out")
	results+=("condis-gen send+complete (gen_worker_main), $vcs VC|$pk|$ir|$(awk -v a="$ir" -v b="$pk" 'BEGIN { printf "%.1f", a / b }')")
	callgrind_annotate --auto=no --inclusive=no --threshold=99.5 "$out" >"$out.self.txt" 2>/dev/null || true
	callgrind_annotate --auto=no --inclusive=yes --threshold=99.5 "$out" >"$out.incl.txt" 2>/dev/null || true
	{
		echo "### condis-gen, $vcs VC(s): exclusive Ir per packet by function ($pk packets)"
		echo
		echo "| Ir/pkt | share | function (incl. code inlined into it) |"
		echo "|---:|---:|---|"
		# lines: "  6,400,000 (24.03%)  file:function [object]"; inlined code shows up as
		# header.h:caller, so sum by function name (the caller absorbs its inlined code).
		sed -nE 's/^ *([0-9][0-9,]*) +\( *[0-9.]+%\) +(.*)$/\1\t\2/p' "$out.self.txt" |
			grep -v 'PROGRAM TOTALS' |
			awk -F'\t' -v p="$pk" -v tot="$ir" '{ v = $1; gsub(",", "", v); f = $2
				obj = ""; if (match(f, / \[.*\]$/)) { obj = substr(f, RSTART + 2, RLENGTH - 3); f = substr(f, 1, RSTART - 1) }
				n = split(f, a, ":"); fn = a[n]
				if (fn ~ /^0x/) { m = split(obj, o, "/"); fn = "?? " fn " in " o[m] }
				sum[fn] += v }
				END { for (k in sum) if (sum[k] / p >= 0.5)
					printf "| %.1f | %.1f%% | %s |\n", sum[k] / p, 100 * sum[k] / tot, k }' |
			sort -t'|' -k2 -g -r
		echo
	} >"$OUTDIR/breakdown.vcs$vcs.md"
done

# ---- 2. testpmd ----
if [[ -n "$TESTPMD" && -x "$TESTPMD" ]]; then
	bench_prefix
	tpout=$OUTDIR/callgrind.testpmd.out
	rm -f "$tpout"*
	cmd=("${VG[@]}" --separate-threads=yes --callgrind-out-file="$tpout"
		"$TESTPMD" --lcores 0@0,1@$(($(nproc) > 1 ? 1 : 0)) --no-huge -m "$BENCH_MEM" --no-pci
		--file-prefix "$BENCH_PREFIX" --vdev net_null0 --log-level=lib.eal:error --
		--forward-mode=txonly --txpkts=60 --burst=32 --total-num-mbufs=8192 --stats-period 1)
	bench_show "${cmd[@]}"
	"${cmd[@]}" </dev/null >"$OUTDIR/testpmd.log" 2>&1 &
	pid=$!
	BENCH_PIDS+=("$pid")
	# wait until forwarding runs (first stats block), then TP_SECONDS more
	for i in $(seq 1 600); do
		grep -aq 'Tx-pps:' "$OUTDIR/testpmd.log" && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.2
	done
	sleep "$TP_SECONDS"
	kill -INT "$pid" 2>/dev/null || true
	for i in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	pk=$(grep -a 'TX-packets:.*TX-total' "$OUTDIR/testpmd.log" | tail -1 | awk '{ print $2 }')
	# the forwarding thread: the largest per-thread profile other than the main thread (-01)
	best="" bestir=0
	for f in "$tpout"-*; do
		[[ "$f" == "$tpout-01" ]] && continue
		v=$(ir_total "$f")
		((v > bestir)) && { best=$f; bestir=$v; }
	done
	[[ -n "$best" && -n "$pk" && "$pk" -gt 0 ]] || bench_die "testpmd: no forwarding profile or no TX-packets"
	results+=("testpmd txonly forwarding thread ($(basename "$best"))|$pk|$bestir|$(awk -v a="$bestir" -v b="$pk" 'BEGIN { printf "%.1f", a / b }')")
	callgrind_annotate --auto=no --inclusive=no --threshold=99.5 "$best" >"$best.self.txt" 2>/dev/null || true
else
	echo "# testpmd not found: skipped" >&2
fi

# ---- 3. completion_mech ----
CM=${COMPLETION_MECH:-$BENCH_BUILD/tests/bench/completion_mech}
if [[ ! -x "$CM" ]] && command -v cc >/dev/null && pkg-config --exists libdpdk; then
	CM=$BENCH_TMP/completion_mech
	cmd=(cc -std=gnu11 -O2 -g -DALLOW_EXPERIMENTAL_API $(pkg-config --cflags libdpdk)
		"$BENCH_DIR/completion_mech.c" -o "$CM" $(pkg-config --libs libdpdk))
	bench_show "${cmd[@]}"
	"${cmd[@]}"
fi
if [[ -x "$CM" ]]; then
	for m in A:run_carrier B:run_refcnt C:run_extbuf 0:run_none; do
		key=${m%%:*} fn=${m##*:}
		out=$OUTDIR/callgrind.completion_mech.$key.out
		bench_prefix
		cmd=("${VG[@]}" --toggle-collect="$fn" --callgrind-out-file="$out" "$CM"
			-l 0 --no-huge -m 256 --no-pci --vdev net_null0 --log-level=lib.eal:error
			--file-prefix "$BENCH_PREFIX" -- -m "$key" -n "$MECH_PKTS" -r 1 -w 0)
		bench_show "${cmd[@]}"
		timeout -k 10 600 "${cmd[@]}" >"$out.log" 2>&1 || { tail "$out.log" >&2; bench_die "completion_mech $key failed"; }
		name=$(sed -n 's/^mech: key=[^ ]* name=\([^ ]*\).*/\1/p' "$out.log")
		ir=$(ir_total "$out")
		results+=("completion_mech $key $name ($fn)|$MECH_PKTS|$ir|$(awk -v a="$ir" -v b="$MECH_PKTS" 'BEGIN { printf "%.1f", a / b }')")
		callgrind_annotate --auto=no --inclusive=no --threshold=99.5 "$out" >"$out.self.txt" 2>/dev/null || true
	done
fi

echo "| what | packets | Ir | Ir/packet |"
echo "|---|---:|---:|---:|"
for r in "${results[@]}"; do echo "| ${r//|/ | } |"; done
echo
cat "$OUTDIR"/breakdown.vcs*.md
[[ "$OUTDIR" == "$BENCH_TMP/cg" ]] || echo "# callgrind files and annotations in $OUTDIR"
