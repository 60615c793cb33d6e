"""The offline audit, end to end: inventory → parse → network analysis → rules → ``AuditRun``.

Input: a loaded inventory, an optional unit selection (``--unit``), optional probe
observations, and optionally device records/models already collected live. Output: an
``AuditRun`` (run metadata, device records with redacted snapshots, the internet exits found,
probe observations, every rule result). Timings per stage are kept in ``StageTimes`` for the
benchmarks. Nothing here prints or writes files: the CLI, the store and the reports do that.

The cyclic garbage collector is paused while the audit runs: the audit builds millions of
long-lived objects (models, topology, FIBs, results) and hardly any cyclic garbage, and each
full collection would walk all of them again (at 1,000 devices this halved the audit's own CPU
time). It is re-enabled when the audit returns or raises.

Every device of the inventory is parsed and modelled even with ``--unit`` (paths and exits of
one unit run through the municipal platform and through other units' devices); only the
results, device records and exits of the selected units are reported.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from netaudit import __version__
from netaudit.errors import UsageError
from netaudit.gcpause import paused_gc
from netaudit.inventory import Inventory
from netaudit.pipeline.devices import ParsedDevices, parse_inventory
from netaudit.pipeline.run import (
    AuditRun,
    DeviceStatus,
    ExitRecord,
    RunStatus,
    UnitInfo,
)
from netaudit.policy.analysis import NetworkAnalysis
from netaudit.policy.context import AuditContext, DeviceFailure, ProbeObservation
from netaudit.policy.engine import run_rules
from netaudit.policy.pack import load_rules_for
from netaudit.policy.results import ConfigEvidence


@dataclass(slots=True)
class StageTimes:
    """Wall time per stage, seconds (printed by --timings and the benchmarks)."""

    parse: float = 0.0
    network: float = 0.0
    checks: float = 0.0
    total: float = 0.0
    extra: dict[str, float] = field(default_factory=dict)


def select_units(inv: Inventory, unit_ids: Sequence[str] | None) -> frozenset[str] | None:
    """The ``--unit`` selection, checked against the inventory (None = every unit)."""
    if not unit_ids:
        return None
    known = {u.id for u in inv.units}
    unknown = [u for u in unit_ids if u not in known]
    if unknown:
        raise UsageError(
            f"--unit {', '.join(unknown)}: no such unit in {inv.root} "
            f"(units: {', '.join(sorted(known))})"
        )
    return frozenset(unit_ids)


def exit_records(
    inv: Inventory, analysis: NetworkAnalysis | None, selected: frozenset[str] | None
) -> tuple[ExitRecord, ...]:
    """The exits found in configs, attributed to the unit owning the device, matched to the
    declared exits of any unit (a unit's exit may sit on another unit's device), grouped
    when they share one ISP line."""
    if analysis is None:
        return ()
    unit_of = {d.name: u.id for u, d in inv.device_specs()}
    declared: dict[tuple[str, str], tuple[str, str, str | None]] = {}
    for u in inv.units:
        for d in u.exits:
            declared[(d.device, d.interface)] = (u.id, d.id, d.isp)
    group_of: dict[str, str] = {}
    for group in analysis.groups:
        if len(group.members) > 1:
            for member in group.members:
                group_of[member.key] = group.key
    records = []
    for ex in analysis.exits:
        decl = declared.get((ex.device, ex.interface))
        unit = decl[0] if decl else unit_of.get(ex.device)
        if selected is not None and unit not in selected:
            continue
        records.append(
            ExitRecord(
                unit=unit,
                device=ex.device,
                interface=ex.interface,
                declared_id=decl[1] if decl else None,
                reasons=tuple(r.kind.value for r in ex.reasons),
                evidence=tuple(ConfigEvidence.of(ex.device, s) for s in ex.sources),
                group=group_of.get(ex.key),
                isp=decl[2] if decl else None,
            )
        )
    records.sort(key=lambda r: (r.unit or "", r.subject))
    return tuple(records)


def run_audit(
    inv: Inventory,
    *,
    unit_ids: Sequence[str] | None = None,
    probes: Sequence[ProbeObservation] | None = None,
    parsed: ParsedDevices | None = None,
    mode: str = "offline",
    workers: int | None = None,
    times: StageTimes | None = None,
    run_id: str | None = None,
    started_at: datetime | None = None,
    retain: list[object] | None = None,
) -> AuditRun:
    """Audit ``inv``; ``parsed`` carries live-collected devices (default: parse config files).

    ``retain``, when given, receives the audit's working state (models, network analysis): a
    caller that exits right after keeps it alive rather than spend time freeing millions of
    objects (0.6 s at 5,000 devices, issue 9).
    """
    with paused_gc():
        return _run_audit(
            inv,
            unit_ids=unit_ids,
            probes=probes,
            parsed=parsed,
            mode=mode,
            workers=workers,
            times=times if times is not None else StageTimes(),
            run_id=run_id,
            started_at=started_at,
            retain=retain,
        )


def _run_audit(
    inv: Inventory,
    *,
    unit_ids: Sequence[str] | None,
    probes: Sequence[ProbeObservation] | None,
    parsed: ParsedDevices | None,
    mode: str,
    workers: int | None,
    times: StageTimes,
    run_id: str | None,
    started_at: datetime | None,
    retain: list[object] | None,
) -> AuditRun:
    t0 = time.perf_counter()
    started = started_at or datetime.now(UTC)
    selected = select_units(inv, unit_ids)
    packs = load_rules_for(inv)  # rule-pack errors surface before any work

    if parsed is None:
        parsed = parse_inventory(inv, workers=workers)
    t1 = time.perf_counter()
    times.parse = t1 - t0

    failures = {
        name: DeviceFailure(rec.status.value, rec.message or rec.status.value)
        for name, rec in parsed.records.items()
        if rec.status is not DeviceStatus.OK
    }
    ctx = AuditContext.build(inv, parsed.models, failures, probes=probes, selected_units=selected)
    if retain is not None:
        retain.append(ctx)
    t2 = time.perf_counter()
    times.network = t2 - t1

    results = run_rules(packs, ctx)
    t3 = time.perf_counter()
    times.checks = t3 - t2

    units = [u for u in inv.units if selected is None or u.id in selected]
    unit_ids_kept = {u.id for u in units}
    devices = tuple(r for r in parsed.records.values() if r.unit in unit_ids_kept)
    incomplete = any(d.status is not DeviceStatus.OK for d in devices)
    notes = [f"network analysis: {ctx.network_error}"] if ctx.network_error else []
    run = AuditRun(
        id=run_id or new_run_id(started),
        inventory=inv.city.id,
        inventory_path=str(inv.root),
        mode=mode,
        started_at=started,
        finished_at=datetime.now(UTC),
        status=RunStatus.INCOMPLETE if incomplete else RunStatus.COMPLETE,
        tool_version=__version__,
        units=unit_infos(inv, selected),
        devices=devices,
        exits=exit_records(inv, ctx.network, selected),
        probes=tuple(p for p in (probes or ()) if p.unit in unit_ids_kept),
        results=tuple(r for r in results if r.unit is None or r.unit in unit_ids_kept),
        notes=tuple(notes),
    )
    times.total = time.perf_counter() - t0
    return run


def unit_infos(inv: Inventory, selected: frozenset[str] | None) -> tuple[UnitInfo, ...]:
    return tuple(
        UnitInfo(u.id, u.name, u.kind.value, u.responsible, u.campus.value if u.campus else None)
        for u in inv.units
        if selected is None or u.id in selected
    )


def new_run_id(started: datetime) -> str:
    """Sortable and unique: UTC start time plus a random suffix."""
    return f"{started.strftime('%Y%m%dT%H%M%SZ')}-{uuid.uuid4().hex[:8]}"
