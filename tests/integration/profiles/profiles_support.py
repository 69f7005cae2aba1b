"""Helpers for the profiles integration tests: payloads, tokens, reading the stream."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import uuid
from types import ModuleType
from typing import Any

import nats
from nats.js.api import ConsumerConfig, DeliverPolicy

from services.profiles.domain.starter_catalogue import STARTER_THEMES
from services.profiles.main import MIGRATIONS
from shared import subjects

#: The only fields a member event may carry (no name, e-mail or free text): written out
#: by hand on purpose, so that a new field in the contract has to be allowed here.
ALLOWED_PROFILE_KEYS = {
    "site",
    "department",
    "function",
    "manager_id",
    "team",
    "management_line",
    "start_date",
    "languages",
    "skills",
    "skills_wanted",
    "themes",
    "availability",
    "opt_ins",
    "paused_until",
    "left_on",  # HR deactivation: the day the member left the company (a date only)
}
ALLOWED_EVENT_KEYS = {
    "event_id",
    "type",
    "schema_version",
    "occurred_at",
    "producer",
    "member_id",
    "version",
    "profile",
}


#: Codes of the starter themes, for tests that need many distinct valid themes.
THEMES = [code for code, _fr, _en in STARTER_THEMES]
#: Distinct valid values of ``themes`` (pairs: none is ``member_payload``'s one theme).
THEME_LISTS = [[THEMES[0], t] for t in THEMES[1:]] + [[THEMES[1], t] for t in THEMES[2:]]


def unique(prefix: str = "m") -> str:
    return f"{prefix}{uuid.uuid4().hex[:10]}"


def member_payload(**overrides: Any) -> dict[str, Any]:
    """A valid POST /members body with a unique e-mail."""
    body: dict[str, Any] = {
        "display_name": "Léa Martin",
        "email": f"{unique('lea.')}@example.com",
        "site": "Lyon Part-Dieu",
        "department": "Direction financière",
        "function": "assistante de direction",
        "start_date": "2019-09-02",
        "languages": ["fr", "en"],
        "skills": {"organisation_deplacements": 3, "gestion_stress": 2},
        "skills_wanted": ["gestion_projet"],
        "themes": ["outils_numeriques"],
        "availability": {"frequency": "monthly", "mode": "remote"},
        "opt_ins": {"mentor": True, "mentor_capacity": 2, "groups": True},
    }
    body.update(overrides)
    return body


async def member_events(
    url: str, member_ids: set[str], expected: int, timeout: float = 15.0
) -> list[dict[str, Any]]:
    """Member events about ``member_ids`` in stream order, once ``expected`` have arrived.

    Reads the members stream from its first message with an ephemeral consumer, so it
    sees duplicates too (the stream's own de-duplication is what is under test).
    """
    nc = await nats.connect(url)
    try:
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            found = await _read_all(nc, member_ids)
            if len(found) >= expected or asyncio.get_running_loop().time() > deadline:
                return found
            await asyncio.sleep(0.2)
    finally:
        await nc.close()


async def _read_all(nc: Any, member_ids: set[str]) -> list[dict[str, Any]]:
    js = nc.jetstream()
    sub = await js.pull_subscribe(
        subjects.MEMBERS_ALL,
        stream=subjects.STREAM_MEMBERS,
        config=ConsumerConfig(deliver_policy=DeliverPolicy.ALL, inactive_threshold=10.0),
    )
    found: list[dict[str, Any]] = []
    try:
        while True:
            try:
                batch = await sub.fetch(2000, timeout=0.5)
            except (TimeoutError, nats.errors.TimeoutError):
                break
            for msg in batch:
                try:  # other tests of the session publish poison here (not JSON, {})
                    payload = json.loads(msg.data)
                except ValueError:
                    continue
                if isinstance(payload, dict) and payload.get("member_id") in member_ids:
                    payload["_msg_id"] = (msg.headers or {}).get("Nats-Msg-Id")
                    found.append(payload)
            if not batch:
                break
    finally:
        await sub.unsubscribe()
    return found


def baseline() -> ModuleType:
    """The Alembic baseline revision of profiles (its frozen legacy steps, ``LEGACY_STEPS``)."""
    path = MIGRATIONS / "versions" / "0001_baseline.py"
    spec = importlib.util.spec_from_file_location("profiles_baseline", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
