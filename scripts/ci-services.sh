#!/usr/bin/env bash
# Install and start what the serve, UI and PostgreSQL tests need, on Debian 12 as root:
#   - Debian's chromium (headless browser for tests/test_ui_*.py),
#   - Debian's postgresql, with a private cluster on 127.0.0.1 (tests/test_postgres*.py),
#   - the Python clients: psycopg and playwright (the project's `postgres` and `test` extras).
# Idempotent: what is installed or running already is left as it is, so a second run takes a
# second or two. Logs what it does on stderr; prints on stdout only the environment the tests
# read, so CI can do:   eval "$(bash scripts/ci-services.sh)"
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "ci-services: $*" >&2; }

PG_PORT="${STORYWEAVE_PG_PORT:-54329}"
PG_ROOT="${STORYWEAVE_PG_ROOT:-/var/lib/storyweave-ci}"
PG_DATA="$PG_ROOT/pgdata"
PG_SOCKET="$PG_ROOT/socket"
PG_USER=storyweave
PG_PASSWORD=storyweave
PG_DB=storyweave_test
PYTHON="${PYTHON:-python3}"

# -- Debian packages --------------------------------------------------------------------------
packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || packages+=(postgresql)
command -v runuser >/dev/null || packages+=(util-linux)
if [ "${#packages[@]}" -gt 0 ]; then
    log "installing ${packages[*]} with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >&2
    apt-get install -y -q --no-install-recommends "${packages[@]}" >&2
else
    log "chromium and postgresql already installed"
fi

# -- Python clients ---------------------------------------------------------------------------
if "$PYTHON" -c "import psycopg, playwright" 2>/dev/null; then
    log "psycopg and playwright already importable"
else
    log "installing psycopg and playwright with pip"
    "$PYTHON" -m pip install -q --disable-pip-version-check "psycopg[binary]>=3.1" "playwright>=1.40" >&2
fi

# -- PostgreSQL: a private cluster on 127.0.0.1, owned by the postgres user -------------------
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
as_postgres() { runuser -u postgres -- "$@"; }
install -d -o postgres -g postgres -m 0700 "$PG_ROOT" "$PG_SOCKET"
if [ ! -s "$PG_DATA/PG_VERSION" ]; then
    log "creating a PostgreSQL cluster in $PG_DATA"
    install -d -o postgres -g postgres -m 0700 "$PG_DATA"
    as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=peer --auth-host=scram-sha-256 >&2
fi
if as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    log "PostgreSQL already running on 127.0.0.1:$PG_PORT"
else
    log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_ROOT/postgresql.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_SOCKET" start >&2
fi
psql_admin() { as_postgres "$PG_BIN/psql" -X -q -h "$PG_SOCKET" -p "$PG_PORT" -d postgres -v ON_ERROR_STOP=1 "$@"; }
if [ "$(psql_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$PG_USER'")" != "1" ]; then
    log "creating role $PG_USER"
    # CREATEDB: each test gets a database of its own and drops it afterwards.
    psql_admin -c "CREATE ROLE $PG_USER LOGIN CREATEDB PASSWORD '$PG_PASSWORD'"
fi
if [ "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" != "1" ]; then
    log "creating database $PG_DB"
    psql_admin -c "CREATE DATABASE $PG_DB OWNER $PG_USER"
fi

echo "export STORYWEAVE_TEST_PG=postgresql+psycopg://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/$PG_DB"
echo "export STORYWEAVE_CHROMIUM=/usr/bin/chromium"
log "ready"
