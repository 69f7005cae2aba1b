"""Benchmark: 10,000 announcements by email through the whole notifier.

Real parts: a nats-server of our own, the notifier app (consumer + dispatcher +
apprise), an aiosmtpd SMTP sink, a profiles stand-in and a matcher stand-in that
publishes the round, each of the last three in its own process (``--publish-in-process``
publishes from the notifier's own event loop instead, as the first version of this
bench did). 5,000 mentoring pairs are published; the clock runs from the first
publish to the 10,000th email accepted by the sink. Duplicates are counted by the
``X-Entraide-Message-Key`` header.

Baseline, same run: stock apprise sending one email (a fresh plugin, TLS context and
SMTP connection each) vs. the notifier's channel (shared TLS context, kept
connection and plugin). The notifier's CPU (this process: it runs the notifier app)
per email is printed too: steadier than wall time on a shared machine.

    .venv/bin/python bench/bench_notifier.py [--pairs 5000] [--workers 4] [--publish-in-process]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import sys
import tempfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.process_cpu import cpu_seconds
from deploy.local.nats_server import NatsServer, free_port


def smtp_sink(port: int, total: Any, dups: Any, ready: Any) -> None:
    from aiosmtpd.controller import Controller

    seen: set[str] = set()

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            key = ""
            for line in envelope.content.split(b"\r\n"):
                if line.lower().startswith(b"x-entraide-message-key:"):
                    key = line.split(b":", 1)[1].strip().decode()
                    break
                if not line:
                    break
            with total.get_lock():
                total.value += 1
                if key and not key.startswith("baseline"):  # stock apprise sends no key
                    dups.value += key in seen
                    seen.add(key)
            return "250 OK"

    Controller(Handler(), hostname="127.0.0.1", port=port, server_hostname="sink").start()
    ready.set()
    while True:
        time.sleep(3600)


#: The skill catalogue the stub serves (``GET /skills``), for the labels of the reasons.
SKILLS = [{"code": "budget", "label": "Suivi budgétaire", "label_en": "Budget follow-up"}]


def profiles_stub(port: int, ready: Any) -> None:
    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body are two writes: without this, Nagle + delayed ACK stall each
        # keep-alive response ~40 ms (uvicorn, serving the real profiles, sets it too).
        disable_nagle_algorithm = True

        def do_GET(self) -> None:
            def one(member: str) -> dict[str, str]:
                return {"id": member, "display_name": f"Membre {member}",
                        "email": f"{member}@example.com", "preferred_language": "fr"}  # fmt: skip

            url = urlsplit(self.path)
            if url.path.startswith("/skills"):
                answer: Any = {"items": SKILLS, "total": len(SKILLS), "limit": 500, "offset": 0}
            elif url.path in {"/members/contacts", "/members/by-id"}:  # several at once
                items = [one(m) for m in parse_qs(url.query).get("id", [])]
                answer = {"items": items, "total": len(items), "limit": 500, "offset": 0}
            else:
                answer = one(url.path.rsplit("/", 1)[-1])
            body = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), H)
    server.daemon_threads = True
    ready.set()
    server.serve_forever()


def baseline(smtp_url: str, n: int) -> tuple[float, float]:
    """Seconds per email: stock apprise (fresh TLS context each) vs the shared context."""
    import apprise

    from services.notifier.adapters.channels import EmailChannel
    from services.notifier.domain.model import Contact, Rendered

    url = f"{smtp_url}&to=a@example.com"
    t = time.perf_counter()
    for _ in range(n):
        apprise.Apprise.instantiate(url).notify(title="baseline", body="x")
    stock = (time.perf_counter() - t) / n
    channel = EmailChannel(smtp_url, "entraide@localhost")  # installs the shared context
    contact = Contact("a", "A", "a@example.com")
    t = time.perf_counter()
    for i in range(n):
        channel.send(contact, Rendered("baseline", "x"), f"baseline-{i}")
    return stock, (time.perf_counter() - t) / n


async def publish_events(js: Any, pairs: int) -> float:
    from shared.events import Explanation, MentoringPairMatched

    t0 = time.perf_counter()
    for i in range(pairs):
        event = MentoringPairMatched(
            producer="bench", match_id=f"bench-match-{i}", round_id="bench-round",
            mentor_id=f"m{2 * i}", mentee_id=f"m{2 * i + 1}",
            explanation=Explanation(reasons=("cross_site", "skills:budget")),
        )  # fmt: skip
        await js.publish(event.subject, event.model_dump_json().encode())
    return time.perf_counter() - t0


def matcher_stand_in(nats_url: str, pairs: int, go: Any, took: Any) -> None:
    """Publishes the round from its own process, as the matcher service would."""
    import nats

    async def main() -> None:
        nc = await nats.connect(nats_url)
        go.wait()
        took.value = await publish_events(nc.jetstream(), pairs)
        await nc.close()

    asyncio.run(main())


def dispatchers_cpu(app: Any) -> float:
    """CPU seconds of the notifier's other dispatcher processes (its children)."""
    children = getattr(app.state, "more_dispatchers", None)  # none before issue 14's
    return sum(cpu_seconds(p.pid) for p in children.processes) if children else 0.0


