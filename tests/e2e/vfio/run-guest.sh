#!/bin/bash
# shellcheck disable=SC2054  # QEMU options are comma-separated on purpose
# run-guest.sh [options] -- COMMAND [ARG...]
#
# Boot a throw-away QEMU guest (q35 + intel-iommu, TCG) with one emulated NIC, reserve
# hugepages, bind the NIC to vfio-pci, run COMMAND inside the guest and power off.
# Every frame the NIC transmits is written by QEMU's filter-dump to WORKDIR/tx.pcap.
#
# The guest's root file system is the host's, shared read-only over 9p, so COMMAND and its
# libraries must be visible there. The guest mounts its own tmpfs over /tmp, /run and
# /dev/shm: binaries under those host paths must be made visible with --share DIR.
#
# In the guest COMMAND sees:
#   CONDIS_PCI    PCI address of the NIC (0000:00:05.0), bound to vfio-pci
#   CONDIS_NIC    the --nic value
#   CONDIS_SHARE  a writable directory shared with the host (WORKDIR/share)
#
# Options:
#   --nic NIC         e1000 | e1000e | virtio (modern, iommu_platform=on) | virtio-legacy
#                     | vmxnet3                                        (default e1000)
#   --workdir DIR     outputs go here (default: a new mktemp -d directory); afterwards:
#                       tx.pcap            frames transmitted by the NIC
#                       console.log        guest serial console
#                       qemu.log           QEMU's own stderr
#                       qemu.cmd           the QEMU command line
#                       share/stdout, share/stderr, share/rc   COMMAND's output, exit code
#                       share/guest.log    harness log from inside the guest
#   --timeout S       hard limit on the whole QEMU run, boot included (default 240)
#   --cmd-timeout S   limit on COMMAND inside the guest (default: timeout - 40)
#   --hugepages N     2 MB hugepages to reserve in the guest (default 256)
#   --mem MB          guest memory (default 2048)
#   --smp N           guest CPUs (default 2)
#   --share DIR       also share host DIR, read-only, at the same path (repeatable)
#   --cwd DIR         working directory of COMMAND in the guest (default /)
#   --accel A         QEMU accelerator (default tcg; kvm is untested, see docs/REAL-NIC.md)
#   --cache DIR       kernel + initramfs cache (default $CONDIS_VFIO_CACHE, else
#                     /var/tmp/condis-vfio for root, ~/.cache/condis-vfio otherwise)
#
# Exit status: COMMAND's exit status; 124 if COMMAND or QEMU timed out; 125 if the guest
# did not get as far as running COMMAND; 77 if this host cannot run the guest at all.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
log() { echo "run-guest: $*" >&2; }
skip() { log "SKIP: $*"; exit 77; }
die() { log "ERROR: $*"; exit 125; }

nic=e1000 workdir='' timeout=240 cmd_timeout='' hugepages=256 mem=2048 smp=2 cwd=/ accel=tcg
shares=()
if [ -n "${CONDIS_VFIO_CACHE:-}" ]; then cache=$CONDIS_VFIO_CACHE
elif [ "$(id -u)" = 0 ]; then cache=/var/tmp/condis-vfio
else cache=${XDG_CACHE_HOME:-$HOME/.cache}/condis-vfio
fi

while [ $# -gt 0 ]; do
    case $1 in
        --nic) nic=$2; shift 2 ;;
        --workdir) workdir=$2; shift 2 ;;
        --timeout) timeout=$2; shift 2 ;;
        --cmd-timeout) cmd_timeout=$2; shift 2 ;;
        --hugepages) hugepages=$2; shift 2 ;;
        --mem) mem=$2; shift 2 ;;
        --smp) smp=$2; shift 2 ;;
        --share) shares+=("$(cd "$2" && pwd -P)") || die "--share $2: no such directory"; shift 2 ;;
        --cwd) cwd=$2; shift 2 ;;
        --accel) accel=$2; shift 2 ;;
        --cache) cache=$2; shift 2 ;;
        --) shift; break ;;
        -h|--help) sed -n '3,/^set -/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option $1 (COMMAND goes after --)" ;;
    esac
done
[ $# -gt 0 ] || die "no COMMAND (usage: run-guest.sh [options] -- COMMAND [ARG...])"
[ -n "$cmd_timeout" ] || cmd_timeout=$(( timeout > 80 ? timeout - 40 : timeout / 2 ))

pci=0000:00:05.0
case $nic in
    e1000)  dev="e1000,romfile=" ; id=8086:100e ;;
    e1000e) dev="e1000e,romfile="; id=8086:10d3 ;;
    virtio) dev="virtio-net-pci,disable-legacy=on,iommu_platform=on,romfile="; id=1af4:1041 ;;
    virtio-legacy) dev="virtio-net-pci,romfile="; id=1af4:1000 ;; # bypasses the vIOMMU: needs --iova-mode=pa
    vmxnet3) dev="vmxnet3,romfile="; id=15ad:07b0 ;;
    *) die "unknown --nic $nic (e1000, e1000e, virtio, virtio-legacy, vmxnet3)" ;;
esac

qemu=$(command -v qemu-system-x86_64) || skip "no qemu-system-x86_64 (apt-get install qemu-system-x86)"
command -v timeout >/dev/null || skip "no timeout(1)"
[ "$accel" != kvm ] || [ -w /dev/kvm ] || skip "--accel kvm but /dev/kvm is not usable"

