"""The message catalogue: every code said in both languages, with the same placeholders."""

from __future__ import annotations

import string

import pytest

from shared.vocabulary import LANGUAGES, translate
from shared.vocabulary.messages import CATALOGUE


def _fields(template: object) -> set[str]:
    texts = [template] if isinstance(template, str) else list(dict(template).values())  # type: ignore[call-overload]
    return {name for text in texts for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_message_is_said_in_french_and_english_with_the_same_placeholders(code: str) -> None:
    entry = CATALOGUE[code]
    assert set(entry) == set(LANGUAGES), f"{code}: languages {sorted(entry)}"
    assert _fields(entry["fr"]) == _fields(entry["en"]), code
    for language in LANGUAGES:
        template = entry[language]
        if not isinstance(template, str):
            assert "other" in template, f"{code}/{language}: a plural needs an 'other' form"


def test_an_unknown_code_is_shown_as_it_is_rather_than_hidden() -> None:
    assert translate("no.such.code", "en") == "no.such.code"


def test_a_missing_parameter_still_gives_the_sentence_rather_than_an_error() -> None:
    assert translate("member_not_found", "fr").startswith("Membre")


def test_english_is_chosen_only_when_the_caller_prefers_it() -> None:
    from shared.vocabulary import negotiate

    assert negotiate("en-US,en;q=0.9") == "en"
    assert negotiate("fr-FR,en;q=0.5") == "fr"
    assert negotiate("de") == "fr"
    assert negotiate("en;q=0") == "fr"
    assert negotiate("garbage;q=x") == "fr"
