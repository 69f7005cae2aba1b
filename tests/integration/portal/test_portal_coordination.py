"""The coordinators' pages over the real stack: import, members, a groups round from
creation to the delivery log, a seminar's table cards, and members kept out."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import httpx
import pytest

from deploy.local.synthetic import community
from tests.integration.portal.conftest import COORDINATOR, SEMINARS_COORDINATOR, PortalStack
from tests.integration.portal.portal_support import csrf_of, sign_in, text_of, wait

pytestmark = [pytest.mark.nats, pytest.mark.e2e]
HEADER = "email;display_name;site;function;skills;languages;groups;start_date"


@pytest.fixture(scope="module")
def people(portal_stack: PortalStack) -> list[str]:
    """Sixty members, known to the matcher, most of them in groups or seminars."""
    ps = portal_stack
    skills = ps.hr.get(ps.url("profiles") + "/skills", params={"limit": 500}).json()["items"]
    made = [
        {k: v for k, v in p.items() if k != "manager_index"}
        for p in community(60, skill_codes=[s["code"] for s in skills], seed=5, tag="co")
    ]
    ids = [ps.hr.post(ps.url("profiles") + "/members", json=p).json()["id"] for p in made]
    wait(lambda: ps.hr.get(ps.url("matcher") + "/members/count").json()["members"] >= len(ids))
    return ids


@contextmanager
def coordinator(ps: PortalStack, email: str = COORDINATOR) -> Iterator[httpx.Client]:
    with ps.portal() as portal:
        assert sign_in(portal, ps.sink, email).status_code == 303
        yield portal


def upload(
    portal: httpx.Client, path: str, page: httpx.Response, content: str, **form: str
) -> httpx.Response:
    files = {"file": ("rh.csv", content.encode(), "text/csv")}
    return portal.post(path, data={"csrf_token": csrf_of(page), **form}, files=files)


def finished(portal: httpx.Client, round_id: str) -> httpx.Response:
    """The round's page once the computation is over (it refreshes itself until then)."""
    return wait(
        lambda: (
            (p := portal.get(f"/coordination/tours/{round_id}"))
            and 'http-equiv="refresh"' not in p.text
            and p
        )
    )


def test_a_coordinator_imports_a_csv_and_reads_the_bad_row_in_the_report(
    portal_stack: PortalStack,
) -> None:
    ps = portal_stack
    rows = [
        HEADER,
        "imp.a@example.org;Inès Import;Site-import;assistante;;fr;oui;2026-11-01",
        "imp.b@example.org;Basile Import;Site-import;assistante;;fr;non;2015-01-05",
        "imp.c@example.org;Coralie Import;Site-import;assistante;;fr;peut-être;31/02/2020",
    ]
    with coordinator(ps) as portal:
        page = portal.get("/coordination/import")
        assert page.status_code == 200
        assert "modele-membres.csv" in page.text and "<code>start_date</code>" in page.text
        assert portal.get("/coordination/import/modele-membres.csv").text.startswith("email")
        refused = upload(
            portal, "/coordination/import", page, "\n".join(rows), mode="all_or_nothing"
        )
        assert refused.status_code == 422
        assert "Rien n'a été enregistré" in text_of(refused)
        kept = upload(portal, "/coordination/import", page, "\n".join(rows), mode="keep_valid")
        assert kept.status_code == 200 and "Import enregistré" in text_of(kept)
        report = text_of(kept)
        bad_row = re.search(r"<tr><td>4</td><td><code>(\w+)</code></td><td>([^<]*)</td>", report)
        assert bad_row and bad_row.group(1) in ("groups", "start_date"), report
        listed = portal.get("/coordination/membres", params={"site": "Site-import"})
    assert "Inès Import" in listed.text and "Basile Import" in listed.text
    assert "Coralie Import" not in listed.text


