#!/usr/bin/env bash
# axe-core (Deque's accessibility rules engine, MPL-2.0) for the console's accessibility test (gateway.app
# ConsoleAccessibilityBrowserTest), which injects axe.min.js into every console page in headless Chromium.
# A pinned version from the npm registry, its tarball checked against the SHA-512 below (the registry's
# dist.integrity), unpacked into a cache outside the repository. The test finds it there, or where GATEWAY_AXE_CORE
# (environment) or -Dgateway.axe.core (system property) points.
set -euo pipefail
version=4.10.3
sha512=5e6edba515e70d25f6604d9815f064d859c5d1ea7ab661bbc4f87c88779ef0c21cae0abbeb636471ef39e9d62d2582e4b88a1866f19f4ecfcf6d986275e4dc12
cache="${XDG_CACHE_HOME:-$HOME/.cache}/heatpump-gateway/axe-core-$version"
if [ -s "$cache/axe.min.js" ]; then
  echo "axe-core: present ($version at $cache/axe.min.js)"
  exit 0
fi
command -v npm >/dev/null 2>&1 || { echo "axe-core: npm is needed (apt-get install npm)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tarball=$(cd "$work" && npm pack --silent "axe-core@$version" | tail -1)
echo "$sha512  $work/$tarball" | sha512sum -c --quiet - \
  || { echo "axe-core: checksum mismatch for $tarball" >&2; exit 1; }
tar -xzf "$work/$tarball" -C "$work" package/axe.min.js package/LICENSE
mkdir -p "$cache"
cp "$work/package/LICENSE" "$cache/LICENSE"
# the script last, so an interrupted run never leaves a cache that looks complete
cp "$work/package/axe.min.js" "$cache/axe.min.js.part" && mv "$cache/axe.min.js.part" "$cache/axe.min.js"
echo "axe-core: installed ($version at $cache/axe.min.js, sha512 verified)"
