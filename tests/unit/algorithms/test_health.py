"""The network's health on small hand-made programmes whose figures are known."""

from __future__ import annotations

from datetime import date

from services.matcher.algorithms.health import Fact, Member, analyse_health

D = date


def people() -> list[Member]:
    return [
        Member("a", "Lyon", "assistant", D(2026, 1, 10)),
        Member("b", "Paris", "assistant"),
        Member("c", "Paris", "rh", D(2026, 2, 1)),
        Member("d", "Nice", "rh"),
        Member("e", "Nice", "rh"),
    ]


def facts() -> list[Fact]:
    return [
        Fact("published", D(2026, 1, 15), "m1", ("b", "a"), "mentoring", 0.9),
        Fact("accepted", D(2026, 1, 16), "m1", ("a",)),
        Fact("accepted", D(2026, 1, 17), "m1", ("b",)),
        Fact("published", D(2026, 3, 20), "m2", ("d", "c"), "mentoring", 0.3),
        Fact(
            "declined",
            D(2026, 3, 21),
            "m2",
            ("c",),
        ),
        Fact("unanswered", D(2026, 3, 28), "m2", ("d",)),
        Fact("met", D(2026, 2, 2), "m1", ("a",)),
        Fact("met", D(2026, 2, 9), "m1", ("b",)),
        Fact("published", D(2026, 1, 20), "g1", ("c", "d", "e"), "groups", 0.6),
        Fact("session", D(2026, 2, 20), "g1", ("c", "d")),
        Fact("session", D(2026, 3, 20), "g1", ()),
        Fact("feedback", D(2026, 3, 30), "m1", ("a",), score=5),
        Fact("feedback", D(2026, 3, 30), "m1", ("b",), score=4),
        Fact("closed", D(2026, 3, 31), "m1"),
    ]


def row(report, month, dimension="all", value=""):
    return next(
        r
        for r in report.months
        if r.month == month and r.segment.dimension == dimension and r.segment.value == value
    )


def test_a_pair_that_met_counts_once_in_the_month_of_its_first_met_answer():
    report = analyse_health(facts(), people(), D(2026, 1, 1), D(2026, 3, 31))
    assert row(report, "2026-02").pairs_met == 1
    assert row(report, "2026-01").pairs_met == row(report, "2026-03").pairs_met == 0
    assert row(report, "2026-02", "site", "Nice").pairs_met == 0


def test_acceptance_counts_the_answers_of_each_segment():
    report = analyse_health(facts(), people(), D(2026, 1, 1), D(2026, 3, 31))
    assert row(report, "2026-01").acceptance_rate == 1.0
    march = row(report, "2026-03")
    assert (march.accepted, march.declined, march.unanswered) == (0, 1, 1)
    assert march.acceptance_rate == 0.0
    assert row(report, "2026-02").acceptance_rate is None


def test_active_members_took_part_in_the_ninety_days_up_to_the_end_of_the_month():
    report = analyse_health(facts(), people(), D(2026, 1, 1), D(2026, 3, 31))
    assert row(report, "2026-01").active == 2  # a and b accepted
    assert row(report, "2026-02").active == 4  # and c, d attended the session
    assert row(report, "2026-03", "site", "Nice").active == 2  # the session without a list


def test_a_newcomer_is_mentored_when_a_mentoring_match_came_within_thirty_days():
    report = analyse_health(facts(), people(), D(2026, 1, 1), D(2026, 3, 31))
    jan, feb = row(report, "2026-01"), row(report, "2026-02")
    assert (jan.newcomers, jan.newcomers_mentored) == (1, 1)
    assert (feb.newcomers, feb.newcomers_mentored) == (1, 0)  # c's match came late and was declined


def test_satisfaction_is_the_mean_of_the_feedback_of_the_month():
    report = analyse_health(facts(), people(), D(2026, 1, 1), D(2026, 3, 31))
    march = row(report, "2026-03")
    assert (march.satisfaction_mean, march.satisfaction_count) == (4.5, 2)
    assert row(report, "2026-03", "function", "assistant").satisfaction_count == 2
    assert row(report, "2026-03", "function", "rh").satisfaction_count == 0


def test_fairness_is_the_mean_score_a_sites_people_got_minus_everyones():
    report = analyse_health(facts(), people(), D(2026, 1, 1), D(2026, 3, 31))
    # mentoring, over people: a 0.9, b 0.9, c 0.3, d 0.3; groups: c, d, e 0.6
    assert round(report.overall_quality, 9) == 0.6
    gaps = {(s.kind, s.site): round(s.gap, 6) for s in report.fairness}
    assert gaps == {
        ("mentoring", "Lyon"): 0.3, ("mentoring", "Nice"): -0.3, ("mentoring", "Paris"): 0.0,
        ("groups", "Nice"): 0.0, ("groups", "Paris"): 0.0,
    }  # fmt: skip
    weighted = sum(s.gap * s.matches for s in report.fairness)
    assert abs(weighted) < 1e-9


def test_the_network_links_pairs_that_met_and_people_who_attended_sessions():
    net = analyse_health(facts(), people(), D(2026, 1, 1), D(2026, 3, 31)).network
    assert net.edges == 1 + 3  # a-b; c-d, c-e, d-e (the session without a list)
    assert (net.isolated, net.components, net.largest_component_share) == (0, 2, 0.6)
    links = {(k.site_a, k.site_b): (k.edges, k.normalised) for k in net.site_links}
    assert links[("Lyon", "Paris")] == (1, 0.5)
    assert links[("Nice", "Paris")] == (2, 0.5)
    assert links[("Nice", "Nice")] == (1, 1.0)
    assert links[("Lyon", "Nice")] == (0, 0.0)
    assert {b.member_id for b in net.bridges} == {"a", "b", "c", "d", "e"}
    assert [b.member_id for b in net.bridges if b.cut_vertex] == []


def test_facts_about_unknown_or_erased_members_count_nowhere():
    extra = [Fact("accepted", D(2026, 1, 16), "m9", ("gone",))]
    base = analyse_health(facts(), people(), D(2026, 1, 1), D(2026, 3, 31))
    assert analyse_health(facts() + extra, people(), D(2026, 1, 1), D(2026, 3, 31)) == base


def test_a_seating_plan_links_tablemates_and_a_pair_that_never_met_does_not():
    plan = [Fact("published", D(2026, 3, 1), "r1", ("a",), "rotations", tables=(("a", "d"),))]
    net = analyse_health(plan, people(), D(2026, 1, 1), D(2026, 3, 31)).network
    assert net.edges == 1 and net.isolated == 3
    unmet = [Fact("published", D(2026, 3, 1), "m1", ("a", "b"), "mentoring", 0.5)]
    assert analyse_health(unmet, people(), D(2026, 1, 1), D(2026, 3, 31)).network.edges == 0


def test_leaving_the_network_out_changes_no_other_figure():
    full = analyse_health(facts(), people(), D(2026, 1, 1), D(2026, 3, 31))
    lean = analyse_health(facts(), people(), D(2026, 1, 1), D(2026, 3, 31), network=False)
    assert lean.network is None and full.network is not None
    assert (lean.months, lean.fairness, lean.overall_quality) == (
        full.months, full.fairness, full.overall_quality,
    )  # fmt: skip
