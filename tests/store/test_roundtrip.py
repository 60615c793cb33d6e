"""Record, list and load runs: what is saved comes back equal, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import create_engine, text

from netaudit.errors import StoreError
from netaudit.pipeline.run import RunStatus
from netaudit.policy.results import Severity
from netaudit.store import open_store
from tests.store.factory import T0, full_run


def test_saved_run_loads_back_equal(store_url: str) -> None:
    run = full_run()
    with open_store(store_url) as store:
        store.save_run(run)
        back = store.load_run(run.id)
    assert back == run
    # Local time survives (reports print it): 09:30:15+08:00, not 01:30:15 UTC.
    assert back.started_at.utcoffset() == timedelta(hours=8)
    assert back.started_at.hour == 9
    # Order of every part is kept, evidence included.
    assert [r.rule for r in back.results] == [r.rule for r in run.results]
    assert back.results[0].evidence == run.results[0].evidence
    assert back.probes[1].forwarders == () and back.probes[2].forwarders is None


def test_run_written_in_parts_loads_equal(store_url: str) -> None:
    run = full_run(status=RunStatus.COMPLETE)
    with open_store(store_url) as store:
        w = store.begin_run(
            id=run.id,
            inventory=run.inventory,
            inventory_path=run.inventory_path,
            mode=run.mode,
            started_at=run.started_at,
            tool_version=run.tool_version,
            units=run.units,
        )
        assert store.summary(run.id).status is RunStatus.RUNNING
        for d in run.devices:
            w.add_devices([d])
        w.add_results(run.results[:3])
        w.add_exits(run.exits)
        w.add_results(run.results[3:])
        w.add_probes(run.probes)
        w.finish(RunStatus.COMPLETE, finished_at=run.finished_at, notes=run.notes)
        assert store.load_run(run.id) == run
        assert store.stale_runs() == []


def test_list_runs_newest_first_with_counts(store_url: str) -> None:
    with open_store(store_url) as store:
        store.save_run(full_run("run-a", started=T0))
        store.save_run(full_run("run-b", started=T0 + timedelta(days=7)))
        store.save_run(full_run("other-1", started=T0 + timedelta(days=1), inventory="baoji"))
        runs = store.list_runs()
        assert [r.id for r in runs] == ["run-b", "other-1", "run-a"]
        assert [r.id for r in store.list_runs(inventory="xian")] == ["run-b", "run-a"]
        assert [r.id for r in store.list_runs(limit=1)] == ["run-b"]
        b = runs[0]
        assert (b.results.passed, b.results.failed, b.results.unknown) == (1, 3, 1)
        assert (b.results.not_applicable, b.results.error) == (1, 1)
        assert (b.devices, b.devices_not_ok) == (4, 1)
        assert b.status is RunStatus.INCOMPLETE and not b.stale


def test_run_refs_prefix_latest_previous(store_url: str) -> None:
    with open_store(store_url) as store:
        store.save_run(full_run("20261102-aaaa", started=T0))
        store.save_run(full_run("20261109-bbbb", started=T0 + timedelta(days=7)))
        store.save_run(full_run("20261109-bbcc", started=T0 + timedelta(days=8)))
        assert store.resolve("latest") == "20261109-bbcc"
        assert store.resolve("previous") == "20261109-bbbb"
        assert store.resolve("20261102") == "20261102-aaaa"
        assert store.load_run("20261109-bbc").id == "20261109-bbcc"
        with pytest.raises(StoreError, match="ambiguous"):
            store.resolve("20261109-bb")
        with pytest.raises(StoreError, match="no run 'nope'"):
            store.load_run("nope")
        # LIKE wildcards in a ref are literal characters.
        with pytest.raises(StoreError, match="no run"):
            store.resolve("2026110_")


def test_latest_skips_running_and_failed_runs(store_url: str) -> None:
    with open_store(store_url) as store:
        store.save_run(full_run("done", started=T0))
        store.save_run(full_run("broken", started=T0 + timedelta(hours=1), status=RunStatus.FAILED))
        store.begin_run(
            id="inflight",
            inventory="xian",
            inventory_path="inventories/xian",
            mode="offline",
            started_at=T0 + timedelta(hours=2),
            tool_version="0.1.0",
        )
        assert store.resolve("latest") == "done"
        with pytest.raises(StoreError, match="no previous finished run"):
            store.resolve("previous")
        assert store.load_run("inflight").status is RunStatus.RUNNING


def test_duplicate_run_id_is_a_clear_error(store_url: str) -> None:
    with open_store(store_url) as store:
        store.save_run(full_run("same"))
        with pytest.raises(StoreError, match="already has a run with id 'same'"):
            store.save_run(full_run("same"))


def test_snapshots_and_rule_texts_are_stored_once(store_url: str) -> None:
    with open_store(store_url) as store:
        for i in range(3):
            store.save_run(full_run(f"r{i}", started=T0 + timedelta(days=i)))
    engine = create_engine(store_url)
    with engine.connect() as conn:
        snaps = conn.execute(text("SELECT count(*) FROM config_snapshots")).scalar()
        devices = conn.execute(text("SELECT count(*) FROM run_devices")).scalar()
        texts = conn.execute(text("SELECT count(*) FROM rule_texts")).scalar()
    engine.dispose()
    # 3 runs x 4 devices, 3 with configs of which two are identical: 2 distinct snapshots.
    assert devices == 12
    assert snaps == 2
    assert texts == len({(r.rule, r.clause, r.pack, r.deadline) for r in full_run().results})


def test_previous_run_and_history(store_url: str) -> None:
    with open_store(store_url) as store:
        store.save_run(full_run("w1", started=T0))
        store.save_run(full_run("w2", started=T0 + timedelta(days=7)))
        store.save_run(full_run("w3", started=T0 + timedelta(days=14)))
        store.save_run(full_run("elsewhere", started=T0 + timedelta(days=9), inventory="baoji"))
        prev = store.previous_run("xian", before="w3")
        assert prev is not None and prev.id == "w2"
        assert store.previous_run("xian", before="w1") is None
        newest = store.previous_run("xian")
        assert newest is not None and newest.id == "w3"
        # What a report needs of the previous run: everything but the config texts.
        light = store.previous_run("xian", before="w3", configs=False)
        assert light is not None and light.results == prev.results
        assert any(d.config for d in prev.devices)
        assert [d.name for d in light.devices] == [d.name for d in prev.devices]
        assert all(d.config is None for d in light.devices)

        hist = store.history("xian", 2)
        assert [h.run_id for h in hist] == ["w2", "w3"]
        assert [h.run_id for h in store.history("xian", 10, upto="w2")] == ["w1", "w2"]
        h = hist[-1]
        assert h.totals.failed == 3 and h.totals.passed == 1 and h.totals.unknown == 1
        assert h.by_severity[Severity.CRITICAL].failed == 1
        assert h.by_severity[Severity.MEDIUM].failed == 1
        assert h.by_unit["yanta"].failed == 2
        assert h.by_unit["beilin"].passed == 1 and h.by_unit["beilin"].unknown == 1
        assert h.started_at == T0 + timedelta(days=14)
