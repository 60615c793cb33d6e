"""Store stage, the API: write audit runs in transactions, read them back, compare and prune.

Input: a checked, migrated engine (``netaudit.store.engine``) and ``AuditRun`` values or their
parts. Output: stored rows; ``AuditRun`` / ``RunSummary`` / ``HistoryEntry`` / ``RunDiff`` /
``PruneReport`` values on the way back. See the package docstring (``netaudit/store``) for the
API and the guarantees; this module implements them.
"""

from __future__ import annotations

import contextlib
import os
import socket
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import (
    JSON,
    ColumnElement,
    Engine,
    Select,
    Text,
    cast,
    delete,
    exists,
    func,
    insert,
    select,
    update,
)
from sqlalchemy import text as sql_text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from netaudit.errors import StoreError
from netaudit.gcpause import paused_gc
from netaudit.pipeline.run import (
    AuditRun,
    DeviceRecord,
    DeviceStatus,
    ExitRecord,
    RunStatus,
    UnitInfo,
)
from netaudit.policy.context import ProbeObservation
from netaudit.policy.results import Result, Severity, Status
from netaudit.store import codec
from netaudit.store.compare import DeviceSnap, ResultKey, Side, compare
from netaudit.store.engine import WRITE, Migration, head_revision, translate
from netaudit.store.records import (
    HistoryEntry,
    PruneReport,
    RunDiff,
    RunSummary,
    StatusCounts,
    StoredProbe,
)
from netaudit.store.schema import (
    CHILD_TABLES,
    Base,
    DeviceRow,
    ExitRow,
    ProbeRow,
    ResultRow,
    RuleTextRow,
    RunRow,
    SnapshotRow,
    UnitRow,
    UnrecognizedRow,
)

STALE_AFTER = timedelta(hours=2)
"""A running run written from another host is stale after this long without a write."""

FINISHED = (RunStatus.COMPLETE.value, RunStatus.INCOMPLETE.value)
AUDIT_MODES = ("offline", "live")
"""Runs that ran the rules. ``netaudit collect --db`` (mode ``collect``) and ``netaudit probe
--db`` (mode ``probe``) record runs without results: they are never an audit's previous run, a
point of its trend, nor ``latest``/``previous``."""
PROBE_MODE = "probe"
_CHUNK = 500  # ids per IN (...) list
T = TypeVar("T")


def _chunks(items: Sequence[T], size: int = _CHUNK) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# --------------------------------------------------------------------------- writer liveness


