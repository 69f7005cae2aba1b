"""Issue 10 items 5, 7 and 8 (profiles side): who owns which field, erasure that
reaches every route and lets someone register again, what members type cannot hurt
anyone. Over the real app, database and nats-server.
"""

from __future__ import annotations

import asyncio
import csv
import io
from pathlib import Path
from typing import Any

import pytest

from services.matcher.adapters.unit_of_work import UnitOfWork
from services.matcher.main import MIGRATIONS as MATCHER_MIGRATIONS
from services.matcher.service_layer.projection import apply_member_events, read_member
from services.profiles.main import create_app
from shared.db import make_engine
from shared.events import member_event_adapter
from shared.migrations import upgrade
from tests.integration.profiles.profiles_support import member_events, member_payload, unique
from tests.support import bearer, operator_url, running

pytestmark = pytest.mark.nats


def answer(response: Any) -> tuple[int, dict[str, Any]]:
    """Status and problem document, without what differs per request."""
    body = {k: v for k, v in response.json().items() if k != "instance"}
    return response.status_code, body


async def test_a_member_changing_hr_owned_fields_gets_403_naming_each_and_nothing_is_written(
    make_settings,
) -> None:
    settings = make_settings()
    hr = bearer(settings, "hr-1", "coordinator")
    async with running(create_app(settings)) as client:
        member = (await client.post("/members", json=member_payload(), headers=hr)).json()
        own = bearer(settings, member["id"])
        sent = {"site": "Paris", "email": "moi@ex.fr", "manager": "x", "skills": {}}
        refused = await client.patch("/me", json=sent, headers=own)
        by_id = await client.patch(
            f"/members/{member['id']}", json={"start_date": "2001-01-01"}, headers=own
        )
        after = (await client.get(f"/members/{member['id']}", headers=hr)).json()
        mine = await client.patch("/me", json={"opt_ins": {"mentor_capacity": 3}}, headers=own)
        by_hr = await client.patch(f"/members/{member['id']}", json={"site": "Nice"}, headers=hr)
        events = await member_events(operator_url(settings), {member["id"]}, 3)
    assert refused.status_code == 403
    assert [e["field"] for e in refused.json()["errors"]] == ["email", "manager", "site"]
    assert "email, manager, site" in refused.json()["detail"]
    assert by_id.status_code == 403 and by_id.json()["errors"][0]["field"] == "start_date"
    assert after == member  # nothing written, not even the member-owned "skills"
    assert mine.status_code == 200 and by_hr.json()["site"] == "Nice"
    assert [(e["type"], e["version"]) for e in events] == [
        ("member.registered", 1),
        ("member.profile_updated", 2),  # the capacity: no event from the refused changes
        ("member.profile_updated", 3),
    ]


async def test_a_members_errors_never_tell_whether_another_members_id_or_email_exists(
    make_settings,
) -> None:
    settings = make_settings()
    hr = bearer(settings, "hr-1", "coordinator")
    async with running(create_app(settings)) as client:
        other = (await client.post("/members", json=member_payload(), headers=hr)).json()
        already = bearer(settings, unique("s"))
        await client.post("/me", json=member_payload(), headers=already)
        taken_email = await client.post(
            "/me", json=member_payload(email=other["email"]), headers=bearer(settings, unique("s"))
        )
        taken_id = await client.post("/me", json=member_payload(), headers=already)
        me = bearer(settings, unique("s"))
        known = await client.post("/me", json=member_payload(manager=other["id"]), headers=me)
        unknown = await client.post("/me", json=member_payload(manager="nobody"), headers=me)
        await client.post("/me", json=member_payload(), headers=me)
        patch_known = await client.patch("/me", json={"manager": other["email"]}, headers=me)
        patch_unknown = await client.patch("/me", json={"manager": "no@ex.fr"}, headers=me)
    assert answer(taken_email) == answer(taken_id)
    assert taken_email.status_code == 409 and other["email"] not in taken_email.text
    assert answer(known) == answer(unknown) and known.status_code == 403
    assert answer(patch_known) == answer(patch_unknown) and patch_known.status_code == 403


