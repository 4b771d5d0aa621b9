#!/usr/bin/env bash
# Cold pages at archive scale (issue 18): a crawler walking the archive, where almost every
# request is a cache miss.
#
#   bench/crawl.sh DATA_DIR [ARTICLES] [-c CONNECTIONS] [-d SECONDS] [-n LIMIT] [-l]
#
# Builds DATA_DIR with `courant demo --no-serve --articles ARTICLES` (default 100000) unless it
# holds a publication already, serves it with the release binary (logs at warn), reads every
# article address from the sitemaps, shuffles them, and lets wrk ask for each once (brotli and
# gzip accepted, as browsers and crawlers do) for SECONDS (default 30) over CONNECTIONS (default
# 16) connections, at most LIMIT addresses (default: all). The front page and the latest stories
# are read twice before the crawl, and the script checks that they are still served from memory
# after it (a crawl must not evict what readers read).
#
# Reports pages/s, server CPU per page (user + system time from /proc, over the crawl), latency
# p50/p99 (wrk), resident memory at the end and its peak. The load generator shares the machine.
# With -l the crawl walks listing pages instead: every page of the sections the front page links,
# and of every tag and author, page numbers shuffled. CRAWL_ONLY=REGEX keeps the addresses it
# matches (`CRAWL_ONLY='^/tag/' bench/crawl.sh DATA -l`: the tags' pages alone); CRAWL_SLUGS=FILE
# the articles whose slugs FILE lists (one per line), such as those whose related stories the
# generator has found so far in an archive still being made.
# CRAWL_BIN=PATH serves with another build (bench/crawl-ab.sh compares two).
# Loopback only; bounded by SECONDS and by the number of addresses. With CRAWL_PERF=FILE, perf
# records the server during the crawl into FILE (`perf report -i FILE`).
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:?usage: bench/crawl.sh DATA_DIR [ARTICLES] [-c CONNECTIONS] [-d SECONDS] [-n LIMIT]}
shift
articles=100000
if [[ ${1:-} =~ ^[0-9]+$ ]]; then articles=$1; shift; fi
connections=16 seconds=30 limit=0 listings=0
while getopts "c:d:n:l" opt; do
  case $opt in
    l) listings=1 ;;
    c) connections=$OPTARG ;;
    d) seconds=$OPTARG ;;
    n) limit=$OPTARG ;;
    *) exit 2 ;;
  esac
done
bin=${CRAWL_BIN:-target/release/courant}
[ -x "$bin" ] || { echo "build the release binary first: cargo build --release" >&2; exit 1; }
command -v wrk >/dev/null || { echo "needs wrk: apt-get install -y wrk" >&2; exit 1; }

if [ ! -e "$data/courant.db" ]; then
  echo "generating $articles stories in $data" >&2
  "$bin" demo --no-serve --articles "$articles" --data "$data" --listen 127.0.0.1:0 >&2
fi

port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
work=$(mktemp -d)
COURANT_LOG=warn "$bin" serve --data "$data" --listen "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!
cleanup() { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 600); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.1; done
curl -fs "$base/healthz" >/dev/null || { echo "courant did not start on $base" >&2; cat "$work/server.log" >&2; exit 1; }

# Every article address from the sitemaps (or with -l every listing page), shuffled (a crawler
# does not walk in date order).
python3 - "$base" "$limit" "$listings" >"$work/paths" <<'EOF'
import os, random, re, sys, urllib.error, urllib.request
base, limit, listings = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
paths = []
if listings:
    # Every section, tag and author, from the content API. (The front page's links were used
    # once: they include the site's own pages, About and the like, which answer any ?page=N.)
    import json
    roots = [f"/{x['slug']}" for x in json.load(urllib.request.urlopen(f"{base}/api/v1/sections"))["sections"]]
    for kind, plural in (("tag", "tags"), ("author", "authors")):
        listed = json.load(urllib.request.urlopen(f"{base}/api/v1/{plural}"))[plural]
        roots += [f"/{kind}/{x['slug']}" for x in listed]
    roots = sorted(set(roots))
    for root in roots:
        # The deepest page: the first page number answered 404, by halving.
        lo, hi = 1, 1 << 14
        while lo < hi:
            mid = (lo + hi + 1) // 2
            try:
                urllib.request.urlopen(f"{base}{root}?page={mid}")
                lo = mid
            except urllib.error.HTTPError:
                hi = mid - 1
        if lo > 1:
            paths += [f"{root}?page={n}" for n in range(2, lo + 1)]
