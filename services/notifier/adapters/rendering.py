"""Render the announcement of one or more matches for one member (Jinja2 templates).

One template per role and language in ``templates/<lang>/<role>.txt.j2``; each sets
``subject`` and renders the plain-text body. Several matches of one round (a mentor
with two mentees) become one message, as the cap of one message per member, round
and channel requires. Reasons and skill/theme labels are rendered with the one
catalogue (:mod:`shared.vocabulary.explain`) and the labels of the profiles catalogue,
passed in as ``label`` (:class:`shared.catalogue.CatalogueLabels`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from services.notifier.domain import notices
from services.notifier.domain.meeting import PARIS, first_meeting_slot, invitation
from services.notifier.domain.model import Contact, Language, Meeting, Rendered, Role
from services.notifier.domain.recipients import people_named
from shared.safety import header_safe
from shared.vocabulary import translate
from shared.vocabulary.explain import Labeler, describe_all
from shared.vocabulary.i18n import has_message

TEMPLATES = Path(__file__).parent.parent / "templates"
_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    undefined=StrictUndefined,
    autoescape=False,  # plain-text messages; the in-app inbox is served as JSON
    keep_trailing_newline=True,
    # The templates ship with the code: checking their files' mtimes on each render
    # (jinja's default) was a stat() per e-mail, ~4 % of the sending CPU (issue 14).
    auto_reload=False,
)

DAYS = {
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
MONTHS = {
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Section:
    """One match of the message: the event payload and the recipient's role in it."""

    payload: Mapping[str, Any]
    role: Role


def when(moment: datetime, language: Language) -> str:
    """A date in words, Paris time: 'mardi 11 mars 2025 à 10 h 00'."""
    local = moment.astimezone(PARIS)
    day, month = DAYS[language][local.weekday()], MONTHS[language][local.month - 1]
    if language == "fr":
        return f"{day} {local.day} {month} {local.year} à {local.hour} h {local.minute:02d}"
    return f"{day} {local.day} {month} {local.year} at {local:%H:%M}"


def day_words(day: date, language: Language) -> str:
    """A day in words: 'lundi 4 janvier 2027'."""
    name, month = DAYS[language][day.weekday()], MONTHS[language][day.month - 1]
    return f"{name} {day.day} {month} {day.year}"


def _name(contacts: Mapping[str, Contact | None], member_id: str, language: Language) -> str:
    contact = contacts.get(member_id)
    return contact.display_name if contact else translate("notice.former_member", language)


def theme_label(theme: str, language: Language, label: Labeler) -> str:
    """A group's theme in words: each code of ``"relation_client / budget"`` labelled.

    >>> theme_label("relation_client / budget", "fr", lambda c, _l: c.upper())
    'RELATION_CLIENT / BUDGET'
    """
    return " / ".join(label(t.strip(), language) for t in theme.split("/") if t.strip())


def _context(
    section: Section, me: Contact, contacts: Mapping[str, Contact | None], label: Labeler
) -> dict[str, Any]:
    p, lang = section.payload, me.language
    facilitator = p.get("facilitator_id")
    others = [
        {
            "name": _name(contacts, m, lang),
            "email": (c.email if (c := contacts.get(m)) else ""),
            "facilitator": m == facilitator,
        }
        for m in people_named(p, me.member_id)
    ]
    slot = first_meeting_slot(datetime.fromisoformat(p["occurred_at"]), p["type"])
    seats = [
        {
            "round": s["seminar_round"] + 1,
            "table": s["table"] + 1,
            "tablemates": [_name(contacts, m, lang) for m in s.get("tablemates", ())],
        }
        for s in p.get("seats", ())
    ]
    return {
        "me": me.display_name,
        "others": others or [{"name": _name({}, "", lang), "email": "", "facilitator": False}],
        "facilitator": _name(contacts, facilitator, lang)
        if facilitator and facilitator != me.member_id
        else "",
        "theme": theme_label(p.get("theme") or "", lang, label),
        "reasons": describe_all(p.get("explanation", {}).get("reasons", ()), lang, label),
        "meeting": when(slot[0], lang) if slot else "",
        "seats": seats,
        "replaces": bool(p.get("replaces")),
    }


def _meeting(
    section: Section, me: Contact, contacts: Mapping[str, Contact | None], subject: str, body: str
) -> Meeting | None:
    p = section.payload
    slot = first_meeting_slot(datetime.fromisoformat(p["occurred_at"]), p["type"])
    if slot is None:
        return None
    people = [me, *(c for m in people_named(p, me.member_id) if (c := contacts.get(m)))]
    return Meeting(
        start=slot[0],
        end=slot[1],
        summary=subject,
        description=body,
        # What members typed must not start a line of the invitation of its own.
        attendees=tuple((header_safe(c.display_name), header_safe(c.email)) for c in people),
    )


def notice(section: Section, me: Contact, portal_url: str) -> tuple[str, str]:
    """Subject and body of a notice of a match's life, from the catalogue."""
    p, lang = section.payload, me.language
    code = str(notices.notice_of(p))
    name = code.split(".")[0]
    deadline, due_on = p.get("deadline"), p.get("due_on")
    params = {
        "me": me.display_name,
        "link": notices.answer_link(portal_url, p["match_id"], code),
        "deadline": when(datetime.fromisoformat(deadline), lang) if deadline else "",
        "n": notices.rank(p),
        "due_on": day_words(date.fromisoformat(due_on), lang) if due_on else "",
    }
    reminder = f"notice.{name}.reminder_subject"
    code = reminder if params["n"] and has_message(reminder) else f"notice.{name}.subject"
    subject = translate(code, lang, **params)
    return subject, translate(f"notice.{name}.body", lang, **params).strip() + "\n"


def render(
    sections: Sequence[Section],
    me: Contact,
    contacts: Mapping[str, Contact | None],
    now: datetime,
    label: Labeler,
    portal_url: str = "",
) -> Rendered:
    """The message telling ``me`` about ``sections`` (at least one), in their language."""
    parts: list[tuple[str, str]] = []
    ics: str | None = None
    for section in sections:
        if section.role == "notice":
            parts.append(notice(section, me, portal_url))
            continue
        template = _env.get_template(f"{me.language}/{section.role}.txt.j2")
        context = _context(section, me, contacts, label)
        answered = section.role != "seminar_attendee" and portal_url
        context["link"] = (
            notices.answer_link(portal_url, section.payload["match_id"]) if answered else ""
        )
        module = template.make_module(context)
        subject, body = str(getattr(module, "subject", "")).strip(), str(module).strip() + "\n"
        parts.append((subject, body))
        meeting = _meeting(section, me, contacts, subject, body)
        if meeting is not None and ics is None:  # one invitation per message: the first match's
            ics = invitation(f"{section.payload['match_id']}-{me.member_id}@entraide", meeting, now)
    if len({subject for subject, _ in parts}) == 1:  # one match, or one notice about several
        return Rendered(parts[0][0], "\n― ― ―\n\n".join(body for _, body in parts), ics)
    subject = translate("notice.multi_subject", me.language, n=len(parts))
    return Rendered(subject, "\n― ― ―\n\n".join(body for _, body in parts), ics)
