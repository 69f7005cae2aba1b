"""A match's reasons in words, for e-mails, pages and API answers (rendered at the edge).

>>> labels = {"budget": {"fr": "suivi budgétaire", "en": "budget follow-up"}}
>>> def label(code, language):
...     return labels.get(code, {}).get(language, humanise(code))
>>> describe("skills:budget", "fr", label)
'compétence en commun : suivi budgétaire'
>>> describe("sites:4", "en", label)
'4 sites represented'
>>> describe("themes:outils_numeriques", "fr", label)
'intérêt commun : outils numeriques'
>>> describe("mystery_code", "fr", label)
'mystery_code'
>>> sentence(["cross_site", "sites:1"], "en", label)
'Why you: you work on different sites: a chance to widen your network; 1 site represented'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from shared.vocabulary.codes import split_reason
from shared.vocabulary.i18n import Language, has_message, translate

#: ``label(code, language)``: the catalogue's label of a skill or theme code.
Labeler = Callable[[str, Language], str]
_COUNTED = {"sites", "new_colleagues"}


def humanise(code: str) -> str:
    """A code shown to a person when the catalogue has no label for it."""
    return code.replace("_", " ").strip() or code


def describe(reason: str, language: Language, label: Labeler) -> str:
    """One reason in words; an unknown code is shown as it is (never dropped)."""
    code, argument = split_reason(reason)
    key = f"reason.{code}"
    if not has_message(key):
        return reason
    if argument is None:
        return translate(key, language)
    if code in _COUNTED:
        return translate(key, language, n=int(argument) if argument.isdigit() else 0)
    return translate(key, language, label=label(argument, language))


def describe_all(reasons: Iterable[str], language: Language, label: Labeler) -> list[str]:
    return [describe(r, language, label) for r in reasons]


def sentence(reasons: Iterable[str], language: Language, label: Labeler) -> str:
    """All reasons as one sentence (``Pourquoi vous : ... ; ...``)."""
    parts = describe_all(reasons, language, label)
    if not parts:
        return translate("explanation.none", language)
    separator = translate("explanation.separator", language)
    return translate("explanation.intro", language) + separator.join(parts)
