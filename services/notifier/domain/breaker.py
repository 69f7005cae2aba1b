"""A circuit breaker per channel: a dead SMTP relay is probed, not hammered.

Closed, every message is sent. After ``threshold`` transient failures in a row it
opens: messages are given back untouched (no attempt counted) until ``open_s`` has
passed; then one message goes through as a probe (half-open). Its success closes the
breaker; its failure opens it for another ``open_s``. Time is passed in, so the rules
are plain and tested without waiting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass
class CircuitBreaker:
    """The state of one channel's breaker.

    >>> from datetime import datetime, timedelta
    >>> t = datetime(2026, 1, 1)
    >>> b = CircuitBreaker(threshold=2, open_s=60)
    >>> b.failed(t); b.admit(t)
    True
    >>> b.failed(t); b.admit(t), b.state
    (False, 'open')
    >>> later = t + timedelta(seconds=60)
    >>> b.admit(later), b.admit(later), b.state   # one probe at a time
    (True, False, 'half-open')
    >>> b.succeeded(); b.state
    'closed'
    """

    threshold: int = 3
    open_s: float = 60.0
    failures: int = 0
    opened_until: datetime | None = None
    probing: bool = False

    @property
    def state(self) -> str:
        if self.opened_until is None:
            return "closed"
        return "half-open" if self.probing else "open"

    def blocked(self, now: datetime) -> bool:
        """Whether :meth:`admit` would refuse now (asking changes nothing)."""
        return self.opened_until is not None and (self.probing or now < self.opened_until)

    def admit(self, now: datetime) -> bool:
        """Whether a message may be sent now (the one probe when the wait is over)."""
        if self.opened_until is None:
            return True
        if self.probing or now < self.opened_until:
            return False
        self.probing = True
        return True

    def retry_at(self, now: datetime) -> datetime:
        """When a message held back now should come back."""
        if self.opened_until is None or self.opened_until <= now:
            return now + timedelta(seconds=self.open_s)
        return self.opened_until

    def succeeded(self) -> None:
        self.failures, self.opened_until, self.probing = 0, None, False

    def failed(self, now: datetime) -> None:
        self.failures += 1
        if self.probing or self.failures >= self.threshold:
            self.opened_until = now + timedelta(seconds=self.open_s)
            self.probing = False
