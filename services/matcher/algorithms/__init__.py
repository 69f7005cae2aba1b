"""Pure matching algorithms, grouped by problem.

Subpackages, each with its own public ``__all__``:

* :mod:`.mentoring` -- one mentor per mentee, exactly optimal
  (:func:`~.mentoring.match_mentoring`, :func:`~.mentoring.max_weight_b_matching`,
  the pair score :func:`~.mentoring.score_pair`);
* :mod:`.groups` -- practice-exchange groups (:func:`~.groups.form_groups`);
* :mod:`.rotations` -- seminar tables over several rounds
  (:func:`~.rotations.plan_rotations`, :func:`~.rotations.replan_rotations`);
* :mod:`.health` -- the network's health over time (:func:`~.health.analyse_health`).

The data shared by all problems (:class:`~.model.Person`, :data:`~.model.Pair`, the errors)
is in :mod:`.model`. This module imports none of them, so importing the shared data stays
cheap; ``from services.matcher.algorithms import *`` imports the five.
"""

__all__ = ["groups", "health", "mentoring", "model", "rotations"]
