#!/bin/bash
# build-initramfs.sh CACHE_DIR KERNEL_DIR
#
# Build (or reuse from CACHE_DIR) a gzip'd cpio initramfs with busybox-static, guest-init as
# /init, and the kernel modules from KERNEL_DIR (a `dpkg -x`'d linux-image package, see
# fetch-kernel.sh) needed for 9p over virtio-pci and vfio-pci, in dependency order.
# Prints the initramfs path on stdout. Exit 77 if busybox-static or cpio is missing.
#
# Module dependencies come from each .ko's own "depends=" modinfo field (read with tr/grep,
# so kmod is not needed); the Debian ABI changes them from time to time.
set -eu  # no pipefail: "| head -n1" and "grep -m1" close pipes early

cache=${1:?usage: build-initramfs.sh CACHE_DIR KERNEL_DIR}
kdir=${2:?usage: build-initramfs.sh CACHE_DIR KERNEL_DIR}
here=$(cd "$(dirname "$0")" && pwd)
log() { echo "build-initramfs: $*" >&2; }

# Top-level modules; their dependencies are added automatically.
WANT="9p 9pnet_virtio virtio_pci vfio-pci vfio_iommu_type1"

busybox=
for b in /bin/busybox /usr/bin/busybox; do
    if [ -x "$b" ]; then
        # must be static: the initramfs has no libc
        if ! ldd "$b" >/dev/null 2>&1; then busybox=$b; break; fi
    fi
done
[ -n "$busybox" ] || { log "SKIP: no static busybox (apt-get install busybox-static)"; exit 77; }
command -v cpio >/dev/null || { log "SKIP: no cpio (apt-get install cpio)"; exit 77; }

moddir=$(ls -d "$kdir"/lib/modules/*/ 2>/dev/null | head -n1)
[ -n "$moddir" ] || { log "no lib/modules in $kdir"; exit 1; }
kver=$(basename "$moddir")

# The image depends on the kernel package, guest-init, this script and busybox only.
key=$( { echo "$kdir $kver $WANT"; stat -c '%s %Y' "$busybox"; cat "$here/guest-init" "$0"; } \
    | sha256sum | cut -c1-16)
out=$cache/initrd-$kver-$key.gz
if [ -s "$out" ]; then
    echo "$out"; exit 0
fi
exec 9>"$cache/.initrd.lock"
flock 9
if [ -s "$out" ]; then echo "$out"; exit 0; fi

# name (with '-' folded to '_') -> file
declare -A kofile
while IFS= read -r f; do
    n=$(basename "$f"); n=${n%%.ko*}; kofile[${n//-/_}]=$f
done < <(find "$moddir" -name '*.ko' -o -name '*.ko.xz' -o -name '*.ko.zst' -o -name '*.ko.gz')

modinfo_depends() { # FILE -> space separated names
    local f=$1
    case $f in
        *.xz) xz -dc "$f" ;;
        *.zst) zstd -dc "$f" ;;
        *.gz) gzip -dc "$f" ;;
        *) cat "$f" ;;
    esac | tr '\0' '\n' | grep -a -m1 '^depends=' | sed 's/^depends=//; s/,/ /g'
}

declare -A seen
order=()
visit() { # depth-first: dependencies before the module
    local n=${1//-/_} d
    [ -n "${seen[$n]:-}" ] && return 0
    seen[$n]=1
    [ -n "${kofile[$n]:-}" ] || { log "module $1 not found under $moddir (built in?)"; return 0; }
    for d in $(modinfo_depends "${kofile[$n]}"); do visit "$d"; done
    order+=("$n")
}
for m in $WANT; do visit "$m"; done

log "building $out (modules: ${order[*]})"
tmp=$(mktemp -d "$cache/initrd.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/root/bin" "$tmp/root/modules" "$tmp/root/dev"
cp "$busybox" "$tmp/root/bin/busybox"
install -m 755 "$here/guest-init" "$tmp/root/init"
for n in "${order[@]}"; do
    f=${kofile[$n]}
    case $f in
        *.xz) xz -dc "$f" ;;
        *.zst) zstd -dc "$f" ;;
        *.gz) gzip -dc "$f" ;;
        *) cat "$f" ;;
    esac > "$tmp/root/modules/$n.ko"
done
printf '%s\n' "${order[@]}" > "$tmp/root/modules/order"
(cd "$tmp/root" && find . | cpio -o -H newc --quiet) | gzip -6 > "$tmp/initrd.gz"
mv "$tmp/initrd.gz" "$out"
# drop initramfs images of older keys
find "$cache" -maxdepth 1 -name 'initrd-*.gz' ! -name "$(basename "$out")" -mmin +60 -delete 2>/dev/null || true
echo "$out"
