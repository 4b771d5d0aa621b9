#!/usr/bin/env python3
"""A newsletter edition to 100,000 subscribers, sent to an SMTP server on loopback.

    bench/newsletter.py [--subscribers 100000] [--python PYTHON_WITH_AIOSMTPD] [--keep DIR]

Makes a 100-story demo publication in a temporary folder, adds SUBSCRIBERS confirmed subscribers
of its morning briefing (written straight into the SQLite file: setting up the bench, not what
is measured), starts `scripts/smtp-sink.py --count-only` (aiosmtpd, which counts what it
accepts), and runs the release binary's `courant newsletter send --list morning-briefing` with
`[mail] per_second = 100000` (no pacing) and `connections = 8` under `/usr/bin/time -v`. Reports the time to queue
the edition, the messages a second, the sender's peak resident memory and CPU time, and what
the server counted. Everything stays on 127.0.0.1.

PYTHON_WITH_AIOSMTPD defaults to target/tools/smtp/bin/python, which scripts/test makes.
"""

import argparse
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
BINARY = os.path.join(ROOT, "target", "release", "courant")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--subscribers", type=int, default=100_000)
    ap.add_argument("--python", default=os.path.join(ROOT, "target", "tools", "smtp", "bin", "python"))
    ap.add_argument("--keep", help="make the publication here and keep it")
    args = ap.parse_args()
    if not os.path.exists(BINARY):
        sys.exit("needs target/release/courant: cargo build --release -p courant")
    if subprocess.run([args.python, "-c", "import aiosmtpd"], capture_output=True).returncode != 0:
        sys.exit(f"needs a Python with aiosmtpd at {args.python} (scripts/test makes one in target/tools/smtp)")

    data = args.keep or tempfile.mkdtemp(prefix="courant-newsletter-bench-")
    env = dict(os.environ, COURANT_LOG="warn")
    subprocess.run([BINARY, "demo", "--no-serve", "--data", data, "--articles", "100"],
                   env=env, check=True, stdout=subprocess.DEVNULL)
    db = sqlite3.connect(os.path.join(data, "courant.db"))
    (list_id,) = db.execute("SELECT id FROM newsletter_lists WHERE slug = 'morning-briefing'").fetchone()
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    with db:
        db.executemany(
            "INSERT INTO subscribers (email, state, consented_at, created_at, confirms_sent, bounce) "
            "VALUES (?, 'confirmed', ?, ?, 1, '')",
            ((f"reader-{n:06d}@example.org", now, now) for n in range(args.subscribers)),
        )
        db.execute(
            "INSERT INTO subscriptions (subscriber_id, list_id) SELECT id, ? FROM subscribers", (list_id,)
        )
    db.close()

    sink_dir = tempfile.mkdtemp(prefix="courant-sink-")
    sink = subprocess.Popen([args.python, os.path.join(ROOT, "scripts", "smtp-sink.py"), sink_dir, "--count-only"],
                            stdout=subprocess.PIPE, text=True)
    port = int(sink.stdout.readline().split()[-1])
    with open(os.path.join(data, "courant.toml"), "a") as f:
        f.write(f'\n[mail]\nsmtp = "smtp://127.0.0.1:{port}"\nfrom = "Bench <letters@news.example>"\n'
                "per_second = 100000\nconnections = 8\n")
    try:
        started = time.monotonic()
        run = subprocess.run(["/usr/bin/time", "-v", BINARY, "newsletter", "send", "--list", "morning-briefing",
                              "--data", data], env=env, capture_output=True, text=True, timeout=3600)
        elapsed = time.monotonic() - started
    finally:
        sink.terminate()
        sink.wait(timeout=30)
    if run.returncode != 0:
        sys.exit(f"courant newsletter send failed:\n{run.stdout}\n{run.stderr}")
    with open(os.path.join(sink_dir, "count")) as f:
        counted = int(f.read())
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr).group(1)) / 1024
    user = float(re.search(r"User time \(seconds\): ([\d.]+)", run.stderr).group(1))
    system = float(re.search(r"System time \(seconds\): ([\d.]+)", run.stderr).group(1))
    print(run.stdout.strip())
    print(f"""
| measure | {args.subscribers:,} subscribers |
|---|---|
| wall time of `courant newsletter send` (queue, render once, send all) | {elapsed:.1f} s |
| messages a second | {counted / elapsed:,.0f} |
| messages the SMTP server accepted | {counted:,} |
| sender's peak resident memory | {rss:.0f} MB |
| sender's CPU time (user + system) | {user + system:.1f} s ({(user + system) / max(counted, 1) * 1e6:.0f} µs a message) |
""")
    shutil.rmtree(sink_dir, ignore_errors=True)
    if not args.keep:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
