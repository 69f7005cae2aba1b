"""Issue 10 items 1 and 2: the organisation (managers who are not members, teams, lines)
and HR's own keys, over a real database (SQLite, then PostgreSQL when available).

No broker here: the outbox rows written with each change are what is checked.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine

from services.profiles.adapters.member_queries import MemberFilter
from services.profiles.api.schemas import MemberCreate, MemberUpdate
from services.profiles.domain.errors import (
    InvalidProfile,
    LookupNeedsOneKey,
    MemberAlreadyExists,
    MemberNotFound,
)
from services.profiles.service_layer import exports, imports, members, organisation, registration
from shared.pagination import PageRequest
from tests.integration.profiles.profiles_support import member_payload, pending

ORG = b"""key,name,email,manager,team
CEO,Camille Dupont,ceo@corp.fr,,DG
DIR,Dominique Roy,dir@corp.fr,CEO,FIN
CHEF,Charlie Petit,chef@corp.fr,DIR,FIN-COMPTA
OTHER,Olga Autre,olga@corp.fr,CEO,RH
"""
MEMBERS = """external_id;email;display_name;site;manager;team;languages;preferred_language
E1;a@corp.fr;Anne A;Lyon;CHEF;FIN-COMPTA;fr;fr
E2;b@corp.fr;Bruno B;Lyon;E1;FIN-COMPTA;fr;fr
E3;c@corp.fr;Chloé C;Paris;olga@corp.fr;RH;fr;fr
E4;d@corp.fr;Denis D;Nice;;;fr;fr
"""


def by_email(engine: Engine) -> dict[str, Any]:
    page = members.list_members(engine, MemberFilter(), PageRequest(100, 0))
    return {m.email: m for m in page.items}


def imported(engine: Engine, content: str = MEMBERS) -> dict[str, Any]:
    outcome = imports.import_members(engine, content.encode(), "all_or_nothing")
    assert not outcome.errors, outcome.errors
    return by_email(engine)


def test_a_three_level_chain_of_outside_managers_gives_each_member_its_whole_line(
    engine: Engine,
) -> None:
    organisation.import_organisation(engine, ORG)
    people = imported(engine)
    a, b, c, d = (people[f"{x}@corp.fr"] for x in "abcd")
    assert (a.manager_id, a.team) == ("mgr:CHEF", "FIN-COMPTA")
    assert a.management_line == ["mgr:CHEF", "mgr:DIR", "mgr:CEO"]
    assert b.manager_id == a.id  # named by HR external id, a member of the same file
    assert b.management_line == [a.id, "mgr:CHEF", "mgr:DIR", "mgr:CEO"]
    assert c.management_line == ["mgr:OTHER", "mgr:CEO"] and d.management_line == []
    events = {e["member_id"]: e for e in pending(engine)}
    assert events[b.id]["profile"]["management_line"] == b.management_line
    assert events[b.id]["profile"]["manager_id"] == a.id
    assert events[a.id]["profile"]["team"] == "FIN-COMPTA"


def test_managers_are_never_members_nor_counted_exported_or_announced(engine: Engine) -> None:
    organisation.import_organisation(engine, ORG)
    imported(engine)
    page = members.list_members(engine, MemberFilter(), PageRequest(100, 0))
    assert page.total == 4
    assert {m.email for m in exports.export_json(engine, MemberFilter())} == {
        f"{x}@corp.fr" for x in "abcd"
    }
    assert "ceo@corp.fr" not in exports.export_csv(engine, MemberFilter())
    assert {e["member_id"] for e in pending(engine)} == {m.id for m in page.items}
    managers = organisation.list_managers(engine, PageRequest(10, 0))
    assert managers.total == 4 and managers.items[0].key == "CEO"
    assert {t.code for t in organisation.list_teams(engine)} >= {"DG", "FIN", "FIN-COMPTA", "RH"}


def test_reparenting_an_outside_manager_republishes_exactly_the_members_below(
    engine: Engine,
) -> None:
    organisation.import_organisation(engine, ORG)
    people = imported(engine)
    pending(engine)
    moved = ORG.replace(
        b"DIR,Dominique Roy,dir@corp.fr,CEO", b"DIR,Dominique Roy,dir@corp.fr,OTHER"
    )
    done = organisation.import_organisation(engine, moved)
    events = pending(engine)
    a, b = people["a@corp.fr"], people["b@corp.fr"]
    assert done.republished == 2
    assert sorted((e["member_id"], e["version"]) for e in events) == sorted(
        [(a.id, a.version + 1), (b.id, b.version + 1)]
    )
    lines = {e["member_id"]: e["profile"]["management_line"] for e in events}
    assert lines[b.id] == [a.id, "mgr:CHEF", "mgr:DIR", "mgr:OTHER", "mgr:CEO"]
    organisation.import_organisation(engine, moved)  # the same file again: nothing moves
    assert pending(engine) == []


def test_changing_a_members_manager_republishes_its_reports_only(engine: Engine) -> None:
    organisation.import_organisation(engine, ORG)
    people = imported(engine)
    pending(engine)
    a, b = people["a@corp.fr"], people["b@corp.fr"]
    members.update_member(engine, a.id, MemberUpdate(manager="olga@corp.fr", team="RH"))
    events = pending(engine)
    assert sorted(e["member_id"] for e in events) == sorted([a.id, b.id])
    assert members.get_member(engine, b.id).management_line == [a.id, "mgr:OTHER", "mgr:CEO"]
    assert members.get_member(engine, a.id).team == "RH"


def test_a_manager_is_named_by_member_id_hr_id_or_email_and_unknown_ones_are_refused(
    engine: Engine,
) -> None:
    organisation.import_organisation(engine, ORG)
    boss = registration.register_member(engine, MemberCreate(**member_payload(external_id="E-9")))
    for reference, expected in (
        ("E-9", boss.id),
        (boss.email, boss.id),
        (boss.id, boss.id),
        ("CHEF", "mgr:CHEF"),
        ("chef@corp.fr", "mgr:CHEF"),
        ("mgr:DIR", "mgr:DIR"),
    ):
        made = registration.register_member(
            engine, MemberCreate(**member_payload(manager=reference))
        )
        assert made.manager_id == expected, reference
    with pytest.raises(InvalidProfile) as refused:
        registration.register_member(engine, MemberCreate(**member_payload(manager="nobody")))
    assert refused.value.field_errors[0].code == "unknown_manager_reference"


def test_the_member_import_creates_outside_managers_on_the_fly(engine: Engine) -> None:
    content = (
        "email;display_name;site;manager;manager_name;team\n"
        "x@corp.fr;Xavier X;Lyon;K-77;Karine Grand;OPS\n"
        "y@corp.fr;Yann Y;Lyon;K-77;;OPS\n"
        "z@corp.fr;Zoé Z;Lyon;inconnu@corp.fr;;OPS\n"
    )
    outcome = imports.import_members(engine, content.encode(), "keep_valid")
    assert [(p.row, p.error.field, p.error.code) for p in outcome.errors] == [
        (4, "manager", "csv.unknown_manager")
    ]
    people = by_email(engine)
    assert set(people) == {"x@corp.fr", "y@corp.fr"}
    assert people["y@corp.fr"].manager_id == "mgr:K-77"
    managers = organisation.list_managers(engine, PageRequest(10, 0))
    assert [(m.key, m.name) for m in managers.items] == [("K-77", "Karine Grand")]


def test_hr_external_id_is_the_key_a_reimport_updates_by(engine: Engine) -> None:
    organisation.import_organisation(engine, ORG)
    first = imported(engine)["a@corp.fr"]
    again = MEMBERS.replace("E1;a@corp.fr;Anne A;Lyon", "E1;anne.a@corp.fr;Anne A;Grenoble")
    outcome = imports.import_members(engine, again.encode(), "all_or_nothing")
    people = by_email(engine)
    assert (outcome.created, outcome.updated) == (0, 1)
    assert "a@corp.fr" not in people
    moved = people["anne.a@corp.fr"]
    assert (moved.id, moved.external_id, moved.site) == (first.id, "E1", "Grenoble")
    listed = members.list_members(engine, MemberFilter(external_id="E1"), PageRequest(10, 0))
    assert [m.id for m in listed.items] == [first.id]
    assert "E1" in exports.export_csv(engine, MemberFilter(external_id="E1"))


def test_a_member_is_looked_up_by_hr_id_or_email_for_sign_in_linking(engine: Engine) -> None:
    made = registration.register_member(engine, MemberCreate(**member_payload(external_id="E-5")))
    assert members.lookup_member(engine, external_id="E-5").id == made.id
    assert members.lookup_member(engine, email=made.email.upper()).id == made.id
    with pytest.raises(MemberNotFound):
        members.lookup_member(engine, external_id="E-6")
    with pytest.raises(LookupNeedsOneKey):
        members.lookup_member(engine)
    with pytest.raises(MemberAlreadyExists) as taken:
        registration.register_member(engine, MemberCreate(**member_payload(external_id="E-5")))
    assert taken.value.code == "external_id_taken"
