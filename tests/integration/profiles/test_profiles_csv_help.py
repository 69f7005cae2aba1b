"""A CSV import that helps: defaults for blank cells, every error, template and columns.

Issue 10, item 3.
"""

from __future__ import annotations

import csv
import io

import pytest

from services.profiles.main import create_app
from tests.integration.profiles.profiles_support import unique
from tests.support import bearer, running

pytestmark = pytest.mark.nats


def csv_file(text: str) -> dict[str, tuple[str, bytes, str]]:
    return {"file": ("export-rh.csv", text.encode(), "text/csv")}


async def test_blank_optional_cells_take_the_json_apis_defaults(make_settings) -> None:
    settings = make_settings()
    hr = bearer(settings, "hr-1", "coordinator")
    tag = unique("t")
    text = (
        "email;display_name;site;preferred_language;languages;notification_channels;themes\n"
        f"a.{tag}@ex.fr;Anne A;Lyon;;;;Outils numériques|budget\n"
    )
    async with running(create_app(settings)) as client:
        r = await client.post("/members/import", files=csv_file(text), headers=hr)
        stored = (await client.get("/members/export", headers=hr)).json()
    assert r.status_code == 200, r.text
    anne = next(m for m in stored if m["email"] == f"a.{tag}@ex.fr")
    assert anne["preferred_language"] == "fr" and anne["languages"] == ["fr"]
    assert anne["notification_channels"] == ["email", "inapp"]
    assert anne["themes"] == ["outils_numeriques", "budget"]


async def test_the_report_lists_every_error_of_every_row_with_value_expectation_and_closest(
    make_settings,
) -> None:
    settings = make_settings()
    hr = {**bearer(settings, "hr-1", "coordinator"), "Accept-Language": "en"}
    tag = unique("t")
    text = (
        "email;display_name;site;languages;skills;themes;mentor;start_date\n"
        f"a.{tag}@ex.fr;Anne A;Lyon;francais;Gestion du stres:2;relation clients;peut-être;"
        "31/02/2020\n"
        f"b.{tag}@ex.fr;Bruno B;Lille;fr;gestion_agenda:9;budgte;oui;\n"
    )
    async with running(create_app(settings)) as client:
        r = await client.post("/members/import", files=csv_file(text), headers=hr)
    assert r.status_code == 422
    errors = r.json()["report"]["errors"]
    by_cell = {(e["row"], e["field"]): e for e in errors}
    assert {
        (2, "languages"),
        (2, "skills"),
        (2, "themes"),
        (2, "mentor"),
        (2, "start_date"),
    } <= set(by_cell)
    assert {(3, "skills"), (3, "themes")} <= set(by_cell)
    theme = by_cell[(2, "themes")]
    assert theme["value"] == "relation clients" and theme["closest"][0] == "relation_client"
    assert theme["message"].startswith("theme “relation clients” is not in the catalogue")
    assert by_cell[(2, "skills")]["closest"][0] == "gestion_stress"
    assert by_cell[(2, "start_date")]["value"] == "31/02/2020"
    assert by_cell[(2, "start_date")]["expected"].startswith("expected: ")
    assert by_cell[(3, "themes")]["closest"] == ["budget"]


async def test_the_api_serves_the_template_and_the_documentation_of_every_column(
    make_settings,
) -> None:
    settings = make_settings()
    hr = bearer(settings, "hr-1", "coordinator")
    async with running(create_app(settings)) as client:
        template = await client.get("/members/import/template", headers=hr)
        columns = await client.get(
            "/members/import/columns", headers={**hr, "Accept-Language": "en"}
        )
        tried = await client.post(
            "/members/import", files={"file": ("t.csv", template.content)}, headers=hr
        )
        member = await client.get("/members/import/columns", headers=bearer(settings, "someone"))
    assert template.status_code == 200
    assert template.headers["content-type"].startswith("text/csv")
    header, example = list(csv.reader(io.StringIO(template.text), delimiter=";"))
    assert "email" in header and len(example) == len(header)
    assert tried.status_code == 200, tried.text  # the example row imports as it is
    docs = {c["name"]: c for c in columns.json()}
    assert {"email", "skills", "themes", "external_id", "manager", "manager_name", "team"} <= set(
        docs
    )
    assert docs["email"]["required"] is True and docs["email"]["owner"] == "hr"
    assert docs["themes"]["owner"] == "member"
    assert docs["themes"]["description"] == "Themes of interest (code, label or alias)."
    assert member.status_code == 403
