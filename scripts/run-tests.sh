#!/usr/bin/env bash
# The test command: builds condis four times (plain; ASan+UBSan; clang with libFuzzer,
# ASan and UBSan; release, -O3, compile only), runs the `fast` suite on the first two,
# the `fuzz` suite on the third and the `valgrind` and `e2e` suites on the plain build,
# and ends with one line "N passed, N failed".
#   SUITES="fast" scripts/run-tests.sh    # only the fast suite
set -uo pipefail
cd "$(dirname "$0")/.."
suites=${SUITES:-fast valgrind e2e}
passed=0 failed=0 skipped=0

build() { # dir, meson options...
	local dir=$1; shift
	if [ ! -f "$dir/build.ninja" ]; then
		meson setup "$dir" "$@" >"$dir.setup.log" 2>&1 || { cat "$dir.setup.log"; return 1; }
	fi
	ninja -C "$dir" >"$dir.ninja.log" 2>&1 || { tail -50 "$dir.ninja.log"; return 1; }
}

run_suite() { # dir, suite
	local dir=$1 suite=$2 log
	log=$(mktemp)
	meson test -C "$dir" --suite "$suite" --print-errorlogs --num-processes 2 2>&1 | tee "$log"
	passed=$((passed + $(awk '/^Ok:/{print $2}' "$log")))
	failed=$((failed + $(awk '/^(Fail|Timeout|Unexpected Pass):/{s+=$2} END{print s+0}' "$log")))
	skipped=$((skipped + $(awk '/^Skipped:/{print $2}' "$log")))
	rm -f "$log"
}

if build build; then
	for s in $suites; do run_suite build "$s"; done
else
	echo "plain build failed"; failed=$((failed + 1))
fi
if [[ " $suites " == *" fast "* ]]; then
	if build build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug; then
		ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
			run_suite build-asan fast
	else
		echo "sanitizer build failed"; failed=$((failed + 1))
	fi
fi
# libFuzzer targets, clang with ASan+UBSan: each runs FUZZ_SECONDS (default 20) from
# its seed corpus and checks the invariant on every input (tests/fuzz).
if [[ " $suites " == *" fast "* ]]; then
	if CC=clang build build-fuzz -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false \
		-Dbuildtype=debug; then
		run_suite build-fuzz fuzz
	else
		echo "fuzz build failed"; failed=$((failed + 1))
	fi
fi
# -O3 finds warnings -O2 does not (maybe-uninitialized); -Werror makes them failures.
if [[ " $suites " == *" fast "* ]]; then
	if build build-release -Dbuildtype=release; then
		echo "release build (-O3 -Werror): OK"; passed=$((passed + 1))
	else
		echo "release build (-O3 -Werror): FAIL"; failed=$((failed + 1))
	fi
fi
echo "($skipped skipped)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
