#!/bin/sh
# guest.sh - runs inside the guest, chroot'ed into the (read-only) host root, copied into the
# writable share by run-guest.sh. Reads job.env from the share, then:
#   1. reserves HUGEPAGES x 2 MB hugepages
#   2. binds the NIC at NIC_PCI (expected vendor:device NIC_ID) to vfio-pci
#   3. runs cmd.sh from the share with CONDIS_PCI / CONDIS_SHARE exported, stdout and stderr
#      into the share, under `timeout CMD_TIMEOUT`, and writes its exit code to share/rc
# Progress goes to the console (the host's console.log) and share/guest.log.
S=/run/vfio-share
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root
. $S/job.env

t0=$(cut -d' ' -f1 /proc/uptime)
log() { echo "guest.sh [$(cut -d' ' -f1 /proc/uptime)s]: $*" | tee -a $S/guest.log; }
fail() { log "FAIL: $*"; echo 125 > $S/rc; exit 1; }

log "kernel $(uname -r), $(nproc) cpus, booted in ${t0}s"

# 1. hugepages
echo "$HUGEPAGES" > /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
got=$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages)
[ "$got" -ge "$HUGEPAGES" ] || fail "asked for $HUGEPAGES hugepages, got $got"
log "hugepages: $got x 2048 kB"

# 2. bind the NIC to vfio-pci
dev=/sys/bus/pci/devices/$NIC_PCI
[ -d "$dev" ] || { ls /sys/bus/pci/devices | tee -a $S/guest.log; fail "no PCI device $NIC_PCI"; }
id="$(sed 's/^0x//' $dev/vendor):$(sed 's/^0x//' $dev/device)"
[ "$id" = "$NIC_ID" ] || fail "$NIC_PCI is $id, expected $NIC_ID"
[ -d /sys/bus/pci/drivers/vfio-pci ] || fail "vfio-pci driver not loaded"
echo vfio-pci > $dev/driver_override
if [ -e $dev/driver ]; then echo "$NIC_PCI" > $dev/driver/unbind; fi
echo "$NIC_PCI" > /sys/bus/pci/drivers_probe
drv=$(basename "$(readlink $dev/driver 2>/dev/null)")
[ "$drv" = vfio-pci ] || fail "$NIC_PCI bound to '$drv', not vfio-pci (IOMMU on?)"
grp=$(basename "$(readlink $dev/iommu_group)")
[ -e /dev/vfio/$grp ] || fail "no /dev/vfio/$grp"
log "$NIC_PCI ($id) bound to vfio-pci, iommu group $grp"

# 3. the command
export CONDIS_PCI=$NIC_PCI CONDIS_SHARE=$S CONDIS_NIC=$NIC
cd "${CMD_CWD:-/}" 2>/dev/null || cd /
log "running cmd.sh (timeout ${CMD_TIMEOUT}s)"
timeout -k 5 "$CMD_TIMEOUT" /bin/sh $S/cmd.sh > $S/stdout 2> $S/stderr < /dev/null
rc=$?
echo $rc > $S/rc
log "cmd.sh exited with $rc"
sync
exit 0
