#!/usr/bin/python3
"""Resident memory of a Courant server under the loads that once grew it (issue 17, item 6).

    bench/memory.py DATA_DIR [ARTICLES] [API_QUERIES]

Starts the release binary (or the one `COURANT_BIN` names) on DATA_DIR (an existing publication) and reads its resident memory
(VmRSS, and the peak VmHWM) idle and after each phase:

1. a crawl of ARTICLES article pages (default: every one in the sitemaps), each once, cold, by
   8 clients at once, asking for brotli as browsers do;
2. API_QUERIES distinct content-API queries (default 20,000): every tag and section with every
   `limit` from 1 to 100, as a client making the cache keep many answers would;
3. 100 logins at once with wrong passwords (argon2 hashing each).

Loopback only; every phase is bounded in count. Prints one line per phase.
"""
import concurrent.futures
import http.client
import os
import re
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

data = sys.argv[1]
articles = int(sys.argv[2]) if len(sys.argv) > 2 else 0
api_queries = int(sys.argv[3]) if len(sys.argv) > 3 else 20_000
binary = os.environ.get("COURANT_BIN") or os.path.join(os.path.dirname(__file__), "..", "target", "release", "courant")
port = 20000 + os.getpid() % 20000
base = f"http://127.0.0.1:{port}"


def memory_mb(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:")):
                name, kb = line.split()[:2]
                fields[name.rstrip(":")] = int(kb) / 1024
    return fields["VmRSS"], fields["VmHWM"]


def cache_mb():
    """What the page cache holds by its own count (`courant_cache_bytes`), in MB."""
    text = urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/metrics").read().decode()
    return int(float(re.search(r"^courant_cache_bytes (\S+)$", text, re.M).group(1))) / 1e6


local = threading.local()


def get(path, headers=None):
    if not hasattr(local, "conn"):
        local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        local.conn.request("GET", path, headers=headers or {})
        response = local.conn.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        local.conn.close()
        del local.conn
        return 0


def run(paths, clients, headers=None):
    statuses = {}
    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        for status in pool.map(lambda p: get(p, headers), paths, chunksize=64):
            statuses[status] = statuses.get(status, 0) + 1
    return statuses


env = dict(os.environ, COURANT_LOG="warn")
# The API's rate limit off: the distinct queries are the load measured, not 429 answers.
config = os.path.join(data, "memory-bench.toml")
metrics_port = port + 1
with open(config, "w") as f:
    f.write(f"[api]\nrequests_per_minute = 0\n[metrics]\nlisten = \"127.0.0.1:{metrics_port}\"\n")
server = subprocess.Popen([binary, "serve", "--data", data, "--config", config, "--listen", f"127.0.0.1:{port}"], env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    started = time.monotonic()
    while True:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=1).read()
            break
        except OSError:
            if time.monotonic() - started > 120:
                sys.exit("the server did not answer within 120 s")
            time.sleep(0.05)
    time.sleep(1)
    rss, peak = memory_mb(server.pid)
    print(f"idle: RSS {rss:.0f} MB (peak {peak:.0f} MB)", flush=True)

    index = urllib.request.urlopen(f"{base}/sitemap.xml").read().decode()
    paths = []
    for sitemap in re.findall(r"<loc>([^<]+/sitemaps/articles-[^<]+)</loc>", index):
        body = urllib.request.urlopen(f"{base}/" + sitemap.split("/", 3)[3]).read().decode()
        paths += ["/" + loc.split("/", 3)[3] for loc in re.findall(r"<loc>([^<]+)</loc>", body)]
        if articles and len(paths) >= articles:
            break
    if articles:
        paths = paths[:articles]
    t = time.monotonic()
    statuses = run(paths, 8, {"Accept-Encoding": "br"})
    took = time.monotonic() - t
    rss, peak = memory_mb(server.pid)
    print(f"crawl of {len(paths)} articles in {took:.0f} s ({len(paths) / took:.0f}/s, statuses {statuses}): "
          f"RSS {rss:.0f} MB (peak {peak:.0f} MB), page cache {cache_mb():.0f} MB", flush=True)

    tags = [t["slug"] for t in __import__("json").loads(urllib.request.urlopen(f"{base}/api/v1/tags").read())["tags"]]
    sections = [s["slug"] for s in __import__("json").loads(urllib.request.urlopen(f"{base}/api/v1/sections").read())["sections"]]
    queries = []
    for limit in range(1, 101):
        for name, values in (("tag", tags), ("section", sections)):
            queries += [f"/api/v1/articles?{name}={urllib.parse.quote(v)}&limit={limit}" for v in values]
    queries = queries[:api_queries]
    t = time.monotonic()
    statuses = run(queries, 8)
    took = time.monotonic() - t
    rss, peak = memory_mb(server.pid)
    print(f"{len(queries)} distinct API queries in {took:.0f} s (statuses {statuses}): "
          f"RSS {rss:.0f} MB (peak {peak:.0f} MB), page cache {cache_mb():.0f} MB", flush=True)

    def login(n):
        # The login form first: its cookie and CSRF token.
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", "/newsroom/login")
        response = conn.getresponse()
        page = response.read().decode()
        cookie = (response.getheader("Set-Cookie") or "").split(";")[0]
        csrf = re.search(r'name="csrf" value="([^"]+)"', page)
        body = urllib.parse.urlencode({"csrf": csrf.group(1) if csrf else "", "email": f"nobody{n}@example.invalid",
                                       "password": "wrong" * 4})
        conn.request("POST", "/newsroom/login", body,
                     {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
        status = conn.getresponse().status
        conn.close()
        return status

    t = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(100) as pool:
        statuses = {}
        for status in pool.map(login, range(100)):
            statuses[status] = statuses.get(status, 0) + 1
    took = time.monotonic() - t
    rss, peak = memory_mb(server.pid)
    print(f"100 logins at once in {took:.1f} s (statuses {statuses}): RSS {rss:.0f} MB (peak {peak:.0f} MB)",
          flush=True)
finally:
    server.terminate()
    server.wait()
