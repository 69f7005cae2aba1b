"""Coordinator view of the matcher's member projection."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request, status
from sqlalchemy import func, select

from services.matcher.orm import members
from shared.web import Coordinator

router = APIRouter(prefix="/members", tags=["projection"])


@router.get("/count")
def count_members(request: Request, _: Coordinator) -> dict[str, int]:
    with request.app.state.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(members)).scalar_one()
    return {"members": int(total)}


@router.get("/{member_id}")
def read_member(member_id: str, request: Request, _: Coordinator) -> dict[str, Any]:
    with request.app.state.engine.connect() as conn:
        row = conn.execute(select(members).where(members.c.id == member_id)).first()
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"Membre {member_id} inconnu du matcher.")
    return {"id": row.id, "version": row.version, "profile": row.profile}
