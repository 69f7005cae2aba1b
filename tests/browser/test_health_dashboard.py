"""The coordinator's health dashboard in a real browser, over the real stack, after six
simulated months published as events: the figures the matcher computes, as charts with
their tables, the site-to-site heat table and the CSV export; axe-core finds nothing."""

from __future__ import annotations

import asyncio
import csv
import io
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from typing import Any

import nats
import pytest

from deploy.local.programme import SimMember, simulate
from deploy.local.synthetic import community
from services.matcher.api.schemas_health import FRESHNESS, HealthPublic
from services.matcher.service_layer.health import recompute
from services.matcher.service_layer.health_views import period
from shared.events import Event
from shared.vocabulary import translate
from tests.browser.harness import assert_accessible, new_context
from tests.browser.stack import COORDINATOR_EMAIL, Portal, eventually
from tests.health_support import events_in_broker, figures

pytestmark = [pytest.mark.browser, pytest.mark.e2e, pytest.mark.nats]


@pytest.fixture(scope="module")
def portal(own_portal: Portal) -> Portal:
    """A stack of its own."""
    return own_portal


async def _publish(url: str, events: list[Event]) -> None:
    nc = await nats.connect(url)
    js = nc.jetstream()
    for e in events:
        await js.publish(e.subject, e.model_dump_json().encode())
    await nc.close()


def six_months(portal: Portal, size: int = 48) -> list[Event]:
    """``size`` members created by HR, then six months of their programme as events."""
    people = []
    with portal.as_coordinator() as hr:
        skills = hr.get(portal.api("profiles") + "/skills", params={"limit": 500}).json()
        made = community(
            size, skill_codes=[s["code"] for s in skills["items"]], seed=4, tag=".sante"
        )
        for person in made:
            person.pop("manager_index", None)
            r = hr.post(portal.api("profiles") + "/members", json=person)
            assert r.status_code == 201, r.text
            arrival = date.fromisoformat(person["start_date"]) if person.get("start_date") else None
            mentor = bool(person.get("opt_ins", {}).get("mentor"))
            people.append(SimMember(r.json()["id"], person["site"], mentor, arrival))
        count = portal.api("matcher") + "/members/count"
        eventually(lambda: hr.get(count).json()["members"] >= size, timeout=120)
    events = simulate(people, datetime.now(UTC), seed=5, tag="sante")
    # Playwright's sync API keeps a loop running in this thread: publish from another one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, _publish(portal.operator_url, events)).result()
    return events


def test_the_coordinator_reads_six_months_of_health_as_charts_and_tables(
    portal: Portal, browser: Any
) -> None:
    fr = lambda code, **p: translate(code, "fr", **p)  # noqa: E731
    six_months(portal)
    # what the dashboard must show: the report recomputed from the events the broker holds
    with ThreadPoolExecutor(1) as pool:
        stored = pool.submit(asyncio.run, events_in_broker(portal.operator_url)).result()
    recomputed = recompute(stored, *period(None, None))
    expected = HealthPublic.model_validate(recomputed).model_dump(mode="json", exclude=FRESHNESS)
    with portal.as_coordinator() as hr:

        def recorded() -> dict[str, Any] | None:
            body = hr.get(portal.api("matcher") + "/health").json()
            return body if figures(body) == expected else None

        health = eventually(recorded, timeout=120)
    assert sum(m["accepted"] for m in health["months"]) > 0 and health["fairness"]
    last = [m for m in health["months"] if m["segment"]["dimension"] == "all"][-1]
    context = new_context(browser)
    try:
        page = context.new_page()
        portal.sign_in(page, COORDINATOR_EMAIL)
        page.goto(portal.url + "/coordination")
        page.get_by_role("link", name=fr("health.nav")).first.click()
        page.wait_for_url("**/coordination/tableau-de-bord")
        assert page.get_by_role("heading", level=1).inner_text() == fr("health.title")
        assert_accessible(page)
        kpis = page.locator("section").first.inner_text()
        assert f"{last['active']} / {last['members']}" in kpis
        assert page.get_by_role("img", name=fr("health.chart_activity")).count() == 1
        assert page.locator("svg polyline").count() >= 3
        assert page.locator("table.heat tbody tr").count() >= 2
        page.get_by_text(fr("health.table_alternative")).first.click()
        assert_accessible(page)
        with page.expect_download() as download:
            page.get_by_role("link", name=fr("health.export_csv")).click()
        sheet = download.value.path().read_text(encoding="utf-8")
        rows = list(csv.DictReader(io.StringIO(sheet)))
        assert [int(r["active"]) for r in rows if r["dimension"] == "all"][-1] == last["active"]
        site = sorted({m["segment"]["value"] for m in health["months"]
                       if m["segment"]["dimension"] == "site"})[0]  # fmt: skip
        page.get_by_label(fr("health.site"), exact=True).select_option(site)
        with page.expect_navigation():
            page.get_by_role("button", name=fr("health.show")).click()
        assert f"site={site.replace(' ', '+')}" in page.url or "site=" in page.url
        assert site in page.get_by_role("heading", level=2).first.inner_text()
        assert_accessible(page)
    finally:
        context.close()
