"""The coordinators' delivery log: who was told, who was not and why, for one round."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Engine

from services.notifier.adapters import inbox_repository
from services.notifier.api.schemas import DeliveryLog, DeliveryPublic
from services.notifier.domain.errors import RoundLogNotFound
from services.notifier.domain.model import STATUSES
from shared.pagination import PageRequest
from shared.vocabulary import Language, translate
from shared.vocabulary.i18n import has_message


def reason_text(
    code: str | None, params: Mapping[str, Any] | None, language: Language
) -> str | None:
    """A stored reason in words; its ``cause`` (a code too) is rendered inside it.

    Rows from before reasons were codes hold a sentence: it is shown as it is.
    """
    if code is None or not has_message(code):
        return code
    values = dict(params or {})
    if isinstance(values.get("cause"), str):
        values["cause"] = translate(values["cause"], language, **values)
    return translate(code, language, **values)


def delivery_log(
    engine: Engine, round_id: str, page: PageRequest, language: Language
) -> DeliveryLog:
    counts, rows = inbox_repository.round_log(engine, round_id, page)
    if not counts:
        raise RoundLogNotFound(round_id=round_id)
    items = [
        DeliveryPublic(
            id=r.id, match_id=r.match_id, member_id=r.member_id, channel=r.channel,
            role=r.role, status=r.status, attempts=r.attempts, reason=r.reason,
            reason_params=r.reason_params,
            reason_text=reason_text(r.reason, r.reason_params, language),
            sent_at=r.sent_at, updated_at=r.updated_at,
        )
        for r in rows
    ]  # fmt: skip
    return DeliveryLog(
        items=items, total=sum(counts.values()), limit=page.limit, offset=page.offset,
        round_id=round_id, counts={s: counts.get(s, 0) for s in STATUSES},
    )  # fmt: skip
