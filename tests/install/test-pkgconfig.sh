#!/usr/bin/env bash
# Install condis into a scratch prefix, build hello_protocol.c against it with
# pkg-config alone (shared and static), and run both.
set -euo pipefail
build=${1:?usage: test-pkgconfig.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
DESTDIR=$dest meson install -C "$build" --quiet >/dev/null
pcfile=$(find "$dest" -name condis.pc | head -1)
prefix=$(sed -n 's/^prefix=//p' "$pcfile")
# Point the installed .pc at the scratch prefix (DPDK stays where apt put it).
sed -i "s|^prefix=.*|prefix=$dest$prefix|" "$pcfile"
export PKG_CONFIG_PATH=$(dirname "$pcfile")
runtime_before=$(ls /var/run/dpdk 2>/dev/null | grep '^hello-' || true)
echo "pkg-config --cflags --libs condis: $(pkg-config --cflags --libs condis)"
# A user's build gets no DPDK experimental APIs it did not ask for.
if pkg-config --cflags condis | grep -q ALLOW_EXPERIMENTAL_API; then
	echo "condis.pc forces -DALLOW_EXPERIMENTAL_API"; exit 1
fi
cc -O2 -Wall -Werror -o "$dest/hello" "$here/hello_protocol.c" $(pkg-config --cflags --libs condis)
LD_LIBRARY_PATH=$(pkg-config --variable=libdir condis) "$dest/hello"
# Static: libcondis.a and DPDK's static libraries, from `pkg-config --static`
# alone (the user's flags carry no -DALLOW_EXPERIMENTAL_API).
static_libs=$(pkg-config --static --libs condis)
echo "pkg-config --static --libs condis: ${static_libs:0:120}..."
cc -O2 -Wall -Werror -o "$dest/hello-static" "$here/hello_protocol.c" \
	$(pkg-config --cflags condis) ${static_libs/-lcondis/-l:libcondis.a}
"$dest/hello-static"
# Each run removed its EAL runtime directory (hello-PID).
left=$(comm -13 <(echo "$runtime_before") <(ls /var/run/dpdk 2>/dev/null | grep '^hello-' || true))
[ -z "$left" ] || { echo "left behind in /var/run/dpdk: $left"; exit 1; }
