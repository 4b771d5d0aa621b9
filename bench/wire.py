#!/usr/bin/env python3
"""The wire desk under load: 100 feeds polled every minute and a drop folder receiving 10 files
a second, while readers are served from the page cache.

    bench/wire.py [--articles 1000] [--feeds 100] [--files 10] [--seconds 60] [--keep DIR]

Makes a fresh demo publication (`courant demo --no-serve`) in a temporary folder with
`[wire] drop_dir` set, starts the release binary on loopback, and measures a cached article page
with `wrk -t1 -c8 --latency` twice: first with the wire idle (baseline), then while

- a feed server of this script on loopback serves FEEDS RSS feeds (20 entries each, a new entry
  in every feed every 2 minutes, `ETag` and 304 when nothing changed), added with
  `courant wire add-feed --minutes 1`, and
- FILES one-item agency files a second (IPTC ninjs and NewsML-G2 in turn) are delivered into
  the drop folder (written under a `.tmp` name, then renamed, as FTP servers do).

Reports pages/s and latency (p50/p99) in both phases, the items stored per second, feed polls
answered (200 and 304), files ingested and their delay from delivery to `done/` (which includes
the two seconds a file must rest before it is taken), and the server's CPU and resident memory.
Everything stays on 127.0.0.1; every phase is bounded in time.
"""

import argparse
import http.server
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
BINARY = os.path.join(ROOT, "target", "release", "courant")
TICKS = os.sysconf("SC_CLK_TCK")

WORDS = (
    "harbour council ferry timetable budget river bridge school strike vote mayor market farmers "
    "flood museum library festival railway station tunnel hospital minister parliament housing "
    "factory wages energy prices storm coast fishing port airport court ruling inquiry report"
).split()


def headline(n):
    words = [WORDS[(n * 7 + i * 13) % len(WORDS)] for i in range(6)]
    return " ".join(words).capitalize()


class Feeds(http.server.BaseHTTPRequestHandler):
    """`/feed/N.xml`: feed N's 20 newest entries; a new one every 2 minutes."""

    counts = {"200": 0, "304": 0}
    lock = threading.Lock()
    started = time.time()

    def log_message(self, *args):
        pass

    def do_GET(self):
        m = re.fullmatch(r"/feed/(\d+)\.xml", self.path)
        if not m:
            self.send_error(404)
            return
        feed = int(m.group(1))
        # Feeds change at staggered times, as real ones do: any minute, half of them have news.
        offset = (feed % 100) * 1.2
        epoch = int((time.time() - Feeds.started - offset) // 120)
        etag = f'"{feed}-{epoch}"'
        if self.headers.get("If-None-Match") == etag:
            with Feeds.lock:
                Feeds.counts["304"] += 1
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        items = []
        for e in range(epoch, max(-1, epoch - 20), -1):
            when = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(Feeds.started + offset + e * 120))
            n = feed * 100000 + e
            items.append(
                f"<item><title>{headline(n)}</title><link>http://127.0.0.1/f{feed}/{e}</link>"
                f"<guid>urn:bench:{feed}:{e}</guid><pubDate>{when}</pubDate>"
                f"<description>&lt;p&gt;{headline(n + 1)}. {headline(n + 2)}.&lt;/p&gt;</description></item>"
            )
        body = (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Bench feed {feed}</title><link>http://127.0.0.1/</link><description>bench</description>"
            + "".join(items)
            + "</channel></rss>"
        ).encode()
        with Feeds.lock:
            Feeds.counts["200"] += 1
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def ninjs(n):
    return json.dumps({
        "uri": f"urn:bench:drop:{n}", "version": "1", "type": "text", "language": "en",
        "headline": headline(n), "versioncreated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "body_html": f"<p>{headline(n + 1)}.</p><p>{headline(n + 2)}.</p>",
        "subject": [{"name": "Transport", "code": "medtop:20000767"}],
    })


