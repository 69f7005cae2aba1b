"""What the coordinators' pages show and do, through the services as the coordinator."""

from __future__ import annotations

import asyncio
import csv
import io
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final, Literal

from services.portal.adapters.coordination import Coordination
from services.portal.domain import proposal, round_form
from services.portal.domain.errors import PageNotFound, Refused
from services.portal.domain.member_filters import PAGE_SIZE, MemberQuery, Pager
from shared.errors import FieldError

#: What marking a member as having left did, as the page tells it after the POST.
LeaveOutcome = Literal["left", "already"]
LEAVE_OUTCOMES: Final = ("left", "already")


@dataclass(frozen=True, slots=True)
class Listing:
    items: list[dict[str, Any]]
    pager: Pager


async def members(c: Coordination, query: MemberQuery, today: date) -> Listing:
    """One page of the member list (never more than :data:`PAGE_SIZE` rows)."""
    page = await c.members(query.params(today))
    return Listing(page["items"], Pager(page["total"], page["limit"], page["offset"]))


async def mark_left(c: Coordination, member_id: str, left_on: str) -> LeaveOutcome:
    """Mark the member as having left on ``left_on`` (blank: today), or say they already
    had (a second click changes nothing). A date that cannot be read is refused here,
    before profiles is asked (:class:`Refused`, the form shows why)."""
    if left_on:
        try:
            date.fromisoformat(left_on)
        except ValueError:
            raise Refused(422, "", [FieldError("left_on", "portal.leave_invalid_date")]) from None
    if (await c.member(member_id)).get("left_on"):
        return "already"
    await c.deactivate(member_id, left_on)
    return "left"


async def catalogue(c: Coordination, which: str, offset: int) -> Listing:
    page = await c.catalogue(which, PAGE_SIZE, max(0, offset))
    return Listing(page["items"], Pager(page["total"], page["limit"], page["offset"]))


def entry_body(form: dict[str, str], creating: bool) -> dict[str, Any]:
    """A catalogue entry from its form: labels, and aliases one per ``|`` or line."""
    aliases = [a.strip() for a in form.get("aliases", "").replace("\n", "|").split("|")]
    body: dict[str, Any] = {"label": form.get("label", "").strip(),
                            "label_en": form.get("label_en", "").strip(),
                            "aliases": [a for a in aliases if a]}  # fmt: skip
    if creating:
        if form.get("code", "").strip():
            body["code"] = form["code"].strip()
        if form.get("kind", "").strip():
            body["kind"] = form["kind"].strip()
    return body


async def import_members(c: Coordination, name: str, content: bytes, mode: str) -> dict[str, Any]:
    """The import report; an all-or-nothing import refused still gives its report."""
    try:
        return await c.import_members(name, content, mode)
    except Refused as refused:
        if refused.report is None:
            raise
        return dict(refused.report)


async def rounds(c: Coordination, offset: int) -> Listing:
    page = await c.rounds(PAGE_SIZE, max(0, offset))
    return Listing(page["items"], Pager(page["total"], page["limit"], page["offset"]))


def new_request_id() -> str:
    """The idempotency key a round form carries: sending it twice makes one round."""
    return uuid.uuid4().hex


async def create_round(c: Coordination, kind: str, form: dict[str, str]) -> dict[str, Any]:
    """Create a round from its form (:class:`Refused` naming the fields otherwise)."""
    parameters, errors = round_form.parameters_from_form(kind, form)
    if errors:
        raise Refused(422, "", errors)
    body = {"client_request_id": form.get("client_request_id") or new_request_id(),
            "kind": kind, "name": form.get("name", "").strip()[:200],
            "parameters": parameters}  # fmt: skip
    return await c.create_round(body, round_form.form_field)


@dataclass(frozen=True, slots=True)
class RoundPage:
    round: dict[str, Any]
    figures: list[proposal.Figure]
    matches: list[dict[str, Any]]
    names: dict[str, str]
    pager: Pager
    #: A published round's answers: overall counts, and each match's by id (matcher).
    answers: dict[str, Any] = field(default_factory=dict)

    def answers_of(self, match_id: str) -> dict[str, int]:
        return dict(self.answers.get("by_match", {}).get(match_id, {}))

    @property
    def in_progress(self) -> bool:
        return self.round["state"] in proposal.IN_PROGRESS


