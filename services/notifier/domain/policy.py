"""Rules deciding whether a delivery is sent, skipped or retried."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from services.notifier.domain.model import Channel, Contact, Decision

#: Longest wait between two attempts of one delivery (the default of ``retry_cap_s``).
RETRY_CAP_S = 60.0
#: How long a transient failure is retried (the default of ``retry_horizon_s``): a day.
RETRY_HORIZON_S = 86_400.0


def decide(contact: Contact, channel: Channel, today: date, already_told: bool) -> Decision:
    """Whether ``contact`` gets a message on ``channel`` now.

    The in-app inbox is the member's own record of their matches: it is always
    written, even when paused or when the member did not choose it as a channel.
    Email and chat honour the member's choices, "pause until" and the cap of one
    message per member, round and channel.

    >>> from services.notifier.domain.model import Contact
    >>> c = Contact("m1", "Léa", "lea@example.com", channels=("inapp",))
    >>> decide(c, "email", date(2025, 1, 1), False)
    Decision(send=False, reason='channel_not_chosen', params={'channel': 'email'})
    """
    if channel == "inapp":
        return Decision(True)
    if channel not in contact.channels:
        return Decision(False, "channel_not_chosen", {"channel": channel})
    if contact.paused_until is not None and contact.paused_until > today:
        return Decision(False, "member_paused", {"until": contact.paused_until.isoformat()})
    if channel == "email" and not contact.email:
        return Decision(False, "no_email_address")
    if channel == "chat" and not contact.chat_webhook_url:
        return Decision(False, "no_chat_address")
    if already_told:
        return Decision(False, "cap_reached")
    return Decision(True)


def retry_delay(attempts: int, base_s: float, cap_s: float = RETRY_CAP_S) -> float:
    """Wait before the next attempt after ``attempts`` failed ones: base, 2·base, 4·base…

    >>> [retry_delay(n, 2.0) for n in (1, 2, 3)]
    [2.0, 4.0, 8.0]
    """
    return float(min(cap_s, base_s * 2 ** max(0, attempts - 1)))


def gives_up(
    attempts: int,
    recorded_at: datetime | None,
    now: datetime,
    max_attempts: int,
    horizon_s: float,
) -> bool:
    """Whether a delivery that failed for a transient reason stops being retried.

    It is retried until ``horizon_s`` after it was recorded, so an outage shorter than
    the horizon loses nothing; ``max_attempts`` (0 = no limit) can stop it sooner.

    >>> t = datetime(2026, 1, 1)
    >>> gives_up(40, t, t + timedelta(minutes=10), 0, 86_400)
    False
    >>> gives_up(3, t, t + timedelta(days=2), 0, 86_400)
    True
    >>> gives_up(2, t, t, 2, 86_400)
    True
    """
    if max_attempts and attempts >= max_attempts:
        return True
    return recorded_at is not None and now - recorded_at >= timedelta(seconds=horizon_s)
