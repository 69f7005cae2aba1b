"""What the round pages show from the matcher's answers: the quality report next to
random, and the seating plan of a seminar as table cards and spreadsheet rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from shared.safety import spreadsheet_safe

#: A round in these states is still being computed: its page refreshes itself.
IN_PROGRESS: Final = frozenset({"requested", "running"})
#: Sections of a report holding a random assignment's figures, by kind.
RANDOM_SECTIONS: Final = ("random", "baseline", "random_baseline")
#: Sections holding the proposal's own figures (the same names as the random ones).
OWN_SECTIONS: Final = ("quality", "figures")


@dataclass(frozen=True, slots=True)
class Figure:
    """One line of the quality report: the proposal's value and a random one's."""

    name: str
    value: float
    random: float | None


def _numbers(section: object) -> dict[str, float]:
    if not isinstance(section, Mapping):
        return {}
    return {k: float(v) for k, v in section.items()
            if isinstance(v, int | float) and not isinstance(v, bool)}  # fmt: skip


def figures(report: Mapping[str, Any] | None) -> list[Figure]:
    """The headline figures, each with a random assignment's value when the report
    has one (groups and rotations carry a ``random`` section).

    >>> r = {"headline": {"cohesion_mean": 0.6, "sites_per_group": 3},
    ...      "quality": {"cohesion_mean": 0.6}, "random": {"cohesion_mean": 0.2}}
    >>> [(f.name, f.value, f.random) for f in figures(r)]
    [('cohesion_mean', 0.6, 0.2), ('sites_per_group', 3.0, None)]
    """
    if not report:
        return []
    headline = _numbers(report.get("headline"))
    rand: dict[str, float] = {}
    for name in RANDOM_SECTIONS:
        rand.update(_numbers(report.get(name)))
    return [Figure(k, v, rand.get(k)) for k, v in headline.items()]


def has_random(found: Iterable[Figure]) -> bool:
    return any(f.random is not None for f in found)


@dataclass(frozen=True, slots=True)
class TableCard:
    """One table of one seminar rotation, with who sits there."""

    rotation: int
    table: int
    members: tuple[str, ...]


def table_cards(matches: Iterable[Mapping[str, Any]]) -> list[TableCard]:
    """Table cards from a rotations round's matches (one match per attendee, holding
    their seat in every rotation), by rotation then table; 1-based numbers.

    >>> m = [{"members": ["a"], "data": {"seats": [{"seminar_round": 0, "table": 1}]}},
    ...      {"members": ["b"], "data": {"seats": [{"seminar_round": 0, "table": 1}]}},
    ...      {"members": [{"erased": True}], "data": {"seats": []}}]
    >>> table_cards(m)
    [TableCard(rotation=1, table=2, members=('a', 'b'))]
    """
    tables: dict[tuple[int, int], list[str]] = defaultdict(list)
    for match in matches:
        who = match.get("members") or []
        if not who or not isinstance(who[0], str):
            continue  # an erased attendee keeps no seat on the printed plan
        for seat in (match.get("data") or {}).get("seats") or ():
            tables[(int(seat["seminar_round"]), int(seat["table"]))].append(who[0])
    return [TableCard(r + 1, t + 1, tuple(sorted(ms))) for (r, t), ms in sorted(tables.items())]


def seating_rows(
    cards: Iterable[TableCard], names: Mapping[str, str], sites: Mapping[str, str]
) -> list[list[object]]:
    """The plan as spreadsheet rows (rotation, table, name, site, member id), every cell
    made safe for spreadsheets (a name starting with ``=`` is not a formula).

    >>> seating_rows([TableCard(1, 2, ("a",))], {"a": "=HYPERLINK()"}, {})
    [[1, 2, "'=HYPERLINK()", '', 'a']]
    """
    return [
        [spreadsheet_safe(x) for x in (c.rotation, c.table, names.get(m, m), sites.get(m, ""), m)]
        for c in cards
        for m in c.members
    ]
