"""The life of a published match for one person: answer, deadline, check-in.

A person's answer goes ``pending -> accepted | declined`` before the deadline, or
``pending -> unanswered`` when it passes. Repeating one's answer changes nothing;
changing it is refused (the answer is final: the coordinator may already be repairing
the round on a decline, so "declined then accepted" would race the repair). Seminar
rotation seats are not answered: a seat is a place at a table, not an engagement.

The check-in ("did you meet?") is open once the person accepted; its first answer is
final too. Each method returns the events to record (none when nothing changed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from services.matcher import SERVICE
from services.matcher.domain.errors import AnswerRefused
from services.matcher.domain.timers import TimerKind
from shared.events import Event, RoundKind
from shared.life_events import (
    MatchAccepted,
    MatchCheckinAnswered,
    MatchCheckinRequested,
    MatchDeclined,
    MatchResponseReminded,
    MatchUnanswered,
    life_event_id,
)
from shared.vocabulary.codes import CheckinFit, DeclineReason

PRODUCER = SERVICE
#: Kinds whose members answer and are checked in on.
ANSWERED_KINDS: frozenset[str] = frozenset({"mentoring", "groups"})


class AnswerState(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    UNANSWERED = "unanswered"


@dataclass
class Participation:
    """One member's part in one published match."""

    match_id: str
    round_id: str
    kind: RoundKind
    member_id: str
    deadline: datetime
    state: AnswerState = AnswerState.PENDING
    reason: DeclineReason | None = None
    answered_at: datetime | None = None
    met: bool | None = None
    fit: CheckinFit | None = None
    checked_in_at: datetime | None = None

    def _ids(self) -> dict[str, str]:
        return {"match_id": self.match_id, "round_id": self.round_id, "member_id": self.member_id}

    def answer(self, accept: bool, reason: DeclineReason | None, now: datetime) -> list[Event]:
        """Accept, or decline with a reason; the same answer again records nothing."""
        wanted = AnswerState.ACCEPTED if accept else AnswerState.DECLINED
        if not accept and reason is None:
            raise AnswerRefused("match_decline_needs_reason", match_id=self.match_id)
        if self.state == wanted and (accept or reason == self.reason):
            return []
        if self.state == AnswerState.UNANSWERED or (
            self.state == AnswerState.PENDING and now >= self.deadline
        ):
            raise AnswerRefused("match_deadline_passed", match_id=self.match_id)
        if self.state != AnswerState.PENDING:
            raise AnswerRefused("match_already_answered", match_id=self.match_id,
                                answer=str(self.state))  # fmt: skip
        self.state, self.reason, self.answered_at = wanted, reason, now
        common = {**self._ids(), "kind": self.kind, "producer": PRODUCER, "occurred_at": now,
                  "event_id": life_event_id(self.match_id, self.member_id, "answer")}  # fmt: skip
        if accept:
            return [MatchAccepted(**common)]
        assert reason is not None
        return [MatchDeclined(**common, reason=reason)]

    def check_in(self, met: bool, fit: CheckinFit, now: datetime) -> list[Event]:
        """Answer "did you meet?" (once accepted); the same answer again records nothing."""
        if self.state != AnswerState.ACCEPTED:
            raise AnswerRefused("match_checkin_not_open", match_id=self.match_id)
        if self.checked_in_at is not None:
            if (self.met, self.fit) == (met, fit):
                return []
            raise AnswerRefused("match_checkin_already_answered", match_id=self.match_id)
        self.met, self.fit, self.checked_in_at = met, fit, now
        event_id = life_event_id(self.match_id, self.member_id, "checkin")
        return [MatchCheckinAnswered(**self._ids(), kind=self.kind, producer=PRODUCER,
                                     occurred_at=now, event_id=event_id, met=met,
                                     fit=fit)]  # fmt: skip

    def on_timer(self, kind: TimerKind, n: int, now: datetime) -> list[Event]:
        """What a due timer does: an event if it still concerns the member, else nothing."""
        common = {**self._ids(), "kind": self.kind, "producer": PRODUCER, "occurred_at": now}
        if kind == TimerKind.RESPONSE_REMINDER and self.state == AnswerState.PENDING:
            event_id = life_event_id(self.match_id, self.member_id, "response_reminded", n)
            return [MatchResponseReminded(**common, event_id=event_id, reminder=n,
                                          deadline=self.deadline)]  # fmt: skip
        if kind == TimerKind.RESPONSE_DEADLINE and self.state == AnswerState.PENDING:
            self.state = AnswerState.UNANSWERED
            event_id = life_event_id(self.match_id, self.member_id, "unanswered")
            return [MatchUnanswered(**common, event_id=event_id, deadline=self.deadline)]
        if (
            kind == TimerKind.CHECKIN
            and self.state == AnswerState.ACCEPTED
            and self.checked_in_at is None
        ):
            event_id = life_event_id(self.match_id, self.member_id, "checkin_requested", n)
            return [MatchCheckinRequested(**common, event_id=event_id, reminder=n)]
        return []
