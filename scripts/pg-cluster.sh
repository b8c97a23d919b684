#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the test suite.
#
#   scripts/pg-cluster.sh start   # initdb + start on a free port, print the database URL
#   scripts/pg-cluster.sh url     # print the URL of the running cluster
#   scripts/pg-cluster.sh stop    # stop it and delete its folder (safe to call twice)
#
# The cluster lives in a temporary folder; durability is switched off (fsync, full-page
# writes, synchronous commit) because the data are thrown away. As root the server runs as
# the `postgres` user (PostgreSQL refuses to run as root); otherwise as the current user.
# State (folder, port, password) is kept in $HOSHIN_PG_STATE, by default var/pg-cluster.env.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
STATE="${HOSHIN_PG_STATE:-$ROOT/var/pg-cluster.env}"

die() { echo "pg-cluster: $*" >&2; exit 1; }

as_owner() {
    # Run a command as the user that owns the cluster.
    if [[ "$(id -u)" -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

load_state() {
    [[ -f "$STATE" ]] || return 1
    # shellcheck disable=SC1090
    source "$STATE"
    [[ -n "${PG_DIR:-}" && -n "${PG_PORT:-}" && -n "${PG_PASSWORD:-}" ]]
}

running() {
    load_state && [[ -d "$PG_DIR/data" ]] && as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1
}

url() {
    echo "postgres://hoshin:${PG_PASSWORD}@127.0.0.1:${PG_PORT}/hoshin"
}

cmd_stop() {
    if load_state; then
        if [[ -d "$PG_DIR/data" ]]; then
            as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
        fi
        case "$PG_DIR" in
            */hoshin-pg.*) rm -rf -- "$PG_DIR" ;;
            *) echo "pg-cluster: not removing unexpected folder $PG_DIR" >&2 ;;
        esac
    fi
    rm -f -- "$STATE"
}

cmd_start() {
    [[ -x "$PG_BIN/initdb" ]] || die "no PostgreSQL binaries in $PG_BIN (set PG_BIN)"
    if running; then
        url
        return 0
    fi
    cmd_stop  # clear a stale state file or a half-dead cluster

    if [[ "$(id -u)" -eq 0 ]]; then
        id postgres >/dev/null 2>&1 || die "running as root needs a 'postgres' user"
    fi
    # As root, /tmp rather than $TMPDIR: the postgres user must be able to reach the folder.
    if [[ "$(id -u)" -eq 0 ]]; then parent=/tmp; else parent="${TMPDIR:-/tmp}"; fi
    PG_DIR="$(mktemp -d "$parent/hoshin-pg.XXXXXX")"
    chmod 0700 "$PG_DIR"
    if [[ "$(id -u)" -eq 0 ]]; then
        chown postgres: "$PG_DIR"
    fi
    PG_PASSWORD="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"

    mkdir -p "$(dirname "$STATE")"
    PG_PORT=0
    write_state() {
        printf 'PG_DIR=%q\nPG_PORT=%q\nPG_PASSWORD=%q\n' "$PG_DIR" "$PG_PORT" "$PG_PASSWORD" >"$STATE"
    }
    write_state  # so that `stop` can clean up even if the start fails halfway

    as_owner "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 >"$PG_DIR/initdb.log" 2>&1 \
        || { cat "$PG_DIR/initdb.log" >&2; cmd_stop; die "initdb failed"; }

    local tries=0
    while :; do
        PG_PORT="$(free_port)"
        write_state
        if as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
            start >/dev/null; then
            break
        fi
        tries=$((tries + 1))
        if [[ $tries -ge 3 ]]; then
            cat "$PG_DIR/server.log" >&2 || true
            cmd_stop
            die "the server did not start"
        fi
    done

    as_owner "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_DIR" -p "$PG_PORT" -U postgres -d postgres \
        -c "CREATE ROLE hoshin LOGIN CREATEDB PASSWORD '$PG_PASSWORD'" \
        -c "CREATE DATABASE hoshin OWNER hoshin" >/dev/null \
        || { cmd_stop; die "could not create the hoshin role and database"; }
    url
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    url) running || die "no cluster running (scripts/pg-cluster.sh start)"; url ;;
    *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
