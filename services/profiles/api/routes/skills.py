"""The skills catalogue: everyone reads it, coordinators (HR) manage it."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from services.profiles.api.deps import EngineDep, Paging
from services.profiles.api.schemas import Skill, SkillCreate, SkillUpdate
from services.profiles.service_layer import catalogue
from shared.pagination import Page
from shared.problems import problem_responses
from shared.web import Coordinator, CurrentPrincipal

router = APIRouter(prefix="/skills", tags=["skills"])


@router.get(
    "",
    response_model=Page[Skill],
    responses=problem_responses(401, 422),
    summary="Catalogue (pagination limit/offset)",
)
def list_skills(engine: EngineDep, _: CurrentPrincipal, page: Paging) -> Page[Skill]:
    return catalogue.list_skills(engine, page)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=Skill,
    responses=problem_responses(400, 401, 403, 409, 422),
    summary="Ajouter une compétence (RH)",
)
def create_skill(body: SkillCreate, engine: EngineDep, _: Coordinator) -> Skill:
    return catalogue.create_skill(engine, body)


@router.get("/{code}", response_model=Skill, responses=problem_responses(401, 404), summary="Lire")
def read_skill(code: str, engine: EngineDep, _: CurrentPrincipal) -> Skill:
    return catalogue.get_skill(engine, code)


@router.patch(
    "/{code}",
    response_model=Skill,
    responses=problem_responses(400, 401, 403, 404, 422),
    summary="Renommer ou reclasser une compétence (RH)",
)
def update_skill(code: str, body: SkillUpdate, engine: EngineDep, _: Coordinator) -> Skill:
    return catalogue.update_skill(engine, code, body)


@router.delete(
    "/{code}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404, 409),
    summary="Supprimer une compétence inutilisée (RH)",
)
def delete_skill(code: str, engine: EngineDep, _: Coordinator) -> Response:
    catalogue.delete_skill(engine, code)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
