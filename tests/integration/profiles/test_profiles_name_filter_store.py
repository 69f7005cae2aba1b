"""The name filter (the portal's name picker) in SQL, on SQLite and on PostgreSQL."""

from __future__ import annotations

from sqlalchemy import Engine

from services.profiles.adapters.member_queries import MemberFilter
from services.profiles.api.schemas import MemberCreate
from services.profiles.service_layer import members, registration
from shared.pagination import PageRequest
from tests.integration.profiles.profiles_support import member_payload


def test_a_part_of_a_name_finds_members_whatever_the_case_and_wildcards_match_as_typed(
    engine: Engine,
) -> None:
    for name in ("Léa Martin", "Noé MARTINEZ", "Élodie 100%_Vrai", "Inès Petit"):
        registration.register_member(engine, MemberCreate(**member_payload(display_name=name)))

    def names(text: str) -> list[str]:
        page = members.list_names(engine, MemberFilter(name=text), PageRequest(50, 0))
        return sorted(str(m.display_name) for m in page.items)

    assert names("martin") == ["Léa Martin", "Noé MARTINEZ"]
    assert names("Élodie") == ["Élodie 100%_Vrai"]
    assert names("%_") == ["Élodie 100%_Vrai"] and names("%x") == []
    assert names("petit") == ["Inès Petit"]
