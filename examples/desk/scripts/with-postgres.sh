#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster: installs postgresql if missing, creates a
# cluster on a free port (trust auth, fsync off), starts it, runs "$@" with DATABASE_URL set, drops it.
# 临时 PostgreSQL 集群：运行命令后删除。Used by .ci/run and `npm run bench:desk`.
set -euo pipefail
if ! command -v pg_createcluster >/dev/null 2>&1; then
  echo "[pg] installing postgresql (apt-get)…"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi
VER=$(ls /usr/lib/postgresql | sort -V | tail -1)
PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
NAME="desk_$$_$RANDOM"
cleanup() { pg_dropcluster --stop "$VER" "$NAME" >/dev/null 2>&1 || true; }
trap cleanup EXIT
pg_createcluster "$VER" "$NAME" -p "$PORT" --start-conf=manual -- --auth=trust >/dev/null
CONF="/etc/postgresql/$VER/$NAME/postgresql.conf"
cat >> "$CONF" <<CONF
fsync = off
synchronous_commit = off
full_page_writes = off
listen_addresses = '127.0.0.1'
max_connections = 300
shared_buffers = '512MB'
CONF
pg_ctlcluster "$VER" "$NAME" start
export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/postgres"
echo "[pg] PostgreSQL $VER cluster $NAME on port $PORT"
"$@"
