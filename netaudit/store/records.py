"""Store stage, query answers: the typed values ``Store`` returns besides ``AuditRun``.

Input: nothing (types only; ``netaudit.store.store`` fills them). Output: ``RunSummary`` (one
line of ``netaudit runs``), ``StatusCounts`` and ``HistoryEntry`` (the report's trend),
``RunDiff`` with ``ResultChange`` / ``ConfigChange`` (``netaudit diff``) and ``PruneReport``.
Each has ``to_data()`` for ``--json`` output.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from netaudit.model.serialize import Json
from netaudit.pipeline.run import ExitRecord, RunStatus
from netaudit.policy.context import ProbeObservation
from netaudit.policy.results import Result, Severity, Status


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


@dataclass(slots=True)
class StatusCounts:
    """How many results had each status."""

    passed: int = 0
    failed: int = 0
    unknown: int = 0
    not_applicable: int = 0
    error: int = 0

    def add(self, status: Status, n: int = 1) -> None:
        match status:
            case Status.PASS:
                self.passed += n
            case Status.FAIL:
                self.failed += n
            case Status.UNKNOWN:
                self.unknown += n
            case Status.NOT_APPLICABLE:
                self.not_applicable += n
            case Status.ERROR:
                self.error += n

    @property
    def total(self) -> int:
        return self.passed + self.failed + self.unknown + self.not_applicable + self.error

    def to_data(self) -> dict[str, Json]:
        return {
            "pass": self.passed,
            "fail": self.failed,
            "unknown": self.unknown,
            "not_applicable": self.not_applicable,
            "error": self.error,
        }


@dataclass(frozen=True, slots=True)
class RunSummary:
    """One stored run without its rows. ``stale``: still ``running`` but its writer is gone."""

    id: str
    inventory: str
    inventory_path: str
    mode: str
    status: RunStatus
    started_at: datetime
    finished_at: datetime | None
    tool_version: str
    schema_revision: str
    devices: int
    devices_not_ok: int
    results: StatusCounts
    notes: tuple[str, ...] = ()
    stale: bool = False

    def to_data(self) -> dict[str, Json]:
        return {
            "id": self.id,
            "inventory": self.inventory,
            "inventory_path": self.inventory_path,
            "mode": self.mode,
            "status": self.status.value,
            "stale": self.stale,
            "started_at": _iso(self.started_at),
            "finished_at": _iso(self.finished_at),
            "tool_version": self.tool_version,
            "schema_revision": self.schema_revision,
            "devices": self.devices,
            "devices_not_ok": self.devices_not_ok,
            "results": self.results.to_data(),
            "notes": list(self.notes),
        }


@dataclass(frozen=True, slots=True)
class StoredProbe:
    """A probe observation recorded by ``netaudit probe --db``: the run that holds it and when
    the probe ran."""

    run_id: str
    observed_at: datetime
    observation: ProbeObservation


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """Result counts of one finished run: in total, by severity and by unit (trend chart)."""

    run_id: str
    started_at: datetime
    status: RunStatus
    totals: StatusCounts
    by_severity: Mapping[Severity, StatusCounts]
    by_unit: Mapping[str, StatusCounts]

    def to_data(self) -> dict[str, Json]:
        return {
            "run": self.run_id,
            "started_at": _iso(self.started_at),
            "status": self.status.value,
            "totals": self.totals.to_data(),
            "by_severity": {s.value: c.to_data() for s, c in self.by_severity.items()},
            "by_unit": {u: c.to_data() for u, c in self.by_unit.items()},
        }


@dataclass(frozen=True, slots=True)
class ResultChange:
    """One (rule, subject) in both runs: its result before (run A) and after (run B)."""

    rule: str
    subject: str
    before: Result | None
    after: Result | None

    @property
    def latest(self) -> Result:
        got = self.after or self.before
        assert got is not None
        return got

    def to_data(self) -> dict[str, Json]:
        r = self.latest
        return {
            "rule": self.rule,
            "subject": self.subject,
            "unit": r.unit,
            "severity": r.severity.value,
            "before": None if self.before is None else self.before.status.value,
            "after": None if self.after is None else self.after.status.value,
            "message": r.message,
        }


@dataclass(frozen=True, slots=True)
class ConfigChange:
    """A device whose redacted config differs between the runs, with a unified diff."""

    device: str
    unit: str
    before_sha256: str
    after_sha256: str
    diff: str

    def to_data(self) -> dict[str, Json]:
        return {
            "device": self.device,
            "unit": self.unit,
            "before_sha256": self.before_sha256,
            "after_sha256": self.after_sha256,
            "diff": self.diff,
        }


@dataclass(frozen=True, slots=True)
class RunDiff:
    """What changed from run A to run B, results keyed by (rule, subject).

    ``new``: failing in B, not failing in A (or absent). ``resolved``: failing in A, ``pass``
    or ``not_applicable`` in B. ``unverified``: failing in A and now ``unknown``/``error`` or
    absent — not counted as resolved (unknown is never pass). ``still_failing``: both fail.
    """

    run_a: RunSummary
    run_b: RunSummary
    new: tuple[ResultChange, ...] = ()
    resolved: tuple[ResultChange, ...] = ()
    unverified: tuple[ResultChange, ...] = ()
    still_failing: tuple[ResultChange, ...] = ()
    exits_added: tuple[ExitRecord, ...] = ()
    exits_removed: tuple[ExitRecord, ...] = ()
    devices_added: tuple[str, ...] = ()
    devices_removed: tuple[str, ...] = ()
    config_changed: tuple[ConfigChange, ...] = field(default=())

    def to_data(self) -> dict[str, Json]:
        return {
            "run_a": self.run_a.to_data(),
            "run_b": self.run_b.to_data(),
            "results": {
                "new": [c.to_data() for c in self.new],
                "resolved": [c.to_data() for c in self.resolved],
                "unverified": [c.to_data() for c in self.unverified],
                "still_failing": [c.to_data() for c in self.still_failing],
            },
            "exits": {
                "added": [e.to_data() for e in self.exits_added],
                "removed": [e.to_data() for e in self.exits_removed],
            },
            "devices": {
                "added": list(self.devices_added),
                "removed": list(self.devices_removed),
                "config_changed": [c.to_data() for c in self.config_changed],
            },
        }


@dataclass(frozen=True, slots=True)
class PruneReport:
    """Runs removed, and the snapshots / rule texts no remaining run referenced."""

    removed: tuple[str, ...]
    snapshots_removed: int
    rule_texts_removed: int

    def to_data(self) -> dict[str, Json]:
        return {
            "removed": list(self.removed),
            "snapshots_removed": self.snapshots_removed,
            "rule_texts_removed": self.rule_texts_removed,
        }
