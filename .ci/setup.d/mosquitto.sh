#!/usr/bin/env bash
# A real MQTT broker for gateway.core.mqtt's tests: Debian's mosquitto (the broker binary only; the system service is
# neither enabled nor started: every test starts its own `mosquitto -c <generated conf>` on a free loopback port),
# and openssl for the TLS test's self-signed certificate.
set -euo pipefail
broker() { command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ]; }
missing=()
broker || missing+=(mosquitto)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
if [ ${#missing[@]} -eq 0 ]; then
  echo "mosquitto, openssl: present ($( (/usr/sbin/mosquitto -h 2>/dev/null || mosquitto -h 2>/dev/null || true) | head -1))"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
# policy-rc.d keeps the package's postinst from starting a system broker on port 1883
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; created_policy=1
fi
trap '[ "$created_policy" = 1 ] && rm -f "$policy"' EXIT
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "installed: ${missing[*]}"
