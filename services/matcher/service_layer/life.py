"""Use cases of the life of a published match: answers, check-ins, timers, the round's view.

Publication schedules, in its own transaction, one participation and the durable timers
of every member of a mentoring pair or a group (:func:`schedule_published`). Members
answer through :func:`answer` and :func:`check_in`; :func:`fire_due` fires the due
timers, each once, with its events in the outbox.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from services.matcher.adapters.unit_of_work import Store, UnitOfWork
from services.matcher.domain.errors import AnswerRefused, MatchNotFound
from services.matcher.domain.life import ANSWERED_KINDS, AnswerState, Participation
from services.matcher.domain.parameters import Parameters
from services.matcher.domain.timers import life_timers, response_deadline
from services.matcher.service_layer import closing
from shared.events import GroupMatched, MatchEvent, RoundKind
from shared.vocabulary.codes import CheckinFit, DeclineReason

#: Timers fired per transaction batch of the worker loop.
FIRE_BATCH = 200


def participants(event: MatchEvent) -> tuple[str, ...]:
    """Everyone who answers a match: its members, and a group's facilitator."""
    found = list(event.member_ids)
    if isinstance(event, GroupMatched) and event.facilitator_id:
        found.append(event.facilitator_id)
    return tuple(dict.fromkeys(found))


def schedule_published(
    store: Store,
    kind: RoundKind,
    params: Parameters,
    published: Sequence[MatchEvent],
    now: datetime,
) -> None:
    """Inside the publication's transaction: participations and timers of every member."""
    if kind not in ANSWERED_KINDS:
        return  # seminar seats are neither answered nor checked in on
    deadline = response_deadline(now, params.response_days)
    timers = life_timers(now, params.response_days, params.checkin_days)
    people = [
        Participation(e.match_id, e.round_id, kind, m, deadline)
        for e in published
        for m in participants(e)
    ]
    store.life.add(people, ((p.match_id, p.member_id, t) for p in people for t in timers))
    closing.schedule_courses(store, kind, params, published, now)


def _mine(store: Store, match_id: str, member_id: str) -> Participation:
    found = store.life.get(match_id, member_id)
    if found is None:
        if store.life.match_kind(match_id, member_id) == "rotations":
            raise AnswerRefused("match_not_answerable", match_id=match_id)
        raise MatchNotFound(match_id=match_id)
    return found


def participation(uow: UnitOfWork, match_id: str, member_id: str) -> Participation:
    with uow.begin() as store:
        return _mine(store, match_id, member_id)


def answer(
    uow: UnitOfWork,
    match_id: str,
    member_id: str,
    accept: bool,
    reason: DeclineReason | None,
    now: datetime,
) -> Participation:
    """Accept or decline (idempotent; a different second answer is refused)."""
    with uow.begin() as store:
        mine = _mine(store, match_id, member_id)
        recorded = mine.answer(accept, reason, now)
        if recorded:
            store.life.save(mine)
            store.life.add_events(recorded)
    return mine


def check_in(
    uow: UnitOfWork, match_id: str, member_id: str, met: bool, fit: CheckinFit, now: datetime
) -> Participation:
    with uow.begin() as store:
        mine = _mine(store, match_id, member_id)
        recorded = mine.check_in(met, fit, now)
        if recorded:
            store.life.save(mine)
            store.life.add_events(recorded)
    return mine


@dataclass
class MatchAnswers:
    match_id: str
    counts: Counter[str] = field(default_factory=Counter)
    people: list[Participation] = field(default_factory=list)


def round_answers(
    uow: UnitOfWork, round_id: str, match_ids: Sequence[str] | None = None
) -> tuple[Counter[str], list[MatchAnswers]]:
    """For the coordinator: accepted / declined / pending / unanswered, overall (one
    aggregate query) and per match: of ``match_ids`` only when given (a page of them),
    else of every match of the round."""
    with uow.begin() as store:
        store.rounds.require(round_id)
        total: Counter[str] = Counter({str(s): 0 for s in AnswerState})
        total.update(store.life.states_of_round(round_id))
        if match_ids is None:
            people = store.life.of_round(round_id)
        else:
            people = [p for p in store.life.of_matches(match_ids) if p.round_id == round_id]
    per_match: dict[str, MatchAnswers] = {}
    for p in people:
        entry = per_match.setdefault(p.match_id, MatchAnswers(p.match_id))
        entry.counts[str(p.state)] += 1
        entry.people.append(p)
    return total, list(per_match.values())


def fire_due(uow: UnitOfWork, now: datetime, limit: int = FIRE_BATCH) -> int:
    """Fire the timers due at ``now``, each in its own transaction; how many it claimed.

    After a downtime several timers of one member may be due at once: only the latest of
    each thread speaks (one reminder, not two and a "no answer" together)."""
    with uow.begin() as store:
        due = store.life.due(now, limit)
    fired = 0
    for timer_id in due:
        with uow.begin() as store:
            claimed = store.life.claim(timer_id, now)
            if claimed is None:
                continue  # another worker fired it
            fired += 1
            if claimed.kind in closing.COURSE_TIMERS:
                if not claimed.superseded:
                    closing.on_course_timer(store, claimed, now)
                continue
            mine = store.life.get(claimed.match_id, claimed.member_id)
            if mine is None or claimed.superseded:  # gone (erasure), or caught up by a later one
                continue
            recorded = mine.on_timer(claimed.kind, claimed.n, now)
            if recorded:
                store.life.save(mine)
                store.life.add_events(recorded)
    return fired
