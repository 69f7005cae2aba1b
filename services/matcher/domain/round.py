"""The round aggregate: it owns the state machine of a round.

``requested -> running -> proposed -> published``, or ``cancelled`` / ``failed``::

    requested --start--> running --propose--> proposed --publish--> published
        |                  |  ^ start (lease ran out)  | adjust      | repair (stays
        +--cancel--+-------+--+---------cancel---------+  (stays     |  published,
                   v       +--fail--> failed --cancel--> cancelled   |  revision + 1)
               cancelled                                  proposed)

An action the current state does not allow raises :class:`InvalidTransition`. Each
change records its event (``round.progress``, ``round.proposed``, ``round.published``)
in :attr:`Round.events`; the repository writes them to the outbox with the round.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from services.matcher import SERVICE
from services.matcher.domain.adjustments import Adjustment, RemoveMember
from services.matcher.domain.errors import InvalidTransition
from services.matcher.domain.parameters import Parameters
from shared.events import (
    Event,
    RoundKind,
    RoundProgressed,
    RoundProposed,
    RoundPublished,
    RoundScope,
    RoundState,
)
from shared.life_events import RoundRepaired
from shared.vocabulary import ProgressStep

#: Default lease of a computing worker (the service passes ``settings.round_lease_s``); a
#: round whose lease lapsed is taken over by another worker.
LEASE = timedelta(seconds=20)

#: The states each action may start from (``start`` from ``running`` needs a lapsed lease).
ALLOWED: dict[str, frozenset[RoundState]] = {
    "start": frozenset({"requested", "running"}),
    "advance": frozenset({"running"}),
    "propose": frozenset({"running"}),
    "adjust": frozenset({"proposed"}),
    "publish": frozenset({"proposed", "published"}),
    "cancel": frozenset({"requested", "running", "proposed", "failed"}),
    "fail": frozenset({"running"}),
    "repair": frozenset({"published"}),
}


@dataclass
class Round:
    id: str
    client_request_id: str
    kind: RoundKind
    name: str
    scope: RoundScope
    parameters: Parameters
    requested_by: str
    created_at: datetime
    updated_at: datetime
    state: RoundState = "requested"
    progress: float = 0.0
    step: ProgressStep = ProgressStep.WAITING
    report: dict[str, Any] | None = None
    adjustments: list[Adjustment] = field(default_factory=list)
    lease_until: datetime | None = None
    error: str | None = None  # the failure's reason code
    revision: int = 0  # how many repairs the published round went through
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def request(
        cls,
        id: str,
        client_request_id: str,
        kind: RoundKind,
        name: str,
        scope: RoundScope,
        parameters: Parameters,
        requested_by: str,
        now: datetime,
    ) -> Round:
        """A new round, waiting for a worker (its name defaults to ``<kind> <date>``)."""
        new = cls(
            id, client_request_id, kind, name or f"{kind} {now:%Y-%m-%d}", scope,
            parameters, requested_by, now, now,
        )  # fmt: skip
        new._progressed()
        return new

    def same_request(self, kind: str, scope: RoundScope, parameters: Parameters) -> bool:
        return (self.kind, self.scope, self.parameters) == (kind, scope, parameters)

    def ensure(self, action: str, now: datetime | None = None) -> None:
        """Raise :class:`InvalidTransition` unless ``action`` is allowed now."""
        allowed = self.state in ALLOWED[action]
        if action == "start" and self.state == "running":
            allowed = now is not None and (self.lease_until is None or self.lease_until < now)
        if not allowed:
            raise InvalidTransition(state=self.state, action=action)

    def start(self, now: datetime, lease: timedelta = LEASE) -> None:
        """Claimed by a worker (again, if the previous one's lease ran out)."""
        self.ensure("start", now)
        self._move("running", now, 0.05, ProgressStep.LOADING_MEMBERS, lease=now + lease)

    def advance(
        self, progress: float, step: ProgressStep, now: datetime, lease: timedelta = LEASE
    ) -> None:
        """Report progress while computing; extends the lease."""
        self.ensure("advance")
        self._move("running", now, progress, step, lease=now + lease)

    def renew(self, now: datetime, lease: timedelta = LEASE) -> None:
        """The worker is alive: extend its lease (no event; progress is unchanged)."""
        self.ensure("advance")
        self.lease_until = now + lease

    def propose(self, report: dict[str, Any], now: datetime) -> None:
        self.ensure("propose")
        self._proposed(report, now)

    def adjust(self, adjustment: Adjustment, report: dict[str, Any], now: datetime) -> None:
        """A coordinator changed the proposal: it stays proposed, with the new report."""
        self.ensure("adjust")
        self.adjustments.append(adjustment)
        self._proposed(report, now)

    def publish(self, match_count: int, now: datetime) -> bool:
        """Publish the proposal; publishing a published round again changes nothing."""
        self.ensure("publish")
        if self.state == "published":
            return False
        self.state, self.step, self.updated_at = "published", ProgressStep.PUBLISHED, now
        self.events.append(
            RoundPublished(
                producer=SERVICE, round_id=self.id, kind=self.kind, match_count=match_count
            )
        )
        return True

    def repair(
        self, changed_members: int, changed_match_ids: tuple[str, ...], by: str, now: datetime
    ) -> int:
        """A published round was repaired: it stays published, with the next revision."""
        self.ensure("repair")
        self.revision += 1
        self.updated_at = now
        self.events.append(
            RoundRepaired(
                producer=SERVICE, round_id=self.id, kind=self.kind,
                changed_member_count=changed_members, changed_match_ids=changed_match_ids,
                repaired_by=by,
            )
        )  # fmt: skip
        return self.revision

    def cancel(self, now: datetime) -> None:
        self.ensure("cancel")
        self._move("cancelled", now, 1.0, ProgressStep.CANCELLED)

    def fail(self, reason: str, now: datetime) -> None:
        """The computation failed; ``reason`` is a message code."""
        self.ensure("fail")
        self.error = reason
        self._move("failed", now, 1.0, ProgressStep.FAILED)

    def removed_members(self) -> set[str]:
        return {a.member_id for a in self.adjustments if isinstance(a, RemoveMember)}

    def _proposed(self, report: dict[str, Any], now: datetime) -> None:
        self.state, self.progress, self.step = "proposed", 1.0, ProgressStep.PROPOSAL_READY
        self.report, self.lease_until, self.updated_at = report, None, now
        figures = {k: float(v) for k, v in (report.get("headline") or {}).items()}
        self.events.append(
            RoundProposed(producer=SERVICE, round_id=self.id, kind=self.kind, figures=figures)
        )

    def _move(
        self,
        state: RoundState,
        now: datetime,
        progress: float,
        step: ProgressStep,
        lease: datetime | None = None,
    ) -> None:
        self.state, self.progress, self.step = state, progress, step
        self.lease_until, self.updated_at = lease, now
        self._progressed()

    def _progressed(self) -> None:
        self.events.append(
            RoundProgressed(
                producer=SERVICE,
                round_id=self.id,
                state=self.state,
                progress=self.progress,
                step=str(self.step),
            )
        )
