"""Helpers for tests: run an app in-process, mint tokens, poll until a condition holds."""

from __future__ import annotations

import ast
import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import nats
from fastapi import FastAPI

from deploy.local.nats_server import free_port
from shared.auth import mint_token
from shared.settings import Settings


def json_object(data: bytes) -> dict[str, Any] | None:
    """A stored message's body as a JSON object, or None for anything else.

    The session broker is shared: other tests publish poison on the same subjects (not
    JSON, ``{}``, a list), and a reader that replays a stream must step over them.
    """
    try:
        body = json.loads(data)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


@asynccontextmanager
async def running(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """Run ``app``'s lifespan and give an HTTP client that talks to it in-process."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


def local_stack_settings(data_dir: Path, smtp_port: int) -> Settings:
    """Settings of a whole local stack on free ports, e-mail to an SMTP sink on ``smtp_port``."""
    return Settings(
        env="test",
        data_dir=data_dir,
        nats_port=free_port(),
        nats_http_port=0,
        profiles_port=free_port(),
        matcher_port=free_port(),
        notifier_port=free_port(),
        portal_port=free_port(),
        smtp_url=f"mailto://127.0.0.1:{smtp_port}?mode=insecure",
    )


def operator_url(settings: Settings) -> str:
    """The broker URL with the operator's credentials (for tests that read or write
    the streams directly, as an operator's tool does)."""
    password = settings.nats_password("operator")
    host = settings.broker_url.split("://", 1)[1]
    return f"nats://operator:{password}@{host}" if password else settings.broker_url


class OperatorJetStream:
    """JetStream publishing as the operator: a test standing in for another service
    (a service's own user may publish only its own events)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def publish(self, subject: str, payload: bytes = b"", **kwargs: object) -> object:
        nc = await nats.connect(operator_url(self.settings))
        try:
            return await nc.jetstream().publish(subject, payload, **kwargs)  # type: ignore[arg-type]
        finally:
            await nc.close()


def operator_jetstream(client: httpx.AsyncClient) -> OperatorJetStream:
    """:class:`OperatorJetStream` on the broker of the app ``client`` talks to."""
    return OperatorJetStream(client._transport.app.state.settings)  # type: ignore[attr-defined]


def bearer(settings: Settings, subject: str, *roles: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(settings, subject, roles or ('member',))}"}


async def eventually(
    check: Callable[[], object], timeout: float = 10.0, interval: float = 0.05
) -> object:
    """Poll an async or sync ``check`` until it returns a truthy value."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        await asyncio.sleep(interval)


#: One sample of a scrape: (metric sample name, frozenset of (label, value)).
SampleKey = tuple[str, frozenset[tuple[str, str]]]


def parse_metrics(text: str) -> dict[SampleKey, float]:
    """Every sample of a Prometheus text exposition, parsed by prometheus-client."""
    from prometheus_client.parser import text_string_to_metric_families

    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def scrape(client: httpx.AsyncClient) -> dict[SampleKey, float]:
    """``GET /metrics`` of the app ``client`` talks to, parsed."""
    r = await client.get("/metrics")
    assert r.status_code == 200, r.text
    return parse_metrics(r.text)


def sample(samples: dict[SampleKey, float], name: str, **labels: str) -> float:
    """The value of one sample (0 when absent), e.g.
    ``sample(s, "entraide_rounds", kind="groups", state="proposed")``."""
    return samples.get((name, frozenset(labels.items())), 0.0)


def imported_modules(path: Path) -> set[str]:
    """Every module a source file imports (``from a import b`` counts ``a`` and ``a.b``)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def imports_under(path: Path, roots: tuple[str, ...]) -> list[str]:
    """The modules ``path`` imports that are one of ``roots`` or inside one."""
    return sorted(
        m for m in imported_modules(path) if any(m == r or m.startswith(r + ".") for r in roots)
    )
