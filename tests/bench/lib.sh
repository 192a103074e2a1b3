# SPDX-License-Identifier: BSD-3-Clause
# Shared helpers of the tests/bench scripts (sourced, not run).
#
# Environment:
#   BENCH_BUILD   meson build dir holding apps/condis-gen (default: <repo>/build; set it to
#                 a frozen copy to measure while build/ is rebuilt)
#   CONDIS_GEN    condis-gen binary (default: $BENCH_BUILD/apps/condis-gen)
#   TESTPMD       testpmd binary (default: dpdk-testpmd from PATH)
#   BENCH_MEM     EAL -m in MB (default 1024)

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/../.." && pwd)

# Never a build found lying around: a stale one measures old code.
BENCH_BUILD=${BENCH_BUILD:-$REPO_DIR/build}
CONDIS_GEN=${CONDIS_GEN:-$BENCH_BUILD/apps/condis-gen}
TESTPMD=${TESTPMD:-$(command -v dpdk-testpmd || true)}
BENCH_MEM=${BENCH_MEM:-1024}

# PIDs of background processes this script started (killed by bench_cleanup).
BENCH_PIDS=()
BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/condis-bench.XXXXXX")

bench_cleanup() {
	local p
	for p in "${BENCH_PIDS[@]:-}"; do
		[[ -n "$p" ]] || continue
		if kill -0 "$p" 2>/dev/null; then
			kill -INT "$p" 2>/dev/null || true
			sleep 1
			kill -KILL "$p" 2>/dev/null || true
		fi
	done
	# DPDK runtime dirs of our unique file prefixes
	rm -rf /var/run/dpdk/cbench-$$-* "${XDG_RUNTIME_DIR:-/nonexistent}"/dpdk/cbench-$$-* 2>/dev/null || true
	if [[ -n "${BENCH_KEEP_TMP:-}" ]]; then
		echo "# raw logs kept in $BENCH_TMP" >&2
	else
		rm -rf "$BENCH_TMP"
	fi
}
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

bench_die() { echo "error: $*" >&2; exit 2; }

# Print a command line (quoted so it can be pasted) to stderr, prefixed by '+ '.
bench_show() {
	local s="+" a
	for a in "$@"; do s+=" $(printf '%q' "$a")"; done
	echo "$s" >&2
}

BENCH_SEQ=0
# A file prefix unique to this script run and call.
bench_prefix() { BENCH_SEQ=$((BENCH_SEQ + 1)); BENCH_PREFIX="cbench-$$-$BENCH_SEQ"; }

bench_check_gen() {
	[[ -x "$CONDIS_GEN" ]] || bench_die "condis-gen not found at $CONDIS_GEN (set BENCH_BUILD or CONDIS_GEN; build with: meson setup build && ninja -C build)"
}
bench_check_testpmd() {
	[[ -n "$TESTPMD" && -x "$TESTPMD" ]] || bench_die "dpdk-testpmd not found (apt-get install dpdk, or set TESTPMD)"
}

# Machine description lines ("# ..."), for the top of every report.
bench_machine() {
	local model cores dpdkv
	model=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)
	cores=$(nproc 2>/dev/null || echo '?')
	dpdkv=$(pkg-config --modversion libdpdk 2>/dev/null || echo '?')
	echo "# date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "# machine: $(uname -n) cpu='${model:-?}' online_cpus=$cores kernel=$(uname -r)"
	echo "# dpdk: $dpdkv (testpmd: ${TESTPMD:-none}), condis-gen: $CONDIS_GEN" \
		"(built $(date -u -r "$CONDIS_GEN" +%FT%TZ 2>/dev/null || echo '?'); source at" \
		"$(git -C "$REPO_DIR" describe --always --dirty 2>/dev/null || echo '?'))"
	echo "# load average: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# Median / min / max of numbers given as arguments (awk, float).
