"""Plain data shared by the matching algorithms.

Nothing here knows about HTTP, brokers or databases: the matcher service turns its
projection rows into :class:`Person` values, passes them to the algorithm functions
and stores what comes back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

#: An unordered pair of member ids, as stored in the history of who met whom.
Pair = frozenset[str]


class AlgorithmError(ValueError):
    """Base error of the matching algorithms (bad parameters or inconsistent input)."""


class InfeasibleError(AlgorithmError):
    """The hard constraints cannot be met with the given population and parameters."""


@dataclass(frozen=True, slots=True)
class Person:
    """One member as the algorithms see them.

    Attributes
    ----------
    id : opaque member id.
    site : site name (e.g. ``"Paris La Défense"``); cross-site mixing uses it.
    function : job function (e.g. ``"assistante de direction"``).
    department : department name.
    manager_id : key of the direct manager, if any: a member id, or ``mgr:<HR key>`` for
        a manager outside the network.
    team : HR team code, if any.
    management_line : keys of every manager above the member, direct manager first
        (see :class:`~.organisation.Organisation`).
    languages : languages spoken (ISO 639-1 codes).
    skills : skill code -> level 0-4 (0 = none, 4 = expert; can teach it).
    skills_wanted : skill codes the member wants to learn.
    themes : themes of interest.
    seniority_years : years since the member's start date (>= 0).
    newcomer : joined recently (the service decides the threshold).
    mentor_capacity : how many mentees they accept (0 = not a mentor).
    mentee : opted in as a mentee.
    groups : opted in to practice-exchange groups.
    seminars : opted in to seminars.
    facilitator : volunteers to facilitate a group.
    """

    id: str
    site: str
    function: str = ""
    department: str = ""
    manager_id: str | None = None
    team: str | None = None
    management_line: tuple[str, ...] = ()
    languages: frozenset[str] = frozenset({"fr"})
    skills: Mapping[str, int] = field(default_factory=dict)
    skills_wanted: frozenset[str] = frozenset()
    themes: frozenset[str] = frozenset()
    seniority_years: float = 0.0
    newcomer: bool = False
    mentor_capacity: int = 0
    mentee: bool = False
    groups: bool = False
    seminars: bool = False
    facilitator: bool = False


def pair(a: str, b: str) -> Pair:
    """Return the unordered pair ``{a, b}``.

    >>> pair("b", "a") == pair("a", "b")
    True
    """
    return frozenset((a, b))
