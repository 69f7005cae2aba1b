"""What the member pages show and do, each through the services as that member."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

from services.portal.adapters.accounts import IdentityLinks, Sessions
from services.portal.adapters.services import Person
from services.portal.domain import home as home_page
from services.portal.domain.errors import ProfileRejected
from services.portal.domain.profile_form import Catalogue, changes_from_form
from services.portal.service_layer.sessions import end_member_sessions


@dataclass(frozen=True, slots=True)
class Home:
    matches: list[dict[str, Any]]
    unread: int
    profile: dict[str, Any] | None
    cards: list[home_page.Engagement] = field(default_factory=list)
    completeness: home_page.Completeness | None = None


@dataclass(frozen=True, slots=True)
class ProfilePage:
    member: dict[str, Any]
    skills: list[dict[str, Any]]
    #: What the form sent back when profiles refused it (kept so nothing is retyped).
    sent: dict[str, str] = field(default_factory=dict)
    checked: set[str] = field(default_factory=set)


async def home(person: Person, is_member: bool) -> Home:
    """Matches, unread messages and profile: three services, asked at once."""
    if not is_member:
        return Home([], 0, None)
    matches, inbox, me = await asyncio.gather(person.my_matches(), person.inbox(), person.me())
    unread = {str(e.get("match_id")) for e in inbox if not e["read"]}
    return Home(matches, sum(not e["read"] for e in inbox), me,
                home_page.engagements(me, matches, unread), home_page.completeness(me))  # fmt: skip


async def profile(person: Person) -> ProfilePage:
    me, skills = await asyncio.gather(person.me(), person.skills())
    return ProfilePage(me, skills)


def catalogue_of(skills: list[dict[str, Any]]) -> Catalogue:
    return Catalogue({s["code"]: (s["label"], s.get("label_en") or s["label"]) for s in skills})


async def save_profile(person: Person, form: dict[str, str], checked: set[str]) -> None:
    """Check the form against the catalogue, then send the changes to profiles
    (:class:`ProfileRejected` with one error per field when either refuses)."""
    skills = await person.skills()
    changes, errors = changes_from_form(form, checked, catalogue_of(skills))
    if errors:
        raise ProfileRejected(errors)
    await person.update_me(changes)


async def export(person: Person) -> bytes:
    """The member's data as profiles exports it, as a JSON file."""
    return json.dumps(await person.export_me(), ensure_ascii=False, indent=2).encode()


async def erase(person: Person) -> None:
    await person.erase_me()


def forget_accounts(identities: IdentityLinks, open_sessions: Sessions, member_id: str) -> None:
    """After an erasure: the member's identity links go, and every session of theirs ends
    (the one in this browser and any other)."""
    identities.forget_member(member_id)
    end_member_sessions(open_sessions, member_id)
