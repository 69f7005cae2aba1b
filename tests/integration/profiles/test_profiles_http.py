"""The profiles HTTP API over a real SQLite file and a real nats-server."""

from __future__ import annotations

import pytest

from services.profiles.main import create_app
from tests.integration.profiles.profiles_support import (
    ALLOWED_EVENT_KEYS,
    ALLOWED_PROFILE_KEYS,
    member_events,
    member_payload,
)
from tests.support import bearer, operator_url, running

pytestmark = pytest.mark.nats


async def test_a_coordinator_registers_a_member_and_the_event_reaches_the_stream(
    make_settings,
) -> None:
    settings = make_settings()
    hr = bearer(settings, "hr-1", "coordinator")
    body = member_payload()
    async with running(create_app(settings)) as client:
        r = await client.post("/members", json=body, headers=hr)
        assert r.status_code == 201, r.text
        member = r.json()
        assert member["version"] == 1
        assert member["notification_channels"] == ["email", "inapp"]
        assert member["preferred_language"] == "fr"
        mine = await client.get(f"/members/{member['id']}", headers=bearer(settings, member["id"]))
        assert mine.status_code == 200 and mine.json()["email"] == body["email"]
        events = await member_events(operator_url(settings), {member["id"]}, 1)
    assert [e["type"] for e in events] == ["member.registered"]
    event = events[0]
    assert set(event) - {"_msg_id", "profile"} <= ALLOWED_EVENT_KEYS
    assert set(event["profile"]) <= ALLOWED_PROFILE_KEYS
    assert event["_msg_id"] == event["event_id"]
    text = str(event)
    assert body["email"] not in text and body["display_name"] not in text


async def test_an_unknown_skill_is_refused_with_the_closest_catalogue_entries(
    make_settings,
) -> None:
    settings = make_settings()
    hr = bearer(settings, "hr-1", "coordinator")
    body = member_payload(skills={"organisation_deplacement": 3})
    async with running(create_app(settings)) as client:
        r = await client.post("/members", json=body, headers=hr)
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "invalid_profile"
    [problem] = r.json()["errors"]
    assert (problem["field"], problem["location"]) == ("skills", "body")
    assert problem["code"] == "unknown_skill"
    assert "organisation_deplacements" in problem["message"]
    assert "absente du catalogue" in problem["message"]


@pytest.mark.parametrize("field", ["id", "version", "roles", "created_at", "is_coordinator"])
async def test_identity_and_role_fields_cannot_be_set_through_the_body(
    make_settings, field: str
) -> None:
    settings = make_settings()
    hr = bearer(settings, "hr-1", "coordinator")
    async with running(create_app(settings)) as client:
        created = await client.post("/members", json=member_payload(), headers=hr)
        member_id = created.json()["id"]
        own = bearer(settings, member_id)
        value = ["coordinator"] if field == "roles" else "x"
        post = await client.post("/members", json=member_payload(**{field: value}), headers=hr)
        patch = await client.patch(f"/members/{member_id}", json={field: value}, headers=own)
        me = await client.patch("/me", json={field: value}, headers=own)
        after = await client.get("/me", headers=own)
    for r in (post, patch, me):
        assert r.status_code == 422, r.text
        [error] = r.json()["errors"]
        assert (error["field"], error["code"]) == (field, "validation.extra_forbidden")
        assert "inconnu" in error["message"]
    assert after.json() == created.json()


async def test_a_matching_change_bumps_the_version_and_a_contact_change_does_not(
    make_settings,
) -> None:
    settings = make_settings()
    hr = bearer(settings, "hr-1", "coordinator")
    async with running(create_app(settings)) as client:
        member = (await client.post("/members", json=member_payload(), headers=hr)).json()
        own = bearer(settings, member["id"])
        r1 = await client.patch("/me", json={"skills": {"gestion_agenda": 4}}, headers=own)
        await client.patch("/me", json={"display_name": "Léa M."}, headers=own)
        r2 = await client.patch(  # the e-mail is HR's to change
            f"/members/{member['id']}", json={"email": "lm@ex.org"}, headers=hr
        )
        r3 = await client.patch("/me", json={"opt_ins": {"mentee": True}}, headers=own)
        events = await member_events(operator_url(settings), {member["id"]}, 3)
    assert r1.json()["version"] == 2 and r1.json()["skills"] == {"gestion_agenda": 4}
    assert r2.json()["version"] == 2 and r2.json()["email"] == "lm@ex.org"
    assert r3.json()["version"] == 3
    assert r3.json()["opt_ins"]["mentor"] is True  # nested objects are merged, not replaced
    assert [(e["type"], e["version"]) for e in events] == [
        ("member.registered", 1),
        ("member.profile_updated", 2),
        ("member.profile_updated", 3),
    ]
    assert events[2]["profile"]["opt_ins"]["mentee"] is True


