"""View models of the HTML reports: what each page shows, computed from an ``AuditRun``.

Input: the run, the previous run of the same inventory (or None) and a short history of
earlier runs (for the trend). Output: plain dataclasses the templates print; geometry of the
inline SVG drawings (exit diagram, trend chart) is computed here so templates stay simple and
every device-provided string still goes through Jinja2's autoescaping.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from netaudit.pipeline.run import AuditRun, DeviceRecord, ExitRecord, UnitInfo
from netaudit.policy.results import Result, Severity, Status

PLAN_PACK_PREFIX = "PLAN-"
STATUS_ORDER = {"fail": 0, "error": 1, "unknown": 2, "pass": 3, "not_applicable": 4}
_SEV_ORDER = {s.value: s.rank for s in Severity}
# ``.value`` of an enum member is a Python-level property: a dict lookup instead, per result.
_VALUE = {s: s.value for s in Status}


@dataclass(frozen=True, slots=True)
class RunIndex:
    """A run's results, exits and devices grouped by unit (in run order), built once per
    rendering so that each unit page reads only its own rows (a city has a thousand units)."""

    results: dict[str | None, list[Result]]
    exits: dict[str | None, list[ExitRecord]]
    devices: dict[str, list[DeviceRecord]]

    @classmethod
    def of(cls, run: AuditRun) -> RunIndex:
        results: dict[str | None, list[Result]] = {}
        for r in run.results:
            results.setdefault(r.unit, []).append(r)
        exits: dict[str | None, list[ExitRecord]] = {}
        for e in run.exits:
            exits.setdefault(e.unit, []).append(e)
        devices: dict[str, list[DeviceRecord]] = {}
        for d in run.devices:
            devices.setdefault(d.unit, []).append(d)
        return cls(results, exits, devices)


@dataclass(frozen=True, slots=True)
class HistoryPoint:
    """One earlier (or the current) run in the trend: when, and how many failures."""

    run_id: str
    started_at: datetime
    failures: int
    unknown: int = 0


@dataclass(slots=True)
class Counts:
    passed: int = 0
    failed: int = 0
    unknown: int = 0
    not_applicable: int = 0
    error: int = 0
    failed_by_severity: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, results: Sequence[Result]) -> Counts:
        statuses = [r.status for r in results]
        c = cls(
            passed=statuses.count(Status.PASS),
            failed=statuses.count(Status.FAIL),
            unknown=statuses.count(Status.UNKNOWN),
            not_applicable=statuses.count(Status.NOT_APPLICABLE),
            error=statuses.count(Status.ERROR),
        )
        if c.failed:
            for r in results:
                if r.status == Status.FAIL:
                    sev = r.severity.value
                    c.failed_by_severity[sev] = c.failed_by_severity.get(sev, 0) + 1
        return c


def aggregate(statuses: Sequence[Status]) -> str:
    """A rule's status for a unit: fail beats error beats unknown beats pass; none → n/a."""
    if not statuses:
        return "not_applicable"
    # A status is its value (StrEnum): ordered as the values are, one ``.value`` at the end.
    return _VALUE[min(set(statuses), key=STATUS_ORDER.__getitem__)]


@dataclass(frozen=True, slots=True)
class RequirementRow:
    rule: str
    title_zh: str
    title_en: str
    clause: str
    deadline: str | None
    responsible: str | None
    status: str
    subjects: int


@dataclass(frozen=True, slots=True)
class ExitBox:
    label: str
    x: int
    y: int


@dataclass(frozen=True, slots=True)
class ExitLine:
    x1: int
    y1: int
    x2: int
    y2: int
    label: str
    declared: bool
    lx: int = 0  # where the label goes: near the device, staggered per exit
    ly: int = 0


@dataclass(frozen=True, slots=True)
class ExitDiagram:
    width: int
    height: int
    devices: tuple[ExitBox, ...]
    isps: tuple[ExitBox, ...]
    lines: tuple[ExitLine, ...]


