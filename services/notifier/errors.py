"""Errors of the notifier: one base class, HTTP maps them to readable 4xx."""

from __future__ import annotations


class NotifierError(Exception):
    """Base of the notifier's errors."""

    status_code = 400


class EntryNotFound(NotifierError):
    status_code = 404


class ChannelError(NotifierError):
    """A channel could not deliver; ``transient`` faults are retried with backoff."""

    def __init__(self, reason: str, transient: bool = True) -> None:
        super().__init__(reason)
        self.transient = transient


class MemberGone(NotifierError):
    """Profiles answered 404: the member was erased; their deliveries are skipped."""


class ProfilesUnavailable(NotifierError):
    """Profiles could not be reached or answered an error: retry later."""
