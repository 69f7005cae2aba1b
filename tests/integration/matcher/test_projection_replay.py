"""Replaying the member stream from its first sequence rebuilds an identical projection."""

from __future__ import annotations

import random
import uuid

import nats
import pytest
from nats.js.api import DeliverPolicy
from sqlalchemy import select

from services.matcher.adapters.orm import members
from services.matcher.adapters.unit_of_work import UnitOfWork
from services.matcher.main import MIGRATIONS
from services.matcher.main import create_app as matcher_app
from services.matcher.service_layer.projection import apply_member_events
from shared import subjects
from shared.db import make_engine
from shared.events import (
    MatchingProfile,
    MemberErased,
    MemberEvent,
    MemberProfileUpdated,
    MemberRegistered,
    member_event_adapter,
)
from shared.migrations import upgrade
from tests.support import eventually, running

pytestmark = pytest.mark.nats


def history(tag: str, n_members: int = 30, n_events: int = 150) -> list[MemberEvent]:
    rng = random.Random(11)
    versions: dict[str, int] = {}
    events: list[MemberEvent] = []
    gone: set[str] = set()
    for _ in range(n_events):
        mid = f"{tag}-{rng.randrange(n_members)}"
        if mid in gone:
            continue
        v = versions.get(mid, 0) + 1
        versions[mid] = v
        profile = MatchingProfile(site=rng.choice(["Lyon", "Paris", "Lille"]))
        if v == 1:
            events.append(MemberRegistered(producer="t", member_id=mid, version=v, profile=profile))
        elif rng.random() < 0.1:
            events.append(MemberErased(producer="t", member_id=mid, version=v))
            gone.add(mid)
        else:
            events.append(
                MemberProfileUpdated(producer="t", member_id=mid, version=v, profile=profile)
            )
    return events


def dump(engine, tag: str) -> dict[str, tuple[int, dict]]:
    with engine.connect() as conn:
        rows = conn.execute(select(members)).all()
    return {r.id: (r.version, r.profile) for r in rows if r.id.startswith(tag)}


async def test_a_replay_from_the_first_sequence_yields_the_same_store(
    make_settings, nats_server, tmp_path
) -> None:
    settings = make_settings()
    tag = uuid.uuid4().hex[:8]
    events = history(tag)
    nc = await nats.connect(nats_server.url)
    js = nc.jetstream()
    try:
        async with running(matcher_app(settings)) as matcher:
            for e in events:
                await js.publish(e.subject, e.model_dump_json().encode())

            async def caught_up() -> bool:
                info = await js.consumer_info(subjects.STREAM_MEMBERS, "matcher-members")
                return info.num_pending == 0 and info.num_ack_pending == 0

            await eventually(caught_up, timeout=30)
            live = dump(matcher._transport.app.state.engine, tag)  # type: ignore[attr-defined]
        assert live

        replica = make_engine(f"sqlite:///{tmp_path / 'replay.db'}")
        upgrade(replica, MIGRATIONS)
        sub = await js.pull_subscribe(
            subjects.MEMBERS_ALL,
            stream=subjects.STREAM_MEMBERS,
            config=nats.js.api.ConsumerConfig(deliver_policy=DeliverPolicy.ALL),
        )
        info = await js.stream_info(subjects.STREAM_MEMBERS)
        replayed = 0
        while replayed < info.state.messages:
            batch = await sub.fetch(500, timeout=5)
            replayed += len(batch)
            parsed = []
            for msg in batch:
                try:
                    parsed.append(member_event_adapter.validate_json(msg.data))
                except ValueError:
                    continue  # other tests' poison messages
            apply_member_events(UnitOfWork(replica), parsed)
        assert dump(replica, tag) == live
    finally:
        await nc.close()
