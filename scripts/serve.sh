#!/usr/bin/env bash
# `make serve`: the production-like stack on one machine, in the foreground on
# http://127.0.0.1:8000 — PostgreSQL (the machine's server binaries, data kept in var/postgres;
# or DATABASE_URL), gunicorn with several workers, one task worker (run_tasks), DEBUG off,
# static files by whitenoise, JSON logs. A part that exits is started again; Ctrl-C stops all
# of it. SERVE_DEMO=1 also loads the demo forces and users.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
VAR=${SERVE_VAR:-$PWD/var}
mkdir -p "$VAR"
chmod 755 "$VAR"

export DJANGO_SETTINGS_MODULE=config.settings DEBUG=false
if [ -z "${SECRET_KEY:-}" ]; then
  [ -s "$VAR/secret_key" ] || "$PY" -c 'import secrets; print(secrets.token_urlsafe(50))' >"$VAR/secret_key"
  SECRET_KEY=$(cat "$VAR/secret_key")
  export SECRET_KEY
fi
export ALLOWED_HOSTS=${ALLOWED_HOSTS:-127.0.0.1,localhost}
# Plain HTTP on the loopback interface: no redirect to HTTPS, and cookies that a client over
# plain HTTP keeps. Behind TLS (DEPLOY.md) both stay on.
export SECURE_SSL_REDIRECT=${SECURE_SSL_REDIRECT:-false} SECURE_COOKIES=${SECURE_COOKIES:-false}
export STATIC_ROOT=${STATIC_ROOT:-$VAR/static} MEDIA_ROOT=${MEDIA_ROOT:-$VAR/media}
export DATABASE_CONN_MAX_AGE=${DATABASE_CONN_MAX_AGE:-60}
PORT=${PORT:-8000}
# 4 × cores sync workers (not the usual 2 × cores + 1): an editor request takes ~0.1 s of CPU,
# and with more workers than that a list or a download starts at once and shares the CPU
# instead of waiting for a free worker. The stress load test (benchmarks/load.py, 2 cores),
# same hour: p95 of list/read/search 280/280/300 ms with 5 workers, 140/180/130 ms with 8; the
# same CPU per request. Workers forked from the --preload master share its warm-up.
WEB_WORKERS=${WEB_WORKERS:-$(($(nproc) * 4))}
TASK_WORKER_PROCESSES=${TASK_WORKER_PROCESSES:-1}
# The task worker runs at a lower CPU priority than the web workers: a PDF print takes
# half a second of CPU, and on a small machine it would otherwise hold up the pages people
# wait for. It still gets every cycle the web workers leave idle. It polls the queue every
# TASK_WORKER_INTERVAL seconds (one indexed query), which bounds the wait before a print starts.
TASK_WORKER_NICE=${TASK_WORKER_NICE:-10}
TASK_WORKER_INTERVAL=${TASK_WORKER_INTERVAL:-0.25}

pids=()
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)}
as_pg=()
[ "$(id -u)" = 0 ] && as_pg=(runuser -u postgres --)
postgres_started=""

stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$postgres_started" ]; then
    "${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$VAR/postgres" -m fast stop >/dev/null 2>&1 || true
  fi
  echo "Stopped."
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -z "${DATABASE_URL:-}" ]; then
  if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
    echo "No PostgreSQL server binaries under /usr/lib/postgresql/*/bin: apt-get install -y postgresql, or set DATABASE_URL." >&2
    exit 1
  fi
  mkdir -p "$VAR/pg-socket"
  if [ ${#as_pg[@]} -gt 0 ]; then chown postgres: "$VAR/pg-socket"; fi
  if [ ! -s "$VAR/postgres/PG_VERSION" ]; then
    mkdir -p "$VAR/postgres"
    if [ ${#as_pg[@]} -gt 0 ]; then chown postgres: "$VAR/postgres"; fi
    "${as_pg[@]}" "$PG_BIN/initdb" -A trust -U postgres -E UTF8 -D "$VAR/postgres" >"$VAR/initdb.log"
  fi
  "${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$VAR/postgres" -l "$VAR/pg-socket/server.log" -w \
    -o "-k $VAR/pg-socket -p 5432 -c listen_addresses='' -c max_connections=200" start >/dev/null
  postgres_started=1
  "${as_pg[@]}" "$PG_BIN/psql" -h "$VAR/pg-socket" -U postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname='roleprofiles'" | grep -q 1 \
    || "${as_pg[@]}" "$PG_BIN/createdb" -h "$VAR/pg-socket" -U postgres roleprofiles
  export DATABASE_URL="postgres://postgres@${VAR//\//%2F}%2Fpg-socket:5432/roleprofiles"
  echo "PostgreSQL: data in $VAR/postgres"
fi

"$PY" manage.py migrate --noinput -v0
"$PY" manage.py collectstatic --noinput -v0
if [ "${SERVE_DEMO:-0}" = 1 ]; then
  "$PY" manage.py setup_demo --allow-without-debug
fi

# Runs a part (gunicorn, the task worker) and starts it again whenever it exits, waiting
# longer each time it fails quickly (1 s, doubling to 30 s); a part up for a minute starts
# from 1 s again. A TERM stops the part and this loop.
keep_running() {
  local name=$1 child="" delay=1 started rc
  shift
  trap '[ -n "$child" ] && kill -TERM "$child" 2>/dev/null; wait "$child" 2>/dev/null; exit 0' TERM
  while :; do
    started=$SECONDS
    "$@" &
    child=$!
    rc=0
    wait "$child" || rc=$?
    child=""
    if [ $((SECONDS - started)) -ge 60 ]; then delay=1; fi
    echo "{\"event\": \"serve.restart\", \"part\": \"$name\", \"exit_status\": $rc, \"restart_in_s\": $delay}" >&2
    sleep "$delay" & wait $! || true
    delay=$((delay * 2 > 30 ? 30 : delay * 2))
  done
}

# --preload: the master loads the app and warms it (config/wsgi.py: templates compiled, the
# readability dictionary loaded) once, and the workers it forks share that instead of each
# paying it on its first requests. A restart (not a HUP) loads new code.
keep_running web .venv/bin/gunicorn config.wsgi --preload --bind "127.0.0.1:$PORT" \
  --workers "$WEB_WORKERS" --worker-tmp-dir /dev/shm --graceful-timeout 10 --timeout 120 \
  --no-control-socket &
pids+=($!)
keep_running worker nice -n "$TASK_WORKER_NICE" "$PY" manage.py run_tasks \
  --processes "$TASK_WORKER_PROCESSES" --interval "$TASK_WORKER_INTERVAL" &
pids+=($!)
echo "Serving on http://127.0.0.1:$PORT with $WEB_WORKERS web and $TASK_WORKER_PROCESSES task worker process(es); Ctrl-C stops it all."
# A part that exits is started again (keep_running); the task worker waits out a database
# outage by itself (jobs.outages) and pages answer 503 meanwhile (config.outage).
wait "${pids[@]}"