mkdir -p "$cache" || die "cannot create cache dir $cache"
kdir=$("$here/fetch-kernel.sh" "$cache"); rc=$?
[ $rc = 77 ] && exit 77
[ $rc = 0 ] || die "fetch-kernel.sh failed ($rc)"
initrd=$("$here/build-initramfs.sh" "$cache" "$kdir"); rc=$?
[ $rc = 77 ] && exit 77
[ $rc = 0 ] || die "build-initramfs.sh failed ($rc)"
vmlinuz=$(ls "$kdir"/boot/vmlinuz-* | head -n1)
[ -f "$vmlinuz" ] || die "no vmlinuz in $kdir/boot"

if [ -z "$workdir" ]; then
    workdir=$(mktemp -d "${TMPDIR:-/tmp}/condis-vfio.XXXXXX") || die "mktemp failed"
fi
mkdir -p "$workdir" || die "cannot create $workdir"
workdir=$(cd "$workdir" && pwd -P)
share=$workdir/share
rm -rf "$share" "$workdir/tx.pcap" "$workdir/console.log" "$workdir/qemu.log"
mkdir -p "$share"
chmod 777 "$share"

# The job: environment for guest.sh, and COMMAND quoted for /bin/sh.
sq() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
{
    echo "NIC=$nic"
    echo "NIC_PCI=$pci"
    echo "NIC_ID=$id"
    echo "HUGEPAGES=$hugepages"
    echo "CMD_TIMEOUT=$cmd_timeout"
    echo "CMD_CWD=$(sq "$cwd")"
} > "$share/job.env"
{
    printf 'exec'
    for a in "$@"; do printf ' %s' "$(sq "$a")"; done
    printf '\n'
} > "$share/cmd.sh"
cp "$here/guest.sh" "$share/guest.sh"

qargs=(
    -machine q35,accel="$accel" -smp "$smp" -m "$mem"
    -display none -no-reboot -nodefaults -monitor none
    -serial "file:$workdir/console.log"
    -kernel "$vmlinuz" -initrd "$initrd"
    -append "console=ttyS0 intel_iommu=on panic=-1 loglevel=4"
    -device intel-iommu,intremap=on,aw-bits=48
    # The NIC on a hub with a second, unattached port (with only one port virtio-net stalls
    # after the first frame); filter-dump records every frame the NIC sends.
    -netdev hubport,id=n0,hubid=0 -netdev hubport,id=sink,hubid=0
    -object "filter-dump,id=f0,netdev=n0,file=$workdir/tx.pcap"
    -device "$dev,addr=0x5,netdev=n0"
    -fsdev local,id=fs0,path=/,security_model=none,readonly=on,multidevs=remap
    -device virtio-9p-pci,fsdev=fs0,mount_tag=hostroot
    -fsdev "local,id=fs1,path=$share,security_model=none,multidevs=remap"
    -device virtio-9p-pci,fsdev=fs1,mount_tag=lab
)
if [ "$accel" = kvm ]; then qargs+=(-cpu host,-arch-capabilities); else qargs+=(-cpu max); fi
i=0
: > "$share/shares"
for d in "${shares[@]}"; do
    [[ $d == *,* || $d == *' '* ]] && die "--share $d: commas and spaces are not supported"
    qargs+=(-fsdev "local,id=fsx$i,path=$d,security_model=none,readonly=on,multidevs=remap"
            -device "virtio-9p-pci,fsdev=fsx$i,mount_tag=x$i")
    echo "x$i $d" >> "$share/shares"
    i=$((i + 1))
done

# The exact command line, for reproducing a run by hand.
shq() { if [[ $1 =~ ^[A-Za-z0-9_,.=/:+@%-]+$ ]]; then printf '%s' "$1"; else sq "$1"; fi; }
{
    printf '%s' "$(shq "$qemu")"
    for ((k = 0; k < ${#qargs[@]}; k++)); do
        printf ' \\\n  %s' "$(shq "${qargs[k]}")"
        if [[ ${qargs[k+1]:-} != -* ]] && ((k + 1 < ${#qargs[@]})); then
            k=$((k + 1)); printf ' %s' "$(shq "${qargs[k]}")"
        fi
    done
    printf '\n'
} > "$workdir/qemu.cmd"
log "nic=$nic ($id at $pci) accel=$accel timeout=${timeout}s workdir=$workdir"
t0=$(date +%s.%N)
timeout -k 10 "$timeout" "$qemu" "${qargs[@]}" < /dev/null > "$workdir/qemu.log" 2>&1
qrc=$?
t1=$(date +%s.%N)
wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}')

if [ $qrc = 124 ] || [ $qrc = 137 ]; then
    log "QEMU killed after the ${timeout}s hard timeout"
elif [ $qrc != 0 ]; then
    log "QEMU exited with $qrc:"; sed 's/^/  qemu: /' "$workdir/qemu.log" >&2
fi
if [ -s "$share/rc" ]; then
    rc=$(cat "$share/rc")
    [ "$rc" = 124 ] && log "COMMAND hit its ${cmd_timeout}s timeout in the guest"
else
    log "the guest never finished COMMAND; last console lines:"
    tail -n 25 "$workdir/console.log" 2>/dev/null | sed 's/^/  console: /' >&2
    if [ $qrc = 124 ] || [ $qrc = 137 ]; then rc=124; else rc=125; fi
fi
log "done in ${wall}s: rc=$rc, pcap $workdir/tx.pcap ($(stat -c %s "$workdir/tx.pcap" 2>/dev/null || echo 0) bytes)"
exit "$rc"
