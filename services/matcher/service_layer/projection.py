"""The matcher's own view of members, built only from profile events.

Idempotent: each event id is recorded as processed in the same transaction as its
effect. Ordered: a member event whose version is not newer than the stored one (or
than the member's erasure) is discarded. Replaying the stream from the first sequence
therefore rebuilds an identical store. An erasure also removes the member from the
history, from every unpublished proposal and from the health facts. A deactivation (the
member left the company) keeps the member with ``left_on`` (never matched again) and
records their departure from every published round where a match not yet closed names
them, in the same transaction as the event id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import NamedTuple

from services.matcher.adapters.projection import MemberRecord
from services.matcher.adapters.unit_of_work import Store, UnitOfWork
from services.matcher.domain.erasure import ERASED
from shared.db import EncodedJson
from shared.events import (
    MemberDeactivated,
    MemberErased,
    MemberEvent,
    MemberProfileUpdated,
    MemberRegistered,
)


@dataclass
class ApplyStats:
    applied: int = 0
    duplicates: int = 0
    stale: int = 0
    #: published rounds an erased or deactivated member was in -> the departure's reason
    #: (the departure is recorded; the round is to repair when its policy says so)
    departed_rounds: dict[str, str] = field(default_factory=dict)


class MemberChange(NamedTuple):
    """What the projection keeps of a member event: the fields it stores, the profile
    already encoded as JSON. A validated event is reduced to this at once (the consumer's
    ``keep``), so that its pydantic models (about 16 objects the garbage collector
    tracks) die young instead of living through the whole batch (issue 14)."""

    event_id: str
    member_id: str
    version: int
    occurred_at: datetime
    #: the profile as pydantic's JSON; ``None`` for an erasure
    profile: EncodedJson | None
    deactivated: bool

    @classmethod
    def of(cls, event: MemberEvent) -> MemberChange:
        profile = None
        if isinstance(event, MemberRegistered | MemberProfileUpdated | MemberDeactivated):
            # pydantic encodes the JSON text once, in Rust (no dict, no json.dumps per row)
            profile = EncodedJson(event.profile.model_dump_json())
        elif not isinstance(event, MemberErased):
            raise TypeError(f"not a member event the projection knows: {event.type}")
        deactivated = isinstance(event, MemberDeactivated)
        return cls(event.event_id, event.member_id, event.version, event.occurred_at, profile,
                   deactivated)  # fmt: skip


def apply_member_events(uow: UnitOfWork, batch: Sequence[MemberEvent]) -> ApplyStats:
    """Apply a batch of member events in one transaction (see :func:`apply_changes`)."""
    return apply_changes(uow, [MemberChange.of(e) for e in batch])


def apply_changes(uow: UnitOfWork, batch: Sequence[MemberChange]) -> ApplyStats:
    """Apply a batch of member events, each reduced to its :class:`MemberChange`, in one
    transaction.

    Complexity: three indexed look-ups per batch plus one write per applied event.
    """
    with uow.begin() as store:
        return apply_in(store, batch)


def apply_in(store: Store, batch: Sequence[MemberChange]) -> ApplyStats:
    stats = ApplyStats()
    seen = store.members.processed([e.event_id for e in batch])
    member_ids = {e.member_id for e in batch}
    versions = store.members.versions(member_ids)
    erased = store.members.erased_versions(member_ids)
    fresh: list[str] = []
    latest: dict[str, MemberChange] = {}  # the newest applicable event per member
    for event in batch:
        if event.event_id in seen:
            stats.duplicates += 1
            continue
        seen.add(event.event_id)
        fresh.append(event.event_id)
        current = max(versions.get(event.member_id, 0), erased.get(event.member_id, 0))
        pending = latest.get(event.member_id)
        if event.version <= current or (pending is not None and event.version <= pending.version):
            stats.stale += 1
            continue
        if pending is not None:
            stats.stale += 1  # superseded inside the batch: same end state, one write
        latest[event.member_id] = event
        stats.applied += 1
    now = datetime.now(UTC)
    stats.departed_rounds = _write(store, list(latest.values()), set(versions), now)
    store.members.mark_processed(fresh, now)
    return stats


def _write(
    store: Store, events: list[MemberChange], existing: set[str], now: datetime
) -> dict[str, str]:
    """Write the end state of each member; return the published rounds an erasure or a
    deactivation touched (the departure is recorded in each) and why."""
    kept = [MemberRecord(e.member_id, e.version, e.profile) for e in events if e.profile]
    store.members.write(kept, existing, now)
    touched: dict[str, str] = {}
    for e in events:
        if e.profile is None:  # erased
            store.members.erase(e.member_id, e.version, e.occurred_at)
            for round_id in store.rounds.forget_member(e.member_id):
                store.repairs.record_departure(round_id, ERASED, "erased", now)
                touched[round_id] = "erased"
            store.life.forget_member(e.member_id)
            store.health.forget(e.member_id)
            store.closing.forget_member(e.member_id)
        elif e.deactivated:
            for round_id in sorted(store.rounds.open_rounds_of(e.member_id)):
                store.repairs.record_departure(round_id, e.member_id, "deactivated", now)
                touched.setdefault(round_id, "deactivated")
    return touched


def count_members(uow: UnitOfWork) -> int:
    with uow.begin() as store:
        return store.members.count()


def erased_since(uow: UnitOfWork, member_id: str, issued_at: float) -> bool:
    """True when ``member_id`` was erased at or after ``issued_at`` (epoch seconds): a token
    issued then is refused; one issued after the erasure (a new registration) is not."""
    with uow.begin() as store:
        erased_at = store.members.erased_at(member_id)
    return erased_at is not None and erased_at.timestamp() >= issued_at


def read_member(uow: UnitOfWork, member_id: str) -> MemberRecord | None:
    with uow.begin() as store:
        return store.members.get(member_id)
