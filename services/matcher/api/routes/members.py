"""Coordinator view of the matcher's member projection."""

from __future__ import annotations

from fastapi import APIRouter

from services.matcher.api.deps import Coordinator, Uow
from services.matcher.api.schemas import MemberCount, MemberPublic
from services.matcher.domain.errors import MemberUnknown
from services.matcher.service_layer import projection
from shared.problems import problem_responses

router = APIRouter(prefix="/members", tags=["projection"])


@router.get("/count", responses=problem_responses(401, 403))
def count_members(uow: Uow, _: Coordinator) -> MemberCount:
    return MemberCount(members=projection.count_members(uow))


@router.get("/{member_id}", responses=problem_responses(401, 403, 404))
def read_member(member_id: str, uow: Uow, _: Coordinator) -> MemberPublic:
    found = projection.read_member(uow, member_id)
    if found is None:
        raise MemberUnknown(member_id=member_id)
    return MemberPublic.model_validate(found, from_attributes=True)