async def run(pairs: int, workers: int, processes: int, data: Path, nats_url: str,
              smtp_url: str, profiles_url: str, total: Any,
              in_process: bool) -> tuple[float, float, float]:  # fmt: skip
    from services.notifier.adapters.config import DispatcherOptions
    from services.notifier.main import create_app
    from shared.settings import Settings

    settings = Settings(
        env="test", data_dir=data, nats_url=nats_url, smtp_url=smtp_url,
        profiles_url=profiles_url, notifier_port=free_port(),
    )  # type: ignore[call-arg]  # fmt: skip
    options = DispatcherOptions(
        workers=workers, batch_size=400, settle_s=0, poll_interval_s=0.05, contact_ttl_s=300,
        processes=processes,
    )  # fmt: skip
    app = create_app(settings, options)
    start_count = total.value
    go, took = mp.Event(), mp.Value("d", 0.0)
    matcher = mp.Process(target=matcher_stand_in, args=(nats_url, pairs, go, took), daemon=True)
    if not in_process:
        matcher.start()
    async with app.router.lifespan_context(app):
        js = app.state.broker.connection.jetstream()
        await asyncio.sleep(1.0)  # the stand-in is connected
        before = -1.0
        while dispatchers_cpu(app) - before > 0.05:  # the other dispatchers have started
            before = dispatchers_cpu(app)
            await asyncio.sleep(0.5)
        t0, cpu0, kids0 = time.perf_counter(), time.process_time(), dispatchers_cpu(app)
        if in_process:  # the notifier's own event loop publishes (the first bench's setup)
            took.value = await publish_events(js, pairs)
        else:
            go.set()
        from sqlalchemy import func, select

        from services.notifier.adapters.orm import deliveries

        next_report = 2.0
        while total.value - start_count < 2 * pairs:
            await asyncio.sleep(0.2)
            if time.perf_counter() - t0 > next_report:
                next_report += 10.0
                with app.state.engine.connect() as conn:
                    rows = conn.execute(select(func.count()).select_from(deliveries)).scalar()
                done = total.value - start_count
                print(f"  t={time.perf_counter() - t0:5.1f} s  rows={rows}  emails={done}")
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        kids = dispatchers_cpu(app) - kids0
        print(f"published {pairs} events in {took.value:.1f} s")
    if not in_process:
        matcher.join(10)
    return elapsed, cpu, kids


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--processes", type=int, default=2, help="ENTRAIDE_NOTIFIER_PROCESSES")
    parser.add_argument("--baseline", type=int, default=200)
    parser.add_argument(
        "--publish-in-process", action="store_true",
        help="publish from the notifier's own event loop (the setup of the first figures)",
    )  # fmt: skip
    parser.add_argument("--quick", action="store_true", help="200 pairs (smoke run)")
    args = parser.parse_args()
    if args.quick:
        args.pairs, args.baseline = 200, 20
    total, dups = mp.Value("i", 0), mp.Value("i", 0)
    smtp_port, profiles_port = free_port(), free_port()
    ready_smtp, ready_prof = mp.Event(), mp.Event()
    procs = [
        mp.Process(target=smtp_sink, args=(smtp_port, total, dups, ready_smtp), daemon=True),
        mp.Process(target=profiles_stub, args=(profiles_port, ready_prof), daemon=True),
    ]
    for p in procs:
        p.start()
    ready_smtp.wait(10)
    ready_prof.wait(10)
    smtp_url = f"mailto://127.0.0.1:{smtp_port}?mode=insecure&from=entraide@localhost"
    stock, shared = baseline(smtp_url, args.baseline)
    with tempfile.TemporaryDirectory() as tmp:
        nats = NatsServer(Path(tmp) / "nats", port=free_port()).start()
        try:
            before, cpu = total.value, time.process_time()
            elapsed, cpu_main, cpu_kids = asyncio.run(
                run(args.pairs, args.workers, args.processes, Path(tmp), nats.url, smtp_url,
                    f"http://127.0.0.1:{profiles_port}", total, args.publish_in_process)
            )  # fmt: skip
            sent = total.value - before
            cpu = time.process_time() - cpu  # the notifier (this process), not the stand-ins
        finally:
            nats.stop()
    for p in procs:
        p.terminate()
    n = 2 * args.pairs
    print()
    print("| measure | value |")
    print("|---|---|")
    print(f"| baseline: stock apprise, one email | {stock * 1000:.1f} ms |")
    print(f"| notifier channel (shared TLS context, kept connection), one email "
          f"| {shared * 1000:.1f} ms |")  # fmt: skip
    where = "notifier's event loop" if args.publish_in_process else "own process"
    print(f"| events published from | {where} |")
    print(f"| announcements (emails) | {n} |")
    print(f"| workers | {args.workers} per process, {args.processes} dispatcher processes |")
    print(f"| emails accepted by the sink | {sent} |")
    print(f"| duplicates (same message key twice) | {dups.value} |")
    print(f"| wall time, first publish -> last email | {elapsed:.1f} s (target <= 60 s) |")
    print(f"| throughput | {n / elapsed:.0f} emails/s |")
    per_email = cpu / max(sent, 1) * 1000
    print(f"| notifier CPU, main process only, whole run (user + system) | {cpu:.1f} s, "
          f"{per_email:.2f} ms per email (load {os.getloadavg()[0]:.1f}) |")  # fmt: skip
    cpu_sending = cpu_main + cpu_kids
    sending_ms = cpu_sending / max(sent, 1) * 1000
    print(f"| notifier CPU, first publish -> last email (imports and start-up left out; "
          f"main process {cpu_main:.1f} s + other dispatchers {cpu_kids:.1f} s) "
          f"| {cpu_sending:.1f} s, {sending_ms:.2f} ms per email |")  # fmt: skip
    print(f"| stock apprise at that rate, serial estimate | {n * stock:.0f} s |")


if __name__ == "__main__":
    main()