else:
    index = urllib.request.urlopen(base + "/sitemap.xml").read().decode()
    for sitemap in re.findall(r"<loc>[^<]+?(/sitemaps/articles-[^<]+)</loc>", index):
        body = urllib.request.urlopen(base + sitemap).read().decode()
        paths += [re.sub(r"^https?://[^/]+", "", loc) for loc in re.findall(r"<loc>([^<]+)</loc>", body)]
only = os.environ.get("CRAWL_ONLY")
if only:
    paths = [p for p in paths if re.search(only, p)]
slugs = os.environ.get("CRAWL_SLUGS")
if slugs:
    with open(slugs) as f:
        wanted = set(f.read().split())
    paths = [p for p in paths if p.rsplit("/", 1)[-1] in wanted]
random.Random(18).shuffle(paths)
print("\n".join(paths[:limit] if limit else paths))
EOF
total=$(wc -l <"$work/paths")

# The hot set: read twice, so the cache knows readers come back to it.
latest=$(curl -fs "$base/api/v1/articles?limit=1" |
  python3 -c 'import json, sys, urllib.parse; print(urllib.parse.urlsplit(json.load(sys.stdin)["articles"][0]["url"]).path)')
hot=(/ /news "$latest")
for path in "${hot[@]}" "${hot[@]}"; do curl -fs -o /dev/null -H "Accept-Encoding: br" "$base$path"; done

cat >"$work/crawl.lua" <<EOF
local paths = {}
for line in io.lines("$work/paths") do paths[#paths + 1] = line end
local threads, next_id = 2, 0
function setup(thread) thread:set("id", next_id); next_id = next_id + 1 end
local i, wrapped = nil, false
function request()
  if i == nil then i = id + 1 end
  if i > #paths then i = id + 1; wrapped = true end
  local path = paths[i]
  i = i + threads
  return wrk.format("GET", path, { ["Accept-Encoding"] = "br, gzip" })
end
function done(summary, latency, requests)
  io.write(string.format("requests %d errors %d p50 %.2f p99 %.2f\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
EOF

cpu() { awk '{print $14 + $15}' "/proc/$server/stat"; }
memory() { awk '/^(VmRSS|VmHWM):/ {printf "%s %.0f MB  ", $1, $2 / 1024}' "/proc/$server/status"; }
echo "courant pid $server, $total addresses, $(memory)" >&2
before=$(cpu)
# CRAWL_PERF=FILE: a profile of the server during the crawl (perf record, call graphs).
if [ -n "${CRAWL_PERF:-}" ]; then
  perf record -q -F 499 ${CRAWL_PERF_CALLS:--g} -p "$server" -o "$CRAWL_PERF" -- sleep "$seconds" 2>/dev/null &
fi
wrk -t2 -c"$connections" -d"${seconds}s" --timeout 10s -s "$work/crawl.lua" "$base" >"$work/wrk.out"
after=$(cpu)
summary=$(grep '^requests' "$work/wrk.out")
read -r _ requests _ errors _ p50 _ p99 <<<"$summary"
ticks=$(getconf CLK_TCK)
python3 - "$requests" "$errors" "$p50" "$p99" "$seconds" "$before" "$after" "$ticks" "$total" <<'EOF'
import sys
requests, errors, p50, p99, seconds, before, after, ticks, total = sys.argv[1:]
requests, seconds, total = int(requests), float(seconds), int(total)
cpu_ms = (int(after) - int(before)) / int(ticks) * 1000
print(f"{requests} pages in {seconds:.0f} s: {requests / seconds:.0f} pages/s, "
      f"{cpu_ms / max(requests, 1):.2f} ms server CPU per page, p50 {p50} ms, p99 {p99} ms, errors {errors}")
if requests > total:
    print(f"warning: {requests} requests for {total} addresses: some were hits; lower -d or raise the archive")
EOF
echo "memory after the crawl: $(memory)"
for path in "${hot[@]}"; do
  state=$(curl -fs -o /dev/null -D - -H "Accept-Encoding: br" "$base$path" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-cache"{print $2}')
  echo "after the crawl, $path: $state"
done
