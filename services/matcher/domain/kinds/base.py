"""What every round format (mentoring, groups, rotations) provides to the round service.

A format turns the population of a round into a :class:`Proposal` by calling the pure
algorithms, and applies a coordinator's adjustment to a proposal (re-checking the hard
constraints and recomputing the report). Formats do no I/O.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from services.matcher.algorithms.model import Pair, Person
from services.matcher.domain.adjustments import Adjustment
from services.matcher.domain.errors import MatchNotFound
from services.matcher.domain.parameters import Parameters
from shared.events import MatchEvent
from shared.vocabulary import ProgressStep

Progress = Callable[[float, ProgressStep], None]


@dataclass
class ProposedMatch:
    """One match of a proposal: its members and what explains it (JSON-safe ``data``)."""

    members: tuple[str, ...]
    data: dict[str, Any]
    locked: bool = False
    id: str = ""


@dataclass(frozen=True)
class MatchRecord:
    """A stored match of a round, as read back."""

    id: str
    round_id: str
    kind: str
    members: tuple[str, ...]
    data: dict[str, Any]
    locked: bool


@dataclass(frozen=True)
class TableSeats:
    """One table of one seminar rotation and who sits there (0-based numbers)."""

    seminar_round: int
    table: int
    members: tuple[str, ...]


@dataclass
class Proposal:
    matches: list[ProposedMatch]
    report: dict[str, Any]


@dataclass
class Inputs:
    """Everything a format needs, read by the service before calling it."""

    people: list[Person]  # in scope, opted in to this format, not paused
    everyone: list[Person]  # the whole projection (manager lines cross scopes)
    history: set[Pair]  # pairs already met within the look-back
    params: Parameters
    removed: set[str] = field(default_factory=set)  # members removed by the coordinator
    previous: list[ProposedMatch] = field(default_factory=list)  # plan being re-planned

    @property
    def forbidden(self) -> set[Pair]:
        """The coordinator's forbidden pairs (``forbidden_pairs`` parameter)."""
        return {frozenset(p) for p in self.params.forbidden_pairs if p[0] != p[1]}

    @property
    def available(self) -> list[Person]:
        return [p for p in self.people if p.id not in self.removed]

    @functools.cached_property
    def by_id(self) -> dict[str, Person]:
        """Everyone by id, built once: the formats look members up per match, and
        rebuilding it on each lookup made a 10,000-member groups round quadratic
        (issue 14: ~20 s of CPU in the explanations alone). ``everyone`` is not changed
        after the inputs are read."""
        return {p.id: p for p in self.everyone}


class Format(Protocol):
    kind: str

    def propose(self, inputs: Inputs, progress: Progress) -> Proposal: ...

    def adjust(self, current: Proposal, adjustment: Adjustment, inputs: Inputs) -> Proposal: ...

    def pairs(self, match: ProposedMatch) -> list[Pair]:
        """The pairs of people this match makes meet (stored in the history)."""
        ...

    def event(self, match: ProposedMatch, round_id: str) -> MatchEvent:
        """The ``match.*`` event announcing ``match`` on publication."""
        ...


def jsonable(value: Any) -> Any:
    """Dataclasses, frozensets, tuples and numpy scalars -> JSON-safe values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, frozenset | set):
        return sorted(jsonable(v) for v in value)
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if hasattr(value, "item") and callable(value.item):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def all_pairs(members: tuple[str, ...] | list[str]) -> list[Pair]:
    return [frozenset((a, b)) for i, a in enumerate(members) for b in members[i + 1 :]]


def with_lock(current: Proposal, match_id: str) -> Proposal:
    """``current`` with match ``match_id`` locked (kept by later re-solves)."""
    for m in current.matches:
        if m.id == match_id:
            m.locked = True
            return current
    raise MatchNotFound(match_id=match_id)
