"""Diff two stored runs and prune old ones, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, text

from netaudit.pipeline.run import AuditRun, RunStatus
from netaudit.policy.results import Status
from netaudit.store import open_store
from tests.store.factory import T0, config, full_run, result


def _week2() -> AuditRun:
    """full_run a week later: yanta-fw2's config changed, results and exits moved."""
    base = full_run("week2", started=T0 + timedelta(days=7), variant=1)
    results = [r for r in base.results if r.rule != "PLAN-EXIT-DECLARED"]  # now absent
    results = [
        dataclasses.replace(r, status=Status.PASS) if r.rule == "MLPS-MGMT-SECURE-PROTOCOLS" else r
        for r in results
    ]
    results = [
        dataclasses.replace(r, status=Status.UNKNOWN) if r.subject == "yanta" else r
        for r in results
    ]
    results.append(result("MLPS-AUDIT-SYSLOG", Status.FAIL, "beilin", "beilin-sw1"))
    exits = (*base.exits[:2], dataclasses.replace(base.exits[2], interface="Cellular0"))
    devices = (*base.devices[:3], dataclasses.replace(base.devices[0], name="new-fw"))
    return dataclasses.replace(base, results=tuple(results), exits=exits, devices=devices)


def test_diff_reports_new_resolved_unverified_still_failing(store_url: str) -> None:
    week1 = full_run("week1", started=T0)
    with open_store(store_url) as store:
        store.save_run(week1)
        store.save_run(_week2())
        d = store.diff("week1", "week2")
        assert d.run_a.id == "week1" and d.run_b.id == "week2"
        assert [(c.rule, c.subject) for c in d.new] == [("MLPS-AUDIT-SYSLOG", "beilin-sw1")]
        assert [(c.rule, c.subject) for c in d.resolved] == [
            ("MLPS-MGMT-SECURE-PROTOCOLS", "yanta-sw1")
        ]
        # A failure that became unknown, or vanished, is not "resolved": unknown is never pass.
        assert sorted((c.rule, c.subject) for c in d.unverified) == [
            ("PLAN-EXIT-COUNT", "yanta"),
            ("PLAN-EXIT-DECLARED", "orphan-r1:Dialer0"),
        ]
        assert d.still_failing == ()
        assert [e.subject for e in d.exits_added] == ["orphan-r1:Cellular0"]
        assert [e.subject for e in d.exits_removed] == ["orphan-r1:Dialer0"]
        assert d.devices_added == ("new-fw",)
        assert d.devices_removed == ("beilin-core",)
        [change] = d.config_changed
        assert change.device == "yanta-fw2"
        assert "-interface GigabitEthernet0/0/0\n" in change.diff
        assert "+interface GigabitEthernet0/0/1\n" in change.diff
        assert "week1/yanta-fw2" in change.diff
        # Same run against itself: everything failing is still failing, nothing else.
        same = store.diff("week1", "week1")
        assert same.new == same.resolved == same.unverified == same.config_changed == ()
        assert len(same.still_failing) == 3


def test_prune_keep_keeps_newest_per_inventory_and_shared_snapshots(store_url: str) -> None:
    with open_store(store_url) as store:
        for i in range(4):
            store.save_run(full_run(f"x{i}", started=T0 + timedelta(days=i), variant=i))
        store.save_run(full_run("b0", started=T0, inventory="baoji"))
        report = store.prune(keep=2)
        assert sorted(report.removed) == ["x0", "x1"]
        # x0/x1 each had their own yanta-fw2 variant: those two snapshots go; the shared
        # template snapshot is still referenced by x2, x3 and b0 and stays.
        assert report.snapshots_removed == 1  # variant 1 (variant 0 is still used by b0)
        assert [r.id for r in store.list_runs()] == ["x3", "x2", "b0"]
        for run_id in ("x2", "x3", "b0"):
            run = store.load_run(run_id)
            assert all(d.config is not None for d in run.devices[:3])
        assert store.snapshot(full_run(variant=1).devices[0].config_hash or "") is None
        assert store.snapshot(full_run(variant=0).devices[0].config_hash or "") is not None
    engine = create_engine(store_url)
    with engine.connect() as conn:
        for table in ("run_results", "run_devices", "unrecognized_lines", "run_units"):
            orphans = conn.execute(
                text(f"SELECT count(*) FROM {table} WHERE run_id NOT IN (SELECT id FROM runs)")
            ).scalar()
            assert orphans == 0, table
    engine.dispose()


def test_prune_older_than_and_never_a_live_run(store_url: str) -> None:
    now = datetime(2026, 12, 31, tzinfo=UTC)
    with open_store(store_url) as store:
        store.save_run(full_run("old", started=now - timedelta(days=100)))
        store.save_run(full_run("recent", started=now - timedelta(days=3)))
        store.begin_run(  # being written right now by this process
            id="live",
            inventory="xian",
            inventory_path="inventories/xian",
            mode="offline",
            started_at=now - timedelta(days=200),
            tool_version="0.1.0",
        )
        report = store.prune(older_than=timedelta(days=30), now=now)
        assert report.removed == ("old",)
        assert {r.id for r in store.list_runs()} == {"recent", "live"}
        assert store.prune(keep=0).removed == ("recent",)
        assert [r.id for r in store.list_runs()] == ["live"]
        assert store.summary("live").status is RunStatus.RUNNING


def test_prune_needs_a_rule(store_url: str) -> None:
    with open_store(store_url) as store, pytest.raises(ValueError):
        store.prune()


def test_unreferenced_snapshot_text_is_gone_from_the_database(store_url: str) -> None:
    marker = "only-in-old-run-config"
    old = full_run("old", started=T0)
    dev = dataclasses.replace(old.devices[0], config=config(marker))
    old = dataclasses.replace(old, devices=(dev, *old.devices[1:]))
    with open_store(store_url) as store:
        store.save_run(old)
        store.save_run(full_run("new", started=T0 + timedelta(days=1)))
        store.prune(keep=1)
    engine = create_engine(store_url)
    with engine.connect() as conn:
        hits = conn.execute(
            text("SELECT count(*) FROM config_snapshots WHERE text LIKE :m"), {"m": f"%{marker}%"}
        ).scalar()
    engine.dispose()
    assert hits == 0
