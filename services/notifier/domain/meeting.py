"""The suggested first meeting of a match, and its iCalendar invitation (RFC 5545).

The first meeting is suggested, not booked: the next working Tuesday at least a
week after publication, 10:00 Paris time — 45 minutes for a mentoring pair, a
half-day (9:00-12:30) for a practice-exchange group, as the seed articles describe.
Seminar plans carry no date in the event, so they get no invitation.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from services.notifier.domain.model import Meeting

PARIS = ZoneInfo("Europe/Paris")
TUESDAY = 1


def first_meeting_slot(published: datetime, kind: str) -> tuple[datetime, datetime] | None:
    """(start, end) in UTC of the suggested first meeting, or None for seminar plans.

    >>> s, e = first_meeting_slot(datetime(2025, 3, 3, 12, tzinfo=UTC), "match.mentoring_pair")
    >>> s.isoformat(), e.isoformat()
    ('2025-03-11T09:00:00+00:00', '2025-03-11T09:45:00+00:00')
    """
    if kind in ("match.rotation", "match.superseded"):  # a plan, or a cancellation
        return None
    local = published.astimezone(PARIS).date() + timedelta(days=7)
    local += timedelta(days=(TUESDAY - local.weekday()) % 7)
    if kind == "match.group":
        start, end = time(9, 0), time(12, 30)
    else:
        start, end = time(10, 0), time(10, 45)
    return (
        datetime.combine(local, start, PARIS).astimezone(UTC),
        datetime.combine(local, end, PARIS).astimezone(UTC),
    )


def _escape(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "")
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 §3.1) without splitting a character."""
    data = line.encode()
    if len(data) <= 75:
        return line
    out: list[str] = []
    start, limit = 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # inside a UTF-8 sequence
            end -= 1
        out.append(data[start:end].decode())
        start, limit = end, 74  # continuation lines start with a space
    return "\r\n ".join(out)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def invitation(uid: str, meeting: Meeting, stamp: datetime) -> str:
    """An iCalendar VEVENT proposal (METHOD:PUBLISH: no RSVP machinery needed)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Entraide//notifier//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{_stamp(stamp)}",
        f"DTSTART:{_stamp(meeting.start)}",
        f"DTEND:{_stamp(meeting.end)}",
        f"SUMMARY:{_escape(meeting.summary)}",
        f"DESCRIPTION:{_escape(meeting.description)}",
        "STATUS:TENTATIVE",
        "TRANSP:OPAQUE",
    ]
    for name, email in meeting.attendees:
        if email:
            cn = name.replace('"', "")
            lines.append(f'ATTENDEE;CN="{cn}";ROLE=REQ-PARTICIPANT:mailto:{email}')
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
