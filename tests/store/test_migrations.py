"""Schema history: models and migrations agree; an older store is upgraded, a newer refused."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, text

from netaudit.cli import main as cli_main
from netaudit.errors import StoreError
from netaudit.pipeline.run import (
    AuditRun,
    DeviceRecord,
    DeviceStatus,
    ExitRecord,
    RunStatus,
    UnitInfo,
)
from netaudit.policy.results import ConfigEvidence, Result, Severity, Status
from netaudit.store import head_revision, open_store
from netaudit.store.engine import MIGRATIONS, script_directory
from netaudit.store.schema import VERSION_TABLE, Base

BASELINE = "r0001_baseline"


def _engine(url: str) -> Engine:
    return create_engine(url)


def test_models_and_migrations_agree(store_url: str) -> None:
    """Autogenerate against a freshly migrated database finds nothing to change."""
    open_store(store_url).close()
    engine = _engine(store_url)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn, opts={"compare_type": True, "version_table": VERSION_TABLE}
        )
        diff = compare_metadata(ctx, Base.metadata)
        version = ctx.get_current_revision()
    engine.dispose()
    assert diff == [], f"schema.py and the migrations disagree: {diff}"
    assert version == head_revision()


def test_head_revision_is_the_newest_migration() -> None:
    """The head a store must be at is written down (opening a store needs no Alembic); it is
    the head of the migration scripts, so a new migration without it fails here."""
    assert script_directory().get_current_head() == head_revision()


def _at_baseline(url: str) -> None:
    """Create the schema at the first revision, as the first release did."""
    engine = _engine(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, BASELINE)
    engine.dispose()


# What the first release wrote: literal rows of the r0001 schema (run_exits has no isp).
_T = datetime(2026, 10, 1, 1, 0)
_BASELINE_ROWS = {
    "runs": {
        "id": "old-run", "inventory": "xian", "inventory_path": "inventories/xian",
        "mode": "offline", "status": "complete", "started_at": _T, "started_offset": 28800,
        "finished_at": _T, "finished_offset": 28800, "tool_version": "0.0.9",
        "schema_revision": BASELINE, "notes": "[]", "writer_host": "h", "writer_pid": 1,
        "writer_token": None, "heartbeat_at": _T, "unit_count": 1, "device_count": 1,
        "exit_count": 1, "probe_count": 0, "result_count": 1,
    },
    "run_units": {
        "run_id": "old-run", "seq": 0, "id": "yanta", "name": "雁塔区", "kind": "district",
        "responsible": None, "campus": None,
    },
    "config_snapshots": {"sha256": "0" * 64, "size": 12, "text": "sysname fw1\n"},
    "run_devices": {
        "run_id": "old-run", "seq": 0, "name": "fw1", "unit": "yanta", "platform": "huawei",
        "status": "ok", "message": None, "file": "configs/fw1.cfg", "config_sha256": "0" * 64,
        "hostname": "fw1", "os_version": None, "role": None, "lines_total": 1,
        "lines_recognized": 1, "lines_unsupported": 0, "lines_unrecognized": 0,
        "truncated": False,
    },
    "run_exits": {
        "run_id": "old-run", "seq": 0, "unit": "yanta", "device": "fw1",
        "interface": "GigabitEthernet0/0/1", "declared_id": None,
        "reasons": '["public_address"]',
        "evidence": '[{"kind":"config","device":"fw1","file":"configs/fw1.cfg","line":1,'
        '"text":"ip address 203.0.113.2 255.255.255.0"}]',
        "group": None, "source": "config",
    },
    "rule_texts": {
        "sha256": "1" * 64, "clause": "二(一)3", "deadline": None, "title_zh": "出口",
        "title_en": "Exits", "remediation_zh": "合并", "remediation_en": "Merge", "pack": None,
    },
    "run_results": {
        "run_id": "old-run", "seq": 0, "rule": "PLAN-EXIT-COUNT", "status": "pass",
        "severity": "high", "unit": "yanta", "subject": "yanta", "device": None,
        "message": "1 exit", "responsible": None, "rule_text_sha256": "1" * 64,
        "evidence": "[]",
    },
}  # fmt: skip


def _insert_baseline_rows(url: str) -> None:
    engine = _engine(url)
    with engine.begin() as conn:
        for table, row in _BASELINE_ROWS.items():
            cols = ", ".join(f'"{c}"' for c in row)
            params = ", ".join(f":{c}" for c in row)
            conn.execute(text(f"INSERT INTO {table} ({cols}) VALUES ({params})"), row)
    engine.dispose()


def test_store_from_the_first_schema_is_upgraded_and_read(store_url: str) -> None:
    _at_baseline(store_url)
    _insert_baseline_rows(store_url)
    with open_store(store_url) as store:
        assert store.migration is not None
        assert store.migration.from_revision == BASELINE
        assert store.migration.to_revision == head_revision()
        run = store.load_run("old-run")
        assert store.summary("old-run").schema_revision == BASELINE
    cst = timezone(timedelta(hours=8))
    assert run == AuditRun(
        id="old-run",
        inventory="xian",
        inventory_path="inventories/xian",
        mode="offline",
        started_at=datetime(2026, 10, 1, 9, 0, tzinfo=cst),
        finished_at=datetime(2026, 10, 1, 9, 0, tzinfo=cst),
        status=RunStatus.COMPLETE,
        tool_version="0.0.9",
        units=(UnitInfo("yanta", "雁塔区", "district", None),),
        devices=(
            DeviceRecord(
                "fw1", "yanta", "huawei", DeviceStatus.OK, file="configs/fw1.cfg",
                config="sysname fw1\n", hostname="fw1", lines_total=1, lines_recognized=1,
            ),
        ),
        exits=(
            ExitRecord(
                "yanta", "fw1", "GigabitEthernet0/0/1", None, ("public_address",),
                evidence=(
                    ConfigEvidence("fw1", "configs/fw1.cfg", 1,
                                   "ip address 203.0.113.2 255.255.255.0"),
                ),
                isp=None,  # added by r0002: unknown for old runs
            ),
        ),
        results=(
            Result(
                "PLAN-EXIT-COUNT", Status.PASS, Severity.HIGH, "yanta", "yanta", None, "1 exit",
                "二(一)3", None, None, "出口", "Exits", "合并", "Merge",
            ),
        ),
    )  # fmt: skip


def test_db_upgrade_command_migrates_an_old_store(
    store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _at_baseline(store_url)
    _insert_baseline_rows(store_url)
    with pytest.raises(StoreError, match="netaudit db upgrade"):
        open_store(store_url, upgrade=False)
    assert cli_main.run(["db", "upgrade", "--db", store_url]) == 0
    out = capsys.readouterr().out
    assert f"upgraded schema {BASELINE} -> {head_revision()}" in out
    assert cli_main.run(["db", "upgrade", "--db", store_url]) == 0
    assert "up to date" in capsys.readouterr().out
    with open_store(store_url, upgrade=False) as store:
        assert store.load_run("old-run").results[0].message == "1 exit"


def test_store_newer_than_the_code_is_refused_untouched(store_url: str) -> None:
    open_store(store_url).close()
    engine = _engine(store_url)
    with engine.begin() as conn:
        conn.execute(text(f"UPDATE {VERSION_TABLE} SET version_num = 'r0099_future'"))
    with pytest.raises(StoreError, match="r0099_future, newer than this netaudit"):
        open_store(store_url)
    with engine.connect() as conn:
        assert conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar() == (
            "r0099_future"
        )
    engine.dispose()
