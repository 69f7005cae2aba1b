"""The dashboard's charts (pure geometry) and its view model from the matcher's JSON."""

from __future__ import annotations

import doctest
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from jinja2 import Environment, FileSystemLoader

from services.matcher.algorithms.health import Fact, Member, analyse_health
from services.matcher.api.schemas_health import HealthPublic, NetworkPublic
from services.portal.domain import charts
from services.portal.domain.charts import bar_chart, heat_level, line_chart
from services.portal.service_layer import health_page
from services.portal.service_layer.health_page import HealthQuery, build
from shared.vocabulary import translate

TEMPLATES = Path(health_page.__file__).resolve().parents[1] / "templates"


def test_every_example_of_the_charts_runs() -> None:
    result = doctest.testmod(charts)
    assert result.attempted > 0 and result.failed == 0


def test_a_month_without_a_value_is_left_out_of_its_line_not_drawn_at_zero() -> None:
    chart = line_chart(["01", "02", "03"], {"a": [1.0, None, 3.0]}, percent=False)
    assert len(chart.lines[0].dots) == 2
    assert all(0 <= y <= chart.height for _, y in chart.lines[0].dots)


def test_bars_stay_inside_the_chart_and_the_tallest_reaches_the_top_of_the_axis() -> None:
    chart = bar_chart([("Lyon", 0.2), ("Paris", 1.0), ("Nice", 0.0)], percent=True)
    assert max(b.height for b in chart.bars) == chart.height - charts.TOP - charts.BOTTOM
    assert all(b.x + b.width <= chart.width for b in chart.bars)
    assert [t.label for t in chart.y_ticks][-1] == "100 %"


def test_heat_levels_grow_with_the_share_and_zero_means_no_link() -> None:
    levels = [heat_level(s, 0.4) for s in (0.0, 0.05, 0.2, 0.4)]
    assert levels[0] == 0 and levels == sorted(levels) and levels[-1] == 5


def test_dates_that_are_not_days_are_dropped_from_the_query() -> None:
    query = HealthQuery.of("2026-01-01", "demain", " Lyon ", "")
    assert query.params() == {"from": "2026-01-01", "site": "Lyon"}
    reversed_ = HealthQuery.of("2026-05-01", "2026-01-31", "", "")
    assert (reversed_.start, reversed_.end) == ("2026-01-31", "2026-05-01")


def test_the_dashboard_shows_the_site_asked_for_and_names_the_bridges() -> None:
    people = [Member("a", "Lyon", "AD"), Member("b", "Paris", "AD"), Member("c", "Paris", "AE")]
    facts = [
        Fact("published", date(2026, 1, 5), "m1", ("a", "b"), "mentoring", 0.8),
        Fact("accepted", date(2026, 1, 6), "m1", ("a",)),
        Fact("met", date(2026, 2, 1), "m1", ("b",)),
        Fact("session", date(2026, 2, 3), "g1", ("b", "c")),
    ]
    report = analyse_health(facts, people, date(2026, 1, 1), date(2026, 2, 28))
    health = HealthPublic.model_validate(report).model_dump(mode="json")
    network = NetworkPublic.of(report.network).model_dump(mode="json")
    board = build(HealthQuery(site="Paris"), health, network, {"b": {"display_name": "Béa"}})
    assert board.segment == {"dimension": "site", "value": "Paris"}
    assert [r["month"] for r in board.rows] == ["2026-01", "2026-02"]
    assert board.latest["active"] == 2
    assert board.sites == ["Lyon", "Paris"]
    assert board.matrix[0]["cells"][1]["edges"] == 1  # Lyon-Paris
    assert board.bridges[0]["name"] == "Béa"
    unknown = build(HealthQuery(site="Nice"), health, network, {})
    assert unknown.segment["dimension"] == "all"


def test_the_dashboard_says_as_of_when_its_figures_hold_and_when_newer_ones_are_computed() -> None:
    report = analyse_health([], [Member("a", "Lyon", "AD")], date(2026, 1, 1), date(2026, 2, 28))
    health = HealthPublic.model_validate(report).model_dump(mode="json")
    network = NetworkPublic.of(report.network).model_dump(mode="json")
    fresh = {"as_of": "2026-11-28T00:40:12Z", "refreshing": False}
    board = build(HealthQuery(), {**health, **fresh}, {**network, **fresh}, {})
    assert (board.as_of, board.refreshing) == ("28/11/2026 00:40:12 UTC", False)
    older = {"as_of": "2026-11-28T00:30:00Z", "refreshing": True}
    board = build(HealthQuery(), {**health, **fresh}, {**network, **older}, {})
    assert (board.as_of, board.refreshing) == ("28/11/2026 00:30:00 UTC", True)
    assert build(HealthQuery(), health, network, {}).as_of == ""  # an older matcher: not said


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("refreshing", [False, True])
def test_the_dashboard_page_tells_when_a_newer_report_is_being_computed(
    lang: str, refreshing: bool
) -> None:
    report = analyse_health([], [Member("a", "Lyon", "AD")], date(2026, 1, 1), date(2026, 2, 28))
    stamp = {"as_of": "2026-11-28T00:40:12Z", "refreshing": refreshing}
    health = {**HealthPublic.model_validate(report).model_dump(mode="json"), **stamp}
    network = {**NetworkPublic.of(report.network).model_dump(mode="json"), **stamp}
    env = Environment(loader=FileSystemLoader(TEMPLATES))
    t = lambda code, **kw: translate(code, lang, **kw)  # noqa: E731
    request = SimpleNamespace(url=SimpleNamespace(query="site=Lyon"))
    env.globals.update(t=t, csrf_token="tok", path="/coordination/tableau-de-bord",
                       request=request, lang=lang, other_lang="en", user=None)  # fmt: skip
    page = env.get_template("coord_sante.html").render(
        board=build(HealthQuery(site="Lyon"), health, network, {})
    )
    when = "28/11/2026 00:40:12 UTC"
    assert (t("health.refreshing", time=when) in page) is refreshing
    assert (t("health.as_of", time=when) in page) is not refreshing
    assert ('href="/coordination/tableau-de-bord?site=Lyon"' in page) is refreshing
