"""Messages of the profiles service (codes of its errors, reports and texts)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str | dict[str, str]]] = {
    "member_not_found": {
        "fr": "Membre {member_id} introuvable.",
        "en": "Member {member_id} not found.",
    },
}
