"""Organisation and members' rights: HR keys, teams, outside managers, erasure tombstones.

Revision ID: 0002
Revises: 0001

* ``members.external_id`` (HR's own key, unique when given) and ``members.team``
  (indexed copies of the profile's fields);
* ``org_managers``: managers who are not members (HR key, name, e-mail, their own
  manager's node key, team) and ``org_teams`` (code, name) — reference data, never
  members;
* ``erased_members``: one PII-free tombstone per erased member (id, when, last
  version), so tokens issued before the erasure are refused and a member who
  registers again continues the version sequence.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("external_id", sa.String(64), nullable=True))
        batch.add_column(sa.Column("team", sa.String(64), nullable=True))
        batch.create_index("ix_members_external_id", ["external_id"], unique=True)
        batch.create_index("ix_members_team", ["team"])
    op.create_table(
        "org_managers",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(320), nullable=True, unique=True),
        sa.Column("manager", sa.String(64), nullable=True),
        sa.Column("team", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "org_teams",
        sa.Column("code", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
    )
    op.create_table(
        "erased_members",
        sa.Column("member_id", sa.String(64), primary_key=True),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_version", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("erased_members")
    op.drop_table("org_teams")
    op.drop_table("org_managers")
    with op.batch_alter_table("members") as batch:
        batch.drop_index("ix_members_team")
        batch.drop_index("ix_members_external_id")
        batch.drop_column("team")
        batch.drop_column("external_id")
