"""CSV import of N members for HR, then publication of their events to JetStream.

Runs the profiles app in-process (real SQLite file, real local nats-server with
``sync_interval: always``, the real outbox relay), posts one N-row CSV file to
``POST /members/import`` as a coordinator, and measures:
  * import: HTTP request until the report comes back (parse, validate, one transaction);
  * publish: from the report until the outbox is empty and the stream holds N events;
each twice in the same run, on fresh databases and servers:
  * baseline: the relay waiting for each PubAck before the next publish (window 1);
  * pipelined: the relay's default window (several PubAcks in flight, one per member).

Usage: python bench/bench_import.py [--rows 10000] [--seed 7]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import random
import sys
import tempfile
import time
from pathlib import Path

import httpx
import nats

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from deploy.local.nats_server import NatsServer, free_port
from services.profiles.adapters.outbox import pending_count
from services.profiles.domain.starter_catalogue import STARTER_SKILLS
from services.profiles.main import create_app
from shared import subjects
from shared.auth import mint_token
from shared.settings import Settings

SITES = ["Paris La Défense", "Lyon Part-Dieu", "Lille", "Nantes", "Marseille"]
FUNCTIONS = ["assistante de direction", "office manager", "assistant RH", "assistante d'équipe"]
SKILLS = [code for code, *_ in STARTER_SKILLS]


def make_csv(rows: int, seed: int) -> bytes:
    """A realistic HR export: one manager out of ten, 3-6 skills each, opt-ins mixed."""
    rng = random.Random(seed)
    out = io.StringIO()
    columns = [
        "email",
        "display_name",
        "site",
        "department",
        "function",
        "manager_email",
        "start_date",
        "languages",
        "skills",
        "skills_wanted",
        "themes",
        "mentor",
        "mentor_capacity",
        "mentee",
        "groups",
        "seminars",
        "facilitator",
    ]
    writer = csv.DictWriter(out, fieldnames=columns, delimiter=";")
    writer.writeheader()
    for i in range(rows):
        mentor = rng.random() < 0.3
        writer.writerow(
            {
                "email": f"assistant.{i:05d}@entreprise.example",
                "display_name": f"Assistante {i:05d}",
                "site": rng.choice(SITES),
                "department": f"Direction {rng.randint(1, 40)}",
                "function": rng.choice(FUNCTIONS),
                "manager_email": f"assistant.{(i // 10) * 10:05d}@entreprise.example"
                if i % 10
                else "",
                "start_date": f"{rng.randint(1995, 2025)}-{rng.randint(1, 12):02d}-01",
                "languages": "fr|en" if rng.random() < 0.5 else "fr",
                "skills": "|".join(
                    f"{code}:{rng.randint(0, 4)}" for code in rng.sample(SKILLS, rng.randint(3, 6))
                ),
                "skills_wanted": "|".join(rng.sample(SKILLS, rng.randint(0, 3))),
                "themes": "|".join(rng.sample(["budget", "outils", "evenements", "rh"], 2)),
                "mentor": "oui" if mentor else "non",
                "mentor_capacity": rng.randint(1, 3) if mentor else 0,
                "mentee": "oui" if rng.random() < 0.3 else "non",
                "groups": "oui" if rng.random() < 0.5 else "non",
                "seminars": "oui" if rng.random() < 0.6 else "non",
                "facilitator": "oui" if rng.random() < 0.05 else "non",
            }
        )
    return out.getvalue().encode()


async def run_once(content: bytes, rows: int, window: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        server = NatsServer(Path(tmp) / "nats", port=free_port()).start()
        try:
            settings = Settings(
                env="test",
                data_dir=Path(tmp) / "data",
                nats_url=server.url,
                max_body_bytes=20 * 1024 * 1024,
            )
            app = create_app(settings)
            token = mint_token(settings, "hr-bench", ("coordinator",))
            async with app.router.lifespan_context(app):
                app.state.relay.window = window
                transport = httpx.ASGITransport(app=app)
                async with httpx.AsyncClient(transport=transport, base_url="http://b") as client:
                    t0 = time.perf_counter()
                    r = await client.post(
                        "/members/import",
                        files={"file": ("rh.csv", content, "text/csv")},
                        headers={"Authorization": f"Bearer {token}"},
                        timeout=600,
                    )
                    t_import = time.perf_counter() - t0
                    report = r.json()
                    assert r.status_code == 200 and report["created"] == rows, r.text[:500]
                    while pending_count(app.state.engine) > 0:
                        await asyncio.sleep(0.02)
                    t_all = time.perf_counter() - t0
                nc = await nats.connect(server.url)
                info = await nc.jetstream().stream_info(subjects.STREAM_MEMBERS)
                await nc.close()
                assert info.state.messages == rows, info.state.messages
        finally:
            server.stop()
    return {"import": t_import, "publish": t_all - t_import, "total": t_all}


async def raw_publish(rows: int) -> float:
    """Reference: nats-py publishing ``rows`` registration-sized events, no database."""
    from shared.broker import ensure_streams

    payload = b"x" * 700
    with tempfile.TemporaryDirectory() as tmp:
        server = NatsServer(Path(tmp) / "nats", port=free_port()).start()
        try:
            nc = await nats.connect(server.url)
            js = nc.jetstream()
            await ensure_streams(js, Settings(env="test"))
            t0 = time.perf_counter()
            for i in range(rows):
                await js.publish(
                    subjects.MEMBER_REGISTERED, payload, headers={"Nats-Msg-Id": f"raw-{i}"}
                )
            elapsed = time.perf_counter() - t0
            await nc.close()
        finally:
            server.stop()
    return elapsed


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="1,000 rows (smoke run)")
    args = parser.parse_args()
    if args.quick:
        args.rows = 1_000
    content = make_csv(args.rows, args.seed)
    print(f"{args.rows} rows, {len(content) / 1e6:.2f} MB of CSV")
    print("nats-server: sync_interval always (fsync per message), SQLite WAL")
    results = {
        "baseline (1 PubAck in flight)": await run_once(content, args.rows, window=1),
        "pipelined (window 256, 1/member)": await run_once(content, args.rows, window=256),
    }
    raw = await raw_publish(args.rows)
    print(f"{'relay':<34} {'import s':>9} {'publish s':>10} {'total s':>8} {'events/s':>9}")
    for name, t in results.items():
        rate = args.rows / t["publish"] if t["publish"] > 0 else float("inf")
        print(
            f"{name:<34} {t['import']:>9.2f} {t['publish']:>10.2f} {t['total']:>8.2f} {rate:>9.0f}"
        )
    name = "reference: raw nats-py, no DB"
    print(f"{name:<34} {'':>9} {raw:>10.2f} {'':>8} {args.rows / raw:>9.0f}")
    print("target: total <= 30 s for 10,000 rows")


if __name__ == "__main__":
    asyncio.run(main())
