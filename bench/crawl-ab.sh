#!/usr/bin/env bash
# Two builds on the same cold crawl, run after run in turn, with the medians: on a shared
# machine one build's runs vary by 5-10%, more than most single changes save.
#
#   bench/crawl-ab.sh DATA_DIR BIN_A BIN_B [-r REPEATS] [bench/crawl.sh options...]
#
# Keep a build aside first (`cp target/release/courant /tmp/courant-a`), change and build again,
# then `bench/crawl-ab.sh /tmp/d100k /tmp/courant-a target/release/courant -r 3 -d 20`.
# Each run is bench/crawl.sh with CRAWL_BIN set, so every run starts its own server on a cold
# cache; REPEATS (default 3) runs of each, A then B.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:?usage: bench/crawl-ab.sh DATA_DIR BIN_A BIN_B [-r REPEATS] [crawl.sh options]}
a=${2:?BIN_A} b=${3:?BIN_B}
shift 3
repeats=3
if [ "${1:-}" = "-r" ]; then repeats=${2:?-r needs a number}; shift 2; fi
for bin in "$a" "$b"; do [ -x "$bin" ] || { echo "not an executable: $bin" >&2; exit 1; }; done
results=$(mktemp)
trap 'rm -f "$results"' EXIT
for run in $(seq "$repeats"); do
  for side in A B; do
    bin=$a; [ "$side" = B ] && bin=$b
    line=$(CRAWL_BIN=$bin bench/crawl.sh "$data" "$@" 2>/dev/null | grep 'pages/s')
    echo "run $run $side: $line"
    echo "$side $line" >>"$results"
  done
done
python3 - "$results" "$a" "$b" <<'PY'
import re, statistics, sys
rows = {"A": [], "B": []}
for line in open(sys.argv[1]):
    m = re.match(r"(A|B) .*?: (\d+) pages/s, ([\d.]+) ms server CPU per page", line)
    if m:
        rows[m.group(1)].append((int(m.group(2)), float(m.group(3))))
for side, path in (("A", sys.argv[2]), ("B", sys.argv[3])):
    runs = rows[side]
    if not runs:
        sys.exit(f"no result for {side} ({path})")
    print(f"{side} {path}: median {statistics.median(r[0] for r in runs):.0f} pages/s, "
          f"{statistics.median(r[1] for r in runs):.2f} ms CPU per page "
          f"(CPU {min(r[1] for r in runs):.2f}-{max(r[1] for r in runs):.2f} over {len(runs)} runs)")
a, b = (statistics.median(r[1] for r in rows[s]) for s in "AB")
print(f"B/A CPU per page: {b / a:.3f}")
PY
