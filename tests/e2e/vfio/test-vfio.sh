#!/bin/bash
# test-vfio.sh [--testpmd] NIC
#
# End-to-end test (meson suite "e2e"): condis-gen drives an emulated NIC (e1000, e1000e,
# virtio) through vfio-pci and DPDK's PMD inside a QEMU guest (run-guest.sh); QEMU captures
# every transmitted frame in a pcap, which check-pcap.py checks against condis-gen's report:
# frame count == success_nbs (total and per VC), per-VC sequence 0,1,2,..., frame size, VLAN.
#
# Environment:
#   CONDIS_GEN        path to condis-gen (set by meson); required unless --testpmd
#   E2E_VCS=4 E2E_COUNT=2000 E2E_FRAME_SIZE=64 E2E_VLAN=100:5 (empty: untagged)
#   E2E_EXTRA         more condis-gen app options (after --), word-split
#   E2E_CHECK_EXTRA   more check-pcap.py options (--gaps for --event runs), word-split
#   E2E_HUGEPAGES=256
#   E2E_CMD_TIMEOUT=60 (seconds for the command in the guest), E2E_TIMEOUT=100 (seconds,
#                     whole QEMU run, boot included; a hung run costs this much)
#   CONDIS_E2E_OUT    output directory (default ./e2e-vfio); results in $CONDIS_E2E_OUT/NIC
#   CONDIS_VFIO_CACHE kernel + initramfs cache (see run-guest.sh)
# --testpmd: validate the harness with dpdk-testpmd txonly instead of condis-gen (counts
#   and frame lengths only; testpmd frames carry no stamp).
#
# Exit: 0 pass, 1 fail, 77 skip (host cannot run the guest, or CONDIS_GEN not built).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
say() { echo "test-vfio: $*"; }
skip() { say "SKIP: $*"; exit 77; }
fail() { say "FAIL: $*"; exit 1; }

mode=condis
if [ "${1:-}" = --testpmd ]; then mode=testpmd; shift; fi
nic=${1:?usage: test-vfio.sh [--testpmd] e1000|e1000e|virtio}

vcs=${E2E_VCS:-4}
count=${E2E_COUNT:-2000}
fsize=${E2E_FRAME_SIZE:-64}
vlan=${E2E_VLAN-100:5}
hugepages=${E2E_HUGEPAGES:-256}
# The guest runs under TCG: a loaded host (a soak beside it) slowed a 10 s command past
# 60 s once, so the bounds leave room; a hang still ends here.
tmo=${E2E_TIMEOUT:-240}
cmd_tmo=${E2E_CMD_TIMEOUT:-180}
out=${CONDIS_E2E_OUT:-$PWD/e2e-vfio}/$nic
[ "$mode" = testpmd ] && out=$out-testpmd

eal=(-l 0-1 -n 1 --iova-mode=va --file-prefix=vfio --no-telemetry)
[ "$nic" = virtio-legacy ] && eal=(-l 0-1 -n 1 --iova-mode=pa --file-prefix=vfio --no-telemetry)

