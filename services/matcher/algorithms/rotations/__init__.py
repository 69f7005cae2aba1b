"""Seminar rotations: tables over several rounds, no repeats (see :mod:`.planning`).

Modules: :mod:`.planning` (entry points), :mod:`.designs` (resolvable designs),
:mod:`.engine`, :mod:`.greedy`, :mod:`.relabel`, :mod:`.search` (the search),
:mod:`.report` (quality figures and the table-size rules), :mod:`.mend` (minimal-change
repair after departures).
"""

from services.matcher.algorithms.rotations.mend import RotationsRepair, repair_rotations
from services.matcher.algorithms.rotations.planning import (
    RotationPlan,
    greedy_rotations,
    plan_rotations,
    replan_rotations,
)
from services.matcher.algorithms.rotations.report import (
    RotationFigures,
    RotationReport,
    Rounds,
    plan_figures,
    random_seating,
)

__all__ = [
    "RotationFigures",
    "RotationPlan",
    "RotationReport",
    "RotationsRepair",
    "Rounds",
    "greedy_rotations",
    "plan_figures",
    "plan_rotations",
    "random_seating",
    "repair_rotations",
    "replan_rotations",
]