async def test_a_mentor_needs_a_capacity_between_one_and_five(make_settings) -> None:
    settings = make_settings()
    hr = bearer(settings, "hr-1", "coordinator")
    async with running(create_app(settings)) as client:
        zero = await client.post(
            "/members", json=member_payload(opt_ins={"mentor": True}), headers=hr
        )
        six = await client.post(
            "/members",
            json=member_payload(opt_ins={"mentor": True, "mentor_capacity": 6}),
            headers=hr,
        )
    assert zero.status_code == 422 and "entre 1 et 5" in zero.text
    assert six.status_code == 422 and "au plus 5" in six.text


async def test_member_a_cannot_reach_member_b_on_any_object_route(make_settings) -> None:
    settings = make_settings()
    hr = bearer(settings, "hr-1", "coordinator")
    async with running(create_app(settings)) as client:
        a = (await client.post("/members", json=member_payload(), headers=hr)).json()
        b = (await client.post("/members", json=member_payload(), headers=hr)).json()
        token_a = bearer(settings, a["id"])
        calls = [
            ("GET", f"/members/{b['id']}", None),
            ("PATCH", f"/members/{b['id']}", {"site": "Paris"}),
            ("PATCH", f"/members/{b['id']}", {"email": "pirate@example.com"}),
            ("DELETE", f"/members/{b['id']}", None),
            ("GET", f"/members/{b['id']}/export", None),
            ("GET", "/members", None),
            ("GET", "/members/export", None),
            ("GET", f"/members?site={b['site']}", None),
            ("POST", "/members", member_payload()),
            ("POST", "/skills", {"kind": "savoir_etre", "label": "Piratage"}),
            ("PATCH", "/skills/gestion_stress", {"label": "x"}),
            ("DELETE", "/skills/gestion_agenda", None),
        ]
        statuses = []
        for method, url, body in calls:
            r = await client.request(method, url, json=body, headers=token_a)
            statuses.append((method, url, r.status_code))
        b_after = await client.get(f"/members/{b['id']}", headers=hr)
        import_ = await client.post(
            "/members/import",
            files={"file": ("x.csv", b"email,site\nz@x.fr,Paris\n")},
            headers=token_a,
        )
    successes = [s for s in statuses if s[2] < 400]
    assert successes == []
    assert all(s[2] in (403, 404) for s in statuses), statuses
    assert import_.status_code == 403
    assert b_after.json() == b


async def test_the_notifier_reads_contact_preferences_with_a_service_token(make_settings) -> None:
    settings = make_settings(webhook_allow_private_addresses=True)  # no DNS here: https only
    hr = bearer(settings, "hr-1", "coordinator")
    svc = bearer(settings, "notifier", "service")
    body = member_payload(
        preferred_language="en",
        notification_channels=["chat", "email"],
        chat_webhook_url="https://hooks.example.com/T1/abc",
        paused_until="2030-01-01",
    )
    async with running(create_app(settings)) as client:
        member = (await client.post("/members", json=body, headers=hr)).json()
        read = await client.get(f"/members/{member['id']}", headers=svc)
        write = await client.patch(f"/members/{member['id']}", json={"site": "X"}, headers=svc)
        no_hook = await client.patch(
            f"/members/{member['id']}", json={"chat_webhook_url": None}, headers=hr
        )
    got = read.json()
    assert read.status_code == 200
    assert {
        k: got[k]
        for k in (
            "display_name",
            "email",
            "preferred_language",
            "notification_channels",
            "chat_webhook_url",
            "paused_until",
        )
    } == {
        "display_name": "Léa Martin",
        "email": body["email"],
        "preferred_language": "en",
        "notification_channels": ["chat", "email"],
        "chat_webhook_url": "https://hooks.example.com/T1/abc",
        "paused_until": "2030-01-01",
    }
    assert write.status_code == 404
    assert no_hook.status_code == 422 and "chat_webhook_url" in no_hook.text


