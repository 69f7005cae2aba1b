"""« Mes mises en relation » from the ``match_members`` index, on a real database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from services.matcher.adapters.orm import rounds
from services.matcher.adapters.unit_of_work import UnitOfWork
from services.matcher.domain.kinds.base import Proposal, ProposedMatch
from services.matcher.main import MIGRATIONS
from shared.db import make_engine
from shared.migrations import upgrade
from shared.pagination import PageRequest

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def a_round(round_id: str, state: str, kind: str, minutes: int) -> dict[str, Any]:
    at = NOW + timedelta(minutes=minutes)
    return {
        "id": round_id, "client_request_id": f"req-{round_id}", "kind": kind, "name": round_id,
        "state": state, "progress": 1.0, "step": "published", "scope": {}, "parameters": {},
        "requested_by": "hr", "report": {}, "adjustments": [], "lease_until": None,
        "error": None, "created_at": at, "updated_at": at,
    }  # fmt: skip


def stored(db_url: str) -> UnitOfWork:
    """Three rounds: two published (mentoring, then groups), one still proposed."""
    engine = make_engine(db_url)
    upgrade(engine, MIGRATIONS)
    uow = UnitOfWork(engine)
    with uow.begin() as store:
        store.rounds.conn.execute(rounds.insert(), [
            a_round("r-old", "published", "mentoring", 0),
            a_round("r-new", "published", "groups", 10),
            a_round("r-draft", "proposed", "mentoring", 20),
        ])  # fmt: skip
        for round_id, kind, matches in [
            ("r-old", "mentoring", [("o1", ("a", "b")), ("o2", ("c", "d"))]),
            ("r-new", "groups", [("n1", ("a", "c", "e")), ("n2", ("b", "d", "f"))]),
            ("r-draft", "mentoring", [("d1", ("a", "f"))]),
        ]:
            proposal = Proposal([ProposedMatch(ms, {}, False, i) for i, ms in matches], {})
            store.rounds.replace_proposal(SimpleNamespace(id=round_id, kind=kind), proposal)
    return uow


def mine(uow: UnitOfWork, member_id: str, limit: int = 50, offset: int = 0) -> Any:
    with uow.begin() as store:
        found, total = store.rounds.member_matches(member_id, PageRequest(limit, offset))
    return [m.id for m in found], total


def test_a_member_sees_their_published_matches_only_oldest_round_first(db_url: str) -> None:
    uow = stored(db_url)
    assert mine(uow, "a") == (["o1", "n1"], 2)  # d1 is only proposed
    assert mine(uow, "f") == (["n2"], 1)
    assert mine(uow, "nobody") == ([], 0)
    assert mine(uow, "a", limit=1, offset=1) == (["n1"], 2)
    uow.engine.dispose()


def test_a_proposal_stored_again_replaces_who_is_in_which_match(db_url: str) -> None:
    uow = stored(db_url)
    with uow.begin() as store:
        proposal = Proposal([ProposedMatch(("b", "c"), {}, False, "o3")], {})
        store.rounds.replace_proposal(SimpleNamespace(id="r-old", kind="mentoring"), proposal)
    assert mine(uow, "a") == (["n1"], 1)
    assert mine(uow, "c") == (["o3", "n1"], 2)
    uow.engine.dispose()


def test_an_erased_member_is_in_no_match_and_the_others_keep_theirs(db_url: str) -> None:
    uow = stored(db_url)
    with uow.begin() as store:
        store.rounds.forget_member("a")
    assert mine(uow, "a") == ([], 0)
    assert mine(uow, "b") == (["o1", "n2"], 2)
    assert mine(uow, "e") == (["n1"], 1)
    uow.engine.dispose()
