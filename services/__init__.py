"""The three services. Each package ``services/<name>`` starts with the same two names:

* ``SERVICE``, its one name (broker client, dead-letter subject, event producer, logs,
  service token), passed down from there instead of repeating the literal;
* ``port(settings)``, the setting that gives its HTTP port (used by ``python -m
  services.<name>`` and by the local stack);
* ``NATS_ACCESS`` for those on the broker: what its NATS user may publish and consume.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shared.nats_access import Access


def broker_access() -> dict[str, Access]:
    """The NATS user of every service on the broker and what it may do."""
    from services import matcher, notifier, profiles

    return {p.SERVICE: p.NATS_ACCESS for p in (profiles, matcher, notifier)}
