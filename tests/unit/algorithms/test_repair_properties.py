"""Property tests of the minimal-change repairs: kept matches stay, no pair that met,
sizes hold, and only the people of the affected matches (or newly placed) change."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.matcher.algorithms.groups import Group, form_groups, repair_groups
from services.matcher.algorithms.mentoring import match_mentoring, repair_mentoring
from services.matcher.algorithms.model import InfeasibleError, Person, pair
from services.matcher.algorithms.organisation import Organisation
from services.matcher.algorithms.rotations import plan_rotations, repair_rotations
from services.matcher.algorithms.rotations.report import table_sizes

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SKILLS = ("BUDGET", "EXCEL", "VOYAGES", "STRESS")
THEMES = ("budget", "outils", "voyages", "accueil")


@st.composite
def mentoring_people(draw: st.DrawFn) -> list[Person]:
    n = draw(st.integers(2, 16))
    people = []
    for i in range(n):
        mentor = draw(st.booleans())
        people.append(
            Person(
                f"p{i:02}",
                draw(st.sampled_from("ABC")),
                manager_id=draw(st.sampled_from([None, "mgr:1", "mgr:2"])),
                skills={s: draw(st.integers(0, 4)) for s in draw(st.sets(st.sampled_from(SKILLS)))},
                skills_wanted=frozenset(draw(st.sets(st.sampled_from(SKILLS), max_size=2))),
                themes=frozenset(draw(st.sets(st.sampled_from(THEMES), max_size=2))),
                mentor_capacity=draw(st.integers(1, 3)) if mentor else 0,
                mentee=not mentor or draw(st.booleans()),
            )
        )
    return people


@SETTINGS
@given(mentoring_people(), st.data())
def test_a_mentoring_repair_keeps_every_unaffected_pair_and_changes_only_those_concerned(
    people, data
) -> None:
    first = match_mentoring(people)
    current = [(s.mentor_id, s.mentee_id) for s in first.pairs]
    ids = [p.id for p in people]
    departed = set(data.draw(st.sets(st.sampled_from(ids), min_size=1, max_size=3)))
    met = {pair(*p) for p in current}
    r = repair_mentoring(people, current, departed, history=met)
    after = {(s.mentor_id, s.mentee_id) for s in r.result.pairs}
    kept = {p for p in current if not departed.intersection(p)}
    assert kept <= after, "an unaffected pair was changed"
    assert set(r.added) == after - kept
    assert not any(departed.intersection(p) for p in after), "a departed member was matched"
    assert not any(pair(*p) in met for p in r.added), "a new pair had already met"
    caps = {p.id: p.mentor_capacity for p in people}
    for mentor, n in Counter(m for m, _ in after).items():
        assert n <= caps[mentor]
    assert len({e for _, e in after}) == len(after), "a mentee has two mentors"
    # minimal: only people of dropped pairs and of new pairs changed
    freed = {m for p in current if departed.intersection(p) for m in p} - departed
    assert r.changed == (freed | {m for p in r.added for m in p}) - departed
    assert r.changed.isdisjoint(departed)
    for p in r.added:  # a new pair takes a freed mentee or a mentee the round left idle
        assert p[1] in freed or p[1] not in {e for _, e in current}


@SETTINGS
@given(mentoring_people(), st.data())
def test_a_mentoring_repair_is_as_good_as_solving_the_free_part_from_scratch(people, data) -> None:
    first = match_mentoring(people)
    current = [(s.mentor_id, s.mentee_id) for s in first.pairs]
    departed = set(data.draw(st.sets(st.sampled_from([p.id for p in people]), max_size=2)))
    r = repair_mentoring(people, current, departed)
    kept = [p for p in current if not departed.intersection(p)]
    gone = [Person(p.id, p.site) if p.id in departed else p for p in people]
    again = match_mentoring(gone, locked=kept, forbidden={pair(*p) for p in r.dropped})
    assert r.result.report.total_score == pytest.approx(again.report.total_score)


@st.composite
def grouped(draw: st.DrawFn):
    n = draw(st.integers(10, 34))
    people = [
        Person(
            f"p{i:02}",
            draw(st.sampled_from("ABCD")),
            team=draw(st.sampled_from([None, None, None, "t1", "t2"])),
            themes=frozenset(draw(st.sets(st.sampled_from(THEMES), max_size=2))),
            groups=True,
            facilitator=draw(st.integers(0, 3)) == 0,
            seniority_years=draw(st.integers(0, 20)),
        )
        for i in range(n)
    ]
    placed = draw(st.integers(10, n))
    try:
        groups = form_groups(people[:placed], min_size=5, max_size=10, target_size=6).groups
    except InfeasibleError:
        groups = []
    return people, groups, [p.id for p in people[placed:]]


@SETTINGS
@given(grouped(), st.data())
def test_a_groups_repair_touches_only_the_groups_concerned_and_keeps_the_rules(inst, data) -> None:
    people, groups, waiting = inst
    if not groups:
        return
    members = sorted(m for g in groups for m in g.members)
    departed = set(data.draw(st.sets(st.sampled_from(members), min_size=1, max_size=3)))
    met = {pair(a, b) for g in groups for a in g.members for b in g.members if a < b}
    try:
        r = repair_groups(people, groups, departed, waiting=waiting, history=met)
    except InfeasibleError:
        return  # too few groups with room to absorb a small group: refused, nothing changed
    org = Organisation(people)
    before = {g.members: i for i, g in enumerate(groups)}
    changed_old = {k for old in r.replaces.values() for k in old} | set(r.removed)
    for i, g in enumerate(r.groups):
        assert 5 <= len(g.members) <= 10
        assert not departed.intersection(g.members)
        if i in r.replaces:
            new_pairs = {pair(a, b) for a in g.members for b in g.members if a < b} - met
            assert not any(org.conflict(*sorted(p)) for p in new_pairs)
            if any(people_by(people)[m].facilitator for m in g.members):
                assert g.facilitator in g.members
        else:
            assert g.members in before, "an unaffected group changed"
    touched = {i for i, g in enumerate(groups) if departed.intersection(g.members)}
    merged_in = changed_old - touched
    moved = {m for i in touched for m in groups[i].members}
    for i, olds in r.replaces.items():  # a group that lost nobody changes only by taking in
        if not touched.intersection(olds):  # the members of one that did (merge or spread)
            assert moved.intersection(r.groups[i].members)
    assert set(r.placed) <= set(waiting)
    placed_everyone = [m for g in r.groups for m in g.members]
    assert len(placed_everyone) == len(set(placed_everyone)), "someone is in two groups"
    stay = set(members) - departed
    assert stay <= set(placed_everyone), "a remaining member lost their group"
    assert r.changed == {m for i in r.replaces for m in r.groups[i].members} - departed
    if not merged_in:  # no merge: only the members of groups that lost someone, or placed
        old_members = {m for i in touched for m in groups[i].members}
        assert r.changed <= old_members | set(r.placed)


def people_by(people: list[Person]) -> dict[str, Person]:
    return {p.id: p for p in people}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(8, 24), st.integers(2, 4), st.integers(2, 4), st.data())
def test_a_rotations_repair_keeps_the_held_rotations_and_the_size_rule(n, size, rounds, data):
    people = [Person(f"p{i:02}", "ABC"[i % 3]) for i in range(n)]
    plan = plan_rotations(people, table_size=size, rounds=rounds, max_iterations=200).rounds
    held = data.draw(st.integers(0, rounds - 1))
    departed = set(
        data.draw(st.sets(st.sampled_from([p.id for p in people]), min_size=1, max_size=3))
    )
    r = repair_rotations(plan, held, departed, people, table_size=size, max_iterations=200)
    assert r.rounds[:held] == plan[:held]
    left = n - len(departed)
    for tables in r.rounds[held:]:
        seated = [m for t in tables for m in t]
        assert sorted(seated) == sorted(p.id for p in people if p.id not in departed)
        assert sorted((len(t) for t in tables), reverse=True) == table_sizes(left, size)
    assert r.changed.isdisjoint(departed)
    if r.method == "drop":  # only the departed's future tablemates changed
        mates = {m for tables in plan[held:] for t in tables if departed.intersection(t) for m in t}
        assert r.changed == mates - departed


def test_a_group_left_under_five_is_merged_with_another_and_no_third_group_changes():
    people = [
        Person(f"p{i:02}", "ABCD"[i % 4], groups=True, facilitator=i % 5 == 0) for i in range(20)
    ]
    groups = [
        Group(tuple(f"p{i:02}" for i in range(k, k + 5)), f"p{k:02}", "", ()) for k in (0, 5, 10)
    ]
    groups.append(Group(tuple(f"p{i:02}" for i in range(15, 20)), "p15", "", ()))
    r = repair_groups(people, groups, {"p01"})
    assert len(r.groups) == 3
    merged = [i for i, old in r.replaces.items() if len(old) == 2]
    assert len(merged) == 1 and 0 in r.replaces[merged[0]]
    assert len(r.groups[merged[0]].members) == 9
    assert sum(g in groups for g in r.groups) == 2


def test_a_group_is_refilled_with_a_facilitator_from_the_waiting_list_when_its_own_left():
    people = [
        Person(f"p{i:02}", "AB"[i % 2], groups=True, facilitator=i in (0, 7)) for i in range(8)
    ]
    groups = [Group(tuple(f"p{i:02}" for i in range(6)), "p00", "", ())]
    r = repair_groups(people, groups, {"p00"}, waiting=["p06", "p07"])
    assert r.groups[0].facilitator == "p07" and r.placed == ("p07",)
    assert r.changed == {"p01", "p02", "p03", "p04", "p05", "p07"}


def test_a_group_under_five_that_can_neither_merge_nor_spread_is_refused():
    people = [Person(f"p{i:02}", "A", groups=True) for i in range(10)]
    groups = [Group(tuple(f"p{i:02}" for i in range(k, k + 5)), None, "", ()) for k in (0, 5)]
    met = {pair("p00", "p05")}  # p00 already met p05: merging the two groups is refused
    with pytest.raises(InfeasibleError):
        repair_groups(
            people,
            groups,
            {"p01"},
            max_size=10,
            history=met | {pair("p00", f"p0{k}") for k in range(5, 10)},
        )


@st.composite
def small_round(draw: st.DrawFn):
    """Mentors and mentees of one site each, one language, no managers: feasibility is
    only the score (> 0), the history and the capacities, so brute force can check it."""
    mentors = [
        Person(f"m{i}", "Lyon", skills={s: draw(st.integers(1, 4)) for s in SKILLS[:2]},
               mentor_capacity=draw(st.integers(1, 2)))
        for i in range(draw(st.integers(1, 3)))
    ]  # fmt: skip
    mentees = [
        Person(f"e{i}", "Paris", mentee=True,
               skills_wanted=frozenset(draw(st.sets(st.sampled_from(SKILLS[:3]), max_size=2))))
        for i in range(draw(st.integers(1, 5)))
    ]  # fmt: skip
    return mentors, mentees


@SETTINGS
@given(small_round(), st.data())
def test_a_mentoring_repair_reaches_the_brute_force_optimum_of_what_it_may_change(
    inst, data
) -> None:
    from itertools import product

    from services.matcher.algorithms.mentoring import score_pair

    mentors, mentees = inst
    people = [*mentors, *mentees]
    current = [(s.mentor_id, s.mentee_id) for s in match_mentoring(people).pairs]
    departed = set(data.draw(st.sets(st.sampled_from([p.id for p in people]), max_size=2)))
    met = {pair(*p) for p in current}
    r = repair_mentoring(people, current, departed, history=met)
    kept = [p for p in current if not departed.intersection(p)]
    places = {m.id: m.mentor_capacity for m in mentors if m.id not in departed}
    for mentor, _ in kept:
        places[mentor] -= 1
    free = [e for e in mentees if e.id not in departed and e.id not in {x for _, x in kept}]
    by_id = {m.id: m for m in mentors}
    best = 0.0
    for choice in product([None, *places], repeat=len(free)):
        used = Counter(c for c in choice if c is not None)
        if any(used[m] > places[m] for m in used):
            continue
        total, ok = 0.0, True
        for e, m in zip(free, choice, strict=True):
            if m is None:
                continue
            s = score_pair(by_id[m], e).total
            ok &= s > 0 and pair(m, e.id) not in met
            total += s
        if ok:
            best = max(best, total)
    new_total = sum(s.total for s in r.result.pairs if (s.mentor_id, s.mentee_id) in r.added)
    assert new_total == pytest.approx(best, abs=1e-9)
