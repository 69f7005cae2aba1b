"""The name picker of the coordinators' forms: a plain text field that takes a name or
an id, resolved on the server (pure: no framework, no settings).

A suggestion reads ``Name — Site (id)``: choosing one from the list (a ``<datalist>``)
sends the id in parentheses, which is never ambiguous. Typed by hand, the text is a
member id, or a part of a name: one member whose name is exactly that text, or the
only member whose name contains it, is chosen; otherwise the form says which members
could be meant (or that none is).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

#: How many candidates an ambiguous name lists (profiles is asked for one more).
MAX_CANDIDATES = 8
#: The id at the end of a suggestion: ``Ada Martin — Lyon (m-42)``.
_TRAILING_ID = re.compile(r"\(\s*([^()\s]+)\s*\)\s*$")

Member = Mapping[str, object]


def suggestion(member: Member) -> str:
    """What the list shows and sends back for a member.

    >>> suggestion({"id": "m-42", "display_name": "Ada Martin", "site": "Lyon"})
    'Ada Martin — Lyon (m-42)'
    >>> suggestion({"id": "m-7", "display_name": "Noé", "site": None})
    'Noé (m-7)'
    """
    name = str(member.get("display_name") or member["id"])
    site = member.get("site")
    return f"{name} — {site} ({member['id']})" if site else f"{name} ({member['id']})"


def read_choice(text: str) -> tuple[str, str | None]:
    """The name typed and the id a suggestion carries, if any.

    >>> read_choice("Ada Martin — Lyon (m-42)")
    ('Ada Martin', 'm-42')
    >>> read_choice("  ada  ")
    ('ada', None)
    """
    text = " ".join(text.split())
    found = _TRAILING_ID.search(text)
    if found is None:
        return text, None
    name = text[: found.start()].strip()
    return name.split(" — ")[0].strip(), found.group(1)


@dataclass(frozen=True, slots=True)
class Chosen:
    member_id: str


@dataclass(frozen=True, slots=True)
class Unclear:
    """No member, or several: the form shows these candidates (none when unknown)."""

    candidates: tuple[str, ...]


def choose(text: str, found: Sequence[Member]) -> Chosen | Unclear:
    """The member meant by ``text`` among those whose name contains it (``found``).

    >>> ada = {"id": "1", "display_name": "Ada Martin", "site": "Lyon"}
    >>> ada2 = {"id": "2", "display_name": "Ada Martinez", "site": "Paris"}
    >>> choose("martin", [ada])
    Chosen(member_id='1')
    >>> choose("ada martin", [ada, ada2])
    Chosen(member_id='1')
    >>> choose("ada", [ada, ada2]).candidates
    ('Ada Martin — Lyon (1)', 'Ada Martinez — Paris (2)')
    >>> choose("zoé", [])
    Unclear(candidates=())
    """
    if len(found) == 1:
        return Chosen(str(found[0]["id"]))
    wanted = text.casefold()
    exact = [m for m in found if str(m.get("display_name") or "").casefold() == wanted]
    if len(exact) == 1:
        return Chosen(str(exact[0]["id"]))
    return Unclear(tuple(suggestion(m) for m in found[:MAX_CANDIDATES]))
