"""NATS subject names and JetStream stream names: the only place they are spelled out.

Every event travels on ``entraide.<aggregate>.<event>``; one stream per aggregate keeps
retention and replay independent (the matcher replays members without replaying matches).
"""

from __future__ import annotations

PREFIX = "entraide"

# -- members (producer: profiles) -------------------------------------------------------
MEMBER_REGISTERED = f"{PREFIX}.member.registered"
MEMBER_PROFILE_UPDATED = f"{PREFIX}.member.profile_updated"
MEMBER_ERASED = f"{PREFIX}.member.erased"
MEMBER_DEACTIVATED = f"{PREFIX}.member.deactivated"  # HR: left the company
MEMBERS_ALL = f"{PREFIX}.member.>"

# -- rounds (producer: matcher; round.requested may come from any coordinator tool) -------
ROUND_REQUESTED = f"{PREFIX}.round.requested"
ROUND_PROGRESS = f"{PREFIX}.round.progress"
ROUND_PROPOSED = f"{PREFIX}.round.proposed"
ROUND_PUBLISHED = f"{PREFIX}.round.published"
ROUNDS_ALL = f"{PREFIX}.round.>"

# -- matches (producer: matcher, on publication) -----------------------------------------
MATCH_MENTORING_PAIR = f"{PREFIX}.match.mentoring_pair"
MATCH_GROUP = f"{PREFIX}.match.group"
MATCH_ROTATION = f"{PREFIX}.match.rotation"
MATCH_SUPERSEDED = f"{PREFIX}.match.superseded"  # a repair replaced the match
MATCHES_ALL = f"{PREFIX}.match.>"

# -- the life of a published match (producer: matcher) -----------------------------------
# A stream of its own: the notifier's announcement consumer reads ``entraide.match.>`` and
# must not receive these. ``type`` keeps the short name (``match.accepted``).
LIFE_PREFIX = f"{PREFIX}.life"
MATCH_ACCEPTED = f"{LIFE_PREFIX}.match.accepted"
MATCH_DECLINED = f"{LIFE_PREFIX}.match.declined"
MATCH_RESPONSE_REMINDED = f"{LIFE_PREFIX}.match.response_reminded"
MATCH_UNANSWERED = f"{LIFE_PREFIX}.match.unanswered"
MATCH_CHECKIN_REQUESTED = f"{LIFE_PREFIX}.match.checkin_requested"
MATCH_CHECKIN_ANSWERED = f"{LIFE_PREFIX}.match.checkin_answered"
GROUP_SESSION_RECORDED = f"{LIFE_PREFIX}.group.session_recorded"
GROUP_SESSION_REMINDED = f"{LIFE_PREFIX}.group.session_reminded"
MATCH_FEEDBACK_REQUESTED = f"{LIFE_PREFIX}.match.feedback_requested"
MATCH_FEEDBACK_GIVEN = f"{LIFE_PREFIX}.match.feedback_given"
MATCH_CLOSED = f"{LIFE_PREFIX}.match.closed"
LIFE_ALL = f"{LIFE_PREFIX}.>"

# A round event (ROUNDS stream): which matches a minimal-change repair changed.
ROUND_REPAIRED = f"{PREFIX}.round.repaired"

# -- notifications (producer: notifier) --------------------------------------------------
NOTIFICATION_DELIVERED = f"{PREFIX}.notification.delivered"
NOTIFICATION_FAILED = f"{PREFIX}.notification.failed"
NOTIFICATIONS_ALL = f"{PREFIX}.notification.>"

# -- dead letters: entraide.dlq.<service>; the original subject and reason ride in headers --
DLQ_PREFIX = f"{PREFIX}.dlq"
DLQ_ALL = f"{DLQ_PREFIX}.>"


def dead_letter_subject(service: str) -> str:
    """Subject on which ``service`` parks the messages it could not process."""
    return f"{DLQ_PREFIX}.{service}"


# -- durable consumers (one per service and purpose; replicas share them) -----------------
DURABLE_MATCHER_MEMBERS = "matcher-members"
DURABLE_MATCHER_ROUND_REQUESTS = "matcher-round-requests"
DURABLE_MATCHER_HEALTH_MATCHES = "matcher-health-matches"
DURABLE_MATCHER_HEALTH_LIFE = "matcher-health-life"
DURABLE_MATCHER_DEPARTURES_DECLINED = "matcher-departures-declined"
DURABLE_MATCHER_DEPARTURES_UNANSWERED = "matcher-departures-unanswered"
DURABLE_NOTIFIER_MATCHES = "notifier-matches"
DURABLE_NOTIFIER_ERASURES = "notifier-erasures"
DURABLE_NOTIFIER_LIFE = "notifier-life"

# -- streams ------------------------------------------------------------------------------
STREAM_MEMBERS = "ENTRAIDE_MEMBERS"
STREAM_ROUNDS = "ENTRAIDE_ROUNDS"
STREAM_MATCHES = "ENTRAIDE_MATCHES"
STREAM_NOTIFICATIONS = "ENTRAIDE_NOTIFICATIONS"
STREAM_LIFE = "ENTRAIDE_LIFE"
STREAM_DLQ = "ENTRAIDE_DLQ"

STREAM_SUBJECTS: dict[str, list[str]] = {
    STREAM_MEMBERS: [MEMBERS_ALL],
    STREAM_ROUNDS: [ROUNDS_ALL],
    STREAM_MATCHES: [MATCHES_ALL],
    STREAM_LIFE: [LIFE_ALL],
    STREAM_NOTIFICATIONS: [NOTIFICATIONS_ALL],
    STREAM_DLQ: [DLQ_ALL],
}
