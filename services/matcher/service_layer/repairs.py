"""Repairing a published round when someone declines, leaves or is erased.

:func:`repair_round` keeps every match the departures do not touch, computes the rest
with the kind's repair (:mod:`services.matcher.domain.kinds.repair`), and saves in one
transaction: the new revision of the proposal, the round's history, the repair report,
and the events -- a ``match.*`` event (with ``revision`` and ``replaces``) for each new
match only, a ``match.superseded`` for the members of an ended match left with no new
one (so they learn it), a ``match.closed`` (reason ``repaired``) per ended match, and
``round.repaired``. Unchanged matches send nothing: nobody else is told again.

:func:`on_member_departed` records one member's departure from one round (an HR
deactivation or an erasure records its departures in the member projection's transaction,
:mod:`~services.matcher.service_layer.projection`, idempotent by event id), and
:func:`on_match_left` is what the ``match.declined`` / ``match.unanswered`` consumer calls:
each records the departure, and :func:`repair_if_policy` repairs at once when the round's
``auto_repair`` policy is on. The departures are claimed first, so a repair interrupted
by a stop is resumed by :func:`resume_repairs` (the timer worker) and never done twice.
The new matches of a repair enter the life of a match like published ones (answers,
check-ins, course); the timers of the matches it ended are cancelled.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from services.matcher import SERVICE
from services.matcher.adapters.unit_of_work import UnitOfWork
from services.matcher.domain.erasure import ERASED
from services.matcher.domain.errors import AdjustmentRejected, InvalidTransition
from services.matcher.domain.kinds import FORMATS
from services.matcher.domain.kinds.base import Proposal, ProposedMatch
from services.matcher.domain.kinds.repair import Repair, repair
from services.matcher.domain.round import Round
from services.matcher.service_layer import life
from services.matcher.service_layer.computation import load_inputs
from shared.errors import FieldError
from shared.events import MatchSuperseded
from shared.life_events import MatchClosed, MatchDeclined, MatchUnanswered, life_event_id
from shared.vocabulary.codes import ClosingReason

log = logging.getLogger("entraide.matcher.repairs")
RepairReason = Literal["declined", "deactivated", "erased", "coordinator"]
REASONS: tuple[str, ...] = ("declined", "deactivated", "erased", "coordinator", "unanswered")
#: How long an automatic repair holds its departures; after a stop, another worker takes
#: them over once it has run out (a repair still computing then loses the race on the
#: round's revision: saved once either way).
AUTO_REPAIR_LEASE = timedelta(minutes=10)
RESUME_BATCH = 20


@dataclass(frozen=True)
class RepairOutcome:
    round: Round
    report: dict[str, Any]


def utcnow() -> datetime:
    return datetime.now(UTC)


def repair_round(
    uow: UnitOfWork,
    round_id: str,
    departed: set[str],
    reason: str,
    repaired_by: str = "",
    held: int = 0,
    today: date | None = None,
) -> RepairOutcome:
    """Repair published round ``round_id`` after ``departed`` (plus its recorded, not yet
    repaired departures) left; ``held`` rotations already took place (rotations)."""
    with uow.begin() as store:
        found = store.rounds.require(round_id)
        found.ensure("repair")
        newly = set(departed) | store.repairs.pending(round_id)
        gone = newly | store.repairs.departed(round_id)
        inputs = load_inputs(store, found, today or date.today())
        inputs.history = store.rounds.met_pairs(_since(found), excluding=None)
        earlier = store.rounds.met_pairs(_since(found), excluding=round_id)
        current = store.rounds.proposal(found)
        before = dict(found.report or {})
    _check_departed(current, set(departed), newly)
    fix = repair(found.kind, current, gone, inputs, held, earlier)
    who = (set(departed) - {ERASED}, newly, gone)
    return _save(uow, round_id, found.revision, who, reason, repaired_by, fix, before)


def _check_departed(current: Proposal, named: set[str], newly: set[str]) -> None:
    """Refuse a repair that names someone outside the round, or has nothing to repair."""
    inside = {m for match in current.matches for m in _told(match)}
    stranger = sorted(named - inside)
    if stranger:
        raise AdjustmentRejected(
            "repair_member_not_in_round",
            field_errors=[FieldError("departed", "repair_member_not_in_round",
                                     {"member_id": stranger[0]})],
            member_id=stranger[0],
        )  # fmt: skip
    tombstones = any(ERASED in match.members for match in current.matches)
    if not (newly & inside) and not tombstones:
        raise AdjustmentRejected("repair_nothing_to_do")


def on_member_departed(
    uow: UnitOfWork, round_id: str, member_id: str, reason: str, today: date | None = None
) -> RepairOutcome | None:
    """Record that ``member_id`` left published round ``round_id``; repair it at once when
    its ``auto_repair`` policy is on (else the coordinator repairs it later)."""
    with uow.begin() as store:
        found = store.rounds.require(round_id)
        if found.state != "published":
            return None
        store.repairs.record_departure(round_id, member_id, reason, utcnow())
    return repair_if_policy(uow, round_id, reason, today)


def on_match_left(
    uow: UnitOfWork, event: MatchDeclined | MatchUnanswered, today: date | None = None
) -> RepairOutcome | None:
    """A member declined (or never answered) a match: their departure from its round.

    Idempotent by event id (``processed_events``, in the departure's transaction); a
    match a repair already ended, or a round no longer published, records nothing."""
    reason = "declined" if isinstance(event, MatchDeclined) else "unanswered"
    now = utcnow()
    with uow.begin() as store:
        if store.members.processed([event.event_id]):
            return None
        store.members.mark_processed([event.event_id], now)
        found = store.rounds.get(event.round_id)
        if found is None or found.state != "published":
            return None
        current = store.rounds.proposal(found)
        mine = [m for m in current.matches if m.id == event.match_id]
        if not mine or event.member_id not in _told(mine[0]):
            return None  # repaired away meanwhile: nothing left to leave
        store.repairs.record_departure(event.round_id, event.member_id, reason, now)
    return repair_if_policy(uow, event.round_id, reason, today)


def repair_if_policy(
    uow: UnitOfWork, round_id: str, reason: str, today: date | None = None
) -> RepairOutcome | None:
    """Repair the round's recorded departures now if its ``auto_repair`` policy is on.

    The departures are first claimed (a conditional UPDATE with a lease), so a departure
    is repaired once even with several workers, and a repair interrupted by a stop is
    resumed by :func:`resume_repairs` once its lease has run out. Policy off, or a
    repair the constraints refuse, leaves the departures to the coordinator (logged, not
    raised: the event that triggered it was processed)."""
    now = utcnow()
    with uow.begin() as store:
        found = store.rounds.get(round_id)
        if found is None or found.state != "published" or not found.parameters.auto_repair:
            store.repairs.hand_over(round_id, now)
            return None
        if not store.repairs.claim_auto(round_id, now, now + AUTO_REPAIR_LEASE):
            return None  # nothing open, or another worker is on it
    try:
        return repair_round(uow, round_id, set(), reason, today=today)
    except AdjustmentRejected as exc:
        log.warning("automatic repair of round %s refused: %s %s", round_id, exc.code, exc.params)
        _release(uow, round_id, coordinator_since=utcnow())
    except InvalidTransition:  # repaired meanwhile: what is still open is free again
        _release(uow, round_id)
    return None


def _release(uow: UnitOfWork, round_id: str, coordinator_since: datetime | None = None) -> None:
    with uow.begin() as store:
        store.repairs.release_auto(round_id, coordinator_since)


def resume_repairs(uow: UnitOfWork, limit: int = RESUME_BATCH) -> int:
    """Automatic repairs to do or to resume: departures recorded in rounds whose policy
    is on and whose repair never completed (the matcher stopped in between, or its lease
    ran out). Called by the timer worker at every tick; how many rounds it repaired."""
    with uow.begin() as store:
        waiting = store.repairs.resumable(utcnow(), limit)
    repaired = 0
    for round_id, reason in waiting.items():
        if repair_if_policy(uow, round_id, reason) is not None:
            log.info("automatic repair of round %s resumed (%s)", round_id, reason)
            repaired += 1
    return repaired


def departures(uow: UnitOfWork, round_id: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The round's departures and its repair reports (oldest first)."""
    with uow.begin() as store:
        store.rounds.require(round_id)
        return store.repairs.departures(round_id), store.repairs.reports(round_id)


def _since(found: Round) -> datetime | None:
    days = found.parameters.lookback_days
    return None if days is None else utcnow() - timedelta(days=days)


def _save(
    uow: UnitOfWork, round_id: str, revision: int, who: tuple[set[str], ...], reason: str,
    by: str, fix: Repair, before: dict[str, Any],
) -> RepairOutcome:  # fmt: skip
    """Store the repair; ``who`` = (departed named now, departures it handles, all who left)."""
    named, newly, gone = who
    now = utcnow()
    with uow.begin() as store:
        found = store.rounds.require(round_id)
        if found.revision != revision:  # repaired meanwhile: compute again from the new one
            raise InvalidTransition(state=found.state, action="repair")
        kind = FORMATS[found.kind]
        store.rounds.replace_proposal(found, _proposal(fix))
        new = [fix.matches[i] for i in sorted(fix.replaces)]
        revision = found.repair(len(fix.changed), tuple(m.id for m in new), by, now)
        announced = [
            kind.event(fix.matches[i], round_id).model_copy(
                update={"revision": revision, "replaces": fix.replaces[i]}
            )
            for i in sorted(fix.replaces)
        ]
        store.rounds.add_events(announced)
        store.life.cancel_timers([m.id for m in fix.superseded])
        life.schedule_published(store, found.kind, found.parameters, announced, now)
        store.rounds.add_events(_endings(found, fix, gone, reason, revision))
        store.rounds.forget_history(round_id)
        met = {p for m in fix.matches for p in kind.pairs(m) if len(p) == 2}
        store.rounds.record_history(found, met, now)
        report = _report(fix, newly, reason, before, revision)
        store.repairs.add_report(round_id, revision, reason, by, report, now)
        for member_id in named - store.repairs.departed(round_id):
            store.repairs.record_departure(round_id, member_id, reason, now)
        store.repairs.mark_repaired(round_id, gone, revision)
        if not store.rounds.save(found):
            raise InvalidTransition(state=found.state, action="repair")
    return RepairOutcome(found, report)


def _proposal(fix: Repair) -> Proposal:
    return Proposal(fix.matches, fix.report)


def _endings(found: Round, fix: Repair, gone: set[str], reason: str, revision: int) -> list[Any]:
    """``match.closed`` per ended match; ``match.superseded`` for those left with nothing."""
    placed = {m for i in fix.replaces for m in fix.matches[i].members}
    events: list[Any] = []
    for old in fix.superseded:
        remaining = tuple(m for m in old.members if m != ERASED)
        events.append(
            MatchClosed(
                event_id=life_event_id(old.id, "closed", revision), producer=SERVICE,
                match_id=old.id, round_id=found.id, kind=found.kind,
                reason=ClosingReason.REPAIRED, member_ids=remaining,
            )
        )  # fmt: skip
        alone = tuple(m for m in _told(old) if m not in gone and m not in placed)
        if alone:
            events.append(
                MatchSuperseded(
                    producer=SERVICE, match_id=life_event_id(old.id, "superseded", revision),
                    round_id=found.id, revision=revision, kind=found.kind,
                    superseded_match_id=old.id, members=alone, reason=reason,
                )
            )  # fmt: skip
    return events


def _told(match: ProposedMatch) -> list[str]:
    facilitator = match.data.get("facilitator_id")
    extra = [facilitator] if facilitator and facilitator not in match.members else []
    return [m for m in [*match.members, *extra] if m != ERASED]


def _report(
    fix: Repair, gone: set[str], reason: str, before: dict[str, Any], revision: int
) -> dict[str, Any]:
    return {
        "revision": revision,
        "reason": reason,
        "departed_count": len(gone - {ERASED}),
        "changed_people": sorted(fix.changed),
        "changed_count": len(fix.changed),
        "new_match_ids": [fix.matches[i].id for i in sorted(fix.replaces)],
        "ended_match_ids": [m.id for m in fix.superseded],
        "before": before.get("headline", {}),
        "after": fix.report.get("headline", {}),
        **fix.notes,
    }
