"""Errors of the matcher service; the HTTP layer maps them to 4xx."""


class MatcherError(Exception):
    """Base error of the matcher service."""

    status_code = 400


class RoundNotFound(MatcherError):
    status_code = 404


class MatchNotFound(MatcherError):
    status_code = 404


class InvalidTransition(MatcherError):
    """The round is not in a state that allows this action."""

    status_code = 409


class ConflictingRequest(MatcherError):
    """The client request id is already used by a different request."""

    status_code = 409


class AdjustmentRejected(MatcherError):
    """The adjustment would break a hard constraint; nothing was changed."""

    status_code = 422
