#!/usr/bin/env bash
# Starts a throw-away PostgreSQL from the machine's server binaries, runs the given
# command with DATABASE_URL pointing at it, then stops and removes the server,
# whether the command passed or failed.
set -euo pipefail

PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)}
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
  echo "PostgreSQL server binaries were not found under /usr/lib/postgresql/*/bin." >&2
  echo "Install them with: apt-get install -y postgresql (or set PG_BIN)." >&2
  exit 1
fi

dir=$(mktemp -d /tmp/roleprofiles-pg.XXXXXX)
chmod 755 "$dir"
as_pg=()
if [ "$(id -u)" = 0 ]; then
  # PostgreSQL refuses to run as root.
  chown postgres: "$dir"
  as_pg=(runuser -u postgres --)
fi

cleanup() {
  "${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM

"${as_pg[@]}" "$PG_BIN/initdb" -A trust -U postgres -E UTF8 -D "$dir/data" >"$dir/initdb.log" \
  || { cat "$dir/initdb.log" >&2; exit 1; }
"${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-k $dir -p 5432 -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }

echo "Started $("$PG_BIN/postgres" --version) in $dir"
encoded=${dir//\//%2F}
export DATABASE_URL="postgres://postgres@${encoded}:5432/roleprofiles"
"${as_pg[@]}" "$PG_BIN/createdb" -h "$dir" -p 5432 -U postgres roleprofiles

# Wait for the command in the background, so that a signal to this script stops the
# server at once rather than after the command has finished. (A background command
# ignores SIGINT, hence TERM for both.)
"$@" <&0 &
command_pid=$!
trap 'kill -TERM "$command_pid" 2>/dev/null; wait "$command_pid"; exit 130' INT
trap 'kill -TERM "$command_pid" 2>/dev/null; wait "$command_pid"; exit 143' TERM
wait "$command_pid"
