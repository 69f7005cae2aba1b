"""The coordinators' end of a match: a round's closing surveys, and closing a match
(a confirmation page, then a POST; the page then says what happened)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.portal.api.deps import AsCoordinator, check_csrf, render
from services.portal.service_layer import closing

router = APIRouter(prefix="/coordination", tags=["coordination"],
                   dependencies=[Depends(check_csrf)])  # fmt: skip


@router.get("/tours/{round_id}/avis", response_class=HTMLResponse)
async def feedback(request: Request, round_id: str, c: AsCoordinator,
                   offset: int = 0) -> Response:  # fmt: skip
    """The round's closing surveys, comments included: for HR only (403 for members)."""
    page = await closing.feedback_page(c, round_id, offset)
    return render(request, "coord_avis.html", page=page)


@router.get("/mises-en-relation/{match_id}/clore", response_class=HTMLResponse)
async def confirm_close(request: Request, match_id: str, c: AsCoordinator,
                        done: str = "") -> Response:  # fmt: skip
    """Who is in the match and its dates, and the button; opening it closes nothing."""
    page = await closing.close_page(c, match_id)
    return render(request, "coord_clore.html", page=page,
                  done=done if done in closing.OUTCOMES else "")  # fmt: skip


@router.post("/mises-en-relation/{match_id}/clore", response_class=HTMLResponse)
async def close(request: Request, match_id: str, c: AsCoordinator) -> Response:
    done = await closing.close(c, match_id)
    return RedirectResponse(f"/coordination/mises-en-relation/{match_id}/clore?done={done}",
                            status_code=303)  # fmt: skip
