#!/bin/bash
# fetch-kernel.sh CACHE_DIR
#
# Fetch a Debian linux-image-*-amd64 package with `apt-get download` and unpack it with
# `dpkg -x` under CACHE_DIR/kernel/<package>_<version>/ (nothing is installed on the host).
# Prints that directory on stdout (it holds boot/vmlinuz-* and lib/modules/<kver>/).
#
# CONDIS_VFIO_KERNEL_DEB=/path/to/linux-image-....deb uses a local package instead of apt.
# If the download fails but an earlier kernel is in the cache, that one is reused.
# Exit 77 (skip) when no kernel can be had at all.
set -eu  # no pipefail: "| head -n1" and "awk ...exit" close pipes early

cache=${1:?usage: fetch-kernel.sh CACHE_DIR}
kdir_root=$cache/kernel
mkdir -p "$kdir_root"
log() { echo "fetch-kernel: $*" >&2; }

# Serialise concurrent test runs on the same cache.
exec 9>"$kdir_root/.lock"
flock 9

unpack() { # DEB -> prints dir
    local deb=$1 name dir
    name=$(dpkg-deb -f "$deb" Package)_$(dpkg-deb -f "$deb" Version)
    dir=$kdir_root/$name
    if [ ! -e "$dir/.complete" ]; then
        log "unpacking $(basename "$deb")"
        rm -rf "$dir" "$dir.tmp"
        mkdir -p "$dir.tmp"
        dpkg -x "$deb" "$dir.tmp"
        mv "$dir.tmp" "$dir"
        touch "$dir/.complete"
        # a kernel ABI update: drop older unpacked kernels (about 400 MB each)
        for old in "$kdir_root"/linux-image-*; do
            [ "$old" = "$dir" ] || rm -rf "$old"
        done
    fi
    echo "$dir"
}

newest_cached() {
    local d
    d=$(ls -1dt "$kdir_root"/linux-image-*/.complete 2>/dev/null | head -n1) || true
    [ -n "$d" ] && dirname "$d"
}

if [ -n "${CONDIS_VFIO_KERNEL_DEB:-}" ]; then
    [ -f "$CONDIS_VFIO_KERNEL_DEB" ] || { log "CONDIS_VFIO_KERNEL_DEB=$CONDIS_VFIO_KERNEL_DEB: no such file"; exit 77; }
    unpack "$CONDIS_VFIO_KERNEL_DEB"
    exit 0
fi

for t in apt-cache apt-get dpkg-deb; do
    command -v "$t" >/dev/null || {
        d=$(newest_cached); [ -n "$d" ] && { log "no $t, reusing cached $d"; echo "$d"; exit 0; }
        log "SKIP: no $t and no cached kernel (set CONDIS_VFIO_KERNEL_DEB)"; exit 77; }
done

# linux-image-amd64 is the metapackage; its first linux-image-* dependency is the ABI package.
pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-/{print $2; exit}') || true
if [ -z "$pkg" ]; then
    d=$(newest_cached); [ -n "$d" ] && { log "apt-cache knows no linux-image-amd64, reusing cached $d"; echo "$d"; exit 0; }
    log "SKIP: apt-cache knows no linux-image-amd64 (run apt-get update?) and no cached kernel"
    exit 77
fi
ver=$(apt-cache show --no-all-versions "$pkg" 2>/dev/null | awk '/^Version:/{print $2; exit}')
dir=$kdir_root/${pkg}_$ver
if [ -e "$dir/.complete" ]; then
    echo "$dir"; exit 0
fi

dl=$kdir_root/download
rm -rf "$dl"; mkdir -p "$dl"
chmod 777 "$dl" # so apt can drop privileges to _apt
log "downloading $pkg $ver"
if ! (cd "$dl" && apt-get download -q "$pkg" >&2); then
    d=$(newest_cached); [ -n "$d" ] && { log "download failed, reusing cached $d"; echo "$d"; exit 0; }
    log "SKIP: apt-get download $pkg failed and no cached kernel"
    exit 77
fi
deb=$(ls "$dl"/*.deb | head -n1)
unpack "$deb"
rm -rf "$dl"