async def test_an_erased_members_old_token_is_refused_on_every_profiles_route(
    make_settings,
) -> None:
    settings = make_settings()
    member_id = unique("gone")
    old = bearer(settings, member_id)
    hr = bearer(settings, "hr-1", "coordinator")
    async with running(create_app(settings)) as client:
        await client.post("/me", json=member_payload(), headers=old)
        assert (await client.delete("/me", headers=old)).status_code == 204
        answers = [
            await client.get("/me", headers=old),
            await client.patch("/me", json={"themes": []}, headers=old),
            await client.get("/me/export", headers=old),
            await client.post("/me", json=member_payload(), headers=old),
            await client.delete("/me", headers=old),
            await client.get(f"/members/{member_id}", headers=old),
            await client.get("/skills", headers=old),
        ]
        coordinator = await client.get("/members", headers=hr)
    assert {(r.status_code, r.json()["code"]) for r in answers} == {(401, "account_erased")}
    assert coordinator.status_code == 200


async def test_someone_who_registers_again_is_in_the_matchers_projection_at_once(
    make_settings, tmp_path: Path
) -> None:
    settings = make_settings()
    member_id = unique("back")
    async with running(create_app(settings)) as client:
        first = bearer(settings, member_id)
        await client.post("/me", json=member_payload(), headers=first)
        await client.patch("/me", json={"themes": ["budget"]}, headers=first)
        await client.delete("/me", headers=first)
        await asyncio.sleep(1.1)  # a token of a later second than the erasure
        again = await client.post("/me", json=member_payload(), headers=bearer(settings, member_id))
        payloads = await member_events(operator_url(settings), {member_id}, 4)
    assert again.status_code == 201, again.text
    assert [(e["type"], e["version"]) for e in payloads] == [
        ("member.registered", 1),
        ("member.profile_updated", 2),
        ("member.erased", 3),
        ("member.registered", 4),
    ]
    engine = make_engine(f"sqlite:///{tmp_path / 'matcher.db'}")
    upgrade(engine, MATCHER_MIGRATIONS)
    uow = UnitOfWork(engine)
    for payload in payloads:  # one by one, as the matcher's consumer receives them
        event = {k: v for k, v in payload.items() if not k.startswith("_")}
        apply_member_events(uow, [member_event_adapter.validate_python(event)])
    projected = read_member(uow, member_id)
    engine.dispose()
    assert projected is not None and projected.version == 4


async def test_an_unsafe_chat_webhook_is_refused_when_stored(make_settings) -> None:
    settings = make_settings()
    hr = bearer(settings, "hr-1", "coordinator")
    chat: dict[str, Any] = {"notification_channels": ["chat"]}
    async with running(create_app(settings)) as client:
        loopback = await client.post(
            "/members",
            json=member_payload(**chat, chat_webhook_url="https://127.0.0.1:8443/x"),
            headers=hr,
        )
        member = (await client.post("/members", json=member_payload(), headers=hr)).json()
        patched = await client.patch(
            "/me",
            json={**chat, "chat_webhook_url": "https://169.254.169.254/latest"},
            headers=bearer(settings, member["id"]),
        )
        content = "email;display_name;site;notification_channels;chat_webhook_url\n"
        content += f"{unique('w')}@ex.fr;Wen W;Lyon;chat;https://10.0.0.7/hook\n"
        imported = await client.post(
            "/members/import", files={"file": ("m.csv", content.encode())}, headers=hr
        )
    limited = make_settings(webhook_allowed_hosts=".slack.com")
    async with running(create_app(limited)) as client:
        other_host = await client.post(
            "/members",
            json=member_payload(**chat, chat_webhook_url="https://evil.example.com/x"),
            headers=bearer(limited, "hr-1", "coordinator"),
        )
    assert (loopback.status_code, loopback.json()["errors"][0]["code"]) == (
        422,
        "webhook_private_address",
    )
    assert patched.json()["errors"][0]["code"] == "webhook_private_address"
    assert imported.status_code == 422
    assert imported.json()["report"]["errors"][0]["code"] == "webhook_private_address"
    assert other_host.status_code == 422
    assert other_host.json()["errors"][0]["code"] == "webhook_host_not_allowed"


async def test_in_test_settings_a_local_https_webhook_is_accepted(make_settings) -> None:
    settings = make_settings(webhook_allow_private_addresses=True)
    hr = bearer(settings, "hr-1", "coordinator")
    body = member_payload(
        notification_channels=["chat"], chat_webhook_url="https://127.0.0.1:8443/x"
    )
    async with running(create_app(settings)) as client:
        r = await client.post("/members", json=body, headers=hr)
    assert r.status_code == 201, r.text


