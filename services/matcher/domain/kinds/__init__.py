"""What each kind of round adds to the round: pure glue around its algorithm."""

from __future__ import annotations

from services.matcher.domain.kinds.base import Format
from services.matcher.domain.kinds.groups import GroupsFormat
from services.matcher.domain.kinds.mentoring import MentoringFormat
from services.matcher.domain.kinds.rotations import RotationsFormat

FORMATS: dict[str, Format] = {
    "mentoring": MentoringFormat(),
    "groups": GroupsFormat(),
    "rotations": RotationsFormat(),
}
