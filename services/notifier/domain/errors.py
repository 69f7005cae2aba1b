"""Errors of the notifier: codes with parameters, rendered at the edge (problem+json).

HTTP errors derive from :class:`shared.errors.EntraideError`; the transient faults of
the dispatcher (:class:`ChannelError`, :class:`ProfilesUnavailable`) carry a reason
CODE and its parameters too, stored with the delivery and shown in the delivery log.
"""

from __future__ import annotations

from typing import Any

from shared.errors import EntraideError, NotFound, Unavailable


class NotifierError(EntraideError):
    """Base of the notifier's errors."""


class EntryNotFound(NotifierError, NotFound):
    """No such inbox entry among the caller's own."""

    code = "inbox_entry_not_found"


class RoundLogNotFound(NotifierError, NotFound):
    """No delivery recorded for the round."""

    code = "round_deliveries_not_found"


class ChannelError(NotifierError):
    """A channel could not deliver; ``transient`` faults are retried with backoff.

    ``code`` names the cause (``smtp_failed``...); ``detail`` is what the server or
    library said (diagnostic text, kept as it came).
    """

    def __init__(self, code: str, /, *, transient: bool = True, **params: Any) -> None:
        super().__init__(code, **params)
        self.transient = transient


class AddressRefused(ChannelError):
    """The member's address may not be used (a webhook pointing inside the network...):
    a permanent failure of the delivery, its reason the refusal's own code."""

    def __init__(self, code: str, /, **params: Any) -> None:
        super().__init__(code, transient=False, **params)


class ProfilesUnavailable(NotifierError):
    """Profiles could not be reached or answered an error: retry later."""

    code = "profiles_unavailable"


class EmailNotConfigured(NotifierError, Unavailable):
    """No SMTP relay is configured: an e-mail asked for directly cannot be sent."""

    code = "channel_not_configured"
