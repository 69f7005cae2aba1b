"""deliveries: reason_params (the parameters of the reason code).

Revision ID: 0002_reason_params
Revises: 0001_baseline
Create Date: 2025-06-02

Reasons are stored as message codes from now on (``member_paused``) with their
parameters here (``{"until": "2025-05-01"}``); the text is rendered in the reader's
language by the delivery log. Rows written before keep their French sentence in
``reason`` and no parameters: the log shows such a reason as it is.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_reason_params"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("deliveries", sa.Column("reason_params", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("reason_params")
