"""The coordinators' rounds: list, create, progress, proposal, adjust, publish, the
delivery log, and a seminar's table cards and seating export."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.portal.api.deps import AsCoordinator, Lang, check_csrf, render
from services.portal.domain import round_form
from services.portal.domain.errors import PageNotFound, Refused
from services.portal.domain.member_filters import PAGE_SIZE
from services.portal.service_layer import adjustments
from services.portal.service_layer import coordination as uc
from services.portal.service_layer import repairs as repair_uc
from shared.vocabulary import translate

router = APIRouter(prefix="/coordination/tours", tags=["coordination"],
                   dependencies=[Depends(check_csrf)])  # fmt: skip
#: Seconds between two reloads of a round's page while it is computed.
REFRESH_S = 2


@router.get("", response_class=HTMLResponse)
async def rounds(request: Request, c: AsCoordinator, offset: int = 0) -> Response:
    return render(request, "coord_tours.html", listing=await uc.rounds(c, offset))


def _kind(kind: str) -> str:
    if kind not in round_form.KINDS:
        raise PageNotFound()
    return kind


def _new_round(request: Request, kind: str, status: int = 200, sent: dict[str, str] | None = None,
               refused: Refused | None = None) -> Response:  # fmt: skip
    return render(request, "coord_tour_nouveau.html", status, kind=kind, kinds=round_form.KINDS,
                  fields=round_form.FIELDS[kind], sent=sent or {},
                  request_id=(sent or {}).get("client_request_id") or uc.new_request_id(),
                  refused=refused, errors=refused.by_field() if refused else {})  # fmt: skip


@router.get("/nouveau", response_class=HTMLResponse)
def new_round(request: Request, _: AsCoordinator, type: str = "groups") -> Response:
    return _new_round(request, _kind(type))


@router.post("/nouveau", response_class=HTMLResponse)
async def create_round(request: Request, c: AsCoordinator) -> Response:
    form = {k: str(v) for k, v in (await request.form()).items()}
    kind = _kind(form.get("kind", ""))
    try:
        created = await uc.create_round(c, kind, form)
    except Refused as refused:
        return _new_round(request, kind, 422, form, refused)
    return RedirectResponse(f"/coordination/tours/{created['id']}", status_code=303)


async def _round(request: Request, c: AsCoordinator, round_id: str, offset: int = 0,
                 status: int = 200, refused: Refused | None = None, done: str = "",
                 sent: dict[str, str] | None = None) -> Response:  # fmt: skip
    page = await uc.round_page(c, round_id, offset)
    return render(request, "coord_tour.html", status, page=page, refresh=REFRESH_S,
                  refused=refused, done=done, sent=sent or {},
                  member_options=adjustments.options(page.names),
                  errors=refused.by_field() if refused else {})  # fmt: skip


@router.get("/{round_id}", response_class=HTMLResponse)
async def round_page(request: Request, round_id: str, c: AsCoordinator, offset: int = 0,
                     done: str = "") -> Response:  # fmt: skip
    return await _round(request, c, round_id, offset, done=done)


@router.post("/{round_id}/ajustements", response_class=HTMLResponse)
async def adjust(request: Request, round_id: str, c: AsCoordinator) -> Response:
    form = {k: str(v) for k, v in (await request.form()).items()}
    try:
        await c.adjust(round_id, await adjustments.adjustment_from_form(c, form))
    except Refused as refused:
        return await _round(request, c, round_id, status=refused.upstream_status,
                            refused=refused, sent=form)  # fmt: skip
    return RedirectResponse(f"/coordination/tours/{round_id}?done=adjusted", status_code=303)


@router.get("/{round_id}/publier", response_class=HTMLResponse)
async def confirm_publish(request: Request, round_id: str, c: AsCoordinator) -> Response:
    return render(request, "coord_publier.html", round=await c.round(round_id), refused=None)


@router.post("/{round_id}/publier", response_class=HTMLResponse)
async def publish(request: Request, round_id: str, c: AsCoordinator) -> Response:
    try:
        await c.publish(round_id)
    except Refused as refused:
        return render(request, "coord_publier.html", refused.upstream_status,
                      round=await c.round(round_id), refused=refused)  # fmt: skip
    return RedirectResponse(f"/coordination/tours/{round_id}?done=published", status_code=303)


@router.get("/{round_id}/reparer", response_class=HTMLResponse)
async def repair_form(request: Request, round_id: str, c: AsCoordinator) -> Response:
    page = await repair_uc.repair_page(c, round_id)
    return render(request, "coord_reparer.html", page=page, refused=None, sent={})


@router.post("/{round_id}/reparer", response_class=HTMLResponse)
async def repair(request: Request, round_id: str, c: AsCoordinator) -> Response:
    """Repair the published round; the page then shows who changed, before and after."""
    form = {k: str(v) for k, v in (await request.form()).items()}
    try:
        done = await c.repair(round_id, repair_uc.repair_body(form))
    except Refused as refused:
        page = await repair_uc.repair_page(c, round_id)
        return render(request, "coord_reparer.html", refused.upstream_status, page=page,
                      refused=refused, sent=form)  # fmt: skip
    page = await repair_uc.repair_page(c, round_id, latest=done)
    return render(request, "coord_reparer.html", page=page, refused=None, sent={})


@router.get("/{round_id}/envois", response_class=HTMLResponse)
async def deliveries(request: Request, round_id: str, c: AsCoordinator,
                     offset: int = 0) -> Response:  # fmt: skip
    log, pager = await uc.deliveries(c, round_id, offset)
    return render(request, "coord_envois.html", round_id=round_id, log=log, pager=pager)


@router.get("/{round_id}/plan-de-table", response_class=HTMLResponse)
async def seating(request: Request, round_id: str, c: AsCoordinator,
                  rotation: int | None = None, offset: int = 0) -> Response:  # fmt: skip
    """A page of tables (50), of one rotation or of all; the whole plan is on
    ``/plan-de-table/tout`` (to print) and in the CSV export."""
    page = await uc.seating_page(c, round_id, rotation, offset)
    return render(request, "coord_plan_de_table.html", plan=page, per_page=PAGE_SIZE)


@router.get("/{round_id}/plan-de-table/tout", response_class=HTMLResponse)
async def seating_all(request: Request, round_id: str, c: AsCoordinator) -> Response:
    return render(request, "coord_plan_de_table_tout.html", plan=await uc.seating(c, round_id))


@router.get("/{round_id}/plan-de-table.csv")
async def seating_export(round_id: str, c: AsCoordinator, lang: Lang) -> Response:
    plan = await uc.seating(c, round_id)
    header = [translate(f"portal.seating_col_{k}", lang)
              for k in ("rotation", "table", "name", "site", "member")]  # fmt: skip
    disposition = f'attachment; filename="plan-de-table-{round_id}.csv"'
    return Response(uc.seating_csv(plan, header), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": disposition})  # fmt: skip
