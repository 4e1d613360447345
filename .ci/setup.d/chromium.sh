#!/usr/bin/env bash
# Headless Chromium for the admin console's browser tests (gateway.app ConsoleBrowserTest), from Debian's packages.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  echo "chromium: present ($(chromium --version 2>/dev/null | head -1))"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
echo "chromium: installed ($(chromium --version 2>/dev/null | head -1))"
