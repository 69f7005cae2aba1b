"""Fixture for the matcher round tests: a matcher app over the real broker, with members."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from services.matcher.main import create_app as matcher_app
from shared.events import MemberRegistered
from shared.settings import Settings
from tests.matcher_support import community, publish_all, wait_projected
from tests.support import bearer, running


@dataclass
class MatcherEnv:
    client: httpx.AsyncClient
    app: FastAPI
    settings: Settings
    hr: dict[str, str]
    tag: str
    people: list[MemberRegistered]


Build = Callable[[str], list[MemberRegistered]]


@pytest.fixture
def matcher_env(make_settings: Any, nats_server: Any) -> Callable[..., Any]:
    """``async with matcher_env(n, seed=...)`` or ``matcher_env(build=lambda tag: [...])``:
    a running matcher whose projection already holds the published members."""

    @asynccontextmanager
    async def start(
        n: int = 0, seed: int = 1, build: Build | None = None
    ) -> AsyncIterator[MatcherEnv]:
        settings = make_settings()
        tag = uuid.uuid4().hex[:6]
        people = build(tag) if build else community(n, tag, seed=seed)
        hr = bearer(settings, "hr", "coordinator")
        app = matcher_app(settings)
        async with running(app) as client:
            await publish_all(nats_server.url, people)
            await wait_projected(client, hr, len(people), [p.member_id for p in people])
            yield MatcherEnv(client, app, settings, hr, tag, people)

    return start
