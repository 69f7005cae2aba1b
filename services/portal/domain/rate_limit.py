"""How often someone may ask for a sign-in link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True, slots=True)
class Limit:
    """At most ``attempts`` in any ``window``."""

    attempts: int
    window: timedelta

    def exceeded(self, recent: int) -> bool:
        """``recent`` attempts counted in the window, this one included.

        >>> Limit(5, timedelta(minutes=15)).exceeded(5), Limit(5, timedelta(minutes=15)).exceeded(6)
        (False, True)
        """
        return recent > self.attempts


#: Per e-mail address: a person asking again and again, or someone flooding their inbox.
PER_EMAIL = Limit(5, timedelta(minutes=15))
#: Per client address: higher, since colleagues behind one company proxy share it.
PER_CLIENT = Limit(30, timedelta(minutes=15))
