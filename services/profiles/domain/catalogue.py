"""Catalogues of skills and themes as plain data: naming an entry, finding the closest.

HR files and members name an entry in their own words: its code, its French or
English label or one of its aliases, with or without accents, capitals, articles,
spaces or underscores. :func:`normalise` reduces such a term to a *key*;
:class:`Catalogue` resolves a term to the code whose key it shares, suggests the
closest entries for a term it does not know, and finds the entry a new one would
duplicate (``gestion_du_stress`` next to ``gestion_stress``).

>>> c = Catalogue([Entry("gestion_stress", "Gestion du stress", "Stress management")])
>>> c.resolve("GESTION DU STRESS"), c.resolve("stress-management"), c.resolve("yoga")
('gestion_stress', 'gestion_stress', None)
>>> c.closest("gestion stres")
['gestion_stress']
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

MAX_SUGGESTIONS = 3
#: Words that do not tell two entries apart (French and English articles, conjunctions).
FILLERS = frozenset(
    {"de", "du", "des", "d", "la", "le", "les", "l", "et", "a", "au", "aux", "en"}
    | {"the", "of", "and", "an", "to"}
)


def normalise(term: str) -> str:
    """The comparison key of a term: ASCII, lower case, filler words dropped, one space.

    Objective: two spellings a person would call "the same entry" get the same key.
    Linear in the length of the term.

    >>> normalise("Gestion_du  Stress"), normalise("gestion-stress"), normalise("L'Écoute")
    ('gestion stress', 'gestion stress', 'ecoute')
    >>> normalise("de la")  # only fillers: keep them rather than return nothing
    'de la'
    """
    ascii_text = unicodedata.normalize("NFKD", term).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", " ", ascii_text.lower()).split()
    kept = [w for w in words if w not in FILLERS]
    return " ".join(kept or words)


@dataclass(frozen=True, slots=True)
class Entry:
    """One catalogue entry: its stable code, labels and the other names HR gave it."""

    code: str
    label: str
    label_en: str = ""
    aliases: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        """Every way to name the entry, code first."""
        return tuple(n for n in (self.code, self.label, self.label_en, *self.aliases) if n)


class Catalogue:
    """Entries by code, with the key of each of their names (first entry wins a key).

    Building is linear in the number of names; :meth:`resolve` is one dictionary
    look-up; :meth:`closest` compares with every key (difflib, quadratic in the length
    of the strings), which is fine for catalogues of a few hundred entries.
    """

    def __init__(self, entries: Iterable[Entry]) -> None:
        self._entries: dict[str, Entry] = {}
        self._by_key: dict[str, str] = {}
        for entry in entries:
            self.add(entry)

    def add(self, entry: Entry) -> None:
        """Add or replace an entry (the names it had keep naming it)."""
        self._entries[entry.code] = entry
        for name in entry.names():
            self._by_key.setdefault(normalise(name), entry.code)

    def __contains__(self, code: object) -> bool:
        return code in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def entry(self, code: str) -> Entry | None:
        return self._entries.get(code)

    def resolve(self, term: str) -> str | None:
        """The code named by ``term`` (code, label, English label or alias), else None."""
        if term in self._entries:
            return term
        return self._by_key.get(normalise(term))

    def closest(self, term: str, n: int = MAX_SUGGESTIONS) -> list[str]:
        """Codes of the entries closest to ``term``, best first (a shared word at least)."""
        key = normalise(term)
        found: list[str] = []
        for near in difflib.get_close_matches(key, list(self._by_key), n=n * 3, cutoff=0.5):
            if self._by_key[near] not in found:
                found.append(self._by_key[near])
        if not found:
            words = set(key.split())
            found = list(
                dict.fromkeys(c for k, c in self._by_key.items() if words & set(k.split()))
            )
        return found[:n]

    def duplicate_of(self, entry: Entry, ignore: str | None = None) -> tuple[str, str] | None:
        """An existing entry one of ``entry``'s names already names: (code, that name).

        ``ignore`` is the code of the entry being changed (its own names are no clash).
        """
        for name in entry.names():
            code = self._by_key.get(normalise(name))
            if code is not None and code != ignore:
                return code, name
        return None


def resolved(terms: Sequence[str], catalogue: Catalogue) -> list[str]:
    """``terms`` with every known name replaced by its code (unknown terms kept as given)."""
    return list(dict.fromkeys(catalogue.resolve(t) or t for t in terms))
