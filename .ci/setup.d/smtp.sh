#!/usr/bin/env bash
# A real SMTP server for the e-mail channel's tests (gateway.core.notification EmailChannelTest): Debian's
# python3-aiosmtpd, run by /usr/bin/python3 (a pyenv python on the PATH does not see Debian's packages), and openssl
# for the STARTTLS test's self-signed certificate. The tests start their own server on a free loopback port.
set -euo pipefail
missing=()
/usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1 || missing+=(python3-aiosmtpd)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
if [ ${#missing[@]} -eq 0 ]; then
  echo "aiosmtpd, openssl: present (aiosmtpd $(/usr/bin/python3 -c 'import aiosmtpd; print(aiosmtpd.__version__)'))"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "installed: ${missing[*]}"