bench_stats() { # -> "min median max"
	printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {
		if (NR == 0) { print "nan nan nan"; exit }
		m = (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2
		printf "%.3f %.3f %.3f\n", v[1], m, v[NR] }'
}
# About 95 % confidence interval of the median, free of any distribution: the order
# statistics at ranks n/2 -+ 0.98 sqrt(n) (normal approximation of the binomial).
# Prints "low high", or "- -" for fewer than 6 values.
bench_median_ci() {
	printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {
		n = NR; if (n < 6) { print "- -"; exit }
		d = 0.98 * sqrt(n); j = int(n / 2 - d + 0.5); k = int(n / 2 + 1 + d + 0.5)
		if (j < 1) j = 1
		if (k > n) k = n
		printf "%.3f %.3f\n", v[j], v[k] }'
}
# A table of min / median / max / ~95 % CI of the median, one row per "label:array-name".
bench_table() {
	local m lo med hi clo chi
	echo "| metric | min | median | max | median ~95 % CI |"
	echo "|---|---:|---:|---:|---:|"
	for m in "$@"; do
		local -n _vals=${m##*:}
		read -r lo med hi <<<"$(bench_stats "${_vals[@]}")"
		read -r clo chi <<<"$(bench_median_ci "${_vals[@]}")"
		echo "| ${m%:*} | $lo | $med | $hi | $clo-$chi |"
		unset -n _vals
	done
}
bench_median() { local s; s=$(bench_stats "$@"); set -- $s; echo "$2"; }
bench_median_int() { bench_median "$@" | awk '{ printf "%.0f\n", $1 }'; }
# Targets: a plain decimal number; a median under its target.
bench_is_number() { [[ "$1" =~ ^[0-9]+([.][0-9]+)?$ ]]; }
bench_below() { awk -v m="$1" -v t="$2" 'BEGIN { exit !(m < t) }'; } # median target

# Extract key=value from a condis-gen line starting with tag ("rate:", "latency_ns:").
bench_kv() { # file tag key
	awk -v tag="$2" -v key="$3" '$1 == tag { for (i = 2; i <= NF; i++) { split($i, kv, "=");
		if (kv[1] == key) { print kv[2]; exit } } }' "$1"
}

# Run condis-gen with EAL args (array name $1) and app args (rest); output in $BENCH_OUT.
# Timeout: duration + 60 s unless BENCH_TIMEOUT is set.
bench_run_gen() {
	local -n _eal=$1; shift
	local to=${BENCH_TIMEOUT:-120} log
	bench_prefix
	log="$BENCH_TMP/gen.$BENCH_SEQ.log"
	local cmd=("$CONDIS_GEN" "${_eal[@]}" --file-prefix "$BENCH_PREFIX" --vdev net_null0
		--log-level=lib.eal:error -- "$@")
	bench_show "${cmd[@]}"
	if ! timeout -s INT -k 10 "$to" "${cmd[@]}" >"$log" 2>&1; then
		cat "$log" >&2
		bench_die "condis-gen failed"
	fi
	if ! grep -q '^rate:' "$log"; then
		cat "$log" >&2
		bench_die "condis-gen printed no rate line"
	fi
	BENCH_OUT=$log
}

# Run testpmd txonly on net_null for warmup+duration periods of 1 s, stop it with SIGINT and
# set BENCH_RATE to the mean Tx-pps (Mpps) of the periods after the warm-up.
# Args: eal-lcore-args(array name) warmup_periods measure_periods [extra testpmd app args...]
bench_run_testpmd() {
	local -n _tl=$1
	local warm=$2 meas=$3; shift 3
	local log pid need n t0
	bench_prefix
	log="$BENCH_TMP/testpmd.$BENCH_SEQ.log"
	local cmd=("$TESTPMD" "${_tl[@]}" --no-huge -m "$BENCH_MEM" --no-pci
		--file-prefix "$BENCH_PREFIX" --vdev net_null0 --log-level=lib.eal:error --
		--forward-mode=txonly --txpkts=60 --burst=32 --total-num-mbufs=8192
		--stats-period 1 "$@")
	bench_show "${cmd[@]}"
	# The log exists before the wait below first reads it (the background
	# job's redirection may open it later).
	: >"$log"
	# stdin from /dev/null: with --stats-period testpmd stops on SIGINT only.
	"${cmd[@]}" </dev/null >>"$log" 2>&1 &
	pid=$!
	BENCH_PIDS+=("$pid")
	# The first Tx-pps line is always 0 (no previous sample); then warm-up; then measure.
	need=$((1 + warm + meas))
	t0=$SECONDS
	while :; do
		n=$(grep -a -c 'Tx-pps:' "$log" || true)
		((n >= need)) && break
		if ! kill -0 "$pid" 2>/dev/null; then
			cat "$log" >&2
			bench_die "testpmd exited early"
		fi
		((SECONDS - t0 > need + 60)) && { cat "$log" >&2; bench_die "testpmd too slow"; }
		sleep 0.2
	done
	kill -INT "$pid" 2>/dev/null || true
	# bounded wait for a clean exit
	for n in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	BENCH_RATE=$(grep -a 'Tx-pps:' "$log" | awk -v s=$((1 + warm)) -v m="$meas" \
		'{ n++; if (n > s && n <= s + m) { sum += $2; k++ } } END { printf "%.3f", k ? sum / k / 1e6 : 0 }')
	BENCH_OUT=$log
}