async def round_page(c: Coordination, round_id: str, offset: int) -> RoundPage:
    """The round, its report next to random, and one page of matches with names."""
    found = await c.round(round_id)
    if found["state"] in proposal.IN_PROGRESS or found["state"] in ("failed", "cancelled"):
        return RoundPage(found, [], [], {}, Pager(0, PAGE_SIZE, 0))
    report, page = await asyncio.gather(
        c.report(round_id), c.matches(round_id, PAGE_SIZE, max(0, offset))
    )
    ids = {m for match in page["items"] for m in match["members"] if isinstance(m, str)}
    shown = [str(match["id"]) for match in page["items"]]
    people, answers = await asyncio.gather(  # the answers of this page's matches only
        c.names_by_id(ids),
        c.answers(round_id, shown) if found["state"] == "published" and shown else _nothing(),
    )  # fmt: skip
    names = {i: str(p.get("display_name") or i) for i, p in people.items()}
    by_match = {m["match_id"]: m["counts"] for m in answers.get("matches", [])}
    return RoundPage(found, proposal.figures(report), page["items"], names,
                     Pager(page["total"], page["limit"], page["offset"]),
                     {"counts": answers.get("counts", {}), "by_match": by_match})  # fmt: skip


async def _nothing() -> dict[str, Any]:
    return {}


async def deliveries(c: Coordination, round_id: str, offset: int) -> tuple[dict[str, Any], Pager]:
    """One page of the delivery log; empty until the notifier has heard of the round
    (it learns of it from the published matches, a moment after publishing)."""
    try:
        log = await c.deliveries(round_id, PAGE_SIZE, max(0, offset))
    except PageNotFound:
        await c.round(round_id)  # a round the matcher does not know is still a 404
        log = {"items": [], "total": 0, "limit": PAGE_SIZE, "offset": 0, "counts": {}}
    return log, Pager(log["total"], log["limit"], log["offset"])


@dataclass(frozen=True, slots=True)
class Seating:
    round: dict[str, Any]
    cards: list[proposal.TableCard]
    names: dict[str, str]
    sites: dict[str, str]


async def seating(c: Coordination, round_id: str) -> Seating:
    """Every table of every rotation, with names fetched 500 ids per call (at once): for
    the CSV export and the whole plan to print, not for the paged screen."""
    found = await c.round(round_id)
    if found["kind"] != "rotations" or found["state"] not in ("proposed", "published"):
        return Seating(found, [], {}, {})
    cards = proposal.table_cards(await c.all_matches(round_id))
    people = await c.names_by_id({m for card in cards for m in card.members})
    return Seating(found, cards,
                   {i: str(p.get("display_name") or i) for i, p in people.items()},
                   {i: str(p.get("site") or "") for i, p in people.items()})  # fmt: skip


@dataclass(frozen=True, slots=True)
class SeatingPage:
    """One page of a seating plan: :data:`PAGE_SIZE` tables, of one rotation or all."""

    round: dict[str, Any]
    cards: list[proposal.TableCard]
    names: dict[str, str]
    sites: dict[str, str]
    pager: Pager
    rotations: int
    rotation: int | None

    @property
    def query(self) -> str:
        """The page's filter as a query string, for the paging links."""
        return f"rotation={self.rotation}" if self.rotation else ""


async def seating_page(c: Coordination, round_id: str, rotation: int | None,
                       offset: int) -> SeatingPage:  # fmt: skip
    """A page of tables (of ``rotation``, 1-based, or of all) with the names of the
    people on it only. A rotation the round does not have, or a page past the last
    table, is a :class:`PageNotFound`."""
    wanted = None if rotation is None else rotation - 1
    found, page = await asyncio.gather(
        c.round(round_id), c.tables(round_id, wanted, PAGE_SIZE, max(0, offset))
    )
    rotations = int((found.get("parameters") or {}).get("rounds") or 0)
    if found["kind"] != "rotations":
        rotations = 0
    if rotation is not None and not 1 <= rotation <= rotations:
        raise PageNotFound()
    if offset > 0 and offset >= page["total"]:
        raise PageNotFound()
    cards = [proposal.TableCard(t["seminar_round"] + 1, t["table"] + 1, tuple(t["members"]))
             for t in page["items"]]  # fmt: skip
    people = await c.names_by_id({m for card in cards for m in card.members})
    return SeatingPage(found, cards,
                       {i: str(p.get("display_name") or i) for i, p in people.items()},
                       {i: str(p.get("site") or "") for i, p in people.items()},
                       Pager(page["total"], page["limit"], page["offset"]),
                       rotations, rotation)  # fmt: skip


def seating_csv(plan: Seating, header: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(header)
    writer.writerows(proposal.seating_rows(plan.cards, plan.names, plan.sites))
    return ("\ufeff" + out.getvalue()).encode()
