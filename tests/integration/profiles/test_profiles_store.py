"""The service layer and its storage on SQLite and on PostgreSQL (same tests, both).

No broker here: the outbox rows written with each change are what is checked.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, MetaData, Table, insert, inspect, select, text

from services.profiles.adapters.member_queries import MemberFilter
from services.profiles.adapters.orm import member_skills, outbox
from services.profiles.api.catalogue_schemas import SkillCreate
from services.profiles.api.schemas import MemberCreate, MemberUpdate
from services.profiles.domain.errors import InvalidProfile, MemberAlreadyExists, SkillInUse
from services.profiles.main import MIGRATIONS
from services.profiles.service_layer import (
    catalogue,
    deactivation,
    imports,
    members,
    personal_data,
    registration,
)
from shared.db import make_engine
from shared.migrations import current_revision, head_revision, upgrade
from shared.pagination import PageRequest
from shared.settings import Settings
from tests.integration.profiles.profiles_support import (
    ALLOWED_EVENT_KEYS,
    ALLOWED_PROFILE_KEYS,
    THEME_LISTS,
    baseline,
    member_payload,
)
from tests.legacy_migrations import legacy_migrate


def outbox_payloads(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(select(outbox.c.payload).order_by(outbox.c.id)).scalars()
        return [json.loads(p) for p in rows]


def test_each_change_writes_its_event_in_the_same_transaction(engine: Engine) -> None:
    member = registration.register_member(engine, MemberCreate(**member_payload()))
    members.update_member(engine, member.id, MemberUpdate(site="Paris La Défense"))
    members.update_member(engine, member.id, MemberUpdate(display_name="Léa Martin-Durand"))
    with pytest.raises(InvalidProfile):  # refused change: no row, no event
        members.update_member(engine, member.id, MemberUpdate(skills={"inconnue": 2}))
    personal_data.erase_member(engine, member.id)
    events = outbox_payloads(engine)
    assert [(e["type"], e["version"]) for e in events] == [
        ("member.registered", 1),
        ("member.profile_updated", 2),
        ("member.erased", 3),
    ]


def test_event_payloads_hold_only_allowed_fields_and_no_contact_data(engine: Engine) -> None:
    body = member_payload(
        chat_webhook_url="https://hooks.example.com/secret", notification_channels=["chat"]
    )
    no_dns = Settings(webhook_allow_private_addresses=True)  # no DNS here: https only
    member = registration.register_member(engine, MemberCreate(**body), settings=no_dns)
    members.update_member(engine, member.id, MemberUpdate(themes=["budget"]))
    personal_data.erase_member(engine, member.id)
    for event in outbox_payloads(engine):
        assert set(event) <= ALLOWED_EVENT_KEYS
        assert set(event.get("profile", {})) <= ALLOWED_PROFILE_KEYS
        text_ = json.dumps(event)
        for secret in (body["email"], body["display_name"], "hooks.example.com", "chat"):
            assert secret not in text_


def test_erasure_removes_every_row_about_the_member_but_keeps_unsent_events(
    engine: Engine,
) -> None:
    member = registration.register_member(engine, MemberCreate(**member_payload()))
    with engine.begin() as conn:  # pretend the relay sent the registration
        conn.execute(outbox.update().values(sent_at=outbox.c.created_at))
    members.update_member(engine, member.id, MemberUpdate(themes=["deplacements"]))
    personal_data.erase_member(engine, member.id)
    with engine.connect() as conn:
        links = conn.execute(select(member_skills).where(member_skills.c.member_id == member.id))
        assert links.all() == []
        left = conn.execute(select(outbox.c.payload).where(outbox.c.member_id == member.id))
        types = [json.loads(p)["type"] for p in left.scalars()]
    assert types == ["member.profile_updated", "member.erased"]  # sent history purged
    page = members.list_members(engine, MemberFilter(), PageRequest(50, 0))
    assert page.total == 0


def test_an_email_is_unique_whatever_its_case(engine: Engine) -> None:
    body = member_payload()
    registration.register_member(engine, MemberCreate(**body))
    with pytest.raises(MemberAlreadyExists):
        registration.register_member(
            engine, MemberCreate(**{**body, "email": body["email"].upper()})
        )


def test_a_skill_cited_by_a_member_cannot_leave_the_catalogue(engine: Engine) -> None:
    catalogue.create_skill(engine, SkillCreate(kind="savoir_etre", label="Bienveillance"))
    member = registration.register_member(
        engine, MemberCreate(**member_payload(skills_wanted=["bienveillance"]))
    )
    with pytest.raises(SkillInUse):
        catalogue.delete_skill(engine, "bienveillance")
    members.update_member(engine, member.id, MemberUpdate(skills_wanted=[]))
    catalogue.delete_skill(engine, "bienveillance")
    assert "bienveillance" not in {
        s.code for s in catalogue.list_skills(engine, PageRequest(500, 0)).items
    }


def test_each_entry_counts_the_members_citing_it_once_whichever_way_it_is_read(
    engine: Engine,
) -> None:
    """The whole listing, one entry and a member's export give the same counts; a member
    who has a skill and wants it too counts once."""
    both = registration.register_member(
        engine,
        MemberCreate(
            **member_payload(skills={"gestion_projet": 1}, skills_wanted=["gestion_projet"])
        ),
    )
    registration.register_member(engine, MemberCreate(**member_payload()))
    listed = {s.code: s.members for s in catalogue.list_skills(engine, PageRequest(500, 0)).items}
    assert listed["gestion_projet"] == 2 and listed["organisation_deplacements"] == 1
    assert listed["gestion_stress"] == 1 and set(listed.values()) <= {0, 1, 2}
    assert catalogue.get_skill(engine, "gestion_projet").members == 2
    exported = personal_data.export_personal_data(engine, both.id)
    assert {s.code: s.members for s in exported.skills} == {"gestion_projet": 2}


def test_filters_run_in_sql_on_the_indexed_copies(engine: Engine) -> None:
    for i in range(6):
        registration.register_member(
            engine,
            MemberCreate(
                **member_payload(
                    site="Lyon" if i % 2 else "Lille",
                    skills={"gestion_agenda": i % 5},
                    opt_ins={"facilitator": i == 3},
                )
            ),
        )

    def total(**kw: Any) -> int:
        return members.list_members(engine, MemberFilter(**kw), PageRequest(2, 0)).total

    assert total(site="Lyon") == 3
    assert total(opt_in="facilitator") == 1
    assert (total(status="active"), total(status="left")) == (6, 0)
    first = members.list_members(engine, MemberFilter(), PageRequest(1, 0)).items[0]
    deactivation.deactivate_member(engine, first.id, date(2026, 11, 20))
    assert (total(status="active"), total(status="left")) == (5, 1)
    assert total(skill="gestion_agenda", min_level=2) == 3
    assert (
        len(members.list_members(engine, MemberFilter(), PageRequest(limit=2, offset=4)).items) == 2
    )


def test_a_keep_valid_import_and_an_all_or_nothing_import_differ_only_on_bad_rows(
    engine: Engine,
) -> None:
    content = (
        b"email,display_name,site,skills\n"
        b"a@ex.fr,Anne,Lyon,gestion_agenda:2\n"
        b"b@ex.fr,Bruno,Lyon,gestion_agendas:2\n"
    )
    strict = imports.import_members(engine, content, "all_or_nothing")
    assert (strict.committed, strict.created) == (False, 0)
    assert [(e.row, e.error.field, e.error.code) for e in strict.errors] == [
        (3, "skills", "unknown_skill")
    ]
    assert strict.errors[0].error.params["closest"].startswith("gestion_agenda")
    lenient = imports.import_members(engine, content, "keep_valid")
    assert (lenient.committed, lenient.created, lenient.rejected) == (True, 1, 1)
    assert [e["type"] for e in outbox_payloads(engine)] == ["member.registered"]


def test_a_database_at_the_first_schema_version_upgrades_without_losing_members(
    tmp_path, request: pytest.FixtureRequest, engine: Engine
) -> None:
    with engine.begin() as conn:  # start again from schema version 1 with a legacy row
        every_table = MetaData()
        every_table.reflect(conn)
        every_table.drop_all(conn)
    legacy_migrate(engine, [baseline().m001_initial])
    legacy = {**member_payload(skills={"organisation_deplacements": 3, "code_maison": 1})}
    legacy["email"] = legacy["email"].lower()
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO members (id, email, data, version, created_at, updated_at) "
                "VALUES ('old1', :email, :data, 4, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            ),
            {"email": legacy["email"], "data": json.dumps(legacy)},
        )
    upgrade(engine, MIGRATIONS)
    assert current_revision(engine) == head_revision(MIGRATIONS)
    member = members.get_member(engine, "old1")
    assert member.version == 4 and member.skills == {
        "organisation_deplacements": 3,
        "code_maison": 1,
    }
    assert (
        members.list_members(engine, MemberFilter(skill="code_maison"), PageRequest(10, 0)).total
        == 1
    )
    assert catalogue.get_skill(engine, "code_maison").members == 1


def test_concurrent_updates_of_one_member_get_distinct_consecutive_versions(
    engine: Engine,
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    member = registration.register_member(engine, MemberCreate(**member_payload()))

    def change(i: int) -> int:
        return members.update_member(engine, member.id, MemberUpdate(themes=THEME_LISTS[i])).version

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(change, range(24)))
    versions = [e["version"] for e in outbox_payloads(engine) if e["member_id"] == member.id]
    assert versions == list(range(1, 26))
    assert members.get_member(engine, member.id).version == 25


def test_a_database_of_todays_schema_with_members_is_carried_to_alembic_head_intact(
    db_url: str,
) -> None:
    legacy = make_engine(db_url)
    try:
        legacy_migrate(legacy, baseline().LEGACY_STEPS)  # the database as the services made it
        data = MemberCreate(**member_payload(themes=["budget", "jardinage_urbain"]))
        now = datetime.now(UTC)
        with legacy.begin() as conn:  # written as the code of that time wrote them
            table = Table("members", MetaData(), autoload_with=conn)
            conn.execute(
                insert(table).values(
                    id="legacy1",
                    email=data.email,
                    data=data.model_dump(mode="json"),
                    version=2,
                    created_at=now,
                    updated_at=now,
                    site=data.site,
                )
            )
            skills = Table("skills", MetaData(), autoload_with=conn)
            conn.execute(
                insert(skills).values(
                    code="bienveillance",
                    kind="savoir_etre",
                    label="Bienveillance",
                    label_en="",
                    created_at=now,
                    updated_at=now,
                )
            )
        with legacy.connect() as conn:
            tables = ("members", "skills", "outbox")
            counts = {t: conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar() for t in tables}
        assert upgrade(legacy, MIGRATIONS) == head_revision(MIGRATIONS)
        assert current_revision(legacy) == head_revision(MIGRATIONS)
        with legacy.connect() as conn:
            assert not inspect(conn).has_table("schema_version")
            assert {
                t: conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar() for t in tables
            } == counts
        after = members.get_member(legacy, "legacy1")
        assert (after.site, after.version, after.email) == (data.site, 2, data.email)
        assert after.external_id is None and after.team is None
        assert catalogue.get_skill(legacy, "bienveillance").label == "Bienveillance"
        # Themes stored before the catalogue stay valid: seeded, cited, still editable.
        assert catalogue.themes.get(legacy, "jardinage_urbain").members == 1
        assert catalogue.themes.get(legacy, "budget").label == "Budget et notes de frais"
        members.update_member(legacy, "legacy1", MemberUpdate(site="Paris La Défense"))
        upgrade(legacy, MIGRATIONS)  # again at the next start: nothing to do, nothing lost
        assert members.get_member(legacy, "legacy1").themes == ["budget", "jardinage_urbain"]
    finally:
        legacy.dispose()
