"""Baseline: the first released schema of the netaudit store. Never edit; add a revision.

Revision ID: r0001_baseline
Revises: (none)
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "r0001_baseline"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "config_snapshots",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_config_snapshots")),
    )
    op.create_table(
        "rule_texts",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("clause", sa.Text(), nullable=False),
        sa.Column("deadline", sa.String(length=32), nullable=True),
        sa.Column("title_zh", sa.Text(), nullable=False),
        sa.Column("title_en", sa.Text(), nullable=False),
        sa.Column("remediation_zh", sa.Text(), nullable=False),
        sa.Column("remediation_en", sa.Text(), nullable=False),
        sa.Column("pack", sa.String(length=128), nullable=True),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_rule_texts")),
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.String(length=128), nullable=False),
        sa.Column("inventory", sa.String(length=128), nullable=False),
        sa.Column("inventory_path", sa.Text(), nullable=False),
        sa.Column("mode", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("started_offset", sa.Integer(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("finished_offset", sa.Integer(), nullable=True),
        sa.Column("tool_version", sa.String(length=32), nullable=False),
        sa.Column("schema_revision", sa.String(length=32), nullable=False),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.Column("writer_host", sa.String(length=255), nullable=False),
        sa.Column("writer_pid", sa.Integer(), nullable=False),
        sa.Column("writer_token", sa.String(length=32), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(), nullable=False),
        sa.Column("unit_count", sa.Integer(), nullable=True),
        sa.Column("device_count", sa.Integer(), nullable=True),
        sa.Column("exit_count", sa.Integer(), nullable=True),
        sa.Column("probe_count", sa.Integer(), nullable=True),
        sa.Column("result_count", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_runs")),
    )
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_runs_inventory"), ["inventory"], unique=False)
        batch_op.create_index(batch_op.f("ix_runs_started_at"), ["started_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_runs_status"), ["status"], unique=False)

    op.create_table(
        "probe_observations",
        sa.Column("run_id", sa.String(length=128), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("probe", sa.String(length=128), nullable=False),
        sa.Column("unit", sa.String(length=128), nullable=False),
        sa.Column("observed_sources", sa.JSON(), nullable=False),
        sa.Column("forwarders", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["runs.id"],
            name=op.f("fk_probe_observations_run_id_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("run_id", "seq", name=op.f("pk_probe_observations")),
    )
    op.create_table(
        "run_devices",
        sa.Column("run_id", sa.String(length=128), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("unit", sa.String(length=128), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("file", sa.Text(), nullable=True),
        sa.Column("config_sha256", sa.String(length=64), nullable=True),
        sa.Column("hostname", sa.Text(), nullable=True),
        sa.Column("os_version", sa.Text(), nullable=True),
        sa.Column("role", sa.String(length=32), nullable=True),
        sa.Column("lines_total", sa.Integer(), nullable=False),
        sa.Column("lines_recognized", sa.Integer(), nullable=False),
        sa.Column("lines_unsupported", sa.Integer(), nullable=False),
        sa.Column("lines_unrecognized", sa.Integer(), nullable=False),
        sa.Column("truncated", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["config_sha256"],
            ["config_snapshots.sha256"],
            name=op.f("fk_run_devices_config_sha256_config_snapshots"),
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name=op.f("fk_run_devices_run_id_runs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("run_id", "seq", name=op.f("pk_run_devices")),
    )
    with op.batch_alter_table("run_devices", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_run_devices_config_sha256"), ["config_sha256"], unique=False
        )
        batch_op.create_index("ix_run_devices_run_id_name", ["run_id", "name"], unique=False)

    op.create_table(
        "run_exits",
        sa.Column("run_id", sa.String(length=128), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("unit", sa.String(length=128), nullable=True),
        sa.Column("device", sa.String(length=128), nullable=False),
        sa.Column("interface", sa.String(length=128), nullable=False),
        sa.Column("declared_id", sa.String(length=128), nullable=True),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("group", sa.String(length=128), nullable=True),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name=op.f("fk_run_exits_run_id_runs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("run_id", "seq", name=op.f("pk_run_exits")),
    )
    op.create_table(
        "run_results",
        sa.Column("run_id", sa.String(length=128), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("rule", sa.String(length=128), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("severity", sa.String(length=32), nullable=False),
        sa.Column("unit", sa.String(length=128), nullable=True),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("device", sa.String(length=128), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("responsible", sa.Text(), nullable=True),
        sa.Column("rule_text_sha256", sa.String(length=64), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["rule_text_sha256"],
            ["rule_texts.sha256"],
            name=op.f("fk_run_results_rule_text_sha256_rule_texts"),
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name=op.f("fk_run_results_run_id_runs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("run_id", "seq", name=op.f("pk_run_results")),
    )
    op.create_table(
        "run_units",
        sa.Column("run_id", sa.String(length=128), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("id", sa.String(length=128), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("responsible", sa.Text(), nullable=True),
        sa.Column("campus", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name=op.f("fk_run_units_run_id_runs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("run_id", "seq", name=op.f("pk_run_units")),
    )
    op.create_table(
        "unrecognized_lines",
        sa.Column("run_id", sa.String(length=128), nullable=False),
        sa.Column("device_seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("section", sa.String(length=32), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id", "device_seq"],
            ["run_devices.run_id", "run_devices.seq"],
            name="fk_unrecognized_lines_device",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("run_id", "device_seq", "seq", name=op.f("pk_unrecognized_lines")),
    )


def downgrade() -> None:
    op.drop_table("unrecognized_lines")
    op.drop_table("run_units")
    op.drop_table("run_results")
    op.drop_table("run_exits")
    with op.batch_alter_table("run_devices", schema=None) as batch_op:
        batch_op.drop_index("ix_run_devices_run_id_name")
        batch_op.drop_index(batch_op.f("ix_run_devices_config_sha256"))

    op.drop_table("run_devices")
    op.drop_table("probe_observations")
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_runs_status"))
        batch_op.drop_index(batch_op.f("ix_runs_started_at"))
        batch_op.drop_index(batch_op.f("ix_runs_inventory"))

    op.drop_table("runs")
    op.drop_table("rule_texts")
    op.drop_table("config_snapshots")
