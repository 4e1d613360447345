#!/usr/bin/env bash
# Prometheus (Debian package prometheus): the remote-write tests (gateway.core.metrics MetricsRemoteWriteTest) start
# their own server with --web.enable-remote-write-receiver on a free loopback port and a temporary storage folder.
# Nothing runs here, and the package's system service is neither enabled nor started by this script.
set -euo pipefail
if command -v prometheus >/dev/null 2>&1; then
  echo "prometheus: present ($(prometheus --version 2>&1 | head -1))"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# policy-rc.d 101 keeps the package's post-install from starting the service where an init system exists
had_policy=0
[ -e /usr/sbin/policy-rc.d ] && had_policy=1
if [ $had_policy -eq 0 ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
fi
apt-get install -y -qq --no-install-recommends prometheus >/dev/null
[ $had_policy -eq 0 ] && rm -f /usr/sbin/policy-rc.d
echo "installed: prometheus ($(prometheus --version 2>&1 | head -1))"
