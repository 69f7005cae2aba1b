"""Round steps as codes: the French step texts of older rounds become ``ProgressStep`` codes.

Rounds stored before this revision carry a sentence ("en attente", "proposition prête",
an error text...) in ``rounds.step``; each becomes the code of its state.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the codes of that time (shared.vocabulary.ProgressStep).
CODES = (
    "waiting", "loading_members", "scoring", "solving", "reporting",
    "proposal_ready", "published", "cancelled", "failed",
)  # fmt: skip
STEP_OF_STATE = {
    "requested": "waiting",
    "running": "solving",
    "proposed": "proposal_ready",
    "published": "published",
    "cancelled": "cancelled",
    "failed": "failed",
}


def upgrade() -> None:
    rounds = sa.table("rounds", sa.column("state", sa.String), sa.column("step", sa.String))
    for state, step in STEP_OF_STATE.items():
        op.execute(
            rounds.update()
            .where(rounds.c.state == state, rounds.c.step.not_in(CODES))
            .values(step=step)
        )


def downgrade() -> None:
    pass  # codes are valid texts for the older code
