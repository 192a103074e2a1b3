#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# What libcondis exports (nm -D) must be exactly what its version script lists
# and what the installed headers declare (gcc -aux-info over every public
# header): no internal symbol leaks, no public one is missing.
set -euo pipefail
build=${1:?usage: test-symbols.sh BUILD_DIR SOURCE_DIR}
src=${2:?usage: test-symbols.sh BUILD_DIR SOURCE_DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

nm -D --defined-only "$build/lib/libcondis.so" | awk '$2 ~ /^[TDBRW]$/ {print $3}' |
	sed 's/@.*//' | sort -u >"$tmp/exported"
sed -n 's/^[[:space:]]*\(condis_[a-z0-9_]*\);.*/\1/p' "$src/lib/condis.map" | sort -u >"$tmp/map"

# libcondis: the API, the SDK and the miniports linked into it (pmd/ethdev);
# pmd/sim is a library of its own, checked on its own below.
headers=("$src"/lib/include/condis/*.h "$src"/lib/sdk/condis/*.h "$src"/pmd/ethdev/include/condis/*.h)
for h in "${headers[@]}"; do echo "#include <condis/$(basename "$h")>"; done >"$tmp/all.c"
# shellcheck disable=SC2046
cc -c -o /dev/null -aux-info "$tmp/aux" "$tmp/all.c" -I"$src/lib/include" -I"$src/lib/sdk" \
	$(for d in "$src"/pmd/*/include; do echo "-I$d"; done) $(pkg-config --cflags libdpdk)
# Non-static functions declared in our headers (not DPDK's, not inline helpers).
grep -E "/(lib/include|lib/sdk|pmd/ethdev/include)/condis/" "$tmp/aux" | grep -v ' static ' |
	grep -oE '\bcondis_[a-z0-9_]+ \(' | sed 's/ (//' | sort -u >"$tmp/declared"

status=0
report() { # name, file A, file B: lines in A missing from B
	local missing
	missing=$(comm -23 "$2" "$3")
	if [ -n "$missing" ]; then
		echo "$1:"; echo "$missing" | sed 's/^/  /'; status=1
	fi
}
report "exported but not declared in a public header" "$tmp/exported" "$tmp/declared"
report "declared in a public header but not exported" "$tmp/declared" "$tmp/exported"
report "exported but not in lib/condis.map" "$tmp/exported" "$tmp/map"
report "in lib/condis.map but not exported" "$tmp/map" "$tmp/exported"
echo "$(wc -l <"$tmp/exported") symbols exported, $(wc -l <"$tmp/declared") declared, $(wc -l <"$tmp/map") in the map"

# libcondis_sim (pmd/sim): exports exactly what condis_sim.h declares.
nm -D --defined-only "$build/pmd/sim/libcondis_sim.so" | awk '$2 ~ /^[TDBRW]$/ {print $3}' |
	sed 's/@.*//' | sort -u >"$tmp/sim_exported"
echo "#include <condis/condis_sim.h>" >"$tmp/sim.c"
# shellcheck disable=SC2046
cc -c -o /dev/null -aux-info "$tmp/sim_aux" "$tmp/sim.c" -I"$src/lib/include" \
	-I"$src/pmd/sim/include" $(pkg-config --cflags libdpdk)
grep -E "/pmd/sim/include/condis/" "$tmp/sim_aux" | grep -v ' static ' |
	grep -oE '\bcondis_[a-z0-9_]+ \(' | sed 's/ (//' | sort -u >"$tmp/sim_declared"
report "libcondis_sim: exported but not declared in condis_sim.h" "$tmp/sim_exported" "$tmp/sim_declared"
report "libcondis_sim: declared in condis_sim.h but not exported" "$tmp/sim_declared" "$tmp/sim_exported"
echo "libcondis_sim: $(wc -l <"$tmp/sim_exported") symbols exported, $(wc -l <"$tmp/sim_declared") declared"
exit $status
