"""Store stage, the tables: SQLAlchemy 2 typed ORM models of a netaudit store (head revision).

Input: nothing (definitions only). Output: ``Base.metadata``, the schema the Alembic migrations
in ``netaudit/store/migrations/versions`` build step by step; ``tests/store`` fails when the two
disagree. Layout: one ``runs`` row per audit; every child row is keyed by ``(run_id, seq)`` so
the order of units, devices, exits, probes and results round-trips exactly. Two tables are
content-addressed by sha256 and shared by every run that references them: ``config_snapshots``
(redacted config text — a device whose config did not change between runs costs one 64-char
key) and ``rule_texts`` (titles, remediation and clause, repeated on thousands of results).

Evidence is a JSON column on ``run_results`` (and ``run_exits``), not a child table: it is
always read whole with its result, never queried by field, its four kinds have different shapes
(a path has nested hops), and a 5,000-device run has tens of thousands of results — a child
table (plus hops) would multiply rows and joins for no query that needs them.

Datetimes are stored as naive UTC plus the original UTC offset in seconds (NULL: the value was
naive), so ordering works in SQL on every engine and a run started at 09:00+08:00 loads back as
09:00+08:00.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

VERSION_TABLE = "netaudit_alembic_version"
"""Alembic's version table, renamed so a netaudit store is recognisable among other databases."""

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

