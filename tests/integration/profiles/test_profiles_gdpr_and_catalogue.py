"""/me routes, GDPR export and erasure, and the skills catalogue, over real parts."""

from __future__ import annotations

import pytest

from services.profiles.main import create_app
from tests.integration.profiles.profiles_support import member_events, member_payload, unique
from tests.support import bearer, operator_url, running

pytestmark = pytest.mark.nats


async def test_a_member_creates_reads_edits_exports_and_erases_their_own_profile(
    make_settings,
) -> None:
    settings = make_settings()
    member_id = unique("self")
    me = bearer(settings, member_id)
    async with running(create_app(settings)) as client:
        assert (await client.get("/me", headers=me)).status_code == 404
        created = await client.post("/me", json=member_payload(), headers=me)
        again = await client.post("/me", json=member_payload(), headers=me)
        edited = await client.patch(
            "/me", json={"themes": ["budget", "Outils numériques"]}, headers=me
        )
        export = await client.get("/me/export", headers=me)
        erased = await client.delete("/me", headers=me)
        gone = await client.get("/me", headers=me)
        events = await member_events(operator_url(settings), {member_id}, 3)
    assert created.status_code == 201 and created.json()["id"] == member_id
    assert again.status_code == 409
    assert edited.json()["themes"] == ["budget", "outils_numeriques"]
    dump = export.json()
    assert dump["member"]["email"] == created.json()["email"]
    assert {s["code"] for s in dump["skills"]} == {
        "organisation_deplacements",
        "gestion_stress",
        "gestion_projet",
    }
    assert [e["payload"]["type"] for e in dump["events"]] == [
        "member.registered",
        "member.profile_updated",
    ]
    assert erased.status_code == 204
    assert (gone.status_code, gone.json()["code"]) == (401, "account_erased")  # old token
    assert [(e["type"], e["version"]) for e in events] == [
        ("member.registered", 1),
        ("member.profile_updated", 2),
        ("member.erased", 3),
    ]


async def test_erasure_by_a_coordinator_deletes_the_row_and_frees_the_reports(
    make_settings,
) -> None:
    settings = make_settings()
    hr = bearer(settings, "hr-1", "coordinator")
    async with running(create_app(settings)) as client:
        boss = (await client.post("/members", json=member_payload(), headers=hr)).json()
        report = (
            await client.post("/members", json=member_payload(manager_id=boss["id"]), headers=hr)
        ).json()
        unknown_manager = await client.post(
            "/members", json=member_payload(manager_id="nobody"), headers=hr
        )
        erased = await client.delete(f"/members/{boss['id']}", headers=hr)
        twice = await client.delete(f"/members/{boss['id']}", headers=hr)
        report_after = (await client.get(f"/members/{report['id']}", headers=hr)).json()
        export = await client.get("/members/export?format=json", headers=hr)
        events = await member_events(operator_url(settings), {boss["id"], report["id"]}, 4)
    assert unknown_manager.status_code == 422 and "manager_id" in unknown_manager.text
    assert erased.status_code == 204 and twice.status_code == 404
    assert report_after["manager_id"] is None and report_after["version"] == 2
    assert boss["id"] not in {m["id"] for m in export.json()}
    assert boss["email"] not in export.text
    assert [(e["member_id"] == boss["id"], e["type"], e["version"]) for e in events] == [
        (True, "member.registered", 1),
        (False, "member.registered", 1),
        (False, "member.profile_updated", 2),
        (True, "member.erased", 2),
    ]


async def test_hr_manages_the_catalogue_and_a_skill_in_use_cannot_be_deleted(
    make_settings,
) -> None:
    settings = make_settings()
    hr = bearer(settings, "hr-1", "coordinator")
    member = bearer(settings, "someone")
    async with running(create_app(settings)) as client:
        starter_page = (await client.get("/skills?limit=500", headers=member)).json()
        first = (await client.get("/skills?limit=5&offset=0", headers=member)).json()
        created = await client.post(
            "/skills",
            json={"kind": "savoir_faire", "label": "Gestion des salles de réunion"},
            headers=hr,
        )
        duplicate = await client.post(
            "/skills",
            json={"kind": "savoir_faire", "label": "Gestion des salles de réunion"},
            headers=hr,
        )
        renamed = await client.patch(
            "/skills/gestion_des_salles_de_reunion", json={"label_en": "Meeting rooms"}, headers=hr
        )
        used = await client.post(
            "/members",
            json=member_payload(skills={"gestion_des_salles_de_reunion": 2}),
            headers=hr,
        )
        in_use = await client.delete("/skills/gestion_des_salles_de_reunion", headers=hr)
        unused = await client.delete("/skills/achats_fournisseurs", headers=hr)
        missing = await client.get("/skills/achats_fournisseurs", headers=hr)
    starter = starter_page["items"]
    assert len(starter) == starter_page["total"] >= 20
    assert first["items"] == starter[:5] and first["total"] == starter_page["total"]
    assert {s["kind"] for s in starter} == {"savoir_faire", "savoir_etre"}
    assert created.status_code == 201 and created.json()["code"] == "gestion_des_salles_de_reunion"
    assert duplicate.status_code == 409
    assert renamed.json()["label_en"] == "Meeting rooms"
    assert used.status_code == 201
    assert in_use.status_code == 409 and "1 membre" in in_use.json()["detail"]
    assert in_use.json()["code"] == "skill_in_use"
    assert duplicate.json()["code"] == "skill_already_exists"
    assert missing.json()["code"] == "skill_not_found"
    assert unused.status_code == 204 and missing.status_code == 404
