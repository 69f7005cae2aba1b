"""Tuning of the notifier's dispatcher, read from ``ENTRAIDE_NOTIFIER_*`` variables.

These knobs are the notifier's own (the shared ``Settings`` keep what several
services need: ``smtp_url``, ``mail_from``, ``max_attempts``, ``retry_base_s``).
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class DispatcherOptions(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ENTRAIDE_NOTIFIER_", extra="ignore", frozen=True)

    poll_interval_s: float = Field(0.5, gt=0, description="Idle wait between two scans.")
    batch_size: int = Field(200, ge=1, description="Messages claimed per scan.")
    workers: int = Field(4, ge=1, le=64, description="Messages sent at once.")
    # Two: one scan's claim, contact lookups and commits overlap the other's sends
    # (stack at 1,000 members, two pairs: groups e-mails in 7.9 / 6.2 s vs 10.1 / 10.8 s
    # with one lane, load 7-9, same notifier CPU; issue 14).
    lanes: int = Field(2, ge=1, le=8, description="Scans in progress at once (overlapped).")
    # Two: one process is bound to one core by the GIL (4-5 ms of CPU per e-mail, issue
    # 14); the main one (consumer, HTTP, outbox) and one that only sends, on a 2-core host.
    processes: int = Field(
        2, ge=1, le=8, description="Dispatchers, each a process of its own (the main one included)."
    )
    lease_s: float = Field(
        60.0, gt=0, description="A claimed message left 'sending' longer is taken over."
    )
    settle_s: float = Field(
        1.0, ge=0, description="Wait after a match arrives so a round's matches share a message."
    )
    contact_ttl_s: float = Field(30.0, ge=0, description="How long a profile lookup is reused.")
    profiles_timeout_s: float = Field(5.0, gt=0)
    breaker_threshold: int = Field(
        3, ge=1, description="Failures in a row that open a channel's circuit breaker."
    )
    breaker_open_s: float = Field(
        60.0, gt=0, description="How long an open breaker holds messages back before a probe."
    )
