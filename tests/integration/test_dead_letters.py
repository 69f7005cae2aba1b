"""Poison messages are dead-lettered with their reason; the consumer keeps going."""

from __future__ import annotations

import json

import nats
import pytest

from services.matcher.main import create_app as matcher_app
from shared import subjects
from shared.events import MatchingProfile, MemberRegistered
from tests.support import bearer, eventually, running

pytestmark = pytest.mark.nats


POISONS = [
    json.dumps({"type": "member.registered", "member_id": "poison-1", "version": "x"}).encode(),
    b"not json at all",  # once failed the whole batch: now dead-lettered alone
]


@pytest.mark.parametrize("poison", POISONS, ids=["breaks-contract", "not-json"])
async def test_an_invalid_member_event_is_dead_lettered_and_the_next_one_is_applied(
    make_settings, nats_server, poison: bytes
) -> None:
    settings = make_settings()
    nc = await nats.connect(nats_server.url)
    js = nc.jetstream()
    try:
        async with running(matcher_app(settings)) as matcher:
            dead = await js.subscribe(subjects.dead_letter_subject("matcher"))
            await js.publish(subjects.MEMBER_REGISTERED, poison)
            good = MemberRegistered(
                producer="test",
                member_id="after-poison-1",
                version=1,
                profile=MatchingProfile(site="Nantes"),
            )
            await js.publish(good.subject, good.model_dump_json().encode())

            async def parked() -> object:
                try:
                    msg = await dead.next_msg(timeout=0.5)
                except TimeoutError:
                    return None
                return msg if msg.data == poison else None  # the original bytes

            msg = await eventually(parked)
            assert "invalid member event" in msg.headers["Entraide-Reason"]  # type: ignore[attr-defined]

            hr = bearer(settings, "hr", "coordinator")

            async def applied() -> bool:
                r = await matcher.get("/members/after-poison-1", headers=hr)
                return r.status_code == 200

            await eventually(applied)
    finally:
        await nc.close()


async def test_a_batch_that_keeps_failing_is_dead_lettered_message_by_message(
    make_settings, nats_server, monkeypatch: pytest.MonkeyPatch
) -> None:
    from services.matcher import handlers
    from shared import broker

    def broken_store(*_: object) -> None:
        raise RuntimeError("the store keeps failing")

    monkeypatch.setattr(broker, "MAX_DELIVERIES", 1)  # give up at the first failure
    monkeypatch.setattr(handlers, "apply_batch", broken_store)
    settings = make_settings()
    nc = await nats.connect(nats_server.url)
    js = nc.jetstream()
    try:
        async with running(matcher_app(settings)):
            dead = await js.subscribe(subjects.dead_letter_subject("matcher"))
            sent = set()
            for i in range(2):
                event = MemberRegistered(
                    producer="test",
                    member_id=f"unstorable-{i}",
                    version=1,
                    profile=MatchingProfile(site="Nantes"),
                )
                sent.add(event.model_dump_json().encode())
                await js.publish(event.subject, event.model_dump_json().encode())
            parked: dict[bytes, dict[str, str]] = {}

            async def both() -> bool:
                try:
                    msg = await dead.next_msg(timeout=0.5)
                except TimeoutError:
                    return False
                if msg.data in sent:  # (the stream also holds earlier tests' dead letters)
                    parked[msg.data] = msg.headers or {}
                return set(parked) == sent

            await eventually(both)  # each message alone, with its own subject
            for headers in parked.values():
                assert headers["Entraide-Original-Subject"] == subjects.MEMBER_REGISTERED
                assert "gave up after 1 deliveries" in headers["Entraide-Reason"]
    finally:
        await nc.close()
