"""The whole stack (nats-server, the three services, the portal) with an SMTP sink,
started once for the portal's integration tests."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from deploy.local.nats_server import free_port
from deploy.local.smtp_sink import SmtpSink
from deploy.local.stack import Stack
from shared.auth import mint_token
from shared.settings import Settings

COORDINATOR = "rh.coordination@example.org"
#: A second coordinator, so that a module's tests stay within the per-address link limit.
SEMINARS_COORDINATOR = "rh.seminaires@example.org"
COORDINATORS = f"{COORDINATOR},{SEMINARS_COORDINATOR}"
#: One TLS context for every client the tests make: httpx otherwise builds one per client
#: and loads the CA bundle into it (56 ms of CPU each, measured; the six-month test made
#: hundreds of member clients, ~110 s of its 230 s at load 17). The stack is plain HTTP.
SHARED_TLS = ssl.create_default_context()


@dataclass
class PortalStack:
    stack: Stack
    settings: Settings
    sink: SmtpSink
    hr: httpx.Client

    def url(self, service: str) -> str:
        return self.stack.url(service)

    def portal(self) -> httpx.Client:
        return httpx.Client(base_url=self.url("portal"), timeout=30, verify=SHARED_TLS)

    def as_member(self, member_id: str) -> httpx.Client:
        token = mint_token(self.settings, member_id, ("member",))
        bearer = {"Authorization": f"Bearer {token}"}
        return httpx.Client(timeout=30, headers=bearer, verify=SHARED_TLS)


@pytest.fixture(scope="module")
def portal_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PortalStack]:
    data = tmp_path_factory.mktemp("portal-stack")
    with SmtpSink(port=free_port()) as sink, pytest.MonkeyPatch.context() as env:
        settings = Settings(
            env="test", data_dir=data, nats_port=free_port(), nats_http_port=0,
            profiles_port=free_port(), matcher_port=free_port(),
            notifier_port=free_port(), portal_port=free_port(),
            smtp_url=f"mailto://127.0.0.1:{sink.port}?mode=insecure",
            coordinator_emails=COORDINATORS,
        )  # fmt: skip
        env.setenv("ENTRAIDE_SMTP_URL", settings.smtp_url)
        env.setenv("ENTRAIDE_COORDINATOR_EMAILS", COORDINATORS)
        env.delenv("ENTRAIDE_NATS_URL", raising=False)
        stack = Stack(settings)
        token = mint_token(settings, "hr", ("coordinator",))
        hr = httpx.Client(timeout=30, headers={"Authorization": f"Bearer {token}"})
        try:
            stack.start(timeout=60)
            yield PortalStack(stack, settings, sink, hr)
        finally:
            hr.close()
            stack.stop()


def portal_db(settings: Settings) -> Path:
    return settings.data_dir.resolve() / "portal.db"
