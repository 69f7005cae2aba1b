"""Computing a round: claimed by one worker, the kind's algorithm run, the proposal stored.

Any replica may compute; :func:`claim_next` gives a round to one worker for a short lease
(``settings.round_lease_s``) that a heartbeat renews while it computes, so a round whose
worker died is claimed again within one lease. Progress is saved (and announced by
``round.progress``) as the computation goes; a computation that raises marks the round
``failed`` with a reason code at once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

from services.matcher.adapters.unit_of_work import Store, UnitOfWork
from services.matcher.domain.errors import InvalidTransition, MatcherError
from services.matcher.domain.kinds import FORMATS
from services.matcher.domain.kinds.base import Inputs, Proposal, ProposedMatch
from services.matcher.domain.people import population
from services.matcher.domain.round import LEASE, Round
from shared import correlation
from shared.vocabulary import ProgressStep

log = logging.getLogger("entraide.matcher.computation")
Notify = Callable[[], None]
REPLANNABLE = ("proposed", "published")


def utcnow() -> datetime:
    return datetime.now(UTC)


def claim_next(
    uow: UnitOfWork, lease: timedelta = LEASE, now: datetime | None = None
) -> str | None:
    """Move one requested round (or one whose worker's lease lapsed) to ``running``."""
    now = now or utcnow()
    with uow.begin() as store:
        found = store.rounds.claimable(now)
        if found is None:
            return None
        found.start(now, lease)
        return found.id if store.rounds.save(found) else None


def load_inputs(store: Store, r: Round, today: date) -> Inputs:
    """Population in scope, everyone, history within the look-back, removed members."""
    params = r.parameters
    people, everyone = population(
        store.members.profiles(), r.scope, r.kind, today, params.newcomer_months
    )
    replaced = getattr(params, "replan_of", None)
    # a re-planned round's pairs are re-counted from the rounds actually held
    previous = _replaced_plan(store, replaced) if replaced else []
    since = None
    if params.lookback_days is not None:
        since = utcnow() - timedelta(days=params.lookback_days)
    met = store.rounds.met_pairs(since, excluding=replaced)
    return Inputs(people, everyone, met, params, r.removed_members(), previous)


def _replaced_plan(store: Store, round_id: str) -> list[ProposedMatch]:
    found = store.rounds.get(round_id)
    if found is None or found.kind != "rotations" or found.state not in REPLANNABLE:
        raise InvalidTransition("replan_source_invalid", round_id=round_id)
    return store.rounds.proposal(found).matches


def run_round(
    uow: UnitOfWork,
    round_id: str,
    today: date | None = None,
    notify: Notify | None = None,
    lease: timedelta = LEASE,
) -> Round:
    """Compute the proposal of a running round and store it (state ``proposed``).

    Whatever raises (loading, the algorithm, storing) marks the round ``failed`` with a
    reason code before the exception goes on; the lease is renewed every third of
    ``lease`` meanwhile. Runs with the correlation id of the request that asked for the
    round: its log lines and its events (progress, proposal) carry it.
    """
    with uow.begin() as store:
        asked = store.rounds.correlation_of(round_id)
    with correlation.bound(asked):
        return _compute(uow, round_id, today, notify, lease)


def _compute(
    uow: UnitOfWork, round_id: str, today: date | None, notify: Notify | None, lease: timedelta
) -> Round:

    def progress(p: float, step: ProgressStep) -> None:
        _advance(uow, round_id, p, step, lease)
        if notify is not None:
            notify()

    with _heartbeat(uow, round_id, lease):
        try:
            with uow.begin() as store:
                found = store.rounds.require(round_id)
                found.ensure("advance")
                inputs = load_inputs(store, found, today or date.today())
            progress(0.1, ProgressStep.SCORING)
            proposal = FORMATS[found.kind].propose(inputs, progress)
        except Exception as exc:
            log.exception("round %s failed", round_id)
            _fail(uow, round_id, exc.code if isinstance(exc, MatcherError) else "internal_error")
            raise
        return _store(uow, round_id, proposal)


@contextmanager
def _heartbeat(uow: UnitOfWork, round_id: str, lease: timedelta) -> Iterator[None]:
    """Renew the round's lease from a thread while the body computes."""
    done = threading.Event()

    def beat() -> None:
        while not done.wait(lease.total_seconds() / 3):
            try:
                _renew(uow, round_id, lease)
            except Exception:  # a lost heartbeat only risks a take-over: keep computing
                log.exception("lease renewal of round %s failed", round_id)

    thread = threading.Thread(target=beat, name=f"lease-{round_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def _renew(uow: UnitOfWork, round_id: str, lease: timedelta) -> None:
    with uow.begin() as store:
        found = store.rounds.require(round_id)
        if found.state == "running":
            found.renew(utcnow(), lease)
            store.rounds.save(found)


def _advance(
    uow: UnitOfWork, round_id: str, p: float, step: ProgressStep, lease: timedelta
) -> None:
    with uow.begin() as store:
        found = store.rounds.require(round_id)
        if found.state == "running":  # cancelled meanwhile: the result will be refused
            found.advance(p, step, utcnow(), lease)
            store.rounds.save(found)


def _store(uow: UnitOfWork, round_id: str, proposal: Proposal) -> Round:
    with uow.begin() as store:
        found = store.rounds.require(round_id)
        found.propose(proposal.report, utcnow())
        store.rounds.replace_proposal(found, proposal)
        if not store.rounds.save(found):
            raise InvalidTransition(state=found.state, action="propose")
    return found


def _fail(uow: UnitOfWork, round_id: str, reason: str) -> None:
    with uow.begin() as store:
        found = store.rounds.require(round_id)
        if found.state == "running":
            found.fail(reason, utcnow())
            store.rounds.save(found)
