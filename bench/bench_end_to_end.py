"""Benchmark: a 10,000-member network end to end, through the real services.

Real parts, as ``entraide up`` runs them: nats-server, profiles, matcher, notifier and
the portal, each its own process on 127.0.0.1 (SQLite), the local SMTP sink
(``deploy/local/smtp_sink.py``, in this process) as the notifier's relay. Stages, each
timed:

1. HR's CSV of N members imported into profiles (``POST /members/import``; everyone
   opted into groups, so the groups round announces to all N);
2. the matcher's projection has them all (``GET /members/count``, from the events);
3. a mentoring, a groups and a rotations round (tables of 10, 3 rotations), each
   requested over HTTP and timed until ``proposed`` (goal: <= 15 s after the request);
4. each round published in turn (``POST /rounds/{id}/publish``) and timed until every
   member of the round has had their announcement accepted by the SMTP sink (goal:
   <= 30 s after publish for a 10,000-member round), with the duplicates counted: the
   sink records each message's ``X-Entraide-Message-Key`` (one per round, member and
   channel) and recipient; a key or a (round, recipient) seen twice is a duplicate.

Each stage also prints the CPU seconds each process used during it (user + system, from
``/proc/PID/stat``; "sink" is this process, the SMTP sink and the polling): less noisy
than wall time on a shared machine.

    .venv/bin/python bench/bench_end_to_end.py [--members 10000] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import os
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from functools import partial
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_import import make_csv  # noqa: E402
from bench.process_cpu import cpu_seconds  # noqa: E402
from deploy.local.nats_server import free_port  # noqa: E402
from deploy.local.smtp_sink import SmtpSink  # noqa: E402
from services.notifier.domain.deliveries import message_key  # noqa: E402
from shared.subjects import MATCHES_ALL  # noqa: E402
from tests.browser.stack import Portal, PortalStack, portal_settings  # noqa: E402

GOAL_PROPOSED_S = 15.0
GOAL_DELIVERED_S = 30.0
ROUNDS = (
    ("mentoring", {}),
    ("groups", {}),
    ("rotations", {"table_size": 10, "rounds": 3}),
)


def load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


class CpuMeter:
    """CPU seconds used by each process of the stack (and this one) since the last call."""

    def __init__(self, stack: PortalStack) -> None:
        self.stack = stack
        self.last = self.now()

    def now(self) -> dict[str, float]:
        pids = {name: proc.pid for name, proc in self.stack.processes.items()}
        if self.stack.nats is not None and self.stack.nats.process is not None:
            pids["nats"] = self.stack.nats.process.pid
        # A service's children too: the notifier's other dispatcher processes.
        used = {name: cpu_seconds(pid, children=True) for name, pid in pids.items()}
        return used | {"sink": time.process_time()}

    def lap(self) -> str:
        """``cpu s: profiles 1.2, matcher 0.4, ...``: each process's use since last lap."""
        now = self.now()
        spent = {k: v - self.last.get(k, 0.0) for k, v in now.items()}
        self.last = now
        return "cpu s: " + ", ".join(f"{k} {v:.1f}" for k, v in spent.items())


class MatchEventClock:
    """When each round's match events reached JetStream: a core subscription (operator
    credentials) to ``match.>`` in a thread of its own, noting per round the arrival of
    the first and the last event (the stream stores a message before it is delivered)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.first: dict[str, float] = {}
        self.last: dict[str, float] = {}
        self.count: Counter[str] = Counter()
        self._ready = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, name="match-clock", daemon=True)

    def start(self) -> MatchEventClock:
        self._thread.start()
        if not self._ready.wait(30):
            raise RuntimeError("match event clock: no connection to nats-server")
        return self

    def close(self) -> None:
        if self._stop is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stop.set)
            self._thread.join(10)

    def _run(self) -> None:
        self._loop.run_until_complete(self._main())

    async def _main(self) -> None:
        import nats

        self._stop = asyncio.Event()
        nc = await nats.connect(self.url)

        async def arrived(msg: Any) -> None:
            now = time.perf_counter()
            rid = json.loads(msg.data).get("round_id", "")
            self.first.setdefault(rid, now)
            self.last[rid] = now
            self.count[rid] += 1

        await nc.subscribe(MATCHES_ALL, cb=arrived)
        await nc.flush()
        self._ready.set()
        await self._stop.wait()
        await nc.close()


def everyone_in_groups(content: bytes, themes: list[str]) -> bytes:
    """bench_import's CSV with every member opted into groups, themes from the catalogue."""
    rng = random.Random(11)
    rows = list(csv.DictReader(io.StringIO(content.decode()), delimiter=";"))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=";")
    writer.writeheader()
    for row in rows:
        themes_ = "|".join(rng.sample(themes, min(2, len(themes))))
        writer.writerow(row | {"groups": "oui", "themes": themes_})
    return out.getvalue().encode()


def wait_for(check: Any, timeout: float, what: str, poll: float = 0.1) -> float:
    """Seconds until ``check()`` is true (raises after ``timeout``)."""
    t0 = time.perf_counter()
    while not check():
        if time.perf_counter() - t0 > timeout:
            raise TimeoutError(f"{what}: not done after {timeout:.0f} s")
        time.sleep(poll)
    return time.perf_counter() - t0


def settled(hr: httpx.Client, url: str) -> bool:
    return hr.get(url).json()["state"] in ("proposed", "failed")


def all_delivered(sink: SmtpSink, keys: set[str]) -> bool:
    return keys <= {x.key for x in list(sink.received)}


