"""Who else is in a member's match, as « Ma proposition » shows them: a name, a site, a
function and their part (mentor, mentee, facilitator), what the announcement already
told the member, and never an address."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

#: The only fields of a profile the page keeps about another person.
SHOWN_FIELDS: Final = ("display_name", "site", "function")


@dataclass(frozen=True, slots=True)
class Partner:
    """Another person of the match; ``erased`` when their data is gone (no name)."""

    name: str = ""
    site: str = ""
    function: str = ""
    role: str = ""  # "mentor", "mentee", "facilitator" or "" (a group's member)
    erased: bool = False


def shown(profile: Mapping[str, Any]) -> dict[str, str]:
    """A profile reduced to what a match's people may read of each other.

    >>> shown({"display_name": "Ana", "email": "ana@example.org", "site": "Lyon"})
    {'display_name': 'Ana', 'site': 'Lyon', 'function': ''}
    """
    return {k: str(profile.get(k) or "") for k in SHOWN_FIELDS}


def others_in(match: Mapping[str, Any], me: str) -> list[str]:
    """The ids of the match's other people, in the match's order (erased ones have none).

    >>> others_in({"members": ["me", {"erased": True}, "b"]}, "me")
    ['b']
    """
    return [m for m in match.get("members") or () if isinstance(m, str) and m != me]


def _role(data: Mapping[str, Any], member_id: str) -> str:
    for role in ("mentor", "mentee", "facilitator"):
        if data.get(f"{role}_id") == member_id:
            return role
    return ""


def partners(
    match: Mapping[str, Any], me: str, people: Mapping[str, Mapping[str, str]]
) -> list[Partner]:
    """The other people of ``match`` as cards, from ``people`` (id -> :func:`shown`).

    Objective: name everyone the member is matched with, with their part in the match.
    Constraints: the member is left out; someone erased, or whom profiles no longer
    knows, is a card without a name. Complexity: O(members).

    >>> m = {"members": ["me", "b", {"erased": True}],
    ...      "data": {"mentor_id": "b", "mentee_id": "me"}}
    >>> partners(m, "me", {"b": {"display_name": "Bea", "site": "Lyon", "function": "RH"}})
    [Partner(name='Bea', site='Lyon', function='RH', role='mentor', erased=False), \
Partner(name='', site='', function='', role='', erased=True)]
    """
    data = match.get("data") or {}
    found: list[Partner] = []
    for who in match.get("members") or ():
        if who == me:
            continue
        person = people.get(who) if isinstance(who, str) else None
        if person is None:
            found.append(Partner(erased=True))
            continue
        found.append(Partner(person["display_name"], person["site"], person["function"],
                             _role(data, who)))  # fmt: skip
    return found


def course_people(course: Mapping[str, Any]) -> list[str]:
    """Everyone of a match's course (the matcher's ``/course``): its members, then a
    group's facilitator if they are not one, each once.

    >>> course_people({"member_ids": ["a", "b"], "facilitator_id": "f"})
    ['a', 'b', 'f']
    >>> course_people({"member_ids": ["a", "b"], "facilitator_id": None})
    ['a', 'b']
    """
    found = [*(course.get("member_ids") or ()), course.get("facilitator_id") or ""]
    return [p for p in dict.fromkeys(found) if p]
