"""Identity links (OIDC issuer + subject -> member id) and server-side sessions.

Revision ID: 0002_identity_links
Revises: 0001_initial
Create Date: 2026-11-27

``identity_links`` remembers which member an identity of the company's provider was
linked to at its first sign-in, so later sign-ins do not depend on the e-mail the
provider sends then. ``portal_sessions`` keeps the SHA-256 of each session id, so a
session ended by signing out cannot be replayed with the old cookie. Neither holds
business data; both are forgotten when the member erases their data through the portal.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_identity_links"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "identity_links",
        sa.Column("issuer", sa.String(300), primary_key=True),
        sa.Column("subject", sa.String(255), primary_key=True),
        sa.Column("member_id", sa.String(64), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("issuer", "member_id", name="uq_identity_links_issuer_member"),
    )
    op.create_index("ix_identity_links_member_id", "identity_links", ["member_id"])
    op.create_table(
        "portal_sessions",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column("member_id", sa.String(64), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_portal_sessions_member_id", "portal_sessions", ["member_id"])
    op.create_index("ix_portal_sessions_opened_at", "portal_sessions", ["opened_at"])


def downgrade() -> None:
    op.drop_table("portal_sessions")
    op.drop_table("identity_links")
