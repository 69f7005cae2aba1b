"""The suggestions of the coordinators' name picker, as JSON for its small script.

The forms work without it: the server resolves a typed name or id on submission
(:mod:`services.portal.service_layer.adjustments`); the script only fills the list
while the coordinator types, from profiles' ``GET /members/names``.
"""

from __future__ import annotations

from fastapi import APIRouter

from services.portal.api.deps import AsCoordinator
from services.portal.service_layer import adjustments

router = APIRouter(prefix="/coordination", tags=["coordination"])


@router.get("/noms")
async def member_suggestions(c: AsCoordinator, q: str = "") -> dict[str, list[str]]:
    return {"items": await adjustments.suggestions(c, q)}