HASH = String(64)  # sha256 hex
ID = String(128)  # run ids and names chosen by the pipeline / inventory
SHORT = String(32)  # enum values


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class RunRow(Base):
    __tablename__ = "runs"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    inventory: Mapped[str] = mapped_column(ID, index=True)
    inventory_path: Mapped[str] = mapped_column(Text)
    mode: Mapped[str] = mapped_column(SHORT)
    status: Mapped[str] = mapped_column(SHORT, index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    started_offset: Mapped[int | None] = mapped_column(Integer)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_offset: Mapped[int | None] = mapped_column(Integer)
    tool_version: Mapped[str] = mapped_column(SHORT)
    schema_revision: Mapped[str] = mapped_column(SHORT)  # the migration that wrote the run
    notes: Mapped[list[str]] = mapped_column(JSON)
    # Who writes the run, to tell a run in progress from one whose writer died.
    writer_host: Mapped[str] = mapped_column(String(255))
    writer_pid: Mapped[int] = mapped_column(Integer)
    writer_token: Mapped[str | None] = mapped_column(SHORT)  # process start time (Linux)
    heartbeat_at: Mapped[datetime] = mapped_column(DateTime)
    # Row counts, written in the same transaction as the final status: a finished run whose
    # child rows do not add up to these is damaged and is refused on load.
    unit_count: Mapped[int | None] = mapped_column(Integer)
    device_count: Mapped[int | None] = mapped_column(Integer)
    exit_count: Mapped[int | None] = mapped_column(Integer)
    probe_count: Mapped[int | None] = mapped_column(Integer)
    result_count: Mapped[int | None] = mapped_column(Integer)


def _run_fk() -> ForeignKey:
    return ForeignKey("runs.id", ondelete="CASCADE")


class UnitRow(Base):
    __tablename__ = "run_units"

    run_id: Mapped[str] = mapped_column(ID, _run_fk(), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    id: Mapped[str] = mapped_column(ID)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(SHORT)
    responsible: Mapped[str | None] = mapped_column(Text)
    campus: Mapped[str | None] = mapped_column(SHORT)


class SnapshotRow(Base):
    """A redacted config, stored once by its sha256 however many runs see it."""

    __tablename__ = "config_snapshots"

    sha256: Mapped[str] = mapped_column(HASH, primary_key=True)
    size: Mapped[int] = mapped_column(Integer)  # bytes of UTF-8
    text: Mapped[str] = mapped_column(Text)


class DeviceRow(Base):
    __tablename__ = "run_devices"
    __table_args__ = (Index("ix_run_devices_run_id_name", "run_id", "name"),)

    run_id: Mapped[str] = mapped_column(ID, _run_fk(), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(ID)
    unit: Mapped[str] = mapped_column(ID)
    platform: Mapped[str] = mapped_column(SHORT)
    status: Mapped[str] = mapped_column(SHORT)
    message: Mapped[str | None] = mapped_column(Text)
    file: Mapped[str | None] = mapped_column(Text)
    config_sha256: Mapped[str | None] = mapped_column(
        HASH, ForeignKey("config_snapshots.sha256"), index=True
    )
    hostname: Mapped[str | None] = mapped_column(Text)
    os_version: Mapped[str | None] = mapped_column(Text)
    role: Mapped[str | None] = mapped_column(SHORT)
    lines_total: Mapped[int] = mapped_column(Integer)
    lines_recognized: Mapped[int] = mapped_column(Integer)
    lines_unsupported: Mapped[int] = mapped_column(Integer)
    lines_unrecognized: Mapped[int] = mapped_column(Integer)
    truncated: Mapped[bool] = mapped_column(Boolean)


class UnrecognizedRow(Base):
    """A config line the parser could not classify (redacted text, from the parser)."""

    __tablename__ = "unrecognized_lines"
    __table_args__ = (
        ForeignKeyConstraint(
            ["run_id", "device_seq"],
            ["run_devices.run_id", "run_devices.seq"],
            ondelete="CASCADE",
            name="fk_unrecognized_lines_device",
        ),
    )

    run_id: Mapped[str] = mapped_column(ID, primary_key=True)
    device_seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    section: Mapped[str] = mapped_column(SHORT)
    line: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)


class ExitRow(Base):
    __tablename__ = "run_exits"

    run_id: Mapped[str] = mapped_column(ID, _run_fk(), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    unit: Mapped[str | None] = mapped_column(ID)
    device: Mapped[str] = mapped_column(ID)
    interface: Mapped[str] = mapped_column(ID)
    declared_id: Mapped[str | None] = mapped_column(ID)
    reasons: Mapped[list[str]] = mapped_column(JSON)
    evidence: Mapped[list[object]] = mapped_column(JSON)
    group: Mapped[str | None] = mapped_column(ID)
    source: Mapped[str] = mapped_column(SHORT)
    isp: Mapped[str | None] = mapped_column(Text)  # revision 0002


class ProbeRow(Base):
    __tablename__ = "probe_observations"

    run_id: Mapped[str] = mapped_column(ID, _run_fk(), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    probe: Mapped[str] = mapped_column(ID)
    unit: Mapped[str] = mapped_column(ID)
    observed_sources: Mapped[list[str]] = mapped_column(JSON)
    # NULL: the rogue-gateway sweep did not run; []: it ran and no host forwarded.
    forwarders: Mapped[list[object] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)


class RuleTextRow(Base):
    """A rule's titles, remediation, clause, deadline and pack, stored once by content."""

    __tablename__ = "rule_texts"

    sha256: Mapped[str] = mapped_column(HASH, primary_key=True)
    clause: Mapped[str] = mapped_column(Text)
    deadline: Mapped[str | None] = mapped_column(SHORT)
    title_zh: Mapped[str] = mapped_column(Text)
    title_en: Mapped[str] = mapped_column(Text)
    remediation_zh: Mapped[str] = mapped_column(Text)
    remediation_en: Mapped[str] = mapped_column(Text)
    pack: Mapped[str | None] = mapped_column(ID)


class ResultRow(Base):
    __tablename__ = "run_results"

    run_id: Mapped[str] = mapped_column(ID, _run_fk(), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    rule: Mapped[str] = mapped_column(ID)
    status: Mapped[str] = mapped_column(SHORT)
    severity: Mapped[str] = mapped_column(SHORT)
    unit: Mapped[str | None] = mapped_column(ID)
    subject: Mapped[str] = mapped_column(Text)
    device: Mapped[str | None] = mapped_column(ID)
    message: Mapped[str] = mapped_column(Text)
    responsible: Mapped[str | None] = mapped_column(Text)
    # No index: it would cost ~70 bytes per result; only prune needs it, with one scan.
    rule_text_sha256: Mapped[str] = mapped_column(HASH, ForeignKey("rule_texts.sha256"))
    evidence: Mapped[list[object]] = mapped_column(JSON)


CHILD_TABLES = (
    UnrecognizedRow,
    UnitRow,
    DeviceRow,
    ExitRow,
    ProbeRow,
    ResultRow,
)
"""Per-run tables, children before parents (the order to delete a run in)."""
