"""A batch of raw bodies is validated at once, and one by one as soon as one is bad."""

from __future__ import annotations

from typing import Any

import pytest

from shared.broker import EventBatch
from shared.events import AnyMemberEvent, MemberErased

MEMBERS = EventBatch(AnyMemberEvent, "member")


def body(member_id: str, version: int = 1) -> bytes:
    event = MemberErased(producer="test", member_id=member_id, version=version)
    return event.model_dump_json().encode()


class FakeJetStream:
    def __init__(self) -> None:
        self.published: list[tuple[str, bytes, dict[str, str]]] = []

    async def publish(self, subject: str, data: bytes, headers: Any = None) -> None:
        self.published.append((subject, data, headers or {}))


def test_a_valid_batch_gives_one_event_per_body_in_order() -> None:
    events = MEMBERS.at_once([body("a"), body("b"), body("c")])
    assert events is not None and [e.member_id for e in events] == ["a", "b", "c"]


@pytest.mark.parametrize(
    "bad",
    [
        b"not json",
        b"",
        b'{"type": "member.erased"}',
        body("x") + b"," + body("y"),  # two events in one message: not one event per body
        b"[" + body("x") + b"]",
    ],
)
def test_a_batch_with_a_bad_body_is_not_validated_at_once(bad: bytes) -> None:
    assert MEMBERS.at_once([body("a"), bad, body("c")]) is None


async def test_only_the_bad_bodies_are_dead_lettered_the_others_are_kept_in_order() -> None:
    js = FakeJetStream()
    bad = body("x") + b"," + body("y")
    events = await MEMBERS.validate(js, "matcher", [body("a"), b"not json", bad, body("c")])  # type: ignore[arg-type]
    assert [e.member_id for e in events] == ["a", "c"]
    assert [data for _, data, _ in js.published] == [b"not json", bad]
    assert all(subject == "entraide.dlq.matcher" for subject, _, _ in js.published)
    assert all("invalid member event" in h["Entraide-Reason"] for _, _, h in js.published)


async def test_a_batch_is_validated_a_chunk_at_a_time_each_event_kept_before_the_next_chunk(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The events of a chunk are reduced (``keep``) before the next chunk is validated:
    the models of a batch are not all alive at once (issue 14: garbage-collector cost)."""
    members = EventBatch(AnyMemberEvent, "member", chunk=2)
    calls: list[str] = []
    at_once = members.at_once

    def logged(bodies: list[bytes]) -> Any:
        calls.append(f"validate {len(bodies)}")
        return at_once(bodies)

    def keep(event: Any) -> str:
        calls.append(f"keep {event.member_id}")
        return str(event.member_id)

    monkeypatch.setattr(members, "at_once", logged)
    kept = await members.validate(FakeJetStream(), "matcher", [body(m) for m in "abcde"], keep)  # type: ignore[arg-type]
    assert kept == ["a", "b", "c", "d", "e"]
    assert calls == [
        "validate 2", "keep a", "keep b",
        "validate 2", "keep c", "keep d",
        "validate 1", "keep e",
    ]  # fmt: skip


async def test_a_bad_body_is_dead_lettered_alone_and_only_its_chunk_is_validated_again() -> None:
    js = FakeJetStream()
    members = EventBatch(AnyMemberEvent, "member", chunk=2)
    bodies = [body("a"), body("b"), body("c"), b"not json", body("e")]
    kept = await members.validate(js, "matcher", bodies, lambda e: e.member_id)  # type: ignore[arg-type]
    assert kept == ["a", "b", "c", "e"]
    assert [data for _, data, _ in js.published] == [b"not json"]
