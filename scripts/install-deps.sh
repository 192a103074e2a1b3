#!/usr/bin/env bash
# Install everything condis needs on Debian 12. Run it as root, or as a user
# with sudo (it asks sudo for the apt steps itself).
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || { echo "install-deps.sh: run as root (no sudo here)" >&2; exit 1; }
	exec sudo "$0" "$@"
fi
packages=(
	build-essential meson ninja-build pkg-config
	dpdk dpdk-dev libdpdk-dev libpcap-dev libnuma-dev
	libsystemd-dev  # libdpdk.pc's static link list names -lsystemd
	clang libclang-rt-14-dev  # libFuzzer targets (tests/fuzz)
	python3 tshark iproute2 valgrind
	gnuplot-nox  # condis-gen --plot, and the gen_plot test
	doxygen  # the api_docs test and `ninja -C build docs`
	qemu-system-x86 busybox-static cpio kmod
)
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer for it.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt-get update -q
apt-get install -y -q --no-install-recommends "${packages[@]}"
