#!/usr/bin/env bash
# Make sure Redis and PostgreSQL answer at REDIS_URL and DATABASE_URL (defaults
# on loopback). When nothing answers and the server binaries are installed,
# start them; otherwise stop with what is missing and how to get it.
set -euo pipefail
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/stadium}

py() { "${PYTHON:-python3}" -c "$@"; }
rhost=$(py "import urllib.parse as u,sys; p=u.urlparse('$REDIS_URL'); print(p.hostname or '127.0.0.1')")
rport=$(py "import urllib.parse as u,sys; p=u.urlparse('$REDIS_URL'); print(p.port or 6379)")
phost=$(py "import urllib.parse as u,sys; p=u.urlparse('$DATABASE_URL'); print(p.hostname or '127.0.0.1')")
pport=$(py "import urllib.parse as u,sys; p=u.urlparse('$DATABASE_URL'); print(p.port or 5432)")
puser=$(py "import urllib.parse as u,sys; p=u.urlparse('$DATABASE_URL'); print(p.username or 'postgres')")
pdb=$(py "import urllib.parse as u,sys; p=u.urlparse('$DATABASE_URL'); print(p.path.lstrip('/') or 'stadium')")

redis_up() { redis-cli -h "$rhost" -p "$rport" ping >/dev/null 2>&1; }
if ! command -v redis-cli >/dev/null 2>&1; then
  echo "services: redis-cli not found. Install Redis (Debian: apt-get install redis-server) or set REDIS_URL." >&2
  exit 1
fi
if ! redis_up; then
  if command -v redis-server >/dev/null 2>&1; then
    echo "services: starting redis-server on $rhost:$rport"
    redis-server --daemonize yes --bind "$rhost" --port "$rport" --save "" --appendonly no >/dev/null
    for _ in $(seq 50); do redis_up && break; sleep 0.1; done
  fi
  redis_up || { echo "services: Redis does not answer at $REDIS_URL and cannot be started here. Install it (apt-get install redis-server) or point REDIS_URL at one." >&2; exit 1; }
fi

pg_up() { pg_isready -h "$phost" -p "$pport" -q 2>/dev/null; }
if ! command -v pg_isready >/dev/null 2>&1; then
  echo "services: pg_isready not found. Install PostgreSQL (apt-get install postgresql) or set DATABASE_URL." >&2
  exit 1
fi
if ! pg_up; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "services: starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
    for _ in $(seq 100); do pg_up && break; sleep 0.1; done
  fi
  pg_up || { echo "services: PostgreSQL does not answer at $phost:$pport and cannot be started here. Install it (apt-get install postgresql) or point DATABASE_URL at one." >&2; exit 1; }
fi
if ! psql -h "$phost" -p "$pport" -U "$puser" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$pdb'" | grep -q 1; then
  echo "services: creating database $pdb"
  createdb -h "$phost" -p "$pport" -U "$puser" "$pdb"
fi
echo "services: Redis at $rhost:$rport and PostgreSQL at $phost:$pport ($pdb) answer"
