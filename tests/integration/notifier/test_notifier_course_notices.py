"""Notices of a match's course: the facilitator told once of a session not recorded, each
person once of the closing survey and its reminders, with the link to the right portal page;
closing, sessions recorded and surveys answered tell nobody."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from deploy.local.smtp_sink import SmtpSink
from shared.life_events import (
    GroupSessionRecorded,
    GroupSessionReminded,
    MatchClosed,
    MatchFeedbackGiven,
    MatchFeedbackRequested,
    life_event_id,
)
from shared.vocabulary.codes import ClosingReason
from tests.integration.notifier.receivers import wait_until
from tests.integration.notifier.test_notifier_life_notices import (  # noqa: F401
    publish,
    register,
    sink,
    stack,
)

pytestmark = pytest.mark.nats


async def test_a_session_reminder_and_the_survey_reach_each_person_once_with_their_links(
    stack: dict[str, Any],  # noqa: F811
    sink: SmtpSink,  # noqa: F811
) -> None:
    facilitator = await register(stack, "Léa Martin")
    member = await register(stack, "Sam Lee", preferred_language="en")
    match_id = uuid.uuid4().hex
    life = {"producer": "matcher", "match_id": match_id, "round_id": "r-course",
            "kind": "groups"}  # fmt: skip
    at = datetime(2027, 4, 1, 9, tzinfo=UTC)
    recorded = GroupSessionRecorded(**life, occurred_at=at, session_date=date(2027, 1, 4),
                                    attendee_ids=(facilitator, member), recorded_by=facilitator,
                                    event_id=life_event_id(match_id, "session", "2027-01-04"),
                                    )  # fmt: skip
    reminded = GroupSessionReminded(**life, member_id=facilitator, occurred_at=at,
                                    session_number=4, due_on=date(2027, 3, 29),
                                    event_id=life_event_id(match_id, "session_reminded", 4),
                                    )  # fmt: skip
    closed = MatchClosed(**life, occurred_at=at, reason=ClosingReason.COMPLETED,
                         member_ids=(member, facilitator),
                         event_id=life_event_id(match_id, "closed"))  # fmt: skip
    asked = [
        MatchFeedbackRequested(**life, member_id=who, occurred_at=at + timedelta(days=7 * n),
                               reminder=n,
                               event_id=life_event_id(match_id, who, "feedback_requested", n))
        for who in (facilitator, member) for n in (0, 1)
    ]  # fmt: skip
    given = MatchFeedbackGiven(**life, member_id=member, occurred_at=at, satisfaction=4,
                               would_recommend=True,
                               event_id=life_event_id(match_id, member, "feedback"))  # fmt: skip
    for event in (recorded, reminded, closed, *asked, given):
        await publish(stack["js"], event, times=2)
    await wait_until(lambda: len(sink.received) >= 5, what="the reminder and four surveys")
    await asyncio.sleep(1.0)  # nothing else may arrive
    assert len(sink.received) == 5
    by_subject = {r.subject: r.part("text/plain") for r in sink.received}
    portal = f"https://portail.example/propositions/{match_id}"
    session = by_subject["Entraide : la séance 4 de votre groupe n'est pas enregistrée"]
    assert f"{portal}/seances" in session and "lundi 29 mars 2027" in session
    survey_fr = by_subject["Entraide : votre avis sur la mise en relation qui s'achève"]
    assert f"{portal}/avis" in survey_fr and "RH" in survey_fr
    assert "Entraide: your view of the match that is ending" in by_subject
    assert "Entraide: reminder 1/2, your view of the match" in by_subject
    assert "Entraide : rappel 1/2, votre avis sur la mise en relation" in by_subject
