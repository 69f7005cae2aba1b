"""Tables of the portal: what sign-in needs, nothing of the members' business data.

``sign_in_links`` keeps the SHA-256 of each single-use token (never the token), the
address and member it was sent for, and when it expires or was used;
``rate_limit_hits`` one row per counted attempt, keyed by e-mail or client address;
``identity_links`` which member an identity of an OIDC provider (issuer, subject) was
linked to at its first sign-in; ``portal_sessions`` the SHA-256 of each open session's
id, so that signing out (or erasure) ends a session on the server, not only in the
browser that held the cookie.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)

metadata = MetaData()

sign_in_links = Table(
    "sign_in_links",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("email", String(320), nullable=False),
    Column("member_id", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True), nullable=True),
    Index("ix_sign_in_links_expires_at", "expires_at"),
)

rate_limit_hits = Table(
    "rate_limit_hits",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(400), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_rate_limit_hits_key_at", "key", "at"),
)

identity_links = Table(
    "identity_links",
    metadata,
    Column("issuer", String(300), primary_key=True),
    Column("subject", String(255), primary_key=True),
    Column("member_id", String(64), nullable=False),
    Column("linked_at", DateTime(timezone=True), nullable=False),
    # One identity per member and provider: a second subject claiming the same member
    # (an address changed at the provider) is refused, not linked beside the first.
    UniqueConstraint("issuer", "member_id", name="uq_identity_links_issuer_member"),
    Index("ix_identity_links_member_id", "member_id"),
)

portal_sessions = Table(
    "portal_sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("member_id", String(64), nullable=False),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True), nullable=True),
    Index("ix_portal_sessions_member_id", "member_id"),
    Index("ix_portal_sessions_opened_at", "opened_at"),
)
