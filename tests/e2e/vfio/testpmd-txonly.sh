#!/bin/sh
# testpmd-txonly.sh SECONDS [TESTPMD_APP_ARG...]
#
# Runs inside a run-guest.sh guest: `dpdk-testpmd --forward-mode=txonly` on $CONDIS_PCI for
# SECONDS after forwarding starts, then presses enter so testpmd prints its statistics and
# exits. Used to validate the harness independently of condis-gen. The default frame is
# testpmd's 64-byte txonly UDP frame (--txpkts=64, i.e. a 68-byte frame with FCS).
# IOVA=pa in the environment selects --iova-mode=pa (legacy virtio bypasses the vIOMMU).
set -u
secs=${1:?usage: testpmd-txonly.sh SECONDS [TESTPMD_APP_ARG...]}
shift
: "${CONDIS_PCI:?not in a run-guest.sh guest}"
testpmd=$(command -v dpdk-testpmd) || { echo "no dpdk-testpmd" >&2; exit 77; }
dir=$(mktemp -d)
mkfifo "$dir/in"
out=$dir/out
stdbuf -oL "$testpmd" -l 0-1 -n 1 -a "$CONDIS_PCI" --iova-mode="${IOVA:-va}" \
    --file-prefix=vfio --no-telemetry -- \
    --forward-mode=txonly --total-num-mbufs=8192 --txpkts=64 "$@" < "$dir/in" > "$out" 2>&1 &
pid=$!
exec 3> "$dir/in"
n=0
until grep -q 'Press enter to exit' "$out"; do
    if ! kill -0 $pid 2>/dev/null; then cat "$out"; wait $pid; exit $?; fi
    n=$((n + 1)); [ $n -lt 1200 ] || { echo "testpmd did not start in 120 s" >&2; cat "$out"; kill $pid; exit 1; }
    sleep 0.1
done
sleep "$secs"
echo >&3
wait $pid
rc=$?
cat "$out"
exit $rc
