#!/usr/bin/env bash
# Start Stadium: the ASGI server (several worker processes) and the flusher.
set -euo pipefail
HOST=${1:-127.0.0.1}; PORT=${2:-8000}; WORKERS=${3:-2}
PY=${PYTHON:-.venv/bin/python}
trap 'kill 0' EXIT INT TERM
if $PY manage.py help flush_scores >/dev/null 2>&1; then
  $PY manage.py flush_scores --loop --interval 2 &
fi
echo "Stadium on http://$HOST:$PORT/ ($WORKERS workers)"
$PY -m uvicorn config.asgi:application --host "$HOST" --port "$PORT" --workers "$WORKERS" \
  --loop uvloop --ws websockets --ws-per-message-deflate false --no-access-log --proxy-headers
