"""The one message catalogue: every text a person reads, in French and English.

Each module below holds the messages of one area as ``{code: {"fr": ..., "en": ...}}``;
this package merges them into :data:`CATALOGUE` and refuses a code defined twice.
A template is a ``str.format`` string, or a plural mapping (``one`` / ``other``)
chosen for the count argument ``n``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType

from shared.vocabulary.messages import (
    after_match,
    closing,
    common,
    health,
    life,
    matcher,
    notifier,
    portal,
    profiles,
    reasons,
    repairs,
)

Template = str | Mapping[str, str]
Entry = Mapping[str, Template]

_AREAS: tuple[ModuleType, ...] = (
    common,
    reasons,
    profiles,
    matcher,
    notifier,
    portal,
    life,
    health,
    repairs,
    closing,
    after_match,
)


def _merge() -> dict[str, Entry]:
    merged: dict[str, Entry] = {}
    for area in _AREAS:
        for code, entry in area.MESSAGES.items():
            if code in merged:
                raise RuntimeError(f"message code {code!r} defined twice ({area.__name__})")
            merged[code] = entry
    return merged


CATALOGUE: dict[str, Entry] = _merge()
