"""The codes every service shares: they travel in data and events, never sentences.

Text for a code is rendered at the edges (HTTP answers, e-mails, pages) from the one
message catalogue (:mod:`shared.vocabulary.messages`), in French or English.
"""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    """Where an announcement is delivered."""

    EMAIL = "email"
    CHAT = "chat"
    INAPP = "inapp"


class ReasonCode(StrEnum):
    """Why a match was made (explanation terms); some take an argument (``code:arg``)."""

    SKILLS = "skills"  # skills:<skill code>, the mentor masters a wanted skill
    THEMES = "themes"  # themes:<theme code>, a shared interest
    CROSS_SITE = "cross_site"
    NEWCOMER = "newcomer"
    SENIORITY = "seniority"
    THEME = "theme"  # theme:<theme code>, the theme of a group
    SITES = "sites"  # sites:<n>, sites represented in a group
    LANGUAGE = "language"  # language:<iso code>
    NEW_COLLEAGUES = "new_colleagues"  # new_colleagues:<n>, new people met at a seminar


class UnmatchedReason(StrEnum):
    """Why a mentee got no mentor (the first constraint that left them without one)."""

    NO_MENTOR = "no_mentor_opted_in"
    MANAGER_LINE = "same_manager_line"
    LANGUAGE = "no_mentor_shares_language"
    HISTORY = "already_paired_with_all"
    FORBIDDEN = "forbidden_with_all"
    MIN_SCORE = "no_candidate_above_min_score"
    FULL = "all_compatible_mentors_full"


class DeclineReason(StrEnum):
    """Why a member declined a published match (``match.declined``)."""

    NOT_AVAILABLE = "not_available"
    NOT_A_FIT = "not_a_fit"
    LEFT = "left"  # left the company or the network
    OTHER = "other"


class CheckinFit(StrEnum):
    """The member's view of the match at the "did you meet?" check-in."""

    GOOD = "good"
    UNSURE = "unsure"
    NOT_A_FIT = "not_a_fit"


class ClosingReason(StrEnum):
    """Why a match was closed (``match.closed``); closed matches feed the history."""

    COMPLETED = "completed"  # the mentorship or the group came to its planned end
    DECLINED = "declined"  # a member declined it
    UNANSWERED = "unanswered"  # nobody answered before the deadline
    REPAIRED = "repaired"  # replaced by a minimal-change repair of its round
    MEMBER_LEFT = "member_left"  # a member left the network or was erased
    COORDINATOR = "coordinator"  # closed by a coordinator


class ProgressStep(StrEnum):
    """Where a round's computation stands (``round.progress`` events, round status)."""

    WAITING = "waiting"
    LOADING_MEMBERS = "loading_members"
    SCORING = "scoring"
    SOLVING = "solving"
    REPORTING = "reporting"
    PROPOSAL_READY = "proposal_ready"
    PUBLISHED = "published"
    CANCELLED = "cancelled"
    FAILED = "failed"


def reason(code: ReasonCode, argument: object | None = None) -> str:
    """A reason as it travels: ``code`` alone or ``code:argument``.

    >>> reason(ReasonCode.SKILLS, "budget")
    'skills:budget'
    >>> reason(ReasonCode.CROSS_SITE)
    'cross_site'
    """
    return str(code) if argument is None else f"{code}:{argument}"


def split_reason(text: str) -> tuple[str, str | None]:
    """The code and the argument of a reason.

    >>> split_reason("sites:4")
    ('sites', '4')
    >>> split_reason("newcomer")
    ('newcomer', None)
    """
    code, sep, argument = text.partition(":")
    return code, (argument if sep else None)