@dataclass(frozen=True, slots=True)
class TrendChart:
    width: int
    height: int
    points: tuple[tuple[int, int, int, str], ...]  # x, y, value, label (date)
    polyline: str
    max_value: int


@dataclass(slots=True)
class UnitView:
    info: UnitInfo
    counts: Counts
    requirements: list[RequirementRow]
    findings: list[Result]
    exits: list[ExitRecord]
    exit_isp: dict[str, str]
    diagram: ExitDiagram | None
    devices: list[DeviceRecord]
    mlps_rules: list[str]
    mlps: list[tuple[str, list[tuple[str, str]]]]  # device → [(rule, status)]
    has_previous: bool
    new_failures: list[Result]
    resolved: list[Result]

    @property
    def file(self) -> str:
        return f"{self.info.id}.html"


@dataclass(slots=True)
class IndexRow:
    info: UnitInfo
    counts: Counts
    cells: list[str]  # status per rule column
    exits: int
    exit_limit: int | None


@dataclass(slots=True)
class IndexView:
    rules: list[str]
    rows: list[IndexRow]
    counts: Counts
    trend: TrendChart | None


def _key(r: Result) -> tuple[str, str]:
    return (r.rule, r.subject)


def _sort_findings(results: Sequence[Result]) -> list[Result]:
    return sorted(
        results,
        key=lambda r: (
            STATUS_ORDER[r.status.value],
            -_SEV_ORDER[r.severity.value],
            r.rule,
            r.subject,
        ),
    )


def _exit_diagram(exits: Sequence[ExitRecord], isp_of: dict[str, str]) -> ExitDiagram | None:
    if not exits:
        return None
    devices = sorted({e.device for e in exits})
    isps = sorted({isp_of[e.subject] for e in exits})
    row = 56
    height = max(len(devices), len(isps)) * row + 24
    dev_boxes = tuple(ExitBox(d, 10, 12 + i * row) for i, d in enumerate(devices))
    isp_boxes = tuple(ExitBox(p, 430, 12 + i * row) for i, p in enumerate(isps))
    dev_y = {b.label: b.y + 18 for b in dev_boxes}
    isp_y = {b.label: b.y + 18 for b in isp_boxes}
    per_device: dict[str, int] = {}
    lines = []
    for e in sorted(exits, key=lambda e: e.subject):
        k = per_device.get(e.device, 0)
        per_device[e.device] = k + 1
        y1 = dev_y[e.device]
        y2 = isp_y[isp_of[e.subject]]
        declared = e.declared_id is not None
        lines.append(ExitLine(170, y1, 430, y2, e.interface, declared, 176, y1 - 6 + 13 * k))
    return ExitDiagram(600, height, dev_boxes, isp_boxes, tuple(lines))


def trend_chart(history: Sequence[HistoryPoint]) -> TrendChart | None:
    if len(history) < 2:
        return None
    width, height, pad = 600, 180, 40
    top = max([1, *(h.failures for h in history)])
    n = len(history)
    pts = []
    for i, h in enumerate(history):
        x = pad + round(i * (width - 2 * pad) / (n - 1))
        y = height - pad - round(h.failures * (height - 2 * pad) / top)
        pts.append((x, y, h.failures, h.started_at.strftime("%m-%d %H:%M")))
    poly = " ".join(f"{x},{y}" for x, y, _, _ in pts)
    return TrendChart(width, height, tuple(pts), poly, top)


