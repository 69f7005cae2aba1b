"""Rendering codes as text, in French (default) or English, from one catalogue.

Messages are ``str.format`` templates keyed by a code (``member_not_found``) in
:mod:`shared.vocabulary.messages`. A message may be a plural mapping
(``{"one": ..., "other": ...}``) chosen by Babel's plural rules for the count
argument ``n``; dates and numbers are formatted by Babel for the language.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date
from typing import Any, Literal, cast, get_args

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal

from shared.vocabulary.messages import CATALOGUE, Template

Language = Literal["fr", "en"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
DEFAULT_LANGUAGE: Language = "fr"

log = logging.getLogger("entraide.i18n")
_LOCALES = {lang: Locale.parse(lang) for lang in LANGUAGES}


def negotiate(accept_language: str | None) -> Language:
    """The language to answer in, from an ``Accept-Language`` header (French by default).

    >>> negotiate("en-GB,en;q=0.9,fr;q=0.5")
    'en'
    >>> negotiate("de, en;q=0.1")
    'en'
    >>> negotiate(None)
    'fr'
    """
    if not accept_language:
        return DEFAULT_LANGUAGE
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((-quality, position, tag.strip().lower()[:2]))
    for negative_quality, _, primary in sorted(ranked):
        if negative_quality < 0 and primary in LANGUAGES:
            return cast(Language, primary)
    return DEFAULT_LANGUAGE


def as_language(value: str | None) -> Language:
    """A stored language code made safe: anything unknown is French."""
    return cast(Language, value) if value in LANGUAGES else DEFAULT_LANGUAGE


def translate(code: str, language: Language = DEFAULT_LANGUAGE, /, **params: Any) -> str:
    """The text of ``code`` in ``language`` with ``params`` filled in.

    An unknown code is returned as it is (and logged): a missing translation must
    never hide the fact that something happened.

    >>> translate("member_not_found", "en", member_id="m1")
    'Member m1 not found.'
    >>> translate("http.404", "fr")
    'Introuvable'
    """
    entry = CATALOGUE.get(code)
    if entry is None:
        log.warning("no message for code %r", code)
        return code
    template = entry[language]
    try:
        return _pick(template, language, params).format(**params)
    except (KeyError, IndexError, ValueError):
        log.warning("message %r lacks a parameter among %s", code, sorted(params))
        return _pick(template, language, params)


def has_message(code: str) -> bool:
    return code in CATALOGUE


def _pick(template: Template, language: Language, params: Mapping[str, Any]) -> str:
    if isinstance(template, str):
        return template
    count = params.get("n", 0)
    form = _LOCALES[language].plural_form(abs(count) if isinstance(count, int | float) else 0)
    return template.get(form, template["other"])


def format_date(value: date, language: Language = DEFAULT_LANGUAGE) -> str:
    """A date as a person reads it (``12 mars 2027`` / ``March 12, 2027``).

    >>> format_date(date(2027, 3, 12), "fr")
    '12 mars 2027'
    """
    return _babel_date(value, format="long", locale=_LOCALES[language])


def format_number(value: float, language: Language = DEFAULT_LANGUAGE) -> str:
    """A number with the language's separators.

    >>> format_number(1234.5, "fr")
    '1\\u202f234,5'
    """
    return format_decimal(value, locale=_LOCALES[language])
