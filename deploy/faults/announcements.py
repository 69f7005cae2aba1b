"""The checker's reading of a published round's announcements: lost, duplicated, stuck.

Every member of every match of the round must be told once per channel (the members
of the workload keep the default channels, e-mail and in-app). For each
(person, match, channel) :func:`check_round` reads

* the notifier's delivery log (``GET /rounds/{id}/deliveries``): the delivery must be
  ``sent``; ``pending``, ``claimed`` or ``sending`` once the faults are over is *stuck*;
* the SMTP sink: exactly one message carrying the notifier's idempotency key
  (``X-Entraide-Message-Key``) for the e-mail channel — none is *lost*, two or more is
  *duplicated*;
* the member's in-app inbox (``GET /inbox`` as that member): exactly one entry for the
  match.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from services.notifier.domain.deliveries import message_key

if TYPE_CHECKING:  # the workload's module imports the history, which imports this one
    from deploy.faults.workload import Replicas
    from deploy.local.smtp_sink import SmtpSink

CHANNELS: Final = ("email", "inapp")
BUSY: Final = ("pending", "claimed", "sending")
#: (member id, match id, channel)
Told = tuple[str, str, str]


@dataclass
class Announcements:
    expected: int = 0
    lost: list[Told] = field(default_factory=list)
    duplicated: list[Told] = field(default_factory=list)
    stuck: int = 0

    def add(self, other: Announcements) -> Announcements:
        return Announcements(
            self.expected + other.expected,
            self.lost + other.lost,
            self.duplicated + other.duplicated,
            self.stuck + other.stuck,
        )


async def pages(client: Replicas, path: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    """Every page of a paged listing (``limit``/``offset``)."""
    out: list[dict[str, Any]] = []
    read = 0
    while True:
        page = await client.until_ok(
            "GET", path, 60, params={"limit": 500, "offset": read}, headers=headers
        )
        out.append(page)
        read += len(page["items"])
        if read >= page.get("total", 0) or not page["items"]:
            return out


async def expected(matcher: Replicas, headers: dict[str, str], round_id: str) -> list[Told]:
    """Who must be told of what: every member of every match, on each channel."""
    matches = [
        m
        for page in await pages(matcher, f"/rounds/{round_id}/matches", headers)
        for m in page["items"]
    ]
    return [(member, m["id"], ch) for m in matches for member in m["members"] for ch in CHANNELS]


async def deliveries(
    notifier: Replicas, headers: dict[str, str], round_id: str
) -> tuple[Counter[Told], int]:
    """Sent deliveries per (member, match, channel), and how many are still busy."""
    log = await pages(notifier, f"/rounds/{round_id}/deliveries", headers)
    sent: Counter[Told] = Counter(
        (d["member_id"], d["match_id"], d["channel"])
        for page in log
        for d in page["items"]
        if d["status"] == "sent"
    )
    return sent, sum(log[0]["counts"].get(state, 0) for state in BUSY)


async def settled(
    notifier: Replicas, headers: dict[str, str], round_id: str, told: list[Told]
) -> bool:
    """Whether every announcement of the round is sent (the recovery's end)."""
    sent, busy = await deliveries(notifier, headers, round_id)
    return not busy and all(sent[t] for t in told)


async def check_round(
    matcher: Replicas,
    notifier: Replicas,
    sink: SmtpSink,
    headers: dict[str, str],
    member_headers: Callable[[str], dict[str, str]],
    round_id: str,
) -> Announcements:
    """Lost, duplicated and stuck announcements of ``round_id`` (see the module)."""
    told = await expected(matcher, headers, round_id)
    sent, busy = await deliveries(notifier, headers, round_id)
    mails = sink.per_key()
    inbox: Counter[tuple[str, str]] = Counter()
    for member in sorted({t[0] for t in told if t[2] == "inapp"}):
        for page in await pages(notifier, "/inbox", member_headers(member)):
            inbox.update(
                (member, e["match_id"]) for e in page["items"] if e["round_id"] == round_id
            )
    report = Announcements(expected=len(told), stuck=busy)
    for member, match, channel in told:
        if channel == "email":
            copies = mails[message_key(round_id, member, channel)]
        else:
            copies = inbox[(member, match)]
        if not sent[(member, match, channel)] or copies == 0:
            report.lost.append((member, match, channel))
        elif copies > 1:
            report.duplicated.append((member, match, channel))
    return report
