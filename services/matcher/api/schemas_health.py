"""Response models of the network's health (``GET /health``, ``/health/network``).

Kept apart from ``schemas.py`` (rounds and matches): they mirror the pure report's frozen
dataclasses, read with ``from_attributes``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field

from services.matcher.service_layer.health_cache import Kept


class _Read(BaseModel):
    model_config = ConfigDict(from_attributes=True, frozen=True)


#: The fields that say how fresh a report is (not figures: left out to compare figures).
FRESHNESS = frozenset({"as_of", "refreshing"})


class _Fresh(_Read):
    """When a kept report's figures hold, and whether a newer one is being computed."""

    as_of: datetime | None = Field(
        None, description="The figures are exact for the facts and members known then (UTC)."
    )
    refreshing: bool = Field(
        False, description="Facts arrived since as_of: a newer report is being computed."
    )

    def fresh(self, kept: Kept[Any]) -> Self:
        return self.model_copy(update={"as_of": kept.as_of, "refreshing": kept.refreshing})


class SegmentPublic(_Read):
    dimension: str = Field(description="all, site or function.")
    value: str = Field(description="The site or function ('' for everyone).")


class MonthFiguresPublic(_Read):
    month: str = Field(description="YYYY-MM.")
    segment: SegmentPublic
    members: int = Field(description="Members in the segment (as projected now).")
    active: int = Field(description="Members who took part in the 90 days up to the month's end.")
    accepted: int
    declined: int
    unanswered: int
    acceptance_rate: float | None = Field(description="accepted / answers; null without answers.")
    pairs_met: int = Field(description="Pairs or groups whose first 'we met' came this month.")
    sessions: int = Field(description="Group sessions recorded this month.")
    satisfaction_mean: float | None = Field(description="Mean satisfaction (1-5).")
    satisfaction_count: int
    newcomers: int = Field(description="Members who arrived this month.")
    newcomers_mentored: int = Field(description="Of them, with a mentor within 30 days.")
    mean_quality: float | None = Field(description="Mean score of the matches published.")
    quality_gap: float | None = Field(description="mean_quality minus everyone's (fairness).")


class SiteFairnessPublic(_Read):
    kind: str = Field(description="mentoring or groups (scores are compared within a kind).")
    site: str
    matches: int = Field(description="Member-matches of the site's people.")
    mean_quality: float = Field(description="Mean score the site's people got.")
    overall: float = Field(description="Mean score over everyone, for this kind.")
    gap: float = Field(description="mean_quality minus overall (fairness).")


class SiteLinkPublic(_Read):
    site_a: str
    site_b: str
    edges: int = Field(description="Pairs of members of these sites who met.")
    normalised: float = Field(description="edges / possible pairs (0-1).")


class BridgePublic(_Read):
    member_id: str
    site: str
    other_sites: int = Field(description="Other sites their contacts are in.")
    cross_site_contacts: int
    cut_vertex: bool = Field(description="Removing them disconnects part of the network.")


class SiteCentralityPublic(BaseModel):
    site: str
    betweenness: float


class NetworkPublic(_Fresh):
    start: date
    end: date
    members: int
    edges: int
    isolated: int = Field(description="Members who met nobody in the window.")
    largest_component_share: float = Field(description="Share in the largest connected part.")
    components: int
    site_links: list[SiteLinkPublic]
    site_centrality: list[SiteCentralityPublic]
    bridges: list[BridgePublic]

    @classmethod
    def of(cls, net: object) -> NetworkPublic:
        pairs = getattr(net, "site_centrality", ())
        data = {k: getattr(net, k) for k in cls.model_fields
                if k not in ("site_centrality", *_Fresh.model_fields)}  # fmt: skip
        central = [SiteCentralityPublic(site=s, betweenness=c) for s, c in pairs]
        return cls.model_validate({**data, "site_centrality": central})


class HealthPublic(_Fresh):
    start: date
    end: date
    months: list[MonthFiguresPublic]
    fairness: list[SiteFairnessPublic]
    overall_quality: float | None = Field(description="Mentoring pairs' mean score.")
