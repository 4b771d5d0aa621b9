#!/usr/bin/env bash
# One node against two behind nginx, on PostgreSQL, all on this machine's loopback: read
# throughput of the home page and an article page, and publish-to-visible latency across nodes.
#
#   bench/nodes.sh [ARTICLES] [SECONDS]      (default 1000 stories, 10-second wrk runs)
#
# Starts deploy/run-local.sh (a throwaway PostgreSQL with the demo, nodes on :8081 and :8082,
# nginx on :8080), then, for each page, `wrk -t2 -c32` with brotli for SECONDS:
#   - one node, directly (:8081);
#   - one node through nginx (a second nginx on :8090 with node A alone in its upstream);
#   - two nodes through nginx (:8080).
# Then examples/publish_latency publishes 30 stories straight into PostgreSQL (as node A's
# newsroom would) and times each until node B (:8082) shows it on its home page and RSS feed,
# without load and with wrk loading nginx beside it. Everything it starts, it stops.
set -euo pipefail
cd "$(dirname "$0")/.."
articles=${1:-1000}
seconds=${2:-10}
[ -x target/release/courant ] && [ -x target/release/examples/publish_latency ] || {
  echo "build first: cargo build --release && cargo build --release --example publish_latency" >&2; exit 1; }
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk" >&2; exit 1; }

log=$(mktemp)
deploy/run-local.sh "$articles" >"$log" 2>&1 &
cluster=$!
cleanup() { kill -TERM "$cluster" 2>/dev/null || true; wait "$cluster" 2>/dev/null || true; rm -f "$log"; }
trap cleanup EXIT
for _ in $(seq 1 1200); do grep -q "ready at" "$log" && break; kill -0 "$cluster" 2>/dev/null || { cat "$log" >&2; exit 1; }; sleep 0.25; done
grep -q "ready at" "$log" || { echo "the cluster did not start:" >&2; cat "$log" >&2; exit 1; }
work=$(grep -o 'logs in [^)]*' "$log" | cut -d' ' -f3)
store=$(grep -o '^url = "postgres://[^"]*"' "$work/courant.toml" | cut -d'"' -f2)

article=$(curl -fs "http://127.0.0.1:8081/api/v1/articles?limit=1" | python3 -c '
import json, sys; print(json.load(sys.stdin)["articles"][0]["url"].split("://", 1)[1].split("/", 1)[1])')
article="/$article"
echo "machine: $(nproc) cores; $articles stories; article $article; wrk -t2 -c32 -d${seconds}s, brotli"

run() { # label url
  for _ in 1 2 3; do curl -fs -o /dev/null -H 'Accept-Encoding: br' "$2"; done
  wrk -t2 -c32 -d"${seconds}s" --latency -H 'Accept-Encoding: br' "$2" | awk -v label="$1" '
    /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 } /^Requests\/sec/ { rps = $2 } /Non-2xx/ { bad = $NF }
    END { printf "%-36s %10s req/s  p50 %8s  p99 %8s%s\n", label, rps, p50, p99, (bad ? "  NON-2XX " bad : "") }'
}
# The same nginx with node A alone, to tell nginx's cost from the second node's.
sed -e '/127.0.0.1:8082/d' -e 's/listen 127.0.0.1:8080;/listen 127.0.0.1:8090;/' -e 's/^pid nginx.pid;/pid one-node.pid;/' \
  deploy/nginx.conf >"$work/one-node.conf"
nginx -p "$work/nginx" -c "$work/one-node.conf"
for page in / "$article"; do
  run "one node, direct        $page" "http://127.0.0.1:8081$page"
  run "one node behind nginx   $page" "http://127.0.0.1:8090$page"
  run "two nodes behind nginx  $page" "http://127.0.0.1:8080$page"
done
kill "$(cat "$work/nginx/one-node.pid")"

echo "publish-to-visible across nodes (written into PostgreSQL, watched on node B):"
target/release/examples/publish_latency "$store" http://127.0.0.1:8082 30
wrk -t1 -c32 -d60s -H 'Accept-Encoding: br' http://127.0.0.1:8080/ >/dev/null &
load=$!
echo "the same with wrk -c32 on nginx's home page beside it:"
target/release/examples/publish_latency "$store" http://127.0.0.1:8082 30
kill "$load" 2>/dev/null || true
wait "$load" 2>/dev/null || true