def newsml(n):
    made = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:bench:drop:{n}" version="1" standard="NewsML-G2" standardversion="2.29">
 <catalogRef href="http://www.iptc.org/std/catalog/catalog.IPTC-G2-Standards_38.xml"/>
 <itemMeta><itemClass qcode="ninat:text"/><provider literal="Bench Agency"/><versionCreated>{made}</versionCreated></itemMeta>
 <contentMeta><headline>{headline(n)}</headline></contentMeta>
 <contentSet><inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml"><body>
 <p>{headline(n + 1)}.</p><p>{headline(n + 2)}.</p></body></html></inlineXML></contentSet>
</newsItem>
"""


class Dropper(threading.Thread):
    """Delivers `rate` files a second into `folder` until stopped; remembers when."""

    def __init__(self, folder, rate):
        super().__init__(daemon=True)
        self.folder, self.rate, self.stop, self.delivered = folder, rate, threading.Event(), {}

    def run(self):
        n, start = 0, time.monotonic()
        while not self.stop.is_set():
            name = f"bench-{n:06d}." + ("json" if n % 2 == 0 else "xml")
            tmp = os.path.join(self.folder, name + ".tmp")
            with open(tmp, "w") as f:
                f.write(ninjs(n) if n % 2 == 0 else newsml(n))
            os.rename(tmp, os.path.join(self.folder, name))
            self.delivered[name] = time.monotonic()
            n += 1
            time.sleep(max(0.0, start + n / self.rate - time.monotonic()))


class Watcher(threading.Thread):
    """Notes when each file reaches `done/` (or `failed/`)."""

    def __init__(self, folder):
        super().__init__(daemon=True)
        self.folder, self.stop, self.seen, self.failed = folder, threading.Event(), {}, set()

    def run(self):
        while not self.stop.is_set():
            now = time.monotonic()
            for sub, into in (("done", None), ("failed", self.failed)):
                path = os.path.join(self.folder, sub)
                for name in os.listdir(path) if os.path.isdir(path) else []:
                    if into is not None and not name.endswith(".error"):
                        into.add(name)
                    self.seen.setdefault(name, now)
            time.sleep(0.1)


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:")) / 1024


def wrk(url, seconds):
    out = subprocess.run(
        ["wrk", "-t1", "-c8", f"-d{seconds}s", "--latency", "-H", "Accept-Encoding: br", url],
        capture_output=True, text=True, check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def pct(p):
        value, unit = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    return rate, pct(50), pct(99)


def items(db):
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10) as c:
        return c.execute("SELECT count(*) FROM wire_items").fetchone()[0]


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] if values else float("nan")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--feeds", type=int, default=100)
    ap.add_argument("--files", type=float, default=10)
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--keep", help="make the publication here and keep it")
    args = ap.parse_args()
    for tool in (BINARY, shutil.which("wrk")):
        if not tool or not os.path.exists(tool):
            sys.exit("needs target/release/courant (cargo build --release -p courant) and wrk (apt-get install wrk)")

    data = args.keep or tempfile.mkdtemp(prefix="courant-wire-bench-")
    drop = os.path.join(data, "drop")
    os.makedirs(drop, exist_ok=True)
    env = dict(os.environ, COURANT_LOG="warn")
    print(f"making a {args.articles}-story demo in {data}", flush=True)
    subprocess.run([BINARY, "demo", "--no-serve", "--data", data, "--articles", str(args.articles)],
                   env=env, check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(data, "courant.toml"), "a") as f:
        f.write(f'\n[wire]\ndrop_dir = "{drop}"\ndrop_source = "Bench Agency"\n')

    feeds = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Feeds)
    threading.Thread(target=feeds.serve_forever, daemon=True).start()
    port = 20000 + os.getpid() % 20000
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([BINARY, "serve", "--data", data, "--listen", f"127.0.0.1:{port}"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        started = time.monotonic()
        while True:
            try:
                sitemap = urllib.request.urlopen(f"{base}/sitemap-news.xml", timeout=2).read().decode()
                break
            except OSError:
                if time.monotonic() - started > 60 or server.poll() is not None:
                    sys.exit("the server did not start within 60 s")
                time.sleep(0.2)
        page = base + re.search(r"<loc>https?://[^/<]+(/[^<]+)</loc>", sitemap).group(1)
        for _ in range(3):
            urllib.request.urlopen(urllib.request.Request(page, headers={"Accept-Encoding": "br"})).read()

        cpu0, t0 = cpu_seconds(server.pid), time.monotonic()
        base_rate, base_p50, base_p99 = wrk(page, args.seconds)
        base_cpu = (cpu_seconds(server.pid) - cpu0) / (time.monotonic() - t0)
        idle_rss = rss_mb(server.pid)

        print(f"adding {args.feeds} feeds and delivering {args.files} files/s", flush=True)
        for i in range(args.feeds):
            subprocess.run([BINARY, "wire", "add-feed", f"http://127.0.0.1:{feeds.server_port}/feed/{i}.xml",
                            "--source", f"Bench Wire {i % 10}", "--minutes", "1", "--data", data],
                           env=env, check=True, stdout=subprocess.DEVNULL)
        dropper, watcher = Dropper(drop, args.files), Watcher(drop)
        dropper.start()
        watcher.start()
        # Every feed's first answer (20 entries each) lands in the first minute: let it pass.
        time.sleep(65)
        db = os.path.join(data, "courant.db")
        cpu0, t0 = cpu_seconds(server.pid), time.monotonic()
        time.sleep(30)
        wire_cpu = (cpu_seconds(server.pid) - cpu0) / (time.monotonic() - t0)
        items0, polls0 = items(db), dict(Feeds.counts)
        cpu0, t0 = cpu_seconds(server.pid), time.monotonic()
        rate, p50, p99 = wrk(page, args.seconds)
        elapsed = time.monotonic() - t0
        load_cpu = (cpu_seconds(server.pid) - cpu0) / elapsed
        items1, polls1 = items(db), dict(Feeds.counts)
        load_rss = rss_mb(server.pid)
        dropper.stop.set()
        time.sleep(5)
        watcher.stop.set()
        lags = [watcher.seen[n] - t for n, t in dropper.delivered.items() if n in watcher.seen]
        pending = len(dropper.delivered) - len(lags)
    finally:
        server.terminate()
        server.wait(timeout=30)
        feeds.shutdown()

    print(f"""
