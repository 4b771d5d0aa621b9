#!/usr/bin/python3
"""Start-up time, cache-miss and cache-hit time to first byte, and memory of a Courant server.

    bench/misses.py DATA_DIR [N]

Starts the release binary on DATA_DIR (an existing publication: the second start, store and
index in place) and reports how long it takes to answer /healthz; then requests N article pages
(default 300, from the sitemaps) once each, cold: the first half back to back (a stream of
misses, each sharing the processor with the work behind the previous ones: compression, related
stories), the second half 20 ms apart (a miss on a quiet server); then, after a pass that lets
provisional pages be rendered again, once more, warm. All over one keep-alive connection;
reports time to first byte at p50 and p99, and the server's resident memory idle and after the
requests. Loopback only.
"""
import http.client
import os
import re
import subprocess
import sys
import time
import urllib.request

data = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 300
binary = os.path.join(os.path.dirname(__file__), "..", "target", "release", "courant")
port = 20000 + os.getpid() % 20000


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        kb = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
    return kb / 1024


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]


env = dict(os.environ, COURANT_LOG="warn")
started = time.monotonic()
server = subprocess.Popen([binary, "serve", "--data", data, "--listen", f"127.0.0.1:{port}"], env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
            break
        except OSError:
            if time.monotonic() - started > 60:
                sys.exit("the server did not answer within 60 s")
            time.sleep(0.005)
    startup = time.monotonic() - started
    time.sleep(1)
    idle = rss_mb(server.pid)

    index = urllib.request.urlopen(f"http://127.0.0.1:{port}/sitemap.xml").read().decode()
    paths = []
    for sitemap in re.findall(r"<loc>([^<]+/sitemaps/articles-[^<]+)</loc>", index):
        path = sitemap.split(f"{port}", 1)[-1] if f"{port}" in sitemap else "/" + sitemap.split("/", 3)[3]
        body = urllib.request.urlopen(f"http://127.0.0.1:{port}{path}").read().decode()
        for loc in re.findall(r"<loc>([^<]+)</loc>", body):
            paths.append("/" + loc.split("/", 3)[3])
        if len(paths) >= count:
            break
    paths = paths[:count]

    conn = http.client.HTTPConnection("127.0.0.1", port)

    def ttfb(path):
        t = time.perf_counter()
        conn.request("GET", path, headers={"Accept-Encoding": "br"})
        response = conn.getresponse()
        first = time.perf_counter() - t
        response.read()
        return first * 1000, response.getheader("X-Cache")

    half = len(paths) // 2
    stream = [ttfb(p) for p in paths[:half]]
    quiet = []
    for p in paths[half:]:
        time.sleep(0.02)
        quiet.append(ttfb(p))
    time.sleep(1)
    for p in paths:
        ttfb(p)
    time.sleep(1)
    warm = [ttfb(p) for p in paths]
    loaded = rss_mb(server.pid)
    hits = [ms for ms, state in warm if state == "hit"]
    print(f"data: {data}")
    print(f"start-up to first answer: {startup * 1000:.0f} ms")
    for name, cold in (("back to back", stream), ("20 ms apart", quiet)):
        misses = [ms for ms, state in cold if state in ("miss", None)]
        print(f"article pages, cold (miss), {name}: n={len(misses)} "
              f"p50 {percentile(misses, 0.5):.2f} ms, p99 {percentile(misses, 0.99):.2f} ms")
    print(f"article pages, warm (hit): n={len(hits)} p50 {percentile(hits, 0.5):.3f} ms, "
          f"p99 {percentile(hits, 0.99):.3f} ms")
    print(f"resident memory: idle {idle:.0f} MB, after {len(paths)} pages cached {loaded:.0f} MB")
finally:
    server.terminate()
    server.wait()
