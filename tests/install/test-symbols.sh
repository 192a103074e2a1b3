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

# libcondis_sim (pmd/sim), libcondis_shaper (im/shaper): each exports exactly
# what its own header declares.
check_own() { # name, .so path, header, include dir
	local name=$1 so=$2 header=$3 inc=$4
	nm -D --defined-only "$so" | awk '$2 ~ /^[TDBRW]$/ {print $3}' |
		sed 's/@.*//' | sort -u >"$tmp/${name}_exported"
	echo "#include <condis/$header>" >"$tmp/$name.c"
	# shellcheck disable=SC2046
	cc -c -o /dev/null -aux-info "$tmp/${name}_aux" "$tmp/$name.c" -I"$src/lib/include" \
		-I"$src/lib/sdk" -I"$inc" $(pkg-config --cflags libdpdk)
	grep -E "$inc/condis/" "$tmp/${name}_aux" | grep -v ' static ' |
		grep -oE '\bcondis_[a-z0-9_]+ \(' | sed 's/ (//' | sort -u >"$tmp/${name}_declared"
	report "lib$name: exported but not declared in $header" "$tmp/${name}_exported" "$tmp/${name}_declared"
	report "lib$name: declared in $header but not exported" "$tmp/${name}_declared" "$tmp/${name}_exported"
	echo "lib$name: $(wc -l <"$tmp/${name}_exported") symbols exported, $(wc -l <"$tmp/${name}_declared") declared"
}
check_own condis_sim "$build/pmd/sim/libcondis_sim.so" condis_sim.h "$src/pmd/sim/include"
check_own condis_shaper "$build/im/shaper/libcondis_shaper.so" condis_shaper.h "$src/im/shaper/include"
exit $status
