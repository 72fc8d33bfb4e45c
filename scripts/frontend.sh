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
  # Fonts for the browser tests' screenshots (test-artifacts/, docs/img):
  # without them Chromium draws Japanese and emoji as empty boxes. Arabic is
  # in DejaVu Sans, which chromium pulls in.
  FONTS=""
  if command -v fc-list >/dev/null 2>&1; then
    [ -z "$(fc-list :lang=ja family)" ] && FONTS="$FONTS fonts-ipafont-gothic"
    [ -z "$(fc-list :charset=1f984 family)" ] && FONTS="$FONTS fonts-noto-color-emoji"
  fi
  if [ -n "$FONTS" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "frontend: installing fonts for the browser tests:$FONTS"
      apt-get update -q >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q $FONTS >/dev/null
    else
      echo "frontend: missing fonts ($FONTS); screenshots will show Japanese or emoji as boxes" >&2
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