def test_a_coordinator_lists_members_with_filters_and_pages_through_them(
    portal_stack: PortalStack, people: list[str]
) -> None:
    ps = portal_stack
    with coordinator(ps) as portal:
        first = portal.get("/coordination/membres")
        assert first.status_code == 200 and "Page suivante" in first.text
        assert len(re.findall(r'href="/coordination/membres/[^"]+"', first.text)) == 50
        second = portal.get("/coordination/membres", params={"offset": 50})
        assert "51 à" in text_of(second) and "Page précédente" in text_of(second)
        skills = ps.hr.get(ps.url("profiles") + "/skills", params={"limit": 500}).json()["items"]
        two = community(2, skill_codes=[s["code"] for s in skills], seed=9, tag="nf")
        arrived = {"Noémie Nouvelle": date.today() - timedelta(days=20),
                   "Octave Ancien": date(2015, 1, 5)}  # fmt: skip
        for (name, start), made in zip(arrived.items(), two, strict=True):
            body = {k: v for k, v in made.items() if k != "manager_index"}
            body |= {"display_name": name, "site": "Site-filtre", "start_date": str(start)}
            assert ps.hr.post(ps.url("profiles") + "/members", json=body).status_code == 201
        newcomers = portal.get(
            "/coordination/membres", params={"site": "Site-filtre", "newcomers": "on"}
        )
        assert "Noémie Nouvelle" in newcomers.text
        assert "Octave Ancien" not in newcomers.text, "arrived in 2015: not a newcomer"
        assert 'href="/coordination/membres?site=Site-filtre&amp;newcomers=on' not in first.text
        grouped = portal.get("/coordination/membres", params={"opt_in": "groups"})
        expected = ps.hr.get(
            ps.url("profiles") + "/members", params={"opt_in": "groups", "limit": 1}
        ).json()["total"]
        assert f"sur {expected}" in text_of(grouped)
        one = portal.get(f"/coordination/membres/{people[0]}")
        member = ps.hr.get(ps.url("profiles") + f"/members/{people[0]}").json()
        assert one.status_code == 200 and member["display_name"] in text_of(one)
        english = portal.get("/langue", params={"vers": "en", "retour": "/coordination/membres"})
        assert (
            english.status_code == 303 and "Next page" in portal.get("/coordination/membres").text
        )


def test_a_coordinator_runs_a_groups_round_swaps_publishes_and_reads_the_delivery_log(
    portal_stack: PortalStack, people: list[str]
) -> None:
    ps = portal_stack
    with coordinator(ps) as portal:
        form = portal.get("/coordination/tours/nouveau", params={"type": "groups"})
        assert form.status_code == 200 and 'name="min_size"' in form.text
        base = {
            "csrf_token": csrf_of(form),
            "kind": "groups",
            "name": "Groupes portail",
            "client_request_id": re.search(
                r'name="client_request_id" value="(\w+)"', form.text
            ).group(1),
        }
        bad = portal.post(
            "/coordination/tours/nouveau",
            data={**base, "min_size": "9", "target_size": "6", "max_size": "5"},
        )
        assert bad.status_code == 422 and "La demande a été refusée" in text_of(bad)
        created = portal.post(
            "/coordination/tours/nouveau",
            data={**base, "min_size": "4", "target_size": "5", "max_size": "6"},
        )
        assert created.status_code == 303, created.text
        round_id = created.headers["location"].rsplit("/", 1)[1]
        again = portal.post(
            "/coordination/tours/nouveau",
            data={**base, "min_size": "4", "target_size": "5", "max_size": "6"},
        )
        assert again.headers["location"].endswith(round_id), "the same form makes one round"
        first = portal.get(f"/coordination/tours/{round_id}")
        progress = 'http-equiv="refresh"' in first.text
        assert progress == ("<progress" in first.text)
        page = finished(portal, round_id)
        assert "Répartition au hasard" in text_of(page) and "Cohésion moyenne" in text_of(page)
        groups = ps.hr.get(
            ps.url("matcher") + f"/rounds/{round_id}/matches", params={"limit": 500}
        ).json()["items"]
        assert groups and groups[0]["explanation"] in text_of(page)
        name = ps.hr.get(ps.url("profiles") + f"/members/{groups[0]['members'][0]}").json()
        assert name["display_name"] in text_of(page)

        same = groups[0]["members"][:2]
        refused = portal.post(
            f"/coordination/tours/{round_id}/ajustements",
            data={
                "csrf_token": csrf_of(page),
                "action": "swap",
                "member_a": same[0],
                "member_b": same[1],
            },
        )
        reason = ps.hr.post(
            ps.url("matcher") + f"/rounds/{round_id}/adjustments",
            json={"adjustment": {"action": "swap", "member_a": same[0], "member_b": same[1]}},
        )
        assert refused.status_code == reason.status_code and refused.status_code in (409, 422)
        assert "La demande a été refusée" in text_of(refused)
        assert reason.json()["detail"] in text_of(refused)

        swapped = None
        for a in groups[0]["members"]:
            for b in groups[1]["members"]:
                answer = portal.post(
                    f"/coordination/tours/{round_id}/ajustements",
                    data={
                        "csrf_token": csrf_of(page),
                        "action": "swap",
                        "member_a": a,
                        "member_b": b,
                    },
                )
                if answer.status_code == 303:
                    swapped = (a, b)
                    break
                assert "La demande a été refusée" in text_of(answer)
            if swapped:
                break
        assert swapped, "no swap between the first two groups was allowed"
        after = portal.get(f"/coordination/tours/{round_id}", params={"done": "adjusted"})
        assert "Ajustement appliqué" in text_of(after)
        now = ps.hr.get(
            ps.url("matcher") + f"/rounds/{round_id}/matches", params={"limit": 500}
        ).json()["items"]
        holding = {m: g["id"] for g in now for m in g["members"]}
        assert holding[swapped[0]] != holding[swapped[1]]
        assert {holding[swapped[0]], holding[swapped[1]]} == {groups[0]["id"], groups[1]["id"]}
        assert holding[swapped[1]] == groups[0]["id"]

        confirm = portal.get(f"/coordination/tours/{round_id}/publier")
        assert "ce n'est pas réversible" in text_of(confirm)
        published = portal.post(
            f"/coordination/tours/{round_id}/publier", data={"csrf_token": csrf_of(confirm)}
        )
        assert published.status_code == 303
        assert "publié" in text_of(portal.get(published.headers["location"]))
        early = portal.get(f"/coordination/tours/{round_id}/envois")
        assert early.status_code == 200, "before the notifier heard of it: an empty log"
        log = wait(
            lambda: (
                (p := portal.get(f"/coordination/tours/{round_id}/envois"))
                and "Aucun envoi" not in p.text
                and p
            )
        )
        assert "Envois par état" in text_of(log)
        assert "<table>" in log.text and "Journal des envois" in text_of(log)


