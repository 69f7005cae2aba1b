"""Minimal-change repair of published practice-exchange groups after departures.

Only the groups that lost someone change: each is refilled from the members not yet
placed (the waiting list) back to its size; one left under ``min_size`` is merged with
another group of the round when their sizes fit, otherwise its members join groups with
room. No other group changes unless it takes part in such a merge.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from ..model import InfeasibleError, Pair, Person, pair
from ..organisation import Organisation
from .model import Group, theme_label

__all__ = ["GroupsRepair", "repair_groups"]


@dataclass(frozen=True, slots=True)
class GroupsRepair:
    """The groups after a repair and what changed.

    Attributes
    ----------
    groups : every group after the repair; an unchanged group is the same value as before.
    replaces : for each new or changed group (index in ``groups``), the indexes of the old
        groups it replaces (two for a merge).
    removed : indexes of old groups that no longer exist and are replaced by nothing (all
        their members departed, or their members were spread over other groups).
    placed : members of the waiting list placed in a group.
    changed : people whose group changed (members of changed groups, departed excluded).
    notes : codes of what could not be met (``no_facilitator``).
    """

    groups: list[Group]
    replaces: dict[int, tuple[int, ...]]
    removed: tuple[int, ...]
    placed: tuple[str, ...]
    changed: frozenset[str]
    notes: tuple[str, ...] = field(default=())


@dataclass
class _Work:
    by_id: dict[str, Person]
    org: Organisation
    avoid: set[Pair]
    min_size: int
    max_size: int
    members: list[list[str]]  # per old group, after departures and refills
    sources: list[set[int]]  # per old group: the old groups it now holds
    touched: set[int]
    pool: list[str]
    placed: list[str] = field(default_factory=list)

    def fits(self, person: str, group: list[str]) -> bool:
        return all(
            pair(person, m) not in self.avoid and not self.org.conflict(person, m) for m in group
        )


def repair_groups(
    people: Sequence[Person],
    groups: Sequence[Group],
    departed: Collection[str],
    *,
    waiting: Sequence[str] = (),
    min_size: int = 5,
    max_size: int = 10,
    history: Collection[Pair] = (),
    forbidden: Collection[Pair] = (),
) -> GroupsRepair:
    """Repair ``groups`` after ``departed`` left, changing as few groups as possible.

    Objective: keep every group that lost nobody; in a group that lost someone, take
    from ``waiting`` (in its order) first a facilitator volunteer if the group lost its
    facilitator, then people from sites the group lacks, then those sharing its themes.

    Hard constraints: sizes within ``[min_size, max_size]``; no two members of one
    management line or team, no pair of ``history`` (who already met, this round's own
    groups included) and no ``forbidden`` pair newly share a group; a group keeps a
    designated facilitator whenever one of its members volunteers. A group under
    ``min_size`` is merged with one other group (the one giving the most sites, then the
    smallest); if none fits, its members are spread one by one over groups with room;
    if that fails too, :class:`InfeasibleError`.

    ``people`` must hold every member of ``groups`` and ``waiting`` (and may hold more:
    managers who are members link management lines).

    Complexity: O(g * w * s) for ``g`` changed groups, ``w`` waiting members and groups
    of size ``s``, plus O(G * s^2) per merge over the ``G`` groups.

    References
    ----------
    Layton et al., CATME Team-Maker (2010): teams are repaired by moving few students.

    Examples
    --------
    >>> ps = [Person(f"p{i}", "PL"[i % 2], facilitator=i in (0, 5)) for i in range(12)]
    >>> gs = [Group(tuple(f"p{i}" for i in range(k, k + 5)), f"p{k}", "", ("L", "P"))
    ...       for k in (0, 5)]
    >>> r = repair_groups(ps, gs, {"p3"}, waiting=["p10", "p11"])
    >>> r.groups[0].members, r.groups[1] == gs[1], r.placed, r.replaces
    (('p0', 'p1', 'p10', 'p2', 'p4'), True, ('p10',), {0: (0,)})
    """
    gone = set(departed)
    by_id = {p.id: p for p in people}
    in_groups = {m for g in groups for m in g.members}
    work = _Work(
        by_id, Organisation(people), set(history) | set(forbidden), min_size, max_size,
        [[m for m in g.members if m not in gone] for g in groups],
        [{i} for i in range(len(groups))],
        {i for i, g in enumerate(groups) if gone.intersection(g.members)},
        [w for w in dict.fromkeys(waiting) if w not in gone and w not in in_groups],
    )  # fmt: skip
    facilitators = [g.facilitator if g.facilitator not in gone else None for g in groups]
    for i in sorted(work.touched):
        if work.members[i]:
            _refill(work, i, len(groups[i].members), facilitators[i] is None)
    for i in sorted(work.touched):
        if 0 < len(work.members[i]) < min_size and not _merge(work, i):
            _spread(work, i)
    return _result(work, groups, facilitators, gone)


def _refill(work: _Work, i: int, size: int, needs_facilitator: bool) -> None:
    """Take people from the waiting list until group ``i`` is back to ``size``."""
    group = work.members[i]
    while len(group) < min(size, work.max_size) and work.pool:
        sites = {work.by_id[m].site for m in group}
        themes = {t for m in group for t in work.by_id[m].themes}
        volunteer = needs_facilitator and not any(work.by_id[m].facilitator for m in group)
        fitting = [w for w in work.pool if work.fits(w, group)]
        if not fitting:
            return
        best = max(fitting, key=lambda w: _appeal(work.by_id[w], sites, themes, volunteer))
        group.append(best)
        work.pool.remove(best)
        work.placed.append(best)


def _appeal(p: Person, sites: set[str], themes: set[str], volunteer: bool) -> tuple[int, ...]:
    return (int(volunteer and p.facilitator), int(p.site not in sites), len(p.themes & themes))


def _merge(work: _Work, i: int) -> bool:
    """Merge group ``i`` into the best other group its members all fit with."""
    group = work.members[i]
    options = []
    for j, other in enumerate(work.members):
        if j == i or not other or len(other) + len(group) > work.max_size:
            continue
        if all(work.fits(m, other) for m in group):
            sites = {work.by_id[m].site for m in [*group, *other]}
            options.append((-len(sites), len(other), j))
    if not options:
        return False
    j = min(options)[2]
    work.members[j].extend(group)
    work.members[i] = []
    work.sources[j] |= work.sources[i]
    work.sources[i] = set()
    work.touched.add(j)
    return True


def _spread(work: _Work, i: int) -> None:
    """Move the members of group ``i`` one by one into groups with room."""
    for m in list(work.members[i]):
        room = [
            (len(g), j)
            for j, g in enumerate(work.members)
            if j != i and g and len(g) < work.max_size and work.fits(m, g)
        ]
        if not room:
            raise InfeasibleError(f"group {i} is too small and cannot be merged or spread")
        j = min(room)[1]
        work.members[j].append(m)
        work.touched.add(j)
    work.members[i] = []
    work.sources[i] = set()


def _result(
    work: _Work, old: Sequence[Group], facilitators: list[str | None], gone: set[str]
) -> GroupsRepair:
    groups: list[Group] = []
    replaces: dict[int, tuple[int, ...]] = {}
    removed: list[int] = []
    changed: set[str] = set()
    notes: list[str] = []
    for i, members in enumerate(work.members):
        if i not in work.touched:
            groups.append(old[i])
            continue
        if not members:
            if not any(i in s for s in work.sources):
                removed.append(i)
            continue
        people = [work.by_id[m] for m in members]
        lead = next((f for f in (facilitators[k] for k in sorted(work.sources[i])) if f), None)
        if lead is None or lead not in members:
            volunteers = [p for p in people if p.facilitator]
            volunteers.sort(key=lambda p: -p.seniority_years)
            lead = volunteers[0].id if volunteers else None
        if lead is None:
            notes.append("no_facilitator")
        replaces[len(groups)] = tuple(sorted(work.sources[i]))
        groups.append(
            Group(tuple(sorted(members)), lead, old[i].theme or theme_label(people),
                  tuple(sorted({p.site for p in people})))
        )  # fmt: skip
        changed.update(members)
    return GroupsRepair(
        groups, replaces, tuple(removed), tuple(work.placed), frozenset(changed - gone),
        tuple(dict.fromkeys(notes)),
    )  # fmt: skip
