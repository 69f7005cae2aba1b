"""The forms of "Mon groupe" (a session and who came) and of the closing survey.

>>> session_from_form("2027-02-01", ["b", "a", "a"], {"a", "b", "f"})
{'session_date': '2027-02-01', 'attendee_ids': ['a', 'b']}
>>> feedback_from_form({"satisfaction": "4", "recommend": "yes", "comment": " Bien "})
{'satisfaction': 4, 'would_recommend': True, 'comment': 'Bien'}
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date

from services.portal.domain.proposal_answer import AnswerFormInvalid

SATISFACTION = (1, 2, 3, 4, 5)
MAX_COMMENT = 2000


def session_from_form(day: str, came: Sequence[str], people: Collection[str]) -> dict[str, object]:
    """A session's day (ISO) and the people who came, among the group's."""
    try:
        date.fromisoformat(day)
    except ValueError as exc:
        raise AnswerFormInvalid() from exc
    if not set(came) <= set(people):
        raise AnswerFormInvalid()
    return {"session_date": day, "attendee_ids": sorted(set(came))}


def feedback_from_form(form: Mapping[str, str]) -> dict[str, object]:
    score, recommend = form.get("satisfaction", ""), form.get("recommend", "")
    comment = form.get("comment", "").strip()
    if score not in {str(s) for s in SATISFACTION} or recommend not in ("yes", "no"):
        raise AnswerFormInvalid()
    if len(comment) > MAX_COMMENT:
        raise AnswerFormInvalid()
    return {"satisfaction": int(score), "would_recommend": recommend == "yes", "comment": comment}
