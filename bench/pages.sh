#!/usr/bin/env bash
# Measures Courant's public pages beside nginx serving the same bytes (../shared/bench/compare.sh),
# with readers' view beacons arriving during every run, as on a live site.
#
#   bench/pages.sh DATA_DIR [compare.sh options]      e.g. bench/pages.sh /tmp/demo-1k -c 32 -d 10 -r 3 -e br
#
# DATA_DIR holds a publication (`courant demo --no-serve --data DATA_DIR --articles N`). The script
# serves it with the release binary on a free loopback port (logs at warn: nginx's access log is
# off too), and measures the newest article (renamed to a short slug first: compare.sh's nginx
# cannot map addresses of more than about 60 characters), the home page, that article's section
# and the RSS feed. Beacons: about 20 a second for stories of the demo, bounded by the run's time.
# COURANT_BIN=PATH serves with another build (to compare two).
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:?usage: bench/pages.sh DATA_DIR [compare.sh options]}
shift
bin=${COURANT_BIN:-target/release/courant}
[ -x "$bin" ] || { echo "build the release binary first: cargo build --release" >&2; exit 1; }
command -v wrk >/dev/null && command -v nginx >/dev/null || {
  echo "needs nginx and wrk: apt-get install -y nginx wrk curl iproute2 libnginx-mod-http-brotli-static" >&2; exit 1; }

# An article at a short address (see crates/courant/examples/bench_slug.rs).
article=$(target/release/examples/bench_slug "$data") || {
  echo "build the helper first: cargo build --release --example bench_slug" >&2; exit 1; }

port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
COURANT_LOG=warn "$bin" serve --data "$data" --listen "127.0.0.1:$port" >/dev/null 2>&1 &
server=$!
beacons=
cleanup() { [ -n "$beacons" ] && kill "$beacons" 2>/dev/null; kill "$server" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 100); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.1; done
curl -fs "$base/healthz" >/dev/null || { echo "courant did not start on $base" >&2; exit 1; }

# Stories of the demo for the beacons, from the content API.
stories=$(curl -fs "$base/api/v1/articles?limit=100" | python3 -c '
import json, sys
for a in json.load(sys.stdin)["articles"]: print(a["id"])')
section="/$(echo "$article" | cut -d/ -f2)"
ids=$(echo "$stories" | head -40 | tr '\n' ' ')
echo "courant $base (pid $server); article $article; section $section" >&2

# Readers' beacons during the runs, at about 20 a second (each a distinct simulated browser; the
# server counts at most 60 a minute from one address, so most are answered and not counted).
( n=0; while true; do
    for id in $ids; do
      n=$((n + 1))
      curl -s -o /dev/null -X POST -H "User-Agent: Mozilla/5.0 (bench reader $n) Firefox/133.0" \
        -H "Content-Type: application/x-courant-view" --data "$id" "$base/beacon" || true
      sleep 0.05
    done
  done ) &
beacons=$!

for url in "$article" / "$section" /rss.xml; do
  bash ../shared/bench/compare.sh -p "$server" "$@" "$base$url"
done
