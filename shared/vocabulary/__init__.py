"""One vocabulary for every service: codes in data and events, text at the edges.

- :mod:`shared.vocabulary.codes`: reason codes, unmatched reasons, progress steps,
  channels.
- :mod:`shared.vocabulary.messages`: the FR/EN message catalogue.
- :mod:`shared.vocabulary.i18n`: language negotiation and rendering (Babel for plurals,
  dates and numbers).
"""

from shared.vocabulary.codes import Channel, ProgressStep, ReasonCode, UnmatchedReason
from shared.vocabulary.i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    Language,
    as_language,
    format_date,
    format_number,
    negotiate,
    translate,
)

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "Channel",
    "Language",
    "ProgressStep",
    "ReasonCode",
    "UnmatchedReason",
    "as_language",
    "format_date",
    "format_number",
    "negotiate",
    "translate",
]
