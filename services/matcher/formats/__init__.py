"""Round formats by kind."""

from __future__ import annotations

from services.matcher.formats.base import Format
from services.matcher.formats.groups import GroupsFormat
from services.matcher.formats.mentoring import MentoringFormat
from services.matcher.formats.rotations import RotationsFormat

FORMATS: dict[str, Format] = {
    "mentoring": MentoringFormat(),
    "groups": GroupsFormat(),
    "rotations": RotationsFormat(),
}
