#!/usr/bin/env bash
# VictoriaMetrics (push and outage tests in gateway.core MetricsPushVictoriaTest) and promtool (validates /metrics),
# both from Debian's packages. The tests start their own VictoriaMetrics on a free loopback port; nothing runs here.
set -euo pipefail
missing=()
command -v victoria-metrics >/dev/null 2>&1 || missing+=(victoria-metrics)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
if [ ${#missing[@]} -eq 0 ]; then
  echo "victoria-metrics, promtool: present ($(promtool --version 2>&1 | head -1))"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# prometheus brings promtool; without systemd in CI its service does not start, and the tests never need it
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "installed: ${missing[*]}"
