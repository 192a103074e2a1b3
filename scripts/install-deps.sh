#!/usr/bin/env bash
# Install everything condis needs on Debian 12 (run as root, or through sudo).
set -euo pipefail
packages=(
	build-essential meson ninja-build pkg-config
	dpdk dpdk-dev libdpdk-dev libpcap-dev libnuma-dev
	python3 tshark iproute2 valgrind
	qemu-system-x86 busybox-static cpio kmod
)
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer for it.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt-get update -q
apt-get install -y -q --no-install-recommends "${packages[@]}"
