#!/usr/bin/env bash
# Make sure PostgreSQL and Redis answer on 127.0.0.1 for the test suite: install them with
# apt-get when missing, start them when stopped, wait until they answer. Also installs
# Debian's chromium for the browser tests (not fatal if that fails). Non-interactive: safe
# under CI=true with no stdin. Needs root only when something has to be installed or started.
set -euo pipefail

PGHOST=127.0.0.1
PGPORT=${PGPORT:-5432}
REDIS_PORT=${REDIS_PORT:-6379}
export DEBIAN_FRONTEND=noninteractive

log() { echo "ensure-services: $*"; }

apt_updated=
apt_install() {
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    log "cannot install $* (need root and apt-get)"
    return 1
  fi
  local aptlog=${TMPDIR:-/tmp}/generalbots-apt.log
  if [ -z "$apt_updated" ]; then
    apt-get update -qq </dev/null >"$aptlog" 2>&1 || { tail -n 20 "$aptlog"; return 1; }
    apt_updated=1
  fi
  # dpkg narrates every package; keep it in a log and show it only when something fails.
  apt-get install -y -qq --no-install-recommends "$@" </dev/null >>"$aptlog" 2>&1 || { tail -n 20 "$aptlog"; return 1; }
}

wait_for() {  # wait_for NAME COMMAND...: up to 30 s
  local name=$1; shift
  for _ in $(seq 1 60); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  log "$name does not answer"
  return 1
}

# --- PostgreSQL -----------------------------------------------------------------------------

pg_answers() { pg_isready -q -h "$PGHOST" -p "$PGPORT"; }
pg_query() { psql -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -tAc "$1" </dev/null; }

if ! command -v pg_ctlcluster >/dev/null || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
  log "installing PostgreSQL"
  apt_install postgresql postgresql-client
fi
if ! pg_answers; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  log "starting PostgreSQL $version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
fi
wait_for PostgreSQL pg_answers

if ! pg_query "select 1" >/dev/null 2>&1; then
  # A fresh Debian cluster asks for a password over TCP: let local connections in, as the
  # test settings expect (postgres@127.0.0.1 without password). Only touches loopback.
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  hba=/etc/postgresql/$version/main/pg_hba.conf
  if ! grep -q "generalbots: trust loopback" "$hba"; then
    log "allowing trusted loopback connections in $hba"
    sed -i '1i # generalbots: trust loopback\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
    pg_ctlcluster --skip-systemctl-redirect "$version" main reload
  fi
  wait_for "PostgreSQL login as postgres" pg_query "select 1"
fi
if [ "$(pg_query "select 1 from pg_database where datname = 'generalbots'")" != 1 ]; then
  log "creating database generalbots"
  pg_query "create database generalbots" >/dev/null
fi
# Each test run has its own database (test_generalbots_<pid>); drop those of runs that died.
for db in $(pg_query "select datname from pg_database where datname ~ '^test_generalbots_[0-9]+$'"); do
  if ! kill -0 "${db##*_}" 2>/dev/null; then
    log "dropping $db (its test run is gone)"
    pg_query "drop database if exists \"$db\"" >/dev/null || true
  fi
done
log "PostgreSQL ready on $PGHOST:$PGPORT"

# --- Redis ----------------------------------------------------------------------------------

redis_answers() {
  exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT" || return 1
  printf 'PING\r\n' >&3
  local reply
  read -r -t 2 reply <&3 || true
  exec 3>&-
  [[ "$reply" == +PONG* ]]
}

if ! redis_answers 2>/dev/null; then
  if ! command -v redis-server >/dev/null; then
    log "installing Redis"
    apt_install redis-server
  fi
  if ! redis_answers 2>/dev/null; then
    log "starting Redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no
  fi
fi
wait_for Redis redis_answers
log "Redis ready on 127.0.0.1:$REDIS_PORT"

# --- Chromium (browser tests) -------------------------------------------------------------------

if [ ! -x /usr/bin/chromium ]; then
  log "installing chromium for the browser tests"
  apt_install chromium || log "chromium could not be installed; browser tests will not find it"
fi
