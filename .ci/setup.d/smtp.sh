#!/usr/bin/env bash
# A real SMTP server for the e-mail channel's tests (gateway.core.notification EmailChannelTest): Debian's
# python3-aiosmtpd. The tests start their own server on a free loopback port (python3 -m aiosmtpd); nothing runs here.
set -euo pipefail
if /usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1; then
  echo "aiosmtpd: present ($(/usr/bin/python3 -c 'import aiosmtpd; print(aiosmtpd.__version__)' 2>/dev/null))"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends python3-aiosmtpd >/dev/null
echo "aiosmtpd: installed ($(/usr/bin/python3 -c 'import aiosmtpd; print(aiosmtpd.__version__)' 2>/dev/null))"
