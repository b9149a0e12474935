#!/usr/bin/env bash
# Installs Mesa's lavapipe (a software Vulkan driver) from Debian bookworm-backports, so the
# WebGPU execution provider finds an adapter on a machine without a GPU. bookworm's own Mesa 22
# is rejected by Dawn ("No supported adapters"); backports' Mesa 25 works. Needs root and apt.
set -euo pipefail
sources=/etc/apt/sources.list.d/debian.sources
if [ -f "$sources" ] && ! grep -q 'bookworm-backports' "$sources"; then
  # Add the suite to the existing Debian entry (the one that lists `bookworm` itself).
  sed -i '0,/^Suites: bookworm bookworm-updates$/s//Suites: bookworm bookworm-updates bookworm-backports/' "$sources"
fi
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo "install-lavapipe: could not add bookworm-backports to the apt sources" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -t bookworm-backports mesa-vulkan-drivers >/dev/null
dpkg-query -W -f='mesa-vulkan-drivers ${Version}\n' mesa-vulkan-drivers