def _proc_stat(pid: int) -> tuple[str, str] | None:
    """(state, start time) of a Linux process from /proc; None when it does not exist."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rfind(")") + 2 :].split()
    return fields[0], fields[19]


def _own_token() -> str | None:
    stat = _proc_stat(os.getpid())
    return None if stat is None else stat[1]


def _writer_alive(host: str, pid: int, token: str | None) -> bool | None:
    """True/False when the writer ran on this host; None when we cannot tell (another host)."""
    if host != socket.gethostname():
        return None
    if not Path("/proc").is_dir():  # not Linux: the pid alone
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    stat = _proc_stat(pid)
    if stat is None or stat[0] in ("Z", "X"):
        return False
    return token is None or stat[1] == token


def _is_stale(row: RunRow, now: datetime) -> bool:
    if row.status != RunStatus.RUNNING.value:
        return False
    alive = _writer_alive(row.writer_host, row.writer_pid, row.writer_token)
    if alive is None:
        return now - row.heartbeat_at > STALE_AFTER
    return not alive


# --------------------------------------------------------------------------- the store


class Store:
    """A netaudit store on one database. Build it with ``open_store``; close it when done."""

    def __init__(self, engine: Engine, url: str, migration: Migration | None) -> None:
        self.url = url  # masked: safe to print
        self.migration = migration  # what opening did to the schema, if anything
        self._engine = engine
        self._write_engine = engine.execution_options(**{WRITE: True})
        self._dialect = engine.dialect.name
        self._revision = head_revision()
        self._sql: dict[tuple[str, tuple[str, ...], str | None], str] = {}  # INSERTs by table

    # ----------------------------------------------------------------- plumbing

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _read(self) -> Iterator[Session]:
        with translate(self.url), Session(self._engine, expire_on_commit=False) as s, s.begin():
            yield s

    @contextlib.contextmanager
    def _write(self) -> Iterator[Session]:
        """One write transaction (SQLite: BEGIN IMMEDIATE, so writers queue, not fail)."""
        session = Session(self._write_engine, expire_on_commit=False)
        with translate(self.url), session as s, s.begin():
            yield s

    def _insert_ignore(self, s: Session, model: type[Any], key: str, rows: list[codec.Row]) -> None:
        """Insert content-addressed rows, skipping keys that exist (also under concurrency)."""
        if not rows:
            return
        keys = [r[key] for r in rows]
        have: set[str] = set()
        col = getattr(model, key)
        for part in _chunks(keys):
            have.update(s.scalars(select(col).where(col.in_(part))))
        missing = [r for r in rows if r[key] not in have]
        if not missing:
            return
        columns = list(missing[0])
        values = [tuple(r[c] for c in columns) for r in missing]
        self._insert_values(s, model, columns, values, ignore_key=key)

    def _insert_values(
        self,
        s: Session,
        model: type[Any],
        columns: Sequence[str],
        rows: Sequence[codec.Values],
        *,
        ignore_key: str | None = None,
    ) -> None:
        """Insert many rows with one driver ``executemany``; JSON columns come as JSON text.

        The bulk tables (results, devices, snapshots) bypass SQLAlchemy's insert: its ORM and
        Core paths build and process a parameter dict per row, which cost more than SQLite's
        own work for the 73,000 results of a 5,000-device run. With ``ignore_key``, a row whose
        key exists is skipped (``ON CONFLICT DO NOTHING`` where the engine has it).
        """
        if not rows:
            return
        sql = self._insert_sql(model.__tablename__, tuple(columns), ignore_key)
        if self._engine.dialect.paramstyle == "named":
            s.connection().exec_driver_sql(sql, [dict(zip(columns, r, strict=True)) for r in rows])
        else:
            s.connection().exec_driver_sql(sql, list(rows))

    def _insert_sql(self, table: str, columns: tuple[str, ...], ignore_key: str | None) -> str:
        key = (table, columns, ignore_key)
        sql = self._sql.get(key)
        if sql is not None:
            return sql
        dialect = self._engine.dialect
        quote = dialect.identifier_preparer.quote
        json_cols = {
            c.name for c in Base.metadata.tables[table].columns if isinstance(c.type, JSON)
        }
        marks = []
        for i, name in enumerate(columns, start=1):
            mark = {"qmark": "?", "numeric": f":{i}", "named": f":{name}"}.get(
                dialect.paramstyle, "%s"
            )
            if name in json_cols and self._dialect == "postgresql":
                mark = f"CAST({mark} AS JSON)"
            marks.append(mark)
        sql = (
            f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "
            f"VALUES ({', '.join(marks)})"
        )
        if ignore_key is not None and self._dialect in ("sqlite", "postgresql"):
            sql += f" ON CONFLICT ({quote(ignore_key)}) DO NOTHING"
        self._sql[key] = sql
        return sql

    # ----------------------------------------------------------------- writing

    def begin_run(
        self,
        *,
        id: str,
        inventory: str,
        inventory_path: str,
        mode: str,
        started_at: datetime,
        tool_version: str,
        units: Iterable[UnitInfo] = (),
    ) -> RunWriter:
        """Record a new run as ``running`` (with its units) and return its writer."""
        started, offset = codec.split_dt(started_at)
        unit_list = list(units)
        row = {
            "id": id,
            "inventory": inventory,
            "inventory_path": inventory_path,
            "mode": mode,
            "status": RunStatus.RUNNING.value,
            "started_at": started,
            "started_offset": offset,
            "finished_at": None,
            "finished_offset": None,
            "tool_version": tool_version,
            "schema_revision": self._revision,
            "notes": [],
            "writer_host": socket.gethostname(),
            "writer_pid": os.getpid(),
            "writer_token": _own_token(),
            "heartbeat_at": _utcnow(),
        }
        try:
            with self._write() as s:
                s.execute(insert(RunRow), [row])
                if unit_list:
                    rows = [codec.unit_row(id, i, u) for i, u in enumerate(unit_list)]
                    s.execute(insert(UnitRow), rows)
        except IntegrityError as exc:
            raise StoreError(f"store {self.url} already has a run with id {id!r}") from exc
        return RunWriter(self, id, units=len(unit_list))

    def finish_run(
        self,
        run_id: str,
        status: RunStatus,
        *,
        finished_at: datetime | None = None,
        notes: Sequence[str] = (),
        expected: dict[str, int] | None = None,
    ) -> None:
        """Set a run's final status, in one transaction with its row counts.

        ``expected`` (rows written per table, from ``RunWriter``) is checked against the rows
        in the database first: a run is never marked finished with rows missing.
        """
        if status is RunStatus.RUNNING:
            raise ValueError("finish_run needs a final status, not running")
        end, offset = codec.split_dt(finished_at or datetime.now(UTC))
        with self._write() as s:
            counts = self._counts(s, run_id)
            if expected is not None:
                for table, n in expected.items():
                    if counts[table] != n:
                        raise StoreError(
                            f"run {run_id}: {counts[table]} {table} rows stored, {n} written; "
                            "not marking it finished"
                        )
            done = s.execute(
                update(RunRow)
                .where(RunRow.id == run_id)
                .values(
                    status=status.value,
                    finished_at=end,
                    finished_offset=offset,
                    notes=list(notes),
                    heartbeat_at=_utcnow(),
                    unit_count=counts["units"],
                    device_count=counts["devices"],
                    exit_count=counts["exits"],
                    probe_count=counts["probes"],
                    result_count=counts["results"],
                )
            )
            if getattr(done, "rowcount", 1) == 0:
                raise StoreError(f"store {self.url} has no run {run_id!r}")

    def save_run(self, run: AuditRun) -> None:
        """Store a finished ``AuditRun`` whole (begin, every part, finish)."""
        if run.status is RunStatus.RUNNING:
            raise ValueError("save_run stores finished runs; use begin_run for a running one")
        writer = self.begin_run(
            id=run.id,
            inventory=run.inventory,
            inventory_path=run.inventory_path,
            mode=run.mode,
            started_at=run.started_at,
            tool_version=run.tool_version,
            units=run.units,
        )
        writer.add_devices(run.devices)
        writer.add_exits(run.exits)
        writer.add_probes(run.probes)
        writer.add_results(run.results)
        writer.finish(run.status, finished_at=run.finished_at, notes=run.notes)

    def stale_runs(self) -> list[RunSummary]:
        """Runs still marked ``running`` whose writer process is gone (killed, crashed)."""
        now = _utcnow()
        with self._read() as s:
            rows = s.scalars(select(RunRow).where(RunRow.status == RunStatus.RUNNING.value))
            ids = [r.id for r in rows if _is_stale(r, now)]
        return self._summaries_by_id(ids)

    def reap_stale_runs(self) -> list[RunSummary]:
        """Mark stale running runs ``failed`` (with a note) and return them, for the audit to
        print "previous run X did not finish". Runs of live writers are left alone."""
        now = _utcnow()
        reaped: list[str] = []
        with self._write() as s:
            for row in s.scalars(select(RunRow).where(RunRow.status == RunStatus.RUNNING.value)):
                if not _is_stale(row, now):
                    continue
                note = (
                    f"did not finish: its writer (pid {row.writer_pid} on {row.writer_host}) "
                    f"stopped without finishing; marked failed at {now.isoformat()}Z"
                )
                s.execute(
                    update(RunRow)
                    .where(RunRow.id == row.id, RunRow.status == RunStatus.RUNNING.value)
                    .values(status=RunStatus.FAILED.value, notes=[*row.notes, note])
                )
                reaped.append(row.id)
        return self._summaries_by_id(reaped)

    # ----------------------------------------------------------------- reading

    def _counts(self, s: Session, run_id: str) -> dict[str, int]:
        out = {}
        for name, model in (
            ("units", UnitRow),
            ("devices", DeviceRow),
            ("exits", ExitRow),
            ("probes", ProbeRow),
            ("results", ResultRow),
        ):
            q = select(func.count()).select_from(model).where(model.run_id == run_id)
            out[name] = int(s.scalar(q) or 0)
        return out

    def _summaries(self, s: Session, rows: Sequence[RunRow]) -> list[RunSummary]:
        ids = [r.id for r in rows]
        results: dict[str, StatusCounts] = defaultdict(StatusCounts)
        devices: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for part in _chunks(ids):
            q = (
                select(ResultRow.run_id, ResultRow.status, func.count())
                .where(ResultRow.run_id.in_(part))
                .group_by(ResultRow.run_id, ResultRow.status)
            )
            for run_id, status, n in s.execute(q):
                results[run_id].add(Status(status), int(n))
            dq = (
                select(DeviceRow.run_id, DeviceRow.status, func.count())
                .where(DeviceRow.run_id.in_(part))
                .group_by(DeviceRow.run_id, DeviceRow.status)
            )
            for run_id, status, n in s.execute(dq):
                devices[run_id][0] += int(n)
                if status != DeviceStatus.OK.value:
                    devices[run_id][1] += int(n)
        now = _utcnow()
        return [
            RunSummary(
                id=r.id,
                inventory=r.inventory,
                inventory_path=r.inventory_path,
                mode=r.mode,
                status=RunStatus(r.status),
                started_at=codec.join_dt(r.started_at, r.started_offset),
                finished_at=None
                if r.finished_at is None
                else codec.join_dt(r.finished_at, r.finished_offset),
                tool_version=r.tool_version,
                schema_revision=r.schema_revision,
                devices=devices[r.id][0],
                devices_not_ok=devices[r.id][1],
                results=results[r.id],
                notes=tuple(r.notes),
                stale=_is_stale(r, now),
            )
            for r in rows
        ]

    def _summaries_by_id(self, ids: Sequence[str]) -> list[RunSummary]:
        if not ids:
            return []
        with self._read() as s:
            rows = list(s.scalars(select(RunRow).where(RunRow.id.in_(ids)).order_by(*_NEWEST)))
            return self._summaries(s, rows)

    def list_runs(self, inventory: str | None = None, limit: int | None = None) -> list[RunSummary]:
        """Stored runs, newest first, of one inventory or all."""
        q = select(RunRow).order_by(*_NEWEST)
        if inventory is not None:
            q = q.where(RunRow.inventory == inventory)
        if limit is not None:
            q = q.limit(limit)
        with self._read() as s:
            return self._summaries(s, list(s.scalars(q)))

    def resolve(self, ref: str, inventory: str | None = None) -> str:
        """A run id from ``ref``: an id, a unique id prefix, ``latest`` or ``previous``.

        ``latest`` is the newest finished (complete or incomplete) audit run (``AUDIT_MODES``),
        ``previous`` the one before it; with ``inventory``, among that inventory's runs only.
        """
        with self._read() as s:
            if ref in ("latest", "previous"):
                q: Select[str] = (
                    select(RunRow.id)
                    .where(RunRow.status.in_(FINISHED), RunRow.mode.in_(AUDIT_MODES))
                    .order_by(*_NEWEST)
                )
                if inventory is not None:
                    q = q.where(RunRow.inventory == inventory)
                ids = list(s.scalars(q.limit(2)))
                idx = 0 if ref == "latest" else 1
                if len(ids) <= idx:
                    where = f" of inventory {inventory}" if inventory else ""
                    raise StoreError(
                        f"store {self.url} has no {ref} finished run{where} (see `netaudit runs`)"
                    )
                return ids[idx]
            if s.get(RunRow, ref) is not None:
                return ref
            q = select(RunRow.id).where(RunRow.id.startswith(ref, autoescape=True))
            matches = list(s.scalars(q.order_by(RunRow.id).limit(6)))
        if not matches:
            raise StoreError(f"store {self.url} has no run {ref!r} (see `netaudit runs`)")
        if len(matches) > 1:
            shown = ", ".join(matches[:5]) + (", ..." if len(matches) > 5 else "")
            raise StoreError(f"run {ref!r} is ambiguous: it matches {shown}")
        return matches[0]

    def summary(self, ref: str) -> RunSummary:
        """The summary of one run (``ref`` as in ``resolve``)."""
        return self._summaries_by_id([self.resolve(ref)])[0]

    def load_run(self, ref: str, *, configs: bool = True) -> AuditRun:
        """One stored run, whole and equal to what was saved (``ref`` as in ``resolve``).

        ``configs=False`` leaves the devices' redacted config texts out (``config`` None): what
        a report needs of the previous run is its results, and the texts are most of a run's
        bytes (68 MB at 5,000 devices)."""
        run_id = self.resolve(ref)
        with paused_gc(), self._read() as s:
            row = s.get(RunRow, run_id)
            if row is None:  # pruned between resolve and load
                raise StoreError(f"store {self.url} has no run {run_id!r}")
            units = tuple(
                codec.unit_of(u)
                for u in s.scalars(select(UnitRow).where(UnitRow.run_id == run_id).order_by("seq"))
            )
            devices = tuple(self._devices(s, run_id, configs))
            exits = tuple(self._exits(s, run_id))
            probes = tuple(
                codec.probe_of(p)
                for p in s.scalars(
                    select(ProbeRow).where(ProbeRow.run_id == run_id).order_by("seq")
                )
            )
            results = tuple(self._results(s, run_id))
        got = {
            "units": len(units),
            "devices": len(devices),
            "exits": len(exits),
            "probes": len(probes),
            "results": len(results),
        }
        want = {
            "units": row.unit_count,
            "devices": row.device_count,
            "exits": row.exit_count,
            "probes": row.probe_count,
            "results": row.result_count,
        }
        for table, n in want.items():
            if n is not None and got[table] != n:
                raise StoreError(
                    f"run {run_id} in {self.url} is damaged: {got[table]} of its {n} {table} "
                    "are stored"
                )
        return AuditRun(
            id=row.id,
            inventory=row.inventory,
            inventory_path=row.inventory_path,
            mode=row.mode,
            started_at=codec.join_dt(row.started_at, row.started_offset),
            finished_at=None
            if row.finished_at is None
            else codec.join_dt(row.finished_at, row.finished_offset),
            status=RunStatus(row.status),
            tool_version=row.tool_version,
            units=units,
            devices=devices,
            exits=exits,
            probes=probes,
            results=results,
            notes=tuple(row.notes),
        )

    # Bulk reads select plain rows (not ORM instances): a 5,000-device run has ~70,000 rows.

    def _devices(self, s: Session, run_id: str, configs: bool = True) -> list[DeviceRecord]:
        unrec: dict[int, list[codec.UnrecognizedCols]] = defaultdict(list)
        ut = UnrecognizedRow.__table__
        uq = select(ut).where(ut.c.run_id == run_id).order_by(ut.c.device_seq, ut.c.seq)
        for u in s.execute(uq):
            unrec[u.device_seq].append(u)
        dt = DeviceRow.__table__
        if not configs:
            plain = select(dt).where(dt.c.run_id == run_id).order_by(dt.c.seq)
            return [codec.device_of(d, None, unrec.get(d.seq, [])) for d in s.execute(plain)]
        q = (
            select(dt, SnapshotRow.text)
            .outerjoin(SnapshotRow, SnapshotRow.sha256 == dt.c.config_sha256)
            .where(dt.c.run_id == run_id)
            .order_by(dt.c.seq)
        )
        return [codec.device_of(d, d.text, unrec.get(d.seq, [])) for d in s.execute(q)]

    def _exits(self, s: Session, run_id: str) -> list[ExitRecord]:
        q = select(ExitRow).where(ExitRow.run_id == run_id).order_by(ExitRow.seq)
        return [codec.exit_of(e) for e in s.scalars(q)]

    def _results(self, s: Session, run_id: str, seqs: Sequence[int] | None = None) -> list[Result]:
        """The run's results in order (only those at ``seqs`` when given)."""
        rt = ResultRow.__table__
        used = select(rt.c.rule_text_sha256).where(rt.c.run_id == run_id)
        if seqs is not None:
            used = used.where(rt.c.seq.in_(seqs))
        texts = {
            t.sha256: t
            for t in s.scalars(select(RuleTextRow).where(RuleTextRow.sha256.in_(used.distinct())))
        }
        # Evidence as its JSON text (CAST: PostgreSQL's driver would parse it row by row).
        cols: list[ColumnElement[Any]] = [rt.c[name] for name in codec.RESULT_COLUMNS[:-1]]
        cols.append(cast(rt.c.evidence, Text))
        q = select(*cols).where(rt.c.run_id == run_id).order_by(rt.c.seq)
        if seqs is not None:
            q = q.where(rt.c.seq.in_(seqs))
        return codec.results_of(s.execute(q).all(), texts)

    def snapshot(self, sha256: str) -> str | None:
        """The redacted config text stored under ``sha256`` (proof of a config on a date)."""
        with self._read() as s:
            row = s.get(SnapshotRow, sha256)
            return None if row is None else row.text

    def previous_run(
        self, inventory: str, before: str | None = None, *, configs: bool = True
    ) -> AuditRun | None:
        """The newest finished audit run of ``inventory`` started before run ``before``
        (default: the newest finished audit run of the inventory), or None; ``configs`` as in
        ``load_run``."""
        with self._read() as s:
            q = (
                select(RunRow.id)
                .where(
                    RunRow.inventory == inventory,
                    RunRow.status.in_(FINISHED),
                    RunRow.mode.in_(AUDIT_MODES),
                )
                .order_by(*_NEWEST)
                .limit(1)
            )
            if before is not None:
                ref = s.get(RunRow, self.resolve(before))
                assert ref is not None
                q = q.where(
                    (RunRow.started_at < ref.started_at)
                    | ((RunRow.started_at == ref.started_at) & (RunRow.id < ref.id))
                )
            found = s.scalar(q)
        return None if found is None else self.load_run(found, configs=configs)

    def history(self, inventory: str, n: int = 10, upto: str | None = None) -> list[HistoryEntry]:
        """Result counts of the last ``n`` finished audit runs of ``inventory`` (up to and
        including run ``upto`` when given), oldest first: in total, by severity and by unit."""
        with self._read() as s:
            q = (
                select(RunRow)
                .where(
                    RunRow.inventory == inventory,
                    RunRow.status.in_(FINISHED),
                    RunRow.mode.in_(AUDIT_MODES),
                )
                .order_by(*_NEWEST)
            )
            if upto is not None:
                ref = s.get(RunRow, self.resolve(upto))
                assert ref is not None
                q = q.where(
                    (RunRow.started_at < ref.started_at)
                    | ((RunRow.started_at == ref.started_at) & (RunRow.id <= ref.id))
                )
            runs = list(reversed(list(s.scalars(q.limit(n)))))
            counts = s.execute(
                select(
                    ResultRow.run_id,
                    ResultRow.unit,
                    ResultRow.severity,
                    ResultRow.status,
                    func.count(),
                )
                .where(ResultRow.run_id.in_([r.id for r in runs]))
                .group_by(ResultRow.run_id, ResultRow.unit, ResultRow.severity, ResultRow.status)
            ).all()
        per_run: dict[str, list[tuple[str | None, Severity, Status, int]]] = defaultdict(list)
        for run_id, unit, severity, status, k in counts:
            per_run[run_id].append((unit, Severity(severity), Status(status), int(k)))
        out = []
        for r in runs:
            totals = StatusCounts()
            by_sev: dict[Severity, StatusCounts] = {sev: StatusCounts() for sev in Severity}
            by_unit: dict[str, StatusCounts] = {}
            for unit, severity, status, k in per_run[r.id]:
                totals.add(status, k)
                by_sev[severity].add(status, k)
                if unit is not None:
                    by_unit.setdefault(unit, StatusCounts()).add(status, k)
            out.append(
                HistoryEntry(
                    run_id=r.id,
                    started_at=codec.join_dt(r.started_at, r.started_offset),
                    status=RunStatus(r.status),
                    totals=totals,
                    by_severity=by_sev,
                    by_unit=dict(sorted(by_unit.items())),
                )
            )
        return out

    def latest_probes(self, inventory: str, since: datetime | None = None) -> list[StoredProbe]:
        """The newest observation of each probe of ``inventory`` that ``netaudit probe --db``
        recorded (finished runs of mode ``probe``), started at or after ``since``; by probe id.
        Observations an audit run carried (``--probe-report``) are not fresh evidence and are
        not returned."""
        q = (
            select(ProbeRow, RunRow.started_at, RunRow.started_offset)
            .join(RunRow, RunRow.id == ProbeRow.run_id)
            .where(
                RunRow.inventory == inventory,
                RunRow.mode == PROBE_MODE,
                RunRow.status.in_(FINISHED),
            )
            .order_by(*_NEWEST, ProbeRow.seq)
        )
        if since is not None:
            q = q.where(RunRow.started_at >= codec.split_dt(since)[0])
        out: dict[str, StoredProbe] = {}
        with self._read() as s:
            for row, started, offset in s.execute(q):
                if row.probe not in out:
                    out[row.probe] = StoredProbe(
                        row.run_id, codec.join_dt(started, offset), codec.probe_of(row)
                    )
        return [out[k] for k in sorted(out)]

    def diff(self, run_a: str, run_b: str) -> RunDiff:
        """What changed from run A to run B (refs as in ``resolve``)."""
        a_id, b_id = self.resolve(run_a), self.resolve(run_b)
        sa, sb = self._summaries_by_id([a_id]), self._summaries_by_id([b_id])
        sides = []
        status = {st.value: st for st in Status}
        with self._read() as s:
            for summary in (sa[0], sb[0]):
                devq = (
                    select(DeviceRow.name, DeviceRow.unit, DeviceRow.config_sha256)
                    .where(DeviceRow.run_id == summary.id)
                    .order_by(DeviceRow.seq)
                )
                keyq = select(
                    ResultRow.rule, ResultRow.subject, ResultRow.status, ResultRow.seq
                ).where(ResultRow.run_id == summary.id)
                sides.append(
                    Side(
                        summary,
                        [ResultKey(r, subj, status[st], q) for r, subj, st, q in s.execute(keyq)],
                        self._exits(s, summary.id),
                        [DeviceSnap(n, u, h) for n, u, h in s.execute(devq)],
                    )
                )
        return compare(sides[0], sides[1], self._texts, self._results_by_seq)

    def _results_by_seq(self, run_id: str, seqs: list[int]) -> dict[int, Result]:
        wanted = sorted(set(seqs))
        out: dict[int, Result] = {}
        with self._read() as s:
            for part in _chunks(wanted):
                out.update(zip(part, self._results(s, run_id, part), strict=True))
        return out

    def _texts(self, hashes: set[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        with self._read() as s:
            for part in _chunks(sorted(hashes)):
                q = select(SnapshotRow.sha256, SnapshotRow.text).where(SnapshotRow.sha256.in_(part))
                out.update({str(h): str(t) for h, t in s.execute(q)})
        return out

    # ----------------------------------------------------------------- retention

    def prune(
        self,
        *,
        keep: int | None = None,
        older_than: timedelta | None = None,
        now: datetime | None = None,
    ) -> PruneReport:
        """Remove old runs: beyond the newest ``keep`` of each inventory and/or started more
        than ``older_than`` ago (with both, a run must meet both). ``keep`` counts audit runs,
        ``collect`` runs and ``probe`` runs apart (frequent probe runs never push audits out).
        Runs being written (running, writer alive) are never removed. Snapshots and rule
        texts that no remaining run references are deleted; shared ones stay."""
        if keep is None and older_than is None:
            raise ValueError("prune needs keep and/or older_than")
        if keep is not None and keep < 0:
            raise ValueError("keep must be >= 0")
        cutoff = None
        if older_than is not None:
            cutoff, _ = codec.split_dt((now or datetime.now(UTC)) - older_than)
        clock = _utcnow()
        with self._write() as s:
            if self._dialect == "postgresql":
                # Writers insert snapshots/rule texts and the rows referencing them in one
                # transaction; this lock waits for them, so nothing is deleted under a writer.
                s.execute(
                    sql_text("LOCK TABLE config_snapshots, rule_texts IN SHARE ROW EXCLUSIVE MODE")
                )
            rank: dict[tuple[str, str], int] = defaultdict(int)
            doomed: list[str] = []
            for r in s.scalars(select(RunRow).order_by(*_NEWEST)):
                kind = (r.inventory, "audit" if r.mode in AUDIT_MODES else r.mode)
                pos = rank[kind]
                rank[kind] += 1
                if r.status == RunStatus.RUNNING.value and not _is_stale(r, clock):
                    continue
                too_many = keep is None or pos >= keep
                too_old = cutoff is None or r.started_at < cutoff
                if too_many and too_old:
                    doomed.append(r.id)
            for part in _chunks(doomed):
                for model in CHILD_TABLES:
                    s.execute(delete(model).where(model.run_id.in_(part)))
                s.execute(delete(RunRow).where(RunRow.id.in_(part)))
            snaps = s.execute(
                delete(SnapshotRow).where(
                    ~exists().where(DeviceRow.config_sha256 == SnapshotRow.sha256)
                )
            )
            # NOT IN over one scan of run_results (rule_text_sha256 has no index on purpose).
            texts = s.execute(
                delete(RuleTextRow).where(
                    RuleTextRow.sha256.not_in(select(ResultRow.rule_text_sha256).distinct())
                )
            )
            return PruneReport(
                tuple(doomed),
                int(getattr(snaps, "rowcount", 0) or 0),
                int(getattr(texts, "rowcount", 0) or 0),
            )


_NEWEST = (RunRow.started_at.desc(), RunRow.id.desc())


# --------------------------------------------------------------------------- the writer


class RunWriter:
    """Writes one run's parts; each ``add_*`` call is one transaction (and a heartbeat).

    A process killed at any point leaves the run ``running`` with the parts committed so far;
    only ``finish`` changes the status, after checking every row written is there.
    """

    def __init__(self, store: Store, run_id: str, *, units: int = 0) -> None:
        self.store = store
        self.run_id = run_id
        self._n = {"units": units, "devices": 0, "exits": 0, "probes": 0, "results": 0}

    def _commit(self, table: str, rows: list[codec.Row], model: type[Any]) -> None:
        with self.store._write() as s:
            if rows:
                s.execute(insert(model), rows)
            self._beat(s)
        self._n[table] += len(rows)

    def _beat(self, s: Session) -> None:
        s.execute(update(RunRow).where(RunRow.id == self.run_id).values(heartbeat_at=_utcnow()))

    def add_devices(self, records: Iterable[DeviceRecord]) -> None:
        """Devices with their redacted snapshots (stored once by hash) and unrecognized lines."""
        base = self._n["devices"]
        rows: list[codec.Values] = []
        unrec: list[codec.Values] = []
        snaps: dict[str, codec.Row] = {}
        for i, d in enumerate(records, start=base):
            h = d.config_hash  # a property that hashes the text: read once
            if d.config is not None and h is not None and h not in snaps:
                size = len(d.config.encode("utf-8"))
                snaps[h] = {"sha256": h, "size": size, "text": d.config}
            rows.append(codec.device_values(self.run_id, i, d, h))
            if d.unrecognized:
                unrec.extend(codec.unrecognized_values(self.run_id, i, d))
        with self.store._write() as s:
            self.store._insert_ignore(s, SnapshotRow, "sha256", list(snaps.values()))
            self.store._insert_values(s, DeviceRow, codec.DEVICE_COLUMNS, rows)
            self.store._insert_values(s, UnrecognizedRow, codec.UNRECOGNIZED_COLUMNS, unrec)
            self._beat(s)
        self._n["devices"] += len(rows)

    def add_exits(self, exits: Iterable[ExitRecord]) -> None:
        base = self._n["exits"]
        rows = [codec.exit_row(self.run_id, i, e) for i, e in enumerate(exits, start=base)]
        self._commit("exits", rows, ExitRow)

    def add_probes(self, probes: Iterable[ProbeObservation]) -> None:
        base = self._n["probes"]
        rows = [codec.probe_row(self.run_id, i, p) for i, p in enumerate(probes, start=base)]
        self._commit("probes", rows, ProbeRow)

    def add_results(self, results: Iterable[Result]) -> None:
        base = self._n["results"]
        rows: list[codec.Values] = []
        texts: dict[tuple[str | None, ...], codec.Row] = {}  # a rule's texts, hashed once
        for i, r in enumerate(results, start=base):
            key = codec.rule_text_key(r)
            t = texts.get(key)
            if t is None:
                t = texts[key] = codec.rule_text_row(r)
            rows.append(codec.result_values(self.run_id, i, r, t["sha256"]))
        unique = {t["sha256"]: t for t in texts.values()}
        with self.store._write() as s:
            self.store._insert_ignore(s, RuleTextRow, "sha256", list(unique.values()))
            self.store._insert_values(s, ResultRow, codec.RESULT_INSERT_COLUMNS, rows)
            self._beat(s)
        self._n["results"] += len(rows)

    def finish(
        self,
        status: RunStatus,
        *,
        finished_at: datetime | None = None,
        notes: Sequence[str] = (),
    ) -> None:
        """Mark the run finished (complete / incomplete / failed) once every row is stored."""
        self.store.finish_run(
            self.run_id, status, finished_at=finished_at, notes=notes, expected=dict(self._n)
        )