async def test_the_csv_export_neutralises_formula_cells(make_settings) -> None:
    settings = make_settings()
    hr = bearer(settings, "hr-1", "coordinator")
    site = unique("=HYPERLINK")
    body = member_payload(display_name="@SUM(A1:A9)", site=site, department="-2+3")
    async with running(create_app(settings)) as client:
        await client.post("/members", json=body, headers=hr)
        exported = await client.get("/members/export?format=csv", headers=hr)
    row = next(r for r in csv.DictReader(io.StringIO(exported.text)) if r["site"].endswith(site))
    assert (row["display_name"], row["site"], row["department"]) == (
        "'@SUM(A1:A9)",
        f"'{site}",
        "'-2+3",
    )


async def test_the_organisation_and_the_sign_in_lookup_answer_hr_and_services_only(
    make_settings,
) -> None:
    settings = make_settings()
    hr = bearer(settings, "hr-1", "coordinator")
    portal = bearer(settings, "portal", "service")
    key = unique("E")
    org = f"key,name,email,manager,team\n{key}-CEO,Camille D,,,DG\n{key}-DIR,Dom R,,{key}-CEO,FIN\n"
    async with running(create_app(settings)) as client:
        imported = await client.post(
            "/organisation/import", files={"file": ("org.csv", org.encode())}, headers=hr
        )
        body = member_payload(external_id=key, manager=f"{key}-DIR", team="FIN")
        member = (await client.post("/members", json=body, headers=hr)).json()
        managers = await client.get("/organisation/managers?limit=500", headers=hr)
        teams = await client.get("/organisation/teams", headers=hr)
        found = await client.get(f"/members/lookup?external_id={key}", headers=portal)
        by_email = await client.get(f"/members/lookup?email={member['email']}", headers=hr)
        missing = await client.get(f"/members/lookup?external_id={key}-X", headers=portal)
        both = await client.get(f"/members/lookup?external_id={key}&email=a@b.fr", headers=hr)
        as_member = await client.get(
            f"/members/lookup?external_id={key}", headers=bearer(settings, member["id"])
        )
        listed = await client.get(f"/members?external_id={key}", headers=hr)
        refused = await client.get("/organisation/managers", headers=bearer(settings, "m1"))
    assert imported.status_code == 200 and imported.json()["managers_created"] == 2
    assert member["management_line"] == [f"mgr:{key}-DIR", f"mgr:{key}-CEO"]
    assert {m["key"] for m in managers.json()["items"]} >= {f"{key}-CEO", f"{key}-DIR"}
    assert {"DG", "FIN"} <= {t["code"] for t in teams.json()}
    assert found.json()["id"] == member["id"] == by_email.json()["id"]
    assert (missing.status_code, both.status_code, as_member.status_code) == (404, 400, 403)
    assert [m["id"] for m in listed.json()["items"]] == [member["id"]]
    assert refused.status_code == 403


@pytest.mark.parametrize("path", ["/members/by-id", "/members/contacts"])
async def test_services_read_several_profiles_by_id_at_once_and_members_cannot(
    make_settings, path: str
) -> None:
    settings = make_settings()
    hr = bearer(settings, "hr-1", "coordinator")
    notifier = bearer(settings, "notifier", "service")
    async with running(create_app(settings)) as client:
        made = [
            (await client.post("/members", json=member_payload(), headers=hr)).json()
            for _ in range(3)
        ]
        ids = [m["id"] for m in made]
        params = [("id", i) for i in [*ids, "nobody"]]
        found = await client.get(path, params=params, headers=notifier)
        as_member = await client.get(path, params=params, headers=bearer(settings, ids[0]))
        none = await client.get(path, headers=notifier)
    assert found.status_code == 200, found.text
    assert {m["id"]: m["email"] for m in found.json()["items"]} == {
        m["id"]: m["email"] for m in made
    }
    assert as_member.status_code == 403 and none.status_code == 422
    if path == "/members/contacts":  # what a message needs, nothing more
        assert set(found.json()["items"][0]) == {
            "id", "display_name", "email", "preferred_language", "notification_channels",
            "chat_webhook_url", "paused_until",
        }  # fmt: skip
