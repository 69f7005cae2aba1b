"""The notifier's gauges: deliveries by channel and status, and its outbox backlog.

Both are counts read at scrape time (:mod:`shared.metrics`); the outbox of the notifier
is the deliveries whose ``notification.*`` event is not yet on the broker.
"""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from services.notifier.adapters.orm import deliveries as d
from services.notifier.domain.model import CHANNELS, STATUSES
from shared.metrics import Metrics, watch_outbox


def deliveries_by_status(engine: Engine) -> dict[tuple[str, ...], int]:
    """(channel, status) -> number of deliveries; every pair present, 0 when none."""
    counts: dict[tuple[str, ...], int] = {
        (channel, status): 0 for channel in CHANNELS for status in STATUSES
    }
    query = select(d.c.channel, d.c.status, func.count()).group_by(d.c.channel, d.c.status)
    with engine.connect() as conn:
        for channel, status, n in conn.execute(query):
            counts[(channel, status)] = int(n)
    return counts


def unpublished_count(engine: Engine) -> int:
    """Deliveries sent or failed whose event is not yet acknowledged by JetStream."""
    query = select(func.count()).select_from(d).where(d.c.event_published.is_(False))
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def watch(metrics: Metrics, engine: Engine) -> None:
    metrics.add_counts(
        "entraide_deliveries",
        "Deliveries by channel and status (failed: given up, event dead-lettered).",
        ("channel", "status"),
        lambda: deliveries_by_status(engine),
    )
    watch_outbox(metrics, lambda: unpublished_count(engine))