def test_a_seminar_rounds_table_cards_and_export_show_names(
    portal_stack: PortalStack, people: list[str]
) -> None:
    ps = portal_stack
    with coordinator(ps) as portal:
        form = portal.get("/coordination/tours/nouveau", params={"type": "rotations"})
        created = portal.post(
            "/coordination/tours/nouveau",
            data={
                "csrf_token": csrf_of(form),
                "kind": "rotations",
                "name": "Séminaire",
                "table_size": "5",
                "rounds": "2",
                "max_site_share": "0.6",
            },
        )
        assert created.status_code == 303, created.text
        round_id = created.headers["location"].rsplit("/", 1)[1]
        finished(portal, round_id)
        cards = portal.get(f"/coordination/tours/{round_id}/plan-de-table")
        assert cards.status_code == 200
        assert "Table 1" in cards.text and "Rotation 2" in cards.text
        assert "@media print" in portal.get("/static/portal.css").text
        seats = ps.hr.get(
            ps.url("matcher") + f"/rounds/{round_id}/matches", params={"limit": 500}
        ).json()["items"]
        attendee = ps.hr.get(ps.url("profiles") + f"/members/{seats[0]['members'][0]}").json()
        assert attendee["display_name"] in text_of(cards)
        export = portal.get(f"/coordination/tours/{round_id}/plan-de-table.csv")
    assert "attachment" in export.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Rotation", "Table", "Nom", "Site", "Identifiant"]
    assert len(rows) - 1 == 2 * len(seats)
    assert [attendee["display_name"], attendee["id"]] in [[r[2], r[4]] for r in rows]


