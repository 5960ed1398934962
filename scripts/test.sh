#!/usr/bin/env bash
# The whole suite, first on a throw-away PostgreSQL, then on SQLite; both always run,
# and the exit status is non-zero if either failed. Extra arguments go to pytest.
set -uo pipefail
cd "$(dirname "$0")/.."

echo "=== Test suite on PostgreSQL"
bash scripts/with-postgres.sh .venv/bin/pytest "$@"
postgres=$?

sqlite_dir=$(mktemp -d)
trap 'rm -rf "$sqlite_dir"' EXIT
echo "=== Test suite on SQLite"
DATABASE_URL="sqlite:///$sqlite_dir/test.sqlite3" .venv/bin/pytest "$@"
sqlite=$?

verdict() { if [ "$1" = 0 ]; then echo passed; else echo "FAILED (exit $1)"; fi; }
echo "=== PostgreSQL: $(verdict $postgres); SQLite: $(verdict $sqlite)"
[ "$postgres" = 0 ] && [ "$sqlite" = 0 ]