def round_members(hr: httpx.Client, matcher: str, rid: str) -> set[str]:
    records = hr.get(f"{matcher}/rounds/{rid}/export").json()
    return {m for r in records for m in r["members"] if isinstance(m, str)}


def run(members: int, timeout: float) -> list[tuple[str, float, str]]:
    """The stages' rows: (stage, seconds, remark)."""
    rows: list[tuple[str, float, str]] = []
    with tempfile.TemporaryDirectory() as tmp, SmtpSink(port=free_port()) as sink:
        settings = portal_settings(Path(tmp), sink, max_body_bytes=64 * 1024 * 1024)
        stack = PortalStack(settings, say=lambda _: None)
        stack.start(timeout=120)
        print(f"stack up (nats-server, 4 services, SMTP sink); {load()}", flush=True)
        cpu = CpuMeter(stack)
        assert stack.nats is not None, "the stack runs its own nats-server"
        clock = MatchEventClock(stack.nats.url)
        try:
            clock.start()
            portal = Portal(stack, sink)
            profiles, matcher = portal.api("profiles"), portal.api("matcher")
            with portal.as_coordinator() as hr:
                catalogue = hr.get(profiles + "/themes", params={"limit": 500}).json()
                themes = [t["code"] for t in catalogue["items"]]
                content = everyone_in_groups(make_csv(members, seed=11), themes)
                t0 = time.perf_counter()
                r = hr.post(
                    profiles + "/members/import", files={"file": ("rh.csv", content, "text/csv")}
                )
                if r.status_code != 200 or r.json().get("created") != members:
                    raise RuntimeError(f"import failed: {r.status_code} {r.text[:500]}")
                took = time.perf_counter() - t0
                rows.append(("import (HR CSV -> profiles)", took, f"{load()}; {cpu.lap()}"))
                print(rows[-1], flush=True)
                took = wait_for(
                    lambda: hr.get(matcher + "/members/count").json()["members"] >= members,
                    timeout, "projection",
                )  # fmt: skip
                rows.append(
                    ("projection (matcher has all, after import)", took, f"{load()}; {cpu.lap()}")
                )
                print(rows[-1], flush=True)
                rids: dict[str, str] = {}
                for kind, parameters in ROUNDS:
                    body = {"client_request_id": f"e2e-{kind}", "kind": kind,
                            "parameters": parameters}  # fmt: skip
                    t0 = time.perf_counter()
                    r = hr.post(matcher + "/rounds", json=body)
                    r.raise_for_status()
                    rid = rids[kind] = str(r.json()["id"])
                    url = f"{matcher}/rounds/{rid}"
                    wait_for(partial(settled, hr, url), timeout, kind)
                    took = time.perf_counter() - t0
                    if hr.get(url).json()["state"] != "proposed":
                        raise RuntimeError(f"{kind} round failed: {hr.get(url).text[:500]}")
                    ok = "ok" if took <= GOAL_PROPOSED_S else "SLOW"
                    rows.append((f"{kind} round proposed (goal <= 15 s)", took,
                                 f"{load()} {ok}; {cpu.lap()}"))  # fmt: skip
                    print(rows[-1], flush=True)
                for kind, rid in rids.items():
                    people = round_members(hr, matcher, rid)
                    keys = {message_key(rid, m, "email") for m in people}
                    cpu.lap()
                    t0 = time.perf_counter()
                    r = hr.post(f"{matcher}/rounds/{rid}/publish")
                    r.raise_for_status()
                    wait_for(
                        partial(all_delivered, sink, keys),
                        timeout, f"{kind} announcements", poll=0.5,
                    )  # fmt: skip
                    took = time.perf_counter() - t0
                    ok = "ok" if took <= GOAL_DELIVERED_S else "SLOW"
                    rows.append((
                        f"{kind}: {len(keys)} e-mails delivered after publish (goal <= 30 s)",
                        took, f"{load()} {ok} {len(keys) / took:.0f}/s; {cpu.lap()}",
                    ))  # fmt: skip
                    print(rows[-1], flush=True)
                    events = clock.count[rid]
                    rows.append((
                        f"{kind}: first of {events} match events in JetStream after publish",
                        clock.first.get(rid, t0) - t0,
                        f"last after {clock.last.get(rid, t0) - t0:.2f} s",
                    ))  # fmt: skip
                    print(rows[-1], flush=True)
                time.sleep(2.0)  # late duplicates, if any, would arrive now
                received = list(sink.received)
                per_key = Counter(x.key for x in received)
                per_to = Counter((x.key, x.to) for x in received)
                dups = sum(n - 1 for n in per_key.values() if n > 1)
                dups_to = sum(n - 1 for n in per_to.values() if n > 1)
                rows.append((f"duplicates: {dups} by message key, {dups_to} by key+recipient",
                             0.0, f"{len(received)} e-mails in the sink"))  # fmt: skip
        finally:
            clock.close()
            stack.stop()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per stage")
    parser.add_argument("--quick", action="store_true", help="1,000 members")
    args = parser.parse_args()
    if args.quick:
        args.members = 1_000
    print(f"{args.members} members; {load()} on {os.cpu_count()} CPUs; loopback only", flush=True)
    rows = run(args.members, args.timeout)
    print(f"{'stage':<62} {'seconds':>8}  remark")
    for stage, seconds, remark in rows:
        print(f"{stage:<62} {seconds:>8.1f}  {remark}")


if __name__ == "__main__":
    main()
