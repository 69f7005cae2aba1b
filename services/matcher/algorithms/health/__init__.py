"""The network's health: activity, acceptance, meetings, satisfaction, fairness, and the
network of who met whom.

Modules: :mod:`.model` (members, facts, the report's parts), :mod:`.activity` (monthly
figures per segment), :mod:`.network` (networkx analysis), :mod:`.report` (the entry
point :func:`analyse_health`).
"""

from services.matcher.algorithms.health.activity import monthly_figures
from services.matcher.algorithms.health.model import (
    FACT_KINDS,
    Bridge,
    Fact,
    HealthReport,
    Member,
    MonthFigures,
    NetworkFigures,
    Segment,
    SiteFairness,
    SiteLink,
)
from services.matcher.algorithms.health.network import analyse_network, meeting_graph
from services.matcher.algorithms.health.report import analyse_health, site_fairness

__all__ = [
    "FACT_KINDS",
    "Bridge",
    "Fact",
    "HealthReport",
    "Member",
    "MonthFigures",
    "NetworkFigures",
    "Segment",
    "SiteFairness",
    "SiteLink",
    "analyse_health",
    "analyse_network",
    "meeting_graph",
    "monthly_figures",
    "site_fairness",
]
