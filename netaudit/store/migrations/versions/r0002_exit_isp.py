"""Exits remember their ISP (``ExitRecord.isp``, from the declared exit).

Revision ID: r0002_exit_isp
Revises: r0001_baseline
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "r0002_exit_isp"
down_revision = "r0001_baseline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("run_exits", schema=None) as batch_op:
        batch_op.add_column(sa.Column("isp", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("run_exits", schema=None) as batch_op:
        batch_op.drop_column("isp")
