"""A simulated mentoring and groups programme, as the events its life would produce.

Used by ``entraide demo`` (so the health dashboard tells a story on first run) and by the
tests of the health projection. Each month a mentoring round pairs newcomers first, then
other mentees; twice a season practice-exchange groups of 6-8 start, mixed across sites,
and meet every four weeks for three months. People answer at realistic rates (Mentorloop
and Together report 75-85 % of matches accepted, 60-70 % of pairs meeting; satisfaction
mostly 4-5). Every event carries its own date (``occurred_at``), so six months play in
seconds; nothing is dated after ``end``.

Until the life-of-a-match actions are reachable over HTTP the demo publishes these events
itself through the real broker; :func:`simulate` only decides what happens and when. Their
``producer`` is :data:`~shared.events.SIMULATION_PRODUCER`: the matcher's statistics count
them, the notifier announces none of them (no e-mail about a simulated past; before, the
demo sent about 950 such e-mails and waited for them).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from shared.events import (
    SIMULATION_PRODUCER,
    Event,
    Explanation,
    GroupMatched,
    MentoringPairMatched,
)
from shared.life_events import (
    GroupSessionRecorded,
    MatchAccepted,
    MatchCheckinAnswered,
    MatchClosed,
    MatchDeclined,
    MatchFeedbackGiven,
    MatchUnanswered,
)
from shared.vocabulary.codes import CheckinFit, ClosingReason, DeclineReason

PRODUCER = SIMULATION_PRODUCER  # the notifier tells nobody of a simulated past
ACCEPT, DECLINE = 0.85, 0.09  # the rest leave it unanswered
MEET = 0.9  # of pairs where both accepted: ~65 % of all pairs meet
ANSWER_CHECKIN, GIVE_FEEDBACK, ATTEND = 0.85, 0.8, 0.8
SATISFACTION = (1, 2, 3, 4, 5)
SATISFACTION_WEIGHTS = (2, 4, 12, 42, 40)


@dataclass(frozen=True)
class SimMember:
    id: str
    site: str
    mentor: bool = False
    arrival: date | None = None


class _Life:
    """Collects the events of one programme; nothing after ``end`` is kept."""

    def __init__(self, rng: random.Random, end: datetime, tag: str) -> None:
        self.rng, self.end, self.tag = rng, end, tag
        self.events: list[Event] = []

    def add(self, event: Event) -> None:
        if event.occurred_at <= self.end:
            self.events.append(event)

    def new_id(self, prefix: str) -> str:
        return f"{prefix}-{self.tag}-{uuid.UUID(int=self.rng.getrandbits(128)).hex[:16]}"

    def answers(self, base: dict, members: Sequence[str], at: datetime) -> list[str]:
        """Each member accepts, declines or lets the deadline pass; who accepted."""
        accepted = []
        for mid in members:
            r, day = self.rng.random(), at + timedelta(days=self.rng.randint(1, 5), hours=2)
            if r < ACCEPT:
                accepted.append(mid)
                self.add(MatchAccepted(**base, member_id=mid, occurred_at=day))
            elif r < ACCEPT + DECLINE:
                reason = self.rng.choice(list(DeclineReason))
                self.add(MatchDeclined(**base, member_id=mid, reason=reason, occurred_at=day))
            else:
                deadline = at + timedelta(days=7)
                self.add(
                    MatchUnanswered(**base, member_id=mid, deadline=deadline, occurred_at=deadline)
                )
        return accepted

    def feedback(self, base: dict, members: Sequence[str], at: datetime) -> None:
        for mid in members:
            if self.rng.random() < GIVE_FEEDBACK:
                score = self.rng.choices(SATISFACTION, SATISFACTION_WEIGHTS)[0]
                day = at + timedelta(days=self.rng.randint(0, 6), hours=3)
                given = MatchFeedbackGiven(
                    **base, member_id=mid, satisfaction=score, would_recommend=score >= 4,
                    occurred_at=day,
                )  # fmt: skip
                self.add(given)
        done = ClosingReason.COMPLETED
        self.add(
            MatchClosed(
                **base, reason=done, member_ids=tuple(members), occurred_at=at + timedelta(days=7)
            )
        )

    def mentoring_pair(
        self, round_id: str, mentor: str, mentee: str, score: float, at: datetime
    ) -> None:
        match_id = self.new_id("sim-pair")
        self.add(MentoringPairMatched(producer=PRODUCER, match_id=match_id, round_id=round_id,
                                      mentor_id=mentor, mentee_id=mentee, occurred_at=at,
                                      explanation=Explanation(score=score)))  # fmt: skip
        base = {
            "producer": PRODUCER,
            "match_id": match_id,
            "round_id": round_id,
            "kind": "mentoring",
        }
        accepted = self.answers(base, (mentor, mentee), at)
        if len(accepted) < 2:
            reason = (
                ClosingReason.DECLINED
                if accepted or self.rng.random() < 0.5
                else ClosingReason.UNANSWERED
            )
            self.add(
                MatchClosed(
                    **base,
                    reason=reason,
                    member_ids=(mentor, mentee),
                    occurred_at=at + timedelta(days=8),
                )
            )
            return
        met = self.rng.random() < MEET
        for mid in (mentor, mentee):
            if self.rng.random() < ANSWER_CHECKIN:
                day = at + timedelta(days=14 + self.rng.randint(0, 6), hours=5)
                fit = self.rng.choice([CheckinFit.GOOD, CheckinFit.GOOD, CheckinFit.UNSURE])
                self.add(
                    MatchCheckinAnswered(**base, member_id=mid, met=met, fit=fit, occurred_at=day)
                )
        if met:
            self.feedback(base, (mentor, mentee), at + timedelta(days=80))

    def group(self, round_id: str, members: Sequence[str], score: float, at: datetime) -> None:
        match_id = self.new_id("sim-group")
        self.add(GroupMatched(producer=PRODUCER, match_id=match_id, round_id=round_id,
                              members=tuple(members), facilitator_id=members[0], occurred_at=at,
                              explanation=Explanation(score=score)))  # fmt: skip
        base = {"producer": PRODUCER, "match_id": match_id, "round_id": round_id, "kind": "groups"}
        accepted = self.answers(base, members, at)
        if len(accepted) < 3:
            return
        for week in (2, 6, 10):
            day = at + timedelta(weeks=week)
            came = tuple(m for m in accepted if self.rng.random() < ATTEND)
            self.add(GroupSessionRecorded(**base, session_date=day.date(), attendee_ids=came,
                                          recorded_by=accepted[0], occurred_at=day))  # fmt: skip
        self.feedback(base, accepted, at + timedelta(weeks=12))


def _score(rng: random.Random, offset: float) -> float:
    return round(min(1.0, max(0.05, rng.gauss(0.62 + offset, 0.12))), 4)


def simulate(
    people: Sequence[SimMember], end: datetime, months: int = 6, seed: int = 1, tag: str = "demo"
) -> list[Event]:
    """The events of ``months`` months of a programme ending at ``end``, in time order.

    One site (drawn from the seed) gets slightly weaker matches, so fairness shows a gap.
    """
    rng = random.Random(seed)
    life = _Life(rng, end, tag)
    sites = sorted({p.site for p in people})
    offset = {s: rng.uniform(-0.04, 0.04) for s in sites}
    if sites:
        offset[rng.choice(sites)] = -0.12
    start = end - timedelta(days=30 * months)
    mentors = [p for p in people if p.mentor]
    waiting = [p for p in people if not p.mentor]
    for month in range(months):
        at = start + timedelta(days=30 * month + 1, hours=9)
        waiting.sort(key=lambda p: (not _recent(p, at), rng.random()))
        batch, waiting = waiting[: max(2, len(people) // 12)], waiting[max(2, len(people) // 12) :]
        round_id = f"sim-mentoring-{tag}-{month}"
        for mentee in batch:
            mentor = rng.choice(
                [m for m in mentors if m.site != mentee.site] or mentors or [mentee]
            )
            if mentor.id != mentee.id:
                life.mentoring_pair(
                    round_id, mentor.id, mentee.id, _score(rng, offset[mentee.site]), at
                )
        if month % 3 == 0:
            _groups(life, people, offset, at, f"sim-groups-{tag}-{month}")
    return sorted(life.events, key=lambda e: e.occurred_at)


def _recent(person: SimMember, at: datetime) -> bool:
    return person.arrival is not None and (at.date() - person.arrival).days <= 60


def _groups(
    life: _Life, people: Sequence[SimMember], offset: dict, at: datetime, round_id: str
) -> None:
    rng = life.rng
    joining = [p for p in people if rng.random() < 0.4]
    rng.shuffle(joining)
    for k in range(0, len(joining) - 5, 7):
        members = joining[k : k + 7]
        score = sum(_score(rng, offset[p.site]) for p in members) / len(members)
        life.group(round_id, [p.id for p in members], round(score, 4), at + timedelta(days=4))


def now() -> datetime:
    return datetime.now(UTC)
