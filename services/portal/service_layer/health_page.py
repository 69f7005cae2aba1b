"""The coordinator's dashboard of the network's health: the matcher's figures as charts.

Months as lines (activity, meetings, acceptance), sites as bars (active share, match
quality against the overall mean), the site-to-site links as a heat table, and the members
who bridge sites, by name (profiles' names, read as the coordinator).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from services.portal.adapters.coordination import Coordination
from services.portal.domain.charts import BarChart, LineChart, bar_chart, heat_level, line_chart


@dataclass(frozen=True)
class HealthQuery:
    start: str = ""
    end: str = ""
    site: str = ""
    function: str = ""

    @classmethod
    def of(cls, start: str, end: str, site: str, function: str) -> HealthQuery:
        """Dates that are not ISO days are dropped (the matcher's defaults apply); a
        period typed the wrong way round is turned the right way."""

        def day(text: str) -> str:
            try:
                return date.fromisoformat(text.strip()).isoformat()
            except ValueError:
                return ""

        first, last = day(start), day(end)
        if first and last and first > last:  # typed the wrong way round: meant the span
            first, last = last, first
        return cls(first, last, site.strip()[:200], function.strip()[:200])

    def params(self) -> dict[str, str]:
        found = {"from": self.start, "to": self.end, "site": self.site, "function": self.function}
        return {k: v for k, v in found.items() if v}


@dataclass(frozen=True)
class Dashboard:
    query: HealthQuery
    health: dict[str, Any]
    network: dict[str, Any]
    segment: dict[str, Any]  # which rows the lines show: everyone, or the site/function
    rows: list[dict[str, Any]]  # those rows, month by month
    latest: dict[str, Any]
    activity: LineChart
    rates: LineChart
    site_activity: BarChart
    site_quality: BarChart
    site_rows: list[dict[str, Any]]
    sites: list[str]
    functions: list[str]
    matrix: list[dict[str, Any]]
    fairness: dict[str, dict[str, Any]]  # site -> mentoring pairs' fairness row
    bridges: list[dict[str, Any]] = field(default_factory=list)
    as_of: str = ""  # when the older of the two reports shown was exact ("" if not said)
    refreshing: bool = False  # facts arrived since: the matcher is computing newer ones


def freshness(*reports: dict[str, Any]) -> tuple[str, bool]:
    """The older "as of" time of the matcher's reports, shown to the minute (UTC), and
    whether a newer report is being computed.

    >>> freshness({"as_of": "2026-11-28T00:40:12Z", "refreshing": False},
    ...           {"as_of": "2026-11-28T00:39:59.5Z", "refreshing": True})
    ('28/11/2026 00:39:59 UTC', True)
    """
    times = [datetime.fromisoformat(r["as_of"]) for r in reports if r.get("as_of")]
    shown = min(times).strftime("%d/%m/%Y %H:%M:%S UTC") if times else ""
    return shown, any(r.get("refreshing") for r in reports)


def _segment_rows(months: list[dict[str, Any]], query: HealthQuery) -> tuple[dict, list]:
    dimension, value = ("site", query.site) if query.site else ("function", query.function)
    if not value:
        dimension = "all"
    rows = [r for r in months if r["segment"]["dimension"] == dimension
            and r["segment"]["value"] == (value if dimension != "all" else "")]  # fmt: skip
    if not rows:  # an unknown site or function: everyone
        rows = [r for r in months if r["segment"]["dimension"] == "all"]
        dimension, value = "all", ""
    return {"dimension": dimension, "value": value}, rows


def _matrix(network: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    links = {(k["site_a"], k["site_b"]): k for k in network["site_links"]}
    sites = sorted({s for pair in links for s in pair})
    top = max((k["normalised"] for k in links.values()), default=0.0)
    rows = []
    for a in sites:
        cells = []
        for b in sites:
            link = links.get((min(a, b), max(a, b)), {"edges": 0, "normalised": 0.0})
            cells.append({**link, "site": b, "level": heat_level(link["normalised"], top)})
        rows.append({"site": a, "cells": cells})
    return sites, rows


def build(query: HealthQuery, health: dict[str, Any], network: dict[str, Any],
          names: dict[str, dict[str, Any]]) -> Dashboard:  # fmt: skip
    months = health["months"]
    segment, rows = _segment_rows(months, query)
    labels = [r["month"] for r in rows]
    activity = line_chart(labels, {
        "health.active": [r["active"] for r in rows],
        "health.meetings": [r["pairs_met"] + r["sessions"] for r in rows],
        "health.accepted": [r["accepted"] for r in rows],
    })  # fmt: skip
    mentored = [r["newcomers_mentored"] / r["newcomers"] if r["newcomers"] else None for r in rows]
    rates = line_chart(labels, {
        "health.acceptance_rate": [r["acceptance_rate"] for r in rows],
        "health.newcomers_share": mentored,
    }, percent=True)  # fmt: skip
    last = labels[-1] if labels else ""
    site_rows = [r for r in months if r["segment"]["dimension"] == "site" and r["month"] == last]
    share = [(r["segment"]["value"], r["active"] / r["members"] if r["members"] else 0.0)
             for r in site_rows]  # fmt: skip
    pairs = {f["site"]: f for f in health["fairness"] if f["kind"] == "mentoring"}
    quality = [(site, f["mean_quality"]) for site, f in sorted(pairs.items())]
    sites, matrix = _matrix(network)
    bridges = [{**b, "name": names.get(b["member_id"], {}).get("display_name", "")}
               for b in network["bridges"][:10]]  # fmt: skip
    functions = sorted({r["segment"]["value"] for r in months
                        if r["segment"]["dimension"] == "function"})  # fmt: skip
    return Dashboard(
        query, health, network, segment, rows, rows[-1] if rows else {}, activity, rates,
        bar_chart(share, percent=True), bar_chart(quality, health["overall_quality"]),
        site_rows, sites, functions, matrix, pairs, bridges, *freshness(health, network),
    )  # fmt: skip


async def dashboard(c: Coordination, query: HealthQuery) -> Dashboard:
    """The dashboard's figures, asked of the matcher at once, with the bridges' names."""
    params = query.params()
    health, network = await asyncio.gather(
        c.health(params), c.health_network({k: v for k, v in params.items() if k == "to"})
    )
    names = await c.names_by_id(b["member_id"] for b in network["bridges"][:10])
    return build(query, health, network, names)
