"""The portal over the real stack: e-mail sign-in links read from the SMTP sink, the
member pages calling profiles, matcher and notifier as the signed-in member."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, update

from deploy.local.synthetic import community
from services.portal.adapters.orm import sign_in_links
from tests.integration.portal.conftest import COORDINATOR, PortalStack, portal_db
from tests.integration.portal.portal_support import (
    JETON,
    ask_for_link,
    csrf_of,
    last_link,
    mails_to,
    sign_in,
    text_of,
    wait,
)

pytestmark = [pytest.mark.nats, pytest.mark.e2e]


def _member(ps: PortalStack, name: str, **extra: object) -> dict:
    body = {"display_name": name, "email": f"{name.lower()}@example.org", "site": "Lyon",
            "function": "assistante de direction", **extra}  # fmt: skip
    r = ps.hr.post(ps.url("profiles") + "/members", json=body)
    assert r.status_code == 201, r.text
    return dict(r.json())


@pytest.fixture(scope="module")
def published(portal_stack: PortalStack) -> dict:
    """A small community with a published mentoring round."""
    ps = portal_stack
    skills = ps.hr.get(ps.url("profiles") + "/skills", params={"limit": 500}).json()["items"]
    people = [
        {k: v for k, v in p.items() if k != "manager_index"}
        for p in community(40, skill_codes=[s["code"] for s in skills], seed=11, tag="pt")
    ]
    ids = [ps.hr.post(ps.url("profiles") + "/members", json=p).json()["id"] for p in people]
    wait(lambda: ps.hr.get(ps.url("matcher") + "/members/count").json()["members"] >= len(ids))
    body = {"client_request_id": "portal-mentoring", "kind": "mentoring",
            "parameters": {"mode": "max_mentees"}}  # fmt: skip
    rid = ps.hr.post(ps.url("matcher") + "/rounds", json=body).json()["id"]
    wait(lambda: ps.hr.get(ps.url("matcher") + f"/rounds/{rid}").json()["state"] == "proposed")
    assert ps.hr.post(ps.url("matcher") + f"/rounds/{rid}/publish").json()["state"] == "published"
    matches = ps.hr.get(ps.url("matcher") + f"/rounds/{rid}/matches?limit=500").json()["items"]
    assert matches
    return {"round": rid, "matches": matches, "skills": skills}


def test_a_member_signs_in_by_email_link_edits_the_profile_and_sees_the_match_explained(
    portal_stack: PortalStack, published: dict
) -> None:
    ps = portal_stack
    match = published["matches"][0]
    member_id = match["members"][0]
    member = ps.hr.get(ps.url("profiles") + f"/members/{member_id}").json()
    with ps.portal() as portal:
        assert portal.get("/").status_code == 303  # not signed in: to /connexion
        before = len(mails_to(ps.sink, member["email"]))
        sent = ask_for_link(portal, member["email"])
        assert "Si cette adresse est connue du réseau" in text_of(sent)
        link = last_link(ps.sink, member["email"], before)
        confirmation = portal.get(link)
        assert confirmation.status_code == 200
        assert "Me connecter" in confirmation.text
        assert portal.get("/").status_code == 303, "opening the link signs nobody in"
        signed = portal.post("/connexion/lien", data={
            "jeton": JETON.search(confirmation.text).group(1),  # type: ignore[union-attr]
            "csrf_token": csrf_of(confirmation)})  # fmt: skip
        assert signed.status_code == 303 and signed.headers["location"] == "/"
        cookie = signed.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
        home = portal.get("/")
        assert home.status_code == 200 and member["display_name"] in text_of(home)

        page = portal.get("/mises-en-relation")
        assert page.status_code == 200
        expected = ps.hr.get(ps.url("matcher") + f"/rounds/{published['round']}/matches",
                             params={"limit": 500}).json()["items"]  # fmt: skip
        explanation = next(m["explanation"] for m in expected if m["id"] == match["id"])
        assert explanation and explanation in text_of(page)
        english = portal.get("/langue", params={"vers": "en", "retour": "/mises-en-relation"})
        assert english.status_code == 303
        assert "My matches" in portal.get("/mises-en-relation").text
        portal.get("/langue", params={"vers": "fr"})

        profile = portal.get("/profil")
        assert "fourni par les RH" in text_of(profile)
        skill = published["skills"][0]
        form = {"csrf_token": csrf_of(profile), "skill_0": skill["label"], "level_0": "3",
                "languages": "fr, en", "frequency": "weekly", "mode": "remote",
                "mentor": "on", "mentor_capacity": "2", "channel_email": "on",
                "channel_inapp": "on", "preferred_language": "fr", "themes": ""}  # fmt: skip
        saved = portal.post("/profil", data=form)
        assert saved.status_code == 200, saved.text
        assert "Profil enregistré" in saved.text
        stored = ps.hr.get(ps.url("profiles") + f"/members/{member_id}").json()
        assert stored["skills"] == {skill["code"]: 3}
        assert stored["languages"] == ["fr", "en"]
        assert stored["opt_ins"]["mentor"] and stored["opt_ins"]["mentor_capacity"] == 2
        assert stored["availability"] == {"frequency": "weekly", "mode": "remote"}

        refused = portal.post("/profil", data={**form, "skill_0": "Astrophysique lunaire"})
        assert refused.status_code == 422
        assert re.search(r'id="err-skill_0"[^>]*>[^<]*Astrophysique lunaire', text_of(refused))
        upstream = portal.post("/profil", data={**form, "channel_chat": "on"})
        assert upstream.status_code == 422 and "class=\"error\"" in upstream.text  # profiles

        assert portal.post("/deconnexion", data={"csrf_token": csrf_of(home)}).status_code == 303
        assert portal.get("/").status_code == 303


def test_an_unknown_address_gets_the_same_page_and_no_email(portal_stack: PortalStack) -> None:
    ps = portal_stack
    known = _member(ps, "Connue")
    with ps.portal() as portal:
        unknown = ask_for_link(portal, "personne@example.org")
        known_page = ask_for_link(portal, known["email"])
    assert unknown.status_code == known_page.status_code == 200
    assert unknown.text.replace("personne@example.org", known["email"]) == known_page.text
    assert mails_to(ps.sink, known["email"])  # sent before the answer came back
    assert not mails_to(ps.sink, "personne@example.org")


def test_a_used_or_expired_link_is_refused_with_a_clear_page(portal_stack: PortalStack) -> None:
    ps = portal_stack
    person = _member(ps, "Utilise")
    with ps.portal() as portal:
        assert sign_in(portal, ps.sink, person["email"]).status_code == 303
        link = last_link(ps.sink, person["email"])
        used = portal.get(link)
        assert used.status_code == 410 and "déjà été utilisé" in text_of(used)
    with ps.portal() as portal:
        before = len(mails_to(ps.sink, person["email"]))
        ask_for_link(portal, person["email"])
        link = last_link(ps.sink, person["email"], before)
        engine = create_engine(f"sqlite:///{portal_db(ps.settings)}")
        with engine.begin() as conn:  # fifteen minutes later
            conn.execute(update(sign_in_links).values(
                expires_at=datetime.now(UTC) - timedelta(seconds=1)))  # fmt: skip
        engine.dispose()
        expired = portal.get(link)
        assert expired.status_code == 410 and "a expiré" in text_of(expired)
        jeton = link.split("jeton=")[1]
        form = portal.get("/connexion")
        late = portal.post("/connexion/lien", data={"jeton": jeton, "csrf_token": csrf_of(form)})
        assert late.status_code == 410
        assert portal.get("/").status_code == 303


def test_a_post_without_its_csrf_token_is_refused_with_a_403_page(
    portal_stack: PortalStack,
) -> None:
    ps = portal_stack
    person = _member(ps, "Jeton")
    with ps.portal() as portal:
        portal.get("/connexion")
        refused = portal.post("/connexion", data={"email": person["email"]})
        assert refused.status_code == 403 and "formulaire a expiré" in text_of(refused)
        forged = portal.post("/connexion", data={"email": person["email"], "csrf_token": "x"})
        assert forged.status_code == 403
        assert sign_in(portal, ps.sink, person["email"]).status_code == 303
        assert portal.post("/deconnexion").status_code == 403
        assert portal.post("/profil", data={"languages": "fr"}).status_code == 403
        assert portal.get("/").status_code == 200, "still signed in"


def test_asking_for_links_too_often_gets_a_429_page(portal_stack: PortalStack) -> None:
    ps = portal_stack
    person = _member(ps, "Presse")
    with ps.portal() as portal:
        answers = [ask_for_link(portal, person["email"]).status_code for _ in range(6)]
        assert answers == [200] * 5 + [429]
        assert "Trop de demandes" in text_of(ask_for_link(portal, person["email"]))
    assert len(mails_to(ps.sink, person["email"])) == 5


def test_a_member_cannot_read_another_members_data_through_the_portal(
    portal_stack: PortalStack, published: dict
) -> None:
    ps = portal_stack
    first, second = published["matches"][0]["members"][:2]
    other = ps.hr.get(ps.url("profiles") + f"/members/{second}").json()
    me = ps.hr.get(ps.url("profiles") + f"/members/{first}").json()
    with ps.as_member(second) as theirs:
        entries = wait(lambda: theirs.get(ps.url("notifier") + "/inbox").json()["items"])
    with ps.portal() as portal:
        sign_in(portal, ps.sink, me["email"])
        profile = portal.get("/profil", params={"member_id": second})
        assert me["email"] in profile.text and other["email"] not in profile.text
        exported = portal.get("/mes-donnees/export", params={"member_id": second})
        assert exported.status_code == 200 and other["email"] not in exported.text
        assert me["email"] in exported.text
        read = portal.post(f"/messages/{entries[0]['id']}/lu",
                           data={"csrf_token": csrf_of(profile)})  # fmt: skip
        assert read.status_code == 404
        with ps.as_member(second) as theirs:
            still = theirs.get(ps.url("notifier") + "/inbox").json()["items"]
        assert not next(e for e in still if e["id"] == entries[0]["id"])["read"]
        assert portal.get("/coordination").status_code == 403
    with ps.portal() as stranger:
        stranger.cookies.set("entraide_session", "forged.value.here")
        assert stranger.get("/profil").status_code == 303


def test_messages_are_read_and_marked_read_in_the_portal(
    portal_stack: PortalStack, published: dict
) -> None:
    ps = portal_stack
    member_id = published["matches"][1]["members"][0]
    member = ps.hr.get(ps.url("profiles") + f"/members/{member_id}").json()
    with ps.as_member(member_id) as theirs:
        wait(lambda: any(e["body"] for e in
                         theirs.get(ps.url("notifier") + "/inbox").json()["items"]))  # fmt: skip
    with ps.portal() as portal:
        sign_in(portal, ps.sink, member["email"])
        page = portal.get("/messages")
        assert "Marquer comme lu" in page.text
        entry = re.search(r'action="/messages/([^/]+)/lu"', page.text).group(1)  # type: ignore[union-attr]
        assert portal.post(f"/messages/{entry}/lu",
                           data={"csrf_token": csrf_of(page)}).status_code == 303  # fmt: skip
        assert f"/messages/{entry}/lu" not in portal.get("/messages").text


def test_a_member_downloads_their_data_then_erases_it_after_confirming(
    portal_stack: PortalStack,
) -> None:
    ps = portal_stack
    person = _member(ps, "Efface")
    with ps.portal() as portal:
        sign_in(portal, ps.sink, person["email"])
        export = portal.get("/mes-donnees/export")
        assert export.status_code == 200 and person["email"] in export.text
        assert "attachment" in export.headers["content-disposition"]
        confirm = portal.get("/mes-donnees/effacement")
        assert "irréversible" in text_of(confirm)
        assert ps.hr.get(ps.url("profiles") + f"/members/{person['id']}").status_code == 200
        done = portal.post("/mes-donnees/effacement", data={"csrf_token": csrf_of(confirm)})
        assert done.status_code == 200 and "effacé" in text_of(done)
        assert ps.hr.get(ps.url("profiles") + f"/members/{person['id']}").status_code == 404
        assert portal.get("/").status_code == 303, "signed out"


def test_someone_erased_after_asking_for_a_link_gets_the_not_in_network_page(
    portal_stack: PortalStack,
) -> None:
    ps = portal_stack
    person = _member(ps, "Partie")
    with ps.portal() as portal:
        ask_for_link(portal, person["email"])
        link = last_link(ps.sink, person["email"])
        confirm = portal.get(link)
        ps.hr.delete(ps.url("profiles") + f"/members/{person['id']}")
        answer = portal.post("/connexion/lien", data={
            "jeton": JETON.search(confirm.text).group(1),  # type: ignore[union-attr]
            "csrf_token": csrf_of(confirm)})  # fmt: skip
        assert answer.status_code == 403
        assert "ne faites pas (encore) partie du réseau" in text_of(answer)
        assert portal.get("/").status_code == 303


def test_the_coordinator_signs_in_the_same_way_and_reaches_the_coordination_area(
    portal_stack: PortalStack,
) -> None:
    ps = portal_stack
    with ps.portal() as portal:
        assert sign_in(portal, ps.sink, COORDINATOR).status_code == 303
        assert portal.get("/coordination").status_code == 200
        assert "Coordination" in portal.get("/").text


def test_the_home_page_shows_each_engagement_with_its_stage_and_the_profile_completeness(
    portal_stack: PortalStack, published: dict
) -> None:
    ps = portal_stack
    match = published["matches"][1]
    member_id = match["members"][1]
    member = ps.hr.get(ps.url("profiles") + f"/members/{member_id}").json()
    mentor = match["data"]["mentor_id"] == member_id
    with ps.as_member(member_id) as api:
        entry = wait(lambda: next((e for e in api.get(ps.url("notifier") + "/inbox").json()
                                   ["items"] if e["match_id"] == match["id"]), None))  # fmt: skip
    with ps.portal() as portal:
        assert sign_in(portal, ps.sink, member["email"]).status_code == 303
        home = text_of(portal.get("/"))
        card = home.split(f'id="e-{match["id"]}"')[1].split("</li>")[0]
        assert "Binôme (parrainage)" in card and "mise en relation annoncée" in card
        assert 'href="/messages"' in card and "Lire l'annonce" in card
        assert "Séminaire" in home and "Groupe d'échange de pratiques" in home
        assert re.search(r"Profil complété à \d+ %", home) and "Ce qui compte" in home
        portal.post(f"/messages/{entry['id']}/lu", data={"csrf_token": csrf_of(portal.get("/"))})
        card = text_of(portal.get("/")).split(f'id="e-{match["id"]}"')[1].split("</li>")[0]
    assert "en cours" in card and f'href="/mises-en-relation#m-{match["id"]}"' in card
    assert ("Proposer un premier échange" if mentor else "Préparer le premier échange") in card
