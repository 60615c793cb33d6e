"""Crash safety and concurrency, with real processes on SQLite and PostgreSQL.

Kill: a writer process is SIGKILLed inside its transaction at several points (first migration,
snapshot writes, results, the final status update); the store stays consistent — no finished
run with missing rows, the killed run stays ``running`` and is reported stale — and the next
run works and reports it. Concurrency: two writers on one fresh database both land intact.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from netaudit.pipeline.run import RunStatus
from netaudit.store import Store, open_store
from netaudit.store.engine import set_wal
from tests.store.writer import expected_run

WRITER = Path(__file__).with_name("writer.py")
T1 = datetime(2026, 11, 9, 1, 0, tzinfo=UTC)


def _writer(
    url: str, run_id: str, devices: int, *extra: str, started: datetime = T1
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WRITER), "--db", url, "--id", run_id, "--devices", str(devices),
         "--started", started.isoformat(), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip


def _wait_for(proc: subprocess.Popen[str], word: str, timeout: float = 90) -> None:
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            _, err = proc.communicate(timeout=5)
            pytest.fail(f"writer ended before {word}: rc={proc.returncode} {err[-2000:]}")
        if line.strip() == word:
            return
    proc.kill()
    pytest.fail(f"writer did not reach {word}")


def _consistent(store: Store) -> None:
    """Every finished run loads (its row counts add up); none is complete with rows missing."""
    for s in store.list_runs():
        if s.status in (RunStatus.COMPLETE, RunStatus.INCOMPLETE):
            run = store.load_run(s.id)
            assert run.status is s.status
            assert len(run.results) == 4 * len(run.devices)


KILL_POINTS = [
    pytest.param("CREATE TABLE run_results:1", id="during-first-migration"),
    pytest.param("INSERT INTO config_snapshots:3", id="during-snapshot-writes"),
    pytest.param("INSERT INTO run_results:4", id="during-results"),
    pytest.param("UPDATE runs SET status:1", id="during-finish"),
]


@pytest.mark.parametrize("point", KILL_POINTS)
def test_killed_writer_leaves_a_consistent_store(store_url: str, point: str) -> None:
    migrating = point.startswith("CREATE")
    if not migrating:
        good = expected_run("good", 10, (T1 - timedelta(days=7)).isoformat())
        with open_store(store_url) as store:
            store.save_run(good)

    victim = _writer(store_url, "victim", 30, "--pause", point)
    _wait_for(victim, "PAUSED")
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait(timeout=30)
    assert victim.returncode == -signal.SIGKILL
    assert victim.stdout is not None and victim.stderr is not None
    victim.stdout.close()
    victim.stderr.close()

    with open_store(store_url) as store:
        _consistent(store)
        ids = {s.id: s for s in store.list_runs()}
        if migrating:
            assert ids == {}  # the half-done migration rolled back; the store opened anyway
        else:
            assert store.load_run("good") == good
            assert ids["victim"].status is RunStatus.RUNNING
            assert ids["victim"].stale
            assert [s.id for s in store.stale_runs()] == ["victim"]

    nxt = _writer(store_url, "next", 30, started=T1 + timedelta(days=7))
    out, err = nxt.communicate(timeout=120)
    assert nxt.returncode == 0, err[-2000:]
    lines = out.split()
    assert "DONE" in lines
    with open_store(store_url) as store:
        _consistent(store)
        assert store.load_run("next") == expected_run(
            "next", 30, (T1 + timedelta(days=7)).isoformat()
        )
        assert store.resolve("latest") == "next"
        assert store.stale_runs() == []
        if not migrating:
            assert "STALE victim" in out  # the next audit says the previous one did not finish
            victim_run = store.load_run("victim")
            assert victim_run.status is RunStatus.FAILED
            assert any("did not finish" in n for n in victim_run.notes)
            assert store.resolve("previous") == "good"  # a failed run is never "previous"


def test_two_writers_at_once_both_land_intact(store_url: str) -> None:
    """Two processes open a brand-new store at the same moment (both try to create it) and
    interleave many small transactions that insert the same snapshots."""
    n = 60
    a = _writer(store_url, "writer-a", n)
    b = _writer(store_url, "writer-b", n, started=T1 + timedelta(minutes=1))
    _, err_a = a.communicate(timeout=180)
    _, err_b = b.communicate(timeout=180)
    assert a.returncode == 0, err_a[-2000:]
    assert b.returncode == 0, err_b[-2000:]
    with open_store(store_url) as store:
        runs = {s.id: s for s in store.list_runs()}
        assert set(runs) == {"writer-a", "writer-b"}
        assert all(s.status is RunStatus.COMPLETE for s in runs.values())
        assert store.load_run("writer-a") == expected_run("writer-a", n, T1.isoformat())
        assert store.load_run("writer-b") == expected_run(
            "writer-b", n, (T1 + timedelta(minutes=1)).isoformat()
        )
        # Both wrote the same n configs: stored once.
        prune = store.prune(keep=1)
        assert prune.removed == ("writer-a",)
        assert prune.snapshots_removed == 0


def test_wal_switch_waits_out_a_lock_sqlite_does_not_wait_for(tmp_path: Path) -> None:
    """Switching a new store to WAL while another process holds the database's lock: SQLite
    may answer "locked" without waiting (its deadlock guard; seen in CI when two audits
    created one store at once). The switch retries until the lock is gone."""
    db = tmp_path / "new.db"
    holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("INSERT INTO t VALUES (1)")
    conn = sqlite3.connect(db, timeout=0, isolation_level=None)  # no busy handler at all
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        set_wal(conn, timeout=0)  # what an immediate answer does without retrying
    release = threading.Timer(0.3, holder.commit)
    release.start()
    t0 = time.monotonic()
    set_wal(conn, timeout=10)
    release.join()
    assert time.monotonic() - t0 >= 0.2  # it waited for the holder
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("SELECT x FROM t").fetchall() == [(1,)]
    conn.close()
    holder.close()
