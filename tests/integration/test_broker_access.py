"""The broker is closed: no anonymous client, and each service only on its own subjects.

Runs against the session's real nats-server, which is configured exactly as the local
stack configures it (:class:`deploy.local.nats_server.NatsServer`).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import nats
import pytest
from nats.aio.client import Client
from nats.errors import Error as NatsError
from nats.errors import NoServersError
from nats.errors import TimeoutError as NatsTimeout
from nats.js.errors import NoStreamResponseError

from deploy.local.nats_server import NatsServer
from shared import subjects
from shared.nats_access import inbox_prefix

pytestmark = pytest.mark.nats

REFUSED = (NoServersError, NatsError, OSError)


@asynccontextmanager
async def connected_as(server: NatsServer, user: str) -> AsyncIterator[tuple[Client, list[str]]]:
    """A connection as ``user``, and the errors the server sent it (permission violations)."""
    errors: list[str] = []

    async def on_error(exc: Exception) -> None:
        errors.append(str(exc).lower())

    nc = await nats.connect(
        server.address,
        user=user,
        password=server.passwords[user],
        inbox_prefix=inbox_prefix(user),
        error_cb=on_error,
        allow_reconnect=False,
    )
    try:
        yield nc, errors
    finally:
        await nc.close()


async def stream_count(server: NatsServer, stream: str) -> int:
    nc = await nats.connect(server.url)
    try:
        return int((await nc.jetstream().stream_info(stream)).state.messages)
    finally:
        await nc.close()


async def refused(url: str, **options: object) -> str:
    errors: list[str] = []

    async def on_error(exc: Exception) -> None:
        errors.append(str(exc).lower())

    with pytest.raises(REFUSED):
        nc = await nats.connect(
            url, allow_reconnect=False, max_reconnect_attempts=0, connect_timeout=2,
            error_cb=on_error, **options,  # type: ignore[arg-type]
        )  # fmt: skip
        await nc.close()
    return " ".join(errors)


async def test_a_client_without_credentials_or_with_a_wrong_password_is_refused(
    nats_server: NatsServer,
) -> None:
    assert "authorization" in await refused(nats_server.address)
    assert "authorization" in await refused(nats_server.address, user="profiles", password="x")


async def test_the_profiles_user_cannot_forge_a_match_nor_read_or_erase_other_subjects(
    nats_server: NatsServer,
) -> None:
    async with nats_server_ready(nats_server):
        before = await stream_count(nats_server, subjects.STREAM_MATCHES)
        members_before = await stream_count(nats_server, subjects.STREAM_MEMBERS)
    async with connected_as(nats_server, "profiles") as (nc, errors):
        js = nc.jetstream()
        with pytest.raises((NatsTimeout, NoStreamResponseError, NatsError)):
            await js.publish(subjects.MATCH_GROUP, b"{}", timeout=1.0,
                             headers={"Nats-Msg-Id": uuid.uuid4().hex})  # fmt: skip
        with pytest.raises((NatsTimeout, NatsError)):  # erase the members' history
            await nc.request(f"$JS.API.STREAM.PURGE.{subjects.STREAM_MEMBERS}", b"", timeout=1.0)
        await nc.subscribe(subjects.MATCHES_ALL)  # read the matches: refused
        await nc.flush()
        await asyncio.sleep(0.2)
    joined = " | ".join(errors)
    assert f'permissions violation for publish to "{subjects.MATCH_GROUP}"' in joined
    assert "permissions violation for publish to \"$js.api.stream.purge" in joined
    assert f'permissions violation for subscription to "{subjects.MATCHES_ALL}"' in joined
    assert await stream_count(nats_server, subjects.STREAM_MATCHES) == before
    assert await stream_count(nats_server, subjects.STREAM_MEMBERS) == members_before


async def test_the_matcher_user_cannot_forge_a_member_but_the_profiles_user_can_register_one(
    nats_server: NatsServer,
) -> None:
    async with connected_as(nats_server, "matcher") as (nc, errors):
        with pytest.raises((NatsTimeout, NoStreamResponseError, NatsError)):
            await nc.jetstream().publish(subjects.MEMBER_REGISTERED, b"{}", timeout=1.0)
    assert any("permissions violation for publish" in e for e in errors)
    async with connected_as(nats_server, "profiles") as (nc, errors):
        ack = await nc.jetstream().publish(
            subjects.MEMBER_REGISTERED, b"{}", headers={"Nats-Msg-Id": uuid.uuid4().hex}
        )
    assert ack.stream == subjects.STREAM_MEMBERS and not errors


@asynccontextmanager
async def nats_server_ready(server: NatsServer) -> AsyncIterator[None]:
    """Make sure the streams exist (as a service's start would)."""
    from shared.broker import ensure_streams
    from shared.settings import Settings

    nc = await nats.connect(server.url)
    try:
        await ensure_streams(nc.jetstream(), Settings(env="test"))
        yield
    finally:
        await nc.close()
