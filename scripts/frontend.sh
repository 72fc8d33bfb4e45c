#!/usr/bin/env bash
# Build the React front end (frontend/ -> frontend/dist, served by Django).
#   scripts/frontend.sh              build (npm install when node_modules is missing)
#   scripts/frontend.sh --for-tests  also make sure Debian's chromium is there
#                                    (the browser of the end-to-end tests) and
#                                    run the unit tests (vitest run)
set -euo pipefail
cd "$(dirname "$0")/.."
FOR_TESTS=0
[ "${1:-}" = "--for-tests" ] && FOR_TESTS=1
[ -f frontend/package.json ] || { echo "frontend: no frontend/package.json yet, skipped"; exit 0; }

if [ "$FOR_TESTS" = 1 ]; then
  CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
  if [ ! -x "$CHROMIUM" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "frontend: installing Debian's chromium for the browser tests"
      apt-get update -q >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null
    else
      echo "frontend: $CHROMIUM is missing; the end-to-end tests will be skipped." >&2
      echo "          Install it (Debian: sudo apt-get install chromium) or set CHROMIUM=/path/to/chromium." >&2
    fi
  fi
  # A Japanese font for the browser tests' screenshots (test-artifacts/i18n,
  # docs/img): without one Chromium draws Japanese as empty boxes. Arabic is
  # in DejaVu Sans, which chromium pulls in.
  if command -v fc-list >/dev/null 2>&1 && [ -z "$(fc-list :lang=ja family)" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "frontend: installing a Japanese font (fonts-ipafont-gothic) for the browser tests"
      apt-get update -q >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q fonts-ipafont-gothic >/dev/null
    else
      echo "frontend: no Japanese font; screenshots will show Japanese as boxes (Debian: sudo apt-get install fonts-ipafont-gothic)" >&2
    fi
  fi
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "frontend: npm not found (install Node.js 20+); the front end is not built" >&2
  [ "$FOR_TESTS" = 1 ] && exit 1
  exit 0
fi
cd frontend
# Install again when package-lock.json changed since the last install. Not
# `npm ci`: it refuses this lock because vite names an optional Windows-only
# package that the registry here does not serve; `npm install` installs the
# locked versions and skips it.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund
fi
npm run build
if [ "$FOR_TESTS" = 1 ]; then
  npm test
fi
