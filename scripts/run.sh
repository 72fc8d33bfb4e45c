#!/usr/bin/env bash
# Start Stadium: the ASGI server (several worker processes), the flusher and
# the webhook worker.
# uvicorn with wsproto: measured by make bench-fanout (about 26 KB of RSS per
# idle player, sends as fast as the websockets implementation); our subclass
# (sockets/ws_server.py) closes messages over 64 KiB with a clean 1009, whole
# or fragmented; smaller limits are the consumers' own.
# The HTTP protocol is uvicorn's httptools one with request read deadlines
# (config/http_protocol.py): slow clients cannot hold connections open.
set -euo pipefail
HOST=${1:-127.0.0.1}; PORT=${2:-8000}; WORKERS=${3:-2}
PY=${PYTHON:-.venv/bin/python}
# One fresh metrics directory shared by the workers and the flusher, so
# /metrics sums over every process (quiz/metrics.py).
METRICS_DIR=$(mktemp -d "${TMPDIR:-/tmp}/stadium-metrics.XXXXXX")
export PROMETHEUS_MULTIPROC_DIR=$METRICS_DIR
trap 'kill 0; rm -rf "$METRICS_DIR"' EXIT INT TERM
if $PY manage.py help flush_scores >/dev/null 2>&1; then
  $PY manage.py flush_scores --loop --interval 2 &
fi
if $PY manage.py help webhook_worker >/dev/null 2>&1; then
  $PY manage.py webhook_worker &
fi
echo "Stadium on http://$HOST:$PORT/ ($WORKERS workers)"
$PY -m uvicorn config.asgi:application --host "$HOST" --port "$PORT" --workers "$WORKERS" \
  --loop uvloop --http config.http_protocol:TimedHttpToolsProtocol --ws sockets.ws_server:WSProtocol --ws-max-size 65536 --ws-per-message-deflate false --no-access-log --proxy-headers
