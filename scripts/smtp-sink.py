#!/usr/bin/env python3
"""A loopback SMTP server for Courant's mail tests and benchmarks (aiosmtpd).

    smtp-sink.py DIR [--delay-ms N] [--count-only] [--refuse-sender]

Listens on a free port of 127.0.0.1 and prints "listening on PORT" once it accepts
connections. Every message it accepts is written to DIR as NNNNNNN.eml (written whole, then
renamed), preceded by an "X-Sink-To:" line naming its recipients; --count-only writes nothing
and keeps a count in DIR/count instead (for benchmarks). It answers by recipient:

- tempfail-...@...  451 the first time it sees the address, then accepts it;
- reject-...@...    550, a permanent refusal;
- anyone else       250.

--refuse-sender answers every MAIL FROM with 550 (a server that refuses the publication's
sender address, whoever the recipient). --delay-ms waits that long before accepting each message's data (so a sender can be stopped
in the middle of sending). Stops on SIGTERM or SIGINT.
"""

import argparse
import asyncio
import itertools
import os
import signal
import socket
import threading

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, out, delay, count_only, refuse_sender=False):
        self.out, self.delay, self.count_only, self.refuse_sender = out, delay, count_only, refuse_sender
        self.seen = set()
        self.numbers = itertools.count(1)
        self.count = 0
        self.lock = threading.Lock()

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.refuse_sender:
            return "550 5.7.1 Sender address rejected: not allowed to send as this domain"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0].lower()
        if local.startswith("reject"):
            return "550 5.1.1 No such mailbox here"
        if local.startswith("tempfail") and address not in self.seen:
            self.seen.add(address)
            return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            n = next(self.numbers)
            self.count += 1
        if self.count_only:
            if n % 1000 == 0:
                self.write_count()
        else:
            path = os.path.join(self.out, f"{n:07d}.eml")
            with open(path + ".tmp", "wb") as f:
                f.write(("X-Sink-To: " + ", ".join(envelope.rcpt_tos) + "\r\n").encode())
                f.write(envelope.original_content or envelope.content)
            os.rename(path + ".tmp", path)
        return "250 2.0.0 Accepted"

    def write_count(self):
        with open(os.path.join(self.out, "count.tmp"), "w") as f:
            f.write(str(self.count))
        os.replace(os.path.join(self.out, "count.tmp"), os.path.join(self.out, "count"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir")
    ap.add_argument("--delay-ms", type=int, default=0)
    ap.add_argument("--count-only", action="store_true")
    ap.add_argument("--refuse-sender", action="store_true")
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    sink = Sink(args.dir, args.delay_ms / 1000, args.count_only, args.refuse_sender)
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port, data_size_limit=10 * 1024 * 1024)
    controller.start()
    print(f"listening on {port}", flush=True)
    stop = threading.Event()
    for s in (signal.SIGTERM, signal.SIGINT):
        signal.signal(s, lambda *_: stop.set())
    stop.wait()
    controller.stop()
    if args.count_only:
        sink.write_count()


if __name__ == "__main__":
    main()
