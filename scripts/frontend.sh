#!/usr/bin/env bash
# Build the front end (frontend/) when it exists; filled in by the front-end work.
set -euo pipefail
[ -f frontend/package.json ] || { echo "frontend: no frontend/package.json yet, skipped"; exit 0; }
cd frontend
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run build
