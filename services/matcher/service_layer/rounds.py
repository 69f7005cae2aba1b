"""Round use cases for coordinators and members: create, read, list, cancel, adjust, publish.

Computing a round lives in :mod:`services.matcher.service_layer.computation`. Every
state change goes through the :class:`Round` aggregate and is saved with its events.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

from services.matcher.adapters.repository import RoundRepository
from services.matcher.adapters.unit_of_work import UnitOfWork
from services.matcher.domain.adjustments import Adjustment, RemoveMember
from services.matcher.domain.errors import (
    AdjustmentRejected,
    ConflictingRequest,
    InvalidTransition,
)
from services.matcher.domain.kinds import FORMATS
from services.matcher.domain.kinds.base import MatchRecord, TableSeats
from services.matcher.domain.parameters import Parameters
from services.matcher.domain.round import Round
from services.matcher.service_layer import life
from services.matcher.service_layer.computation import REPLANNABLE, load_inputs
from shared.errors import FieldError
from shared.events import RoundKind, RoundScope
from shared.pagination import PageRequest


@dataclass(frozen=True)
class RoundRequest:
    """What a coordinator asks for (over HTTP or by ``round.requested``)."""

    client_request_id: str
    kind: RoundKind
    name: str
    scope: RoundScope
    parameters: Parameters


def utcnow() -> datetime:
    return datetime.now(UTC)


def create_round(uow: UnitOfWork, request: RoundRequest, requested_by: str) -> tuple[Round, bool]:
    """Create a round, or return the one already made for ``client_request_id``."""
    with uow.begin() as store:
        found = store.rounds.by_request(request.client_request_id)
        if found is not None:
            if not found.same_request(request.kind, request.scope, request.parameters):
                raise ConflictingRequest(client_request_id=request.client_request_id)
            return found, False
        _check_references(store.rounds, request.parameters)
        new = Round.request(
            uuid.uuid4().hex, request.client_request_id, request.kind, request.name,
            request.scope, request.parameters, requested_by, utcnow(),
        )  # fmt: skip
        store.rounds.add(new)
    return new, True


def _check_references(repository: RoundRepository, parameters: Parameters) -> None:
    """A re-plan names an existing rotations round with a plan (else 422, not a stuck round)."""
    source_id = getattr(parameters, "replan_of", None)
    if source_id is None:
        return
    source = repository.get(source_id)
    if source is None or source.kind != "rotations" or source.state not in REPLANNABLE:
        raise AdjustmentRejected(
            "replan_source_invalid",
            field_errors=[
                FieldError("parameters.replan_of", "replan_source_invalid", {"round_id": source_id})
            ],
            round_id=source_id,
        )


def get_round(uow: UnitOfWork, round_id: str) -> Round:
    with uow.begin() as store:
        return store.rounds.require(round_id)


def list_rounds(uow: UnitOfWork, page: PageRequest) -> tuple[list[Round], int]:
    with uow.begin() as store:
        return store.rounds.page(page)


def cancel_round(uow: UnitOfWork, round_id: str) -> Round:
    with uow.begin() as store:
        found = store.rounds.require(round_id)
        found.cancel(utcnow())
        _save(store.rounds, found)
    return found


def list_matches(
    uow: UnitOfWork, round_id: str, page: PageRequest | None = None
) -> tuple[list[MatchRecord], int]:
    """The matches of a round's proposal (all of them without ``page``)."""
    with uow.begin() as store:
        store.rounds.require(round_id)
        return store.rounds.matches(round_id, page)


def list_tables(
    uow: UnitOfWork, round_id: str, seminar_round: int | None, page: PageRequest
) -> tuple[list[TableSeats], int]:
    """One page of a seminar round's tables with who sits at each (none for other kinds)."""
    with uow.begin() as store:
        store.rounds.require(round_id)
        return store.seats.tables(round_id, seminar_round, page)


def member_matches(
    uow: UnitOfWork, member_id: str, page: PageRequest
) -> tuple[list[MatchRecord], int]:
    """The published matches that include ``member_id``."""
    with uow.begin() as store:
        return store.rounds.member_matches(member_id, page)


def adjust_round(
    uow: UnitOfWork, round_id: str, adjustment: Adjustment, today: date | None = None
) -> Round:
    """Apply a coordinator's adjustment to a proposed round; constraints are re-checked."""
    with uow.begin() as store:
        found = store.rounds.require(round_id)
        found.ensure("adjust")
        inputs = load_inputs(store, found, today or date.today())
        current = store.rounds.proposal(found)
    if isinstance(adjustment, RemoveMember):
        inputs.removed.add(adjustment.member_id)
    proposal = FORMATS[found.kind].adjust(current, adjustment, inputs)
    with uow.begin() as store:
        found = store.rounds.require(round_id)
        found.adjust(adjustment, proposal.report, utcnow())
        store.rounds.replace_proposal(found, proposal)
        _save(store.rounds, found)
    return found


def publish_round(uow: UnitOfWork, round_id: str, now: datetime | None = None) -> Round:
    """Publish: one event per match, every pair into the history, in one transaction.

    The same transaction schedules the life of each match (answers, timers; ``now`` is
    the service's clock)."""
    now = now or utcnow()
    with uow.begin() as store:
        found = store.rounds.require(round_id)
        proposal = store.rounds.proposal(found)
        if not found.publish(len(proposal.matches), now):
            return found
        kind = FORMATS[found.kind]
        replaced = getattr(found.parameters, "replan_of", None)
        if replaced:  # the new plan re-records the rounds actually held
            store.rounds.forget_history(replaced)
        met: set[frozenset[str]] = set()
        announced = [kind.event(m, round_id) for m in proposal.matches]
        store.rounds.add_events(announced)
        for m in proposal.matches:
            met.update(p for p in kind.pairs(m) if len(p) == 2)
        store.rounds.record_history(found, met, now)
        life.schedule_published(store, found.kind, found.parameters, announced, now)
        _save(store.rounds, found)
    return found


def _save(repository: RoundRepository, found: Round) -> None:
    if not repository.save(found):  # its state changed meanwhile (another worker, a cancel)
        raise InvalidTransition(state=found.state, action="save")