shares=()
if [ "$mode" = condis ]; then
    [ -n "${CONDIS_GEN:-}" ] || skip "CONDIS_GEN is not set (path to condis-gen)"
    [ -x "$CONDIS_GEN" ] || skip "CONDIS_GEN=$CONDIS_GEN is not an executable (not built?)"
    gen=$(readlink -f "$CONDIS_GEN")
    # The guest sees the host root read-only, but with its own tmpfs over /tmp, /run and
    # /dev/shm: share the build tree (found by build.ninja) when it lives under one of those.
    case $gen in
        /tmp/*|/run/*|/dev/shm/*|/var/run/*)
            d=$(dirname "$gen")
            while [ "$d" != / ] && [ ! -e "$d/build.ninja" ]; do d=$(dirname "$d"); done
            [ "$d" = / ] && d=$(dirname "$gen")
            shares+=(--share "$d")
            say "sharing $d with the guest (hidden by the guest's tmpfs otherwise)" ;;
    esac
    app=(--vcs "$vcs" --count "$count" --frame-size "$fsize")
    [ -n "$vlan" ] && app+=(--vlan "$vlan")
    # shellcheck disable=SC2206
    [ -n "${E2E_EXTRA:-}" ] && app+=($E2E_EXTRA)
    # $CONDIS_PCI is only known inside the guest
    cmd=(/bin/sh -c 'g=$1; shift; exec "$g" -a "$CONDIS_PCI" "$@"' sh "$gen" "${eal[@]}" -- "${app[@]}")
    desc="$gen ${eal[*]} -a \$CONDIS_PCI -- ${app[*]}"
else
    command -v dpdk-testpmd >/dev/null || skip "no dpdk-testpmd (apt-get install dpdk)"
    cmd=(env "IOVA=$([ "$nic" = virtio-legacy ] && echo pa || echo va)"
         "$here/testpmd-txonly.sh" 0.3 "--txpkts=$((fsize - 4))")
    desc="${cmd[*]}"
fi

show_guest() {
    say "--- guest.log"; sed 's/^/  /' "$out/share/guest.log" 2>/dev/null
    say "--- command stdout (last 40 lines)"; tail -n 40 "$out/share/stdout" 2>/dev/null | sed 's/^/  /'
    say "--- command stderr (last 40 lines)"; tail -n 40 "$out/share/stderr" 2>/dev/null | sed 's/^/  /'
    say "--- console (last 15 lines)"; tail -n 15 "$out/console.log" 2>/dev/null | sed 's/^/  /'
}

say "nic=$nic mode=$mode out=$out"
say "guest command: $desc"
mkdir -p "$out" || fail "cannot create $out"
t0=$(date +%s.%N)
"$here/run-guest.sh" --nic "$nic" --workdir "$out" --timeout "$tmo" --cmd-timeout "$cmd_tmo" \
    --hugepages "$hugepages" "${shares[@]}" -- "${cmd[@]}" 2>&1 | sed 's/^/  /'
rc=${PIPESTATUS[0]}
wall=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
say "guest run: rc=$rc, ${wall}s"

if [ "$rc" = 77 ]; then skip "this host cannot run the QEMU guest (see above)"; fi

if [ "$mode" = condis ]; then
    chk=("$here/check-pcap.py" "$out/tx.pcap" --report "$out/share/stdout" --vcs "$vcs"
         --frame-size "$fsize")
    [ -n "$vlan" ] && chk+=(--vlan "$vlan")
    # every VC must have sent all its frames, unless the run is time-bound
    [[ " ${E2E_EXTRA:-} " == *" --duration "* ]] || chk+=(--count "$count")
    # shellcheck disable=SC2206
    [ -n "${E2E_CHECK_EXTRA:-}" ] && chk+=($E2E_CHECK_EXTRA)
else
    chk=("$here/check-pcap.py" "$out/tx.pcap" --testpmd-report "$out/share/stdout" --no-stamp
         --frame-size "$fsize")
fi

if [ "$rc" != 0 ]; then
    show_guest
    if [ -f "$out/tx.pcap" ] && command -v python3 >/dev/null; then
        say "--- what reached the wire (for diagnosis):"
        python3 "${chk[@]}" 2>&1 | head -n 40 | sed 's/^/  /'
    fi
    fail "guest command failed (nic=$nic, rc=$rc; 124 = timeout, 125 = guest harness)"
fi
[ -f "$out/tx.pcap" ] || { show_guest; fail "no pcap written"; }
if [ "$mode" = condis ]; then
    say "condis-gen report:"
    grep -E '^\s*(total|vc [0-9]+|rate):' "$out/share/stdout" | sed 's/^/  /'
else
    grep -E 'TX-packets' "$out/share/stdout" | tail -n 1 | sed 's/^/  testpmd: /'
fi
py=$(command -v python3) || skip "no python3"
chk_out=$("$py" "${chk[@]}" 2>&1)
crc=$?
sed 's/^/  /' <<< "$chk_out"

# Independent cross-check of the frame count (capinfos or tshark, if installed).
n_py=$(sed -n 's/^pcap: .*: \([0-9][0-9]*\) frames$/\1/p' <<< "$chk_out" | head -n1)
n_ws=
if command -v capinfos >/dev/null; then
    n_ws=$(capinfos -M -c "$out/tx.pcap" 2>/dev/null | awk -F: '/Number of packets/{gsub(/ /,"",$2); print $2}')
elif command -v tshark >/dev/null; then
    n_ws=$(tshark -r "$out/tx.pcap" -T fields -e frame.len 2>/dev/null | wc -l)
fi
if [ -n "$n_ws" ]; then
    say "wireshark cross-check: $n_ws frames (check-pcap.py: $n_py)"
    [ "$n_ws" = "$n_py" ] || { say "FAIL: wireshark and check-pcap.py disagree on the frame count"; crc=1; }
fi
if [ "$mode" = condis ] && command -v tshark >/dev/null; then
    say "tshark: frames per (VLAN id, priority, length):"
    tshark -r "$out/tx.pcap" -T fields -e vlan.id -e vlan.priority -e frame.len 2>/dev/null \
        | sort | uniq -c | sed 's/^/  /'
fi

[ "$crc" = 0 ] || { show_guest; fail "pcap check failed (nic=$nic)"; }
say "PASS (nic=$nic, ${wall}s)"
exit 0
