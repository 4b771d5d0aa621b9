#!/usr/bin/env bash
# Runs this folder's example on this machine, all on loopback: a throwaway PostgreSQL server,
# the demo publication in it, two Courant nodes (127.0.0.1:8081 and :8082) and nginx in front
# of them (http://127.0.0.1:8080/). Ctrl-C stops everything and removes what it made.
#
#   deploy/run-local.sh [ARTICLES]      (default 300 stories)
#
# Needs a release build (cargo build --release), nginx and Debian's postgresql package.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
courant=${COURANT:-$repo/target/release/courant}
articles=${1:-300}
[ -x "$courant" ] || { echo "run-local: no $courant; build it with: cargo build --release" >&2; exit 1; }
command -v nginx >/dev/null || { echo "run-local: nginx is missing: apt-get install nginx" >&2; exit 1; }
command -v psql >/dev/null || { echo "run-local: psql is missing: apt-get install postgresql" >&2; exit 1; }

work=$(mktemp -d)
chmod 755 "$work" # PostgreSQL runs as the postgres user when this runs as root
pids=()
cleanup() {
  [ ${#pids[@]} -eq 0 ] || kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  [ ! -f "$work/nginx/nginx.pid" ] || kill "$(cat "$work/nginx/nginx.pid")" 2>/dev/null || true
  "$repo/scripts/scratch-postgres" stop "$work/pg" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

server=$("$repo/scripts/scratch-postgres" start "$work/pg")
psql -q "$server" -c "CREATE DATABASE courant"
store=${server%/postgres}/courant
sed -e "s|^url = \"postgres://.*\"|url = \"$store\"|" -e "s|^media_dir = .*|media_dir = \"$work/media\"|" \
  "$here/courant.toml" >"$work/courant.toml"

echo "run-local: filling PostgreSQL with the demo ($articles stories)"
"$courant" demo --no-serve --articles "$articles" --config "$work/courant.toml" --data "$work/node-a"
for node in a:8081 b:8082; do
  "$courant" serve --config "$work/courant.toml" --data "$work/node-${node%%:*}" --listen "127.0.0.1:${node##*:}" \
    >"$work/node-${node%%:*}.log" 2>&1 &
  pids+=($!)
done
for port in 8081 8082; do
  for _ in $(seq 1 300); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && break
    sleep 0.1
  done
  curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" || { echo "run-local: the node on $port did not start" >&2; cat "$work"/node-*.log >&2; exit 1; }
done
mkdir -p "$work/nginx"
nginx -p "$work/nginx" -c "$here/nginx.conf"
echo "run-local: ready at http://127.0.0.1:8080/ (nodes on 8081 and 8082, logs in $work); Ctrl-C stops"
wait "${pids[@]}"
