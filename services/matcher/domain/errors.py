"""Errors of the matcher service: a message code and its parameters, never a sentence.

The app factory renders them as RFC 9457 problem+json in the caller's language from
``shared/vocabulary/messages/matcher.py``.
"""

from __future__ import annotations

from shared.errors import Conflict, EntraideError, Invalid, NotFound


class MatcherError(EntraideError):
    """Base error of the matcher service."""

    code = "matcher_error"


class RoundNotFound(MatcherError, NotFound):
    code = "round_not_found"  # round_id


class MatchNotFound(MatcherError, NotFound):
    code = "match_not_found"  # match_id


class MemberUnknown(MatcherError, NotFound):
    code = "matcher_member_unknown"  # member_id


class InvalidTransition(MatcherError, Conflict):
    """The round is not in a state that allows this action."""

    code = "round_invalid_transition"  # state, action


class ConflictingRequest(MatcherError, Conflict):
    """The client request id is already used by a different request."""

    code = "round_request_conflict"  # client_request_id


class AdjustmentRejected(MatcherError, Invalid):
    """The adjustment (or the round's parameters) would break a hard constraint."""

    code = "adjustment_rejected"


class AnswerRefused(MatcherError, Conflict):
    """The answer (accept, decline, check-in) is not possible now; the code says why."""

    code = "match_answer_refused"