def unit_view(
    run: AuditRun,
    unit: UnitInfo,
    previous: AuditRun | None,
    *,
    index: RunIndex | None = None,
    previous_index: RunIndex | None = None,
) -> UnitView:
    """The page of one unit; ``index`` / ``previous_index`` are ``RunIndex.of`` the runs
    (built here when not given)."""
    index = index if index is not None else RunIndex.of(run)
    results = index.results.get(unit.id, [])
    # One pass over the unit's results: the plan's rules, and the status of each other rule
    # on each device (the MLPS matrix).
    plan: dict[str, list[Result]] = {}
    per_device: dict[str, dict[str, str]] = {}
    for r in results:
        if r.rule.startswith(PLAN_PACK_PREFIX):
            plan.setdefault(r.rule, []).append(r)
        elif r.device:
            per_device.setdefault(r.device, {})[r.rule] = _VALUE[r.status]
    requirements = [
        RequirementRow(
            rule=rule,
            title_zh=rs[0].title_zh,
            title_en=rs[0].title_en,
            clause=rs[0].clause,
            deadline=rs[0].deadline,
            responsible=rs[0].responsible,
            status=aggregate([r.status for r in rs]),
            subjects=len(rs),
        )
        for rule, rs in sorted(plan.items())
    ]
    findings = _sort_findings(
        [r for r in results if r.status in (Status.FAIL, Status.ERROR, Status.UNKNOWN)]
    )
    exits = list(index.exits.get(unit.id, []))
    isp_of = {e.subject: e.isp or "?" for e in exits}
    devices = list(index.devices.get(unit.id, []))
    mlps_rules = sorted({rule for seen in per_device.values() for rule in seen})
    mlps: list[tuple[str, list[tuple[str, str]]]] = []
    for d in devices:
        seen = per_device.get(d.name, {})
        mlps.append((d.name, [(rule, seen.get(rule, "not_applicable")) for rule in mlps_rules]))
    new: list[Result] = []
    resolved: list[Result] = []
    if previous is not None:
        if previous_index is None:
            previous_index = RunIndex.of(previous)
        before = {_key(r): r for r in previous_index.results.get(unit.id, [])}
        now = {_key(r): r for r in results}
        new = _sort_findings(
            [
                r
                for k, r in now.items()
                if r.status is Status.FAIL
                and (k not in before or before[k].status is not Status.FAIL)
            ]
        )
        resolved = _sort_findings(
            [
                r
                for k, r in before.items()
                if r.status is Status.FAIL and k in now and now[k].status is Status.PASS
            ]
        )
    return UnitView(
        info=unit,
        counts=Counts.of(results),
        requirements=requirements,
        findings=findings,
        exits=exits,
        exit_isp=isp_of,
        diagram=_exit_diagram(exits, isp_of),
        devices=devices,
        mlps_rules=mlps_rules,
        mlps=mlps,
        has_previous=previous is not None,
        new_failures=new,
        resolved=resolved,
    )


def index_view(
    run: AuditRun,
    units: Sequence[UnitView],
    history: Sequence[HistoryPoint],
    exit_limit: int | None,
    *,
    index: RunIndex | None = None,
) -> IndexView:
    rules = sorted(
        {r.rule for r in run.results}, key=lambda r: (not r.startswith(PLAN_PACK_PREFIX), r)
    )
    index = index if index is not None else RunIndex.of(run)
    rows = []
    for uv in units:
        by_rule: dict[str, list[Status]] = {}
        for r in index.results.get(uv.info.id, []):
            by_rule.setdefault(r.rule, []).append(r.status)
        distinct = {e.group or e.subject for e in uv.exits}
        limit = exit_limit if uv.info.kind in ("district", "county", "devzone") else None
        rows.append(
            IndexRow(
                uv.info,
                uv.counts,
                [aggregate(by_rule.get(rule, [])) for rule in rules],
                len(distinct),
                limit,
            )
        )
    rows.sort(key=lambda r: (-r.counts.failed, -r.counts.unknown, r.info.id))
    total = Counts.of(run.results)
    points = list(history)
    if not points or points[-1].run_id != run.id:
        points.append(HistoryPoint(run.id, run.started_at, total.failed, total.unknown))
    return IndexView(rules, rows, total, trend_chart(points))


def severity_counts(results: Sequence[Result]) -> Counter[str]:
    return Counter(r.severity.value for r in results if r.status is Status.FAIL)