def test_a_seating_plan_is_paged_by_table_and_by_rotation_and_the_whole_plan_prints(
    portal_stack: PortalStack, people: list[str]
) -> None:
    ps = portal_stack
    body = {"client_request_id": "co-pairs", "kind": "rotations", "name": "Binômes",
            "parameters": {"table_size": 2, "rounds": 4, "max_site_share": 1}}  # fmt: skip
    created = ps.hr.post(ps.url("matcher") + "/rounds", json=body)
    assert created.status_code in (200, 201), created.text
    round_id = created.json()["id"]
    tables = ps.url("matcher") + f"/rounds/{round_id}/tables"
    with coordinator(ps, SEMINARS_COORDINATOR) as portal:
        finished(portal, round_id)
        total = ps.hr.get(tables, params={"limit": 1}).json()["total"]
        assert total > 50, "the seminar needs more than one page of tables"
        base = f"/coordination/tours/{round_id}/plan-de-table"
        first = portal.get(base)
        assert first.text.count('class="table-card"') == 50
        assert f'href="{base}?offset=50" rel="next"' in first.text
        second = portal.get(base, params={"offset": 50})
        expected = ps.hr.get(tables, params={"offset": 50, "limit": 50}).json()["items"]
        headings = re.findall(r'<h3 id="t-(\d+)-(\d+)"', second.text)
        assert headings == [(str(t["seminar_round"] + 1), str(t["table"] + 1)) for t in expected]
        someone = ps.hr.get(ps.url("profiles") + f"/members/{expected[0]['members'][0]}").json()
        assert someone["display_name"] in text_of(second)
        third = portal.get(base, params={"rotation": 3})
        assert set(re.findall(r'<h3 id="t-(\d+)-', third.text)) == {"3"}
        assert 'aria-current="page">Rotation 3' in third.text
        assert portal.get(base, params={"offset": total}).status_code == 404
        assert portal.get(base, params={"rotation": 5}).status_code == 404
        whole = portal.get(base + "/tout")
        assert whole.status_code == 200 and whole.text.count('class="table-card"') == total
        export = portal.get(base + ".csv")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert len({(r[0], r[1]) for r in rows[1:]}) == total


def test_a_coordinator_marks_a_member_as_having_left_once_and_the_pages_say_so(
    portal_stack: PortalStack, people: list[str]
) -> None:
    ps = portal_stack
    mid = people[2]
    path = f"/coordination/membres/{mid}/depart"
    profile = ps.url("profiles") + f"/members/{mid}"
    with coordinator(ps, SEMINARS_COORDINATOR) as portal:  # 5 links per address
        before = portal.get(f"/coordination/membres/{mid}")
        assert f'href="{path}"' in before.text
        confirm = portal.get(path)
        assert confirm.status_code == 200 and 'data-state="present"' in confirm.text
        assert "réparées selon la règle de chaque tour" in text_of(confirm)
        assert f'name="left_on" value="{date.today().isoformat()}"' in confirm.text
        token = csrf_of(confirm)
        assert portal.post(path, data={"left_on": "2026-11-20"}).status_code == 403  # no CSRF
        bad = portal.post(path, data={"csrf_token": token, "left_on": "31/02/2026"})
        assert bad.status_code == 422 and "Date invalide" in text_of(bad)
        assert 'value="31/02/2026"' in bad.text  # what was typed stays in the form
        assert ps.hr.get(profile).json()["left_on"] is None
        done = portal.post(path, data={"csrf_token": token, "left_on": "2026-11-20"})
        assert done.status_code == 303 and done.headers["location"] == f"{path}?done=left"
        told = portal.get(done.headers["location"])
        assert 'data-outcome="left"' in told.text and 'data-state="left"' in told.text
        assert "parti·e le 2026-11-20" in text_of(told) and 'name="left_on"' not in told.text
        again = portal.post(path, data={"csrf_token": token, "left_on": "2026-11-25"})
        assert again.headers["location"] == f"{path}?done=already"
        already = portal.get(f"{path}?done=already")
        assert "déjà parti·e le 2026-11-20 : rien n'a changé" in text_of(already)
        member = ps.hr.get(profile).json()
        after = portal.get(f"/coordination/membres/{mid}")
        same = {"site": member["site"], "function": member["function"]}
        listing = portal.get("/coordination/membres", params=same)
        gone = portal.get("/coordination/membres", params=same | {"status": "left"})
        still = portal.get("/coordination/membres", params=same | {"status": "active"})
        unknown = portal.post("/coordination/membres/inconnu/depart", data={"csrf_token": token})
        portal.get("/langue", params={"vers": "en", "retour": path})
        english = portal.get(path, params={"done": "already"})
    assert member["left_on"] == "2026-11-20"
    assert "Parti·e de l'entreprise le" in text_of(after) and "2026-11-20" in after.text
    assert 'id="leave-link"' not in after.text  # read-only once gone
    assert "parti·e le 2026-11-20" in text_of(listing)
    assert member["display_name"] in text_of(gone) and 'value="left" selected' in gone.text
    assert "status=left" in gone.text or "Page suivante" not in gone.text  # paging keeps it
    assert member["display_name"] not in text_of(still)
    counts = {s: ps.hr.get(ps.url("profiles") + "/members",
                           params={"limit": 1} | ({"status": s} if s else {})).json()["total"]
              for s in ("active", "left", "")}  # fmt: skip
    assert counts["left"] >= 1 and counts["active"] + counts["left"] == counts[""]
    assert ps.hr.get(ps.url("profiles") + "/members", params={"status": "gone"}).status_code == 422
    assert unknown.status_code == 404
    assert "had already left on 2026-11-20: nothing changed" in text_of(english)