async def test_the_list_filters_by_site_function_opt_in_and_skill_and_pages(make_settings) -> None:
    settings = make_settings()
    hr = bearer(settings, "hr-1", "coordinator")
    site = "Site-filtre-unique"
    async with running(create_app(settings)) as client:
        for i in range(5):
            body = member_payload(
                site=site,
                function="office manager" if i % 2 else "assistante",
                skills={"gestion_agenda": i % 5},
                opt_ins={"mentee": i < 2},
            )
            assert (await client.post("/members", json=body, headers=hr)).status_code == 201
        await client.post("/members", json=member_payload(site="Ailleurs"), headers=hr)

        async def ids(query: str) -> tuple[int, int]:
            r = await client.get(f"/members?site={site}&{query}", headers=hr)
            assert r.status_code == 200, r.text
            return r.json()["total"], len(r.json()["items"])

        assert await ids("") == (5, 5)
        assert await ids("function=assistante") == (3, 3)
        assert await ids("opt_in=mentee") == (2, 2)
        assert await ids("skill=gestion_agenda&min_level=3") == (2, 2)
        assert await ids("skill=gestion_stress") == (0, 0)
        assert await ids("limit=2&offset=4") == (5, 1)
        page = await client.get(f"/members?site={site}&limit=2&offset=2", headers=hr)
        bad = await client.get("/members?opt_in=everyone", headers=hr)
    assert {k: page.json()[k] for k in ("total", "limit", "offset")} == {
        "total": 5,
        "limit": 2,
        "offset": 2,
    }
    assert bad.status_code == 422
    assert [(e["field"], e["location"]) for e in bad.json()["errors"]] == [("opt_in", "query")]


async def test_the_list_filters_newcomers_by_arrival_date_and_members_by_ids(
    make_settings,
) -> None:
    settings = make_settings()
    hr = bearer(settings, "hr-1", "coordinator")
    site = "Site-arrivees"
    async with running(create_app(settings)) as client:
        made = []
        for start in ("2020-01-15", "2026-10-01", "2026-11-20", None):
            body = member_payload(site=site, start_date=start)
            made.append((await client.post("/members", json=body, headers=hr)).json()["id"])

        async def ids(query: str) -> list[str]:
            r = await client.get(f"/members?site={site}&{query}", headers=hr)
            assert r.status_code == 200, r.text
            return [m["id"] for m in r.json()["items"]]

        assert await ids("arrived_since=2026-09-01") == made[1:3]
        assert await ids("arrived_since=2026-11-20") == made[2:3]
        assert await ids(f"id={made[0]}&id={made[3]}&id=unknown") == [made[0], made[3]]
        bad = await client.get("/members?arrived_since=hier", headers=hr)
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["arrived_since"]


async def test_names_are_the_listed_members_as_id_name_and_site_only(make_settings) -> None:
    settings = make_settings()
    hr = bearer(settings, "hr-1", "coordinator")
    async with running(create_app(settings)) as client:
        made = []
        for name in ("Léa Martin", "Noé Durand", "Inès Petit"):
            body = member_payload(display_name=name, site="Site-noms")
            made.append((await client.post("/members", json=body, headers=hr)).json()["id"])
        query = f"/members/names?id={made[2]}&id={made[0]}&id=unknown"
        names = await client.get(query, headers=hr)
        listed = await client.get(query.replace("/names", ""), headers=hr)
        member = bearer(settings, made[0], "member")
        refused = await client.get("/members/names", headers=member)
    assert names.status_code == 200, names.text
    assert names.json()["items"] == [
        {"id": made[0], "display_name": "Léa Martin", "site": "Site-noms"},
        {"id": made[2], "display_name": "Inès Petit", "site": "Site-noms"},
    ]
    assert [m["id"] for m in listed.json()["items"]] == [made[0], made[2]]
    assert names.json()["total"] == 2 and refused.status_code == 403