| measure | wire idle | {args.feeds} feeds every minute + {args.files:g} files/s |
|---|---|---|
| cached article page, wrk -t1 -c8, pages/s | {base_rate:,.0f} | {rate:,.0f} |
| latency p50 / p99 | {base_p50:.2f} / {base_p99:.2f} ms | {p50:.2f} / {p99:.2f} ms |
| server CPU (cores busy) | {base_cpu:.2f} | {load_cpu:.2f} |
| server CPU without readers (cores busy) | | {wire_cpu:.3f} |
| server resident memory | {idle_rss:.0f} MB | {load_rss:.0f} MB |
| wire items stored per second | | {(items1 - items0) / elapsed:.1f} |
| feed answers per minute: 200 / 304 | | {(polls1['200'] - polls0['200']) * 60 / elapsed:.0f} / {(polls1['304'] - polls0['304']) * 60 / elapsed:.0f} |
| files delivered / ingested / failed / not yet taken | | {len(dropper.delivered)} / {len(lags) - len(watcher.failed)} / {len(watcher.failed)} / {pending} |
| file delivery to done/, p50 / p99 / max | | {percentile(lags, 0.5):.1f} / {percentile(lags, 0.99):.1f} / {max(lags, default=float('nan')):.1f} s |
""")
    if not args.keep:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