def test_a_member_gets_a_403_page_on_every_coordinator_page(
    portal_stack: PortalStack, people: list[str]
) -> None:
    ps = portal_stack
    member = ps.hr.get(ps.url("profiles") + f"/members/{people[1]}").json()
    pages = [
        "/coordination",
        "/coordination/membres",
        f"/coordination/membres/{people[0]}",
        f"/coordination/membres/{people[0]}/depart",
        "/coordination/import",
        "/coordination/import/modele-membres.csv",
        "/coordination/catalogues/skills",
        "/coordination/catalogues/themes",
        "/coordination/tours",
        "/coordination/tours/nouveau",
        "/coordination/tours/x",
        "/coordination/tours/x/publier",
        "/coordination/tours/x/envois",
        "/coordination/tours/x/plan-de-table",
        "/coordination/tours/x/plan-de-table.csv",
        "/coordination/tours/x/plan-de-table/tout",
    ]
    posts = [
        "/coordination/tours/nouveau",
        "/coordination/tours/x/ajustements",
        "/coordination/tours/x/publier",
        "/coordination/catalogues/skills",
        f"/coordination/membres/{people[0]}/depart",
    ]
    with ps.portal() as portal:
        sign_in(portal, ps.sink, member["email"])
        home = portal.get("/")
        for path in pages:
            answer = portal.get(path)
            assert answer.status_code == 403, path
            assert "réservée aux coordinateurs" in text_of(answer), path
        for path in posts:
            assert portal.post(path, data={"csrf_token": csrf_of(home)}).status_code == 403, path


def test_a_coordinator_adds_edits_and_bulk_imports_catalogue_entries(
    portal_stack: PortalStack,
) -> None:
    ps = portal_stack
    with coordinator(ps) as portal:
        page = portal.get("/coordination/catalogues/themes")
        assert page.status_code == 200 and "Entrées du catalogue" in text_of(page)
        added = portal.post(
            "/coordination/catalogues/themes",
            data={
                "csrf_token": csrf_of(page),
                "label": "Télétravail serein",
                "code": "teletravail_serein",
            },
        )
        assert added.status_code == 303
        edited = portal.post(
            "/coordination/catalogues/themes/teletravail_serein",
            data={
                "csrf_token": csrf_of(page),
                "label": "Télétravail serein",
                "label_en": "Calm remote work",
                "aliases": "distanciel | travail à distance",
            },
        )
        assert edited.status_code == 303
        theme = ps.hr.get(ps.url("profiles") + "/themes/teletravail_serein").json()
        assert theme["label_en"] == "Calm remote work"
        assert theme["aliases"] == ["distanciel", "travail à distance"]
        twice = portal.post(
            "/coordination/catalogues/themes",
            data={"csrf_token": csrf_of(page), "label": "Télétravail serein"},
        )
        assert twice.status_code in (409, 422) and "La demande a été refusée" in text_of(twice)
        imported = upload(
            portal,
            "/coordination/catalogues/themes/import/csv",
            page,
            "code,label,label_en,aliases\n,Sobriété numérique,Digital sobriety,\n",
        )
        assert imported.status_code == 200 and "Lignes lues" in text_of(imported)
        total = ps.hr.get(ps.url("profiles") + "/themes", params={"limit": 1}).json()["total"]
        listed = portal.get("/coordination/catalogues/themes")
        assert f"sur {total}" in text_of(listed)
