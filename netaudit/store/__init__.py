"""Store stage: every audit run kept, compared and safe (the only importer of SQLAlchemy).

Input: ``AuditRun`` values from the pipeline (``netaudit.pipeline.run``). Output: the same runs
read back equal, plus summaries, trends, diffs and retention. Any SQLAlchemy URL works; SQLite
(``./netaudit.db``) is the default and PostgreSQL (psycopg 3) is tested like SQLite.

API (all typed; errors a user can cause are ``StoreError`` with the password masked)::

    store = open_store(url)             # url | $NETAUDIT_DB | sqlite:///netaudit.db; checks the
                                        # database, migrates it to head (store.migration says
                                        # what it did); close() or use as a context manager
    for s in store.reap_stale_runs():   # killed runs -> failed (with a note); print
        print(f"previous run {s.id} did not finish")
    w = store.begin_run(id=..., inventory=..., inventory_path=..., mode=...,
                        started_at=..., tool_version=..., units=run_units)   # status running
    w.add_devices(records)              # each add_* call is one transaction; call as often as
    w.add_exits(exits)                  # you like, in any order
    w.add_probes(observations)
    w.add_results(results)
    w.finish(RunStatus.COMPLETE, finished_at=..., notes=...)   # or Store.finish_run(id, ...)
    store.save_run(run)                 # all of the above for a finished AuditRun

    store.list_runs(inventory=None, limit=None) -> list[RunSummary]      # newest first
    store.resolve(ref) -> str           # id, unique id prefix, "latest", "previous"
    store.summary(ref) -> RunSummary
    store.load_run(ref) -> AuditRun     # equal to the AuditRun that was saved
    store.previous_run(inventory, before=run_id) -> AuditRun | None
    store.history(inventory, n, upto=None) -> list[HistoryEntry]   # oldest first; totals,
                                        # by severity and by unit (the report's trend chart)
    store.latest_probes(inventory, since=None) -> list[StoredProbe]  # newest per probe id,
                                        # from `netaudit probe --db` runs (mode "probe")
    store.diff(run_a, run_b) -> RunDiff # new / resolved / unverified / still failing results
                                        # (by rule+subject), exits added/removed, devices
                                        # added/removed, configs changed with a unified diff
    store.snapshot(sha256) -> str | None
    store.prune(keep=N, older_than=timedelta) -> PruneReport
    store.stale_runs() -> list[RunSummary]

Guarantees:

- A run becomes ``complete``/``incomplete``/``failed`` only in ``finish_run``, in one
  transaction that first checks every row the writer sent is stored, and records the row counts;
  ``load_run`` refuses a finished run whose rows do not add up. A process killed at any point
  leaves its run ``running``; ``stale_runs``/``reap_stale_runs`` tell it from a live one (same
  host: the writer's pid and process start time; another host: no write for ``STALE_AFTER``).
- Only audit runs (modes ``offline``/``live``, ``AUDIT_MODES``) are ``latest``/``previous``,
  an audit's previous run or a point of its trend: ``collect --db`` and ``probe --db`` record
  runs of modes ``collect`` and ``probe`` with no results.
- Config snapshots are the redacted ``DeviceRecord.config`` the pipeline produced (the store
  takes configs from nowhere else), stored once per sha256 in ``config_snapshots``; rule texts
  likewise in ``rule_texts``. ``prune`` deletes the ones no remaining run references.
- Concurrent writers land intact: SQLite uses WAL, a busy timeout and ``BEGIN IMMEDIATE``;
  PostgreSQL uses its own concurrency (content-addressed inserts are ``ON CONFLICT DO
  NOTHING``; prune locks the shared tables against in-flight writers).
- Opening checks before it writes: a file that is not SQLite, is corrupt, or is SQLite without
  netaudit's version table (``netaudit_alembic_version``), or a database with other tables, is
  refused and left untouched; a schema newer than this code is refused; an older one is
  migrated (Alembic, ``netaudit/store/migrations``) inside one locked transaction.
"""

from __future__ import annotations

from sqlalchemy.engine import make_url

from netaudit.errors import StoreError
from netaudit.store.engine import (
    DEFAULT_URL,
    ENV_VAR,
    Migration,
    check_sqlite_file,
    create,
    head_revision,
    mask_url,
    prepare,
    resolve_url,
    sqlite_path,
)
from netaudit.store.records import (
    ConfigChange,
    HistoryEntry,
    PruneReport,
    ResultChange,
    RunDiff,
    RunSummary,
    StatusCounts,
    StoredProbe,
)
from netaudit.store.store import AUDIT_MODES, PROBE_MODE, STALE_AFTER, RunWriter, Store


def open_store(url: str | None = None, *, upgrade: bool = True) -> Store:
    """Open (creating or migrating as needed) the store at ``url`` / ``$NETAUDIT_DB`` /
    ``./netaudit.db``. With ``upgrade=False`` an out-of-date schema is an error instead."""
    resolved = resolve_url(url)
    masked = mask_url(resolved)
    engine = create(resolved)
    try:
        path = sqlite_path(make_url(resolved))
        if path is not None:
            check_sqlite_file(path, masked)
        migration = prepare(engine, masked, upgrade=upgrade)
    except BaseException:
        engine.dispose()
        raise
    return Store(engine, masked, migration)


__all__ = [
    "AUDIT_MODES",
    "DEFAULT_URL",
    "ENV_VAR",
    "PROBE_MODE",
    "STALE_AFTER",
    "ConfigChange",
    "HistoryEntry",
    "Migration",
    "PruneReport",
    "ResultChange",
    "RunDiff",
    "RunSummary",
    "RunWriter",
    "StatusCounts",
    "Store",
    "StoreError",
    "StoredProbe",
    "head_revision",
    "mask_url",
    "open_store",
    "resolve_url",
]
