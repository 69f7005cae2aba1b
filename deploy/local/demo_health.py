"""``entraide demo``: six months of a simulated programme, then the health it shows.

The history is published through the real broker as the events of the life of a match
(:mod:`deploy.local.programme`), each with its own date, so the matcher's health
projection and the coordinator's dashboard tell a story on first run. When the
life-of-a-match actions are reachable over HTTP the simulation can call them instead.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import httpx
import nats
from rich.console import Console
from rich.table import Table

from deploy.local.operator import operator_connection_options
from deploy.local.programme import SimMember, simulate
from deploy.local.stack import service_url
from services.matcher import SERVICE as MATCHER
from services.portal import SERVICE as PORTAL
from shared.events import Event
from shared.settings import Settings


async def _publish(events: list[Event]) -> None:
    """Publish as the operator (the broker is closed; the simulation stands in for the
    services whose events it plays)."""
    servers, credentials = operator_connection_options()
    nc = await nats.connect(servers, **credentials)
    js = nc.jetstream()
    for start in range(0, len(events), 256):  # a window of acknowledgements in flight
        chunk = events[start : start + 256]
        await asyncio.gather(*(js.publish(e.subject, e.model_dump_json().encode(),
                                          headers={"Nats-Msg-Id": e.event_id})
                               for e in chunk))  # fmt: skip
    await nc.close()


def play(settings: Settings, http: httpx.Client, people: list[SimMember], seed: int,
         tag: str, console: Console) -> list[Event]:  # fmt: skip
    """Publish six months of the programme and wait until the matcher has counted them."""
    events = simulate(people, datetime.now(UTC), months=6, seed=seed, tag=f"demo{tag}")
    kinds = Counter(e.type for e in events)
    with console.status(f"Six mois simulés : {len(events)} événements publiés ..."):
        asyncio.run(_publish(events))
        accepted = kinds["match.accepted"]
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            body = http.get(service_url(settings, MATCHER) + "/health").json()
            seen = sum(m["accepted"] for m in body["months"] if m["segment"]["dimension"] == "all")
            if seen >= accepted:
                break
            time.sleep(0.5)
    console.print(
        f"Six mois simulés : {kinds['match.mentoring_pair']} binômes et "
        f"{kinds['match.group']} groupes proposés, {accepted} acceptations, "
        f"{kinds['match.declined']} refus, {kinds['match.unanswered']} sans réponse, "
        f"{kinds['group.session_recorded']} séances, {kinds['match.feedback_given']} avis."
    )
    return events


def _pct(value: Any) -> str:
    return "—" if value is None else f"{value * 100:.0f} %"


def show(settings: Settings, http: httpx.Client, console: Console) -> None:
    """The health per month (everyone), the fairness between sites, the network."""
    body = http.get(service_url(settings, MATCHER) + "/health").json()
    net = http.get(service_url(settings, MATCHER) + "/health/network").json()
    table = Table(title="Santé du réseau (tous sites)")
    for col in ("mois", "actifs", "acceptation", "binômes rencontrés", "séances",
                "satisfaction", "nouveaux avec mentor"):  # fmt: skip
        table.add_column(col, justify="right" if col != "mois" else "left")
    for m in body["months"]:
        if m["segment"]["dimension"] != "all":
            continue
        sat = m["satisfaction_mean"]
        table.add_row(
            m["month"], f"{m['active']}/{m['members']}", _pct(m["acceptance_rate"]),
            str(m["pairs_met"]), str(m["sessions"]),
            "—" if sat is None else f"{sat:.2f} ({m['satisfaction_count']})",
            f"{m['newcomers_mentored']}/{m['newcomers']}",
        )  # fmt: skip
    console.print(table)
    for kind, name in (("mentoring", "binômes"), ("groups", "groupes")):
        gaps = ", ".join(f"{f['site']} {f['gap']:+.3f}" for f in body["fairness"]
                         if f["kind"] == kind)  # fmt: skip
        console.print(f"Équité des {name} (qualité moyenne par site − générale) : {gaps}")
    console.print(
        f"Réseau sur 12 mois : {net['edges']} liens, {net['isolated']} membres isolés sur "
        f"{net['members']}, {_pct(net['largest_component_share'])} dans le plus grand ensemble."
    )
    console.print(f"Tableau de bord : {service_url(settings, PORTAL)}/coordination/tableau-de-bord")
