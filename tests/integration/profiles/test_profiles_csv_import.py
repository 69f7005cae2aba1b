"""CSV import (both modes, per-row report) and CSV/JSON export, over real parts."""

from __future__ import annotations

import csv
import io

import pytest

from services.profiles.main import create_app
from tests.integration.profiles.profiles_support import member_events, unique
from tests.support import bearer, operator_url, running

pytestmark = pytest.mark.nats

HEADER = (
    "email;display_name;site;function;manager_email;skills;skills_wanted;languages;"
    "mentor;mentor_capacity;mentee;start_date"
)


def csv_file(*rows: str) -> dict[str, tuple[str, bytes, str]]:
    return {"file": ("export-rh.csv", "\n".join([HEADER, *rows]).encode(), "text/csv")}


def rows_for(tag: str) -> list[str]:
    return [
        f"chef.{tag}@ex.fr;Claire Chef;Paris;assistante de direction;;gestion_agenda:4;;fr|en;"
        "oui;2;non;2015-01-05",
        f"a.{tag}@ex.fr;Anne A;Lyon;assistante;chef.{tag}@ex.fr;gestion_stress:1;"
        "gestion_agenda;fr;non;0;oui;05/03/2021",
        f"b.{tag}@ex.fr;Bruno B;Lille;office manager;;;;fr;;;x;",
    ]


async def test_all_or_nothing_stores_nothing_and_reports_every_bad_row(make_settings) -> None:
    settings = make_settings()
    hr = bearer(settings, "hr-1", "coordinator")
    tag = unique("t")
    good = rows_for(tag)
    bad = [
        f"c.{tag}@ex.fr;Chloé C;Nantes;assistante;;organisation_deplacement:3;;fr;non;0;non;",
        f"d.{tag}@ex.fr;;Nantes;assistante;inconnu@ex.fr;;;fr;oui;9;peut-être;31/02/2020",
        f"a.{tag}@ex.fr;Anne bis;Lyon;assistante;;;;fr;non;0;non;",
    ]
    async with running(create_app(settings)) as client:
        r = await client.post("/members/import", files=csv_file(*good, *bad), headers=hr)
        listing = await client.get("/members?site=Lille", headers=hr)
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "import_refused"
    report = r.json()["report"]
    assert report["committed"] is False and report["created"] == 0
    assert {(e["field"], e["code"]) for e in r.json()["errors"]} >= {
        ("file.5.skills", "unknown_skill"),
        ("file.6.mentee", "validation.bool_parsing"),
    }
    assert report["rows"] == 6 and report["rejected"] == 3
    problems = {(e["row"], e["field"]) for e in report["errors"]}
    assert (5, "skills") in problems
    assert {
        (6, "mentee"),
        (6, "start_date"),
        (6, "display_name"),
        (6, "mentor_capacity"),
        (6, "manager_email"),
    } <= problems  # every problem of a row, once per column
    assert (7, "email") in problems
    skill = next(e for e in report["errors"] if e["field"] == "skills")
    assert skill["code"] == "unknown_skill"
    assert "organisation_deplacements" in skill["message"]
    assert "absente du catalogue" in skill["message"]
    assert all(f"b.{tag}" not in m["email"] for m in listing.json()["items"])


