#!/usr/bin/env bash
# Make sure nginx is installed for the proxy tests (tests/proxy/), which run
# their own unprivileged-style nginx processes on free loopback ports with the
# shipped config (deploy/nginx/stadium.conf.template). As root on Debian it is
# installed from Debian's package; the system service is never started (the
# tests start their own nginx, and port 80 is not ours to take).
#   NGINX=/path/to/nginx  use another binary
set -euo pipefail
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
if [ -x "$NGINX" ]; then
  echo "nginx: $("$NGINX" -v 2>&1)"
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "nginx: installing Debian's nginx for the proxy tests (the service is not started)"
  # policy-rc.d exit 101: Debian's maintainer scripts do not start the
  # service during the install (kept as is when the system already has one).
  made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    made_policy=1
  fi
  trap '[ "$made_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d' EXIT
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nginx >/dev/null
  echo "nginx: $(/usr/sbin/nginx -v 2>&1)"
else
  echo "nginx: $NGINX is missing; the proxy tests (tests/proxy/) will be skipped." >&2
  echo "       Install it (Debian: sudo apt-get install nginx) or set NGINX=/path/to/nginx." >&2
fi
