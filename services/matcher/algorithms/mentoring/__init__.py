"""Mentoring: assign mentees to mentors, exactly optimal (see :mod:`.matching`).

Modules: :mod:`.matching` (entry points), :mod:`.scoring` (the pair score),
:mod:`.constraints` (hard constraints and reasons for unmatched mentees),
:mod:`.solver` and :mod:`.pricing` (exact min-cost flow, LP pricing),
:mod:`.report` (quality figures), :mod:`.repair` (minimal-change repair after a departure).
"""

from services.matcher.algorithms.mentoring.constraints import ConstraintFilters
from services.matcher.algorithms.mentoring.matching import (
    MentoringResult,
    match_mentoring,
    max_weight_b_matching,
)
from services.matcher.algorithms.mentoring.pricing import SolverStats
from services.matcher.algorithms.mentoring.repair import MentoringRepair, repair_mentoring
from services.matcher.algorithms.mentoring.report import MentoringReport, SiteCoverage
from services.matcher.algorithms.mentoring.scoring import (
    PairScore,
    ScoreWeights,
    score_matrix,
    score_pair,
)

__all__ = [
    "ConstraintFilters",
    "MentoringRepair",
    "MentoringReport",
    "MentoringResult",
    "PairScore",
    "ScoreWeights",
    "SiteCoverage",
    "SolverStats",
    "match_mentoring",
    "max_weight_b_matching",
    "repair_mentoring",
    "score_matrix",
    "score_pair",
]
