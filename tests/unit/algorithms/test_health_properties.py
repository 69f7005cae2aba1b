"""Invariants of the network's health report, on random programmes (hypothesis)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from services.matcher.algorithms.health import Fact, Member, analyse_health
from services.matcher.algorithms.health.model import MENTORING

START, END = date(2026, 1, 1), date(2026, 6, 30)
SITES = ("Lyon", "Paris", "Nice")
FUNCTIONS = ("assistant", "rh", "")


def programme(seed: int, size: int) -> tuple[list[Member], list[Fact]]:
    rng = random.Random(seed)
    people = [
        Member(
            f"m{i}",
            rng.choice(SITES),
            rng.choice(FUNCTIONS),
            START + timedelta(days=rng.randrange(-60, 180)) if rng.random() < 0.5 else None,
        )
        for i in range(size)
    ]
    facts: list[Fact] = []
    ids = [p.id + "x" if rng.random() < 0.05 else p.id for p in people]  # a few unknown
    for k in range(size):
        day = START + timedelta(days=rng.randrange(-30, 181))
        pair = tuple(rng.sample(ids, 2))
        match = f"p{k}"
        facts.append(Fact("published", day, match, pair, MENTORING, rng.random()))
        for who in pair:
            kind = rng.choice(("accepted", "accepted", "declined", "unanswered"))
            facts.append(Fact(kind, day + timedelta(days=2), match, (who,)))
        if rng.random() < 0.6:
            facts.append(Fact("met", day + timedelta(days=14), match, (pair[0],)))
            facts.append(Fact("feedback", day + timedelta(days=40), match, (pair[1],), score=4))
        group = tuple(rng.sample(ids, min(4, size)))
        facts.append(Fact("published", day, f"g{k}", group, "groups", rng.random()))
        facts.append(Fact("session", day + timedelta(days=9), f"g{k}", group[:3]))
    return people, facts


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 40))
def test_the_report_does_not_depend_on_the_order_of_the_facts(seed: int, size: int):
    people, facts = programme(seed, size)
    shuffled = facts[:]
    random.Random(seed).shuffle(shuffled)
    assert analyse_health(facts, people, START, END) == analyse_health(shuffled, people, START, END)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 40))
def test_sites_partition_everyone_and_rates_stay_between_zero_and_one(seed: int, size: int):
    people, facts = programme(seed, size)
    report = analyse_health(facts, people, START, END)
    everyone = {r.month: r for r in report.months if r.segment.dimension == "all"}
    for month, row in everyone.items():
        sites = [r for r in report.months if r.month == month and r.segment.dimension == "site"]
        assert sum(r.active for r in sites) == row.active <= row.members == len(people)
        assert sum(r.newcomers for r in sites) == row.newcomers >= row.newcomers_mentored
        assert sum(r.accepted for r in sites) == row.accepted
    for row in report.months:
        assert row.acceptance_rate is None or 0.0 <= row.acceptance_rate <= 1.0
        assert row.satisfaction_mean is None or 1.0 <= row.satisfaction_mean <= 5.0


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 40))
def test_the_network_counts_every_member_once_and_its_links_add_up(seed: int, size: int):
    people, facts = programme(seed, size)
    net = analyse_health(facts, people, START, END).network
    assert net.members == len(people)
    assert 0 <= net.isolated <= net.members
    assert 0.0 < net.largest_component_share <= 1.0
    assert sum(link.edges for link in net.site_links) == net.edges
    assert all(0.0 <= link.normalised <= 1.0 for link in net.site_links)
    assert all(b.cut_vertex in (True, False) and b.other_sites >= 1 for b in net.bridges)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 30), st.floats(0.0, 1.0))
def test_when_every_match_scores_the_same_no_site_has_a_gap(seed: int, size: int, score: float):
    people, facts = programme(seed, size)
    same = [
        Fact(f.kind, f.on, f.match_id, f.members, f.match_kind, score)
        if f.kind == "published"
        else f
        for f in facts
    ]
    report = analyse_health(same, people, START, END)
    assert all(abs(s.gap) < 1e-9 for s in report.fairness)
    assert all(r.quality_gap is None or abs(r.quality_gap) < 1e-9 for r in report.months)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 30))
def test_the_site_gaps_weighted_by_their_people_cancel_out(seed: int, size: int):
    people, facts = programme(seed, size)
    report = analyse_health(facts, people, START, END)
    for kind in ("mentoring", "groups"):
        assert abs(sum(s.gap * s.matches for s in report.fairness if s.kind == kind)) < 1e-6