async def test_a_body_over_the_size_limit_gets_413(make_settings) -> None:
    settings = make_settings(max_body_bytes=2000)
    hr = bearer(settings, "hr-1", "coordinator")
    async with running(create_app(settings)) as client:
        r = await client.post("/members", json=member_payload(display_name="x" * 5000), headers=hr)
    assert r.status_code == 413
    assert "trop volumineux" in r.json()["detail"]


async def test_requests_without_a_valid_token_get_401(make_settings) -> None:
    settings = make_settings()
    async with running(create_app(settings)) as client:
        none = await client.get("/skills")
        forged = await client.get("/me", headers={"Authorization": "Bearer abc.def.ghi"})
    assert none.status_code == 401 and forged.status_code == 401


async def test_a_missing_member_is_a_404_problem_in_english_when_asked(make_settings) -> None:
    settings = make_settings()
    hr = bearer(settings, "hr-1", "coordinator")
    async with running(create_app(settings)) as client:
        en = await client.get("/members/nobody", headers={**hr, "Accept-Language": "en"})
        fr = await client.get("/members/nobody", headers=hr)
    assert en.status_code == 404
    assert en.headers["content-type"] == "application/problem+json"
    assert en.json() == {
        "type": "urn:entraide:problem:member_not_found",
        "title": "Not found",
        "status": 404,
        "detail": "Member nobody not found.",
        "instance": "/members/nobody",
        "code": "member_not_found",
        "errors": [],
    }
    assert fr.json()["detail"] == "Membre nobody introuvable."


async def test_a_profile_breaking_several_rules_lists_each_field_with_its_code(
    make_settings,
) -> None:
    settings = make_settings()
    hr = bearer(settings, "hr-1", "coordinator")
    body = member_payload(
        skills={"organisation_deplacement": 3},
        skills_wanted=["zzzz"],
        opt_ins={"mentor": True, "mentor_capacity": 0},
        manager_id="nobody",
    )
    async with running(create_app(settings)) as client:
        r = await client.post("/members", json=body, headers={**hr, "Accept-Language": "en"})
    assert r.status_code == 422
    problem = r.json()
    assert problem["code"] == "invalid_profile" and problem["detail"].startswith(
        "The profile breaks 4 rules"
    )
    assert [(e["field"], e["code"]) for e in problem["errors"]] == [
        ("skills", "unknown_skill"),
        ("skills_wanted", "unknown_skill_no_match"),
        ("opt_ins.mentor_capacity", "mentor_capacity_range"),
        ("manager_id", "unknown_manager"),
    ]
    assert problem["errors"][2]["message"] == "a mentor takes between 1 and 5 mentees"


async def test_schema_errors_list_several_fields_with_codes(make_settings) -> None:
    settings = make_settings()
    hr = bearer(settings, "hr-1", "coordinator")
    body = {**member_payload(), "email": "not-an-email", "languages": []}
    del body["site"]
    async with running(create_app(settings)) as client:
        r = await client.post("/members", json=body, headers=hr)
    assert r.status_code == 422 and r.json()["code"] == "invalid_request"
    errors = {e["field"]: e["code"] for e in r.json()["errors"]}
    assert errors == {
        "email": "validation.string_pattern_mismatch",
        "site": "validation.missing",
        "languages": "validation.too_short",
    }


async def test_an_offset_out_of_bounds_is_a_422_naming_offset(make_settings) -> None:
    settings = make_settings()
    hr = bearer(settings, "hr-1", "coordinator")
    async with running(create_app(settings)) as client:
        r = await client.get("/members?offset=100000000000000000000", headers=hr)
        skills = await client.get("/skills?limit=0", headers=hr)
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert [(e["field"], e["location"]) for e in r.json()["errors"]] == [("offset", "query")]
    assert skills.status_code == 422
    assert [e["field"] for e in skills.json()["errors"]] == ["limit"]
