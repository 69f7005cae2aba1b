"""HR's CSV says who left: the ``left_on`` column marks members as having left the
company (``member.deactivated``, as the API does), in both import modes, over a real
database (SQLite, then PostgreSQL when available). The outbox rows are what is checked.
"""

from __future__ import annotations

from sqlalchemy import Engine

from services.profiles.domain.import_report import ImportOutcome, Mode
from services.profiles.service_layer import imports
from tests.integration.profiles.profiles_support import pending
from tests.integration.profiles.test_profiles_organisation import by_email, imported

TEAM = """email;display_name;site;languages
a@corp.fr;Anne A;Lyon;fr
b@corp.fr;Bruno B;Lyon;fr
c@corp.fr;Chloé C;Paris;fr
"""


def departures(engine: Engine, rows: str, mode: Mode = "all_or_nothing") -> ImportOutcome:
    return imports.import_members(engine, f"email;left_on\n{rows}".encode(), mode)


def test_a_date_in_left_on_deactivates_the_member_once(engine: Engine) -> None:
    people = imported(engine, TEAM)
    pending(engine)
    first = departures(engine, "a@corp.fr;2026-11-20\nb@corp.fr;21/11/2026\nc@corp.fr;\n")
    events = pending(engine)
    again = departures(engine, "a@corp.fr;2026-11-25\nb@corp.fr;21/11/2026\nc@corp.fr;\n")
    after = by_email(engine)
    assert not first.errors and (first.updated, first.unchanged) == (2, 1)
    assert sorted((e["type"], e["member_id"], e["profile"]["left_on"]) for e in events) == sorted(
        [
            ("member.deactivated", people["a@corp.fr"].id, "2026-11-20"),
            ("member.deactivated", people["b@corp.fr"].id, "2026-11-21"),
        ]
    )
    versions = {m.id: m.version for m in after.values()}
    assert all(e["version"] == versions[e["member_id"]] for e in events)
    # already gone: the first date is kept, nothing is published, the row is unchanged
    assert (again.updated, again.unchanged, pending(engine)) == (0, 3, []), again
    assert str(after["a@corp.fr"].left_on) == "2026-11-20"
    assert after["c@corp.fr"].left_on is None


def test_a_bad_date_is_a_row_error_in_both_modes(engine: Engine) -> None:
    imported(engine, TEAM)
    pending(engine)
    rows = "a@corp.fr;2026-11-20\nb@corp.fr;le 21 novembre\n"
    refused = departures(engine, rows)
    nothing = (pending(engine), by_email(engine)["a@corp.fr"].left_on)
    kept = departures(engine, rows, "keep_valid")
    events = pending(engine)
    after = by_email(engine)
    assert refused.refused and not refused.committed
    assert [(e.row, e.error.field, e.error.code, e.value) for e in refused.errors] == [
        (3, "left_on", "csv.invalid_date", "le 21 novembre")
    ]
    assert nothing == ([], None)
    assert (kept.committed, kept.updated, kept.rejected) == (True, 1, 1)
    assert [e["type"] for e in events] == ["member.deactivated"]
    assert str(after["a@corp.fr"].left_on) == "2026-11-20" and after["b@corp.fr"].left_on is None


def test_a_new_row_with_a_date_is_registered_then_deactivated(engine: Engine) -> None:
    content = "email;display_name;site;languages;left_on\nd@corp.fr;Denis D;Nice;fr;2026-10-01\n"
    outcome = imports.import_members(engine, content.encode(), "keep_valid")
    events = pending(engine)
    assert not outcome.errors and outcome.created == 1
    assert [(e["type"], e["version"]) for e in events] == [
        ("member.registered", 1),
        ("member.deactivated", 2),
    ]
    assert str(by_email(engine)["d@corp.fr"].left_on) == "2026-10-01"
