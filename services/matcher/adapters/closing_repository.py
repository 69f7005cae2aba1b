"""The SQL of a match's course: dates, a group's sessions, closing surveys, the history."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, select, update

from services.matcher.adapters.closing_orm import courses, feedback, group_sessions
from services.matcher.adapters.life_repository import add_timers
from services.matcher.adapters.orm import history
from services.matcher.domain.closing import Course, Feedback, Session
from services.matcher.domain.timers import Timer
from shared.pagination import PageRequest
from shared.vocabulary.codes import ClosingReason


class ClosingRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add_courses(self, found: Iterable[Course]) -> None:
        rows = [_course_columns(c) for c in found]
        if rows:
            self.conn.execute(insert(courses), rows)

    def add_timers(self, timers: Iterable[tuple[str, str, Timer]]) -> None:
        """New timers ``(match id, member id, timer)``, in one INSERT."""
        add_timers(self.conn, timers)

    def claim_closing(self, c: Course) -> bool:
        """Mark the course closed if nobody did (a coordinator racing the end timer)."""
        return bool(
            self.conn.execute(
                update(courses)
                .where(courses.c.match_id == c.match_id, courses.c.closed_at.is_(None))
                .values(
                    closed_at=c.closed_at, closed_reason=c.closed_reason and str(c.closed_reason)
                )
            ).rowcount
        )

    def course(self, match_id: str) -> Course | None:
        row = self.conn.execute(select(courses).where(courses.c.match_id == match_id)).first()
        if row is None:
            return None
        sessions = self.conn.execute(
            select(group_sessions)
            .where(group_sessions.c.match_id == match_id)
            .order_by(group_sessions.c.session_date)
        ).all()
        return Course(
            match_id=row.match_id, round_id=row.round_id, kind=row.kind,
            member_ids=tuple(row.member_ids), starts_on=row.starts_on, ends_on=row.ends_on,
            facilitator_id=row.facilitator_id, rhythm_weeks=row.rhythm_weeks,
            closed_at=row.closed_at,
            closed_reason=ClosingReason(row.closed_reason) if row.closed_reason else None,
            sessions=[Session(s.session_date, tuple(s.attendee_ids), s.recorded_by)
                      for s in sessions],
        )  # fmt: skip

    def save_course(self, c: Course) -> None:
        """Its closing, and the sessions not stored yet."""
        self.conn.execute(
            update(courses).where(courses.c.match_id == c.match_id).values(
                closed_at=c.closed_at, closed_reason=c.closed_reason and str(c.closed_reason))
        )  # fmt: skip
        stored = set(
            self.conn.execute(
                select(group_sessions.c.session_date).where(group_sessions.c.match_id == c.match_id)
            ).scalars()
        )
        rows = [
            {"match_id": c.match_id, "session_date": s.session_date,
             "attendee_ids": list(s.attendee_ids), "recorded_by": s.recorded_by}
            for s in c.sessions if s.session_date not in stored
        ]  # fmt: skip
        if rows:
            self.conn.execute(insert(group_sessions), rows)

    def refresh_history(self, c: Course, now: datetime) -> None:
        """The match's pairs count in later rounds' look-back from its closing, not its start."""
        people = list(c.people())
        self.conn.execute(
            update(history)
            .where(and_(history.c.round_id == c.round_id, history.c.member_a.in_(people),
                        history.c.member_b.in_(people)))
            .values(met_at=now)
        )  # fmt: skip

    def feedback(self, match_id: str, member_id: str) -> Feedback | None:
        row = self.conn.execute(
            select(feedback).where(
                feedback.c.match_id == match_id, feedback.c.member_id == member_id
            )
        ).first()
        return None if row is None else _feedback(row)

    def of_course(self, match_id: str) -> list[Feedback]:
        query = select(feedback).where(feedback.c.match_id == match_id)
        return [_feedback(r) for r in self.conn.execute(query.order_by(feedback.c.member_id))]

    def of_round(self, round_id: str, page: PageRequest) -> tuple[list[Feedback], int]:
        """One page of a round's surveys (asked or answered), by match then member."""
        mine = feedback.join(courses, courses.c.match_id == feedback.c.match_id)
        where = courses.c.round_id == round_id
        total = self.conn.execute(select(func.count()).select_from(mine).where(where))
        query = (
            select(feedback).select_from(mine).where(where)
            .order_by(feedback.c.match_id, feedback.c.member_id)
            .limit(page.limit).offset(page.offset)
        )  # fmt: skip
        return [_feedback(r) for r in self.conn.execute(query)], int(total.scalar_one())

    def request_feedback(self, asked: Iterable[Feedback]) -> None:
        for f in asked:
            if self.feedback(f.match_id, f.member_id) is None:
                self.conn.execute(insert(feedback).values(**_feedback_columns(f)))

    def save_feedback(self, f: Feedback) -> None:
        self.conn.execute(
            update(feedback)
            .where(feedback.c.match_id == f.match_id, feedback.c.member_id == f.member_id)
            .values(**_feedback_columns(f))
        )

    def forget_member(self, member_id: str) -> None:
        """GDPR erasure: the member's surveys go; courses and attendance keep no trace."""
        self.conn.execute(delete(feedback).where(feedback.c.member_id == member_id))
        self.conn.execute(
            update(courses).where(courses.c.facilitator_id == member_id).values(facilitator_id=None)
        )
        for match_id, ids in self.conn.execute(select(courses.c.match_id, courses.c.member_ids)):
            if member_id in ids:
                self.conn.execute(
                    update(courses)
                    .where(courses.c.match_id == match_id)
                    .values(member_ids=[m for m in ids if m != member_id])
                )
        for match_id, came in self.conn.execute(
            select(group_sessions.c.match_id, group_sessions.c.attendee_ids)
        ).all():
            if member_id in came:
                self.conn.execute(
                    update(group_sessions)
                    .where(group_sessions.c.match_id == match_id)
                    .values(attendee_ids=[m for m in came if m != member_id])
                )


def _course_columns(c: Course) -> dict[str, Any]:
    return {
        "match_id": c.match_id, "round_id": c.round_id, "kind": c.kind,
        "member_ids": list(c.member_ids), "facilitator_id": c.facilitator_id,
        "starts_on": c.starts_on, "ends_on": c.ends_on, "rhythm_weeks": c.rhythm_weeks,
        "closed_at": c.closed_at, "closed_reason": c.closed_reason and str(c.closed_reason),
    }  # fmt: skip


def _feedback_columns(f: Feedback) -> dict[str, Any]:
    return {
        "match_id": f.match_id, "member_id": f.member_id, "requested_at": f.requested_at,
        "satisfaction": f.satisfaction, "would_recommend": f.would_recommend,
        "comment": f.comment, "answered_at": f.answered_at,
    }  # fmt: skip


def _feedback(row: Any) -> Feedback:
    return Feedback(
        match_id=row.match_id, member_id=row.member_id, requested_at=row.requested_at,
        satisfaction=row.satisfaction, would_recommend=row.would_recommend,
        comment=row.comment or "", answered_at=row.answered_at,
    )  # fmt: skip
