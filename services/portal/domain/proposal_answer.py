"""The member's answer forms of the "Ma proposition" page, read into what the matcher takes.

>>> answer_from_form({"decision": "decline", "reason": "not_available"})
{'accept': False, 'reason': 'not_available'}
>>> answer_from_form({"decision": "accept"})
{'accept': True}
>>> checkin_from_form({"met": "yes", "fit": "unsure"})
{'met': True, 'fit': 'unsure'}
"""

from __future__ import annotations

from collections.abc import Mapping

from services.portal.domain.errors import PortalError
from shared.vocabulary.codes import CheckinFit, DeclineReason

DECLINE_REASONS = tuple(str(r) for r in DeclineReason)
FITS = tuple(str(f) for f in CheckinFit)


class AnswerFormInvalid(PortalError):
    status = 422
    code = "portal.form_invalid"


def answer_from_form(form: Mapping[str, str]) -> dict[str, object]:
    decision = form.get("decision", "")
    if decision == "accept":
        return {"accept": True}
    reason = form.get("reason", "")
    if decision != "decline" or reason not in DECLINE_REASONS:
        raise AnswerFormInvalid()
    return {"accept": False, "reason": reason}


def checkin_from_form(form: Mapping[str, str]) -> dict[str, object]:
    met, fit = form.get("met", ""), form.get("fit", "")
    if met not in ("yes", "no") or fit not in FITS:
        raise AnswerFormInvalid()
    return {"met": met == "yes", "fit": fit}
