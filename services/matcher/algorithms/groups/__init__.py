"""Practice-exchange groups (see :mod:`.partition` for how they are formed).

Modules: :mod:`.partition` (the entry point :func:`form_groups`), :mod:`.model` (groups and
weights), :mod:`.vectors`, :mod:`.balance`, :mod:`.exchange`, :mod:`.repair` (the steps),
:mod:`.report` (quality figures), :mod:`.mend` (minimal-change repair after departures),
:mod:`.baselines` (random and k-means baselines).
"""

from services.matcher.algorithms.groups.baselines import kmeans_then_chop, random_groups
from services.matcher.algorithms.groups.mend import GroupsRepair, repair_groups
from services.matcher.algorithms.groups.model import Group, GroupWeights, group_sizes
from services.matcher.algorithms.groups.partition import GroupsResult, form_groups
from services.matcher.algorithms.groups.report import GroupsQuality, GroupsReport, assess_groups

__all__ = [
    "Group",
    "GroupWeights",
    "GroupsQuality",
    "GroupsRepair",
    "GroupsReport",
    "GroupsResult",
    "assess_groups",
    "form_groups",
    "group_sizes",
    "kmeans_then_chop",
    "random_groups",
    "repair_groups",
]