async def test_keep_valid_stores_the_good_rows_and_links_managers_from_the_same_file(
    make_settings,
) -> None:
    settings = make_settings()
    hr = bearer(settings, "hr-1", "coordinator")
    tag = unique("t")
    rows = [
        *rows_for(tag),
        f"e.{tag}@ex.fr;Emma E;Nice;assistante;;;;fr;oui;0;non;",  # mentor without capacity
        f"f.{tag}@ex.fr;Fanny F;Nice;assistante;e.{tag}@ex.fr;;;fr;non;0;non;",  # orphan
    ]
    async with running(create_app(settings)) as client:
        r = await client.post("/members/import?mode=keep_valid", files=csv_file(*rows), headers=hr)
        exported = await client.get("/members/export?format=csv&site=Lyon", headers=hr)
        again = await client.post(
            "/members/import?mode=keep_valid", files=csv_file(*rows_for(tag)), headers=hr
        )
        moved = await client.post(
            "/members/import",
            files={"file": ("m.csv", f"email,site\nb.{tag}@ex.fr,Marseille\n".encode())},
            headers=hr,
        )
        everyone = (await client.get("/members/export", headers=hr)).json()
        mine = {m["email"]: m for m in everyone if m["email"].endswith(f"{tag}@ex.fr")}
        events = await member_events(operator_url(settings), {m["id"] for m in mine.values()}, 4)
    assert r.status_code == 200, r.text
    report = r.json()
    assert (report["created"], report["rejected"], report["committed"]) == (3, 2, True)
    assert {(e["row"], e["field"]) for e in report["errors"]} == {
        (5, "mentor_capacity"),
        (6, "manager_email"),
    }
    assert set(mine) == {f"chef.{tag}@ex.fr", f"a.{tag}@ex.fr", f"b.{tag}@ex.fr"}
    anne = mine[f"a.{tag}@ex.fr"]
    assert anne["manager_id"] == mine[f"chef.{tag}@ex.fr"]["id"]
    assert anne["start_date"] == "2021-03-05" and anne["opt_ins"]["mentee"] is True
    assert mine[f"b.{tag}@ex.fr"]["site"] == "Marseille"
    assert mine[f"b.{tag}@ex.fr"]["function"] == "office manager"  # column absent: kept
    assert (again.json()["created"], again.json()["unchanged"]) == (0, 3)
    assert moved.json()["updated"] == 1
    lines = list(csv.DictReader(io.StringIO(exported.text)))
    row = next(x for x in lines if x["email"] == f"a.{tag}@ex.fr")
    assert row["manager_email"] == f"chef.{tag}@ex.fr"
    assert row["skills"] == "gestion_stress:1" and row["mentee"] == "oui"
    events = await member_events(operator_url(settings), {m["id"] for m in mine.values()}, 4)
    assert (
        sorted(e["type"] for e in events) == ["member.profile_updated"] + ["member.registered"] * 3
    )


async def test_an_unknown_column_rejects_the_whole_file(make_settings) -> None:
    settings = make_settings()
    hr = bearer(settings, "hr-1", "coordinator")
    content = b"email,site,salaire\nx@ex.fr,Paris,1000\n"
    async with running(create_app(settings)) as client:
        r = await client.post(
            "/members/import?mode=keep_valid", files={"file": ("x.csv", content)}, headers=hr
        )
        garbage = await client.post("/members/import", files={"file": ("x.csv", b"")}, headers=hr)
        english = await client.post(
            "/members/import",
            files={"file": ("x.csv", content)},
            headers={**hr, "Accept-Language": "en"},
        )
    assert r.status_code == 422
    assert r.json()["report"]["errors"][0]["field"] == "salaire"
    assert r.json()["report"]["errors"][0]["row"] == 1
    assert r.json()["report"]["errors"][0]["code"] == "csv.unknown_column"
    assert r.json()["report"]["errors"][0]["message"].startswith("colonne inconnue")
    assert english.json()["report"]["errors"][0]["message"].startswith("unknown column")
    assert garbage.status_code == 422
    assert garbage.json()["code"] == "csv_empty"


async def test_an_export_reimports_to_the_same_profiles(make_settings) -> None:
    settings = make_settings()
    hr = bearer(settings, "hr-1", "coordinator")
    tag = unique("t")
    async with running(create_app(settings)) as client:
        await client.post("/members/import", files=csv_file(*rows_for(tag)), headers=hr)
        before = (await client.get("/members/export", headers=hr)).json()
        exported = await client.get("/members/export?format=csv", headers=hr)
        back = await client.post(
            "/members/import", files={"file": ("back.csv", exported.content)}, headers=hr
        )
        after = (await client.get("/members/export", headers=hr)).json()
    assert back.status_code == 200, back.text
    assert back.json()["unchanged"] == len(before) and back.json()["updated"] == 0
    assert after == before
