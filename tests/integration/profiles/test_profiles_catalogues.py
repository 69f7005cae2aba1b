"""Catalogues HR can fill: themes like skills, aliases, near-duplicates, CSV (issue 10, item 4)."""

from __future__ import annotations

import pytest

from services.profiles.main import create_app
from tests.integration.profiles.profiles_support import member_payload
from tests.support import bearer, running

pytestmark = pytest.mark.nats


def csv_file(text: str) -> dict[str, tuple[str, bytes, str]]:
    return {"file": ("catalogue.csv", text.encode(), "text/csv")}


async def test_hr_manages_themes_like_skills_and_members_name_them_in_their_own_words(
    make_settings,
) -> None:
    settings = make_settings()
    hr = bearer(settings, "hr-1", "coordinator")
    member = bearer(settings, "someone")
    async with running(create_app(settings)) as client:
        listing = (await client.get("/themes?limit=500", headers=member)).json()
        created = await client.post(
            "/themes",
            json={"label": "Salles de réunion", "label_en": "Meeting rooms", "aliases": ["salles"]},
            headers=hr,
        )
        refused = await client.post(
            "/themes", json={"label": "Gestion des salles réunion"}, headers=hr
        )
        by_label = await client.post(
            "/members",
            json=member_payload(themes=["MEETING ROOMS", "Relation client"]),
            headers=hr,
        )
        unknown = await client.post(
            "/members", json=member_payload(themes=["relation clients"]), headers=hr
        )
        in_use = await client.delete("/themes/salles_de_reunion", headers=hr)
        renamed = await client.patch("/themes/rse", json={"aliases": ["CSR"]}, headers=hr)
        deleted = await client.delete("/themes/rse", headers=hr)
    codes = {t["code"] for t in listing["items"]}
    assert {"outils_numeriques", "budget", "relation_client", "intelligence_artificielle"} <= codes
    assert created.status_code == 201, created.text
    assert created.json()["code"] == "salles_de_reunion"
    assert refused.status_code == 201  # another name, not another spelling
    assert by_label.status_code == 201, by_label.text
    assert by_label.json()["themes"] == ["salles_de_reunion", "relation_client"]
    assert unknown.status_code == 422
    (error,) = unknown.json()["errors"]
    assert error["code"] == "unknown_theme" and "relation_client" in error["message"]
    assert in_use.status_code == 409 and in_use.json()["code"] == "theme_in_use"
    assert renamed.json()["aliases"] == ["CSR"]
    assert deleted.status_code == 204


async def test_a_near_duplicate_is_refused_naming_the_existing_entry_unless_forced(
    make_settings,
) -> None:
    settings = make_settings()
    hr = bearer(settings, "hr-1", "coordinator")
    async with running(create_app(settings)) as client:
        near = await client.post(
            "/skills",
            json={"code": "gestion_du_stress", "kind": "savoir_etre", "label": "Gestion du Stress"},
            headers={**hr, "Accept-Language": "en"},
        )
        theme = await client.post("/themes", json={"label": "Outils  numeriques"}, headers=hr)
        alias = await client.patch(
            "/themes/budget", json={"aliases": ["Relation-client"]}, headers=hr
        )
        forced = await client.post(
            "/skills?force=true",
            json={"code": "gestion_du_stress", "kind": "savoir_etre", "label": "Gestion du Stress"},
            headers=hr,
        )
    assert near.status_code == 409
    assert near.json()["code"] == "catalogue_near_duplicate"
    assert "“gestion_stress”" in near.json()["detail"]
    assert theme.status_code == 409 and "« outils_numeriques »" in theme.json()["detail"]
    assert alias.status_code == 409 and "relation_client" in alias.json()["detail"]
    assert forced.status_code == 201


async def test_a_catalogue_csv_creates_and_updates_in_bulk_or_reports_every_bad_row(
    make_settings,
) -> None:
    settings = make_settings()
    hr = bearer(settings, "hr-1", "coordinator")
    good = (
        "code;label;label_en;aliases;kind\n"
        "gestion_stress;Gestion du stress;Stress management;stress|zen;savoir_etre\n"
        ";Tableaux de bord;Dashboards;reporting|KPI;savoir_faire\n"
    )
    bad = (
        "code,label,label_en,aliases,kind\n"
        "gestion_du_stress,Gestion du  STRESS,,,savoir_etre\n"
        "Pas Un Code,Yoga,,,savoir_etre\n"
        ",Accueil physique,,,talent\n"
        ",Accueil physique,,,savoir_faire\n"
        ",Accueil physique,,,savoir_faire\n"
    )
    async with running(create_app(settings)) as client:
        refused = await client.post("/skills/import", files=csv_file(bad), headers=hr)
        after_refusal = await client.get("/skills/accueil_physique", headers=hr)
        stored = await client.post("/skills/import", files=csv_file(good), headers=hr)
        again = await client.post("/skills/import", files=csv_file(good), headers=hr)
        member = await client.post(
            "/members", json=member_payload(skills={"KPI": 3}, skills_wanted=["zen"]), headers=hr
        )
        themes = await client.post(
            "/themes/import",
            files=csv_file("code,label,label_en,aliases\nrse,RSE,CSR,développement durable\n"),
            headers=hr,
        )
    assert refused.status_code == 422, refused.text
    assert refused.json()["code"] == "import_refused"
    report = refused.json()["report"]
    assert report["committed"] is False
    assert [(e["row"], e["field"], e["value"], e["code"]) for e in report["errors"]] == [
        (2, "label", "Gestion du  STRESS", "csv.near_duplicate"),
        (3, "code", "Pas Un Code", "validation.string_pattern_mismatch"),
        (4, "kind", "talent", "validation.literal_error"),
        (6, "code", "", "csv.duplicate_entry"),
    ]
    assert "gestion_stress" in report["errors"][0]["message"]
    assert after_refusal.status_code == 404
    assert stored.status_code == 200, stored.text
    assert (stored.json()["created"], stored.json()["updated"]) == (1, 1)
    assert (again.json()["unchanged"], again.json()["updated"], again.json()["created"]) == (
        2,
        0,
        0,
    )
    assert member.status_code == 201, member.text
    assert member.json()["skills"] == {"tableaux_de_bord": 3}
    assert member.json()["skills_wanted"] == ["gestion_stress"]
    assert themes.status_code == 200 and themes.json()["updated"] == 1
